//! The Spark job (`contrib/spark/copylint_corpus.py`) in local mode gives the same
//! findings as `copylint check --corpus`, byte for byte. Skips, saying why, where pyspark
//! or Java cannot be had (`.ci/run` installs pyspark).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Why the Spark test cannot run here, if it cannot.
fn missing() -> Option<String> {
    let java = Command::new("java").arg("-version").output();
    if !java.is_ok_and(|o| o.status.success()) {
        return Some("no Java runtime (`java -version` failed)".into());
    }
    let pyspark = Command::new("python3")
        .args(["-c", "import pyspark"])
        .output();
    match pyspark {
        Ok(o) if o.status.success() => None,
        Ok(o) => Some(format!(
            "pyspark is not installed (`pip install pyspark`): {}",
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .last()
                .unwrap_or("")
        )),
        Err(e) => Some(format!("no python3: {e}")),
    }
}

/// A small deterministic pseudo-random generator (the test must not depend on a crate).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

/// 2,000 records of real paragraphs (the seed and the feed fixture) on 20 sites, each
/// site with its own chrome line, 5% of them near copies of an earlier record.
fn fixture() -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let seed = std::fs::read_to_string(root().join("seeds/000_db6636acdd834bc4.txt")).unwrap();
    paragraphs.extend(seed.split("\n\n").map(str::to_owned));
    let feed = std::fs::read_to_string(root().join("tests/fixtures/corpus/feed.jsonl")).unwrap();
    for line in feed.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let text = record["text"].as_str().unwrap();
        paragraphs.extend(text.split("\n\n").map(str::to_owned));
    }
    paragraphs.retain(|p| p.split_whitespace().count() >= 8);
    let mut rng = Lcg(42);
    let mut texts: Vec<String> = Vec::new();
    let mut out = String::new();
    for i in 0..2000 {
        let site = rng.next(20);
        let text = if i > 100 && rng.next(20) == 0 {
            // A near copy: another headline over an earlier record's text.
            let earlier = &texts[rng.next(texts.len())];
            let body = earlier.split_once("\n\n").map_or("", |(_, b)| b);
            format!("Breaking: the story everyone reads, part {i}\n\n{body}")
        } else {
            let mut parts = vec![format!("Headline {i} of site {site}")];
            for _ in 0..4 + rng.next(5) {
                parts.push(paragraphs[rng.next(paragraphs.len())].clone());
            }
            parts.push(format!("Follow site{site}.example on social media"));
            parts.join("\n\n")
        };
        texts.push(text.clone());
        // An id with a line separator and a next-line character, which JSON output
        // carries unescaped: the job must not cut its output lines there.
        let id = if i == 7 {
            format!("r{i}\u{2028}\u{85}")
        } else {
            format!("r{i}")
        };
        let record = serde_json::json!({
            "id": id,
            "url": format!("https://www.site{site}.example/{i}"),
            "text": text,
        });
        let _ = writeln!(out, "{record}");
    }
    out
}

#[test]
fn the_spark_job_gives_the_same_findings_as_corpus_mode() {
    if let Some(why) = missing() {
        println!("skipped: the Spark test needs pyspark and Java: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("records.jsonl"), fixture()).unwrap();
    let copylint = env!("CARGO_BIN_EXE_copylint");
    let local = Command::new(copylint)
        .current_dir(dir.path())
        .args([
            "--isolated",
            "check",
            "--corpus",
            "--format",
            "jsonl",
            "records.jsonl",
        ])
        .output()
        .unwrap();
    assert_eq!(local.status.code(), Some(1), "{local:?}");
    let job = Command::new("python3")
        .current_dir(dir.path())
        .arg(root().join("contrib/spark/copylint_corpus.py"))
        .args([
            "--copylint",
            copylint,
            "--out",
            "spark.jsonl",
            "--work",
            "work",
            "--partitions",
            "3",
            "records.jsonl",
        ])
        .output()
        .unwrap();
    assert!(
        job.status.success(),
        "the Spark job failed: {}",
        String::from_utf8_lossy(&job.stderr)
    );
    let spark = std::fs::read_to_string(dir.path().join("spark.jsonl")).unwrap();
    let local = String::from_utf8(local.stdout).unwrap();
    let count = |rule: &str| local.matches(&format!("\"rule\":\"{rule}\"")).count();
    assert!(
        count("site-boilerplate") >= 2000,
        "every page has its site's chrome line"
    );
    assert!(count("duplicate-document") >= 50, "near copies are found");
    assert!(
        local == spark,
        "the Spark job's findings differ from --corpus"
    );
}

//! The readers: the seed gives the same findings as text, HTML and Markdown; JSONL is
//! streamed record by record; bad and corrupted inputs give clear errors and the rest is
//! still checked.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use copylint::config::Config;
use copylint::document::{Document, Format};
use copylint::input;
use copylint::linter::{Linter, Registry, Selection};
use copylint::walk::Input;
use predicates::prelude::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copylint_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("copylint").expect("binary is built");
    cmd.current_dir(dir).arg("--isolated");
    cmd
}

fn linter() -> Linter {
    let config = Config::default();
    let registry = Registry::load(&config).expect("packs load");
    Linter::new(registry, &config, &Selection::default()).expect("linter builds")
}

fn read(path: &str, format: Format) -> Document {
    let input = Input::File {
        path: root().join(path),
        name: path.to_owned(),
        explicit: true,
    };
    input::read_document(&input, format, false).expect("fixture reads")
}

/// Each finding as (rule, the start of the text line it is on, the flagged text), sorted.
fn findings(doc: &Document) -> Vec<(String, String, String)> {
    let mut found: Vec<_> = linter()
        .check(doc)
        .expect("no crash")
        .into_iter()
        .map(|d| {
            let line = doc
                .line(doc.line_of(d.span.start))
                .map(|l| l.text)
                .unwrap_or("");
            let head: String = line.chars().take(40).collect();
            (d.rule.to_string(), head, doc.slice(d.span).to_owned())
        })
        .collect();
    found.sort();
    found
}

#[test]
fn the_seed_gives_the_same_findings_as_text_html_and_markdown() {
    let text = findings(&read("seeds/000_db6636acdd834bc4.txt", Format::Text));
    assert!(text.len() >= 5, "{text:?}");
    assert_eq!(
        findings(&read("tests/fixtures/inputs/seed.html", Format::Html)),
        text
    );
    assert_eq!(
        findings(&read("tests/fixtures/inputs/seed.md", Format::Markdown)),
        text
    );
}

#[test]
fn html_findings_point_at_the_html_source() {
    let out = Command::cargo_bin("copylint")
        .unwrap()
        .current_dir(root())
        .args([
            "check",
            "--isolated",
            "--format",
            "json",
            "tests/fixtures/inputs/seed.html",
        ])
        .output()
        .unwrap();
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let source = fs::read_to_string(root().join("tests/fixtures/inputs/seed.html")).unwrap();
    let nbsp = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "trailing-whitespace")
        .expect("the trailing NBSP is found");
    let (start, end) = (
        nbsp["span"]["start"].as_u64().unwrap() as usize,
        nbsp["span"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&source[start..end], "&nbsp;");
    let line = nbsp["line"].as_u64().unwrap() as usize;
    let column = nbsp["column"].as_u64().unwrap() as usize;
    let at_line = source.lines().nth(line - 1).unwrap();
    assert_eq!(
        at_line.chars().skip(column - 1).take(6).collect::<String>(),
        "&nbsp;"
    );
    // The fix edits the source: delete the entity.
    assert_eq!(nbsp["fix"]["edits"][0]["replacement"], "");
    assert_eq!(nbsp["fix"]["edits"][0]["start"], nbsp["span"]["start"]);
}

fn jsonl(dir: &Path, name: &str, lines: &[&str]) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

#[test]
fn jsonl_records_are_documents_named_by_id() {
    let dir = tempfile::tempdir().unwrap();
    jsonl(
        dir.path(),
        "d.jsonl",
        &[
            r#"{"id": "a", "text": "Clean text."}"#,
            r#"{"id": "b", "text": "Line one\nShare this @site.com\n"}"#,
            r#"{"url": "https://x.y/c", "text": "ends\u00a0"}"#,
        ],
    );
    copylint_in(dir.path())
        .args(["check", "--format", "concise", "d.jsonl"])
        .assert()
        .code(1)
        .stdout(
            "d.jsonl:b:2:1: warning[boilerplate-line] Share button text in article text: \"Share this @site.com\"\n\
             d.jsonl:https://x.y/c:1:5: warning[trailing-whitespace] Trailing whitespace: U+00A0 NO-BREAK SPACE\n",
        )
        .stderr("2 findings (2 fixable) in 3 records\n");
}

#[test]
fn jsonl_json_output_names_the_record_and_points_into_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = jsonl(
        dir.path(),
        "d.jsonl",
        &[
            r#"{"id": 1, "text": "x"}"#,
            r#"{"id": 2, "text": "a\tb \u00e9\u00a0"}"#,
        ],
    );
    let out = copylint_in(dir.path())
        .args(["check", "--format", "json", "d.jsonl"])
        .output()
        .unwrap();
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &findings[0];
    assert_eq!(f["record"], "2");
    assert_eq!(f["path"], "d.jsonl");
    let file = fs::read_to_string(path).unwrap();
    let (start, end) = (
        f["span"]["start"].as_u64().unwrap() as usize,
        f["span"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&file[start..end], "\\u00a0");
    assert_eq!(f["fix"]["edits"][0]["replacement"], "");
}

#[test]
fn records_format_writes_one_line_per_record_in_order_even_for_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = Vec::new();
    for i in 0..5000 {
        lines.push(format!(r#"{{"id": "r{i}", "text": "record {i}  here"}}"#));
    }
    lines[17] = "{not json".into();
    lines[18] = r#"{"id": "r18", "body": "no text field"}"#.into();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    jsonl(dir.path(), "d.jsonl", &refs);
    let out = copylint_in(dir.path())
        .args(["check", "--format", "records", "--threads", "2", "d.jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let records: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 5000);
    assert_eq!(records[0]["id"], "r0");
    assert_eq!(records[0]["findings"][0]["rule"], "double-space");
    assert_eq!(records[17]["line"], 18);
    assert!(
        records[17]["error"]
            .as_str()
            .unwrap()
            .contains("not a JSON object")
    );
    assert!(
        records[18]["error"]
            .as_str()
            .unwrap()
            .contains("record has no `text` field")
    );
    assert_eq!(records[4999]["id"], "r4999");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("d.jsonl:18: not a JSON object"), "{stderr}");
    assert!(stderr.contains("; 2 inputs could not be read"), "{stderr}");
}

#[test]
fn stdin_reads_every_input_format() {
    let run = |format: &str, input: &str| {
        Command::cargo_bin("copylint")
            .unwrap()
            .args([
                "check",
                "--isolated",
                "--format",
                "concise",
                "--input-format",
                format,
                "-",
            ])
            .write_stdin(input)
            .output()
            .unwrap()
            .stdout
    };
    assert!(
        String::from_utf8(run("html", "<p>x&nbsp;</p>"))
            .unwrap()
            .contains("<stdin>:1:5")
    );
    assert!(
        String::from_utf8(run("markdown", "# T\n\nx\u{a0}\n"))
            .unwrap()
            .contains("trailing-whitespace")
    );
    assert!(
        String::from_utf8(run("jsonl", "{\"id\":\"s\",\"text\":\"x\\u00a0\"}\n"))
            .unwrap()
            .contains("<stdin>:s:1:2")
    );
}

#[test]
fn gzip_inputs_are_read_and_truncated_ones_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for i in 0..200 {
        writeln!(gz, r#"{{"id": {i}, "text": "text {i}\u00a0"}}"#).unwrap();
    }
    let bytes = gz.finish().unwrap();
    fs::write(dir.path().join("good.jsonl.gz"), &bytes).unwrap();
    fs::write(dir.path().join("cut.jsonl.gz"), &bytes[..bytes.len() / 2]).unwrap();
    let out = copylint_in(dir.path())
        .args(["check", "--format", "concise", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.starts_with("good.jsonl.gz:"))
            .count(),
        200
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("cut.jsonl.gz: read error after line"),
        "{stderr}"
    );
}

#[test]
fn corrupted_inputs_give_clear_errors_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("binary.html"),
        b"\x7fELF\x02\x01\x01\x00\x00\x00",
    )
    .unwrap();
    fs::write(
        dir.path().join("lines.jsonl"),
        "{\"text\": \"ok\u{a0}\"}\n[1,2]\n{\"text\": 3}\n\n{\"text\": \"fine\"}\n",
    )
    .unwrap();
    fs::write(dir.path().join("page.html"), "<p>unclosed <b>bold\u{a0}").unwrap();
    copylint_in(dir.path())
        .args([
            "check",
            "--format",
            "concise",
            "binary.html",
            "lines.jsonl",
            "page.html",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("binary.html: binary file"))
        .stderr(predicate::str::contains("lines.jsonl:2: not a JSON object"))
        .stderr(predicate::str::contains(
            "lines.jsonl:3: field `text` is not a string",
        ))
        .stdout(predicate::str::contains(
            "lines.jsonl:line1:1:3: warning[trailing-whitespace]",
        ))
        .stdout(predicate::str::contains(
            "page.html:1:20: warning[trailing-whitespace]",
        ));
}

#[test]
fn statistics_count_findings_per_rule_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "a  b  c \n").unwrap();
    copylint_in(dir.path())
        .args(["check", "--statistics", "a.txt"])
        .assert()
        .code(1)
        .stdout("2  double-space         [*] fixable\n1  trailing-whitespace  [*] fixable\n");
    let out = copylint_in(dir.path())
        .args(["check", "--statistics", "--format", "json", "a.txt"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["rule"], "double-space");
    assert_eq!(rows[0]["count"], 2);
    assert_eq!(rows[1]["fixable"], 1);
}

#[test]
fn the_shared_corpus_html_and_jsonl_run_end_to_end() {
    let corpus = root().join("../../shared/corpus");
    let corpus = if corpus.exists() {
        corpus
    } else {
        root().join("../shared/corpus")
    };
    if !corpus.join("wcxb.jsonl").exists() {
        eprintln!("skipped: the shared corpus is not at ../shared/corpus");
        return;
    }
    for path in ["scrapinghub-aeb/html", "wcxb.jsonl"] {
        let out = Command::cargo_bin("copylint")
            .unwrap()
            .args(["check", "--isolated", "--quiet", "--format", "json"])
            .arg(corpus.join(path))
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{path}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{path}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(findings.as_array().is_some_and(|a| !a.is_empty()));
    }
}

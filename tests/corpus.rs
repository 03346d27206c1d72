//! Corpus mode end to end: `check --corpus`, `signatures` and `corpus-report` on a small
//! corpus of real articles (`tests/fixtures/corpus/feed.jsonl`, built by
//! `scripts/corpus_fixture.py`): six articles of one site wrapped in the seed's chrome,
//! two articles of other sites, an exact copy and a near copy.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

const FEED: &str = "tests/fixtures/corpus/feed.jsonl";
const CORPUS_RULES: &str = "site-boilerplate,duplicate-document";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copylint() -> Command {
    let mut cmd = Command::cargo_bin("copylint").expect("binary is built");
    cmd.current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("RAYON_NUM_THREADS");
    cmd
}

fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().expect("runs").stdout).expect("utf-8 output")
}

fn write(dir: &Path, name: &str, contents: &str) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

#[test]
fn site_chrome_and_copies_are_found_across_the_feed() {
    let out = stdout(copylint().args([
        "check",
        "--isolated",
        "--corpus",
        "--select",
        CORPUS_RULES,
        "--format",
        "concise",
        FEED,
    ]));
    // One site's share line and related block on every page; nothing on the other sites.
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 6 * 7 + 2, "{out}");
    assert!(
        lines
            .iter()
            .filter(|l| l.contains("site-boilerplate"))
            .all(|l| l.starts_with("tests/fixtures/corpus/feed.jsonl:inc-")
                && l.ends_with("appears in 6 of 6 pages of internewscast.com"))
    );
    insta::assert_snapshot!(lines[..7].join("\n"), @r"
    tests/fixtures/corpus/feed.jsonl:inc-1:2:1: warning[site-boilerplate] Site boilerplate: appears in 6 of 6 pages of internewscast.com
    tests/fixtures/corpus/feed.jsonl:inc-1:12:1: warning[site-boilerplate] Site boilerplate: appears in 6 of 6 pages of internewscast.com
    tests/fixtures/corpus/feed.jsonl:inc-1:13:1: warning[site-boilerplate] Site boilerplate: appears in 6 of 6 pages of internewscast.com
    tests/fixtures/corpus/feed.jsonl:inc-1:15:1: warning[site-boilerplate] Site boilerplate: appears in 6 of 6 pages of internewscast.com
    tests/fixtures/corpus/feed.jsonl:inc-1:17:1: warning[site-boilerplate] Site boilerplate: appears in 6 of 6 pages of internewscast.com
    tests/fixtures/corpus/feed.jsonl:inc-1:19:1: warning[site-boilerplate] Site boilerplate: appears in 6 of 6 pages of internewscast.com
    tests/fixtures/corpus/feed.jsonl:inc-1:21:1: warning[site-boilerplate] Site boilerplate: appears in 6 of 6 pages of internewscast.com
    ");
    insta::assert_snapshot!(lines[42..].join("\n"), @r"
    tests/fixtures/corpus/feed.jsonl:copy:1:1: warning[duplicate-document] Duplicate document: the same text as tests/fixtures/corpus/feed.jsonl:other-0061
    tests/fixtures/corpus/feed.jsonl:near:1:1: warning[duplicate-document] Near-duplicate document: 91% similar to tests/fixtures/corpus/feed.jsonl:other-0024
    ");
}

#[test]
fn findings_do_not_depend_on_the_thread_count() {
    let run = |threads: &str| {
        stdout(copylint().args([
            "check",
            "--isolated",
            "--corpus",
            "--format",
            "jsonl",
            "-j",
            threads,
            FEED,
        ]))
    };
    let one = run("1");
    assert!(one.contains("duplicate-document") && one.contains("site-boilerplate"));
    assert_eq!(one, run("2"));
    assert_eq!(one, run("4"));
}

#[test]
fn block_counts_spilled_to_disk_give_the_same_findings() {
    // `--corpus-memory 0` keeps one document's blocks in memory: every block goes to the
    // spill files and is counted from there.
    let run = |extra: &[&str]| {
        stdout(
            copylint()
                .args(["check", "--isolated", "--corpus", "--format", "jsonl"])
                .args(extra)
                .arg(FEED),
        )
    };
    let in_memory = run(&[]);
    assert!(in_memory.contains("site-boilerplate"));
    assert_eq!(in_memory, run(&["--corpus-memory", "0"]));
    assert_eq!(in_memory, run(&["--corpus-memory", "0", "-j", "1"]));
}

#[test]
fn without_corpus_mode_the_corpus_rules_report_nothing() {
    copylint()
        .args([
            "check",
            "--isolated",
            "--select",
            CORPUS_RULES,
            "--format",
            "concise",
            FEED,
        ])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn the_per_document_findings_are_unchanged_by_corpus_mode() {
    let plain = stdout(copylint().args(["check", "--isolated", "--format", "jsonl", FEED]));
    let corpus =
        stdout(copylint().args(["check", "--isolated", "--corpus", "--format", "jsonl", FEED]));
    let without_corpus_rules: Vec<&str> = corpus
        .lines()
        .filter(|l| {
            !l.contains("\"rule\":\"site-boilerplate\"")
                && !l.contains("\"rule\":\"duplicate-document\"")
        })
        .collect();
    assert_eq!(plain.lines().collect::<Vec<_>>(), without_corpus_rules);
}

#[test]
fn standard_input_is_kept_for_the_second_pass() {
    let file = stdout(copylint().args([
        "check",
        "--isolated",
        "--corpus",
        "--select",
        CORPUS_RULES,
        "--format",
        "concise",
        FEED,
    ]));
    let stdin = stdout(
        copylint()
            .args([
                "check",
                "--isolated",
                "--corpus",
                "--select",
                CORPUS_RULES,
                "--format",
                "concise",
                "--stdin-filename",
                FEED,
                "-",
            ])
            .write_stdin(fs::read(root().join(FEED)).unwrap()),
    );
    assert_eq!(file, stdin);
}

#[test]
fn files_group_by_their_directory() {
    let dir = tempfile::tempdir().unwrap();
    let footer = "Subscribe to our newsletter\n\n© 2025 Example Media. All rights reserved.\n";
    for i in 0..5 {
        write(
            dir.path(),
            &format!("example/page{i}.txt"),
            &format!(
                "Article number {i} has its own headline\n\nIts own body, with words of page {i}.\n\n{footer}"
            ),
        );
    }
    // Another site with the same footer on fewer than 5 pages: below the threshold.
    for i in 0..3 {
        write(
            dir.path(),
            &format!("other/page{i}.txt"),
            &format!("Other article {i}\n\n{footer}"),
        );
    }
    let out = stdout(copylint().current_dir(dir.path()).args([
        "check",
        "--isolated",
        "--corpus",
        "--select",
        "site-boilerplate",
        "--format",
        "concise",
        ".",
    ]));
    insta::assert_snapshot!(out, @r"
    example/page0.txt:5:1: warning[site-boilerplate] Site boilerplate: appears in 5 of 5 pages of example
    example/page0.txt:7:1: warning[site-boilerplate] Site boilerplate: appears in 5 of 5 pages of example
    example/page1.txt:5:1: warning[site-boilerplate] Site boilerplate: appears in 5 of 5 pages of example
    example/page1.txt:7:1: warning[site-boilerplate] Site boilerplate: appears in 5 of 5 pages of example
    example/page2.txt:5:1: warning[site-boilerplate] Site boilerplate: appears in 5 of 5 pages of example
    example/page2.txt:7:1: warning[site-boilerplate] Site boilerplate: appears in 5 of 5 pages of example
    example/page3.txt:5:1: warning[site-boilerplate] Site boilerplate: appears in 5 of 5 pages of example
    example/page3.txt:7:1: warning[site-boilerplate] Site boilerplate: appears in 5 of 5 pages of example
    example/page4.txt:5:1: warning[site-boilerplate] Site boilerplate: appears in 5 of 5 pages of example
    example/page4.txt:7:1: warning[site-boilerplate] Site boilerplate: appears in 5 of 5 pages of example
    ");
    // One group for everything: the footer is on 8 of 8 pages.
    let out = stdout(copylint().current_dir(dir.path()).args([
        "check",
        "--isolated",
        "--corpus",
        "--group-by",
        "none",
        "--select",
        "site-boilerplate",
        "--format",
        "concise",
        ".",
    ]));
    assert_eq!(
        out.matches("appears in 8 of 8 pages\n").count(),
        16,
        "{out}"
    );
}

#[test]
fn thresholds_and_severity_come_from_the_config() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "copylint.toml",
        "[rules.site-boilerplate]\nseverity = \"error\"\nmin-docs = 2\nmin-ratio = 0.5\n",
    );
    for i in 0..4 {
        let chrome = if i < 2 { "Sign in\n\n" } else { "" };
        write(
            dir.path(),
            &format!("site/p{i}.txt"),
            &format!("{chrome}Story {i} is about something else entirely.\n"),
        );
    }
    let out = stdout(copylint().current_dir(dir.path()).args([
        "check",
        "--corpus",
        "--select",
        "site-boilerplate",
        "--format",
        "concise",
        "site",
    ]));
    insta::assert_snapshot!(out, @r"
    site/p0.txt:1:1: error[site-boilerplate] Site boilerplate: appears in 2 of 4 pages of site
    site/p1.txt:1:1: error[site-boilerplate] Site boilerplate: appears in 2 of 4 pages of site
    ");
}

#[test]
fn signatures_are_one_line_per_record_with_hex_hashes() {
    let out = stdout(copylint().args(["signatures", "--isolated", FEED]));
    let records: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 10);
    let first = &records[0];
    assert_eq!(first["v"], 1);
    assert_eq!(first["doc"], "tests/fixtures/corpus/feed.jsonl:inc-1");
    assert_eq!(first["input"], "tests/fixtures/corpus/feed.jsonl");
    assert_eq!(first["line"], 1);
    assert_eq!(first["group"], "internewscast.com");
    let bands = first["bands"].as_array().unwrap();
    assert_eq!(bands.len(), 14);
    assert!(bands[3].as_str().unwrap().starts_with("03:"));
    let hex = |v: &serde_json::Value, len: usize| {
        v.as_str()
            .is_some_and(|s| s.len() == len && s.chars().all(|c| c.is_ascii_hexdigit()))
    };
    assert!(
        first["lines"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| hex(k, 16))
    );
    assert!(
        first["shingles"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| hex(k, 8))
    );
    assert!(hex(&first["exact"], 16));
    // Equal texts (after folding) have equal exact hashes.
    assert_eq!(records[6]["exact"], records[8]["exact"]);
    let again = stdout(copylint().args(["signatures", "--isolated", "-j", "1", FEED]));
    assert_eq!(out, again);
}

#[test]
fn a_slice_of_a_file_on_stdin_is_numbered_as_in_the_file() {
    let feed = fs::read_to_string(root().join(FEED)).unwrap();
    let offset = feed.find("\n{\"id\": \"inc-3\"").unwrap() + 1;
    let all = stdout(copylint().args(["signatures", "--isolated", FEED]));
    let slice = stdout(
        copylint()
            .args([
                "signatures",
                "--isolated",
                "--stdin-filename",
                FEED,
                "--first-line",
                "3",
                "--first-byte",
                &offset.to_string(),
                "-",
            ])
            .write_stdin(&feed[offset..]),
    );
    assert_eq!(
        slice,
        all.lines()
            .skip(2)
            .map(|l| format!("{l}\n"))
            .collect::<String>()
    );
}

#[test]
fn corpus_report_reads_back_what_the_corpus_pass_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let check = stdout(copylint().args([
        "check",
        "--isolated",
        "--corpus",
        "--format",
        "jsonl",
        "--write-corpus",
        index.to_str().unwrap(),
        FEED,
    ]));
    let counts = fs::read_to_string(index.join("counts.jsonl")).unwrap();
    assert!(
        counts.contains("{\"group\":\"internewscast.com\",\"key\":null,\"docs\":6}"),
        "{counts}"
    );
    // The group, and six blocks: the share line (twice a page), the heading, 4 teasers.
    assert_eq!(counts.matches("\"docs\":6}").count(), 1 + 6);
    let clusters = fs::read_to_string(index.join("clusters.jsonl")).unwrap();
    assert_eq!(clusters.lines().count(), 2, "{clusters}");
    let report = stdout(copylint().args([
        "corpus-report",
        "--isolated",
        "--counts",
        index.join("counts.jsonl").to_str().unwrap(),
        "--clusters",
        index.join("clusters.jsonl").to_str().unwrap(),
        "--format",
        "jsonl",
        FEED,
    ]));
    assert_eq!(check, report);
}

#[test]
fn corpus_mode_refuses_fixes_and_bad_groupings() {
    copylint()
        .args(["check", "--isolated", "--corpus", "--fix", FEED])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--corpus cannot be combined with --fix",
        ));
    copylint()
        .args([
            "check",
            "--isolated",
            "--corpus",
            "--group-by",
            "host",
            FEED,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown grouping `host`"));
    copylint()
        .args([
            "corpus-report",
            "--isolated",
            "--counts",
            "no/such/file.jsonl",
            FEED,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/file.jsonl"));
}

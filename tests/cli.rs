//! End-to-end tests of the `copylint` binary: every CLI path, exit code and bad input.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

const SEED: &str = "seeds/000_db6636acdd834bc4.txt";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `copylint` run from the repository root, without any user config.
fn copylint() -> Command {
    let mut cmd = Command::cargo_bin("copylint").expect("binary is built");
    cmd.current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("RAYON_NUM_THREADS");
    cmd
}

/// `copylint` run inside `dir`.
fn copylint_in(dir: &Path) -> Command {
    let mut cmd = copylint();
    cmd.current_dir(dir);
    cmd
}

fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().expect("runs").stdout).expect("utf-8 output")
}

fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&path, contents).unwrap();
    path
}

// ---- the seed ----------------------------------------------------------------

#[test]
fn seed_human_output() {
    let out = stdout(copylint().args(["check", "--isolated", SEED]));
    insta::assert_snapshot!("seed_human", out);
}

#[test]
fn seed_concise_output() {
    let out = stdout(copylint().args(["check", "--isolated", "--format", "concise", SEED]));
    insta::assert_snapshot!("seed_concise", out);
}

#[test]
fn seed_json_output() {
    let out = stdout(copylint().args(["check", "--isolated", "--format", "json", SEED]));
    insta::assert_snapshot!("seed_json", out);
}

#[test]
fn seed_findings_are_at_the_expected_lines_and_rules() {
    let out = stdout(copylint().args(["check", "--isolated", "--format", "json", SEED]));
    let findings: serde_json::Value = serde_json::from_str(&out).unwrap();
    let got: Vec<(u64, &str)> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["rule"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, "inconsistent-spelling"),
            (2, "boilerplate-line"),
            (20, "inconsistent-quotes"),
            (22, "duplicate-paragraph"),
            (26, "duplicate-paragraph"),
            (30, "duplicate-paragraph"),
            (32, "joined-words"),
            (34, "duplicate-paragraph"),
            (34, "joined-words"),
            (34, "dash-in-compound"),
            (34, "inconsistent-dash"),
            (36, "inconsistent-quotes"),
            (38, "duplicate-paragraph"),
            (44, "trailing-whitespace"),
            (48, "dash-in-compound"),
            (50, "dash-in-compound"),
            (50, "inconsistent-spelling"),
            (52, "duplicate-paragraph"),
            (52, "trailing-whitespace"),
            (56, "trailing-whitespace"),
            (60, "double-dash"),
            (66, "dash-in-compound"),
            (66, "inconsistent-spelling"),
            (80, "inconsistent-spelling"),
            (82, "boilerplate-line"),
            (83, "related-links-block"),
            (97, "unbalanced-quotes"),
        ]
    );
    // The "You May Also Like" block runs to the last teaser, the last line of the file.
    let block = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "related-links-block")
        .unwrap();
    assert_eq!(block["end_line"], 115);
}

#[test]
fn json_follows_the_documented_contract() {
    let out = stdout(copylint().args(["check", "--isolated", "--format", "json", SEED]));
    assert!(
        out.starts_with("[\n{\"path\":"),
        "fields are written in the documented order"
    );
    let findings: serde_json::Value = serde_json::from_str(&out).unwrap();
    let seed = fs::read(root().join(SEED)).unwrap();
    for f in findings.as_array().unwrap() {
        let mut keys: Vec<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort();
        let mut want = vec![
            "path",
            "rule",
            "severity",
            "message",
            "line",
            "column",
            "end_line",
            "end_column",
            "span",
            "labels",
            "help",
            "fix",
        ];
        want.sort();
        assert_eq!(keys, want);
        let (start, end) = (
            f["span"]["start"].as_u64().unwrap() as usize,
            f["span"]["end"].as_u64().unwrap() as usize,
        );
        assert!(start < end && end <= seed.len());
        let fix = &f["fix"];
        assert!(
            fix.is_null() || fix["applicability"] == "safe" || fix["applicability"] == "unsafe"
        );
        if f["rule"] == "trailing-whitespace" {
            // The span is the NBSP, in bytes of the file.
            assert_eq!(&seed[start..end], "\u{a0}".as_bytes());
            assert_eq!(fix["edits"][0]["replacement"], "");
        }
    }
}

#[test]
fn seed_exits_1_and_prints_a_summary() {
    copylint()
        .args(["check", "--isolated", SEED])
        .assert()
        .code(1)
        .stderr("27 findings (26 fixable) in 1 file\n");
}

#[test]
fn the_readme_command_checks_the_seeds_directory() {
    copylint()
        .args(["check", "seeds/"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("boilerplate-line"))
        .stdout(predicate::str::contains(
            "[seeds/000_db6636acdd834bc4.txt:44:119]",
        ));
}

// ---- exit codes and summary ----------------------------------------------------

#[test]
fn clean_text_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "clean.txt",
        "A clean paragraph.\n\nAnother one.\n",
    );
    copylint_in(dir.path())
        .args(["check", "clean.txt"])
        .assert()
        .code(0)
        .stdout("")
        .stderr("0 findings (0 fixable) in 1 file\n");
}

#[test]
fn quiet_silences_the_summary_but_not_the_findings() {
    copylint()
        .args([
            "check",
            "--isolated",
            "--quiet",
            "--format",
            "concise",
            SEED,
        ])
        .assert()
        .code(1)
        .stderr("")
        .stdout(predicate::str::contains("trailing-whitespace"));
}

// ---- bad input -----------------------------------------------------------------

#[test]
fn a_missing_path_is_an_error_but_the_other_inputs_are_checked() {
    copylint()
        .args([
            "check",
            "--isolated",
            "--format",
            "concise",
            "no/such/file.txt",
            SEED,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no/such/file.txt: No such file or directory",
        ))
        .stderr(predicate::str::contains(
            "27 findings (26 fixable) in 1 file; 1 input could not be read",
        ))
        .stdout(predicate::str::contains(
            "seeds/000_db6636acdd834bc4.txt:2:1",
        ));
}

#[test]
fn invalid_utf8_names_the_path_line_and_byte() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "bad.txt",
        b"fine\nstill fine\ncaf\xe9 au lait\n",
    );
    write(dir.path(), "good.txt", "trailing \n");
    copylint_in(dir.path())
        .args(["check", "--format", "concise", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.txt:3: not valid UTF-8 at byte 19",
        ))
        .stdout("good.txt:1:9: warning[trailing-whitespace] Trailing whitespace\n");
}

#[test]
fn a_binary_file_is_skipped_in_a_walk_and_an_error_when_named() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "image.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    );
    write(dir.path(), "ok.txt", "fine\n");
    copylint_in(dir.path())
        .args(["check", "."])
        .assert()
        .code(0)
        .stderr("0 findings (0 fixable) in 1 file\n");
    copylint_in(dir.path())
        .args(["check", "image.txt", "ok.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "image.txt: binary file (NUL byte at offset 8), not checked",
        ));
}

#[test]
fn a_file_path_used_as_a_directory_is_an_error() {
    copylint()
        .args(["check", "--isolated", &format!("{SEED}/")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Not a directory"));
}

#[test]
fn a_directory_given_as_config_is_an_error() {
    copylint()
        .args(["check", "--config", "seeds", SEED])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("seeds: is a directory"));
}

#[test]
fn empty_files_and_files_of_only_carriage_returns_are_fine() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "empty.txt", "");
    write(dir.path(), "cr.txt", "\r\r\r\r");
    copylint_in(dir.path())
        .args(["check", "."])
        .assert()
        .code(0)
        .stderr("0 findings (0 fixable) in 2 files\n");
}

#[test]
fn a_single_huge_line_is_checked_and_reported_in_a_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut line = "word ".repeat(1_000_000); // 5 MB, one line
    line.push_str("end  of line \n");
    write(dir.path(), "huge.txt", &line);
    let output = copylint_in(dir.path())
        .args(["check", "huge.txt"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let out = String::from_utf8(output.stdout).unwrap();
    assert!(
        out.contains("[huge.txt:1:5000004]"),
        "{}",
        &out[..out.len().min(500)]
    );
    // The snippet is a window, not the 5 MB line.
    assert!(out.len() < 4_000, "report is {} bytes", out.len());
}

#[test]
fn a_bom_and_crlf_keep_columns_and_file_offsets_true() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bom.txt", b"\xEF\xBB\xBFfirst \r\nsecond\r\n");
    let out = stdout(copylint_in(dir.path()).args(["check", "--format", "json", "bom.txt"]));
    let findings: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(findings[0]["line"], 1);
    assert_eq!(findings[0]["column"], 6);
    assert_eq!(findings[0]["span"]["start"], 8);
    assert_eq!(findings[0]["span"]["end"], 9);
}

// ---- stdin ---------------------------------------------------------------------

#[test]
fn stdin_is_read_with_a_name() {
    copylint()
        .args(["check", "--isolated", "--format", "concise", "--stdin-filename", "article.txt", "-"])
        .write_stdin("Share this @example.com\nBody text.\n")
        .assert()
        .code(1)
        .stdout("article.txt:1:1: warning[boilerplate-line] Share button text in article text: \"Share this @example.com\"\n");
}

// ---- directory walking ---------------------------------------------------------

#[test]
fn walks_text_and_markdown_honouring_gitignore_in_path_order() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "b.txt",
        "a.md",
        "c.markdown",
        "skip.csv",
        "e.html",
        "ignored/x.txt",
        "sub/d.txt",
    ] {
        write(dir.path(), name, "a\u{200b}b\n");
    }
    write(dir.path(), ".gitignore", "ignored/\n");
    let out = stdout(copylint_in(dir.path()).args(["check", "--format", "concise"]));
    let files: Vec<&str> = out.lines().map(|l| l.split(':').next().unwrap()).collect();
    assert_eq!(
        files,
        vec!["a.md", "b.txt", "c.markdown", "e.html", "sub/d.txt"]
    );
}

#[test]
fn output_is_identical_with_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let seed = fs::read(root().join(SEED)).unwrap();
    for i in 0..40 {
        write(dir.path(), &format!("doc{i:02}.txt"), &seed);
        write(
            dir.path(),
            &format!("small{i:02}.txt"),
            format!("line {i}  here \n"),
        );
    }
    let run = |threads: &str| {
        copylint_in(dir.path())
            .env("RAYON_NUM_THREADS", threads)
            .args(["check", "--format", "json", "."])
            .output()
            .unwrap()
            .stdout
    };
    let one = run("1");
    assert!(!one.is_empty());
    assert_eq!(one, run("2"));
    assert_eq!(one, run("4"));
}

// ---- explain-drop -------------------------------------------------------------------

#[test]
fn explain_drop_shows_every_filter_on_the_seed() {
    let out = stdout(copylint().args(["explain-drop", "--isolated", SEED]));
    insta::assert_snapshot!("explain_drop_seed", out);
}

#[test]
fn explain_drop_json_has_one_object_per_record() {
    let dir = tempfile::tempdir().unwrap();
    let seed = fs::read_to_string(root().join(SEED)).unwrap();
    let records = [
        serde_json::json!({"id": "seed", "text": seed}),
        serde_json::json!({"id": "menu", "text": "- Home\n- News\n- Sport\n"}),
        serde_json::json!({"id": "empty", "text": ""}),
    ];
    let lines: Vec<String> = records.iter().map(|r| r.to_string()).collect();
    write(dir.path(), "pages.jsonl", lines.join("\n") + "\n");
    let out = stdout(copylint_in(dir.path()).args([
        "explain-drop",
        "--isolated",
        "--format",
        "json",
        "pages.jsonl",
    ]));
    let docs: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let by: Vec<(&str, Vec<&str>)> = docs
        .iter()
        .map(|d| {
            let by = d["dropped_by"].as_array().unwrap();
            (
                d["record"].as_str().unwrap(),
                by.iter().map(|f| f.as_str().unwrap()).collect(),
            )
        })
        .collect();
    assert_eq!(
        by,
        vec![
            ("seed", vec!["fineweb-quality"]),
            (
                "menu",
                vec![
                    "gopher-quality",
                    "gopher-repetition",
                    "c4-quality",
                    "fineweb-quality"
                ]
            ),
            (
                "empty",
                vec![
                    "gopher-quality",
                    "gopher-repetition",
                    "c4-quality",
                    "fineweb-quality"
                ]
            ),
        ]
    );
    let fineweb = &docs[0]["filters"][3];
    assert_eq!(fineweb["filter"], "fineweb-quality");
    let dup = &fineweb["checks"][2];
    assert_eq!(dup["reason"], "char_dup_ratio");
    assert_eq!(dup["fails"], true);
    assert_eq!(dup["threshold"], 0.01);
    let marks: Vec<(u64, &str)> = dup["evidence"]["marks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["line"].as_u64().unwrap(), m["note"].as_str().unwrap()))
        .collect();
    assert_eq!(
        marks,
        vec![
            (26, "repeats line 24"),
            (30, "repeats line 28"),
            (82, "repeats line 2")
        ]
    );
}

#[test]
fn explain_drop_uses_the_configured_thresholds() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "copylint.toml",
        "[rules.fineweb-quality]\nchar-duplicates-ratio = 0.05\n",
    );
    fs::copy(root().join(SEED), dir.path().join("seed.txt")).unwrap();
    let out = stdout(copylint_in(dir.path()).args(["explain-drop", "seed.txt"]));
    assert!(out.starts_with("seed.txt: kept by every filter\n"), "{out}");
    assert!(
        out.contains("duplicate-line characters           0.042 ≤ 0.05"),
        "{out}"
    );
    write(
        dir.path(),
        "copylint.toml",
        "[rules.c4-quality]\nmin-sentences = 3\n",
    );
    copylint_in(dir.path())
        .args(["explain-drop", "seed.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "copylint.toml:2:1: invalid option for rule `c4-quality`",
        ));
}

// ---- selection -------------------------------------------------------------------

#[test]
fn select_ignore_and_extend_select_take_rules_and_groups() {
    let concise = |args: &[&str]| {
        let mut cmd = copylint();
        cmd.args(["check", "--isolated", "--format", "concise"])
            .args(args)
            .arg(SEED);
        stdout(&mut cmd)
    };
    let only_boilerplate = concise(&["--select", "boilerplate"]);
    assert_eq!(only_boilerplate.lines().count(), 3);
    assert!(
        only_boilerplate
            .lines()
            .all(|l| l.contains("[boilerplate-line]") || l.contains("[related-links-block]"))
    );
    let no_whitespace = concise(&[
        "--ignore",
        "whitespace,typography,duplication,spelling,consistency,unicode",
    ]);
    assert_eq!(no_whitespace, only_boilerplate);
    let typography = concise(&["--select", "typography"]);
    assert_eq!(typography.lines().count(), 9);
    for rule in [
        "dash-in-compound",
        "double-dash",
        "inconsistent-dash",
        "inconsistent-quotes",
        "unbalanced-quotes",
    ] {
        assert!(
            typography.contains(&format!("[{rule}]")),
            "{rule}: {typography}"
        );
    }
    let both = concise(&[
        "--select",
        "trailing-whitespace",
        "--extend-select",
        "boilerplate-line",
    ]);
    assert_eq!(both.lines().count(), 5);
}

#[test]
fn the_quality_group_is_off_until_selected() {
    let concise = |args: &[&str]| {
        let mut cmd = copylint();
        cmd.args(["check", "--isolated", "--format", "concise"])
            .args(args)
            .arg(SEED);
        stdout(&mut cmd)
    };
    assert!(!concise(&[]).contains("quality]"));
    assert_eq!(
        concise(&["--select", "quality"]),
        format!(
            "{SEED}:1:1: info[c4-quality] C4 filter would keep the page but remove 35 of 59 lines \
             (35 without terminal punctuation)\n\
             {SEED}:1:1: warning[fineweb-quality] FineWeb quality filter would drop the page: \
             duplicate-line characters 0.042 > 0.01 (3 repeated lines)\n"
        )
    );
}

#[test]
fn fineweb_quality_labels_the_repeated_captions_of_the_seed() {
    let out = stdout(copylint().args(["check", "--isolated", "--select", "fineweb-quality", SEED]));
    insta::assert_snapshot!("seed_fineweb_quality", out);
}

#[test]
fn quality_thresholds_are_rule_options() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "copylint.toml",
        "select = [\"quality\"]\n[rules.fineweb-quality]\nchar-duplicates-ratio = 0.05\n\
         [rules.c4-quality]\nreport-removed-lines = false\n",
    );
    fs::copy(root().join(SEED), dir.path().join("seed.txt")).unwrap();
    copylint_in(dir.path())
        .args(["check", "seed.txt"])
        .assert()
        .code(0);
    write(
        dir.path(),
        "copylint.toml",
        "[rules.gopher-repetition]\ntop-n-grams = 3\n",
    );
    copylint_in(dir.path())
        .args(["check", "seed.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "copylint.toml:2:15: invalid option for rule `gopher-repetition`",
        ));
}

#[test]
fn an_unknown_rule_suggests_the_closest_name() {
    copylint()
        .args([
            "check",
            "--isolated",
            "--select",
            "trailing-whitespce",
            SEED,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown rule or group `trailing-whitespce`; did you mean `trailing-whitespace`?",
        ));
}

// ---- configuration ---------------------------------------------------------------

#[test]
fn config_is_discovered_from_parent_directories() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "copylint.toml",
        "ignore = [\"trailing-whitespace\"]\n",
    );
    write(dir.path(), "articles/a.txt", "text \n");
    copylint_in(&dir.path().join("articles"))
        .args(["check", "a.txt"])
        .assert()
        .code(0);
    copylint_in(&dir.path().join("articles"))
        .args(["check", "--isolated", "a.txt"])
        .assert()
        .code(1);
}

#[test]
fn config_severity_overrides_and_rule_options_apply() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "copylint.toml",
        "[rules.double-space]\nseverity = \"error\"\nignore-after-sentence = true\n",
    );
    write(dir.path(), "a.txt", "One.  Two  three.\n");
    copylint_in(dir.path())
        .args(["check", "--format", "concise", "a.txt"])
        .assert()
        .code(1)
        .stdout("a.txt:1:10: error[double-space] 2 spaces between words\n");
}

#[test]
fn a_malformed_config_is_an_error_with_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "copylint.toml",
        "select = [\"whitespace\"]\nselct = []\n",
    );
    write(dir.path(), "a.txt", "x\n");
    copylint_in(dir.path())
        .args(["check", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "copylint.toml:2:1: invalid config: unknown field `selct`",
        ));
}

#[test]
fn exclude_globs_skip_files_during_a_walk() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "copylint.toml",
        "exclude = [\"drafts/\", \"*.tmp.txt\"]\n",
    );
    write(dir.path(), "drafts/a.txt", "x \n");
    write(dir.path(), "b.tmp.txt", "x \n");
    write(dir.path(), "c.txt", "x \n");
    let out = stdout(copylint_in(dir.path()).args(["check", "--format", "concise", "."]));
    assert_eq!(
        out,
        "c.txt:1:2: warning[trailing-whitespace] Trailing whitespace\n"
    );
}

#[test]
fn user_packs_add_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "copylint.toml", "packs = [\"house.toml\"]\n");
    write(
        dir.path(),
        "house.toml",
        "[pack]\nname = \"house\"\nrule = \"house-spelling\"\ngroup = \"house\"\n\n[[rule]]\nkind = \"substitution\"\n\
         fix = \"safe\"\nmessage = \"Write \\\"{replacement}\\\", not \\\"{match}\\\"\"\nswap = { \"e-mail\" = \"email\" }\n",
    );
    write(dir.path(), "a.txt", "Send an E-mail today.\n");
    copylint_in(dir.path())
        .args(["check", "--format", "concise", "a.txt"])
        .assert()
        .code(1)
        .stdout("a.txt:1:9: warning[house-spelling] Write \"Email\", not \"E-mail\"\n");
    copylint_in(dir.path())
        .args(["rules"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("house-spelling"));
}

#[test]
fn a_malformed_pack_points_at_its_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "copylint.toml", "packs = [\"house.toml\"]\n");
    write(
        dir.path(),
        "house.toml",
        "[pack]\nname = \"house\"\nrule = \"house-word\"\n\n[[rule]]\nkind = \"existence\"\nmessage = \"m\"\npatterns = [\"a(b\"]\n",
    );
    write(dir.path(), "a.txt", "x\n");
    copylint_in(dir.path())
        .args(["check", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("house.toml:8:13: invalid regex"));
}

// ---- rules, rule, version ----------------------------------------------------------

#[test]
fn rules_json_lists_every_rule_with_its_metadata() {
    let out = stdout(copylint().args(["rules", "--isolated", "--format", "json"]));
    let rules: serde_json::Value = serde_json::from_str(&out).unwrap();
    let names: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec![
            "boilerplate-line",
            "c4-quality",
            "dash-in-compound",
            "double-dash",
            "double-space",
            "duplicate-document",
            "duplicate-paragraph",
            "ellipsis",
            "fineweb-quality",
            "gopher-quality",
            "gopher-repetition",
            "inconsistent-dash",
            "inconsistent-quotes",
            "inconsistent-spelling",
            "invisible-character",
            "joined-words",
            "misspelling",
            "mojibake",
            "related-links-block",
            "repeated-word",
            "site-boilerplate",
            "trailing-whitespace",
            "unbalanced-quotes",
            "unused-suppression",
        ]
    );
    for rule in rules.as_array().unwrap() {
        for key in [
            "name",
            "group",
            "default_severity",
            "fix",
            "summary",
            "docs",
            "default_enabled",
            "origin",
        ] {
            assert!(rule.get(key).is_some(), "{} lacks {key}", rule["name"]);
        }
        assert!(
            rule["docs"].as_str().unwrap().contains("```"),
            "{} docs need an example",
            rule["name"]
        );
    }
}

#[test]
fn rules_human_is_a_table() {
    let out = stdout(copylint().args(["rules", "--isolated"]));
    insta::assert_snapshot!("rules_table", out);
}

#[test]
fn rule_prints_docs_with_bad_and_good_examples() {
    let out = stdout(copylint().args(["rule", "--isolated", "trailing-whitespace"]));
    insta::assert_snapshot!("rule_trailing_whitespace", out);
    let pack_rule = stdout(copylint().args(["rule", "--isolated", "boilerplate-line"]));
    assert!(
        pack_rule.contains("## Flagged\n```text\nShare this @internewscast.com"),
        "{pack_rule}"
    );
    assert!(pack_rule.contains("## Not flagged"));
}

#[test]
fn rule_with_an_unknown_name_suggests_one() {
    copylint()
        .args(["rule", "--isolated", "double-spaces"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `double-space`?"));
}

#[test]
fn version_is_printed() {
    copylint()
        .arg("--version")
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("copylint "));
}

#[test]
fn usage_errors_exit_2() {
    copylint()
        .args(["check", "--format", "yaml"])
        .assert()
        .code(2);
    copylint().arg("lint").assert().code(2);
}

#[test]
fn color_always_adds_ansi_escapes_and_never_removes_them() {
    let colored = stdout(copylint().args(["check", "--isolated", "--color", "always", SEED]));
    assert!(colored.contains('\u{1b}'));
    let plain = stdout(copylint().args(["check", "--isolated", "--color", "never", SEED]));
    assert!(!plain.contains('\u{1b}'));
}

#[test]
fn unused_suppression_flags_comments_that_suppress_nothing_and_only_those() {
    let out = stdout(copylint().args([
        "check",
        "--isolated",
        "--format",
        "concise",
        "tests/fixtures/unused-suppression/flagged.md",
    ]));
    assert_eq!(
        out,
        "tests/fixtures/unused-suppression/flagged.md:7:1: info[unused-suppression] Unused suppression on line 6: `copylint-disable-next-line double-space` suppresses nothing\n\
         tests/fixtures/unused-suppression/flagged.md:11:1: info[unused-suppression] Suppression on line 9 names an unknown rule `nosuch-rule`\n"
    );
    // Every suppression in the clean file hides a real finding: nothing is reported.
    copylint()
        .args([
            "check",
            "--isolated",
            "tests/fixtures/unused-suppression/clean.md",
        ])
        .assert()
        .code(0);
}

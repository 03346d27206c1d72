//! `--fix`, `--unsafe-fixes`, `--diff`, suppressions, per-file ignores and baselines.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

const SEED: &str = "seeds/000_db6636acdd834bc4.txt";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copylint_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("copylint").expect("binary is built");
    cmd.current_dir(dir).env_remove("NO_COLOR");
    cmd
}

fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().expect("runs").stdout).expect("utf-8")
}

/// A temporary directory holding a copy of the seed as `seed.txt`, and a config that
/// selects a fixed set of rules, so these tests of the fix machinery do not change each
/// time a rule is added.
fn seed_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    // A copy, writable whatever the checkout's permissions.
    fs::write(
        dir.path().join("seed.txt"),
        fs::read(root().join(SEED)).unwrap(),
    )
    .unwrap();
    fs::write(
        dir.path().join("copylint.toml"),
        "select = [\"trailing-whitespace\", \"double-space\", \"invisible-character\", \"boilerplate-line\", \"unused-suppression\"]\n",
    )
    .unwrap();
    dir
}

#[test]
fn fix_applies_safe_fixes_and_a_second_fix_changes_nothing() {
    let dir = seed_dir();
    let seed = fs::read_to_string(dir.path().join("seed.txt")).unwrap();
    let output = copylint_in(dir.path())
        .args(["check", "--fix", "--format", "concise", "seed.txt"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "findings without a safe fix remain"
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("fixed 3 findings in 1 file;"),
        "{stderr}"
    );
    let fixed = fs::read_to_string(dir.path().join("seed.txt")).unwrap();
    assert!(!fixed.contains('\u{a0}'));
    assert_eq!(fixed.lines().count(), seed.lines().count());
    // Only the NBSPs went: every other byte is as it was.
    assert_eq!(fixed, seed.replace('\u{a0}', ""));
    let remaining = String::from_utf8(output.stdout).unwrap();
    assert!(
        remaining
            .lines()
            .all(|l| !l.contains("trailing-whitespace")),
        "{remaining}"
    );

    let modified = fs::metadata(dir.path().join("seed.txt"))
        .unwrap()
        .modified()
        .unwrap();
    copylint_in(dir.path())
        .args(["check", "--fix", "seed.txt"])
        .assert()
        .stderr(predicate::str::starts_with("fixed 0 findings in 0 files;"));
    assert_eq!(
        fs::read_to_string(dir.path().join("seed.txt")).unwrap(),
        fixed
    );
    let untouched = fs::metadata(dir.path().join("seed.txt"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(
        modified, untouched,
        "a file with nothing to fix is not rewritten"
    );
}

#[test]
fn diff_shows_what_fix_would_do_and_writes_nothing() {
    let dir = seed_dir();
    let before = fs::read(dir.path().join("seed.txt")).unwrap();
    let output = copylint_in(dir.path())
        .args(["check", "--diff", "--unsafe-fixes", "seed.txt"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "exit 1 when there is a diff");
    let diff = String::from_utf8(output.stdout).unwrap();
    assert!(
        diff.starts_with("--- a/seed.txt\n+++ b/seed.txt\n"),
        "{diff}"
    );
    assert!(
        diff.contains("\n-Share this @internewscast.com\n"),
        "unsafe fixes are in the diff"
    );
    assert!(
        diff.contains("simply swap more intelligence.\u{a0}\n+"),
        "{diff}"
    );
    assert_eq!(fs::read(dir.path().join("seed.txt")).unwrap(), before);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("would fix 5 findings in 1 file;"),
        "{stderr}"
    );
    // Nothing to fix: no diff, exit 0.
    fs::write(dir.path().join("clean.txt"), "Clean.\n").unwrap();
    copylint_in(dir.path())
        .args(["check", "--diff", "clean.txt"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn unsafe_fixes_apply_only_when_asked() {
    let dir = seed_dir();
    copylint_in(dir.path())
        .args(["check", "--fix", "seed.txt"])
        .assert()
        .code(1);
    assert!(
        fs::read_to_string(dir.path().join("seed.txt"))
            .unwrap()
            .contains("Share this @internewscast.com")
    );
    copylint_in(dir.path())
        .args(["check", "--fix", "--unsafe-fixes", "seed.txt"])
        .assert()
        .code(0);
    assert!(
        !fs::read_to_string(dir.path().join("seed.txt"))
            .unwrap()
            .contains("Share this")
    );
    copylint_in(dir.path())
        .args(["check", "--unsafe-fixes", "seed.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--unsafe-fixes needs --fix or --diff",
        ));
}

#[test]
fn crlf_and_a_bom_are_preserved() {
    let dir = seed_dir();
    let path = dir.path().join("crlf.txt");
    fs::write(&path, b"\xEF\xBB\xBFFirst line \r\nSecond  line\r\n").unwrap();
    copylint_in(dir.path())
        .args(["check", "--fix", "crlf.txt"])
        .assert()
        .code(0);
    assert_eq!(
        fs::read(&path).unwrap(),
        b"\xEF\xBB\xBFFirst line\r\nSecond line\r\n"
    );
}

#[test]
fn jsonl_fixes_touch_only_the_text_field() {
    let dir = seed_dir();
    let path = dir.path().join("d.jsonl");
    let original = "{\"id\": \"a\", \"text\": \"x\\u00a0\", \"meta\": {\"k\": [1, 2.50, \"\\u00a0\"]}}\n\
                    {\"text\": \"clean\", \"id\": \"b\"}\n\
                    not json at all\n\
                    {\"id\": \"c\", \"text\": \"a  b\\nend \"}\n";
    fs::write(&path, original).unwrap();
    copylint_in(dir.path())
        .args(["check", "--fix", "d.jsonl"])
        .assert()
        .code(2);
    let fixed = fs::read_to_string(&path).unwrap();
    assert_eq!(
        fixed,
        "{\"id\": \"a\", \"text\": \"x\", \"meta\": {\"k\": [1, 2.50, \"\\u00a0\"]}}\n\
         {\"text\": \"clean\", \"id\": \"b\"}\n\
         not json at all\n\
         {\"id\": \"c\", \"text\": \"a b\\nend\"}\n"
    );
}

#[test]
fn html_fixes_edit_the_source_and_non_utf8_pages_are_refused() {
    let dir = seed_dir();
    let page = dir.path().join("p.html");
    fs::write(&page, "<p>Tom&nbsp;</p>\n<p>a&nbsp; <b>b</b></p>\n").unwrap();
    copylint_in(dir.path())
        .args(["check", "--fix", "p.html"])
        .assert()
        .code(0);
    assert_eq!(
        fs::read_to_string(&page).unwrap(),
        "<p>Tom</p>\n<p>a <b>b</b></p>\n"
    );

    let latin = dir.path().join("latin.html");
    fs::write(&latin, b"<meta charset=iso-8859-1><p>caf\xe9\xa0</p>").unwrap();
    copylint_in(dir.path())
        .args(["check", "--fix", "latin.html"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "not fixed: the file is not UTF-8 (decoded as windows-1252)",
        ));
    assert_eq!(
        fs::read(&latin).unwrap(),
        b"<meta charset=iso-8859-1><p>caf\xe9\xa0</p>"
    );
}

#[test]
fn fix_on_stdin_writes_the_fixed_text_to_stdout() {
    Command::cargo_bin("copylint")
        .unwrap()
        .args(["check", "--isolated", "--fix", "-"])
        .write_stdin("one  two \nthree\u{200b}\n")
        .assert()
        .code(0)
        .stdout("one two\nthree\n");
}

#[test]
fn a_read_only_file_is_not_fixed_and_says_why() {
    use std::os::unix::fs::PermissionsExt;
    let dir = seed_dir();
    let path = dir.path().join("seed.txt");
    let before = fs::read(&path).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    copylint_in(dir.path())
        .args(["check", "--fix", "seed.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot write the fixed file: file is read-only; not fixed",
        ));
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn suppression_comments_in_markdown_and_html() {
    let dir = seed_dir();
    fs::write(
        dir.path().join("a.md"),
        "# Title\n\n<!-- copylint-disable-next-line trailing-whitespace -->\nkept\u{a0}\n\n\
         <!-- copylint-disable whitespace -->\n\na  b\n\n<!-- copylint-enable -->\n\nc  d\n\n\
         <!-- copylint-disable-next-line boilerplate -->\nclean line\n\n\
         <!-- copylint-disable-next-line nosuch-rule -->\nx\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("b.html"),
        "<p>Share this @x.com</p>\n<!-- copylint-disable-next-line boilerplate-line -->\n<p>Share this @x.com</p>\n",
    )
    .unwrap();
    let out =
        stdout(copylint_in(dir.path()).args(["check", "--format", "concise", "a.md", "b.html"]));
    assert_eq!(
        out,
        "a.md:12:2: info[double-space] 2 spaces between words\n\
         a.md:15:1: info[unused-suppression] Unused suppression on line 14: `copylint-disable-next-line boilerplate` suppresses nothing\n\
         a.md:18:1: info[unused-suppression] Suppression on line 17 names an unknown rule `nosuch-rule`\n\
         b.html:1:4: warning[boilerplate-line] Share button text in article text: \"Share this @x.com\"\n"
    );
}

#[test]
fn per_file_ignores_drop_rules_for_matching_files() {
    let dir = seed_dir();
    fs::write(
        dir.path().join("copylint.toml"),
        "[per-file-ignores]\n\"drafts/*.txt\" = [\"whitespace\"]\n",
    )
    .unwrap();
    fs::create_dir(dir.path().join("drafts")).unwrap();
    fs::write(dir.path().join("drafts/a.txt"), "x \n").unwrap();
    fs::write(dir.path().join("b.txt"), "x \n").unwrap();
    let out =
        stdout(copylint_in(dir.path()).args(["check", "--format", "concise", "drafts", "b.txt"]));
    assert_eq!(
        out,
        "b.txt:1:2: warning[trailing-whitespace] Trailing whitespace\n"
    );
    fs::write(
        dir.path().join("copylint.toml"),
        "[per-file-ignores]\n\"*.txt\" = [\"whitespaces\"]\n",
    )
    .unwrap();
    copylint_in(dir.path())
        .args(["check", "b.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "copylint.toml:2:12: unknown rule or group `whitespaces`",
        ));
}

#[test]
fn a_baseline_hides_old_findings_even_after_lines_are_added_above() {
    let dir = seed_dir();
    copylint_in(dir.path())
        .args(["check", "--write-baseline", "baseline.json", "seed.txt"])
        .assert()
        .code(0)
        .stdout("")
        .stderr(predicate::str::contains(
            "wrote 5 findings to the baseline baseline.json",
        ));
    let seed = fs::read_to_string(dir.path().join("seed.txt")).unwrap();
    fs::write(
        dir.path().join("seed.txt"),
        format!("A new headline on top\n\n{seed}"),
    )
    .unwrap();
    copylint_in(dir.path())
        .args([
            "check",
            "--baseline",
            "baseline.json",
            "--format",
            "concise",
            "seed.txt",
        ])
        .assert()
        .code(0)
        .stdout("")
        .stderr("0 findings (0 fixable) in 1 file; 5 findings in the baseline\n");
    // A new defect is reported.
    fs::write(
        dir.path().join("seed.txt"),
        format!("A new  headline on top\n\n{seed}"),
    )
    .unwrap();
    copylint_in(dir.path())
        .args([
            "check",
            "--baseline",
            "baseline.json",
            "--format",
            "concise",
            "seed.txt",
        ])
        .assert()
        .code(1)
        .stdout("seed.txt:1:6: info[double-space] 2 spaces between words\n");
}

#[test]
fn output_file_exit_zero_and_fail_on() {
    let dir = seed_dir();
    copylint_in(dir.path())
        .args([
            "check",
            "--format",
            "json",
            "--output-file",
            "report.json",
            "seed.txt",
        ])
        .assert()
        .code(1)
        .stdout("")
        .stderr("5 findings (5 fixable) in 1 file\n");
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report.as_array().map(Vec::len), Some(5));
    copylint_in(dir.path())
        .args(["check", "--exit-zero", "seed.txt"])
        .assert()
        .code(0);
    copylint_in(dir.path())
        .args(["check", "--fail-on", "error", "seed.txt"])
        .assert()
        .code(0);
    copylint_in(dir.path())
        .args(["check", "--fail-on", "warning", "seed.txt"])
        .assert()
        .code(1);
    fs::write(dir.path().join("info.txt"), "a  b\n").unwrap();
    copylint_in(dir.path())
        .args(["check", "--fail-on", "warning", "info.txt"])
        .assert()
        .code(0);
    copylint_in(dir.path())
        .args(["check", "info.txt"])
        .assert()
        .code(1);
}

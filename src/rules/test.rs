//! Test helpers for rules: run one rule on a fixture and print its findings one per line.

use std::fmt::Write;
use std::path::PathBuf;

use crate::document::Document;
use crate::fix;
use crate::rules::{Applicability, Diagnostic, Rule};

pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[track_caller]
pub fn read_fixture(name: &str) -> String {
    let path = fixture_path(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn run(rule: &dyn Rule, text: &str) -> (Document, Vec<Diagnostic>) {
    let doc = Document::from_text("test.txt", text);
    let mut out = Vec::new();
    rule.check(&doc, &mut out);
    out.sort_by_key(|d| (d.span, d.rule.clone()));
    (doc, out)
}

/// `line:col rule message [safe fix]`, one finding per line.
pub fn render(doc: &Document, diagnostics: &[Diagnostic]) -> String {
    let mut s = String::new();
    for d in diagnostics {
        let pos = doc.line_col(d.span.start);
        let _ = write!(s, "{}:{} {} {}", pos.line, pos.column, d.rule, d.message);
        for label in &d.labels {
            let at = doc.line_col(label.span.start);
            let _ = write!(s, " (label {}:{} {})", at.line, at.column, label.message);
        }
        match d.fix.as_ref().map(|f| f.applicability) {
            Some(Applicability::Safe) => s.push_str(" [safe fix]"),
            Some(Applicability::Unsafe) => s.push_str(" [unsafe fix]"),
            None => {}
        }
        s.push('\n');
    }
    s
}

/// The rule's findings on `tests/fixtures/<name>`.
#[track_caller]
pub fn check_fixture(rule: &dyn Rule, name: &str) -> String {
    let (doc, diagnostics) = run(rule, &read_fixture(name));
    render(&doc, &diagnostics)
}

/// Applies every fix of the rule to the fixture and compares with `<stem>.fixed.txt`,
/// then checks that the fixed text has no finding of the rule with a fix left.
#[track_caller]
pub fn fix_fixture(rule: &dyn Rule, name: &str) {
    let text = read_fixture(name);
    let (_, diagnostics) = run(rule, &text);
    let fixed = fix::apply(&text, &diagnostics, true).text;
    let expected_name = name.replace(".txt", ".fixed.txt");
    assert_eq!(
        fixed,
        read_fixture(&expected_name),
        "fixing {name} should give {expected_name}"
    );
    let (doc, left) = run(rule, &fixed);
    let left: Vec<Diagnostic> = left.into_iter().filter(|d| d.fix.is_some()).collect();
    assert!(
        left.is_empty(),
        "fixable findings left after fixing:\n{}",
        render(&doc, &left)
    );
}

#[track_caller]
pub fn assert_clean(rule: &dyn Rule, text: &str) {
    let (doc, diagnostics) = run(rule, text);
    assert!(
        diagnostics.is_empty(),
        "expected no findings, got:\n{}",
        render(&doc, &diagnostics)
    );
}

//! Formats for CI systems: GitHub Actions workflow commands (annotations), GitLab Code
//! Quality, and JUnit XML.

use std::fmt::Write;

use serde_json::json;

use super::Reporter;
use crate::baseline;
use crate::document::{Document, Origin};
use crate::rules::{Diagnostic, Severity};

/// Line and columns as the CI system should show them: in the file for text, HTML and
/// Markdown; the record's line for JSONL (its text has no columns in the file).
fn position(doc: &Document, d: &Diagnostic) -> (usize, Option<(usize, usize, usize)>) {
    let location = doc.locate(d.span);
    match doc.origin() {
        Origin::Record(record) => (record.line, None),
        _ => (
            location.start.line,
            Some((
                location.start.column,
                location.end.line,
                location.end.column,
            )),
        ),
    }
}

fn message(doc: &Document, d: &Diagnostic) -> String {
    match doc.record() {
        Some(record) => format!("{} (record {record})", d.message),
        None => d.message.clone(),
    }
}

/// `--format github`: `::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.
/// GitHub shows at most 10 annotations of each type per step (50 per job), so the
/// summary line on stderr stays the full count.
pub struct Github;

/// Workflow-command escaping: data escapes `%`, CR and LF; properties also `:` and `,`.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Reporter for Github {
    fn render(&self, doc: &Document, diagnostics: &[Diagnostic]) -> String {
        let mut out = String::new();
        for d in diagnostics {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let (line, columns) = position(doc, d);
            let _ = write!(
                out,
                "::{command} file={},line={line}",
                escape_property(doc.name())
            );
            if let Some((col, end_line, end_col)) = columns {
                let _ = write!(out, ",endLine={end_line},col={col},endColumn={end_col}");
            }
            let _ = writeln!(
                out,
                ",title={}::{}",
                escape_property(&format!("copylint {}", d.rule)),
                escape_data(&message(doc, d))
            );
        }
        out
    }
}

/// `--format gitlab`: a GitLab Code Quality report (a JSON array).
pub struct Gitlab;

impl Reporter for Gitlab {
    fn start(&self) -> String {
        "[".into()
    }

    fn separator(&self) -> &'static str {
        ",\n"
    }

    fn first_separator(&self) -> &'static str {
        "\n"
    }

    fn finish(&self, any: bool) -> String {
        if any { "\n]\n" } else { "]\n" }.into()
    }

    fn render(&self, doc: &Document, diagnostics: &[Diagnostic]) -> String {
        let fingerprints = baseline::fingerprints(doc, diagnostics);
        diagnostics
            .iter()
            .zip(fingerprints)
            .map(|(d, fingerprint)| {
                let severity = match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                };
                let (line, _) = position(doc, d);
                json!({
                    "description": message(doc, d),
                    "check_name": d.rule,
                    "fingerprint": fingerprint,
                    "severity": severity,
                    "location": { "path": doc.name(), "lines": { "begin": line } },
                })
                .to_string()
            })
            .collect::<Vec<_>>()
            .join(",\n")
    }
}

/// `--format junit`: one test case per finding, failing.
pub struct Junit;

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot carry most control characters, even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

impl Reporter for Junit {
    fn start(&self) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"copylint\">\n<testsuite name=\"copylint\">\n"
            .into()
    }

    fn finish(&self, _any: bool) -> String {
        "</testsuite>\n</testsuites>\n".into()
    }

    fn render(&self, doc: &Document, diagnostics: &[Diagnostic]) -> String {
        let mut out = String::new();
        for d in diagnostics {
            let location = doc.locate(d.span).start;
            let place = format!(
                "{}:{}:{}",
                doc.display_name(),
                location.line,
                location.column
            );
            let _ = writeln!(
                out,
                "<testcase classname=\"{}\" name=\"{} at {}\"><failure type=\"{}\" message=\"{}\">{}: {}[{}] {}</failure></testcase>",
                xml(doc.name()),
                xml(&d.rule),
                xml(&place),
                xml(&d.rule),
                xml(&d.message),
                xml(&place),
                d.severity,
                xml(&d.rule),
                xml(&d.message)
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_properties_and_data_are_escaped() {
        assert_eq!(escape_property("a,b:c%\n"), "a%2Cb%3Ac%25%0A");
        assert_eq!(escape_data("50% done\r\n"), "50%25 done%0D%0A");
    }

    #[test]
    fn xml_escapes_markup_and_drops_control_characters() {
        assert_eq!(
            xml("<a & \"b\">\u{7}"),
            "&lt;a &amp; &quot;b&quot;&gt;\u{FFFD}"
        );
    }
}

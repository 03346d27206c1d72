//! `--format json`: one JSON array of findings. The shape is a public contract,
//! documented in the README; change it only with a version note.

use serde::Serialize;

use super::Reporter;
use crate::document::{Document, Span};
use crate::rules::{Applicability, Diagnostic, Fix, Severity};

pub struct Json;

#[derive(Serialize)]
struct ByteSpan {
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    span: ByteSpan,
    line: usize,
    column: usize,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonEdit {
    start: usize,
    end: usize,
    replacement: String,
}

#[derive(Serialize)]
struct JsonFix {
    applicability: Applicability,
    edits: Vec<JsonEdit>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    path: &'a str,
    /// The record id, for JSONL input only.
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<&'a str>,
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    span: ByteSpan,
    labels: Vec<JsonLabel<'a>>,
    help: Option<&'a str>,
    fix: Option<JsonFix>,
}

fn file_span(doc: &Document, span: Span) -> ByteSpan {
    let s = doc.file_span(span);
    ByteSpan {
        start: s.start,
        end: s.end,
    }
}

/// The fix in file terms: offsets into the file, replacements escaped for its format.
fn json_fix(doc: &Document, fix: &Fix) -> Option<JsonFix> {
    let edits = fix
        .edits
        .iter()
        .map(|e| {
            doc.file_edit(e.span, &e.replacement)
                .map(|(span, replacement)| JsonEdit {
                    start: span.start,
                    end: span.end,
                    replacement,
                })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(JsonFix {
        applicability: fix.applicability,
        edits,
    })
}

/// Appends one finding as a JSON object to `out`.
pub fn write_finding(out: &mut Vec<u8>, doc: &Document, d: &Diagnostic) {
    let location = doc.locate(d.span);
    let finding = JsonFinding {
        path: doc.name(),
        record: doc.record(),
        rule: &d.rule,
        severity: d.severity,
        message: &d.message,
        line: location.start.line,
        column: location.start.column,
        end_line: location.end.line,
        end_column: location.end.column,
        span: file_span(doc, d.span),
        labels: d
            .labels
            .iter()
            .map(|l| {
                let at = doc.locate(l.span).start;
                JsonLabel {
                    span: file_span(doc, l.span),
                    line: at.line,
                    column: at.column,
                    message: &l.message,
                }
            })
            .collect(),
        help: d.help.as_deref(),
        fix: d.fix.as_ref().and_then(|f| json_fix(doc, f)),
    };
    // Serializing plain structs of strings and numbers into memory cannot fail.
    let _ = serde_json::to_writer(out, &finding);
}

impl Reporter for Json {
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
        let mut out = Vec::with_capacity(diagnostics.len() * 400);
        for (i, d) in diagnostics.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(b",\n");
            }
            write_finding(&mut out, doc, d);
        }
        // serde_json writes UTF-8 only.
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

/// `--format jsonl`: one finding per line, the objects of `json`.
pub struct JsonLines;

impl Reporter for JsonLines {
    fn render(&self, doc: &Document, diagnostics: &[Diagnostic]) -> String {
        let mut out = Vec::with_capacity(diagnostics.len() * 400);
        for d in diagnostics {
            write_finding(&mut out, doc, d);
            out.push(b'\n');
        }
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

//! `--format json`: one JSON array of findings. The shape is a public contract,
//! documented in the README; change it only with a version note.

use serde::Serialize;

use super::Reporter;
use crate::document::{Document, Span};
use crate::rules::{Applicability, Diagnostic, Severity};

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
struct JsonEdit<'a> {
    start: usize,
    end: usize,
    replacement: &'a str,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: Applicability,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    path: &'a str,
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
    fix: Option<JsonFix<'a>>,
}

fn file_span(doc: &Document, span: Span) -> ByteSpan {
    ByteSpan {
        start: doc.file_offset(span.start),
        end: doc.file_offset(span.end),
    }
}

/// Appends one finding as a JSON object to `out`.
pub fn write_finding(out: &mut Vec<u8>, doc: &Document, d: &Diagnostic) {
    let location = doc.locate(d.span);
    let finding = JsonFinding {
        path: doc.name(),
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
                let at = doc.line_col(l.span.start);
                JsonLabel {
                    span: file_span(doc, l.span),
                    line: at.line,
                    column: at.column,
                    message: &l.message,
                }
            })
            .collect(),
        help: d.help.as_deref(),
        fix: d.fix.as_ref().map(|f| JsonFix {
            applicability: f.applicability,
            edits: f
                .edits
                .iter()
                .map(|e| JsonEdit {
                    start: doc.file_offset(e.span.start),
                    end: doc.file_offset(e.span.end),
                    replacement: &e.replacement,
                })
                .collect(),
        }),
    };
    // Serializing plain structs of strings and numbers into memory cannot fail.
    let _ = serde_json::to_writer(out, &finding);
}

impl Reporter for Json {
    fn start(&self) -> &'static str {
        "["
    }

    fn separator(&self) -> &'static str {
        ",\n"
    }

    fn first_separator(&self) -> &'static str {
        "\n"
    }

    fn finish(&self, any: bool) -> &'static str {
        if any { "\n]\n" } else { "]\n" }
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

//! `--format records`: exactly one JSON line per input record (JSONL) or document,
//! in input order, `{"id": …, "findings": […]}` with the same finding objects as
//! `json` — so copylint can be a map step of a pipeline (Spark `RDD.pipe`, Ray, …).
//! A record that cannot be read still gets its line: `{"id": null, "line": N, "error": …}`.

use serde::Serialize;

use super::Reporter;
use super::json::write_finding;
use crate::document::Document;
use crate::rules::Diagnostic;

pub struct Records;

#[derive(Serialize)]
struct ErrorRecord<'a> {
    id: Option<&'a str>,
    line: Option<usize>,
    error: &'a str,
}

impl Reporter for Records {
    fn render(&self, doc: &Document, diagnostics: &[Diagnostic]) -> String {
        let mut out = Vec::with_capacity(64 + diagnostics.len() * 400);
        out.extend_from_slice(b"{\"id\":");
        let id = doc.record().unwrap_or(doc.name());
        let _ = serde_json::to_writer(&mut out, id);
        out.extend_from_slice(b",\"findings\":[");
        for (i, d) in diagnostics.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_finding(&mut out, doc, d);
        }
        out.extend_from_slice(b"]}\n");
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    fn render_unreadable(&self, line: Option<usize>, message: &str) -> Option<String> {
        let record = ErrorRecord {
            id: None,
            line,
            error: message,
        };
        serde_json::to_string(&record).ok().map(|s| s + "\n")
    }
}

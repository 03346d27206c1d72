//! `--format concise`: `path:line:col: severity[rule] message`, one finding per line.

use std::fmt::Write;

use super::Reporter;
use crate::document::Document;
use crate::rules::Diagnostic;

pub struct Concise;

impl Reporter for Concise {
    fn render(&self, doc: &Document, diagnostics: &[Diagnostic]) -> String {
        let mut out = String::new();
        for d in diagnostics {
            let pos = doc.locate(d.span).start;
            let _ = writeln!(
                out,
                "{}:{}:{}: {}[{}] {}",
                doc.display_name(),
                pos.line,
                pos.column,
                d.severity,
                d.rule,
                d.message
            );
        }
        out
    }
}

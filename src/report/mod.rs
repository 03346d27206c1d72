//! Reporters turn a document's findings into text. They never re-analyse: everything
//! they print comes from the `Diagnostic`s and the document's positions.

mod ci;
mod concise;
mod human;
mod json;
mod records;
mod sarif;
mod statistics;

pub use ci::{Github, Gitlab, Junit};
pub use concise::Concise;
pub use human::{Human, render_error};
pub use json::{Json, JsonLines, write_finding};
pub use records::Records;
pub use sarif::Sarif;
pub use statistics::{RuleCount, render_statistics};

use crate::document::Document;
use crate::rules::Diagnostic;

/// Rendering happens per file on worker threads (`render`); the framing (`start`,
/// separators, `finish`) is written in input order by the caller.
pub trait Reporter: Sync {
    fn start(&self) -> String {
        String::new()
    }

    /// Written between two non-empty renders.
    fn separator(&self) -> &'static str {
        ""
    }

    /// Written before the first non-empty render.
    fn first_separator(&self) -> &'static str {
        ""
    }

    /// `any`: whether any render was non-empty.
    fn finish(&self, _any: bool) -> String {
        String::new()
    }

    fn render(&self, doc: &Document, diagnostics: &[Diagnostic]) -> String;

    /// What to write in the report for an input or record that could not be read (the
    /// error itself goes to stderr). Only formats that promise one output per input
    /// write something.
    fn render_unreadable(&self, _line: Option<usize>, _message: &str) -> Option<String> {
        None
    }
}

//! The shape shared by the `quality` rules' findings: one per document, at its first
//! line, naming the filter and every statistic that fails with its threshold, labelled
//! on the lines behind the numbers (at most `quality::MAX_MARKS`).

use crate::document::{Document, Span, chars};
use crate::quality::{Check, Evidence, MAX_MARKS, Note, Verdict};
use crate::rules::{Diagnostic, RuleMeta};

/// The first line that is not blank: where a document-level finding points.
pub fn first_line(doc: &Document) -> Span {
    doc.lines()
        .find(|l| !chars::is_blank(l.text))
        .map_or(Span::new(0, 0), |l| l.span)
}

/// `duplicate-line characters 0.043 > 0.01 (3 repeated lines)`.
fn describe(check: &Check) -> String {
    match &check.evidence {
        Some(e) if e.total > 0 => format!("{check} ({})", e.describe()),
        _ => check.to_string(),
    }
}

/// A label's text: `repeats line 24`, or the filter's note.
fn note(doc: &Document, note: &Note) -> String {
    match note {
        Note::Repeats(first) => format!("repeats line {}", doc.locate(*first).start.line),
        Note::Text(text) => text.clone(),
    }
}

/// Labels from `evidence`, in order, at most `MAX_MARKS`; a span that overlaps one
/// already labelled (the same repeat seen by several checks) is left out.
pub fn with_labels<'a>(
    mut d: Diagnostic,
    doc: &Document,
    evidence: impl Iterator<Item = &'a Evidence>,
) -> Diagnostic {
    for mark in evidence.flat_map(|e| &e.marks) {
        if d.labels.len() == MAX_MARKS {
            break;
        }
        let overlaps = d
            .labels
            .iter()
            .any(|l| l.span.start < mark.span.end && mark.span.start < l.span.end);
        if !overlaps {
            d = d.with_label(mark.span, note(doc, &mark.note));
        }
    }
    d
}

/// The failing checks a message lists; `explain-drop` shows the rest.
const MAX_REASONS: usize = 3;

/// The finding for a page the filter would drop, or `None` when it keeps it.
pub fn dropped(
    meta: &RuleMeta,
    doc: &Document,
    verdict: &Verdict,
    help: &'static str,
) -> Option<Diagnostic> {
    if !verdict.dropped {
        return None;
    }
    let failing: Vec<&Check> = verdict.failing().collect();
    let mut reasons = Vec::new();
    let mut last: Option<&Evidence> = None;
    for check in failing.iter().take(MAX_REASONS) {
        // Checks on the same lines (repeated paragraphs, then their characters) name
        // them once.
        let same = last.is_some_and(|e| check.evidence.as_ref() == Some(e));
        reasons.push(if same {
            check.to_string()
        } else {
            describe(check)
        });
        last = check.evidence.as_ref();
    }
    if failing.len() > MAX_REASONS {
        reasons.push(format!(
            "and {} more (see `copylint explain-drop`)",
            failing.len() - MAX_REASONS
        ));
    }
    let message = format!(
        "{} would drop the page: {}",
        verdict.title,
        reasons.join("; ")
    );
    let d = Diagnostic::new(meta, first_line(doc), message).with_help(help);
    Some(with_labels(
        d,
        doc,
        failing.iter().filter_map(|c| c.evidence.as_ref()),
    ))
}

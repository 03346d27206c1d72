//! Applying fixes: the non-overlapping edits of the chosen findings, back to front.

use crate::document::Span;
use crate::rules::{Applicability, Diagnostic, Edit};

/// The fixed text and how many fixes went in or had to wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub text: String,
    pub applied: usize,
    /// Fixes that overlapped an earlier one; re-check the fixed text to get them again.
    pub deferred: usize,
}

/// Applies the fixes of `diagnostics` (unsafe ones only when `include_unsafe`) to `text`.
/// A fix is taken whole or not at all; one whose edits overlap an already taken fix,
/// or fall outside the text or off char boundaries, is deferred.
pub fn apply(text: &str, diagnostics: &[Diagnostic], include_unsafe: bool) -> Applied {
    let mut fixes: Vec<&[Edit]> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| include_unsafe || f.applicability == Applicability::Safe)
        .map(|f| f.edits.as_slice())
        .collect();
    fixes.sort_by_key(|edits| edits.iter().map(|e| e.span).min());
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    let mut deferred = 0;
    for edits in fixes {
        let valid = edits.iter().all(|e| {
            e.span.start <= e.span.end
                && text.is_char_boundary(e.span.start)
                && text.is_char_boundary(e.span.end)
        });
        let clashes = edits
            .iter()
            .any(|e| taken.iter().any(|t| overlaps(t.span, e.span)))
            || edits
                .iter()
                .enumerate()
                .any(|(i, a)| edits[i + 1..].iter().any(|b| overlaps(a.span, b.span)));
        if !valid || clashes {
            deferred += 1;
            continue;
        }
        taken.extend(edits);
        applied += 1;
    }
    taken.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in taken {
        out.push_str(&text[at..edit.span.start]);
        out.push_str(&edit.replacement);
        at = edit.span.end;
    }
    out.push_str(&text[at..]);
    Applied {
        text: out,
        applied,
        deferred,
    }
}

/// Two edits clash when their ranges share a byte, when both insert at one point (the
/// order would be a guess), or when one inserts strictly inside the other's range.
fn overlaps(a: Span, b: Span) -> bool {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => a.start == b.start,
        (true, false) => b.start < a.start && a.start < b.end,
        (false, true) => a.start < b.start && b.start < a.end,
        (false, false) => a.start < b.end && b.start < a.end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Fix;

    fn diag(fix: Fix) -> Diagnostic {
        Diagnostic {
            rule: "t".into(),
            severity: crate::rules::Severity::Warning,
            message: String::new(),
            span: Span::default(),
            labels: Vec::new(),
            help: None,
            fix: Some(fix),
        }
    }

    #[test]
    fn edits_apply_back_to_front_and_unsafe_ones_wait_for_permission() {
        let text = "ab  cd \u{a0}";
        let diagnostics = vec![
            diag(Fix::replace(Applicability::Safe, Span::new(2, 4), " ")),
            diag(Fix::delete(Applicability::Safe, Span::new(6, 9))),
            diag(Fix::replace(Applicability::Unsafe, Span::new(0, 1), "A")),
        ];
        assert_eq!(apply(text, &diagnostics, false).text, "ab cd");
        assert_eq!(apply(text, &diagnostics, true).text, "Ab cd");
    }

    #[test]
    fn overlapping_fixes_are_deferred_not_merged() {
        let diagnostics = vec![
            diag(Fix::delete(Applicability::Safe, Span::new(0, 3))),
            diag(Fix::replace(Applicability::Safe, Span::new(2, 4), "x")),
        ];
        let applied = apply("abcdef", &diagnostics, false);
        assert_eq!(
            (applied.text.as_str(), applied.applied, applied.deferred),
            ("def", 1, 1)
        );
    }

    #[test]
    fn edits_off_char_boundaries_are_refused() {
        let diagnostics = vec![diag(Fix::delete(Applicability::Safe, Span::new(1, 2)))];
        assert_eq!(apply("é", &diagnostics, false).text, "é");
    }
}

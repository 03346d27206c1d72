//! `unused-suppression`: a suppression comment that suppresses nothing. Its findings come
//! from the linter, which applies the suppressions after the rules have run.

use crate::declare_rule;
use crate::document::Document;
use crate::rules::{Diagnostic, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a `<!-- copylint-disable … -->` or `<!-- copylint-disable-next-line … -->`
    /// comment (Markdown and HTML) that suppressed no finding, or that names a rule that
    /// does not exist.
    ///
    /// ## Why is this bad?
    /// Suppressions rot: the text they excused was fixed or removed, and the comment now
    /// hides the next real defect on that line, or never applied because of a typo.
    ///
    /// ## Example
    /// ```text
    /// <!-- copylint-disable-next-line double-space -->
    /// A line with single spaces only.
    /// ```
    /// Use instead: delete the comment.
    ///
    /// ## Fix
    /// None: the comment is markup, not text; delete it by hand.
    name: "unused-suppression",
    group: "meta",
    severity: Info,
    fix: None,
    summary: "A suppression comment that suppresses nothing",
}

#[derive(Debug, Default)]
pub struct UnusedSuppression;

impl Rule for UnusedSuppression {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    /// Nothing to do here: the linter reports unused suppressions after applying them.
    fn check(&self, _doc: &Document, _out: &mut Vec<Diagnostic>) {}
}

//! The published document-quality filters (Gopher quality and repetition, C4, FineWeb) as
//! statistics with verdicts: one computation shared by the `quality` rules and
//! `copylint explain-drop`.
//!
//! Definitions follow datatrove's filters (`datatrove/pipeline/filters/*.py`, 0.10.1), the
//! reference implementation of the papers' rules, so that the drop/keep verdicts agree
//! with it: words are spaCy's English tokens (`words.rs`), lines and whitespace follow
//! Python's string methods (`pytext.rs`), lengths are counted in characters.

pub mod c4;
pub mod fineweb;
pub mod gopher;
mod hash;
mod pytext;
pub mod repetition;
#[allow(clippy::unreadable_literal)]
mod tables;
pub mod words;

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use serde::Serialize;

use crate::document::{Document, Span};
use words::Word;

/// How many labels a finding carries at most; the message gives the full count.
pub const MAX_MARKS: usize = 10;

/// The largest page the filters measure, in bytes: a word keeps 32-bit offsets into its
/// page, which makes it 16 bytes instead of 24, and the filters read every word several
/// times. A larger page (a single record of over 4 GiB) fails each filter's `page bytes`
/// check unmeasured (`Verdict::too_large`), rather than being measured wrong.
pub const MAX_PAGE_BYTES: usize = u32::MAX as usize;

/// A page's text with its words, tokenized once for all the filters.
pub struct Page<'a> {
    text: &'a str,
    shared: Shared<'a>,
}

/// What the filters compute from a page's text, computed once: the four quality rules
/// run one after another on a document and share the document's (`Page::of`).
#[derive(Debug, Default)]
pub struct Analysis {
    words: OnceLock<Vec<Word>>,
    chars: OnceLock<usize>,
    lines: OnceLock<Vec<Span>>,
}

impl Drop for Analysis {
    /// The words' buffer goes back to the thread's pool for the next page: a fresh one
    /// per page was written on memory no cache held, and read back from it.
    fn drop(&mut self) {
        if let Some(buffer) = self.words.take() {
            words::give_back(buffer);
        }
    }
}

enum Shared<'a> {
    Own(Box<Analysis>),
    Document(&'a Analysis),
}

impl<'a> Page<'a> {
    /// The page of `text`, with an analysis of its own.
    pub fn new(text: &'a str) -> Self {
        Page {
            text,
            shared: Shared::Own(Box::default()),
        }
    }

    /// The page of a document's text, sharing the analysis the document keeps for the
    /// quality filters.
    pub fn of(doc: &'a Document) -> Self {
        Page {
            text: doc.text(),
            shared: Shared::Document(doc.quality_analysis()),
        }
    }

    fn shared(&self) -> &Analysis {
        match &self.shared {
            Shared::Own(analysis) => analysis,
            Shared::Document(analysis) => analysis,
        }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// datatrove's `split_into_words` for English.
    pub fn words(&self) -> &[Word] {
        self.shared().words.get_or_init(|| words::words(self.text))
    }

    /// The words, if a filter has split them already.
    pub fn words_if_split(&self) -> Option<&[Word]> {
        self.shared().words.get().map(Vec::as_slice)
    }

    /// `len(text)`.
    pub fn chars(&self) -> usize {
        *self.shared().chars.get_or_init(|| pytext::chars(self.text))
    }

    /// `text.splitlines()`.
    pub fn lines(&self) -> &[Span] {
        self.shared()
            .lines
            .get_or_init(|| pytext::splitlines(self.text))
    }
}

/// How much a filter computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every statistic's value, failing or not (`copylint explain-drop`).
    Full,
    /// The verdict, and the value and evidence of every failing check (the rules): a
    /// check that a cheap, rigorous bound proves passing is left without its value
    /// (`Check::bounded`).
    Verdict,
}

/// Whether a statistic must stay above or below its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bound {
    /// Dropped when the value is below the threshold.
    Min,
    /// Dropped when the value is above the threshold.
    Max,
}

impl Bound {
    /// Whether `value` fails: below a minimum or above a maximum (strictly, as
    /// datatrove compares).
    pub fn fails(self, value: f64, threshold: f64) -> bool {
        match self {
            Bound::Min => value < threshold,
            Bound::Max => value > threshold,
        }
    }
}

/// Why a line is labelled.
#[derive(Debug, Clone, PartialEq)]
pub enum Note {
    /// The line or paragraph repeats the one at this span.
    Repeats(Span),
    Text(String),
}

/// A labelled span: a line that drives a statistic.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub span: Span,
    pub note: Note,
}

/// The spans behind a statistic: the first `MAX_MARKS`, and how many there are.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// What is counted, plural: `repeated lines`.
    pub what: &'static str,
    pub total: usize,
    pub marks: Vec<Mark>,
}

impl Evidence {
    pub fn new(what: &'static str) -> Self {
        Evidence {
            what,
            total: 0,
            marks: Vec::new(),
        }
    }

    /// `3 repeated lines`, `1 repeated line`.
    pub fn describe(&self) -> String {
        if self.total == 1 {
            let one = ["lines", "paragraphs", "occurrences", "passages"]
                .iter()
                .find(|w| self.what.contains(*w))
                .map_or_else(
                    || self.what.to_owned(),
                    |w| self.what.replacen(w, &w[..w.len() - 1], 1),
                );
            format!("1 {one}")
        } else {
            format!("{} {}", self.total, self.what)
        }
    }

    pub fn add(&mut self, span: Span, note: Note) {
        self.add_with(span, || note);
    }

    /// `add`, with a note made only for the marks that are kept: past `MAX_MARKS` a
    /// span is only counted, and its note would be formatted for nothing.
    pub fn add_with(&mut self, span: Span, note: impl FnOnce() -> Note) {
        self.total += 1;
        if self.marks.len() < MAX_MARKS {
            self.marks.push(Mark { span, note: note() });
        }
    }
}

/// One statistic of a filter, its threshold and whether the page fails it.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// What is measured, as messages say it: `duplicate-line characters`. Static for
    /// nearly every check: a page's checks allocate no names.
    pub name: Cow<'static, str>,
    /// datatrove's reason code when this check drops the page (`char_dup_ratio`).
    pub reason: Cow<'static, str>,
    /// `None` when it cannot be measured (a ratio over no words).
    pub value: Option<f64>,
    pub bound: Bound,
    pub threshold: f64,
    /// Counts print without decimals.
    #[serde(skip)]
    pub integer: bool,
    pub fails: bool,
    #[serde(skip)]
    pub evidence: Option<Evidence>,
    /// The value was not computed: a bound on it proved that the check passes
    /// (`Detail::Verdict` only).
    #[serde(skip)]
    pub bounded: bool,
}

impl Check {
    pub fn new(
        name: impl Into<Cow<'static, str>>,
        reason: impl Into<Cow<'static, str>>,
        bound: Bound,
    ) -> Self {
        Check {
            name: name.into(),
            reason: reason.into(),
            value: None,
            bound,
            threshold: 0.0,
            integer: false,
            fails: false,
            evidence: None,
            bounded: false,
        }
    }

    /// Sets the value and the threshold and decides: below a minimum or above a
    /// maximum fails (strictly, as datatrove compares).
    pub fn measure(mut self, value: Option<f64>, threshold: f64) -> Self {
        self.value = value;
        self.threshold = threshold;
        self.fails = value.is_some_and(|v| self.bound.fails(v, threshold));
        self
    }

    /// A check that passes without its value being computed: a bound on the value
    /// that passes too proves it.
    pub fn bounded(mut self, threshold: f64) -> Self {
        self.threshold = threshold;
        self.bounded = true;
        self
    }

    pub fn count(mut self) -> Self {
        self.integer = true;
        self
    }

    pub fn with_evidence(mut self, evidence: Evidence) -> Self {
        self.evidence = Some(evidence);
        self
    }

    /// The lines behind a failing check: `evidence` is gathered only when it fails.
    pub fn with_evidence_if_failing(self, evidence: impl FnOnce() -> Evidence) -> Self {
        if self.fails {
            self.with_evidence(evidence())
        } else {
            self
        }
    }

    /// The value as reports print it: counts whole, ratios with three decimals.
    pub fn value_text(&self) -> String {
        match self.value {
            None => "n/a".to_owned(),
            Some(v) if self.integer => format!("{v:.0}"),
            Some(v) => format!("{v:.3}"),
        }
    }

    /// `<` or `>` for a failing check, `≥` or `≤` for a passing one.
    pub fn relation(&self) -> &'static str {
        match (self.bound, self.fails) {
            (Bound::Min, true) => "<",
            (Bound::Max, true) => ">",
            (Bound::Min, false) => "≥",
            (Bound::Max, false) => "≤",
        }
    }
}

impl fmt::Display for Check {
    /// `duplicate-line characters 0.043 > 0.01`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {}",
            self.name,
            self.value_text(),
            self.relation(),
            self.threshold
        )
    }
}

/// How many lines C4 would remove from a page it keeps, and why.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Removed {
    /// Lines that are not blank.
    pub lines: usize,
    pub removed: usize,
    /// Removed lines per reason (`without terminal punctuation`), in C4's order,
    /// reasons with none left out.
    pub by_reason: Vec<(String, usize)>,
    #[serde(skip)]
    pub evidence: Evidence,
}

/// One filter's decision on a page.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// The rule that reports it (`fineweb-quality`).
    pub filter: &'static str,
    /// As messages name it: `FineWeb quality filter`.
    #[serde(skip)]
    pub title: &'static str,
    pub dropped: bool,
    pub checks: Vec<Check>,
    /// C4 only: the lines it would remove.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<Removed>,
}

impl Removed {
    /// `35 of 59 lines (33 without terminal punctuation, 2 under 3 words)`.
    pub fn describe(&self) -> String {
        let reasons: Vec<String> = self
            .by_reason
            .iter()
            .map(|(reason, n)| format!("{n} {reason}"))
            .collect();
        format!(
            "{} of {} lines ({})",
            self.removed,
            self.lines,
            reasons.join(", ")
        )
    }
}

impl Verdict {
    pub fn new(filter: &'static str, title: &'static str, checks: Vec<Check>) -> Self {
        let dropped = checks.iter().any(|c| c.fails);
        Verdict {
            filter,
            title,
            dropped,
            checks,
            lines: None,
        }
    }

    /// The verdict on a page of `bytes` over `limit` (`MAX_PAGE_BYTES`): it fails its
    /// size, and nothing else is measured.
    pub fn too_large(
        filter: &'static str,
        title: &'static str,
        bytes: usize,
        limit: usize,
    ) -> Option<Self> {
        let check = Check::new("page bytes", "too_large", Bound::Max)
            .measure(Some(bytes as f64), limit as f64)
            .count();
        (bytes > limit).then(|| Verdict::new(filter, title, vec![check]))
    }

    pub fn failing(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.fails)
    }
}

/// `part / whole`, or `None` when `whole` is zero.
fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Every check of `Detail::Verdict` fails as in `Detail::Full`, with the same value and
/// evidence, or is bounded and passes in both.
#[cfg(test)]
pub(crate) fn assert_same_verdict(full: &Verdict, quick: &Verdict) {
    assert_eq!(full.dropped, quick.dropped);
    assert_eq!(full.checks.len(), quick.checks.len());
    for (f, q) in full.checks.iter().zip(&quick.checks) {
        assert_eq!(f.reason, q.reason);
        assert_eq!(f.fails, q.fails, "{}", f.reason);
        if q.bounded {
            assert!(!f.bounded && q.value.is_none(), "{}", f.reason);
        } else {
            assert_eq!(
                (f.value, &f.evidence),
                (q.value, &q.evidence),
                "{}",
                f.reason
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_PAGE_BYTES, Page, Verdict, words::Word};
    use crate::document::Document;

    #[test]
    fn a_page_over_the_limit_fails_its_size_unmeasured() {
        let v = Verdict::too_large("gopher-quality", "Gopher quality filter", 11, 10);
        let v = v.expect("over the limit");
        assert!(v.dropped);
        assert_eq!(v.checks.len(), 1);
        assert_eq!(v.checks[0].reason, "too_large");
        assert_eq!(v.checks[0].to_string(), "page bytes 11 > 10");
        assert!(Verdict::too_large("gopher-quality", "Gopher quality filter", 10, 10).is_none());
        // Every offset into a page up to the limit fits a word.
        assert_eq!(u32::try_from(MAX_PAGE_BYTES), Ok(u32::MAX));
    }

    #[test]
    fn a_word_takes_16_bytes() {
        // The filters read each word several times; 24 bytes with `usize` offsets.
        assert_eq!(std::mem::size_of::<Word>(), 16);
    }

    #[test]
    fn the_pages_of_one_document_split_its_words_once() {
        let doc = Document::from_text("page.txt", "Words are split once, for every filter.");
        let words = Page::of(&doc).words().as_ptr();
        let again = Page::of(&doc);
        assert_eq!(again.words_if_split().map(<[_]>::as_ptr), Some(words));
        let other = Document::from_text("other.txt", "Words are split once, for every filter.");
        assert!(Page::of(&other).words_if_split().is_none());
        assert!(Page::new(doc.text()).words_if_split().is_none());
    }
}

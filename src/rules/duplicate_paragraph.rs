//! `duplicate-paragraph`: a paragraph printed twice in a row (the repeated image
//! caption), a paragraph echoed later in the document, and a repeated sentence.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::declare_rule;
use crate::document::fold::{Fold, is_dash, is_quote};
use crate::document::{Document, Span};
use crate::rules::{Applicability, Diagnostic, Fix, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Compares paragraphs after folding away typography (NFKC, quote and dash forms,
    /// spacing, case and final punctuation; see `document::fold`) and flags:
    /// - a paragraph that repeats the one before it, exactly or nearly (the image
    ///   caption printed once from the figure and once from its caption). Two short
    ///   `Key: value` labels in a row (`Credit: The Spruce Eats`) are two grid items that
    ///   share a value and are left alone;
    /// - a paragraph that comes back later in the document (a caption echoed as a body
    ///   paragraph): prose of 8 words or more that ends a sentence, or a caption set
    ///   between body paragraphs. What recurs by the page's design is left alone:
    ///   headings (short lines without final punctuation, Title Case), list items, table
    ///   rows, code, quoted replies (`> `), the entries of a FAQ page, a short line among
    ///   short lines (a table of contents, a menu, the steps of a how-to), and any
    ///   paragraph the page has three times or more (a forum signature, an offer's terms,
    ///   the note under every tab);
    /// - a sentence of 8 words or more that repeats an earlier one in the same paragraph
    ///   (`A. A.`), or that is a whole paragraph elsewhere (a caption or pull quote
    ///   quoted in the body). Two long paragraphs sharing a sentence are usually one
    ///   template filled twice and are left alone, as are questions.
    ///
    /// "Nearly" means a normalized Levenshtein similarity of at least `near-threshold` for
    /// paragraphs up to 300 folded characters, and a Jaccard similarity of word 3-grams of
    /// at least 0.8 for longer ones. Near copies must differ as copies of one text do (a
    /// word added or dropped, spacing, punctuation, a one-letter spelling change), not as
    /// two fillings of one template (`C#` / `Java`, `Chapter 1` / `Chapter 2`).
    ///
    /// ## Why is this bad?
    /// Readers see the same text twice, and the copies often disagree in quotes and
    /// dashes. Search snippets, summaries and training data weigh it double.
    ///
    /// ## Example
    /// ```text
    /// Mexico's president Claudia Sheinbaum has rejected US plans
    ///
    /// Mexico’s president Claudia Sheinbaum has rejected US plans
    /// ```
    /// Use instead:
    /// ```text
    /// Mexico’s president Claudia Sheinbaum has rejected US plans
    /// ```
    ///
    /// ## Options
    /// - `min-words` (default `4`): paragraphs with fewer words are not compared. Short
    ///   repeated lines ("Advertisement") are the boilerplate rules' business.
    /// - `min-chars` (default `20`): nor are paragraphs shorter than this, in folded
    ///   characters.
    /// - `near-threshold` (default `0.95`, between 0.5 and 1): the normalized Levenshtein
    ///   similarity from which two short paragraphs are near copies; `1` reports only
    ///   copies that fold to the same text.
    ///
    /// ## Fix
    /// For a paragraph repeated in a row: deletes one copy and the blank line between
    /// them. Safe when the copies are byte for byte identical; otherwise unsafe, and the
    /// copy kept is the one whose quotes and dashes match the rest of the document. For
    /// an echo: deletes the later copy (unsafe). For a sentence repeated in one
    /// paragraph: deletes the repeat (unsafe); across paragraphs, none (one copy is a
    /// caption or pull quote, the other part of the body, and which to drop is the
    /// editor's call).
    name: "duplicate-paragraph",
    group: crate::rules::group::DUPLICATION,
    severity: Warning,
    fix: SafeOrUnsafe,
    summary: "Paragraph or sentence repeated, in a row or later in the document",
}

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    min_words: usize,
    min_chars: usize,
    near_threshold: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_words: 4,
            min_chars: 20,
            near_threshold: 0.95,
        }
    }
}

#[derive(Debug, Default)]
pub struct DuplicateParagraph {
    options: Options,
}

impl DuplicateParagraph {
    pub fn new(mut options: Options) -> Self {
        // NaN or too low: near copies would stop being copies.
        options.near_threshold = if options.near_threshold.is_nan() {
            Options::default().near_threshold
        } else {
            options.near_threshold.clamp(0.5, 1.0)
        };
        DuplicateParagraph { options }
    }
}

/// Paragraphs longer than this (folded chars) are compared by word 3-grams, not by
/// edit distance, which is quadratic in their length.
const SHORT: usize = 300;
/// Jaccard similarity of word 3-gram sets from which two long paragraphs are near copies.
const LONG_THRESHOLD: f64 = 0.8;
/// Sentences shorter than this are not compared: "Read the full story here." recurs.
const SENTENCE_WORDS: usize = 8;
/// Paragraphs shorter than this are not reported when they recur far apart: short
/// lines that recur ("Yes, it was really that bad." quoted in a reply, "New Mac? See
/// how easy it is") are far more often the page's structure than a scraping defect.
const ECHO_WORDS: usize = 8;
/// A line of at most `LIST_ENTRY_WORDS` words between two lines of at most `LIST_WORDS`
/// words is an entry of a list.
const LIST_WORDS: usize = 12;
const LIST_ENTRY_WORDS: usize = 16;
/// Words up to which a `Key: value` line is a label.
const LABEL_WORDS: usize = 8;
/// Copies from which a paragraph is a recurring element of the page, not an echo.
const RECURRING: u32 = 3;
/// Paragraphs opening with a question from which a page is a FAQ.
const FAQ_ENTRIES: usize = 3;
/// Near-copy candidates verified per paragraph at most, so that a document made of one
/// paragraph's variations stays linear.
const MAX_CANDIDATES: usize = 8;
/// Words found in more paragraphs than this are not probed: in a long document of
/// ordinary prose every word but the rarest recurs, and walking their lists would make
/// the search quadratic again. A near copy shares its rarest words with the original,
/// and those come first in the prefix.
const MAX_POSTINGS: usize = 64;

/// What a paragraph looks like, from its own text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Sentences, or a caption: what must not be printed twice.
    Prose,
    /// A heading, a table-of-contents entry, a label (`Team Size: 11 – 50`), a short
    /// question (FAQ): recurs by design.
    Heading,
    /// A bullet or numbered item or a table row.
    ListItem,
    /// Source code, markup.
    Code,
    /// A quoted reply (`> ...`).
    Quote,
}

struct Para<'a> {
    span: Span,
    first_line: usize,
    raw: &'a str,
    folded: String,
    chars: usize,
    words: usize,
    /// Ends in sentence punctuation (a caption usually does not).
    sentence: bool,
    /// Word 3-gram hashes, sorted, computed when a long near copy is checked.
    grams: OnceCell<Vec<u64>>,
    eligible: bool,
    shape: Shape,
}

impl Rule for DuplicateParagraph {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        let paras = self.paragraphs(doc);
        if paras.is_empty() {
            return;
        }
        let mut typography = None;
        let mut reported = vec![false; paras.len()];
        let mut first_copy: HashMap<u64, usize, IdBuild> = HashMap::default();
        let echo_ok = echo_targets(&paras);
        let mut near = NearIndex::new(&paras, self.options.near_threshold, |i| {
            echo_ok.get(i).is_some_and(|e| e.first)
        });
        for (i, p) in paras.iter().enumerate() {
            if !p.eligible {
                continue;
            }
            let key = hash(p.folded.as_bytes());
            let earlier = first_copy.get(&key).copied();
            if let Some(prev) = i.checked_sub(1).and_then(|j| paras.get(j))
                && prev.eligible
                && !is_label(p)
                && (prev.raw == p.raw || may_be_near_copies(prev, p))
                && (prev.folded == p.folded || self.near(prev, p))
            {
                let typo = typography.get_or_insert_with(|| Typography::of(doc.text()));
                out.push(self.adjacent(prev, p, typo));
                reported[i] = true;
            } else if let Some(j) = earlier
                && echo_ok.get(i).is_some_and(|e| e.later)
                && paras.get(j).is_some_and(|q| {
                    q.folded == p.folded && echo_ok.get(j).is_some_and(|e| e.first)
                })
            {
                out.extend(self.echo(&paras, j, i, None));
                reported[i] = true;
            } else if echo_ok.get(i).is_some_and(|e| e.later)
                && let Some((j, similarity)) = near.find(i, |j, words, other, lose| {
                    let q = paras.get(j)?;
                    if j + 1 >= i
                        || !echo_ok.get(j).is_some_and(|e| e.first)
                        || !lengths_allow(p, q, self.options.near_threshold)
                    {
                        return None;
                    }
                    // Words lost either way bound the edit distance from below. Long
                    // paragraphs may in theory lose three words per 3-gram; in practice
                    // near copies share most words, and asking for 70% of them spares
                    // computing 3-grams for every candidate.
                    let common = overlap(words, other);
                    let most = words.len().max(other.len());
                    if most > common + lose
                        || (q.chars.max(p.chars) > SHORT && common * 10 < most * 7)
                    {
                        return None;
                    }
                    near_similarity(q, p, self.options.near_threshold)
                })
            {
                // A folded-equal copy whose first occurrence was not a possible echo
                // source is found here through a later one: still an exact repeat.
                let exact = paras.get(j).is_some_and(|q| q.folded == p.folded);
                out.extend(self.echo(&paras, j, i, (!exact).then_some(similarity)));
                reported[i] = true;
            }
            first_copy.entry(key).or_insert(i);
            near.insert(i);
        }
        self.sentences(doc, &paras, &reported, &echo_ok, out);
    }
}

impl DuplicateParagraph {
    fn paragraphs<'a>(&self, doc: &'a Document) -> Vec<Para<'a>> {
        let mut buf = String::new();
        let mut paras = doc
            .blocks()
            .iter()
            .map(|b| {
                let raw = doc.slice(b.span);
                Fold::FULL.apply_into(raw, &mut buf);
                let words = count_words(&buf);
                let chars = buf.chars().count();
                let eligible = words >= self.options.min_words && chars >= self.options.min_chars;
                Para {
                    span: b.span,
                    first_line: b.first_line,
                    raw,
                    folded: if eligible { buf.clone() } else { String::new() },
                    chars,
                    words,
                    sentence: ends_sentence(raw),
                    grams: OnceCell::new(),
                    eligible,
                    shape: if eligible {
                        shape(raw, words)
                    } else {
                        Shape::Heading
                    },
                }
            })
            .collect::<Vec<_>>();
        // A page with several paragraphs that open with a question is a FAQ: its
        // entries ("Are bicycles allowed? No.") recur under every item. One or two such
        // openings are prose ("The challenge? Solar installations involve...").
        let faq: Vec<usize> = paras
            .iter()
            .enumerate()
            .filter(|(_, p)| p.shape == Shape::Prose && opens_with_question(p.raw.trim()))
            .map(|(i, _)| i)
            .collect();
        if faq.len() >= FAQ_ENTRIES {
            for i in faq {
                if let Some(p) = paras.get_mut(i) {
                    p.shape = Shape::Heading;
                }
            }
        }
        paras
    }

    /// Whether two folded paragraphs are near copies (or equal).
    fn near(&self, a: &Para<'_>, b: &Para<'_>) -> bool {
        near_similarity(a, b, self.options.near_threshold).is_some()
    }

    fn adjacent(&self, first: &Para<'_>, second: &Para<'_>, typo: &Typography) -> Diagnostic {
        let line = first.first_line + 1;
        let identical = first.raw == second.raw;
        let message = if first.folded == second.folded {
            format!(
                "Paragraph repeats the one on line {line}{}",
                how_they_differ(first.raw, second.raw)
            )
        } else {
            format!(
                "Paragraph nearly repeats the one on line {line} ({}% similar)",
                percent(near_similarity(first, second, self.options.near_threshold))
            )
        };
        // Keep the copy that matches the document's typography: deleting the first copy
        // means deleting it and the blank line after it.
        let keep_second = !identical && typo.score(second.raw) > typo.score(first.raw);
        let (delete, help) = if keep_second {
            (
                Span::new(first.span.start, second.span.start),
                "Delete the first copy, whose quotes and dashes differ from the rest of the document",
            )
        } else {
            (
                Span::new(first.span.end, second.span.end),
                "Delete the second copy",
            )
        };
        let applicability = if identical {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        };
        Diagnostic::new(&META, second.span, message)
            .with_label(first.span, "first copy")
            .with_label(second.span, "second copy")
            .with_help(help)
            .with_fix(Fix::delete(applicability, delete))
    }

    fn echo(
        &self,
        paras: &[Para<'_>],
        j: usize,
        i: usize,
        similarity: Option<f64>,
    ) -> Option<Diagnostic> {
        let (first, later) = (paras.get(j)?, paras.get(i)?);
        // The copy and the line break and blank line before it (after it, for the
        // first paragraph of the text).
        let delete = match (
            i.checked_sub(1).and_then(|k| paras.get(k)),
            paras.get(i + 1),
        ) {
            (Some(prev), _) => Span::new(prev.span.end, later.span.end),
            (None, Some(next)) => Span::new(later.span.start, next.span.start),
            (None, None) => later.span,
        };
        let line = first.first_line + 1;
        let message = match similarity {
            None => format!(
                "Paragraph repeats the one on line {line}{}",
                how_they_differ(first.raw, later.raw)
            ),
            Some(s) => format!(
                "Paragraph nearly repeats the one on line {line} ({}% similar)",
                percent(Some(s))
            ),
        };
        Some(
            Diagnostic::new(&META, later.span, message)
                .with_label(first.span, "first copy")
                .with_label(later.span, "repeated here")
                .with_help("Delete the later copy")
                .with_fix(Fix::delete(Applicability::Unsafe, delete)),
        )
    }

    /// Repeated sentences of 8 words or more, in paragraphs not already reported whole:
    /// in one paragraph (`A. A.`), or where one of the two paragraphs is that sentence
    /// alone (a caption echoed inside a body paragraph, a pull quote). Two long
    /// paragraphs that share a sentence are usually one template filled twice ("There is
    /// little information about its packaging available."), and questions recur in
    /// FAQs: neither is reported.
    fn sentences(
        &self,
        doc: &Document,
        paras: &[Para<'_>],
        reported: &[bool],
        echo_ok: &[Echo],
        out: &mut Vec<Diagnostic>,
    ) {
        // Folded sentence hash -> (paragraph, sentence index, span, paragraph is that
        // sentence alone).
        let mut seen: HashMap<u64, (usize, usize, Span, bool), IdBuild> = HashMap::default();
        let mut buf = String::new();
        for (i, p) in paras.iter().enumerate() {
            if !p.eligible || reported[i] || p.shape != Shape::Prose {
                continue;
            }
            let sentences = split_sentences(p.raw);
            let alone = sentences.len() == 1;
            let text_of = |k: usize| {
                sentences
                    .get(k)
                    .and_then(|&(a, b)| p.raw.get(a..b))
                    .unwrap_or("")
            };
            let mut k = 0;
            while k < sentences.len() {
                let text = text_of(k);
                let at = k;
                k += 1;
                if is_question(text) {
                    continue;
                }
                sentence_key(text, &mut buf);
                if count_words(&buf) < SENTENCE_WORDS {
                    continue;
                }
                let Some(&(start, end)) = sentences.get(at) else {
                    continue;
                };
                let span = Span::new(p.span.start + start, p.span.start + end);
                let key = hash(buf.as_bytes());
                let Some(&(j, m, first, first_alone)) = seen.get(&key) else {
                    seen.insert(key, (i, at, span, alone));
                    continue;
                };
                // Across paragraphs, only where both could be an echo's copies: not
                // list entries, not recurring elements.
                let source = |k: usize| echo_ok.get(k).is_some_and(|e| e.first);
                let related = j == i || (first_alone != alone && source(i) && source(j));
                if !related || sentence_folded(doc.slice(first)) != buf {
                    continue;
                }
                // In one paragraph, the sentences after a repeated one often repeat too
                // ("A. B. A. B."), short ones included: take the whole repeated run.
                let mut last = at;
                if j == i {
                    while m + (last - at) + 1 < at
                        && last + 1 < sentences.len()
                        && sentence_folded(text_of(last + 1))
                            == sentence_folded(text_of(m + (last - at) + 1))
                    {
                        last += 1;
                    }
                    k = last + 1;
                }
                let end = sentences.get(last).map_or(end, |s| s.1);
                let span = Span::new(span.start, p.span.start + end);
                let count = last - at + 1;
                let opening = |t: &str| -> String {
                    t.trim_start_matches(|c: char| is_quote(c) || matches!(c, '(' | '['))
                        .to_owned()
                };
                let how = how_they_differ(&opening(doc.slice(first)), &opening(text));
                let message = match (j == i, count) {
                    (true, 1) => format!("Sentence repeats an earlier one in this paragraph{how}"),
                    (true, n) => format!("{n} sentences repeat earlier ones in this paragraph"),
                    (false, _) => format!(
                        "Sentence repeats one on line {}{how}",
                        doc.line_of(first.start) + 1
                    ),
                };
                // The sentences and the space before them; a paragraph's first sentence
                // takes the space after it instead.
                let delete = match at.checked_sub(1).and_then(|k| sentences.get(k)) {
                    Some(&(_, prev_end)) => Span::new(p.span.start + prev_end, span.end),
                    None => match sentences.get(last + 1) {
                        Some(&(next, _)) => Span::new(span.start, p.span.start + next),
                        None => span,
                    },
                };
                let diagnostic = Diagnostic::new(&META, span, message)
                    .with_label(first, "first copy")
                    .with_label(span, "repeated here");
                // Across paragraphs one copy is a caption or pull quote, the other part
                // of the body: which to drop is the editor's call.
                out.push(if j == i {
                    diagnostic
                        .with_help("Delete the repeated sentence")
                        .with_fix(Fix::delete(Applicability::Unsafe, delete))
                } else {
                    diagnostic.with_help("Keep the sentence in one place")
                });
            }
        }
    }
}

/// A sentence folded for comparison, without the quotes or bracket it opens with: a
/// caption quoted in the body (`“It is impossible … ruling.”`) is the same sentence.
fn sentence_key(sentence: &str, buf: &mut String) {
    Fold::FULL.apply_into(sentence, buf);
    let lead = buf.len() - buf.trim_start_matches(['\'', '(', '[', ' ']).len();
    buf.drain(..lead);
}

fn sentence_folded(sentence: &str) -> String {
    let mut buf = String::new();
    sentence_key(sentence, &mut buf);
    buf
}

fn is_question(sentence: &str) -> bool {
    sentence
        .trim_end()
        .trim_end_matches(|c: char| is_quote(c) || matches!(c, ')' | ']'))
        .ends_with('?')
}

/// " with different quotes and dashes", or "" when the texts are identical.
fn how_they_differ(a: &str, b: &str) -> String {
    let steps = Fold::FULL.differences(a, b);
    let names: Vec<&str> = steps.iter().map(|s| s.describe()).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => format!(" with different {one}"),
        [init @ .., last] => format!(" with different {} and {last}", init.join(", ")),
    }
}

fn percent(similarity: Option<f64>) -> u32 {
    // Floor, so that "100% similar" is only said of equal texts.
    similarity.map_or(0, |s| (s * 100.0).floor() as u32)
}

/// An echo is a defect when prose or a caption comes back; a heading, list item, label
/// or code line that recurs is the page's structure.
/// Which paragraphs are reported when they repeat an earlier, non-adjacent one (and
/// may be the first copy of such an echo): prose of 8 words or more that is not a
/// short line set among short lines; and a caption (no final punctuation) only between body paragraphs, as
/// the seed's echoed caption is; and never a paragraph that the page has three times
/// or more. Short lines around a paragraph make it an entry of a
/// list: a table of contents, a menu, teaser headlines, the steps of a how-to in the
/// raw view (where list markers are gone). Those recur by design.
fn echo_targets(paras: &[Para<'_>]) -> Vec<Echo> {
    let at = |i: Option<usize>| i.and_then(|i| paras.get(i));
    let body = |p: Option<&Para<'_>>| p.is_none_or(|p| echo_shape(p) && p.sentence);
    let short = |p: Option<&Para<'_>>| p.is_some_and(|p| !p.eligible || p.words <= LIST_WORDS);
    // Copies in a row count once: the seed's caption printed twice and echoed once is
    // two occurrences, not three.
    let mut copies: HashMap<u64, u32, IdBuild> = HashMap::default();
    for (i, p) in paras.iter().enumerate().filter(|(_, p)| p.eligible) {
        let in_row = at(i.checked_sub(1)).is_some_and(|q| q.eligible && q.folded == p.folded);
        if !in_row {
            *copies.entry(hash(p.folded.as_bytes())).or_insert(0) += 1;
        }
    }
    (0..paras.len())
        .map(|i| {
            let Some(p) = paras.get(i) else {
                return Echo::default();
            };
            let (prev, next) = (at(i.checked_sub(1)), at(Some(i + 1)));
            // A long paragraph between two headings is ordinary body text.
            let listed = p.words <= LIST_ENTRY_WORDS && short(prev) && short(next);
            // Three copies or more make a recurring element, not a scraping accident:
            // a forum signature, the terms under every offer, the note in every tab.
            let recurring = copies
                .get(&hash(p.folded.as_bytes()))
                .is_some_and(|&n| n >= RECURRING);
            let first = echo_shape(p) && !listed && !recurring;
            Echo {
                first,
                later: first && (p.sentence || (body(prev) && body(next))),
            }
        })
        .collect()
}

impl Para<'_> {
    fn trigrams(&self) -> &[u64] {
        self.grams.get_or_init(|| trigrams(&self.folded))
    }
}

/// Whether a paragraph may be the first copy, and the later copy, of an echo.
#[derive(Debug, Clone, Copy, Default)]
struct Echo {
    first: bool,
    later: bool,
}

fn echo_shape(p: &Para<'_>) -> bool {
    p.eligible && p.shape == Shape::Prose && p.words >= ECHO_WORDS
}

/// Whether two paragraphs that are not byte for byte equal may be copies rather than
/// rows of one template: table rows and list items that differ in a word are different
/// rows, and in code quotes and dashes are syntax (`--data '{"a":1}'` for one shell,
/// `--data "{'a':1}"` for another).
fn may_be_near_copies(a: &Para<'_>, b: &Para<'_>) -> bool {
    let row = |p: &Para<'_>| matches!(p.shape, Shape::ListItem | Shape::Code);
    !row(a) && !row(b)
}

/// A short `Key: value` line (`Credit: The Spruce Eats`, `Team Size: 11 – 50
/// employees`): two such lines in a row are two items of a grid that share a value,
/// not one line printed twice.
fn is_label(p: &Para<'_>) -> bool {
    let text = p.raw.trim();
    p.words <= LABEL_WORDS
        && !p.sentence
        && text
            .split_once(": ")
            .is_some_and(|(key, _)| key.split_whitespace().count() <= 3)
}

/// The cheapest test first: near copies have similar lengths.
fn lengths_allow(a: &Para<'_>, b: &Para<'_>, threshold: f64) -> bool {
    let (short, long) = if a.chars <= b.chars { (a, b) } else { (b, a) };
    let ratio = if long.chars <= SHORT {
        threshold
    } else {
        LONG_THRESHOLD
    };
    short.chars as f64 >= long.chars as f64 * ratio
}

/// Similarity of two near copies, or `None` when they are not.
fn near_similarity(a: &Para<'_>, b: &Para<'_>, threshold: f64) -> Option<f64> {
    if a.folded == b.folded {
        return Some(1.0);
    }
    let (short, long) = if a.chars <= b.chars { (a, b) } else { (b, a) };
    if long.chars <= SHORT {
        // Levenshtein distance is at least the length difference.
        if (short.chars as f64) < long.chars as f64 * threshold {
            return None;
        }
        let edits = ((1.0 - threshold) * long.chars as f64).floor() as usize;
        if histogram_distance(&a.folded, &b.folded) > edits {
            return None;
        }
        let s = strsim::normalized_levenshtein(&a.folded, &b.folded);
        (s >= threshold && same_text(&a.folded, &b.folded)).then_some(s)
    } else {
        if (short.chars as f64) < long.chars as f64 * LONG_THRESHOLD {
            return None;
        }
        let s = jaccard(a.trigrams(), b.trigrams());
        (s >= LONG_THRESHOLD && same_text(&a.folded, &b.folded)).then_some(s)
    }
}

/// A lower bound of the edit distance, in linear time: every edit changes the count of
/// at most two characters by one, so the distance is at least half the L1 distance of
/// the character histograms (here over 64 buckets, which only lowers it).
fn histogram_distance(a: &str, b: &str) -> usize {
    let mut counts = [0i32; 64];
    for c in a.chars() {
        counts[(c as usize) & 63] += 1;
    }
    for c in b.chars() {
        counts[(c as usize) & 63] -= 1;
    }
    let l1: i32 = counts.iter().map(|n| n.abs()).sum();
    (l1 as usize).div_ceil(2)
}

/// Whether two near copies differ the way copies of one text do, rather than the way
/// two fillings of one template do. Strip the words they share at both ends; what is
/// left must be an insertion or deletion (a credit or label added, a word dropped,
/// text cut short), spacing or punctuation (`Houseis` / `House is`), or one word
/// spelled one letter apart (`colour` / `color`). A word swapped for another (`C#` /
/// `Java`, `include` / `exclude`, `Chapter 1` / `Chapter 2`) is a template filled twice.
fn same_text(a: &str, b: &str) -> bool {
    let wa: Vec<&str> = a.split(' ').collect();
    let wb: Vec<&str> = b.split(' ').collect();
    let prefix = wa.iter().zip(&wb).take_while(|(x, y)| x == y).count();
    let room = wa.len().min(wb.len()) - prefix;
    let suffix = wa
        .iter()
        .rev()
        .zip(wb.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    let ma = wa.get(prefix..wa.len() - suffix).unwrap_or(&[]);
    let mb = wb.get(prefix..wb.len() - suffix).unwrap_or(&[]);
    if ma.is_empty() || mb.is_empty() {
        return true;
    }
    let letters = |m: &[&str]| -> String {
        m.iter()
            .flat_map(|w| w.chars())
            .filter(|c| c.is_alphanumeric())
            .collect()
    };
    if letters(ma) == letters(mb) {
        return true;
    }
    match (ma, mb) {
        ([x], [y]) => {
            // `UK` / `US` and `ICDPA` / `VCDPA` are different words; `colour` /
            // `color` are one. Typos rarely hit a word's first letter.
            x.chars().count().min(y.chars().count()) >= 5
                && x.chars().next() == y.chars().next()
                && !x.chars().chain(y.chars()).any(|c| c.is_numeric())
                && strsim::levenshtein(x, y) == 1
        }
        _ => false,
    }
}

/// Words: space-separated pieces of the folded text with a letter in them, URLs aside.
fn count_words(folded: &str) -> usize {
    folded
        .as_bytes()
        .split(|&b| b == b' ')
        .filter(|w| {
            w.iter().any(u8::is_ascii_alphabetic)
                || (!w.is_ascii()
                    && std::str::from_utf8(w).is_ok_and(|w| w.chars().any(char::is_alphabetic)))
        })
        .filter(|w| {
            !(w.starts_with(b"http") && w.windows(3).any(|x| x == b"://") || w.starts_with(b"www."))
        })
        .count()
}

fn shape(raw: &str, words: usize) -> Shape {
    let text = raw.trim();
    let mut chars = text.chars();
    let first = chars.next().unwrap_or(' ');
    let second = chars.next().unwrap_or(' ');
    if first == '>' {
        return Shape::Quote;
    }
    if first == '|'
        || matches!(
            first,
            '•' | '·'
                | '◦'
                | '▪'
                | '▫'
                | '○'
                | '●'
                | '■'
                | '□'
                | '►'
                | '▶'
                | '➤'
                | '✓'
                | '✔'
                | '→'
        )
        || (matches!(first, '-' | '*' | '+' | '–' | '—') && second.is_whitespace())
        || is_numbered(text)
    {
        return Shape::ListItem;
    }
    if ["//", "/*", "<!--", "#!", "```"]
        .iter()
        .any(|start| text.starts_with(start))
    {
        return Shape::Code;
    }
    let symbols = text
        .chars()
        .filter(|c| {
            matches!(
                c,
                '{' | '}'
                    | '['
                    | ']'
                    | '('
                    | ')'
                    | '<'
                    | '>'
                    | '='
                    | ';'
                    | ':'
                    | '_'
                    | '\\'
                    | '`'
                    | '$'
                    | '#'
                    | '|'
                    | '/'
                    | '*'
                    | '!'
            )
        })
        .count();
    if symbols * 12 > text.chars().count()
        || [";", "{", "}", "=>", "("]
            .iter()
            .any(|end| text.ends_with(end))
    {
        return Shape::Code;
    }
    let end = text
        .trim_end_matches(|c: char| is_quote(c) || matches!(c, ')' | ']' | '*'))
        .chars()
        .next_back()
        .unwrap_or(' ');
    // Title Case is a heading's, even with a question mark ("How Can I Reduce Costs for
    // the Most Expensive Parts of a Remodel?"); sentences are not written that way.
    if words <= 20 && title_case(text) {
        return Shape::Heading;
    }
    match end {
        ':' => Shape::Heading,
        '?' if words <= 12 => Shape::Heading,
        '.' | '!' | '?' | '…' => Shape::Prose,
        _ if words <= 8 || title_case(text) => Shape::Heading,
        _ => Shape::Prose,
    }
}

/// Ends in `.`, `!`, `?` or `…`, before any closing quotes and brackets.
fn ends_sentence(raw: &str) -> bool {
    raw.trim_end()
        .trim_end_matches(|c: char| is_quote(c) || matches!(c, ')' | ']' | '*'))
        .ends_with(['.', '!', '?', '…'])
}

/// A FAQ entry ("Are bicycles allowed? No."): its question recurs under every item.
fn opens_with_question(text: &str) -> bool {
    for (i, c) in text.char_indices().take(200) {
        match c {
            '?' => return text.get(i + 1..).is_some_and(|r| r.starts_with(' ')),
            // A sentence before the question: prose that asks, not a FAQ entry.
            '.' | '!' if text.get(i + 1..).is_some_and(|r| r.starts_with(' ')) => return false,
            _ => {}
        }
    }
    false
}

/// `1. `, `12) `, `(3) `, `a) `: a numbered or lettered item.
fn is_numbered(text: &str) -> bool {
    let body = text.strip_prefix('(').unwrap_or(text);
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    let rest = match digits {
        0 => {
            let mut cs = body.chars();
            match (cs.next(), cs.next()) {
                (Some(c), Some(')')) if c.is_ascii_lowercase() => cs.as_str(),
                _ => return false,
            }
        }
        1..=3 => match body.get(digits..).and_then(|r| r.strip_prefix(['.', ')'])) {
            Some(r) => r,
            None => return false,
        },
        _ => return false,
    };
    rest.starts_with(char::is_whitespace)
}

/// Most words capitalized: a headline or a title, not a caption.
fn title_case(text: &str) -> bool {
    const SMALL: [&str; 16] = [
        "a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to",
        "vs", "with",
    ];
    let mut words = 0;
    let mut capitals = 0;
    for w in text.split_whitespace() {
        let Some(c) = w.chars().find(|c| c.is_alphanumeric()) else {
            continue;
        };
        if SMALL.iter().any(|s| s.eq_ignore_ascii_case(w)) {
            continue;
        }
        words += 1;
        if c.is_uppercase() || c.is_numeric() {
            capitals += 1;
        }
    }
    words >= 2 && capitals * 10 >= words * 8
}

/// Byte ranges of the sentences of a paragraph: each ends at `.`, `!`, `?` or `…` (and
/// closing quotes or brackets) before a space and a capital, an opening quote or bracket.
fn split_sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if start.is_none() {
            if c.is_whitespace() {
                continue;
            }
            start = Some(i);
        }
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, n)) = iter.peek() {
            if matches!(n, '.' | '!' | '?' | '…' | ')' | ']') || is_quote(n) {
                end = j + n.len_utf8();
                iter.next();
            } else {
                break;
            }
        }
        let after = text.get(end..).unwrap_or("");
        let next = after.trim_start();
        let spaced = after.len() > next.len();
        // Not before a digit: "Fig. 1", "No. 3".
        let starts_sentence = next.chars().next().is_some_and(|n| {
            n.is_uppercase() || is_quote(n) || !(n.is_alphabetic() || n.is_numeric())
        });
        if (next.is_empty() || (spaced && starts_sentence))
            && let Some(s) = start.take()
        {
            out.push((s, end));
        }
    }
    if let Some(s) = start {
        let end = text.trim_end().len();
        if end > s {
            out.push((s, end));
        }
    }
    out
}

fn trigrams(folded: &str) -> Vec<u64> {
    let words: Vec<&str> = folded.split(' ').collect();
    let mut grams: Vec<u64> = if words.len() < 3 {
        vec![hash(folded.as_bytes())]
    } else {
        words
            .windows(3)
            .map(|w| {
                let mut h = Fnv::default();
                for part in w {
                    h.write(part.as_bytes());
                    h.write_u8(0);
                }
                h.finish()
            })
            .collect()
    };
    grams.sort_unstable();
    grams.dedup();
    grams
}

fn word_set(folded: &str) -> Vec<u64> {
    let mut words: Vec<u64> = folded.split(' ').map(|w| hash(w.as_bytes())).collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// Size of the intersection of two sorted, deduplicated lists.
fn overlap(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let common = overlap(a, b);
    let union = a.len() + b.len() - common;
    if union == 0 {
        1.0
    } else {
        common as f64 / union as f64
    }
}

/// Candidate generation for near copies without comparing all pairs: prefix filtering
/// (Chaudhuri et al. 2006, "A primitive operator for similarity joins"). Each paragraph
/// is the set of its folded words, sorted rarest first in the document; if two sets
/// can each lose at most `k` words to the other, the first `k + 1` of each share a
/// word, so only those prefixes are indexed and probed. `k` follows from the
/// thresholds: an edit changes at most two words, so a short paragraph within edit
/// distance `e` loses at most `2e`; a long one with 3-gram Jaccard `t` loses at most
/// `(1 - t) / t` of its 3-grams, each of which holds three words.
struct NearIndex {
    /// Per paragraph: its words, rarest first (empty when it is not indexed).
    tokens: Vec<Vec<u64>>,
    /// The same words sorted by value, to count common words.
    sorted: Vec<Vec<u64>>,
    prefix: Vec<usize>,
    /// Per paragraph: how many of its words a near copy may lack (see `may_lose`).
    lose: Vec<usize>,
    postings: HashMap<u64, Vec<u32>, IdBuild>,
    /// Per paragraph: the last paragraph it was a candidate for, and how many words of
    /// that paragraph's prefix it shared.
    hits: Vec<(u32, u32)>,
}

impl NearIndex {
    fn new(paras: &[Para<'_>], threshold: f64, indexed: impl Fn(usize) -> bool) -> Self {
        let sorted: Vec<Vec<u64>> = paras
            .iter()
            .enumerate()
            .map(|(i, p)| {
                if indexed(i) {
                    word_set(&p.folded)
                } else {
                    Vec::new()
                }
            })
            .collect();
        let lose: Vec<usize> = paras.iter().map(|p| may_lose(p, threshold)).collect();
        let mut df: HashMap<u64, u32, IdBuild> = HashMap::default();
        for t in &sorted {
            for &token in t {
                *df.entry(token).or_insert(0) += 1;
            }
        }
        let mut tokens = sorted.clone();
        let prefix = tokens
            .iter_mut()
            .zip(&lose)
            .map(|(t, &lose)| {
                // Look each document frequency up once, not in every comparison.
                let mut keyed: Vec<(u32, u64)> = t
                    .iter()
                    .map(|token| (df.get(token).copied().unwrap_or(0), *token))
                    .collect();
                keyed.sort_unstable();
                t.clear();
                t.extend(keyed.into_iter().map(|(_, token)| token));
                (lose + 1).min(t.len())
            })
            .collect();
        NearIndex {
            lose,
            hits: vec![(u32::MAX, 0); tokens.len()],
            tokens,
            sorted,
            prefix,
            postings: HashMap::default(),
        }
    }

    fn insert(&mut self, i: usize) {
        let Ok(id) = u32::try_from(i) else { return };
        let Some(tokens) = self.tokens.get(i) else {
            return;
        };
        let n = self.prefix.get(i).copied().unwrap_or(0);
        for &token in tokens.iter().take(n) {
            self.postings.entry(token).or_default().push(id);
        }
    }

    /// The earliest indexed paragraph for which `similar` gives a similarity, among
    /// the candidates that share the most prefix words with paragraph `i`.
    fn find(
        &mut self,
        i: usize,
        mut similar: impl FnMut(usize, &[u64], &[u64], usize) -> Option<f64>,
    ) -> Option<(usize, f64)> {
        let id = u32::try_from(i).ok()?;
        let mut candidates: Vec<u32> = Vec::new();
        let tokens = self.tokens.get(i).map_or(&[][..], Vec::as_slice);
        let n = self.prefix.get(i).copied().unwrap_or(0);
        for token in tokens.iter().take(n) {
            let Some(list) = self.postings.get(token) else {
                continue;
            };
            if list.len() > MAX_POSTINGS {
                continue;
            }
            for &j in list {
                if let Some(hit) = self.hits.get_mut(j as usize) {
                    if hit.0 == id {
                        hit.1 += 1;
                    } else {
                        *hit = (id, 1);
                        candidates.push(j);
                    }
                }
            }
        }
        if candidates.len() > MAX_CANDIDATES {
            let hits = &self.hits;
            candidates.sort_unstable_by_key(|&j| {
                std::cmp::Reverse(hits.get(j as usize).map_or(0, |h| h.1))
            });
            candidates.truncate(MAX_CANDIDATES);
        }
        candidates.sort_unstable();
        let words = self.sorted.get(i).map_or(&[][..], Vec::as_slice);
        candidates.into_iter().find_map(|j| {
            let j = j as usize;
            let other = self.sorted.get(j).map_or(&[][..], Vec::as_slice);
            let lose = self.lose.get(i).max(self.lose.get(j)).copied().unwrap_or(0);
            similar(j, words, other, lose).map(|s| (j, s))
        })
    }
}

/// How many of its distinct words a paragraph can lose to a near copy (see `NearIndex`).
fn may_lose(p: &Para<'_>, threshold: f64) -> usize {
    let mut k = 0;
    if p.chars as f64 <= SHORT as f64 / threshold {
        // Against a partner of at most chars / threshold chars.
        let edits = ((1.0 - threshold) * p.chars as f64 / threshold).floor() as usize;
        k = 2 * edits;
    }
    if p.chars as f64 > SHORT as f64 * LONG_THRESHOLD {
        let grams = p.folded.split(' ').count().saturating_sub(2);
        let lost = ((1.0 - LONG_THRESHOLD) / LONG_THRESHOLD * grams as f64).floor() as usize;
        k = k.max(3 * lost);
    }
    k
}

/// The document's typography, to choose which of two copies to keep.
struct Typography {
    curly: usize,
    straight: usize,
}

impl Typography {
    fn of(text: &str) -> Self {
        let mut t = Typography {
            curly: 0,
            straight: 0,
        };
        for c in text.chars() {
            match c {
                '‘' | '’' | '“' | '”' => t.curly += 1,
                '\'' | '"' => t.straight += 1,
                _ => {}
            }
        }
        t
    }

    /// How well a copy matches: its quotes against the document's majority, and its
    /// word-joining dashes (`green–light` is wrong in every style, `green-light` right).
    fn score(&self, text: &str) -> i64 {
        let mut score = 0i64;
        let prefer_curly = self.curly > self.straight;
        let prefer_straight = self.straight > self.curly;
        let chars: Vec<char> = text.chars().collect();
        for (k, &c) in chars.iter().enumerate() {
            match c {
                '‘' | '’' | '“' | '”' if prefer_curly => score += 1,
                '‘' | '’' | '“' | '”' if prefer_straight => score -= 1,
                '\'' | '"' if prefer_straight => score += 1,
                '\'' | '"' if prefer_curly => score -= 1,
                c if is_dash(c) => {
                    let before = k.checked_sub(1).and_then(|k| chars.get(k));
                    let after = chars.get(k + 1);
                    let joins = before.is_some_and(|b| b.is_lowercase())
                        && after.is_some_and(|a| a.is_lowercase());
                    if joins {
                        score += if c == '-' { 1 } else { -1 };
                    }
                }
                _ => {}
            }
        }
        score
    }
}

/// FNV-1a style, eight bytes at a time: fast for short keys, and the keys never leave
/// the process.
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        // A final mix, so that the low bits (the hash table's buckets) depend on all.
        let mut x = self.0;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^ (x >> 33)
    }

    fn write(&mut self, bytes: &[u8]) {
        // Eight bytes at a time: FNV-style mixing of 64-bit words, then the tail.
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.0 = (self.0 ^ u64::from_le_bytes(word))
                .wrapping_mul(0x0000_0100_0000_01b3)
                .rotate_left(29);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 ^= bytes.len() as u64;
    }
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h = Fnv::default();
    h.write(bytes);
    h.finish()
}

/// Keys that are already hashes are used as they are.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type IdBuild = BuildHasherDefault<IdHasher>;

#[cfg(test)]
mod tests {
    use super::{DuplicateParagraph, Options, same_text, split_sentences};
    use crate::document::fold::fold;
    use crate::rules::test::{assert_clean, check_fixture, fix_fixture, run};

    fn rule() -> DuplicateParagraph {
        DuplicateParagraph::default()
    }

    #[test]
    fn flags_repeated_captions_echoes_and_sentences() {
        insta::assert_snapshot!(check_fixture(&rule(), "duplicate-paragraph/flagged.txt"), @r"
            5:1 duplicate-paragraph Paragraph repeats the one on line 3 (label 3:1 first copy) (label 5:1 second copy) [safe fix]
            13:1 duplicate-paragraph Paragraph repeats the one on line 11 with different quotes (label 11:1 first copy) (label 13:1 second copy) [unsafe fix]
            21:1 duplicate-paragraph Paragraph nearly repeats the one on line 19 (96% similar) (label 19:1 first copy) (label 21:1 second copy) [unsafe fix]
            31:1 duplicate-paragraph Paragraph repeats the one on line 27 with different quotes (label 27:1 first copy) (label 31:1 repeated here) [unsafe fix]
            37:120 duplicate-paragraph Sentence repeats an earlier one in this paragraph with different dashes (label 37:1 first copy) (label 37:120 repeated here) [unsafe fix]
            43:141 duplicate-paragraph 2 sentences repeat earlier ones in this paragraph (label 43:1 first copy) (label 43:141 repeated here) [unsafe fix]
        ");
    }

    #[test]
    fn the_fix_deletes_one_copy_and_its_blank_line() {
        fix_fixture(&rule(), "duplicate-paragraph/flagged.txt");
    }

    #[test]
    fn real_pages_with_recurring_headings_labels_rows_and_shared_phrases_are_clean() {
        assert_clean(
            &rule(),
            include_str!("../../tests/fixtures/duplicate-paragraph/clean.txt"),
        );
    }

    #[test]
    fn paragraphs_sharing_a_phrase_are_not_copies() {
        assert_clean(
            &rule(),
            "The White House said talks would go on.\n\nThe White House said nothing more.\n",
        );
    }

    #[test]
    fn the_typography_only_copy_keeps_the_curly_version_in_a_curly_document() {
        let text = "“Quoted,” she said. It’s here.\n\n\
                    Mexico's president Claudia Sheinbaum has rejected US plans\n\n\
                    Mexico’s president Claudia Sheinbaum has rejected US plans\n\n\
                    The two agreed to continue working together.\n";
        let (doc, found) = run(&rule(), text);
        assert_eq!(found.len(), 1);
        let fixed = crate::fix::apply(doc.text(), &found, true).text;
        assert!(fixed.contains("Mexico’s"), "{fixed}");
        assert!(!fixed.contains("Mexico's"), "{fixed}");
        assert!(!fixed.contains("\n\n\n"), "{fixed}");
    }

    #[test]
    fn an_en_dash_inside_a_word_loses_to_the_hyphen() {
        let text = "The White House is pushing Mexico to green–light joint operations\n\n\
                    The White House is pushing Mexico to green-light joint operations\n";
        let (doc, found) = run(&rule(), text);
        let fixed = crate::fix::apply(doc.text(), &found, true).text;
        assert_eq!(
            fixed,
            "The White House is pushing Mexico to green-light joint operations\n"
        );
    }

    #[test]
    fn a_caption_between_body_paragraphs_echoes_later_as_a_sentence() {
        let text = "Troops were sent to the border on Monday, officials said, as the talks between the two governments stalled.\n\n\
                    US Army soldiers guard the construction of a secondary border wall in Santa Teresa\n\n\
                    The move follows months of talks between the two governments about the cartels and their labs.\n\n\
                    Officials did not say how long the deployment would last or how many troops would stay.\n\n\
                    US Army soldiers guard the construction of a secondary border wall in Santa Teresa.\n";
        insta::assert_snapshot!(run_render(text), @r"
            9:1 duplicate-paragraph Paragraph repeats the one on line 3 with different final punctuation (label 3:1 first copy) (label 9:1 repeated here) [unsafe fix]
        ");
    }

    #[test]
    fn a_caption_quoted_inside_a_body_paragraph_is_a_repeated_sentence() {
        let text = "The appellate court ruled on Thursday that Amazon can be held liable for products sold by others.\n\n\
                    It is impossible to overstate the magnitude of this ruling for online sellers\n\n\
                    The case began when a laptop battery bought through the site caught fire in a San Diego home.\n\n\
                    Her lawyer had a more succinct statement after the ruling. “It is impossible to overstate the magnitude of this ruling for online sellers.” Consumers will feel the impact of this.\n";
        insta::assert_snapshot!(run_render(text), @r"
            7:60 duplicate-paragraph Sentence repeats one on line 3 with different final punctuation (label 3:1 first copy) (label 7:60 repeated here)
        ");
    }

    #[test]
    fn a_near_copy_with_one_word_changed_is_flagged_in_a_row_and_far_apart() {
        let text = "0.60% per trade, lower with volume. Miner fees are also apply. Some deposit and withdrawal methods incur a fee.\n\n\
                    0.60% per trade, lower with volume. Miner fees also apply. Some deposit and withdrawal methods incur a fee.\n\n\
                    Coinbase charges a spread of about one half of a percent for purchases.\n\n\
                    Its support pages list the fees for every country it works in.\n\n\
                    0.60% per trade, lower with volume. Miner fees also apply. Some deposits and withdrawal methods incur a fee.\n";
        insta::assert_snapshot!(run_render(text), @r"
            3:1 duplicate-paragraph Paragraph nearly repeats the one on line 1 (96% similar) (label 1:1 first copy) (label 3:1 second copy) [unsafe fix]
            9:1 duplicate-paragraph Paragraph nearly repeats the one on line 3 (99% similar) (label 3:1 first copy) (label 9:1 repeated here) [unsafe fix]
        ");
    }

    #[test]
    fn template_lines_that_differ_in_one_slot_are_not_copies() {
        assert_clean(
            &rule(),
            "You're viewing the C# version of this article. Make sure to select your preferred Functions programming language at the top of the article.\n\n\
             You're viewing the Java version of this article. Make sure to select your preferred Functions programming language at the top of the article.\n\n\
             switch to the  UK edition\n\nswitch to the  US edition\n\n\
             You can use the all keyword to include all submodules.\n\n\
             You can use the all keyword to exclude all submodules.\n\n\
             curl --request POST http://localhost:7071/api/MyHttpTrigger --data '{\"name\":\"Azure Rocks\"}'\n\n\
             curl --request POST http://localhost:7071/api/MyHttpTrigger --data \"{'name':'Azure Rocks'}\"\n",
        );
        assert!(!same_text(
            &fold("Chapter 1: the storm"),
            &fold("Chapter 2: the storm")
        ));
        assert!(same_text(
            &fold("The White Houseis pushing"),
            &fold("The White House is pushing")
        ));
        assert!(same_text(
            &fold("Tax Status: There are two"),
            &fold("There are two")
        ));
    }

    #[test]
    fn headings_list_items_code_and_faq_entries_may_recur() {
        assert_clean(
            &rule(),
            "What Areas of the Home Can I Focus on With a $50,000 Budget?\n\n\
             - No refunds will be issued toward offer. Offer has no cash value.\n\n\
             Are bicycles allowed? Foldable bikes in a bag are accepted on every bus.\n\n\
             \x20 addComment(postId: ID!, input: AddCommentInput!): AddCommentPayload!\n\n\
             Some text in between that is long enough to be a paragraph of its own.\n\n\
             What Areas of the Home Can I Focus on With a $50,000 Budget?\n\n\
             - No refunds will be issued toward offer. Offer has no cash value.\n\n\
             Are bicycles allowed? Foldable bikes in a bag are accepted on every bus.\n\n\
             \x20 addComment(postId: ID!, input: AddCommentInput!): AddCommentPayload!\n",
        );
    }

    #[test]
    fn a_paragraph_the_page_has_three_times_is_a_recurring_element() {
        let sig =
            "Visit our shop for organic, premium dried culinary herbs grown and packaged in Maine.";
        let post = |n: usize| {
            format!("Post number {n} talks about goats, fences and the long winter in some detail.")
        };
        let text = format!(
            "{}\n\n{sig}\n\n{}\n\n{sig}\n\n{}\n\n{sig}\n",
            post(1),
            post(2),
            post(3)
        );
        assert_clean(&rule(), &text);
        // Two copies are an echo.
        let two = format!(
            "{}\n\n{sig}\n\n{}\n\n{}\n\n{sig}\n",
            post(1),
            post(2),
            post(3)
        );
        assert_eq!(run(&rule(), &two).1.len(), 1);
    }

    #[test]
    fn short_lines_are_left_to_the_boilerplate_rules() {
        assert_clean(
            &rule(),
            "Advertisement\n\nAdvertisement\n\nShare this story\n\nShare this story\n",
        );
        // Only punctuation, numbers or a URL.
        assert_clean(
            &rule(),
            "https://example.com/a/very/long/path/to/a/page\n\nhttps://example.com/a/very/long/path/to/a/page\n\n\
             1,234,567 - 8,910,111 - 12,131,415\n\n1,234,567 - 8,910,111 - 12,131,415\n",
        );
    }

    #[test]
    fn options_set_the_thresholds() {
        let text = "Four words only here\n\nFour words only here\n";
        assert_eq!(run(&rule(), text).1.len(), 1);
        let strict = DuplicateParagraph::new(Options {
            min_words: 5,
            ..Options::default()
        });
        assert_clean(&strict, text);
        let exact = DuplicateParagraph::new(Options {
            near_threshold: 1.0,
            ..Options::default()
        });
        assert_clean(
            &exact,
            "Miner fees are also apply. Some deposit and withdrawal methods incur a fee.\n\n\
             Miner fees also apply. Some deposit and withdrawal methods incur a fee.\n",
        );
    }

    #[test]
    fn a_repeated_run_of_sentences_is_one_finding() {
        let text = "In this section, we describe the architecture of ATF and its different components. (See Fig. 1 above.) In this section, we describe the architecture of ATF and its different components. (See Fig. 1 above.) Dropbox uses gRPC for remote calls.\n";
        let (doc, found) = run(&rule(), text);
        assert_eq!(found.len(), 1);
        let fixed = crate::fix::apply(doc.text(), &found, true).text;
        assert_eq!(
            fixed,
            "In this section, we describe the architecture of ATF and its different components. (See Fig. 1 above.) Dropbox uses gRPC for remote calls.\n"
        );
    }

    #[test]
    fn sentences_split_at_terminal_punctuation_before_a_capital() {
        let text = "U.S. officials said so. “It works,” he said. Then 3 more? Yes… fine";
        let parts: Vec<&str> = split_sentences(text)
            .into_iter()
            .map(|(a, b)| &text[a..b])
            .collect();
        assert_eq!(
            parts,
            vec![
                "U.S. officials said so.",
                "“It works,” he said.",
                "Then 3 more?",
                "Yes… fine"
            ]
        );
    }

    #[test]
    fn many_near_copies_stay_linear() {
        // A document made of one paragraph's variations must not compare all pairs.
        let mut text = String::new();
        for i in 0..2000 {
            text.push_str(&format!(
                "The committee met on day {i} and agreed to continue the talks next week.\n\n"
            ));
        }
        let start = std::time::Instant::now();
        let _ = run(&rule(), &text);
        assert!(start.elapsed().as_secs() < 5, "took {:?}", start.elapsed());
    }

    fn run_render(text: &str) -> String {
        let (doc, found) = run(&rule(), text);
        crate::rules::test::render(&doc, &found)
    }
}

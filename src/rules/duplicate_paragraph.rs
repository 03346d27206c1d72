//! `duplicate-paragraph`: a paragraph printed twice in a row (the repeated image
//! caption), a paragraph echoed later in the document, and a repeated sentence.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::declare_rule;
use crate::document::fold::{Fold, is_dash, is_quote};
use crate::document::{BlockKind, Document, Span};
use crate::rules::{Applicability, Diagnostic, Fix, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Compares paragraphs after folding away typography (NFKC, quote and dash forms,
    /// spacing, case and final punctuation; see `document::fold`) and flags:
    /// - a paragraph that repeats the one before it, exactly or nearly (the image
    ///   caption printed once from the figure and once from its caption). Two short
    ///   `Key: value` labels in a row (`Credit: The Spruce Eats`) are two grid items that
    ///   share a value and are left alone, as are equal table cells, short amounts
    ///   (`Up to $500,000 (per person)`) and three or more copies in a row (a label or
    ///   button printed under every photo or offer, a note under every tab);
    /// - a paragraph that comes back later in the document (a caption echoed as a body
    ///   paragraph): prose of 8 words or more that ends a sentence, or a caption set
    ///   between body paragraphs. What recurs by the page's design is left alone:
    ///   headings (short lines without final punctuation, Title Case), list items, table
    ///   rows, code, quoted replies (`> `), the entries of a FAQ page, a short line among
    ///   short lines (a table of contents, a menu, the steps of a how-to; a sentence
    ///   counts as one only when the lines two away are short too), a line that is not
    ///   a sentence next to another number of its series (`Cause 1: …` / `Cause 2: …`,
    ///   a table of contents' long entries), and any
    ///   paragraph the page has three times or more (a forum signature, an offer's terms,
    ///   the note under every tab), and a paragraph repeated once per item of a template:
    ///   near each copy sits one template filled differently (`Save $50 per room` /
    ///   `Save $25 per room`), or each copy follows different code (a docs note under
    ///   two functions). Echoes in step, with the same paragraphs between them in both
    ///   places, are one block printed twice (a section, a whole article): one finding
    ///   covers the block's later copy, with the headings and short lines around it
    ///   that are the same in both places;
    /// - a sentence of 8 words or more that repeats an earlier one in the same paragraph
    ///   (`A. A.`), or that is a whole paragraph elsewhere (a caption or pull quote
    ///   quoted in the body). Two long paragraphs sharing a sentence are usually one
    ///   template filled twice and are left alone, as are questions and pieces that
    ///   open in lower case (the tail of a sentence a hard-wrapped text broke across
    ///   paragraphs).
    ///
    /// In an HTML page, the chrome its markup declares takes no part: navigation,
    /// `aside`, dialogs, search, and the page-wide `header` and `footer` (by element or
    /// ARIA role). Menus, sidebars and modals repeat by design; they are the boilerplate
    /// rules' business.
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
    /// an echo: deletes the later copy (unsafe), and for a block the whole later copy of
    /// the block. For a sentence repeated in one
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
/// words is an entry of a list (unless it is a sentence with a longer paragraph two
/// blocks away: then the short lines are prose).
const LIST_WORDS: usize = 12;
const LIST_ENTRY_WORDS: usize = 16;
/// Paragraphs a block printed twice takes in at most at each end, beyond its echoes.
const MAX_EXTEND: usize = 64;
/// A block printed twice of at least this many paragraphs is a menu or link list printed
/// once per layout (desktop and mobile navigation), not a copy of the page's content,
/// when two thirds of its paragraphs are entries too short to be compared alone (menu
/// entries, links, teaser titles; not lines of code) and at most one in
/// `MENU_PER_SENTENCE` is a sentence (a menu's promo blurb). A section, a post or a
/// comment thread printed twice has its prose sentences.
const MENU_PARAGRAPHS: usize = 6;
const MENU_PER_SENTENCE: usize = 8;
/// Words up to which a `Key: value` line is a label.
const LABEL_WORDS: usize = 8;
/// Copies from which a paragraph is a recurring element of the page, not an echo.
const RECURRING: u32 = 3;
/// Paragraphs opening with a question from which a page is a FAQ.
const FAQ_ENTRIES: usize = 3;
/// Near-copy candidates verified per paragraph at most, so that a document made of one
/// paragraph's variations stays linear.
const MAX_CANDIDATES: usize = 8;
/// Entries of a candidate list walked per paragraph at most, for the same reason.
const MAX_WALK: usize = 64;
/// Paragraphs before and after each copy searched for signs of a per-item repeat.
const AROUND: usize = 5;
/// How far the items around two copies may be out of step.
const ALIGN: isize = 2;
/// Words from which two paragraphs can be one template filled twice.
const SLOT_WORDS: usize = 5;
/// Words a slot of a template holds at most.
const SLOT_MAX_WORDS: usize = 4;
/// Words up to which a short line with a number is a value in a table.
const VALUE_WORDS: usize = 6;
/// Words from which a piece of a paragraph (see `for_each_piece`) is keyed.
const PIECE_WORDS: usize = 4;
/// Letters and digits at each end of a folded paragraph that key its near copies.
const END_KEY: usize = 10;

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

/// The line a message names: where the user sees it, in the markup of an HTML or
/// Markdown file (as the finding's own position), not in the text read from it.
fn shown_line(doc: &Document, span: Span) -> usize {
    doc.locate(span).start.line
}

struct Para<'a> {
    span: Span,
    /// From the markup (HTML, Markdown); `Paragraph` in plain text.
    kind: BlockKind,
    raw: &'a str,
    /// The folded text; empty when the paragraph is not eligible.
    folded: &'a str,
    chars: usize,
    /// Counted when needed: most paragraphs only need to have a few.
    words: OnceCell<usize>,
    eligible: bool,
    /// Hash of the folded text.
    key: u64,
    /// Hashes of the first and of the last `END_KEY` letters and digits of the folded
    /// text. Near copies differ in one place (see `same_text`), so they share one end.
    head: u64,
    tail: u64,
    /// Ends in sentence punctuation (a caption usually does not).
    sentence: bool,
    /// Word 3-gram hashes, sorted, computed when a long near copy is checked.
    grams: OnceCell<Vec<u64>>,
    /// Computed when a paragraph takes part in a comparison: most never do.
    base_shape: OnceCell<Shape>,
}

/// A paragraph's fold, before the paragraphs borrow the folded text.
struct Folding {
    range: std::ops::Range<usize>,
    eligible: bool,
    chars: usize,
    key: u64,
    head: u64,
    tail: u64,
}

impl Rule for DuplicateParagraph {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        // Every paragraph is folded once into one buffer, and hashed; everything else
        // (shapes, neighbours, similarities) is computed only for the few paragraphs
        // whose hash or ends match another's.
        let mut arena = String::new();
        let foldings = self.fold_blocks(doc, &mut arena);
        let paras = Paras::new(doc, &arena, foldings);
        if paras.list.is_empty() {
            return;
        }
        let mut reported = vec![false; paras.list.len()];
        // (first copy, later copy, similarity of a near copy), by later copy.
        let mut echoes: Vec<Echoed> = Vec::new();
        let mut typography = None;
        for (i, p) in paras.list.iter().enumerate() {
            if !p.eligible {
                continue;
            }
            let earlier = paras.first_copy(p.key).filter(|&j| j < i);
            if let Some(prev) = i.checked_sub(1).and_then(|j| paras.list.get(j))
                && prev.eligible
                && (prev.raw == p.raw
                    || prev.folded == p.folded
                    || (lengths_allow(prev, p, self.options.near_threshold)
                        && may_share_text(prev, p)))
                && !is_label(p)
                && (prev.raw == p.raw || paras.may_be_near_copies(i - 1, i))
                && (prev.folded == p.folded || self.near(prev, p))
            {
                if paras.equal_cells(i) || paras.run_len(i) >= RECURRING as usize {
                    continue;
                }
                let typo = typography.get_or_insert_with(|| Typography::of(doc.text()));
                out.push(self.adjacent(doc, prev, p, typo));
                reported[i] = true;
            } else if let Some(j) = earlier
                && paras.list.get(j).is_some_and(|q| q.folded == p.folded)
                && paras.echo(i).later
                && paras.echo(j).first
            {
                if paras.per_item(j, i) {
                    continue;
                }
                echoes.push((j, i, None));
                reported[i] = true;
            } else if let Some((j, similarity)) = self.near_echo(&paras, i)
                && !paras.per_item(j, i)
            {
                // A folded-equal copy whose first occurrence was not a possible echo
                // source is found here through a later one: still an exact repeat.
                let exact = paras.list.get(j).is_some_and(|q| q.folded == p.folded);
                echoes.push((j, i, (!exact).then_some(similarity)));
                reported[i] = true;
            }
        }
        for block in blocks(&paras, &echoes) {
            // The paragraphs around the echoes that the block takes in are reported
            // with it (or, for a menu, left alone with it).
            if let Some(flags) = reported.get_mut(block.later.0..=block.later.1) {
                flags.fill(true);
            }
            if paras.is_menu(block.later) {
                continue;
            }
            out.extend(match *block.echoes {
                [(j, i, similarity)] if block.later == (i, i) => {
                    self.echo(doc, &paras.list, j, i, similarity)
                }
                _ => self.block_echo(doc, &paras.list, &block),
            });
        }
        self.sentences(doc, &paras, &reported, out);
    }
}

impl DuplicateParagraph {
    /// Folds every block into `arena` (eligible ones only are kept) with its counts and
    /// keys, reusing one buffer.
    fn fold_blocks(&self, doc: &Document, arena: &mut String) -> Vec<Folding> {
        let mut buf = String::new();
        doc.blocks()
            .iter()
            .map(|b| {
                Fold::FULL.apply_into(doc.slice(b.span), &mut buf);
                let chars = count_chars(&buf);
                let start = arena.len();
                // The page's chrome (menus, sidebars, dialogs, site header and footer,
                // as HTML marks them) repeats by design: it is the boilerplate rules'.
                let eligible = chars >= self.options.min_chars
                    && count_words_up_to(&buf, self.options.min_words) >= self.options.min_words
                    && !doc.in_landmark(b.span);
                let (key, head, tail) = if eligible {
                    arena.push_str(&buf);
                    (
                        hash(buf.as_bytes()),
                        end_key(buf.chars()),
                        end_key(buf.chars().rev()),
                    )
                } else {
                    (0, 0, 0)
                };
                Folding {
                    range: start..arena.len(),
                    eligible,
                    chars,
                    key,
                    head,
                    tail,
                }
            })
            .collect()
    }

    /// Whether two folded paragraphs are near copies (or equal).
    fn near(&self, a: &Para<'_>, b: &Para<'_>) -> bool {
        near_similarity(a, b, self.options.near_threshold).is_some()
    }

    /// The earliest paragraph before `i`, and not right before it, that `i` nearly
    /// repeats as an echo, with their similarity.
    fn near_echo(&self, paras: &Paras<'_>, i: usize) -> Option<(usize, f64)> {
        let p = paras.list.get(i)?;
        let mut candidates: Vec<usize> = paras
            .same_head(i)
            .chain(paras.same_tail(i))
            .filter(|&j| {
                j + 1 < i
                    && paras.list.get(j).is_some_and(|q| {
                        q.eligible && lengths_allow(p, q, self.options.near_threshold)
                    })
            })
            .collect();
        if candidates.is_empty() || !paras.echo(i).later {
            return None;
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates.into_iter().take(MAX_CANDIDATES).find_map(|j| {
            let q = paras.list.get(j)?;
            if !paras.echo(j).first {
                return None;
            }
            near_similarity(q, p, self.options.near_threshold).map(|s| (j, s))
        })
    }

    fn adjacent(
        &self,
        doc: &Document,
        first: &Para<'_>,
        second: &Para<'_>,
        typo: &Typography,
    ) -> Diagnostic {
        let line = shown_line(doc, first.span);
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
        doc: &Document,
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
        let line = shown_line(doc, first.span);
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
}

impl DuplicateParagraph {
    /// One finding for a run of echoes that is one block of paragraphs printed twice
    /// (a section, a whole article, a menu for desktop and mobile): the later copy of
    /// the block, with the paragraphs around its echoes that `blocks` took in.
    fn block_echo(
        &self,
        doc: &Document,
        paras: &[Para<'_>],
        block: &Block<'_>,
    ) -> Option<Diagnostic> {
        let ((j0, j1), (i0, i1)) = (block.first, block.later);
        let span =
            |a: usize, b: usize| Some(Span::new(paras.get(a)?.span.start, paras.get(b)?.span.end));
        let (first, later) = (span(j0, j1)?, span(i0, i1)?);
        // The block and the line break and blank line before it.
        let delete = Span::new(paras.get(i0.checked_sub(1)?)?.span.end, later.end);
        let line = |k: usize| paras.get(k).map_or(0, |p| shown_line(doc, p.span));
        let nearly = if block.echoes.iter().any(|e| e.2.is_some()) {
            "nearly "
        } else {
            ""
        };
        let message = format!(
            "{} paragraphs {nearly}repeat the block on lines {}\u{2013}{}",
            i1 - i0 + 1,
            line(j0),
            line(j1)
        );
        Some(
            Diagnostic::new(&META, later, message)
                .with_label(first, "first copy")
                .with_label(later, "repeated here")
                .with_help("Delete the later copy of the block")
                .with_fix(Fix::delete(Applicability::Unsafe, delete)),
        )
    }
}

/// An echo: the first copy, the later copy, and the similarity of a near copy.
type Echoed = (usize, usize, Option<f64>);

/// The echoes (in order of their later copy) cut into blocks printed twice: echoes in
/// step (the later copies as far apart as the first ones) with the same paragraphs
/// between them in both places, the first copy of the block ending before the later
/// one begins.
fn blocks<'e>(paras: &Paras<'_>, echoes: &'e [Echoed]) -> Vec<Block<'e>> {
    let same = |a: usize, b: usize| match (paras.list.get(a), paras.list.get(b)) {
        (Some(p), Some(q)) if p.eligible && q.eligible => p.same_folded(q),
        (Some(p), Some(q)) => p.raw.trim() == q.raw.trim(),
        _ => false,
    };
    // The later copy of the echo from `k` on, where a block must stop.
    let echoes_after = |k: usize| echoes.get(k).map_or(usize::MAX, |e| e.1);
    let mut out: Vec<Block> = Vec::new();
    let mut start = 0;
    for k in 1..=echoes.len() {
        let joins = match (echoes.get(start), echoes.get(k - 1), echoes.get(k)) {
            (Some(&(_, i0, _)), Some(&(ja, ia, _)), Some(&(jb, ib, _))) => {
                ib > ia
                    && jb > ja
                    && ib - ia == jb - ja
                    && jb < i0
                    && (1..ib - ia).all(|d| same(ja + d, ia + d))
            }
            _ => false,
        };
        if !joins {
            if let Some(echoes) = echoes.get(start..k)
                && let (Some(&(j0, i0, _)), Some(&(j1, i1, _))) = (echoes.first(), echoes.last())
            {
                // Out over the paragraphs around that are the same in both places (a
                // section's heading, a menu's short entries): the first copy still
                // ending before the later one begins, not back into the block before
                // nor on to the next echo, and a bounded number of paragraphs each way,
                // so that the cost stays linear.
                let (mut j0, mut i0, mut j1, mut i1) = (j0, i0, j1, i1);
                let floor = out.last().map_or(0, |b| b.later.1 + 1);
                let ceiling = echoes_after(k);
                for _ in 0..MAX_EXTEND {
                    if !(j0 > 0 && j1 + 1 < i0 && i0 > floor && same(j0 - 1, i0 - 1)) {
                        break;
                    }
                    j0 -= 1;
                    i0 -= 1;
                }
                for _ in 0..MAX_EXTEND {
                    if !(j1 + 1 < i0 && i1 + 1 < ceiling && same(j1 + 1, i1 + 1)) {
                        break;
                    }
                    j1 += 1;
                    i1 += 1;
                }
                out.push(Block {
                    echoes,
                    first: (j0, j1),
                    later: (i0, i1),
                });
            }
            start = k;
        }
    }
    out
}

/// Echoes that are one block printed twice, and the paragraphs each copy spans.
struct Block<'e> {
    echoes: &'e [Echoed],
    first: (usize, usize),
    later: (usize, usize),
}

/// The document's paragraphs, with what is computed on demand about them.
struct Paras<'a> {
    list: Vec<Para<'a>>,
    /// Per folded-text hash: the first eligible paragraph with it, and its copies (a
    /// run of copies in a row counts once).
    copies: HashMap<u64, (usize, u32), IdBuild>,
    /// Per paragraph, how many folded-equal copies stand in a row with it (1 alone),
    /// computed when a paragraph first repeats the one before it: most pages never do.
    runs: OnceCell<Vec<u32>>,
    /// Per paragraph, the previous eligible paragraph with the same head (tail) key:
    /// lists threaded through the paragraphs, from the last one of each key.
    prev_head: Vec<usize>,
    prev_tail: Vec<usize>,
    /// Whether the page is a FAQ (see `Paras::shape`).
    faq: OnceCell<bool>,
}

const NONE: usize = usize::MAX;

impl<'a> Paras<'a> {
    fn new(doc: &'a Document, arena: &'a str, foldings: Vec<Folding>) -> Self {
        let list: Vec<Para<'a>> = doc
            .blocks()
            .iter()
            .zip(foldings)
            .map(|(b, f)| {
                let raw = doc.slice(b.span);
                Para {
                    span: b.span,
                    kind: b.kind,
                    raw,
                    folded: arena.get(f.range).unwrap_or(""),
                    chars: f.chars,
                    words: OnceCell::new(),
                    eligible: f.eligible,
                    key: f.key,
                    head: f.head,
                    tail: f.tail,
                    sentence: ends_sentence(raw),
                    grams: OnceCell::new(),
                    base_shape: OnceCell::new(),
                }
            })
            .collect();
        let mut copies: HashMap<u64, (usize, u32), IdBuild> = HashMap::default();
        let mut prev_head = vec![NONE; list.len()];
        let mut prev_tail = vec![NONE; list.len()];
        let mut last_head: HashMap<u64, usize, IdBuild> = HashMap::default();
        let mut last_tail: HashMap<u64, usize, IdBuild> = HashMap::default();
        for (i, p) in list.iter().enumerate().filter(|(_, p)| p.eligible) {
            // Copies in a row count once: the seed's caption printed twice and echoed
            // once is two occurrences, not three.
            let in_row = i
                .checked_sub(1)
                .and_then(|j| list.get(j))
                .is_some_and(|q| q.same_folded(p));
            let entry = copies.entry(p.key).or_insert((i, 0));
            if !in_row {
                entry.1 += 1;
            }
            if let Some(slot) = prev_head.get_mut(i) {
                *slot = last_head.insert(p.head, i).unwrap_or(NONE);
            }
            if let Some(slot) = prev_tail.get_mut(i) {
                *slot = last_tail.insert(p.tail, i).unwrap_or(NONE);
            }
        }
        Paras {
            list,
            runs: OnceCell::new(),
            copies,
            prev_head,
            prev_tail,
            faq: OnceCell::new(),
        }
    }

    fn first_copy(&self, key: u64) -> Option<usize> {
        self.copies.get(&key).map(|&(first, _)| first)
    }

    /// Earlier paragraphs with the same head key, nearest first, a bounded number.
    fn same_head(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        walk(&self.prev_head, i)
    }

    fn same_tail(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        walk(&self.prev_tail, i)
    }

    /// The paragraph's shape; on a FAQ page (several paragraphs open with a question)
    /// those entries ("Are bicycles allowed? No.") recur under every item and count as
    /// headings. One or two such openings are prose ("The challenge? Solar
    /// installations involve...").
    fn shape(&self, i: usize) -> Shape {
        let Some(p) = self.list.get(i) else {
            return Shape::Heading;
        };
        let base = self.base_shape(p);
        if base == Shape::Prose
            && opens_with_question(p.raw.trim())
            && *self.faq.get_or_init(|| self.is_faq())
        {
            return Shape::Heading;
        }
        base
    }

    fn base_shape(&self, p: &Para<'_>) -> Shape {
        *p.base_shape.get_or_init(|| match p.kind {
            _ if !p.eligible => Shape::Heading,
            // The markup says what the text can only guess.
            BlockKind::Heading => Shape::Heading,
            BlockKind::ListItem | BlockKind::TableCell => Shape::ListItem,
            BlockKind::Preformatted => Shape::Code,
            BlockKind::Quote => Shape::Quote,
            BlockKind::Paragraph | BlockKind::Caption => shape(p.raw, p.words()),
        })
    }

    fn is_faq(&self) -> bool {
        self.list
            .iter()
            .filter(|p| {
                p.eligible
                    && opens_with_question(p.raw.trim())
                    && self.base_shape(p) == Shape::Prose
            })
            .take(FAQ_ENTRIES)
            .count()
            >= FAQ_ENTRIES
    }

    /// Whether paragraph `i` may be the first copy, and the later copy, of an echo:
    /// prose of 8 words or more that is not a short line set among short lines; a
    /// caption (no final punctuation) only between body paragraphs, as the seed's
    /// echoed caption is; and never a paragraph that the page has three times or more.
    /// Short lines around a paragraph make it an entry of a list: a table of contents, a
    /// menu, teaser headlines, the steps of a how-to in the raw view (where list markers
    /// are gone). Those recur by design.
    fn echo(&self, i: usize) -> Echo {
        let Some(p) = self.list.get(i) else {
            return Echo::default();
        };
        let at = |k: Option<usize>| k.and_then(|k| self.list.get(k).map(|q| (k, q)));
        let (prev, next) = (at(i.checked_sub(1)), at(Some(i + 1)));
        let body =
            |q: Option<(usize, &Para<'_>)>| q.is_none_or(|(k, q)| self.echo_shape(k) && q.sentence);
        let short = |q: Option<(usize, &Para<'_>)>| {
            q.is_some_and(|(_, q)| !q.eligible || q.words() <= LIST_WORDS)
        };
        // A long paragraph between two headings is ordinary body text; so is a
        // sentence between two short ones when a long paragraph is two blocks away
        // (a review's verdict among its short remarks, not an entry of a grid).
        let outer = |q: Option<(usize, &Para<'_>)>| q.is_none() || short(q);
        let listed = p.words() <= LIST_ENTRY_WORDS
            && short(prev)
            && short(next)
            && (!p.sentence || (outer(at(i.checked_sub(2))) && outer(at(Some(i + 2)))));
        // A line that is not a sentence, next to its own series' next or previous
        // number (`Cause 1: …` / `Cause 2: …`), is a heading as a table of contents
        // lists it, however long it is.
        let numbered = |q: Option<(usize, &Para<'_>)>| {
            q.is_some_and(|(_, q)| in_series(p.raw.trim(), q.raw.trim()))
        };
        let listed = listed || (!p.sentence && (numbered(prev) || numbered(next)));
        // Three copies or more make a recurring element, not a scraping accident:
        // a forum signature, the terms under every offer, the note in every tab.
        let recurring = self
            .copies
            .get(&p.key)
            .is_some_and(|&(_, n)| n >= RECURRING);
        let first = self.echo_shape(i) && !listed && !recurring;
        Echo {
            first,
            later: first && (p.sentence || (body(prev) && body(next))),
        }
    }

    fn echo_shape(&self, i: usize) -> bool {
        self.list
            .get(i)
            .is_some_and(|p| p.eligible && p.words() >= ECHO_WORDS && self.shape(i) == Shape::Prose)
    }

    /// Whether two paragraphs that are not byte for byte equal may be copies rather
    /// than rows of one template: table rows and list items that differ in a word are
    /// different rows, and in code quotes and dashes are syntax (`--data '{"a":1}'` for
    /// one shell, `--data "{'a':1}"` for another).
    fn may_be_near_copies(&self, a: usize, b: usize) -> bool {
        let row = |k: usize| matches!(self.shape(k), Shape::ListItem | Shape::Code);
        !row(a) && !row(b)
    }

    /// Whether paragraph `j` and its later copy `i` are the text a page repeats by
    /// design once per item (the terms under every offer, the note under every docs
    /// tab or function) rather than text printed twice by accident. The copies' own
    /// text cannot tell; their surroundings can: items of one template sit next to
    /// text that is the same but for a slot (`$50 off` / `$25 off`, `London
    /// Overground` / `TfL Rail`, `and_then` / `or_else`), and docs notes follow
    /// different code. A section printed twice has equal surroundings instead.
    fn per_item(&self, j: usize, i: usize) -> bool {
        self.template_around(j, i) || self.after_different_code(j, i)
    }

    /// A paragraph within `AROUND` of copy `j` and one within `AROUND` of copy `i`, at
    /// about the same offset, that are one template filled twice (see `slot_variants`).
    fn template_around(&self, j: usize, i: usize) -> bool {
        let offsets = || (1..=AROUND).flat_map(|d| [-(d as isize), d as isize]);
        offsets().any(|d| {
            let Some(a) = j.checked_add_signed(d).filter(|&a| a != i) else {
                return false;
            };
            (-ALIGN..=ALIGN).any(|shift| {
                i.checked_add_signed(d + shift)
                    .filter(|&b| b != j && b != a && b != i)
                    .is_some_and(|b| self.slot_variants(a, b))
            })
        })
    }

    fn slot_variants(&self, a: usize, b: usize) -> bool {
        // Sentences: a forum's `by someone » Thu Aug 29, 2019 1:16 am` lines are one
        // template too, around every post and every quote of it.
        let sentence = |k: usize| self.list.get(k).is_some_and(|p| p.sentence);
        sentence(a) && sentence(b) && self.fillings(a, b)
    }

    /// Whether paragraphs `a` and `b`, sentences or not, are one template filled twice
    /// (see `slot_variants`).
    fn fillings(&self, a: usize, b: usize) -> bool {
        let (Some(p), Some(q)) = (self.list.get(a), self.list.get(b)) else {
            return false;
        };
        p.eligible
            && q.eligible
            && p.words() >= SLOT_WORDS
            && q.words() >= SLOT_WORDS
            && slot_variants(p.folded, q.folded)
    }

    /// Both copies come within `AROUND` paragraphs after code, and not after the same
    /// code: the note repeated under every function or language tab of a docs page.
    fn after_different_code(&self, j: usize, i: usize) -> bool {
        let code_before = |k: usize| -> Vec<&str> {
            (k.saturating_sub(AROUND)..k)
                .filter_map(|c| self.list.get(c))
                .filter(|p| p.kind == BlockKind::Preformatted || is_code_line(p.raw))
                .map(|p| p.raw.trim())
                .collect()
        };
        let (a, b) = (code_before(j), code_before(i));
        !a.is_empty() && !b.is_empty() && a != b
    }

    /// Whether the paragraphs `from..=to` are a menu or a list of links
    /// (`MENU_PARAGRAPHS`).
    fn is_menu(&self, (from, to): (usize, usize)) -> bool {
        let Some(list) = self.list.get(from..=to) else {
            return false;
        };
        if list.len() < MENU_PARAGRAPHS {
            return false;
        }
        let entries = list
            .iter()
            .filter(|p| !p.eligible && !is_code(p.raw))
            .count();
        let sentences = list
            .iter()
            .filter(|p| p.eligible && p.sentence && p.words() >= ECHO_WORDS)
            .count();
        3 * entries >= 2 * list.len() && MENU_PER_SENTENCE * sentences <= list.len()
    }

    /// How many copies of paragraph `i` (folded-equal) stand in a row around it. Three
    /// or more in a row are one element printed under every item (`Image zoomed out,
    /// normal view` under each photo, a button under every offer, the note under every
    /// tab), not a caption printed twice: the boilerplate rules' business.
    fn run_len(&self, i: usize) -> usize {
        self.runs
            .get_or_init(|| run_lengths(&self.list))
            .get(i)
            .map_or(0, |&n| n as usize)
    }

    /// Whether the copy `i` of the paragraph before it is one cell of a table or grid
    /// that happens to hold the same value as its neighbour: a short value with a
    /// number (`Up to $500,000 (per person)`, not `Try it free for 15 days`), markup
    /// table cells, or an item of a list whose items are one template filled
    /// differently (`Free shipping on orders 65€` / `… 900kr`, job postings that differ
    /// in their age, sentences or not) when the same filling comes back elsewhere in
    /// the list, or a wiki's reference note after an equal note
    /// (one source cited twice).
    fn equal_cells(&self, i: usize) -> bool {
        let Some(p) = self.list.get(i) else {
            return false;
        };
        let first = i.saturating_sub(1);
        let before = self.list.get(first);
        let cells = before.is_some_and(|q| q.kind == BlockKind::TableCell)
            && p.kind == BlockKind::TableCell;
        let notes = before.is_some_and(|q| is_footnote(q.raw)) && is_footnote(p.raw);
        let value =
            p.words() <= VALUE_WORDS && !p.sentence && is_amount(p.raw) && !title_case(p.raw);
        // The value must recur elsewhere too, as a filling shared by several items does:
        // one item of a list printed twice in a row ("RAID doesn't protect you against a
        // file being deleted." / "… overwritten." twice) is a copy.
        let listed = self.copies.get(&p.key).is_some_and(|&(_, n)| n >= 2)
            && [first.checked_sub(1), Some(i + 1)]
                .into_iter()
                .flatten()
                .any(|k| self.fillings(k, i));
        cells || notes || value || listed
    }
}

/// Per paragraph, how many folded-equal eligible paragraphs stand in a row with it (1
/// for one alone).
fn run_lengths(list: &[Para<'_>]) -> Vec<u32> {
    let mut runs = vec![1u32; list.len()];
    let mut start = 0;
    for i in 1..=list.len() {
        let same = match (list.get(i - 1), list.get(i)) {
            (Some(a), Some(b)) => a.same_folded(b),
            _ => false,
        };
        if !same {
            let n = u32::try_from(i - start).unwrap_or(u32::MAX);
            if let Some(run) = runs.get_mut(start..i) {
                run.fill(n);
            }
            start = i;
        }
    }
    runs
}

/// Follows a list threaded through `prev` from paragraph `i`, a bounded number of
/// steps.
fn walk(prev: &[usize], i: usize) -> impl Iterator<Item = usize> + '_ {
    std::iter::successors(prev.get(i).copied().filter(|&j| j != NONE), move |&j| {
        prev.get(j).copied().filter(|&k| k != NONE)
    })
    .take(MAX_WALK)
}

/// Hash of the first `END_KEY` letters and digits of `chars`.
fn end_key(chars: impl Iterator<Item = char>) -> u64 {
    let mut h = FNV_OFFSET;
    for c in chars.filter(|c| c.is_alphanumeric()).take(END_KEY) {
        h = mix(h, u64::from(c));
    }
    // Never 0, which marks a paragraph that is not compared.
    h | 1
}

/// Whether two paragraphs may be near copies, from their ends alone: copies of one
/// text differ in one place (see `same_text`), so unless they are very short they
/// share their first or their last letters.
fn may_share_text(a: &Para<'_>, b: &Para<'_>) -> bool {
    a.head == b.head || a.tail == b.tail || a.chars.min(b.chars) < 4 * END_KEY
}

/// Characters of a text: every byte but UTF-8 continuation bytes starts one.
fn count_chars(text: &str) -> usize {
    if text.is_ascii() {
        return text.len();
    }
    text.bytes().filter(|&b| (b as i8) >= -0x40).count()
}

/// Words of a folded text (see `count_words`), counting no further than `most`:
/// whether a paragraph has a few words is asked of every paragraph.
fn count_words_up_to(folded: &str, most: usize) -> usize {
    folded
        .as_bytes()
        .split(|&b| b == b' ')
        .filter(|w| {
            let letter = w.iter().any(u8::is_ascii_alphabetic);
            is_word(w, letter, !letter && !w.is_ascii())
        })
        .take(most)
        .count()
}

/// A piece with a letter in it that is not a URL.
fn is_word(w: &[u8], ascii_letter: bool, wide: bool) -> bool {
    let letter = ascii_letter
        || (wide && std::str::from_utf8(w).is_ok_and(|w| w.chars().any(char::is_alphabetic)));
    letter
        && !(w.starts_with(b"http") && w.windows(3).any(|x| x == b"://") || w.starts_with(b"www."))
}

/// A sentence of a paragraph: its byte range in the paragraph and its key, `None` when
/// it is not compared (a question, or under `SENTENCE_WORDS` words).
#[derive(Clone, Copy)]
struct Sentence {
    start: usize,
    end: usize,
    key: Option<u64>,
}

impl DuplicateParagraph {
    /// Repeated sentences of 8 words or more, in paragraphs not already reported whole:
    /// in one paragraph (`A. A.`), or where one of the two paragraphs is that sentence
    /// alone (a caption echoed inside a body paragraph, a pull quote). Two long
    /// paragraphs that share a sentence are usually one template filled twice ("There is
    /// little information about its packaging available."), and questions recur in
    /// FAQs: neither is reported.
    fn sentences(
        &self,
        doc: &Document,
        paras: &Paras<'_>,
        reported: &[bool],
        out: &mut Vec<Diagnostic>,
    ) {
        // First the folded paragraphs are cut after every `.`, `!` or `?` before a
        // space: sentences, or pieces of them ("u.s." and "officials said"). A sentence
        // that recurs brings its pieces along, so only the paragraphs with a recurring
        // piece are split into sentences as written and compared.
        let mut pieces: Vec<(usize, u64)> = Vec::new();
        let mut counts: HashMap<u64, u32, IdBuild> = HashMap::default();
        let mut any = false;
        let mut always = vec![false; paras.list.len()];
        for (i, p) in paras.list.iter().enumerate() {
            if !p.eligible
                || reported.get(i).copied().unwrap_or(true)
                || count_words_up_to(p.folded, SENTENCE_WORDS) < SENTENCE_WORDS
            {
                continue;
            }
            let mut short_run = 0;
            for_each_piece(p.folded, |piece, words| {
                if words >= PIECE_WORDS {
                    let key = hash(piece.as_bytes());
                    let n = counts.entry(key).or_insert(0);
                    *n += 1;
                    any |= *n > 1;
                    pieces.push((i, key));
                    short_run = 0;
                } else {
                    // A sentence cut into short pieces only ("a. b. c. and d.") has
                    // no key here: its paragraph is compared anyway.
                    short_run += words;
                    if short_run >= SENTENCE_WORDS
                        && let Some(flag) = always.get_mut(i)
                    {
                        *flag = true;
                        any = true;
                    }
                }
            });
        }
        if !any {
            return;
        }
        let mut candidate = always;
        for &(i, key) in &pieces {
            if counts.get(&key).is_some_and(|&n| n >= 2)
                && let Some(flag) = candidate.get_mut(i)
            {
                *flag = true;
            }
        }
        // Folded sentence hash -> (paragraph, sentence index, span, paragraph is that
        // sentence alone).
        let mut seen: HashMap<u64, (usize, usize, Span, bool), IdBuild> = HashMap::default();
        let mut buf = String::new();
        let mut bounds = Vec::new();
        // The candidates' sentences, split and keyed once, and how often each key
        // comes: a sentence the page has three times or more is a recurring element
        // (the disclaimer after every step, the terms under every tier), as a
        // paragraph is (`RECURRING`).
        let mut all: Vec<Sentence> = Vec::new();
        let mut owners: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        let mut copies: HashMap<u64, u32, IdBuild> = HashMap::default();
        for (i, p) in paras.list.iter().enumerate() {
            if !candidate.get(i).copied().unwrap_or(false) || paras.shape(i) != Shape::Prose {
                continue;
            }
            split_sentences_into(p.raw, &mut bounds);
            let from = all.len();
            all.extend(bounds.iter().map(|&(start, end)| {
                let text = p.raw.get(start..end).unwrap_or("");
                let key = if is_question(text) || is_fragment(text) {
                    None
                } else {
                    sentence_key(text, &mut buf);
                    (count_words(&buf) >= SENTENCE_WORDS).then(|| hash(buf.as_bytes()))
                };
                if let Some(key) = key {
                    *copies.entry(key).or_insert(0) += 1;
                }
                Sentence { start, end, key }
            }));
            owners.push((i, from..all.len()));
        }
        for (i, range) in owners {
            let (Some(p), Some(sentences)) = (paras.list.get(i), all.get(range)) else {
                continue;
            };
            let alone = sentences.len() == 1;
            let text_of = |k: usize| {
                sentences
                    .get(k)
                    .and_then(|s| p.raw.get(s.start..s.end))
                    .unwrap_or("")
            };
            let mut k = 0;
            while k < sentences.len() {
                let at = k;
                k += 1;
                let Some(&Sentence {
                    start,
                    end,
                    key: Some(key),
                }) = sentences.get(at)
                else {
                    continue;
                };
                let text = text_of(at);
                let span = Span::new(p.span.start + start, p.span.start + end);
                let Some(&(j, m, first, first_alone)) = seen.get(&key) else {
                    seen.insert(key, (i, at, span, alone));
                    continue;
                };
                // Across paragraphs, only where both could be an echo's copies: not
                // list entries, not recurring elements.
                let source = |k: usize| paras.echo(k).first;
                let related = j == i
                    || (first_alone != alone && source(i) && source(j) && !paras.per_item(j, i));
                let folded = sentence_folded(text);
                if !related || sentence_folded(doc.slice(first)) != folded {
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
                    // A sentence the page has three times or more, with text of its
                    // own between the copies, is a recurring element: the disclaimer
                    // after every step of a video, the terms under every tier. A
                    // passage printed over and over (`A. B. C. A. B. C. A. B. C.`) has
                    // repeats between its copies, and is reported.
                    let after_first = m + (last - at) + 1;
                    let between = sentences
                        .get(after_first..at)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|s| s.key.and_then(|k| copies.get(&k)));
                    let (own, repeated) = between.fold((0, 0), |(own, repeated), &n| {
                        if n > 1 {
                            (own, repeated + 1)
                        } else {
                            (own + 1, repeated)
                        }
                    });
                    if own > repeated && copies.get(&key).is_some_and(|&n| n >= RECURRING) {
                        continue;
                    }
                    // Copies that follow, or come before, one template filled twice
                    // (`How to use Now Brief. Disclaimer: … How to use Filters.
                    // Disclaimer: …`) are the note of each item, as `per_item` finds
                    // for paragraphs; unless most of the text between the copies is
                    // repeated too (a passage printed over, one copy garbled).
                    let filled = |a: Option<usize>, b: Option<usize>| {
                        let (Some(a), Some(b)) = (a, b) else {
                            return false;
                        };
                        let (x, y) = (text_of(a), text_of(b));
                        let (x, y) = (sentence_folded(x), sentence_folded(y));
                        count_words(&x) >= SLOT_WORDS
                            && count_words(&y) >= SLOT_WORDS
                            && (slot_variants(&x, &y) || two_slots(&x, &y))
                    };
                    let before = filled(m.checked_sub(1), at.checked_sub(1));
                    let after = after_first < at
                        && filled(
                            Some(after_first),
                            Some(last + 1).filter(|&k| k < sentences.len()),
                        );
                    if 2 * own >= repeated && (before || after) {
                        continue;
                    }
                }
                let end = sentences.get(last).map_or(end, |s| s.end);
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
                        shown_line(doc, first)
                    ),
                };
                // The sentences and the space before them; a paragraph's first sentence
                // takes the space after it instead.
                let delete = match at.checked_sub(1).and_then(|k| sentences.get(k)) {
                    Some(prev) => Span::new(p.span.start + prev.end, span.end),
                    None => match sentences.get(last + 1) {
                        Some(next) => Span::new(span.start, p.span.start + next.start),
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

/// Calls `f` with each piece of a folded paragraph cut after a run of `.`, `!`, `?`,
/// quotes and closing brackets before a space (every sentence end is such a cut),
/// trimmed as sentences are compared (see `sentence_key`), and an upper bound of its
/// words.
fn for_each_piece(folded: &str, mut f: impl FnMut(&str, usize)) {
    let bytes = folded.as_bytes();
    let mut emit = |piece: &str| {
        let piece = piece
            .trim_start_matches(['\'', '(', '[', ' '])
            .trim_end_matches(['.', '!', '?', ',', ';', ':', ' ', '\'']);
        if !piece.is_empty() {
            f(
                piece,
                1 + memchr::memchr_iter(b' ', piece.as_bytes()).count(),
            );
        }
    };
    let mut start = 0;
    for k in memchr::memchr3_iter(b'.', b'!', b'?', bytes) {
        if k < start {
            continue;
        }
        let mut end = k + 1;
        while bytes
            .get(end)
            .is_some_and(|b| matches!(b, b'.' | b'!' | b'?' | b'\'' | b')' | b']'))
        {
            end += 1;
        }
        if bytes.get(end).is_some_and(|&b| b != b' ') {
            continue;
        }
        emit(folded.get(start..end).unwrap_or(""));
        start = end + 1;
    }
    emit(folded.get(start..).unwrap_or(""));
}

/// Whether a sentence opens in lower case: the tail of a sentence that a hard-wrapped
/// text broke across paragraphs (`object members will be pretty-printed with that
/// indent level.`), which another sentence may end the same way. Names written in
/// lower case (`iPhone`, `eBay`) open sentences.
fn is_fragment(sentence: &str) -> bool {
    let first = sentence
        .trim_start_matches(|c: char| c.is_whitespace() || is_quote(c) || matches!(c, '(' | '['))
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    first.chars().next().is_some_and(char::is_lowercase) && !first.chars().any(char::is_uppercase)
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

impl Para<'_> {
    /// Both paragraphs are checked and fold to the same text.
    fn same_folded(&self, other: &Para<'_>) -> bool {
        self.eligible && other.eligible && self.folded == other.folded
    }

    fn words(&self) -> usize {
        *self.words.get_or_init(|| count_words(self.folded))
    }

    fn trigrams(&self) -> &[u64] {
        self.grams.get_or_init(|| trigrams(self.folded))
    }
}

/// Whether a paragraph may be the first copy, and the later copy, of an echo.
#[derive(Debug, Clone, Copy, Default)]
struct Echo {
    first: bool,
    later: bool,
}

/// A short `Key: value` line (`Credit: The Spruce Eats`, `Team Size: 11 – 50
/// employees`): two such lines in a row are two items of a grid that share a value,
/// not one line printed twice.
fn is_label(p: &Para<'_>) -> bool {
    let text = p.raw.trim();
    p.words() <= LABEL_WORDS
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
        if histogram_distance(a.folded, b.folded) > edits {
            return None;
        }
        let s = strsim::normalized_levenshtein(a.folded, b.folded);
        (s >= threshold && same_text(a.folded, b.folded)).then_some(s)
    } else {
        if (short.chars as f64) < long.chars as f64 * LONG_THRESHOLD {
            return None;
        }
        let s = jaccard(a.trigrams(), b.trigrams());
        (s >= LONG_THRESHOLD && same_text(a.folded, b.folded)).then_some(s)
    }
}

/// Whether two folded paragraphs are one template filled twice: the same words but
/// for a few slots, each holding different words or numbers in the two (`discount is
/// $250 per booking` / `$200`, `the current thread runtime` / `the multi thread
/// runtime`). Text cut short, spacing, punctuation and list markers are not slots:
/// those are copies (see `same_text`).
fn slot_variants(a: &str, b: &str) -> bool {
    if a == b {
        return false;
    }
    // Asked of many pairs of neighbours around every echo (a page printed twice has
    // thousands): first what needs no allocation. Slots word for word need as many
    // words; one slot inside shared words needs the same first and last word.
    let spaces = |t: &str| memchr::memchr_iter(b' ', t.as_bytes()).count();
    let same_count = spaces(a) == spaces(b);
    if !same_count
        && (a.split(' ').next() != b.split(' ').next()
            || a.rsplit(' ').next() != b.rsplit(' ').next())
    {
        return false;
    }
    let wa: Vec<&str> = a.split(' ').collect();
    let wb: Vec<&str> = b.split(' ').collect();
    let alnum = |w: &[&str]| -> String {
        w.iter()
            .flat_map(|w| w.chars())
            .filter(|c| c.is_alphanumeric())
            .collect()
    };
    // Different words, not one the other with something added (`1.` for `-`, a
    // Markdown link for its text).
    let slot =
        |x: &str, y: &str| !x.is_empty() && !y.is_empty() && !x.contains(y) && !y.contains(x);
    let templated = if same_count {
        // Slots word for word: few words differ (at most 3 in 10).
        let most = wa.len() * 3 / 10;
        let mut differ = 0;
        for (x, y) in wa.iter().zip(&wb) {
            if x != y && slot(&alnum(&[*x]), &alnum(&[*y])) {
                differ += 1;
                if differ > most {
                    return false;
                }
            }
        }
        differ >= 1
    } else {
        // One slot of a few words inside shared words.
        let Ends {
            prefix,
            suffix,
            ma,
            mb,
        } = Ends::of(&wa, &wb);
        prefix >= 1
            && suffix >= 1
            && ma.len().max(mb.len()) <= SLOT_MAX_WORDS
            && slot(&alnum(ma), &alnum(mb))
    };
    // Text cut short, spacing, punctuation: copies, not fillings (see `same_text`).
    templated && !same_text(a, b)
}

/// Two texts' words cut where they differ: the words they share at the start, then
/// (of the rest) at the end, and what each has between.
struct Ends<'w, 'a> {
    prefix: usize,
    suffix: usize,
    ma: &'w [&'a str],
    mb: &'w [&'a str],
}

impl<'w, 'a> Ends<'w, 'a> {
    fn of(wa: &'w [&'a str], wb: &'w [&'a str]) -> Self {
        let prefix = wa.iter().zip(wb).take_while(|(x, y)| x == y).count();
        let room = wa.len().min(wb.len()) - prefix;
        let suffix = wa
            .iter()
            .rev()
            .zip(wb.iter().rev())
            .take(room)
            .take_while(|(x, y)| x == y)
            .count();
        Ends {
            prefix,
            suffix,
            ma: wa.get(prefix..wa.len() - suffix).unwrap_or(&[]),
            mb: wb.get(prefix..wb.len() - suffix).unwrap_or(&[]),
        }
    }
}

/// Whether two folded sentences are one template filled twice with two slots of a few
/// words each (`returned within 7 days … a 25% restocking fee` / `returned within 8 to
/// 14 days … a 35% restocking fee`): the same first and last words, and between the
/// slots a run of at least `SLOT_WORDS` words in common.
fn two_slots(a: &str, b: &str) -> bool {
    let wa: Vec<&str> = a.split(' ').collect();
    let wb: Vec<&str> = b.split(' ').collect();
    let ends = Ends::of(&wa, &wb);
    if ends.prefix == 0 || ends.suffix == 0 {
        return false;
    }
    let (ma, mb) = (ends.ma, ends.mb);
    // The shared run starts within the first slot's reach on both sides, and what is
    // left after it is the second slot.
    (1..=SLOT_MAX_WORDS.min(ma.len())).any(|sa| {
        (1..=SLOT_MAX_WORDS.min(mb.len())).any(|sb| {
            let (ra, rb) = (&ma[sa..], &mb[sb..]);
            let common = ra.iter().zip(rb).take_while(|(x, y)| x == y).count();
            let (ta, tb) = (ra.len() - common, rb.len() - common);
            common >= SLOT_WORDS
                && (1..=SLOT_MAX_WORDS).contains(&ta)
                && (1..=SLOT_MAX_WORDS).contains(&tb)
                && ma[..sa] != mb[..sb]
                && ra[common..] != rb[common..]
        })
    })
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
    let Ends { ma, mb, .. } = Ends::of(&wa, &wb);
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
            // `color` are one. Typos rarely hit a word's first letter. A letter typed
            // twice (`rooom`, `willl`) is a slip in a short word too. A letter changed
            // for another that leaves a word on both sides (`Best Running Shirts` /
            // `Best Running Shorts`) names two things: scrapers drop, join and double
            // letters, they do not swap them.
            let two_words = || {
                let known =
                    |w: &str| crate::words::is_word(w.trim_matches(|c: char| !c.is_alphanumeric()));
                x.chars().count() == y.chars().count() && known(x) && known(y)
            };
            doubled_letter(x, y)
                || doubled_letter(y, x)
                || (x.chars().count().min(y.chars().count()) >= 5
                    && x.chars().next() == y.chars().next()
                    && !x.chars().chain(y.chars()).any(|c| c.is_numeric())
                    && strsim::levenshtein(x, y) == 1
                    && !two_words())
        }
        _ => false,
    }
}

/// Whether `long` is `short` with one of its letters typed twice. Not in words under
/// three letters (`to` / `too`, `of` / `off`) nor in numerals and sizes (`II` / `I`,
/// `XXL` / `XL`), where the doubled letter is meant.
fn doubled_letter(long: &str, short: &str) -> bool {
    let letters = short.chars().filter(|c| c.is_alphabetic()).count();
    let numeral = short.chars().all(|c| {
        matches!(
            c.to_ascii_lowercase(),
            'i' | 'v' | 'x' | 'l' | 'c' | 'd' | 'm'
        )
    });
    if long.len() <= short.len() || letters < 3 || numeral {
        return false;
    }
    let mut prev = None;
    long.char_indices().any(|(i, c)| {
        let doubled = prev == Some(c) && c.is_alphabetic();
        prev = Some(c);
        // Without this letter, `long` is `short`.
        doubled
            && long
                .get(..i)
                .zip(long.get(i + c.len_utf8()..))
                .is_some_and(|(a, b)| {
                    short.len() == a.len() + b.len() && short.starts_with(a) && short.ends_with(b)
                })
    })
}

/// Words: space-separated pieces of the folded text with a letter in them, URLs aside.
fn count_words(folded: &str) -> usize {
    count_words_up_to(folded, usize::MAX)
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
        || is_footnote(text)
    {
        return Shape::ListItem;
    }
    if is_code(text) {
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

/// A note of a wiki's references, after its back-link (`^ Bogue, Mike (2017).
/// Apocalypse Then …`, `↑ …`): two notes in a row may cite one source, and are two
/// notes.
fn is_footnote(raw: &str) -> bool {
    let mut chars = raw.trim_start().chars();
    match chars.next() {
        Some('↑') => true,
        Some('^') => chars.next().is_some_and(char::is_whitespace),
        _ => false,
    }
}

/// Source code or markup: a comment opener, many symbols, or a line ending as code
/// lines do.
fn is_code(raw: &str) -> bool {
    let text = raw.trim();
    if ["//", "/*", "<!--", "#!", "```"]
        .iter()
        .any(|start| text.starts_with(start))
    {
        return true;
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
        return true;
    }
    false
}

/// A line that states an amount: a number with a currency or percent sign, or a
/// line that opens with a number (`$45,000 (all insured, per trip)`, `Up to 100% of
/// trip cost`, `2 bedrooms`).
fn is_amount(raw: &str) -> bool {
    let t = raw.trim();
    t.starts_with(|c: char| c.is_ascii_digit())
        || (t.contains(|c: char| c.is_ascii_digit()) && t.contains(['$', '€', '£', '¥', '%']))
}

/// A line of program code, more strictly than `is_code` (which also takes a forum's
/// `by someone ( 1234 ) writes:` for code): a prompt (`>>> `, `$ `), or a call
/// (`dumps(`, `FnOnce(T)`) with an assignment, an arrow, a path or a code line's end.
fn is_code_line(raw: &str) -> bool {
    let t = raw.trim();
    if t.starts_with(">>> ") || t.starts_with("$ ") || t.starts_with("//") || t.starts_with("/*") {
        return true;
    }
    let call = t.char_indices().any(|(k, c)| {
        c == '('
            && t.get(..k)
                .and_then(|before| before.chars().next_back())
                .is_some_and(|b| b.is_alphanumeric() || matches!(b, '_' | '>'))
    });
    call && (t.contains('=')
        || t.contains("->")
        || t.contains("::")
        || t.ends_with([';', '{', '}', ')', ',', '¶']))
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

/// A capitalized word and a number of up to three digits, then `:`, `.`, `)` or a dash
/// (`Cause 1:`, `Step 12 –`, `Part 3.`): the word and the number.
fn series_label(text: &str) -> Option<(&str, u16)> {
    let (word, rest) = text.split_once(' ')?;
    if word.len() > 16
        || !word.starts_with(|c: char| c.is_uppercase())
        || !word.chars().all(char::is_alphabetic)
    {
        return None;
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=3).contains(&digits) {
        return None;
    }
    let after = rest.get(digits..)?.trim_start();
    let number = rest.get(..digits)?.parse().ok()?;
    after
        .starts_with([':', '.', ')', '-', '\u{2013}', '\u{2014}'])
        .then_some((word, number))
}

/// Whether two lines are entries of one numbered series: the same label word, another
/// number.
fn in_series(a: &str, b: &str) -> bool {
    match (series_label(a), series_label(b)) {
        (Some((wa, na)), Some((wb, nb))) => wa == wb && na != nb,
        _ => false,
    }
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
#[cfg(test)]
fn split_sentences_reference(text: &str, out: &mut Vec<(usize, usize)>) {
    out.clear();
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
}

#[cfg(test)]
fn split_sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    split_sentences_into(text, &mut out);
    out
}

/// `split_sentences` into a buffer, cleared first.
fn split_sentences_into(text: &str, out: &mut Vec<(usize, usize)>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut start = None;
    let mut pos = 0;
    while pos < bytes.len() {
        if start.is_none() {
            let rest = text.get(pos..).unwrap_or("");
            pos += rest.len() - rest.trim_start().len();
            if pos >= bytes.len() {
                break;
            }
            start = Some(pos);
        }
        // The next `.`, `!`, `?` or `…` (a three-byte character led by 0xE2); every
        // byte skipped is ASCII or inside a character.
        let Some(at) = bytes
            .get(pos..)
            .and_then(|rest| {
                rest.iter()
                    .position(|&b| matches!(b, b'.' | b'!' | b'?' | 0xE2))
            })
            .map(|k| pos + k)
        else {
            break;
        };
        let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        let mut end = at + c.len_utf8();
        if !matches!(c, '.' | '!' | '?' | '…') {
            pos = end;
            continue;
        }
        for n in text.get(end..).unwrap_or("").chars() {
            if matches!(n, '.' | '!' | '?' | '…' | ')' | ']') || is_quote(n) {
                end += n.len_utf8();
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
        pos = end;
    }
    if let Some(s) = start {
        let end = text.trim_end().len();
        if end > s {
            out.push((s, end));
        }
    }
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
        Fnv(FNV_OFFSET)
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

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// One FNV-1a step over a whole character or byte: for keys built a character at a
/// time.
fn mix(h: u64, x: u64) -> u64 {
    (h ^ x).wrapping_mul(0x0000_0100_0000_01b3)
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
    use super::{DuplicateParagraph, Options, in_series, same_text, split_sentences, two_slots};
    use crate::document::Document;
    use crate::document::fold::fold;
    use crate::rules::Diagnostic;
    use crate::rules::test::{assert_clean, check_fixture, fix_fixture, render, run};

    fn rule() -> DuplicateParagraph {
        DuplicateParagraph::default()
    }

    /// The line of each finding, as the user sees it, and its message.
    fn lines_and_messages(doc: &Document, found: &[Diagnostic]) -> Vec<(usize, String)> {
        found
            .iter()
            .map(|d| (doc.locate(d.span).start.line, d.message.clone()))
            .collect()
    }

    /// The rule's findings on a text: the line of each, and its message.
    fn findings(text: &str) -> Vec<(usize, String)> {
        let (doc, found) = run(&rule(), text);
        lines_and_messages(&doc, &found)
    }

    /// The rule's findings on an HTML page: the markup line of each, and its message.
    fn html_findings(page: &str) -> Vec<(usize, String)> {
        let doc = crate::document::html::read("page.html", None, page.as_bytes().to_vec())
            .expect("the page reads");
        let mut out = Vec::new();
        crate::rules::Rule::check(&rule(), &doc, &mut out);
        lines_and_messages(&doc, &out)
    }

    /// Messages name the line of the first copy as the user sees it: in an HTML file,
    /// the markup's line, where the finding and its labels point too.
    #[test]
    fn messages_name_the_source_line_of_an_html_page() {
        let page = "<html><body>\n\n\n\n<h1>City council backs budget</h1>\n\
            <p>Caption of the photo of the mayor at the bridge</p>\n\
            <p>Caption of the photo of the mayor at the bridge</p>\n\
            <p>The committee approved the new budget after a long debate on Tuesday night. \
            Members argued for hours about the cost of the new library.</p>\n\
            <p>The mayor said the vote showed that the council could work together, and \
            that the bridge comes first.</p>\n\
            <p>Opposition members said the plan relied on optimistic forecasts of tax \
            income.</p>\n\
            <p>The committee approved the new budget after a long debate on Tuesday night.</p>\n\
            <p>The budget now goes to the full council, which votes on it next month.</p>\n\
            </body></html>\n";
        assert_eq!(
            html_findings(page),
            [
                (7, "Paragraph repeats the one on line 6".to_owned()),
                (11, "Sentence repeats one on line 8".to_owned()),
            ]
        );
    }

    /// On an HTML page, the menus' copies (desktop and mobile) take no part, and the
    /// caption printed twice in the article is still found.
    #[test]
    fn html_chrome_takes_no_part() {
        let promo = "Our award-winning accelerators help student founders start and scale.";
        let page = format!(
            "<html><body><header><nav class=\"desktop\"><p>{promo}</p></nav>\n\
            <nav class=\"mobile\"><p>{promo}</p></nav></header>\n\
            <main><article><h1>City council backs budget</h1>\n\
            <p>The mayor at the bridge on Tuesday, after the long vote</p>\n\
            <p>The mayor at the bridge on Tuesday, after the long vote</p>\n\
            <p>The committee approved the new budget after a long debate on Tuesday night.</p>\n\
            </article></main>\n\
            <footer><p>{promo}</p></footer></body></html>\n"
        );
        assert_eq!(
            html_findings(&page),
            [(5, "Paragraph repeats the one on line 4".to_owned())]
        );
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
    fn a_short_sentence_between_short_sentences_of_body_prose_may_echo() {
        // A review's verdict, echoed among the short sentences of its body: a long
        // paragraph two blocks away says this is prose, not a list of short lines.
        let verdict = "The MiiCoffee Apex is a game-changer in its price range, offering unprecedented value.";
        let review = format!(
            "1: MiiCoffee Apex\n\n{verdict}\n\n\
             Having used it for a couple of months now, I can confidently say that it punches well above its weight, and it has earned its place on my counter.\n\n\
             Featuring a user-friendly display, the Apex makes temperature adjustments and operation straightforward, and it heats up in well under a minute.\n\n\
             Size-wise, it slots between the Gaggia Classic and Rancilio Silvia.\n\n\
             {}\n\n\
             Its design, while not particularly striking, has an overall acceptable aesthetic.\n\n\
             The machine includes high-quality accessories, such as a brewing and steaming timer, surpassing its competitors in this price range by a wide margin.\n",
            verdict.replace('-', "\u{2013}")
        );
        insta::assert_snapshot!(run_render(&review), @r"
            11:1 duplicate-paragraph Paragraph repeats the one on line 3 with different dashes (label 3:1 first copy) (label 11:1 repeated here) [unsafe fix]
        ");
        // The same sentence in a grid of short lines is one of the page's entries.
        let grid = format!(
            "Top pick\n\nMiiCoffee Apex\n\n{verdict}\n\nBudget pick\n\nBreville Bambino\n\n\
             Small and quick to heat.\n\nRunner-up\n\nGaggia Classic\n\n{verdict}\n\nSee all\n\nCompare\n"
        );
        assert_clean(&rule(), &grid);
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
    fn a_letter_typed_twice_is_a_slip_but_sizes_and_numerals_are_meant() {
        assert!(same_text(
            &fold("the base layer of warmth every room needs"),
            &fold("the base layer of warmth every rooom needs")
        ));
        assert!(same_text(&fold("we will listen"), &fold("we willl listen")));
        for (a, b) in [
            ("Filter Size with value XL", "Filter Size with value XXL"),
            (
                "Financial Analyst Level I Review Program",
                "Financial Analyst Level II Review Program",
            ),
            ("how to pay", "how too pay"),
        ] {
            assert!(!same_text(&fold(a), &fold(b)), "{a} / {b}");
        }
        let text = "A room’s primary source of light, this is the base layer of warmth every room needs to feel welcoming and cozy.\n\n\
                    A room’s primary source of light, this is the base layer of warmth every rooom needs to feel welcoming and cozy.\n";
        insta::assert_snapshot!(run_render(text), @r"
            3:1 duplicate-paragraph Paragraph nearly repeats the one on line 1 (99% similar) (label 1:1 first copy) (label 3:1 second copy) [unsafe fix]
        ");
    }

    #[test]
    fn a_long_numbered_heading_in_a_table_of_contents_is_not_an_echo() {
        let one = "Cause 1: Getting started tutorials are seen as an optional extra, and few writers have time for optional work at release crunch times";
        let two = "Cause 2: The product setup might be too involved or impractical for a getting started tutorial on a small team";
        let body = format!(
            "Reasons why getting started tutorials fail or don't exist\n\n{one}\n\n{two}\n\n\
             So far I've covered best practices for tutorials. Now let's explore why they are often poor.\n\n\
             {one}\n\n\
             One reason tutorials are often absent is that they are seen as going the extra mile.\n\n\
             {two}\n\n\
             Some products need a cluster, a licence and a week of setup before the first call works.\n"
        );
        assert_clean(&rule(), &body);
        // Without its series, the same line set between body paragraphs is an echo.
        let alone = format!(
            "We began with the reasons readers gave us in the survey we ran last spring.\n\n\
             {one}\n\n\
             So far I've covered best practices for tutorials. Now let's explore why they are often poor.\n\n\
             {one}\n\n\
             One reason tutorials are often absent is that they are seen as going the extra mile.\n"
        );
        let (_, found) = run(&rule(), &alone);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].message, "Paragraph repeats the one on line 3");
    }

    #[test]
    fn series_labels_need_one_word_and_another_number() {
        assert!(in_series(
            "Step 2 \u{2013} Open the file",
            "Step 3 \u{2013} Save it"
        ));
        assert!(in_series("Cause 1: setup", "Cause 12: time"));
        assert!(!in_series("Cause 1: setup", "Cause 1: time"));
        assert!(!in_series("Chapter 1: Start", "Part 2: End"));
        assert!(!in_series("In 2019, sales fell.", "In 2020, sales rose."));
        assert!(!in_series(
            "Cause 1 of the problem",
            "Cause 2 of the problem"
        ));
        assert!(!in_series("cause 1: setup", "cause 2: time"));
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
             curl --request POST http://localhost:7071/api/MyHttpTrigger --data \"{'name':'Azure Rocks'}\"\n\n\
             Best Running Shirts for Men\n\nBest Running Shorts for Men\n\n\
             ^ Bogue, Mike (2017). Apocalypse Then: American and Japanese Atomic Cinema. p. 80.\n\n\
             ^ Bogue, Mike (2017). Apocalypse Then: American and Japanese Atomic Cinema. p. 80.\n",
        );
        assert!(!same_text(
            &fold("Chapter 1: the storm"),
            &fold("Chapter 2: the storm")
        ));
        // A letter swapped for another: a slip when one side is no word.
        assert!(same_text(
            &fold("the governmant said on Monday"),
            &fold("the government said on Monday")
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
    fn text_repeated_once_per_item_of_a_template_is_left_alone() {
        // The terms under two offers: the offers' headlines are one template filled
        // twice, so the terms are the page's design, not an accident.
        let terms =
            "Offer valid for new bookings only and cannot be combined with any other offer.";
        let offer = format!(
            "Save $50 per room on stays of three nights or more when you book directly with us this spring.\n\n{terms}\n\n\
             Our rooms overlook the old harbour and were renovated in 2023 by local craftsmen with oak and slate from the valley.\n\n\
             Save $25 per room on stays of three nights or more when you book directly with us this spring.\n\n{terms}\n"
        );
        assert_clean(&rule(), &offer);
        // The same section printed twice has the same surroundings: an echo.
        let twice = format!(
            "Save $50 per room on stays of three nights or more when you book directly with us this spring.\n\n{terms}\n\n\
             Our rooms overlook the old harbour and were renovated in 2023 by local craftsmen with oak and slate from the valley.\n\n\
             Save $50 per room on stays of three nights or more when you book directly with us this spring.\n\n{terms}\n"
        );
        insta::assert_snapshot!(run_render(&twice), @r"
            7:1 duplicate-paragraph 2 paragraphs repeat the block on lines 1–3 (label 1:1 first copy) (label 7:1 repeated here) [unsafe fix]
        ");
        // A note under two different code samples of a docs page.
        let note = "If the file does not exist, this call returns an error instead of creating it.";
        let docs = format!(
            "    let f = File::open(\"hello.txt\")?;\n\n{note}\n\n\
             The next example reads the whole file into a string in a single call.\n\n\
             \x20   let s = fs::read_to_string(\"hello.txt\")?;\n\n{note}\n"
        );
        assert_clean(&rule(), &docs);
    }

    #[test]
    fn equal_neighbours_in_a_template_list_are_cells_only_when_the_value_recurs() {
        // One item of a list printed twice in a row is a copy.
        let raid = "RAID doesn't protect you against a file being deleted.\n\n\
                    RAID doesn't protect you against a file being overwritten.\n\n\
                    RAID doesn't protect you against a file being overwritten.\n\n\
                    RAID doesn't protect you if the building burns down.\n";
        assert_eq!(run(&rule(), raid).1.len(), 1);
        // A list of per-country notes where two countries share the value, which also
        // comes back elsewhere in the list.
        let shipping = "Free standard shipping on orders 65€ or more. Visit our international page.\n\n\
                        Free express shipping on orders 900kr or more. Visit our international page.\n\n\
                        Free standard shipping on orders 65€ or more. Visit our international page.\n\n\
                        Free standard shipping on orders 65€ or more. Visit our international page.\n\n\
                        Free express shipping on orders ₩180,035 or more. Visit our international page.\n";
        assert_clean(&rule(), shipping);
        // The same when the items are not sentences: a job board lists one posting
        // twice in a row, again further down, and a variant of it with another age.
        let job =
            "- Internship AI & Automation Workflow Design 16d M365connect Kigali, Rwanda Full-Time";
        let jobs = format!(
            "- Staff Product Engineer 16d Renesas Electronics Bengaluru, India Full-Time\n\n\
             {job}\n\n{job}\n\n\
             - Internship AI & Automation Workflow Design 8d M365connect Kigali, Rwanda Full-Time\n\n\
             {job}\n"
        );
        assert_clean(&rule(), &jobs);
        // Without the later copy elsewhere, one item printed twice in a row is a copy,
        // sentence or not.
        let parts = "Storage: Samsung 980 Pro 1 TB M.2-2280 PCIe 4.0 NVME Solid State Drive\n\n\
                     Storage: Samsung 980 Pro 2 TB M.2-2280 PCIe 4.0 NVME Solid State Drive\n\n\
                     Storage: Samsung 980 Pro 2 TB M.2-2280 PCIe 4.0 NVME Solid State Drive\n\n\
                     Power Supply: Corsair RM1000x 1000 W 80+ Gold Certified Fully Modular ATX\n";
        let (_, found) = run(&rule(), parts);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].message, "Paragraph repeats the one on line 3");
    }

    #[test]
    fn a_paragraph_the_page_has_three_times_is_a_recurring_element() {
        let sig =
            "Visit our shop for organic, premium dried culinary herbs grown and packaged in Maine.";
        let posts = [
            "Our goats got through the fence again, so we spent the weekend mending it.",
            "The long winter finally ended and the first lambs arrived in early April.",
            "We tried a new drying rack for the oregano and it worked better than expected.",
        ];
        let post = |n: usize| posts[n - 1];
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
    fn a_block_printed_twice_is_one_finding_whose_fix_deletes_the_later_copy() {
        let section = "How the tour works\n\n\
            The guide meets every group at the harbour gate at nine, and the boat leaves as soon as everyone has a life jacket.\n\n\
            Lunch is served on the island in a small restaurant run by the family that has kept the lighthouse since 1921.\n\n\
            The boat is back in town by four, in time for the last train to the city and the evening buses along the coast.";
        let text = format!(
            "Island tours run from May to September, weather permitting, and sell out early in July.\n\n\
             {section}\n\n\
             Book at least two days ahead; the ticket office on the quay opens at eight every morning.\n\n\
             {section}\n\n\
             Children under six travel free when they sit on a parent's lap for the whole crossing.\n"
        );
        insta::assert_snapshot!(run_render(&text), @r"
            13:1 duplicate-paragraph 4 paragraphs repeat the block on lines 3–9 (label 3:1 first copy) (label 13:1 repeated here) [unsafe fix]
        ");
        let (_, found) = run(&rule(), &text);
        let once = text.replacen(&format!("every morning.\n\n{section}"), "every morning.", 1);
        assert_eq!(crate::fix::apply(&text, &found, true).text, once);
    }

    #[test]
    fn a_menu_printed_for_two_layouts_is_left_alone_and_an_author_box_is_not() {
        // Raw page text: the navigation printed for desktop and again for mobile, its
        // promo blurb with it; an author box printed at the head and at the foot.
        let menu = "Home\n\nShop\n\nSewing Machines\n\nEmbroidery Machines\n\n\
            Let 2026 be your year of creative triumphs with a credit of twelve hundred dollars to trade up to the finest machine we have ever made.\n\n\
            Special Offers\n\nLocate a Dealer\n\nContact Us";
        let author = "Maria Lopez\n\nSenior Editor\n\n\
            Maria has written about home sewing, quilting and the small workshops that repair old machines for twelve years.\n\nFollow";
        let body = "Threading a modern machine takes a minute once the spool pin and the guides are in view.\n\n\
            Most machines now thread the needle automatically, which spares the eyes at night.";
        let text = format!("{menu}\n\n{body}\n\n{menu}\n");
        insta::assert_snapshot!(run_render(&text), @"");
        let text = format!("{author}\n\n{body}\n\n{author}\n");
        insta::assert_snapshot!(run_render(&text), @"13:1 duplicate-paragraph 4 paragraphs repeat the block on lines 1–7 (label 1:1 first copy) (label 13:1 repeated here) [unsafe fix]");
        // Comments are short lines too, but their sentences make them content.
        let comments = "Jane\n\nMarch 3, 2024\n\nReply\n\n\
            The bobbin case on my old machine cracked last winter and the dealer found a spare in a week.\n\n\
            Tom\n\nMarch 4, 2024\n\nReply\n\n\
            Mine threads itself as well, though the automatic threader bends if you rush it at all.";
        let text = format!("{comments}\n\n{body}\n\n{comments}\n");
        insta::assert_snapshot!(run_render(&text), @"21:1 duplicate-paragraph 8 paragraphs repeat the block on lines 1–15 (label 1:1 first copy) (label 21:1 repeated here) [unsafe fix]");
    }

    #[test]
    fn three_copies_in_a_row_are_an_element_under_every_item() {
        let label = "Image zoomed out, normal view of the product";
        let other = "A second paragraph that is nothing like the label at all.";
        let three = format!("{label}\n\n{label}\n\n{label}\n\n{other}\n");
        assert_clean(&rule(), &three);
        // Two in a row are the caption printed twice, also right after a run of three
        // copies of something else.
        let runs = format!("{label}\n\n{label}\n\n{label}\n\n{other}\n\n{other}\n");
        let (doc, found) = run(&rule(), &runs);
        assert_eq!(
            render(&doc, &found),
            "9:1 duplicate-paragraph Paragraph repeats the one on line 7 \
             (label 7:1 first copy) (label 9:1 second copy) [safe fix]\n"
        );
    }

    #[test]
    fn a_wrapped_line_that_ends_like_another_sentence_is_not_a_repeat() {
        // Docs hard-wrapped into one paragraph per line: the line is the tail of a
        // sentence, which the later paragraph's sentence happens to end with too.
        let text = "If indent is a positive integer or string, JSON array elements and\n\n\
                    object members will be pretty-printed with that indent level.\n\n\
                    A positive integer indents that many spaces per level.\n\n\
                    If indent is a non-negative integer or string, then JSON array elements and\n\n\
                    object members will be pretty-printed with that indent level. An indent level \
                    of 0 will only insert newlines.\n";
        assert_clean(&rule(), text);
        // A sentence that opens with a name in lower case is whole.
        let text = "The company reported its quarterly results on Thursday, a week later than most analysts had expected.\n\n\
                    iPhone sales fell sharply in the third quarter across every region\n\n\
                    The shares dropped by four percent in trading after the announcement, their worst day this year.\n\n\
                    iPhone sales fell sharply in the third quarter across every region. Analysts \
                    had expected a smaller decline.\n";
        insta::assert_snapshot!(run_render(text), @r"
            7:1 duplicate-paragraph Sentence repeats one on line 3 with different final punctuation (label 3:1 first copy) (label 7:1 repeated here)
        ");
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

    /// A disclaimer after every step of a transcript is the page's template (three
    /// copies, each after text of its own); a passage printed three times over is not,
    /// and neither is a note printed twice.
    #[test]
    fn a_sentence_after_every_item_is_a_template_and_a_passage_printed_thrice_is_not() {
        let note = "Disclaimer: Sequences shortened and simulated for illustrative purposes only.";
        let steps = format!(
            "Next, Search and Message. The phone is seen from the main screen with a list of messages. {note} \
             Next, YouTube and Notes. A clip is being watched on the phone while the notes app takes it down. {note} \
             Next, Circle to Search. The user circles a jacket in a photo and the results appear below it. {note}\n"
        );
        assert_eq!(findings(&steps), []);
        let two = format!(
            "Next, Search and Message. The phone is seen from the main screen with a list of messages. {note} \
             Next, YouTube and Notes. A clip is being watched on the phone while the notes app takes it down. {note}\n"
        );
        assert_eq!(
            findings(&two),
            [(
                1,
                "Sentence repeats an earlier one in this paragraph".to_owned()
            )]
        );
        // Twice, after one template filled twice: still the note of each item.
        let filled = format!(
            "How to use Now Brief on the Galaxy phone. {note} The brief appears every morning. \
             How to use Filters on the Galaxy phone. {note} The filter is saved for later.\n"
        );
        assert_eq!(findings(&filled), []);
        // The terms of two return windows: the template has two slots.
        let terms = "Products must include all original paperwork and manuals.";
        let tiers = format!(
            "All products returned within 7 days of possession will incur a 25% restocking fee. {terms} \
             All products returned within 8 to 14 days of possession will incur a 35% restocking fee. {terms}\n"
        );
        assert_eq!(findings(&tiers), []);
        let passage = "The book is a delight from the first page to the very last one. \
            It shows us afresh the world we thought we knew through a kaleidoscopic lens. \
            Natural history at its very best, written with care and with real wonder.";
        let thrice = format!("{passage} {passage} {passage}\n");
        assert_eq!(
            findings(&thrice),
            [
                (
                    1,
                    "3 sentences repeat earlier ones in this paragraph".to_owned()
                ),
                (
                    1,
                    "3 sentences repeat earlier ones in this paragraph".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn two_slots_fill_one_template() {
        let tier = |days: &str, fee: &str| {
            format!(
                "all products returned within {days} days of possession built or in open box \
                 or out of original packaging will incur a {fee} restocking fee"
            )
        };
        assert!(two_slots(&tier("7", "25%"), &tier("8 to 14", "35%")));
        // One slot is `slot_variants`' business; equal texts are copies.
        assert!(!two_slots(&tier("7", "25%"), &tier("8 to 14", "25%")));
        assert!(!two_slots(&tier("7", "25%"), &tier("7", "25%")));
        // Slots longer than a few words, or too little in common between them.
        assert!(!two_slots(
            &tier("7", "25%"),
            &tier("as many as the store manager allows", "35%")
        ));
        assert!(!two_slots(
            "the mayor said on monday that the budget will pass",
            "the governor insisted after the vote that taxes will pass"
        ));
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

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        #[test]
        fn the_fast_sentence_split_agrees_with_the_reference(
            text in "([A-Za-z]{1,6}|[ .!?…’”)\\]]|\\. [A-Z1]|\u{a0}|é|\n){0,40}"
        ) {
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            super::split_sentences_into(&text, &mut fast);
            super::split_sentences_reference(&text, &mut slow);
            proptest::prop_assert_eq!(fast, slow);
        }

        #[test]
        fn a_sentence_quoted_in_a_paragraph_shares_a_piece_with_it(
            sentence in "[A-Z“(][a-z]{1,5}( ([a-z]{1,7}|u\\.s\\.|e\\.g\\.|\\d|[a-z]+[.!?]’?)){7,14}[.!?…][’”)]?",
            before in "([A-Z][a-z]{1,6}( [a-z]{1,6}){2,6}[.!?] ){0,2}",
            after in "( [A-Z“][a-z]{1,6}( [a-z]{1,6}){2,6}[.!?]){0,2}",
        ) {
            let paragraph = format!("{before}{sentence}{after}");
            let alone = fold(&sentence);
            proptest::prop_assume!(super::count_words(&alone) >= super::SENTENCE_WORDS);
            // Only where the sentence is one of the paragraph's as written.
            let key = super::sentence_folded(&sentence);
            proptest::prop_assume!(split_sentences(&paragraph)
                .iter()
                .any(|&(a, b)| super::sentence_folded(&paragraph[a..b]) == key));
            let pieces = |text: &str| {
                let (mut keyed, mut short) = (Vec::new(), 0);
                let mut flagged = false;
                super::for_each_piece(text, |piece, words| {
                    if words >= super::PIECE_WORDS {
                        keyed.push(piece.to_owned());
                        short = 0;
                    } else {
                        short += words;
                        flagged |= short >= super::SENTENCE_WORDS;
                    }
                });
                (keyed, flagged)
            };
            let (in_paragraph, _) = pieces(&fold(&paragraph));
            let (own, flagged) = pieces(&alone);
            proptest::prop_assert!(
                flagged || own.iter().any(|p| in_paragraph.contains(p)),
                "{own:?} not in {in_paragraph:?}"
            );
        }
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

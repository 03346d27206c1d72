//! `related-links-block`: a "You May Also Like" heading and the teaser headlines under it,
//! or a run of teasers cut off with `…`.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};

use crate::declare_rule;
use crate::document::{Block, Document, Span, chars};
use crate::rules::{Applicability, Diagnostic, Fix, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a block of teasers for other articles that a scraper kept at the end (or in
    /// the middle) of an article: a heading such as "You May Also Like", "Related
    /// Articles", "Read more", "More from …", "Das könnte Sie auch interessieren", "À lire
    /// aussi" or "Te puede interesar", followed by at least two teaser lines; or, with no
    /// heading, a run of at least four teasers cut off with `…`.
    ///
    /// A teaser line is a one-line paragraph that is either a headline (4 to 18 words,
    /// starting with a capital or a digit, not ending like a sentence with `.`, `:` or
    /// `;`, not a `Key: value` line) or an excerpt cut off with `…`, `...` or `[…]`
    /// (5 words or more, a glued `Read more` allowed). Dates, counters and bylines
    /// between teasers (`Nov 18, 2019`, `By Jane Doe`) are skipped. The block ends at a
    /// paragraph that reads like body text (a sentence ending with a period, a long line,
    /// hard-wrapped prose), so a "Related" heading above the article's own paragraphs is
    /// not flagged; when the article goes on after the teasers, a last headline right
    /// above its next paragraph is taken for the article's subheading and left out.
    /// Without a heading, a run counts only from the headline above its first cut-off
    /// excerpt to its last one. A phrase that stands on three lines or more ("Read
    /// More" under every card of a list) is a button, not a heading.
    ///
    /// ## Why is this bad?
    /// The teasers belong to other articles. They add unrelated headlines to the text,
    /// duplicate across every page of the site, and end mid-sentence.
    ///
    /// ## Example
    /// ```text
    /// You May Also Like
    ///
    /// Trump Rallies Defense Leaders to Boost Weapons Production Amid Urgent Iran Conflict Response
    ///
    /// President Donald Trump is actively seeking assistance to bolster his ongoing military…
    ///
    /// Fetterman’s Unexpected Move Stirs Democratic Controversy Over Noem’s Successor
    ///
    /// Kristi Noem’s departure from the Department of Homeland Security was barely announced…
    /// ```
    /// Use instead: delete the heading and the teasers.
    ///
    /// ## Options
    /// - `min-teasers` (default `2`): teaser lines needed under a heading.
    /// - `min-truncated` (default `4`): teasers cut off with `…` needed in a run without a
    ///   heading; `0` turns that case off.
    /// - `extra-triggers` (default `[]`): more heading phrases, e.g. `["Mehr vom SV
    ///   Werder"]`; matched like the built-in ones (whole line, ASCII case-insensitive).
    ///
    /// ## Fix
    /// Deletes the block from the heading to the last teaser, and the blank lines after it
    /// (unsafe: check that no article text was caught in it).
    name: "related-links-block",
    group: crate::rules::group::BOILERPLATE,
    severity: Warning,
    fix: Unsafe,
    summary: "A heading such as \"You May Also Like\" followed by teasers of other articles",
}

#[derive(Debug, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    min_teasers: usize,
    min_truncated: usize,
    extra_triggers: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_teasers: 2,
            min_truncated: 4,
            extra_triggers: Vec::new(),
        }
    }
}

/// Headings of related-article blocks. A trailing `…` means the heading may go on with a
/// few words (`More from The Guardian`, `Mehr aus Bremen`).
const TRIGGERS: &[&str] = &[
    // English
    "You may also like",
    "You might also like",
    "You may like",
    "You might like",
    "You may be interested in",
    "You may also be interested in",
    "You might be interested in",
    "Related",
    "Related articles",
    "Related stories",
    "Related posts",
    "Related content",
    "Related news",
    "Related coverage",
    "Related reading",
    "Related links",
    "Related videos",
    "Read more",
    "Read next",
    "Read this next",
    "What to read next",
    "Up next",
    "Watch next",
    "Also read",
    "Keep reading",
    // Not "More on …", "More about …": documentation headings ("More about forms").
    "More from …",
    "Also on …",
    "Latest from …",
    "More stories",
    "More news",
    "More articles",
    "More like this",
    "More to explore",
    "More to read",
    "Other stories",
    "Recommended for you",
    "Recommended stories",
    "Recommended articles",
    "Recommended reading",
    "Recommended posts",
    "Trending",
    "Trending now",
    "Trending stories",
    "Trending articles",
    "Trending news",
    "Most popular",
    "Most read",
    "Most viewed",
    "Most shared",
    "Popular posts",
    "Popular stories",
    "Popular articles",
    "Popular now",
    "Top stories",
    "Latest news",
    "Latest stories",
    "Latest articles",
    "Latest posts",
    "Recent posts",
    "Recent articles",
    "Recent stories",
    "Don't miss",
    "Don’t miss",
    "Editor's picks",
    "Editor’s picks",
    "Editors' picks",
    "Editors’ picks",
    "Around the web",
    "From the web",
    "Sponsored stories",
    "Promoted stories",
    "In case you missed it",
    // German
    "Das könnte Sie auch interessieren",
    "Das könnte dich auch interessieren",
    "Das könnte Ihnen auch gefallen",
    "Das könnte dir auch gefallen",
    "Auch interessant",
    "Ebenfalls interessant",
    "Auch lesenswert",
    "Lesenswert",
    "Mehr zum Thema …",
    "Passend zum Thema",
    "Zum Thema",
    "Mehr aus …",
    "Mehr von …",
    "Ähnliche Beiträge",
    "Ähnliche Artikel",
    "Verwandte Artikel",
    "Verwandte Beiträge",
    "Weitere Artikel",
    "Weitere Beiträge",
    "Weitere Nachrichten",
    "Weitere Meldungen",
    "Meistgelesen",
    "Meist gelesen",
    "Am meisten gelesen",
    "Meistgeklickt",
    "Beliebte Beiträge",
    "Beliebte Artikel",
    "Lesen Sie auch",
    "Lesen Sie mehr",
    "Empfohlene Artikel",
    "Neueste Beiträge",
    "Neueste Artikel",
    "Aktuelle Beiträge",
    "Schon gelesen?",
    "Zum Weiterlesen",
    "Top-Artikel",
    // French
    "À lire aussi",
    "A lire aussi",
    "Lire aussi",
    "À lire également",
    "Sur le même sujet",
    "Sur le même thème",
    "Articles similaires",
    "Articles liés",
    "Articles connexes",
    "Vous aimerez aussi …",
    "Vous aimerez peut-être aussi",
    "Vous pourriez aussi aimer",
    "Les plus lus",
    "Les plus populaires",
    "À découvrir",
    "A découvrir",
    "À découvrir aussi",
    "Dans la même rubrique",
    "Derniers articles",
    "Articles récents",
    // Spanish
    "Te puede interesar",
    "También te puede interesar",
    "Te podría interesar",
    "Quizás te interese",
    "Puede que te interese",
    "Noticias relacionadas",
    "Artículos relacionados",
    "Entradas relacionadas",
    "Relacionado",
    "Relacionados",
    "Lo más leído",
    "Lo más visto",
    "Más leídas",
    "Más leído",
    "Más vistos",
    "Te recomendamos",
    "Lee también",
    "Lea también",
    "Leer también",
    "Más noticias",
    "Otras noticias",
    "Últimas noticias",
    "Entradas recientes",
    "Artículos recientes",
];

/// How many words may follow a heading that ends in `…`.
const MAX_TAIL_WORDS: usize = 4;
/// Words of a teaser headline.
const HEADLINE_WORDS: std::ops::RangeInclusive<usize> = 4..=18;
/// A headline this short may be a subheading.
const SUBHEAD_WORDS: usize = 8;
/// Words an excerpt needs before its `…`.
const MIN_EXCERPT_WORDS: usize = 5;
/// A heading phrase seen this many times in a document is a button, not a heading.
const MAX_SAME_HEADING: usize = 3;
/// Dates, counters and bylines skipped in a row inside a block.
const MAX_META_IN_A_ROW: usize = 3;

struct Triggers {
    automaton: AhoCorasick,
    /// Per pattern: may a few words follow it?
    open_ended: Vec<bool>,
}

impl Triggers {
    fn new<'a>(
        phrases: impl IntoIterator<Item = &'a str>,
    ) -> Result<Triggers, aho_corasick::BuildError> {
        let mut patterns = Vec::new();
        let mut open_ended = Vec::new();
        for phrase in phrases {
            let (phrase, open) = match phrase.strip_suffix('…') {
                Some(head) => (head.trim_end(), true),
                None => (phrase.trim(), false),
            };
            if phrase.is_empty() {
                continue;
            }
            // ASCII case folding is the automaton's; give `Ähnliche` its `ähnliche` too.
            for variant in first_letter_variants(phrase) {
                patterns.push(variant);
                open_ended.push(open);
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(&patterns)?;
        Ok(Triggers {
            automaton,
            open_ended,
        })
    }

    /// The heading phrase if `line` is one: the phrase, then only punctuation and numbers
    /// (`Related (5)`, `You may also like:`), or a few words for open-ended phrases.
    fn heading<'a>(&self, line: &'a str) -> Option<&'a str> {
        let body = line.trim_start_matches(|c: char| !c.is_alphanumeric());
        let m = self
            .automaton
            .find(Input::new(body).anchored(Anchored::Yes))?;
        let phrase = body.get(..m.end())?;
        let rest = body.get(m.end()..)?;
        if rest.starts_with(char::is_alphanumeric) {
            return None;
        }
        let words = rest
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .count();
        let open = self.open_ended.get(m.pattern().as_usize()) == Some(&true);
        let ends_sentence = rest.trim_end().ends_with(['.', '!']);
        match (words, open) {
            (0, _) => Some(phrase),
            (1..=MAX_TAIL_WORDS, true) if !ends_sentence => Some(phrase),
            _ => None,
        }
    }
}

fn first_letter_variants(phrase: &str) -> Vec<String> {
    let mut chars = phrase.chars();
    let Some(first) = chars.next() else {
        return Vec::new();
    };
    let rest = chars.as_str();
    let mut out = vec![phrase.to_owned()];
    if !first.is_ascii() {
        for c in first.to_lowercase().chain(first.to_uppercase()) {
            let variant = format!("{c}{rest}");
            if !out.contains(&variant) {
                out.push(variant);
            }
        }
    }
    out
}

static BUILTIN: LazyLock<Triggers> = LazyLock::new(|| {
    Triggers::new(TRIGGERS.iter().copied()).expect("built-in trigger phrases compile")
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Headline,
    /// A headline that may as well be a subheading of the article: short (`Pick the
    /// Right Location`) or numbered (`19) Ingrid Goes West`).
    Subhead,
    /// An excerpt cut off with `…`.
    Truncated,
    /// A date, counter or byline between teasers.
    Meta,
    /// A sentence ending with a period, a long line or a hard-wrapped paragraph.
    Prose,
    /// A trigger phrase such as "Related Articles".
    Heading,
    /// Anything else ends a block.
    Other,
}

/// Read-more links glued to an excerpt: `…military… Read more`, lowercase.
const READ_MORE_TAILS: &[&str] = &[
    "read more",
    "continue reading",
    "weiterlesen",
    "mehr",
    "lire la suite",
    "leer más",
    "»",
    "›",
    "→",
];

fn classify(text: &str) -> Kind {
    let text = text
        .trim_matches(chars::is_inline_whitespace)
        .trim_start_matches(|c: char| {
            matches!(
                c,
                '-' | '–' | '—' | '•' | '·' | '*' | '»' | '›' | '▪' | '►' | '→'
            ) || chars::is_inline_whitespace(c)
        });
    let words = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    if words == 0 {
        return Kind::Other;
    }
    let tail = without_read_more(text.trim_end());
    if ends_with_ellipsis(tail) {
        return if words >= MIN_EXCERPT_WORDS {
            Kind::Truncated
        } else {
            Kind::Other
        };
    }
    let byline = ["By ", "Von ", "Par ", "Por "]
        .iter()
        .any(|p| text.starts_with(p));
    // `Nov 18, 2019`, `3 hours ago`, `December 13, 2021 at 10:15`; not `5 Ways to Save`.
    let numbers = text
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .count();
    if (byline && words <= 5) || (numbers >= 1 && words <= 3) || (numbers >= 2 && words <= 6) {
        return Kind::Meta;
    }
    let sentence_end = tail.ends_with(['.', ':', ';', ',']);
    // A headline starts with a capital, a digit or a quote; a lowercase start is the
    // middle of a sentence (hard-wrapped prose with blank lines between its lines).
    let capital = text
        .chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| !c.is_lowercase());
    if HEADLINE_WORDS.contains(&words) && capital && !sentence_end && !is_key_value(text) {
        if words <= SUBHEAD_WORDS || starts_with_number(text) {
            Kind::Subhead
        } else {
            Kind::Headline
        }
    } else if words > *HEADLINE_WORDS.end() || tail.ends_with(['.', '!', '?']) {
        Kind::Prose
    } else {
        Kind::Other
    }
}

/// `…ongoing military… Read more` without its link text, when the link follows an
/// ellipsis; else the text unchanged.
fn without_read_more(text: &str) -> &str {
    // The markers are short: compare the last few characters only.
    let from = text.char_indices().rev().nth(20).map_or(0, |(i, _)| i);
    let Some(end) = text.get(from..) else {
        return text;
    };
    let end = end.to_lowercase();
    for marker in READ_MORE_TAILS {
        if let Some(head) = end.strip_suffix(marker) {
            // Lowercasing may change byte lengths; cut by characters.
            let keep = from
                + text.get(from..).map_or(0, |t| {
                    t.char_indices()
                        .nth(head.chars().count())
                        .map_or(t.len(), |(i, _)| i)
                });
            let head = text.get(..keep).unwrap_or(text).trim_end();
            return if ends_with_ellipsis(head) { head } else { text };
        }
    }
    text
}

/// A cheap test for the pre-pass: `…` or `...` among the last characters of a line,
/// where an excerpt's ellipsis is, possibly before a glued `Read more`.
fn has_ellipsis_near_end(text: &str) -> bool {
    let from = text.char_indices().rev().nth(24).map_or(0, |(i, _)| i);
    text.get(from..)
        .is_some_and(|tail| tail.contains('…') || tail.contains("..."))
}

/// `19) Ingrid Goes West`, `3. Fix your website`: an item of a numbered list.
fn starts_with_number(text: &str) -> bool {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    (1..=3).contains(&digits)
        && text
            .get(digits..)
            .is_some_and(|r| r.starts_with(['.', ')']))
}

fn is_teaser(kind: Option<Kind>) -> bool {
    matches!(kind, Some(Kind::Headline | Kind::Subhead | Kind::Truncated))
}

fn ends_with_ellipsis(text: &str) -> bool {
    let text = text.trim_end_matches([']', ')']).trim_end();
    text.ends_with('…') || text.ends_with("...")
}

/// `OS: Windows 11`, `Memory: 16 GB RAM`: one word, a colon, a value.
fn is_key_value(text: &str) -> bool {
    text.split_once(':')
        .is_some_and(|(key, value)| !key.contains(char::is_whitespace) && !value.trim().is_empty())
}

pub struct RelatedLinksBlock {
    options: Options,
    extra: Option<Triggers>,
}

impl RelatedLinksBlock {
    pub fn new(options: Options) -> Self {
        let extra = if options.extra_triggers.is_empty() {
            None
        } else {
            // A phrase list too large for the automaton is ignored rather than fatal.
            Triggers::new(options.extra_triggers.iter().map(String::as_str)).ok()
        };
        RelatedLinksBlock { options, extra }
    }

    fn heading<'a>(&self, line: &'a str) -> Option<&'a str> {
        BUILTIN
            .heading(line)
            .or_else(|| self.extra.as_ref().and_then(|t| t.heading(line)))
    }
}

impl Default for RelatedLinksBlock {
    fn default() -> Self {
        RelatedLinksBlock::new(Options::default())
    }
}

/// One candidate block: blocks `first..=last` of the document.
struct Run {
    first: usize,
    last: usize,
    lines: usize,
    teasers: usize,
    truncated: usize,
}

impl Rule for RelatedLinksBlock {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        let blocks = doc.blocks();
        // A teaser or a heading is a one-line paragraph; a hard-wrapped paragraph is prose.
        let line = |b: &Block| (b.first_line == b.last_line).then(|| doc.slice(b.span));
        // Cheap pass: most documents have no heading and too few `…` for a headless run.
        let mut headings: Vec<Option<&str>> = vec![None; blocks.len()];
        let mut any_heading = false;
        let mut ellipses = 0;
        for (i, block) in blocks.iter().enumerate() {
            let Some(text) = line(block) else { continue };
            if let Some(phrase) = self.heading(text) {
                headings[i] = Some(phrase);
                any_heading = true;
            } else if has_ellipsis_near_end(text) {
                ellipses += 1;
            }
        }
        // A phrase that heads three lines or more is a button under every card of a list
        // ("Read More"), not the heading of one block: the lines after it are the next
        // card, which may be the page's own content.
        if any_heading {
            let mut seen: Vec<(String, usize)> = Vec::new();
            for phrase in headings.iter().flatten() {
                let key = phrase.to_lowercase();
                match seen.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, n)) => *n += 1,
                    None => seen.push((key, 1)),
                }
            }
            for heading in headings.iter_mut() {
                if let Some(phrase) = heading
                    && seen
                        .iter()
                        .any(|(k, n)| *n >= MAX_SAME_HEADING && *k == phrase.to_lowercase())
                {
                    *heading = None;
                }
            }
            any_heading = headings.iter().any(Option::is_some);
        }
        let headless = self.options.min_truncated > 0 && ellipses >= self.options.min_truncated;
        if !any_heading && !headless {
            return;
        }
        // Classified on demand: with only a heading or two, most lines never are.
        let mut kinds = Kinds {
            cache: vec![None; blocks.len()],
            of: |i: usize| match (blocks.get(i).and_then(line), headings.get(i)) {
                (Some(text), Some(None)) => classify(text),
                (Some(_), _) => Kind::Heading,
                (None, _) => Kind::Prose,
            },
        };
        let mut taken = vec![false; blocks.len()];
        for (h, phrase) in headings.iter().enumerate() {
            let Some(phrase) = phrase else { continue };
            let Some(run) = run_from(&mut kinds, h + 1, self.options.min_teasers) else {
                continue;
            };
            if run.lines < self.options.min_teasers.max(1) {
                continue;
            }
            taken[h..=run.last].fill(true);
            let message = format!(
                "Related-links block under \"{phrase}\": {} {}",
                run.teasers,
                plural(run.teasers, "teaser", "teasers")
            );
            out.push(self.finding(doc, blocks, h, run.last, message));
        }
        if !headless {
            return;
        }
        let mut i = 0;
        while i < blocks.len() {
            if taken[i] {
                i += 1;
                continue;
            }
            match run_from(&mut kinds, i, usize::MAX) {
                Some(whole) if whole.first == i => {
                    let run = excerpts_of(&mut kinds, &whole);
                    if run.truncated >= self.options.min_truncated {
                        let message = format!(
                            "Related-links block: {} {} cut off with \"…\"",
                            run.teasers,
                            plural(run.teasers, "teaser", "teasers")
                        );
                        out.push(self.finding(doc, blocks, run.first, run.last, message));
                    }
                    i = whole.last + 1;
                }
                _ => i += 1,
            }
        }
    }
}

impl RelatedLinksBlock {
    fn finding(
        &self,
        doc: &Document,
        blocks: &[Block],
        first: usize,
        last: usize,
        message: String,
    ) -> Diagnostic {
        let (Some(head), Some(tail)) = (blocks.get(first), blocks.get(last)) else {
            return self.diagnostic(Span::default(), message);
        };
        let span = Span::new(head.span.start, tail.span.end);
        let line_start = |line: usize| doc.line_span_with_break(line).map(|s| s.start);
        let line_end = |line: usize| doc.line_span_with_break(line).map(|s| s.end);
        // Delete through the blank lines after the block, so that the paragraphs around
        // it keep one blank line between them; at the end of the text, delete the blank
        // lines before it instead, keeping the line break of the paragraph above.
        let fix = match (
            blocks.get(last + 1),
            first.checked_sub(1).and_then(|p| blocks.get(p)),
        ) {
            (Some(next), _) => Span::new(
                line_start(head.first_line).unwrap_or(head.span.start),
                line_start(next.first_line).unwrap_or(next.span.start),
            ),
            (None, Some(prev)) => Span::new(
                line_end(prev.last_line).unwrap_or(head.span.start),
                doc.text().len(),
            ),
            (None, None) => Span::new(0, doc.text().len()),
        };
        self.diagnostic(span, message)
            .with_help("Delete the heading and the teasers")
            .with_fix(Fix::delete(Applicability::Unsafe, fix))
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// The kinds of the document's blocks, computed once each, when first asked for.
struct Kinds<F> {
    cache: Vec<Option<Kind>>,
    of: F,
}

impl<F: Fn(usize) -> Kind> Kinds<F> {
    /// `None` past the last block.
    fn get(&mut self, i: usize) -> Option<Kind> {
        let slot = self.cache.get_mut(i)?;
        Some(*slot.get_or_insert_with(|| (self.of)(i)))
    }
}

/// The run of teaser lines that starts at the first teaser at or after `start` (dates,
/// counters and bylines before it are skipped) and ends at the last teaser before a line
/// of another kind.
fn run_from<F: Fn(usize) -> Kind>(
    kinds: &mut Kinds<F>,
    start: usize,
    min_lines: usize,
) -> Option<Run> {
    let mut first = None;
    let mut last = 0;
    let mut metas = 0;
    let mut article_goes_on = false;
    let mut i = start;
    while let Some(kind) = kinds.get(i) {
        match kind {
            Kind::Headline | Kind::Subhead | Kind::Truncated => {
                first.get_or_insert(i);
                last = i;
                metas = 0;
            }
            Kind::Meta if metas < MAX_META_IN_A_ROW => metas += 1,
            _ => {
                article_goes_on = kind != Kind::Heading && metas == 0;
                break;
            }
        }
        i += 1;
    }
    let first = first?;
    let run = tally(kinds, first, last);
    // A widget in the middle of an article ends where the article goes on, often with
    // a subheading: a headline right above the next paragraph, caption or credit is
    // taken for that subheading when it looks like one, or when the block does not
    // need it to be a block.
    let subhead = match kinds.get(last) {
        Some(Kind::Subhead) => true,
        Some(Kind::Headline) => run.lines > min_lines,
        _ => false,
    };
    if article_goes_on && subhead {
        if last == first {
            return None;
        }
        let shorter = (first..last)
            .rev()
            .find(|&i| is_teaser(kinds.get(i)))
            .unwrap_or(first);
        return Some(tally(kinds, first, shorter));
    }
    Some(run)
}

/// Without a heading, a run is trusted only from its cut-off excerpts: it starts at the
/// headline just above the first one (the article's last line may also lack a period)
/// and ends at the last one.
fn excerpts_of<F: Fn(usize) -> Kind>(kinds: &mut Kinds<F>, run: &Run) -> Run {
    let mut truncated = |i: &usize| kinds.get(*i) == Some(Kind::Truncated);
    let Some(first) = (run.first..=run.last).find(&mut truncated) else {
        return tally(kinds, run.first, run.first);
    };
    let last = (run.first..=run.last)
        .rev()
        .find(&mut truncated)
        .unwrap_or(first);
    let headline = (run.first..first)
        .rev()
        .find(|&i| kinds.get(i) != Some(Kind::Meta))
        .filter(|&i| matches!(kinds.get(i), Some(Kind::Headline | Kind::Subhead)));
    tally(kinds, headline.unwrap_or(first), last)
}

fn tally<F: Fn(usize) -> Kind>(kinds: &mut Kinds<F>, first: usize, last: usize) -> Run {
    let mut run = Run {
        first,
        last,
        lines: 0,
        teasers: 0,
        truncated: 0,
    };
    let mut previous = Kind::Other;
    for i in first..=last {
        let Some(kind) = kinds.get(i) else { break };
        if !is_teaser(Some(kind)) {
            continue;
        }
        run.lines += 1;
        if kind == Kind::Truncated {
            run.truncated += 1;
        }
        // An excerpt right under its headline is the same teaser.
        if !(kind == Kind::Truncated && matches!(previous, Kind::Headline | Kind::Subhead)) {
            run.teasers += 1;
        }
        previous = kind;
    }
    run
}

#[cfg(test)]
mod tests {
    use super::{Kind, Options, RelatedLinksBlock, classify};
    use crate::rules::test::{assert_clean, check_fixture, fix_fixture, run};

    #[test]
    fn flags_the_heading_and_its_teasers() {
        insta::assert_snapshot!(check_fixture(&RelatedLinksBlock::default(), "related-links-block/flagged.txt"), @r#"
        5:1 related-links-block Related-links block under "Auch interessant": 4 teasers [unsafe fix]
        27:1 related-links-block Related-links block under "Schon gelesen?": 2 teasers [unsafe fix]
        37:1 related-links-block Related-links block under "Don't Miss": 2 teasers [unsafe fix]
        55:1 related-links-block Related-links block under "ÚLTIMAS NOTICIAS": 3 teasers [unsafe fix]
        71:1 related-links-block Related-links block under "Dans la même rubrique": 10 teasers [unsafe fix]
        103:1 related-links-block Related-links block: 10 teasers cut off with "…" [unsafe fix]
        137:1 related-links-block Related-links block under "You May Also Like": 8 teasers [unsafe fix]
        "#);
    }

    #[test]
    fn the_fix_deletes_the_block() {
        fix_fixture(
            &RelatedLinksBlock::default(),
            "related-links-block/flagged.txt",
        );
    }

    #[test]
    fn article_text_under_a_related_heading_is_not_a_block() {
        assert_clean(
            &RelatedLinksBlock::default(),
            include_str!("../../tests/fixtures/related-links-block/clean.txt"),
        );
    }

    #[test]
    fn lines_are_told_apart() {
        assert_eq!(
            classify(
                "Trump Rallies Defense Leaders to Boost Weapons Production Amid Urgent Iran Conflict Response"
            ),
            Kind::Headline
        );
        assert_eq!(classify("Pick the Right Location"), Kind::Subhead);
        assert_eq!(
            classify("19) Ingrid Goes West, a twisted and dark comedy"),
            Kind::Subhead
        );
        assert_eq!(
            classify(
                "President Donald Trump is actively seeking assistance to bolster his ongoing military…"
            ),
            Kind::Truncated
        );
        assert_eq!(
            classify("Kristi Noem’s departure was barely announced ... Read more"),
            Kind::Truncated
        );
        assert_eq!(classify("- Memory: 16 GB RAM"), Kind::Other);
        assert_eq!(
            classify("The two agreed to continue working together."),
            Kind::Prose
        );
        assert_eq!(classify("Nov 18, 2019"), Kind::Meta);
        assert_eq!(classify("By Jane Doe"), Kind::Meta);
        assert_eq!(classify("Snappy processor"), Kind::Other);
        assert_eq!(classify("If you are …"), Kind::Other);
    }

    #[test]
    fn a_headless_run_needs_four_cut_off_teasers() {
        let teaser = "Officials said on Monday that the plan would go ahead despite…\n\n";
        let rule = RelatedLinksBlock::default();
        assert!(run(&rule, &teaser.repeat(3)).1.is_empty());
        let (_, found) = run(&rule, &format!("Body text here.\n\n{}", teaser.repeat(4)));
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "Related-links block: 4 teasers cut off with \"…\""
        );
        let off = RelatedLinksBlock::new(Options {
            min_truncated: 0,
            ..Options::default()
        });
        assert!(run(&off, &teaser.repeat(6)).1.is_empty());
    }

    #[test]
    fn extra_triggers_and_open_ended_headings() {
        let teasers =
            "Werder siegt im Nordderby gegen den HSV\n\nNeuer Trainer stellt sich in Bremen vor\n";
        let rule = RelatedLinksBlock::new(Options {
            extra_triggers: vec!["Neues vom SV Werder".into()],
            ..Options::default()
        });
        assert_eq!(
            run(&rule, &format!("Neues vom SV Werder\n\n{teasers}"))
                .1
                .len(),
            1
        );
        let builtin = RelatedLinksBlock::default();
        assert_eq!(
            run(&builtin, &format!("Mehr aus Bremen:\n\n{teasers}"))
                .1
                .len(),
            1
        );
        assert!(
            run(
                &builtin,
                &format!("More from the story that we told you about last week\n\n{teasers}")
            )
            .1
            .is_empty()
        );
        assert!(
            run(
                &builtin,
                &format!("Related work is discussed below.\n\n{teasers}")
            )
            .1
            .is_empty()
        );
    }

    #[test]
    fn hard_wrapped_prose_under_a_heading_is_not_a_block() {
        let text = "Read more\n\nThe committee met on Monday and agreed\nthat the budget would be cut by a\nthird over the next two years\n\nAnother paragraph follows here\nand it also wraps over lines\n";
        assert_clean(&RelatedLinksBlock::default(), text);
    }
}

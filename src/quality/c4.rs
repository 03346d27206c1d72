//! C4's cleaning rules (Raffel et al. 2020, "Exploring the Limits of Transfer Learning
//! with a Unified Text-to-Text Transformer", JMLR 21(140), section 2.2; code:
//! `tensorflow_datasets/text/c4_utils.py`), as datatrove's `C4QualityFilter` implements
//! them: lines are removed, and the page is dropped for "lorem ipsum", a curly bracket,
//! or fewer than five sentences in what remains.

use std::borrow::Cow;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;
use serde::Deserialize;

use super::pytext::{count_words_upto, split_words, strip};
use super::words::{sentence_count, sentence_count_in};
use super::{Bound, Check, Detail, Evidence, MAX_PAGE_BYTES, Note, Page, Removed, Verdict};
use crate::document::Span;

/// Thresholds and switches; every default is C4's (and datatrove's). `-1` turns a count
/// off, as in datatrove.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Remove Wikipedia citation marks (`[1]`, `[edit]`, `[citation needed]`) first.
    pub remove_citations: bool,
    pub filter_no_terminal_punct: bool,
    pub min_num_sentences: i64,
    pub min_words_per_line: i64,
    pub max_word_length: i64,
    pub filter_lorem_ipsum: bool,
    pub filter_javascript: bool,
    pub filter_curly_bracket: bool,
    pub filter_policy: bool,
    /// copylint: also report pages C4 keeps but would remove lines from.
    pub report_removed_lines: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            remove_citations: true,
            filter_no_terminal_punct: true,
            min_num_sentences: 5,
            min_words_per_line: 3,
            max_word_length: 1000,
            filter_lorem_ipsum: true,
            filter_javascript: true,
            filter_curly_bracket: true,
            filter_policy: true,
            report_removed_lines: true,
        }
    }
}

pub const FILTER: &str = "c4-quality";
pub const TITLE: &str = "C4 filter";

static CITATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[\d*\]|\[edit\]|\[citation needed\]").expect("the citation pattern is valid")
});

const LOREM: u8 = 1;
const JAVASCRIPT: u8 = 2;
const POLICY_NOTICE: u8 = 4;

/// `"lorem ipsum"`, `"javascript"`, then datatrove's `POLICY_SUBSTRINGS`.
const PHRASE_LIST: [&str; 8] = [
    "lorem ipsum",
    "javascript",
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
];

/// The phrases, matched in ASCII case folding.
static PHRASES: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(PHRASE_LIST)
        .expect("the C4 phrases build")
});

/// Three letters of each of C4's phrases (`"psu"` of "lorem ipsum", `"vas"`, `"f u"` of
/// "terms of use", `"vac"`, `"oki"` of the cookie phrases), as trigram keys: bytes folded
/// to their low five bits, so that upper and lower case fold together.
const MARKS: [&[u8; 3]; 5] = [b"psu", b"vas", b"f u", b"vac", b"oki"];

/// The trigram keys of `MARKS`, as a bit set.
static MARK_KEYS: [u64; 512] = {
    let mut set = [0u64; 512];
    let mut m = 0;
    while m < MARKS.len() {
        let mut key = 0usize;
        let mut i = 0;
        while i < 3 {
            key = (key << 5 | (MARKS[m][i] & 0x1f) as usize) & 0x7fff;
            i += 1;
        }
        set[key / 64] |= 1 << (key % 64);
        m += 1;
    }
    set
};

/// Every spelling of `MARKS` in upper and lower case, searched a vector at a time
/// (Teddy), where the CPU has the instructions.
static MARK_SEARCHER: LazyLock<Option<aho_corasick::packed::Searcher>> = LazyLock::new(|| {
    let mut spellings = Vec::new();
    for mark in MARKS {
        for case in 0..8u8 {
            let spelling: Vec<u8> = mark
                .iter()
                .enumerate()
                .map(|(i, &b)| {
                    if case & (1 << i) != 0 {
                        b.to_ascii_uppercase()
                    } else {
                        b
                    }
                })
                .collect();
            if !spellings.contains(&spelling) {
                spellings.push(spelling);
            }
        }
    }
    aho_corasick::packed::Config::new()
        .builder()
        .extend(spellings)
        .build()
});

/// Whether `s` holds one of `MARKS` in any case (as every occurrence of a phrase, in
/// any case, does).
fn has_mark(s: &str) -> bool {
    match &*MARK_SEARCHER {
        Some(searcher) => searcher.find(s).is_some(),
        None => has_mark_key(s),
    }
}

/// Whether `s` holds three bytes in a row that fold to one of `MARKS` (as every
/// occurrence of a phrase, in any case, does; other bytes may fold so too).
fn has_mark_key(s: &str) -> bool {
    let mut key = 0usize;
    s.bytes().enumerate().any(|(i, b)| {
        key = (key << 5 | usize::from(b & 0x1f)) & 0x7fff;
        i >= 2 && MARK_KEYS[key / 64] & (1 << (key % 64)) != 0
    })
}

/// Where a search of the whole page found something, asked line by line.
struct Found<I: Iterator<Item = usize>>(std::iter::Peekable<I>);

impl<I: Iterator<Item = usize>> Found<I> {
    fn new(at: I) -> Self {
        Found(at.peekable())
    }

    /// Whether something was found at `from..to`. Asked with `from` never decreasing.
    fn within(&mut self, from: usize, to: usize) -> bool {
        while self.0.next_if(|&at| at < from).is_some() {}
        self.0.peek().is_some_and(|&at| at < to)
    }
}

/// The page's searches for what C4 looks for in a line: one vector scan of the page
/// each instead of one call per line (most lines are short, and a call per line costs
/// more than the scan). Lines are asked in order, by their stripped span in the page.
struct PageHits<'a> {
    brackets: Found<memchr::Memchr<'a>>,
    braces: Found<memchr::Memchr<'a>>,
    /// Where `MARKS` start; `None` where the CPU has no packed searcher, or the page
    /// holds a character that `str.lower()` folds into a mark (U+212A, whose last byte
    /// is 0xAA): then each line is searched.
    marks: Option<Found<MarkStarts<'a>>>,
}

type MarkStarts<'a> =
    std::iter::Map<aho_corasick::packed::FindIter<'static, 'a>, fn(aho_corasick::Match) -> usize>;

impl<'a> PageHits<'a> {
    fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let start: fn(aho_corasick::Match) -> usize = |m| m.start();
        PageHits {
            brackets: Found::new(memchr::memchr_iter(b'[', bytes)),
            braces: Found::new(memchr::memchr_iter(b'{', bytes)),
            marks: match &*MARK_SEARCHER {
                Some(searcher) if memchr::memchr(0xAA, bytes).is_none() => {
                    Some(Found::new(searcher.find_iter(text).map(start)))
                }
                _ => None,
            },
        }
    }

    /// Whether the line at `span` holds `[`.
    fn bracket(&mut self, span: Span) -> bool {
        self.brackets.within(span.start, span.end)
    }

    /// Whether the line at `span` holds `{`.
    fn brace(&mut self, span: Span) -> bool {
        self.braces.within(span.start, span.end)
    }

    /// Whether the line at `span` may hold one of `MARKS`, if the page's search tells.
    /// The packed searcher reports marks that do not overlap, so one may hide another
    /// that starts up to two bytes later: a mark from two bytes before the line on
    /// counts.
    fn marked(&mut self, span: Span) -> Option<bool> {
        let marks = self.marks.as_mut()?;
        Some(marks.within(span.start.saturating_sub(2), span.end))
    }
}

/// Which of C4's phrases `line.lower()` contains, as bits. `marked` is whether the line
/// holds one of `MARKS`, when a search of the page tells (`None`: the line is searched).
fn phrases(line: &str, marked: Option<bool>) -> u8 {
    if marked == Some(false) {
        return 0;
    }
    // Of the characters `str.lower()` maps to ASCII, only U+212A KELVIN SIGN (to `k`)
    // can complete a phrase (U+0130 gives `i` and a combining dot, and no phrase ends
    // in `i`); other characters stay non-ASCII, so ASCII case folding on the line as
    // it is finds what Python finds in `line.lower()`.
    let lower;
    // Its last byte in UTF-8 (E2 84 AA), searched a vector at a time, rules most lines out.
    let kelvin = marked.is_none()
        && memchr::memchr(0xAA, line.as_bytes()).is_some()
        && line.contains('\u{212A}');
    let haystack = if kelvin {
        lower = line.to_lowercase();
        &lower
    } else {
        line
    };
    // Most lines hold none: a scan for three letters of each phrase rules most of them
    // out, then one search with the automaton.
    if (marked.is_none() && !has_mark(haystack)) || !PHRASES.is_match(haystack) {
        return 0;
    }
    let mut found = 0;
    for m in PHRASES.find_overlapping_iter(haystack) {
        found |= match m.pattern().as_usize() {
            0 => LOREM,
            1 => JAVASCRIPT,
            _ => POLICY_NOTICE,
        };
    }
    found
}

pub fn evaluate(page: &Page<'_>, o: &Options, detail: Detail) -> Verdict {
    if let Some(v) = Verdict::too_large(FILTER, TITLE, page.text().len(), MAX_PAGE_BYTES) {
        return v;
    }
    let text = page.text();
    let lines = page.lines();
    let mut sentences = 0usize;
    // Lines removed for each reason, in the order C4 tests them (`reasons` below).
    let mut by_reason = [0usize; 5];
    let mut removed = Evidence::new("lines removed before counting");
    let mut lorem = Evidence::new("lines with “lorem ipsum”");
    let mut curly = Evidence::new("lines with “{”");
    let mut nonblank = 0;
    // Enough sentences pass the check: for a verdict, counting stops there.
    let enough = match detail {
        Detail::Verdict => usize::try_from(o.min_num_sentences).ok(),
        Detail::Full => None,
    };
    let mut hits = PageHits::new(text);
    for &span in lines {
        let stripped = strip(text, span);
        let line = text.get(stripped.range()).unwrap_or("");
        nonblank += usize::from(!line.is_empty());
        // The word count matters only under `min_words_per_line`, and the longest word
        // only in a line longer than `max_word_length` bytes: most lines are counted to
        // their third word, and no further.
        let (n_words, longest) = if o.max_word_length != -1 && line.len() as i64 > o.max_word_length
        {
            split_words(line)
        } else {
            let cap = usize::try_from(o.min_words_per_line).unwrap_or(0);
            (count_words_upto(line, cap), 0)
        };
        let mut remove = |reason: usize| {
            // C4 drops blank lines too (no terminal punctuation), but they carry
            // nothing: they are not counted or labelled as removed.
            if line.is_empty() {
                return;
            }
            by_reason[reason] += 1;
            if removed.marks.len() == super::MAX_MARKS {
                removed.total += 1;
                return;
            }
            let note = match reason {
                0 => format!("word over {} characters", o.max_word_length),
                1 => match line.chars().next_back() {
                    _ if line.ends_with("...") => "ends with an ellipsis".to_owned(),
                    Some(c) if !c.is_alphanumeric() => format!("ends with “{c}”"),
                    _ => "no terminal punctuation".to_owned(),
                },
                2 => format!("{n_words} words"),
                3 => "mentions javascript".to_owned(),
                _ => "cookie or policy notice".to_owned(),
            };
            removed.add(span, Note::Text(note));
        };
        if o.max_word_length != -1 && longest as i64 > o.max_word_length {
            remove(0);
            continue;
        }
        // Every citation starts with `[`: most lines have none (a vector search tells),
        // and skip the regex.
        let line = if o.remove_citations && hits.bracket(stripped) {
            CITATION.replace_all(line, "")
        } else {
            line.into()
        };
        let terminal = line.ends_with(['.', '?', '!', '"', '\'']) && !line.ends_with("...");
        if o.filter_no_terminal_punct && !terminal {
            remove(1);
            continue;
        }
        if (n_words as i64) < o.min_words_per_line {
            remove(2);
            continue;
        }
        // The page's searches tell of the line as it is in the page; a line without its
        // citations is searched.
        let borrowed = matches!(line, Cow::Borrowed(_));
        let marked = if borrowed {
            hits.marked(stripped)
        } else {
            None
        };
        let found = phrases(&line, marked);
        if o.filter_lorem_ipsum && found & LOREM != 0 {
            lorem.add(span, Note::Text("“lorem ipsum”".to_owned()));
        }
        if o.filter_javascript && found & JAVASCRIPT != 0 {
            remove(3);
            continue;
        }
        let brace = if borrowed {
            hits.brace(stripped)
        } else {
            line.contains('{')
        };
        if o.filter_curly_bracket && brace {
            curly.add(span, Note::Text("curly bracket".to_owned()));
        }
        if o.filter_policy && found & POLICY_NOTICE != 0 {
            remove(4);
            continue;
        }
        if o.min_num_sentences != -1 && enough.is_none_or(|e| sentences < e) {
            sentences += match &line {
                // The line as it is in the page: its words are the page's.
                Cow::Borrowed(_) => sentence_count_in(text, page.words(), stripped),
                Cow::Owned(cleaned) => sentence_count(cleaned),
            };
        }
    }
    let mut checks = Vec::new();
    if o.filter_lorem_ipsum {
        checks.push(
            Check::new("lines with “lorem ipsum”", "lorem_ipsum", Bound::Max)
                .measure(Some(lorem.total as f64), 0.0)
                .count()
                .with_evidence(lorem),
        );
    }
    if o.filter_curly_bracket {
        checks.push(
            Check::new("lines with “{”", "curly_bracket", Bound::Max)
                .measure(Some(curly.total as f64), 0.0)
                .count()
                .with_evidence(curly),
        );
    }
    if o.min_num_sentences != -1 {
        let check = Check::new("sentences", "too_few_sentences", Bound::Min);
        let threshold = o.min_num_sentences as f64;
        checks.push(if enough.is_some_and(|e| sentences >= e) {
            check.bounded(threshold).count()
        } else {
            check
                .measure(Some(sentences as f64), threshold)
                .count()
                .with_evidence(removed.clone())
        });
    }
    let mut verdict = Verdict::new(FILTER, TITLE, checks);
    // Why C4 removes a line, in the order it tests: as counted, and as labelled.
    let reasons = [
        format!("with a word over {} characters", o.max_word_length),
        "without terminal punctuation".to_owned(),
        format!("under {} words", o.min_words_per_line),
        "mentioning javascript".to_owned(),
        "with a cookie or policy notice".to_owned(),
    ];
    verdict.lines = Some(Removed {
        lines: nonblank,
        removed: removed.total,
        by_reason: reasons
            .into_iter()
            .zip(by_reason)
            .filter(|(_, n)| *n > 0)
            .collect(),
        evidence: removed,
    });
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = include_str!("../../seeds/000_db6636acdd834bc4.txt");

    fn failing(text: &str) -> Vec<String> {
        evaluate(&Page::new(text), &Options::default(), Detail::Full)
            .failing()
            .map(|c| c.reason.to_string())
            .collect()
    }

    #[test]
    fn the_seed_is_kept_with_its_headline_and_captions_removed() {
        let v = evaluate(&Page::new(SEED), &Options::default(), Detail::Full);
        assert!(!v.dropped);
        let lines = v.lines.expect("C4 reports its lines");
        assert_eq!((lines.removed, lines.lines), (35, 59));
        assert_eq!(
            lines.by_reason,
            vec![("without terminal punctuation".to_owned(), 35)]
        );
        let sentences = v.checks.iter().find(|c| c.reason == "too_few_sentences");
        assert_eq!(sentences.and_then(|c| c.value), Some(30.0));
    }

    #[test]
    fn lorem_ipsum_and_curly_brackets_in_kept_lines_drop_the_page() {
        let text = "One two three four five. Six seven eight nine ten. Lorem ipsum dolor sit amet. A b c. D e f.";
        assert!(failing(text).contains(&"lorem_ipsum".to_owned()));
        let text = "The cat sat. The dog ran [1]. It was fun {x}. We left. All done. Bye now.";
        assert_eq!(failing(text), vec!["curly_bracket"]);
        // A removed line does not count: this one has no terminal punctuation.
        assert!(failing("code {x}\nOne. Two. Three. Four. Five here.").is_empty());
    }

    #[test]
    fn every_phrase_holds_a_mark_in_any_case() {
        // The vector search where the CPU has one, and the trigram keys everywhere.
        assert!(MARK_SEARCHER.is_some() || !cfg!(target_arch = "x86_64"));
        for has in [has_mark, has_mark_key] {
            for phrase in PHRASE_LIST {
                let mixed: String = phrase
                    .chars()
                    .enumerate()
                    .map(|(i, c)| {
                        if i % 2 == 0 {
                            c.to_ascii_uppercase()
                        } else {
                            c
                        }
                    })
                    .collect();
                for spelling in [phrase.to_owned(), phrase.to_uppercase(), mixed] {
                    assert!(has(&spelling), "{spelling}");
                    assert!(has(&format!("x {spelling}.")), "{spelling}");
                }
            }
            assert!(!has("Nothing to see here."));
            assert!(!has("ab"));
        }
    }

    #[test]
    fn phrases_are_found_as_in_the_lowercased_line() {
        assert_eq!(phrases("Enable JAVASCRIPT.", None), JAVASCRIPT);
        assert_eq!(
            phrases("Über Cookie Policy und Lorem Ipsum", None),
            POLICY_NOTICE | LOREM
        );
        // U+212A KELVIN SIGN lowercases to `k`: "coo\u{212A}ie policy" is a policy line.
        assert_eq!(phrases("our coo\u{212A}ie policy", None), POLICY_NOTICE);
        // U+0130 lowercases to `i` and a combining dot, which breaks the phrase.
        assert_eq!(phrases("JAVASCR\u{130}PT", None), 0);
        assert_eq!(phrases("nothing here", None), 0);
    }

    #[test]
    fn the_page_searches_find_what_each_line_search_finds() {
        use crate::quality::pytext::splitlines;
        // Lines as `evaluate` reads them, with the page-wide searches it asks, against
        // the searches of each line alone.
        let crafted = "Enable JAVASCRIPT to continue.\n  We use cookies. {json} \n\
                       [1] terms of use\nvavas pspsu ookie\nf u {\n\nlorem ipsum dolor.\n\
                       Privacy Policy [edit]\nplain line";
        for text in [SEED, crafted] {
            let mut hits = PageHits::new(text);
            let mut lines_with = [0; 3];
            for span in splitlines(text) {
                let stripped = strip(text, span);
                let line = &text[stripped.range()];
                assert_eq!(hits.bracket(stripped), line.contains('['), "{line}");
                assert_eq!(hits.brace(stripped), line.contains('{'), "{line}");
                let marked = hits.marked(stripped);
                assert_eq!(marked.is_some(), MARK_SEARCHER.is_some());
                assert_eq!(phrases(line, marked), phrases(line, None), "{line}");
                for (n, found) in lines_with.iter_mut().zip([
                    line.contains('['),
                    line.contains('{'),
                    phrases(line, None) != 0,
                ]) {
                    *n += usize::from(found);
                }
            }
            if text == crafted {
                assert_eq!(lines_with, [2, 2, 5]);
            }
        }
    }

    #[test]
    fn verdicts_stop_counting_sentences_at_enough() {
        let few = include_str!("../../tests/fixtures/c4-quality/flagged.txt");
        for text in [SEED, few, "One. Two. Three. Four. Five. Six.", "One. Two."] {
            let full = evaluate(&Page::new(text), &Options::default(), Detail::Full);
            let quick = evaluate(&Page::new(text), &Options::default(), Detail::Verdict);
            crate::quality::assert_same_verdict(&full, &quick);
            assert_eq!(
                full.lines.map(|l| l.removed),
                quick.lines.map(|l| l.removed)
            );
        }
    }

    #[test]
    fn javascript_and_cookie_lines_are_removed_not_dropped() {
        let text = "Enable JavaScript to view this page properly.\nThis page uses cookies for things.\nA real sentence here is fine. And another one. Yes three. Four here. Five now. Six.";
        let v = evaluate(&Page::new(text), &Options::default(), Detail::Full);
        assert!(!v.dropped);
        let lines = v.lines.expect("lines");
        assert_eq!(
            lines.by_reason,
            vec![
                ("mentioning javascript".to_owned(), 1),
                ("with a cookie or policy notice".to_owned(), 1)
            ]
        );
    }
}

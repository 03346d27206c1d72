//! FineWeb's quality rules (Penedo et al. 2024, "The FineWeb Datasets: Decanting the Web
//! for the Finest Text Data at Scale", arXiv:2406.17557, section 3.3.5), as datatrove's
//! `FineWebQualityFilter` implements them.

use std::borrow::Cow;

use serde::Deserialize;

use super::hash::find_duplicates;
use super::pytext::{chars, line_capacity, split_words};
use super::words::{Class, is, is_space};
use super::{Bound, Check, Detail, Evidence, MAX_PAGE_BYTES, Note, Page, Verdict, ratio};
use crate::document::Span;

/// Thresholds; every default is FineWeb's (and datatrove's).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Least share of lines that end in terminal punctuation.
    pub line_punct_thr: f64,
    /// Keep pages where no line ends in terminal punctuation.
    pub line_punct_exclude_zero: bool,
    /// Largest share of short lines.
    pub short_line_thr: f64,
    /// A short line has at most this many characters.
    pub short_line_length: usize,
    /// Largest share of the characters (newlines aside) in lines that repeat an earlier line.
    pub char_duplicates_ratio: f64,
    /// Largest number of newlines per word.
    pub new_line_ratio: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            line_punct_thr: 0.12,
            line_punct_exclude_zero: false,
            short_line_thr: 0.67,
            short_line_length: 30,
            char_duplicates_ratio: 0.01,
            new_line_ratio: 0.3,
        }
    }
}

pub const FILTER: &str = "fineweb-quality";
pub const TITLE: &str = "FineWeb quality filter";

pub fn evaluate(page: &Page<'_>, o: &Options, detail: Detail) -> Verdict {
    if let Some(v) = Verdict::too_large(FILTER, TITLE, page.text().len(), MAX_PAGE_BYTES) {
        return v;
    }
    let text = page.text();
    // `text.split("\n")`, blank lines left out.
    let mut lines: Vec<Span> = Vec::with_capacity(line_capacity(text.len()));
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]);
    for end in ends {
        let span = Span::new(start, end);
        start = end + 1;
        if !text.get(span.range()).unwrap_or("").chars().all(is_space) {
            lines.push(span);
        }
    }
    if lines.is_empty() {
        let check = Check::new("non-blank lines", "empty", Bound::Min)
            .measure(Some(0.0), 1.0)
            .count();
        return Verdict::new(FILTER, TITLE, vec![check]);
    }
    let line = |s: &Span| text.get(s.range()).unwrap_or("");
    let terminal = |s: &Span| {
        line(s)
            .chars()
            .next_back()
            .is_some_and(|c| is(Class::DtTerminal, c))
    };
    // A line of at most `short_line_length` bytes has at most as many characters, and
    // one of over four times as many bytes has more: only lines between are counted.
    let short = |s: &Span| {
        s.len() <= o.short_line_length
            || (s.len() <= o.short_line_length.saturating_mul(4)
                && chars(line(s)) <= o.short_line_length)
    };

    let punct = ratio(lines.iter().filter(|s| terminal(s)).count(), lines.len());
    let mut check = Check::new(
        "lines ending in punctuation",
        "line_punct_ratio",
        Bound::Min,
    )
    .measure(punct, o.line_punct_thr);
    if check.fails && o.line_punct_exclude_zero && punct == Some(0.0) {
        check.fails = false;
    }
    let check = check.with_evidence_if_failing(|| {
        let mut evidence = Evidence::new("lines without terminal punctuation");
        for s in lines.iter().filter(|s| !terminal(s)) {
            evidence.add_with(*s, || Note::Text("no terminal punctuation".to_owned()));
        }
        evidence
    });
    let mut checks = vec![check];

    let check = Check::new(
        match o.short_line_length {
            30 => Cow::Borrowed("lines of 30 characters or fewer"),
            n => Cow::Owned(format!("lines of {n} characters or fewer")),
        },
        "short_line_ratio",
        Bound::Max,
    )
    .measure(
        ratio(lines.iter().filter(|s| short(s)).count(), lines.len()),
        o.short_line_thr,
    );
    checks.push(check.with_evidence_if_failing(|| {
        let mut evidence = Evidence::new("short lines");
        for s in lines.iter().filter(|s| short(s)) {
            evidence.add_with(*s, || Note::Text(format!("{} characters", chars(line(s)))));
        }
        evidence
    }));

    let d = find_duplicates(text, &lines);
    let mut evidence = Evidence::new("repeated lines");
    for (span, first) in d.repeats {
        evidence.add(span, Note::Repeats(first));
    }
    let newlines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    checks.push(
        Check::new("duplicate-line characters", "char_dup_ratio", Bound::Max)
            .measure(
                ratio(d.chars, page.chars() - newlines),
                o.char_duplicates_ratio,
            )
            .with_evidence(evidence),
    );
    let check = Check::new("newlines per word", "list_ratio", Bound::Max);
    // Every run of non-space characters is one word or more: for a verdict, when no
    // filter has split the words yet, the runs may prove the check passing without
    // splitting them.
    let few_newlines = detail == Detail::Verdict
        && page.words_if_split().is_none()
        && ratio(newlines, split_words(text).0)
            .is_some_and(|most| !Bound::Max.fails(most, o.new_line_ratio));
    checks.push(if few_newlines {
        check.bounded(o.new_line_ratio)
    } else {
        check.measure(ratio(newlines, page.words().len()), o.new_line_ratio)
    });
    Verdict::new(FILTER, TITLE, checks)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = include_str!("../../seeds/000_db6636acdd834bc4.txt");

    fn failing(text: &str, o: &Options) -> Vec<String> {
        evaluate(&Page::new(text), o, Detail::Full)
            .failing()
            .map(|c| c.reason.to_string())
            .collect()
    }

    #[test]
    fn the_seed_is_dropped_for_its_repeated_captions() {
        let v = evaluate(&Page::new(SEED), &Options::default(), Detail::Full);
        assert!(v.dropped);
        let dup = v.failing().next().expect("a failing check");
        assert_eq!(dup.reason, "char_dup_ratio");
        // datatrove: find_duplicates(lines)[1] / len(text.replace("\n", ""))
        assert!((dup.value.unwrap_or_default() - 0.04185430463576159).abs() < 1e-12);
        let repeated: Vec<&str> = dup
            .evidence
            .iter()
            .flat_map(|e| &e.marks)
            .map(|m| &SEED[m.span.range()])
            .collect();
        assert_eq!(repeated.len(), 3);
        assert!(repeated[0].starts_with("The war on drugs continues"));
        assert!(repeated[1].starts_with("US Army soldiers guard"));
        assert_eq!(repeated[2], "Share this @internewscast.com");
    }

    #[test]
    fn lines_ending_in_a_carriage_return_do_not_end_in_punctuation() {
        let text = "Line one.\r\nLine two.\r\nLine three.\r\n";
        assert!(failing(text, &Options::default()).contains(&"line_punct_ratio".to_owned()));
        let o = Options {
            line_punct_exclude_zero: true,
            ..Options::default()
        };
        assert!(!failing(text, &o).contains(&"line_punct_ratio".to_owned()));
    }

    #[test]
    fn a_verdict_bounds_newlines_per_word_by_the_runs_of_the_text() {
        let list = "Home\nNews\nSport\nWeather\n".repeat(5);
        for text in [SEED, &list, "one two\nthree\n", "a,b,c\n\n\n"] {
            // A page shares its words with the last page of the same text: the verdict
            // comes first, on a text not seen before.
            let page = Page::new(text);
            let quick = evaluate(&page, &Options::default(), Detail::Verdict);
            let bounded = quick.checks.iter().any(|c| c.bounded);
            // The words were split only where the runs could not decide.
            assert_eq!(page.words_if_split().is_none(), bounded, "{text:?}");
            let full = evaluate(&Page::new(text), &Options::default(), Detail::Full);
            crate::quality::assert_same_verdict(&full, &quick);
        }
    }

    #[test]
    fn a_blank_page_is_empty() {
        assert_eq!(failing(" \n\u{a0}\n", &Options::default()), vec!["empty"]);
    }
}

//! Gopher's quality rules (Rae et al. 2021, "Scaling Language Models: Methods, Analysis &
//! Insights from Training Gopher", arXiv:2112.11446, appendix A.1.1), as datatrove's
//! `GopherQualityFilter` implements them.

use serde::Deserialize;

use super::words::Word;
use super::{Bound, Check, Detail, Evidence, MAX_PAGE_BYTES, Note, Page, Verdict, ratio};
use crate::document::Span;

/// Thresholds; every default is the paper's and datatrove's. A threshold of 0 turns its
/// check off, as in datatrove.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    pub min_doc_words: usize,
    pub max_doc_words: usize,
    pub min_avg_word_length: f64,
    pub max_avg_word_length: f64,
    pub max_symbol_word_ratio: f64,
    pub max_bullet_lines_ratio: f64,
    pub max_ellipsis_lines_ratio: f64,
    /// datatrove calls it `max_non_alpha_words_ratio`, but it is the least share of
    /// words with a letter.
    pub min_alpha_words_ratio: f64,
    pub min_stop_words: usize,
    pub stop_words: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_doc_words: 50,
            max_doc_words: 100_000,
            min_avg_word_length: 3.0,
            max_avg_word_length: 10.0,
            max_symbol_word_ratio: 0.1,
            max_bullet_lines_ratio: 0.9,
            max_ellipsis_lines_ratio: 0.3,
            min_alpha_words_ratio: 0.8,
            min_stop_words: 2,
            stop_words: ["the", "be", "to", "of", "and", "that", "have", "with"]
                .map(String::from)
                .into(),
        }
    }
}

pub const FILTER: &str = "gopher-quality";
pub const TITLE: &str = "Gopher quality filter";

/// The lines of the page whose text satisfies `pred`, as evidence.
fn lines_where(
    page: &Page<'_>,
    what: &'static str,
    note: impl Fn(&str) -> Option<String>,
) -> Evidence {
    let mut evidence = Evidence::new(what);
    for &span in page.lines() {
        if let Some(text) = note(page.text().get(span.range()).unwrap_or("")) {
            evidence.add(span, Note::Text(text));
        }
    }
    evidence
}

pub fn evaluate(page: &Page<'_>, o: &Options, detail: Detail) -> Verdict {
    if let Some(v) = Verdict::too_large(FILTER, TITLE, page.text().len(), MAX_PAGE_BYTES) {
        return v;
    }
    let text = page.text();
    let words = page.words();
    let n_words = words.len();
    // `set(stop_words) & set(words)`: how many stop words occur, case-sensitively.
    let mut stop: Vec<&str> = o.stop_words.iter().map(String::as_str).collect();
    stop.sort_unstable();
    stop.dedup();
    // For a verdict, `min_stop_words` of them are enough: the check passes.
    let enough = match detail {
        Detail::Verdict => o.min_stop_words.min(stop.len()),
        Detail::Full => stop.len(),
    };
    // Counted without a branch per word: whether a token is punctuation follows the
    // text, and a branch on it is mispredicted about once in seven words.
    let (mut n_real, mut real_chars, mut with_letter) = (0usize, 0usize, 0usize);
    for w in words {
        let real = usize::from(!w.is_symbol());
        n_real += real;
        real_chars += w.chars as usize & real.wrapping_neg();
        with_letter += usize::from(w.has_letter());
    }
    let found = match StopTable::new(&stop) {
        Some(table) => table.count(text.as_bytes(), words, enough),
        None => count_stop_words(text, words, &stop, enough),
    };
    let bounded = detail == Detail::Verdict && found >= o.min_stop_words;
    let hashes = text.matches('#').count();
    let ellipses = memchr::memmem::find_iter(text.as_bytes(), "...").count()
        + memchr::memmem::find_iter(text.as_bytes(), "…").count();
    let lines = page.lines();
    let is_bullet = |l: &str| {
        let l = l.trim_start_matches(super::words::is_space);
        l.starts_with('•') || l.starts_with('-')
    };
    let ends_ellipsis = |l: &str| {
        let l = l.trim_end_matches(super::words::is_space);
        l.ends_with("...") || l.ends_with('…')
    };
    let line_text = |s: &Span| text.get(s.range()).unwrap_or("");
    let bullets = lines.iter().filter(|s| is_bullet(line_text(s))).count();
    let ellipsis_lines = lines.iter().filter(|s| ends_ellipsis(line_text(s))).count();

    let mut checks = Vec::new();
    let on = |threshold: f64| threshold != 0.0;
    if o.min_doc_words != 0 {
        checks.push(
            Check::new("words", "gopher_short_doc", Bound::Min)
                .measure(Some(n_real as f64), o.min_doc_words as f64)
                .count(),
        );
    }
    if o.max_doc_words != 0 {
        checks.push(
            Check::new("words", "gopher_long_doc", Bound::Max)
                .measure(Some(n_real as f64), o.max_doc_words as f64)
                .count(),
        );
    }
    let mean = ratio(real_chars, n_real);
    if on(o.min_avg_word_length) {
        checks.push(
            Check::new("mean word length", "gopher_below_avg_threshold", Bound::Min)
                .measure(mean, o.min_avg_word_length),
        );
    }
    if on(o.max_avg_word_length) {
        checks.push(
            Check::new("mean word length", "gopher_above_avg_threshold", Bound::Max)
                .measure(mean, o.max_avg_word_length),
        );
    }
    if on(o.max_symbol_word_ratio) {
        let check = Check::new("# per word", "gopher_too_many_hashes", Bound::Max)
            .measure(ratio(hashes, n_words), o.max_symbol_word_ratio);
        checks.push(check.with_evidence_if_failing(|| {
            lines_where(page, "lines with #", |l| {
                let n = l.matches('#').count();
                (n > 0).then(|| format!("{n} #"))
            })
        }));
        let check = Check::new("ellipses per word", "gopher_too_many_ellipsis", Bound::Max)
            .measure(ratio(ellipses, n_words), o.max_symbol_word_ratio);
        checks.push(check.with_evidence_if_failing(|| {
            lines_where(page, "lines with ellipses", |l| {
                let n = l.matches("...").count() + l.matches('…').count();
                (n > 0).then(|| format!("{n} ellipses"))
            })
        }));
    }
    if on(o.max_bullet_lines_ratio) {
        let check = Check::new(
            "lines starting with a bullet",
            "gopher_too_many_bullets",
            Bound::Max,
        )
        .measure(ratio(bullets, lines.len()), o.max_bullet_lines_ratio);
        checks.push(check.with_evidence_if_failing(|| {
            lines_where(page, "bullet lines", |l| {
                is_bullet(l).then(|| "starts with a bullet".to_owned())
            })
        }));
    }
    if on(o.max_ellipsis_lines_ratio) {
        let check = Check::new(
            "lines ending with an ellipsis",
            "gopher_too_many_end_ellipsis",
            Bound::Max,
        )
        .measure(
            ratio(ellipsis_lines, lines.len()),
            o.max_ellipsis_lines_ratio,
        );
        checks.push(check.with_evidence_if_failing(|| {
            lines_where(page, "lines ending with an ellipsis", |l| {
                ends_ellipsis(l).then(|| "ends with an ellipsis".to_owned())
            })
        }));
    }
    if on(o.min_alpha_words_ratio) {
        let check = Check::new(
            "words with a letter",
            "gopher_below_alpha_threshold",
            Bound::Min,
        )
        .measure(ratio(with_letter, n_words), o.min_alpha_words_ratio);
        checks.push(
            check.with_evidence_if_failing(|| letterless_lines(page, o.min_alpha_words_ratio)),
        );
    }
    if o.min_stop_words != 0 {
        let check = Check::new("stop words", "gopher_enough_stop_words", Bound::Min).count();
        let threshold = o.min_stop_words as f64;
        checks.push(if bounded {
            check.bounded(threshold)
        } else {
            check.measure(Some(found as f64), threshold)
        });
    }
    Verdict::new(FILTER, TITLE, checks)
}

/// How many of `stop` occur among `words`, up to the last word or until `enough` are
/// seen. Words of up to 7 bytes are compared as numbers, longer ones as text.
fn count_stop_words(text: &str, words: &[Word], stop: &[&str], enough: usize) -> usize {
    let stop_keys: Vec<Option<u64>> = stop.iter().map(|s| short_key(s.as_bytes())).collect();
    let longest = stop.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut seen = vec![false; stop.len()];
    let mut unseen = enough;
    for w in words {
        if unseen == 0 {
            break;
        }
        if w.span().len() <= longest {
            let t = text.as_bytes().get(w.span().range()).unwrap_or_default();
            let key = short_key(t);
            let i = match key {
                Some(_) => stop_keys.iter().position(|k| *k == key),
                None => stop.iter().position(|s| s.as_bytes() == t),
            };
            if let Some(i) = i
                && !seen[i]
            {
                seen[i] = true;
                unseen -= 1;
            }
        }
    }
    seen.iter().filter(|&&s| s).count()
}

/// Stop words of 1 to 7 bytes, at most 16 of them (Gopher's 8), by a hash of their key
/// with no two in one slot: a word is looked up with no branch on its length or its
/// text, which `count_stop_words` takes per word (mispredicted on a page with few stop
/// words, where the scan goes to the last word).
struct StopTable {
    /// The key of the stop word in each slot; 0, no word's key, for an empty one.
    slots: [u64; 64],
    multiplier: u64,
}

impl StopTable {
    /// A word that is no stop word's length has this key, in no slot.
    const NO_KEY: u64 = u64::MAX;

    fn new(stop: &[&str]) -> Option<Self> {
        if stop.len() > 16 || stop.iter().any(|s| s.is_empty()) {
            return None;
        }
        let keys: Option<Vec<u64>> = stop.iter().map(|s| short_key(s.as_bytes())).collect();
        let keys = keys?;
        // Odd multipliers from a fixed sequence, until one spreads the keys.
        let mut multiplier = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..64 {
            let mut slots = [0u64; 64];
            let mut clash = false;
            for &key in &keys {
                let slot = &mut slots[Self::slot(key, multiplier)];
                clash |= *slot != 0;
                *slot = key;
            }
            if !clash {
                return Some(StopTable { slots, multiplier });
            }
            multiplier = multiplier.wrapping_mul(0xff51_afd7_ed55_8ccd) | 1;
        }
        None
    }

    #[inline]
    fn slot(key: u64, multiplier: u64) -> usize {
        (key.wrapping_mul(multiplier) >> 58) as usize
    }

    /// How many stop words occur among `words` of `text`, read in runs of 64 words until
    /// `enough` are seen.
    fn count(&self, text: &[u8], words: &[Word], enough: usize) -> usize {
        let mut seen = 0u64;
        for run in words.chunks(64) {
            for w in run {
                let len = w.span().len();
                let head = match text.get(w.span().start..w.span().start + 8) {
                    Some(chunk) => u64::from_le_bytes(chunk.try_into().unwrap_or_default()),
                    None => short_key(text.get(w.span().range()).unwrap_or_default())
                        .unwrap_or(Self::NO_KEY),
                };
                // The bytes past the word masked off: a shift of 8 to 56 bits for a
                // word of 1 to 7 bytes (a longer one gets `NO_KEY`).
                let bits = 8 * len.clamp(1, 7) as u32;
                let key = (head & ((1u64 << bits) - 1)) | (len as u64) << 56;
                let key = if (1..=7).contains(&len) {
                    key
                } else {
                    Self::NO_KEY
                };
                let slot = Self::slot(key, self.multiplier);
                seen |= u64::from(self.slots[slot] == key) << slot;
            }
            if seen.count_ones() as usize >= enough {
                break;
            }
        }
        seen.count_ones() as usize
    }
}

/// A text of up to 7 bytes as a number: its bytes, little-endian, and its length in the
/// top byte (distinct texts, distinct numbers; never 0 but for the empty text, never
/// `StopTable::NO_KEY`). The same number as `StopTable::count` builds from a word's
/// first 8 bytes.
fn short_key(bytes: &[u8]) -> Option<u64> {
    (bytes.len() <= 7).then(|| {
        let mut buf = [0u8; 8];
        buf[..bytes.len()].copy_from_slice(bytes);
        u64::from_le_bytes(buf) | (bytes.len() as u64) << 56
    })
}

/// The lines whose own share of words with a letter is under `min`, those with the
/// most letterless words first, then shown in text order.
fn letterless_lines(page: &Page<'_>, min: f64) -> Evidence {
    let words = page.words();
    let mut per_line: Vec<(Span, usize, usize)> = Vec::new();
    let mut w = 0;
    for &line in page.lines() {
        let (mut total, mut bare) = (0, 0);
        while let Some(word) = words.get(w) {
            if word.span().start >= line.end {
                break;
            }
            if word.span().start >= line.start {
                total += 1;
                bare += usize::from(!word.has_letter());
            }
            w += 1;
        }
        if total > 0 && ((total - bare) as f64 / total as f64) < min {
            per_line.push((line, bare, total));
        }
    }
    let mut evidence = Evidence::new("lines with few words with a letter");
    let mut order: Vec<usize> = (0..per_line.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(per_line[i].1));
    let mut shown: Vec<usize> = order.into_iter().take(super::MAX_MARKS).collect();
    shown.sort_unstable();
    evidence.total = per_line.len();
    for i in shown {
        let (span, bare, total) = per_line[i];
        evidence.marks.push(super::Mark {
            span,
            note: Note::Text(format!(
                "{bare} of {total} words {} no letter",
                if bare == 1 { "has" } else { "have" }
            )),
        });
    }
    evidence
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
    fn the_seed_is_kept_and_counts_words_as_datatrove() {
        let v = evaluate(&Page::new(SEED), &Options::default(), Detail::Full);
        assert!(!v.dropped);
        // datatrove: 1337 tokens, 1215 of them not only punctuation.
        assert_eq!(v.checks[0].value, Some(1215.0));
    }

    #[test]
    fn a_menu_fails_for_bullets_length_letters_and_stop_words() {
        let menu = "- Home\n- News\n- Sport\n- Weather\n";
        // The dashes are words too, without a letter: half the words.
        assert_eq!(
            failing(menu),
            vec![
                "gopher_short_doc",
                "gopher_too_many_bullets",
                "gopher_below_alpha_threshold",
                "gopher_enough_stop_words"
            ]
        );
        let v = evaluate(&Page::new(menu), &Options::default(), Detail::Full);
        let bullets = v.failing().find(|c| c.reason == "gopher_too_many_bullets");
        assert_eq!(
            bullets.and_then(|c| c.evidence.as_ref()).map(|e| e.total),
            Some(4)
        );
    }

    #[test]
    fn verdicts_stop_looking_for_stop_words_at_enough() {
        let menu = "- Home\n- News\n- Sport\n- Weather\n";
        let few = "The cat and the hat. ".repeat(20);
        for text in [SEED, menu, &few, "the be"] {
            let full = evaluate(&Page::new(text), &Options::default(), Detail::Full);
            let quick = evaluate(&Page::new(text), &Options::default(), Detail::Verdict);
            crate::quality::assert_same_verdict(&full, &quick);
        }
    }

    #[test]
    fn stop_words_are_case_sensitive() {
        let text = "The Be To Of And That Have With ".repeat(10);
        assert!(failing(&text).contains(&"gopher_enough_stop_words".to_owned()));
    }

    #[test]
    fn a_threshold_of_zero_turns_its_check_off() {
        let o = Options {
            min_doc_words: 0,
            min_stop_words: 0,
            max_bullet_lines_ratio: 0.0,
            min_alpha_words_ratio: 0.0,
            ..Options::default()
        };
        assert!(!evaluate(&Page::new("- Home\n- News\n"), &o, Detail::Full).dropped);
    }

    #[test]
    fn the_stop_table_counts_as_the_word_by_word_scan() {
        let options = Options::default();
        let gopher: Vec<&str> = options.stop_words.iter().map(String::as_str).collect();
        let table = StopTable::new(&gopher);
        assert!(table.is_some(), "Gopher's eight stop words get a table");
        // Too many or too long stop words take the scan.
        assert!(StopTable::new(&["sometimes"]).is_none());
        let many: Vec<String> = (0..17).map(|i| format!("w{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(StopTable::new(&many).is_none());
        // The stop words at the very end of a text (fewer than 8 bytes left), inside
        // longer words, in another case, and after a word of 8 bytes.
        for text in [
            "The thesis of theology and band",
            "theater withheld THE And tobacco be",
            "abcdefgh the",
            "x to",
            "of",
            "",
        ] {
            let page = Page::new(text);
            let want = count_stop_words(text, page.words(), &gopher, gopher.len());
            let got = table
                .as_ref()
                .map(|t| t.count(text.as_bytes(), page.words(), gopher.len()));
            assert_eq!(got, Some(want), "{text:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// Any stop words of up to 7 bytes, any text of words near them: the table
        /// counts what the scan counts, and once `enough` are seen both say so.
        #[test]
        fn the_stop_table_agrees_with_the_scan(
            stop in proptest::collection::vec("[a-c]{1,3}|é|[a-c]{7}", 1..10),
            text in proptest::collection::vec("[a-c]{1,9}|é|\\.", 0..80),
            enough in 0..12usize,
        ) {
            let mut stop: Vec<&str> = stop.iter().map(String::as_str).collect();
            stop.sort_unstable();
            stop.dedup();
            let text = text.join(" ");
            let page = Page::new(&text);
            let table = StopTable::new(&stop);
            proptest::prop_assert!(table.is_some());
            let got = table.as_ref().map_or(0, |t| t.count(text.as_bytes(), page.words(), enough));
            let want = count_stop_words(&text, page.words(), &stop, enough);
            let all = count_stop_words(&text, page.words(), &stop, stop.len());
            let enough = enough.min(stop.len());
            // Both stop once `enough` are seen; below that, both count them all.
            proptest::prop_assert_eq!(got >= enough, want >= enough);
            if want < enough {
                proptest::prop_assert_eq!(got, want);
            }
            proptest::prop_assert!(got <= all && want <= all);
            let full = table.as_ref().map_or(0, |t| t.count(text.as_bytes(), page.words(), stop.len()));
            proptest::prop_assert_eq!(full, all);
        }
    }
}

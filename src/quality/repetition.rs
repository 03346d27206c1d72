//! Gopher's repetition rules (Rae et al. 2021, arXiv:2112.11446, table A1), as
//! datatrove's `GopherRepetitionFilter` implements them.

use std::borrow::Cow;
use std::cell::RefCell;

use serde::Deserialize;
use xxhash_rust::xxh3::xxh3_64;

use super::hash::{
    Chains, Keys, NONE, Table, chain, find_duplicates, shared_prefixes, word_hash, word_head,
};
use super::pytext::{split_newline_runs, strip};
use super::words::Word;
use super::{Bound, Check, Detail, Evidence, MAX_PAGE_BYTES, Note, Page, Verdict, ratio};
use crate::document::Span;

/// Thresholds; every default is table A1's (and datatrove's). A threshold of 0 turns the
/// four line and paragraph checks off, as in datatrove.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    pub dup_line_frac: f64,
    pub dup_para_frac: f64,
    pub dup_line_char_frac: f64,
    pub dup_para_char_frac: f64,
    /// `[n, fraction]` pairs: the most frequent n-gram's characters (times its count)
    /// must not exceed the fraction of the text.
    pub top_n_grams: Vec<(usize, f64)>,
    /// `[n, fraction]` pairs: the characters of n-grams that repeat an earlier one must
    /// not exceed the fraction of the text.
    pub dup_n_grams: Vec<(usize, f64)>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            dup_line_frac: 0.3,
            dup_para_frac: 0.3,
            dup_line_char_frac: 0.2,
            dup_para_char_frac: 0.2,
            top_n_grams: vec![(2, 0.2), (3, 0.18), (4, 0.16)],
            dup_n_grams: vec![
                (5, 0.15),
                (6, 0.14),
                (7, 0.13),
                (8, 0.12),
                (9, 0.11),
                (10, 0.10),
            ],
        }
    }
}

pub const FILTER: &str = "gopher-repetition";
pub const TITLE: &str = "Gopher repetition filter";

fn repeats(text: &str, pieces: &[Span], what: &'static str) -> (usize, usize, Evidence) {
    let d = find_duplicates(text, pieces);
    let mut evidence = Evidence::new(what);
    for (span, first) in d.repeats {
        // `re.split` gives empty pieces at the ends; they repeat, but show nothing.
        if span.is_empty() {
            evidence.total += 1;
        } else {
            evidence.add(span, Note::Repeats(first));
        }
    }
    (d.count, d.chars, evidence)
}

pub fn evaluate(page: &Page<'_>, o: &Options, detail: Detail) -> Verdict {
    if let Some(v) = Verdict::too_large(FILTER, TITLE, page.text().len(), MAX_PAGE_BYTES) {
        return v;
    }
    let text = page.text();
    if text.is_empty() {
        let check = Check::new("characters", "empty", Bound::Min)
            .measure(Some(0.0), 1.0)
            .count();
        return Verdict::new(FILTER, TITLE, vec![check]);
    }
    let all = Span::new(0, text.len());
    let chars = page.chars();
    let mut checks = Vec::new();
    let paragraphs = split_newline_runs(text, strip(text, all), 2);
    let (count, dup_chars, evidence) = repeats(text, &paragraphs, "repeated paragraphs");
    if o.dup_para_frac != 0.0 {
        checks.push(
            Check::new("duplicate paragraphs", "dup_para_frac", Bound::Max)
                .measure(ratio(count, paragraphs.len()), o.dup_para_frac)
                .with_evidence(evidence.clone()),
        );
    }
    if o.dup_para_char_frac != 0.0 {
        checks.push(
            Check::new(
                "duplicate-paragraph characters",
                "dup_para_char_frac",
                Bound::Max,
            )
            .measure(ratio(dup_chars, chars), o.dup_para_char_frac)
            .with_evidence(evidence),
        );
    }
    let lines = split_newline_runs(text, all, 1);
    let (count, dup_chars, evidence) = repeats(text, &lines, "repeated lines");
    if o.dup_line_frac != 0.0 {
        checks.push(
            Check::new("duplicate lines", "dup_line_frac", Bound::Max)
                .measure(ratio(count, lines.len()), o.dup_line_frac)
                .with_evidence(evidence.clone()),
        );
    }
    if o.dup_line_char_frac != 0.0 {
        checks.push(
            Check::new(
                "duplicate-line characters",
                "dup_line_char_frac",
                Bound::Max,
            )
            .measure(ratio(dup_chars, chars), o.dup_line_char_frac)
            .with_evidence(evidence),
        );
    }

    SCRATCH.with(|scratch| {
        let scratch = &mut *scratch.borrow_mut();
        n_grams(page, o, detail, &mut checks, scratch);
        scratch.shrink();
    });
    Verdict::new(FILTER, TITLE, checks)
}

/// The n-gram passes' buffers, kept between the pages of a thread.
#[derive(Default)]
struct Scratch {
    table: Table,
    /// The last window of each 16-byte prefix, for the duplicated n-gram passes.
    chains: Chains,
    /// The duplicated n-grams seen, in the pass under way.
    seen: Keys,
    /// The hash of each word.
    hashes: Vec<u64>,
    /// The key of the n-gram at each window, for the current n.
    keys: Vec<u64>,
    /// Whether the n-gram at each window occurs more than once, for the last top n-gram
    /// pass, and for the pass under way.
    repeated: Vec<bool>,
    next_repeated: Vec<bool>,
    /// Characters of words `..k`, for the length of any run of words.
    before: Vec<u32>,
    /// The words joined with nothing, and where each word starts in it.
    joined: Vec<u8>,
    joined_at: Vec<u32>,
    /// Whether the 16 bytes from each word's start begin another word too, and the
    /// last word before it that they begin.
    shared: Vec<bool>,
    prev: Vec<u32>,
    /// As `u32`: a page has under 4 GiB of text (`MAX_PAGE_BYTES`), so fewer words.
    candidates: Vec<u32>,
    /// Windows per bucket of their keys, for the bound on the top n-gram.
    buckets: Vec<u32>,
    /// The bucket of each pair of words, and the characters of the windows per bucket,
    /// for the cheaper bound on the top n-gram.
    head_sums: (Vec<u16>, Vec<usize>),
}

/// Buffers for up to this many words are kept for the next page.
const KEEP_WORDS: usize = 1 << 16;

impl Scratch {
    /// Frees a huge page's buffers.
    fn shrink(&mut self) {
        if self.hashes.capacity() > KEEP_WORDS
            || self.head_sums.0.capacity() > KEEP_WORDS
            || self.joined.capacity() > 8 * KEEP_WORDS
        {
            *self = Scratch::default();
        } else {
            self.table.shrink();
            self.chains.shrink();
            self.seen.shrink();
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The top n-gram and duplicated n-gram checks.
fn n_grams(page: &Page<'_>, o: &Options, detail: Detail, checks: &mut Vec<Check>, s: &mut Scratch) {
    let text = page.text();
    let chars = page.chars();
    let words = page.words();
    let Scratch {
        table,
        chains,
        seen,
        hashes,
        keys,
        repeated,
        next_repeated,
        before,
        joined,
        joined_at,
        shared,
        prev,
        candidates,
        buckets,
        head_sums,
    } = s;
    before.clear();
    before.push(0);
    // A map over the words has their exact count, and extends without a capacity
    // check per word (`scan` has none). Offsets and counts fit `u32`: no page over
    // `MAX_PAGE_BYTES` gets here, and a page has fewer characters than bytes.
    let mut sum = 0u32;
    before.extend(words.iter().map(|w| {
        sum += w.chars;
        sum
    }));
    let span_of =
        |i: usize, n: usize| Span::new(words[i].span().start, words[i + n - 1].span().end);

    // The top n-grams: `" ".join` of each window, counted. Each pass's keys extend the
    // last pass's by one word. Most pages pass every top n-gram check by a bound from
    // one cheap pass over the words, and hash none.
    let head_passes = if detail == Detail::Verdict {
        top_head_bounds(
            text.as_bytes(),
            words,
            &before[..],
            &o.top_n_grams,
            head_sums,
            |most, fraction| ratio(most, chars).is_some_and(|v| !Bound::Max.fails(v, fraction)),
        )
    } else {
        0
    };
    let mut hashed = false;
    let mut keys_n = 0;
    // An n-gram is seen again only if its first n - 1 words are: after a pass for
    // n - 1, windows whose (n - 1)-gram is unique are skipped.
    let mut prev_n = 0;
    for (j, &(n, fraction)) in o.top_n_grams.iter().enumerate() {
        let (name, reason) = check_names(n, 2, &TOP_NAMES, |n| {
            (format!("top {n}-gram characters"), format!("top_{n}_gram"))
        });
        if n == 0 || words.len() < n {
            checks.push(Check::new(name, reason, Bound::Max).measure(None, fraction));
            continue;
        }
        if j < 64 && head_passes & (1 << j) != 0 {
            checks.push(Check::new(name, reason, Bound::Max).bounded(fraction));
            continue;
        }
        if !hashed {
            hashes.clear();
            hashes.extend(words.iter().map(|w| word_hash(text.as_bytes(), w.span())));
            hashed = true;
        }
        if keys_n == 0 || keys_n > n {
            keys.clear();
            keys.extend_from_slice(hashes);
            keys_n = 1;
        }
        while keys_n < n {
            let windows = words.len() - keys_n;
            keys.truncate(windows);
            for (key, &word) in keys.iter_mut().zip(&hashes[keys_n..]) {
                *key = chain(*key, word);
            }
            keys_n += 1;
        }
        let windows = keys.len();
        let gram_chars = |i: usize| before[i + n] as usize - before[i] as usize + (n - 1);
        if detail == Detail::Verdict {
            let passes =
                |most: usize| ratio(most, chars).is_some_and(|v| !Bound::Max.fails(v, fraction));
            if top_bound_passes(keys, &gram_chars, buckets, passes) {
                checks.push(Check::new(name, reason, Bound::Max).bounded(fraction));
                continue;
            }
        }
        let chained = prev_n + 1 == n;
        table.reset(if chained {
            repeated[..windows].iter().filter(|&&r| r).count()
        } else {
            windows
        });
        // `Counter.most_common(1)`: the highest count, the first seen among equals.
        let (mut top, mut count, mut first) = (0u64, 0u32, 0u32);
        next_repeated.clear();
        next_repeated.resize(windows, false);
        for (i, &h) in keys.iter().enumerate() {
            if chained && !repeated[i] {
                continue;
            }
            let (c, f) = table.bump(h, i as u32);
            if c >= 2 {
                next_repeated[i] = true;
                next_repeated[f as usize] = true;
                if c > count || (c == count && f < first) {
                    (top, count, first) = (h, c, f);
                }
            }
        }
        std::mem::swap(repeated, next_repeated);
        prev_n = n;
        if count <= 1 {
            // Every n-gram is seen once: the first is the most common.
            (top, count, first) = (keys[0], 1, 0);
        }
        let first = first as usize;
        let check = Check::new(name, reason, Bound::Max)
            .measure(ratio(gram_chars(first) * count as usize, chars), fraction);
        checks.push(check.with_evidence_if_failing(|| {
            let gram: Vec<&str> = words[first..first + n]
                .iter()
                .map(|w| w.text(text))
                .collect();
            let mut evidence = Evidence::new("occurrences");
            for (i, &key) in keys.iter().enumerate() {
                if key == top {
                    evidence.add_with(span_of(i, n), || {
                        Note::Text(format!("“{}”", gram.join(" ")))
                    });
                }
            }
            evidence
        }));
    }

    // The duplicated n-grams: `"".join` of each window, hashed from the joined words. A
    // duplicated n-gram whose first bytes occur at no other word start is unique, and is
    // neither hashed nor stored (most n-grams of an article are unique).
    if o.dup_n_grams.is_empty() {
        return;
    }
    joined.clear();
    joined.reserve(text.len() + 16);
    joined_at.clear();
    let bytes = text.as_bytes();
    for w in words {
        let at = joined.len();
        joined_at.push(at as u32);
        // Most words are short: copying 16 bytes and keeping the word's is one move,
        // where copying the word is a call.
        match bytes.get(w.span().start..w.span().start + 16) {
            Some(chunk) if w.span().len() <= 16 => {
                if let Ok(chunk) = <&[u8; 16]>::try_from(chunk) {
                    joined.extend_from_slice(chunk);
                }
                joined.truncate(at + w.span().len());
            }
            _ => joined.extend_from_slice(w.text(text).as_bytes()),
        }
    }
    joined_at.push(joined.len() as u32);
    shared_prefixes::<DUP_PREFIX>(joined, &joined_at[..words.len()], chains, shared, prev);
    // The passes jump from one candidate to the next: every window between is unique.
    let shortest = o.dup_n_grams.iter().map(|&(n, _)| n).min().unwrap_or(0);
    find_candidates(shared, joined_at, shortest, candidates);
    // The candidates hold for every n from `pruned_for` on: a window only grows with n,
    // so one too long to be short and not shared at n stays so at every larger n.
    let mut pruned_for = shortest;
    for &(n, fraction) in &o.dup_n_grams {
        let (name, reason) = check_names(n, 5, &DUPLICATED_NAMES, |n| {
            (
                format!("duplicated {n}-gram characters"),
                format!("duplicated_{n}_n_grams"),
            )
        });
        if n < pruned_for {
            find_candidates(shared, joined_at, shortest, candidates);
            pruned_for = shortest;
        }
        if n > pruned_for {
            keep_candidates(shared, joined_at, n, candidates);
            pruned_for = n;
        }
        let windows = Windows {
            joined,
            joined_at,
            candidates,
            shared,
            prev,
        };
        // Most pages pass by a bound that hashes nothing and compares few windows; the
        // pass then need not run.
        // Characters that surely pass: `fraction * chars` less a margin for rounding.
        let sure = (fraction * chars as f64 * (1.0 - 1e-9)) as usize;
        if detail == Detail::Verdict
            && dup_bound_passes(n, &windows, before, sure, |covered| {
                ratio(covered, chars).is_some_and(|v| !Bound::Max.fails(v, fraction))
            })
        {
            checks.push(Check::new(name, reason, Bound::Max).bounded(fraction));
            continue;
        }
        seen.reset(candidates.len());
        let mut dup_chars = 0;
        let mut evidence = Evidence::new("repeated passages");
        // A run of repeated n-grams (consecutive windows) is one passage.
        let mut run: Option<(usize, usize)> = None;
        let mut idx = 0;
        let mut next = candidates.iter().map(|&c| c as usize).peekable();
        while n > 0 && idx + n <= words.len() {
            // unique windows are new, and never repeated
            while next.next_if(|&c| c < idx).is_some() {}
            match next.peek() {
                Some(&c) => idx = c,
                None => break,
            }
            if idx + n > words.len() {
                break;
            }
            let (from, to) = (joined_at[idx] as usize, joined_at[idx + n] as usize);
            if to - from >= DUP_PREFIX && !shared[idx] {
                idx += 1;
                continue;
            }
            if seen.insert(xxh3_64(&joined[from..to])) {
                idx += 1;
                continue;
            }
            dup_chars += before[idx + n] as usize - before[idx] as usize;
            run = match run {
                Some((start, end)) if end == idx => Some((start, idx + n)),
                Some((start, end)) => {
                    add_passage(&mut evidence, &span_of, start, end);
                    Some((idx, idx + n))
                }
                None => Some((idx, idx + n)),
            };
            idx += n;
        }
        if let Some((start, end)) = run {
            add_passage(&mut evidence, &span_of, start, end);
        }
        checks.push(
            Check::new(name, reason, Bound::Max)
                .measure(ratio(dup_chars, chars), fraction)
                .with_evidence(evidence),
        );
    }
}

/// Windows of at least this many bytes are told apart by their first bytes.
const DUP_PREFIX: usize = 16;

/// A bound's longest walk down a `prev` chain: a window with more earlier copies of its
/// first bytes counts as repeated.
const MAX_WALK: usize = 16;

/// The words joined with nothing, and what the duplicated n-gram passes know of them.
struct Windows<'a> {
    joined: &'a [u8],
    /// Where each word starts in `joined`, and its end.
    joined_at: &'a [u32],
    /// The windows that may repeat another, ascending (`n_grams`).
    candidates: &'a [u32],
    shared: &'a [bool],
    prev: &'a [u32],
}

/// The windows that may repeat another, ascending, into `out`: those whose first
/// `DUP_PREFIX` bytes begin another word too (`shared`), and those too short for their
/// prefix to tell at the smallest n, `shortest` (longer n-grams are longer).
fn find_candidates(shared: &[bool], joined_at: &[u32], shortest: usize, out: &mut Vec<u32>) {
    let words = shared.len();
    out.clear();
    // Word indexes fit: a page has fewer words than bytes (`MAX_PAGE_BYTES`).
    out.extend((0..words).map(|i| i as u32));
    let n = shortest;
    if n == 0 || joined_at.len() != words + 1 {
        // Every window is short (none has a byte), or the ends are not the words'.
        keep_candidates(shared, joined_at, n, out);
        return;
    }
    // `keep_candidates` over every window, read in step: the windows that end inside
    // the page (`i + n <= words`), then those cut short by its end.
    let inside = (words + 1).saturating_sub(n).min(words);
    let mut kept = 0;
    let starts = joined_at[..inside].iter().zip(&joined_at[n.min(words)..]);
    for (i, (&s, (&start, &end))) in shared.iter().zip(starts).enumerate() {
        out[kept] = i as u32;
        kept += usize::from(may_repeat_window(s, (end - start) as usize));
    }
    let end = joined_at[words];
    for (i, (&s, &start)) in shared.iter().zip(joined_at).enumerate().skip(inside) {
        out[kept] = i as u32;
        kept += usize::from(may_repeat_window(s, (end - start) as usize));
    }
    out.truncate(kept);
}

/// Keeps the windows of `candidates` that may repeat another at `n` words, in order.
/// Whether a window stays follows the text, so a branch on it is mispredicted about
/// once in three windows: each window is written, and the count of kept ones moves on
/// only when it stays.
fn keep_candidates(shared: &[bool], joined_at: &[u32], n: usize, candidates: &mut Vec<u32>) {
    let mut kept = 0;
    for j in 0..candidates.len() {
        let i = candidates[j];
        candidates[kept] = i;
        kept += usize::from(may_repeat(shared, joined_at, i as usize, n));
    }
    candidates.truncate(kept);
}

/// Whether the window of `n` words at `i` may repeat another (`find_candidates`).
#[inline]
fn may_repeat(shared: &[bool], joined_at: &[u32], i: usize, n: usize) -> bool {
    may_repeat_window(
        shared[i],
        joined_at[(i + n).min(shared.len())] as usize - joined_at[i] as usize,
    )
}

/// Whether a window of `bytes` whose first bytes are `shared` with another word start
/// (or not) may repeat another: only a shared prefix tells a long window from a unique
/// one.
#[inline]
fn may_repeat_window(shared: bool, bytes: usize) -> bool {
    shared | (bytes < DUP_PREFIX)
}

/// Whether `passes` holds for an upper bound on the duplicated n-gram characters for
/// n-grams of `n` words (false when the prefixes were not chained: a page of over 16
/// million words).
///
/// The windows the pass counts each equal an earlier window, and do not overlap, so
/// their characters are at most those of the words covered by windows that equal an
/// earlier one. A window of at least `DUP_PREFIX` bytes can only equal an earlier window
/// on its `prev` chain (the same first bytes): up to `MAX_WALK` of those are compared
/// byte for byte, and a longer chain counts as equal. A shorter window counts as equal
/// to an earlier one without a look. `before[k]` is the characters of words `..k`. The
/// bound only grows, so it stops as soon as it fails.
fn dup_bound_passes(
    n: usize,
    w: &Windows<'_>,
    before: &[u32],
    sure: usize,
    passes: impl Fn(usize) -> bool,
) -> bool {
    let words = w.joined_at.len() - 1;
    if n == 0 || w.prev.len() != words {
        return false;
    }
    let (mut covered, mut covered_to) = (0, 0);
    for i in w.candidates.iter().map(|&c| c as usize) {
        if i + n > words {
            break;
        }
        let (from, to) = (w.joined_at[i] as usize, w.joined_at[i + n] as usize);
        let repeats = if to - from < DUP_PREFIX {
            true
        } else if w.shared[i] {
            let window = &w.joined[from..to];
            let mut j = w.prev[i];
            let mut walked = 0;
            loop {
                if j == NONE {
                    break false;
                }
                if walked == MAX_WALK {
                    break true;
                }
                let at = j as usize;
                let (f, t) = (w.joined_at[at] as usize, w.joined_at[at + n] as usize);
                if t - f == window.len() && w.joined[f..t] == *window {
                    break true;
                }
                j = w.prev[at];
                walked += 1;
            }
        } else {
            false
        };
        if repeats {
            covered += before[i + n] as usize - before[i.max(covered_to)] as usize;
            covered_to = i + n;
            // `passes` divides: it is asked only past a bound that surely passes.
            if covered > sure && !passes(covered) {
                return false;
            }
        }
    }
    passes(covered)
}

/// The name and reason code of an n-gram check: static for the lengths Gopher checks
/// (`known`, from n = `first`), so that a page's checks allocate nothing; formatted for
/// other lengths.
fn check_names(
    n: usize,
    first: usize,
    known: &[(&'static str, &'static str)],
    format: fn(usize) -> (String, String),
) -> (Cow<'static, str>, Cow<'static, str>) {
    match n.checked_sub(first).and_then(|i| known.get(i)) {
        Some(&(name, reason)) => (name.into(), reason.into()),
        None => {
            let (name, reason) = format(n);
            (name.into(), reason.into())
        }
    }
}

const TOP_NAMES: [(&str, &str); 3] = [
    ("top 2-gram characters", "top_2_gram"),
    ("top 3-gram characters", "top_3_gram"),
    ("top 4-gram characters", "top_4_gram"),
];

const DUPLICATED_NAMES: [(&str, &str); 6] = [
    ("duplicated 5-gram characters", "duplicated_5_n_grams"),
    ("duplicated 6-gram characters", "duplicated_6_n_grams"),
    ("duplicated 7-gram characters", "duplicated_7_n_grams"),
    ("duplicated 8-gram characters", "duplicated_8_n_grams"),
    ("duplicated 9-gram characters", "duplicated_9_n_grams"),
    ("duplicated 10-gram characters", "duplicated_10_n_grams"),
];

/// Which of the top n-gram checks `ns` (a bit per check, for the first 64) pass by a
/// bound from one pass over the words, without hashing them: `passes(bound, fraction)`.
///
/// Every occurrence of an n-gram starts with the same two words (the same word for
/// n = 1), so they fall in one bucket of the first two words' cheap keys
/// (`word_head`). An n-gram's characters times its count are then at most the
/// characters of all the windows in its bucket, and the top n-gram's at most the
/// largest bucket's. Unequal words with equal keys, and pairs in one bucket, only
/// loosen the bound. `before[k]` is the characters of words `..k`.
fn top_head_bounds(
    text: &[u8],
    words: &[Word],
    before: &[u32],
    ns: &[(usize, f64)],
    scratch: &mut (Vec<u16>, Vec<usize>),
    passes: impl Fn(usize, f64) -> bool,
) -> u64 {
    // About one bucket per word, up to a table that stays in the L1 cache.
    let bits = words
        .len()
        .next_power_of_two()
        .clamp(64, 1024)
        .trailing_zeros();
    let mask = (1usize << bits) - 1;
    let bucket = |key: u64| (key.wrapping_mul(0xff51_afd7_ed55_8ccd) >> (64 - bits)) as u16;
    let (pairs, sums) = scratch;
    // The bucket of the pair of words at `i - 1` and `i` (for n >= 2), from the first
    // word's head and this word's.
    let pair_bucket =
        |last: u64, head: u64| bucket(last.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ head);
    let first_head = words.first().map_or(0, |w| word_head(text, w.span()));
    let mut passing = 0;
    // First one pass for every n from 2 on: each window's characters taken to the
    // longest n's words (fewer at the end of the page) are at least those of the
    // window of any shorter n at the same word, so these sums bound every n's. Most
    // pages pass every check by them, in a third of the scatter-adds; the pairs'
    // buckets are added as they are found, and kept only for a page that does not.
    let longest = ns.iter().take(64).map(|&(n, _)| n);
    if let Some(n_max) = longest.filter(|&n| n >= 2 && n <= words.len()).max() {
        sums.clear();
        sums.resize(mask + 1, 0);
        let count = words.len();
        // Pairs whose window of `n_max` words ends inside the page, then those it cuts.
        let inside = count + 1 - n_max;
        // Adds the window of the pair that ends at word `w` to the pair's bucket.
        let mut last = first_head;
        let mut add = |w: &Word, chars: usize| {
            let head = word_head(text, w.span());
            sums[usize::from(pair_bucket(last, head)) & mask] += chars;
            last = head;
        };
        let seconds = words[1..]
            .iter()
            .zip(&before[..inside])
            .zip(&before[n_max..]);
        for ((w, &start), &end) in seconds {
            add(w, (end - start) as usize + (n_max - 1));
        }
        let end = before[count] as usize;
        for (p, w) in words.iter().enumerate().skip(inside + 1) {
            add(w, end - before[p - 1] as usize + (count - p));
        }
        let most = sums.iter().copied().max().unwrap_or(0);
        for (j, &(n, fraction)) in ns.iter().enumerate().take(64) {
            if n >= 2 && n <= words.len() && passes(most, fraction) {
                passing |= 1 << j;
            }
        }
    }
    let pending = ns
        .iter()
        .enumerate()
        .take(64)
        .any(|(j, &(n, _))| n >= 2 && n <= words.len() && passing & (1 << j) == 0);
    if pending {
        pairs.clear();
        pairs.extend(words.iter().skip(1).scan(first_head, |last, w| {
            let head = word_head(text, w.span());
            let pair = pair_bucket(*last, head);
            *last = head;
            Some(pair)
        }));
    }
    for (j, &(n, fraction)) in ns.iter().enumerate().take(64) {
        if n == 0 || n > words.len() || passing & (1 << j) != 0 {
            continue;
        }
        let most = if n == 1 {
            let heads = words
                .iter()
                .map(|w| (bucket(word_head(text, w.span())), w.chars as usize));
            largest_bucket(sums, mask, heads)
        } else {
            // Window i's characters: its words' and the n - 1 spaces between them.
            let windows = words.len() + 1 - n;
            let ends = pairs[..windows].iter().zip(&before[n..]).zip(before);
            largest_bucket(
                sums,
                mask,
                ends.map(|((&b, &end), &start)| (b, (end - start) as usize + (n - 1))),
            )
        };
        if passes(most, fraction) {
            passing |= 1 << j;
        }
    }
    passing
}

/// The largest sum of characters per bucket (`bucket & mask`) over `windows`.
#[inline]
fn largest_bucket(
    sums: &mut Vec<usize>,
    mask: usize,
    windows: impl Iterator<Item = (u16, usize)>,
) -> usize {
    sums.clear();
    sums.resize(mask + 1, 0);
    for (bucket, chars) in windows {
        sums[usize::from(bucket) & mask] += chars;
    }
    sums.iter().copied().max().unwrap_or(0)
}

/// Whether `passes` holds for a bound on the top n-gram's characters times its count,
/// from the n-gram keys of every window (`keys`) and their lengths (`gram_chars`).
///
/// The windows are counted per bucket of their keys: an n-gram's count is at most its
/// bucket's, so its characters times its count are at most its length times its
/// bucket's count. The top n-gram is one of the windows (the first, when all are
/// unique), so the largest such product bounds it; the largest count times the longest
/// window bounds that in turn, and is tried first.
fn top_bound_passes(
    keys: &[u64],
    gram_chars: &impl Fn(usize) -> usize,
    buckets: &mut Vec<u32>,
    passes: impl Fn(usize) -> bool,
) -> bool {
    // About one bucket per window, in a table small enough for the L1 cache.
    let bits = keys
        .len()
        .next_power_of_two()
        .clamp(256, 1024)
        .trailing_zeros();
    let bucket = |key: u64| (key >> (64 - bits)) as usize;
    buckets.clear();
    buckets.resize(1 << bits, 0);
    for &key in keys {
        buckets[bucket(key)] += 1;
    }
    let most = buckets.iter().copied().max().unwrap_or(0) as usize;
    let longest = (0..keys.len()).map(gram_chars).max().unwrap_or(0);
    if passes(most.saturating_mul(longest)) {
        return true;
    }
    let bound = keys
        .iter()
        .enumerate()
        .map(|(i, &key)| buckets[bucket(key)] as usize * gram_chars(i))
        .max()
        .unwrap_or(0);
    passes(bound)
}

fn add_passage(
    evidence: &mut Evidence,
    span_of: &impl Fn(usize, usize) -> Span,
    start: usize,
    end: usize,
) {
    evidence.add_with(span_of(start, end - start), || {
        Note::Text(format!("repeats earlier text ({} words)", end - start))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = include_str!("../../seeds/000_db6636acdd834bc4.txt");

    fn check<'a>(v: &'a Verdict, reason: &str) -> &'a Check {
        v.checks
            .iter()
            .find(|c| c.reason == reason)
            .unwrap_or_else(|| panic!("no check {reason}"))
    }

    #[test]
    fn checks_of_the_published_lengths_have_static_names() {
        let top = |n: usize| (format!("top {n}-gram characters"), format!("top_{n}_gram"));
        let (name, reason) = check_names(3, 2, &TOP_NAMES, top);
        assert!(matches!(name, Cow::Borrowed("top 3-gram characters")));
        assert!(matches!(reason, Cow::Borrowed("top_3_gram")));
        let (name, reason) = check_names(10, 5, &DUPLICATED_NAMES, top);
        assert_eq!(
            (&*name, &*reason),
            ("duplicated 10-gram characters", "duplicated_10_n_grams")
        );
        // Lengths a user configured are formatted.
        for n in [1, 5, 11] {
            let (name, reason) = check_names(n, 2, &TOP_NAMES, top);
            assert!(matches!(name, Cow::Owned(_)));
            assert_eq!((name.into_owned(), reason.into_owned()), top(n));
        }
    }

    #[test]
    fn the_seed_matches_datatrove_numbers() {
        let v = evaluate(&Page::new(SEED), &Options::default(), Detail::Full);
        assert!(!v.dropped);
        // datatrove: find_all_duplicate(words, 5) / len(text), find_top_duplicate(...)
        let dup5 = check(&v, "duplicated_5_n_grams").value.unwrap_or_default();
        assert!((dup5 - 0.07789665970772443).abs() < 1e-12, "{dup5}");
        let top2 = check(&v, "top_2_gram").value.unwrap_or_default();
        assert!((top2 - 0.005480167014613779).abs() < 1e-12, "{top2}");
    }

    #[test]
    fn empty_pieces_at_the_ends_count_as_repeated_lines() {
        // re.split("\n+", "\nfoo\n") == ["", "foo", ""]: one repeat in three.
        let v = evaluate(&Page::new("\nfoo\n"), &Options::default(), Detail::Full);
        assert!(check(&v, "dup_line_frac").fails);
        assert!(
            check(&v, "dup_line_frac")
                .evidence
                .as_ref()
                .is_some_and(|e| e.marks.is_empty())
        );
    }

    #[test]
    fn repeated_paragraphs_are_labelled_with_their_first_copy() {
        let text = "Troops guard the wall.\n\nTroops guard the wall.\n\nThey left.";
        let v = evaluate(&Page::new(text), &Options::default(), Detail::Full);
        let c = check(&v, "dup_para_frac");
        assert!(c.fails);
        let mark = &c.evidence.as_ref().expect("evidence").marks[0];
        assert_eq!(mark.span.start, 24);
        assert_eq!(mark.note, Note::Repeats(Span::new(0, 22)));
    }

    #[test]
    fn n_grams_are_joined_without_spaces_for_duplicates() {
        // "".join makes ["ab", "c"] and ["a", "bc"] the same 2-gram text.
        let o = Options {
            dup_n_grams: vec![(2, 0.0)],
            ..Options::default()
        };
        let v = evaluate(&Page::new("ab c x a bc"), &o, Detail::Full);
        assert_eq!(check(&v, "duplicated_2_n_grams").value, Some(3.0 / 11.0));
    }

    /// datatrove's `find_top_duplicate` and `find_all_duplicate` on strings, as written.
    fn reference(words: &[&str], n: usize, top: bool) -> usize {
        let grams: Vec<String> = (0..=words.len() - n)
            .map(|i| words[i..i + n].join(if top { " " } else { "" }))
            .collect();
        if top {
            let mut counts: Vec<(&String, usize)> = Vec::new();
            for g in &grams {
                match counts.iter_mut().find(|(k, _)| *k == g) {
                    Some((_, c)) => *c += 1,
                    None => counts.push((g, 1)),
                }
            }
            let max = counts.iter().map(|(_, c)| *c).max().unwrap_or(0);
            let (g, c) = counts.iter().find(|(_, c)| *c == max).expect("a gram");
            g.chars().count() * c
        } else {
            let (mut seen, mut repeated, mut idx) = (Vec::new(), 0, 0);
            while idx + n <= words.len() {
                let g = &grams[idx];
                if seen.contains(g) {
                    repeated += g.chars().count();
                    idx += n;
                } else {
                    seen.push(g.clone());
                    idx += 1;
                }
            }
            repeated
        }
    }

    #[test]
    fn skipping_unique_n_grams_counts_as_hashing_them_all() {
        let texts = [
            SEED,
            "the cat sat on the mat and the cat sat on the mat again",
            "a bc de fghijklmnopq r ab cd efghijklmnopqr a bc de fghijklmnopq r",
            "Supercalifragilistic expialidocious words, supercalifragilistic expialidocious.",
            "x y z x y z x y z w",
        ];
        // The duplicated n-gram lengths out of order too: the passes prune their
        // candidates for growing n.
        let mut shuffled = Options::default();
        shuffled.dup_n_grams.reverse();
        shuffled.dup_n_grams.swap(0, 3);
        for (text, o) in texts
            .iter()
            .flat_map(|&t| [(t, Options::default()), (t, shuffled.clone())])
        {
            let page = Page::new(text);
            let words: Vec<&str> = page.words().iter().map(|w| w.text(text)).collect();
            let v = evaluate(&page, &o, Detail::Full);
            for (n, top) in [(2, true), (3, true), (4, true), (5, false), (7, false)] {
                let reason = if top {
                    format!("top_{n}_gram")
                } else {
                    format!("duplicated_{n}_n_grams")
                };
                if words.len() < n {
                    continue;
                }
                let want = reference(&words, n, top) as f64 / text.chars().count() as f64;
                let got = check(&v, &reason).value.unwrap_or(-1.0);
                assert!(
                    (want - got).abs() < 1e-12,
                    "{reason} in {text:.40}: {want} != {got}"
                );
            }
        }
    }

    #[test]
    fn verdicts_without_every_value_are_the_same() {
        let scraped_twice = include_str!("../../tests/fixtures/gopher-repetition/flagged.txt");
        let menu = "Home\nNews\nSport\n".repeat(40);
        let chant = "we will we will rock you ".repeat(30);
        let texts = [
            SEED,
            scraped_twice,
            &menu,
            &chant,
            "x y z x y z x y z w",
            "one two",
            "the the the the the",
        ];
        let mut bounded = 0;
        for text in texts {
            for o in [
                Options::default(),
                Options {
                    top_n_grams: vec![(2, 0.01), (3, 0.5), (4, 0.0)],
                    ..Options::default()
                },
            ] {
                let full = evaluate(&Page::new(text), &o, Detail::Full);
                let quick = evaluate(&Page::new(text), &o, Detail::Verdict);
                crate::quality::assert_same_verdict(&full, &quick);
                bounded += quick.checks.iter().filter(|c| c.bounded).count();
            }
        }
        assert!(bounded > 0);
    }

    /// The head bound on each top n-gram check: its characters times its count, as
    /// `top_head_bounds` computes it, for n = 1..=5.
    /// Every bound `top_head_bounds` tries for n = 1 to 5, in order, when each fails:
    /// the one pass for every n from 2 on, then each n's own.
    fn head_bounds(text: &str) -> Vec<Vec<usize>> {
        let page = Page::new(text);
        let words = page.words();
        let mut before = vec![0u32];
        for w in words {
            before.push(before[before.len() - 1] + w.chars);
        }
        // The fraction passed is n, to tell the calls apart.
        let ns: Vec<(usize, f64)> = (1..=5).map(|n| (n, n as f64)).collect();
        let bounds = RefCell::new(vec![Vec::new(); 5]);
        top_head_bounds(
            text.as_bytes(),
            words,
            &before,
            &ns,
            &mut Default::default(),
            |most, n| {
                bounds.borrow_mut()[n as usize - 1].push(most);
                false
            },
        );
        bounds.into_inner()
    }

    #[test]
    fn the_head_bound_passes_ordinary_prose_and_fails_a_chant() {
        let chars = SEED.chars().count() as f64;
        let bounds = head_bounds(SEED);
        for ((n, fraction), bounds) in Options::default().top_n_grams.into_iter().zip(&bounds[1..])
        {
            // The one pass for every n is enough.
            assert!(
                (bounds[0] as f64 / chars) <= fraction,
                "{n}-grams: {bounds:?} of {chars}"
            );
        }
        // "we will" is a third of the words: no bound can pass it.
        let chant = "we will we will rock you ".repeat(30);
        let chars = chant.chars().count() as f64;
        let bounds = head_bounds(&chant);
        for ((n, fraction), bounds) in Options::default().top_n_grams.into_iter().zip(&bounds[1..])
        {
            assert!(
                bounds.iter().all(|&b| b as f64 / chars > fraction),
                "{n}-grams: {bounds:?} of {chars}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        /// Words that share their first 8 bytes and their length (`word_head` keys
        /// them alike), words at the very end of the text, punctuation and non-ASCII.
        #[test]
        fn the_head_bound_is_never_below_the_top_n_gram(
            words in proptest::collection::vec(
                "(abcdefgh[xy]|abcdefgh[xy]z|the|of|a|é|,|\\.|[a-c]{1,3})", 0..60
            )
        ) {
            let text = words.join(" ");
            let page = Page::new(&text);
            let split: Vec<&str> = page.words().iter().map(|w| w.text(&text)).collect();
            let bounds = head_bounds(&text);
            for n in 1..=5usize {
                if split.len() < n {
                    continue;
                }
                // The pass for every n from 2 on, and the n's own.
                let expected = if n == 1 { 1 } else { 2 };
                proptest::prop_assert_eq!(bounds[n - 1].len(), expected);
                for &bound in &bounds[n - 1] {
                    proptest::prop_assert!(bound >= reference(&split, n, true), "{n}-grams: {bound}");
                }
            }
        }
    }

    /// The duplicated n-gram bound of `dup_bound_passes` on `words`, for n-grams of `n`
    /// words, built as `n_grams` builds its windows: `None` when it gives up.
    fn dup_bound(words: &[&str], n: usize) -> Option<usize> {
        let joined: Vec<u8> = words.concat().into_bytes();
        let mut joined_at = vec![0];
        let mut before = vec![0];
        for w in words {
            joined_at.push(joined_at[joined_at.len() - 1] + w.len() as u32);
            before.push(before[before.len() - 1] + w.chars().count() as u32);
        }
        let (mut chains, mut shared, mut prev) = (Chains::default(), Vec::new(), Vec::new());
        shared_prefixes::<DUP_PREFIX>(
            &joined,
            &joined_at[..words.len()],
            &mut chains,
            &mut shared,
            &mut prev,
        );
        let mut candidates = Vec::new();
        find_candidates(&shared, &joined_at, n, &mut candidates);
        let windows = Windows {
            joined: &joined,
            joined_at: &joined_at,
            candidates: &candidates,
            shared: &shared,
            prev: &prev,
        };
        let last = std::cell::Cell::new(None);
        let passes = dup_bound_passes(n, &windows, &before, 0, |covered| {
            last.set(Some(covered));
            true
        });
        passes.then(|| last.get().unwrap_or(0))
    }

    #[test]
    fn the_duplicate_bound_passes_ordinary_prose() {
        let clean = include_str!("../../tests/fixtures/gopher-repetition/clean.txt");
        let page = Page::new(clean);
        let words: Vec<&str> = page.words().iter().map(|w| w.text(clean)).collect();
        let chars = clean.chars().count() as f64;
        for (n, fraction) in Options::default().dup_n_grams {
            let bound = dup_bound(&words, n).expect("a bound");
            assert!(bound >= reference(&words, n, false), "{n}-grams");
            assert!(
                bound as f64 / chars <= fraction,
                "{n}-grams: {bound} of {chars}"
            );
        }
    }

    #[test]
    fn a_copy_further_back_than_a_walk_goes_counts_as_repeated() {
        // "abcdefghijklmnopq x" comes back after more copies of its first 16 bytes than
        // a walk looks at.
        let fillers: Vec<String> = (0..MAX_WALK + 4).map(|i| format!("y{i}")).collect();
        let mut words = vec!["abcdefghijklmnopq", "x"];
        for filler in &fillers {
            words.extend(["abcdefghijklmnopq", filler.as_str()]);
        }
        words.extend(["abcdefghijklmnopq", "x"]);
        let want = reference(&words, 2, false);
        assert_eq!(want, "abcdefghijklmnopqx".len());
        assert!(dup_bound(&words, 2).is_some_and(|bound| bound >= want));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        /// Long words that share their first 16 bytes, runs that join alike across
        /// different word boundaries ("ab c" and "a bc"), short runs, and prefixes
        /// repeated more often than a walk goes.
        #[test]
        fn the_duplicate_bound_is_never_below_the_duplicates(
            words in proptest::collection::vec(
                "(abcdefghijklmnop[qr]?|abcdefgh|ijklmnop|ab|c|a|bc|é|[x-z])", 0..150
            ),
            n in 1..8usize,
        ) {
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            if let Some(bound) = dup_bound(&words, n) {
                let want = if words.len() < n { 0 } else { reference(&words, n, false) };
                proptest::prop_assert!(bound >= want, "{bound} < {want}");
            }
        }

        /// The first candidates, read in step, are those `may_repeat` keeps one by one,
        /// at every n (0, past the page's end, and windows cut short by it too).
        #[test]
        fn the_first_candidates_are_the_windows_that_may_repeat(
            words in proptest::collection::vec((1..12usize, proptest::bool::weighted(0.2)), 0..60),
            n in 0..70usize,
        ) {
            let shared: Vec<bool> = words.iter().map(|&(_, s)| s).collect();
            let mut joined_at = vec![0u32];
            for &(bytes, _) in &words {
                joined_at.push(joined_at.last().copied().unwrap_or(0) + bytes as u32);
            }
            let want: Vec<u32> = (0..words.len())
                .filter(|&i| may_repeat(&shared, &joined_at, i, n))
                .map(|i| i as u32)
                .collect();
            let mut got = vec![7, 7];
            find_candidates(&shared, &joined_at, n, &mut got);
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn the_empty_page_fails_only_as_empty() {
        let v = evaluate(&Page::new(""), &Options::default(), Detail::Full);
        assert_eq!(v.checks.len(), 1);
        assert_eq!(v.checks[0].reason, "empty");
        assert!(v.dropped);
    }
}

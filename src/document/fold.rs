//! Folding text for comparison: the view in which `Mexico's` equals `Mexico’s`,
//! `green-light` equals `green–light` and `Troops guard the wall.` equals `troops guard
//! the wall`, with a map from the folded text back to byte spans of the source.
//!
//! The folded text is for comparing and hashing only; findings and fixes always point
//! at the source through [`Folded::source_span`].

use std::ops::Range;

use unicode_normalization::char::{canonical_combining_class, decompose_compatible};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// Which foldings to apply. [`Fold::FULL`] is the one duplicate detection uses; rules that
/// need to see one difference (case, say) switch that step off.
///
/// In this order, per character: NFKC; quotes to `'`; dashes and hyphens to `-`;
/// whitespace runs to one space, zero-width and format characters dropped, both ends
/// trimmed; lowercase; and last, a trailing run of sentence punctuation, closing quotes
/// and spaces removed (`wall.’` folds like `wall’` and `wall`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fold {
    /// Unicode compatibility normalization: NBSP is a space, `…` is `...`, `ﬁ` is `fi`.
    pub nfkc: bool,
    /// Every quote and apostrophe form (see [`is_quote`]) becomes `'`.
    pub quotes: bool,
    /// Every dash, hyphen and minus form (see [`is_dash`]) becomes `-`.
    pub dashes: bool,
    /// Whitespace runs become one space, zero-width and format characters (see
    /// [`is_ignorable`]) are dropped, and the ends are trimmed.
    pub spaces: bool,
    /// Unicode lowercase (`char::to_lowercase`). With `nfkc`, a segment whose lowercase
    /// is no longer normalized (`İ` + U+0301 lowercases to `i` + U+0301, which NFKC
    /// composes) is normalized again, so that folding twice changes nothing.
    pub lowercase: bool,
    /// A trailing run of `. ! ? , ; : …`, quotes and spaces is dropped.
    pub trailing_punctuation: bool,
}

/// One step of [`Fold`], to say how two texts that fold alike differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    Nfkc,
    Quotes,
    Dashes,
    Spaces,
    Lowercase,
    TrailingPunctuation,
}

impl Step {
    pub const ALL: [Step; 6] = [
        Step::Nfkc,
        Step::Quotes,
        Step::Dashes,
        Step::Spaces,
        Step::Lowercase,
        Step::TrailingPunctuation,
    ];

    /// A plural noun for messages: "with different quotes".
    pub fn describe(self) -> &'static str {
        match self {
            Step::Nfkc => "character forms",
            Step::Quotes => "quotes",
            Step::Dashes => "dashes",
            Step::Spaces => "spacing",
            Step::Lowercase => "case",
            Step::TrailingPunctuation => "final punctuation",
        }
    }
}

impl Default for Fold {
    fn default() -> Self {
        Fold::FULL
    }
}

/// `Fold::FULL.apply(text)`.
pub fn fold(text: &str) -> String {
    Fold::FULL.apply(text)
}

/// Quotes, apostrophes, primes and the accents used as quotes.
pub fn is_quote(c: char) -> bool {
    matches!(
        c,
        '\'' | '"'
            | '`'
            | '´'
            | '‘'
            | '’'
            | '‚'
            | '‛'
            | '“'
            | '”'
            | '„'
            | '‟'
            | '‹'
            | '›'
            | '«'
            | '»'
            | '′'
            | '″'
            | '‴'
            | '‵'
            | '‶'
            | '‷'
            | '＂'
            | '＇'
            | '〝'
            | '〞'
            | '〟'
            | 'ʼ'
            | 'ʻ'
            | '❛'
            | '❜'
            | '❝'
            | '❞'
    )
}

/// Hyphens, dashes and the minus sign.
pub fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '‐'
            | '‑'
            | '‒'
            | '–'
            | '—'
            | '―'
            | '−'
            | '⁃'
            | '⸺'
            | '⸻'
            | '﹘'
            | '﹣'
            | '－'
    )
}

/// Characters that show nothing and change no word: zero-width spaces and joiners, the
/// soft hyphen, the word joiner, the BOM and the bidi controls.
pub fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

fn is_trailing_punctuation(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | ',' | ';' | ':' | '…' | ' ') || is_quote(c)
}

/// A folded text and, for each run of folded bytes, the source bytes it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    text: String,
    /// Sorted by `folded`, and then also by `source.start`: folding keeps the order.
    units: Vec<Unit>,
    source_len: usize,
}

/// The folded bytes from `folded` up to the next unit's came from `source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Unit {
    folded: usize,
    source_start: usize,
    source_end: usize,
}

impl Folded {
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn into_string(self) -> String {
        self.text
    }

    /// The source byte offset that folded offset `at` starts at; offsets at or past the
    /// end map to the end of the last folded character's source. Monotonic in `at`, and
    /// always a char boundary of the source.
    pub fn source_offset(&self, at: usize) -> usize {
        if at >= self.text.len() {
            return self.units.last().map_or(0, |u| u.source_end);
        }
        match self.unit_at(at) {
            Some(u) => u.source_start,
            None => 0,
        }
    }

    /// The smallest source range (relative to the folded input) that produced the folded
    /// range. An empty folded range maps to an empty source range.
    pub fn source_span(&self, folded: Range<usize>) -> Range<usize> {
        let start = self.source_offset(folded.start);
        if folded.end <= folded.start || folded.start >= self.text.len() {
            return start..start;
        }
        let end = match self.unit_at(folded.end.min(self.text.len()) - 1) {
            Some(u) => u.source_end,
            None => start,
        };
        start..end.max(start).min(self.source_len)
    }

    fn unit_at(&self, at: usize) -> Option<&Unit> {
        let i = self.units.partition_point(|u| u.folded <= at);
        i.checked_sub(1).and_then(|i| self.units.get(i))
    }
}

/// Where the folding loop writes: the text, and the units if a map was asked for.
struct Sink<'a> {
    out: &'a mut String,
    units: Option<&'a mut Vec<Unit>>,
    /// A whitespace run seen but not written yet: written as one space before the next
    /// visible character, never at the start or the end.
    pending_space: Option<Range<usize>>,
}

impl Sink<'_> {
    fn unit(&mut self, source: Range<usize>) {
        if let Some(units) = self.units.as_deref_mut() {
            units.push(Unit {
                folded: self.out.len(),
                source_start: source.start,
                source_end: source.end,
            });
        }
    }
}

impl Fold {
    pub const FULL: Fold = Fold {
        nfkc: true,
        quotes: true,
        dashes: true,
        spaces: true,
        lowercase: true,
        trailing_punctuation: true,
    };

    /// Only the steps that normalize typography: case and final punctuation are kept.
    pub const TYPOGRAPHY: Fold = Fold {
        lowercase: false,
        trailing_punctuation: false,
        ..Fold::FULL
    };

    /// This fold with one step switched off.
    pub fn without(self, step: Step) -> Fold {
        let mut f = self;
        match step {
            Step::Nfkc => f.nfkc = false,
            Step::Quotes => f.quotes = false,
            Step::Dashes => f.dashes = false,
            Step::Spaces => f.spaces = false,
            Step::Lowercase => f.lowercase = false,
            Step::TrailingPunctuation => f.trailing_punctuation = false,
        }
        f
    }

    pub fn apply(self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        self.apply_into(text, &mut out);
        out
    }

    /// Folds `text` into `out` (cleared first), to reuse one buffer in a loop.
    pub fn apply_into(self, text: &str, out: &mut String) {
        out.clear();
        self.run(text, out, None);
    }

    /// Folds `text` and keeps the map back to it.
    pub fn with_map(self, text: &str) -> Folded {
        let mut out = String::with_capacity(text.len());
        let mut units = Vec::new();
        self.run(text, &mut out, Some(&mut units));
        Folded {
            text: out,
            units,
            source_len: text.len(),
        }
    }

    /// The steps whose folding `a` and `b` need to be equal: for each step, whether the
    /// two still differ with that step off. Empty when the texts are equal or do not fold
    /// alike at all.
    pub fn differences(self, a: &str, b: &str) -> Vec<Step> {
        if a == b || self.apply(a) != self.apply(b) {
            return Vec::new();
        }
        Step::ALL
            .into_iter()
            .filter(|&step| {
                let f = self.without(step);
                f != self && f.apply(a) != f.apply(b)
            })
            .collect()
    }

    fn run(self, text: &str, out: &mut String, units: Option<&mut Vec<Unit>>) {
        if units.is_none() {
            self.run_plain(text, out);
            return;
        }
        let mut sink = Sink {
            out,
            units,
            pending_space: None,
        };
        let mut buf = String::new();
        let mut normalized = String::new();
        let mut rest = text.char_indices().peekable();
        while let Some((start, c)) = rest.next() {
            // Invisible characters go first, so that NFKC sees what the reader sees
            // (`ﬁ`, ZWSP, combining accent folds like `fí`) and folding is idempotent.
            let skip = |c: char| self.spaces && is_ignorable(c);
            if c.is_ascii() && rest.peek().is_none_or(|&(_, n)| n.is_ascii()) {
                // Fast path: ASCII before ASCII is its own NFKC segment, stable.
                self.push(c, start..start + 1, &mut sink);
                continue;
            }
            if skip(c) {
                continue;
            }
            // An NFKC segment: a character, plus the characters up to the next one
            // that is stable under NFKC and that nothing before it composes with.
            // Segments normalize independently, so each folded character knows its
            // source bytes.
            buf.clear();
            buf.push(c);
            let mut end = start + c.len_utf8();
            if self.nfkc {
                while let Some(&(i, n)) = rest.peek() {
                    if is_boundary(n) && !skip(n) {
                        break;
                    }
                    end = i + n.len_utf8();
                    if !skip(n) {
                        buf.push(n);
                    }
                    rest.next();
                }
            }
            let source = start..end;
            if self.nfkc && !buf.is_ascii() {
                normalized.clear();
                normalized.extend(buf.nfkc());
                self.settle_case(&mut normalized);
                for n in normalized.chars() {
                    self.push(n, source.clone(), &mut sink);
                }
            } else {
                for n in buf.chars() {
                    self.push(n, source.clone(), &mut sink);
                }
            }
        }
        if self.trailing_punctuation {
            let keep = sink
                .out
                .trim_end_matches(is_trailing_punctuation)
                .trim_end()
                .len();
            sink.out.truncate(keep);
            if let Some(units) = sink.units.as_deref_mut() {
                units.retain(|u| u.folded < keep);
            }
        }
        if !self.spaces
            && let Some(range) = sink.pending_space.take()
        {
            sink.unit(range);
        }
    }

    /// The same fold without a map, for comparing and hashing: rules fold every
    /// paragraph, and most scraped text is ASCII with a few curly quotes and dashes.
    /// ASCII before ASCII is its own NFKC segment and is folded a byte at a time; so is
    /// an NFKC-stable character before ASCII (`’`, `–`, `é`), without running NFKC. Only
    /// the rest goes through NFKC a segment at a time, as in [`Fold::run`].
    fn run_plain(self, text: &str, out: &mut String) {
        let bytes = text.as_bytes();
        // Bytes, so that ASCII goes in without encoding chars; only whole chars are
        // pushed, so the buffer stays UTF-8.
        let mut acc = std::mem::take(out).into_bytes();
        acc.reserve(text.len());
        let table = self.ascii_table();
        if text.is_ascii() {
            // Most paragraphs: a byte at a time, spaces collapsed on the way.
            self.plain_ascii_text(bytes, &table, &mut acc);
            *out = String::from_utf8(acc).unwrap_or_default();
            self.trim_trailing_punctuation(out);
            return;
        }
        let mut buf = String::new();
        let mut normalized = String::new();
        let mut pos = 0;
        while pos < bytes.len() {
            // The ASCII run from `pos`; its last byte goes the slow way when a
            // non-ASCII character follows, which may combine with it.
            let run_end = bytes
                .get(pos..)
                .and_then(|rest| rest.iter().position(|b| !b.is_ascii()))
                .map_or(bytes.len(), |k| pos + k);
            let fast_end = if run_end < bytes.len() {
                run_end.saturating_sub(1).max(pos)
            } else {
                run_end
            };
            // Whitespace becomes spaces here, and runs of them one space at the end.
            let run = bytes.get(pos..fast_end).unwrap_or(&[]);
            acc.extend(
                run.iter()
                    .map(|&b| table.get(usize::from(b)).copied().unwrap_or(b)),
            );
            pos = fast_end;
            let Some(c) = text.get(pos..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            let mut end = pos + c.len_utf8();
            let next_is_ascii = bytes.get(end).is_none_or(u8::is_ascii);
            if c.is_ascii() && next_is_ascii {
                self.plain_ascii(c as u8, &table, &mut acc);
                pos = end;
                continue;
            }
            if self.spaces && is_ignorable(c) {
                pos = end;
                continue;
            }
            if next_is_ascii && (!self.nfkc || is_stable_starter(c)) {
                // A segment of one character that NFKC leaves alone.
                self.plain_char(c, &table, &mut acc);
                pos = end;
                continue;
            }
            // An NFKC segment, as in `run`.
            buf.clear();
            buf.push(c);
            if self.nfkc {
                for n in text.get(end..).unwrap_or("").chars() {
                    let skip = self.spaces && is_ignorable(n);
                    if is_boundary(n) && !skip {
                        break;
                    }
                    end += n.len_utf8();
                    if !skip {
                        buf.push(n);
                    }
                }
            }
            if self.nfkc && !buf.is_ascii() {
                normalized.clear();
                normalized.extend(buf.nfkc());
                self.settle_case(&mut normalized);
                for n in normalized.chars() {
                    self.plain_char(n, &table, &mut acc);
                }
            } else {
                for n in buf.chars() {
                    self.plain_char(n, &table, &mut acc);
                }
            }
            pos = end;
        }
        if self.spaces {
            acc.dedup_by(|a, b| *a == b' ' && *b == b' ');
            let lead = usize::from(acc.first() == Some(&b' '));
            acc.drain(..lead);
            if acc.last() == Some(&b' ') {
                acc.pop();
            }
        }
        // Whole characters only were pushed.
        *out = String::from_utf8(acc).unwrap_or_default();
        self.trim_trailing_punctuation(out);
    }

    fn trim_trailing_punctuation(self, out: &mut String) {
        if self.trailing_punctuation {
            let keep = out
                .trim_end_matches(is_trailing_punctuation)
                .trim_end()
                .len();
            out.truncate(keep);
        }
    }

    /// `run_plain` for ASCII text.
    fn plain_ascii_text(self, bytes: &[u8], table: &[u8; 128], out: &mut Vec<u8>) {
        if !self.spaces {
            out.extend(
                bytes
                    .iter()
                    .map(|&b| table.get(usize::from(b)).copied().unwrap_or(b)),
            );
            return;
        }
        // No space at the start, none twice, none at the end.
        let mut space = true;
        for &b in bytes {
            let folded = table.get(usize::from(b)).copied().unwrap_or(b);
            if folded == b' ' {
                if !space {
                    out.push(b' ');
                    space = true;
                }
            } else {
                out.push(folded);
                space = false;
            }
        }
        if out.last() == Some(&b' ') {
            out.pop();
        }
    }

    /// What each ASCII byte folds to; whitespace to a space when spaces are folded
    /// (runs of spaces are collapsed afterwards).
    fn ascii_table(self) -> [u8; 128] {
        let mut table = [0u8; 128];
        for (b, slot) in (0u8..).zip(table.iter_mut()) {
            *slot = match b {
                b' ' | b'\t'..=b'\r' if self.spaces => b' ',
                b'"' | b'`' if self.quotes => b'\'',
                _ if self.lowercase => b.to_ascii_lowercase(),
                _ => b,
            };
        }
        table
    }

    /// `push` for an ASCII byte without a map.
    fn plain_ascii(self, b: u8, table: &[u8; 128], out: &mut Vec<u8>) {
        out.push(table.get(usize::from(b)).copied().unwrap_or(b));
    }

    /// `push` without a map.
    fn plain_char(self, c: char, table: &[u8; 128], out: &mut Vec<u8>) {
        if c.is_ascii() {
            self.plain_ascii(c as u8, table, out);
            return;
        }
        if self.spaces && c.is_whitespace() {
            out.push(b' ');
            return;
        }
        let c = if self.quotes && is_quote(c) {
            '\''
        } else if self.dashes && is_dash(c) {
            '-'
        } else {
            c
        };
        let mut utf8 = [0u8; 4];
        if c.is_ascii() {
            out.push(if self.lowercase {
                c.to_ascii_lowercase() as u8
            } else {
                c as u8
            });
        } else if self.lowercase && !c.is_lowercase() {
            for l in c.to_lowercase() {
                out.extend_from_slice(l.encode_utf8(&mut utf8).as_bytes());
            }
        } else {
            out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
        }
    }

    fn push(self, c: char, source: Range<usize>, sink: &mut Sink<'_>) {
        if self.spaces {
            if c.is_whitespace() {
                let run = match sink.pending_space.take() {
                    Some(run) => run.start..source.end,
                    None => source,
                };
                sink.pending_space = Some(run);
                return;
            }
            if let Some(run) = sink.pending_space.take()
                && !sink.out.is_empty()
            {
                sink.unit(run);
                sink.out.push(' ');
            }
        }
        let c = if self.quotes && is_quote(c) {
            '\''
        } else if self.dashes && is_dash(c) {
            '-'
        } else {
            c
        };
        sink.unit(source);
        if c.is_ascii() {
            sink.out.push(if self.lowercase {
                c.to_ascii_lowercase()
            } else {
                c
            });
        } else if self.lowercase && !c.is_lowercase() {
            sink.out.extend(c.to_lowercase());
        } else {
            sink.out.push(c);
        }
    }
}

impl Fold {
    /// NFKC and lowercase in turn until neither changes the segment: lowercasing can
    /// undo normalization (a combining dot out of canonical order, a base that now
    /// composes with the mark after it). Rare: only segments with a non-ASCII letter
    /// that lowercase changes take the loop.
    fn settle_case(self, normalized: &mut String) {
        let changes = |c: char| !c.is_ascii() && c.to_lowercase().ne(std::iter::once(c));
        if !self.lowercase || !normalized.chars().any(changes) {
            return;
        }
        for _ in 0..4 {
            let lowered: String = normalized.chars().flat_map(char::to_lowercase).collect();
            let again: String = lowered.nfkc().collect();
            let done = again == lowered;
            *normalized = again;
            if done {
                return;
            }
        }
    }
}

/// A character that NFKC leaves as it is and that composes with nothing before it:
/// alone (followed by a boundary), it is its own normalized segment. The typographic
/// characters of scraped text (`’ “ ” – —`) are answered without a table lookup.
fn is_stable_starter(c: char) -> bool {
    matches!(
        c,
        '\u{2013}' | '\u{2014}' | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}'
    ) || (canonical_combining_class(c) == 0
        && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes)
}

/// Whether NFKC can start a new segment before `c`: `c` is a starter that composes with
/// nothing before it. Stable characters (quick check "Yes") qualify; so do characters
/// NFKC replaces (`…`, NBSP, `ﬁ`) when their replacement starts with a stable starter,
/// which keeps the map precise on typical text.
fn is_boundary(c: char) -> bool {
    if c.is_ascii() {
        return true;
    }
    if canonical_combining_class(c) != 0 {
        return false;
    }
    match is_nfkc_quick(std::iter::once(c)) {
        IsNormalized::Yes => true,
        IsNormalized::Maybe => false,
        IsNormalized::No => {
            let mut first = None;
            decompose_compatible(c, |d| {
                first.get_or_insert(d);
            });
            first.is_some_and(|d| {
                d != c
                    && canonical_combining_class(d) == 0
                    && is_nfkc_quick(std::iter::once(d)) == IsNormalized::Yes
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quotes_dashes_and_case_fold_away() {
        assert_eq!(fold("Mexico's president"), fold("Mexico’s President"));
        assert_eq!(fold("green-light"), fold("green–light"));
        assert_eq!(fold("“It’s” — a «test» ‚x‛"), "'it's' - a 'test' 'x");
        assert_eq!(fold("minus −3 and ‒ figure"), "minus -3 and - figure");
    }

    #[test]
    fn nfkc_maps_compatibility_forms() {
        assert_eq!(fold("ﬁne Ａ\u{a0}b …x"), "fine a b ...x");
        // Decomposed and precomposed accents fold alike.
        assert_eq!(fold("Nicola\u{301}s"), fold("Nicolás"));
    }

    #[test]
    fn whitespace_collapses_and_invisible_characters_vanish() {
        assert_eq!(fold("  a \t\u{a0} b\u{200b}c\u{ad}d  "), "a bcd");
        assert_eq!(fold("a \u{200b} b\u{2003}\u{2003}c"), "a b c");
        // Control characters are not whitespace; without the spaces step, nothing
        // collapses.
        assert_eq!(fold("a\0b"), "a\0b");
        assert_eq!(Fold::FULL.without(Step::Spaces).apply("a \0 b"), "a \0 b");
        assert_eq!(fold("\u{202f}\u{3000}"), "");
    }

    #[test]
    fn trailing_sentence_punctuation_and_closing_quotes_are_ignored() {
        assert_eq!(
            fold("as a ‘weapon of mass destruction.’\u{a0}"),
            fold("as a 'weapon of mass destruction'")
        );
        assert_eq!(fold("Done!?"), "done");
        // Only at the end.
        assert_eq!(fold("U.S. forces."), "u.s. forces");
        assert_eq!(fold("..."), "");
    }

    #[test]
    fn steps_can_be_switched_off() {
        assert_eq!(Fold::TYPOGRAPHY.apply("It’s  Done."), "It's Done.");
        let no_quotes = Fold::FULL.without(Step::Quotes);
        assert_eq!(no_quotes.apply("It’s"), "it’s");
        let no_spaces = Fold::FULL.without(Step::Spaces);
        assert_eq!(no_spaces.apply(" a  b"), " a  b");
    }

    #[test]
    fn differences_name_the_steps_that_make_two_texts_equal() {
        let f = Fold::FULL;
        assert_eq!(
            f.differences("a 'weapon'", "a ‘weapon.’ "),
            vec![Step::Quotes, Step::TrailingPunctuation]
        );
        assert_eq!(
            f.differences("green-light", "green–light"),
            vec![Step::Dashes]
        );
        assert!(f.differences("same", "same").is_empty());
        assert!(f.differences("one", "two").is_empty());
    }

    #[test]
    fn the_map_points_back_at_source_bytes() {
        let src = "  “It’s  GREEN–light.”";
        let folded = Fold::FULL.with_map(src);
        assert_eq!(folded.as_str(), "'it's green-light");
        let at = folded.as_str().find("green").unwrap();
        let span = folded.source_span(at..at + "green-light".len());
        assert_eq!(&src[span], "GREEN–light");
        // The space stands for the whole whitespace run.
        let space = folded.as_str().find(' ').unwrap();
        assert_eq!(&src[folded.source_span(space..space + 1)], "  ");
        assert_eq!(&src[folded.source_span(0..1)], "“");
    }

    #[test]
    fn the_map_covers_expansions_and_contractions() {
        // NFKC expands "…" to three bytes and lowercase expands "İ" to two chars.
        let src = "a…İb";
        let folded = Fold::FULL.with_map(src);
        assert_eq!(folded.as_str(), "a...i\u{307}b");
        let dots = 1..4;
        assert_eq!(&src[folded.source_span(dots)], "…");
        assert_eq!(&src[folded.source_span(2..3)], "…");
        let b = folded.as_str().len() - 1;
        assert_eq!(&src[folded.source_span(b..b + 1)], "b");
        // Decomposed accents fold into one character that maps to both source chars.
        let src = "e\u{301}x";
        let folded = Fold::FULL.with_map(src);
        assert_eq!(folded.as_str(), "éx");
        assert_eq!(&src[folded.source_span(0.."é".len())], "e\u{301}");
    }

    #[test]
    fn a_segment_lowercased_out_of_normal_form_is_normalized_again() {
        // Found by the property test: "İ" lowercases to "i" and a combining dot, which
        // a mark of a lower combining class must precede, and "i" composes with an
        // acute accent after it.
        for src in ["İ\u{1ab5}", "İ\u{301}", "İSTANBUL", "aİ\u{316}b"] {
            let once = fold(src);
            assert_eq!(fold(&once), once, "{src:?}");
            let mapped = Fold::FULL.with_map(src);
            assert_eq!(mapped.as_str(), once, "{src:?}");
        }
        assert_eq!(
            fold("İ\u{301}"),
            "i\u{307}\u{301}".nfkc().collect::<String>()
        );
    }

    #[test]
    fn empty_and_blank_inputs_fold_to_nothing() {
        for src in ["", " ", "\u{200b}", ".", "\n\t"] {
            let folded = Fold::FULL.with_map(src);
            assert_eq!(folded.as_str(), "");
            assert_eq!(folded.source_span(0..0), 0..0);
            assert_eq!(folded.source_offset(5), 0);
        }
    }

    fn texty() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("word".to_owned()),
            Just(" ".to_owned()),
            Just("\u{a0}".to_owned()),
            Just("’".to_owned()),
            Just("“".to_owned()),
            Just("–".to_owned()),
            Just("…".to_owned()),
            Just(".".to_owned()),
            Just("\u{301}".to_owned()),
            Just("\u{200b}".to_owned()),
            Just("İ".to_owned()),
            Just("ﬁ".to_owned()),
            Just("\u{1100}\u{1161}".to_owned()),
            any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn the_map_is_monotonic_and_lands_on_char_boundaries(src in texty(), steps in prop::collection::vec(any::<bool>(), 6)) {
            let fold = Fold {
                nfkc: steps[0],
                quotes: steps[1],
                dashes: steps[2],
                spaces: steps[3],
                lowercase: steps[4],
                trailing_punctuation: steps[5],
            };
            let folded = fold.with_map(&src);
            prop_assert_eq!(folded.as_str(), fold.apply(&src));
            let text = folded.as_str();
            let mut last = 0;
            for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let offset = folded.source_offset(at);
                prop_assert!(src.is_char_boundary(offset), "offset {} of {:?}", offset, src);
                prop_assert!(offset >= last, "not monotonic at {}", at);
                last = offset;
                for end in (at..=text.len()).filter(|&i| text.is_char_boundary(i)).take(4) {
                    let span = folded.source_span(at..end);
                    prop_assert!(span.start <= span.end && span.end <= src.len());
                    prop_assert!(src.is_char_boundary(span.start) && src.is_char_boundary(span.end));
                }
            }
        }

        #[test]
        fn the_ascii_fast_path_folds_like_the_general_one(src in "[ -~\t\n\r\x0b\x0c]{0,40}", steps in prop::collection::vec(any::<bool>(), 6)) {
            let fold = Fold {
                nfkc: steps[0],
                quotes: steps[1],
                dashes: steps[2],
                spaces: steps[3],
                lowercase: steps[4],
                trailing_punctuation: steps[5],
            };
            prop_assert_eq!(fold.apply(&src), fold.with_map(&src).into_string());
        }

        #[test]
        fn folding_is_idempotent_and_nfkc_agrees_with_whole_text_nfkc(src in texty()) {
            let once = fold(&src);
            prop_assert_eq!(fold(&once), once.clone());
            let only_nfkc = Fold { nfkc: true, quotes: false, dashes: false, spaces: false, lowercase: false, trailing_punctuation: false };
            let whole: String = src.nfkc().collect();
            prop_assert_eq!(only_nfkc.apply(&src), whole);
        }
    }
}

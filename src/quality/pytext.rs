//! Python's string semantics where datatrove's filters rely on them: `str.splitlines`,
//! `str.strip`, `str.split()`, `len` in characters. Spans are byte ranges into the text.

use super::words::is_space;
use crate::document::Span;

/// Characters in `s` (Python's `len`).
pub fn chars(s: &str) -> usize {
    // The standard library counts a word of bytes at a time.
    s.chars().count()
}

/// Room for the lines of a text of `bytes` bytes: the corpus's lines average about 70
/// bytes, and a vector grown a push at a time was copied a dozen times on a long page.
pub fn line_capacity(bytes: usize) -> usize {
    bytes / 48 + 4
}

/// `str.splitlines()`: lines without their terminators (`\n`, `\r\n`, `\r`, `\v`, `\f`,
/// `\x1c`–`\x1e`, U+0085, U+2028, U+2029); no empty line after a final terminator.
pub fn splitlines(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    // Most pages end lines with `\n` or `\r` alone: without the rarer terminators, the
    // scan jumps from one `\n`, `\r` or first byte of U+2028/U+2029 to the next, a
    // vector at a time, instead of testing the bytes between.
    let rare = memchr::memchr3(0x0b, 0x0c, 0x1c, bytes).is_some()
        || memchr::memchr2(0x1d, 0x1e, bytes).is_some()
        || memchr::memmem::find(bytes, "\u{85}".as_bytes()).is_some();
    if rare {
        split_at_terminators(bytes, next_line_byte)
    } else {
        split_at_terminators(bytes, |bytes, i| {
            memchr::memchr3(b'\n', b'\r', 0xE2, bytes.get(i..)?).map(|at| i + at)
        })
    }
}

/// The lines of `bytes`, cut at each terminator that starts at a position `next` finds
/// (the first at or after the position it is given that may start one).
#[inline]
fn split_at_terminators(
    bytes: &[u8],
    mut next: impl FnMut(&[u8], usize) -> Option<usize>,
) -> Vec<Span> {
    let mut out = Vec::with_capacity(line_capacity(bytes.len()));
    let (mut start, mut i) = (0, 0);
    while let Some(at) = next(bytes, i) {
        match terminator_end(bytes, at) {
            Some(end) => {
                out.push(Span::new(start, at));
                start = end;
                i = end;
            }
            None => i = at + 1,
        }
    }
    if start < bytes.len() {
        out.push(Span::new(start, bytes.len()));
    }
    out
}

/// The first position at or after `i` whose byte may start a line terminator.
fn next_line_byte(bytes: &[u8], mut i: usize) -> Option<usize> {
    while i < bytes.len() {
        // Most bytes are printable ASCII, which ends no line: eight of them are skipped
        // at once (no byte under 0x20 and none over 0x7f).
        if let Some(w) = bytes
            .get(i..i + 8)
            .and_then(|c| <[u8; 8]>::try_from(c).ok())
            .map(u64::from_le_bytes)
            && (w.wrapping_sub(0x2020_2020_2020_2020) | w) & 0x8080_8080_8080_8080 == 0
        {
            i += 8;
            continue;
        }
        // Other bytes end no line but for a few: skip them by table.
        if LINE_BYTES[usize::from(bytes[i])] {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The end of the line terminator that starts at `at`, if one does.
#[inline]
fn terminator_end(bytes: &[u8], at: usize) -> Option<usize> {
    match *bytes.get(at)? {
        b'\r' if bytes.get(at + 1) == Some(&b'\n') => Some(at + 2),
        b'\n' | b'\r' | 0x0b | 0x0c | 0x1c..=0x1e => Some(at + 1),
        // U+0085 and U+2028, U+2029 in UTF-8.
        0xC2 if bytes.get(at + 1) == Some(&0x85) => Some(at + 2),
        0xE2 if bytes.get(at + 1) == Some(&0x80)
            && matches!(bytes.get(at + 2), Some(0xA8 | 0xA9)) =>
        {
            Some(at + 3)
        }
        _ => None,
    }
}

/// The bytes that may end a line for `splitlines`: the terminators and the first bytes
/// of U+0085, U+2028 and U+2029.
static LINE_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(
            b as u8,
            b'\n' | b'\r' | 0x0b | 0x0c | 0x1c..=0x1e | 0xC2 | 0xE2
        );
        b += 1;
    }
    table
};

/// `span` without leading and trailing whitespace (`str.strip()`).
pub fn strip(text: &str, span: Span) -> Span {
    let s = text.get(span.range()).unwrap_or("");
    // Most lines start and end with an ASCII character that is not whitespace: nothing
    // to strip, and no character to decode.
    if let (Some(&first), Some(&last)) = (s.as_bytes().first(), s.as_bytes().last())
        && first < 0x80
        && last < 0x80
        && SPLIT_KINDS[usize::from(first)] != SPACE
        && SPLIT_KINDS[usize::from(last)] != SPACE
    {
        return span;
    }
    let lead = s.len() - s.trim_start_matches(is_space).len();
    let kept = s.trim_matches(is_space).len();
    if kept == 0 {
        return Span::new(span.start, span.start);
    }
    Span::new(span.start + lead, span.start + lead + kept)
}

/// The words of `str.split()` (runs of non-whitespace): how many, and the length in
/// characters of the longest.
pub fn split_words(s: &str) -> (usize, usize) {
    // One pass over the bytes, without a branch per byte but for characters that may be
    // Unicode whitespace (decoded); continuation bytes add no character.
    let bytes = s.as_bytes();
    let (mut count, mut longest, mut run) = (0usize, 0usize, 0usize);
    let mut after_space = true;
    for (i, &b) in bytes.iter().enumerate() {
        let Some(space) = space_at(s, i, b) else {
            continue;
        };
        count += usize::from(after_space & !space);
        run = if space { 0 } else { run + 1 };
        longest = longest.max(run);
        after_space = space;
    }
    (count, longest)
}

/// Whether byte `b` at `i` starts a character that `str.split()` splits on; `None` for
/// a UTF-8 continuation byte, which starts no character.
#[inline]
fn space_at(s: &str, i: usize, b: u8) -> Option<bool> {
    let kind = SPLIT_KINDS[usize::from(b)];
    // Whether a byte is whitespace follows the text: it is read without a branch. Only
    // continuation bytes and the first bytes of characters that may be whitespace (the
    // odd kinds) branch on their kind.
    if kind & 1 == 0 {
        return Some(kind == SPACE);
    }
    match kind {
        CONTINUATION => None,
        _ => Some(
            s.get(i..)
                .and_then(|t| t.chars().next())
                .is_some_and(is_space),
        ),
    }
}

/// `min(len(s.split()), cap)`: counts words until there are `cap`.
pub fn count_words_upto(s: &str, cap: usize) -> usize {
    let mut count = 0;
    let mut after_space = true;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if count >= cap {
            break;
        }
        let Some(space) = space_at(s, i, b) else {
            continue;
        };
        count += usize::from(after_space & !space);
        after_space = space;
    }
    count.min(cap)
}

// The kinds `space_at` must look further into are odd.
const CHARACTER: u8 = 0;
const CONTINUATION: u8 = 1;
const SPACE: u8 = 2;
const MAYBE_SPACE: u8 = 3;

/// What each byte is to `split_words`: ASCII whitespace, a UTF-8 continuation byte, the
/// first byte of a character that may be whitespace (U+0085, U+00A0, U+1680,
/// U+2000–U+205F, U+3000: `\xC2`, `\xE1`, `\xE2`, `\xE3`), or another character.
static SPLIT_KINDS: [u8; 256] = {
    let mut kinds = [CHARACTER; 256];
    let mut b = 0;
    while b < 256 {
        kinds[b] = match b as u8 {
            b'\t'..=b'\r' | 0x1c..=b' ' => SPACE,
            0x80..=0xBF => CONTINUATION,
            0xC2 | 0xE1 | 0xE2 | 0xE3 => MAYBE_SPACE,
            _ => CHARACTER,
        };
        b += 1;
    }
    kinds
};

/// The pieces of `text[span]` between runs of at least `min` newlines
/// (`re.split("\n+")` for `min = 1`, `re.split(r"\n{2,}")` for `min = 2`), empty pieces
/// at the ends included, as Python gives them.
pub fn split_newline_runs(text: &str, span: Span, min: usize) -> Vec<Span> {
    let bytes = text.as_bytes().get(span.range()).unwrap_or_default();
    let mut out = Vec::with_capacity(line_capacity(bytes.len()) / min.max(1));
    let mut start = 0;
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'\n', &bytes[i..]) {
        let at = i + at;
        let run = bytes[at..].iter().take_while(|&&b| b == b'\n').count();
        if run >= min {
            out.push(Span::new(span.start + start, span.start + at));
            start = at + run;
        }
        i = at + run;
    }
    out.push(Span::new(span.start + start, span.end));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str, spans: &[Span]) -> Vec<String> {
        spans.iter().map(|s| text[s.range()].to_owned()).collect()
    }

    #[test]
    fn splitlines_matches_python() {
        let text = "a\r\nb\rc\u{2028}d\n\ne\n";
        assert_eq!(
            pieces(text, &splitlines(text)),
            vec!["a", "b", "c", "d", "", "e"]
        );
        assert!(splitlines("").is_empty());
    }

    #[test]
    fn splitlines_finds_every_terminator_wherever_it_falls_in_a_word_of_bytes() {
        // Python's rule, a character at a time.
        fn reference(text: &str) -> Vec<Span> {
            let (mut out, mut start) = (Vec::new(), 0);
            let mut it = text.char_indices().peekable();
            while let Some((i, c)) = it.next() {
                let ends = matches!(
                    c,
                    '\n' | '\r' | '\x0b' | '\x0c' | '\x1c'
                        ..='\x1e' | '\u{85}' | '\u{2028}' | '\u{2029}'
                );
                if ends {
                    out.push(Span::new(start, i));
                    start = i + c.len_utf8();
                    if c == '\r' && it.next_if(|&(_, d)| d == '\n').is_some() {
                        start += 1;
                    }
                }
            }
            if start < text.len() {
                out.push(Span::new(start, text.len()));
            }
            out
        }
        let ends = [
            "\n",
            "\r\n",
            "\r",
            "\x0b",
            "\x0c",
            "\x1c",
            "\x1d",
            "\x1e",
            "\u{85}",
            "\u{2028}",
            "\u{2029}",
            "\n\r",
            "\r\u{2028}",
        ];
        for end in ends {
            for offset in 0..20 {
                let text = format!("{}{end}yz é “q” abcdefghij{end}{end}~", "x".repeat(offset));
                assert_eq!(splitlines(&text), reference(&text), "{text:?}");
            }
        }
        assert_eq!(chars("aé“”\u{1F600}"), 5);
    }

    #[test]
    fn newline_runs_split_like_re_split() {
        let text = "\na\n\n\nb\nc\n";
        let all = Span::new(0, text.len());
        assert_eq!(
            pieces(text, &split_newline_runs(text, all, 1)),
            vec!["", "a", "b", "c", ""]
        );
        assert_eq!(
            pieces(text, &split_newline_runs(text, all, 2)),
            vec!["\na", "b\nc\n"]
        );
    }

    #[test]
    fn strip_and_split_use_python_whitespace() {
        let text = "\u{a0} x y \t";
        let s = strip(text, Span::new(0, text.len()));
        assert_eq!(&text[s.range()], "x y");
        assert_eq!(split_words("a\u{a0}bb  ccc"), (3, 3));
        assert_eq!(split_words(" a\tbb  ccc\x1c"), (3, 3));
        assert_eq!(split_words("ab cd é"), (3, 2));
        assert_eq!(split_words(""), (0, 0));
        assert_eq!(chars("Nicolás"), 7);
        assert_eq!(split_words("“Quoted”\u{2003}text\u{3000}here…"), (3, 8));
        for text in [
            "",
            " ",
            "a",
            " a  bb\u{a0}c ",
            "one two three four",
            "x\u{2028}y",
        ] {
            for cap in 0..6 {
                assert_eq!(count_words_upto(text, cap), split_words(text).0.min(cap));
            }
        }
    }

    #[test]
    fn every_non_ascii_space_starts_with_a_byte_split_words_decodes() {
        for (lo, hi) in super::super::tables::PY_SPACE {
            for c in (*lo..=*hi).filter_map(char::from_u32) {
                let mut buf = [0u8; 4];
                let first = c.encode_utf8(&mut buf).as_bytes()[0];
                assert_ne!(SPLIT_KINDS[usize::from(first)], CHARACTER, "{c:?}");
            }
        }
    }
}

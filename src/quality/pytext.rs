//! Python's string semantics where datatrove's filters rely on them: `str.splitlines`,
//! `str.strip`, `str.split()`, `len` in characters. Spans are byte ranges into the text.

use super::words::is_space;
use crate::document::Span;

/// Characters in `s` (Python's `len`).
pub fn chars(s: &str) -> usize {
    s.as_bytes().iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// `str.splitlines()`: lines without their terminators (`\n`, `\r\n`, `\r`, `\v`, `\f`,
/// `\x1c`–`\x1e`, U+0085, U+2028, U+2029); no empty line after a final terminator.
pub fn splitlines(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let end = match c {
            '\r' => {
                if let Some(&(_, '\n')) = iter.peek() {
                    iter.next();
                    i + 2
                } else {
                    i + 1
                }
            }
            '\n' | '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\u{85}' | '\u{2028}'
            | '\u{2029}' => i + c.len_utf8(),
            _ => continue,
        };
        out.push(Span::new(start, i));
        start = end;
    }
    if start < text.len() {
        out.push(Span::new(start, text.len()));
    }
    out
}

/// `span` without leading and trailing whitespace (`str.strip()`).
pub fn strip(text: &str, span: Span) -> Span {
    let s = text.get(span.range()).unwrap_or("");
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
    let (mut count, mut longest) = (0, 0);
    for word in s.split(is_space).filter(|w| !w.is_empty()) {
        count += 1;
        longest = longest.max(chars(word));
    }
    (count, longest)
}

/// The pieces of `text[span]` between runs of at least `min` newlines
/// (`re.split("\n+")` for `min = 1`, `re.split(r"\n{2,}")` for `min = 2`), empty pieces
/// at the ends included, as Python gives them.
pub fn split_newline_runs(text: &str, span: Span, min: usize) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = span.start;
    let mut i = span.start;
    while i < span.end {
        if bytes[i] == b'\n' {
            let run = bytes[i..span.end]
                .iter()
                .take_while(|&&b| b == b'\n')
                .count();
            if run >= min {
                out.push(Span::new(start, i));
                start = i + run;
            }
            i += run;
        } else {
            i += 1;
        }
    }
    out.push(Span::new(start, span.end));
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
        assert_eq!(chars("Nicolás"), 7);
    }
}

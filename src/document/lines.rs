//! The line index: byte offset ↔ 1-based line and column, for LF, CRLF and lone CR.

use std::sync::OnceLock;

use super::Span;

/// Distance between two char-count checkpoints, in bytes. Columns on lines longer
/// than this are counted from the nearest checkpoint, so a 50 MB single-line file
/// with many findings stays linear.
const STRIDE: usize = 4096;

/// Line starts of one text, built once in a single `memchr` pass.
#[derive(Debug)]
pub struct LineIndex {
    /// Byte offset of the first byte of every line; `starts[0] == 0`.
    starts: Vec<usize>,
    len: usize,
    /// `checkpoints[k]` = number of chars in `text[..k * STRIDE]` (rounded down to a char
    /// boundary, see `char_index`). Built on first use of a column on a long line.
    checkpoints: OnceLock<Vec<usize>>,
}

/// A 1-based line and column; the column counts characters (Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 64 + 1);
        starts.push(0);
        let mut pos = 0;
        while let Some(i) = memchr::memchr2(b'\n', b'\r', &bytes[pos..]) {
            let at = pos + i;
            let next = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            };
            starts.push(next);
            pos = next;
        }
        LineIndex {
            starts,
            len: bytes.len(),
            checkpoints: OnceLock::new(),
        }
    }

    /// Number of lines. A text ending in a line break has an empty last line, as
    /// editors show it; an empty text has one empty line.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    /// 0-based index of the line containing `offset` (offsets past the end clamp to the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// The span of line `index` (0-based) without its terminator, or `None` past the end.
    pub fn line_span(&self, text: &str, index: usize) -> Option<Span> {
        let start = *self.starts.get(index)?;
        let next = self.starts.get(index + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        let mut end = next;
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        Some(Span::new(start, end))
    }

    /// The span of line `index` including its terminator (what deleting the line removes).
    pub fn line_span_with_break(&self, index: usize) -> Option<Span> {
        let start = *self.starts.get(index)?;
        let next = self.starts.get(index + 1).copied().unwrap_or(self.len);
        Some(Span::new(start, next))
    }

    /// 1-based line and character column of `offset` in `text` (the text this index was built on).
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.starts[line];
        let column = if offset - start <= STRIDE {
            count_chars(&text.as_bytes()[start..offset])
        } else {
            self.char_index(text, offset) - self.char_index(text, start)
        };
        LineCol {
            line: line + 1,
            column: column + 1,
        }
    }

    /// Byte offset of a 1-based line and character column, clamped to the line's content.
    pub fn offset_of(&self, text: &str, pos: LineCol) -> usize {
        let Some(span) = self.line_span(text, pos.line.saturating_sub(1)) else {
            return text.len();
        };
        let line = &text[span.range()];
        let skip = pos.column.saturating_sub(1);
        line.char_indices()
            .nth(skip)
            .map_or(span.end, |(i, _)| span.start + i)
    }

    /// Number of chars in `text[..offset]`, via the checkpoints.
    fn char_index(&self, text: &str, offset: usize) -> usize {
        let bytes = text.as_bytes();
        let checkpoints = self.checkpoints.get_or_init(|| {
            let mut out = Vec::with_capacity(bytes.len() / STRIDE + 1);
            let mut total = 0;
            out.push(0);
            for chunk in bytes.chunks(STRIDE) {
                total += count_chars(chunk);
                out.push(total);
            }
            out
        });
        let k = offset / STRIDE;
        // Chunks are split at byte positions, not char boundaries; counting
        // non-continuation bytes makes that harmless.
        checkpoints[k] + count_chars(&bytes[k * STRIDE..offset])
    }
}

/// Number of chars in a UTF-8 byte slice (bytes that are not continuation bytes).
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// The largest char boundary ≤ `offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    if offset >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The smallest char boundary ≥ `offset`.
pub fn ceil_char_boundary(text: &str, mut offset: usize) -> usize {
    if offset >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lc(text: &str, offset: usize) -> (usize, usize) {
        let p = LineIndex::new(text).line_col(text, offset);
        (p.line, p.column)
    }

    #[test]
    fn lf_crlf_and_lone_cr_all_end_lines() {
        let text = "a\nb\r\nc\rd";
        let index = LineIndex::new(text);
        assert_eq!(index.len(), 4);
        assert_eq!(lc(text, 2), (2, 1));
        assert_eq!(lc(text, 5), (3, 1));
        assert_eq!(lc(text, 7), (4, 1));
        assert_eq!(index.line_span(text, 1), Some(Span::new(2, 3)));
        assert_eq!(index.line_span(text, 2), Some(Span::new(5, 6)));
        assert_eq!(index.line_span_with_break(1), Some(Span::new(2, 5)));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "Nicolás Maduro";
        assert_eq!(lc(text, "Nicolás ".len()), (1, 9));
    }

    #[test]
    fn offset_inside_a_character_is_floored() {
        let text = "é";
        assert_eq!(lc(text, 1), (1, 1));
    }

    #[test]
    fn long_lines_use_checkpoints_and_agree_with_counting() {
        let text = "ä".repeat(10_000) + "x" + &"ß".repeat(5_000);
        let index = LineIndex::new(&text);
        for offset in [0, 2, 8190, 8192, 20_000, 20_001, text.len()] {
            let offset = floor_char_boundary(&text, offset);
            let want = text[..offset].chars().count() + 1;
            assert_eq!(
                index.line_col(&text, offset).column,
                want,
                "offset {offset}"
            );
        }
    }

    #[test]
    fn a_file_of_only_carriage_returns_has_one_line_per_cr() {
        let text = "\r\r\r";
        let index = LineIndex::new(text);
        assert_eq!(index.len(), 4);
        assert_eq!(lc(text, 3), (4, 1));
    }

    #[test]
    fn offset_of_inverts_line_col() {
        let text = "one\r\ntwó three\n";
        let index = LineIndex::new(text);
        for offset in [0, 5, 7, 9, 15] {
            let pos = index.line_col(text, offset);
            assert_eq!(index.offset_of(text, pos), offset);
        }
    }
}

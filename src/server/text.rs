//! Editor text: LSP positions in the negotiated encoding ↔ byte offsets, and incremental
//! edits. Positions from the client are never trusted: out-of-range lines and characters
//! clamp to the text, and a position inside a character lands on its start.

use lsp_types::{Position, PositionEncodingKind, Range, TextDocumentContentChangeEvent};

use crate::document::{LineIndex, floor_char_boundary};

/// How LSP `character` offsets count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The best encoding both sides support: UTF-8 (no conversion) if the client offers
    /// it, else UTF-16, which every client must support.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let offered = offered.unwrap_or_default();
        if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else if offered.contains(&PositionEncodingKind::UTF32)
            && !offered.contains(&PositionEncodingKind::UTF16)
        {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    fn units(self, s: &str) -> usize {
        match self {
            Encoding::Utf8 => s.len(),
            Encoding::Utf16 => s.chars().map(char::len_utf16).sum(),
            Encoding::Utf32 => s.chars().count(),
        }
    }
}

/// A text with its line index, for converting positions.
pub struct Lines<'a> {
    text: &'a str,
    index: LineIndex,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        Lines {
            text,
            index: LineIndex::new(text),
        }
    }

    /// The LSP position of byte `offset`.
    pub fn position(&self, offset: usize, encoding: Encoding) -> Position {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.index.line_of(offset);
        let start = self.index.line_span(self.text, line).map_or(0, |s| s.start);
        let character = encoding.units(self.text.get(start..offset).unwrap_or(""));
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, start: usize, end: usize, encoding: Encoding) -> Range {
        Range::new(self.position(start, encoding), self.position(end, encoding))
    }

    /// The byte offset of an LSP position, clamped to the text: a line past the end is the
    /// end of the text, a character past the end of its line is the line's end.
    pub fn offset(&self, position: Position, encoding: Encoding) -> usize {
        let line = position.line as usize;
        let Some(span) = self.index.line_span(self.text, line) else {
            return self.text.len();
        };
        let content = &self.text[span.range()];
        let want = position.character as usize;
        let mut units = 0;
        for (i, c) in content.char_indices() {
            if units >= want {
                return span.start + i;
            }
            units += match encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
                Encoding::Utf32 => 1,
            };
            // A position inside a character lands on its start.
            if units > want {
                return span.start + i;
            }
        }
        span.end
    }
}

/// Applies one `didChange` event: a full replacement, or a range edit with clamped,
/// ordered positions.
pub fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent, encoding: Encoding) {
    let Some(range) = change.range else {
        *text = change.text;
        return;
    };
    let lines = Lines::new(text);
    let mut start = lines.offset(range.start, encoding);
    let mut end = lines.offset(range.end, encoding);
    if end < start {
        std::mem::swap(&mut start, &mut end);
    }
    text.replace_range(start..end, &change.text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_counts_surrogate_pairs_and_utf8_counts_bytes() {
        let text = "a😀é\nb";
        let lines = Lines::new(text);
        let after_emoji = 1 + 4;
        assert_eq!(
            lines.position(after_emoji, Encoding::Utf16),
            Position::new(0, 3)
        );
        assert_eq!(
            lines.position(after_emoji, Encoding::Utf8),
            Position::new(0, 5)
        );
        assert_eq!(
            lines.position(after_emoji, Encoding::Utf32),
            Position::new(0, 2)
        );
        assert_eq!(
            lines.offset(Position::new(0, 3), Encoding::Utf16),
            after_emoji
        );
        assert_eq!(
            lines.offset(Position::new(1, 1), Encoding::Utf16),
            text.len()
        );
    }

    #[test]
    fn bad_positions_clamp() {
        let text = "one\ntwo";
        let lines = Lines::new(text);
        assert_eq!(
            lines.offset(Position::new(9, 0), Encoding::Utf16),
            text.len()
        );
        assert_eq!(lines.offset(Position::new(0, 99), Encoding::Utf16), 3);
        // Inside a surrogate pair: the start of the character.
        let emoji = Lines::new("😀x");
        assert_eq!(emoji.offset(Position::new(0, 1), Encoding::Utf16), 0);
    }

    #[test]
    fn incremental_changes_apply_and_reversed_ranges_are_ordered() {
        let mut text = "Hello world\nbye".to_owned();
        let change = |sl, sc, el, ec, t: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(sl, sc), Position::new(el, ec))),
            range_length: None,
            text: t.to_owned(),
        };
        apply_change(&mut text, change(0, 6, 0, 11, "there"), Encoding::Utf16);
        assert_eq!(text, "Hello there\nbye");
        apply_change(&mut text, change(1, 3, 1, 0, "good"), Encoding::Utf16);
        assert_eq!(text, "Hello there\ngood");
        apply_change(&mut text, change(7, 0, 9, 9, "!"), Encoding::Utf16);
        assert_eq!(text, "Hello there\ngood!");
    }
}

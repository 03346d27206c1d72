//! Builds a document's text from markup, a block at a time: the readers for HTML and
//! Markdown push text runs with their source spans; the builder separates blocks with a
//! blank line (line breaks with one newline), records the blocks, and keeps the
//! `SourceMap` from text back to source.

use super::{Block, BlockKind, SourceMap, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Break {
    Line,
    Block,
}

#[derive(Debug, Default)]
pub(crate) struct TextBuilder {
    pub text: String,
    pub map: SourceMap,
    blocks: Vec<Block>,
    /// The open block: its text start, first line and kind.
    open: Option<(usize, usize, BlockKind)>,
    /// 0-based line of the end of `text`.
    line: usize,
    pending: Option<(Break, usize)>,
    kind: Option<BlockKind>,
}

impl TextBuilder {
    /// The last character written in the open block.
    pub fn last_char(&self) -> Option<char> {
        if self.open.is_none() || self.pending.is_some() {
            return None;
        }
        self.text.chars().next_back()
    }

    /// Ends the open block (if any) at source offset `at`; the next text starts a new
    /// block of kind `next` (the block element that is open there).
    pub fn block_break(&mut self, at: usize, next: BlockKind) {
        self.kind = Some(next);
        if self.open.is_some() {
            self.pending = Some((Break::Block, at));
        }
    }

    /// A line break inside the block (`<br>`, a Markdown hard break).
    pub fn line_break(&mut self, at: usize) {
        if self.open.is_some() && self.pending.is_none() {
            self.pending = Some((Break::Line, at));
        }
    }

    fn flush_pending(&mut self) {
        let Some((kind, at)) = self.pending.take() else {
            return;
        };
        self.trim_trailing_space();
        let empty = Span::new(at, at);
        match kind {
            Break::Line => {
                self.map.push_mapped(&mut self.text, "\n", empty);
                self.line += 1;
            }
            Break::Block => {
                self.close_block();
                self.map.push_mapped(&mut self.text, "\n\n", empty);
                self.line += 2;
            }
        }
    }

    fn close_block(&mut self) {
        self.trim_trailing_space();
        if let Some((start, first_line, kind)) = self.open.take() {
            self.blocks.push(Block {
                span: Span::new(start, self.text.len()),
                first_line,
                last_line: self.line,
                kind,
            });
        }
    }

    fn trim_trailing_space(&mut self) {
        if self.text.ends_with(' ') && self.open.is_some() {
            self.map.pop(&mut self.text, 1);
        }
    }

    fn open_block(&mut self) {
        self.flush_pending();
        if self.open.is_none() {
            let kind = self.kind.unwrap_or(BlockKind::Paragraph);
            self.open = Some((self.text.len(), self.line, kind));
        }
    }

    /// Text copied unchanged from `source_start`.
    pub fn verbatim(&mut self, piece: &str, source_start: usize) {
        if piece.is_empty() {
            return;
        }
        self.open_block();
        self.line += piece.matches('\n').count();
        self.map.push_verbatim(&mut self.text, piece, source_start);
    }

    /// Text that stands for the source bytes `source` (an entity, an escape).
    pub fn mapped(&mut self, piece: &str, source: Span) {
        if piece.is_empty() {
            return;
        }
        self.open_block();
        self.line += piece.matches('\n').count();
        self.map.push_mapped(&mut self.text, piece, source);
    }

    /// A run of collapsible whitespace in the source: one space, unless the block is
    /// still empty or already ends in a space.
    pub fn space(&mut self, source: Span) {
        if self.open.is_none() || self.pending.is_some() || self.text.ends_with(' ') {
            return;
        }
        if source.len() == 1 {
            self.map.push_verbatim(&mut self.text, " ", source.start);
        } else {
            self.map.push_mapped(&mut self.text, " ", source);
        }
    }

    /// The text, its source map and its blocks.
    pub fn finish(mut self) -> (String, SourceMap, Vec<Block>) {
        self.pending = None;
        self.close_block();
        (self.text, self.map, self.blocks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_separated_by_a_blank_line_and_recorded() {
        let mut b = TextBuilder::default();
        b.block_break(0, BlockKind::Heading);
        b.verbatim("Title", 4);
        b.space(Span::new(9, 12));
        b.block_break(14, BlockKind::Paragraph);
        b.verbatim("Body", 17);
        b.line_break(21);
        b.verbatim("more", 25);
        let (text, map, blocks) = b.finish();
        assert_eq!(text, "Title\n\nBody\nmore");
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].kind, BlockKind::Heading);
        assert_eq!((blocks[1].first_line, blocks[1].last_line), (2, 3));
        assert_eq!(&text[blocks[1].span.range()], "Body\nmore");
        assert_eq!(map.source_span(Span::new(7, 11)), Span::new(17, 21));
    }

    #[test]
    fn whitespace_collapses_and_is_trimmed_at_block_edges() {
        let mut b = TextBuilder::default();
        b.space(Span::new(0, 3));
        b.verbatim("a", 3);
        b.space(Span::new(4, 6));
        b.space(Span::new(7, 8));
        b.verbatim("b", 8);
        b.space(Span::new(9, 10));
        b.block_break(10, BlockKind::Paragraph);
        b.space(Span::new(13, 14));
        let (text, _, blocks) = b.finish();
        assert_eq!(text, "a b");
        assert_eq!(blocks.len(), 1);
    }
}

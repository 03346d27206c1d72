//! The document model: one input's text, its line index, blocks and tokens, built once
//! and shared by every rule. Costly views (blocks, tokens) are computed on first use.

mod builder;
pub mod chars;
pub mod directives;
pub mod fold;
pub mod html;
pub mod jsonl;
mod lines;
pub mod markdown;
mod source_map;
pub mod text;
mod tokens;
pub mod typography;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub use lines::{LineCol, LineIndex, ceil_char_boundary, floor_char_boundary};
pub use source_map::SourceMap;
pub use tokens::{Token, TokenKind, ascii_words, tokenize};

/// A byte range into a document's text. Always on char boundaries when made by a reader
/// or a rule from the text itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub const fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub const fn is_empty(self) -> bool {
        self.end <= self.start
    }

    pub const fn range(self) -> Range<usize> {
        self.start..self.end
    }

    pub const fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl From<Range<usize>> for Span {
    fn from(range: Range<usize>) -> Self {
        Span::new(range.start, range.end)
    }
}

/// The input format a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Jsonl,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Jsonl => "jsonl",
        }
    }
}

/// How the text the rules see relates to the bytes of the file. `Document::locate`,
/// `display_*` and `file_edit` are the only places that interpret it.
#[derive(Debug)]
pub enum Origin {
    /// The text is the file minus a leading UTF-8 byte-order mark of `bom` bytes.
    Plain { bom: usize },
    /// The text was extracted from markup (HTML, Markdown): positions are reported in
    /// the source and snippets show it.
    Extracted(Box<Extracted>),
    /// The text is one field of one JSONL record: positions are reported inside the
    /// text, and byte offsets point into the file's JSON string.
    Record(Box<Record>),
}

/// How a replacement must be written into the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escape {
    /// HTML text: `&`, `<` and `>` become entities.
    Html,
    /// Markdown prose is written as is.
    None,
}

#[derive(Debug)]
pub struct Extracted {
    /// The source as decoded text (the file itself when it is UTF-8).
    pub source: String,
    pub source_lines: LineIndex,
    pub map: SourceMap,
    /// Bytes of the file before `source` (a UTF-8 BOM). `None` when the file was decoded
    /// from another encoding: offsets then refer to the decoded source, and fixes are refused.
    pub file_shift: Option<usize>,
    pub escape: Escape,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The record's id (its `--id-field`, or its line number).
    pub id: String,
    /// 1-based line of the record in the file.
    pub line: usize,
    /// Text offsets → byte offsets in the file (inside the JSON string literal).
    pub map: SourceMap,
    /// The value of the record's grouping field (`Fields::group`), when asked for.
    pub group: Option<String>,
}

/// What kind of block a reader found. Plain text only knows paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading,
    ListItem,
    Caption,
    Quote,
    TableCell,
    Preformatted,
}

/// A paragraph: a run of non-blank lines, or a single line in scraped text (see `blocks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// From the first character of the first line to the end of the last line's content.
    pub span: Span,
    /// 0-based indices of the first and last line.
    pub first_line: usize,
    pub last_line: usize,
    pub kind: BlockKind,
}

/// One line of a document, without its terminator.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    /// 0-based.
    pub index: usize,
    pub span: Span,
    pub text: &'a str,
}

/// Where a span is in the file: 1-based lines and character columns, and file byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub start: LineCol,
    pub end: LineCol,
    pub file_span: Span,
}

#[derive(Debug)]
pub struct Document {
    name: String,
    path: Option<PathBuf>,
    format: Format,
    text: String,
    origin: Origin,
    lines: LineIndex,
    blocks: OnceLock<Vec<Block>>,
    tokens: OnceLock<Vec<Token>>,
    /// Text offsets where two words meet across an inline element boundary with no
    /// space in the source (`<a>White House</a>is`): evidence for `joined-words`.
    inline_joins: Vec<usize>,
    /// Text spans of the page's chrome landmarks, sorted and disjoint (HTML only): see
    /// `in_landmark`.
    landmarks: Vec<Span>,
    directives: Vec<directives::Directive>,
    fix_refusal: Option<String>,
    quotes: OnceLock<Vec<typography::QuotedParagraph>>,
    ascii_words: OnceLock<Vec<Span>>,
    /// The words, lines and length the four quality filters share (`quality::Page::of`).
    quality: crate::quality::Analysis,
}

impl Document {
    /// A plain-text document that is not backed by a file (tests, stdin, editors).
    pub fn from_text(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self::new(
            name.into(),
            None,
            Format::Text,
            text.into(),
            Origin::Plain { bom: 0 },
        )
    }

    pub(crate) fn new(
        name: String,
        path: Option<PathBuf>,
        format: Format,
        text: String,
        origin: Origin,
    ) -> Self {
        let lines = LineIndex::new(&text);
        Document {
            name,
            path,
            format,
            text,
            origin,
            lines,
            blocks: OnceLock::new(),
            tokens: OnceLock::new(),
            ascii_words: OnceLock::new(),
            quotes: OnceLock::new(),
            quality: crate::quality::Analysis::default(),
            inline_joins: Vec::new(),
            landmarks: Vec::new(),
            directives: Vec::new(),
            fix_refusal: None,
        }
    }

    /// Marks the document as one whose file cannot be fixed in place, and why.
    pub fn refuse_fixes(&mut self, reason: impl Into<String>) {
        self.fix_refusal = Some(reason.into());
    }

    /// Sets the blocks a reader found in the markup (instead of paragraphs by blank lines).
    pub(crate) fn with_blocks(self, blocks: Vec<Block>) -> Self {
        let _ = self.blocks.set(blocks);
        self
    }

    pub(crate) fn with_directives(mut self, directives: Vec<directives::Directive>) -> Self {
        self.directives = directives;
        self
    }

    /// Suppression comments (Markdown and HTML only), in source order.
    pub fn directives(&self) -> &[directives::Directive] {
        &self.directives
    }

    pub(crate) fn with_inline_joins(mut self, joins: Vec<usize>) -> Self {
        self.inline_joins = joins;
        self
    }

    /// Offsets where the source joined two words across an inline element boundary
    /// (HTML only; empty otherwise).
    pub fn inline_joins(&self) -> &[usize] {
        &self.inline_joins
    }

    pub(crate) fn with_landmarks(mut self, landmarks: Vec<Span>) -> Self {
        self.landmarks = landmarks;
        self
    }

    /// The text spans `in_landmark` looks in: sorted, disjoint, non-empty.
    pub fn landmarks(&self) -> &[Span] {
        &self.landmarks
    }

    /// Whether `span` lies in the page's chrome as its markup declares it: a navigation,
    /// complementary (`aside`), dialog or search landmark, or the page-wide banner or
    /// content info (a `header` or `footer` outside any article or section), by element
    /// or by ARIA role. Always false for plain text, Markdown and JSONL.
    pub fn in_landmark(&self, span: Span) -> bool {
        let i = self.landmarks.partition_point(|l| l.end < span.end);
        self.landmarks
            .get(i)
            .is_some_and(|l| l.start <= span.start && span.end <= l.end)
    }

    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// The record id of a JSONL document.
    pub fn record(&self) -> Option<&str> {
        match &self.origin {
            Origin::Record(r) => Some(&r.id),
            _ => None,
        }
    }

    /// The 1-based line of a JSONL document's record.
    pub fn record_line(&self) -> Option<usize> {
        match &self.origin {
            Origin::Record(r) => Some(r.line),
            _ => None,
        }
    }

    /// The value of a JSONL record's grouping field (see `jsonl::Fields::group`).
    pub fn record_group(&self) -> Option<&str> {
        match &self.origin {
            Origin::Record(r) => r.group.as_deref(),
            _ => None,
        }
    }

    /// `path` or `path:record-id`: how reports name the document.
    pub fn display_name(&self) -> String {
        match self.record() {
            Some(id) => format!("{}:{id}", self.name),
            None => self.name.clone(),
        }
    }

    /// The name shown in reports: the path as given on the command line, or the stdin name.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// The text the rules see.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text of a span, or `""` if the span is not valid for this text.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    pub fn line_index(&self) -> &LineIndex {
        &self.lines
    }

    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// Line `index` (0-based).
    pub fn line(&self, index: usize) -> Option<Line<'_>> {
        let span = self.lines.line_span(&self.text, index)?;
        Some(Line {
            index,
            span,
            text: &self.text[span.range()],
        })
    }

    pub fn lines(&self) -> impl Iterator<Item = Line<'_>> {
        (0..self.lines.len()).filter_map(|i| self.line(i))
    }

    /// 0-based index of the line that contains `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines.line_of(offset)
    }

    /// The span that deleting line `index` removes: its content and its terminator.
    pub fn line_span_with_break(&self, index: usize) -> Option<Span> {
        self.lines.line_span_with_break(index)
    }

    /// Paragraph blocks. Paragraphs are runs of non-blank lines; but scraped text usually
    /// puts every paragraph on one line with blank lines between, and then a stray
    /// single line break (`Share this @site.com` directly above `You May Also Like`)
    /// separates two paragraphs, not two lines of one. So unless most paragraphs span
    /// several lines (hard-wrapped prose), every non-blank line is its own block; so it
    /// is when there are no blank lines at all.
    pub fn blocks(&self) -> &[Block] {
        self.blocks.get_or_init(|| self.compute_blocks())
    }

    fn compute_blocks(&self) -> Vec<Block> {
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut current: Option<(usize, usize)> = None;
        for line in self.lines() {
            if chars::is_blank(line.text) {
                runs.extend(current.take());
            } else {
                current = Some(match current {
                    Some((first, _)) => (first, line.index),
                    None => (line.index, line.index),
                });
            }
        }
        runs.extend(current);
        let multi = runs.iter().filter(|(a, b)| a != b).count();
        let line_mode = runs.len() <= 1 || multi * 2 <= runs.len();
        let block = |first: usize, last: usize| {
            let start = self
                .lines
                .line_span(&self.text, first)
                .map_or(0, |s| s.start);
            let end = self
                .lines
                .line_span(&self.text, last)
                .map_or(start, |s| s.end);
            Block {
                span: Span::new(start, end),
                first_line: first,
                last_line: last,
                kind: BlockKind::Paragraph,
            }
        };
        if line_mode {
            runs.iter()
                .flat_map(|&(a, b)| a..=b)
                .filter(|&i| self.line(i).is_some_and(|l| !chars::is_blank(l.text)))
                .map(|i| block(i, i))
                .collect()
        } else {
            runs.into_iter().map(|(a, b)| block(a, b)).collect()
        }
    }

    /// Word, number, URL, e-mail, handle and hashtag tokens, in text order.
    pub fn tokens(&self) -> &[Token] {
        self.tokens.get_or_init(|| tokenize(&self.text, 0))
    }

    /// The quote marks of every paragraph (runs of non-blank lines) that has any, with
    /// their roles; see `typography::scan_quotes`. Shared by the quote rules.
    pub fn quotes(&self) -> &[typography::QuotedParagraph] {
        self.quotes
            .get_or_init(|| typography::quoted_paragraphs(self))
    }

    /// Runs of ASCII letters that stand alone as words, in text order: the cheap word
    /// view the spelling rules share (see `tokens::ascii_words`).
    pub fn ascii_words(&self) -> &[Span] {
        self.ascii_words.get_or_init(|| {
            tokens::ascii_words(&self.text, Span::new(0, self.text.len())).collect()
        })
    }

    /// What the quality filters computed from the text so far (see `quality::Page::of`).
    pub(crate) fn quality_analysis(&self) -> &crate::quality::Analysis {
        &self.quality
    }

    /// The ASCII words (see `ascii_words`) that lie entirely inside `span`.
    pub fn ascii_words_in(&self, span: Span) -> &[Span] {
        let words = self.ascii_words();
        let from = words.partition_point(|w| w.start < span.start);
        let to = words.partition_point(|w| w.end <= span.end);
        words.get(from..to.max(from)).unwrap_or(&[])
    }

    /// The tokens that lie entirely inside `span`.
    pub fn tokens_in(&self, span: Span) -> &[Token] {
        let tokens = self.tokens();
        let from = tokens.partition_point(|t| t.span.start < span.start);
        let to = tokens.partition_point(|t| t.span.end <= span.end);
        tokens.get(from..to.max(from)).unwrap_or(&[])
    }

    /// 1-based line and character column of a text offset, in the text itself (for
    /// positions in the file, use `locate`).
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.lines.line_col(&self.text, offset)
    }

    /// The span in file byte offsets.
    pub fn file_span(&self, span: Span) -> Span {
        match &self.origin {
            Origin::Plain { bom } => Span::new(span.start + bom, span.end + bom),
            Origin::Extracted(x) => {
                let s = x.map.source_span(span);
                let shift = x.file_shift.unwrap_or(0);
                Span::new(s.start + shift, s.end + shift)
            }
            Origin::Record(r) => r.map.source_span(span),
        }
    }

    /// Where a span is: lines and columns in the source (inside the text for JSONL
    /// records), and file byte offsets.
    pub fn locate(&self, span: Span) -> Location {
        let display = self.display_span(span);
        let lines = self.display_lines();
        let source = self.display_source();
        Location {
            start: lines.line_col(source, display.start),
            end: lines.line_col(source, display.end),
            file_span: self.file_span(span),
        }
    }

    /// The text shown in report snippets: the markup source for HTML and Markdown, the
    /// text itself otherwise.
    pub fn display_source(&self) -> &str {
        match &self.origin {
            Origin::Extracted(x) => &x.source,
            _ => &self.text,
        }
    }

    /// The line index of `display_source()`.
    pub fn display_lines(&self) -> &LineIndex {
        match &self.origin {
            Origin::Extracted(x) => &x.source_lines,
            _ => &self.lines,
        }
    }

    /// A text span in `display_source()` coordinates.
    pub fn display_span(&self, span: Span) -> Span {
        match &self.origin {
            Origin::Extracted(x) => x.map.source_span(span),
            _ => span,
        }
    }

    /// Why fixes cannot be applied to this document's file, if they cannot at all.
    pub fn fix_refusal(&self) -> Option<&str> {
        self.fix_refusal.as_deref()
    }

    /// A text edit as an edit of the file's bytes (replacement escaped for the format),
    /// or `None` when it cannot be made without touching markup.
    pub fn file_edit(&self, span: Span, replacement: &str) -> Option<(Span, String)> {
        if self.fix_refusal().is_some() {
            return None;
        }
        match &self.origin {
            Origin::Plain { .. } => Some((self.file_span(span), replacement.to_owned())),
            Origin::Extracted(x) => {
                if !x.map.is_contiguous(span) {
                    return None;
                }
                let replacement = match x.escape {
                    Escape::Html => html::escape_text(replacement),
                    Escape::None => replacement.to_owned(),
                };
                Some((self.file_span(span), replacement))
            }
            Origin::Record(r) => r
                .map
                .is_contiguous(span)
                .then(|| (self.file_span(span), jsonl::escape_json_text(replacement))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_lines(text: &str) -> Vec<(usize, usize)> {
        Document::from_text("t", text)
            .blocks()
            .iter()
            .map(|b| (b.first_line + 1, b.last_line + 1))
            .collect()
    }

    #[test]
    fn scraped_text_makes_every_line_a_block() {
        let text = "Title\nShare this\n\nOne.\n\nTwo.\n\nThree.\n\nFour.\nMore\n\nFive.\n";
        assert_eq!(
            block_lines(text),
            vec![
                (1, 1),
                (2, 2),
                (4, 4),
                (6, 6),
                (8, 8),
                (10, 10),
                (11, 11),
                (13, 13)
            ]
        );
    }

    #[test]
    fn hard_wrapped_prose_keeps_paragraphs_together() {
        let text = "First line\nof one paragraph.\n\nSecond\nparagraph\nhere.\n \nThird\none.\n";
        assert_eq!(block_lines(text), vec![(1, 2), (4, 6), (8, 9)]);
    }

    #[test]
    fn text_without_blank_lines_is_one_block_per_line() {
        assert_eq!(block_lines("a\nb\nc"), vec![(1, 1), (2, 2), (3, 3)]);
    }

    #[test]
    fn empty_and_blank_texts_have_no_blocks() {
        assert!(block_lines("").is_empty());
        assert!(block_lines("\r\r\r").is_empty());
        assert!(block_lines(" \u{a0}\n\t\n").is_empty());
    }

    #[test]
    fn block_spans_cover_the_lines_without_terminators() {
        let doc = Document::from_text("t", "a b\r\n\r\ncd\r\n");
        let spans: Vec<&str> = doc.blocks().iter().map(|b| doc.slice(b.span)).collect();
        assert_eq!(spans, vec!["a b", "cd"]);
    }

    #[test]
    fn tokens_in_a_span_are_found_by_binary_search() {
        let doc = Document::from_text("t", "one two three four");
        let words: Vec<&str> = doc
            .tokens_in(Span::new(4, 13))
            .iter()
            .map(|t| doc.slice(t.span))
            .collect();
        assert_eq!(words, vec!["two", "three"]);
    }
}

//! Maps offsets in a document's extracted text back to offsets in its source (HTML,
//! Markdown, a JSON string literal), so diagnostics point at the source and fixes edit it.

use super::Span;

/// One run of the text and the source it came from. A verbatim run is byte-for-byte the
/// same in both (so offsets inside it map linearly); any other run (an entity `&amp;`, a
/// JSON escape `\n`, collapsed whitespace, a synthetic paragraph break) maps as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    text_start: usize,
    text_end: usize,
    source_start: usize,
    source_end: usize,
    verbatim: bool,
}

/// Text → source offsets, built by a reader while it extracts the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    segments: Vec<Segment>,
}

impl SourceMap {
    pub fn new() -> Self {
        SourceMap::default()
    }

    fn text_len(&self) -> usize {
        self.segments.last().map_or(0, |s| s.text_end)
    }

    fn push(&mut self, text_len: usize, source: Span, verbatim: bool) {
        let text_start = self.text_len();
        if let Some(last) = self.segments.last_mut()
            && verbatim
            && last.verbatim
            && last.source_end == source.start
        {
            last.text_end += text_len;
            last.source_end = source.end;
            return;
        }
        self.segments.push(Segment {
            text_start,
            text_end: text_start + text_len,
            source_start: source.start,
            source_end: source.end,
            verbatim,
        });
    }

    /// Appends `piece`, copied unchanged from `source_start` in the source, to `text`.
    pub fn push_verbatim(&mut self, text: &mut String, piece: &str, source_start: usize) {
        debug_assert_eq!(text.len(), self.text_len());
        text.push_str(piece);
        self.push(
            piece.len(),
            Span::new(source_start, source_start + piece.len()),
            true,
        );
    }

    /// Appends `piece`, which stands for the source bytes `source` (an entity, an escape,
    /// collapsed whitespace; an empty `source` for text the reader made up).
    pub fn push_mapped(&mut self, text: &mut String, piece: &str, source: Span) {
        debug_assert_eq!(text.len(), self.text_len());
        text.push_str(piece);
        self.push(piece.len(), source, false);
    }

    /// Removes the last `len` bytes of text, which must lie in the last segment (a reader
    /// trimming a trailing space it already wrote).
    pub fn pop(&mut self, text: &mut String, len: usize) {
        let Some(last) = self.segments.last_mut() else {
            return;
        };
        let len = len.min(last.text_end - last.text_start);
        text.truncate(text.len() - len);
        last.text_end -= len;
        if last.verbatim {
            last.source_end -= len;
        }
        if last.text_end == last.text_start {
            self.segments.pop();
        }
    }

    /// The segment index that holds text offset `offset` as a start (the segment it
    /// begins or lies in).
    fn find_start(&self, offset: usize) -> Option<usize> {
        let i = self.segments.partition_point(|s| s.text_end <= offset);
        (i < self.segments.len()).then_some(i)
    }

    /// Source offset for a span that starts at text offset `offset`.
    pub fn source_start(&self, offset: usize) -> usize {
        match self.find_start(offset) {
            Some(i) => {
                let s = self.segments[i];
                if s.verbatim {
                    s.source_start + (offset - s.text_start).min(s.source_end - s.source_start)
                } else {
                    s.source_start
                }
            }
            None => self.segments.last().map_or(offset, |s| s.source_end),
        }
    }

    /// Source offset for a span that ends at text offset `offset` (exclusive).
    pub fn source_end(&self, offset: usize) -> usize {
        let i = self.segments.partition_point(|s| s.text_end < offset);
        match self.segments.get(i) {
            Some(s) if offset > s.text_start => {
                if s.verbatim {
                    s.source_start + (offset - s.text_start)
                } else {
                    s.source_end
                }
            }
            Some(s) => s.source_start,
            None => self.segments.last().map_or(offset, |s| s.source_end),
        }
    }

    /// The source span of a text span.
    pub fn source_span(&self, span: Span) -> Span {
        let start = self.source_start(span.start);
        let end = self.source_end(span.end).max(start);
        Span::new(start, end)
    }

    /// Whether the text span comes from one unbroken stretch of the source: every byte of
    /// the source range is accounted for by the text, so replacing the source range
    /// changes nothing but what the span shows (no markup in between).
    pub fn is_contiguous(&self, span: Span) -> bool {
        if span.is_empty() {
            return true;
        }
        let Some(first) = self.find_start(span.start) else {
            return false;
        };
        let mut prev_end: Option<usize> = None;
        for s in self.segments[first..]
            .iter()
            .take_while(|s| s.text_start < span.end)
        {
            if let Some(end) = prev_end
                && end != s.source_start
            {
                return false;
            }
            // A run that the reader made up (a paragraph break) has no source to edit.
            if s.source_start == s.source_end && s.text_end > s.text_start {
                return false;
            }
            prev_end = Some(s.source_end);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `<p>Tom &amp; Jerry</p><p>Next</p>` as an HTML reader would map it.
    fn html_like() -> (String, SourceMap) {
        let mut text = String::new();
        let mut map = SourceMap::new();
        map.push_verbatim(&mut text, "Tom ", 3);
        map.push_mapped(&mut text, "&", Span::new(7, 12));
        map.push_verbatim(&mut text, " Jerry", 12);
        map.push_mapped(&mut text, "\n\n", Span::new(22, 22));
        map.push_verbatim(&mut text, "Next", 25);
        (text, map)
    }

    #[test]
    fn verbatim_runs_map_linearly_and_entities_as_a_whole() {
        let (text, map) = html_like();
        assert_eq!(text, "Tom & Jerry\n\nNext");
        assert_eq!(map.source_span(Span::new(0, 3)), Span::new(3, 6));
        assert_eq!(map.source_span(Span::new(4, 5)), Span::new(7, 12));
        assert_eq!(map.source_span(Span::new(6, 11)), Span::new(13, 18));
        assert_eq!(map.source_span(Span::new(13, 17)), Span::new(25, 29));
    }

    #[test]
    fn adjacent_verbatim_runs_are_merged() {
        let mut text = String::new();
        let mut map = SourceMap::new();
        map.push_verbatim(&mut text, "ab", 10);
        map.push_verbatim(&mut text, "cd", 12);
        assert_eq!(map.segments.len(), 1);
    }

    #[test]
    fn spans_across_markup_or_synthetic_breaks_are_not_contiguous() {
        let (_, map) = html_like();
        assert!(map.is_contiguous(Span::new(0, 11)));
        assert!(!map.is_contiguous(Span::new(0, 17)));
        assert!(!map.is_contiguous(Span::new(11, 13)));
    }

    #[test]
    fn popping_a_trailing_space_shrinks_the_last_segment() {
        let mut text = String::new();
        let mut map = SourceMap::new();
        map.push_verbatim(&mut text, "word ", 0);
        map.pop(&mut text, 1);
        assert_eq!(text, "word");
        assert_eq!(map.source_span(Span::new(0, 4)), Span::new(0, 4));
    }

    #[test]
    fn offsets_past_the_end_clamp_to_the_source_end() {
        let (_, map) = html_like();
        assert_eq!(map.source_start(100), 29);
        assert_eq!(map.source_end(100), 29);
    }
}

//! `--format human`: miette's graphical reports, with the document's line index as the
//! `SourceCode` (miette's own impl for `str` rescans the text from the start for every
//! label, which is quadratic on long files with many findings).

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::Reporter;
use crate::document::{Document, LineIndex, Span, ceil_char_boundary, floor_char_boundary};
use crate::rules::{Diagnostic, Severity};

/// Context beyond this many bytes is dropped, and a single long line is shown as a
/// window of `WINDOW` bytes each side of the span: a scraped paragraph or a 50 MB line
/// must not be printed whole for every finding.
const MAX_SNIPPET: usize = 2048;
const WINDOW: usize = 160;

pub struct Human {
    pub color: bool,
    pub width: usize,
}

impl Human {
    fn handler(&self) -> GraphicalReportHandler {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        GraphicalReportHandler::new_themed(theme)
            .with_links(false)
            .with_width(self.width)
            .with_context_lines(1)
    }
}

impl Reporter for Human {
    fn render(&self, doc: &Document, diagnostics: &[Diagnostic]) -> String {
        let handler = self.handler();
        let source = DocSource {
            name: doc.display_name(),
            text: doc.display_source(),
            lines: doc.display_lines(),
        };
        let mut out = String::new();
        for d in diagnostics {
            let report = Report {
                d,
                doc,
                source: &source,
            };
            if handler.render_report(&mut out, &report).is_err() {
                // A report miette could not lay out still gets its one-line form.
                let pos = doc.locate(d.span).start;
                out.push_str(&format!(
                    "{}:{}:{}: {}[{}] {}\n",
                    source.name, pos.line, pos.column, d.severity, d.rule, d.message
                ));
            }
            out.push('\n');
        }
        out
    }
}

/// Renders any error (config, pack, unreadable input) the same way as findings.
pub fn render_error(error: &dyn miette::Diagnostic, color: bool, width: usize) -> String {
    let handler = Human { color, width }.handler();
    let mut out = String::new();
    if handler.render_report(&mut out, error).is_err() {
        out = format!("error: {error}\n");
    }
    out
}

struct Report<'a> {
    d: &'a Diagnostic,
    doc: &'a Document,
    source: &'a DocSource<'a>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.d, f)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for Report<'_> {}

impl Report<'_> {
    /// A text span as a span of the snippet source.
    fn source_span(&self, span: Span) -> SourceSpan {
        let span = self.doc.display_span(span);
        (span.start, span.len()).into()
    }
}

impl miette::Diagnostic for Report<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.d.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.d
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = LabeledSpan::new_primary_with_span(None, self.source_span(self.d.span));
        let rest =
            self.d.labels.iter().map(|l| {
                LabeledSpan::new_with_span(Some(l.message.clone()), self.source_span(l.span))
            });
        Some(Box::new(std::iter::once(primary).chain(rest)))
    }
}

/// A document's snippet source as miette source code: snippets are cut with the line
/// index.
struct DocSource<'a> {
    name: String,
    text: &'a str,
    lines: &'a LineIndex,
}

impl SourceCode for DocSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.text;
        let lines = self.lines;
        let start = span.offset();
        let end = start
            .checked_add(span.len())
            .ok_or(MietteError::OutOfBounds)?;
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let (start, end) = (
            floor_char_boundary(text, start),
            ceil_char_boundary(text, end),
        );
        let first = lines.line_of(start);
        let last = lines.line_of(end.saturating_sub(1).max(start));
        let name = self.name.clone();

        if before == 0 && after == 0 {
            // miette reads the bare span for the `[file:line:col]` header.
            let pos = lines.line_col(text, start);
            let data = &text.as_bytes()[start..end];
            return Ok(Box::new(MietteSpanContents::new_named(
                name,
                data,
                (start, end - start).into(),
                pos.line - 1,
                pos.column - 1,
                last - first + 1,
            )));
        }

        let line_start = |i: usize| lines.line_span(text, i).map_or(0, |l| l.start);
        let line_end = |i: usize| lines.line_span(text, i).map_or(text.len(), |l| l.end);
        let mut ctx_first = first.saturating_sub(before);
        let mut ctx_last = (last + after).min(lines.len().saturating_sub(1));
        if line_end(ctx_last).saturating_sub(line_start(ctx_first)) > MAX_SNIPPET {
            ctx_first = first;
            ctx_last = last;
        }
        let mut from = line_start(ctx_first);
        let mut to = line_end(ctx_last).max(end);
        let mut column = 0;
        if first == last && to - from > MAX_SNIPPET {
            // One long line: show a window around the span, with the true column.
            from = floor_char_boundary(text, start.saturating_sub(WINDOW).max(from));
            to = ceil_char_boundary(text, (end + WINDOW).min(to));
            column = lines.line_col(text, from).column - 1;
        }
        Ok(Box::new(MietteSpanContents::new_named(
            name,
            &text.as_bytes()[from..to],
            (from, to - from).into(),
            ctx_first,
            column,
            ctx_last - ctx_first + 1,
        )))
    }
}

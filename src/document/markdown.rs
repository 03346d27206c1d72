//! The Markdown reader: prose only. pulldown-cmark's offset iterator gives every event
//! its source range. Headings, paragraphs, list items, table cells and block quotes are
//! blocks; code blocks, HTML blocks and front matter are not text; inline code becomes
//! U+FFFC (an object, not a word) so the words around it stay apart; link and image
//! destinations are not text, their link text and alt text are.

use std::path::PathBuf;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::builder::TextBuilder;
use super::{BlockKind, Document, Escape, Extracted, Format, LineIndex, Origin, Span};
use crate::error::ReadError;

/// Stands in for inline code: not a letter, not a space, not an invisible character.
pub const PLACEHOLDER: &str = "\u{FFFC}";

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
}

fn tag_kind(tag: &Tag<'_>) -> Option<BlockKind> {
    Some(match tag {
        Tag::Paragraph => BlockKind::Paragraph,
        Tag::Heading { .. } => BlockKind::Heading,
        Tag::Item | Tag::DefinitionListTitle | Tag::DefinitionListDefinition => BlockKind::ListItem,
        Tag::TableCell => BlockKind::TableCell,
        Tag::BlockQuote(_) => BlockKind::Quote,
        Tag::FootnoteDefinition(_)
        | Tag::List(_)
        | Tag::Table(_)
        | Tag::TableHead
        | Tag::TableRow => BlockKind::Paragraph,
        _ => return None,
    })
}

fn end_is_block(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::Item
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::TableCell
            | TagEnd::BlockQuote(_)
            | TagEnd::FootnoteDefinition
            | TagEnd::List(_)
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
    )
}

/// Reads Markdown (a UTF-8 BOM is skipped; offsets keep counting it).
pub fn read(name: &str, path: Option<PathBuf>, bytes: Vec<u8>) -> Result<Document, ReadError> {
    // Markdown is text: the same checks as the plain-text reader.
    let plain = super::text::read(name, path.clone(), bytes)?;
    let bom = plain.file_span(Span::new(0, 0)).start;
    let source = plain.text().to_owned();
    drop(plain);
    let (text, map, blocks, directives) = extract(&source);
    let source_lines = LineIndex::new(&source);
    let origin = Origin::Extracted(Box::new(Extracted {
        source,
        source_lines,
        map,
        file_shift: Some(bom),
        escape: Escape::None,
    }));
    Ok(
        Document::new(name.to_owned(), path, Format::Markdown, text, origin)
            .with_blocks(blocks)
            .with_directives(directives),
    )
}

type Prose = (
    String,
    super::SourceMap,
    Vec<super::Block>,
    Vec<super::directives::Directive>,
);

fn extract(source: &str) -> Prose {
    let mut b = TextBuilder::default();
    let mut directives = Vec::new();
    let mut kinds: Vec<BlockKind> = Vec::new();
    // Inside code blocks, HTML blocks and front matter nothing is prose.
    let mut hidden = 0usize;
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        let span = Span::new(range.start, range.end);
        match event {
            Event::Start(tag) => {
                if matches!(
                    tag,
                    Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_)
                ) {
                    hidden += 1;
                    b.block_break(span.start, BlockKind::Preformatted);
                } else if let Some(kind) = tag_kind(&tag) {
                    kinds.push(kind);
                    b.block_break(span.start, kind);
                }
            }
            Event::End(tag) => {
                if matches!(
                    tag,
                    TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_)
                ) {
                    hidden = hidden.saturating_sub(1);
                    b.block_break(
                        span.end,
                        kinds.last().copied().unwrap_or(BlockKind::Paragraph),
                    );
                } else if end_is_block(&tag) {
                    kinds.pop();
                    b.block_break(
                        span.end,
                        kinds.last().copied().unwrap_or(BlockKind::Paragraph),
                    );
                }
            }
            Event::Text(text) if hidden == 0 => match source.get(span.range()) {
                Some(raw) if raw == text.as_ref() => b.verbatim(raw, span.start),
                _ => b.mapped(&text, span),
            },
            Event::Code(_) | Event::InlineMath(_) | Event::FootnoteReference(_) if hidden == 0 => {
                b.mapped(PLACEHOLDER, span);
            }
            Event::SoftBreak if hidden == 0 => b.mapped("\n", span),
            Event::HardBreak if hidden == 0 => b.line_break(span.start),
            Event::Rule => b.block_break(span.start, BlockKind::Paragraph),
            Event::Html(html) | Event::InlineHtml(html) => {
                for (comment, start, end) in super::directives::comments(&html) {
                    let at = Span::new(span.start + start, span.start + end);
                    directives.extend(super::directives::parse(comment, at, b.text.len()));
                }
            }
            _ => {}
        }
    }
    let (text, map, blocks) = b.finish();
    (text, map, blocks, directives)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(md: &str) -> Document {
        read("t.md", None, md.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn prose_only_in_blocks() {
        let md = "---\ntitle: x\n---\n# Title\n\nSome *em* text with `code` and a [link](http://x.y).\n\n```\nlet x = 1;\n```\n\n- item one\n- item two\n\n<div>html</div>\n";
        let d = doc(md);
        assert_eq!(
            d.text(),
            "Title\n\nSome em text with \u{FFFC} and a link.\n\nitem one\n\nitem two"
        );
        let kinds: Vec<BlockKind> = d.blocks().iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            vec![
                BlockKind::Heading,
                BlockKind::Paragraph,
                BlockKind::ListItem,
                BlockKind::ListItem
            ]
        );
    }

    #[test]
    fn positions_are_in_the_markdown_source() {
        let md = "# Head\n\nA line with  two spaces.\n";
        let d = doc(md);
        let at = d.text().find("  ").unwrap();
        let loc = d.locate(Span::new(at, at + 2));
        assert_eq!((loc.start.line, loc.start.column), (3, 12));
        assert_eq!(&md[loc.file_span.range()], "  ");
    }

    #[test]
    fn soft_breaks_keep_the_source_lines() {
        let d = doc("one\ntwo\n");
        assert_eq!(d.text(), "one\ntwo");
        assert_eq!(d.locate(Span::new(4, 7)).start.line, 2);
    }

    #[test]
    fn escapes_and_entities_map_as_a_whole() {
        let md = "a \\* b &amp; c\n";
        let d = doc(md);
        assert_eq!(d.text(), "a * b & c");
        let amp = d.text().find('&').unwrap();
        assert_eq!(
            &md[d.locate(Span::new(amp, amp + 1)).file_span.range()],
            "&amp;"
        );
    }

    #[test]
    fn empty_and_odd_markdown_does_not_fail() {
        assert_eq!(doc("").text(), "");
        assert_eq!(doc("```\nunclosed").text(), "");
        assert_eq!(doc("> quote\n> more").text(), "quote\nmore");
    }
}

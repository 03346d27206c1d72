//! The HTML reader: the visible text of a page, as a browser would lay it out in blocks,
//! with every text offset mapped back to its byte in the source.
//!
//! lol_html tokenizes the page as a stream (fast, and every token carries its byte range
//! in the source, which html5ever's tree builder does not give). Block elements start
//! new blocks, `<br>` a new line; `script`, `style`, `noscript`, `template`, `head`,
//! `svg`, `math`, form controls and embedded objects are skipped, as are comments;
//! entities are decoded; whitespace collapses as HTML renders it (a no-break space does
//! not collapse: a trailing `&nbsp;` stays a defect to report).

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

use encoding_rs::Encoding;
use lol_html::html_content::TextType;
use lol_html::{HtmlRewriter, Settings, doc_comments, doc_text, element, end_tag};

use super::builder::TextBuilder;
use super::{BlockKind, Document, Escape, Extracted, Format, LineIndex, Origin, Span};
use crate::error::ReadError;

/// Elements whose content is not shown.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "svg", "math", "select",
    "datalist", "textarea", "object", "embed", "canvas", "audio", "video", "iframe", "noembed",
    "noframes",
];

/// Elements that start and end a block of text.
fn block_kind(tag: &str) -> Option<BlockKind> {
    Some(match tag {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => BlockKind::Heading,
        "li" | "dt" | "dd" => BlockKind::ListItem,
        "figcaption" | "caption" => BlockKind::Caption,
        "blockquote" => BlockKind::Quote,
        "td" | "th" => BlockKind::TableCell,
        "pre" | "listing" | "xmp" => BlockKind::Preformatted,
        "p" | "div" | "address" | "article" | "aside" | "body" | "center" | "details"
        | "dialog" | "dir" | "dl" | "fieldset" | "figure" | "footer" | "form" | "header"
        | "hgroup" | "hr" | "html" | "legend" | "main" | "menu" | "nav" | "ol" | "section"
        | "summary" | "table" | "tbody" | "tfoot" | "thead" | "tr" | "ul" | "option"
        | "optgroup" | "frameset" => BlockKind::Paragraph,
        _ => return None,
    })
}

/// Escapes text for an HTML text node.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[derive(Default)]
struct State {
    b: TextBuilder,
    /// Open skipped elements.
    skip: usize,
    /// Open `pre`-like elements: whitespace is kept.
    pre: usize,
    /// Kinds of the open block elements, innermost last.
    kinds: Vec<BlockKind>,
    /// An inline tag was crossed since the last text: a word that continues here was
    /// joined across an element boundary.
    inline_edge: bool,
    joins: Vec<usize>,
    directives: Vec<super::directives::Directive>,
    /// Open elements, innermost last, each with the number its end tag closes it by
    /// (increasing) and the landmark it opens, if any (see `Landmark`).
    open: Vec<(u32, Option<Landmark>)>,
    opened: u32,
    /// How many of the open elements open a landmark or section.
    sections_open: usize,
    /// Open chrome landmarks per open main content, the page itself first: kept as
    /// elements open and close, so that a deep page costs no scan per element.
    chrome_open: Vec<usize>,
    /// Where the outermost open chrome landmark's text starts.
    chrome_start: usize,
    landmarks: Vec<Span>,
    /// The raw text node being collected (lol_html may split it into chunks, even
    /// inside an entity).
    node: String,
    node_start: usize,
}

/// What an element is to `Document::in_landmark`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Landmark {
    /// The page's chrome: navigation, complementary, search, dialog, and the page-wide
    /// banner and content info.
    Chrome,
    /// An article or section: a `header` or `footer` inside it is the section's own,
    /// not the page's banner or content info (ARIA in HTML).
    Section,
    /// The main content: a section, and never chrome, even inside a chrome landmark
    /// that a malformed page left open (`<aside>` never closed before `<main>`).
    Main,
}

/// The landmark an element opens, from its ARIA role if it has a known one, else from
/// its tag. `inside_section`: a sectioning element is open around it.
fn landmark(tag: &str, role: Option<&str>, inside_section: bool) -> Option<Landmark> {
    let role = role.and_then(|r| r.split_ascii_whitespace().next());
    match role.map(str::to_ascii_lowercase).as_deref() {
        Some(
            "navigation" | "complementary" | "search" | "dialog" | "alertdialog" | "banner"
            | "contentinfo",
        ) => return Some(Landmark::Chrome),
        Some("main") => return Some(Landmark::Main),
        Some("article" | "region") => return Some(Landmark::Section),
        _ => {}
    }
    match tag {
        "nav" | "aside" | "dialog" | "search" => Some(Landmark::Chrome),
        "header" | "footer" if !inside_section => Some(Landmark::Chrome),
        "main" => Some(Landmark::Main),
        "article" | "section" => Some(Landmark::Section),
        _ => None,
    }
}

impl State {
    /// Open chrome landmarks inside the innermost open main content.
    fn chrome_depth(&self) -> usize {
        self.chrome_open.last().copied().unwrap_or(0)
    }

    /// Called after `start_tag` for an element with content: the number its end tag
    /// closes it by.
    fn open_element(&mut self, tag: &str, role: Option<&str>) -> u32 {
        let kind = landmark(tag, role, self.sections_open > 0);
        let was_chrome = self.chrome_depth() > 0;
        if self.chrome_open.is_empty() {
            self.chrome_open.push(0);
        }
        match kind {
            Some(Landmark::Chrome) => {
                if let Some(n) = self.chrome_open.last_mut() {
                    *n += 1;
                }
            }
            Some(Landmark::Main) => self.chrome_open.push(0),
            _ => {}
        }
        self.sections_open += usize::from(kind.is_some());
        self.opened += 1;
        self.open.push((self.opened, kind));
        self.chrome_edge(was_chrome);
        self.opened
    }

    /// Starts or ends a chrome region where the text enters or leaves chrome.
    fn chrome_edge(&mut self, was_chrome: bool) {
        match (was_chrome, self.chrome_depth() > 0) {
            (false, true) => self.chrome_start = self.b.text.len(),
            (true, false) => self.end_chrome(),
            _ => {}
        }
    }

    /// Called after `end_tag` of the element `open_element` numbered `id`: closes it,
    /// and the elements left open inside it, as a browser does (an `<aside>` never
    /// closed ends with its parent). By number, not by tag name: the end of an inner
    /// `div` must not close a `div role="main"` around it.
    fn close_element(&mut self, id: u32) {
        let Ok(at) = self.open.binary_search_by_key(&id, |(n, _)| *n) else {
            return;
        };
        let was_chrome = self.chrome_depth() > 0;
        while self.open.len() > at {
            let Some((_, kind)) = self.open.pop() else {
                break;
            };
            match kind {
                Some(Landmark::Chrome) => {
                    if let Some(n) = self.chrome_open.last_mut() {
                        *n = n.saturating_sub(1);
                    }
                }
                Some(Landmark::Main) => {
                    self.chrome_open.pop();
                }
                _ => {}
            }
            self.sections_open -= usize::from(kind.is_some());
        }
        self.chrome_edge(was_chrome);
    }

    fn end_chrome(&mut self) {
        let span = Span::new(self.chrome_start, self.b.text.len());
        if !span.is_empty() {
            self.landmarks.push(span);
        }
    }

    fn kind(&self) -> BlockKind {
        self.kinds.last().copied().unwrap_or(BlockKind::Paragraph)
    }

    fn start_tag(&mut self, tag: &str, at: usize, has_content: bool) {
        self.flush_node();
        if SKIPPED.contains(&tag) {
            if has_content {
                self.skip += 1;
            }
            return;
        }
        if tag == "br" {
            self.b.line_break(at);
            self.inline_edge = false;
        } else if let Some(kind) = block_kind(tag) {
            if has_content {
                self.kinds.push(kind);
                if kind == BlockKind::Preformatted {
                    self.pre += 1;
                }
            }
            self.b.block_break(at, self.kind());
            self.inline_edge = false;
        } else {
            self.inline_edge = true;
        }
    }

    fn end_tag(&mut self, tag: &str, at: usize) {
        self.flush_node();
        if SKIPPED.contains(&tag) {
            self.skip = self.skip.saturating_sub(1);
        } else if let Some(kind) = block_kind(tag) {
            self.kinds.pop();
            if kind == BlockKind::Preformatted {
                self.pre = self.pre.saturating_sub(1);
            }
            self.b.block_break(at, self.kind());
            self.inline_edge = false;
        } else {
            self.inline_edge = true;
        }
    }

    fn comment(&mut self, text: &str, span: Span) {
        self.flush_node();
        if let Some(d) = super::directives::parse(text, span, self.b.text.len()) {
            self.directives.push(d);
        }
    }

    fn chunk(&mut self, text: &str, text_type: TextType, at: usize, last: bool) {
        if self.skip > 0 || !matches!(text_type, TextType::Data) {
            return;
        }
        if self.node.is_empty() {
            self.node_start = at;
        }
        self.node.push_str(text);
        if last {
            self.flush_node();
        }
    }

    /// Decodes the collected text node into the builder.
    fn flush_node(&mut self) {
        if self.node.is_empty() {
            return;
        }
        let node = std::mem::take(&mut self.node);
        let base = self.node_start;
        let bytes = node.as_bytes();
        let mut i = 0;
        while i < node.len() {
            let c = bytes[i];
            if is_html_space(c) && self.pre == 0 {
                let mut j = i + 1;
                while j < node.len() && is_html_space(bytes[j]) {
                    j += 1;
                }
                self.b.space(Span::new(base + i, base + j));
                i = j;
            } else if c == b'&' {
                match decode_entity(&node[i..]) {
                    Some((decoded, len)) => {
                        self.note_join(&decoded);
                        self.b
                            .mapped(decoded.as_str(), Span::new(base + i, base + i + len));
                        i += len;
                    }
                    None => {
                        self.note_join("&");
                        self.b.verbatim("&", base + i);
                        i += 1;
                    }
                }
            } else {
                let mut j = i + 1;
                while j < node.len()
                    && bytes[j] != b'&'
                    && (self.pre > 0 || !is_html_space(bytes[j]))
                {
                    j += 1;
                }
                let piece = &node[i..j];
                self.note_join(piece);
                self.b.verbatim(piece, base + i);
                i = j;
            }
        }
    }

    /// Records `piece`'s start as an inline join when it continues a word across a tag.
    fn note_join(&mut self, piece: &str) {
        if std::mem::take(&mut self.inline_edge)
            && self.b.last_char().is_some_and(char::is_alphabetic)
            && piece.chars().next().is_some_and(char::is_alphabetic)
        {
            self.joins.push(self.b.text.len());
        }
    }
}

fn is_html_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0C)
}

/// Decodes the character reference at the start of `s` (`&amp;`, `&#8217;`, `&#x2014;`),
/// returning the text and how many source bytes it used.
pub fn decode_entity(s: &str) -> Option<(String, usize)> {
    let rest = s.strip_prefix('&')?;
    if let Some(num) = rest.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (num, 10, 1),
        };
        let len = digits
            .bytes()
            .take_while(|b| (*b as char).is_digit(radix))
            .count();
        if len == 0 || len > 8 {
            return None;
        }
        let value = u32::from_str_radix(&digits[..len], radix).ok()?;
        let semicolon = usize::from(digits.as_bytes().get(len) == Some(&b';'));
        let c = windows_1252_c1(value)
            .or_else(|| char::from_u32(value))
            .unwrap_or('\u{FFFD}');
        let c = if value == 0 { '\u{FFFD}' } else { c };
        return Some((c.to_string(), 1 + skip + len + semicolon));
    }
    let name_len = rest
        .bytes()
        .take(40)
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    if name_len == 0 || rest.as_bytes().get(name_len) != Some(&b';') {
        return None;
    }
    let name = &rest.as_bytes()[..name_len];
    let index = html_escape::NAMED_ENTITIES
        .binary_search_by(|(n, _)| n.cmp(&name))
        .ok()?;
    Some((
        html_escape::NAMED_ENTITIES[index].1.to_owned(),
        name_len + 2,
    ))
}

/// Numeric references 128–159 mean Windows-1252 characters (HTML spec): `&#146;` is `’`.
fn windows_1252_c1(value: u32) -> Option<char> {
    if !(0x80..=0x9F).contains(&value) {
        return None;
    }
    let byte = [value as u8];
    let (decoded, _, _) = encoding_rs::WINDOWS_1252.decode(&byte);
    decoded
        .chars()
        .next()
        .filter(|c| !('\u{80}'..='\u{9F}').contains(c))
}

/// Decodes the bytes of an HTML file: a BOM wins; then UTF-8 if the bytes are valid
/// UTF-8; then the `<meta charset>` of the first 1024 bytes; then Windows-1252.
/// Returns the text, the BOM length and the encoding used if it was not UTF-8.
fn decode(bytes: Vec<u8>) -> (String, usize, Option<&'static Encoding>) {
    if let Some((encoding, bom)) = Encoding::for_bom(&bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        let text = text.into_owned();
        return if encoding == encoding_rs::UTF_8 {
            (text, bom, None)
        } else {
            (text, bom, Some(encoding))
        };
    }
    match String::from_utf8(bytes) {
        Ok(text) => (text, 0, None),
        Err(e) => {
            let bytes = e.into_bytes();
            let encoding = meta_charset(&bytes[..bytes.len().min(1024)])
                .filter(|e| *e != encoding_rs::UTF_8)
                .unwrap_or(encoding_rs::WINDOWS_1252);
            let (text, _) = encoding.decode_without_bom_handling(&bytes);
            (text.into_owned(), 0, Some(encoding))
        }
    }
}

/// The encoding named by `<meta charset=…>` or `<meta http-equiv content="…; charset=…">`.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
    let at = lower.find("charset=")? + "charset=".len();
    let value: String = lower[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    Encoding::for_label(value.as_bytes())
}

/// Reads an HTML page.
pub fn read(name: &str, path: Option<PathBuf>, bytes: Vec<u8>) -> Result<Document, ReadError> {
    if let Some(offset) =
        memchr::memchr(0, &bytes[..bytes.len().min(super::text::BINARY_SNIFF_LEN)])
    {
        return Err(ReadError::Binary {
            path: name.into(),
            offset,
        });
    }
    let (source, bom, encoding) = decode(bytes);
    let state = Rc::new(RefCell::new(State::default()));
    let (on_element, on_text, on_comment) =
        (Rc::clone(&state), Rc::clone(&state), Rc::clone(&state));
    let mut rewriter = HtmlRewriter::new(
        Settings::new()
            .append_element_content_handler(element!("*", move |el| {
                let tag = el.tag_name();
                let at = el.source_location().bytes().start;
                let has_content = el.can_have_content();
                on_element.borrow_mut().start_tag(&tag, at, has_content);
                if has_content {
                    let role = el.get_attribute("role");
                    let id = on_element.borrow_mut().open_element(&tag, role.as_deref());
                    let on_end = Rc::clone(&on_element);
                    let name = tag.clone();
                    el.on_end_tag(end_tag!(move |end| {
                        let mut state = on_end.borrow_mut();
                        state.end_tag(&name, end.source_location().bytes().start);
                        state.close_element(id);
                        Ok(())
                    }))?;
                }
                Ok(())
            }))
            .append_document_content_handler(doc_comments!(move |c| {
                let at = c.source_location().bytes();
                on_comment
                    .borrow_mut()
                    .comment(&c.text(), Span::new(at.start, at.end));
                Ok(())
            }))
            .append_document_content_handler(doc_text!(move |chunk| {
                let at = chunk.source_location().bytes().start;
                on_text.borrow_mut().chunk(
                    chunk.as_str(),
                    chunk.text_type(),
                    at,
                    chunk.last_in_text_node(),
                );
                Ok(())
            })),
        |_: &[u8]| {},
    );
    let parsed = rewriter
        .write(source.as_bytes())
        .and_then(|()| rewriter.end());
    if let Err(e) = parsed {
        return Err(ReadError::Other {
            path: name.into(),
            message: format!("cannot parse HTML: {e}"),
        });
    }
    let state = Rc::try_unwrap(state)
        .map(RefCell::into_inner)
        .map_err(|_| ReadError::Other {
            path: name.into(),
            message: "internal error: HTML reader state still shared".into(),
        })?;
    let mut state = state;
    state.flush_node();
    // A chrome landmark left open runs to the end of the page.
    if state.chrome_depth() > 0 {
        state.end_chrome();
    }
    let landmarks = std::mem::take(&mut state.landmarks);
    let (text, map, blocks) = state.b.finish();
    // Trailing whitespace the builder dropped at the end may have been counted in.
    let landmarks: Vec<Span> = landmarks
        .into_iter()
        .map(|l| Span::new(l.start, l.end.min(text.len())))
        .filter(|l| !l.is_empty())
        .collect();
    let source_lines = LineIndex::new(&source);
    let origin = Origin::Extracted(Box::new(Extracted {
        source,
        source_lines,
        map,
        file_shift: encoding.is_none().then_some(bom),
        escape: Escape::Html,
    }));
    let mut doc = Document::new(name.to_owned(), path, Format::Html, text, origin)
        .with_blocks(blocks)
        .with_inline_joins(state.joins)
        .with_landmarks(landmarks)
        .with_directives(state.directives);
    if let Some(e) = encoding {
        doc.refuse_fixes(format!(
            "the file is not UTF-8 (decoded as {}): fixes are refused, convert it to UTF-8 first",
            e.name()
        ));
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(html: &str) -> Document {
        read("t.html", None, html.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn blocks_inline_elements_and_entities() {
        let d = doc(
            "<html><head><title>T</title></head><body><h1>Title &amp; more</h1>\n<p>One <b>bold</b>\n   word.</p><p>Two<br>lines</p></body></html>",
        );
        assert_eq!(d.text(), "Title & more\n\nOne bold word.\n\nTwo\nlines");
        let kinds: Vec<BlockKind> = d.blocks().iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            vec![
                BlockKind::Heading,
                BlockKind::Paragraph,
                BlockKind::Paragraph
            ]
        );
    }

    #[test]
    fn scripts_styles_comments_and_templates_are_not_text() {
        let d = doc(
            "<p>a<script>if (a<b) x()</script><style>p{}</style><!-- c --><noscript>n</noscript><template>t</template>b</p>",
        );
        assert_eq!(d.text(), "ab");
    }

    #[test]
    fn positions_map_back_to_the_source() {
        let html = "<div>\n  <p>Caf&eacute; au lait&nbsp;</p>\n</div>";
        let d = doc(html);
        assert_eq!(d.text(), "Café au lait\u{a0}");
        let nbsp = d.text().find('\u{a0}').unwrap();
        let loc = d.locate(Span::new(nbsp, nbsp + 2));
        assert_eq!((loc.start.line, loc.start.column), (2, 25));
        assert_eq!(&html[loc.file_span.range()], "&nbsp;");
    }

    #[test]
    fn words_joined_across_an_inline_tag_are_recorded() {
        let d = doc("<p>The <a href=x>White House</a>is pushing, <i>not</i> joined.</p>");
        assert_eq!(d.text(), "The White Houseis pushing, not joined.");
        assert_eq!(d.inline_joins(), &[d.text().find("is p").unwrap()]);
    }

    #[test]
    fn numeric_references_in_the_c1_range_are_windows_1252() {
        assert_eq!(decode_entity("&#146;s"), Some(("’".to_owned(), 6)));
        assert_eq!(decode_entity("&#x2014;"), Some(("—".to_owned(), 8)));
        assert_eq!(decode_entity("&rsquo;"), Some(("’".to_owned(), 7)));
        assert_eq!(decode_entity("&nosuch;"), None);
        assert_eq!(decode_entity("& x"), None);
    }

    #[test]
    fn non_utf8_pages_are_decoded_and_refuse_fixes() {
        let d = read(
            "l.html",
            None,
            b"<meta charset=iso-8859-1><p>caf\xe9</p>".to_vec(),
        )
        .unwrap();
        assert_eq!(d.text(), "café");
        assert!(d.fix_refusal().is_some());
        assert_eq!(d.file_edit(Span::new(0, 1), "C"), None);
    }

    #[test]
    fn edits_inside_one_text_run_map_to_the_source_and_are_escaped() {
        let html = "<p>Tom &amp; Jerry</p><p>B</p>";
        let d = doc(html);
        let (span, replacement) = d.file_edit(Span::new(4, 5), "& co").unwrap();
        assert_eq!(&html[span.range()], "&amp;");
        assert_eq!(replacement, "&amp; co");
        // Across the paragraph break there is markup: no edit.
        assert_eq!(d.file_edit(Span::new(0, d.text().len()), ""), None);
    }

    #[test]
    fn unclosed_and_empty_html_do_not_fail() {
        assert_eq!(doc("").text(), "");
        assert_eq!(doc("<p>open <b>bold").text(), "open bold");
        assert_eq!(doc("<div><p>a<p>b</div>c").text(), "a\n\nb\n\nc");
    }

    /// The texts of the blocks `in_landmark` says are chrome.
    fn chrome(html: &str) -> Vec<String> {
        let d = doc(html);
        d.blocks()
            .iter()
            .filter(|b| d.in_landmark(b.span))
            .map(|b| d.slice(b.span).to_owned())
            .collect()
    }

    #[test]
    fn navigation_asides_dialogs_and_the_page_header_and_footer_are_chrome() {
        let page = "<body><header><a>Logo text</a><nav><ul><li>Home</li><li>News</li></ul></nav></header>\
            <main><article><header><h1>Title</h1></header><p>Body.</p>\
            <aside><p>Pull quote.</p></aside><footer><p>Tags: a, b</p></footer></article>\
            <section><div role=\"navigation\"><p>Section menu</p></div></section></main>\
            <div role=\"dialog\"><p>Sign up.</p></div><footer><p>Copyright.</p></footer></body>";
        assert_eq!(
            chrome(page),
            [
                "Logo text",
                "Home",
                "News",
                "Pull quote.",
                "Section menu",
                "Sign up.",
                "Copyright."
            ]
        );
        assert!(chrome("<p>Plain.</p><div><p>Page.</p></div>").is_empty());
    }

    #[test]
    fn an_inner_end_tag_closes_only_its_own_element() {
        // The end of an inner `div` does not end the `div role="main"` around it, so
        // the article's own header stays out of the chrome.
        let page = "<div role=\"main\"><div><p>Lead.</p></div><article>\
            <header><h1>Title</h1></header><p>Body.</p></article></div>";
        assert!(chrome(page).is_empty());
    }

    #[test]
    fn a_landmark_left_open_ends_with_its_parent_and_never_covers_main() {
        // As a browser builds it: the unclosed `aside` ends with its `div`.
        assert_eq!(
            chrome("<div><aside><p>Banner.</p></div><p>Body.</p>"),
            ["Banner."]
        );
        // Left open around the whole page: the main content is still not chrome.
        assert_eq!(
            chrome("<body><aside><p>Banner.</p><main><p>Body.</p></main><p>Tail.</p></body>"),
            ["Banner.", "Tail."]
        );
    }
}

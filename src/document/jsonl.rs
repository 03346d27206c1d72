//! The JSONL reader: one JSON object per line, one document per record (its text
//! field). The text's offsets map into the JSON string literal of the line, escapes
//! included, so findings carry true file offsets and fixes can rewrite the field.

use serde_json::value::RawValue;
use std::collections::BTreeMap;

use super::{Document, Format, Origin, Record, SourceMap, Span};
use crate::error::ReadError;

/// Which fields hold the text and the record id. Dotted paths reach into nested objects
/// (`meta.body`).
#[derive(Debug, Clone)]
pub struct Fields {
    pub text: String,
    /// `None`: `id`, else `url`, else the line number.
    pub id: Option<String>,
    /// A field whose string value the record keeps for grouping it (corpus mode: `url`).
    pub group: Option<String>,
}

impl Default for Fields {
    fn default() -> Self {
        Fields {
            text: "text".into(),
            id: None,
            group: None,
        }
    }
}

/// One line of a JSONL input.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    /// The file, as reports name it.
    pub file: &'a str,
    /// 1-based line number.
    pub number: usize,
    /// Byte offset of the line in the (decompressed) file.
    pub offset: usize,
    pub text: &'a str,
    /// Whether offsets are offsets into the file on disk (false for gzip input).
    pub editable: bool,
}

fn error(line: &Line<'_>, message: impl Into<String>) -> ReadError {
    ReadError::Other {
        path: format!("{}:{}", line.file, line.number),
        message: message.into(),
    }
}

type Object<'a> = BTreeMap<String, &'a RawValue>;

/// Finds `path` (dotted) in a parsed JSON object, as the raw JSON of the value.
fn lookup<'a>(object: &Object<'a>, path: &str) -> Option<&'a RawValue> {
    let mut keys = path.split('.');
    let mut value: &'a RawValue = object.get(keys.next()?).copied()?;
    for key in keys {
        let inner: Object<'a> = serde_json::from_str(value.get()).ok()?;
        value = inner.get(key).copied()?;
    }
    Some(value)
}

/// Reads one record. A blank line is `Ok(None)`.
pub fn read_record(line: Line<'_>, fields: &Fields) -> Result<Option<Document>, ReadError> {
    let raw = line.text.trim_end_matches(['\n', '\r']);
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let object: Object<'_> =
        serde_json::from_str(raw).map_err(|e| error(&line, format!("not a JSON object: {e}")))?;
    let field = lookup(&object, &fields.text)
        .ok_or_else(|| error(&line, format!("record has no `{}` field", fields.text)))?;
    let literal = field.get();
    if !literal.starts_with('"') {
        return Err(error(
            &line,
            format!("field `{}` is not a string", fields.text),
        ));
    }
    // The literal is a slice of `raw`: its position gives the file offset.
    let literal_at = literal.as_ptr() as usize - raw.as_ptr() as usize;
    let (text, map) = decode_string(literal, line.offset + literal_at).ok_or_else(|| {
        error(
            &line,
            format!("field `{}` is not a valid JSON string", fields.text),
        )
    })?;
    let id = record_id(&object, fields, line.number);
    let group = fields
        .group
        .as_deref()
        .and_then(|path| lookup(&object, path))
        .and_then(|value| match serde_json::from_str(value.get()) {
            Ok(serde_json::Value::String(s)) => Some(s),
            Ok(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        });
    let origin = Origin::Record(Box::new(Record {
        id,
        line: line.number,
        map,
        group,
    }));
    let mut doc = Document::new(line.file.to_owned(), None, Format::Jsonl, text, origin);
    if !line.editable {
        doc.refuse_fixes("compressed input cannot be fixed in place");
    }
    Ok(Some(doc))
}

fn record_id(object: &Object<'_>, fields: &Fields, number: usize) -> String {
    let candidates: Vec<&str> = match &fields.id {
        Some(id) => vec![id.as_str()],
        None => vec!["id", "url"],
    };
    for name in candidates {
        if let Some(value) = lookup(object, name) {
            match serde_json::from_str::<serde_json::Value>(value.get()) {
                Ok(serde_json::Value::String(s)) => return s,
                Ok(serde_json::Value::Number(n)) => return n.to_string(),
                _ => {}
            }
        }
    }
    format!("line{number}")
}

/// Decodes a JSON string literal (quotes included) at file offset `at`, mapping every
/// text offset to its bytes in the literal.
pub fn decode_string(literal: &str, at: usize) -> Option<(String, SourceMap)> {
    let inner = literal.strip_prefix('"')?.strip_suffix('"')?;
    let base = at + 1;
    let mut text = String::with_capacity(inner.len());
    let mut map = SourceMap::new();
    let bytes = inner.as_bytes();
    let mut i = 0;
    while i < inner.len() {
        let Some(offset) = memchr::memchr(b'\\', &bytes[i..]) else {
            map.push_verbatim(&mut text, &inner[i..], base + i);
            break;
        };
        let esc = i + offset;
        if esc > i {
            map.push_verbatim(&mut text, &inner[i..esc], base + i);
        }
        let (c, len) = match bytes.get(esc + 1)? {
            b'"' => ('"', 2),
            b'\\' => ('\\', 2),
            b'/' => ('/', 2),
            b'b' => ('\u{8}', 2),
            b'f' => ('\u{c}', 2),
            b'n' => ('\n', 2),
            b'r' => ('\r', 2),
            b't' => ('\t', 2),
            b'u' => {
                let high = u32::from_str_radix(inner.get(esc + 2..esc + 6)?, 16).ok()?;
                if (0xD800..0xDC00).contains(&high)
                    && inner.get(esc + 6..esc + 8) == Some("\\u")
                    && let Some(low) = inner
                        .get(esc + 8..esc + 12)
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                    && (0xDC00..0xE000).contains(&low)
                {
                    let c = char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))?;
                    (c, 12)
                } else {
                    (char::from_u32(high).unwrap_or('\u{FFFD}'), 6)
                }
            }
            _ => return None,
        };
        let mut buf = [0u8; 4];
        map.push_mapped(
            &mut text,
            c.encode_utf8(&mut buf),
            Span::new(base + esc, base + esc + len),
        );
        i = esc + len;
    }
    Some((text, map))
}

/// Escapes text for the inside of a JSON string literal.
pub fn escape_json_text(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap_or_default();
    quoted
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or_default()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> Line<'_> {
        Line {
            file: "d.jsonl",
            number: 3,
            offset: 100,
            text,
            editable: true,
        }
    }

    #[test]
    fn a_record_maps_text_offsets_into_the_json_string() {
        let raw = r#"{"id": "a1", "text": "Caf\u00e9 \"quoted\"\nline two ", "n": 1}"#;
        let doc = read_record(line(raw), &Fields::default()).unwrap().unwrap();
        assert_eq!(doc.text(), "Café \"quoted\"\nline two ");
        assert_eq!(doc.record(), Some("a1"));
        assert_eq!(doc.display_name(), "d.jsonl:a1");
        // "é" came from a 6-byte escape.
        let e = doc.file_span(Span::new(3, 5));
        assert_eq!(&raw[e.start - 100..e.end - 100], "\\u00e9");
        // Positions are lines and columns inside the text.
        let loc = doc.locate(Span::new(15, 19));
        assert_eq!((loc.start.line, loc.start.column), (2, 1));
        let (span, replacement) = doc.file_edit(Span::new(23, 24), "\"").unwrap();
        assert_eq!(&raw[span.start - 100..span.end - 100], " ");
        assert_eq!(replacement, "\\\"");
    }

    #[test]
    fn ids_fall_back_to_url_then_line_number() {
        let with_url = r#"{"url": "https://x.y/a", "text": "t"}"#;
        assert_eq!(
            read_record(line(with_url), &Fields::default())
                .unwrap()
                .unwrap()
                .record(),
            Some("https://x.y/a")
        );
        let bare = r#"{"text": "t", "id": 7}"#;
        assert_eq!(
            read_record(line(bare), &Fields::default())
                .unwrap()
                .unwrap()
                .record(),
            Some("7")
        );
        let none = r#"{"text": "t"}"#;
        assert_eq!(
            read_record(line(none), &Fields::default())
                .unwrap()
                .unwrap()
                .record(),
            Some("line3")
        );
    }

    #[test]
    fn dotted_fields_reach_nested_objects() {
        let raw = r#"{"meta": {"body": "deep", "key": "k9"}}"#;
        let fields = Fields {
            text: "meta.body".into(),
            id: Some("meta.key".into()),
            group: Some("meta.site".into()),
        };
        let doc = read_record(line(raw), &fields).unwrap().unwrap();
        assert_eq!((doc.text(), doc.record()), ("deep", Some("k9")));
        assert_eq!(doc.record_group(), None);
        let raw = r#"{"meta": {"body": "deep", "site": "a.b"}}"#;
        let doc = read_record(line(raw), &fields).unwrap().unwrap();
        assert_eq!(doc.record_group(), Some("a.b"));
    }

    #[test]
    fn malformed_records_are_clear_errors() {
        let fields = Fields::default();
        let msg = |raw: &str| read_record(line(raw), &fields).unwrap_err().to_string();
        assert!(msg("{\"text\": \"unterminated").starts_with("d.jsonl:3: not a JSON object"));
        assert_eq!(msg("[1, 2]").split(':').nth(2), Some(" not a JSON object"));
        assert_eq!(
            msg("{\"body\": \"x\"}"),
            "d.jsonl:3: record has no `text` field"
        );
        assert_eq!(
            msg("{\"text\": 5}"),
            "d.jsonl:3: field `text` is not a string"
        );
        assert!(read_record(line("  \n"), &fields).unwrap().is_none());
    }

    #[test]
    fn surrogate_pairs_and_lone_surrogates_decode() {
        let (text, _) = decode_string(r#""\ud83d\ude00 \ud800x""#, 0).unwrap();
        assert_eq!(text, "😀 \u{FFFD}x");
    }

    #[test]
    fn json_escaping_round_trips() {
        assert_eq!(escape_json_text("a\"b\\c\n"), "a\\\"b\\\\c\\n");
    }
}

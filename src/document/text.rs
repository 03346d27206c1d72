//! The plain-text reader: bytes → `Document`, with BOM, binary and encoding checks.

use std::path::PathBuf;

use super::{Document, Format, Origin};
use crate::error::ReadError;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How many leading bytes are searched for a NUL byte to tell a binary file.
pub const BINARY_SNIFF_LEN: usize = 8192;

/// Reads plain UTF-8 text. A leading BOM is not part of the text, but file offsets
/// still count it.
pub fn read(name: &str, path: Option<PathBuf>, bytes: Vec<u8>) -> Result<Document, ReadError> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(ReadError::Utf16 { path: name.into() });
    }
    if let Some(offset) = memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF_LEN)]) {
        return Err(ReadError::Binary {
            path: name.into(),
            offset,
        });
    }
    let bom = if bytes.starts_with(UTF8_BOM) {
        UTF8_BOM.len()
    } else {
        0
    };
    let mut bytes = bytes;
    if bom > 0 {
        bytes.drain(..bom);
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = line_number_at(e.as_bytes(), offset);
        ReadError::Encoding {
            path: name.into(),
            line,
            offset: offset + bom,
        }
    })?;
    Ok(Document::new(
        name.to_owned(),
        path,
        Format::Text,
        text,
        Origin::Plain { bom },
    ))
}

/// 1-based line of byte `offset`, counting LF, CRLF and lone CR as line ends.
fn line_number_at(bytes: &[u8], offset: usize) -> usize {
    let head = &bytes[..offset.min(bytes.len())];
    let lf = memchr::memchr_iter(b'\n', head).count();
    let lone_cr = memchr::memchr_iter(b'\r', head)
        .filter(|&i| bytes.get(i + 1) != Some(&b'\n'))
        .count();
    lf + lone_cr + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Span;

    #[test]
    fn a_bom_is_skipped_but_file_offsets_count_it() {
        let doc = read("t", None, b"\xEF\xBB\xBFab  c".to_vec()).unwrap();
        assert_eq!(doc.text(), "ab  c");
        assert_eq!(doc.line_col(2).column, 3);
        assert_eq!(doc.file_span(Span::new(2, 3)), Span::new(5, 6));
    }

    #[test]
    fn invalid_utf8_names_line_and_byte() {
        let err = read("bad.txt", None, b"ok\r\nfine\n\xFFx".to_vec()).unwrap_err();
        assert_eq!(err.to_string(), "bad.txt:3: not valid UTF-8 at byte 9");
    }

    #[test]
    fn nul_bytes_mean_binary() {
        let err = read("x.bin", None, b"PK\x03\x04\x00\x00".to_vec()).unwrap_err();
        assert!(matches!(err, ReadError::Binary { offset: 4, .. }));
    }

    #[test]
    fn utf16_is_refused_with_a_reason() {
        let err = read("w.txt", None, b"\xFF\xFEa\x00".to_vec()).unwrap_err();
        assert!(err.to_string().contains("UTF-16"));
    }

    #[test]
    fn empty_input_is_an_empty_document() {
        let doc = read("e", None, Vec::new()).unwrap();
        assert_eq!(doc.line_count(), 1);
        assert!(doc.blocks().is_empty());
    }
}

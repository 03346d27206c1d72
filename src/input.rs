//! Inputs: which reader a file goes to (by extension or `--input-format`), gzip
//! decompression, and reading a whole document or streaming JSONL lines.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::document::{Document, Format, html, jsonl, markdown, text};
use crate::error::ReadError;
use crate::walk::Input;

/// `--input-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    #[default]
    Auto,
    Text,
    Markdown,
    Html,
    Jsonl,
}

#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub format: InputFormat,
    pub fields: jsonl::Fields,
    /// JSONL on stdin that is a slice of a file (a Spark partition): the line number
    /// (1-based) and byte offset of its first line in the file. Findings then carry the
    /// file's lines and offsets, and fixes as edits of the file.
    pub slice: Option<(usize, usize)>,
}

/// The format a file name implies, and whether it is gzip-compressed:
/// `a.txt`, `a.md`, `a.html`, `a.jsonl`, `a.jsonl.gz`, `a.html.gz`, `a.json.gz`.
/// `None` for files a directory walk skips.
pub fn detect(name: &str) -> Option<(Format, bool)> {
    let lower = name.to_ascii_lowercase();
    let (stem, gz) = match lower.strip_suffix(".gz") {
        Some(stem) => (stem, true),
        None => (lower.as_str(), false),
    };
    let ext = Path::new(stem).extension()?.to_str()?;
    let format = match ext {
        "txt" | "text" => Format::Text,
        "md" | "markdown" => Format::Markdown,
        "html" | "htm" | "xhtml" => Format::Html,
        "jsonl" | "ndjson" => Format::Jsonl,
        "json" if gz => Format::Jsonl,
        _ => return None,
    };
    Some((format, gz))
}

/// How an input is read: `--input-format` wins, then the name; unknown names (and stdin
/// without `--stdin-filename`) are plain text. `.json` named explicitly is JSONL.
pub fn format_of(input: &Input, options: &ReadOptions) -> (Format, bool) {
    let (detected, gz) = detect(input.name()).unwrap_or_else(|| {
        let lower = input.name().to_ascii_lowercase();
        let gz = lower.ends_with(".gz");
        let json = lower.trim_end_matches(".gz").ends_with(".json");
        (if json { Format::Jsonl } else { Format::Text }, gz)
    });
    let format = match options.format {
        InputFormat::Auto => detected,
        InputFormat::Text => Format::Text,
        InputFormat::Markdown => Format::Markdown,
        InputFormat::Html => Format::Html,
        InputFormat::Jsonl => Format::Jsonl,
    };
    (format, gz)
}

/// Counts the bytes read from the underlying file (compressed bytes for gzip), for the
/// progress bar.
pub struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Opens an input as a byte stream, decompressing gzip.
pub fn open(
    input: &Input,
    gz: bool,
    progress: Option<Arc<AtomicU64>>,
) -> Result<Box<dyn Read + Send>, ReadError> {
    let name = input.name().to_owned();
    let raw: Box<dyn Read + Send> = match input {
        Input::Stdin { .. } => Box::new(io::stdin()),
        Input::File { path, .. } => {
            Box::new(File::open(path).map_err(|e| ReadError::io(&name, e))?)
        }
    };
    let raw: Box<dyn Read + Send> = match progress {
        Some(count) => Box::new(Counting { inner: raw, count }),
        None => raw,
    };
    Ok(if gz {
        Box::new(flate2::read::MultiGzDecoder::new(raw))
    } else {
        raw
    })
}

/// Reads all of an input's (decompressed) bytes.
pub fn read_bytes(input: &Input, gz: bool) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    open(input, gz, None)?
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::io(input.name(), e))?;
    Ok(bytes)
}

fn path_of(input: &Input) -> Option<PathBuf> {
    match input {
        Input::File { path, .. } => Some(PathBuf::from(path)),
        Input::Stdin { .. } => None,
    }
}

/// Reads a whole input of format `format` into one document (JSONL inputs are read as
/// text here; `parse` splits them into records).
pub fn read_document(input: &Input, format: Format, gz: bool) -> Result<Document, ReadError> {
    let bytes = read_bytes(input, gz)?;
    let name = input.name();
    let path = path_of(input);
    let mut doc = match format {
        Format::Text | Format::Jsonl => text::read(name, path, bytes),
        Format::Markdown => markdown::read(name, path, bytes),
        Format::Html => html::read(name, path, bytes),
    }?;
    if gz {
        doc.refuse_fixes("compressed input cannot be fixed in place");
    }
    Ok(doc)
}

/// Parses an input's bytes into its documents: one for text, Markdown and HTML, one per
/// record for JSONL (whose unreadable records are returned as errors).
pub fn parse(
    input: &Input,
    bytes: Vec<u8>,
    format: Format,
    fields: &jsonl::Fields,
) -> (Vec<Document>, Vec<ReadError>) {
    let name = input.name();
    let path = path_of(input);
    let one = |result: Result<Document, ReadError>| match result {
        Ok(doc) => (vec![doc], Vec::new()),
        Err(e) => (Vec::new(), vec![e]),
    };
    match format {
        Format::Text => one(text::read(name, path, bytes)),
        Format::Markdown => one(markdown::read(name, path, bytes)),
        Format::Html => one(html::read(name, path, bytes)),
        Format::Jsonl => {
            let mut docs = Vec::new();
            let mut errors = Vec::new();
            let mut offset = 0;
            for (i, raw) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
                let number = i + 1;
                match std::str::from_utf8(raw) {
                    Ok(text) => {
                        let line = jsonl::Line {
                            file: name,
                            number,
                            offset,
                            text,
                            editable: true,
                        };
                        match jsonl::read_record(line, fields) {
                            Ok(Some(doc)) => docs.push(doc),
                            Ok(None) => {}
                            Err(e) => errors.push(e),
                        }
                    }
                    Err(e) => errors.push(ReadError::Encoding {
                        path: format!("{name}:{number}"),
                        line: number,
                        offset: offset + e.valid_up_to(),
                    }),
                }
                offset += raw.len();
            }
            (docs, errors)
        }
    }
}

/// A JSONL input as a buffered line reader.
pub fn open_lines(
    input: &Input,
    gz: bool,
    progress: Option<Arc<AtomicU64>>,
) -> Result<Box<dyn BufRead + Send>, ReadError> {
    Ok(Box::new(BufReader::with_capacity(
        1 << 16,
        open(input, gz, progress)?,
    )))
}

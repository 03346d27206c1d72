//! Error types. Every error names the file and, where there is one, the position.

use std::io;
use std::ops::Range;

use miette::{NamedSource, SourceSpan};

/// An input that could not be read. The run reports it and goes on with the others.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ReadError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("{path}:{line}: not valid UTF-8 at byte {offset}")]
    #[diagnostic(help("convert the file to UTF-8, e.g. `iconv -f WINDOWS-1252 -t UTF-8`"))]
    Encoding {
        path: String,
        line: usize,
        offset: usize,
    },
    #[error("{path}: binary file (NUL byte at offset {offset}), not checked")]
    Binary { path: String, offset: usize },
    #[error("{path}: UTF-16 text is not supported")]
    #[diagnostic(help("convert the file to UTF-8, e.g. `iconv -f UTF-16 -t UTF-8`"))]
    Utf16 { path: String },
    #[error("{path}: {message}")]
    Other { path: String, message: String },
}

impl ReadError {
    pub fn io(path: impl Into<String>, source: io::Error) -> Self {
        ReadError::Io {
            path: path.into(),
            source,
        }
    }
}

/// A problem at a position in a TOML file (config or rule pack), shown with a snippet.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{location}: {message}")]
pub struct FileError {
    /// `path:line:column`, so the message is useful without the snippet too.
    pub location: String,
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl FileError {
    /// An error at byte range `span` of `source` (the file's text).
    pub fn new(
        path: &str,
        source: &str,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Box<Self> {
        let start = span.start.min(source.len());
        let end = span.end.clamp(start, source.len());
        let index = crate::document::LineIndex::new(source);
        let pos = index.line_col(source, start);
        Box::new(FileError {
            location: format!("{path}:{}:{}", pos.line, pos.column),
            message: message.into(),
            src: NamedSource::new(path, source.to_owned()),
            span: (start, end - start).into(),
            label: label.into(),
            help: None,
        })
    }

    pub fn with_help(mut self: Box<Self>, help: impl Into<String>) -> Box<Self> {
        self.help = Some(help.into());
        self
    }
}

/// An error that stops the run before any input is checked (exit code 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error(transparent)]
    #[diagnostic(transparent)]
    File(#[from] Box<FileError>),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("{0}")]
    Usage(String),
    #[error("unknown rule or group `{name}`{}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    #[diagnostic(help("`copylint rules` lists every rule and group"))]
    UnknownRule {
        name: String,
        suggestion: Option<String>,
    },
    #[error("writing the report: {0}")]
    Output(#[source] io::Error),
}

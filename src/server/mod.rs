//! `copylint server`: a language server over stdio (lsp-server + lsp-types, the synchronous
//! model rust-analyzer and ruff use: this loop owns the order of every message, so a
//! stale result can never overwrite a newer one).
//!
//! Documents are linted on a worker thread 150 ms after the last change; a result is
//! published only if the document is still at the version that was linted. Diagnostics
//! carry the rule as `code`, labels as related information, and their fix in `data`, from
//! which code actions are built.

mod actions;
pub mod text;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, select};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notify, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, DiagnosticSeverity,
    HoverProviderCapability, InitializeParams, MessageType, PublishDiagnosticsParams,
    ServerCapabilities, ServerInfo, ShowMessageParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, Uri,
};

use crate::config::Config;
use crate::document::{Document, Format};
use crate::error::{Error, FileError};
use crate::linter::{Linter, Registry, Selection};
use text::{Encoding, Lines};

/// How long a document must stay unchanged before it is linted.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// Options from the command line (`--config`, `--isolated`).
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub config: Option<PathBuf>,
    pub isolated: bool,
}

/// An open document.
struct Open {
    text: String,
    version: i32,
    format: Format,
    path: Option<PathBuf>,
    /// When the document should be linted (after the debounce), if it changed.
    due: Option<Instant>,
}

/// The findings last published for a document.
#[derive(Default)]
struct Published {
    version: i32,
    findings: Vec<actions::Finding>,
}

/// A linter per config file, and the last good one when a config breaks.
struct Linters {
    options: Options,
    /// Linters of configs read since the last reload.
    by_config: HashMap<Option<PathBuf>, Arc<Linter>>,
    /// The last linter that loaded for each config, kept across reloads for when the
    /// config breaks.
    last_good: HashMap<Option<PathBuf>, Arc<Linter>>,
    /// The built-in defaults, for documents whose config never loaded.
    fallback: Arc<Linter>,
}

struct LintJob {
    uri: Uri,
    version: i32,
    text: String,
    format: Format,
    name: String,
    linter: Arc<Linter>,
    encoding: Encoding,
}

struct LintResult {
    uri: Uri,
    version: i32,
    findings: Vec<actions::Finding>,
}

pub struct Server {
    conn: Connection,
    encoding: Encoding,
    docs: HashMap<Uri, Open>,
    published: HashMap<Uri, Published>,
    linters: Linters,
    results: (Sender<LintResult>, Receiver<LintResult>),
    /// Config files with a problem we reported, so we can clear it when it is fixed.
    broken_configs: Vec<Uri>,
    /// `shutdown` was received: wait for `exit`.
    shutting_down: bool,
}

/// Runs the server on stdin/stdout until the client says `exit`.
pub fn run(options: Options) -> Result<(), Error> {
    // The built-in rules load before anything is said to the client.
    let defaults = Config::default();
    let fallback = Arc::new(Linter::new(
        Registry::load(&defaults)?,
        &defaults,
        &Selection::default(),
    )?);
    let (conn, io_threads) = Connection::stdio();
    let protocol = |e: lsp_server::ProtocolError| Error::Usage(format!("language server: {e}"));
    let (id, params) = conn.initialize_start().map_err(protocol)?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let encoding = Encoding::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    let capabilities = ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, actions::FIX_ALL.clone()]),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": ServerInfo { name: "copylint".into(), version: Some(env!("CARGO_PKG_VERSION").into()) },
    });
    conn.initialize_finish(id, result).map_err(protocol)?;
    let mut server = Server {
        conn,
        encoding,
        docs: HashMap::new(),
        published: HashMap::new(),
        linters: Linters {
            options,
            by_config: HashMap::new(),
            last_good: HashMap::new(),
            fallback,
        },
        results: crossbeam_channel::unbounded(),
        broken_configs: Vec::new(),
        shutting_down: false,
    };
    server.main_loop();
    drop(server);
    // The client may close its end first; that is how a session ends, not an error.
    if let Err(e) = io_threads.join() {
        log(format!("stdio closed: {e}"));
    }
    Ok(())
}

fn log(message: impl AsRef<str>) {
    eprintln!("copylint server: {}", message.as_ref());
}

/// The file a `file://` URI names (percent-decoded), if it is one.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    let mut bytes = Vec::with_capacity(path.len());
    let raw = path.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%'
            && let Some(b) = raw
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            bytes.push(b);
            i += 3;
        } else {
            bytes.push(raw[i]);
            i += 1;
        }
    }
    String::from_utf8(bytes).ok().map(PathBuf::from)
}

/// A `file://` URI for a path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let absolute = std::path::absolute(path).ok()?;
    let mut s = String::from("file://");
    for b in absolute.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s.parse().ok()
}

/// The reader for a document: by the client's language id, else by the file name.
fn format_of(language: &str, uri: &Uri) -> Format {
    match language {
        "markdown" => Format::Markdown,
        "html" => Format::Html,
        "plaintext" | "text" => Format::Text,
        _ => crate::input::detect(uri.as_str())
            .map(|(f, _)| f)
            .filter(|f| *f != Format::Jsonl)
            .unwrap_or(Format::Text),
    }
}

/// Reads editor text as a document of `format`.
pub fn read(name: &str, text: &str, format: Format) -> Result<Document, crate::error::ReadError> {
    let bytes = text.as_bytes().to_vec();
    match format {
        Format::Markdown => crate::document::markdown::read(name, None, bytes),
        Format::Html => crate::document::html::read(name, None, bytes),
        Format::Text | Format::Jsonl => crate::document::text::read(name, None, bytes),
    }
}

impl Linters {
    fn config_for(&self, path: Option<&Path>) -> Result<Config, Error> {
        if self.options.isolated {
            return Ok(Config::default());
        }
        if let Some(config) = &self.options.config {
            return Config::load(config);
        }
        match path.and_then(Path::parent) {
            Some(dir) => Config::discover(dir),
            None => Ok(Config::default()),
        }
    }

    /// The linter for a document, and the config error to report if its config is broken
    /// (then the last good linter for that config, or the defaults, is used).
    fn for_path(&mut self, path: Option<&Path>) -> (Arc<Linter>, Option<(Option<PathBuf>, Error)>) {
        let config = match self.config_for(path) {
            Ok(config) => config,
            Err(e) => {
                let config_path = self.guess_config_path(path);
                let linter = self.last_good(&config_path);
                return (linter, Some((config_path, e)));
            }
        };
        if let Some(linter) = self.by_config.get(&config.path) {
            return (Arc::clone(linter), None);
        }
        match Registry::load(&config).and_then(|r| Linter::new(r, &config, &Selection::default())) {
            Ok(linter) => {
                let linter = Arc::new(linter);
                self.by_config
                    .insert(config.path.clone(), Arc::clone(&linter));
                self.last_good
                    .insert(config.path.clone(), Arc::clone(&linter));
                (linter, None)
            }
            Err(e) => {
                let linter = self.last_good(&config.path);
                (linter, Some((config.path.clone(), e)))
            }
        }
    }

    fn guess_config_path(&self, path: Option<&Path>) -> Option<PathBuf> {
        if let Some(config) = &self.options.config {
            return Some(config.clone());
        }
        path?
            .parent()?
            .ancestors()
            .map(|d| d.join(crate::config::CONFIG_FILE))
            .find(|p| p.is_file())
    }

    fn last_good(&self, config: &Option<PathBuf>) -> Arc<Linter> {
        Arc::clone(self.last_good.get(config).unwrap_or(&self.fallback))
    }

    /// Forget every linter: configs will be read again.
    fn reload(&mut self) {
        self.by_config.clear();
    }
}

impl Server {
    fn send(&self, message: impl Into<Message>) {
        if self.conn.sender.send(message.into()).is_err() {
            log("the client closed the connection");
        }
    }

    fn notify<N: notify::Notification>(&self, params: N::Params) {
        self.send(Notification::new(N::METHOD.to_owned(), params));
    }

    fn main_loop(&mut self) {
        loop {
            let now = Instant::now();
            let wait = self
                .docs
                .values()
                .filter_map(|d| d.due)
                .min()
                .map_or(Duration::from_secs(3600), |due| {
                    due.saturating_duration_since(now)
                });
            let receiver = self.conn.receiver.clone();
            let results = self.results.1.clone();
            select! {
                recv(receiver) -> message => match message {
                    Ok(message) => {
                        if !self.handle(message) {
                            return;
                        }
                    }
                    Err(_) => return,
                },
                recv(results) -> result => {
                    if let Ok(result) = result {
                        self.publish(result);
                    }
                }
                default(wait) => {}
            }
            self.lint_due();
        }
    }

    /// Handles one message; `false` once the client has said `exit`.
    fn handle(&mut self, message: Message) -> bool {
        match message {
            Message::Request(request) => {
                // After `shutdown` only `exit` is expected; clients that stop twice
                // (Neovim does) get an answer, not a crash.
                if request.method == req::Shutdown::METHOD || self.shutting_down {
                    let response = if self.shutting_down && request.method != req::Shutdown::METHOD
                    {
                        Response::new_err(
                            request.id,
                            ErrorCode::InvalidRequest as i32,
                            "shutting down".into(),
                        )
                    } else {
                        Response::new_ok(request.id, ())
                    };
                    self.shutting_down = true;
                    self.send(response);
                    return true;
                }
                let id = request.id.clone();
                let method = request.method.clone();
                let response = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    self.request(request)
                }))
                .unwrap_or_else(|_| {
                    log(format!("internal error while answering {method}"));
                    Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        format!("copylint failed on {method}"),
                    )
                });
                self.send(response);
            }
            Message::Notification(n) => {
                if n.method == notify::Exit::METHOD {
                    return false;
                }
                let method = n.method.clone();
                if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.notification(n)))
                    .is_err()
                {
                    log(format!("internal error while handling {method}"));
                }
            }
            Message::Response(_) => {}
        }
        true
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let invalid = |id: RequestId, e: serde_json::Error| {
            log(format!("invalid params: {e}"));
            Response::new_err(id, ErrorCode::InvalidParams as i32, e.to_string())
        };
        match request.method.as_str() {
            req::CodeActionRequest::METHOD => match serde_json::from_value(request.params) {
                Ok(params) => Response::new_ok(id, self.code_actions(params)),
                Err(e) => invalid(id, e),
            },
            req::HoverRequest::METHOD => match serde_json::from_value(request.params) {
                Ok(params) => Response::new_ok(id, self.hover(params)),
                Err(e) => invalid(id, e),
            },
            method => {
                log(format!("unknown request {method}"));
                Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("unknown method {method}"),
                )
            }
        }
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            notify::DidOpenTextDocument::METHOD => {
                let Ok(params) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                else {
                    return log("invalid didOpen params");
                };
                let doc = params.text_document;
                let format = format_of(&doc.language_id, &doc.uri);
                self.docs.insert(
                    doc.uri.clone(),
                    Open {
                        path: uri_to_path(&doc.uri),
                        text: doc.text,
                        version: doc.version,
                        format,
                        // Opening shows findings at once.
                        due: Some(Instant::now()),
                    },
                );
            }
            notify::DidChangeTextDocument::METHOD => {
                let Ok(params) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                else {
                    return log("invalid didChange params");
                };
                let encoding = self.encoding;
                let Some(open) = self.docs.get_mut(&params.text_document.uri) else {
                    return log("didChange for a document that is not open");
                };
                for change in params.content_changes {
                    text::apply_change(&mut open.text, change, encoding);
                }
                open.version = params.text_document.version;
                open.due = Some(Instant::now() + DEBOUNCE);
            }
            notify::DidCloseTextDocument::METHOD => {
                let Ok(params) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
                else {
                    return log("invalid didClose params");
                };
                let uri = params.text_document.uri;
                self.docs.remove(&uri);
                self.published.remove(&uri);
                self.notify::<notify::PublishDiagnostics>(PublishDiagnosticsParams::new(
                    uri,
                    Vec::new(),
                    None,
                ));
            }
            notify::DidChangeConfiguration::METHOD => self.reload_configs(),
            notify::DidChangeWatchedFiles::METHOD => {
                let Ok(params) =
                    serde_json::from_value::<lsp_types::DidChangeWatchedFilesParams>(n.params)
                else {
                    return log("invalid didChangeWatchedFiles params");
                };
                let touches_config = params.changes.iter().any(|c| {
                    c.uri.as_str().ends_with(crate::config::CONFIG_FILE)
                        || c.uri.as_str().ends_with(".toml")
                });
                if touches_config {
                    self.reload_configs();
                }
            }
            notify::DidSaveTextDocument::METHOD => {
                if let Ok(params) =
                    serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(n.params)
                    && params.text_document.uri.as_str().ends_with(".toml")
                {
                    self.reload_configs();
                }
            }
            notify::Cancel::METHOD | notify::Initialized::METHOD | notify::SetTrace::METHOD => {
                // Requests are answered as they arrive, so there is nothing left to cancel.
            }
            method => log(format!("ignored notification {method}")),
        }
    }

    fn reload_configs(&mut self) {
        self.linters.reload();
        let now = Instant::now();
        for open in self.docs.values_mut() {
            open.due = Some(now);
        }
    }

    /// Starts a lint job for every document whose debounce has passed.
    fn lint_due(&mut self) {
        let now = Instant::now();
        let due: Vec<Uri> = self
            .docs
            .iter()
            .filter(|(_, d)| d.due.is_some_and(|t| t <= now))
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in due {
            let Some(open) = self.docs.get_mut(&uri) else {
                continue;
            };
            open.due = None;
            let path = open.path.clone();
            let (linter, problem) = self.linters.for_path(path.as_deref());
            self.report_config_problem(problem);
            let Some(open) = self.docs.get(&uri) else {
                continue;
            };
            let job = LintJob {
                uri: uri.clone(),
                version: open.version,
                text: open.text.clone(),
                format: open.format,
                name: path.map_or_else(|| uri.as_str().to_owned(), |p| p.display().to_string()),
                linter,
                encoding: self.encoding,
            };
            let sender = self.results.0.clone();
            std::thread::spawn(move || {
                let findings =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| lint(&job)))
                        .unwrap_or_else(|_| {
                            log(format!("internal error while linting {}", job.uri.as_str()));
                            Vec::new()
                        });
                let _ = sender.send(LintResult {
                    uri: job.uri,
                    version: job.version,
                    findings,
                });
            });
        }
    }

    /// Publishes a lint result, unless the document changed (or closed) since.
    fn publish(&mut self, result: LintResult) {
        let Some(open) = self.docs.get(&result.uri) else {
            return;
        };
        if open.version != result.version || open.due.is_some() {
            return;
        }
        let diagnostics = result
            .findings
            .iter()
            .map(|f| f.diagnostic.clone())
            .collect();
        self.notify::<notify::PublishDiagnostics>(PublishDiagnosticsParams::new(
            result.uri.clone(),
            diagnostics,
            Some(result.version),
        ));
        self.published.insert(
            result.uri,
            Published {
                version: result.version,
                findings: result.findings,
            },
        );
    }

    /// Shows a broken config (or pack) as a diagnostic on that file and a message; clears
    /// it once the config loads again.
    fn report_config_problem(&mut self, problem: Option<(Option<PathBuf>, Error)>) {
        let Some((config_path, error)) = problem else {
            for uri in std::mem::take(&mut self.broken_configs) {
                self.notify::<notify::PublishDiagnostics>(PublishDiagnosticsParams::new(
                    uri,
                    Vec::new(),
                    None,
                ));
            }
            return;
        };
        let message = error.to_string();
        log(&message);
        let (file, range) = match &error {
            Error::File(file) => (Some(PathBuf::from(file.src.name())), config_range(file)),
            _ => (config_path, lsp_types::Range::default()),
        };
        if let Some(uri) = file.as_deref().and_then(path_to_uri) {
            let diagnostic = lsp_types::Diagnostic {
                range,
                severity: Some(DiagnosticSeverity::ERROR),
                source: Some("copylint".into()),
                message: format!("{message} (copylint keeps using the last good configuration)"),
                ..lsp_types::Diagnostic::default()
            };
            self.notify::<notify::PublishDiagnostics>(PublishDiagnosticsParams::new(
                uri.clone(),
                vec![diagnostic],
                None,
            ));
            if !self.broken_configs.contains(&uri) {
                self.broken_configs.push(uri);
            }
        }
        self.notify::<notify::ShowMessage>(ShowMessageParams {
            typ: MessageType::ERROR,
            message: format!("copylint: {message}"),
        });
    }
}

/// The range of a config or pack error, in UTF-16 (config files are ASCII in practice).
fn config_range(error: &FileError) -> lsp_types::Range {
    let source = error.src.inner();
    let lines = Lines::new(source);
    let start = error.span.offset();
    lines.range(start, start + error.span.len(), Encoding::Utf16)
}

/// Lints one snapshot (on a worker thread).
fn lint(job: &LintJob) -> Vec<actions::Finding> {
    let doc = match read(&job.name, &job.text, job.format) {
        Ok(doc) => doc,
        Err(e) => {
            log(format!("{e}"));
            return Vec::new();
        }
    };
    match job.linter.check_parallel(&doc) {
        Ok(diagnostics) => actions::findings(
            &doc,
            &diagnostics,
            &job.text,
            &job.uri,
            job.version,
            job.encoding,
        ),
        Err(crash) => {
            log(format!(
                "rule `{}` crashed on {}",
                crash.rule,
                job.uri.as_str()
            ));
            Vec::new()
        }
    }
}

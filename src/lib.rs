//! copylint: a linter for the quality of scraped article text.
//!
//! Data flows one way: **read** (`document`: path → `Document`) → **check** (`rules`,
//! `packs`, run by `linter::Linter`) → **report** (`report`) or **fix** (`fix`).
//! `run` drives one command; it writes to the writers it is given and never prints.

pub mod cli;
pub mod config;
pub mod document;
pub mod error;
pub mod fix;
pub mod linter;
pub mod packs;
pub mod report;
pub mod rules;
pub mod walk;
pub mod words;

use std::io::{self, Read, Write};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::cli::{CheckArgs, Cli, Command, ListFormat, OutputFormat};
use crate::config::Config;
use crate::document::{Document, text};
use crate::error::{Error, ReadError};
use crate::linter::{Linter, Registry, Selection};
use crate::report::{Reporter, render_error};
use crate::rules::RuleMeta;
use crate::walk::Input;

/// Width of human reports; fixed so that output does not depend on the terminal.
pub const REPORT_WIDTH: usize = 100;

/// Where output goes and whether it may be coloured (decided by `main` from `--color`,
/// `NO_COLOR` and whether the streams are terminals).
pub struct Io<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    pub color_out: bool,
    pub color_err: bool,
}

/// What a run did, for the summary line and the exit code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Documents checked.
    pub files: usize,
    pub findings: usize,
    /// Findings that carry a fix.
    pub fixable: usize,
    /// Inputs that could not be read or checked.
    pub errors: usize,
    /// Whether this was a `check` (only checks print a summary).
    pub checked: bool,
}

impl Outcome {
    /// 0 no findings, 1 findings, 2 an input could not be read.
    pub fn exit_code(&self) -> u8 {
        if self.errors > 0 {
            2
        } else if self.findings > 0 {
            1
        } else {
            0
        }
    }

    /// `12 findings (5 fixable) in 3 files`, plus unreadable inputs.
    pub fn summary(&self) -> Option<String> {
        if !self.checked {
            return None;
        }
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut s = format!(
            "{} ({} fixable) in {}",
            plural(self.findings, "finding", "findings"),
            self.fixable,
            plural(self.files, "file", "files")
        );
        if self.errors > 0 {
            s.push_str(&format!(
                "; {} could not be read",
                plural(self.errors, "input", "inputs")
            ));
        }
        Some(s)
    }
}

/// Runs one command.
pub fn run(cli: &Cli, io: &mut Io<'_>) -> Result<Outcome, Error> {
    let cwd = std::env::current_dir().map_err(|source| Error::Io {
        path: ".".into(),
        source,
    })?;
    let config = match (&cli.config, cli.isolated) {
        (Some(path), _) => Config::load(path)?,
        (None, true) => Config::default(),
        (None, false) => Config::discover(&cwd)?,
    };
    let registry = Registry::load(&config)?;
    match &cli.command {
        Command::Rules { format } => {
            list_rules(&registry, *format, io.out).map_err(Error::Output)?;
            Ok(Outcome::default())
        }
        Command::Rule { name } => {
            let Some(meta) = registry.meta(name) else {
                return Err(Error::UnknownRule {
                    suggestion: registry.suggest(name),
                    name: name.clone(),
                });
            };
            io.out
                .write_all(rule_docs(meta).as_bytes())
                .map_err(Error::Output)?;
            Ok(Outcome::default())
        }
        Command::Check(args) => {
            let selection = Selection {
                select: args.select.clone(),
                extend_select: args.extend_select.clone(),
                ignore: args.ignore.clone(),
            };
            let linter = Linter::new(registry, &config, &selection)?;
            let exclude = walk::exclude_matcher(&config)?;
            let pool = match args.threads {
                Some(n) => Some(
                    rayon::ThreadPoolBuilder::new()
                        .num_threads(n)
                        .build()
                        .map_err(|e| Error::Usage(format!("cannot start {n} threads: {e}")))?,
                ),
                None => None,
            };
            check(args, &linter, exclude.as_ref(), pool.as_ref(), io)
        }
    }
}

enum FileResult {
    Checked {
        rendered: String,
        findings: usize,
        fixable: usize,
    },
    /// A binary file met while walking a directory: skipped without a word, as ripgrep does.
    Skipped,
    Failed(String),
}

fn check(
    args: &CheckArgs,
    linter: &Linter,
    exclude: Option<&ignore::gitignore::Gitignore>,
    pool: Option<&rayon::ThreadPool>,
    io: &mut Io<'_>,
) -> Result<Outcome, Error> {
    let reporter: Box<dyn Reporter> = match args.format {
        OutputFormat::Human => Box::new(report::Human {
            color: io.color_out,
            width: REPORT_WIDTH,
        }),
        OutputFormat::Concise => Box::new(report::Concise),
        OutputFormat::Json => Box::new(report::Json),
    };
    let found = walk::collect(&args.paths, exclude, args.stdin_filename.as_deref());
    let mut outcome = Outcome {
        checked: true,
        ..Outcome::default()
    };
    let color_err = io.color_err;
    for error in &found.errors {
        io.err
            .write_all(render_error(error, color_err, REPORT_WIDTH).as_bytes())
            .map_err(Error::Output)?;
        outcome.errors += 1;
    }
    io.out
        .write_all(reporter.start().as_bytes())
        .map_err(Error::Output)?;
    let mut any = false;
    // Inputs are checked in parallel a batch at a time and written in input order, so
    // memory holds one batch of documents, never the corpus.
    let threads = pool.map_or_else(rayon::current_num_threads, |p| p.current_num_threads());
    let batch = threads.max(1) * 4;
    let reporter = reporter.as_ref();
    for chunk in found.inputs.chunks(batch) {
        let work = || -> Vec<FileResult> {
            chunk
                .par_iter()
                .map(|input| check_one(input, linter, reporter, color_err))
                .collect()
        };
        let results = match pool {
            Some(pool) => pool.install(work),
            None => work(),
        };
        for result in results {
            match result {
                FileResult::Checked {
                    rendered,
                    findings,
                    fixable,
                } => {
                    outcome.files += 1;
                    outcome.findings += findings;
                    outcome.fixable += fixable;
                    if !rendered.is_empty() {
                        let sep = if any {
                            reporter.separator()
                        } else {
                            reporter.first_separator()
                        };
                        io.out.write_all(sep.as_bytes()).map_err(Error::Output)?;
                        io.out
                            .write_all(rendered.as_bytes())
                            .map_err(Error::Output)?;
                        any = true;
                    }
                }
                FileResult::Skipped => {}
                FileResult::Failed(message) => {
                    outcome.errors += 1;
                    io.out.flush().map_err(Error::Output)?;
                    io.err
                        .write_all(message.as_bytes())
                        .map_err(Error::Output)?;
                }
            }
        }
    }
    io.out
        .write_all(reporter.finish(any).as_bytes())
        .map_err(Error::Output)?;
    io.out.flush().map_err(Error::Output)?;
    Ok(outcome)
}

fn check_one(
    input: &Input,
    linter: &Linter,
    reporter: &dyn Reporter,
    color_err: bool,
) -> FileResult {
    let doc = match read_input(input) {
        Ok(doc) => doc,
        Err(ReadError::Binary { .. })
            if matches!(
                input,
                Input::File {
                    explicit: false,
                    ..
                }
            ) =>
        {
            return FileResult::Skipped;
        }
        Err(e) => return FileResult::Failed(render_error(&e, color_err, REPORT_WIDTH)),
    };
    match linter.check(&doc) {
        Ok(diagnostics) => FileResult::Checked {
            rendered: reporter.render(&doc, &diagnostics),
            findings: diagnostics.len(),
            fixable: diagnostics.iter().filter(|d| d.fix.is_some()).count(),
        },
        Err(crash) => {
            let error = ReadError::Other {
                path: doc.name().to_owned(),
                message: format!(
                    "internal error: rule `{}` crashed on this input; please report it with the file",
                    crash.rule
                ),
            };
            FileResult::Failed(render_error(&error, color_err, REPORT_WIDTH))
        }
    }
}

/// Reads one input into a document.
pub fn read_input(input: &Input) -> Result<Document, ReadError> {
    match input {
        Input::Stdin { name } => {
            let mut bytes = Vec::new();
            io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|e| ReadError::io(name.clone(), e))?;
            text::read(name, None, bytes)
        }
        Input::File { path, name, .. } => {
            let bytes = std::fs::read(path).map_err(|e| ReadError::io(name.clone(), e))?;
            text::read(name, Some(PathBuf::from(path)), bytes)
        }
    }
}

fn list_rules(registry: &Registry, format: ListFormat, out: &mut dyn Write) -> io::Result<()> {
    let metas = registry.metas();
    if format == ListFormat::Json {
        let json = serde_json::to_string_pretty(&metas).map_err(io::Error::other)?;
        return writeln!(out, "{json}");
    }
    let width = |f: fn(&RuleMeta) -> usize| metas.iter().map(|m| f(m)).max().unwrap_or(0);
    let (name_w, group_w) = (width(|m| m.name.len()), width(|m| m.group.len()));
    writeln!(
        out,
        "{:name_w$}  {:group_w$}  {:8}  {:14}  SUMMARY",
        "RULE", "GROUP", "SEVERITY", "FIX"
    )?;
    for m in metas {
        let off = if m.default_enabled {
            ""
        } else {
            " (off by default)"
        };
        writeln!(
            out,
            "{:name_w$}  {:group_w$}  {:8}  {:14}  {}{off}",
            m.name,
            m.group,
            m.severity.as_str(),
            m.fix.as_str(),
            m.summary
        )?;
    }
    Ok(())
}

/// `copylint rule NAME`: the header and the rule's docs.
pub fn rule_docs(meta: &RuleMeta) -> String {
    let enabled = if meta.default_enabled {
        "enabled by default"
    } else {
        "off by default"
    };
    let mut s = format!(
        "{}\n{}\n\ngroup: {} · default severity: {} · fix: {} · {enabled} · {}\n\n",
        meta.name,
        meta.summary,
        meta.group,
        meta.severity,
        meta.fix.as_str(),
        meta.origin
    );
    // Doc comments arrive with the space after `///`; strip it when every line has it.
    let docs = meta.docs.trim_end();
    let indented = docs.lines().all(|l| l.is_empty() || l.starts_with(' '));
    for line in docs.lines() {
        s.push_str(if indented {
            line.strip_prefix(' ').unwrap_or(line)
        } else {
            line
        });
        s.push('\n');
    }
    s
}

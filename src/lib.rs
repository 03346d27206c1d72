//! copylint: a linter for the quality of scraped article text.
//!
//! Data flows one way: **read** (`document`: path → `Document`) → **check** (`rules`,
//! `packs`, run by `linter::Linter`) → **report** (`report`) or **fix** (`fix`).
//! `run` drives one command; it writes to the writers it is given and never prints.

pub mod cli;
pub mod config;
pub mod document;
mod engine;
pub mod error;
pub mod fix;
pub mod input;
pub mod linter;
pub mod packs;
pub mod report;
pub mod rules;
pub mod walk;

use std::io::{self, Write};

use crate::cli::{CheckArgs, Cli, Command, InputFormatArg, ListFormat, OutputFormat};
use crate::config::Config;
use crate::error::Error;
use crate::input::{InputFormat, ReadOptions};
use crate::linter::{Linter, Registry, Selection};
use crate::report::Reporter;
use crate::rules::RuleMeta;

/// Width of human reports; fixed so that output does not depend on the terminal.
pub const REPORT_WIDTH: usize = 100;

/// Where output goes and whether it may be coloured (decided by `main` from `--color`,
/// `NO_COLOR` and whether the streams are terminals).
pub struct Io<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    pub color_out: bool,
    pub color_err: bool,
    /// Whether a progress bar may be drawn on stderr (a terminal, not in CI).
    pub progress: bool,
}

/// What a run did, for the summary line and the exit code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Files checked (each JSONL file counts its records instead).
    pub files: usize,
    /// JSONL records checked.
    pub records: usize,
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

    /// `12 findings (5 fixable) in 3 files` (or `in 2 files and 1490 records`), plus
    /// unreadable inputs.
    pub fn summary(&self) -> Option<String> {
        if !self.checked {
            return None;
        }
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let checked = match (self.files, self.records) {
            (files, 0) => plural(files, "file", "files"),
            (0, records) => plural(records, "record", "records"),
            (files, records) => format!(
                "{} and {}",
                plural(files, "file", "files"),
                plural(records, "record", "records")
            ),
        };
        let mut s = format!(
            "{} ({} fixable) in {checked}",
            plural(self.findings, "finding", "findings"),
            self.fixable,
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
        OutputFormat::Records => Box::new(report::Records),
    };
    let read = ReadOptions {
        format: match args.input_format {
            InputFormatArg::Auto => InputFormat::Auto,
            InputFormatArg::Text => InputFormat::Text,
            InputFormatArg::Markdown => InputFormat::Markdown,
            InputFormatArg::Html => InputFormat::Html,
            InputFormatArg::Jsonl => InputFormat::Jsonl,
        },
        fields: document::jsonl::Fields {
            text: args.text_field.clone(),
            id: args.id_field.clone(),
        },
    };
    let found = walk::collect(&args.paths, exclude, args.stdin_filename.as_deref());
    let settings = engine::Settings {
        linter,
        reporter: reporter.as_ref(),
        read,
        statistics: args.statistics,
        pool,
        color_err: io.color_err,
        progress: io.progress && !args.quiet,
    };
    let mut run = engine::Run::new(settings, io, &found.inputs);
    for error in &found.errors {
        run.input_error(error)?;
    }
    let (outcome, counts) = run.check_all(&found.inputs)?;
    if args.statistics {
        let table = report::render_statistics(args.format, &counts);
        io.out.write_all(table.as_bytes()).map_err(Error::Output)?;
        io.out.flush().map_err(Error::Output)?;
    }
    Ok(outcome)
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

//! copylint: a linter for the quality of scraped article text.
//!
//! Data flows one way: **read** (`document`: path → `Document`) → **check** (`rules`,
//! `packs`, run by `linter::Linter`) → **report** (`report`) or **fix** (`fix`).
//! `run` drives one command; it writes to the writers it is given and never prints.

pub mod baseline;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod document;
mod engine;
pub mod error;
pub mod explain;
pub mod fix;
pub mod input;
pub mod linter;
pub mod packs;
pub mod quality;
pub mod report;
pub mod rules;
pub mod server;
pub mod walk;
pub mod words;

use std::io::{self, Write};

use crate::cli::{
    CheckArgs, Cli, Command, InputArgs, InputFormatArg, ListFormat, OutputFormat, ReadArgs,
    SeverityArg,
};
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

/// Counts of findings, by what can be done about them and by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub findings: usize,
    /// Findings that carry a fix.
    pub fixable: usize,
    /// Findings whose fix is unsafe (needs `--unsafe-fixes`).
    pub unsafe_fixable: usize,
    /// Findings per severity, indexed by `Severity as usize` (info, warning, error).
    pub by_severity: [usize; 3],
}

impl Tally {
    pub fn of(diagnostics: &[rules::Diagnostic]) -> Self {
        let mut t = Tally::default();
        for d in diagnostics {
            t.findings += 1;
            if let Some(fix) = &d.fix {
                t.fixable += 1;
                t.unsafe_fixable += usize::from(fix.applicability == rules::Applicability::Unsafe);
            }
            t.by_severity[d.severity as usize] += 1;
        }
        t
    }

    pub fn add(&mut self, other: Tally) {
        self.findings += other.findings;
        self.fixable += other.fixable;
        self.unsafe_fixable += other.unsafe_fixable;
        for (a, b) in self.by_severity.iter_mut().zip(other.by_severity) {
            *a += b;
        }
    }

    /// Findings at `level` or above.
    pub fn at_least(&self, level: rules::Severity) -> usize {
        self.by_severity[level as usize..].iter().sum()
    }
}

/// What a run did, for the summary line and the exit code.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Files checked (each JSONL file counts its records instead).
    pub files: usize,
    /// JSONL records checked.
    pub records: usize,
    /// The findings reported (after `--fix`: the ones that remain).
    pub tally: Tally,
    /// Findings hidden because they are in the baseline.
    pub baselined: usize,
    /// Fixes applied (or, with `--diff`, that would be).
    pub fixed: usize,
    /// Files changed (or, with `--diff`, that would be).
    pub changed_files: usize,
    /// Inputs that could not be read, checked or written.
    pub errors: usize,
    /// Whether this was a `check` (only checks print a summary).
    pub checked: bool,
    /// What decides exit code 1.
    pub policy: ExitPolicy,
}

/// `--fix`/`--diff`, `--exit-zero` and `--fail-on` as they bear on the exit code.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExitPolicy {
    pub fix: Option<fix::FixMode>,
    pub exit_zero: bool,
    /// Only findings at this severity or above fail the run (default: any).
    pub fail_on: Option<rules::Severity>,
}

impl Outcome {
    /// 2 when an input could not be read or written; else 1 when there are findings at
    /// or above `--fail-on` (with `--diff`: when there is a diff), unless `--exit-zero`;
    /// else 0.
    pub fn exit_code(&self) -> u8 {
        if self.errors > 0 {
            return 2;
        }
        let failing = match self.policy.fix {
            Some(mode) if mode.diff => self.changed_files > 0,
            _ => {
                self.tally
                    .at_least(self.policy.fail_on.unwrap_or(rules::Severity::Info))
                    > 0
            }
        };
        u8::from(failing && !self.policy.exit_zero)
    }

    /// `12 findings (5 fixable) in 3 files` (or `in 2 files and 1490 records`); after
    /// `--fix`, what was fixed and what remains; plus unreadable inputs.
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
        let t = &self.tally;
        let mut s = match self.policy.fix {
            None => format!(
                "{} ({} fixable) in {checked}",
                plural(t.findings, "finding", "findings"),
                t.fixable
            ),
            Some(mode) => {
                let (verb, remain) = if mode.diff {
                    ("would fix", "would remain")
                } else {
                    ("fixed", "remain")
                };
                let mut s = format!(
                    "{verb} {} in {}; {} {remain}",
                    plural(self.fixed, "finding", "findings"),
                    plural(self.changed_files, "file", "files"),
                    t.findings
                );
                let safe_left = t.fixable - t.unsafe_fixable;
                let mut notes = Vec::new();
                if t.unsafe_fixable > 0 && !mode.unsafe_fixes {
                    notes.push(format!("{} fixable with --unsafe-fixes", t.unsafe_fixable));
                }
                if safe_left > 0 {
                    notes.push(format!("{safe_left} fixable on another pass"));
                }
                if !notes.is_empty() {
                    s.push_str(&format!(" ({})", notes.join(", ")));
                }
                s
            }
        };
        if self.baselined > 0 {
            s.push_str(&format!(
                "; {} in the baseline",
                plural(self.baselined, "finding", "findings")
            ));
        }
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
    if let Command::Server = cli.command {
        // The server finds each document's config itself, as the files open.
        server::run(server::Options {
            config: cli.config.clone(),
            isolated: cli.isolated,
        })?;
        return Ok(Outcome::default());
    }
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
        Command::Server => Ok(Outcome::default()),
        Command::ExplainDrop(args) => {
            // The config is checked as for `check`, so a typo fails the same way.
            Linter::new(registry, &config, &Selection::default())?;
            explain::run(args, &config, io)
        }
        Command::Check(args) => {
            let source = if args.corpus {
                CorpusSource::Pass
            } else {
                CorpusSource::None
            };
            check_command(args, registry, &config, source, io)
        }
        Command::CorpusReport(report) => {
            if report.check.corpus {
                return Err(Error::Usage(
                    "corpus-report reads the corpus pass from --counts and --clusters; drop --corpus".into(),
                ));
            }
            let source = CorpusSource::Files {
                counts: report.counts.as_deref(),
                clusters: report.clusters.as_deref(),
            };
            check_command(&report.check, registry, &config, source, io)
        }
        Command::Signatures(args) => signatures(args, registry, &config, io),
    }
}

/// Where the corpus rules' findings come from in a check.
#[derive(Debug, Clone, Copy)]
enum CorpusSource<'a> {
    /// No corpus: the corpus rules report nothing.
    None,
    /// `--corpus`: a first pass over the inputs.
    Pass,
    /// `corpus-report`: aggregates computed elsewhere.
    Files {
        counts: Option<&'a std::path::Path>,
        clusters: Option<&'a std::path::Path>,
    },
}

fn thread_pool(threads: Option<usize>) -> Result<Option<rayon::ThreadPool>, Error> {
    threads
        .map(|n| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| Error::Usage(format!("cannot start {n} threads: {e}")))
        })
        .transpose()
}

fn check_command(
    args: &CheckArgs,
    registry: Registry,
    config: &Config,
    source: CorpusSource<'_>,
    io: &mut Io<'_>,
) -> Result<Outcome, Error> {
    let selection = Selection {
        select: args.select.clone(),
        extend_select: args.extend_select.clone(),
        ignore: args.ignore.clone(),
    };
    let rules: Vec<RuleMeta> = registry.metas().into_iter().cloned().collect();
    let linter = Linter::new(registry, config, &selection)?;
    let exclude = walk::exclude_matcher(config)?;
    let pool = thread_pool(args.threads)?;
    check(
        args,
        &linter,
        rules,
        exclude.as_ref(),
        pool.as_ref(),
        source,
        io,
    )
}

/// The `--output-file`, created (or truncated) when given.
fn create_output_file(
    path: Option<&std::path::Path>,
) -> Result<Option<std::io::BufWriter<std::fs::File>>, Error> {
    path.map(|path| {
        std::fs::File::create(path)
            .map(std::io::BufWriter::new)
            .map_err(|source| Error::Io {
                path: path.display().to_string(),
                source,
            })
    })
    .transpose()
}

fn read_options(args: &ReadArgs) -> ReadOptions {
    ReadOptions {
        slice: args.first_line.zip(args.first_byte),
        ..input_options(&args.input)
    }
}

/// How to read the inputs named on the command line (no slice of a file).
pub(crate) fn input_options(args: &InputArgs) -> ReadOptions {
    ReadOptions {
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
            group: None,
        },
        slice: None,
    }
}

/// `copylint signatures`: pass 1 of corpus mode, written as JSONL.
fn signatures(
    args: &cli::SignaturesArgs,
    registry: Registry,
    config: &Config,
    io: &mut Io<'_>,
) -> Result<Outcome, Error> {
    // Both corpus rules, with the config's options, whatever the selection.
    let selection = Selection {
        select: Some(vec![
            rules::site_boilerplate::META.name.to_string(),
            rules::duplicate_document::META.name.to_string(),
        ]),
        ..Selection::default()
    };
    let linter = Linter::new(registry, config, &selection)?;
    let plan = corpus::Plan::new(&linter.corpus_needs(), args.read.group_by.clone());
    let signer = corpus::Signer::new(plan);
    let exclude = walk::exclude_matcher(config)?;
    let pool = thread_pool(args.threads)?;
    let found = walk::collect(
        &args.paths,
        exclude.as_ref(),
        args.read.input.stdin_filename.as_deref(),
    );
    let mut file_out = create_output_file(args.output_file.as_deref())?;
    let out: &mut dyn Write = match file_out.as_mut() {
        Some(file) => file,
        None => &mut *io.out,
    };
    let mut outcome = Outcome::default();
    for error in &found.errors {
        outcome.errors += 1;
        io.err
            .write_all(report::render_error(error, io.color_err, REPORT_WIDTH).as_bytes())
            .map_err(Error::Output)?;
    }
    let read = read_options(&args.read);
    let mut line = Vec::new();
    corpus::sign_all(
        &found.inputs,
        &read,
        &signer,
        pool.as_ref(),
        &mut |result| match result {
            Ok(sig) => {
                line.clear();
                serde_json::to_writer(&mut line, &corpus::exchange::SignatureRecord::from(&sig))
                    .map_err(|e| Error::Output(e.into()))?;
                line.push(b'\n');
                out.write_all(&line).map_err(Error::Output)
            }
            Err(e) => {
                outcome.errors += 1;
                io.err
                    .write_all(report::render_error(&e, io.color_err, REPORT_WIDTH).as_bytes())
                    .map_err(Error::Output)
            }
        },
    )?;
    out.flush().map_err(Error::Output)?;
    Ok(outcome)
}

fn check(
    args: &CheckArgs,
    linter: &Linter,
    rules: Vec<RuleMeta>,
    exclude: Option<&ignore::gitignore::Gitignore>,
    pool: Option<&rayon::ThreadPool>,
    source: CorpusSource<'_>,
    io: &mut Io<'_>,
) -> Result<Outcome, Error> {
    let reporter: Box<dyn Reporter> = match args.format {
        OutputFormat::Human => Box::new(report::Human {
            color: io.color_out && args.output_file.is_none(),
            width: REPORT_WIDTH,
        }),
        OutputFormat::Concise => Box::new(report::Concise),
        OutputFormat::Json => Box::new(report::Json),
        OutputFormat::Records => Box::new(report::Records),
        OutputFormat::Jsonl => Box::new(report::JsonLines),
        OutputFormat::Sarif => Box::new(report::Sarif::new(rules)),
        OutputFormat::Github => Box::new(report::Github),
        OutputFormat::Gitlab => Box::new(report::Gitlab),
        OutputFormat::Junit => Box::new(report::Junit),
    };
    let mut read = read_options(&args.read);
    let fix = (args.fix || args.diff).then_some(fix::FixMode {
        unsafe_fixes: args.unsafe_fixes,
        diff: args.diff,
    });
    if args.unsafe_fixes && fix.is_none() {
        return Err(Error::Usage("--unsafe-fixes needs --fix or --diff".into()));
    }
    let mut found = walk::collect(
        &args.paths,
        exclude,
        args.read.input.stdin_filename.as_deref(),
    );
    let stdin = found
        .inputs
        .iter()
        .any(|i| matches!(i, walk::Input::Stdin { .. }));
    if args.fix && stdin && found.inputs.len() > 1 {
        return Err(Error::Usage(
            "--fix with `-` writes the fixed text to stdout, so stdin cannot be mixed with other inputs".into(),
        ));
    }
    let baseline = args.baseline.as_deref().map(baseline::read).transpose()?;
    // Corpus mode: the index the corpus rules read in the check (pass 2).
    let mut plan = corpus::Plan::new(&linter.corpus_needs(), args.read.group_by.clone());
    // 16 bytes a block entry.
    plan.block_budget = args.corpus_memory.map(|mib| mib.saturating_mul(1 << 16));
    let mut _spooled = None;
    let index = match source {
        _ if plan.is_empty() => None,
        CorpusSource::None => None,
        CorpusSource::Pass => {
            if fix.is_some() {
                return Err(Error::Usage(
                    "--corpus cannot be combined with --fix or --diff".into(),
                ));
            }
            read = plan.read_options(&read);
            // Standard input can be read once: keep it in a temporary file for both passes.
            if stdin {
                _spooled = Some(spool_stdin(&mut found.inputs)?);
            }
            let index = corpus::build(&found.inputs, &read, plan, pool)?;
            if let Some(dir) = &args.write_corpus {
                index.write_files(dir)?;
            }
            Some(index)
        }
        CorpusSource::Files { counts, clusters } => {
            read = plan.read_options(&read);
            Some(corpus::Index::from_files(plan, counts, clusters)?)
        }
    };
    // The report goes to --output-file when given (created only once the run starts).
    let mut file_out = create_output_file(args.output_file.as_deref())?;
    let mut io = Io {
        out: match file_out.as_mut() {
            Some(file) => file,
            None => &mut *io.out,
        },
        err: &mut *io.err,
        color_out: io.color_out && args.output_file.is_none(),
        color_err: io.color_err,
        progress: io.progress,
    };
    let settings = engine::Settings {
        fix,
        baseline,
        record_baseline: args.write_baseline.is_some(),
        linter,
        reporter: reporter.as_ref(),
        read,
        statistics: args.statistics,
        pool,
        color_err: io.color_err,
        progress: io.progress && !args.quiet,
        corpus: index.as_ref(),
    };
    let mut run = engine::Run::new(settings, &mut io, &found.inputs);
    for error in &found.errors {
        run.input_error(error)?;
    }
    let finished = run.check_all(&found.inputs)?;
    let mut outcome = finished.outcome;
    outcome.policy = ExitPolicy {
        fix,
        exit_zero: args.exit_zero,
        fail_on: args.fail_on.map(|s| match s {
            SeverityArg::Error => rules::Severity::Error,
            SeverityArg::Warning => rules::Severity::Warning,
            SeverityArg::Info => rules::Severity::Info,
        }),
    };
    if args.statistics {
        let table = report::render_statistics(args.format, &finished.counts);
        io.out.write_all(table.as_bytes()).map_err(Error::Output)?;
    }
    io.out.flush().map_err(Error::Output)?;
    if let Some(path) = &args.write_baseline {
        let recorded = finished.entries.len();
        baseline::write(path, finished.entries)?;
        writeln!(
            io.err,
            "wrote {recorded} findings to the baseline {}",
            path.display()
        )
        .map_err(Error::Output)?;
        // The recorded findings are accepted: the run succeeds unless an input failed.
        outcome.policy.exit_zero = true;
    }
    Ok(outcome)
}

/// Copies standard input to a temporary file and reads that instead (same name).
fn spool_stdin(inputs: &mut [walk::Input]) -> Result<tempfile::NamedTempFile, Error> {
    let mut file = tempfile::NamedTempFile::new().map_err(|source| Error::Io {
        path: "a temporary file for standard input".into(),
        source,
    })?;
    std::io::copy(&mut std::io::stdin().lock(), file.as_file_mut()).map_err(|source| {
        Error::Io {
            path: "<stdin>".into(),
            source,
        }
    })?;
    for input in inputs.iter_mut() {
        if let walk::Input::Stdin { name } = input {
            *input = walk::Input::File {
                path: file.path().to_path_buf(),
                name: name.clone(),
                explicit: true,
            };
        }
    }
    Ok(file)
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

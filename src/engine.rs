//! Runs a check over the inputs: files are read and checked in parallel batches, JSONL
//! inputs are streamed a batch of records at a time, and everything is written in input
//! order. Memory holds one batch, never the corpus.

use std::collections::{BTreeMap, HashSet};
use std::io::BufRead;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::baseline;
use crate::document::{Document, Format, jsonl};
use crate::error::{Error, ReadError};
use crate::fix::FixMode;
use crate::input::{self, ReadOptions};
use crate::linter::Linter;
use crate::report::{Reporter, RuleCount, render_error};
use crate::rules::Diagnostic;
use crate::walk::Input;
use crate::{Io, Outcome, REPORT_WIDTH, Tally};

/// Records per JSONL batch, and the most bytes a batch holds before it is checked.
const RECORD_BATCH: usize = 2048;
const RECORD_BATCH_BYTES: usize = 16 << 20;
/// Files per worker thread in one batch of `Run::check_all` (see there).
const FILES_PER_THREAD: usize = 64;

/// The result of checking one document (a file or a record), rendered on a worker.
enum Checked {
    Ok {
        record: bool,
        rendered: String,
        tally: Tally,
        counts: Vec<(String, bool)>,
        /// Findings left out because they are in the baseline.
        baselined: usize,
        /// For `--write-baseline`.
        entries: Vec<baseline::Entry>,
    },
    /// An input after `--fix` or `--diff`: what remains, and what was done.
    Fixed {
        remaining: Vec<Checked>,
        applied: usize,
        /// The diff (`--diff`) or the fixed text (`--fix` on stdin), for stdout.
        output: Option<String>,
        /// Messages for stderr that are not errors (did not converge).
        notes: Vec<String>,
        /// The file could not be written, or fixes were refused for it.
        error: Option<String>,
    },
    /// A binary file met while walking a directory: skipped without a word, as ripgrep does.
    Skipped,
    /// Blank JSONL line.
    Nothing,
    Failed {
        message: String,
        record_line: Option<String>,
    },
}

pub struct Settings<'a> {
    pub fix: Option<FixMode>,
    /// Findings whose fingerprint is here are not reported (`--baseline`).
    pub baseline: Option<HashSet<String>>,
    /// Collect the fingerprints of every finding (`--write-baseline`).
    pub record_baseline: bool,
    pub linter: &'a Linter,
    pub reporter: &'a dyn Reporter,
    pub read: ReadOptions,
    pub statistics: bool,
    pub pool: Option<&'a rayon::ThreadPool>,
    pub color_err: bool,
    /// Show a progress bar on stderr (decided by the caller: a terminal, not CI, not quiet).
    pub progress: bool,
    /// What the corpus pass found (`--corpus`, `corpus-report`), for the corpus rules.
    pub corpus: Option<&'a crate::corpus::Index>,
}

/// One raw line of a JSONL input.
pub(crate) struct RawLine {
    pub number: usize,
    pub offset: usize,
    pub bytes: Vec<u8>,
}

/// A batch of JSONL lines read from one input, for parsing in parallel.
pub(crate) struct JsonlBatch<'a> {
    pub lines: Vec<RawLine>,
    /// The input could not be read past the batch.
    pub failure: Option<ReadError>,
    pub eof: bool,
    name: &'a str,
    editable: bool,
    fields: &'a jsonl::Fields,
}

impl JsonlBatch<'_> {
    /// Parses one line of the batch into its record (`None` for a blank line).
    pub fn parse(&self, line: &RawLine) -> Result<Option<Document>, ReadError> {
        let text = std::str::from_utf8(&line.bytes).map_err(|e| ReadError::Encoding {
            path: format!("{}:{}", self.name, line.number),
            line: line.number,
            offset: line.offset + e.valid_up_to(),
        })?;
        let line = jsonl::Line {
            file: self.name,
            number: line.number,
            offset: line.offset,
            text,
            editable: self.editable,
        };
        jsonl::read_record(line, self.fields)
    }
}

/// Reads a JSONL input a batch of lines at a time: memory holds one batch.
pub(crate) struct JsonlBatches<'a> {
    reader: Box<dyn BufRead + Send>,
    name: &'a str,
    editable: bool,
    fields: &'a jsonl::Fields,
    line_number: usize,
    offset: usize,
}

impl<'a> JsonlBatches<'a> {
    pub fn new(
        reader: Box<dyn BufRead + Send>,
        input: &'a Input,
        gz: bool,
        read: &'a ReadOptions,
    ) -> Self {
        // A slice of a file on stdin (a Spark partition) is numbered as in the file, and
        // its offsets are the file's.
        let slice = match input {
            Input::Stdin { .. } => read.slice,
            Input::File { .. } => None,
        };
        let (line_number, offset) =
            slice.map_or((0, 0), |(line, byte)| (line.saturating_sub(1), byte));
        JsonlBatches {
            reader,
            name: input.name(),
            editable: !gz && (matches!(input, Input::File { .. }) || slice.is_some()),
            fields: &read.fields,
            line_number,
            offset,
        }
    }

    pub fn next_batch(&mut self) -> JsonlBatch<'a> {
        let mut batch = JsonlBatch {
            lines: Vec::new(),
            failure: None,
            eof: false,
            name: self.name,
            editable: self.editable,
            fields: self.fields,
        };
        let mut bytes = 0;
        while batch.lines.len() < RECORD_BATCH && bytes < RECORD_BATCH_BYTES {
            let mut buf = Vec::new();
            match self.reader.read_until(b'\n', &mut buf) {
                Ok(0) => {
                    batch.eof = true;
                    break;
                }
                Ok(n) => {
                    self.line_number += 1;
                    batch.lines.push(RawLine {
                        number: self.line_number,
                        offset: self.offset,
                        bytes: buf,
                    });
                    self.offset += n;
                    bytes += n;
                }
                Err(e) => {
                    batch.failure = Some(ReadError::Other {
                        path: self.name.to_owned(),
                        message: format!("read error after line {}: {e}", self.line_number),
                    });
                    break;
                }
            }
        }
        batch
    }
}

pub struct Run<'a, 'io> {
    s: Settings<'a>,
    io: &'a mut Io<'io>,
    outcome: Outcome,
    any: bool,
    counts: BTreeMap<String, RuleCount>,
    entries: Vec<baseline::Entry>,
    progress: Progress,
}

/// What a run leaves behind besides its output.
pub struct Finished {
    pub outcome: Outcome,
    pub counts: Vec<RuleCount>,
    /// The findings' baseline entries, when `record_baseline`.
    pub entries: Vec<baseline::Entry>,
}

/// A progress bar that only appears once a run has taken a second.
struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: bool,
    /// Bytes of input files done, plus bytes read so far of the JSONL input in progress.
    done: u64,
    streaming: Arc<AtomicU64>,
}

impl Progress {
    fn new(enabled: bool, total: u64) -> Self {
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
            if let Ok(style) = ProgressStyle::with_template(
                "{bar:30} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
            ) {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
            shown: false,
            done: 0,
            streaming: Arc::new(AtomicU64::new(0)),
        }
    }

    fn update(&mut self, message: &str) {
        let Some(bar) = &self.bar else { return };
        if !self.shown && self.started.elapsed() > Duration::from_secs(1) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
        bar.set_position(self.done + self.streaming.load(Ordering::Relaxed));
        bar.set_message(message.to_owned());
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    /// Runs `f` with the bar hidden, so output does not tear it.
    fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.bar {
            Some(bar) if self.shown => bar.suspend(f),
            _ => f(),
        }
    }
}

fn file_size(input: &Input) -> u64 {
    match input {
        Input::File { path, .. } => std::fs::metadata(path).map_or(0, |m| m.len()),
        Input::Stdin { .. } => 0,
    }
}

impl<'a, 'io> Run<'a, 'io> {
    pub fn new(settings: Settings<'a>, io: &'a mut Io<'io>, inputs: &[Input]) -> Self {
        let total = inputs.iter().map(file_size).sum();
        let progress = Progress::new(settings.progress, total);
        Run {
            s: settings,
            io,
            outcome: Outcome {
                checked: true,
                ..Outcome::default()
            },
            any: false,
            counts: BTreeMap::new(),
            entries: Vec::new(),
            progress,
        }
    }

    /// Reports an input that could not even be found.
    pub fn input_error(&mut self, error: &ReadError) -> Result<(), Error> {
        self.outcome.errors += 1;
        let rendered = render_error(error, self.s.color_err, REPORT_WIDTH);
        let io = &mut *self.io;
        self.progress
            .suspend(|| io.err.write_all(rendered.as_bytes()))
            .map_err(Error::Output)
    }

    /// Checks every input in order and returns the outcome.
    pub fn check_all(mut self, inputs: &[Input]) -> Result<Finished, Error> {
        if !self.s.statistics {
            let start = self.s.reporter.start();
            self.io
                .out
                .write_all(start.as_bytes())
                .map_err(Error::Output)?;
        }
        let threads = self
            .s
            .pool
            .map_or_else(rayon::current_num_threads, |p| p.current_num_threads());
        // Files are checked in parallel batches and written in order between them: every
        // batch ends with threads waiting for its slowest file, so batches of a few files
        // per thread left a tenth of two threads idle on a directory of articles.
        let batch_size = threads.max(1) * FILES_PER_THREAD;
        let mut batch: Vec<&Input> = Vec::new();
        for input in inputs {
            let (format, gz) = input::format_of(input, &self.s.read);
            // Fixing needs the whole file, so JSONL is only streamed when checking.
            if format == Format::Jsonl && self.s.fix.is_none() {
                self.files(&batch)?;
                batch.clear();
                self.jsonl(input, gz)?;
            } else {
                batch.push(input);
                if batch.len() >= batch_size {
                    self.files(&batch)?;
                    batch.clear();
                }
            }
        }
        self.files(&batch)?;
        if !self.s.statistics {
            let finish = self.s.reporter.finish(self.any);
            self.io
                .out
                .write_all(finish.as_bytes())
                .map_err(Error::Output)?;
        }
        self.io.out.flush().map_err(Error::Output)?;
        self.progress.finish();
        Ok(Finished {
            outcome: self.outcome,
            counts: self.counts.into_values().collect(),
            entries: self.entries,
        })
    }

    fn parallel<T: Send + Sync, R: Send>(
        &self,
        items: &[T],
        f: impl Fn(&T) -> R + Sync + Send,
    ) -> Vec<R> {
        let work = || items.par_iter().map(&f).collect();
        match self.s.pool {
            Some(pool) => pool.install(work),
            None => work(),
        }
    }

    fn files(&mut self, batch: &[&Input]) -> Result<(), Error> {
        if batch.is_empty() {
            return Ok(());
        }
        let s = &self.s;
        let results = self.parallel(batch, |input| {
            let (format, gz) = input::format_of(input, &s.read);
            if let Some(mode) = s.fix {
                return fix_one(input, format, gz, mode, s);
            }
            match input::read_document(input, format, gz) {
                Ok(doc) => check_document(&doc, s),
                Err(e) if skipped_in_walk(input, &e) => Checked::Skipped,
                Err(e) => failed(&e, None, s),
            }
        });
        for (input, result) in batch.iter().zip(results) {
            self.progress.done += file_size(input);
            self.write(result)?;
        }
        self.progress.update(batch.last().map_or("", |i| i.name()));
        Ok(())
    }

    fn jsonl(&mut self, input: &Input, gz: bool) -> Result<(), Error> {
        self.progress.streaming.store(0, Ordering::Relaxed);
        let reader = match input::open_lines(input, gz, Some(Arc::clone(&self.progress.streaming)))
        {
            Ok(reader) => reader,
            Err(e) => return self.write(failed(&e, None, &self.s)),
        };
        let name = input.name();
        let read = self.s.read.clone();
        let mut batches = JsonlBatches::new(reader, input, gz, &read);
        loop {
            let batch = batches.next_batch();
            let s = &self.s;
            let results = self.parallel(&batch.lines, |line| match batch.parse(line) {
                Ok(Some(doc)) => check_document(&doc, s),
                Ok(None) => Checked::Nothing,
                Err(e) => failed(&e, Some(line.number), s),
            });
            drop(batch.lines);
            for result in results {
                self.write(result)?;
            }
            self.progress.update(name);
            if let Some(error) = batch.failure {
                return self.write(failed(&error, None, &self.s));
            }
            if batch.eof {
                self.progress.done += self.progress.streaming.swap(0, Ordering::Relaxed);
                return Ok(());
            }
        }
    }

    fn write(&mut self, result: Checked) -> Result<(), Error> {
        match result {
            Checked::Ok {
                record,
                rendered,
                tally,
                counts,
                baselined,
                entries,
            } => {
                self.outcome.baselined += baselined;
                self.entries.extend(entries);
                if record {
                    self.outcome.records += 1;
                } else {
                    self.outcome.files += 1;
                }
                self.outcome.tally.add(tally);
                for (rule, has_fix) in counts {
                    let entry = self
                        .counts
                        .entry(rule.clone())
                        .or_insert_with(|| RuleCount {
                            rule,
                            ..RuleCount::default()
                        });
                    entry.count += 1;
                    entry.fixable += usize::from(has_fix);
                }
                self.emit(&rendered)
            }
            Checked::Fixed {
                remaining,
                applied,
                output,
                notes,
                error,
            } => {
                self.outcome.fixed += applied;
                self.outcome.changed_files += usize::from(applied > 0);
                let diff = self.s.fix.is_some_and(|m| m.diff);
                for result in remaining {
                    if diff || output.is_some() {
                        // A diff or the fixed text replaces the findings report.
                        self.count_only(result);
                    } else {
                        self.write(result)?;
                    }
                }
                if let Some(text) = output {
                    let io = &mut *self.io;
                    self.progress
                        .suspend(|| io.out.write_all(text.as_bytes()))
                        .map_err(Error::Output)?;
                }
                let mut messages = notes;
                if let Some(error) = error {
                    self.outcome.errors += 1;
                    messages.push(error);
                }
                for message in messages {
                    let io = &mut *self.io;
                    self.progress
                        .suspend(|| io.err.write_all(message.as_bytes()))
                        .map_err(Error::Output)?;
                }
                Ok(())
            }
            Checked::Skipped | Checked::Nothing => Ok(()),
            Checked::Failed {
                message,
                record_line,
            } => {
                self.outcome.errors += 1;
                if let Some(line) = record_line
                    && !self.s.statistics
                {
                    self.emit(&line)?;
                }
                self.io.out.flush().map_err(Error::Output)?;
                let io = &mut *self.io;
                self.progress
                    .suspend(|| io.err.write_all(message.as_bytes()))
                    .map_err(Error::Output)
            }
        }
    }

    /// Counts a result without writing its report.
    fn count_only(&mut self, result: Checked) {
        match result {
            Checked::Ok {
                record,
                tally,
                baselined,
                ..
            } => {
                self.outcome.baselined += baselined;
                if record {
                    self.outcome.records += 1;
                } else {
                    self.outcome.files += 1;
                }
                self.outcome.tally.add(tally);
            }
            Checked::Failed { .. } => self.outcome.errors += 1,
            _ => {}
        }
    }

    fn emit(&mut self, rendered: &str) -> Result<(), Error> {
        if rendered.is_empty() {
            return Ok(());
        }
        let separator = if self.any {
            self.s.reporter.separator()
        } else {
            self.s.reporter.first_separator()
        };
        self.any = true;
        let io = &mut *self.io;
        self.progress
            .suspend(|| {
                io.out.write_all(separator.as_bytes())?;
                io.out.write_all(rendered.as_bytes())
            })
            .map_err(Error::Output)
    }
}

fn check_document(doc: &Document, s: &Settings<'_>) -> Checked {
    let view = s.corpus.map(|index| index.view(doc));
    match s.linter.check_in_corpus(doc, view.as_ref()) {
        Ok(mut diagnostics) => {
            let mut baselined = 0;
            if let Some(known) = &s.baseline {
                let fingerprints = baseline::fingerprints(doc, &diagnostics);
                let before = diagnostics.len();
                let mut keep = fingerprints.iter().map(|f| !known.contains(f));
                diagnostics.retain(|_| keep.next().unwrap_or(true));
                baselined = before - diagnostics.len();
            }
            let entries = if s.record_baseline {
                baseline::entries(doc, &diagnostics)
            } else {
                Vec::new()
            };
            Checked::Ok {
                record: doc.record().is_some(),
                rendered: if s.statistics || s.record_baseline {
                    String::new()
                } else {
                    s.reporter.render(doc, &diagnostics)
                },
                tally: Tally::of(&diagnostics),
                counts: if s.statistics {
                    counts(&diagnostics)
                } else {
                    Vec::new()
                },
                baselined,
                entries,
            }
        }
        Err(crash) => {
            let error = ReadError::Other {
                path: doc.display_name(),
                message: format!(
                    "internal error: rule `{}` crashed on this input; please report it with the file",
                    crash.rule
                ),
            };
            failed(&error, None, s)
        }
    }
}

fn counts(diagnostics: &[Diagnostic]) -> Vec<(String, bool)> {
    diagnostics
        .iter()
        .map(|d| (d.rule.to_string(), d.fix.is_some()))
        .collect()
}

fn failed(error: &ReadError, line: Option<usize>, s: &Settings<'_>) -> Checked {
    Checked::Failed {
        message: render_error(error, s.color_err, REPORT_WIDTH),
        record_line: s.reporter.render_unreadable(line, &error.to_string()),
    }
}

/// `--fix` / `--diff` on one input: fix it to a fixed point, write it (or diff it), and
/// check what remains.
fn fix_one(input: &Input, format: Format, gz: bool, mode: FixMode, s: &Settings<'_>) -> Checked {
    let color_err = s.color_err;
    let fixed = match crate::fix::fix_input(
        input,
        format,
        gz,
        &s.read.fields,
        s.linter,
        mode.unsafe_fixes,
    ) {
        Ok(fixed) => fixed,
        Err(e) if skipped_in_walk(input, &e) => {
            return Checked::Skipped;
        }
        Err(e) => return failed(&e, None, s),
    };
    let name = input.name();
    let mut remaining: Vec<Checked> = fixed
        .docs
        .iter()
        .map(|doc| check_document(doc, s))
        .collect();
    remaining.extend(fixed.errors.iter().map(|e| failed(e, None, s)));
    let mut notes = Vec::new();
    if !fixed.converged {
        notes.push(format!(
            "warning: {name}: fixes did not converge after {} passes; run `--fix` again, and report this if it persists\n",
            crate::fix::MAX_PASSES
        ));
    }
    let error = fixed.refused.as_ref().map(|why| {
        let e = ReadError::Other {
            path: name.to_owned(),
            message: format!("not fixed: {why}"),
        };
        render_error(&e, color_err, REPORT_WIDTH)
    });
    let changed = fixed.fixed != fixed.original;
    let mut output = None;
    let mut write_error = None;
    if mode.diff {
        if changed {
            output = Some(unified_diff(name, &fixed.original, &fixed.fixed));
        }
    } else if let Input::Stdin { .. } = input {
        // `--fix` on stdin writes the fixed text to stdout.
        output = Some(if fixed.refused.is_some() {
            fixed.original.clone()
        } else {
            fixed.fixed.clone()
        });
    } else if changed
        && let Input::File { path, .. } = input
        && let Err(e) = crate::fix::write_atomic(path, fixed.fixed.as_bytes())
    {
        {
            let e = ReadError::Other {
                path: name.to_owned(),
                message: format!("cannot write the fixed file: {e}; the file is unchanged"),
            };
            write_error = Some(render_error(&e, color_err, REPORT_WIDTH));
        }
    }
    let applied = if write_error.is_some() {
        0
    } else {
        fixed.applied
    };
    Checked::Fixed {
        remaining,
        applied,
        output,
        notes,
        error: error.or(write_error),
    }
}

/// A unified diff of one file, `--- a/name` / `+++ b/name`.
fn unified_diff(name: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// A binary file found by walking a directory is skipped silently; named on the command
/// line, it is an error.
fn skipped_in_walk(input: &Input, e: &ReadError) -> bool {
    matches!(e, ReadError::Binary { .. })
        && matches!(
            input,
            Input::File {
                explicit: false,
                ..
            }
        )
}

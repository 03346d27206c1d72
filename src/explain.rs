//! `copylint explain-drop`: every quality filter's verdict on each document, with the
//! numbers behind it, as text for people or one JSON object per document. The numbers
//! come from `quality`, as the `quality` rules' findings do.

use serde::de::DeserializeOwned;
use serde_json::json;

use crate::cli::{ExplainArgs, ExplainFormat};
use crate::config::Config;
use crate::document::Document;
use crate::error::{Error, ReadError};
use crate::input;
use crate::quality::{self, Check, Detail, Note, Page, Verdict};
use crate::report::render_error;
use crate::{Io, Outcome, REPORT_WIDTH, walk};

/// The thresholds of the four filters, from the config's `[rules.NAME]` tables.
pub struct Filters {
    gopher: quality::gopher::Options,
    repetition: quality::repetition::Options,
    c4: quality::c4::Options,
    fineweb: quality::fineweb::Options,
}

fn options<T: DeserializeOwned + Default>(config: &Config, rule: &str) -> Result<T, Error> {
    let Some(rule_config) = config.rules.get(rule) else {
        return Ok(T::default());
    };
    rule_config.options.parse::<T>().map_err(|e| {
        let span = e.span.unwrap_or_else(|| rule_config.name_span.clone());
        Error::from(config.error(
            span,
            format!("invalid option for rule `{rule}`: {}", e.message),
            "here",
        ))
    })
}

impl Filters {
    pub fn from_config(config: &Config) -> Result<Self, Error> {
        Ok(Filters {
            gopher: options(config, quality::gopher::FILTER)?,
            repetition: options(config, quality::repetition::FILTER)?,
            c4: options(config, quality::c4::FILTER)?,
            fineweb: options(config, quality::fineweb::FILTER)?,
        })
    }

    /// Every filter's verdict on a text, in a fixed order; the words are split once.
    pub fn evaluate(&self, text: &str) -> Vec<Verdict> {
        let page = Page::new(text);
        vec![
            quality::gopher::evaluate(&page, &self.gopher, Detail::Full),
            quality::repetition::evaluate(&page, &self.repetition, Detail::Full),
            quality::c4::evaluate(&page, &self.c4, Detail::Full),
            quality::fineweb::evaluate(&page, &self.fineweb, Detail::Full),
        ]
    }
}

/// Runs `explain-drop`: reads every input (JSONL: every record) and writes its report.
pub fn run(args: &ExplainArgs, config: &Config, io: &mut Io<'_>) -> Result<Outcome, Error> {
    let filters = Filters::from_config(config)?;
    let exclude = walk::exclude_matcher(config)?;
    let found = walk::collect(
        &args.paths,
        exclude.as_ref(),
        args.input.stdin_filename.as_deref(),
    );
    let read = crate::input_options(&args.input);

    let mut outcome = Outcome::default();
    let mut fail = |io: &mut Io<'_>, e: &ReadError| -> Result<(), Error> {
        outcome.errors += 1;
        io.err
            .write_all(render_error(e, io.color_err, REPORT_WIDTH).as_bytes())
            .map_err(Error::Output)
    };
    for e in &found.errors {
        fail(io, e)?;
    }
    for item in &found.inputs {
        let (format, gz) = input::format_of(item, &read);
        let bytes = match input::read_bytes(item, gz) {
            Ok(bytes) => bytes,
            Err(e) => {
                fail(io, &e)?;
                continue;
            }
        };
        let (docs, errors) = input::parse(item, bytes, format, &read.fields);
        for e in &errors {
            fail(io, e)?;
        }
        for doc in docs {
            let verdicts = filters.evaluate(doc.text());
            let out = match args.format {
                ExplainFormat::Human => human(&doc, &verdicts),
                ExplainFormat::Json => json_line(&doc, &verdicts),
            };
            io.out.write_all(out.as_bytes()).map_err(Error::Output)?;
        }
    }
    io.out.flush().map_err(Error::Output)?;
    Ok(outcome)
}

/// The 1-based lines (in the file for HTML and Markdown) of a check's evidence.
fn lines_of(doc: &Document, check: &Check) -> Vec<usize> {
    check.evidence.as_ref().map_or_else(Vec::new, |e| {
        e.marks
            .iter()
            .map(|m| doc.locate(m.span).start.line)
            .collect()
    })
}

fn dropped_by(verdicts: &[Verdict]) -> Vec<&'static str> {
    verdicts
        .iter()
        .filter(|v| v.dropped)
        .map(|v| v.filter)
        .collect()
}

/// The text report of one document.
pub fn human(doc: &Document, verdicts: &[Verdict]) -> String {
    let mut s = String::new();
    let by = dropped_by(verdicts);
    let head = if by.is_empty() {
        "kept by every filter".to_owned()
    } else {
        format!("dropped by {}", by.join(", "))
    };
    s.push_str(&format!("{}: {head}\n", doc.display_name()));
    let width = verdicts
        .iter()
        .flat_map(|v| &v.checks)
        .map(|c| c.name.chars().count())
        .max()
        .unwrap_or(0);
    for v in verdicts {
        let mut status = if v.dropped { "dropped" } else { "kept" }.to_owned();
        if let Some(lines) = &v.lines
            && lines.removed > 0
        {
            status.push_str(&format!("; would remove {}", lines.describe()));
        }
        s.push_str(&format!("  {}: {status}\n", v.filter));
        let mut i = 0;
        while let Some(c) = v.checks.get(i) {
            // A range (`words` ≥ 50 and ≤ 100000) prints on one line.
            let pair = v
                .checks
                .get(i + 1)
                .filter(|d| d.name == c.name && d.value == c.value && d.bound != c.bound);
            let fails = c.fails || pair.is_some_and(|d| d.fails);
            let mark = if fails { "✗" } else { " " };
            let pad = width - c.name.chars().count();
            s.push_str(&format!(
                "  {mark} {}{} {:>9} {} {}",
                c.name,
                " ".repeat(pad),
                c.value_text(),
                c.relation(),
                c.threshold
            ));
            if let Some(d) = pair {
                s.push_str(&format!(", {} {}", d.relation(), d.threshold));
            }
            for c in std::iter::once(c).chain(pair) {
                if c.fails
                    && let Some(e) = &c.evidence
                    && e.total > 0
                {
                    let lines: Vec<String> =
                        lines_of(doc, c).iter().map(usize::to_string).collect();
                    let more = if e.total > lines.len() { ", …" } else { "" };
                    let word = if lines.len() == 1 { "line" } else { "lines" };
                    s.push_str(&format!(
                        "   ({}: {word} {}{more})",
                        e.describe(),
                        lines.join(", ")
                    ));
                }
            }
            s.push('\n');
            i += 1 + usize::from(pair.is_some());
        }
    }
    s.push('\n');
    s
}

/// A label's text: `repeats line 24`, or the filter's note.
pub fn note(doc: &Document, note: &Note) -> String {
    match note {
        Note::Repeats(first) => format!("repeats line {}", doc.locate(*first).start.line),
        Note::Text(text) => text.clone(),
    }
}

/// One JSON object (and a newline) per document.
pub fn json_line(doc: &Document, verdicts: &[Verdict]) -> String {
    let filters: Vec<serde_json::Value> = verdicts
        .iter()
        .map(|v| {
            let checks: Vec<serde_json::Value> = v
                .checks
                .iter()
                .map(|c| {
                    let mut value = json!({
                        "check": c.name,
                        "reason": c.reason,
                        "value": c.value,
                        "bound": c.bound,
                        "threshold": c.threshold,
                        "fails": c.fails,
                    });
                    if let Some(e) = &c.evidence
                        && c.fails
                    {
                        value["evidence"] = json!({
                            "what": e.what,
                            "count": e.total,
                            "marks": e.marks.iter().map(|m| json!({
                                "line": doc.locate(m.span).start.line,
                                "note": note(doc, &m.note),
                            })).collect::<Vec<_>>(),
                        });
                    }
                    value
                })
                .collect();
            let mut value = json!({
                "filter": v.filter,
                "dropped": v.dropped,
                "checks": checks,
            });
            if let Some(lines) = &v.lines {
                value["lines"] = json!({
                    "total": lines.lines,
                    "removed": lines.removed,
                    "by_reason": lines.by_reason.iter()
                        .map(|(reason, n)| json!({"reason": reason, "lines": n}))
                        .collect::<Vec<_>>(),
                });
            }
            value
        })
        .collect();
    let value = json!({
        "document": doc.name(),
        "record": doc.record(),
        "dropped": verdicts.iter().any(|v| v.dropped),
        "dropped_by": dropped_by(verdicts),
        "filters": filters,
    });
    let mut line = value.to_string();
    line.push('\n');
    line
}

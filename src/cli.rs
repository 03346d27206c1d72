//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::corpus::GroupBy;

#[derive(Debug, Parser)]
#[command(
    name = "copylint",
    version,
    about = "A linter for the quality of scraped article text"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Use this config file instead of discovering `copylint.toml`.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Ignore every config file: built-in defaults only.
    #[arg(long, global = true, conflicts_with = "config")]
    pub isolated: bool,

    /// When to use colours.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files or directories (default: `.`) and report findings.
    Check(Box<CheckArgs>),
    /// List every rule with its group, default severity, fix and summary.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Run the language server on stdin/stdout (for editors).
    Server,
    /// Show each document's verdict from every quality filter (Gopher, C4, FineWeb), with
    /// the numbers behind it.
    ExplainDrop(Box<ExplainArgs>),
    /// Print a rule's documentation, with examples.
    Rule {
        /// The rule's name, e.g. `trailing-whitespace`.
        name: String,
    },
    /// Corpus mode beyond one machine, step 1: write one JSONL line per document with
    /// its id, group, block hashes, MinHash band keys and shingle set.
    Signatures(Box<SignaturesArgs>),
    /// Corpus mode beyond one machine, step 3: check the inputs with the corpus rules
    /// reading aggregated counts and clusters (e.g. from Spark) instead of a corpus pass.
    CorpusReport(Box<CorpusReportArgs>),
}

#[derive(Debug, Args)]
pub struct SignaturesArgs {
    /// Files or directories to read; `-` reads standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub read: ReadArgs,

    /// Worker threads (default: one per core, or RAYON_NUM_THREADS).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// Write the signatures to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CorpusReportArgs {
    /// Block document frequencies per group (JSONL, see the README).
    #[arg(long, value_name = "FILE")]
    pub counts: Option<PathBuf>,

    /// Duplicate clusters: one line per member that is not its cluster's first (JSONL).
    #[arg(long, value_name = "FILE")]
    pub clusters: Option<PathBuf>,

    #[command(flatten)]
    pub check: CheckArgs,
}

/// How inputs are read: shared by `check`, `signatures`, `corpus-report` and
/// `explain-drop`.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// The name to report for standard input.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// How to read the inputs (default: by extension; stdin: by --stdin-filename, else text).
    #[arg(long, value_enum, default_value_t = InputFormatArg::Auto)]
    pub input_format: InputFormatArg,

    /// JSONL: the field that holds the text (dotted paths reach nested objects).
    #[arg(long, value_name = "FIELD", default_value = "text")]
    pub text_field: String,

    /// JSONL: the field that names a record (default: `id`, else `url`, else the line number).
    #[arg(long, value_name = "FIELD")]
    pub id_field: Option<String>,
}

/// How documents are read and grouped: shared by `check`, `signatures` and
/// `corpus-report`.
#[derive(Debug, Args)]
pub struct ReadArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Corpus mode: what makes a site for `site-boilerplate`: `auto` (the host of the
    /// record's `url` field, else the file's directory), `url`, `url:FIELD`,
    /// `field:FIELD` (the field's value), `directory` or `none` (one group).
    #[arg(long, value_name = "GROUPING", default_value = "auto")]
    pub group_by: GroupBy,

    /// JSONL on stdin that is a slice of a file (a Spark partition): the line number of
    /// its first line in the file, so that records are named and located as in the file.
    #[arg(long, value_name = "N", requires = "first_byte")]
    pub first_line: Option<usize>,

    /// JSONL on stdin that is a slice of a file: the byte offset of its first line.
    #[arg(long, value_name = "N", requires = "first_line")]
    pub first_byte: Option<usize>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check; `-` reads standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Rules or groups to enable, replacing the defaults and the config's `select`.
    #[arg(long, value_delimiter = ',', value_name = "RULE_OR_GROUP")]
    pub select: Option<Vec<String>>,

    /// Rules or groups to enable in addition to the selection.
    #[arg(long, value_delimiter = ',', value_name = "RULE_OR_GROUP")]
    pub extend_select: Vec<String>,

    /// Rules or groups to disable.
    #[arg(long, value_delimiter = ',', value_name = "RULE_OR_GROUP")]
    pub ignore: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    /// Do not print the summary line on stderr.
    #[arg(short, long)]
    pub quiet: bool,

    /// Worker threads (default: one per core, or RAYON_NUM_THREADS).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    #[command(flatten)]
    pub read: ReadArgs,

    /// Corpus mode: read the inputs twice, to find what only the whole corpus shows
    /// (`site-boilerplate`, `duplicate-document`).
    #[arg(long)]
    pub corpus: bool,

    /// With --corpus: also write what the corpus pass found, as `counts.jsonl` and
    /// `clusters.jsonl` in DIR (the files `corpus-report` reads).
    #[arg(long, value_name = "DIR", requires = "corpus")]
    pub write_corpus: Option<PathBuf>,

    /// With --corpus: memory in MiB for the block counts of `site-boilerplate`; beyond
    /// it they go to temporary files, counted one at a time (default 256).
    #[arg(long, value_name = "MIB", requires = "corpus")]
    pub corpus_memory: Option<usize>,

    /// Print the number of findings per rule instead of the findings.
    #[arg(long)]
    pub statistics: bool,

    /// Apply safe fixes, then report what remains. With `-`, write the fixed text to stdout.
    #[arg(long)]
    pub fix: bool,

    /// With --fix or --diff, apply unsafe fixes too.
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print a unified diff of what --fix would change; write nothing (exit 1 if there is a diff).
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,

    /// Write the report to FILE instead of stdout (the summary stays on stderr).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,

    /// Exit 0 even when there are findings (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,

    /// Only findings at this severity or above make the exit code 1 (default: any).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<SeverityArg>,

    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,

    /// Record the current findings in this baseline file (and report nothing).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Files or directories to explain; `-` reads standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
    pub format: ExplainFormat,

    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Each filter's verdict and numbers, one block per document.
    Human,
    /// One JSON object per document and line.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormatArg {
    Auto,
    Text,
    Markdown,
    Html,
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Graphical reports with source snippets.
    Human,
    /// `path:line:col: severity[rule] message`.
    Concise,
    /// One JSON array of findings.
    Json,
    /// One JSON line per document or JSONL record, in input order: `{"id", "findings"}`.
    Records,
    /// One JSON finding per line (the objects of `json`).
    Jsonl,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.
    Sarif,
    /// GitHub Actions workflow commands (`::warning file=…::message`), shown as annotations.
    Github,
    /// GitLab Code Quality report.
    Gitlab,
    /// JUnit XML, one test case per finding.
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    Check(CheckArgs),
    /// List every rule with its group, default severity, fix and summary.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Print a rule's documentation, with examples.
    Rule {
        /// The rule's name, e.g. `trailing-whitespace`.
        name: String,
    },
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

    /// The name to report for standard input.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// Worker threads (default: one per core, or RAYON_NUM_THREADS).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// How to read the inputs (default: by extension; stdin: by --stdin-filename, else text).
    #[arg(long, value_enum, default_value_t = InputFormatArg::Auto)]
    pub input_format: InputFormatArg,

    /// JSONL: the field that holds the text (dotted paths reach nested objects).
    #[arg(long, value_name = "FIELD", default_value = "text")]
    pub text_field: String,

    /// JSONL: the field that names a record (default: `id`, else `url`, else the line number).
    #[arg(long, value_name = "FIELD")]
    pub id_field: Option<String>,

    /// Print the number of findings per rule instead of the findings.
    #[arg(long)]
    pub statistics: bool,
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

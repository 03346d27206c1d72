//! The rule API: metadata, diagnostics, fixes, and the registry of built-in rules.
//! Rules look at a `Document` and push `Diagnostic`s; they never print or touch files.

mod c4_quality;
pub mod corpus;
mod dash_in_compound;
mod double_dash;
mod double_space;
pub(crate) mod duplicate_document;
mod duplicate_paragraph;
mod ellipsis;
mod fineweb_quality;
mod gopher_quality;
mod gopher_repetition;
mod inconsistent_dash;
mod inconsistent_quotes;
mod inconsistent_spelling;
mod invisible_character;
mod joined_words;
mod mojibake;
mod options;
mod quality_finding;
mod related_links_block;
mod repeated_word;
pub(crate) mod site_boilerplate;
mod trailing_whitespace;
mod unbalanced_quotes;
pub(crate) mod unused_suppression;

#[cfg(test)]
pub(crate) mod test;

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

pub use options::{NoOptions, OptionError, RuleOptions};

use crate::document::{Document, Span};

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether applying a fix can change meaning. Unsafe fixes need `--unsafe-fixes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    Safe,
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// What fixes a rule offers, for `copylint rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixAvailability {
    None,
    Safe,
    Unsafe,
    /// Safe for some findings, unsafe for others.
    SafeOrUnsafe,
}

impl FixAvailability {
    pub fn as_str(self) -> &'static str {
        match self {
            FixAvailability::None => "none",
            FixAvailability::Safe => "safe",
            FixAvailability::Unsafe => "unsafe",
            FixAvailability::SafeOrUnsafe => "safe-or-unsafe",
        }
    }
}

/// Well-known group names. Packs may add their own groups.
pub mod group {
    pub const WHITESPACE: &str = "whitespace";
    pub const UNICODE: &str = "unicode";
    pub const BOILERPLATE: &str = "boilerplate";
    pub const DUPLICATION: &str = "duplication";
    /// Dashes, quotes and ellipses: wrong characters and mixed styles.
    pub const TYPOGRAPHY: &str = "typography";
    pub const SPELLING: &str = "spelling";
    pub const CONSISTENCY: &str = "consistency";
    /// Document-level verdicts of published corpus filters (off by default).
    pub const QUALITY: &str = "quality";
}

/// A rule's metadata: what `copylint rules` lists and `copylint rule NAME` prints.
#[derive(Debug, Clone, Serialize)]
pub struct RuleMeta {
    /// Kebab-case, names the defect (`trailing-whitespace`).
    pub name: Cow<'static, str>,
    pub group: Cow<'static, str>,
    #[serde(rename = "default_severity")]
    pub severity: Severity,
    pub fix: FixAvailability,
    /// One line.
    pub summary: Cow<'static, str>,
    /// Markdown: what it does, why, a bad and a good example, the fix.
    pub docs: Cow<'static, str>,
    /// Enabled without `--select`.
    #[serde(rename = "default_enabled")]
    pub default_enabled: bool,
    /// `builtin`, or the path of the rule pack that defines it.
    pub origin: Cow<'static, str>,
}

/// A byte range into the document text and the text that replaces it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// A set of non-overlapping edits that together remove one finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fix {
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(applicability: Applicability, edits: Vec<Edit>) -> Self {
        Fix {
            applicability,
            edits,
        }
    }

    pub fn replace(
        applicability: Applicability,
        span: Span,
        replacement: impl Into<String>,
    ) -> Self {
        Fix::new(
            applicability,
            vec![Edit {
                span,
                replacement: replacement.into(),
            }],
        )
    }

    pub fn delete(applicability: Applicability, span: Span) -> Self {
        Fix::replace(applicability, span, "")
    }
}

/// A secondary span with a message (e.g. the first copy of a repeated paragraph).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One finding. Spans are byte ranges into `Document::text`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub rule: Cow<'static, str>,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub labels: Vec<Label>,
    /// Static text in most rules, so it is a `Cow` to spare an allocation per finding.
    pub help: Option<Cow<'static, str>>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A finding of `meta`'s rule at its default severity.
    pub fn new(meta: &RuleMeta, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            rule: meta.name.clone(),
            severity: meta.severity,
            message: message.into(),
            span,
            labels: Vec::new(),
            help: None,
            fix: None,
        }
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

/// A lint rule. `check` only reads the document and pushes findings.
///
/// A *corpus rule* sees across documents: it says in `corpus_need` what the corpus pass
/// of `check --corpus` must collect, and turns what the pass found for a document into
/// findings in `check_corpus`. Without `--corpus` it reports nothing.
pub trait Rule: Send + Sync {
    fn meta(&self) -> &RuleMeta;
    fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>);

    /// What the corpus pass must collect for this rule; `None` for document rules.
    fn corpus_need(&self) -> Option<corpus::Need> {
        None
    }

    /// Findings from what the corpus pass found for `doc` (corpus rules only).
    fn check_corpus(&self, _doc: &Document, _corpus: &corpus::View, _out: &mut Vec<Diagnostic>) {}

    /// A finding of this rule at its default severity.
    fn diagnostic(&self, span: Span, message: impl Into<String>) -> Diagnostic
    where
        Self: Sized,
    {
        Diagnostic::new(self.meta(), span, message)
    }
}

type Build = dyn Fn(&RuleOptions) -> Result<Box<dyn Rule>, OptionError> + Send + Sync;

/// A registry entry: a built-in rule's metadata and how to build it from its options.
pub struct RuleSpec {
    pub meta: &'static RuleMeta,
    build: Box<Build>,
}

impl RuleSpec {
    /// `new(&META, |options: Options| Rule::new(options))`; rules without options take `NoOptions`.
    pub fn new<R, O>(meta: &'static RuleMeta, make: fn(O) -> R) -> Self
    where
        R: Rule + 'static,
        O: DeserializeOwned + 'static,
    {
        RuleSpec {
            meta,
            build: Box::new(move |options| Ok(Box::new(make(options.parse::<O>()?)))),
        }
    }

    pub fn build(&self, options: &RuleOptions) -> Result<Box<dyn Rule>, OptionError> {
        (self.build)(options)
    }
}

/// Declares a built-in rule's metadata as a `static META` in the rule's module; the doc
/// comment becomes the rule's docs (`copylint rule NAME` prints it), as clippy does.
/// A rule that only some users want ends with `default_enabled: false`: it then runs
/// only when selected by name or group.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        name: $name:literal,
        group: $group:expr,
        severity: $severity:ident,
        fix: $fix:ident,
        summary: $summary:literal $(,)?
    ) => {
        $crate::declare_rule! {
            $(#[doc = $doc])*
            name: $name,
            group: $group,
            severity: $severity,
            fix: $fix,
            summary: $summary,
            default_enabled: true,
        }
    };
    (
        $(#[doc = $doc:literal])*
        name: $name:literal,
        group: $group:expr,
        severity: $severity:ident,
        fix: $fix:ident,
        summary: $summary:literal,
        default_enabled: $enabled:literal $(,)?
    ) => {
        pub static META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
            name: ::std::borrow::Cow::Borrowed($name),
            group: ::std::borrow::Cow::Borrowed($group),
            severity: $crate::rules::Severity::$severity,
            fix: $crate::rules::FixAvailability::$fix,
            summary: ::std::borrow::Cow::Borrowed($summary),
            docs: ::std::borrow::Cow::Borrowed(concat!($($doc, "\n"),*)),
            default_enabled: $enabled,
            origin: ::std::borrow::Cow::Borrowed("builtin"),
        };
    };
}

/// Every built-in rule, one line each, in alphabetical order.
#[rustfmt::skip]
pub fn builtin() -> Vec<RuleSpec> {
    vec![
        RuleSpec::new(&c4_quality::META, c4_quality::C4Quality::new),
        RuleSpec::new(&dash_in_compound::META, |_: NoOptions| dash_in_compound::DashInCompound),
        RuleSpec::new(&double_dash::META, double_dash::DoubleDash::new),
        RuleSpec::new(&double_space::META, double_space::DoubleSpace::new),
        RuleSpec::new(&duplicate_document::META, duplicate_document::DuplicateDocument::new),
        RuleSpec::new(&duplicate_paragraph::META, duplicate_paragraph::DuplicateParagraph::new),
        RuleSpec::new(&ellipsis::META, ellipsis::Ellipsis::new),
        RuleSpec::new(&fineweb_quality::META, fineweb_quality::FinewebQuality::new),
        RuleSpec::new(&gopher_quality::META, gopher_quality::GopherQuality::new),
        RuleSpec::new(&gopher_repetition::META, gopher_repetition::GopherRepetition::new),
        RuleSpec::new(&inconsistent_dash::META, inconsistent_dash::InconsistentDash::new),
        RuleSpec::new(&inconsistent_quotes::META, inconsistent_quotes::InconsistentQuotes::new),
        RuleSpec::new(&inconsistent_spelling::META, inconsistent_spelling::InconsistentSpelling::new),
        RuleSpec::new(&invisible_character::META, |_: NoOptions| invisible_character::InvisibleCharacter),
        RuleSpec::new(&joined_words::META, joined_words::JoinedWords::new),
        RuleSpec::new(&mojibake::META, |_: NoOptions| mojibake::Mojibake),
        RuleSpec::new(&related_links_block::META, related_links_block::RelatedLinksBlock::new),
        RuleSpec::new(&repeated_word::META, |_: NoOptions| repeated_word::RepeatedWord),
        RuleSpec::new(&site_boilerplate::META, site_boilerplate::SiteBoilerplate::new),
        RuleSpec::new(&trailing_whitespace::META, |_: NoOptions| trailing_whitespace::TrailingWhitespace),
        RuleSpec::new(&unbalanced_quotes::META, |_: NoOptions| unbalanced_quotes::UnbalancedQuotes),
        RuleSpec::new(&unused_suppression::META, |_: NoOptions| unused_suppression::UnusedSuppression),
    ]
}

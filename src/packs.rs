//! Declarative rule packs: TOML files of `existence`, `substitution` and `consistency`
//! entries (see `rules/README.md`). The packs under `rules/` are embedded in the binary;
//! users add their own with `packs = [...]` in the config.
//!
//! A pack compiles all its literal phrases into one Aho-Corasick automaton (one-word
//! literals into a word index) and all its regexes into one `RegexSet`, so checking a
//! document is one scan per pack, never one per phrase.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::document::{Document, Span, TokenKind, tokenize};
use crate::error::FileError;
use crate::rules::{Applicability, Diagnostic, Fix, FixAvailability, RuleMeta, Severity};
use crate::words::{self, WordShapes};

/// The packs compiled into the binary: `(path, contents)`. A test checks that this list
/// matches the `.toml` files under `rules/`.
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "rules/boilerplate.toml",
        include_str!("../rules/boilerplate.toml"),
    ),
    (
        "rules/misspellings.toml",
        include_str!("../rules/misspellings.toml"),
    ),
];

/// Regexes and automata are bounded so that a user pack cannot exhaust memory.
const REGEX_SIZE_LIMIT: usize = 10 * (1 << 20);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPack {
    pack: RawHeader,
    #[serde(default)]
    rule: Vec<Spanned<RawEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawHeader {
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    rule: Option<Spanned<String>>,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    severity: Option<Severity>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    docs: Option<String>,
    #[serde(default)]
    enabled: Option<bool>,
}

/// Rule metadata, given in the `[pack]` header for its default rule or on any entry.
/// (Written out in both structs: serde's `flatten` would disable `deny_unknown_fields`.)
#[derive(Debug, Default)]
struct RawMeta {
    group: Option<String>,
    severity: Option<Severity>,
    summary: Option<String>,
    docs: Option<String>,
    enabled: Option<bool>,
}

macro_rules! take_meta {
    ($raw:expr) => {
        RawMeta {
            group: $raw.group.take(),
            severity: $raw.severity.take(),
            summary: $raw.summary.take(),
            docs: $raw.docs.take(),
            enabled: $raw.enabled.take(),
        }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Existence,
    Substitution,
    Consistency,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Scope {
    /// Anywhere in the text, on word boundaries.
    #[default]
    Text,
    /// The matches must make up the whole line, but for allowed residue.
    Line,
}

/// Line scope: where on the line the first phrase must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Anchor {
    /// Anywhere, as long as the line holds no more than `extra-words` other words.
    #[default]
    None,
    /// The line must begin with a phrase (after punctuation and bullets).
    Start,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RawFix {
    None,
    Safe,
    Unsafe,
}

#[derive(Debug)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

// Written out rather than `#[serde(untagged)]`, which buffers every value: a pack of
// thousands of swaps (rules/misspellings.toml) loads several times faster this way.
impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = OneOrMany;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string or an array of strings")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany::One(v.to_owned()))
            }

            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<OneOrMany, E> {
                Ok(OneOrMany::One(v))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<OneOrMany, A::Error> {
                let mut all = Vec::new();
                while let Some(item) = seq.next_element::<String>()? {
                    all.push(item);
                }
                Ok(OneOrMany::Many(all))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawEntry {
    #[serde(default)]
    name: Option<Spanned<String>>,
    kind: Kind,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    severity: Option<Severity>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    docs: Option<String>,
    #[serde(default)]
    enabled: Option<bool>,
    message: Spanned<String>,
    #[serde(default)]
    help: Option<String>,
    #[serde(default)]
    ignore_case: Option<bool>,
    #[serde(default)]
    prose_only: bool,
    #[serde(default)]
    language: Option<Spanned<String>>,
    #[serde(default)]
    scope: Scope,
    #[serde(default)]
    extra_words: usize,
    #[serde(default)]
    anchor: Anchor,
    #[serde(default)]
    allow: Vec<Spanned<String>>,
    #[serde(default)]
    min_phrases: Option<usize>,
    #[serde(default)]
    require_number: bool,
    #[serde(default)]
    unless_heading: bool,
    #[serde(default)]
    tokens: Vec<Spanned<String>>,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
    #[serde(default)]
    swap: BTreeMap<Spanned<String>, Spanned<OneOrMany>>,
    #[serde(default)]
    either: Vec<Spanned<Vec<String>>>,
    #[serde(default)]
    fix: Option<Spanned<RawFix>>,
    #[serde(default)]
    bad: Vec<String>,
    #[serde(default)]
    good: Vec<String>,
}

/// What a line-scope entry asks of a line besides its phrases.
#[derive(Debug, Clone, Copy, Default)]
struct LineRule {
    extra_words: usize,
    anchor: Anchor,
    /// Different phrases the line must hold (`©` and `All rights reserved`).
    min_phrases: usize,
    /// The line must hold a number: a counter (`Comments (12)`).
    require_number: bool,
    /// Leave the line alone when prose follows it: it heads that prose.
    unless_heading: bool,
}

/// A message with `{match}`-style placeholders, checked when the pack loads.
#[derive(Debug, Clone)]
struct Template(String);

impl Template {
    fn render(&self, vars: &[(&str, &str)]) -> String {
        let mut out = self.0.clone();
        for (key, value) in vars {
            out = out.replace(&format!("{{{key}}}"), value);
        }
        out
    }
}

#[derive(Debug, Clone)]
enum EntryKind {
    Existence { scope: Scope, line: LineRule },
    Substitution,
    Consistency { groups: Vec<Vec<String>> },
}

#[derive(Debug, Clone)]
struct Entry {
    /// Index into `Pack::metas`.
    rule: usize,
    kind: EntryKind,
    severity: Option<Severity>,
    message: Template,
    help: Option<String>,
    fix: Option<Applicability>,
    /// Matches inside URLs, e-mail addresses, handles, hashtags and code spans are
    /// dropped.
    prose_only: bool,
    /// Matches only in paragraphs that look English (`language = "en"`).
    english_only: bool,
}

#[derive(Debug, Clone)]
enum Payload {
    Existence,
    /// A line-scope `allow` phrase: it may fill a flagged line but never flags one.
    Allow,
    /// The correct forms; more than one means the fix is a guess.
    Swap(Vec<String>),
    /// Variant `variant` of group `group` of a consistency entry.
    Variant {
        group: usize,
        variant: usize,
    },
}

#[derive(Debug, Clone)]
struct Pattern {
    entry: usize,
    case_sensitive: bool,
    /// The literal as written, for case-sensitive comparison.
    literal: Option<String>,
    payload: Payload,
}

/// One compiled pack.
#[derive(Debug)]
pub struct Pack {
    path: String,
    name: String,
    description: Option<String>,
    metas: Vec<RuleMeta>,
    /// Where each rule's name is written, for errors found later (a clash with a built-in).
    name_spans: Vec<Range<usize>>,
    source: String,
    entries: Vec<Entry>,
    literals: Vec<Pattern>,
    automaton: Option<AhoCorasick>,
    /// Line-scope `allow` phrases, searched only on lines that a real phrase may flag:
    /// fillers such as "and" would otherwise match everywhere.
    allow_literals: Vec<Pattern>,
    allow_automaton: Option<AhoCorasick>,
    /// Automaton pattern id → index into `literals`.
    automaton_literals: Vec<usize>,
    /// When every automaton phrase has a non-ASCII character and no line break
    /// (`Síguenos en`, `Zurück zur Startseite`): those characters. Only lines holding
    /// one of them can match, and most lines of a text hold none.
    automaton_triggers: Option<Vec<char>>,
    /// Literals that are one ASCII word, and phrases that start with one (`Share this`),
    /// keyed by that word in lowercase → indices into `literals`: matched by looking each
    /// word of the text up (and comparing the rest of a phrase in place), which is faster
    /// than scanning every byte with an automaton of thousands of phrases and costs
    /// nothing to build (see `rules/misspellings.toml`).
    word_literals: HashMap<Box<[u8]>, Vec<usize>, BuildFx>,
    /// The shortest and longest key of `word_literals`.
    word_lengths: (usize, usize),
    /// The shapes (see `WordShapes`) of the keys of `word_literals`: most words of a
    /// text are ruled out by one bit before they are lowercased and hashed.
    word_shapes: WordShapes,
    regex_patterns: Vec<Pattern>,
    regexes: Vec<Regex>,
    regex_set: Option<RegexSet>,
    examples: Vec<Example>,
}

/// A `bad` or `good` line of an entry, for the pack's self-test.
#[derive(Debug, Clone)]
pub struct Example {
    pub rule: String,
    pub text: String,
    pub should_flag: bool,
}

/// One match before it becomes a finding.
#[derive(Debug, Clone, Copy)]
struct Hit {
    span: Span,
    pattern: usize,
    regex: bool,
}

impl Pack {
    /// Parses and compiles a pack; `path` names it in errors.
    pub fn load(path: &str, source: &str) -> Result<Pack, Box<FileError>> {
        let raw: RawPack = toml::from_str(source).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            FileError::new(
                path,
                source,
                span,
                format!("invalid rule pack: {}", e.message().trim()),
                "here",
            )
        })?;
        Compiler {
            path,
            source,
            pack: Pack {
                path: path.to_owned(),
                name: raw.pack.name.clone(),
                description: raw.pack.description.clone(),
                metas: Vec::new(),
                name_spans: Vec::new(),
                source: source.to_owned(),
                entries: Vec::new(),
                literals: Vec::new(),
                automaton: None,
                allow_literals: Vec::new(),
                allow_automaton: None,
                automaton_literals: Vec::new(),
                automaton_triggers: None,
                word_literals: HashMap::default(),
                word_lengths: (usize::MAX, 0),
                // 2^17 bits, 16 KB: stays in cache.
                word_shapes: WordShapes::new(17),
                regex_patterns: Vec::new(),
                regexes: Vec::new(),
                regex_set: None,
                examples: Vec::new(),
            },
            literal_texts: Vec::new(),
            allow_texts: Vec::new(),
            regex_texts: Vec::new(),
            metas_raw: Vec::new(),
        }
        .compile(raw)
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The rules this pack defines.
    pub fn metas(&self) -> &[RuleMeta] {
        &self.metas
    }

    pub fn examples(&self) -> &[Example] {
        &self.examples
    }

    /// An error at the place where rule `index`'s name is written.
    pub fn error_at_rule(&self, index: usize, message: impl Into<String>) -> Box<FileError> {
        let span = self.name_spans.get(index).cloned().unwrap_or(0..0);
        FileError::new(&self.path, &self.source, span, message, "this rule")
    }

    /// Checks `doc` with the rules whose `enabled[i]` is true (`i` indexes `metas()`).
    pub fn check(&self, doc: &Document, enabled: &[bool], out: &mut Vec<Diagnostic>) {
        let on = |entry: usize| {
            self.entries
                .get(entry)
                .is_some_and(|e| enabled.get(e.rule) == Some(&true))
        };
        let text = doc.text();
        let mut hits: Vec<Hit> = Vec::new();
        if !self.word_literals.is_empty() {
            let (shortest, longest) = self.word_lengths;
            let mut key = [0u8; 64];
            for &span in doc.ascii_words() {
                if span.len() < shortest
                    || span.len() > longest
                    || span.len() > key.len()
                    || !self.word_shapes.may_contain(&text.as_bytes()[span.range()])
                {
                    continue;
                }
                let key = &mut key[..span.len()];
                key.copy_from_slice(&text.as_bytes()[span.range()]);
                key.make_ascii_lowercase();
                let Some(indices) = self.word_literals.get(&*key) else {
                    continue;
                };
                for &index in indices {
                    let Some(pattern) = self.literals.get(index) else {
                        continue;
                    };
                    let Some(literal) = pattern.literal.as_deref() else {
                        continue;
                    };
                    if !on(pattern.entry) {
                        continue;
                    }
                    // A phrase: the rest of it must follow the word, as written (ASCII
                    // case aside), and end on a word boundary.
                    let span = Span::new(span.start, span.start + literal.len());
                    let Some(found) = text.get(span.range()) else {
                        continue;
                    };
                    let same = if pattern.case_sensitive {
                        found == literal
                    } else {
                        found.eq_ignore_ascii_case(literal)
                    };
                    if !same || !on_word_boundaries(text, span) {
                        continue;
                    }
                    hits.push(Hit {
                        span,
                        pattern: index,
                        regex: false,
                    });
                }
            }
        }
        if let Some(automaton) = &self.automaton {
            let mut matches = Vec::new();
            match &self.automaton_triggers {
                Some(triggers) => {
                    let mut at = 0;
                    for line in text.split_inclusive('\n') {
                        if !line.is_ascii()
                            && line.chars().any(|c| !c.is_ascii() && triggers.contains(&c))
                        {
                            matches.extend(automaton.find_overlapping_iter(line).map(|m| {
                                (
                                    m.pattern().as_usize(),
                                    Span::new(at + m.start(), at + m.end()),
                                )
                            }));
                        }
                        at += line.len();
                    }
                }
                None => matches.extend(
                    automaton
                        .find_overlapping_iter(text)
                        .map(|m| (m.pattern().as_usize(), Span::new(m.start(), m.end()))),
                ),
            }
            for (id, span) in matches {
                let Some(&index) = self.automaton_literals.get(id) else {
                    continue;
                };
                let Some(pattern) = self.literals.get(index) else {
                    continue;
                };
                if !on(pattern.entry) {
                    continue;
                }
                let matched = doc.slice(span);
                if pattern.case_sensitive && pattern.literal.as_deref() != Some(matched) {
                    continue;
                }
                if on_word_boundaries(text, span) {
                    hits.push(Hit {
                        span,
                        pattern: index,
                        regex: false,
                    });
                }
            }
        }
        if let Some(set) = &self.regex_set {
            // The set reports which regexes match in one overlapping pass, which cannot
            // skip ahead with a literal prefilter; a single regex can, so it is run alone.
            let matching: Vec<usize> = if self.regexes.len() == 1 {
                vec![0]
            } else {
                set.matches(text).iter().collect()
            };
            for index in matching {
                let (Some(pattern), Some(regex)) =
                    (self.regex_patterns.get(index), self.regexes.get(index))
                else {
                    continue;
                };
                if !on(pattern.entry) {
                    continue;
                }
                for m in regex.find_iter(text) {
                    let span = Span::new(m.start(), m.end());
                    if !span.is_empty() && on_word_boundaries(text, span) {
                        hits.push(Hit {
                            span,
                            pattern: index,
                            regex: true,
                        });
                    }
                }
            }
        }
        if hits.is_empty() {
            return;
        }
        self.drop_masked(doc, &mut hits);
        if hits.is_empty() {
            return;
        }
        // Group the hits by entry; each entry kind turns its hits into findings.
        let mut by_entry: BTreeMap<usize, Vec<Hit>> = BTreeMap::new();
        for hit in hits {
            by_entry
                .entry(self.pattern(hit).entry)
                .or_default()
                .push(hit);
        }
        for (entry_index, mut hits) in by_entry {
            let Some(entry) = self.entries.get(entry_index) else {
                continue;
            };
            hits.sort_by_key(|h| (h.span.start, std::cmp::Reverse(h.span.end)));
            match &entry.kind {
                EntryKind::Existence {
                    scope: Scope::Text, ..
                } => {
                    for hit in leftmost_longest(hits) {
                        out.push(self.existence_finding(doc, entry, hit.span, hit.span));
                    }
                }
                EntryKind::Existence {
                    scope: Scope::Line,
                    line,
                } => {
                    self.check_lines(doc, entry_index, &hits, *line, out);
                }
                EntryKind::Substitution => {
                    for hit in leftmost_longest(hits) {
                        out.push(self.substitution_finding(doc, entry, hit));
                    }
                }
                EntryKind::Consistency { groups } => {
                    self.check_consistency(doc, entry, groups, leftmost_longest(hits), out);
                }
            }
        }
    }

    /// Drops the hits of `prose-only` entries that touch a URL, an e-mail address, a
    /// handle, a hashtag, code or a code span (`words::is_prose`, which looks at the
    /// whitespace-delimited chunk: cheaper than tokenizing the document), and those of
    /// `language = "en"` entries outside English paragraphs. Both views are computed
    /// only when an entry needs them.
    fn drop_masked(&self, doc: &Document, hits: &mut Vec<Hit>) {
        let entry_of = |hit: &Hit| self.entries.get(self.pattern(*hit).entry);
        let need_prose = hits
            .iter()
            .any(|h| entry_of(h).is_some_and(|e| e.prose_only));
        let need_english = hits
            .iter()
            .any(|h| entry_of(h).is_some_and(|e| e.english_only));
        if !need_prose && !need_english {
            return;
        }
        let code = if need_prose {
            words::code_spans(doc.text())
        } else {
            Vec::new()
        };
        let mut english = words::English::new(doc);
        hits.retain(|hit| {
            let Some(entry) = entry_of(hit) else {
                return false;
            };
            if entry.prose_only && !words::is_prose(doc.text(), hit.span, &code) {
                return false;
            }
            if entry.english_only && !english.at(hit.span.start) {
                return false;
            }
            true
        });
    }

    fn pattern(&self, hit: Hit) -> &Pattern {
        if hit.regex {
            &self.regex_patterns[hit.pattern]
        } else {
            &self.literals[hit.pattern]
        }
    }

    fn base(&self, entry: &Entry, span: Span, message: String) -> Diagnostic {
        let meta = &self.metas[entry.rule];
        let mut d = Diagnostic::new(meta, span, message);
        if let Some(severity) = entry.severity {
            d.severity = severity;
        }
        if let Some(help) = &entry.help {
            d.help = Some(Cow::Owned(help.clone()));
        }
        d
    }

    fn existence_finding(
        &self,
        doc: &Document,
        entry: &Entry,
        span: Span,
        matched: Span,
    ) -> Diagnostic {
        let line = doc
            .line(doc.line_of(matched.start))
            .map_or("", |l| l.text.trim_matches(char::is_whitespace));
        let message = entry
            .message
            .render(&[("match", doc.slice(matched)), ("line", &shorten(line))]);
        self.base(entry, span, message)
    }

    /// Line scope: a line is flagged when its matches (with `allow` phrases), plus at most
    /// `extra_words` other words and any handles, URLs, numbers and punctuation, make up
    /// the whole line, and it meets the other demands of `rule`.
    fn check_lines(
        &self,
        doc: &Document,
        entry_index: usize,
        hits: &[Hit],
        rule: LineRule,
        out: &mut Vec<Diagnostic>,
    ) {
        let LineRule {
            extra_words,
            anchor,
            min_phrases,
            require_number,
            unless_heading,
        } = rule;
        let Some(entry) = self.entries.get(entry_index) else {
            return;
        };
        let mut i = 0;
        while i < hits.len() {
            let line_index = doc.line_of(hits[i].span.start);
            let mut j = i;
            while j < hits.len() && doc.line_of(hits[j].span.start) == line_index {
                j += 1;
            }
            let line_hits = &hits[i..j];
            i = j;
            let Some(line) = doc.line(line_index) else {
                continue;
            };
            let Some(&first) = line_hits.first() else {
                continue;
            };
            if line_hits.iter().any(|h| h.span.end > line.span.end) || is_numbered_item(line.text) {
                continue;
            }
            if anchor == Anchor::Start
                && !tokenize(doc.slice(Span::new(line.span.start, first.span.start)), 0).is_empty()
            {
                continue;
            }
            // `allow` phrases only fill a line that a real phrase flags.
            let mut spans: Vec<Span> = line_hits.iter().map(|h| h.span).collect();
            spans.extend(self.allow_hits(doc, entry_index, line.span));
            spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
            let mut covered: Vec<Span> = Vec::new();
            for span in spans {
                match covered.last_mut() {
                    Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
                    _ => covered.push(span),
                }
            }
            let gaps = || {
                let mut at = line.span.start;
                covered
                    .iter()
                    .copied()
                    .chain(std::iter::once(Span::new(line.span.end, line.span.end)))
                    .map(move |span| {
                        let gap = doc.slice(Span::new(at, span.start.max(at)));
                        at = at.max(span.end);
                        gap
                    })
            };
            // Most lines with a hit are prose: reject them on a cheap lower bound of their
            // words before tokenizing.
            if gaps().map(surely_words).sum::<usize>() > extra_words {
                continue;
            }
            let words: usize = gaps()
                .map(|gap| {
                    tokenize(gap, 0)
                        .iter()
                        .filter(|t| t.kind == TokenKind::Word)
                        .count()
                })
                .sum();
            if words > extra_words {
                continue;
            }
            if min_phrases > 1 {
                let mut phrases: Vec<&str> = line_hits.iter().map(|h| doc.slice(h.span)).collect();
                phrases.sort_unstable_by_key(|p| p.to_lowercase());
                phrases.dedup_by_key(|p| p.to_lowercase());
                if phrases.len() < min_phrases {
                    continue;
                }
            }
            if require_number
                && !tokenize(line.text, 0)
                    .iter()
                    .any(|t| t.kind == TokenKind::Number)
            {
                continue;
            }
            if unless_heading && heads_prose(doc, line_index) {
                continue;
            }
            let content = trim_span(doc, line.span);
            let mut d = self.existence_finding(doc, entry, content, first.span);
            if let (Some(applicability), Some(whole)) =
                (entry.fix, doc.line_span_with_break(line_index))
            {
                d = d.with_fix(Fix::delete(applicability, whole));
            }
            out.push(d);
        }
    }

    /// The spans of entry `entry`'s `allow` phrases on the line at `line`.
    fn allow_hits(&self, doc: &Document, entry: usize, line: Span) -> Vec<Span> {
        let Some(automaton) = &self.allow_automaton else {
            return Vec::new();
        };
        let text = doc.text();
        let mut out = Vec::new();
        for m in automaton.find_overlapping_iter(doc.slice(line)) {
            let Some(pattern) = self.allow_literals.get(m.pattern().as_usize()) else {
                continue;
            };
            let span = Span::new(line.start + m.start(), line.start + m.end());
            if pattern.entry != entry
                || (pattern.case_sensitive && pattern.literal.as_deref() != Some(doc.slice(span)))
                || !on_word_boundaries(text, span)
            {
                continue;
            }
            out.push(span);
        }
        out
    }

    fn substitution_finding(&self, doc: &Document, entry: &Entry, hit: Hit) -> Diagnostic {
        let matched = doc.slice(hit.span);
        let pattern = self.pattern(hit);
        let replacements: Vec<String> = match &pattern.payload {
            Payload::Swap(options) if hit.regex => {
                let regex = &self.regexes[hit.pattern];
                options
                    .iter()
                    .map(|r| match regex.captures(matched) {
                        Some(caps) => {
                            let mut s = String::new();
                            caps.expand(r, &mut s);
                            s
                        }
                        None => r.clone(),
                    })
                    .collect()
            }
            Payload::Swap(options) => options.iter().map(|r| match_case(matched, r)).collect(),
            _ => Vec::new(),
        };
        let shown = replacements
            .iter()
            .map(|r| format!("\"{r}\""))
            .collect::<Vec<_>>()
            .join(" or ");
        let bare = replacements.join(" or ");
        let message = entry
            .message
            .render(&[("match", matched), ("replacement", &bare)]);
        let mut d = self.base(entry, hit.span, message);
        if d.help.is_none() && !shown.is_empty() {
            d.help = Some(Cow::Owned(format!("Replace with {shown}")));
        }
        if let (Some(applicability), Some(first)) = (entry.fix, replacements.first()) {
            let applicability = if replacements.len() > 1 {
                Applicability::Unsafe
            } else {
                applicability
            };
            d = d.with_fix(Fix::replace(applicability, hit.span, first.clone()));
        }
        d
    }

    /// Consistency: within a document, the forms of one group that are not the majority
    /// form are flagged (on a tie, the form that appears later).
    fn check_consistency(
        &self,
        doc: &Document,
        entry: &Entry,
        groups: &[Vec<String>],
        hits: Vec<Hit>,
        out: &mut Vec<Diagnostic>,
    ) {
        // group → variant → occurrences
        let mut seen: BTreeMap<usize, BTreeMap<usize, Vec<Span>>> = BTreeMap::new();
        for hit in hits {
            if let Payload::Variant { group, variant } = self.pattern(hit).payload {
                seen.entry(group)
                    .or_default()
                    .entry(variant)
                    .or_default()
                    .push(hit.span);
            }
        }
        for (group, variants) in seen {
            if variants.len() < 2 {
                continue;
            }
            let Some((&majority, majority_spans)) = variants
                .iter()
                .max_by_key(|(_, spans)| (spans.len(), std::cmp::Reverse(spans[0].start)))
            else {
                continue;
            };
            let first = majority_spans[0];
            let majority_text = groups
                .get(group)
                .and_then(|g| g.get(majority))
                .cloned()
                .unwrap_or_default();
            let majority_count = majority_spans.len().to_string();
            for (&variant, spans) in &variants {
                if variant == majority {
                    continue;
                }
                let count = spans.len().to_string();
                for &span in spans {
                    let matched = doc.slice(span);
                    let message = entry.message.render(&[
                        ("match", matched),
                        ("majority", &majority_text),
                        ("count", &count),
                        ("majority_count", &majority_count),
                    ]);
                    let mut d = self.base(entry, span, message).with_label(
                        first,
                        format!("\"{majority_text}\" is used {majority_count} times, first here"),
                    );
                    if d.help.is_none() {
                        d.help = Some(Cow::Owned(format!("Use \"{majority_text}\" throughout")));
                    }
                    if let Some(applicability) = entry.fix {
                        d = d.with_fix(Fix::replace(applicability, span, majority_text.clone()));
                    }
                    out.push(d);
                }
            }
        }
    }
}

type BuildFx = BuildHasherDefault<words::FxHasher>;

/// Keeps the leftmost, then longest, of overlapping hits (input sorted by start, longest first).
fn leftmost_longest(hits: Vec<Hit>) -> Vec<Hit> {
    let mut out: Vec<Hit> = Vec::with_capacity(hits.len());
    for hit in hits {
        if out
            .last()
            .is_none_or(|last| hit.span.start >= last.span.end)
        {
            out.push(hit);
        }
    }
    out
}

/// A match whose first (last) character is a letter or digit must not continue a word
/// on that side: `Share this` does not match inside `Shares thistle`.
fn on_word_boundaries(text: &str, span: Span) -> bool {
    let (Some(head), Some(tail)) = (text.get(span.range()), text.get(..span.start)) else {
        return false;
    };
    let inner_first = head.chars().next();
    let inner_last = head.chars().next_back();
    let before = tail.chars().next_back();
    let after = text.get(span.end..).and_then(|s| s.chars().next());
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let glued_start = word(inner_first) && word(before);
    let glued_end = word(inner_last) && word(after);
    !glued_start && !glued_end
}

/// The ASCII word that `literal` starts with, when the text's word list
/// (`Document::ascii_words`) would give it whole wherever the literal occurs: a run of
/// ASCII letters (at most 64) that a digit, `_` or non-ASCII letter does not continue.
fn leading_ascii_word(literal: &str) -> Option<&[u8]> {
    let bytes = literal.as_bytes();
    let len = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let glued = literal
        .get(len..)
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| c.is_alphanumeric() || c == '_');
    (len > 0 && len <= 64 && !glued).then(|| &bytes[..len])
}

/// Longest `{line}` shown in a message, in characters.
const MAX_LINE_IN_MESSAGE: usize = 60;

/// The line for a message: whole up to `MAX_LINE_IN_MESSAGE` characters, else cut with `…`.
fn shorten(line: &str) -> Cow<'_, str> {
    match line.char_indices().nth(MAX_LINE_IN_MESSAGE) {
        None => Cow::Borrowed(line),
        Some(_) => {
            let cut = line
                .char_indices()
                .nth(MAX_LINE_IN_MESSAGE - 1)
                .map_or(line.len(), |(i, _)| i);
            Cow::Owned(format!("{}…", line[..cut].trim_end()))
        }
    }
}

/// Words a paragraph needs to count as prose after a heading.
const MIN_PROSE_WORDS: usize = 10;

/// Whether the next non-blank line of `line` is prose: `MIN_PROSE_WORDS` words or more
/// ending with a period. `About Us` above "Since 2004, Translators USA has served ..." is
/// the heading of that paragraph, not a link of the page's menu.
fn heads_prose(doc: &Document, line: usize) -> bool {
    let next = (line + 1..doc.line_count())
        .filter_map(|i| doc.line(i))
        .find(|l| !crate::document::chars::is_blank(l.text));
    next.is_some_and(|l| {
        // A sentence ends with a period (a headline, even a question, does not).
        let text = l
            .text
            .trim_end()
            .trim_end_matches(['"', '”', '’', '»', ')']);
        text.ends_with(['.', '!', '…'])
            && text.split_whitespace().nth(MIN_PROSE_WORDS - 1).is_some()
    })
}

/// `1. Contact Us`, `2) Share`: an item of a numbered list is part of what the author
/// wrote (steps of a how-to), not a widget.
fn is_numbered_item(line: &str) -> bool {
    let rest = line.trim_start();
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let mut after = rest.get(digits..).unwrap_or("").chars();
    (1..=3).contains(&digits)
        && matches!(after.next(), Some('.' | ')'))
        && after.next().is_some_and(char::is_whitespace)
}

/// A lower bound of the words `tokenize` finds in `gap`: the whitespace-separated chunks
/// with a letter and none of the characters that start or join an address or a number.
fn surely_words(gap: &str) -> usize {
    gap.split_whitespace()
        .filter(|chunk| {
            chunk.chars().any(char::is_alphabetic) && !chunk.contains(['@', '#', '.', '/', ':'])
        })
        .count()
}

/// The span without leading and trailing whitespace.
fn trim_span(doc: &Document, span: Span) -> Span {
    let text = doc.slice(span);
    let start = span.start + (text.len() - text.trim_start().len());
    let end = span.start + text.trim_end().len();
    if start < end {
        Span::new(start, end)
    } else {
        span
    }
}

/// `Recieve` → `Receive`, `RECIEVE` → `RECEIVE`, `recieve` → `receive`.
fn match_case(matched: &str, replacement: &str) -> String {
    let letters: Vec<char> = matched.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return replacement.to_uppercase();
    }
    let mut chars = replacement.chars();
    match (letters.first(), chars.next()) {
        (Some(first), Some(r)) if first.is_uppercase() && r.is_lowercase() => {
            r.to_uppercase().chain(chars).collect()
        }
        _ => replacement.to_owned(),
    }
}

struct Compiler<'a> {
    path: &'a str,
    source: &'a str,
    pack: Pack,
    literal_texts: Vec<String>,
    allow_texts: Vec<String>,
    regex_texts: Vec<String>,
    /// Metadata as written, per rule, to build `RuleMeta` at the end.
    metas_raw: Vec<(String, RawMeta, Vec<Option<Applicability>>)>,
}

impl Compiler<'_> {
    fn err(&self, span: Range<usize>, message: impl Into<String>, label: &str) -> Box<FileError> {
        FileError::new(self.path, self.source, span, message, label)
    }

    fn compile(mut self, mut raw: RawPack) -> Result<Pack, Box<FileError>> {
        let default_rule = raw.pack.rule.clone();
        if let Some(rule) = &default_rule {
            self.rule_index(rule)?;
            let index = self.pack.metas.len() - 1;
            let meta = take_meta!(raw.pack);
            self.merge_meta(index, meta, rule.span())?;
        }
        if raw.rule.is_empty() {
            return Err(self.err(0..0, "rule pack has no `[[rule]]` entries", "in this file"));
        }
        for entry in raw.rule {
            let span = entry.span();
            self.entry(entry.into_inner(), span, default_rule.as_ref())?;
        }
        self.finish()
    }

    /// The index of rule `name`, adding it on first sight.
    fn rule_index(&mut self, name: &Spanned<String>) -> Result<usize, Box<FileError>> {
        if let Some(i) = self
            .metas_raw
            .iter()
            .position(|(n, ..)| n == name.get_ref())
        {
            return Ok(i);
        }
        if !is_kebab_case(name.get_ref()) {
            return Err(self
                .err(
                    name.span(),
                    format!("rule name `{}` is not kebab-case", name.get_ref()),
                    "here",
                )
                .with_help("use lowercase words joined by `-`, e.g. `boilerplate-line`"));
        }
        self.metas_raw
            .push((name.get_ref().clone(), RawMeta::default(), Vec::new()));
        self.pack.name_spans.push(name.span());
        // Placeholder; `finish` fills in the real metadata.
        self.pack.metas.push(RuleMeta {
            name: Cow::Owned(name.get_ref().clone()),
            group: Cow::Borrowed(""),
            severity: Severity::Warning,
            fix: FixAvailability::None,
            summary: Cow::Borrowed(""),
            docs: Cow::Borrowed(""),
            default_enabled: true,
            origin: Cow::Owned(self.path.to_owned()),
        });
        Ok(self.metas_raw.len() - 1)
    }

    fn merge_meta(
        &mut self,
        index: usize,
        meta: RawMeta,
        span: Range<usize>,
    ) -> Result<(), Box<FileError>> {
        let rule_name = self.metas_raw[index].0.clone();
        let conflict = |field: &str| format!("conflicting `{field}` for rule `{rule_name}`");
        let mut errors = None;
        let have = &mut self.metas_raw[index].1;
        macro_rules! merge {
            ($field:ident) => {
                if let Some(value) = meta.$field {
                    match &have.$field {
                        Some(old) if *old != value => {
                            errors.get_or_insert(conflict(stringify!($field)));
                        }
                        _ => have.$field = Some(value),
                    }
                }
            };
        }
        merge!(group);
        merge!(severity);
        merge!(summary);
        merge!(docs);
        merge!(enabled);
        match errors {
            Some(message) => Err(self.err(span, message, "this entry")),
            None => Ok(()),
        }
    }

    fn entry(
        &mut self,
        raw: RawEntry,
        span: Range<usize>,
        default_rule: Option<&Spanned<String>>,
    ) -> Result<(), Box<FileError>> {
        let name = match raw.name.as_ref().or(default_rule) {
            Some(name) => name.clone(),
            None => {
                return Err(self
                    .err(
                        span,
                        "entry has no rule `name` and the pack has no default `rule`",
                        "this entry",
                    )
                    .with_help(
                        "add `name = \"my-rule\"` to the entry or `rule = \"my-rule\"` to `[pack]`",
                    ));
            }
        };
        let rule = self.rule_index(&name)?;
        let mut raw = raw;
        let mut meta = take_meta!(raw);
        // An entry's severity is its findings' severity; the first one seen also becomes
        // the rule's default, unless `[pack]` set it.
        let severity = meta.severity.take();
        if self.metas_raw[rule].1.severity.is_none() {
            self.metas_raw[rule].1.severity = severity;
        }
        self.merge_meta(rule, meta, span.clone())?;
        let allowed: &[&str] = match raw.kind {
            Kind::Existence => &["match", "line"],
            Kind::Substitution => &["match", "replacement"],
            Kind::Consistency => &["match", "majority", "count", "majority_count"],
        };
        self.check_template(&raw.message, allowed)?;
        let fix = match raw.fix.as_ref().map(|f| (*f.get_ref(), f.span())) {
            None | Some((RawFix::None, _)) => None,
            Some((RawFix::Safe, _)) => Some(Applicability::Safe),
            Some((RawFix::Unsafe, _)) => Some(Applicability::Unsafe),
        };
        let entry_index = self.pack.entries.len();
        let kind_name = match raw.kind {
            Kind::Existence => "existence",
            Kind::Substitution => "substitution",
            Kind::Consistency => "consistency",
        };
        let misplaced = |present: bool, key: &str| {
            present.then(|| format!("`{key}` is not used by `kind = \"{kind_name}\"` entries"))
        };
        let problem = match raw.kind {
            Kind::Existence => misplaced(!raw.swap.is_empty(), "swap")
                .or(misplaced(!raw.either.is_empty(), "either")),
            Kind::Substitution => misplaced(!raw.tokens.is_empty(), "tokens")
                .or(misplaced(!raw.patterns.is_empty(), "patterns"))
                .or(misplaced(!raw.either.is_empty(), "either")),
            Kind::Consistency => misplaced(!raw.tokens.is_empty(), "tokens")
                .or(misplaced(!raw.patterns.is_empty(), "patterns"))
                .or(misplaced(!raw.swap.is_empty(), "swap")),
        }
        .or(misplaced(
            raw.kind != Kind::Existence && raw.scope != Scope::Text,
            "scope",
        ))
        .or(misplaced(
            raw.kind != Kind::Existence && raw.extra_words > 0,
            "extra-words",
        ))
        .or(misplaced(
            raw.kind != Kind::Existence && raw.anchor != Anchor::None,
            "anchor",
        ))
        .or(misplaced(
            raw.kind != Kind::Existence && !raw.allow.is_empty(),
            "allow",
        ))
        .or(misplaced(
            raw.kind != Kind::Existence && raw.min_phrases.is_some(),
            "min-phrases",
        ))
        .or(misplaced(
            raw.kind != Kind::Existence && raw.require_number,
            "require-number",
        ))
        .or(misplaced(
            raw.kind != Kind::Existence && raw.unless_heading,
            "unless-heading",
        ));
        let text_only =
            |present: bool, key: &str| present.then(|| format!("`{key}` needs `scope = \"line\"`"));
        let problem = problem.or(if raw.kind == Kind::Existence && raw.scope == Scope::Text {
            text_only(raw.extra_words > 0, "extra-words")
                .or(text_only(raw.anchor != Anchor::None, "anchor"))
                .or(text_only(!raw.allow.is_empty(), "allow"))
                .or(text_only(raw.min_phrases.is_some(), "min-phrases"))
                .or(text_only(raw.require_number, "require-number"))
                .or(text_only(raw.unless_heading, "unless-heading"))
        } else {
            None
        });
        if let Some(problem) = problem {
            return Err(self.err(span, problem, "this entry"));
        }
        if let (Kind::Existence, Some(f), Scope::Text) = (raw.kind, &raw.fix, raw.scope)
            && fix.is_some()
        {
            return Err(self.err(
                f.span(),
                "an existence fix deletes the whole line: it needs `scope = \"line\"`",
                "here",
            ));
        }
        let case_sensitive = !raw.ignore_case.unwrap_or(raw.kind != Kind::Consistency);
        let english_only = match &raw.language {
            None => false,
            Some(language) if language.get_ref() == "en" => true,
            Some(language) => {
                return Err(self
                    .err(
                        language.span(),
                        format!("unknown language `{}`", language.get_ref()),
                        "here",
                    )
                    .with_help("copylint knows `en` (English paragraphs only)"));
            }
        };
        let kind = match raw.kind {
            Kind::Existence => {
                if raw.tokens.is_empty() && raw.patterns.is_empty() {
                    return Err(self.err(
                        span,
                        "existence entry has neither `tokens` nor `patterns`",
                        "this entry",
                    ));
                }
                for token in &raw.tokens {
                    self.literal(token, entry_index, case_sensitive, Payload::Existence)?;
                }
                for pattern in &raw.patterns {
                    self.regex(pattern, entry_index, case_sensitive, Payload::Existence)?;
                }
                for phrase in &raw.allow {
                    if phrase.get_ref().trim().is_empty() {
                        return Err(self.err(phrase.span(), "empty phrase", "here"));
                    }
                    self.allow_texts.push(phrase.get_ref().clone());
                    self.pack.allow_literals.push(Pattern {
                        entry: entry_index,
                        case_sensitive,
                        literal: Some(phrase.get_ref().clone()),
                        payload: Payload::Allow,
                    });
                }
                EntryKind::Existence {
                    scope: raw.scope,
                    line: LineRule {
                        extra_words: raw.extra_words,
                        anchor: raw.anchor,
                        min_phrases: raw.min_phrases.unwrap_or(1),
                        require_number: raw.require_number,
                        unless_heading: raw.unless_heading,
                    },
                }
            }
            Kind::Substitution => {
                if raw.swap.is_empty() {
                    return Err(self.err(
                        span,
                        "substitution entry has no `swap` table",
                        "this entry",
                    ));
                }
                for (wrong, right) in &raw.swap {
                    let replacements = match right.get_ref() {
                        OneOrMany::One(s) => vec![s.clone()],
                        OneOrMany::Many(v) => v.clone(),
                    };
                    if replacements.is_empty() || replacements.iter().any(String::is_empty) {
                        return Err(self.err(
                            right.span(),
                            "a swap needs at least one non-empty replacement",
                            "here",
                        ));
                    }
                    let payload = Payload::Swap(replacements);
                    if is_regex_key(wrong.get_ref()) {
                        self.regex(wrong, entry_index, case_sensitive, payload)?;
                    } else {
                        self.literal(wrong, entry_index, case_sensitive, payload)?;
                    }
                }
                EntryKind::Substitution
            }
            Kind::Consistency => {
                if raw.either.is_empty() {
                    return Err(self.err(
                        span,
                        "consistency entry has no `either` groups",
                        "this entry",
                    ));
                }
                let mut groups = Vec::new();
                for (g, group) in raw.either.iter().enumerate() {
                    if group.get_ref().len() < 2 {
                        return Err(self.err(
                            group.span(),
                            "a consistency group needs at least two variants",
                            "here",
                        ));
                    }
                    for (v, variant) in group.get_ref().iter().enumerate() {
                        let spanned = Spanned::new(group.span(), variant.clone());
                        self.literal(
                            &spanned,
                            entry_index,
                            case_sensitive,
                            Payload::Variant {
                                group: g,
                                variant: v,
                            },
                        )?;
                    }
                    groups.push(group.get_ref().clone());
                }
                EntryKind::Consistency { groups }
            }
        };
        self.metas_raw[rule].2.push(fix);
        // A swap with several replacements makes its fix a guess: unsafe.
        let guesses = raw
            .swap
            .values()
            .any(|r| matches!(r.get_ref(), OneOrMany::Many(v) if v.len() > 1));
        if fix.is_some() && guesses {
            self.metas_raw[rule].2.push(Some(Applicability::Unsafe));
        }
        let rule_name = name.get_ref().clone();
        for text in raw.bad {
            self.pack.examples.push(Example {
                rule: rule_name.clone(),
                text,
                should_flag: true,
            });
        }
        for text in raw.good {
            self.pack.examples.push(Example {
                rule: rule_name.clone(),
                text,
                should_flag: false,
            });
        }
        self.pack.entries.push(Entry {
            rule,
            kind,
            severity,
            message: Template(raw.message.into_inner()),
            help: raw.help,
            fix,
            prose_only: raw.prose_only,
            english_only,
        });
        Ok(())
    }

    fn check_template(
        &self,
        message: &Spanned<String>,
        allowed: &[&str],
    ) -> Result<(), Box<FileError>> {
        let text = message.get_ref();
        let mut rest = text.as_str();
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else { break };
            let key = &after[..close];
            if !allowed.contains(&key) {
                let list = allowed
                    .iter()
                    .map(|k| format!("{{{k}}}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(self
                    .err(
                        message.span(),
                        format!("unknown placeholder `{{{key}}}` in message"),
                        "in this message",
                    )
                    .with_help(format!("this kind of entry knows {list}")));
            }
            rest = &after[close + 1..];
        }
        Ok(())
    }

    fn literal(
        &mut self,
        token: &Spanned<String>,
        entry: usize,
        case_sensitive: bool,
        payload: Payload,
    ) -> Result<(), Box<FileError>> {
        if token.get_ref().trim().is_empty() {
            return Err(self.err(token.span(), "empty phrase", "here"));
        }
        self.literal_texts.push(token.get_ref().clone());
        self.pack.literals.push(Pattern {
            entry,
            case_sensitive,
            literal: Some(token.get_ref().clone()),
            payload,
        });
        Ok(())
    }

    fn regex(
        &mut self,
        pattern: &Spanned<String>,
        entry: usize,
        case_sensitive: bool,
        payload: Payload,
    ) -> Result<(), Box<FileError>> {
        let source = pattern.get_ref();
        let regex = RegexBuilder::new(source)
            .case_insensitive(!case_sensitive)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map_err(|e| {
                self.err(
                    pattern.span(),
                    format!("invalid regex: {e}"),
                    "this pattern",
                )
            })?;
        self.regex_texts.push(source.clone());
        self.pack.regexes.push(regex);
        self.pack.regex_patterns.push(Pattern {
            entry,
            case_sensitive,
            literal: None,
            payload,
        });
        Ok(())
    }

    fn finish(mut self) -> Result<Pack, Box<FileError>> {
        // Literals that start with an ASCII word are looked up word by word; the rest
        // (`Über uns`, `© 2024`) go to the automaton.
        let mut phrases: Vec<&str> = Vec::new();
        for (index, literal) in self.literal_texts.iter().enumerate() {
            if let Some(head) = leading_ascii_word(literal) {
                let key: Box<[u8]> = head.to_ascii_lowercase().into();
                self.pack.word_shapes.insert(&key);
                let (shortest, longest) = &mut self.pack.word_lengths;
                *shortest = (*shortest).min(key.len());
                *longest = (*longest).max(key.len());
                self.pack.word_literals.entry(key).or_default().push(index);
            } else {
                phrases.push(literal);
                self.pack.automaton_literals.push(index);
            }
        }
        if !phrases.is_empty() {
            let mut triggers: Vec<char> = Vec::new();
            let mut every_phrase_has_one = true;
            for phrase in &phrases {
                let own: Vec<char> = phrase.chars().filter(|c| !c.is_ascii()).collect();
                every_phrase_has_one &= !own.is_empty() && !phrase.contains(['\n', '\r']);
                triggers.extend(own);
            }
            triggers.sort_unstable();
            triggers.dedup();
            self.pack.automaton_triggers = every_phrase_has_one.then_some(triggers);
            // A DFA: every document is scanned with it, overlapping, and a large pack's
            // NFA is several times slower at that; a pack too large for one gets the NFA.
            let mut builder = AhoCorasickBuilder::new();
            builder
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard);
            let automaton = builder
                .clone()
                .kind(Some(AhoCorasickKind::DFA))
                .build(&phrases)
                .or_else(|_| builder.build(&phrases))
                .map_err(|e| {
                    self.err(
                        0..0,
                        format!("cannot build the phrase automaton: {e}"),
                        "in this pack",
                    )
                })?;
            self.pack.automaton = Some(automaton);
        }
        if !self.allow_texts.is_empty() {
            let mut builder = AhoCorasickBuilder::new();
            builder
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard);
            let automaton = builder
                .clone()
                .kind(Some(AhoCorasickKind::DFA))
                .build(&self.allow_texts)
                .or_else(|_| builder.build(&self.allow_texts))
                .map_err(|e| {
                    self.err(
                        0..0,
                        format!("cannot build the phrase automaton: {e}"),
                        "in this pack",
                    )
                })?;
            self.pack.allow_automaton = Some(automaton);
        }
        if !self.regex_texts.is_empty() {
            let case: Vec<bool> = self
                .pack
                .regex_patterns
                .iter()
                .map(|p| p.case_sensitive)
                .collect();
            let patterns: Vec<String> = self
                .regex_texts
                .iter()
                .zip(case)
                .map(|(p, sensitive)| {
                    if sensitive {
                        p.clone()
                    } else {
                        format!("(?i:{p})")
                    }
                })
                .collect();
            let set = RegexSetBuilder::new(&patterns)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| {
                    self.err(
                        0..0,
                        format!("cannot build the pattern set: {e}"),
                        "in this pack",
                    )
                })?;
            self.pack.regex_set = Some(set);
        }
        let pack_name = self.pack.name.clone();
        for (index, (name, raw, fixes)) in self.metas_raw.into_iter().enumerate() {
            let fix = match (
                fixes.contains(&Some(Applicability::Safe)),
                fixes.contains(&Some(Applicability::Unsafe)),
            ) {
                (false, false) => FixAvailability::None,
                (true, false) => FixAvailability::Safe,
                (false, true) => FixAvailability::Unsafe,
                (true, true) => FixAvailability::SafeOrUnsafe,
            };
            let summary = raw
                .summary
                .unwrap_or_else(|| format!("Rule `{name}` from pack `{pack_name}`"));
            let mut docs = raw.docs.unwrap_or_else(|| summary.clone());
            let bad: Vec<&str> = self
                .pack
                .examples
                .iter()
                .filter(|e| e.rule == name && e.should_flag)
                .map(|e| e.text.as_str())
                .collect();
            let good: Vec<&str> = self
                .pack
                .examples
                .iter()
                .filter(|e| e.rule == name && !e.should_flag)
                .map(|e| e.text.as_str())
                .collect();
            if !bad.is_empty() {
                docs.push_str(&format!("\n\n## Flagged\n```text\n{}\n```", bad.join("\n")));
            }
            if !good.is_empty() {
                docs.push_str(&format!(
                    "\n\n## Not flagged\n```text\n{}\n```",
                    good.join("\n")
                ));
            }
            let meta = &mut self.pack.metas[index];
            meta.group = Cow::Owned(raw.group.unwrap_or_else(|| "custom".to_owned()));
            meta.severity = raw.severity.unwrap_or(Severity::Warning);
            meta.fix = fix;
            meta.summary = Cow::Owned(summary);
            meta.docs = Cow::Owned(docs);
            meta.default_enabled = raw.enabled.unwrap_or(true);
        }
        Ok(self.pack)
    }
}

/// Swap keys that contain regex syntax are compiled as regexes.
fn is_regex_key(key: &str) -> bool {
    key.chars().any(|c| {
        matches!(
            c,
            '\\' | '[' | '(' | '|' | '*' | '+' | '?' | '^' | '$' | '{'
        )
    })
}

fn is_kebab_case(name: &str) -> bool {
    !name.is_empty()
        && name.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && name.starts_with(|c: char| c.is_ascii_lowercase())
}

/// The embedded packs, compiled. They are part of the binary, so a broken one is a bug
/// that the tests catch; it is still reported as an error, never a panic.
pub fn embedded() -> Result<Vec<Pack>, Box<FileError>> {
    EMBEDDED
        .iter()
        .map(|(path, source)| Pack::load(path, source))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test::{assert_clean, check_fixture, fix_fixture};

    fn findings(pack: &str, text: &str) -> Vec<(String, String, Option<String>)> {
        let pack = Pack::load("test.toml", pack).unwrap_or_else(|e| panic!("{e}"));
        let doc = Document::from_text("t", text);
        let mut out = Vec::new();
        pack.check(&doc, &vec![true; pack.metas().len()], &mut out);
        out.sort_by_key(|d| d.span);
        out.into_iter()
            .map(|d| {
                let fixed = d
                    .fix
                    .is_some()
                    .then(|| crate::fix::apply(text, std::slice::from_ref(&d), true).text);
                (d.rule.to_string(), d.message, fixed)
            })
            .collect()
    }

    #[track_caller]
    fn load_err(pack: &str) -> String {
        let err = Pack::load("p.toml", pack).unwrap_err();
        format!("{err}")
    }

    const LINE_PACK: &str = r#"
[pack]
name = "t"
rule = "boilerplate-line"
group = "boilerplate"
[[rule]]
kind = "existence"
scope = "line"
fix = "unsafe"
message = "Page chrome: \"{match}\""
tokens = ["Share this", "Share on Facebook", "Share on Twitter"]
"#;

    const PHRASE_PACK: &str = r#"
[pack]
name = "t"
rule = "chrome"
group = "boilerplate"
[[rule]]
kind = "existence"
message = "{match}"
tokens = ["share this", "Klick, um", "e-mail us", "Über uns", "zurück zur Startseite"]
[[rule]]
kind = "existence"
ignore-case = false
message = "{match}"
tokens = ["Read More"]
"#;

    fn matched(text: &str) -> Vec<String> {
        findings(PHRASE_PACK, text)
            .into_iter()
            .map(|(_, m, _)| m)
            .collect()
    }

    #[test]
    fn phrases_are_found_from_their_first_word_as_written_in_any_ascii_case() {
        assert_eq!(
            matched("SHARE THIS. Klick, um. E-Mail us! Read More, read more"),
            ["SHARE THIS", "Klick, um", "E-Mail us", "Read More"]
        );
        // The phrase must begin and end on word boundaries and follow its first word.
        assert!(matched("reshare this; share thistle; share  this; 2share this").is_empty());
        assert!(matched("Klick um; e-mails us; e-mail usual").is_empty());
    }

    #[test]
    fn phrases_with_non_ascii_letters_are_found_on_any_line_that_holds_them() {
        let text = "plain line\nMenü – “Über uns” | Zurück zur Startseite\nÜber unsere Arbeit\n";
        assert_eq!(matched(text), ["Über uns", "Zurück zur Startseite"]);
        let found = findings(PHRASE_PACK, "ascii\r\n“x” Über uns\r\n");
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn line_scope_flags_a_phrase_that_is_the_whole_line_with_a_handle() {
        let found = findings(LINE_PACK, "Intro.\nShare this @internewscast.com\nBody.\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, "Page chrome: \"Share this\"");
        assert_eq!(found[0].2.as_deref(), Some("Intro.\nBody.\n"));
    }

    #[test]
    fn line_scope_accepts_several_phrases_and_punctuation() {
        assert_eq!(
            findings(LINE_PACK, "Share on Facebook | Share on Twitter (12)").len(),
            1
        );
    }

    #[test]
    fn the_line_placeholder_shows_the_flagged_line_shortened() {
        let pack = LINE_PACK.replace("Page chrome: \\\"{match}\\\"", "Page chrome: {line}");
        assert_eq!(
            findings(&pack, "  Share this @internewscast.com \n")[0].1,
            "Page chrome: Share this @internewscast.com"
        );
        assert_eq!(
            findings(&pack, &"Share on Facebook | ".repeat(5))[0].1,
            "Page chrome: Share on Facebook | Share on Facebook | Share on Facebook |…"
        );
    }

    #[test]
    fn line_scope_leaves_numbered_list_items_alone() {
        assert!(findings(LINE_PACK, "1. Share this\n 12) Share on Twitter").is_empty());
        assert_eq!(
            findings(LINE_PACK, "12 Share this\n1.5 Share this").len(),
            2
        );
    }

    #[test]
    fn line_scope_never_flags_a_phrase_inside_a_sentence() {
        assert!(findings(LINE_PACK, "She did not share this view with the board.").is_empty());
        assert!(findings(LINE_PACK, "Shares thistle and more").is_empty());
    }

    const ALLOW_PACK: &str = r#"
[pack]
name = "t"
rule = "boilerplate-line"
[[rule]]
kind = "existence"
scope = "line"
message = "Page chrome: \"{match}\""
tokens = ["Share on", "Follow us"]
allow = ["Facebook", "Twitter", "Email"]
"#;

    #[test]
    fn allow_phrases_fill_a_flagged_line_but_never_flag_one_alone() {
        assert_eq!(
            findings(ALLOW_PACK, "Share on Facebook, Twitter | Email")[0].1,
            "Page chrome: \"Share on\""
        );
        assert_eq!(
            findings(ALLOW_PACK, "Facebook Twitter\nFollow us: Twitter")[0].1,
            "Page chrome: \"Follow us\""
        );
        assert_eq!(
            findings(ALLOW_PACK, "Facebook Twitter\nFollow us: Twitter").len(),
            1
        );
        assert!(findings(ALLOW_PACK, "Facebook\n\nTwitter and Email\n").is_empty());
        assert!(findings(ALLOW_PACK, "Share on Facebook what you ate").is_empty());
    }

    const ANCHOR_PACK: &str = r#"
[pack]
name = "t"
rule = "boilerplate-line"
[[rule]]
kind = "existence"
scope = "line"
anchor = "start"
extra-words = 20
fix = "unsafe"
message = "Page chrome: \"{match}\""
tokens = ["Read more:", "We use cookies"]
"#;

    #[test]
    fn an_anchored_phrase_must_begin_the_line() {
        let found = findings(
            ANCHOR_PACK,
            "Body.\n- Read more: Looted colonial art\nWe use cookies to improve your visit. Accept them.\n",
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            found[1].2.as_deref(),
            Some("Body.\n- Read more: Looted colonial art\n")
        );
        assert!(findings(ANCHOR_PACK, "In the bakery we use cookies as a bribe.").is_empty());
        assert!(findings(ANCHOR_PACK, "She said: Read more: books.").is_empty());
        assert!(
            findings(
                ANCHOR_PACK,
                "Read more: one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twentyone"
            )
            .is_empty()
        );
    }

    proptest::proptest! {
        #[test]
        fn the_cheap_word_count_never_exceeds_the_tokenizer_s(
            gap in "([a-zA-Zé0-9@#./:_'’-]{1,8}[ \u{a0}\t]{1,2}){0,8}"
        ) {
            let words = tokenize(&gap, 0).iter().filter(|t| t.kind == TokenKind::Word).count();
            proptest::prop_assert!(surely_words(&gap) <= words, "{gap:?}");
        }
    }

    #[test]
    fn min_phrases_and_require_number_ask_more_of_a_line() {
        let pack = |options: &str| {
            format!(
                "[pack]\nname = \"t\"\nrule = \"r\"\n[[rule]]\nkind = \"existence\"\nscope = \"line\"\nextra-words = 3\nmessage = \"{{line}}\"\ntokens = [\"©\", \"All rights reserved\", \"Comments\"]\n{options}\n"
            )
        };
        let two = pack("min-phrases = 2");
        assert_eq!(
            findings(&two, "© 2025 Hearst, Inc. All Rights Reserved.").len(),
            1
        );
        assert!(findings(&two, "Copyright Hawaii News Now. All rights reserved.").is_empty());
        assert!(findings(&two, "Comments Comments").is_empty());
        let counter = pack("require-number = true");
        assert_eq!(findings(&counter, "Comments (12)").len(), 1);
        assert_eq!(findings(&counter, "12 Comments").len(), 1);
        assert!(findings(&counter, "Comments").is_empty());
    }

    #[test]
    fn unless_heading_spares_a_line_above_prose() {
        let pack = "[pack]\nname = \"t\"\nrule = \"r\"\n[[rule]]\nkind = \"existence\"\nscope = \"line\"\nunless-heading = true\nmessage = \"{line}\"\ntokens = [\"About us\"]\n";
        let prose = "Since 2004, we have served our clients at home and abroad with translation.";
        assert!(findings(pack, &format!("About us\n\n \n{prose}\n")).is_empty());
        assert_eq!(findings(pack, "About us\nCareers\nPress\n").len(), 1);
        assert_eq!(findings(pack, "About us\n\nWe translate.\n").len(), 1);
        assert_eq!(findings(pack, "Intro.\n\nAbout us").len(), 1);
    }

    #[test]
    fn line_options_are_refused_outside_line_scope() {
        let pack = |key: &str| {
            format!(
                "[pack]\nname = \"x\"\nrule = \"r\"\n[[rule]]\nkind = \"existence\"\nmessage = \"m\"\ntokens = [\"a\"]\n{key}\n"
            )
        };
        assert!(
            load_err(&pack("anchor = \"start\"")).contains("`anchor` needs `scope = \"line\"`")
        );
        assert!(load_err(&pack("allow = [\"b\"]")).contains("`allow` needs `scope = \"line\"`"));
        assert!(
            load_err(&pack("extra-words = 2")).contains("`extra-words` needs `scope = \"line\"`")
        );
        assert!(load_err(&pack("min-phrases = 2")).contains("`min-phrases` needs"));
        assert!(load_err(&pack("require-number = true")).contains("`require-number` needs"));
        assert!(load_err(&pack("unless-heading = true")).contains("`unless-heading` needs"));
        let swap = "[pack]\nname = \"x\"\nrule = \"r\"\n[[rule]]\nkind = \"substitution\"\nmessage = \"m\"\nswap = { a = \"b\" }\nallow = [\"c\"]\n";
        assert!(
            load_err(swap).contains("`allow` is not used by `kind = \"substitution\"` entries")
        );
    }

    #[test]
    fn substitution_preserves_case_and_marks_guesses_unsafe() {
        let pack = r#"
[pack]
name = "t"
rule = "misspelling"
[[rule]]
kind = "substitution"
fix = "safe"
message = "\"{match}\" is a misspelling of \"{replacement}\""
swap = { recieve = "receive", teh = "the", "(\\d+)ish" = "about $1" , affect = ["effect", "affect"] }
"#;
        let found = findings(pack, "Recieve it. TEH END. 5ish. recieved.");
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(
            found[0].2.as_deref(),
            Some("Receive it. TEH END. 5ish. recieved.")
        );
        assert_eq!(
            found[1].2.as_deref(),
            Some("Recieve it. THE END. 5ish. recieved.")
        );
        assert_eq!(
            found[2].2.as_deref(),
            Some("Recieve it. TEH END. about 5. recieved.")
        );
    }

    #[test]
    fn a_safe_substitution_with_guesses_is_listed_as_safe_or_unsafe() {
        let pack = "[pack]\nname = \"t\"\nrule = \"r\"\n[[rule]]\nkind = \"substitution\"\nfix = \"safe\"\nmessage = \"m\"\nswap = { teh = \"the\", affect = [\"effect\", \"affect\"] }\n";
        let pack = Pack::load("t.toml", pack).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pack.metas()[0].fix, FixAvailability::SafeOrUnsafe);
    }

    #[test]
    fn prose_only_entries_skip_addresses_tags_and_code() {
        let pack = r#"
[pack]
name = "t"
rule = "misspelling"
[[rule]]
kind = "substitution"
fix = "safe"
prose-only = true
message = "\"{match}\" is a misspelling of \"{replacement}\""
swap = { recieve = "receive" }
"#;
        let text = "We recieve mail at https://example.com/recieve, recieve@example.com, \
                    @recieve, #recieve and `recieve()`, and recieve it.";
        let found = findings(pack, text);
        assert_eq!(found.len(), 2, "{found:?}");
        let anywhere = pack.replace("prose-only = true\n", "");
        assert_eq!(findings(&anywhere, text).len(), 7);
    }

    #[test]
    fn english_entries_skip_other_languages() {
        let pack = r#"
[pack]
name = "t"
rule = "misspelling"
[[rule]]
kind = "substitution"
language = "en"
message = "\"{match}\" is a misspelling of \"{replacement}\""
swap = { ist = "is" }
"#;
        let german = "Das Forum Waffenrecht fordert die Bundesregierung auf, mögliche \
            Vollzugsdefizite zu untersuchen. Das ist nicht angebracht, sagt der Verband heute.";
        assert!(findings(pack, german).is_empty());
        let english =
            "The report ist the one that the officials said was in the works for the city.";
        assert_eq!(findings(pack, english).len(), 1);
        let bad = pack.replace("\"en\"", "\"de\"");
        assert!(load_err(&bad).contains("unknown language `de`"));
    }

    #[test]
    fn consistency_flags_the_minority_form_case_sensitively() {
        let pack = r#"
[pack]
name = "t"
rule = "inconsistent-spelling"
[[rule]]
kind = "consistency"
fix = "unsafe"
message = "\"{match}\" ({count}×) beside \"{majority}\" ({majority_count}×)"
either = [["U.S.", "US"]]
"#;
        let found = findings(pack, "US troops. The U.S. said. The U.S. agreed. Tell us.");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, "\"US\" (1×) beside \"U.S.\" (2×)");
        assert_eq!(
            found[0].2.as_deref(),
            Some("U.S. troops. The U.S. said. The U.S. agreed. Tell us.")
        );
    }

    #[test]
    fn malformed_packs_point_at_the_file_line_and_key() {
        assert!(
            load_err("[pack]\nname = \"x\"\nbogus = 1\n")
                .starts_with("p.toml:3:1: invalid rule pack: unknown field `bogus`")
        );
        let bad_regex = "[pack]\nname = \"x\"\nrule = \"r\"\n[[rule]]\nkind = \"existence\"\nmessage = \"m\"\npatterns = [\"a(b\"]\n";
        assert!(
            load_err(bad_regex).starts_with("p.toml:7:13: invalid regex"),
            "{}",
            load_err(bad_regex)
        );
        let bad_placeholder = "[pack]\nname = \"x\"\nrule = \"r\"\n[[rule]]\nkind = \"existence\"\nmessage = \"{nope}\"\ntokens = [\"a\"]\n";
        assert!(load_err(bad_placeholder).contains("unknown placeholder `{nope}`"));
        let bad_name = "[pack]\nname = \"x\"\nrule = \"Bad_Name\"\n[[rule]]\nkind = \"existence\"\nmessage = \"m\"\ntokens = [\"a\"]\n";
        assert!(
            load_err(bad_name).starts_with("p.toml:3:8: rule name `Bad_Name` is not kebab-case")
        );
        let bad_kind =
            "[pack]\nname = \"x\"\nrule = \"r\"\n[[rule]]\nkind = \"exists\"\nmessage = \"m\"\n";
        assert!(
            load_err(bad_kind)
                .starts_with("p.toml:5:8: invalid rule pack: unknown variant `exists`"),
            "{}",
            load_err(bad_kind)
        );
    }

    #[test]
    fn every_embedded_pack_passes_its_own_examples() {
        let mut wrong = Vec::new();
        for pack in embedded().unwrap_or_else(|e| panic!("{e}")) {
            let all = vec![true; pack.metas().len()];
            for example in pack.examples() {
                let doc = Document::from_text("example", example.text.as_str());
                let mut out = Vec::new();
                pack.check(&doc, &all, &mut out);
                let flagged = out.iter().any(|d| d.rule == example.rule);
                if flagged != example.should_flag {
                    wrong.push(format!(
                        "{}: `{}` should {}be flagged by {}",
                        pack.path(),
                        example.text,
                        if example.should_flag { "" } else { "not " },
                        example.rule
                    ));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    /// One rule of the embedded packs as a `Rule`, for the fixture helpers.
    struct EmbeddedRule(&'static str, Vec<Pack>);

    impl crate::rules::Rule for EmbeddedRule {
        fn meta(&self) -> &RuleMeta {
            self.1
                .iter()
                .flat_map(|p| p.metas())
                .find(|m| m.name == self.0)
                .expect("the embedded packs define the rule")
        }

        fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
            for pack in &self.1 {
                let on: Vec<bool> = pack.metas().iter().map(|m| m.name == self.0).collect();
                pack.check(doc, &on, out);
            }
        }
    }

    fn boilerplate_line() -> EmbeddedRule {
        EmbeddedRule(
            "boilerplate-line",
            embedded().unwrap_or_else(|e| panic!("{e}")),
        )
    }

    fn misspelling() -> EmbeddedRule {
        EmbeddedRule("misspelling", embedded().unwrap_or_else(|e| panic!("{e}")))
    }

    #[test]
    fn misspelling_flags_real_slips_in_scraped_text() {
        insta::assert_snapshot!(check_fixture(&misspelling(), "misspelling/flagged.txt"), @r#"
        1:12 misspelling "follwoing" is a misspelling of "following" [safe fix]
        3:55 misspelling "cleint" is a misspelling of "client" [safe fix]
        5:235 misspelling "seperate" is a misspelling of "separate" [safe fix]
        7:33 misspelling "Normaly" is a misspelling of "Normally" [safe fix]
        9:90 misspelling "accross" is a misspelling of "across" [safe fix]
        11:27 misspelling "recieved" is a misspelling of "received" [safe fix]
        13:210 misspelling "dificult" is a misspelling of "difficult" [safe fix]
        15:222 misspelling "responsability" is a misspelling of "responsibility" [safe fix]
        17:32 misspelling "becouse" is a misspelling of "because" [safe fix]
        19:62 misspelling "thier" is a misspelling of "their" [safe fix]
        21:8 misspelling "INTELLEGENCE" is a misspelling of "INTELLIGENCE" [safe fix]
        23:117 misspelling "Allthough" is a misspelling of "Although" [safe fix]
        25:269 misspelling "propper" is a misspelling of "proper" [safe fix]
        27:169 misspelling "paramaters" is a misspelling of "parameters" [safe fix]
        29:213 misspelling "succesfully" is a misspelling of "successfully" [safe fix]
        "#);
    }

    #[test]
    fn misspelling_fix_replaces_the_words_keeping_their_case() {
        fix_fixture(&misspelling(), "misspelling/flagged.txt");
    }

    #[test]
    fn misspelling_leaves_addresses_code_and_other_languages_alone() {
        assert_clean(
            &misspelling(),
            include_str!("../tests/fixtures/misspelling/clean.txt"),
        );
    }

    #[test]
    fn boilerplate_line_flags_chrome_in_four_languages() {
        insta::assert_snapshot!(check_fixture(&boilerplate_line(), "boilerplate-line/flagged.txt"), @r#"
        3:1 boilerplate-line Share button text in article text: "Share this @internewscast.com" [unsafe fix]
        5:1 boilerplate-line Newsletter or subscription prompt in article text: "SUBSCRIBE NOW" [unsafe fix]
        7:1 boilerplate-line Share button text in article text: "Share this:" [unsafe fix]
        9:1 boilerplate-line Share button text in article text: "Click to share on Facebook (Opens in new window)" [unsafe fix]
        11:1 boilerplate-line Share button text in article text: "Click to share on Reddit (Opens in new window)" [unsafe fix]
        13:1 boilerplate-line Share button text in article text: "Click to share on Twitter (Opens in new window)" [unsafe fix]
        15:1 boilerplate-line Share button text in article text: "Click to print (Opens in new window)" [unsafe fix]
        19:1 boilerplate-line Advertising label in article text: "Advertisement" [unsafe fix]
        25:1 boilerplate-line Related-article link in article text: "Read more: Looted colonial art: Germany to set up new conta…" [unsafe fix]
        29:1 boilerplate-line Navigation link in article text: "Skip to main content" [unsafe fix]
        31:1 boilerplate-line Comment counter in article text: "Comments (74)" [unsafe fix]
        33:1 boilerplate-line Navigation link in article text: "Back to top" [unsafe fix]
        35:1 boilerplate-line Navigation link in article text: "Previous article: Share Memory By Communicating" [unsafe fix]
        37:1 boilerplate-line Page widget text in article text: "5 min read" [unsafe fix]
        39:1 boilerplate-line Cookie or consent notice in article text: "We use cookies to ensure that we give you the best experien…" [unsafe fix]
        43:1 boilerplate-line Advertising label in article text: "Anzeige" [unsafe fix]
        45:1 boilerplate-line Footer link in article text: "Datenschutzerklärung" [unsafe fix]
        47:1 boilerplate-line Footer link in article text: "Impressum" [unsafe fix]
        51:1 boilerplate-line Navigation link in article text: "Nach oben scrollen" [unsafe fix]
        53:1 boilerplate-line Cookie or consent notice in article text: "Diese Webseite verwendet Cookies. Indem Sie weiter die Seit…" [unsafe fix]
        57:1 boilerplate-line Follow link in article text: "Folgen Sie uns:" [unsafe fix]
        59:1 boilerplate-line Newsletter or subscription prompt in article text: "Newsletter abonnieren" [unsafe fix]
        61:1 boilerplate-line Navigation link in article text: "Aller au contenu" [unsafe fix]
        63:1 boilerplate-line Newsletter or subscription prompt in article text: "Je m’abonne !" [unsafe fix]
        67:1 boilerplate-line Share button text in article text: "Partager" [unsafe fix]
        71:1 boilerplate-line Newsletter or subscription prompt in article text: "S'abonner" [unsafe fix]
        73:1 boilerplate-line Advertising label in article text: "Publicité" [unsafe fix]
        75:1 boilerplate-line Follow link in article text: "Síguenos en Twitter" [unsafe fix]
        77:1 boilerplate-line Follow link in article text: "Síguenos en Facebook" [unsafe fix]
        79:1 boilerplate-line Newsletter or subscription prompt in article text: "Suscríbete" [unsafe fix]
        85:1 boilerplate-line Share button text in article text: "Compartir en Facebook  Compartir en Twitter" [unsafe fix]
        87:1 boilerplate-line Share button text in article text: "Imprimir" [unsafe fix]
        89:1 boilerplate-line Advertising label in article text: "Publicidad" [unsafe fix]
        "#);
    }

    #[test]
    fn boilerplate_line_fix_deletes_the_lines() {
        fix_fixture(&boilerplate_line(), "boilerplate-line/flagged.txt");
    }

    #[test]
    fn boilerplate_line_leaves_the_same_words_in_sentences_alone() {
        assert_clean(
            &boilerplate_line(),
            include_str!("../tests/fixtures/boilerplate-line/clean.txt"),
        );
    }

    #[test]
    fn the_embedded_list_matches_the_rules_directory() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".toml"))
            .map(|n| format!("rules/{n}"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = EMBEDDED.iter().map(|(p, _)| p.to_string()).collect();
        embedded.sort();
        assert_eq!(embedded, on_disk);
    }
}

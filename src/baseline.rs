//! Baselines: adopt copylint on an existing corpus by recording today's findings and
//! reporting only new ones. A finding is recorded by a fingerprint of its rule, its
//! document, the normalized text it flags and the normalized line it is on — never its
//! line number — so edits elsewhere in the file do not make old findings reappear.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::document::Document;
use crate::error::Error;
use crate::rules::Diagnostic;

/// Bumped when the fingerprint changes, so old baselines are refused, not misread.
pub const FINGERPRINT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    pub rule: String,
    pub fingerprint: String,
    /// For people reading the file; not used for matching.
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct File {
    tool: String,
    version: u32,
    findings: Vec<Entry>,
}

/// Lowercase, whitespace runs as one space, trimmed: the fingerprint should not change
/// when a line is re-wrapped or re-cased.
fn normalize(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The fingerprints of a document's findings, in order. Identical findings on identical
/// lines are told apart by their occurrence number.
pub fn fingerprints(doc: &Document, diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut seen: HashMap<u64, usize> = HashMap::new();
    diagnostics
        .iter()
        .map(|d| {
            let line = doc.line(doc.line_of(d.span.start)).map_or("", |l| l.text);
            let key = format!(
                "{}\0{}\0{}\0{}",
                d.rule,
                doc.display_name(),
                normalize(doc.slice(d.span)),
                normalize(line)
            );
            let hash = xxh3_64(key.as_bytes());
            let n = seen.entry(hash).or_insert(0);
            *n += 1;
            format!("{hash:016x}-{}", *n)
        })
        .collect()
}

/// The entries of a document's findings, for `--write-baseline`.
pub fn entries(doc: &Document, diagnostics: &[Diagnostic]) -> Vec<Entry> {
    fingerprints(doc, diagnostics)
        .into_iter()
        .zip(diagnostics)
        .map(|(fingerprint, d)| Entry {
            path: doc.name().to_owned(),
            record: doc.record().map(str::to_owned),
            rule: d.rule.to_string(),
            fingerprint,
            message: d.message.clone(),
        })
        .collect()
}

pub fn write(path: &Path, entries: Vec<Entry>) -> Result<(), Error> {
    let file = File {
        tool: "copylint".into(),
        version: FINGERPRINT_VERSION,
        findings: entries,
    };
    let json = serde_json::to_string_pretty(&file).map_err(|e| Error::Usage(e.to_string()))? + "\n";
    std::fs::write(path, json).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })
}

/// The fingerprints of a baseline file.
pub fn read(path: &Path) -> Result<HashSet<String>, Error> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: name.clone(),
        source,
    })?;
    let file: File = serde_json::from_str(&text).map_err(|e| {
        Error::Usage(format!(
            "{name}:{}:{}: not a copylint baseline: {e}",
            e.line(),
            e.column()
        ))
    })?;
    if file.version != FINGERPRINT_VERSION {
        return Err(Error::Usage(format!(
            "{name}: baseline version {} is not {FINGERPRINT_VERSION}; write it again with --write-baseline",
            file.version
        )));
    }
    Ok(file.findings.into_iter().map(|e| e.fingerprint).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Diagnostic, Severity};

    fn finding(doc: &Document, needle: &str, nth: usize) -> Diagnostic {
        let start = doc.text().match_indices(needle).nth(nth).unwrap().0;
        Diagnostic {
            rule: "trailing-whitespace".into(),
            severity: Severity::Warning,
            message: String::new(),
            span: crate::document::Span::new(start, start + needle.len()),
            labels: Vec::new(),
            help: None,
            fix: None,
        }
    }

    #[test]
    fn fingerprints_survive_lines_added_above_and_count_repeats() {
        let before = Document::from_text("a.txt", "Same line.\u{a0}\nOther.\nSame line.\u{a0}\n");
        let after = Document::from_text(
            "a.txt",
            "A new first line.\n\nSame line.\u{a0}\nOther.\nSame line.\u{a0}\n",
        );
        let fp = |doc: &Document| {
            let ds = vec![finding(doc, "\u{a0}", 0), finding(doc, "\u{a0}", 1)];
            fingerprints(doc, &ds)
        };
        assert_eq!(fp(&before), fp(&after));
        let [first, second] = fp(&before).try_into().unwrap();
        assert_ne!(first, second);
    }

    #[test]
    fn fingerprints_depend_on_the_flagged_text_and_the_document() {
        let a = Document::from_text("a.txt", "One.\u{a0}\n");
        let b = Document::from_text("b.txt", "One.\u{a0}\n");
        let c = Document::from_text("a.txt", "Two.\u{a0}\n");
        let fp = |doc: &Document| fingerprints(doc, &[finding(doc, "\u{a0}", 0)]);
        assert_ne!(fp(&a), fp(&b));
        assert_ne!(fp(&a), fp(&c));
    }
}

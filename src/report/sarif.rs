//! `--format sarif`: SARIF 2.1.0 (what GitHub code scanning uploads). One run; the tool's
//! driver lists every rule (id, short and full description, help, default level); each
//! result has its physical location, related locations for labels, a partial
//! fingerprint that survives line shifts, and its fix as byte replacements.
//! Results stream as documents are checked; the driver is written at the end.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::Reporter;
use crate::baseline;
use crate::document::{Document, Span};
use crate::rules::{Diagnostic, RuleMeta, Severity};

pub struct Sarif {
    rules: Vec<RuleMeta>,
    index: HashMap<String, usize>,
}

impl Sarif {
    /// A reporter whose driver describes `rules` (all known rules, sorted).
    pub fn new(rules: Vec<RuleMeta>) -> Self {
        let index = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.name.to_string(), i))
            .collect();
        Sarif { rules, index }
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a relative URI reference: separators kept, everything unsafe escaped.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn region(doc: &Document, span: Span) -> Value {
    let location = doc.locate(span);
    let bytes = location.file_span;
    match doc.origin() {
        // A JSONL finding's line and column are inside the record's text; in the file it
        // is on the record's line, at these bytes.
        crate::document::Origin::Record(record) => json!({
            "startLine": record.line,
            "byteOffset": bytes.start,
            "byteLength": bytes.len(),
        }),
        _ => json!({
            "startLine": location.start.line,
            "startColumn": location.start.column,
            "endLine": location.end.line,
            "endColumn": location.end.column,
            "byteOffset": bytes.start,
            "byteLength": bytes.len(),
        }),
    }
}

fn physical(doc: &Document, span: Span) -> Value {
    json!({
        "artifactLocation": { "uri": uri(doc.name()) },
        "region": region(doc, span),
    })
}

impl Reporter for Sarif {
    fn start(&self) -> String {
        concat!(
            r#"{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","#,
            r#""runs":[{"columnKind":"unicodeCodePoints","results":["#
        )
        .into()
    }

    fn separator(&self) -> &'static str {
        ",\n"
    }

    fn first_separator(&self) -> &'static str {
        "\n"
    }

    fn finish(&self, any: bool) -> String {
        let rules: Vec<Value> = self
            .rules
            .iter()
            .map(|r| {
                json!({
                    "id": r.name,
                    "name": r.name,
                    "shortDescription": { "text": r.summary },
                    "fullDescription": { "text": r.summary },
                    "help": { "text": r.docs, "markdown": r.docs },
                    "defaultConfiguration": { "level": level(r.severity), "enabled": r.default_enabled },
                    "properties": { "group": r.group, "fix": r.fix.as_str() },
                })
            })
            .collect();
        let tool = json!({
            "driver": {
                "name": "copylint",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }
        });
        format!("{}],\"tool\":{tool}}}]}}\n", if any { "\n" } else { "" })
    }

    fn render(&self, doc: &Document, diagnostics: &[Diagnostic]) -> String {
        let fingerprints = baseline::fingerprints(doc, diagnostics);
        let results: Vec<String> = diagnostics
            .iter()
            .zip(fingerprints)
            .map(|(d, fingerprint)| {
                let mut message = d.message.clone();
                if let Some(record) = doc.record() {
                    message = format!("{message} (record {record})");
                }
                let mut result = json!({
                    "ruleId": d.rule,
                    "level": level(d.severity),
                    "message": { "text": message },
                    "locations": [{ "physicalLocation": physical(doc, d.span) }],
                    "partialFingerprints": { "copylint/v1": fingerprint },
                });
                if let Some(&i) = self.index.get(d.rule.as_ref()) {
                    result["ruleIndex"] = json!(i);
                }
                if !d.labels.is_empty() {
                    result["relatedLocations"] = d
                        .labels
                        .iter()
                        .enumerate()
                        .map(|(i, l)| {
                            json!({
                                "id": i,
                                "message": { "text": l.message },
                                "physicalLocation": physical(doc, l.span),
                            })
                        })
                        .collect();
                }
                let edits: Option<Vec<Value>> = d.fix.as_ref().and_then(|fix| {
                    fix.edits
                        .iter()
                        .map(|e| {
                            doc.file_edit(e.span, &e.replacement).map(|(span, text)| {
                                json!({
                                    "deletedRegion": { "byteOffset": span.start, "byteLength": span.len() },
                                    "insertedContent": { "text": text },
                                })
                            })
                        })
                        .collect()
                });
                if let (Some(replacements), Some(fix)) = (edits, &d.fix) {
                    let help = d.help.as_deref().unwrap_or("Apply the fix");
                    result["fixes"] = json!([{
                        "description": { "text": format!("{help} ({})", fix.applicability.as_str()) },
                        "artifactChanges": [{
                            "artifactLocation": { "uri": uri(doc.name()) },
                            "replacements": replacements,
                        }],
                    }]);
                }
                result.to_string()
            })
            .collect();
        results.join(",\n")
    }
}

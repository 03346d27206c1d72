//! Findings as LSP diagnostics, and what the editor can do with them: quick fixes, "fix
//! all safe problems", "ignore this rule on this line / in this file", and hover docs.

use std::collections::HashMap;
use std::sync::LazyLock;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    DiagnosticRelatedInformation, DiagnosticSeverity, Hover, HoverContents, HoverParams, Location,
    MarkupContent, MarkupKind, NumberOrString, OptionalVersionedTextDocumentIdentifier, Position,
    Range, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};
use serde::{Deserialize, Serialize};

use super::text::{Encoding, Lines};
use super::{Server, read};
use crate::document::{Document, Format};
use crate::rules::{Applicability, Diagnostic, RuleMeta, Severity};

pub static FIX_ALL: LazyLock<CodeActionKind> =
    LazyLock::new(|| CodeActionKind::new("source.fixAll.copylint"));

/// One published finding: the LSP diagnostic and what a code action needs.
#[derive(Debug, Clone)]
pub struct Finding {
    pub diagnostic: lsp_types::Diagnostic,
}

/// Carried in `Diagnostic.data`, so a code action needs no re-check.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Data {
    rule: String,
    version: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fix: Option<FixData>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct FixData {
    title: String,
    safe: bool,
    edits: Vec<TextEdit>,
}

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The LSP diagnostics of a document's findings. Ranges are in the editor's text (the
/// file), so they point at the Markdown or HTML source, not at the extracted prose.
pub fn findings(
    doc: &Document,
    diagnostics: &[Diagnostic],
    text: &str,
    uri: &Uri,
    version: i32,
    encoding: Encoding,
) -> Vec<Finding> {
    let lines = Lines::new(text);
    let range = |span| {
        let s = doc.file_span(span);
        lines.range(s.start, s.end, encoding)
    };
    diagnostics
        .iter()
        .map(|d| {
            let fix = d.fix.as_ref().and_then(|fix| {
                let edits: Option<Vec<TextEdit>> = fix
                    .edits
                    .iter()
                    .map(|e| {
                        doc.file_edit(e.span, &e.replacement)
                            .map(|(span, new_text)| TextEdit {
                                range: lines.range(span.start, span.end, encoding),
                                new_text,
                            })
                    })
                    .collect();
                let safe = fix.applicability == Applicability::Safe;
                let help = d.help.as_deref().unwrap_or("Fix it");
                edits.map(|edits| FixData {
                    title: if safe {
                        help.to_owned()
                    } else {
                        format!("{help} (unsafe)")
                    },
                    safe,
                    edits,
                })
            });
            let related = d
                .labels
                .iter()
                .map(|l| DiagnosticRelatedInformation {
                    location: Location::new(uri.clone(), range(l.span)),
                    message: l.message.clone(),
                })
                .collect::<Vec<_>>();
            let data = Data {
                rule: d.rule.to_string(),
                version,
                fix,
            };
            Finding {
                diagnostic: lsp_types::Diagnostic {
                    range: range(d.span),
                    severity: Some(severity(d.severity)),
                    code: Some(NumberOrString::String(d.rule.to_string())),
                    source: Some("copylint".into()),
                    message: d.message.clone(),
                    related_information: (!related.is_empty()).then_some(related),
                    data: serde_json::to_value(data).ok(),
                    ..lsp_types::Diagnostic::default()
                },
            }
        })
        .collect()
}

fn edit(uri: &Uri, version: i32, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        document_changes: Some(lsp_types::DocumentChanges::Edits(vec![TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier {
                uri: uri.clone(),
                version: Some(version),
            },
            edits: edits.into_iter().map(lsp_types::OneOf::Left).collect(),
        }])),
        ..WorkspaceEdit::default()
    }
}

/// Where a comment can go at the top of a file: after Markdown front matter or an HTML
/// doctype, so neither breaks.
fn top_of_file(text: &str, format: Format) -> usize {
    match format {
        Format::Markdown => {
            let Some(rest) = text.strip_prefix("---\n") else {
                return 0;
            };
            rest.find("\n---\n").map_or(0, |end| 4 + end + 5)
        }
        Format::Html => {
            let lower = text
                .get(..text.len().min(256))
                .unwrap_or("")
                .to_ascii_lowercase();
            match lower.find("<!doctype") {
                Some(at) => text[at..].find('>').map_or(0, |end| {
                    let after = at + end + 1;
                    after + usize::from(text[after..].starts_with('\n'))
                }),
                None => 0,
            }
        }
        _ => 0,
    }
}

impl Server {
    pub(super) fn code_actions(&mut self, params: CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = params.text_document.uri;
        let Some(open) = self.docs.get(&uri) else {
            return Vec::new();
        };
        let only = params.context.only.as_deref();
        let wants = |kind: &CodeActionKind| {
            only.is_none_or(|only| only.iter().any(|k| kind.as_str().starts_with(k.as_str())))
        };
        let mut actions = Vec::new();
        if wants(&CodeActionKind::QUICKFIX) {
            let comments = matches!(open.format, Format::Markdown | Format::Html);
            let lines = Lines::new(&open.text);
            for diagnostic in &params.context.diagnostics {
                let Some(data) = diagnostic
                    .data
                    .clone()
                    .and_then(|d| serde_json::from_value::<Data>(d).ok())
                else {
                    continue;
                };
                if data.version != open.version {
                    continue;
                }
                if let Some(fix) = data.fix {
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: fix.title,
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![diagnostic.clone()]),
                        edit: Some(edit(&uri, open.version, fix.edits)),
                        is_preferred: Some(fix.safe),
                        ..CodeAction::default()
                    }));
                }
                if comments {
                    let line_start =
                        lines.offset(Position::new(diagnostic.range.start.line, 0), self.encoding);
                    let indent: String = open.text[line_start..]
                        .chars()
                        .take_while(|c| *c == ' ' || *c == '\t')
                        .collect();
                    let at = lines.position(line_start, self.encoding);
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: format!("Ignore `{}` on this line", data.rule),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![diagnostic.clone()]),
                        edit: Some(edit(
                            &uri,
                            open.version,
                            vec![TextEdit {
                                range: Range::new(at, at),
                                new_text: format!(
                                    "{indent}<!-- copylint-disable-next-line {} -->\n",
                                    data.rule
                                ),
                            }],
                        )),
                        ..CodeAction::default()
                    }));
                    let top = lines.position(top_of_file(&open.text, open.format), self.encoding);
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: format!("Ignore `{}` in this file", data.rule),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![diagnostic.clone()]),
                        edit: Some(edit(
                            &uri,
                            open.version,
                            vec![TextEdit {
                                range: Range::new(top, top),
                                new_text: format!("<!-- copylint-disable {} -->\n", data.rule),
                            }],
                        )),
                        ..CodeAction::default()
                    }));
                }
            }
        }
        if wants(&FIX_ALL)
            && let Some(action) = self.fix_all(&uri)
        {
            actions.push(CodeActionOrCommand::CodeAction(action));
        }
        actions
    }

    /// "Fix all safe problems in this file": the safe fixes to a fixed point, as one
    /// edit of the changed region.
    fn fix_all(&mut self, uri: &Uri) -> Option<CodeAction> {
        let open = self.docs.get(uri)?;
        let (linter, _) = self.linters.for_path(open.path.as_deref());
        let name = open
            .path
            .as_ref()
            .map_or_else(|| uri.as_str().to_owned(), |p| p.display().to_string());
        let fixed = crate::fix::fix_to_fixed_point::<()>(&open.text, |text| {
            let Ok(doc) = read(&name, text, open.format) else {
                return Ok(Vec::new());
            };
            let Ok(diagnostics) = linter.check(&doc) else {
                return Ok(Vec::new());
            };
            Ok(diagnostics
                .into_iter()
                .filter_map(|d| d.fix)
                .filter(|f| f.applicability == Applicability::Safe)
                .filter_map(|f| {
                    f.edits
                        .iter()
                        .map(|e| {
                            doc.file_edit(e.span, &e.replacement)
                                .map(|(span, replacement)| crate::rules::Edit { span, replacement })
                        })
                        .collect::<Option<Vec<_>>>()
                })
                .collect())
        })
        .ok()?;
        if fixed.text == open.text {
            return None;
        }
        // One edit covering what changed: the common prefix and suffix stay.
        let (old, new) = (open.text.as_str(), fixed.text.as_str());
        let mut prefix = old
            .bytes()
            .zip(new.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
            prefix -= 1;
        }
        let mut suffix = old[prefix..]
            .bytes()
            .rev()
            .zip(new[prefix..].bytes().rev())
            .take_while(|(a, b)| a == b)
            .count();
        while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix)
        {
            suffix -= 1;
        }
        let lines = Lines::new(old);
        let text_edit = TextEdit {
            range: lines.range(prefix, old.len() - suffix, self.encoding),
            new_text: new[prefix..new.len() - suffix].to_owned(),
        };
        Some(CodeAction {
            title: format!(
                "Fix all safe problems in this file ({} {})",
                fixed.applied,
                if fixed.applied == 1 { "fix" } else { "fixes" }
            ),
            kind: Some(FIX_ALL.clone()),
            edit: Some(edit(uri, open.version, vec![text_edit])),
            ..CodeAction::default()
        })
    }

    /// The docs of the rules whose findings are under the cursor.
    pub(super) fn hover(&mut self, params: HoverParams) -> Option<Hover> {
        let uri = params.text_document_position_params.text_document.uri;
        let at = params.text_document_position_params.position;
        let published = self.published.get(&uri)?;
        let open = self.docs.get(&uri)?;
        if published.version != open.version {
            return None;
        }
        let (linter, _) = self.linters.for_path(open.path.as_deref());
        let metas: HashMap<&str, &RuleMeta> = linter
            .metas()
            .iter()
            .map(|m| (m.name.as_ref(), m))
            .collect();
        let mut docs: Vec<String> = Vec::new();
        for finding in &published.findings {
            let d = &finding.diagnostic;
            let inside = (d.range.start.line, d.range.start.character) <= (at.line, at.character)
                && (at.line, at.character) <= (d.range.end.line, d.range.end.character);
            let Some(NumberOrString::String(rule)) = &d.code else {
                continue;
            };
            if inside && let Some(meta) = metas.get(rule.as_str()) {
                let text = crate::rule_docs(meta);
                if !docs.contains(&text) {
                    docs.push(text);
                }
            }
        }
        (!docs.is_empty()).then(|| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: docs.join("\n---\n"),
            }),
            range: None,
        })
    }
}

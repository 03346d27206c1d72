//! `inconsistent-dash`: one compound joined by different hyphens and dashes in one
//! document (`green-light` / `green–light`), and dashes between clauses set in more
//! than one style (`word—word` beside `word – word`).

use std::collections::HashMap;

use serde::Deserialize;

use crate::declare_rule;
use crate::document::typography::{
    DashStyle, DashStyleChoice, SentenceDash, is_code_like, majority_style, sentence_dashes,
};
use crate::document::{Document, Span};
use crate::rules::{Applicability, Diagnostic, Edit, Fix, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags two kinds of mixed dashes in one document:
    ///
    /// - the same two words joined by different characters: a hyphen in one place, an
    ///   en dash, em dash, figure dash or minus sign in another (`green-light`,
    ///   `green–light`);
    /// - dashes between clauses set in more than one style: closed em dashes
    ///   (`word—word`, Chicago), spaced em dashes (`word — word`, AP) and spaced en
    ///   dashes (`word – word`, British).
    ///
    /// The minority form is reported once, at its first occurrence, with the counts and
    /// a label at the majority's first occurrence; with a tie, the form seen later is
    /// the one reported. Ranges (`9 am – 5 pm`, `May – June`), labels at the start of a
    /// line (`Garbage – for things…`), title-case separators, attributions after a
    /// sentence and code-like lines are not dashes between clauses and are not counted.
    ///
    /// ## Why is this bad?
    /// Articles assembled from several sources keep each source's conventions. Readers
    /// see the difference, and search and duplicate detection treat `green-light` and
    /// `green–light` as different words.
    ///
    /// ## Example
    /// ```text
    /// The White House is pushing Mexico to green-light joint operations.
    /// …
    /// The White House is pushing Mexico to green–light joint operations.
    /// ```
    /// Use instead: `green-light` in both places.
    ///
    /// ## Options
    /// `style` (default `"auto"`): the house style for dashes between clauses.
    /// `"auto"` takes the document's majority; `"closed"`, `"spaced"` or `"spaced-en"`
    /// flag every dash set otherwise, even when the document is consistent.
    ///
    /// ## Fix
    /// Rewrites every occurrence of the minority form to the majority's (unsafe: a
    /// spaced en dash the rule took for a clause dash may be a range, and a name may be
    /// written with an en dash on purpose).
    name: "inconsistent-dash",
    group: crate::rules::group::TYPOGRAPHY,
    severity: Warning,
    fix: Unsafe,
    summary: "One compound or one kind of dash written in several ways",
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    style: DashStyleChoice,
}

#[derive(Debug, Default)]
pub struct InconsistentDash {
    options: Options,
}

impl InconsistentDash {
    pub fn new(options: Options) -> Self {
        InconsistentDash { options }
    }
}

/// Other occurrences of a reported form shown as labels, beyond the first.
const MAX_LABELS: usize = 3;

/// A character that joins the two words of a compound, by family: the three hyphens
/// (U+002D, U+2010, U+2011) look alike and are one form.
fn joiner_form(c: char) -> Option<(u8, &'static str)> {
    Some(match c {
        '-' | '\u{2010}' | '\u{2011}' => (0, "hyphen"),
        '–' => (1, "en dash"),
        '—' => (2, "em dash"),
        '‒' => (3, "figure dash"),
        '−' => (4, "minus sign"),
        '―' => (5, "horizontal bar"),
        _ => return None,
    })
}

/// One compound occurrence: the joiner's span and character, and the span of the
/// two words around it.
#[derive(Debug, Clone, Copy)]
struct Joint {
    joiner: Span,
    ch: char,
    words: Span,
}

impl Rule for InconsistentDash {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        if memchr::memchr(0xE2, doc.text().as_bytes()).is_none()
            && self.options.style.fixed().is_none()
        {
            return; // only ASCII hyphens: nothing can differ
        }
        self.check_compounds(doc, out);
        self.check_clause_dashes(doc, out);
    }
}

impl InconsistentDash {
    fn check_compounds(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        let text = doc.text();
        let bytes = text.as_bytes();
        // Hyphens are everywhere: first find the compounds joined by a dash (rare),
        // then only the hyphenated spellings of those same compounds.
        let mut code_lines: HashMap<usize, bool> = HashMap::new();
        let mut not_code = |at: usize| {
            let line = doc.line_of(at);
            !*code_lines
                .entry(line)
                .or_insert_with(|| doc.line(line).is_some_and(|l| is_code_like(l.text)))
        };
        let mut groups: HashMap<(String, String), Vec<Joint>> = HashMap::new();
        for at in memchr::memchr_iter(0xE2, bytes) {
            let Some(c) = text.get(at..).and_then(|s| s.chars().next()) else {
                continue;
            };
            if joiner_form(c).is_none_or(|(form, _)| form == 0) {
                continue;
            }
            if let Some((key, joint)) = joint_at(text, at, c)
                && not_code(at)
            {
                groups.entry(key).or_default().push(joint);
            }
        }
        if groups.is_empty() {
            return;
        }
        for at in memchr::memchr2_iter(b'-', 0xE2, bytes) {
            let Some(c) = text.get(at..).and_then(|s| s.chars().next()) else {
                continue;
            };
            if joiner_form(c).is_some_and(|(form, _)| form == 0)
                && let Some((key, joint)) = joint_at(text, at, c)
                && let Some(list) = groups.get_mut(&key)
                && not_code(at)
            {
                list.push(joint);
            }
        }
        let mut order: Vec<(String, String)> = groups.keys().cloned().collect();
        for list in groups.values_mut() {
            list.sort_by_key(|j| j.joiner.start);
        }
        order.sort_by_key(|k| {
            groups
                .get(k)
                .and_then(|l| l.first())
                .map_or(0, |j| j.joiner.start)
        });
        for key in order {
            let Some(joints) = groups.get(&key) else {
                continue;
            };
            // Forms in order of first appearance, with their occurrences.
            let mut forms: Vec<(u8, Vec<Joint>)> = Vec::new();
            for j in joints {
                let Some((form, _)) = joiner_form(j.ch) else {
                    continue;
                };
                match forms.iter_mut().find(|(f, _)| *f == form) {
                    Some((_, list)) => list.push(*j),
                    None => forms.push((form, vec![*j])),
                }
            }
            if forms.len() < 2 {
                continue;
            }
            let majority = forms
                .iter()
                .enumerate()
                .max_by(|(ia, a), (ib, b)| a.1.len().cmp(&b.1.len()).then(ib.cmp(ia)))
                .map_or(0, |(i, _)| i);
            let (major_form, major) = &forms[majority];
            let major_first = major[0];
            let major_word = doc.slice(major_first.words);
            let major_ch = major_first.ch;
            let major_name = joiner_form(major_ch).map_or("hyphen", |(_, n)| n);
            for (form, minor) in &forms {
                if form == major_form {
                    continue;
                }
                let first = minor[0];
                let shown = doc.slice(first.words);
                let edits = minor
                    .iter()
                    .map(|j| Edit {
                        span: j.joiner,
                        replacement: major_ch.to_string(),
                    })
                    .collect();
                let mut d = self
                    .diagnostic(
                        first.words,
                        format!(
                            "\"{shown}\" is written \"{major_word}\" elsewhere in the document ({} × \"{major_word}\", {} × \"{shown}\")",
                            major.len(),
                            minor.len()
                        ),
                    )
                    .with_help(format!("Join the words with the {major_name}, as elsewhere: \"{major_word}\""))
                    .with_label(major_first.words, format!("\"{major_word}\" here"))
                    .with_fix(Fix::new(Applicability::Unsafe, edits));
                for j in minor.iter().skip(1).take(MAX_LABELS) {
                    d = d.with_label(j.words, "and here");
                }
                out.push(d);
            }
        }
    }

    fn check_clause_dashes(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        let dashes = sentence_dashes(doc);
        let house = self.options.style.fixed();
        let Some(target) = house.or_else(|| majority_style(&dashes)) else {
            return;
        };
        let mut by_style: Vec<(DashStyle, Vec<SentenceDash>)> = Vec::new();
        for d in &dashes {
            match by_style.iter_mut().find(|(s, _)| *s == d.style) {
                Some((_, list)) => list.push(*d),
                None => by_style.push((d.style, vec![*d])),
            }
        }
        if house.is_none() && by_style.len() < 2 {
            return;
        }
        let major = by_style.iter().find(|(s, _)| *s == target).map(|(_, l)| l);
        let major_count = major.map_or(0, Vec::len);
        for (style, minor) in &by_style {
            if *style == target {
                continue;
            }
            let first = minor[0];
            let edits = minor
                .iter()
                .map(|d| Edit {
                    span: d.span,
                    replacement: target.text().to_owned(),
                })
                .collect();
            let message = match house {
                Some(_) => format!(
                    "{}{} where the house style is the {}",
                    capitalise(style.describe()),
                    times(minor.len()),
                    target.describe()
                ),
                None => format!(
                    "{}{} in a document that mostly uses the {} ({} of {} dashes between clauses)",
                    capitalise(style.describe()),
                    times(minor.len()),
                    target.describe(),
                    major_count,
                    dashes.len()
                ),
            };
            let mut d = self
                .diagnostic(first.span, message)
                .with_help(format!(
                    "Set it as a {}: \"{}\"",
                    target.describe(),
                    target.text()
                ))
                .with_fix(Fix::new(Applicability::Unsafe, edits));
            if let Some(m) = major.and_then(|l| l.first()) {
                d = d.with_label(m.span, format!("{} here", target.describe()));
            }
            for other in minor.iter().skip(1).take(MAX_LABELS) {
                d = d.with_label(other.span, "and here");
            }
            out.push(d);
        }
    }
}

/// ` (3 times)` after a form seen more than once.
fn times(n: usize) -> String {
    if n > 1 {
        format!(" ({n} times)")
    } else {
        String::new()
    }
}

fn capitalise(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        Some(c) => c.to_uppercase().chain(cs).collect(),
        None => String::new(),
    }
}

/// The compound whose joiner `c` is at `at`: its lowercase key and its spans, when
/// letters stand on both sides.
fn joint_at(text: &str, at: usize, c: char) -> Option<((String, String), Joint)> {
    let left = word_before(&text[..at]);
    let right = word_after(&text[at + c.len_utf8()..]);
    if left.is_empty() || right.is_empty() {
        return None;
    }
    let joint = Joint {
        joiner: Span::new(at, at + c.len_utf8()),
        ch: c,
        words: Span::new(at - left.len(), at + c.len_utf8() + right.len()),
    };
    Some(((left.to_lowercase(), right.to_lowercase()), joint))
}

/// The letters that end `s` (the left word of a compound).
fn word_before(s: &str) -> &str {
    let len: usize = s
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .map(char::len_utf8)
        .sum();
    &s[s.len() - len..]
}

/// The letters that start `s`.
fn word_after(s: &str) -> &str {
    let len: usize = s
        .chars()
        .take_while(|c| c.is_alphabetic())
        .map(char::len_utf8)
        .sum();
    &s[..len]
}

#[cfg(test)]
mod tests {
    use super::{InconsistentDash, Options};
    use crate::document::typography::DashStyleChoice;
    use crate::rules::test::{assert_clean, check_fixture, fix_fixture, read_fixture, run};

    #[test]
    fn flags_the_minority_compound_and_dash_style() {
        insta::assert_snapshot!(check_fixture(&InconsistentDash::default(), "inconsistent-dash/flagged.txt"), @r#"
        3:66 inconsistent-dash "green–light" is written "green-light" elsewhere in the document (1 × "green-light", 1 × "green–light") (label 1:66 "green-light" here) [unsafe fix]
        5:114 inconsistent-dash Spaced en dash (`word – word`) in a document that mostly uses the closed em dash (`word—word`) (2 of 3 dashes between clauses) (label 7:138 closed em dash (`word—word`) here) [unsafe fix]
        "#);
    }

    #[test]
    fn the_fix_takes_the_majority_form_and_nothing_is_left() {
        fix_fixture(
            &InconsistentDash::default(),
            "inconsistent-dash/flagged.txt",
        );
        assert_clean(
            &InconsistentDash::default(),
            &read_fixture("inconsistent-dash/flagged.fixed.txt"),
        );
    }

    #[test]
    fn ranges_labels_and_attributions_do_not_count_as_a_style() {
        assert_clean(
            &InconsistentDash::default(),
            &read_fixture("inconsistent-dash/clean.txt"),
        );
    }

    #[test]
    fn with_a_tie_the_later_form_is_reported() {
        let (doc, found) = run(
            &InconsistentDash::default(),
            "We saw the Paris–Dakar rally.\n\nThe Paris-Dakar rally ended.",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(doc.line_col(found[0].span.start).line, 3);
    }

    #[test]
    fn a_house_style_flags_even_a_consistent_document() {
        let rule = InconsistentDash::new(Options {
            style: DashStyleChoice::Closed,
        });
        let (_, found) = run(&rule, "We made a plan — or not, and it worked — mostly.");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].fix.as_ref().map(|f| f.edits.len()), Some(2));
        assert_clean(
            &InconsistentDash::default(),
            "We made a plan — or not, and it worked — mostly.",
        );
    }
}

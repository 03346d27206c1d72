//! `ellipsis`: `...`, `. . .` and `…` mixed in one document.

use serde::Deserialize;

use crate::declare_rule;
use crate::document::typography::is_code_like;
use crate::document::{Document, Span};
use crate::rules::{Applicability, Diagnostic, Edit, Fix, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a document that writes its ellipses in more than one way: the ellipsis
    /// character `…` (U+2026), three periods `...`, or spaced periods `. . .`
    /// (Chicago). The minority form is reported once, at its first occurrence, with
    /// the counts and a label at the majority's first occurrence; with a tie, the form
    /// seen later. Runs of four or more periods (leaders, `Chapter 1 .... 5`) and
    /// code-like lines (`...args`) are left alone.
    ///
    /// Off by default: mixing ellipses is a matter of house style that only some
    /// pipelines care about. Enable it with `extend-select = ["ellipsis"]` (selecting
    /// the `typography` group also enables it).
    ///
    /// ## Why is this bad?
    /// Teasers cut by a CMS end in `…`, the article's own text uses `...`: the page
    /// looks assembled, and `...` and `…` do not match in search or duplicate checks.
    ///
    /// ## Example
    /// ```text
    /// President Donald Trump is actively seeking assistance…
    /// The labs produce fewer chemicals... than a meth lab.
    /// ```
    /// Use instead: one form throughout.
    ///
    /// ## Options
    /// `style` (default `"auto"`): `"auto"` takes the document's majority;
    /// `"character"` (`…`), `"periods"` (`...`) or `"spaced"` (`. . .`) enforce a house
    /// style, so that even a consistent document in another style is flagged.
    ///
    /// ## Fix
    /// Rewrites every occurrence of the minority form to the majority's (safe).
    name: "ellipsis",
    group: crate::rules::group::TYPOGRAPHY,
    severity: Info,
    fix: Safe,
    summary: "`...` and `…` mixed in one document",
    default_enabled: false,
}

/// The house style for ellipses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EllipsisStyle {
    #[default]
    Auto,
    Character,
    Periods,
    Spaced,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    style: EllipsisStyle,
}

#[derive(Debug, Default)]
pub struct Ellipsis {
    options: Options,
}

impl Ellipsis {
    pub fn new(options: Options) -> Self {
        Ellipsis { options }
    }
}

/// Other occurrences shown as labels, beyond the first.
const MAX_LABELS: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Character,
    Periods,
    Spaced,
}

impl Form {
    fn text(self) -> &'static str {
        match self {
            Form::Character => "…",
            Form::Periods => "...",
            Form::Spaced => ". . .",
        }
    }
}

/// The ellipses of one line, in order.
fn ellipses(line: &str, base: usize, out: &mut Vec<(Form, Span)>) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'.' {
            let run = bytes[i..].iter().take_while(|&&b| b == b'.').count();
            if run == 3 {
                out.push((Form::Periods, Span::new(base + i, base + i + 3)));
            } else if run == 1
                && bytes.get(i + 1..i + 5) == Some(b" . .")
                && bytes.get(i + 5) != Some(&b'.')
                && bytes.get(i + 5..i + 7) != Some(b" .")
            {
                out.push((Form::Spaced, Span::new(base + i, base + i + 5)));
                i += 5;
                continue;
            }
            i += run;
        } else if bytes[i..].starts_with("…".as_bytes()) {
            out.push((
                Form::Character,
                Span::new(base + i, base + i + '…'.len_utf8()),
            ));
            i += '…'.len_utf8();
        } else {
            i += 1;
        }
    }
}

impl Rule for Ellipsis {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        let bytes = doc.text().as_bytes();
        let has_char = memchr::memmem::find(bytes, "…".as_bytes()).is_some();
        let has_dots = memchr::memmem::find(bytes, b"..").is_some()
            || memchr::memmem::find(bytes, b". . .").is_some();
        let house = match self.options.style {
            EllipsisStyle::Auto => None,
            EllipsisStyle::Character => Some(Form::Character),
            EllipsisStyle::Periods => Some(Form::Periods),
            EllipsisStyle::Spaced => Some(Form::Spaced),
        };
        if house.is_none() && !(has_char && has_dots) {
            return;
        }
        let mut found: Vec<(Form, Span)> = Vec::new();
        for line in doc.lines() {
            if line.text.contains(['.', '…']) && !is_code_like(line.text) {
                ellipses(line.text, line.span.start, &mut found);
            }
        }
        let mut forms: Vec<(Form, Vec<Span>)> = Vec::new();
        for (form, span) in found {
            match forms.iter_mut().find(|(f, _)| *f == form) {
                Some((_, list)) => list.push(span),
                None => forms.push((form, vec![span])),
            }
        }
        if house.is_none() && forms.len() < 2 {
            return;
        }
        let target = house.unwrap_or_else(|| {
            forms
                .iter()
                .enumerate()
                .max_by(|(ia, a), (ib, b)| a.1.len().cmp(&b.1.len()).then(ib.cmp(ia)))
                .map_or(Form::Character, |(_, (f, _))| *f)
        });
        let major = forms.iter().find(|(f, _)| *f == target).map(|(_, l)| l);
        for (form, spans) in &forms {
            if *form == target {
                continue;
            }
            let edits = spans
                .iter()
                .map(|&span| Edit {
                    span,
                    replacement: target.text().to_owned(),
                })
                .collect();
            let message = match house {
                Some(_) => format!(
                    "Ellipsis written \"{}\"; the house style is \"{}\"",
                    form.text(),
                    target.text()
                ),
                None => format!(
                    "Ellipsis written \"{}\" in a document that mostly writes \"{}\" ({} × \"{}\", {} × \"{}\")",
                    form.text(),
                    target.text(),
                    major.map_or(0, Vec::len),
                    target.text(),
                    spans.len(),
                    form.text()
                ),
            };
            let mut d = self
                .diagnostic(spans[0], message)
                .with_help(format!("Write every ellipsis as \"{}\"", target.text()))
                .with_fix(Fix::new(Applicability::Safe, edits));
            if let Some(first) = major.and_then(|l| l.first()) {
                d = d.with_label(*first, format!("\"{}\" here", target.text()));
            }
            for span in spans.iter().skip(1).take(MAX_LABELS) {
                d = d.with_label(*span, "and here");
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Ellipsis, EllipsisStyle, Options};
    use crate::rules::test::{assert_clean, check_fixture, fix_fixture, read_fixture, run};

    #[test]
    fn flags_the_minority_form() {
        insta::assert_snapshot!(check_fixture(&Ellipsis::default(), "ellipsis/flagged.txt"), @r#"5:15 ellipsis Ellipsis written "..." in a document that mostly writes "…" (4 × "…", 2 × "...") (label 1:86 "…" here) (label 7:85 and here) [safe fix]"#);
    }

    #[test]
    fn the_fix_takes_the_majority_form_and_nothing_is_left() {
        fix_fixture(&Ellipsis::default(), "ellipsis/flagged.txt");
        assert_clean(
            &Ellipsis::default(),
            &read_fixture("ellipsis/flagged.fixed.txt"),
        );
    }

    #[test]
    fn one_form_leaders_and_code_are_fine() {
        assert_clean(&Ellipsis::default(), &read_fixture("ellipsis/clean.txt"));
    }

    #[test]
    fn spaced_periods_are_a_form_and_a_house_style_can_be_set() {
        let (_, found) = run(
            &Ellipsis::default(),
            "Wait . . . what? And then… and then . . . nothing.",
        );
        assert_eq!(found.len(), 1);
        let rule = Ellipsis::new(Options {
            style: EllipsisStyle::Periods,
        });
        assert_eq!(run(&rule, "Wait… what?").1.len(), 1);
    }
}

//! `inconsistent-quotes`: straight quotes and apostrophes in a document that uses curly
//! ones (or the reverse), and `‘` typed where an apostrophe belongs.

use std::collections::HashSet;

use serde::Deserialize;

use crate::declare_rule;
use crate::document::typography::{QuoteKind, QuoteMark, QuoteRole};
use crate::document::{Document, Span};
use crate::rules::{Applicability, Diagnostic, Edit, Fix, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Counts the apostrophes and quotation marks of a document, straight (`'` `"`) and
    /// curly (`‘ ’ “ ”`), and flags the minority style: straight ones in a mostly curly
    /// document, or curly ones in a mostly straight one. Also flags `‘` typed where an
    /// apostrophe belongs (`‘90s`, `rock ‘n’ roll`, `don‘t`).
    ///
    /// Each quote character gets a role from its context: an apostrophe (`Mexico's`,
    /// `players'`, `'90s`, `rock 'n' roll`, `'em`), an opening or a closing quote, or a
    /// prime after a digit (`5'10"`, `12" vinyl`), which is left alone. Quotes on
    /// code-like lines (`print('hi')`, `x = "y"`) are left alone too.
    ///
    /// To keep reports short, findings are grouped by form: at most one finding each for
    /// minority apostrophes, single quotes, double quotes and misdirected `‘` per
    /// document, at the first occurrence, with the counts in the message and labels at the
    /// next occurrences and at the majority style's nearest one. The fix covers them all.
    ///
    /// ## Why is this bad?
    /// Articles pasted together from several sources mix a CMS's curly quotes with a
    /// caption's straight ones. Readers see it, and `Mexico's` and `Mexico’s` no longer
    /// match in search or duplicate detection.
    ///
    /// ## Example
    /// ```text
    /// Mexico's president Claudia Sheinbaum has rejected US plans…
    /// Fentanyl is now classified by the White House as a 'weapon of mass destruction'
    /// (in an article whose other quotes are ‘…’ and whose apostrophes are ’)
    /// ```
    /// Use instead:
    /// ```text
    /// Mexico’s president Claudia Sheinbaum has rejected US plans…
    /// Fentanyl is now classified by the White House as a ‘weapon of mass destruction’
    /// ```
    ///
    /// ## Options
    /// `style` (default `"auto"`): `"auto"` takes the document's majority (curly on a
    /// tie); `"curly"` or `"straight"` enforce a house style, so that even a consistent
    /// document in the other style is flagged.
    ///
    /// ## Fix
    /// Straight to curly: each mark becomes the curly character for its role — `‘` or
    /// `“` when it opens, `’` or `”` when it closes, `’` for an apostrophe. Safe when every
    /// role in the finding is certain from the context; unsafe when one was guessed (a
    /// single quote before a word with nothing to close it may be an elision, `'Bama`; a
    /// double quote between two spaces). Curly to straight is always safe. A misdirected
    /// `‘` becomes `’` (safe).
    name: "inconsistent-quotes",
    group: crate::rules::group::TYPOGRAPHY,
    severity: Warning,
    fix: SafeOrUnsafe,
    summary: "Straight and curly quotes mixed in one document",
}

/// The house style for quotes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuoteStyle {
    #[default]
    Auto,
    Curly,
    Straight,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    style: QuoteStyle,
}

#[derive(Debug, Default)]
pub struct InconsistentQuotes {
    options: Options,
}

impl InconsistentQuotes {
    pub fn new(options: Options) -> Self {
        InconsistentQuotes { options }
    }
}

/// Other occurrences shown as labels, beyond the first.
const MAX_LABELS: usize = 3;

/// What a group of findings is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Apostrophe,
    Single,
    Double,
    Misdirected,
}

impl Form {
    fn of(mark: &QuoteMark) -> Option<Form> {
        match (mark.kind, mark.role) {
            (_, QuoteRole::Apostrophe) => Some(Form::Apostrophe),
            (_, QuoteRole::MisdirectedApostrophe) => Some(Form::Misdirected),
            (QuoteKind::Single, QuoteRole::Open | QuoteRole::Close) => Some(Form::Single),
            (QuoteKind::Double, QuoteRole::Open | QuoteRole::Close) => Some(Form::Double),
            _ => None,
        }
    }

    fn name(self, plural: bool) -> &'static str {
        match (self, plural) {
            (Form::Apostrophe, false) => "apostrophe",
            (Form::Apostrophe, true) => "apostrophes",
            (Form::Single, _) => "single quotes",
            (Form::Double, _) => "double quotes",
            (Form::Misdirected, _) => "",
        }
    }
}

fn straight_of(mark: &QuoteMark) -> char {
    match mark.kind {
        QuoteKind::Single => '\'',
        QuoteKind::Double => '"',
    }
}

impl Rule for InconsistentQuotes {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        let marks: Vec<QuoteMark> = doc
            .quotes()
            .iter()
            .flat_map(|p| p.marks.iter().copied())
            .filter(|m| Form::of(m).is_some())
            .collect();
        let straight = marks.iter().filter(|m| m.is_straight()).count();
        let curly = marks.len() - straight;
        let to_curly = match self.options.style {
            QuoteStyle::Curly => true,
            QuoteStyle::Straight => false,
            QuoteStyle::Auto => {
                if straight == 0 || curly == 0 {
                    // Consistent, apart from misdirected apostrophes.
                    curly > 0
                } else {
                    curly >= straight
                }
            }
        };
        for form in [
            Form::Apostrophe,
            Form::Single,
            Form::Double,
            Form::Misdirected,
        ] {
            let minority: Vec<&QuoteMark> = marks
                .iter()
                .filter(|m| Form::of(m) == Some(form))
                .filter(|m| match form {
                    // In a curly document `‘` as an apostrophe is its own mistake; in a
                    // straight one it is a curly mark like the others.
                    Form::Misdirected => to_curly,
                    _ => m.is_straight() == to_curly,
                })
                .collect();
            let Some(first) = minority.first() else {
                continue;
            };
            // The majority's nearest mark of the same form shows the style to follow.
            let distance = |m: &&QuoteMark| m.span.start.abs_diff(first.span.start);
            let majority = marks
                .iter()
                .filter(|m| m.is_straight() != to_curly && Form::of(m) == Some(form))
                .min_by_key(distance)
                .or_else(|| {
                    marks
                        .iter()
                        .filter(|m| m.is_straight() != to_curly)
                        .min_by_key(distance)
                });
            out.push(self.finding(
                doc, form, to_curly, &minority, first, majority, straight, curly,
            ));
        }
    }
}

impl InconsistentQuotes {
    #[allow(clippy::too_many_arguments)]
    fn finding(
        &self,
        doc: &Document,
        form: Form,
        to_curly: bool,
        minority: &[&QuoteMark],
        first: &QuoteMark,
        majority: Option<&QuoteMark>,
        straight: usize,
        curly: usize,
    ) -> Diagnostic {
        let mut safe = true;
        let edits: Vec<Edit> = minority
            .iter()
            .map(|m| {
                let replacement = if to_curly {
                    safe &= m.certain || form == Form::Misdirected;
                    m.curly().unwrap_or('’')
                } else {
                    straight_of(m)
                };
                Edit {
                    span: m.span,
                    replacement: replacement.to_string(),
                }
            })
            .collect();
        let spans: HashSet<Span> = minority.iter().map(|m| m.span).collect();
        // Show a quotation whole when its closing mark is in the finding too.
        let span = match first.partner {
            Some(close)
                if spans.contains(&close)
                    && close.end - first.span.start <= 120
                    && !doc
                        .slice(Span::new(first.span.start, close.end))
                        .contains(['\n', '\r']) =>
            {
                Span::new(first.span.start, close.end)
            }
            _ => first.span,
        };
        let snippet = snippet(doc, first, span);
        // A quotation counts once, not once per mark.
        let paired = minority
            .iter()
            .filter(|m| m.partner.is_some_and(|p| spans.contains(&p)))
            .count();
        let n = minority.len() - paired;
        let message = match form {
            Form::Misdirected => format!(
                "Opening quote ‘ used as an apostrophe{}: {snippet}",
                count_suffix(n)
            ),
            _ => {
                let (this, other) = if to_curly {
                    ("Straight", "curly")
                } else {
                    ("Curly", "straight")
                };
                let style = match self.options.style {
                    QuoteStyle::Auto => format!(
                        "a document that mostly uses {other} quotes ({} {other}, {} {})",
                        if to_curly { curly } else { straight },
                        if to_curly { straight } else { curly },
                        this.to_lowercase()
                    ),
                    _ => format!("a document whose house style is {other} quotes"),
                };
                format!(
                    "{this} {}{} in {style}: {snippet}",
                    form.name(n > 1),
                    count_suffix(n)
                )
            }
        };
        let help = match (form, to_curly) {
            (Form::Misdirected, _) => "Use ’ (right single quotation mark) for apostrophes",
            (_, true) => "Use curly quotes: ‘ and “ to open, ’ and ” to close, ’ for apostrophes",
            (_, false) => "Use straight quotes: ' and \"",
        };
        let applicability = if safe {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        };
        let mut d = self
            .diagnostic(span, message)
            .with_help(help)
            .with_fix(Fix::new(applicability, edits));
        if let Some(m) = majority
            && form != Form::Misdirected
        {
            let label = if to_curly { "curly" } else { "straight" };
            d = d.with_label(m.span, format!("{label} here"));
        }
        for m in minority
            .iter()
            .skip(1)
            .filter(|m| !span.contains(m.span))
            .take(MAX_LABELS)
        {
            d = d.with_label(m.span, "and here");
        }
        d
    }
}

fn count_suffix(n: usize) -> String {
    if n > 1 {
        format!(" ({n} in all)")
    } else {
        String::new()
    }
}

/// What a finding shows: the word around an apostrophe (`"Mexico's"`), the quotation
/// the span covers, or the start of a quotation (`"A supremely practical…`) or its end.
fn snippet(doc: &Document, mark: &QuoteMark, span: Span) -> String {
    const SHOWN: usize = 30;
    let text = doc.text();
    if span != mark.span {
        return doc.slice(span).to_owned();
    }
    let line = doc
        .line(doc.line_of(mark.span.start))
        .map_or(Span::default(), |l| l.span);
    match mark.role {
        QuoteRole::Open => {
            let rest = &text[mark.span.start..line.end.max(mark.span.start)];
            let shown: String = rest.chars().take(SHOWN).collect();
            let more = if shown.len() < rest.len() { "…" } else { "" };
            format!("{shown}{more}")
        }
        QuoteRole::Close => {
            let before = &text[line.start.min(mark.span.end)..mark.span.end];
            let n = before.chars().count();
            let shown: String = before.chars().skip(n.saturating_sub(SHOWN)).collect();
            let more = if n > SHOWN { "…" } else { "" };
            format!("{more}{shown}")
        }
        _ => {
            let is_word = |c: char| c.is_alphanumeric() || matches!(c, '\'' | '’' | '‘');
            let start = text[..mark.span.start]
                .char_indices()
                .rev()
                .take_while(|&(_, c)| is_word(c))
                .last()
                .map_or(mark.span.start, |(i, _)| i);
            let end = text[mark.span.end..]
                .char_indices()
                .find(|&(_, c)| !is_word(c))
                .map_or(text.len(), |(i, _)| mark.span.end + i);
            let word = &text[start..end];
            if word.chars().count() > 40 || word.chars().count() < 2 {
                format!("\"{}\"", doc.slice(mark.span))
            } else {
                format!("\"{word}\"")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{InconsistentQuotes, Options, QuoteStyle};
    use crate::rules::Applicability;
    use crate::rules::test::{assert_clean, check_fixture, fix_fixture, read_fixture, run};

    fn fixed(rule: &InconsistentQuotes, text: &str) -> String {
        let (_, found) = run(rule, text);
        crate::fix::apply(text, &found, true).text
    }

    #[test]
    fn flags_straight_quotes_in_a_curly_document() {
        insta::assert_snapshot!(check_fixture(&InconsistentQuotes::default(), "inconsistent-quotes/flagged.txt"), @r#"
        3:7 inconsistent-quotes Straight apostrophe in a document that mostly uses curly quotes (11 curly, 3 straight): "Mexico's" (label 5:7 curly here) [safe fix]
        7:63 inconsistent-quotes Straight single quotes in a document that mostly uses curly quotes (11 curly, 3 straight): 'weapon of mass destruction' (label 9:63 curly here) [safe fix]
        13:97 inconsistent-quotes Opening quote ‘ used as an apostrophe: "‘17" [safe fix]
        "#);
    }

    #[test]
    fn flags_curly_quotes_in_a_straight_document() {
        insta::assert_snapshot!(check_fixture(&InconsistentQuotes::default(), "inconsistent-quotes/flagged-straight.txt"), @r#"5:3 inconsistent-quotes Curly apostrophe in a document that mostly uses straight quotes (7 straight, 1 curly): "It’s" (label 3:105 straight here) [safe fix]"#);
    }

    #[test]
    fn the_fix_picks_the_curly_character_by_role_and_nothing_is_left() {
        let rule = InconsistentQuotes::default();
        fix_fixture(&rule, "inconsistent-quotes/flagged.txt");
        assert_clean(
            &rule,
            &read_fixture("inconsistent-quotes/flagged.fixed.txt"),
        );
        fix_fixture(&rule, "inconsistent-quotes/flagged-straight.txt");
        assert_clean(
            &rule,
            &read_fixture("inconsistent-quotes/flagged-straight.fixed.txt"),
        );
    }

    #[test]
    fn apostrophes_elisions_primes_and_code_in_a_curly_document_are_fine() {
        assert_clean(
            &InconsistentQuotes::default(),
            &read_fixture("inconsistent-quotes/clean.txt"),
        );
    }

    #[test]
    fn curly_characters_follow_the_role_of_each_mark() {
        let rule = InconsistentQuotes::default();
        let curly = "‘One’ and “two” and it’s ‘three’, “four” and ‘five’ aren’t six. ";
        assert_eq!(
            fixed(
                &rule,
                &format!("{curly}He said \"it's the '90s, rock 'n' roll\" and 'left'.")
            ),
            format!("{curly}He said “it’s the ’90s, rock ’n’ roll” and ‘left’.")
        );
        assert_eq!(
            fixed(
                &rule,
                &format!("{curly}He is 5'10\" tall, the players' union said.")
            ),
            format!("{curly}He is 5'10\" tall, the players’ union said.")
        );
    }

    #[test]
    fn a_guessed_role_makes_the_fix_unsafe() {
        let rule = InconsistentQuotes::default();
        let (_, found) = run(&rule, "‘One’ and “two” and it’s ‘three’. 'Bama won.");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].fix.as_ref().map(|f| f.applicability),
            Some(Applicability::Unsafe)
        );
    }

    #[test]
    fn a_house_style_flags_a_consistent_document() {
        let rule = InconsistentQuotes::new(Options {
            style: QuoteStyle::Curly,
        });
        assert_eq!(fixed(&rule, "It's \"fine\"."), "It’s “fine”.");
        assert_clean(&InconsistentQuotes::default(), "It's \"fine\".");
    }
}

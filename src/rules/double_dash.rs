//! `double-dash`: two hyphens or dashes (`--`, `––`, `—–`) typed for an em dash.

use serde::Deserialize;

use crate::declare_rule;
use crate::document::typography::{
    DashStyle, DashStyleChoice, is_code_like, majority_style, sentence_dashes,
};
use crate::document::{Document, Span, chars};
use crate::rules::{Applicability, Diagnostic, Fix, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags two hyphens, two en dashes or a mix of dashes (`--`, `––`, `—–`, `-–`)
    /// standing between words for an em dash: `word--word`, `word -- word`,
    /// `Mexico –– top Republicans`.
    ///
    /// Left alone: command-line options (`the --debug flag`), arrows and comment
    /// markers (`-->`, `<!--`, `-- SQL comment` at the start of a line), table rules
    /// (`|---|`), TeX-style number ranges (`10--20`), the 2-em dash `——` of
    /// bibliographies, longer runs of dashes, and code-like lines.
    ///
    /// ## Why is this bad?
    /// `--` is a typewriter stand-in; `––` is what word processors make of it when
    /// each hyphen is "smartened" on its own. Both look broken next to real em dashes
    /// and confuse tokenisers and search.
    ///
    /// ## Example
    /// ```text
    /// As for Trump’s abilities and authorities in Mexico –– top Republicans believe…
    /// ```
    /// Use instead (in a document that sets its em dashes closed, `troops—specifically`):
    /// ```text
    /// As for Trump’s abilities and authorities in Mexico—top Republicans believe…
    /// ```
    ///
    /// ## Options
    /// `style` (default `"auto"`): how the replacing dash is set.
    /// - `"auto"`: the document's own style, the one most of its dashes between clauses
    ///   use — closed em dash (`word—word`, Chicago), spaced em dash (`word — word`, AP)
    ///   or spaced en dash (`word – word`, British). A document with no such dash keeps
    ///   the double dash's own spacing, with an em dash.
    /// - `"closed"`, `"spaced"`, `"spaced-en"`: that style, whatever the document does.
    ///
    /// ## Fix
    /// Replaces the double dash and the spaces around it with the dash in the chosen
    /// style (safe).
    name: "double-dash",
    group: crate::rules::group::TYPOGRAPHY,
    severity: Warning,
    fix: Safe,
    summary: "`--` or `––` typed for an em dash",
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    style: DashStyleChoice,
}

#[derive(Debug, Default)]
pub struct DoubleDash {
    options: Options,
}

impl DoubleDash {
    pub fn new(options: Options) -> Self {
        DoubleDash { options }
    }
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—')
}

/// Before a dash that stands between clauses: a word or closing punctuation.
fn ends_clause(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(
            c,
            '.' | ',' | ';' | ':' | '!' | '?' | ')' | '’' | '”' | '\'' | '"'
        )
}

/// After it: a word, an opening quote or bracket.
fn starts_clause(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '(' | '‘' | '“' | '\'' | '"')
}

/// One double dash: the two characters, the span with the spaces around them, and
/// whether each side was spaced.
struct Found {
    dashes: Span,
    with_spaces: Span,
    spaced_left: bool,
    spaced_right: bool,
}

/// Double dashes on one line between clauses (see the rule's docs for what is left alone).
fn find_in_line(line: &str, base: usize, out: &mut Vec<Found>) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Every dash starts with `-` or the UTF-8 lead byte of U+2013/U+2014.
        if bytes[i] != b'-' && bytes[i] != 0xE2 {
            i += 1;
            continue;
        }
        let Some(rest) = line.get(i..) else {
            i += 1;
            continue;
        };
        let run: Vec<char> = rest.chars().take_while(|&c| is_dash(c)).collect();
        let run_len: usize = run.iter().map(|c| c.len_utf8()).sum();
        if run.len() != 2 || run == ['—', '—'] {
            i += run_len.max(1);
            continue;
        }
        let start = i;
        let end = i + run_len;
        i = end;
        let before = &line[..start];
        let after = &line[end..];
        let left = before.trim_end_matches(chars::is_space_separator);
        let right = after.trim_start_matches(chars::is_space_separator);
        let (spaced_left, spaced_right) = (left.len() < before.len(), right.len() < after.len());
        let (Some(lc), rc) = (left.chars().next_back(), right.chars().next()) else {
            continue; // at the start of a line: a comment marker or a list item
        };
        if spaced_left && !spaced_right {
            continue; // `--option`
        }
        let clause_before = ends_clause(lc);
        let clause_after = match rc {
            Some(c) => starts_clause(c),
            // `in an excited manner--` at the end of a line: a broken-off sentence,
            // but `i--` is code.
            None => left.chars().rev().take_while(|c| c.is_alphabetic()).count() >= 2,
        };
        let digits = lc.is_ascii_digit() && rc.is_some_and(|c| c.is_ascii_digit()) && !spaced_left;
        // `"--help"`: a straight quote after a space opens, it does not end a clause.
        let opening_quote = !spaced_left
            && matches!(lc, '"' | '\'')
            && left[..left.len() - 1]
                .chars()
                .next_back()
                .is_none_or(char::is_whitespace);
        if !clause_before
            || !clause_after
            || digits
            || opening_quote
            || in_address(line, start, end)
        {
            continue;
        }
        out.push(Found {
            dashes: Span::new(base + start, base + end),
            with_spaces: Span::new(base + left.len(), base + line.len() - right.len()),
            spaced_left,
            spaced_right,
        });
    }
}

/// `…/accounts-for-60--of-all-mainstream-assets`: the `--` is inside a URL or path.
fn in_address(line: &str, start: usize, end: usize) -> bool {
    if line[..start].ends_with(char::is_whitespace) || line[end..].starts_with(char::is_whitespace)
    {
        return false;
    }
    let word_start = line[..start]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word_end = line[end..]
        .find(char::is_whitespace)
        .map_or(line.len(), |i| end + i);
    let word = &line[word_start..word_end];
    word.contains('/') || word.contains("www.") || word.contains('_') || word.contains('=')
}

impl Rule for DoubleDash {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        let text = doc.text();
        let bytes = text.as_bytes();
        // The lines with `--` or an en dash, found by one byte scan of the text.
        let mut lines: Vec<usize> = Vec::new();
        for i in memchr::memchr2_iter(b'-', 0xE2, bytes) {
            let hit = match bytes[i] {
                b'-' => bytes.get(i + 1) == Some(&b'-'),
                _ => bytes.get(i + 1..i + 3) == Some(&[0x80, 0x93]),
            };
            if hit {
                let line = doc.line_of(i);
                if lines.last() != Some(&line) {
                    lines.push(line);
                }
            }
        }
        let mut found = Vec::new();
        for line in lines.into_iter().filter_map(|i| doc.line(i)) {
            if is_code_like(line.text) {
                continue;
            }
            find_in_line(line.text, line.span.start, &mut found);
        }
        if found.is_empty() {
            return;
        }
        let style = self
            .options
            .style
            .fixed()
            .or_else(|| majority_style(&sentence_dashes(doc)));
        for f in found {
            let style = style.unwrap_or(if f.spaced_left && f.spaced_right {
                DashStyle::SpacedEm
            } else {
                DashStyle::ClosedEm
            });
            let shown = doc.slice(f.dashes);
            let what = match shown {
                "--" => "Two hyphens",
                "––" => "Two en dashes",
                _ => "Two dashes",
            };
            let replacement = style.text();
            // A line-final `--` keeps no space after the dash.
            let replacement = if f.with_spaces.end
                == doc
                    .line(doc.line_of(f.dashes.start))
                    .map_or(0, |l| l.span.end)
            {
                replacement.trim_end()
            } else {
                replacement
            };
            out.push(
                self.diagnostic(f.dashes, format!("{what} (\"{shown}\") used as an em dash"))
                    .with_help(format!(
                        "Replace with \"{replacement}\", a {}",
                        style.describe()
                    ))
                    .with_fix(Fix::replace(
                        Applicability::Safe,
                        f.with_spaces,
                        replacement,
                    )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{DashStyleChoice, DoubleDash, Options};
    use crate::rules::test::{assert_clean, check_fixture, fix_fixture, read_fixture, run};

    fn fixed(rule: &DoubleDash, text: &str) -> String {
        let (_, found) = run(rule, text);
        crate::fix::apply(text, &found, false).text
    }

    #[test]
    fn flags_double_dashes_between_clauses() {
        insta::assert_snapshot!(check_fixture(&DoubleDash::default(), "double-dash/flagged.txt"), @r#"
        3:52 double-dash Two en dashes ("––") used as an em dash [safe fix]
        5:43 double-dash Two hyphens ("--") used as an em dash [safe fix]
        5:55 double-dash Two hyphens ("--") used as an em dash [safe fix]
        7:70 double-dash Two hyphens ("--") used as an em dash [safe fix]
        7:116 double-dash Two hyphens ("--") used as an em dash [safe fix]
        9:12 double-dash Two hyphens ("--") used as an em dash [safe fix]
        11:8 double-dash Two hyphens ("--") used as an em dash [safe fix]
        "#);
    }

    #[test]
    fn the_fix_follows_the_documents_closed_em_dashes() {
        fix_fixture(&DoubleDash::default(), "double-dash/flagged.txt");
        assert_clean(
            &DoubleDash::default(),
            &read_fixture("double-dash/flagged.fixed.txt"),
        );
    }

    #[test]
    fn options_arrows_comments_rules_and_urls_are_not_dashes() {
        assert_clean(
            &DoubleDash::default(),
            &read_fixture("double-dash/clean.txt"),
        );
        assert_clean(
            &DoubleDash::default(),
            "See pages 10--20.\nSmith, John. ——. 2007.\ni--\nif [ \"$1\" = \"--help\" ]\nx ---- y",
        );
    }

    #[test]
    fn the_replacement_follows_the_document_or_the_house_style() {
        let rule = DoubleDash::default();
        // No other dash: keep the spacing the writer used.
        assert_eq!(fixed(&rule, "one -- two"), "one — two");
        assert_eq!(fixed(&rule, "one--two"), "one—two");
        // AP: spaced em dashes elsewhere.
        assert_eq!(
            fixed(&rule, "We made a plan — or not. one--two"),
            "We made a plan — or not. one — two"
        );
        // British: spaced en dashes elsewhere.
        assert_eq!(
            fixed(&rule, "We made a plan – or not. one -- two"),
            "We made a plan – or not. one – two"
        );
        let house = DoubleDash::new(Options {
            style: DashStyleChoice::Closed,
        });
        assert_eq!(
            fixed(&house, "We made a plan — or not. one -- two"),
            "We made a plan — or not. one—two"
        );
    }
}

//! `trailing-whitespace`: spaces, tabs and other Unicode spaces at the end of a line.

use crate::declare_rule;
use crate::document::{Document, Span, chars};
use crate::rules::{Applicability, Diagnostic, Fix, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags spaces, tabs, no-break spaces (U+00A0), figure spaces (U+2007), narrow
    /// no-break spaces (U+202F) and every other Unicode space at the end of a line.
    ///
    /// ## Why is this bad?
    /// Scrapers copy the `&nbsp;` that a CMS left after a sentence. It is invisible, it
    /// breaks equality between otherwise identical paragraphs, and it survives into
    /// search indexes and training data.
    ///
    /// ## Example
    /// ```text
    /// Both nations simply swap more intelligence.␣   (ends in U+00A0)
    /// ```
    /// Use instead:
    /// ```text
    /// Both nations simply swap more intelligence.
    /// ```
    ///
    /// ## Fix
    /// Deletes the trailing whitespace (safe).
    name: "trailing-whitespace",
    group: crate::rules::group::WHITESPACE,
    severity: Warning,
    fix: Safe,
    summary: "Whitespace, including no-break spaces, at the end of a line",
}

#[derive(Debug, Default)]
pub struct TrailingWhitespace;

impl Rule for TrailingWhitespace {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        for line in doc.lines() {
            let trimmed = line.text.trim_end_matches(chars::is_inline_whitespace);
            if trimmed.len() == line.text.len() || trimmed.is_empty() {
                // Whitespace-only lines are blank lines, not trailing whitespace after text.
                continue;
            }
            let span = Span::new(line.span.start + trimmed.len(), line.span.end);
            let tail = doc.slice(span);
            let message = match describe_run(tail) {
                Some(what) => format!("Trailing whitespace: {what}"),
                None => "Trailing whitespace".to_owned(),
            };
            out.push(
                self.diagnostic(span, message)
                    .with_help("Delete the trailing whitespace")
                    .with_fix(Fix::delete(Applicability::Safe, span)),
            );
        }
    }
}

/// Names the characters of a run when they are not plain spaces, which are invisible
/// in a report: `U+00A0 NO-BREAK SPACE`, `2 × U+0020 SPACE, U+00A0 NO-BREAK SPACE`.
fn describe_run(run: &str) -> Option<String> {
    if run.chars().all(|c| c == ' ') {
        return None;
    }
    let mut parts: Vec<(char, usize)> = Vec::new();
    for c in run.chars() {
        match parts.last_mut() {
            Some((last, n)) if *last == c => *n += 1,
            _ => parts.push((c, 1)),
        }
    }
    let described: Vec<String> = parts
        .into_iter()
        .map(|(c, n)| match n {
            1 => chars::describe(c),
            n => format!("{n} × {}", chars::describe(c)),
        })
        .collect();
    Some(described.join(", "))
}

#[cfg(test)]
mod tests {
    use super::TrailingWhitespace;
    use crate::rules::test::{assert_clean, check_fixture, fix_fixture};

    #[test]
    fn flags_spaces_tabs_and_nbsp_at_line_ends() {
        insta::assert_snapshot!(check_fixture(&TrailingWhitespace, "trailing-whitespace/flagged.txt"), @r"
        1:38 trailing-whitespace Trailing whitespace: U+00A0 NO-BREAK SPACE [safe fix]
        3:12 trailing-whitespace Trailing whitespace [safe fix]
        5:15 trailing-whitespace Trailing whitespace: U+0009 CHARACTER TABULATION [safe fix]
        7:14 trailing-whitespace Trailing whitespace: U+00A0 NO-BREAK SPACE, U+0020 SPACE [safe fix]
        9:32 trailing-whitespace Trailing whitespace: U+202F NARROW NO-BREAK SPACE [safe fix]
        11:12 trailing-whitespace Trailing whitespace: 2 × U+2007 FIGURE SPACE [safe fix]
        12:5 trailing-whitespace Trailing whitespace [safe fix]
        ");
    }

    #[test]
    fn the_fix_deletes_only_the_whitespace() {
        fix_fixture(&TrailingWhitespace, "trailing-whitespace/flagged.txt");
    }

    #[test]
    fn clean_text_and_blank_lines_give_nothing() {
        assert_clean(
            &TrailingWhitespace,
            include_str!("../../tests/fixtures/trailing-whitespace/clean.txt"),
        );
        assert_clean(
            &TrailingWhitespace,
            "A line.\n   \n\u{a0}\nAnother line.\r\n",
        );
    }
}

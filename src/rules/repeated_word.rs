//! `repeated-word`: the same word twice in a row (`the the`), an editing slip.

use crate::declare_rule;
use crate::document::{Document, Span};
use crate::rules::{Applicability, Diagnostic, Fix, Rule, RuleMeta, Severity};
use crate::words;

declare_rule! {
    /// ## What it does
    /// Flags a function word written twice in a row (`the the`, `to to`, `of of`,
    /// `and and`), ignoring case, with only spaces or a single line break between the
    /// two. Only English paragraphs and prose words are checked: never numbers, URLs,
    /// handles, hashtags or code spans.
    ///
    /// Left alone: grammatical doubles (`had had`, `that that`), `no no`, `so so`,
    /// `there there`, a second word with a capital (`Bora Bora`, `Sirhan Sirhan`),
    /// a word of a hyphenated compound (`carry-on on board`), and words across a blank
    /// line or punctuation. `is is`, `was was` (`what it is is…`) and `do do` are infos.
    /// Doubled content words are not flagged: on real pages they are mostly emphasis
    /// (`win win`, `layers layers layers`) or code (`Player player`).
    ///
    /// ## Why is this bad?
    /// Doubled words slip in when an editor rewrites half a sentence or a scraper joins
    /// a line break; readers skip over them, proofreaders miss them, and they look
    /// careless in print.
    ///
    /// ## Example
    /// ```text
    /// The officials said the the plan would go ahead.
    /// ```
    /// Use instead:
    /// ```text
    /// The officials said the plan would go ahead.
    /// ```
    ///
    /// ## Fix
    /// Deletes the second word and the space before it: safe, but unsafe for the infos.
    name: "repeated-word",
    group: crate::rules::group::SPELLING,
    severity: Warning,
    fix: SafeOrUnsafe,
    summary: "The same word twice in a row",
}

pub struct RepeatedWord;

/// Grammatical doubles: `She had had enough`, `He said that that was all`.
const GRAMMATICAL: &[&str] = &["had", "that"];
/// Doubles that are sometimes grammatical: pseudo-clefts (`What it is is a scandal`)
/// and emphatic `do` (`they do do that`).
const CLEFT: &[&str] = &["did", "do", "does", "is", "was"];
/// Function words doubled on purpose (`no no`, `so so`, `there there`).
const REDUPLICATED: &[&str] = &["no", "so", "there"];

impl Rule for RepeatedWord {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        let text = doc.text();
        let mut pairs: Vec<(Span, Span)> = Vec::new();
        let mut prev: Option<Span> = None;
        for &word in doc.ascii_words() {
            let Some(first) = prev.replace(word) else {
                continue;
            };
            let (a, b) = (doc.slice(first), doc.slice(word));
            if a.len() == b.len()
                && a.eq_ignore_ascii_case(b)
                && only_spaces_between(doc, first.end, word.start)
                && words::is_function_word(a)
            {
                pairs.push((first, word));
                // `the the the` is one finding, and its fix leaves one `the`.
                prev = None;
            }
        }
        if pairs.is_empty() {
            return;
        }
        let code = words::code_spans(text);
        let mut english = words::English::new(doc);
        for (first, second) in pairs {
            let (a, b) = (doc.slice(first), doc.slice(second));
            let lower = a.to_ascii_lowercase();
            if b.starts_with(char::is_uppercase)
                || GRAMMATICAL.contains(&lower.as_str())
                || REDUPLICATED.contains(&lower.as_str())
                || in_compound(text, first.start, second.end)
                || !words::is_prose(text, first, &code)
                || !words::is_prose(text, second, &code)
                || !english.at(second.start)
            {
                continue;
            }
            let (severity, applicability) = if CLEFT.contains(&lower.as_str()) {
                (Severity::Info, Applicability::Unsafe)
            } else {
                (Severity::Warning, Applicability::Safe)
            };
            out.push(
                self.diagnostic(
                    Span::new(first.start, second.end),
                    format!("Word repeated: \"{a} {b}\""),
                )
                .with_severity(severity)
                .with_help(format!("Delete the second \"{b}\""))
                .with_fix(Fix::delete(applicability, Span::new(first.end, second.end))),
            );
        }
    }
}

/// `carry-on on board`, `in in-person classes`: one of the two is part of a hyphenated
/// compound.
fn in_compound(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).and_then(|t| t.chars().next_back());
    let after = text.get(end..).and_then(|t| t.chars().next());
    matches!(before, Some('-' | '\u{2010}' | '\u{2011}'))
        || matches!(after, Some('-' | '\u{2010}' | '\u{2011}'))
}

/// Spaces, and at most one line break: not a blank line, not punctuation.
fn only_spaces_between(doc: &Document, from: usize, to: usize) -> bool {
    let gap = doc.slice(Span::new(from, to));
    !gap.is_empty()
        && gap.chars().all(char::is_whitespace)
        && gap.chars().filter(|&c| c == '\n').count() <= 1
}

#[cfg(test)]
mod tests {
    use super::RepeatedWord;
    use crate::rules::test::{assert_clean, check_fixture, fix_fixture, run};

    #[test]
    fn flags_doubled_words() {
        insta::assert_snapshot!(check_fixture(&RepeatedWord, "repeated-word/flagged.txt"), @r#"
        1:72 repeated-word Word repeated: "the the" [safe fix]
        3:145 repeated-word Word repeated: "to to" [safe fix]
        5:177 repeated-word Word repeated: "of of" [safe fix]
        7:171 repeated-word Word repeated: "and and" [safe fix]
        9:256 repeated-word Word repeated: "a a" [safe fix]
        11:11 repeated-word Word repeated: "is is" [unsafe fix]
        13:35 repeated-word Word repeated: "by by" [safe fix]
        "#);
    }

    #[test]
    fn the_fix_deletes_the_second_word() {
        fix_fixture(&RepeatedWord, "repeated-word/flagged.txt");
    }

    #[test]
    fn real_articles_and_legitimate_doubles_stay_clean() {
        assert_clean(
            &RepeatedWord,
            include_str!("../../tests/fixtures/repeated-word/clean.txt"),
        );
        assert_clean(
            &RepeatedWord,
            "She had had enough of it, and he said that that was all there was to the story, bye bye.\n\n\
             The Bora Bora resort is where Sirhan Sirhan was not, and the score was 10 10 at the end.\n\n\
             You get one carry-on on board and the same attention as in in-person classes, a win win.",
        );
    }

    #[test]
    fn a_line_break_is_crossed_but_a_blank_line_is_not() {
        let (_, found) = run(
            &RepeatedWord,
            "They said that the plan would go to\nto the committee for a vote on the matter.",
        );
        assert_eq!(found.len(), 1);
        assert_clean(
            &RepeatedWord,
            "This is the overview of the plan for the\n\nthe second part follows in the next section of it.",
        );
    }

    #[test]
    fn a_triple_is_one_finding() {
        let (_, found) = run(
            &RepeatedWord,
            "The officials said the the the plan would go ahead as it was planned by them.",
        );
        assert_eq!(found.len(), 1);
    }
}

//! `double-space`: two or more spaces between two visible characters inside a line.

use crate::declare_rule;
use crate::document::{Document, Span, chars};
use crate::rules::{Applicability, Diagnostic, Fix, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a run of two or more spaces (U+0020, no-break spaces or any other Unicode
    /// space) between two visible characters on one line. Indentation, trailing
    /// whitespace and runs that contain a tab (tabular text) are left alone.
    ///
    /// ## Why is this bad?
    /// Runs of spaces come from removed inline elements (a link or an image between two
    /// words) and from `&nbsp;` next to a space. They render as one space in HTML but
    /// not in text, Markdown or search snippets.
    ///
    /// ## Example
    /// ```text
    /// The labs produce fewer chemicals  than a meth lab.
    /// ```
    /// Use instead:
    /// ```text
    /// The labs produce fewer chemicals than a meth lab.
    /// ```
    ///
    /// ## Options
    /// `ignore-after-sentence` (default `false`): accept exactly two spaces after `.`,
    /// `!` or `?` (typewriter sentence spacing).
    ///
    /// ## Fix
    /// Replaces the run with one space (safe): a no-break space if the run was only
    /// no-break spaces, else U+0020.
    name: "double-space",
    group: crate::rules::group::WHITESPACE,
    severity: Info,
    fix: Safe,
    summary: "Two or more spaces between words",
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    ignore_after_sentence: bool,
}

#[derive(Debug, Default)]
pub struct DoubleSpace {
    options: Options,
}

impl DoubleSpace {
    pub fn new(options: Options) -> Self {
        DoubleSpace { options }
    }
}

impl Rule for DoubleSpace {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        for line in doc.lines() {
            self.check_line(line.text, line.span.start, out);
        }
    }
}

impl DoubleSpace {
    fn check_line(&self, line: &str, base: usize, out: &mut Vec<Diagnostic>) {
        let bytes = line.as_bytes();
        // Fast path: a run needs two ASCII spaces in a row or at least one other space
        // character, and most lines have neither; both are found with memchr.
        let may_have_run = memchr::memmem::find(bytes, b"  ").is_some() || has_unicode_space(bytes);
        if !may_have_run {
            return;
        }
        let mut prev_visible: Option<char> = None;
        let mut run: Option<(usize, usize, bool, bool)> = None; // start, count, has_tab, all_nbsp
        for (i, c) in line.char_indices() {
            if chars::is_inline_whitespace(c) {
                let r = run.get_or_insert((i, 0, false, true));
                r.1 += 1;
                r.2 |= c == '\t';
                r.3 &= c == '\u{00A0}';
                continue;
            }
            if let (Some((start, count, has_tab, all_nbsp)), Some(before)) =
                (run.take(), prev_visible)
                && count >= 2
                && !has_tab
                && !(self.options.ignore_after_sentence && count == 2 && ends_sentence(before))
            {
                let span = Span::new(base + start, base + i);
                let replacement = if all_nbsp { "\u{00A0}" } else { " " };
                out.push(
                    self.diagnostic(span, format!("{count} spaces between words"))
                        .with_help("Replace them with one space")
                        .with_fix(Fix::replace(Applicability::Safe, span, replacement)),
                );
            }
            run = None;
            prev_visible = Some(c);
        }
    }
}

/// Whether the line holds a space separator other than U+0020: NBSP (C2 A0), U+1680
/// (E1 9A 80), U+2000–U+200A and U+202F (E2 80 xx), U+205F (E2 81 9F), U+3000 (E3 80 80).
fn has_unicode_space(bytes: &[u8]) -> bool {
    let at = |i: usize| bytes.get(i).copied();
    let mut from = 0;
    while let Some(found) = memchr::memchr3(0xC2, 0xE2, 0xE3, &bytes[from..]) {
        let i = from + found;
        let hit = match bytes[i] {
            0xC2 => at(i + 1) == Some(0xA0),
            0xE2 => match at(i + 1) {
                Some(0x80) => at(i + 2).is_some_and(|b| (0x80..=0x8A).contains(&b) || b == 0xAF),
                Some(0x81) => at(i + 2) == Some(0x9F),
                _ => false,
            },
            _ => at(i + 1) == Some(0x80) && at(i + 2) == Some(0x80),
        };
        if hit {
            return true;
        }
        from = i + 1;
    }
    memchr::memmem::find(bytes, "\u{1680}".as_bytes()).is_some()
}

fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '"' | '”' | '’' | ')')
}

#[cfg(test)]
mod tests {
    use super::{DoubleSpace, Options};
    use crate::rules::test::{assert_clean, check_fixture, fix_fixture, run};

    #[test]
    fn flags_runs_of_spaces_between_words() {
        insta::assert_snapshot!(check_fixture(&DoubleSpace::default(), "double-space/flagged.txt"), @r"
        1:33 double-space 2 spaces between words [safe fix]
        3:13 double-space 2 spaces between words [safe fix]
        5:27 double-space 3 spaces between words [safe fix]
        7:10 double-space 2 spaces between words [safe fix]
        ");
    }

    #[test]
    fn the_fix_leaves_one_space() {
        fix_fixture(&DoubleSpace::default(), "double-space/flagged.txt");
    }

    #[test]
    fn indentation_trailing_space_and_tabs_are_not_double_spaces() {
        assert_clean(
            &DoubleSpace::default(),
            include_str!("../../tests/fixtures/double-space/clean.txt"),
        );
        assert_clean(
            &DoubleSpace::default(),
            "    indented text\nname\t\tvalue\nend.   \n",
        );
    }

    #[test]
    fn every_unicode_space_is_seen_by_the_fast_path() {
        for c in [
            '\u{00A0}', '\u{1680}', '\u{2000}', '\u{2007}', '\u{200A}', '\u{202F}', '\u{205F}',
            '\u{3000}',
        ] {
            assert!(
                super::has_unicode_space(format!("a{c}b").as_bytes()),
                "{c:?}"
            );
            assert_eq!(
                run(&DoubleSpace::default(), &format!("a {c}b")).1.len(),
                1,
                "{c:?}"
            );
        }
        assert!(!super::has_unicode_space(
            "curly ’quotes’ – dashes …".as_bytes()
        ));
    }

    #[test]
    fn sentence_spacing_can_be_allowed() {
        let rule = DoubleSpace::new(Options {
            ignore_after_sentence: true,
        });
        assert_clean(&rule, "One sentence.  Another one.");
        assert_eq!(run(&rule, "One  word.  Next.").1.len(), 1);
    }
}

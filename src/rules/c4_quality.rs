//! `c4-quality`: a page that C4's cleaning rules would drop, or lines they would cut
//! from a page they keep.

use crate::declare_rule;
use crate::document::Document;
use crate::quality::{Detail, Page, c4};
use crate::rules::{Diagnostic, Rule, RuleMeta, Severity, quality_finding};

declare_rule! {
    /// ## What it does
    /// Runs the cleaning rules Google used to build C4 from Common Crawl, as their
    /// reference implementation (datatrove's `C4QualityFilter`) runs them. C4 removes
    /// every line that does not end in terminal punctuation (`.`, `?`, `!`, `"`, `'`, and
    /// not `...`), has fewer than 3 words, mentions javascript or holds a cookie or
    /// policy notice; it drops the page if a kept line says "lorem ipsum" or has a `{`,
    /// or if fewer than 5 sentences remain. This rule reports a page C4 would drop
    /// (warning), and a page it keeps but would cut lines from (info), labelled on the
    /// lines it would remove. Sentences are counted by spaCy's sentencizer, as in
    /// datatrove.
    ///
    /// ## Why is this bad?
    /// Pipelines apply these rules without a word: a page loses its headings, captions
    /// and lists, or disappears. The labels show what would go, so a page can be fixed
    /// (a caption given its period, a code sample moved out) rather than lost.
    ///
    /// ## Example
    /// ```text
    /// Share this
    /// Lorem ipsum dolor sit amet, consectetur adipiscing elit.
    /// ```
    /// Use instead: the article's sentences.
    ///
    /// ## Options
    /// Every default is from Raffel et al. 2020, "Exploring the Limits of Transfer
    /// Learning with a Unified Text-to-Text Transformer" (JMLR 21(140)), section 2.2, and
    /// its code (`tensorflow_datasets/text/c4_utils.py`), as datatrove 0.10.1's
    /// `C4QualityFilter` sets it. As in datatrove, -1 turns a count off.
    /// - `min-num-sentences` (5): sentences left after the line removals.
    /// - `min-words-per-line` (3): words (split at whitespace) a line needs.
    /// - `max-word-length` (1000): a line with a longer word is removed.
    /// - `filter-no-terminal-punct`, `filter-javascript`, `filter-policy`,
    ///   `filter-lorem-ipsum`, `filter-curly-bracket` (all true): the line and page rules.
    /// - `remove-citations` (true): drop `[1]`, `[edit]`, `[citation needed]` first.
    /// - `report-removed-lines` (true, copylint's own): also report pages C4 keeps but
    ///   would cut lines from.
    ///
    /// `copylint explain-drop FILE` shows the counts, failing or not.
    ///
    /// ## Fix
    /// None: whether a heading or a caption should go is an editorial decision.
    name: "c4-quality",
    group: crate::rules::group::QUALITY,
    severity: Warning,
    fix: None,
    summary: "Page that C4's cleaning rules would drop or cut lines from",
    default_enabled: false,
}

#[derive(Debug, Default)]
pub struct C4Quality {
    options: c4::Options,
}

impl C4Quality {
    pub fn new(options: c4::Options) -> Self {
        C4Quality { options }
    }
}

impl Rule for C4Quality {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        let verdict = c4::evaluate(&Page::of(doc), &self.options, Detail::Verdict);
        if let Some(d) = quality_finding::dropped(
            &META,
            doc,
            &verdict,
            "Fix or remove the labelled lines to keep the page",
        ) {
            out.push(d);
            return;
        }
        let Some(lines) = verdict.lines.as_ref().filter(|l| l.removed > 0) else {
            return;
        };
        if !self.options.report_removed_lines {
            return;
        }
        let d = Diagnostic::new(
            &META,
            quality_finding::first_line(doc),
            format!(
                "C4 filter would keep the page but remove {}",
                lines.describe()
            ),
        )
        .with_severity(Severity::Info)
        .with_help("End the labelled lines with punctuation, or accept that C4 cuts them");
        out.push(quality_finding::with_labels(
            d,
            doc,
            std::iter::once(&lines.evidence),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::C4Quality;
    use crate::quality::c4::Options;
    use crate::rules::test::{assert_clean, check_fixture, run};

    #[test]
    fn flags_a_page_left_with_too_few_sentences() {
        insta::assert_snapshot!(
            check_fixture(&C4Quality::default(), "c4-quality/flagged.txt"),
            @r"
        1:1 c4-quality C4 filter would drop the page: sentences 2 < 5 (2 lines removed before counting) (label 1:1 no terminal punctuation) (label 5:1 no terminal punctuation)
        "
        );
    }

    #[test]
    fn reports_the_lines_it_would_cut_from_a_page_it_keeps() {
        insta::assert_snapshot!(
            check_fixture(&C4Quality::default(), "fineweb-quality/flagged.txt"),
            @r"
        1:1 c4-quality C4 filter would keep the page but remove 5 of 8 lines (5 without terminal punctuation) (label 1:1 no terminal punctuation) (label 3:1 no terminal punctuation) (label 5:1 no terminal punctuation) (label 7:1 no terminal punctuation) (label 9:1 no terminal punctuation)
        "
        );
    }

    #[test]
    fn cut_lines_can_go_unreported() {
        let rule = C4Quality::new(Options {
            report_removed_lines: false,
            ..Options::default()
        });
        let text = include_str!("../../tests/fixtures/fineweb-quality/flagged.txt");
        assert!(run(&rule, text).1.is_empty());
    }

    #[test]
    fn a_news_article_whose_lines_all_end_in_punctuation_is_clean() {
        assert_clean(
            &C4Quality::default(),
            include_str!("../../tests/fixtures/c4-quality/clean.txt"),
        );
    }
}

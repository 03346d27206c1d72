//! `gopher-repetition`: a page that Gopher's repetition rules would drop (repeated lines,
//! paragraphs and n-grams).

use crate::declare_rule;
use crate::document::Document;
use crate::quality::{Detail, Page, repetition};
use crate::rules::{Diagnostic, Rule, RuleMeta, quality_finding};

declare_rule! {
    /// ## What it does
    /// Runs the repetition rules DeepMind used to filter MassiveText for Gopher, as their
    /// reference implementation (datatrove's `GopherRepetitionFilter`) runs them, and
    /// reports a page they would drop, labelled on the repeated paragraphs and lines, the
    /// occurrences of the most frequent n-gram, or the repeated passages.
    ///
    /// Paragraphs are separated by two or more newlines, lines by one or more; words are
    /// spaCy's English tokens, as in datatrove. The top n-gram statistic is the length of
    /// the most frequent n-gram (words joined by spaces) times its count; the duplicated
    /// n-gram statistic adds up the characters of n-grams that repeat an earlier one,
    /// skipping past each repeat.
    ///
    /// ## Why is this bad?
    /// A page that says the same thing over and over is a scraping accident (a caption
    /// printed twice, a teaser list, a comment widget) or spam; pipelines drop it without
    /// a word. The labels show what to remove to keep the page.
    ///
    /// ## Example
    /// ```text
    /// US Army soldiers guard the construction of a border wall
    /// US Army soldiers guard the construction of a border wall
    /// US Army soldiers guard the construction of a border wall
    /// ```
    /// Use instead: one copy.
    ///
    /// ## Options
    /// Every default is from Rae et al. 2021, "Scaling Language Models: Methods, Analysis
    /// & Insights from Training Gopher" (arXiv:2112.11446), table A1, as datatrove
    /// 0.10.1's `GopherRepetitionFilter` sets it. As in datatrove, 0 turns one of the
    /// first four checks off.
    /// - `dup-para-frac` (0.3), `dup-line-frac` (0.3): share of paragraphs (lines) that
    ///   repeat an earlier one.
    /// - `dup-para-char-frac` (0.2), `dup-line-char-frac` (0.2): their characters, as a
    ///   share of the page's.
    /// - `top-n-grams` (`[[2, 0.2], [3, 0.18], [4, 0.16]]`): share of the page in the
    ///   most frequent n-gram.
    /// - `dup-n-grams` (`[[5, 0.15], [6, 0.14], [7, 0.13], [8, 0.12], [9, 0.11],
    ///   [10, 0.1]]`): share of the page in repeated n-grams.
    ///
    /// `copylint explain-drop FILE` shows every statistic, failing or not.
    ///
    /// ## Fix
    /// None: which copy to keep is an editorial decision (`duplicate-paragraph` fixes
    /// repeated captions).
    name: "gopher-repetition",
    group: crate::rules::group::QUALITY,
    severity: Warning,
    fix: None,
    summary: "Page that Gopher's repetition filter would drop",
    default_enabled: false,
}

#[derive(Debug, Default)]
pub struct GopherRepetition {
    options: repetition::Options,
}

impl GopherRepetition {
    pub fn new(options: repetition::Options) -> Self {
        GopherRepetition { options }
    }
}

impl Rule for GopherRepetition {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        let verdict = repetition::evaluate(&Page::of(doc), &self.options, Detail::Verdict);
        out.extend(quality_finding::dropped(
            &META,
            doc,
            &verdict,
            "Remove the labelled repeats to keep the page",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::GopherRepetition;
    use crate::rules::test::{assert_clean, check_fixture};

    #[test]
    fn flags_a_page_scraped_twice() {
        insta::assert_snapshot!(
            check_fixture(&GopherRepetition::default(), "gopher-repetition/flagged.txt"),
            @r"
        1:1 gopher-repetition Gopher repetition filter would drop the page: duplicate paragraphs 0.438 > 0.3 (7 repeated paragraphs); duplicate-paragraph characters 0.355 > 0.2; duplicate lines 0.412 > 0.3 (7 repeated lines); and 7 more (see `copylint explain-drop`) (label 19:1 repeats line 3) (label 21:1 repeats line 5) (label 23:1 repeats line 7) (label 25:1 repeats line 9) (label 27:1 repeats line 11) (label 29:1 repeats line 13) (label 31:1 repeats line 15)
        "
        );
    }

    #[test]
    fn a_news_article_is_kept() {
        assert_clean(
            &GopherRepetition::default(),
            include_str!("../../tests/fixtures/gopher-repetition/clean.txt"),
        );
    }
}

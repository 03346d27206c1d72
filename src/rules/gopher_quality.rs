//! `gopher-quality`: a page that Gopher's quality rules would drop (too few or too many
//! words, odd word lengths, symbols, bullets, ellipses, letters, stop words).

use crate::declare_rule;
use crate::document::Document;
use crate::quality::{Detail, Page, gopher};
use crate::rules::{Diagnostic, Rule, RuleMeta, quality_finding};

declare_rule! {
    /// ## What it does
    /// Runs the quality rules DeepMind used to filter MassiveText for Gopher, as their
    /// reference implementation (datatrove's `GopherQualityFilter`) runs them, and reports
    /// a page they would drop: the statistics that fail, by how much, and the lines
    /// behind them. Words are counted as datatrove counts them for English (spaCy's
    /// tokens: `don't` is two words, a comma is one; a word of symbols only does not
    /// count towards the word count and the mean word length).
    ///
    /// ## Why is this bad?
    /// Pipelines that build search indexes and training corpora drop such pages without a
    /// word. A page that fails for a reason that can be cleaned (a menu of bullet lines,
    /// a table of numbers) can be fixed instead of lost, and a scraper that keeps
    /// producing such pages can be fixed at the source.
    ///
    /// ## Example
    /// ```text
    /// - Home
    /// - News
    /// - Sport
    /// - Weather
    /// ```
    /// Use instead: the article's text, without the site's menus.
    ///
    /// ## Options
    /// Every default is from Rae et al. 2021, "Scaling Language Models: Methods, Analysis
    /// & Insights from Training Gopher" (arXiv:2112.11446), appendix A.1.1, as datatrove
    /// 0.10.1's `GopherQualityFilter` sets it. As in datatrove, 0 turns a check off.
    /// - `min-doc-words` (50), `max-doc-words` (100000): words that are not only symbols.
    /// - `min-avg-word-length` (3), `max-avg-word-length` (10): their mean length in
    ///   characters.
    /// - `max-symbol-word-ratio` (0.1): `#` per word, and ellipses (`...`, `…`) per word.
    /// - `max-bullet-lines-ratio` (0.9): share of lines that start with `•` or `-`.
    /// - `max-ellipsis-lines-ratio` (0.3): share of lines that end with an ellipsis.
    /// - `min-alpha-words-ratio` (0.8): share of words with a letter (datatrove calls it
    ///   `max_non_alpha_words_ratio`).
    /// - `min-stop-words` (2) of `stop-words` (`["the", "be", "to", "of", "and", "that",
    ///   "have", "with"]`): distinct stop words on the page, case-sensitive.
    ///
    /// `copylint explain-drop FILE` shows every statistic, failing or not.
    ///
    /// ## Fix
    /// None: what to cut or keep is an editorial decision.
    name: "gopher-quality",
    group: crate::rules::group::QUALITY,
    severity: Warning,
    fix: None,
    summary: "Page that Gopher's quality filter would drop",
    default_enabled: false,
}

#[derive(Debug, Default)]
pub struct GopherQuality {
    options: gopher::Options,
}

impl GopherQuality {
    pub fn new(options: gopher::Options) -> Self {
        GopherQuality { options }
    }
}

impl Rule for GopherQuality {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        let verdict = gopher::evaluate(&Page::of(doc), &self.options, Detail::Verdict);
        out.extend(quality_finding::dropped(
            &META,
            doc,
            &verdict,
            "Clean the labelled lines to keep the page, or adjust the thresholds under [rules.gopher-quality]",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::GopherQuality;
    use crate::rules::test::{assert_clean, check_fixture};

    #[test]
    fn flags_a_page_cut_off_with_an_ellipsis() {
        insta::assert_snapshot!(
            check_fixture(&GopherQuality::default(), "gopher-quality/flagged.txt"),
            @r"
        1:1 gopher-quality Gopher quality filter would drop the page: lines ending with an ellipsis 0.333 > 0.3 (1 line ending with an ellipsis) (label 3:1 ends with an ellipsis)
        "
        );
    }

    #[test]
    fn labels_the_lines_with_few_words_with_a_letter() {
        insta::assert_snapshot!(
            check_fixture(&GopherQuality::default(), "gopher-quality/letters.txt"),
            @r"
        1:1 gopher-quality Gopher quality filter would drop the page: words with a letter 0.791 < 0.8 (3 lines with few words with a letter) (label 11:1 1 of 2 words has no letter) (label 13:1 3 of 8 words have no letter) (label 15:1 10 of 48 words have no letter)
        "
        );
    }

    #[test]
    fn a_news_article_is_kept() {
        assert_clean(
            &GopherQuality::default(),
            include_str!("../../tests/fixtures/gopher-quality/clean.txt"),
        );
    }
}

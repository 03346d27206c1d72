//! `fineweb-quality`: a page that FineWeb's quality rules would drop (few lines ending in
//! punctuation, many short lines, repeated lines, list-like text).

use crate::declare_rule;
use crate::document::Document;
use crate::quality::{Detail, Page, fineweb};
use crate::rules::{Diagnostic, Rule, RuleMeta, quality_finding};

declare_rule! {
    /// ## What it does
    /// Runs the quality rules Hugging Face added for FineWeb, as their reference
    /// implementation (datatrove's `FineWebQualityFilter`) runs them, and reports a page
    /// they would drop, labelled on the lines behind the failing statistic: lines without
    /// terminal punctuation, short lines, or lines that repeat an earlier line.
    ///
    /// Lines are the page's non-blank lines, taken as they are (a line that ends in a
    /// space or `\r` does not end in punctuation); characters in repeated lines are
    /// counted against the page's characters without newlines; words are spaCy's English
    /// tokens, as in datatrove.
    ///
    /// ## Why is this bad?
    /// Repeated captions, menus and lists of links make a scraped article look like
    /// boilerplate to corpus pipelines, which drop it without a word: just over 1% of the
    /// characters in repeated lines is enough. Removing the repeats keeps the page.
    ///
    /// ## Example
    /// ```text
    /// US Army soldiers guard the construction of a border wall in Santa Teresa
    ///
    /// US Army soldiers guard the construction of a border wall in Santa Teresa
    /// ```
    /// Use instead: one copy of the caption.
    ///
    /// ## Options
    /// Every default is from Penedo et al. 2024, "The FineWeb Datasets: Decanting the Web
    /// for the Finest Text Data at Scale" (arXiv:2406.17557), section 3.3.5, as datatrove
    /// 0.10.1's `FineWebQualityFilter` sets it.
    /// - `line-punct-thr` (0.12): least share of lines ending in terminal punctuation;
    ///   `line-punct-exclude-zero` (false) keeps pages where no line does.
    /// - `short-line-thr` (0.67): largest share of lines of at most `short-line-length`
    ///   (30) characters.
    /// - `char-duplicates-ratio` (0.01): largest share of characters in lines that
    ///   repeat an earlier line.
    /// - `new-line-ratio` (0.3): largest number of newlines per word.
    ///
    /// `copylint explain-drop FILE` shows every statistic, failing or not.
    ///
    /// ## Fix
    /// None: which copy to keep is an editorial decision (`duplicate-paragraph` fixes
    /// repeated captions).
    name: "fineweb-quality",
    group: crate::rules::group::QUALITY,
    severity: Warning,
    fix: None,
    summary: "Page that FineWeb's quality filter would drop",
    default_enabled: false,
}

#[derive(Debug, Default)]
pub struct FinewebQuality {
    options: fineweb::Options,
}

impl FinewebQuality {
    pub fn new(options: fineweb::Options) -> Self {
        FinewebQuality { options }
    }
}

impl Rule for FinewebQuality {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        let verdict = fineweb::evaluate(&Page::of(doc), &self.options, Detail::Verdict);
        out.extend(quality_finding::dropped(
            &META,
            doc,
            &verdict,
            "Remove the labelled lines to keep the page",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::FinewebQuality;
    use crate::rules::test::{assert_clean, check_fixture};

    #[test]
    fn flags_a_repeated_line() {
        insta::assert_snapshot!(
            check_fixture(&FinewebQuality::default(), "fineweb-quality/flagged.txt"),
            @r"
        1:1 fineweb-quality FineWeb quality filter would drop the page: duplicate-line characters 0.059 > 0.01 (1 repeated line) (label 9:1 repeats line 7)
        "
        );
    }

    #[test]
    fn labels_the_repeated_captions_of_the_seed() {
        let seed = include_str!("../../seeds/000_db6636acdd834bc4.txt");
        let (doc, found) = crate::rules::test::run(&FinewebQuality::default(), seed);
        insta::assert_snapshot!(
            crate::rules::test::render(&doc, &found),
            @r"
        1:1 fineweb-quality FineWeb quality filter would drop the page: duplicate-line characters 0.042 > 0.01 (3 repeated lines) (label 26:1 repeats line 24) (label 30:1 repeats line 28) (label 82:1 repeats line 2)
        "
        );
    }

    #[test]
    fn a_news_article_is_kept() {
        assert_clean(
            &FinewebQuality::default(),
            include_str!("../../tests/fixtures/fineweb-quality/clean.txt"),
        );
    }

    #[test]
    fn captions_that_differ_in_quotes_are_not_repeated_lines() {
        // FineWeb compares lines exactly (duplicate-paragraph folds quotes; FineWeb does not).
        let seed = include_str!("../../seeds/000_db6636acdd834bc4.txt");
        let lines: Vec<&str> = seed.lines().collect();
        let text = [4, 6, 8, 10, 20, 22].map(|n| lines[n - 1]).join("\n\n");
        assert_clean(&FinewebQuality::default(), &text);
    }
}

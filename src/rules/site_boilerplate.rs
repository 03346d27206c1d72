//! `site-boilerplate`: a line or block that many documents of the same site share (a
//! corpus rule: its counts come from the corpus pass of `check --corpus`).

use serde::Deserialize;

use crate::declare_rule;
use crate::document::Document;
use crate::rules::corpus::{BlockThresholds, Need, View};
use crate::rules::{Diagnostic, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// In corpus mode (`copylint check --corpus`), flags every line or block that occurs
    /// in many documents of the same site: by default in at least 5 documents and at least
    /// 20% of the site's documents. Lines are compared folded (case, quotes, dashes,
    /// spacing and final punctuation do not count). A site is the host of the record's
    /// `url` field, or the file's parent directory (`--group-by` chooses).
    ///
    /// Short lines are not exempt: "Home" or "Yes" on every page of a site is navigation.
    /// Lines without a letter or digit are (`}`, `|`, `***`): in code they are content.
    ///
    /// ## Why is this bad?
    /// Menus, share lines, cookie notices, newsletter boxes and footers are the same on
    /// every page of a site. A scraper that keeps them puts the same text into every
    /// article, which no single article shows as wrong.
    ///
    /// ## Example
    /// On 312 of the 340 pages of internewscast.com:
    /// ```text
    /// US military advisers embed in Mexico as Trump threatens to deploy special forces
    /// Share this @internewscast.com
    /// ```
    /// Use instead: the article without the share line.
    /// ```text
    /// US military advisers embed in Mexico as Trump threatens to deploy special forces
    /// ```
    ///
    /// A sentence that many syndicated articles quote is the risk: on a site that reposts
    /// one wire story many times, its lines are frequent too. Raise `min-ratio` for such
    /// corpora, or mark the copies with `duplicate-document` instead.
    ///
    /// ## Options
    /// - `min-docs` (default 5): the fewest documents a block must be in.
    /// - `min-ratio` (default 0.2): the smallest share of the site's documents it must be in.
    /// - `fold-digits` (default false): compare with every digit folded to `0`, so that
    ///   `Updated 3 hours ago` and `Updated 5 hours ago` count as one line. This also merges
    ///   data lines that differ only in their numbers (`Score: 3-1`), so it is off.
    ///
    /// ## Fix
    /// None: whether the line belongs to the article is for an editor to judge.
    name: "site-boilerplate",
    group: "boilerplate",
    severity: Warning,
    fix: None,
    summary: "A line repeated across many pages of the same site (--corpus)",
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    pub min_docs: u32,
    pub min_ratio: f64,
    pub fold_digits: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_docs: 5,
            min_ratio: 0.2,
            fold_digits: false,
        }
    }
}

#[derive(Debug)]
pub struct SiteBoilerplate {
    thresholds: BlockThresholds,
}

impl SiteBoilerplate {
    pub fn new(options: Options) -> Self {
        SiteBoilerplate {
            thresholds: BlockThresholds {
                // A block in one document is not repeated, whatever the ratio says.
                min_docs: options.min_docs.max(2),
                min_ratio: options.min_ratio.clamp(0.0, 1.0),
                fold_digits: options.fold_digits,
            },
        }
    }
}

impl Rule for SiteBoilerplate {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    /// Nothing per document: the findings come from the corpus pass.
    fn check(&self, _doc: &Document, _out: &mut Vec<Diagnostic>) {}

    fn corpus_need(&self) -> Option<Need> {
        Some(Need::FrequentBlocks(self.thresholds))
    }

    fn check_corpus(&self, _doc: &Document, corpus: &View, out: &mut Vec<Diagnostic>) {
        let site = if corpus.group.is_empty() {
            String::new()
        } else {
            format!(" of {}", corpus.group)
        };
        for block in &corpus.frequent_blocks {
            out.push(
                self.diagnostic(
                    block.span,
                    format!(
                        "Site boilerplate: appears in {} of {} pages{site}",
                        block.docs, corpus.group_docs
                    ),
                )
                .with_help("Remove the site's chrome from the extracted text"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Span;
    use crate::rules::RuleOptions;
    use crate::rules::corpus::FrequentBlock;
    use crate::rules::test::render;

    fn rule(toml: &str) -> SiteBoilerplate {
        let table: std::collections::BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Value>> =
            toml::from_str(toml).unwrap();
        SiteBoilerplate::new(
            RuleOptions::new(table.into_iter().collect())
                .parse()
                .unwrap(),
        )
    }

    #[test]
    fn each_frequent_block_is_one_finding_with_its_counts() {
        let text = "US military advisers embed in Mexico\nShare this @internewscast.com\n\nBody.\n\nShare this @internewscast.com\n";
        let doc = Document::from_text("a.txt", text);
        let share = "Share this @internewscast.com";
        let at = |i: usize| Span::new(i, i + share.len());
        let view = View {
            group: "internewscast.com".into(),
            group_docs: 340,
            frequent_blocks: vec![
                FrequentBlock {
                    span: at(text.find(share).unwrap()),
                    docs: 312,
                },
                FrequentBlock {
                    span: at(text.rfind(share).unwrap()),
                    docs: 312,
                },
            ],
            duplicate: None,
        };
        let mut out = Vec::new();
        rule("").check_corpus(&doc, &view, &mut out);
        insta::assert_snapshot!(render(&doc, &out), @r"
        2:1 site-boilerplate Site boilerplate: appears in 312 of 340 pages of internewscast.com
        6:1 site-boilerplate Site boilerplate: appears in 312 of 340 pages of internewscast.com
        ");
    }

    #[test]
    fn without_a_corpus_nothing_is_reported() {
        let mut out = Vec::new();
        rule("").check(
            &Document::from_text("a.txt", "Share this @internewscast.com\n"),
            &mut out,
        );
        assert!(out.is_empty());
    }

    #[test]
    fn thresholds_take_the_larger_of_count_and_share() {
        let Some(Need::FrequentBlocks(t)) = rule("").corpus_need() else {
            panic!("site-boilerplate needs frequent blocks");
        };
        assert!(t.frequent(5, 25));
        assert!(!t.frequent(4, 10), "fewer than 5 documents");
        assert!(!t.frequent(19, 100), "under 20% of the site");
        assert!(t.frequent(20, 100));
        let Some(Need::FrequentBlocks(t)) =
            rule("min-docs = 1\nmin-ratio = 0.5\nfold-digits = true").corpus_need()
        else {
            panic!("site-boilerplate needs frequent blocks");
        };
        assert_eq!((t.min_docs, t.min_ratio, t.fold_digits), (2, 0.5, true));
    }
}

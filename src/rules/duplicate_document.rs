//! `duplicate-document`: a document that repeats an earlier one of the corpus, exactly or
//! nearly (a corpus rule: its clusters come from the corpus pass of `check --corpus`).

use serde::{Deserialize, Deserializer};

use crate::declare_rule;
use crate::document::{Document, Span};
use crate::rules::corpus::{MinHashParams, Need, View};
use crate::rules::{Diagnostic, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// In corpus mode (`copylint check --corpus`), flags a document that duplicates an
    /// earlier document of the corpus: the same text after folding (case, quotes, dashes,
    /// spacing), or nearly the same text, such as a syndicated story under another
    /// headline or a page scraped twice with different ads. Duplicates form clusters; each
    /// member but the first (in input order) gets one finding on its first line, naming the
    /// first document and how similar the two are.
    ///
    /// Near duplicates are found as FineWeb finds them: word 5-gram shingles, MinHash with
    /// 112 hash functions in 14 bands of 8, and every candidate pair verified by the exact
    /// Jaccard similarity of the two shingle sets, at least 0.8 by default. Editing 3% of
    /// the words leaves a similarity of about 0.7 in 5-grams, so light rewrites are below
    /// the bar: these settings target copies, not rewrites (see `## Options`).
    ///
    /// ## Why is this bad?
    /// The same article scraped twice, under two URLs or from a syndication partner,
    /// weighs twice in whatever the corpus feeds, and the copies drift apart as each is
    /// corrected separately.
    ///
    /// ## Example
    /// `feed.jsonl`, record `b17` (record `a03` has the same story under another headline):
    /// ```text
    /// Trump threatens special forces as US advisers embed in Mexico
    ///
    /// President Trump has intensified his stance on Mexico, insisting on a significant
    /// escalation in the battle against drug trafficking ...
    /// ```
    /// Use instead: keep one copy.
    ///
    /// ## Options
    /// - `min-similarity` (default 0.8): the smallest Jaccard similarity of two
    ///   documents' shingle sets for them to be duplicates.
    /// - `shingle-words` (default 5): words per shingle. Fewer words make edits cost less
    ///   similarity (3% of the words edited: about 0.8 in 3-grams).
    /// - `bands` (default 14) and `rows` (default 8): the LSH banding of `bands × rows`
    ///   MinHash values. A pair of similarity `s` becomes a candidate with probability
    ///   `1 − (1 − s^rows)^bands`: 0.92 at 0.8 and 0.57 at 0.7 with the defaults, 1.00
    ///   and 0.98 with 20 bands of 5. For lightly edited copies, `shingle-words = 3`,
    ///   `bands = 20`, `rows = 5`, `min-similarity = 0.5` found 87% of copies with 3–10%
    ///   of their words edited, against 1% with the defaults (20,000 documents).
    ///
    /// ## Fix
    /// None: which copy to keep is for the corpus's owner to decide.
    name: "duplicate-document",
    group: "duplication",
    severity: Warning,
    fix: None,
    summary: "A document that duplicates an earlier one of the corpus (--corpus)",
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    #[serde(deserialize_with = "similarity")]
    pub min_similarity: f64,
    #[serde(deserialize_with = "shingle_words")]
    pub shingle_words: usize,
    #[serde(deserialize_with = "bands_or_rows")]
    pub bands: usize,
    #[serde(deserialize_with = "bands_or_rows")]
    pub rows: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_similarity: 0.8,
            shingle_words: 5,
            bands: 14,
            rows: 8,
        }
    }
}

fn in_range<'de, D: Deserializer<'de>>(d: D, low: usize, high: usize) -> Result<usize, D::Error> {
    let n = usize::deserialize(d)?;
    if (low..=high).contains(&n) {
        Ok(n)
    } else {
        Err(serde::de::Error::custom(format!(
            "must be between {low} and {high}, not {n}"
        )))
    }
}

fn shingle_words<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    in_range(d, 1, 16)
}

fn bands_or_rows<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    in_range(d, 1, 64)
}

fn similarity<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let s = f64::deserialize(d)?;
    if s > 0.0 && s <= 1.0 {
        Ok(s)
    } else {
        Err(serde::de::Error::custom(format!(
            "must be above 0 and at most 1, not {s}"
        )))
    }
}

#[derive(Debug)]
pub struct DuplicateDocument {
    params: MinHashParams,
}

impl DuplicateDocument {
    pub fn new(options: Options) -> Self {
        DuplicateDocument {
            params: MinHashParams {
                shingle_words: options.shingle_words,
                bands: options.bands,
                rows: options.rows,
                min_similarity: options.min_similarity,
            },
        }
    }
}

impl Rule for DuplicateDocument {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    /// Nothing per document: the findings come from the corpus pass.
    fn check(&self, _doc: &Document, _out: &mut Vec<Diagnostic>) {}

    fn corpus_need(&self) -> Option<Need> {
        Some(Need::NearDuplicates(self.params))
    }

    fn check_corpus(&self, doc: &Document, corpus: &View, out: &mut Vec<Diagnostic>) {
        let Some(dup) = &corpus.duplicate else { return };
        // The finding sits on the first line, not the whole text: reports show its span.
        let span = doc.blocks().first().map_or(Span::new(0, 0), |b| {
            doc.line(b.first_line).map_or(b.span, |l| l.span)
        });
        let message = if dup.exact {
            format!("Duplicate document: the same text as {}", dup.first)
        } else {
            format!(
                "Near-duplicate document: {:.0}% similar to {}",
                (dup.similarity * 100.0).floor(),
                dup.first
            )
        };
        out.push(
            self.diagnostic(span, message)
                .with_help("Keep one copy of the document"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleOptions;
    use crate::rules::corpus::Duplicate;
    use crate::rules::test::render;

    fn options(toml: &str) -> Result<Options, String> {
        let table: std::collections::BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Value>> =
            toml::from_str(toml).unwrap();
        RuleOptions::new(table.into_iter().collect())
            .parse()
            .map_err(|e| e.message)
    }

    fn findings(text: &str, duplicate: Option<Duplicate>) -> String {
        let doc = Document::from_text("b.txt", text);
        let view = View {
            duplicate,
            ..View::default()
        };
        let mut out = Vec::new();
        DuplicateDocument::new(Options::default()).check_corpus(&doc, &view, &mut out);
        render(&doc, &out)
    }

    #[test]
    fn a_near_duplicate_names_the_first_document_and_the_similarity() {
        let text = "\nTrump threatens special forces as US advisers embed in Mexico\n\nPresident Trump has intensified his stance on Mexico.\n";
        let dup = Duplicate {
            first: "feed.jsonl:a03".into(),
            similarity: 0.8372,
            exact: false,
        };
        insta::assert_snapshot!(findings(text, Some(dup)), @"2:1 duplicate-document Near-duplicate document: 83% similar to feed.jsonl:a03");
    }

    #[test]
    fn an_exact_duplicate_says_so() {
        let dup = Duplicate {
            first: "site/a.html".into(),
            similarity: 1.0,
            exact: true,
        };
        insta::assert_snapshot!(findings("Same story.\n", Some(dup)), @"1:1 duplicate-document Duplicate document: the same text as site/a.html");
    }

    #[test]
    fn the_first_document_and_unique_documents_have_no_finding() {
        assert_eq!(findings("Same story.\n", None), "");
    }

    #[test]
    fn options_are_range_checked() {
        assert!(options("bands = 20\nrows = 5").is_ok());
        let err = options("rows = 0").unwrap_err();
        assert!(err.contains("must be between 1 and 64, not 0"), "{err}");
        let err = options("min-similarity = 1.5").unwrap_err();
        assert!(err.contains("at most 1"), "{err}");
        let err = options("shingle-words = 40").unwrap_err();
        assert!(err.contains("between 1 and 16"), "{err}");
    }
}

//! The interface of corpus rules: what a rule asks the corpus pass (`check --corpus`) to
//! collect, and what the pass found for one document. The pass itself (signatures,
//! counts, MinHash, clusters) lives in `crate::corpus`; rules only turn its results into
//! findings.

use crate::document::Span;

/// What pass 1 must collect for a corpus rule, with the rule's thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Need {
    /// Blocks that occur in many documents of the same group (site): a block is frequent
    /// when it is in at least `max(min_docs, min_ratio × documents of the group)`
    /// documents.
    FrequentBlocks(BlockThresholds),
    /// Near-duplicate documents by MinHash LSH over word shingles, verified by exact
    /// Jaccard similarity.
    NearDuplicates(MinHashParams),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BlockThresholds {
    pub min_docs: u32,
    pub min_ratio: f64,
    /// Fold every digit to `0` before comparing (`Updated 3 hours ago` equals `Updated 5
    /// hours ago`), which also merges data lines that differ only in their numbers.
    pub fold_digits: bool,
}

impl BlockThresholds {
    /// Whether a block in `docs` of the group's `group_docs` documents is frequent.
    pub fn frequent(&self, docs: u32, group_docs: u32) -> bool {
        docs >= self.min_docs && f64::from(docs) >= self.min_ratio * f64::from(group_docs)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MinHashParams {
    /// Words per shingle.
    pub shingle_words: usize,
    pub bands: usize,
    pub rows: usize,
    /// Candidates whose exact Jaccard similarity is below this are not duplicates.
    pub min_similarity: f64,
}

/// A block that is frequent in its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrequentBlock {
    pub span: Span,
    /// Documents of the group that contain the block.
    pub docs: u32,
}

/// The document is a member of a duplicate cluster, and not its first document.
#[derive(Debug, Clone, PartialEq)]
pub struct Duplicate {
    /// How reports name the cluster's first document (in input order).
    pub first: String,
    /// Exact Jaccard similarity of the two documents' shingle sets (1.0 when equal).
    pub similarity: f64,
    /// The two texts are equal after folding.
    pub exact: bool,
}

/// What the corpus pass found for one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct View {
    /// The document's group (site), e.g. `example.com`; empty when it has none.
    pub group: String,
    /// Documents in the group.
    pub group_docs: u32,
    /// The document's blocks that are frequent in its group, in text order.
    pub frequent_blocks: Vec<FrequentBlock>,
    pub duplicate: Option<Duplicate>,
}

//! Word shingles, MinHash signatures, LSH band keys and exact Jaccard similarity.
//!
//! Everything here is persisted (`copylint signatures`) and compared across machines, so
//! it uses only fixed, documented functions: xxh3-64 for words, shingles and bands, and
//! permutations drawn from a fixed seed. Changing any of it changes [`VERSION`].

use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

use crate::rules::corpus::MinHashParams;

/// The version of the shingle, permutation and band-key scheme.
pub const VERSION: u32 = 1;

/// The seed of the permutation coefficients ("copylint" in ASCII).
const SEED: u64 = 0x636f_7079_6c69_6e74;

/// splitmix64: draws the permutation coefficients from `SEED`.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The words of a folded text: maximal runs of letters and digits.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// The hashes of a folded text's `k`-word shingles (with repeats, in text order). A text
/// of fewer than `k` words has one shingle of all its words; a text without words, none.
pub fn shingles(folded: &str, k: usize) -> Vec<u64> {
    let hashes: Vec<u64> = words(folded).map(|w| xxh3_64(w.as_bytes())).collect();
    if hashes.is_empty() {
        return Vec::new();
    }
    let k = k.clamp(1, hashes.len());
    let mut bytes = Vec::with_capacity(8 * k);
    hashes
        .windows(k)
        .map(|window| {
            bytes.clear();
            for h in window {
                bytes.extend_from_slice(&h.to_le_bytes());
            }
            xxh3_64(&bytes)
        })
        .collect()
}

/// The shingle set kept for exact Jaccard similarity: the low 32 bits of each shingle
/// hash, sorted, without repeats (4 bytes a shingle; two distinct shingles of two
/// 1,000-shingle documents collide with probability 2 × 10⁻⁴).
pub fn shingle_set(shingles: &[u64]) -> Vec<u32> {
    let mut set: Vec<u32> = shingles.iter().map(|&h| h as u32).collect();
    set.sort_unstable();
    set.dedup();
    set
}

/// Jaccard similarity |a ∩ b| / |a ∪ b| of two sorted sets without repeats.
pub fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - shared;
    shared as f64 / union as f64
}

/// MinHash with `bands × rows` permutations `x ↦ a·x + b (mod 2⁶⁴)` (odd `a`) of the
/// shingle hashes, and LSH band keys.
#[derive(Debug, Clone)]
pub struct MinHasher {
    coefficients: Vec<(u64, u64)>,
    bands: usize,
    rows: usize,
}

impl MinHasher {
    pub fn new(params: &MinHashParams) -> Self {
        let mut state = SEED;
        let coefficients = (0..params.bands * params.rows)
            .map(|_| (splitmix64(&mut state) | 1, splitmix64(&mut state)))
            .collect();
        MinHasher {
            coefficients,
            bands: params.bands,
            rows: params.rows,
        }
    }

    /// The minimum of each permutation over the shingles (`u64::MAX` each for none).
    pub fn signature(&self, shingles: &[u64]) -> Vec<u64> {
        let mut mins = vec![u64::MAX; self.coefficients.len()];
        for &s in shingles {
            for (min, &(a, b)) in mins.iter_mut().zip(&self.coefficients) {
                let v = a.wrapping_mul(s).wrapping_add(b);
                if v < *min {
                    *min = v;
                }
            }
        }
        mins
    }

    /// One key per band: xxh3 of the band's minimums, seeded with the band's index so
    /// that equal values in two bands do not collide.
    pub fn band_keys(&self, signature: &[u64]) -> Vec<u64> {
        let mut bytes = Vec::with_capacity(8 * self.rows);
        signature
            .chunks_exact(self.rows)
            .take(self.bands)
            .enumerate()
            .map(|(band, values)| {
                bytes.clear();
                for v in values {
                    bytes.extend_from_slice(&v.to_le_bytes());
                }
                xxh3_64_with_seed(&bytes, band as u64)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::fold::fold;

    fn params(bands: usize, rows: usize) -> MinHashParams {
        MinHashParams {
            shingle_words: 5,
            bands,
            rows,
            min_similarity: 0.8,
        }
    }

    #[test]
    fn shingles_are_word_windows_of_the_folded_text() {
        let a = shingles(&fold("The White House said, “talks will go on.”"), 5);
        let b = shingles(&fold("the white house said talks -- will go on"), 5);
        assert_eq!(a.len(), 4);
        assert_eq!(a, b, "punctuation and case do not count");
        assert_eq!(shingles("two words", 5).len(), 1);
        assert!(shingles(" ... ", 5).is_empty());
    }

    #[test]
    fn hashes_are_fixed_across_versions_and_machines() {
        // If this changes, signatures written before no longer compare: bump VERSION.
        let sh = shingles("one two three four five six", 5);
        let hasher = MinHasher::new(&params(14, 8));
        let keys = hasher.band_keys(&hasher.signature(&sh));
        assert_eq!(keys.len(), 14);
        insta::assert_snapshot!(format!("{:016x} {:016x} {:016x}", sh[0], sh[1], keys[0]), @"31e758b4e93e82ed b0fcbfe458b97567 4950faa9f3c58e7c");
    }

    #[test]
    fn jaccard_counts_shared_elements_over_the_union() {
        assert_eq!(jaccard(&[1, 2, 3, 4], &[2, 3, 4, 5]), 0.6);
        assert_eq!(jaccard(&[1], &[2]), 0.0);
        assert_eq!(jaccard(&[], &[]), 1.0);
    }

    #[test]
    fn minhash_estimates_jaccard() {
        // Two documents of 400 distinct shingles sharing 300: Jaccard 300/500 = 0.6.
        let a: Vec<u64> = (0..400u64).map(|i| xxh3_64(&i.to_le_bytes())).collect();
        let b: Vec<u64> = (100..500u64).map(|i| xxh3_64(&i.to_le_bytes())).collect();
        let hasher = MinHasher::new(&params(14, 8));
        let (sa, sb) = (hasher.signature(&a), hasher.signature(&b));
        let equal = sa.iter().zip(&sb).filter(|(x, y)| x == y).count();
        let estimate = equal as f64 / sa.len() as f64;
        assert!((estimate - 0.6).abs() < 0.12, "estimate {estimate}");
        assert_eq!(jaccard(&shingle_set(&a), &shingle_set(&b)), 0.6);
    }

    #[test]
    fn identical_texts_share_every_band_and_different_ones_none() {
        let hasher = MinHasher::new(&params(14, 8));
        let keys = |t: &str| hasher.band_keys(&hasher.signature(&shingles(&fold(t), 5)));
        let text = "President Trump has intensified his stance on Mexico, insisting on a significant escalation in the battle against drug trafficking.";
        assert_eq!(keys(text), keys(&text.to_uppercase()));
        let other = "Mexican President Claudia Sheinbaum has opposed the U.S. proposal for military intervention by deploying troops across the border.";
        let shared = keys(text)
            .iter()
            .zip(keys(other))
            .filter(|(a, b)| **a == *b)
            .count();
        assert_eq!(shared, 0);
    }
}

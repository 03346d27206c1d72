//! Hashing for the repetition statistics: exact duplicate pieces of text, and n-grams of
//! words compared as strings (`" ".join(...)` or `"".join(...)`) without building them.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use xxhash_rust::xxh3::xxh3_64;

use super::pytext::chars;
use super::words::{IdBuild, Word};
use crate::document::Span;

/// An odd multiplier for polynomial hashes modulo 2^64.
const BASE: u64 = 0x9E37_79B9_7F4A_7C15;

/// Polynomial hashes of every word and `BASE` to the power of its length in bytes, so
/// that the hash of a concatenation follows from its parts:
/// `H(a + b) = H(a) * BASE^len(b) + H(b)`.
pub struct WordHashes {
    hash: Vec<u64>,
    power: Vec<u64>,
}

impl WordHashes {
    pub fn new(text: &str, words: &[Word]) -> Self {
        let mut hash = Vec::with_capacity(words.len());
        let mut power = Vec::with_capacity(words.len());
        for w in words {
            let (mut h, mut p) = (0u64, 1u64);
            for &b in w.text(text).as_bytes() {
                h = h.wrapping_mul(BASE).wrapping_add(u64::from(b));
                p = p.wrapping_mul(BASE);
            }
            hash.push(h);
            power.push(p);
        }
        WordHashes { hash, power }
    }

    /// The hash of words `i..i + n` joined with `sep` (`None`: joined with nothing).
    pub fn join(&self, i: usize, n: usize, sep: Option<u8>) -> u64 {
        let mut h = 0u64;
        for k in i..i + n {
            if let Some(sep) = sep
                && k > i
            {
                h = h.wrapping_mul(BASE).wrapping_add(u64::from(sep));
            }
            h = h.wrapping_mul(self.power[k]).wrapping_add(self.hash[k]);
        }
        mix(h)
    }
}

/// murmur3's finalizer: spreads a polynomial hash over all bits for the hash table.
pub fn mix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// datatrove's `find_duplicates`: pieces equal to an earlier piece, their number and
/// their length in characters; each repeat with the span of its first copy.
pub struct Duplicates {
    pub count: usize,
    pub chars: usize,
    pub repeats: Vec<(Span, Span)>,
}

pub fn find_duplicates(text: &str, pieces: &[Span]) -> Duplicates {
    let mut first: HashMap<u64, Span, IdBuild> = HashMap::default();
    let mut out = Duplicates {
        count: 0,
        chars: 0,
        repeats: Vec::new(),
    };
    for &span in pieces {
        let piece = text.get(span.range()).unwrap_or("");
        match first.entry(xxh3_64(piece.as_bytes())) {
            Entry::Vacant(e) => {
                e.insert(span);
            }
            Entry::Occupied(e) => {
                let earlier = *e.get();
                // A 64-bit collision between different pieces is not a repeat.
                if text.get(earlier.range()) == Some(piece) {
                    out.count += 1;
                    out.chars += chars(piece);
                    out.repeats.push((span, earlier));
                }
            }
        }
    }
    out
}

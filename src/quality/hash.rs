//! Hashing for the repetition statistics: exact duplicate pieces of text, and n-grams of
//! words compared as strings (`" ".join(...)` or `"".join(...)`) without building them.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use xxhash_rust::xxh3::xxh3_64;

use super::pytext::chars;
use super::words::{IdBuild, Word};
use crate::document::Span;

/// An odd multiplier for polynomial hashes modulo 2^64 (odd, so it has an inverse).
const BASE: u64 = 0x9E37_79B9_7F4A_7C15;

/// `BASE`'s inverse modulo 2^64, by Newton's iteration (each step doubles the bits).
const fn inverse(a: u64) -> u64 {
    let mut x = a;
    let mut i = 0;
    while i < 6 {
        x = x.wrapping_mul(2u64.wrapping_sub(a.wrapping_mul(x)));
        i += 1;
    }
    x
}

const BASE_INV: u64 = inverse(BASE);

/// Prefix hashes of a page's words, so that the hash of any run of words, joined with
/// nothing (`"".join`) or with spaces (`" ".join`), takes three multiplications:
/// with `P[k]` the polynomial hash of the first `k` pieces and `Q[k]` `BASE` to the
/// power of their length, `H(i..j) = P[j] - P[i] * Q[j] / Q[i]`.
pub struct WordHashes {
    joined: Prefix,
    /// Over every word followed by a space.
    spaced: Prefix,
}

#[derive(Default)]
struct Prefix {
    hash: Vec<u64>,
    power: Vec<u64>,
    inverse: Vec<u64>,
}

impl Prefix {
    fn with_capacity(n: usize) -> Self {
        let mut p = Prefix {
            hash: Vec::with_capacity(n + 1),
            power: Vec::with_capacity(n + 1),
            inverse: Vec::with_capacity(n + 1),
        };
        p.hash.push(0);
        p.power.push(1);
        p.inverse.push(1);
        p
    }

    fn extend(&mut self, h: u64, power: u64, inverse: u64) {
        let (last_h, last_p, last_i) = (
            self.hash.last().copied().unwrap_or(0),
            self.power.last().copied().unwrap_or(1),
            self.inverse.last().copied().unwrap_or(1),
        );
        self.hash.push(last_h.wrapping_mul(power).wrapping_add(h));
        self.power.push(last_p.wrapping_mul(power));
        self.inverse.push(last_i.wrapping_mul(inverse));
    }

    /// The hash of pieces `i..j`.
    fn range(&self, i: usize, j: usize) -> u64 {
        let shift = self.power[j].wrapping_mul(self.inverse[i]);
        self.hash[j].wrapping_sub(self.hash[i].wrapping_mul(shift))
    }
}

impl WordHashes {
    pub fn new(text: &str, words: &[Word]) -> Self {
        let mut joined = Prefix::with_capacity(words.len());
        let mut spaced = Prefix::with_capacity(words.len());
        for w in words {
            let (mut h, mut p, mut q) = (0u64, 1u64, 1u64);
            for &b in w.text(text).as_bytes() {
                h = h.wrapping_mul(BASE).wrapping_add(u64::from(b));
                p = p.wrapping_mul(BASE);
                q = q.wrapping_mul(BASE_INV);
            }
            joined.extend(h, p, q);
            spaced.extend(
                h.wrapping_mul(BASE).wrapping_add(u64::from(b' ')),
                p.wrapping_mul(BASE),
                q.wrapping_mul(BASE_INV),
            );
        }
        WordHashes { joined, spaced }
    }

    /// The hash of `"".join(words[i..i + n])`.
    pub fn joined(&self, i: usize, n: usize) -> u64 {
        mix(self.joined.range(i, i + n))
    }

    /// The hash of `" ".join(words[i..i + n])`: the spaced run without its last space.
    pub fn spaced(&self, i: usize, n: usize) -> u64 {
        let with_space = self.spaced.range(i, i + n);
        mix(with_space
            .wrapping_sub(u64::from(b' '))
            .wrapping_mul(BASE_INV))
    }
}

/// An open-addressing table of hashes (linear probing) for the n-gram passes, which
/// insert every window of a page: sized and cleared per pass, its memory kept between
/// pages unless a page was huge.
#[derive(Default)]
pub struct Table {
    keys: Vec<u64>,
    /// Count (high half) and first window (low half), for `bump`.
    values: Vec<u64>,
    mask: usize,
}

/// Tables up to this many slots are kept for the next page.
const KEEP_SLOTS: usize = 1 << 17;

impl Table {
    /// Empties the table, with room for `n` keys.
    pub fn reset(&mut self, n: usize) {
        let slots = (n * 2).next_power_of_two().max(16);
        if self.keys.len() == slots {
            self.keys.fill(0);
        } else {
            self.keys = vec![0; slots];
            self.values = Vec::new();
        }
        self.mask = slots - 1;
    }

    /// Frees a huge page's table.
    pub fn shrink(&mut self) {
        if self.keys.len() > KEEP_SLOTS {
            *self = Table::default();
        }
    }

    /// The slot of `h` (0 is the empty key, so it stands for 1).
    fn find(&self, h: u64) -> (usize, u64, bool) {
        let h = h.max(1);
        let mut i = (h as usize) & self.mask;
        loop {
            match self.keys[i] {
                0 => return (i, h, false),
                k if k == h => return (i, h, true),
                _ => i = (i + 1) & self.mask,
            }
        }
    }

    /// Adds `h`; whether it was new.
    pub fn insert(&mut self, h: u64) -> bool {
        let (i, h, found) = self.find(h);
        if !found {
            self.keys[i] = h;
        }
        !found
    }

    /// Counts `h`, seen at window `at`: its count now and the window it was first seen at.
    pub fn bump(&mut self, h: u64, at: u32) -> (u32, u32) {
        let (count, first, _) = self.bump_at(h, at);
        (count, first)
    }

    /// `bump`, and the slot of `h`, for `count_at` once every window is counted.
    pub fn bump_at(&mut self, h: u64, at: u32) -> (u32, u32, usize) {
        if self.values.len() != self.keys.len() {
            self.values = vec![0; self.keys.len()];
        }
        let (i, h, found) = self.find(h);
        if !found {
            self.keys[i] = h;
            self.values[i] = u64::from(at);
        }
        self.values[i] += 1 << 32;
        let v = self.values[i];
        ((v >> 32) as u32, v as u32, i)
    }

    /// The count of the key in `slot` (from `bump_at`, since the last `reset`).
    pub fn count_at(&self, slot: usize) -> u32 {
        (self.values[slot] >> 32) as u32
    }
}

/// Which of `starts` (offsets into `stream`) begin with the same `K` bytes as another of
/// them. Two equal runs of at least `K` bytes share their first `K` bytes, so a run of at
/// least `K` bytes that starts where this is false is unique in the stream: it neither
/// repeats an earlier run nor is repeated. Hash collisions only make this true more
/// often, which costs time, never a wrong count.
pub fn shared_prefixes<const K: usize>(
    stream: &[u8],
    starts: &[usize],
    table: &mut Table,
) -> Vec<bool> {
    let mut shared = vec![false; starts.len()];
    table.reset(starts.len());
    for (i, &s) in starts.iter().enumerate() {
        let Some(bytes) = stream.get(s..s + K) else {
            // Too near the end: no run of `K` bytes starts here.
            continue;
        };
        let h = bytes.chunks_exact(8).fold(0u64, |h, chunk| {
            mix(h ^ u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])))
        });
        let (count, first) = table.bump(h, i as u32);
        if count >= 2 {
            shared[i] = true;
            shared[first as usize] = true;
        }
    }
    shared
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quality::words::words;

    fn poly(s: &str) -> u64 {
        s.bytes()
            .fold(0u64, |h, b| h.wrapping_mul(BASE).wrapping_add(u64::from(b)))
    }

    #[test]
    fn runs_hash_as_their_joined_strings() {
        assert_eq!(BASE.wrapping_mul(BASE_INV), 1);
        let text = "The war on drugs, the war on drugs: again";
        let w = words(text);
        let h = WordHashes::new(text, &w);
        for i in 0..w.len() {
            for n in 1..=(w.len() - i).min(6) {
                let parts: Vec<&str> = w[i..i + n].iter().map(|x| x.text(text)).collect();
                assert_eq!(h.joined(i, n), mix(poly(&parts.concat())));
                assert_eq!(h.spaced(i, n), mix(poly(&parts.join(" "))));
            }
        }
    }
}

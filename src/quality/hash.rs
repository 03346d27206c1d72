//! Hashing for the repetition statistics: exact duplicate pieces of text, and n-grams of
//! words compared as strings (`" ".join(...)` or `"".join(...)`) without building them.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use xxhash_rust::xxh3::xxh3_64;

use super::pytext::chars;
use super::words::IdBuild;
use crate::document::Span;

/// An odd multiplier for chaining word hashes into n-gram keys.
const BASE: u64 = 0x9E37_79B9_7F4A_7C15;

/// The hash of the word `text[span]`. A word of up to 16 bytes (nearly all) is read as
/// two numbers, the bytes past its end masked off, and mixed with its length; a longer
/// one is hashed with xxh3. The same word gets the same hash wherever it is.
pub fn word_hash(text: &[u8], span: Span) -> u64 {
    let len = span.len();
    if len > 16 {
        return xxh3_64(text.get(span.range()).unwrap_or_default());
    }
    let chunk: [u8; 16] = match text
        .get(span.start..span.start + 16)
        .and_then(|c| <[u8; 16]>::try_from(c).ok())
    {
        Some(chunk) => chunk,
        None => {
            // Near the end of the text: the word, padded.
            let mut buf = [0u8; 16];
            let word = text.get(span.range()).unwrap_or_default();
            buf[..word.len()].copy_from_slice(word);
            buf
        }
    };
    let [lo, hi] = [&chunk[..8], &chunk[8..]]
        .map(|half| u64::from_le_bytes(half.try_into().unwrap_or_default()));
    let keep = |bytes: usize| {
        if bytes >= 8 {
            u64::MAX
        } else {
            (1u64 << (8 * bytes)) - 1
        }
    };
    let (lo, hi) = (lo & keep(len), hi & keep(len.saturating_sub(8)));
    mix(mix(lo ^ (len as u64).wrapping_mul(BASE)) ^ hi)
}

/// A cheap key of the word `text[span]`: its first 8 bytes (the bytes past its end
/// masked off) and its length. Equal words get equal keys; unequal words may too, which
/// only loosens the bounds built on it.
#[inline]
pub fn word_head(text: &[u8], span: Span) -> u64 {
    let len = span.len();
    let head = match text.get(span.start..span.start + 8) {
        Some(chunk) => u64::from_le_bytes(chunk.try_into().unwrap_or_default()),
        None => {
            // Near the end of the text: the word, padded.
            let mut buf = [0u8; 8];
            let word = text.get(span.range()).unwrap_or_default();
            let word = &word[..word.len().min(8)];
            buf[..word.len()].copy_from_slice(word);
            u64::from_le_bytes(buf)
        }
    };
    let keep = if len >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * len)) - 1
    };
    (head & keep) ^ (len as u64).rotate_right(16)
}

/// The key of an n-gram from the key of its first n - 1 words and the hash of its last
/// word. Runs of words are compared as `" ".join(...)` strings, and no word holds a
/// space, so two runs join to the same string exactly when their words are the same:
/// chaining the words' hashes stands for hashing the joined string.
pub fn chain(key: u64, word: u64) -> u64 {
    mix(key.wrapping_mul(BASE) ^ word)
}

/// Open-addressing slots (linear probing) for the n-gram passes, which insert every
/// window of a page: sized and cleared per pass, their memory kept between pages unless
/// a page was huge. A slot starts with its key; 0 is the empty key.
#[derive(Default)]
struct Slots<T> {
    slots: Vec<T>,
    mask: usize,
}

/// Up to this many slots are kept for the next page.
const KEEP_SLOTS: usize = 1 << 17;

/// A slot whose first field is its key.
trait Slot: Copy + Default {
    fn key(&self) -> u64;
}

impl Slot for u64 {
    fn key(&self) -> u64 {
        *self
    }
}

impl Slot for u32 {
    fn key(&self) -> u64 {
        u64::from(*self)
    }
}

impl Slot for (u64, u64) {
    fn key(&self) -> u64 {
        self.0
    }
}

impl<T: Slot> Slots<T> {
    /// Empties the slots, with room for `n` keys.
    fn reset(&mut self, n: usize) {
        let slots = (n * 2).next_power_of_two().max(16);
        // The allocation is kept: pages and passes differ in size, and a fresh zeroed
        // one for each new size went through the allocator for nothing.
        self.slots.clear();
        self.slots.resize(slots, T::default());
        self.mask = slots - 1;
    }

    /// Frees a huge page's slots.
    fn shrink(&mut self) {
        if self.slots.len() > KEEP_SLOTS {
            *self = Slots::default();
        }
    }

    /// The slot of `h` (0 is the empty key, so it stands for 1), the key stored for
    /// it, and whether the slot holds it.
    #[inline]
    fn find(&self, h: u64) -> (usize, u64, bool) {
        let h = h.max(1);
        let mut i = (h as usize) & self.mask;
        loop {
            match self.slots[i].key() {
                0 => return (i, h, false),
                k if k == h => return (i, h, true),
                _ => i = (i + 1) & self.mask,
            }
        }
    }
}

/// A counting table of hashes: each slot holds a key, its count (high half) and first
/// window (low half), side by side: one cache line per probe.
#[derive(Default)]
pub struct Table(Slots<(u64, u64)>);

impl Table {
    /// Empties the table, with room for `n` keys.
    pub fn reset(&mut self, n: usize) {
        self.0.reset(n);
    }

    /// Frees a huge page's table.
    pub fn shrink(&mut self) {
        self.0.shrink();
    }

    /// Counts `h`, seen at window `at`: its count now and the window it was first seen at.
    #[inline]
    pub fn bump(&mut self, h: u64, at: u32) -> (u32, u32) {
        let (i, h, found) = self.0.find(h);
        let slot = &mut self.0.slots[i];
        if !found {
            *slot = (h, u64::from(at));
        }
        slot.1 += 1 << 32;
        ((slot.1 >> 32) as u32, slot.1 as u32)
    }
}

/// A set of hashes for the duplicated n-gram passes: keys alone, half the memory of
/// `Table`'s slots.
#[derive(Default)]
pub struct Keys(Slots<u64>);

impl Keys {
    /// Empties the set, with room for `n` keys.
    pub fn reset(&mut self, n: usize) {
        self.0.reset(n);
    }

    /// Frees a huge page's set.
    pub fn shrink(&mut self) {
        self.0.shrink();
    }

    /// Adds `h` (0 is the empty key, so it stands for 1); whether it was new.
    #[inline]
    pub fn insert(&mut self, h: u64) -> bool {
        let (i, h, found) = self.0.find(h);
        if !found {
            self.0.slots[i] = h;
        }
        !found
    }
}

/// Which of `starts` (offsets into `stream`) begin with the same `K` bytes as another of
/// them, into `shared`, and for each the last one before it that does, into `prev`
/// (`NONE` for none): following `prev` from a start visits every earlier start with the
/// same first `K` bytes. Two equal runs of at least `K` bytes share their first `K`
/// bytes, so a run of at least `K` bytes that starts where `shared` is false is unique in
/// the stream: it neither repeats an earlier run nor is repeated. Hash collisions only
/// make `shared` true more often and put other starts on the `prev` chains, which costs
/// time, never a wrong count.
pub fn shared_prefixes<const K: usize>(
    stream: &[u8],
    starts: &[u32],
    chains: &mut Chains,
    shared: &mut Vec<bool>,
    prev: &mut Vec<u32>,
) {
    shared.clear();
    prev.clear();
    if starts.len() >= Chains::MAX {
        // More windows than `Chains` can index (a page of over 16 million words): all
        // are taken as shared, which costs time, never a wrong count; `prev` is left
        // empty, for unknown.
        shared.resize(starts.len(), true);
        return;
    }
    shared.resize(starts.len(), false);
    prev.resize(starts.len(), NONE);
    chains.0.reset(starts.len());
    for (i, s) in starts.iter().map(|&s| s as usize).enumerate() {
        let Some(bytes) = stream.get(s..s + K) else {
            // Too near the end: no run of `K` bytes starts here.
            continue;
        };
        // A multiply per 8 bytes: collisions only cost time here.
        let h = bytes.chunks_exact(8).fold(0u64, |h, chunk| {
            (h ^ u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]))).wrapping_mul(BASE)
        });
        if let Some(last) = chains.link(h ^ (h >> 29), i) {
            shared[i] = true;
            shared[last] = true;
            prev[i] = last as u32;
        }
    }
}

/// No earlier start on a `prev` chain.
pub const NONE: u32 = u32::MAX;

/// A set of hashes that remembers where each was last seen, in 32 bits per slot: 8 bits
/// of the hash (one always set, so no slot is empty) above the index of its last
/// window. Only for fewer than `MAX` windows; two hashes equal in those bits and on one
/// probe run count as one, which for `shared_prefixes` only costs time. Half the bytes
/// of a slot with the whole hash: the table is probed at random, once per word, and
/// what it takes of the cache the other rules' tables lose.
#[derive(Default)]
pub struct Chains(Slots<u32>);

impl Chains {
    const INDEX_BITS: u32 = 24;
    pub const MAX: usize = 1 << Self::INDEX_BITS;

    /// Frees a huge page's set.
    pub fn shrink(&mut self) {
        self.0.shrink();
    }

    /// Adds `h`, seen at window `at` (below `MAX`): the window it was last seen at
    /// before, if any.
    #[inline]
    fn link(&mut self, h: u64, at: usize) -> Option<usize> {
        let low = (1u32 << Self::INDEX_BITS) - 1;
        // The hash's top 8 bits, the lowest set: never 0, the empty slot.
        let tag = ((h >> 56) as u32 | 1) << Self::INDEX_BITS;
        let slots = &mut self.0.slots;
        let mut i = ((h >> Self::INDEX_BITS) as usize) & self.0.mask;
        loop {
            match slots[i] {
                0 => {
                    slots[i] = tag | at as u32;
                    return None;
                }
                k if k & !low == tag => {
                    slots[i] = tag | at as u32;
                    return Some((k & low) as usize);
                }
                _ => i = (i + 1) & self.0.mask,
            }
        }
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
    let mut first: HashMap<u64, Span, IdBuild> =
        HashMap::with_capacity_and_hasher(pieces.len(), IdBuild::default());
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

    #[test]
    fn chained_keys_tell_runs_of_words_apart() {
        let hash = |w: &str| word_hash(w.as_bytes(), Span::new(0, w.len()));
        let key = |words: &[&str]| {
            words[1..]
                .iter()
                .fold(hash(words[0]), |k, w| chain(k, hash(w)))
        };
        assert_eq!(key(&["war", "on", "drugs"]), key(&["war", "on", "drugs"]));
        assert_ne!(key(&["war", "on"]), key(&["on", "war"]));
        assert_ne!(key(&["ab", "c"]), key(&["a", "bc"]));
        assert_ne!(key(&["a", "a"]), key(&["b", "b"]));
    }

    #[test]
    fn a_word_hashes_the_same_wherever_it_is() {
        let text = "surreptitiously a surreptitiously ab abc-abcdefghijklmnopq abcdefghijklmnopq a";
        let b = text.as_bytes();
        let at = |from: usize, word: &str| word_hash(b, Span::new(from, from + word.len()));
        let long = "surreptitiously";
        assert_eq!(at(0, long), at(18, long));
        assert_eq!(
            at(0, long),
            word_hash(long.as_bytes(), Span::new(0, long.len()))
        );
        // The last word, with fewer than 16 bytes after its start.
        assert_eq!(at(16, "a"), at(text.len() - 1, "a"));
        assert_ne!(at(16, "a"), at(34, "ab"));
        assert_eq!(at(41, "abcdefghijklmnopq"), at(59, "abcdefghijklmnopq"));
        assert_ne!(at(37, "abc"), at(34, "ab"));
    }

    #[test]
    fn a_word_head_is_the_same_wherever_the_word_is() {
        let text = "surreptitiously a surreptitiously ab abcdefgh abcdefghi a";
        let b = text.as_bytes();
        let at = |from: usize, word: &str| word_head(b, Span::new(from, from + word.len()));
        assert_eq!(at(0, "surreptitiously"), at(18, "surreptitiously"));
        // The last word, with fewer than 8 bytes after its start.
        assert_eq!(at(16, "a"), at(text.len() - 1, "a"));
        assert_eq!(at(16, "a"), word_head(b"a", Span::new(0, 1)));
        // The bytes after a word and its length count for nothing but its length.
        assert_ne!(at(16, "a"), at(34, "ab"));
        assert_ne!(at(37, "abcdefgh"), at(46, "abcdefghi"));
    }

    #[test]
    fn shared_prefixes_mark_every_copy_of_a_prefix() {
        let stream = b"abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz_";
        // Windows at 0 and 36 share their first 16 bytes, 1 and 37 too; 10 does not; 60
        // is too near the end to have 16 bytes.
        let starts = [0, 1, 10, 36, 37, 60];
        let (mut chains, mut shared, mut prev) = (Chains::default(), Vec::new(), Vec::new());
        shared_prefixes::<16>(stream, &starts, &mut chains, &mut shared, &mut prev);
        assert_eq!(shared, [true, true, false, true, true, false]);
        assert_eq!(prev, [NONE, NONE, NONE, 0, 1, NONE]);
        // The set is emptied between pages.
        shared_prefixes::<16>(stream, &starts[..3], &mut chains, &mut shared, &mut prev);
        assert_eq!(shared, [false, false, false]);
        assert_eq!(prev, [NONE; 3]);
        // A chain runs through every copy, the last first.
        let stream = b"0123456789abcdef!0123456789abcdef!0123456789abcdef!";
        shared_prefixes::<16>(stream, &[0, 17, 34], &mut chains, &mut shared, &mut prev);
        assert_eq!((shared, prev), (vec![true; 3], vec![NONE, 0, 1]));
        let mut c = Chains::default();
        c.0.reset(4);
        // Hashes told apart by their top 8 bits, on one probe run.
        assert_eq!((c.link(7 << 57, 0), c.link(9 << 57, 1)), (None, None));
        assert_eq!(c.link(7 << 57, 2), Some(0));
        assert_eq!(c.link(7 << 57, 5), Some(2));
        assert_eq!(c.link(9 << 57, 6), Some(1));
        assert_eq!(c.link(0, 3), None);
        assert_eq!(c.link(0, 4), Some(3));
    }

    #[test]
    fn the_table_counts_and_remembers_the_first_window() {
        let mut t = Table::default();
        t.reset(4);
        assert_eq!(t.bump(7, 0), (1, 0));
        assert_eq!(t.bump(9, 1), (1, 1));
        assert_eq!(t.bump(7, 2), (2, 0));
        // 0 is the empty key: it is counted as 1.
        assert_eq!(t.bump(0, 3), (1, 3));
        let mut k = Keys::default();
        k.reset(4);
        assert!(k.insert(5));
        assert!(!k.insert(5));
        assert!(k.insert(0) && !k.insert(1));
    }
}

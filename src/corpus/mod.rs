//! Corpus mode (`check --corpus`): what no single document shows. Pass 1 reads every
//! document once, in parallel, and keeps only a compact signature: the keys of its
//! blocks, an exact hash of its folded text and MinHash band keys (its shingle set
//! spills to a temporary file). The signatures are aggregated into an [`Index`]: blocks
//! frequent in their site, and clusters of duplicate documents. Pass 2 is the usual
//! check, where the corpus rules read the index.
//!
//! The same signatures can be written as JSONL (`copylint signatures`) and aggregated
//! elsewhere (Spark); `copylint corpus-report` reads the aggregates back ([`exchange`]).

pub mod exchange;
pub mod group;
pub mod minhash;

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use crate::document::fold::Fold;
use crate::document::{Document, Format};
use crate::engine::JsonlBatches;
use crate::error::{Error, ReadError};
use crate::input::{self, ReadOptions};
use crate::rules::corpus::{BlockThresholds, Duplicate, FrequentBlock, MinHashParams, Need, View};
use crate::walk::Input;

pub use group::GroupBy;
use minhash::MinHasher;

/// What the corpus pass collects: from the enabled corpus rules and `--group-by`.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// For `site-boilerplate`.
    pub blocks: Option<BlockThresholds>,
    /// For `duplicate-document`.
    pub minhash: Option<MinHashParams>,
    pub group_by: GroupBy,
    /// Block entries kept in memory before they spill (default [`BLOCK_BUDGET`]).
    pub block_budget: Option<usize>,
}

impl Plan {
    pub fn new(needs: &[Need], group_by: GroupBy) -> Plan {
        let mut plan = Plan {
            group_by,
            ..Plan::default()
        };
        for need in needs {
            match *need {
                Need::FrequentBlocks(t) => plan.blocks = plan.blocks.or(Some(t)),
                Need::NearDuplicates(p) => plan.minhash = plan.minhash.or(Some(p)),
            }
        }
        plan
    }

    /// No corpus rule is enabled: there is nothing to collect.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_none() && self.minhash.is_none()
    }

    /// How to read JSONL records so that their group can be told.
    pub fn read_options(&self, read: &ReadOptions) -> ReadOptions {
        let mut read = read.clone();
        read.fields.group = self.group_by.record_field().map(str::to_owned);
        read
    }
}

/// The key of a block for counting it across documents: xxh3-64 of its folded text.
/// `None` for a block without a letter or digit (`}`, `|`, `***`): in code such lines
/// are content, elsewhere they are harmless. `buf` is reused between calls.
pub fn block_key(text: &str, fold_digits: bool, buf: &mut String) -> Option<u64> {
    Fold::FULL.apply_into(text, buf);
    if !buf.chars().any(char::is_alphanumeric) {
        return None;
    }
    if fold_digits && buf.chars().any(char::is_numeric) {
        *buf = buf
            .chars()
            .map(|c| if c.is_numeric() { '0' } else { c })
            .collect();
    }
    Some(xxh3_64(buf.as_bytes()))
}

/// The distinct block keys of a document, sorted.
fn block_keys(doc: &Document, fold_digits: bool) -> Vec<u64> {
    let mut buf = String::new();
    let mut keys: Vec<u64> = doc
        .blocks()
        .iter()
        .filter_map(|b| block_key(doc.slice(b.span), fold_digits, &mut buf))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// What pass 1 keeps of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// How reports name the document (`file` or `file:record-id`).
    pub doc: String,
    /// The input it was read from, as reports name it.
    pub input: String,
    /// The record's line in the input (0 for a whole file).
    pub line: u32,
    pub group: Option<String>,
    /// Distinct block keys (see [`block_key`]), sorted; empty unless `site-boilerplate`
    /// is enabled.
    pub blocks: Vec<u64>,
    /// xxh3-64 of the whole folded text; `None` when it is empty (and then no duplicate).
    pub exact: Option<u64>,
    /// MinHash band keys; empty for a text without words.
    pub bands: Vec<u64>,
    /// The shingle set for exact Jaccard similarity (see [`minhash::shingle_set`]).
    pub shingles: Vec<u32>,
}

/// Makes signatures according to a plan.
#[derive(Debug, Clone)]
pub struct Signer {
    plan: Plan,
    hasher: Option<MinHasher>,
}

impl Signer {
    pub fn new(plan: Plan) -> Self {
        let hasher = plan.minhash.as_ref().map(MinHasher::new);
        Signer { plan, hasher }
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    pub fn sign(&self, doc: &Document) -> Signature {
        let blocks = match self.plan.blocks {
            Some(t) => block_keys(doc, t.fold_digits),
            None => Vec::new(),
        };
        let (mut exact, mut bands, mut shingles) = (None, Vec::new(), Vec::new());
        if let (Some(params), Some(hasher)) = (&self.plan.minhash, &self.hasher) {
            let folded = Fold::FULL.apply(doc.text());
            if !folded.is_empty() {
                exact = Some(xxh3_64(folded.as_bytes()));
                let all = minhash::shingles(&folded, params.shingle_words);
                if !all.is_empty() {
                    bands = hasher.band_keys(&hasher.signature(&all));
                    shingles = minhash::shingle_set(&all);
                }
            }
        }
        Signature {
            doc: doc.display_name(),
            input: doc.name().to_owned(),
            line: doc
                .record_line()
                .map_or(0, |l| u32::try_from(l).unwrap_or(u32::MAX)),
            group: self.plan.group_by.group_of(doc),
            blocks,
            exact,
            bands,
            shingles,
        }
    }
}

fn parallel<T: Sync, R: Send>(
    pool: Option<&rayon::ThreadPool>,
    items: &[T],
    f: impl Fn(&T) -> R + Sync + Send,
) -> Vec<R> {
    let work = || items.par_iter().map(&f).collect();
    match pool {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// Pass 1: reads every document of `inputs` once, signs them in parallel, and hands
/// each signature (or the error of an unreadable input or record) to `sink` in input
/// order. Only a batch of documents is in memory at a time.
pub fn sign_all(
    inputs: &[Input],
    read: &ReadOptions,
    signer: &Signer,
    pool: Option<&rayon::ThreadPool>,
    sink: &mut dyn FnMut(Result<Signature, ReadError>) -> Result<(), Error>,
) -> Result<(), Error> {
    let read = signer.plan().read_options(read);
    let threads = pool.map_or_else(rayon::current_num_threads, |p| p.current_num_threads());
    let batch_size = threads.max(1) * 4;
    let mut files: Vec<&Input> = Vec::new();
    let flush = |files: &mut Vec<&Input>,
                 sink: &mut dyn FnMut(Result<Signature, ReadError>) -> Result<(), Error>|
     -> Result<(), Error> {
        let results = parallel(pool, files, |input| {
            let (format, gz) = input::format_of(input, &read);
            input::read_document(input, format, gz).map(|doc| signer.sign(&doc))
        });
        files.clear();
        for result in results {
            match result {
                // Binary files met in a directory walk are skipped, as in a check.
                Err(ReadError::Binary { .. }) => {}
                other => sink(other)?,
            }
        }
        Ok(())
    };
    for input in inputs {
        let (format, gz) = input::format_of(input, &read);
        if format != Format::Jsonl {
            files.push(input);
            if files.len() >= batch_size {
                flush(&mut files, sink)?;
            }
            continue;
        }
        flush(&mut files, sink)?;
        let reader = match input::open_lines(input, gz, None) {
            Ok(reader) => reader,
            Err(e) => {
                sink(Err(e))?;
                continue;
            }
        };
        let mut batches = JsonlBatches::new(reader, input, gz, &read);
        loop {
            let batch = batches.next_batch();
            let results = parallel(pool, &batch.lines, |line| {
                batch.parse(line).map(|doc| doc.map(|d| signer.sign(&d)))
            });
            for result in results {
                match result {
                    Ok(Some(sig)) => sink(Ok(sig))?,
                    Ok(None) => {}
                    Err(e) => sink(Err(e))?,
                }
            }
            if let Some(e) = batch.failure {
                sink(Err(e))?;
                break;
            }
            if batch.eof {
                break;
            }
        }
    }
    flush(&mut files, sink)
}

/// Where a duplicate is found in pass 2: input name → record line → finding.
type Duplicates = HashMap<String, HashMap<u32, Duplicate>>;

/// What the corpus pass found, for pass 2.
#[derive(Debug, Default)]
pub struct Index {
    plan: Plan,
    /// Group name → (id, documents).
    groups: HashMap<String, (u32, u32)>,
    /// (group id, block key) → documents, for the frequent blocks only.
    frequent: HashMap<(u32, u64), u32>,
    duplicates: Duplicates,
}

/// Sizes of what an index holds, for `--statistics`-like reports and benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexStats {
    pub groups: usize,
    pub frequent_blocks: usize,
    pub duplicates: usize,
}

impl Index {
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    pub fn stats(&self) -> IndexStats {
        IndexStats {
            groups: self.groups.len(),
            frequent_blocks: self.frequent.len(),
            duplicates: self.duplicates.values().map(HashMap::len).sum(),
        }
    }

    /// What the corpus pass found for one document.
    pub fn view(&self, doc: &Document) -> View {
        let mut view = View::default();
        let group = self.plan.group_by.group_of(doc);
        if let Some(name) = group
            && let Some(&(id, docs)) = self.groups.get(&name)
        {
            view.group = name;
            view.group_docs = docs;
            if let Some(t) = self.plan.blocks {
                let mut buf = String::new();
                for block in doc.blocks() {
                    if let Some(key) = block_key(doc.slice(block.span), t.fold_digits, &mut buf)
                        && let Some(&n) = self.frequent.get(&(id, key))
                    {
                        view.frequent_blocks.push(FrequentBlock {
                            span: block.span,
                            docs: n,
                        });
                    }
                }
            }
        }
        let line = doc
            .record_line()
            .map_or(0, |l| u32::try_from(l).unwrap_or(u32::MAX));
        view.duplicate = self
            .duplicates
            .get(doc.name())
            .and_then(|lines| lines.get(&line))
            .cloned();
        view
    }
}

/// One document as the builder keeps it.
#[derive(Debug, Clone, Copy)]
struct Entry {
    input: u32,
    line: u32,
    /// Its name in `Builder::names`.
    name: (usize, usize),
    /// The first document with the same folded text (itself when it is the first, or
    /// when its text is empty); only firsts take part in LSH.
    rep: u32,
    /// Its band keys start here in `Builder::bands` (`u32::MAX`: none).
    bands: u32,
    /// Its shingle set in the spill file: offset in bytes and length in shingles.
    shingles: (u64, u32),
}

/// Aggregates signatures in input order into an [`Index`].
pub struct Builder {
    plan: Plan,
    input_ids: HashMap<String, u32>,
    inputs: Vec<String>,
    groups: HashMap<String, u32>,
    group_docs: Vec<u32>,
    /// (block key, group id) of every distinct block of every document, up to
    /// `block_budget` entries; beyond it they go to `block_spill`.
    blocks: Vec<(u64, u32)>,
    block_budget: usize,
    /// `BLOCK_PARTITIONS` temporary files of (key, group) entries, by the top bits of
    /// the key, once the blocks outgrew the budget.
    block_spill: Option<Vec<BufWriter<File>>>,
    entries: Vec<Entry>,
    names: String,
    exact_first: HashMap<u64, u32>,
    bands: Vec<u64>,
    spill: Option<BufWriter<File>>,
    spilled: u64,
}

/// Bytes an index builder holds per document beyond what grows with its blocks, for the
/// memory figures in the README.
pub const ENTRY_BYTES: usize = std::mem::size_of::<Entry>();

/// Block entries (16 bytes each) kept in memory: 16 Mi entries, 256 MiB. Beyond it they
/// are written to `BLOCK_PARTITIONS` temporary files and counted one file at a time, so
/// that a million pages of 200 lines (3.3 GB of entries) need 256 MiB and one
/// sixty-fourth of the entries at once.
pub const BLOCK_BUDGET: usize = 1 << 24;

/// The number of block spill files; a key goes to the file of its top 6 bits.
const BLOCK_PARTITIONS: usize = 64;

/// In an LSH bucket of more documents than this, a document is paired only with the
/// bucket's first `BUCKET_PAIRS`: one boilerplate page shared by thousands would
/// otherwise make millions of candidate pairs.
pub const BUCKET_PAIRS: usize = 32;

impl Builder {
    pub fn new(plan: Plan) -> Result<Self, Error> {
        let spill = match plan.minhash {
            Some(_) => Some(BufWriter::new(tempfile::tempfile().map_err(|source| {
                Error::Io {
                    path: "a temporary file for shingle sets".into(),
                    source,
                }
            })?)),
            None => None,
        };
        let block_budget = plan.block_budget.unwrap_or(BLOCK_BUDGET).max(1);
        Ok(Builder {
            plan,
            input_ids: HashMap::new(),
            inputs: Vec::new(),
            groups: HashMap::new(),
            group_docs: Vec::new(),
            blocks: Vec::new(),
            block_budget,
            block_spill: None,
            entries: Vec::new(),
            names: String::new(),
            exact_first: HashMap::new(),
            bands: Vec::new(),
            spill,
            spilled: 0,
        })
    }

    /// Adds the next document's signature (signatures come in input order).
    pub fn add(&mut self, sig: &Signature) -> Result<(), Error> {
        let index = u32::try_from(self.entries.len())
            .map_err(|_| Error::Usage("corpus mode handles at most 4 billion documents".into()))?;
        let next_input = self.inputs.len() as u32;
        let input = *self
            .input_ids
            .entry(sig.input.clone())
            .or_insert(next_input);
        if input == next_input {
            self.inputs.push(sig.input.clone());
        }
        if let Some(group) = &sig.group {
            let next = self.group_docs.len() as u32;
            let id = *self.groups.entry(group.clone()).or_insert(next);
            if id == next {
                self.group_docs.push(0);
            }
            self.group_docs[id as usize] += 1;
            self.blocks.extend(sig.blocks.iter().map(|&k| (k, id)));
            if self.blocks.len() >= self.block_budget {
                self.spill_blocks()?;
            }
        }
        let name = (self.names.len(), sig.doc.len());
        self.names.push_str(&sig.doc);
        let rep = match sig.exact {
            Some(hash) => *self.exact_first.entry(hash).or_insert(index),
            None => index,
        };
        let mut entry = Entry {
            input,
            line: sig.line,
            name,
            rep,
            bands: u32::MAX,
            shingles: (self.spilled, 0),
        };
        if rep == index && !sig.bands.is_empty() {
            entry.bands = u32::try_from(self.bands.len()).unwrap_or(u32::MAX);
            self.bands.extend_from_slice(&sig.bands);
            if let Some(spill) = &mut self.spill {
                for s in &sig.shingles {
                    spill
                        .write_all(&s.to_le_bytes())
                        .map_err(|source| Error::Io {
                            path: "the shingle spill file".into(),
                            source,
                        })?;
                }
                entry.shingles = (self.spilled, sig.shingles.len() as u32);
                self.spilled += 4 * sig.shingles.len() as u64;
            }
        }
        self.entries.push(entry);
        Ok(())
    }

    /// Keeps at most `entries` block entries in memory (tests use small budgets).
    pub fn with_block_budget(mut self, entries: usize) -> Self {
        self.block_budget = entries.max(1);
        self
    }

    /// Moves the block entries in memory to the spill files.
    fn spill_blocks(&mut self) -> Result<(), Error> {
        let io = |source| Error::Io {
            path: "the block spill files".into(),
            source,
        };
        if self.block_spill.is_none() {
            let files = (0..BLOCK_PARTITIONS)
                .map(|_| tempfile::tempfile().map(BufWriter::new))
                .collect::<Result<Vec<_>, _>>()
                .map_err(io)?;
            self.block_spill = Some(files);
        }
        let Some(files) = self.block_spill.as_mut() else {
            return Ok(());
        };
        for &(key, group) in &self.blocks {
            let mut entry = [0u8; 12];
            entry[..8].copy_from_slice(&key.to_le_bytes());
            entry[8..].copy_from_slice(&group.to_le_bytes());
            files[(key >> 58) as usize].write_all(&entry).map_err(io)?;
        }
        self.blocks.clear();
        Ok(())
    }

    /// Counts the documents of each (block, group) in `blocks` and keeps the frequent
    /// ones in `frequent`.
    fn count_blocks(
        &self,
        blocks: &mut [(u64, u32)],
        t: &BlockThresholds,
        frequent: &mut HashMap<(u32, u64), u32>,
        pool: Option<&rayon::ThreadPool>,
    ) {
        match pool {
            Some(pool) => pool.install(|| blocks.par_sort_unstable()),
            None => blocks.par_sort_unstable(),
        }
        for run in blocks.chunk_by(|a, b| a == b) {
            let (key, group) = run[0];
            let docs = run.len() as u32;
            if t.frequent(docs, self.group_docs[group as usize]) {
                frequent.insert((group, key), docs);
            }
        }
    }

    fn name(&self, index: u32) -> String {
        let (at, len) = self.entries[index as usize].name;
        self.names.get(at..at + len).unwrap_or("").to_owned()
    }

    /// Aggregates what was added: frequent blocks per group, duplicate clusters.
    pub fn finish(mut self, pool: Option<&rayon::ThreadPool>) -> Result<Index, Error> {
        let mut index = Index {
            plan: self.plan.clone(),
            ..Index::default()
        };
        for (name, &id) in &self.groups {
            index
                .groups
                .insert(name.clone(), (id, self.group_docs[id as usize]));
        }
        if let Some(t) = self.plan.blocks {
            if self.block_spill.is_some() {
                self.spill_blocks()?;
                self.blocks = Vec::new();
            }
            let mut blocks = std::mem::take(&mut self.blocks);
            self.count_blocks(&mut blocks, &t, &mut index.frequent, pool);
            drop(blocks);
            // Every (key, group) is in one file only: the counts of a file are final.
            let io = |source| Error::Io {
                path: "the block spill files".into(),
                source,
            };
            for spill in self.block_spill.take().unwrap_or_default() {
                let mut file = spill.into_inner().map_err(|e| io(e.into_error()))?;
                file.rewind().map_err(io)?;
                let mut bytes = Vec::new();
                file.read_to_end(&mut bytes).map_err(io)?;
                let mut blocks: Vec<(u64, u32)> = bytes
                    .chunks_exact(12)
                    .map(|c| {
                        let (key, group) = c.split_at(8);
                        let key = key.try_into().map_or(0, u64::from_le_bytes);
                        let group = group.try_into().map_or(0, u32::from_le_bytes);
                        (key, group)
                    })
                    .collect();
                drop(bytes);
                self.count_blocks(&mut blocks, &t, &mut index.frequent, pool);
            }
        }
        if let Some(params) = self.plan.minhash {
            index.duplicates = self.clusters(&params, pool)?;
        }
        Ok(index)
    }

    /// Candidate pairs: documents that share a band key.
    fn candidates(&self, bands: usize) -> Vec<(u32, u32)> {
        let mut pairs = Vec::new();
        let mut bucket: Vec<(u64, u32)> = Vec::new();
        for band in 0..bands {
            bucket.clear();
            for (i, e) in self.entries.iter().enumerate() {
                if e.bands != u32::MAX {
                    bucket.push((self.bands[e.bands as usize + band], i as u32));
                }
            }
            bucket.sort_unstable();
            for run in bucket.chunk_by(|a, b| a.0 == b.0) {
                for (j, &(_, hi)) in run.iter().enumerate().skip(1) {
                    for &(_, lo) in &run[..j.min(BUCKET_PAIRS)] {
                        pairs.push((lo, hi));
                    }
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    }

    /// Reads back the shingle sets of the documents marked in `wanted`.
    fn load_shingles(&mut self, wanted: &[bool]) -> Result<HashMap<u32, Vec<u32>>, Error> {
        let io = |source| Error::Io {
            path: "the shingle spill file".into(),
            source,
        };
        let mut sets = HashMap::new();
        let Some(spill) = self.spill.take() else {
            return Ok(sets);
        };
        let mut file = spill.into_inner().map_err(|e| io(e.into_error()))?;
        file.rewind().map_err(io)?;
        let mut reader = BufReader::with_capacity(1 << 20, file);
        let mut at = 0u64;
        for (i, e) in self.entries.iter().enumerate() {
            if !wanted[i] || e.shingles.1 == 0 {
                continue;
            }
            let (offset, len) = e.shingles;
            reader
                .seek_relative(offset as i64 - at as i64)
                .map_err(io)?;
            let mut bytes = vec![0u8; 4 * len as usize];
            reader.read_exact(&mut bytes).map_err(io)?;
            at = offset + bytes.len() as u64;
            let set = bytes
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            sets.insert(i as u32, set);
        }
        Ok(sets)
    }

    fn clusters(
        &mut self,
        params: &MinHashParams,
        pool: Option<&rayon::ThreadPool>,
    ) -> Result<Duplicates, Error> {
        let pairs = self.candidates(params.bands);
        let mut wanted = vec![false; self.entries.len()];
        for &(a, b) in &pairs {
            wanted[a as usize] = true;
            wanted[b as usize] = true;
        }
        let sets = self.load_shingles(&wanted)?;
        let empty = Vec::new();
        let set = |i: u32| sets.get(&i).unwrap_or(&empty);
        let verified: Vec<bool> = parallel(pool, &pairs, |&(a, b)| {
            minhash::jaccard(set(a), set(b)) >= params.min_similarity
        });
        let mut uf = UnionFind::new(self.entries.len());
        for (i, e) in self.entries.iter().enumerate() {
            uf.union(i as u32, e.rep);
        }
        for (&(a, b), ok) in pairs.iter().zip(verified) {
            if ok {
                uf.union(a, b);
            }
        }
        let mut duplicates = Duplicates::new();
        let mut first_names: HashMap<u32, String> = HashMap::new();
        for i in 0..self.entries.len() as u32 {
            let first = uf.find(i);
            if first == i {
                continue;
            }
            let (rep, first_rep) = (
                self.entries[i as usize].rep,
                self.entries[first as usize].rep,
            );
            let exact = rep == first_rep;
            let similarity = if exact {
                1.0
            } else {
                minhash::jaccard(set(rep), set(first_rep))
            };
            let name = first_names
                .entry(first)
                .or_insert_with(|| self.name(first))
                .clone();
            let e = self.entries[i as usize];
            duplicates
                .entry(self.inputs[e.input as usize].clone())
                .or_default()
                .insert(
                    e.line,
                    Duplicate {
                        first: name,
                        similarity,
                        exact,
                    },
                );
        }
        Ok(duplicates)
    }
}

/// Union-find whose root is always the smallest index of its set: the first document of
/// a cluster, whatever order the unions come in.
struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }

    fn find(&mut self, mut x: u32) -> u32 {
        let mut root = x;
        while self.parent[root as usize] != root {
            root = self.parent[root as usize];
        }
        while self.parent[x as usize] != root {
            let next = self.parent[x as usize];
            self.parent[x as usize] = root;
            x = next;
        }
        root
    }

    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[hi as usize] = lo;
    }
}

/// Pass 1 and the aggregation: the index of `inputs` for the enabled corpus rules.
pub fn build(
    inputs: &[Input],
    read: &ReadOptions,
    plan: Plan,
    pool: Option<&rayon::ThreadPool>,
) -> Result<Index, Error> {
    let signer = Signer::new(plan.clone());
    let mut builder = Builder::new(plan)?;
    sign_all(inputs, read, &signer, pool, &mut |result| match result {
        Ok(sig) => builder.add(&sig),
        // Pass 2 reads the same inputs and reports what cannot be read.
        Err(_) => Ok(()),
    })?;
    builder.finish(pool)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_find_roots_are_the_smallest_member() {
        let mut uf = UnionFind::new(6);
        uf.union(5, 3);
        uf.union(3, 4);
        uf.union(4, 1);
        assert_eq!((uf.find(5), uf.find(3), uf.find(1)), (1, 1, 1));
        assert_eq!(uf.find(2), 2);
    }

    #[test]
    fn block_keys_fold_case_quotes_and_optionally_digits() {
        let mut buf = String::new();
        let key = |t: &str, digits: bool, buf: &mut String| block_key(t, digits, buf);
        assert_eq!(
            key("Share this @internewscast.com", false, &mut buf),
            key("SHARE THIS @internewscast.com.", false, &mut buf)
        );
        assert_ne!(
            key("Updated 3 hours ago", false, &mut buf),
            key("Updated 5 hours ago", false, &mut buf)
        );
        assert_eq!(
            key("Updated 3 hours ago", true, &mut buf),
            key("Updated 5 hours ago", true, &mut buf)
        );
        assert_eq!(key(" … ", false, &mut buf), None);
        assert_eq!(key("},", false, &mut buf), None);
        assert!(key("e", false, &mut buf).is_some());
    }

    /// Signatures of `docs` documents on 3 sites: every document has its site's chrome
    /// block, every fourth one a block of its own site's second kind, and 40 blocks of its
    /// own.
    fn signatures(docs: u32) -> Vec<Signature> {
        (0..docs)
            .map(|i| {
                let site = i % 3;
                let mut blocks: Vec<u64> = (0..40)
                    .map(|b| xxh3_64(&[i, b].map(u32::to_le_bytes).concat()))
                    .collect();
                blocks.push(1_000 + u64::from(site));
                if i % 4 == 0 {
                    blocks.push(u64::MAX - u64::from(site));
                }
                Signature {
                    doc: format!("in.jsonl:{i}"),
                    input: "in.jsonl".into(),
                    line: i + 1,
                    group: Some(format!("site{site}.example")),
                    blocks,
                    exact: None,
                    bands: Vec::new(),
                    shingles: Vec::new(),
                }
            })
            .collect()
    }

    #[test]
    fn block_counts_are_the_same_when_the_blocks_spill_to_disk() {
        let plan = Plan {
            blocks: Some(BlockThresholds {
                min_docs: 5,
                min_ratio: 0.2,
                fold_digits: false,
            }),
            ..Plan::default()
        };
        let index = |budget: usize| {
            let mut builder = Builder::new(plan.clone())
                .expect("a builder")
                .with_block_budget(budget);
            for sig in signatures(300) {
                builder.add(&sig).expect("added");
            }
            let spilled = builder.block_spill.is_some();
            (builder.finish(None).expect("finished").frequent, spilled)
        };
        let (in_memory, spilled) = index(BLOCK_BUDGET);
        assert!(!spilled);
        // Each site's chrome (100 of 100 pages) and second block (25 of 100).
        assert_eq!(in_memory.len(), 6, "{in_memory:?}");
        assert_eq!(in_memory.values().copied().max(), Some(100));
        for budget in [1, 100, 1_000] {
            let (spilled_index, spilled) = index(budget);
            assert!(spilled, "budget {budget}");
            assert_eq!(spilled_index, in_memory, "budget {budget}");
        }
    }
}

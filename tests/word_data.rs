//! The generator of the embedded word data, run as a test so that the checked-in files
//! can never drift from `data/`: `src/words/english.fst` (every English word of SCOWL
//! and the SymSpell frequency list → its frequency class, SCOWL size and case flags).
//!
//! `cargo test --test word_data` fails when a generated file is out of date;
//! `COPYLINT_REGENERATE=1 cargo test --test word_data` rewrites it. The value layout is
//! documented (and decoded) in `src/words/mod.rs`; keep the two in step.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The lookup key of a word: lowercase, with a typographic apostrophe made straight.
/// Must agree with `copylint::words::normalize`.
fn key(word: &str) -> String {
    word.replace('\u{2019}', "'").to_lowercase()
}

#[derive(Debug, Default, Clone, Copy)]
struct Entry {
    /// Smallest SCOWL size the word appears at (10 = most common); 0 if not in SCOWL.
    level: u8,
    /// Deci-Zipf frequency from the SymSpell list: 10 × log10(occurrences per billion
    /// words); 0 if the word is not in that list.
    zipf: u8,
    /// Listed in an all-lowercase form (a common word).
    lower: bool,
    /// Listed in a form with capitals only (a name, `Monday`, an abbreviation).
    capital: bool,
}

const FLAG_LOWER: u64 = 1 << 16;
const FLAG_CAPITAL: u64 = 1 << 17;

impl Entry {
    fn value(self) -> u64 {
        u64::from(self.zipf)
            | (u64::from(self.level) << 8)
            | if self.lower { FLAG_LOWER } else { 0 }
            | if self.capital { FLAG_CAPITAL } else { 0 }
    }
}

fn english_entries() -> BTreeMap<String, Entry> {
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    let dir = root().join("data/scowl/final");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    files.sort();
    for path in files {
        let level: u8 = path
            .extension()
            .and_then(|e| e.to_str())
            .and_then(|e| e.parse().ok())
            .unwrap_or_else(|| panic!("{}: SCOWL lists end in their size", path.display()));
        for word in read(&path).lines().map(str::trim) {
            let k = key(word);
            // Possessives double the list; lookups strip `'s` and a trailing `'` instead.
            if k.is_empty() || k.ends_with("'s") || k.ends_with('\'') {
                continue;
            }
            let e = entries.entry(k).or_default();
            if e.level == 0 || level < e.level {
                e.level = level;
            }
            if word.chars().any(char::is_uppercase) {
                e.capital = true;
            } else {
                e.lower = true;
            }
        }
    }
    let freq = read(&root().join("data/symspell/frequency_dictionary_en_82_765.txt"));
    let rows: Vec<(&str, f64)> = freq
        .lines()
        .filter_map(|line| {
            let (word, count) = line.split_once(' ')?;
            Some((word, count.trim().parse::<f64>().ok()?))
        })
        .collect();
    let total: f64 = rows.iter().map(|(_, c)| c).sum();
    for (word, count) in rows {
        let zipf = (count / total).log10() + 9.0;
        let deci = (zipf * 10.0).round().clamp(1.0, 255.0) as u8;
        let e = entries.entry(key(word)).or_default();
        e.zipf = e.zipf.max(deci);
        if !e.capital {
            e.lower = true;
        }
    }
    entries
}

fn english_fst() -> Vec<u8> {
    let mut builder = fst::MapBuilder::memory();
    for (word, entry) in english_entries() {
        builder
            .insert(word.as_bytes(), entry.value())
            .expect("keys come sorted from a BTreeMap");
    }
    builder.into_inner().expect("fst builds in memory")
}

#[track_caller]
fn check_current(relative: &str, generated: &[u8]) {
    let path = root().join(relative);
    if std::env::var_os("COPYLINT_REGENERATE").is_some() {
        std::fs::write(&path, generated).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let on_disk = std::fs::read(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "{relative} is out of date with data/: run `COPYLINT_REGENERATE=1 cargo test --test word_data`"
    );
}

#[test]
fn the_embedded_word_list_is_current() {
    check_current("src/words/english.fst", &english_fst());
}

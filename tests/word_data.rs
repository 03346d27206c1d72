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

/// A misspelling in typos' table that is safe to flag in English prose.
struct Misspelling {
    typo: String,
    corrections: Vec<String>,
}

/// Corrections must be at least this common (see `english_entries`): misspellings of
/// words people write often, not of identifiers. Spelling mistakes (`Slip::Spelling`)
/// are kept down to `receive` (44); keyboard slips, which typos' table lists by the
/// thousand, only for the most common words (`government` is 56). Together about 5,000
/// entries: a pack of 13,000 took about 50 ms to load on every run.
const MISSPELLING_MIN_ZIPF10: u8 = 44;
const KEYBOARD_SLIP_MIN_ZIPF10: u8 = 56;

/// How a misspelling differs from its correction, if it is one slip that people make
/// in prose: a wrong vowel (`seperate`, `definately`), two letters swapped (`recieve`,
/// `thier`), a letter doubled or undoubled (`untill`, `occured`) or left out
/// (`goverment`). typos' table also has many machine-like variants (`aadded`,
/// `wythout` is a vowel slip but `trnasfer` a swap) — these kinds cover both, and the
/// others (two slips at once, a wrong consonant) are left out.
fn slip(typo: &str, correction: &str) -> Option<Slip> {
    let (t, c) = (typo.as_bytes(), correction.as_bytes());
    let vowel = |b: u8| b"aeiouy".contains(&b);
    if t.len() == c.len() {
        let diff: Vec<usize> = (0..t.len()).filter(|&i| t[i] != c[i]).collect();
        return match diff.as_slice() {
            [i] if vowel(t[*i]) && vowel(c[*i]) => Some(Slip::Spelling),
            [i, j] if *j == i + 1 && t[*i] == c[*j] && t[*j] == c[*i] => {
                // `recieve`, `thier`: i before e. Other swaps are keyboard slips.
                Some(if c[*i..=*j] == *b"ei" || c[*i..=*j] == *b"ie" {
                    Slip::Spelling
                } else {
                    Slip::Keyboard
                })
            }
            _ => None,
        };
    }
    let (long, short) = if t.len() > c.len() { (t, c) } else { (c, t) };
    if long.len() != short.len() + 1 {
        return None;
    }
    let at = (0..long.len()).find(|&i| long[..i] == short[..i] && long[i + 1..] == short[i..])?;
    let doubled = long.get(at + 1) == Some(&long[at]) || (at > 0 && long[at - 1] == long[at]);
    match (t.len() < c.len(), doubled) {
        // `occured`, `untill`: a double letter spelled single, or a single one double.
        (_, true) => Some(Slip::Spelling),
        // `goverment`: a letter left out.
        (true, false) => Some(Slip::Keyboard),
        // `wythoout`: a stray letter.
        (false, false) => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slip {
    /// A wrong vowel, `ie`/`ei`, a double letter spelled single or the reverse.
    Spelling,
    /// Two other letters swapped, or a letter left out.
    Keyboard,
}

fn misspellings() -> Vec<Misspelling> {
    let english = english_entries();
    let excluded: Vec<String> = read(&root().join("data/misspellings-exclude.txt"))
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    let common = |word: &str, min: u8| english.get(word).is_some_and(|e| e.lower && e.zipf >= min);
    let mut out = Vec::new();
    for line in read(&root().join("data/typos/words.csv")).lines() {
        let mut fields = line.split(',');
        let Some(typo) = fields.next() else { continue };
        let corrections: Vec<String> = fields.map(str::to_owned).collect();
        let plain = |w: &str| w.len() >= 4 && w.bytes().all(|b| b.is_ascii_lowercase());
        if !plain(typo)
            || english.contains_key(typo)
            || excluded.iter().any(|e| e == typo)
            || corrections.is_empty()
            || !corrections.iter().all(|c| {
                plain(c)
                    && match slip(typo, c) {
                        Some(Slip::Spelling) => common(c, MISSPELLING_MIN_ZIPF10),
                        Some(Slip::Keyboard) => common(c, KEYBOARD_SLIP_MIN_ZIPF10),
                        None => false,
                    }
            })
        {
            continue;
        }
        out.push(Misspelling {
            typo: typo.to_owned(),
            corrections,
        });
    }
    out
}

fn misspellings_toml() -> String {
    let list = misspellings();
    let mut toml = String::new();
    toml.push_str(&format!(
        r#"# Generated by tests/word_data.rs from data/typos/words.csv (typos-dict 0.14.4,
# MIT OR Apache-2.0, see data/THIRD-PARTY-NOTICES): do not edit by hand. Run
# `COPYLINT_REGENERATE=1 cargo test --test word_data` after changing the data or
# data/misspellings-exclude.txt.
#
# Kept: {count} entries whose misspelling is not a word of copylint's English list
# (SCOWL up to size 80 and the SymSpell frequency list), whose every correction is a
# common English word one human slip away: a spelling mistake (a wrong vowel, ie/ei,
# a letter doubled or undoubled) for words of frequency class >= {min}, a keyboard
# slip (two letters swapped, a letter left out) for class >= {keyboard}; and which
# data/misspellings-exclude.txt does not name (names, foreign words and jargon).

[pack]
name = "misspellings"
description = "Common English misspellings, from typos-dict"
rule = "misspelling"
group = "spelling"
severity = "warning"
summary = "A common misspelling of an English word"
docs = """
## What it does
Flags common misspellings of English words (`recieve`, `occured`, `seperate`,
`definately`, `goverment`): {count} entries taken from the misspelling table of the
`typos` spell checker, kept only when the misspelling is not itself a word of
copylint's English word list and every correction is a common English word one
slip away (a wrong vowel, two letters swapped, a letter doubled, undoubled or left
out). Only
English paragraphs and prose words are checked (not URLs, addresses, handles,
hashtags or code spans); whole words only.

## Why is this bad?
Misspellings make a page look careless and hurt search.

## Example
```text
We will recieve the goverment report.
```
Use instead:
```text
We will receive the government report.
```

## Fix
Replaces the word, keeping its case (`Recieve` → `Receive`): safe when the table has
one correction, unsafe when it has several (the first is applied)."""

[[rule]]
kind = "substitution"
fix = "safe"
prose-only = true
language = "en"
message = "\"{{match}}\" is a misspelling of \"{{replacement}}\""
bad = [
    "We will recieve the report on Monday, the officials said.",
    "The goverment said it was definately going ahead.",
    "It occured to him that the two were seperate.",
]
good = [
    "We will receive the report on Monday, the officials said.",
    "See https://example.com/recieve for the details of the plan.",
    "Das ist nicht der Fall, sagte die Bundesregierung am Mittwoch in Berlin zu den Plänen.",
]

[rule.swap]
"#,
        count = list.len(),
        min = MISSPELLING_MIN_ZIPF10,
        keyboard = KEYBOARD_SLIP_MIN_ZIPF10,
    ));
    for m in list {
        if m.corrections.len() == 1 {
            toml.push_str(&format!("{} = \"{}\"\n", m.typo, m.corrections[0]));
        } else {
            let quoted: Vec<String> = m.corrections.iter().map(|c| format!("\"{c}\"")).collect();
            toml.push_str(&format!("{} = [{}]\n", m.typo, quoted.join(", ")));
        }
    }
    toml
}

#[test]
fn the_misspelling_pack_is_current() {
    check_current("rules/misspellings.toml", misspellings_toml().as_bytes());
}

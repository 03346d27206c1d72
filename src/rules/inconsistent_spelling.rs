//! `inconsistent-spelling`: one word spelled two ways in one document (`U.S.`/`US`,
//! `Nicolás`/`Nicolas`, `e-mail`/`email`, `color`/`colour`), found by grouping the
//! document's words under variant keys.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::declare_rule;
use crate::document::{Document, Span, Token, TokenKind};
use crate::rules::{Applicability, Diagnostic, Edit, Fix, Rule, RuleMeta};
use crate::words::WordShapes;

declare_rule! {
    /// ## What it does
    /// Flags a word that one document spells two ways. Four kinds of variants are
    /// compared:
    /// - **acronyms** with and without periods: `U.S.`, `U.S` and `US`; `C.I.A.` and
    ///   `C.I.A`. Only capital letters count, so the pronoun `us` is never taken for `US`,
    ///   and lines in capitals (headlines) are skipped;
    /// - **diacritics**: `Nicolás` and `Nicolas`, `café` and `cafe`. Capitalised words
    ///   (names) are compared in English text; lowercase words only when SCOWL spells the
    ///   English word with the accent (`café`, `cliché`), so `resume` is never taken for
    ///   `résumé`;
    /// - **hyphenation and spacing**: `e-mail` and `email`; `commander-in-chief` and
    ///   `commander in chief` for compounds of three or four words, unless the hyphens
    ///   join an adjective before a noun (`an up-to-date list` beside `kept up to date`
    ///   is correct). A hyphen and an en dash are the same here: `inconsistent-dash`
    ///   reports those;
    /// - **US and UK spellings** from SCOWL's VarCon: `color` and `colour`, `organize`
    ///   and `organise`, `traveled` and `travelled`, including related forms (`colors`
    ///   beside `colour`). Only pairs that no variety of English uses side by side count
    ///   (`practice` and `practise`, `tire` and `tyre` do not), and capitalised words in
    ///   mid-sentence (`Labour Party`, `Kennedy Center`) are names and not compared.
    ///
    /// The form used less often is flagged, once per document, with the places of its
    /// other occurrences and of the majority's first occurrence as labels and the counts
    /// in the message; on a tie, the form that appears later is flagged. A mixed form
    /// (`commander–in chief`) is never the majority.
    ///
    /// ## Why is this bad?
    /// Articles assembled from several sources (a wire story, captions, a related-links
    /// block) mix house styles, and readers, search and deduplication see two words
    /// where there is one.
    ///
    /// ## Example
    /// ```text
    /// U.S. officials said the talks would go on. US forces stayed at the border.
    /// ```
    /// Use instead:
    /// ```text
    /// U.S. officials said the talks would go on. U.S. forces stayed at the border.
    /// ```
    ///
    /// ## Options
    /// - `prefer` (default `{}`): a house style, preferred form → forms to replace,
    ///   e.g. `prefer = { "U.S." = ["US"], "email" = ["e-mail"] }`. A listed form is
    ///   flagged wherever it appears, whatever the counts.
    /// - `ignore` (default `[]`): forms left out of every comparison (a name that two
    ///   people spell differently).
    /// - `kinds` (default all): which variants to compare, from `"acronym"`,
    ///   `"diacritic"`, `"hyphenation"` and `"us-uk"`.
    ///
    /// ## Fix
    /// Replaces every occurrence of the flagged form with the majority (or preferred)
    /// form. Unsafe: two people can share a name spelled differently, and a quotation
    /// keeps its own spelling.
    name: "inconsistent-spelling",
    group: crate::rules::group::CONSISTENCY,
    severity: Warning,
    fix: Unsafe,
    summary: "The same word spelled two ways in one document (`U.S.`/`US`, `colour`/`color`)",
}

/// A kind of spelling variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Acronym,
    Diacritic,
    Hyphenation,
    UsUk,
}

const ALL_KINDS: [Kind; 4] = [
    Kind::Acronym,
    Kind::Diacritic,
    Kind::Hyphenation,
    Kind::UsUk,
];

#[derive(Debug, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    prefer: BTreeMap<String, Vec<String>>,
    ignore: Vec<String>,
    kinds: Vec<Kind>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            prefer: BTreeMap::new(),
            ignore: Vec::new(),
            kinds: ALL_KINDS.to_vec(),
        }
    }
}

#[derive(Debug)]
pub struct InconsistentSpelling {
    kinds: HashSet<Kind>,
    /// Form (as written, and lowercased) → the house style's form.
    house: HashMap<String, String>,
    ignore: HashSet<String>,
}

impl Default for InconsistentSpelling {
    fn default() -> Self {
        InconsistentSpelling::new(Options::default())
    }
}

impl InconsistentSpelling {
    pub fn new(options: Options) -> Self {
        let mut house = HashMap::new();
        for (preferred, others) in &options.prefer {
            for other in others {
                house.insert(other.clone(), preferred.clone());
            }
        }
        InconsistentSpelling {
            kinds: options.kinds.into_iter().collect(),
            house,
            ignore: options.ignore.into_iter().collect(),
        }
    }
}

impl Rule for InconsistentSpelling {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        // All tokens, not a copy of the words: a document can be one 50 MB line. Each
        // collector skips the tokens that are not words (numbers, URLs, handles).
        let words = doc.tokens();
        if words.is_empty() {
            return;
        }
        let mut groups = Groups::default();
        let english = std::cell::LazyCell::new(|| looks_english(doc, words));
        if self.kinds.contains(&Kind::Acronym) {
            collect_acronyms(doc, words, &mut groups, !self.house.is_empty());
        }
        if self.kinds.contains(&Kind::Diacritic) && has_non_ascii_word(doc, words) && *english {
            collect_diacritics(doc, words, &mut groups);
        }
        if self.kinds.contains(&Kind::Hyphenation) {
            collect_hyphenation(doc, words, &mut groups, || *english);
        }
        if self.kinds.contains(&Kind::UsUk) {
            collect_us_uk(doc, words, &mut groups);
        }
        let mut references = HashMap::new();
        groups.list.retain(|g| {
            g.forms.len() >= 2 || g.forms.iter().any(|f| self.house_form(g.kind, f).is_some())
        });
        for group in &mut groups.list {
            drop_quoted_occurrences(doc, group, &mut references);
            for form in &mut group.forms {
                if let Some(first) = form.occurrences.first() {
                    form.written = doc.slice(first.span).to_owned();
                }
            }
        }
        let mut found = Vec::new();
        for group in &groups.list {
            self.judge(group, &mut found);
        }
        // Spacing variants of overlapping word sequences (`commander in chief`, `the
        // commander in chief`) describe one defect: keep the first.
        found.sort_by_key(|d: &Diagnostic| d.span);
        let mut last_end = 0;
        for d in found {
            if d.span.start < last_end {
                continue;
            }
            last_end = d.span.end;
            out.push(d);
        }
    }
}

// ---- data -------------------------------------------------------------------------

/// `A` (US), `B` (UK -ise), `Z` (UK -ize), `C` (Canada), `D` (Australia) as bits.
type Varieties = u8;

/// FxHash's multiply-rotate: the static tables are looked up once per word of every
/// document, and SipHash cost more than the rest of the rule. Only for the built-in
/// tables, whose keys an input cannot choose; sets built from a document keep SipHash.
#[derive(Debug, Default, Clone, Copy)]
struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            for (w, b) in word.iter_mut().zip(chunk) {
                *w = *b;
            }
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

#[derive(Debug)]
struct VariantWord {
    cluster: u32,
    varieties: Varieties,
    /// Indices into `VariantTable::entries`.
    entries: Vec<u32>,
}

/// The US/UK table generated from VarCon (data/variants/us-uk.txt).
#[derive(Debug)]
struct VariantTable {
    words: HashMap<&'static str, VariantWord, FxBuild>,
    entries: Vec<Vec<(&'static str, Varieties)>>,
    /// The shapes of the table's words: most words of a text have a shape no table word
    /// has, and need no lookup. Length with first and last letter alone let 41% of the
    /// words of English text through; these shapes (2^18 bits, 32 KB) fewer than 10%.
    shapes: WordShapes,
}

impl Default for VariantTable {
    fn default() -> Self {
        VariantTable {
            words: HashMap::default(),
            entries: Vec::new(),
            shapes: WordShapes::new(18),
        }
    }
}

static US_UK: LazyLock<VariantTable> =
    LazyLock::new(|| parse_variant_table(include_str!("../../data/variants/us-uk.txt")));

/// English words that SCOWL spells with diacritics (data/variants/accented.txt).
static ACCENTED: LazyLock<HashSet<&'static str, FxBuild>> = LazyLock::new(|| {
    include_str!("../../data/variants/accented.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
});

fn parse_variant_table(text: &'static str) -> VariantTable {
    let mut table = VariantTable::default();
    let mut cluster = 0u32;
    let mut in_cluster = false;
    for line in text.lines() {
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            if in_cluster {
                cluster += 1;
                in_cluster = false;
            }
            continue;
        }
        in_cluster = true;
        let index = u32::try_from(table.entries.len()).unwrap_or(u32::MAX);
        let mut entry = Vec::new();
        for item in line.split_whitespace() {
            let Some((word, cats)) = item.split_once(':') else {
                continue;
            };
            let varieties = cats.chars().fold(0, |bits, c| {
                bits | match c {
                    'A' => 1,
                    'B' => 2,
                    'Z' => 4,
                    'C' => 8,
                    'D' => 16,
                    _ => 0,
                }
            });
            entry.push((word, varieties));
            let info = table.words.entry(word).or_insert(VariantWord {
                cluster,
                varieties,
                entries: Vec::new(),
            });
            info.entries.push(index);
        }
        table.entries.push(entry);
    }
    for word in table.words.keys() {
        table.shapes.insert(word.as_bytes());
    }
    table
}

// ---- collecting forms --------------------------------------------------------------

/// One place a form occurs.
#[derive(Debug, Clone, Copy)]
struct Occurrence {
    /// What findings and labels point at (an acronym's final period included).
    span: Span,
    /// The word or words, without a final period.
    core: Span,
    /// A period follows `core`; `true` if it also ends the sentence.
    period: Option<bool>,
    /// Capitalised where the form is lowercase (the start of a sentence).
    capitalized: bool,
}

#[derive(Debug)]
struct Form {
    /// As compared: exact for acronyms and names, lowercase for words.
    id: String,
    /// As written by the fix (a hyphen for any dash, lowercase for words).
    text: String,
    /// As the document writes it the first time, for messages.
    written: String,
    occurrences: Vec<Occurrence>,
    /// For US/UK words: the varieties of English that use this spelling.
    varieties: Varieties,
    /// A form that mixes hyphens and spaces (`commander–in chief`) is never the majority.
    mixed: bool,
}

#[derive(Debug)]
struct Group {
    kind: Kind,
    forms: Vec<Form>,
    /// Hyphenated adjectives before nouns (`up-to-date list`): not a spelling variant.
    attributive: bool,
}

/// Groups in order of first appearance, by (kind, key).
#[derive(Debug, Default)]
struct Groups {
    list: Vec<Group>,
    /// Per kind, key → index into `list`; looked up by `&str`, so that a word seen
    /// again (most occurrences) allocates nothing.
    index: HashMap<Kind, HashMap<String, usize>>,
}

impl Groups {
    fn add(&mut self, kind: Kind, key: &str, id: &str, text: &str, occ: Occurrence) -> usize {
        let index = self.index.entry(kind).or_default();
        let g = match index.get(key) {
            Some(&g) => g,
            None => {
                self.list.push(Group {
                    kind,
                    forms: Vec::new(),
                    attributive: false,
                });
                index.insert(key.to_owned(), self.list.len() - 1);
                self.list.len() - 1
            }
        };
        let Some(group) = self.list.get_mut(g) else {
            return g;
        };
        match group.forms.iter_mut().find(|f| f.id == id) {
            Some(form) => form.occurrences.push(occ),
            None => group.forms.push(Form {
                id: id.to_owned(),
                text: text.to_owned(),
                written: String::new(),
                occurrences: vec![occ],
                varieties: 0,
                mixed: false,
            }),
        }
        g
    }
}

fn occurrence(span: Span) -> Occurrence {
    Occurrence {
        span,
        core: span,
        period: None,
        capitalized: false,
    }
}

/// A word without a possessive `’s` or `'s`.
fn stem(word: &str) -> &str {
    word.strip_suffix("’s")
        .or_else(|| word.strip_suffix("'s"))
        .unwrap_or(word)
}

fn is_capitalized(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
}

fn is_all_caps(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !word.chars().any(char::is_lowercase)
}

fn char_after(doc: &Document, offset: usize) -> Option<char> {
    doc.text().get(offset..).and_then(|s| s.chars().next())
}

/// Capitalised words that start a sentence; with a period after an abbreviation this
/// tells a full stop from the abbreviation's own period.
const SENTENCE_STARTERS: &[&str] = &[
    "The", "It", "He", "She", "We", "They", "But", "And", "In", "This", "That", "A", "An", "I",
    "There", "On", "At", "As", "If", "When", "So", "Its", "His", "Her", "Their",
];

/// Whether the period at `offset` ends the sentence: the end of the line, closing
/// quotes or brackets and then the end of the line, or a sentence starter after it.
fn period_ends_sentence(doc: &Document, offset: usize) -> bool {
    // Look only at the next few characters: lines of scraped text can be megabytes long.
    let rest = doc.text().get(offset + 1..).unwrap_or("");
    let rest = rest.trim_start_matches(['"', '”', '’', '\'', ')', ']']);
    let next = rest.trim_start_matches(|c: char| c != '\n' && c.is_whitespace());
    if next.is_empty() || next.starts_with(['\n', '\r']) {
        return true;
    }
    if next.len() == rest.len() {
        return false;
    }
    let word = next
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    SENTENCE_STARTERS.contains(&word)
}

// Acronyms ---------------------------------------------------------------------------

/// `U.S` (the tokenizer leaves the final period out), `C.I.A`, `J.D`: capital letters
/// each followed by a period, the last one maybe without. Returns the letters.
fn dotted_letters(word: &str) -> Option<String> {
    let mut letters = String::new();
    let mut expect_letter = true;
    for c in word.chars() {
        if expect_letter && c.is_uppercase() {
            letters.push(c);
            expect_letter = false;
        } else if !expect_letter && c == '.' {
            expect_letter = true;
        } else {
            return None;
        }
    }
    (letters.chars().count() >= 2 && !expect_letter).then_some(letters)
}

fn plain_acronym(word: &str) -> bool {
    word.len() >= 2 && word.chars().all(char::is_uppercase) && word.chars().count() <= 6
}

/// Lines mostly in capitals are headlines, where `US` may be the pronoun.
fn caps_line(doc: &Document, offset: usize, cache: &mut HashMap<usize, bool>) -> bool {
    let line = doc.line_of(offset);
    *cache.entry(line).or_insert_with(|| {
        let text = doc.line(line).map_or("", |l| l.text);
        // One pass, without decoding ASCII: a line can be a whole long paragraph.
        let (mut upper, mut lower) = (0usize, 0usize);
        let mut rest = text;
        while !rest.is_empty() {
            let ascii = rest
                .bytes()
                .position(|b| !b.is_ascii())
                .unwrap_or(rest.len());
            let (run, tail) = rest.split_at(ascii);
            for b in run.bytes() {
                upper += usize::from(b.is_ascii_uppercase());
                lower += usize::from(b.is_ascii_lowercase());
            }
            let mut chars = tail.chars();
            if let Some(c) = chars.next() {
                upper += usize::from(c.is_uppercase());
                lower += usize::from(c.is_lowercase());
            }
            rest = chars.as_str();
        }
        lower * 7 < (upper + lower) * 3
    })
}

/// `all_plain`: keep acronyms that never appear with periods too (a house style may
/// name them); otherwise only keys written with periods somewhere are compared.
fn collect_acronyms(doc: &Document, words: &[Token], groups: &mut Groups, all_plain: bool) {
    let mut caps_cache = HashMap::new();
    let mut pending: Vec<(String, String, Occurrence)> = Vec::new();
    for t in words.iter().filter(|t| t.kind == TokenKind::Word) {
        let word = doc.slice(t.span);
        // Both kinds start with a capital; most words do not.
        if !word.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        let after = char_after(doc, t.span.end);
        let period = (after == Some('.')).then(|| period_ends_sentence(doc, t.span.end));
        let dotted = word.as_bytes().get(1) == Some(&b'.');
        if let Some(letters) = dotted.then(|| dotted_letters(word)).flatten() {
            if letters.chars().count() > 6 {
                continue;
            }
            let (text, span) = match period {
                Some(_) => (format!("{word}."), Span::new(t.span.start, t.span.end + 1)),
                None => (word.to_owned(), t.span),
            };
            pending.push((
                letters,
                text,
                Occurrence {
                    span,
                    core: t.span,
                    period,
                    capitalized: false,
                },
            ));
        } else if plain_acronym(word)
            && after != Some('$')
            && !caps_line(doc, t.span.start, &mut caps_cache)
        {
            pending.push((
                word.to_owned(),
                word.to_owned(),
                Occurrence {
                    span: t.span,
                    core: t.span,
                    period,
                    capitalized: false,
                },
            ));
        }
    }
    let dotted: HashSet<String> = pending
        .iter()
        .filter(|(_, text, _)| text.contains('.'))
        .map(|(key, _, _)| key.clone())
        .collect();
    for (key, text, occ) in pending {
        if all_plain || dotted.contains(&key) {
            groups.add(Kind::Acronym, &key, &text, &text, occ);
        }
    }
}

// Diacritics -------------------------------------------------------------------------

fn without_diacritics(word: &str) -> String {
    word.nfd().filter(|&c| !is_combining_mark(c)).collect()
}

/// Whether removing diacritics may change `word`: it has a non-ASCII character other
/// than a curly apostrophe (`it’s`, most non-ASCII words of English text), which has
/// neither a decomposition nor is a combining mark.
fn may_have_diacritics(word: &str) -> bool {
    !word.is_ascii() && word.chars().any(|c| !c.is_ascii() && c != '’' && c != '‘')
}

fn has_non_ascii_word(doc: &Document, words: &[Token]) -> bool {
    words
        .iter()
        .any(|t| t.kind == TokenKind::Word && may_have_diacritics(doc.slice(t.span)))
}

/// `word` lowercased: in `buf` when it is ASCII and fits, else allocated.
fn lowercase<'a>(word: &str, buf: &'a mut [u8; 64]) -> Cow<'a, str> {
    let bytes = word.as_bytes();
    if bytes.is_ascii()
        && let Some(out) = buf.get_mut(..bytes.len())
    {
        for (b, c) in out.iter_mut().zip(bytes) {
            *b = c.to_ascii_lowercase();
        }
        if let Ok(lower) = std::str::from_utf8(out) {
            return Cow::Borrowed(lower);
        }
    }
    Cow::Owned(word.to_lowercase())
}

fn collect_diacritics(doc: &Document, words: &[Token], groups: &mut Groups) {
    let mut keys: HashSet<String> = HashSet::new();
    for t in words.iter().filter(|t| t.kind == TokenKind::Word) {
        let word = stem(doc.slice(t.span));
        if !may_have_diacritics(word) {
            continue;
        }
        let folded = without_diacritics(word);
        if folded == word {
            continue;
        }
        let eligible = if is_all_caps(word) {
            false
        } else if is_capitalized(word) {
            true
        } else {
            ACCENTED.contains(word.to_lowercase().as_str())
        };
        if eligible {
            keys.insert(folded.clone());
            let span = Span::new(t.span.start, t.span.start + word.len());
            groups.add(Kind::Diacritic, &folded, word, word, occurrence(span));
        }
    }
    if keys.is_empty() {
        return;
    }
    // `Hôtel de Crillon` beside `Hotel`: when the plain form is also a lowercase word of
    // the document (`hotel`), the capitalised plain form is that word in a name or at
    // the start of a sentence, and the accented one a foreign word; not a variant.
    let lower_keys: HashSet<String> = keys.iter().map(|k| k.to_lowercase()).collect();
    let mut lowercase_words: HashSet<&str> = HashSet::new();
    let mut plain: Vec<(Span, &str)> = Vec::new();
    for t in words.iter().filter(|t| t.kind == TokenKind::Word) {
        let word = stem(doc.slice(t.span));
        if keys.contains(word) {
            plain.push((Span::new(t.span.start, t.span.start + word.len()), word));
        } else if word.starts_with(char::is_lowercase) && lower_keys.contains(word) {
            lowercase_words.insert(word);
        }
    }
    for (span, word) in plain {
        let common = word.starts_with(char::is_uppercase)
            && lowercase_words.contains(word.to_lowercase().as_str());
        if !common {
            groups.add(Kind::Diacritic, word, word, word, occurrence(span));
        }
    }
}

// Hyphenation and spacing ------------------------------------------------------------

fn is_hyphen(c: char) -> bool {
    // Hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash, minus: the ways
    // scraped text joins a compound. Em dashes separate clauses instead.
    matches!(
        c,
        '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}'
    )
}

/// Closed-class words: a compound is not extended over them, and a hyphenated
/// compound followed by anything else is an adjective before its noun.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "with", "by",
    "from", "as", "into", "onto", "about", "after", "before", "over", "under", "than", "that",
    "this", "these", "those", "who", "whom", "which", "what", "is", "are", "was", "were", "be",
    "been", "being", "has", "have", "had", "do", "does", "did", "will", "would", "can", "could",
    "shall", "should", "may", "might", "must", "said", "says", "his", "her", "its", "their", "our",
    "your", "my", "he", "she", "it", "they", "we", "you", "i", "not", "also", "if", "so", "when",
    "while", "where", "there", "then", "because", "since", "until", "during", "between", "against",
    "both", "all", "each", "every", "some", "any", "no", "more", "most", "very", "too", "just",
    "only", "even", "up", "out", "off", "down",
];

fn is_function_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    FUNCTION_WORDS.contains(&lower.as_str())
}

/// How two adjacent word tokens are joined: by one hyphen-like character, one space,
/// or otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Joint {
    Hyphen,
    Space,
    Other,
}

fn joint(doc: &Document, a: Token, b: Token) -> Joint {
    if a.kind != TokenKind::Word || b.kind != TokenKind::Word {
        return Joint::Other;
    }
    // Called for every pair of words: decide on the bytes, decode only a 3-byte dash.
    let gap = b.span.start.saturating_sub(a.span.end);
    match (gap, doc.text().as_bytes().get(a.span.end)) {
        (1, Some(b' ')) => Joint::Space,
        (1, Some(b'-')) => Joint::Hyphen,
        (3, Some(0xE2)) => {
            let between = doc.text().get(a.span.end..b.span.start).unwrap_or("");
            if between.chars().next().is_some_and(is_hyphen) {
                Joint::Hyphen
            } else {
                Joint::Other
            }
        }
        _ => Joint::Other,
    }
}

fn all_letters(word: &str) -> bool {
    !word.is_empty() && word.chars().all(char::is_alphabetic)
}

/// A capitalised word in mid-sentence, or one that starts a run of capitalised words:
/// part of a name or a title (`Fullstack Academy`, `Easy Bed-Time Storage`, `Endgame
/// Gear`, `Authorization Boost`), which keeps its own spelling. `end` is where the
/// word (or the compound it starts) ends.
fn in_name(doc: &Document, t: &Token, end: usize) -> bool {
    doc.slice(t.span).starts_with(char::is_uppercase)
        && (!starts_sentence(doc, t) || followed_by_capitalized(doc, end))
}

fn followed_by_capitalized(doc: &Document, end: usize) -> bool {
    let rest = doc.text().get(end..).unwrap_or("");
    rest.strip_prefix(' ').is_some_and(|r| {
        let word: &str = r.split(|c: char| !c.is_alphabetic()).next().unwrap_or("");
        is_capitalized(word)
    })
}

fn collect_hyphenation(
    doc: &Document,
    words: &[Token],
    groups: &mut Groups,
    english: impl FnOnce() -> bool,
) {
    // Hyphenated chains of 2–4 words (`e-mail`, `commander-in-chief`), as token ranges.
    let mut chains: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut j = i;
        while let (Some(&a), Some(&b)) = (words.get(j), words.get(j + 1)) {
            let linked = joint(doc, a, b) == Joint::Hyphen
                && all_letters(doc.slice(a.span))
                && all_letters(stem(doc.slice(b.span)));
            if !linked {
                break;
            }
            j += 1;
        }
        // `--vault-password-file`, `spring-boot-*.jar`: code, not prose.
        let code = || {
            words.get(i).is_some_and(|t| {
                doc.text()
                    .get(..t.span.start)
                    .and_then(|s| s.chars().next_back())
                    .is_some_and(|c| {
                        matches!(c, '-' | '_' | '/' | '.' | '\\' | '@' | '#' | '=' | '<')
                    })
            }) || words.get(j).is_some_and(|t| {
                char_after(doc, t.span.end)
                    .is_some_and(|c| matches!(c, '-' | '_' | '/' | '=' | '>' | '('))
            })
        };
        if j > i && j - i < 4 && !code() {
            chains.push((i, j + 1));
        }
        i = j + 1;
    }
    if chains.is_empty() || !english() {
        return;
    }
    let lower = |t: &Token| stem(doc.slice(t.span)).to_lowercase();
    let end_of = |t: &Token| t.span.start + stem(doc.slice(t.span)).len();
    let mut in_chain = vec![false; words.len()];
    for &(a, b) in &chains {
        for flag in in_chain.get_mut(a..b).into_iter().flatten() {
            *flag = true;
        }
    }
    let in_chain = |k: usize| in_chain.get(k).copied().unwrap_or(false);

    // Closed forms: `email` beside `e-mail`. A form right after `to` or a modal is a
    // phrasal verb (`to set-up your node`, `to mockup a UI`) beside the noun (`setup`):
    // a misused hyphen, but not a spelling variant. `listAppend` and `zscores` are code.
    let after_verb_cue = |k: usize| {
        k.checked_sub(1)
            .and_then(|p| words.get(p))
            .is_some_and(|p| {
                let w = doc.slice(p.span).to_lowercase();
                VERB_CUES.contains(&w.as_str()) || w.ends_with("n't") || w.ends_with("n’t")
            })
    };
    let mut closed: HashSet<String> = HashSet::new();
    for &(a, b) in &chains {
        let (Some(parts), Some(first), Some(last)) = (
            words.get(a..b),
            words.get(a),
            b.checked_sub(1).and_then(|l| words.get(l)),
        ) else {
            continue;
        };
        // `re-sign` is not `resign`, nor `per-form` `perform`.
        let different_word = matches!(lower(first).as_str(), "re" | "per");
        if b - a != 2 || different_word || in_name(doc, first, last.span.end) || after_verb_cue(a) {
            continue;
        }
        let key: String = parts.iter().map(lower).collect();
        let span = Span::new(first.span.start, end_of(last));
        let text = hyphenated_text(doc, parts);
        groups.add(
            Kind::Hyphenation,
            &format!("closed:{key}"),
            &text.to_lowercase(),
            &text,
            Occurrence {
                capitalized: doc.slice(span).starts_with(char::is_uppercase),
                ..occurrence(span)
            },
        );
        closed.insert(key);
    }
    // Most words are shorter or longer than every closed key: skip them unhashed.
    let lengths: u64 = closed.iter().fold(0, |bits, k| bits | length_bit(k.len()));
    // And ASCII words by their shape (first two and last two letters).
    let mut shapes = WordShapes::new(10);
    for k in closed.iter().filter(|k| k.is_ascii()) {
        shapes.insert(k.as_bytes());
    }
    let mut buf = [0u8; 64];
    for (k, t) in words.iter().enumerate() {
        if in_chain(k) || t.kind != TokenKind::Word {
            continue;
        }
        let word = stem(doc.slice(t.span));
        if lengths & length_bit(word.len()) == 0 {
            continue;
        }
        if word.is_ascii() && !shapes.may_contain(word.as_bytes()) {
            continue;
        }
        let key = lowercase(word, &mut buf);
        if closed.contains(key.as_ref())
            && !in_name(doc, t, t.span.end)
            && !after_verb_cue(k)
            && !camel_case(word)
        {
            groups.add(
                Kind::Hyphenation,
                &format!("closed:{key}"),
                &key,
                word,
                Occurrence {
                    capitalized: word.starts_with(char::is_uppercase),
                    ..occurrence(Span::new(t.span.start, end_of(t)))
                },
            );
        }
    }

    // Spacing: `commander-in-chief` beside `commander in chief`, for 3–4 words. The
    // chain is extended over a neighbouring content word joined by a space, so that
    // `commander–in chief` is compared too.
    let content = |t: &Token| {
        let w = stem(doc.slice(t.span));
        all_letters(w) && !is_function_word(w)
    };
    let mut candidates: HashSet<Vec<String>> = HashSet::new();
    for &(a, b) in &chains {
        // A chain that starts or ends with a function word is a fragment of a longer
        // compound (`commander–in chief`): extend it over the content word beside it.
        let edge_function = |k: usize| {
            words
                .get(k)
                .is_some_and(|t| is_function_word(doc.slice(t.span)))
        };
        let left = edge_function(a)
            && a.checked_sub(1)
                .filter(|&l| !in_chain(l))
                .and_then(|l| Some((words.get(l)?, words.get(a)?)))
                .is_some_and(|(x, y)| joint(doc, *x, *y) == Joint::Space && content(x));
        let right = b.checked_sub(1).is_some_and(edge_function)
            && !in_chain(b)
            && b.checked_sub(1)
                .and_then(|l| Some((words.get(l)?, words.get(b)?)))
                .is_some_and(|(x, y)| joint(doc, *x, *y) == Joint::Space && content(y));
        let from = if left { a - 1 } else { a };
        let to = if right { b + 1 } else { b };
        if (3..=4).contains(&(to - from))
            && let Some(parts) = words.get(from..to)
        {
            candidates.insert(parts.iter().map(lower).collect());
        }
    }
    if candidates.is_empty() {
        return;
    }
    let firsts: HashSet<&str> = candidates
        .iter()
        .filter_map(|c| c.first().map(String::as_str))
        .collect();
    // Rule most words out by their length before lowercasing them (ASCII words only:
    // lowercasing keeps their length).
    let first_lengths: u64 = firsts.iter().fold(0, |bits, k| bits | length_bit(k.len()));
    for start in 0..words.len() {
        let Some(first) = words.get(start) else {
            continue;
        };
        let word = stem(doc.slice(first.span));
        if (word.is_ascii() && first_lengths & length_bit(word.len()) == 0)
            || !firsts.contains(lowercase(word, &mut buf).as_ref())
            || in_name(doc, first, first.span.end)
        {
            continue;
        }
        for len in 3..=4 {
            let Some(parts) = words.get(start..start + len) else {
                break;
            };
            let joints: Vec<Joint> = parts.windows(2).map(|w| joint(doc, w[0], w[1])).collect();
            if joints.contains(&Joint::Other) {
                break;
            }
            let key: Vec<String> = parts.iter().map(lower).collect();
            if !candidates.contains(&key) {
                continue;
            }
            let (Some(&head), Some(&last)) = (parts.first(), parts.last()) else {
                break;
            };
            let span = Span::new(head.span.start, end_of(&last));
            let text = spaced_text(doc, parts, &joints);
            let id = text.to_lowercase();
            let mixed = joints.contains(&Joint::Hyphen) && joints.contains(&Joint::Space);
            let g = groups.add(
                Kind::Hyphenation,
                &format!("spaced:{}", key.join(" ")),
                &id,
                &text,
                Occurrence {
                    capitalized: doc.slice(span).starts_with(char::is_uppercase),
                    ..occurrence(span)
                },
            );
            let attributive = joints.contains(&Joint::Hyphen)
                && stem(doc.slice(last.span)).len() == doc.slice(last.span).len()
                && words.get(start + len).is_some_and(|next| {
                    joint(doc, last, *next) == Joint::Space
                        && !is_function_word(doc.slice(next.span))
                });
            if let Some(group) = groups.list.get_mut(g) {
                group.attributive |= attributive;
                if let Some(form) = group.forms.iter_mut().find(|f| f.id == id) {
                    form.mixed = mixed;
                }
            }
        }
    }
}

/// Bit `len` of a mask of word lengths (0 beyond 63): a word whose length no key has is
/// ruled out before it is lowercased.
fn length_bit(len: usize) -> u64 {
    u32::try_from(len)
        .ok()
        .and_then(|n| 1u64.checked_shl(n))
        .unwrap_or(0)
}

/// Words before which a compound is a verb.
const VERB_CUES: &[&str] = &[
    "to", "will", "would", "can", "could", "should", "must", "may", "might", "shall", "really",
    "please", "let's", "let’s",
];

/// `listAppend`, `LoadBalancer`: an identifier or a brand. `eBike` and `iPhone` are words.
fn camel_case(word: &str) -> bool {
    word.chars().skip(2).any(char::is_uppercase)
}

fn hyphenated_text(doc: &Document, parts: &[Token]) -> String {
    let words: Vec<&str> = parts.iter().map(|t| stem(doc.slice(t.span))).collect();
    words.join("-")
}

fn spaced_text(doc: &Document, parts: &[Token], joints: &[Joint]) -> String {
    let mut s = String::new();
    for (k, t) in parts.iter().enumerate() {
        if k > 0 {
            s.push(if joints.get(k - 1) == Some(&Joint::Hyphen) {
                '-'
            } else {
                ' '
            });
        }
        s.push_str(stem(doc.slice(t.span)));
    }
    s
}

// US/UK ------------------------------------------------------------------------------

/// Whether the token starts a sentence: only opening quotes or brackets between it and
/// the start of the line or a sentence-ending mark.
fn starts_sentence(doc: &Document, t: &Token) -> bool {
    let line = doc.line_of(t.span.start);
    let start = doc.line(line).map_or(0, |l| l.span.start);
    let before = doc.text().get(start..t.span.start).unwrap_or("");
    let before = before.trim_end_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '"' | '“' | '‘' | '\'' | '(' | '[' | '—' | '–' | '-' | '•' | '*'
            )
    });
    before.is_empty() || before.ends_with(['.', '!', '?', ':'])
}

fn collect_us_uk(doc: &Document, words: &[Token], groups: &mut Groups) {
    let table = &*US_UK;
    let mut buf = [0u8; 32];
    let mut cluster = String::new();
    for t in words.iter().filter(|t| t.kind == TokenKind::Word) {
        let word = stem(doc.slice(t.span));
        let bytes = word.as_bytes();
        if bytes.len() < 3 || bytes.len() > buf.len() {
            continue;
        }
        // Letters only, capitalised at most; lowercased in the same pass.
        let mut plain = true;
        for (k, (b, &c)) in buf.iter_mut().zip(bytes).enumerate() {
            if !c.is_ascii_alphabetic() || (k > 0 && c.is_ascii_uppercase()) {
                plain = false;
                break;
            }
            *b = c.to_ascii_lowercase();
        }
        if !plain {
            continue;
        }
        let capitalized = bytes.first().is_some_and(u8::is_ascii_uppercase);
        let Some(lower) = buf.get(..bytes.len()) else {
            continue;
        };
        if !table.shapes.may_contain(lower) {
            continue;
        }
        let Ok(key) = std::str::from_utf8(lower) else {
            continue;
        };
        let Some((&key, info)) = table.words.get_key_value(key) else {
            continue;
        };
        // A capitalised word counts at the start of a sentence, not inside a name.
        if capitalized && in_name(doc, t, t.span.end) {
            continue;
        }
        let span = Span::new(t.span.start, t.span.start + word.len());
        cluster.clear();
        let _ = write!(cluster, "{}", info.cluster);
        let g = groups.add(
            Kind::UsUk,
            &cluster,
            key,
            key,
            Occurrence {
                capitalized,
                ..occurrence(span)
            },
        );
        if let Some(form) = groups
            .list
            .get_mut(g)
            .and_then(|g| g.forms.iter_mut().find(|f| f.id == key))
        {
            form.varieties = info.varieties;
        }
    }
}

/// The spelling of `word`'s VarCon entry used by `varieties`.
fn us_uk_counterpart(word: &str, varieties: Varieties) -> Option<&'static str> {
    let table = &*US_UK;
    let info = table.words.get(word)?;
    info.entries
        .iter()
        .filter_map(|&e| table.entries.get(e as usize))
        .flatten()
        .find(|&&(w, v)| w != word && v & varieties != 0)
        .map(|&(w, _)| w)
}

// ---- occurrences that do not count ---------------------------------------------------

/// Lines of a reference list quote titles as they were published (`A randomised
/// controlled trial`, `Dating initial Maori environmental impact`).
static REFERENCE_LINE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        // ASCII word boundaries keep this on the DFA: the words are ASCII anyway.
        r"(?i-u)\bdoi\b|doi\.org|\bpmid\b|\bretrieved\b|\bet al\b|\bisbn\b|crossref|medline|google scholar|\bproceedings\b|\bjournal\b|\bvol\.|\bpp\.|^\s*\^|\(\d{4}[a-z]?\)\.",
    )
    .expect("built-in reference regex is valid")
});

/// A line of code, a shell session or markup (`$ brew install spring-boot`, `>>> from
/// functools import singledispatch`, `@prefix pplan: <…>`): identifiers are not words.
fn is_code_line(line: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "$ ",
        ">>> ",
        "... ",
        "@prefix",
        "import ",
        "from ",
        "def ",
        "class ",
        "#!",
        "<?",
        "</",
        "function ",
        "const ",
        "var ",
        "let ",
        "#include",
        "//",
        "/*",
    ];
    let trimmed = line.trim_start();
    if PREFIXES.iter().any(|p| trimmed.starts_with(p)) {
        return true;
    }
    let mut symbols = 0usize;
    let mut visible = 0usize;
    for c in trimmed.chars().filter(|c| !c.is_whitespace()) {
        visible += 1;
        symbols += usize::from(matches!(
            c,
            '{' | '}' | '(' | ')' | ';' | '=' | '<' | '>' | '$' | '@' | '|' | '%'
        ));
    }
    symbols >= 3 && symbols * 100 >= visible * 8
}

/// Lines whose words are not the document's own prose: reference lists and code.
fn is_quoted_line(doc: &Document, offset: usize, cache: &mut HashMap<usize, bool>) -> bool {
    let line = doc.line_of(offset);
    *cache.entry(line).or_insert_with(|| {
        doc.line(line)
            .is_some_and(|l| REFERENCE_LINE.is_match(l.text) || is_code_line(l.text))
    })
}

/// Two forms side by side as alternatives: `“LLC” or “L.L.C.”`, `e-mail (email)`,
/// `colour/color`.
fn alternatives(doc: &Document, a: Span, b: Span) -> bool {
    if b.start < a.end || b.start - a.end > 12 {
        return false;
    }
    let between = doc.text().get(a.end..b.start).unwrap_or("");
    let words: String = between
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    matches!(words.as_str(), "or" | "aka")
        || (words.is_empty() && between.contains(['/', '(', '“', '”', '"', '‘', '’']))
}

/// Removes occurrences in reference lists and code and those that cite two forms as
/// alternatives, then forms left without occurrences.
fn drop_quoted_occurrences(
    doc: &Document,
    group: &mut Group,
    references: &mut HashMap<usize, bool>,
) {
    for form in &mut group.forms {
        form.occurrences
            .retain(|o| !is_quoted_line(doc, o.span.start, references));
    }
    let mut all: Vec<(Span, usize)> = group
        .forms
        .iter()
        .enumerate()
        .flat_map(|(f, form)| form.occurrences.iter().map(move |o| (o.span, f)))
        .collect();
    if group.forms.len() >= 2 {
        all.sort();
        let mut cited: HashSet<Span> = HashSet::new();
        for pair in all.windows(2) {
            let [(a, fa), (b, fb)] = pair else { continue };
            if fa != fb && alternatives(doc, *a, *b) {
                cited.insert(*a);
                cited.insert(*b);
            }
        }
        for form in &mut group.forms {
            form.occurrences.retain(|o| !cited.contains(&o.span));
        }
    }
    group.forms.retain(|f| !f.occurrences.is_empty());
}

// ---- English ------------------------------------------------------------------------

/// Diacritic and hyphenation variants are compared in English text only: German
/// capitalises nouns (`Vater`/`Väter`), and `E-Mail` is not `Email` there.
fn looks_english(doc: &Document, words: &[Token]) -> bool {
    let mut total = 0usize;
    let mut common = 0usize;
    for t in words.iter().filter(|t| t.kind == TokenKind::Word).take(600) {
        total += 1;
        let w = doc.slice(t.span).as_bytes();
        if w.len() > 5 {
            continue;
        }
        let mut buf = [0u8; 5];
        for (b, c) in buf.iter_mut().zip(w) {
            *b = c.to_ascii_lowercase();
        }
        let is_common = matches!(
            buf.get(..w.len()).unwrap_or(&[]),
            b"the"
                | b"and"
                | b"of"
                | b"to"
                | b"in"
                | b"is"
                | b"that"
                | b"for"
                | b"it"
                | b"was"
                | b"on"
                | b"with"
                | b"as"
                | b"are"
                | b"by"
                | b"this"
                | b"be"
                | b"at"
                | b"from"
                | b"have"
                | b"has"
                | b"not"
                | b"but"
                | b"or"
                | b"an"
                | b"they"
                | b"he"
                | b"she"
                | b"we"
                | b"you"
                | b"his"
                | b"her"
                | b"their"
                | b"will"
                | b"said"
                | b"were"
                | b"been"
                | b"which"
        );
        common += usize::from(is_common);
    }
    total > 0 && common * 100 >= total * 12
}

// ---- judging ------------------------------------------------------------------------

fn times(n: usize) -> String {
    match n {
        1 => "once".to_owned(),
        2 => "twice".to_owned(),
        n => format!("{n} times"),
    }
}

/// At most this many "again" labels per finding; the message has the count.
const MAX_AGAIN_LABELS: usize = 10;

impl InconsistentSpelling {
    fn house_form(&self, kind: Kind, form: &Form) -> Option<&str> {
        self.house
            .get(&form.text)
            .or_else(|| match kind {
                Kind::Hyphenation | Kind::UsUk => self.house.get(&form.id),
                Kind::Acronym | Kind::Diacritic => None,
            })
            .map(String::as_str)
    }

    fn ignored(&self, form: &Form) -> bool {
        self.ignore.contains(&form.text) || self.ignore.contains(&form.id)
    }

    fn judge(&self, group: &Group, out: &mut Vec<Diagnostic>) {
        if group.attributive {
            return;
        }
        let forms: Vec<&Form> = group.forms.iter().filter(|f| !self.ignored(f)).collect();
        let mut rest: Vec<&Form> = Vec::new();
        for form in forms {
            match self.house_form(group.kind, form) {
                Some(preferred) if preferred != form.text => {
                    let target = group.forms.iter().find(|f| f.text == preferred);
                    out.push(self.finding(form, preferred, target, None));
                }
                _ => rest.push(form),
            }
        }
        if rest.len() < 2 {
            return;
        }
        let first = |f: &&Form| f.occurrences.first().map_or(usize::MAX, |o| o.span.start);
        if group.kind == Kind::UsUk {
            self.judge_us_uk(&rest, out);
            return;
        }
        let Some(majority) = rest
            .iter()
            .filter(|f| !f.mixed)
            .max_by_key(|f| (f.occurrences.len(), std::cmp::Reverse(first(f))))
            .copied()
        else {
            return;
        };
        for form in rest {
            if form.id != majority.id {
                out.push(self.finding(
                    form,
                    &majority.text,
                    Some(majority),
                    Some(majority.occurrences.len()),
                ));
            }
        }
    }

    fn judge_us_uk(&self, forms: &[&Form], out: &mut Vec<Diagnostic>) {
        // Count by spelling system: `colours` and `colour` both vote for British.
        let mut votes: Vec<(Varieties, usize, usize)> = Vec::new(); // varieties, count, first
        for f in forms {
            let first = f.occurrences.first().map_or(usize::MAX, |o| o.span.start);
            match votes.iter_mut().find(|(v, _, _)| *v == f.varieties) {
                Some(vote) => {
                    vote.1 += f.occurrences.len();
                    vote.2 = vote.2.min(first);
                }
                None => votes.push((f.varieties, f.occurrences.len(), first)),
            }
        }
        let Some(&(winner, _, _)) = votes
            .iter()
            .max_by_key(|(_, count, first)| (*count, std::cmp::Reverse(*first)))
        else {
            return;
        };
        let majority: Vec<&&Form> = forms.iter().filter(|f| f.varieties & winner != 0).collect();
        let count: usize = majority.iter().map(|f| f.occurrences.len()).sum();
        let Some(shown) = majority
            .iter()
            .min_by_key(|f| f.occurrences.first().map_or(usize::MAX, |o| o.span.start))
        else {
            return;
        };
        for form in forms {
            if form.varieties & winner != 0 {
                continue;
            }
            let target = us_uk_counterpart(&form.id, winner).unwrap_or(&shown.text);
            let mut d = self.finding(form, target, Some(shown), Some(count));
            if us_uk_counterpart(&form.id, winner).is_none() {
                d.fix = None;
            }
            if majority.len() > 1 {
                let names: Vec<String> = majority
                    .iter()
                    .take(3)
                    .map(|f| format!("\"{}\"", f.text))
                    .collect();
                d.message = format!(
                    "\"{}\" is used {} beside {} ({})",
                    form.written,
                    times(form.occurrences.len()),
                    names.join(", "),
                    times(count)
                );
            }
            out.push(d);
        }
    }

    /// A finding on `form`'s first occurrence, to be replaced by `target`; `majority`
    /// is the form to label (if it occurs) and `count` its count (`None`: house style).
    fn finding(
        &self,
        form: &Form,
        target: &str,
        majority: Option<&Form>,
        count: Option<usize>,
    ) -> Diagnostic {
        let Some(first) = form.occurrences.first() else {
            return self.diagnostic(Span::default(), String::new());
        };
        let message = match count {
            Some(n) => format!(
                "\"{}\" is used {} beside \"{}\" ({})",
                form.written,
                times(form.occurrences.len()),
                target_name(majority, target),
                times(n)
            ),
            None => format!(
                "\"{}\" is used {}; the house style is \"{target}\"",
                form.written,
                times(form.occurrences.len())
            ),
        };
        let mut d = self
            .diagnostic(first.span, message)
            .with_help(format!("Use \"{target}\" throughout"));
        if let Some(m) = majority.and_then(|m| m.occurrences.first().map(|o| (m, o))) {
            d = d.with_label(m.1.span, format!("\"{}\" first here", m.0.text));
        }
        for again in form.occurrences.iter().skip(1).take(MAX_AGAIN_LABELS) {
            d = d.with_label(again.span, format!("\"{}\" again", form.written));
        }
        let edits: Vec<Edit> = form
            .occurrences
            .iter()
            .map(|occ| edit(occ, target))
            .collect();
        d.with_fix(Fix::new(Applicability::Unsafe, edits))
    }
}

fn target_name<'a>(majority: Option<&'a Form>, target: &'a str) -> &'a str {
    majority.map_or(target, |m| m.text.as_str())
}

/// The edit that writes `target` in place of one occurrence, keeping a full stop that
/// an abbreviation's period stood for (`in the U.S.` → `in the US.`) and absorbing a
/// period the target brings (`in the US.` → `in the U.S.`).
fn edit(occ: &Occurrence, target: &str) -> Edit {
    let with_period = Span::new(occ.core.start, occ.core.end + 1);
    let (span, replacement) = match occ.period {
        Some(_) if target.ends_with('.') => (with_period, target.to_owned()),
        Some(true) => (occ.core, target.to_owned()),
        Some(false) => (with_period, target.to_owned()),
        None => (occ.core, capitalize_like(target, occ.capitalized)),
    };
    Edit { span, replacement }
}

fn capitalize_like(target: &str, capitalized: bool) -> String {
    if !capitalized {
        return target.to_owned();
    }
    let mut chars = target.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::{InconsistentSpelling, Kind, Options};
    use crate::rules::test::{assert_clean, check_fixture, fix_fixture, run};

    fn rule() -> InconsistentSpelling {
        InconsistentSpelling::default()
    }

    fn messages(rule: &InconsistentSpelling, text: &str) -> Vec<String> {
        run(rule, text).1.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn flags_the_minority_form_once_with_labels() {
        insta::assert_snapshot!(check_fixture(&rule(), "inconsistent-spelling/flagged.txt"), @r#"
        1:1 inconsistent-spelling "US" is used once beside "U.S." (twice) (label 3:140 "U.S." first here) [unsafe fix]
        13:95 inconsistent-spelling "commander–in chief" is used once beside "commander in chief" (once) (label 15:11 "commander in chief" first here) [unsafe fix]
        17:98 inconsistent-spelling "Nicolas" is used once beside "Nicolás" (once) (label 7:230 "Nicolás" first here) [unsafe fix]
        19:21 inconsistent-spelling "C.I.A" is used once beside "C.I.A." (twice) (label 9:102 "C.I.A." first here) [unsafe fix]
        25:138 inconsistent-spelling "e-mail" is used once beside "email" (3 times) (label 21:74 "email" first here) [unsafe fix]
        29:3 inconsistent-spelling "Colour" is used once beside "color", "colors" (3 times) (label 27:78 "color" first here) [unsafe fix]
        "#);
    }

    #[test]
    fn the_fix_writes_the_majority_form_everywhere() {
        fix_fixture(&rule(), "inconsistent-spelling/flagged.txt");
    }

    #[test]
    fn real_articles_with_one_style_are_clean() {
        assert_clean(
            &rule(),
            include_str!("../../tests/fixtures/inconsistent-spelling/clean.txt"),
        );
    }

    #[test]
    fn the_pronoun_us_and_capitals_headlines_are_not_acronyms() {
        assert_clean(
            &rule(),
            "U.S. officials met us on Monday.\n\nTRUMP TELLS US TO WAIT\n\nThe U.S. said it costs US$5.\n",
        );
    }

    #[test]
    fn a_tie_flags_the_later_form() {
        assert_eq!(
            messages(
                &rule(),
                "Nicolás Maduro spoke to the press.\n\nNicolas Maduro left the country on Monday.\n"
            ),
            ["\"Nicolas\" is used once beside \"Nicolás\" (once)"]
        );
    }

    #[test]
    fn a_sentence_final_abbreviation_keeps_its_full_stop() {
        let text = "U.S. troops left. US troops came back. They stayed in the U.S.\n";
        let (_, found) = run(&rule(), text);
        let fixed = crate::fix::apply(text, &found, true).text;
        assert_eq!(
            fixed,
            "U.S. troops left. U.S. troops came back. They stayed in the U.S.\n"
        );
        let text = "US troops left. US troops came back. They stayed in the U.S.\n";
        let (_, found) = run(&rule(), text);
        let fixed = crate::fix::apply(text, &found, true).text;
        assert_eq!(
            fixed,
            "US troops left. US troops came back. They stayed in the US.\n"
        );
    }

    #[test]
    fn a_house_style_flags_a_form_even_without_the_preferred_one() {
        let options: Options = toml::from_str("prefer = { \"U.S.\" = [\"US\"] }").unwrap();
        let rule = InconsistentSpelling::new(options);
        assert_eq!(
            messages(&rule, "US troops left the US base.\n"),
            ["\"US\" is used twice; the house style is \"U.S.\""]
        );
    }

    #[test]
    fn us_and_uk_spellings_that_both_varieties_use_are_not_variants() {
        assert_clean(
            &rule(),
            "They practise every day; practice makes perfect. Tire pressure made him tire of the tyre.\n",
        );
        assert_clean(
            &rule(),
            "The Labour Party backed the labor union. The Kennedy Center is in the centre of town.\n",
        );
    }

    #[test]
    fn related_us_and_uk_forms_are_compared() {
        assert_eq!(
            messages(
                &rule(),
                "The colours faded. Its colour was gone, but the color stayed.\n"
            ),
            ["\"color\" is used once beside \"colours\", \"colour\" (twice)"]
        );
    }

    #[test]
    fn hyphenated_adjectives_before_nouns_are_not_spacing_variants() {
        assert_clean(
            &rule(),
            "It keeps an up-to-date list. The list is kept up to date by the staff, who said it is up to date.\n",
        );
        assert_clean(
            &rule(),
            "The proposal would resign the treaty. They had to re-sign the treaty.\n",
        );
    }

    #[test]
    fn diacritics_are_compared_in_english_text_only() {
        assert_clean(
            &rule(),
            "Der Vater und die Väter sind hier. Die Väter sind nicht da, und der Vater ist weg.\n",
        );
        assert_clean(
            &rule(),
            "Update your résumé before you resume the search.\n",
        );
    }

    #[test]
    fn kinds_can_be_turned_off() {
        let rule = InconsistentSpelling::new(Options {
            kinds: vec![Kind::Diacritic],
            ..Options::default()
        });
        assert_clean(&rule, "U.S. troops left. US troops came back.\n");
    }

    #[test]
    fn the_variant_tables_are_generated_from_the_data() {
        let root = env!("CARGO_MANIFEST_DIR");
        match std::process::Command::new("python3")
            .arg(format!("{root}/scripts/gen_variants.py"))
            .arg("--check")
            .output()
        {
            Ok(out) => assert!(
                out.status.success(),
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
            Err(e) => eprintln!("skipped: python3 is not available ({e})"),
        }
    }
}

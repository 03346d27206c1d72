//! English word data shipped in the binary, and the word-level views of a document that
//! the spelling rules share: is a token an English word, how frequent, is it a function
//! word, is a paragraph English, which words are prose (not inside a URL, an address, a
//! handle, a hashtag or a code span).
//!
//! The word list is an `fst::Map` generated from `data/` (SCOWL lists up to size 80 and
//! the SymSpell frequency list, see `data/THIRD-PARTY-NOTICES`) by `tests/word_data.rs`
//! and embedded with `include_bytes!`; opening it reads a header, so start-up stays near
//! zero.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use fst::Map;

use crate::document::{Document, Span};

static ENGLISH_FST: &[u8] = include_bytes!("english.fst");

static ENGLISH: LazyLock<Map<&'static [u8]>> = LazyLock::new(|| {
    Map::new(ENGLISH_FST).expect("the embedded word list is a valid fst (tests/word_data.rs)")
});

/// A bitset over the shapes of ASCII words: length (up to 31) and first two and last two
/// letters, in any ASCII case, hashed to one of 2^`bits` bits. A rule fills it with the
/// words of a table and tests each word of a text against it before lowercasing and
/// hashing the word for the real lookup: length and first two letters alone let about
/// half the words of English text through, this about one in seven to one in ten.
#[derive(Debug, Clone)]
pub struct WordShapes {
    bits: u32,
    set: Vec<u64>,
}

impl WordShapes {
    /// An empty set of 2^`bits` bits (at least 64, at most 2^31).
    pub fn new(bits: u32) -> WordShapes {
        let bits = bits.clamp(6, 31);
        WordShapes {
            bits,
            set: vec![0; (1usize << bits) / 64],
        }
    }

    fn index(&self, word: &[u8]) -> usize {
        let n = word.len();
        // `& 31` maps `A` and `a` alike: the index ignores ASCII case.
        let letter =
            |i: Option<usize>| u32::from(i.and_then(|i| word.get(i)).map_or(0, |b| b & 31));
        let key = (n.min(31) as u32) << 20
            | letter(Some(0)) << 15
            | letter(Some(1)) << 10
            | letter(n.checked_sub(2)) << 5
            | letter(n.checked_sub(1));
        (key.wrapping_mul(0x9E37_79B1) >> (32 - self.bits)) as usize
    }

    pub fn insert(&mut self, word: &[u8]) {
        let i = self.index(word);
        if let Some(bits) = self.set.get_mut(i / 64) {
            *bits |= 1 << (i % 64);
        }
    }

    /// False when no inserted word has `word`'s shape; true may be a collision.
    pub fn may_contain(&self, word: &[u8]) -> bool {
        let i = self.index(word);
        self.set
            .get(i / 64)
            .is_some_and(|bits| bits & (1 << (i % 64)) != 0)
    }
}

// Value layout, written by tests/word_data.rs.
const ZIPF_MASK: u64 = 0xff;
const LEVEL_SHIFT: u64 = 8;
const FLAG_LOWER: u64 = 1 << 16;
const FLAG_CAPITAL: u64 = 1 << 17;

/// What the word list knows about a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordInfo {
    /// Frequency class: 10 × Zipf (log10 of occurrences per billion words) in the Google
    /// Books counts of the SymSpell list; `the` is 76, `house` 53, `fetter` 26. 0 when the
    /// word is not in the frequency list.
    pub zipf10: u8,
    /// The smallest SCOWL size that lists the word (10 = the most common words, 80 = large
    /// dictionaries); 0 when only the frequency list has it.
    pub scowl: u8,
    /// Listed in lowercase: an ordinary word, not only a name.
    pub lowercase: bool,
    /// Listed with capitals: a name, a weekday, an abbreviation.
    pub capitalized: bool,
}

impl WordInfo {
    fn decode(value: u64) -> Self {
        WordInfo {
            zipf10: (value & ZIPF_MASK) as u8,
            scowl: ((value >> LEVEL_SHIFT) & 0xff) as u8,
            lowercase: value & FLAG_LOWER != 0,
            capitalized: value & FLAG_CAPITAL != 0,
        }
    }

    /// A word most adult readers know: in the frequency list at least once per ten
    /// million words, or in SCOWL's mid-size lists.
    pub fn is_common(self) -> bool {
        self.zipf10 >= 20 || (self.scowl != 0 && self.scowl <= 50)
    }
}

/// Keys up to this many bytes are lowercased on the stack.
const INLINE: usize = 48;

/// Looks a word up, ignoring case, a typographic apostrophe (`don’t`) and a possessive
/// ending (`House’s`, `parents’`).
pub fn lookup(word: &str) -> Option<WordInfo> {
    let word = strip_possessive(word);
    if word.is_empty() {
        return None;
    }
    let map = &*ENGLISH;
    let found = if word.len() <= INLINE && word.is_ascii() {
        let mut buf = [0u8; INLINE];
        let key = &mut buf[..word.len()];
        key.copy_from_slice(word.as_bytes());
        key.make_ascii_lowercase();
        map.get(key)
    } else {
        map.get(normalize(word).as_bytes())
    };
    found.map(WordInfo::decode)
}

static COMMON_TEXT: &str = include_str!("common.txt");

/// The common words of 5 letters or more (`common.txt`): `is_word` answers most words
/// of a text from this set, with a cheap hash, before the fst.
static COMMON: LazyLock<HashSet<&'static [u8], BuildHasherDefault<FxHasher>>> =
    LazyLock::new(|| {
        COMMON_TEXT
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(str::as_bytes)
            .collect()
    });

/// Whether `word` is in the English word list (any case, possessives stripped).
pub fn is_word(word: &str) -> bool {
    if (5..=INLINE).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_alphabetic()) {
        let mut buf = [0u8; INLINE];
        let key = &mut buf[..word.len()];
        key.copy_from_slice(word.as_bytes());
        key.make_ascii_lowercase();
        if COMMON.contains(&*key) {
            return true;
        }
    }
    lookup(word).is_some()
}

/// The FxHash mix: fast for short keys; the tables it serves are built from our data.
#[derive(Default)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(SEED);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // The tail as one zero-padded word: one multiply, not one per byte.
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word) ^ rest.len() as u64)
                .wrapping_mul(SEED);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The frequency class of `word` (see `WordInfo::zipf10`), 0 if unknown.
pub fn frequency_class(word: &str) -> u8 {
    lookup(word).map_or(0, |w| w.zipf10)
}

/// The lookup key of a word: lowercase, `’` made `'`.
pub fn normalize(word: &str) -> String {
    word.replace('\u{2019}', "'").to_lowercase()
}

fn strip_possessive(word: &str) -> &str {
    for suffix in ["'s", "\u{2019}s", "'S", "\u{2019}S", "'", "\u{2019}"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            return stem;
        }
    }
    word
}

/// English closed-class words: articles, pronouns, prepositions, conjunctions, auxiliary
/// and modal verbs, and the reporting verbs `said`/`says`, which news text glues to names.
/// Sorted, lowercase.
pub const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "after", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
    "be", "because", "been", "before", "being", "between", "both", "but", "by", "can", "could",
    "did", "do", "does", "during", "each", "either", "for", "from", "had", "has", "have", "he",
    "her", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "may", "me",
    "might", "must", "my", "neither", "no", "nor", "not", "of", "off", "on", "onto", "or", "our",
    "ours", "over", "said", "says", "shall", "she", "should", "so", "than", "that", "the", "their",
    "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to", "under",
    "until", "upon", "us", "was", "we", "were", "what", "when", "where", "which", "while", "who",
    "whom", "whose", "why", "will", "with", "within", "without", "would", "you", "your", "yours",
];

/// `FUNCTION_WORDS` packed into integers (see `pack`), sorted: every word of the text
/// is tested, so this is an integer binary search, not string comparisons.
static FUNCTION_KEYS: LazyLock<Vec<u64>> = LazyLock::new(|| {
    let mut keys: Vec<u64> = FUNCTION_WORDS.iter().filter_map(|w| pack(w)).collect();
    keys.sort_unstable();
    keys
});

/// An ASCII word of at most 8 letters, lowercased, as an integer; `None` otherwise.
fn pack(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    if bytes.is_empty() || bytes.len() > 8 {
        return None;
    }
    let mut key = 0u64;
    for &b in bytes {
        if !b.is_ascii_alphabetic() {
            return None;
        }
        key = (key << 8) | u64::from(b.to_ascii_lowercase());
    }
    Some(key)
}

/// Whether `word` is one of `FUNCTION_WORDS`, ignoring case.
pub fn is_function_word(word: &str) -> bool {
    word.len() <= 7 && pack(word).is_some_and(|key| FUNCTION_KEYS.binary_search(&key).is_ok())
}

/// In English prose about two words in five are function words (the, of, and, to, in…);
/// in German, French or Spanish only a few of ours occur (`in`, `so`, `a`). A paragraph
/// whose share is below this is not English.
const ENGLISH_MIN_SHARE: f64 = 0.15;
/// Paragraphs with fewer words than this take the document's verdict: a list item or
/// a caption may have no function word at all.
const ENGLISH_MIN_WORDS: usize = 20;

/// Which blocks of a document are English, by the share of English function words: one
/// flag per `doc.blocks()` entry. Short blocks (headings, captions) take the document's
/// verdict, so a German caption in an English article is judged with the article.
pub fn english_blocks(doc: &Document) -> Vec<bool> {
    let mut english = English::new(doc);
    doc.blocks()
        .iter()
        .map(|b| english.at(b.span.start))
        .collect()
}

/// The English test of `english_blocks`, computed only for the blocks asked about (and
/// the whole document only when a short block is asked about): rules that find a
/// candidate in one paragraph need not judge the others.
pub struct English<'d> {
    doc: &'d Document,
    blocks: Vec<Option<bool>>,
    document: Option<bool>,
}

impl<'d> English<'d> {
    pub fn new(doc: &'d Document) -> Self {
        English {
            doc,
            blocks: vec![None; doc.blocks().len()],
            document: None,
        }
    }

    /// Whether the block that contains `offset` is English.
    pub fn at(&mut self, offset: usize) -> bool {
        let blocks = self.doc.blocks();
        let index = blocks.partition_point(|b| b.span.end < offset);
        let Some(block) = blocks.get(index) else {
            return false;
        };
        if let Some(Some(known)) = self.blocks.get(index) {
            return *known;
        }
        let (function, words) = self.count(block.span);
        let verdict = if words < ENGLISH_MIN_WORDS {
            self.document()
        } else {
            is_english_share(function, words)
        };
        if let Some(slot) = self.blocks.get_mut(index) {
            *slot = Some(verdict);
        }
        verdict
    }

    fn document(&mut self) -> bool {
        if let Some(known) = self.document {
            return known;
        }
        let (function, words) = self.count(Span::new(0, self.doc.text().len()));
        let verdict = is_english_share(function, words);
        self.document = Some(verdict);
        verdict
    }

    fn count(&self, span: Span) -> (usize, usize) {
        let words = self.doc.ascii_words_in(span);
        let function = words
            .iter()
            .filter(|w| is_function_word(self.doc.slice(**w)))
            .count();
        (function, words.len())
    }
}

fn is_english_share(function: usize, words: usize) -> bool {
    words > 0 && function as f64 >= ENGLISH_MIN_SHARE * words as f64
}

/// Inline code spans of plain text or Markdown: text between a run of one or two
/// backticks and the next equal run on the same line (`` `cargo test` ``). Sorted.
pub fn code_spans(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    if memchr::memchr(b'`', text.as_bytes()).is_none() {
        return spans;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'`', &bytes[i..]) {
        let start = i + found;
        let mut run = 1;
        while bytes.get(start + run) == Some(&b'`') {
            run += 1;
        }
        let body = start + run;
        i = body;
        if run > 2 {
            continue;
        }
        // The closing run: the same number of backticks, before the end of the line.
        let mut j = body;
        while j < bytes.len() && bytes[j] != b'\n' {
            if bytes[j] == b'`' {
                let mut close = 1;
                while bytes.get(j + close) == Some(&b'`') {
                    close += 1;
                }
                if close == run && j > body {
                    spans.push(Span::new(start, j + close));
                    i = j + close;
                    break;
                }
                j += close;
            } else {
                j += 1;
            }
        }
    }
    spans
}

/// The ASCII words of `text[span]` (see `document::ascii_words`); prefer the cached
/// `Document::ascii_words` for a whole document.
pub fn scan_words(text: &str, span: Span) -> impl Iterator<Item = Span> + '_ {
    crate::document::ascii_words(text, span)
}

/// How far `is_prose` looks for the whitespace around a word.
const CHUNK_LIMIT: usize = 256;

/// Whether the word at `span` is prose: not in a code span, and not in a
/// whitespace-delimited chunk that looks like an address or code (a URL, a domain, an
/// e-mail address, a handle, a hashtag, a path, `user.name`, `a_b`, `x=1`, `<tag>`).
pub fn is_prose(text: &str, span: Span, code: &[Span]) -> bool {
    if in_spans(code, span) {
        return false;
    }
    let bytes = text.as_bytes();
    let floor = span.start.saturating_sub(CHUNK_LIMIT);
    let ceiling = (span.end + CHUNK_LIMIT).min(bytes.len());
    let Some(start) = (floor..span.start)
        .rev()
        .find(|&i| bytes[i].is_ascii_whitespace())
        .map(|i| i + 1)
        .or((floor == 0).then_some(0))
    else {
        return false;
    };
    let Some(end) = (span.end..ceiling)
        .find(|&i| bytes[i].is_ascii_whitespace())
        .or((ceiling == bytes.len()).then_some(ceiling))
    else {
        return false;
    };
    let Some(chunk) = bytes.get(start..end) else {
        return false;
    };
    let dot_inside = chunk
        .windows(3)
        .any(|w| w[0].is_ascii_alphanumeric() && w[1] == b'.' && w[2].is_ascii_alphanumeric());
    !(dot_inside
        || chunk.iter().any(|b| {
            matches!(
                b,
                b'@' | b'#' | b'/' | b'\\' | b'_' | b'=' | b'<' | b'>' | b'{' | b'}'
            )
        }))
}

/// Whether `span` overlaps one of the sorted, disjoint `spans`.
pub fn in_spans(spans: &[Span], span: Span) -> bool {
    if spans.is_empty() {
        return false;
    }
    let i = spans.partition_point(|s| s.end <= span.start);
    spans.get(i).is_some_and(|s| s.start < span.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_words_names_and_rare_words_are_known_with_frequencies() {
        let the = lookup("The").expect("the");
        let house = lookup("house").expect("house");
        assert!(
            the.zipf10 > house.zipf10 && house.zipf10 > 40,
            "{the:?} {house:?}"
        );
        assert!(house.lowercase && house.is_common());
        let monday = lookup("Monday").expect("Monday");
        assert!(monday.capitalized && !monday.lowercase);
        assert!(is_word("smartphone") && is_word("Facebook") && is_word("iPhone"));
        assert!(!is_word("Houseis") && !is_word("Sheinbaum") && !is_word("internewscast"));
    }

    #[test]
    fn possessives_apostrophes_and_accents_are_normalized() {
        assert!(is_word("House’s") && is_word("parents’") && is_word("don’t"));
        assert!(is_word("DON'T") && is_word("café"));
        assert_eq!(frequency_class("zzzzqx"), 0);
        assert!(lookup("").is_none() && lookup("’s").is_none());
    }

    #[test]
    fn function_words_are_a_sorted_closed_list() {
        assert!(FUNCTION_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_function_word("is") && is_function_word("The") && is_function_word("SAID"));
        assert!(!is_function_word("house") && !is_function_word("") && !is_function_word("é"));
    }

    #[test]
    fn english_and_german_paragraphs_are_told_apart() {
        let english = "The White House is aggressively pushing the Mexican government to agree to joint military operations, U.S. officials said to the New York Times.";
        let german = "Das Forum Waffenrecht fordert die Bundesregierung auf, mögliche Vollzugsdefizite geltender europäischer und deutscher Gesetze umfassend zu untersuchen. Reflexartige Rufe nach Verschärfung des Waffenrechts seien hingegen nicht angebracht.";
        let doc = Document::from_text("t", format!("{english}\n\n{german}\n\nShort caption\n"));
        assert_eq!(english_blocks(&doc), vec![true, false, true]);
        let doc = Document::from_text("t", format!("{german}\n\nKurz und bündig\n"));
        assert_eq!(english_blocks(&doc), vec![false, false]);
    }

    #[test]
    fn code_spans_pair_equal_backtick_runs_on_one_line() {
        let text = "Run `cargo test` or ``a ` b`` now; `unclosed\nnext` line";
        let spans: Vec<&str> = code_spans(text).iter().map(|s| &text[s.range()]).collect();
        assert_eq!(spans, vec!["`cargo test`", "``a ` b``"]);
        assert!(code_spans("no ticks").is_empty() && code_spans("``").is_empty());
    }

    #[test]
    fn scanned_words_skip_glued_letters_and_prose_skips_addresses_and_code() {
        let text = "See example.com, mail a@b.org, ping @someone #BlackLivesMatter and `fooBar` \
                    here, not COVID19, snake_case or Nicolás; House’s end";
        let code = code_spans(text);
        let words: Vec<&str> = scan_words(text, Span::new(0, text.len()))
            .filter(|w| is_prose(text, *w, &code))
            .map(|w| &text[w.range()])
            .collect();
        assert_eq!(
            words,
            vec![
                "See", "mail", "ping", "and", "here", "not", "or", "House", "s", "end"
            ]
        );
    }
}

//! Words and sentences as datatrove counts them for English: a port of the tokenizer of
//! `spacy.blank("en")` (what datatrove's `split_into_words` runs) and of spaCy's
//! rule-based sentencizer (what its `split_into_sentences` runs), with byte spans.
//!
//! The port follows `spacy/tokenizer.pyx` (`_tokenize_affixes`, `_split_affixes`,
//! `_attach_tokens`, `_apply_special_cases`) and the English prefix, suffix and infix
//! rules (`spacy/lang/punctuation.py`, `spacy/lang/en/punctuation.py`). The character
//! classes and the special cases are generated into `tables.rs`; the regexes' lookbehinds
//! and lookaheads, which the `regex` crate does not have, are coded by hand below.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use regex::Regex;
use xxhash_rust::xxh3::xxh3_64;

use super::tables;
use crate::document::Span;

/// One token. `chars` is its length in characters (Python's `len`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    /// The token's bytes, `start..end` (a page is under 4 GiB: `Page::words`).
    start: u32,
    end: u32,
    pub chars: u32,
    flags: u8,
}

const HAS_LETTER: u8 = 1;
const SYMBOL: u8 = 2;
const SPACE: u8 = 4;
const PUNCT: u8 = 8;
const SENTENCE_END: u8 = 16;

impl Word {
    /// A token of a page of at most `MAX_PAGE_BYTES` bytes (`words`).
    fn new(span: Span, chars: u32, flags: u8) -> Self {
        debug_assert!(span.end <= super::MAX_PAGE_BYTES);
        Word {
            start: span.start as u32,
            end: span.end as u32,
            chars,
            flags,
        }
    }

    /// Where the token is in the page's text.
    #[inline]
    pub fn span(self) -> Span {
        Span::new(self.start as usize, self.end as usize)
    }

    /// At least one character is a letter (Python `str.isalpha`).
    pub fn has_letter(self) -> bool {
        self.flags & HAS_LETTER != 0
    }

    /// Every character is in datatrove's `PUNCTUATION_SET`: Gopher does not count it as
    /// a word.
    pub fn is_symbol(self) -> bool {
        self.flags & SYMBOL != 0
    }

    pub fn text(self, text: &str) -> &str {
        text.get(self.span().range()).unwrap_or("")
    }
}

/// Character classes, tested through a table for the most common characters
/// (`CLASS_BITS`) and by binary search in the generated range tables otherwise.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Class {
    Alpha,
    Lower,
    Upper,
    Icon,
    SuffixDotAfter,
    InfixDotBefore,
    InfixDotAfter,
    PyAlpha,
    PySpace,
    PyPunct,
    DtPunct,
    DtTerminal,
    Prefix,
    Suffix,
    SentPunct,
}

const CLASSES: [Class; 15] = [
    Class::Alpha,
    Class::Lower,
    Class::Upper,
    Class::Icon,
    Class::SuffixDotAfter,
    Class::InfixDotBefore,
    Class::InfixDotAfter,
    Class::PyAlpha,
    Class::PySpace,
    Class::PyPunct,
    Class::DtPunct,
    Class::DtTerminal,
    Class::Prefix,
    Class::Suffix,
    Class::SentPunct,
];

impl Class {
    fn table(self) -> &'static [(u32, u32)] {
        match self {
            Class::Alpha => tables::ALPHA,
            Class::Lower => tables::ALPHA_LOWER,
            Class::Upper => tables::ALPHA_UPPER,
            Class::Icon => tables::ICONS,
            Class::SuffixDotAfter => tables::SUFFIX_DOT_AFTER,
            Class::InfixDotBefore => tables::INFIX_DOT_BEFORE,
            Class::InfixDotAfter => tables::INFIX_DOT_AFTER,
            Class::PyAlpha => tables::PY_ALPHA,
            Class::PySpace => tables::PY_SPACE,
            Class::PyPunct => tables::PY_PUNCT,
            Class::DtPunct => tables::DT_PUNCTUATION,
            Class::DtTerminal => tables::DT_TERMINAL_PUNCTUATION,
            Class::Prefix => tables::PREFIX_CHAR,
            Class::Suffix => tables::SUFFIX_CHAR,
            Class::SentPunct => tables::SENT_PUNCT,
        }
    }
}

fn in_table(table: &[(u32, u32)], c: char) -> bool {
    let c = c as u32;
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// The classes of every character before U+0800 (ASCII, Latin, Greek, Cyrillic,
/// Hebrew, Arabic: one or two bytes in UTF-8) and of the General Punctuation block
/// (U+2000 to U+206F: curly quotes, dashes, ellipsis), a bit per class: most characters
/// of a page are looked up here rather than searched for in each class's ranges.
static CLASS_BITS: LazyLock<Vec<u16>> = LazyLock::new(|| {
    (0..TWO_BYTES)
        .chain(PUNCTUATION_BLOCK)
        .map(|u| {
            let c = char::from_u32(u).unwrap_or('\0');
            CLASSES
                .iter()
                .filter(|class| in_table(class.table(), c))
                .fold(0u16, |bits, &class| bits | 1 << class as u16)
        })
        .collect()
});

const TWO_BYTES: u32 = 0x800;
const PUNCTUATION_BLOCK: std::ops::Range<u32> = 0x2000..0x2070;

pub(crate) fn is(class: Class, c: char) -> bool {
    let u = c as u32;
    let at = if u < TWO_BYTES {
        u
    } else if PUNCTUATION_BLOCK.contains(&u) {
        u - PUNCTUATION_BLOCK.start + TWO_BYTES
    } else {
        return in_table(class.table(), c);
    };
    CLASS_BITS
        .get(at as usize)
        .is_some_and(|bits| bits & (1 << class as u16) != 0)
}

/// Python's `str.isspace`, the whitespace spaCy splits on and `str.strip` removes.
pub(crate) fn is_space(c: char) -> bool {
    is(Class::PySpace, c)
}

/// Identity hasher for keys that are already hashes.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = xxh3_64(bytes);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type IdBuild = BuildHasherDefault<IdHasher>;

/// spaCy's special cases, by the hash of their text, and the ones its final
/// `_apply_special_cases` pass looks for in the tokens (those that the affix rules
/// would split): the byte lengths of the tokens the affix rules give.
struct Specials {
    /// Bits set by the first byte, last byte and length of every special case: most
    /// words are ruled out without hashing.
    filter: Vec<u64>,
    /// For the special cases spelled with ASCII letters alone, by length: per first
    /// letter, a bit per last letter (each letter's low 6 bits, distinct for ASCII
    /// letters), and per second letter, a bit per letter before the last. A word of
    /// letters, most of a page, is ruled out by two look-ups.
    letters: Vec<[[u64; 64]; 2]>,
    by_text: HashMap<u64, usize, IdBuild>,
    longest: usize,
    matcher: HashMap<u64, (usize, Vec<usize>), IdBuild>,
    longest_pattern: usize,
}

static SPECIALS: LazyLock<Specials> = LazyLock::new(|| {
    let mut by_text = HashMap::default();
    let mut longest = 0;
    let mut filter = vec![0u64; FILTER_WORDS];
    let mut letters: Vec<[[u64; 64]; 2]> = Vec::new();
    for (i, (key, _)) in tables::SPECIAL_CASES.iter().enumerate() {
        by_text.insert(xxh3_64(key.as_bytes()), i);
        longest = longest.max(key.len());
        let bit = filter_bit(key.as_bytes());
        filter[bit / 64] |= 1 << (bit % 64);
        let b = key.as_bytes();
        if b.iter().all(u8::is_ascii_alphabetic)
            && let Some([first, second, before_last, last]) = letter_bits(b)
        {
            if letters.len() <= key.len() {
                letters.resize(key.len() + 1, [[0; 64]; 2]);
            }
            letters[key.len()][0][first] |= 1 << last;
            letters[key.len()][1][second] |= 1 << before_last;
        }
    }
    let mut matcher = HashMap::default();
    let mut longest_pattern = 0;
    let mut scratch = Scratch::default();
    for (i, (key, _)) in tables::SPECIAL_CASES.iter().enumerate() {
        let affixed = find_prefix(key) != 0
            || find_suffix(key) != 0
            || infixes(key, &mut scratch.infixes)
            || key.contains(' ');
        if !affixed {
            continue;
        }
        let mut tokens = Vec::new();
        tokenize(key, Mode::NO_SPECIALS, &mut scratch, &mut tokens);
        let lengths: Vec<usize> = tokens.iter().map(|t| t.span().len()).collect();
        longest_pattern = longest_pattern.max(lengths.len());
        matcher.insert(xxh3_64(key.as_bytes()), (i, lengths));
    }
    Specials {
        filter,
        letters,
        by_text,
        longest,
        matcher,
        longest_pattern,
    }
});

const FILTER_WORDS: usize = 1024;

impl Specials {
    /// Whether `s` may spell a special case: its length and its filter bit allow it.
    /// Most texts are ruled out so, without a hash.
    #[inline]
    fn may_spell(&self, s: &[u8]) -> bool {
        if s.is_empty() || s.len() > self.longest {
            return false;
        }
        let bit = filter_bit(s);
        self.filter[bit / 64] & (1 << (bit % 64)) != 0
    }
}

/// The filter bit of a text, from its length and five of its bytes (the first two, the
/// middle one and the last two), read without a branch on the length: a mispredicted
/// branch per word cost more than the look-ups the coarser key lets through.
#[inline]
fn filter_bit(b: &[u8]) -> usize {
    let n = b.len();
    let Some(last) = n.checked_sub(1) else {
        return 0;
    };
    let at = |i: usize| u64::from(b[i.min(last)]);
    let key = at(0)
        | at(1) << 8
        | at(n / 2) << 16
        | at(n.saturating_sub(2)) << 24
        | at(last) << 32
        | (n as u64) << 40;
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as usize % (FILTER_WORDS * 64)
}

/// The special case spelled `s`, if any: the filter, inline, rules out most words; the
/// look-up is out of line.
#[inline]
fn special(s: &str) -> Option<&'static [&'static str]> {
    special_bytes(s.as_bytes())
}

/// `special` of a text's bytes.
#[inline]
fn special_bytes(s: &[u8]) -> Option<&'static [&'static str]> {
    let specials = &*SPECIALS;
    if !specials.may_spell(s) {
        return None;
    }
    look_up_special(specials, s)
}

/// `special(s)` for `s` made of ASCII letters only.
#[inline]
fn special_letters(s: &str) -> Option<&'static [&'static str]> {
    special_letter_bytes(s.as_bytes())
}

/// `special_letters` of the bytes of a word of ASCII letters.
#[inline]
fn special_letter_bytes(b: &[u8]) -> Option<&'static [&'static str]> {
    let specials = &*SPECIALS;
    let [first, second, before_last, last] = letter_bits(b)?;
    let [by_first, by_second] = specials.letters.get(b.len())?;
    if by_first[first] & (1 << last) == 0 || by_second[second] & (1 << before_last) == 0 {
        return None;
    }
    look_up_special(specials, b)
}

/// The low 6 bits of a word's first, second, next to last and last bytes (the first
/// and last twice for a word of one letter): distinct for ASCII letters.
#[inline]
fn letter_bits(b: &[u8]) -> Option<[usize; 4]> {
    let (&first, &last) = (b.first()?, b.last()?);
    let second = b.get(1).copied().unwrap_or(first);
    let before_last = b
        .len()
        .checked_sub(2)
        .and_then(|i| b.get(i))
        .copied()
        .unwrap_or(last);
    Some([first, second, before_last, last].map(|x| usize::from(x & 63)))
}

#[inline(never)]
fn look_up_special(specials: &Specials, s: &[u8]) -> Option<&'static [&'static str]> {
    let &i = specials.by_text.get(&xxh3_64(s))?;
    let (key, parts) = tables::SPECIAL_CASES.get(i)?;
    (key.as_bytes() == s).then_some(*parts)
}

/// spaCy's `URL_MATCH` (host names, then IPv4 addresses outside private ranges).
static URL_HOST: LazyLock<Regex> = LazyLock::new(|| url_host("{2,63}"));

/// `URL_HOST` with no upper limit on the top-level domain's length: the same matches
/// for a text without a run of 64 characters that a top-level domain may hold
/// (`long_tld_run`), and compiled in a fifth of the time (the limit copies the large
/// class 63 times). Most runs read no URL, so the exact pattern is rarely compiled.
static URL_HOST_SHORT_TLD: LazyLock<Regex> = LazyLock::new(|| url_host("{2,}"));

fn url_host(tld_count: &str) -> Regex {
    let chars = r"A-Za-z0-9\x{A1}-\x{FFFF}";
    Regex::new(&format!(
        r"^(?:(?:[\w\+\-\.]{{2,}})://)?(?:\S+(?::\S*)?@)?(?:(?:[{chars}][{chars}_-]{{0,62}})?[{chars}]\.)+(?:[{tld}]{tld_count})(?::\d{{2,5}})?(?:[/?#]\S*)?$",
        tld = tables::URL_TLD_CLASS
    ))
    .expect("the URL pattern is valid")
}

/// Whether `s` holds a run of 64 characters of the top-level domain's class (spaCy's
/// `ALPHA_LOWER`), the only place a top-level domain of 64 characters or more could be.
fn long_tld_run(s: &str) -> bool {
    let mut run = 0;
    s.len() >= 64
        && s.chars().any(|c| {
            run = if is(Class::Lower, c) { run + 1 } else { 0 };
            run >= 64
        })
}

static URL_IP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:(?:[\w\+\-\.]{2,})://)?(?:\S+(?::\S*)?@)?",
        r"(?P<ip>(?:[1-9]\d?|1\d\d|2[01]\d|22[0-3])(?:\.(?:1?\d{1,2}|2[0-4]\d|25[0-5])){2}",
        r"(?:\.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4])))",
        r"(?::\d{2,5})?(?:[/?#]\S*)?$",
    ))
    .expect("the IP URL pattern is valid")
});

/// The private and local networks spaCy's URL pattern excludes with lookaheads.
static PRIVATE_IP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:(?:10|127)(?:\.\d{1,3}){3}|(?:169\.254|192\.168)(?:\.\d{1,3}){2}",
        r"|172\.(?:1[6-9]|2\d|3[0-1])(?:\.\d{1,3}){2})",
    ))
    .expect("the private IP pattern is valid")
});

fn url_match(s: &str) -> bool {
    // Both alternatives need a dot; most words have none.
    if !s.contains('.') {
        return false;
    }
    let host = if long_tld_run(s) {
        &URL_HOST
    } else {
        &URL_HOST_SHORT_TLD
    };
    if host.is_match(s) {
        return true;
    }
    URL_IP
        .captures(s)
        .and_then(|c| c.name("ip"))
        .is_some_and(|ip| !PRIVATE_IP.is_match(&s[ip.start()..]))
}

/// spaCy's prefix search: the length in bytes of the prefix to split off `s`, or 0.
fn find_prefix(s: &str) -> usize {
    let mut chars = s.chars();
    let Some(c) = chars.next() else { return 0 };
    if s.starts_with("..") {
        return s.bytes().take_while(|&b| b == b'.').count();
    }
    if is(Class::Prefix, c) || is(Class::Icon, c) {
        return c.len_utf8();
    }
    if c == '+' {
        return usize::from(!chars.next().is_some_and(|n| n.is_ascii_digit()));
    }
    if s.starts_with("US$") {
        return 3;
    }
    if s.starts_with("C$") || s.starts_with("A$") {
        return 2;
    }
    0
}

/// The longest suffix alternative, in characters (`US$`, units such as `mbar`).
const SUFFIX_WINDOW: usize = 6;

/// spaCy's suffix search: the length in bytes of the suffix to split off `s`, or 0.
/// Python's `re.search` returns the leftmost position where an alternative matches to
/// the end, so that is what this looks for.
fn find_suffix(s: &str) -> usize {
    let Some(&last) = s.as_bytes().last() else {
        return 0;
    };
    // A word ending in an ASCII letter or digit has a suffix only if it is `'s` or a
    // unit or currency after a digit (`5km`).
    if last.is_ascii_alphanumeric() && !s.bytes().any(|b| b.is_ascii_digit()) {
        return [b"'s", b"'S"]
            .iter()
            .any(|t| s.as_bytes().ends_with(*t))
            .then_some(2)
            .or_else(|| ["’s", "’S"].iter().any(|t| s.ends_with(t)).then_some(4))
            .unwrap_or(0);
    }
    let dots = s.bytes().rev().take_while(|&b| b == b'.').count();
    let mut best = (dots >= 2).then(|| s.len() - dots);
    let mut starts = [0usize; SUFFIX_WINDOW];
    let mut n = 0;
    for (i, _) in s.char_indices().rev().take(SUFFIX_WINDOW) {
        starts[n] = i;
        n += 1;
    }
    for &p in starts[..n].iter().rev() {
        if best.is_some_and(|b| b <= p) {
            break;
        }
        if suffix_at(s, p) {
            best = Some(p);
            break;
        }
    }
    best.map_or(0, |p| s.len() - p)
}

fn suffix_at(s: &str, p: usize) -> bool {
    let tail = &s[p..];
    let mut before = s[..p].chars().rev();
    let c1 = before.next();
    let c2 = before.next();
    let mut it = tail.chars();
    let Some(c) = it.next() else { return false };
    if it.next().is_none() {
        if is(Class::Suffix, c) || is(Class::Icon, c) {
            return true;
        }
        if c == '+' && c1.is_some_and(|b| b.is_ascii_digit()) {
            return true;
        }
        if c == '.'
            && let Some(b) = c1
            && (is(Class::SuffixDotAfter, b)
                || (c2 == Some('°') && matches!(b, 'F' | 'f' | 'C' | 'c' | 'K' | 'k'))
                || (c2.is_some_and(|a| is(Class::Upper, a)) && is(Class::Upper, b)))
        {
            return true;
        }
    }
    if tail == "……" || matches!(tail, "'s" | "'S" | "’s" | "’S") {
        return true;
    }
    c1.is_some_and(|b| b.is_ascii_digit()) && unit_or_currency(tail)
}

/// `suffix_at(s, s.len() - 1)` for ASCII letters then one other ASCII byte: of the
/// suffix rules, only those of one character that need no digit before it can apply,
/// and they are looked up.
fn suffix_after_letters(s: &[u8]) -> bool {
    let (c2, c1, last) = match *s {
        [.., c2, c1, last] => (Some(c2), c1, last),
        [c1, last] => (None, c1, last),
        _ => return false,
    };
    let upper = |b: u8| is(Class::Upper, char::from(b));
    SUFFIX_BYTES[usize::from(last & 0x7f)]
        || (last == b'.'
            && (is(Class::SuffixDotAfter, char::from(c1)) || (c2.is_some_and(upper) && upper(c1))))
}

/// The ASCII characters that are a suffix on their own, after any character.
static SUFFIX_BYTES: LazyLock<[bool; 128]> = LazyLock::new(|| {
    let mut out = [false; 128];
    for (b, suffix) in out.iter_mut().enumerate() {
        let c = char::from(b as u8);
        *suffix = is(Class::Suffix, c) || is(Class::Icon, c);
    }
    out
});

/// Whether `s` is one of spaCy's units or currencies (a suffix after a digit).
fn unit_or_currency(s: &str) -> bool {
    let (first, sorted) = &*UNITS_AND_CURRENCY;
    // Most tails after a digit are digits and punctuation: no unit starts so.
    s.as_bytes().first().is_some_and(|&b| first[usize::from(b)]) && sorted.binary_search(&s).is_ok()
}

/// The first bytes of spaCy's units and currencies, and all of them sorted.
static UNITS_AND_CURRENCY: LazyLock<([bool; 256], Vec<&'static str>)> = LazyLock::new(|| {
    let mut all: Vec<&str> = tables::UNITS
        .iter()
        .chain(tables::CURRENCY)
        .copied()
        .collect();
    all.sort_unstable();
    let mut first = [false; 256];
    for unit in &all {
        if let Some(&b) = unit.as_bytes().first() {
            first[usize::from(b)] = true;
        }
    }
    (first, all)
});

/// spaCy's infix `finditer`: the byte ranges of the infixes of `s`, left to right,
/// into `out`; whether there are any.
fn infixes(s: &str, out: &mut Vec<(usize, usize)>) -> bool {
    out.clear();
    // Every infix starts with one of these, or is not ASCII.
    if !s.bytes().any(|b| {
        matches!(
            b,
            b'.' | b',' | b'-' | b'+' | b'*' | b'^' | b'~' | b':' | b'<' | b'>' | b'=' | b'/'
        ) || b >= 0x80
    }) {
        return false;
    }
    let alpha = |c: Option<char>| c.is_some_and(|c| is(Class::Alpha, c));
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || is(Class::Alpha, c));
    let mut prev: Option<char> = None;
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        let rest = &s[i + c.len_utf8()..];
        let next = rest.chars().next();
        let mut found = None;
        if c == '.' && next == Some('.') {
            found = Some(i + s[i..].bytes().take_while(|&b| b == b'.').count());
        } else if c == '…' || is(Class::Icon, c) {
            found = Some(i + c.len_utf8());
        } else if (prev.is_some_and(|p| p.is_ascii_digit())
            && matches!(c, '+' | '-' | '*' | '^')
            && next.is_some_and(|n| n.is_ascii_digit() || n == '-'))
            || (c == '.'
                && prev.is_some_and(|p| is(Class::InfixDotBefore, p))
                && next.is_some_and(|n| is(Class::InfixDotAfter, n)))
            || (c == ',' && alpha(prev) && alpha(next))
        {
            // `(?<=[0-9])[+\-\*^](?=[0-9-])`, `(?<=[{al}{q}])\.(?=[{au}{q}])`,
            // `(?<=[{a}]),(?=[{a}])`: one character each.
            found = Some(i + 1);
        } else if alnum(prev) {
            let hyphen = matches!(c, '-' | '–' | '—' | '~');
            for h in tables::HYPHENS.iter().filter(|_| hyphen) {
                if s[i..].starts_with(h) && alpha(s[i + h.len()..].chars().next()) {
                    found = Some(i + h.len());
                    break;
                }
            }
            if found.is_none() && matches!(c, ':' | '<' | '>' | '=' | '/') && alpha(next) {
                found = Some(i + 1);
            }
        }
        match found {
            Some(end) => {
                out.push((i, end));
                prev = s[..end].chars().next_back();
                i = end;
            }
            None => {
                prev = Some(c);
                i += c.len_utf8();
            }
        }
    }
    !out.is_empty()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mode {
    specials: bool,
    spaces: bool,
}

impl Mode {
    const WORDS: Mode = Mode {
        specials: true,
        spaces: false,
    };
    const SENTENCES: Mode = Mode {
        specials: true,
        spaces: true,
    };
    const NO_SPECIALS: Mode = Mode {
        specials: false,
        spaces: false,
    };
}

#[derive(Default)]
struct Scratch {
    prefixes: Vec<(usize, usize)>,
    suffixes: Vec<(usize, usize)>,
    infixes: Vec<(usize, usize)>,
    pieces: PieceCache,
}

/// The tokens of the pieces that took the general affix path, by their text, as spaCy's
/// tokenizer caches them (`Tokenizer._cache`): a piece is tokenized alone, so its tokens
/// are the same wherever it occurs. `(2019),`, `He’s` and `1.` recur across a thread's
/// pages, and a look-up costs a small fraction of the affix loop. Only with special
/// cases (`Mode::specials`), which is every mode but the special cases' own.
#[derive(Default)]
struct PieceCache {
    /// By the hash of a piece: where its text is in `texts`, and its tokens in `tokens`.
    entries: HashMap<u64, CachedPiece, IdBuild>,
    texts: Vec<u8>,
    tokens: Vec<CachedToken>,
}

#[derive(Clone, Copy)]
struct CachedPiece {
    text: u32,
    len: u8,
    tokens: u32,
    count: u8,
}

/// A token of a cached piece: its bytes within the piece, its characters and flags.
#[derive(Clone, Copy)]
struct CachedToken {
    start: u8,
    end: u8,
    chars: u8,
    flags: u8,
}

impl PieceCache {
    /// Pieces up to this many bytes are cached (longer ones seldom recur).
    const LONGEST: usize = 48;
    /// The cache is emptied when it holds this many pieces. Its table (about 100 KB)
    /// stays in the L2 cache: fewer than half the pieces that reach it are found, and
    /// every miss inserts, so a table of 32,768 pieces (1.5 MB) stored at random into
    /// memory no cache held, on nearly every page.
    const MAX_PIECES: usize = 1 << 11;

    /// Pushes the cached tokens of `s`, at `lo` in the text, onto `out`; whether `s` was
    /// cached.
    fn push_cached(&self, s: &[u8], hash: u64, lo: usize, out: &mut Vec<Word>) -> bool {
        let Some(&piece) = self.entries.get(&hash) else {
            return false;
        };
        let text = piece.text as usize;
        if self.texts.get(text..text + usize::from(piece.len)) != Some(s) {
            return false;
        }
        let from = piece.tokens as usize;
        let Some(tokens) = self.tokens.get(from..from + usize::from(piece.count)) else {
            return false;
        };
        out.extend(tokens.iter().map(|t| {
            let span = Span::new(lo + usize::from(t.start), lo + usize::from(t.end));
            Word::new(span, u32::from(t.chars), t.flags)
        }));
        true
    }

    /// Remembers the tokens `words` of `s`, at `lo` in the text.
    fn insert(&mut self, s: &[u8], hash: u64, lo: usize, words: &[Word]) {
        if self.entries.len() >= Self::MAX_PIECES {
            self.entries.clear();
            self.texts.clear();
            self.tokens.clear();
        }
        if self.entries.capacity() == 0 {
            self.entries.reserve(Self::MAX_PIECES);
        }
        let (Ok(len), Ok(count), Ok(text), Ok(tokens)) = (
            u8::try_from(s.len()),
            u8::try_from(words.len()),
            u32::try_from(self.texts.len()),
            u32::try_from(self.tokens.len()),
        ) else {
            return;
        };
        for w in words {
            let relative = |at: usize| at.checked_sub(lo).and_then(|r| u8::try_from(r).ok());
            let (Some(start), Some(end), Ok(chars)) = (
                relative(w.span().start),
                relative(w.span().end),
                u8::try_from(w.chars),
            ) else {
                // Not a token of this piece: nothing is cached.
                self.tokens.truncate(tokens as usize);
                return;
            };
            self.tokens.push(CachedToken {
                start,
                end,
                chars,
                flags: w.flags,
            });
        }
        self.texts.extend_from_slice(s);
        self.entries.insert(
            hash,
            CachedPiece {
                text,
                len,
                tokens,
                count,
            },
        );
    }
}

fn push(out: &mut Vec<Word>, text: &str, start: usize, end: usize, space: bool) {
    // Most tokens the affix rules split off are one ASCII character: their flags are
    // looked up.
    if end == start + 1
        && let Some(&b) = text.as_bytes().get(start)
        && b < 0x80
    {
        let flags = ONE_BYTE[usize::from(b)] | if space { SPACE } else { 0 };
        out.push(Word::new(Span::new(start, end), 1, flags));
        return;
    }
    let Some(token) = text.get(start..end) else {
        return;
    };
    let (chars, flags) = flags_of(token);
    out.push(Word::new(
        Span::new(start, end),
        chars,
        flags | if space { SPACE } else { 0 },
    ));
}

/// The flags of a token of one ASCII character, by its byte.
static ONE_BYTE: LazyLock<[u8; 128]> = LazyLock::new(|| {
    let mut out = [0u8; 128];
    for (b, flags) in out.iter_mut().enumerate() {
        *flags = flags_of(char::from(b as u8).encode_utf8(&mut [0; 4])).1;
    }
    out
});

/// A token's length in characters and its flags, but `SPACE`.
fn flags_of(token: &str) -> (u32, u8) {
    let (mut chars, mut letter, mut symbol, mut punct) = (0u32, false, true, true);
    let mut last = ' ';
    if token.is_ascii() {
        let table = &*CLASS_BITS;
        let (alpha, dt, py) = (
            1 << Class::PyAlpha as u16,
            1 << Class::DtPunct as u16,
            1 << Class::PyPunct as u16,
        );
        for &b in token.as_bytes() {
            let bits = table[usize::from(b)];
            letter |= bits & alpha != 0;
            symbol &= bits & dt != 0;
            punct &= bits & py != 0;
        }
        chars = token.len() as u32;
        last = char::from(*token.as_bytes().last().unwrap_or(&b' '));
    } else {
        for c in token.chars() {
            chars += 1;
            last = c;
            // Once a letter is seen and a character that is neither kind of
            // punctuation, no flag can change: the rest is only counted.
            if letter && !symbol && !punct {
                continue;
            }
            letter |= is(Class::PyAlpha, c);
            symbol &= is(Class::DtPunct, c);
            punct &= is(Class::PyPunct, c);
        }
    }
    let mut flags = 0;
    if letter {
        flags |= HAS_LETTER;
    }
    if symbol {
        flags |= SYMBOL;
    }
    if punct {
        flags |= PUNCT;
    }
    if chars == 1 && is(Class::SentPunct, last) {
        flags |= SENTENCE_END;
    }
    (chars, flags)
}

/// Splits `text` at whitespace as spaCy does (a single space between two tokens is
/// dropped; other runs of whitespace become whitespace tokens, kept in `Mode::SENTENCES`)
/// and tokenizes each piece.
fn tokenize(text: &str, mode: Mode, scratch: &mut Scratch, out: &mut Vec<Word>) {
    let Some(first) = text.chars().next() else {
        return;
    };
    let mut in_space = is_space(first);
    let mut start = 0;
    let emit = |from: usize,
                to: usize,
                space: bool,
                shape: Shape,
                scratch: &mut Scratch,
                out: &mut Vec<Word>| {
        if space {
            if mode.spaces {
                push(out, text, from, to, true);
            }
        } else {
            piece(text, from, to, mode, shape, scratch, out);
        }
    };
    let bytes = text.as_bytes();
    // The character at `i`, whether it is whitespace, and its width.
    let at = |i: usize| {
        let c = text.get(i..).and_then(|t| t.chars().next()).unwrap_or(' ');
        (c, is_space(c), c.len_utf8())
    };
    let mut i = 0;
    loop {
        if in_space {
            while let Some(&b) = bytes.get(i) {
                let (space, width) = if b < 0x80 {
                    (BYTE_KINDS[usize::from(b)] == SPACE_BYTE, 1)
                } else {
                    let (_, space, width) = at(i);
                    (space, width)
                };
                if !space {
                    break;
                }
                i += width;
            }
            if start < i {
                emit(start, i, true, Shape::Other, scratch, out);
            }
            start = i;
        } else {
            // Most runs are ASCII letters, perhaps with one more ASCII character, ended
            // by one space before another word: their shape is plain without the
            // bookkeeping below, and the next run starts after the space.
            while let Some((end, shape)) = plain_word_at(bytes, i) {
                // What `piece` does with these shapes, but for special cases and the
                // odd suffix, which go to it: a word of letters is one token; a word
                // and a suffix after it, two.
                let word = bytes.get(i..end).unwrap_or_default();
                let plain = match shape {
                    Shape::Letters => !mode.specials || special_letter_bytes(word).is_none(),
                    _ => {
                        !(mode.specials && special_bytes(word).is_some())
                            && letters_then_suffix(word, mode)
                    }
                };
                match (plain, shape) {
                    (true, Shape::Letters) => push_letters(out, i, end),
                    (true, _) => {
                        push_letters(out, i, end - 1);
                        push(out, text, end - 1, end, false);
                    }
                    (false, _) => emit(i, end, false, shape, scratch, out),
                }
                i = end + 1;
            }
            start = i;
            let mut run = Run::default();
            while let Some(&b) = bytes.get(i) {
                let letters = ascii_letters_at(bytes, i);
                if letters > 0 {
                    i += letters;
                    continue;
                }
                if b < 0x80 {
                    match BYTE_KINDS[usize::from(b)] {
                        LETTER_BYTE => {}
                        SPACE_BYTE => break,
                        kind => run.odd_byte(kind, i),
                    }
                    i += 1;
                } else {
                    let (c, space, width) = at(i);
                    if space {
                        break;
                    }
                    run.foreign(c, i);
                    i += width;
                }
            }
            if start < i {
                emit(start, i, false, run.shape(start, i), scratch, out);
            }
            // A single space between two tokens is dropped. When the byte after it is
            // ASCII and not whitespace, the next run starts there: the scan goes on
            // without a pass through the whitespace branch (most words end so).
            start = i;
            if bytes.get(i) == Some(&b' ') {
                start = i + 1;
                if let Some(&next) = bytes.get(start)
                    && next < 0x80
                    && BYTE_KINDS[usize::from(next)] != SPACE_BYTE
                {
                    i = start;
                    continue;
                }
            }
        }
        if i >= bytes.len() {
            break;
        }
        in_space = !in_space;
    }
}

/// The end of the run at `i` and its shape, if it is ASCII letters, or ASCII letters
/// and one other ASCII character, followed by one space and then by an ASCII character
/// that is not whitespace (`Shape::Letters` or `Shape::LettersThenOne`, as the scan in
/// `tokenize` would find).
#[inline]
fn plain_word_at(bytes: &[u8], i: usize) -> Option<(usize, Shape)> {
    let mut end = i;
    loop {
        let letters = ascii_letters_at(bytes, end);
        end += letters;
        if letters < 8 {
            break;
        }
    }
    if end == i {
        return None;
    }
    let is_word_byte = |b: u8| b < 0x80 && BYTE_KINDS[usize::from(b)] != SPACE_BYTE;
    match *bytes.get(end..end + 3)? {
        [b' ', next, _] if is_word_byte(next) => Some((end, Shape::Letters)),
        [one, b' ', next]
            if is_word_byte(one)
                && BYTE_KINDS[usize::from(one)] != LETTER_BYTE
                && is_word_byte(next) =>
        {
            Some((end + 1, Shape::LettersThenOne))
        }
        _ => None,
    }
}

/// Whether ASCII letters then one other ASCII character (`Shape::LettersThenOne`) that
/// spell no special case are the letters and a suffix, as `piece` splits them: the
/// last character is a suffix there, and the letters are no special case.
#[inline]
fn letters_then_suffix(word: &[u8], mode: Mode) -> bool {
    let Some((&last, letters)) = word.split_last() else {
        return false;
    };
    !letters.is_empty()
        && !matches!(last, b'\'' | b'$')
        && suffix_after_letters(word)
        && (!mode.specials || special_letter_bytes(letters).is_none())
}

/// How many of the 8 bytes at `i` are ASCII letters before one that is not (0 with
/// fewer than 8 bytes left): words are skipped 8 bytes at a time, not byte by byte.
#[inline]
fn ascii_letters_at(bytes: &[u8], i: usize) -> usize {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let Some(chunk) = bytes
        .get(i..i + 8)
        .and_then(|c| <[u8; 8]>::try_from(c).ok())
    else {
        return 0;
    };
    let w = u64::from_le_bytes(chunk);
    // Each byte's low 7 bits, folded to lower case, against 'a'..='z': no sum carries
    // into the next byte.
    let x = (w | 0x2020_2020_2020_2020) & LOW7;
    let from_a = x + 0x1f1f_1f1f_1f1f_1f1f;
    let past_z = x + 0x0505_0505_0505_0505;
    let letter = from_a & !past_z & !w & HIGH;
    ((!letter & HIGH).trailing_zeros() / 8) as usize
}

const OTHER_BYTE: u8 = 0;
const SPACE_BYTE: u8 = 1;
const LETTER_BYTE: u8 = 2;
const DIGIT_BYTE: u8 = 3;
const HYPHEN_BYTE: u8 = 4;

/// ASCII bytes that are whitespace (Python's `str.isspace`), letters, digits or `-`.
static BYTE_KINDS: [u8; 128] = {
    let mut kinds = [OTHER_BYTE; 128];
    let mut b = 0;
    while b < 128 {
        kinds[b] = match b as u8 {
            b'\t'..=b'\r' | 0x1c..=b' ' => SPACE_BYTE,
            b'a'..=b'z' | b'A'..=b'Z' => LETTER_BYTE,
            b'0'..=b'9' => DIGIT_BYTE,
            b'-' => HYPHEN_BYTE,
            _ => OTHER_BYTE,
        };
        b += 1;
    }
    kinds
};

/// Letters before this one are neither prefixes, suffixes nor icons (U+06D4 ARABIC FULL
/// STOP is a letter and both).
const LETTERS_BELOW: char = '\u{600}';

/// What the whitespace scan counts in a run of non-space characters, to tell its shape.
#[derive(Default)]
struct Run {
    /// Bytes that are not ASCII letters (a character of several bytes counts as two:
    /// never one suffix), and where the last of them is.
    odd: usize,
    last_odd: usize,
    digits: usize,
    hyphens: usize,
    /// Characters that are not ASCII, their bytes, and whether all of them are letters
    /// (`Alpha`) below `LETTERS_BELOW`.
    foreign: usize,
    foreign_bytes: usize,
    foreign_letters: bool,
}

impl Run {
    #[inline]
    fn odd_byte(&mut self, kind: u8, i: usize) {
        self.odd += 1;
        self.last_odd = i;
        self.digits += usize::from(kind == DIGIT_BYTE);
        self.hyphens += usize::from(kind == HYPHEN_BYTE);
    }

    #[inline]
    fn foreign(&mut self, c: char, i: usize) {
        self.foreign_letters =
            (self.foreign == 0 || self.foreign_letters) && c < LETTERS_BELOW && is(Class::Alpha, c);
        self.foreign += 1;
        self.foreign_bytes += c.len_utf8();
        self.odd += 2;
        self.last_odd = i;
    }

    fn shape(&self, from: usize, to: usize) -> Shape {
        let len = to - from;
        if self.odd == 0 {
            Shape::Letters
        } else if (self.foreign == 0 && len == 1)
            || (self.foreign == 1 && self.foreign_bytes == len)
        {
            Shape::One
        } else if self.odd == 1 && self.last_odd + 1 == to {
            Shape::LettersThenOne
        } else if self.digits == len {
            Shape::Digits
        } else if self.foreign > 0 && self.foreign_letters && self.odd == 2 * self.foreign {
            Shape::ForeignLetters
        } else if self.foreign == 0 && self.hyphens == self.odd {
            Shape::LettersAndHyphens
        } else {
            Shape::Other
        }
    }
}

/// What a run of non-space characters is made of, as the whitespace scan sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Only ASCII letters.
    Letters,
    /// ASCII letters, then one other ASCII character.
    LettersThenOne,
    /// One character.
    One,
    /// Only ASCII digits.
    Digits,
    /// Only letters (`Alpha`), some not ASCII, all before `LETTERS_BELOW`.
    ForeignLetters,
    /// ASCII letters and `-`, at least one of each.
    LettersAndHyphens,
    Other,
}

/// A token of ASCII letters: `push` without looking at its bytes.
fn push_letters(out: &mut Vec<Word>, start: usize, end: usize) {
    out.push(Word::new(
        Span::new(start, end),
        (end - start) as u32,
        HAS_LETTER,
    ));
}

fn push_special(out: &mut Vec<Word>, text: &str, start: usize, parts: &[&str]) {
    let mut at = start;
    for part in parts {
        push(out, text, at, at + part.len(), false);
        at += part.len();
    }
}

/// One run of non-space characters: special cases, affixes, URLs, infixes
/// (`_tokenize` = `_split_affixes` + `_attach_tokens`), then `_apply_special_cases`.
fn piece(
    text: &str,
    lo: usize,
    hi: usize,
    mode: Mode,
    shape: Shape,
    scratch: &mut Scratch,
    out: &mut Vec<Word>,
) {
    let Some(s) = text.get(lo..hi) else { return };
    let specials = mode.specials;
    // Most pieces are plain words: no prefix, suffix, infix or URL can apply to ASCII
    // letters, so they are one token, unless they spell a special case.
    if shape == Shape::Letters {
        match specials.then(|| special_letters(s)).flatten() {
            Some(parts) => push_special(out, text, lo, parts),
            None => push_letters(out, lo, hi),
        }
        return;
    }
    if specials && let Some(parts) = special(s) {
        push_special(out, text, lo, parts);
        return;
    }
    match shape {
        // Next most, a word and its punctuation (`word,`, `word.`): when the last
        // character is a suffix there, the affix loop splits it off and leaves the
        // letters, in which nothing else applies (a longer suffix needs a digit, an
        // apostrophe or `…`; no prefix starts with a letter but `US$`, `C$`, `A$`).
        // Unless the letters are a special case, these are the two tokens, and
        // `_apply_special_cases` finds nothing in them but themselves.
        Shape::LettersThenOne if letters_then_suffix(s.as_bytes(), mode) => {
            push_letters(out, lo, hi - 1);
            push(out, text, hi - 1, hi, false);
            return;
        }
        // One character is one token, whatever the affix rules take it for: a prefix
        // or a suffix leaves nothing, and an infix at its start is not split off.
        // Letters only, ASCII or not, and ASCII digits only, are one token too: no
        // letter or digit is a prefix, suffix or icon, no suffix of digits or letters
        // is a unit or currency (or `'s` without its apostrophe), and no infix or URL
        // applies without punctuation (`the_shapes_tokenize_as_the_affix_rules_do`).
        Shape::One | Shape::Digits | Shape::ForeignLetters => {
            push(out, text, lo, hi, false);
            return;
        }
        // Words joined by single hyphens (`well-known`): no prefix or suffix, and each
        // hyphen between letters is an infix. No special case is spelled with letters
        // and hyphens alone, so `_apply_special_cases` finds nothing in the tokens.
        Shape::LettersAndHyphens
            if !s.starts_with('-') && !s.ends_with('-') && !s.contains("--") =>
        {
            let mut at = lo;
            for part in s.split('-') {
                if at > lo {
                    push(out, text, at - 1, at, false);
                }
                push_letters(out, at, at + part.len());
                at += part.len() + 1;
            }
            return;
        }
        _ => {}
    }
    let cache = specials && s.len() <= PieceCache::LONGEST;
    let hash = if cache { xxh3_64(s.as_bytes()) } else { 0 };
    if cache && scratch.pieces.push_cached(s.as_bytes(), hash, lo, out) {
        return;
    }
    let first = out.len();
    affixes(text, lo, hi, specials, scratch, out);
    if cache {
        scratch.pieces.insert(s.as_bytes(), hash, lo, &out[first..]);
    }
}

/// The general path of `piece`: spaCy's affix loop, URL and infix splits, then its
/// special cases, for the run `lo..hi`.
fn affixes(
    text: &str,
    lo: usize,
    hi: usize,
    specials: bool,
    scratch: &mut Scratch,
    out: &mut Vec<Word>,
) {
    let first = out.len();
    scratch.prefixes.clear();
    scratch.suffixes.clear();
    let (mut a, mut b) = (lo, hi);
    let mut last_len = None;
    while a < b && last_len != Some(b - a) {
        let cur = &text[a..b];
        if specials && special(cur).is_some() {
            break;
        }
        last_len = Some(b - a);
        let pre = find_prefix(cur);
        if pre != 0 {
            let minus_pre = &cur[pre..];
            if !minus_pre.is_empty() && specials && special(minus_pre).is_some() {
                scratch.prefixes.push((a, a + pre));
                a += pre;
                break;
            }
        }
        let suf = find_suffix(&cur[pre..]);
        if suf != 0 {
            let minus_suf = &cur[..cur.len() - suf];
            if !minus_suf.is_empty() && specials && special(minus_suf).is_some() {
                scratch.suffixes.push((b - suf, b));
                b -= suf;
                break;
            }
        }
        if pre != 0 && suf != 0 && pre + suf <= cur.len() {
            scratch.prefixes.push((a, a + pre));
            scratch.suffixes.push((b - suf, b));
            a += pre;
            b -= suf;
        } else if pre != 0 {
            scratch.prefixes.push((a, a + pre));
            a += pre;
        } else if suf != 0 {
            scratch.suffixes.push((b - suf, b));
            b -= suf;
        }
    }
    for &(x, y) in &scratch.prefixes {
        push(out, text, x, y, false);
    }
    if a < b {
        let cur = &text[a..b];
        let parts = if specials { special(cur) } else { None };
        if let Some(parts) = parts {
            push_special(out, text, a, parts);
        } else if url_match(cur) || !infixes(cur, &mut scratch.infixes) {
            push(out, text, a, b, false);
        } else {
            let mut start = 0;
            for &(x, y) in &scratch.infixes {
                if x == 0 {
                    continue;
                }
                if x != start {
                    push(out, text, a + start, a + x, false);
                }
                if x != y {
                    push(out, text, a + x, a + y, false);
                }
                start = y;
            }
            if start < cur.len() {
                push(out, text, a + start, b, false);
            }
        }
    }
    for &(x, y) in scratch.suffixes.iter().rev() {
        push(out, text, x, y, false);
    }
    if specials && out.len() - first >= 2 {
        apply_special_cases(text, first, out);
    }
}

/// spaCy's `_apply_special_cases`: token runs that spell a special case the affix rules
/// split (`:)` after a word) become the special case's tokens; longest runs first, then
/// leftmost, as `_filter_special_spans` orders them.
fn apply_special_cases(text: &str, first: usize, out: &mut Vec<Word>) {
    let specials = &*SPECIALS;
    let n = out.len() - first;
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
    for len in (1..=specials.longest_pattern.min(n)).rev() {
        for i in 0..=n - len {
            let run = &out[first + i..first + i + len];
            let (Some(start), Some(end)) = (run.first(), run.last()) else {
                continue;
            };
            let Some(spelled) = text.get(start.span().start..end.span().end) else {
                continue;
            };
            if !specials.may_spell(spelled.as_bytes()) {
                continue;
            }
            let Some((key, lengths)) = specials.matcher.get(&xxh3_64(spelled.as_bytes())) else {
                continue;
            };
            let same = tables::SPECIAL_CASES
                .get(*key)
                .is_some_and(|(k, _)| *k == spelled)
                && lengths
                    .iter()
                    .copied()
                    .eq(run.iter().map(|w| w.span().len()));
            if same {
                found.push((i, i + len, *key));
            }
        }
    }
    if found.is_empty() {
        return;
    }
    let mut seen = vec![false; n];
    let mut accepted: Vec<(usize, usize, usize)> = Vec::new();
    for (i, j, key) in found {
        if !seen[i] && !seen[j - 1] {
            accepted.push((i, j, key));
        }
        for s in &mut seen[i..j] {
            *s = true;
        }
    }
    accepted.sort_unstable();
    let old: Vec<Word> = out.drain(first..).collect();
    let mut k = 0;
    for (i, j, key) in accepted {
        out.extend_from_slice(&old[k..i]);
        if let (Some(w), Some((_, parts))) = (old.get(i), tables::SPECIAL_CASES.get(key)) {
            push_special(out, text, w.span().start, parts);
        }
        k = j;
    }
    out.extend_from_slice(&old[k..]);
}

/// The words of `text` as datatrove's `split_into_words` gives them for English (spaCy
/// tokens, whitespace dropped).
pub fn words(text: &str) -> Vec<Word> {
    if text.len() > super::MAX_PAGE_BYTES {
        // Offsets past 4 GiB do not fit a word; the filters do not measure such a page.
        return Vec::new();
    }
    let mut out = BUFFERS
        .try_with(|b| b.borrow_mut().pop())
        .ok()
        .flatten()
        .unwrap_or_default();
    out.clear();
    // Room for a token per four bytes: pages of short tokens (numbers, lists, code)
    // passed one per five, and each growth copied every token so far.
    out.reserve(text.len() / 4 + 16);
    tokenize_on_thread(text, Mode::WORDS, &mut out);
    out
}

/// Keeps a page's words buffer for the next page on this thread (`words`), unless the
/// thread keeps enough or the buffer is a huge page's.
pub fn give_back(buffer: Vec<Word>) {
    // `try_with`: a document dropped while the thread's locals are torn down lets its
    // buffer go.
    if buffer.capacity() <= KEEP_WORDS_BUFFER {
        let _ = BUFFERS.try_with(|b| {
            let mut b = b.borrow_mut();
            if b.len() < 2 {
                b.push(buffer);
            }
        });
    }
}

/// Buffers of up to this many words are kept (6 MB).
const KEEP_WORDS_BUFFER: usize = 1 << 18;

thread_local! {
    /// A thread's tokenizer buffers and piece cache, kept from page to page.
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
    /// Words buffers of pages done with (`give_back`).
    static BUFFERS: RefCell<Vec<Vec<Word>>> = const { RefCell::new(Vec::new()) };
}

/// `tokenize` with the thread's buffers and piece cache. Pieces tokenize alike in every
/// mode with special cases (`piece` does not look at `Mode::spaces`), so words and
/// sentence counts share the cache.
fn tokenize_on_thread(text: &str, mode: Mode, out: &mut Vec<Word>) {
    SCRATCH.with(|scratch| tokenize(text, mode, &mut scratch.borrow_mut(), out));
}

/// The number of sentences spaCy's sentencizer finds in `text` (at least 1): a sentence
/// ends at a token that is one of its punctuation characters, once a token that is
/// neither punctuation nor such a character follows. `text` is at most
/// `MAX_PAGE_BYTES` long (C4 counts a line of a page), as every tokenized text is.
pub fn sentence_count(text: &str) -> usize {
    let mut tokens = Vec::new();
    tokenize_on_thread(text, Mode::SENTENCES, &mut tokens);
    count_sentences(tokens.iter().map(|t| t.flags))
}

/// `sentence_count(&text[span])` from the words of the whole text, for a `span` that
/// starts and ends at a word and at whitespace: spaCy splits each run of non-space
/// characters on its own, so the words are the same, and a whitespace token stands
/// between two words wherever the gap is other than one space.
pub fn sentence_count_in(text: &str, words: &[Word], span: Span) -> usize {
    let from = words.partition_point(|w| w.span().start < span.start);
    let to = words.partition_point(|w| w.span().end <= span.end);
    let inside = words.get(from..to.max(from)).unwrap_or(&[]);
    let mut end = None;
    let flags = inside.iter().flat_map(|w| {
        let space = end
            .is_some_and(|end| w.span().start > end && text.get(end..w.span().start) != Some(" "));
        end = Some(w.span().end);
        space.then_some(SPACE).into_iter().chain([w.flags])
    });
    count_sentences(flags)
}

fn count_sentences(tokens: impl Iterator<Item = u8>) -> usize {
    let mut count = 1;
    let mut seen_end = false;
    for flags in tokens {
        let end = flags & SENTENCE_END != 0;
        if seen_end && flags & PUNCT == 0 && !end {
            count += 1;
            seen_end = false;
        } else if end {
            seen_end = true;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pages_words_buffer_serves_the_next_page_on_the_thread() {
        let first = words("one two three four");
        assert_eq!(first.len(), 4);
        let at = first.as_ptr();
        give_back(first);
        // The next page gets the same memory, emptied, and its own words.
        let second = words("five six");
        assert_eq!(second.as_ptr(), at);
        assert_eq!(
            second
                .iter()
                .map(|w| w.text("five six"))
                .collect::<Vec<_>>(),
            ["five", "six"]
        );
        // A document's analysis gives its buffer back when it is dropped.
        let page = crate::quality::Page::new("seven eight nine");
        let at = page.words().as_ptr();
        give_back(second);
        drop(page);
        let third = words("ten");
        assert_eq!(third.as_ptr(), at);
        // A huge page's buffer is not kept.
        let mut huge = Vec::with_capacity(KEEP_WORDS_BUFFER + 1);
        huge.push(third[0]);
        let at = huge.as_ptr();
        give_back(huge);
        let fourth = words("eleven");
        assert_ne!(fourth.as_ptr(), at);
    }

    /// The tokens of `run` tokenized on its own, placed at `at` in a longer text.
    fn tokens_alone(run: &str, mode: Mode, at: usize) -> Vec<Word> {
        let mut tokens = Vec::new();
        tokenize(run, mode, &mut Scratch::default(), &mut tokens);
        tokens
            .into_iter()
            .map(|w| {
                let span = Span::new(w.span().start + at, w.span().end + at);
                Word::new(span, w.chars, w.flags)
            })
            .collect()
    }

    fn texts(text: &str) -> Vec<&str> {
        words(text).into_iter().map(|w| w.text(text)).collect()
    }

    #[test]
    fn contractions_and_possessives_split_as_in_spacy() {
        assert_eq!(
            texts("Don't worry, it's Trump’s call; they'd've gone."),
            vec![
                "Do", "n't", "worry", ",", "it", "'s", "Trump", "’s", "call", ";", "they", "'d",
                "'ve", "gone", "."
            ]
        );
    }

    #[test]
    fn abbreviations_urls_and_numbers_stay_whole() {
        assert_eq!(
            texts("U.S. officials (Inc.) paid $100, 3.5% of https://x.com/a?b=1 at 5 p.m."),
            vec![
                "U.S.",
                "officials",
                "(",
                "Inc.",
                ")",
                "paid",
                "$",
                "100",
                ",",
                "3.5",
                "%",
                "of",
                "https://x.com/a?b=1",
                "at",
                "5",
                "p.m."
            ]
        );
    }

    #[test]
    fn the_quick_url_look_ups_match_as_the_exact_patterns() {
        let long = "a".repeat(64);
        let cases = [
            "example.com".to_string(),
            "https://x.com/a?b=1".to_string(),
            "mail@news.example.org:8080/path".to_string(),
            "a.b".to_string(),
            format!("x.{}", "a".repeat(63)),
            format!("x.{long}"),
            format!("x.{long}/y"),
            format!("x.com/{long}"),
            format!("{long}.com"),
            format!("x.{}", "é".repeat(40)),
        ];
        for s in &cases {
            let exact = URL_HOST.is_match(s);
            if !long_tld_run(s) {
                assert_eq!(URL_HOST_SHORT_TLD.is_match(s), exact, "{s}");
            }
        }
        // The top-level domain's class is `ALPHA_LOWER`.
        let class = Regex::new(&format!("^[{}]$", tables::URL_TLD_CLASS))
            .expect("the generated class is a valid pattern");
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            assert_eq!(
                class.is_match(c.encode_utf8(&mut [0; 4])),
                is(Class::Lower, c),
                "{c:?}"
            );
        }
        // A top-level domain of 64 letters is no URL, and is read with the exact pattern.
        assert!(long_tld_run(&cases[5]) && !url_match(&cases[5]));
        assert!(url_match(&cases[4]) && url_match(&cases[1]));
        // Addresses.
        assert!(url_match("8.8.8.8") && url_match("http://1.2.3.4:80/x"));
        assert!(!url_match("192.168.0.1") && !url_match("v1.x") && !url_match("3."));
    }

    #[test]
    fn infixes_split_hyphens_ellipses_and_joined_sentences() {
        assert_eq!(
            texts("green-light e-mail... end.Next word,word 10-20 a/b"),
            vec![
                "green", "-", "light", "e", "-", "mail", "...", "end", ".", "Next", "word", ",",
                "word", "10", "-", "20", "a", "/", "b"
            ]
        );
    }

    #[test]
    fn suffixes_are_found_leftmost() {
        assert_eq!(texts("wait...\""), vec!["wait", "...", "\""]);
        assert_eq!(texts("5km."), vec!["5", "km", "."]);
        assert_eq!(texts("NATO."), vec!["NATO", "."]);
        assert_eq!(texts("“Hello!”"), vec!["“", "Hello", "!", "”"]);
    }

    #[test]
    fn emoticons_after_a_word_are_one_token() {
        assert_eq!(texts("Great:) ok"), vec!["Great", ":)", "ok"]);
    }

    #[test]
    fn spans_and_character_counts_are_right() {
        let text = "Nicolás  Maduro’s\u{a0}x";
        let w = words(text);
        assert_eq!(w.len(), 4);
        assert_eq!(w[0].chars, 7);
        assert_eq!(w[2].text(text), "’s");
        assert!(w[0].has_letter() && !w[0].is_symbol());
        assert!(w[2].has_letter());
    }

    #[test]
    fn symbols_are_tokens_made_only_of_punctuation() {
        let text = "a -- ... #";
        let w = words(text);
        assert!(!w[0].is_symbol());
        assert!(w[1..].iter().all(|w| w.is_symbol()));
    }

    #[test]
    fn sentences_end_at_punctuation_before_a_word() {
        assert_eq!(sentence_count("One. Two! Three? four"), 4);
        assert_eq!(sentence_count("He said “stop.” Then left."), 2);
        assert_eq!(
            sentence_count("Mr. Smith met Dr. Jones at 5 p.m. today."),
            1
        );
        assert_eq!(sentence_count("Version 3.5 is out"), 1);
    }

    /// 300 real lines of the corpus with spaCy's words and sentence counts
    /// (`scripts/gen_quality_fixture.py`).
    #[test]
    fn agrees_with_spacy_on_real_lines() {
        let fixture = include_str!("../../tests/fixtures/quality/spacy-words.jsonl");
        let mut wrong = Vec::new();
        for line in fixture.lines() {
            let v: serde_json::Value = serde_json::from_str(line).expect("fixture is JSONL");
            let text = v["text"].as_str().unwrap_or_default();
            let want: Vec<&str> = v["words"]
                .as_array()
                .map(|a| a.iter().filter_map(|w| w.as_str()).collect())
                .unwrap_or_default();
            if texts(text) != want {
                wrong.push(format!("words of {text:?}: {:?}", texts(text)));
            }
            let sentences = sentence_count(text.trim_matches(is_space));
            if Some(sentences as u64) != v["sentences"].as_u64() {
                wrong.push(format!("{sentences} sentences in {text:?}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn sentences_counted_from_the_words_of_the_page_agree() {
        let text = include_str!("../../seeds/000_db6636acdd834bc4.txt");
        let all = words(text);
        let mut start = 0;
        for line in text.split('\n') {
            let trimmed = line.trim_matches(is_space);
            if !trimmed.is_empty() {
                let at = start + (line.len() - line.trim_start_matches(is_space).len());
                let span = Span::new(at, at + trimmed.len());
                assert_eq!(
                    sentence_count_in(text, &all, span),
                    sentence_count(trimmed),
                    "{trimmed}"
                );
            }
            start += line.len() + 1;
        }
        let gaps = "One.  Two.\tThree. four";
        assert_eq!(
            sentence_count_in(gaps, &words(gaps), Span::new(0, gaps.len())),
            sentence_count(gaps)
        );
    }

    /// The tokens of one run of non-space characters, by the shape the scan gives it
    /// or by the general path (`Shape::Other`).
    fn run_tokens(s: &str, general: bool, mode: Mode) -> Vec<(Span, u32, u8)> {
        let mut out = Vec::new();
        let shape = if general {
            Shape::Other
        } else {
            let mut tokens = Vec::new();
            tokenize(s, mode, &mut Scratch::default(), &mut tokens);
            return tokens
                .iter()
                .map(|w| (w.span(), w.chars, w.flags))
                .collect();
        };
        piece(
            s,
            0,
            s.len(),
            mode,
            shape,
            &mut Scratch::default(),
            &mut out,
        );
        out.iter().map(|w| (w.span(), w.chars, w.flags)).collect()
    }

    #[test]
    fn the_shapes_tokenize_as_the_affix_rules_do() {
        // What the fast paths rely on, in the tables.
        let chars_of = |table: &[(u32, u32)]| {
            table
                .iter()
                .flat_map(|&(lo, hi)| (lo..=hi).filter_map(char::from_u32))
                .collect::<Vec<char>>()
        };
        // Letters from Arabic on include a few prefixes, suffixes and icons (`۔`).
        for c in chars_of(tables::ALPHA).into_iter().chain('0'..='9') {
            for class in [Class::Prefix, Class::Suffix, Class::Icon] {
                assert!(!is(class, c) || c >= LETTERS_BELOW, "{c:?} is {class:?}");
            }
        }
        for unit in tables::UNITS.iter().chain(tables::CURRENCY) {
            assert!(!unit.bytes().all(|b| b.is_ascii_digit()), "{unit}");
        }
        for &(i, _) in SPECIALS.matcher.values() {
            let key = tables::SPECIAL_CASES[i].0;
            assert!(
                !key.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-'),
                "{key}"
            );
        }
        // The fast paths give the tokens of the general one.
        let seed = include_str!("../../seeds/000_db6636acdd834bc4.txt");
        let fixture = include_str!("../../tests/fixtures/quality/spacy-words.jsonl");
        let odd = [
            "-",
            "|",
            "–",
            "…",
            "😀",
            "é",
            "'",
            "+",
            "$",
            ".",
            "2013",
            "0",
            "007",
            "Müller",
            "naïve",
            "übergeben",
            "Straße",
            "ǅemal",
            "frontend-oriented",
            "a-b-c",
            "x-",
            "-x",
            "a--b",
            "e-mail",
            "non-consenting,",
            "US-based",
            "A-",
            "can-not",
            "Inc-",
            "km-long",
        ];
        let runs = seed
            .split(is_space)
            .chain(fixture.split(is_space))
            .chain(odd)
            .filter(|r| !r.is_empty());
        for run in runs {
            for mode in [Mode::WORDS, Mode::SENTENCES, Mode::NO_SPECIALS] {
                assert_eq!(
                    run_tokens(run, false, mode),
                    run_tokens(run, true, mode),
                    "{run:?} in {mode:?}"
                );
            }
        }
    }

    #[test]
    fn the_class_table_agrees_with_the_ranges() {
        let around = |u: u32| u.saturating_sub(2)..u + 2;
        let chars = (0..0x900)
            .chain(0x1ff0..0x2080)
            .chain(around(0x3000))
            .chain(around(0x1_0000))
            .filter_map(char::from_u32);
        for c in chars {
            for class in CLASSES {
                assert_eq!(is(class, c), in_table(class.table(), c), "{c:?} {class:?}");
            }
        }
    }

    #[test]
    fn runs_between_single_spaces_tokenize_as_alone() {
        // Runs between single spaces are split on their own: a text of them gives the
        // tokens of each run alone, where the scan of whole words does not apply.
        let seed = include_str!("../../seeds/000_db6636acdd834bc4.txt");
        let fixture = include_str!("../../tests/fixtures/quality/spacy-words.jsonl");
        let odd = "dont can't Hello, world. cannot (word) U.S. e.g. etc. 'tis \
                   x: y; ok! no? 3 abc1 abc$ abc' a-b “quoted” don’t gonna ain't";
        let mut runs: Vec<&str> = seed
            .split(is_space)
            .chain(fixture.split(is_space))
            .chain(odd.split(is_space))
            .filter(|r| !r.is_empty())
            .collect();
        // Each run also before and after every other kind of run.
        let shuffled: Vec<&str> = runs.iter().rev().copied().collect();
        runs.extend(shuffled);
        let text = runs.join(" ");
        for mode in [Mode::WORDS, Mode::SENTENCES, Mode::NO_SPECIALS] {
            let mut whole = Vec::new();
            tokenize(&text, mode, &mut Scratch::default(), &mut whole);
            let mut alone = Vec::new();
            let mut at = 0;
            for run in &runs {
                alone.extend(tokens_alone(run, mode, at));
                at += run.len() + 1;
            }
            assert_eq!(whole.len(), alone.len(), "{mode:?}");
            for (w, a) in whole.iter().zip(&alone) {
                assert_eq!(w, a, "{:?} in {mode:?}", a.text(&text));
            }
        }
    }

    #[test]
    fn a_cached_piece_gives_the_tokens_of_the_affix_rules() {
        // Pieces of the general path, each twice: the second copy comes from the cache,
        // at its own offset, and must be what the affix rules give it alone. Special
        // cases (`He’s`, `:)`, `o.O`) are found before the cache and not kept in it.
        let general = [
            "(new",
            "1.",
            "“Reading",
            "$0.50",
            "(XHR),",
            "non-consenting,",
            "U.S.",
            "http://example.com/a?b=1",
            "can't.",
        ];
        let pieces: Vec<&str> = general
            .iter()
            .copied()
            .chain(["He’s", ":)", "o.O"])
            .collect();
        let text = pieces
            .iter()
            .chain(&pieces)
            .copied()
            .collect::<Vec<_>>()
            .join("  x ");
        let mut scratch = Scratch::default();
        let mut whole = Vec::new();
        tokenize(&text, Mode::WORDS, &mut scratch, &mut whole);
        let cached = |p: &str| scratch.pieces.entries.contains_key(&xxh3_64(p.as_bytes()));
        assert!(general.iter().all(|p| cached(p)));
        assert_eq!(scratch.pieces.entries.len(), general.len());
        let mut alone = Vec::new();
        let mut at = 0;
        for run in text.split(' ').filter(|r| !r.is_empty()) {
            at = at + text[at..].find(run).unwrap_or(0);
            alone.extend(tokens_alone(run, Mode::WORDS, at));
            at += run.len();
        }
        assert_eq!(whole, alone);
        // A piece longer than the cache keeps is tokenized each time.
        let long = format!("({})", "a.".repeat(PieceCache::LONGEST));
        let mut scratch = Scratch::default();
        tokenize(
            &format!("{long} {long}"),
            Mode::WORDS,
            &mut scratch,
            &mut Vec::new(),
        );
        assert!(scratch.pieces.entries.is_empty());
    }

    #[test]
    fn words_of_letters_find_the_special_cases_the_general_look_up_finds() {
        let spelled = tables::SPECIAL_CASES.iter().map(|(key, _)| *key);
        let others = [
            "the", "a", "I", "dont", "Dont", "DONT", "cannot", "gonna", "xyz", "em",
        ];
        let mut found = 0;
        for word in spelled.chain(others) {
            if word.bytes().all(|b| b.is_ascii_alphabetic()) {
                assert_eq!(special_letters(word), special(word), "{word}");
                found += usize::from(special(word).is_some());
            }
        }
        assert!(found > 300, "{found}");
        assert_eq!(special_letters("dont"), Some(&["do", "nt"][..]));
        assert_eq!(special_letters("the"), None);
    }

    #[test]
    fn a_byte_after_letters_is_a_suffix_as_the_general_rules_say() {
        for last in (0u8..0x80).filter(|b| !b.is_ascii_alphabetic()) {
            for letters in ["a", "Z", "ab", "Ab", "AB", "word", "FBI", "Mr", "eg", "U"] {
                let s = format!("{letters}{}", char::from(last));
                assert_eq!(
                    suffix_after_letters(s.as_bytes()),
                    suffix_at(&s, s.len() - 1),
                    "{s:?}"
                );
            }
        }
    }

    #[test]
    fn ascii_letters_are_counted_eight_bytes_at_a_time() {
        let count = |s: &str| ascii_letters_at(s.as_bytes(), 0);
        assert_eq!(count("abcdefgh"), 8);
        assert_eq!(count("AbcZzaqX!"), 8);
        assert_eq!(count("word, and"), 4);
        assert_eq!(count("Müller is"), 1);
        assert_eq!(count("abc"), 0);
        for b in 0..=255u8 {
            let mut chunk = [b'a'; 8];
            chunk[3] = b;
            let want = if b.is_ascii_alphabetic() { 8 } else { 3 };
            assert_eq!(ascii_letters_at(&chunk, 0), want, "{b:#x}");
        }
    }

    #[test]
    fn the_suffix_window_covers_every_unit_and_currency() {
        let longest = tables::UNITS
            .iter()
            .chain(tables::CURRENCY)
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(0);
        assert!(longest < SUFFIX_WINDOW, "{longest}");
    }

    #[test]
    fn never_panics_on_odd_text() {
        for text in [
            "",
            " ",
            "\n\n",
            "...",
            "'s",
            "(((",
            "a.b.c.d",
            "\u{a0}x\u{2028}y",
            "…………",
            "US$",
            "+",
            "😀😀x",
        ] {
            let _ = words(text);
            let _ = sentence_count(text);
        }
    }
}

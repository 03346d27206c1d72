//! `joined-words`: two words run together by a lost space (`White Houseis`), the
//! scraper's failure at an inline-element boundary.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use crate::declare_rule;
use crate::document::{Document, Span};
use crate::rules::{Applicability, Diagnostic, Edit, Fix, Rule, RuleMeta, Severity};
use crate::words::{self, WordInfo};

declare_rule! {
    /// ## What it does
    /// Flags a word that is not in the English word list but is two list words run
    /// together: `Houseis` (`House is`), `thePresident`, `Bidensaid`. Only English
    /// paragraphs are checked, and only prose words: never a URL, an e-mail address, a
    /// handle, a hashtag or a code span.
    ///
    /// A warning ("probably") when one half is a function word (`is`, `the`, `of`, `said`,
    /// …): that is how a space lost at a link or an emphasis boundary looks. An info
    /// ("possibly") when both halves are common words, raised to a warning when the
    /// document also has the two words apart (`foot ball` … `football` is not flagged,
    /// `football` is a word; `ticketprices` beside `ticket prices` is).
    ///
    /// Left alone: words in the list (`Facebook`, `smartphone`, `iPhone`); words with a
    /// capital inside (`WhatsApp`, `DeSantis`), unless the left part is a lowercase
    /// function word (`thePresident`); all-capital words, words with digits, dots,
    /// underscores or accents; and a word the document uses in more than one context
    /// (a name such as `Hadid`: `Zaha Hadid` and `Hadid said`).
    ///
    /// ## Why is this bad?
    /// `<a>White House</a>is` loses its space when a scraper drops the markup. Readers
    /// trip over the result, search engines index a word that does not exist, and the
    /// page looks machine-made.
    ///
    /// ## Example
    /// ```text
    /// The White Houseis aggressively pushing the Mexican government.
    /// ```
    /// Use instead:
    /// ```text
    /// The White House is aggressively pushing the Mexican government.
    /// ```
    ///
    /// ## Options
    /// `allow` (default `[]`): words never flagged, any case (names and brands such as
    /// `Fetterman`, `Ticketmaster`).
    ///
    /// ## Fix
    /// Inserts the space: safe when one half is a function word, unsafe otherwise.
    name: "joined-words",
    group: crate::rules::group::SPELLING,
    severity: Warning,
    fix: SafeOrUnsafe,
    summary: "Two words run together by a lost space",
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    allow: Vec<String>,
    possible: bool,
}

#[derive(Debug, Default)]
pub struct JoinedWords {
    /// Lowercase.
    allow: Vec<String>,
    possible: bool,
}

impl JoinedWords {
    pub fn new(options: Options) -> Self {
        JoinedWords {
            allow: options.allow.iter().map(|w| words::normalize(w)).collect(),
            possible: options.possible,
        }
    }
}

/// Shorter tokens are rarely joins and often abbreviations.
const MIN_LEN: usize = 5;
/// The halves of a "possibly" join must both be at least this common (see
/// `WordInfo::zipf10`): `foot`, `ball`, `ticket` are; `fetter`, `inter` are not.
const COMMON_ZIPF10: u8 = 30;
/// The content half of a "probably" join: a real word, not a dictionary curiosity.
const CONTENT_ZIPF10: u8 = 30;

/// How a token splits into two words.
#[derive(Debug, Clone, Copy)]
struct Split {
    /// Byte offset of the missing space inside the token.
    at: usize,
    /// One half is a function word.
    function: bool,
    /// The left half must also stand on its own in the document, with the same case:
    /// the token is capitalized and its left half is a name or a rare word, and most
    /// such tokens are names (`Westin`, `Solaris`, `Davison`), but the `Biden` of
    /// `Bidensaid` is also in `Joe Biden`.
    left_must_stand: bool,
    /// The left half is a name or a rare word, or the right half is one of
    /// `NAME_ENDINGS`: the left half must stand alone even when the token starts a
    /// sentence (where any word is capitalized).
    left_is_rare: bool,
    /// The content word is the left half (`House|is`), not the right (`of|carbon`).
    content_left: bool,
    /// The right half is a preposition, conjunction or verb that needs a word after it:
    /// `Topicon how` is `Topic on how`, but `tableaux chinois,` is not `chino is,`.
    needs_next_word: bool,
    /// Lower is better: the summed rarity of the halves.
    cost: u32,
}

impl Rule for JoinedWords {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        let text = doc.text();
        let mut code: Option<Vec<Span>> = None;
        let mut candidates: Vec<(Span, Split)> = Vec::new();
        for &stem in doc.ascii_words() {
            let word = doc.slice(stem);
            // Cheap tests first: most words are short or cannot hold a function word.
            if word.len() < MIN_LEN || (!self.possible && !may_hold_function_word(word)) {
                continue;
            }
            let Some(split) = self.split(word) else {
                continue;
            };
            if code_like(text, stem) {
                continue;
            }
            let code = code.get_or_insert_with(|| words::code_spans(text));
            if words::is_prose(text, stem, code) {
                candidates.push((stem, split));
            }
        }
        if candidates.is_empty() {
            return;
        }
        // Tests on the text around the word, before the document-wide ones.
        candidates.retain(|&(stem, split)| {
            let word = doc.slice(stem);
            let (left, right) = word.split_at(split.at.min(word.len()));
            let end = stem.end + possessive_len(text, stem.end);
            !((split.needs_next_word && !word_follows(text, end, right))
                || (split.left_must_stand
                    && (after_a_name(text, stem) || before_initials(text, end)))
                || dropped_g(text, stem.end, right)
                || left.is_empty())
        });
        if candidates.is_empty() {
            return;
        }
        let mut english = words::English::new(doc);
        candidates.retain(|(stem, _)| english.at(stem.start));
        if candidates.is_empty() {
            return;
        }
        let code = code.unwrap_or_default();
        let evidence = Evidence::new(doc, &code, &candidates);
        for (stem, split) in candidates {
            let word = doc.slice(stem);
            let (Some(left), Some(right)) = (word.get(..split.at), word.get(split.at..)) else {
                continue;
            };
            if evidence.is_a_name(word)
                || (split.left_must_stand
                    && !evidence.stands_alone(left)
                    && (split.left_is_rare || !starts_sentence(text, stem.start)))
                || one_letter_short(word, split)
            {
                continue;
            }
            let apart = evidence.has_bigram(left, right);
            if !split.function && (apart.is_none() || !self.possible) {
                continue;
            }
            let severity = if split.function {
                Severity::Warning
            } else {
                Severity::Info
            };
            let hedge = if split.function {
                "looks like"
            } else {
                "may be"
            };
            let at = stem.start + split.at;
            let applicability = if split.function {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            };
            let mut d = self
                .diagnostic(
                    stem,
                    format!("\"{word}\" {hedge} \"{left} {right}\" with a lost space"),
                )
                .with_severity(severity)
                .with_help(format!("Insert a space after \"{left}\""))
                .with_fix(Fix::new(
                    applicability,
                    vec![Edit {
                        span: Span::new(at, at),
                        replacement: " ".to_owned(),
                    }],
                ));
            if let Some(first) = apart {
                d = d.with_label(first, format!("\"{left} {right}\" is written apart here"));
            }
            out.push(d);
        }
    }
}

impl JoinedWords {
    /// The most likely split of a token that is not a word, if it is two words.
    fn split(&self, word: &str) -> Option<Split> {
        let bytes = word.as_bytes();
        if bytes.len() < MIN_LEN || !bytes.iter().all(u8::is_ascii_alphabetic) {
            return None;
        }
        let uppers = bytes.iter().filter(|b| b.is_ascii_uppercase()).count();
        // A capital after a lowercase letter: camel case (`WhatsApp`, `iPhone`, `onClick`)
        // unless the left part is a function word that precedes names (`thePresident`).
        let mut camel = (1..bytes.len())
            .filter(|&i| bytes[i].is_ascii_uppercase() && bytes[i - 1].is_ascii_lowercase());
        let forced = match (camel.next(), camel.next()) {
            (None, _) => None,
            (Some(at), None) if uppers == 1 && BEFORE_NAMES.contains(&&word[..at]) => Some(at),
            _ => return None,
        };
        if forced.is_none() && uppers > 1 {
            // All capitals (`ISIS`, headlines) or initials (`USAToday`).
            return None;
        }
        // A split point must exist before the (costlier) dictionary look-ups.
        let found = function_points(word);
        let points = |at: &usize| self.possible || found.contains(at);
        if forced.is_none() && !self.possible && found.is_empty() {
            return None;
        }
        if words::is_word(word)
            || self.allow.iter().any(|a| a.eq_ignore_ascii_case(word))
            || IDENTIFIERS.iter().any(|a| a.eq_ignore_ascii_case(word))
        {
            return None;
        }
        if let Some(at) = forced {
            let right = &word[at..];
            return (right.len() >= 3 && words::is_word(right)).then_some(Split {
                at,
                function: true,
                left_must_stand: false,
                left_is_rare: true,
                needs_next_word: false,
                content_left: false,
                cost: 0,
            });
        }
        let capitalized = bytes[0].is_ascii_uppercase();
        if capitalized && (word.ends_with("ton") || word.ends_with("son")) {
            // English place and family names (`Hobbiton`, `Davison`), not `Hobbit on`.
            return None;
        }
        let mut best: Option<Split> = None;
        for at in (2..bytes.len() - 1).filter(points) {
            let (left, right) = (&word[..at], &word[at..]);
            let Some(split) = judge(left, right, capitalized) else {
                continue;
            };
            let better = match best {
                None => true,
                Some(b) => (!b.function, b.cost) > (!split.function, split.cost),
            };
            if better {
                best = Some(Split { at, ..split });
            }
        }
        best
    }
}

/// Function words that follow a word whose space was lost (`House is`, `officials said`):
/// the closed-class words of the issue list, without the short ones that end many names
/// and dialect spellings (`Reddit`, `Markus`, `keepin'` would be `it`, `us`, `in`-less).
const AFTER: &[&str] = &[
    "and", "are", "as", "at", "been", "by", "for", "from", "had", "has", "have", "in", "is", "of",
    "on", "said", "says", "that", "the", "this", "to", "was", "were", "which", "will", "with",
    "would",
];
/// Function words that also end many names (`Westin`, `Solaris`, `Priorat`, `Palmas`,
/// `Torsby`): after a capitalized word they need more evidence.
const NAME_ENDINGS: &[&str] = &["as", "at", "by", "in", "is", "on"];
/// Function words that precede a word whose space was lost (`the president`, `of carbon`).
/// Not the particles that make compounds (`onboarding`, `underfitting`, `outof`, `bylaw`).
const BEFORE: &[&str] = &[
    "and", "are", "as", "at", "for", "from", "had", "has", "his", "is", "its", "of", "our", "said",
    "than", "that", "the", "their", "these", "this", "those", "to", "was", "were", "will", "with",
    "would", "your",
];
/// Function words that precede a capitalized name in camel-case joins (`thePresident`,
/// `ofCongress`); not `is`, `on`, `to`, `with`, which start identifiers (`isNull`,
/// `onClick`, `toString`).
const BEFORE_NAMES: &[&str] = &[
    "and", "at", "by", "for", "from", "of", "said", "that", "the",
];
/// Function words that start a join of two function words (`inthe`, `onthe`, `bythe`)
/// besides those of `BEFORE`: here they cannot be a compound's prefix.
const BEFORE_FUNCTION: &[&str] = &["by", "in", "on"];
/// Programming keywords that read as joins (`typeof` = `type of`): technical prose
/// mentions them as they are.
const IDENTIFIERS: &[&str] = &[
    "atexit",
    "elif",
    "endif",
    "instanceof",
    "isinstance",
    "keyof",
    "nameof",
    "nullptr",
    "readonly",
    "sizeof",
    "stdin",
    "stdout",
    "stderr",
    "typeof",
];

/// `word` is one of `list` (lowercase), ignoring case.
fn is_one_of(word: &str, list: &[&str]) -> bool {
    list.iter()
        .any(|w| w.len() == word.len() && w.eq_ignore_ascii_case(word))
}

/// Whether `left right` is a plausible reading, and how good.
fn judge(left: &str, right: &str, capitalized: bool) -> Option<Split> {
    let after = AFTER.contains(&right);
    let before = is_one_of(left, BEFORE);
    if after && (before || is_one_of(left, BEFORE_FUNCTION)) {
        // `ofthe`, `tothe`, `Inthe`.
        return Some(Split {
            at: 0,
            function: true,
            left_must_stand: capitalized,
            left_is_rare: false,
            needs_next_word: true,
            content_left: true,
            cost: 0,
        });
    }
    if after && left.len() >= 3 && (right.len() >= 3 || left.len() >= 4) {
        // `Houseis`, `Bidensaid`, `reportedthat`. A capitalized token's first half may be
        // a name the list lacks; the document must then use it on its own.
        return match words::lookup(left) {
            Some(info) if common(info, CONTENT_ZIPF10) || (capitalized && info.capitalized) => {
                Some(Split {
                    at: 0,
                    function: true,
                    left_must_stand: capitalized,
                    left_is_rare: NAME_ENDINGS.contains(&right)
                        || !(info.lowercase && common(info, CONTENT_ZIPF10)),
                    needs_next_word: !matches!(right, "said" | "says"),
                    content_left: true,
                    cost: rarity(info),
                })
            }
            None if capitalized && left.len() >= 4 => Some(Split {
                at: 0,
                function: true,
                left_must_stand: true,
                left_is_rare: true,
                needs_next_word: !matches!(right, "said" | "says"),
                content_left: true,
                cost: 100,
            }),
            _ => None,
        };
    }
    if before && right.len() >= 4 && !capitalized {
        // `thepresident`, `ofcarbon`. Not `Atwood`, `Inman`: capitalized words that start
        // with a function word are mostly names.
        let info = words::lookup(right)?;
        if !common(info, COMMON_ZIPF10) || !info.lowercase {
            return None;
        }
        return Some(Split {
            at: 0,
            function: true,
            left_must_stand: false,
            left_is_rare: true,
            needs_next_word: false,
            content_left: false,
            cost: rarity(info),
        });
    }
    if left.len() >= 3
        && right.len() >= 3
        && !words::is_function_word(left)
        && !words::is_function_word(right)
    {
        let (l, r) = (words::lookup(left)?, words::lookup(right)?);
        if common(l, COMMON_ZIPF10) && common(r, COMMON_ZIPF10) && l.lowercase && r.lowercase {
            return Some(Split {
                at: 0,
                function: false,
                left_must_stand: false,
                left_is_rare: true,
                needs_next_word: false,
                content_left: true,
                cost: rarity(l) + rarity(r),
            });
        }
    }
    None
}

/// At least `min` frequent, or without a count but in SCOWL's most common lists
/// (the frequency list lacks some inflections, such as `colors`).
fn common(info: WordInfo, min: u8) -> bool {
    info.zipf10 >= min || (info.zipf10 == 0 && info.scowl != 0 && info.scowl <= 35)
}

fn rarity(info: WordInfo) -> u32 {
    u32::from(100u8.saturating_sub(info.zipf10))
}

/// A word follows `at` on the same line, after spaces (and maybe an opening quote), and
/// it can follow `function`: not an auxiliary after a preposition (`novelas are` is not
/// `novel as are`).
fn word_follows(text: &str, at: usize, function: &str) -> bool {
    let Some(rest) = text.get(at..) else {
        return false;
    };
    let start = rest.len() - rest.trim_start_matches([' ', '\u{a0}']).len();
    if start == 0 {
        return false;
    }
    let rest = rest[start..].trim_start_matches(['"', '\'', '“', '‘', '(', '$', '£', '€']);
    let next: &str = rest
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    if next.is_empty() {
        return false;
    }
    let preposition = matches!(
        function,
        "as" | "at" | "by" | "for" | "from" | "in" | "of" | "on" | "with" | "the"
    );
    let auxiliary = matches!(
        next.to_ascii_lowercase().as_str(),
        "is" | "are" | "was" | "were" | "has" | "have" | "had" | "will" | "would" | "been"
    );
    !(preposition && auxiliary)
}

/// The token is a word with one letter missing (`agedas` for `agendas`, `terrafor` for
/// `terraform`): a typo, not two words. Checked last, on the few candidates left.
/// Only letters missing from the content half count: `productin` is `product in`, not
/// `production`.
fn one_letter_short(word: &str, split: Split) -> bool {
    let lower = word.to_ascii_lowercase();
    let mut buf = String::with_capacity(lower.len() + 1);
    // Strictly inside: a letter at the boundary (`hairare` → `haircare`) is as likely
    // a lost space as a lost letter.
    let content = if split.content_left {
        0..split.at
    } else {
        split.at + 1..lower.len() + 1
    };
    content.into_iter().any(|at| {
        (b'a'..=b'z').any(|letter| {
            buf.clear();
            buf.push_str(&lower[..at]);
            buf.push(char::from(letter));
            buf.push_str(&lower[at..]);
            words::lookup(&buf).is_some_and(|info| info.lowercase)
        })
    })
}

/// `keepin’`, `lookin'`: a dropped g marked by an apostrophe, not `keep in`.
fn dropped_g(text: &str, end: usize, right: &str) -> bool {
    right == "in"
        && text
            .get(end..)
            .is_some_and(|rest| rest.starts_with(['\'', '\u{2019}']))
}

/// The token is followed by initials (`Hasin DS,` in a reference list): a surname.
fn before_initials(text: &str, at: usize) -> bool {
    let Some(rest) = text.get(at..).and_then(|r| r.strip_prefix(' ')) else {
        return false;
    };
    let initials: &str = rest
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    (1..=3).contains(&initials.len())
        && initials.chars().all(|c| c.is_ascii_uppercase())
        && !rest[initials.len()..].starts_with(char::is_alphanumeric)
}

/// The token starts a sentence, a line or a list item, where any word is capitalized.
fn starts_sentence(text: &str, at: usize) -> bool {
    let before = text.get(..at).unwrap_or("");
    let trimmed = before.trim_end_matches([' ', '\u{a0}', '\t', '"', '“', '‘', '\'', '(']);
    matches!(
        trimmed.chars().next_back(),
        None | Some('\n' | '\r' | '.' | '!' | '?' | ':' | '-' | '*' | '•' | '–' | '—' | '|')
    )
}

/// The token follows a name (`Harry Lighton`, `Philips Sonicare`): a capitalized word
/// that the list has only with capitals. Then the token is a surname or a brand.
fn after_a_name(text: &str, token: Span) -> bool {
    let Some(before) = text.get(..token.start) else {
        return false;
    };
    let Some(prev) = before.strip_suffix(' ') else {
        return false;
    };
    let start = prev
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic())
        .last()
        .map_or(prev.len(), |(i, _)| i);
    let word = &prev[start..];
    word.starts_with(char::is_uppercase)
        && words::lookup(word).is_some_and(|info| info.capitalized && !info.lowercase)
}

/// A token glued to code punctuation (`typeof(x)`, `os.path`, `$var`, `a_b`): an
/// identifier, whatever its letters say.
fn code_like(text: &str, span: Span) -> bool {
    let before = text.get(..span.start).and_then(|t| t.chars().next_back());
    let mut after = text.get(span.end..).map(str::chars).into_iter().flatten();
    let (next, then) = (after.next(), after.next());
    matches!(
        before,
        Some('.' | '_' | '$' | '/' | '\\' | '<' | '=' | ':' | '-' | '>')
    ) || matches!(
        next,
        Some('(' | '[' | '{' | '=' | '_' | '/' | '\\' | '<' | '>' | '-')
    ) || (matches!(next, Some('.' | ':')) && then.is_some_and(char::is_alphanumeric))
}

/// The length of a possessive ending at `at`: `’s`, `'s`, or a lone apostrophe after
/// a plural (`parents’`; after other words it is a closing quote).
fn possessive_len(text: &str, at: usize) -> usize {
    let rest = text.get(at..).unwrap_or("");
    let plural = text.get(..at).is_some_and(|t| t.ends_with(['s', 'S']));
    for suffix in ["'s", "\u{2019}s", "'", "\u{2019}"] {
        if rest.starts_with(suffix)
            && (suffix.ends_with('s') || plural)
            && !rest[suffix.len()..].starts_with(|c: char| c.is_alphanumeric())
        {
            return suffix.len();
        }
    }
    0
}

/// Whether a word could be a join with a function word: it ends with one of `AFTER`
/// or starts with one of `BEFORE`, `BEFORE_FUNCTION` or `BEFORE_NAMES`. A necessary
/// condition, tested on every long word before any dictionary look-up.
fn may_hold_function_word(word: &str) -> bool {
    let bytes = word.as_bytes();
    let n = bytes.len();
    if n < 3 {
        return false;
    }
    let pair = |a: u8, b: u8| {
        let letter = |x: u8| usize::from(x.to_ascii_lowercase().wrapping_sub(b'a')).min(26);
        letter(a) * 27 + letter(b)
    };
    let tables = &*PAIRS;
    (tables.0[pair(bytes[n - 2], bytes[n - 1])] || tables.1[pair(bytes[0], bytes[1])])
        && !function_points(word).is_empty()
}

/// Whether some function word of `AFTER` ends with a pair of letters, and whether
/// some one of `BEFORE`, `BEFORE_FUNCTION`, `BEFORE_NAMES` starts with it (indexed
/// `first * 27 + second`, 26 for a non-letter): two table reads reject most words.
static PAIRS: LazyLock<(Vec<bool>, Vec<bool>)> = LazyLock::new(|| {
    let index = |a: u8, b: u8| usize::from(a - b'a') * 27 + usize::from(b - b'a');
    let mut ends = vec![false; 27 * 27];
    let mut starts = vec![false; 27 * 27];
    for w in AFTER {
        let b = w.as_bytes();
        ends[index(b[b.len() - 2], b[b.len() - 1])] = true;
    }
    for w in BEFORE.iter().chain(BEFORE_FUNCTION).chain(BEFORE_NAMES) {
        let b = w.as_bytes();
        starts[index(b[0], b[1])] = true;
    }
    (ends, starts)
});

/// Where a function word of `AFTER` ends the word or one of `BEFORE`,
/// `BEFORE_FUNCTION` or `BEFORE_NAMES` starts it: the split points worth judging.
fn function_points(word: &str) -> Points {
    let bytes = word.as_bytes();
    let mut points = Points::default();
    let (Some(first), Some(last)) = (bytes.first(), bytes.last()) else {
        return points;
    };
    let index = |b: &u8| usize::from(b.to_ascii_lowercase().wrapping_sub(b'a')).min(26);
    let tables = &*BY_LETTER;
    for w in &tables.0[index(last)] {
        if bytes.len() > w.len() + 1
            && bytes[bytes.len() - w.len()..].eq_ignore_ascii_case(w.as_bytes())
        {
            points.push(bytes.len() - w.len());
        }
    }
    for w in &tables.1[index(first)] {
        if bytes.len() > w.len() + 1 && bytes[..w.len()].eq_ignore_ascii_case(w.as_bytes()) {
            points.push(w.len());
        }
    }
    points
}

/// At most a handful of split points, without a heap allocation per word.
#[derive(Default)]
struct Points {
    at: [usize; 8],
    len: usize,
}

impl Points {
    fn push(&mut self, at: usize) {
        if let Some(slot) = self.at.get_mut(self.len) {
            *slot = at;
            self.len += 1;
        }
    }

    fn contains(&self, at: &usize) -> bool {
        self.at.get(..self.len).is_some_and(|a| a.contains(at))
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// `AFTER` by last letter and `BEFORE`, `BEFORE_FUNCTION`, `BEFORE_NAMES` by first
/// letter (index 26 is empty, for anything that is not a letter).
type ByLetter = [Vec<&'static str>; 27];
static BY_LETTER: LazyLock<(ByLetter, ByLetter)> = LazyLock::new(|| {
    let mut ends: ByLetter = Default::default();
    let mut starts: ByLetter = Default::default();
    let slot = |b: u8| usize::from(b - b'a');
    for w in AFTER {
        ends[slot(w.as_bytes()[w.len() - 1])].push(w);
    }
    for w in BEFORE.iter().chain(BEFORE_FUNCTION).chain(BEFORE_NAMES) {
        if !starts[slot(w.as_bytes()[0])].contains(w) {
            starts[slot(w.as_bytes()[0])].push(w);
        }
    }
    (ends, starts)
});

/// What the rest of the document says about the candidates: one pass over the
/// document's words that records only the words the candidates ask about (most
/// documents have one or two candidates; building maps of every word cost more than
/// the rest of the rule).
struct Evidence<'d> {
    /// Per candidate word (lowercase): the (previous, next) words of each occurrence.
    contexts: Vec<(String, Vec<(&'d str, &'d str)>)>,
    /// Left halves (as written) that occur as words of their own.
    standing: HashSet<&'d str>,
    /// Bigrams `left right` (lowercase) that occur apart, with their first place.
    bigrams: HashMap<(String, String), Span>,
}

impl<'d> Evidence<'d> {
    fn new(doc: &'d Document, code: &[Span], candidates: &[(Span, Split)]) -> Self {
        let text = doc.text();
        let halves: Vec<(&str, &str)> = candidates
            .iter()
            .map(|(stem, split)| doc.slice(*stem).split_at(split.at.min(stem.len())))
            .collect();
        let mut contexts: Vec<(String, Vec<(&str, &str)>)> = candidates
            .iter()
            .map(|(stem, _)| (doc.slice(*stem).to_ascii_lowercase(), Vec::new()))
            .collect();
        let mut standing = HashSet::new();
        let mut bigrams = HashMap::new();
        let words = doc.ascii_words();
        for (i, &span) in words.iter().enumerate() {
            let word = doc.slice(span);
            let asked = contexts.iter().any(|(c, _)| c.len() == word.len())
                || halves.iter().any(|(l, _)| l.len() == word.len());
            if !asked {
                continue;
            }
            let prev = i
                .checked_sub(1)
                .and_then(|p| words.get(p))
                .map_or("", |w| doc.slice(*w));
            let next = words.get(i + 1).map_or("", |w| doc.slice(*w));
            let mut prose = None;
            let mut is_prose = || *prose.get_or_insert_with(|| words::is_prose(text, span, code));
            for (candidate, seen) in &mut contexts {
                if candidate.eq_ignore_ascii_case(word) && is_prose() {
                    seen.push((prev, next));
                }
            }
            for &(left, right) in &halves {
                if left != word || !is_prose() {
                    continue;
                }
                standing.insert(left);
                if let Some(&after) = words.get(i + 1)
                    && doc.slice(after).eq_ignore_ascii_case(right)
                    && doc
                        .slice(Span::new(span.end, after.start))
                        .chars()
                        .all(char::is_whitespace)
                    && after.start > span.end
                {
                    bigrams
                        .entry((left.to_ascii_lowercase(), right.to_ascii_lowercase()))
                        .or_insert(Span::new(span.start, after.end));
                }
            }
        }
        Evidence {
            contexts,
            standing,
            bigrams,
        }
    }

    /// The word occurs in more than one context: the document uses it as a word (a
    /// name). A caption printed twice repeats one context, so it does not count.
    fn is_a_name(&self, word: &str) -> bool {
        self.contexts.iter().any(|(candidate, seen)| {
            candidate.eq_ignore_ascii_case(word)
                && seen.iter().any(|c| {
                    !(c.0.eq_ignore_ascii_case(seen[0].0) && c.1.eq_ignore_ascii_case(seen[0].1))
                })
        })
    }

    /// The document uses `word` on its own, in this case.
    fn stands_alone(&self, word: &str) -> bool {
        self.standing.contains(word)
    }

    /// Where the document writes `left right` apart, if it does.
    fn has_bigram(&self, left: &str, right: &str) -> Option<Span> {
        self.bigrams
            .get(&(left.to_ascii_lowercase(), right.to_ascii_lowercase()))
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::{JoinedWords, Options};
    use crate::rules::test::{assert_clean, check_fixture, fix_fixture, run};

    fn rule() -> JoinedWords {
        JoinedWords::default()
    }

    #[test]
    fn flags_true_joins_of_each_kind() {
        insta::assert_snapshot!(check_fixture(&rule(), "joined-words/flagged.txt"), @r#"
        1:11 joined-words "Houseis" looks like "House is" with a lost space [safe fix]
        3:255 joined-words "willingto" looks like "willing to" with a lost space [safe fix]
        5:120 joined-words "businessat" looks like "business at" with a lost space [safe fix]
        7:48 joined-words "ofcarbon" looks like "of carbon" with a lost space [safe fix]
        9:131 joined-words "asrisk" looks like "as risk" with a lost space [safe fix]
        9:138 joined-words "isstructural" looks like "is structural" with a lost space [safe fix]
        11:18 joined-words "andRyan" looks like "and Ryan" with a lost space [safe fix]
        13:47 joined-words "sitefrom" looks like "site from" with a lost space [safe fix]
        15:20 joined-words "capacityis" looks like "capacity is" with a lost space [safe fix]
        17:39 joined-words "bythe" looks like "by the" with a lost space [safe fix]
        19:84 joined-words "thePresident" looks like "the President" with a lost space [safe fix]
        "#);
    }

    #[test]
    fn the_fix_inserts_the_space() {
        fix_fixture(&rule(), "joined-words/flagged.txt");
    }

    #[test]
    fn real_articles_brands_names_and_german_stay_clean() {
        assert_clean(
            &rule(),
            include_str!("../../tests/fixtures/joined-words/clean.txt"),
        );
    }

    #[test]
    fn the_seed_joins_are_found() {
        let (_, found) = run(
            &rule(),
            "The White Houseis aggressively pushing the Mexican government to green-light joint military operations, U.S. officials said to the New York Times.\n\nFentanyl is now officially classified by the White House as a weapon.",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "\"Houseis\" looks like \"House is\" with a lost space"
        );
    }

    #[test]
    fn urls_handles_hashtags_and_code_spans_are_not_prose() {
        assert_clean(
            &rule(),
            "The officials said the report is at https://news.example.com/houseis-pushing and \
             they shared it as #houseis with @houseis and in `houseis` for the record.",
        );
    }

    #[test]
    fn a_word_used_in_several_contexts_is_a_name() {
        assert_clean(
            &rule(),
            "The firm Capacityis said it was the one. Later the Capacityis team said it is ready.",
        );
    }

    #[test]
    fn allowed_words_are_never_flagged() {
        let text = "The company said the houseis brand is new, and it is the one that the owners chose for the shop.";
        assert_eq!(run(&rule(), text).1.len(), 1);
        let allowing = JoinedWords::new(Options {
            allow: vec!["houseis".into()],
            possible: false,
        });
        assert_clean(&allowing, text);
    }
}

//! Word tokens with byte spans. URLs, domains, e-mail addresses, @handles and #hashtags
//! are found first and become their own token kinds, so spelling rules can skip them
//! (UAX #29 alone would turn `@internewscast.com` into the word `internewscast.com`).

use std::sync::LazyLock;

use regex::Regex;
use unicode_segmentation::UnicodeSegmentation;

use super::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A word with at least one letter (`House`, `it’s`, `U.S`, `COVID-19` gives `COVID` and `19`).
    Word,
    /// Digits and number punctuation only (`97`, `3.5`).
    Number,
    /// `https://…`, `www.…` or a bare domain such as `internewscast.com`.
    Url,
    Email,
    /// `@name` (may contain dots: `@internewscast.com`).
    Handle,
    Hashtag,
}

impl TokenKind {
    /// Tokens that are prose words or numbers, as opposed to addresses and tags.
    pub fn is_prose(self) -> bool {
        matches!(self, TokenKind::Word | TokenKind::Number)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
}

// Top-level domains that are also common English words (`is`, `in`, `to`, …) are left
// out: `the answer.is` is a joined sentence, not a domain.
static SPECIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<url>(?i:https?://|ftp://|www\.)[^\s<>\x22`\[\]{}|\\^]+)",
        r"|(?P<email>[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,})",
        r"|(?P<handle>@[\p{L}\p{N}_](?:[\p{L}\p{N}_.-]*[\p{L}\p{N}_])?)",
        r"|(?P<hashtag>#[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)",
        r"|(?P<domain>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*",
        r"\.(?:com|org|net|edu|gov|mil|int|io|co|ai|app|dev|info|biz|tv|uk|de|fr|es|nl|ru|ch|ca|au|jp|cn",
        r"|br|pl|se|dk|fi|eu|news|blog|online|site|xyz|ly|fm|ie|nz|za|mx|cz|pt|gr|ua|kr|sg|hk)",
        r"(?:/[^\s<>\x22]*)?)",
    ))
    .expect("built-in token regex is valid")
});

/// Tokenizes `text`; spans are offset by `base` (so a line can be tokenized on its own).
///
/// Neither a word nor an address spans ASCII whitespace, so the text is cut into
/// whitespace-separated chunks: only chunks that may hold an address (`@`, `#`, `www.`,
/// `://`, a known top-level domain) go through the address regex, and chunks of pure ASCII are segmented by a small
/// UAX #29 state machine for ASCII instead of the Unicode tables. The result is the same
/// as segmenting the whole text (`tests::chunked_tokenize_equals_the_reference`).
pub fn tokenize(text: &str, base: usize) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 6);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if is_ascii_space(bytes[i]) {
            i += 1;
            continue;
        }
        let mut start = i;
        while i < bytes.len() && !is_ascii_space(bytes[i]) {
            i += 1;
        }
        // A chunk that opens with a mark (`\u{d3e}`, a combining accent, a format
        // character) belongs to the whitespace before it (UAX #29 WB4: a mark joins
        // whatever precedes it). The whitespace always follows a break, so segmenting
        // from its start gives the same words as segmenting the whole text.
        if !bytes[start].is_ascii() && known_non_ascii(&bytes[start..]).is_none() {
            while start > 0 && is_ascii_space(bytes[start - 1]) {
                start -= 1;
            }
        }
        let chunk = &text[start..i];
        if may_hold_address(chunk.as_bytes()) {
            special(chunk, base + start, &mut out);
        } else {
            words(chunk, 0, chunk.len(), base + start, &mut out);
        }
    }
    out
}

fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
}

/// The top-level domains of the `domain` alternative of `SPECIAL`, for the prefilter.
const TLDS: &[&str] = &[
    "com", "org", "net", "edu", "gov", "mil", "int", "io", "co", "ai", "app", "dev", "info", "biz",
    "tv", "uk", "de", "fr", "es", "nl", "ru", "ch", "ca", "au", "jp", "cn", "br", "pl", "se", "dk",
    "fi", "eu", "news", "blog", "online", "site", "xyz", "ly", "fm", "ie", "nz", "za", "mx", "cz",
    "pt", "gr", "ua", "kr", "sg", "hk",
];

/// Whether the regex of addresses could match in this chunk: every kind of match holds
/// `@` or `#`, starts with `www.` or a scheme `://`, or has a `.` followed by one of the
/// top-level domains the regex knows. Most chunks (plain words, `U.S.`, `e.g.`) have
/// none, and skipping the regex for them is most of the tokenizer's speed.
fn may_hold_address(chunk: &[u8]) -> bool {
    // One pass over the chunk's bytes: chunks are a few bytes long, too short for memchr.
    for (i, &b) in chunk.iter().enumerate() {
        match b {
            b'@' | b'#' => return true,
            b'.' => {
                let rest = &chunk[i + 1..];
                let label = rest
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric())
                    .count();
                if TLDS.iter().any(|t| t.as_bytes() == &rest[..label])
                    || (i >= 3 && chunk[i - 3..i].eq_ignore_ascii_case(b"www"))
                {
                    return true;
                }
            }
            b':' if chunk[i + 1..].starts_with(b"//") => return true,
            _ => {}
        }
    }
    false
}

/// The address regex and the words between its matches, in one chunk.
fn special(text: &str, base: usize, out: &mut Vec<Token>) {
    let mut gap_start = 0;
    // `find_iter`, not `captures_iter`: resolving capture groups costs a second,
    // slower search per match; which alternative matched shows in the match's shape.
    thread_local! {
        // A clone per thread: a cloned regex has its own cache pool, owned by the thread
        // that uses it, so taking its cache is the pool's fast path. Shared, the pool
        // took most of the tokenizer's time on worker threads.
        static LOCAL: Regex = SPECIAL.clone();
    }
    let matches: Vec<regex::Match<'_>> = LOCAL.with(|regex| regex.find_iter(text).collect());
    for m in matches {
        let matched = m.as_str();
        let lower_prefix = matched.get(..8).unwrap_or(matched).to_ascii_lowercase();
        let is_url = ["http://", "https://", "ftp://", "www."]
            .iter()
            .any(|p| lower_prefix.starts_with(p));
        // An e-mail has `@` (before any `/`); a domain has neither `@` nor `#` there,
        // though its path may (`x.org/@site`).
        let host = matched.split('/').next().unwrap_or(matched);
        let is_domain = !is_url && !host.contains(['@', '#']);
        let (kind, mut end) = if is_url || is_domain {
            (TokenKind::Url, m.start() + trim_url(matched))
        } else if matched.starts_with('@') {
            (TokenKind::Handle, m.end())
        } else if matched.starts_with('#') {
            (TokenKind::Hashtag, m.end())
        } else {
            (TokenKind::Email, m.end())
        };
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        // An address glued to a word is not an address (`Houseis@x` is garbage, not a handle).
        let glued_before = before.is_some_and(|c| c.is_alphanumeric() || c == '@' || c == '#');
        let glued_after = is_domain && after.is_some_and(|c| c.is_alphanumeric());
        if glued_before || glued_after || m.start() < gap_start {
            continue;
        }
        words(text, gap_start, m.start(), base, out);
        if end <= m.start() {
            end = m.end();
        }
        out.push(Token {
            span: Span::new(base + m.start(), base + end),
            kind,
        });
        gap_start = end;
    }
    words(text, gap_start, text.len(), base, out);
}

fn words(text: &str, start: usize, end: usize, base: usize, out: &mut Vec<Token>) {
    let Some(gap) = text.get(start..end) else {
        return;
    };
    if fast_segmentable(gap.as_bytes()) {
        fast_uax29(gap.as_bytes(), base + start, out);
        return;
    }
    for (i, word) in gap.unicode_word_indices() {
        let kind = if word.chars().any(char::is_alphabetic) {
            TokenKind::Word
        } else {
            TokenKind::Number
        };
        out.push(Token {
            span: Span::new(base + start + i, base + start + i + word.len()),
            kind,
        });
    }
}

/// The non-ASCII characters the fast segmenter knows, with their UAX #29 class: the
/// curly single quotes are MidNumLet (they join `Trump’s`, like `.` and `'`); curly
/// double quotes, dashes, the ellipsis and the no-break space are Other.
fn known_non_ascii(bytes: &[u8]) -> Option<(usize, bool)> {
    match bytes {
        [0xE2, 0x80, 0x98 | 0x99, ..] => Some((3, true)),
        [0xE2, 0x80, 0x93 | 0x94 | 0x9C | 0x9D | 0xA6, ..] => Some((3, false)),
        [0xC2, 0xA0, ..] => Some((2, false)),
        _ => None,
    }
}

/// Whether every character is ASCII or one `known_non_ascii` knows.
fn fast_segmentable(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii() {
            i += 1;
        } else if let Some((len, _)) = known_non_ascii(&bytes[i..]) {
            i += len;
        } else {
            return false;
        }
    }
    true
}

/// UAX #29 word segmentation for text of ASCII and the `known_non_ascii` characters,
/// keeping the segments with a letter or digit, as `unicode_word_indices` does:
/// letters, digits and `_` join (WB5, WB8–WB10, WB13a/b); `:`, `.`, `'`, `‘` and `’`
/// join two letters (WB6/7); `,`, `;`, `.`, `'`, `‘` and `’` join two digits (WB11/12).
fn fast_uax29(bytes: &[u8], base: usize, out: &mut Vec<Token>) {
    let joins = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i < bytes.len() {
        if !joins(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < bytes.len() {
            let b = bytes[i];
            if joins(b) {
                i += 1;
                continue;
            }
            // A middle character: how long it is, and whether it is MidNumLet.
            let (len, mid_letter, mid_number) = match b {
                b':' => (1, true, false),
                b'.' | b'\'' => (1, true, true),
                b',' | b';' => (1, false, true),
                _ => match known_non_ascii(&bytes[i..]) {
                    Some((len, true)) => (len, true, true),
                    _ => break,
                },
            };
            let (prev, next) = (bytes[i - 1], bytes.get(i + len).copied().unwrap_or(b' '));
            let letters = mid_letter && prev.is_ascii_alphabetic() && next.is_ascii_alphabetic();
            let digits = mid_number && prev.is_ascii_digit() && next.is_ascii_digit();
            if letters || digits {
                i += len + 1;
            } else {
                break;
            }
        }
        let word = &bytes[start..i];
        if !word.iter().any(u8::is_ascii_alphanumeric) {
            continue;
        }
        let kind = if word.iter().any(u8::is_ascii_alphabetic) {
            TokenKind::Word
        } else {
            TokenKind::Number
        };
        out.push(Token {
            span: Span::new(base + start, base + i),
            kind,
        });
    }
}

/// Length of a URL match without trailing sentence punctuation and unbalanced closers.
fn trim_url(url: &str) -> usize {
    let mut end = url.len();
    loop {
        let Some(last) = url[..end].chars().next_back() else {
            return end;
        };
        let unbalanced = |open: char, close: char| {
            last == close && url[..end].matches(open).count() < url[..end].matches(close).count()
        };
        if matches!(
            last,
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '’' | '”' | '…'
        ) || unbalanced('(', ')')
        {
            end -= last.len_utf8();
        } else {
            return end;
        }
    }
}

/// The words of `text[span]` for the spelling rules, fast: maximal runs of ASCII
/// letters that stand alone, in order. A run glued to a digit, an underscore or a
/// non-ASCII letter (`COVID19`, `snake_case`, `Nicolás`) is skipped whole; apostrophes
/// split (`House’s` gives `House` and `s`). This is not `Document::tokens` (UAX #29
/// words and address kinds), which costs more than all three rules together; use
/// `words::is_prose` on the few words a rule keeps.
pub fn ascii_words(text: &str, span: Span) -> impl Iterator<Item = Span> + '_ {
    ascii_word_vec(text, span).into_iter()
}

/// `ascii_words`, collected: a plain loop over the bytes (a few instructions a byte),
/// which an iterator adapter made several times slower.
pub fn ascii_word_vec(text: &str, span: Span) -> Vec<Span> {
    let bytes = text.as_bytes();
    let end = span.end.min(bytes.len());
    let mut out = Vec::with_capacity((end - span.start.min(end)) / 6);
    let mut i = span.start.min(end);
    while i < end {
        if !bytes[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < end && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        let glued_before = start > 0 && glues(text, bytes[start - 1], start, true);
        let glued_after = i < bytes.len() && glues(text, bytes[i], i, false);
        if !glued_before && !glued_after {
            out.push(Span::new(start, i));
        }
    }
    out
}

/// Whether the neighbour byte `b` (at `at - 1` when `before`, else at `at`) continues a
/// word: an ASCII digit or `_`, or a non-ASCII letter or digit. Only non-ASCII bytes
/// are decoded, and the common punctuation (quotes, dashes, no-break space) is
/// answered without a Unicode table.
#[inline]
fn glues(text: &str, b: u8, at: usize, before: bool) -> bool {
    if b.is_ascii() {
        return b.is_ascii_digit() || b == b'_';
    }
    let c = if before {
        text.get(..at).and_then(|t| t.chars().next_back())
    } else {
        text.get(at..).and_then(|t| t.chars().next())
    };
    c.is_some_and(|c| {
        !matches!(c, '\u{a0}' | '\u{2000}'..='\u{206f}') && (c.is_alphanumeric() || c == '_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&str, TokenKind)> {
        tokenize(text, 0)
            .into_iter()
            .map(|t| (&text[t.span.range()], t.kind))
            .collect()
    }

    #[test]
    fn handles_domains_and_words_are_told_apart() {
        assert_eq!(
            kinds("Share this @internewscast.com now"),
            vec![
                ("Share", TokenKind::Word),
                ("this", TokenKind::Word),
                ("@internewscast.com", TokenKind::Handle),
                ("now", TokenKind::Word),
            ]
        );
        assert_eq!(
            kinds("see internewscast.com."),
            vec![
                ("see", TokenKind::Word),
                ("internewscast.com", TokenKind::Url)
            ]
        );
    }

    #[test]
    fn urls_lose_trailing_punctuation_but_keep_balanced_parentheses() {
        assert_eq!(
            kinds("(https://en.wikipedia.org/wiki/Rust_(language)), ok"),
            vec![
                (
                    "https://en.wikipedia.org/wiki/Rust_(language)",
                    TokenKind::Url
                ),
                ("ok", TokenKind::Word),
            ]
        );
    }

    #[test]
    fn emails_and_hashtags_are_their_own_kinds() {
        assert_eq!(
            kinds("mail tips@nytimes.com #BlackLivesMatter #1"),
            vec![
                ("mail", TokenKind::Word),
                ("tips@nytimes.com", TokenKind::Email),
                ("#BlackLivesMatter", TokenKind::Hashtag),
                ("1", TokenKind::Number),
            ]
        );
    }

    #[test]
    fn abbreviations_and_joined_sentences_are_words_not_domains() {
        assert_eq!(
            kinds("U.S. officials said.It was"),
            vec![
                ("U.S", TokenKind::Word),
                ("officials", TokenKind::Word),
                ("said.It", TokenKind::Word),
                ("was", TokenKind::Word),
            ]
        );
    }

    #[test]
    fn apostrophes_stay_inside_words_and_numbers_are_numbers() {
        assert_eq!(
            kinds("Trump’s 97 percent"),
            vec![
                ("Trump’s", TokenKind::Word),
                ("97", TokenKind::Number),
                ("percent", TokenKind::Word),
            ]
        );
    }

    use proptest::prelude::Strategy;

    /// The tokenizer as it was: the regex and UAX #29 over the whole text.
    fn reference(text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        special_reference(text, &mut out);
        out
    }

    fn special_reference(text: &str, out: &mut Vec<Token>) {
        let mut gap_start = 0;
        let push_words = |from: usize, to: usize, out: &mut Vec<Token>| {
            for (i, word) in text[from..to].unicode_word_indices() {
                let kind = if word.chars().any(char::is_alphabetic) {
                    TokenKind::Word
                } else {
                    TokenKind::Number
                };
                out.push(Token {
                    span: Span::new(from + i, from + i + word.len()),
                    kind,
                });
            }
        };
        for caps in SPECIAL.captures_iter(text) {
            let m = caps.get(0).unwrap();
            let (kind, mut end) = if caps.name("url").is_some() || caps.name("domain").is_some() {
                (TokenKind::Url, m.start() + trim_url(m.as_str()))
            } else if caps.name("email").is_some() {
                (TokenKind::Email, m.end())
            } else if caps.name("handle").is_some() {
                (TokenKind::Handle, m.end())
            } else {
                (TokenKind::Hashtag, m.end())
            };
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            let glued_before = before.is_some_and(|c| c.is_alphanumeric() || c == '@' || c == '#');
            let glued_after = kind == TokenKind::Url
                && caps.name("domain").is_some()
                && after.is_some_and(|c| c.is_alphanumeric());
            if glued_before || glued_after || m.start() < gap_start {
                continue;
            }
            push_words(gap_start, m.start(), out);
            if end <= m.start() {
                end = m.end();
            }
            out.push(Token {
                span: Span::new(m.start(), end),
                kind,
            });
            gap_start = end;
        }
        push_words(gap_start, text.len(), out);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        #[test]
        fn chunked_tokenize_equals_the_reference(
            parts in proptest::collection::vec(proptest::prop_oneof![
                proptest::prelude::Just("word".to_owned()),
                proptest::prelude::Just(" ".to_owned()),
                proptest::prelude::Just("\n".to_owned()),
                proptest::prelude::Just("U.S.".to_owned()),
                proptest::prelude::Just("3.5".to_owned()),
                proptest::prelude::Just("1,000".to_owned()),
                proptest::prelude::Just("it's".to_owned()),
                proptest::prelude::Just("it’s".to_owned()),
                proptest::prelude::Just("a:b".to_owned()),
                proptest::prelude::Just("snake_case".to_owned()),
                proptest::prelude::Just("__".to_owned()),
                proptest::prelude::Just("@site.com".to_owned()),
                proptest::prelude::Just("#tag".to_owned()),
                proptest::prelude::Just("https://x.y/a_(b)".to_owned()),
                proptest::prelude::Just("www.x.org".to_owned()),
                proptest::prelude::Just("x.com".to_owned()),
                proptest::prelude::Just("x.COM".to_owned()),
                proptest::prelude::Just("a.comb".to_owned()),
                proptest::prelude::Just("WWW.X.ORG".to_owned()),
                proptest::prelude::Just("HTTP://A".to_owned()),
                proptest::prelude::Just("ftp://".to_owned()),
                proptest::prelude::Just(".de".to_owned()),
                proptest::prelude::Just("a@b.de".to_owned()),
                proptest::prelude::Just("Nicolás".to_owned()),
                proptest::prelude::Just("\u{a0}".to_owned()),
                proptest::prelude::Just("\u{301}".to_owned()),
                proptest::prelude::Just("–".to_owned()),
                proptest::prelude::Just("’".to_owned()),
                proptest::prelude::Just("‘".to_owned()),
                proptest::prelude::Just("“x”".to_owned()),
                proptest::prelude::Just("…".to_owned()),
                proptest::prelude::Just("9’9".to_owned()),
                proptest::prelude::Just("a’".to_owned()),
                proptest::prelude::Just("😀\u{200d}".to_owned()),
                proptest::prelude::any::<char>().prop_map(String::from),
                "[ -~]{0,6}",
            ], 0..30)
        ) {
            let text = parts.concat();
            proptest::prop_assert_eq!(tokenize(&text, 0), reference(&text), "{:?}", text);
        }
    }

    #[test]
    fn a_mark_after_whitespace_joins_it_as_in_the_whole_text() {
        for text in [
            " \u{d3e}",
            "a  \u{d3e}x",
            "a\t \u{301}",
            "a\n\u{d3e}",
            "\u{d3e}",
        ] {
            assert_eq!(tokenize(text, 0), reference(text), "{text:?}");
        }
        assert_eq!(tokenize("a \u{d3e}", 0)[1].span, Span::new(1, 5));
    }

    #[test]
    fn spans_are_offset_by_base() {
        let tokens = tokenize("ab cd", 10);
        assert_eq!(tokens[1].span, Span::new(13, 15));
    }
}

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
pub fn tokenize(text: &str, base: usize) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut gap_start = 0;
    for caps in SPECIAL.captures_iter(text) {
        let Some(m) = caps.get(0) else { continue };
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
        // An address glued to a word is not an address (`Houseis@x` is garbage, not a handle).
        let glued_before = before.is_some_and(|c| c.is_alphanumeric() || c == '@' || c == '#');
        let glued_after = kind == TokenKind::Url
            && caps.name("domain").is_some()
            && after.is_some_and(|c| c.is_alphanumeric());
        if glued_before || glued_after || m.start() < gap_start {
            continue;
        }
        words(text, gap_start, m.start(), base, &mut out);
        if end <= m.start() {
            end = m.end();
        }
        out.push(Token {
            span: Span::new(base + m.start(), base + end),
            kind,
        });
        gap_start = end;
    }
    words(text, gap_start, text.len(), base, &mut out);
    out
}

fn words(text: &str, start: usize, end: usize, base: usize, out: &mut Vec<Token>) {
    let Some(gap) = text.get(start..end) else {
        return;
    };
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

    #[test]
    fn spans_are_offset_by_base() {
        let tokens = tokenize("ab cd", 10);
        assert_eq!(tokens[1].span, Span::new(13, 15));
    }
}

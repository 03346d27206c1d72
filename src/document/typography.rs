//! Typographic marks, shared by the typography rules: paragraphs as runs of lines,
//! lines that look like code, the role of every quote mark (apostrophe, opening or
//! closing quote, prime) and the dashes a document puts between clauses.

use std::sync::LazyLock;

use regex::Regex;

use super::{Document, Span, chars};

/// Paragraphs for quote balance: runs of non-blank lines. A `<br>` inside a paragraph
/// becomes a single line break in scraped text, and a quotation may run across it.
pub fn paragraphs(doc: &Document) -> Vec<Span> {
    let mut out = Vec::new();
    let mut current: Option<Span> = None;
    for line in doc.lines() {
        if chars::is_blank(line.text) {
            out.extend(current.take());
        } else {
            current = Some(match current {
                Some(span) => Span::new(span.start, line.span.end),
                None => line.span,
            });
        }
    }
    out.extend(current);
    out
}

// Straight quotes, `--` and `...` in code are the right characters: a line with an
// assignment, a call with a string argument, braces, an arrow, a shell prompt or a
// comment marker is left to the programmers. Word characters and boundaries are ASCII
// (`(?-u:\b)`): a Unicode `\b` sends the regex engine to its slow path on non-ASCII
// text, and code identifiers are ASCII anyway.
static CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r#"[{}]|=>|->|<-|==|!=|::|</|/>|[A-Za-z0-9_]\(|\[['"]|['"]\]|`|\\[nt"']|"""|'''"#,
        r#"|^\s*"[^"\s]+"\s*:|"\s*/?>"#,
        r#"|^\s*(?:WARNING|ERROR|INFO|DEBUG|TRACE)(?-u:\b)"#,
        r#"|^\s*(?:\$|>>>|#!|//|--|<!|\.\./|\./)|(?-u:\b)[A-Z]:\\"#,
        r#"|[A-Za-z0-9_\]\)]\s*[-+*/:|]?=\s*\S|(?-u:\b)[a-z][a-z0-9]*_[a-z0-9_]+(?-u:\b)"#,
        r#"|^\s*(?:import|from|def|class|const|let|var|function|return|SELECT|pip|npm|git|sudo|cd)\s"#,
    ))
    .expect("built-in code regex is valid")
});

/// A line that looks like program text, a command or markup rather than prose.
pub fn is_code_like(line: &str) -> bool {
    CODE.is_match(line)
}

/// Single (`'` `‘` `’`) or double (`"` `“` `”` `„`) quotation marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuoteKind {
    Single,
    Double,
}

/// What a quote character does where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuoteRole {
    /// Inside or at the edge of a word: `Mexico's`, `’90s`, `rock ’n’ roll`, `players’`.
    Apostrophe,
    Open,
    Close,
    /// After a digit: feet and inches (`5'10"`), minutes and seconds. Left alone.
    Prime,
    /// `‘` where an apostrophe belongs: `‘90s`, `don‘t`, `rock ‘n’ roll`.
    MisdirectedApostrophe,
    /// Nothing in the context says which (a quote between two spaces).
    Unknown,
}

/// One quote character and its role in its paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuoteMark {
    pub span: Span,
    pub ch: char,
    pub kind: QuoteKind,
    pub role: QuoteRole,
    /// The role follows from the context alone; `false` when it was guessed (from
    /// the open/close alternation or the absence of a closing quote).
    pub certain: bool,
    /// For an opening quote, the span of the quote that closes it.
    pub partner: Option<Span>,
    /// An apostrophe where a closing single quote could stand (`players’ union`):
    /// it may close a quotation opened in an earlier paragraph.
    pub closing_position: bool,
}

impl QuoteMark {
    pub fn is_straight(&self) -> bool {
        matches!(self.ch, '\'' | '"')
    }

    /// The curly character for this mark's role (`’` for apostrophes and closing
    /// single quotes), or `None` for primes and unknowns.
    pub fn curly(&self) -> Option<char> {
        Some(match (self.kind, self.role) {
            (QuoteKind::Single, QuoteRole::Open) => '‘',
            (
                QuoteKind::Single,
                QuoteRole::Close | QuoteRole::Apostrophe | QuoteRole::MisdirectedApostrophe,
            ) => '’',
            (QuoteKind::Double, QuoteRole::Open) => '“',
            (QuoteKind::Double, QuoteRole::Close) => '”',
            _ => return None,
        })
    }
}

/// Contractions and clippings that begin with an apostrophe: `'em`, `'tis`, `’til`,
/// `rock 'n' roll`, Dutch `'s-Hertogenbosch`.
const ELISIONS: &[&str] = &[
    "bout", "cause", "cept", "d", "em", "ll", "n", "neath", "nuff", "re", "round", "s", "t", "til",
    "till", "tis", "twas", "twere", "twill", "twixt", "un", "ve",
];

fn is_elision(word: &str) -> bool {
    ELISIONS.iter().any(|e| e.eq_ignore_ascii_case(word))
}

/// Characters after which a quote opens: nothing, a space, an opening bracket, a dash
/// or another opening quote.
fn opens_after(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '(' | '[' | '{' | '<' | '—' | '–' | '-' | '“' | '‘' | '„' | '«' | '"' | '\''
                )
        }
    }
}

/// The letters of the word that starts at `s`.
fn leading_word(s: &str) -> &str {
    let end = s
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(s.len(), |(i, _)| i);
    &s[..end]
}

/// `'90s`, `’08`, `'90’s`: two digits then an optional `s`, then no more digits.
fn is_decade_clip(after: &str) -> bool {
    let bytes = after.as_bytes();
    if !(bytes.len() >= 2 && bytes[0].is_ascii_digit() && bytes[1].is_ascii_digit()) {
        return false;
    }
    // Two ASCII digits: byte 2 is a char boundary.
    let rest = &after[2..];
    let rest = rest
        .strip_prefix("’s")
        .or_else(|| rest.strip_prefix("'s"))
        .or_else(|| rest.strip_prefix('s'))
        .unwrap_or(rest);
    !rest.starts_with(|c: char| c.is_alphanumeric())
}

/// A quote character before role resolution: its role if the context decides it,
/// or what to ask of the rest of the paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hint {
    Role(QuoteRole, bool),
    /// `’` or `'` after a word and before a non-word: a closing quote if a single
    /// quote is open, else an apostrophe (`players’`, `goin’`).
    CloseOrApostrophe,
    /// `‘` or `'` before a word: an opening quote, certain only if something can
    /// close it later in the paragraph.
    OpenSingle,
    /// `'em`, `‘til`: an apostrophe unless something closes it later, which makes it
    /// an opening quote (`'Til death,' she said`).
    ElisionOrOpen,
    /// A double quote the context does not decide: close if one is open.
    DoubleByParity,
    /// After a digit: a closing quote if one of its kind is open, else a prime.
    PrimeOrClose,
    /// An apostrophe inside a word (`O’Brien`), unless a single quotation is open:
    /// then a closing quote glued to the next word.
    ApostropheOrClose,
    /// After punctuation and before a word: a closing quote if a single quotation is
    /// open, else unknown.
    CloseOrUnknown,
    /// `‘` after a word: a closing quote typed the wrong way if a single quotation is
    /// open, else an apostrophe typed the wrong way.
    MisdirectedOrClose,
}

fn is_quote(c: char) -> bool {
    matches!(c, '\'' | '"' | '‘' | '’' | '“' | '”' | '„')
}

/// A paragraph with quote marks, and whether one of its lines looks like code.
#[derive(Debug, Clone)]
pub struct QuotedParagraph {
    /// The paragraph's position among all the document's paragraphs.
    pub index: usize,
    pub span: Span,
    pub marks: Vec<QuoteMark>,
    pub has_code: bool,
}

/// Every paragraph with at least one quote mark, in order (`Document::quotes` caches it).
pub fn quoted_paragraphs(doc: &Document) -> Vec<QuotedParagraph> {
    let bytes = doc.text().as_bytes();
    if memchr::memchr3(b'\'', b'"', 0xE2, bytes).is_none() {
        return Vec::new();
    }
    paragraphs(doc)
        .into_iter()
        .enumerate()
        .filter_map(|(index, span)| {
            let marks = scan_quotes(doc, span);
            if marks.is_empty() {
                return None;
            }
            let text = doc.slice(span);
            let has_code = text.contains('\n') && text.lines().any(is_code_like);
            Some(QuotedParagraph {
                index,
                span,
                marks,
                has_code,
            })
        })
        .collect()
}

/// The quote marks of one paragraph, with roles. Marks on code-like lines are left out.
pub fn scan_quotes(doc: &Document, paragraph: Span) -> Vec<QuoteMark> {
    let text = doc.slice(paragraph);
    let bytes = text.as_bytes();
    // Fast path: no straight quote and no U+201x character.
    if memchr::memchr3(b'\'', b'"', 0xE2, bytes).is_none() {
        return Vec::new();
    }
    let mut marks: Vec<(QuoteMark, Hint)> = Vec::new();
    let mut line_start = 0;
    let mut at: Vec<usize> = Vec::new();
    for line in text.split_inclusive('\n') {
        let base = line_start;
        line_start += line.len();
        // Quote characters found by bytes: `'`, `"`, and the U+201x ones (lead byte E2),
        // so that the char loop runs over quotes, not over the whole line.
        at.clear();
        at.extend(
            memchr::memchr3_iter(b'\'', b'"', 0xE2, line.as_bytes()).filter(|&i| {
                line.get(i..)
                    .and_then(|s| s.chars().next())
                    .is_some_and(is_quote)
            }),
        );
        if at.is_empty() || is_code_like(line) {
            continue;
        }
        for &i in &at {
            let Some(c) = line[i..].chars().next() else {
                continue;
            };
            let after = &line[i + c.len_utf8()..];
            let next = after.chars().next().filter(|n| *n != '\n' && *n != '\r');
            let (kind, hint) = classify(c, &line[..i], next, after);
            let start = paragraph.start + base + i;
            marks.push((
                QuoteMark {
                    span: Span::new(start, start + c.len_utf8()),
                    ch: c,
                    kind,
                    role: QuoteRole::Unknown,
                    certain: false,
                    partner: None,
                    closing_position: false,
                },
                hint,
            ));
        }
    }
    resolve(&mut marks);
    marks.into_iter().map(|(m, _)| m).collect()
}

/// What may follow an opening quote: a word, an opening bracket or quote, an ellipsis
/// (`"...and then"`). Not a space or a period: `just right. ".` closes.
fn starts_quotation(after: &str) -> bool {
    after.starts_with("...")
        || after.chars().next().is_some_and(|c| {
            c.is_alphanumeric()
                || matches!(
                    c,
                    '(' | '[' | '‘' | '\'' | '“' | '…' | '$' | '#' | '¿' | '¡'
                )
        })
}

/// `31 1/2x11 3/4x79 1/2 ` or `12x18 `: a fraction or a dimension before the spaces,
/// after which a straight double quote is an inch mark. Not `the i7 ` or `There are 31 `.
fn ends_in_measure(before: &str) -> bool {
    let token = before
        .trim_end()
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("");
    let bytes = token.as_bytes();
    bytes.last().is_some_and(u8::is_ascii_digit)
        && bytes.windows(3).any(|w| {
            w[0].is_ascii_digit() && matches!(w[1], b'/' | b'x' | b'X') && w[2].is_ascii_digit()
        })
}

/// After a word or closing punctuation: where a closing quote stands.
fn closes_after(c: Option<char>) -> bool {
    c.is_some_and(|c| {
        c.is_alphanumeric()
            || matches!(
                c,
                '.' | ',' | '!' | '?' | ';' | ':' | ')' | ']' | '…' | '%' | '’' | '”'
            )
    })
}

/// Endings that follow an apostrophe inside a word: `it’s`, `don’t`, `we’re`, `rock’n’roll`.
const CONTRACTION_ENDINGS: &[&str] = &["all", "d", "em", "ll", "m", "n", "re", "s", "t", "ve"];

fn classify(c: char, before: &str, next: Option<char>, after: &str) -> (QuoteKind, Hint) {
    let prev = before.chars().next_back();
    let letter_before = prev.is_some_and(char::is_alphabetic);
    // `6½"` is a measure too.
    let digit_before = prev.is_some_and(|p| p.is_ascii_digit() || matches!(p, '¼' | '½' | '¾'));
    let word_after = next.is_some_and(char::is_alphanumeric);
    let letter_after = next.is_some_and(char::is_alphabetic);
    let digit_after = next.is_some_and(|n| n.is_ascii_digit());
    let open_side = opens_after(prev);
    let space_after = next.is_none_or(char::is_whitespace);
    // `rock 'n' roll`: the two marks around a lone `n` are both apostrophes.
    let n_clip = {
        let mut cs = after.chars();
        matches!(cs.next(), Some('n' | 'N'))
            && matches!(cs.next(), Some('\'' | '’'))
            && !cs.next().is_some_and(char::is_alphanumeric)
    };
    use Hint::*;
    use QuoteRole::*;
    match c {
        '\'' | '’' => {
            let hint = if letter_before && letter_after {
                let ending = leading_word(after);
                if CONTRACTION_ENDINGS
                    .iter()
                    .any(|e| e.eq_ignore_ascii_case(ending))
                {
                    Role(Apostrophe, true)
                } else {
                    // `O’Brien`; or, inside a quotation, a closing quote glued to the
                    // next word: `‘…Finance’is a series`.
                    ApostropheOrClose
                }
            } else if digit_before {
                // `1990's` is an apostrophe; `5'10"` and `6’` are primes, unless a
                // quotation is open: `'Class of 1990'`.
                if letter_after {
                    Role(Apostrophe, true)
                } else {
                    PrimeOrClose
                }
            } else if !open_side && !word_after {
                CloseOrApostrophe
            } else if !open_side && word_after {
                // `(USA)'s`, `U.S.'s`; `‘…Resume.’Read the research` and
                // `‘…English’4,162 comments` close.
                if matches!(prev, Some(')' | ']' | '.')) && matches!(next, Some('s')) {
                    Role(Apostrophe, true)
                } else {
                    CloseOrUnknown
                }
            } else if open_side && (n_clip || c == '’') && word_after {
                // `’90s`, `’em`; a `’` opening a quotation is a different mistake.
                Role(Apostrophe, true)
            } else if open_side && digit_after {
                if is_decade_clip(after) {
                    Role(Apostrophe, true)
                } else {
                    OpenSingle
                }
            } else if open_side && letter_after {
                if is_elision(leading_word(after)) {
                    ElisionOrOpen
                } else {
                    OpenSingle
                }
            } else {
                Role(Unknown, false)
            };
            (QuoteKind::Single, hint)
        }
        '‘' => {
            let hint = if (letter_before || digit_before) && letter_after {
                Role(MisdirectedApostrophe, true)
            } else if (letter_before || digit_before) && !word_after {
                // `players‘ union`; or `…last year‘ thing` closing a quotation.
                MisdirectedOrClose
            } else if open_side && (n_clip || (digit_after && is_decade_clip(after))) {
                Role(MisdirectedApostrophe, true)
            } else if open_side && letter_after && is_elision(leading_word(after)) {
                ElisionOrOpen
            } else if open_side && word_after {
                OpenSingle
            } else {
                Role(Unknown, false)
            };
            (QuoteKind::Single, hint)
        }
        '"' | '“' | '”' => {
            let next_visible = after.trim_start().chars().next();
            let prev_visible = before.trim_end().chars().next_back();
            let hint = if matches!(prev, Some('€' | 'â')) {
                // `â€”`, `â€œ`: mojibake of a dash or a quote, not a quote.
                Role(Unknown, false)
            } else if (digit_before
                || (c == '"' && prev.is_some_and(char::is_whitespace) && ends_in_measure(before)))
                && c != '“'
            {
                // `5'10"`, `a 6.5” screen`, `79 1/2 "` in a product list; but `"1.23"`
                // closes.
                PrimeOrClose
            } else if c == '"' {
                if prev == Some('(') && next == Some(')') {
                    Role(Unknown, false) // `double quotes (")`
                } else if matches!(prev, Some('\'' | '"' | '’')) {
                    // `'dominated NZ skies'"`: after another quote, what is open decides.
                    DoubleByParity
                } else if open_side && starts_quotation(after) {
                    Role(Open, true)
                } else if !open_side && !word_after {
                    Role(Close, true)
                } else {
                    DoubleByParity
                }
            } else if prev == Some('(') && next == Some(')') {
                // `double quotes (“)`: the character named, not used.
                Role(Unknown, false)
            } else if c == '“' {
                if (closes_after(prev) || matches!(prev, Some('—' | '–'))) && !word_after {
                    // `…Languages?“`: typed the wrong way round.
                    Role(Close, false)
                } else if space_after {
                    // `from “ Dancing with the Stars.”` opens; `| “ |` is decoration.
                    if next_visible.is_some_and(char::is_alphanumeric) {
                        Role(Open, false)
                    } else {
                        Role(Unknown, false)
                    }
                } else {
                    Role(Open, true)
                }
            } else if !word_after {
                if !open_side {
                    Role(Close, true)
                } else if closes_after(prev_visible) {
                    // `delays ”.`
                    Role(Close, false)
                } else {
                    Role(Unknown, false)
                }
            } else if open_side {
                // `”Hello”`, as Swedish and Finnish set it, or typed the wrong way round.
                Role(Open, false)
            } else {
                // `thinking…”Wow`: after punctuation and before a word.
                DoubleByParity
            };
            (QuoteKind::Double, hint)
        }
        // `â„¢` is mojibake of `™`.
        '„' if prev == Some('â') => (QuoteKind::Double, Role(Unknown, false)),
        '„' => (QuoteKind::Double, Role(Open, true)),
        _ => (QuoteKind::Double, Role(Unknown, false)),
    }
}

/// Gives every mark its role: pairs quotes left to right, one open single and a
/// stack of open doubles per paragraph.
fn resolve(marks: &mut [(QuoteMark, Hint)]) {
    // A later closing candidate decides whether a single quote before a word opens a
    // quotation (`'weapon of mass destruction'`) or is an elision we do not know.
    let mut closer_after = vec![false; marks.len() + 1];
    for i in (0..marks.len()).rev() {
        let is_closer = marks[i].0.kind == QuoteKind::Single
            && matches!(
                marks[i].1,
                Hint::CloseOrApostrophe | Hint::MisdirectedOrClose
            );
        closer_after[i] = closer_after[i + 1] || is_closer;
    }
    let mut open_single: Option<usize> = None;
    let mut open_double: Vec<usize> = Vec::new();
    for i in 0..marks.len() {
        let (mark, hint) = marks[i];
        let (role, certain) = match (mark.kind, hint) {
            (_, Hint::Role(role, certain)) => (role, certain),
            (QuoteKind::Single, Hint::CloseOrApostrophe) => {
                if open_single.is_some() {
                    (QuoteRole::Close, true)
                } else {
                    (QuoteRole::Apostrophe, true)
                }
            }
            (QuoteKind::Single, Hint::OpenSingle) => {
                // A curly `‘` says it opens; a straight one is only sure with a closer.
                (QuoteRole::Open, mark.ch == '‘' || closer_after[i + 1])
            }
            (QuoteKind::Single, Hint::ElisionOrOpen) => match (closer_after[i + 1], mark.ch) {
                (true, '‘') => (QuoteRole::Open, true),
                (true, _) => (QuoteRole::Apostrophe, false),
                (false, '‘') => (QuoteRole::MisdirectedApostrophe, true),
                (false, _) => (QuoteRole::Apostrophe, true),
            },
            (QuoteKind::Single, Hint::ApostropheOrClose) => match open_single {
                Some(_) => (QuoteRole::Close, false),
                None => (QuoteRole::Apostrophe, true),
            },
            (QuoteKind::Single, Hint::CloseOrUnknown) => match open_single {
                Some(_) => (QuoteRole::Close, false),
                None => (QuoteRole::Unknown, false),
            },
            (QuoteKind::Single, Hint::MisdirectedOrClose) => match open_single {
                Some(_) => (QuoteRole::Close, false),
                None => (QuoteRole::MisdirectedApostrophe, true),
            },
            (kind, Hint::PrimeOrClose) => {
                let open = match kind {
                    QuoteKind::Single => open_single.is_some(),
                    QuoteKind::Double => !open_double.is_empty(),
                };
                if open {
                    (QuoteRole::Close, false)
                } else {
                    (QuoteRole::Prime, true)
                }
            }
            (_, Hint::DoubleByParity) => {
                if open_double.is_empty() {
                    (QuoteRole::Open, false)
                } else {
                    (QuoteRole::Close, false)
                }
            }
            _ => (QuoteRole::Unknown, false),
        };
        marks[i].0.role = role;
        marks[i].0.certain = certain;
        marks[i].0.closing_position = role == QuoteRole::Apostrophe
            && matches!(hint, Hint::CloseOrApostrophe | Hint::MisdirectedOrClose);
        match (mark.kind, role) {
            (QuoteKind::Single, QuoteRole::Open) => open_single = Some(i),
            (QuoteKind::Single, QuoteRole::Close) => {
                if let Some(o) = open_single.take() {
                    marks[o].0.partner = Some(mark.span);
                }
            }
            (QuoteKind::Double, QuoteRole::Open) => open_double.push(i),
            (QuoteKind::Double, QuoteRole::Close) => {
                if let Some(o) = open_double.pop() {
                    marks[o].0.partner = Some(mark.span);
                }
            }
            _ => {}
        }
    }
}

/// How a dash between clauses is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DashStyle {
    /// `word—word` (Chicago).
    ClosedEm,
    /// `word — word` (AP).
    SpacedEm,
    /// `word – word` (British).
    SpacedEn,
}

impl DashStyle {
    /// The dash with its spacing, as it replaces another one.
    pub fn text(self) -> &'static str {
        match self {
            DashStyle::ClosedEm => "—",
            DashStyle::SpacedEm => " — ",
            DashStyle::SpacedEn => " – ",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            DashStyle::ClosedEm => "closed em dash (`word—word`)",
            DashStyle::SpacedEm => "spaced em dash (`word — word`)",
            DashStyle::SpacedEn => "spaced en dash (`word – word`)",
        }
    }
}

/// A house style for dashes between clauses, from a rule's `style` option.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DashStyleChoice {
    /// The style most of the document's dashes use.
    #[default]
    Auto,
    Closed,
    Spaced,
    SpacedEn,
}

impl DashStyleChoice {
    /// The configured style, or `None` for `auto`.
    pub fn fixed(self) -> Option<DashStyle> {
        match self {
            DashStyleChoice::Auto => None,
            DashStyleChoice::Closed => Some(DashStyle::ClosedEm),
            DashStyleChoice::Spaced => Some(DashStyle::SpacedEm),
            DashStyleChoice::SpacedEn => Some(DashStyle::SpacedEn),
        }
    }
}

/// A dash set between two clauses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceDash {
    /// The dash and the spaces around it.
    pub span: Span,
    pub style: DashStyle,
}

const MONTHS_AND_DAYS: &[&str] = &[
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
    "mon",
    "monday",
    "tue",
    "tues",
    "tuesday",
    "wed",
    "wednesday",
    "thu",
    "thurs",
    "thursday",
    "fri",
    "friday",
    "sat",
    "saturday",
    "sun",
    "sunday",
    "am",
    "pm",
    "a.m",
    "p.m",
    "noon",
    "midnight",
];

fn is_range_end(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_digit())
        || MONTHS_AND_DAYS
            .iter()
            .any(|m| m.eq_ignore_ascii_case(word.trim_end_matches('.')))
}

/// The last word of `s` (letters, digits and dots), past any closing punctuation:
/// `(aka Pinot Gris)` gives `Gris`.
fn last_word(s: &str) -> &str {
    let s = s.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '.'));
    let start = s
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '.'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    &s[start..]
}

/// The first word of `s`, past any opening punctuation.
fn first_word(s: &str) -> &str {
    let s = s.trim_start_matches(|c: char| !c.is_alphanumeric());
    let end = s
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '.'))
        .map_or(s.len(), |(i, _)| i);
    &s[..end]
}

fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Whether `s` has an en dash or an em dash: a byte scan, cheaper than the char loop.
pub fn has_en_or_em_dash(s: &str) -> bool {
    let bytes = s.as_bytes();
    memchr::memchr_iter(0xE2, bytes)
        .any(|i| bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0x93 | 0x94)))
}

/// The em and en dashes a document sets between clauses, in text order. Compounds
/// (`high–tech`), ranges (`9 am – 5 pm`, `May – June`), labels at the start of a line
/// (`Garbage – for things…`), title-case separators, attributions after a sentence
/// and code-like lines are not counted: they are not the document's choice of dash.
pub fn sentence_dashes(doc: &Document) -> Vec<SentenceDash> {
    let mut out = Vec::new();
    for line in doc.lines() {
        let text = line.text;
        if !has_en_or_em_dash(text) || is_code_like(text) {
            continue;
        }
        for (i, c) in text.char_indices() {
            if c != '—' && c != '–' {
                continue;
            }
            let before = &text[..i];
            let after = &text[i + c.len_utf8()..];
            let prev = before.chars().next_back();
            let next = after.chars().next();
            let dashy = |x: Option<char>| matches!(x, Some('—' | '–' | '-' | '‒' | '―'));
            if dashy(prev) || dashy(next) {
                continue;
            }
            let left_trim = before.trim_end_matches(chars::is_space_separator);
            let right_trim = after.trim_start_matches(chars::is_space_separator);
            let spaced_left = left_trim.len() < before.len();
            let spaced_right = right_trim.len() < after.len();
            let style = match (c, spaced_left, spaced_right) {
                ('—', false, false) => DashStyle::ClosedEm,
                ('—', true, true) => DashStyle::SpacedEm,
                ('–', true, true) => DashStyle::SpacedEn,
                _ => continue,
            };
            let (Some(lc), Some(rc)) = (left_trim.chars().next_back(), right_trim.chars().next())
            else {
                continue; // a dash at the start or end of a line
            };
            if matches!(lc, '.' | '!' | '?' | '|' | ':' | '•') || matches!(rc, '|' | '•') {
                continue;
            }
            // `…Martin.” — Neil Gaiman`: an attribution after a quoted sentence.
            let mut back = left_trim.chars().rev();
            if matches!(back.next(), Some('”' | '"' | '’' | '\''))
                && matches!(back.next(), Some('.' | '!' | '?' | ','))
            {
                continue;
            }
            if style == DashStyle::ClosedEm && !(lc.is_alphabetic() || rc.is_alphabetic()) {
                continue;
            }
            let (lw, rw) = (last_word(left_trim), first_word(right_trim));
            if is_range_end(lw) || is_range_end(rw) {
                continue;
            }
            // A label at the start of a line: `Garbage – for things that…`,
            // `Teleport — For the past five years…`; and title-case separators.
            let words_before = left_trim
                .trim_start_matches(|c: char| {
                    c.is_whitespace() || matches!(c, '-' | '*' | '•' | '·')
                })
                .split_whitespace()
                .take(5) // only "at most four" matters: stay linear on long lines
                .count();
            let spaced = style != DashStyle::ClosedEm;
            if (spaced && words_before <= 2)
                || (starts_upper(rw) && (words_before <= 4 || starts_upper(lw)))
            {
                continue;
            }
            let start = line.span.start + left_trim.len();
            let end = line.span.start + (text.len() - right_trim.len());
            out.push(SentenceDash {
                span: Span::new(start, end),
                style,
            });
        }
    }
    out
}

/// The style most of `dashes` use; ties go to the style seen first.
pub fn majority_style(dashes: &[SentenceDash]) -> Option<DashStyle> {
    let mut counts: Vec<(DashStyle, usize, usize)> = Vec::new(); // style, count, first index
    for (i, d) in dashes.iter().enumerate() {
        match counts.iter_mut().find(|(s, _, _)| *s == d.style) {
            Some(entry) => entry.1 += 1,
            None => counts.push((d.style, 1, i)),
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
        .map(|(s, _, _)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(text: &str) -> Vec<(char, QuoteRole, bool)> {
        let doc = Document::from_text("t", text);
        paragraphs(&doc)
            .into_iter()
            .flat_map(|p| scan_quotes(&doc, p))
            .map(|m| (m.ch, m.role, m.certain))
            .collect()
    }

    use QuoteRole::*;

    #[test]
    fn apostrophes_inside_and_after_words() {
        assert_eq!(
            roles("Mexico's players' union isn’t goin' home"),
            vec![
                ('\'', Apostrophe, true),
                ('\'', Apostrophe, true),
                ('’', Apostrophe, true),
                ('\'', Apostrophe, true),
            ]
        );
    }

    #[test]
    fn single_quotes_pair_around_a_phrase() {
        assert_eq!(
            roles("as a 'weapon of mass destruction' and ‘more’."),
            vec![
                ('\'', Open, true),
                ('\'', Close, true),
                ('‘', Open, true),
                ('’', Close, true),
            ]
        );
    }

    #[test]
    fn elisions_decades_and_primes() {
        assert_eq!(
            roles("rock 'n' roll in the '90s, 'em, 5'10\" and 12\" vinyl, the 1990's"),
            vec![
                ('\'', Apostrophe, true),
                ('\'', Apostrophe, true),
                ('\'', Apostrophe, true),
                ('\'', Apostrophe, true),
                ('\'', Prime, true),
                ('"', Prime, true),
                ('"', Prime, true),
                ('\'', Apostrophe, true),
            ]
        );
    }

    #[test]
    fn misdirected_apostrophes() {
        assert_eq!(
            roles("the ‘90s, don‘t, rock ‘n’ roll"),
            vec![
                ('‘', MisdirectedApostrophe, true),
                ('‘', MisdirectedApostrophe, true),
                ('‘', MisdirectedApostrophe, true),
                ('’', Apostrophe, true),
            ]
        );
    }

    #[test]
    fn double_quotes_by_context_then_by_parity() {
        assert_eq!(
            roles("He said \"no\" and “yes” \" x"),
            vec![
                ('"', Open, true),
                ('"', Close, true),
                ('“', Open, true),
                ('”', Close, true),
                ('"', Open, false),
            ]
        );
    }

    #[test]
    fn a_straight_double_quote_before_punctuation_closes() {
        assert_eq!(
            roles("she said, \"Great piece. It fits just right. \"."),
            vec![('"', Open, true), ('"', Close, false)]
        );
        assert_eq!(
            roles("\"...and then\" it ended"),
            vec![('"', Open, true), ('"', Close, true)]
        );
    }

    #[test]
    fn inch_marks_glued_closers_and_mojibake() {
        assert_eq!(
            roles("Desk, 31 1/2x11 3/4x79 1/2 \"Option"),
            vec![('"', Prime, true)]
        );
        assert_eq!(roles("a 6½\" pot"), vec![('"', Prime, true)]);
        assert_eq!(
            roles("the i7 \"baseline\" model"),
            vec![('"', Open, true), ('"', Close, true)]
        );
        assert_eq!(
            roles("‘She Can Barely Speak English’4,162 comments"),
            vec![('‘', Open, true), ('’', Close, false)]
        );
        assert_eq!(
            roles("Networkâ„¢ and â€” x"),
            vec![('„', Unknown, false), ('”', Unknown, false)]
        );
    }

    #[test]
    fn a_single_quote_with_nothing_to_close_it_is_an_uncertain_opener() {
        assert_eq!(roles("'Bama won"), vec![('\'', Open, false)]);
        assert_eq!(roles("‘This President Sees"), vec![('‘', Open, true)]);
    }

    #[test]
    fn code_lines_are_skipped() {
        assert!(roles("print('hello')\nx = \"y\"").is_empty());
        assert!(is_code_like("wifi_ssid: \"yourssid\""));
        assert!(is_code_like("$ git checkout -- file"));
        assert!(!is_code_like(
            "He said: \"We're done,\" and left (for good)."
        ));
    }

    #[test]
    fn paragraphs_are_runs_of_lines() {
        let doc = Document::from_text("t", "a\nb\n\nc\n \nd");
        let texts: Vec<&str> = paragraphs(&doc).into_iter().map(|s| doc.slice(s)).collect();
        assert_eq!(texts, vec!["a\nb", "c", "d"]);
    }

    fn styles(text: &str) -> Vec<(DashStyle, &str)> {
        let doc = Document::from_text("t", text);
        sentence_dashes(&doc)
            .into_iter()
            .map(|d| (d.style, &text[d.span.range()]))
            .collect()
    }

    #[test]
    fn dash_styles_between_clauses() {
        assert_eq!(
            styles("troops—specifically forces, a plan — or not – said"),
            vec![
                (DashStyle::ClosedEm, "—"),
                (DashStyle::SpacedEm, " — "),
                (DashStyle::SpacedEn, " – "),
            ]
        );
    }

    #[test]
    fn ranges_labels_compounds_and_attributions_are_not_sentence_dashes() {
        assert!(
            styles(
                "high–tech, 9 am – 5 pm, May – June, 1990—2000\nGarbage – for things\nIt works. – Kratika C.\nAgile Practices – Interest-Based Negotiation"
            )
            .is_empty()
        );
    }
}

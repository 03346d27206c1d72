//! `mojibake`: UTF-8 text that was decoded as Windows-1252 or Latin-1 on its way into the
//! document (`â€™` for `’`, `Ã©` for `é`), found by a badness test and undone by a round
//! trip through the bytes it was read from.

use std::sync::LazyLock;

use encoding_rs::WINDOWS_1252;

use crate::declare_rule;
use crate::document::{Document, Span, chars};
use crate::rules::{Applicability, Diagnostic, Fix, Rule, RuleMeta, Severity};

declare_rule! {
    /// ## What it does
    /// Flags mojibake: characters that were stored as UTF-8 and read back as
    /// Windows-1252 or Latin-1, so that each one became two to four wrong characters
    /// (`â€™` for `’`, `â€”` for `—`, `Ã©` for `é`, `Â©` for `©`, `ðŸ˜€` for `😀`),
    /// sometimes twice over (`ÃƒÂ©`).
    ///
    /// A run is mojibake only when its characters, encoded back as Windows-1252 (Latin-1
    /// for C1 control characters), are valid UTF-8 that decodes to a character of the
    /// kinds mojibake comes from, and when the run has a shape that real text does not:
    /// `Â` or `Ã` followed by a symbol, `â`, `ï` or `ð` followed by two or three symbols,
    /// or several such pieces in a row (`Ð¿Ñ€Ð¸` for `при`). A lone piece that could be
    /// real text (a Portuguese `IRMÃ` before a closing quote, a French `é` before a
    /// no-break space and `»`) is flagged only in a document that has certain mojibake
    /// elsewhere, and only when it decodes to a Latin, Greek or Cyrillic letter.
    ///
    /// Also flags mojibake whose bytes were lost on the way (a scraper dropped the C1
    /// control characters): `â€` where `”` was (U+201D ends in byte 0x9D, which
    /// Windows-1252 does not define), `â¦` for `…`.
    ///
    /// ## Why is this bad?
    /// Readers see garbage in place of quotes, dashes and accented letters, and search,
    /// deduplication and spell checking see words that do not exist (`isnâ€™t`).
    ///
    /// ## Example
    /// ```text
    /// Copyright Â© 2024. It isnâ€™t the first time the cafÃ© closed.
    /// ```
    /// Use instead:
    /// ```text
    /// Copyright © 2024. It isn’t the first time the café closed.
    /// ```
    ///
    /// ## Fix
    /// Replaces the run with what its bytes decode to as UTF-8 (undoing up to three
    /// layers), which is safe: it is applied only when the round trip succeeds and the
    /// result has fewer signs of mojibake than the run. A mojibake byte-order mark
    /// (`ï»¿`) is deleted. When a byte was lost, `â€` is replaced with `”`, the most
    /// likely character, as an unsafe fix; other runs with lost bytes have no fix.
    name: "mojibake",
    group: crate::rules::group::UNICODE,
    severity: Warning,
    fix: SafeOrUnsafe,
    summary: "UTF-8 text decoded as Windows-1252 or Latin-1 (`â€™` for `’`)",
}

#[derive(Debug, Default)]
pub struct Mojibake;

impl Rule for Mojibake {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        let text = doc.text();
        for finding in scan(text, true, 0) {
            out.push(self.finding(text, finding));
        }
    }
}

impl Mojibake {
    fn finding(&self, text: &str, found: Found) -> Diagnostic {
        let seen = shown(text.get(found.span.range()).unwrap_or(""));
        match found.kind {
            FoundKind::Decodable(decoded) => {
                let (what, replacement, help) = if decoded == "\u{FEFF}" {
                    (
                        "a byte-order mark (U+FEFF)".to_owned(),
                        String::new(),
                        "Delete it".to_owned(),
                    )
                } else {
                    let what = match single_invisible(&decoded) {
                        Some(c) => chars::describe(c),
                        None => format!("\"{}\"", shown(&decoded)),
                    };
                    let help = format!("Replace it with {what}");
                    (what, decoded, help)
                };
                self.diagnostic(
                    found.span,
                    format!("Mojibake: \"{seen}\" is {what} decoded with the wrong encoding"),
                )
                .with_help(help)
                .with_fix(Fix::replace(
                    Applicability::Safe,
                    found.span,
                    replacement,
                ))
            }
            FoundKind::Lost { guess: Some(guess) } => self
                .diagnostic(
                    found.span,
                    format!(
                        "Mojibake: \"{seen}\" is what is left of a character decoded with the \
                         wrong encoding"
                    ),
                )
                .with_help(format!(
                    "Replace it with \"{guess}\", the most likely character, after checking the source"
                ))
                .with_fix(Fix::replace(
                    Applicability::Unsafe,
                    found.span,
                    guess.to_string(),
                )),
            FoundKind::Lost { guess: None } => self
                .diagnostic(
                    found.span,
                    format!(
                        "Mojibake: \"{seen}\" is what is left of a character decoded with the \
                         wrong encoding"
                    ),
                )
                .with_help("Restore the character from the source")
                .with_severity(Severity::Error),
        }
    }
}

/// One thing the scanner found.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Found {
    span: Span,
    kind: FoundKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum FoundKind {
    /// The run decodes (after one to three layers) to this text.
    Decodable(String),
    /// A byte of the character was lost: the run cannot be decoded.
    Lost { guess: Option<char> },
}

/// How sure a piece is to be mojibake on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strength {
    /// Real text never looks like this (`Ã©`, `â€™`, `ðŸ˜`).
    Strong,
    /// Could be real text; mojibake when part of a longer run, or (for Latin, Greek and
    /// Cyrillic letters) when the document has certain mojibake elsewhere.
    Weak { corroborable: bool },
}

/// The characters of one UTF-8 character read as Windows-1252: a lead look-alike
/// (`Ã`, `â`, `ð`, …) and one to three continuation look-alikes.
#[derive(Debug, Clone, Copy)]
struct Piece {
    span: Span,
    decoded: char,
    strength: Strength,
}

/// The byte a character stands for when UTF-8 was read as Windows-1252, or as Latin-1,
/// which maps bytes 0x80–0x9F to the C1 controls U+0080–U+009F.
fn byte_of(c: char) -> Option<u8> {
    match u8::try_from(u32::from(c)) {
        Ok(b) if b >= 0x80 => Some(b),
        Ok(_) => None,
        Err(_) => CP1252_HIGH
            .iter()
            .find(|&&(ch, _)| ch == c)
            .map(|&(_, b)| b),
    }
}

/// The characters that Windows-1252 gives bytes 0x80–0x9F, as encoding_rs decodes them
/// (the WHATWG index): `€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ`. The
/// five bytes it leaves undefined decode to the C1 controls themselves, as ftfy's
/// "sloppy" codec does, and are covered by `byte_of`'s Latin-1 case.
static CP1252_HIGH: LazyLock<Vec<(char, u8)>> = LazyLock::new(|| {
    (0x80u8..=0x9F)
        .filter_map(|b| {
            let byte = [b];
            let (decoded, _) = WINDOWS_1252.decode_without_bom_handling(&byte);
            let c = decoded.chars().next()?;
            (u32::from(c) > 0xFF).then_some((c, b))
        })
        .collect()
});

fn is_continuation(c: char) -> bool {
    byte_of(c).is_some_and(|b| (0x80..=0xBF).contains(&b))
}

/// Punctuation that real text puts right after a word, as a continuation look-alike.
fn is_trailing_punctuation(c: char) -> bool {
    matches!(
        c,
        '’' | '”'
            | '“'
            | '‘'
            | '»'
            | '«'
            | '…'
            | '–'
            | '—'
            | '•'
            | '·'
            | '‹'
            | '›'
            | '„'
            | '‚'
    ) || c == '\u{A0}'
        || c == '\u{AD}'
}

/// Whether a decoded character is one that mojibake plausibly came from, and how
/// strongly the piece (`lead` plus `conts`) points at mojibake.
fn classify(
    lead: char,
    conts: &[char],
    decoded: char,
    prev: Option<char>,
    next: Option<char>,
) -> Option<Strength> {
    let d = u32::from(decoded);
    let weak = |corroborable| Some(Strength::Weak { corroborable });
    match lead {
        'Â' | 'Ã' => {
            if d < 0xA0 {
                return None;
            }
            // `IRMÃ”`, `MAÇÃ »`: a Portuguese capital word ending in Ã, then punctuation.
            let caps_word_end = lead == 'Ã'
                && prev.is_some_and(char::is_uppercase)
                && conts.first().is_some_and(|&c| is_trailing_punctuation(c))
                && !next.is_some_and(char::is_lowercase);
            if caps_word_end {
                weak(true)
            } else {
                Some(Strength::Strong)
            }
        }
        'â' => match d {
            0x2000..=0x27FF | 0x2900..=0x2BFF | 0x2E00..=0x2E7F => Some(Strength::Strong),
            _ => None,
        },
        'ï' => match d {
            0xFB00..=0xFB4F | 0xFE00..=0xFE6F | 0xFEFF | 0xFF00..=0xFFEF | 0xFFFC | 0xFFFD => {
                Some(Strength::Strong)
            }
            0xF900..=0xFAFF => weak(false),
            _ => None,
        },
        'ð' => match d {
            0x1F000..=0x1FAFF | 0x1D400..=0x1D7FF => Some(Strength::Strong),
            0x20000..=0x2FFFF => weak(false),
            _ => None,
        },
        // Other two-byte leads: Latin, Greek, Cyrillic, Armenian, Hebrew and Arabic letters.
        'Ä'..='ß' => match d {
            0x0100..=0x024F | 0x0370..=0x03FF | 0x0400..=0x052F => weak(true),
            0x0531..=0x058A | 0x0591..=0x05F4 | 0x0600..=0x06FF => weak(true),
            _ => None,
        },
        // Other three-byte leads: only in runs of two or more (`æ—¥æœ¬` for `日本`), as a
        // French `é` before a no-break space and `»` decodes to one CJK character.
        _ => match d {
            0x1E00..=0x1EFF => weak(true), // Vietnamese
            0x0900..=0x0DFF | 0x0E00..=0x0EFF | 0x10A0..=0x10FF => weak(false), // Indic, Thai, Lao, Georgian
            0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3 => weak(false), // CJK, kana, Hangul
            _ => None,
        },
    }
}

/// The piece that starts at `start` (a lead look-alike), if the characters there encode
/// to one valid UTF-8 character of a plausible kind.
fn piece_at(text: &str, start: usize) -> Option<Piece> {
    let rest = text.get(start..)?;
    let mut iter = rest.char_indices();
    let (_, lead) = iter.next()?;
    let need = match u32::from(lead) {
        0xC2..=0xDF => 1,
        0xE0..=0xEF => 2,
        0xF0..=0xF4 => 3,
        _ => return None,
    };
    let mut bytes = [u8::try_from(u32::from(lead)).ok()?, 0, 0, 0];
    let mut conts = ['\0'; 3];
    let mut end = lead.len_utf8();
    for k in 0..need {
        let (at, c) = iter.next()?;
        let b = byte_of(c).filter(|b| (0x80..=0xBF).contains(b))?;
        bytes[k + 1] = b;
        conts[k] = c;
        end = at + c.len_utf8();
    }
    let decoded = std::str::from_utf8(&bytes[..=need]).ok()?.chars().next()?;
    let prev = text.get(..start).and_then(|s| s.chars().next_back());
    let next = rest.get(end..).and_then(|s| s.chars().next());
    let strength = classify(lead, &conts[..need], decoded, prev, next)?;
    Some(Piece {
        span: Span::new(start, start + end),
        decoded,
        strength,
    })
}

/// A lead look-alike followed by fewer continuation look-alikes than its byte needs:
/// mojibake whose C1 bytes a scraper dropped (`â€` + lost 0x9D, `â¦` for `â\u{80}¦`).
/// Only `â` and `ð` leads, whose pieces real text never starts.
fn lost_at(text: &str, start: usize) -> Option<Found> {
    let rest = text.get(start..)?;
    let mut iter = rest.char_indices();
    let (_, lead) = iter.next()?;
    let need = match lead {
        'â' => 2,
        'ð' => 3,
        _ => return None,
    };
    let mut conts = Vec::with_capacity(need);
    let mut end = lead.len_utf8();
    let mut after = None;
    for (at, c) in iter.by_ref() {
        // A no-break space or soft hyphen after the piece is text of its own (`â¢\u{a0}`).
        if conts.len() < need && is_continuation(c) && c != '\u{A0}' && c != '\u{AD}' {
            conts.push(c);
            end = at + c.len_utf8();
        } else {
            after = Some((at, c));
            break;
        }
    }
    if conts.is_empty()
        || conts.len() >= need
        || conts
            .iter()
            .any(|&c| c.is_alphabetic() || is_trailing_punctuation(c) || u32::from(c) < 0xA0)
    {
        return None;
    }
    if lead == 'â' && conts == ['€'] {
        // E2 80 9D is `”`; 0x9D is undefined in Windows-1252 and was dropped, or became
        // U+FFFD, which goes too.
        if let Some((at, '\u{FFFD}')) = after {
            end = at + '\u{FFFD}'.len_utf8();
        }
        return Some(Found {
            span: Span::new(start, start + end),
            kind: FoundKind::Lost { guess: Some('”') },
        });
    }
    Some(Found {
        span: Span::new(start, start + end),
        kind: FoundKind::Lost { guess: None },
    })
}

/// `â` left alone when a scraper dropped the C1 bytes of `’` (E2 80 99) in an English
/// contraction: `youâll`, `itâs`, `donât`, `Iâm`. No word of French (`mât`,
/// `dégât`), Portuguese, Romanian or Vietnamese (`tâm`) ends that way.
static LONE_IN_CONTRACTION: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"(?:\p{L}(â)(?:s|ll|re|ve)|n(â)t|\bI(â)[md])\b")
        .expect("built-in contraction regex is valid")
});

/// `â` standing alone between spaces, left of a dash, arrow or quote whose C1 bytes were
/// dropped (`pay â real rates`); counted only in a document with certain mojibake.
static LONE_WORD: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"(?:^|\s)(â)(?:\s|$)").expect("built-in lone-word regex is valid")
});

/// The `â` of each match of `re` (its first matching group), as a finding.
fn lone_leads(text: &str, re: &regex::Regex, guess: Option<char>) -> Vec<Found> {
    re.captures_iter(text)
        .filter_map(|caps| {
            let m = caps.iter().skip(1).flatten().next()?;
            Some(Found {
                span: Span::new(m.start(), m.end()),
                kind: FoundKind::Lost { guess },
            })
        })
        .collect()
}

/// Every lead look-alike (U+00C2–U+00F4) is the UTF-8 bytes C3 82–C3 B4.
fn lead_offsets(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr_iter(0xC3, bytes)
        .filter(move |&i| bytes.get(i + 1).is_some_and(|b| (0x82..=0xB4).contains(b)))
}

/// The pieces and the lost-byte findings in `text`, in order, and whether an `â` was
/// left over (a candidate for `lone_leads`).
fn pieces(text: &str) -> (Vec<Piece>, Vec<Found>, bool) {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut lost: Vec<Found> = Vec::new();
    let mut lone_a = false;
    let mut next_free = 0;
    for at in lead_offsets(text) {
        if at < next_free {
            continue;
        }
        if let Some(piece) = piece_at(text, at) {
            next_free = piece.span.end;
            pieces.push(piece);
        } else if let Some(found) = lost_at(text, at) {
            next_free = found.span.end;
            lost.push(found);
        } else {
            lone_a |= text.as_bytes().get(at + 1) == Some(&0xA2);
        }
    }
    (pieces, lost, lone_a)
}

/// Splits pieces into runs of pieces that touch.
fn runs(pieces: &[Piece]) -> Vec<&[Piece]> {
    let mut out = Vec::new();
    let mut from = 0;
    for i in 1..=pieces.len() {
        let touches = pieces
            .get(i)
            .zip(pieces.get(i - 1))
            .is_some_and(|(p, q)| p.span.start == q.span.end);
        if !touches {
            out.extend(pieces.get(from..i));
            from = i;
        }
    }
    out
}

/// A run that is mojibake whatever the rest of the document says.
fn certain(run: &[Piece]) -> bool {
    run.len() >= 2 || run.iter().any(|p| p.strength == Strength::Strong)
}

/// How many layers of mojibake a fix undoes at most (`ÃƒÂ©` is two).
const MAX_LAYERS: usize = 3;

/// Finds the mojibake in `text`. `corroborate`: flag single weak pieces when the text
/// has certain mojibake elsewhere (off when re-checking a decoded run on its own);
/// `layer`: how many layers were undone already.
fn scan(text: &str, corroborate: bool, layer: usize) -> Vec<Found> {
    let (pieces, lost, lone_a) = pieces(text);
    let runs = runs(&pieces);
    let mut found: Vec<Found> = lost;
    let corroborate = corroborate && (lone_a || !runs.is_empty() || !found.is_empty());
    if corroborate && lone_a {
        found.extend(lone_leads(text, &LONE_IN_CONTRACTION, Some('’')));
    }
    let any_certain = !found.is_empty() || runs.iter().any(|r| certain(r));
    if corroborate && lone_a && any_certain {
        found.extend(lone_leads(text, &LONE_WORD, None));
    }
    for run in runs {
        let flagged = certain(run)
            || (corroborate
                && any_certain
                && run
                    .iter()
                    .all(|p| p.strength == Strength::Weak { corroborable: true }));
        let (true, Some(first), Some(last)) = (flagged, run.first(), run.last()) else {
            continue;
        };
        let span = Span::new(first.span.start, last.span.end);
        let decoded: String = run.iter().map(|p| p.decoded).collect();
        if let Some(fixed) = undo_layers(run.len(), decoded, layer + 1) {
            found.push(Found {
                span,
                kind: FoundKind::Decodable(fixed),
            });
        }
    }
    found.sort_by_key(|f| f.span);
    found
}

/// Undoes further layers of mojibake in a decoded run (`ÃƒÂ©` → `Ã©` → `é`), and
/// accepts the result only if it is less bad than the run (`run_badness` pieces) and has
/// no C1 controls.
fn undo_layers(run_badness: usize, decoded: String, layer: usize) -> Option<String> {
    let decoded = if layer < MAX_LAYERS {
        let inner = scan(&decoded, false, layer);
        let mut next = String::with_capacity(decoded.len());
        let mut at = 0;
        for f in &inner {
            let FoundKind::Decodable(text) = &f.kind else {
                continue;
            };
            next.push_str(decoded.get(at..f.span.start)?);
            next.push_str(text);
            at = f.span.end;
        }
        next.push_str(decoded.get(at..)?);
        next
    } else {
        decoded
    };
    let has_c1 = decoded.chars().any(|c| ('\u{80}'..='\u{9F}').contains(&c));
    (!has_c1 && badness(&decoded) < run_badness).then_some(decoded)
}

/// How many mojibake pieces a text has: pieces of certain runs, and lost-byte runs.
fn badness(text: &str) -> usize {
    let (pieces, lost, _) = pieces(text);
    lost.len()
        + runs(&pieces)
            .into_iter()
            .filter(|r| certain(r))
            .map(<[Piece]>::len)
            .sum::<usize>()
}

/// The text with characters that do not show written as `\u{…}`.
fn shown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || invisible(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

fn invisible(c: char) -> bool {
    chars::is_space_separator(c) && c != ' '
        || matches!(c, '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2028}' | '\u{2029}' | '\u{2060}'..='\u{2064}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}')
}

fn single_invisible(s: &str) -> Option<char> {
    let mut it = s.chars();
    let c = it.next()?;
    (it.next().is_none() && (invisible(c) || c.is_control() || c == '\u{FFFD}')).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::{FoundKind, Mojibake, scan};
    use crate::rules::test::{assert_clean, check_fixture, fix_fixture};

    fn decoded(text: &str) -> Vec<String> {
        scan(text, true, 0)
            .into_iter()
            .map(|f| match f.kind {
                FoundKind::Decodable(s) => s,
                FoundKind::Lost { guess } => format!("lost:{guess:?}"),
            })
            .collect()
    }

    #[test]
    fn windows_1252_and_latin_1_mojibake_round_trip() {
        assert_eq!(decoded("isnâ€™t"), ["’"]);
        assert_eq!(decoded("dÃ©tente"), ["é"]);
        assert_eq!(decoded("â€œquotedâ€\u{9d}"), ["“", "”"]);
        assert_eq!(decoded("Iâ\u{80}\u{99}ve"), ["’"]);
        assert_eq!(decoded("NicolÃ¡s"), ["á"]);
        assert_eq!(decoded("Copyright Â© 2024"), ["©"]);
        assert_eq!(decoded("offersÂ\u{a0}a"), ["\u{a0}"]);
        assert_eq!(decoded("ðŸ˜€ ok"), ["😀"]);
        assert_eq!(decoded("ð\u{9f}\u{9a}\u{80} Get"), ["🚀"]);
        assert_eq!(decoded("Ð¿Ñ€Ð¸Ð²ÐµÑ‚"), ["привет"]);
        assert_eq!(decoded("ï»¿Title"), ["\u{feff}"]);
    }

    #[test]
    fn double_mojibake_is_undone_in_one_fix() {
        assert_eq!(decoded("cafÃƒÂ©"), ["é"]);
    }

    #[test]
    fn lost_bytes_are_reported_with_a_guess_only_for_the_closing_quote() {
        assert_eq!(decoded("Madurai,â€ AI"), ["lost:Some('”')"]);
        assert_eq!(decoded("Madurai,â€\u{fffd} AI"), ["lost:Some('”')"]);
        assert_eq!(decoded("Contentâ¦ more"), ["lost:None"]);
    }

    #[test]
    fn flags_and_fixes_real_mojibake() {
        insta::assert_snapshot!(check_fixture(&Mojibake, "mojibake/flagged.txt"), @r#"
        1:100 mojibake Mojibake: "â€™" is "’" decoded with the wrong encoding [safe fix]
        1:143 mojibake Mojibake: "â€”" is "—" decoded with the wrong encoding [safe fix]
        1:148 mojibake Mojibake: "â€™" is "’" decoded with the wrong encoding [safe fix]
        3:18 mojibake Mojibake: "â€œ" is "“" decoded with the wrong encoding [safe fix]
        3:50 mojibake Mojibake: "â€" is what is left of a character decoded with the wrong encoding [unsafe fix]
        5:137 mojibake Mojibake: "Ã©" is "é" decoded with the wrong encoding [safe fix]
        7:24 mojibake Mojibake: "â€¦" is "…" decoded with the wrong encoding [safe fix]
        9:29 mojibake Mojibake: "Ã©" is "é" decoded with the wrong encoding [safe fix]
        11:27 mojibake Mojibake: "Î²" is "β" decoded with the wrong encoding [safe fix]
        11:75 mojibake Mojibake: "â" is what is left of a character decoded with the wrong encoding [unsafe fix]
        13:82 mojibake Mojibake: "Â°" is "°" decoded with the wrong encoding [safe fix]
        15:30 mojibake Mojibake: "â¬" is what is left of a character decoded with the wrong encoding
        17:2 mojibake Mojibake: "â\u{80}\u{99}" is "’" decoded with the wrong encoding [safe fix]
        19:1 mojibake Mojibake: "ð\u{9f}\u{9a}\u{80}" is "🚀" decoded with the wrong encoding [safe fix]
        21:1 mojibake Mojibake: "Ð\u{a0}Ñ\u{83}Ñ\u{81}Ñ\u{81}ÐºÐ¸Ð¹" is "Русский" decoded with the wrong encoding [safe fix]
        23:12 mojibake Mojibake: "Â\u{a0}" is U+00A0 NO-BREAK SPACE decoded with the wrong encoding [safe fix]
        23:30 mojibake Mojibake: "Â\u{a0}" is U+00A0 NO-BREAK SPACE decoded with the wrong encoding [safe fix]
        23:44 mojibake Mojibake: "Â\u{a0}" is U+00A0 NO-BREAK SPACE decoded with the wrong encoding [safe fix]
        23:88 mojibake Mojibake: "â\u{80}\u{93}" is "–" decoded with the wrong encoding [safe fix]
        23:140 mojibake Mojibake: "Â\u{a0}" is U+00A0 NO-BREAK SPACE decoded with the wrong encoding [safe fix]
        25:11 mojibake Mojibake: "Â©" is "©" decoded with the wrong encoding [safe fix]
        "#);
    }

    #[test]
    fn the_fix_restores_the_characters() {
        fix_fixture(&Mojibake, "mojibake/flagged.txt");
    }

    #[test]
    fn real_text_in_latin_1_heavy_languages_is_not_mojibake() {
        assert_clean(
            &Mojibake,
            include_str!("../../tests/fixtures/mojibake/clean.txt"),
        );
    }

    #[test]
    fn lone_pieces_that_real_text_makes_are_left_alone() {
        // French no-break space before », German soft hyphens and quotes after ß, a
        // Portuguese capital word before a closing quote, a hybrid plant name.
        assert_clean(
            &Mojibake,
            "traitement automatisé\u{a0}». Groß\u{ad}britannien, ließ“, \
             “IRMÃ”, Rosa\u{a0}×\u{a0}medioccidentis, NESCAFÉ®, Brontë…”",
        );
    }
}

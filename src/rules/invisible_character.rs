//! `invisible-character`: zero-width characters, soft hyphens, stray BOMs, bidi controls,
//! control characters and U+FFFD replacement characters.

use crate::declare_rule;
use crate::document::{Document, Span, chars};
use crate::rules::{Applicability, Diagnostic, Fix, Rule, RuleMeta, Severity};

declare_rule! {
    /// ## What it does
    /// Flags characters that do not show but change the text:
    /// - zero-width space U+200B, word joiner U+2060, invisible operators U+2061–U+2064,
    ///   Mongolian vowel separator U+180E, and U+FEFF anywhere but the start of a file;
    /// - soft hyphens U+00AD;
    /// - zero-width joiner U+200D and non-joiner U+200C, except inside emoji sequences
    ///   and in the scripts that need them (Arabic, Persian, Indic, …);
    /// - bidirectional controls U+202A–U+202E and U+2066–U+2069;
    /// - C0 and C1 control characters other than tab, line feed and carriage return;
    /// - U+FFFD replacement characters, as errors: the text was already lost when it was
    ///   decoded with the wrong encoding.
    ///
    /// ## Why is this bad?
    /// They break search, deduplication and spell checking (`Trump\u{200B}s` is not
    /// `Trumps`), and bidi controls can make text display differently from what it is.
    ///
    /// ## Example
    /// ```text
    /// pro­gram   (contains U+00AD between "pro" and "gram")
    /// ```
    /// Use instead:
    /// ```text
    /// program
    /// ```
    ///
    /// ## Fix
    /// Deletes the character: safe for zero-width spaces, word joiners, soft hyphens and
    /// stray BOMs; unsafe for joiners, bidi and control characters (they may be wanted, or
    /// stand for a lost character); none for U+FFFD, whose original character is unknown.
    name: "invisible-character",
    group: crate::rules::group::UNICODE,
    severity: Warning,
    fix: SafeOrUnsafe,
    summary: "Zero-width, bidi, control and replacement characters",
}

#[derive(Debug, Default)]
pub struct InvisibleCharacter;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Deleting it changes nothing a reader sees.
    Invisible,
    Joiner,
    Bidi,
    Control,
    Replacement,
}

fn classify(c: char) -> Option<Kind> {
    Some(match c {
        '\u{200B}' | '\u{2060}'..='\u{2064}' | '\u{180E}' | '\u{FEFF}' | '\u{00AD}' => {
            Kind::Invisible
        }
        '\u{200C}' | '\u{200D}' => Kind::Joiner,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => Kind::Bidi,
        '\t' | '\n' | '\r' => return None,
        '\u{0000}'..='\u{001F}' | '\u{007F}'..='\u{009F}' => Kind::Control,
        '\u{FFFD}' => Kind::Replacement,
        _ => return None,
    })
}

/// Bytes that can start an invisible character: C0 controls other than tab and line
/// breaks, DEL, and the lead bytes of the non-ASCII ones (C2: C1 controls and the soft
/// hyphen; E1: U+180E; E2: U+200B–U+2069; EF: U+FEFF and U+FFFD). Every other byte is
/// skipped without decoding, so text full of curly quotes costs one table lookup a byte.
static CANDIDATE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = !matches!(b as u8, b'\t' | b'\n' | b'\r');
        b += 1;
    }
    table[0x7F] = true;
    table[0xC2] = true;
    table[0xE1] = true;
    table[0xE2] = true;
    table[0xEF] = true;
    table
};

impl Rule for InvisibleCharacter {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        let text = doc.text();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if !CANDIDATE[bytes[i] as usize] {
                i += 1;
                continue;
            }
            // Candidate bytes are ASCII or lead bytes, so `i` is a char boundary.
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                i += 1;
                continue;
            };
            let Some(kind) = classify(c) else {
                i += c.len_utf8();
                continue;
            };
            // One finding for a run of the same character.
            let start = i;
            let mut end = start + c.len_utf8();
            let mut count = 1;
            while text.get(end..).is_some_and(|rest| rest.starts_with(c)) {
                end += c.len_utf8();
                count += 1;
            }
            i = end;
            let prev = text[..start].chars().next_back();
            let next = text[end..].chars().next();
            if kind == Kind::Joiner && joiner_is_wanted(prev, next) {
                continue;
            }
            out.push(self.finding(Span::new(start, end), c, count, kind));
        }
    }
}

impl InvisibleCharacter {
    fn finding(&self, span: Span, c: char, count: usize, kind: Kind) -> Diagnostic {
        let what = chars::describe(c);
        let what = if count > 1 {
            format!("{count} × {what}")
        } else {
            what
        };
        let (message, help, fix) = match kind {
            Kind::Invisible => (
                format!("Invisible character: {what}"),
                "Delete it",
                Some(Applicability::Safe),
            ),
            Kind::Joiner => (
                format!("Joiner outside an emoji or a script that needs it: {what}"),
                "Delete it unless the text is in a script that needs it",
                Some(Applicability::Unsafe),
            ),
            Kind::Bidi => (
                format!("Bidirectional control character: {what}"),
                "Delete it unless the text mixes right-to-left and left-to-right scripts on purpose",
                Some(Applicability::Unsafe),
            ),
            Kind::Control => (
                format!("Control character: {what}"),
                "Delete it, or replace it with the character it stands for",
                Some(Applicability::Unsafe),
            ),
            Kind::Replacement => (
                format!("Replacement character {what}: text was lost when it was decoded"),
                "Recover the original character from the source",
                None,
            ),
        };
        let mut diagnostic = self.diagnostic(span, message).with_help(help);
        if kind == Kind::Replacement {
            diagnostic = diagnostic.with_severity(Severity::Error);
        }
        if let Some(applicability) = fix {
            diagnostic = diagnostic.with_fix(Fix::delete(applicability, span));
        }
        diagnostic
    }
}

/// ZWJ/ZWNJ are part of emoji sequences (👩‍👩‍👧) and of the spelling of words in
/// joining and Indic scripts; they are junk between Latin, Greek or Cyrillic letters.
fn joiner_is_wanted(prev: Option<char>, next: Option<char>) -> bool {
    [prev, next]
        .into_iter()
        .flatten()
        .any(|c| needs_joiners(c) || is_emoji_part(c))
}

fn needs_joiners(c: char) -> bool {
    matches!(c,
        '\u{0600}'..='\u{08FF}'     // Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic
        | '\u{0900}'..='\u{0DFF}'   // Devanagari … Sinhala
        | '\u{0F00}'..='\u{0FFF}'   // Tibetan
        | '\u{1000}'..='\u{109F}'   // Myanmar
        | '\u{1780}'..='\u{18AF}'   // Khmer, Mongolian
        | '\u{A800}'..='\u{A8FF}'   // Syloti Nagri, Phags-pa, Saurashtra, Devanagari Extended
        | '\u{FB50}'..='\u{FDFF}'   // Arabic presentation forms
        | '\u{FE70}'..='\u{FEFE}'
        | '\u{11000}'..='\u{111FF}' // Brahmi, Kaithi, Sharada, …
    )
}

fn is_emoji_part(c: char) -> bool {
    matches!(c,
        '\u{2600}'..='\u{27BF}'
        | '\u{2B00}'..='\u{2BFF}'
        | '\u{FE0F}'
        | '\u{20E3}'
        | '\u{1F000}'..='\u{1FAFF}'
        | '\u{E0020}'..='\u{E007F}'
    )
}

#[cfg(test)]
mod tests {
    use super::InvisibleCharacter;
    use crate::rules::Severity;
    use crate::rules::test::{assert_clean, check_fixture, fix_fixture, run};

    #[test]
    fn flags_each_kind_of_invisible_character() {
        insta::assert_snapshot!(check_fixture(&InvisibleCharacter, "invisible-character/flagged.txt"), @r"
        1:6 invisible-character Invisible character: U+200B ZERO WIDTH SPACE [safe fix]
        3:6 invisible-character Invisible character: U+00AD SOFT HYPHEN [safe fix]
        5:6 invisible-character Invisible character: U+FEFF ZERO WIDTH NO-BREAK SPACE (BOM) [safe fix]
        7:9 invisible-character Joiner outside an emoji or a script that needs it: U+200D ZERO WIDTH JOINER [unsafe fix]
        9:12 invisible-character Bidirectional control character: U+202E RIGHT-TO-LEFT OVERRIDE [unsafe fix]
        9:17 invisible-character Bidirectional control character: U+202C POP DIRECTIONAL FORMATTING [unsafe fix]
        11:5 invisible-character Control character: U+000C FORM FEED [unsafe fix]
        11:19 invisible-character Control character: U+0007 BELL [unsafe fix]
        13:30 invisible-character Control character: U+0081 [unsafe fix]
        15:6 invisible-character Invisible character: 2 × U+2060 WORD JOINER [safe fix]
        17:6 invisible-character Replacement character U+FFFD REPLACEMENT CHARACTER: text was lost when it was decoded
        ");
    }

    #[test]
    fn safe_and_unsafe_fixes_delete_the_characters() {
        fix_fixture(&InvisibleCharacter, "invisible-character/flagged.txt");
    }

    #[test]
    fn replacement_characters_are_errors_without_a_fix() {
        let (_, found) = run(&InvisibleCharacter, "Nicol\u{FFFD}s Maduro");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Error);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn emoji_sequences_and_joining_scripts_keep_their_joiners() {
        assert_clean(
            &InvisibleCharacter,
            include_str!("../../tests/fixtures/invisible-character/clean.txt"),
        );
        assert_clean(
            &InvisibleCharacter,
            "👩\u{200D}👩\u{200D}👧 family\nمی\u{200C}خواهم\nक्\u{200D}ष\n",
        );
    }
}

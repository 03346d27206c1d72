//! Character classes shared by the readers and the rules.

/// A horizontal space: U+0020 and every other Unicode space separator (category Zs),
/// which includes NBSP U+00A0, figure space U+2007 and narrow NBSP U+202F. Not tab.
pub fn is_space_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{00A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// Whitespace that can sit inside a line: space separators and tab (not line breaks).
pub fn is_inline_whitespace(c: char) -> bool {
    c == '\t' || is_space_separator(c)
}

/// A line that shows nothing: empty or only inline whitespace.
pub fn is_blank(line: &str) -> bool {
    line.chars()
        .all(|c| is_inline_whitespace(c) || c == '\u{000B}' || c == '\u{000C}')
}

/// The Unicode name-like label of a character, for messages (`U+00A0 NO-BREAK SPACE`).
pub fn describe(c: char) -> String {
    let name = match c {
        ' ' => Some("SPACE"),
        '\t' => Some("CHARACTER TABULATION"),
        '\u{00A0}' => Some("NO-BREAK SPACE"),
        '\u{00AD}' => Some("SOFT HYPHEN"),
        '\u{1680}' => Some("OGHAM SPACE MARK"),
        '\u{180E}' => Some("MONGOLIAN VOWEL SEPARATOR"),
        '\u{2000}' => Some("EN QUAD"),
        '\u{2001}' => Some("EM QUAD"),
        '\u{2002}' => Some("EN SPACE"),
        '\u{2003}' => Some("EM SPACE"),
        '\u{2004}' => Some("THREE-PER-EM SPACE"),
        '\u{2005}' => Some("FOUR-PER-EM SPACE"),
        '\u{2006}' => Some("SIX-PER-EM SPACE"),
        '\u{2007}' => Some("FIGURE SPACE"),
        '\u{2008}' => Some("PUNCTUATION SPACE"),
        '\u{2009}' => Some("THIN SPACE"),
        '\u{200A}' => Some("HAIR SPACE"),
        '\u{200B}' => Some("ZERO WIDTH SPACE"),
        '\u{200C}' => Some("ZERO WIDTH NON-JOINER"),
        '\u{200D}' => Some("ZERO WIDTH JOINER"),
        '\u{202A}' => Some("LEFT-TO-RIGHT EMBEDDING"),
        '\u{202B}' => Some("RIGHT-TO-LEFT EMBEDDING"),
        '\u{202C}' => Some("POP DIRECTIONAL FORMATTING"),
        '\u{202D}' => Some("LEFT-TO-RIGHT OVERRIDE"),
        '\u{202E}' => Some("RIGHT-TO-LEFT OVERRIDE"),
        '\u{202F}' => Some("NARROW NO-BREAK SPACE"),
        '\u{205F}' => Some("MEDIUM MATHEMATICAL SPACE"),
        '\u{2060}' => Some("WORD JOINER"),
        '\u{2061}' => Some("FUNCTION APPLICATION"),
        '\u{2062}' => Some("INVISIBLE TIMES"),
        '\u{2063}' => Some("INVISIBLE SEPARATOR"),
        '\u{2064}' => Some("INVISIBLE PLUS"),
        '\u{2066}' => Some("LEFT-TO-RIGHT ISOLATE"),
        '\u{2067}' => Some("RIGHT-TO-LEFT ISOLATE"),
        '\u{2068}' => Some("FIRST STRONG ISOLATE"),
        '\u{2069}' => Some("POP DIRECTIONAL ISOLATE"),
        '\u{3000}' => Some("IDEOGRAPHIC SPACE"),
        '\u{FEFF}' => Some("ZERO WIDTH NO-BREAK SPACE (BOM)"),
        '\u{FFFD}' => Some("REPLACEMENT CHARACTER"),
        '\u{0000}' => Some("NULL"),
        '\u{0007}' => Some("BELL"),
        '\u{0008}' => Some("BACKSPACE"),
        '\u{000B}' => Some("LINE TABULATION"),
        '\u{000C}' => Some("FORM FEED"),
        '\u{001B}' => Some("ESCAPE"),
        '\u{007F}' => Some("DELETE"),
        '\u{0085}' => Some("NEXT LINE"),
        _ => None,
    };
    match name {
        Some(name) => format!("U+{:04X} {name}", c as u32),
        None => format!("U+{:04X}", c as u32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nbsp_and_narrow_nbsp_are_spaces_but_tab_and_zwsp_are_not() {
        assert!(is_space_separator('\u{00A0}'));
        assert!(is_space_separator('\u{202F}'));
        assert!(!is_space_separator('\t'));
        assert!(!is_space_separator('\u{200B}'));
    }

    #[test]
    fn a_line_of_nbsp_is_blank() {
        assert!(is_blank(" \u{00A0}\t"));
        assert!(!is_blank(" x "));
    }
}

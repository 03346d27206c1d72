//! `dash-in-compound`: an en dash, em dash, figure dash or minus joining the two words
//! of a compound where a hyphen belongs (`high–tech`, `ex–dictator`).

use std::collections::HashMap;

use crate::declare_rule;
use crate::document::typography::is_code_like;
use crate::document::{Document, Span, ceil_char_boundary, chars, floor_char_boundary};
use crate::rules::{Applicability, Diagnostic, Edit, Fix, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags an en dash (U+2013), em dash (U+2014), figure dash (U+2012), horizontal
    /// bar (U+2015) or minus sign (U+2212) set with no spaces between the words of a
    /// compound, where a hyphen belongs. A dash counts as a compound's when
    ///
    /// - the same two words are hyphenated elsewhere in the document
    ///   (`green-light` … `green–light`);
    /// - the first word is a prefix that does not stand alone (`ex–dictator`,
    ///   `self–paced`, `non–profit`, `anti–war`);
    /// - it sits in a phrase compound (`state–of–the–art`, `mother-in–law`,
    ///   `commander–in chief`);
    /// - or, for en dashes, figure dashes and minus signs only, the first word is one
    ///   that usually opens a compound modifier (`high–tech`, `well–known`,
    ///   `full–time`) or the second one usually closes one (`cloud–based`,
    ///   `user–friendly`), and the document does not use closed en dashes between
    ///   clauses (`the job–or fear of losing it`).
    ///
    /// Left alone: numbers and ranges (`1990–2000`, `pages 3–5`, `9–5`, `80s–no`),
    /// letter ranges (`a–z`), capitalised names where an en dash is correct style
    /// (`Paris–Dakar`, `Mexico–U.S. relations`, `Stevens–Johnson`, `Award–winning`),
    /// Chicago's en dash after an open compound (`health insurance–adjacent`,
    /// `low-light–tolerant`), dashes between clauses (`troops—specifically`,
    /// `supports–such as`) and code-like lines.
    ///
    /// ## Why is this bad?
    /// Articles pasted from word processors and CMS "smart" typography turn hyphens into
    /// dashes. `high–tech` reads as a range or a pause, does not match `high-tech` in
    /// search, and breaks dictionary and duplicate checks.
    ///
    /// ## Example
    /// ```text
    /// A clandestine C.I.A. program uses high–tech drones to sniff out hidden labs.
    /// ```
    /// Use instead:
    /// ```text
    /// A clandestine C.I.A. program uses high-tech drones to sniff out hidden labs.
    /// ```
    ///
    /// ## Fix
    /// Replaces the dash with a hyphen (safe).
    name: "dash-in-compound",
    group: crate::rules::group::TYPOGRAPHY,
    severity: Warning,
    fix: Safe,
    summary: "A dash where a compound needs a hyphen (`high–tech`)",
}

#[derive(Debug, Default)]
pub struct DashInCompound;

/// Prefixes that do not stand alone as words before a dash.
const PREFIXES: &[&str] = &[
    "anti", "co", "ex", "intra", "mid", "multi", "neo", "non", "post", "pre", "pro", "pseudo",
    "quasi", "re", "self", "semi", "sub", "trans", "ultra", "un",
];

/// Prefixes that take a hyphen whatever follows (`ex-White House aide` is the en
/// dash's job, but the capital says so). The others take Chicago's en dash before an
/// open compound: `anti–blue light`, `neo–payday loan`, `non–brick and mortar`.
const HYPHEN_ONLY_PREFIXES: &[&str] = &["ex", "self"];

/// Endings of adjectives and participles: after a prefix they make a compound
/// modifier, not the first half of an open compound (`anti–inflammatory drugs`).
const MODIFIER_ENDINGS: &[&str] = &[
    "able", "al", "ant", "ary", "ed", "ent", "ful", "ible", "ic", "ing", "ive", "less", "ory",
    "ous",
];

/// First words of common compound modifiers (`high-tech`, `well-known`, `e-mail`).
const FIRST_ELEMENTS: &[&str] = &[
    "all", "best", "better", "big", "cross", "deep", "double", "e", "far", "fast", "first", "five",
    "four", "full", "half", "hard", "high", "hot", "ill", "large", "long", "low", "lower", "much",
    "near", "old", "one", "open", "part", "real", "record", "second", "short", "single", "six",
    "slow", "small", "t", "ten", "third", "three", "top", "triple", "two", "u", "upper", "well",
    "wide", "x",
];

/// Second words of common compound modifiers (`cloud-based`, `user-friendly`).
const SECOND_ELEMENTS: &[&str] = &[
    "based", "born", "centered", "centric", "class", "driven", "end", "focused", "free",
    "friendly", "funded", "led", "level", "like", "made", "minded", "old", "oriented", "owned",
    "packed", "proof", "quality", "ready", "related", "rich", "scale", "size", "sized", "specific",
    "style", "tech", "term", "time", "up", "wide", "worthy", "year",
];

/// Words that sit next to a dash between clauses (`job–or fear`, `rates–like mortgage
/// rates–are set`), never inside a two-word compound.
const CLAUSE_WORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "also",
    "although",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "during",
    "especially",
    "even",
    "for",
    "from",
    "had",
    "has",
    "have",
    "he",
    "her",
    "here",
    "him",
    "his",
    "how",
    "i",
    "if",
    "in",
    "including",
    "into",
    "is",
    "it",
    "its",
    "just",
    "let",
    "like",
    "may",
    "me",
    "might",
    "must",
    "my",
    "namely",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "on",
    "only",
    "or",
    "our",
    "particularly",
    "she",
    "should",
    "since",
    "so",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "to",
    "too",
    "until",
    "us",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "without",
    "would",
    "yet",
    "you",
    "your",
];

/// Inner words of phrase compounds: `state-of-the-art`, `mother-in-law`, `up-to-date`.
const CHAIN_WORDS: &[&str] = &[
    "a", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to",
];

/// Heads of `X-in-Y` compounds, for `commander–in chief` where the second joint was lost.
const IN_HEADS: &[&str] = &["chief", "law", "laws", "residence", "training", "waiting"];

fn contains(list: &[&str], word: &str) -> bool {
    list.binary_search(&word).is_ok()
}

/// Dashes that may stand where a hyphen belongs, and whether a closed one between
/// clauses is a normal style (the em dash and the horizontal bar are).
fn dash_kind(c: char) -> Option<(&'static str, bool)> {
    match c {
        '–' => Some(("En dash", false)),
        '—' => Some(("Em dash", true)),
        '―' => Some(("Horizontal bar", true)),
        '‒' => Some(("Figure dash", false)),
        '−' => Some(("Minus sign", false)),
        _ => None,
    }
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}') || dash_kind(c).is_some()
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’'
}

/// A word of a compound: its span in the line and its lowercase form up to an
/// apostrophe (`it'll` → `it`).
#[derive(Debug, Clone)]
struct Word {
    start: usize,
    end: usize,
    key: String,
    upper: bool,
    digit: bool,
}

fn word(line: &str, start: usize, end: usize) -> Word {
    let text = &line[start..end];
    let core = text.split(['\'', '’']).next().unwrap_or(text);
    Word {
        start,
        end,
        key: core.to_lowercase(),
        upper: text.chars().next().is_some_and(char::is_uppercase),
        digit: text.chars().any(|c| c.is_numeric()),
    }
}

/// A run of words joined with hyphens or dashes and no spaces: `high–tech`,
/// `state–of–the–art`, `low-light–tolerant`.
#[derive(Debug)]
struct Run {
    text: String,
    words: Vec<Word>,
    /// `joiners[k]` joins `words[k]` and `words[k + 1]`: offset and character.
    joiners: Vec<(usize, char)>,
}

/// The run around the joiner at `at`, or `None` if a side is not a word.
fn run_at(line: &str, at: usize) -> Option<Run> {
    // Walk left to the start of the run, then parse it left to right.
    let mut start = at;
    loop {
        let before = &line[..start];
        let word_start = before
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_word_char(c))
            .last()
            .map(|(i, _)| i)?;
        start = word_start;
        let Some(c) = line[..start].chars().next_back() else {
            break;
        };
        let before_joiner = &line[..start - c.len_utf8()];
        if is_joiner(c)
            && before_joiner
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
        {
            start -= c.len_utf8();
        } else {
            break;
        }
    }
    let mut words = Vec::new();
    let mut joiners = Vec::new();
    let mut i = start;
    loop {
        let rest = &line[i..];
        let len = rest
            .char_indices()
            .find(|&(_, c)| !is_word_char(c))
            .map_or(rest.len(), |(k, _)| k);
        // Apostrophes close a word but do not start or end a compound's word.
        let text = rest[..len].trim_end_matches(['\'', '’']);
        if text.is_empty() {
            return None;
        }
        words.push(word(line, i, i + text.len()));
        i += text.len();
        let Some(c) = line[i..].chars().next() else {
            break;
        };
        let next = line[i + c.len_utf8()..].chars().next();
        if is_joiner(c) && next.is_some_and(char::is_alphanumeric) && text.len() == len {
            joiners.push((i, c));
            i += c.len_utf8();
        } else {
            break;
        }
    }
    (!joiners.is_empty()).then(|| Run {
        text: line[start..i].to_owned(),
        words,
        joiners,
    })
}

/// Why a dash joins a compound.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Evidence {
    /// Hyphenated elsewhere, here.
    Twin(Span),
    Prefix,
    Phrase,
    Modifier,
}

/// One dash of a run that should be a hyphen.
struct Candidate {
    span: Span,
    dash: char,
    evidence: Evidence,
}

impl Rule for DashInCompound {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        let text = doc.text();
        if memchr::memchr(0xE2, text.as_bytes()).is_none() {
            return;
        }
        let runs = dash_runs(doc);
        if runs.is_empty() {
            return;
        }
        let twins = hyphenated_pairs(text);
        // A document that closes up en dashes between clauses (`job–or fear`) makes
        // every closed en dash a possible clause dash: only strong evidence counts.
        let clause_en_dashes = runs.iter().any(|cx| {
            cx.run.joiners.iter().enumerate().any(|(k, &(_, c))| {
                !dash_kind(c).is_some_and(|(_, closed_ok)| closed_ok)
                    && is_clause_dash(&cx.run, k)
                    && !is_phrase(&cx.tail, &cx.run, k)
            })
        });
        for Context { head, tail, run } in &runs {
            let found: Vec<Candidate> = (0..run.joiners.len())
                .filter_map(|k| judge(head, tail, run, k, &twins, clause_en_dashes))
                .collect();
            let Some(first) = found.first() else {
                continue;
            };
            let (what, _) = dash_kind(first.dash).unwrap_or(("Dash", false));
            let mut span = Span::new(
                run.words.first().map_or(first.span.start, |w| w.start),
                run.words.last().map_or(first.span.end, |w| w.end),
            );
            let mut edits: Vec<Edit> = found
                .iter()
                .map(|c| Edit {
                    span: c.span,
                    replacement: "-".to_owned(),
                })
                .collect();
            let mut shown = run.text.clone();
            if let Some(head) = lost_joint(tail, run) {
                // `commander–in chief` becomes `commander-in-chief`.
                edits.push(Edit {
                    span: Span::new(span.end, span.end + 1),
                    replacement: "-".to_owned(),
                });
                shown.push_str(tail.get(..1 + head).unwrap_or_default());
                span.end += 1 + head;
            }
            let hyphenated: String = shown
                .chars()
                .map(|ch| {
                    if dash_kind(ch).is_some() || ch == ' ' {
                        '-'
                    } else {
                        ch
                    }
                })
                .collect();
            let mut d = self
                .diagnostic(span, format!("{what} in the compound \"{shown}\""))
                .with_help(format!(
                    "Use {}: \"{hyphenated}\"",
                    if edits.len() > 1 {
                        "hyphens"
                    } else {
                        "a hyphen"
                    }
                ))
                .with_fix(Fix::new(Applicability::Safe, edits));
            if let Some(Evidence::Twin(twin)) = found
                .iter()
                .map(|c| c.evidence.clone())
                .find(|e| matches!(e, Evidence::Twin(_)))
            {
                d = d.with_label(twin, "hyphenated here");
            }
            out.push(d);
        }
    }
}

/// A run and a little of its line on each side.
struct Context {
    head: String,
    tail: String,
    run: Run,
}

/// Every run of the document that has a dash between two word characters, with the
/// line it is on (absolute offsets). Code-like lines are skipped.
fn dash_runs(doc: &Document) -> Vec<Context> {
    let text = doc.text();
    let mut out: Vec<Context> = Vec::new();
    let mut last_run_end = 0;
    for at in memchr::memchr_iter(0xE2, text.as_bytes()) {
        if at < last_run_end {
            continue;
        }
        let Some(c) = text.get(at..).and_then(|s| s.chars().next()) else {
            continue;
        };
        if dash_kind(c).is_none() {
            continue;
        }
        let before = text[..at].chars().next_back();
        let after = text[at + c.len_utf8()..].chars().next();
        if !(before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric))
        {
            continue;
        }
        let Some(line) = doc.line(doc.line_of(at)) else {
            continue;
        };
        if is_code_like(line.text) {
            continue;
        }
        let Some(mut run) = run_at(line.text, at - line.span.start) else {
            continue;
        };
        for w in &mut run.words {
            w.start += line.span.start;
            w.end += line.span.start;
        }
        for j in &mut run.joiners {
            j.0 += line.span.start;
        }
        last_run_end = run.words.last().map_or(at + 1, |w| w.end);
        // A little of the line around the run: `commander–in chief`, `seafood soup–flavored`.
        let first = run.words.first().map_or(at, |w| w.start);
        let head_start = ceil_char_boundary(text, first.saturating_sub(24).max(line.span.start));
        let tail_end = floor_char_boundary(text, (last_run_end + 24).min(line.span.end));
        out.push(Context {
            head: text[head_start..first].to_owned(),
            tail: text[last_run_end..tail_end].to_owned(),
            run,
        });
    }
    out
}

/// A dash inside a phrase compound: `state–of–the–art`, `mother-in–law`, or
/// `commander–in chief` (see `lost_joint`). `tail` is the line's text after the run.
fn is_phrase(tail: &str, run: &Run, k: usize) -> bool {
    let last = run.words.len() - 1;
    let chain = |i: usize| {
        (1..last).contains(&i) && !run.words[i].upper && contains(CHAIN_WORDS, &run.words[i].key)
    };
    let dash = run.joiners[k].1;
    // An em dash after a hyphenated compound is a clause dash (`add-on—often`); only a
    // run joined by em dashes throughout is a phrase compound set with them.
    let uniform = !dash_kind(dash).is_some_and(|(_, closed_ok)| closed_ok)
        || run.joiners.iter().all(|&(_, c)| c == dash);
    let inner_chain = uniform && (chain(k) || chain(k + 1));
    inner_chain || (k + 1 == last && lost_joint(tail, run).is_some())
}

/// `commander–in chief`: a run ending in `in` followed by a space and the head of an
/// `X-in-Y` compound. Returns the head's length in bytes.
fn lost_joint(tail: &str, run: &Run) -> Option<usize> {
    if run.words.len() < 2 || run.words.last()?.key != "in" {
        return None;
    }
    let rest = tail.strip_prefix(' ')?;
    let len: usize = rest
        .chars()
        .take_while(|c| c.is_alphabetic())
        .map(char::len_utf8)
        .sum();
    let head = rest[..len].to_lowercase();
    let ends = !rest[len..].starts_with(|c: char| c.is_alphanumeric() || is_joiner(c));
    (contains(IN_HEADS, &head) && ends).then_some(len)
}

/// `seafood soup–flavored`, `$45–100 million–scale`: the run follows a word that
/// may form an open compound with its first word, and the en dash is Chicago's.
/// `head` is the line's text before the run.
fn after_open_compound(head: &str) -> bool {
    let Some(before) = head.strip_suffix(chars::is_space_separator) else {
        return false;
    };
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric())
        .collect::<String>()
        .chars()
        .rev()
        .collect::<String>()
        .to_lowercase();
    !word.is_empty() && !contains(CLAUSE_WORDS, &word)
}

/// `anti–blue light`: the run's last word is followed by a lowercase word it may form
/// an open compound with. `tail` is the line's text after the run.
fn before_open_compound(tail: &str) -> bool {
    let Some(rest) = tail.strip_prefix(chars::is_space_separator) else {
        return false;
    };
    let word: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
    word.chars().next().is_some_and(char::is_lowercase) && !contains(CLAUSE_WORDS, &word)
}

/// A closed dash between clauses: a clause word on either side.
fn is_clause_dash(run: &Run, k: usize) -> bool {
    contains(CLAUSE_WORDS, &run.words[k].key) || contains(CLAUSE_WORDS, &run.words[k + 1].key)
}

fn judge(
    head: &str,
    tail: &str,
    run: &Run,
    k: usize,
    twins: &HashMap<(String, String), Span>,
    clause_en_dashes: bool,
) -> Option<Candidate> {
    let (at, dash) = run.joiners[k];
    let (closed_dash_is_style, left, right) =
        (dash_kind(dash)?.1, &run.words[k], &run.words[k + 1]);
    if left.digit || right.digit {
        return None; // ranges: `1990–2000`, `9–5`, `80s–no`, `101A–B`
    }
    let prefix = contains(PREFIXES, &left.key)
        && run.words.len() == 2
        && (contains(HYPHEN_ONLY_PREFIXES, &left.key)
            || !before_open_compound(tail)
            || MODIFIER_ENDINGS.iter().any(|e| right.key.ends_with(e)));
    let evidence = if is_phrase(tail, run, k) {
        Evidence::Phrase
    } else if right.upper || (left.upper && !prefix) || is_clause_dash(run, k) {
        // `Paris–Dakar`, `non–Ohio State`, `human–AI`, `Award–winning`; `supports–such as`.
        return None;
    } else if let Some(&twin) = twins.get(&(left.key.clone(), right.key.clone())) {
        Evidence::Twin(twin)
    } else if prefix {
        Evidence::Prefix
    } else if closed_dash_is_style || clause_en_dashes || run.words.len() != 2 {
        return None;
    } else if contains(FIRST_ELEMENTS, &left.key) {
        if left.key.len() == 1 && right.key.len() < 3 {
            return None; // `a–z`, `x–y`
        }
        Evidence::Modifier
    } else if contains(SECOND_ELEMENTS, &right.key) && !after_open_compound(head) {
        Evidence::Modifier
    } else {
        return None;
    };
    Some(Candidate {
        span: Span::new(at, at + dash.len_utf8()),
        dash,
        evidence,
    })
}

/// `left-right` word pairs joined by a hyphen anywhere in the text, lowercased, with
/// the span of the first one.
fn hyphenated_pairs(text: &str) -> HashMap<(String, String), Span> {
    let mut out = HashMap::new();
    for at in memchr::memchr_iter(b'-', text.as_bytes()) {
        let before = &text[..at];
        let after = &text[at + 1..];
        let left_len: usize = before
            .chars()
            .rev()
            .take_while(|c| c.is_alphabetic())
            .map(char::len_utf8)
            .sum();
        let right_len: usize = after
            .chars()
            .take_while(|c| c.is_alphabetic())
            .map(char::len_utf8)
            .sum();
        if left_len == 0 || right_len == 0 {
            continue;
        }
        let left = before[at - left_len..].to_lowercase();
        let right = after[..right_len].to_lowercase();
        out.entry((left, right))
            .or_insert(Span::new(at - left_len, at + 1 + right_len));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{CLAUSE_WORDS, DashInCompound, FIRST_ELEMENTS, PREFIXES, SECOND_ELEMENTS};
    use crate::rules::test::{assert_clean, check_fixture, fix_fixture, read_fixture, run};

    #[test]
    fn flags_dashes_in_compounds() {
        insta::assert_snapshot!(check_fixture(&DashInCompound, "dash-in-compound/flagged.txt"), @r#"
        3:66 dash-in-compound En dash in the compound "green–light" (label 1:66 hyphenated here) [safe fix]
        5:61 dash-in-compound En dash in the compound "high–tech" [safe fix]
        7:95 dash-in-compound En dash in the compound "commander–in chief" [safe fix]
        9:86 dash-in-compound En dash in the compound "ex–dictator" [safe fix]
        11:44 dash-in-compound En dash in the compound "self–paced" [safe fix]
        11:59 dash-in-compound En dash in the compound "self–directed" [safe fix]
        15:53 dash-in-compound En dash in the compound "speed–torque" (label 13:79 hyphenated here) [safe fix]
        "#);
    }

    #[test]
    fn the_fix_puts_hyphens_back_and_nothing_is_left() {
        fix_fixture(&DashInCompound, "dash-in-compound/flagged.txt");
        assert_clean(
            &DashInCompound,
            &read_fixture("dash-in-compound/flagged.fixed.txt"),
        );
    }

    #[test]
    fn ranges_names_open_compounds_and_clause_dashes_keep_their_dash() {
        assert_clean(&DashInCompound, &read_fixture("dash-in-compound/clean.txt"));
    }

    #[test]
    fn phrase_compounds_are_hyphenated_throughout() {
        let (_, found) = run(
            &DashInCompound,
            "a state–of–the–art lab and my mother-in–law",
        );
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].fix.as_ref().map(|f| f.edits.len()), Some(3));
    }

    #[test]
    fn em_dashes_need_strong_evidence() {
        assert_clean(
            &DashInCompound,
            "The plan—which was secret—failed. A well—known fact.",
        );
        assert_eq!(run(&DashInCompound, "his ex—wife said").1.len(), 1);
    }

    #[test]
    fn a_document_that_closes_up_clause_en_dashes_keeps_them() {
        assert_clean(
            &DashInCompound,
            "Some lost their job–or fear losing it. Rates are set in a high–level way.",
        );
        assert_eq!(
            run(&DashInCompound, "Rates are set in a high–level way.")
                .1
                .len(),
            1
        );
    }

    #[test]
    fn letter_ranges_and_code_are_left_alone() {
        assert_clean(&DashInCompound, "Sort the list a–z.\nlet x = high–tech;");
    }

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        for list in [PREFIXES, FIRST_ELEMENTS, SECOND_ELEMENTS, CLAUSE_WORDS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
    }
}

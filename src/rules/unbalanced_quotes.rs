//! `unbalanced-quotes`: a quotation opened and never closed in its paragraph, or a
//! closing double quote with nothing to close.

use std::collections::HashSet;

use crate::declare_rule;
use crate::document::typography::{QuoteKind, QuoteMark, QuoteRole, QuotedParagraph};
use crate::document::{Document, Span, floor_char_boundary};
use crate::rules::{Diagnostic, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Pairs the quotation marks of each paragraph (a run of non-blank lines) and
    /// flags an opening quote — `“`, `‘`, `"` or `'` before a word — that nothing
    /// closes before the paragraph ends, and a closing double quote with nothing open.
    ///
    /// Apostrophes are not quotes: `‘We’ve knocked out…’` pairs the outer marks,
    /// `players’` may close a quotation, and `’90s`, `rock ’n’ roll`, `'em` and primes
    /// (`5'10"`, `79 1/2 "`) are left out. Not errors either: a quotation that runs over
    /// several paragraphs in the usual convention (each paragraph opens it again, only
    /// the last one closes it); a quotation closed by a mark of its own style up to 25
    /// paragraphs later (testimonials, interviews, blockquotes split by the scraper); a
    /// decorative `“` in a block of its own above a testimonial. A straight mark whose
    /// role is a guess (`'Bama`, a vim comment `" set number`) is not reported, nor is
    /// a paragraph with a line of code. Several unclosed quotes in one paragraph give
    /// one finding.
    ///
    /// ## Why is this bad?
    /// An unclosed quote usually means the scraper cut the text: a headline truncated in
    /// a "related stories" box, a pull quote split from its paragraph. Readers cannot
    /// tell where the quotation ends.
    ///
    /// ## Example
    /// ```text
    /// Karoline Leavitt Criticizes Conservatives Opposing Trump’s Iran Strategy: ‘This President Sees the Real World Clearly
    /// ```
    /// Use instead:
    /// ```text
    /// Karoline Leavitt Criticizes Conservatives Opposing Trump’s Iran Strategy: ‘This President Sees the Real World Clearly’
    /// ```
    ///
    /// ## Fix
    /// None: where the quotation should end is for an editor to decide.
    name: "unbalanced-quotes",
    group: crate::rules::group::TYPOGRAPHY,
    severity: Warning,
    fix: None,
    summary: "A quotation opened and never closed in its paragraph",
}

#[derive(Debug, Default)]
pub struct UnbalancedQuotes;

/// How much of an unclosed quotation the message shows.
const SHOWN: usize = 60;

/// How many paragraphs a quotation may run over, unclosed, before its closing quote:
/// testimonials and interviews run to a dozen short paragraphs and list items.
const SPREAD: usize = 25;

/// The unpaired marks of one paragraph, of one kind.
#[derive(Debug, Default)]
struct Unpaired {
    /// Opening quotes nothing in the paragraph closed.
    open: Vec<QuoteMark>,
    /// Marks that may close a quotation of an earlier paragraph, before the
    /// paragraph opens one of its own: closing double quotes with nothing open, and
    /// apostrophes where a closing single quote could stand.
    close: Vec<QuoteMark>,
    /// The paragraph starts with an opening quote.
    reopens: bool,
}

fn unpaired(doc: &Document, paragraph: Span, marks: &[QuoteMark], kind: QuoteKind) -> Unpaired {
    let mut out = Unpaired::default();
    let text = doc.slice(paragraph);
    let lead = text.len() - text.trim_start().len();
    let partners: HashSet<Span> = marks.iter().filter_map(|m| m.partner).collect();
    let mut opened = false;
    for m in marks.iter().filter(|m| m.kind == kind) {
        if m.role == QuoteRole::Open {
            out.reopens |= m.span.start == paragraph.start + lead;
            opened = true;
            if m.partner.is_none() {
                out.open.push(*m);
            }
        } else if (m.role == QuoteRole::Close && !partners.contains(&m.span))
            || (m.closing_position && !opened)
        {
            out.close.push(*m);
        }
    }
    out
}

impl Rule for UnbalancedQuotes {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        let quoted = doc.quotes();
        for kind in [QuoteKind::Double, QuoteKind::Single] {
            // A quotation left open, waiting for a later paragraph to close it or to
            // open again (the multi-paragraph convention): the mark and its paragraph.
            let mut pending: Option<(QuoteMark, &QuotedParagraph)> = None;
            for qp in quoted {
                if let Some((p, at)) = pending
                    && qp.index > at.index + SPREAD
                {
                    self.unclosed(doc, at.span, &p, out);
                    pending = None;
                }
                // A paragraph with a line of code (`"Session` on a line with
                // `<storage_root>`) pairs quotes across code and prose: it is left out.
                if qp.has_code {
                    continue;
                }
                let u = unpaired(doc, qp.span, &qp.marks, kind);
                if u.reopens {
                    pending = None;
                }
                if let Some(glyph) = lone_opening_glyph(doc, qp.span, kind) {
                    // A big decorative `“` in a block of its own opens the testimonial
                    // that follows.
                    pending = Some((glyph, qp));
                    continue;
                }
                for m in &u.close {
                    // Only a closing mark of the opening one's style closes a quotation
                    // across paragraphs: `“` with `”`, `"` with `"`.
                    let closes = pending.is_some_and(|(p, _)| p.is_straight() == m.is_straight());
                    if closes {
                        pending = None;
                    } else if kind == QuoteKind::Double {
                        out.push(
                            self.diagnostic(
                                m.span,
                                "Closing quote with no opening quote in its paragraph",
                            )
                            .with_help(
                                "Open the quotation where it starts, or delete the stray quote",
                            ),
                        );
                    }
                }
                if let Some(&last) = u.open.last() {
                    if let Some((p, at)) = pending.take() {
                        self.unclosed(doc, at.span, &p, out);
                    }
                    // Several unclosed quotes in one paragraph are one defect: report
                    // the first now; the last may still be closed later.
                    if let Some(first) = u.open.first().filter(|f| f.span != last.span) {
                        self.unclosed(doc, qp.span, first, out);
                    }
                    pending = Some((last, qp));
                }
            }
            if let Some((p, at)) = pending {
                self.unclosed(doc, at.span, &p, out);
            }
        }
    }
}

impl UnbalancedQuotes {
    fn unclosed(&self, doc: &Document, para: Span, m: &QuoteMark, out: &mut Vec<Diagnostic>) {
        if !m.certain {
            // `'Bama`, `'burbs`, a vim comment `" set number`, a decorative `“` above a
            // testimonial: a mark whose role was guessed is as likely an elision, code
            // or ornament as an unclosed quotation.
            return;
        }
        let end = floor_char_boundary(doc.text(), para.end.min(m.span.end + SHOWN));
        let shown = doc
            .slice(Span::new(m.span.start, end))
            .replace(['\r', '\n'], " ");
        let ellipsis = if end < para.end { "…" } else { "" };
        out.push(
            self.diagnostic(
                m.span,
                format!("Quotation opened and never closed in its paragraph: {shown}{ellipsis}"),
            )
            .with_help(format!("Close the quotation with {}", closer(m))),
        );
    }
}

/// A paragraph that is only an opening quote mark of `kind`, as a mark.
fn lone_opening_glyph(doc: &Document, para: Span, kind: QuoteKind) -> Option<QuoteMark> {
    let text = doc.slice(para);
    let trimmed = text.trim();
    let ch = trimmed.chars().next()?;
    let opens = match kind {
        QuoteKind::Double => matches!(ch, '“' | '"' | '„'),
        QuoteKind::Single => matches!(ch, '‘' | '\''),
    };
    if !opens || trimmed.len() != ch.len_utf8() {
        return None;
    }
    let start = para.start + (text.len() - text.trim_start().len());
    Some(QuoteMark {
        span: Span::new(start, start + ch.len_utf8()),
        ch,
        kind,
        role: QuoteRole::Open,
        // Decoration: if nothing closes it, there is nothing to report.
        certain: false,
        partner: None,
        closing_position: false,
    })
}

fn closer(m: &QuoteMark) -> &'static str {
    match (m.kind, m.ch) {
        (QuoteKind::Single, '\'') => "'",
        (QuoteKind::Single, _) => "’",
        (QuoteKind::Double, '"') => "\"",
        (QuoteKind::Double, '„') => "“",
        (QuoteKind::Double, _) => "”",
    }
}

#[cfg(test)]
mod tests {
    use super::UnbalancedQuotes;
    use crate::rules::test::{assert_clean, check_fixture, read_fixture, run};

    #[test]
    fn flags_unclosed_and_stray_quotes() {
        insta::assert_snapshot!(check_fixture(&UnbalancedQuotes, "unbalanced-quotes/flagged.txt"), @r#"
        3:75 unbalanced-quotes Quotation opened and never closed in its paragraph: ‘This President Sees the Real World Clearly
        7:107 unbalanced-quotes Quotation opened and never closed in its paragraph: “Iit sure would be nice if (insert expensive upgrade). This i…
        9:136 unbalanced-quotes Closing quote with no opening quote in its paragraph
        "#);
    }

    #[test]
    fn apostrophes_nesting_primes_and_multi_paragraph_quotations_are_balanced() {
        assert_clean(
            &UnbalancedQuotes,
            &read_fixture("unbalanced-quotes/clean.txt"),
        );
    }

    #[test]
    fn a_quotation_reopened_in_each_paragraph_must_close_in_the_last() {
        assert_clean(
            &UnbalancedQuotes,
            "“One paragraph.\n\n“Another one.\n\n“The last one.”\n",
        );
        let (doc, found) = run(
            &UnbalancedQuotes,
            "“One paragraph.\n\n“Another one.\n\nNot quoted.\n",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(doc.line_col(found[0].span.start).line, 3);
    }

    #[test]
    fn a_quotation_closed_a_few_paragraphs_later_is_not_reported() {
        assert_clean(
            &UnbalancedQuotes,
            "“I decided to face my fear.\n\nI farm east of here.\n\nIt changed my life.”\n",
        );
    }

    #[test]
    fn a_decorative_quote_mark_opens_the_next_paragraph() {
        assert_clean(
            &UnbalancedQuotes,
            "Stories to inspire\n\n“\n\nIt helped us assess the risks.”\n",
        );
    }

    #[test]
    fn a_paragraph_with_a_line_of_code_is_left_out() {
        assert_clean(
            &UnbalancedQuotes,
            "Here <storage_root> and <storage_api> are as per \"Session\ndescription\" above.\n",
        );
    }

    #[test]
    fn an_unknown_elision_is_not_an_unclosed_quote() {
        assert_clean(
            &UnbalancedQuotes,
            "Roll Tide, the 'Bama fans said.\n\n\" set number\n",
        );
    }
}

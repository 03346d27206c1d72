//! Suppression comments in Markdown and HTML: `<!-- copylint-disable rule-a, rule-b -->`
//! … `<!-- copylint-enable -->`, and `<!-- copylint-disable-next-line rule -->`. Readers
//! find them; the linter applies them.

use super::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectiveKind {
    Disable,
    Enable,
    DisableNextLine,
}

impl DirectiveKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DirectiveKind::Disable => "copylint-disable",
            DirectiveKind::Enable => "copylint-enable",
            DirectiveKind::DisableNextLine => "copylint-disable-next-line",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub kind: DirectiveKind,
    /// The rules (or groups) named; empty means every rule.
    pub rules: Vec<String>,
    /// The comment, in `display_source()` offsets.
    pub span: Span,
    /// The text offset where the comment stands (for findings about the comment).
    pub text_at: usize,
}

/// The directive in the text of one HTML comment (between `<!--` and `-->`), if any.
pub fn parse(comment: &str, span: Span, text_at: usize) -> Option<Directive> {
    let body = comment.trim();
    let (kind, rest) = [
        DirectiveKind::DisableNextLine,
        DirectiveKind::Disable,
        DirectiveKind::Enable,
    ]
    .into_iter()
    .find_map(|k| {
        let rest = body.strip_prefix(k.as_str())?;
        // `copylint-disable-foo` is not `copylint-disable` followed by a rule.
        (rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || c == ':'))
            .then_some((k, rest))
    })?;
    let rules = rest
        .trim_start_matches(':')
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .collect();
    Some(Directive {
        kind,
        rules,
        span,
        text_at,
    })
}

/// Every `<!-- … -->` comment in `html` (a Markdown HTML event), with its offsets.
pub fn comments(html: &str) -> impl Iterator<Item = (&str, usize, usize)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let open = at + html.get(at..)?.find("<!--")?;
        let body = open + 4;
        let close = body + html.get(body..)?.find("-->")?;
        at = close + 3;
        Some((&html[body..close], open, close + 3))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_name_their_kind_and_rules() {
        let d = parse(
            " copylint-disable-next-line trailing-whitespace, double-space ",
            Span::new(0, 1),
            0,
        )
        .unwrap();
        assert_eq!(d.kind, DirectiveKind::DisableNextLine);
        assert_eq!(d.rules, vec!["trailing-whitespace", "double-space"]);
        assert_eq!(
            parse("copylint-enable", Span::default(), 0).unwrap().rules,
            Vec::<String>::new()
        );
        assert_eq!(
            parse("copylint-disable: boilerplate", Span::default(), 0)
                .unwrap()
                .rules,
            vec!["boilerplate"]
        );
        assert!(parse("copylint-disabled", Span::default(), 0).is_none());
        assert!(parse("a normal comment", Span::default(), 0).is_none());
    }

    #[test]
    fn comments_are_found_in_an_html_chunk() {
        let found: Vec<_> = comments("<!-- a --><p>x</p><!--b-->").collect();
        assert_eq!(found, vec![(" a ", 0, 10), ("b", 18, 26)]);
    }
}

//! The registry of all rules (built-in and packs), rule selection, and the `Linter` that
//! runs the enabled rules on a document.

use std::collections::{BTreeSet, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};

use rayon::prelude::*;

use crate::config::Config;
use std::path::PathBuf;

use crate::document::directives::{Directive, DirectiveKind};
use crate::document::{Document, Origin};
use crate::error::{Error, FileError};
use crate::packs::{self, Pack};
use crate::rules::{self, Diagnostic, Rule, RuleMeta, RuleOptions, RuleSpec, Severity};
use crate::rules::{corpus, unused_suppression};

/// Every rule copylint knows in this run: the built-ins, the embedded packs and the
/// packs named in the config.
pub struct Registry {
    specs: Vec<RuleSpec>,
    packs: Vec<Pack>,
}

/// Selection from the command line, applied on top of the config's.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Replaces the config's `select`.
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
}

/// A selector: `all`, a group name or a rule name.
pub const ALL: &str = "all";

impl Registry {
    pub fn load(config: &Config) -> Result<Registry, Error> {
        let mut packs = packs::embedded()?;
        for path in &config.packs {
            let source = std::fs::read_to_string(path.get_ref()).map_err(|e| {
                config.error(
                    path.span(),
                    format!("cannot read rule pack {}: {e}", path.get_ref().display()),
                    "this pack",
                )
            })?;
            packs.push(Pack::load(&path.get_ref().display().to_string(), &source)?);
        }
        let registry = Registry {
            specs: rules::builtin(),
            packs,
        };
        let mut seen: BTreeSet<&str> = registry
            .specs
            .iter()
            .map(|s| s.meta.name.as_ref())
            .collect();
        for pack in &registry.packs {
            for (i, meta) in pack.metas().iter().enumerate() {
                if !seen.insert(&meta.name) {
                    return Err(pack
                        .error_at_rule(i, format!("rule `{}` is already defined", meta.name))
                        .into());
                }
            }
        }
        Ok(registry)
    }

    /// All rules, sorted by name.
    pub fn metas(&self) -> Vec<&RuleMeta> {
        let mut metas: Vec<&RuleMeta> = self
            .specs
            .iter()
            .map(|s| s.meta)
            .chain(self.packs.iter().flat_map(|p| p.metas()))
            .collect();
        metas.sort_by(|a, b| a.name.cmp(&b.name));
        metas
    }

    pub fn meta(&self, name: &str) -> Option<&RuleMeta> {
        self.metas().into_iter().find(|m| m.name == name)
    }

    pub fn groups(&self) -> BTreeSet<&str> {
        self.metas().into_iter().map(|m| m.group.as_ref()).collect()
    }

    /// The closest rule or group name, if one is close enough to be a typo.
    pub fn suggest(&self, name: &str) -> Option<String> {
        let metas = self.metas();
        let groups = self.groups();
        let names = metas
            .iter()
            .map(|m| m.name.as_ref())
            .chain(groups.iter().copied());
        names
            .map(|candidate| {
                (
                    strsim::normalized_damerau_levenshtein(name, candidate),
                    candidate,
                )
            })
            .filter(|(score, _)| *score >= 0.6)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, candidate)| candidate.to_owned())
    }

    /// The rules a selector names, or `None` if it names nothing.
    pub fn expand(&self, selector: &str) -> Option<Vec<String>> {
        let metas = self.metas();
        let names: Vec<String> = metas
            .iter()
            .filter(|m| selector == ALL || m.name == selector || m.group == selector)
            .map(|m| m.name.to_string())
            .collect();
        (!names.is_empty()).then_some(names)
    }

    /// Resolves the config's and the command line's selection into the set of enabled rules.
    pub fn enabled(&self, config: &Config, cli: &Selection) -> Result<BTreeSet<String>, Error> {
        let from_config = |list: &[toml::Spanned<String>]| -> Result<Vec<String>, Error> {
            let mut out = Vec::new();
            for selector in list {
                match self.expand(selector.get_ref()) {
                    Some(names) => out.extend(names),
                    None => return Err(self.unknown_in_config(config, selector).into()),
                }
            }
            Ok(out)
        };
        let from_cli = |list: &[String]| -> Result<Vec<String>, Error> {
            let mut out = Vec::new();
            for selector in list {
                match self.expand(selector) {
                    Some(names) => out.extend(names),
                    None => {
                        return Err(Error::UnknownRule {
                            name: selector.clone(),
                            suggestion: self.suggest(selector),
                        });
                    }
                }
            }
            Ok(out)
        };
        let mut enabled: BTreeSet<String> = match (&cli.select, &config.select) {
            (Some(list), _) => from_cli(list)?.into_iter().collect(),
            (None, Some(list)) => from_config(list)?.into_iter().collect(),
            (None, None) => self
                .metas()
                .into_iter()
                .filter(|m| m.default_enabled)
                .map(|m| m.name.to_string())
                .collect(),
        };
        enabled.extend(from_config(&config.extend_select)?);
        enabled.extend(from_cli(&cli.extend_select)?);
        for name in from_config(&config.ignore)?
            .into_iter()
            .chain(from_cli(&cli.ignore)?)
        {
            enabled.remove(&name);
        }
        Ok(enabled)
    }

    fn unknown_in_config(
        &self,
        config: &Config,
        selector: &toml::Spanned<String>,
    ) -> Box<FileError> {
        let err = config.error(
            selector.span(),
            format!("unknown rule or group `{}`", selector.get_ref()),
            "not a rule or group",
        );
        match self.suggest(selector.get_ref()) {
            Some(s) => err.with_help(format!("did you mean `{s}`?")),
            None => err.with_help("`copylint rules` lists every rule and group"),
        }
    }
}

/// A rule crashed on an input: a bug, reported like an unreadable input.
#[derive(Debug, Clone)]
pub struct RuleCrash {
    pub rule: String,
}

/// The enabled rules, ready to check documents.
pub struct Linter {
    rules: Vec<Box<dyn Rule>>,
    packs: Vec<(Pack, Vec<bool>)>,
    severities: HashMap<String, Severity>,
    enabled: BTreeSet<String>,
    /// Every rule's group, to match group names in suppression comments.
    groups: HashMap<String, String>,
    /// `per-file-ignores`: files matching the glob drop these rules' findings.
    per_file: Vec<(globset::GlobMatcher, BTreeSet<String>)>,
    /// The directory `per-file-ignores` globs are relative to (absolute).
    base_dir: PathBuf,
    /// Every known rule (enabled or not), for docs.
    metas: Vec<RuleMeta>,
}

impl Linter {
    pub fn new(registry: Registry, config: &Config, cli: &Selection) -> Result<Linter, Error> {
        let enabled = registry.enabled(config, cli)?;
        let all_metas: Vec<RuleMeta> = registry.metas().into_iter().cloned().collect();
        for (name, rule_config) in &config.rules {
            if registry.meta(name).is_none() {
                let mut err = config.error(
                    rule_config.name_span.clone(),
                    format!("unknown rule `{name}` in [rules]"),
                    "not a rule",
                );
                if let Some(s) = registry.suggest(name) {
                    err = err.with_help(format!("did you mean `{s}`?"));
                }
                return Err(err.into());
            }
        }
        let empty = RuleOptions::default();
        let mut rules: Vec<Box<dyn Rule>> = Vec::new();
        for spec in &registry.specs {
            let rule_config = config.rules.get(spec.meta.name.as_ref());
            let options = rule_config.map_or(&empty, |c| &c.options);
            // Options are validated even for rules that are not enabled, so a typo
            // does not wait for the day the rule is turned on.
            let rule = spec.build(options).map_err(|e| {
                let span = e
                    .span
                    .clone()
                    .or_else(|| rule_config.map(|c| c.name_span.clone()))
                    .unwrap_or(0..0);
                Error::from(config.error(
                    span,
                    format!(
                        "invalid option for rule `{}`: {}",
                        spec.meta.name, e.message
                    ),
                    "here",
                ))
            })?;
            if enabled.contains(spec.meta.name.as_ref()) {
                rules.push(rule);
            }
        }
        let mut per_file = Vec::new();
        for (glob, selectors) in &config.per_file_ignores {
            let matcher = globset::GlobBuilder::new(glob.get_ref())
                .literal_separator(true)
                .build()
                .map_err(|e| config.error(glob.span(), format!("invalid glob: {e}"), "this glob"))?
                .compile_matcher();
            let mut rules = BTreeSet::new();
            for selector in selectors {
                match registry.expand(selector.get_ref()) {
                    Some(names) => rules.extend(names),
                    None => return Err(registry.unknown_in_config(config, selector).into()),
                }
            }
            per_file.push((matcher, rules));
        }
        let groups = registry
            .metas()
            .into_iter()
            .map(|m| (m.name.to_string(), m.group.to_string()))
            .collect();
        let mut packs = Vec::new();
        for pack in registry.packs {
            for meta in pack.metas() {
                if let Some(rule_config) = config.rules.get(meta.name.as_ref())
                    && !rule_config.options.is_empty()
                {
                    return Err(config
                        .error(
                            rule_config.name_span.clone(),
                            format!(
                                "rule `{}` from a rule pack takes no options besides `severity`",
                                meta.name
                            ),
                            "this rule",
                        )
                        .into());
                }
            }
            let mask: Vec<bool> = pack
                .metas()
                .iter()
                .map(|m| enabled.contains(m.name.as_ref()))
                .collect();
            if mask.iter().any(|&on| on) {
                packs.push((pack, mask));
            }
        }
        let severities = config
            .rules
            .iter()
            .filter_map(|(name, c)| c.severity.map(|s| (name.clone(), s)))
            .collect();
        let base_dir = std::path::absolute(config.base_dir()).unwrap_or_else(|_| config.base_dir());
        let metas = all_metas;
        Ok(Linter {
            rules,
            packs,
            severities,
            enabled,
            groups,
            per_file,
            base_dir,
            metas,
        })
    }

    /// Drops the findings of rules ignored for this file by `per-file-ignores`.
    fn apply_per_file_ignores(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        if self.per_file.is_empty() {
            return;
        }
        let path = doc
            .path()
            .map_or_else(|| PathBuf::from(doc.name()), PathBuf::from);
        let absolute = std::path::absolute(&path).unwrap_or(path);
        let relative = absolute.strip_prefix(&self.base_dir).unwrap_or(&absolute);
        for (matcher, rules) in &self.per_file {
            if matcher.is_match(relative) {
                out.retain(|d| !rules.contains(d.rule.as_ref()));
            }
        }
    }

    /// Whether a suppression comment's rule token names `rule` (by name or group).
    fn names(&self, token: &str, rule: &str) -> bool {
        token == ALL || token == rule || self.groups.get(rule).is_some_and(|g| g == token)
    }

    /// Applies the document's suppression comments and reports the unused ones.
    fn apply_directives(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        let directives = doc.directives();
        if directives.is_empty() {
            return;
        }
        let source = doc.display_source();
        let lines = doc.display_lines();
        // (start, end, rule token or None for every rule, directive index)
        let mut ranges: Vec<(usize, usize, Option<&str>, usize)> = Vec::new();
        let mut open: Vec<(usize, Option<&str>, usize)> = Vec::new();
        fn tokens(d: &Directive) -> Vec<Option<&str>> {
            if d.rules.is_empty() {
                vec![None]
            } else {
                d.rules.iter().map(|r| Some(r.as_str())).collect()
            }
        }
        for (i, d) in directives.iter().enumerate() {
            match d.kind {
                DirectiveKind::Disable => {
                    open.extend(tokens(d).into_iter().map(|t| (d.span.end, t, i)))
                }
                DirectiveKind::Enable => {
                    let closing = tokens(d);
                    open.retain(|&(start, token, index)| {
                        let closes = closing.contains(&None) || closing.contains(&token);
                        if closes {
                            ranges.push((start, d.span.start, token, index));
                        }
                        !closes
                    });
                }
                DirectiveKind::DisableNextLine => {
                    let next = lines.line_of(d.span.end.saturating_sub(1)) + 1;
                    if let Some(line) = lines.line_span(source, next) {
                        ranges.extend(tokens(d).into_iter().map(|t| (line.start, line.end, t, i)));
                    }
                }
            }
        }
        ranges.extend(
            open.into_iter()
                .map(|(start, token, index)| (start, source.len(), token, index)),
        );
        let mut used = vec![false; directives.len()];
        out.retain(|d| {
            let at = doc.display_span(d.span).start;
            let hit = ranges.iter().find(|(start, end, token, _)| {
                (*start..=*end).contains(&at) && token.is_none_or(|t| self.names(t, &d.rule))
            });
            if let Some(&(_, _, _, index)) = hit {
                used[index] = true;
            }
            hit.is_none()
        });
        if !self
            .enabled
            .contains(unused_suppression::META.name.as_ref())
        {
            return;
        }
        let known = |token: &str| {
            token == ALL
                || self.groups.contains_key(token)
                || self.groups.values().any(|g| g == token)
        };
        for (d, used) in directives.iter().zip(used) {
            if d.kind == DirectiveKind::Enable {
                continue;
            }
            let comment = format!(
                "{}{}{}",
                d.kind.as_str(),
                if d.rules.is_empty() { "" } else { " " },
                d.rules.join(", ")
            );
            let line = lines.line_col(source, d.span.start).line;
            let span = crate::document::Span::new(d.text_at, d.text_at);
            if let Some(unknown) = d.rules.iter().find(|r| !known(r)) {
                out.push(
                    Diagnostic::new(
                        &unused_suppression::META,
                        span,
                        format!("Suppression on line {line} names an unknown rule `{unknown}`"),
                    )
                    .with_help("`copylint rules` lists every rule and group"),
                );
                continue;
            }
            // A comment about rules that are not enabled cannot be judged.
            let judged = d
                .rules
                .iter()
                .all(|r| r == ALL || self.enabled.iter().any(|e| self.names(r, e)));
            if !used && judged {
                out.push(
                    Diagnostic::new(
                        &unused_suppression::META,
                        span,
                        format!(
                            "Unused suppression on line {line}: `{comment}` suppresses nothing"
                        ),
                    )
                    .with_help("Delete the comment"),
                );
            }
        }
    }

    /// Every rule known to this linter, enabled or not, sorted by name.
    pub fn metas(&self) -> &[RuleMeta] {
        &self.metas
    }

    /// Names of the enabled rules, sorted.
    pub fn enabled(&self) -> &BTreeSet<String> {
        &self.enabled
    }

    /// What the corpus pass must collect for the enabled corpus rules (empty when none
    /// is enabled).
    pub fn corpus_needs(&self) -> Vec<corpus::Need> {
        self.rules.iter().filter_map(|r| r.corpus_need()).collect()
    }

    /// Runs every enabled rule; findings are sorted by position, then rule. A rule that
    /// panics does not take the run down: its crash is returned instead.
    pub fn check(&self, doc: &Document) -> Result<Vec<Diagnostic>, RuleCrash> {
        self.check_in_corpus(doc, None)
    }

    /// `check`, plus the findings of the corpus rules from what the corpus pass found
    /// for this document. Suppressions, per-file ignores and severities apply to them
    /// as to any finding.
    pub fn check_in_corpus(
        &self,
        doc: &Document,
        corpus: Option<&corpus::View>,
    ) -> Result<Vec<Diagnostic>, RuleCrash> {
        let mut out = Vec::new();
        for rule in &self.rules {
            out.extend(run_rule(rule.as_ref(), doc, corpus)?);
        }
        for (pack, mask) in &self.packs {
            out.extend(run_pack(pack, mask, doc)?);
        }
        self.finish(doc, out)
    }

    /// `check`, with the rules spread over rayon's threads: for one document that is
    /// checked alone (the language server after each edit), where no other document
    /// keeps the cores busy. The findings are the same as `check`'s, in the same order.
    pub fn check_parallel(&self, doc: &Document) -> Result<Vec<Diagnostic>, RuleCrash> {
        let parts: Vec<Result<Vec<Diagnostic>, RuleCrash>> = self
            .rules
            .par_iter()
            .map(|rule| run_rule(rule.as_ref(), doc, None))
            .chain(
                self.packs
                    .par_iter()
                    .map(|(pack, mask)| run_pack(pack, mask, doc)),
            )
            .collect();
        let mut out = Vec::new();
        for part in parts {
            out.extend(part?);
        }
        self.finish(doc, out)
    }

    /// Per-file ignores, suppressions, severities and fixes that cannot be applied;
    /// then the findings in a stable order.
    fn finish(
        &self,
        doc: &Document,
        mut out: Vec<Diagnostic>,
    ) -> Result<Vec<Diagnostic>, RuleCrash> {
        self.apply_per_file_ignores(doc, &mut out);
        self.apply_directives(doc, &mut out);
        let plain = matches!(doc.origin(), Origin::Plain { .. }) && doc.fix_refusal().is_none();
        for d in &mut out {
            if let Some(&severity) = self.severities.get(d.rule.as_ref()) {
                d.severity = severity;
            }
            // A fix that would have to cross markup (or a file that cannot be edited)
            // is not offered: the finding stays, without the fix.
            if !plain
                && let Some(fix) = &d.fix
                && fix
                    .edits
                    .iter()
                    .any(|e| doc.file_edit(e.span, &e.replacement).is_none())
            {
                d.fix = None;
            }
        }
        out.sort_by(|a, b| {
            (a.span.start, &a.rule, a.span.end, &a.message).cmp(&(
                b.span.start,
                &b.rule,
                b.span.end,
                &b.message,
            ))
        });
        out.dedup();
        Ok(out)
    }
}

/// One rule's findings on `doc` (and, in corpus mode, its corpus findings); a panic in
/// the rule becomes a `RuleCrash`.
fn run_rule(
    rule: &dyn Rule,
    doc: &Document,
    corpus: Option<&corpus::View>,
) -> Result<Vec<Diagnostic>, RuleCrash> {
    let mut out = Vec::new();
    catch_unwind(AssertUnwindSafe(|| {
        rule.check(doc, &mut out);
        if let Some(view) = corpus {
            rule.check_corpus(doc, view, &mut out);
        }
    }))
    .map_err(|_| RuleCrash {
        rule: rule.meta().name.to_string(),
    })?;
    Ok(out)
}

fn run_pack(pack: &Pack, mask: &[bool], doc: &Document) -> Result<Vec<Diagnostic>, RuleCrash> {
    let mut out = Vec::new();
    catch_unwind(AssertUnwindSafe(|| pack.check(doc, mask, &mut out))).map_err(|_| RuleCrash {
        rule: format!("pack {}", pack.name()),
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linter(config: &str, cli: Selection) -> Result<Linter, String> {
        let config = Config::parse(Some("copylint.toml".into()), config.to_owned())
            .map_err(|e| e.to_string())?;
        let registry = Registry::load(&config).map_err(|e| e.to_string())?;
        Linter::new(registry, &config, &cli).map_err(|e| e.to_string())
    }

    #[track_caller]
    fn linter_err(config: &str, cli: Selection) -> String {
        match linter(config, cli) {
            Ok(l) => panic!("expected an error, got rules {:?}", l.enabled()),
            Err(e) => e,
        }
    }

    fn names(linter: &Linter) -> Vec<&str> {
        linter.enabled().iter().map(String::as_str).collect()
    }

    #[test]
    fn rules_run_in_parallel_give_the_same_findings_in_the_same_order() {
        let l = linter(
            "",
            Selection {
                select: Some(vec![ALL.into()]),
                ..Selection::default()
            },
        )
        .unwrap();
        let seed = include_str!("../seeds/000_db6636acdd834bc4.txt");
        let doc = Document::from_text("seed.txt", seed);
        let one = l.check(&doc).unwrap();
        assert!(one.len() > 20, "the seed has findings of many rules");
        let key = |d: &Diagnostic| format!("{} {:?} {} {:?}", d.rule, d.span, d.message, d.fix);
        let sequential: Vec<String> = one.iter().map(key).collect();
        let parallel: Vec<String> = l.check_parallel(&doc).unwrap().iter().map(key).collect();
        assert_eq!(sequential, parallel);
    }

    #[test]
    fn defaults_enable_every_default_rule() {
        let l = linter("", Selection::default()).unwrap();
        assert!(names(&l).contains(&"trailing-whitespace"));
        assert!(names(&l).contains(&"boilerplate-line"));
    }

    #[test]
    fn groups_select_and_cli_ignores_remove() {
        let cli = Selection {
            ignore: vec!["double-space".into()],
            ..Selection::default()
        };
        let l = linter("select = [\"whitespace\"]", cli).unwrap();
        assert_eq!(names(&l), vec!["trailing-whitespace"]);
    }

    #[test]
    fn cli_select_replaces_config_select() {
        let cli = Selection {
            select: Some(vec!["boilerplate".into()]),
            ..Selection::default()
        };
        let l = linter("select = [\"whitespace\"]", cli).unwrap();
        assert_eq!(
            names(&l),
            vec![
                "boilerplate-line",
                "related-links-block",
                "site-boilerplate"
            ]
        );
    }

    #[test]
    fn unknown_names_suggest_the_closest_rule() {
        let cli = Selection {
            select: Some(vec!["dubble-space".into()]),
            ..Selection::default()
        };
        let err = linter_err("", cli);
        assert_eq!(
            err,
            "unknown rule or group `dubble-space`; did you mean `double-space`?"
        );
        let err = linter_err("ignore = [\"trailing-whitespaces\"]", Selection::default());
        assert!(
            err.starts_with("copylint.toml:1:11: unknown rule or group `trailing-whitespaces`"),
            "{err}"
        );
    }

    #[test]
    fn rule_options_are_validated_with_their_position() {
        let err = linter_err(
            "[rules.double-space]\nignore-after-sentense = true\n",
            Selection::default(),
        );
        assert!(
            err.starts_with(
                "copylint.toml:2:1: invalid option for rule `double-space`: unknown field"
            ),
            "{err}"
        );
        let err = linter_err(
            "[rules.trailing-whitespace]\nlength = 3\n",
            Selection::default(),
        );
        assert!(
            err.starts_with("copylint.toml:2:1: invalid option for rule `trailing-whitespace`"),
            "{err}"
        );
        let err = linter_err(
            "[rules.no-such-rule]\nseverity = \"info\"\n",
            Selection::default(),
        );
        assert!(
            err.starts_with("copylint.toml:1:8: unknown rule `no-such-rule`"),
            "{err}"
        );
    }

    #[test]
    fn severity_overrides_apply_to_findings() {
        let l = linter(
            "[rules.trailing-whitespace]\nseverity = \"error\"\n",
            Selection::default(),
        )
        .unwrap();
        let doc = Document::from_text("t", "end \n");
        let found = l.check(&doc).unwrap();
        assert_eq!(found[0].severity, Severity::Error);
    }
}

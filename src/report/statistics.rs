//! `--statistics`: the number of findings per rule, instead of the findings.

use std::fmt::Write;

use serde::Serialize;

use crate::cli::OutputFormat;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    pub rule: String,
    pub count: usize,
    pub fixable: usize,
}

/// Rows sorted by count (descending), then rule name.
pub fn render_statistics(format: OutputFormat, counts: &[RuleCount]) -> String {
    let mut rows: Vec<&RuleCount> = counts.iter().collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.rule.cmp(&b.rule)));
    match format {
        OutputFormat::Json
        | OutputFormat::Records
        | OutputFormat::Jsonl
        | OutputFormat::Sarif
        | OutputFormat::Gitlab => serde_json::to_string_pretty(&rows)
            .map(|s| s + "\n")
            .unwrap_or_default(),
        OutputFormat::Human
        | OutputFormat::Concise
        | OutputFormat::Github
        | OutputFormat::Junit => {
            let width = rows
                .iter()
                .map(|r| r.count.to_string().len())
                .max()
                .unwrap_or(1);
            let name_width = rows.iter().map(|r| r.rule.len()).max().unwrap_or(0);
            let mut out = String::new();
            for r in rows {
                let fixable = match r.fixable {
                    0 => String::new(),
                    n if n == r.count => "  [*] fixable".to_owned(),
                    n => format!("  [*] {n} fixable"),
                };
                let _ = writeln!(out, "{:>width$}  {:name_width$}{fixable}", r.count, r.rule);
            }
            out.lines()
                .map(|l| l.trim_end().to_owned() + "\n")
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_sorted_by_count_and_mark_fixable_rules() {
        let counts = vec![
            RuleCount {
                rule: "double-space".into(),
                count: 2,
                fixable: 2,
            },
            RuleCount {
                rule: "boilerplate-line".into(),
                count: 12,
                fixable: 0,
            },
        ];
        assert_eq!(
            render_statistics(OutputFormat::Concise, &counts),
            "12  boilerplate-line\n 2  double-space      [*] fixable\n"
        );
    }
}

//! `copylint.toml`: discovery (walking up from the current directory, like ruff) and
//! parsing. Unknown keys and wrong types are errors with the file, line and key.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, FileError};
use crate::rules::{RuleOptions, Severity};

pub const CONFIG_FILE: &str = "copylint.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    extend_select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    packs: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
    #[serde(default)]
    per_file_ignores: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
}

/// A rule's `[rules.NAME]` table.
#[derive(Debug, Clone)]
pub struct RuleConfig {
    /// Where `NAME` is written.
    pub name_span: Range<usize>,
    pub severity: Option<Severity>,
    pub options: RuleOptions,
}

/// A parsed config; positions refer to `source`.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The config file, or `None` when none was found (defaults).
    pub path: Option<PathBuf>,
    pub source: String,
    pub select: Option<Vec<Spanned<String>>>,
    pub extend_select: Vec<Spanned<String>>,
    pub ignore: Vec<Spanned<String>>,
    /// Extra rule packs, resolved against the config file's directory.
    pub packs: Vec<Spanned<PathBuf>>,
    /// gitignore-style globs, relative to the config file's directory.
    pub exclude: Vec<Spanned<String>>,
    pub rules: BTreeMap<String, RuleConfig>,
    /// gitignore-free globs (relative to the config's directory) → rules or groups to
    /// ignore in the files they match.
    pub per_file_ignores: Vec<(Spanned<String>, Vec<Spanned<String>>)>,
}

impl Config {
    /// The name shown in errors.
    pub fn display_path(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(|| "<defaults>".to_owned(), |p| p.display().to_string())
    }

    /// The directory relative paths in the config refer to.
    pub fn base_dir(&self) -> PathBuf {
        match self.path.as_ref().and_then(|p| p.parent()) {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    /// An error at `span` of this config file.
    pub fn error(
        &self,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Box<FileError> {
        FileError::new(&self.display_path(), &self.source, span, message, label)
    }

    pub fn parse(path: Option<PathBuf>, source: String) -> Result<Config, Error> {
        let name = path
            .as_ref()
            .map_or_else(|| "<config>".to_owned(), |p| p.display().to_string());
        let raw: RawConfig = toml::from_str(&source).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            FileError::new(
                &name,
                &source,
                span,
                format!("invalid config: {}", e.message().trim()),
                "here",
            )
        })?;
        let mut config = Config {
            path,
            source,
            select: raw.select,
            extend_select: raw.extend_select,
            ignore: raw.ignore,
            packs: Vec::new(),
            exclude: raw.exclude,
            rules: BTreeMap::new(),
            per_file_ignores: raw.per_file_ignores.into_iter().collect(),
        };
        let base = config.base_dir();
        config.packs = raw
            .packs
            .into_iter()
            .map(|p| {
                let span = p.span();
                Spanned::new(span, base.join(p.into_inner()))
            })
            .collect();
        for (name, table) in raw.rules {
            let mut severity = None;
            let mut options = Vec::new();
            for (key, value) in table {
                if key.get_ref() == "severity" {
                    let parsed = value.get_ref().as_str().and_then(|s| {
                        Severity::deserialize(toml::Value::String(s.to_owned())).ok()
                    });
                    match parsed {
                        Some(s) => severity = Some(s),
                        None => {
                            return Err(config
                                .error(
                                    value.span(),
                                    "`severity` must be \"error\", \"warning\" or \"info\"",
                                    "this value",
                                )
                                .into());
                        }
                    }
                } else {
                    options.push((key, value));
                }
            }
            config.rules.insert(
                name.get_ref().clone(),
                RuleConfig {
                    name_span: name.span(),
                    severity,
                    options: RuleOptions::new(options),
                },
            );
        }
        Ok(config)
    }

    /// Reads and parses a config file.
    pub fn load(path: &Path) -> Result<Config, Error> {
        if path.is_dir() {
            return Err(Error::Usage(format!(
                "{}: is a directory; --config takes a file such as {}/{CONFIG_FILE}",
                path.display(),
                path.display()
            )));
        }
        let source = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        Config::parse(Some(path.to_path_buf()), source)
    }

    /// The nearest `copylint.toml` in `start` or its ancestors, parsed; defaults if none.
    pub fn discover(start: &Path) -> Result<Config, Error> {
        for dir in start.ancestors() {
            let candidate = dir.join(CONFIG_FILE);
            if candidate.is_file() {
                return Config::load(&candidate);
            }
        }
        Ok(Config::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Config, String> {
        Config::parse(Some(PathBuf::from("copylint.toml")), src.to_owned())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn reads_selection_packs_and_rule_tables() {
        let config = parse(
            "select = [\"whitespace\"]\nignore = [\"double-space\"]\npacks = [\"house.toml\"]\n\
             [rules.double-space]\nseverity = \"warning\"\nignore-after-sentence = true\n",
        )
        .unwrap();
        assert_eq!(config.select.unwrap()[0].get_ref(), "whitespace");
        assert_eq!(config.packs[0].get_ref(), &PathBuf::from("./house.toml"));
        let rule = &config.rules["double-space"];
        assert_eq!(rule.severity, Some(Severity::Warning));
        assert!(!rule.options.is_empty());
    }

    #[test]
    fn unknown_keys_and_wrong_types_name_file_line_and_key() {
        let err = parse("select = [\"x\"]\nslect = [\"y\"]\n").unwrap_err();
        assert!(
            err.starts_with("copylint.toml:2:1: invalid config: unknown field `slect`"),
            "{err}"
        );
        let err = parse("ignore = \"double-space\"\n").unwrap_err();
        assert!(
            err.starts_with("copylint.toml:1:10: invalid config: invalid type"),
            "{err}"
        );
        let err = parse("[rules.double-space]\nseverity = \"loud\"\n").unwrap_err();
        assert!(
            err.starts_with("copylint.toml:2:12: `severity` must be"),
            "{err}"
        );
    }

    #[test]
    fn discovery_walks_up_to_the_nearest_config() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "ignore = [\"double-space\"]\n",
        )
        .unwrap();
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        let config = Config::discover(&nested).unwrap();
        assert_eq!(
            config.path.as_deref(),
            Some(dir.path().join(CONFIG_FILE).as_path())
        );
        assert_eq!(config.base_dir(), dir.path());
    }
}

//! Finding the inputs: named files, directories walked with the `ignore` crate
//! (honouring .gitignore), and stdin.

use std::path::{Path, PathBuf};

use ignore::WalkBuilder;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::config::Config;
use crate::error::{Error, ReadError};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    Stdin {
        name: String,
    },
    File {
        path: PathBuf,
        name: String,
        explicit: bool,
    },
}

impl Input {
    pub fn name(&self) -> &str {
        match self {
            Input::Stdin { name } | Input::File { name, .. } => name,
        }
    }
}

#[derive(Debug, Default)]
pub struct Inputs {
    pub inputs: Vec<Input>,
    pub errors: Vec<ReadError>,
}

/// The config's `exclude` globs, gitignore-style, relative to the config's directory.
pub fn exclude_matcher(config: &Config) -> Result<Option<Gitignore>, Error> {
    if config.exclude.is_empty() {
        return Ok(None);
    }
    let base = absolute(&config.base_dir());
    let mut builder = GitignoreBuilder::new(&base);
    for glob in &config.exclude {
        builder.add_line(None, glob.get_ref()).map_err(|e| {
            config.error(
                glob.span(),
                format!("invalid exclude glob: {e}"),
                "this glob",
            )
        })?;
    }
    let matcher = builder.build().map_err(|e| {
        Error::Usage(format!(
            "{}: invalid exclude globs: {e}",
            config.display_path()
        ))
    })?;
    Ok(Some(matcher))
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn display(path: &Path) -> String {
    let s = path.display().to_string();
    match s.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_owned(),
        _ => s,
    }
}

/// Expands the paths given on the command line into inputs, in path order.
pub fn collect(paths: &[PathBuf], exclude: Option<&Gitignore>, stdin_name: Option<&str>) -> Inputs {
    let mut out = Inputs::default();
    for path in paths {
        if path.as_os_str() == "-" {
            out.inputs.push(Input::Stdin {
                name: stdin_name.unwrap_or("<stdin>").to_owned(),
            });
            continue;
        }
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) => {
                out.errors.push(ReadError::io(display(path), e));
                continue;
            }
        };
        if meta.is_file() {
            out.inputs.push(Input::File {
                path: path.clone(),
                name: display(path),
                explicit: true,
            });
            continue;
        }
        if !meta.is_dir() {
            out.errors.push(ReadError::Other {
                path: display(path),
                message: "not a regular file or directory".into(),
            });
            continue;
        }
        let exclude = exclude.cloned();
        let walker = WalkBuilder::new(path)
            .require_git(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .filter_entry(move |entry| {
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                !exclude.as_ref().is_some_and(|m| {
                    m.matched_path_or_any_parents(absolute(entry.path()), is_dir)
                        .is_ignore()
                })
            })
            .build();
        for entry in walker {
            match entry {
                Ok(entry) => {
                    if !entry.file_type().is_some_and(|t| t.is_file()) {
                        continue;
                    }
                    let p = entry.path();
                    let wanted = p
                        .file_name()
                        .and_then(|n| n.to_str())
                        .and_then(crate::input::detect)
                        .is_some();
                    if wanted {
                        out.inputs.push(Input::File {
                            path: p.to_path_buf(),
                            name: display(p),
                            explicit: false,
                        });
                    }
                }
                Err(e) => out.errors.push(ReadError::Other {
                    path: display(path),
                    message: e.to_string(),
                }),
            }
        }
    }
    out.inputs.sort();
    out.inputs.dedup_by(|a, b| match (a, b) {
        (Input::File { path: pa, .. }, Input::File { path: pb, .. }) => pa == pb,
        _ => false,
    });
    out
}

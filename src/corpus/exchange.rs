//! The JSONL files that carry corpus mode beyond one machine: the signatures that
//! `copylint signatures` writes (one line per document), and the aggregates that an
//! engine such as Spark computes from them and `copylint corpus-report` reads back.
//!
//! Hashes are hex strings: JSON readers that infer types (Spark's) turn unsigned 64-bit
//! numbers into decimals.
//!
//! Counts file, one object per line:
//! - `{"group": "example.com", "docs": 340}`: the documents of a group;
//! - `{"group": "example.com", "key": "<16 hex>", "docs": 312}`: the documents of the
//!   group that contain the block with that key. Blocks under the rule's thresholds may be
//!   left out (or not: `corpus-report` applies the thresholds again).
//!
//! Clusters file, one object per duplicate (every member of a cluster but its first):
//! `{"input": "feed.jsonl", "line": 17, "first": "feed.jsonl:a03", "similarity": 0.86,
//! "exact": false}` (`line` is 0 for a whole file).

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Duplicates, Index, Plan, Signature, minhash};
use crate::error::Error;
use crate::rules::corpus::Duplicate;

/// One line of `copylint signatures`.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SignatureRecord {
    /// The scheme version ([`minhash::VERSION`]): signatures of different versions do
    /// not compare.
    pub v: u32,
    pub doc: String,
    pub input: String,
    pub line: u32,
    pub group: Option<String>,
    /// Distinct block keys.
    pub lines: Vec<String>,
    pub exact: Option<String>,
    /// `<band>:<key>`, the band index in two decimal digits.
    pub bands: Vec<String>,
    pub shingles: Vec<String>,
}

impl From<&Signature> for SignatureRecord {
    fn from(sig: &Signature) -> Self {
        SignatureRecord {
            v: minhash::VERSION,
            doc: sig.doc.clone(),
            input: sig.input.clone(),
            line: sig.line,
            group: sig.group.clone(),
            lines: sig.blocks.iter().map(|k| format!("{k:016x}")).collect(),
            exact: sig.exact.map(|k| format!("{k:016x}")),
            bands: sig
                .bands
                .iter()
                .enumerate()
                .map(|(b, k)| format!("{b:02}:{k:016x}"))
                .collect(),
            shingles: sig.shingles.iter().map(|s| format!("{s:08x}")).collect(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountRecord {
    pub group: String,
    #[serde(default)]
    pub key: Option<String>,
    pub docs: u32,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterRecord {
    pub input: String,
    pub line: u32,
    pub first: String,
    pub similarity: f64,
    pub exact: bool,
}

/// One JSON line (plain structs of strings and numbers always serialize).
fn to_line<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Calls `f` on each non-blank line of a JSONL file, parsed.
fn each_line<T: for<'de> Deserialize<'de>>(
    path: &Path,
    mut f: impl FnMut(T) -> Result<(), String>,
) -> Result<(), Error> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: name.clone(),
        source,
    })?;
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|source| Error::Io {
            path: name.clone(),
            source,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let record: T = serde_json::from_str(&line)
            .map_err(|e| Error::Usage(format!("{name}:{}: {e}", i + 1)))?;
        f(record).map_err(|e| Error::Usage(format!("{name}:{}: {e}", i + 1)))?;
    }
    Ok(())
}

impl Index {
    /// The index that aggregated counts and clusters describe (`corpus-report`).
    pub fn from_files(
        plan: Plan,
        counts: Option<&Path>,
        clusters: Option<&Path>,
    ) -> Result<Index, Error> {
        let mut index = Index {
            plan,
            ..Index::default()
        };
        if let Some(path) = counts {
            let mut keys: Vec<(String, u64, u32)> = Vec::new();
            each_line(path, |r: CountRecord| {
                match r.key {
                    None => {
                        let next = index.groups.len() as u32;
                        let entry = index.groups.entry(r.group).or_insert((next, 0));
                        entry.1 = r.docs;
                    }
                    Some(key) => {
                        let key = u64::from_str_radix(&key, 16)
                            .map_err(|_| format!("`{key}` is not a hexadecimal block key"))?;
                        keys.push((r.group, key, r.docs));
                    }
                }
                Ok(())
            })?;
            if let Some(t) = index.plan.blocks {
                for (group, key, docs) in keys {
                    let Some(&(id, group_docs)) = index.groups.get(&group) else {
                        return Err(Error::Usage(format!(
                            "{}: block counts for group `{group}`, whose document count is missing",
                            path.display()
                        )));
                    };
                    if t.frequent(docs, group_docs) {
                        index.frequent.insert((id, key), docs);
                    }
                }
            }
        }
        if let Some(path) = clusters
            && index.plan.minhash.is_some()
        {
            let mut duplicates = Duplicates::new();
            each_line(path, |r: ClusterRecord| {
                duplicates.entry(r.input).or_default().insert(
                    r.line,
                    Duplicate {
                        first: r.first,
                        similarity: r.similarity,
                        exact: r.exact,
                    },
                );
                Ok(())
            })?;
            index.duplicates = duplicates;
        }
        Ok(index)
    }

    /// Writes `counts.jsonl` and `clusters.jsonl` into `dir` (created if needed).
    pub fn write_files(&self, dir: &Path) -> Result<(), Error> {
        let io = |path: &Path| {
            let path = path.display().to_string();
            move |source| Error::Io { path, source }
        };
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let (counts, clusters) = self.to_records();
        let write = |name: &str, lines: Vec<String>| -> Result<(), Error> {
            let path = dir.join(name);
            let mut text = lines.join("\n");
            if !text.is_empty() {
                text.push('\n');
            }
            std::fs::write(&path, text).map_err(io(&path))
        };
        write("counts.jsonl", counts.iter().map(to_line).collect())?;
        write("clusters.jsonl", clusters.iter().map(to_line).collect())
    }

    /// The index as the two aggregate files (counts, clusters) in a fixed order, to
    /// compare runs or hand it to another tool.
    pub fn to_records(&self) -> (Vec<CountRecord>, Vec<ClusterRecord>) {
        let names: HashMap<u32, &str> = self
            .groups
            .iter()
            .map(|(name, &(id, _))| (id, name.as_str()))
            .collect();
        let mut counts: Vec<CountRecord> = self
            .groups
            .iter()
            .map(|(name, &(_, docs))| CountRecord {
                group: name.clone(),
                key: None,
                docs,
            })
            .chain(self.frequent.iter().map(|(&(id, key), &docs)| CountRecord {
                group: names.get(&id).copied().unwrap_or("").to_owned(),
                key: Some(format!("{key:016x}")),
                docs,
            }))
            .collect();
        counts.sort_by(|a, b| (&a.group, &a.key).cmp(&(&b.group, &b.key)));
        let mut clusters: Vec<ClusterRecord> = self
            .duplicates
            .iter()
            .flat_map(|(input, lines)| {
                lines.iter().map(|(&line, d)| ClusterRecord {
                    input: input.clone(),
                    line,
                    first: d.first.clone(),
                    similarity: d.similarity,
                    exact: d.exact,
                })
            })
            .collect();
        clusters.sort_by(|a, b| (&a.input, a.line).cmp(&(&b.input, b.line)));
        (counts, clusters)
    }
}

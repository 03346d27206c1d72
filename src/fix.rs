//! Applying fixes: the non-overlapping edits of the chosen findings, back to front;
//! re-checking until nothing changes; writing files atomically.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::Path;

use crate::document::Span;
use crate::rules::{Applicability, Diagnostic, Edit};

/// `--fix`, `--unsafe-fixes`, `--diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixMode {
    pub unsafe_fixes: bool,
    /// Print a diff instead of writing files.
    pub diff: bool,
}

/// The most fix-and-recheck passes before giving up on convergence.
pub const MAX_PASSES: usize = 10;

/// The fixed text and how many fixes went in or had to wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub text: String,
    pub applied: usize,
    /// Fixes that overlapped an earlier one (or were invalid); re-check the fixed text
    /// to get them again.
    pub deferred: usize,
}

/// Applies whole fixes (each a set of edits) to `text`. A fix is taken whole or not at
/// all: one whose edits overlap an already taken fix, overlap each other, or fall
/// outside the text or off char boundaries, is deferred. Fixes are considered in order
/// of their first edit.
pub fn apply_fixes<'a>(text: &str, fixes: impl IntoIterator<Item = &'a [Edit]>) -> Applied {
    let mut fixes: Vec<&[Edit]> = fixes.into_iter().filter(|f| !f.is_empty()).collect();
    fixes.sort_by_key(|edits| edits.iter().map(|e| (e.span.start, e.span.end)).min());
    // Taken edits by start; a new edit clashes with its neighbours only.
    let mut taken: BTreeMap<(usize, usize), &Edit> = BTreeMap::new();
    let mut applied = 0;
    let mut deferred = 0;
    for edits in fixes {
        let valid = edits.iter().all(|e| {
            e.span.start <= e.span.end
                && text.is_char_boundary(e.span.start)
                && text.is_char_boundary(e.span.end)
        });
        let clashes_taken = edits.iter().any(|e| {
            let key = (e.span.start, e.span.end);
            let before = taken.range(..=key).next_back().map(|(_, t)| t.span);
            let after = taken.range(key..).next().map(|(_, t)| t.span);
            before.is_some_and(|t| overlaps(t, e.span))
                || after.is_some_and(|t| overlaps(t, e.span))
        });
        let clashes_self = edits
            .iter()
            .enumerate()
            .any(|(i, a)| edits[i + 1..].iter().any(|b| overlaps(a.span, b.span)));
        if !valid || clashes_taken || clashes_self {
            deferred += 1;
            continue;
        }
        for e in edits {
            taken.insert((e.span.start, e.span.end), e);
        }
        applied += 1;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in taken.values() {
        out.push_str(&text[at..edit.span.start]);
        out.push_str(&edit.replacement);
        at = edit.span.end;
    }
    out.push_str(&text[at..]);
    Applied {
        text: out,
        applied,
        deferred,
    }
}

/// Applies the fixes of `diagnostics` (unsafe ones only when `include_unsafe`) to the
/// text they were found in.
pub fn apply(text: &str, diagnostics: &[Diagnostic], include_unsafe: bool) -> Applied {
    apply_fixes(
        text,
        diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| include_unsafe || f.applicability == Applicability::Safe)
            .map(|f| f.edits.as_slice()),
    )
}

/// Two edits clash when their ranges share a byte, when both insert at one point (the
/// order would be a guess), or when one inserts strictly inside the other's range.
fn overlaps(a: Span, b: Span) -> bool {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => a.start == b.start,
        (true, false) => b.start < a.start && a.start < b.end,
        (false, true) => a.start < b.start && b.start < a.end,
        (false, false) => a.start < b.end && b.start < a.end,
    }
}

/// The outcome of fixing one source to a fixed point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    /// Fixes applied over all passes.
    pub applied: usize,
    pub passes: usize,
    /// False when fixes were still being applied after `MAX_PASSES`.
    pub converged: bool,
}

/// Fixes `source` until nothing changes: each pass asks `fixes` for the fixes of the
/// current text (in its coordinates), applies the non-overlapping ones, and re-checks,
/// so fixes deferred for overlapping come back on the next pass.
pub fn fix_to_fixed_point<E>(
    source: &str,
    mut fixes: impl FnMut(&str) -> Result<Vec<Vec<Edit>>, E>,
) -> Result<Fixed, E> {
    let mut text = source.to_owned();
    let mut applied = 0;
    for pass in 1..=MAX_PASSES {
        let found = fixes(&text)?;
        let step = apply_fixes(&text, found.iter().map(Vec::as_slice));
        if step.applied == 0 || step.text == text {
            return Ok(Fixed {
                text,
                applied,
                passes: pass,
                converged: true,
            });
        }
        applied += step.applied;
        text = step.text;
    }
    let converged = fixes(&text)?.is_empty();
    Ok(Fixed {
        text,
        applied,
        passes: MAX_PASSES,
        converged,
    })
}

/// Replaces `path`'s contents atomically: the bytes go to a temporary file in the same
/// directory, which is synced, given the original's permissions, and renamed over the
/// original. A failure at any step leaves the original untouched. Read-only files are
/// refused (renaming would bypass the read-only bit).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, bytes, |from, to| fs::rename(from, to))
}

fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    rename: impl FnOnce(&Path, &Path) -> io::Result<()>,
) -> io::Result<()> {
    let meta = fs::metadata(path)?;
    if meta.permissions().readonly() {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "file is read-only; not fixed",
        ));
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".copylint-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    fs::set_permissions(temp.path(), meta.permissions())?;
    // On failure the temporary file is removed when `temp` drops.
    rename(temp.path(), path)?;
    // The temporary name no longer exists; do not try to delete it.
    let _ = temp.into_temp_path().keep();
    Ok(())
}

/// One input fixed to a fixed point, with the documents of the result (for reporting
/// what remains).
pub struct FileFix {
    pub original: String,
    pub fixed: String,
    pub applied: usize,
    pub converged: bool,
    /// Why the input cannot be fixed (not UTF-8, compressed), if it cannot.
    pub refused: Option<String>,
    pub docs: Vec<crate::document::Document>,
    /// Records of a JSONL input that could not be read (left as they are).
    pub errors: Vec<crate::error::ReadError>,
}

/// Reads `input`, applies its fixes (unsafe ones too with `unsafe_fixes`) until nothing
/// changes, and returns the original and the fixed text. Writes nothing.
pub fn fix_input(
    input: &crate::walk::Input,
    format: crate::document::Format,
    gz: bool,
    fields: &crate::document::jsonl::Fields,
    linter: &crate::linter::Linter,
    unsafe_fixes: bool,
) -> Result<FileFix, crate::error::ReadError> {
    use crate::error::ReadError;
    use crate::input;

    let bytes = input::read_bytes(input, gz)?;
    let parse = |text: &str| input::parse(input, text.as_bytes().to_vec(), format, fields);
    let original = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            // Not UTF-8: only the HTML reader can decode it, and then fixes are refused.
            let (docs, errors) = input::parse(input, e.into_bytes(), format, fields);
            if docs.is_empty()
                && let Some(error) = errors.into_iter().next()
            {
                return Err(error);
            }
            let refused = docs.iter().find_map(|d| d.fix_refusal().map(str::to_owned));
            return Ok(FileFix {
                original: String::new(),
                fixed: String::new(),
                applied: 0,
                converged: true,
                refused: refused.or_else(|| Some("the file is not UTF-8".into())),
                docs,
                errors: Vec::new(),
            });
        }
    };
    let (docs, errors) = parse(&original);
    if docs.is_empty()
        && let Some(error) = errors.into_iter().next()
    {
        return Err(error);
    }
    let refused = if gz {
        Some("compressed input cannot be fixed in place".to_owned())
    } else {
        docs.iter().find_map(|d| d.fix_refusal().map(str::to_owned))
    };
    if refused.is_some() {
        return Ok(FileFix {
            fixed: original.clone(),
            original,
            applied: 0,
            converged: true,
            refused,
            docs,
            errors: Vec::new(),
        });
    }
    let crashed = |rule: String| ReadError::Other {
        path: input.name().to_owned(),
        message: format!(
            "internal error: rule `{rule}` crashed while fixing; the file was not changed"
        ),
    };
    let fixed = fix_to_fixed_point(&original, |text| {
        let (docs, _) = parse(text);
        let mut fixes = Vec::new();
        for doc in &docs {
            for d in linter.check(doc).map_err(|c| crashed(c.rule))? {
                let Some(fix) = d.fix else { continue };
                if fix.applicability == Applicability::Unsafe && !unsafe_fixes {
                    continue;
                }
                let edits: Option<Vec<Edit>> = fix
                    .edits
                    .iter()
                    .map(|e| {
                        doc.file_edit(e.span, &e.replacement)
                            .map(|(span, replacement)| Edit { span, replacement })
                    })
                    .collect();
                fixes.extend(edits);
            }
        }
        Ok(fixes)
    })?;
    let (docs, errors) = parse(&fixed.text);
    Ok(FileFix {
        original,
        fixed: fixed.text,
        applied: fixed.applied,
        converged: fixed.converged,
        refused: None,
        docs,
        errors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Fix;

    fn diag(fix: Fix) -> Diagnostic {
        Diagnostic {
            rule: "t".into(),
            severity: crate::rules::Severity::Warning,
            message: String::new(),
            span: Span::default(),
            labels: Vec::new(),
            help: None,
            fix: Some(fix),
        }
    }

    #[test]
    fn edits_apply_back_to_front_and_unsafe_ones_wait_for_permission() {
        let text = "ab  cd \u{a0}";
        let diagnostics = vec![
            diag(Fix::replace(Applicability::Safe, Span::new(2, 4), " ")),
            diag(Fix::delete(Applicability::Safe, Span::new(6, 9))),
            diag(Fix::replace(Applicability::Unsafe, Span::new(0, 1), "A")),
        ];
        assert_eq!(apply(text, &diagnostics, false).text, "ab cd");
        assert_eq!(apply(text, &diagnostics, true).text, "Ab cd");
    }

    #[test]
    fn overlapping_fixes_are_deferred_not_merged() {
        let diagnostics = vec![
            diag(Fix::delete(Applicability::Safe, Span::new(0, 3))),
            diag(Fix::replace(Applicability::Safe, Span::new(2, 4), "x")),
        ];
        let applied = apply("abcdef", &diagnostics, false);
        assert_eq!(
            (applied.text.as_str(), applied.applied, applied.deferred),
            ("def", 1, 1)
        );
    }

    #[test]
    fn edits_off_char_boundaries_are_refused() {
        let diagnostics = vec![diag(Fix::delete(Applicability::Safe, Span::new(1, 2)))];
        assert_eq!(apply("é", &diagnostics, false).text, "é");
    }

    #[test]
    fn deferred_fixes_come_back_on_the_next_pass() {
        // Two fixes that overlap: one per pass.
        let fixed = fix_to_fixed_point::<()>("aaa", |text| {
            Ok(match text {
                "aaa" => vec![
                    vec![Edit {
                        span: Span::new(0, 2),
                        replacement: "b".into(),
                    }],
                    vec![Edit {
                        span: Span::new(1, 3),
                        replacement: "c".into(),
                    }],
                ],
                "ba" => vec![vec![Edit {
                    span: Span::new(1, 2),
                    replacement: "c".into(),
                }]],
                _ => vec![],
            })
        })
        .unwrap();
        assert_eq!(
            (fixed.text.as_str(), fixed.applied, fixed.converged),
            ("bc", 2, true)
        );
    }

    #[test]
    fn a_fix_that_keeps_changing_the_text_does_not_converge() {
        let fixed = fix_to_fixed_point::<()>("x", |text| {
            Ok(vec![vec![Edit {
                span: Span::new(text.len(), text.len()),
                replacement: "x".into(),
            }]])
        })
        .unwrap();
        assert_eq!((fixed.passes, fixed.converged), (MAX_PASSES, false));
    }

    #[test]
    fn a_failed_rename_leaves_the_original_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "original").unwrap();
        let err =
            write_atomic_with(&path, b"fixed", |_, _| Err(io::Error::other("killed"))).unwrap_err();
        assert_eq!(err.to_string(), "killed");
        assert_eq!(fs::read_to_string(&path).unwrap(), "original");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "the temporary file is gone"
        );
    }

    #[test]
    fn atomic_writes_keep_permissions_and_refuse_read_only_files() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "original").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, b"fixed").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "fixed");
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        let err = write_atomic(&path, b"again").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
        assert_eq!(fs::read_to_string(&path).unwrap(), "fixed");
    }
}

//! Property tests: any input goes through read → check → every output format without a
//! panic; spans are valid; fixes never overlap, never touch bytes outside their spans,
//! and fixing to a fixed point is idempotent.

use copylint::config::Config;
use copylint::document::{Document, text};
use copylint::fix;
use copylint::linter::{Linter, Registry, Selection};
use copylint::report::{self, Reporter};
use copylint::rules::{Applicability, Diagnostic};
use proptest::prelude::*;
use std::sync::LazyLock;

/// Built once: compiling the rule packs for each of the thousands of cases would
/// dominate the run time.
fn linter() -> &'static Linter {
    static LINTER: LazyLock<Linter> = LazyLock::new(|| {
        let config = Config::default();
        let registry = Registry::load(&config).expect("embedded packs load");
        let all = Selection {
            select: Some(vec!["all".into()]),
            ..Selection::default()
        };
        Linter::new(registry, &config, &all).expect("default linter builds")
    });
    &LINTER
}

fn check(linter: &Linter, doc: &Document) -> Vec<Diagnostic> {
    linter.check(doc).expect("no rule crashes")
}

/// Text made of the pieces scraped articles are made of, so that the rules fire often.
fn scraped_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("word".to_owned()),
        Just(" ".to_owned()),
        Just("  ".to_owned()),
        Just("\u{a0}".to_owned()),
        Just("\u{202f}".to_owned()),
        Just("\t".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        Just("\n\n".to_owned()),
        Just("\u{200b}".to_owned()),
        Just("\u{200d}".to_owned()),
        Just("\u{ad}".to_owned()),
        Just("\u{feff}".to_owned()),
        Just("\u{202e}".to_owned()),
        Just("\u{fffd}".to_owned()),
        Just("\u{7}".to_owned()),
        Just("’".to_owned()),
        Just("'".to_owned()),
        Just("\"".to_owned()),
        Just("‘".to_owned()),
        Just("“".to_owned()),
        Just("”".to_owned()),
        Just("--".to_owned()),
        Just("–".to_owned()),
        Just("—".to_owned()),
        Just("...".to_owned()),
        Just("…".to_owned()),
        Just("high–tech".to_owned()),
        Just("5'10\"".to_owned()),
        Just("é".to_owned()),
        Just("👩\u{200d}👩".to_owned()),
        Just("Share this @site.com".to_owned()),
        // Mojibake and spelling variants, so that those rules fire and fix too.
        Just("â€™".to_owned()),
        Just("â€".to_owned()),
        Just("ÃƒÂ©".to_owned()),
        Just("Â\u{a0}".to_owned()),
        Just("ð\u{9f}\u{98}".to_owned()),
        Just(" the U.S. ".to_owned()),
        Just(" US".to_owned()),
        Just(" e-mail and email ".to_owned()),
        Just(" colour and color ".to_owned()),
        Just(" Nicolás Nicolas ".to_owned()),
        Just("https://example.com/a_(b)".to_owned()),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|parts| parts.concat())
}

fn render_all(doc: &Document, diagnostics: &[Diagnostic]) {
    let human = report::Human {
        color: false,
        width: 100,
    }
    .render(doc, diagnostics);
    let concise = report::Concise.render(doc, diagnostics);
    let json = report::Json.render(doc, diagnostics);
    assert_eq!(concise.lines().count(), diagnostics.len());
    assert!(diagnostics.is_empty() || !human.is_empty());
    let parsed: serde_json::Value = serde_json::from_str(&format!("[{json}]")).expect("valid JSON");
    assert_eq!(parsed.as_array().map(Vec::len), Some(diagnostics.len()));
}

fn assert_spans_valid(doc: &Document, diagnostics: &[Diagnostic]) {
    let text = doc.text();
    let valid = |s: copylint::document::Span| {
        s.start <= s.end
            && s.end <= text.len()
            && text.is_char_boundary(s.start)
            && text.is_char_boundary(s.end)
    };
    for d in diagnostics {
        assert!(valid(d.span), "{d:?}");
        assert!(d.labels.iter().all(|l| valid(l.span)), "{d:?}");
        if let Some(f) = &d.fix {
            assert!(f.edits.iter().all(|e| valid(e.span)), "{d:?}");
        }
    }
}

/// Fixes to a fixed point with the library's loop, as `--fix` does.
fn fix_to_fixed_point(linter: &Linter, text: &str, unsafe_too: bool) -> String {
    let fixed = fix::fix_to_fixed_point::<()>(text, |current| {
        let doc = Document::from_text("t", current.to_owned());
        Ok(check(linter, &doc)
            .into_iter()
            .filter_map(|d| d.fix)
            .filter(|f| unsafe_too || f.applicability == Applicability::Safe)
            .map(|f| f.edits)
            .collect())
    })
    .expect("no error");
    assert!(fixed.converged, "fixes did not converge for {text:?}");
    fixed.text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let linter = linter();
        if let Ok(doc) = text::read("p.txt", None, bytes) {
            let diagnostics = check(linter, &doc);
            assert_spans_valid(&doc, &diagnostics);
            render_all(&doc, &diagnostics);
        }
    }

    #[test]
    fn arbitrary_unicode_never_panics(s in any::<String>()) {
        let linter = linter();
        let doc = Document::from_text("p.txt", s);
        let diagnostics = check(linter, &doc);
        assert_spans_valid(&doc, &diagnostics);
        render_all(&doc, &diagnostics);
    }

    #[test]
    fn scraped_text_never_panics_and_spans_are_valid(s in scraped_text()) {
        let linter = linter();
        let doc = Document::from_text("p.txt", s);
        let diagnostics = check(linter, &doc);
        assert_spans_valid(&doc, &diagnostics);
        render_all(&doc, &diagnostics);
    }

    #[test]
    fn applied_edits_never_touch_text_outside_their_spans(s in scraped_text()) {
        let linter = linter();
        let doc = Document::from_text("p.txt", s.clone());
        let diagnostics = check(linter, &doc);
        let applied = fix::apply(&s, &diagnostics, true);
        // Take whole fixes, in order of their first edit, skipping any fix with an edit
        // that shares a byte with one already taken (a fix may have several edits far
        // apart); then rebuild the result: everything between the edits is the original.
        let mut fixes: Vec<Vec<_>> = diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .map(|f| f.edits.iter().collect())
            .collect();
        fixes.sort_by_key(|edits: &Vec<&copylint::rules::Edit>| edits.iter().map(|e| e.span).min());
        let mut taken: Vec<&copylint::rules::Edit> = Vec::new();
        let mut taken_fixes = 0;
        for edits in fixes {
            let clash = edits.iter().any(|e| {
                taken.iter().any(|t| e.span.start < t.span.end && t.span.start < e.span.end
                    || (e.span.is_empty() || t.span.is_empty()) && e.span.start == t.span.start)
            });
            if !clash {
                taken.extend(edits);
                taken_fixes += 1;
            }
        }
        taken.sort_by_key(|e| (e.span.start, e.span.end));
        let mut rebuilt = String::new();
        let mut at = 0;
        for e in taken {
            rebuilt.push_str(&s[at..e.span.start]);
            rebuilt.push_str(&e.replacement);
            at = e.span.end;
        }
        rebuilt.push_str(&s[at..]);
        prop_assert!(taken_fixes >= applied.applied);
        if applied.deferred == 0 {
            prop_assert_eq!(rebuilt, applied.text);
        }
    }

    #[test]
    fn fixing_to_a_fixed_point_leaves_no_safe_fix_and_is_idempotent(s in scraped_text()) {
        let linter = linter();
        let once = fix_to_fixed_point(linter, &s, false);
        let doc = Document::from_text("t", once.clone());
        let left = check(linter, &doc);
        prop_assert!(left.iter().all(|d| d.fix.as_ref().is_none_or(|f| f.applicability == Applicability::Unsafe)));
        prop_assert_eq!(fix_to_fixed_point(linter, &once, false), once);
    }
}

#[test]
fn replayed_crash_inputs_do_not_panic() {
    let linter = linter();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/crashes");
    let mut replayed = 0;
    for entry in std::fs::read_dir(dir).expect("tests/crashes exists") {
        let path = entry.expect("readable entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("readable crash input");
        if let Ok(doc) = text::read("crash.txt", None, bytes) {
            let diagnostics = check(linter, &doc);
            assert_spans_valid(&doc, &diagnostics);
            render_all(&doc, &diagnostics);
        }
        replayed += 1;
    }
    assert!(replayed >= 3);
}

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

fn linter() -> Linter {
    let config = Config::default();
    let registry = Registry::load(&config).expect("embedded packs load");
    let all = Selection {
        select: Some(vec!["all".into()]),
        ..Selection::default()
    };
    Linter::new(registry, &config, &all).expect("default linter builds")
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

/// Applies fixes until nothing changes (at most 10 passes).
fn fix_to_fixed_point(linter: &Linter, text: &str, unsafe_too: bool) -> String {
    let mut current = text.to_owned();
    for _ in 0..10 {
        let doc = Document::from_text("t", current.clone());
        let applied = fix::apply(&current, &check(linter, &doc), unsafe_too);
        if applied.text == current {
            return current;
        }
        current = applied.text;
    }
    panic!("fixes did not converge in 10 passes for {text:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let linter = linter();
        if let Ok(doc) = text::read("p.txt", None, bytes) {
            let diagnostics = check(&linter, &doc);
            assert_spans_valid(&doc, &diagnostics);
            render_all(&doc, &diagnostics);
        }
    }

    #[test]
    fn arbitrary_unicode_never_panics(s in any::<String>()) {
        let linter = linter();
        let doc = Document::from_text("p.txt", s);
        let diagnostics = check(&linter, &doc);
        assert_spans_valid(&doc, &diagnostics);
        render_all(&doc, &diagnostics);
    }

    #[test]
    fn scraped_text_never_panics_and_spans_are_valid(s in scraped_text()) {
        let linter = linter();
        let doc = Document::from_text("p.txt", s);
        let diagnostics = check(&linter, &doc);
        assert_spans_valid(&doc, &diagnostics);
        render_all(&doc, &diagnostics);
    }

    #[test]
    fn applied_edits_never_touch_text_outside_their_spans(s in scraped_text()) {
        let linter = linter();
        let doc = Document::from_text("p.txt", s.clone());
        let diagnostics = check(&linter, &doc);
        let applied = fix::apply(&s, &diagnostics, true);
        // Rebuild the result from the taken edits: everything between them is the original.
        let mut edits: Vec<_> = diagnostics.iter().filter_map(|d| d.fix.as_ref()).flat_map(|f| f.edits.iter()).collect();
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        let mut rebuilt = String::new();
        let mut at = 0;
        let mut taken = 0;
        for e in edits {
            if e.span.start < at {
                continue; // overlapping: deferred by `apply`
            }
            rebuilt.push_str(&s[at..e.span.start]);
            rebuilt.push_str(&e.replacement);
            at = e.span.end;
            taken += 1;
        }
        rebuilt.push_str(&s[at..]);
        prop_assert!(taken >= applied.applied);
        if applied.deferred == 0 {
            prop_assert_eq!(rebuilt, applied.text);
        }
    }

    #[test]
    fn fixing_to_a_fixed_point_leaves_no_safe_fix_and_is_idempotent(s in scraped_text()) {
        let linter = linter();
        let once = fix_to_fixed_point(&linter, &s, false);
        let doc = Document::from_text("t", once.clone());
        let left = check(&linter, &doc);
        prop_assert!(left.iter().all(|d| d.fix.as_ref().is_none_or(|f| f.applicability == Applicability::Unsafe)));
        prop_assert_eq!(fix_to_fixed_point(&linter, &once, false), once);
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
            let diagnostics = check(&linter, &doc);
            assert_spans_valid(&doc, &diagnostics);
            render_all(&doc, &diagnostics);
        }
        replayed += 1;
    }
    assert!(replayed >= 3);
}

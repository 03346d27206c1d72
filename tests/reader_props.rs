//! Property tests of the readers: any HTML, Markdown or JSON text reads without a panic,
//! the source map is monotonic and lands on char boundaries, verbatim text maps to the
//! same bytes in the source, and JSON strings decode exactly as serde_json decodes them.

use copylint::config::Config;
use copylint::document::{Document, Span, html, jsonl, markdown};
use copylint::linter::{Linter, Registry, Selection};
use copylint::report::{self, Reporter};
use proptest::prelude::*;

/// Every rule, built once: compiling the packs for each case would dominate the run.
static LINTER: std::sync::LazyLock<Linter> = std::sync::LazyLock::new(|| {
    let config = Config::default();
    let registry = Registry::load(&config).expect("packs load");
    let all = Selection {
        select: Some(vec!["all".into()]),
        ..Selection::default()
    };
    Linter::new(registry, &config, &all).expect("linter builds")
});

fn linter() -> &'static Linter {
    &LINTER
}

fn html_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<p>".to_owned()),
        Just("</p>".to_owned()),
        Just("<div class=\"x\">".to_owned()),
        Just("</div>".to_owned()),
        Just("<b>".to_owned()),
        Just("</b>".to_owned()),
        Just("<br>".to_owned()),
        Just("<nav>".to_owned()),
        Just("</nav>".to_owned()),
        Just("<aside>".to_owned()),
        Just("<header>".to_owned()),
        Just("</header>".to_owned()),
        Just("<main>".to_owned()),
        Just("</main>".to_owned()),
        Just("<article>".to_owned()),
        Just("<div role=\"navigation\">".to_owned()),
        Just("<script>a<b</script>".to_owned()),
        Just("<!-- c -->".to_owned()),
        Just("<pre>  x\n  y</pre>".to_owned()),
        Just("&amp;".to_owned()),
        Just("&nbsp;".to_owned()),
        Just("&#146;".to_owned()),
        Just("&#x1F600;".to_owned()),
        Just("&bogus;".to_owned()),
        Just("&".to_owned()),
        Just("<".to_owned()),
        Just(" ".to_owned()),
        Just("\n  ".to_owned()),
        Just("\u{a0}".to_owned()),
        Just("word".to_owned()),
        Just("é".to_owned()),
        any::<char>().prop_map(String::from),
    ]
}

fn markdown_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("# ".to_owned()),
        Just("\n\n".to_owned()),
        Just("\n".to_owned()),
        Just("- ".to_owned()),
        Just("> ".to_owned()),
        Just("`code`".to_owned()),
        Just("```\n".to_owned()),
        Just("[link](http://x.y)".to_owned()),
        Just("![alt](i.png)".to_owned()),
        Just("*em*".to_owned()),
        Just("\\*".to_owned()),
        Just("&amp;".to_owned()),
        Just("| a | b |\n|---|---|\n".to_owned()),
        Just("<div>x</div>".to_owned()),
        Just("word".to_owned()),
        Just("  ".to_owned()),
        Just("\u{a0}".to_owned()),
        any::<char>().prop_map(String::from),
    ]
}

/// Invariants every extracted document keeps; `file` is what file offsets index.
fn assert_mapped(doc: &Document, file: &str) {
    let text = doc.text();
    let source = doc.display_source();
    let mut last = 0;
    for (i, _) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let mapped = doc.display_span(Span::new(i, i)).start;
        assert!(mapped <= source.len(), "offset {i} maps past the source");
        assert!(
            source.is_char_boundary(mapped),
            "offset {i} maps inside a character"
        );
        assert!(mapped >= last, "the map goes backwards at {i}");
        last = mapped;
    }
    for block in doc.blocks() {
        assert!(block.span.end <= text.len() && block.span.start <= block.span.end);
        assert!(text.is_char_boundary(block.span.start) && text.is_char_boundary(block.span.end));
    }
    let diagnostics = linter().check(doc).expect("no rule crashes");
    let _ = report::Human {
        color: false,
        width: 100,
    }
    .render(doc, &diagnostics);
    let json = report::Json.render(doc, &diagnostics);
    let parsed: serde_json::Value = serde_json::from_str(&format!("[{json}]")).expect("valid JSON");
    for (finding, d) in parsed.as_array().expect("array").iter().zip(&diagnostics) {
        // A fix that survived is an edit of the source that replaces exactly what it shows.
        if let (Some(edits), Some(fix)) = (finding["fix"]["edits"].as_array(), &d.fix) {
            for (edit, e) in edits.iter().zip(&fix.edits) {
                let (start, end) = (
                    edit["start"].as_u64().unwrap() as usize,
                    edit["end"].as_u64().unwrap() as usize,
                );
                assert!(
                    start <= end
                        && end <= file.len()
                        && file.is_char_boundary(start)
                        && file.is_char_boundary(end)
                );
                let shown = doc.slice(e.span);
                let plain = |c: char| c.is_ascii_alphanumeric();
                if shown.chars().all(plain) {
                    assert_eq!(
                        &file[start..end],
                        shown,
                        "the source under a fix is what the text shows"
                    );
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_html_reads_and_maps_back(parts in prop::collection::vec(html_piece(), 0..50)) {
        let page = parts.concat();
        if let Ok(doc) = html::read("p.html", None, page.clone().into_bytes()) {
            assert_mapped(&doc, &page);
            // The chrome's spans are sorted, disjoint, non-empty and in the text.
            let landmarks = doc.landmarks();
            for l in landmarks {
                prop_assert!(l.start < l.end && l.end <= doc.text().len(), "{l:?}");
            }
            for pair in landmarks.windows(2) {
                prop_assert!(pair[0].end <= pair[1].start, "{pair:?}");
            }
        }
    }

    #[test]
    fn any_bytes_read_as_html_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(doc) = html::read("p.html", None, bytes) {
            let source = doc.display_source().to_owned();
            assert_mapped(&doc, &source);
        }
    }

    #[test]
    fn any_markdown_reads_and_maps_back(parts in prop::collection::vec(markdown_piece(), 0..50)) {
        let md = parts.concat();
        if let Ok(doc) = markdown::read("p.md", None, md.clone().into_bytes()) {
            assert_mapped(&doc, &md);
        }
    }

    #[test]
    fn json_strings_decode_like_serde_json(s in any::<String>(), escape_all in any::<bool>()) {
        let literal = if escape_all {
            // Every character as \u escapes (surrogate pairs above the BMP).
            let mut out = String::from("\"");
            for unit in s.encode_utf16() {
                out.push_str(&format!("\\u{unit:04x}"));
            }
            out + "\""
        } else {
            serde_json::to_string(&s).unwrap()
        };
        let (text, map) = jsonl::decode_string(&literal, 10).expect("valid literal decodes");
        prop_assert_eq!(&text, &s);
        // Every character maps inside the literal, in order.
        let mut last = 0;
        for (i, _) in text.char_indices() {
            let at = map.source_start(i);
            prop_assert!(at >= last && at >= 11 && at < 10 + literal.len());
            last = at;
        }
    }

    #[test]
    fn any_jsonl_line_reads_without_panic(line in ".{0,200}") {
        let fields = jsonl::Fields::default();
        let record = jsonl::Line { file: "p.jsonl", number: 1, offset: 0, text: &line, editable: true };
        if let Ok(Some(doc)) = jsonl::read_record(record, &fields) {
            assert_mapped(&doc, &line);
        }
    }

    #[test]
    fn jsonl_records_map_findings_into_the_line(parts in prop::collection::vec(markdown_piece(), 0..30)) {
        let text = parts.concat();
        let line = format!("{{\"id\": 1, \"text\": {}, \"more\": [1, 2]}}", serde_json::to_string(&text).unwrap());
        let fields = jsonl::Fields::default();
        let record = jsonl::Line { file: "p.jsonl", number: 1, offset: 0, text: &line, editable: true };
        let doc = jsonl::read_record(record, &fields).expect("valid record").expect("not blank");
        prop_assert_eq!(doc.text(), text.as_str());
        assert_mapped(&doc, &line);
    }
}

/// `--fix` on a file of `format`: fixing converges, leaves no safe fix behind, and
/// fixing the result again changes nothing.
fn assert_fix_is_stable(contents: &str, name: &str, format: copylint::document::Format) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    let input = copylint::walk::Input::File {
        path: path.clone(),
        name: name.into(),
        explicit: true,
    };
    let fields = jsonl::Fields::default();
    let linter = linter();
    // Inputs the reader refuses (a NUL byte: binary) have nothing to fix.
    let Ok(once) = copylint::fix::fix_input(&input, format, false, &fields, linter, false) else {
        return;
    };
    if once.refused.is_some() {
        return;
    }
    assert!(once.converged);
    for doc in &once.docs {
        let left = linter.check(doc).unwrap();
        assert!(
            left.iter().all(|d| d
                .fix
                .as_ref()
                .is_none_or(|f| f.applicability == copylint::rules::Applicability::Unsafe)),
            "safe fixes left in {:?}",
            once.fixed
        );
    }
    std::fs::write(&path, &once.fixed).unwrap();
    let twice = copylint::fix::fix_input(&input, format, false, &fields, linter, false).unwrap();
    assert_eq!(twice.fixed, once.fixed, "fixing twice equals fixing once");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    #[test]
    fn fixing_html_is_stable(parts in prop::collection::vec(html_piece(), 0..40)) {
        assert_fix_is_stable(&parts.concat(), "p.html", copylint::document::Format::Html);
    }

    #[test]
    fn fixing_markdown_is_stable(parts in prop::collection::vec(markdown_piece(), 0..40)) {
        assert_fix_is_stable(&parts.concat(), "p.md", copylint::document::Format::Markdown);
    }

    #[test]
    fn fixing_jsonl_is_stable_and_keeps_other_fields(texts in prop::collection::vec(prop::collection::vec(markdown_piece(), 0..12), 1..5)) {
        let lines: Vec<String> = texts
            .iter()
            .enumerate()
            .map(|(i, parts)| format!("{{\"n\": {i}, \"text\": {}, \"tail\": \"\\u00a0 x\"}}", serde_json::to_string(&parts.concat()).unwrap()))
            .collect();
        let contents = lines.join("\n") + "\n";
        assert_fix_is_stable(&contents, "p.jsonl", copylint::document::Format::Jsonl);
        // Every field but `text` is byte-for-byte the same after fixing.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.jsonl");
        std::fs::write(&path, &contents).unwrap();
        let input = copylint::walk::Input::File { path, name: "q.jsonl".into(), explicit: true };
        let fixed = copylint::fix::fix_input(&input, copylint::document::Format::Jsonl, false, &jsonl::Fields::default(), linter(), true).unwrap();
        for (before, after) in contents.lines().zip(fixed.fixed.lines()) {
            let b: serde_json::Value = serde_json::from_str(before).unwrap();
            let a: serde_json::Value = serde_json::from_str(after).unwrap();
            prop_assert_eq!(&b["n"], &a["n"]);
            prop_assert_eq!(&b["tail"], &a["tail"]);
            let tail = ", \"tail\": \"\\u00a0 x\"}";
            prop_assert!(after.ends_with(tail), "{}", after);
        }
    }
}

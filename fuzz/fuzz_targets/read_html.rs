//! The html reader + checker + reporters on arbitrary bytes: must never panic.
//! Run: `cd fuzz && cargo fuzz run read_html`; crashing inputs go to `tests/crashes/`.
#![no_main]

use std::sync::LazyLock;

use copylint::config::Config;
use copylint::document::html;
use copylint::linter::{Linter, Registry, Selection};
use copylint::report::{self, Reporter};
use libfuzzer_sys::fuzz_target;

static LINTER: LazyLock<Linter> = LazyLock::new(|| {
    let config = Config::default();
    let registry = Registry::load(&config).expect("embedded packs load");
    let all = Selection { select: Some(vec!["all".into()]), ..Selection::default() };
    Linter::new(registry, &config, &all).expect("linter builds")
});

fn check(doc: &copylint::document::Document) {
    let diagnostics = LINTER.check(doc).expect("no rule crashes");
    let _ = report::Human { color: false, width: 100 }.render(doc, &diagnostics);
    let _ = report::Concise.render(doc, &diagnostics);
    let _ = report::Json.render(doc, &diagnostics);
    let _ = report::Records.render(doc, &diagnostics);
}

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = html::read("fuzz.html", None, data.to_vec()) {
        check(&doc);
    }
});

//! The plain-text reader + checker + reporters on arbitrary bytes: must never panic.
//! Run: `cd fuzz && cargo fuzz run read_check` (needs cargo-fuzz).
//! Any input that crashes goes to `tests/crashes/`, where `cargo test` replays it.
#![no_main]

use std::sync::LazyLock;

use copylint::config::Config;
use copylint::document::text;
use copylint::linter::{Linter, Registry, Selection};
use copylint::report::{self, Reporter};
use libfuzzer_sys::fuzz_target;

static LINTER: LazyLock<Linter> = LazyLock::new(|| {
    let config = Config::default();
    let registry = Registry::load(&config).expect("embedded packs load");
    let all = Selection { select: Some(vec!["all".into()]), ..Selection::default() };
    Linter::new(registry, &config, &all).expect("linter builds")
});

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = text::read("fuzz.txt", None, data.to_vec()) {
        let diagnostics = LINTER.check(&doc).expect("no rule crashes");
        let _ = report::Human { color: false, width: 100 }.render(&doc, &diagnostics);
        let _ = report::Concise.render(&doc, &diagnostics);
        let _ = report::Json.render(&doc, &diagnostics);
    }
});

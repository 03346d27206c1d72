//! What every fuzz target does with a document it could read: check it with every rule
//! and render the findings in each format. Included by the targets with `mod common;`.

use std::sync::LazyLock;

use copylint::config::Config;
use copylint::document::Document;
use copylint::linter::{Linter, Registry, Selection};
use copylint::report::{self, Reporter};

static LINTER: LazyLock<Linter> = LazyLock::new(|| {
    let config = Config::default();
    let registry = Registry::load(&config).expect("embedded packs load");
    let all = Selection { select: Some(vec!["all".into()]), ..Selection::default() };
    Linter::new(registry, &config, &all).expect("linter builds")
});

/// Checks `doc` and renders its findings; a rule crash or a panic is the bug to find.
pub fn check(doc: &Document) {
    let diagnostics = LINTER.check(doc).expect("no rule crashes");
    let _ = report::Human { color: false, width: 100 }.render(doc, &diagnostics);
    let _ = report::Concise.render(doc, &diagnostics);
    let _ = report::Json.render(doc, &diagnostics);
    let _ = report::Records.render(doc, &diagnostics);
}

//! The html reader + checker + reporters on arbitrary bytes: must never panic.
//! Run: `cd fuzz && cargo fuzz run read_html`; crashing inputs go to `tests/crashes/`.
#![no_main]

mod common;

use copylint::document::html;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = html::read("fuzz.html", None, data.to_vec()) {
        common::check(&doc);
    }
});

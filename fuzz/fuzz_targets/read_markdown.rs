//! The markdown reader + checker + reporters on arbitrary bytes: must never panic.
//! Run: `cd fuzz && cargo fuzz run read_markdown`; crashing inputs go to `tests/crashes/`.
#![no_main]

mod common;

use copylint::document::markdown;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = markdown::read("fuzz.md", None, data.to_vec()) {
        common::check(&doc);
    }
});

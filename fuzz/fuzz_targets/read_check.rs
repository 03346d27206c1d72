//! The plain-text reader + checker + reporters on arbitrary bytes: must never panic.
//! Run: `cd fuzz && cargo fuzz run read_check` (needs cargo-fuzz).
//! Any input that crashes goes to `tests/crashes/`, where `cargo test` replays it.
#![no_main]

mod common;

use copylint::document::text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = text::read("fuzz.txt", None, data.to_vec()) {
        common::check(&doc);
    }
});

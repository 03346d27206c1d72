//! The jsonl reader + checker + reporters on arbitrary bytes: must never panic.
//! Run: `cd fuzz && cargo fuzz run read_jsonl`; crashing inputs go to `tests/crashes/`.
#![no_main]

mod common;

use copylint::document::jsonl;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let fields = jsonl::Fields::default();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let line = jsonl::Line { file: "fuzz.jsonl", number: i + 1, offset: 0, text: line, editable: true };
        if let Ok(Some(doc)) = jsonl::read_record(line, &fields) {
            common::check(&doc);
        }
    }
});

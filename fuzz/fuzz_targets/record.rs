//! Any bytes as a record file: parsing returns a record or diagnostics,
//! never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use paperhub::content::{Paper, RecordFormat, Vocabulary};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let vocab = Vocabulary::default();
        let _ = Paper::parse(Path::new("content/papers/f.md"), text, RecordFormat::Markdown, &vocab);
        let _ = Paper::parse(Path::new("content/papers/f.yaml"), text, RecordFormat::Yaml, &vocab);
    }
});

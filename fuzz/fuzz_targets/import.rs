//! Any text as an import file of each format: the readers return entries
//! and diagnostics, or an error, and never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use paperhub::import::{parse, Format};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        for format in [Format::Bibtex, Format::Arxiv, Format::Openalex, Format::S2] {
            let _ = parse(format, Path::new("import"), text);
        }
    }
});

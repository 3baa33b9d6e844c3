//! Any text as Markdown: renders, never panics, and with the sanitiser on
//! never lets a script tag through.
#![no_main]
use libfuzzer_sys::fuzz_target;
use paperhub::config::MarkdownConfig;
use paperhub::markdown::Markdown;
use std::sync::OnceLock;

static MD: OnceLock<Markdown> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let md = MD.get_or_init(|| Markdown::new(&MarkdownConfig::default(), "/"));
        let html = md.render(text);
        assert!(!html.to_ascii_lowercase().contains("<script"), "script survived: {html}");
        let _ = md.render_inline(text);
    }
});

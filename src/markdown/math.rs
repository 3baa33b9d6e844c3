//! `$...$` and `$$...$$` to MathML at build time, so pages need no script.

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{push_mathml, Parser, RenderConfig, Storage};

/// The MathML of a LaTeX formula; `display` selects block layout. Invalid
/// LaTeX renders as an inline error marker rather than failing the build.
pub fn to_mathml(latex: &str, display: bool) -> String {
    let storage = Storage::new();
    let parser = Parser::new(latex, &storage);
    let config = RenderConfig {
        display_mode: if display { DisplayMode::Block } else { DisplayMode::Inline },
        annotation: Some(latex),
        ..RenderConfig::default()
    };
    let mut out = String::new();
    if push_mathml(&mut out, parser, config).is_err() {
        out.clear();
        out.push_str("<code class=\"math-error\">");
        crate::html::push_escaped(&mut out, latex);
        out.push_str("</code>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_inline_and_display_math() {
        let inline = to_mathml("x^2", false);
        assert!(inline.starts_with("<math"), "{inline}");
        assert!(inline.contains("<msup>"), "{inline}");
        let block = to_mathml(r"\frac{a}{b}", true);
        assert!(block.contains("display=\"block\""), "{block}");
    }
}

//! `$...$` and `$$...$$` to MathML at build time, so pages need no script.

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{push_mathml, Parser, RenderConfig, Storage};

/// The MathML of a LaTeX formula; `display` selects block layout. Invalid
/// LaTeX renders as an inline error marker rather than failing the build.
pub fn to_mathml(latex: &str, display: bool) -> String {
    let storage = Storage::new();
    let parser = Parser::new(latex, &storage);
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        annotation: Some(latex),
        ..RenderConfig::default()
    };
    let mut out = String::new();
    if push_mathml(&mut out, parser, config).is_ok() {
        out = space_attributes(&out);
    } else {
        out.clear();
        out.push_str("<code class=\"math-error\">");
        crate::html::push_escaped(&mut out, latex);
        out.push_str("</code>");
    }
    out
}

/// pulldown-latex 0.8 writes some attributes without a space between them
/// (`stretchy="true"minsize="1.2em"` for `\big`), which is invalid HTML;
/// this puts the space back.
fn space_attributes(mathml: &str) -> String {
    let mut out = String::with_capacity(mathml.len() + 8);
    let (mut in_tag, mut in_value) = (false, false);
    let mut chars = mathml.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        match c {
            '<' if !in_value => in_tag = true,
            '>' if !in_value => in_tag = false,
            '"' if in_tag => {
                in_value = !in_value;
                if !in_value && chars.peek().is_some_and(|n| n.is_ascii_alphabetic()) {
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separates_attributes_of_sized_delimiters() {
        let m = to_mathml(r"\big( x \big)", false);
        assert!(!m.contains("\"minsize"), "{m}");
        assert!(m.contains("\" minsize="), "{m}");
    }

    #[test]
    fn renders_inline_and_display_math() {
        let inline = to_mathml("x^2", false);
        assert!(inline.starts_with("<math"), "{inline}");
        assert!(inline.contains("<msup>"), "{inline}");
        let block = to_mathml(r"\frac{a}{b}", true);
        assert!(block.contains("display=\"block\""), "{block}");
    }
}

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
    // A formula that does not parse becomes an <merror> holding the raw
    // source; we show the source as escaped text instead.
    if push_mathml(&mut out, parser, config).is_ok() && !out.contains("<merror") {
        out = clean_mathml(&out);
    } else {
        out.clear();
        out.push_str("<code class=\"math-error\">");
        crate::html::push_escaped(&mut out, latex);
        out.push_str("</code>");
    }
    out
}

/// MathML elements pulldown-latex writes; any other `<` is text.
const ELEMENTS: &[&str] = &[
    "math",
    "semantics",
    "annotation",
    "mrow",
    "mi",
    "mo",
    "mn",
    "ms",
    "mtext",
    "mspace",
    "msup",
    "msub",
    "msubsup",
    "mfrac",
    "msqrt",
    "mroot",
    "mover",
    "munder",
    "munderover",
    "mtable",
    "mtr",
    "mtd",
    "mlabeledtr",
    "mstyle",
    "mpadded",
    "mphantom",
    "menclose",
    "mmultiscripts",
    "mprescripts",
    "none",
    "maction",
    "merror",
];

/// Repairs pulldown-latex 0.8's output for HTML: it writes `<` and `>`
/// from the formula as bare text (`<mo><</mo>`), which an HTML parser may
/// read as markup, and some attributes without a space between them
/// (`stretchy="true"minsize="1.2em"`). Text `<`/`>` are escaped and the
/// spaces put back.
fn clean_mathml(mathml: &str) -> String {
    let starts_tag = |rest: &str| {
        let name = rest.strip_prefix('/').unwrap_or(rest);
        ELEMENTS.iter().any(|e| {
            name.strip_prefix(e)
                .is_some_and(|after| after.starts_with([' ', '>', '/']))
        })
    };
    let mut out = String::with_capacity(mathml.len() + 16);
    let (mut in_tag, mut in_value) = (false, false);
    let mut iter = mathml.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        match c {
            '<' if !in_tag => {
                if starts_tag(&mathml[i + 1..]) {
                    in_tag = true;
                    out.push('<');
                } else {
                    out.push_str("&lt;");
                }
            }
            '>' if !in_tag => out.push_str("&gt;"),
            '>' if !in_value => {
                in_tag = false;
                out.push('>');
            }
            '"' if in_tag => {
                in_value = !in_value;
                out.push('"');
                if !in_value && iter.peek().is_some_and(|(_, n)| n.is_ascii_alphabetic()) {
                    out.push(' ');
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_emits_markup_from_the_source() {
        for src in [
            "<script>alert(1)</script>",
            "# <script>x",
            "\\text{<img src=x onerror=alert(1)>}",
            "\\unknown<b>",
        ] {
            for display in [false, true] {
                let out = to_mathml(src, display);
                let lower = out.to_ascii_lowercase();
                assert!(
                    !lower.contains("<script") && !lower.contains("<img") && !lower.contains("<b>"),
                    "case {src:?}: {out}"
                );
            }
        }
    }

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

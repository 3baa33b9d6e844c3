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
    let mut out = String::with_capacity(64 + 24 * latex.len());
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
    // A tag is an element name followed by a space, `>` or `/`.
    let starts_tag = |rest: &str| {
        let name = rest.strip_prefix('/').unwrap_or(rest);
        name.find([' ', '>', '/'])
            .is_some_and(|end| ELEMENTS.contains(&&name[..end]))
    };
    let mut out = String::with_capacity(mathml.len() + 16);
    let (mut in_tag, mut in_value) = (false, false);
    // Bytes are copied in runs up to the next change; every byte looked at
    // is ASCII, so each run ends on a character boundary.
    let bytes = mathml.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let replace = match b {
            b'<' if !in_tag => {
                in_tag = starts_tag(&mathml[i + 1..]);
                (!in_tag).then_some("&lt;")
            }
            b'>' if !in_tag => Some("&gt;"),
            b'>' if !in_value => {
                in_tag = false;
                None
            }
            b'"' if in_tag => {
                in_value = !in_value;
                (!in_value && bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic))
                    .then_some("\" ")
            }
            _ => None,
        };
        if let Some(with) = replace {
            out.push_str(&mathml[run..i]);
            out.push_str(with);
            run = i + 1;
        }
    }
    out.push_str(&mathml[run..]);
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

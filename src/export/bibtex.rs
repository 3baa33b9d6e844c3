//! BibTeX entries, readable by BibTeX, biber and reference managers.

use std::fmt::Write;

use super::{Kind, Reference};

/// One BibTeX entry, ending with a newline.
pub fn bibtex(r: &Reference) -> String {
    let kind = match r.kind {
        Kind::Article => "article",
        Kind::Conference => "inproceedings",
        Kind::Preprint | Kind::Other => "misc",
    };
    let mut fields: Vec<(&str, String)> = vec![("title", title(r.title))];
    if !r.authors.is_empty() {
        let names: Vec<String> = r.authors.iter().map(|a| name(a)).collect();
        fields.push(("author", names.join(" and ")));
    }
    if let Some(y) = r.year {
        fields.push(("year", y.to_string()));
    }
    if let Some(m) = r.date_parts().get(1) {
        fields.push(("month", m.to_string()));
    }
    match (r.kind, r.venue) {
        (Kind::Article, Some(v)) => fields.push(("journal", escape(v))),
        (Kind::Conference, Some(v)) => fields.push(("booktitle", escape(v))),
        (_, Some(v)) => fields.push(("howpublished", escape(v))),
        _ => {}
    }
    if let Some(d) = r.doi {
        fields.push(("doi", verbatim(d)));
    }
    if let Some(a) = r.arxiv_id() {
        fields.push(("eprint", verbatim(a)));
        fields.push(("archiveprefix", "arXiv".to_string()));
    }
    // The paper's own web page if it has one, else its page in this hub.
    fields.push(("url", verbatim(r.url.unwrap_or(&r.page))));
    if !r.keywords.is_empty() {
        fields.push(("keywords", escape(&r.keywords.join(", "))));
    }
    let mut out = format!("@{kind}{{{},\n", r.key);
    for (k, v) in fields {
        let _ = writeln!(out, "  {k} = {{{v}}},");
    }
    out.push_str("}\n");
    out
}

/// A title with words that must keep their capitals (acronyms, `LoRA`)
/// in braces, since styles lowercase the rest.
fn title(t: &str) -> String {
    t.split(' ')
        .map(|w| {
            let e = escape(w);
            if w.chars().skip(1).any(char::is_uppercase) && !e.contains('\\') {
                format!("{{{e}}}")
            } else {
                e
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// An author; a name that itself contains " and " is kept whole in braces.
fn name(a: &str) -> String {
    let e = escape(a.trim());
    if a.contains(" and ") {
        format!("{{{e}}}")
    } else {
        e
    }
}

/// Escapes the characters TeX gives a meaning; everything else, including
/// non-ASCII letters, is written as is (BibTeX files are UTF-8 today).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            // BibTeX counts braces even after a backslash, so `\}` would
            // end the field; these commands print the brace instead.
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            // Newlines would end nothing in BibTeX but read badly.
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Identifiers and links, which BibTeX tools read verbatim: only what
/// would unbalance the field or break the line is percent-encoded.
fn verbatim(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            c if c.is_whitespace() => out.push_str("%20"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_tex_specials() {
        assert_eq!(
            escape("50% of {x} & y_1 $5 #1"),
            "50\\% of \\textbraceleft{}x\\textbraceright{} \\& y\\_1 \\$5 \\#1"
        );
        assert_eq!(title("TOFU: A Task for LLMs"), "{TOFU:} A Task for {LLMs}");
        assert_eq!(verbatim("10.1007/978-3_1 {x}"), "10.1007/978-3_1%20%7Bx%7D");
    }
}

//! RIS records, the tagged format EndNote, Zotero and Mendeley import.

use super::{split_name, Kind, Reference};

/// One RIS record, ending with `ER  - `.
pub fn ris(r: &Reference) -> String {
    let ty = match r.kind {
        Kind::Article => "JOUR",
        Kind::Conference => "CONF",
        Kind::Preprint => "UNPB",
        Kind::Other => "GEN",
    };
    let mut lines: Vec<(&str, String)> = vec![("TY", ty.to_string()), ("ID", r.key.to_string())];
    lines.push(("TI", line(r.title)));
    for a in r.authors {
        let name = match split_name(a) {
            (family, Some(given)) => format!("{family}, {given}"),
            (family, None) => family.to_string(),
        };
        lines.push(("AU", line(&name)));
    }
    if let Some(y) = r.year {
        lines.push(("PY", y.to_string()));
    }
    let parts = r.date_parts();
    if parts.len() > 1 {
        let part = |i: usize| parts.get(i).map(|p| format!("{p:02}")).unwrap_or_default();
        lines.push(("DA", format!("{}/{}/{}/", parts[0], part(1), part(2))));
    }
    if let Some(v) = r.venue {
        lines.push(("T2", line(v)));
    }
    if let Some(d) = r.doi {
        lines.push(("DO", line(d)));
    }
    if let Some(a) = r.arxiv_id() {
        lines.push(("AN", format!("arXiv:{}", line(a))));
    }
    lines.push(("UR", line(r.url.unwrap_or(&r.page))));
    if let Some(p) = r.pdf {
        lines.push(("L1", line(p)));
    }
    for k in r.keywords {
        lines.push(("KW", line(k)));
    }
    if let Some(a) = r.abstract_text {
        lines.push(("AB", line(a)));
    }
    let mut out = String::with_capacity(lines.iter().map(|(_, v)| v.len() + 8).sum::<usize>() + 8);
    for (tag, value) in lines {
        out.push_str(tag);
        out.push_str("  - ");
        out.push_str(&value);
        out.push_str("\r\n");
    }
    out.push_str("ER  - \r\n");
    out
}

/// A value on one line: RIS ends a field at the line break.
fn line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, word) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

//! arXiv metadata: the API's Atom XML (export.arxiv.org/api/query) and
//! the metadata snapshot's JSON lines (one paper per line, as on Kaggle).

use std::path::Path;

use roxmltree::{Document, Node};
use serde::Deserialize;

use super::{month, Entry, Origin, Parsed};
use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::error::{Error, Result};

const ATOM: &str = "http://www.w3.org/2005/Atom";
const ARXIV: &str = "http://arxiv.org/schemas/atom";

pub fn parse(path: &Path, text: &str) -> Result<Parsed> {
    if text.trim_start().starts_with('<') {
        atom(path, text)
    } else {
        Ok(json_lines(path, text))
    }
}

fn atom(path: &Path, text: &str) -> Result<Parsed> {
    let doc = Document::parse(text).map_err(|e| {
        let p = e.pos();
        Error::Content(Diagnostics(vec![Diagnostic::new(
            path,
            Pos::new(p.row as usize, p.col as usize),
            format!("not well-formed XML: {e}"),
        )
        .hint("pass the arXiv API's response as saved, or the snapshot's JSON lines")
        .source(text)]))
    })?;
    let mut parsed = Parsed::default();
    for entry in doc
        .descendants()
        .filter(|n| n.has_tag_name((ATOM, "entry")))
    {
        let pos = doc.text_pos_at(entry.range().start);
        let pos = Pos::new(pos.row as usize, pos.col as usize);
        let child = |ns: &str, name: &str| -> Option<String> {
            entry
                .children()
                .find(|c| c.has_tag_name((ns, name)))
                .and_then(|c| c.text())
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
        };
        let abs = child(ATOM, "id").unwrap_or_default();
        let Some(id) = abs.split("arxiv.org/abs/").nth(1).map(str::to_string) else {
            // The API reports errors as an entry whose id is not a paper.
            let why = child(ATOM, "summary").unwrap_or_else(|| "no arXiv id".to_string());
            parsed.skipped.push(
                Diagnostic::new(path, pos, format!("entry `{abs}` is not a paper: {why}"))
                    .hint("only entries with an arxiv.org/abs/ id are imported")
                    .source(text),
            );
            continue;
        };
        let Some(title) = child(ATOM, "title") else {
            parsed.skipped.push(
                Diagnostic::new(path, pos, format!("entry `{id}` has no title"))
                    .hint("the entry was skipped")
                    .source(text),
            );
            continue;
        };
        let bare = crate::export::strip_version(&id).to_string();
        let names = |n: Node| {
            n.children()
                .find(|c| c.has_tag_name((ATOM, "name")))
                .and_then(|c| c.text())
                .map(str::to_string)
        };
        let categories: Vec<String> = entry
            .children()
            .filter(|c| c.has_tag_name((ATOM, "category")))
            .filter_map(|c| c.attribute("term").map(str::to_string))
            .collect();
        let pdf = entry
            .children()
            .filter(|c| c.has_tag_name((ATOM, "link")))
            .find(|c| c.attribute("title") == Some("pdf"))
            .and_then(|c| c.attribute("href"))
            .map(|h| h.replacen("http://", "https://", 1));
        parsed.entries.push(Entry {
            id: bare.clone(),
            title,
            authors: entry
                .children()
                .filter(|c| c.has_tag_name((ATOM, "author")))
                .filter_map(names)
                .collect(),
            date: child(ATOM, "published").and_then(|p| p.get(..10).map(str::to_string)),
            venue: child(ARXIV, "journal_ref"),
            arxiv: Some(bare.clone()),
            doi: child(ARXIV, "doi"),
            url: Some(format!("https://arxiv.org/abs/{bare}")),
            pdf,
            categories,
            abstract_text: child(ATOM, "summary"),
            origin: Origin::new(path, pos.line, bare.clone()),
            ..Entry::default()
        });
    }
    Ok(parsed)
}

/// One line of the arXiv metadata snapshot.
#[derive(Deserialize)]
struct Snapshot {
    id: String,
    title: Option<String>,
    authors: Option<String>,
    /// `[["Family", "Given", "Suffix"], ...]`.
    authors_parsed: Option<Vec<Vec<String>>>,
    #[serde(rename = "journal-ref")]
    journal_ref: Option<String>,
    doi: Option<String>,
    categories: Option<String>,
    #[serde(rename = "abstract")]
    abstract_text: Option<String>,
    #[serde(default)]
    versions: Vec<Version>,
}

#[derive(Deserialize)]
struct Version {
    /// `Mon, 2 Apr 2007 19:18:42 GMT`.
    created: String,
}

fn json_lines(path: &Path, text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let pos = Pos::new(i + 1, 1);
        let skip = |message: String| {
            Diagnostic::new(path, pos, message)
                .hint("each line must be one JSON object of the arXiv metadata snapshot; the line was skipped")
                .source(text)
        };
        let s: Snapshot = match serde_json::from_str(line) {
            Ok(s) => s,
            Err(e) => {
                parsed.skipped.push(skip(format!(
                    "line {} is not a snapshot record: {e}",
                    i + 1
                )));
                continue;
            }
        };
        let Some(title) = s.title.filter(|t| !t.trim().is_empty()) else {
            parsed
                .skipped
                .push(skip(format!("`{}` has no title", s.id)));
            continue;
        };
        let authors = match s.authors_parsed {
            Some(list) => list
                .iter()
                .map(|p| {
                    let family = p.first().map(String::as_str).unwrap_or_default();
                    let given = p.get(1).map(String::as_str).unwrap_or_default();
                    let suffix = p.get(2).map(String::as_str).unwrap_or_default();
                    let name = format!("{given} {family}").trim().to_string();
                    let name = if suffix.is_empty() {
                        name
                    } else {
                        format!("{name}, {suffix}")
                    };
                    detex(&name)
                })
                .collect(),
            None => s
                .authors
                .unwrap_or_default()
                .replace(" and ", ", ")
                .split(',')
                .map(|a| detex(a.trim()))
                .collect(),
        };
        let id = s.id.trim().to_string();
        parsed.entries.push(Entry {
            id: id.clone(),
            title,
            authors,
            date: s.versions.first().and_then(|v| rfc2822_date(&v.created)),
            venue: s.journal_ref,
            arxiv: Some(id.clone()),
            doi: s
                .doi
                .map(|d| d.split_whitespace().next().unwrap_or_default().to_string()),
            url: Some(format!("https://arxiv.org/abs/{id}")),
            pdf: Some(format!("https://arxiv.org/pdf/{id}")),
            categories: s
                .categories
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect(),
            abstract_text: s.abstract_text,
            origin: Origin::new(path, i + 1, id.clone()),
            ..Entry::default()
        });
    }
    parsed
}

/// `Mon, 2 Apr 2007 19:18:42 GMT` → `2007-04-02`.
fn rfc2822_date(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let day: u32 = parts.get(1)?.parse().ok()?;
    let m = month(parts.get(2)?)?;
    let year: i32 = parts.get(3)?.parse().ok()?;
    Some(format!("{year:04}-{m:02}-{day:02}"))
}

/// LaTeX accents in names (`Bal\'azs`) as letters, read by the BibTeX
/// parser; text it cannot read is kept as written.
fn detex(s: &str) -> String {
    if !s.contains(['\\', '{']) {
        return s.to_string();
    }
    use biblatex::ChunksExt;
    biblatex::Bibliography::parse(&format!("@misc{{x, note = {{{s}}}}}"))
        .ok()
        .and_then(|b| {
            b.get("x")
                .and_then(|e| e.get("note"))
                .map(|c| c.format_verbatim())
        })
        .unwrap_or_else(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_api_atom() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <entry>
    <id>http://arxiv.org/abs/2404.05868v2</id>
    <published>2024-04-08T17:58:03Z</published>
    <title>Negative Preference Optimization:
  From Catastrophic Collapse</title>
    <summary>  We study unlearning.  </summary>
    <author><name>Ruiqi Zhang</name></author>
    <author><name>Song Mei</name></author>
    <arxiv:doi>10.1234/npo</arxiv:doi>
    <link href="http://arxiv.org/pdf/2404.05868v2" rel="related" type="application/pdf" title="pdf"/>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
  <entry><id>http://arxiv.org/api/errors#incorrect_id</id><title>Error</title><summary>incorrect id format</summary></entry>
</feed>"#;
        let p = parse(Path::new("a.xml"), xml).unwrap();
        assert_eq!(p.entries.len(), 1);
        let e = &p.entries[0];
        assert_eq!(e.id, "2404.05868");
        assert_eq!(e.authors, ["Ruiqi Zhang", "Song Mei"]);
        assert_eq!(e.date.as_deref(), Some("2024-04-08"));
        assert_eq!(e.pdf.as_deref(), Some("https://arxiv.org/pdf/2404.05868v2"));
        assert_eq!(p.skipped.len(), 1);
        assert!(p.skipped[0].message.contains("incorrect id format"));
    }

    #[test]
    fn reads_snapshot_lines() {
        let text = r#"{"id":"0704.0001","title":"Calculation of prompt diphoton production","authors":"C. Bal\\'azs, E. L. Berger","authors_parsed":[["Bal\\'azs","C.",""],["Berger","E. L.",""]],"journal-ref":"Phys.Rev.D76:013009,2007","doi":"10.1103/PhysRevD.76.013009","categories":"hep-ph hep-ex","abstract":"  A fully differential calculation.","versions":[{"version":"v1","created":"Mon, 2 Apr 2007 19:18:42 GMT"}]}
not json
{"id":"0704.0002","title":"","authors":"X"}"#;
        let p = parse(Path::new("s.json"), text).unwrap();
        assert_eq!(p.entries.len(), 1);
        let e = &p.entries[0];
        assert_eq!(e.authors, ["C. Balázs", "E. L. Berger"]);
        assert_eq!(e.date.as_deref(), Some("2007-04-02"));
        assert_eq!(e.categories, ["hep-ph", "hep-ex"]);
        assert_eq!(p.skipped.len(), 2);
        assert_eq!(p.skipped[0].pos.line, 2);
    }
}

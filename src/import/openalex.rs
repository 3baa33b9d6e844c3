//! OpenAlex works (api.openalex.org/works): one work, a list of works, an
//! API results page, or JSON lines. `referenced_works` become `cites`:
//! works of the same import by their record id, others as `openalex:W…`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{choose_id, Citation, Entry, Origin, Parsed};
use crate::diag::{Diagnostic, Pos};
use crate::error::Result;

pub fn parse(path: &Path, text: &str) -> Result<Parsed> {
    parse_all(&[(path.to_path_buf(), text.to_string())])
}

/// Reads `files` as one input: a work cited by a work of another file is
/// cited by its record id (a fetched work and the pages that cite it).
pub fn parse_all(files: &[(PathBuf, String)]) -> Result<Parsed> {
    let mut parsed = Parsed::default();
    let mut all: Vec<(&Path, &str, usize, Value)> = Vec::new();
    for (path, text) in files {
        for (line, w) in works(path, text, &mut parsed) {
            all.push((path, text, line, w));
        }
    }
    let mut openalex_ids: HashMap<String, String> = HashMap::new();
    for (path, text, line, w) in &all {
        let (path, text) = (*path, *text);
        if let Some(e) = work(path, text, *line, w, &mut openalex_ids, &mut parsed) {
            parsed.entries.push(e);
        }
    }
    resolve(&mut parsed, &openalex_ids);
    Ok(parsed)
}

/// (line, work) pairs: a whole document, or one work per line.
fn works(path: &Path, text: &str, parsed: &mut Parsed) -> Vec<(usize, Value)> {
    match serde_json::from_str::<Value>(text) {
        // In one document, a work's "line" is its position in the list.
        Ok(Value::Array(list)) => list
            .into_iter()
            .enumerate()
            .map(|(i, w)| (i + 1, w))
            .collect(),
        Ok(Value::Object(mut o)) => match o.remove("results") {
            Some(Value::Array(list)) => list
                .into_iter()
                .enumerate()
                .map(|(i, w)| (i + 1, w))
                .collect(),
            _ => vec![(1, Value::Object(o))],
        },
        Ok(_) => Vec::new(),
        Err(_) => {
            let mut out = Vec::new();
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                match serde_json::from_str(line) {
                    Ok(w) => out.push((i + 1, w)),
                    Err(e) => parsed.skipped.push(
                        Diagnostic::new(path, Pos::new(i + 1, 1), format!("line {} is not JSON: {e}", i + 1))
                            .hint("pass OpenAlex works as one JSON document or one work per line; the line was skipped")
                            .source(text),
                    ),
                }
            }
            out
        }
    }
}

/// One work as an entry; `None` (and a diagnostic) when it has no title.
fn work(
    path: &Path,
    text: &str,
    line: usize,
    w: &Value,
    openalex_ids: &mut HashMap<String, String>,
    parsed: &mut Parsed,
) -> Option<Entry> {
    let oa = short_id(w["id"].as_str().unwrap_or_default());
    let Some(title) = w["title"]
        .as_str()
        .or(w["display_name"].as_str())
        .filter(|t| !t.trim().is_empty())
    else {
        let name = if oa.is_empty() {
            "a work without id".to_string()
        } else {
            format!("work `{oa}`")
        };
        parsed.skipped.push(
            Diagnostic::new(path, Pos::new(line, 1), format!("{name} has no title"))
                .hint("the work was skipped")
                .source(text),
        );
        return None;
    };
    let doi = w["doi"].as_str().map(super::bare_doi);
    let arxiv = strings(&w["locations"], |l| l["landing_page_url"].as_str())
        .into_iter()
        .find_map(|u| u.split("arxiv.org/abs/").nth(1).map(str::to_string));
    let fallback = if oa.is_empty() {
        format!("openalex:line{line}")
    } else {
        format!("openalex:{oa}")
    };
    let id = choose_id(arxiv.as_deref(), doi.as_deref(), &fallback);
    if !oa.is_empty() {
        openalex_ids.insert(oa.clone(), id.clone());
    }
    let primary = &w["primary_location"];
    let text_of = |v: &Value| v.as_str().map(str::to_string);
    let cites = strings(&w["referenced_works"], Value::as_str);
    Some(Entry {
        title: title.to_string(),
        authors: strings(&w["authorships"], |a| a["author"]["display_name"].as_str()),
        year: w["publication_year"].as_i64().map(|y| y as i32),
        date: text_of(&w["publication_date"]),
        venue: text_of(&primary["source"]["display_name"]),
        arxiv,
        doi,
        url: text_of(&primary["landing_page_url"]),
        pdf: text_of(&primary["pdf_url"]).or(text_of(&w["best_oa_location"]["pdf_url"])),
        keywords: strings(&w["keywords"], |k| {
            k["display_name"].as_str().or(k["keyword"].as_str())
        }),
        abstract_text: abstract_text(&w["abstract_inverted_index"]),
        cites: cites
            .iter()
            .map(|r| Citation::bare(format!("openalex:{}", short_id(r))))
            .collect(),
        origin: Origin::new(path, line, if oa.is_empty() { &id } else { &oa }),
        id,
        ..Entry::default()
    })
}

/// What `pick` finds in each element of the array `v` (none when `v` is
/// no array).
fn strings<'v>(v: &'v Value, pick: impl Fn(&'v Value) -> Option<&'v str>) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().filter_map(pick).map(str::to_string).collect())
        .unwrap_or_default()
}

/// Works cited within this import are cited by their record ids.
fn resolve(parsed: &mut Parsed, openalex_ids: &HashMap<String, String>) {
    for e in &mut parsed.entries {
        for c in &mut e.cites {
            if let Some(id) =
                c.id.strip_prefix("openalex:")
                    .and_then(|w| openalex_ids.get(w))
            {
                c.id = id.clone();
            }
        }
        let own = e.id.clone();
        e.cites.retain(|c| c.id != own);
        let mut seen = std::collections::HashSet::new();
        e.cites.retain(|c| seen.insert(c.id.clone()));
    }
}

/// `https://openalex.org/W2741809807` → `W2741809807`.
fn short_id(id: &str) -> String {
    id.rsplit('/').next().unwrap_or(id).to_string()
}

/// OpenAlex ships abstracts as word → positions; this puts the words back.
fn abstract_text(index: &Value) -> Option<String> {
    let map = index.as_object()?;
    let mut words: Vec<(u64, &str)> = Vec::new();
    for (word, positions) in map {
        for p in positions.as_array()? {
            words.push((p.as_u64()?, word));
        }
    }
    words.sort_unstable();
    let text = words.iter().map(|(_, w)| *w).collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_works_and_maps_references() {
        let page = r#"{"meta":{"count":2},"results":[
          {"id":"https://openalex.org/W1","doi":"https://doi.org/10.1/a","title":"First","publication_year":2020,"publication_date":"2020-05-01",
           "authorships":[{"author":{"display_name":"Ada Lovelace"}}],
           "primary_location":{"source":{"display_name":"Nature"},"landing_page_url":"https://doi.org/10.1/a"},
           "referenced_works":["https://openalex.org/W2","https://openalex.org/W9"],
           "abstract_inverted_index":{"Hello":[0],"world":[1,3],"again":[2]}},
          {"id":"https://openalex.org/W2","title":"Second","locations":[{"landing_page_url":"https://arxiv.org/abs/2001.00001v1"}]},
          {"id":"https://openalex.org/W3","title":null}
        ]}"#;
        let p = parse(Path::new("w.json"), page).unwrap();
        assert_eq!(p.entries.len(), 2);
        let a = &p.entries[0];
        assert_eq!(a.id, "doi:10.1/a");
        let cited: Vec<&str> = a.cites.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(cited, ["2001.00001", "openalex:W9"]);
        assert_eq!(a.abstract_text.as_deref(), Some("Hello world again world"));
        assert_eq!(a.venue.as_deref(), Some("Nature"));
        assert_eq!(p.entries[1].id, "2001.00001");
        assert_eq!(p.skipped.len(), 1);
    }

    #[test]
    fn reads_json_lines_and_reports_bad_lines() {
        let text = "{\"id\":\"https://openalex.org/W5\",\"title\":\"Five\"}\n{broken\n";
        let p = parse(Path::new("w.jsonl"), text).unwrap();
        assert_eq!(p.entries.len(), 1);
        assert_eq!(p.entries[0].id, "openalex:W5");
        assert_eq!(p.skipped[0].pos.line, 2);
    }
}

//! Semantic Scholar: Graph API responses saved as JSON (a paper, a batch
//! of papers, pages of a paper's citations or references, or their items
//! one per line) and the Datasets API's `papers`, `citations`,
//! `abstracts` and `tldrs` JSON lines. Several files are read as one
//! input, so a citations file can name papers a papers file describes.
//!
//! A citation keeps what Semantic Scholar says of it: the citing
//! sentences (`contexts`), the intents (mapped to a role later, by the
//! site's `citations.intents`) and `isInfluential`. A citations or
//! references page does not name the paper it belongs to; `--of` does.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{choose_id, About, Citation, Entry, Origin, Parsed};
use crate::diag::{Diagnostic, Pos};
use crate::error::{Error, Result};

/// What imported citations say they came from (`source: s2`).
pub const SOURCE: &str = "s2";

/// A paper as Semantic Scholar identifies it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ids {
    pub arxiv: Option<String>,
    pub doi: Option<String>,
    pub corpus: Option<String>,
    pub paper_id: Option<String>,
}

impl Ids {
    /// The paper `--of` names, in any form the API takes: `arXiv:…`,
    /// `DOI:…`, `CorpusId:…` or a paperId.
    pub fn parse(of: &str) -> Result<Ids> {
        let of = of.trim();
        let (prefix, rest) = of.split_once(':').unwrap_or(("", of));
        let rest = rest.trim().to_string();
        let ids = match prefix.to_ascii_lowercase().as_str() {
            "arxiv" => Ids {
                arxiv: Some(rest),
                ..Ids::default()
            },
            "doi" => Ids {
                doi: Some(super::bare_doi(&rest)),
                ..Ids::default()
            },
            "corpusid" => Ids {
                corpus: Some(rest),
                ..Ids::default()
            },
            "" if rest.len() == 40 && rest.bytes().all(|b| b.is_ascii_hexdigit()) => Ids {
                paper_id: Some(rest),
                ..Ids::default()
            },
            _ => {
                return Err(Error::usage(
                    format!("`{of}` is not a paper id Semantic Scholar takes"),
                    "write it as arXiv:1911.03030, DOI:10.18653/v1/N18-3011, CorpusId:215416146 or a 40-character paperId",
                ))
            }
        };
        Ok(ids)
    }

    /// The id as the API's paper endpoints take it.
    pub fn api_form(&self) -> String {
        if let Some(p) = &self.paper_id {
            p.clone()
        } else if let Some(a) = &self.arxiv {
            format!("arXiv:{a}")
        } else if let Some(d) = &self.doi {
            format!("DOI:{d}")
        } else {
            format!("CorpusId:{}", self.corpus.as_deref().unwrap_or_default())
        }
    }

    /// A paper object's ids (API or Datasets spelling).
    fn of_paper(p: &Value) -> Ids {
        let ext = if p["externalIds"].is_object() {
            &p["externalIds"]
        } else {
            &p["externalids"]
        };
        let text = |v: &Value| match v {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        Ids {
            arxiv: text(&ext["ArXiv"]),
            doi: text(&ext["DOI"]),
            corpus: text(&ext["CorpusId"])
                .or_else(|| text(&p["corpusId"]))
                .or_else(|| text(&p["corpusid"])),
            paper_id: text(&p["paperId"]),
        }
    }

    /// The record id: arXiv id, else DOI, else `s2:` and the corpus id or
    /// paperId; `None` for a reference Semantic Scholar could not resolve.
    fn record_id(&self) -> Option<String> {
        let fallback = match (&self.corpus, &self.paper_id) {
            (Some(c), _) => format!("s2:{c}"),
            (None, Some(p)) => format!("s2:{p}"),
            (None, None) if self.arxiv.is_none() && self.doi.is_none() => return None,
            (None, None) => String::new(),
        };
        Some(choose_id(
            self.arxiv.as_deref(),
            self.doi.as_deref(),
            &fallback,
        ))
    }

    /// The keys a paper is known by, normalised: each names one paper.
    fn keys(&self) -> Vec<String> {
        let mut keys = Vec::with_capacity(4);
        if let Some(p) = &self.paper_id {
            keys.push(format!("paper:{}", p.to_lowercase()));
        }
        if let Some(c) = &self.corpus {
            keys.push(format!("corpus:{c}"));
        }
        if let Some(d) = &self.doi {
            keys.push(format!("doi:{}", d.to_lowercase()));
        }
        if let Some(a) = &self.arxiv {
            keys.push(format!("arxiv:{}", crate::export::strip_version(a)));
        }
        keys
    }

    /// Whether both name the same paper.
    fn same(&self, other: &Ids) -> bool {
        let theirs = other.keys();
        self.keys().iter().any(|k| theirs.contains(k))
    }
}

/// One thing read from a file, with where it is.
enum Item {
    /// A paper object (Graph API or Datasets `papers`).
    Paper(Value),
    /// An item of a citations page (`citingPaper`) or of a references page
    /// (`citedPaper`).
    Edge(Value),
    /// A Datasets `citations` line.
    DatasetCitation(Value),
    /// A Datasets `abstracts` or `tldrs` line: text for a paper of the
    /// input, by corpus id.
    DatasetText(Value),
}

/// Reads `files` as one input; `of` names the paper their citations or
/// references pages belong to.
pub fn parse(files: &[(PathBuf, String)], of: Option<&str>) -> Result<Parsed> {
    let mut parsed = Parsed {
        source: Some(SOURCE),
        ..Parsed::default()
    };
    let mut items: Vec<(Origin, Item)> = Vec::new();
    for (path, text) in files {
        read_file(path, text, &mut items, &mut parsed)?;
    }
    let mut target = of.map(Ids::parse).transpose()?;
    let mut b = Builder::default();
    // Papers first, so that citations can name them by their record ids.
    for (origin, item) in &items {
        if let Item::Paper(p) = item {
            match paper_entry(p, origin.clone()) {
                Some((ids, e)) => {
                    if let Some(t) = target.as_mut().filter(|t| t.same(&ids)) {
                        // The paper `--of` names, as its own file describes it.
                        *t = ids.clone();
                    }
                    b.add(&ids, e, false);
                }
                None => parsed.skipped.push(untitled(origin, files)),
            }
        }
    }
    for (_, item) in &items {
        if let Item::DatasetText(line) = item {
            b.add_text(line);
        }
    }
    let target = target.and_then(|t| {
        let id = b.id_of(&t).or_else(|| t.record_id())?;
        Some((t, id))
    });
    let mut unresolved = 0;
    let mut needs_of: Vec<PathBuf> = Vec::new();
    for (origin, item) in &items {
        let resolved = match (item, &target) {
            (Item::Paper(_) | Item::DatasetText(_), _) => true,
            (Item::Edge(_), None) => {
                if !needs_of.contains(&origin.file) {
                    needs_of.push(origin.file.clone());
                }
                true
            }
            (Item::Edge(edge), Some((t, tid))) => match b.add_edge(edge, origin, t, tid) {
                Ok(resolved) => resolved,
                Err(()) => {
                    parsed.skipped.push(untitled(origin, files));
                    true
                }
            },
            (Item::DatasetCitation(line), _) => b.add_dataset_citation(line, origin),
        };
        unresolved += usize::from(!resolved);
    }
    for file in needs_of {
        parsed.skipped.push(
            Diagnostic::new(&file, Pos::new(1, 1), format!("{} holds citations or references of a paper it does not name", file.display()))
                .hint("pass the paper with --of, e.g. `--of arXiv:1911.03030` (any id the API takes); the file was skipped"),
        );
    }
    if unresolved > 0 {
        parsed.notes.push(format!(
            "{unresolved} citation{} named no paper Semantic Scholar could resolve and {} left out",
            if unresolved == 1 { "" } else { "s" },
            if unresolved == 1 { "was" } else { "were" },
        ));
    }
    parsed.entries = b.entries;
    Ok(parsed)
}

impl Builder {
    /// A Datasets abstract or TLDR, for a paper of the input.
    fn add_text(&mut self, line: &Value) {
        let corpus = Ids {
            corpus: corpus_id(&line["corpusid"]),
            ..Ids::default()
        };
        let Some(i) = self.index_of(&corpus) else {
            return;
        };
        let e = &mut self.entries[i];
        let text = |v: &Value| {
            v.as_str()
                .filter(|s| !s.trim().is_empty())
                .map(str::to_string)
        };
        if let Some(a) = text(&line["abstract"]) {
            e.abstract_text.get_or_insert(a);
        }
        if let Some(t) = text(&line["text"]) {
            e.summary.get_or_insert(t);
        }
    }

    /// An item of a citations page (a citing paper citing `target`, whose
    /// record id is `tid`) or of a references page (a paper `target`
    /// cites). False when the cited paper has no id; an error when the
    /// citing paper has no title.
    fn add_edge(
        &mut self,
        edge: &Value,
        origin: &Origin,
        target: &Ids,
        tid: &str,
    ) -> std::result::Result<bool, ()> {
        if let Some(citing) = edge.get("citingPaper") {
            let (ids, mut e) = paper_entry(citing, origin.clone()).ok_or(())?;
            e.cites.push(citation(edge, tid.to_string(), target, None));
            self.add(&ids, e, false);
            return Ok(true);
        }
        let cited = &edge["citedPaper"];
        let ids = Ids::of_paper(cited);
        let Some(id) = self.id_of(&ids).or_else(|| ids.record_id()) else {
            return Ok(false);
        };
        let c = citation(edge, id, &ids, about(cited));
        self.cite(target, tid, origin, c);
        Ok(true)
    }

    /// A Datasets `citations` line; false when it names no paper.
    fn add_dataset_citation(&mut self, line: &Value, origin: &Origin) -> bool {
        let (Some(citing), Some(cited)) = (
            corpus_id(&line["citingcorpusid"]),
            corpus_id(&line["citedcorpusid"]),
        ) else {
            return false;
        };
        let ids = |c: String| Ids {
            corpus: Some(c),
            ..Ids::default()
        };
        let (citing, cited) = (ids(citing), ids(cited));
        let citing_id = self.id_of(&citing).or_else(|| citing.record_id());
        let cited_id = self.id_of(&cited).or_else(|| cited.record_id());
        if let (Some(from), Some(to)) = (citing_id, cited_id) {
            let c = citation(line, to, &cited, None);
            self.cite(&citing, &from, origin, c);
        }
        true
    }
}

/// Splits one file into items: a JSON document (paper, batch, page) or
/// JSON lines.
fn read_file(
    path: &Path,
    text: &str,
    items: &mut Vec<(Origin, Item)>,
    parsed: &mut Parsed,
) -> Result<()> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(o)) if o.contains_key("data") => {
            let data = match o.get("data") {
                Some(Value::Array(d)) => d.clone(),
                _ => Vec::new(),
            };
            let key = if data.iter().any(|d| d.get("citingPaper").is_some()) {
                "\"citingPaper\""
            } else {
                "\"citedPaper\""
            };
            let lines = lines_of(text, key, data.len());
            for (i, d) in data.into_iter().enumerate() {
                let origin = Origin::new(path, lines[i], format!("citation {}", i + 1));
                if d.get("citingPaper").is_some() || d.get("citedPaper").is_some() {
                    items.push((origin, Item::Edge(d)));
                } else {
                    parsed.skipped.push(
                        Diagnostic::new(path, Pos::new(lines[i], 1), format!("item {} of the page names no paper", i + 1))
                            .hint("a citations page's items hold `citingPaper`, a references page's `citedPaper`; ask for paper fields such as `title`")
                            .source(text),
                    );
                }
            }
        }
        Ok(Value::Object(o)) if o.contains_key("error") || o.contains_key("message") => {
            let said = o
                .get("error")
                .or(o.get("message"))
                .map(|m| m.as_str().map_or(m.to_string(), str::to_string))
                .unwrap_or_default();
            return Err(Error::usage(
                format!("{} is an error response from Semantic Scholar: {said}", path.display()),
                "save a successful response (a paper, a batch, or a citations or references page) and import that",
            ));
        }
        Ok(v @ Value::Object(_)) => {
            items.push((Origin::new(path, 1, name_of(&v, 1)), classify(v)));
        }
        Ok(Value::Array(list)) => {
            // A batch: unknown ids come back as null in their place.
            let papers = list.iter().filter(|p| p.is_object()).count();
            let lines = lines_of(text, "\"paperId\"", papers);
            for (n, p) in list.into_iter().filter(Value::is_object).enumerate() {
                let line = lines[n];
                items.push((Origin::new(path, line, name_of(&p, n + 1)), Item::Paper(p)));
            }
        }
        Ok(_) => {
            return Err(Error::usage(
                format!("{} holds no Semantic Scholar paper or page", path.display()),
                "pass a /paper, /paper/batch, /citations or /references response, or Datasets JSON lines",
            ))
        }
        Err(_) => {
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let origin = |v: &Value| Origin::new(path, i + 1, name_of(v, i + 1));
                match serde_json::from_str::<Value>(line) {
                    Ok(v) if v.is_object() => items.push((origin(&v), classify(v))),
                    Ok(_) | Err(_) => parsed.skipped.push(
                        Diagnostic::new(path, Pos::new(i + 1, 1), format!("line {} is not a JSON object", i + 1))
                            .hint("pass one JSON document, or one paper or citation per line; the line was skipped")
                            .source(text),
                    ),
                }
            }
        }
    }
    Ok(())
}

/// What a JSON object of a file or a line is.
fn classify(v: Value) -> Item {
    if v.get("citingcorpusid").is_some() {
        Item::DatasetCitation(v)
    } else if v.get("citingPaper").is_some() || v.get("citedPaper").is_some() {
        Item::Edge(v)
    } else if v.get("corpusid").is_some() && v.get("title").is_none() {
        Item::DatasetText(v)
    } else {
        Item::Paper(v)
    }
}

/// A corpus id, written as a number (the API) or a string (Datasets).
fn corpus_id(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The line of each of the first `n` occurrences of `key` in `text`, so
/// that an item of a pretty-printed page is reported where it is; the
/// item's position when the key is not found once per item.
fn lines_of(text: &str, key: &str, n: usize) -> Vec<usize> {
    let (mut line, mut counted) = (1, 0);
    let found: Vec<usize> = text
        .match_indices(key)
        .map(|(at, _)| {
            line += memchr::memchr_iter(b'\n', &text.as_bytes()[counted..at]).count();
            counted = at;
            line
        })
        .collect();
    if found.len() == n {
        found
    } else {
        (1..=n).collect()
    }
}

fn name_of(v: &Value, n: usize) -> String {
    let ids = Ids::of_paper(v);
    ids.paper_id
        .or(ids.corpus.map(|c| format!("CorpusId:{c}")))
        .unwrap_or_else(|| format!("item {n}"))
}

fn untitled(origin: &Origin, files: &[(PathBuf, String)]) -> Diagnostic {
    let mut d = Diagnostic::new(
        &origin.file,
        Pos::new(origin.line, 1),
        format!("{} has no title or no id", origin.name),
    )
    .hint("ask for the fields `title` and `externalIds`; the paper was skipped");
    if let Some((_, text)) = files.iter().find(|(f, _)| *f == origin.file) {
        d = d.source(text);
    }
    d
}

/// A paper object as an entry, with its ids.
fn paper_entry(p: &Value, origin: Origin) -> Option<(Ids, Entry)> {
    let title = p["title"].as_str().filter(|t| !t.trim().is_empty())?;
    let ids = Ids::of_paper(p);
    let id = ids.record_id()?;
    let text = |v: &Value| {
        v.as_str()
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string)
    };
    let entry = Entry {
        id,
        title: title.to_string(),
        authors: names(&p["authors"]),
        year: p["year"].as_i64().and_then(|y| i32::try_from(y).ok()),
        date: text(&p["publicationDate"]).or_else(|| text(&p["publicationdate"])),
        venue: text(&p["venue"]).or_else(|| text(&p["journal"]["name"])),
        arxiv: ids.arxiv.clone(),
        doi: ids.doi.clone(),
        url: text(&p["url"]),
        pdf: text(&p["openAccessPdf"]["url"]),
        abstract_text: text(&p["abstract"]),
        summary: text(&p["tldr"]["text"]),
        origin,
        ..Entry::default()
    };
    Some((ids, entry))
}

fn names(authors: &Value) -> Vec<String> {
    authors
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|a| a["name"].as_str())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// What describes a cited paper that may have no record.
fn about(p: &Value) -> Option<About> {
    let title = p["title"].as_str().filter(|t| !t.trim().is_empty())?;
    Some(About {
        title: title.to_string(),
        authors: names(&p["authors"]),
        year: p["year"].as_i64().and_then(|y| i32::try_from(y).ok()),
        venue: p["venue"]
            .as_str()
            .filter(|v| !v.trim().is_empty())
            .map(str::to_string),
    })
}

/// A citation of work `id` (`ids`) as an edge item or a Datasets line
/// describes it. Intents come flat (`["methodology"]`), one list per
/// sentence (`[["background"], …]`) or with the sentences
/// (`contextsWithIntent`).
fn citation(edge: &Value, id: String, ids: &Ids, about: Option<About>) -> Citation {
    let mut contexts: Vec<String> = strings(&edge["contexts"]);
    let mut intents: Vec<String> = strings(&edge["intents"]);
    for c in edge["contextsWithIntent"].as_array().into_iter().flatten() {
        if let Some(t) = c["context"].as_str() {
            contexts.push(t.to_string());
        }
        intents.extend(strings(&c["intents"]));
    }
    let mut seen = std::collections::HashSet::new();
    intents.retain(|i| seen.insert(i.clone()));
    let influential = edge["isInfluential"]
        .as_bool()
        .or(edge["isinfluential"].as_bool())
        .unwrap_or(false);
    // Sentences are plain text; records hold Markdown.
    let contexts: Vec<String> = contexts.iter().map(|t| super::plain_markdown(t)).collect();
    Citation {
        id,
        doi: ids.doi.clone(),
        arxiv: ids.arxiv.clone(),
        intents,
        role: None,
        contexts,
        influential,
        about,
    }
}

/// Strings of a list, or of a list of lists.
fn strings(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for x in v.as_array().into_iter().flatten() {
        match x {
            Value::String(s) => out.push(s.clone()),
            Value::Array(_) => out.extend(strings(x)),
            _ => {}
        }
    }
    out
}

/// The entries being made, one per paper, in the order first seen.
#[derive(Default)]
struct Builder {
    entries: Vec<Entry>,
    /// Every id a paper was seen with ([`Ids::keys`] and its record id),
    /// to its entry.
    by_key: HashMap<String, usize>,
}

impl Builder {
    /// Adds paper `e`, or merges it into the entry it already has: the
    /// first description of a paper wins, citations add up. A paper never
    /// cites itself (Semantic Scholar has duplicates of a paper that share
    /// an id).
    fn add(&mut self, ids: &Ids, mut e: Entry, only_cites: bool) {
        let i = match self
            .index_of(ids)
            .or_else(|| self.by_key.get(&format!("id:{}", e.id)).copied())
        {
            Some(i) => {
                let have = &mut self.entries[i];
                if have.only_cites && !only_cites {
                    let cites = std::mem::take(&mut have.cites);
                    *have = e;
                    have.cites.splice(0..0, cites);
                } else {
                    for c in e.cites {
                        if !have.cites.iter().any(|h| h.id == c.id) {
                            have.cites.push(c);
                        }
                    }
                }
                i
            }
            None => {
                e.only_cites = only_cites;
                self.entries.push(e);
                self.entries.len() - 1
            }
        };
        let own = self.entries[i].id.clone();
        self.entries[i].cites.retain(|c| c.id != own);
        for k in ids.keys().into_iter().chain([format!("id:{own}")]) {
            self.by_key.entry(k).or_insert(i);
        }
    }

    /// Citation `c` by paper `ids` (record id `id`), which may be known
    /// only as a citing paper.
    fn cite(&mut self, ids: &Ids, id: &str, origin: &Origin, c: Citation) {
        let e = Entry {
            id: id.to_string(),
            arxiv: ids.arxiv.clone(),
            doi: ids.doi.clone(),
            cites: vec![c],
            origin: origin.clone(),
            ..Entry::default()
        };
        self.add(ids, e, true);
    }

    fn index_of(&self, ids: &Ids) -> Option<usize> {
        ids.keys().iter().find_map(|k| self.by_key.get(k).copied())
    }

    fn id_of(&self, ids: &Ids) -> Option<String> {
        self.index_of(ids).map(|i| self.entries[i].id.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(files: &[(&str, &str)], of: Option<&str>) -> Parsed {
        let files: Vec<(PathBuf, String)> = files
            .iter()
            .map(|(p, t)| (PathBuf::from(p), t.to_string()))
            .collect();
        parse(&files, of).unwrap()
    }

    #[test]
    fn a_citations_page_makes_citing_records_that_cite_the_paper() {
        let page = r#"{"offset": 0, "data": [
  {"contexts": ["As Beltagy et al. (2019) show."], "intents": ["methodology"], "isInfluential": true,
   "citingPaper": {"paperId": "aaa", "externalIds": {"ArXiv": "2001.00001", "CorpusId": 11},
     "title": "Citing one", "authors": [{"authorId": "1", "name": "Ada Lovelace"}], "year": 2020,
     "tldr": {"model": "tldr@v2.0.0", "text": "It cites."}}},
  {"contexts": [], "intents": [], "isInfluential": false,
   "citingPaper": {"paperId": "bbb", "externalIds": {"CorpusId": 12}, "title": "Citing two", "year": 2021}},
  {"contexts": [], "intents": [], "isInfluential": false, "citingPaper": {"paperId": null, "title": null}}
]}"#;
        let p = read(&[("c.json", page)], Some("arXiv:1911.03030"));
        assert_eq!(p.entries.len(), 2);
        let one = &p.entries[0];
        assert_eq!(
            (one.id.as_str(), one.summary.as_deref()),
            ("2001.00001", Some("It cites."))
        );
        let c = &one.cites[0];
        assert_eq!(c.id, "1911.03030");
        assert_eq!(c.intents, ["methodology"]);
        assert!(c.influential);
        assert_eq!(c.contexts, ["As Beltagy et al. (2019) show."]);
        // A citation that says nothing more stays a bare id.
        assert_eq!(p.entries[1].id, "s2:12");
        assert!(!p.entries[1].cites[0].has_details());
        assert_eq!(p.skipped.len(), 1);
        assert_eq!(p.skipped[0].pos.line, 8);
    }

    #[test]
    fn a_references_page_adds_to_the_paper_and_describes_what_it_cites() {
        let paper = r#"{"paperId": "ppp", "externalIds": {"DOI": "10.1/P", "CorpusId": 5}, "title": "The paper"}"#;
        let refs = r#"{"offset": 0, "data": [
  {"contexts": ["We follow [3]."], "intents": [["background"], ["methodology"]], "isInfluential": false,
   "citedPaper": {"paperId": "ccc", "externalIds": {"CorpusId": 7}, "title": "Cited", "year": 2018,
     "authors": [{"name": "B. Author"}]}},
  {"contexts": [], "citedPaper": {"paperId": null, "title": "Unresolved"}}
]}"#;
        let p = read(&[("p.json", paper), ("r.json", refs)], Some("DOI:10.1/p"));
        assert_eq!(p.entries.len(), 1);
        let e = &p.entries[0];
        assert_eq!((e.id.as_str(), e.only_cites), ("doi:10.1/P", false));
        let c = &e.cites[0];
        assert_eq!(c.id, "s2:7");
        assert_eq!(c.intents, ["background", "methodology"]);
        assert_eq!(c.about.as_ref().unwrap().title, "Cited");
        assert_eq!(p.notes.len(), 1);
    }

    #[test]
    fn pages_without_their_paper_are_skipped_with_a_hint() {
        let p = read(
            &[(
                "c.json",
                r#"{"offset":0,"data":[{"citingPaper":{"paperId":"a","title":"A"}}]}"#,
            )],
            None,
        );
        assert!(p.entries.is_empty());
        assert!(p.skipped[0].hint.as_deref().unwrap().contains("--of"));
    }

    #[test]
    fn datasets_lines_join_papers_and_citations_by_corpus_id() {
        let papers = "{\"corpusid\":1,\"externalids\":{\"ArXiv\":\"2101.00001\",\"DOI\":null,\"CorpusId\":\"1\"},\"title\":\"One\",\"authors\":[{\"authorId\":\"9\",\"name\":\"A. One\"}],\"year\":2021,\"venue\":\"\",\"publicationdate\":\"2021-01-05\"}\n\
                      {\"corpusid\":2,\"externalids\":{\"ArXiv\":null,\"DOI\":\"10.2/two\",\"CorpusId\":\"2\"},\"title\":\"Two\",\"year\":2019}\n";
        let cites = "{\"citingcorpusid\":\"1\",\"citedcorpusid\":\"2\",\"isinfluential\":true,\"contexts\":[\"See Two.\"],\"intents\":[\"result\"]}\n\
                     {\"citingcorpusid\":\"1\",\"citedcorpusid\":null,\"isinfluential\":false,\"contexts\":null,\"intents\":null}\n\
                     {\"citingcorpusid\":\"1\",\"citedcorpusid\":\"3\",\"isinfluential\":false,\"contexts\":null,\"intents\":null}\n";
        let texts = "{\"corpusid\":1,\"openaccessinfo\":{},\"abstract\":\"The abstract.\"}\n\
                     {\"corpusid\":\"1\",\"model\":\"tldr@v2.0.0\",\"text\":\"The TLDR.\"}\n";
        let files = [
            ("papers.jsonl", papers),
            ("citations.jsonl", cites),
            ("texts.jsonl", texts),
        ];
        let p = read(&files, None);
        assert_eq!(p.entries.len(), 2);
        let one = &p.entries[0];
        assert_eq!(one.abstract_text.as_deref(), Some("The abstract."));
        assert_eq!(one.summary.as_deref(), Some("The TLDR."));
        assert_eq!(
            (one.id.as_str(), one.date.as_deref()),
            ("2101.00001", Some("2021-01-05"))
        );
        let ids: Vec<&str> = one.cites.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["doi:10.2/two", "s2:3"]);
        assert!(one.cites[0].influential);
        assert_eq!(p.notes.len(), 1);
    }

    #[test]
    fn ids_in_every_form_the_api_takes() {
        assert_eq!(
            Ids::parse("arXiv:1911.03030").unwrap().api_form(),
            "arXiv:1911.03030"
        );
        assert_eq!(
            Ids::parse("doi:10.1/X").unwrap().doi.as_deref(),
            Some("10.1/X")
        );
        assert_eq!(
            Ids::parse("CorpusId:215416146").unwrap().api_form(),
            "CorpusId:215416146"
        );
        let sha = "649def34f8be52c8b66281af98ae884c09aef38b";
        assert_eq!(Ids::parse(sha).unwrap().api_form(), sha);
        assert!(Ids::parse("1911.03030").is_err());
    }

    #[test]
    fn an_error_response_is_an_error() {
        let files = vec![(
            PathBuf::from("e.json"),
            r#"{"error":"Paper not found"}"#.to_string(),
        )];
        let e = parse(&files, None).unwrap_err();
        assert!(e.to_string().contains("Paper not found"), "{e}");
    }
}

//! The citation graph as one JSON document: works and edges.

use serde::Serialize;

use super::push_json;
use crate::site::Site;

#[derive(Serialize)]
struct WorkJson<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    authors: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<i32>,
    has_record: bool,
    url: String,
}

#[derive(Serialize)]
struct EdgeJson<'a> {
    /// Position of the citing work in `works`.
    from: usize,
    /// Position of the cited work in `works`.
    to: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    polarity: Option<&'a str>,
}

/// `export/graph.json`: every work, and every citation with its role and
/// polarity, in a stable order (works by id, edges by citing paper):
/// `{"works": [...], "edges": [...]}`, where edges refer to works by their
/// position in `works`. Written item by item: at a million citations, a list of them all
/// beside the text would double the memory it takes.
pub fn graph_json(site: &Site) -> Vec<u8> {
    let g = &site.graph;
    let vocab = &site.config.citations;
    // Generous: capacity never written is never resident, while outgrowing
    // it would copy the whole document into one twice its size.
    let mut out = Vec::with_capacity(g.works.len() * 256 + g.edge_count * 64);
    out.extend_from_slice(b"{\"works\":[");
    for (i, w) in g.works.iter().enumerate() {
        let work = WorkJson {
            id: &w.id,
            title: &w.title,
            authors: &w.authors,
            year: w.year,
            has_record: w.paper.is_some(),
            url: site.config.absolute_url(&format!("papers/{}/", w.slug)),
        };
        push_json(&mut out, i == 0, &work);
    }
    out.extend_from_slice(b"],\"edges\":[");
    let mut first = true;
    for (w, work) in g.works.iter().enumerate() {
        let Some(p) = work.paper else { continue };
        for (cite, &to) in site.content.papers[p].cites.iter().zip(&g.targets[p]) {
            let edge = EdgeJson {
                from: w,
                to,
                role: cite.role.map(|r| vocab.roles[usize::from(r)].as_str()),
                polarity: cite
                    .polarity
                    .map(|r| vocab.polarities[usize::from(r)].as_str()),
            };
            push_json(&mut out, first, &edge);
            first = false;
        }
    }
    out.extend_from_slice(b"]}");
    out
}

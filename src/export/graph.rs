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
            url: site.config.absolute_url(&crate::urls::work(&w.slug)),
        };
        push_json(&mut out, i == 0, &work);
    }
    out.extend_from_slice(b"],\"edges\":[");
    // Edges are most of the document (2.5 million at 150,000 papers) and
    // all alike: written by hand, with the vocabulary escaped once.
    let quoted = |names: &[String]| -> Vec<String> {
        names
            .iter()
            .map(|n| serde_json::to_string(n).expect("a string serialises"))
            .collect()
    };
    let (roles, polarities) = (quoted(&vocab.roles), quoted(&vocab.polarities));
    let mut number = itoa::Buffer::new();
    let mut first = true;
    for (w, work) in g.works.iter().enumerate() {
        let Some(p) = work.paper else { continue };
        for (cite, &to) in site.content.papers[p].cites.iter().zip(&g.targets[p]) {
            out.extend_from_slice(if first { b"{\"from\":" } else { b",{\"from\":" });
            first = false;
            out.extend_from_slice(number.format(w).as_bytes());
            out.extend_from_slice(b",\"to\":");
            out.extend_from_slice(number.format(to).as_bytes());
            if let Some(r) = cite.role {
                out.extend_from_slice(b",\"role\":");
                out.extend_from_slice(roles[usize::from(r)].as_bytes());
            }
            if let Some(r) = cite.polarity {
                out.extend_from_slice(b",\"polarity\":");
                out.extend_from_slice(polarities[usize::from(r)].as_bytes());
            }
            out.push(b'}');
        }
    }
    out.extend_from_slice(b"]}");
    out
}

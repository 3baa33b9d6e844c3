//! CSL-JSON items, the input of citeproc processors (Pandoc, Zotero).

use serde::Serialize;

use super::{split_name, Kind, Reference};

/// A CSL-JSON item (the fields paperhub knows).
#[derive(Debug, Serialize)]
pub struct Csl<'a> {
    pub id: &'a str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub author: Vec<CslName<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued: Option<CslDate>,
    #[serde(rename = "container-title", skip_serializing_if = "Option::is_none")]
    pub container_title: Option<&'a str>,
    #[serde(rename = "DOI", skip_serializing_if = "Option::is_none")]
    pub doi: Option<&'a str>,
    #[serde(rename = "URL")]
    pub url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<&'static str>,
    #[serde(rename = "abstract", skip_serializing_if = "Option::is_none")]
    pub abstract_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
}

/// A CSL name: family and given parts, or a literal for a single word.
#[derive(Debug, Serialize)]
pub struct CslName<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub literal: Option<&'a str>,
}

/// A CSL date: `{"date-parts": [[2024, 2, 19]]}`.
#[derive(Debug, Serialize)]
pub struct CslDate {
    #[serde(rename = "date-parts")]
    pub date_parts: [Vec<i32>; 1],
}

/// The CSL-JSON item of a reference; its id is the citation key.
pub fn csl<'a>(r: &'a Reference) -> Csl<'a> {
    let parts = r.date_parts();
    Csl {
        id: r.key,
        kind: match r.kind {
            Kind::Article => "article-journal",
            Kind::Conference => "paper-conference",
            Kind::Preprint | Kind::Other => "article",
        },
        title: r.title,
        author: r
            .authors
            .iter()
            .map(|a| match split_name(a) {
                (family, Some(given)) => CslName {
                    family: Some(family),
                    given: Some(given),
                    literal: None,
                },
                (literal, None) => CslName {
                    family: None,
                    given: None,
                    literal: Some(literal),
                },
            })
            .collect(),
        issued: (!parts.is_empty()).then_some(CslDate {
            date_parts: [parts],
        }),
        container_title: r.venue,
        doi: r.doi,
        url: r.url.unwrap_or(&r.page),
        number: r.arxiv_id().map(|a| format!("arXiv:{a}")),
        publisher: (r.kind == Kind::Preprint).then_some("arXiv"),
        abstract_text: r.abstract_text,
        keyword: (!r.keywords.is_empty()).then(|| r.keywords.join(", ")),
    }
}

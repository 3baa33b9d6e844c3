//! Metadata indexers read from a work's page: Highwire Press tags (Google
//! Scholar), schema.org JSON-LD, and the links of the hub tools block.

use serde::Serialize;
use serde_json::{json, Value};

use super::Ctx;
use crate::export::Kind;

/// The hub tools block: cite this work, downloads, feed, JSON, permalink.
/// Links are absent when `outputs` in site.yaml turns their files off.
#[derive(Debug, Serialize)]
pub struct Tools {
    /// The work's BibTeX entry, shown for copying.
    pub bibtex: String,
    /// The BibTeX key, which names the downloaded files.
    pub key: String,
    /// `{"ris": …, "csl": …}`, script-safe, when there are no per-work
    /// files to link: the page's script makes the downloads from it.
    pub cite_data: Option<String>,
    pub cite_bib: Option<String>,
    pub cite_ris: Option<String>,
    pub cite_json: Option<String>,
    /// All citing papers as BibTeX, when there are any.
    pub citing_bib: Option<String>,
    /// The Atom feed of new citing papers, when there are any.
    pub feed: Option<String>,
    pub json: Option<String>,
    /// The page's absolute URL.
    pub permalink: String,
}

/// Highwire Press tags beyond title, authors and ids.
#[derive(Debug, Serialize)]
pub struct Scholar<'a> {
    /// `2024/02/19` or `2024`.
    pub date: Option<String>,
    pub journal: Option<String>,
    pub conference: Option<String>,
    pub arxiv_id: Option<String>,
    pub pdf: Option<String>,
    /// One `citation_reference` value per cited work.
    pub references: Vec<&'a str>,
}

impl<'a> Ctx<'a> {
    pub(super) fn tools(&self, w: usize) -> Tools {
        let work = &self.site.graph.works[w];
        let file = |name: &str| self.href(&format!("papers/{}/{name}", work.slug));
        let outputs = &self.site.config.outputs;
        let own = |name: &str| outputs.work_files.then(|| file(name));
        let hub = |name: &str| (outputs.hub_files && !work.cited_by.is_empty()).then(|| file(name));
        // Without the per-work files the page carries their text, and its
        // script offers the same downloads from it.
        let cite_data = (!outputs.work_files).then(|| {
            // Written field by field: the CSL item keeps its fields' order
            // (a map would sort them), so the download is the file's text.
            let r = self.reference(w);
            let ris = serde_json::to_string(&crate::export::ris(&r));
            let csl = serde_json::to_string(&crate::export::csl(&r));
            let data = format!(
                "{{\"ris\":{},\"csl\":{}}}",
                ris.expect("a string serialises"),
                csl.expect("plain data serialises")
            );
            script_safe(&data)
        });
        Tools {
            bibtex: self.bibtex(w).to_string(),
            key: self.keys[w].to_string(),
            cite_data,
            cite_bib: own("cite.bib"),
            cite_ris: own("cite.ris"),
            cite_json: own("cite.json"),
            citing_bib: hub("citing.bib"),
            feed: hub("feed.xml"),
            json: own("index.json"),
            permalink: self.work_url(w).to_string(),
        }
    }

    pub(super) fn scholar(&self, w: usize) -> Scholar<'a> {
        let site = self.site;
        let r = self.reference(w);
        let parts = r.date_parts();
        let date = (!parts.is_empty()).then(|| {
            parts
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    if i == 0 {
                        p.to_string()
                    } else {
                        format!("{p:02}")
                    }
                })
                .collect::<Vec<_>>()
                .join("/")
        });
        let references = site.graph.works[w]
            .paper
            .filter(|_| site.config.outputs.head_references)
            .map(|p| {
                site.graph.targets[p]
                    .iter()
                    .map(|&t| self.scholar_ref(t))
                    .collect()
            })
            .unwrap_or_default();
        Scholar {
            date,
            journal: r
                .venue
                .filter(|_| r.kind == Kind::Article)
                .map(str::to_string),
            conference: r
                .venue
                .filter(|_| r.kind == Kind::Conference)
                .map(str::to_string),
            arxiv_id: r.arxiv_id().map(str::to_string),
            pdf: r.pdf.map(str::to_string),
            references,
        }
    }

    /// The work as a schema.org ScholarlyArticle, with `<`, `>` and `&`
    /// escaped so that no string can end the script element around it.
    pub(super) fn json_ld(&self, w: usize) -> String {
        let site = self.site;
        let work = &site.graph.works[w];
        let r = self.reference(w);
        let page = self.work_url(w);
        let mut doc = json!({
            "@context": "https://schema.org",
            "@type": "ScholarlyArticle",
            "@id": page,
            "url": page,
            "headline": r.title,
            "name": r.title,
        });
        let obj = doc.as_object_mut().expect("an object");
        if !r.authors.is_empty() {
            let authors: Vec<Value> = r
                .authors
                .iter()
                .map(|a| json!({"@type": "Person", "name": a}))
                .collect();
            obj.insert("author".into(), authors.into());
        }
        if let Some(d) = r.date.map(str::to_string).or(r.year.map(|y| y.to_string())) {
            obj.insert("datePublished".into(), d.into());
        }
        if let Some(v) = r.venue {
            obj.insert(
                "isPartOf".into(),
                json!({"@type": "CreativeWork", "name": v}),
            );
        }
        // No `description`: the page's meta description carries the
        // summary, and search engines read it there.
        if !r.keywords.is_empty() {
            obj.insert("keywords".into(), r.keywords.into());
        }
        let mut ids = Vec::new();
        let mut same_as = Vec::new();
        if let Some(d) = r.doi {
            ids.push(json!({"@type": "PropertyValue", "propertyID": "DOI", "value": d}));
            same_as.push(format!("https://doi.org/{d}"));
        }
        if let Some(a) = r.arxiv_id() {
            ids.push(json!({"@type": "PropertyValue", "propertyID": "arXiv", "value": a}));
            same_as.push(format!("https://arxiv.org/abs/{a}"));
        }
        if !ids.is_empty() {
            obj.insert("identifier".into(), ids.into());
            obj.insert("sameAs".into(), same_as.into());
        }
        if let Some(pdf) = r.pdf {
            obj.insert(
                "encoding".into(),
                json!({"@type": "MediaObject", "encodingFormat": "application/pdf", "contentUrl": pdf}),
            );
        }
        let cited = match work.paper {
            Some(p) if site.config.outputs.head_references => &site.graph.targets[p][..],
            _ => &[][..],
        };
        if cited.is_empty() {
            return script_safe(&serde_json::to_string(&doc).expect("plain data serialises"));
        }
        self.with_citations(doc, cited)
    }

    /// `doc` with the works `cited` as its `citation` list. They are
    /// spliced in as text (each is serialised once per render, not once
    /// per paper citing it), where the sorted map puts the key: after
    /// `author`, before `datePublished`.
    fn with_citations(&self, mut doc: Value, cited: &[usize]) -> String {
        let obj = doc.as_object_mut().expect("an object");
        // Each part is made script-safe on its own (the cited works once,
        // in the memo): escaping is per character, so the whole is too.
        let later: Vec<String> = obj
            .keys()
            .filter(|k| k.as_str() > "citation")
            .cloned()
            .collect();
        let mut rest = serde_json::Map::new();
        for k in later {
            if let Some(v) = obj.remove(&k) {
                rest.insert(k, v);
            }
        }
        let mut head = serde_json::to_string(&doc).expect("plain data serialises");
        head.pop();
        let mut text = String::with_capacity(head.len() + 160 * cited.len() + 64);
        script_safe_into(&mut text, &head);
        text.push_str(",\"citation\":[");
        for (i, &t) in cited.iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            text.push_str(self.json_ld_ref(t));
        }
        text.push(']');
        if rest.is_empty() {
            text.push('}');
        } else {
            let rest = serde_json::to_string(&rest).expect("plain data serialises");
            text.push(',');
            script_safe_into(&mut text, &rest[1..]);
        }
        text
    }
}

/// Work `w` as the schema.org object a citing paper's JSON-LD lists,
/// script-safe.
pub(super) fn json_ld_citation(ctx: &Ctx, w: usize) -> String {
    let t = &ctx.site.graph.works[w];
    let doc = json!({
        "@type": "ScholarlyArticle",
        "name": t.title,
        "url": ctx.work_url(w),
    });
    script_safe(&serde_json::to_string(&doc).expect("plain data serialises"))
}

/// JSON with `<`, `>` and `&` escaped, so that no string in it can end
/// the script element around it.
fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    script_safe_into(&mut out, json);
    out
}

/// [`script_safe`], appending to `out`.
fn script_safe_into(out: &mut String, json: &str) {
    let mut start = 0;
    for (i, b) in json.bytes().enumerate() {
        let escaped = match b {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            b'&' => "\\u0026",
            _ => continue,
        };
        // ASCII bytes, so `i` is on a character boundary.
        out.push_str(&json[start..i]);
        out.push_str(escaped);
        start = i + 1;
    }
    out.push_str(&json[start..]);
}

/// A `citation_reference` value: `citation_title=…; citation_author=…`.
/// Semicolons separate the parts, so they are dropped from the values.
pub(super) fn citation_reference(w: &crate::graph::Work) -> String {
    let clean = |s: &str| s.replace(';', ",");
    let mut parts = vec![format!("citation_title={}", clean(&w.title))];
    parts.extend(
        w.authors
            .iter()
            .map(|a| format!("citation_author={}", clean(a))),
    );
    if let Some(y) = w.year {
        parts.push(format!("citation_publication_date={y}"));
    }
    if let Some(a) = w.id.strip_prefix("arXiv:").or_else(|| {
        // Bare new-style arXiv ids (2402.12345) are how most records cite.
        let digits = w.id.split('.').collect::<Vec<_>>();
        (digits.len() == 2
            && digits[0].len() == 4
            && digits.iter().all(|d| d.bytes().all(|b| b.is_ascii_digit())))
        .then_some(w.id.as_str())
    }) {
        parts.push(format!("citation_arxiv_id={a}"));
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_escapes_only_what_could_end_the_script() {
        assert_eq!(
            script_safe(r#"{"a":"</script><b>&amp; é"}"#),
            r#"{"a":"\u003c/script\u003e\u003cb\u003e\u0026amp; é"}"#
        );
        assert_eq!(script_safe("plain"), "plain");
    }
}

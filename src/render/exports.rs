//! The machine-readable files of a site: per-work citations (BibTeX, RIS,
//! CSL-JSON), a work's JSON twin, Atom feeds for the site, hubs and terms,
//! and the site-wide exports.

use serde::Serialize;

use super::items::Out;
use super::{atom_date, templates, CiteFormat, Ctx, ExportFile, FEED_ENTRIES, GENERATOR};
use crate::content::Review;
use crate::error::Result;
use crate::export::{self, Reference};

/// One entry of an Atom feed.
#[derive(Serialize)]
struct FeedEntry<'a> {
    title: &'a str,
    id: String,
    link: String,
    updated: String,
    authors: &'a [String],
    summary: Option<&'a str>,
}

/// The JSON twin of a work's page (`papers/<slug>/index.json`).
#[derive(Serialize)]
struct WorkJson<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    authors: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    venue: Option<&'a str>,
    /// The record as written, when the work has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<RecordJson<'a>>,
    counts: Counts<'a>,
    // Then, written by hand: `cited_by`, the papers citing this work in
    // representative order, and `cites`, the works this paper cites in
    // record order (each `{id, title, url, role?, polarity?, context?}`).
}

#[derive(Serialize)]
struct RecordJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    arxiv: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    doi: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pdf: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    categories: &'a [String],
    keywords: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    review: Option<&'a Review>,
    #[serde(skip_serializing_if = "serde_json::Value::is_null")]
    extra: &'a serde_json::Value,
}

#[derive(Serialize)]
struct Counts<'a> {
    cited_by: usize,
    cites: usize,
    /// Citations per role; `null` counts unclassified ones.
    roles: Vec<(Option<&'a str>, usize)>,
    /// Citations per polarity; `null` counts those still indexing.
    polarities: Vec<(Option<&'a str>, usize)>,
    /// Highly influential citations.
    influential: usize,
    per_year: &'a [(i32, usize)],
}

impl<'a> Ctx<'a> {
    /// The bibliographic data of work `w`.
    pub(super) fn reference(&self, w: usize) -> Reference<'a> {
        Reference::of(self.site, &self.site.graph.works[w], &self.keys[w])
    }

    pub(super) fn cite_file(&self, w: usize, format: CiteFormat) -> Vec<u8> {
        let r = self.reference(w);
        match format {
            CiteFormat::Bib => self.bibtex(w).as_bytes().to_vec(),
            CiteFormat::Ris => export::ris(&r).into_bytes(),
            CiteFormat::Csl => pretty_json(&[export::csl(&r)]),
        }
    }

    /// Every paper citing work `w`, as one BibTeX file.
    pub(super) fn citing_bib(&self, w: usize) -> Vec<u8> {
        let g = &self.site.graph;
        let entries = g.works[w]
            .cited_by
            .iter()
            .map(|e| self.bibtex(g.paper_work[e.from()]));
        let mut out = templates::spare(entries.clone().map(|b| b.len() + 1).sum());
        for entry in entries {
            out.extend_from_slice(entry.as_bytes());
            out.push(b'\n');
        }
        out
    }

    pub(super) fn export_file(&self, f: ExportFile) -> Vec<u8> {
        let site = self.site;
        let papers = site
            .indexes
            .newest
            .iter()
            .map(|&p| site.graph.paper_work[p]);
        match f {
            ExportFile::Bib => {
                // Sized first (the entries are memoised): at 150,000 papers
                // a growing string would hold two copies while it moves.
                let len = papers.clone().map(|w| self.bibtex(w).len() + 1).sum();
                let mut out = String::with_capacity(len);
                for w in papers {
                    out.push_str(self.bibtex(w));
                    out.push('\n');
                }
                out.into_bytes()
            }
            ExportFile::Csl => {
                // Item by item, as graph.json: no list of every paper.
                let mut out = Vec::with_capacity(site.content.papers.len() * 1024);
                out.push(b'[');
                for (i, w) in papers.enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    self.push_csl(&mut out, w);
                }
                out.extend_from_slice(b"]\n");
                out
            }
            ExportFile::Graph => export::graph_json(site),
        }
    }

    pub(super) fn work_json(&self, w: usize) -> Vec<u8> {
        let site = self.site;
        let g = &site.graph;
        let work = &g.works[w];
        let vocab = &site.config.citations;
        let p = work.paper.map(|i| &*site.content.papers[i]);
        let cites = p.map_or(0, |p| p.cites.len());
        let named = |names: &'a [String], counts: &[usize]| -> Vec<(Option<&'a str>, usize)> {
            names
                .iter()
                .map(|n| Some(n.as_str()))
                .chain([None])
                .zip(counts.iter().copied())
                .collect()
        };
        let doc = WorkJson {
            id: &work.id,
            url: self.work_url(w),
            title: &work.title,
            authors: &work.authors,
            year: work.year,
            venue: work.venue.as_deref(),
            record: p.map(|p| RecordJson {
                date: p.date.as_deref(),
                arxiv: p.arxiv.as_deref(),
                doi: p.doi.as_deref(),
                url: p.url.as_deref(),
                pdf: p.pdf.as_deref(),
                code: p.code.as_deref(),
                categories: &p.categories,
                keywords: &p.keywords,
                summary: p.summary.as_deref(),
                review: p.review.as_deref(),
                extra: &p.extra,
            }),
            counts: Counts {
                cited_by: work.cited_by.len(),
                cites,
                roles: named(&vocab.roles, &work.role_counts),
                polarities: named(&vocab.polarities, &work.polarity_counts),
                influential: work.influential,
                per_year: &work.per_year,
            },
        };
        // The edges name other works, each many times across the site:
        // their members are made once per work ([`Ctx::edge_head`]).
        let mut out = templates::spare((work.cited_by.len() + cites) * 160 + 1024);
        serde_json::to_writer(&mut out, &doc).expect("plain data serialises");
        out.pop(); // the closing brace: the edge lists follow
        out.extend_from_slice(b",\"cited_by\":[");
        for (i, e) in work.cited_by.iter().enumerate() {
            let cite = &site.content.papers[e.from()].cites[e.cite()];
            self.push_edge(&mut out, i, g.paper_work[e.from()], cite);
        }
        out.extend_from_slice(b"],\"cites\":[");
        if let Some(i) = work.paper {
            let edges = site.content.papers[i].cites.iter().zip(&g.targets[i]);
            for (n, (cite, &to)) in edges.enumerate() {
                self.push_edge(&mut out, n, to, cite);
            }
        }
        out.extend_from_slice(b"]}\n");
        out
    }

    /// Appends the `i`-th edge of a list: work `to`, with what `cite` says
    /// of the citation.
    fn push_edge(&self, out: &mut Vec<u8>, i: usize, to: usize, cite: &crate::content::Cite) {
        let vocab = &self.site.config.citations;
        if i > 0 {
            out.push(b',');
        }
        out.push(b'{');
        out.extend_from_slice(self.edge_head(to).as_bytes());
        let role = cite.role.map(|r| vocab.roles[usize::from(r)].as_str());
        let polarity = cite
            .polarity
            .map(|r| vocab.polarities[usize::from(r)].as_str());
        member(out, b",\"role\":", role);
        member(out, b",\"polarity\":", polarity);
        member(out, b",\"source\":", cite.source());
        // One sentence as `context`, as records write it; several as a list.
        match cite.contexts() {
            [] => {}
            [one] => member(out, b",\"context\":", Some(one)),
            many => member(out, b",\"contexts\":", Some(many)),
        }
        if cite.influential {
            out.extend_from_slice(b",\"influential\":true");
        }
        out.push(b'}');
    }

    /// An Atom feed of `papers` (newest first) at site path `path`, for the
    /// page at `alternate`.
    pub(super) fn feed(
        &self,
        path: &str,
        title: &str,
        alternate: &str,
        papers: impl Iterator<Item = usize>,
    ) -> Result<Vec<u8>> {
        let site = self.site;
        let entries: Vec<FeedEntry> = papers
            .take(FEED_ENTRIES)
            .map(|i| {
                let p = &site.content.papers[i];
                let w = &site.graph.works[site.graph.paper_work[i]];
                let path = crate::urls::work(&w.slug);
                FeedEntry {
                    title: &p.title,
                    id: self.tag_uri(&path),
                    link: site.config.absolute_url(&path),
                    updated: atom_date(p.date.as_deref(), p.year),
                    authors: &p.authors,
                    summary: p.summary.as_deref(),
                }
            })
            .collect();
        let updated = entries
            .iter()
            .map(|e| e.updated.clone())
            .max()
            .unwrap_or_else(|| atom_date(None, None));
        if self.native.feed {
            return Ok(self.native_feed(path, title, alternate, &entries, &updated));
        }
        let mut c = self.page_context(path, title);
        c.insert("entries", &entries);
        c.insert("updated", &updated);
        c.insert("feed_id", &self.tag_uri(path));
        c.insert("feed_title", title);
        c.insert("alternate", &site.config.absolute_url(alternate));
        self.engine.render("feed.xml", &c, path)
    }

    /// The built-in `feed.xml` as tera prints it, written directly: there
    /// is a feed per hub, and tera took a microsecond or more per value.
    fn native_feed(
        &self,
        path: &str,
        title: &str,
        alternate: &str,
        entries: &[FeedEntry],
        updated: &str,
    ) -> Vec<u8> {
        let config = &self.site.config;
        let mut o = Out::after(templates::spare(1024 + entries.len() * 1024));
        o.raw("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
            .raw("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"")
            .text(&config.language)
            .raw("\">\n  <title>")
            .text(title)
            .raw("</title>\n  ");
        if !config.description.is_empty() && title == config.title {
            o.raw("<subtitle>")
                .text(&config.description)
                .raw("</subtitle>");
        }
        o.raw("\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"")
            .text(&config.absolute_url(path))
            .raw("\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"")
            .text(&config.absolute_url(alternate))
            .raw("\"/>\n  <id>")
            .text(&self.tag_uri(path))
            .raw("</id>\n  <updated>")
            .text(updated)
            .raw("</updated>\n  <generator>")
            .text(GENERATOR)
            .raw("</generator>\n  ");
        for e in entries {
            o.raw("\n  <entry>\n    <title>")
                .text(e.title)
                .raw("</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"")
                .text(&e.link)
                .raw("\"/>\n    <id>")
                .text(&e.id)
                .raw("</id>\n    <updated>")
                .text(&e.updated)
                .raw("</updated>\n    ");
            let authors = if e.authors.is_empty() {
                std::slice::from_ref(&config.title)
            } else {
                e.authors
            };
            for a in authors {
                o.raw("<author><name>").text(a).raw("</name></author>");
            }
            o.raw("\n    ");
            if let Some(summary) = e.summary.filter(|s| !s.is_empty()) {
                o.raw("<summary>").text(summary).raw("</summary>");
            }
            o.raw("\n  </entry>\n  ");
        }
        o.raw("\n</feed>\n");
        o.into_bytes()
    }

    /// The papers citing work `w`, newest first.
    pub(super) fn citing_newest(&self, w: usize) -> Vec<usize> {
        let mut papers: Vec<usize> = self.site.graph.works[w]
            .cited_by
            .iter()
            .map(|e| e.from())
            .collect();
        papers.sort_unstable_by_key(|&p| self.newest_rank[p]);
        papers.dedup();
        papers
    }
}

/// For the small files people open to copy from.
fn pretty_json<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(value).expect("plain data serialises");
    out.push(b'\n');
    out
}

/// Appends `name` and `value` as JSON, when there is a value.
fn member(out: &mut Vec<u8>, name: &[u8], value: Option<impl Serialize>) {
    if let Some(value) = value {
        out.extend_from_slice(name);
        serde_json::to_writer(&mut *out, &value).expect("plain data serialises");
    }
}

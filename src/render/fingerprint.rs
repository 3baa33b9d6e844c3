//! Fingerprints of what each page reads: when a page's fingerprint is the
//! same as in the previous render, its HTML would be the same too, so an
//! incremental rebuild skips it.
//!
//! Each function here must cover every input of its page's view (see
//! `view.rs` and `Ctx::render`): config, the `site` global, the templates
//! the page's template extends or includes, and the records, works and
//! counts the view shows. A missed input makes a rebuild stale, which the
//! differential test (tests/it/watch.rs) exists to catch.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use super::{Ctx, Job, Stats};
use crate::index::TaxonomyKind;
use crate::theme::Theme;

/// What every page depends on, per template.
pub struct Global<'a> {
    base: u64,
    templates: &'a HashMap<String, u64>,
    /// What `start` begins with for each name jobs use, made once: a
    /// million files would otherwise each hash the name, the base and
    /// the template's hash with SipHash after looking the template up.
    seeds: rustc_hash::FxHashMap<&'static str, u64>,
}

/// The templates and file names [`of_job`] starts from.
const NAMES: [&str; 21] = [
    "index.html",
    "paper.html",
    "citing.html",
    "list.html",
    "hubs.html",
    "terms.html",
    "page.html",
    "alias.html",
    "search.html",
    "404.html",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    "cite.bib",
    "cite.ris",
    "cite.json",
    "index.json",
    "citing.bib",
    "export/papers.bib",
    "export/papers.json",
    "export/graph.json",
];

impl<'a> Global<'a> {
    pub fn new(config: u64, site_view: u64, templates: &'a HashMap<String, u64>) -> Global<'a> {
        let base = hash(&(config, site_view));
        let seed = |name: &str| hash(&(base, name, templates.get(name)));
        Global {
            base,
            templates,
            seeds: NAMES.iter().map(|&n| (n, seed(n))).collect(),
        }
    }

    fn start(&self, template: &str) -> DefaultHasher {
        let seed = match self.seeds.get(template) {
            Some(&seed) => seed,
            None => hash(&(self.base, template, self.templates.get(template))),
        };
        let mut h = DefaultHasher::new();
        seed.hash(&mut h);
        h
    }
}

/// Per-paper and per-work hashes that many pages share, computed once per
/// render so that a page's fingerprint hashes numbers, not strings.
pub struct Inputs {
    /// What a paper item in a list shows: the record, its URL, its count.
    pub(super) paper_item: Vec<u64>,
    /// What a work item in the hubs list shows.
    work_item: Vec<u64>,
    /// What a citation of a work shows (no count, so that a new citation
    /// of a popular work does not touch every page citing it).
    work_meta: Vec<u64>,
    /// What a work's BibTeX, RIS or CSL entry shows: its key, the work, and
    /// its record (a hub's citing.bib hashes one per citing paper).
    pub(super) reference: Vec<u64>,
}

impl Inputs {
    /// Inputs with these paper item and reference hashes (the others
    /// empty), for tests of what is keyed by them.
    #[cfg(test)]
    pub(super) fn with(paper_item: Vec<u64>, reference: Vec<u64>) -> Inputs {
        Inputs {
            paper_item,
            work_item: Vec::new(),
            work_meta: Vec::new(),
            reference,
        }
    }

    pub fn new(site: &crate::site::Site, keys: &[String]) -> Inputs {
        use rayon::prelude::*;
        let g = &site.graph;
        let paper_item = (0..site.content.papers.len())
            .into_par_iter()
            .map(|p| {
                let w = &g.works[g.paper_work[p]];
                hash(&(site.content.papers[p].hash, &w.slug, w.cited_by.len()))
            })
            .collect();
        let work_meta: Vec<u64> = g
            .works
            .par_iter()
            .map(|w| {
                hash(&(
                    &w.id,
                    &w.slug,
                    &w.title,
                    &w.authors,
                    w.year,
                    w.paper.is_some(),
                ))
            })
            .collect();
        let work_item = g
            .works
            .iter()
            .zip(&work_meta)
            .map(|(w, m)| hash(&(m, w.cited_by.len())))
            .collect();
        let reference = g
            .works
            .par_iter()
            .zip(&work_meta)
            .zip(keys)
            .map(|((work, meta), key)| {
                let record = work.paper.map(|p| site.content.papers[p].hash);
                hash(&(key, meta, &work.venue, record))
            })
            .collect();
        Inputs {
            paper_item,
            work_item,
            work_meta,
            reference,
        }
    }
}

pub fn hash<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

pub fn of_bytes(bytes: &[u8]) -> u64 {
    hash(bytes)
}

/// For values without `Hash` (the config holds JSON values): their debug
/// form is deterministic and covers every field.
pub fn of_debug<T: std::fmt::Debug>(value: &T) -> u64 {
    hash(&format!("{value:?}"))
}

pub fn of_json<T: serde::Serialize>(value: &T) -> u64 {
    hash(&serde_json::to_string(value).unwrap_or_default())
}

/// For each template, a hash of its source and of every template it
/// extends or includes, transitively. Themes that define tera components
/// can use them anywhere, so then every template depends on all of them.
pub fn template_hashes(theme: &Theme) -> HashMap<String, u64> {
    let sources: HashMap<&str, &str> = theme
        .templates
        .iter()
        .map(|t| (t.name.as_str(), t.source.as_ref()))
        .collect();
    let uses_components = sources
        .values()
        .any(|s| tags(s).any(|t| t.starts_with("component")));
    let all = hash(
        &theme
            .templates
            .iter()
            .map(|t| (&t.name, t.source.as_ref()))
            .collect::<Vec<_>>(),
    );
    sources
        .keys()
        .map(|&name| {
            if uses_components {
                return (name.to_string(), all);
            }
            let mut seen: HashSet<&str> = HashSet::new();
            let mut stack = vec![name];
            while let Some(t) = stack.pop() {
                if !seen.insert(t) {
                    continue;
                }
                if let Some(src) = sources.get(t) {
                    stack.extend(
                        referenced(src)
                            .into_iter()
                            .filter_map(|r| sources.get_key_value(r).map(|(k, _)| *k)),
                    );
                }
            }
            let mut closure: Vec<&str> = seen.into_iter().collect();
            closure.sort_unstable();
            let h = hash(
                &closure
                    .iter()
                    .map(|t| (t, sources.get(t)))
                    .collect::<Vec<_>>(),
            );
            (name.to_string(), h)
        })
        .collect()
}

/// The contents of every `{% ... %}` tag, without whitespace control.
fn tags(source: &str) -> impl Iterator<Item = &str> {
    source.split("{%").skip(1).map(|t| {
        t.split("%}")
            .next()
            .unwrap_or_default()
            .trim_start_matches('-')
            .trim_start()
    })
}

/// Template names a source refers to in `{% extends %}` and `{% include %}`.
fn referenced(source: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for tag in tags(source) {
        if tag.starts_with("extends") || tag.starts_with("include") {
            // Every quoted name: `include ["a.html", "b.html"]` lists several.
            for (i, part) in tag.split(['"', '\'', '`']).enumerate() {
                if i % 2 == 1 {
                    out.push(part);
                }
            }
        }
    }
    out
}

/// The fingerprint of a job's inputs; `None` would mean "compare the
/// rendered bytes instead" (no job needs that at present).
pub(super) fn of_job(ctx: &Ctx, global: &Global, inputs: &Inputs, job: &Job) -> Option<u64> {
    let site = ctx.site;
    let mut h = match job {
        Job::Home => global.start("index.html"),
        Job::Work(_) => global.start("paper.html"),
        Job::Citing(..) => global.start("citing.html"),
        Job::Papers(_) | Job::Term(..) => global.start("list.html"),
        Job::Hubs(_) => global.start("hubs.html"),
        Job::Terms(_) => global.start("terms.html"),
        Job::Page(_) => global.start("page.html"),
        Job::Alias(..) => global.start("alias.html"),
        Job::Search => global.start("search.html"),
        Job::NotFound => global.start("404.html"),
        Job::Feed => global.start("feed.xml"),
        Job::Sitemap => global.start("sitemap.xml"),
        Job::Robots => global.start("robots.txt"),
        Job::Cite(_, f) => global.start(f.file()),
        Job::WorkJson(_) => global.start("index.json"),
        Job::HubFeed(_) | Job::TermFeed(..) => global.start("feed.xml"),
        Job::CitingBib(_) => global.start("citing.bib"),
        Job::Export(f) => global.start(f.path()),
    };
    let paper_item = |p: usize, h: &mut DefaultHasher| inputs.paper_item[p].hash(h);
    let work_item = |w: usize, h: &mut DefaultHasher| inputs.work_item[w].hash(h);
    match job {
        Job::Home => {
            Stats::of(site).hash(&mut h);
            site.indexes
                .hubs
                .iter()
                .take(super::HOME_LIST)
                .for_each(|&w| work_item(w, &mut h));
            site.indexes
                .newest
                .iter()
                .take(super::HOME_LIST)
                .for_each(|&p| paper_item(p, &mut h));
        }
        Job::Search => Stats::of(site).hash(&mut h),
        Job::Work(w) => {
            let work = &site.graph.works[*w];
            // The hub tools show the work's BibTeX, which names its key.
            ctx.keys[*w].hash(&mut h);
            (inputs.work_meta[*w], &work.venue).hash(&mut h);
            match work.paper {
                Some(p) => {
                    let paper = &site.content.papers[p];
                    paper.hash.hash(&mut h);
                    // A citation shows its target's title, authors, year, URL.
                    for &t in &site.graph.targets[p] {
                        inputs.work_meta[t].hash(&mut h);
                    }
                }
                // A cited-only work links its authors when they have pages.
                None => {
                    let authors = site.indexes.taxonomy(TaxonomyKind::Authors);
                    for a in &work.authors {
                        authors
                            .find(&crate::slug::term_slug(a))
                            .is_some()
                            .hash(&mut h);
                    }
                }
            }
            // The hub block: the counts, the per-year chart, and the first
            // representative and explorer entries; later explorer pages and
            // the JSON of all entries have fingerprints of their own.
            (
                work.cited_by.len(),
                work.influential,
                &work.labelled_by,
                &work.role_counts,
                &work.polarity_counts,
                &work.per_year,
            )
                .hash(&mut h);
            let shown = site
                .config
                .hub
                .representative
                .max(site.config.hub.citing_per_page);
            for e in work.cited_by.iter().take(shown) {
                e.cite().hash(&mut h);
                paper_item(e.from(), &mut h);
            }
        }
        Job::Citing(w, pager) => {
            work_item(*w, &mut h);
            (pager.number, pager.total).hash(&mut h);
            for e in &site.graph.works[*w].cited_by[pager.start..pager.end] {
                e.cite().hash(&mut h);
                paper_item(e.from(), &mut h);
            }
        }
        Job::Papers(pager) => {
            (pager.number, pager.total, site.content.papers.len()).hash(&mut h);
            site.indexes.newest[pager.start..pager.end]
                .iter()
                .for_each(|&p| paper_item(p, &mut h));
        }
        Job::Hubs(pager) => {
            (pager.number, pager.total, site.indexes.hubs.len()).hash(&mut h);
            site.indexes.hubs[pager.start..pager.end]
                .iter()
                .for_each(|&w| work_item(w, &mut h));
        }
        Job::Terms(kind) => {
            for t in &site.indexes.taxonomy(*kind).terms {
                (&t.name, &t.slug, t.papers.len()).hash(&mut h);
            }
        }
        Job::Term(kind, i, pager) => {
            let tax = site.indexes.taxonomy(*kind);
            let term = &tax.terms[*i];
            (
                kind.path(),
                tax.terms.len(),
                &term.name,
                &term.slug,
                term.papers.len(),
            )
                .hash(&mut h);
            (pager.number, pager.total).hash(&mut h);
            term.papers[pager.start..pager.end]
                .iter()
                .for_each(|&p| paper_item(p, &mut h));
        }
        Job::Page(i) => {
            let p = &site.content.pages[*i];
            (
                &p.slug,
                &p.title,
                &p.description,
                &p.body_md,
                p.extra.to_string(),
            )
                .hash(&mut h);
        }
        Job::Alias(p, a) => {
            let paper = &site.content.papers[*p];
            let w = &site.graph.works[site.graph.paper_work[*p]];
            (&paper.aliases[*a], &paper.title, &w.slug).hash(&mut h);
        }
        Job::Feed => site
            .indexes
            .newest
            .iter()
            .take(super::FEED_ENTRIES)
            .for_each(|&p| paper_item(p, &mut h)),
        // Every page's URL, in sitemap order.
        Job::Sitemap => {
            (site.config.papers_per_page, site.config.hub.citing_per_page).hash(&mut h);
            for w in &site.graph.works {
                (&w.slug, w.cited_by.len()).hash(&mut h);
            }
            (site.content.papers.len(), site.indexes.hubs.len()).hash(&mut h);
            for t in &site.indexes.taxonomies {
                for term in &t.terms {
                    (&term.slug, term.papers.len()).hash(&mut h);
                }
            }
            site.content.pages.iter().for_each(|p| p.slug.hash(&mut h));
        }
        Job::Cite(w, _) => inputs.reference[*w].hash(&mut h),
        Job::WorkJson(w) => {
            let work = &site.graph.works[*w];
            inputs.reference[*w].hash(&mut h);
            for e in &work.cited_by {
                e.cite().hash(&mut h);
                paper_item(e.from(), &mut h);
            }
            if let Some(p) = work.paper {
                for &t in &site.graph.targets[p] {
                    inputs.work_meta[t].hash(&mut h);
                }
            }
            (
                &work.role_counts,
                &work.polarity_counts,
                work.influential,
                &work.per_year,
            )
                .hash(&mut h);
        }
        Job::HubFeed(w) => {
            inputs.work_meta[*w].hash(&mut h);
            for p in ctx
                .citing_newest(*w)
                .into_iter()
                .take(super::SMALL_FEED_ENTRIES)
            {
                paper_item(p, &mut h);
            }
        }
        Job::CitingBib(w) => {
            for e in &site.graph.works[*w].cited_by {
                inputs.reference[site.graph.paper_work[e.from()]].hash(&mut h);
            }
        }
        Job::TermFeed(kind, i) => {
            let term = &site.indexes.taxonomy(*kind).terms[*i];
            (&term.name, &term.slug).hash(&mut h);
            term.papers
                .iter()
                .take(super::SMALL_FEED_ENTRIES)
                .for_each(|&p| paper_item(p, &mut h));
        }
        Job::Export(super::ExportFile::Graph) => {
            inputs.work_meta.hash(&mut h);
            for (p, targets) in site.graph.targets.iter().enumerate() {
                (site.content.papers[p].hash, targets).hash(&mut h);
            }
        }
        Job::Export(_) => {
            for &p in &site.indexes.newest {
                inputs.reference[site.graph.paper_work[p]].hash(&mut h);
            }
        }
        Job::NotFound | Job::Robots => {}
    }
    Some(h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_extended_and_included_templates() {
        let src = r#"{% extends "base.html" %}{% block x %}{%- include "partials/a.html" %}{% include ["b.html", 'c.html'] %}{%include `d.html`%}{% endblock %}"#;
        assert_eq!(
            referenced(src),
            ["base.html", "partials/a.html", "b.html", "c.html", "d.html"]
        );
    }

    #[test]
    fn a_partial_changes_only_the_templates_using_it() {
        let mut theme = Theme::embedded();
        let before = template_hashes(&theme);
        let t = theme
            .templates
            .iter_mut()
            .find(|t| t.name == "partials/citing_item.html")
            .unwrap();
        t.source = format!("{}<!-- changed -->", t.source).into();
        let after = template_hashes(&theme);
        assert_ne!(before["paper.html"], after["paper.html"]);
        assert_eq!(before["list.html"], after["list.html"]);
        assert_eq!(before["base.html"], after["base.html"]);
    }
}

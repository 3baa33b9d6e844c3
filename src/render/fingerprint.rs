//! Fingerprints of what each page reads: when a page's fingerprint is the
//! same as in the previous render, its HTML would be the same too, so an
//! incremental rebuild skips it.
//!
//! Each function here must cover every input of its page's view (see
//! `view.rs` and each kind's `render` in `pages/`): config, the `site` global, the templates
//! the page's template extends or includes, and the records, works and
//! counts the view shows. A missed input makes a rebuild stale, which the
//! differential test (tests/it/watch.rs) exists to catch.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use super::tags;
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

/// The templates and file names fingerprints start from (see `pages/`).
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

    /// A hasher seeded with what every file made from `template` (or
    /// named so) depends on.
    pub(super) fn start(&self, template: &str) -> DefaultHasher {
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
    pub(super) work_meta: Vec<u64>,
    /// What a work's BibTeX, RIS or CSL entry shows: its key, the work, and
    /// its record (a hub's citing.bib hashes one per citing paper).
    pub(super) reference: Vec<u64>,
}

impl Inputs {
    /// Adds what paper `p`'s item in a list shows to `h`.
    pub(super) fn paper_item(&self, p: usize, h: &mut DefaultHasher) {
        self.paper_item[p].hash(h);
    }

    /// Adds what work `w`'s item in the hubs list shows to `h`.
    pub(super) fn work_item(&self, w: usize, h: &mut DefaultHasher) {
        self.work_item[w].hash(h);
    }

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
    closures(theme)
        .into_iter()
        .map(|(name, closure)| {
            let h = hash(
                &closure
                    .iter()
                    .map(|t| (t, sources.get(t.as_str())))
                    .collect::<Vec<_>>(),
            );
            (name, h)
        })
        .collect()
}

/// Each template with every template it extends or includes, itself
/// among them, sorted; every template of the theme where any uses
/// components (which can be called from anywhere).
pub fn closures(theme: &Theme) -> HashMap<String, Vec<String>> {
    let sources: HashMap<&str, &str> = theme
        .templates
        .iter()
        .map(|t| (t.name.as_str(), t.source.as_ref()))
        .collect();
    let uses_components = sources
        .values()
        .any(|s| tags::statements(s).any(|t| t.starts_with("component")));
    let mut all: Vec<String> = sources.keys().map(|k| k.to_string()).collect();
    all.sort_unstable();
    sources
        .keys()
        .map(|&name| {
            if uses_components {
                return (name.to_string(), all.clone());
            }
            let mut seen: HashSet<&str> = HashSet::new();
            let mut stack = vec![name];
            while let Some(t) = stack.pop() {
                if !seen.insert(t) {
                    continue;
                }
                if let Some(src) = sources.get(t) {
                    stack.extend(
                        tags::referenced(src)
                            .into_iter()
                            .filter_map(|r| sources.get_key_value(r).map(|(k, _)| *k)),
                    );
                }
            }
            let mut closure: Vec<String> = seen.into_iter().map(str::to_string).collect();
            closure.sort_unstable();
            (name.to_string(), closure)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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

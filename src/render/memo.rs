//! Text many files share, made once per render on first use: a work's
//! `citation_reference` tag and JSON-LD citation appear on the page of
//! every paper citing it, its BibTeX entry in its own files and in the
//! `citing.bib` of every work it cites, a paper's list item in the
//! `citing.json` of every large hub it cites; a work's title and authors
//! as template values in every list item that shows it. Watch and serve
//! carry the entries and items over to the next render ([`Carried`]).

use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashMap;
use tera::Value;

use super::fingerprint::Inputs;
use super::items::ItemText;
use super::Ctx;

/// Per-render memo, indexed like the site's works (and papers).
pub(super) struct Memo {
    /// By work: its title and authors as template values. Values share
    /// their text, so each list item clones a pointer instead of copying
    /// and later freeing the strings.
    work_values: Vec<OnceLock<WorkValues>>,
    /// By work: its title link and author list, escaped for native items.
    item_texts: Vec<OnceLock<ItemText>>,
    /// By paper: its summary as HTML, as a template value.
    summary_values: Vec<OnceLock<Value>>,
    /// By work: its page's absolute URL.
    work_urls: Vec<OnceLock<String>>,
    /// By work: its `id`, `title` and `url` as JSON members, for the edges
    /// of the `index.json` of every work it cites or is cited by.
    edge_heads: Vec<OnceLock<Box<str>>>,
    scholar_refs: Vec<OnceLock<String>>,
    json_ld_refs: Vec<OnceLock<String>>,
    bibtex: Vec<OnceLock<Arc<str>>>,
    /// By work: its CSL-JSON item, compact; only when carried.
    csl: Option<Vec<OnceLock<Arc<str>>>>,
}

impl Memo {
    /// Slots for `works` and `papers`; CSL-JSON items are kept only when
    /// the memo is to be `carried` to the next render.
    pub(super) fn new(works: usize, papers: usize, carried: bool) -> Memo {
        fn slots<T>(n: usize) -> Vec<OnceLock<T>> {
            (0..n).map(|_| OnceLock::new()).collect()
        }
        Memo {
            work_values: slots(works),
            item_texts: slots(works),
            summary_values: slots(papers),
            work_urls: slots(works),
            edge_heads: slots(works),
            scholar_refs: slots(works),
            json_ld_refs: slots(works),
            bibtex: slots(works),
            csl: carried.then(|| slots(works)),
        }
    }

    /// The text to hand to the next render: what this one made, and what
    /// `old` held that this one did not need but whose inputs are unchanged
    /// (a save that leaves `papers.bib` alone still keeps its entries).
    /// Entries of works and papers that are gone are dropped.
    pub(super) fn carry(self, inputs: &Inputs, mut old: Carried) -> Carried {
        fn keep(
            slots: Vec<OnceLock<Arc<str>>>,
            keys: &[u64],
            old: &mut FxHashMap<u64, Arc<str>>,
        ) -> FxHashMap<u64, Arc<str>> {
            slots
                .into_iter()
                .zip(keys)
                .filter_map(|(slot, &key)| {
                    Some((key, slot.into_inner().or_else(|| old.remove(&key))?))
                })
                .collect()
        }
        Carried {
            bibtex: keep(self.bibtex, &inputs.reference, &mut old.bibtex),
            csl: keep(
                self.csl.unwrap_or_default(),
                &inputs.reference,
                &mut old.csl,
            ),
        }
    }
}

/// Text one render made that the next can take over while its inputs hash
/// the same. A watch session keeps it between rebuilds: any save re-renders
/// the site-wide exports and the citing files of the hubs the paper cites,
/// which hold every paper's BibTeX and CSL-JSON entries, so remaking them
/// all was most of a save's time at 150,000 papers. A one-off build keeps
/// nothing (see [`super::Kept`]).
///
/// The keys are the hashes the files' fingerprints use, so a kept text is
/// stale exactly when a fingerprint would be, which the random-edit test
/// of watch checks. Like the fingerprints, they leave out the config: the
/// text is valid for the config its `Renderer` was made with, and a change
/// of `site.yaml` makes a new one.
#[derive(Default)]
pub struct Carried {
    /// By a work's reference hash ([`Inputs`]).
    bibtex: FxHashMap<u64, Arc<str>>,
    csl: FxHashMap<u64, Arc<str>>,
}

/// What list items show of a work, as template values.
pub struct WorkValues {
    pub title: Value,
    pub authors: Value,
}

impl<'a> Ctx<'a> {
    /// The absolute URL of work `w`'s page (exports list one per citation).
    pub(super) fn work_url(&self, w: usize) -> &'a str {
        self.memo.work_urls[w].get_or_init(|| {
            let slug = &self.site.graph.works[w].slug;
            self.site.config.absolute_url(&crate::urls::work(slug))
        })
    }

    /// Work `w`'s `"id":…,"title":…,"url":…` (JSON members, no braces).
    pub(super) fn edge_head(&self, w: usize) -> &'a str {
        self.memo.edge_heads[w].get_or_init(|| {
            let work = &self.site.graph.works[w];
            let mut out = String::with_capacity(work.title.len() + 64);
            let mut member = |name: &str, value: &str| {
                if !out.is_empty() {
                    out.push(',');
                }
                out.push('"');
                out.push_str(name);
                out.push_str("\":");
                out.push_str(&serde_json::to_string(value).expect("a string serialises"));
            };
            member("id", &work.id);
            member("title", &work.title);
            member("url", self.work_url(w));
            out.into()
        })
    }

    /// Work `w`'s title and authors as template values.
    pub(super) fn work_values(&self, w: usize) -> &'a WorkValues {
        self.memo.work_values[w].get_or_init(|| {
            let work = &self.site.graph.works[w];
            WorkValues {
                title: Value::from(work.title.as_str()),
                authors: Value::from(
                    work.authors
                        .iter()
                        .map(|a| Value::from(a.as_str()))
                        .collect::<Vec<_>>(),
                ),
            }
        })
    }

    /// Work `w`'s title link and author list as native list items show
    /// them.
    pub(super) fn item_text(&self, w: usize) -> &'a ItemText {
        self.memo.item_texts[w].get_or_init(|| {
            let values = self.work_values(w);
            ItemText::new(self.work_href(w), &values.title, &values.authors)
        })
    }

    /// Paper `p`'s summary as HTML, as a template value (`None` without
    /// a summary).
    pub(super) fn summary_value(&self, p: usize) -> Option<&'a Value> {
        let html = self.html[p].summary.as_deref()?;
        Some(self.memo.summary_values[p].get_or_init(|| Value::from(html)))
    }

    /// Work `w` as a Highwire `citation_reference` value.
    pub(super) fn scholar_ref(&self, w: usize) -> &'a str {
        self.memo.scholar_refs[w]
            .get_or_init(|| super::meta::citation_reference(&self.site.graph.works[w]))
    }

    /// Work `w` as a schema.org citation object, serialised and script-safe.
    pub(super) fn json_ld_ref(&self, w: usize) -> &'a str {
        self.memo.json_ld_refs[w].get_or_init(|| super::meta::json_ld_citation(self, w))
    }

    /// Work `w`'s BibTeX entry.
    pub(super) fn bibtex(&self, w: usize) -> &'a str {
        self.memo.bibtex[w].get_or_init(|| {
            match self.carried.bibtex.get(&self.inputs.reference[w]) {
                Some(text) => Arc::clone(text),
                None => crate::export::bibtex(&self.reference(w)).into(),
            }
        })
    }

    /// Appends work `w`'s CSL-JSON item, compact. Kept only when the text
    /// is carried to the next render: a one-off build writes each item
    /// once, and holding them all would only raise its peak memory.
    pub(super) fn push_csl(&self, out: &mut Vec<u8>, w: usize) {
        let make = || match self.carried.csl.get(&self.inputs.reference[w]) {
            Some(text) => Arc::clone(text),
            None => serde_json::to_string(&crate::export::csl(&self.reference(w)))
                .expect("plain data serialises")
                .into(),
        };
        match &self.memo.csl {
            Some(slots) => out.extend_from_slice(slots[w].get_or_init(make).as_bytes()),
            None => out.extend_from_slice(make().as_bytes()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(map: &FxHashMap<u64, Arc<str>>, key: u64) -> Option<&str> {
        map.get(&key).map(|t| &**t)
    }

    #[test]
    fn carried_text_is_kept_by_the_hash_of_its_inputs_while_they_exist() {
        // Two papers (item hashes 10, 11) and three works (reference
        // hashes 20, 21, 22).
        let inputs = Inputs::with(vec![10, 11], vec![20, 21, 22]);
        let memo = Memo::new(3, 2, true);
        // This render made work 0's entry and work 2's CSL item; it did
        // not need work 1's.
        memo.bibtex[0].set("@new{a}".into()).unwrap();
        memo.csl.as_ref().unwrap()[2].set("{c}".into()).unwrap();
        let mut old = Carried::default();
        old.bibtex.insert(20, "@old{a}".into());
        old.bibtex.insert(21, "@old{b}".into());
        // Inputs no work has any more: a changed or deleted record's.
        old.bibtex.insert(99, "@gone".into());

        let carried = memo.carry(&inputs, old);
        assert_eq!(text(&carried.bibtex, 20), Some("@new{a}"), "made now wins");
        assert_eq!(
            text(&carried.bibtex, 21),
            Some("@old{b}"),
            "unneeded, still valid"
        );
        assert_eq!(carried.bibtex.len(), 2, "nothing for work 2, nothing gone");
        assert_eq!(text(&carried.csl, 22), Some("{c}"));
        assert_eq!(carried.csl.len(), 1);

        // A one-off build's memo holds no CSL items to carry.
        let memo = Memo::new(3, 2, false);
        assert!(memo.csl.is_none());
        assert!(memo.carry(&inputs, Carried::default()).csl.is_empty());
    }
}

//! Text many files share, made once per render on first use: a work's
//! `citation_reference` tag and JSON-LD citation appear on the page of
//! every paper citing it, its BibTeX entry in its own files and in the
//! `citing.bib` of every work it cites.

use std::sync::OnceLock;

use super::Ctx;

/// Per-render memo, indexed like the site's works.
pub(super) struct Memo {
    scholar_refs: Vec<OnceLock<String>>,
    json_ld_refs: Vec<OnceLock<String>>,
    bibtex: Vec<OnceLock<String>>,
}

impl Memo {
    pub(super) fn new(works: usize) -> Memo {
        let slots = || (0..works).map(|_| OnceLock::new()).collect();
        Memo {
            scholar_refs: slots(),
            json_ld_refs: slots(),
            bibtex: slots(),
        }
    }
}

impl<'a> Ctx<'a> {
    /// Work `w` as a Highwire `citation_reference` value.
    pub(super) fn scholar_ref(&self, w: usize) -> &'a str {
        self.memo.scholar_refs[w]
            .get_or_init(|| super::meta::citation_reference(&self.site.graph.works[w]))
    }

    /// Work `w` as a schema.org citation object, serialised.
    pub(super) fn json_ld_ref(&self, w: usize) -> &'a str {
        self.memo.json_ld_refs[w].get_or_init(|| super::meta::json_ld_citation(self, w))
    }

    /// Work `w`'s BibTeX entry.
    pub(super) fn bibtex(&self, w: usize) -> &'a str {
        self.memo.bibtex[w].get_or_init(|| crate::export::bibtex(&self.reference(w)))
    }
}

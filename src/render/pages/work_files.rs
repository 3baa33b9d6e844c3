//! The files beside a work's page: its citation as BibTeX, RIS and
//! CSL-JSON (`outputs.work_files`), its JSON twin, and for a cited work
//! the feed and BibTeX of the papers citing it (`outputs.hub_files`).

use std::hash::{Hash, Hasher};

use super::super::fingerprint::{Global, Inputs};
use super::super::{CiteFormat, Ctx, SMALL_FEED_ENTRIES};
use super::Kind;
use crate::error::Result;
use crate::urls;

#[derive(Debug, Clone)]
pub enum Job {
    /// The work's citation as BibTeX, RIS or CSL-JSON.
    Cite(usize, CiteFormat),
    /// The work's JSON twin: the record, its edges and counts.
    Json(usize),
    /// The newest papers citing the work, as Atom.
    Feed(usize),
    /// Every paper citing the work, as BibTeX.
    CitingBib(usize),
}

impl Job {
    fn work(&self) -> usize {
        match *self {
            Job::Cite(w, _) | Job::Json(w) | Job::Feed(w) | Job::CitingBib(w) => w,
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Job::Cite(_, f) => f.file(),
            Job::Json(_) => "index.json",
            Job::Feed(_) => "feed.xml",
            Job::CitingBib(_) => "citing.bib",
        }
    }

    pub fn path(&self, ctx: &Ctx) -> String {
        urls::work_file(&ctx.site.graph.works[self.work()].slug, self.name())
    }

    pub fn kind(&self) -> Kind {
        match self {
            Job::Feed(_) => Kind::Feed,
            _ => Kind::WorkFile,
        }
    }

    pub fn fingerprint(&self, ctx: &Ctx, global: &Global, inputs: &Inputs) -> u64 {
        let site = ctx.site;
        let mut h = global.start(self.name());
        match *self {
            Job::Cite(w, _) => inputs.reference[w].hash(&mut h),
            Job::Json(w) => {
                let work = &site.graph.works[w];
                inputs.reference[w].hash(&mut h);
                for e in &work.cited_by {
                    e.cite().hash(&mut h);
                    inputs.paper_item(e.from(), &mut h);
                }
                if let Some(p) = work.paper {
                    for &t in &site.graph.targets[p] {
                        inputs.work_meta[t].hash(&mut h);
                    }
                }
                let counts = (&work.role_counts, &work.polarity_counts);
                (counts, work.influential, &work.per_year).hash(&mut h);
            }
            Job::Feed(w) => {
                inputs.work_meta[w].hash(&mut h);
                for p in ctx.citing_newest(w).into_iter().take(SMALL_FEED_ENTRIES) {
                    inputs.paper_item(p, &mut h);
                }
            }
            Job::CitingBib(w) => {
                for e in &site.graph.works[w].cited_by {
                    inputs.reference[site.graph.paper_work[e.from()]].hash(&mut h);
                }
            }
        }
        h.finish()
    }

    pub fn render(&self, ctx: &Ctx, path: &str) -> Result<Vec<u8>> {
        Ok(match *self {
            Job::Cite(w, f) => ctx.cite_file(w, f),
            Job::Json(w) => ctx.work_json(w),
            Job::Feed(w) => {
                let work = &ctx.site.graph.works[w];
                let title = format!("Papers citing {}", work.title);
                let papers = ctx.citing_newest(w).into_iter().take(SMALL_FEED_ENTRIES);
                ctx.feed(path, &title, &urls::work(&work.slug), papers)?
            }
            Job::CitingBib(w) => ctx.citing_bib(w),
        })
    }
}

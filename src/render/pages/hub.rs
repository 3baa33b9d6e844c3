//! A work's page, `papers/<slug>/`: its record (when it has one) and its
//! hub (who cites it, in what role, with what polarity, over which
//! years), and the pages 2.. of its citing papers.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use super::super::fingerprint::{Global, Inputs};
use super::super::view::Pagination;
use super::super::{insert_list, Ctx};
use super::Kind;
use crate::error::Result;
use crate::index::{Pager, TaxonomyKind};
use crate::urls;

#[derive(Debug, Clone)]
pub enum Job {
    /// The work's page.
    Page(usize),
    /// Page N ≥ 2 of the work's citing papers.
    Citing(usize, Pager),
}

impl Job {
    pub fn path(&self, ctx: &Ctx) -> String {
        urls::file(&self.dir(ctx))
    }

    fn dir(&self, ctx: &Ctx) -> String {
        match self {
            Job::Page(w) => urls::work(&ctx.site.graph.works[*w].slug),
            Job::Citing(w, p) => urls::paged(&urls::work(&ctx.site.graph.works[*w].slug), p.number),
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Job::Page(_) => Kind::WorkPage,
            Job::Citing(..) => Kind::CitingPage,
        }
    }

    pub fn fingerprint(&self, ctx: &Ctx, global: &Global, inputs: &Inputs) -> u64 {
        match self {
            Job::Page(w) => page_fingerprint(ctx, global, inputs, *w),
            Job::Citing(w, pager) => {
                let mut h = global.start("citing.html");
                inputs.work_item(*w, &mut h);
                (pager.number, pager.total).hash(&mut h);
                for e in &ctx.site.graph.works[*w].cited_by[pager.start..pager.end] {
                    e.cite().hash(&mut h);
                    inputs.paper_item(e.from(), &mut h);
                }
                h.finish()
            }
        }
    }

    pub fn render(&self, ctx: &Ctx, _path: &str) -> Result<Vec<u8>> {
        let dir = self.dir(ctx);
        match self {
            Job::Page(w) => {
                let work = &ctx.site.graph.works[*w];
                let mut c = ctx.page_context(&dir, &work.title);
                c.insert("paper", &ctx.work_page(*w));
                ctx.engine.render("paper.html", &c, &dir)
            }
            Job::Citing(w, pager) => {
                let work = &ctx.site.graph.works[*w];
                let base = urls::work(&work.slug);
                let title = format!("Papers citing {}", work.title);
                let mut c = ctx.page_context(&dir, &title);
                let (papers, html) = ctx.citing_items(
                    &work.cited_by[pager.start..pager.end],
                    pager.start + 1,
                    ctx.native.citing_page,
                );
                c.insert("work", &ctx.work_item(*w));
                insert_list(&mut c, "papers", &papers, html);
                let pagination = Pagination::new(ctx, &base, pager, work.cited_by.len());
                c.insert("pagination", &pagination);
                ctx.engine.render("citing.html", &c, &dir)
            }
        }
    }
}

/// What a work's page shows: its record and the targets of its citations,
/// or for a cited-only work its authors' pages; the hub's counts and its
/// first citing papers (later ones have pages of their own).
fn page_fingerprint(ctx: &Ctx, global: &Global, inputs: &Inputs, w: usize) -> u64 {
    let site = ctx.site;
    let work = &site.graph.works[w];
    let mut h: DefaultHasher = global.start("paper.html");
    // The hub tools show the work's BibTeX, which names its key.
    ctx.keys[w].hash(&mut h);
    (inputs.work_meta[w], &work.venue).hash(&mut h);
    match work.paper {
        Some(p) => {
            site.content.papers[p].hash.hash(&mut h);
            // A citation shows its target's title, authors, year, URL.
            for &t in &site.graph.targets[p] {
                inputs.work_meta[t].hash(&mut h);
            }
        }
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
    (
        work.cited_by.len(),
        work.influential,
        &work.labelled_by,
        &work.role_counts,
        &work.polarity_counts,
        &work.per_year,
    )
        .hash(&mut h);
    let hub = &site.config.hub;
    for e in work
        .cited_by
        .iter()
        .take(hub.representative.max(hub.citing_per_page))
    {
        e.cite().hash(&mut h);
        inputs.paper_item(e.from(), &mut h);
    }
    h.finish()
}

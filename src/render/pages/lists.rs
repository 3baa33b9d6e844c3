//! The lists: all papers and the most-cited works (paginated), each
//! taxonomy's index of terms, each term's papers (paginated) and, for the
//! taxonomies that have them, each term's feed.

use std::hash::{Hash, Hasher};

use super::super::fingerprint::{Global, Inputs};
use super::super::view::{Pagination, TaxonomyView, TermItem};
use super::super::{insert_list, Ctx, SMALL_FEED_ENTRIES};
use super::Kind;
use crate::error::Result;
use crate::index::{paginate, Pager, TaxonomyKind};
use crate::site::Site;
use crate::urls;

#[derive(Debug, Clone)]
pub enum Job {
    /// All papers, newest first.
    Papers(Pager),
    /// Works by number of citing papers.
    Hubs(Pager),
    /// A taxonomy's terms.
    Terms(TaxonomyKind),
    /// A term's papers.
    Term(TaxonomyKind, usize, Pager),
    /// A term's newest papers, as Atom.
    TermFeed(TaxonomyKind, usize),
}

/// Adds the list jobs of `site` to `jobs`.
pub fn jobs(site: &Site, jobs: &mut Vec<super::Job>) {
    let per_page = site.config.papers_per_page;
    let list = |j| super::Job::List(j);
    jobs.extend(
        paginate(site.content.papers.len(), per_page)
            .into_iter()
            .map(|p| list(Job::Papers(p))),
    );
    jobs.extend(
        paginate(site.indexes.hubs.len(), per_page)
            .into_iter()
            .map(|p| list(Job::Hubs(p))),
    );
    for t in &site.indexes.taxonomies {
        jobs.push(list(Job::Terms(t.kind)));
        for (i, term) in t.terms.iter().enumerate() {
            if t.kind.has_feeds() && site.config.outputs.term_feeds {
                jobs.push(list(Job::TermFeed(t.kind, i)));
            }
            let pages = paginate(term.papers.len(), per_page);
            jobs.extend(pages.into_iter().map(|p| list(Job::Term(t.kind, i, p))));
        }
    }
}

impl Job {
    /// The list's folder (its first page's, for pages 2..).
    fn base(&self, ctx: &Ctx) -> String {
        match self {
            Job::Papers(_) => urls::PAPERS.to_string(),
            Job::Hubs(_) => urls::HUBS.to_string(),
            Job::Terms(kind) => urls::terms(*kind),
            Job::Term(kind, i, _) | Job::TermFeed(kind, i) => {
                urls::term(*kind, &ctx.site.indexes.taxonomy(*kind).terms[*i].slug)
            }
        }
    }

    fn dir(&self, ctx: &Ctx) -> String {
        match self {
            Job::Papers(p) | Job::Hubs(p) | Job::Term(_, _, p) => {
                urls::paged(&self.base(ctx), p.number)
            }
            Job::Terms(_) | Job::TermFeed(..) => self.base(ctx),
        }
    }

    pub fn path(&self, ctx: &Ctx) -> String {
        match self {
            Job::TermFeed(..) => format!("{}{}", self.base(ctx), urls::FEED),
            _ => urls::file(&self.dir(ctx)),
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Job::TermFeed(..) => Kind::Feed,
            _ => Kind::List,
        }
    }

    pub fn fingerprint(&self, ctx: &Ctx, global: &Global, inputs: &Inputs) -> u64 {
        let site = ctx.site;
        let mut h = global.start(match self {
            Job::Papers(_) | Job::Term(..) => "list.html",
            Job::Hubs(_) => "hubs.html",
            Job::Terms(_) => "terms.html",
            Job::TermFeed(..) => "feed.xml",
        });
        match self {
            Job::Papers(pager) => {
                (pager.number, pager.total, site.content.papers.len()).hash(&mut h);
                for &p in &site.indexes.newest[pager.start..pager.end] {
                    inputs.paper_item(p, &mut h);
                }
            }
            Job::Hubs(pager) => {
                (pager.number, pager.total, site.indexes.hubs.len()).hash(&mut h);
                for &w in &site.indexes.hubs[pager.start..pager.end] {
                    inputs.work_item(w, &mut h);
                }
            }
            Job::Terms(kind) => {
                for t in &site.indexes.taxonomy(*kind).terms {
                    (&t.name, &t.slug, t.papers.len()).hash(&mut h);
                }
            }
            Job::Term(kind, i, pager) => {
                let tax = site.indexes.taxonomy(*kind);
                let term = &tax.terms[*i];
                let counts = (tax.terms.len(), term.papers.len());
                (kind.path(), counts, &term.name, &term.slug).hash(&mut h);
                (pager.number, pager.total).hash(&mut h);
                for &p in &term.papers[pager.start..pager.end] {
                    inputs.paper_item(p, &mut h);
                }
            }
            Job::TermFeed(kind, i) => {
                let term = &site.indexes.taxonomy(*kind).terms[*i];
                (&term.name, &term.slug).hash(&mut h);
                for &p in term.papers.iter().take(SMALL_FEED_ENTRIES) {
                    inputs.paper_item(p, &mut h);
                }
            }
        }
        h.finish()
    }

    pub fn render(&self, ctx: &Ctx, path: &str) -> Result<Vec<u8>> {
        let site = ctx.site;
        let (base, dir) = (self.base(ctx), self.dir(ctx));
        let (template, c) = match self {
            Job::Papers(pager) => {
                let mut c = ctx.page_context(&dir, "All papers");
                let newest = &site.indexes.newest[pager.start..pager.end];
                let (papers, html) = ctx.paper_items(newest, ctx.native.list, &dir)?;
                insert_list(&mut c, "papers", &papers, html);
                let count = site.content.papers.len();
                c.insert("pagination", &Pagination::new(ctx, &base, pager, count));
                c.insert("list_kind", "papers");
                ("list.html", c)
            }
            Job::Hubs(pager) => {
                let mut c = ctx.page_context(&dir, "Most-cited works");
                let items: Vec<_> = site.indexes.hubs[pager.start..pager.end]
                    .iter()
                    .map(|&w| ctx.work_item(w))
                    .collect();
                c.insert("works", &items);
                let count = site.indexes.hubs.len();
                c.insert("pagination", &Pagination::new(ctx, &base, pager, count));
                ("hubs.html", c)
            }
            Job::Terms(kind) => {
                let mut c = ctx.page_context(&dir, kind.title());
                let terms: Vec<TermItem> = site
                    .indexes
                    .taxonomy(*kind)
                    .terms
                    .iter()
                    .map(|t| TermItem {
                        name: &t.name,
                        href: ctx.href(&urls::term(*kind, &t.slug)),
                        count: t.papers.len(),
                    })
                    .collect();
                c.insert("taxonomy", &TaxonomyView::new(ctx, *kind));
                c.insert("terms", &terms);
                ("terms.html", c)
            }
            Job::Term(kind, i, pager) => {
                let term = &site.indexes.taxonomy(*kind).terms[*i];
                let mut c = ctx.page_context(&dir, &term.name);
                let shown = &term.papers[pager.start..pager.end];
                let (papers, html) = ctx.paper_items(shown, ctx.native.list, &dir)?;
                insert_list(&mut c, "papers", &papers, html);
                let count = term.papers.len();
                c.insert("pagination", &Pagination::new(ctx, &base, pager, count));
                c.insert("taxonomy", &TaxonomyView::new(ctx, *kind));
                let item = TermItem {
                    name: &term.name,
                    href: ctx.href(&base),
                    count,
                };
                c.insert("term", &item);
                c.insert("list_kind", kind.path());
                if kind.has_feeds() && site.config.outputs.term_feeds {
                    c.insert("term_feed", &ctx.href(&format!("{base}{}", urls::FEED)));
                }
                ("list.html", c)
            }
            Job::TermFeed(kind, i) => {
                let term = &site.indexes.taxonomy(*kind).terms[*i];
                let title = format!("{}: {}", kind.title(), term.name);
                let papers = term.papers.iter().copied().take(SMALL_FEED_ENTRIES);
                return ctx.feed(path, &title, &base, papers);
            }
        };
        ctx.engine.render(template, &c, &dir)
    }
}

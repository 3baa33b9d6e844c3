//! The site's own files: the home page, free pages, alias redirects, the
//! search page, 404, the site feed, the sitemap, robots.txt and the
//! site-wide exports under `export/`.

use std::hash::{Hash, Hasher};

use super::super::fingerprint::{Global, Inputs};
use super::super::{insert_list, Ctx, ExportFile, FreePage, Stats, FEED_ENTRIES, HOME_LIST};
use super::Kind;
use crate::error::Result;
use crate::index::paginate;
use crate::urls;

#[derive(Debug, Clone)]
pub enum Job {
    Home,
    /// A free page (`content/pages/`).
    Page(usize),
    /// Alias `.1` of paper `.0`: a redirect to its page.
    Alias(usize, usize),
    Search,
    NotFound,
    Feed,
    Sitemap,
    Robots,
    /// A site-wide export under `export/`.
    Export(ExportFile),
}

impl Job {
    pub fn path(&self, ctx: &Ctx) -> String {
        let site = ctx.site;
        match self {
            Job::Home => urls::file(urls::HOME),
            Job::Page(i) => urls::file(&urls::page(&site.content.pages[*i].slug)),
            Job::Alias(p, a) => crate::content::alias_path(&site.content.papers[*p].aliases[*a]),
            Job::Search => urls::file(urls::SEARCH),
            Job::NotFound => urls::NOT_FOUND.to_string(),
            Job::Feed => urls::FEED.to_string(),
            Job::Sitemap => urls::SITEMAP.to_string(),
            Job::Robots => urls::ROBOTS.to_string(),
            Job::Export(f) => f.path().to_string(),
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Job::Feed => Kind::Feed,
            Job::Export(_) => Kind::Export,
            _ => Kind::Other,
        }
    }

    fn template(&self) -> &'static str {
        match self {
            Job::Home => "index.html",
            Job::Page(_) => "page.html",
            Job::Alias(..) => "alias.html",
            Job::Search => "search.html",
            Job::NotFound => urls::NOT_FOUND,
            Job::Feed => urls::FEED,
            Job::Sitemap => urls::SITEMAP,
            Job::Robots => urls::ROBOTS,
            Job::Export(f) => f.path(),
        }
    }

    pub fn fingerprint(&self, ctx: &Ctx, global: &Global, inputs: &Inputs) -> u64 {
        let site = ctx.site;
        let mut h = global.start(self.template());
        match self {
            Job::Home => {
                Stats::of(site).hash(&mut h);
                for &w in site.indexes.hubs.iter().take(HOME_LIST) {
                    inputs.work_item(w, &mut h);
                }
                for &p in site.indexes.newest.iter().take(HOME_LIST) {
                    inputs.paper_item(p, &mut h);
                }
            }
            Job::Search => Stats::of(site).hash(&mut h),
            Job::Page(i) => {
                let p = &site.content.pages[*i];
                let text = (&p.title, &p.description, &p.body_md);
                (&p.slug, text, p.extra.to_string()).hash(&mut h);
            }
            Job::Alias(p, a) => {
                let paper = &site.content.papers[*p];
                let w = &site.graph.works[site.graph.paper_work[*p]];
                (&paper.aliases[*a], &paper.title, &w.slug).hash(&mut h);
            }
            Job::Feed => {
                for &p in site.indexes.newest.iter().take(FEED_ENTRIES) {
                    inputs.paper_item(p, &mut h);
                }
            }
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
            Job::Export(ExportFile::Graph) => {
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
        h.finish()
    }

    pub fn render(&self, ctx: &Ctx, path: &str) -> Result<Vec<u8>> {
        let site = ctx.site;
        let template = self.template();
        let c = match self {
            Job::Home => {
                let mut c = ctx.page_context(urls::HOME, &site.config.title);
                let hubs: Vec<_> = site
                    .indexes
                    .hubs
                    .iter()
                    .take(HOME_LIST)
                    .map(|&w| ctx.work_item(w))
                    .collect();
                let newest = &site.indexes.newest;
                let newest = &newest[..newest.len().min(HOME_LIST)];
                let (papers, html) = ctx.paper_items(newest, ctx.native.home, urls::HOME)?;
                c.insert("hubs", &hubs);
                insert_list(&mut c, "papers", &papers, html);
                c.insert("stats", &Stats::of(site));
                c
            }
            Job::Page(i) => {
                let page = &site.content.pages[*i];
                let mut c = ctx.page_context(&urls::page(&page.slug), &page.title);
                let free = FreePage {
                    title: &page.title,
                    description: page.description.as_deref(),
                    body_html: &ctx.pages_html[*i],
                    extra: &page.extra,
                };
                c.insert("page", &free);
                c
            }
            Job::Alias(p, _) => {
                let paper = &site.content.papers[*p];
                let w = site.graph.paper_work[*p];
                let mut c = ctx.page_context(&urls::work(&site.graph.works[w].slug), &paper.title);
                c.insert("target", ctx.work_href(w));
                c
            }
            Job::Search => {
                let mut c = ctx.page_context(urls::SEARCH, "Search");
                c.insert("stats", &Stats::of(site));
                c.insert("index", &ctx.href(urls::SEARCH_META));
                c
            }
            Job::NotFound => ctx.page_context(urls::NOT_FOUND, "Page not found"),
            Job::Feed => {
                let papers = site.indexes.newest.iter().copied();
                return ctx.feed(urls::FEED, &site.config.title, urls::HOME, papers);
            }
            Job::Sitemap => {
                let mut c = ctx.page_context(urls::SITEMAP, "Sitemap");
                c.insert("urls", &sitemap_urls(ctx));
                c
            }
            Job::Robots => {
                let mut c = ctx.page_context(urls::ROBOTS, "robots.txt");
                // Crawlers need an absolute sitemap URL; without a host there is none.
                let config = &site.config;
                let sitemap = config
                    .has_host()
                    .then(|| config.absolute_url(urls::SITEMAP));
                c.insert("sitemap", &sitemap);
                c
            }
            Job::Export(f) => return Ok(ctx.export_file(*f)),
        };
        // The error names the page, or the alias the record gives.
        let name = match self {
            Job::Alias(p, a) => site.content.papers[*p].aliases[*a].as_str(),
            Job::Home | Job::Page(_) | Job::Search => path.trim_end_matches("index.html"),
            _ => path,
        };
        ctx.engine.render(template, &c, name)
    }
}

/// The absolute URL of every page, in the order the sitemap lists them.
fn sitemap_urls(ctx: &Ctx) -> Vec<String> {
    let site = ctx.site;
    let mut paths: Vec<String> = vec![urls::HOME.into(), urls::SEARCH.into()];
    let mut list = |base: &str, len: usize, per_page: usize| {
        paths.extend(
            paginate(len, per_page)
                .iter()
                .map(|p| urls::paged(base, p.number)),
        );
    };
    for w in &site.graph.works {
        list(
            &urls::work(&w.slug),
            w.cited_by.len(),
            site.config.hub.citing_per_page,
        );
    }
    let per_page = site.config.papers_per_page;
    list(urls::PAPERS, site.content.papers.len(), per_page);
    list(urls::HUBS, site.indexes.hubs.len(), per_page);
    for t in &site.indexes.taxonomies {
        list(&urls::terms(t.kind), 1, per_page);
        for term in &t.terms {
            list(&urls::term(t.kind, &term.slug), term.papers.len(), per_page);
        }
    }
    paths.extend(site.content.pages.iter().map(|p| urls::page(&p.slug)));
    paths.iter().map(|p| site.config.absolute_url(p)).collect()
}

//! The files of a site, by kind. Each kind's module holds, side by side,
//! where its files go (`path`), what they read (`fingerprint`, see
//! `fingerprint.rs` for the shared parts) and how they are made
//! (`render`), so that a change to a page changes one place; [`Job`]
//! dispatches to them once.
//!
//! - `hub`: a work's page (its record and its hub) and the pages 2.. of
//!   its citing papers;
//! - `work_files`: the files beside a work's page (cite.*, index.json,
//!   feed.xml, citing.bib);
//! - `lists`: the papers and hubs lists, taxonomy indexes, term pages and
//!   their feeds;
//! - `site_files`: home, free pages, aliases, search, 404, the feed, the
//!   sitemap, robots.txt and the site-wide exports.

mod hub;
mod lists;
mod site_files;
mod work_files;

use super::fingerprint::{Global, Inputs};
use super::{CiteFormat, Ctx, ExportFile};
use crate::error::Result;
use crate::index::paginate;
use crate::site::Site;

/// One file to produce.
#[derive(Debug, Clone)]
pub enum Job {
    Hub(hub::Job),
    WorkFile(work_files::Job),
    List(lists::Job),
    Site(site_files::Job),
}

/// What kind of work a job is, for `--timings`.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    WorkPage,
    CitingPage,
    List,
    Feed,
    WorkFile,
    Export,
    Other,
    Write,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::WorkPage,
        Kind::CitingPage,
        Kind::List,
        Kind::Feed,
        Kind::WorkFile,
        Kind::Export,
        Kind::Other,
        Kind::Write,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::WorkPage => "work pages",
            Kind::CitingPage => "citing pages 2..",
            Kind::List => "lists and taxonomy pages",
            Kind::Feed => "feeds",
            Kind::WorkFile => "per-work files (cite.*, index.json, citing.bib)",
            Kind::Export => "site-wide exports",
            Kind::Other => "other pages",
            Kind::Write => "writing files",
        }
    }
}

impl Job {
    /// The site path of the file the job writes.
    pub fn path(&self, ctx: &Ctx) -> String {
        match self {
            Job::Hub(j) => j.path(ctx),
            Job::WorkFile(j) => j.path(ctx),
            Job::List(j) => j.path(ctx),
            Job::Site(j) => j.path(ctx),
        }
    }

    /// A hash of everything the file shows.
    pub fn fingerprint(&self, ctx: &Ctx, global: &Global, inputs: &Inputs) -> u64 {
        match self {
            Job::Hub(j) => j.fingerprint(ctx, global, inputs),
            Job::WorkFile(j) => j.fingerprint(ctx, global, inputs),
            Job::List(j) => j.fingerprint(ctx, global, inputs),
            Job::Site(j) => j.fingerprint(ctx, global, inputs),
        }
    }

    /// The file's bytes (links still from the site's root).
    pub fn render(&self, ctx: &Ctx, path: &str) -> Result<Vec<u8>> {
        match self {
            Job::Hub(j) => j.render(ctx, path),
            Job::WorkFile(j) => j.render(ctx, path),
            Job::List(j) => j.render(ctx, path),
            Job::Site(j) => j.render(ctx, path),
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Job::Hub(j) => j.kind(),
            Job::WorkFile(j) => j.kind(),
            Job::List(j) => j.kind(),
            Job::Site(j) => j.kind(),
        }
    }
}

/// Every file of `site`, in an order that spreads the large ones.
pub fn jobs(site: &Site) -> Vec<Job> {
    let per_page = site.config.papers_per_page;
    let outputs = &site.config.outputs;
    let per_hub = site.config.hub.citing_per_page;
    // A million jobs at 150,000 papers: reserved first (an upper bound),
    // so the list is not copied as it grows.
    let per_work = |work: &crate::graph::Work| {
        let citing_pages = work.cited_by.len().div_ceil(per_hub.max(1));
        1 + (CiteFormat::ALL.len() + 1) * usize::from(outputs.work_files)
            + 2 * usize::from(outputs.hub_files && !work.cited_by.is_empty())
            + if citing_pages > 1 { citing_pages } else { 0 }
    };
    let per_term = |term: &crate::index::Term| 2 + term.papers.len() / per_page.max(1);
    let lists = (site.content.papers.len() + site.indexes.hubs.len()) / per_page.max(1) + 2;
    let aliases: usize = site.content.papers.iter().map(|p| p.aliases.len()).sum();
    let mut jobs = Vec::with_capacity(
        16 + site.graph.works.iter().map(per_work).sum::<usize>()
            + site
                .indexes
                .taxonomies
                .iter()
                .map(|t| 1 + t.terms.iter().map(per_term).sum::<usize>())
                .sum::<usize>()
            + lists
            + site.content.pages.len()
            + aliases,
    );
    use site_files::Job as S;
    jobs.extend(
        [
            S::Home,
            S::Search,
            S::NotFound,
            S::Feed,
            S::Sitemap,
            S::Robots,
        ]
        .map(Job::Site),
    );
    if outputs.exports {
        jobs.extend(ExportFile::ALL.map(|f| Job::Site(S::Export(f))));
    }
    for (w, work) in site.graph.works.iter().enumerate() {
        jobs.push(Job::Hub(hub::Job::Page(w)));
        if outputs.work_files {
            let cite = |f| Job::WorkFile(work_files::Job::Cite(w, f));
            jobs.extend(CiteFormat::ALL.map(cite));
            jobs.push(Job::WorkFile(work_files::Job::Json(w)));
        }
        if outputs.hub_files && !work.cited_by.is_empty() {
            jobs.push(Job::WorkFile(work_files::Job::Feed(w)));
            jobs.push(Job::WorkFile(work_files::Job::CitingBib(w)));
        }
        let pages = paginate(work.cited_by.len(), per_hub);
        if pages.len() > 1 {
            let citing = |p| Job::Hub(hub::Job::Citing(w, p));
            jobs.extend(pages.into_iter().skip(1).map(citing));
        }
    }
    lists::jobs(site, &mut jobs);
    jobs.extend((0..site.content.pages.len()).map(|i| Job::Site(S::Page(i))));
    for (i, p) in site.content.papers.iter().enumerate() {
        jobs.extend((0..p.aliases.len()).map(|a| Job::Site(S::Alias(i, a))));
    }
    jobs
}

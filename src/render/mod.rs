//! Rendering: every page of the site from a loaded [`Site`] and a
//! [`Theme`]. A [`Renderer`] (compiled templates, Markdown settings) is made
//! once per theme and config; [`Renderer::prepare`] renders each paper's
//! Markdown once (in parallel, reusing a cache across rebuilds); then each
//! page is a job rendered in parallel and handed to a sink as soon as it is
//! done, so pages stream to disk instead of piling up in memory.
//!
//! Every job has a fingerprint of the inputs it reads (see
//! `fingerprint.rs`): given the fingerprints of the previous render, only
//! jobs whose inputs changed are rendered again. Runs after the site is
//! loaded; reads it, never changes it.

mod chart;
mod exports;
mod fingerprint;
mod items;
pub mod labels;
pub mod links;
mod memo;
mod mention;
mod meta;
mod search;
mod templates;
mod view;

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::config::Config;
use crate::content::Page;
use crate::error::Result;
use crate::index::{page_path, paginate, Pager, TaxonomyKind};
use crate::markdown::{highlight_stylesheet, Markdown};
use crate::site::Site;
use crate::theme::Theme;

pub use templates::Engine;
pub use view::PaperHtml;
use view::{Pagination, TaxonomyView, TermItem};

/// Where rendered files go: called with the site path (`papers/x/index.html`)
/// and the bytes, from many threads at once.
pub type Sink<'s> = &'s (dyn Fn(&str, &[u8]) -> Result<()> + Sync);

/// The fingerprint of each output file's inputs, by site path. Fx-hashed:
/// a rebuild looks every one of a million paths up in it.
pub type Fingerprints = rustc_hash::FxHashMap<String, u64>;

/// Rendered Markdown by record hash, kept between rebuilds.
pub type HtmlCache = HashMap<u64, Arc<PaperHtml>>;

/// How many hubs and papers the home page lists.
const HOME_LIST: usize = 10;
/// How many papers the feed carries.
const FEED_ENTRIES: usize = 50;
/// `site.generator`, as pages and feeds name paperhub.
const GENERATOR: &str = concat!("paperhub ", env!("CARGO_PKG_VERSION"));
/// How many papers a hub's or a term's feed carries: there is one per
/// hub and term, and readers only need the newest.
const SMALL_FEED_ENTRIES: usize = 20;

/// What a render did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Every file of the site with the fingerprint of its inputs. A list,
    /// not a map: a one-off build only saves it, and a million inserts into
    /// a map would be a serial half second at the end of a large build.
    pub files: Vec<(String, u64)>,
    /// Files handed to the sink (rendered because their inputs changed).
    pub rendered: usize,
    /// How many of `files` `previous` named: when it is all of those it
    /// named, no file is gone. Counted as the files are looked up anyway,
    /// so that a save of a large site looks each path up once.
    pub known: usize,
    /// Time spent building and writing the search index.
    pub search_index: std::time::Duration,
    /// Thread time spent rendering each kind of file (summed over threads,
    /// so it can exceed the wall time), and writing them all.
    pub thread_time: Vec<(&'static str, std::time::Duration)>,
    /// For each of `files`, whether it was handed to the sink: false when
    /// its inputs are unchanged since `previous`. Flags rather than a list
    /// of paths, so that a save of a large site copies no path.
    pub changed: Vec<bool>,
}

/// The Markdown of every paper and free page, rendered.
pub struct Prepared {
    html: Vec<Arc<PaperHtml>>,
    pages_html: Vec<String>,
}

impl Prepared {
    /// The rendered Markdown, by record hash, to seed the next rebuild's cache.
    pub fn cache(&self, site: &Site) -> HtmlCache {
        site.content
            .papers
            .iter()
            .zip(&self.html)
            .map(|(p, h)| (p.hash, Arc::clone(h)))
            .collect()
    }
}

/// Compiled templates and Markdown settings for one theme and config.
pub struct Renderer {
    engine: Engine,
    md: Markdown,
    /// Per template: a hash of it and every template it extends or includes.
    template_hashes: HashMap<String, u64>,
    /// Static files (the theme's and the highlight stylesheet), by site path.
    statics: Vec<(String, Vec<u8>)>,
    config_hash: u64,
    /// Whether to keep text made in a render for the next one.
    carry: bool,
    carried: memo::Carried,
    search_terms: search::TermCache,
    native: items::Native,
    /// With `PAPERHUB_VERIFY_SKIPS` set: the output folder, whose files a
    /// page skipped as unchanged must equal when rendered anyway.
    verify_skips: Option<std::path::PathBuf>,
}

/// Shared state of one render: the site, the pre-rendered Markdown and the
/// compiled templates.
pub struct Ctx<'a> {
    pub site: &'a Site,
    md: &'a Markdown,
    html: &'a [Arc<PaperHtml>],
    pages_html: &'a [String],
    engine: &'a Engine,
    base: String,
    /// The citation key of each work.
    keys: &'a [String],
    /// Each paper's position in the newest-first list.
    newest_rank: &'a [u32],
    memo: &'a memo::Memo,
    /// The previous render's text, to reuse where inputs are unchanged.
    carried: &'a memo::Carried,
    /// Hashes of what each paper's and work's items and entries show.
    inputs: &'a fingerprint::Inputs,
    /// The link to each work's page.
    work_hrefs: &'a [String],
    /// The link to each term's page, by taxonomy in [`TaxonomyKind::ALL`]
    /// order.
    term_hrefs: &'a [Vec<String>],
    /// Which lists are rendered natively rather than through their partial.
    native: items::Native,
}

impl Ctx<'_> {
    /// The link to a site path (`papers/x/`), with the base path in front.
    pub fn href(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// The link from the page at site path `page` to the site path `path`.
    pub fn link_from(&self, page: &str, path: &str) -> String {
        links::from_page(page, path, self.link_style())
    }

    fn link_style(&self) -> links::LinkStyle {
        links::LinkStyle {
            portable: self.site.config.portable,
        }
    }

    /// A rendered page with its internal links relative to it
    /// ([`links::relative`]); other files as they are.
    fn relative_links(&self, path: &str, bytes: Vec<u8>) -> Vec<u8> {
        // Hosts serve the not-found page at any address.
        if !path.ends_with(".html") || path == "404.html" {
            return bytes;
        }
        match std::str::from_utf8(&bytes) {
            Ok(html) => {
                let out = links::relative(html, path, &self.base, self.link_style()).into_bytes();
                templates::recycle(bytes);
                out
            }
            Err(_) => bytes,
        }
    }
}

/// One file to produce.
#[derive(Debug, Clone)]
enum Job {
    Home,
    Work(usize),
    /// Page N ≥ 2 of a work's citing papers.
    Citing(usize, Pager),
    Papers(Pager),
    Hubs(Pager),
    Terms(TaxonomyKind),
    Term(TaxonomyKind, usize, Pager),
    Page(usize),
    Alias(usize, usize),
    /// A work's citation as BibTeX, RIS or CSL-JSON.
    Cite(usize, CiteFormat),
    /// A work's JSON twin: the record, its edges and counts.
    WorkJson(usize),
    /// Newest papers citing a work, as Atom.
    HubFeed(usize),
    /// Every paper citing a work, as BibTeX.
    CitingBib(usize),
    /// Newest papers of a taxonomy term, as Atom.
    TermFeed(TaxonomyKind, usize),
    /// Site-wide exports under `export/`.
    Export(ExportFile),
    Search,
    NotFound,
    Feed,
    Sitemap,
    Robots,
}

/// What kind of work a job is, for `--timings`.
#[derive(Debug, Clone, Copy)]
enum Kind {
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
    const ALL: [Kind; 8] = [
        Kind::WorkPage,
        Kind::CitingPage,
        Kind::List,
        Kind::Feed,
        Kind::WorkFile,
        Kind::Export,
        Kind::Other,
        Kind::Write,
    ];

    fn name(self) -> &'static str {
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
    fn kind(&self) -> Kind {
        match self {
            Job::Work(_) => Kind::WorkPage,
            Job::Citing(..) => Kind::CitingPage,
            Job::Papers(_) | Job::Hubs(_) | Job::Terms(_) | Job::Term(..) => Kind::List,
            Job::Feed | Job::HubFeed(_) | Job::TermFeed(..) => Kind::Feed,
            Job::Cite(..) | Job::WorkJson(_) | Job::CitingBib(_) => Kind::WorkFile,
            Job::Export(_) => Kind::Export,
            Job::Home
            | Job::Page(_)
            | Job::Alias(..)
            | Job::Search
            | Job::NotFound
            | Job::Sitemap
            | Job::Robots => Kind::Other,
        }
    }
}

/// Thread time per [`Kind`], added to from many threads.
#[derive(Default)]
struct ThreadClock([std::sync::atomic::AtomicU64; Kind::ALL.len()]);

impl ThreadClock {
    fn add(&self, kind: Kind, started: std::time::Instant) {
        let nanos = started.elapsed().as_nanos() as u64;
        self.0[kind as usize].fetch_add(nanos, std::sync::atomic::Ordering::Relaxed);
    }

    fn report(&self) -> Vec<(&'static str, std::time::Duration)> {
        Kind::ALL
            .iter()
            .map(|&k| {
                let nanos = self.0[k as usize].load(std::sync::atomic::Ordering::Relaxed);
                (k.name(), std::time::Duration::from_nanos(nanos))
            })
            .filter(|(_, d)| !d.is_zero())
            .collect()
    }
}

/// The per-work citation files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum CiteFormat {
    Bib,
    Ris,
    Csl,
}

impl CiteFormat {
    const ALL: [CiteFormat; 3] = [CiteFormat::Bib, CiteFormat::Ris, CiteFormat::Csl];

    fn file(self) -> &'static str {
        match self {
            CiteFormat::Bib => "cite.bib",
            CiteFormat::Ris => "cite.ris",
            CiteFormat::Csl => "cite.json",
        }
    }
}

/// The site-wide export files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum ExportFile {
    /// Every paper with a record, as BibTeX.
    Bib,
    /// Every paper with a record, as CSL-JSON.
    Csl,
    /// Every work and citation.
    Graph,
}

impl ExportFile {
    const ALL: [ExportFile; 3] = [ExportFile::Bib, ExportFile::Csl, ExportFile::Graph];

    fn path(self) -> &'static str {
        match self {
            ExportFile::Bib => "export/papers.bib",
            ExportFile::Csl => "export/papers.json",
            ExportFile::Graph => "export/graph.json",
        }
    }
}

/// The site-wide values every template gets as `site`. Counts that change
/// with every added paper are not here but in `stats` (home and search
/// pages only), so adding a paper does not change every page.
#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: &'a str,
    /// The path prefix of every link (`/` or `/hub/`).
    root: String,
    roles: &'a [String],
    polarities: &'a [String],
    taxonomies: Vec<TaxonomyLink>,
    pages: Vec<view::Link<'a>>,
    extra: &'a serde_json::Value,
    generator: &'static str,
}

/// A taxonomy in the navigation.
#[derive(Serialize)]
struct TaxonomyLink {
    key: &'static str,
    title: &'static str,
    href: String,
}

/// Totals, for the home and search pages.
#[derive(Serialize, Hash)]
struct Stats {
    papers: usize,
    works: usize,
    hubs: usize,
    citations: usize,
    keywords: usize,
    categories: usize,
    authors: usize,
    years: usize,
}

impl Stats {
    fn of(site: &Site) -> Stats {
        let terms = |k| site.indexes.taxonomy(k).terms.len();
        Stats {
            papers: site.content.papers.len(),
            works: site.graph.works.len(),
            hubs: site.indexes.hubs.len(),
            citations: site.graph.edge_count,
            keywords: terms(TaxonomyKind::Keywords),
            categories: terms(TaxonomyKind::Categories),
            authors: terms(TaxonomyKind::Authors),
            years: terms(TaxonomyKind::Years),
        }
    }
}

impl Renderer {
    /// Compiles the theme's templates; errors name the template file.
    pub fn new(config: &Config, theme: &Theme) -> Result<Renderer> {
        let engine = Engine::new(theme)?;
        let md = Markdown::new(&config.markdown, &config.base_path());
        // The generated highlight stylesheet takes the place of a theme file
        // of the same name, so every output path has one source.
        let mut statics: Vec<(String, Vec<u8>)> = theme
            .statics
            .iter()
            .filter(|s| s.path != "highlight.css")
            .map(|s| (format!("static/{}", s.path), s.bytes.to_vec()))
            .collect();
        // Label colours come from the site's vocabularies: generated too,
        // into the same file, which every theme's pages already link.
        let mut generated = highlight_stylesheet(&config.markdown.highlight_theme);
        generated.push_str(&labels::stylesheet(&config.citations));
        statics.push(("static/highlight.css".to_string(), generated.into_bytes()));
        let template_hashes = fingerprint::template_hashes(theme);
        let native = items::Native::new(&template_hashes);
        Ok(Renderer {
            engine,
            md,
            template_hashes,
            statics,
            // Where the site and its output are changes no byte of it
            // (watch names them by absolute paths, build as given), and
            // leaving them out lets build and watch share a state.
            // What only imports read leaves the pages as they are.
            config_hash: fingerprint::of_debug(&Config {
                root: Default::default(),
                output_dir: Default::default(),
                import: Default::default(),
                citations: crate::config::CitationsConfig {
                    intents: None,
                    ..config.citations.clone()
                },
                ..config.clone()
            }),
            carry: false,
            carried: memo::Carried::default(),
            search_terms: search::TermCache::default(),
            native,
            verify_skips: std::env::var_os("PAPERHUB_VERIFY_SKIPS")
                .map(|_| config.output_dir.clone()),
        })
    }

    /// Keeps text a render makes for the next one to reuse where its inputs
    /// are unchanged (see [`memo::Carried`]): for watch and serve, which
    /// render the same site again and again.
    pub fn carry_between_renders(&mut self) {
        self.carry = true;
    }

    /// Renders the Markdown of every paper (reusing `cache` entries whose
    /// record is unchanged) and every free page.
    pub fn prepare(&self, site: &Site, cache: &HtmlCache) -> Prepared {
        let html = site
            .content
            .papers
            .par_iter()
            .map(|p| match cache.get(&p.hash) {
                Some(h) => Arc::clone(h),
                None => Arc::new(PaperHtml::render(&self.md, p)),
            })
            .collect();
        let pages_html = site
            .content
            .pages
            .par_iter()
            .map(|p| self.md.render(&p.body_md))
            .collect();
        Prepared { html, pages_html }
    }

    /// Renders every file whose fingerprint differs from `previous` (all of
    /// them when there is no previous render) into `sink`.
    pub fn render(
        &mut self,
        site: &Site,
        prepared: &Prepared,
        previous: Option<&Fingerprints>,
        sink: Sink,
    ) -> Result<Outcome> {
        let base = site.config.base_path();
        let site_view = SiteView {
            title: &site.config.title,
            description: &site.config.description,
            language: &site.config.language,
            base_url: &site.config.base_url,
            root: base.clone(),
            roles: &site.config.citations.roles,
            polarities: &site.config.citations.polarities,
            taxonomies: TaxonomyKind::ALL
                .iter()
                .map(|&k| TaxonomyLink {
                    key: k.path(),
                    title: k.title(),
                    href: format!("{base}{}/", k.path()),
                })
                .collect(),
            pages: site
                .content
                .pages
                .iter()
                .map(|p| view::Link {
                    name: &p.title,
                    href: Some(format!("{base}{}/", p.slug).into()),
                })
                .collect(),
            extra: &site.config.extra,
            generator: GENERATOR,
        };
        let global = fingerprint::Global::new(
            self.config_hash,
            fingerprint::of_json(&site_view),
            &self.template_hashes,
        );
        self.engine.set_global("site", &site_view);
        drop(site_view);

        let keys = crate::export::keys(&site.graph.works);
        let mut newest_rank = vec![0; site.content.papers.len()];
        for (rank, &p) in site.indexes.newest.iter().enumerate() {
            newest_rank[p] = rank as u32;
        }
        let memo = memo::Memo::new(
            site.graph.works.len(),
            site.content.papers.len(),
            self.carry,
        );
        let inputs = fingerprint::Inputs::new(site, &keys);
        let work_hrefs: Vec<String> = site
            .graph
            .works
            .par_iter()
            .map(|w| format!("{base}papers/{}/", w.slug))
            .collect();
        let term_hrefs: Vec<Vec<String>> = TaxonomyKind::ALL
            .iter()
            .map(|&kind| {
                site.indexes
                    .taxonomy(kind)
                    .terms
                    .par_iter()
                    .map(|t| format!("{base}{}/{}/", kind.path(), t.slug))
                    .collect()
            })
            .collect();
        let ctx = Ctx {
            work_hrefs: &work_hrefs,
            term_hrefs: &term_hrefs,
            memo: &memo,
            carried: &self.carried,
            inputs: &inputs,
            site,
            md: &self.md,
            html: &prepared.html,
            pages_html: &prepared.pages_html,
            engine: &self.engine,
            base,
            keys: &keys,
            newest_rank: &newest_rank,
            native: self.native,
        };
        let jobs = jobs(site);
        let clock = ThreadClock::default();
        self.engine.take_spent();
        // The search index is one long task: it runs beside the pages
        // rather than after them, so no core idles while it is built.
        let search_started = std::time::Instant::now();
        let search_terms = self.carry.then_some(&mut self.search_terms);
        let (results, (search, search_time)) = rayon::join(
            || {
                let skips = self.verify_skips.as_deref();
                render_jobs(&ctx, &jobs, &global, &inputs, previous, skips, sink, &clock)
            },
            || {
                // Written as soon as it is made, so the index is not held
                // in memory while the pages render.
                // Results show on the search page, one folder down.
                let search = search::files(
                    site,
                    |p| ctx.link_from("search/index.html", p),
                    search_terms,
                )
                .into_iter()
                .map(|(path, bytes)| write_if_changed(path, &bytes, previous, sink))
                .collect::<Vec<_>>();
                (search, search_started.elapsed())
            },
        );
        let mut thread_time = clock.report();
        thread_time.push((
            "template execution, within the kinds above",
            self.engine.take_spent(),
        ));
        let mut outcome = Outcome {
            thread_time,
            ..Outcome::default()
        };
        outcome
            .files
            .reserve(results.len() + self.statics.len() + search.len());
        outcome.changed.reserve(outcome.files.capacity());
        // Static files, like the search index, are compared by their bytes.
        let statics = self
            .statics
            .iter()
            .map(|(path, bytes)| write_if_changed(path.clone(), bytes, previous, sink));
        for r in results.into_iter().chain(search).chain(statics) {
            let (path, fp, rendered, known) = r?;
            outcome.rendered += usize::from(rendered);
            outcome.known += usize::from(known);
            outcome.changed.push(rendered);
            outcome.files.push((path, fp));
        }
        if self.carry {
            let old = std::mem::take(&mut self.carried);
            self.carried = memo.carry(&inputs, old);
        }
        outcome.search_index = search_time;
        Ok(outcome)
    }
}

/// Writes a file that is compared by its bytes (static files, the search
/// index) when they differ from `previous`; its path, fingerprint and
/// whether it was written.
fn write_if_changed(
    path: String,
    bytes: &[u8],
    previous: Option<&Fingerprints>,
    sink: Sink,
) -> Result<Rendered> {
    let fp = fingerprint::of_bytes(bytes);
    let old = previous.and_then(|p| p.get(&path)).copied();
    if old == Some(fp) {
        return Ok((path, fp, false, true));
    }
    sink(&path, bytes)?;
    Ok((path, fp, true, old.is_some()))
}

/// A file of a render: its path, fingerprint, whether it was handed to
/// the sink, and whether the previous render had it.
type Rendered = (String, u64, bool, bool);

/// Renders every job whose fingerprint differs from `previous` into `sink`;
/// each result is the file's path, fingerprint and whether it was written.
/// With `verify_skips` (an output folder), a job skipped as unchanged is
/// rendered anyway and must equal its file there.
#[allow(clippy::too_many_arguments)]
fn render_jobs(
    ctx: &Ctx,
    jobs: &[Job],
    global: &fingerprint::Global,
    inputs: &fingerprint::Inputs,
    previous: Option<&Fingerprints>,
    verify_skips: Option<&std::path::Path>,
    sink: Sink,
    clock: &ThreadClock,
) -> Vec<Result<Rendered>> {
    // Small pieces, so that the cores share the work evenly to the end
    // even when one of them joined late (from the search index).
    jobs.par_iter()
        .with_max_len(16)
        .map(|job| {
            let fp = fingerprint::of_job(ctx, global, inputs, job);
            let path = ctx.job_path(job);
            let old = previous.and_then(|p| p.get(&path)).copied();
            if let (Some(fp), Some(old)) = (fp, old) {
                if fp == old {
                    if let Some(dir) = verify_skips {
                        verify_skip(ctx, job, &path, dir)?;
                    }
                    return Ok((path, fp, false, true));
                }
            }
            let started = std::time::Instant::now();
            let (path, bytes) = ctx.render(job)?;
            let bytes = ctx.relative_links(&path, bytes);
            clock.add(job.kind(), started);
            // Files without an input fingerprint are compared by bytes.
            let fp = fp.unwrap_or_else(|| fingerprint::of_bytes(&bytes));
            let unchanged = old == Some(fp);
            if !unchanged {
                let started = std::time::Instant::now();
                sink(&path, &bytes)?;
                clock.add(Kind::Write, started);
            }
            templates::recycle(bytes);
            Ok((path, fp, !unchanged, old.is_some()))
        })
        .collect()
}

/// Renders `job`, skipped as unchanged, and compares it with its file in
/// `dir`: a difference names an input its fingerprint leaves out.
fn verify_skip(ctx: &Ctx, job: &Job, path: &str, dir: &std::path::Path) -> Result<()> {
    let Ok(before) = std::fs::read(dir.join(path)) else {
        // A missing file makes the build render everything anyway.
        return Ok(());
    };
    let (_, bytes) = ctx.render(job)?;
    let bytes = ctx.relative_links(path, bytes);
    if before == bytes {
        return Ok(());
    }
    Err(crate::error::Error::usage(
        format!("PAPERHUB_VERIFY_SKIPS: {path} was skipped as unchanged, but renders differently now"),
        "an input of this page is missing from its fingerprint (src/render/fingerprint.rs, Job::kind of this page)",
    ))
}

/// Renders the whole site into `sink`, as a one-off build does.
pub fn render(site: &Site, theme: &Theme, sink: Sink) -> Result<usize> {
    let mut renderer = Renderer::new(&site.config, theme)?;
    let prepared = renderer.prepare(site, &HtmlCache::new());
    let outcome = renderer.render(site, &prepared, None, sink)?;
    Ok(outcome.files.len())
}

fn jobs(site: &Site) -> Vec<Job> {
    let per_page = site.config.papers_per_page;
    let mut jobs = vec![
        Job::Home,
        Job::Search,
        Job::NotFound,
        Job::Feed,
        Job::Sitemap,
        Job::Robots,
    ];
    let outputs = &site.config.outputs;
    if outputs.exports {
        jobs.extend(ExportFile::ALL.map(Job::Export));
    }
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
    jobs.reserve(
        site.graph.works.iter().map(per_work).sum::<usize>()
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
    for (w, work) in site.graph.works.iter().enumerate() {
        jobs.push(Job::Work(w));
        if outputs.work_files {
            jobs.extend(CiteFormat::ALL.map(|f| Job::Cite(w, f)));
            jobs.push(Job::WorkJson(w));
        }
        if outputs.hub_files && !work.cited_by.is_empty() {
            jobs.push(Job::HubFeed(w));
            jobs.push(Job::CitingBib(w));
        }
        let pages = paginate(work.cited_by.len(), per_hub);
        if pages.len() > 1 {
            jobs.extend(pages.into_iter().skip(1).map(|p| Job::Citing(w, p)));
        }
    }
    jobs.extend(
        paginate(site.content.papers.len(), per_page)
            .into_iter()
            .map(Job::Papers),
    );
    jobs.extend(
        paginate(site.indexes.hubs.len(), per_page)
            .into_iter()
            .map(Job::Hubs),
    );
    for t in &site.indexes.taxonomies {
        jobs.push(Job::Terms(t.kind));
        for (i, term) in t.terms.iter().enumerate() {
            if t.kind.has_feeds() && outputs.term_feeds {
                jobs.push(Job::TermFeed(t.kind, i));
            }
            jobs.extend(
                paginate(term.papers.len(), per_page)
                    .into_iter()
                    .map(|p| Job::Term(t.kind, i, p)),
            );
        }
    }
    jobs.extend((0..site.content.pages.len()).map(Job::Page));
    for (i, p) in site.content.papers.iter().enumerate() {
        jobs.extend((0..p.aliases.len()).map(|a| Job::Alias(i, a)));
    }
    jobs
}

impl Ctx<'_> {
    /// The file a job writes, without rendering it.
    fn job_path(&self, job: &Job) -> String {
        let site = self.site;
        let dir = match job {
            Job::Home => String::new(),
            Job::Work(w) => format!("papers/{}/", site.graph.works[*w].slug),
            Job::Citing(w, p) => {
                page_path(&format!("papers/{}/", site.graph.works[*w].slug), p.number)
            }
            Job::Cite(w, f) => return format!("papers/{}/{}", site.graph.works[*w].slug, f.file()),
            Job::WorkJson(w) => return format!("papers/{}/index.json", site.graph.works[*w].slug),
            Job::HubFeed(w) => return format!("papers/{}/feed.xml", site.graph.works[*w].slug),
            Job::CitingBib(w) => return format!("papers/{}/citing.bib", site.graph.works[*w].slug),
            Job::TermFeed(kind, i) => {
                let term = &site.indexes.taxonomy(*kind).terms[*i];
                return format!("{}/{}/feed.xml", kind.path(), term.slug);
            }
            Job::Export(f) => return f.path().to_string(),
            Job::Papers(p) => page_path("papers/", p.number),
            Job::Hubs(p) => page_path("hubs/", p.number),
            Job::Terms(kind) => format!("{}/", kind.path()),
            Job::Term(kind, i, p) => {
                let term = &site.indexes.taxonomy(*kind).terms[*i];
                page_path(&format!("{}/{}/", kind.path(), term.slug), p.number)
            }
            Job::Page(i) => format!("{}/", site.content.pages[*i].slug),
            Job::Alias(p, a) => {
                return crate::content::alias_path(&site.content.papers[*p].aliases[*a])
            }
            Job::Search => "search/".to_string(),
            Job::NotFound => return "404.html".to_string(),
            Job::Feed => return "feed.xml".to_string(),
            Job::Sitemap => return "sitemap.xml".to_string(),
            Job::Robots => return "robots.txt".to_string(),
        };
        format!("{dir}index.html")
    }

    /// A context with what every page has: its path, canonical URL and title.
    fn page_context(&self, path: &str, title: &str) -> Context {
        let mut c = Context::new();
        c.insert("path", &self.href(path));
        c.insert("canonical", &self.site.config.absolute_url(path));
        c.insert("page_title", title);
        c
    }

    fn render(&self, job: &Job) -> Result<(String, Vec<u8>)> {
        let site = self.site;
        let (path, template, ctx) = match job {
            Job::Home => {
                let mut c = self.page_context("", &site.config.title);
                let hubs: Vec<_> = site
                    .indexes
                    .hubs
                    .iter()
                    .take(HOME_LIST)
                    .map(|&w| self.work_item(w))
                    .collect();
                let newest = &site.indexes.newest;
                let newest = &newest[..newest.len().min(HOME_LIST)];
                let (papers, html) = self.paper_items(newest, self.native.home);
                c.insert("hubs", &hubs);
                insert_list(&mut c, "papers", &papers, html);
                c.insert("stats", &Stats::of(site));
                ("".to_string(), "index.html", c)
            }
            Job::Work(w) => {
                let work = &site.graph.works[*w];
                let path = format!("papers/{}/", work.slug);
                let mut c = self.page_context(&path, &work.title);
                c.insert("paper", &self.work_page(*w));
                (path, "paper.html", c)
            }
            Job::Citing(w, pager) => {
                let work = &site.graph.works[*w];
                let base = format!("papers/{}/", work.slug);
                let path = page_path(&base, pager.number);
                let mut c = self.page_context(&path, &format!("Papers citing {}", work.title));
                let (papers, html) = self.citing_items(
                    &work.cited_by[pager.start..pager.end],
                    pager.start + 1,
                    self.native.citing_page,
                );
                c.insert("work", &self.work_item(*w));
                insert_list(&mut c, "papers", &papers, html);
                c.insert(
                    "pagination",
                    &Pagination::new(self, &base, pager, work.cited_by.len()),
                );
                (path, "citing.html", c)
            }
            Job::Papers(pager) => {
                let path = page_path("papers/", pager.number);
                let mut c = self.page_context(&path, "All papers");
                let (papers, html) = self.paper_items(
                    &site.indexes.newest[pager.start..pager.end],
                    self.native.list,
                );
                insert_list(&mut c, "papers", &papers, html);
                c.insert(
                    "pagination",
                    &Pagination::new(self, "papers/", pager, site.content.papers.len()),
                );
                c.insert("list_kind", "papers");
                (path, "list.html", c)
            }
            Job::Hubs(pager) => {
                let path = page_path("hubs/", pager.number);
                let mut c = self.page_context(&path, "Most-cited works");
                let items: Vec<_> = site.indexes.hubs[pager.start..pager.end]
                    .iter()
                    .map(|&w| self.work_item(w))
                    .collect();
                c.insert("works", &items);
                c.insert(
                    "pagination",
                    &Pagination::new(self, "hubs/", pager, site.indexes.hubs.len()),
                );
                (path, "hubs.html", c)
            }
            Job::Terms(kind) => {
                let path = format!("{}/", kind.path());
                let mut c = self.page_context(&path, kind.title());
                let terms: Vec<TermItem> = site
                    .indexes
                    .taxonomy(*kind)
                    .terms
                    .iter()
                    .map(|t| TermItem {
                        name: &t.name,
                        href: self.href(&format!("{}/{}/", kind.path(), t.slug)),
                        count: t.papers.len(),
                    })
                    .collect();
                c.insert("taxonomy", &TaxonomyView::new(self, *kind));
                c.insert("terms", &terms);
                (path, "terms.html", c)
            }
            Job::Term(kind, i, pager) => {
                let term = &site.indexes.taxonomy(*kind).terms[*i];
                let base = format!("{}/{}/", kind.path(), term.slug);
                let path = page_path(&base, pager.number);
                let mut c = self.page_context(&path, &term.name);
                let (papers, html) =
                    self.paper_items(&term.papers[pager.start..pager.end], self.native.list);
                insert_list(&mut c, "papers", &papers, html);
                c.insert(
                    "pagination",
                    &Pagination::new(self, &base, pager, term.papers.len()),
                );
                c.insert("taxonomy", &TaxonomyView::new(self, *kind));
                c.insert(
                    "term",
                    &TermItem {
                        name: &term.name,
                        href: self.href(&base),
                        count: term.papers.len(),
                    },
                );
                c.insert("list_kind", kind.path());
                if kind.has_feeds() && site.config.outputs.term_feeds {
                    c.insert("term_feed", &self.href(&format!("{base}feed.xml")));
                }
                (path, "list.html", c)
            }
            Job::Page(i) => {
                let page: &Page = &site.content.pages[*i];
                let path = format!("{}/", page.slug);
                let mut c = self.page_context(&path, &page.title);
                c.insert(
                    "page",
                    &FreePage {
                        title: &page.title,
                        description: page.description.as_deref(),
                        body_html: &self.pages_html[*i],
                        extra: &page.extra,
                    },
                );
                (path, "page.html", c)
            }
            Job::Alias(p, a) => {
                let paper = &site.content.papers[*p];
                let w = &site.graph.works[site.graph.paper_work[*p]];
                let path = crate::content::alias_path(&paper.aliases[*a]);
                let mut c = self.page_context(&format!("papers/{}/", w.slug), &paper.title);
                c.insert("target", self.work_href(site.graph.paper_work[*p]));
                return Ok((
                    path,
                    self.engine.render("alias.html", &c, &paper.aliases[*a])?,
                ));
            }
            Job::Search => {
                let mut c = self.page_context("search/", "Search");
                c.insert("stats", &Stats::of(site));
                c.insert("index", &self.href("search/meta.js"));
                ("search/".to_string(), "search.html", c)
            }
            Job::NotFound => {
                let c = self.page_context("404.html", "Page not found");
                return Ok((
                    "404.html".to_string(),
                    self.engine.render("404.html", &c, "404.html")?,
                ));
            }
            Job::Feed => {
                let papers = site.indexes.newest.iter().copied();
                let feed = self.feed("feed.xml", &site.config.title, "", papers)?;
                return Ok(("feed.xml".to_string(), feed));
            }
            Job::HubFeed(w) => {
                let work = &site.graph.works[*w];
                let path = format!("papers/{}/feed.xml", work.slug);
                let title = format!("Papers citing {}", work.title);
                let page = format!("papers/{}/", work.slug);
                let papers = self.citing_newest(*w).into_iter().take(SMALL_FEED_ENTRIES);
                let feed = self.feed(&path, &title, &page, papers)?;
                return Ok((path, feed));
            }
            Job::TermFeed(kind, i) => {
                let term = &site.indexes.taxonomy(*kind).terms[*i];
                let page = format!("{}/{}/", kind.path(), term.slug);
                let path = format!("{page}feed.xml");
                let title = format!("{}: {}", kind.title(), term.name);
                let papers = term.papers.iter().copied().take(SMALL_FEED_ENTRIES);
                let feed = self.feed(&path, &title, &page, papers)?;
                return Ok((path, feed));
            }
            Job::Cite(w, f) => {
                let path = format!("papers/{}/{}", site.graph.works[*w].slug, f.file());
                return Ok((path, self.cite_file(*w, *f)));
            }
            Job::WorkJson(w) => {
                let path = format!("papers/{}/index.json", site.graph.works[*w].slug);
                return Ok((path, self.work_json(*w)));
            }
            Job::CitingBib(w) => {
                let path = format!("papers/{}/citing.bib", site.graph.works[*w].slug);
                return Ok((path, self.citing_bib(*w)));
            }
            Job::Export(f) => return Ok((f.path().to_string(), self.export_file(*f))),
            Job::Sitemap => {
                let mut c = self.page_context("sitemap.xml", "Sitemap");
                c.insert("urls", &self.sitemap_urls());
                return Ok((
                    "sitemap.xml".to_string(),
                    self.engine.render("sitemap.xml", &c, "sitemap.xml")?,
                ));
            }
            Job::Robots => {
                let mut c = self.page_context("robots.txt", "robots.txt");
                // Crawlers need an absolute sitemap URL; without a host there is none.
                let sitemap = site
                    .config
                    .has_host()
                    .then(|| site.config.absolute_url("sitemap.xml"));
                c.insert("sitemap", &sitemap);
                return Ok((
                    "robots.txt".to_string(),
                    self.engine.render("robots.txt", &c, "robots.txt")?,
                ));
            }
        };
        let html = self.engine.render(template, &ctx, &path)?;
        Ok((format!("{path}index.html"), html))
    }

    /// A stable Atom id: the page's absolute URL when `base_url` has a host,
    /// else a tag URI (Atom ids must be absolute).
    fn tag_uri(&self, path: &str) -> String {
        if self.site.config.has_host() {
            self.site.config.absolute_url(path)
        } else {
            format!(
                "urn:paperhub:{}",
                path.trim_end_matches('/').replace('/', ":")
            )
        }
    }

    fn sitemap_urls(&self) -> Vec<String> {
        let site = self.site;
        let mut paths: Vec<String> = vec![String::new(), "search/".into()];
        let mut list = |base: &str, len: usize, per_page: usize| {
            paths.extend(
                paginate(len, per_page)
                    .iter()
                    .map(|p| page_path(base, p.number)),
            );
        };
        for w in &site.graph.works {
            list(
                &format!("papers/{}/", w.slug),
                w.cited_by.len(),
                site.config.hub.citing_per_page,
            );
        }
        let per_page = site.config.papers_per_page;
        list("papers/", site.content.papers.len(), per_page);
        list("hubs/", site.indexes.hubs.len(), per_page);
        for t in &site.indexes.taxonomies {
            list(&format!("{}/", t.kind.path()), 1, per_page);
            for term in &t.terms {
                list(
                    &format!("{}/{}/", t.kind.path(), term.slug),
                    term.papers.len(),
                    per_page,
                );
            }
        }
        paths.extend(site.content.pages.iter().map(|p| format!("{}/", p.slug)));
        paths.iter().map(|p| site.config.absolute_url(p)).collect()
    }
}

#[derive(Serialize)]
struct FreePage<'a> {
    title: &'a str,
    description: Option<&'a str>,
    body_html: &'a str,
    extra: &'a serde_json::Value,
}

/// A list of a page as `name`, and its markup as `name_html` when
/// paperhub wrote it ([`items::list`]).
fn insert_list<T: Serialize>(
    c: &mut Context,
    name: &'static str,
    list: &items::List<T>,
    html: Option<String>,
) {
    c.insert(name, list);
    if let Some(html) = html {
        c.insert_value(format!("{name}_html"), tera::Value::safe_string(&html));
    }
}

/// An RFC 3339 timestamp from a record's date (YYYY-MM-DD or YYYY-MM) or
/// year; fixed rather than the build time, so builds are reproducible.
fn atom_date(date: Option<&str>, year: Option<i32>) -> String {
    match (date, year) {
        (Some(d), _) if d.len() == 10 => format!("{d}T00:00:00Z"),
        (Some(d), _) if d.len() == 7 => format!("{d}-01T00:00:00Z"),
        (_, Some(y)) => format!("{y:04}-01-01T00:00:00Z"),
        _ => "1970-01-01T00:00:00Z".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_without_a_theme_folder_has_every_list_native() {
        let root = tempfile::tempdir().unwrap();
        let config = Config::load(root.path()).unwrap();
        let theme = Theme::load(&config).unwrap();
        let n = Renderer::new(&config, &theme).unwrap().native;
        assert_eq!(
            (n.hub, n.cites, n.citing_page, n.list, n.home, n.feed),
            (Some(4), Some(3), Some(2), Some(2), Some(3), true)
        );
    }

    #[test]
    fn atom_dates_are_rfc3339() {
        assert_eq!(
            atom_date(Some("2024-02-19"), Some(2024)),
            "2024-02-19T00:00:00Z"
        );
        assert_eq!(
            atom_date(Some("2024-02"), Some(2024)),
            "2024-02-01T00:00:00Z"
        );
        assert_eq!(atom_date(None, Some(2019)), "2019-01-01T00:00:00Z");
    }
}

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
mod pages;
mod search;
mod tags;
mod templates;
mod view;

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::config::Config;
use crate::error::Result;
use crate::index::TaxonomyKind;
use crate::markdown::{highlight_stylesheet, Markdown};
use crate::site::Site;
use crate::theme::Theme;

use pages::{Job, Kind};
pub use templates::Engine;
pub use view::PaperHtml;

/// Where rendered files go: called with the site path (`papers/x/index.html`)
/// and the bytes, from many threads at once.
pub type Sink<'s> = &'s (dyn Fn(&str, &[u8]) -> Result<()> + Sync);

/// The fingerprint of each output file's inputs, by site path. Fx-hashed:
/// a rebuild looks every one of a million paths up in it.
pub type Fingerprints = rustc_hash::FxHashMap<String, u64>;

/// Rendered Markdown by record hash, kept between rebuilds.
pub type HtmlCache = HashMap<u64, Arc<PaperHtml>>;

/// What a render keeps for the next one, for watch and serve, which render
/// the same site again and again (ARCHITECTURE.md lists these layers).
#[derive(Default)]
pub struct Kept {
    /// Each paper's rendered Markdown, by record hash (see
    /// [`Renderer::prepare`]).
    pub html: HtmlCache,
    /// Text many pages share, valid for one [`Renderer`] (see
    /// [`memo::Carried`]).
    carried: memo::Carried,
    /// Each paper's search terms, by record hash.
    search_terms: search::TermCache,
}

impl Kept {
    /// Forgets what depends on the templates, for a new [`Renderer`].
    pub fn new_renderer(&mut self) {
        self.carried = memo::Carried::default();
    }
}

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

impl Outcome {
    /// The outcome of rendering these files, or the first error.
    fn of<const N: usize>(parts: [Vec<Result<Rendered>>; N]) -> Result<Outcome> {
        let mut outcome = Outcome::default();
        let len = parts.iter().map(Vec::len).sum();
        outcome.files.reserve(len);
        outcome.changed.reserve(len);
        for r in parts.into_iter().flatten() {
            let (path, fp, rendered, known) = r?;
            outcome.rendered += usize::from(rendered);
            outcome.known += usize::from(known);
            outcome.changed.push(rendered);
            outcome.files.push((path, fp));
        }
        Ok(outcome)
    }
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
    /// Paper items, each rendered once through its partial.
    fragments: items::Fragments,
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

impl<'a> SiteView<'a> {
    fn new(site: &'a Site, base: &str) -> SiteView<'a> {
        SiteView {
            title: &site.config.title,
            description: &site.config.description,
            language: &site.config.language,
            base_url: &site.config.base_url,
            root: base.to_string(),
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
        }
    }
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
        let native = items::Native::new(theme);
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
            native,
            verify_skips: std::env::var_os("PAPERHUB_VERIFY_SKIPS")
                .filter(|v| !v.is_empty() && v != "0")
                .map(|_| config.output_dir.clone()),
        })
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
        kept: Option<&mut Kept>,
    ) -> Result<Outcome> {
        let base = site.config.base_path();
        let site_view = SiteView::new(site, &base);
        let global = fingerprint::Global::new(
            self.config_hash,
            fingerprint::of_json(&site_view),
            &self.template_hashes,
        );
        self.engine.set_global("site", &site_view);
        drop(site_view);

        let keys = crate::export::keys(&site.graph.works);
        let newest_rank = newest_rank(site);
        let (works, papers) = (site.graph.works.len(), site.content.papers.len());
        let memo = memo::Memo::new(works, papers, kept.is_some());
        let (carried, search_terms) = match kept {
            Some(k) => (Some(&mut k.carried), Some(&mut k.search_terms)),
            None => (None, None),
        };
        let none = memo::Carried::default();
        let inputs = fingerprint::Inputs::new(site, &keys);
        let (work_hrefs, term_hrefs) = hrefs(site, &base);
        let ctx = Ctx {
            work_hrefs: &work_hrefs,
            term_hrefs: &term_hrefs,
            memo: &memo,
            carried: carried.as_deref().unwrap_or(&none),
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
            fragments: items::Fragments::new(site.content.papers.len(), self.native.list),
        };
        let jobs = pages::jobs(site);
        let clock = ThreadClock::default();
        self.engine.take_spent();
        // The search index is one long task: it runs beside the pages
        // rather than after them, so no core idles while it is built.
        let search_started = std::time::Instant::now();
        let (results, (search, search_time)) = rayon::join(
            || {
                let skips = self.verify_skips.as_deref();
                render_jobs(&ctx, &jobs, &global, &inputs, previous, skips, sink, &clock)
            },
            || {
                let search = search_files(&ctx, search_terms, previous, sink);
                (search, search_started.elapsed())
            },
        );
        let mut thread_time = clock.report();
        thread_time.push((
            "template execution, within the kinds above",
            self.engine.take_spent(),
        ));
        let statics = self.write_statics(previous, sink);
        let mut outcome = Outcome::of([results, search, statics])?;
        outcome.thread_time = thread_time;
        if let Some(carried) = carried {
            let old = std::mem::take(carried);
            *carried = memo.carry(&inputs, old);
        }
        outcome.search_index = search_time;
        Ok(outcome)
    }
}

impl Renderer {
    /// The theme's static files, compared by their bytes (like the search
    /// index: they have no inputs to fingerprint but themselves).
    fn write_statics(&self, previous: Option<&Fingerprints>, sink: Sink) -> Vec<Result<Rendered>> {
        self.statics
            .iter()
            .map(|(path, bytes)| write_if_changed(path.clone(), bytes, previous, sink))
            .collect()
    }
}

/// Each paper's place in the newest-first list.
fn newest_rank(site: &Site) -> Vec<u32> {
    let mut rank = vec![0; site.content.papers.len()];
    for (r, &p) in site.indexes.newest.iter().enumerate() {
        rank[p] = r as u32;
    }
    rank
}

/// The search index's files, each written as soon as it is made, so the
/// index is not held in memory while the pages render.
fn search_files(
    ctx: &Ctx,
    terms: Option<&mut search::TermCache>,
    previous: Option<&Fingerprints>,
    sink: Sink,
) -> Vec<Result<Rendered>> {
    // Results show on the search page, one folder down.
    let page = crate::urls::file(crate::urls::SEARCH);
    search::files(ctx.site, |p| ctx.link_from(&page, p), terms)
        .into_iter()
        .map(|(path, bytes)| write_if_changed(path, &bytes, previous, sink))
        .collect()
}

/// The link to every work's page and every term's page, made once per
/// render: each is printed on many pages.
fn hrefs(site: &Site, base: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let work_hrefs: Vec<String> = site
        .graph
        .works
        .par_iter()
        .map(|w| format!("{base}{}", crate::urls::work(&w.slug)))
        .collect();
    let term_hrefs: Vec<Vec<String>> = TaxonomyKind::ALL
        .iter()
        .map(|&kind| {
            site.indexes
                .taxonomy(kind)
                .terms
                .par_iter()
                .map(|t| format!("{base}{}", crate::urls::term(kind, &t.slug)))
                .collect()
        })
        .collect();
    (work_hrefs, term_hrefs)
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
            let fp = job.fingerprint(ctx, global, inputs);
            let path = job.path(ctx);
            let old = previous.and_then(|p| p.get(&path)).copied();
            if old == Some(fp) {
                if let Some(dir) = verify_skips {
                    verify_skip(ctx, job, &path, dir)?;
                }
                return Ok((path, fp, false, true));
            }
            let started = std::time::Instant::now();
            let bytes = job.render(ctx, &path)?;
            let bytes = ctx.relative_links(&path, bytes);
            clock.add(job.kind(), started);
            let started = std::time::Instant::now();
            sink(&path, &bytes)?;
            clock.add(Kind::Write, started);
            templates::recycle(bytes);
            Ok((path, fp, true, old.is_some()))
        })
        .collect()
}

/// Renders `job`, skipped as unchanged, and compares it with its file in
/// `dir`: a difference names an input its fingerprint leaves out.
fn verify_skip(ctx: &Ctx, job: &Job, path: &str, dir: &std::path::Path) -> Result<()> {
    let Ok(before) = std::fs::read(dir.join(path)) else {
        // Nothing to compare with: a file gone from the output is the
        // build's to notice (it then renders everything), not this check's.
        return Ok(());
    };
    let bytes = job.render(ctx, path)?;
    let bytes = ctx.relative_links(path, bytes);
    if before == bytes {
        return Ok(());
    }
    Err(crate::error::Error::usage(
        format!("PAPERHUB_VERIFY_SKIPS: {path} was skipped as unchanged, but renders differently now"),
        "an input of this page is missing from its fingerprint (the `fingerprint` of its kind in src/render/pages/)",
    ))
}

/// Renders the whole site into `sink`, as a one-off build does.
pub fn render(site: &Site, theme: &Theme, sink: Sink) -> Result<usize> {
    let mut renderer = Renderer::new(&site.config, theme)?;
    let prepared = renderer.prepare(site, &HtmlCache::new());
    let outcome = renderer.render(site, &prepared, None, sink, None)?;
    Ok(outcome.files.len())
}

impl Ctx<'_> {
    /// A context with what every page has: its path, canonical URL and title.
    fn page_context(&self, path: &str, title: &str) -> Context {
        let mut c = Context::new();
        c.insert("path", &self.href(path));
        c.insert("canonical", &self.site.config.absolute_url(path));
        c.insert("page_title", title);
        c
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

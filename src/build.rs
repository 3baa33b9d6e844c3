//! The build: config → load → graph → indexes → render → write, in that
//! order. `check` runs the same stages up to rendering, without writing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use std::sync::Mutex;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::footprint::{self, Footprint};
use crate::output::Staging;
use crate::render;
use crate::site::Site;
use crate::theme::Theme;

/// What the user asked of a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `<root>/output`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Fail, leaving the previous output in place, when the output is over
    /// the limits of the host `site.yaml` names.
    pub strict: bool,
    /// Links to folders end in `index.html` (for opening from disk), as
    /// `portable: true` in site.yaml does.
    pub portable: bool,
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub papers: usize,
    pub works: usize,
    pub citations: usize,
    pub files: usize,
    /// Files whose bytes changed; the others were kept (hard-linked) from
    /// the previous build, so they keep their modification times.
    pub written: usize,
    /// Files rendered because their inputs changed; the others were skipped.
    pub rendered: usize,
    pub output: PathBuf,
    pub elapsed: Duration,
    /// Things that did not stop the build but deserve a look.
    pub warnings: Vec<String>,
    /// What the output weighs (for `check`: what it would).
    pub footprint: Footprint,
    /// How the output is over the limits of the host `site.yaml` names.
    pub over_budget: Vec<String>,
    /// Time and peak memory per stage (`build --timings`), in order.
    pub timings: Vec<Stage>,
    /// Rendering time per kind of file and writing time, summed over
    /// threads (`build --timings`).
    pub thread_time: Vec<(&'static str, Duration)>,
}

/// Reads `root/site.yaml` and applies the command-line overrides.
pub fn load_config(opts: &BuildOptions) -> Result<Config> {
    if !opts.root.join("content").is_dir() && !opts.root.join(crate::config::CONFIG_FILE).is_file()
    {
        return Err(crate::error::Error::usage(
            format!(
                "no paperhub site at {}: it has neither site.yaml nor content/",
                opts.root.display()
            ),
            "pass the site's folder with --root, or create a site with `paperhub init DIR`",
        ));
    }
    let mut config = Config::load(&opts.root)?;
    if let Some(url) = &opts.base_url {
        config.set_base_url(url)?;
    }
    config.drafts = opts.drafts;
    config.portable |= opts.portable;
    config.output_dir = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.root.join("output"));
    Ok(config)
}

/// Builds the site into its output folder. On any error the previous
/// output is left as it was.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let mut timings = Timings::new();
    let config = load_config(opts)?;
    crate::output::check_output_dir(&config.root, &config.output_dir)?;
    let theme = Theme::load(&config)?;
    // Templates compile before anything is read or written, so a broken
    // theme costs nothing.
    let mut renderer = render::Renderer::new(&config, &theme)?;
    timings.stage("config and templates");
    let content = crate::content::load(&config)?;
    timings.stage("read and parse records");
    let graph = crate::graph::Graph::build(
        &content.papers,
        config.citations.roles.len(),
        config.citations.polarities.len(),
    )
    .map_err(crate::error::Error::Content)?;
    timings.stage("citation graph");
    let indexes = crate::index::Indexes::build(&content.papers, &graph);
    timings.stage("lists and taxonomies");
    let site = Site {
        config,
        content,
        graph,
        indexes,
    };
    let prepared = renderer.prepare(&site, &render::HtmlCache::new());
    timings.stage("Markdown");
    let (staging, mut outcome, footprint) = render_into_staging(&site, &mut renderer, &prepared)?;
    // Under --strict the staged output is dropped; the previous one stays.
    let over_budget = budget(&footprint, &site.config, opts.strict)?;
    timings.stage("templates and write");
    timings.split(
        "  search index (built beside the pages)",
        outcome.search_index,
    );
    let written = staging.written();
    let build_id = crate::state::new_build_id();
    staging.stamp(&build_id)?;
    staging.commit()?;
    let output = &site.config.output_dir;
    if crate::state::save(output, &build_id, &outcome.files).is_err() {
        // Harmless: without a state the next build renders everything.
        crate::state::clear(output);
    }
    timings.stage("swap into place");
    let report = BuildReport {
        papers: site.content.papers.len(),
        works: site.graph.works.len(),
        citations: site.graph.edge_count,
        files: outcome.files.len(),
        written,
        rendered: outcome.rendered,
        output: site.config.output_dir.clone(),
        elapsed: start.elapsed(),
        warnings: warnings(&site),
        footprint,
        over_budget,
        timings: timings.done(),
        thread_time: std::mem::take(&mut outcome.thread_time),
    };
    // Freeing a large site's memory takes a moment; it happens beside
    // whatever comes next (for `paperhub build`, the process ending).
    std::thread::spawn(move || drop((site, prepared, outcome)));
    Ok(report)
}

/// Renders the site into a staging folder beside its output: only the
/// files whose inputs changed since the last build, when that build's
/// state still describes the output (the others are kept, linked), and
/// every file when one of those has gone missing since. Returns the
/// staging folder, the render's outcome and the footprint of all files.
fn render_into_staging(
    site: &Site,
    renderer: &mut render::Renderer,
    prepared: &render::Prepared,
) -> Result<(Staging, render::Outcome, Footprint)> {
    let output = &site.config.output_dir;
    let previous = crate::state::load(output);
    let mut staging = Staging::new(&site.config.root, output)?;
    // Every file is tallied as it is written or kept.
    let tally = Mutex::new(Footprint::default());
    let add = |path: &str, bytes: u64| tally.lock().expect("no panics holding it").add(path, bytes);
    let write = |staging: &Staging, path: &str, bytes: &[u8]| {
        staging.write(path, bytes)?;
        add(path, bytes.len() as u64);
        Ok(())
    };
    // A one-off build keeps nothing for a next render (the last `None`).
    let mut outcome = renderer.render(
        site,
        prepared,
        previous.as_ref(),
        &|path, bytes| write(&staging, path, bytes),
        None,
    )?;
    let unchanged = outcome.files.iter().zip(&outcome.changed);
    let mut missing = false;
    for ((path, _), _) in unchanged.filter(|(_, &c)| !c) {
        match staging.keep(path) {
            Ok(bytes) => add(path, bytes),
            Err(_) => {
                missing = true;
                break;
            }
        }
    }
    if missing {
        // A file went missing from the output since: render everything.
        drop(staging);
        staging = Staging::new(&site.config.root, output)?;
        *tally.lock().expect("no panics holding it") = Footprint::default();
        let sink = |path: &str, bytes: &[u8]| write(&staging, path, bytes);
        outcome = renderer.render(site, prepared, None, &sink, None)?;
    }
    let footprint = tally.into_inner().expect("no panics holding it").finish();
    Ok((staging, outcome, footprint))
}

/// One stage of a build, as `--timings` shows it.
#[derive(Debug, Clone)]
pub struct Stage {
    pub name: &'static str,
    pub took: Duration,
    /// The process's peak resident memory at the stage's end, in bytes,
    /// where the system tells (Linux): the stage that raises it is the one
    /// to look at when a large site outgrows its machine.
    pub peak_memory: Option<u64>,
}

/// How long each stage of a build took and the peak memory after it, in
/// order.
struct Timings {
    last: Instant,
    stages: Vec<Stage>,
}

impl Timings {
    fn new() -> Timings {
        Timings {
            last: Instant::now(),
            stages: Vec::new(),
        }
    }

    fn stage(&mut self, name: &'static str) {
        let now = Instant::now();
        self.stages.push(Stage {
            name,
            took: now - self.last,
            peak_memory: peak_memory(),
        });
        self.last = now;
    }

    /// Reports a part of the previous stage on a line of its own.
    fn split(&mut self, name: &'static str, part: Duration) {
        self.stages.push(Stage {
            name,
            took: part,
            peak_memory: None,
        });
    }

    fn done(self) -> Vec<Stage> {
        self.stages
    }
}

/// The process's peak resident set so far (`VmHWM`), where the system
/// reports it.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Loads and validates everything a build would, and renders every page to
/// nowhere (so template errors are caught too), without writing.
pub fn check(root: &Path, drafts: bool, strict: bool) -> Result<BuildReport> {
    let start = Instant::now();
    let opts = BuildOptions {
        root: root.to_path_buf(),
        drafts,
        ..Default::default()
    };
    let config = load_config(&opts)?;
    let theme = Theme::load(&config)?;
    let site = Site::load(config)?;
    let tally = Mutex::new(Footprint::default());
    let files = render::render(&site, &theme, &|path, bytes| {
        let mut t = tally.lock().expect("no panics holding it");
        t.add(path, bytes.len() as u64);
        Ok(())
    })?;
    let footprint = tally.into_inner().expect("no panics holding it").finish();
    let over_budget = budget(&footprint, &site.config, strict)?;
    Ok(BuildReport {
        papers: site.content.papers.len(),
        works: site.graph.works.len(),
        citations: site.graph.edge_count,
        files,
        written: 0,
        rendered: files,
        output: site.config.output_dir.clone(),
        elapsed: start.elapsed(),
        warnings: warnings(&site),
        footprint,
        over_budget,
        timings: Vec::new(),
        thread_time: Vec::new(),
    })
}

/// How `footprint` is over the limits of the site's host; an error instead
/// when `strict`.
fn budget(footprint: &Footprint, config: &Config, strict: bool) -> Result<Vec<String>> {
    let over = footprint::over_budget(footprint, config.host, &config.outputs);
    if strict && !over.is_empty() {
        return Err(Error::OverBudget(over));
    }
    Ok(over)
}

fn warnings(site: &Site) -> Vec<String> {
    let mut out = Vec::new();
    if !site.config.has_host() {
        out.push(format!(
            "base_url `{}` names no host, so feed.xml and sitemap.xml carry site-relative links; \
             set `base_url` in site.yaml (or pass --base-url) to the published address, e.g. https://example.org/",
            site.config.base_url
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(target_os = "linux")]
    fn peak_memory_is_read_on_linux() {
        // 64 MiB written is 64 MiB resident, so the peak is at least that
        // (in bytes, not the kibibytes the system counts in).
        let held = std::hint::black_box(vec![1u8; 64 << 20]);
        let peak = super::peak_memory().expect("Linux reports VmHWM");
        assert!(peak >= 64 << 20, "{peak}");
        assert!(peak < 1 << 40, "{peak}");
        drop(held);
    }
}

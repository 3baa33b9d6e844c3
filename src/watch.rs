//! Watching a site and rebuilding it incrementally: file-system events
//! (notify) are debounced into one batch, classified by what they touch
//! ([`ChangeKind`]), and handed to a [`Rebuilder`], which keeps the parsed
//! records, rendered Markdown and page fingerprints of the last good build
//! and re-renders only the pages whose inputs changed.
//!
//! The rebuilt site always equals what `paperhub build` would produce from
//! the same files: every rebuild re-scans content/ (re-reading files whose
//! size, mtime or inode changed, and every path the events named), and
//! pages are skipped only when their input fingerprint is unchanged. A
//! failed rebuild writes nothing, so the last good site stays.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::build::{load_config, BuildOptions};
use crate::config::{Config, CONFIG_FILE};
use crate::content::{is_ignored, LoadCache};
use crate::error::{Error, Result};
use crate::output::InPlace;
use crate::render::{Fingerprints, Kept, Renderer};
use crate::site::Site;
use crate::theme::Theme;

/// What a changed path belongs to; each kind invalidates more than the one
/// before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// A record or free page under content/.
    Content,
    /// A template or static file under themes/.
    Theme,
    /// site.yaml: everything is rebuilt.
    Config,
}

impl ChangeKind {
    /// Classifies a path of the site at `root`; `None` for paths paperhub
    /// does not read (output/, .git/, editor leftovers).
    pub fn of(root: &Path, path: &Path) -> Option<ChangeKind> {
        let rel = path.strip_prefix(root).ok()?;
        if rel == Path::new(CONFIG_FILE) {
            return Some(ChangeKind::Config);
        }
        let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
        let top = parts.next()?;
        if rel
            .components()
            .any(|c| is_ignored(&c.as_os_str().to_string_lossy()))
        {
            return None;
        }
        match top.as_ref() {
            "content" => Some(ChangeKind::Content),
            "themes" => Some(ChangeKind::Theme),
            _ => None,
        }
    }
}

/// A batch of changed paths.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// The widest kind of change in the batch; `None` means nothing relevant.
    pub kind: Option<ChangeKind>,
    pub paths: HashSet<PathBuf>,
}

impl Changes {
    /// Everything: the first build.
    pub fn all() -> Changes {
        Changes {
            kind: Some(ChangeKind::Config),
            paths: HashSet::new(),
        }
    }

    pub fn add(&mut self, root: &Path, path: &Path) {
        if let Some(kind) = ChangeKind::of(root, path) {
            self.kind = self.kind.max(Some(kind));
            self.paths.insert(path.to_path_buf());
        }
    }

    fn merge(&mut self, other: &Changes) {
        self.kind = self.kind.max(other.kind);
        self.paths.extend(other.paths.iter().cloned());
    }
}

/// What one rebuild did.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    /// Counts the successful rebuilds, from 1 for the first build.
    pub number: usize,
    pub papers: usize,
    /// Site paths of the files written (their bytes changed).
    pub written: Vec<String>,
    /// Site paths of the files removed.
    pub removed: Vec<String>,
    /// Pages rendered (written or not).
    pub rendered: usize,
    pub elapsed: Duration,
}

/// Everything a rebuild reuses from the last one, each keyed so that it is
/// stale exactly when its inputs changed (ARCHITECTURE.md has the table).
#[derive(Default)]
struct Caches {
    /// Parsed records and pages, by file.
    load: LoadCache,
    /// Rendered Markdown, shared text and search terms.
    render: Kept,
    /// The fingerprint of every file in output/.
    fingerprints: Fingerprints,
}

/// The state kept between rebuilds.
struct State {
    config: Config,
    theme: Theme,
    renderer: Renderer,
    caches: Caches,
    out: InPlace,
    /// Whether the state file beside the output holds `fingerprints` and
    /// the output's marker names it (see `state.rs`).
    saved: bool,
    /// The site the last successful rebuild rendered, whose graph the next
    /// one updates.
    site: Option<Site>,
}

/// Incremental rebuilds of one site into its output folder.
pub struct Rebuilder {
    opts: BuildOptions,
    state: Option<State>,
    /// Changes not yet built successfully: a failed rebuild keeps them, so
    /// the fix that follows rebuilds everything the break touched.
    pending: Changes,
    number: usize,
    held_in_memory: usize,
}

impl Rebuilder {
    pub fn new(opts: BuildOptions) -> Rebuilder {
        Rebuilder {
            opts,
            state: None,
            pending: Changes::all(),
            number: 0,
            held_in_memory: HELD_IN_MEMORY,
        }
    }

    /// Sets how many bytes of changed files a rebuild holds in memory
    /// (default [`HELD_IN_MEMORY`]).
    pub fn hold_in_memory(mut self, bytes: usize) -> Rebuilder {
        self.held_in_memory = bytes;
        self
    }

    pub fn root(&self) -> &Path {
        &self.opts.root
    }

    /// Rebuilds after `changes`. On error nothing is written.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuilt> {
        let start = Instant::now();
        self.pending.merge(changes);
        let pending = self.pending.clone();
        // A folder swapped in by a build meanwhile is not what the
        // fingerprints describe: start afresh from it.
        let kept = self.state.take().filter(|s| !s.out.replaced());
        let mut state = match (kept, pending.kind) {
            (Some(state), Some(ChangeKind::Content) | None) => state,
            (Some(mut state), Some(ChangeKind::Theme)) => {
                state.theme = Theme::load(&state.config)?;
                state.renderer = Renderer::new(&state.config, &state.theme)?;
                state.caches.render.new_renderer();
                state
            }
            (_, _) => fresh_state(&self.opts)?,
        };
        let result = build_into(&mut state, &pending.paths, self.held_in_memory);
        // Keep the state (caches, fingerprints) whether or not the build
        // succeeded: they still describe what is on disk.
        self.state = Some(state);
        let (papers, written, removed, rendered) = result?;
        self.pending = Changes::default();
        self.number += 1;
        Ok(Rebuilt {
            number: self.number,
            papers,
            written,
            removed,
            rendered,
            elapsed: start.elapsed(),
        })
    }

    /// Saves beside output/ the fingerprints of what it holds now (see
    /// `state.rs`), for the next build, watch or serve of the site to render
    /// only what changed since. Meant for idle moments: a large site's
    /// state is tens of megabytes.
    pub fn save_state(&mut self) -> Option<Saved> {
        let state = self.state.as_mut().filter(|s| !s.saved)?;
        if state.out.replaced() {
            // A build swapped in another output/ meanwhile: these
            // fingerprints are not its own. The next rebuild starts afresh.
            self.state = None;
            return None;
        }
        let t = Instant::now();
        let id = crate::state::new_build_id();
        let files: Vec<(&str, u64)> = state
            .caches
            .fingerprints
            .iter()
            .map(|(path, fp)| (path.as_str(), *fp))
            .collect();
        // Harmless when it fails: the next start renders everything.
        state.saved = crate::state::save(state.out.dir(), &id, &files).is_ok()
            && state.out.stamp(&id).is_ok();
        Some(Saved {
            ok: state.saved,
            elapsed: t.elapsed(),
        })
    }
}

/// The outcome of saving the state after a rebuild.
pub struct Saved {
    /// False when it could not be written; the next start renders all.
    pub ok: bool,
    pub elapsed: Duration,
}

fn fresh_state(opts: &BuildOptions) -> Result<State> {
    let config = load_config(opts)?;
    // The last build's (or watch's) fingerprints, read before the marker
    // that vouches for them is cleared: what they describe is not rendered
    // again unless its inputs changed, so restarting `serve` on a large
    // site does not render it all again.
    let mut previous = crate::state::load(&config.output_dir).unwrap_or_default();
    let out = InPlace::new(&config.root, &config.output_dir)?;
    let theme = Theme::load(&config)?;
    let renderer = Renderer::new(&config, &theme)?;
    // Anything else in output/ now is compared by bytes on this first
    // render, and what the site does not produce is removed; a file the
    // state names but output/ lacks is rendered again.
    let fingerprints = out
        .files()
        .into_iter()
        .map(|f| {
            let fp = previous.remove(&f).unwrap_or(0);
            (f, fp)
        })
        .collect();
    Ok(State {
        config,
        theme,
        renderer,
        caches: Caches {
            fingerprints,
            ..Caches::default()
        },
        out,
        saved: false,
        site: None,
    })
}

type Built = (usize, Vec<String>, Vec<String>, usize);

/// Loads what changed, renders what it changed and commits the files:
/// the papers, the files written and removed, and the files rendered.
fn build_into(state: &mut State, dirty: &HashSet<PathBuf>, held_in_memory: usize) -> Result<Built> {
    let t = Instant::now();
    let site = Site::load_cached(
        state.config.clone(),
        &mut state.caches.load,
        dirty,
        state.site.take(),
    )?;
    let t_load = t.elapsed();
    let prepared = state.renderer.prepare(&site, &state.caches.render.html);
    let t_prepare = t.elapsed();
    // Files are held until all rendered, so a template error leaves the
    // last good site as it was.
    let pending = state.out.pending(held_in_memory);
    let mut outcome = state.renderer.render(
        &site,
        &prepared,
        Some(&state.caches.fingerprints),
        &|path, bytes| pending.add(path, bytes),
        Some(&mut state.caches.render),
    )?;
    let t_render = t.elapsed();
    let count = outcome.rendered;
    let removed = gone(&outcome, &state.caches.fingerprints);
    if count > 0 || !removed.is_empty() {
        // From here until the state is saved again, the saved one does not
        // describe output/.
        state.saved = false;
        state.out.unstamp()?;
    }
    let out = &state.out;
    let result = pending.commit().and_then(|w| {
        for p in &removed {
            out.remove(p)?;
        }
        Ok(w)
    });
    let (files, changed) = (
        std::mem::take(&mut outcome.files),
        std::mem::take(&mut outcome.changed),
    );
    // Only changed files have new fingerprints (see `Outcome::changed`).
    let changed = files
        .into_iter()
        .zip(changed)
        .filter(|(_, c)| *c)
        .map(|(f, _)| f);
    let fingerprints = &mut state.caches.fingerprints;
    let mut written = match result {
        Ok(w) => w,
        Err(e) => {
            // Files whose inputs changed may or may not hold their new bytes
            // now: forget their fingerprints, so the next rebuild renders
            // them again and compares them by their bytes. Some may be gone
            // already: should one come back with the same inputs, it must be
            // written again.
            let unsure = changed.map(|(path, _)| path).chain(removed.iter().cloned());
            fingerprints.extend(unsure.map(|path| (path, 0)));
            return Err(e);
        }
    };
    fingerprints.extend(changed);
    for path in &removed {
        fingerprints.remove(path);
    }
    state.caches.render.html = prepared.cache(&site);
    written.sort();
    if std::env::var_os("PAPERHUB_TIMINGS").is_some() {
        let render = t_render - t_prepare;
        let stages = [t_load, t_prepare - t_load, render, t.elapsed() - t_render];
        print_timings(stages, &outcome);
    }
    let papers = site.content.papers.len();
    state.site = Some(site);
    Ok((papers, written, removed, count))
}

/// The files the fingerprints know that a render no longer made, sorted.
fn gone(outcome: &crate::render::Outcome, fingerprints: &Fingerprints) -> Vec<String> {
    debug_assert_eq!(
        outcome
            .files
            .iter()
            .map(|(path, _)| path)
            .collect::<HashSet<_>>()
            .len(),
        outcome.files.len(),
        "every file is rendered once"
    );
    // Each file is named once in `files`: when all the files the state
    // knows are among them, none is gone.
    if outcome.known == fingerprints.len() {
        return Vec::new();
    }
    let now: HashSet<&str> = outcome.files.iter().map(|(p, _)| p.as_str()).collect();
    let mut gone: Vec<String> = fingerprints
        .keys()
        .filter(|p| !now.contains(p.as_str()))
        .cloned()
        .collect();
    gone.sort();
    gone
}

/// Under `PAPERHUB_TIMINGS`: load, Markdown, render and write times, and
/// the render's thread time by kind of file.
fn print_timings(stages: [Duration; 4], outcome: &crate::render::Outcome) {
    let [load, markdown, render, write] = stages;
    eprintln!("timings: load {load:?}, markdown {markdown:?}, render {render:?}, write {write:?}");
    let kinds: Vec<String> = outcome
        .thread_time
        .iter()
        .map(|(kind, took)| format!("{kind} {took:?}"))
        .collect();
    eprintln!(
        "timings: thread time {}; search index {:?}",
        kinds.join(", "),
        outcome.search_index
    );
}

/// How many bytes of changed files a rebuild holds in memory until it
/// commits them by default; beyond, they wait on disk (see
/// [`crate::output::Pending`]).
pub const HELD_IN_MEMORY: usize = 64 << 20;

/// How long the file system must be quiet before a batch is built: long
/// enough to gather an editor's write-rename-chmod or a `git checkout` of
/// many files into one rebuild, short enough to feel instant.
pub const QUIET: Duration = Duration::from_millis(25);
/// A batch is built after this long even if events keep coming.
const MAX_BATCH: Duration = Duration::from_millis(1000);

/// What the watch loop reports.
pub enum Event<'a> {
    Rebuilt(&'a Rebuilt),
    Failed(&'a Error),
    /// The state was saved for the next start, after a rebuild.
    Saved(&'a Saved),
}

/// Builds the site, then rebuilds it after every batch of changes until
/// the event source closes, reporting each outcome to `report`.
pub fn watch(mut opts: BuildOptions, mut report: impl FnMut(Event)) -> Result<()> {
    // Events name absolute paths (a relative root `.` comes back as
    // `/cwd/./content/...`; macOS resolves symlinks too), which are told
    // apart by their place under the root and matched against the paths
    // records were read from: all must have the same form.
    opts.root = std::fs::canonicalize(&opts.root)
        .or_else(|_| std::path::absolute(&opts.root))
        .map_err(|e| {
            Error::usage(
                format!("cannot watch {}: {e}", opts.root.display()),
                "pass the site's folder with --root",
            )
        })?;
    // A knob for tests, which send rebuilds' files to disk with it.
    let held_in_memory = match std::env::var("PAPERHUB_HELD_IN_MEMORY") {
        Ok(v) => v.parse().map_err(|_| {
            Error::usage(
                format!("PAPERHUB_HELD_IN_MEMORY is `{v}`, not a number of bytes"),
                "unset it, or give a whole number such as 67108864",
            )
        })?,
        Err(_) => HELD_IN_MEMORY,
    };
    let root = opts.root.clone();
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(move |e| {
        let _ = tx.send(e);
    })
    .map_err(|e| {
        Error::usage(
            format!("cannot watch {}: {e}", root.display()),
            "check that the folder exists",
        )
    })?;
    let mut watched: HashMap<PathBuf, u64> = HashMap::new();
    let mut rebuilder = Rebuilder::new(opts).hold_in_memory(held_in_memory);
    let root = rebuilder.root().to_path_buf();
    watch_dirs(&mut watcher, &root, &mut watched);

    let mut changes = Changes::all();
    loop {
        match rebuilder.rebuild(&changes) {
            Ok(r) => report(Event::Rebuilt(&r)),
            Err(e) => report(Event::Failed(&e)),
        }
        if let Some(saved) = rebuilder.save_state() {
            report(Event::Saved(&saved));
        }
        // content/ or themes/ may have been created or replaced (moved
        // away, restored from a backup) since. Files written into the new
        // folder before it was watched made no events, so it is read again
        // at once rather than on the next event.
        changes = Changes::default();
        for dir in watch_dirs(&mut watcher, &root, &mut watched) {
            changes.add(&root, &dir);
        }
        if changes.kind.is_some() {
            continue;
        }
        changes = match next_batch(&rx, &root) {
            Some(c) => c,
            None => return Ok(()),
        };
    }
}

/// Watches the root (for site.yaml and new top-level folders) and, below
/// it, content/ and themes/ recursively; output/ is never watched. A folder
/// that was replaced (moved away, restored from a backup) is a new folder
/// with a new inode, and is watched anew. Returns the folders below the
/// root it started watching.
fn watch_dirs(
    watcher: &mut impl Watcher,
    root: &Path,
    watched: &mut HashMap<PathBuf, u64>,
) -> Vec<PathBuf> {
    let mut started = Vec::new();
    for (dir, mode) in [
        (root.to_path_buf(), RecursiveMode::NonRecursive),
        (root.join("content"), RecursiveMode::Recursive),
        (root.join("themes"), RecursiveMode::Recursive),
    ] {
        let inode = std::fs::metadata(&dir)
            .ok()
            .filter(|m| m.is_dir())
            .map(|m| inode_of(&m));
        match (inode, watched.get(&dir).copied()) {
            (Some(now), Some(before)) if now == before => {}
            (Some(now), before) => {
                if before.is_some() {
                    let _ = watcher.unwatch(&dir);
                }
                if watcher.watch(&dir, mode).is_ok() {
                    if dir != root {
                        started.push(dir.clone());
                    }
                    watched.insert(dir, now);
                }
            }
            (None, Some(_)) => {
                let _ = watcher.unwatch(&dir);
                watched.remove(&dir);
            }
            (None, None) => {}
        }
    }
    started
}

#[cfg(unix)]
fn inode_of(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode_of(_: &std::fs::Metadata) -> u64 {
    0
}

/// Waits for a relevant event, then gathers events until the file system is
/// quiet. `None` when the watcher is gone.
fn next_batch(rx: &mpsc::Receiver<notify::Result<notify::Event>>, root: &Path) -> Option<Changes> {
    let mut changes = Changes::default();
    let add = |event: notify::Result<notify::Event>, changes: &mut Changes| match event {
        Ok(e) => {
            if std::env::var_os("PAPERHUB_DEBUG_EVENTS").is_some() {
                eprintln!("event: {e:?}");
            }
            // Our own reads show up as opens and closes; only a closed
            // write among the access events means a change.
            use notify::event::{AccessKind, AccessMode, EventKind};
            if matches!(e.kind, EventKind::Access(k) if k != AccessKind::Close(AccessMode::Write)) {
                return;
            }
            if e.need_rescan() {
                changes.merge(&Changes::all());
            }
            for p in &e.paths {
                changes.add(root, p);
            }
        }
        // The watcher lost track (e.g. a queue overflow): rebuild all.
        Err(_) => changes.merge(&Changes::all()),
    };
    while changes.kind.is_none() {
        add(rx.recv().ok()?, &mut changes);
    }
    let first = Instant::now();
    while first.elapsed() < MAX_BATCH {
        match rx.recv_timeout(QUIET) {
            Ok(e) => add(e, &mut changes),
            Err(mpsc::RecvTimeoutError::Timeout) => break,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    Some(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_paths() {
        let root = Path::new("/site");
        let cases = [
            ("/site/site.yaml", Some(ChangeKind::Config)),
            ("/site/content/papers/a.md", Some(ChangeKind::Content)),
            ("/site/content/papers/.a.md.swp", None),
            ("/site/content/papers/a.md~", None),
            (
                "/site/themes/default/templates/paper.html",
                Some(ChangeKind::Theme),
            ),
            ("/site/output/index.html", None),
            ("/site/.git/index", None),
            ("/elsewhere/site.yaml", None),
        ];
        for (path, want) in cases {
            assert_eq!(ChangeKind::of(root, Path::new(path)), want, "case {path}");
        }
    }
}

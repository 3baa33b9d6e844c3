//! Loading content: discover record and page files (walkdir), read and parse
//! them in parallel, then check what only the whole set can show (duplicate
//! ids, slug collisions). Runs after config; its [`Content`] feeds the graph.

mod frontmatter;
mod page;
mod paper;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use walkdir::WalkDir;

pub use frontmatter::{split as split_front_matter, Split};
pub use page::{Page, RESERVED};
#[cfg(test)]
pub(crate) use paper::parse_for_test;
pub use paper::{
    is_safe_link, parse_date, Cite, CitedWork, Paper, RecordFormat, Review, Vocabulary,
};

use crate::config::Config;
use crate::diag::{display_path, Diagnostic, Diagnostics, Pos};
use crate::error::{Error, Result};

/// Everything the site's content folder holds, parsed and validated.
#[derive(Debug, Default)]
pub struct Content {
    /// Sorted by id; drafts left out unless the build asks for them.
    /// Shared, so that a rebuild reuses unchanged records without copying.
    pub papers: Vec<Arc<Paper>>,
    /// Sorted by slug.
    pub pages: Vec<Arc<Page>>,
}

/// Files paperhub reads, found under `content/`.
#[derive(Debug, Default)]
pub struct Discovered {
    pub records: Vec<PathBuf>,
    pub pages: Vec<PathBuf>,
    /// Entries that could not be read (permissions, symlink loops).
    pub errors: Vec<(PathBuf, String)>,
}

/// Lists record files under `content/papers/` (any depth) and page files
/// under `content/pages/`, skipping hidden and editor temporary files.
pub fn discover(content_dir: &Path) -> Discovered {
    let mut errors = Vec::new();
    let mut walk = |dir: PathBuf, want: fn(&Path) -> bool| -> Vec<PathBuf> {
        let mut files = Vec::new();
        let entries = WalkDir::new(&dir)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_str().unwrap_or(".")));
        for entry in entries {
            match entry {
                Ok(e) if e.file_type().is_file() && want(e.path()) => files.push(e.into_path()),
                Ok(_) => {}
                // A missing papers/ or pages/ folder is simply empty.
                Err(e)
                    if e.depth() == 0
                        && e.io_error()
                            .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) => {}
                Err(e) => {
                    let path = e.path().unwrap_or(&dir).to_path_buf();
                    let why = if e.loop_ancestor().is_some() {
                        "a symbolic link loops back to a folder above it".to_string()
                    } else {
                        e.io_error()
                            .map_or_else(|| e.to_string(), |io| io.to_string())
                    };
                    errors.push((path, why));
                }
            }
        }
        files.sort();
        files
    };
    let records = walk(content_dir.join("papers"), |p| {
        RecordFormat::of(p).is_some()
    });
    let pages = walk(content_dir.join("pages"), |p| {
        p.extension().is_some_and(|e| e == "md")
    });
    Discovered {
        records,
        pages,
        errors,
    }
}

/// Hidden files and the leftovers of editors (vim swap and backup files,
/// Emacs lock and autosave files) are never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

/// Reads, parses and validates all content. Every problem is collected and
/// returned together.
pub fn load(config: &Config) -> Result<Content> {
    load_with(config, None, &HashSet::new())
}

/// Parsed files from an earlier load, so a rebuild re-reads only what
/// changed. Valid for one config (the vocabularies shape parsing).
#[derive(Default)]
pub struct LoadCache {
    records: FxHashMap<PathBuf, Cached<Paper>>,
    pages: FxHashMap<PathBuf, Cached<Page>>,
    /// The files the last load found.
    found: Option<Discovered>,
}

impl LoadCache {
    /// Whether the files found last time are still all there are, without
    /// listing the folders again (a large site's `content/papers/` takes
    /// tens of milliseconds to read). The watcher names each path it saw
    /// created, removed or renamed; the files are all still there when
    /// each changed path is one of them and still a file, or neither one
    /// of them nor there any more (an editor's temporary file, written
    /// and renamed over a record). A listed file that is gone anyway (its
    /// folder moved away) is left out when it is found missing.
    fn still_found(&self, dirty: &HashSet<PathBuf>) -> bool {
        self.found.as_ref().is_some_and(|f| f.errors.is_empty())
            && !dirty.is_empty()
            && dirty.iter().all(|p| {
                let known = self.records.contains_key(p) || self.pages.contains_key(p);
                if known {
                    p.is_file()
                } else {
                    std::fs::symlink_metadata(p).is_err()
                }
            })
    }
}

struct Cached<T> {
    stamp: Stamp,
    parsed: Parsed<T>,
}

type Parsed<T> = Result<Arc<T>, Vec<Diagnostic>>;

/// What tells a changed file without reading it. Editors that save by
/// renaming change the inode; the watcher also names the paths it saw
/// change, which are re-read whatever their stamp says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    inode: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            inode,
        })
    }
}

/// Parses each file, or takes it from `cache` when its stamp is unchanged
/// and it is not in `dirty`; the cache then holds exactly the current files.
/// Without a cache (a one-off build) files are just parsed: no stamps.
fn parse_all<T: Send + Sync>(
    paths: &[PathBuf],
    cache: Option<&mut FxHashMap<PathBuf, Cached<T>>>,
    dirty: &HashSet<PathBuf>,
    parse: impl Fn(&Path) -> Result<T, Vec<Diagnostic>> + Sync,
) -> Vec<Parsed<T>> {
    let Some(cache) = cache else {
        return paths
            .par_iter()
            .map(|path| parse(path).map(Arc::new))
            .collect();
    };
    /// What became of a listed file since the cache was filled.
    enum Seen<T> {
        Same(Parsed<T>),
        Gone,
        Changed(Cached<T>),
    }
    let seen: Vec<Seen<T>> = paths
        .par_iter()
        .map(|path| {
            let stamp = Stamp::of(path);
            match (cache.get(path), stamp) {
                (Some(c), Some(s)) if c.stamp == s && !dirty.contains(path) => {
                    Seen::Same(c.parsed.clone())
                }
                // Gone since the folders were last listed, and no event
                // said so: as if it had not been listed.
                (_, None) if !dirty.contains(path) => Seen::Gone,
                _ => Seen::Changed(Cached {
                    stamp: stamp.unwrap_or(Stamp {
                        len: u64::MAX,
                        modified: None,
                        inode: 0,
                    }),
                    parsed: parse(path).map(Arc::new),
                }),
            }
        })
        .collect();
    // The cache is updated in place: a save changes a file or two of a
    // hundred thousand, and remaking it would copy every path.
    let mut results = Vec::with_capacity(paths.len());
    for (path, seen) in paths.iter().zip(seen) {
        match seen {
            Seen::Same(parsed) => results.push(parsed),
            Seen::Gone => {
                cache.remove(path);
            }
            Seen::Changed(c) => {
                results.push(c.parsed.clone());
                cache.insert(path.clone(), c);
            }
        }
    }
    // Paths are listed once each, so the cache holds files no longer
    // listed exactly when it holds more than the results.
    if cache.len() > results.len() {
        let listed: FxHashSet<&Path> = paths.iter().map(PathBuf::as_path).collect();
        cache.retain(|path, _| listed.contains(path.as_path()));
    }
    results
}

/// [`load`], re-parsing only files that changed since the load that filled
/// `cache`, or that are named in `dirty`.
pub fn load_cached(
    config: &Config,
    cache: &mut LoadCache,
    dirty: &HashSet<PathBuf>,
) -> Result<Content> {
    load_with(config, Some(cache), dirty)
}

fn load_with(
    config: &Config,
    cache: Option<&mut LoadCache>,
    dirty: &HashSet<PathBuf>,
) -> Result<Content> {
    let root = &config.root;
    let vocab = &config.citations;
    let listed;
    let (found, records, pages) = match cache {
        Some(c) => {
            if !c.still_found(dirty) {
                c.found = Some(discover(&config.content_dir()));
            }
            let LoadCache {
                records,
                pages,
                found,
            } = c;
            (
                found.as_ref().expect("just found"),
                Some(records),
                Some(pages),
            )
        }
        None => {
            listed = discover(&config.content_dir());
            (&listed, None, None)
        }
    };
    let papers = parse_all(&found.records, records, dirty, |path| {
        let rel = display_path(root, path);
        let text = read_text(path, &rel)?;
        let format = RecordFormat::of(path).unwrap_or(RecordFormat::Markdown);
        Paper::parse(&rel, &text, format, vocab)
    });
    let pages = parse_all(&found.pages, pages, dirty, |path| {
        let rel = display_path(root, path);
        let text = read_text(path, &rel)?;
        Page::parse(&rel, &text).map_err(|d| vec![d])
    });

    let mut diags = Diagnostics::default();
    for (path, why) in &found.errors {
        diags.push(
            Diagnostic::new(
                display_path(root, path),
                Pos::START,
                format!("cannot read this entry: {why}"),
            )
            .hint("fix its permissions or remove it from content/"),
        );
    }
    let mut content = Content::default();
    for r in papers {
        match r {
            Ok(p) if p.draft && !config.drafts => {}
            Ok(p) => content.papers.push(p),
            Err(ds) => ds.into_iter().for_each(|d| diags.push(d)),
        }
    }
    for r in pages {
        match r {
            Ok(p) if p.draft && !config.drafts => {}
            Ok(p) => content.pages.push(p),
            Err(ds) => ds.into_iter().for_each(|d| diags.push(d)),
        }
    }
    content
        .papers
        .sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.path.cmp(&b.path)));
    content
        .pages
        .sort_by(|a, b| a.slug.cmp(&b.slug).then_with(|| a.path.cmp(&b.path)));
    check_unique(&content, &mut diags);
    check_paths(&content, &mut diags);
    if diags.is_empty() {
        Ok(content)
    } else {
        diags.sort();
        Err(Error::Content(diags))
    }
}

/// Reads a content file as UTF-8; invalid bytes are a diagnostic at the
/// first bad byte, not an I/O error.
fn read_text(path: &Path, rel: &Path) -> Result<String, Vec<Diagnostic>> {
    let bytes = std::fs::read(path).map_err(|e| {
        vec![
            Diagnostic::new(rel, Pos::START, format!("cannot read this file: {e}"))
                .hint("check that it exists and is readable"),
        ]
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes());
        let pos = Pos::of_offset(&lossy, valid);
        vec![Diagnostic::new(rel, pos, "this file is not valid UTF-8")
            .hint("save it as UTF-8; the first invalid byte is here")
            .source(&lossy)]
    })
}

/// The file an alias such as `/p/x` (or `/old/x.html`) is written to.
pub fn alias_path(alias: &str) -> String {
    let a = alias.trim_matches('/');
    if a.ends_with(".html") {
        a.to_string()
    } else {
        format!("{a}/index.html")
    }
}

/// Free pages must have distinct URLs; an alias may not take the place of
/// a generated page, a free page or another alias.
fn check_paths(content: &Content, diags: &mut Diagnostics) {
    let mut pages: HashMap<&str, &Page> = HashMap::new();
    for p in &content.pages {
        if let Some(first) = pages.insert(&p.slug, p) {
            diags.push(
                Diagnostic::new(
                    &p.path,
                    Pos::START,
                    format!(
                        "this page and {} both make the URL /{}/",
                        first.path.display(),
                        p.slug
                    ),
                )
                .hint("rename one of the files"),
            );
        }
    }
    let mut seen: HashMap<String, &Path> = HashMap::new();
    for p in &content.papers {
        for (a, &pos) in p.aliases.iter().zip(&p.alias_pos) {
            let path = alias_path(a);
            let first = path.split('/').next().unwrap_or_default();
            if RESERVED.contains(&first) || pages.contains_key(first) || path == "index.html" {
                diags.push(
                    Diagnostic::new(&p.path, pos, format!("the alias {a:?} would replace a page paperhub generates"))
                        .hint("pick a path outside /papers/, /hubs/, /search/, the taxonomies and the free pages, such as \"/p/<id>\""),
                );
            } else if let Some(other) = seen.insert(path, &p.path) {
                diags.push(
                    Diagnostic::new(
                        &p.path,
                        pos,
                        format!("the alias {a:?} is also an alias in {}", other.display()),
                    )
                    .hint("an old URL can redirect to one page only; remove one of them"),
                );
            }
        }
    }
}

/// Ids and slugs must be unique across records; both files are named.
fn check_unique(content: &Content, diags: &mut Diagnostics) {
    // Fx-hashed and sized at once: every save of a large site checks them.
    let n = content.papers.len();
    let mut by_id: FxHashMap<&str, &Paper> =
        FxHashMap::with_capacity_and_hasher(n, Default::default());
    let mut by_slug: FxHashMap<&str, &Paper> =
        FxHashMap::with_capacity_and_hasher(n, Default::default());
    for p in &content.papers {
        if let Some(first) = by_id.insert(&p.id, p) {
            diags.push(
                Diagnostic::new(&p.path, p.id_pos, format!("duplicate id {:?}", p.id)).hint(
                    format!(
                        "{} already has this id (at line {}); give one of them another `id:`",
                        first.path.display(),
                        first.id_pos.line
                    ),
                ),
            );
            by_id.insert(&first.id, first);
            continue;
        }
        if let Some(first) = by_slug.insert(&p.slug, p) {
            diags.push(
                Diagnostic::new(
                    &p.path,
                    p.id_pos,
                    format!(
                        "the ids {:?} and {:?} both make the URL /papers/{}/",
                        first.id, p.id, p.slug
                    ),
                )
                .hint(format!(
                    "{} has the other id; change one so that their slugs differ",
                    first.path.display()
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_editor_and_hidden_files() {
        for (name, want) in [
            (".x.md.swp", true),
            ("x.md~", true),
            ("#x.md#", true),
            (".hidden", true),
            ("4913", false),
            ("x.md", false),
        ] {
            assert_eq!(is_ignored(name), want, "case {name}");
        }
    }
}

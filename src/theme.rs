//! Themes: the templates and static files a site is rendered with.
//!
//! The default theme is embedded in the binary so that an installed
//! paperhub builds any site. A folder `themes/<theme>/` in the site
//! overrides it file by file: a theme may replace only the templates it
//! cares about and inherit the rest. Runs after config, before render.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use walkdir::WalkDir;

use crate::config::{locate_key, Config, CONFIG_FILE};
use crate::diag::{display_path, Diagnostic, Diagnostics};
use crate::error::{Error, Result};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The name of the embedded theme.
pub const DEFAULT: &str = "default";

/// A template's source and where it came from (for error messages).
#[derive(Debug, Clone)]
pub struct Template {
    /// The name templates use to refer to it: `paper.html`, `partials/x.html`.
    pub name: String,
    pub source: Cow<'static, str>,
    /// The file shown in errors: the site's file, or the embedded theme's.
    pub origin: PathBuf,
}

/// A static file copied as is to `output/static/`.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// The path below `static/`, with `/` separators.
    pub path: String,
    pub bytes: Cow<'static, [u8]>,
}

/// A resolved theme.
#[derive(Debug, Clone)]
pub struct Theme {
    pub name: String,
    /// Sorted by name.
    pub templates: Vec<Template>,
    /// Sorted by path.
    pub statics: Vec<StaticFile>,
}

impl Theme {
    /// The embedded default theme with the site's `themes/<theme>/` laid
    /// over it. A theme named in site.yaml must exist unless it is `default`.
    pub fn load(config: &Config) -> Result<Theme> {
        let mut theme = Theme::embedded();
        theme.name = config.theme.clone();
        let dir = config.theme_dir();
        if !dir.is_dir() {
            if config.theme == DEFAULT {
                return Ok(theme);
            }
            let path = config.root.join(CONFIG_FILE);
            let source = std::fs::read_to_string(&path).unwrap_or_default();
            let found = available_themes(&config.root);
            let hint = if found.is_empty() {
                format!(
                    "create themes/{}/templates/, or remove `theme:` to use the built-in default",
                    config.theme
                )
            } else {
                format!(
                    "themes in this site: {}; or remove `theme:` to use the built-in default",
                    found.join(", ")
                )
            };
            let d = Diagnostic::new(
                CONFIG_FILE,
                locate_key(&source, "theme"),
                format!("unknown theme `{}`", config.theme),
            )
            .hint(hint)
            .source(&source);
            return Err(Error::Content(Diagnostics(vec![d])));
        }
        for (rel, path) in files_under(&dir.join("templates"))? {
            let source = std::fs::read_to_string(&path).map_err(|e| Error::read(&path, e))?;
            let origin = display_path(&config.root, &path);
            theme.put_template(Template {
                name: rel,
                source: Cow::Owned(source),
                origin,
            });
        }
        for (rel, path) in files_under(&dir.join("static"))? {
            let bytes = std::fs::read(&path).map_err(|e| Error::read(&path, e))?;
            theme.put_static(StaticFile {
                path: rel,
                bytes: Cow::Owned(bytes),
            });
        }
        Ok(theme)
    }

    /// The default theme as compiled into the binary.
    pub fn embedded() -> Theme {
        let mut theme = Theme {
            name: DEFAULT.to_string(),
            templates: Vec::new(),
            statics: Vec::new(),
        };
        for file in all_files(&DEFAULT_THEME) {
            let path = file.path().to_string_lossy().replace('\\', "/");
            if let Some(name) = path.strip_prefix("templates/") {
                theme.put_template(Template {
                    name: name.to_string(),
                    source: Cow::Borrowed(file.contents_utf8().unwrap_or_default()),
                    origin: PathBuf::from("<built-in theme>/templates").join(name),
                });
            } else if let Some(name) = path.strip_prefix("static/") {
                theme.put_static(StaticFile {
                    path: name.to_string(),
                    bytes: Cow::Borrowed(file.contents()),
                });
            }
        }
        theme
    }

    /// Writes the embedded default theme to `dir` (for `paperhub init --theme`).
    pub fn write_embedded(dir: &Path) -> Result<()> {
        for file in all_files(&DEFAULT_THEME) {
            let path = dir.join(file.path());
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
            }
            std::fs::write(&path, file.contents()).map_err(|e| Error::write(&path, e))?;
        }
        Ok(())
    }

    fn put_template(&mut self, t: Template) {
        match self.templates.binary_search_by(|x| x.name.cmp(&t.name)) {
            Ok(i) => self.templates[i] = t,
            Err(i) => self.templates.insert(i, t),
        }
    }

    fn put_static(&mut self, s: StaticFile) {
        match self.statics.binary_search_by(|x| x.path.cmp(&s.path)) {
            Ok(i) => self.statics[i] = s,
            Err(i) => self.statics.insert(i, s),
        }
    }
}

fn all_files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut out: Vec<&include_dir::File> = dir.files().collect();
    for d in dir.dirs() {
        out.extend(all_files(d));
    }
    out
}

/// Regular files below `dir` as (relative path with `/`, full path), sorted;
/// hidden and editor files are skipped. A missing folder has no files.
fn files_under(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !crate::content::is_ignored(&e.file_name().to_string_lossy())
        })
    {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::read(
                path,
                e.into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("symlink loop")),
            )
        })?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            out.push((rel, entry.into_path()));
        }
    }
    Ok(out)
}

fn available_themes(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("themes"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeds_the_default_theme() {
        let t = Theme::embedded();
        for name in ["base.html", "paper.html", "list.html", "feed.xml"] {
            assert!(t.templates.iter().any(|x| x.name == name), "missing {name}");
        }
        assert!(t.statics.iter().any(|s| s.path == "style.css"));
    }
}

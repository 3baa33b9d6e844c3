//! `site.yaml` → [`Config`]: typed, validated, with absolute paths.
//!
//! The first stage of every command. Every key has a default, so a site
//! without `site.yaml` builds; unknown keys are errors with a hint.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diag::{did_you_mean, Diagnostic, Diagnostics, Pos};
use crate::error::{Error, Result};

pub const CONFIG_FILE: &str = "site.yaml";

/// The most names `citations.roles` or `citations.polarities` may list.
pub const MAX_VOCABULARY: usize = 255;

/// The site's configuration as written in `site.yaml`, plus resolved paths.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub title: String,
    /// Where the site will be published, e.g. `https://example.org/hub/`.
    /// Drives canonical links, the feed and the sitemap; its path part
    /// prefixes every internal link.
    pub base_url: String,
    pub description: String,
    pub language: String,
    pub theme: String,
    pub papers_per_page: usize,
    pub hub: HubConfig,
    pub citations: CitationsConfig,
    pub markdown: MarkdownConfig,
    pub outputs: OutputsConfig,
    /// Where the site is published: the build checks its output against
    /// that host's limits.
    pub host: crate::footprint::Host,
    /// Links to folders end in `index.html`, so the output works when
    /// opened from disk (`build --portable`).
    pub portable: bool,
    /// Keys for `import --fetch`; never shown to templates.
    #[serde(skip_serializing)]
    pub import: ImportConfig,
    /// Free-form data for templates.
    pub extra: serde_json::Value,
    #[serde(skip)]
    pub root: PathBuf,
    #[serde(skip)]
    pub output_dir: PathBuf,
    /// Include records marked `draft: true`.
    #[serde(skip)]
    pub drafts: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HubConfig {
    /// How many representative citing papers a hub page shows.
    pub representative: usize,
    /// How many citing papers the explorer lists per page; a hub cited
    /// more often continues on /papers/<slug>/page/N/.
    pub citing_per_page: usize,
}

/// The citation vocabularies. Roles and polarities are open sets chosen per
/// site, so they are kept as ordered names and referred to by index.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct CitationsConfig {
    pub roles: Vec<String>,
    pub polarities: Vec<String>,
    /// A colour (`#rgb` or `#rrggbb`) for any role or polarity, in place
    /// of the one its meaning gives it.
    pub colors: std::collections::BTreeMap<String, String>,
    /// The role an imported citation intent gives (Semantic Scholar's
    /// `background`, `methodology`, `result`); see [`Self::role_of_intent`].
    pub intents: Option<std::collections::BTreeMap<String, String>>,
}

impl CitationsConfig {
    /// The role `intent` gives: by `intents` when site.yaml has it, else
    /// background → background, methodology → method, result → result.
    /// `None` when that is no role of `roles` (the citation stays
    /// unclassified).
    pub fn role_of_intent(&self, intent: &str) -> Option<&str> {
        let role = match &self.intents {
            Some(map) => map.get(intent)?.as_str(),
            None => match intent {
                "background" => "background",
                "methodology" => "method",
                "result" => "result",
                _ => return None,
            },
        };
        self.roles.iter().find(|r| *r == role).map(String::as_str)
    }
}

/// What `paperhub import --fetch` sends. Keys are better kept in the
/// environment (`S2_API_KEY`, `OPENALEX_API_KEY`) than in a file in git.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImportConfig {
    /// A Semantic Scholar API key (`x-api-key`).
    pub s2_api_key: Option<String>,
    /// An OpenAlex API key (`api_key=`).
    pub openalex_api_key: Option<String>,
    /// An address OpenAlex may write to about heavy use (`mailto=`).
    pub openalex_mailto: Option<String>,
}

// Keys stay out of debug output.
impl std::fmt::Debug for ImportConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hidden = |k: &Option<String>| k.as_ref().map(|_| "***");
        f.debug_struct("ImportConfig")
            .field("s2_api_key", &hidden(&self.s2_api_key))
            .field("openalex_api_key", &hidden(&self.openalex_api_key))
            .field("openalex_mailto", &self.openalex_mailto)
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// A syntect theme name for the light scheme; the dark scheme uses
    /// `base16-ocean.dark`.
    pub highlight_theme: String,
    /// Render `$...$` and `$$...$$` to MathML.
    pub math: bool,
    /// Keep raw HTML in Markdown as written (trusted content only).
    pub unsafe_html: bool,
}

/// The optional files and metadata a build writes. The defaults keep what
/// readers and indexers use and leave out copies (see the guide's
/// "Footprint"); each switch brings one kind back.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutputsConfig {
    /// Per work: `cite.bib`, `cite.ris`, `cite.json` and the `index.json`
    /// twin. Off by default: the page makes the same downloads in the
    /// browser, and `export/` has every record without JavaScript.
    pub work_files: bool,
    /// Per cited work: `citing.bib` and the `feed.xml` of new citing
    /// papers. Off by default: one file pair per hub is most of a large
    /// site's file count.
    pub hub_files: bool,
    /// Per keyword and category: `feed.xml`.
    pub term_feeds: bool,
    /// `export/papers.bib`, `export/papers.json`, `export/graph.json`.
    pub exports: bool,
    /// A paper's reference list in its `<head>`: a Highwire
    /// `citation_reference` tag and a JSON-LD `citation` per cited work.
    /// Off by default: the page lists and links every cited work already.
    pub head_references: bool,
}

impl Default for OutputsConfig {
    fn default() -> Self {
        OutputsConfig {
            work_files: false,
            hub_files: false,
            term_feeds: true,
            exports: true,
            head_references: false,
        }
    }
}

impl OutputsConfig {
    /// Every optional output on, as before the lean defaults.
    pub fn all() -> OutputsConfig {
        OutputsConfig {
            work_files: true,
            hub_files: true,
            term_feeds: true,
            exports: true,
            head_references: true,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Paper hub".into(),
            base_url: "/".into(),
            description: String::new(),
            language: "en".into(),
            theme: "default".into(),
            papers_per_page: 50,
            hub: HubConfig::default(),
            citations: CitationsConfig::default(),
            markdown: MarkdownConfig::default(),
            outputs: OutputsConfig::default(),
            host: Default::default(),
            portable: false,
            import: ImportConfig::default(),
            extra: serde_json::Value::Object(Default::default()),
            root: PathBuf::new(),
            output_dir: PathBuf::new(),
            drafts: false,
        }
    }
}

impl Default for HubConfig {
    fn default() -> Self {
        HubConfig {
            representative: 8,
            citing_per_page: 100,
        }
    }
}

impl Default for CitationsConfig {
    fn default() -> Self {
        CitationsConfig {
            roles: ["background", "method", "result", "extension"]
                .map(String::from)
                .to_vec(),
            polarities: ["supporting", "neutral", "contrasting"]
                .map(String::from)
                .to_vec(),
            colors: Default::default(),
            intents: None,
        }
    }
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            highlight_theme: "InspiredGitHub".into(),
            math: true,
            unsafe_html: false,
        }
    }
}

/// Light syntax themes that syntect bundles; `highlight_theme` must be one.
pub const HIGHLIGHT_THEMES: &[&str] = &[
    "InspiredGitHub",
    "Solarized (light)",
    "base16-ocean.light",
    "base16-ocean.dark",
    "base16-eighties.dark",
    "base16-mocha.dark",
    "Solarized (dark)",
];

impl Config {
    /// Reads `root/site.yaml` (if present) and validates it.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        let source = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
                let pos = Pos::of_offset(
                    &String::from_utf8_lossy(e.as_bytes()),
                    e.utf8_error().valid_up_to(),
                );
                content_error(
                    Diagnostic::new(CONFIG_FILE, pos, "site.yaml is not valid UTF-8")
                        .hint("save the file as UTF-8"),
                )
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Error::read(path, e)),
        };
        let mut config = Config::parse(&source)?;
        config.root = root.to_path_buf();
        config.output_dir = root.join("output");
        Ok(config)
    }

    /// Parses and validates the text of `site.yaml`; pure, for tests.
    pub fn parse(source: &str) -> Result<Config> {
        let path = Path::new(CONFIG_FILE);
        let config: Config = crate::yaml::parse(path, source, source, 1).map_err(content_error)?;
        let mut problems = Problems {
            source,
            diags: Diagnostics::default(),
        };
        config.check_pages(&mut problems);
        config.citations.check(&mut problems);
        if !is_valid_base_url(&config.base_url) {
            problems.at(
                "base_url",
                format!("`base_url` `{}` is not a URL or an absolute path", config.base_url),
                "write it as `https://example.org/` or `https://example.org/hub/`, or `/` for root-relative links",
            );
        }
        if problems.diags.is_empty() {
            Ok(config)
        } else {
            Err(Error::Content(problems.diags))
        }
    }

    fn check_pages(&self, problems: &mut Problems) {
        if self.papers_per_page == 0 {
            let msg = "`papers_per_page` must be at least 1";
            problems.at("papers_per_page", msg, "the default is 50");
        }
        if self.hub.citing_per_page == 0 {
            let msg = "`hub.citing_per_page` must be at least 1";
            problems.at("citing_per_page", msg, "the default is 100");
        }
        let theme = &self.markdown.highlight_theme;
        if !HIGHLIGHT_THEMES.contains(&theme.as_str()) {
            let hint = match did_you_mean(theme, HIGHLIGHT_THEMES) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("available themes: {}", HIGHLIGHT_THEMES.join(", ")),
            };
            problems.at(
                "highlight_theme",
                format!("unknown highlight theme `{theme}`"),
                hint,
            );
        }
    }

    /// Overrides `base_url`, as `--base-url` does.
    pub fn set_base_url(&mut self, url: &str) -> Result<()> {
        if !is_valid_base_url(url) {
            return Err(Error::usage(
                format!("--base-url `{url}` is not a URL or an absolute path"),
                "write it as `https://example.org/` or `/`",
            ));
        }
        self.base_url = url.to_string();
        Ok(())
    }

    /// The path prefix of every internal link: `/` or `/hub/`.
    pub fn base_path(&self) -> String {
        let url = self.base_url.trim();
        let path = match url.find("://") {
            Some(i) => {
                let after = &url[i + 3..];
                after.find('/').map_or("/", |j| &after[j..])
            }
            None => url,
        };
        let mut p = path.to_string();
        if !p.ends_with('/') {
            p.push('/');
        }
        p
    }

    /// The absolute URL of a site path such as `papers/x/`, for canonical
    /// links, the feed and the sitemap. Falls back to the root-relative link
    /// when `base_url` names no host.
    pub fn absolute_url(&self, path: &str) -> String {
        // One allocation: exports make one of these per citation.
        let base = self.base_url.trim();
        let path = path.trim_start_matches('/');
        let mut url = String::with_capacity(base.len() + 1 + path.len());
        url.push_str(base);
        if !base.ends_with('/') {
            url.push('/');
        }
        url.push_str(path);
        url
    }

    /// Whether `base_url` names a host (needed for feeds and canonical links).
    pub fn has_host(&self) -> bool {
        self.base_url.contains("://")
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    pub fn theme_dir(&self) -> PathBuf {
        self.root.join("themes").join(&self.theme)
    }
}

fn is_valid_base_url(url: &str) -> bool {
    let url = url.trim();
    if url.starts_with('/') {
        return !url.contains(char::is_whitespace);
    }
    match url.split_once("://") {
        Some((scheme, rest)) => {
            matches!(scheme, "http" | "https")
                && !rest.is_empty()
                && !rest.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// Problems found in site.yaml, each placed at the key it is about.
struct Problems<'s> {
    source: &'s str,
    diags: Diagnostics,
}

impl Problems<'_> {
    fn at(&mut self, key: &str, message: impl Into<String>, hint: impl Into<String>) {
        let pos = locate_key(self.source, key);
        let d = Diagnostic::new(CONFIG_FILE, pos, message)
            .hint(hint)
            .source(self.source);
        self.diags.push(d);
    }
}

impl CitationsConfig {
    /// The vocabularies, their colours and the intents mapped to roles.
    fn check(&self, problems: &mut Problems) {
        for (key, list) in [("roles", &self.roles), ("polarities", &self.polarities)] {
            // Records keep a name as its index in one byte.
            if list.len() > MAX_VOCABULARY {
                let msg = format!(
                    "`citations.{key}` has {} names; at most {MAX_VOCABULARY} are allowed",
                    list.len()
                );
                problems.at(
                    key,
                    msg,
                    "keep the list to the kinds a reader can tell apart",
                );
            }
            let mut seen = std::collections::HashSet::new();
            for name in list {
                if name.trim().is_empty() || !seen.insert(name) {
                    let msg = format!("`citations.{key}` has an empty or repeated name `{name}`");
                    problems.at(key, msg, "each name must be unique and not empty");
                }
            }
        }
        let labels: Vec<&str> = self
            .roles
            .iter()
            .chain(&self.polarities)
            .map(String::as_str)
            .collect();
        for (name, colour) in &self.colors {
            if !labels.contains(&name.as_str()) {
                let msg =
                    format!("`citations.colors` names `{name}`, which is no role or polarity");
                problems.at(
                    "colors",
                    msg,
                    suggest(name, &labels, "roles and polarities"),
                );
            }
            if !is_colour(colour) {
                let msg = format!("the colour `{colour}` of `{name}` is not a hex colour");
                problems.at("colors", msg, "write it as `#1e7a50` or `#1e7`");
            }
        }
        // A mapping written in site.yaml must name roles (the defaults may
        // name roles a custom vocabulary lacks: those intents then leave
        // citations unclassified).
        let roles: Vec<&str> = self.roles.iter().map(String::as_str).collect();
        for (intent, role) in self.intents.iter().flatten() {
            if !roles.contains(&role.as_str()) {
                let msg =
                    format!("`citations.intents` maps `{intent}` to `{role}`, which is no role");
                problems.at("intents", msg, suggest(role, &roles, "roles"));
            }
        }
    }
}

/// "did you mean `x`?" for a `name` that is none of `names`, or the
/// names (`what`) there are.
fn suggest(name: &str, names: &[&str], what: &str) -> String {
    match did_you_mean(name, names) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("the {what} are: {}", names.join(", ")),
    }
}

/// Whether `s` is a colour `citations.colors` accepts: `#rgb` or `#rrggbb`.
fn is_colour(s: &str) -> bool {
    s.strip_prefix('#')
        .is_some_and(|h| matches!(h.len(), 3 | 6) && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn content_error(d: Diagnostic) -> Error {
    Error::Content(Diagnostics(vec![d]))
}

/// The position of `key:` in `source`, for validation errors found after
/// deserialising (serde_yaml keeps no positions on values).
pub fn locate_key(source: &str, key: &str) -> Pos {
    let needle = format!("{key}:");
    for (i, line) in source.lines().enumerate() {
        let trimmed = line.trim_start().trim_start_matches("- ");
        if trimmed.starts_with(&needle) {
            return Pos::new(i + 1, line.len() - trimmed.len() + 1);
        }
    }
    Pos::START
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_to_an_empty_file() {
        let c = Config::parse("").unwrap();
        assert_eq!(c.papers_per_page, 50);
        assert_eq!(c.hub.representative, 8);
        assert_eq!(c.citations.roles.len(), 4);
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn base_path_comes_from_base_url() {
        for (url, want) in [
            ("https://example.org", "/"),
            ("https://example.org/", "/"),
            ("https://example.org/hub", "/hub/"),
            ("https://example.org/hub/", "/hub/"),
            ("/", "/"),
            ("/sub/", "/sub/"),
        ] {
            let c = Config::parse(&format!("base_url: \"{url}\"")).unwrap();
            assert_eq!(c.base_path(), want, "case {url}");
        }
    }

    #[test]
    fn unknown_key_is_an_error_with_hint() {
        let Err(Error::Content(d)) = Config::parse("title: x\npapers_per_pag: 3\n") else {
            panic!("expected a content error");
        };
        assert_eq!(d.0[0].pos.line, 2);
        assert!(d.0[0].hint.as_deref().unwrap().contains("papers_per_page"));
    }

    #[test]
    fn invalid_values_are_all_reported() {
        let src =
            "papers_per_page: 0\nbase_url: example.org\nmarkdown:\n  highlight_theme: Inspired\n";
        let Err(Error::Content(d)) = Config::parse(src) else {
            panic!("expected a content error");
        };
        assert_eq!(d.len(), 3, "{d}");
        let lines: Vec<usize> = d.0.iter().map(|x| x.pos.line).collect();
        assert_eq!(
            lines,
            [1, 4, 2],
            "each at its key, in the order checked: {d}"
        );
        let src =
            "citations:\n  roles: [a, a, \" \"]\n  polarities: [p]\nhub:\n  citing_per_page: 0\n";
        let Err(Error::Content(d)) = Config::parse(src) else {
            panic!("expected a content error");
        };
        let found: Vec<(usize, bool)> =
            d.0.iter()
                .map(|x| (x.pos.line, x.message.contains("empty or repeated")))
                .collect();
        assert_eq!(found, [(5, false), (2, true), (2, true)], "{d}");
    }

    #[test]
    fn label_colours_must_be_hex_and_name_a_label() {
        for (s, ok) in [
            ("#abc", true),
            ("#A1b2C3", true),
            ("red", false),
            ("#abcd", false),
        ] {
            assert_eq!(is_colour(s), ok, "case {s}");
        }
        let c = Config::parse("citations:\n  intents: {methodology: result}\n").unwrap();
        assert_eq!(c.citations.role_of_intent("methodology"), Some("result"));
        assert_eq!(c.citations.role_of_intent("background"), None);
        let d = Config::default();
        assert_eq!(d.citations.role_of_intent("methodology"), Some("method"));
        let custom = Config::parse("citations:\n  roles: [uses]\nextra:\n  intents: x\n").unwrap();
        assert_eq!(custom.citations.role_of_intent("background"), None);
        let e = Config::parse("citations:\n  intents: {methodology: methd}\n").unwrap_err();
        assert!(e.to_string().contains("did you mean `method`"), "{e}");
        let c = Config::parse("citations:\n  colors: {neutral: \"#777\"}\n").unwrap();
        assert_eq!(c.citations.colors["neutral"], "#777");
        let Err(Error::Content(d)) =
            Config::parse("citations:\n  colors: {nuetral: \"#777\", method: blue}\n")
        else {
            panic!("expected a content error");
        };
        assert_eq!(d.len(), 2, "{d}");
        assert!(d.to_string().contains("did you mean `neutral`"), "{d}");
    }

    #[test]
    fn a_vocabulary_longer_than_a_byte_can_index_is_refused() {
        let names = |n: usize| (0..n).map(|i| format!("r{i}")).collect::<Vec<_>>();
        let src = |n| format!("citations:\n  roles: {:?}\n", names(n));
        let c = Config::parse(&src(MAX_VOCABULARY)).unwrap();
        assert_eq!(c.citations.roles.len(), MAX_VOCABULARY);
        let Err(Error::Content(d)) = Config::parse(&src(MAX_VOCABULARY + 1)) else {
            panic!("expected a content error");
        };
        assert!(d.to_string().contains("at most 255"), "{d}");
    }
}

//! `paperhub import`: records from BibTeX, arXiv (API Atom or the metadata
//! snapshot's JSON lines), OpenAlex (JSON or JSON lines) and Semantic
//! Scholar (Graph API responses or Datasets JSON lines), read from files or
//! fetched ([`fetch`]).
//!
//! Each reader turns its input into [`Entry`] values and a diagnostic per
//! entry it could not read; [`merge`] then creates or updates records.
//! Re-importing is idempotent: bibliographic fields follow the source,
//! while what people write (summary, review, roles, polarities, contexts,
//! extra, body) is never touched.

mod arxiv;
mod bibtex;
pub mod fetch;
mod merge;
mod openalex;
mod s2;

use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use crate::diag::Diagnostic;
use crate::error::{Error, Result};

pub use merge::{Change, Report};

/// The formats `paperhub import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A .bib file (BibTeX or BibLaTeX, with @string macros).
    Bibtex,
    /// arXiv API results (Atom XML) or the arXiv metadata snapshot (JSON lines).
    Arxiv,
    /// OpenAlex works: one work, a list, an API page, or JSON lines.
    Openalex,
    /// Semantic Scholar: Graph API papers, citations or references pages
    /// and batch results, or the Datasets API's papers and citations lines.
    S2,
}

/// One work read from an import file, in the record format's terms.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub authors: Vec<String>,
    pub year: Option<i32>,
    /// `YYYY-MM-DD` or `YYYY-MM`.
    pub date: Option<String>,
    pub venue: Option<String>,
    pub arxiv: Option<String>,
    pub doi: Option<String>,
    pub url: Option<String>,
    pub pdf: Option<String>,
    pub categories: Vec<String>,
    pub keywords: Vec<String>,
    /// Becomes the body of a new record.
    pub abstract_text: Option<String>,
    /// A one-sentence summary (Semantic Scholar's TLDR), for a record
    /// without one.
    pub summary: Option<String>,
    pub cites: Vec<Citation>,
    /// The source names only the work's citations, not the work itself (a
    /// references page): it updates a record and never creates one.
    pub only_cites: bool,
    /// Where it came from, for reports.
    pub origin: Origin,
}

/// One citation an import adds to a record's `cites`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Citation {
    pub id: String,
    /// The cited work's DOI and arXiv id, to find its record by.
    pub doi: Option<String>,
    pub arxiv: Option<String>,
    /// The source's intents, in its order (Semantic Scholar: background,
    /// methodology, result); `citations.intents` maps them to a role.
    pub intents: Vec<String>,
    /// The role the first mapped intent gives (set by [`run`]).
    pub role: Option<String>,
    /// The citing sentences.
    pub contexts: Vec<String>,
    pub influential: bool,
    /// What describes a cited work that may have no record.
    pub about: Option<About>,
}

impl Citation {
    /// A citation that is only an id.
    pub fn bare(id: impl Into<String>) -> Citation {
        Citation {
            id: id.into(),
            ..Citation::default()
        }
    }

    /// Whether the citation is labelled: a role, sentences or influence.
    pub fn has_details(&self) -> bool {
        self.role.is_some() || !self.contexts.is_empty() || self.influential
    }
}

/// A cited work as the source describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct About {
    pub title: String,
    pub authors: Vec<String>,
    pub year: Option<i32>,
    pub venue: Option<String>,
}

/// Where an entry came from: file, line, and its name there.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Origin {
    pub file: std::path::PathBuf,
    pub line: usize,
    /// The entry's key or id in the file.
    pub name: String,
}

impl Origin {
    pub fn new(file: &Path, line: usize, name: impl Into<String>) -> Origin {
        Origin {
            file: file.to_path_buf(),
            line,
            name: name.into(),
        }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{} ({})", self.file.display(), self.line, self.name)
    }
}

/// What a reader made of a file: the entries it read and one diagnostic
/// per entry it skipped.
#[derive(Debug, Default)]
pub struct Parsed {
    pub entries: Vec<Entry>,
    pub skipped: Vec<Diagnostic>,
    /// What was left out by design (references that name no paper), for
    /// the report.
    pub notes: Vec<String>,
    /// What the reader's labels say they came from (`source: s2`); the
    /// entries so marked are its own to update.
    pub source: Option<&'static str>,
}

/// Reads `file` as `format`.
pub fn read(format: Format, file: &Path) -> Result<Parsed> {
    read_all(format, &[file.to_path_buf()], None)
}

/// Reads `files` as `format`, as one input: a Semantic Scholar citations
/// page may name papers another file describes. `of` names the paper the
/// citations or references pages belong to.
pub fn read_all(format: Format, files: &[PathBuf], of: Option<&str>) -> Result<Parsed> {
    let mut texts = Vec::with_capacity(files.len());
    for file in files {
        texts.push((file.clone(), read_text(file)?));
    }
    let together = match format {
        Format::S2 => Some(s2::parse(&texts, of)?),
        Format::Openalex => Some(openalex::parse_all(&texts)?),
        _ => None,
    };
    if let Some(mut parsed) = together {
        for e in &mut parsed.entries {
            tidy(e);
        }
        return Ok(parsed);
    }
    let mut all = Parsed::default();
    for (file, text) in &texts {
        let p = parse(format, file, text)?;
        all.entries.extend(p.entries);
        all.skipped.extend(p.skipped);
        all.notes.extend(p.notes);
    }
    Ok(all)
}

fn read_text(file: &Path) -> Result<String> {
    let bytes = std::fs::read(file).map_err(|e| Error::read(file, e))?;
    String::from_utf8(bytes).map_err(|e| {
        Error::usage(
            format!(
                "{} is not UTF-8 text (invalid byte at offset {})",
                file.display(),
                e.utf8_error().valid_up_to()
            ),
            "convert it to UTF-8 first, e.g. with iconv",
        )
    })
}

/// Reads `text` (the contents of `file`) as `format`.
pub fn parse(format: Format, file: &Path, text: &str) -> Result<Parsed> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parsed = match format {
        Format::Bibtex => bibtex::parse(file, text),
        Format::Arxiv => arxiv::parse(file, text)?,
        Format::Openalex => openalex::parse(file, text)?,
        Format::S2 => s2::parse(&[(file.to_path_buf(), text.to_string())], None)?,
    };
    for e in &mut parsed.entries {
        tidy(e);
    }
    Ok(parsed)
}

/// Imports `files` into the site at `root` (see [`read_all`] for `of`);
/// with `dry_run`, only reports.
pub fn run(
    root: &Path,
    format: Format,
    files: &[PathBuf],
    of: Option<&str>,
    dry_run: bool,
) -> Result<(Parsed, Report)> {
    let parsed = read_all(format, files, of)?;
    apply(root, parsed, dry_run)
}

/// Merges what was read into the site at `root`: each citation's intents
/// become a role by the site's `citations.intents`.
pub fn apply(root: &Path, mut parsed: Parsed, dry_run: bool) -> Result<(Parsed, Report)> {
    let config = crate::config::Config::load(root)?;
    let vocab = &config.citations;
    for c in parsed.entries.iter_mut().flat_map(|e| e.cites.iter_mut()) {
        c.role = c
            .intents
            .iter()
            .find_map(|i| vocab.role_of_intent(i))
            .map(str::to_string);
    }
    let report = merge::apply(root, &mut parsed, dry_run)?;
    Ok((parsed, report))
}

/// Normalises what every reader produces: whitespace collapsed, DOIs
/// bare, arXiv ids without `arXiv:`, links that a record accepts.
fn tidy(e: &mut Entry) {
    // Composed characters (é, not e + ´), single spaces.
    let squash = |s: &str| {
        s.nfc()
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    e.title = squash(&e.title);
    e.authors = e
        .authors
        .iter()
        .map(|a| squash(a))
        .filter(|a| !a.is_empty())
        .collect();
    let clean = |v: &mut Option<String>| {
        *v = v.as_deref().map(squash).filter(|s| !s.is_empty());
    };
    clean(&mut e.venue);
    clean(&mut e.doi);
    clean(&mut e.arxiv);
    clean(&mut e.url);
    clean(&mut e.pdf);
    e.doi = e.doi.as_deref().map(bare_doi);
    e.arxiv = e.arxiv.as_deref().map(|a| {
        let a = a.trim_start_matches("arXiv:").trim_start_matches("arxiv:");
        a.rsplit("arxiv.org/abs/").next().unwrap_or(a).to_string()
    });
    for link in [&mut e.url, &mut e.pdf] {
        if link
            .as_deref()
            .is_some_and(|l| !crate::content::is_safe_link(l))
        {
            *link = None;
        }
    }
    if e.date
        .as_deref()
        .is_some_and(|d| crate::content::parse_date(d).is_none())
    {
        e.date = None;
    }
    if let Some(d) = &e.date {
        e.year = crate::content::parse_date(d);
    }
    e.keywords = e
        .keywords
        .iter()
        .map(|k| squash(k))
        .filter(|k| !k.is_empty())
        .collect();
    e.keywords.dedup();
    for text in [&mut e.abstract_text, &mut e.summary] {
        if let Some(a) = text {
            let a: String = a.trim().nfc().collect();
            *text = (!a.is_empty()).then_some(a);
        }
    }
    for c in &mut e.cites {
        let contexts = std::mem::take(&mut c.contexts);
        for t in contexts {
            let t = squash(&t);
            if !t.is_empty() && !c.contexts.contains(&t) {
                c.contexts.push(t);
            }
        }
        c.doi = c.doi.as_deref().map(bare_doi);
        if let Some(a) = &mut c.about {
            a.title = squash(&a.title);
            a.authors = a
                .authors
                .iter()
                .map(|n| squash(n))
                .filter(|n| !n.is_empty())
                .collect();
            a.venue = a.venue.as_deref().map(squash).filter(|v| !v.is_empty());
        }
    }
}

/// Plain text (a citing sentence) as Markdown that renders to the same
/// text: what Markdown or math would read as markup is escaped.
pub fn plain_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '<' | '>' | '&' | '$' | '[' | ']' | '~' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    // What starts a block: a heading, a list item, a rule.
    let first = out.chars().next();
    let numbered = out
        .find(|c: char| !c.is_ascii_digit())
        .filter(|&i| i > 0)
        .is_some_and(|i| out[i..].starts_with(". ") || out[i..].starts_with(") "));
    if matches!(first, Some('#' | '-' | '+' | '=')) {
        out.insert(0, '\\');
    } else if numbered {
        let i = out.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
        out.insert(i, '\\');
    }
    out
}

/// `https://doi.org/10.1/x` or `doi:10.1/x` → `10.1/x`.
pub fn bare_doi(doi: &str) -> String {
    let d = doi.trim();
    for prefix in [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi:",
        "DOI:",
    ] {
        if let Some(rest) = d.strip_prefix(prefix) {
            return rest.to_string();
        }
    }
    d.to_string()
}

/// The id a new record gets: its arXiv id without version, else its DOI,
/// else what the source calls it.
pub fn choose_id(arxiv: Option<&str>, doi: Option<&str>, fallback: &str) -> String {
    if let Some(a) = arxiv {
        let a = a.trim_start_matches("arXiv:").trim_start_matches("arxiv:");
        let a = a.rsplit("arxiv.org/abs/").next().unwrap_or(a);
        return crate::export::strip_version(a).to_string();
    }
    if let Some(d) = doi {
        return format!("doi:{}", bare_doi(d));
    }
    fallback.to_string()
}

/// A month written as a number or an English name (`3`, `mar`, `March`).
pub fn month(s: &str) -> Option<u32> {
    let s = s.trim().to_lowercase();
    if let Ok(n) = s.parse::<u32>() {
        return (1..=12).contains(&n).then_some(n);
    }
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    NAMES
        .iter()
        .position(|m| s.starts_with(m))
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_prefer_arxiv_then_doi() {
        assert_eq!(
            choose_id(Some("arXiv:2402.12345v3"), Some("10.1/x"), "k"),
            "2402.12345"
        );
        assert_eq!(
            choose_id(Some("http://arxiv.org/abs/hep-th/9901001v1"), None, "k"),
            "hep-th/9901001"
        );
        assert_eq!(
            choose_id(None, Some("https://doi.org/10.1/x"), "k"),
            "doi:10.1/x"
        );
        assert_eq!(choose_id(None, None, "smith2020"), "smith2020");
    }

    #[test]
    fn plain_text_stays_plain_through_markdown() {
        let md = crate::markdown::Markdown::new(&crate::config::MarkdownConfig::default(), "/");
        for text in [
            "As [12] shows, a*b and x_1 cost $5 & <b>not</b> `code` ~x~ | y.",
            "1. Introduction: we follow Smith.",
            "# not a heading",
            "- not a list",
            "Back\\slash.",
        ] {
            let html = md.render_inline(&plain_markdown(text));
            let back = html
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&");
            assert_eq!(back, text, "{html}");
        }
    }

    #[test]
    fn months_by_number_or_name() {
        assert_eq!(month("3"), Some(3));
        assert_eq!(month("March"), Some(3));
        assert_eq!(month("dec"), Some(12));
        assert_eq!(month("13"), None);
        assert_eq!(month("spring"), None);
    }
}

//! `paperhub import`: records from BibTeX, arXiv (API Atom or the metadata
//! snapshot's JSON lines) and OpenAlex (JSON or JSON lines).
//!
//! Each reader turns its input into [`Entry`] values and a diagnostic per
//! entry it could not read; [`merge`] then creates or updates records.
//! Re-importing is idempotent: bibliographic fields follow the source,
//! while what people write (summary, review, roles, polarities, contexts,
//! extra, body) is never touched.

mod arxiv;
mod bibtex;
mod merge;
mod openalex;

use std::path::Path;

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
    pub cites: Vec<String>,
    /// Where it came from, for reports.
    pub origin: Origin,
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
}

/// Reads `file` as `format`.
pub fn read(format: Format, file: &Path) -> Result<Parsed> {
    let bytes = std::fs::read(file).map_err(|e| Error::read(file, e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::usage(
            format!(
                "{} is not UTF-8 text (invalid byte at offset {})",
                file.display(),
                e.utf8_error().valid_up_to()
            ),
            "convert it to UTF-8 first, e.g. with iconv",
        )
    })?;
    parse(format, file, &text)
}

/// Reads `text` (the contents of `file`) as `format`.
pub fn parse(format: Format, file: &Path, text: &str) -> Result<Parsed> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parsed = match format {
        Format::Bibtex => bibtex::parse(file, text),
        Format::Arxiv => arxiv::parse(file, text)?,
        Format::Openalex => openalex::parse(file, text)?,
    };
    for e in &mut parsed.entries {
        tidy(e);
    }
    Ok(parsed)
}

/// Imports `file` into the site at `root`; with `dry_run`, only reports.
pub fn run(root: &Path, format: Format, file: &Path, dry_run: bool) -> Result<(Parsed, Report)> {
    let mut parsed = read(format, file)?;
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
    if let Some(a) = &e.abstract_text {
        let a: String = a.trim().nfc().collect();
        e.abstract_text = (!a.is_empty()).then_some(a);
    }
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
    fn months_by_number_or_name() {
        assert_eq!(month("3"), Some(3));
        assert_eq!(month("March"), Some(3));
        assert_eq!(month("dec"), Some(12));
        assert_eq!(month("13"), None);
        assert_eq!(month("spring"), None);
    }
}

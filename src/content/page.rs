//! Free pages (`content/pages/*.md`), such as an about page: a title and a
//! Markdown body, served at `/<file-stem>/`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::content::frontmatter;
use crate::diag::{Diagnostic, Pos};
use crate::slug::term_slug;

/// Top-level paths the generator owns; a free page may not take them.
pub const RESERVED: &[&str] = &[
    "papers",
    "hubs",
    "keywords",
    "categories",
    "authors",
    "years",
    "search",
    "static",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    "404.html",
];

/// A free page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub path: PathBuf,
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    pub body_md: String,
    pub draft: bool,
    pub extra: serde_json::Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    title: Option<String>,
    description: Option<String>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    extra: serde_json::Value,
}

impl Page {
    /// Parses one free page; pure.
    pub fn parse(path: &Path, text: &str) -> Result<Page, Diagnostic> {
        let split = frontmatter::split(path, text)?;
        let raw: RawPage = crate::yaml::parse(path, text, split.yaml, split.yaml_line)?;
        let title = raw.title.map(|t| t.trim().to_string()).unwrap_or_default();
        if title.is_empty() {
            return Err(
                Diagnostic::new(path, Pos::new(2, 1), "this page has no title")
                    .hint("every page needs `title: \"...\"`")
                    .source(text),
            );
        }
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let slug = term_slug(stem);
        if RESERVED.contains(&slug.as_str()) || slug == "-" {
            return Err(Diagnostic::new(
                path,
                Pos::START,
                format!("a page cannot be called `{slug}`"),
            )
            .hint(format!(
                "rename the file; these paths are taken: {}",
                RESERVED.join(", ")
            )));
        }
        Ok(Page {
            path: path.to_path_buf(),
            slug,
            title,
            description: raw.description,
            body_md: split.body.to_string(),
            draft: raw.draft,
            extra: raw.extra,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_page_and_refuses_reserved_names() {
        let p = Page::parse(
            Path::new("content/pages/About Us.md"),
            "---\ntitle: About\n---\nHi",
        )
        .unwrap();
        assert_eq!(
            (p.slug.as_str(), p.title.as_str(), p.body_md.as_str()),
            ("about-us", "About", "Hi")
        );
        let e =
            Page::parse(Path::new("content/pages/papers.md"), "---\ntitle: X\n---\n").unwrap_err();
        assert!(e.message.contains("cannot be called"), "{e}");
    }
}

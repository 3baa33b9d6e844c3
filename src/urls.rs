//! The site paths of paperhub's pages and the files beside them, from one
//! place (the guide's Pages and URLs).
//! Paths are relative to the site's root and have no leading slash; a
//! folder's path ends with `/` and its file is [`file`] of it.

use crate::index::TaxonomyKind;

pub const HOME: &str = "";
/// All papers, newest first.
pub const PAPERS: &str = "papers/";
/// Works by number of citing papers.
pub const HUBS: &str = "hubs/";
pub const SEARCH: &str = "search/";
/// The search index's table of contents.
pub const SEARCH_META: &str = "search/meta.js";
pub const NOT_FOUND: &str = "404.html";
/// The site's Atom feed.
pub const FEED: &str = "feed.xml";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";

/// The page of work `slug`: `papers/<slug>/`.
pub fn work(slug: &str) -> String {
    format!("papers/{slug}/")
}

/// A file beside work `slug`'s page: `papers/<slug>/cite.bib`.
pub fn work_file(slug: &str, name: &str) -> String {
    format!("papers/{slug}/{name}")
}

/// The index of a taxonomy: `keywords/`.
pub fn terms(kind: TaxonomyKind) -> String {
    format!("{}/", kind.path())
}

/// The page of a taxonomy term: `keywords/<slug>/`.
pub fn term(kind: TaxonomyKind, slug: &str) -> String {
    format!("{}/{slug}/", kind.path())
}

/// A free page: `<slug>/`.
pub fn page(slug: &str) -> String {
    format!("{slug}/")
}

/// Page `number` of a list at folder `base`: `base` itself for the first,
/// `base` + `page/2/` after.
pub fn paged(base: &str, number: usize) -> String {
    if number <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{number}/")
    }
}

/// The file a folder path is served from: `papers/x/` → `papers/x/index.html`.
pub fn file(dir: &str) -> String {
    format!("{dir}index.html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_as_design_md_gives_them() {
        assert_eq!(work("1911.03030"), "papers/1911.03030/");
        assert_eq!(work_file("x", "feed.xml"), "papers/x/feed.xml");
        assert_eq!(term(TaxonomyKind::Keywords, "ml"), "keywords/ml/");
        assert_eq!(terms(TaxonomyKind::Years), "years/");
        assert_eq!(paged(PAPERS, 1), "papers/");
        assert_eq!(paged(PAPERS, 3), "papers/page/3/");
        assert_eq!(file(&paged(&work("x"), 2)), "papers/x/page/2/index.html");
    }
}

//! Lists and taxonomies: papers newest first, works by number of citing
//! papers, and the terms of each taxonomy (keywords, categories, authors,
//! years) with their papers. Runs after the graph; pure and deterministic.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use crate::content::Paper;
use crate::graph::Graph;
use crate::slug::term_slug;

/// The taxonomies every site has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxonomyKind {
    Keywords,
    Categories,
    Authors,
    Years,
}

impl TaxonomyKind {
    pub const ALL: [TaxonomyKind; 4] = [
        TaxonomyKind::Keywords,
        TaxonomyKind::Categories,
        TaxonomyKind::Authors,
        TaxonomyKind::Years,
    ];

    /// The URL segment and template name: `keywords`.
    pub fn path(self) -> &'static str {
        match self {
            TaxonomyKind::Keywords => "keywords",
            TaxonomyKind::Categories => "categories",
            TaxonomyKind::Authors => "authors",
            TaxonomyKind::Years => "years",
        }
    }

    /// The heading of the term index: `Keywords`.
    pub fn title(self) -> &'static str {
        match self {
            TaxonomyKind::Keywords => "Keywords",
            TaxonomyKind::Categories => "Categories",
            TaxonomyKind::Authors => "Authors",
            TaxonomyKind::Years => "Years",
        }
    }

    /// The name of one term's kind: `keyword`.
    pub fn singular(self) -> &'static str {
        match self {
            TaxonomyKind::Keywords => "keyword",
            TaxonomyKind::Categories => "category",
            TaxonomyKind::Authors => "author",
            TaxonomyKind::Years => "year",
        }
    }

    fn terms_of(self, p: &Paper) -> Vec<String> {
        match self {
            TaxonomyKind::Keywords => p.keywords.clone(),
            TaxonomyKind::Categories => p.categories.clone(),
            TaxonomyKind::Authors => p.authors.clone(),
            TaxonomyKind::Years => p.year.map(|y| y.to_string()).into_iter().collect(),
        }
    }
}

/// One term of a taxonomy and its papers, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The spelling of the first paper (by id) that uses the term.
    pub name: String,
    pub slug: String,
    pub papers: Vec<usize>,
}

/// A taxonomy's terms, sorted by slug (years newest first).
#[derive(Debug, Clone, PartialEq)]
pub struct Taxonomy {
    pub kind: TaxonomyKind,
    pub terms: Vec<Term>,
}

impl Taxonomy {
    /// The term with this slug; a binary search, as terms are sorted.
    pub fn find(&self, slug: &str) -> Option<&Term> {
        let found = if self.kind == TaxonomyKind::Years {
            self.terms.binary_search_by(|t| slug.cmp(t.slug.as_str()))
        } else {
            self.terms.binary_search_by(|t| t.slug.as_str().cmp(slug))
        };
        found.ok().map(|i| &self.terms[i])
    }
}

/// The site's lists, as indexes into the papers and works.
#[derive(Debug, Default)]
pub struct Indexes {
    /// Papers newest first (date, then year, then title); undated last.
    pub newest: Vec<usize>,
    /// Works with at least one citing paper, most cited first.
    pub hubs: Vec<usize>,
    pub taxonomies: Vec<Taxonomy>,
}

impl Indexes {
    pub fn build(papers: &[Paper], graph: &Graph) -> Indexes {
        let mut newest: Vec<usize> = (0..papers.len()).collect();
        newest.sort_by(|&a, &b| newest_first(&papers[a], &papers[b]));
        let mut hubs: Vec<usize> = (0..graph.works.len())
            .filter(|&w| !graph.works[w].cited_by.is_empty())
            .collect();
        hubs.sort_by_key(|&w| {
            (
                Reverse(graph.works[w].cited_by.len()),
                graph.works[w].title.to_lowercase(),
                w,
            )
        });
        let taxonomies = TaxonomyKind::ALL
            .iter()
            .map(|&kind| taxonomy(kind, papers, &newest))
            .collect();
        Indexes {
            newest,
            hubs,
            taxonomies,
        }
    }

    pub fn taxonomy(&self, kind: TaxonomyKind) -> &Taxonomy {
        self.taxonomies
            .iter()
            .find(|t| t.kind == kind)
            .expect("every taxonomy kind is built")
    }
}

/// The order of every paper list.
pub fn newest_first(a: &Paper, b: &Paper) -> std::cmp::Ordering {
    let key = |p: &Paper| (Reverse(p.year), Reverse(p.date.clone()));
    key(a)
        .cmp(&key(b))
        .then_with(|| a.title.to_lowercase().cmp(&b.title.to_lowercase()))
        .then_with(|| a.id.cmp(&b.id))
}

fn taxonomy(kind: TaxonomyKind, papers: &[Paper], newest: &[usize]) -> Taxonomy {
    let mut terms: BTreeMap<String, Term> = BTreeMap::new();
    // Walking papers by id makes the chosen spelling independent of dates;
    // walking `newest` then fills each term's list already in order.
    for p in papers {
        for name in kind.terms_of(p) {
            let slug = term_slug(&name);
            terms.entry(slug.clone()).or_insert(Term {
                name,
                slug,
                papers: Vec::new(),
            });
        }
    }
    for &i in newest {
        let mut seen: Vec<String> = Vec::new();
        for name in kind.terms_of(&papers[i]) {
            let slug = term_slug(&name);
            if !seen.contains(&slug) {
                terms
                    .get_mut(&slug)
                    .expect("term collected above")
                    .papers
                    .push(i);
                seen.push(slug);
            }
        }
    }
    let mut terms: Vec<Term> = terms.into_values().collect();
    if kind == TaxonomyKind::Years {
        terms.reverse();
    }
    Taxonomy { kind, terms }
}

/// One page of a paginated list.
#[derive(Debug, Clone, PartialEq)]
pub struct Pager {
    /// 1-based page number.
    pub number: usize,
    pub total: usize,
    /// The range of items on this page.
    pub start: usize,
    pub end: usize,
}

/// Splits `len` items into pages of `per_page`; an empty list still has one
/// (empty) page so that its URL exists.
pub fn paginate(len: usize, per_page: usize) -> Vec<Pager> {
    let per_page = per_page.max(1);
    let total = len.div_ceil(per_page).max(1);
    (0..total)
        .map(|i| Pager {
            number: i + 1,
            total,
            start: i * per_page,
            end: ((i + 1) * per_page).min(len),
        })
        .collect()
}

/// The site path of page `number` of a list at `base` (`papers/`):
/// `papers/` for the first page, `papers/page/2/` after.
pub fn page_path(base: &str, number: usize) -> String {
    if number <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{number}/")
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::content::{RecordFormat, Vocabulary};

    fn paper(id: &str, year: Option<i32>, keywords: &[&str]) -> Paper {
        let mut text =
            format!("---\nid: \"{id}\"\ntitle: \"Paper {id}\"\nkeywords: {keywords:?}\n");
        if let Some(y) = year {
            text.push_str(&format!("year: {y}\n"));
        }
        text.push_str("---\n");
        Paper::parse(
            Path::new("x.md"),
            &text,
            RecordFormat::Markdown,
            &Vocabulary::default(),
        )
        .unwrap()
    }

    #[test]
    fn paginates_at_the_boundaries() {
        let cases = [(0, 1), (1, 1), (50, 1), (51, 2), (100, 2), (101, 3)];
        for (len, pages) in cases {
            let got = paginate(len, 50);
            assert_eq!(got.len(), pages, "case {len} items");
            assert_eq!(got.last().unwrap().end, len, "case {len} items");
        }
        assert_eq!(page_path("papers/", 1), "papers/");
        assert_eq!(page_path("papers/", 3), "papers/page/3/");
    }

    #[test]
    fn lists_newest_first_and_groups_terms_by_slug() {
        let papers = vec![
            paper("a", Some(2019), &["Machine Unlearning"]),
            paper("b", Some(2024), &["machine unlearning", "privacy"]),
            paper("c", None, &[]),
        ];
        let graph = Graph::build(&papers, 4, 3).unwrap();
        let ix = Indexes::build(&papers, &graph);
        assert_eq!(ix.newest, vec![1, 0, 2]);
        let kw = ix.taxonomy(TaxonomyKind::Keywords);
        assert_eq!(kw.terms.len(), 2);
        assert_eq!(
            (kw.terms[0].name.as_str(), kw.terms[0].papers.clone()),
            ("Machine Unlearning", vec![1, 0])
        );
        let years: Vec<&str> = ix
            .taxonomy(TaxonomyKind::Years)
            .terms
            .iter()
            .map(|t| t.slug.as_str())
            .collect();
        assert_eq!(years, ["2024", "2019"]);
    }
}

//! Lists and taxonomies: papers newest first, works by number of citing
//! papers, and the terms of each taxonomy (keywords, categories, authors,
//! years) with their papers. Runs after the graph; pure and deterministic.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::sync::Arc;

use rustc_hash::FxHashMap;

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

    /// Whether each term has an Atom feed of its newest papers: keywords
    /// and categories do; an author or year feed would mostly duplicate
    /// the site feed and add a file per author.
    pub fn has_feeds(self) -> bool {
        matches!(self, TaxonomyKind::Keywords | TaxonomyKind::Categories)
    }

    fn terms_of(self, p: &Paper) -> Vec<Cow<'_, str>> {
        fn borrow(names: &[String]) -> Vec<Cow<'_, str>> {
            names.iter().map(|n| Cow::from(n.as_str())).collect()
        }
        match self {
            TaxonomyKind::Keywords => borrow(&p.keywords),
            TaxonomyKind::Categories => borrow(&p.categories),
            TaxonomyKind::Authors => borrow(&p.authors),
            TaxonomyKind::Years => p
                .year
                .map(|y| Cow::from(y.to_string()))
                .into_iter()
                .collect(),
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
    /// By paper: the index in `terms` of each of its terms, in the order
    /// the record lists them, so pages link terms without slugging again.
    pub by_paper: Vec<Vec<u32>>,
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
    pub fn build(papers: &[Arc<Paper>], graph: &Graph) -> Indexes {
        Indexes::make(papers, graph, None)
    }

    /// [`Indexes::build`] from `old`, the indexes of `old_papers`. When the
    /// changed records keep their keywords, categories, authors and year
    /// (a save that edits a title or a summary), the taxonomies are
    /// `old`'s with the changed records moved to their new place in each
    /// of their terms' lists. Otherwise they are made anew, taking the
    /// slugs of unchanged records' terms from `old`: a save then slugs
    /// the terms of the records it changed, not of every one.
    pub fn update(
        old: Indexes,
        old_papers: &[Arc<Paper>],
        papers: &[Arc<Paper>],
        graph: &Graph,
    ) -> Indexes {
        if !same_terms(old_papers, papers) {
            return Indexes::make(papers, graph, Some((&old, old_papers)));
        }
        let (newest, hubs) = lists(papers, graph);
        let mut place = vec![0u32; papers.len()];
        for (r, &i) in newest.iter().enumerate() {
            place[i] = r as u32;
        }
        let changed: Vec<usize> = (0..papers.len())
            .filter(|&i| !Arc::ptr_eq(&old_papers[i], &papers[i]))
            .collect();
        let mut taxonomies = old.taxonomies;
        // Every other record keeps its keys, so the others keep their
        // order in every list; only the terms of a changed record may have
        // it out of place.
        for t in &mut taxonomies {
            let mut touched: Vec<u32> = changed
                .iter()
                .flat_map(|&i| t.by_paper[i].iter().copied())
                .collect();
            touched.sort_unstable();
            touched.dedup();
            for k in touched {
                t.terms[k as usize]
                    .papers
                    .sort_unstable_by_key(|&p| place[p]);
            }
        }
        Indexes {
            newest,
            hubs,
            taxonomies,
        }
    }

    fn make(
        papers: &[Arc<Paper>],
        graph: &Graph,
        old: Option<(&Indexes, &[Arc<Paper>])>,
    ) -> Indexes {
        use rayon::prelude::*;
        let (newest, hubs) = lists(papers, graph);
        let taxonomies = TaxonomyKind::ALL
            .par_iter()
            .map(|&kind| {
                let old = old.map(|(ix, old_papers)| (ix.taxonomy(kind), old_papers));
                taxonomy(kind, papers, &newest, old)
            })
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

/// Whether `papers` are `old` with, at each place, the same record or one
/// with the same terms in every taxonomy.
fn same_terms(old: &[Arc<Paper>], papers: &[Arc<Paper>]) -> bool {
    use rayon::prelude::*;
    old.len() == papers.len()
        && old.par_iter().zip(papers).all(|(a, b)| {
            Arc::ptr_eq(a, b)
                || TaxonomyKind::ALL
                    .iter()
                    .all(|k| k.terms_of(a) == k.terms_of(b))
        })
}

/// Papers newest first and works with citing papers most cited first.
fn lists(papers: &[Arc<Paper>], graph: &Graph) -> (Vec<usize>, Vec<usize>) {
    use rayon::prelude::*;
    let mut newest: Vec<usize> = (0..papers.len()).collect();
    let mut hubs: Vec<usize> = (0..graph.works.len())
        .filter(|&w| !graph.works[w].cited_by.is_empty())
        .collect();
    rayon::join(
        || newest.par_sort_by_cached_key(|&i| newest_key(&papers[i])),
        || {
            hubs.par_sort_by_cached_key(|&w| {
                (
                    Reverse(graph.works[w].cited_by.len()),
                    graph.works[w].title.to_lowercase(),
                    w,
                )
            })
        },
    );
    (newest, hubs)
}

/// The order of every paper list: newest first (year, then date), then
/// by title and id. Keys are computed once per paper, not per comparison.
fn newest_key(p: &Paper) -> (Reverse<Option<i32>>, Reverse<Option<&str>>, String, &str) {
    (
        Reverse(p.year),
        Reverse(p.date.as_deref()),
        p.title.to_lowercase(),
        &p.id,
    )
}

/// Taxonomy `kind` of `papers`; `old` is the taxonomy of other papers
/// whose records, where unchanged at the same index, keep their slugs.
fn taxonomy(
    kind: TaxonomyKind,
    papers: &[Arc<Paper>],
    newest: &[usize],
    old: Option<(&Taxonomy, &[Arc<Paper>])>,
) -> Taxonomy {
    use rayon::prelude::*;
    // Each (paper, term) is slugged once.
    let named: Vec<Vec<(Cow<str>, Cow<str>)>> = papers
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let names = kind.terms_of(p);
            let kept = old.filter(|(_, before)| before.get(i).is_some_and(|b| Arc::ptr_eq(b, p)));
            match kept {
                // The same record lists the same names: each term's slug
                // is that of the term it was filed under.
                Some((t, _)) => names
                    .into_iter()
                    .zip(&t.by_paper[i])
                    .map(|(n, &k)| (Cow::from(t.terms[k as usize].slug.as_str()), n))
                    .collect(),
                None => names
                    .into_iter()
                    .map(|n| (Cow::from(term_slug(&n)), n))
                    .collect(),
            }
        })
        .collect();
    // Walking papers by id makes the chosen spelling independent of dates;
    // walking `newest` then fills each term's list already in order.
    let mut index: FxHashMap<&str, usize> = FxHashMap::default();
    let mut terms: Vec<Term> = Vec::new();
    for (slug, name) in named.iter().flatten() {
        index.entry(slug).or_insert_with(|| {
            terms.push(Term {
                name: name.to_string(),
                slug: slug.to_string(),
                papers: Vec::new(),
            });
            terms.len() - 1
        });
    }
    for &i in newest {
        let mut seen: Vec<usize> = Vec::new();
        for (slug, _) in &named[i] {
            let t = index[slug.as_ref()];
            if !seen.contains(&t) {
                terms[t].papers.push(i);
                seen.push(t);
            }
        }
    }
    let mut sorted: Vec<(usize, Term)> = terms.into_iter().enumerate().collect();
    sorted.sort_unstable_by(|a, b| a.1.slug.cmp(&b.1.slug));
    if kind == TaxonomyKind::Years {
        sorted.reverse();
    }
    // Where each term ended up, to point papers at their terms.
    let mut position = vec![0u32; sorted.len()];
    for (to, &(from, _)) in sorted.iter().enumerate() {
        position[from] = to as u32;
    }
    let by_paper = named
        .par_iter()
        .map(|names| {
            names
                .iter()
                .map(|(slug, _)| position[index[slug.as_ref()]])
                .collect()
        })
        .collect();
    let terms = sorted.into_iter().map(|(_, t)| t).collect();
    Taxonomy {
        kind,
        terms,
        by_paper,
    }
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

#[cfg(test)]
mod tests {

    use super::*;

    fn paper(id: &str, year: Option<i32>, keywords: &[&str]) -> Arc<Paper> {
        let mut text =
            format!("---\nid: \"{id}\"\ntitle: \"Paper {id}\"\nkeywords: {keywords:?}\n");
        if let Some(y) = year {
            text.push_str(&format!("year: {y}\n"));
        }
        text.push_str("---\n");
        crate::content::parse_for_test("x.md", &text)
    }

    fn titled(id: &str, title: &str, year: i32, keywords: &[&str]) -> Arc<Paper> {
        let text = format!(
            "---\nid: \"{id}\"\ntitle: \"{title}\"\nyear: {year}\nkeywords: {keywords:?}\nauthors: [Ada]\n---\n"
        );
        crate::content::parse_for_test("x.md", &text)
    }

    #[test]
    fn an_update_equals_a_build_of_the_edited_records() {
        let before = vec![
            titled("a", "Alpha", 2019, &["Machine Unlearning", "privacy"]),
            titled("b", "Beta", 2024, &["machine unlearning"]),
            titled("c", "Gamma", 2024, &["Privacy", "vision"]),
            titled("d", "Delta", 2024, &["privacy"]),
        ];
        let edits = [
            // Terms kept: the lists are the old ones, reordered.
            (
                "a title that moves c first",
                2,
                titled("c", "Aardvark", 2024, &["Privacy", "vision"]),
            ),
            (
                "a title that keeps the order",
                1,
                titled("b", "Beta two", 2024, &["machine unlearning"]),
            ),
            // Terms changed: made anew.
            (
                "keywords reordered",
                0,
                titled("a", "Alpha", 2019, &["privacy", "Machine Unlearning"]),
            ),
            (
                "a new term, a term gone",
                1,
                titled("b", "Beta", 2024, &["Vision", "new term"]),
            ),
            ("a new year", 3, titled("d", "Delta", 2018, &["privacy"])),
        ];
        for (n, (case, i, p)) in edits.into_iter().enumerate() {
            let old = Indexes::build(&before, &Graph::build(&before, 4, 3).unwrap());
            let mut after = before.clone();
            after[i] = p;
            // The first two keep their terms: the old taxonomies are reused.
            assert_eq!(same_terms(&before, &after), n < 2, "{case}");
            let graph = Graph::build(&after, 4, 3).unwrap();
            let updated = Indexes::update(old, &before, &after, &graph);
            let fresh = Indexes::build(&after, &graph);
            assert_eq!(updated.newest, fresh.newest, "{case}");
            assert_eq!(updated.hubs, fresh.hubs, "{case}");
            assert_eq!(updated.taxonomies, fresh.taxonomies, "{case}");
        }
        // Records shifted by one: none is where it was, all are slugged.
        let old = Indexes::build(&before, &Graph::build(&before, 4, 3).unwrap());
        let shifted: Vec<_> = before[1..].to_vec();
        let graph = Graph::build(&shifted, 4, 3).unwrap();
        let updated = Indexes::update(old, &before, &shifted, &graph);
        assert_eq!(
            updated.taxonomies,
            Indexes::build(&shifted, &graph).taxonomies
        );
    }

    #[test]
    fn paginates_at_the_boundaries() {
        let cases = [(0, 1), (1, 1), (50, 1), (51, 2), (100, 2), (101, 3)];
        for (len, pages) in cases {
            let got = paginate(len, 50);
            assert_eq!(got.len(), pages, "case {len} items");
            assert_eq!(got.last().unwrap().end, len, "case {len} items");
        }
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

    #[test]
    fn each_paper_points_at_its_terms_in_record_order() {
        let papers = vec![
            paper("a", Some(2019), &["zeta", "Alpha"]),
            paper("b", Some(2024), &["alpha", "beta", "ALPHA"]),
            paper("c", None, &[]),
        ];
        let graph = Graph::build(&papers, 4, 3).unwrap();
        let ix = Indexes::build(&papers, &graph);
        let kw = ix.taxonomy(TaxonomyKind::Keywords);
        let slugs = |p: usize| -> Vec<&str> {
            kw.by_paper[p]
                .iter()
                .map(|&t| kw.terms[t as usize].slug.as_str())
                .collect()
        };
        assert_eq!(slugs(0), ["zeta", "alpha"]);
        assert_eq!(slugs(1), ["alpha", "beta", "alpha"]);
        assert!(slugs(2).is_empty());
        let years = ix.taxonomy(TaxonomyKind::Years);
        assert_eq!(years.terms[years.by_paper[0][0] as usize].slug, "2019");
        assert_eq!(years.terms[years.by_paper[1][0] as usize].slug, "2024");
    }
}

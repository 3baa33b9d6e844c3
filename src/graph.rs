//! The citation graph: every work (a record, or only cited), the edges
//! citing it, and the summaries a hub page shows: role and polarity counts,
//! citations per year, representative ordering.
//!
//! Runs after content loading; pure and deterministic (works sorted by id,
//! edges in representative order).

use std::cmp::Reverse;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::sync::Arc;

use crate::content::Paper;
use crate::diag::{Diagnostic, Diagnostics};
use crate::slug::work_slug;

/// A work that has a page: a paper with a record, or one only cited.
#[derive(Debug, Clone, PartialEq)]
pub struct Work {
    pub id: String,
    pub slug: String,
    /// Index into the papers when the work has a record.
    pub paper: Option<usize>,
    pub title: String,
    pub authors: Vec<String>,
    pub year: Option<i32>,
    pub venue: Option<String>,
    /// Incoming edges, in representative order (DESIGN.md).
    pub cited_by: Vec<Edge>,
    /// Counts per role, with one more slot at the end for unclassified edges.
    pub role_counts: Vec<usize>,
    /// Counts per polarity, with one more slot at the end for still-indexing edges.
    pub polarity_counts: Vec<usize>,
    /// Highly influential citations (`influential: true`).
    pub influential: usize,
    /// Labelled citations (a role or polarity) by who labelled them: their
    /// `source`, `""` for a person. Empty when no citation has a source.
    pub labelled_by: Vec<(Box<str>, usize)>,
    /// Citing papers per year, oldest first; edges from undated papers are left out.
    pub per_year: Vec<(i32, usize)>,
}

impl Work {
    /// Work `id` as its record (`paper`) describes it, before its citing
    /// papers are summarised (see [`summarise`]).
    fn unsummarised(
        id: String,
        slug: String,
        paper: Option<usize>,
        papers: &[Arc<Paper>],
        roles: usize,
        polarities: usize,
    ) -> Work {
        let rec = paper.map(|i| &papers[i]);
        Work {
            id,
            slug,
            paper,
            title: rec.map(|p| p.title.clone()).unwrap_or_default(),
            authors: rec.map(|p| p.authors.clone()).unwrap_or_default(),
            year: rec.and_then(|p| p.year),
            venue: rec.and_then(|p| p.venue.clone()),
            cited_by: Vec::new(),
            role_counts: vec![0; roles + 1],
            polarity_counts: vec![0; polarities + 1],
            influential: 0,
            labelled_by: Vec::new(),
            per_year: Vec::new(),
        }
    }
}

/// A citation: paper `from` cites the work whose `cited_by` holds the edge,
/// through its `cite`-th entry. Two `u32`s: a site has millions of edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    from: u32,
    cite: u32,
}

impl Edge {
    fn new(from: usize, cite: usize) -> Edge {
        let narrow =
            |n: usize| u32::try_from(n).expect("fewer than 4 billion papers and citations");
        Edge {
            from: narrow(from),
            cite: narrow(cite),
        }
    }

    /// The citing paper's index.
    pub fn from(self) -> usize {
        self.from as usize
    }

    /// Index into the citing paper's `cites`.
    pub fn cite(self) -> usize {
        self.cite as usize
    }
}

/// All works and citations of a site.
#[derive(Debug, Default)]
pub struct Graph {
    /// Sorted by id.
    pub works: Vec<Work>,
    pub by_id: FxHashMap<String, usize>,
    /// For each paper, the work index of each of its `cites`.
    pub targets: Vec<Vec<usize>>,
    /// The work index of each paper.
    pub paper_work: Vec<usize>,
    pub edge_count: usize,
}

impl Graph {
    /// Builds the graph. Fails when a cited id's slug collides with another
    /// work's (a record's collisions are caught when loading).
    pub fn build(
        papers: &[Arc<Paper>],
        roles: usize,
        polarities: usize,
    ) -> Result<Graph, Diagnostics> {
        // Every distinct id, sorted: records first claim their id, cited-only
        // ids follow. A fast hash map keeps this linear in the edges.
        let mut seen: FxHashMap<&str, Option<usize>> =
            FxHashMap::with_capacity_and_hasher(papers.len() * 2, Default::default());
        for (i, p) in papers.iter().enumerate() {
            seen.insert(p.id.as_str(), Some(i));
        }
        // Most cited ids are records: looked up on all cores, read-only, so
        // that only the others (works without a record) are added here.
        let cited_only: Vec<&str> = papers
            .par_iter()
            .flat_map_iter(|p| {
                p.cites
                    .iter()
                    .map(|c| &*c.id)
                    .filter(|id| !seen.contains_key(id))
            })
            .collect();
        for id in cited_only {
            seen.entry(id).or_insert(None);
        }
        let mut ids: Vec<(&str, Option<usize>)> = seen.into_iter().collect();
        ids.sort_unstable_by_key(|&(id, _)| id);
        let mut diags = Diagnostics::default();
        let mut works: Vec<Work> = ids
            .par_iter()
            .map(|&(id, paper)| {
                let slug = work_slug(id).unwrap_or_default();
                Work::unsummarised(id.to_string(), slug, paper, papers, roles, polarities)
            })
            .collect();
        // Two ids may make one URL ("a b" and "a-b").
        let mut by_slug: Vec<(&str, &str)> = works
            .iter()
            .map(|w| (w.slug.as_str(), w.id.as_str()))
            .collect();
        by_slug.par_sort_unstable();
        for pair in by_slug.windows(2) {
            let ((slug, other), (_, id)) = (pair[0], pair[1]);
            if slug != pair[1].0 {
                continue;
            }
            let (path, pos) = where_used(papers, id);
            let (other_path, other_pos) = where_used(papers, other);
            diags.push(
                Diagnostic::new(path, pos, format!("the ids {other:?} and {id:?} both make the URL /papers/{slug}/")).hint(
                    format!(
                        "{other:?} is at {}:{}; cite the work by the same id everywhere, or change one id so that their slugs differ",
                        other_path.display(),
                        other_pos.line
                    ),
                ),
            );
        }
        if !diags.is_empty() {
            diags.sort();
            return Err(diags);
        }
        let by_id: FxHashMap<String, usize> = works
            .iter()
            .enumerate()
            .map(|(i, w)| (w.id.clone(), i))
            .collect();
        let paper_work: Vec<usize> = papers.par_iter().map(|p| by_id[&p.id]).collect();
        let targets: Vec<Vec<usize>> = papers
            .par_iter()
            .map(|p| p.cites.iter().map(|c| by_id[&*c.id]).collect())
            .collect();

        // Only the edges here, in citing-paper order; what each work makes
        // of them is worked out per work, in parallel, below. This loop is
        // serial over every edge (2.5 million at 150,000 papers), so each
        // list is counted first and allocated once at its size, and the
        // lists are filled in a small vector of their own rather than
        // through the large, scattered `Work`s.
        let mut counts = vec![0usize; works.len()];
        for &to in targets.iter().flatten() {
            counts[to] += 1;
        }
        let edge_count = counts.iter().sum();
        let mut cited_by: Vec<Vec<Edge>> = counts.into_iter().map(Vec::with_capacity).collect();
        for (from, t) in targets.iter().enumerate() {
            for (cite, &to) in t.iter().enumerate() {
                cited_by[to].push(Edge::new(from, cite));
            }
        }
        // One global order of citing papers (more cited, newer, by title,
        // by id), so each work sorts its edges by two integers.
        let cited_count: Vec<usize> = paper_work.iter().map(|&w| cited_by[w].len()).collect();
        let mut order: Vec<usize> = (0..papers.len()).collect();
        // Keys borrow the records' text: copying it would be three
        // allocations per paper on every save of a large site.
        order.par_sort_by_cached_key(|&i| citing_key(papers, i, cited_count[i]));
        let mut rank = vec![0usize; papers.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r;
        }
        works.par_iter_mut().zip(cited_by).for_each(|(w, edges)| {
            summarise(w, edges, papers, roles, polarities, |e, c| {
                (!c.representative, rank[e.from()])
            });
        });
        Ok(Graph {
            works,
            by_id,
            targets,
            paper_work,
            edge_count,
        })
    }

    /// The graph of `papers`, made from `self`, the graph of `old`. When
    /// every record keeps its id and the ids it cites (a save that edits a
    /// title, a year, a role or a summary), only the works the changed
    /// records are or cite are worked out again: the live preview's rebuild
    /// after a save then costs what the record touches, not a pass over
    /// every citation (2.5 million at 150,000 papers). Otherwise it is
    /// built anew.
    ///
    /// `roles` and `polarities` must be those `self` was built with (a
    /// change of `site.yaml` starts afresh).
    pub fn update(
        mut self,
        old: &[Arc<Paper>],
        papers: &[Arc<Paper>],
        roles: usize,
        polarities: usize,
    ) -> Result<Graph, Diagnostics> {
        if !same_shape(old, papers) {
            return Graph::build(papers, roles, polarities);
        }
        debug_assert_eq!(
            old.len(),
            self.paper_work.len(),
            "`self` is the graph of `old`"
        );
        // The works a changed record is (its title, year...) or cites (the
        // counts, the order and what describes a work without a record).
        let mut touched: Vec<usize> = old
            .iter()
            .zip(papers)
            .enumerate()
            .filter(|(_, (a, b))| !Arc::ptr_eq(a, b))
            .flat_map(|(i, _)| {
                std::iter::once(self.paper_work[i]).chain(self.targets[i].iter().copied())
            })
            .collect();
        touched.sort_unstable();
        touched.dedup();
        // The order of citing papers (the same as `build`'s ranks): how
        // often each is cited is unchanged, as are the other keys of every
        // record but the changed ones, so works no changed record cites
        // keep their order.
        let cited_count = |i: usize| self.works[self.paper_work[i]].cited_by.len();
        let counts: FxHashMap<usize, usize> = touched
            .iter()
            .flat_map(|&w| self.works[w].cited_by.iter().map(|e| e.from()))
            .map(|i| (i, cited_count(i)))
            .collect();
        for w in touched {
            let work = &mut self.works[w];
            let mut edges = std::mem::take(&mut work.cited_by);
            // Back to citing-paper order, as `build` fills them.
            edges.sort_unstable_by_key(|e| (e.from(), e.cite()));
            *work = Work::unsummarised(
                std::mem::take(&mut work.id),
                std::mem::take(&mut work.slug),
                work.paper,
                papers,
                roles,
                polarities,
            );
            summarise(work, edges, papers, roles, polarities, |e, c| {
                (
                    !c.representative,
                    citing_key(papers, e.from(), counts[&e.from()]),
                )
            });
        }
        Ok(self)
    }

    pub fn work(&self, id: &str) -> Option<&Work> {
        self.by_id.get(id).map(|&i| &self.works[i])
    }
}

/// Whether `papers` are `old` with, at each place, the same record or one
/// with the same id citing the same ids: the works and edges are then the
/// same, and [`Graph::update`] need not build them anew.
fn same_shape(old: &[Arc<Paper>], papers: &[Arc<Paper>]) -> bool {
    old.len() == papers.len()
        && old.par_iter().zip(papers).all(|(a, b)| {
            Arc::ptr_eq(a, b)
                || (a.id == b.id
                    && a.cites.len() == b.cites.len()
                    && a.cites.iter().zip(&b.cites).all(|(x, y)| x.id == y.id))
        })
}

/// Paper `i`'s place among citing papers: more cited first, then newer,
/// then by title and id.
type CitingKey<'a> = (
    Reverse<usize>,
    Reverse<(Option<i32>, Option<&'a str>)>,
    &'a str,
    &'a str,
);

fn citing_key(papers: &[Arc<Paper>], i: usize, cited_count: usize) -> CitingKey<'_> {
    let p = &papers[i];
    (
        Reverse(cited_count),
        Reverse((p.year, p.date.as_deref())),
        p.title.as_str(),
        p.id.as_str(),
    )
}

/// Works out what work `w` makes of its `edges` (in citing-paper order):
/// role and polarity counts, what describes it without a record,
/// citations per year, and the edges in representative order by `key`.
fn summarise<K: Ord>(
    w: &mut Work,
    edges: Vec<Edge>,
    papers: &[Arc<Paper>],
    roles: usize,
    polarities: usize,
    key: impl Fn(&Edge, &crate::content::Cite) -> K,
) {
    // One pass over the edges: every citation (scattered in memory) is
    // read once for the counts, for what describes a work without a
    // record, its sort key and year. Each edge's sort key is made once,
    // not at every comparison.
    let mut keyed: Vec<(K, Edge)> = Vec::with_capacity(edges.len());
    let mut years: Vec<i32> = Vec::with_capacity(edges.len());
    for e in edges {
        let p = &papers[e.from()];
        let c = &p.cites[e.cite()];
        w.role_counts[c.role.map_or(roles, usize::from)] += 1;
        w.polarity_counts[c.polarity.map_or(polarities, usize::from)] += 1;
        w.influential += usize::from(c.influential);
        if c.role.is_some() || c.polarity.is_some() {
            let by = c.source().unwrap_or_default();
            match w.labelled_by.iter_mut().find(|(s, _)| **s == *by) {
                Some((_, n)) => *n += 1,
                None => w.labelled_by.push((by.into(), 1)),
            }
        }
        // A work without a record is described by what cites it: the
        // first citing record (by id) that says something wins.
        if let (None, Some(about)) = (w.paper, c.about()) {
            if w.title.is_empty() {
                w.title = about.title.clone().unwrap_or_default();
            }
            if w.authors.is_empty() {
                w.authors = about.authors.clone();
            }
            w.year = w.year.or(about.year);
            if w.venue.is_none() {
                w.venue = about.venue.clone();
            }
        }
        keyed.push((key(&e, c), e));
        years.extend(p.year);
    }
    if w.title.is_empty() {
        w.title = w.id.clone();
    }
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    w.cited_by = keyed.into_iter().map(|(_, e)| e).collect();
    years.sort_unstable();
    w.per_year = years
        .chunk_by(|a, b| a == b)
        .map(|run| (run[0], run.len()))
        .collect();
    // Who labelled what is worth saying only where a source did.
    if w.labelled_by.iter().all(|(s, _)| s.is_empty()) {
        w.labelled_by.clear();
    }
    w.labelled_by
        .sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
}

/// Where `id` is first written: its record, else its first citation.
fn where_used(papers: &[Arc<Paper>], id: &str) -> (std::path::PathBuf, crate::diag::Pos) {
    if let Some(p) = papers.iter().find(|p| p.id == id) {
        return (p.path.clone(), p.id_pos);
    }
    for p in papers {
        if let Some(c) = p.cites.iter().find(|c| &*c.id == id) {
            return (p.path.clone(), c.pos());
        }
    }
    (std::path::PathBuf::from("content"), crate::diag::Pos::START)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(id: &str, year: i32, cites: &str) -> Arc<Paper> {
        let text = format!(
            "---\nid: \"{id}\"\ntitle: \"Paper {id}\"\nyear: {year}\ncites: {cites}\n---\n"
        );
        crate::content::parse_for_test(&format!("{id}.md"), &text)
    }

    #[test]
    fn an_edge_is_two_u32s() {
        // 2.5 million edges at 150,000 papers.
        assert_eq!(std::mem::size_of::<Edge>(), 8);
        let e = Edge::new(7, 3);
        assert_eq!((e.from(), e.cite()), (7, 3));
    }

    #[test]
    fn counts_roles_polarities_and_years() {
        let papers = vec![
            paper(
                "a",
                2020,
                "[{id: x, role: method, polarity: supporting, title: \"Ext X\"}]",
            ),
            paper("b", 2021, "[x]"),
            paper("c", 2021, "[{id: x, role: method}, a]"),
        ];
        let g = Graph::build(&papers, 4, 3).unwrap();
        let x = g.work("x").unwrap();
        assert_eq!(x.paper, None);
        assert_eq!(x.title, "Ext X");
        assert_eq!(x.cited_by.len(), 3);
        assert_eq!(x.role_counts, vec![0, 2, 0, 0, 1]);
        assert_eq!(x.polarity_counts, vec![1, 0, 0, 2]);
        assert_eq!(x.per_year, vec![(2020, 1), (2021, 2)]);
        assert_eq!(g.edge_count, 4);
    }

    #[test]
    fn orders_representatives_by_flag_then_citations_then_year_then_title() {
        let papers = vec![
            paper("a", 2019, "[x]"),
            paper("b", 2018, "[x, a]"),
            paper("c", 2022, "[x]"),
            paper("d", 2010, "[{id: x, representative: true}]"),
            paper("e", 2022, "[x]"),
        ];
        let g = Graph::build(&papers, 4, 3).unwrap();
        let order: Vec<&str> = g
            .work("x")
            .unwrap()
            .cited_by
            .iter()
            .map(|e| papers[e.from()].id.as_str())
            .collect();
        assert_eq!(order, ["d", "a", "c", "e", "b"]);
    }

    #[test]
    fn a_work_without_a_record_takes_each_field_from_its_first_citing_record_naming_it() {
        // Records in id order: neither "a" nor "b" names a title, so "c"'s
        // is taken; "a" named the authors first, so "c"'s are ignored.
        let papers = vec![
            paper("a", 2020, "[{id: x, authors: [Ada]}]"),
            paper("b", 2021, "[{id: x, year: 1999}]"),
            paper(
                "c",
                2022,
                "[{id: x, title: \"Ext X\", authors: [Bob], venue: V}]",
            ),
            paper("d", 2023, "[y]"),
        ];
        let g = Graph::build(&papers, 4, 3).unwrap();
        let x = g.work("x").unwrap();
        assert_eq!(x.title, "Ext X");
        assert_eq!(x.authors, ["Ada"]);
        assert_eq!(x.year, Some(1999));
        assert_eq!(x.venue.as_deref(), Some("V"));
        assert_eq!(x.per_year, vec![(2020, 1), (2021, 1), (2022, 1)]);
        // Nothing describes "y": its id stands in for the title.
        assert_eq!(g.work("y").unwrap().title, "y");
        assert_eq!(g.edge_count, 4);
    }

    fn titled(id: &str, title: &str, year: i32, cites: &str) -> Arc<Paper> {
        let text =
            format!("---\nid: \"{id}\"\ntitle: \"{title}\"\nyear: {year}\ncites: {cites}\n---\n");
        crate::content::parse_for_test(&format!("{id}.md"), &text)
    }

    fn assert_same(updated: &Graph, fresh: &Graph, case: &str) {
        assert_eq!(updated.works, fresh.works, "{case}");
        assert_eq!(updated.by_id, fresh.by_id, "{case}");
        assert_eq!(updated.targets, fresh.targets, "{case}");
        assert_eq!(updated.paper_work, fresh.paper_work, "{case}");
        assert_eq!(updated.edge_count, fresh.edge_count, "{case}");
    }

    #[test]
    fn an_update_equals_a_build_of_the_edited_records() {
        let before = vec![
            titled(
                "a",
                "Alpha",
                2020,
                "[{id: x, role: method, title: \"Ext X\"}, b]",
            ),
            titled("b", "Beta", 2021, "[x]"),
            titled("c", "Gamma", 2019, "[{id: x, representative: true}, a, b]"),
            titled("d", "Delta", 2022, "[x, y]"),
            titled("e", "Epsilon", 2022, "[x, {id: y, authors: [Ada]}]"),
        ];
        // The edits that keep the shape come first: the update takes its
        // own way for them, not a fresh build.
        let kept_shape = 4;
        let edits = [
            // A title that moves "e" before "d" among equally cited papers.
            (
                "title",
                vec![(
                    4,
                    titled("e", "A first", 2022, "[x, {id: y, authors: [Ada]}]"),
                )],
            ),
            (
                "year, polarity, what describes x",
                vec![(
                    1,
                    titled(
                        "b",
                        "Beta",
                        2018,
                        "[{id: x, polarity: supporting, title: \"Named X\"}]",
                    ),
                )],
            ),
            (
                "role and description gone, representative",
                vec![(
                    0,
                    titled("a", "Alpha", 2020, "[x, {id: b, representative: true}]"),
                )],
            ),
            (
                "two records at once",
                vec![
                    (2, titled("c", "Gamma", 2025, "[x, a, b]")),
                    (
                        3,
                        titled(
                            "d",
                            "Delta",
                            2022,
                            "[{id: x, role: result}, {id: y, authors: [Bob]}]",
                        ),
                    ),
                ],
            ),
            // Shapes that change: the graph is built anew.
            (
                "a cite added",
                vec![(1, titled("b", "Beta", 2021, "[x, z]"))],
            ),
            (
                "a cited id changed",
                vec![(1, titled("b", "Beta", 2021, "[y]"))],
            ),
        ];
        let old = Graph::build(&before, 4, 3).unwrap();
        for (n, (case, changes)) in edits.into_iter().enumerate() {
            let mut after = before.clone();
            for (i, p) in changes {
                after[i] = p;
            }
            assert_eq!(same_shape(&before, &after), n < kept_shape, "{case}");
            let old = Graph {
                works: old.works.clone(),
                by_id: old.by_id.clone(),
                targets: old.targets.clone(),
                paper_work: old.paper_work.clone(),
                edge_count: old.edge_count,
            };
            let updated = old.update(&before, &after, 4, 3).unwrap();
            assert_same(&updated, &Graph::build(&after, 4, 3).unwrap(), case);
        }
        // A record added or removed.
        let mut more = before.clone();
        more.push(titled("f", "Phi", 2023, "[x]"));
        for (from, to, case) in [
            (&before, &more, "a record added"),
            (&more, &before, "a record removed"),
        ] {
            let updated = Graph::build(from, 4, 3)
                .unwrap()
                .update(from, to, 4, 3)
                .unwrap();
            assert_same(&updated, &Graph::build(to, 4, 3).unwrap(), case);
        }
    }

    #[test]
    fn reports_slug_collisions_of_cited_ids() {
        let papers = vec![paper("a-b", 2020, "[\"a/b\"]")];
        let err = Graph::build(&papers, 4, 3).unwrap_err();
        assert!(err.0[0].message.contains("/papers/a-b/"), "{err}");
    }
}

//! Serialize-only view structs: what templates see. They borrow from the
//! site and from the pre-rendered Markdown, and carry links already
//! prefixed with the site's base path, so a theme never builds URLs.

use std::borrow::Cow;

use serde::Serialize;

use crate::content::{Paper, Review};
use crate::error::Result;
use crate::graph::{Edge, Work};
use crate::index::{Pager, TaxonomyKind};
use crate::markdown::{HeadingIds, Markdown};
use crate::slug::term_slug;

use super::chart::{self, Segment};
use super::items::{self, CiteItem, CitingItem, List, PaperItem, WorkItem};
use super::mention;
use super::meta::{Scholar, Tools};
use super::Ctx;

/// The Markdown of a paper that other pages show too (its summary, its
/// citation contexts), rendered once and shared.
#[derive(Debug, Default)]
pub struct PaperHtml {
    pub summary: Option<String>,
    /// One per entry of `cites`.
    pub contexts: Vec<Option<String>>,
}

/// The Markdown only the paper's own page shows, rendered when that page
/// is, so a large site never holds every body in memory.
struct BodyHtml {
    body: String,
    abstract_html: Option<String>,
    review: Vec<ReviewSection>,
}

impl BodyHtml {
    fn render(md: &Markdown, p: &Paper) -> BodyHtml {
        // In page order, sharing one id set, so headings never repeat an id.
        let mut ids = HeadingIds::default();
        let review = p
            .review
            .as_ref()
            .map(|r| review_sections(md, r, &mut ids))
            .unwrap_or_default();
        let abstract_html = p
            .abstract_md
            .as_deref()
            .map(|a| md.render_nested_with(a, &mut ids));
        BodyHtml {
            body: md.render_nested_with(&p.body_md, &mut ids),
            abstract_html,
            review,
        }
    }
}

/// One section of a structured review.
#[derive(Debug, Serialize)]
pub struct ReviewSection {
    pub key: &'static str,
    pub heading: &'static str,
    pub html: Option<String>,
    pub items: Vec<String>,
}

impl PaperHtml {
    pub fn render(md: &Markdown, p: &Paper) -> PaperHtml {
        PaperHtml {
            summary: p.summary.as_deref().map(|s| md.render_inline(s)),
            contexts: p
                .cites
                .iter()
                .map(|c| contexts_html(md, c.contexts()))
                .collect(),
        }
    }
}

/// One sentence inline; several, a paragraph each.
fn contexts_html(md: &Markdown, contexts: &[String]) -> Option<String> {
    match contexts {
        [] => None,
        [one] => Some(md.render_inline(one)),
        many => Some(
            many.iter()
                .map(|t| format!("<p>{}</p>", md.render_inline(t)))
                .collect(),
        ),
    }
}

/// How a citation's `source` is named to readers.
pub fn source_label(source: &str) -> Cow<'_, str> {
    match source {
        "s2" => "Semantic Scholar".into(),
        "openalex" => "OpenAlex".into(),
        other => other.into(),
    }
}

fn review_sections(md: &Markdown, r: &Review, ids: &mut HeadingIds) -> Vec<ReviewSection> {
    let mut one = |key, heading, v: &Option<String>| {
        v.as_deref().map(|v| ReviewSection {
            key,
            heading,
            html: Some(md.render_nested_with(v, ids)),
            items: Vec::new(),
        })
    };
    let many = |key, heading, v: &[String]| {
        (!v.is_empty()).then(|| ReviewSection {
            key,
            heading,
            html: None,
            items: v.iter().map(|i| md.render_inline(i)).collect(),
        })
    };
    [
        one("core_claim", "Core claim", &r.core_claim),
        one("carries", "What carries the argument", &r.carries),
        many("if_right", "If this is right", &r.if_right),
        many("between_lines", "Between the lines", &r.between_lines),
        one("premise", "Load-bearing premise", &r.premise),
        one("settle", "What would settle it", &r.settle),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A named link; `href` is absent when the target has no page.
#[derive(Debug, Serialize)]
pub struct Link<'a> {
    pub name: &'a str,
    pub href: Option<Cow<'a, str>>,
}

/// An external link of a paper (arXiv, DOI, PDF, code, web page).
#[derive(Debug, Serialize)]
pub struct ExternalLink {
    pub kind: &'static str,
    pub label: String,
    pub href: String,
}

/// One line of a role or polarity summary.
#[derive(Debug, Serialize)]
pub struct SummaryItem<'a> {
    pub name: &'a str,
    pub count: usize,
    /// Share of all citations, in whole percent.
    pub percent: usize,
    /// CSS class of its colour in the bar.
    pub class: String,
    /// True for the unclassified / still-indexing slot.
    pub pending: bool,
}

/// A role or polarity summary: counts, an inline SVG bar and its text.
#[derive(Debug, Serialize)]
pub struct Summary<'a> {
    pub total: usize,
    pub classified: usize,
    pub items: Vec<SummaryItem<'a>>,
    pub svg: String,
    pub text: String,
}

/// Citations per year.
#[derive(Debug, Serialize)]
pub struct YearCount {
    pub year: i32,
    pub count: usize,
}

/// The hub block of a work's page.
#[derive(Debug, Serialize)]
pub struct Hub<'a> {
    pub count: usize,
    /// "22 papers cite this work".
    pub count_label: String,
    /// "Polarity classification is still indexing." and similar.
    pub polarity_status: Option<String>,
    /// Highly influential citations, and "3 highly influential citations"
    /// when there are any.
    pub influential: usize,
    pub influential_label: Option<String>,
    /// "Labels: 480 from Semantic Scholar, 20 by hand." where a source
    /// labelled any citation.
    pub labelled_by: Option<String>,
    pub roles: Summary<'a>,
    pub polarities: Summary<'a>,
    pub years: Vec<YearCount>,
    pub years_svg: String,
    /// Citing papers without a year, left out of the chart.
    pub undated: usize,
    pub representative: List<CitingItem<'a>>,
    /// The list's markup when paperhub writes it ([`items::list`]);
    /// absent under a theme's own templates. So are the other `_html` lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub representative_html: Option<String>,
    /// The explorer's first page of citing papers.
    pub citing: List<CitingItem<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citing_html: Option<String>,
    /// Present when the citing papers fill more than one page.
    pub citing_pages: Option<Pagination>,
    /// Distinct values present, for the explorer's filters.
    pub filter_years: Vec<i32>,
}

/// Everything a paper (or hub) page shows.
#[derive(Debug, Serialize)]
pub struct WorkPage<'a> {
    pub id: &'a str,
    pub slug: &'a str,
    pub href: &'a str,
    pub title: &'a str,
    pub authors: Vec<Link<'a>>,
    pub year: Option<i32>,
    pub year_href: Option<String>,
    pub date: Option<&'a str>,
    pub venue: Option<&'a str>,
    pub has_record: bool,
    pub arxiv: Option<&'a str>,
    pub doi: Option<&'a str>,
    pub links: Vec<ExternalLink>,
    pub keywords: Vec<Link<'a>>,
    pub categories: Vec<Link<'a>>,
    /// The summary as written (plain text for meta tags).
    pub summary: Option<&'a str>,
    pub summary_html: Option<&'a str>,
    pub abstract_html: Option<String>,
    pub body_html: String,
    pub review: Vec<ReviewSection>,
    pub reviewed: Option<&'a str>,
    pub review_model: Option<&'a str>,
    pub cites: List<CiteItem<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cites_html: Option<String>,
    pub hub: Hub<'a>,
    pub extra: Option<&'a serde_json::Value>,
    /// Links and text of the hub tools block.
    pub tools: Tools,
    /// Google Scholar's Highwire Press tags, for works with a record.
    pub scholar: Option<Scholar<'a>>,
    /// schema.org ScholarlyArticle, safe to place inside a script element.
    pub json_ld: String,
}

/// Pagination links of a list page.
#[derive(Debug, Serialize)]
pub struct Pagination {
    pub number: usize,
    pub total: usize,
    pub first: String,
    pub last: String,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// Items on all pages.
    pub items: usize,
    /// 1-based index of this page's first item (0 when empty).
    pub from: usize,
    pub to: usize,
}

impl Pagination {
    pub fn new(ctx: &Ctx, base: &str, pager: &Pager, items: usize) -> Pagination {
        let link = |n: usize| ctx.href(&crate::urls::paged(base, n));
        Pagination {
            number: pager.number,
            total: pager.total,
            first: link(1),
            last: link(pager.total),
            prev: (pager.number > 1).then(|| link(pager.number - 1)),
            next: (pager.number < pager.total).then(|| link(pager.number + 1)),
            items,
            from: if pager.end > pager.start {
                pager.start + 1
            } else {
                0
            },
            to: pager.end,
        }
    }
}

/// A taxonomy term in its index.
#[derive(Debug, Serialize)]
pub struct TermItem<'a> {
    pub name: &'a str,
    pub href: String,
    pub count: usize,
}

/// A taxonomy as a whole, for its index page and navigation.
#[derive(Debug, Serialize)]
pub struct TaxonomyView {
    pub key: &'static str,
    pub title: &'static str,
    pub singular: &'static str,
    pub href: String,
    pub count: usize,
}

impl TaxonomyView {
    pub fn new(ctx: &Ctx, kind: TaxonomyKind) -> TaxonomyView {
        TaxonomyView {
            key: kind.path(),
            title: kind.title(),
            singular: kind.singular(),
            href: ctx.href(&crate::urls::terms(kind)),
            count: ctx.site.indexes.taxonomy(kind).terms.len(),
        }
    }
}

impl<'a> Ctx<'a> {
    pub fn paper_item(&self, paper: usize) -> PaperItem<'a> {
        let p = &self.site.content.papers[paper];
        let work = self.site.graph.paper_work[paper];
        let w = &self.site.graph.works[work];
        // A work with a record has the record's title and authors.
        let values = self.work_values(work);
        PaperItem {
            work,
            id: &p.id,
            href: self.work_href(work),
            title: &values.title,
            authors: &values.authors,
            year: p.year,
            venue: p.venue.as_deref(),
            summary_html: self.summary_value(paper),
            cited_by: w.cited_by.len(),
        }
    }

    pub fn work_item(&self, work: usize) -> WorkItem<'a> {
        let w = &self.site.graph.works[work];
        let values = self.work_values(work);
        WorkItem {
            id: &w.id,
            href: self.work_href(work),
            title: &values.title,
            authors: &values.authors,
            year: w.year,
            has_record: w.paper.is_some(),
            cited_by: w.cited_by.len(),
        }
    }

    /// The link to work `w`'s page.
    pub fn work_href(&self, w: usize) -> &'a str {
        &self.work_hrefs[w]
    }

    pub fn citing_item(&self, rank: usize, e: &Edge) -> CitingItem<'a> {
        let cite = &self.site.content.papers[e.from()].cites[e.cite()];
        let vocab = &self.site.config.citations;
        CitingItem {
            rank,
            paper: self.paper_item(e.from()),
            role: cite.role.map(|r| vocab.roles[usize::from(r)].as_str()),
            polarity: cite
                .polarity
                .map(|p| vocab.polarities[usize::from(p)].as_str()),
            influential: cite.influential,
            source: cite.source().map(source_label),
            context_html: self.context_html(e.from(), e.cite()),
        }
    }

    /// Citation `cite` of paper `paper`'s sentences, with the cited work's
    /// mention marked.
    fn context_html(&self, paper: usize, cite: usize) -> Option<Cow<'a, str>> {
        let html: &'a str = self.html[paper].contexts[cite].as_deref()?;
        let work = &self.site.graph.works[self.site.graph.targets[paper][cite]];
        Some(match mention::surname(&work.authors) {
            Some(name) => match mention::mark(html, name, work.year) {
                Cow::Borrowed(_) => Cow::Borrowed(html),
                Cow::Owned(o) => Cow::Owned(o),
            },
            None => Cow::Borrowed(html),
        })
    }

    /// Citing items for `edges`, ranked from `first`, and their markup at
    /// heading `level` when there is one ([`items::list`]).
    pub fn citing_items(
        &self,
        edges: &[Edge],
        first: usize,
        level: Option<u8>,
    ) -> (List<CitingItem<'a>>, Option<String>) {
        let list = edges
            .iter()
            .enumerate()
            .map(|(i, e)| self.citing_item(first + i, e));
        items::list(list, level, |o, c, level| {
            items::citing_item(o, c, level, self.item_text(c.paper.work))
        })
    }

    /// Paper items for `papers` on the page at `page`, and their markup at
    /// heading `level` when there is one: each item rendered once through
    /// its partial ([`items::Fragments`]).
    pub fn paper_items(
        &self,
        papers: &[usize],
        level: Option<u8>,
        page: &str,
    ) -> Result<(List<PaperItem<'a>>, Option<String>)> {
        let Some(level) = level else {
            let list = papers.iter().map(|&p| self.paper_item(p)).collect();
            return Ok((List::Data(list), None));
        };
        let mut html = String::with_capacity(papers.len() * 512);
        for &p in papers {
            self.fragments.write(&mut html, p, level, || {
                let mut c = tera::Context::new();
                c.insert("item", &self.paper_item(p));
                c.insert("item_level", &level);
                let bytes = self.engine.render("partials/paper_item.html", &c, page)?;
                let item = String::from_utf8_lossy(&bytes).into();
                super::templates::recycle(bytes);
                Ok(item)
            })?;
        }
        Ok((List::Native(papers.len()), Some(html)))
    }

    /// A link to a taxonomy term's page, when the term has one.
    fn term_link(&self, kind: TaxonomyKind, name: &'a str) -> Link<'a> {
        let slug = term_slug(name);
        let exists = self.site.indexes.taxonomy(kind).find(&slug).is_some();
        Link {
            name,
            href: exists.then(|| Cow::Owned(self.href(&crate::urls::term(kind, &slug)))),
        }
    }

    /// Links to the terms paper `p` lists as `names` (its authors, keywords
    /// or categories): every one has a page, found when the lists were built.
    fn paper_terms(&self, kind: TaxonomyKind, p: usize, names: &'a [String]) -> Vec<Link<'a>> {
        let t = TaxonomyKind::ALL
            .iter()
            .position(|&k| k == kind)
            .expect("every taxonomy kind is listed");
        let taxonomy = self.site.indexes.taxonomy(kind);
        names
            .iter()
            .zip(&taxonomy.by_paper[p])
            .map(|(name, &term)| Link {
                name,
                href: Some(Cow::Borrowed(self.term_hrefs[t][term as usize].as_str())),
            })
            .collect()
    }

    pub fn work_page(&self, work: usize) -> WorkPage<'a> {
        let site = self.site;
        let w = &site.graph.works[work];
        let p = w.paper.map(|i| &site.content.papers[i]);
        let html = w.paper.map(|i| &self.html[i]);
        let (body_html, abstract_html, review) = match p.map(|p| BodyHtml::render(self.md, p)) {
            Some(b) => (b.body, b.abstract_html, b.review),
            None => (String::new(), None, Vec::new()),
        };
        let links = p.map(|p| external_links(p)).unwrap_or_default();
        let (cites, cites_html) = self.cite_items(w);
        WorkPage {
            id: &w.id,
            slug: &w.slug,
            href: self.work_href(work),
            title: &w.title,
            authors: match w.paper {
                Some(i) => self.paper_terms(TaxonomyKind::Authors, i, &w.authors),
                // A cited work's authors have pages only when a record
                // names them too.
                None => w
                    .authors
                    .iter()
                    .map(|a| self.term_link(TaxonomyKind::Authors, a))
                    .collect(),
            },
            year: w.year,
            year_href: w
                .year
                .filter(|_| p.is_some())
                .map(|y| self.href(&crate::urls::term(TaxonomyKind::Years, &y.to_string()))),
            date: p.and_then(|p| p.date.as_deref()),
            venue: w.venue.as_deref(),
            has_record: p.is_some(),
            arxiv: p.and_then(|p| p.arxiv.as_deref()),
            doi: p.and_then(|p| p.doi.as_deref()),
            links,
            keywords: match (w.paper, p) {
                (Some(i), Some(p)) => self.paper_terms(TaxonomyKind::Keywords, i, &p.keywords),
                _ => Vec::new(),
            },
            categories: match (w.paper, p) {
                (Some(i), Some(p)) => self.paper_terms(TaxonomyKind::Categories, i, &p.categories),
                _ => Vec::new(),
            },
            summary: p.and_then(|p| p.summary.as_deref()),
            summary_html: html.and_then(|h| h.summary.as_deref()),
            abstract_html,
            body_html,
            review,
            reviewed: p
                .and_then(|p| p.review.as_deref())
                .and_then(|r| r.reviewed.as_deref()),
            review_model: p
                .and_then(|p| p.review.as_deref())
                .and_then(|r| r.model.as_deref()),
            cites,
            cites_html,
            hub: self.hub(w),
            extra: p.map(|p| &p.extra).filter(|e| !e.is_null()),
            tools: self.tools(work),
            scholar: p.map(|_| self.scholar(work)),
            json_ld: self.json_ld(work),
        }
    }

    /// The works paper `w` cites, as items, and their markup when
    /// paperhub writes it.
    fn cite_items(&self, w: &Work) -> (List<CiteItem<'a>>, Option<String>) {
        let site = self.site;
        let p = w.paper.map(|i| &site.content.papers[i]);
        let cited = p.map_or(&[][..], |p| &p.cites[..]);
        let cited = cited.iter().enumerate().map(|(i, c)| {
            let t = site.graph.targets[w.paper.unwrap_or_default()][i];
            let target = &site.graph.works[t];
            let values = self.work_values(t);
            CiteItem {
                work: t,
                id: &c.id,
                href: self.work_href(t),
                title: &values.title,
                authors: &values.authors,
                year: target.year,
                has_record: target.paper.is_some(),
                role: c
                    .role
                    .map(|r| site.config.citations.roles[usize::from(r)].as_str()),
                polarity: c
                    .polarity
                    .map(|r| site.config.citations.polarities[usize::from(r)].as_str()),
                influential: c.influential,
                source: c.source().map(source_label),
                context_html: w.paper.and_then(|p| self.context_html(p, i)),
            }
        });
        items::list(cited, self.native.cites, |o, c, level| {
            items::cite_item(o, c, level, self.item_text(c.work))
        })
    }

    fn hub(&self, w: &'a Work) -> Hub<'a> {
        let vocab = &self.site.config.citations;
        let count = w.cited_by.len();
        let roles = summary(
            "Citation roles",
            &vocab.roles,
            &w.role_counts,
            "unclassified",
            "role",
        );
        let polarities = summary(
            "Citation polarities",
            &vocab.polarities,
            &w.polarity_counts,
            "still indexing",
            "polarity",
        );
        // The explorer's first page; the rest have pages of their own. The
        // representative papers begin it, and are not written twice: the
        // explorer lists the papers after them, and its script takes the
        // representative items in too.
        let per_page = self.site.config.hub.citing_per_page;
        let shown = count.min(self.site.config.hub.representative);
        let first_page = count.min(per_page).max(shown);
        let (representative, representative_html) =
            self.citing_items(&w.cited_by[..shown], 1, self.native.hub);
        let (citing, citing_html) =
            self.citing_items(&w.cited_by[shown..first_page], shown + 1, self.native.hub);
        let pages = crate::index::paginate(count, per_page);
        let citing_pages = (pages.len() > 1)
            .then(|| Pagination::new(self, &crate::urls::work(&w.slug), &pages[0], count));
        let mut filter_years: Vec<i32> = w.per_year.iter().map(|(y, _)| *y).collect();
        filter_years.reverse();
        Hub {
            count,
            count_label: count_label(count),
            polarity_status: polarity_status(w),
            influential: w.influential,
            influential_label: match w.influential {
                0 => None,
                1 => Some("1 highly influential citation".to_string()),
                n => Some(format!("{n} highly influential citations")),
            },
            labelled_by: labelled_by(w),
            roles,
            polarities,
            years: w
                .per_year
                .iter()
                .map(|&(year, count)| YearCount { year, count })
                .collect(),
            years_svg: chart::per_year(&w.per_year),
            undated: count - w.per_year.iter().map(|(_, c)| c).sum::<usize>(),
            representative,
            representative_html,
            citing,
            citing_html,
            citing_pages,
            filter_years,
        }
    }
}

/// "22 papers cite this work".
fn count_label(count: usize) -> String {
    match count {
        0 => "No paper in this hub cites this work yet".to_string(),
        1 => "1 paper cites this work".to_string(),
        n => format!("{n} papers cite this work"),
    }
}

/// "Polarity is known for 3 of 5 citations; the rest are still indexing."
fn polarity_status(w: &Work) -> Option<String> {
    let pending = w.polarity_counts.last().copied().unwrap_or(0);
    match (w.cited_by.len(), pending) {
        (0, _) => None,
        (n, p) if p == n => Some("Polarity classification is still indexing.".to_string()),
        (n, 0) => Some(format!("All {n} citations are classified by polarity.")),
        (n, p) => Some(format!(
            "Polarity is known for {} of {n} citations; the rest are still indexing.",
            n - p
        )),
    }
}

/// "Labels: 480 from Semantic Scholar, 20 by hand."
fn labelled_by(w: &Work) -> Option<String> {
    if w.labelled_by.is_empty() {
        return None;
    }
    let parts: Vec<String> = w
        .labelled_by
        .iter()
        .map(|(by, n)| match &**by {
            "" => format!("{n} by hand"),
            by => format!("{n} from {}", source_label(by)),
        })
        .collect();
    Some(format!("Labels: {}.", parts.join(", ")))
}

fn summary<'a>(
    label: &str,
    names: &'a [String],
    counts: &[usize],
    pending: &'a str,
    prefix: &str,
) -> Summary<'a> {
    let total: usize = counts.iter().sum();
    let items: Vec<SummaryItem> = names
        .iter()
        .map(String::as_str)
        .chain([pending])
        .zip(counts)
        .enumerate()
        .map(|(i, (name, &count))| SummaryItem {
            name,
            count,
            percent: (count * 100).checked_div(total).unwrap_or(0),
            class: if i == names.len() {
                "seg-pending".to_string()
            } else {
                format!("seg-{prefix}-{i}")
            },
            pending: i == names.len(),
        })
        .collect();
    let segments: Vec<Segment> = items
        .iter()
        .map(|i| Segment {
            label: i.name,
            count: i.count,
            class: i.class.clone(),
        })
        .collect();
    Summary {
        total,
        classified: total - counts.last().copied().unwrap_or(0),
        svg: chart::stacked_bar(label, &segments),
        text: chart::describe(&segments, total),
        items,
    }
}

fn external_links(p: &Paper) -> Vec<ExternalLink> {
    let mut out = Vec::new();
    if let Some(a) = &p.arxiv {
        out.push(ExternalLink {
            kind: "arxiv",
            label: format!("arXiv:{a}"),
            href: format!("https://arxiv.org/abs/{}", encode(a)),
        });
    }
    if let Some(d) = &p.doi {
        out.push(ExternalLink {
            kind: "doi",
            label: format!("doi:{d}"),
            href: format!("https://doi.org/{}", encode(d)),
        });
    }
    for (kind, label, link) in [
        ("pdf", "PDF", &p.pdf),
        ("code", "Code", &p.code),
        ("url", "Web page", &p.url),
    ] {
        if let Some(l) = link {
            out.push(ExternalLink {
                kind,
                label: label.to_string(),
                href: l.clone(),
            });
        }
    }
    out
}

/// Percent-encodes what may not appear in a URL path; `/` is kept because
/// DOIs and old-style arXiv ids contain it.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:;()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_ids_for_urls() {
        assert_eq!(encode("10.1000/a b<c>"), "10.1000/a%20b%3Cc%3E");
        assert_eq!(encode("hep-th/9901001"), "hep-th/9901001");
    }

    #[test]
    fn summaries_count_pending_edges_separately() {
        let names = vec!["background".to_string(), "method".to_string()];
        let s = summary("Roles", &names, &[0, 0, 22], "unclassified", "role");
        assert_eq!((s.total, s.classified), (22, 0));
        assert_eq!(s.text, "22 unclassified");
        assert!(s.items[2].pending);
        assert_eq!(s.items[2].percent, 100);
    }
}

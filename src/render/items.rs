//! The default theme's list items, rendered natively. A large site's pages
//! are mostly lists (citing papers on every hub, the works each paper
//! cites, papers on every list and term page), and tera spends about a
//! microsecond interpreting each item's partial: a third of all template
//! time. While a page's template and a list's item partial are the
//! built-in ones and no other template of the page could read the list
//! (see [`Native::new`]), paperhub writes the same markup itself, for the
//! whole list at once, and hands it over as the list's `_html` sibling
//! (`hub.citing_html`), which the template prints in place of its loop. A
//! theme that changes the page's template or the partial gets its own
//! markup, from the partials, as always.
//!
//! Each function here mirrors its partial byte for byte; the
//! `native_items` integration test renders a site both ways and compares
//! every file.

use std::borrow::Cow;

use serde::Serialize;
use tera::Value;

use super::tags;
use super::templates::et_al;
use crate::theme::Theme;

/// A list as a template sees it: its items with their fields or, where
/// paperhub writes the list's markup itself ([`list`]), as many empty
/// values as it has items, so that `length` and `{% if %}` still work
/// while tera makes no map of fields per item. The markup then goes to
/// templates beside the list, as its `_html` sibling.
#[derive(Debug)]
pub enum List<T> {
    Data(Vec<T>),
    Native(usize),
}

impl<T: Serialize> Serialize for List<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        match self {
            List::Data(items) => items.serialize(s),
            List::Native(len) => {
                let mut seq = s.serialize_seq(Some(*len))?;
                for _ in 0..*len {
                    seq.serialize_element(&())?;
                }
                seq.end()
            }
        }
    }
}

/// A paper as shown in lists.
#[derive(Debug, Serialize)]
pub struct PaperItem<'a> {
    /// Its work, for the citing items' memoised text.
    #[serde(skip)]
    pub work: usize,
    pub id: &'a str,
    pub href: &'a str,
    pub title: &'a Value,
    /// A list of names.
    pub authors: &'a Value,
    pub year: Option<i32>,
    pub venue: Option<&'a str>,
    pub summary_html: Option<&'a Value>,
    /// How many papers cite it.
    pub cited_by: usize,
}

/// A citing paper in a hub: the paper plus what its citation says. Seen by
/// templates as one flat map.
#[derive(Debug)]
pub struct CitingItem<'a> {
    /// 1-based position in representative order.
    pub rank: usize,
    pub paper: PaperItem<'a>,
    pub role: Option<&'a str>,
    pub polarity: Option<&'a str>,
    /// A highly influential citation.
    pub influential: bool,
    /// Who labelled the citation ("Semantic Scholar"); `None` by hand.
    pub source: Option<Cow<'a, str>>,
    /// The citing sentences, the cited work's mention marked.
    pub context_html: Option<Cow<'a, str>>,
}

// By hand rather than `#[serde(flatten)]`, which goes through a map with
// allocated keys: there is one citing item per citation on many pages.
impl Serialize for CitingItem<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let p = &self.paper;
        let mut m = s.serialize_struct("CitingItem", 14)?;
        m.serialize_field("rank", &self.rank)?;
        m.serialize_field("id", p.id)?;
        m.serialize_field("href", &p.href)?;
        m.serialize_field("title", p.title)?;
        m.serialize_field("authors", p.authors)?;
        m.serialize_field("year", &p.year)?;
        m.serialize_field("venue", &p.venue)?;
        m.serialize_field("summary_html", &p.summary_html)?;
        m.serialize_field("cited_by", &p.cited_by)?;
        m.serialize_field("role", &self.role)?;
        m.serialize_field("polarity", &self.polarity)?;
        m.serialize_field("influential", &self.influential)?;
        m.serialize_field("source", &self.source)?;
        m.serialize_field("context_html", &self.context_html)?;
        m.end()
    }
}

/// A work in the hubs list or on the home page.
#[derive(Debug, Serialize)]
pub struct WorkItem<'a> {
    pub id: &'a str,
    pub href: &'a str,
    pub title: &'a Value,
    /// A list of names.
    pub authors: &'a Value,
    pub year: Option<i32>,
    pub has_record: bool,
    pub cited_by: usize,
}

/// An outgoing citation on a paper page.
#[derive(Debug, Serialize)]
pub struct CiteItem<'a> {
    /// The cited work, for the native markup's memoised text.
    #[serde(skip)]
    pub work: usize,
    pub id: &'a str,
    pub href: &'a str,
    pub title: &'a Value,
    /// A list of names.
    pub authors: &'a Value,
    pub year: Option<i32>,
    pub has_record: bool,
    pub role: Option<&'a str>,
    pub polarity: Option<&'a str>,
    pub influential: bool,
    pub source: Option<Cow<'a, str>>,
    pub context_html: Option<Cow<'a, str>>,
}

/// `items` as a template list and, at heading `level` when there is one,
/// the markup of them all as `render` writes each.
pub fn list<T>(
    items: impl ExactSizeIterator<Item = T>,
    level: Option<u8>,
    mut render: impl FnMut(&mut Out, &T, u8),
) -> (List<T>, Option<String>) {
    let Some(level) = level else {
        return (List::Data(items.collect()), None);
    };
    let len = items.len();
    let mut o = Out::with_capacity(len * 512);
    for item in items {
        render(&mut o, &item, level);
    }
    (List::Native(len), Some(o.finish()))
}

/// Each paper's list item, rendered once through its partial
/// (`partials/paper_item.html`) and reused on every list page that shows
/// the paper: the papers list and each of its terms' pages. The partial
/// then runs once per paper rather than once per listing (Hugo's
/// `partialCached`); measured faster than writing each listing natively.
pub struct Fragments {
    /// The heading level of the lists whose items are kept.
    level: Option<u8>,
    items: Vec<std::sync::OnceLock<Box<str>>>,
}

impl Fragments {
    /// Room for `papers` items at heading `level`, the papers list's.
    pub fn new(papers: usize, level: Option<u8>) -> Fragments {
        let items = match level {
            Some(_) => (0..papers).map(|_| std::sync::OnceLock::new()).collect(),
            None => Vec::new(),
        };
        Fragments { level, items }
    }

    /// Appends paper `p`'s item at heading `level` to `out`: the kept one,
    /// or what `render` makes (kept when at the papers list's level).
    pub fn write<E>(
        &self,
        out: &mut String,
        p: usize,
        level: u8,
        render: impl FnOnce() -> Result<Box<str>, E>,
    ) -> Result<(), E> {
        let Some(cell) = self.items.get(p).filter(|_| self.level == Some(level)) else {
            out.push_str(&render()?);
            return Ok(());
        };
        let kept = match cell.get() {
            Some(kept) => kept,
            // Another thread may make it meanwhile: the same text.
            None => {
                let made = render()?;
                cell.get_or_init(|| made)
            }
        };
        out.push_str(kept);
        Ok(())
    }
}

/// Which lists paperhub makes beside their page, each with the heading
/// level its (built-in) including template sets as `item_level`; `None`
/// where the page's template loops over the list itself (see
/// [`Native::new`]). Paper items come from their partial through
/// [`Fragments`]; the others are written here, in Rust.
#[derive(Debug, Clone, Copy)]
pub struct Native {
    /// A work page's representative and explorer items.
    pub hub: Option<u8>,
    /// A paper page's outgoing citations.
    pub cites: Option<u8>,
    /// Pages 2.. of a work's citing papers.
    pub citing_page: Option<u8>,
    /// The papers list and every term page (through [`Fragments`]).
    pub list: Option<u8>,
    /// The home page's newest papers (through their partial).
    pub home: Option<u8>,
    /// Every Atom feed, written whole (`feed.xml` is the built-in one).
    pub feed: bool,
}

impl Native {
    /// The lists paperhub makes beside their page: where the page's own
    /// template is the built-in one (it prints the list's `_html`), no
    /// other template the page extends or includes (a theme's own
    /// `base.html`, say) names the list, so that none could read its
    /// items' fields, and the item partial is the built-in one, or for
    /// paper items one that reads nothing but its item, `item_level` and
    /// `site` ([`tags::reads_only`]). `feed.xml` is written whole while it
    /// and what it includes are the built-in ones.
    pub fn new(theme: &Theme) -> Native {
        let builtin = Theme::embedded();
        let source = |t: &'_ Theme, name: &str| {
            t.templates
                .iter()
                .find(|x| x.name == name)
                .map(|x| x.source.clone())
        };
        let is_builtin = |name: &str| {
            let theirs = source(theme, name);
            theirs.is_some() && theirs == source(&builtin, name)
        };
        let closures = super::fingerprint::closures(theme);
        // A partial that paperhub mirrors in Rust must be the built-in one;
        // one rendered once per item must depend on the item alone.
        let partial_ok = |partial: &str| {
            is_builtin(partial)
                || (partial == "partials/paper_item.html"
                    && source(theme, partial)
                        .is_some_and(|s| tags::reads_only(&s, &["item", "item_level", "site"])))
        };
        let at = |page: &str, partial: &str, lists: &[&str], holders: &[&str], level: u8| {
            let others_agree = closures.get(page).is_some_and(|all| {
                all.iter().all(|t| {
                    t == page
                        || t == partial
                        || is_builtin(t)
                        || !source(theme, t).is_some_and(|s| tags::names_any(&s, lists, holders))
                })
            });
            (is_builtin(page) && partial_ok(partial) && others_agree).then_some(level)
        };
        Native {
            hub: at(
                "paper.html",
                "partials/citing_item.html",
                &["representative", "citing"],
                &["paper", "hub"],
                4,
            ),
            cites: at(
                "paper.html",
                "partials/cite_item.html",
                &["cites"],
                &["paper"],
                3,
            ),
            citing_page: at(
                "citing.html",
                "partials/citing_item.html",
                &["papers"],
                &[],
                2,
            ),
            list: at("list.html", "partials/paper_item.html", &["papers"], &[], 2),
            home: at(
                "index.html",
                "partials/paper_item.html",
                &["papers"],
                &[],
                3,
            ),
            feed: closures
                .get("feed.xml")
                .is_some_and(|all| all.iter().all(|t| is_builtin(t))),
        }
    }
}

/// What every item showing a work prints of it, escaped once per render:
/// a work is listed on many pages (a paper on each hub it cites, in each
/// of its terms' lists).
pub struct ItemText {
    /// `<a href="…">title</a>`.
    link: Box<str>,
    /// The `et_al` author list, escaped; empty without authors.
    authors: Box<str>,
}

impl ItemText {
    /// The text of a work titled `title` (a string value) by `authors` (a
    /// list of names), whose page is at `href`.
    pub fn new(href: &str, title: &Value, authors: &Value) -> ItemText {
        let mut o = Out::with_capacity(href.len() + 128);
        o.raw("<a href=\"")
            .text(href)
            .raw("\">")
            .value(title)
            .raw("</a>");
        let link = o.finish().into();
        let mut o = Out::with_capacity(64);
        o.text(&et_al(names(authors), 3));
        ItemText {
            link,
            authors: o.finish().into(),
        }
    }
}

/// Markup being written, with tera's own escaping.
pub struct Out(Vec<u8>);

impl Out {
    fn with_capacity(n: usize) -> Out {
        Out(Vec::with_capacity(n))
    }

    /// Writes on into `bytes` (a reused buffer).
    pub(super) fn after(bytes: Vec<u8>) -> Out {
        Out(bytes)
    }

    pub(super) fn raw(&mut self, s: &str) -> &mut Out {
        self.0.extend_from_slice(s.as_bytes());
        self
    }

    /// Text as `{{ x }}` prints it (escaped).
    pub(super) fn text(&mut self, s: &str) -> &mut Out {
        tera::escape_html(s, &mut self.0).expect("writing to memory cannot fail");
        self
    }

    /// A template value as `{{ x }}` prints it.
    fn value(&mut self, v: &Value) -> &mut Out {
        match v.as_str() {
            Some(s) => self.text(s),
            None => self.text(&v.to_string()),
        }
    }

    fn number(&mut self, n: impl std::fmt::Display) -> &mut Out {
        use std::io::Write;
        write!(self.0, "{n}").expect("writing to memory cannot fail");
        self
    }

    fn finish(self) -> String {
        String::from_utf8(self.0).expect("built from str pieces")
    }

    pub(super) fn into_bytes(self) -> Vec<u8> {
        self.0
    }
}

// Tera's truthiness, for `{% if x %}`.
fn year(y: Option<i32>) -> Option<i32> {
    y.filter(|&y| y != 0)
}

fn word(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.is_empty())
}

fn names(v: &Value) -> &[Value] {
    v.as_array().unwrap_or_default()
}

fn safe(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// `partials/citing_item.html`. Like the partials, items start and end
/// with a line break (the one after the header comment, the file's last).
pub fn citing_item(o: &mut Out, item: &CitingItem, level: u8, text: &ItemText) {
    let p = &item.paper;
    let (y, role, polarity) = (year(p.year), word(item.role), word(item.polarity));
    let authors = names(p.authors);
    o.raw("\n<li");
    if let Some(y) = y {
        o.raw(" data-y=\"").number(y).raw("\"");
    }
    if let Some(r) = role {
        o.raw(" data-r=\"").text(r).raw("\"");
    }
    if let Some(pol) = polarity {
        o.raw(" data-p=\"").text(pol).raw("\"");
    }
    if p.cited_by != 0 {
        o.raw(" data-c=\"").number(p.cited_by).raw("\"");
    }
    if item.influential {
        o.raw(" data-i");
    }
    o.raw(">");
    heading(o, level, text);
    let labels = Labels {
        role,
        polarity,
        influential: item.influential,
        source: item.source.as_deref(),
    };
    if !authors.is_empty() || y.is_some() || p.cited_by != 0 || labels.any() {
        o.raw("<p class=\"meta\">");
        meta(o, authors, text, y);
        if p.cited_by != 0 {
            o.raw(" · cited by ").number(p.cited_by);
        }
        badges(o, &labels);
        o.raw("</p>");
    }
    if let Some(s) = safe(p.summary_html) {
        o.raw("<p class=\"pith\">").raw(s).raw("</p>");
    }
    context(o, item.context_html.as_deref());
    o.raw("</li>\n");
}

/// `partials/cite_item.html`.
pub fn cite_item(o: &mut Out, item: &CiteItem, level: u8, text: &ItemText) {
    let (y, role, polarity) = (year(item.year), word(item.role), word(item.polarity));
    let authors = names(item.authors);
    o.raw("\n<li>");
    heading(o, level, text);
    let labels = Labels {
        role,
        polarity,
        influential: item.influential,
        source: item.source.as_deref(),
    };
    if !authors.is_empty() || y.is_some() || !item.has_record || labels.any() {
        o.raw("<p class=\"meta\">");
        meta(o, authors, text, y);
        if !item.has_record {
            o.raw(" <span class=\"badge\">no record</span>");
        }
        badges(o, &labels);
        o.raw("</p>");
    }
    context(o, item.context_html.as_deref());
    o.raw("</li>\n");
}

/// The title line all three partials open with.
fn heading(o: &mut Out, level: u8, text: &ItemText) {
    o.raw("<h").number(level).raw(">");
    o.raw(&text.link).raw("</h").number(level).raw(">");
}

/// Authors and year at the start of an item's meta line.
fn meta(o: &mut Out, authors: &[Value], text: &ItemText, y: Option<i32>) {
    // The template tests the list, not the text (a list of empty names).
    if !authors.is_empty() {
        o.raw(&text.authors);
    }
    if let Some(y) = y {
        o.raw(" (").number(y).raw(")");
    }
}

/// What a citation is labelled with.
struct Labels<'a> {
    role: Option<&'a str>,
    polarity: Option<&'a str>,
    influential: bool,
    source: Option<&'a str>,
}

impl Labels<'_> {
    fn any(&self) -> bool {
        self.role.is_some() || self.polarity.is_some() || self.influential
    }
}

/// The role, polarity and influence badges, when the citation has any;
/// who labelled it shows on hover.
fn badges(o: &mut Out, labels: &Labels) {
    if !labels.any() {
        return;
    }
    let (role, polarity) = (labels.role, labels.polarity);
    o.raw(" <span class=\"badges\"");
    if let Some(s) = word(labels.source) {
        o.raw(" title=\"labelled by ").text(s).raw("\"");
    }
    o.raw(">");
    if let Some(r) = role {
        o.raw("<span class=\"badge role\">").text(r).raw("</span>");
    }
    if let Some(p) = polarity {
        o.raw("<span class=\"badge polarity-")
            .text(p)
            .raw("\">")
            .text(p)
            .raw("</span>");
    }
    if labels.influential {
        o.raw("<span class=\"badge influential\">influential</span>");
    }
    o.raw("</span>");
}

fn context(o: &mut Out, html: Option<&str>) {
    if let Some(h) = word(html) {
        o.raw("<blockquote class=\"context\">")
            .raw(h)
            .raw("</blockquote>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_native_list_keeps_its_length_and_truth_for_templates() {
        let mut tera = tera::Tera::new();
        tera.add_raw_template(
            "t",
            "{{ a | length }} {% if a %}a{% endif %}{% if b %}b{% endif %}",
        )
        .unwrap();
        let mut c = tera::Context::new();
        c.insert("a", &List::<u8>::Native(3));
        c.insert("b", &List::<u8>::Native(0));
        assert_eq!(tera.render("t", &c).unwrap(), "3 a");
        let (native, html) = super::list([1u8, 2].into_iter(), Some(2), |o, n, level| {
            o.number(n * level);
        });
        assert!(matches!(native, List::Native(2)));
        assert_eq!(html.as_deref(), Some("24"));
        let (data, html) = super::list([1u8].into_iter(), None, |_, _, _| unreachable!());
        assert!(matches!(data, List::Data(v) if v == [1]));
        assert_eq!(html, None);
    }

    #[test]
    fn only_pages_rendered_by_built_in_templates_alone_have_native_lists() {
        let native = |theme: &Theme| Native::new(theme);
        let levels = |n: Native| (n.hub, n.cites, n.citing_page, n.list, n.home, n.feed);
        let changed = |names: &[&str]| {
            let mut theme = Theme::embedded();
            for t in &mut theme.templates {
                if names.contains(&t.name.as_str()) {
                    t.source = format!("{}{{# mine #}}", t.source).into();
                }
            }
            levels(native(&theme))
        };
        assert_eq!(
            levels(native(&Theme::embedded())),
            (Some(4), Some(3), Some(2), Some(2), Some(3), true)
        );
        assert_eq!(
            changed(&["paper.html", "partials/paper_item.html"]),
            (None, None, Some(2), Some(2), Some(3), true),
            "a paper item partial of its own that reads its item alone is cached"
        );
        assert_eq!(
            changed(&["feed.xml"]),
            (Some(4), Some(3), Some(2), Some(2), Some(3), false)
        );
        assert_eq!(
            changed(&["partials/cite_item.html"]),
            (Some(4), None, Some(2), Some(2), Some(3), true),
            "a partial is its own list's alone"
        );
        assert_eq!(
            changed(&["base.html"]),
            (Some(4), Some(3), Some(2), Some(2), Some(3), true),
            "a base.html of its own that names no list keeps every list native"
        );
        // One that names a list could read its items: that list goes
        // through tera, the others stay native.
        let mut theme = Theme::embedded();
        let base = theme
            .templates
            .iter_mut()
            .find(|t| t.name == "base.html")
            .unwrap();
        base.source = format!(
            "{}{{% if paper is defined %}}{{{{ paper.cites | length }}}}{{% endif %}}",
            base.source
        )
        .into();
        assert_eq!(
            levels(native(&theme)),
            (Some(4), None, Some(2), Some(2), Some(3), true)
        );
        let base = Theme::embedded();
        let base = &base
            .templates
            .iter()
            .find(|t| t.name == "base.html")
            .unwrap()
            .source;
        assert!(!tags::names_any(
            base,
            &["representative", "citing", "cites", "papers"],
            &["paper", "hub"]
        ));
        assert_eq!(
            changed(&["hubs.html", "404.html"]),
            (Some(4), Some(3), Some(2), Some(2), Some(3), true)
        );
    }

    #[test]
    fn a_paper_item_partial_of_a_theme_is_cached_when_it_reads_its_item_alone() {
        let levels = |source: &str| {
            let mut theme = Theme::embedded();
            let partial = theme
                .templates
                .iter_mut()
                .find(|t| t.name == "partials/paper_item.html")
                .unwrap();
            partial.source = source.to_string().into();
            let n = Native::new(&theme);
            (n.hub, n.cites, n.citing_page, n.list, n.home, n.feed)
        };
        assert_eq!(
            levels("<li>{% set t = item.title | upper %}{{ t }}{% for a in item.authors %}{% if loop.first %}{{ a }}{% endif %}{% endfor %}{% if item.year %}{% set y = item.year %}{{ y }}{% endif %}{{ site.title }}</li>"),
            (Some(4), Some(3), Some(2), Some(2), Some(3), true),
            "one of its own with sets and loops of its own is cached"
        );
        assert_eq!(
            levels("<li>{{ item.title }} on {{ page_title }}</li>"),
            (Some(4), Some(3), Some(2), None, None, true),
            "one that reads the page is rendered in the page's loop"
        );
    }
}

//! The default theme's list items, rendered natively. A large site's pages
//! are mostly lists (citing papers on every hub, the works each paper
//! cites, papers on every list and term page), and tera spends about a
//! microsecond interpreting each item's partial: a third of all template
//! time. While a page's template and all it extends or includes (the
//! item partials among them) are the built-in ones, paperhub writes the
//! same markup itself and hands it over as `item.html`, which the partial
//! prints as is. A theme that changes any of them gets its own markup,
//! from the partial, as always.
//!
//! Each function here mirrors its partial's `else` branch byte for byte;
//! the `native_items` integration test renders a site both ways and
//! compares every file.

use std::collections::HashMap;

use serde::Serialize;
use tera::Value;

use super::memo::WorkValues;
use super::templates::et_al;
use super::view::{CiteItem, CitingItem, PaperItem};
use crate::theme::Theme;

/// A list item as a template sees it: its fields, or only its markup
/// (`{ "html": ... }`) where [`Native`] says paperhub renders it.
#[derive(Debug)]
pub enum Item<T> {
    Data(T),
    Html(String),
}

impl<T> Item<T> {
    /// `data`, or its markup by `render` at heading `level` when there is one.
    pub fn new(data: T, level: Option<u8>, render: impl FnOnce(&T, u8) -> String) -> Item<T> {
        match level {
            Some(level) => Item::Html(render(&data, level)),
            None => Item::Data(data),
        }
    }
}

impl<T: Serialize> Serialize for Item<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        match self {
            Item::Data(data) => data.serialize(s),
            Item::Html(html) => {
                let mut m = s.serialize_struct("Item", 1)?;
                m.serialize_field("html", html)?;
                m.end()
            }
        }
    }
}

/// Which lists paperhub renders itself, each with the heading level its
/// (built-in) including template sets as `item_level`; `None` where the
/// theme has its own version of any template of the page.
#[derive(Debug, Clone, Copy)]
pub struct Native {
    /// A work page's representative and explorer items.
    pub hub: Option<u8>,
    /// A paper page's outgoing citations.
    pub cites: Option<u8>,
    /// Pages 2.. of a work's citing papers.
    pub citing_page: Option<u8>,
    /// The papers list and every term page.
    pub list: Option<u8>,
    /// The home page's newest papers.
    pub home: Option<u8>,
}

impl Native {
    /// The lists whose page template is rendered by built-in templates
    /// alone: it, and every template it extends or includes (`hashes`, see
    /// [`super::fingerprint::template_hashes`]), are exactly the built-in
    /// ones. A theme's own `base.html` could read the items' fields too.
    pub fn new(hashes: &HashMap<String, u64>) -> Native {
        let builtin = super::fingerprint::template_hashes(&Theme::embedded());
        let at = |template: &str, level: u8| {
            let theirs = hashes.get(template);
            (theirs.is_some() && theirs == builtin.get(template)).then_some(level)
        };
        Native {
            hub: at("paper.html", 4),
            cites: at("paper.html", 3),
            citing_page: at("citing.html", 2),
            list: at("list.html", 2),
            home: at("index.html", 3),
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
    pub fn new(href: &str, values: &WorkValues) -> ItemText {
        let mut o = Out::with_capacity(href.len() + 128);
        o.raw("<a href=\"")
            .text(href)
            .raw("\">")
            .value(&values.title)
            .raw("</a>");
        let link = o.finish().into();
        let mut o = Out::with_capacity(64);
        o.text(&et_al(names(&values.authors), 3));
        ItemText {
            link,
            authors: o.finish().into(),
        }
    }
}

/// Markup being written, with tera's own escaping.
struct Out(Vec<u8>);

impl Out {
    fn with_capacity(n: usize) -> Out {
        Out(Vec::with_capacity(n))
    }

    fn raw(&mut self, s: &str) -> &mut Out {
        self.0.extend_from_slice(s.as_bytes());
        self
    }

    /// Text as `{{ x }}` prints it (escaped).
    fn text(&mut self, s: &str) -> &mut Out {
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

/// `partials/citing_item.html`.
pub fn citing_item(item: &CitingItem, level: u8, text: &ItemText) -> String {
    let p = &item.paper;
    let (y, role, polarity) = (year(p.year), word(item.role), word(item.polarity));
    let authors = names(p.authors);
    let mut o = Out::with_capacity(512);
    o.raw("<li class=\"item\" data-year=\"");
    if let Some(y) = y {
        o.number(y);
    }
    o.raw("\" data-role=\"").text(role.unwrap_or("-"));
    o.raw("\" data-polarity=\"").text(polarity.unwrap_or("-"));
    o.raw("\" data-cited=\"").number(p.cited_by);
    o.raw("\" data-rank=\"").number(item.rank).raw("\">\n");
    heading(&mut o, level, text);
    if !authors.is_empty() || y.is_some() || p.cited_by != 0 || role.is_some() || polarity.is_some()
    {
        o.raw("<p class=\"item-meta\">");
        meta(&mut o, authors, text, y);
        if p.cited_by != 0 {
            o.raw(" · <span class=\"cited\">cited by ")
                .number(p.cited_by)
                .raw("</span>");
        }
        o.raw("\n    ");
        badges(&mut o, role, polarity);
        o.raw("</p>");
    }
    o.raw("\n  ");
    if let Some(s) = safe(p.summary_html) {
        o.raw("<p class=\"pith\">").raw(s).raw("</p>");
    }
    o.raw("\n  ");
    context(&mut o, item.context_html);
    o.raw("\n</li>");
    o.finish()
}

/// `partials/paper_item.html`.
pub fn paper_item(item: &PaperItem, level: u8, text: &ItemText) -> String {
    let y = year(item.year);
    let venue = word(item.venue);
    let authors = names(item.authors);
    let mut o = Out::with_capacity(384);
    o.raw("<li class=\"item\">\n");
    heading(&mut o, level, text);
    if !authors.is_empty() || y.is_some() || venue.is_some() || item.cited_by != 0 {
        o.raw("<p class=\"item-meta\">");
        meta(&mut o, authors, text, y);
        if let Some(v) = venue {
            o.raw(" · <span class=\"venue\">").text(v).raw("</span>");
        }
        if item.cited_by != 0 {
            o.raw(" · <span class=\"cited\">cited by ")
                .number(item.cited_by)
                .raw("</span>");
        }
        o.raw("</p>");
    }
    o.raw("\n  ");
    if let Some(s) = safe(item.summary_html) {
        o.raw("<p class=\"pith\">").raw(s).raw("</p>");
    }
    o.raw("\n</li>");
    o.finish()
}

/// `partials/cite_item.html`.
pub fn cite_item(item: &CiteItem, level: u8, text: &ItemText) -> String {
    let (y, role, polarity) = (year(item.year), word(item.role), word(item.polarity));
    let authors = names(item.authors);
    let mut o = Out::with_capacity(384);
    o.raw("<li class=\"item\">\n");
    heading(&mut o, level, text);
    o.raw("<p class=\"item-meta\">");
    if author_span(&mut o, authors, text) {
        o.raw(" ");
    }
    if let Some(y) = y {
        o.raw("<span class=\"year\">").number(y).raw("</span>");
    }
    if !item.has_record {
        o.raw(" <span class=\"badge\">no record</span>");
    }
    o.raw("\n    ");
    badges(&mut o, role, polarity);
    o.raw("</p>\n  ");
    context(&mut o, item.context_html);
    o.raw("\n</li>");
    o.finish()
}

/// The title line all three partials open with.
fn heading(o: &mut Out, level: u8, text: &ItemText) {
    o.raw("  <h").number(level).raw(" class=\"item-title\">");
    o.raw(&text.link).raw("</h").number(level).raw(">\n  ");
}

/// The shortened author list, when there are authors; whether it was.
fn author_span(o: &mut Out, authors: &[Value], text: &ItemText) -> bool {
    // The template tests the list, not the text (a list of empty names).
    if !authors.is_empty() {
        o.raw("<span class=\"authors\">")
            .raw(&text.authors)
            .raw("</span>");
    }
    !authors.is_empty()
}

/// Authors and year at the start of an item's meta line.
fn meta(o: &mut Out, authors: &[Value], text: &ItemText, y: Option<i32>) {
    author_span(o, authors, text);
    if let Some(y) = y {
        o.raw(" <span class=\"year\">").number(y).raw("</span>");
    }
}

fn badges(o: &mut Out, role: Option<&str>, polarity: Option<&str>) {
    o.raw("<span class=\"badges\">");
    if let Some(r) = role {
        o.raw("<span class=\"badge role\">").text(r).raw("</span>");
    }
    if let Some(p) = polarity {
        o.raw("<span class=\"badge polarity polarity-")
            .text(p)
            .raw("\">")
            .text(p)
            .raw("</span>");
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
    fn only_pages_rendered_by_built_in_templates_alone_have_native_lists() {
        let native =
            |theme: &Theme| Native::new(&super::super::fingerprint::template_hashes(theme));
        let levels = |n: Native| (n.hub, n.cites, n.citing_page, n.list, n.home);
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
            (Some(4), Some(3), Some(2), Some(2), Some(3))
        );
        assert_eq!(
            changed(&["paper.html", "partials/paper_item.html"]),
            (None, None, Some(2), None, None)
        );
        assert_eq!(
            changed(&["partials/cite_item.html"]),
            (None, None, Some(2), Some(2), Some(3)),
            "a page's other lists go through tera too: they share its templates"
        );
        assert_eq!(
            changed(&["base.html"]),
            (None, None, None, None, None),
            "every page extends base.html"
        );
        assert_eq!(
            changed(&["hubs.html", "404.html"]),
            (Some(4), Some(3), Some(2), Some(2), Some(3))
        );
    }
}

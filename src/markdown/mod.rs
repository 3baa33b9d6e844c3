//! Markdown → HTML with pulldown-cmark: tables, footnotes, strikethrough,
//! task lists, heading anchors, highlighted code, MathML, and sanitised raw
//! HTML. A [`Markdown`] is built once per build and shared by render threads.

mod highlight;
mod math;

use std::collections::HashMap;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

pub use highlight::stylesheet as highlight_stylesheet;

use crate::config::MarkdownConfig;
use crate::slug::term_slug;

/// Marks fragments we generate ourselves (math, code) while raw HTML is
/// sanitised, so the sanitiser never sees and never mangles them.
const HOLE_OPEN: char = '\u{E000}';
const HOLE_CLOSE: char = '\u{E001}';

/// The Markdown renderer for one build.
pub struct Markdown {
    options: Options,
    unsafe_html: bool,
    /// The site's path prefix (`/` or `/hub/`), put in front of
    /// root-relative links so they work under a subpath.
    base_path: String,
    highlighter: highlight::Highlighter,
    sanitizer: ammonia::Builder<'static>,
}

impl Markdown {
    pub fn new(config: &MarkdownConfig, base_path: &str) -> Markdown {
        let mut options = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS;
        if config.math {
            options |= Options::ENABLE_MATH;
        }
        let mut sanitizer = ammonia::Builder::default();
        // No rel="noopener noreferrer" on every link: it would also land on
        // the <a> whose unsafe href was removed, which is then invalid HTML.
        sanitizer
            .link_rel(None)
            .add_tags(["input"])
            .add_tag_attributes("input", ["type", "checked", "disabled", "aria-label"])
            .add_tag_attributes("a", ["class", "aria-label"])
            .add_tag_attributes("div", ["class", "id"])
            .add_tag_attributes("sup", ["class", "id"])
            .add_tag_attributes("span", ["class"]);
        for h in ["h2", "h3", "h4", "h5", "h6"] {
            sanitizer.add_tag_attributes(h, ["id"]);
        }
        Markdown {
            options,
            unsafe_html: config.unsafe_html,
            base_path: base_path.to_string(),
            highlighter: highlight::Highlighter::new(&config.highlight_theme),
            sanitizer,
        }
    }

    /// Renders a Markdown document shown under the page's `<h1>`: its top
    /// heading level becomes `<h2>` (whether the author wrote `#` or `##`),
    /// and headings get ids with anchor links.
    pub fn render(&self, md: &str) -> String {
        self.render_at(md, 2, &mut HeadingIds::default())
    }

    /// Renders a document shown inside a section that has its own `<h2>`:
    /// its top heading level becomes `<h3>`.
    pub fn render_nested(&self, md: &str) -> String {
        self.render_at(md, 3, &mut HeadingIds::default())
    }

    /// Like [`Markdown::render_nested`], for one of several documents shown
    /// on the same page: `ids` keeps their heading ids distinct.
    pub fn render_nested_with(&self, md: &str, ids: &mut HeadingIds) -> String {
        self.render_at(md, 3, ids)
    }

    /// Renders `md` with its top heading level made `top`, so the page's
    /// outline never skips a level. Headings are set aside while the
    /// document is read and placed once its top level is known, so the
    /// source is parsed once.
    fn render_at(&self, md: &str, top: usize, ids: &mut HeadingIds) -> String {
        let mut headings: Vec<(usize, HeadingLevel, Vec<Event>)> = Vec::new();
        let mut holes: Vec<String> = Vec::new();
        let mut saw_raw_html = false;
        let mut events: Vec<Event> = Vec::new();
        let mut heading: Option<(HeadingLevel, Vec<Event>)> = None;
        let mut code: Option<(String, String)> = None;
        let mut in_image = 0usize;
        let sanitize = !self.unsafe_html;

        let hole = |html: String, holes: &mut Vec<String>| -> Event<'static> {
            if sanitize {
                holes.push(html);
                Event::Text(format!("{HOLE_OPEN}{}{HOLE_CLOSE}", holes.len() - 1).into())
            } else {
                Event::Html(html.into())
            }
        };

        // Our placeholders must not be forgeable from the source text.
        let cleaned;
        let md = if md.contains([HOLE_OPEN, HOLE_CLOSE]) {
            cleaned = md.replace([HOLE_OPEN, HOLE_CLOSE], "");
            cleaned.as_str()
        } else {
            md
        };

        for event in Parser::new_ext(md, self.options) {
            if let Some((_, text)) = code.as_mut() {
                match event {
                    Event::Text(t) => text.push_str(&t),
                    Event::End(TagEnd::CodeBlock) => {
                        let (lang, text) = code.take().unwrap_or_default();
                        let html = self.highlighter.block(&lang, &text);
                        events.push(hole(html, &mut holes));
                    }
                    _ => {}
                }
                continue;
            }
            let event = match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    let lang = match kind {
                        CodeBlockKind::Fenced(l) => l.to_string(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    code = Some((lang, String::new()));
                    continue;
                }
                // pulldown-cmark's checkbox has no accessible name.
                Event::TaskListMarker(done) => Event::InlineHtml(
                    if done {
                        "<input type=\"checkbox\" disabled checked aria-label=\"done\"> "
                    } else {
                        "<input type=\"checkbox\" disabled aria-label=\"not done\"> "
                    }
                    .into(),
                ),
                // Markup cannot go into an image's alt text; the source can.
                Event::InlineMath(m) if in_image > 0 => Event::Text(m),
                Event::InlineMath(m) => hole(math::to_mathml(&m, false), &mut holes),
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    saw_raw_html |= !is_safe_url(&dest_url);
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url: self.rebase(dest_url),
                        title,
                        id,
                    })
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    in_image += 1;
                    saw_raw_html |= !is_safe_url(&dest_url);
                    Event::Start(Tag::Image {
                        link_type,
                        dest_url: self.rebase(dest_url),
                        title,
                        id,
                    })
                }
                Event::End(TagEnd::Image) => {
                    in_image = in_image.saturating_sub(1);
                    event
                }
                Event::DisplayMath(m) => hole(math::to_mathml(&m, true), &mut holes),
                Event::Html(_) | Event::InlineHtml(_) => {
                    saw_raw_html = true;
                    event
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    heading = Some((level, Vec::new()));
                    continue;
                }
                Event::End(TagEnd::Heading(_)) => {
                    let (level, inner) = heading.take().unwrap_or((HeadingLevel::H2, Vec::new()));
                    headings.push((events.len(), level, inner));
                    events.push(Event::Text("".into()));
                    continue;
                }
                other => other,
            };
            match heading.as_mut() {
                Some((_, inner)) => inner.push(event),
                None => events.push(event),
            }
        }

        let min = headings.iter().map(|&(_, level, _)| level as usize).min();
        let shift = top.saturating_sub(min.unwrap_or(1));
        for (at, level, inner) in headings {
            events[at] = heading_html(level, shift, inner, &mut ids.0);
        }
        let mut html = String::with_capacity(md.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        if sanitize && saw_raw_html {
            html = self.sanitizer.clean(&html).to_string();
        }
        if holes.is_empty() {
            html
        } else {
            fill_holes(&html, &holes)
        }
    }

    /// `/papers/x/` becomes `/hub/papers/x/` on a site under `/hub/`.
    fn rebase<'a>(&self, url: pulldown_cmark::CowStr<'a>) -> pulldown_cmark::CowStr<'a> {
        if self.base_path != "/" && url.starts_with('/') && !url.starts_with("//") {
            format!("{}{}", self.base_path, &url[1..]).into()
        } else {
            url
        }
    }

    /// Renders one line of Markdown (a summary, a citation context) without
    /// the wrapping paragraph.
    pub fn render_inline(&self, md: &str) -> String {
        let html = self.render(md);
        let trimmed = html.trim_end();
        match trimmed
            .strip_prefix("<p>")
            .and_then(|s| s.strip_suffix("</p>"))
        {
            Some(inner) if !inner.contains("<p>") => inner.to_string(),
            _ => html,
        }
    }
}

/// Ids the default theme gives its own elements; Markdown headings get
/// other ids (`main-2` for a heading "Main") so a page never repeats one.
pub const RESERVED_IDS: &[&str] = &[
    "main",
    "hub-heading",
    "roles-heading",
    "polarities-heading",
    "years-heading",
    "representative-heading",
    "explorer-heading",
    "explorer-list",
    "review-heading",
    "abstract-heading",
    "notes-heading",
    "cites-heading",
    "most-cited",
    "newest",
    "browse",
    "q",
    "search-status",
    "search-results",
];

/// The heading ids used so far on a page.
#[derive(Debug, Clone)]
pub struct HeadingIds(HashMap<String, usize>);

impl Default for HeadingIds {
    fn default() -> Self {
        HeadingIds(RESERVED_IDS.iter().map(|id| (id.to_string(), 1)).collect())
    }
}

/// Whether a link target is safe to keep without sanitising: relative, or
/// http(s) / mailto. Browsers ignore whitespace and control characters
/// inside a scheme, so they are dropped before looking.
fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let lower = cleaned.to_ascii_lowercase();
    match lower.find([':', '/', '?', '#']) {
        Some(i) if lower.as_bytes()[i] == b':' => {
            matches!(&lower[..i], "http" | "https" | "mailto")
        }
        _ => true,
    }
}

/// A heading `shift` levels down, with an id from its text and an anchor link.
fn heading_html(
    level: HeadingLevel,
    shift: usize,
    inner: Vec<Event>,
    ids: &mut HashMap<String, usize>,
) -> Event<'static> {
    let n = (level as usize + shift).min(6);
    let text: String = inner
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let base = term_slug(&text);
    let count = ids.entry(base.clone()).or_insert(0);
    *count += 1;
    let id = if *count == 1 {
        base
    } else {
        format!("{base}-{count}")
    };
    let mut body = String::new();
    pulldown_cmark::html::push_html(&mut body, inner.into_iter());
    Event::Html(
        format!(
            "<h{n} id=\"{id}\">{body} <a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a></h{n}>\n"
        )
        .into(),
    )
}

fn fill_holes(html: &str, holes: &[String]) -> String {
    let mut out = String::with_capacity(html.len() + holes.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(start) = rest.find(HOLE_OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + HOLE_OPEN.len_utf8()..];
        let Some(end) = after.find(HOLE_CLOSE) else {
            break;
        };
        if let Some(h) = after[..end]
            .parse::<usize>()
            .ok()
            .and_then(|i| holes.get(i))
        {
            out.push_str(h);
        }
        rest = &after[end + HOLE_CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(unsafe_html: bool) -> Markdown {
        Markdown::new(
            &MarkdownConfig {
                unsafe_html,
                ..MarkdownConfig::default()
            },
            "/hub/",
        )
    }

    #[test]
    fn sanitises_script_links_even_without_raw_html() {
        let m = md(false);
        for src in [
            "[x](javascript:alert(1))",
            "[x](<JaVa\tScript:alert(1)>)",
            "![x](data:text/html,hi)",
            "[x](vbscript:x)",
        ] {
            let html = m.render(src);
            let lower = html.to_ascii_lowercase();
            let bad = [
                "href=\"javascript",
                "href=\"java\tscript",
                "src=\"data:",
                "href=\"vbscript",
            ];
            assert!(
                !bad.iter().any(|b| lower.contains(b)),
                "case {src:?}: {html}"
            );
        }
        assert!(m
            .render("[x](https://a.org/)")
            .contains("href=\"https://a.org/\""));
        assert!(m.render("[x](mailto:a@b.org)").contains("mailto:a@b.org"));
    }

    #[test]
    fn rebases_root_relative_links_onto_the_site_path() {
        let m = md(false);
        assert!(m
            .render("[p](/papers/x/)")
            .contains("href=\"/hub/papers/x/\""));
        assert!(m
            .render("[p](//cdn.org/x)")
            .contains("href=\"//cdn.org/x\""));
        assert!(m.render("[p](papers/x/)").contains("href=\"papers/x/\""));
    }

    #[test]
    fn keeps_heading_ids_unique_on_a_page() {
        let m = md(false);
        let mut ids = HeadingIds::default();
        let a = m.render_nested_with("# Method\n# Main\n", &mut ids);
        let b = m.render_nested_with("# Method\n", &mut ids);
        assert!(
            a.contains("id=\"method\"") && a.contains("id=\"main-2\""),
            "{a}"
        );
        assert!(b.contains("id=\"method-2\""), "{b}");
    }

    #[test]
    fn puts_math_in_alt_text_as_source() {
        let html = md(false).render("![$x^2$](a.png)");
        assert!(html.contains("alt=\"x^2\""), "{html}");
    }

    #[test]
    fn renders_the_usual_extensions() {
        let m = md(false);
        let cases = [
            ("table", "|a|b|\n|-|-|\n|1|2|\n", "<table>"),
            ("footnote", "x[^1]\n\n[^1]: note\n", "footnote-definition"),
            ("strike", "~~gone~~", "<del>gone</del>"),
            ("tasks", "- [x] done\n", "type=\"checkbox\""),
            (
                "heading",
                "# Results\n",
                "<h2 id=\"results\">Results <a class=\"anchor\" href=\"#results\"",
            ),
            ("inline math", "$x^2$", "<msup>"),
            ("display math", "$$\\sum_i x_i$$", "display=\"block\""),
            ("code", "```rust\nfn f() {}\n```\n", "hl-code"),
        ];
        for (name, input, want) in cases {
            let got = m.render(input);
            assert!(got.contains(want), "case {name}: {got}");
        }
    }

    #[test]
    fn the_top_heading_level_follows_every_kind_of_heading() {
        // A setext heading whose underline a quick text test would miss
        // (indented, in a quote, in a list) is a level-2 heading, so it
        // becomes the page's <h2> like `## Intro` does.
        let m = md(false);
        for src in [
            "Intro\n   ---\n\nText.\n",
            "> Intro\n> ---\n",
            "- Intro\n  ---\n",
            "## Intro\n\nText.\n",
        ] {
            let got = m.render(src);
            assert!(got.contains("<h2 id=\"intro\""), "case {src:?}: {got}");
        }
        // Without headings, nothing shifts and nothing is added.
        assert_eq!(m.render("Just text.\n"), "<p>Just text.</p>\n");
    }

    #[test]
    fn repeated_headings_get_distinct_ids() {
        let got = md(false).render("# A\n# A\n");
        assert!(
            got.contains("id=\"a\"") && got.contains("id=\"a-2\""),
            "{got}"
        );
    }

    #[test]
    fn raw_html_is_sanitised_unless_allowed() {
        let input = "<script>alert(1)</script>\n\n<b onclick=\"x()\">bold</b> and $y$\n\n```js\nlet a = 1;\n```\n";
        let safe = md(false).render(input);
        assert!(!safe.contains("<script"), "{safe}");
        assert!(!safe.contains("onclick"), "{safe}");
        assert!(safe.contains("<b>bold</b>"), "{safe}");
        assert!(safe.contains("<math"), "math survives sanitising: {safe}");
        assert!(safe.contains("hl-code"), "code survives sanitising: {safe}");
        let raw = md(true).render(input);
        assert!(raw.contains("<script>"), "{raw}");
    }

    #[test]
    fn placeholders_cannot_be_forged() {
        let got = md(false).render("<i>x</i> \u{E000}0\u{E001} $a$");
        assert_eq!(got.matches("<math").count(), 1, "{got}");
    }

    #[test]
    fn inline_rendering_drops_the_paragraph() {
        assert_eq!(md(false).render_inline("*a* b"), "<em>a</em> b");
    }
}

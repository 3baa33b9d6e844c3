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
    highlighter: highlight::Highlighter,
    sanitizer: ammonia::Builder<'static>,
}

impl Markdown {
    pub fn new(config: &MarkdownConfig) -> Markdown {
        let mut options = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS;
        if config.math {
            options |= Options::ENABLE_MATH;
        }
        let mut sanitizer = ammonia::Builder::default();
        sanitizer
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
            highlighter: highlight::Highlighter::default(),
            sanitizer,
        }
    }

    /// Renders a Markdown document shown under the page's `<h1>`: its top
    /// heading level becomes `<h2>` (whether the author wrote `#` or `##`),
    /// and headings get ids with anchor links.
    pub fn render(&self, md: &str) -> String {
        self.render_at(md, 2)
    }

    /// Renders a document shown inside a section that has its own `<h2>`:
    /// its top heading level becomes `<h3>`.
    pub fn render_nested(&self, md: &str) -> String {
        self.render_at(md, 3)
    }

    /// The shift that makes the document's top heading level `top`, so the
    /// page's outline never skips a level.
    fn heading_shift(&self, md: &str, top: usize) -> usize {
        // Cheap test first: most summaries and contexts have no headings.
        if !md.contains('#') && !md.contains("\n=") && !md.contains("\n-") {
            return top - 1;
        }
        let min = Parser::new_ext(md, self.options)
            .filter_map(|e| match e {
                Event::Start(Tag::Heading { level, .. }) => Some(level as usize),
                _ => None,
            })
            .min()
            .unwrap_or(1);
        top.saturating_sub(min)
    }

    fn render_at(&self, md: &str, top: usize) -> String {
        let shift = self.heading_shift(md, top);
        let mut holes: Vec<String> = Vec::new();
        let mut saw_raw_html = false;
        let mut events: Vec<Event> = Vec::new();
        let mut heading: Option<(HeadingLevel, Vec<Event>)> = None;
        let mut code: Option<(String, String)> = None;
        let mut ids: HashMap<String, usize> = HashMap::new();
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
                Event::InlineMath(m) => hole(math::to_mathml(&m, false), &mut holes),
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
                    events.push(heading_html(level, shift, inner, &mut ids));
                    continue;
                }
                other => other,
            };
            match heading.as_mut() {
                Some((_, inner)) => inner.push(event),
                None => events.push(event),
            }
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
        Markdown::new(&MarkdownConfig {
            unsafe_html,
            ..MarkdownConfig::default()
        })
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

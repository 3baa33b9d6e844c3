//! What a template's tags name, read without running it: which templates
//! it extends or includes ([`referenced`]), whether it could read a list
//! ([`names_any`]), and whether a partial reads nothing but its item
//! ([`reads_only`]). The last two choose a faster way to render a list, so
//! they err towards the answer that only costs speed.

/// A `{{ }}` or `{% %}` tag: its text, and whether it is a statement.
struct Tag<'a> {
    body: &'a str,
    statement: bool,
}

/// Every tag of `source` in order, comments skipped; a tag ends at its
/// close outside strings.
fn tags(source: &str) -> impl Iterator<Item = Tag<'_>> {
    let mut rest = source;
    std::iter::from_fn(move || loop {
        let open = rest.find('{')?;
        let after = &rest[open + 1..];
        let close = match after.as_bytes().first() {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            Some(b'#') => {
                rest = after.find("#}").map_or("", |e| &after[e + 2..]);
                continue;
            }
            _ => {
                rest = after;
                continue;
            }
        };
        let body = &after[1..];
        let (mut quote, mut end) = (None, body.len());
        for (k, c) in body.char_indices() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if matches!(c, '"' | '\'' | '`') => quote = Some(c),
                None if body[k..].starts_with(close) => {
                    end = k;
                    break;
                }
                None => {}
            }
        }
        rest = body.get(end + close.len()..).unwrap_or("");
        return Some(Tag {
            body: &body[..end],
            statement: close == "%}",
        });
    })
}

/// The text of every `{% %}` tag, without whitespace control.
pub fn statements(source: &str) -> impl Iterator<Item = &str> {
    tags(source)
        .filter(|t| t.statement)
        .map(|t| t.body.trim_matches(|c: char| c == '-' || c.is_whitespace()))
}

/// Template names a source refers to in `{% extends %}` and `{% include %}`.
pub fn referenced(source: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for tag in statements(source) {
        if tag.starts_with("extends") || tag.starts_with("include") {
            // Every quoted name: `include ["a.html", "b.html"]` lists several.
            for (i, part) in tag.split(['"', '\'', '`']).enumerate() {
                if i % 2 == 1 {
                    out.push(part);
                }
            }
        }
    }
    out
}

/// A word of a tag (letters, digits, `_`), with the tag's text around it.
struct Word<'a> {
    text: &'a str,
    /// Inside a string literal.
    quoted: bool,
    before: &'a str,
    after: &'a str,
}

fn words(tag: &str) -> impl Iterator<Item = Word<'_>> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let (mut quote, mut k) = (None, 0);
    std::iter::from_fn(move || {
        while k < tag.len() {
            let c = tag[k..].chars().next()?;
            match quote {
                Some(q) if c == q => quote = None,
                None if matches!(c, '"' | '\'' | '`') => quote = Some(c),
                _ if ident(c) => {
                    let len = tag[k..].find(|c: char| !ident(c)).unwrap_or(tag.len() - k);
                    let word = Word {
                        text: &tag[k..k + len],
                        quoted: quote.is_some(),
                        before: &tag[..k],
                        after: &tag[k + len..],
                    };
                    k += len;
                    return Some(word);
                }
                _ => {}
            }
            k += c.len_utf8();
        }
        None
    })
}

/// Whether template `source` could read the lists named `words`: it
/// names one in a tag (as a variable, or as a key in a string:
/// `paper["cites"]`, `get(key="cites")`), reads the whole context
/// (`__tera_context`), or uses one of `holders` (the objects the lists
/// are fields of) other than as `holder.field` or `holder is …`. A word
/// in a string that goes on with `/` is a path.
pub fn names_any(source: &str, lists: &[&str], holders: &[&str]) -> bool {
    tags(source).map(|t| t.body).any(|tag| {
        tag.contains("__tera_context")
            || words(tag).any(|w| {
                let path = w.quoted && w.after.starts_with('/');
                let whole = !w.quoted
                    && holders.contains(&w.text)
                    && !w.after.starts_with('.')
                    && !w.after.trim_start().starts_with("is ");
                (lists.contains(&w.text) && !path) || whole
            })
    })
}

/// Tera's words that are not variables.
const KEYWORDS: &[&str] = &[
    "if",
    "elif",
    "else",
    "endif",
    "for",
    "in",
    "endfor",
    "and",
    "or",
    "not",
    "is",
    "set",
    "set_global",
    "true",
    "false",
    "True",
    "False",
    "none",
    "filter",
    "endfilter",
    "break",
    "continue",
    "raw",
    "endraw",
];

/// Whether template `source` reads no variable but `free` (and those it
/// sets itself), so that its output depends on those alone: it can then
/// be rendered once per item and reused on every page that lists the
/// item. Fields (`item.title`), filters, functions, tests and keyword
/// arguments are not variables; `loop` is one outside the template's own
/// loops. Any `include`, `import`, `extends` or `macro` answers no.
pub fn reads_only(source: &str, free: &[&str]) -> bool {
    // The names the template sets, each with the depth of loops it is
    // set in: a loop's variables end with it.
    let mut set: Vec<(&str, usize)> = Vec::new();
    let mut loops = 0usize;
    for tag in tags(source).map(|t| t.body) {
        let body = tag.trim_matches(|c: char| c == '-' || c.is_whitespace());
        let head = body.split_whitespace().next().unwrap_or("");
        match head {
            "include" | "import" | "extends" | "macro" | "block" | "component" => return false,
            "for" => {
                loops += 1;
                let names = body["for".len()..].split(" in ").next().unwrap_or("");
                set.extend(names.split(',').map(|n| (n.trim(), loops)));
            }
            "endfor" => {
                loops = loops.saturating_sub(1);
                set.retain(|&(_, depth)| depth <= loops);
            }
            "set" | "set_global" => {
                let name = body[head.len()..].split('=').next().unwrap_or("");
                set.push((name.trim(), loops));
            }
            _ => {}
        }
        for w in words(tag).filter(|w| !w.quoted) {
            let before = w.before.trim_end();
            let after = w.after.trim_start();
            let not_a_variable = before.ends_with(['.', '|'])
                || after.starts_with('(')
                || (after.starts_with('=') && !after.starts_with("=="))
                || before.ends_with(" is")
                || before.ends_with(" is not")
                || w.text.starts_with(|c: char| c.is_ascii_digit())
                || KEYWORDS.contains(&w.text)
                || (w.text == "loop" && loops > 0);
            if !not_a_variable && !free.contains(&w.text) && !set.iter().any(|&(n, _)| n == w.text)
            {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_extended_and_included_templates() {
        let src = r#"{% extends "base.html" %}{% block x %}{%- include "partials/a.html" %}{% include ["b.html", 'c.html'] %}{%include `d.html`%}{% endblock %}"#;
        assert_eq!(
            referenced(src),
            ["base.html", "partials/a.html", "b.html", "c.html", "d.html"]
        );
    }

    #[test]
    fn a_list_is_named_in_any_way_a_template_can_reach_it() {
        let cites = |src: &str| names_any(src, &["cites"], &["paper"]);
        assert!(cites("{{ paper.cites }}"));
        assert!(!cites("{{ paper.cites_html }} excites"));
        assert!(cites("{{ paper[\"cites\"] }}"));
        assert!(cites("{{ paper | get(key=\"cites\") }}"));
        assert!(cites("{{ __tera_context }}"));
        assert!(cites("{% for k, v in paper | pairs %}{% endfor %}"));
        assert!(cites("{{ paper }}"));
        assert!(names_any(
            "{{ \"Today's count: \" ~ papers | length }}",
            &["papers"],
            &[]
        ));
        assert!(cites("{# {{ don't #}{{ paper.cites }}"));
        assert!(!cites(
            "{% if paper is defined %}{{ paper.title }}{% endif %}"
        ));
        assert!(!names_any(
            "{% if path is starting_with(pat=site.root ~ \"papers/\") %}",
            &["papers"],
            &[]
        ));
    }

    #[test]
    fn a_partial_reading_its_item_alone_is_told_from_one_reading_the_page() {
        let only = |src: &str| reads_only(src, &["item", "item_level", "site"]);
        let built_in = crate::theme::Theme::embedded();
        let partial = built_in
            .templates
            .iter()
            .find(|t| t.name == "partials/paper_item.html")
            .unwrap();
        assert!(only(&partial.source));
        assert!(only(
            "{# page #}<li class=\"{{ site.title | slugify }}\">{{ item.title | default(value=\"?\") }}\
             {% if item.year is defined and item.year > 2000 %}new{% endif %}\
             {% for a in item.authors %}{{ loop.index }} {{ a }}{% endfor %}\
             {% set n = item.cited_by * 2 %}{{ n }} {{ 1.5 }} {{ \"page\" }}</li>"
        ));
        // The including page's variables, its loop, the whole context.
        assert!(!only("{{ item.title }} on {{ page_title }}"));
        assert!(!only("{{ loop.index }}. {{ item.title }}"));
        assert!(!only("{{ __tera_context }}"));
        assert!(!only("{% if pagination %}{{ item.title }}{% endif %}"));
        assert!(!only("{{ item[key] }}"));
        assert!(!only("{% include \"partials/other.html\" %}"));
        assert!(!only("{% for a in item.authors %}{% endfor %}{{ a }}"));
        assert!(!only(
            "{%- for a in item.authors -%}{%- endfor -%}{{ loop.index }}"
        ));
    }
}

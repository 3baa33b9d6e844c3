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

/// Every tag of `source` in order, comments and the insides of `{% raw %}`
/// skipped; a tag ends at its close outside strings (in which `\` escapes
/// the next character, as in tera's lexer).
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
        let end = tag_end(body, close);
        let tag = Tag {
            body: &body[..end],
            statement: close == "%}",
        };
        rest = body.get(end + close.len()..).unwrap_or("");
        if tag.statement && trimmed(tag.body) == "raw" {
            rest = after_endraw(rest);
        }
        return Some(tag);
    })
}

/// Where a tag's text ends: at `close` outside strings.
fn tag_end(body: &str, close: &str) -> usize {
    let (mut quote, mut escaped) = (None, false);
    for (k, c) in body.char_indices() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '\'' | '`') => quote = Some(c),
            None if body[k..].starts_with(close) => return k,
            None => {}
        }
    }
    body.len()
}

/// The text after the `{% endraw %}` that ends a raw block in `rest`.
fn after_endraw(rest: &str) -> &str {
    let mut from = 0;
    while let Some(open) = rest[from..].find("{%").map(|k| from + k) {
        let body = &rest[open + 2..];
        let end = body.find("%}").unwrap_or(body.len());
        if trimmed(&body[..end]) == "endraw" {
            return body.get(end + 2..).unwrap_or("");
        }
        from = open + 2;
    }
    ""
}

/// A tag's text without whitespace control and spaces.
fn trimmed(body: &str) -> &str {
    body.trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace())
}

/// The text of every `{% %}` tag, without whitespace control.
pub fn statements(source: &str) -> impl Iterator<Item = &str> {
    tags(source)
        .filter(|t| t.statement)
        .map(|t| trimmed(t.body))
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
    let (mut quote, mut k, mut escaped) = (None, 0, false);
    std::iter::from_fn(move || {
        while k < tag.len() {
            let c = tag[k..].chars().next()?;
            match quote {
                Some(_) if escaped => escaped = false,
                Some(_) if c == '\\' => escaped = true,
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
/// loops; a name set inside a block counts only inside it. Any `include`,
/// `import`, `extends`, `macro`, spread (`...`) or `__tera_context`
/// answers no.
pub fn reads_only(source: &str, free: &[&str]) -> bool {
    // The blocks open at this point (`for`, `if`, `filter`), and the names
    // set so far with the number of blocks open where each was set.
    let mut blocks: Vec<&str> = Vec::new();
    let mut set: Vec<(&str, usize)> = Vec::new();
    for tag in tags(source).map(|t| t.body) {
        if tag.contains("...") || tag.contains("__tera_context") {
            return false;
        }
        let body = trimmed(tag);
        let head = body.split_whitespace().next().unwrap_or("");
        // What the tag reads, and the names it sets, read with the names
        // set before it: `{% set x = x %}` reads the page's `x`.
        let (reads, sets): (&str, Vec<&str>) = match head {
            "include" | "import" | "extends" | "macro" | "block" | "component" => return false,
            "for" => match body["for".len()..].split_once(" in ") {
                Some((names, expr)) => (expr, names.split(',').map(str::trim).collect()),
                None => return false,
            },
            "set" | "set_global" => match body[head.len()..].split_once('=') {
                Some((name, expr)) => (expr, vec![name.trim()]),
                None => return false,
            },
            _ => (tag, Vec::new()),
        };
        let in_loop = blocks.contains(&"for");
        let known = |w: &str| free.contains(&w) || set.iter().any(|&(n, _)| n == w);
        if words(reads).any(|w| is_variable(&w, in_loop) && !known(w.text)) {
            return false;
        }
        match head {
            "for" | "if" | "filter" => blocks.push(head),
            // A name set in one branch is not set in the next.
            "elif" | "else" => set.retain(|&(_, depth)| depth < blocks.len()),
            "endfor" | "endif" | "endfilter" => {
                set.retain(|&(_, depth)| depth < blocks.len());
                blocks.pop();
            }
            _ => {}
        }
        // A loop's names belong to its block; they were pushed above.
        set.extend(sets.into_iter().map(|n| (n, blocks.len())));
    }
    true
}

/// Whether word `w` of a tag names a variable rather than a field, a
/// filter, a function, a test, a keyword argument, a number or a keyword.
fn is_variable(w: &Word, in_loop: bool) -> bool {
    let before = w.before.trim_end();
    let after = w.after.trim_start();
    !(w.quoted
        || before.ends_with(['.', '|'])
        || after.starts_with('(')
        || (after.starts_with('=') && !after.starts_with("=="))
        || before.ends_with(" is")
        || before.ends_with(" is not")
        || w.text.starts_with(|c: char| c.is_ascii_digit())
        || KEYWORDS.contains(&w.text)
        || (w.text == "loop" && in_loop))
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

    /// Pieces of partials: reading the item, the page, their own names or
    /// the loop.
    const PIECES: &[&str] = &[
        "{{ item.title }}",
        "{{ page_title }}",
        "{% set page_title = item.title %}",
        "{% set x = page_title %}",
        "{% set x = item.title %}",
        "{{ x }}",
        "{% if item.year %}",
        "{% else %}",
        "{% endif %}",
        "{% for a in item.authors %}",
        "{{ a }}{{ loop.index }}",
        "{% endfor %}",
        "{{ loop.index }}",
        "{{ \"\\\"\" ~ page_title }}",
        "{% raw %}{{ page_title }}{% endraw %}",
        "{{ site.title }}",
        "{{ item.title | default(value=page_title) }}",
        "{% if page_title is defined %}p{% endif %}",
        "{% set page_title = page_title | default(value=item.title) %}",
        "{% if item.year > 3000 %}{% set x = item.title %}{% endif %}",
    ];

    /// The property `reads_only` promises, over random partials made of
    /// pieces that read the item, the page, their own names or the loop:
    /// whenever it answers yes, the partial prints the same in two pages'
    /// loops with different page variables, and the same alone.
    #[test]
    fn a_partial_judged_to_read_its_item_alone_prints_the_same_on_any_page() {
        let mut tera = tera::Tera::new();
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let item = serde_json::json!({"title": "T", "year": 2020, "authors": ["A", "B"]});
        let site = serde_json::json!({"title": "S"});
        let (mut yes, mut tried) = (0, 0);
        while tried < 3000 {
            let mut source = String::new();
            for _ in 0..1 + next(5) {
                source.push_str(PIECES[next(PIECES.len())]);
            }
            // Only templates tera accepts (blocks balanced) are tried.
            if tera.add_raw_template("p.html", &source).is_err() {
                continue;
            }
            tera.add_raw_template(
                "page.html",
                "{% for item in papers %}{% include \"p.html\" %}{% endfor %}",
            )
            .unwrap();
            tried += 1;
            if !reads_only(&source, &["item", "item_level", "site"]) {
                continue;
            }
            yes += 1;
            let in_page = |title: &str, x: &str| {
                let mut c = tera::Context::new();
                c.insert("papers", &[&item]);
                c.insert("page_title", title);
                c.insert("x", x);
                c.insert("a", "page's a");
                c.insert("site", &site);
                tera.render("page.html", &c)
            };
            let mut alone = tera::Context::new();
            alone.insert("item", &item);
            alone.insert("site", &site);
            let alone = tera.render("p.html", &alone);
            let (one, other) = (in_page("One", "x1"), in_page("Other", "x2"));
            match (&one, &other, &alone) {
                (Ok(a), Ok(b), Ok(c)) => {
                    assert!(a == b && a == c, "{source:?}: {a:?} {b:?} {c:?}")
                }
                // A partial that fails somewhere must fail everywhere.
                _ => assert!(
                    one.is_err() && other.is_err() && alone.is_err(),
                    "{source:?}: {one:?} {other:?} {alone:?}"
                ),
            }
        }
        assert!(
            yes > 300,
            "only {yes} of {tried} partials were judged to read their item alone"
        );
    }

    #[test]
    fn an_include_after_an_escaped_quote_or_a_raw_block_is_found() {
        assert_eq!(
            referenced("{% set q = \"\\\"\" %}{% include \"partials/x.html\" %}"),
            ["partials/x.html"]
        );
        assert_eq!(
            referenced("{% raw %}{{ it's }}{% endraw %}{%- include \"partials/footer.html\" -%}"),
            ["partials/footer.html"]
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
        // A name set from the page's variable of the same name reads it.
        assert!(!only(
            "{% set page_title = page_title | default(value=item.title) %}{{ page_title }}"
        ));
        assert!(!only("{% for x in x %}{{ x }}{% endfor %}"));
        // Escaped quotes do not end a string.
        assert!(!only("{{ \"\\\"\" ~ page_title ~ \"\\\"\" }}"));
        assert!(only("{{ \"say \\\"hi\\\"\" ~ item.title }}"));
        // Spread and the whole context.
        assert!(!only("{% set all = [...papers] %}{{ all | length }}"));
        assert!(!only("{% set c = {...__tera_context} %}{{ c.page_title }}"));
        // What a raw block holds is text, not tags.
        assert!(!only(
            "{% raw %}{% set page_title = 1 %}{% endraw %}{{ page_title }}"
        ));
        assert!(only(
            "{% raw %}{{ page_title }}{% endraw %}{{ item.title }}"
        ));
        // A name set in a branch counts only there.
        assert!(!only(
            "{% if item.venue %}{% set path = item.venue %}{% endif %}{{ path }}"
        ));
        assert!(!only(
            "{% if item.venue %}{% set path = item.venue %}{% else %}{{ path }}{% endif %}"
        ));
        assert!(only(
            "{% if item.venue %}{% set v = item.venue %}{{ v }}{% endif %}"
        ));
        assert!(!only(
            "{%- for a in item.authors -%}{%- endfor -%}{{ loop.index }}"
        ));
    }
}

//! List items and feeds paperhub makes beside their pages while a page's
//! templates are the built-in ones (src/render/items.rs: citing and cited
//! items in Rust, paper items from their partial once per paper;
//! src/render/exports.rs: feeds): the same sites built with item partials
//! and a feed template that print the same but read a page variable go
//! through tera's loops, and every file must come out byte for byte the
//! same.

use std::collections::BTreeMap;

use crate::util::*;

const PARTIALS: [&str; 3] = ["citing_item", "paper_item", "cite_item"];

fn builtin(name: &str) -> String {
    paperhub::theme::Theme::embedded()
        .templates
        .iter()
        .find(|t| t.name == name)
        .map(|t| t.source.to_string())
        .unwrap_or_else(|| panic!("no built-in {name}"))
}

/// Lays the built-in item partials and feed template over the theme with
/// a tag at the end that reads a page variable and prints nothing: they
/// print the same, but are no longer the built-in files, nor depend on
/// their item alone.
fn touch_partials(site: &TestSite) {
    let names = PARTIALS.map(|p| format!("partials/{p}.html"));
    for name in names.iter().map(String::as_str).chain(["feed.xml"]) {
        let source = builtin(name) + "{% if page_title %}{% endif %}";
        site.write(&format!("themes/default/templates/{name}"), source);
    }
}

fn assert_same_both_ways(site: &TestSite) {
    site.build().success();
    let native = site.snapshot();
    touch_partials(site);
    site.build().success();
    let through_tera = site.snapshot();
    assert_eq!(
        native.keys().collect::<Vec<_>>(),
        through_tera.keys().collect::<Vec<_>>()
    );
    let differing: Vec<&String> = native
        .iter()
        .filter(|(path, bytes)| through_tera[*path] != **bytes)
        .map(|(path, _)| path)
        .collect();
    if let Some(path) = differing.first() {
        let (a, b) = (&native[*path], &through_tera[*path]);
        let at = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let around = |f: &[u8]| {
            String::from_utf8_lossy(&f[at.saturating_sub(200)..(at + 200).min(f.len())])
                .into_owned()
        };
        panic!(
            "{} files differ, first {path}:\nnative: …{}…\ntera:   …{}…",
            differing.len(),
            around(a),
            around(b),
        );
    }
    let items = count_items(&native);
    assert!(
        items > 20,
        "only {items} list items: the sites test too little"
    );
    let entries: usize = native
        .iter()
        .filter(|(path, _)| path.ends_with("feed.xml"))
        .map(|(_, f)| String::from_utf8_lossy(f).matches("<entry>").count())
        .sum();
    assert!(
        entries > 20,
        "only {entries} feed entries: the sites test too little"
    );
}

fn count_items(files: &BTreeMap<String, Vec<u8>>) -> usize {
    files
        .values()
        .map(|f| {
            let text = String::from_utf8_lossy(f);
            text.matches("\n<li>").count() + text.matches("\n<li data-").count()
        })
        .sum()
}

#[test]
fn the_example_hub_is_the_same_through_tera() {
    let site = TestSite::example();
    // Small pages, so that hubs have explorer pages 2.. and the lists and
    // term pages several pages each; more representative papers than an
    // explorer page holds (the fixture below has fewer).
    site.write(
        "site.yaml",
        "title: \"Example\"\nbase_url: \"/hub/\"\npapers_per_page: 4\nhub:\n  representative: 6\n  citing_per_page: 5\noutputs:\n  hub_files: true\n",
    );
    assert_same_both_ways(&site);
}

#[test]
fn markup_in_every_field_is_the_same_through_tera() {
    let site = TestSite::fixture("full");
    site.write(
        "site.yaml",
        "title: \"<Fixture> & 'hub'\"\ndescription: \"Papers <b>&</b> 'their' hubs\"\nbase_url: \"https://example.org/a&b/\"\npapers_per_page: 2\nhub:\n  representative: 1\n  citing_per_page: 2\noutputs:\n  hub_files: true\ncitations:\n  roles: [background, method, result, extension, \"uses <it> & \\\"more\\\"\"]\n  polarities: [supporting, neutral, contrasting, \"pro's\"]\n",
    );
    site.write(
        "content/papers/hostile.md",
        "---\nid: \"x&y<1>\"\ntitle: \"<b>Bold</b> & \\\"quoted\\\" 'title'\"\nauthors: [\"A <x>\", \"B & C\", \"D \\\"E\\\"\", \"F'G\"]\nvenue: \"<Venue> & co\"\nyear: 2024\nsummary: \"A *summary* with <tags> & `code`.\"\ncites:\n  - id: \"2001.00001\"\n    role: \"uses <it> & \\\"more\\\"\"\n    polarity: \"pro's\"\n    context: \"Says *this* & <that>.\"\n    contexts: [\"And A <x> (2024) & more.\"]\n    influential: true\n    source: \"a<b>&\\\"c\"\n  - id: \"2102.00002\"\n    role: method\n    influential: true\n    source: s2\n  - id: \"doi:10.1/<odd>&\"\n    title: \"An <odd> & 'cited' work\"\n    authors: [\"Q <q>\"]\n  - id: \"nameless\"\n    title: \"Cited with blank authors\"\n    authors: [\" \", \"\"]\n  - id: \"no-title-work\"\n---\nBody.\n",
    );
    site.write(
        "content/papers/plain.yaml",
        "id: \"plain\"\ntitle: \"No year, no authors\"\ncites:\n  - id: \"x&y<1>\"\n    polarity: contrasting\n    context: \"Unlike A et al., 2024, it <works>.\"\n  - id: \"2001.00001\"\n",
    );
    assert_same_both_ways(&site);
}

/// A theme's own paper item that reads only its item (with sets and a
/// loop of its own) is rendered once per paper and reused: the pages must
/// equal those of the same partial made to read a page variable, which
/// tera includes in each page's loop.
#[test]
fn a_theme_paper_item_kept_per_paper_is_what_the_loop_prints() {
    let site = TestSite::example();
    site.write("site.yaml", "title: \"Example\"\npapers_per_page: 4\n");
    let own = "<li class=\"mine\">{% set t = item.title | upper %}<h{{ item_level }}>{{ t }}</h{{ item_level }}>\
        {% for a in item.authors %}{% if loop.first %}<p>{% endif %}{{ a }}{% if loop.last %}</p>{% endif %}{% endfor %}\
        {% if item.year %}{% set y = item.year %}<span>{{ y }}</span>{% endif %}{{ site.title }}</li>\n";
    let partial = "themes/default/templates/partials/paper_item.html";
    site.write(partial, own);
    site.build().success();
    let kept = site.snapshot();
    site.write(partial, format!("{own}{{% if page_title %}}{{% endif %}}"));
    site.build().success();
    let looped = site.snapshot();
    let list = String::from_utf8_lossy(&kept["papers/index.html"]).into_owned();
    assert!(list.matches("<li class=\"mine\">").count() >= 4, "{list}");
    let differing: Vec<&String> = kept
        .iter()
        .filter(|(path, bytes)| looped.get(*path) != Some(bytes))
        .map(|(path, _)| path)
        .collect();
    assert!(differing.is_empty(), "differ: {differing:?}");
}

#[test]
fn a_changed_partial_is_what_the_pages_show() {
    let site = TestSite::example();
    site.build().success();
    let page = site.read("papers/1911.03030/index.html");
    assert!(!page.contains("data-mine"));
    for partial in PARTIALS {
        let name = format!("partials/{partial}.html");
        let source = builtin(&name).replacen("<li", "<li data-mine", 1);
        site.write(&format!("themes/default/templates/{name}"), source);
    }
    site.build().success();
    let page = site.read("papers/1911.03030/index.html");
    let mine = page.matches("<li data-mine").count();
    assert!(
        mine >= 22,
        "the hub's 8 representative and 14 further explorer items use the theme's partial ({mine} do)"
    );
    assert!(
        !page.contains("\n<li data-y") && !page.contains("\n<li><h"),
        "no item rendered natively"
    );
    let list = site.read("papers/index.html");
    assert!(list.contains("<li data-mine"));
}

#[test]
fn a_changed_feed_template_is_what_every_feed_shows() {
    let site = TestSite::example();
    site.write("site.yaml", "outputs:\n  hub_files: true\n");
    let mine = builtin("feed.xml").replace("<entry>", "<entry xml:base=\"/mine/\">");
    site.write("themes/default/templates/feed.xml", mine);
    site.build().success();
    for feed in ["feed.xml", "papers/1911.03030/feed.xml"] {
        let text = site.read(feed);
        assert!(
            text.contains("<entry xml:base=\"/mine/\">"),
            "{feed}: {text}"
        );
        assert!(!text.contains("<entry>"), "{feed} rendered natively");
    }
}

#[test]
fn a_changed_including_template_takes_its_items_through_tera() {
    let site = TestSite::example();
    site.build().success();
    let before = site.read("papers/1911.03030/index.html");
    assert!(before.contains("<h4><a"));
    // A paper.html of its own that shows items one level lower: the
    // built-in partial, now included at a level paperhub does not assume.
    let paper = builtin("paper.html")
        .replace("{% set item_level = 4 %}", "{% set item_level = 5 %}")
        .replace("{% set item_level = 3 %}", "{% set item_level = 6 %}");
    site.write("themes/default/templates/paper.html", paper);
    site.build().success();
    let after = site.read("papers/1911.03030/index.html");
    assert_eq!(
        after.matches("<h5><a").count(),
        before.matches("<h4><a").count()
    );
    assert!(!after.contains("<h4><a"));
    let a = site.read("papers/2308.05374/index.html");
    assert!(a.contains("<h6><a"), "cites at the theme's level");
}

#[test]
fn a_base_template_of_its_own_can_read_the_items_fields() {
    let site = TestSite::example();
    // A sidebar in base.html listing the page's outgoing citations: the
    // page's items must reach it with their fields, not as markup.
    let base = builtin("base.html").replace(
        "<main id=\"main\" class=\"wrap\">",
        "<aside>{% if paper is defined %}{% for c in paper.cites %}<i>{{ c.title }}</i>{% endfor %}{% endif %}</aside>\n<main id=\"main\" class=\"wrap\">",
    );
    site.write("themes/default/templates/base.html", base);
    site.build().success();
    let page = site.read("papers/2308.05374/index.html");
    assert_has(
        &page,
        "<aside><i>Certified Data Removal from Machine Learning Models</i></aside>",
    );
}

/// A theme's own `base.html` (the most common change) that names no list
/// keeps the native lists, and they still equal tera's markup.
#[test]
fn a_base_template_of_its_own_keeps_the_native_lists() {
    let site = TestSite::example();
    let base = builtin("base.html").replace("</main>", "</main>\n<p class=\"lab\">Our lab</p>");
    site.write("themes/default/templates/base.html", base);
    assert_same_both_ways(&site);
    assert_has(&site.read("papers/1911.03030/index.html"), "Our lab");
}

//! Every page kind of DESIGN.md's table, built from the `full` fixture.

use crate::util::{assert_has, TestSite};

fn built() -> TestSite {
    let site = TestSite::fixture("full");
    site.build().success();
    site
}

#[test]
fn renders_a_paper_page_with_metadata_review_body_and_citations() {
    let site = built();
    let page = site.read("papers/2001.00001/index.html");
    for needle in [
        "<h1>Alpha: the cited one</h1>",
        "<a href=\"../../authors/ada-lovelace/\">Ada Lovelace</a>",
        "ICML 2020",
        "href=\"https://arxiv.org/abs/2001.00001\"",
        "href=\"https://doi.org/10.1234/alpha\"",
        "href=\"../../keywords/machine-unlearning/\">Machine Unlearning</a>",
        "href=\"../../categories/cs.lg/\">cs.LG</a>",
        "reviewed 2026-05-10 · model reader-1",
        "Removal can be <strong>certified</strong>.",
        "<li>second consequence</li>",
        "<h3 id=\"method\">Method",
        "<math display=\"block\">",
        "class=\"hl-code\" data-lang=\"rust\"",
        "<del>old</del>",
        "type=\"checkbox\"",
        "class=\"footnote-definition\"",
        "<link rel=\"canonical\" href=\"https://example.org/papers/2001.00001/\">",
    ] {
        assert_has(&page, needle);
    }
}

#[test]
fn sanitises_raw_html_in_markdown() {
    let site = built();
    let page = site.read("papers/2001.00001/index.html");
    assert!(!page.contains("alert(\"x\")"), "script survived");
    assert!(!page.contains("onclick"), "event handler survived");
    assert_has(&page, "<b>bold</b>");
}

#[test]
fn renders_the_hub_block_with_counts_summaries_and_explorer() {
    let site = built();
    let page = site.read("papers/2001.00001/index.html");
    assert_has(&page, "3 papers cite this work.");
    assert_has(
        &page,
        "Polarity is known for 2 of 3 citations; the rest are still indexing.",
    );
    assert_has(
        &page,
        "aria-label=\"Citation roles: 1 method, 1 result, 1 unclassified\"",
    );
    assert_has(
        &page,
        "aria-label=\"Citation polarities: 1 supporting, 1 contrasting, 1 still indexing\"",
    );
    assert_has(&page, "aria-label=\"Citations per year: 2021: 1, 2022: 1\"");
    assert_has(&page, "1 citing paper without a year is not shown.");
    // Representative order: the edge marked representative first.
    let rep = page.split("id=\"representative-heading\"").nth(1).unwrap();
    let beta = rep.find("Beta builds on Alpha").unwrap();
    let gamma = rep.find("Gamma disagrees").unwrap();
    assert!(beta < gamma, "representative edge first");
    assert_has(&page, "We use <em>Alpha's</em> method.");
    // Three citing papers fit the representative list, so there is no
    // explorer to list them again.
    let list = page.split("id=\"representative-list\"").nth(1).unwrap();
    let list = list.split("</ol>").next().unwrap();
    assert_eq!(list.matches("\n<li").count(), 3);
    assert_has(list, "data-r=\"method\" data-p=\"supporting\"");
    assert!(!page.contains("explorer-controls"), "no explorer");
}

#[test]
fn gives_a_work_without_a_record_a_hub_described_by_its_citations() {
    let site = built();
    let page = site.read("papers/doi-10.5555-external/index.html");
    assert_has(&page, "<h1>An external work with no record</h1>");
    assert_has(&page, "Grace Hopper");
    assert_has(&page, "2 papers cite this work.");
    assert_has(&page, "This work has no record in the hub");
    assert_has(&page, "Polarity classification is still indexing.");
    assert_has(&page, "aria-label=\"Citation roles: 2 unclassified\"");
}

#[test]
fn lists_outgoing_citations_with_roles() {
    let site = built();
    let page = site.read("papers/2102.00002/index.html");
    assert_has(&page, "Cites 2 works");
    assert_has(&page, "<a href=\"../2001.00001/\">Alpha: the cited one</a>");
    assert_has(&page, "<span class=\"badge role\">method</span>");
    assert_has(&page, "<span class=\"badge\">no record</span>");
    assert!(!page.contains("javascript:"), "a javascript: link survived");
    assert_has(&page, "<a href=\"../2001.00001/\">Alpha</a>");
    let yaml = site.read("papers/2203.00003/index.html");
    assert_has(&yaml, "Gamma's abstract in <em>Markdown</em>.");
}

#[test]
fn renders_lists_hubs_and_taxonomies() {
    let site = built();
    let papers = site.read("papers/index.html");
    assert_has(&papers, "4 papers, newest first.");
    let first = papers.find("Gamma disagrees").unwrap();
    let second = papers.find("Beta builds on Alpha").unwrap();
    assert!(first < second, "newest first");
    let hubs = site.read("hubs/index.html");
    let alpha = hubs.find("Alpha: the cited one").unwrap();
    let ext = hubs.find("An external work with no record").unwrap();
    assert!(alpha < ext, "most cited first");
    assert_has(&hubs, "3 citing");
    for (index, term, title) in [
        (
            "keywords/index.html",
            "keywords/machine-unlearning/index.html",
            "Machine Unlearning",
        ),
        (
            "categories/index.html",
            "categories/cs.lg/index.html",
            "cs.LG",
        ),
        (
            "authors/index.html",
            "authors/alan-turing/index.html",
            "Alan Turing",
        ),
        ("years/index.html", "years/2021/index.html", "2021"),
    ] {
        let idx = site.read(index);
        assert_has(&idx, &format!(">{title}</a>"));
        let page = site.read(term);
        assert_has(&page, &format!("<h1>{title}</h1>"));
    }
    let kw = site.read("keywords/machine-unlearning/index.html");
    assert_has(&kw, "2 papers with this keyword.");
    assert_has(
        &site.read("authors/alan-turing/index.html"),
        "Beta builds on Alpha",
    );
}

#[test]
fn renders_home_free_pages_search_404_and_alias() {
    let site = built();
    let home = site.read("index.html");
    assert_has(&home, "<h1>Fixture hub</h1>");
    assert_has(&home, "<dd>4</dd>");
    assert_has(&home, "Most-cited works");
    assert_has(&home, "<a href=\"about/\">About this hub</a>");
    let about = site.read("about/index.html");
    assert_has(&about, "<h1>About this hub</h1>");
    assert_has(&about, "<h2 id=\"who\">Who");
    assert_has(&site.read("search/index.html"), "data-index=\"meta.js\"");
    let docs = search_docs(&site, 0);
    assert_eq!(docs.as_array().unwrap().len(), 4);
    assert_eq!(docs[0]["t"], "Gamma disagrees");
    assert_eq!(
        docs[0]["u"], "../papers/2203.00003/",
        "from the search page"
    );
    assert_has(&site.read("404.html"), "Page not found");
    let alias = site.read("p/alpha/index.html");
    assert_has(&alias, "content=\"0; url=../../papers/2001.00001/\"");
    assert!(
        site.exists("static/style.css")
            && site.exists("static/paperhub.js")
            && site.exists("static/highlight.css")
    );
}

#[test]
fn writes_feed_sitemap_and_robots_with_absolute_urls() {
    let site = built();
    let feed = site.read("feed.xml");
    assert_has(&feed, "<feed xmlns=\"http://www.w3.org/2005/Atom\"");
    assert_eq!(feed.matches("<entry>").count(), 4);
    assert_has(&feed, "<link rel=\"alternate\" type=\"text/html\" href=\"https://example.org/papers/2203.00003/\"/>");
    assert_has(&feed, "<updated>2022-01-01T00:00:00Z</updated>");
    let sitemap = site.read("sitemap.xml");
    assert_has(
        &sitemap,
        "<loc>https://example.org/papers/doi-10.5555-external/</loc>",
    );
    assert_has(&sitemap, "<loc>https://example.org/papers/page/2/</loc>");
    assert_has(&sitemap, "<loc>https://example.org/about/</loc>");
    assert_has(
        &site.read("robots.txt"),
        "Sitemap: https://example.org/sitemap.xml",
    );
}

/// Every link of a page that is not to another site: resolved against the
/// page's own path, as a browser does, to a site path.
fn internal_links(path: &str, page: &str) -> Vec<String> {
    let dir = path.rfind('/').map_or("", |i| &path[..=i]);
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\"", "data-index=\"", "data-next=\"", "url="] {
        for link in page.split(attr).skip(1) {
            let link = &link[..link.find(['"', '\'', '#', '?']).unwrap_or(link.len())];
            if link.is_empty() || link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            assert!(!link.starts_with('/'), "{path}: {link:?} is not relative");
            let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
            for part in link.split('/') {
                match part {
                    ".." => assert!(parts.pop().is_some(), "{path}: {link:?} leaves the site"),
                    "." | "" => {}
                    p => parts.push(p),
                }
            }
            let mut site_path = parts.join("/");
            if link.ends_with('/') || link == "." {
                site_path = if site_path.is_empty() {
                    "index.html".into()
                } else {
                    format!("{site_path}/index.html")
                };
            }
            out.push(site_path);
        }
    }
    out
}

/// Links are relative to the page, so the output works from a folder and
/// under any subpath: every internal link of every page (but the 404 page,
/// which hosts serve at any address) resolves to a file of the output.
/// A portable build ends every link to a folder with `index.html`.
#[test]
fn every_internal_link_is_relative_and_resolves_to_a_file() {
    for portable in [false, true] {
        let site = TestSite::fixture("full");
        let mut args = vec!["build", "--base-url", "https://example.org/hub/"];
        if portable {
            args.push("--portable");
        }
        site.run(&args).success();
        let files = site.snapshot();
        let mut checked = 0;
        for (path, bytes) in &files {
            if !path.ends_with(".html") || path == "404.html" {
                continue;
            }
            let page = String::from_utf8(bytes.clone()).unwrap();
            for target in internal_links(path, &page) {
                assert!(
                    files.contains_key(&target),
                    "{path}: a link to {target}, which is not in the output"
                );
                checked += 1;
            }
            if portable {
                for attr in ["href=\"", "url="] {
                    for link in page.split(attr).skip(1) {
                        let link = &link[..link.find(['"', '#', '?']).unwrap_or(link.len())];
                        assert!(
                            link.contains("://") || link.is_empty() || !link.ends_with('/'),
                            "{path}: {link:?} names no file"
                        );
                    }
                }
            }
        }
        assert!(checked > 300, "only {checked} links checked");
        // Absolute where they must be.
        assert_has(
            &site.read("sitemap.xml"),
            "<loc>https://example.org/hub/papers/2001.00001/</loc>",
        );
        let search = if portable {
            "\"u\":\"../papers/2001.00001/index.html\""
        } else {
            "\"u\":\"../papers/2001.00001/\""
        };
        assert_has(&site.read("search/d/0.js"), search);
        assert_has(&site.read("404.html"), "href=\"/hub/static/style.css\"");
    }
}

#[test]
fn builds_are_byte_identical() {
    let site = built();
    let first = site.snapshot();
    site.build().success();
    assert!(
        first == site.snapshot(),
        "a second build changed the output"
    );
}

#[test]
fn leaves_drafts_out_unless_asked() {
    let site = TestSite::fixture("full");
    site.write(
        "content/papers/draft.md",
        "---\ntitle: \"Secret draft\"\ndraft: true\n---\n",
    );
    site.build().success();
    assert!(!site.exists("papers/draft/index.html"));
    site.run(&["build", "--drafts"]).success();
    assert!(site.exists("papers/draft/index.html"));
}

#[test]
fn a_rebuild_without_changes_writes_no_file() {
    let site = built();
    let mtimes = |site: &TestSite| -> Vec<(String, std::time::SystemTime)> {
        site.listing()
            .into_iter()
            .map(|f| {
                let m = std::fs::metadata(site.root().join("output").join(&f))
                    .unwrap()
                    .modified()
                    .unwrap();
                (f, m)
            })
            .collect()
    };
    let before = mtimes(&site);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let again = site.run(&["build", "--json"]);
    again.success();
    let summary: serde_json::Value = serde_json::from_slice(&again.output.stdout).unwrap();
    assert_eq!(summary["changed"], 0, "{summary}");
    assert_eq!(before, mtimes(&site), "a file was rewritten");
    site.write(
        "content/papers/d.md",
        "---\ntitle: \"Delta, renamed\"\ncites: [\"2001.00001\"]\n---\n",
    );
    site.build().success();
    assert_has(&site.read("papers/d/index.html"), "Delta, renamed");
}

/// The documents of search chunk `n`: the JSON inside its script.
pub fn search_docs(site: &TestSite, n: usize) -> serde_json::Value {
    let js = site.read(&format!("search/d/{n}.js"));
    let json = js
        .strip_prefix(&format!("paperhubSearch.docs({n},"))
        .and_then(|j| j.strip_suffix(");\n"))
        .expect("a docs chunk script");
    serde_json::from_str(json).unwrap()
}

//! Pagination boundaries (0, 1, exactly one full page, one more) and a
//! site without papers.

use crate::util::{assert_has, TestSite};

fn site_with(papers: usize) -> TestSite {
    let site = TestSite::empty();
    site.write("site.yaml", "title: T\npapers_per_page: 3\n");
    for i in 0..papers {
        site.write(
            &format!("content/papers/p{i}.md"),
            format!(
                "---\ntitle: \"Paper {i}\"\nyear: {}\nkeywords: [k]\ncites: [\"w{i}\"]\n---\n",
                2000 + i
            ),
        );
    }
    site.build().success();
    site
}

#[test]
fn paginates_at_the_boundaries() {
    for (papers, pages) in [(0, 1), (1, 1), (3, 1), (4, 2)] {
        let site = site_with(papers);
        let first = site.read("papers/index.html");
        let items = first.matches("<li class=\"item\">").count();
        assert_eq!(
            items,
            papers.min(3),
            "case {papers} papers: items on page 1"
        );
        for n in 2..=pages {
            let page = site.read(&format!("papers/page/{n}/index.html"));
            assert_has(&page, &format!("Page {n} of {pages}"));
            assert_has(&page, "rel=\"prev\" href=\"/papers/\"");
        }
        assert!(
            !site.exists(&format!("papers/page/{}/index.html", pages + 1)),
            "case {papers} papers: extra page"
        );
        let extra_hubs = format!("hubs/page/{}/index.html", pages + 1);
        assert!(!site.exists(&extra_hubs), "case {papers}: extra hubs page");
        if pages > 1 {
            assert_has(&first, "rel=\"next\" href=\"/papers/page/2/\"");
            let hubs = site.read("hubs/page/2/index.html");
            let on_page_2 = hubs.matches(" citing</span>").count();
            assert_eq!(on_page_2, papers - 3, "case {papers}: hubs page 2");
            let kw = site.read("keywords/k/page/2/index.html");
            assert_eq!(
                kw.matches("<li class=\"item\">").count(),
                papers - 3,
                "case {papers}: keyword page 2"
            );
        } else {
            assert!(
                !first.contains("class=\"pagination\""),
                "case {papers} papers: no pager on a single page"
            );
        }
    }
}

#[test]
fn builds_a_site_without_papers() {
    let site = site_with(0);
    assert_has(&site.read("index.html"), "No papers yet.");
    assert_has(&site.read("papers/index.html"), "No papers yet.");
    assert_has(&site.read("hubs/index.html"), "No paper cites another yet.");
    assert_has(&site.read("keywords/index.html"), "None yet.");
    assert_has(&site.read("search/meta.js"), "\"docs\":0,");
    assert!(!site.exists("search/d/0.js"));
    assert!(site.exists("feed.xml") && site.exists("sitemap.xml") && site.exists("404.html"));
}

#[test]
fn splits_a_large_hub_explorer_into_pages_with_a_json_of_all() {
    let site = TestSite::empty();
    site.write(
        "site.yaml",
        "title: T\nhub:\n  citing_per_page: 2\n  representative: 1\n",
    );
    for i in 0..5 {
        site.write(
            &format!("content/papers/c{i}.md"),
            format!(
                "---\ntitle: \"Citing {i}\"\nyear: {}\ncites: [\"w\"]\n---\n",
                2010 + i
            ),
        );
    }
    site.build().success();
    let hub = site.read("papers/w/index.html");
    let explorer = hub.split("id=\"explorer-list\"").nth(1).unwrap();
    assert_eq!(explorer.matches("<li class=\"item\"").count(), 2);
    assert_has(&hub, "data-json=\"/papers/w/citing.json\"");
    assert_has(
        &hub,
        "<a href=\"/papers/w/page/2/\">More citing papers →</a>",
    );
    let page3 = site.read("papers/w/page/3/index.html");
    assert_has(&page3, "Papers citing w");
    assert_eq!(page3.matches("<li class=\"item\"").count(), 1);
    assert!(!site.exists("papers/w/page/4/index.html"));
    let all: serde_json::Value = serde_json::from_str(&site.read("papers/w/citing.json")).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 5);
    assert_eq!(all[0]["title"], "Citing 4", "newest first among equals");
    assert_has(&site.read("sitemap.xml"), "/papers/w/page/3/</loc>");
    // A hub that fits on one page has no JSON and no pages.
    assert!(!site.exists("papers/c0/citing.json"));
}

#[test]
fn citing_json_items_carry_every_field_of_a_citing_item() {
    let site = TestSite::empty();
    site.write("site.yaml", "title: T\nhub:\n  citing_per_page: 1\n");
    site.write(
        "content/papers/a.md",
        "---\ntitle: \"Quotes \\\" and <tags> é\"\nauthors: [\"A B\", \"C D\"]\nyear: 2020\nvenue: V\nsummary: \"S *em*\"\ncites:\n  - id: w\n    role: method\n    polarity: supporting\n    context: \"As \\\"w\\\" shows <b>\"\n---\n",
    );
    site.write("content/papers/b.md", "---\ntitle: B\ncites: [w, a]\n---\n");
    site.build().success();
    let text = site.read("papers/w/citing.json");
    assert!(text.starts_with("[{\"rank\":1,\"id\":"), "{text}");
    let all: serde_json::Value = serde_json::from_str(&text).unwrap();
    let items = all.as_array().unwrap();
    assert_eq!(items.len(), 2);
    let a = items.iter().find(|i| i["id"] == "a").unwrap();
    let keys: Vec<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
    let mut want = [
        "rank",
        "id",
        "href",
        "title",
        "authors",
        "year",
        "venue",
        "summary_html",
        "cited_by",
        "role",
        "polarity",
        "context_html",
    ];
    want.sort_unstable();
    assert_eq!(keys, want);
    assert_eq!(a["title"], "Quotes \" and <tags> é");
    assert_eq!(a["href"], "/papers/a/");
    assert_eq!(a["authors"], serde_json::json!(["A B", "C D"]));
    assert_eq!(
        (a["year"].as_i64(), a["venue"].as_str()),
        (Some(2020), Some("V"))
    );
    assert_eq!(a["summary_html"], "S <em>em</em>");
    assert_eq!(a["cited_by"], 1);
    assert_eq!(
        (a["role"].as_str(), a["polarity"].as_str()),
        (Some("method"), Some("supporting"))
    );
    let context = a["context_html"].as_str().unwrap();
    assert!(
        context.contains("As ") && context.contains("shows"),
        "{context}"
    );
    let b = items.iter().find(|i| i["id"] == "b").unwrap();
    assert!(b["role"].is_null() && b["polarity"].is_null() && b["context_html"].is_null());
    assert!(b["venue"].is_null() && b["summary_html"].is_null());
    let ranks: Vec<i64> = items.iter().map(|i| i["rank"].as_i64().unwrap()).collect();
    assert_eq!(ranks, [1, 2]);
}

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
        let items = first.matches("\n<li>").count();
        assert_eq!(
            items,
            papers.min(3),
            "case {papers} papers: items on page 1"
        );
        for n in 2..=pages {
            let page = site.read(&format!("papers/page/{n}/index.html"));
            assert_has(&page, &format!("Page {n} of {pages}"));
            let prev = if n == 2 { "../../" } else { "../" };
            assert_has(&page, &format!("rel=\"prev\" href=\"{prev}"));
        }
        assert!(
            !site.exists(&format!("papers/page/{}/index.html", pages + 1)),
            "case {papers} papers: extra page"
        );
        let extra_hubs = format!("hubs/page/{}/index.html", pages + 1);
        assert!(!site.exists(&extra_hubs), "case {papers}: extra hubs page");
        if pages > 1 {
            assert_has(&first, "rel=\"next\" href=\"page/2/\"");
            let hubs = site.read("hubs/page/2/index.html");
            let on_page_2 = hubs.matches(" citing</span>").count();
            assert_eq!(on_page_2, papers - 3, "case {papers}: hubs page 2");
            let kw = site.read("keywords/k/page/2/index.html");
            assert_eq!(
                kw.matches("\n<li>").count(),
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
fn splits_a_large_hub_explorer_into_pages() {
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
    let explorer = explorer.split("</ol>").next().unwrap();
    assert_eq!(
        explorer.matches("\n<li").count(),
        1,
        "page 1 after the representative one"
    );
    // The explorer's script reads pages 2.. to filter them all.
    assert_has(&hub, "data-pages=\"3\" data-next=\"page/2/\"");
    assert_has(&hub, "<a href=\"page/2/\">More citing papers →</a>");
    let page3 = site.read("papers/w/page/3/index.html");
    assert_has(&page3, "Papers citing w");
    assert_eq!(page3.matches("\n<li data-y=").count(), 1);
    assert!(!site.exists("papers/w/page/4/index.html"));
    // Newest first among equals: 4 is representative, 3 on page 1.
    let rep = hub.split("id=\"representative-list\"").nth(1).unwrap();
    assert!(rep.find("Citing 4") < rep.find("Citing 3"));
    let page2 = site.read("papers/w/page/2/index.html");
    let (two, one) = (page2.find("Citing 2"), page2.find("Citing 1"));
    assert!(two.is_some() && two < one, "newest first on page 2");
    assert_has(&site.read("sitemap.xml"), "/papers/w/page/3/</loc>");
    // Nothing lists every citing paper a second time.
    assert!(!site.exists("papers/w/citing.json"));
}

/// More representative papers than an explorer page holds: the hub still
/// links its further pages, and says how many it shows.
#[test]
fn a_hub_links_its_further_pages_when_the_representative_list_is_longer() {
    let site = TestSite::empty();
    site.write(
        "site.yaml",
        "title: T\nhub:\n  citing_per_page: 2\n  representative: 3\n",
    );
    for i in 0..5 {
        site.write(
            &format!("content/papers/c{i}.md"),
            format!("---\ntitle: \"Citing {i}\"\ncites: [\"w\"]\n---\n"),
        );
    }
    site.build().success();
    let hub = site.read("papers/w/index.html");
    assert_has(&hub, "Showing the first 3 of 5 citing papers.");
    assert_has(&hub, "<a href=\"page/2/\">More citing papers →</a>");
    assert!(site.exists("papers/w/page/3/index.html"));
}

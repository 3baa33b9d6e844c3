//! Search over the split index: the files a build writes, and queries run
//! in headless Chromium against the built folder opened from disk.

use std::fmt::Write;

use crate::browser::webdriver::Browser;
use crate::util::{assert_has, TestSite};

/// A site of `n` papers; paper `i` has a title word `wordI` and every
/// tenth one the keyword "tenth"; titles are long enough for many chunks.
fn generated(n: usize) -> TestSite {
    let site = TestSite::empty();
    for i in 0..n {
        let mut text = format!(
            "---\nid: \"p{i}\"\ntitle: \"Paper word{i} about topic{} and münchen\"\nauthors: [\"Author{} Family{}\"]\nyear: {}\n",
            i % 37,
            i % 11,
            i % 13,
            2000 + i % 25
        );
        if i % 10 == 0 {
            text.push_str("keywords: [\"tenth\"]\n");
        }
        let _ = write!(text, "summary: \"Summary of paper {i}.\"\n---\n");
        site.write(&format!("content/papers/p{i}.md"), text);
    }
    site
}

fn search_url(site: &TestSite, q: &str) -> String {
    format!(
        "file://{}/output/search/index.html?q={q}",
        site.root().display()
    )
}

/// A base URL that makes links work with the output opened from disk.
fn file_base(site: &TestSite) -> String {
    format!("{}/output/", site.root().display())
}

/// The index is split: a small table of contents and many small chunks.
#[test]
fn the_index_is_split_into_small_files() {
    let site = generated(3000);
    site.build().success();
    let meta = site.read("search/meta.js");
    assert_has(&meta, "\"docs\":3000,");
    let files = site.listing();
    let terms = files.iter().filter(|f| f.starts_with("search/t/")).count();
    let docs = files.iter().filter(|f| f.starts_with("search/d/")).count();
    assert!(terms > 1, "{terms} term chunks");
    assert_eq!(docs, 150);
    for f in files.iter().filter(|f| f.starts_with("search/")) {
        let len = std::fs::metadata(site.root().join("output").join(f))
            .unwrap()
            .len();
        assert!(len < 64 * 1024, "{f} is {len} bytes");
    }
}

/// Queries in a real browser, from files on disk: exact words, the prefix
/// being typed, accents, several words, more results, and the keyboard.
#[test]
fn search_finds_papers_in_the_browser_from_disk() {
    let Some(browser) = Browser::start("search_finds_papers_in_the_browser_from_disk") else {
        return;
    };
    let site = generated(1200);
    site.run(&["build", "--base-url", &file_base(&site)])
        .success();
    let titles = "return Array.from(document.querySelectorAll('#search-results h2')).map(h => h.textContent);";
    let status = "return document.getElementById('search-status').textContent;";

    browser.goto(&search_url(&site, "word1117"));
    browser.wait_for(
        "one result",
        "return document.querySelectorAll('#search-results li').length === 1;",
    );
    assert_eq!(
        browser.eval(titles)[0],
        "Paper word1117 about topic7 and münchen"
    );

    // Stop words ("and") are left out of queries as they are of the index.
    browser.goto(&search_url(&site, "word1117%20and%20munchen"));
    browser.wait_for(
        "one result despite the stop word",
        "return document.querySelectorAll('#search-results li').length === 1;",
    );

    // Several words must all match; "tenth" is a keyword of every tenth paper.
    browser.goto(&search_url(&site, "tenth%20topic0"));
    browser.wait_for(
        "results",
        "return document.querySelectorAll('#search-results li').length > 0;",
    );
    let s = browser.eval(status);
    // Papers 0, 370, 740, 1110: multiples of 10 and of 37.
    assert!(s.as_str().unwrap().starts_with("4 papers match"), "{s}");

    // Accents do not matter; ten results show, then more on request.
    browser.goto(&search_url(&site, "Munchen"));
    browser.wait_for(
        "ten results",
        "return document.querySelectorAll('#search-results li').length === 10;",
    );
    assert!(browser
        .eval(status)
        .as_str()
        .unwrap()
        .starts_with("1200 papers match"));
    browser.eval("document.getElementById('search-more').click();");
    browser.wait_for(
        "twenty results",
        "return document.querySelectorAll('#search-results li').length === 20;",
    );

    // The word being typed matches as a prefix.
    browser.eval(
        "var q = document.getElementById('q'); q.value = 'word119'; q.dispatchEvent(new Event('input', {bubbles: true}));",
    );
    browser.wait_for(
        "prefix results",
        "var h = document.querySelector('#search-results h2'); return !!h && /word119/.test(h.textContent) && document.getElementById('search-status').textContent.startsWith('11 papers');",
    );

    // Arrow keys move from the box into the results and back.
    browser.eval("document.getElementById('q').dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown', bubbles: true}));");
    assert_eq!(
        browser
            .eval("return document.activeElement === document.querySelector('#search-results a');"),
        true
    );
    browser.eval("document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown', bubbles: true}));");
    assert_eq!(
        browser.eval(
            "return document.activeElement === document.querySelectorAll('#search-results a')[1];"
        ),
        true
    );
    browser.eval("document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}));");
    assert_eq!(browser.eval("return document.activeElement.id;"), "q");

    // The hub tools' copy buttons appear when a clipboard is there.
    browser.goto(&format!(
        "file://{}/output/papers/p0/index.html",
        site.root().display()
    ));
    assert_eq!(
        browser.eval(
            "return Array.from(document.querySelectorAll('button[data-copy]')).map(b => b.hidden);"
        ),
        serde_json::json!([false, false])
    );

    // Nothing found says so.
    browser.goto(&search_url(&site, "zzzz"));
    browser.wait_for(
        "no results",
        "return document.getElementById('search-status').textContent.startsWith('0 papers');",
    );
}

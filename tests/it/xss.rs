//! Untrusted records: every field a record (and site.yaml) can set carries
//! script payloads; the built pages, opened in headless Chromium, run none
//! of them and link nowhere with `javascript:`.

use crate::browser::webdriver::Browser;
use crate::util::TestSite;

/// Payloads that set `window.__xss` if they ever run.
const PAYLOADS: &[&str] = &[
    "<script>window.__xss=1</script>",
    "<img src=x onerror=\"window.__xss=1\">",
    "\"><svg onload=\"window.__xss=1\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    "' onmouseover='window.__xss=1' x='",
    "</script><script>window.__xss=1</script>",
    "[click](javascript:window.__xss=1)",
    "<a href=\"javascript:window.__xss=1\">a</a>",
    "<iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
    "{{ 7*7 }} {% raw %}",
];

fn yaml(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn record(i: usize, payload: &str) -> String {
    let p = yaml(payload);
    format!(
        "---\nid: {id}\ntitle: {p}\nauthors: [{p}, \"Ada\"]\nyear: 2020\nvenue: {p}\narxiv: {p}\ndoi: {p}\n\
         keywords: [{p}]\ncategories: [{p}]\nsummary: {p}\n\
         review:\n  reviewed: {p}\n  model: {p}\n  core_claim: {p}\n  carries: {p}\n  if_right: [{p}]\n  between_lines: [{p}]\n  premise: {p}\n  settle: {p}\n\
         cites:\n  - id: {cid}\n    context: {p}\n    title: {p}\n    authors: [{p}]\n    venue: {p}\n\
         extra:\n  note: {p}\n---\n{payload}\n\n{payload}\n",
        id = yaml(&format!("x{i}{payload}")),
        cid = yaml(&format!("cited-{i}-{payload}")),
    )
}

#[test]
fn script_payloads_in_records_never_run() {
    let site = TestSite::empty();
    site.write(
        "site.yaml",
        format!(
            "title: {}\ndescription: {}\n",
            yaml(PAYLOADS[0]),
            yaml(PAYLOADS[2])
        ),
    );
    for (i, p) in PAYLOADS.iter().enumerate() {
        site.write(&format!("content/papers/x{i}.md"), record(i, p));
        site.write(
            &format!("content/pages/p{i}.md"),
            format!("---\ntitle: {}\n---\n{p}\n", yaml(p)),
        );
    }
    site.build().success();

    // No page may carry a javascript: link, whatever a browser makes of it.
    for (path, bytes) in site.snapshot() {
        if path.ends_with(".html") {
            let page = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
            assert!(
                !page.contains("href=\"javascript:"),
                "{path} links to javascript:"
            );
            assert!(
                !page.contains("<script>window.__xss"),
                "{path} carries a live script payload"
            );
        }
    }

    let Some(browser) = Browser::start("script_payloads_in_records_never_run") else {
        return;
    };
    // Opened as files: the pages' own scripts run, nothing else is served.
    let pages: Vec<String> = site
        .listing()
        .into_iter()
        .filter(|p| p.ends_with(".html"))
        .collect();
    assert!(pages.len() > 20);
    for page in &pages {
        let url = format!("file://{}", site.root().join("output").join(page).display());
        browser.goto(&url);
        // Give onerror/onload handlers their chance to run.
        std::thread::sleep(std::time::Duration::from_millis(30));
        let ran = browser.eval("return window.__xss === 1 || [...document.querySelectorAll('iframe')].some(f => { try { return f.contentWindow.parent.__xss === 1 } catch (e) { return false } });");
        assert_eq!(
            ran,
            serde_json::Value::Bool(false),
            "a payload ran on {url}"
        );
        let links = browser.eval("return [...document.querySelectorAll('a[href]')].filter(a => a.protocol === 'javascript:').length;");
        assert_eq!(links, serde_json::json!(0), "javascript: link on {url}");
    }
}

#[test]
fn rejects_script_urls_in_link_fields() {
    for (key, url) in [
        ("url", "javascript:alert(1)"),
        ("pdf", "data:text/html,<script>alert(1)</script>"),
        ("code", "JaVaScRiPt:alert(1)"),
    ] {
        let site = TestSite::empty();
        site.write(
            "content/papers/a.md",
            format!("---\ntitle: T\n{key}: {}\n---\n", yaml(url)),
        );
        site.build()
            .fails_with(1)
            .stderr_has(&format!("`{key}` must be an http(s) link"));
    }
}

//! End to end in a real browser: headless Chromium, driven over WebDriver
//! (chromedriver), opens a page served by `paperhub serve`; editing the
//! record reloads the page, breaking it shows the error overlay, fixing it
//! clears the overlay. Skipped, and said so, where Chromium is missing;
//! CI sets PAPERHUB_REQUIRE_BROWSER=1 so that it cannot skip there.

use std::path::Path;
use std::process::Child;
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[path = "../support/webdriver.rs"]
pub mod webdriver;

use crate::util::{Said, TestSite};
use webdriver::Browser;

/// A running `paperhub serve --json` on a free port.
pub struct Server {
    child: Child,
    pub url: String,
    said: mpsc::Receiver<Said>,
}

impl Server {
    /// Starts the server and waits for its first build.
    pub fn start(root: &Path) -> Server {
        let cmd = crate::util::paperhub(&["serve", "--port", "0"], root);
        let (child, said) = crate::util::spawn_json(cmd);
        let mut server = Server {
            child,
            url: String::new(),
            said,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut log = Vec::new();
        while Instant::now() < deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(said) = server.said.recv_timeout(left) else {
                break;
            };
            let Said::Event(event) = said else {
                log.push(line(said));
                continue;
            };
            if event["event"] == "listening" {
                server.url = event["url"].as_str().unwrap_or_default().to_string();
            }
            if event["event"] == "rebuilt" || event["event"] == "failed" {
                break;
            }
        }
        assert!(
            !server.url.is_empty(),
            "paperhub serve printed no address:\n{}",
            log.join("\n")
        );
        server
    }

    /// Everything printed since the last call.
    pub fn drain(&self) -> Vec<String> {
        self.said.try_iter().map(line).collect()
    }
}

/// What the server said, as a line.
fn line(said: Said) -> String {
    match said {
        Said::Event(e) => e.to_string(),
        Said::Text(t) | Said::NotJson(t) => t,
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const H1: &str = "var h = document.querySelector('h1'); return h ? h.textContent : null;";

#[test]
fn live_reload_shows_edits_and_build_errors_in_the_browser() {
    let Some(browser) = Browser::start("live_reload_shows_edits_and_build_errors_in_the_browser")
    else {
        return;
    };
    let site = TestSite::fixture("full");
    let server = Server::start(site.root());
    let record = site.root().join("content/papers/b.md");
    let original = std::fs::read_to_string(&record).unwrap();

    browser.goto(&format!("{}papers/2102.00002/", server.url));
    assert_eq!(browser.eval(H1), "Beta builds on Alpha");
    browser.wait_for(
        "the live-reload connection",
        "return !!window.paperhubLiveReload && window.paperhubLiveReload.readyState === 1;",
    );
    browser.eval("window.notReloaded = true;");

    std::fs::write(
        &record,
        original.replace(
            "title: \"Beta builds on Alpha\"",
            "title: \"Beta, edited live\"",
        ),
    )
    .unwrap();
    browser.wait_for(
        "the page to reload with the new title",
        "var h = document.querySelector('h1'); return !window.notReloaded && !!h && h.textContent === 'Beta, edited live';",
    );

    browser.wait_for(
        "the live-reload connection",
        "return !!window.paperhubLiveReload && window.paperhubLiveReload.readyState === 1;",
    );
    std::fs::write(
        &record,
        original.replace("title: \"Beta builds on Alpha\"", "title: [\"unclosed"),
    )
    .unwrap();
    browser.wait_for(
        "the error overlay",
        "return !!document.getElementById('paperhub-overlay');",
    );
    let overlay = browser.eval("return document.getElementById('paperhub-overlay').textContent;");
    assert!(
        overlay.as_str().unwrap().contains("content/papers/b.md:"),
        "overlay: {overlay}"
    );
    assert_eq!(
        browser.eval(H1),
        "Beta, edited live",
        "the last good page stays"
    );

    std::fs::write(
        &record,
        original.replace("title: \"Beta builds on Alpha\"", "title: \"Beta, fixed\""),
    )
    .unwrap();
    browser.wait_for(
        "the overlay to clear and the fix to show",
        "var h = document.querySelector('h1'); return !document.getElementById('paperhub-overlay') && !!h && h.textContent === 'Beta, fixed';",
    );
    let log = server.drain().join("\n");
    assert!(
        log.contains("content/papers/b.md:"),
        "the terminal shows the error too:\n{log}"
    );
}

/// Eight papers citing `w`, some with a role and polarity, in `site`.
fn citing_site(site: &TestSite, yaml: &str) {
    site.write("site.yaml", yaml);
    for i in 0..8 {
        let (role, polarity) = match i % 3 {
            0 => ("method", "supporting"),
            1 => ("result", "contrasting"),
            _ => ("", ""),
        };
        let cite = if role.is_empty() {
            "  - w\n".to_string()
        } else {
            let influential = if i % 3 == 0 {
                "    influential: true\n"
            } else {
                ""
            };
            format!("  - id: w\n    role: {role}\n    polarity: {polarity}\n    context: \"Uses *w* for {i}.\"\n{influential}")
        };
        site.write(
            &format!("content/papers/c{i}.md"),
            format!(
                "---\ntitle: \"Citing paper {i}\"\nauthors: [\"A Author{i}\", \"B Other\"]\nyear: {}\nsummary: \"Shows *thing* {i}.\"\ncites:\n{cite}---\nBody.\n",
                2010 + i
            ),
        );
    }
}

/// The item of the paper titled `title` in the explorer list, as markup,
/// without the keys the explorer's script adds to items it has seen.
fn explorer_item(browser: &Browser, title: &str) -> String {
    let script = format!(
        "var li = Array.prototype.find.call(document.querySelectorAll('#explorer-list > li'), function (li) {{ return li.querySelector('a').textContent === {title:?}; }});
         if (!li) return null;
         li = li.cloneNode(true);
         ['rank', 'title', 'text'].forEach(function (k) {{ delete li.dataset[k]; }});
         return li.outerHTML;"
    );
    browser
        .eval(&script)
        .as_str()
        .unwrap_or_else(|| panic!("no explorer item {title}"))
        .to_string()
}

/// The explorer of a hub whose citing papers fill several pages takes in
/// the items of pages 2.. when a reader filters: the server's own markup,
/// the same as the hub page shows when they all fit on it. Role, polarity
/// and text filters and the sort work on them.
#[test]
fn the_explorer_filters_the_servers_own_items_from_every_page() {
    let Some(browser) =
        Browser::start("the_explorer_filters_the_servers_own_items_from_every_page")
    else {
        return;
    };
    // All on the hub page: the markup to expect.
    let whole = TestSite::empty();
    citing_site(&whole, "title: T\nhub:\n  representative: 2\n");
    let server = Server::start(whole.root());
    browser.goto(&format!("{}papers/w/", server.url));
    browser.wait_for(
        "the explorer",
        "return !document.querySelector('form[data-explorer]').hidden;",
    );
    let expected: Vec<String> = (0..8)
        .map(|i| explorer_item(&browser, &format!("Citing paper {i}")))
        .collect();
    drop(server);

    // Three per page: the hub page holds 2 representative and 1 more.
    let paged = TestSite::empty();
    citing_site(
        &paged,
        "title: T\nhub:\n  representative: 2\n  citing_per_page: 3\n",
    );
    let server = Server::start(paged.root());
    browser.goto(&format!("{}papers/w/", server.url));
    browser.wait_for(
        "the explorer",
        "return !document.querySelector('form[data-explorer]').hidden;",
    );
    assert_eq!(
        browser.eval("return document.querySelectorAll('#explorer-list > li').length;"),
        3,
        "before use: the representative copies and the first page's one"
    );
    let set = |name: &str, value: &str| {
        browser.eval(&format!(
            "var f = document.querySelector('form[data-explorer]'); f[{name:?}].value = {value:?};
             f.dispatchEvent(new Event('input', {{ bubbles: true }})); return true;"
        ));
    };
    set("q", "citing");
    browser.wait_for(
        "every citing paper",
        "return document.querySelector('.explorer-status').textContent === '8 of 8 shown';",
    );
    for (i, want) in expected.iter().enumerate() {
        let got = explorer_item(&browser, &format!("Citing paper {i}"));
        assert_eq!(
            &got, want,
            "item {i}: the explorer shows the server's markup"
        );
    }
    set("q", "");
    set("role", "method");
    browser.wait_for(
        "the role filter",
        "return document.querySelector('.explorer-status').textContent === '3 of 8 shown';",
    );
    set("role", "-");
    browser.wait_for(
        "the unclassified filter",
        "return document.querySelector('.explorer-status').textContent === '2 of 8 shown';",
    );
    set("role", "");
    browser.eval(
        "var f = document.querySelector('form[data-explorer]'); f.influential.checked = true;
         f.dispatchEvent(new Event('input', { bubbles: true })); return true;",
    );
    browser.wait_for(
        "the influential filter",
        "return document.querySelector('.explorer-status').textContent === '3 of 8 shown';",
    );
    browser.eval(
        "var f = document.querySelector('form[data-explorer]'); f.influential.checked = false;
         f.dispatchEvent(new Event('input', { bubbles: true })); return true;",
    );
    set("sort", "old");
    let first = browser
        .eval("return document.querySelector('#explorer-list > li:not([hidden]) a').textContent;");
    assert_eq!(first, "Citing paper 0", "oldest first");
}

/// Without per-work files, the page's script makes the BibTeX, RIS and
/// CSL-JSON downloads, byte for byte what the files hold when they are on.
#[test]
fn in_page_downloads_equal_the_cite_files() {
    let Some(browser) = Browser::start("in_page_downloads_equal_the_cite_files") else {
        return;
    };
    let files = TestSite::fixture("full");
    let yaml = std::fs::read_to_string(files.root().join("site.yaml")).unwrap();
    files.write(
        "site.yaml",
        format!("{yaml}\noutputs:\n  work_files: true\n"),
    );
    files.build().success();
    let lean = TestSite::fixture("full");
    let server = Server::start(lean.root());
    for slug in ["2001.00001", "2102.00002"] {
        browser.goto(&format!("{}papers/{slug}/", server.url));
        browser.wait_for(
            "the downloads",
            "return !document.querySelector('.downloads').hidden;",
        );
        for (kind, file) in [
            ("bib", "cite.bib"),
            ("ris", "cite.ris"),
            ("csl", "cite.json"),
        ] {
            let got = browser.eval(&format!(
                "var a = document.querySelector('a[data-cite={kind}]');
                 var x = new XMLHttpRequest(); x.open('GET', a.href, false); x.send();
                 return [a.download, x.responseText];"
            ));
            let want = files.read(&format!("papers/{slug}/{file}"));
            // `serve` puts its own address where base_url was.
            let got_text = got[1]
                .as_str()
                .unwrap()
                .replace(&server.url, "https://example.org/");
            assert_eq!(got_text, want, "{slug} {kind}");
            let name = got[0].as_str().unwrap();
            assert!(name.ends_with(&file[4..]), "{slug}: file name {name}");
        }
    }
}

/// A portable build opened from disk, as a hub sent as a zip is: styled,
/// its navigation leads to the papers list and a hub, and search works.
#[test]
fn a_portable_build_works_from_disk() {
    let Some(browser) = Browser::start("a_portable_build_works_from_disk") else {
        return;
    };
    let site = TestSite::example();
    site.run(&["build", "--portable"]).success();
    let out = std::fs::canonicalize(site.root().join("output")).unwrap();
    browser.goto(&format!("file://{}/index.html", out.display()));
    // The stylesheet applies: list markers are off in `.items`, which only
    // style.css says.
    browser.wait_for(
        "the stylesheet",
        "var l = document.querySelector('.items'); return !!l && getComputedStyle(l).listStyleType === 'none';",
    );
    let click = |selector: &str| {
        browser.eval(&format!(
            "var a = document.querySelector({selector:?}); a.click(); return a.getAttribute('href');"
        ))
    };
    let href = click("nav a[href$='papers/index.html']");
    assert_eq!(href, "papers/index.html");
    browser.wait_for(
        "the papers list",
        "return location.pathname.endsWith('/papers/index.html') && document.querySelectorAll('.items > li').length > 10;",
    );
    click(".items > li a");
    browser.wait_for(
        "a paper page",
        "return /\\/papers\\/[^/]+\\/index\\.html$/.test(location.pathname) && !!document.querySelector('h1');",
    );
    browser.goto(&format!(
        "file://{}/papers/1911.03030/index.html",
        out.display()
    ));
    browser.wait_for(
        "the hub, styled",
        "var h = document.querySelector('.hub-count'); return !!h && h.textContent.indexOf('22 papers cite this work') !== -1 && getComputedStyle(document.querySelector('.items')).listStyleType === 'none';",
    );
    click("nav a[href$='search/index.html']");
    browser.wait_for(
        "the search page",
        "return location.pathname.endsWith('/search/index.html') && !!document.querySelector('form[data-index]');",
    );
    browser.eval(
        "var f = document.querySelector('form[data-index]'); f.q.value = 'unlearning'; f.dispatchEvent(new Event('submit', { cancelable: true })); return true;",
    );
    browser.wait_for(
        "search results",
        "return document.querySelectorAll('#search-results li').length > 0;",
    );
    let link =
        browser.eval("return document.querySelector('#search-results a').getAttribute('href');");
    assert!(
        link.as_str().unwrap().starts_with("../papers/")
            && link.as_str().unwrap().ends_with("/index.html"),
        "{link}"
    );
    click("#search-results a");
    browser.wait_for(
        "a result's page",
        "return /\\/papers\\/[^/]+\\/index\\.html$/.test(location.pathname) && !!document.querySelector('h1');",
    );
}

/// A real corpus's polarity labels, neutral before negative: the bars and
/// swatches draw them by meaning (negative red, neutral grey, mixed in a
/// colour of its own), and roles take a palette without red or green.
#[test]
fn labels_are_coloured_by_meaning_not_position() {
    let Some(browser) = Browser::start("labels_are_coloured_by_meaning_not_position") else {
        return;
    };
    let site = TestSite::empty();
    site.write(
        "site.yaml",
        "title: T\ncitations:\n  roles: [method, result, aim, implication, hypothesis]\n  polarities: [positive, negative, neutral, mixed]\n  colors: {hypothesis: \"#123456\"}\n",
    );
    for (i, polarity) in ["positive", "negative", "neutral", "mixed"]
        .iter()
        .enumerate()
    {
        site.write(
            &format!("content/papers/p{i}.md"),
            format!("---\ntitle: P{i}\ncites:\n  - id: w\n    role: method\n    polarity: {polarity}\n---\n"),
        );
    }
    site.build().success();
    let out = std::fs::canonicalize(site.root().join("output")).unwrap();
    browser.goto(&format!("file://{}/papers/w/index.html", out.display()));
    let colour = |class: &str| {
        browser.eval(&format!(
            "return getComputedStyle(document.querySelector('.legend .{class}')).backgroundColor;"
        ))
    };
    // style.css: --p-support #2e9d6b, --p-contrast #c94f4f, --p-neutral #7a8494.
    assert_eq!(
        colour("seg-polarity-0"),
        "rgb(46, 157, 107)",
        "positive is green"
    );
    assert_eq!(
        colour("seg-polarity-1"),
        "rgb(201, 79, 79)",
        "negative is red"
    );
    assert_eq!(
        colour("seg-polarity-2"),
        "rgb(122, 132, 148)",
        "neutral is grey"
    );
    assert_eq!(
        colour("seg-polarity-3"),
        "rgb(138, 92, 199)",
        "mixed has its own"
    );
    assert_eq!(
        colour("seg-role-4"),
        "rgb(18, 52, 86)",
        "site.yaml sets a label's colour"
    );
    for role in 0..4 {
        let c = colour(&format!("seg-role-{role}"));
        assert!(
            c != "rgb(46, 157, 107)" && c != "rgb(201, 79, 79)",
            "role {role} drawn in a reserved colour: {c}"
        );
    }
}

/// Cards stay short: at phone width, a card with a 150-word summary shows
/// two lines of it, in a test site and in the example; the paper's page
/// shows it all.
#[test]
fn cards_with_long_summaries_stay_short_at_phone_width() {
    let Some(browser) = Browser::start("cards_with_long_summaries_stay_short_at_phone_width")
    else {
        return;
    };
    let site = TestSite::empty();
    site.write("site.yaml", "title: T\n");
    let long = (0..150)
        .map(|i| ["results", "show", "that", "unlearning", "works"][i % 5])
        .collect::<Vec<_>>()
        .join(" ");
    for i in 0..10 {
        site.write(
            &format!("content/papers/p{i}.md"),
            format!("---\ntitle: \"A paper with a long summary, number {i}\"\nauthors: [\"Ada Lovelace\", \"Alan Turing\", \"Grace Hopper\", \"Emmy Noether\"]\nyear: 2024\nsummary: \"{long}\"\ncites: [w]\n---\n"),
        );
    }
    site.build().success();
    let out = std::fs::canonicalize(site.root().join("output")).unwrap();
    let example = TestSite::example();
    example.build().success();
    let example_out = std::fs::canonicalize(example.root().join("output")).unwrap();
    browser.window(390, 900);
    let pages = ["papers/w/index.html", "papers/index.html", "index.html"]
        .map(|p| out.join(p))
        .into_iter()
        .chain(["papers/1911.03030/index.html", "papers/index.html"].map(|p| example_out.join(p)));
    for page in pages {
        let page = page.display();
        browser.goto(&format!("file://{page}"));
        let tallest = browser.eval(
            "var lh = parseFloat(getComputedStyle(document.body).lineHeight);
             return Array.prototype.map.call(document.querySelectorAll('.items > li'), function (li) {
               var s = getComputedStyle(li);
               return (li.getBoundingClientRect().height - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom)) / lh;
             }).reduce(function (a, b) { return Math.max(a, b); }, 0);",
        );
        let lines = tallest.as_f64().unwrap();
        // A three-line title, two lines of authors and two of summary are
        // the most a card shows (6.8 body lines in the example's hub).
        assert!(
            lines > 2.0 && lines <= 7.0,
            "{page}: the tallest card is {lines:.1} lines"
        );
    }
    browser.goto(&format!("file://{}/papers/p0/index.html", out.display()));
    let whole = browser
        .eval("return document.querySelector('.paper-head .pith').textContent.split(' ').length;");
    assert_eq!(whole, 150, "the paper's page shows the whole summary");
}

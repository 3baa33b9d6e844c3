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

use crate::util::TestSite;
use webdriver::Browser;

/// A running `paperhub serve` on a free port.
pub struct Server {
    child: Child,
    pub url: String,
    lines: mpsc::Receiver<String>,
}

impl Server {
    pub fn start(root: &Path) -> Server {
        let (child, lines) =
            crate::util::spawn(crate::util::paperhub(&["serve", "--port", "0"], root));
        let mut url = None;
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let Ok(line) = lines.recv_timeout(Duration::from_secs(20)) else {
                break;
            };
            if let Some(rest) = line.strip_prefix("Serving the site at ") {
                url = rest.split_whitespace().next().map(str::to_string);
            }
            if line.starts_with("rebuilt #1") {
                break;
            }
        }
        Server {
            child,
            url: url.expect("paperhub serve printed its address"),
            lines,
        }
    }

    /// Everything printed since the last call.
    pub fn drain(&self) -> Vec<String> {
        self.lines.try_iter().collect()
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

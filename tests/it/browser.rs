//! End to end in a real browser: headless Chromium, driven over WebDriver
//! (chromedriver), opens a page served by `paperhub serve`; editing the
//! record reloads the page, breaking it shows the error overlay, fixing it
//! clears the overlay. Skipped, and said so, where Chromium is missing;
//! CI sets PAPERHUB_REQUIRE_BROWSER=1 so that it cannot skip there.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::util::TestSite;

fn find(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin"), PathBuf::from("/usr/lib/chromium")])
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A WebDriver session in headless Chromium.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// `None` (after saying why) when Chromium or chromedriver is missing.
    pub fn start(test: &str) -> Option<Browser> {
        let (Some(chromium), Some(chromedriver)) =
            (find(&["chromium", "chromium-browser", "google-chrome"]), find(&["chromedriver"]))
        else {
            assert!(
                std::env::var_os("PAPERHUB_REQUIRE_BROWSER").is_none(),
                "{test}: Chromium and chromedriver are required (apt-get install chromium chromium-driver)"
            );
            eprintln!("SKIPPED {test}: Chromium or chromedriver is not installed (apt-get install chromium chromium-driver)");
            return None;
        };
        let port = free_port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while ureq::get(format!("{base}/status")).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            &format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args}
        }}});
        let mut browser = Browser {
            driver,
            base,
            session: String::new(),
            _profile: profile,
        };
        let created = browser.call("/session", caps);
        browser.session = created["sessionId"].as_str().expect("a session id").to_string();
        Some(browser)
    }

    fn call(&self, path: &str, body: Value) -> Value {
        let mut response = ureq::post(format!("{}{path}", self.base))
            .config()
            .http_status_as_error(false)
            .build()
            .send_json(body)
            .expect("talk to chromedriver");
        let value: Value = response.body_mut().read_json().expect("a WebDriver answer");
        assert!(value["value"]["error"].is_null(), "WebDriver error on {path}: {value}");
        value["value"].clone()
    }

    pub fn goto(&self, url: &str) {
        self.call(&format!("/session/{}/url", self.session), json!({ "url": url }));
    }

    /// Runs `script` (a function body) in the page and returns its value.
    pub fn eval(&self, script: &str) -> Value {
        self.call(&format!("/session/{}/execute/sync", self.session), json!({"script": script, "args": []}))
    }

    /// Polls `script` until it returns `true`.
    #[track_caller]
    pub fn wait_for(&self, what: &str, script: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if self.eval(script) == Value::Bool(true) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}; the page says: {}", self.eval("return document.body ? document.body.innerText.slice(0, 2000) : ''"));
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = ureq::delete(format!("{}/session/{}", self.base, self.session)).call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A running `paperhub serve` on a free port.
pub struct Server {
    child: Child,
    pub url: String,
    lines: mpsc::Receiver<String>,
}

impl Server {
    pub fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_paperhub"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start paperhub serve");
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut url = None;
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let Ok(line) = lines.recv_timeout(Duration::from_secs(20)) else { break };
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
    let Some(browser) = Browser::start("live_reload_shows_edits_and_build_errors_in_the_browser") else {
        return;
    };
    let site = TestSite::fixture("full");
    let server = Server::start(site.root());
    let record = site.root().join("content/papers/b.md");
    let original = std::fs::read_to_string(&record).unwrap();

    browser.goto(&format!("{}papers/2102.00002/", server.url));
    assert_eq!(browser.eval(H1), "Beta builds on Alpha");
    browser.wait_for("the live-reload connection", "return !!window.paperhubLiveReload && window.paperhubLiveReload.readyState === 1;");
    browser.eval("window.notReloaded = true;");

    std::fs::write(&record, original.replace("title: \"Beta builds on Alpha\"", "title: \"Beta, edited live\"")).unwrap();
    browser.wait_for(
        "the page to reload with the new title",
        "var h = document.querySelector('h1'); return !window.notReloaded && !!h && h.textContent === 'Beta, edited live';",
    );

    browser.wait_for("the live-reload connection", "return !!window.paperhubLiveReload && window.paperhubLiveReload.readyState === 1;");
    std::fs::write(&record, original.replace("title: \"Beta builds on Alpha\"", "title: [\"unclosed")).unwrap();
    browser.wait_for("the error overlay", "return !!document.getElementById('paperhub-overlay');");
    let overlay = browser.eval("return document.getElementById('paperhub-overlay').textContent;");
    assert!(overlay.as_str().unwrap().contains("content/papers/b.md:"), "overlay: {overlay}");
    assert_eq!(browser.eval(H1), "Beta, edited live", "the last good page stays");

    std::fs::write(&record, original.replace("title: \"Beta builds on Alpha\"", "title: \"Beta, fixed\"")).unwrap();
    browser.wait_for(
        "the overlay to clear and the fix to show",
        "var h = document.querySelector('h1'); return !document.getElementById('paperhub-overlay') && !!h && h.textContent === 'Beta, fixed';",
    );
    let log = server.drain().join("\n");
    assert!(log.contains("content/papers/b.md:"), "the terminal shows the error too:\n{log}");
}

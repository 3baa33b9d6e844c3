//! A minimal WebDriver client for headless Chromium through chromedriver,
//! shared by the browser test (tests/it/browser.rs) and the live-reload
//! benchmark (examples/live_bench.rs).

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

fn find(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .chain([
            PathBuf::from("/usr/bin"),
            PathBuf::from("/usr/lib/chromium"),
        ])
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
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
        let (Some(chromium), Some(chromedriver)) = (
            find(&["chromium", "chromium-browser", "google-chrome"]),
            find(&["chromedriver"]),
        ) else {
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
        browser.session = created["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
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
        assert!(
            value["value"]["error"].is_null(),
            "WebDriver error on {path}: {value}"
        );
        value["value"].clone()
    }

    pub fn goto(&self, url: &str) {
        self.call(
            &format!("/session/{}/url", self.session),
            json!({ "url": url }),
        );
    }

    /// Sets the window's size in CSS pixels (a phone is 390 wide).
    // The tests use it; examples/live_bench.rs, which shares this file, not.
    #[allow(dead_code)]
    pub fn window(&self, width: u32, height: u32) {
        self.call(
            &format!("/session/{}/window/rect", self.session),
            json!({"width": width, "height": height}),
        );
    }

    /// Runs `script` (a function body) in the page and returns its value.
    pub fn eval(&self, script: &str) -> Value {
        self.call(
            &format!("/session/{}/execute/sync", self.session),
            json!({"script": script, "args": []}),
        )
    }

    /// Polls `script` until it returns `true`.
    #[track_caller]
    pub fn wait_for(&self, what: &str, script: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if self.eval(script) == Value::Bool(true) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; the page says: {}",
                self.eval("return document.body ? document.body.innerText.slice(0, 2000) : ''")
            );
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

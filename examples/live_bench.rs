//! Measures the preview loop of `paperhub serve` on a generated hub: the
//! time from saving one record to its rebuilt files on disk, and to the
//! open browser page showing the change. Run through `bench/live`, which
//! generates the site; or directly:
//!
//!     cargo run --release --example live_bench -- SITE_DIR [EDITS]
//!
//! Timings are medians over EDITS saves (default 30) of a mid-sized record.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[path = "../tests/support/webdriver.rs"]
mod webdriver;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        f64::NAN
    } else {
        v[v.len() / 2]
    }
}

fn p90(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get((v.len() * 9 / 10).min(v.len().saturating_sub(1)))
        .copied()
        .unwrap_or(f64::NAN)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let site = PathBuf::from(args.first().expect("usage: live_bench SITE_DIR [EDITS]"));
    let edits: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(30);
    let exe = std::env::current_exe().unwrap();
    let paperhub = exe
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .join("paperhub");

    let mut child = Command::new(&paperhub)
        .args(["serve", "--port", "0", "--root"])
        .arg(&site)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start paperhub serve (build it with `cargo build --release` first)");
    let (tx, lines) = mpsc::channel::<(Instant, String)>();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send((Instant::now(), line));
        }
    });
    let mut url = String::new();
    let start = Instant::now();
    let first_build = loop {
        let (at, line) = lines
            .recv_timeout(Duration::from_secs(600))
            .expect("serve started");
        if let Some(rest) = line.strip_prefix("Serving the site at ") {
            url = rest.split_whitespace().next().unwrap().to_string();
        }
        if line.starts_with("rebuilt #1") {
            break at - start;
        }
    };

    let papers = site.join("content/papers");
    let mut records: Vec<PathBuf> = std::fs::read_dir(&papers)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    records.sort();
    let record = records[records.len() / 2].clone();
    let id = record.file_stem().unwrap().to_string_lossy().into_owned();
    let original = std::fs::read_to_string(&record).unwrap();
    let title_line = original
        .lines()
        .find(|l| l.starts_with("title: "))
        .unwrap()
        .to_string();

    let browser = webdriver::Browser::start("live_bench");
    if let Some(b) = &browser {
        b.goto(&format!("{url}papers/{id}/"));
        b.wait_for(
            "the live-reload connection",
            "return !!window.paperhubLiveReload && window.paperhubLiveReload.readyState === 1;",
        );
    }

    let (mut to_disk, mut to_browser, mut written) = (Vec::new(), Vec::new(), Vec::new());
    for k in 0..edits {
        let title = format!("Edited title {k}");
        let text = original.replacen(&title_line, &format!("title: \"{title}\""), 1);
        while lines.try_recv().is_ok() {}
        let saved = Instant::now();
        std::fs::write(&record, text).unwrap();
        let (at, line) = loop {
            let (at, line) = lines
                .recv_timeout(Duration::from_secs(60))
                .expect("a rebuild");
            if line.starts_with("rebuilt #") {
                break (at, line);
            }
        };
        to_disk.push((at - saved).as_secs_f64() * 1000.0);
        let files: f64 = line
            .split(", ")
            .find(|p| p.ends_with("files written"))
            .and_then(|p| p.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(f64::NAN);
        written.push(files);
        if let Some(b) = &browser {
            b.wait_for(
                "the page to show the edit",
                &format!("var h = document.querySelector('h1'); return !!h && h.textContent === '{title}' && !!window.paperhubLiveReload && window.paperhubLiveReload.readyState === 1;"),
            );
            to_browser.push(saved.elapsed().as_secs_f64() * 1000.0);
        }
        std::thread::sleep(Duration::from_millis(150));
    }
    std::fs::write(&record, original).unwrap();
    let _ = child.kill();
    let _ = child.wait();

    let n = records.len();
    println!("| papers | first build | save → files on disk (median / p90) | save → browser shows it (median / p90) | files rewritten per save (median) |");
    println!("| ---: | ---: | ---: | ---: | ---: |");
    let browser_cell = if to_browser.is_empty() {
        "skipped: no Chromium".to_string()
    } else {
        format!(
            "{:.0} ms / {:.0} ms",
            median(&mut to_browser.clone()),
            p90(&mut to_browser)
        )
    };
    println!(
        "| {n} | {:.1} s | {:.0} ms / {:.0} ms | {browser_cell} | {:.0} |",
        first_build.as_secs_f64(),
        median(&mut to_disk.clone()),
        p90(&mut to_disk),
        median(&mut written),
    );
}

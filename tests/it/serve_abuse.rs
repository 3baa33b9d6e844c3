//! The dev server under abuse, on loopback: many concurrent requests,
//! path traversal, idle half-open connections, other methods, huge headers.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::browser::Server;
use crate::util::TestSite;

fn addr(url: &str) -> String {
    url.trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string()
}

/// Sends raw bytes and returns the status line's code (0 if the server
/// closed the connection without answering).
fn raw(addr: &str, request: &[u8]) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = s.write_all(request);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let code = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (code, text)
}

fn get(addr: &str, path: &str) -> (u16, String) {
    raw(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

#[test]
fn serves_ten_thousand_requests_from_fifty_connections() {
    let site = TestSite::fixture("full");
    let server = Server::start(site.root());
    let url = server.url.clone();
    let start = Instant::now();
    let handles: Vec<_> = (0..50)
        .map(|t| {
            let url = url.clone();
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .build()
                    .into();
                let paths = [
                    "",
                    "papers/2001.00001/",
                    "static/style.css",
                    "search/meta.js",
                    "nope/",
                ];
                let mut errors = 0;
                for i in 0..200 {
                    let path = paths[(i + t) % paths.len()];
                    match agent.get(format!("{url}{path}")).call() {
                        Ok(r) if r.status() == 200 || (path == "nope/" && r.status() == 404) => {}
                        _ => errors += 1,
                    }
                }
                errors
            })
        })
        .collect();
    let errors: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(
        errors,
        0,
        "failed requests out of 10,000 ({:?})",
        start.elapsed()
    );
}

#[test]
fn refuses_paths_outside_the_output() {
    let site = TestSite::fixture("full");
    std::fs::write(site.root().join("secret.txt"), "SECRET").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        site.root().join("secret.txt"),
        site.root().join("output-link"),
    )
    .unwrap();
    let server = Server::start(site.root());
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        site.root().join("secret.txt"),
        site.root().join("output/static/leak.txt"),
    )
    .unwrap();
    let a = addr(&server.url);
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/static/..%2f..%2fsecret.txt",
        "/static/%5c..%5c..%5csecret.txt",
        "//etc/passwd",
        "/static/leak.txt",
        "/%00",
    ] {
        let (code, body) = get(&a, path);
        assert!(code == 400 || code == 404, "{path}: status {code}");
        assert!(
            !body.contains("SECRET") && !body.contains("root:"),
            "{path} leaked a file"
        );
    }
    let (code, text) = raw(
        &a,
        b"GET http://evil.example/../secret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(
        !text.contains("SECRET"),
        "absolute-form request leaked a file (status {code})"
    );
}

#[test]
fn refuses_other_methods_and_huge_headers() {
    let site = TestSite::fixture("full");
    let server = Server::start(site.root());
    let a = addr(&server.url);
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let (code, _) = raw(
            &a,
            format!(
                "{method} / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        );
        assert_eq!(code, 405, "{method}");
    }
    let (code, _) = raw(
        &a,
        b"HEAD /papers/2001.00001/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(code, 200, "HEAD");
    let huge = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        "a".repeat(2 << 20)
    );
    let (code, _) = raw(&a, huge.as_bytes());
    assert_ne!(code, 200, "a 2 MB header was accepted");
    assert_eq!(get(&a, "/").0, 200, "the server still answers");
}

#[test]
fn idle_half_open_connections_do_not_block_others() {
    let site = TestSite::fixture("full");
    let server = Server::start(site.root());
    let a = addr(&server.url);
    let idle: Vec<TcpStream> = (0..200)
        .map(|i| {
            let mut s = TcpStream::connect(&a).unwrap();
            if i % 2 == 0 {
                // Half a request, never finished.
                let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n");
            }
            s
        })
        .collect();
    let start = Instant::now();
    assert_eq!(get(&a, "/papers/2001.00001/").0, 200);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "a request waited {:?} behind idle connections",
        start.elapsed()
    );
    drop(idle);
}

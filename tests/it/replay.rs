//! A local HTTP server that answers as a web API would, from a function of
//! the request's path and query, and logs what it was asked and when:
//! tests of `import --fetch` never reach the internet.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    pub query: String,
    pub at: Instant,
}

impl Request {
    /// Path and query: what identifies the request.
    pub fn query_key(&self) -> String {
        format!("{}?{}", self.path, self.query)
    }
}

type Answer = (u16, String);

pub struct Replay {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Request>>>,
    /// Answers given once, in place of the function's, to the first request
    /// whose query contains the key.
    once: Arc<Mutex<Vec<(String, Answer)>>>,
}

impl Replay {
    pub fn start(answer: impl Fn(&str, &str) -> Answer + Send + 'static) -> Replay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let log: Arc<Mutex<Vec<Request>>> = Arc::default();
        let once: Arc<Mutex<Vec<(String, Answer)>>> = Arc::default();
        let (l, o) = (Arc::clone(&log), Arc::clone(&once));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut first = String::new();
                if reader.read_line(&mut first).is_err() {
                    continue;
                }
                // The headers: a GET has no body.
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let target = first.split_whitespace().nth(1).unwrap_or("/").to_string();
                let (path, query) = target.split_once('?').unwrap_or((&target, ""));
                l.lock().unwrap().push(Request {
                    path: path.to_string(),
                    query: query.to_string(),
                    at: Instant::now(),
                });
                let canned = {
                    let mut once = o.lock().unwrap();
                    let at = once
                        .iter()
                        .position(|(key, _)| query.contains(key.as_str()));
                    at.map(|i| once.remove(i).1)
                };
                let (status, body) = canned.unwrap_or_else(|| answer(path, query));
                let retry = if status == 429 {
                    "Retry-After: 1\r\n"
                } else {
                    ""
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{retry}Connection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Replay { addr, log, once }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The next request whose query contains `key` gets this answer.
    pub fn fail_once(&self, key: &str, status: u16, body: &str) {
        self.once
            .lock()
            .unwrap()
            .push((key.to_string(), (status, body.to_string())));
    }

    pub fn log(&self) -> Vec<Request> {
        self.log.lock().unwrap().clone()
    }
}

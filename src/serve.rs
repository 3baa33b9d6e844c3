//! The dev server: serves output/ over HTTP, rebuilds on every change
//! (see [`crate::watch`]) and tells open pages to reload through
//! server-sent events. A build error is shown in the terminal and as an
//! overlay on open pages; the last good site stays served.
//!
//! The live-reload script is injected into HTML responses only, never into
//! the files on disk, so output/ equals what `paperhub build` writes (with
//! `base_url` set to the server's address).

use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

use crate::build::BuildOptions;
use crate::error::{Error, Result};
use crate::watch::{self, Event, Rebuilt};

/// The path under which the server's own endpoints live; no site page can
/// have it (site paths never start with `__`).
const PREFIX: &str = "/__paperhub/";

/// What the server tells open pages.
#[derive(Debug, Clone)]
pub enum Message {
    /// Pages changed: reload.
    Reload,
    /// Only stylesheets changed: swap them without a reload.
    Css,
    /// The build failed: show this text over the page.
    BuildError(String),
    /// The build is good again (nothing to reload): hide the overlay.
    Ok,
}

/// Shared between the HTTP handlers and the rebuild loop.
struct Shared {
    output: PathBuf,
    tx: broadcast::Sender<Message>,
    /// The current build error, sent to pages that connect while it lasts.
    error: Mutex<Option<String>>,
}

/// Options of `paperhub serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub addr: SocketAddr,
    pub open: bool,
}

/// Binds, builds, serves and watches until the process is stopped.
/// `report` gets each rebuild's outcome and, first, the bound address.
pub fn serve(opts: ServeOptions, mut report: impl FnMut(Served) + Send + 'static) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::usage(format!("cannot start the server: {e}"), "try again"))?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(opts.addr))
        .map_err(|e| {
            Error::usage(
                format!("cannot listen on {}: {e}", opts.addr),
                "another program may use this port; pass another with --port, or --port 0 for any free one",
            )
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::usage(e.to_string(), "try again"))?;
    let host = if addr.ip().is_unspecified() {
        SocketAddr::new([127, 0, 0, 1].into(), addr.port())
    } else {
        addr
    };
    let url = format!("http://{host}/");

    let mut build = opts.build.clone();
    build.base_url = Some(url.clone());
    let config = crate::build::load_config(&build)?;
    let (tx, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        output: config.output_dir.clone(),
        tx,
        error: Mutex::new(None),
    });

    report(Served::Listening(url.clone()));
    let watcher_shared = Arc::clone(&shared);
    std::thread::spawn(move || {
        let result = watch::watch(build, |event| {
            let message = match &event {
                Event::Rebuilt(r) => {
                    *watcher_shared.error.lock().expect("lock") = None;
                    Some(message_for(r))
                }
                Event::Failed(e) => {
                    let text = e.to_string();
                    *watcher_shared.error.lock().expect("lock") = Some(text.clone());
                    Some(Message::BuildError(text))
                }
                Event::Saved(_) => None,
            };
            if let Some(message) = message {
                // No receivers is fine: no page is open.
                let _ = watcher_shared.tx.send(message);
            }
            report(Served::Event(event));
        });
        if let Err(e) = result {
            eprintln!("error: the watcher stopped: {e}");
        }
    });
    if opts.open {
        open_browser(&url);
    }

    let app = Router::new()
        .route(&format!("{PREFIX}events"), get(events))
        .route(&format!("{PREFIX}livereload.js"), get(livereload_js))
        .fallback(files)
        .with_state(shared);
    runtime
        .block_on(async { axum::serve(listener, app).await })
        .map_err(|e| Error::usage(format!("the server stopped: {e}"), "start it again"))
}

/// What `serve` reports as it runs.
pub enum Served<'a> {
    Listening(String),
    Event(Event<'a>),
}

/// Reload when pages changed; swap stylesheets when only CSS did.
fn message_for(r: &Rebuilt) -> Message {
    if r.written.is_empty() && r.removed.is_empty() {
        Message::Ok
    } else if r.removed.is_empty() && r.written.iter().all(|p| p.ends_with(".css")) {
        Message::Css
    } else {
        Message::Reload
    }
}

async fn events(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let current = shared
        .error
        .lock()
        .expect("lock")
        .clone()
        .map(Message::BuildError);
    let updates = BroadcastStream::new(shared.tx.subscribe()).filter_map(|m| m.ok());
    let stream = tokio_stream::iter(current).chain(updates).map(|m| {
        Ok::<_, std::convert::Infallible>(match m {
            Message::Reload => SseEvent::default().event("reload").data("reload"),
            Message::Css => SseEvent::default().event("css").data("css"),
            Message::Ok => SseEvent::default().event("ok").data("ok"),
            Message::BuildError(text) => SseEvent::default().event("build-error").data(text),
        })
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn livereload_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LIVERELOAD_JS,
    )
}

/// Serves a file of output/: GET and HEAD only, never a path outside it,
/// the site's 404 page for anything missing.
async fn files(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "only GET and HEAD\n",
        )
            .into_response();
    }
    let head = req.method() == Method::HEAD;
    let path = req.uri().path().to_string();
    let output = shared.output.clone();
    let found = tokio::task::spawn_blocking(move || resolve(&output, &path)).await;
    let response = match found {
        Ok(Resolved::File(file)) => match tokio::fs::read(&file).await {
            Ok(bytes) => respond(StatusCode::OK, &file, bytes),
            Err(_) => not_found(&shared.output).await,
        },
        Ok(Resolved::Redirect(to)) => {
            (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response()
        }
        Ok(Resolved::Missing) | Err(_) => not_found(&shared.output).await,
        Ok(Resolved::Refused) => (StatusCode::BAD_REQUEST, "bad path\n").into_response(),
    };
    if head {
        let (parts, _) = response.into_parts();
        return Response::from_parts(parts, Body::empty());
    }
    response
}

async fn not_found(output: &Path) -> Response {
    let page = output.join("404.html");
    match tokio::fs::read(&page).await {
        Ok(bytes) => respond(StatusCode::NOT_FOUND, &page, bytes),
        Err(_) => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

fn respond(status: StatusCode, file: &Path, bytes: Vec<u8>) -> Response {
    let kind = content_type(file);
    let body = if kind.starts_with("text/html") {
        inject(bytes)
    } else {
        bytes
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// Adds the live-reload script before `</body>`.
fn inject(mut html: Vec<u8>) -> Vec<u8> {
    let script = format!("<script src=\"{PREFIX}livereload.js\"></script>");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, script.bytes());
    html
}

/// What a request path names.
#[derive(Debug, PartialEq, Eq)]
enum Resolved {
    File(PathBuf),
    /// A folder asked for without its trailing slash.
    Redirect(String),
    Missing,
    /// Not a path of this site (`..`, encoded separators, NUL).
    Refused,
}

/// Maps a request path to a file under `output`, refusing anything that
/// could leave it: `..` segments, encoded slashes or backslashes, NUL, and
/// symbolic links that point outside.
fn resolve(output: &Path, raw: &str) -> Resolved {
    let Some(decoded) = percent_decode(raw) else {
        return Resolved::Refused;
    };
    let mut rel = PathBuf::new();
    for seg in decoded.split('/').filter(|s| !s.is_empty()) {
        if seg == "."
            || seg == ".."
            || seg.contains(['\\', '\0'])
            || Path::new(seg).components().count() != 1
        {
            return Resolved::Refused;
        }
        if !matches!(
            Path::new(seg).components().next(),
            Some(Component::Normal(_))
        ) {
            return Resolved::Refused;
        }
        rel.push(seg);
    }
    let mut file = output.join(&rel);
    if file.is_dir() {
        if !raw.ends_with('/') {
            // Built from the cleaned path: `//static` must not redirect to
            // another host.
            let clean = rel.to_string_lossy().replace('\\', "/");
            return Resolved::Redirect(format!("/{clean}/"));
        }
        file = file.join("index.html");
    }
    let (Ok(real), Ok(base)) = (file.canonicalize(), output.canonicalize()) else {
        return Resolved::Missing;
    };
    if !real.starts_with(&base) || !real.is_file() {
        return Resolved::Missing;
    }
    Resolved::File(real)
}

/// Decodes `%XX` escapes; `None` for bad escapes, encoded `/` or `\`, or
/// text that is not UTF-8.
fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            let b = u8::from_str_radix(hex, 16).ok()?;
            if b == b'/' || b == b'\\' || b == 0 {
                return None;
            }
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "bib" => "application/x-bibtex; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(program)
        .arg(url)
        .spawn()
        .is_err()
    {
        eprintln!("Could not start a browser; open {url} yourself.");
    }
}

/// The page side of live reload: reload on `reload`, swap stylesheets on
/// `css`, show build errors in an overlay (as text, never as HTML).
const LIVERELOAD_JS: &str = include_str!("livereload.js");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_leave_the_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        std::fs::create_dir_all(out.join("papers/x")).unwrap();
        std::fs::write(out.join("papers/x/index.html"), "x").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "s").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), out.join("link.txt")).unwrap();
        let cases = [
            (
                "/papers/x/",
                Resolved::File(out.join("papers/x/index.html").canonicalize().unwrap()),
            ),
            ("/papers/x", Resolved::Redirect("/papers/x/".into())),
            ("//papers/x", Resolved::Redirect("/papers/x/".into())),
            ("/../secret.txt", Resolved::Refused),
            ("/%2e%2e/secret.txt", Resolved::Refused),
            ("/papers%2f..%2f..%2fsecret.txt", Resolved::Refused),
            ("/papers/%5c..%5csecret.txt", Resolved::Refused),
            ("/%00", Resolved::Refused),
            ("/link.txt", Resolved::Missing),
            ("/nothing/", Resolved::Missing),
        ];
        for (raw, want) in cases {
            assert_eq!(resolve(&out, raw), want, "case {raw}");
        }
    }

    #[test]
    fn injects_the_script_before_the_body_ends() {
        let html = inject(b"<html><body><p>x</p></BODY></html>".to_vec());
        let html = String::from_utf8(html).unwrap();
        assert!(
            html.contains("<p>x</p><script src=\"/__paperhub/livereload.js\"></script></BODY>"),
            "{html}"
        );
    }
}

//! `paperhub import s2|openalex --fetch ID`: asks the public APIs for a
//! paper and the papers that cite it (or that it cites), and imports the
//! responses as the file import would.
//!
//! Polite by construction: one request a second without a key, retries
//! with backoff on 429 and 5xx (honouring `Retry-After`), and every
//! response kept on disk under `.import-cache/`, so an interrupted or
//! repeated run asks nothing twice. `S2_API_URL` and `OPENALEX_API_URL`
//! point it elsewhere (a mirror, or a test's replay server).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::s2::Ids;
use crate::config::ImportConfig;
use crate::error::{Error, Result};

/// The folder under a site's root that keeps fetched responses.
pub const CACHE_DIR: &str = ".import-cache";

const S2_API: &str = "https://api.semanticscholar.org/graph/v1";
const OPENALEX_API: &str = "https://api.openalex.org";

/// The paper fields asked for, for a record.
const S2_PAPER_FIELDS: &str = "paperId,externalIds,title,authors,year,publicationDate,venue,journal,url,openAccessPdf,abstract,tldr,citationCount,referenceCount";
/// The same inside a citation, plus what the citation says. `tldr` cannot
/// be asked for in a page of citations.
const S2_EDGE_FIELDS: &str = "contexts,intents,isInfluential,paperId,externalIds,title,authors,year,publicationDate,venue,journal,url,openAccessPdf,abstract";
/// Semantic Scholar serves no citation past the 10,000th of a paper
/// (`offset + limit < 10000`).
const S2_WINDOW: usize = 9_999;

/// What to fetch besides the paper itself.
#[derive(Debug, Clone)]
pub struct Options {
    /// The papers citing it (the default when neither is asked for).
    pub citations: bool,
    /// The papers it cites.
    pub references: bool,
    /// At most this many citations and this many references.
    pub limit: Option<usize>,
    /// Items per request (at most 1000 for Semantic Scholar, 100 for
    /// OpenAlex).
    pub page_size: Option<usize>,
    /// Ask again even for responses already on disk.
    pub refresh: bool,
    /// Show a progress bar (on a terminal).
    pub progress: bool,
}

/// What fetching left: the response files, in order, and what to say.
#[derive(Debug, Default)]
pub struct Fetched {
    pub files: Vec<PathBuf>,
    /// The paper's id in the form the importer takes (`--of`).
    pub of: Option<String>,
    /// Requests sent, and answers read from the cache instead.
    pub requests: usize,
    pub cached: usize,
    pub notes: Vec<String>,
}

/// Fetches paper `id` and, as `opts` asks, its citations and references
/// from Semantic Scholar's Graph API.
pub fn s2(root: &Path, id: &str, keys: &ImportConfig, opts: &Options) -> Result<Fetched> {
    let target = Ids::parse(id)?;
    let auth = match env("S2_API_KEY").or_else(|| keys.s2_api_key.clone()) {
        Some(k) => Auth::Header("x-api-key", k),
        None => Auth::None,
    };
    let base = env("S2_API_URL").unwrap_or_else(|| S2_API.to_string());
    let mut client = Client::new(root, "s2", &base, opts, auth)?;
    let mut out = Fetched::default();
    let path = format!("/paper/{}", encode(&target.api_form()));
    let (file, paper) = client.get(&path, &[("fields", S2_PAPER_FIELDS)])?;
    out.files.push(file);
    let paper_id = paper["paperId"].as_str().map(str::to_string);
    out.of = Some(paper_id.clone().unwrap_or_else(|| target.api_form()));
    let api_id = paper_id.unwrap_or_else(|| target.api_form());
    let page_size = opts.page_size.unwrap_or(1000).clamp(1, 1000);
    let mut lists = Vec::new();
    if opts.citations || !opts.references {
        lists.push(("citations", paper["citationCount"].as_u64()));
    }
    if opts.references {
        lists.push(("references", paper["referenceCount"].as_u64()));
    }
    for (list, count) in lists {
        let want = opts.limit.unwrap_or(usize::MAX);
        let total = count.map_or(want, |c| (c as usize).min(want));
        client.progress(list, total);
        let path = format!("/paper/{}/{list}", encode(&api_id));
        let mut offset = 0;
        let mut got = 0;
        while got < want {
            let limit = page_size
                .min(want - got)
                .min(S2_WINDOW.saturating_sub(offset));
            if limit == 0 {
                out.notes.push(format!(
                    "Semantic Scholar serves the first {S2_WINDOW} {list} of a paper only; the rest need its Datasets API"
                ));
                break;
            }
            let (offset_s, limit_s) = (offset.to_string(), limit.to_string());
            let query = [
                ("fields", S2_EDGE_FIELDS),
                ("offset", offset_s.as_str()),
                ("limit", limit_s.as_str()),
            ];
            let (file, page) = client.get(&path, &query)?;
            out.files.push(file);
            let n = page["data"].as_array().map_or(0, Vec::len);
            got += n;
            client.advance(n);
            // The last page has no `next`; some end early with no data.
            match page["next"].as_u64() {
                Some(next) if n > 0 => offset = next as usize,
                _ => break,
            }
        }
        client.done();
    }
    out.requests = client.requests;
    out.cached = client.cached;
    Ok(out)
}

/// Fetches work `id` (`W…`, a DOI) and the works citing it from OpenAlex.
/// OpenAlex has no citing sentences or intents: citations stay bare.
pub fn openalex(root: &Path, id: &str, keys: &ImportConfig, opts: &Options) -> Result<Fetched> {
    let base = env("OPENALEX_API_URL").unwrap_or_else(|| OPENALEX_API.to_string());
    let auth = match env("OPENALEX_API_KEY").or_else(|| keys.openalex_api_key.clone()) {
        Some(k) => Auth::Query("api_key", k),
        None => Auth::None,
    };
    let mailto = env("OPENALEX_MAILTO").or_else(|| keys.openalex_mailto.clone());
    let mut client = Client::new(root, "openalex", &base, opts, auth)?;
    let mut params: Vec<(&str, String)> = Vec::new();
    if let Some(m) = mailto {
        params.push(("mailto", m));
    }
    let id = openalex_id(id)?;
    let mut out = Fetched::default();
    let query: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (file, work) = client.get(&format!("/works/{}", encode(&id)), &query)?;
    out.files.push(file);
    let short = work["id"]
        .as_str()
        .and_then(|w| w.rsplit('/').next())
        .unwrap_or_default()
        .to_string();
    if short.is_empty() {
        return Err(Error::usage(
            format!("OpenAlex answered for `{id}` without a work id"),
            "check the id; it should be a W… id or a DOI",
        ));
    }
    if opts.references && !opts.citations {
        // A work carries its references: nothing more to ask.
        out.requests = client.requests;
        out.cached = client.cached;
        return Ok(out);
    }
    let want = opts.limit.unwrap_or(usize::MAX);
    let total = work["cited_by_count"]
        .as_u64()
        .map_or(want, |c| (c as usize).min(want));
    client.progress("citing works", total);
    let page_size = opts.page_size.unwrap_or(100).clamp(1, 100);
    let filter = format!("cites:{short}");
    let mut cursor = "*".to_string();
    let mut got = 0;
    while got < want {
        let per_page = page_size.min(want - got).to_string();
        let mut query = query.clone();
        query.extend([
            ("filter", filter.as_str()),
            ("per_page", per_page.as_str()),
            ("cursor", cursor.as_str()),
        ]);
        let (file, page) = client.get("/works", &query)?;
        out.files.push(file);
        let n = page["results"].as_array().map_or(0, Vec::len);
        got += n;
        client.advance(n);
        match page["meta"]["next_cursor"].as_str() {
            Some(next) if n > 0 => cursor = next.to_string(),
            _ => break,
        }
    }
    client.done();
    out.requests = client.requests;
    out.cached = client.cached;
    Ok(out)
}

/// An environment variable that is set and not empty.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// How a service learns who asks.
enum Auth {
    None,
    /// A header (`x-api-key`); redirects are then not followed, so that
    /// the key goes to no other host.
    Header(&'static str, String),
    /// A query parameter (`api_key`), sent but never written into a cache
    /// file's name or a message.
    Query(&'static str, String),
}

/// `W123`, `https://openalex.org/W123`, `10.1/x`, `doi:10.1/x` or
/// `https://doi.org/10.1/x`, as OpenAlex's `/works/` takes it.
fn openalex_id(id: &str) -> Result<String> {
    let id = id.trim();
    let short = id.rsplit('/').next().unwrap_or(id);
    if short.len() > 1
        && short.starts_with(['W', 'w'])
        && short[1..].bytes().all(|b| b.is_ascii_digit())
        && !id.contains("doi.org")
    {
        return Ok(short.to_uppercase());
    }
    let doi = super::bare_doi(id);
    if doi.starts_with("10.") {
        return Ok(format!("doi:{doi}"));
    }
    Err(Error::usage(
        format!("`{id}` is not an OpenAlex work id or a DOI"),
        "write it as W2741809807 or as a DOI such as 10.7717/peerj.4375",
    ))
}

/// Percent-encodes what a path segment or query value cannot hold as is.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b':'
            | b'/'
            | b','
            | b'*' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// One service's client: its base URL, its pace, its cache.
struct Client {
    agent: ureq::Agent,
    base: String,
    service: &'static str,
    cache: PathBuf,
    refresh: bool,
    auth: Auth,
    /// The least time between two requests.
    interval: Duration,
    last: Option<Instant>,
    requests: usize,
    cached: usize,
    show: bool,
    bar: Option<indicatif::ProgressBar>,
}

/// Attempts per request before giving up on 429 and 5xx answers.
const ATTEMPTS: u32 = 6;
/// The longest wait between attempts a server may ask for.
const LONGEST_WAIT: Duration = Duration::from_secs(120);

impl Client {
    fn new(
        root: &Path,
        service: &'static str,
        base: &str,
        opts: &Options,
        auth: Auth,
    ) -> Result<Client> {
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return Err(Error::usage(
                format!("the {service} API address `{base}` is not an http(s) URL"),
                "set S2_API_URL or OPENALEX_API_URL to an address such as https://api.semanticscholar.org/graph/v1, or unset it",
            ));
        }
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .user_agent(concat!("paperhub/", env!("CARGO_PKG_VERSION")));
        if matches!(auth, Auth::Header(..)) {
            config = config.max_redirects(0).max_redirects_will_error(false);
        }
        // A key buys OpenAlex ten requests a second, a tenth of its limit;
        // Semantic Scholar's keys allow one.
        let interval = match (&auth, service) {
            (Auth::Query(..), "openalex") => Duration::from_millis(100),
            _ => Duration::from_secs(1),
        };
        Ok(Client {
            agent: config.build().into(),
            base: base.trim_end_matches('/').to_string(),
            service,
            cache: root.join(CACHE_DIR).join(service),
            refresh: opts.refresh,
            auth,
            interval,
            last: None,
            requests: 0,
            cached: 0,
            show: opts.progress,
            bar: None,
        })
    }

    fn progress(&mut self, what: &str, total: usize) {
        if !self.show {
            return;
        }
        let bar = indicatif::ProgressBar::new(total as u64);
        let style = indicatif::ProgressStyle::with_template(
            "{prefix} {bar:30} {pos}/{len} {msg} ({elapsed})",
        )
        .expect("a valid template");
        bar.set_style(style);
        bar.set_prefix(format!("{} {what}", self.service));
        self.bar = Some(bar);
    }

    fn advance(&self, n: usize) {
        if let Some(b) = &self.bar {
            b.inc(n as u64);
        }
    }

    fn done(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish();
        }
    }

    /// The response to `path?query`, from the cache or the service, as the
    /// file that holds it and its JSON.
    fn get(&mut self, path: &str, query: &[(&str, &str)]) -> Result<(PathBuf, Value)> {
        let mut url = format!("{}{path}", self.base);
        for (i, (k, v)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&format!("{k}={}", encode(v)));
        }
        let file = self.cache.join(cache_name(&self.base, path, query));
        if !self.refresh {
            if let Some(v) = std::fs::read_to_string(&file)
                .ok()
                .and_then(|t| serde_json::from_str::<Value>(&t).ok())
            {
                self.cached += 1;
                return Ok((file, v));
            }
        }
        let mut sent = url.clone();
        if let Auth::Query(k, v) = &self.auth {
            sent.push(if query.is_empty() { '?' } else { '&' });
            sent.push_str(&format!("{k}={}", encode(v)));
        }
        let body = self.ask(&url, &sent)?;
        let value: Value = serde_json::from_str(&body).map_err(|e| Error::Fetch {
            url: url.clone(),
            status: 200,
            message: format!("the answer is not JSON ({e})"),
        })?;
        std::fs::create_dir_all(&self.cache).map_err(|e| Error::write(&self.cache, e))?;
        // Through a temporary file: a killed run leaves no half response.
        let tmp = file.with_extension("tmp");
        std::fs::write(&tmp, &body).map_err(|e| Error::write(&tmp, e))?;
        std::fs::rename(&tmp, &file).map_err(|e| Error::write(&file, e))?;
        Ok((file, value))
    }

    /// Sends `sent` (`url` with its secret) until it is answered, waiting
    /// out the pace and backing off on 429, 5xx and broken answers.
    fn ask(&mut self, url: &str, sent: &str) -> Result<String> {
        let mut backoff = Duration::from_secs(1);
        for attempt in 1..=ATTEMPTS {
            if let Some(last) = self.last {
                let next = last + self.interval;
                let now = Instant::now();
                if next > now {
                    std::thread::sleep(next - now);
                }
            }
            self.last = Some(Instant::now());
            self.requests += 1;
            let mut request = self.agent.get(sent);
            if let Auth::Header(k, v) = &self.auth {
                request = request.header(*k, v.as_str());
            }
            // Status 0: no answer. `transient`: worth another try.
            let (status, wait, body, transient) = match request.call() {
                Ok(mut r) => {
                    let status = r.status().as_u16();
                    let wait = r
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    let body = r
                        .body_mut()
                        .with_config()
                        .limit(256 * 1024 * 1024)
                        .read_to_string();
                    let valid = body
                        .as_ref()
                        .is_ok_and(|b| serde_json::from_str::<serde::de::IgnoredAny>(b).is_ok());
                    if valid && (200..300).contains(&status) {
                        return Ok(body.unwrap_or_default());
                    }
                    // A broken answer, a busy or failing service.
                    let transient = matches!(status, 200..=299 | 429 | 500..=599);
                    (status, wait, body.map_err(|e| e.to_string()), transient)
                }
                Err(e) => {
                    // A connection that failed or stalled; not a bad
                    // address or TLS setup.
                    let transient = matches!(
                        e,
                        ureq::Error::Io(_)
                            | ureq::Error::Timeout(_)
                            | ureq::Error::ConnectionFailed
                            | ureq::Error::HostNotFound
                            | ureq::Error::BodyStalled
                    );
                    (0, None, Err(e.to_string()), transient)
                }
            };
            if !transient || attempt == ATTEMPTS {
                let mut message = match &body {
                    Ok(b) => said(b),
                    Err(e) => e.clone(),
                };
                if let Auth::Query(_, key) | Auth::Header(_, key) = &self.auth {
                    message = message
                        .replace(key.as_str(), "***")
                        .replace(&encode(key), "***");
                }
                return Err(Error::Fetch {
                    url: url.to_string(),
                    status,
                    message,
                });
            }
            let pause = wait.unwrap_or(backoff).min(LONGEST_WAIT);
            if let Some(b) = &self.bar {
                b.set_message(format!("{status}: waiting {}s", pause.as_secs()));
            }
            std::thread::sleep(pause);
            backoff *= 2;
            // The wait already spaces this from the last request.
            self.last = None;
        }
        unreachable!("the last attempt returns")
    }
}

/// What an error answer says: its `error` or `message`, or its start.
fn said(body: &str) -> String {
    if let Ok(v) = serde_json::from_str::<Value>(body) {
        for k in ["error", "message"] {
            if let Some(m) = v[k].as_str() {
                return m.to_string();
            }
        }
    }
    let text: String = body.chars().take(200).collect();
    if text.trim().is_empty() {
        "no message".to_string()
    } else {
        text
    }
}

/// A file name for a response: the request, readable, and a hash of it
/// (fields and all), so that asking for other fields asks again.
fn cache_name(base: &str, path: &str, query: &[(&str, &str)]) -> String {
    use std::hash::BuildHasher;
    let hash = rustc_hash::FxBuildHasher.hash_one((base, path, query));
    let mut name: String = path
        .trim_start_matches('/')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    for (k, v) in query {
        if matches!(*k, "offset" | "cursor") {
            let v: String = v
                .chars()
                .take(40)
                .filter(|c| c.is_ascii_alphanumeric())
                .collect();
            name.push_str(&format!("-{k}-{v}"));
        }
    }
    name.truncate(120);
    format!("{name}-{hash:016x}.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openalex_ids_in_their_forms() {
        assert_eq!(
            openalex_id("https://openalex.org/W2741809807").unwrap(),
            "W2741809807"
        );
        assert_eq!(openalex_id("w12").unwrap(), "W12");
        assert_eq!(
            openalex_id("https://doi.org/10.7717/peerj.4375").unwrap(),
            "doi:10.7717/peerj.4375"
        );
        assert_eq!(openalex_id("10.1/x").unwrap(), "doi:10.1/x");
        assert!(openalex_id("arXiv:1911.03030").is_err());
    }

    #[test]
    fn cache_names_are_readable_and_differ_by_request() {
        let path = "/paper/arXiv:1911.03030/citations";
        let a = cache_name(S2_API, path, &[("fields", "a"), ("offset", "0")]);
        let b = cache_name(S2_API, path, &[("fields", "a"), ("offset", "1000")]);
        let mirror = cache_name("http://mirror", path, &[("fields", "a"), ("offset", "0")]);
        assert_ne!(a, mirror, "another service's answers are not this one's");
        assert!(
            a.starts_with("paper-arXiv-1911.03030-citations-offset-0-"),
            "{a}"
        );
        assert_ne!(a, b);
        assert_eq!(encode("DOI:10.1/a b"), "DOI:10.1/a%20b");
    }
}

//! The library's error type. Content problems carry every diagnostic found;
//! I/O and usage errors carry the path or option they concern.

use std::io;
use std::path::PathBuf;

use crate::diag::Diagnostics;

/// Everything that can stop a build.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the user's content, config or templates; all of them.
    #[error("{0}")]
    Content(Diagnostics),
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    /// A request that cannot be carried out as given (bad option, refused folder).
    #[error("{message}\n  = hint: {hint}")]
    Usage { message: String, hint: String },
    /// Some of the input was used and some skipped (reported already).
    #[error("{0}")]
    Partial(String),
    /// The output is over the limits of the site's host (`--strict`).
    #[error("the output does not fit the host site.yaml names:\n{}", .0.iter().map(|m| format!("  - {m}")).collect::<Vec<_>>().join("\n"))]
    OverBudget(Vec<String>),
    /// A web service refused a request (`import --fetch`), after retries
    /// where retrying made sense. Status 0: no answer at all.
    #[error("{url} answered {}: {message}\n  = hint: {}", if *status == 0 { "nothing".to_string() } else { format!("HTTP {status}") }, fetch_hint(*status))]
    Fetch {
        url: String,
        status: u16,
        message: String,
    },
}

fn fetch_hint(status: u16) -> &'static str {
    match status {
        401 | 403 => "check the API key (S2_API_KEY, OPENALEX_API_KEY); what was fetched so far is kept in .import-cache/",
        404 => "check the paper's id; Semantic Scholar takes arXiv:…, DOI:…, CorpusId:… or a paperId",
        429 => "the service is busy or the daily allowance is used up: run the same command later (or with a key); finished requests are not asked again",
        0 => "check the network (or S2_API_URL / OPENALEX_API_URL); run the same command again to resume",
        _ => "run the same command again to resume; finished requests are kept in .import-cache/",
    }
}

impl Error {
    pub fn read(path: impl Into<PathBuf>, source: io::Error) -> Error {
        Error::Read {
            path: path.into(),
            source,
        }
    }

    pub fn write(path: impl Into<PathBuf>, source: io::Error) -> Error {
        Error::Write {
            path: path.into(),
            source,
        }
    }

    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::Usage {
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// The process exit code: 1 for content errors, 2 for usage and I/O.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Content(_) | Error::Partial(_) | Error::OverBudget(_) => 1,
            _ => 2,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

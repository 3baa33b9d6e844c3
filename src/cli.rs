//! The command line: one variant per subcommand (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// A static site generator for paper hubs: one record per paper in, a page
/// per paper and a hub per cited work out.
#[derive(Debug, Parser)]
#[command(name = "paperhub", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into output/ (replaced only when the build succeeds).
    Build(BuildArgs),
    /// Build, serve output/ on http://127.0.0.1:1111 and rebuild and reload
    /// open pages on every change.
    Serve(ServeArgs),
    /// Build, then rebuild incrementally on every change (no server).
    Watch(WatchArgs),
    /// Validate records, config and templates without writing anything.
    Check(CheckArgs),
    /// Create a new site in DIR with an example record and page.
    Init(InitArgs),
    /// Create a record skeleton in content/papers/.
    New(NewArgs),
    /// Create and update records from BibTeX, arXiv, OpenAlex or Semantic
    /// Scholar data, read from files or fetched (--fetch).
    ///
    /// Bibliographic fields (title, authors, date, venue, ids, links,
    /// categories) follow the source; what people write (summary, review,
    /// citation roles, polarities and contexts, extra, the body) is never
    /// changed, and citations are only added. Importing the same file again
    /// changes nothing.
    Import(ImportArgs),
}

/// Which site to build and where: shared by build, watch and serve.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site's folder (holding site.yaml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site [default: ROOT/output].
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Include records and pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

impl SiteArgs {
    pub fn options(self, base_url: Option<String>) -> crate::build::BuildOptions {
        crate::build::BuildOptions {
            root: self.root,
            output: self.output,
            base_url,
            drafts: self.drafts,
            strict: false,
            portable: false,
        }
    }
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Override site.yaml's base_url, e.g. https://example.org/hub/.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Print how long each stage of the build took, and the peak memory
    /// (with the footprint by kind of file).
    #[arg(long)]
    pub timings: bool,
    /// Print the output's files and bytes by kind of file.
    #[arg(long)]
    pub footprint: bool,
    /// Write links to folders as `…/index.html`, for a site opened from
    /// disk (a zip, a USB stick, a shared drive).
    #[arg(long)]
    pub portable: bool,
    /// Fail, keeping the previous output, when the output is over the
    /// limits of the host site.yaml names (`host:`).
    #[arg(long)]
    pub strict: bool,
    /// Also print the build's summary as one JSON object on stdout (for
    /// scripts and tests): papers, works, citations, output, files,
    /// changed, rendered, bytes, largest, elapsed_ms, warnings.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Override site.yaml's base_url.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Also print each event as one JSON object per line on stdout (for
    /// scripts and tests): `rebuilt` (number, papers, rendered, written,
    /// removed, elapsed_ms), `failed` (error) and `saved` (ok, elapsed_ms).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The address to listen on; only this machine can connect unless you
    /// choose another (e.g. 0.0.0.0).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// The port to listen on (0: any free port).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Also print each event as one JSON object per line on stdout:
    /// `listening` (url), then those of `watch --json`.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site's folder (holding site.yaml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Check drafts too.
    #[arg(long)]
    pub drafts: bool,
    /// Fail when the output would be over the limits of the host
    /// site.yaml names (`host:`).
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (must be empty or absent).
    pub dir: PathBuf,
    /// Also copy the default theme to themes/default/ to customise it.
    #[arg(long)]
    pub theme: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The paper's id, e.g. an arXiv id ("2402.12345") or a DOI.
    pub id: String,
    /// The paper's title.
    #[arg(long)]
    pub title: String,
    /// The site's folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The input's format.
    #[arg(value_enum)]
    pub format: crate::import::Format,
    /// The files to read, as one input (e.g. a paper and its citations
    /// pages, or Datasets papers and citations lines).
    #[arg(required_unless_present = "fetch")]
    pub files: Vec<PathBuf>,
    /// The paper the Semantic Scholar citations or references pages belong
    /// to: arXiv:…, DOI:…, CorpusId:… or a paperId.
    #[arg(long, value_name = "ID")]
    pub of: Option<String>,
    /// Ask the service for paper ID and the papers citing it, instead of
    /// reading files (s2: arXiv:…, DOI:…, CorpusId:…, a paperId; openalex:
    /// W… or a DOI).
    #[arg(long, value_name = "ID", conflicts_with_all = ["files", "of"])]
    pub fetch: Option<String>,
    /// With --fetch: the papers citing it (the default).
    #[arg(long, requires = "fetch")]
    pub citations: bool,
    /// With --fetch: the papers it cites.
    #[arg(long, requires = "fetch")]
    pub references: bool,
    /// With --fetch: at most N citations (and N references).
    #[arg(long, value_name = "N", requires = "fetch")]
    pub limit: Option<usize>,
    /// With --fetch: items per request (at most 1000 for s2, 100 for openalex).
    #[arg(long, value_name = "N", requires = "fetch")]
    pub page_size: Option<usize>,
    /// With --fetch: ask again for responses already in .import-cache/.
    #[arg(long, requires = "fetch")]
    pub refresh: bool,
    /// The site's folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Print what would change without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the outcome as one JSON object on stdout instead of a line per
    /// change (for scripts and tests): dry_run, created, updated,
    /// unchanged, skipped, and changes (change, path, fields, from).
    #[arg(long)]
    pub json: bool,
}

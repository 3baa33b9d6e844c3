//! `paperhub import`.

use std::io::IsTerminal;

use crate::cli::ImportArgs;
use crate::error::{Error, Result};
use crate::import::{self, fetch, Change, Format};

pub fn run(args: ImportArgs) -> Result<()> {
    if !args.root.join("content").is_dir() && !args.root.join("site.yaml").is_file() {
        return Err(Error::usage(
            format!("{} is not a paperhub site", args.root.display()),
            "run the import in a site's folder or pass --root; `paperhub init DIR` makes one",
        ));
    }
    let (parsed, report) = match &args.fetch {
        Some(id) => {
            let config = crate::config::Config::load(&args.root)?;
            let opts = fetch::Options {
                citations: args.citations,
                references: args.references,
                limit: args.limit,
                page_size: args.page_size,
                refresh: args.refresh,
                progress: std::io::stderr().is_terminal(),
            };
            let fetched = match args.format {
                Format::S2 => fetch::s2(&args.root, id, &config.import, &opts)?,
                Format::Openalex => fetch::openalex(&args.root, id, &config.import, &opts)?,
                other => return Err(Error::usage(
                    format!("--fetch asks Semantic Scholar or OpenAlex, not {other:?}"),
                    "use `paperhub import s2 --fetch ID` or `paperhub import openalex --fetch ID`",
                )),
            };
            eprintln!(
                "Fetched {} response{} ({} request{}, {} from {}/).",
                fetched.files.len(),
                if fetched.files.len() == 1 { "" } else { "s" },
                fetched.requests,
                if fetched.requests == 1 { "" } else { "s" },
                fetched.cached,
                fetch::CACHE_DIR,
            );
            for n in &fetched.notes {
                eprintln!("note: {n}");
            }
            import::run(
                &args.root,
                args.format,
                &fetched.files,
                fetched.of.as_deref(),
                args.dry_run,
            )?
        }
        None => import::run(
            &args.root,
            args.format,
            &args.files,
            args.of.as_deref(),
            args.dry_run,
        )?,
    };
    for n in &parsed.notes {
        eprintln!("note: {n}");
    }
    for d in &parsed.skipped {
        eprintln!("{}\n", d.labelled("skipped"));
    }
    let would = if args.dry_run { "would " } else { "" };
    for (origin, change) in &report.changes {
        if !matches!(change, Change::Unchanged(_)) {
            println!("{would}{change}  ← {origin}");
        }
    }
    let created = report.count(|c| matches!(c, Change::Created(_)));
    let updated = report.count(|c| matches!(c, Change::Updated(..)));
    let unchanged = report.count(|c| matches!(c, Change::Unchanged(_)));
    eprintln!(
        "{} {} entries: {would}create {created}, {would}update {updated}, {unchanged} unchanged, {} skipped{}.",
        if args.dry_run { "Dry run over" } else { "Imported" },
        report.changes.len() + parsed.skipped.len(),
        parsed.skipped.len(),
        if args.dry_run { "; nothing was written" } else { "" },
    );
    if parsed.skipped.is_empty() {
        Ok(())
    } else {
        Err(Error::Partial(format!(
            "{} entr{} skipped (see above); the others were {}",
            parsed.skipped.len(),
            if parsed.skipped.len() == 1 {
                "y was"
            } else {
                "ies were"
            },
            if args.dry_run { "checked" } else { "imported" },
        )))
    }
}

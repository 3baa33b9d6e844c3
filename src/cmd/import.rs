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
    let (parsed, report, fetched) = match &args.fetch {
        Some(id) => {
            let (parsed, report, fetched) = fetch_and_import(&args, id)?;
            (parsed, report, Some(fetched))
        }
        None => {
            let files = &args.files;
            let (parsed, report) = import::run(
                &args.root,
                args.format,
                files,
                args.of.as_deref(),
                args.dry_run,
            )?;
            (parsed, report, None)
        }
    };
    for n in &parsed.notes {
        eprintln!("note: {n}");
    }
    for d in &parsed.skipped {
        eprintln!("{}\n", d.labelled("skipped"));
    }
    let would = if args.dry_run { "would " } else { "" };
    if args.json {
        let mut summary = json(&report, parsed.skipped.len(), args.dry_run);
        if let Some([responses, requests, cached]) = fetched {
            summary["fetched"] =
                serde_json::json!({"responses": responses, "requests": requests, "cached": cached});
        }
        println!("{summary}");
    } else {
        for (origin, change) in &report.changes {
            if !matches!(change, Change::Unchanged(_)) {
                println!("{would}{change}  ← {origin}");
            }
        }
    }
    let [created, updated, unchanged] = counts(&report);
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

/// `--fetch ID`: asks the service, then imports what it answered; also
/// how many responses it read, requests it sent and answers it had kept.
fn fetch_and_import(
    args: &ImportArgs,
    id: &str,
) -> Result<(import::Parsed, import::Report, [usize; 3])> {
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
        other => {
            return Err(Error::usage(
                format!("--fetch asks Semantic Scholar or OpenAlex, not {other:?}"),
                "use `paperhub import s2 --fetch ID` or `paperhub import openalex --fetch ID`",
            ))
        }
    };
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    eprintln!(
        "Fetched {} response{} ({} request{}, {} from {}/).",
        fetched.files.len(),
        plural(fetched.files.len()),
        fetched.requests,
        plural(fetched.requests),
        fetched.cached,
        fetch::CACHE_DIR,
    );
    for n in &fetched.notes {
        eprintln!("note: {n}");
    }
    let (parsed, report) = import::run(
        &args.root,
        args.format,
        &fetched.files,
        fetched.of.as_deref(),
        args.dry_run,
    )?;
    let counts = [fetched.files.len(), fetched.requests, fetched.cached];
    Ok((parsed, report, counts))
}

/// How many records an import created, updated and left unchanged.
fn counts(report: &import::Report) -> [usize; 3] {
    [
        report.count(|c| matches!(c, Change::Created(_))),
        report.count(|c| matches!(c, Change::Updated(..))),
        report.count(|c| matches!(c, Change::Unchanged(_))),
    ]
}

/// The report as one JSON object (`--json`).
fn json(report: &import::Report, skipped: usize, dry_run: bool) -> serde_json::Value {
    let [created, updated, unchanged] = counts(report);
    let changes: Vec<serde_json::Value> = report
        .changes
        .iter()
        .map(|(origin, change)| {
            let (kind, path, fields) = match change {
                Change::Created(p) => ("create", p, &[][..]),
                Change::Updated(p, fields) => ("update", p, &fields[..]),
                Change::Unchanged(p) => ("unchanged", p, &[][..]),
            };
            serde_json::json!({
                "change": kind,
                "path": path.to_string_lossy(),
                "fields": fields,
                "from": {
                    "file": origin.file.to_string_lossy(),
                    "line": origin.line,
                    "name": origin.name,
                },
            })
        })
        .collect();
    serde_json::json!({
        "dry_run": dry_run,
        "created": created,
        "updated": updated,
        "unchanged": unchanged,
        "skipped": skipped,
        "changes": changes,
    })
}

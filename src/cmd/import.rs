//! `paperhub import`.

use crate::cli::ImportArgs;
use crate::error::{Error, Result};
use crate::import::{self, Change};

pub fn run(args: ImportArgs) -> Result<()> {
    if !args.root.join("content").is_dir() && !args.root.join("site.yaml").is_file() {
        return Err(Error::usage(
            format!("{} is not a paperhub site", args.root.display()),
            "run the import in a site's folder or pass --root; `paperhub init DIR` makes one",
        ));
    }
    let (parsed, report) = import::run(&args.root, args.format, &args.file, args.dry_run)?;
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

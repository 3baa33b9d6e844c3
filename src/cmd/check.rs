//! `paperhub check`.

use crate::build::check;
use crate::cli::CheckArgs;
use crate::error::Result;

pub fn run(args: CheckArgs) -> Result<()> {
    let report = check(&args.root, args.drafts, args.strict)?;
    eprintln!(
        "No problems in {} papers ({} works, {} citations); {} files would be written.",
        report.papers, report.works, report.citations, report.files
    );
    eprintln!("Footprint: {}.", report.footprint.line());
    for w in report.warnings.iter().chain(&report.over_budget) {
        eprintln!("warning: {w}");
    }
    Ok(())
}

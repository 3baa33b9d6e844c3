//! `paperhub build`.

use crate::build::{build, BuildOptions};
use crate::cli::BuildArgs;
use crate::error::Result;

pub fn run(args: BuildArgs) -> Result<()> {
    let report = build(&BuildOptions {
        root: args.root,
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
    })?;
    eprintln!(
        "Built {} papers ({} works, {} citations) into {}: {} files in {} ms.",
        report.papers,
        report.works,
        report.citations,
        report.output.display(),
        report.files,
        report.elapsed.as_millis()
    );
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    Ok(())
}

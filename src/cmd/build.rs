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
    if args.timings {
        for (stage, took) in &report.timings {
            eprintln!("{:>10.1} ms  {stage}", took.as_secs_f64() * 1000.0);
        }
    }
    eprintln!(
        "Built {} papers ({} works, {} citations) into {}: {} files ({} changed) in {} ms.",
        report.papers,
        report.works,
        report.citations,
        report.output.display(),
        report.files,
        report.written,
        report.elapsed.as_millis()
    );
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    Ok(())
}

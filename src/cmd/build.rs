//! `paperhub build`.

use crate::build::build;
use crate::cli::BuildArgs;
use crate::error::Result;

pub fn run(args: BuildArgs) -> Result<()> {
    let mut options = args.site.options(args.base_url);
    options.strict = args.strict;
    options.portable = args.portable;
    let report = build(&options)?;
    if args.timings {
        for stage in &report.timings {
            let ms = stage.took.as_secs_f64() * 1000.0;
            match stage.peak_memory {
                Some(bytes) => eprintln!(
                    "{ms:>10.1} ms  {:<40}{:>6.0} MB peak memory",
                    stage.name,
                    bytes as f64 / 1e6
                ),
                None => eprintln!("{ms:>10.1} ms  {}", stage.name),
            }
        }
        if !report.thread_time.is_empty() {
            eprintln!("thread time, summed over threads:");
        }
        for (kind, took) in &report.thread_time {
            eprintln!("{:>10.1} ms  {kind}", took.as_secs_f64() * 1000.0);
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
    eprintln!("Footprint: {}.", report.footprint.line());
    if args.footprint || args.timings {
        eprint!("{}", report.footprint.table());
    }
    for w in report.warnings.iter().chain(&report.over_budget) {
        eprintln!("warning: {w}");
    }
    if args.json {
        let f = &report.footprint;
        let summary = serde_json::json!({
            "papers": report.papers,
            "works": report.works,
            "citations": report.citations,
            "output": report.output.to_string_lossy(),
            "files": report.files,
            "changed": report.written,
            "rendered": report.rendered,
            "bytes": f.total.bytes,
            "largest": {"path": f.largest.0, "bytes": f.largest.1},
            "elapsed_ms": report.elapsed.as_millis() as u64,
            "warnings": report.warnings.iter().chain(&report.over_budget).collect::<Vec<_>>(),
        });
        println!("{summary}");
    }
    Ok(())
}

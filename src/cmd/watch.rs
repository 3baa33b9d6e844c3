//! `paperhub watch`.

use crate::cli::WatchArgs;
use crate::error::Result;
use crate::watch::{watch, Event, Rebuilt, Saved};

pub fn run(args: WatchArgs) -> Result<()> {
    let opts = args.site.options(args.base_url);
    eprintln!(
        "Watching {} for changes (Ctrl-C to stop).",
        opts.root.display()
    );
    watch(opts, |event| {
        if args.json {
            println!("{}", json(&event));
        }
        match event {
            Event::Rebuilt(r) => eprintln!("{}", describe(r)),
            Event::Failed(e) => {
                eprintln!("{e}\nThe last good site is kept; fix the problem and save again.")
            }
            Event::Saved(saved) => timings(saved),
        }
    })
}

/// One line per rebuild, for people; scripts read `--json`.
pub fn describe(r: &Rebuilt) -> String {
    format!(
        "rebuilt #{}: {} papers, {} pages rendered, {} files written, {} removed in {} ms",
        r.number,
        r.papers,
        r.rendered,
        r.written.len(),
        r.removed.len(),
        r.elapsed.as_millis()
    )
}

/// Under `PAPERHUB_TIMINGS`, how long saving the state took.
pub fn timings(saved: &Saved) {
    if std::env::var_os("PAPERHUB_TIMINGS").is_some() {
        eprintln!("timings: state saved in {:?}", saved.elapsed);
    }
}

/// One event as one line of JSON (`watch --json`, `serve --json`).
pub fn json(event: &Event) -> serde_json::Value {
    match event {
        Event::Rebuilt(r) => serde_json::json!({
            "event": "rebuilt",
            "number": r.number,
            "papers": r.papers,
            "rendered": r.rendered,
            "written": r.written,
            "removed": r.removed,
            "elapsed_ms": r.elapsed.as_millis() as u64,
        }),
        Event::Failed(e) => serde_json::json!({
            "event": "failed",
            "error": e.to_string(),
        }),
        Event::Saved(s) => serde_json::json!({
            "event": "saved",
            "ok": s.ok,
            "elapsed_ms": s.elapsed.as_millis() as u64,
        }),
    }
}

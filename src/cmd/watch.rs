//! `paperhub watch`.

use crate::cli::WatchArgs;
use crate::error::Result;
use crate::watch::{watch, Event, Rebuilt};

pub fn run(args: WatchArgs) -> Result<()> {
    let opts = args.site.options(args.base_url);
    eprintln!(
        "Watching {} for changes (Ctrl-C to stop).",
        opts.root.display()
    );
    watch(opts, |event| match event {
        Event::Rebuilt(r) => eprintln!("{}", describe(r)),
        Event::Failed(e) => {
            eprintln!("{e}\nThe last good site is kept; fix the problem and save again.")
        }
    })
}

/// One line per rebuild; tests and scripts read its first words.
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

//! The `paperhub` binary: parse the command line, run it, map the result
//! to an exit code (0 ok, 1 content errors, 2 usage and I/O errors).

use clap::Parser;

// Builds allocate many small strings from several threads at once;
// mimalloc is markedly faster at that than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use paperhub::cli::{Cli, Command};
use paperhub::cmd;

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(a) => cmd::build::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::Serve(a) => {
            keep_freed_memory();
            cmd::serve::run(a)
        }
        Command::Watch(a) => {
            keep_freed_memory();
            cmd::watch::run(a)
        }
        Command::Init(a) => cmd::init::run(a),
        Command::New(a) => cmd::new::run(a),
        Command::Import(a) => cmd::import::run(a),
    };
    if let Err(e) = result {
        match &e {
            // Diagnostics label themselves ("error: ..." per problem).
            paperhub::error::Error::Content(_) => eprintln!("{e}"),
            _ => eprintln!("error: {e}"),
        }
        std::process::exit(e.exit_code());
    }
}

/// `serve` and `watch` rebuild the site again and again, each time
/// allocating about as much as the last. Keeping freed memory for the next
/// rebuild, rather than returning it to the OS to be zeroed and mapped
/// again, made a save at 150,000 papers faster: three saves took 5.7 to
/// 7.1 s before and 4.7 to 5.2 s after, for a peak of 2.52 GB instead of
/// 2.09 GB.
fn keep_freed_memory() {
    use libmimalloc_sys::{mi_option_get, mi_option_set, mi_option_t};
    // mimalloc's `mi_option_purge_delay` (v2 and v3), which the bindings do
    // not name. Its default (10 ms in v2, 1000 ms in v3) is a weak check of
    // the number, but a renumbered enum would most likely change nothing.
    const PURGE_DELAY: mi_option_t = 15;
    // SAFETY: mimalloc's option table is plain memory, not synchronised;
    // this runs first in `main`, before rayon or the server start a thread.
    unsafe {
        if matches!(mi_option_get(PURGE_DELAY), 10 | 1000) {
            mi_option_set(PURGE_DELAY, -1);
        }
    }
}

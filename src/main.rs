//! The `paperhub` binary: parse the command line, run it, map the result
//! to an exit code (0 ok, 1 content errors, 2 usage and I/O errors).

use clap::Parser;

// Builds allocate many small strings from several threads at once;
// mimalloc is markedly faster at that than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use paperhub::cli::{Cli, Command};
use paperhub::cmd;

/// mimalloc's `mi_option_purge_delay`: index 15 of `mi_option_t` in both
/// mimalloc v2 and v3 (include/mimalloc.h); libmimalloc-sys names it for
/// neither.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps freed memory for a second before handing it back to the OS.
///
/// A build frees and reallocates page buffers and template values all the
/// time; with mimalloc's default 10 ms the freed pages are returned and then
/// faulted in again (300,000 page faults in a 100,000-paper build, against
/// 14,000 with a second), which cost a sixth of its wall time here for no
/// lower peak. Only done when the option still has the documented default,
/// so a different mimalloc layout or a MIMALLOC_PURGE_DELAY the user set is
/// left alone.
fn tune_allocator() {
    // SAFETY: plain option getters and setters of the linked mimalloc.
    unsafe {
        if libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) == 10
            && std::env::var_os("MIMALLOC_PURGE_DELAY").is_none()
        {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 1000);
        }
    }
}

fn main() {
    tune_allocator();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(a) => cmd::build::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Watch(a) => cmd::watch::run(a),
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

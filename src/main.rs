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

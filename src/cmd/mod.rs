//! One module per subcommand: options in, library call, report out.

pub mod build;
pub mod check;
pub mod import;
pub mod init;
pub mod new;
pub mod serve;
pub mod watch;

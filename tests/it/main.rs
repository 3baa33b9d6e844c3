//! Integration tests: real builds of fixture sites in temp dirs, with
//! assertions on the produced files, exit codes and messages.

mod atomic;
mod bad_input;
mod browser;
mod cli;
mod example;
mod hostile;
mod import;
mod incremental;
mod native_items;
mod pages;
mod pagination;
mod publish;
mod replay;
mod s2;
mod scholar;
mod search;
mod serve_abuse;
mod util;
mod watch;
mod xss;

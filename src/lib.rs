//! paperhub: a static site generator for paper hubs.
//!
//! The build is a pipeline, one module per stage:
//! [`config`] → [`content`] (discover, parse) → [`graph`] (citations) →
//! [`index`] (lists, taxonomies) → [`render`] (Markdown, templates) →
//! [`output`] (staged write). [`build`] runs them in order; [`site`] holds
//! the immutable result of the middle stages; [`urls`] names every path
//! the site has.

pub mod build;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod content;
pub mod diag;
pub mod error;
pub mod export;
pub mod footprint;
pub mod graph;
pub mod html;
pub mod import;
pub mod index;
pub mod markdown;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod slug;
pub mod state;
pub mod theme;
pub mod urls;
pub mod watch;
mod yaml;

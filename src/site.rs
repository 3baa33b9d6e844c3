//! The loaded site: config, content, citation graph and indexes, built in
//! that order. A [`Site`] is immutable once loaded; rendering only reads it.

use crate::config::Config;
use std::collections::HashSet;
use std::path::PathBuf;

use crate::content::{self, Content, LoadCache};
use crate::error::{Error, Result};
use crate::graph::Graph;
use crate::index::Indexes;

/// Everything a render needs to know about the content.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub content: Content,
    pub graph: Graph,
    pub indexes: Indexes,
}

impl Site {
    /// Loads and validates the content, then builds the graph and indexes.
    /// Every content problem is reported together.
    pub fn load(config: Config) -> Result<Site> {
        let content = content::load(&config)?;
        Site::from_content(config, content)
    }

    /// [`Site::load`], re-reading only the files that changed since the
    /// load that filled `cache` (and those in `dirty`).
    pub fn load_cached(
        config: Config,
        cache: &mut LoadCache,
        dirty: &HashSet<PathBuf>,
    ) -> Result<Site> {
        let content = content::load_cached(&config, cache, dirty)?;
        Site::from_content(config, content)
    }

    fn from_content(config: Config, content: Content) -> Result<Site> {
        let graph = Graph::build(
            &content.papers,
            config.citations.roles.len(),
            config.citations.polarities.len(),
        )
        .map_err(Error::Content)?;
        let indexes = Indexes::build(&content.papers, &graph);
        Ok(Site {
            config,
            content,
            graph,
            indexes,
        })
    }
}

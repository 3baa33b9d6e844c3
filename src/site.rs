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
        Site::from_content(config, content, None)
    }

    /// [`Site::load`], re-reading only the files that changed since the
    /// load that filled `cache` (and those in `dirty`), and updating the
    /// graph of `previous`, the site that load made, when there is one
    /// (see [`Graph::update`]). `previous` must have the same config.
    pub fn load_cached(
        config: Config,
        cache: &mut LoadCache,
        dirty: &HashSet<PathBuf>,
        previous: Option<Site>,
    ) -> Result<Site> {
        let content = content::load_cached(&config, cache, dirty)?;
        Site::from_content(config, content, previous)
    }

    fn from_content(config: Config, content: Content, previous: Option<Site>) -> Result<Site> {
        let (roles, polarities) = (
            config.citations.roles.len(),
            config.citations.polarities.len(),
        );
        let papers = &content.papers;
        // What the update reuses was read with its vocabularies: with
        // others, the role and polarity counts mean other things.
        let previous = previous.filter(|p| {
            let (old, new) = (&p.config.citations, &config.citations);
            old.roles == new.roles && old.polarities == new.polarities
        });
        let (graph, indexes) = match previous {
            Some(Site {
                content: old,
                graph,
                indexes,
                ..
            }) => {
                let graph = graph
                    .update(&old.papers, papers, roles, polarities)
                    .map_err(Error::Content)?;
                let indexes = Indexes::update(indexes, &old.papers, papers, &graph);
                (graph, indexes)
            }
            None => {
                let graph = Graph::build(papers, roles, polarities).map_err(Error::Content)?;
                let indexes = Indexes::build(papers, &graph);
                (graph, indexes)
            }
        };
        Ok(Site {
            config,
            content,
            graph,
            indexes,
        })
    }
}

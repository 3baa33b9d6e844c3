//! Creating files for the user: a new site (`init`) and a record skeleton
//! (`new`). Never overwrites an existing file.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::slug::work_slug;
use crate::theme::Theme;

const SITE_YAML: &str = r#"# paperhub site configuration; every key is optional.
title: "My paper hub"
description: "Papers we read, and who cites them."
base_url: "/"            # e.g. https://example.org/hub/ when published
papers_per_page: 50
hub:
  representative: 8
citations:
  roles: [background, method, result, extension]
  polarities: [supporting, neutral, contrasting]
"#;

const ABOUT: &str =
    "---\ntitle: About\n---\nThis hub is built with paperhub from plain paper records.\n";

/// Creates a new site in `dir`, which must be absent or empty.
pub fn init(dir: &Path, with_theme: bool) -> Result<Vec<PathBuf>> {
    if dir.exists()
        && fs::read_dir(dir)
            .map_err(|e| Error::read(dir, e))?
            .next()
            .is_some()
    {
        return Err(Error::usage(
            format!("{} already exists and is not empty", dir.display()),
            "choose a new folder name; paperhub init never overwrites files",
        ));
    }
    let files = [
        (dir.join("site.yaml"), SITE_YAML.to_string()),
        (dir.join("content/pages/about.md"), ABOUT.to_string()),
        (
            dir.join("content/papers/1911.03030.md"),
            record(
                "1911.03030",
                "Certified Data Removal from Machine Learning Models",
            ),
        ),
        (
            dir.join(".gitignore"),
            "output/\n.output.staging/\n.output.state\n.import-cache/\n".to_string(),
        ),
    ];
    for (path, text) in &files {
        write_new(path, text)?;
    }
    if with_theme {
        Theme::write_embedded(&dir.join("themes/default"))?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// Writes a record skeleton for `id` to `root/content/papers/<slug>.md`.
pub fn new_record(root: &Path, id: &str, title: &str) -> Result<PathBuf> {
    let Some(slug) = work_slug(id.trim()) else {
        return Err(Error::usage(
            format!("the id {id:?} cannot be used in a URL"),
            "use an id with letters or digits, such as an arXiv id or a DOI",
        ));
    };
    if title.trim().is_empty() {
        return Err(Error::usage(
            "the title is empty",
            "pass --title \"The paper's title\"",
        ));
    }
    let path = root.join("content/papers").join(format!("{slug}.md"));
    write_new(&path, &record(id.trim(), title.trim()))?;
    Ok(path)
}

fn record(id: &str, title: &str) -> String {
    let q = |s: &str| serde_json::to_string(s).expect("strings serialise");
    format!(
        "---\nid: {}\ntitle: {}\nauthors: []\n# year: 2024\n# venue: \"\"\n# arxiv: \"\"\n# keywords: []\n# summary: \"One line: what the paper shows.\"\ncites: []\n---\nNotes in Markdown.\n",
        q(id),
        q(title)
    )
}

fn write_new(path: &Path, text: &str) -> Result<()> {
    if path.exists() {
        return Err(Error::usage(
            format!("{} already exists", path.display()),
            "paperhub never overwrites a record; edit it or pick another id",
        ));
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
    }
    fs::write(path, text).map_err(|e| Error::write(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_records_parse_and_never_overwrite() {
        let tmp = tempfile::tempdir().unwrap();
        let path = new_record(tmp.path(), "doi:10.1/x y", "A \"quoted\" title").unwrap();
        assert!(path.ends_with("content/papers/doi-10.1-x-y.md"));
        let text = fs::read_to_string(&path).unwrap();
        let p = crate::content::Paper::parse(
            &path,
            &text,
            crate::content::RecordFormat::Markdown,
            &Default::default(),
        )
        .unwrap();
        assert_eq!(
            (p.id.as_str(), p.title.as_str()),
            ("doi:10.1/x y", "A \"quoted\" title")
        );
        assert!(new_record(tmp.path(), "doi:10.1/x y", "Again").is_err());
        assert!(new_record(tmp.path(), "..", "T").is_err());
    }
}

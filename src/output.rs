//! Writing the site: pages go to a staging folder beside `output/`, which
//! replaces `output/` only once every page rendered. A failed build leaves
//! the previous site untouched. Runs last.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// A build's output in progress.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
    written: std::sync::atomic::AtomicUsize,
}

impl Staging {
    /// Prepares a fresh staging folder for `target` after checking that
    /// `target` is a folder paperhub may own.
    pub fn new(root: &Path, target: &Path) -> Result<Staging> {
        check_output_dir(root, target)?;
        let name = target
            .file_name()
            .map_or("output".into(), |n| n.to_string_lossy().into_owned());
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
        let dir = parent.join(format!(".{name}.staging"));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| Error::write(&dir, e))?;
        }
        fs::create_dir_all(&dir).map_err(|e| Error::write(&dir, e))?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            committed: false,
            written: Default::default(),
        })
    }

    /// Writes one file at the site path `rel` (such as `papers/x/index.html`).
    /// Safe to call from many threads.
    /// A file whose bytes equal the previous build's is hard-linked from
    /// it instead, so unchanged files are not rewritten and keep their
    /// modification times.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = safe_join(&self.dir, rel)?;
        let old = self.target.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
        }
        if same_bytes(&old, bytes) && fs::hard_link(&old, &path).is_ok() {
            return Ok(());
        }
        // Never write through a hard link into the previous build's file.
        if path.exists() {
            fs::remove_file(&path).map_err(|e| Error::write(&path, e))?;
        }
        self.written
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        fs::write(&path, bytes).map_err(|e| Error::write(&path, e))
    }

    /// How many files were written (not kept from the previous build).
    pub fn written(&self) -> usize {
        self.written.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Replaces the target folder with the staged site.
    pub fn commit(mut self) -> Result<()> {
        let old = self.dir.with_file_name(format!(
            "{}.old",
            self.dir
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .trim_end_matches(".staging")
        ));
        if old.exists() {
            fs::remove_dir_all(&old).map_err(|e| Error::write(&old, e))?;
        }
        if self.target.exists() {
            fs::rename(&self.target, &old).map_err(|e| Error::write(&self.target, e))?;
        }
        fs::rename(&self.dir, &self.target).map_err(|e| Error::write(&self.target, e))?;
        self.committed = true;
        if old.exists() {
            fs::remove_dir_all(&old).map_err(|e| Error::write(&old, e))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Whether the file at `path` holds exactly `bytes` (cheap length check first).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fs::read(path).is_ok_and(|old| old == bytes)
}

/// `dir/rel`, refusing any `rel` that could leave `dir`.
fn safe_join(dir: &Path, rel: &str) -> Result<PathBuf> {
    let rel_path = Path::new(rel);
    if rel.is_empty()
        || !rel_path
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
    {
        return Err(Error::write(
            dir.join(rel),
            std::io::Error::other("refusing a path outside the output folder"),
        ));
    }
    Ok(dir.join(rel_path))
}

/// The output folder updated in place, for watch and serve: a file is
/// written only when its bytes changed (so unchanged files keep their
/// mtimes), through a temporary file and a rename (so a reader never sees
/// half a page), and files the site no longer has are removed.
#[derive(Debug, Clone)]
pub struct InPlace {
    dir: PathBuf,
}

impl InPlace {
    pub fn new(root: &Path, target: &Path) -> Result<InPlace> {
        check_output_dir(root, target)?;
        fs::create_dir_all(target).map_err(|e| Error::write(target, e))?;
        Ok(InPlace {
            dir: target.to_path_buf(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` at `rel` unless the file already holds them; returns
    /// whether it wrote.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<bool> {
        let path = safe_join(&self.dir, rel)?;
        if same_bytes(&path, bytes) {
            return Ok(false);
        }
        let parent = path.parent().unwrap_or(&self.dir);
        // A file may stand where a folder is needed now (an alias `/a.html`
        // became `/a.html/b`): remove it, at any depth below the output.
        for ancestor in parent
            .ancestors()
            .take_while(|a| a.starts_with(&self.dir) && *a != self.dir)
        {
            if ancestor.is_file() {
                fs::remove_file(ancestor).map_err(|e| Error::write(ancestor, e))?;
            }
        }
        fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
        if path.is_dir() {
            fs::remove_dir_all(&path).map_err(|e| Error::write(&path, e))?;
        }
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let tmp = parent.join(format!(".{name}.paperhub-tmp"));
        fs::write(&tmp, bytes).map_err(|e| Error::write(&tmp, e))?;
        fs::rename(&tmp, &path).map_err(|e| Error::write(&path, e))?;
        Ok(true)
    }

    /// Removes the file at `rel` and the folders it leaves empty.
    pub fn remove(&self, rel: &str) -> Result<()> {
        let path = safe_join(&self.dir, rel)?;
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(Error::write(&path, e)),
        }
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != self.dir) {
            if fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }

    /// Every file now in the folder, as site paths.
    pub fn files(&self) -> Vec<String> {
        walkdir::WalkDir::new(&self.dir)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                let rel = e.path().strip_prefix(&self.dir).ok()?;
                Some(rel.to_string_lossy().replace('\\', "/"))
            })
            .collect()
    }
}

/// Refuses output folders whose replacement would destroy the site: the
/// site root, `content/`, `themes/`, or any folder containing them.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<()> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        normalize(&p)
    };
    let root = abs(root);
    let output = abs(output);
    let protected = [
        root.clone(),
        root.join("content"),
        root.join("themes"),
        root.join("site.yaml"),
    ];
    for p in &protected {
        if p.starts_with(&output) || (output.starts_with(p) && p != &root) {
            return Err(Error::usage(
                format!(
                    "refusing to use {} as the output folder: it would replace {}",
                    output.display(),
                    p.display()
                ),
                "choose a folder of its own, such as `output/` (the default)",
            ));
        }
    }
    Ok(())
}

/// Resolves `.` and `..` lexically, following symlinks where the path exists.
fn normalize(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    match (out.parent(), out.file_name()) {
        (Some(parent), Some(name)) if parent.exists() => {
            parent.canonicalize().map(|p| p.join(name)).unwrap_or(out)
        }
        _ => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_folders_that_hold_the_site() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        fs::create_dir_all(root.join("content/papers")).unwrap();
        for bad in [
            root.to_path_buf(),
            root.join("content"),
            root.join("content/papers"),
            root.join("themes"),
            root.parent().unwrap().to_path_buf(),
            root.join("x/.."),
        ] {
            assert!(
                check_output_dir(root, &bad).is_err(),
                "case {}",
                bad.display()
            );
        }
        for good in [root.join("output"), root.join("public/site")] {
            assert!(
                check_output_dir(root, &good).is_ok(),
                "case {}",
                good.display()
            );
        }
    }

    #[test]
    fn replaces_the_old_site_only_on_commit() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("old.html"), "old").unwrap();
        let s = Staging::new(tmp.path(), &out).unwrap();
        s.write("a/index.html", b"new").unwrap();
        assert!(s.write("../escape", b"x").is_err());
        drop(s);
        assert!(
            out.join("old.html").exists(),
            "an abandoned build keeps the old site"
        );
        let s = Staging::new(tmp.path(), &out).unwrap();
        s.write("a/index.html", b"new").unwrap();
        s.commit().unwrap();
        assert!(!out.join("old.html").exists());
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "new");
    }
}

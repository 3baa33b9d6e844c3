//! Writing the site. A build's pages go to a staging folder beside
//! `output/`, which replaces `output/` only once every page rendered; watch
//! and serve update `output/` in place, writing a rebuild's changed files
//! only once all of them rendered. Either way a failed build leaves the
//! previous site untouched. Runs last.

use std::fs;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};

pub use crate::state::MARKER;
use crate::state::{write_marker, MARKER_TEXT};

/// A build's output in progress.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    /// Whether there is a previous build to link unchanged files from.
    has_target: bool,
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
        let staging = Staging {
            has_target: target.is_dir(),
            target: target.to_path_buf(),
            dir,
            committed: false,
            written: Default::default(),
        };
        staging.write(MARKER, MARKER_TEXT.as_bytes())?;
        // The marker is bookkeeping, not a page: it is not counted.
        staging
            .written
            .store(0, std::sync::atomic::Ordering::Relaxed);
        Ok(staging)
    }

    /// Writes one file at the site path `rel` (such as `papers/x/index.html`).
    /// Safe to call from many threads.
    /// A file whose bytes equal the previous build's is hard-linked from
    /// it instead, so unchanged files are not rewritten and keep their
    /// modification times.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = safe_join(&self.dir, rel)?;
        if self.has_target {
            let old = self.target.join(rel);
            if same_bytes(&old, bytes) && with_parent(&path, || fs::hard_link(&old, &path))?.is_ok()
            {
                return Ok(());
            }
        }
        self.written
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // A new file, never a truncation: a file already here may be a hard
        // link into the previous build.
        let create = || fs::File::options().write(true).create_new(true).open(&path);
        let mut file = match with_parent(&path, create)? {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                fs::remove_file(&path).map_err(|e| Error::write(&path, e))?;
                create()
            }
            other => other,
        }
        .map_err(|e| Error::write(&path, e))?;
        std::io::Write::write_all(&mut file, bytes).map_err(|e| Error::write(&path, e))
    }

    /// Carries the previous build's file at `rel` over unchanged (a hard
    /// link), for a file whose inputs did not change since that build;
    /// returns its size.
    pub fn keep(&self, rel: &str) -> Result<u64> {
        let path = safe_join(&self.dir, rel)?;
        let old = safe_join(&self.target, rel)?;
        with_parent(&path, || fs::hard_link(&old, &path))?.map_err(|e| Error::write(&path, e))?;
        Ok(fs::metadata(&path)
            .map_err(|e| Error::read(&path, e))?
            .len())
    }

    /// Names this build in the staged marker, for the state file (see
    /// `state.rs`) to refer to.
    pub fn stamp(&self, build_id: &str) -> Result<()> {
        write_marker(&self.dir, Some(build_id))
    }

    /// How many files were written (not kept from the previous build).
    pub fn written(&self) -> usize {
        self.written.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Replaces the target folder with the staged site.
    pub fn commit(mut self) -> Result<()> {
        // The new site takes the old one's place in one atomic step, so a
        // build killed at any moment leaves either the old or the new site.
        if self.target.exists() {
            exchange(&self.dir, &self.target).map_err(|e| Error::write(&self.target, e))?;
        } else {
            fs::rename(&self.dir, &self.target).map_err(|e| Error::write(&self.target, e))?;
        }
        self.committed = true;
        // The staging path now holds the previous site.
        if self.dir.exists() {
            fs::remove_dir_all(&self.dir).map_err(|e| Error::write(&self.dir, e))?;
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

/// Swaps two folders atomically (Linux `renameat2` with `RENAME_EXCHANGE`);
/// elsewhere, or where the file system cannot, two renames in a row.
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let ca = CString::new(a.as_os_str().as_bytes())?;
        let cb = CString::new(b.as_os_str().as_bytes())?;
        // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
        let rc = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                ca.as_ptr(),
                libc::AT_FDCWD,
                cb.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if rc == 0 {
            return Ok(());
        }
        let err = std::io::Error::last_os_error();
        if !matches!(err.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS)) {
            return Err(err);
        }
    }
    let aside = b.with_file_name(format!(
        ".{}.old",
        b.file_name().unwrap_or_default().to_string_lossy()
    ));
    if aside.exists() {
        fs::remove_dir_all(&aside)?;
    }
    fs::rename(b, &aside)?;
    fs::rename(a, b)?;
    fs::rename(&aside, a)
}

/// A folder's device and inode, where the platform has them.
fn folder_identity(dir: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(dir).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// Runs `op`, which creates `path`, making the parent folder first when
/// `op` finds it missing. Most folders hold several files, so trying first
/// saves a `mkdir` call per file (a million in a 150,000-paper build).
fn with_parent<T>(path: &Path, op: impl Fn() -> std::io::Result<T>) -> Result<std::io::Result<T>> {
    match op() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            make_parent(path)?;
            Ok(op())
        }
        done => Ok(done),
    }
}

/// Creates the folder `path` goes in.
fn make_parent(path: &Path) -> Result<()> {
    let Some(parent) = path.parent() else {
        return Ok(());
    };
    match fs::create_dir(parent) {
        Ok(()) => Ok(()),
        // A file in the way is reported by the write that follows.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(_) => fs::create_dir_all(parent).map_err(|e| Error::write(parent, e)),
    }
}

/// Whether the file at `path` holds exactly `bytes` (cheap length check first).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    // The length first, by path: most changed files differ in it.
    if !fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64) {
        return false;
    }
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    // Compared a piece at a time: reading the whole file would take fresh
    // memory the size of the largest export (megabytes) on every save.
    let mut piece = [0u8; 16 << 10];
    let mut rest = bytes;
    loop {
        match file.read(&mut piece) {
            Ok(0) => return rest.is_empty(),
            Ok(n) if n <= rest.len() && piece[..n] == rest[..n] => rest = &rest[n..],
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            _ => return false,
        }
    }
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
    /// The folder's identity when it was opened, to notice a build
    /// swapping another one in at the same path.
    identity: Option<(u64, u64)>,
}

impl InPlace {
    pub fn new(root: &Path, target: &Path) -> Result<InPlace> {
        check_output_dir(root, target)?;
        fs::create_dir_all(target).map_err(|e| Error::write(target, e))?;
        let out = InPlace {
            dir: target.to_path_buf(),
            identity: folder_identity(target),
        };
        // Files are about to change in place, so the last build's state no
        // longer describes them.
        out.unstamp()?;
        // Left by a rebuild that was killed before it committed.
        let _ = fs::remove_dir_all(target.join(PENDING_DIR));
        Ok(out)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether another folder stands at this path now (a build swapped its
    /// output in), so what was known of this one says nothing of it.
    pub fn replaced(&self) -> bool {
        folder_identity(&self.dir) != self.identity
    }

    /// Names the build whose state (see `state.rs`) describes the folder's
    /// files now.
    pub fn stamp(&self, build_id: &str) -> Result<()> {
        write_marker(&self.dir, Some(build_id))
    }

    /// Names no build in the marker, before files change: a state saved
    /// before no longer describes them.
    pub fn unstamp(&self) -> Result<()> {
        write_marker(&self.dir, None)
    }

    /// Makes room for a file at `path` inside the folder, then has `put`
    /// put it there.
    fn place(&self, path: &Path, put: impl FnOnce(&Path) -> std::io::Result<()>) -> Result<()> {
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
            fs::remove_dir_all(path).map_err(|e| Error::write(path, e))?;
        }
        put(path).map_err(|e| Error::write(path, e))
    }

    /// Collects a rebuild's files, to be written only once all of them
    /// rendered; see [`Pending`].
    pub fn pending(&self, memory: usize) -> Pending<'_> {
        Pending {
            out: self,
            memory,
            held: std::sync::Mutex::new(Held::default()),
        }
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
            .filter(|rel| rel != MARKER && !Path::new(rel).starts_with(PENDING_DIR))
            .collect()
    }
}

/// Replaces the file at `path` by one holding `bytes`, through a temporary
/// file and a rename, so a reader never sees half a page.
fn replace_with(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.paperhub-tmp"));
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, path)
}

/// Where [`Pending`] keeps the files it holds on disk, inside the output
/// folder so that committing them is a rename, never a copy.
const PENDING_DIR: &str = ".paperhub-pending";

/// The changed files of a rebuild in [`InPlace`] output, held until the
/// whole rebuild rendered, so a template error writes nothing. Up to
/// `memory` bytes of them are held in memory; the rest wait in files of
/// their own under the output folder, so a rebuild that changes every page
/// of a large site (its first build, a template edit) holds no more of
/// their bytes in memory than a small one. Dropped without
/// [`Pending::commit`], it writes nothing.
pub struct Pending<'a> {
    out: &'a InPlace,
    memory: usize,
    held: std::sync::Mutex<Held>,
}

#[derive(Default)]
struct Held {
    files: Vec<(String, Holding)>,
    in_memory: usize,
}

enum Holding {
    Memory(Vec<u8>),
    /// The number of its file in the pending folder.
    Disk(usize),
}

impl Pending<'_> {
    /// Holds `bytes` for the site path `rel`, unless the file there already
    /// holds them. Safe to call from many threads.
    pub fn add(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = safe_join(&self.out.dir, rel)?;
        if same_bytes(&path, bytes) {
            return Ok(());
        }
        let mut held = self.held.lock().expect("no panics while holding the lock");
        if held.in_memory + bytes.len() <= self.memory {
            held.in_memory += bytes.len();
            held.files
                .push((rel.to_string(), Holding::Memory(bytes.to_vec())));
            return Ok(());
        }
        let number = held.files.len();
        held.files.push((rel.to_string(), Holding::Disk(number)));
        // Written outside the lock, so the other threads go on rendering.
        drop(held);
        let file = self.out.dir.join(PENDING_DIR).join(number.to_string());
        with_parent(&file, || fs::write(&file, bytes))?.map_err(|e| Error::write(&file, e))
    }

    /// Writes every held file into place; returns their site paths. On an
    /// error some files may be in place and the others are discarded, so
    /// the caller must not trust the folder's bytes to be the rebuild's.
    pub fn commit(self) -> Result<Vec<String>> {
        let held =
            std::mem::take(&mut *self.held.lock().expect("no panics while holding the lock"));
        let out = self.out;
        let pending = out.dir.join(PENDING_DIR);
        held.files
            .into_par_iter()
            .map(|(rel, holding)| {
                let path = safe_join(&out.dir, &rel)?;
                match holding {
                    Holding::Memory(bytes) => {
                        out.place(&path, |path| replace_with(path, &bytes))?
                    }
                    Holding::Disk(n) => {
                        out.place(&path, |path| fs::rename(pending.join(n.to_string()), path))?
                    }
                }
                Ok(rel)
            })
            .collect()
    }
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(self.out.dir.join(PENDING_DIR));
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
    let foreign = output.is_dir()
        && !output.join(MARKER).exists()
        && fs::read_dir(&output).is_ok_and(|mut entries| entries.next().is_some());
    if foreign {
        return Err(Error::usage(
            format!("refusing to use {} as the output folder: it holds files paperhub did not make", output.display()),
            format!("choose an empty or new folder, or delete this one if it is an old output (paperhub marks its own with a `{MARKER}` file)"),
        ));
    }
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
    fn same_bytes_compares_whole_files_piece_by_piece() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("big.json");
        // Several pieces long, not a multiple of the piece size.
        let bytes: Vec<u8> = (0..100_003u32).map(|i| (i % 251) as u8).collect();
        fs::write(&path, &bytes).unwrap();
        assert!(same_bytes(&path, &bytes));
        let mut last = bytes.clone();
        *last.last_mut().unwrap() ^= 1;
        assert!(!same_bytes(&path, &last), "a change in the last piece");
        let mut first = bytes.clone();
        first[0] ^= 1;
        assert!(!same_bytes(&path, &first));
        assert!(!same_bytes(&path, &bytes[..bytes.len() - 1]));
        assert!(!same_bytes(&tmp.path().join("missing"), b""));
        assert!(!same_bytes(tmp.path(), b""), "a folder is no file");
        fs::write(&path, "").unwrap();
        assert!(same_bytes(&path, b""));
    }

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
    fn refuses_a_non_empty_folder_it_did_not_make() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("docs");
        fs::create_dir_all(&out).unwrap();
        assert!(
            check_output_dir(tmp.path(), &out).is_ok(),
            "an empty folder is fine"
        );
        fs::write(out.join("thesis.tex"), "precious").unwrap();
        let err = check_output_dir(tmp.path(), &out).unwrap_err().to_string();
        assert!(err.contains("did not make"), "{err}");
        fs::write(out.join(MARKER), "").unwrap();
        assert!(check_output_dir(tmp.path(), &out).is_ok());
    }

    #[test]
    fn replaces_the_old_site_only_on_commit() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("old.html"), "old").unwrap();
        fs::write(out.join(MARKER), "").unwrap();
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

    /// An in-place output folder in a temporary folder, and its path.
    fn in_place() -> (tempfile::TempDir, InPlace, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let out = InPlace::new(tmp.path(), &tmp.path().join("output")).unwrap();
        let dir = out.dir().to_path_buf();
        (tmp, out, dir)
    }

    #[test]
    fn pending_files_beyond_the_memory_budget_wait_on_disk_until_commit() {
        let (_tmp, out, dir) = in_place();
        fs::write(dir.join("same.html"), "same").unwrap();
        fs::write(dir.join("old.html"), "old").unwrap();
        // An alias file stands where a folder is needed now.
        fs::write(dir.join("a.html"), "alias").unwrap();

        let pending = out.pending(6);
        pending.add("same.html", b"same").unwrap();
        pending.add("old.html", b"new").unwrap();
        pending.add("one/index.html", b"12345").unwrap();
        pending.add("a.html/index.html", b"moved here").unwrap();
        assert!(pending.add("../escape", b"x").is_err());
        // Unchanged bytes are not held; up to 6 bytes are held in memory.
        assert_eq!(fs::read_dir(dir.join(PENDING_DIR)).unwrap().count(), 2);
        assert_eq!(fs::read_to_string(dir.join("old.html")).unwrap(), "old");
        assert!(
            !dir.join("one").exists(),
            "nothing is written before commit"
        );

        let mut written = pending.commit().unwrap();
        written.sort();
        assert_eq!(written, ["a.html/index.html", "old.html", "one/index.html"]);
        assert_eq!(fs::read_to_string(dir.join("old.html")).unwrap(), "new");
        assert_eq!(
            fs::read_to_string(dir.join("one/index.html")).unwrap(),
            "12345"
        );
        assert_eq!(
            fs::read_to_string(dir.join("a.html/index.html")).unwrap(),
            "moved here"
        );
        assert!(!dir.join(PENDING_DIR).exists());
        assert!(
            !out.files().iter().any(|f| f.contains("paperhub-")),
            "{:?}",
            out.files()
        );
    }

    #[test]
    fn abandoned_pending_files_are_never_written() {
        let (_tmp, out, dir) = in_place();
        fs::write(dir.join("page.html"), "good").unwrap();
        let pending = out.pending(0);
        pending.add("page.html", b"from a failed rebuild").unwrap();
        pending.add("new/index.html", b"also").unwrap();
        assert!(dir.join(PENDING_DIR).is_dir());
        drop(pending);
        assert_eq!(fs::read_to_string(dir.join("page.html")).unwrap(), "good");
        assert!(!dir.join("new").exists());
        assert!(!dir.join(PENDING_DIR).exists());
        // One left by a killed rebuild goes when the next watch starts.
        fs::create_dir_all(dir.join(PENDING_DIR)).unwrap();
        fs::write(dir.join(PENDING_DIR).join("0"), "stale").unwrap();
        fs::write(dir.join(".paperhub-pending.html"), "a page").unwrap();
        let mut files = out.files();
        files.sort();
        assert_eq!(files, [".paperhub-pending.html", "page.html"]);
        InPlace::new(dir.parent().unwrap(), &dir).unwrap();
        assert!(!dir.join(PENDING_DIR).exists());
    }
}

//! What the last build rendered: the fingerprint of every output file's
//! inputs, kept beside the output folder (`.output.state`, never inside
//! it, so it is not published). With it, the next build renders only the
//! files whose inputs changed and hard-links the rest from the previous
//! output.
//!
//! A state is used only when it is certainly the output's: it names the
//! build that wrote it, and that build id must be the one in the output's
//! `.paperhub` marker (which `watch` and `serve` clear when they change
//! files in place); and it must come from this very paperhub binary.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::output::MARKER;
use crate::render::Fingerprints;

const MAGIC: &str = "paperhub-state 1";

/// Where the state of the output folder `output` lives.
pub fn path_for(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map_or("output".into(), |n| n.to_string_lossy().into_owned());
    output.with_file_name(format!(".{name}.state"))
}

/// A new build id: the time and the process, unique enough on one machine.
pub fn new_build_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{nanos:x}-{:x}", std::process::id())
}

/// The line a marker carries for build `id`.
pub fn marker_line(id: &str) -> String {
    format!("build {id}\n")
}

/// This binary: its version, size and modification time. A rebuilt
/// paperhub may render the same inputs differently.
fn binary_id() -> String {
    let meta = std::env::current_exe().and_then(fs::metadata);
    let (len, mtime) = meta.map_or((0, 0), |m| {
        let t = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        (m.len(), t)
    });
    format!("{} {len} {mtime}", env!("CARGO_PKG_VERSION"))
}

/// The previous build's fingerprints, when they are certainly those of
/// what is in `output` now.
pub fn load(output: &Path) -> Option<Fingerprints> {
    let text = fs::read_to_string(path_for(output)).ok()?;
    let mut lines = text.lines();
    if lines.next()? != MAGIC || lines.next()? != binary_id() {
        return None;
    }
    let id = lines.next()?;
    let marker = fs::read_to_string(output.join(MARKER)).ok()?;
    if !marker.lines().any(|l| l == marker_line(id).trim_end()) {
        return None;
    }
    let mut fingerprints = Fingerprints::default();
    for line in lines {
        let (fp, path) = line.split_once(' ')?;
        fingerprints.insert(path.to_string(), u64::from_str_radix(fp, 16).ok()?);
    }
    Some(fingerprints)
}

/// Records build `id`'s fingerprints for `output`, through a temporary file.
pub fn save<P: AsRef<str> + Sync>(output: &Path, id: &str, files: &[(P, u64)]) -> Result<()> {
    use rayon::prelude::*;
    let path = path_for(output);
    let tmp = path.with_extension("state-tmp");
    let mut f = fs::File::create(&tmp).map_err(|e| Error::write(&tmp, e))?;
    // A million-file site's state is tens of megabytes: its lines are
    // formatted in parallel, a few megabytes at a time, and written in order.
    let lines = |chunk: &[(P, u64)]| {
        let mut piece = Vec::with_capacity(chunk.len() * 64);
        for (p, fp) in chunk {
            let p = p.as_ref();
            // Paths are site paths without line breaks; skip any that is not.
            if !p.contains('\n') {
                let _ = writeln!(piece, "{fp:016x} {p}");
            }
        }
        piece
    };
    let mut write = || -> std::io::Result<()> {
        write!(f, "{MAGIC}\n{}\n{id}\n", binary_id())?;
        for batch in files.chunks(1 << 17) {
            let pieces: Vec<Vec<u8>> = batch.par_chunks(1 << 14).map(lines).collect();
            pieces.iter().try_for_each(|piece| f.write_all(piece))?;
        }
        Ok(())
    };
    write().map_err(|e| Error::write(&tmp, e))?;
    fs::rename(&tmp, &path).map_err(|e| Error::write(&path, e))
}

/// Forgets the state of `output` (after a failed save, say).
pub fn clear(output: &Path) {
    let _ = fs::remove_file(path_for(output));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_is_used_only_with_its_build_in_the_marker() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        fs::create_dir_all(&out).unwrap();
        let files = [("papers/a/index.html".to_string(), 0xabc)];
        save(&out, "b1", &files).unwrap();
        assert!(path_for(&out).starts_with(dir.path()) && !path_for(&out).starts_with(&out));
        // No marker, or another build's: not used.
        assert_eq!(load(&out), None);
        fs::write(out.join(MARKER), format!("text\n{}", marker_line("b0"))).unwrap();
        assert_eq!(load(&out), None);
        fs::write(out.join(MARKER), format!("text\n{}", marker_line("b1"))).unwrap();
        assert_eq!(load(&out), Some(files.into_iter().collect()));
    }
}

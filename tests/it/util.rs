//! Fluent helpers: a site in a temp dir, the real binary run on it, and
//! assertions whose failures print the command, its output and the files.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> TestSite {
        let site = TestSite::empty();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name),
            site.root(),
        );
        site
    }

    /// A site with an empty `content/` folder.
    pub fn empty() -> TestSite {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(dir.path().join("content/papers")).unwrap();
        TestSite { dir }
    }

    /// The repository's own example hub (content/ and site.yaml).
    pub fn example() -> TestSite {
        let site = TestSite::empty();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_dir(&repo.join("content"), &site.root().join("content"));
        fs::copy(repo.join("site.yaml"), site.root().join("site.yaml")).unwrap();
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &TestSite {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    /// Runs `paperhub <args> --root <site>` (root appended for commands that take it).
    pub fn run(&self, args: &[&str]) -> Run {
        let mut cmd = crate::util::command();
        cmd.args(args);
        if matches!(args.first(), Some(&"build") | Some(&"check") | Some(&"new"))
            && !args.contains(&"--root")
        {
            cmd.arg("--root").arg(self.root());
        }
        self.finish(cmd)
    }

    /// Runs `cmd` to the end.
    fn finish(&self, mut cmd: Command) -> Run {
        let shown = format!("{cmd:?}");
        let output = cmd.output().expect("run paperhub");
        Run {
            cmd: shown,
            output,
            root: self.root().to_path_buf(),
        }
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// Lets anyone read and write the site, for [`TestSite::run_unprivileged`].
    pub fn open_up(&self) {
        use std::os::unix::fs::PermissionsExt;
        for e in walkdir::WalkDir::new(self.root()).into_iter().flatten() {
            let mode = if e.file_type().is_dir() { 0o777 } else { 0o666 };
            fs::set_permissions(e.path(), fs::Permissions::from_mode(mode)).unwrap();
        }
    }

    /// Runs `paperhub <args> --root <site>` as an unprivileged user (uid and
    /// gid 65534, via `setpriv`) when the tests run as root, who may read
    /// any file, so that permissions mean what they say; call
    /// [`TestSite::open_up`] first so that user can use the site.
    pub fn run_unprivileged(&self, args: &[&str]) -> Run {
        let bin = env!("CARGO_BIN_EXE_paperhub");
        // SAFETY: geteuid has no preconditions and cannot fail.
        let mut cmd = if unsafe { libc::geteuid() } == 0 {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
            c
        } else {
            Command::new(bin)
        };
        cmd.args(args).arg("--root").arg(self.root());
        self.finish(cmd)
    }

    /// The text of `output/<rel>`.
    #[track_caller]
    pub fn read(&self, rel: &str) -> String {
        let path = self.root().join("output").join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read {}: {e}\noutput has:\n{}",
                path.display(),
                self.listing().join("\n")
            )
        })
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.root().join("output").join(rel).exists()
    }

    /// Every file under output/ (relative paths).
    pub fn listing(&self) -> Vec<String> {
        self.snapshot().into_keys().collect()
    }

    /// Every file under output/ with its bytes, but for the `.paperhub`
    /// marker, which names the build that wrote it.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        let out = self.root().join("output");
        walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file() && e.file_name() != ".paperhub")
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(&out)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, fs::read(e.path()).unwrap())
            })
            .collect()
    }
}

pub struct Run {
    pub cmd: String,
    pub output: Output,
    root: PathBuf,
}

impl Run {
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// The JSON object a `--json` run printed on stdout.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.output.stdout).unwrap_or_else(|e| {
            panic!(
                "{}: stdout is not one JSON object ({e}):\n{}\n{}",
                self.cmd,
                String::from_utf8_lossy(&self.output.stdout),
                self.stderr()
            )
        })
    }

    fn explain(&self) -> String {
        format!(
            "command: {}\nstatus: {}\nstdout:\n{}\nstderr:\n{}",
            self.cmd,
            self.output.status,
            String::from_utf8_lossy(&self.output.stdout),
            self.stderr()
                .replace(&self.root.display().to_string(), "<site>")
        )
    }

    #[track_caller]
    pub fn success(&self) -> &Run {
        assert!(
            self.output.status.success(),
            "expected success\n{}",
            self.explain()
        );
        self
    }

    /// Asserts the exit code (1: content errors, 2: usage or I/O).
    #[track_caller]
    pub fn fails_with(&self, code: i32) -> &Run {
        assert_eq!(
            self.output.status.code(),
            Some(code),
            "expected exit code {code}\n{}",
            self.explain()
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Run {
        assert!(
            self.stderr().contains(needle),
            "stderr lacks {needle:?}\n{}",
            self.explain()
        );
        self
    }
}

/// Asserts `haystack` contains `needle`, showing the page's `<main>` if not.
#[track_caller]
pub fn assert_has(page: &str, needle: &str) {
    if !page.contains(needle) {
        let main = page
            .split_once("<main")
            .and_then(|(_, rest)| rest.split_once("</main>"))
            .map_or(page, |(m, _)| m);
        panic!("page lacks {needle:?}; its <main>:\n{main}");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(|e| e.ok())
    {
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::create_dir_all(dest.parent().unwrap()).unwrap();
            fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// Whether this is CI's heavy pass (`PAPERHUB_HEAVY=1`), in which the
/// largest cases run at full size; `cargo test` runs them smaller.
pub fn heavy() -> bool {
    std::env::var_os("PAPERHUB_HEAVY").is_some_and(|v| v != "0" && !v.is_empty())
}

/// The paperhub binary under test. Every page an incremental build skips
/// as unchanged is rendered anyway and compared with its file
/// (`PAPERHUB_VERIFY_SKIPS`), so an input missing from a fingerprint fails
/// the test that edits it, naming the page.
pub fn command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_paperhub"));
    cmd.env("PAPERHUB_VERIFY_SKIPS", "1");
    cmd
}

/// `paperhub ARGS --root ROOT`, to be started with [`spawn`].
pub fn paperhub(args: &[&str], root: &Path) -> Command {
    let mut cmd = crate::util::command();
    cmd.args(args).arg("--root").arg(root);
    cmd
}

/// A line from a long-running command started with [`spawn_json`].
pub enum Said {
    /// An event: a line of JSON on stdout.
    Event(serde_json::Value),
    /// A line on stderr, for people.
    Text(String),
    /// A line on stdout that is not JSON.
    NotJson(String),
}

/// Starts a long-running paperhub command (`watch`, `serve`) with
/// `--json`; what it says arrives line by line on the receiver.
pub fn spawn_json(mut cmd: Command) -> (std::process::Child, std::sync::mpsc::Receiver<Said>) {
    use std::io::{BufRead, BufReader, Read};
    use std::process::Stdio;
    let mut child = cmd
        .arg("--json")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start paperhub");
    let (tx, said) = std::sync::mpsc::channel();
    let read = |stream: Box<dyn Read + Send>, as_said: fn(String) -> Said| {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if tx.send(as_said(line)).is_err() {
                    break;
                }
            }
        });
    };
    read(
        Box::new(child.stdout.take().expect("piped")),
        |line| match serde_json::from_str(&line) {
            Ok(event) => Said::Event(event),
            Err(_) => Said::NotJson(line),
        },
    );
    read(Box::new(child.stderr.take().expect("piped")), Said::Text);
    (child, said)
}

//! `paperhub watch`: a seeded random sequence of edits applied to a site
//! under watch; after each settled step output/ must equal a clean build of
//! the same files, byte for byte.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::util::{Said, TestSite};

/// A small deterministic random number generator (xorshift64*), so a
/// failing sequence can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// A running `paperhub watch --json`: its events, and all it said.
struct Watcher {
    child: Child,
    said: mpsc::Receiver<Said>,
    /// Its events so far, in order.
    events: Vec<serde_json::Value>,
    /// Everything it said, events and stderr lines, for failure messages.
    log: Vec<String>,
}

impl Watcher {
    fn start(root: &Path) -> Watcher {
        Watcher::start_command(crate::util::paperhub(&["watch"], root))
    }

    fn start_command(cmd: Command) -> Watcher {
        let (child, said) = crate::util::spawn_json(cmd);
        let mut w = Watcher {
            child,
            said,
            events: Vec::new(),
            log: Vec::new(),
        };
        w.settle("the first build");
        w
    }

    /// Waits up to `timeout` for the next thing it says, and keeps it.
    #[track_caller]
    fn hear(&mut self, timeout: Duration) -> Option<&serde_json::Value> {
        let said = match self.said.recv_timeout(timeout) {
            Ok(said) => said,
            Err(mpsc::RecvTimeoutError::Timeout) => return None,
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!(
                "the watcher stopped ({:?}); it said:\n{}",
                self.child.wait(),
                self.log.join("\n")
            ),
        };
        match said {
            Said::Event(e) => {
                self.log.push(e.to_string());
                self.events.push(e);
                self.events.last()
            }
            Said::Text(t) => {
                self.log.push(t);
                None
            }
            Said::NotJson(line) => panic!(
                "the watcher printed a line that is not JSON on stdout: {line}\nit said:\n{}",
                self.log.join("\n")
            ),
        }
    }

    /// Waits for an event named `name` since the last rebuild, failing
    /// after 20 s with the log.
    #[track_caller]
    fn await_event(&mut self, name: &str, step: &str) {
        let mut since_rebuild = self
            .events
            .iter()
            .rev()
            .take_while(|e| e["event"] != "rebuilt")
            .chain(self.events.iter().rev().find(|e| e["event"] == "rebuilt"));
        if since_rebuild.any(|e| e["event"] == name) {
            return;
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            if self.hear(left).is_some_and(|e| e["event"] == name) {
                return;
            }
        }
        panic!(
            "no `{name}` event after {step}; the watcher said:\n{}",
            self.log.join("\n")
        );
    }

    /// Waits for the outcome of a rebuild, then for quiet: nothing more
    /// said for a while, so no rebuild is still running.
    #[track_caller]
    fn settle(&mut self, step: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                panic!(
                    "no rebuild after {step}; the watcher said:\n{}",
                    self.log.join("\n")
                );
            }
            if self
                .hear(left)
                .is_some_and(|e| e["event"] == "rebuilt" || e["event"] == "failed")
            {
                break;
            }
        }
        while self.said_within(Duration::from_millis(250)) {}
    }

    /// Whether it said anything within `timeout`.
    fn said_within(&mut self, timeout: Duration) -> bool {
        let before = self.log.len();
        self.hear(timeout);
        self.log.len() > before
    }

    /// The last successful rebuild.
    fn last_rebuilt(&self) -> &serde_json::Value {
        self.events
            .iter()
            .rev()
            .find(|e| e["event"] == "rebuilt")
            .expect("a rebuild")
    }

    /// How many pages the last successful rebuild rendered.
    fn rendered(&self) -> u64 {
        self.last_rebuilt()["rendered"].as_u64().expect("a count")
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every file with its bytes, but for the `.paperhub` marker (a build
/// names itself in it, and so does `watch` once it saved its state).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.file_name() != ".paperhub")
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The output a clean build of the site gives, or `None` when it fails.
fn clean_build(root: &Path, into: &Path) -> Option<BTreeMap<String, Vec<u8>>> {
    let _ = fs::remove_dir_all(into);
    let opts = paperhub::build::BuildOptions {
        root: root.to_path_buf(),
        output: Some(into.to_path_buf()),
        ..Default::default()
    };
    paperhub::build::build(&opts).ok().map(|_| snapshot(into))
}

const KEYWORDS: &[&str] = &[
    "unlearning",
    "privacy",
    "Privacy",
    "federated learning",
    "LLMs",
    "diffusion",
];
const ROLES: &[&str] = &["background", "method", "result", "extension"];
const POLARITIES: &[&str] = &["supporting", "neutral", "contrasting"];
const AUTHORS: &[&str] = &[
    "Ada Lovelace",
    "Alan Turing",
    "Grace Hopper",
    "Emmy Noether",
    "Kurt Gödel",
];

/// The site's records, as the test knows them.
struct Model {
    root: PathBuf,
    /// id → file path (relative to root).
    records: BTreeMap<String, String>,
    next_id: usize,
    broken: Option<(String, String)>,
}

impl Model {
    fn record(&self, rng: &mut Rng, id: &str) -> String {
        let mut text = format!(
            "---\nid: \"{id}\"\ntitle: \"Paper {id} v{}\"\n",
            rng.below(1000)
        );
        if rng.chance(80) {
            text.push_str(&format!("year: {}\n", 2015 + rng.below(10)));
        }
        let n = rng.below(3);
        let authors: Vec<String> = (0..n)
            .map(|_| format!("\"{}\"", rng.pick(AUTHORS)))
            .collect();
        text.push_str(&format!("authors: [{}]\n", dedup(authors).join(", ")));
        let kws: Vec<String> = (0..rng.below(3))
            .map(|_| format!("\"{}\"", rng.pick(KEYWORDS)))
            .collect();
        text.push_str(&format!("keywords: [{}]\n", dedup(kws).join(", ")));
        if rng.chance(60) {
            text.push_str(&format!(
                "summary: \"Summary {} of {id}.\"\n",
                rng.below(100)
            ));
        }
        let ids: Vec<&String> = self.records.keys().filter(|k| k.as_str() != id).collect();
        let mut cites = Vec::new();
        for _ in 0..rng.below(4) {
            let target = if rng.chance(75) && !ids.is_empty() {
                rng.pick(&ids).to_string()
            } else {
                format!("ext-{}", rng.below(5))
            };
            if cites.iter().any(|(t, _): &(String, String)| *t == target) {
                continue;
            }
            let mut entry = format!("  - id: \"{target}\"\n");
            if rng.chance(40) {
                entry.push_str(&format!("    role: {}\n", rng.pick(ROLES)));
            }
            if rng.chance(40) {
                entry.push_str(&format!("    polarity: {}\n", rng.pick(POLARITIES)));
            }
            if target.starts_with("ext-") && rng.chance(50) {
                entry.push_str(&format!("    title: \"External {target}\"\n"));
            }
            cites.push((target, entry));
        }
        if !cites.is_empty() {
            text.push_str("cites:\n");
            cites.iter().for_each(|(_, e)| text.push_str(e));
        }
        text.push_str(&format!("---\nNotes {}.\n", rng.below(50)));
        text
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn add(&mut self, rng: &mut Rng) -> String {
        let id = format!("p{}", self.next_id);
        self.next_id += 1;
        let dir = if rng.chance(30) {
            "content/papers/deep/er"
        } else {
            "content/papers"
        };
        let rel = format!("{dir}/{id}.md");
        let text = self.record(rng, &id);
        self.write(&rel, &text);
        self.records.insert(id.clone(), rel);
        format!("add {id}")
    }

    /// Applies one random edit (always one that touches a file, so the
    /// watcher rebuilds); returns what it did, for failure messages.
    fn edit(&mut self, rng: &mut Rng) -> String {
        if let Some((rel, good)) = self.broken.take() {
            self.write(&rel, &good);
            return format!("fix {rel}");
        }
        let ids: Vec<String> = self.records.keys().cloned().collect();
        match rng.below(100) {
            0..=19 => self.add(rng),
            20..=34 if !ids.is_empty() => {
                let id = rng.pick(&ids).clone();
                let text = self.record(rng, &id);
                self.write(&self.records[&id].clone(), &text);
                format!("change {id}")
            }
            35..=49 if !ids.is_empty() => {
                let id = rng.pick(&ids).clone();
                let rel = self.records[&id].clone();
                let text = fs::read_to_string(self.root.join(&rel)).unwrap();
                self.write(&rel, &retouch(rng, &text));
                format!("retouch {id}")
            }
            50..=51 if ids.iter().any(|id| self.records[id].contains("/moved/")) => {
                // A folder moved out of content/: the watcher hears of the
                // folder only, not of each record in it.
                let away = self.root.join("moved-away");
                fs::rename(self.root.join("content/papers/moved"), &away).unwrap();
                fs::remove_dir_all(&away).unwrap();
                let before = self.records.len();
                self.records.retain(|_, rel| !rel.contains("/moved/"));
                format!(
                    "move the folder moved/ away ({} records)",
                    before - self.records.len()
                )
            }
            50..=59 if !ids.is_empty() => {
                let id = rng.pick(&ids).clone();
                let from = self.records[&id].clone();
                let to = if from.contains("/moved/") {
                    format!("content/papers/{id}.md")
                } else {
                    format!("content/papers/moved/{id}.md")
                };
                fs::create_dir_all(self.root.join(&to).parent().unwrap()).unwrap();
                fs::rename(self.root.join(&from), self.root.join(&to)).unwrap();
                self.records.insert(id.clone(), to.clone());
                format!("move {from} to {to}")
            }
            60..=67 if ids.len() > 3 => {
                let id = rng.pick(&ids).clone();
                let rel = self.records.remove(&id).unwrap();
                fs::remove_file(self.root.join(&rel)).unwrap();
                format!("delete {id}")
            }
            68..=75 if !ids.is_empty() => {
                let id = rng.pick(&ids).clone();
                let rel = self.records[&id].clone();
                let good = fs::read_to_string(self.root.join(&rel)).unwrap();
                let bad = if rng.chance(50) {
                    good.replacen("title: \"", "title: [\"", 1)
                } else {
                    good.replacen("---\n", "---\nyear: \"twenty\"\n", 1)
                };
                self.write(&rel, &bad);
                self.broken = Some((rel.clone(), good));
                format!("break {rel}")
            }
            76..=83 => {
                let marker = rng.below(1000);
                let tpl = "themes/default/templates/partials/paper_item.html";
                let path = self.root.join(tpl);
                let base =
                    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(tpl)).unwrap();
                if path.exists() && rng.chance(50) {
                    fs::remove_file(&path).unwrap();
                    return "reset the paper_item template".into();
                }
                self.write(
                    tpl,
                    &base.replace("</li>", &format!("<!-- edit {marker} --></li>")),
                );
                format!("edit the paper_item template ({marker})")
            }
            84..=89 => {
                let per_page = 2 + rng.below(4);
                let title = format!("Watched hub {}", rng.below(100));
                self.write(
                    "site.yaml",
                    &format!("title: \"{title}\"\nbase_url: \"https://example.org/\"\npapers_per_page: {per_page}\nhub:\n  citing_per_page: {}\n", 1 + rng.below(3)),
                );
                format!("edit site.yaml (papers_per_page {per_page})")
            }
            90..=93 => {
                let rel = "content/pages/about.md";
                if self.root.join(rel).exists() && rng.chance(40) {
                    fs::remove_file(self.root.join(rel)).unwrap();
                    "delete the about page".into()
                } else {
                    self.write(
                        rel,
                        &format!("---\ntitle: \"About {}\"\n---\nHello.\n", rng.below(100)),
                    );
                    "write the about page".into()
                }
            }
            94..=96 => {
                // A folder replaced wholesale, as a restore from a backup does.
                let content = self.root.join("content");
                let old = self.root.join("content.old");
                fs::rename(&content, &old).unwrap();
                let status = Command::new("cp")
                    .arg("-r")
                    .arg(&old)
                    .arg(&content)
                    .status()
                    .unwrap();
                assert!(status.success());
                fs::remove_dir_all(&old).unwrap();
                "replace the content folder".into()
            }
            _ if !ids.is_empty() => {
                // An atomic save: write a temporary file, then rename it over the record.
                let id = rng.pick(&ids).clone();
                let rel = self.records[&id].clone();
                let text = self.record(rng, &id);
                // Named as content never is, or as sed names it: anything.
                let tmp = if rng.chance(50) {
                    self.root.join(format!("{rel}.tmp"))
                } else {
                    let n = rng.below(1_000_000);
                    self.root.join(&rel).with_file_name(format!("sed{n:06}"))
                };
                fs::write(&tmp, text).unwrap();
                fs::rename(&tmp, self.root.join(&rel)).unwrap();
                format!("atomic save of {id}")
            }
            _ => self.add(rng),
        }
    }
}

/// A record edited the way people mostly edit: its title, year, roles,
/// polarities, flags and what it says of works without a record change,
/// the ids it cites stay (the graph is then updated, not built anew), and
/// mostly its terms too (the taxonomies are then reused).
fn retouch(rng: &mut Rng, text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with("title: ") {
            out.push_str(&format!("title: \"Retouched {}\"\n", rng.below(1000)));
        } else if line.starts_with("year: ") {
            // Mostly kept, so that the record keeps its terms and the
            // taxonomies are reused too.
            if rng.chance(60) {
                out.push_str(line);
                out.push('\n');
            } else if rng.chance(70) {
                out.push_str(&format!("year: {}\n", 2015 + rng.below(10)));
            }
        } else if line.starts_with("    role: ") || line.starts_with("    polarity: ") {
            if rng.chance(50) {
                continue;
            }
            let (key, values) = if line.contains("role") {
                ("role", ROLES)
            } else {
                ("polarity", POLARITIES)
            };
            out.push_str(&format!("    {key}: {}\n", rng.pick(values)));
        } else if line.starts_with("    title: ") || line.starts_with("    representative: ") {
            // Dropped: set again below, by chance, after the entry's id.
        } else {
            out.push_str(line);
            out.push('\n');
            if line.starts_with("  - id: ") {
                if rng.chance(30) {
                    out.push_str("    representative: true\n");
                }
                if line.contains("ext-") && rng.chance(60) {
                    out.push_str(&format!("    title: \"Called {}\"\n", rng.below(10)));
                }
            }
        }
    }
    out
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

/// Every kind of edit `Model::edit` makes, as its description starts.
const EDIT_KINDS: [&str; 15] = [
    "add p",
    "change p",
    "retouch p",
    "move content/",
    "move the folder",
    "delete p",
    "break ",
    "fix ",
    "edit the paper_item",
    "reset the paper_item",
    "edit site.yaml",
    "write the about",
    "delete the about",
    "replace the content",
    "atomic save",
];
/// How many edits a run may take to make every kind.
const MAX_STEPS: usize = 600;

#[test]
fn rebuilds_under_watch_equal_clean_builds_over_random_edits() {
    let seed: u64 = std::env::var("PAPERHUB_WATCH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_1234_abcd);
    let steps: usize = std::env::var("PAPERHUB_WATCH_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if crate::util::heavy() { 220 } else { 60 });
    let mut rng = Rng(seed);
    let site = TestSite::empty();
    let clean_dir = tempfile::tempdir().unwrap();
    let mut model = Model {
        root: site.root().to_path_buf(),
        records: BTreeMap::new(),
        next_id: 0,
        broken: None,
    };
    model.write(
        "site.yaml",
        "title: \"Watched hub\"\nbase_url: \"https://example.org/\"\npapers_per_page: 3\nhub:\n  citing_per_page: 2\n",
    );
    for _ in 0..8 {
        model.add(&mut rng);
    }
    let mut expected =
        clean_build(site.root(), clean_dir.path()).expect("the starting site builds");
    // Past its first 4 KB, each rebuild holds its files on disk until it
    // commits them, as a large site's rebuilds do past 64 MB.
    let mut watch = crate::util::paperhub(&["watch"], site.root());
    watch.env("PAPERHUB_HELD_IN_MEMORY", "4096");
    let mut watcher = Watcher::start_command(watch);
    let out = site.root().join("output");
    assert!(
        snapshot(&out) == expected,
        "the first build differs from a clean build"
    );

    // Past `steps`, edits go on until each kind was made at least once
    // (the default seed covers them all within 60 edits; a replay of
    // another seed runs its steps only).
    let replay = std::env::var_os("PAPERHUB_WATCH_SEED").is_some();
    let mut kinds_left: Vec<&str> = if replay {
        Vec::new()
    } else {
        EDIT_KINDS.to_vec()
    };
    let mut done = Vec::new();
    for step in 0.. {
        if step >= steps && kinds_left.is_empty() {
            break;
        }
        assert!(
            step < steps.max(MAX_STEPS),
            "after {step} edits, none was of these kinds: {kinds_left:?} (seed {seed:#x})"
        );
        let what = model.edit(&mut rng);
        kinds_left.retain(|k| !what.starts_with(k));
        done.push(what.clone());
        watcher.settle(&what);
        if let Some(clean) = clean_build(site.root(), clean_dir.path()) {
            expected = clean;
        }
        let got = snapshot(&out);
        if got != expected {
            let keys: std::collections::BTreeSet<&String> =
                expected.keys().chain(got.keys()).collect();
            let differ: Vec<&&String> = keys
                .iter()
                .filter(|k| expected.get(**k) != got.get(**k))
                .take(10)
                .collect();
            panic!(
                "step {step} ({what}, seed {seed:#x}): output/ differs from a clean build in {differ:?}\nsteps so far: {done:?}\nwatcher log tail:\n{}",
                watcher.log.iter().rev().take(20).rev().cloned().collect::<Vec<_>>().join("\n")
            );
        }
    }
}

#[test]
fn leaves_unchanged_files_untouched() {
    let site = TestSite::fixture("full");
    let mut watcher = Watcher::start(site.root());
    let about = site.root().join("output/about/index.html");
    let css = site.root().join("output/static/style.css");
    let before = (
        fs::metadata(&about).unwrap().modified().unwrap(),
        fs::metadata(&css).unwrap().modified().unwrap(),
    );
    std::thread::sleep(Duration::from_millis(20));
    let path = site.root().join("content/papers/d.md");
    fs::write(
        &path,
        "---\ntitle: \"Delta, renamed\"\ncites: [\"2001.00001\"]\n---\n",
    )
    .unwrap();
    watcher.settle("an edit of d.md");
    let after = (
        fs::metadata(&about).unwrap().modified().unwrap(),
        fs::metadata(&css).unwrap().modified().unwrap(),
    );
    assert_eq!(before, after, "unrelated files were rewritten");
    let page = fs::read_to_string(site.root().join("output/papers/d/index.html")).unwrap();
    assert!(page.contains("Delta, renamed"));
    let last = watcher.last_rebuilt();
    assert!(
        !last["written"].as_array().expect("paths").is_empty(),
        "{last}"
    );
}

/// The everyday case: `paperhub watch` (or `serve`) in the site's folder,
/// with the default root `.`. Its events once went unrecognised, so no
/// edit was ever rebuilt.
#[test]
fn rebuilds_with_the_default_root() {
    let site = TestSite::fixture("full");
    let mut watch = crate::util::command();
    watch.arg("watch").current_dir(site.root());
    let mut watcher = Watcher::start_command(watch);
    fs::write(
        site.root().join("content/papers/d.md"),
        "---\ntitle: \"Delta, edited under a relative root\"\ncites: [\"2001.00001\"]\n---\n",
    )
    .unwrap();
    watcher.settle("an edit of d.md");
    let page = fs::read_to_string(site.root().join("output/papers/d/index.html")).unwrap();
    assert!(
        page.contains("Delta, edited under a relative root"),
        "watcher log:\n{}",
        watcher.log.join("\n")
    );
}

/// `watch` and `serve` start from the state the last build (or watch) left
/// beside output/, so restarting them on a large site renders only what
/// changed; and they leave theirs for the next build. Both commands run
/// in the site's folder: the build with the relative root `.`, watch with
/// its absolute form, which must not change a fingerprint.
#[test]
fn starts_from_the_last_build_and_leaves_its_state_to_the_next() {
    let site = TestSite::fixture("full");
    let in_site = |args: &[&str]| {
        let mut cmd = crate::util::command();
        cmd.args(args).current_dir(site.root());
        cmd
    };
    let build = |what: &str| {
        let run = in_site(&["build", "--json"]).output().unwrap();
        assert!(
            run.status.success(),
            "{what}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let summary: serde_json::Value =
            serde_json::from_slice(&run.stdout).expect("a JSON build summary");
        summary["rendered"].as_u64().expect("a count")
    };
    build("the first build");
    let out = site.root().join("output");
    let mut watcher = Watcher::start_command(in_site(&["watch"]));
    assert_eq!(watcher.rendered(), 0, "{:?}", watcher.log);
    fs::write(
        site.root().join("content/papers/d.md"),
        "---\ntitle: \"Delta, edited under watch\"\ncites: [\"2001.00001\"]\n---\n",
    )
    .unwrap();
    watcher.settle("an edit of d.md");
    assert!(watcher.rendered() > 0, "{:?}", watcher.log);
    watcher.await_event("saved", "an edit of d.md");
    drop(watcher);

    // The state is read by hand: `state::load` trusts only states that the
    // running binary wrote, and this test is another binary.
    let state = fs::read_to_string(paperhub::state::path_for(&out)).expect("watch saved its state");
    let mut lines = state.lines().skip(2);
    let id = lines.next().unwrap();
    let marker = fs::read_to_string(out.join(".paperhub")).unwrap();
    assert!(marker.contains(&format!("build {id}\n")), "{marker}");
    let named: std::collections::BTreeSet<&str> =
        lines.map(|l| l.split_once(' ').unwrap().1).collect();
    let files = snapshot(&out);
    assert_eq!(
        named,
        files.keys().map(String::as_str).collect(),
        "the state names every file of output/ and no other"
    );
    let mut watcher = Watcher::start_command(in_site(&["watch"]));
    assert_eq!(watcher.rendered(), 0, "{:?}", watcher.log);
    watcher.await_event("saved", "the start");
    drop(watcher);

    // Trusting watch's state, the build renders nothing.
    assert_eq!(build("the build after watch"), 0);
    let clean = tempfile::tempdir().unwrap();
    assert!(
        Some(snapshot(&out)) == clean_build(site.root(), &clean.path().join("output")),
        "a build after watch differs from a clean build"
    );
    assert!(site
        .read("papers/d/index.html")
        .contains("Delta, edited under watch"));
}

/// A saved state vouches for output/ only until the next rebuild changes
/// it: a rebuild killed before it saves again must leave no state that a
/// build would trust.
#[test]
fn a_rebuild_voids_the_saved_state_until_it_saves_its_own() {
    let site = TestSite::fixture("full");
    let root = fs::canonicalize(site.root()).unwrap();
    let out = root.join("output");
    let mut rebuilder = paperhub::watch::Rebuilder::new(paperhub::build::BuildOptions {
        root: root.clone(),
        ..Default::default()
    });
    rebuilder.rebuild(&paperhub::watch::Changes::all()).unwrap();
    assert!(paperhub::state::load(&out).is_none(), "not saved yet");
    rebuilder.save_state();
    let before = paperhub::state::load(&out).expect("saved");

    let record = root.join("content/papers/d.md");
    fs::write(&record, "---\ntitle: \"Delta, again\"\n---\n").unwrap();
    let mut changes = paperhub::watch::Changes::default();
    changes.add(&root, &record);
    rebuilder.rebuild(&changes).unwrap();
    assert!(
        paperhub::state::load(&out).is_none(),
        "output/ changed, yet the old state still vouches for it"
    );
    rebuilder.save_state();
    let after = paperhub::state::load(&out).expect("saved again");
    assert_ne!(
        before.get("papers/d/index.html"),
        after.get("papers/d/index.html")
    );

    // Nothing changed: the saved state still holds.
    rebuilder
        .rebuild(&paperhub::watch::Changes::default())
        .unwrap();
    assert!(paperhub::state::load(&out).is_some());
}

//! Interrupted builds: a build killed (SIGKILL) at a random moment leaves
//! output/ either the old complete site or the new complete site.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::util::TestSite;

fn write_version(site: &TestSite, version: &str) {
    for i in 0..150 {
        let cites = if i > 0 {
            format!("cites: [\"p{}\"]\n", i / 2)
        } else {
            String::new()
        };
        site.write(
            &format!("content/papers/p{i}.md"),
            format!(
                "---\nid: \"p{i}\"\ntitle: \"Paper {i}, version {version}\"\nyear: {}\nkeywords: [k{}]\n{cites}---\n# Notes\n\nText of version {version}. $x^{i}$\n\n```rust\nfn v{i}() {{}}\n```\n",
                2000 + i % 20,
                i % 7
            ),
        );
    }
}

#[cfg(unix)]
#[test]
fn a_killed_build_leaves_the_old_or_the_new_site() {
    let site = TestSite::empty();
    let out = site.root().join("output");
    let snap = |site: &TestSite| -> BTreeMap<String, Vec<u8>> { site.snapshot() };

    write_version(&site, "A");
    site.build().success();
    let a = snap(&site);
    write_version(&site, "B");
    let started = Instant::now();
    site.build().success();
    let took = started.elapsed();
    let b = snap(&site);
    assert!(a != b);

    // Kill builds going from B back to A, then from A to B, and so on.
    let mut rng = 0x2545_f491_u64;
    let (mut current, mut next, mut next_name) = (b, a, "A");
    for round in 0..24 {
        write_version(&site, next_name);
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let delay = Duration::from_micros(rng % (took.as_micros() as u64 * 11 / 10 + 1));
        let mut child = crate::util::command()
            .args(["build", "--root"])
            .arg(site.root())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let status = child.wait().unwrap();
        let now = snap(&site);
        let finished = status.success();
        assert!(
            now == current || now == next,
            "round {round}: after a kill at {delay:?} (build {}), output/ is neither the old nor the new site",
            if finished { "had finished" } else { "was killed" }
        );
        assert!(
            out.join("index.html").exists(),
            "round {round}: output/ lost its pages"
        );
        if now == next {
            std::mem::swap(&mut current, &mut next);
            next_name = if next_name == "A" { "B" } else { "A" };
        }
    }
    // The next build cleans up whatever a killed build left beside output/.
    site.build().success();
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.ends_with(".old"))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}

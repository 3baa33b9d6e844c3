//! Publishing: the footprint line, host budgets and `--strict`, and the
//! promise object-storage users rely on: after a one-record edit, a real
//! `rclone sync` copies only the files that edit changed.

use std::path::Path;
use std::process::Command;

use crate::util::*;

#[test]
fn every_build_reports_its_footprint_and_footprint_adds_the_shares() {
    let site = TestSite::example();
    site.build()
        .success()
        .stderr_has("Footprint: ")
        .stderr_has(" files, ");
    let run = site.run(&["build", "--footprint"]);
    run.success()
        .stderr_has("work pages")
        .stderr_has("lists and term pages");
    // The line counts what is on disk, the state marker aside.
    let files = site.listing().len();
    assert!(
        run.stderr()
            .contains(&format!("Footprint: {files} files, ")),
        "{files} files: {}",
        run.stderr()
    );
}

/// A file over the host's per-file limit: `build` warns, `build --strict` and `check --strict` fail with exit code 1 and
/// the previous output stays as it was.
#[test]
fn strict_refuses_a_file_over_the_hosts_per_file_limit() {
    let site = TestSite::example();
    site.build().success();
    let before = site.snapshot();
    // Cloudflare Pages allows 25 MiB per file: a static file of 26 MiB.
    site.write("themes/default/static/big.bin", vec![b'x'; 26 << 20]);
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{yaml}\nhost: cloudflare-pages\n"));
    site.run(&["build", "--strict"])
        .fails_with(1)
        .stderr_has("static/big.bin")
        .stderr_has("over Cloudflare Pages's limit of 25.0 MiB per file");
    assert_eq!(before, site.snapshot(), "the previous output stays");
    site.run(&["check", "--strict"]).fails_with(1);
    site.build()
        .success()
        .stderr_has("warning: the largest file, static/big.bin");
    assert!(site.exists("static/big.bin"));
}

/// `rclone sync` (Debian package `rclone`) between two local folders, as
/// to a bucket: after a one-record edit it copies exactly the files whose
/// bytes changed. paperhub keeps unchanged files byte-identical with their
/// old modification times, so size and time say "unchanged". CI installs
/// rclone and sets PAPERHUB_REQUIRE_RCLONE=1 so that a missing rclone
/// fails instead of skipping.
#[test]
fn rclone_sync_after_a_one_record_edit_copies_only_the_changed_files() {
    let found = Command::new("rclone")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("PAPERHUB_REQUIRE_RCLONE").is_none(),
            "rclone is required but not installed (apt-get install rclone)"
        );
        eprintln!("SKIPPED rclone_sync_after_a_one_record_edit_copies_only_the_changed_files: rclone is not installed");
        return;
    }
    let site = TestSite::example();
    site.build().success();
    let bucket = site.root().join("bucket");
    let sync = |site: &TestSite, bucket: &Path| -> usize {
        let out = Command::new("rclone")
            .args([
                "sync",
                "--config",
                "/dev/null",
                "--stats-log-level",
                "NOTICE",
                "-v",
            ])
            .arg(site.root().join("output"))
            .arg(bucket)
            .output()
            .expect("rclone runs");
        let log = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "rclone sync failed:\n{log}");
        log.lines().filter(|l| l.contains(": Copied (")).count()
    };
    let all = site.listing().len();
    let first = sync(&site, &bucket);
    // Every page, and the `.paperhub` marker that names the build.
    assert_eq!(first, all + 1, "the first sync copies everything");
    assert_eq!(sync(&site, &bucket), 0, "nothing changed, nothing copied");

    let before = site.snapshot();
    let record = "content/papers/2308.05374.md";
    let text = std::fs::read_to_string(site.root().join(record))
        .unwrap_or_else(|_| panic!("the example has {record}"));
    site.write(record, text.replacen("title: \"", "title: \"Edited ", 1));
    site.build().success();
    let after = site.snapshot();
    let changed = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(*bytes))
        .count();
    assert!(
        changed > 0 && changed < all / 4,
        "{changed} of {all} files changed"
    );
    assert_eq!(
        sync(&site, &bucket),
        changed + 1,
        "rclone copies exactly the files the edit changed, and the marker"
    );
}

//! The command line: help, init, new, check.

use crate::util::{assert_has, TestSite};

#[test]
fn every_subcommand_has_help() {
    let site = TestSite::empty();
    for cmd in ["build", "check", "init", "new"] {
        let run = site.run(&[cmd, "--help"]);
        run.success();
        assert!(
            String::from_utf8_lossy(&run.output.stdout).contains("Usage: paperhub"),
            "{cmd} --help"
        );
    }
}

#[test]
fn init_creates_a_site_that_builds() {
    let site = TestSite::empty();
    let dir = site.root().join("new-site");
    let dir_s = dir.display().to_string();
    site.run(&["init", &dir_s]).success();
    assert!(dir.join("site.yaml").exists() && dir.join("content/papers/1911.03030.md").exists());
    site.run(&["init", &dir_s])
        .fails_with(2)
        .stderr_has("not empty");
    let run = site.run(&["build", "--root", &dir_s]);
    run.success();
    let page = std::fs::read_to_string(dir.join("output/papers/1911.03030/index.html")).unwrap();
    assert_has(&page, "Certified Data Removal from Machine Learning Models");
}

#[test]
fn init_can_copy_the_theme_for_customising() {
    let site = TestSite::empty();
    let dir = site.root().join("themed");
    site.run(&["init", "--theme", &dir.display().to_string()])
        .success();
    assert!(dir.join("themes/default/templates/paper.html").exists());
    assert!(dir.join("themes/default/static/style.css").exists());
}

#[test]
fn new_writes_a_record_that_check_accepts() {
    let site = TestSite::empty();
    site.run(&["new", "2402.12345", "--title", "A new paper"])
        .success();
    assert!(site.root().join("content/papers/2402.12345.md").exists());
    site.run(&["check"])
        .success()
        .stderr_has("No problems in 1 papers");
    site.run(&["new", "2402.12345", "--title", "Again"])
        .fails_with(2)
        .stderr_has("already exists");
}

#[test]
fn refuses_a_folder_that_is_not_a_site() {
    let site = TestSite::empty();
    let missing = site.root().join("nowhere").display().to_string();
    site.run(&["build", "--root", &missing])
        .fails_with(2)
        .stderr_has("no paperhub site");
}

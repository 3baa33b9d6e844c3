//! Internal links relative to the page, so that one output works from a
//! folder (`file://`), under any subpath and on any host. Views and
//! templates write every internal link from the site root (`/papers/x/`,
//! or `/hub/papers/x/` under a subpath, see `Config::base_path`); the
//! finished page is rewritten here, once, to `../x/`-style links. A
//! portable build (`build --portable`) also ends each link to a folder
//! with `index.html`, which browsers do not add from disk.
//!
//! Runs on every rendered HTML page but `404.html`, which hosts serve at
//! any address, so only links from the root work there.

/// The attributes whose values are links, as they end before the value.
const LINK_NAMES: [&str; 5] = [
    " href=\"",
    " src=\"",
    " action=\"",
    " data-next=\"",
    " data-index=\"",
];

/// How links are written in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LinkStyle {
    /// End links to folders with `index.html`.
    pub portable: bool,
}

/// The folder of the page at site path `page`: `papers/x/` for
/// `papers/x/index.html`, empty for `index.html`.
fn folder(page: &str) -> &str {
    page.rfind('/').map_or("", |i| &page[..=i])
}

/// `html`, the page at site path `page`, with every link that starts with
/// `base_path` (the site root's path, ending in `/`) made relative to the
/// page. Other links (with a host, fragments, already relative) are left
/// as they are.
pub fn relative(html: &str, page: &str, base_path: &str, style: LinkStyle) -> String {
    let dir = folder(page);
    let mut out = String::with_capacity(html.len() + html.len() / 32);
    let mut done = 0;
    // Every `="` ends an attribute name; a link's value follows one of
    // LINK_NAMES. Only alias pages refresh, with `url=` inside `content`.
    let refresh = html.contains("http-equiv=\"refresh\"");
    let values = memchr::memmem::find_iter(html.as_bytes(), "=\"").map(|i| i + 2);
    let starts: Box<dyn Iterator<Item = usize>> = if refresh {
        let urls = memchr::memmem::find_iter(html.as_bytes(), "; url=").map(|i| i + 6);
        let mut all: Vec<usize> = values.chain(urls).collect();
        all.sort_unstable();
        Box::new(all.into_iter())
    } else {
        Box::new(values)
    };
    // Whether the scan is inside a tag, as of `seen`: text (a code span
    // showing `href="/x"`) is never rewritten.
    let (mut in_tag, mut seen) = (false, 0);
    for at in starts {
        let name = &html[..at];
        let is_link = at >= done
            && (LINK_NAMES.iter().any(|n| name.ends_with(n)) || name.ends_with("; url="));
        if !is_link {
            continue;
        }
        if let Some(i) = memchr::memrchr2(b'<', b'>', &html.as_bytes()[seen..at]) {
            in_tag = html.as_bytes()[seen + i] == b'<';
        }
        seen = at;
        if !in_tag {
            continue;
        }
        out.push_str(&html[done..at]);
        let end = html[at..]
            .find(['"', '\'', ' ', '>'])
            .map_or(html.len(), |i| at + i);
        let link = &html[at..end];
        // The root without its slash (`/hub` for `/hub/`) is the root too.
        let path = link
            .strip_prefix(base_path)
            .or_else(|| (link == base_path.trim_end_matches('/')).then_some(""));
        match path.filter(|_| !link.starts_with("//")) {
            Some(path) => push_relative(&mut out, dir, path, style),
            None => out.push_str(link),
        }
        done = end;
    }
    out.push_str(&html[done..]);
    out
}

/// The link from the page at site path `page` to the site path `path`.
pub fn from_page(page: &str, path: &str, style: LinkStyle) -> String {
    let mut out = String::new();
    push_relative(&mut out, folder(page), path, style);
    out
}

/// The shortest link from the folder `dir` (such as `papers/y/`) to the
/// site path `path` (such as `papers/x/#hub`): up to the folders they
/// share, then down; with `index.html` for a folder when portable.
fn push_relative(out: &mut String, dir: &str, path: &str, style: LinkStyle) {
    // A query or a fragment, but not the `#` of a character reference
    // (`&#39;`) in the path.
    let split = path
        .char_indices()
        .find(|&(i, c)| c == '?' || (c == '#' && !path[..i].ends_with('&')))
        .map_or(path.len(), |(i, _)| i);
    let (path, tail) = path.split_at(split);
    let mut shared = 0;
    for part in dir.split_inclusive('/') {
        if !path[shared..].starts_with(part) {
            break;
        }
        shared += part.len();
    }
    let ups = dir[shared..].matches('/').count();
    let down = &path[shared..];
    for _ in 0..ups {
        out.push_str("../");
    }
    out.push_str(down);
    if style.portable && (down.is_empty() || down.ends_with('/')) {
        out.push_str("index.html");
    } else if ups == 0 && down.is_empty() {
        // The page's own folder: an empty link would be the page itself.
        out.push_str("./");
    }
    out.push_str(tail);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_from_the_root_become_relative_to_the_page() {
        let html = r##"<a href="/papers/x/">x</a> <link rel="stylesheet" href="/static/style.css"> <a href="/">home</a> <a href="https://e.org/">out</a> <a href="#hub">in</a> <img src="/static/a.png"> <a href="//cdn.example/x">cdn</a>"##;
        let got = relative(html, "papers/y/index.html", "/", LinkStyle::default());
        assert_eq!(
            got,
            r##"<a href="../x/">x</a> <link rel="stylesheet" href="../../static/style.css"> <a href="../../">home</a> <a href="https://e.org/">out</a> <a href="#hub">in</a> <img src="../../static/a.png"> <a href="//cdn.example/x">cdn</a>"##
        );
        let pages = relative(
            r##"<a href="/papers/page/2/">2</a><a href="/papers/">1</a><a href="/papers/page/3/">here</a>"##,
            "papers/page/3/index.html",
            "/",
            LinkStyle::default(),
        );
        assert_eq!(
            pages,
            r##"<a href="../2/">2</a><a href="../../">1</a><a href="./">here</a>"##
        );
        let home = relative(
            r##"<a href="/">home</a><a href="/papers/">p</a>"##,
            "index.html",
            "/",
            LinkStyle::default(),
        );
        assert_eq!(home, r##"<a href="./">home</a><a href="papers/">p</a>"##);
    }

    #[test]
    fn a_subpath_is_the_root_and_other_paths_stay() {
        let html = r##"<a href="/hub/papers/x/#cites">x</a><a href="/elsewhere/">e</a>"##;
        let got = relative(
            html,
            "authors/a/page/2/index.html",
            "/hub/",
            LinkStyle::default(),
        );
        assert_eq!(
            got,
            r##"<a href="../../../../papers/x/#cites">x</a><a href="/elsewhere/">e</a>"##
        );
    }

    #[test]
    fn portable_links_name_the_index_file() {
        let style = LinkStyle { portable: true };
        let html = r##"<meta http-equiv="refresh" content="0; url=/papers/x/"><a href="/papers/x/?q=1">x</a><a href="/">h</a><a href="/feed.xml">f</a>"##;
        let got = relative(html, "p/alias/index.html", "/", style);
        assert_eq!(
            got,
            r##"<meta http-equiv="refresh" content="0; url=../../papers/x/index.html"><a href="../../papers/x/index.html?q=1">x</a><a href="../../index.html">h</a><a href="../../feed.xml">f</a>"##
        );
        assert_eq!(
            from_page("search/index.html", "papers/x/", style),
            "../papers/x/index.html"
        );
    }

    #[test]
    fn text_that_only_looks_like_a_link_is_kept() {
        // Markdown leaves quotes in text as they are: only tags are links.
        let html = "<p>Write <code>&lt;link href=\"/static/x.css\"&gt;</code> and <a href=\"/x/\">x</a>; see /papers/x/</p>";
        let want = "<p>Write <code>&lt;link href=\"/static/x.css\"&gt;</code> and <a href=\"../x/\">x</a>; see /papers/x/</p>";
        assert_eq!(
            relative(html, "a/index.html", "/", LinkStyle::default()),
            want
        );
    }

    #[test]
    fn the_bare_base_and_character_references_are_handled() {
        let style = LinkStyle { portable: true };
        let html = r##"<a href="/hub">home</a><a href="/hub/papers/o&#39;b/#x">o</a>"##;
        assert_eq!(
            relative(html, "papers/y/index.html", "/hub/", style),
            r##"<a href="../../index.html">home</a><a href="../o&#39;b/index.html#x">o</a>"##
        );
    }
}

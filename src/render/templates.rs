//! The template engine: the theme's templates compiled once per build, and
//! tera's errors turned into diagnostics that name the template file.

use std::cell::Cell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tera::{Context, ErrorKind, Kwargs, State, Tera, TeraResult, Value};

use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::error::{Error, Result};
use crate::theme::Theme;

thread_local! {
    /// A rendered file's buffer: the next page rendered on this thread
    /// fills it instead of fresh memory, which a large build would
    /// otherwise take from the system (and fault in) again and again.
    static SPARE: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// Larger buffers are freed: kept, one large export would hold its memory
/// in every thread for as long as `serve` runs. A large hub's
/// `citing.json` (16 MB at 150,000 papers) fits, and is made again in
/// reused memory rather than in fresh pages.
const SPARE_MAX: usize = 32 << 20;

/// An empty buffer with room for `len` bytes: this thread's spare one when
/// there is one, so that the large per-work files (`citing.json` of a hub
/// cited thousands of times) reuse memory instead of faulting in fresh
/// pages for every file.
pub(super) fn spare(len: usize) -> Vec<u8> {
    let mut out = SPARE.take();
    out.reserve(len);
    out
}

/// Hands a rendered file's bytes (written or not) back for the next render
/// on this thread. The larger of them and the buffer kept already is kept,
/// so a small JSON or BibTeX file does not displace a page-sized buffer.
pub(super) fn recycle(mut bytes: Vec<u8>) {
    let spare = SPARE.take();
    if bytes.capacity() > spare.capacity() && bytes.capacity() <= SPARE_MAX {
        bytes.clear();
        SPARE.set(bytes);
    } else {
        SPARE.set(spare);
    }
}

/// Compiled templates, shared read-only by render threads.
pub struct Engine {
    tera: Tera,
    origins: HashMap<String, PathBuf>,
    /// Nanoseconds spent executing templates, summed over threads.
    spent: AtomicU64,
    /// By template: the size of its last output, to size the next buffer
    /// (pages of one template are alike, and growing one copies it).
    sizes: HashMap<String, AtomicUsize>,
}

impl Engine {
    /// Compiles every template of the theme; syntax errors in any of them
    /// are reported with the template's file, line and column.
    pub fn new(theme: &Theme) -> Result<Engine> {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        tera.register_filter("et_al", et_al_filter);
        let origins: HashMap<String, PathBuf> = theme
            .templates
            .iter()
            .map(|t| (t.name.clone(), t.origin.clone()))
            .collect();
        let sizes = theme
            .templates
            .iter()
            .map(|t| (t.name.clone(), AtomicUsize::new(4096)))
            .collect();
        let mut engine = Engine {
            tera: Tera::new(),
            origins,
            spent: AtomicU64::new(0),
            sizes,
        };
        tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|t| (t.name.as_str(), t.source.as_ref())),
        )
        .map_err(|e| engine.error(&e, None))?;
        engine.tera = tera;
        Ok(engine)
    }

    /// Site-wide values (`site`) available to every template.
    pub fn set_global(&mut self, key: &'static str, value: &impl serde::Serialize) {
        self.tera.global_context().insert(key, value);
    }

    /// Renders `name`; `page` names the page being rendered, for errors.
    /// Bytes, not a `String`: they go to a file as they are, and tera's
    /// output is UTF-8 already, so checking it again would be wasted.
    /// They fill the thread's spare buffer; hand them back with [`recycle`].
    pub fn render(&self, name: &str, ctx: &Context, page: &str) -> Result<Vec<u8>> {
        let started = Instant::now();
        let size = self.sizes.get(name);
        let hint = size.map_or(4096, |s| s.load(Ordering::Relaxed));
        let mut out = spare(hint + hint / 4);
        let html = self.tera.render_to(name, ctx, &mut out).map(|()| {
            if let Some(s) = size {
                s.store(out.len(), Ordering::Relaxed);
            }
            out
        });
        self.spent
            .fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
        html.map_err(|e| self.error(&e, Some(page)))
    }

    /// Time spent executing templates since the last call, summed over
    /// threads (for `--timings`).
    pub fn take_spent(&self) -> Duration {
        Duration::from_nanos(self.spent.swap(0, Ordering::Relaxed))
    }

    fn error(&self, e: &tera::Error, page: Option<&str>) -> Error {
        let origin = |name: &str| {
            self.origins
                .get(name)
                .cloned()
                .unwrap_or_else(|| PathBuf::from(name))
        };
        let hint = match page {
            Some(p) => format!("while rendering /{p}; the variables each template gets are listed in the guide (guide/src/themes.md)"),
            None => "fix the template syntax; tera's syntax is described at https://keats.github.io/tera/".to_string(),
        };
        let d = match e.kind() {
            ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
                let span = r.span();
                Diagnostic::new(
                    origin(r.filename()),
                    Pos::new(span.start_line.max(1), span.start_col + 1),
                    r.message(),
                )
                .hint(hint)
            }
            ErrorKind::TemplateNotFound(name) => Diagnostic::new(
                origin(page.unwrap_or("templates")),
                Pos::START,
                format!("template `{name}` not found"),
            )
            .hint("a theme folder overrides the built-in templates file by file; check the name"),
            _ => Diagnostic::new(PathBuf::from("templates"), Pos::START, e.to_string()).hint(hint),
        };
        Error::Content(Diagnostics(vec![d]))
    }
}

/// `{{ authors | et_al }}`: the first three names joined with ", ", and
/// " et al." when there are more (`max=N` for another number). One filter
/// rather than a slice, a `join` and a `length` in every list item.
fn et_al_filter(names: &[Value], kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let max = kwargs.get::<usize>("max")?.unwrap_or(3);
    Ok(et_al(names, max))
}

/// The first `max` names, then "et al." when there are more (the `et_al`
/// filter, which the native list items share).
pub(super) fn et_al(names: &[Value], max: usize) -> String {
    let shown = &names[..names.len().min(max)];
    let len: usize = shown
        .iter()
        .map(|n| n.as_str().map_or(8, str::len) + 2)
        .sum();
    let mut out = String::with_capacity(len + 8);
    for (i, name) in shown.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match name.as_str() {
            Some(s) => out.push_str(s),
            None => out.push_str(&name.to_string()),
        }
    }
    if names.len() > max {
        out.push_str(" et al.");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str, authors: &[&str]) -> String {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html"]);
        tera.register_filter("et_al", et_al_filter);
        tera.add_raw_template("t.html", template).unwrap();
        let mut c = Context::new();
        c.insert("authors", &authors);
        tera.render("t.html", &c).unwrap()
    }

    #[test]
    fn et_al_shortens_long_author_lists_and_escapes() {
        let t = "{{ authors | et_al }}";
        assert_eq!(render(t, &[]), "");
        assert_eq!(render(t, &["A"]), "A");
        assert_eq!(render(t, &["A", "B", "C"]), "A, B, C");
        assert_eq!(render(t, &["A", "B", "C", "D"]), "A, B, C et al.");
        assert_eq!(
            render("{{ authors | et_al(max=1) }}", &["A", "B"]),
            "A et al."
        );
        assert_eq!(render(t, &["<b>"]), "&lt;b&gt;");
    }

    #[test]
    fn a_page_rendered_into_a_recycled_buffer_has_only_its_own_bytes() {
        let template = |name: &str, source: &'static str| crate::theme::Template {
            name: name.to_string(),
            source: source.into(),
            origin: PathBuf::from(name),
        };
        let engine = Engine::new(&Theme {
            name: "t".to_string(),
            templates: vec![template("t.html", "<p>{{ text }}</p>")],
            statics: Vec::new(),
        })
        .unwrap();
        let page = |text: &str| {
            let mut c = Context::new();
            c.insert("text", text);
            engine.render("t.html", &c, "t/").unwrap()
        };
        let long = page(&"long page ".repeat(1000));
        let capacity = long.capacity();
        recycle(long);
        // A smaller buffer coming back does not displace the larger one.
        recycle(Vec::with_capacity(16));
        let kept = SPARE.take();
        assert_eq!(kept.capacity(), capacity);
        recycle(kept);
        let short = page("short");
        // The render took the spare buffer rather than new memory.
        assert_eq!(SPARE.take().capacity(), 0);
        assert_eq!(short, b"<p>short</p>");
        // A buffer too large to keep is freed.
        recycle(Vec::with_capacity(SPARE_MAX + 1));
        assert_eq!(SPARE.take().capacity(), 0);
    }
}

//! Imported entries into records: a new file per new work, and for a work
//! that already has a record (same id, DOI or arXiv id) an update of the
//! fields the source owns. A record is rewritten only when a value
//! changes, so importing the same file twice changes nothing.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::yaml::{Mapping, Value};

use super::{Citation, Entry, Origin, Parsed};
use crate::content::{discover, split_front_matter, RecordFormat};
use crate::diag::{display_path, Diagnostic, Pos};
use crate::error::{Error, Result};
use crate::export::strip_version;

/// What importing did (or, in a dry run, would do) to one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Created(PathBuf),
    /// The record and the fields that changed.
    Updated(PathBuf, Vec<String>),
    Unchanged(PathBuf),
}

/// The changes, one per imported entry, with the entry's origin.
#[derive(Debug, Default)]
pub struct Report {
    pub changes: Vec<(Origin, Change)>,
}

impl Report {
    pub fn count(&self, f: fn(&Change) -> bool) -> usize {
        self.changes.iter().filter(|(_, c)| f(c)).count()
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Created(p) => write!(f, "create {}", p.display()),
            Change::Updated(p, fields) => {
                write!(f, "update {} ({})", p.display(), fields.join(", "))
            }
            Change::Unchanged(p) => write!(f, "unchanged {}", p.display()),
        }
    }
}

/// A record on disk, as a YAML mapping plus what surrounds it.
struct Record {
    path: PathBuf,
    format: RecordFormat,
    mapping: Mapping,
    /// The Markdown body (Markdown records), kept byte for byte.
    body: String,
    /// The text as read, to tell whether anything changed.
    original: Mapping,
    created: bool,
}

fn key(k: &str) -> Value {
    Value::String(k.to_string())
}

fn text(m: &Mapping, k: &str) -> Option<String> {
    match m.get(key(k))? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Applies `parsed.entries` to the records under `root/content/papers`.
/// Entries that cannot be applied join `parsed.skipped`.
pub fn apply(root: &Path, parsed: &mut Parsed, dry_run: bool) -> Result<Report> {
    let mut site = Records::read(root)?;
    site.cite_records_by_their_ids(parsed);
    let mut seen: HashMap<String, Origin> = HashMap::new();
    // The record each applied entry went to, in the entries' order.
    let mut applied: Vec<(Origin, usize)> = Vec::new();
    for e in std::mem::take(&mut parsed.entries) {
        if let Some(first) = seen.get(&e.id) {
            let why = format!("is the same work (`{}`) as {first}", e.id);
            parsed.skipped.push(skip(&e, why));
            continue;
        }
        seen.insert(e.id.clone(), e.origin.clone());
        let i = match site.record_for(&e) {
            Ok(i) => i,
            Err(d) => {
                parsed.skipped.push(d);
                continue;
            }
        };
        let own = site.ids.get(i).cloned().unwrap_or_else(|| e.id.clone());
        update(&mut site.records[i], &e, &own, parsed.source);
        applied.push((e.origin, i));
    }
    // Now that every entry is merged, say what changed and write it.
    let mut report = Report::default();
    for (origin, i) in &applied {
        report.changes.push((origin.clone(), site.change(*i)));
    }
    if !dry_run {
        let mut written: Vec<usize> = applied.iter().map(|&(_, i)| i).collect();
        written.sort_unstable();
        written.dedup();
        for i in written {
            let r = &site.records[i];
            if r.created || r.mapping != r.original {
                write(r)?;
            }
        }
    }
    Ok(report)
}

/// The site's records as an import finds them, and those it creates.
struct Records {
    root: PathBuf,
    records: Vec<Record>,
    /// Each record by the keys it is known by ([`keys_of`]).
    by_key: HashMap<String, usize>,
    /// Every record file, parsed or not, by lowercased path: a new record
    /// must not land on any of them (case-insensitive disks included).
    taken: std::collections::HashSet<String>,
    /// The id of each record read (not of those created).
    ids: Vec<String>,
}

impl Records {
    fn read(root: &Path) -> Result<Records> {
        let mut site = Records {
            root: root.to_path_buf(),
            records: Vec::new(),
            by_key: HashMap::new(),
            taken: Default::default(),
            ids: Vec::new(),
        };
        for path in discover(&root.join("content")).records {
            site.taken.insert(path.to_string_lossy().to_lowercase());
            let Some(format) = RecordFormat::of(&path) else {
                continue;
            };
            let source = std::fs::read_to_string(&path).map_err(|e| Error::read(&path, e))?;
            let (yaml, body) = match format {
                RecordFormat::Markdown => match split_front_matter(&path, &source) {
                    Ok(s) => (s.yaml.to_string(), s.body.to_string()),
                    Err(_) => continue,
                },
                RecordFormat::Yaml => (source.clone(), String::new()),
            };
            // A record that does not parse is left alone; `check` reports it.
            let Some(mapping) = crate::yaml::mapping(&yaml) else {
                continue;
            };
            let stem = path.file_stem().unwrap_or_default().to_string_lossy();
            let id = text_or(&mapping, "id", &stem);
            let (doi, arxiv) = (text(&mapping, "doi"), text(&mapping, "arxiv"));
            site.add_keys(&id, doi.as_deref(), arxiv.as_deref(), site.records.len());
            site.ids.push(id);
            site.records.push(Record {
                path,
                format,
                original: mapping.clone(),
                mapping,
                body,
                created: false,
            });
        }
        Ok(site)
    }

    fn add_keys(&mut self, id: &str, doi: Option<&str>, arxiv: Option<&str>, i: usize) {
        for k in keys_of(id, doi, arxiv) {
            self.by_key.entry(k).or_insert(i);
        }
    }

    fn find(&self, id: &str, doi: Option<&str>, arxiv: Option<&str>) -> Option<usize> {
        keys_of(id, doi, arxiv)
            .iter()
            .find_map(|k| self.by_key.get(k).copied())
    }

    /// A cited work that has a record is cited by that record's id, found
    /// by its id, DOI or arXiv id.
    fn cite_records_by_their_ids(&self, parsed: &mut Parsed) {
        for c in parsed.entries.iter_mut().flat_map(|e| e.cites.iter_mut()) {
            if let Some(i) = self.find(&c.id, c.doi.as_deref(), c.arxiv.as_deref()) {
                c.id.clone_from(&self.ids[i]);
            }
        }
    }

    /// The record entry `e` goes to: the work's own, or a new one under
    /// `content/papers/`; why not, when it can go to none.
    fn record_for(&mut self, e: &Entry) -> std::result::Result<usize, Diagnostic> {
        if let Some(i) = self.find(&e.id, e.doi.as_deref(), e.arxiv.as_deref()) {
            return Ok(i);
        }
        if e.only_cites {
            let why = format!(
                "adds citations to `{}`, which has no record in this site",
                e.id
            );
            return Err(skip(e, why).hint(
                "import the paper itself first (e.g. its /paper/{id} response), or use `--fetch`, which does both",
            ));
        }
        let Some(slug) = crate::slug::work_slug(&e.id) else {
            let why = format!("has an id (`{}`) that cannot be a URL", e.id);
            return Err(skip(e, why));
        };
        if slug.starts_with('.') {
            let why = format!("has an id (`{}`) that would make a hidden file", e.id);
            return Err(skip(e, why));
        }
        let path = self
            .root
            .join("content")
            .join("papers")
            .join(format!("{slug}.md"));
        if path.exists() || !self.taken.insert(path.to_string_lossy().to_lowercase()) {
            let why = format!(
                "would be written to {}, which exists and is not the same work (or cannot be read)",
                display_path(&self.root, &path).display()
            );
            return Err(skip(e, why));
        }
        let mut mapping = Mapping::new();
        mapping.insert(key("id"), Value::String(e.id.clone()));
        self.records.push(Record {
            path,
            format: RecordFormat::Markdown,
            original: Mapping::new(),
            mapping,
            body: String::new(),
            created: true,
        });
        let i = self.records.len() - 1;
        self.add_keys(&e.id, e.doi.as_deref(), e.arxiv.as_deref(), i);
        Ok(i)
    }

    /// What merging did to record `i`.
    fn change(&self, i: usize) -> Change {
        let r = &self.records[i];
        let shown = display_path(&self.root, &r.path);
        if r.created {
            return Change::Created(shown);
        }
        let fields = changed_fields(&r.original, &r.mapping);
        if fields.is_empty() {
            Change::Unchanged(shown)
        } else {
            Change::Updated(shown, fields)
        }
    }
}

fn text_or(m: &Mapping, k: &str, default: &str) -> String {
    text(m, k).unwrap_or_else(|| default.to_string())
}

/// The keys a work is known by: its id, its DOI and its arXiv id.
fn keys_of(id: &str, doi: Option<&str>, arxiv: Option<&str>) -> Vec<String> {
    let mut keys = vec![format!("id:{id}")];
    if let Some(d) = doi {
        keys.push(format!("doi:{}", super::bare_doi(d).to_lowercase()));
    }
    if let Some(a) = arxiv {
        keys.push(format!("arxiv:{}", strip_version(a)));
    }
    keys
}

fn skip(e: &Entry, why: String) -> Diagnostic {
    Diagnostic::new(
        &e.origin.file,
        Pos::new(e.origin.line, 1),
        format!("entry `{}` {why}", e.origin.name),
    )
    .hint("the entry was not imported")
}

/// Sets the fields the source owns, fills empty ones a person may have
/// left, and adds new citations; everything else stays as written.
fn update(r: &mut Record, e: &Entry, id: &str, owner: Option<&str>) {
    if !e.only_cites {
        update_fields(r, e);
    }
    update_cites(&mut r.mapping, &e.cites, id, owner);
}

fn update_fields(r: &mut Record, e: &Entry) {
    let m = &mut r.mapping;
    let set = |m: &mut Mapping, k: &str, v: Value| {
        if m.get(key(k)) != Some(&v) {
            m.insert(key(k), v);
        }
    };
    set(m, "title", Value::String(e.title.clone()));
    if !e.authors.is_empty() {
        set(m, "authors", strings(&e.authors));
    }
    match (&e.date, e.year) {
        (Some(d), _) => {
            set(m, "date", Value::String(d.clone()));
            // A year beside a date must agree with it.
            if m.contains_key(key("year")) {
                let y = crate::content::parse_date(d).unwrap_or_default();
                set(m, "year", Value::Number(y.into()));
            }
        }
        (None, Some(y)) => {
            let date_year = text(m, "date").and_then(|d| crate::content::parse_date(&d));
            if date_year.is_none() {
                set(m, "year", Value::Number(y.into()));
            }
        }
        (None, None) => {}
    }
    if let Some(v) = &e.venue {
        set(m, "venue", Value::String(v.clone()));
    }
    if let Some(a) = &e.arxiv {
        // Keep a version suffix someone wrote for the same paper.
        let same = text(m, "arxiv").is_some_and(|old| strip_version(&old) == strip_version(a));
        if !same {
            set(m, "arxiv", Value::String(a.clone()));
        }
    }
    for (k, v) in [("doi", &e.doi), ("url", &e.url), ("pdf", &e.pdf)] {
        if let Some(v) = v {
            set(m, k, Value::String(v.clone()));
        }
    }
    if !e.categories.is_empty() {
        set(m, "categories", strings(&e.categories));
    }
    if !e.keywords.is_empty() && !m.contains_key(key("keywords")) {
        m.insert(key("keywords"), strings(&e.keywords));
    }
    if let Some(a) = &e.abstract_text {
        let has_body = r.format == RecordFormat::Markdown && !r.body.trim().is_empty();
        if !m.contains_key(key("abstract")) && !has_body {
            m.insert(key("abstract"), Value::String(a.clone()));
        }
    }
    if let Some(summary) = &e.summary {
        if !m.contains_key(key("summary")) {
            m.insert(key("summary"), Value::String(summary.clone()));
        }
    }
}

/// Adds the citations a record lacks and merges what the source says of
/// those it has. An entry the source wrote (its `source:` is `owner`)
/// follows the source, labels withdrawn included; an entry a person
/// labelled only gains sentences and influence it leaves out; a bare id
/// becomes the source's. A record never cites itself.
fn update_cites(m: &mut Mapping, cites: &[Citation], own: &str, owner: Option<&str>) {
    if cites.is_empty() {
        return;
    }
    let old = match m.get(key("cites")) {
        Some(Value::Sequence(s)) => s.clone(),
        _ => Vec::new(),
    };
    let mut list = old.clone();
    let mut at: HashMap<String, usize> = HashMap::new();
    for (i, v) in list.iter().enumerate() {
        let id = match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Mapping(c) => text(c, "id"),
            _ => None,
        };
        if let Some(id) = id {
            at.entry(id).or_insert(i);
        }
    }
    for c in cites.iter().filter(|c| c.id != own) {
        match at.get(&c.id) {
            Some(&i) => merge_cite(&mut list[i], c, owner),
            None => {
                at.insert(c.id.clone(), list.len());
                list.push(new_cite(c, owner));
            }
        }
    }
    if list != old {
        m.insert(key("cites"), Value::Sequence(list));
    }
}

/// The labels a person may write on a citation.
const LABELS: [&str; 5] = ["role", "polarity", "context", "contexts", "influential"];

/// A `cites:` entry: the bare id, or a mapping when there is more to say.
fn new_cite(c: &Citation, owner: Option<&str>) -> Value {
    let mut m = Mapping::new();
    m.insert(key("id"), Value::String(c.id.clone()));
    if let Some(owner) = owner {
        set_owned(&mut m, c, owner);
    }
    fill_about(&mut m, c);
    bare_if_only_id(m)
}

fn merge_cite(v: &mut Value, c: &Citation, owner: Option<&str>) {
    let m = match v {
        Value::Mapping(m) => m,
        // A bare id says nothing a source could overwrite.
        _ => {
            *v = new_cite(c, owner);
            return;
        }
    };
    let Some(owner) = owner else {
        fill_about(m, c);
        return;
    };
    let has = |m: &Mapping, k: &str| m.contains_key(key(k));
    if text(m, "source").as_deref() == Some(owner) || !LABELS.iter().any(|k| has(m, k)) {
        set_owned(m, c, owner);
    } else if !has(m, "source") {
        // Labelled by hand: sentences and influence where it has none,
        // never a role (its labels stay the person's).
        if !has(m, "context") && !has(m, "contexts") && !c.contexts.is_empty() {
            m.insert(key("contexts"), strings(&c.contexts));
        }
        if !has(m, "influential") && c.influential {
            m.insert(key("influential"), Value::Bool(true));
        }
    }
    fill_about(m, c);
    if let Value::Mapping(m) = v {
        *v = bare_if_only_id(std::mem::take(m));
    }
}

/// Sets what the source says of a citation it owns: role, influence and
/// sentences, each removed when the source no longer says it, and
/// `source` while it says anything.
fn set_owned(m: &mut Mapping, c: &Citation, owner: &str) {
    let mut put = |k: &str, v: Option<Value>| match v {
        Some(v) if m.get(key(k)) != Some(&v) => {
            m.insert(key(k), v);
        }
        Some(_) => {}
        None => {
            m.remove(key(k));
        }
    };
    put("role", c.role.clone().map(Value::String));
    put("influential", c.influential.then_some(Value::Bool(true)));
    put(
        "source",
        c.has_details().then(|| Value::String(owner.to_string())),
    );
    put(
        "contexts",
        (!c.contexts.is_empty()).then(|| strings(&c.contexts)),
    );
}

/// `{id: x}` alone is written `x`.
fn bare_if_only_id(m: Mapping) -> Value {
    match (m.len(), m.get(key("id"))) {
        (1, Some(id)) => id.clone(),
        _ => Value::Mapping(m),
    }
}

/// Describes a cited work where the entry does not yet.
fn fill_about(m: &mut Mapping, c: &Citation) {
    let Some(a) = &c.about else { return };
    if a.title.is_empty() || m.contains_key(key("title")) {
        return;
    }
    m.insert(key("title"), Value::String(a.title.clone()));
    if !a.authors.is_empty() {
        m.insert(key("authors"), strings(&a.authors));
    }
    if let Some(y) = a.year {
        m.insert(key("year"), Value::Number(y.into()));
    }
    if let Some(v) = &a.venue {
        m.insert(key("venue"), Value::String(v.clone()));
    }
}

fn strings(v: &[String]) -> Value {
    Value::Sequence(v.iter().cloned().map(Value::String).collect())
}

fn changed_fields(old: &Mapping, new: &Mapping) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in new {
        if old.get(k) != Some(v) {
            let name = k.as_str().unwrap_or("?").to_string();
            let note = match (k.as_str(), old.get(k), v) {
                (Some("cites"), Some(Value::Sequence(a)), Value::Sequence(b)) => {
                    match b.len() - a.len() {
                        0 => "cites".to_string(),
                        n => format!("cites +{n}"),
                    }
                }
                (_, None, _) => format!("{name} (new)"),
                _ => name,
            };
            out.push(note);
        }
    }
    out
}

/// Writes a record through a temporary file and a rename, so that an
/// interrupted import never leaves half a record.
fn write(r: &Record) -> Result<()> {
    let yaml = crate::yaml::to_text(&r.mapping);
    let text = match r.format {
        RecordFormat::Markdown => format!("---\n{yaml}---\n{}", r.body),
        RecordFormat::Yaml => yaml,
    };
    if let Some(dir) = r.path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    }
    let name = r.path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = r.path.with_file_name(format!(".{name}.import-tmp"));
    std::fs::write(&tmp, text).map_err(|e| Error::write(&tmp, e))?;
    std::fs::rename(&tmp, &r.path).map_err(|e| Error::write(&r.path, e))
}

//! `Paper::parse`: one record file's text → a validated [`Paper`]. Pure: the
//! caller reads the file, so tests feed strings.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::config::CitationsConfig;
use crate::content::frontmatter;
use crate::diag::{Diagnostic, Pos};
use crate::slug::work_slug;

/// How a record file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordFormat {
    /// YAML front matter between `---` fences, then a Markdown body.
    Markdown,
    /// A YAML document; the body, if any, is its `abstract:`.
    Yaml,
}

impl RecordFormat {
    pub fn of(path: &Path) -> Option<RecordFormat> {
        match path.extension()?.to_str()? {
            "md" => Some(RecordFormat::Markdown),
            "yaml" | "yml" => Some(RecordFormat::Yaml),
            _ => None,
        }
    }
}

/// One research paper, as its record describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Paper {
    /// The record file, relative to the site root.
    pub path: PathBuf,
    pub id: String,
    pub slug: String,
    pub title: String,
    pub authors: Vec<String>,
    pub year: Option<i32>,
    /// `YYYY-MM-DD`, `YYYY-MM` or absent.
    pub date: Option<String>,
    pub venue: Option<String>,
    pub arxiv: Option<String>,
    pub doi: Option<String>,
    pub url: Option<String>,
    pub pdf: Option<String>,
    pub code: Option<String>,
    pub categories: Vec<String>,
    pub keywords: Vec<String>,
    /// One line of Markdown: the pith, shown in lists.
    pub summary: Option<String>,
    /// Boxed: most records have none, and it is large.
    pub review: Option<Box<Review>>,
    pub cites: Vec<Cite>,
    pub aliases: Vec<String>,
    /// Where each alias is written, for errors found across records.
    pub alias_pos: Vec<Pos>,
    pub draft: bool,
    pub extra: serde_json::Value,
    /// Markdown of the abstract (`abstract:` key).
    pub abstract_md: Option<String>,
    /// Markdown of the body after the front matter.
    pub body_md: String,
    /// Where `id:` is written (or the file start), for duplicate-id reports.
    pub id_pos: Pos,
    /// A hash of the file's name and text: equal hashes, equal rendered
    /// records (see [`content_hash`]).
    pub hash: u64,
}

/// A structured reading of the paper; every text is Markdown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    #[serde(default, deserialize_with = "opt_scalar")]
    pub reviewed: Option<String>,
    pub model: Option<String>,
    pub core_claim: Option<String>,
    pub carries: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub if_right: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub between_lines: Vec<String>,
    pub premise: Option<String>,
    pub settle: Option<String>,
}

/// One outgoing citation. Kept small (40 bytes): 150,000 papers make
/// millions of them, and most are a bare id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cite {
    pub id: Box<str>,
    /// Index into `citations.roles`; `None` is unclassified. One byte
    /// (the config allows 255 names).
    pub role: Option<u8>,
    /// Index into `citations.polarities`; `None` is still indexing.
    pub polarity: Option<u8>,
    pub representative: bool,
    /// A highly influential citation (Semantic Scholar's `isInfluential`).
    pub influential: bool,
    /// The rarely written rest, boxed so that bare citations do not pay
    /// for it.
    details: Option<Box<CiteDetails>>,
    /// Where the id is written, for errors found across records.
    line: u32,
    col: u32,
}

/// Boxed again inside: a citation with only a context, as an indexer may
/// write for every edge, then costs 32 bytes here rather than 104.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CiteDetails {
    /// `context` first, then `contexts`, without repeats.
    contexts: Vec<String>,
    source: Option<Box<str>>,
    about: Option<Box<CitedWork>>,
}

impl Cite {
    /// Markdown: the sentences where the work is cited (`context`, then
    /// `contexts`).
    pub fn contexts(&self) -> &[String] {
        self.details.as_ref().map_or(&[], |d| &d.contexts)
    }

    /// Where the role and polarity came from (`s2`, `openalex`, …); `None`
    /// when a person labelled them.
    pub fn source(&self) -> Option<&str> {
        self.details.as_ref()?.source.as_deref()
    }

    /// What the citing record says about a work that may have no record.
    pub fn about(&self) -> Option<&CitedWork> {
        self.details.as_ref()?.about.as_deref()
    }

    /// Where the cited id is written in the record.
    pub fn pos(&self) -> Pos {
        Pos::new(self.line as usize, self.col as usize)
    }
}

/// A cited work as a citing record describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CitedWork {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub year: Option<i32>,
    pub venue: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPaper {
    #[serde(default, deserialize_with = "opt_id")]
    id: Option<String>,
    title: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    authors: Vec<String>,
    year: Option<i32>,
    #[serde(default, deserialize_with = "opt_scalar")]
    date: Option<String>,
    venue: Option<String>,
    #[serde(default, deserialize_with = "opt_id")]
    arxiv: Option<String>,
    #[serde(default, deserialize_with = "opt_id")]
    doi: Option<String>,
    url: Option<String>,
    pdf: Option<String>,
    code: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    categories: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    keywords: Vec<String>,
    summary: Option<String>,
    review: Option<Review>,
    #[serde(default)]
    cites: Vec<RawCite>,
    #[serde(default, deserialize_with = "one_or_many")]
    aliases: Vec<String>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    extra: serde_json::Value,
    #[serde(rename = "abstract")]
    abstract_md: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCiteFull {
    #[serde(deserialize_with = "id")]
    id: String,
    role: Option<String>,
    polarity: Option<String>,
    context: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    contexts: Vec<String>,
    #[serde(default)]
    influential: bool,
    source: Option<String>,
    #[serde(default)]
    representative: bool,
    title: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    authors: Vec<String>,
    year: Option<i32>,
    venue: Option<String>,
}

/// A `cites:` entry: a bare id or a mapping with `id:` and details.
struct RawCite(RawCiteFull);

impl<'de> Deserialize<'de> for RawCite {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawCite;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a cited id (\"1911.03030\") or a mapping with `id:`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawCite, E> {
                Ok(RawCite(RawCiteFull {
                    id: v.to_string(),
                    role: None,
                    polarity: None,
                    context: None,
                    contexts: Vec::new(),
                    influential: false,
                    source: None,
                    representative: false,
                    title: None,
                    authors: Vec::new(),
                    year: None,
                    venue: None,
                }))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawCite, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawCite, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawCite, E> {
                Err(unquoted_number(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawCite, A::Error> {
                RawCiteFull::deserialize(de::value::MapAccessDeserializer::new(map)).map(RawCite)
            }
        }
        d.deserialize_any(V)
    }
}

fn unquoted_number<E: de::Error>(v: f64) -> E {
    E::custom(format_args!(
        "the id {v} is written as a number; quote it (e.g. \"1911.03030\") \
         so that YAML keeps it exactly as written"
    ))
}

struct IdVisitor;

impl<'de> Visitor<'de> for IdVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a quoted id such as \"1911.03030\"")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Err(unquoted_number(v))
    }
}

fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(IdVisitor)
}

fn opt_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<IdString>::deserialize(d).map(|o| o.map(|s| s.0))
}

struct IdString(String);

impl<'de> Deserialize<'de> for IdString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        id(d).map(IdString)
    }
}

/// A scalar kept as text: dates like `2024-02-19` and numbers alike.
fn opt_scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct Scalar(String);
    impl<'de> Deserialize<'de> for Scalar {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl Visitor<'_> for V {
                type Value = Scalar;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a date such as 2024-02-19")
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                    Ok(Scalar(v.to_string()))
                }
                fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                    Ok(Scalar(v.to_string()))
                }
                fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                    Ok(Scalar(v.to_string()))
                }
            }
            d.deserialize_any(V)
        }
    }
    Option::<Scalar>::deserialize(d).map(|o| o.map(|s| s.0))
}

/// A list of strings, or one string standing for a list of one.
fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of strings")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<String>, E> {
            Ok(vec![v.to_string()])
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut out = Vec::new();
            while let Some(s) = seq.next_element::<String>()? {
                out.push(s);
            }
            Ok(out)
        }
    }
    d.deserialize_any(V)
}

/// The vocabulary names a record's citations may use.
pub type Vocabulary = CitationsConfig;

impl Paper {
    /// Parses and validates one record. `path` is shown in diagnostics and
    /// gives the default id (the file stem).
    pub fn parse(
        path: &Path,
        text: &str,
        format: RecordFormat,
        vocab: &Vocabulary,
    ) -> Result<Paper, Vec<Diagnostic>> {
        if text.trim().is_empty() {
            return Err(vec![Diagnostic::new(path, Pos::START, "this record is empty")
                .hint("a record needs at least a title, e.g. `---\\ntitle: \"...\"\\n---`; delete the file if it is not meant to be a paper")
                .source(text)]);
        }
        let (yaml, yaml_line, body) = match format {
            RecordFormat::Markdown => {
                let s = frontmatter::split(path, text).map_err(|d| vec![d])?;
                (s.yaml, s.yaml_line, s.body)
            }
            RecordFormat::Yaml => (text, 1, ""),
        };
        let raw: RawPaper = crate::yaml::parse(path, text, yaml, yaml_line).map_err(|d| vec![d])?;
        let mut r = Record {
            path,
            text,
            first: yaml_line,
            last: yaml_line + yaml.lines().count(),
            diags: Vec::new(),
        };
        let title = r.title(raw.title);
        let (id, slug, id_pos) = r.id(raw.id);
        r.cited_id_lengths(&raw.cites);
        let (year, date) = r.year_and_date(raw.year, raw.date.as_deref());
        r.links(&[("url", &raw.url), ("pdf", &raw.pdf), ("code", &raw.code)]);
        let cites = r.cites(raw.cites, &id, vocab);
        let aliases = r.aliases(&raw.aliases);
        if !r.diags.is_empty() {
            return Err(r.diags);
        }
        let clean = |v: Vec<String>| -> Vec<String> {
            v.into_iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        Ok(Paper {
            path: path.to_path_buf(),
            id,
            slug,
            title,
            authors: clean(raw.authors),
            year,
            date,
            venue: non_empty(raw.venue),
            arxiv: non_empty(raw.arxiv),
            doi: non_empty(raw.doi),
            url: non_empty(raw.url),
            pdf: non_empty(raw.pdf),
            code: non_empty(raw.code),
            categories: clean(raw.categories),
            keywords: clean(raw.keywords),
            summary: non_empty(raw.summary),
            review: raw.review.map(Box::new),
            cites,
            alias_pos: aliases.iter().map(|a| r.locate(None, a)).collect(),
            aliases,
            draft: raw.draft,
            extra: raw.extra,
            abstract_md: non_empty(raw.abstract_md),
            body_md: body.to_string(),
            id_pos,
            hash: content_hash(path, text),
        })
    }
}

fn non_empty(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// A record being checked: its text, the lines of its front matter, and
/// the problems found so far. Values are checked after deserialising, so
/// each problem is located by searching the text for what it is about.
struct Record<'t> {
    path: &'t Path,
    text: &'t str,
    /// The front matter's first and last lines.
    first: usize,
    last: usize,
    diags: Vec<Diagnostic>,
}

/// Every id names a page's folder, and file systems limit names to 255 bytes.
const LONG_ID_HINT: &str =
    "an id names the page's folder, and file systems limit names to 255 bytes";

impl Record<'_> {
    fn problem(&mut self, pos: Pos, msg: String, hint: impl Into<String>) {
        let d = Diagnostic::new(self.path, pos, msg)
            .hint(hint.into())
            .source(self.text);
        self.diags.push(d);
    }

    /// Where `value` is written, on a line with `key:` when a key is given.
    fn locate(&self, key: Option<&str>, value: &str) -> Pos {
        locate_value(self.text, self.first, self.last, key, value)
    }

    fn title(&mut self, title: Option<String>) -> String {
        let title = title.map(|t| t.trim().to_string()).unwrap_or_default();
        if title.is_empty() {
            let pos = Pos::new(self.first, 1);
            self.problem(
                pos,
                "this record has no title".into(),
                "every paper needs `title: \"...\"`",
            );
        }
        title
    }

    /// The paper's id (`id:`, else the file's stem), its slug and where
    /// it is written.
    fn id(&mut self, id: Option<String>) -> (String, String, Pos) {
        let given = id.is_some();
        let stem = self.path.file_stem().and_then(|s| s.to_str());
        let id = id
            .as_deref()
            .or(stem)
            .unwrap_or_default()
            .trim()
            .to_string();
        let pos = if given {
            self.locate(Some("id"), &id)
        } else {
            Pos::START
        };
        let slug = work_slug(&id).unwrap_or_else(|| {
            self.problem(
                pos,
                format!("the id {id:?} cannot be used in a URL"),
                "use an id with letters or digits, such as an arXiv id or DOI",
            );
            String::new()
        });
        if slug.len() > MAX_ID_LEN {
            let msg = format!(
                "this id is {} characters long; ids may have at most {MAX_ID_LEN}",
                id.len()
            );
            self.problem(pos, msg, LONG_ID_HINT);
        }
        (id, slug, pos)
    }

    fn cited_id_lengths(&mut self, cites: &[RawCite]) {
        for RawCite(c) in cites {
            if work_slug(c.id.trim()).is_some_and(|s| s.len() > MAX_ID_LEN) {
                let pos = self.locate(None, &c.id.chars().take(40).collect::<String>());
                let msg = format!(
                    "a cited id is {} characters long; ids may have at most {MAX_ID_LEN}",
                    c.id.len()
                );
                self.problem(pos, msg, LONG_ID_HINT);
            }
        }
    }

    /// The year (from `date:` when there is one) and the date.
    fn year_and_date(
        &mut self,
        year: Option<i32>,
        date: Option<&str>,
    ) -> (Option<i32>, Option<String>) {
        let (year, date) = match date.map(str::trim) {
            None => (year, None),
            Some(d) => match parse_date(d) {
                Some(date_year) => {
                    if let Some(y) = year.filter(|&y| y != date_year) {
                        self.problem(
                            self.locate(Some("year"), &y.to_string()),
                            format!("`year: {y}` disagrees with `date: {d}`"),
                            "give only `date:` (the year is derived from it) or make them agree",
                        );
                    }
                    (Some(date_year), Some(d.to_string()))
                }
                None => {
                    self.problem(
                        self.locate(Some("date"), d),
                        format!("`date: {d}` is not a date"),
                        "write it as YYYY-MM-DD (e.g. 2024-02-19) or YYYY-MM",
                    );
                    (year, None)
                }
            },
        };
        if let Some(y) = year.filter(|y| !YEARS.contains(y)) {
            let key = if date.is_some() { "date" } else { "year" };
            self.problem(
                self.locate(Some(key), &y.to_string()),
                format!("{y} is not a plausible year"),
                "write a four-digit year such as `year: 2024`",
            );
        }
        (year, date)
    }

    fn links(&mut self, links: &[(&str, &Option<String>)]) {
        for &(key, link) in links {
            if let Some(link) = link.as_deref().filter(|l| !is_safe_link(l)) {
                self.problem(
                    self.locate(Some(key), link),
                    format!("`{key}` must be an http(s) link, not {link:?}"),
                    "write a full address such as https://arxiv.org/abs/1911.03030",
                );
            }
        }
    }

    /// The citations of the paper `id`, each checked; a bad entry is left
    /// out (the record then fails with the problem).
    fn cites(&mut self, raw: Vec<RawCite>, id: &str, vocab: &Vocabulary) -> Vec<Cite> {
        let mut cites = Vec::with_capacity(raw.len());
        // Each id in `cites` by its hash, to its index there: a set of the
        // ids themselves would copy each one, millions at 150,000 papers.
        // An entry is added only right before its id is pushed.
        let mut seen: rustc_hash::FxHashMap<u64, usize> = rustc_hash::FxHashMap::default();
        // Cited ids are searched for below `cites:` so an id that also
        // appears earlier (e.g. the paper's own id) points at the right line.
        let cites_line = self
            .text
            .lines()
            .enumerate()
            .skip(self.first.saturating_sub(1))
            .find(|(_, l)| l.starts_with("cites:"))
            .map_or(self.first, |(i, _)| i + 1);
        // Each entry is searched for after the previous one, so an error on
        // a repeated id points at the repeat.
        let mut cursor = Pos::new(cites_line, 1);
        let starts = line_starts(self.text);
        for RawCite(mut c) in raw {
            // Most ids come trimmed: no copy then.
            let cid = std::mem::take(&mut c.id);
            let cid = if cid.trim().len() == cid.len() {
                cid
            } else {
                cid.trim().to_string()
            };
            let pos = find_token(self.text, &starts, cursor, self.last, &cid).unwrap_or(cursor);
            cursor = Pos::new(pos.line, pos.col + 1);
            if cid.is_empty() || work_slug(&cid).is_none() {
                let msg = format!("the cited id {cid:?} cannot be used in a URL");
                self.problem(
                    pos,
                    msg,
                    "cite works by a non-empty id such as \"1911.03030\"",
                );
                continue;
            }
            if cid == id {
                let msg = format!("this paper cites itself ({cid:?})");
                self.problem(pos, msg, "remove the entry from `cites:`");
                continue;
            }
            let hash = std::hash::BuildHasher::hash_one(&rustc_hash::FxBuildHasher, &cid);
            let same = |c: &Cite| *c.id == *cid;
            // Two ids with one hash: rare enough to scan for.
            let repeated = seen
                .get(&hash)
                .is_some_and(|&i| same(&cites[i]) || cites.iter().any(same));
            if repeated {
                let msg = format!("{cid:?} is cited twice");
                self.problem(
                    pos,
                    msg,
                    "keep one entry per cited work and merge their details",
                );
                continue;
            }
            seen.entry(hash).or_insert(cites.len());
            cites.push(self.cite(c, cid, pos, vocab));
        }
        cites
    }

    /// One citation, written at `pos`, citing `id`.
    fn cite(&mut self, c: RawCiteFull, id: String, pos: Pos, vocab: &Vocabulary) -> Cite {
        let role = self.label(&vocab.roles, c.role.as_deref(), "role", pos.line);
        let polarity = self.label(
            &vocab.polarities,
            c.polarity.as_deref(),
            "polarity",
            pos.line,
        );
        if let Some(y) = c.year.filter(|y| !YEARS.contains(y)) {
            self.problem(
                locate_value(self.text, pos.line, self.last, Some("year"), &y.to_string()),
                format!("{y} is not a plausible year"),
                "write a four-digit year such as `year: 2018`",
            );
        }
        let about = Some(CitedWork {
            title: non_empty(c.title),
            authors: c.authors,
            year: c.year,
            venue: c.venue,
        })
        .filter(|a| *a != CitedWork::default())
        .map(Box::new);
        let mut contexts: Vec<String> = Vec::new();
        for t in c.context.into_iter().chain(c.contexts) {
            let t = t.trim();
            if !t.is_empty() && !contexts.iter().any(|k| k == t) {
                contexts.push(t.to_string());
            }
        }
        let source = non_empty(c.source).map(String::into_boxed_str);
        // Past 4 billion lines an error points at the last one it can.
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Cite {
            id: id.into_boxed_str(),
            role,
            polarity,
            representative: c.representative,
            influential: c.influential,
            details: (!contexts.is_empty() || source.is_some() || about.is_some()).then(|| {
                Box::new(CiteDetails {
                    contexts,
                    source,
                    about,
                })
            }),
            line: narrow(pos.line),
            col: narrow(pos.col),
        }
    }

    /// The index of a citation's `role` or `polarity` (`key`) among
    /// `names`, the site's vocabulary, for the entry starting at `line`.
    fn label(
        &mut self,
        names: &[String],
        value: Option<&str>,
        key: &str,
        line: usize,
    ) -> Option<u8> {
        let value = value?.trim();
        if value.is_empty() {
            return None;
        }
        // The config refuses longer lists, so every index fits.
        if let Some(i) = names.iter().position(|n| n == value) {
            return u8::try_from(i).ok();
        }
        let allowed = names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let list = if key == "role" {
            "citations.roles"
        } else {
            "citations.polarities"
        };
        self.problem(
            locate_value(self.text, line, self.last, Some(key), value),
            format!("unknown citation {key} `{value}`"),
            format!("use one of {allowed}, leave it out, or add it to `{list}` in site.yaml"),
        );
        None
    }

    fn aliases(&mut self, raw: &[String]) -> Vec<String> {
        let aliases: Vec<String> = raw.iter().map(|a| a.trim().to_string()).collect();
        for a in aliases.iter().filter(|a| !is_valid_alias(a)) {
            self.problem(
                self.locate(None, a),
                format!("the alias {a:?} is not a site path"),
                "aliases are paths on this site such as \"/p/2402.12345\": letters, digits, `.`, `_`, `-` and `~` between slashes",
            );
        }
        aliases
    }
}

/// The year of a `YYYY-MM-DD` or `YYYY-MM` date whose parts are in range.
pub fn parse_date(s: &str) -> Option<i32> {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let year = num(parts.first()?, 4)?;
    match parts.len() {
        2 => (1..=12).contains(&num(parts[1], 2)?).then_some(year as i32),
        3 => {
            let (month, day) = (num(parts[1], 2)?, num(parts[2], 2)?);
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            let days = match month {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if leap => 29,
                2 => 28,
                _ => return None,
            };
            (1..=days).contains(&day).then_some(year as i32)
        }
        _ => None,
    }
}

/// Links a record may carry: absolute http(s) addresses. Anything else
/// (`javascript:`, `data:`) could run code in a reader's browser.
pub fn is_safe_link(link: &str) -> bool {
    let l = link.trim().to_ascii_lowercase();
    l.starts_with("https://") || l.starts_with("http://")
}

/// Parses a Markdown record for unit tests elsewhere in the crate.
#[cfg(test)]
pub(crate) fn parse_for_test(file: &str, text: &str) -> std::sync::Arc<Paper> {
    let parsed = Paper::parse(
        Path::new(file),
        text,
        RecordFormat::Markdown,
        &Vocabulary::default(),
    );
    std::sync::Arc::new(parsed.unwrap_or_else(|e| panic!("{file} does not parse: {e:?}")))
}

/// A hash of a record's file name and text, to tell changed records
/// apart. The name gives the default id and the format; the folders above
/// it change nothing rendered (and watch names them by absolute paths).
pub fn content_hash(path: &Path, text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    path.file_name().hash(&mut h);
    text.hash(&mut h);
    h.finish()
}

/// The longest id (as a URL slug): it names a folder, and file systems
/// limit a name to 255 bytes.
pub const MAX_ID_LEN: usize = 200;

/// Years paperhub accepts: four digits, so charts and sorting stay sane.
const YEARS: std::ops::RangeInclusive<i32> = 1000..=9999;

/// An alias is a site path: `/` then segments of URL-safe characters, none
/// of them `.` or `..`.
fn is_valid_alias(alias: &str) -> bool {
    let Some(rest) = alias.strip_prefix('/') else {
        return false;
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    !rest.is_empty()
        && rest.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '~'))
        })
}

/// Where each line of `text` starts, so that a search can begin at a line
/// without walking the lines before it.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// The position of `needle` as a whole YAML token (bare or quoted) at or
/// after `from`, on lines up to `last`. Starts from `from`'s line directly,
/// so searching a list entry by entry stays linear in the text.
fn find_token(text: &str, starts: &[usize], from: Pos, last: usize, needle: &str) -> Option<Pos> {
    if needle.is_empty() {
        return None;
    }
    let before_ok =
        |c: Option<char>| c.is_none_or(|c| matches!(c, ' ' | '\t' | '"' | '\'' | '[' | ','));
    let after_ok =
        |c: Option<char>| c.is_none_or(|c| matches!(c, ' ' | '\t' | '"' | '\'' | ']' | ',' | '#'));
    let first = from.line.saturating_sub(1);
    for i in first..last.min(starts.len()) {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let line = text[starts[i]..end].trim_end_matches(['\n', '\r']);
        let start = if i == first {
            line.char_indices()
                .nth(from.col.saturating_sub(1))
                .map_or(line.len(), |(b, _)| b)
        } else {
            0
        };
        let mut search = start;
        while let Some(off) = line[search..].find(needle) {
            let at = search + off;
            let end = at + needle.len();
            if before_ok(line[..at].chars().next_back()) && after_ok(line[end..].chars().next()) {
                return Some(Pos::new(i + 1, line[..at].chars().count() + 1));
            }
            search = at + line[at..].chars().next().map_or(1, char::len_utf8);
        }
    }
    None
}

/// Finds where `value` is written in the front matter (lines `first..=last`),
/// on a line with `key:` when a key is given. serde_yaml keeps no positions
/// on values, so checks made after deserialising locate them in the text.
fn locate_value(text: &str, first: usize, last: usize, key: Option<&str>, value: &str) -> Pos {
    let mut key_pos = None;
    for (i, line) in text
        .lines()
        .enumerate()
        .take(last)
        .skip(first.saturating_sub(1))
    {
        let key_col = key.and_then(|k| {
            let t = line.trim_start().trim_start_matches("- ");
            t.starts_with(&format!("{k}:"))
                .then(|| line.len() - t.len())
        });
        if key.is_some() && key_col.is_none() {
            continue;
        }
        if key_pos.is_none() {
            key_pos = key_col.map(|c| Pos::new(i + 1, c + 1));
        }
        if let Some(col) = line.find(value).filter(|_| !value.is_empty()) {
            return Pos::new(i + 1, line[..col].chars().count() + 1);
        }
    }
    key_pos.unwrap_or(Pos::new(first, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_md(text: &str) -> Result<Paper, Vec<Diagnostic>> {
        Paper::parse(
            Path::new("content/papers/x.md"),
            text,
            RecordFormat::Markdown,
            &Vocabulary::default(),
        )
    }

    fn first_error(text: &str) -> Diagnostic {
        parse_md(text).expect_err("expected an error").remove(0)
    }

    #[test]
    fn parses_a_full_record() {
        let p = parse_md(
            "---\nid: \"2402.1\"\ntitle: \" T \"\nauthors: [A, B]\ndate: 2024-02-19\n\
             cites:\n  - \"1911.03030\"\n  - id: doi:10.1/x\n    role: method\n    polarity: neutral\n    title: Ext\n\
             review:\n  reviewed: 2026-05-10\n  if_right: one\n---\nBody\n",
        )
        .unwrap();
        assert_eq!(
            (p.id.as_str(), p.title.as_str(), p.year),
            ("2402.1", "T", Some(2024))
        );
        assert_eq!(p.cites.len(), 2);
        assert_eq!((p.cites[1].role, p.cites[1].polarity), (Some(1), Some(1)));
        let about = p.cites[1].about().unwrap();
        assert_eq!(about.title.as_deref(), Some("Ext"));
        assert_eq!(p.review.unwrap().if_right, vec!["one"]);
        assert_eq!(p.body_md, "Body\n");
    }

    #[test]
    fn a_citation_keeps_its_details_and_place_in_forty_bytes() {
        // Millions of citations are held at once at 150,000 papers.
        assert_eq!(std::mem::size_of::<Cite>(), 40, "a citation grew");
        let p = parse_md(
            "---\ntitle: T\ncites:\n  - a\n  - id: b\n    context: \"As *b* shows\"\n---\n",
        )
        .unwrap();
        let (bare, noted) = (&p.cites[0], &p.cites[1]);
        assert_eq!((bare.contexts(), bare.about()), (&[][..], None));
        assert_eq!(
            (noted.contexts(), noted.about()),
            (&["As *b* shows".to_string()][..], None)
        );
        assert_eq!((bare.pos(), noted.pos()), (Pos::new(4, 5), Pos::new(5, 9)));
    }

    #[test]
    fn id_defaults_to_file_stem() {
        let p = parse_md("---\ntitle: T\n---\n").unwrap();
        assert_eq!(p.id, "x");
    }

    #[test]
    fn a_citation_carries_its_sentences_influence_and_source() {
        let p = parse_md(
            "---\ntitle: T\ncites:\n  - id: b\n    context: One.\n    contexts: [Two., One.]\n    influential: true\n    source: s2\n    role: method\n  - c\n---\n",
        )
        .unwrap();
        let (b, c) = (&p.cites[0], &p.cites[1]);
        assert_eq!(b.contexts(), ["One.", "Two."]);
        assert!(b.influential && !c.influential);
        assert_eq!((b.source(), c.source()), (Some("s2"), None));
        let e =
            parse_md("---\ntitle: T\ncites:\n  - id: b\n    influental: true\n---\n").unwrap_err();
        assert!(
            e[0].hint
                .as_deref()
                .unwrap_or_default()
                .contains("influential"),
            "{e:?}"
        );
    }

    #[test]
    fn yaml_records_take_the_abstract_as_body() {
        let p = Paper::parse(
            Path::new("a.yaml"),
            "title: T\nabstract: Hi\n",
            RecordFormat::Yaml,
            &Vocabulary::default(),
        )
        .unwrap();
        assert_eq!(p.abstract_md.as_deref(), Some("Hi"));
    }

    #[test]
    fn errors_have_positions_and_hints() {
        let cases: &[(&str, &str, &str, (usize, usize))] = &[
            (
                "missing title",
                "---\nyear: 2020\n---\n",
                "no title",
                (2, 1),
            ),
            (
                "unknown key",
                "---\ntitle: T\nvenu: X\n---\n",
                "unknown field `venu`",
                (3, 1),
            ),
            (
                "wrong type",
                "---\ntitle: T\nyear: \"twenty\"\n---\n",
                "invalid type",
                (3, 7),
            ),
            (
                "unknown role",
                "---\ntitle: T\ncites:\n  - id: a\n    role: methd\n---\n",
                "unknown citation role `methd`",
                (5, 11),
            ),
            (
                "unknown polarity",
                "---\ntitle: T\ncites:\n  - id: a\n    polarity: pro\n---\n",
                "unknown citation polarity",
                (5, 15),
            ),
            (
                "self citation",
                "---\nid: \"a1\"\ntitle: T\ncites: [\"a1\"]\n---\n",
                "cites itself",
                (4, 10),
            ),
            (
                "unquoted float id",
                "---\ntitle: T\ncites:\n  - 1911.03030\n---\n",
                "quote it",
                (4, 5),
            ),
            (
                "bad date",
                "---\ntitle: T\ndate: 2024-13-01\n---\n",
                "is not a date",
                (3, 7),
            ),
            (
                "script link",
                "---\ntitle: T\nurl: \"javascript:alert(1)\"\n---\n",
                "http(s) link",
                (3, 7),
            ),
            ("empty", "  \n", "empty", (1, 1)),
            (
                "unknown cite key",
                "---\ntitle: T\ncites:\n  - id: a\n    rol: method\n---\n",
                "unknown field `rol`",
                (5, 5),
            ),
            (
                "cited twice",
                "---\ntitle: T\ncites:\n  - \"a\"\n  - \"b\"\n  - \"a\"\n---\n",
                "cited twice",
                (6, 6),
            ),
            (
                "cited twice inline",
                "---\ntitle: T\ncites: [\"ab\", \"a\", \"a\"]\n---\n",
                "cited twice",
                (3, 21),
            ),
            (
                "repeated bad role",
                "---\ntitle: T\ncites:\n  - id: a\n    role: x\n  - id: b\n    role: x\n---\n",
                "unknown citation role",
                (5, 11),
            ),
            (
                "implausible year",
                "---\ntitle: T\nyear: 20240\n---\n",
                "not a plausible year",
                (3, 7),
            ),
            (
                "bad alias",
                "---\ntitle: T\naliases: [\"/\"]\n---\n",
                "not a site path",
                (3, 12),
            ),
        ];
        for (name, text, want, (line, col)) in cases {
            let d = first_error(text);
            assert!(d.message.contains(want), "case {name}: {}", d.message);
            assert_eq!((d.pos.line, d.pos.col), (*line, *col), "case {name}: {d}");
            assert!(d.hint.is_some(), "case {name}: no hint");
        }
    }

    #[test]
    fn parses_real_dates_only() {
        for (date, want) in [
            ("2024-02-29", Some(2024)),
            ("2023-02-29", None),
            ("2024-04-31", None),
            ("2024-12", Some(2024)),
            ("2024-00", None),
            ("24-01-01", None),
        ] {
            assert_eq!(parse_date(date), want, "case {date}");
        }
    }

    #[test]
    fn points_each_error_at_its_own_entry() {
        let errs = parse_md(
            "---\ntitle: T\ncites:\n  - id: a\n    role: x\n  - id: b\n    role: x\n---\n",
        )
        .unwrap_err();
        let lines: Vec<usize> = errs.iter().map(|d| d.pos.line).collect();
        assert_eq!(lines, [5, 7]);
        let errs =
            parse_md("---\nid: \"1\"\ntitle: \"1\"\ncites: [\"x1\", \"1\"]\n---\n").unwrap_err();
        assert_eq!((errs[0].pos.line, errs[0].pos.col), (4, 16), "{}", errs[0]);
    }

    #[test]
    fn reports_every_problem_in_a_record() {
        let errs =
            parse_md("---\ncites:\n  - id: a\n    role: x\n  - id: b\n    polarity: y\n---\n")
                .unwrap_err();
        assert_eq!(errs.len(), 3, "{errs:?}");
    }

    #[test]
    fn dates_are_checked() {
        for (s, want) in [
            ("2024-02-19", Some(2024)),
            ("2024-02", Some(2024)),
            ("2024", None),
            ("2024-2-1", None),
            ("24-02-19", None),
        ] {
            assert_eq!(parse_date(s), want, "case {s}");
        }
    }
}

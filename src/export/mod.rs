//! Scholarly exports: a work as BibTeX, RIS and CSL-JSON, citation keys
//! that are unique across the site, and the whole citation graph as JSON.
//! Pure functions of the loaded site; `render` decides which files use them.

mod bibtex;
mod csl;
mod graph;
mod ris;

use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;

use crate::content::Paper;
use crate::graph::Work;
use crate::site::Site;

pub use bibtex::bibtex;
pub use csl::{csl, Csl};
pub use graph::graph_json;
pub use ris::ris;

/// What kind of publication a work is, as far as its venue tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A journal article: the venue is the journal.
    Article,
    /// A paper in conference or workshop proceedings.
    Conference,
    /// An arXiv preprint without a venue.
    Preprint,
    /// Anything else (a cited work known only by its title).
    Other,
}

/// A work's bibliographic data, as every export format needs it.
#[derive(Debug, Clone)]
pub struct Reference<'a> {
    /// The citation key, unique across the site (see [`keys`]).
    pub key: &'a str,
    pub id: &'a str,
    pub title: &'a str,
    pub authors: &'a [String],
    pub year: Option<i32>,
    /// `YYYY-MM-DD` or `YYYY-MM`, when the record has it.
    pub date: Option<&'a str>,
    pub venue: Option<&'a str>,
    pub doi: Option<&'a str>,
    pub arxiv: Option<&'a str>,
    pub url: Option<&'a str>,
    pub pdf: Option<&'a str>,
    pub abstract_text: Option<&'a str>,
    pub keywords: &'a [String],
    /// The work's page on this site, absolute when `base_url` has a host.
    pub page: String,
    pub kind: Kind,
}

impl<'a> Reference<'a> {
    /// The reference of work `w` with citation key `key`.
    pub fn of(site: &'a Site, w: &'a Work, key: &'a str) -> Reference<'a> {
        let p: Option<&'a Paper> = w.paper.map(|i| &*site.content.papers[i]);
        let venue = w.venue.as_deref();
        let arxiv = p.and_then(|p| p.arxiv.as_deref());
        Reference {
            key,
            id: &w.id,
            title: &w.title,
            authors: &w.authors,
            year: w.year,
            date: p.and_then(|p| p.date.as_deref()),
            venue,
            doi: p.and_then(|p| p.doi.as_deref()),
            arxiv,
            url: p.and_then(|p| p.url.as_deref()),
            pdf: p.and_then(|p| p.pdf.as_deref()),
            abstract_text: p.and_then(|p| p.abstract_md.as_deref()),
            keywords: p.map(|p| p.keywords.as_slice()).unwrap_or_default(),
            page: site.config.absolute_url(&crate::urls::work(&w.slug)),
            kind: kind(venue, arxiv.is_some()),
        }
    }

    /// The arXiv id without its version suffix (`2402.12345v2` → `2402.12345`).
    pub fn arxiv_id(&self) -> Option<&'a str> {
        self.arxiv.map(strip_version)
    }

    /// Year, month and day, as far as known.
    pub fn date_parts(&self) -> Vec<i32> {
        let from_date: Vec<i32> = self
            .date
            .map(|d| d.split('-').filter_map(|p| p.parse().ok()).collect())
            .unwrap_or_default();
        if from_date.is_empty() {
            self.year.into_iter().collect()
        } else {
            from_date
        }
    }
}

/// `2402.12345v2` → `2402.12345`; ids without a version are unchanged.
pub fn strip_version(id: &str) -> &str {
    match id.rfind('v') {
        Some(i) if i > 0 && id[i + 1..].bytes().all(|b| b.is_ascii_digit()) && i + 1 < id.len() => {
            &id[..i]
        }
        _ => id,
    }
}

/// Venues that name proceedings without saying so.
const CONFERENCES: &[&str] = &[
    "AAAI",
    "ACL",
    "AISTATS",
    "CHI",
    "COLING",
    "COLT",
    "CVPR",
    "EACL",
    "ECCV",
    "EMNLP",
    "FOCS",
    "ICASSP",
    "ICCV",
    "ICLR",
    "ICML",
    "IJCAI",
    "INTERSPEECH",
    "KDD",
    "NAACL",
    "NEURIPS",
    "NIPS",
    "SIGIR",
    "SODA",
    "STOC",
    "UAI",
    "WWW",
    "WSDM",
    "CIKM",
    "RECSYS",
    "ICDE",
    "VLDB",
    "SIGMOD",
];

/// Classifies a venue: proceedings by their usual words or acronyms,
/// arXiv as a preprint, anything else as a journal.
pub fn kind(venue: Option<&str>, has_arxiv: bool) -> Kind {
    let Some(v) = venue.map(str::trim).filter(|v| !v.is_empty()) else {
        return if has_arxiv {
            Kind::Preprint
        } else {
            Kind::Other
        };
    };
    let lower = v.to_lowercase();
    if lower.starts_with("arxiv") || lower == "corr" {
        return Kind::Preprint;
    }
    let words = [
        "conference",
        "proceedings",
        "workshop",
        "symposium",
        "meeting",
    ];
    let first = v
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    if words.iter().any(|w| lower.contains(w)) || CONFERENCES.contains(&first.as_str()) {
        Kind::Conference
    } else {
        Kind::Article
    }
}

/// A name split into family and given parts: "Family, Given" as written;
/// else the last word is the family name, with the lowercase particles
/// before it ("Laurens van der Maaten" → "van der Maaten").
pub fn split_name(name: &str) -> (&str, Option<&str>) {
    let name = name.trim();
    if let Some((family, given)) = name.split_once(',') {
        let given = given.trim();
        return (family.trim(), (!given.is_empty()).then_some(given));
    }
    let words: Vec<(usize, &str)> = name
        .split(' ')
        .scan(0, |at, w| {
            let start = *at;
            *at += w.len() + 1;
            Some((start, w))
        })
        .filter(|(_, w)| !w.is_empty())
        .collect();
    if words.len() < 2 {
        return (name, None);
    }
    let mut first = words.len() - 1;
    while first > 1 && words[first - 1].1.starts_with(|c: char| c.is_lowercase()) {
        first -= 1;
    }
    let start = words[first].0;
    (&name[start..], Some(name[..start].trim_end()))
}

/// Words a citation key skips when it takes the title's first word.
const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "towards", "toward", "is",
    "are", "do", "does", "how", "what", "why", "when", "from", "at", "by",
];

/// The citation key base of a work: family name, year and the title's
/// first significant word, in ASCII (`lovelace1843note`).
fn key_base(w: &Work) -> String {
    // Accented letters keep their base letter (Müller → muller).
    let ascii = |s: &str| -> String {
        s.nfd()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let family = w
        .authors
        .first()
        .map(|a| ascii(split_name(a).0))
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| "anon".to_string());
    let year = w.year.map_or_else(|| "nd".to_string(), |y| y.to_string());
    let word = w
        .title
        .split(|c: char| c.is_whitespace() || c == '-' || c == ':')
        .map(ascii)
        .find(|t| !t.is_empty() && !STOP_WORDS.contains(&t.as_str()))
        .unwrap_or_default();
    format!("{family}{year}{word}")
}

/// A citation key for every work, unique across the site: works sharing a
/// base get `b`, `c`, … in id order, so a key only changes when a work with
/// the same base and a smaller id appears.
pub fn keys(works: &[Work]) -> Vec<String> {
    use rayon::prelude::*;
    // The bases (Unicode decomposition and all) in parallel; the suffixes
    // depend on the order, so they are handed out in one pass.
    let bases: Vec<String> = works.par_iter().map(key_base).collect();
    let mut given: rustc_hash::FxHashSet<String> =
        rustc_hash::FxHashSet::with_capacity_and_hasher(works.len(), Default::default());
    let mut next: FxHashMap<String, usize> =
        FxHashMap::with_capacity_and_hasher(works.len(), Default::default());
    bases
        .into_iter()
        .map(|base| {
            // A suffixed key may be another work's plain key (`lee2020b`
            // from "B-trees"), so try suffixes until one is free.
            let n = next.entry(base.clone()).or_insert(1);
            loop {
                let key = match *n {
                    1 => base.clone(),
                    k if k <= 26 => format!("{base}{}", (b'a' + k as u8 - 1) as char),
                    k => format!("{base}-{k}"),
                };
                *n += 1;
                if given.insert(key.clone()) {
                    return key;
                }
            }
        })
        .collect()
}

/// Appends `value` as compact JSON to a list being written, after a comma
/// unless it is the list's first item.
pub(crate) fn push_json(out: &mut Vec<u8>, first: bool, value: &impl serde::Serialize) {
    if !first {
        out.push(b',');
    }
    serde_json::to_writer(out, value).expect("plain data serialises");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn work(id: &str, title: &str, authors: &[&str], year: Option<i32>) -> Work {
        Work {
            id: id.into(),
            slug: id.into(),
            paper: None,
            title: title.into(),
            authors: authors.iter().map(|a| a.to_string()).collect(),
            year,
            venue: None,
            cited_by: Vec::new(),
            role_counts: Vec::new(),
            polarity_counts: Vec::new(),
            influential: 0,
            labelled_by: Vec::new(),
            per_year: Vec::new(),
        }
    }

    #[test]
    fn keys_are_readable_and_unique() {
        let works = [
            work("a", "The Analytical Engine", &["Ada Lovelace"], Some(1843)),
            work("b", "Analytical notes", &["Lovelace, Ada"], Some(1843)),
            work("c", "", &[], None),
            work("d", "Ünïcode — names", &["Jörg Müller"], Some(2020)),
        ];
        assert_eq!(
            keys(&works),
            [
                "lovelace1843analytical",
                "lovelace1843analyticalb",
                "anonnd",
                "muller2020unicode"
            ]
        );
    }

    #[test]
    fn suffixed_keys_never_repeat_a_plain_key() {
        let works = [
            work("a", "", &["Lee"], Some(2020)),
            work("b", "", &["Lee"], Some(2020)),
            work("c", "B-trees", &["Lee"], Some(2020)),
        ];
        assert_eq!(keys(&works), ["lee2020", "lee2020b", "lee2020bb"]);
    }

    #[test]
    fn venues_are_classified() {
        assert_eq!(kind(Some("ICLR 2024"), false), Kind::Conference);
        assert_eq!(
            kind(Some("Proceedings of the VLDB Endowment"), false),
            Kind::Conference
        );
        assert_eq!(kind(Some("Nature"), true), Kind::Article);
        assert_eq!(kind(Some("arXiv preprint"), true), Kind::Preprint);
        assert_eq!(kind(None, true), Kind::Preprint);
        assert_eq!(kind(None, false), Kind::Other);
    }

    #[test]
    fn names_split_into_family_and_given() {
        assert_eq!(split_name("Ada M. Lovelace"), ("Lovelace", Some("Ada M.")));
        assert_eq!(split_name("Lovelace, Ada"), ("Lovelace", Some("Ada")));
        assert_eq!(split_name("Plato"), ("Plato", None));
        assert_eq!(
            split_name("Laurens van der Maaten"),
            ("van der Maaten", Some("Laurens"))
        );
        assert_eq!(split_name("de Gaulle"), ("Gaulle", Some("de")));
    }

    #[test]
    fn arxiv_versions_are_stripped() {
        assert_eq!(strip_version("2402.12345v2"), "2402.12345");
        assert_eq!(strip_version("hep-th/9901001v1"), "hep-th/9901001");
        assert_eq!(strip_version("2402.12345"), "2402.12345");
        assert_eq!(strip_version("solv-int/9901001"), "solv-int/9901001");
    }
}

//! The search index, split so that a query downloads only what it needs:
//! a small table of contents (`search/meta.js`), the chunk of terms its
//! words fall in (`search/t/N.js`) and the chunks of documents it shows
//! (`search/d/N.js`). Files are scripts that hand their data to
//! `paperhubSearch`, so search also works from the built folder opened as
//! files, where browsers refuse `fetch`.
//!
//! Terms are words of titles, authors, keywords and summaries, lowercased
//! and without accents; each term lists its papers by score, best first.

use std::fmt::Write;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::content::Paper;
use crate::site::Site;

/// Papers per document chunk: a results page of ten touches at most ten
/// chunks, so they are kept small.
const DOCS_PER_CHUNK: usize = 20;
/// Bytes a term chunk grows to before the next one starts.
const TERM_CHUNK_BYTES: usize = 24 * 1024;
/// Papers listed per term: a word found in more papers lists its best-scored
/// ones (title and author matches first), which bounds every download.
const MAX_POSTINGS: usize = 5_000;
/// Papers whose terms are gathered at once (see [`files`]).
const TERM_BLOCK: usize = 4096;
/// Longest summary shown in results, in characters.
const SUMMARY_CHARS: usize = 240;

/// Field weights: a word in the title counts most.
const TITLE: u16 = 8;
const AUTHOR: u16 = 6;
const KEYWORD: u16 = 5;
const SUMMARY: u16 = 2;

const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
    "or", "that", "the", "this", "to", "we", "with",
];

/// Words of a text as search terms: decomposed, without combining marks
/// (accents), lowercased, split at anything that is not a letter or digit,
/// at least two characters, no stop words. The page's script does the
/// same steps in the same order, so queries and index agree.
pub fn terms(text: &str) -> Vec<String> {
    // ASCII, as most titles and names are, has nothing to decompose or
    // strip: lowercasing is all, and much cheaper.
    let bare: String = if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.nfd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
            .collect::<String>()
            .to_lowercase()
    };
    bare.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2 && !STOP_WORDS.contains(w))
        .map(str::to_string)
        .collect()
}

#[derive(Serialize)]
struct Meta {
    /// Format version, for themes that read the files themselves.
    v: u32,
    docs: usize,
    docs_per_chunk: usize,
    /// The first term of each term chunk, in order.
    chunks: Vec<String>,
    /// Words left out of the index, which queries must leave out too.
    stop: &'static [&'static str],
}

/// A document as results show it: title, link, authors, year, summary.
#[derive(Serialize)]
struct Doc<'a> {
    t: &'a str,
    u: String,
    a: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    y: Option<i32>,
    #[serde(skip_serializing_if = "str::is_empty")]
    s: &'a str,
}

/// A paper's search terms by its record hash, kept from one render to the
/// next by watch and serve: finding them is most of the index's time.
pub type TermCache = FxHashMap<u64, Arc<str>>;

/// Paper `p`'s terms, each followed by its score as one character below
/// U+0020 (terms are letters and digits only): one allocation per paper
/// rather than one per term, for the cache above to stay small.
fn paper_terms(p: &Paper) -> Arc<str> {
    const _: () = assert!(TITLE + AUTHOR + KEYWORD + SUMMARY < 0x20);
    // (term, score, the fields it was found in, one bit each): a paper has
    // a few dozen terms, so a list beats a map.
    let mut scores: Vec<(String, u16, u8)> = Vec::new();
    let mut add = |text: &str, weight: u16, field: u8| {
        for t in terms(text) {
            match scores.iter_mut().find(|(s, _, _)| *s == t) {
                // A field counts once per term, however often it repeats it.
                Some(e) if e.2 & field != 0 => {}
                Some(e) => {
                    e.1 += weight;
                    e.2 |= field;
                }
                None => scores.push((t, weight, field)),
            }
        }
    };
    add(&p.title, TITLE, 1);
    add(&p.authors.join(" "), AUTHOR, 2);
    add(&p.keywords.join(" "), KEYWORD, 4);
    add(p.summary.as_deref().unwrap_or_default(), SUMMARY, 8);
    let mut out = String::with_capacity(scores.iter().map(|(t, _, _)| t.len() + 1).sum());
    for (t, score, _) in scores {
        out.push_str(&t);
        out.push(char::from(score as u8));
    }
    out.into()
}

/// The (term, score) pairs of [`paper_terms`].
fn scored(terms: &str) -> impl Iterator<Item = (&str, u16)> {
    terms
        .split_inclusive(|c: char| u32::from(c) < 0x20)
        .map(|t| {
            let (term, score) = t.split_at(t.len() - 1);
            (term, u16::from(score.as_bytes()[0]))
        })
}

/// Every search file as (site path, bytes). With a `cache`, papers whose
/// record hash it holds are not read again, and it is left holding the
/// terms of this site's papers only.
pub fn files(
    site: &Site,
    href: impl Fn(&str) -> String + Sync,
    cache: Option<&mut TermCache>,
) -> Vec<(String, Vec<u8>)> {
    let encoded = encode(postings(site, cache));
    let (mut out, chunks) = term_chunks(encoded);
    let docs = docs(site, &href);
    out.par_extend(docs.par_chunks(DOCS_PER_CHUNK).enumerate().map(|(n, c)| {
        let json = serde_json::to_string(c).expect("plain data serialises");
        (
            format!("search/d/{n}.js"),
            format!("paperhubSearch.docs({n},{json});\n").into_bytes(),
        )
    }));
    let meta = Meta {
        v: 1,
        docs: docs.len(),
        docs_per_chunk: DOCS_PER_CHUNK,
        chunks,
        stop: STOP_WORDS,
    };
    let json = serde_json::to_string(&meta).expect("plain data serialises");
    out.push((
        crate::urls::SEARCH_META.to_string(),
        format!("paperhubSearch.meta({json});\n").into_bytes(),
    ));
    out
}

/// Each term's papers as (score, document number); a paper's document
/// number is its place in newest-first order. Papers' terms are found in
/// parallel a block at a time and merged in order, so only one block's
/// words are held at once rather than every paper's. Unordered: the terms
/// are sorted once they are encoded. `cache` is read, then left holding
/// this site's papers' terms only.
fn postings(site: &Site, cache: Option<&mut TermCache>) -> FxHashMap<String, Vec<(u16, u32)>> {
    let papers = &site.content.papers;
    let mut kept = TermCache::default();
    let mut postings: FxHashMap<String, Vec<(u16, u32)>> = FxHashMap::default();
    for (block, ids) in site.indexes.newest.chunks(TERM_BLOCK).enumerate() {
        let old = cache.as_deref();
        let per_doc: Vec<Arc<str>> = ids
            .par_iter()
            .map(|&i| match old.and_then(|c| c.get(&papers[i].hash)) {
                Some(terms) => Arc::clone(terms),
                None => paper_terms(&papers[i]),
            })
            .collect();
        for (k, &i) in ids.iter().enumerate() {
            let doc = (block * TERM_BLOCK + k) as u32;
            for (t, score) in scored(&per_doc[k]) {
                match postings.get_mut(t) {
                    Some(list) => list.push((score, doc)),
                    None => {
                        postings.insert(t.to_string(), vec![(score, doc)]);
                    }
                }
            }
            if cache.is_some() {
                kept.insert(papers[i].hash, Arc::clone(&per_doc[k]));
            }
        }
    }
    if let Some(cache) = cache {
        *cache = kept;
    }
    postings
}

/// Each term's entry: its papers best score first, newer first within a
/// score, as `"term":[total,[score,first id,gap,gap,...],...]` to stay
/// small; sorted in the order the page's script compares strings (UTF-16
/// units), so its binary search over the chunks' first terms agrees.
fn encode(postings: FxHashMap<String, Vec<(u16, u32)>>) -> Vec<(String, String)> {
    let mut encoded: Vec<(String, String)> = postings
        .into_par_iter()
        .map(|(term, mut list)| {
            list.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let total = list.len();
            list.truncate(MAX_POSTINGS);
            // Written straight into the entry: there are millions of
            // numbers in a large site's index.
            let mut entry = serde_json::to_string(&term).expect("a string serialises");
            let mut num = itoa::Buffer::new();
            entry.push_str(":[");
            entry.push_str(num.format(total));
            let mut i = 0;
            while i < list.len() {
                let score = list[i].0;
                entry.push_str(",[");
                entry.push_str(num.format(score));
                let mut prev = 0;
                while i < list.len() && list[i].0 == score {
                    entry.push(',');
                    entry.push_str(num.format(list[i].1 - prev));
                    prev = list[i].1;
                    i += 1;
                }
                entry.push(']');
            }
            entry.push(']');
            (term, entry)
        })
        .collect();
    encoded.sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    encoded
}

/// The term files (`search/t/N.js`) of about `TERM_CHUNK_BYTES` each, and
/// the first term of each.
fn term_chunks(encoded: Vec<(String, String)>) -> (Vec<(String, Vec<u8>)>, Vec<String>) {
    let mut out = Vec::new();
    let mut chunks: Vec<String> = Vec::new();
    let (mut body, mut head) = (String::new(), 0);
    let flush = |body: &mut String, out: &mut Vec<(String, Vec<u8>)>, n: usize| {
        body.push_str("});\n");
        out.push((
            format!("search/t/{n}.js"),
            std::mem::take(body).into_bytes(),
        ));
    };
    // Taken apart as the chunks are made, so the index is not held twice.
    for (term, entry) in encoded {
        if body.is_empty() {
            body.reserve(TERM_CHUNK_BYTES + entry.len() + 64);
            let _ = write!(body, "paperhubSearch.terms({},{{", chunks.len());
            head = body.len();
            chunks.push(term);
        } else {
            body.push(',');
        }
        body.push_str(&entry);
        if body.len() - head >= TERM_CHUNK_BYTES {
            flush(&mut body, &mut out, chunks.len() - 1);
        }
    }
    if !body.is_empty() {
        flush(&mut body, &mut out, chunks.len() - 1);
    }
    (out, chunks)
}

/// What a result shows of each paper, newest first.
fn docs<'a>(site: &'a Site, href: &(impl Fn(&str) -> String + Sync)) -> Vec<Doc<'a>> {
    let papers = &site.content.papers;
    site.indexes
        .newest
        .iter()
        .map(|&i| {
            let p = &papers[i];
            let w = &site.graph.works[site.graph.paper_work[i]];
            let mut a: Vec<&str> = p.authors.iter().take(3).map(String::as_str).collect();
            if p.authors.len() > 3 {
                a.push("et al.");
            }
            let s = p.summary.as_deref().unwrap_or_default();
            let s = match s.char_indices().nth(SUMMARY_CHARS) {
                Some((cut, _)) => &s[..cut],
                None => s,
            };
            Doc {
                t: &p.title,
                u: href(&crate::urls::work(&w.slug)),
                a,
                y: p.year,
                s,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_lowercase_words_without_accents() {
        let t = terms("The Müller–Lyon effect: LoRA, 3D & a GPT-4 test");
        assert_eq!(t, ["muller", "lyon", "effect", "lora", "3d", "gpt", "test"]);
        // Decomposed accents (as pasted from PDFs) make the same terms.
        assert_eq!(terms("Mu\u{308}ller"), ["muller"]);
        assert_eq!(terms("ΛΟΓΟΣ"), ["λογος"]);
        // The same words, ASCII or not, make the same terms.
        assert_eq!(terms("Erdos-Renyi GRAPHS"), terms("Erdős–Rényi GRAPHS"));
        assert_eq!(
            terms("Graph IS-A tree, 2x x2 of"),
            ["graph", "tree", "2x", "x2"]
        );
    }

    #[test]
    fn a_papers_terms_carry_their_scores_summed_once_per_field() {
        let p = crate::content::parse_for_test(
            "x.md",
            "---\nid: \"x\"\ntitle: \"Graph graph networks\"\nauthors: [\"Ada Graph\"]\n\
             keywords: [\"networks\"]\nsummary: \"Ünïcode graph.\"\n---\n",
        );
        let terms = paper_terms(&p);
        let got: Vec<(&str, u16)> = scored(&terms).collect();
        assert_eq!(
            got,
            [
                ("graph", TITLE + AUTHOR + SUMMARY),
                ("networks", TITLE + KEYWORD),
                ("ada", AUTHOR),
                ("unicode", SUMMARY),
            ]
        );
    }
}

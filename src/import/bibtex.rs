//! BibTeX and BibLaTeX files, as reference managers and publishers write
//! them: @string macros, LaTeX accents and braces, missing fields,
//! repeated keys. Each entry is parsed on its own (with the file's
//! macros), so one broken entry costs only itself.

use std::collections::HashMap;
use std::path::Path;

use biblatex::{Bibliography, ChunksExt, Person};

use super::{choose_id, month, Entry, Origin, Parsed};
use crate::diag::{Diagnostic, Pos};

/// A top-level `@type{...}` block of the file.
struct Block<'a> {
    kind: String,
    text: &'a str,
    start: usize,
    /// Set when the block's braces do not close.
    unclosed: bool,
}

pub fn parse(path: &Path, text: &str) -> Parsed {
    let blocks = blocks(text);
    let mut parsed = Parsed::default();
    let strings: String = blocks
        .iter()
        .filter(|b| b.kind == "string" && !b.unclosed)
        .map(|b| format!("{}\n", b.text))
        .collect();
    // Entries seen by key, to report repeats.
    let mut keys: HashMap<String, usize> = HashMap::new();
    for b in &blocks {
        let pos = Pos::of_offset(text, b.start);
        let at = |message: String, hint: &str| {
            Diagnostic::new(path, pos, message).hint(hint).source(text)
        };
        if matches!(b.kind.as_str(), "string" | "preamble" | "comment") {
            continue;
        }
        if b.unclosed {
            parsed.skipped.push(at(
                format!("the @{} entry starting here is not closed", b.kind),
                "every `{` needs its `}`; the entry was skipped and reading went on at the next `@`",
            ));
            continue;
        }
        let key = entry_key(b.text);
        let name = key.as_deref().unwrap_or("?");
        let bib = match Bibliography::parse(&format!("{strings}{}", normalise(b.text))) {
            Ok(bib) => bib,
            Err(e) => {
                parsed.skipped.push(at(
                    format!("entry `{name}` cannot be read: {}", e.kind),
                    "fix the entry's syntax (`field = {value},`); it was skipped",
                ));
                continue;
            }
        };
        let Some(entry) = bib.iter().next() else {
            continue;
        };
        if let Some(&line) = keys.get(&entry.key) {
            parsed.skipped.push(at(
                format!("key `{}` repeats the entry on line {line}", entry.key),
                "the first entry with a key is imported; rename the key to import both",
            ));
            continue;
        }
        keys.insert(entry.key.clone(), pos.line);
        let origin = Origin::new(path, pos.line, entry.key.clone());
        match convert(entry, origin) {
            Ok(e) => parsed.entries.push(e),
            Err(why) => parsed.skipped.push(at(
                format!("entry `{}` {why}", entry.key),
                "add the missing field to import it",
            )),
        }
    }
    parsed
}

/// Splits the file into its top-level `@type{...}` or `@type(...)` blocks.
/// Text between blocks is a comment in BibTeX and is ignored. A block
/// whose braces never close ends where the next line starting with `@`
/// begins, so the entries after it are still read.
fn blocks(text: &str) -> Vec<Block<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = text[i..].find('@') {
        let start = i + off;
        let mut j = start + 1;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
            j += 1;
        }
        let kind = text[start + 1..j].to_ascii_lowercase();
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if kind.is_empty() || j >= bytes.len() || !matches!(bytes[j], b'{' | b'(') {
            i = start + 1;
            continue;
        }
        let (open, close) = if bytes[j] == b'{' {
            (b'{', b'}')
        } else {
            (b'(', b')')
        };
        let mut depth = 0usize;
        let mut end = None;
        for (k, &c) in bytes.iter().enumerate().skip(j) {
            if c == open || (open == b'(' && c == b'{') {
                depth += 1;
            } else if c == close || (open == b'(' && c == b'}') {
                depth -= 1;
                if depth == 0 {
                    end = Some(k + 1);
                    break;
                }
            }
        }
        // An unclosed block ends where the next line starting with `@` begins.
        let stop = end.unwrap_or_else(|| text[j..].find("\n@").map_or(text.len(), |n| j + n + 1));
        out.push(Block {
            kind,
            text: &text[start..stop],
            start,
            unclosed: end.is_none(),
        });
        i = stop;
    }
    out
}

/// Rewrites what the BibTeX parser does not read into forms it does:
/// `@type(...)` into `@type{...}`, and accents on a bare dotless i or j
/// (`\'\i`) into the braced form (`\'{\i}`).
fn normalise(block: &str) -> String {
    let mut s = block.to_string();
    if let Some(open) = s.find(['{', '(']) {
        if s[open..].starts_with('(') && s.ends_with(')') {
            s.replace_range(open..open + 1, "{");
            let last = s.len() - 1;
            s.replace_range(last.., "}");
        }
    }
    for accent in ['\'', '`', '^', '"', '~', '=', '.'] {
        for letter in ['i', 'j'] {
            s = s.replace(
                &format!("\\{accent}\\{letter}"),
                &format!("\\{accent}{{\\{letter}}}"),
            );
        }
    }
    s
}

/// The key of an entry block (`@article{key, ...`), for messages.
fn entry_key(block: &str) -> Option<String> {
    let after = &block[block.find(['{', '('])? + 1..];
    let key = after.split(',').next()?.trim();
    (!key.is_empty()).then(|| key.to_string())
}

fn convert(e: &biblatex::Entry, origin: Origin) -> Result<Entry, &'static str> {
    let field = |name: &str| -> Option<String> {
        e.get(name)
            .map(|c| c.format_verbatim())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let title = field("title").ok_or("has no title")?;
    let authors: Vec<String> = e
        .author()
        .map(|people| people.iter().map(full_name).collect())
        .unwrap_or_default();
    let year = field("year")
        .and_then(|y| y.get(..4).and_then(|y| y.parse::<i32>().ok()))
        .or_else(|| field("date").and_then(|d| d.get(..4)?.parse().ok()));
    let date = field("date")
        .filter(|d| crate::content::parse_date(d).is_some())
        .or_else(|| {
            let m = month(&field("month")?)?;
            Some(format!("{:04}-{m:02}", year?))
        });

    let venue_field = field("journal")
        .or_else(|| field("journaltitle"))
        .or_else(|| field("booktitle"));
    let mut arxiv = None;
    let archive = field("archiveprefix")
        .or_else(|| field("eprinttype"))
        .unwrap_or_default()
        .to_lowercase();
    if let Some(ep) = field("eprint") {
        if archive == "arxiv" || archive.is_empty() && looks_like_arxiv(&ep) {
            arxiv = Some(ep);
        }
    }
    // Google Scholar writes arXiv papers as `journal={arXiv preprint arXiv:1911.03030}`.
    let venue = match venue_field {
        Some(v) if v.to_lowercase().starts_with("arxiv") => {
            if arxiv.is_none() {
                arxiv = v
                    .rsplit(|c: char| c == ':' || c.is_whitespace())
                    .next()
                    .filter(|id| looks_like_arxiv(id))
                    .map(str::to_string);
            }
            None
        }
        v => v,
    };
    let url = field("url");
    if arxiv.is_none() {
        arxiv = url
            .as_deref()
            .and_then(|u| u.split("arxiv.org/abs/").nth(1))
            .map(str::to_string);
    }
    let doi = field("doi");
    let keywords = field("keywords")
        .map(|k| {
            k.split([',', ';'])
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    Ok(Entry {
        id: choose_id(arxiv.as_deref(), doi.as_deref(), &e.key),
        title,
        authors,
        year,
        date,
        venue,
        arxiv,
        doi,
        url,
        pdf: None,
        categories: Vec::new(),
        keywords,
        abstract_text: field("abstract"),
        origin,
        ..Entry::default()
    })
}

/// `2402.12345`, `2402.12345v2` or `hep-th/9901001`.
fn looks_like_arxiv(id: &str) -> bool {
    let id = crate::export::strip_version(id.trim());
    let new_style = id.split_once('.').is_some_and(|(a, b)| {
        a.len() == 4
            && a.bytes().all(|c| c.is_ascii_digit())
            && (4..=5).contains(&b.len())
            && b.bytes().all(|c| c.is_ascii_digit())
    });
    let old_style = id.split_once('/').is_some_and(|(a, b)| {
        !a.is_empty() && b.len() == 7 && b.bytes().all(|c| c.is_ascii_digit())
    });
    new_style || old_style
}

/// "Given prefix Family, Suffix" as one would write it in a record.
fn full_name(p: &Person) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for s in [&p.given_name, &p.prefix, &p.name] {
        if !s.trim().is_empty() {
            parts.push(s.trim());
        }
    }
    let mut name = parts.join(" ");
    if !p.suffix.trim().is_empty() {
        name = format!("{name}, {}", p.suffix.trim());
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(src: &str) -> Parsed {
        parse(Path::new("refs.bib"), src)
    }

    #[test]
    fn reads_macros_accents_and_google_scholar_arxiv() {
        let p = one(
            r#"@string{icml = "International Conference on Machine Learning"}
@inproceedings{guo2020,
  title = {Certified Data Removal from {Machine Learning} Models},
  author = {Guo, Chuan and Goldstein, Tom and van der Maaten, Laurens and M{\"u}ller, J{\"o}rg},
  booktitle = icml,
  year = 2020, month = jul,
}
@article{zhang2024,
  title={Negative preference optimization},
  author={Zhang, Ruiqi},
  journal={arXiv preprint arXiv:2404.05868},
  year={2024}
}"#,
        );
        assert!(p.skipped.is_empty(), "{:?}", p.skipped);
        let a = &p.entries[0];
        assert_eq!(a.id, "guo2020");
        assert_eq!(
            a.title,
            "Certified Data Removal from Machine Learning Models"
        );
        assert_eq!(
            a.authors,
            [
                "Chuan Guo",
                "Tom Goldstein",
                "Laurens van der Maaten",
                "Jörg Müller"
            ]
        );
        assert_eq!(
            a.venue.as_deref(),
            Some("International Conference on Machine Learning")
        );
        assert_eq!(a.date.as_deref(), Some("2020-07"));
        let b = &p.entries[1];
        assert_eq!(b.id, "2404.05868");
        assert_eq!(b.arxiv.as_deref(), Some("2404.05868"));
        assert_eq!(b.venue, None);
    }

    #[test]
    fn a_broken_entry_costs_only_itself() {
        let p = one("@article{ok1, title={One}, year=2020}\n@article{broken, title={Two, year=2021}\n@article{ok2, title={Three}}\n@article{ok1, title={Again}}\n@misc{notitle, author={A B}}\n");
        let ids: Vec<&str> = p.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["ok1", "ok2"]);
        let messages: Vec<String> = p.skipped.iter().map(|d| d.message.clone()).collect();
        assert_eq!(p.skipped.len(), 3, "{messages:?}");
        assert!(messages[0].contains("not closed"));
        assert_eq!(p.skipped[0].pos.line, 2);
        assert!(messages[1].contains("repeats the entry on line 1"));
        assert!(messages[2].contains("`notitle` has no title"));
    }
}

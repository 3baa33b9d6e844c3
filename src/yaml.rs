//! YAML parsing that reports problems as [`Diagnostic`]s with positions in
//! the user's file and a hint (did-you-mean for unknown keys, the expected
//! shape for wrong types). Shared by `site.yaml` and record front matter.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diag::{did_you_mean, Diagnostic, Pos};

/// A record's YAML as a tree of values, for the importers, which edit
/// records in place and write them back.
pub use serde_yaml::{Mapping, Value};

/// `yaml` as a mapping, or `None` when it is not one (the importers leave
/// such a record alone; `check` reports it).
pub fn mapping(yaml: &str) -> Option<Mapping> {
    serde_yaml::from_str(yaml).ok()
}

/// `mapping` as YAML text.
pub fn to_text(mapping: &Mapping) -> String {
    serde_yaml::to_string(mapping).expect("YAML values serialise")
}

/// Parses `yaml`, which starts at line `first_line` of the file `source`.
pub fn parse<T: DeserializeOwned>(
    path: &Path,
    source: &str,
    yaml: &str,
    first_line: usize,
) -> Result<T, Diagnostic> {
    // An empty document is an empty mapping to us, so that `---\n---` and an
    // empty site.yaml mean "all defaults" instead of a confusing type error.
    let yaml = if yaml.trim().is_empty() { "{}" } else { yaml };
    if let Some(offset) = too_deep(yaml) {
        let at = Pos::of_offset(yaml, offset);
        return Err(Diagnostic::new(
            path,
            Pos::new(at.line + first_line - 1, at.col),
            format!("the YAML is nested more than {MAX_DEPTH} levels deep"),
        )
        .hint("records are flat: a few keys, lists and small maps")
        .source(source));
    }
    serde_yaml::from_str(yaml).map_err(|e| to_diagnostic(path, source, &e, first_line))
}

/// Deeper flow nesting than any record needs; the YAML parser slows down
/// badly on (and a hostile file could use) thousands of levels.
const MAX_DEPTH: usize = 64;

/// The offset where `[`/`{` nesting (outside quoted strings) first exceeds
/// [`MAX_DEPTH`].
fn too_deep(yaml: &str) -> Option<usize> {
    // Nesting needs that many openers in all: most records have a few, and
    // counting bytes is much cheaper than following quotes.
    if yaml.bytes().filter(|b| matches!(b, b'[' | b'{')).count() <= MAX_DEPTH {
        return None;
    }
    let (mut depth, mut quote) = (0usize, None::<char>);
    let mut prev = '\n';
    for (i, c) in yaml.char_indices() {
        match (quote, c) {
            (Some('"'), '"') if prev != '\\' => quote = None,
            (Some('\''), '\'') => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            // A quote only spans one line in the keys and values we read.
            (None, '\n') => {}
            _ => {}
        }
        if c == '\n' && quote == Some('\'') {
            quote = None;
        }
        prev = c;
    }
    None
}

fn to_diagnostic(
    path: &Path,
    source: &str,
    e: &serde_yaml::Error,
    first_line: usize,
) -> Diagnostic {
    let pos = e
        .location()
        .map(|l| Pos::new(l.line() + first_line - 1, l.column()))
        .unwrap_or(Pos::new(first_line, 1));
    let full = e.to_string();
    let message = strip_location(&full);
    let hint = hint_for(&message);
    // The list of allowed keys moves to the hint (when no suggestion fits),
    // keeping the message itself one short line.
    let message = match message.split_once(", expected") {
        Some((head, _)) if head.starts_with("unknown field") => head.to_string(),
        _ => message,
    };
    let mut d = Diagnostic::new(path, pos, message).source(source);
    if let Some(h) = hint {
        d = d.hint(h);
    }
    d
}

/// serde_yaml puts " at line L column C" into its messages (at the end or
/// before a ", while ..." clause); we show the position ourselves.
fn strip_location(message: &str) -> String {
    let Some(i) = message.find(" at line ") else {
        return message.to_string();
    };
    let rest = &message[i + " at line ".len()..];
    let mut words = rest.splitn(4, ' ');
    let (line, column, col) = (words.next(), words.next(), words.next());
    let numeric = |w: Option<&str>| {
        w.is_some_and(|w| {
            w.trim_end_matches(',').chars().all(|c| c.is_ascii_digit()) && !w.is_empty()
        })
    };
    if !(numeric(line) && column == Some("column") && numeric(col)) {
        return message.to_string();
    }
    let tail = words.next().unwrap_or_default();
    let col = col.unwrap_or_default();
    let sep = if col.ends_with(',') { ", " } else { "" };
    format!("{}{sep}{tail}", &message[..i])
        .trim_end()
        .to_string()
}

fn hint_for(message: &str) -> Option<String> {
    if let Some(rest) = message.split("unknown field `").nth(1) {
        let field = rest.split('`').next().unwrap_or_default();
        let expected: Vec<&str> = rest
            .split_once("expected")
            .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let extra = if expected.contains(&"extra") {
            " (custom data goes under `extra:`)"
        } else {
            ""
        };
        return Some(match did_you_mean(field, &expected) {
            Some(s) => format!("did you mean `{s}`?{extra}"),
            None => format!("allowed keys here: {}{extra}", expected.join(", ")),
        });
    }
    if message.contains("invalid type") {
        let key = message
            .split(':')
            .next()
            .unwrap_or_default()
            .rsplit('.')
            .next()
            .unwrap_or_default();
        let want = message.rsplit("expected ").next().unwrap_or_default();
        let example = match key {
            "year" => " (a number, e.g. `year: 2024`)",
            "authors" | "keywords" | "categories" | "aliases" => {
                " (a list, e.g. `[\"A. Author\", \"B. Author\"]`)"
            }
            "draft" | "unsafe_html" | "math" | "representative" => " (`true` or `false`)",
            _ => "",
        };
        return Some(format!("`{key}` should be {}{example}", describe(want)));
    }
    if message.contains("written as a number") {
        return Some(
            "ids are text: put them in quotes, as YAML would otherwise read 1911.03030 as a number"
                .into(),
        );
    }
    if message.contains("scanning a quoted scalar") {
        return Some(
            "a quoted value is missing its closing quote; the error shows where the parser gave up"
                .into(),
        );
    }
    if message.contains("did not find expected")
        || message.contains("mapping values are not allowed")
    {
        return Some(
            "check the indentation and quote values that contain `: ` or start with a special character"
                .to_string(),
        );
    }
    None
}

fn describe(serde_expected: &str) -> String {
    match serde_expected {
        "i32" | "u16" | "u32" | "i64" | "u64" | "usize" => "a whole number".into(),
        "a boolean" => "`true` or `false`".into(),
        "a sequence" => "a list".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_deep_nesting_quickly() {
        let deep = format!("extra: {}{}", "[".repeat(100_000), "]".repeat(100_000));
        let start = std::time::Instant::now();
        let err = parse::<serde_yaml::Value>(Path::new("x.md"), &deep, &deep, 2).unwrap_err();
        assert!(err.message.contains("nested more than"), "{}", err.message);
        assert_eq!((err.pos.line, err.pos.col), (2, 72));
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
        assert!(too_deep("title: \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"").is_none());
    }

    #[test]
    fn strips_serde_positions_from_messages() {
        for (raw, want) in [
            (
                "invalid type: string \"x\", expected i32 at line 3 column 7",
                "invalid type: string \"x\", expected i32",
            ),
            (
                "found unexpected end of stream at line 3 column 1, while scanning a quoted scalar",
                "found unexpected end of stream, while scanning a quoted scalar",
            ),
            ("no position here", "no position here"),
        ] {
            assert_eq!(strip_location(raw), want, "case {raw:?}");
        }
    }
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Rec {
        title: Option<String>,
        year: Option<i32>,
        extra: Option<serde_yaml::Value>,
    }

    #[test]
    fn unknown_key_gets_position_and_suggestion() {
        let src = "---\ntitle: a\ntitel: b\n---\n";
        let d = parse::<Rec>(Path::new("x.md"), src, "title: a\ntitel: b\n", 2).unwrap_err();
        assert_eq!((d.pos.line, d.pos.col), (3, 1));
        assert!(
            d.message.starts_with("unknown field `titel`"),
            "{}",
            d.message
        );
        let hint = d.hint.unwrap();
        assert!(hint.contains("did you mean `title`?"), "{hint}");
        assert!(hint.contains("extra"), "{hint}");
    }

    #[test]
    fn wrong_type_says_what_is_expected() {
        let src = "year: twenty\n";
        let d = parse::<Rec>(Path::new("x.yaml"), src, src, 1).unwrap_err();
        assert_eq!(d.pos.line, 1);
        let hint = d.hint.unwrap();
        assert!(hint.contains("a whole number"), "{hint}");
    }

    #[test]
    fn empty_document_is_all_defaults() {
        let r: Rec = parse(Path::new("x.yaml"), "", "  \n", 1).unwrap();
        assert!(r.title.is_none());
    }
}

//! Splits a Markdown file into its YAML front matter and body.

use std::path::Path;

use crate::diag::{Diagnostic, Pos};

/// A file split into front matter and body.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// The line of the file where `yaml` starts.
    pub yaml_line: usize,
    pub body: &'a str,
}

/// Splits `text` at its `---` fences. The opening fence must be the first
/// line; the closing one is the next line that is exactly `---` (or `...`).
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or_default();
    if first.trim_end() != "---" {
        return Err(Diagnostic::new(
            path,
            Pos::START,
            "this file does not start with YAML front matter",
        )
        .hint("put the record's fields between two lines of `---` at the top, e.g. `---\\ntitle: \"...\"\\n---`")
        .source(text));
    }
    let yaml_start = first.len() + line_break_len(&text[first.len()..]);
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if bare.trim_end() == "---" || bare.trim_end() == "..." {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::new(
        path,
        Pos::START,
        "no closing `---` for the front matter that opens at line 1",
    )
    .hint("add a line with just `---` after the last field; did you forget it?")
    .source(text))
}

fn line_break_len(rest: &str) -> usize {
    if rest.starts_with("\r\n") {
        2
    } else if rest.starts_with('\n') {
        1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body() {
        let cases = [
            ("---\ntitle: a\n---\nbody\n", "title: a\n", "body\n"),
            ("---\r\ntitle: a\r\n---\r\nbody", "title: a\r\n", "body"),
            ("---\n---\n", "", ""),
            ("\u{feff}---\nx: 1\n...\nrest", "x: 1\n", "rest"),
            ("---\ntitle: a\n---", "title: a\n", ""),
        ];
        for (text, yaml, body) in cases {
            let s = split(Path::new("a.md"), text).unwrap();
            assert_eq!((s.yaml, s.body), (yaml, body), "case {text:?}");
        }
    }

    #[test]
    fn reports_missing_fences() {
        for (text, want) in [
            ("title: a\n", "does not start"),
            ("---\ntitle: a\nbody\n", "no closing `---`"),
            ("", "does not start"),
        ] {
            let d = split(Path::new("a.md"), text).unwrap_err();
            assert!(d.message.contains(want), "case {text:?}: {}", d.message);
            assert_eq!(d.pos, Pos::START);
        }
    }
}

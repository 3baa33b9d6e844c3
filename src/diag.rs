//! Diagnostics: what went wrong with the user's content, where, and how to fix it.
//!
//! Every stage that reads user input (config, records, templates) collects
//! [`Diagnostic`]s instead of failing at the first problem, so a build reports
//! all errors together, numbered, with a source excerpt and a hint.

use std::fmt;
use std::path::{Path, PathBuf};

/// A position in a source file, 1-based as editors show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, col: 1 };

    pub fn new(line: usize, col: usize) -> Pos {
        Pos {
            line: line.max(1),
            col: col.max(1),
        }
    }

    /// The position of byte `offset` in `text` (columns count characters).
    pub fn of_offset(text: &str, offset: usize) -> Pos {
        let offset = offset.min(text.len());
        let before = &text.as_bytes()[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let col = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        Pos { line, col }
    }
}

/// One problem in the user's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, relative to the site root where possible.
    pub path: PathBuf,
    pub pos: Pos,
    pub message: String,
    /// What would be right; shown after the excerpt.
    pub hint: Option<String>,
    /// The offending source line, captured when the diagnostic is made so the
    /// report does not need to read the file again.
    pub excerpt: Option<String>,
}

impl Diagnostic {
    pub fn new(path: impl Into<PathBuf>, pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            path: path.into(),
            pos,
            message: message.into(),
            hint: None,
            excerpt: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// Attaches the line at `self.pos` from `source` as the excerpt.
    pub fn source(mut self, source: &str) -> Diagnostic {
        self.excerpt = source
            .lines()
            .nth(self.pos.line.saturating_sub(1))
            .map(|l| l.trim_end().to_string());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, "error")
    }
}

impl Diagnostic {
    /// The report with another label than `error` (`skipped`, `warning`).
    pub fn labelled<'a>(&'a self, label: &'a str) -> impl fmt::Display + 'a {
        struct Labelled<'a>(&'a Diagnostic, &'a str);
        impl fmt::Display for Labelled<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.write(f, self.1)
            }
        }
        Labelled(self, label)
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, label: &str) -> fmt::Result {
        writeln!(f, "{label}: {}", self.message)?;
        write!(
            f,
            "  --> {}:{}:{}",
            self.path.display(),
            self.pos.line,
            self.pos.col
        )?;
        if let Some(line) = &self.excerpt {
            let num = self.pos.line.to_string();
            let pad = " ".repeat(num.len());
            let caret_pad: String = line
                .chars()
                .take(self.pos.col.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(f, "\n {pad} |\n {num} | {line}\n {pad} | {caret_pad}^")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// All the problems found in one pass over the content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Sorts by file then position so reports are stable across parallel runs.
    pub fn sort(&mut self) {
        self.0
            .sort_by(|a, b| (&a.path, a.pos, &a.message).cmp(&(&b.path, b.pos, &b.message)));
        self.0.dedup();
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        for (i, d) in self.0.iter().enumerate() {
            if n > 1 {
                write!(f, "[{}/{}] ", i + 1, n)?;
            }
            writeln!(f, "{d}\n")?;
        }
        write!(
            f,
            "{n} error{} found; nothing was written.",
            if n == 1 { "" } else { "s" }
        )
    }
}

/// `path` relative to `root` when it is inside it, for shorter messages.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Suggests the closest of `candidates` to `word`, if any is close enough.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pos_of_offset_counts_lines_and_chars() {
        let text = "ab\ncdé\nf";
        for (offset, want) in [(0, (1, 1)), (3, (2, 1)), (5, (2, 3)), (8, (3, 1))] {
            let got = Pos::of_offset(text, offset);
            assert_eq!((got.line, got.col), want, "offset {offset}");
        }
    }

    #[test]
    fn did_you_mean_finds_close_words_only() {
        let keys = ["title", "authors", "year"];
        assert_eq!(did_you_mean("titel", &keys), Some("title"));
        assert_eq!(did_you_mean("author", &keys), Some("authors"));
        assert_eq!(did_you_mean("zzz", &keys), None);
    }

    #[test]
    fn display_shows_location_excerpt_and_hint() {
        let d = Diagnostic::new("a.md", Pos::new(2, 3), "bad thing")
            .hint("do this")
            .source("---\ntitel: x\n");
        let s = d.to_string();
        assert!(s.contains("a.md:2:3"), "{s}");
        assert!(s.contains("2 | titel: x"), "{s}");
        assert!(s.contains("hint: do this"), "{s}");
    }
}

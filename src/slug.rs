//! URL slugs: for work ids (DESIGN.md: every character outside
//! `A-Za-z0-9._-` becomes `-`) and for taxonomy terms (lowercase words).

/// The slug of a work id, as DESIGN.md specifies. `None` when the id would
/// make an unusable or dangerous path (empty, `.` or `..`).
pub fn work_slug(id: &str) -> Option<String> {
    // Every character becomes one ASCII byte.
    let mut slug = String::with_capacity(id.chars().count());
    slug.extend(id.chars().map(|c| {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            c
        } else {
            '-'
        }
    }));
    if slug.is_empty() || slug.chars().all(|c| c == '.') {
        None
    } else {
        Some(slug)
    }
}

/// The slug of a taxonomy term or page name: lowercase ASCII letters and
/// digits, words joined by `-`. Non-ASCII letters are kept lowercased so
/// that names in other scripts still get distinct pages.
pub fn term_slug(term: &str) -> String {
    let mut out = String::with_capacity(term.len());
    // The separator to write before the next word: a dot survives only when
    // it sits directly between two words ("cs.LG"), anything else is a dash.
    let mut pending: Option<char> = None;
    for c in term.chars() {
        if c.is_alphanumeric() {
            if let Some(sep) = pending.take() {
                if !out.is_empty() {
                    out.push(sep);
                }
            }
            out.extend(c.to_lowercase());
        } else if c == '.' && pending.is_none() {
            pending = Some('.');
        } else {
            pending = Some('-');
        }
    }
    if out.is_empty() {
        return "-".to_string();
    }
    // A term names a folder; a very long one keeps its start and a hash of
    // the whole, so distinct terms stay distinct within 255 bytes.
    if out.len() > MAX_TERM_LEN {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        out.hash(&mut h);
        let mut cut = 100;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        return format!("{}-{:016x}", &out[..cut], h.finish());
    }
    out
}

/// The longest term slug kept whole.
const MAX_TERM_LEN: usize = 120;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_slugs_follow_the_design() {
        for (id, want) in [
            ("1911.03030", Some("1911.03030")),
            ("doi:10.5555/external", Some("doi-10.5555-external")),
            ("hep-th/9601001", Some("hep-th-9601001")),
            ("..", None),
            (".", None),
            ("", None),
            ("ünï", Some("-n-")),
        ] {
            assert_eq!(work_slug(id).as_deref(), want, "case {id:?}");
        }
    }

    #[test]
    fn term_slugs_are_lowercase_words() {
        for (term, want) in [
            ("Machine Unlearning", "machine-unlearning"),
            ("cs.LG", "cs.lg"),
            ("  C. Guo ", "c-guo"),
            ("Ünlearning", "ünlearning"),
            ("???", "-"),
        ] {
            assert_eq!(term_slug(term), want, "case {term:?}");
        }
        let (a, b) = (
            term_slug(&"x".repeat(300)),
            term_slug(&format!("{}y", "x".repeat(300))),
        );
        assert!(a.starts_with(&"x".repeat(100)) && a.len() <= 120, "{a}");
        assert_ne!(a, b, "long terms stay distinct");
    }
}

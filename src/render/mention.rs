//! The cited work's mention in a citing sentence, marked: "as Zhang et
//! al. (2024) show" → "as <mark>Zhang et al. (2024)</mark> show". A
//! sentence names the work it cites by its first author's surname, most
//! often with "et al." and the year; numeric markers (`[12]`) cannot be
//! told apart from the other works cited beside it, so they stay plain.

use std::borrow::Cow;

/// The surname a sentence would name work `authors` by: the last word of
/// the first author's name ("Ashish Vaswani", "A. Vaswani" → "Vaswani";
/// "Vaswani, Ashish" → "Vaswani").
pub fn surname(authors: &[String]) -> Option<&str> {
    let first = authors.first()?.trim();
    let name = match first.split_once(',') {
        Some((family, _)) => family.trim(),
        None => first.rsplit(' ').next().unwrap_or(first),
    };
    // An initial alone names no one.
    (name.chars().filter(|c| c.is_alphabetic()).count() >= 2).then_some(name)
}

/// `html` (rendered inline Markdown) with each mention of `surname` in its
/// text wrapped in `<mark>`, taking in a following "et al." and `year`
/// where they follow. Tags and attributes are left alone.
pub fn mark<'a>(html: &'a str, surname: &str, year: Option<i32>) -> Cow<'a, str> {
    if surname.is_empty() || !html.contains(surname) {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 16);
    let mut rest = html;
    let mut changed = false;
    while !rest.is_empty() {
        // A tag is copied whole (a `>` may stand in a quoted value).
        if rest.starts_with('<') {
            let end = tag_end(rest);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let text_end = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..text_end];
        let mut last = 0;
        let mut search = 0;
        while let Some(i) = text[search..].find(surname).map(|i| i + search) {
            let end = i + surname.len();
            let before_ok = text[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let after_ok = text[end..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            if !(before_ok && after_ok) {
                search = end;
                continue;
            }
            // The same surname with another year is another work.
            let Some(more) = tail(&text[end..], year) else {
                search = end;
                continue;
            };
            let end = end + more;
            out.push_str(&text[last..i]);
            out.push_str("<mark>");
            out.push_str(&text[i..end]);
            out.push_str("</mark>");
            changed = true;
            last = end;
            search = end;
        }
        out.push_str(&text[last..]);
        rest = &rest[text_end..];
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(html)
    }
}

/// Where the tag `html` starts with ends: after its `>`, outside quotes.
fn tag_end(html: &str) -> usize {
    let mut quote = None;
    for (i, b) in html.bytes().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    html.len()
}

/// How much of `after` still belongs to the mention: " et al.", then the
/// year as ", 2024", " 2024" or " (2024)"; `None` when another year
/// follows, naming another work of the same author.
fn tail(after: &str, year: Option<i32>) -> Option<usize> {
    let mut n = 0;
    for etal in [" et al.", " et al"] {
        if after.starts_with(etal) {
            n = etal.len();
            break;
        }
    }
    for sep in [", ", " ", " ("] {
        let Some(rest) = after[n..].strip_prefix(sep) else {
            continue;
        };
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits != 4 {
            continue;
        }
        if year.map(|y| y.to_string()).as_deref() != Some(&rest[..4]) {
            return None;
        }
        let mut end = n + sep.len() + 4;
        if sep == " (" && after[end..].starts_with(')') {
            end += 1;
        }
        // "2024a" is the same year, told apart from another work.
        let letter = after[end..]
            .chars()
            .next()
            .filter(|c| c.is_ascii_lowercase())
            .filter(|_| !after[end + 1..].starts_with(|c: char| c.is_alphanumeric()));
        return Some(end + letter.map_or(0, char::len_utf8));
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surnames_from_the_forms_names_take() {
        let s = |a: &[&str]| {
            surname(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>()).map(str::to_string)
        };
        assert_eq!(
            s(&["Ashish Vaswani", "N. Shazeer"]).as_deref(),
            Some("Vaswani")
        );
        assert_eq!(s(&["A. Vaswani"]).as_deref(), Some("Vaswani"));
        assert_eq!(s(&["Vaswani, Ashish"]).as_deref(), Some("Vaswani"));
        assert_eq!(s(&["X."]), None);
        assert_eq!(s(&[]), None);
    }

    #[test]
    fn marks_the_mention_with_its_year_and_nothing_else() {
        assert_eq!(
            mark(
                "As Zhang et al. (2024) show, it <em>works</em>.",
                "Zhang",
                Some(2024)
            ),
            "As <mark>Zhang et al. (2024)</mark> show, it <em>works</em>."
        );
        assert_eq!(
            mark("(Zhang et al., 2024b; Li, 2020)", "Zhang", Some(2024)),
            "(<mark>Zhang et al., 2024b</mark>; Li, 2020)"
        );
        // The same author's other work is not this one.
        assert_eq!(
            mark("Zhang 2019 differs", "Zhang", Some(2024)),
            "Zhang 2019 differs"
        );
        assert_eq!(
            mark("(Zhang et al., 2020)", "Zhang", Some(2019)),
            "(Zhang et al., 2020)"
        );
        assert_eq!(
            mark("Zhang shows", "Zhang", Some(2019)),
            "<mark>Zhang</mark> shows"
        );
        // A `>` in a quoted attribute is no end of the tag.
        assert_eq!(
            mark("<a title=\"a > Zhang\">x</a> Zhang", "Zhang", None),
            "<a title=\"a > Zhang\">x</a> <mark>Zhang</mark>"
        );
        // Inside a longer word or an attribute: untouched, and not copied.
        let html = "Zhangs <a href=\"/Zhang/\">x</a>";
        assert!(matches!(mark(html, "Zhang", None), Cow::Borrowed(_)));
        assert_eq!(mark(html, "Zhang", None), html);
        assert_eq!(
            mark("Müller’s method", "Müller", None),
            "<mark>Müller</mark>’s method"
        );
    }
}

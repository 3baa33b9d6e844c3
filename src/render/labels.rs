//! Colours of citation labels by what they mean, not by their place in the
//! vocabulary: supporting and positive labels are green, contrasting and
//! negative ones red, neutral grey, mixed purple; a label with no known
//! meaning (every role, most custom names) takes the next colour of a
//! palette that never uses the reserved red and green. `citations.colors`
//! in site.yaml sets any label's colour.
//!
//! The rules go into the generated stylesheet (`static/highlight.css`),
//! which every page links; the colours themselves are the theme's CSS
//! variables (`--good`, `--bad`, `--neutral`, `--mixed`, `--l0`..`--l5`),
//! so light and dark schemes each have theirs.

use std::fmt::Write as _;

use crate::config::CitationsConfig;

/// What a label means, as far as its colour goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Bad,
    Neutral,
    Mixed,
    /// No known meaning: the n-th colour of the palette.
    Other(usize),
}

/// How many colours the palette for labels without a meaning has.
const PALETTE: usize = 6;

const GOOD: &[&str] = &[
    "supporting",
    "supports",
    "support",
    "positive",
    "agree",
    "agrees",
    "agreement",
    "confirming",
    "confirms",
    "confirmation",
    "endorsing",
    "endorses",
];
const BAD: &[&str] = &[
    "contrasting",
    "contrasts",
    "contradicting",
    "contradicts",
    "contradiction",
    "negative",
    "disagree",
    "disagrees",
    "disagreement",
    "refuting",
    "refutes",
    "critical",
    "criticizing",
    "disputing",
    "disputes",
];
const NEUTRAL: &[&str] = &["neutral", "mentioning", "mentions", "mention", "none"];
const MIXED: &[&str] = &["mixed", "partial", "ambivalent", "ambiguous"];

/// The meaning of the label `name`, if it has a known one.
pub fn meaning(name: &str) -> Option<Tone> {
    let name = name.trim().to_lowercase();
    let is = |list: &[&str]| list.contains(&name.as_str());
    if is(GOOD) {
        Some(Tone::Good)
    } else if is(BAD) {
        Some(Tone::Bad)
    } else if is(NEUTRAL) {
        Some(Tone::Neutral)
    } else if is(MIXED) {
        Some(Tone::Mixed)
    } else {
        None
    }
}

/// The tone of each name of a vocabulary: its meaning, or the next
/// palette colour among the names without one.
pub fn tones(names: &[String]) -> Vec<Tone> {
    let mut next = 0;
    names
        .iter()
        .map(|n| {
            meaning(n).unwrap_or_else(|| {
                next += 1;
                Tone::Other((next - 1) % PALETTE)
            })
        })
        .collect()
}

/// The default theme's light colours, the fallback for a theme whose
/// stylesheet does not set the variables.
const FALLBACK: [&str; PALETTE] = [
    "#2f6fd1", "#d9822b", "#3aa0b5", "#8d8a2a", "#9c6b3f", "#5d6fa3",
];

fn var(tone: Tone) -> String {
    match tone {
        Tone::Good => "var(--good, #2e9d6b)".into(),
        Tone::Bad => "var(--bad, #c94f4f)".into(),
        Tone::Neutral => "var(--neutral, #7a8494)".into(),
        Tone::Mixed => "var(--mixed, #8a5cc7)".into(),
        Tone::Other(i) => format!("var(--l{i}, {})", FALLBACK[i]),
    }
}

/// The label rules: a fill and background per role and polarity (the
/// summaries' bars and swatches, `seg-role-N`, `seg-polarity-N`), and a
/// text colour for the badges of green and red labels.
pub fn stylesheet(citations: &CitationsConfig) -> String {
    let mut css =
        String::from("\n/* Citation label colours, by meaning (see citations.colors). */\n");
    for (prefix, names) in [
        ("role", &citations.roles),
        ("polarity", &citations.polarities),
    ] {
        for (i, (name, tone)) in names.iter().zip(tones(names)).enumerate() {
            let colour = citations
                .colors
                .get(name)
                .cloned()
                .unwrap_or_else(|| var(tone));
            let _ = writeln!(
                css,
                ".seg-{prefix}-{i} {{ fill: {colour}; background: {colour}; }}"
            );
            let text = match tone {
                Tone::Good => "var(--good-text, #1e7a50)",
                Tone::Bad => "var(--bad-text, #b03a3a)",
                _ => continue,
            };
            if prefix == "polarity" && !name.contains(char::is_whitespace) {
                let _ = writeln!(
                    css,
                    ".badge[class~=\"polarity-{}\"] {{ color: {text}; border-color: currentColor; }}",
                    css_string(name)
                );
            }
        }
    }
    css
}

/// `s` inside a CSS string in double quotes.
fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\{:x} ", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn colours_follow_meaning_not_position() {
        // A real corpus's labels: neutral before negative.
        let acl = vocab(&["positive", "negative", "neutral", "mixed"]);
        assert_eq!(
            tones(&acl),
            [Tone::Good, Tone::Bad, Tone::Neutral, Tone::Mixed]
        );
        let default = vocab(&["supporting", "neutral", "contrasting"]);
        assert_eq!(tones(&default), [Tone::Good, Tone::Neutral, Tone::Bad]);
        // Roles mean nothing for colour: the palette, in order, no reds.
        let roles = vocab(&["method", "result", "aim", "implication", "hypothesis"]);
        assert_eq!(
            tones(&roles),
            [0, 1, 2, 3, 4].map(Tone::Other),
            "every role its own palette colour"
        );
        let mixed = vocab(&["uses", "Contradicts", "extends"]);
        assert_eq!(tones(&mixed), [Tone::Other(0), Tone::Bad, Tone::Other(1)]);
    }

    #[test]
    fn the_stylesheet_gives_each_label_its_colour_and_site_colours_win() {
        let mut c = CitationsConfig {
            roles: vocab(&["method", "result"]),
            polarities: vocab(&["positive", "negative", "neutral", "mixed"]),
            ..Default::default()
        };
        c.colors.insert("result".into(), "#123456".into());
        let css = stylesheet(&c);
        for rule in [
            ".seg-role-0 { fill: var(--l0, #2f6fd1); background: var(--l0, #2f6fd1); }",
            ".seg-role-1 { fill: #123456; background: #123456; }",
            ".seg-polarity-1 { fill: var(--bad, #c94f4f); background: var(--bad, #c94f4f); }",
            ".seg-polarity-2 { fill: var(--neutral, #7a8494);",
            ".seg-polarity-3 { fill: var(--mixed, #8a5cc7);",
            ".badge[class~=\"polarity-negative\"] { color: var(--bad-text, #b03a3a);",
        ] {
            assert!(css.contains(rule), "{rule}\n{css}");
        }
    }

    #[test]
    fn names_are_escaped_in_css_strings() {
        assert_eq!(css_string("a\"b\\c"), "a\\\"b\\\\c");
    }
}

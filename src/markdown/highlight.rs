//! Code highlighting with syntect into CSS classes (`hl-*`), so one
//! stylesheet serves light and dark schemes. Syntaxes load once, on the
//! first code block, and are shared by all render threads.

use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::FxHashMap;

use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
const DARK_THEME: &str = "base16-ocean.dark";

/// Highlights fenced code blocks; cheap to create, loads syntaxes lazily.
/// Blocks are cached by language and text: highlighting is the costliest
/// part of Markdown, and the same snippet often recurs across records.
pub struct Highlighter {
    /// The light theme, whose stylesheet (with the dark one) says which
    /// classes are worth writing.
    light: String,
    syntaxes: OnceLock<SyntaxSet>,
    styled: OnceLock<Vec<Vec<Vec<String>>>>,
    cache: Mutex<FxHashMap<(String, String), Arc<str>>>,
}

impl Default for Highlighter {
    fn default() -> Self {
        Highlighter::new("InspiredGitHub")
    }
}

/// Blocks longer than this are not cached (they rarely repeat).
const CACHE_MAX_BLOCK: usize = 16 * 1024;
/// The cache is dropped when it holds this many blocks, to bound memory.
const CACHE_MAX_ENTRIES: usize = 20_000;

impl Highlighter {
    /// A highlighter for the site's light theme (`markdown.highlight_theme`).
    pub fn new(light: &str) -> Highlighter {
        Highlighter {
            light: light.to_string(),
            syntaxes: OnceLock::new(),
            styled: OnceLock::new(),
            cache: Mutex::default(),
        }
    }

    /// The HTML of a code block: `<pre>` with highlighted spans, or the
    /// escaped text when the language is unknown.
    pub fn block(&self, lang: &str, code: &str) -> String {
        if code.len() > CACHE_MAX_BLOCK {
            return self.render_block(lang, code);
        }
        let key = (lang.to_string(), code.to_string());
        if let Some(hit) = self
            .cache
            .lock()
            .expect("no panics while holding the lock")
            .get(&key)
        {
            return hit.to_string();
        }
        let html = self.render_block(lang, code);
        let mut cache = self.cache.lock().expect("no panics while holding the lock");
        if cache.len() >= CACHE_MAX_ENTRIES {
            cache.clear();
        }
        cache.insert(key, Arc::from(html.as_str()));
        html
    }

    fn render_block(&self, lang: &str, code: &str) -> String {
        let lang = lang
            .split([' ', ',', '{'])
            .next()
            .unwrap_or_default()
            .trim();
        let mut out = String::with_capacity(code.len() * 2 + 64);
        out.push_str("<pre class=\"hl-code\"");
        if !lang.is_empty() {
            out.push_str(" data-lang=\"");
            crate::html::push_escaped(&mut out, lang);
            out.push('"');
        }
        out.push_str("><code>");
        let highlighted = (!lang.is_empty())
            .then(|| self.highlight(lang, code))
            .flatten();
        match highlighted {
            Some(html) => out.push_str(&html),
            None => crate::html::push_escaped(&mut out, code),
        }
        out.push_str("</code></pre>\n");
        out
    }

    fn highlight(&self, lang: &str, code: &str) -> Option<String> {
        let ss = self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines);
        let syntax = ss.find_syntax_by_token(lang)?;
        let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, ss, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            gen.parse_html_for_line_which_includes_newline(line).ok()?;
        }
        let styled = self
            .styled
            .get_or_init(|| selectors(&stylesheet(&self.light)));
        Some(prune(&gen.finalize(), styled))
    }
}

/// The stylesheet's selectors, each as the class sets it is made of:
/// `.a.b .c` is `[{a, b}, {c}]`.
fn selectors(css: &str) -> Vec<Vec<Vec<String>>> {
    let mut out: Vec<Vec<Vec<String>>> = css
        .lines()
        .filter_map(|line| line.split_once('{').map(|(selectors, _)| selectors))
        .filter(|selectors| selectors.trim_start().starts_with(".hl-"))
        .flat_map(|selectors| selectors.split(','))
        .map(|selector| {
            selector
                .split_whitespace()
                .map(|compound| {
                    let mut classes: Vec<String> = compound
                        .split('.')
                        .filter(|c| !c.is_empty())
                        .map(str::to_string)
                        .collect();
                    classes.sort();
                    classes
                })
                .collect()
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// syntect's spans with only the classes some selector of the stylesheet
/// can match them by; a span no selector can match is dropped, its text
/// kept. syntect writes a class for every scope a token is in (a dozen on
/// a line of Python), most of which no theme styles. Only selectors whose
/// every class occurs in the block can match in it; a span that none of
/// their parts matches can be neither styled nor the ancestor a selector
/// needs, so the page looks the same at a fraction of the bytes.
fn prune(html: &str, selectors: &[Vec<Vec<String>>]) -> String {
    const OPEN: &str = "<span class=\"";
    let present: rustc_hash::FxHashSet<&str> = html
        .split(OPEN)
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .flat_map(|classes| classes.split(' '))
        .collect();
    let compounds: Vec<&Vec<String>> = selectors
        .iter()
        .filter(|s| s.iter().flatten().all(|c| present.contains(c.as_str())))
        .flatten()
        .collect();
    let mut out = String::with_capacity(html.len() / 2);
    let mut kept = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(tail) = rest.strip_prefix("</span>") {
            if kept.pop().unwrap_or(true) {
                out.push_str("</span>");
            }
            rest = tail;
        } else if let Some((classes, tail)) =
            rest.strip_prefix(OPEN).and_then(|t| t.split_once("\">"))
        {
            let has: Vec<&str> = classes.split(' ').collect();
            let needed: Vec<&str> = has
                .iter()
                .copied()
                .filter(|c| {
                    compounds.iter().any(|compound| {
                        compound.iter().any(|x| x == c)
                            && compound.iter().all(|x| has.contains(&x.as_str()))
                    })
                })
                .collect();
            if needed.is_empty() {
                kept.push(false);
            } else {
                out.push_str(OPEN);
                out.push_str(&needed.join(" "));
                out.push_str("\">");
                kept.push(true);
            }
            rest = tail;
        } else {
            // Not a tag syntect writes: keep it as it is.
            out.push('<');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The stylesheet for highlighted code: `light` by default, the dark theme
/// under `prefers-color-scheme: dark`.
pub fn stylesheet(light: &str) -> String {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str| {
        themes
            .themes
            .get(name)
            .and_then(|t| css_for_theme_with_class_style(t, CLASS_STYLE).ok())
            .unwrap_or_default()
    };
    format!(
        // Each scheme in its own media query: the two themes' selectors have
        // different specificities, so a light rule must never apply in dark.
        "/* Code highlighting, generated by paperhub from syntect themes. */\n@media not (prefers-color-scheme: dark) {{\n{}\n}}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
        readable(&css(light), LIGHT_BACKGROUND),
        readable(&css(DARK_THEME), DARK_BACKGROUND)
    )
}

/// The code-block backgrounds of the default theme (`--card` in style.css).
const LIGHT_BACKGROUND: [u8; 3] = [0xff, 0xff, 0xff];
const DARK_BACKGROUND: [u8; 3] = [0x1c, 0x1f, 0x24];

/// Moves every text colour of a syntect stylesheet towards black (on a
/// light background) or white (on a dark one) until it reaches the WCAG AA
/// contrast of 4.5:1; many bundled themes use softer colours than that.
fn readable(css: &str, background: [u8; 3]) -> String {
    let dark_bg = luminance(background) < 0.5;
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("color: #") {
        let is_background = rest[..i].ends_with("background-");
        let start = i + "color: #".len();
        let hex: String = rest[start..]
            .chars()
            .take_while(|c| c.is_ascii_hexdigit())
            .collect();
        out.push_str(&rest[..start]);
        rest = &rest[start + hex.len()..];
        match parse_hex(&hex).filter(|_| !is_background) {
            Some(mut rgb) => {
                let target = if dark_bg { [255, 255, 255] } else { [0, 0, 0] };
                let mut steps = 0;
                while contrast(rgb, background) < 4.5 && steps < 20 {
                    for (c, t) in rgb.iter_mut().zip(target) {
                        *c = (f64::from(*c) + (f64::from(t) - f64::from(*c)) * 0.15).round() as u8;
                    }
                    steps += 1;
                }
                out.push_str(&format!("{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2]));
            }
            None => out.push_str(&hex),
        }
    }
    out.push_str(rest);
    out
}

fn parse_hex(hex: &str) -> Option<[u8; 3]> {
    let full: String = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        6 => hex.to_string(),
        8 => hex[..6].to_string(),
        _ => return None,
    };
    let byte = |i: usize| u8::from_str_radix(&full[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

fn luminance(rgb: [u8; 3]) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2])
}

fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_colour_is_readable_on_its_background() {
        let css = stylesheet("InspiredGitHub");
        let (light, dark) = css
            .split_once("@media (prefers-color-scheme: dark)")
            .unwrap();
        for (part, bg) in [(light, LIGHT_BACKGROUND), (dark, DARK_BACKGROUND)] {
            for chunk in part.split("color: #").skip(1) {
                let hex: String = chunk
                    .chars()
                    .take_while(|c| c.is_ascii_hexdigit())
                    .collect();
                if let Some(rgb) = parse_hex(&hex) {
                    // Background colours of tokens are left as they are.
                    let before = part.split(&format!("color: #{hex}")).next().unwrap();
                    if !before.ends_with("background-") {
                        assert!(contrast(rgb, bg) >= 4.5, "#{hex} on {bg:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn caches_blocks_without_mixing_languages() {
        let h = Highlighter::default();
        let a = h.block("rust", "fn main() {}\n");
        assert_eq!(a, h.block("rust", "fn main() {}\n"));
        assert_ne!(a, h.block("python", "fn main() {}\n"));
        assert_eq!(h.cache.lock().unwrap().len(), 2);
    }

    #[test]
    fn highlights_known_languages_and_escapes_unknown_ones() {
        let h = Highlighter::default();
        let rust = h.block("rust", "fn main() {}\n");
        assert!(rust.contains("<span class=\"hl-"), "{rust}");
        assert!(rust.contains("data-lang=\"rust\""), "{rust}");
        let plain = h.block("nolang", "<b>\n");
        assert!(plain.contains("&lt;b&gt;"), "{plain}");
    }

    #[test]
    fn pruned_spans_keep_styled_classes_and_all_text() {
        let styled =
            selectors(".hl-keyword {\n.hl-source.hl-python .hl-string, .hl-meta.hl-json {\n");
        assert_eq!(styled.len(), 3);
        let html = "<span class=\"hl-source hl-python\"><span class=\"hl-meta hl-keyword hl-for\">for</span> x &lt; <span class=\"hl-string\">\"a\"</span></span>\n";
        assert_eq!(
            prune(html, &styled),
            "<span class=\"hl-source hl-python\"><span class=\"hl-keyword\">for</span> x &lt; <span class=\"hl-string\">\"a\"</span></span>\n",
            "the python selector keeps its ancestor; the json one is not in play"
        );
        let h = Highlighter::default();
        let python = h.block(
            "python",
            "for step in range(10):\n    theta = update(theta)\n",
        );
        let text = |s: &str| {
            let mut out = String::new();
            let mut tag = false;
            for c in s.chars() {
                match c {
                    '<' => tag = true,
                    '>' if tag => tag = false,
                    c if !tag => out.push(c),
                    _ => {}
                }
            }
            out
        };
        let styled = selectors(&stylesheet("InspiredGitHub"));
        let full = {
            let ss = SyntaxSet::load_defaults_newlines();
            let syntax = ss.find_syntax_by_token("python").unwrap();
            let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, &ss, CLASS_STYLE);
            for line in
                LinesWithEndings::from("for step in range(10):\n    theta = update(theta)\n")
            {
                gen.parse_html_for_line_which_includes_newline(line)
                    .unwrap();
            }
            gen.finalize()
        };
        assert_eq!(text(&python), text(&full) + "\n", "the same text");
        assert!(
            python.len() * 2 < full.len(),
            "{} of {} bytes",
            python.len(),
            full.len()
        );
        assert!(python.contains("class=\"hl-keyword"), "{python}");
        for class in python
            .split("class=\"")
            .skip(2)
            .flat_map(|c| c.split('"').next().unwrap().split(' '))
        {
            assert!(
                styled.iter().flatten().flatten().any(|x| x == class),
                "{class} has no rule"
            );
        }
    }

    #[test]
    fn stylesheet_has_light_and_dark_rules() {
        let css = stylesheet("InspiredGitHub");
        assert!(css.contains(".hl-"), "no classes");
        assert!(css.contains("prefers-color-scheme: dark"));
    }
}

//! Inline SVG charts for hub pages: stacked bars for the role and polarity
//! summaries, a bar chart of citations per year. Each chart carries its own
//! text equivalent (`role="img"` with a label); the page also shows the
//! numbers as text. No JavaScript, no external files.

use std::fmt::Write;

/// One segment of a stacked bar.
pub struct Segment<'a> {
    pub label: &'a str,
    pub count: usize,
    /// CSS class giving the segment its colour.
    pub class: String,
}

/// A horizontal bar split into segments proportional to their counts.
/// `label` is the chart's accessible name, e.g. "Citation roles".
pub fn stacked_bar(label: &str, segments: &[Segment]) -> String {
    let total: usize = segments.iter().map(|s| s.count).sum();
    let text = describe(segments, total);
    let mut svg = format!(
        "<svg class=\"bar\" viewBox=\"0 0 1000 24\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"{}: {}\">",
        crate::html::escape(label),
        crate::html::escape(&text)
    );
    if total == 0 {
        svg.push_str("<rect class=\"seg-empty\" x=\"0\" y=\"0\" width=\"1000\" height=\"24\"/>");
    }
    // Integer widths that always sum to 1000, so the bar never shows a gap.
    let mut x = 0usize;
    let mut acc = 0usize;
    for s in segments.iter().filter(|s| s.count > 0) {
        acc += s.count;
        let end = acc * 1000 / total.max(1);
        let _ = write!(
            svg,
            "<rect class=\"{}\" x=\"{x}\" y=\"0\" width=\"{}\" height=\"24\"><title>{}: {}</title></rect>",
            s.class,
            end - x,
            crate::html::escape(s.label),
            s.count
        );
        x = end;
    }
    svg.push_str("</svg>");
    svg
}

/// "3 background, 19 unclassified" (or "none" when empty).
pub fn describe(segments: &[Segment], total: usize) -> String {
    if total == 0 {
        return "none".to_string();
    }
    segments
        .iter()
        .filter(|s| s.count > 0)
        .map(|s| format!("{} {}", s.count, s.label))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The longest span of years drawn with empty columns for missing years.
const MAX_SPAN: i32 = 80;

/// A column chart of citations per year, every year from the first to the
/// last shown (years without citations as empty columns).
pub fn per_year(per_year: &[(i32, usize)]) -> String {
    let (Some(&(first, _)), Some(&(last, _))) = (per_year.first(), per_year.last()) else {
        return String::new();
    };
    // Gaps are filled while the span is short; a span of centuries shows
    // only the years that have citations, so the chart stays bounded.
    let years: Vec<(i32, usize)> = if last - first < MAX_SPAN {
        (first..=last)
            .map(|y| {
                (
                    y,
                    per_year
                        .iter()
                        .find(|(py, _)| *py == y)
                        .map_or(0, |(_, c)| *c),
                )
            })
            .collect()
    } else {
        per_year.to_vec()
    };
    let max = years.iter().map(|(_, c)| *c).max().unwrap_or(1).max(1);
    let (col, gap, plot, top, bottom) = (36usize, 8usize, 100usize, 16usize, 18usize);
    // A few years still get a chart of sensible proportions, bars at the left.
    let width = years.len().max(10) * (col + gap) + gap;
    let height = top + plot + bottom;
    let label = years
        .iter()
        .filter(|(_, c)| *c > 0)
        .map(|(y, c)| format!("{y}: {c}"))
        .collect::<Vec<_>>()
        .join(", ");
    // Label every year while they fit, else every k-th so labels never overlap.
    let step = years.len().div_ceil(16).max(1);
    let mut svg = format!(
        "<svg class=\"years\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"Citations per year: {}\">",
        crate::html::escape(&label)
    );
    let _ = write!(
        svg,
        "<line class=\"axis\" x1=\"0\" y1=\"{}\" x2=\"{width}\" y2=\"{}\"/>",
        top + plot,
        top + plot
    );
    for (i, (year, count)) in years.iter().enumerate() {
        let x = gap + i * (col + gap);
        let h = if *count == 0 {
            0
        } else {
            (count * plot / max).max(2)
        };
        let y = top + plot - h;
        let _ = write!(
            svg,
            "<g><title>{year}: {count} citing</title><rect class=\"col\" x=\"{x}\" y=\"{y}\" width=\"{col}\" height=\"{h}\"/>"
        );
        if *count > 0 {
            let _ = write!(
                svg,
                "<text class=\"count\" x=\"{}\" y=\"{}\">{count}</text>",
                x + col / 2,
                y - 4
            );
        }
        if i % step == 0 || i + 1 == years.len() {
            let _ = write!(
                svg,
                "<text class=\"label\" x=\"{}\" y=\"{}\">{year}</text>",
                x + col / 2,
                height - 4
            );
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(label: &str, count: usize) -> Segment<'_> {
        Segment {
            label,
            count,
            class: "seg-0".into(),
        }
    }

    #[test]
    fn stacked_bar_fills_the_width_and_describes_itself() {
        let svg = stacked_bar(
            "Citation roles",
            &[
                seg("background", 1),
                seg("method", 2),
                seg("unclassified", 0),
            ],
        );
        assert!(
            svg.contains("aria-label=\"Citation roles: 1 background, 2 method\""),
            "{svg}"
        );
        assert!(svg.contains("x=\"0\" y=\"0\" width=\"333\""), "{svg}");
        assert!(svg.contains("x=\"333\" y=\"0\" width=\"667\""), "{svg}");
        assert!(!svg.contains("unclassified"));
        assert!(stacked_bar("x", &[]).contains("seg-empty"));
    }

    #[test]
    fn year_chart_fills_gaps_and_labels_counts() {
        let svg = per_year(&[(2020, 2), (2023, 5)]);
        assert_eq!(svg.matches("<rect").count(), 4, "{svg}");
        assert!(svg.contains("aria-label=\"Citations per year: 2020: 2, 2023: 5\""));
        assert!(svg.contains(">2021</text>"));
        assert_eq!(per_year(&[]), "");
        let wide = per_year(&[(1000, 1), (9999, 1)]);
        assert_eq!(
            wide.matches("<rect").count(),
            2,
            "a wide span draws only its years"
        );
    }
}

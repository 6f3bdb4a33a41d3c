//! Charts drawn on the server with plotters into SVG, so the browser bundle carries no
//! charting code. Colours are drawn as placeholder values and then replaced by CSS custom
//! properties, so one SVG follows the light or dark theme the page is in.

pub mod lttb;
mod trend;

pub use trend::{sparkline, Annotations, Band, TargetStep, TrendChart};

use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::Ranged;
use plotters::prelude::{DrawingBackend, IntoFont, TRANSPARENT};
use plotters::style::{Color, RGBColor};
use crate::platform::time::DAY;

/// Placeholder colours, each mapped to a theme variable after drawing.
pub mod ink {
    use super::RGBColor;
    pub const LINE: RGBColor = RGBColor(1, 2, 3);
    pub const TARGET: RGBColor = RGBColor(1, 2, 4);
    pub const AMBER: RGBColor = RGBColor(1, 2, 5);
    pub const RED: RGBColor = RGBColor(1, 2, 6);
    pub const GRID: RGBColor = RGBColor(1, 2, 7);
    pub const TEXT: RGBColor = RGBColor(1, 2, 8);
    pub const DEPLOY: RGBColor = RGBColor(1, 2, 9);
    pub const INCIDENT: RGBColor = RGBColor(1, 2, 10);
    pub const NOTE: RGBColor = RGBColor(1, 2, 11);
    pub const AXIS: RGBColor = RGBColor(1, 2, 12);
    pub const SERIES2: RGBColor = RGBColor(1, 2, 13);
    pub const SERIES3: RGBColor = RGBColor(1, 2, 14);
    pub const GREEN: RGBColor = RGBColor(1, 2, 15);
    /// Dashed variants: plotters draws every dash as its own element, so lines are drawn solid
    /// in these colours and given a `stroke-dasharray` afterwards.
    pub const TARGET_DASHED: RGBColor = RGBColor(1, 3, 4);
    pub const AMBER_DASHED: RGBColor = RGBColor(1, 3, 5);
    pub const RED_DASHED: RGBColor = RGBColor(1, 3, 6);

    pub const THEME: &[(RGBColor, &str)] = &[
        (TARGET_DASHED, "var(--chart-target)\" stroke-dasharray=\"8 4"),
        (AMBER_DASHED, "var(--status-amber)\" stroke-dasharray=\"4 4"),
        (RED_DASHED, "var(--status-red)\" stroke-dasharray=\"4 4"),
        (LINE, "var(--chart-line)"),
        (TARGET, "var(--chart-target)"),
        (AMBER, "var(--status-amber)"),
        (RED, "var(--status-red)"),
        (GRID, "var(--chart-grid)"),
        (TEXT, "var(--chart-text)"),
        (DEPLOY, "var(--chart-deploy)"),
        (INCIDENT, "var(--chart-incident)"),
        (NOTE, "var(--chart-note)"),
        (AXIS, "var(--chart-axis)"),
        (SERIES2, "var(--chart-line-2)"),
        (SERIES3, "var(--chart-line-3)"),
        (GREEN, "var(--status-green)"),
    ];
}

/// The theme's grid, axes and labels, the same on every chart; callers add their own ticks.
pub fn themed<'m, 'a, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>) -> &'m mut MeshStyle<'a, 'b, X, Y, DB> {
    mesh.light_line_style(TRANSPARENT)
        .bold_line_style(ink::GRID.stroke_width(1))
        .axis_style(ink::AXIS.stroke_width(1))
        // plotters shrinks font sizes by 1.24; 15 renders at about 12 px.
        .label_style(("sans-serif", 15).into_font().color(&ink::TEXT))
}

/// Turns plotters' SVG into an accessible, theme-aware, responsive image: placeholder colours
/// become CSS variables, and the root gets `role="img"`, a `<title>` and a `<desc>`.
/// `extra` is SVG drawn by hand, added last (on top).
pub fn finish_svg(raw: &str, id: &str, title: &str, desc: &str, class: &str, extra: &str) -> String {
    // Opacity 1 is the default; dropping it trims a tenth of the size.
    let mut svg = raw.replace(" opacity=\"1\"", "");
    for (color, var) in ink::THEME {
        let hex = format!("#{:02X}{:02X}{:02X}", color.0, color.1, color.2);
        svg = svg.replace(&hex, var);
    }
    if !extra.is_empty() {
        if let Some(end) = svg.rfind("</svg>") {
            svg.insert_str(end, extra);
        }
    }
    let Some(open_end) = svg.find('>') else { return svg };
    let open = &svg[..open_end];
    // Drawn width, for the stylesheet: on a phone a chart keeps enough of it that its text stays
    // readable (11 px or more) and scrolls sideways instead of shrinking.
    let drawn = attr(open, "width").unwrap_or_default();
    // Sizing comes from CSS; the viewBox keeps the proportions.
    let open = strip_attr(&strip_attr(open, "width"), "height");
    let open = if drawn.is_empty() { open } else { format!("{open} style=\"--drawn-width: {drawn}\"") };
    let esc = crate::platform::encode::html;
    format!(
        r#"{open} class="{class}" role="img" aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="xMidYMid meet"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>{}"#,
        esc(title),
        esc(desc),
        &svg[open_end + 1..]
    )
}

fn attr<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

fn strip_attr(tag: &str, name: &str) -> String {
    let needle = format!(" {name}=\"");
    match tag.find(&needle) {
        Some(start) => {
            let value_start = start + needle.len();
            match tag[value_start..].find('"') {
                Some(len) => format!("{}{}", &tag[..start], &tag[value_start + len + 1..]),
                None => tag.to_string(),
            }
        }
        None => tag.to_string(),
    }
}

/// Formats a unix time for an axis label: "12 Mar" within a year, "Mar 2025" beyond.
pub(crate) fn date_label(ts: i64, span_secs: i64) -> String {
    let Some(dt) = chrono::DateTime::from_timestamp(ts, 0) else { return String::new() };
    if span_secs <= 3 * DAY {
        dt.format("%d %b %H:%M").to_string()
    } else if span_secs <= 400 * DAY {
        dt.format("%d %b").to_string()
    } else {
        dt.format("%b %Y").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_is_finished_with_title_desc_and_theme_colours() {
        let raw = r##"<svg width="100" height="50" viewBox="0 0 100 50" xmlns="http://www.w3.org/2000/svg"><line stroke="#010203"/></svg>"##;
        let out = finish_svg(raw, "c1", "Lead <time>", "From 3 to 4", "chart", "");
        assert!(out.starts_with(r#"<svg viewBox="0 0 100 50" xmlns="http://www.w3.org/2000/svg" style="--drawn-width: 100" class="chart" role="img" aria-labelledby="c1-title c1-desc""#), "{out}");
        assert!(out.contains(r#"<title id="c1-title">Lead &lt;time&gt;</title><desc id="c1-desc">From 3 to 4</desc>"#));
        assert!(out.contains(r#"stroke="var(--chart-line)""#));
        assert!(!out.contains("#010203"));
    }

    #[test]
    fn date_labels_fit_the_span() {
        let ts = 1_700_000_000; // 2023-11-14T22:13:20Z
        assert_eq!(date_label(ts, 86_400), "14 Nov 22:13");
        assert_eq!(date_label(ts, 30 * 86_400), "14 Nov");
        assert_eq!(date_label(ts, 800 * 86_400), "Nov 2023");
    }
}

//! A time series with its target and thresholds, annotations, and the small sparkline.

use super::{date_label, finish_svg, ink, themed};
use plotters::prelude::*;

/// A target in force from `from` (unix seconds) until the next step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TargetStep {
    pub from: i64,
    pub target: f64,
    pub amber: f64,
    pub red: f64,
}

/// A shaded span, such as an incident from its start to its end.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Band {
    pub from: i64,
    pub to: i64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Annotations {
    pub deployments: Vec<i64>,
    pub incidents: Vec<Band>,
    /// Measurements that carry a note, drawn as dots on the line.
    pub notes: Vec<(i64, f64)>,
}

pub struct TrendChart<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
    /// (unix seconds, value), sorted, already downsampled.
    pub points: &'a [(f64, f64)],
    pub from: i64,
    pub to: i64,
    pub targets: &'a [TargetStep],
    pub annotations: &'a Annotations,
    pub format_y: &'a dyn Fn(f64) -> String,
}

const WIDTH: u32 = 760;
const HEIGHT: u32 = 300;

impl TrendChart<'_> {
    pub fn render(&self) -> Result<String, String> {
        let (from, to) = (self.from as f64, (self.to.max(self.from + 1)) as f64);
        let steps = self.visible_steps();
        let (y0, y1) = self.y_range(&steps);
        let span = self.to - self.from;
        let mut raw = String::new();
        let mut extra = String::new();
        {
            let root = SVGBackend::with_string(&mut raw, (WIDTH, HEIGHT)).into_drawing_area();
            let mut chart = ChartBuilder::on(&root)
                .margin(12)
                .margin_right(24)
                .x_label_area_size(30)
                .y_label_area_size(72)
                .build_cartesian_2d(from..to, y0..y1)
                .map_err(|e| e.to_string())?;
            let format_y = self.format_y;
            themed(&mut chart.configure_mesh())
                .x_labels(6)
                .y_labels(5)
                .x_label_formatter(&|x| date_label(*x as i64, span))
                .y_label_formatter(&|y| format_y(*y))
                .draw()
                .map_err(|e| e.to_string())?;

            let clamp = |x: i64| (x as f64).clamp(from, to);
            chart
                .draw_series(self.annotations.incidents.iter().filter(|b| b.to as f64 >= from && (b.from as f64) <= to).map(|b| {
                    Rectangle::new([(clamp(b.from), y0), (clamp(b.to.max(b.from + 60)), y1)], ink::INCIDENT.mix(0.18).filled())
                }))
                .map_err(|e| e.to_string())?;

            for (i, step) in steps.iter().enumerate() {
                let start = step.from as f64;
                let end = steps.get(i + 1).map(|s| s.from as f64).unwrap_or(to);
                for (value, color, width) in [(step.red, ink::RED_DASHED, 1), (step.amber, ink::AMBER_DASHED, 1), (step.target, ink::TARGET_DASHED, 2)] {
                    chart
                        .draw_series(LineSeries::new([(start, value), (end, value)], color.stroke_width(width)))
                        .map_err(|e| e.to_string())?;
                }
            }

            chart
                .draw_series(LineSeries::new(self.points.iter().copied(), ink::LINE.stroke_width(2)))
                .map_err(|e| e.to_string())?;
            if self.points.len() == 1 {
                chart.draw_series(self.points.iter().map(|p| Circle::new(*p, 3, ink::LINE.filled()))).map_err(|e| e.to_string())?;
            }

            // All deployment ticks as one path: hundreds of separate elements would weigh more
            // than the rest of the chart together.
            let mut ticks = String::new();
            for t in self.annotations.deployments.iter().filter(|t| (**t as f64) >= from && (**t as f64) <= to) {
                let (x, y) = chart.backend_coord(&(*t as f64, y0));
                ticks.push_str(&format!("M{x} {y}v-8"));
            }
            if !ticks.is_empty() {
                extra = format!(r#"<path d="{ticks}" fill="none" stroke="var(--chart-deploy)" stroke-width="1"/>"#);
            }
            chart
                .draw_series(
                    self.annotations
                        .notes
                        .iter()
                        .filter(|(t, _)| (*t as f64) >= from && (*t as f64) <= to)
                        .map(|(t, v)| Circle::new((*t as f64, *v), 4, ink::NOTE.filled())),
                )
                .map_err(|e| e.to_string())?;
            root.present().map_err(|e| e.to_string())?;
        }
        Ok(finish_svg(&raw, self.id, self.title, self.desc, "chart trend-chart", &extra))
    }

    /// The target steps that overlap the chart, the first starting at the chart's left edge.
    fn visible_steps(&self) -> Vec<TargetStep> {
        let mut out: Vec<TargetStep> = Vec::new();
        for (i, step) in self.targets.iter().enumerate() {
            let next = self.targets.get(i + 1).map(|s| s.from).unwrap_or(i64::MAX);
            if next <= self.from || step.from >= self.to {
                continue;
            }
            out.push(TargetStep { from: step.from.max(self.from), ..*step });
        }
        out
    }

    fn y_range(&self, steps: &[TargetStep]) -> (f64, f64) {
        let values = self.points.iter().map(|p| p.1).chain(steps.iter().flat_map(|s| [s.target, s.amber, s.red]));
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
        if !lo.is_finite() {
            return (0.0, 1.0);
        }
        let pad = if hi > lo { (hi - lo) * 0.08 } else { lo.abs().max(1.0) * 0.1 };
        // Keep zero as the floor for series that never go below it.
        let floor = if lo >= 0.0 && lo - pad < 0.0 { 0.0 } else { lo - pad };
        (floor, hi + pad)
    }
}

/// A small line for a card: no axes, the latest point marked.
pub fn sparkline(id: &str, title: &str, desc: &str, points: &[(f64, f64)]) -> Result<String, String> {
    const W: u32 = 160;
    const H: u32 = 40;
    let mut raw = String::new();
    {
        let root = SVGBackend::with_string(&mut raw, (W, H)).into_drawing_area();
        if points.len() >= 2 {
            let (x0, x1) = (points[0].0, points[points.len() - 1].0);
            let (lo, hi) = points.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)));
            let pad = if hi > lo { (hi - lo) * 0.12 } else { 1.0 };
            let mut chart = ChartBuilder::on(&root)
                .margin(4)
                .build_cartesian_2d(x0..x1.max(x0 + 1.0), (lo - pad)..(hi + pad))
                .map_err(|e| e.to_string())?;
            chart.draw_series(LineSeries::new(points.iter().copied(), ink::LINE.stroke_width(2))).map_err(|e| e.to_string())?;
            let last = points[points.len() - 1];
            chart.draw_series(std::iter::once(Circle::new(last, 3, ink::LINE.filled()))).map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(finish_svg(&raw, id, title, desc, "chart sparkline", ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart_with(points: &[(f64, f64)], targets: &[TargetStep], annotations: &Annotations) -> String {
        TrendChart {
            id: "t",
            title: "Lead time",
            desc: "Daily values",
            points,
            from: 0,
            to: 100 * 86_400,
            targets,
            annotations,
            format_y: &|v| format!("{v:.0} h"),
        }
        .render()
        .unwrap()
    }

    #[test]
    fn a_trend_chart_has_its_lines_labels_and_annotations() {
        let points: Vec<_> = (0..100).map(|d| ((d * 86_400) as f64, 10.0 + (d % 7) as f64)).collect();
        let targets = [
            TargetStep { from: -86_400, target: 12.0, amber: 14.0, red: 16.0 },
            TargetStep { from: 50 * 86_400, target: 10.0, amber: 12.0, red: 14.0 },
        ];
        let notes = Annotations {
            deployments: vec![5 * 86_400, 6 * 86_400],
            incidents: vec![Band { from: 20 * 86_400, to: 21 * 86_400 }],
            notes: vec![(30 * 86_400, 12.0)],
        };
        let svg = chart_with(&points, &targets, &notes);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("<title id=\"t-title\">Lead time</title>"));
        for var in ["--chart-line", "--chart-target", "--status-amber", "--status-red", "--chart-deploy", "--chart-incident", "--chart-note", "--chart-text"] {
            assert!(svg.contains(var), "{var} missing");
        }
        assert!(svg.contains(" h\n</text>"), "y labels use the unit");
        assert!(!svg.contains("#0102"), "no placeholder colour left");
    }

    #[test]
    fn an_empty_chart_still_renders() {
        let svg = chart_with(&[], &[], &Annotations::default());
        assert!(svg.contains("<desc"));
    }

    #[test]
    fn sparklines_mark_the_latest_point() {
        let svg = sparkline("s", "Trend", "Up", &[(0.0, 1.0), (1.0, 3.0), (2.0, 2.0)]).unwrap();
        assert!(svg.contains("<circle"));
        assert!(svg.contains("class=\"chart sparkline\""));
    }
}

//! A system's quality week by week: the test pass rate, coverage and change failure rate on
//! one percentage scale, so they read against each other; escaped defects and failed changes
//! as counts beside each other.

use super::service::quality::{percent_text, share};
use super::view::QualityWeek;
use crate::charts::{finish_svg, ink, themed};
use crate::platform::error::AppError;
use crate::ui::chart::ChartData;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

const WIDTH: u32 = 760;
const HEIGHT: u32 = 260;

fn label(w: &QualityWeek) -> String {
    chrono::NaiveDate::parse_from_str(&w.starts, "%Y-%m-%d").map(|d| d.format("%d %b").to_string()).unwrap_or_default()
}

fn failed(e: String) -> AppError {
    tracing::error!(error = %e, "quality chart failed");
    AppError::Internal
}

type Frame<'a> = ChartContext<'a, SVGBackend<'a>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The weeks along the bottom (each a unit wide, labelled by its Monday) and 0 to `top` up the
/// side, with the theme's grid.
fn frame<'a>(root: &DrawingArea<SVGBackend<'a>, plotters::coord::Shift>, weeks: &[QualityWeek], top: f64, y_labels: usize, format_y: &dyn Fn(&f64) -> String) -> Result<Frame<'a>, AppError> {
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .margin_right(24)
        .x_label_area_size(30)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..weeks.len() as f64, 0.0..top)
        .map_err(|e| failed(e.to_string()))?;
    themed(&mut chart.configure_mesh())
        .x_labels(7)
        .y_labels(y_labels)
        .x_label_formatter(&|x| weeks.get(x.floor() as usize).map(label).unwrap_or_default())
        .y_label_formatter(format_y)
        .draw()
        .map_err(|e| failed(e.to_string()))?;
    Ok(chart)
}

/// Each week's pass rate, coverage and change failure rate, in hundredths of a percent.
fn rates_of(w: &QualityWeek) -> [Option<i64>; 3] {
    [share(w.tests_passed, w.tests_run), w.coverage, share(w.failed, w.deployments)]
}

/// The week's pass rate, coverage and change failure rate as lines over 0 to 100 %; `None`
/// when no week has any of them.
pub fn rates(system: i64, weeks: &[QualityWeek]) -> Result<Option<ChartData>, AppError> {
    if !weeks.iter().any(|w| rates_of(w).iter().any(Option::is_some)) {
        return Ok(None);
    }
    let mut raw = String::new();
    {
        let root = SVGBackend::with_string(&mut raw, (WIDTH, HEIGHT)).into_drawing_area();
        let mut chart = frame(&root, weeks, 100.0, 6, &|y| format!("{y:.0} %"))?;
        for (k, colour) in [ink::LINE, ink::SERIES2, ink::SERIES3].into_iter().enumerate() {
            let points: Vec<Option<(f64, f64)>> = weeks.iter().enumerate().map(|(i, w)| rates_of(w)[k].map(|v| (i as f64 + 0.5, v as f64 / 100.0))).collect();
            // A week without the figure breaks the line rather than bridging it.
            for run in points.split(Option::is_none).filter(|r| r.len() > 1) {
                chart.draw_series(LineSeries::new(run.iter().flatten().copied(), colour.stroke_width(2))).map_err(|e| failed(e.to_string()))?;
            }
            chart.draw_series(points.iter().flatten().map(|p| Circle::new(*p, 3, colour.filled()))).map_err(|e| failed(e.to_string()))?;
        }
        root.present().map_err(|e| failed(e.to_string()))?;
    }
    let latest = |k: usize| weeks.iter().rev().find_map(|w| rates_of(w)[k]).map(percent_text).unwrap_or_else(|| "none".into());
    let desc = format!(
        "Week by week over {} weeks: test pass rate (latest {}), coverage (latest {}) and change failure rate of deployments (latest {}).",
        weeks.len(),
        latest(0),
        latest(1),
        latest(2)
    );
    let text = |v: Option<i64>| v.map(percent_text).unwrap_or_else(|| "—".into());
    let rows = weeks.iter().rev().map(|w| {
        let [pass, coverage, cfr] = rates_of(w);
        vec![w.starts.clone(), text(pass), text(coverage), text(cfr), w.deployments.to_string()]
    });
    Ok(Some(ChartData {
        svg: finish_svg(&raw, &format!("quality-rates-{system}"), "Test pass rate, coverage and change failure rate per week", &desc, "chart quality-chart", ""),
        caption: desc,
        columns: ["Week of", "Test pass rate", "Coverage", "Change failure rate", "Deployments"].map(String::from).to_vec(),
        rows: rows.collect(),
    }))
}

/// Escaped defects and failed changes per week, side by side; `None` when there were none.
pub fn defects(system: i64, weeks: &[QualityWeek]) -> Result<Option<ChartData>, AppError> {
    let top = weeks.iter().map(|w| w.escaped.max(w.failed)).max().unwrap_or(0);
    if top == 0 {
        return Ok(None);
    }
    let mut raw = String::new();
    {
        let root = SVGBackend::with_string(&mut raw, (WIDTH, HEIGHT)).into_drawing_area();
        // Counts: only whole numbers are labelled.
        let whole = |y: &f64| if (y - y.round()).abs() < 0.01 { format!("{y:.0}") } else { String::new() };
        let mut chart = frame(&root, weeks, (top as f64 * 1.1).max(1.0), (top as usize + 1).min(6), &whole)?;
        let bars = |pick: fn(&QualityWeek) -> i64, offset: f64, colour: RGBColor| {
            weeks.iter().enumerate().filter(move |(_, w)| pick(w) > 0).map(move |(i, w)| {
                let x = i as f64 + offset;
                Rectangle::new([(x, 0.0), (x + 0.38, pick(w) as f64)], colour.filled())
            })
        };
        chart.draw_series(bars(|w| w.escaped, 0.1, ink::LINE)).map_err(|e| failed(e.to_string()))?;
        chart.draw_series(bars(|w| w.failed, 0.52, ink::SERIES3)).map_err(|e| failed(e.to_string()))?;
        root.present().map_err(|e| failed(e.to_string()))?;
    }
    let (escaped, failed_changes): (i64, i64) = weeks.iter().fold((0, 0), |(e, f), w| (e + w.escaped, f + w.failed));
    let plural = |n: i64, one, many| crate::ui::plural(n.max(0) as u64, one, many);
    let desc = format!("Over {} weeks: {} and {}; the most in one week {top}.", weeks.len(), plural(escaped, "escaped defect", "escaped defects"), plural(failed_changes, "failed change", "failed changes"));
    Ok(Some(ChartData {
        svg: finish_svg(&raw, &format!("quality-defects-{system}"), "Escaped defects and failed changes per week", &desc, "chart quality-chart", ""),
        caption: desc,
        columns: ["Week of", "Escaped defects", "Failed changes"].map(String::from).to_vec(),
        rows: weeks.iter().rev().map(|w| vec![w.starts.clone(), w.escaped.to_string(), w.failed.to_string()]).collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week(i: usize) -> QualityWeek {
        QualityWeek { starts: format!("2026-06-{:02}", 1 + i), ..Default::default() }
    }

    #[test]
    fn nothing_to_draw_draws_nothing() {
        let weeks: Vec<QualityWeek> = (0..4).map(week).collect();
        assert_eq!(rates(1, &weeks).unwrap(), None);
        assert_eq!(defects(1, &weeks).unwrap(), None);
    }

    #[test]
    fn each_week_reads_in_the_table_newest_first() {
        let mut weeks: Vec<QualityWeek> = (0..3).map(week).collect();
        weeks[0] = QualityWeek { tests_run: 200, tests_passed: 199, coverage: Some(8125), deployments: 4, failed: 1, escaped: 2, ..weeks[0].clone() };
        weeks[2].coverage = Some(8200);
        let chart = rates(7, &weeks).unwrap().unwrap();
        assert_eq!(chart.rows[2], ["2026-06-01", "99.5 %", "81.25 %", "25 %", "4"]);
        assert_eq!(chart.rows[1], ["2026-06-02", "—", "—", "—", "0"]);
        assert!(chart.svg.contains("role=\"img\"") && chart.svg.contains("quality-rates-7-title"));
        assert!(chart.caption.contains("coverage (latest 82 %)"), "{}", chart.caption);
        let bars = defects(7, &weeks).unwrap().unwrap();
        assert_eq!(bars.rows[2], ["2026-06-01", "2", "1"]);
        assert!(bars.caption.contains("2 escaped defects and 1 failed change"), "{}", bars.caption);
    }
}

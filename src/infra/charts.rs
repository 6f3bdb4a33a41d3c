//! Uptime per day against the SLO. (Response time over time is a `TrendChart` with downtime
//! as its bands; the board's 90-day bar is drawn by its component from `infra::bar`.)

use super::uptime::{DayMark, Uptime};
use crate::charts::{finish_svg, ink, themed};
use plotters::prelude::*;

/// One day of a bar: its start (UTC midnight), figures and mark.
pub type Day = (i64, Uptime, DayMark);

fn day_text(day: i64) -> String {
    chrono::DateTime::from_timestamp(day, 0).map(|d| d.format("%d %b").to_string()).unwrap_or_default()
}

/// Uptime per day as bars against the SLO line.
pub fn uptime_per_day(id: &str, days: &[Day], slo: f64, title: &str, desc: &str) -> Result<String, String> {
    let ratios: Vec<f64> = days.iter().filter_map(|(_, u, _)| u.ratio().map(|r| r * 100.0)).collect();
    let low = ratios.iter().copied().fold(slo, f64::min);
    // Room below the lowest bar and the SLO line, so a 99.9 % line is not drawn on the axis.
    let floor = (low - (100.0 - low).max(0.05) * 0.5).max(0.0);
    let n = days.len().max(1) as f64;
    let mut raw = String::new();
    {
        let root = SVGBackend::with_string(&mut raw, (760, 240)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .margin_right(24)
            .x_label_area_size(30)
            .y_label_area_size(72)
            .build_cartesian_2d(0.0..n, floor..100.0)
            .map_err(|e| e.to_string())?;
        themed(&mut chart.configure_mesh())
            .x_labels(6)
            .y_labels(5)
            .x_label_formatter(&|x| days.get(*x as usize).map(|d| day_text(d.0)).unwrap_or_default())
            .y_label_formatter(&|y| format!("{y:.2} %"))
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(days.iter().enumerate().filter_map(|(i, (_, u, mark))| {
                let v = u.ratio()? * 100.0;
                let color = match mark {
                    DayMark::Major => ink::RED,
                    DayMark::Minor => ink::AMBER,
                    _ => ink::GREEN,
                };
                Some(Rectangle::new([(i as f64 + 0.1, floor), (i as f64 + 0.9, v.max(floor))], color.filled()))
            }))
            .map_err(|e| e.to_string())?;
        chart.draw_series(LineSeries::new([(0.0, slo), (n, slo)], ink::TARGET_DASHED.stroke_width(2))).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(finish_svg(&raw, id, title, desc, "chart uptime-chart", ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uptime_chart_is_accessible() {
        let days: Vec<Day> = (0..30).map(|d| (d * 86_400, Uptime { period: 86_400, downtime: d * 10, ..Default::default() }, DayMark::Minor)).collect();
        let svg = uptime_per_day("u", &days, 99.9, "Uptime per day", "Thirty days").unwrap();
        assert!(svg.contains("<title") && svg.contains("var(--chart-target)"));
    }
}

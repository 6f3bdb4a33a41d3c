//! Budget charts: the cumulative burn-up with both forecasts, monthly spending stacked by
//! category against the budget, and a plan-against-actual comparison of departments.

use super::{finish_svg, ink, themed};
use plotters::prelude::*;
use plotters::style::RGBColor;

const WIDTH: u32 = 640;
const HEIGHT: u32 = 320;

/// Colours for stacked categories, each a theme variable (see `ink::THEME`).
pub const STACK: [RGBColor; 6] = [ink::LINE, ink::SERIES2, ink::SERIES3, ink::NOTE, ink::DEPLOY, ink::AXIS];

pub struct BurnUp<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
    /// Month labels, fiscal order.
    pub months: &'a [String],
    /// Cumulative plan at the end of each month.
    pub plan: &'a [f64; 12],
    /// Cumulative actual at the end of each month begun (the last one: up to today).
    pub actual: &'a [f64],
    /// Where today falls, in months from the start of the year (2.5: the middle of month 3).
    pub today: f64,
    pub forecast_run_rate: f64,
    pub forecast_plan: f64,
    pub format_y: &'a dyn Fn(f64) -> String,
}

fn y_max(values: impl Iterator<Item = f64>) -> f64 {
    let hi = values.fold(0.0_f64, f64::max);
    if hi <= 0.0 { 1.0 } else { hi * 1.08 }
}

impl BurnUp<'_> {
    pub fn render(&self) -> Result<String, String> {
        let top = y_max(self.plan.iter().copied().chain(self.actual.iter().copied()).chain([self.forecast_plan, self.forecast_run_rate]));
        let mut raw = String::new();
        {
            let root = SVGBackend::with_string(&mut raw, (WIDTH, HEIGHT)).into_drawing_area();
            let mut chart = ChartBuilder::on(&root)
                .margin(12)
                .margin_right(24)
                .x_label_area_size(30)
                .y_label_area_size(84)
                .build_cartesian_2d(0.0..12.0, 0.0..top)
                .map_err(|e| e.to_string())?;
            let months = self.months;
            themed(&mut chart.configure_mesh())
                .x_labels(13)
                .y_labels(5)
                .x_label_formatter(&|x: &f64| months.get(x.round() as usize).filter(|_| (x - x.round()).abs() < 0.01).cloned().unwrap_or_default())
                .y_label_formatter(&|y| (self.format_y)(*y))
                .draw()
                .map_err(|e| e.to_string())?;
            // Month labels sit at each month's start; the lines run through each month's end.
            let plan = std::iter::once((0.0, 0.0)).chain(self.plan.iter().enumerate().map(|(i, v)| ((i + 1) as f64, *v)));
            chart.draw_series(LineSeries::new(plan, ink::TARGET_DASHED.stroke_width(2))).map_err(|e| e.to_string())?;
            if !self.actual.is_empty() {
                let n = self.actual.len();
                let actual: Vec<(f64, f64)> = std::iter::once((0.0, 0.0))
                    .chain(self.actual.iter().enumerate().map(|(i, v)| (if i + 1 == n { self.today } else { (i + 1) as f64 }, *v)))
                    .collect();
                let last = actual[actual.len() - 1];
                chart.draw_series(LineSeries::new(actual, ink::LINE.stroke_width(3))).map_err(|e| e.to_string())?;
                if self.today < 12.0 {
                    for (end, color) in [(self.forecast_run_rate, ink::RED_DASHED), (self.forecast_plan, ink::AMBER_DASHED)] {
                        chart.draw_series(LineSeries::new([last, (12.0, end)], color.stroke_width(2))).map_err(|e| e.to_string())?;
                    }
                }
                chart.draw_series(std::iter::once(Circle::new(last, 4, ink::LINE.filled()))).map_err(|e| e.to_string())?;
            }
            root.present().map_err(|e| e.to_string())?;
        }
        Ok(finish_svg(&raw, self.id, self.title, self.desc, "chart budget-chart", ""))
    }
}

/// Monthly spending stacked by category, with the month's budget as a line.
pub struct MonthlyStack<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
    pub months: &'a [String],
    /// (category, spending per month); at most `STACK.len()` series (group the rest first).
    pub series: &'a [(String, [f64; 12])],
    pub budget: &'a [f64; 12],
    pub format_y: &'a dyn Fn(f64) -> String,
}

impl MonthlyStack<'_> {
    pub fn render(&self) -> Result<String, String> {
        let stacked: Vec<f64> = (0..12).map(|i| self.series.iter().map(|s| s.1[i]).sum()).collect();
        let top = y_max(stacked.iter().copied().chain(self.budget.iter().copied()));
        let mut raw = String::new();
        {
            let root = SVGBackend::with_string(&mut raw, (WIDTH, HEIGHT)).into_drawing_area();
            let mut chart = ChartBuilder::on(&root)
                .margin(12)
                .margin_right(24)
                .x_label_area_size(30)
                .y_label_area_size(84)
                .build_cartesian_2d(0.0..12.0, 0.0..top)
                .map_err(|e| e.to_string())?;
            let months = self.months;
            themed(&mut chart.configure_mesh())
                .disable_x_mesh()
                .x_labels(12)
                .y_labels(5)
                .x_label_formatter(&|x: &f64| months.get(x.floor() as usize).cloned().unwrap_or_default())
                .y_label_formatter(&|y| (self.format_y)(*y))
                .draw()
                .map_err(|e| e.to_string())?;
            let mut base = [0.0f64; 12];
            for (n, (_, values)) in self.series.iter().enumerate() {
                let color = STACK[n % STACK.len()];
                chart
                    .draw_series((0..12).filter(|i| values[*i] > 0.0).map(|i| {
                        let x = i as f64;
                        Rectangle::new([(x + 0.18, base[i]), (x + 0.82, base[i] + values[i])], color.filled())
                    }))
                    .map_err(|e| e.to_string())?;
                for i in 0..12 {
                    base[i] += values[i];
                }
            }
            // The budget as a step: flat across each month's column.
            let steps: Vec<(f64, f64)> = (0..12).flat_map(|i| [(i as f64 + 0.05, self.budget[i]), (i as f64 + 0.95, self.budget[i])]).collect();
            for pair in steps.chunks(2) {
                chart.draw_series(LineSeries::new(pair.iter().copied(), ink::TARGET.stroke_width(2))).map_err(|e| e.to_string())?;
            }
            root.present().map_err(|e| e.to_string())?;
        }
        Ok(finish_svg(&raw, self.id, self.title, self.desc, "chart budget-chart", ""))
    }
}

/// Pairs of horizontal bars: plan and actual to date for each row.
pub struct Comparison<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
    /// (label, plan to date, actual to date, over the red threshold).
    pub rows: &'a [(String, f64, f64, bool)],
    pub format_x: &'a dyn Fn(f64) -> String,
}

impl Comparison<'_> {
    pub fn render(&self) -> Result<String, String> {
        let n = self.rows.len().max(1);
        let height = (60 + n as u32 * 44).min(900);
        let top = y_max(self.rows.iter().flat_map(|r| [r.1, r.2]));
        let mut raw = String::new();
        {
            let root = SVGBackend::with_string(&mut raw, (WIDTH, height)).into_drawing_area();
            let mut chart = ChartBuilder::on(&root)
                .margin(12)
                .margin_right(28)
                .x_label_area_size(30)
                .y_label_area_size(150)
                .build_cartesian_2d(0.0..top, 0.0..n as f64)
                .map_err(|e| e.to_string())?;
            let rows = self.rows;
            themed(&mut chart.configure_mesh())
                .disable_y_mesh()
                .y_labels(n * 2 + 1)
                .x_labels(5)
                // Row i occupies [n-1-i, n-i); its label sits at the middle.
                .y_label_formatter(&|y| {
                    let slot = n as f64 - y - 0.5;
                    if (slot - slot.round()).abs() < 0.01 { rows.get(slot.round() as usize).map(|r| r.0.clone()).unwrap_or_default() } else { String::new() }
                })
                .x_label_formatter(&|x| (self.format_x)(*x))
                .draw()
                .map_err(|e| e.to_string())?;
            for (i, (_, plan, actual, red)) in rows.iter().enumerate() {
                let y = (n - 1 - i) as f64;
                let actual_color = if *red { ink::RED } else { ink::LINE };
                chart
                    .draw_series([
                        Rectangle::new([(0.0, y + 0.52), (*plan, y + 0.86)], ink::TARGET.mix(0.45).filled()),
                        Rectangle::new([(0.0, y + 0.14), (*actual, y + 0.48)], actual_color.filled()),
                    ])
                    .map_err(|e| e.to_string())?;
            }
            root.present().map_err(|e| e.to_string())?;
        }
        Ok(finish_svg(&raw, self.id, self.title, self.desc, "chart budget-chart", ""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months() -> Vec<String> {
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map(String::from).to_vec()
    }

    #[test]
    fn burn_up_draws_plan_actual_and_forecasts() {
        let plan: [f64; 12] = std::array::from_fn(|i| (i + 1) as f64 * 100.0);
        let svg = BurnUp {
            id: "b",
            title: "Burn-up",
            desc: "Spending against plan",
            months: &months(),
            plan: &plan,
            actual: &[90.0, 210.0, 260.0],
            today: 2.5,
            forecast_run_rate: 1248.0,
            forecast_plan: 1160.0,
            format_y: &|v| format!("${v:.0}"),
        }
        .render()
        .unwrap();
        for needle in ["<title id=\"b-title\">Burn-up</title>", "--chart-target", "--chart-line", "--status-red", "--status-amber", "Mar"] {
            assert!(svg.contains(needle), "{needle} missing");
        }
    }

    #[test]
    fn stacks_and_comparisons_render() {
        let series = vec![("Cloud".to_string(), [10.0; 12]), ("Staff".to_string(), [20.0; 12])];
        let svg = MonthlyStack { id: "m", title: "Monthly", desc: "d", months: &months(), series: &series, budget: &[25.0; 12], format_y: &|v| format!("{v}") }
            .render()
            .unwrap();
        assert!(svg.contains("--chart-line-2") && svg.matches("<rect").count() >= 24);
        let rows = vec![("Engineering".to_string(), 100.0, 120.0, true), ("Operations".to_string(), 80.0, 40.0, false)];
        let svg = Comparison { id: "c", title: "Departments", desc: "d", rows: &rows, format_x: &|v| format!("{v}") }.render().unwrap();
        assert!(svg.contains("Engineering") && svg.contains("Operations") && svg.contains("--status-red"));
    }
}

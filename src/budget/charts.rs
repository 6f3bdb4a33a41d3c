//! The three budget charts of the overview, each with the table that says the same in words:
//! the cumulative burn-up with both forecasts, monthly spending stacked by category against the
//! budget, and a plan-against-actual comparison of departments.

use super::analysis::{Cell, Year};
use super::model::{variance, Thresholds, VarianceStatus};
use crate::ui::chart::ChartData;
use crate::charts::{finish_svg, ink, themed};
use plotters::prelude::*;
use plotters::style::RGBColor;
use crate::platform::error::AppError;
use crate::platform::money::Currency;
use chrono::Datelike;

fn failed(e: String) -> AppError {
    tracing::error!(error = %e, "budget chart failed");
    AppError::Internal
}

fn cumulative(values: &[i64]) -> Vec<i64> {
    values.iter().scan(0i64, |acc, v| {
        *acc = acc.saturating_add(*v);
        Some(*acc)
    }).collect()
}

pub fn overview_charts(y: &Year, total: &Cell, company: bool, t: Thresholds, cur: Currency) -> Result<(ChartData, ChartData, ChartData), AppError> {
    Ok((burn_up(y, total, cur)?, monthly(y, total, cur)?, comparison(y, company, t, cur)?))
}

fn burn_up(y: &Year, total: &Cell, cur: Currency) -> Result<ChartData, AppError> {
    let months = y.cal.months(y.fy);
    let labels: Vec<String> = months.iter().map(|m| m.short()).collect();
    let plan = cumulative(&total.plan);
    let begun = y.elapsed.months_begun;
    let actual = cumulative(&total.actual[..begun]);
    let f = super::model::forecast(crate::platform::money::sum(total.actual.iter().copied()), plan[11], y.plan_to_date(&total.plan), y.elapsed);
    let today = if begun == 0 {
        0.0
    } else if y.elapsed.days == y.elapsed.total_days {
        12.0
    } else {
        let m = months[begun - 1];
        (begun - 1) as f64 + y.today.day() as f64 / m.days() as f64
    };
    let plan_f: [f64; 12] = std::array::from_fn(|i| plan[i] as f64);
    let actual_f: Vec<f64> = actual.iter().map(|v| *v as f64).collect();
    let spent = actual.last().copied().unwrap_or(0);
    let desc = format!(
        "Cumulative spending {} against a year's budget of {}; at this pace the year ends at {}, or at {} if the rest of the year goes to plan.",
        cur.format(spent),
        cur.format(plan[11]),
        cur.format(f.run_rate),
        cur.format(f.actual_plus_plan)
    );
    let svg = BurnUp {
        id: "burn-up",
        title: &format!("Burn-up, FY{}", y.fy),
        desc: &desc,
        months: &labels,
        plan: &plan_f,
        actual: &actual_f,
        today,
        forecast_run_rate: f.run_rate as f64,
        forecast_plan: f.actual_plus_plan as f64,
        format_y: &|v| cur.format_short(v.round() as i64),
    }
    .render()
    .map_err(failed)?;
    let rows = months
        .iter()
        .enumerate()
        .map(|(i, m)| vec![m.label(), cur.format(plan[i]), actual.get(i).map(|v| cur.format(*v)).unwrap_or_else(|| "—".into())])
        .collect();
    Ok(ChartData {
        svg,
        caption: desc,
        columns: vec!["Month".into(), "Budget, cumulative".into(), "Actual, cumulative".into()],
        rows,
    })
}

fn monthly(y: &Year, total: &Cell, cur: Currency) -> Result<ChartData, AppError> {
    let months = y.cal.months(y.fy);
    let labels: Vec<String> = months.iter().map(|m| m.short()).collect();
    // The biggest categories by spend get their own colour; the rest share "Other categories".
    let mut cats: Vec<(String, Cell)> = y.by_category().into_iter().filter(|(_, c)| c.actual.iter().any(|v| *v != 0)).collect();
    cats.sort_by_key(|(_, c)| std::cmp::Reverse(crate::platform::money::sum(c.actual.iter().copied())));
    let keep = STACK.len() - 1;
    let mut series: Vec<(String, [f64; 12])> = Vec::new();
    let mut rest = [0f64; 12];
    for (i, (name, c)) in cats.iter().enumerate() {
        let values: [f64; 12] = std::array::from_fn(|m| c.actual[m] as f64);
        if i < keep || cats.len() == keep + 1 {
            series.push((name.clone(), values));
        } else {
            for m in 0..12 {
                rest[m] += values[m];
            }
        }
    }
    if rest.iter().any(|v| *v != 0.0) {
        series.push(("Other categories".into(), rest));
    }
    let budget: [f64; 12] = std::array::from_fn(|i| total.plan[i] as f64);
    let over: Vec<String> = (0..y.elapsed.months_begun).filter(|i| total.actual[*i] > total.plan[*i]).map(|i| months[i].short()).collect();
    let desc = format!(
        "Spending per month, stacked by category ({}), against the month's budget. {}",
        series.iter().map(|s| s.0.as_str()).collect::<Vec<_>>().join(", "),
        if over.is_empty() { "No month is over its budget.".to_string() } else { format!("Over budget in {}.", over.join(", ")) }
    );
    let svg = MonthlyStack { id: "monthly", title: &format!("Monthly actual against budget, FY{}", y.fy), desc: &desc, months: &labels, series: &series, budget: &budget, format_y: &|v| cur.format_short(v.round() as i64) }
        .render()
        .map_err(failed)?;
    let mut columns = vec!["Month".to_string()];
    columns.extend(series.iter().map(|s| s.0.clone()));
    columns.push("Budget".into());
    let rows = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let mut row = vec![m.label()];
            row.extend(series.iter().map(|s| cur.format(s.1[i] as i64)));
            row.push(cur.format(total.plan[i]));
            row
        })
        .collect();
    Ok(ChartData { svg, caption: desc, columns, rows })
}

/// Departments side by side when the whole company is shown; a department's categories otherwise.
fn comparison(y: &Year, company: bool, t: Thresholds, cur: Currency) -> Result<ChartData, AppError> {
    let groups = if company { y.by_department() } else { y.by_category() };
    let what = if company { "Department" } else { "Category" };
    let figures: Vec<(String, i64, i64, VarianceStatus)> = groups
        .iter()
        .map(|(name, c)| {
            let plan = y.plan_to_date(&c.plan);
            let actual: i64 = crate::platform::money::sum(c.actual.iter().copied());
            (name.clone(), plan, actual, variance(plan, actual, t).status)
        })
        .collect();
    let rows: Vec<(String, f64, f64, bool)> = figures.iter().map(|(n, p, a, s)| (n.clone(), *p as f64, *a as f64, *s == VarianceStatus::Red)).collect();
    let over: Vec<&str> = figures.iter().filter(|f| f.3 == VarianceStatus::Red).map(|f| f.0.as_str()).collect();
    let desc = format!(
        "Budget to date (upper, lighter bar) and actual to date (lower bar) per {}. {}",
        what.to_lowercase(),
        if over.is_empty() { "None is over its red threshold.".to_string() } else { format!("Over the red threshold: {}.", over.join(", ")) }
    );
    let title = if company { "Departments: budget against actual to date" } else { "Categories: budget against actual to date" };
    let svg = Comparison { id: "comparison", title, desc: &desc, rows: &rows, format_x: &|v| cur.format_short(v.round() as i64) }.render().map_err(failed)?;
    Ok(ChartData {
        svg,
        caption: desc,
        columns: vec![what.into(), "Budget to date".into(), "Actual to date".into(), "Status".into()],
        rows: figures.iter().map(|(n, p, a, s)| vec![n.clone(), cur.format(*p), cur.format(*a), s.label().to_string()]).collect(),
    })
}

// Drawing.

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

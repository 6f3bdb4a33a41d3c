//! The three budget charts of the overview, each with the table that says the same in words.

use super::analysis::{Cell, Year};
use super::model::{variance, Thresholds, VarianceStatus};
use crate::ui::chart::ChartData;
use crate::charts::budget::{BurnUp, Comparison, MonthlyStack, STACK};
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

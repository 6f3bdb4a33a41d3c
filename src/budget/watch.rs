//! What the alert rules read of the budget: for the current fiscal year, each budget line's and
//! each department's spend to date against its plan to date, and its year-end forecasts against
//! the year's plan. Read from the plan lines and the monthly rollup of expenses, never from the
//! expenses themselves, so looking again after every saved expense stays cheap.

use super::analysis::{Cell, Year};
use super::model::{forecast, variance, Forecast, Thresholds, Variance};
use super::repo;
use crate::platform::error::AppError;
use chrono::NaiveDate;
use sqlx::SqliteConnection;

/// One line's or one department's figures.
#[derive(Clone, Debug)]
pub struct Watched {
    pub department_id: i64,
    /// `budget_line` or `budget_department`, and an id stable across the year:
    /// `dept:category:kind` or the department's id.
    pub subject_kind: &'static str,
    pub subject_id: String,
    /// "Engineering · Cloud (OpEx)", "Engineering (all lines)".
    pub label: String,
    pub plan_year: i64,
    pub plan_to_date: i64,
    pub actual: i64,
    pub variance: Variance,
    pub forecast: Forecast,
}

/// The figures of `department` (all when `None`) as of `today`, and the variance thresholds.
pub async fn watched(db: &mut SqliteConnection, department: Option<i64>, today: NaiveDate) -> Result<(Vec<Watched>, Thresholds, i32), AppError> {
    let (cal, t) = repo::settings(&mut *db).await?;
    let fy = cal.year_of(today);
    let lines = repo::plan_lines(&mut *db, fy, department).await?;
    let months = cal.months(fy);
    let actuals = repo::actuals(&mut *db, months[0], months[11], department).await?;
    let departments = super::service::departments(&mut *db, department).await?;
    let categories: Vec<(i64, String)> = repo::categories(&mut *db).await?.into_iter().map(|(id, name, _)| (id, name)).collect();
    let name = |list: &[(i64, String)], id: i64| list.iter().find(|x| x.0 == id).map(|x| x.1.clone()).unwrap_or_default();
    let names = |d: i64, c: i64| (name(&departments, d), name(&categories, c));
    let year = Year::new(cal, fy, today, lines, actuals, &names, categories.iter().map(|c| c.0).collect());
    let figures = |cell: &Cell| {
        let plan_year = crate::platform::money::sum(cell.plan.iter().copied());
        let plan_to_date = year.plan_to_date(&cell.plan);
        let actual = crate::platform::money::sum(cell.actual.iter().copied());
        (plan_year, plan_to_date, actual, variance(plan_to_date, actual, t), forecast(actual, plan_year, plan_to_date, year.elapsed))
    };
    let mut out = Vec::new();
    for ((dept, category, kind), cell) in &year.cells {
        let (plan_year, plan_to_date, actual, variance, forecast) = figures(cell);
        out.push(Watched {
            department_id: *dept,
            subject_kind: "budget_line",
            subject_id: format!("{dept}:{category}:{}", kind.as_str()),
            label: format!("{} · {} ({})", cell.department, cell.category, kind.label()),
            plan_year,
            plan_to_date,
            actual,
            variance,
            forecast,
        });
    }
    for (dept, cell) in year.by(|k, _| k.0) {
        let (plan_year, plan_to_date, actual, variance, forecast) = figures(&cell);
        out.push(Watched {
            department_id: dept,
            subject_kind: "budget_department",
            subject_id: dept.to_string(),
            label: format!("{} (all lines)", name(&departments, dept)),
            plan_year,
            plan_to_date,
            actual,
            variance,
            forecast,
        });
    }
    Ok((out, t, fy))
}

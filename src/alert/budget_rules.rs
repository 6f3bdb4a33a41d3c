//! The budget rules: year-end forecasts over budget, and spending to date over the plan to
//! date, for every budget line and every department of the current fiscal year.

use super::engine::{Condition, Rule};
use super::model::Severity;
use crate::access::Page;
use crate::budget::model::VarianceStatus;
use crate::budget::model::Thresholds;
use crate::budget::watch::{watched, Watched};
use crate::platform::error::AppError;
use crate::platform::money::Currency;
use sqlx::SqliteConnection;

/// One reading of the budget: every line's and department's figures, the variance
/// thresholds and the fiscal year.
pub struct Figures {
    rows: Vec<Watched>,
    thresholds: Thresholds,
    fiscal_year: i32,
}

pub async fn read(db: &mut SqliteConnection, department: Option<i64>, now: i64) -> Result<Figures, AppError> {
    let today = crate::platform::time::date_of(now);
    let (rows, thresholds, fiscal_year) = watched(db, department, today).await?;
    Ok(Figures { rows, thresholds, fiscal_year })
}

fn condition(w: &Watched, severity: Severity, summary: String) -> Condition {
    Condition {
        subject_kind: w.subject_kind,
        subject_id: w.subject_id.clone(),
        subject_label: w.label.clone(),
        department_id: Some(w.department_id),
        severity,
        summary,
        link: Page::Budgets.path().to_string(),
    }
}

/// A forecast more than `threshold` % over the year's budget; critical beyond twice that. The
/// worse of the two forecasts counts; a line without a budget has no percentage to exceed
/// (the spend rule catches spending on it).
pub fn forecasts(f: &Figures, rule: &Rule, cur: Currency) -> Vec<Condition> {
    let fy = f.fiscal_year;
    f.rows
        .iter()
        .filter(|w| w.plan_year > 0)
        .filter_map(|w| {
            let (method, worst) = if w.forecast.run_rate >= w.forecast.actual_plus_plan {
                ("at the run rate", w.forecast.run_rate)
            } else {
                ("as spent plus the plan ahead", w.forecast.actual_plus_plan)
            };
            let over = worst as i128 - w.plan_year as i128;
            // Compared in integers, as the budget page's variance is.
            let beyond = |pct: i64| over * 100 > w.plan_year as i128 * pct as i128;
            if !beyond(rule.threshold) {
                return None;
            }
            let severity = if beyond(rule.threshold.saturating_mul(2)) { Severity::Critical } else { Severity::Warning };
            let pct = over as f64 * 100.0 / w.plan_year as f64;
            let summary = format!(
                "{}: the FY{fy} forecast {method} is {}, {pct:.1} % over the budget of {} (the rule alerts beyond {} %).",
                w.label,
                cur.format(worst),
                cur.format(w.plan_year),
                rule.threshold
            );
            Some(condition(w, severity, summary))
        })
        .collect()
}

/// Spending to date amber or red against the plan to date, by the budget settings' thresholds
/// (red only when the rule's threshold is 2).
pub fn variances(f: &Figures, rule: &Rule, cur: Currency) -> Vec<Condition> {
    let t = f.thresholds;
    f.rows
        .iter()
        .filter_map(|w| {
            let severity = match w.variance.status {
                VarianceStatus::Red => Severity::Critical,
                VarianceStatus::Amber if rule.threshold < 2 => Severity::Warning,
                _ => return None,
            };
            let how = match w.variance.pct {
                Some(p) => format!("{p:+.1} %"),
                None => "with no plan to date".to_string(),
            };
            let limit = if severity == Severity::Critical { t.red_pct } else { t.amber_pct };
            let summary = format!(
                "{} has spent {} to date against {} planned: {how}, beyond the {} % {} threshold.",
                w.label,
                cur.format(w.actual),
                cur.format(w.plan_to_date),
                limit,
                if severity == Severity::Critical { "red" } else { "amber" }
            );
            Some(condition(w, severity, summary))
        })
        .collect()
}

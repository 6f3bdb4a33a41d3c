//! The SLA report: per system and period, uptime against the SLO, the error budget used and
//! the incidents, on screen and as CSV.

use super::board::slo_text;
use super::super::repo;
use super::super::uptime::{error_budget, human_duration, mean_times, percent};
use super::super::view::{SlaFigures, SlaReport, SlaRow};
use crate::platform::error::AppError;
use crate::platform::db::now_unix;
use chrono::{Datelike, NaiveDate};
use sqlx::SqliteConnection;

/// What other areas read of incidents as stored (the investor report's reliability section).
pub use super::super::repo::incidents_by_system;

use crate::platform::time::midnight as ts;

fn month_start(y: i32, m: u32) -> Option<NaiveDate> {
    let (y, m) = if m > 12 { (y + 1, m - 12) } else { (y, m) };
    NaiveDate::from_ymd_opt(y, m, 1)
}

/// "2026-11" (a month) or "2026-Q3" (a quarter) to [from, to) and a label; empty is the
/// current quarter.
pub fn parse_period(text: &str, today: NaiveDate) -> Result<(i64, i64, String, String), AppError> {
    let t = text.trim();
    let bad = || AppError::BadRequest { message: format!("{t:?} is not a period such as 2026-11 or 2026-Q3") };
    let (start, end, label, value) = if t.is_empty() {
        let q = (today.month() - 1) / 3 + 1;
        let start = month_start(today.year(), (q - 1) * 3 + 1).ok_or_else(bad)?;
        (start, month_start(today.year(), (q - 1) * 3 + 4).ok_or_else(bad)?, format!("Q{q} {}", today.year()), format!("{}-Q{q}", today.year()))
    } else if let Some((y, q)) = t.split_once("-Q") {
        let (y, q): (i32, u32) = (y.parse().map_err(|_| bad())?, q.parse().map_err(|_| bad())?);
        if !(1..=4).contains(&q) || !(2000..=2200).contains(&y) {
            return Err(bad());
        }
        (month_start(y, (q - 1) * 3 + 1).ok_or_else(bad)?, month_start(y, (q - 1) * 3 + 4).ok_or_else(bad)?, format!("Q{q} {y}"), t.to_string())
    } else {
        let (y, m) = t.split_once('-').ok_or_else(bad)?;
        let (y, m): (i32, u32) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        if !(1..=12).contains(&m) || !(2000..=2200).contains(&y) {
            return Err(bad());
        }
        let start = month_start(y, m).ok_or_else(bad)?;
        (start, month_start(y, m + 1).ok_or_else(bad)?, start.format("%B %Y").to_string(), format!("{y}-{m:02}"))
    };
    Ok((ts(start), ts(end), label, value))
}

/// The periods offered: this quarter and the four before, and the last twelve months.
pub fn periods(today: NaiveDate) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let (mut y, mut q) = (today.year(), (today.month() - 1) / 3 + 1);
    for _ in 0..5 {
        out.push((format!("{y}-Q{q}"), format!("Q{q} {y}")));
        (y, q) = if q == 1 { (y - 1, 4) } else { (y, q - 1) };
    }
    let (mut y, mut m) = (today.year(), today.month());
    for _ in 0..12 {
        let label = month_start(y, m).map(|d| d.format("%B %Y").to_string()).unwrap_or_default();
        out.push((format!("{y}-{m:02}"), label));
        (y, m) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
    }
    out
}

pub async fn report(db: &mut SqliteConnection, period: &str) -> Result<SlaReport, AppError> {
    let now = now_unix();
    let today = crate::platform::time::date_of(now);
    let (from, end, label, value) = parse_period(period, today)?;
    if from > now {
        return Err(AppError::BadRequest { message: format!("{label} has not begun") });
    }
    // A period still running is judged up to now.
    let to = end.min(now);
    let systems = repo::systems(db, None).await?;
    let history = repo::histories(db, None, from, to).await?;
    let maintenance = repo::maintenance(db, None, from, to).await?;
    let incidents = repo::incidents_by_system(db, from, to).await?;
    let (none, no_windows) = (Vec::new(), Vec::new());
    let rows = systems
        .iter()
        // A system added after the period had no part in it.
        .filter(|s| s.created_at < end)
        .map(|s| {
            let (_, u) = repo::period(history.get(&s.id).unwrap_or(&none), maintenance.get(&s.id).unwrap_or(&no_windows), from, to);
            let budget = error_budget(&u, s.slo_target);
            let times = incidents.get(&s.id).map(Vec::as_slice).unwrap_or_default();
            let mttr = mean_times(times).1;
            let figures = SlaFigures {
                slo_percent: s.slo_target,
                uptime_percent: u.ratio().map(|r| r * 100.0),
                downtime_seconds: u.downtime,
                maintenance_seconds: u.maintenance,
                allowed_downtime_seconds: budget.allowed_secs,
                error_budget_used_percent: budget.used_pct,
                mttr_seconds: mttr,
            };
            SlaRow {
                system_id: s.id,
                system: s.name.clone(),
                tier: s.tier,
                slo: slo_text(s.slo_target),
                uptime: u.ratio().map(percent).unwrap_or_else(|| "No data".into()),
                meets_slo: u.ratio().map(|r| r * 100.0 >= s.slo_target - 1e-9),
                downtime: human_duration(u.downtime as f64),
                maintenance: human_duration(u.maintenance as f64),
                allowed: human_duration(budget.allowed_secs),
                budget_used: budget.used_pct.map(|p| format!("{p:.0} %")).unwrap_or_else(|| "—".into()),
                incidents: times.len(),
                mttr: mttr.map(human_duration).unwrap_or_else(|| "—".into()),
                figures,
            }
        })
        .collect();
    Ok(SlaReport { period: value, label, rows, periods: periods(today) })
}

/// The columns of the SLA export: plain numbers a spreadsheet can sum and sort, the unit in
/// each name, an empty cell where there is no figure.
pub const CSV_HEADER: [&str; 11] = [
    "system",
    "tier",
    "slo_percent",
    "uptime_percent",
    "met_slo",
    "downtime_seconds",
    "maintenance_seconds",
    "allowed_downtime_seconds",
    "error_budget_used_percent",
    "incidents",
    "mttr_seconds",
];

/// A number with at most `decimals` places and no trailing zeros: 99.9, 95.2381, 3600.
fn number(x: f64, decimals: usize) -> String {
    let text = format!("{x:.decimals$}");
    if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_string() } else { text }
}

pub fn csv(r: &SlaReport) -> Vec<u8> {
    let mut out = crate::platform::csv::CsvWriter::new();
    out.row(CSV_HEADER);
    for row in &r.rows {
        let f = &row.figures;
        let met = match row.meets_slo {
            Some(true) => "yes",
            Some(false) => "no",
            None => "",
        };
        let maybe = |x: Option<f64>, decimals| x.map(|x| number(x, decimals)).unwrap_or_default();
        out.row([
            row.system.clone(),
            row.tier.to_string(),
            number(f.slo_percent, 4),
            maybe(f.uptime_percent, 4),
            met.to_string(),
            f.downtime_seconds.to_string(),
            f.maintenance_seconds.to_string(),
            number(f.allowed_downtime_seconds, 0),
            maybe(f.error_budget_used_percent, 1),
            row.incidents.to_string(),
            maybe(f.mttr_seconds, 0),
        ]);
    }
    out.finish()
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PeriodQuery {
    pub period: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_to_their_bounds() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let (a, b, label, value) = parse_period("", today).unwrap();
        assert_eq!((label.as_str(), value.as_str()), ("Q4 2026", "2026-Q4"));
        assert_eq!(b - a, 92 * 86_400);
        let (a, b, label, _) = parse_period("2026-02", today).unwrap();
        assert_eq!((label.as_str(), b - a), ("February 2026", 28 * 86_400));
        let (_, b, _, _) = parse_period("2026-12", today).unwrap();
        assert_eq!(b, ts(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()));
        for bad in ["2026-13", "2026-Q5", "Q3", "last year", "2026"] {
            assert!(parse_period(bad, today).is_err(), "{bad}");
        }
        assert_eq!(periods(today)[0].0, "2026-Q4");
        assert_eq!(periods(today)[5].0, "2026-11");
    }
}

//! Two KPIs kept from the findings, once the CTO asks: open critical findings at the end of
//! each day, and each month the share of fixes made by their deadline. They are written again
//! in the transaction of every import and of a change to the deadlines, so they never
//! disagree with the vulnerabilities page; nobody types values into them.

use super::super::model::{Deadlines, Severity};
use super::sql::DAY;
use crate::auth::User;
use crate::kpi::figures::NewPoint;
use crate::kpi::form::KpiInput;
use crate::platform::audit::Entry;
use crate::platform::changes::Changed;
use crate::platform::db::begin_write;
use crate::platform::error::AppError;
use crate::platform::state::AppState;
use chrono::Datelike;
use sqlx::SqliteConnection;

/// What `kpis.kept_by` says of these KPIs.
pub const KEPT_BY: &str = "assurance";
/// How far back the daily count goes.
const DAYS_BACK: i64 = 365;
/// How many months of fixes the monthly share covers.
const MONTHS_BACK: u32 = 24;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    OpenCritical,
    FixedWithinSla,
}

impl Measure {
    pub const ALL: [Measure; 2] = [Measure::OpenCritical, Measure::FixedWithinSla];

    fn as_str(self) -> &'static str {
        match self {
            Measure::OpenCritical => "open_critical",
            Measure::FixedWithinSla => "fixed_within_sla",
        }
    }

    fn parse(s: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// The key it takes when no KPI has it yet (the demo's typed-in KPIs had these).
    fn key(self) -> &'static str {
        match self {
            Measure::OpenCritical => "critical-vulnerabilities",
            Measure::FixedWithinSla => "security-patch-sla",
        }
    }

    fn input(self, key: String, owner: &str) -> KpiInput {
        let (name, description, formula, unit, direction, target) = match self {
            Measure::OpenCritical => (
                "Open critical vulnerabilities",
                "Critical findings open on any system at the end of each day. Kept by Northstar from the imported findings.",
                "Count of findings rated critical and not fixed, at the end of the day",
                "count",
                "lower",
                ("0", "0", "3"),
            ),
            Measure::FixedWithinSla => (
                "Security patches applied within SLA",
                "Of the findings fixed each month, the share fixed by the deadline of their severity (Security → Vulnerabilities). Kept by Northstar from the imported findings.",
                "Findings fixed by their deadline / findings fixed, each month",
                "percent",
                "higher",
                ("95", "90", "80"),
            ),
        };
        KpiInput {
            key,
            name: name.into(),
            description: description.into(),
            formula: formula.into(),
            category: "security".into(),
            unit: unit.into(),
            direction: direction.into(),
            aggregation: "last".into(),
            computed: String::new(),
            owner: owner.into(),
            department: String::new(),
            investor_visible: false,
            target: target.0.into(),
            amber: target.1.into(),
            red: target.2.into(),
        }
    }
}

/// The measures kept, with their KPI's key and name.
pub(crate) async fn kept(db: &mut SqliteConnection) -> Result<Vec<(Measure, String, String)>, AppError> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT a.measure, k.key, k.name FROM assurance_kpis a JOIN kpis k ON k.id = a.kpi_id ORDER BY a.measure").fetch_all(db).await?;
    Ok(rows.into_iter().filter_map(|(m, key, name)| Some((Measure::parse(&m)?, key, name))).collect())
}

/// Keeps each measure not kept yet in a new KPI, filled from every finding; how many it made.
pub async fn keep(st: &AppState, cto: &User) -> Result<usize, AppError> {
    let mut tx = begin_write(&st.pool).await?;
    let made = keep_in(&mut tx, cto).await?;
    let changed = refresh(&mut tx, crate::platform::db::now_unix()).await?;
    if made > 0 {
        Entry::new(&cto.actor(), "assurance", "keep_security_kpis").detail(format!("{made} KPI(s)")).record(&mut tx).await?;
    }
    tx.commit().await?;
    for kpi in changed {
        st.changes.tell(Changed::Kpi(kpi));
    }
    Ok(made)
}

/// Creates the KPIs of the measures not kept, in the caller's transaction; how many it made.
pub(crate) async fn keep_in(tx: &mut SqliteConnection, cto: &User) -> Result<usize, AppError> {
    let kept: Vec<Measure> = kept(&mut *tx).await?.into_iter().map(|k| k.0).collect();
    let mut made = 0;
    for m in Measure::ALL.into_iter().filter(|m| !kept.contains(m)) {
        // A KPI typed in by hand may have the key; the kept one then takes another.
        let taken: i64 = sqlx::query_scalar("SELECT count(*) FROM kpis WHERE key = ?1").bind(m.key()).fetch_one(&mut *tx).await?;
        let key = if taken > 0 { format!("{}-kept", m.key()) } else { m.key().to_string() };
        // Neither unit is money; any currency parses it.
        let valid = m.input(key, &cto.name).parse(crate::platform::money::CURRENCIES[0])?;
        let kpi = crate::kpi::service::write(&mut *tx, cto, "", &valid, Some(KEPT_BY)).await?;
        sqlx::query("INSERT INTO assurance_kpis (measure, kpi_id) VALUES (?1, ?2)").bind(m.as_str()).bind(kpi).execute(&mut *tx).await?;
        made += 1;
    }
    Ok(made)
}

/// Writes each kept KPI again from the findings as of `now`; the KPIs whose values changed.
pub(crate) async fn refresh(tx: &mut SqliteConnection, now: i64) -> Result<Vec<i64>, AppError> {
    let kept: Vec<(String, i64)> = sqlx::query_as("SELECT measure, kpi_id FROM assurance_kpis").fetch_all(&mut *tx).await?;
    if kept.is_empty() {
        return Ok(Vec::new());
    }
    let deadlines = super::deadlines(&mut *tx).await?;
    let mut changed = Vec::new();
    for (measure, kpi) in kept {
        let points = match Measure::parse(&measure) {
            Some(Measure::OpenCritical) => open_critical(&mut *tx, now).await?,
            Some(Measure::FixedWithinSla) => within_sla(&mut *tx, &deadlines, now).await?,
            None => continue,
        };
        if crate::kpi::figures::replace_kept(&mut *tx, kpi, &points).await? {
            changed.push(kpi);
        }
    }
    Ok(changed)
}

async fn open_critical(db: &mut SqliteConnection, now: i64) -> Result<Vec<NewPoint>, AppError> {
    let today = now.div_euclid(DAY);
    let spans: Vec<(i64, Option<i64>)> = sqlx::query_as("SELECT first_seen, fixed_at FROM findings WHERE severity = 'critical' AND (fixed_at IS NULL OR fixed_at >= ?1)")
        .bind((today - DAYS_BACK) * DAY)
        .fetch_all(db)
        .await?;
    Ok(daily_open(&spans, today).into_iter().map(|(day, n)| NewPoint { ts: day * DAY, value: n as f64, note: None }).collect())
}

/// Open at the end of each day, from the first day one was open (at most a year back) to
/// `today`; today alone (0) when none ever was. `spans` are (first seen, fixed) in seconds.
pub(crate) fn daily_open(spans: &[(i64, Option<i64>)], today: i64) -> Vec<(i64, i64)> {
    let earliest = today - DAYS_BACK;
    let start = spans.iter().map(|(seen, _)| seen.div_euclid(DAY).max(earliest)).min().unwrap_or(today).min(today);
    let mut change = vec![0i64; (today - start + 2) as usize];
    for (seen, fixed) in spans {
        let from = seen.div_euclid(DAY).max(start);
        // Open at the end of a day it was fixed on is no longer open.
        let until = fixed.map(|f| f.div_euclid(DAY)).unwrap_or(today + 1);
        if from > today || until <= from {
            continue;
        }
        change[(from - start) as usize] += 1;
        change[(until.min(today + 1) - start) as usize] -= 1;
    }
    let mut open = 0;
    (start..=today)
        .map(|day| {
            open += change[(day - start) as usize];
            (day, open)
        })
        .collect()
}

async fn within_sla(db: &mut SqliteConnection, d: &Deadlines, now: i64) -> Result<Vec<NewPoint>, AppError> {
    let today = crate::platform::time::date_of(now);
    let first = today.with_day(1).and_then(|m| m.checked_sub_months(chrono::Months::new(MONTHS_BACK - 1))).unwrap_or(today);
    let fixes: Vec<(String, i64, i64)> = sqlx::query_as("SELECT severity, first_seen, fixed_at FROM findings WHERE fixed_at >= ?1")
        .bind(crate::platform::time::midnight(first))
        .fetch_all(db)
        .await?;
    let mut months: std::collections::BTreeMap<i64, (u32, u32)> = Default::default();
    for (severity, seen, fixed) in fixes {
        let Some(s) = Severity::parse(&severity) else { continue };
        let fixed_on = crate::platform::time::date_of(fixed);
        let month = crate::platform::time::midnight(fixed_on.with_day(1).unwrap_or(fixed_on));
        let late = d.breached(s, crate::platform::time::date_of(seen), Some(fixed_on), fixed_on);
        let entry = months.entry(month).or_default();
        entry.0 += u32::from(!late);
        entry.1 += 1;
    }
    Ok(months
        .into_iter()
        .map(|(month, (within, fixed))| NewPoint {
            ts: month,
            value: (f64::from(within) * 1000.0 / f64::from(fixed)).round() / 10.0,
            note: Some(crate::ui::plural(u64::from(fixed), "finding fixed", "findings fixed")),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_at_the_end_of_each_day() {
        let today = 20_000;
        let at = |day: i64, hour: i64| day * DAY + hour * 3600;
        // Opened two days ago and still open; opened and fixed yesterday; fixed today.
        let spans = [(at(today - 2, 9), None), (at(today - 1, 8), Some(at(today - 1, 17))), (at(today - 2, 10), Some(at(today, 6)))];
        assert_eq!(daily_open(&spans, today), [(today - 2, 2), (today - 1, 2), (today, 1)]);
        assert_eq!(daily_open(&[], today), [(today, 0)]);
        // A finding older than a year counts from a year back.
        assert_eq!(daily_open(&[(at(today - 900, 0), None)], today).len() as i64, DAYS_BACK + 1);
    }
}

//! What the alert rules read of infrastructure: systems in trouble, incidents nobody has
//! taken, and how much of each system's error budget the month has used. Small tables, read
//! whole: a system's row knows its status and since when.

use crate::infra::model::Status;
use crate::platform::error::AppError;
use sqlx::SqliteConnection;

pub struct Trouble {
    pub id: i64,
    pub name: String,
    pub department_id: Option<i64>,
    pub status: Status,
    pub since: i64,
}

/// Systems down or degraded (`only`: one system). A system in maintenance has that status
/// instead, so it never shows here.
pub async fn troubled(db: &mut SqliteConnection, only: Option<i64>) -> Result<Vec<Trouble>, AppError> {
    let rows: Vec<(i64, String, Option<i64>, Status, i64)> = sqlx::query_as(
        "SELECT id, name, department_id, status, status_since FROM systems WHERE status IN ('down', 'degraded') AND (?1 IS NULL OR id = ?1) ORDER BY id",
    )
    .bind(only)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(id, name, department_id, status, since)| Trouble { id, name, department_id, status, since }).collect())
}

pub struct Unacknowledged {
    pub id: i64,
    pub title: String,
    pub system: Option<String>,
    pub department_id: Option<i64>,
    pub severity: String,
    pub started_at: i64,
}

/// Open incidents nobody has acknowledged (`only`: one incident).
pub async fn unacknowledged(db: &mut SqliteConnection, only: Option<i64>) -> Result<Vec<Unacknowledged>, AppError> {
    let rows: Vec<(i64, String, Option<String>, Option<i64>, String, i64)> = sqlx::query_as(
        r#"SELECT i.id, i.title, s.name, s.department_id, i.severity, i.started_at
           FROM incidents i LEFT JOIN systems s ON s.id = i.system_id
           WHERE i.resolved_at IS NULL AND i.acknowledged_at IS NULL AND (?1 IS NULL OR i.id = ?1)
           ORDER BY i.id"#,
    )
    .bind(only)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, system, department_id, severity, started_at)| Unacknowledged { id, title, system, department_id, severity, started_at })
        .collect())
}

/// How much of a system's allowance for downtime this calendar month has used so far.
pub struct BudgetUse {
    pub id: i64,
    pub name: String,
    pub department_id: Option<i64>,
    pub slo: f64,
    /// Percent of the month's allowance; over 100 when the month's SLO can no longer be met.
    pub used_pct: f64,
    pub downtime_secs: i64,
    pub allowed_secs: f64,
}

/// Every system's error budget for this calendar month (`only`: one system): the downtime so
/// far against what its SLO allows over the whole month, so a young month does not turn a
/// minute's outage into an overspent budget. Maintenance windows do not count as downtime, and
/// a system added this month is allowed its share from then on.
pub async fn error_budgets(db: &mut SqliteConnection, only: Option<i64>, now: i64) -> Result<Vec<BudgetUse>, AppError> {
    use chrono::{Datelike, NaiveDate};
    let today = crate::platform::time::date_of(now);
    let midnight = |d: Option<NaiveDate>| d.and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc().timestamp());
    let from = midnight(NaiveDate::from_ymd_opt(today.year(), today.month(), 1)).unwrap_or(now);
    let next = if today.month() == 12 { NaiveDate::from_ymd_opt(today.year() + 1, 1, 1) } else { NaiveDate::from_ymd_opt(today.year(), today.month() + 1, 1) };
    let end = midnight(next).unwrap_or(now);
    let systems = crate::infra::repo::systems(db, only).await?;
    let history = crate::infra::repo::histories(db, only, from, now).await?;
    let windows = crate::infra::repo::maintenance(db, only, from, now).await?;
    Ok(systems
        .into_iter()
        .filter_map(|s| {
            let start = from.max(s.created_at);
            let changes = history.get(&s.id).map(Vec::as_slice).unwrap_or_default();
            let (_, u) = crate::infra::repo::period(changes, windows.get(&s.id).map(Vec::as_slice).unwrap_or_default(), start, now.max(start));
            let allowed = (1.0 - s.slo_target / 100.0) * (end - start).max(0) as f64;
            (allowed > 0.0).then(|| BudgetUse {
                id: s.id,
                name: s.name,
                department_id: s.department_id,
                slo: s.slo_target,
                used_pct: u.downtime as f64 / allowed * 100.0,
                downtime_secs: u.downtime,
                allowed_secs: allowed,
            })
        })
        .collect())
}

pub struct Certificate {
    pub check_id: i64,
    pub system_id: i64,
    pub system: String,
    pub department_id: Option<i64>,
    pub target: String,
    pub expires_at: i64,
}

/// Enabled HTTPS checks whose certificate, as last seen, expires before `before`.
pub async fn certificates_expiring(db: &mut SqliteConnection, before: i64) -> Result<Vec<Certificate>, AppError> {
    let rows: Vec<(i64, i64, String, Option<i64>, String, i64)> = sqlx::query_as(
        "SELECT c.id, s.id, s.name, s.department_id, c.target, c.tls_expires_at FROM checks c JOIN systems s ON s.id = c.system_id
         WHERE c.enabled = 1 AND c.tls_expires_at IS NOT NULL AND c.tls_expires_at < ?1 ORDER BY c.id",
    )
    .bind(before)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(check_id, system_id, system, department_id, target, expires_at)| Certificate { check_id, system_id, system, department_id, target, expires_at })
        .collect())
}

//! The inventory's SQL: systems, their status history, maintenance windows and incidents.

use super::model::{Opener, Status, SystemKind, ValidSystem};
use super::uptime::{merge, segments, Segment, Span, Uptime};
use crate::kpi::model::Severity;
use crate::platform::error::AppError;
use sqlx::SqliteConnection;
use std::collections::HashMap;
use crate::platform::cache::Cache;
use std::sync::Arc;

pub use crate::platform::time::DAY;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SystemRow {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub kind: SystemKind,
    pub department_id: Option<i64>,
    pub department: Option<String>,
    pub tier: i64,
    pub slo_target: f64,
    pub description: String,
    pub links: String,
    pub manual_status: Option<Status>,
    pub manual_note: String,
    pub status: Status,
    pub status_since: i64,
    pub created_at: i64,
}

const SYSTEM_COLUMNS: &str = r#"s.id, s.key, s.name, s.kind, s.department_id, d.name AS department, s.tier, s.slo_target, s.description,
    s.links, s.manual_status, s.manual_note, s.status, s.status_since, s.created_at
    FROM systems s LEFT JOIN departments d ON d.id = s.department_id"#;

/// Every system, most critical first, or one.
pub async fn systems(db: &mut SqliteConnection, only: Option<i64>) -> Result<Vec<SystemRow>, AppError> {
    Ok(sqlx::query_as(&format!("SELECT {SYSTEM_COLUMNS} WHERE ?1 IS NULL OR s.id = ?1 ORDER BY s.tier, s.name"))
        .bind(only)
        .fetch_all(&mut *db)
        .await?)
}

pub async fn system(db: &mut SqliteConnection, id: i64) -> Result<SystemRow, AppError> {
    systems(db, Some(id)).await?.into_iter().next().ok_or(AppError::NotFound)
}

/// Each system's status changes in [from, to), led by the last change before `from` (the
/// status in force when the period began). One row per system, its changes packed into one
/// text of `time * 8 + status code` numbers: sqlx's per-row cost, and JSON's, would otherwise
/// dominate a board of hundreds of systems.
pub async fn histories(db: &mut SqliteConnection, only: Option<i64>, from: i64, to: i64) -> Result<HashMap<i64, Vec<(i64, Status)>>, AppError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        r#"SELECT system_id, group_concat(at * 8 + CASE status WHEN 'operational' THEN 1 WHEN 'degraded' THEN 2 WHEN 'down' THEN 3 WHEN 'maintenance' THEN 4 ELSE 0 END) FROM (
               SELECT system_id, at, status, id FROM status_changes WHERE at >= ?1 AND at < ?2 AND (?3 IS NULL OR system_id = ?3)
               UNION ALL
               SELECT system_id, max(at) AS at, status, id FROM status_changes WHERE at < ?1 AND (?3 IS NULL OR system_id = ?3) GROUP BY system_id
               ORDER BY system_id, at, id)
           GROUP BY system_id"#,
    )
    .bind(from)
    .bind(to)
    .bind(only)
    .fetch_all(&mut *db)
    .await?;
    const CODES: [Status; 5] = [Status::Unknown, Status::Operational, Status::Degraded, Status::Down, Status::Maintenance];
    let mut out = HashMap::with_capacity(rows.len());
    for (id, packed) in rows {
        let list = packed
            .split(',')
            .filter_map(|v| v.parse::<i64>().ok())
            .map(|v| (v.div_euclid(8), CODES.get(v.rem_euclid(8) as usize).copied().unwrap_or(Status::Unknown)))
            .collect();
        out.insert(id, list);
    }
    Ok(out)
}

/// Maintenance windows overlapping [from, to), merged per system.
pub async fn maintenance(db: &mut SqliteConnection, only: Option<i64>, from: i64, to: i64) -> Result<HashMap<i64, Vec<Span>>, AppError> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT system_id, starts_at, ends_at FROM maintenance_windows WHERE ends_at > ?1 AND starts_at < ?2 AND (?3 IS NULL OR system_id = ?3)",
    )
    .bind(from)
    .bind(to)
    .bind(only)
    .fetch_all(&mut *db)
    .await?;
    let mut by: HashMap<i64, Vec<Span>> = HashMap::new();
    for (id, a, b) in rows {
        by.entry(id).or_default().push((a, b));
    }
    Ok(by.into_iter().map(|(id, spans)| (id, merge(spans))).collect())
}

/// A system's segments over [from, to) and the period's figures.
pub fn period(changes: &[(i64, Status)], maintenance: &[Span], from: i64, to: i64) -> (Vec<Segment>, Uptime) {
    let segs = segments(Status::Unknown, changes, from, to);
    let u = Uptime::compute(&segs, maintenance, from, to);
    (segs, u)
}

/// The times of incidents that started in [from, to), by system.
pub async fn incidents_by_system(db: &mut SqliteConnection, from: i64, to: i64) -> Result<HashMap<i64, Vec<super::uptime::IncidentTimes>>, AppError> {
    let rows: Vec<(i64, i64, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT system_id, started_at, acknowledged_at, resolved_at FROM incidents WHERE system_id IS NOT NULL AND started_at >= ?1 AND started_at < ?2",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *db)
    .await?;
    let mut by: HashMap<i64, Vec<super::uptime::IncidentTimes>> = HashMap::new();
    for (id, started_at, acknowledged_at, resolved_at) in rows {
        by.entry(id).or_default().push(super::uptime::IncidentTimes { started_at, acknowledged_at, resolved_at });
    }
    Ok(by)
}

pub type Histories = HashMap<i64, Vec<(i64, Status)>>;
pub type Windows = HashMap<i64, Vec<Span>>;

/// Every system's status changes and maintenance windows from a day on, kept until either
/// table changes. The board reads them on every view; they change only when a status does.
pub struct BoardInputs {
    cached: Cache<(i64, i64, String), Arc<(Histories, Windows)>>,
}

impl Default for BoardInputs {
    fn default() -> Self {
        // A few keys: the board's first day and the latest change; older keys are never asked for again.
        BoardInputs { cached: Cache::new(4) }
    }
}

impl BoardInputs {
    pub async fn get(&self, db: &mut SqliteConnection, first: i64) -> Result<Arc<(Histories, Windows)>, AppError> {
        // Changes are only ever added (deleting a system removes its tile too); windows are
        // added and deleted, so their count, newest id and times all go into the key.
        let (changes, windows): (i64, String) = sqlx::query_as(
            r#"SELECT (SELECT coalesce(max(id), 0) FROM status_changes),
                      (SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || coalesce(sum(starts_at + 3 * ends_at), 0) FROM maintenance_windows)"#,
        )
        .fetch_one(&mut *db)
        .await?;
        let key = (first, changes, windows);
        if let Some(inputs) = self.cached.get(&key) {
            return Ok(inputs);
        }
        // Everything from `first` on, future windows included: callers cut at their own now.
        let inputs = Arc::new((histories(db, None, first, i64::MAX).await?, maintenance(db, None, first, i64::MAX).await?));
        self.cached.put(key, inputs.clone());
        Ok(inputs)
    }
}

pub async fn department_exists(db: &mut SqliteConnection, id: i64) -> Result<bool, AppError> {
    let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM departments WHERE id = ?1").bind(id).fetch_optional(&mut *db).await?;
    Ok(found.is_some())
}

/// The name of another system (not `id`) that already has this name or key.
pub async fn system_clash(db: &mut SqliteConnection, name: &str, key: &str, id: Option<i64>) -> Result<Option<String>, AppError> {
    let clash: Option<(String,)> = sqlx::query_as("SELECT name FROM systems WHERE (name = ?1 OR key = ?2) AND id IS NOT ?3")
        .bind(name)
        .bind(key)
        .bind(id)
        .fetch_optional(&mut *db)
        .await?;
    Ok(clash.map(|(n,)| n))
}

/// Changes a system's settings (its key stays); false when there is no such system.
pub async fn update_system(db: &mut SqliteConnection, id: i64, s: &ValidSystem) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE systems SET name = ?2, kind = ?3, department_id = ?4, tier = ?5, slo_target = ?6, description = ?7, links = ?8 WHERE id = ?1")
        .bind(id)
        .bind(&s.name)
        .bind(s.kind)
        .bind(s.department)
        .bind(s.tier)
        .bind(s.slo)
        .bind(&s.description)
        .bind(&s.links)
        .execute(&mut *db)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Adds a system. Incidents already reported for its key over the API belong to it from now on.
pub async fn insert_system(db: &mut SqliteConnection, s: &ValidSystem, now: i64) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        r#"INSERT INTO systems (key, name, kind, department_id, tier, slo_target, description, links, status_since, created_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) RETURNING id"#,
    )
    .bind(&s.key)
    .bind(&s.name)
    .bind(s.kind)
    .bind(s.department)
    .bind(s.tier)
    .bind(s.slo)
    .bind(&s.description)
    .bind(&s.links)
    .bind(now)
    .fetch_one(&mut *db)
    .await?;
    sqlx::query("UPDATE incidents SET system_id = ?1 WHERE service = ?2 AND system_id IS NULL").bind(id).bind(&s.key).execute(&mut *db).await?;
    Ok(id)
}

/// Replaces what a system depends on, refusing a dependency that leads back to it: a loop
/// no one could reason about.
pub async fn set_dependencies(db: &mut SqliteConnection, id: i64, deps: &[i64]) -> Result<(), AppError> {
    sqlx::query("DELETE FROM system_dependencies WHERE system_id = ?1").bind(id).execute(&mut *db).await?;
    for d in deps {
        let (loops,): (bool,) = sqlx::query_as(
            r#"WITH RECURSIVE reach(id) AS (SELECT ?1 UNION SELECT depends_on FROM system_dependencies JOIN reach ON system_id = reach.id)
               SELECT EXISTS (SELECT 1 FROM reach WHERE id = ?2)"#,
        )
        .bind(d)
        .bind(id)
        .fetch_one(&mut *db)
        .await?;
        if loops {
            return Err(AppError::field("depends_on", "That dependency would make a loop: the other system already depends on this one."));
        }
        let res = sqlx::query("INSERT INTO system_dependencies (system_id, depends_on) SELECT ?1, id FROM systems WHERE id = ?2").bind(id).bind(d).execute(&mut *db).await?;
        if res.rows_affected() == 0 {
            return Err(AppError::field("depends_on", "One of the chosen systems no longer exists."));
        }
    }
    Ok(())
}

/// An incident as it is opened: by a person, by the monitor, or (in the demo) already
/// acknowledged and resolved.
pub struct NewIncident<'a> {
    pub system_id: i64,
    /// The system's key, under which the token API reports the same service.
    pub service: &'a str,
    pub title: &'a str,
    pub severity: Severity,
    pub started_at: i64,
    pub acknowledged_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub opened_by: Opener,
}

pub async fn insert_incident(db: &mut SqliteConnection, i: &NewIncident<'_>) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        r#"INSERT INTO incidents (service, title, severity, started_at, acknowledged_at, resolved_at, system_id, opened_by)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id"#,
    )
    .bind(i.service)
    .bind(i.title)
    .bind(i.severity)
    .bind(i.started_at)
    .bind(i.acknowledged_at)
    .bind(i.resolved_at)
    .bind(i.system_id)
    .bind(i.opened_by)
    .fetch_one(&mut *db)
    .await?;
    Ok(id)
}

pub async fn insert_maintenance(db: &mut SqliteConnection, system_id: i64, span: Span, note: &str, by: Option<i64>) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as("INSERT INTO maintenance_windows (system_id, starts_at, ends_at, note, created_by) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id")
        .bind(system_id)
        .bind(span.0)
        .bind(span.1)
        .bind(note)
        .bind(by)
        .fetch_one(&mut *db)
        .await?;
    Ok(id)
}

/// The status a person set for a system without checks, with a note.
pub async fn set_manual_status(db: &mut SqliteConnection, system_id: i64, status: Status, note: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE systems SET manual_status = ?2, manual_note = ?3 WHERE id = ?1").bind(system_id).bind(status).bind(note).execute(&mut *db).await?;
    Ok(())
}

//! Incidents: the one table the monitor, people and the REST API share, and that the DORA
//! metrics read. Timelines, acknowledging, taking over, resolving, and MTTA/MTTR.

use super::super::repo::{insert_incident, NewIncident};
use crate::kpi::model::Severity;
use super::super::model::Opener;
use super::super::record::add_note;
use crate::platform::time::minute_utc as when;
use super::systems::parse_moment;
use super::super::uptime::{human_duration, mean_times, IncidentTimes};
use super::super::view::{IncidentDetail, IncidentList, IncidentQuery, IncidentRow, NoteRow, ResponseRow};
use crate::access::Role;
use crate::auth::User;
use crate::platform::error::AppError;
use crate::kpi::events::refresh_computed;
use crate::platform::audit::Entry;
use crate::platform::db::{begin_write, now_unix};
use crate::platform::state::AppState;
use chrono::Datelike;
use sqlx::SqliteConnection;
use crate::platform::time::DAY;

/// Which incidents a list shows.
#[derive(Clone, Copy, Debug, Default)]
pub struct Filter {
    pub system: Option<i64>,
    pub open: Option<bool>,
    pub since: i64,
    pub limit: i64,
}

/// The query of `Row`, for the list and for one incident; a macro so each use is one
/// constant string.
macro_rules! incident_row {
    () => {
        "SELECT i.id, i.title, coalesce(s.name, i.service), i.system_id, i.severity, i.started_at, i.acknowledged_at, i.resolved_at, i.opened_by
         FROM incidents i LEFT JOIN systems s ON s.id = i.system_id"
    };
}

type Row = (i64, String, String, Option<i64>, Severity, i64, Option<i64>, Option<i64>, String);

fn to_row((id, title, system, system_id, severity, started, ack, resolved, opened_by): Row, now: i64) -> IncidentRow {
    let duration = match resolved {
        Some(r) => human_duration((r - started) as f64),
        None => format!("{} so far", human_duration((now - started).max(0) as f64)),
    };
    IncidentRow {
        id,
        title,
        system,
        system_id,
        severity,
        started: when(started),
        acknowledged: ack.map(when),
        resolved: resolved.map(when),
        duration,
        opened_by: Opener::parse(&opened_by).map(Opener::label).unwrap_or("API").into(),
        open: resolved.is_none(),
    }
}

pub async fn rows(db: &mut SqliteConnection, f: Filter) -> Result<Vec<IncidentRow>, AppError> {
    let rows: Vec<Row> = sqlx::query_as(concat!(
        incident_row!(),
        " WHERE (?1 IS NULL OR i.system_id = ?1) AND (?2 IS NULL OR (i.resolved_at IS NULL) = ?2) AND (i.started_at >= ?3 OR i.resolved_at IS NULL)
           ORDER BY i.resolved_at IS NULL DESC, i.started_at DESC LIMIT ?4"
    ))
    .bind(f.system)
    .bind(f.open)
    .bind(f.since)
    .bind(f.limit)
    .fetch_all(&mut *db)
    .await?;
    let now = now_unix();
    Ok(rows.into_iter().map(|r| to_row(r, now)).collect())
}

fn response_row(period: String, times: &[IncidentTimes]) -> ResponseRow {
    let (mtta, mttr) = mean_times(times);
    let show = |v: Option<f64>| v.map(human_duration).unwrap_or_else(|| "—".into());
    ResponseRow { period, incidents: times.len(), mtta: show(mtta), mttr: show(mttr) }
}

async fn times(db: &mut SqliteConnection, system: Option<i64>, from: i64, to: i64) -> Result<Vec<IncidentTimes>, AppError> {
    let rows: Vec<(i64, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT started_at, acknowledged_at, resolved_at FROM incidents WHERE started_at >= ?1 AND started_at < ?2 AND (?3 IS NULL OR system_id = ?3)",
    )
    .bind(from)
    .bind(to)
    .bind(system)
    .fetch_all(&mut *db)
    .await?;
    Ok(rows.into_iter().map(|(started_at, acknowledged_at, resolved_at)| IncidentTimes { started_at, acknowledged_at, resolved_at }).collect())
}

pub async fn list(user: &User, db: &mut SqliteConnection, q: &IncidentQuery) -> Result<IncidentList, AppError> {
    let now = now_unix();
    let days: i64 = match q.days.trim() {
        "" => 90,
        t => t.parse().ok().filter(|d| (1..=3650).contains(d)).ok_or_else(|| AppError::BadRequest { message: format!("“{t}” is not a number of days") })?,
    };
    let system = match q.system.trim() {
        "" => None,
        t => Some(t.parse::<i64>().map_err(|_| AppError::BadRequest { message: format!("“{t}” is not a system id") })?),
    };
    let open = match q.state.as_str() {
        "open" => Some(true),
        "resolved" => Some(false),
        _ => None,
    };
    let since = now - days * DAY;
    let filter = Filter { system, open, since, limit: 200 };
    let rows = rows(db, filter).await?;
    let (total,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM incidents i WHERE (?1 IS NULL OR i.system_id = ?1) AND (?2 IS NULL OR (i.resolved_at IS NULL) = ?2) AND (i.started_at >= ?3 OR i.resolved_at IS NULL)",
    )
    .bind(system)
    .bind(open)
    .bind(since)
    .fetch_one(&mut *db)
    .await?;
    let summary = response_row(format!("Last {days} days"), &times(db, system, since, now + 1).await?);
    let mut by_month = Vec::new();
    let today = crate::platform::time::date_of(now);
    let (mut y, mut m) = (today.year(), today.month());
    for _ in 0..6 {
        let start = chrono::NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default();
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        let end = chrono::NaiveDate::from_ymd_opt(ny, nm, 1).unwrap_or_default();
        let ts = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().timestamp();
        by_month.push(response_row(start.format("%B %Y").to_string(), &times(db, system, ts(start), ts(end)).await?));
        (y, m) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
    }
    let systems = sqlx::query_as("SELECT id, name FROM systems ORDER BY name").fetch_all(&mut *db).await?;
    Ok(IncidentList { rows, total: total as usize, by_month, summary, systems, can_open: user.role == Role::Cto })
}

/// Whether `user` may write in this incident's timeline: the CTO always, a department head
/// for systems their department owns.
fn may_note(user: &User, department: Option<i64>) -> bool {
    match user.role {
        Role::Cto => true,
        Role::DepartmentHead => department.is_some() && department == user.department_id,
        Role::Investor => false,
    }
}

async fn department_of(db: &mut SqliteConnection, id: i64) -> Result<Option<i64>, AppError> {
    let row: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT s.department_id FROM incidents i LEFT JOIN systems s ON s.id = i.system_id WHERE i.id = ?1").bind(id).fetch_optional(&mut *db).await?;
    row.map(|r| r.0).ok_or(AppError::NotFound)
}

pub async fn detail(user: &User, db: &mut SqliteConnection, id: i64) -> Result<IncidentDetail, AppError> {
    let row: Option<Row> = sqlx::query_as(concat!(incident_row!(), " WHERE i.id = ?1"))
    .bind(id)
    .fetch_optional(&mut *db)
    .await?;
    let row = row.ok_or(AppError::NotFound)?;
    let (started, ack, resolved) = (row.5, row.6, row.7);
    type Extra = (String, Option<String>, Option<i64>, Option<String>);
    let (service, department, department_id, owner): Extra = sqlx::query_as(
        r#"SELECT i.service, d.name, s.department_id, u.name FROM incidents i LEFT JOIN systems s ON s.id = i.system_id
           LEFT JOIN departments d ON d.id = s.department_id LEFT JOIN users u ON u.id = i.taken_over_by WHERE i.id = ?1"#,
    )
    .bind(id)
    .fetch_one(&mut *db)
    .await?;
    let notes: Vec<(i64, Option<String>, String, String)> = sqlx::query_as(
        "SELECT n.at, u.name, n.kind, n.body FROM incident_notes n LEFT JOIN users u ON u.id = n.author_id WHERE n.incident_id = ?1 ORDER BY n.at, n.id",
    )
    .bind(id)
    .fetch_all(&mut *db)
    .await?;
    Ok(IncidentDetail {
        row: to_row(row, now_unix()),
        service,
        department,
        taken_over_by: owner,
        time_to_acknowledge: ack.map(|a| human_duration((a - started).max(0) as f64)),
        time_to_resolve: resolved.map(|r| human_duration((r - started).max(0) as f64)),
        notes: notes
            .into_iter()
            .map(|(at, author, kind, body)| NoteRow { at: when(at), author: author.unwrap_or_else(|| "Northstar".into()), kind: note_label(&kind).into(), body })
            .collect(),
        can_manage: user.role == Role::Cto,
        can_note: may_note(user, department_id),
    })
}

fn note_label(kind: &str) -> &'static str {
    match kind {
        "opened" => "Opened",
        "acknowledged" => "Acknowledged",
        "taken_over" => "Taken over",
        "resolved" => "Resolved",
        "recovered" => "Recovered",
        "reopened" => "Reopened",
        _ => "Note",
    }
}

fn check_body(body: &str, required: bool) -> Result<String, AppError> {
    let b = body.trim();
    if required && b.is_empty() {
        return Err(AppError::field("body", "Write the note first."));
    }
    if b.chars().count() > 4000 {
        return Err(AppError::field("body", "Keep a note under 4,000 characters."));
    }
    Ok(b.to_string())
}

pub async fn note(st: &AppState, user: &User, id: i64, body: &str) -> Result<(), AppError> {
    let body = check_body(body, true)?;
    let mut tx = begin_write(&st.pool).await?;
    let department = department_of(&mut tx, id).await.map_err(|e| if user.role == Role::Cto { e } else { AppError::Forbidden })?;
    if !may_note(user, department) {
        return Err(crate::platform::error::refused(AppError::Forbidden));
    }
    add_note(&mut tx, id, now_unix(), Some(user.id), "note", &body).await?;
    let title = incident_title(&mut tx, id).await?;
    Entry::new(&user.actor(), "infrastructure", "add_incident_note").object("incident", id, title).change("note", None, Some(body)).record(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn open(st: &AppState, user: &User, system: &str, severity: &str, title: &str, started: &str, body: &str) -> Result<i64, AppError> {
    let mut problems = crate::platform::error::Problems::default();
    let system_id = system.trim().parse::<i64>().ok();
    if system_id.is_none() {
        problems.add("system", "Choose the system that is affected.");
    }
    let severity = Severity::parse(severity);
    if severity.is_none() {
        problems.add("severity", "Choose a severity.");
    }
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        problems.add("title", "Give the incident a title of up to 200 characters.");
    }
    let now = now_unix();
    let started_at = match started.trim() {
        "" => Some(now),
        t => match parse_moment(t, "started") {
            Ok(s) if s > now + 60 => {
                problems.add("started", "An incident cannot start in the future.");
                None
            }
            Ok(s) => Some(s),
            Err(e) => {
                problems.add("started", e.for_field("started").unwrap_or_default());
                None
            }
        },
    };
    let body = check_body(body, false);
    if let Err(e) = &body {
        problems.add("body", e.for_field("body").unwrap_or_default());
    }
    problems.finish()?;
    let (system_id, severity, started_at, body) = (system_id.unwrap_or_default(), severity.unwrap_or(Severity::Sev3), started_at.unwrap_or(now), body.unwrap_or_default());
    let mut tx = begin_write(&st.pool).await?;
    let key: Option<(String,)> = sqlx::query_as("SELECT key FROM systems WHERE id = ?1").bind(system_id).fetch_optional(&mut *tx).await?;
    let (key,) = key.ok_or_else(|| AppError::field("system", "That system no longer exists."))?;
    let incident = NewIncident { system_id, service: &key, title, severity, started_at, acknowledged_at: None, resolved_at: None, opened_by: Opener::Person };
    let id = insert_incident(&mut tx, &incident).await?;
    let text = if body.is_empty() { format!("Opened by {}.", user.name) } else { body };
    add_note(&mut tx, id, started_at, Some(user.id), "opened", &text).await?;
    refresh_computed(&mut tx, started_at, started_at).await?;
    Entry::new(&user.actor(), "infrastructure", "open_incident")
        .object("incident", id, title)
        .change("system", None, Some(key.clone()))
        .change("severity", None, Some(severity.as_str().to_string()))
        .change("started", None, Some(when(started_at)))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    st.changes.tell(crate::platform::changes::Changed::Incident(id));
    Ok(id)
}

/// Acknowledge, take over, resolve or reopen, each leaving a line in the timeline.
pub async fn update(st: &AppState, user: &User, id: i64, action: &str, body: &str) -> Result<(), AppError> {
    let body = check_body(body, false)?;
    let now = now_unix();
    let mut tx = begin_write(&st.pool).await?;
    let row: Option<(i64, Option<i64>, Option<i64>)> =
        sqlx::query_as("SELECT started_at, acknowledged_at, resolved_at FROM incidents WHERE id = ?1").bind(id).fetch_optional(&mut *tx).await?;
    let (started, ack, resolved) = row.ok_or(AppError::NotFound)?;
    let (kind, default_text) = match action {
        "acknowledge" if ack.is_none() && resolved.is_none() => {
            sqlx::query("UPDATE incidents SET acknowledged_at = ?2 WHERE id = ?1").bind(id).bind(now).execute(&mut *tx).await?;
            ("acknowledged", format!("Acknowledged by {}.", user.name))
        }
        "take_over" if resolved.is_none() => {
            sqlx::query("UPDATE incidents SET taken_over_by = ?2, acknowledged_at = coalesce(acknowledged_at, ?3) WHERE id = ?1").bind(id).bind(user.id).bind(now).execute(&mut *tx).await?;
            ("taken_over", format!("{} took over; recovery will no longer close this incident by itself.", user.name))
        }
        "resolve" if resolved.is_none() => {
            sqlx::query("UPDATE incidents SET resolved_at = max(?2, started_at), acknowledged_at = coalesce(acknowledged_at, max(?2, started_at)) WHERE id = ?1")
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            ("resolved", format!("Resolved by {}.", user.name))
        }
        "reopen" if resolved.is_some() => {
            sqlx::query("UPDATE incidents SET resolved_at = NULL WHERE id = ?1").bind(id).execute(&mut *tx).await?;
            ("reopened", format!("Reopened by {}.", user.name))
        }
        "acknowledge" | "take_over" | "resolve" | "reopen" => {
            let state = if resolved.is_some() { "resolved" } else { "already acknowledged" };
            return Err(AppError::conflict(format!("This incident is {state}; refresh to see its latest state.")));
        }
        other => return Err(AppError::BadRequest { message: format!("“{other}” is not an incident action") }),
    };
    add_note(&mut tx, id, now, Some(user.id), kind, if body.is_empty() { &default_text } else { &body }).await?;
    refresh_computed(&mut tx, started, now).await?;
    let title = incident_title(&mut tx, id).await?;
    let before = if resolved.is_some() { "resolved" } else if ack.is_some() { "acknowledged" } else { "open" };
    Entry::new(&user.actor(), "infrastructure", "update_incident")
        .object("incident", id, title)
        .change("state", Some(before.to_string()), Some(kind.to_string()))
        .detail(body.clone())
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    st.changes.tell(crate::platform::changes::Changed::Incident(id));
    Ok(())
}

async fn incident_title(db: &mut SqliteConnection, id: i64) -> Result<String, AppError> {
    sqlx::query_scalar("SELECT title FROM incidents WHERE id = ?1").bind(id).fetch_optional(db).await?.ok_or(AppError::NotFound)
}

//! Changing the inventory: systems, maintenance windows and the status set by hand. Checks
//! are in `checks.rs`; every change that affects what the monitor runs tells it to reload.

use super::super::model::Status;
use super::super::model::Opener;
use super::super::record::refresh_system;
use super::super::repo;
use crate::platform::error::parse_id;
use crate::platform::time::minute_utc as when;
use super::super::view::SystemEditor;
use crate::platform::audit::{self, Entry};
use crate::auth::User;
use crate::platform::error::AppError;
use crate::platform::db::{begin_write, now_unix};
use crate::platform::state::AppState;
use sqlx::SqliteConnection;
use crate::platform::time::DAY;
use super::super::model::{check_system, SystemKind};
use super::super::view::SystemInput;

pub async fn save_system(st: &AppState, user: &User, input: SystemInput) -> Result<i64, AppError> {
    let id = parse_id(&input.id, "system")?;
    let sys = check_system(&input, id)?;
    let mut tx = begin_write(&st.pool).await?;
    if let Some(d) = sys.department {
        if !repo::department_exists(&mut tx, d).await? {
            return Err(AppError::field("department", "That department no longer exists."));
        }
    }
    if let Some(other) = repo::system_clash(&mut tx, &sys.name, &sys.key, id).await? {
        let field = if other.eq_ignore_ascii_case(&sys.name) { "name" } else { "key" };
        return Err(AppError::field(field, format!("Another system already uses this {field}.")));
    }
    let before = match id {
        Some(id) => audit::select(&mut tx, SYSTEM_AS_READ, id).await?,
        None => None,
    };
    let id = match id {
        Some(id) => {
            if !repo::update_system(&mut tx, id, &sys).await? {
                return Err(AppError::NotFound);
            }
            id
        }
        None => repo::insert_system(&mut tx, &sys, now_unix()).await?,
    };
    repo::set_dependencies(&mut tx, id, &sys.depends_on).await?;
    Entry::new(&user.actor(), "infrastructure", if before.is_some() { "update_system" } else { "create_system" })
        .object("system", id, &sys.name)
        .diff(before.as_ref(), audit::select(&mut tx, SYSTEM_AS_READ, id).await?.as_ref())
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Deletes a system with its checks and history; answers its name.
pub async fn delete_system(st: &AppState, user: &User, id: i64) -> Result<String, AppError> {
    let mut tx = begin_write(&st.pool).await?;
    let before = audit::select(&mut tx, SYSTEM_AS_READ, id).await?;
    let (name,): (String,) = sqlx::query_as("DELETE FROM systems WHERE id = ?1 RETURNING name").bind(id).fetch_optional(&mut *tx).await?.ok_or(AppError::NotFound)?;
    Entry::new(&user.actor(), "infrastructure", "delete_system").object("system", id, &name).diff(before.as_ref(), None).record(&mut tx).await?;
    tx.commit().await?;
    st.changes.tell(crate::platform::changes::Changed::System(id));
    st.part::<crate::infra::monitor::Monitor>().reload();
    Ok(name)
}

/// A person's status for a system without checks; with checks, the checks decide.
pub async fn set_manual_status(st: &AppState, user: &User, system_id: i64, status: &str, note: &str) -> Result<(), AppError> {
    let status = match Status::parse(status.trim()) {
        Some(s @ (Status::Operational | Status::Degraded | Status::Down)) => s,
        _ => return Err(AppError::field("status", "Choose operational, degraded or down.")),
    };
    let note = note.trim();
    if note.chars().count() > 500 {
        return Err(AppError::field("note", "Keep the note under 500 characters."));
    }
    let mut tx = begin_write(&st.pool).await?;
    let (checks,): (i64,) = sqlx::query_as("SELECT count(*) FROM checks WHERE system_id = ?1 AND enabled = 1").bind(system_id).fetch_one(&mut *tx).await?;
    let (name, old_status, old_note): (String, Option<String>, String) =
        sqlx::query_as("SELECT name, manual_status, manual_note FROM systems WHERE id = ?1").bind(system_id).fetch_optional(&mut *tx).await?.ok_or(AppError::NotFound)?;
    if checks > 0 {
        return Err(AppError::field("status", "This system has checks: its status comes from them. Pause its checks to set a status by hand."));
    }
    repo::set_manual_status(&mut tx, system_id, status, note).await?;
    refresh_system(&mut tx, system_id, now_unix(), Opener::Person).await?;
    Entry::new(&user.actor(), "infrastructure", "set_status")
        .object("system", system_id, &name)
        .change("status", old_status, Some(status.as_str().to_string()))
        .change("note", Some(old_note), Some(note.to_string()))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    st.changes.tell(crate::platform::changes::Changed::System(system_id));
    Ok(())
}

/// "2026-11-28T09:30" (a datetime-local field, read as UTC) to unix seconds, between 1970 and
/// two years ahead (maintenance is planned; callers bound what has happened more tightly).
pub fn parse_moment(text: &str, field: &str) -> Result<i64, AppError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(AppError::field(field, "Enter a date and time."));
    }
    chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M"))
        .map(|d| d.and_utc().timestamp())
        .map_err(|_| AppError::field(field, format!("{t:?} is not a date and time such as 2026-11-28T09:30.")))
        .and_then(|ts| crate::platform::time::planned(ts, now_unix()).map_err(|m| AppError::field(field, m)))
}

pub async fn save_maintenance(st: &AppState, user: &User, system_id: i64, starts: &str, ends: &str, note: &str) -> Result<i64, AppError> {
    let (a, b) = (parse_moment(starts, "starts"), parse_moment(ends, "ends"));
    let (a, b) = match (a, b) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => {
            let fields = [a.err(), b.err()].into_iter().flatten().flat_map(|e| match e {
                AppError::Invalid { fields, .. } => fields,
                _ => vec![],
            });
            return Err(AppError::fields(fields.collect()));
        }
    };
    if b <= a {
        return Err(AppError::field("ends", "The window must end after it starts."));
    }
    if b - a > 31 * DAY {
        return Err(AppError::field("ends", "A window can last at most 31 days."));
    }
    let mut tx = begin_write(&st.pool).await?;
    let name = system_name(&mut tx, system_id).await?;
    let id = repo::insert_maintenance(&mut tx, system_id, (a, b), note.trim(), Some(user.id)).await?;
    refresh_system(&mut tx, system_id, now_unix(), Opener::Person).await?;
    Entry::new(&user.actor(), "infrastructure", "add_maintenance")
        .object("system", system_id, name)
        .change("maintenance window", None, Some(format!("{} to {}", when(a), when(b))))
        .change("note", None, Some(note.trim().to_string()).filter(|n| !n.is_empty()))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    st.changes.tell(crate::platform::changes::Changed::System(system_id));
    Ok(id)
}

/// Deletes a maintenance window; answers it as "from … to …".
pub async fn delete_maintenance(st: &AppState, user: &User, id: i64) -> Result<String, AppError> {
    let mut tx = begin_write(&st.pool).await?;
    let (system_id, a, b): (i64, i64, i64) = sqlx::query_as("DELETE FROM maintenance_windows WHERE id = ?1 RETURNING system_id, starts_at, ends_at")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    refresh_system(&mut tx, system_id, now_unix(), Opener::Person).await?;
    let name = system_name(&mut tx, system_id).await?;
    Entry::new(&user.actor(), "infrastructure", "delete_maintenance")
        .object("system", system_id, name)
        .change("maintenance window", Some(format!("{} to {}", when(a), when(b))), None)
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    st.changes.tell(crate::platform::changes::Changed::System(system_id));
    Ok(format!("from {} to {}", when(a), when(b)))
}

/// A system as the trail shows it: its department and dependencies by name.
const SYSTEM_AS_READ: &str = "SELECT s.key, s.name, s.kind, d.name AS department, s.tier, s.slo_target, s.description, s.links,
       (SELECT group_concat(o.name, ', ') FROM system_dependencies x JOIN systems o ON o.id = x.depends_on WHERE x.system_id = s.id) AS depends_on
     FROM systems s LEFT JOIN departments d ON d.id = s.department_id WHERE s.id = ?1";

pub(super) async fn system_name(db: &mut SqliteConnection, id: i64) -> Result<String, AppError> {
    sqlx::query_scalar("SELECT name FROM systems WHERE id = ?1").bind(id).fetch_optional(db).await?.ok_or(AppError::NotFound)
}

pub async fn editor(db: &mut SqliteConnection, id: Option<i64>) -> Result<SystemEditor, AppError> {
    let all: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM systems ORDER BY name").fetch_all(&mut *db).await?;
    let departments = crate::admin::service::departments(&mut *db, None).await?.into_iter().map(|d| (d.id, d.name)).collect();
    let mut e = SystemEditor {
        systems: all.into_iter().filter(|(s, _)| Some(*s) != id).collect(),
        departments,
        kind: SystemKind::Service.as_str().into(),
        tier: "2".into(),
        slo: "99.9".into(),
        ..Default::default()
    };
    if let Some(id) = id {
        let s = repo::system(db, id).await?;
        let deps: Vec<(i64,)> = sqlx::query_as("SELECT depends_on FROM system_dependencies WHERE system_id = ?1").bind(id).fetch_all(&mut *db).await?;
        e.id = Some(id);
        e.key = s.key;
        e.name = s.name;
        e.kind = s.kind.as_str().into();
        e.tier = s.tier.to_string();
        e.department = s.department_id.map(|d| d.to_string()).unwrap_or_default();
        e.slo = super::board::slo_text(s.slo_target).trim_end_matches(" %").to_string();
        e.description = s.description;
        e.links = s.links;
        e.depends_on = deps.into_iter().map(|d| d.0).collect();
    }
    Ok(e)
}

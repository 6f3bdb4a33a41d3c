//! Evidence Northstar records itself, once a day, for the controls whose evidence comes from
//! what it already watches: the health checks (every system it covers has one switched on) and
//! the HTTPS checks' certificates (there are some, and none expires within 14 days). A day's
//! row is rewritten by each hourly look that day, so the latest look stands.

use super::super::model::{Outcome, Source};
use crate::platform::db::begin_write;
use crate::platform::error::AppError;
use crate::platform::time::date_of;
use sqlx::{SqliteConnection, SqlitePool};

/// A certificate closer than this to its end fails the control.
const CERTIFICATE_MARGIN_DAYS: i64 = 14;
const HOUR: i64 = 3600;

/// Looks at every automatic control in force and records today's evidence; how many were
/// recorded. A control with no system to look at gets none.
pub async fn collect(pool: &SqlitePool, now: i64) -> Result<usize, AppError> {
    let mut db = pool.acquire().await?;
    let controls: Vec<(i64, Source)> =
        sqlx::query_as("SELECT id, evidence FROM controls WHERE retired_on IS NULL AND evidence IN ('health_checks', 'tls') ORDER BY id").fetch_all(&mut *db).await?;
    let mut found = Vec::new();
    for (id, source) in controls {
        let looked = match source {
            Source::HealthChecks => health_checks(&mut db, id, now).await?,
            Source::Tls => certificates(&mut db, id, now).await?,
            _ => None,
        };
        if let Some((outcome, note)) = looked {
            found.push((id, outcome, note));
        }
    }
    drop(db);
    if found.is_empty() {
        return Ok(0);
    }
    let today = date_of(now).to_string();
    let mut tx = begin_write(pool).await?;
    for (id, outcome, note) in &found {
        sqlx::query(
            "INSERT INTO control_evidence (control_id, performed_on, result, note, by_label, at, automatic) VALUES (?1, ?2, ?3, ?4, 'Northstar', ?5, 1)
             ON CONFLICT (control_id, performed_on) WHERE automatic = 1 DO UPDATE SET result = excluded.result, note = excluded.note, at = excluded.at",
        )
        .bind(id)
        .bind(&today)
        .bind(outcome)
        .bind(note)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(found.len())
}

/// The systems a control covers: those named on it, else every system.
const COVERED: &str = "SELECT s.id, s.name FROM systems s
    WHERE NOT EXISTS (SELECT 1 FROM control_systems WHERE control_id = ?1) OR s.id IN (SELECT system_id FROM control_systems WHERE control_id = ?1)
    ORDER BY s.name COLLATE NOCASE";

async fn health_checks(db: &mut SqliteConnection, control: i64, now: i64) -> Result<Option<(Outcome, String)>, AppError> {
    let systems: Vec<(i64, String)> = sqlx::query_as(COVERED).bind(control).fetch_all(&mut *db).await?;
    if systems.is_empty() {
        return Ok(None);
    }
    let mut unwatched = Vec::new();
    let mut ran = 0;
    for (id, name) in &systems {
        let (enabled, recent): (i64, i64) = sqlx::query_as("SELECT count(*), count(*) FILTER (WHERE last_at >= ?2) FROM checks WHERE system_id = ?1 AND enabled = 1")
            .bind(id)
            .bind(now - HOUR)
            .fetch_one(&mut *db)
            .await?;
        if enabled == 0 {
            unwatched.push(name.clone());
        }
        ran += i64::from(recent > 0);
    }
    let all = crate::ui::plural(systems.len() as u64, "system", "systems");
    Ok(Some(if unwatched.is_empty() {
        (Outcome::Passed, format!("Each of the {all} has a health check switched on; {ran} checked in the last hour."))
    } else {
        (Outcome::Failed, format!("No health check watches {} (of {all}).", unwatched.join(", ")))
    }))
}

async fn certificates(db: &mut SqliteConnection, control: i64, now: i64) -> Result<Option<(Outcome, String)>, AppError> {
    let seen: Vec<(String, String, i64)> = sqlx::query_as(&format!(
        "SELECT s.name, c.target, c.tls_expires_at FROM checks c JOIN ({COVERED}) s ON s.id = c.system_id
         WHERE c.enabled = 1 AND c.tls_expires_at IS NOT NULL ORDER BY c.tls_expires_at"
    ))
    .bind(control)
    .fetch_all(&mut *db)
    .await?;
    if seen.is_empty() {
        return Ok(Some((Outcome::Failed, "No HTTPS check has seen a certificate on the systems this control covers: add HTTPS checks, or record its evidence by hand.".into())));
    }
    let limit = now + CERTIFICATE_MARGIN_DAYS * 86_400;
    let short: Vec<String> = seen.iter().filter(|(_, _, at)| *at < limit).map(|(system, target, at)| format!("{system} ({target}) until {}", date_of(*at))).collect();
    Ok(Some(if short.is_empty() {
        let first = date_of(seen[0].2);
        (Outcome::Passed, format!("{} valid for at least {CERTIFICATE_MARGIN_DAYS} more days; the first to expire ends on {first}.", crate::ui::plural(seen.len() as u64, "certificate", "certificates")))
    } else {
        (Outcome::Failed, format!("Expiring or expired: {}.", short.join("; ")))
    }))
}

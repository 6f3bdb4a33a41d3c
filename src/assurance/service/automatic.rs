//! Evidence Northstar records itself, once a day, for the controls whose evidence comes from
//! what it already watches: the health checks (every system it covers has one switched on),
//! the HTTPS checks' certificates (there are some, and none expires within 14 days), its own
//! backups (one in the last 26 hours) and restore tests (the latest, on its day). A day's row
//! is rewritten by each look that day (hourly, and after a backup or a restore test), so the
//! latest look stands.

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
    let controls: Vec<(i64, Source)> = sqlx::query_as(
        "SELECT id, evidence FROM controls WHERE retired_on IS NULL AND evidence IN ('health_checks', 'tls', 'backup', 'restore_test') ORDER BY id",
    )
    .fetch_all(&mut *db)
    .await?;
    let today = date_of(now).to_string();
    let mut found = Vec::new();
    for (id, source) in controls {
        let looked = match source {
            Source::HealthChecks => health_checks(&mut db, id, now).await?.map(|l| (today.clone(), l)),
            Source::Tls => certificates(&mut db, id, now).await?.map(|l| (today.clone(), l)),
            Source::Backup => backups(&mut db, id, now).await?.map(|l| (today.clone(), l)),
            Source::RestoreTest => restore_test(&mut db, id).await?,
            Source::Manual | Source::AccessReview => None,
        };
        if let Some((day, (outcome, note))) = looked {
            found.push((id, day, outcome, note));
        }
    }
    drop(db);
    if found.is_empty() {
        return Ok(0);
    }
    let mut tx = begin_write(pool).await?;
    for (id, day, outcome, note) in &found {
        sqlx::query(
            "INSERT INTO control_evidence (control_id, performed_on, result, note, by_label, at, automatic) VALUES (?1, ?2, ?3, ?4, 'Northstar', ?5, 1)
             ON CONFLICT (control_id, performed_on) WHERE automatic = 1 DO UPDATE SET result = excluded.result, note = excluded.note, at = excluded.at",
        )
        .bind(id)
        .bind(day)
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

/// Whether the control names systems; those without are about Northstar's own database.
async fn names_systems(db: &mut SqliteConnection, control: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar::<_, i64>("SELECT count(*) FROM control_systems WHERE control_id = ?1").bind(control).fetch_one(db).await? > 0)
}

/// Backups of what the control covers (the systems it names, else Northstar's own database)
/// within the last 26 hours: a day's, with room for a slow night.
async fn backups(db: &mut SqliteConnection, control: i64, now: i64) -> Result<Option<(Outcome, String)>, AppError> {
    let targets: Vec<(Option<i64>, String)> = if names_systems(&mut *db, control).await? {
        sqlx::query_as("SELECT s.id, s.name FROM control_systems x JOIN systems s ON s.id = x.system_id WHERE x.control_id = ?1 ORDER BY s.name COLLATE NOCASE").bind(control).fetch_all(&mut *db).await?
    } else {
        vec![(None, "Northstar".to_string())]
    };
    let mut missing = Vec::new();
    let mut seen = Vec::new();
    for (system, name) in targets {
        let last: Option<(i64, Option<i64>)> = sqlx::query_as("SELECT at, size_bytes FROM backup_runs WHERE system_id IS ?1 AND ok = 1 ORDER BY at DESC LIMIT 1").bind(system).fetch_optional(&mut *db).await?;
        match last {
            Some((at, size)) if at >= now - 26 * HOUR => seen.push(format!("{name} on {}{}", crate::platform::time::minute_utc(at), size.map(|s| format!(" ({})", crate::ui::bytes(s.max(0) as u64))).unwrap_or_default())),
            Some((at, _)) => missing.push(format!("{name} (last on {})", crate::platform::time::minute_utc(at))),
            None => missing.push(format!("{name} (never)")),
        }
    }
    Ok(Some(if missing.is_empty() {
        (Outcome::Passed, format!("Backed up in the last day: {}.", seen.join("; ")))
    } else {
        (Outcome::Failed, format!("No backup in the last day of {}. Schedule northstar backup daily, or use Back up now in Admin.", missing.join(", ")))
    }))
}

/// The latest restore test of what the control covers, on its own day.
async fn restore_test(db: &mut SqliteConnection, control: i64) -> Result<Option<(String, (Outcome, String))>, AppError> {
    let latest: Option<(i64, bool, String)> = if names_systems(&mut *db, control).await? {
        sqlx::query_as("SELECT at, ok, detail FROM restore_tests WHERE system_id IN (SELECT system_id FROM control_systems WHERE control_id = ?1) ORDER BY at DESC LIMIT 1")
            .bind(control)
            .fetch_optional(&mut *db)
            .await?
    } else {
        sqlx::query_as("SELECT at, ok, detail FROM restore_tests WHERE system_id IS NULL ORDER BY at DESC LIMIT 1").fetch_optional(&mut *db).await?
    };
    Ok(latest.map(|(at, ok, detail)| (date_of(at).to_string(), (if ok { Outcome::Passed } else { Outcome::Failed }, detail))))
}

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

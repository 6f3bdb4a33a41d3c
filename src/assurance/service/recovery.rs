//! Backups and restore tests of the company's systems (Northstar's own are `backups.rs`):
//! reported by their jobs through the token API, or a restore drill recorded by a person on the
//! system's page. They are the evidence of the backup and restore-test controls that name the
//! system, and the posture counts the systems with no passed restore test in a quarter.

use super::super::model::Outcome;
use super::super::view::{DrillInput, SystemProtection};
use super::{backups, scope, visible_system};
use crate::auth::User;
use crate::platform::api_items::Item;
use crate::platform::api_error::Detail;
use crate::platform::audit::{Actor, Entry};
use crate::platform::db::{begin_write, now_unix};
use crate::platform::error::{AppError, Problems};
use crate::platform::state::AppState;
use crate::platform::time::{date_of, DAY};
use crate::platform::validate::{parse_day, required_text};
use chrono::NaiveDate;
use serde_json::{Map, Value};
use sqlx::SqliteConnection;

/// A restore test counts for a quarter: with none passed in that long, a system is due one.
pub const RESTORE_TEST_DAYS: i64 = 92;
const WEEK_MS: i64 = 7 * DAY * 1000;

pub const BACKUP_FIELDS: &[&str] = &["at", "ok", "size_bytes", "duration_ms", "location", "detail"];
pub const RESTORE_FIELDS: &[&str] = &["at", "ok", "duration_ms", "detail"];

/// One run reported by a system's job: a backup (with its size and where it went) or a
/// restore test (with what it checked).
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub at: i64,
    pub ok: bool,
    pub size: Option<i64>,
    pub duration_ms: i64,
    pub location: String,
    pub detail: String,
}

/// A backup item of the token API: `ok` required, `at` now when absent.
pub fn backup_item(index: usize, map: &Map<String, Value>, now: i64, details: &mut Vec<Detail>) -> Option<Run> {
    let mut item = Item::new(index, map, details);
    item.only(BACKUP_FIELDS);
    let at = item.time("at", false, now).unwrap_or(now);
    let ok = item.flag("ok", None);
    let size = item.whole("size_bytes", 0..=i64::MAX, "bytes");
    let duration_ms = item.whole("duration_ms", 0..=WEEK_MS, "milliseconds").unwrap_or(0);
    let location = item.text("location", false, 500).unwrap_or_default();
    let detail = item.text("detail", false, 2000).unwrap_or_default();
    Some(Run { at, ok: ok?, size, duration_ms, location, detail })
}

/// A restore test item: what was restored and checked is required, pass or fail.
pub fn restore_item(index: usize, map: &Map<String, Value>, now: i64, details: &mut Vec<Detail>) -> Option<Run> {
    let mut item = Item::new(index, map, details);
    item.only(RESTORE_FIELDS);
    let at = item.time("at", false, now).unwrap_or(now);
    let ok = item.flag("ok", None);
    let duration_ms = item.whole("duration_ms", 0..=WEEK_MS, "milliseconds").unwrap_or(0);
    let detail = item.text("detail", true, 2000);
    Some(Run { at, ok: ok?, size: None, duration_ms, location: String::new(), detail: detail? })
}

/// Which kind of run a batch holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Backup,
    RestoreTest,
}

/// Stores a batch of runs for a system, whole or not at all, audited once; their ids. The
/// controls' automatic evidence is looked at again afterwards.
pub async fn store(pool: &sqlx::SqlitePool, by: &Actor, system: (i64, &str), kind: Kind, runs: &[Run]) -> Result<Vec<i64>, AppError> {
    let mut tx = begin_write(pool).await?;
    let mut ids = Vec::with_capacity(runs.len());
    for r in runs {
        let id: i64 = match kind {
            Kind::Backup => sqlx::query_scalar(
                "INSERT INTO backup_runs (system_id, at, ok, size_bytes, duration_ms, location, detail, by_label) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
            )
            .bind(system.0)
            .bind(r.at)
            .bind(r.ok)
            .bind(r.size)
            .bind(r.duration_ms)
            .bind(&r.location)
            .bind(&r.detail)
            .bind(&by.label)
            .fetch_one(&mut *tx)
            .await?,
            Kind::RestoreTest => sqlx::query_scalar("INSERT INTO restore_tests (system_id, at, ok, duration_ms, detail, by_label) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id")
                .bind(system.0)
                .bind(r.at)
                .bind(r.ok)
                .bind(r.duration_ms)
                .bind(&r.detail)
                .bind(&by.label)
                .fetch_one(&mut *tx)
                .await?,
        };
        ids.push(id);
    }
    let failed = runs.iter().filter(|r| !r.ok).count();
    let (action, what) = match kind {
        Kind::Backup => ("record_backups", crate::ui::plural(runs.len() as u64, "backup", "backups")),
        Kind::RestoreTest => ("record_restore_tests", crate::ui::plural(runs.len() as u64, "restore test", "restore tests")),
    };
    Entry::new(by, "assurance", action).object("system", system.0, system.1).detail(format!("{what}, {failed} failed")).record(&mut tx).await?;
    tx.commit().await?;
    super::automatic::collect(pool, now_unix()).await?;
    Ok(ids)
}

/// A restore drill a person performed, from the system's page; the system's name.
pub async fn record_drill(st: &AppState, user: &User, input: &DrillInput, now: i64) -> Result<String, AppError> {
    let system = crate::platform::error::address_id(&input.system_id)?.ok_or(AppError::NotFound)?;
    let name = visible_system(&mut *st.pool.acquire().await?, user, system).await?;
    let today = date_of(now);
    let mut p = Problems::default();
    let day = p.check("performed_on", parse_day(&input.performed_on, "day of the test").and_then(|d| if d > today { Err("It cannot be performed after today.".into()) } else { Ok(d) }));
    let ok = match Outcome::parse(&input.outcome) {
        Some(Outcome::Passed) => Some(true),
        Some(Outcome::Failed) => Some(false),
        _ => p.check("outcome", Err("Choose passed or failed.".to_string())),
    };
    let minutes = p.check(
        "minutes",
        input.minutes.trim().parse::<i64>().ok().filter(|m| (1..=7 * 24 * 60).contains(m)).ok_or_else(|| "Enter the minutes it took, from 1 to a week (10080).".to_string()),
    );
    let detail = p.check("detail", required_text(&input.detail, "note of what was restored and checked", 2000));
    p.finish()?;
    let (Some(day), Some(ok), Some(minutes), Some(detail)) = (day, ok, minutes, detail) else { return Err(AppError::field("detail", "Check the form.")) };
    // A drill today happened by now; an earlier one is dated at that day's noon.
    let at = if day == today { now } else { noon(day) };
    let run = Run { at, ok, size: None, duration_ms: minutes * 60_000, location: String::new(), detail };
    store(&st.pool, &user.actor(), (system, &name), Kind::RestoreTest, &[run]).await?;
    Ok(name)
}

/// Systems whose restores are tested: those that keep data (databases and storage), hold
/// personal data, or have been backed up or restored at all. A VPN gateway is none of these.
pub const KEEPS_DATA: &str = "(s.kind IN ('database', 'storage')
    OR EXISTS (SELECT 1 FROM processing_records r WHERE r.system_id = s.id AND r.personal_data = 1)
    OR EXISTS (SELECT 1 FROM backup_runs b WHERE b.system_id = s.id)
    OR EXISTS (SELECT 1 FROM restore_tests t WHERE t.system_id = s.id))";

async fn keeps_data(db: &mut SqliteConnection, system: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar(&format!("SELECT {KEEPS_DATA} FROM systems s WHERE s.id = ?1")).bind(system).fetch_optional(db).await?.unwrap_or(false))
}

/// A system keeping data is due a restore test on `day` when none passed (at `last_passed`) in
/// the quarter ending with that day; whole days, so the system's card and the posture agree
/// all day long.
pub fn restore_due(last_passed: Option<i64>, day: NaiveDate) -> bool {
    last_passed.is_none_or(|t| t < crate::platform::time::midnight(day) + DAY - RESTORE_TEST_DAYS * DAY)
}

fn noon(day: NaiveDate) -> i64 {
    day.and_hms_opt(12, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or_default()
}

/// A system's data protection card: `None` for a reader outside its department (they see the
/// system, not its records), like its findings.
pub async fn system_protection(db: &mut SqliteConnection, user: &User, system: i64, now: i64) -> Result<Option<SystemProtection>, AppError> {
    if scope(user).is_err() || visible_system(&mut *db, user, system).await.is_err() {
        return Ok(None);
    }
    let today = date_of(now);
    let record = super::privacy::line(&mut *db, system, today).await?;
    let history = backups::history(&mut *db, Some(system)).await?;
    let restored: Option<i64> = sqlx::query_scalar("SELECT max(at) FROM restore_tests WHERE system_id = ?1 AND ok = 1").bind(system).fetch_one(&mut *db).await?;
    let keeps = keeps_data(&mut *db, system).await?;
    Ok(Some(SystemProtection {
        review: record.review,
        held: record.held(),
        backups: history,
        restored_on: restored.map(|t| date_of(t).to_string()),
        keeps_data: keeps,
        restore_due: keeps && restore_due(restored, today),
        today: today.to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_796_300_000;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn backup_items_need_a_result_and_say_what_is_wrong_by_field() {
        let mut d = Vec::new();
        let run = backup_item(0, &obj(json!({"ok": true, "size_bytes": 1024, "duration_ms": 5000, "location": "s3://backups/db.dump"})), NOW, &mut d);
        assert_eq!(run, Some(Run { at: NOW, ok: true, size: Some(1024), duration_ms: 5000, location: "s3://backups/db.dump".into(), detail: String::new() }));
        assert!(d.is_empty());
        let run = backup_item(3, &obj(json!({"ok": "yes", "size_bytes": -1, "at": "2999-01-01T00:00:00Z", "color": "red"})), NOW, &mut d);
        assert_eq!(run, None);
        let mut fields: Vec<(usize, String)> = d.iter().map(|x| (x.index, x.field.clone())).collect();
        fields.sort();
        assert_eq!(fields, [(3, "at".to_string()), (3, "color".into()), (3, "ok".into()), (3, "size_bytes".into())]);
    }

    #[test]
    fn a_restore_test_says_what_it_checked() {
        let mut d = Vec::new();
        assert_eq!(restore_item(0, &obj(json!({"ok": false})), NOW, &mut d), None);
        assert_eq!((d[0].field.as_str(), d[0].message.as_str()), ("detail", "is required"));
        let mut d = Vec::new();
        let run = restore_item(0, &obj(json!({"ok": true, "at": 1_796_000_000, "duration_ms": 600000, "detail": "Restored to staging; 1.2M rows"})), NOW, &mut d).unwrap();
        assert_eq!((run.at, run.duration_ms, run.ok), (1_796_000_000, 600_000, true));
    }

    #[test]
    fn a_restore_test_counts_for_the_92_days_ending_today() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let end = crate::platform::time::midnight(today) + DAY;
        assert!(restore_due(None, today));
        assert!(!restore_due(Some(end - 92 * DAY), today), "92 days before the day's end still counts");
        assert!(restore_due(Some(end - 92 * DAY - 1), today));
    }

    #[test]
    fn durations_read_as_people_say_them() {
        use super::backups::took;
        assert_eq!([took(850), took(4_200), took(35 * 60_000), took(120 * 60_000), took(130 * 60_000)], ["850 ms", "4.2 s", "35 min", "2 h", "2 h 10 min"]);
    }
}

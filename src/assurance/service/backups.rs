//! Northstar's own backups and restore tests. A backup (`northstar backup`, or *Back up now* in
//! Admin) is a consistent copy of the database written with `VACUUM INTO`, recorded with its
//! size and duration, failed or not. A restore test does what a real restore does, on a
//! scratch copy of the latest backup: it opens it, brings it to this release's schema, checks
//! its integrity and counts what it holds; the result is recorded, and becomes the evidence of
//! the restore-test controls, as the backups are of the backup controls.

use super::super::view::{BackupLine, Backups, RestoreLine};
use crate::auth::User;
use crate::platform::audit::{Actor, Entry};
use crate::platform::changes::Changed;
use crate::platform::db::{begin_write, now_unix};
use crate::platform::error::AppError;
use crate::platform::state::AppState;
use crate::platform::time::minute_utc;
use sqlx::SqlitePool;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What the checks of a restored copy count, as (table, what one row is, what many are).
const COUNTED: [(&str, &str, &str); 5] = [
    ("users", "account", "accounts"),
    ("kpis", "KPI", "KPIs"),
    ("measurements", "measurement", "measurements"),
    ("systems", "system", "systems"),
    ("control_evidence", "piece of evidence", "pieces of evidence"),
];

/// Writes a consistent copy of the database to `to` (a new file) and records the run, failed
/// or not; the copy's size.
pub async fn back_up(pool: &SqlitePool, to: &Path, by: &Actor) -> Result<u64, String> {
    let started = Instant::now();
    let written = write_copy(pool, to).await;
    let ms = started.elapsed().as_millis() as i64;
    let (ok, size, detail) = match &written {
        Ok(size) => (true, Some(*size as i64), String::new()),
        Err(e) => (false, None, e.clone()),
    };
    let recorded = async {
        let mut tx = begin_write(pool).await?;
        sqlx::query("INSERT INTO backup_runs (system_id, at, ok, size_bytes, duration_ms, location, detail, by_label) VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7)")
            .bind(now_unix())
            .bind(ok)
            .bind(size)
            .bind(ms)
            .bind(to.to_string_lossy())
            .bind(&detail)
            .bind(&by.label)
            .execute(&mut *tx)
            .await?;
        let said = match &written {
            Ok(size) => format!("to {} ({})", to.display(), crate::ui::bytes(*size)),
            Err(e) => format!("failed: {e}"),
        };
        Entry::new(by, "assurance", "back_up").detail(said).record(&mut tx).await?;
        tx.commit().await?;
        super::automatic::collect(pool, now_unix()).await?;
        Ok::<(), AppError>(())
    }
    .await;
    if let Err(e) = recorded {
        tracing::warn!(error = %e, "the backup could not be recorded");
    }
    written
}

async fn write_copy(pool: &SqlitePool, to: &Path) -> Result<u64, String> {
    if to.exists() {
        return Err(format!("{} already exists; choose a new file name", to.display()));
    }
    let target = to.to_str().ok_or("the backup path must be valid UTF-8")?;
    // VACUUM INTO reads one consistent snapshot, so writers may carry on meanwhile.
    sqlx::query("VACUUM INTO ?1").bind(target).execute(pool).await.map_err(|e| format!("cannot write the backup to {}: {e}", to.display()))?;
    std::fs::metadata(to).map(|m| m.len()).map_err(|e| format!("cannot read the backup {}: {e}", to.display()))
}

/// Where *Back up now* writes: `backups/` beside the database, one file per moment.
pub fn next_backup_file(data_dir: &Path, now: i64) -> PathBuf {
    let stamp = chrono::DateTime::from_timestamp(now, 0).map(|d| d.format("%Y%m%d-%H%M%S").to_string()).unwrap_or_default();
    data_dir.join("backups").join(format!("northstar-{stamp}.db"))
}

/// *Back up now*, the CTO's: a backup into `backups/` beside the database.
pub async fn back_up_now(st: &AppState, cto: &User) -> Result<(PathBuf, u64), AppError> {
    let to = next_backup_file(&st.config.data_dir(), now_unix());
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).map_err(|e| AppError::BadRequest { message: format!("cannot create {}: {e}", dir.display()) })?;
    }
    let size = back_up(&st.pool, &to, &cto.actor()).await.map_err(|message| AppError::BadRequest { message })?;
    st.changes.tell(Changed::Controls);
    Ok((to, size))
}

/// Restores the latest good backup into a scratch file beside the database and checks it; the
/// test as recorded.
pub async fn test_restore(st: &AppState, cto: &User) -> Result<RestoreLine, AppError> {
    let latest: Option<(i64, String)> =
        sqlx::query_as("SELECT id, location FROM backup_runs WHERE system_id IS NULL AND ok = 1 ORDER BY at DESC, id DESC LIMIT 1").fetch_optional(&st.pool).await?;
    let Some((backup, location)) = latest else {
        return Err(AppError::BadRequest { message: "No backup of Northstar is recorded yet: back up first (Back up now, or northstar backup).".into() });
    };
    let started = Instant::now();
    let checked = check_restore(&st.config.data_dir(), Path::new(&location)).await;
    let ms = started.elapsed().as_millis() as i64;
    let (ok, detail) = match checked {
        Ok(found) => (true, format!("Restored {location} into a scratch copy: integrity check ok, schema brought to this release, {found}.")),
        Err(why) => (false, format!("Restoring {location} failed: {why}.")),
    };
    let now = now_unix();
    let mut tx = begin_write(&st.pool).await?;
    sqlx::query("INSERT INTO restore_tests (system_id, backup_id, at, ok, duration_ms, detail, by_label) VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(backup)
        .bind(now)
        .bind(ok)
        .bind(ms)
        .bind(&detail)
        .bind(&cto.name)
        .execute(&mut *tx)
        .await?;
    Entry::new(&cto.actor(), "assurance", "test_restore").detail(&detail).record(&mut tx).await?;
    tx.commit().await?;
    super::automatic::collect(&st.pool, now).await?;
    st.changes.tell(Changed::Controls);
    Ok(RestoreLine { at: minute_utc(now), ok, took: took(ms), detail, by: cto.name.clone() })
}

/// The restore itself, on a copy: what the restored database holds, or why it cannot be used.
async fn check_restore(data_dir: &Path, backup: &Path) -> Result<String, String> {
    if !backup.is_file() {
        return Err(format!("{} is not there any more", backup.display()));
    }
    let scratch = tempfile::Builder::new().prefix(".restore-test-").suffix(".db").tempfile_in(data_dir).map_err(|e| format!("cannot make a scratch file: {e}"))?;
    std::fs::copy(backup, scratch.path()).map_err(|e| format!("cannot copy it: {e}"))?;
    let url = format!("sqlite://{}", scratch.path().display());
    let pool = crate::platform::db::connect(&url).await.map_err(|e| e.to_string())?;
    let result = async {
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&pool).await.map_err(|e| format!("it is not a database ({e})"))?;
        if integrity != "ok" {
            return Err(format!("the integrity check says {integrity:?}"));
        }
        let ours: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations").fetch_one(&pool).await.map_err(|_| "it has no Northstar schema".to_string())?;
        if ours == 0 {
            return Err("it has no Northstar schema".into());
        }
        crate::platform::db::migrate(&pool).await.map_err(|e| format!("its schema cannot be brought to this release: {e}"))?;
        let mut found = Vec::new();
        for (table, one, many) in COUNTED {
            let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(&pool).await.map_err(|e| e.to_string())?;
            found.push(crate::ui::plural(n.max(0) as u64, one, many));
        }
        Ok(found.join(", "))
    }
    .await;
    pool.close().await;
    // The scratch file and its WAL go with it.
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", scratch.path().display()));
    }
    result
}

/// "850 ms", "4.2 s", "35 min", "2 h 10 min": a backup's or a restore drill's duration.
pub(super) fn took(ms: i64) -> String {
    let minutes = ms / 60_000;
    match ms {
        ..1_000 => format!("{ms} ms"),
        ..60_000 => format!("{:.1} s", ms as f64 / 1000.0),
        ..3_600_000 => format!("{minutes} min"),
        _ if minutes % 60 == 0 => format!("{} h", minutes / 60),
        _ => format!("{} h {} min", minutes / 60, minutes % 60),
    }
}

/// Northstar's latest backups and restore tests, for Admin.
pub async fn own(pool: &SqlitePool) -> Result<Backups, AppError> {
    history(&mut *pool.acquire().await?, None).await
}

/// The latest five backups and restore tests of a system (`None`: Northstar's own).
pub(super) async fn history(db: &mut sqlx::SqliteConnection, system: Option<i64>) -> Result<Backups, AppError> {
    let backups = sqlx::query_as::<_, (i64, bool, Option<i64>, i64, String, String, String)>(
        "SELECT at, ok, size_bytes, duration_ms, location, detail, by_label FROM backup_runs WHERE system_id IS ?1 ORDER BY at DESC, id DESC LIMIT 5",
    )
    .bind(system)
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|(at, ok, size, ms, location, detail, by)| BackupLine { at: minute_utc(at), ok, size: size.map(|s| crate::ui::bytes(s.max(0) as u64)), took: took(ms), location, detail, by })
    .collect();
    let tests = sqlx::query_as::<_, (i64, bool, i64, String, String)>("SELECT at, ok, duration_ms, detail, by_label FROM restore_tests WHERE system_id IS ?1 ORDER BY at DESC, id DESC LIMIT 5")
        .bind(system)
        .fetch_all(&mut *db)
        .await?
        .into_iter()
        .map(|(at, ok, ms, detail, by)| RestoreLine { at: minute_utc(at), ok, took: took(ms), detail, by })
        .collect();
    Ok(Backups { backups, tests })
}

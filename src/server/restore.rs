//! `northstar restore FILE`: puts a backup in place as the database.
//!
//! The backup is checked first (an SQLite file that passes `integrity_check` and was written by
//! Northstar), copied beside the database and renamed over it, so an interrupted restore leaves
//! either the old database or the new one. The old database's WAL and shared-memory files are
//! removed first: left behind, SQLite would replay the old WAL onto the restored file.

use crate::platform::config::Config;
use crate::platform::db;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

pub async fn restore(config: &Config, from: &Path, force: bool) -> Result<(), String> {
    let target = database_file(&config.database_url)?;
    check_backup(from).await?;
    if target.exists() && std::fs::metadata(&target).map(|m| m.len() > 0).unwrap_or(false) {
        if !force {
            return Err(format!(
                "{} already holds a database; restoring would replace it. Stop the server, then run again with --force.",
                target.display()
            ));
        }
        ensure_unused(&target).await?;
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let partial = sibling(&target, ".restoring");
    std::fs::copy(from, &partial).map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), partial.display()))?;
    std::fs::File::open(&partial).and_then(|f| f.sync_all()).map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
    for stale in [sibling(&target, "-wal"), sibling(&target, "-shm")] {
        let _ = std::fs::remove_file(stale);
    }
    std::fs::rename(&partial, &target).map_err(|e| format!("cannot move the restored copy into place: {e}"))?;
    // A backup from an earlier release is brought up to this one's schema.
    let pool = db::connect(&config.database_url).await.map_err(|e| e.to_string())?;
    db::migrate(&pool).await.map_err(|e| e.to_string())?;
    pool.close().await;
    println!("Restored {} into {}.", from.display(), target.display());
    Ok(())
}

/// `northstar.db` + `-wal` -> `northstar.db-wal`.
fn sibling(target: &Path, suffix: &str) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    target.with_file_name(format!("{name}{suffix}"))
}

fn database_file(url: &str) -> Result<PathBuf, String> {
    let options = SqliteConnectOptions::from_str(url).map_err(|e| format!("DATABASE_URL {url:?} cannot be used: {e}"))?;
    Ok(options.get_filename().to_path_buf())
}

/// The backup must be a sound SQLite database that Northstar wrote.
async fn check_backup(from: &Path) -> Result<(), String> {
    if !from.is_file() {
        return Err(format!("{} is not a file", from.display()));
    }
    let bad = |why: String| format!("{} is not a usable backup: {why}", from.display());
    let mut conn = SqliteConnectOptions::new().filename(from).read_only(true).connect().await.map_err(|e| bad(e.to_string()))?;
    let integrity: Result<String, _> = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut conn).await;
    match integrity {
        Ok(ok) if ok == "ok" => {}
        Ok(problem) => return Err(bad(format!("integrity check says {problem:?}"))),
        Err(e) => return Err(bad(e.to_string())),
    }
    let ours: Result<i64, _> = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations").fetch_one(&mut conn).await;
    if !ours.is_ok_and(|n| n > 0) {
        return Err(bad("it has no Northstar schema".into()));
    }
    let _ = conn.close().await;
    Ok(())
}

/// Refuses while another process (a running server) has the database open: replacing the file
/// under it would lose its writes or corrupt what it writes next.
async fn ensure_unused(target: &Path) -> Result<(), String> {
    let options = SqliteConnectOptions::new().filename(target).busy_timeout(Duration::ZERO).locking_mode(sqlx::sqlite::SqliteLockingMode::Exclusive);
    let in_use = || format!("{} is in use (is the server running?); stop it before restoring", target.display());
    let mut conn = options.connect().await.map_err(|_| in_use())?;
    // In exclusive locking mode the first write keeps the file's lock, which SQLite grants only
    // when no other connection has the database open.
    let locked = sqlx::query("BEGIN EXCLUSIVE").execute(&mut conn).await.is_ok() && sqlx::query("COMMIT").execute(&mut conn).await.is_ok();
    let _ = conn.close().await;
    if locked {
        Ok(())
    } else {
        Err(in_use())
    }
}

//! The SQLite pool, set up for a web server: many readers, one writer at a time, no surprises.

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous, SqliteTransactionManager};
use sqlx::{Connection, Sqlite, SqliteConnection, SqlitePool, Transaction, TransactionManager};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};
use tokio::sync::{Mutex, OwnedMutexGuard};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL {url:?} cannot be used: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("cannot create the data folder {}: {source}", path.display())]
    Folder { path: PathBuf, source: std::io::Error },
    #[error("cannot open the database {}: {source} (is its folder writable?)", path.display())]
    Open { path: PathBuf, source: sqlx::Error },
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub async fn connect(url: &str) -> Result<SqlitePool, DbError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| DbError::BadUrl { url: url.into(), reason: e.to_string() })?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // NORMAL is durable across application crashes in WAL mode; only an OS crash can
        // lose the last transactions, which is the usual trade for a dashboard.
        .synchronous(SqliteSynchronous::Normal)
        // Writers of this process queue in `begin_write` and never meet SQLite's lock; the
        // timeout covers other processes (the command line, a backup) holding it a while.
        .busy_timeout(Duration::from_secs(30))
        .foreign_keys(true)
        .optimize_on_close(true, None);
    let path = options.get_filename().to_path_buf();
    ensure_parent(&path)?;
    SqlitePoolOptions::new()
        .max_connections(8)
        .min_connections(1)
        // When a statement fails in a way that makes SQLite roll the transaction back by itself
        // (a full disk, an I/O error), sqlx's rollback on drop then fails too and the connection
        // goes on counting a transaction that no longer exists: every later `BEGIN` on it would
        // fail. Such a connection is closed instead of being reused.
        .after_release(|conn, _| {
            Box::pin(async move {
                conn.ping().await?;
                Ok(SqliteTransactionManager::get_transaction_depth(conn) == 0)
            })
        })
        .connect_with(options)
        .await
        .map_err(|source| DbError::Open { path, source })
}

fn ensure_parent(path: &Path) -> Result<(), DbError> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.exists() => std::fs::create_dir_all(dir)
            .map_err(|source| DbError::Folder { path: dir.to_path_buf(), source }),
        _ => Ok(()),
    }
}

pub async fn migrate(pool: &SqlitePool) -> Result<(), DbError> {
    sqlx::migrate!("./migrations").run(pool).await?;
    Ok(())
}

/// A write transaction, holding this process's turn to write until it commits or is dropped.
/// It dereferences to the connection, so queries take `&mut *tx` as with a plain transaction.
pub struct WriteTx {
    tx: Transaction<'static, Sqlite>,
    _turn: OwnedMutexGuard<()>,
}

impl std::ops::Deref for WriteTx {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.tx
    }
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    /// Undoes everything, as dropping it would, but waits for SQLite to have done so.
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

/// One queue of writers per database file. SQLite lets one writer in at a time; waiting in a
/// fair async queue instead of SQLite's busy-retry loop means writers are served in order,
/// none gives up with "database is locked", and a waiting writer holds no pooled connection
/// that readers need.
fn turn_for(pool: &SqlitePool) -> Arc<Mutex<()>> {
    static TURNS: LazyLock<std::sync::Mutex<HashMap<PathBuf, Arc<Mutex<()>>>>> = LazyLock::new(Default::default);
    let file = pool.connect_options().get_filename().to_path_buf();
    let mut turns = TURNS.lock().unwrap_or_else(|p| p.into_inner());
    turns.entry(file).or_default().clone()
}

/// Starts a write transaction once it is this writer's turn. `BEGIN IMMEDIATE` takes SQLite's
/// write lock at once: a deferred transaction that later upgrades to a write fails with
/// SQLITE_BUSY immediately, ignoring the busy timeout.
pub async fn begin_write(pool: &SqlitePool) -> Result<WriteTx, sqlx::Error> {
    let waited = std::time::Instant::now();
    let turn = turn_for(pool).lock_owned().await;
    let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    crate::platform::metrics::WRITE_LOCK_WAIT.observe(waited.elapsed().as_secs_f64());
    Ok(WriteTx { tx, _turn: turn })
}

/// Bounds the WAL file: SQLite's automatic checkpoint cannot finish while readers are
/// always active, so the server asks for one now and then.
pub async fn checkpoint(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(pool).await.map(|_| ())
}

pub fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

pub fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn pragmas_are_set_on_every_connection() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/nested/db.sqlite", dir.path().display());
        let pool = connect(&url).await.unwrap();
        let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode").fetch_one(&pool).await.unwrap();
        let (fk,): (i64,) = sqlx::query_as("PRAGMA foreign_keys").fetch_one(&pool).await.unwrap();
        let (busy,): (i64,) = sqlx::query_as("PRAGMA busy_timeout").fetch_one(&pool).await.unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(fk, 1);
        assert_eq!(busy, 30_000);
        migrate(&pool).await.unwrap();
        // Migrations are idempotent.
        migrate(&pool).await.unwrap();
    }

    #[tokio::test]
    async fn an_unwritable_folder_is_reported_by_path() {
        let err = connect("sqlite:///proc/northstar/db.sqlite").await.unwrap_err();
        assert!(err.to_string().contains("/proc/northstar"), "{err}");
    }

    #[tokio::test]
    async fn a_malformed_url_is_reported() {
        let err = connect("sqlite://x.db?mode=sideways").await.unwrap_err();
        assert!(matches!(err, DbError::BadUrl { .. }), "{err}");
    }
}

/// Reads the rows of `sql` packed into one JSON array by SQLite: sqlx hands rows over one by one
/// through a channel, which costs more than the query itself for a few thousand small rows.
pub async fn packed<T: serde::de::DeserializeOwned>(db: &mut SqliteConnection, sql: &str, binds: &[Option<i64>]) -> Result<Vec<T>, crate::platform::error::AppError> {
    let mut query = sqlx::query_scalar::<_, Option<String>>(sql);
    for b in binds {
        query = query.bind(*b);
    }
    let json = query.fetch_one(&mut *db).await?;
    serde_json::from_str(json.as_deref().unwrap_or("[]")).map_err(|e| {
        tracing::error!(error = %e, "unpacking rows failed");
        crate::platform::error::AppError::Internal
    })
}

/// The (id, name) rows of a choices query, for a form's select or checkboxes.
pub async fn choices(db: &mut SqliteConnection, sql: &str) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(sql).fetch_all(db).await
}

/// Whether `id` is among the rows of `sql` (a choices query).
pub async fn is_choice(db: &mut SqliteConnection, sql: &str, id: i64) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query_scalar::<_, i64>(&format!("SELECT count(*) FROM ({sql}) WHERE id = ?1")).bind(id).fetch_one(db).await? > 0)
}

/// An optional id chosen in a select or a checkbox: empty for none, else one of the rows of
/// `sql` (a choices query); anything else is a mistake at `field`, said with `what`.
pub async fn chosen(db: &mut SqliteConnection, p: &mut crate::platform::error::Problems, field: &str, text: &str, sql: &str, what: &str) -> Result<Option<i64>, sqlx::Error> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let id = text.parse::<i64>().ok();
    let known = match id {
        Some(id) => is_choice(db, sql, id).await?,
        None => false,
    };
    if !known {
        p.add(field, format!("Choose {what} from the list."));
        return Ok(None);
    }
    Ok(id)
}

/// A yes-or-no choice kept in the `settings` table, such as what investor reports show; a key
/// never set reads as no.
pub async fn flag(db: &mut SqliteConnection, key: &str) -> Result<bool, sqlx::Error> {
    let value: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?1").bind(key).fetch_optional(db).await?;
    Ok(value.as_deref() == Some("1"))
}

pub async fn set_flag(db: &mut SqliteConnection, key: &str, on: bool) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value").bind(key).bind(if on { "1" } else { "0" }).execute(db).await?;
    Ok(())
}

//! CSV imports: upload and validate into a staged file, then commit it all or nothing.

use super::csv;
use super::model::Kpi;
use super::repo;
use super::view::{ImportPreview, ImportProgress};
use crate::platform::error::AppError;
use crate::platform::money::Currency;
use crate::platform::audit::{Actor, Entry};
use crate::platform::db::begin_write;
use crate::platform::time::minute_utc;
use sqlx::SqlitePool;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Uploads larger than this are refused with 413 before they are read to the end.
pub const MAX_UPLOAD_BYTES: u64 = 64 * 1024 * 1024;
/// A staged file not committed within this time is discarded.
pub const STAGE_TTL: Duration = Duration::from_secs(60 * 60);

pub struct Staged {
    pub path: PathBuf,
    pub kpi_id: i64,
    pub user_id: i64,
    pub rows: u64,
    pub now: i64,
    created: Instant,
    pub done: AtomicU64,
    pub started: AtomicBool,
    pub finished: AtomicBool,
}

/// The staged imports of this server process, by their random token.
pub struct Imports {
    dir: PathBuf,
    staged: Mutex<HashMap<String, Arc<Staged>>>,
    uploading: Mutex<HashMap<i64, usize>>,
}

/// Files one person may have staged and not yet imported; staging another drops the oldest.
pub const MAX_STAGED_PER_USER: usize = 3;
/// Uploads one person may send at the same time.
pub const MAX_UPLOADS_PER_USER: usize = 2;

/// An upload under way; it stops counting against its owner when dropped.
pub struct Upload<'a> {
    imports: &'a Imports,
    user_id: i64,
}

impl Drop for Upload<'_> {
    fn drop(&mut self) {
        let mut uploading = self.imports.uploading.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = uploading.get_mut(&self.user_id) {
            *n -= 1;
            if *n == 0 {
                uploading.remove(&self.user_id);
            }
        }
    }
}

impl Imports {
    /// Staged files live in `dir`, which only the server's own user may enter: they hold
    /// company figures before anyone has confirmed them.
    pub fn new(dir: PathBuf) -> Self {
        Imports { dir, staged: Mutex::new(HashMap::new()), uploading: Mutex::new(HashMap::new()) }
    }

    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// Counts an upload against its owner's limit, or refuses it.
    pub fn begin_upload(&self, user_id: i64) -> Result<Upload<'_>, AppError> {
        let mut uploading = self.uploading.lock().unwrap_or_else(|p| p.into_inner());
        let n = uploading.entry(user_id).or_default();
        if *n >= MAX_UPLOADS_PER_USER {
            return Err(AppError::conflict(format!("You are already sending {MAX_UPLOADS_PER_USER} files; wait for them to be checked.")));
        }
        *n += 1;
        Ok(Upload { imports: self, user_id })
    }

    /// A fresh file path for an upload, in the private folder.
    pub fn new_path(&self) -> std::io::Result<(String, PathBuf)> {
        private_dir(&self.dir)?;
        let token = crate::auth::session::random_token();
        let path = self.dir.join(format!("{token}.csv"));
        Ok((token, path))
    }

    /// Keeps a checked file for its owner to confirm, dropping their oldest waiting one
    /// beyond the quota.
    pub fn stage(&self, token: &str, staged: Staged) {
        let mut map = self.staged.lock().unwrap_or_else(|p| p.into_inner());
        let mut waiting: Vec<(Instant, String)> = map
            .iter()
            .filter(|(_, s)| s.user_id == staged.user_id && !s.started.load(Ordering::Relaxed))
            .map(|(t, s)| (s.created, t.clone()))
            .collect();
        waiting.sort();
        let excess = (waiting.len() + 1).saturating_sub(MAX_STAGED_PER_USER);
        for (_, old) in waiting.into_iter().take(excess) {
            if let Some(s) = map.remove(&old) {
                let _ = std::fs::remove_file(&s.path);
            }
        }
        map.insert(token.to_string(), Arc::new(staged));
    }

    /// How many imports `user_id` has waiting.
    pub fn staged_for(&self, user_id: i64) -> usize {
        self.staged.lock().unwrap_or_else(|p| p.into_inner()).values().filter(|s| s.user_id == user_id).count()
    }

    /// The staged import behind `token`, if the same user staged it.
    pub fn get(&self, token: &str, user_id: i64) -> Option<Arc<Staged>> {
        let map = self.staged.lock().unwrap_or_else(|p| p.into_inner());
        map.get(token).filter(|s| s.user_id == user_id).cloned()
    }

    pub fn remove(&self, token: &str) {
        if let Some(s) = self.staged.lock().unwrap_or_else(|p| p.into_inner()).remove(token) {
            let _ = std::fs::remove_file(&s.path);
        }
    }

    /// Drops staged imports older than the time-to-live.
    pub fn sweep(&self) {
        let mut map = self.staged.lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|_, s| {
            let keep = s.created.elapsed() < STAGE_TTL || s.started.load(Ordering::Relaxed) && !s.finished.load(Ordering::Relaxed);
            if !keep {
                let _ = std::fs::remove_file(&s.path);
            }
            keep
        });
    }

    /// Removes files a previous run of the server staged and never imported (it may have been
    /// killed): nothing in memory refers to them any more.
    pub fn clear_leftovers(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return };
        for entry in entries.flatten() {
            if entry.path().extension().is_some_and(|e| e == "csv") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Creates `dir` if needed and makes it private to the server's own user (0700).
pub fn private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

impl Staged {
    pub fn new(path: PathBuf, kpi_id: i64, user_id: i64, rows: u64, now: i64) -> Self {
        Staged {
            path,
            kpi_id,
            user_id,
            rows,
            now,
            created: Instant::now(),
            done: AtomicU64::new(0),
            started: AtomicBool::new(false),
            finished: AtomicBool::new(false),
        }
    }

    pub fn progress(&self) -> ImportProgress {
        ImportProgress { done: self.done.load(Ordering::Relaxed), total: self.rows, finished: self.finished.load(Ordering::Relaxed) }
    }
}

/// Validates an uploaded file on a blocking thread, and counts the rows that will replace a
/// stored value, so the preview says so before anything is replaced.
pub async fn validate_file(pool: &SqlitePool, path: PathBuf, kpi: &Kpi, currency: Currency, now: i64) -> Result<ImportPreview, AppError> {
    let unit = kpi.unit;
    let (mut preview, times) = tokio::task::spawn_blocking(move || {
        let file = std::fs::File::open(&path)?;
        Ok::<_, std::io::Error>(csv::validate_with_times(std::io::BufReader::with_capacity(1 << 16, file), unit, currency, now))
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(|e| {
        tracing::error!(error = %e, "reading a staged import failed");
        AppError::Internal
    })?;
    if preview.error_count == 0 {
        preview.replaces = repo::count_stored_at(pool, kpi.id, &times).await?;
    }
    Ok(preview)
}

/// Stores every row of a staged file in one transaction: all of it, or (on any failure)
/// none of it. Parsing runs on a blocking thread and hands chunks to the writer.
pub async fn commit(pool: &SqlitePool, actor: &Actor, staged: &Staged, kpi: &Kpi, currency: Currency) -> Result<u64, AppError> {
    if staged.started.swap(true, Ordering::SeqCst) {
        return Err(AppError::conflict("This import is already running or done."));
    }
    let result = store(pool, actor, staged, kpi, currency).await;
    match &result {
        Ok(_) => staged.finished.store(true, Ordering::SeqCst),
        // The transaction rolled back: nothing was stored, so the import may be tried again.
        Err(_) => {
            staged.done.store(0, Ordering::SeqCst);
            staged.started.store(false, Ordering::SeqCst);
        }
    }
    result
}

async fn store(pool: &SqlitePool, actor: &Actor, staged: &Staged, kpi: &Kpi, currency: Currency) -> Result<u64, AppError> {
    let (tx_chunks, mut rx_chunks) = tokio::sync::mpsc::channel::<Vec<repo::NewPoint>>(4);
    let path = staged.path.clone();
    let (unit, now) = (kpi.unit, staged.now);
    let reader = tokio::task::spawn_blocking(move || {
        let file = std::fs::File::open(&path).map_err(|e| {
            tracing::error!(error = %e, "staged import vanished");
            AppError::Internal
        })?;
        csv::points(std::io::BufReader::with_capacity(1 << 16, file), unit, currency, now, repo::UPSERT_CHUNK, |chunk| {
            tx_chunks.blocking_send(chunk).is_ok()
        })
        .map_err(|e| AppError::field("file", format!("line {}: {}", e.line, e.message)))
    });

    let mut tx = begin_write(pool).await?;
    let (mut lo, mut hi, mut stored) = (i64::MAX, i64::MIN, 0u64);
    while let Some(chunk) = rx_chunks.recv().await {
        for p in &chunk {
            lo = lo.min(p.ts);
            hi = hi.max(p.ts);
        }
        repo::upsert_points(&mut *tx, kpi.id, &chunk, "csv").await?;
        stored += chunk.len() as u64;
        staged.done.store(stored, Ordering::Relaxed);
    }
    reader.await.map_err(|_| AppError::Internal)??;
    if stored > 0 {
        repo::refresh_rollups(&mut tx, kpi.id, lo, hi).await?;
        repo::bump_version(&mut *tx, kpi.id).await?;
    }
    let span = if stored > 0 { format!(" from {} to {}", minute_utc(lo), minute_utc(hi)) } else { String::new() };
    Entry::new(actor, "kpis", "import_measurements").object("kpi", &kpi.key, &kpi.name).detail(format!("{stored} value(s){span}, from a CSV file")).record(&mut tx).await?;
    tx.commit().await?;
    Ok(stored)
}

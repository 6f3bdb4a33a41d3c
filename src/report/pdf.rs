//! Report PDFs, printed by headless Chromium from the report's own print layout, so the PDF
//! and a browser's "Save as PDF" are the same document (vector charts, page breaks, running
//! header). Chromium is optional: without it the Download button prints from the browser.
//!
//! Chromium opens the report through a one-minute print grant kept in memory: a random token
//! that the share page accepts for exactly one published version, so no session cookie or
//! share link is ever handed to the child process.

use crate::auth::session::{digest, random_token};
use crate::platform::error::AppError;
use crate::platform::metrics::Metrics;
use bytes::Bytes;
use futures_util::future::{BoxFuture, FutureExt, Shared};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

const GRANT_TTL: Duration = Duration::from_secs(60);
const PRINT_TIMEOUT: Duration = Duration::from_secs(45);
/// Chromium processes at once: each takes a few hundred MB.
const SLOTS: usize = 2;
/// Different versions printing or waiting to print; more are turned away with 503, so a link
/// holder looping over versions cannot queue work without end.
const MAX_PENDING: usize = 6;

type Render = Shared<BoxFuture<'static, Result<Bytes, AppError>>>;

pub struct Printer {
    chromium: Option<PathBuf>,
    base: OnceLock<String>,
    grants: Mutex<HashMap<Vec<u8>, (i64, i64, Instant)>>,
    slots: Semaphore,
    /// Where printed versions are kept: a published version never changes, so it is printed
    /// once (per release of Northstar, whose layout might change) and served from here.
    dir: PathBuf,
    /// Renders under way, shared by every request for the same version.
    pending: Mutex<HashMap<(i64, i64), Render>>,
    metrics: Arc<Metrics>,
}

impl Printer {
    pub fn new(chromium: Option<PathBuf>, dir: PathBuf, metrics: Arc<Metrics>) -> Printer {
        Printer {
            chromium,
            base: OnceLock::new(),
            grants: Mutex::new(HashMap::new()),
            slots: Semaphore::new(SLOTS),
            dir,
            pending: Mutex::new(HashMap::new()),
            metrics,
        }
    }

    pub fn available(&self) -> bool {
        self.chromium.is_some() && self.base.get().is_some()
    }

    /// Where the server itself listens, for Chromium to load the page from.
    pub fn listening_on(&self, addr: SocketAddr) {
        let host = if addr.ip().is_unspecified() { "127.0.0.1".to_string() } else { addr.ip().to_string() };
        let host = if addr.is_ipv6() && !addr.ip().is_unspecified() { format!("[{host}]") } else { host };
        let _ = self.base.set(format!("http://{host}:{}", addr.port()));
    }

    /// The (report, version) a print grant opens, if it is one and still fresh.
    pub fn grant(&self, token: &str) -> Option<(i64, i64)> {
        let grants = self.grants.lock().ok()?;
        grants.get(&digest(token)).filter(|g| g.2.elapsed() < GRANT_TTL).map(|g| (g.0, g.1))
    }

    fn cached_path(&self, report_id: i64, version: i64) -> PathBuf {
        self.dir.join(format!("report-{report_id}-v{version}-{}.pdf", env!("CARGO_PKG_VERSION")))
    }

    /// The PDF of a published version: from the cache, from a render already under way, or
    /// from a new render if fewer than `MAX_PENDING` are under way.
    pub async fn pdf(self: &Arc<Self>, report_id: i64, version: i64) -> Result<Bytes, AppError> {
        if !self.available() {
            return Err(AppError::Unavailable { message: "PDFs are not produced on this server. Use Print and choose \"Save as PDF\".".into() });
        }
        let path = self.cached_path(report_id, version);
        if let Ok(bytes) = tokio::fs::read(&path).await {
            return Ok(Bytes::from(bytes));
        }
        let render = {
            let mut pending = self.pending.lock().map_err(|_| AppError::Internal)?;
            match pending.get(&(report_id, version)) {
                Some(render) => render.clone(),
                None if pending.len() >= MAX_PENDING => {
                    return Err(AppError::Busy { message: "The PDF printer is busy. Try again in a few seconds.".into(), retry_after_secs: 10 });
                }
                None => {
                    // A task of its own, so the print finishes (and leaves the queue) even when
                    // every reader waiting for it has gone away.
                    let task = tokio::spawn(self.clone().render(report_id, version));
                    let render = async move { task.await.unwrap_or(Err(AppError::Internal)) }.boxed().shared();
                    pending.insert((report_id, version), render.clone());
                    render
                }
            }
        };
        render.await
    }

    async fn render(self: Arc<Self>, report_id: i64, version: i64) -> Result<Bytes, AppError> {
        let result = self.print(report_id, version).await;
        if let Ok(bytes) = &result {
            self.keep(report_id, version, bytes).await;
        }
        if let Ok(mut pending) = self.pending.lock() {
            pending.remove(&(report_id, version));
        }
        result
    }

    /// Stores a printed version; a failure only means it is printed again next time.
    async fn keep(&self, report_id: i64, version: i64, bytes: &[u8]) {
        let path = self.cached_path(report_id, version);
        let partial = path.with_extension("partial");
        let written = async {
            tokio::fs::create_dir_all(&self.dir).await?;
            tokio::fs::write(&partial, bytes).await?;
            tokio::fs::rename(&partial, &path).await
        }
        .await;
        if let Err(e) = written {
            tracing::warn!(error = %e, path = %path.display(), "a printed PDF could not be kept");
            let _ = tokio::fs::remove_file(&partial).await;
        }
    }

    async fn print(&self, report_id: i64, version: i64) -> Result<Bytes, AppError> {
        let (Some(chromium), Some(base)) = (self.chromium.as_ref(), self.base.get()) else {
            return Err(AppError::Unavailable { message: "PDFs are not produced on this server. Use Print and choose \"Save as PDF\".".into() });
        };
        let _slot = self.slots.acquire().await.map_err(|_| AppError::Internal)?;
        let token = random_token();
        let key = digest(&token);
        {
            let mut grants = self.grants.lock().map_err(|_| AppError::Internal)?;
            grants.retain(|_, g| g.2.elapsed() < GRANT_TTL);
            grants.insert(key.clone(), (report_id, version, Instant::now()));
        }
        self.metrics.pdf_renders.inc();
        let result = run_chromium(chromium, &format!("{base}/share/{token}")).await;
        if let Ok(mut grants) = self.grants.lock() {
            grants.remove(&key);
        }
        result.map(Bytes::from)
    }
}

async fn run_chromium(chromium: &PathBuf, url: &str) -> Result<Vec<u8>, AppError> {
    let dir = tempfile::tempdir().map_err(|e| {
        tracing::error!(error = %e, "no temporary folder for a PDF");
        AppError::Internal
    })?;
    let out = dir.path().join("report.pdf");
    let mut child = tokio::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-pdf-header-footer",
            "--run-all-compositor-stages-before-draw",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg(format!("--print-to-pdf={}", out.display()))
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| {
            tracing::error!(error = %e, chromium = %chromium.display(), "cannot start Chromium");
            AppError::Unavailable { message: "The PDF printer could not be started. Use Print and choose \"Save as PDF\".".into() }
        })?;
    let stderr = child.stderr.take();
    let status = match tokio::time::timeout(PRINT_TIMEOUT, child.wait()).await {
        Ok(status) => status.map_err(|_| AppError::Internal)?,
        Err(_) => {
            let _ = child.kill().await;
            tracing::error!("Chromium did not finish the PDF in {PRINT_TIMEOUT:?}");
            return Err(AppError::Unavailable { message: "Printing the PDF took too long. Try again, or use Print.".into() });
        }
    };
    let bytes = tokio::fs::read(&out).await.unwrap_or_default();
    if !status.success() || !bytes.starts_with(b"%PDF") {
        let mut detail = String::new();
        if let Some(mut e) = stderr {
            use tokio::io::AsyncReadExt;
            let _ = e.read_to_string(&mut detail).await;
        }
        tracing::error!(%status, detail = %detail.lines().rev().take(5).collect::<Vec<_>>().join(" | "), "Chromium produced no PDF");
        return Err(AppError::Unavailable { message: "The PDF could not be produced. Use Print and choose \"Save as PDF\".".into() });
    }
    Ok(bytes)
}

/// "Q3 2026 technology report" -> "q3-2026-technology-report".
pub fn file_name(title: &str, version: i64) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "report" } else { &slug[..slug.len().min(80)] };
    format!("{slug}-v{version}.pdf")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_plain() {
        assert_eq!(file_name("Q3 2026: Technology report", 2), "q3-2026-technology-report-v2.pdf");
        assert_eq!(file_name("\"../../etc\"", 1), "etc-v1.pdf");
        assert_eq!(file_name("???", 1), "report-v1.pdf");
    }

    #[test]
    fn grants_open_one_version_until_they_expire() {
        let p = Printer::new(None, PathBuf::new(), Arc::default());
        let token = random_token();
        p.grants.lock().unwrap().insert(digest(&token), (4, 2, Instant::now()));
        assert_eq!(p.grant(&token), Some((4, 2)));
        assert_eq!(p.grant(&random_token()), None);
        p.grants.lock().unwrap().insert(digest(&token), (4, 2, Instant::now() - GRANT_TTL));
        assert_eq!(p.grant(&token), None);
    }

    #[test]
    fn without_chromium_there_is_no_pdf() {
        let p = Printer::new(None, PathBuf::new(), Arc::default());
        p.listening_on("0.0.0.0:3000".parse().unwrap());
        assert!(!p.available());
        assert_eq!(p.base.get().unwrap(), "http://127.0.0.1:3000");
    }
}

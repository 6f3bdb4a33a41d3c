//! Reports, their frozen versions and share links in SQLite.

use crate::platform::audit::{Actor, Entry};
use super::view::{Commentary, ReportRow, ShareLinkRow, Snapshot, VersionRow};
use crate::auth::session::{digest, random_token};
use crate::platform::error::AppError;
use crate::platform::time::minute_utc as when;
use sqlx::{SqliteConnection, SqlitePool};

pub const TITLE_MAX: usize = 160;
pub const NOTE_MAX: usize = 2000;
pub const LABEL_MAX: usize = 120;
/// A share link lives at most this long.
pub const LINK_MAX_DAYS: i64 = 366;

/// Every report for the CTO (drafts too); only published ones for anyone else.
pub async fn list(db: &mut SqliteConnection, with_drafts: bool) -> Result<Vec<ReportRow>, AppError> {
    let rows: Vec<(i64, String, String, Option<i64>, Option<String>, Option<String>, String)> = sqlx::query_as(
        r#"SELECT r.id, r.title, r.period, v.version, v.published_at, v.period_label, r.updated_at
           FROM reports r
           LEFT JOIN report_versions v ON v.report_id = r.id
                AND v.version = (SELECT max(version) FROM report_versions WHERE report_id = r.id)
           WHERE ?1 OR v.id IS NOT NULL
           ORDER BY coalesce(v.published_at, r.updated_at) DESC, r.id DESC"#,
    )
    .bind(with_drafts)
    .fetch_all(&mut *db)
    .await?;
    let today = chrono::Utc::now().date_naive();
    Ok(rows
        .into_iter()
        .map(|(id, title, period, version, published_at, label, updated_at)| ReportRow {
            id,
            title,
            period_label: label.unwrap_or_else(|| crate::infra::service::sla::parse_period(&period, today).map(|p| p.2).unwrap_or(period)),
            draft: with_drafts && published_at.as_deref().is_none_or(|p| updated_at.as_str() > p),
            version,
            published_at: published_at.as_deref().map(stamp),
        })
        .collect())
}

pub async fn create(db: &mut SqliteConnection, user_id: i64, title: &str, period: &str) -> Result<i64, AppError> {
    let id: i64 = sqlx::query_scalar("INSERT INTO reports (title, period, created_by) VALUES (?1, ?2, ?3) RETURNING id")
        .bind(title)
        .bind(period)
        .bind(user_id)
        .fetch_one(&mut *db)
        .await?;
    Ok(id)
}

pub async fn draft(db: &mut SqliteConnection, id: i64) -> Result<(String, String, Commentary), AppError> {
    let row: Option<(String, String, String)> = sqlx::query_as("SELECT title, period, commentary FROM reports WHERE id = ?1").bind(id).fetch_optional(&mut *db).await?;
    let (title, period, commentary) = row.ok_or(AppError::NotFound)?;
    Ok((title, period, serde_json::from_str(&commentary).unwrap_or_default()))
}

pub async fn save_draft(db: &mut SqliteConnection, id: i64, title: &str, period: &str, commentary: &Commentary) -> Result<(), AppError> {
    let json = serde_json::to_string(commentary).map_err(|_| AppError::Internal)?;
    let changed = sqlx::query(
        "UPDATE reports SET title = ?2, period = ?3, commentary = ?4, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
    )
    .bind(id)
    .bind(title)
    .bind(period)
    .bind(json)
    .execute(&mut *db)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// A report may be deleted only while nothing of it has been published: readers may hold
/// links to a published one.
pub async fn delete(db: &mut SqliteConnection, id: i64) -> Result<String, AppError> {
    let (title, _, _) = draft(db, id).await?;
    if latest_version(db, id).await?.is_some() {
        return Err(AppError::conflict("This report has been published, so it stays: publish a corrected version instead."));
    }
    sqlx::query("DELETE FROM reports WHERE id = ?1").bind(id).execute(&mut *db).await?;
    Ok(title)
}

pub async fn latest_version(db: &mut SqliteConnection, id: i64) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT max(version) FROM report_versions WHERE report_id = ?1").bind(id).fetch_one(&mut *db).await?)
}

pub async fn versions(db: &mut SqliteConnection, id: i64) -> Result<Vec<VersionRow>, AppError> {
    let rows: Vec<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
        r#"SELECT v.version, v.published_at, u.name, v.note FROM report_versions v
           LEFT JOIN users u ON u.id = v.published_by WHERE v.report_id = ?1 ORDER BY v.version DESC"#,
    )
    .bind(id)
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(version, at, by, note)| VersionRow { version, published_at: stamp(&at), published_by: by.unwrap_or_else(|| "—".into()), note })
        .collect())
}

/// Freezes `snapshot` as the report's next version; returns its number.
pub async fn publish(db: &mut SqliteConnection, user_id: i64, id: i64, note: Option<&str>, snapshot: &Snapshot) -> Result<i64, AppError> {
    let next = latest_version(db, id).await?.unwrap_or(0) + 1;
    if next > 1 && note.is_none() {
        return Err(AppError::field("note", "Say what this correction changes: readers of the earlier version will see the note."));
    }
    let json = serde_json::to_string(snapshot).map_err(|_| AppError::Internal)?;
    sqlx::query(
        "INSERT INTO report_versions (report_id, version, title, period_label, note, snapshot, published_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .bind(id)
    .bind(next)
    .bind(&snapshot.title)
    .bind(&snapshot.period_label)
    .bind(note)
    .bind(json)
    .bind(user_id)
    .execute(&mut *db)
    .await?;
    // The draft now matches what was published.
    sqlx::query("UPDATE reports SET updated_at = (SELECT published_at FROM report_versions WHERE report_id = ?1 AND version = ?2) WHERE id = ?1")
        .bind(id)
        .bind(next)
        .execute(&mut *db)
        .await?;
    Ok(next)
}

pub struct StoredVersion {
    pub version: i64,
    pub published_at: String,
    pub note: Option<String>,
    pub snapshot: Snapshot,
}

/// A published version (the latest when `version` is None); NotFound when the report does not
/// exist or has no such published version, so a reader cannot tell drafts from nothing.
pub async fn published(db: &mut SqliteConnection, id: i64, version: Option<i64>) -> Result<StoredVersion, AppError> {
    let row: Option<(i64, String, Option<String>, String)> = sqlx::query_as(
        r#"SELECT version, published_at, note, snapshot FROM report_versions
           WHERE report_id = ?1 AND (?2 IS NULL OR version = ?2) ORDER BY version DESC LIMIT 1"#,
    )
    .bind(id)
    .bind(version)
    .fetch_optional(&mut *db)
    .await?;
    let (version, at, note, json) = row.ok_or(AppError::NotFound)?;
    let snapshot = serde_json::from_str(&json).map_err(|e| {
        tracing::error!(error = %e, report = id, version, "stored snapshot unreadable");
        AppError::Internal
    })?;
    Ok(StoredVersion { version, published_at: stamp(&at), note, snapshot })
}

/// A link works through the whole of its last day (UTC) and stops at the next midnight; people
/// entered, and expect to read back, the last day.
pub fn last_day(expires_at: i64) -> String {
    chrono::DateTime::from_timestamp(expires_at - 1, 0).map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

pub async fn links(db: &mut SqliteConnection, report_id: i64, now: i64) -> Result<Vec<ShareLinkRow>, AppError> {
    let rows: Vec<(i64, String, i64, Option<i64>, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, label, expires_at, revoked_at, uses, last_used_at FROM report_share_links WHERE report_id = ?1 ORDER BY id DESC",
    )
    .bind(report_id)
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, label, expires, revoked, uses, last)| ShareLinkRow {
            id,
            label,
            expires: last_day(expires),
            state: if revoked.is_some() { "revoked" } else if expires <= now { "expired" } else { "active" }.into(),
            uses,
            last_used: last.map(when),
        })
        .collect())
}

/// Returns the token, which is never stored and cannot be shown again.
pub async fn create_link(db: &mut SqliteConnection, user_id: i64, report_id: i64, label: &str, expires_at: i64, now: i64) -> Result<String, AppError> {
    let token = random_token();
    sqlx::query("INSERT INTO report_share_links (report_id, token_hash, label, expires_at, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(report_id)
        .bind(digest(&token))
        .bind(label)
        .bind(expires_at)
        .bind(user_id)
        .bind(now)
        .execute(&mut *db)
        .await?;
    Ok(token)
}

/// Withdraws a link; answers its report and label.
pub async fn revoke_link(db: &mut SqliteConnection, link_id: i64, now: i64) -> Result<(i64, String), AppError> {
    let found: Option<(i64, String)> = sqlx::query_as("SELECT report_id, label FROM report_share_links WHERE id = ?1").bind(link_id).fetch_optional(&mut *db).await?;
    let (report_id, label) = found.ok_or(AppError::NotFound)?;
    sqlx::query("UPDATE report_share_links SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1").bind(link_id).bind(now).execute(&mut *db).await?;
    Ok((report_id, label))
}

/// Why a share token does not open a report.
#[derive(Debug, PartialEq)]
pub enum LinkRefusal {
    Unknown,
    Expired,
    Revoked,
}

/// The report a share token opens, counting the visit. Only a live link's visit writes: an
/// unknown, expired or withdrawn token is looked up and refused without taking the write
/// lock, so guessing tokens cannot queue up behind real writers.
pub async fn open_link(pool: &SqlitePool, token: &str, now: i64) -> Result<Result<i64, LinkRefusal>, AppError> {
    // Tokens are 43 URL-safe characters; anything else cannot match and is not looked up.
    if token.len() != 43 || !token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Ok(Err(LinkRefusal::Unknown));
    }
    let row: Option<(i64, i64, i64, Option<i64>, String)> =
        sqlx::query_as("SELECT id, report_id, expires_at, revoked_at, label FROM report_share_links WHERE token_hash = ?1").bind(digest(token)).fetch_optional(pool).await?;
    let (id, report_id, label) = match row {
        None => return Ok(Err(LinkRefusal::Unknown)),
        Some((_, _, _, Some(_), _)) => return Ok(Err(LinkRefusal::Revoked)),
        Some((_, _, expires, None, _)) if expires <= now => return Ok(Err(LinkRefusal::Expired)),
        Some((id, report_id, _, None, label)) => (id, report_id, label),
    };
    let mut tx = crate::platform::db::begin_write(pool).await?;
    // Withdrawn in the meantime: the visit is not counted, and not let in.
    let counted = sqlx::query("UPDATE report_share_links SET uses = uses + 1, last_used_at = ?2 WHERE id = ?1 AND revoked_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if counted == 1 {
        // Who read what, when: the link stands in for the reader.
        Entry::new(&Actor::link(id, &label), "reports", "open_share_link").object("report", report_id, &label).record(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(if counted == 1 { Ok(report_id) } else { Err(LinkRefusal::Revoked) })
}

/// A stored UTC timestamp ("2026-10-03T09:12:00Z") as pages show it.
fn stamp(at: &str) -> String {
    at.replace('T', " ").trim_end_matches('Z').to_string()
}

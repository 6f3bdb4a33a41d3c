//! Findings into a system's list, in the caller's transaction: every finding is matched to the
//! one it was last time (by source and key) or added; what a source that ran no longer reports
//! is fixed. The findings go through a temporary table so that matching is a few statements
//! over indexes, whatever their number, instead of a query per finding.

use super::sarif::ScanFinding;
use crate::platform::error::AppError;
use sqlx::SqliteConnection;

/// What an import did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub new: u64,
    /// Reported again, open before and still open.
    pub seen: u64,
    /// Reported again, open, after it had been fixed.
    pub reopened: u64,
    /// Open before, fixed now: no longer reported, or reported as fixed.
    pub fixed: u64,
}

/// Rows per INSERT into the scan table: 10 parameters each, well under SQLite's 32,766.
const CHUNK: usize = 1000;

/// Applies what `tools` report of `system` (they may have found nothing) at `now`.
pub async fn apply(db: &mut SqliteConnection, system: i64, tools: &[String], found: &[ScanFinding], now: i64) -> Result<Counts, AppError> {
    sqlx::query(
        "CREATE TEMP TABLE IF NOT EXISTS scan_rows (tool TEXT NOT NULL, rule TEXT NOT NULL, match_key TEXT NOT NULL, title TEXT NOT NULL,
             severity TEXT NOT NULL, location TEXT NOT NULL, message TEXT NOT NULL, help TEXT, first_seen INTEGER, fixed_at INTEGER,
             PRIMARY KEY (tool, match_key)) WITHOUT ROWID",
    )
    .execute(&mut *db)
    .await?;
    sqlx::query("DELETE FROM scan_rows").execute(&mut *db).await?;
    for chunk in found.chunks(CHUNK) {
        let rows = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ");
        let sql = format!("INSERT OR IGNORE INTO scan_rows (tool, rule, match_key, title, severity, location, message, help, first_seen, fixed_at) VALUES {rows}");
        let mut q = sqlx::query(&sql);
        for f in chunk {
            q = q.bind(&f.tool).bind(&f.rule).bind(&f.key).bind(&f.title).bind(f.severity.as_str()).bind(&f.location).bind(&f.message).bind(&f.help).bind(f.first_seen).bind(f.fixed_at);
        }
        q.execute(&mut *db).await?;
    }
    let (reopened, fixed_now): (i64, i64) = sqlx::query_as(
        "SELECT coalesce(sum(f.fixed_at IS NOT NULL AND s.fixed_at IS NULL), 0), coalesce(sum(f.fixed_at IS NULL AND s.fixed_at IS NOT NULL), 0)
         FROM findings f JOIN scan_rows s ON s.tool = f.tool AND s.match_key = f.match_key WHERE f.system_id = ?1",
    )
    .bind(system)
    .fetch_one(&mut *db)
    .await?;
    // A source's own first sighting counts when it is earlier than ours; nothing is seen or
    // fixed after now, whatever a scanner's clock says.
    let matched = sqlx::query(
        "UPDATE findings SET rule = s.rule, title = s.title, severity = s.severity, location = s.location, message = s.message, help = s.help,
                first_seen = min(findings.first_seen, coalesce(s.first_seen, findings.first_seen), coalesce(s.fixed_at, findings.first_seen)), last_seen = ?2, fixed_at = min(s.fixed_at, ?2)
         FROM scan_rows s WHERE findings.system_id = ?1 AND findings.tool = s.tool AND findings.match_key = s.match_key",
    )
    .bind(system)
    .bind(now)
    .execute(&mut *db)
    .await?
    .rows_affected();
    let new = sqlx::query(
        "INSERT INTO findings (system_id, tool, rule, match_key, title, severity, location, message, help, first_seen, last_seen, fixed_at)
         SELECT ?1, s.tool, s.rule, s.match_key, s.title, s.severity, s.location, s.message, s.help,
                min(coalesce(s.first_seen, ?2), coalesce(s.fixed_at, ?2), ?2), ?2, min(s.fixed_at, ?2) FROM scan_rows s
         WHERE NOT EXISTS (SELECT 1 FROM findings f WHERE f.system_id = ?1 AND f.tool = s.tool AND f.match_key = s.match_key)",
    )
    .bind(system)
    .bind(now)
    .execute(&mut *db)
    .await?
    .rows_affected();
    let mut fixed = fixed_now as u64;
    for tool in tools {
        fixed += sqlx::query(
            "UPDATE findings SET fixed_at = ?3 WHERE system_id = ?1 AND tool = ?2 AND fixed_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM scan_rows s WHERE s.tool = findings.tool AND s.match_key = findings.match_key)",
        )
        .bind(system)
        .bind(tool)
        .bind(now)
        .execute(&mut *db)
        .await?
        .rows_affected();
    }
    sqlx::query("DELETE FROM scan_rows").execute(&mut *db).await?;
    let (reopened, fixed_now) = (reopened as u64, fixed_now as u64);
    Ok(Counts { new, seen: matched - reopened - fixed_now, reopened, fixed })
}

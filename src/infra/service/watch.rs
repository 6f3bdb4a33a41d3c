//! What the alert rules read of infrastructure: systems in trouble and incidents nobody has
//! taken. Small tables, read whole: a system's row knows its status and since when.

use crate::infra::model::Status;
use crate::platform::error::AppError;
use sqlx::SqliteConnection;

pub struct Trouble {
    pub id: i64,
    pub name: String,
    pub department_id: Option<i64>,
    pub status: Status,
    pub since: i64,
}

/// Systems down or degraded (`only`: one system). A system in maintenance has that status
/// instead, so it never shows here.
pub async fn troubled(db: &mut SqliteConnection, only: Option<i64>) -> Result<Vec<Trouble>, AppError> {
    let rows: Vec<(i64, String, Option<i64>, Status, i64)> = sqlx::query_as(
        "SELECT id, name, department_id, status, status_since FROM systems WHERE status IN ('down', 'degraded') AND (?1 IS NULL OR id = ?1) ORDER BY id",
    )
    .bind(only)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(id, name, department_id, status, since)| Trouble { id, name, department_id, status, since }).collect())
}

pub struct Unacknowledged {
    pub id: i64,
    pub title: String,
    pub system: Option<String>,
    pub department_id: Option<i64>,
    pub severity: String,
    pub started_at: i64,
}

/// Open incidents nobody has acknowledged (`only`: one incident).
pub async fn unacknowledged(db: &mut SqliteConnection, only: Option<i64>) -> Result<Vec<Unacknowledged>, AppError> {
    let rows: Vec<(i64, String, Option<String>, Option<i64>, String, i64)> = sqlx::query_as(
        r#"SELECT i.id, i.title, s.name, s.department_id, i.severity, i.started_at
           FROM incidents i LEFT JOIN systems s ON s.id = i.system_id
           WHERE i.resolved_at IS NULL AND i.acknowledged_at IS NULL AND (?1 IS NULL OR i.id = ?1)
           ORDER BY i.id"#,
    )
    .bind(only)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, system, department_id, severity, started_at)| Unacknowledged { id, title, system, department_id, severity, started_at })
        .collect())
}

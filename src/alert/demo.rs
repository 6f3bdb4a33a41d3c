//! The demo's alerts: the past week's outages as the default rule would have raised and
//! resolved them, then every rule over the demo's data as it stands, which leaves open alerts
//! for its red KPIs, its down system and its coming notice deadlines.

use super::model::RuleKind;
use super::rules::{evaluate, Look};
use crate::platform::error::AppError;
use crate::platform::money::Currency;
use sqlx::SqlitePool;

pub async fn seed(pool: &SqlitePool, now: i64, currency: Currency) -> Result<(), AppError> {
    let seeded: i64 = sqlx::query_scalar("SELECT count(*) FROM alerts").fetch_one(pool).await?;
    if seeded > 0 {
        return Ok(());
    }
    // Each spell down or degraded that began in the last week, lasted past the default five
    // minutes and ended: raised five minutes in, resolved when it ended.
    sqlx::query(
        "INSERT INTO alerts (rule, subject_kind, subject_id, subject_label, department_id, severity, summary, link, started_at, updated_at, resolved_at)
         SELECT 'system_down', 'system', s.id, s.name, s.department_id,
                CASE spell.status WHEN 'down' THEN 'critical' ELSE 'warning' END,
                s.name || ' is ' || spell.status || ' since ' || strftime('%Y-%m-%d %H:%M UTC', spell.at, 'unixepoch') || '.',
                '/infrastructure/systems/' || s.id, spell.at + 300, spell.ended, spell.ended
         FROM (SELECT system_id, at, status, lead(at) OVER (PARTITION BY system_id ORDER BY at) AS ended FROM status_changes) spell
         JOIN systems s ON s.id = spell.system_id
         WHERE spell.status IN ('down', 'degraded') AND spell.ended IS NOT NULL AND spell.at >= ?1 AND spell.ended - spell.at > 300",
    )
    .bind(now - 7 * 86_400)
    .execute(pool)
    .await?;
    for &kind in RuleKind::ALL {
        evaluate(pool, Look::every(kind), now, currency).await?;
    }
    Ok(())
}

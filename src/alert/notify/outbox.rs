//! Which channels hear of an alert, and when. Deliveries are written in the transaction that
//! changed the alert, so a crash cannot lose a notice nor send one for a change that was rolled
//! back; the dispatcher sends them after.
//!
//! An alert is told when it fires and when it gets worse; again after its rule's repeat interval
//! while nobody has acknowledged it; and once when it resolves, after the rule's hold time has
//! passed without the condition coming back. A flapping condition is therefore one notice when
//! it starts and one when it is really over. A muted alert is not told until the mute ends.
//!
//! Feedback's notices to an item's author are relayed too, to the author's own channels that
//! ask for them, in the order they were written: the relay remembers the last one it read.

use super::model::Event;
use crate::alert::engine::{Rule, Transition};
use crate::platform::error::AppError;
use sqlx::SqliteConnection;

/// Writes the deliveries that tell of `done`; returns how many.
pub async fn record(db: &mut SqliteConnection, rule: &Rule, done: &[Transition], now: i64) -> Result<u64, AppError> {
    let mut queued = 0;
    for t in done {
        queued += match *t {
            Transition::Fired(id) => tell(db, id, Event::Fired, now).await?,
            Transition::Escalated(id) => tell(db, id, Event::Escalated, now).await?,
            // Back within the hold time: its end was not told yet, so nothing is new to anyone,
            // unless the end went out (the hold time was 0 when it resolved).
            Transition::Reopened(id) => {
                let told: bool = sqlx::query_scalar("SELECT resolve_notified FROM alerts WHERE id = ?1").bind(id).fetch_one(&mut *db).await?;
                sqlx::query("UPDATE alerts SET resolve_notified = 0 WHERE id = ?1").bind(id).execute(&mut *db).await?;
                if told { tell(db, id, Event::Fired, now).await? } else { 0 }
            }
            Transition::Resolved(id) if rule.hold_minutes == 0 => tell(db, id, Event::Resolved, now).await?,
            // Told by `sweep` once the hold time has passed.
            Transition::Resolved(_) => 0,
        };
    }
    Ok(queued)
}

/// What time alone makes due: repeats of open alerts nobody took, alerts whose mute ended
/// before they were ever told, and resolutions that have held for the hold time.
pub async fn sweep(db: &mut SqliteConnection, now: i64) -> Result<u64, AppError> {
    let due: Vec<(i64, bool)> = sqlx::query_as(
        "SELECT a.id, a.notified_at IS NULL FROM alerts a JOIN alert_rules r ON r.kind = a.rule
         WHERE a.resolved_at IS NULL AND a.acknowledged_at IS NULL AND coalesce(a.muted_until, 0) <= ?1 AND r.enabled = 1
           AND (a.notified_at IS NULL OR (r.repeat_minutes > 0 AND a.notified_at <= ?1 - r.repeat_minutes * 60))",
    )
    .bind(now)
    .fetch_all(&mut *db)
    .await?;
    let mut queued = 0;
    for (id, never) in due {
        queued += tell(db, id, if never { Event::Fired } else { Event::Repeat }, now).await?;
    }
    let ended: Vec<i64> = sqlx::query_scalar(
        "SELECT a.id FROM alerts a JOIN alert_rules r ON r.kind = a.rule
         WHERE a.resolve_notified = 0 AND a.resolved_at IS NOT NULL AND a.resolved_at <= ?1 - r.hold_minutes * 60",
    )
    .bind(now)
    .fetch_all(&mut *db)
    .await?;
    for id in ended {
        queued += tell(db, id, Event::Resolved, now).await?;
    }
    Ok(queued)
}

/// Queues `event` about alert `id` for every channel whose owner may see it and that asked for
/// it. Who may see is judged here, from the owner's role and department as they are now: a
/// department head's channel never carries another department's alert, nor a company-wide one.
async fn tell(db: &mut SqliteConnection, id: i64, event: Event, now: i64) -> Result<u64, AppError> {
    let (muted, notified): (bool, bool) =
        sqlx::query_as("SELECT coalesce(muted_until, 0) > ?2, notified_at IS NOT NULL FROM alerts WHERE id = ?1").bind(id).bind(now).fetch_one(&mut *db).await?;
    if event == Event::Resolved {
        sqlx::query("UPDATE alerts SET resolve_notified = 1 WHERE id = ?1").bind(id).execute(&mut *db).await?;
        // Nobody was told it started (it was muted throughout), so nobody needs its end.
        if !notified {
            return Ok(0);
        }
    } else if muted {
        return Ok(0);
    } else {
        sqlx::query("UPDATE alerts SET notified_at = ?2 WHERE id = ?1").bind(id).bind(now).execute(&mut *db).await?;
    }
    let queued = sqlx::query(
        "INSERT INTO alert_deliveries (channel_id, alert_id, event, rule, severity, title, summary, link, next_at, created_at)
         SELECT c.id, a.id, ?2, a.rule, a.severity, a.subject_label, a.summary, a.link, ?3, ?3
         FROM alerts a, alert_channels c JOIN users u ON u.id = c.owner_id
         WHERE a.id = ?1 AND c.enabled = 1 AND u.active = 1
           AND (c.rules = '' OR instr(',' || c.rules || ',', ',' || a.rule || ',') > 0)
           AND (c.min_severity = 'warning' OR a.severity = 'critical')
           AND CASE u.role
                 WHEN 'cto' THEN c.department_id IS NULL OR c.department_id = a.department_id
                 WHEN 'department_head' THEN a.department_id IS NOT NULL AND a.department_id = u.department_id
                 ELSE 0
               END",
    )
    .bind(id)
    .bind(event)
    .bind(now)
    .execute(&mut *db)
    .await?
    .rows_affected();
    Ok(queued)
}

/// Notices read per relay; the rest wait for the next.
const RELAY_BATCH: i64 = 500;

/// Queues each feedback notice written since the last relay for its reader's channels that take
/// feedback (and existed when it was written); returns how many deliveries it queued.
pub async fn relay(db: &mut SqliteConnection) -> Result<u64, AppError> {
    let after: i64 = sqlx::query_scalar("SELECT last_id FROM alert_relayed WHERE source = 'feedback'").fetch_optional(&mut *db).await?.unwrap_or(0);
    let notices = crate::feedback::service::notices_after(&mut *db, after, RELAY_BATCH).await?;
    let Some(last) = notices.last().map(|n| n.id) else { return Ok(0) };
    let mut queued = 0;
    for n in &notices {
        queued += sqlx::query(
            "INSERT INTO alert_deliveries (channel_id, event, rule, severity, title, summary, link, next_at, created_at)
             SELECT c.id, 'feedback', 'feedback', 'warning', ?2, ?3, ?4, ?5, ?5
             FROM alert_channels c JOIN users u ON u.id = c.owner_id
             WHERE c.owner_id = ?1 AND c.enabled = 1 AND c.feedback = 1 AND u.active = 1 AND c.created_at <= ?5",
        )
        .bind(n.user_id)
        .bind(&n.title)
        .bind(&n.text)
        .bind(&n.link)
        .bind(n.created_at)
        .execute(&mut *db)
        .await?
        .rows_affected();
    }
    sqlx::query("INSERT INTO alert_relayed (source, last_id) VALUES ('feedback', ?1) ON CONFLICT (source) DO UPDATE SET last_id = excluded.last_id")
        .bind(last)
        .execute(&mut *db)
        .await?;
    Ok(queued)
}

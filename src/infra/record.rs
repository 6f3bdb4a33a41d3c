//! What a check result changes: the check's own state (down only after K failures in a row,
//! up after one success), the system's status and its history, and the incident the monitor
//! opens when a system goes down and closes when it recovers.

use super::model::{check_state, derive_status, Opener, Status};
use super::repo::{insert_incident, NewIncident};
use crate::kpi::model::Severity;
use super::probe::Outcome;
use crate::platform::error::AppError;
use crate::kpi::events::refresh_computed;
use sqlx::SqliteConnection;
use crate::platform::time::DAY;

#[derive(Clone, Debug, PartialEq)]
pub struct CheckResult {
    pub check_id: i64,
    pub at_ms: i64,
    pub outcome: Outcome,
}

/// A check's state after one more result: (state, consecutive failures, failing since).
pub fn next_state(prev: &str, failures: i64, failing_since: Option<i64>, threshold: i64, degraded_ms: Option<i64>, outcome: &Outcome, at: i64) -> (&'static str, i64, Option<i64>) {
    if outcome.ok {
        let slow = degraded_ms.is_some_and(|limit| outcome.latency_ms > limit);
        return (if slow { "degraded" } else { "up" }, 0, None);
    }
    let failures = failures + 1;
    let since = failing_since.or(Some(at));
    if failures >= threshold {
        return ("down", failures, since);
    }
    // A failure short of the threshold changes nothing a person sees: that is what keeps a
    // single flap from raising an incident.
    let kept = match prev {
        "up" => "up",
        "degraded" => "degraded",
        "down" => "down",
        _ => "pending",
    };
    (kept, failures, since)
}

/// Stores one result and applies what follows from it.
pub async fn record(tx: &mut SqliteConnection, r: &CheckResult) -> Result<(), AppError> {
    type Row = (i64, String, i64, Option<i64>, i64, Option<i64>);
    let row: Option<Row> = sqlx::query_as("SELECT system_id, state, failures, failing_since, failure_threshold, degraded_ms FROM checks WHERE id = ?1")
        .bind(r.check_id)
        .fetch_optional(&mut *tx)
        .await?;
    // Deleted while its probe was running.
    let Some((system_id, state, failures, failing_since, threshold, degraded_ms)) = row else { return Ok(()) };
    let at = r.at_ms.div_euclid(1000);
    let o = &r.outcome;
    sqlx::query("INSERT OR REPLACE INTO check_results (check_id, at_ms, ok, latency_ms, error) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(r.check_id)
        .bind(r.at_ms)
        .bind(o.ok)
        .bind(o.latency_ms)
        .bind(&o.error)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        r#"INSERT INTO check_rollups (check_id, width, bucket, n, failures, latency_total, latency_max)
           VALUES (?1, 3600, ?2, 1, ?4, ?5, ?5), (?1, 86400, ?3, 1, ?4, ?5, ?5)
           ON CONFLICT (check_id, width, bucket) DO UPDATE SET n = n + 1, failures = failures + excluded.failures,
               latency_total = latency_total + excluded.latency_total, latency_max = max(latency_max, excluded.latency_max)"#,
    )
    .bind(r.check_id)
    .bind(at.div_euclid(3600) * 3600)
    .bind(at.div_euclid(DAY) * DAY)
    .bind(!o.ok)
    // Response times are of answers only: a failure's "latency" is mostly its timeout.
    .bind(if o.ok { o.latency_ms } else { 0 })
    .execute(&mut *tx)
    .await?;
    let (state, failures, failing_since) = next_state(&state, failures, failing_since, threshold, degraded_ms, o, at);
    // The certificate's expiry is kept from the last answer that showed one.
    sqlx::query(
        "UPDATE checks SET state = ?2, failures = ?3, failing_since = ?4, last_at = ?5, last_latency_ms = ?6, last_error = ?7,
                tls_expires_at = coalesce(?8, tls_expires_at)
         WHERE id = ?1",
    )
    .bind(r.check_id)
    .bind(state)
    .bind(failures)
    .bind(failing_since)
    .bind(at)
    .bind(o.latency_ms)
    .bind(&o.error)
    .bind(o.tls_expires_at)
        .execute(&mut *tx)
        .await?;
    refresh_system(tx, system_id, at, Opener::Monitor).await?;
    Ok(())
}

/// Re-derives a system's status at `now` and records the change, if any. Returns the status.
pub async fn refresh_system(tx: &mut SqliteConnection, system_id: i64, now: i64, by: Opener) -> Result<Status, AppError> {
    type Sys = (Status, Option<Status>, String, i64, String, String);
    let Some((status, manual, key, tier, name, note)): Option<Sys> =
        sqlx::query_as("SELECT status, manual_status, key, tier, name, manual_note FROM systems WHERE id = ?1").bind(system_id).fetch_optional(&mut *tx).await?
    else {
        return Err(AppError::NotFound);
    };
    let checks: Vec<(String, Option<i64>, Option<String>)> =
        sqlx::query_as("SELECT state, failing_since, last_error FROM checks WHERE system_id = ?1 AND enabled = 1 ORDER BY id").bind(system_id).fetch_all(&mut *tx).await?;
    let (in_maintenance,): (bool,) = sqlx::query_as("SELECT EXISTS (SELECT 1 FROM maintenance_windows WHERE system_id = ?1 AND starts_at <= ?2 AND ends_at > ?2)")
        .bind(system_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
    let states: Vec<Status> = checks.iter().map(|c| check_state(&c.0)).collect();
    let new = derive_status(&states, manual, in_maintenance);
    let old = status;
    if new == old {
        return Ok(new);
    }
    let failing = checks.iter().filter(|c| c.0 == "down");
    let reason = match new {
        _ if in_maintenance => "Maintenance window".to_string(),
        Status::Down | Status::Degraded if !checks.is_empty() => {
            let errors: Vec<String> = checks.iter().filter(|c| c.0 != "up").filter_map(|c| c.2.clone()).collect();
            errors.join("; ")
        }
        _ if checks.is_empty() => note,
        _ => "Checks pass".to_string(),
    };
    // The outage began with the first failure of the streak that confirmed it.
    let at = match new {
        Status::Down => failing.filter_map(|c| c.1).min().unwrap_or(now).min(now),
        _ => now,
    };
    sqlx::query("UPDATE systems SET status = ?2, status_since = ?3 WHERE id = ?1").bind(system_id).bind(new).bind(at).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO status_changes (system_id, at, status, reason) VALUES (?1, ?2, ?3, ?4)")
        .bind(system_id)
        .bind(at)
        .bind(new)
        .bind(&reason)
        .execute(&mut *tx)
        .await?;
    if new == Status::Down {
        open_incident(tx, system_id, &key, &name, tier, at, &reason, by).await?;
    } else if old == Status::Down && matches!(new, Status::Operational | Status::Degraded) {
        recover(tx, system_id, now, &reason).await?;
    }
    Ok(new)
}

#[allow(clippy::too_many_arguments)]
async fn open_incident(tx: &mut SqliteConnection, system_id: i64, key: &str, name: &str, tier: i64, at: i64, reason: &str, by: Opener) -> Result<(), AppError> {
    let open: Option<(i64,)> = sqlx::query_as("SELECT id FROM incidents WHERE system_id = ?1 AND resolved_at IS NULL ORDER BY started_at DESC LIMIT 1")
        .bind(system_id)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some((id,)) = open {
        add_note(tx, id, at, None, "note", &format!("Down again: {reason}")).await?;
        return Ok(());
    }
    let title = format!("{name} is down");
    let incident = NewIncident { system_id, service: key, title: &title, severity: Severity::for_tier(tier), started_at: at, acknowledged_at: None, resolved_at: None, opened_by: by };
    let id = insert_incident(tx, &incident).await?;
    let body = match by {
        Opener::Monitor => format!("Opened by the monitor: {reason}"),
        Opener::Person => format!("Opened when the status was set to down: {reason}"),
    };
    add_note(tx, id, at, None, "opened", &body).await?;
    refresh_computed(tx, at, at).await
}

async fn recover(tx: &mut SqliteConnection, system_id: i64, now: i64, reason: &str) -> Result<(), AppError> {
    let open: Vec<(i64, Option<String>)> = sqlx::query_as(
        r#"SELECT i.id, u.name FROM incidents i LEFT JOIN users u ON u.id = i.taken_over_by
           WHERE i.system_id = ?1 AND i.resolved_at IS NULL AND i.opened_by IN ('monitor', 'person')"#,
    )
    .bind(system_id)
    .fetch_all(&mut *tx)
    .await?;
    for (id, owner) in open {
        match owner {
            Some(person) => add_note(tx, id, now, None, "recovered", &format!("Recovered ({reason}); left open because {person} has taken it over.")).await?,
            None => {
                let (started,): (i64,) = sqlx::query_as("UPDATE incidents SET resolved_at = max(?2, started_at) WHERE id = ?1 RETURNING started_at")
                    .bind(id)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                add_note(tx, id, now, None, "recovered", &format!("Recovered ({reason}); resolved by the monitor.")).await?;
                refresh_computed(tx, started, now).await?;
            }
        }
    }
    Ok(())
}

pub async fn add_note(tx: &mut SqliteConnection, incident_id: i64, at: i64, author: Option<i64>, kind: &str, body: &str) -> Result<(), AppError> {
    sqlx::query("INSERT INTO incident_notes (incident_id, at, author_id, kind, body) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(incident_id)
        .bind(at)
        .bind(author)
        .bind(kind)
        .bind(body)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Every system's status at `now`: maintenance windows open and close without any check result.
pub async fn sweep(tx: &mut SqliteConnection, now: i64) -> Result<(), AppError> {
    let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM systems").fetch_all(&mut *tx).await?;
    for (id,) in ids {
        refresh_system(tx, id, now, Opener::Monitor).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail() -> Outcome {
        Outcome { ok: false, latency_ms: 5, error: Some("connection refused".into()), tls_expires_at: None }
    }

    #[test]
    fn down_only_after_the_threshold_and_up_after_one_success() {
        let (s, n, since) = next_state("up", 0, None, 3, None, &fail(), 100);
        assert_eq!((s, n, since), ("up", 1, Some(100)));
        let (s, n, since) = next_state(s, n, since, 3, None, &fail(), 160);
        assert_eq!((s, n, since), ("up", 2, Some(100)));
        let (s, n, since) = next_state(s, n, since, 3, None, &fail(), 220);
        assert_eq!((s, n, since), ("down", 3, Some(100)));
        let ok = Outcome { ok: true, latency_ms: 20, error: None, tls_expires_at: None };
        assert_eq!(next_state(s, n, since, 3, None, &ok, 280), ("up", 0, None));
    }

    #[test]
    fn a_new_check_stays_pending_until_it_knows() {
        assert_eq!(next_state("pending", 0, None, 2, None, &fail(), 10).0, "pending");
        assert_eq!(next_state("pending", 1, Some(10), 2, None, &fail(), 20).0, "down");
    }

    #[test]
    fn slow_answers_are_degraded() {
        let slow = Outcome { ok: true, latency_ms: 900, error: None, tls_expires_at: None };
        assert_eq!(next_state("up", 0, None, 3, Some(500), &slow, 10).0, "degraded");
        assert_eq!(next_state("up", 0, None, 3, None, &slow, 10).0, "up");
    }
}

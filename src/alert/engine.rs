//! An alert's lifecycle, kept in step with what the rules find. A rule looks at part of the
//! data (one KPI, or every system) and says which conditions hold there now; [`reconcile`]
//! fires what is new, updates what changed, reopens what came back within the hold time and
//! resolves what no longer holds. Nothing else writes the alerts table but acknowledgement.

use super::model::{RuleKind, Severity};
use crate::platform::error::AppError;
use sqlx::SqliteConnection;
use std::collections::HashMap;

/// A rule's settings as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Rule {
    pub kind: RuleKind,
    pub enabled: bool,
    pub threshold: i64,
    pub hold_minutes: i64,
    pub repeat_minutes: i64,
}

pub async fn rule(db: &mut SqliteConnection, kind: RuleKind) -> Result<Rule, AppError> {
    Ok(sqlx::query_as("SELECT kind, enabled, threshold, hold_minutes, repeat_minutes FROM alert_rules WHERE kind = ?1").bind(kind).fetch_one(db).await?)
}

/// A condition that holds now, with its evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    pub subject_kind: &'static str,
    pub subject_id: String,
    pub subject_label: String,
    pub department_id: Option<i64>,
    pub severity: Severity,
    pub summary: String,
    pub link: String,
}

/// The part of the data a rule looked at: conditions outside it are left as they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    Subject(&'static str, String),
    /// Everything the rule found about one department.
    Department(i64),
}

/// What changed in the alerts table, for whoever tells people (and for the tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transition {
    Fired(i64),
    /// Worse than it was: the acknowledgement is cleared, so it needs someone again.
    Escalated(i64),
    /// Came back within the hold time: the same alert, open again.
    Reopened(i64),
    Resolved(i64),
}

type Open = (i64, String, String, Severity, String);

/// Records what a reading found. `known` is the newest alert's id when the reading began: an
/// alert raised since was raised on data this reading may not have seen, so it is left open
/// for the next look rather than resolved on older figures.
pub async fn reconcile(db: &mut SqliteConnection, rule: &Rule, scope: &Scope, found: Vec<Condition>, (now, known): (i64, i64)) -> Result<Vec<Transition>, AppError> {
    let (kind, id, department) = match scope {
        Scope::All => (None, None, None),
        Scope::Subject(k, i) => (Some(*k), Some(i.as_str()), None),
        Scope::Department(d) => (None, None, Some(*d)),
    };
    let open: Vec<Open> = sqlx::query_as(
        "SELECT id, subject_kind, subject_id, severity, summary FROM alerts
         WHERE rule = ?1 AND resolved_at IS NULL AND (?2 IS NULL OR (subject_kind = ?2 AND subject_id = ?3))
           AND (?4 IS NULL OR department_id = ?4)",
    )
    .bind(rule.kind)
    .bind(kind)
    .bind(id)
    .bind(department)
    .fetch_all(&mut *db)
    .await?;
    let mut open: HashMap<(String, String), (i64, Severity, String)> = open.into_iter().map(|(id, k, s, sev, sum)| ((k, s), (id, sev, sum))).collect();
    let mut done = Vec::new();
    // A disabled rule finds nothing, so its open alerts resolve.
    let found = if rule.enabled { found } else { Vec::new() };
    for c in found {
        match open.remove(&(c.subject_kind.to_string(), c.subject_id.clone())) {
            // Unchanged: no write at all, so a rule may look as often as it likes.
            Some((_, severity, summary)) if severity == c.severity && summary == c.summary => {}
            Some((id, severity, _)) => {
                let worse = c.severity < severity;
                update(db, id, &c, worse, now).await?;
                if worse {
                    done.push(Transition::Escalated(id));
                }
            }
            None => done.push(open_one(db, rule, &c, now).await?),
        }
    }
    for (_, (id, _, _)) in open.into_iter().filter(|(_, o)| o.0 <= known) {
        sqlx::query("UPDATE alerts SET resolved_at = ?2, updated_at = ?2 WHERE id = ?1").bind(id).bind(now).execute(&mut *db).await?;
        done.push(Transition::Resolved(id));
    }
    Ok(done)
}

async fn update(db: &mut SqliteConnection, id: i64, c: &Condition, clear_ack: bool, now: i64) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE alerts SET severity = ?2, summary = ?3, subject_label = ?4, link = ?5, department_id = ?6, updated_at = ?7,
                acknowledged_at = CASE WHEN ?8 THEN NULL ELSE acknowledged_at END,
                acknowledged_by = CASE WHEN ?8 THEN NULL ELSE acknowledged_by END
         WHERE id = ?1",
    )
    .bind(id)
    .bind(c.severity)
    .bind(&c.summary)
    .bind(&c.subject_label)
    .bind(&c.link)
    .bind(c.department_id)
    .bind(now)
    .bind(clear_ack)
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// A new alert, or the one that resolved within the hold time, open again.
async fn open_one(db: &mut SqliteConnection, rule: &Rule, c: &Condition, now: i64) -> Result<Transition, AppError> {
    let recent: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM alerts WHERE rule = ?1 AND subject_kind = ?2 AND subject_id = ?3 AND resolved_at >= ?4 ORDER BY resolved_at DESC LIMIT 1",
    )
    .bind(rule.kind)
    .bind(c.subject_kind)
    .bind(&c.subject_id)
    .bind(now - rule.hold_minutes * 60)
    .fetch_optional(&mut *db)
    .await?;
    if let Some(id) = recent.filter(|_| rule.hold_minutes > 0) {
        sqlx::query("UPDATE alerts SET resolved_at = NULL, flaps = flaps + 1 WHERE id = ?1").bind(id).execute(&mut *db).await?;
        update(db, id, c, false, now).await?;
        return Ok(Transition::Reopened(id));
    }
    let id = sqlx::query_scalar(
        "INSERT INTO alerts (rule, subject_kind, subject_id, subject_label, department_id, severity, summary, link, started_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) RETURNING id",
    )
    .bind(rule.kind)
    .bind(c.subject_kind)
    .bind(&c.subject_id)
    .bind(&c.subject_label)
    .bind(c.department_id)
    .bind(c.severity)
    .bind(&c.summary)
    .bind(&c.link)
    .bind(now)
    .fetch_one(&mut *db)
    .await?;
    Ok(Transition::Fired(id))
}

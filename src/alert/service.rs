//! The bodies of the alert server functions: who sees which alerts, acknowledging one, and the
//! rules' settings. The CTO sees every alert; a department head sees their own department's
//! only, never company-wide ones or another department's.

use super::engine::{self, Rule};
use super::model::{AlertList, AlertRow, AlertState, AlertsQuery, RuleKind, RuleSetting, Severity};
use super::rules::{evaluate, Look};
use crate::access::Role;
use crate::auth::User;
use crate::platform::audit::Entry;
use crate::platform::db::{begin_write, now_unix};
use crate::platform::error::{refused, AppError, Problems};
use crate::platform::state::AppState;
use crate::platform::time::minute_utc;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

pub const PAGE_SIZE: i64 = 50;

/// The department whose alerts `user` sees: `None` for all (the CTO).
fn scope(user: &User) -> Result<Option<i64>, AppError> {
    match user.role {
        Role::Cto => Ok(None),
        // A head without a department sees nothing rather than everything.
        Role::DepartmentHead => Ok(Some(user.department_id.unwrap_or(-1))),
        Role::Investor => Err(refused(AppError::Forbidden)),
    }
}

/// Open alerts nobody has acknowledged or muted, that `user` sees: (critical, warning).
pub async fn firing(db: &mut SqliteConnection, user: &User) -> Result<(i64, i64), AppError> {
    let dept = scope(user)?;
    let (critical, warning): (i64, i64) = sqlx::query_as(
        "SELECT coalesce(sum(severity = 'critical'), 0), coalesce(sum(severity = 'warning'), 0) FROM alerts
         WHERE resolved_at IS NULL AND acknowledged_at IS NULL AND (?1 IS NULL OR department_id = ?1) AND coalesce(muted_until, 0) <= ?2",
    )
    .bind(dept)
    .bind(now_unix())
    .fetch_one(db)
    .await?;
    Ok((critical, warning))
}

struct Filter<'a> {
    dept: Option<i64>,
    state: &'a str,
    rule: Option<RuleKind>,
    subject: Option<(&'a str, &'a str)>,
    at: &'a str,
}

fn push_where<'a>(qb: &mut QueryBuilder<'a, Sqlite>, f: &Filter<'a>) {
    let Filter { dept, state, rule, subject, at } = *f;
    qb.push(" WHERE 1 = 1");
    if let Some(d) = dept {
        qb.push(" AND department_id = ").push_bind(d);
    }
    qb.push(match state {
        "firing" => " AND resolved_at IS NULL AND acknowledged_at IS NULL",
        "acknowledged" => " AND resolved_at IS NULL AND acknowledged_at IS NOT NULL",
        "resolved" => " AND resolved_at IS NOT NULL",
        "all" => "",
        _ => " AND resolved_at IS NULL",
    });
    if let Some(r) = rule {
        qb.push(" AND rule = ").push_bind(r);
    }
    if let Some((kind, id)) = subject {
        qb.push(" AND subject_kind = ").push_bind(kind).push(" AND subject_id = ").push_bind(id);
    }
    if !at.is_empty() {
        qb.push(" AND link = ").push_bind(at);
    }
}

type Raw = (i64, RuleKind, Severity, String, String, String, i64, Option<i64>, Option<String>, Option<i64>, i64, Option<i64>, Option<String>);

pub async fn list(user: &User, q: &AlertsQuery) -> Result<AlertList, AppError> {
    let dept = scope(user)?;
    let mut p = Problems::default();
    let state = match q.state.trim() {
        s @ ("" | "open" | "firing" | "acknowledged" | "resolved" | "all") => s,
        other => {
            p.add("state", format!("“{other}” is not a state; choose open, firing, acknowledged, resolved or all."));
            ""
        }
    };
    let rule = match q.rule.trim() {
        "" => None,
        r => p.check("rule", RuleKind::parse(r).ok_or_else(|| format!("“{r}” is not a kind of rule."))),
    };
    let subject = match q.subject.trim() {
        "" => None,
        s => p.check("subject", s.split_once(':').ok_or_else(|| format!("“{s}” is not a subject; write it as kind:id, such as system:3."))),
    };
    p.finish()?;
    let f = Filter { dept, state, rule, subject, at: q.at.trim() };
    let st = AppState::current()?;
    let mut db = st.pool.acquire().await?;
    let mut count = QueryBuilder::new("SELECT count(*) FROM alerts");
    push_where(&mut count, &f);
    let matched: i64 = count.build_query_scalar().fetch_one(&mut *db).await?;
    let (page, pages, offset) = crate::platform::query::page_of(&q.page, matched, PAGE_SIZE);
    let rows = rows(&mut db, &f, offset).await?;
    let firing = firing(&mut db, user).await?;
    Ok(AlertList { rows, matched, page, pages, firing })
}

/// The open alerts about the page at `at` (those that link to it), as shown above that page:
/// one query, where the alerts page also counts and pages them.
pub async fn here(user: &User, at: &str) -> Result<Vec<AlertRow>, AppError> {
    let f = Filter { dept: scope(user)?, state: "open", rule: None, subject: None, at: at.trim() };
    if f.at.is_empty() {
        return Err(AppError::BadRequest { message: "Name the page whose alerts to show.".into() });
    }
    let st = AppState::current()?;
    let mut db = st.pool.acquire().await?;
    rows(&mut db, &f, 0).await
}

async fn rows(db: &mut SqliteConnection, f: &Filter<'_>, offset: i64) -> Result<Vec<AlertRow>, AppError> {
    let mut qb = QueryBuilder::new(
        "SELECT id, rule, severity, subject_label, summary, link, started_at, acknowledged_at, acknowledged_by, resolved_at, flaps, muted_until, muted_by
         FROM alerts",
    );
    push_where(&mut qb, f);
    // Open ones first: firing before acknowledged, critical before warning, newest first. Then
    // the resolved ones, the latest to resolve first.
    qb.push(
        " ORDER BY resolved_at IS NOT NULL,
                   CASE WHEN resolved_at IS NULL THEN (acknowledged_at IS NOT NULL) * 2 + (severity = 'warning') END,
                   coalesce(resolved_at, started_at) DESC, id DESC LIMIT ",
    )
        .push_bind(PAGE_SIZE)
        .push(" OFFSET ")
        .push_bind(offset);
    let now = now_unix();
    Ok(qb.build_query_as::<Raw>().fetch_all(db).await?.into_iter().map(|r| row(r, now)).collect())
}

fn row(r: Raw, now: i64) -> AlertRow {
    let (id, rule, severity, subject, summary, link, started_at, ack_at, ack_by, resolved_at, flaps, muted_until, muted_by) = r;
    let state = match (resolved_at, ack_at) {
        (Some(_), _) => AlertState::Resolved,
        (None, Some(_)) => AlertState::Acknowledged,
        (None, None) => AlertState::Firing,
    };
    AlertRow {
        id,
        rule,
        severity,
        state,
        subject,
        summary,
        link,
        started: minute_utc(started_at),
        age: span(resolved_at.unwrap_or(now) - started_at),
        acknowledged: ack_at.map(|at| format!("by {} at {}", ack_by.unwrap_or_else(|| "someone".into()), minute_utc(at))),
        resolved: resolved_at.map(minute_utc),
        flaps,
        can_acknowledge: state == AlertState::Firing,
        muted: muted_until
            .filter(|until| *until > now && state != AlertState::Resolved)
            .map(|until| format!("until {} by {}", minute_utc(until), muted_by.unwrap_or_else(|| "someone".into()))),
        can_mute: state != AlertState::Resolved,
    }
}

/// A duration as a person reads it: "45 min", "3 h 12 min", "2 d 4 h".
pub fn span(secs: i64) -> String {
    let m = secs.max(0) / 60;
    match m {
        0 => "under a minute".into(),
        1..=59 => format!("{m} min"),
        60..=1439 => format!("{} h {} min", m / 60, m % 60),
        _ => format!("{} d {} h", m / 1440, m % 1440 / 60),
    }
}

/// Takes a firing alert: the bell stops counting it, the page says who took it. It stays open
/// until its condition clears.
pub async fn acknowledge(st: &AppState, user: &User, id: i64) -> Result<(), AppError> {
    let dept = scope(user)?;
    let mut tx = begin_write(&st.pool).await?;
    let found: Option<(String, Option<i64>, Option<i64>, Option<String>, Option<i64>)> =
        sqlx::query_as("SELECT subject_label, department_id, acknowledged_at, acknowledged_by, resolved_at FROM alerts WHERE id = ?1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((label, _, ack_at, ack_by, resolved)) = found.filter(|f| dept.is_none() || f.1 == dept) else {
        // Another department's alert looks the same as one that does not exist.
        return Err(refused(if dept.is_none() { AppError::NotFound } else { AppError::Forbidden }));
    };
    if resolved.is_some() {
        return Err(AppError::conflict(format!("The alert on {label} has already resolved.")));
    }
    if let Some(at) = ack_at {
        return Err(AppError::conflict(format!("{} acknowledged this alert at {}.", ack_by.unwrap_or_else(|| "Someone".into()), minute_utc(at))));
    }
    let now = now_unix();
    sqlx::query("UPDATE alerts SET acknowledged_at = ?2, acknowledged_by = ?3 WHERE id = ?1").bind(id).bind(now).bind(&user.name).execute(&mut *tx).await?;
    Entry::new(&user.actor(), "alerts", "acknowledge_alert")
        .object("alert", id, &label)
        .change("state", Some("firing".into()), Some("acknowledged".into()))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    let said = format!("Acknowledged the alert on {label}. It stays open until its condition clears.");
    crate::ui::Flash::back(crate::access::Page::Alerts.path(), said, &[], "", "");
    Ok(())
}

/// How long an alert may be muted for, in minutes: an hour, four, a day, a week.
pub const MUTE_FOR: [i64; 4] = [60, 240, 1440, 10080];

/// Mutes an open alert for `minutes` (one of [`MUTE_FOR`]): nothing is sent about it and the
/// bell leaves it out until then; 0 lifts a mute. It still shows here and on its page.
pub async fn mute(st: &AppState, user: &User, id: i64, minutes: i64) -> Result<(), AppError> {
    let dept = scope(user)?;
    if minutes != 0 && !MUTE_FOR.contains(&minutes) {
        return Err(AppError::field("minutes", "Mute for an hour, 4 hours, a day or a week."));
    }
    let mut tx = begin_write(&st.pool).await?;
    let found: Option<(String, Option<i64>, Option<i64>, Option<i64>)> =
        sqlx::query_as("SELECT subject_label, department_id, resolved_at, muted_until FROM alerts WHERE id = ?1").bind(id).fetch_optional(&mut *tx).await?;
    let Some((label, _, resolved, muted_until)) = found.filter(|f| dept.is_none() || f.1 == dept) else {
        return Err(refused(if dept.is_none() { AppError::NotFound } else { AppError::Forbidden }));
    };
    if resolved.is_some() {
        return Err(AppError::conflict(format!("The alert on {label} has already resolved.")));
    }
    let now = now_unix();
    let until = (minutes > 0).then(|| now + minutes * 60);
    sqlx::query("UPDATE alerts SET muted_until = ?2, muted_by = ?3 WHERE id = ?1").bind(id).bind(until).bind(until.map(|_| user.name.clone())).execute(&mut *tx).await?;
    let shown = |t: Option<i64>| t.filter(|t| *t > now).map(minute_utc);
    Entry::new(&user.actor(), "alerts", "mute_alert")
        .object("alert", id, &label)
        .change("muted until", shown(muted_until), shown(until))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    let said = match until {
        Some(t) => format!("Muted the alert on {label} until {}: nothing is sent about it until then.", minute_utc(t)),
        None => format!("The alert on {label} is no longer muted."),
    };
    crate::ui::Flash::after_post(crate::access::Page::Alerts.path(), said);
    Ok(())
}

pub async fn settings(st: &AppState) -> Result<Vec<RuleSetting>, AppError> {
    let rows: Vec<(RuleKind, bool, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT r.kind, r.enabled, r.threshold, r.hold_minutes, r.repeat_minutes, (SELECT count(*) FROM alerts a WHERE a.rule = r.kind AND a.resolved_at IS NULL)
         FROM alert_rules r",
    )
    .fetch_all(&st.pool)
    .await?;
    let mut out: Vec<RuleSetting> = rows
        .into_iter()
        .map(|(kind, enabled, threshold, hold_minutes, repeat_minutes, open)| RuleSetting { kind, enabled, threshold, hold_minutes, repeat_minutes, open })
        .collect();
    out.sort_by_key(|r| RuleKind::ALL.iter().position(|k| *k == r.kind));
    Ok(out)
}

/// Checks a rule's form: each number at its field.
pub fn parse_rule(kind: &str, enabled: bool, threshold: &str, hold_minutes: &str, repeat_minutes: &str) -> Result<Rule, AppError> {
    let mut p = Problems::default();
    let kind = p.check("kind", RuleKind::parse(kind).ok_or_else(|| format!("“{kind}” is not a kind of rule.")));
    let max = kind.map_or(i64::MAX, RuleKind::max_threshold);
    let whole = |text: &str, max: i64| match text.trim().parse::<i64>() {
        Ok(n) if (0..=max).contains(&n) => Ok(n),
        _ => Err(format!("Enter a whole number from 0 to {max}.")),
    };
    let threshold = p.check("threshold", whole(threshold, max));
    let hold = p.check("hold_minutes", whole(hold_minutes, 1440));
    let repeat = p.check("repeat_minutes", whole(repeat_minutes, 10080));
    p.finish()?;
    match (kind, threshold, hold, repeat) {
        (Some(kind), Some(threshold), Some(hold_minutes), Some(repeat_minutes)) => Ok(Rule { kind, enabled, threshold, hold_minutes, repeat_minutes }),
        _ => Err(AppError::Internal),
    }
}

/// Saves a rule and applies it at once: a stricter threshold fires, a disabled rule resolves.
pub async fn save_rule(st: &AppState, cto: &User, rule: Rule) -> Result<(), AppError> {
    let mut tx = begin_write(&st.pool).await?;
    let before = engine::rule(&mut tx, rule.kind).await?;
    sqlx::query("UPDATE alert_rules SET enabled = ?2, threshold = ?3, hold_minutes = ?4, repeat_minutes = ?5 WHERE kind = ?1")
        .bind(rule.kind)
        .bind(rule.enabled)
        .bind(rule.threshold)
        .bind(rule.hold_minutes)
        .bind(rule.repeat_minutes)
        .execute(&mut *tx)
        .await?;
    let on = |b: bool| Some(if b { "on" } else { "off" }.to_string());
    Entry::new(&cto.actor(), "alerts", "save_alert_rule")
        .object("alert_rule", rule.kind.as_str(), rule.kind.label())
        .change("enabled", on(before.enabled), on(rule.enabled))
        .change(rule.kind.unit(), Some(before.threshold.to_string()), Some(rule.threshold.to_string()))
        .change("hold minutes", Some(before.hold_minutes.to_string()), Some(rule.hold_minutes.to_string()))
        .change("repeat minutes", Some(before.repeat_minutes.to_string()), Some(rule.repeat_minutes.to_string()))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    evaluate(&st.pool, Look::every(rule.kind), now_unix(), st.config.currency).await?;
    st.part::<super::notify::dispatch::Dispatcher>().wake();
    // The form posts without a script; the redirect back to the rules page says it.
    crate::ui::Flash::after_post(crate::access::Page::AlertRules.path(), format!("Saved the rule “{}”; open alerts are updated to match.", rule.kind.label()));
    Ok(())
}

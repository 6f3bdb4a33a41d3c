//! The bodies of the channel server functions. Staff set up their own channels; the CTO sees
//! and may change every channel. What a channel receives is bounded by its owner's scope when
//! each alert is sent (see `outbox`), so nothing here can widen it.

use super::dispatch::Dispatcher;
use super::model::{outcome_text, ChannelRow, Channels, DeliveryRow, DeliveryState, Event, Format};
use crate::access::Role;
use crate::alert::model::RuleKind;
use crate::auth::User;
use crate::platform::audit::{self, Entry};
use crate::platform::db::{begin_write, now_unix};
use crate::platform::error::{refused, AppError, Problems};
use crate::platform::state::AppState;
use crate::platform::time::minute_utc;
use sqlx::SqliteConnection;

/// Deliveries shown per channel.
const LOG: i64 = 10;

/// A channel's form as posted.
#[derive(Clone, Debug, Default)]
pub struct ChannelForm {
    pub id: String,
    pub name: String,
    pub format: String,
    /// The URL or address; blank on an existing channel keeps it.
    pub target: String,
    /// Blank keeps the secret there is.
    pub secret: String,
    pub rules: Vec<String>,
    pub department: String,
    pub critical_only: bool,
    /// Also the notices about the owner's own feedback.
    pub feedback: bool,
    pub enabled: bool,
}

#[derive(sqlx::FromRow)]
struct Stored {
    id: i64,
    owner_id: i64,
    owner: String,
    name: String,
    format: Format,
    target: String,
    secret: Option<String>,
    rules: String,
    department_id: Option<i64>,
    department: Option<String>,
    min_severity: String,
    feedback: bool,
    enabled: bool,
}

impl Stored {
    /// The rule kinds it takes; empty: every rule.
    fn rule_list(&self) -> Vec<String> {
        self.rules.split(',').filter(|r| !r.is_empty()).map(str::to_string).collect()
    }

    fn receives(&self) -> String {
        receives(&self.rule_list(), self.department.as_deref(), self.min_severity == "critical", self.feedback)
    }
}

const STORED: &str = "SELECT c.id, c.owner_id, u.name AS owner, c.name, c.format, c.target, c.secret, c.rules, c.department_id, d.name AS department,
                             c.min_severity, c.feedback, c.enabled
                      FROM alert_channels c JOIN users u ON u.id = c.owner_id LEFT JOIN departments d ON d.id = c.department_id";

/// The channel `id` if `user` may see and change it: the CTO any, others their own.
async fn owned(db: &mut SqliteConnection, user: &User, id: i64) -> Result<Stored, AppError> {
    let found: Option<Stored> = sqlx::query_as(&format!("{STORED} WHERE c.id = ?1")).bind(id).fetch_optional(db).await?;
    match found {
        Some(c) if user.role == Role::Cto || c.owner_id == user.id => Ok(c),
        Some(_) => Err(refused(AppError::Forbidden)),
        None => Err(refused(AppError::NotFound)),
    }
}

pub async fn list(st: &AppState, user: &User) -> Result<Channels, AppError> {
    let mut db = st.pool.acquire().await?;
    let cto = user.role == Role::Cto;
    let stored: Vec<Stored> = sqlx::query_as(&format!("{STORED} WHERE ?1 OR c.owner_id = ?2 ORDER BY c.owner_id = ?2 DESC, c.name, c.id"))
        .bind(cto)
        .bind(user.id)
        .fetch_all(&mut *db)
        .await?;
    let mut rows = Vec::with_capacity(stored.len());
    for c in stored {
        let deliveries = deliveries(&mut db, c.id).await?;
        rows.push(row(c, user, deliveries));
    }
    let departments = if cto { sqlx::query_as("SELECT id, name FROM departments ORDER BY name").fetch_all(&mut *db).await? } else { Vec::new() };
    Ok(Channels { rows, email_ready: st.part::<Dispatcher>().email_ready(), own_email: user.email.clone(), departments })
}

fn row(c: Stored, user: &User, deliveries: Vec<DeliveryRow>) -> ChannelRow {
    let rules = c.rule_list();
    let critical_only = c.min_severity == "critical";
    let receives = c.receives();
    ChannelRow {
        id: c.id,
        target: shown(c.format, &c.target),
        name: c.name,
        format: c.format,
        owner: c.owner,
        mine: c.owner_id == user.id,
        signed: c.secret.is_some_and(|s| !s.is_empty()),
        rules,
        department: c.department,
        department_id: c.department_id,
        critical_only,
        feedback: c.feedback,
        enabled: c.enabled,
        receives,
        deliveries,
    }
}

/// "Every alert", "KPI off target and System down or degraded alerts of Engineering, critical
/// only, and news of the owner's feedback".
fn receives(rules: &[String], department: Option<&str>, critical_only: bool, feedback: bool) -> String {
    let what = if rules.is_empty() {
        "Every alert".to_string()
    } else {
        let labels: Vec<&str> = rules.iter().map(|r| RuleKind::parse(r).map_or(r.as_str(), |k| k.label())).collect();
        format!("{} alerts", labels.join(", "))
    };
    let of = department.map(|d| format!(" of {d}")).unwrap_or_default();
    let severity = if critical_only { ", critical only" } else { "" };
    let news = if feedback { ", and news of the owner's feedback" } else { "" };
    format!("{what}{of}{severity}{news}")
}

/// Where a channel goes, without what lets anyone post there: a webhook URL's path and query
/// are often its credential (Slack's and Teams' are).
pub fn shown(format: Format, target: &str) -> String {
    if !format.is_webhook() {
        return target.to_string();
    }
    match url::Url::parse(target) {
        Ok(u) => {
            let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
            let rest = if u.path() == "/" && u.query().is_none() { "/" } else { "/…" };
            format!("{}://{}{port}{rest}", u.scheme(), u.host_str().unwrap_or(""))
        }
        Err(_) => "(not a URL)".into(),
    }
}

async fn deliveries(db: &mut SqliteConnection, channel: i64) -> Result<Vec<DeliveryRow>, AppError> {
    let rows: Vec<(i64, i64, Event, String, DeliveryState, i64, Format, Option<i64>, Option<String>, Option<i64>, i64)> = sqlx::query_as(
        "SELECT d.id, d.created_at, d.event, d.title, d.state, d.attempts, c.format, d.last_status, d.last_error, d.last_ms, d.next_at
         FROM alert_deliveries d JOIN alert_channels c ON c.id = d.channel_id WHERE d.channel_id = ?1 ORDER BY d.id DESC LIMIT ?2",
    )
    .bind(channel)
    .bind(LOG)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, at, event, title, state, attempts, format, status, error, ms, next_at)| {
            let mut outcome = outcome_text(format, status, error.as_deref(), ms);
            if state == DeliveryState::Pending && attempts > 0 {
                outcome = format!("{outcome}; next try {}", minute_utc(next_at));
            }
            DeliveryRow { id, at: minute_utc(at), event, title, state, attempts, outcome }
        })
        .collect())
}

/// Checks a channel's form, each problem at its field, against what is stored (`before`).
fn parse(st: &AppState, user: &User, f: &ChannelForm, before: Option<&Stored>) -> Result<Parsed, AppError> {
    let mut p = Problems::default();
    let name = f.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        p.add("name", "Enter a name of 1 to 80 characters, such as “#ops on Slack”.");
    }
    let format = p.check("format", Format::parse(&f.format).ok_or_else(|| format!("“{}” is not a kind of channel.", f.format)));
    let typed = f.target.trim();
    let target = match (typed, before) {
        ("", Some(b)) if Some(b.format) == format => Some(b.target.clone()),
        ("", _) => p.check("target", Err(if format == Some(Format::Email) { "Enter an e-mail address." } else { "Enter the webhook's URL." }.to_string())),
        (t, _) => match format {
            Some(Format::Email) => p.check("target", email_target(user, t)),
            Some(_) => p.check("target", webhook_url(&st.config.outbound, t)),
            None => None,
        },
    };
    let secret = match f.secret.trim() {
        "" => before.and_then(|b| b.secret.clone()).filter(|_| format.is_some_and(Format::is_webhook)),
        _ if format == Some(Format::Email) => {
            p.add("secret", "E-mail is not signed; leave the secret empty.");
            None
        }
        s if s.len() < 16 || s.len() > 200 => {
            p.add("secret", "Use 16 to 200 characters, as random as you can make them.");
            None
        }
        s => Some(s.to_string()),
    };
    if format == Some(Format::Generic) && secret.is_none() {
        p.add("secret", "A JSON webhook is signed: enter the secret its receiver checks the signature with (16 characters or more).");
    }
    let mut rules = Vec::new();
    for r in &f.rules {
        match RuleKind::parse(r) {
            Some(k) => rules.push(k.as_str()),
            None => p.add("rules", format!("“{r}” is not a kind of rule.")),
        }
    }
    let department = match crate::platform::error::parse_id(&f.department, "department") {
        Ok(d) if d.is_some() && user.role != Role::Cto => {
            p.add("department", "Your channels receive your department's alerts; only the CTO narrows a channel to a department.");
            None
        }
        Ok(d) => d,
        Err(e) => {
            p.absorb(e);
            None
        }
    };
    p.finish()?;
    let (Some(format), Some(target)) = (format, target) else { return Err(AppError::Internal) };
    Ok(Parsed { name: name.to_string(), format, target, secret, rules: rules.join(","), department, critical_only: f.critical_only, feedback: f.feedback, enabled: f.enabled })
}

struct Parsed {
    name: String,
    format: Format,
    target: String,
    secret: Option<String>,
    rules: String,
    department: Option<i64>,
    critical_only: bool,
    feedback: bool,
    enabled: bool,
}

/// A department head sends only to their own address: Northstar is not a way to mail others.
fn email_target(user: &User, typed: &str) -> Result<String, String> {
    let own = &user.email;
    let address: lettre::Address = typed.parse().map_err(|_| format!("“{typed}” is not an e-mail address."))?;
    if user.role != Role::Cto && !address.to_string().eq_ignore_ascii_case(own) {
        return Err(format!("You can send alerts to your own address only, {own}."));
    }
    Ok(address.to_string())
}

/// An http(s) URL with a host; a literal address is judged by the outbound policy now, a name
/// at every attempt (what it resolves to may change).
fn webhook_url(policy: &crate::platform::net::AddressPolicy, typed: &str) -> Result<String, String> {
    let url = url::Url::parse(typed).map_err(|e| format!("“{typed}” is not a URL: {e}."))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("Use an http:// or https:// URL.".into());
    }
    let host = url.host_str().filter(|h| !h.is_empty()).ok_or("The URL names no host.")?;
    if let Ok(ip) = host.trim_start_matches('[').trim_end_matches(']').parse() {
        policy.check(ip).map_err(|why| format!("The server may not send there: {why}."))?;
    }
    if typed.len() > 2000 {
        return Err("Use a URL of at most 2,000 characters.".into());
    }
    Ok(url.to_string())
}

/// The channel as the audit trail reads it; the secret shows only as changed.
const AUDITED: &str = "SELECT c.name, c.format, c.secret, c.rules, d.name AS department, c.min_severity, c.feedback, c.enabled
                       FROM alert_channels c LEFT JOIN departments d ON d.id = c.department_id WHERE c.id = ?1";

pub async fn save(st: &AppState, user: &User, form: &ChannelForm) -> Result<i64, AppError> {
    let id = crate::platform::error::parse_id(&form.id, "channel")?;
    let mut tx = begin_write(&st.pool).await?;
    let before = match id {
        Some(id) => Some(owned(&mut tx, user, id).await?),
        None => None,
    };
    // A department head's channel keeps its owner, and the owner's limits, when the CTO edits it.
    let owner = match &before {
        Some(b) if b.owner_id != user.id => crate::auth::repo::user_by_id(&mut *tx, b.owner_id).await?.ok_or(AppError::NotFound)?.into_user(),
        _ => user.clone(),
    };
    let p = parse(st, &owner, form, before.as_ref())?;
    let audited_before = match id {
        Some(id) => audit::select(&mut tx, AUDITED, id).await?,
        None => None,
    };
    let severity = if p.critical_only { "critical" } else { "warning" };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO alert_channels (id, owner_id, name, format, target, secret, rules, department_id, min_severity, enabled, created_at, feedback)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, format = excluded.format, target = excluded.target, secret = excluded.secret,
             rules = excluded.rules, department_id = excluded.department_id, min_severity = excluded.min_severity, enabled = excluded.enabled,
             feedback = excluded.feedback
         RETURNING id",
    )
    .bind(id)
    .bind(owner.id)
    .bind(&p.name)
    .bind(p.format)
    .bind(&p.target)
    .bind(&p.secret)
    .bind(&p.rules)
    .bind(p.department)
    .bind(severity)
    .bind(p.enabled)
    .bind(now_unix())
    .bind(p.feedback)
    .fetch_one(&mut *tx)
    .await?;
    let before_target = before.as_ref().map(|b| shown(b.format, &b.target));
    Entry::new(&user.actor(), "alerts", "save_alert_channel")
        .object("alert_channel", id, &p.name)
        .diff(audited_before.as_ref(), audit::select(&mut tx, AUDITED, id).await?.as_ref())
        .change("target", before_target, Some(shown(p.format, &p.target)))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    back_to_list(format!("Saved the channel “{}”. Send a test to see it arrive.", p.name), Some(id));
    Ok(id)
}

pub async fn delete(st: &AppState, user: &User, id: i64) -> Result<(), AppError> {
    let mut tx = begin_write(&st.pool).await?;
    let c = owned(&mut tx, user, id).await?;
    let before = audit::select(&mut tx, AUDITED, id).await?;
    sqlx::query("DELETE FROM alert_channels WHERE id = ?1").bind(id).execute(&mut *tx).await?;
    Entry::new(&user.actor(), "alerts", "delete_alert_channel").object("alert_channel", id, &c.name).diff(before.as_ref(), None).record(&mut tx).await?;
    tx.commit().await?;
    back_to_list(format!("Deleted the channel “{}” and its delivery log.", c.name), None);
    Ok(())
}

/// Sends a test message at once and says how it went; it is in the channel's log either way.
pub async fn test(st: &AppState, user: &User, id: i64) -> Result<String, AppError> {
    let now = now_unix();
    let mut tx = begin_write(&st.pool).await?;
    let c = owned(&mut tx, user, id).await?;
    // Taken by this request from the start (`next_at` a lease ahead), so the dispatcher's own
    // rounds leave it alone and it is sent once.
    let summary = format!("A test from Northstar. This channel receives: {}.", c.receives());
    let delivery: i64 = sqlx::query_scalar(
        "INSERT INTO alert_deliveries (channel_id, event, rule, severity, title, summary, link, state, attempts, next_at, created_at)
         VALUES (?1, 'test', 'test', 'warning', ?2, ?3, ?4, 'sending', 1, ?5 + ?6, ?5) RETURNING id",
    )
    .bind(id)
    .bind(&c.name)
    .bind(&summary)
    .bind(crate::access::Page::AlertChannels.path())
    .bind(now)
    .bind(super::dispatch::LEASE)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    let (ok, said) = st.part::<Dispatcher>().test(&st.pool, delivery).await?;
    let mut tx = begin_write(&st.pool).await?;
    Entry::new(&user.actor(), "alerts", "test_alert_channel").object("alert_channel", id, &c.name).detail(said.clone()).record(&mut tx).await?;
    tx.commit().await?;
    if !ok {
        return Err(AppError::Unavailable { message: format!("The test to “{}” did not arrive: {said}.", c.name) });
    }
    back_to_list(format!("The test to “{}” arrived: {said}.", c.name), Some(id));
    Ok(said)
}

/// After a plain form's success: the channel list, with its form closed, saying what happened
/// there; scrolled to the channel concerned. A script caller gets the answer instead.
fn back_to_list(message: String, channel: Option<i64>) {
    let list = crate::access::Page::AlertChannels.path();
    crate::ui::Flash::after_post(list, message);
    if crate::platform::request::wants_html() {
        leptos_axum::redirect(&match channel {
            Some(id) => format!("{list}#channel-{id}"),
            None => list.to_string(),
        });
    }
}

//! Sends what the outbox queued: webhooks through the server's one way out (so a webhook URL is
//! judged by the same address policy as a health check, at every attempt), e-mail through the
//! configured SMTP relay. A failed attempt is retried with growing pauses; an answer that says
//! the request itself is wrong (a 4xx, a permanent SMTP refusal) is not.

use super::message::{email, signature, webhook_body, Notice};
use super::model::{DeliveryState, Format};
use crate::platform::config::{Config, Smtp};
use crate::platform::db::now_unix;
use crate::platform::error::AppError;
use crate::platform::net::http::{fetch, Method, Request};
use crate::platform::net::Outbound;
use crate::platform::state::AppState;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sqlx::SqlitePool;
use std::time::{Duration, Instant};

/// Pauses before the 2nd, 3rd... attempt; after the last, the delivery gives up.
pub const BACKOFF: [i64; 5] = [30, 120, 600, 3600, 4 * 3600];
/// How long one attempt may take.
const ATTEMPT: Duration = Duration::from_secs(10);
/// How long a taken delivery is left to its sender before another may take it.
pub const LEASE: i64 = 120;
/// Deliveries taken per round.
const BATCH: i64 = 20;
/// A round runs at least this often, for retries that come due.
const IDLE: Duration = Duration::from_secs(5);

/// The sender: its ways out, and a bell the outbox rings when it queued something.
pub struct Dispatcher {
    out: Outbound,
    mail: Option<(AsyncSmtpTransport<Tokio1Executor>, lettre::message::Mailbox)>,
    /// Where links in messages point: the site URL, or the address the server listens on.
    base: String,
    wake: tokio::sync::Notify,
}

/// How one attempt went.
#[derive(Debug)]
struct Outcome {
    ok: bool,
    /// Worth another attempt later.
    retry: bool,
    status: Option<i64>,
    error: Option<String>,
    ms: i64,
}

impl Dispatcher {
    pub fn new(config: &Config, out: Outbound) -> Dispatcher {
        let base = match &config.site_url {
            Some(url) => url.as_str().trim_end_matches('/').to_string(),
            None => format!("http://{}", config.addr),
        };
        Dispatcher { out, mail: config.smtp.as_ref().map(transport), base, wake: tokio::sync::Notify::new() }
    }

    pub fn email_ready(&self) -> bool {
        self.mail.is_some()
    }

    /// Called after a transaction that queued deliveries has committed.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub fn start(st: AppState) {
        tokio::spawn(async move {
            let me = st.part::<Dispatcher>();
            loop {
                if let Err(e) = me.round(&st.pool, now_unix()).await {
                    tracing::warn!(error = %e, "sending alert notifications failed");
                }
                let _ = tokio::time::timeout(IDLE, me.wake.notified()).await;
            }
        });
    }

    /// Sends every delivery due at `now`, a batch at a time; returns how many were attempted.
    pub async fn round(&self, pool: &SqlitePool, now: i64) -> Result<usize, AppError> {
        let mut attempted = 0;
        loop {
            let batch = take(pool, now).await?;
            if batch.is_empty() {
                return Ok(attempted);
            }
            attempted += batch.len();
            let sent = futures_util::future::join_all(batch.iter().map(|(n, c)| self.attempt(n, c, now)));
            for ((n, c), outcome) in batch.iter().zip(sent.await) {
                settle(pool, n.id, c.attempts, &outcome, now).await?;
            }
        }
    }

    /// Sends one test message to channel `channel` at once and records it; the outcome in words.
    pub async fn test(&self, pool: &SqlitePool, delivery: i64) -> Result<(bool, String), AppError> {
        let now = now_unix();
        let (n, c) = load(pool, delivery).await?;
        let outcome = self.attempt(&n, &c, now).await;
        let said = super::model::outcome_text(c.format, outcome.status, outcome.error.as_deref(), Some(outcome.ms));
        let done = Outcome { retry: false, ..outcome };
        settle(pool, delivery, c.attempts, &done, now).await?;
        Ok((done.ok, said))
    }

    async fn attempt(&self, n: &Notice, c: &Target, now: i64) -> Outcome {
        let started = Instant::now();
        let mut outcome = match tokio::time::timeout(ATTEMPT, self.send(n, c, now)).await {
            Ok(o) => o,
            Err(_) => Outcome { ok: false, retry: true, status: None, error: Some(format!("no answer within {} s", ATTEMPT.as_secs())), ms: 0 },
        };
        outcome.ms = started.elapsed().as_millis() as i64;
        outcome
    }

    async fn send(&self, n: &Notice, c: &Target, now: i64) -> Outcome {
        if !c.enabled {
            return failed("the channel is switched off", false);
        }
        if c.format == Format::Email {
            return self.email(n, c).await;
        }
        let body = webhook_body(c.format, n, &self.base);
        let mut headers = vec![
            ("content-type", "application/json".to_string()),
            ("x-northstar-event", n.event.as_str().to_string()),
            ("x-northstar-delivery", n.id.to_string()),
        ];
        if let Some(secret) = c.secret.as_deref().filter(|s| !s.is_empty()) {
            headers.push(("x-northstar-signature", signature(secret, now, &body)));
        }
        let request = Request { method: Method::Post, url: &c.target, follow_redirects: false, body_limit: 1024, headers: &headers, body: body.as_bytes() };
        match fetch(&self.out, request).await {
            Ok(r) if (200..300).contains(&r.status) => Outcome { ok: true, retry: false, status: Some(r.status.into()), error: None, ms: 0 },
            Ok(r) => {
                // The receiver is busy or broken: later. It refuses what we send: not again.
                let retry = r.status >= 500 || r.status == 408 || r.status == 429;
                let hint = if r.is_redirect() { " (redirects are not followed; use the final URL)" } else { "" };
                Outcome { ok: false, retry, status: Some(r.status.into()), error: Some(format!("HTTP {}{hint}", r.status)), ms: 0 }
            }
            Err(e) => failed(&e, true),
        }
    }

    async fn email(&self, n: &Notice, c: &Target) -> Outcome {
        let Some((transport, from)) = &self.mail else {
            return failed("e-mail is not set up on this server (NORTHSTAR_SMTP_URL)", false);
        };
        let to = match c.target.parse::<lettre::message::Mailbox>() {
            Ok(to) => to,
            Err(e) => return failed(&format!("{} is not an e-mail address: {e}", c.target), false),
        };
        let (subject, text) = email(n, &self.base);
        let message = lettre::Message::builder()
            .from(from.clone())
            .to(to)
            .subject(subject)
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(text);
        let message = match message {
            Ok(m) => m,
            Err(e) => return failed(&format!("the message could not be built: {e}"), false),
        };
        match transport.send(message).await {
            Ok(r) => Outcome { ok: true, retry: false, status: Some(smtp_code(r.code())), error: None, ms: 0 },
            Err(e) => Outcome { ok: false, retry: !e.is_permanent(), status: e.status().map(smtp_code), error: Some(format!("SMTP: {e}")), ms: 0 },
        }
    }
}

fn transport(smtp: &Smtp) -> (AsyncSmtpTransport<Tokio1Executor>, lettre::message::Mailbox) {
    // The URL was checked when the configuration was read.
    let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&smtp.url).expect("NORTHSTAR_SMTP_URL was checked at start-up");
    (builder.timeout(Some(ATTEMPT)).build(), smtp.from.clone())
}

fn smtp_code(code: lettre::transport::smtp::response::Code) -> i64 {
    code.to_string().parse().unwrap_or(0)
}

fn failed(why: &str, retry: bool) -> Outcome {
    Outcome { ok: false, retry, status: None, error: Some(why.to_string()), ms: 0 }
}

/// Where a delivery goes.
#[derive(sqlx::FromRow)]
struct Target {
    format: Format,
    target: String,
    secret: Option<String>,
    enabled: bool,
    attempts: i64,
}

/// Takes the deliveries due at `now`, marking them taken for a while so that no other round
/// sends them meanwhile; a sender that dies leaves them to be taken again when that ends.
async fn take(pool: &SqlitePool, now: i64) -> Result<Vec<(Notice, Target)>, AppError> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "UPDATE alert_deliveries SET state = 'sending', next_at = ?1 + ?2, attempts = attempts + 1
         WHERE id IN (SELECT id FROM alert_deliveries WHERE state IN ('pending', 'sending') AND next_at <= ?1 ORDER BY next_at, id LIMIT ?3)
         RETURNING id",
    )
    .bind(now)
    .bind(LEASE)
    .bind(BATCH)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(load(pool, id).await?);
    }
    Ok(out)
}

async fn load(pool: &SqlitePool, id: i64) -> Result<(Notice, Target), AppError> {
    let notice: Notice = sqlx::query_as("SELECT id, alert_id, event, rule, severity, title, summary, link FROM alert_deliveries WHERE id = ?1").bind(id).fetch_one(pool).await?;
    let target: Target = sqlx::query_as(
        "SELECT c.format, c.target, c.secret, c.enabled, d.attempts FROM alert_deliveries d JOIN alert_channels c ON c.id = d.channel_id WHERE d.id = ?1",
    )
    .bind(id)
    .fetch_one(pool)
    .await?;
    Ok((notice, target))
}

/// Records an attempt: sent, another try later, or given up.
async fn settle(pool: &SqlitePool, id: i64, attempts: i64, o: &Outcome, now: i64) -> Result<(), AppError> {
    let pause = BACKOFF.get(attempts.max(1) as usize - 1).copied();
    let (state, next_at) = match (o.ok, o.retry, pause) {
        (true, _, _) => (DeliveryState::Sent, now),
        (false, true, Some(p)) => (DeliveryState::Pending, now + p),
        _ => (DeliveryState::Failed, now),
    };
    sqlx::query(
        "UPDATE alert_deliveries SET state = ?2, next_at = ?3, last_status = ?4, last_error = ?5, last_ms = ?6,
                sent_at = CASE WHEN ?2 = 'sent' THEN ?7 END
         WHERE id = ?1",
    )
    .bind(id)
    .bind(state)
    .bind(next_at)
    .bind(o.status)
    .bind(&o.error)
    .bind(o.ms)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

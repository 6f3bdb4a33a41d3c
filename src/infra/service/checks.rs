//! A system's checks: adding, changing, removing and running them, and how they are listed.

use super::super::model::CheckForm;
use super::super::model::Opener;
use super::super::record::refresh_system;

use crate::platform::time::minute_utc as when;
use crate::platform::error::parse_id;
use super::super::view::CheckRow;
use crate::platform::audit::{self, Entry};
use crate::auth::User;
use crate::platform::error::AppError;
use crate::platform::db::{begin_write, now_unix};
use crate::platform::state::AppState;
use sqlx::SqliteConnection;

/// Adds a check (`check_id` empty) or changes one. A changed check starts over as pending:
/// what it knew was about the old settings.
pub async fn save_check(st: &AppState, user: &User, system_id: i64, check_id: &str, form: &CheckForm) -> Result<i64, AppError> {
    let check_id = parse_id(check_id, "check")?;
    let spec = form.parse()?;
    refuse_by_policy(st.part::<crate::infra::monitor::Monitor>().prober.outbound().policy(), &spec)?;
    let mut tx = begin_write(&st.pool).await?;
    let name = super::systems::system_name(&mut tx, system_id).await?;
    let before = match check_id {
        Some(id) => audit::select(&mut tx, CHECK_AS_READ, id).await?,
        None => None,
    };
    // One list of arguments for both statements; a NULL id inserts a new check.
    let sql = if check_id.is_some() {
        r#"UPDATE checks SET kind = ?3, target = ?4, method = ?5, expect_min = ?6, expect_max = ?7, keyword = ?8, follow_redirects = ?9,
               timeout_ms = ?10, interval_secs = ?11, failure_threshold = ?12, degraded_ms = ?13, enabled = ?14,
               state = 'pending', failures = 0, failing_since = NULL
           WHERE id = ?1 AND system_id = ?2 RETURNING id"#
    } else {
        r#"INSERT INTO checks (id, system_id, kind, target, method, expect_min, expect_max, keyword, follow_redirects, timeout_ms,
               interval_secs, failure_threshold, degraded_ms, enabled)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id"#
    };
    let saved: Option<(i64,)> = sqlx::query_as(sql)
        .bind(check_id)
        .bind(system_id)
        .bind(spec.kind)
        .bind(&spec.target)
        .bind(&spec.method)
        .bind(spec.expect_min)
        .bind(spec.expect_max)
        .bind(&spec.keyword)
        .bind(spec.follow_redirects)
        .bind(spec.timeout_ms)
        .bind(spec.interval_secs)
        .bind(spec.failure_threshold)
        .bind(spec.degraded_ms)
        .bind(spec.enabled)
        .fetch_optional(&mut *tx)
        .await?;
    let (id,) = saved.ok_or(AppError::NotFound)?;
    refresh_system(&mut tx, system_id, now_unix(), Opener::Person).await?;
    Entry::new(&user.actor(), "infrastructure", "save_check")
        .object("system", system_id, name)
        .diff(before.as_ref(), audit::select(&mut tx, CHECK_AS_READ, id).await?.as_ref())
        .detail(format!("check {id}"))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    st.part::<crate::infra::monitor::Monitor>().reload();
    Ok(id)
}

/// A target given as an address the outbound policy refuses is refused at its field when the
/// check is saved; a name is judged each time it is resolved, since its addresses may change.
fn refuse_by_policy(policy: &crate::platform::net::AddressPolicy, spec: &super::super::model::CheckSpec) -> Result<(), AppError> {
    let host = match spec.kind {
        super::super::model::CheckKind::Http => url::Url::parse(&spec.target).ok().and_then(|u| u.host_str().map(str::to_string)),
        super::super::model::CheckKind::Tcp => super::super::model::split_host_port(&spec.target).ok().map(|(h, _)| h),
    };
    let ip = host.as_deref().and_then(|h| h.trim_start_matches('[').trim_end_matches(']').parse::<std::net::IpAddr>().ok());
    match ip.map(|ip| policy.check(ip)) {
        Some(Err(why)) => Err(AppError::field("target", format!("This address may not be checked: {why}. See NORTHSTAR_OUTBOUND_ALLOW_LINK_LOCAL in the README."))),
        _ => Ok(()),
    }
}

/// Deletes a check with its results; answers how the page names it ("the http check of …").
pub async fn delete_check(st: &AppState, user: &User, id: i64) -> Result<String, AppError> {
    let mut tx = begin_write(&st.pool).await?;
    let before = audit::select(&mut tx, CHECK_AS_READ, id).await?;
    let (system_id,): (i64,) = sqlx::query_as("DELETE FROM checks WHERE id = ?1 RETURNING system_id").bind(id).fetch_optional(&mut *tx).await?.ok_or(AppError::NotFound)?;
    refresh_system(&mut tx, system_id, now_unix(), Opener::Person).await?;
    let name = super::systems::system_name(&mut tx, system_id).await?;
    Entry::new(&user.actor(), "infrastructure", "delete_check")
        .object("system", system_id, name)
        .diff(before.as_ref(), None)
        .detail(format!("check {id}"))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    st.part::<crate::infra::monitor::Monitor>().reload();
    let get = |k: &str| audit::value(before.as_ref(), k);
    Ok(format!("the {} check of {}", get("kind"), get("target")))
}

/// A check's settings as the trail shows them; its state is what it observes, not a change.
const CHECK_AS_READ: &str = "SELECT kind, target, method, expect_min, expect_max, keyword, follow_redirects, timeout_ms, interval_secs, failure_threshold, degraded_ms, enabled
     FROM checks WHERE id = ?1";

/// Runs a check at once and says what it found.
pub async fn run_check(st: &AppState, user: &User, id: i64) -> Result<String, AppError> {
    let spec = super::super::monitor::enabled_checks(&st.pool, Some(id)).await?.pop().map(|(_, s)| s);
    let Some(spec) = spec else {
        let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM checks WHERE id = ?1").bind(id).fetch_optional(&st.pool).await?;
        return Err(match exists {
            Some(_) => AppError::conflict("This check is paused; enable it to run it."),
            None => AppError::NotFound,
        });
    };
    let o = super::super::monitor::run_now(&st.pool, &st.part::<crate::infra::monitor::Monitor>().prober, id, &spec).await?;
    let found = match o.error {
        None => format!("Passed in {} ms.", o.latency_ms),
        Some(e) => format!("Failed after {} ms: {e}.", o.latency_ms),
    };
    // The result was stored with the check's own; the trail notes who asked for it.
    let mut tx = begin_write(&st.pool).await?;
    let (system_id, name): (i64, String) =
        sqlx::query_as("SELECT c.system_id, s.name FROM checks c JOIN systems s ON s.id = c.system_id WHERE c.id = ?1").bind(id).fetch_one(&mut *tx).await?;
    Entry::new(&user.actor(), "infrastructure", "run_check").object("system", system_id, name).detail(format!("check {id}: {found}")).record(&mut tx).await?;
    tx.commit().await?;
    st.changes.tell(crate::platform::changes::Changed::System(system_id));
    Ok(found)
}

#[derive(sqlx::FromRow)]
struct CheckDb {
    id: i64,
    kind: String,
    target: String,
    method: String,
    expect_min: i64,
    expect_max: i64,
    keyword: String,
    follow_redirects: bool,
    timeout_ms: i64,
    interval_secs: i64,
    failure_threshold: i64,
    degraded_ms: Option<i64>,
    enabled: bool,
    state: String,
    failures: i64,
    last_at: Option<i64>,
    last_latency_ms: Option<i64>,
    last_error: Option<String>,
    tls_expires_at: Option<i64>,
}

pub async fn check_rows(db: &mut SqliteConnection, system_id: i64) -> Result<Vec<CheckRow>, AppError> {
    let rows: Vec<CheckDb> = sqlx::query_as(
        r#"SELECT id, kind, target, method, expect_min, expect_max, keyword, follow_redirects, timeout_ms, interval_secs, failure_threshold,
                  degraded_ms, enabled, state, failures, last_at, last_latency_ms, last_error, tls_expires_at FROM checks WHERE system_id = ?1 ORDER BY id"#,
    )
    .bind(system_id)
    .fetch_all(&mut *db)
    .await?;
    Ok(rows.into_iter().map(check_row).collect())
}

fn check_row(c: CheckDb) -> CheckRow {
    let expect = if c.expect_min == c.expect_max { c.expect_min.to_string() } else { format!("{}-{}", c.expect_min, c.expect_max) };
    let what = if c.kind == "http" {
        let mut s = format!("{}, expects {expect}", c.method);
        if !c.keyword.is_empty() {
            s.push_str(&format!(" containing “{}”", c.keyword));
        }
        if !c.follow_redirects {
            s.push_str(", redirects not followed");
        }
        s
    } else {
        "TCP connect".to_string()
    };
    let certificate = c.tls_expires_at.map(|t| {
        let date = chrono::DateTime::from_timestamp(t, 0).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
        if t < crate::platform::db::now_unix() { format!("; TLS certificate expired on {date}") } else { format!("; TLS certificate valid until {date}") }
    });
    let summary = format!(
        "{what}; every {} s, timeout {} ms, down after {} failure{}{}{}",
        c.interval_secs,
        c.timeout_ms,
        c.failure_threshold,
        if c.failure_threshold == 1 { "" } else { "s" },
        c.degraded_ms.map(|d| format!(", slow above {d} ms")).unwrap_or_default(),
        certificate.unwrap_or_default()
    );
    CheckRow {
        id: c.id,
        kind: if c.kind == "http" { "HTTP".into() } else { "TCP".into() },
        target: c.target.clone(),
        summary,
        enabled: c.enabled,
        state: super::super::model::check_state(&c.state),
        last_at: c.last_at.map(when),
        latency_ms: c.last_latency_ms,
        last_error: c.last_error,
        failures: c.failures,
        form: CheckForm {
            kind: c.kind,
            target: c.target,
            method: c.method,
            expect,
            keyword: c.keyword,
            follow_redirects: c.follow_redirects,
            timeout_ms: c.timeout_ms.to_string(),
            interval_secs: c.interval_secs.to_string(),
            failure_threshold: c.failure_threshold.to_string(),
            degraded_ms: c.degraded_ms.map(|d| d.to_string()).unwrap_or_default(),
            enabled: c.enabled,
        },
    }
}

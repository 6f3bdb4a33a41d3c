//! Runs the rules: at once for what an area says changed, and on a schedule for what time
//! alone changes (a system down long enough, an incident left alone, a deadline coming). The
//! scheduled pass reads the few rows that can be in trouble, never a KPI's whole history: KPIs
//! are looked at when their data changes, and once an hour as their windows move on.

use super::rules::{evaluate_all, Look};
use crate::platform::changes::Changed;
use crate::platform::db::now_unix;
use crate::platform::state::AppState;
use super::notify::dispatch::Dispatcher;
use std::time::Duration;

/// How often the time-based rules look again.
const TICK: Duration = Duration::from_secs(30);
/// Every this many ticks (an hour), every KPI too.
const KPI_EVERY: u32 = 120;

pub fn start(st: AppState) {
    let mut watcher = st.changes.watch();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut ticks = 0u32;
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    // The first tick is at once: after a restart, everything is looked at.
                    let with_kpis = ticks % KPI_EVERY == 0;
                    ticks = ticks.wrapping_add(1);
                    sweep(&st, with_kpis).await;
                }
                news = watcher.next() => match news {
                    Some(Ok(Changed::Notice)) => relay(&st).await,
                    Some(Ok(changed)) => run(&st, &looks_at(changed)).await,
                    // Some news was lost: look at everything rather than miss a condition.
                    Some(Err(_)) => sweep(&st, true).await,
                    None => break,
                },
            }
        }
    });
}

fn looks_at(changed: Changed) -> Vec<Look> {
    match changed {
        Changed::Kpi(id) => vec![Look::Kpi(Some(id))],
        Changed::System(id) => vec![Look::System(Some(id)), Look::ErrorBudget(Some(id))],
        Changed::Incident(id) => vec![Look::Incident(Some(id))],
        Changed::Contract => vec![Look::Contracts],
        Changed::Budget(d) => vec![Look::BudgetForecast(d), Look::SpendVariance(d)],
        Changed::Findings(system) => vec![Look::Findings(system)],
        Changed::Controls => vec![Look::Controls],
        // No rule watches people cost yet; notices are relayed, not judged.
        Changed::People | Changed::Notice => Vec::new(),
    }
}

/// Every time-based rule over all it watches; every KPI too when `with_kpis`. Then the notices
/// time makes due: repeats, and resolutions that have held.
pub async fn sweep(st: &AppState, with_kpis: bool) {
    // Hourly, before the controls are judged: the evidence Northstar records itself from the
    // checks it runs (a control evidenced by them is never overdue while they run).
    if with_kpis {
        if let Err(e) = crate::assurance::service::automatic::collect(&st.pool, now_unix()).await {
            tracing::warn!(error = %e, "could not record the automatic evidence of controls");
        }
    }
    // Downtime keeps using the error budget while a system stays down, so it is looked at too.
    // Deadlines pass with the days, imports or not.
    for look in [Look::System(None), Look::Incident(None), Look::Contracts, Look::ErrorBudget(None), Look::Certificates, Look::Findings(None), Look::Controls] {
        run(st, &[look]).await;
    }
    // Hourly, as the year moves on: the plan to date grows, and the forecasts with it.
    if with_kpis {
        run(st, &[Look::Kpi(None)]).await;
        run(st, &[Look::BudgetForecast(None), Look::SpendVariance(None)]).await;
    }
    match notices_due(&st.pool, now_unix()).await {
        Ok(0) => {}
        Ok(_) => st.part::<Dispatcher>().wake(),
        Err(e) => tracing::warn!(error = %e, "could not queue repeated and resolved alert notices"),
    }
}

/// Queues what time alone makes due (see `notify::outbox::sweep`) and the notices written for
/// channels' owners that were not relayed yet; returns how many.
pub async fn notices_due(pool: &sqlx::SqlitePool, now: i64) -> Result<u64, crate::platform::error::AppError> {
    let mut tx = crate::platform::db::begin_write(pool).await?;
    let queued = crate::alert::notify::outbox::sweep(&mut tx, now).await? + crate::alert::notify::outbox::relay(&mut tx).await?;
    tx.commit().await?;
    Ok(queued)
}

/// Relays new notices at once, rather than at the next tick.
async fn relay(st: &AppState) {
    let queued = async {
        let mut tx = crate::platform::db::begin_write(&st.pool).await?;
        let queued = crate::alert::notify::outbox::relay(&mut tx).await?;
        tx.commit().await?;
        Ok::<u64, crate::platform::error::AppError>(queued)
    };
    match queued.await {
        Ok(0) => {}
        Ok(_) => st.part::<Dispatcher>().wake(),
        Err(e) => tracing::warn!(error = %e, "could not relay notices to channels"),
    }
}

async fn run(st: &AppState, looks: &[Look]) {
    let started = std::time::Instant::now();
    match evaluate_all(&st.pool, looks, now_unix(), st.config.currency).await {
        Ok(done) if !done.is_empty() => {
            tracing::info!(?looks, ?done, "alerts changed");
            st.part::<Dispatcher>().wake();
        }
        Ok(_) => {}
        // A failed look is retried by the next tick; the change that caused it stands.
        Err(e) => tracing::warn!(?looks, error = %e, "alert rule failed"),
    }
    // Rules looked at together share the time, each counted with its share.
    let each = started.elapsed() / looks.len().max(1) as u32;
    for look in looks {
        st.metrics.alert_evaluation(look.rule().as_str(), each);
    }
}

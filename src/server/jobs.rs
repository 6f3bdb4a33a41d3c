//! Housekeeping that runs beside the web server.

use crate::platform::state::AppState;
use crate::platform::db;
use crate::auth::session;
use std::time::Duration;
use crate::platform::time::DAY;

pub fn spawn(state: AppState) {
    if state.config.run_checks {
        state.part::<crate::infra::monitor::Monitor>().start(state.pool.clone(), Default::default());
    }
    crate::alert::worker::start(state.clone());
    crate::strategy::service::unit::start(state.clone());
    crate::strategy::service::people_cost::start(state.clone());
    crate::alert::notify::dispatch::Dispatcher::start(state.clone());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(10 * 60));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = session::delete_expired(&state.pool, session::policy(&state.config), db::now_unix()).await {
                tracing::warn!(error = %e, "could not delete expired sessions");
            }
            state.part::<crate::kpi::import::Imports>().sweep();
            let keep_from = db::now_millis() - state.config.check_retention_days * DAY * 1000;
            if let Err(e) = sqlx::query("DELETE FROM check_results WHERE at_ms < ?1").bind(keep_from).execute(&state.pool).await {
                tracing::warn!(error = %e, "could not delete old check results");
            }
            // Scheduled surveys go out again when their interval has passed.
            if let Err(e) = crate::pulse::service::schedule(&state.pool, db::now_unix()).await {
                tracing::warn!(error = %e, "could not send scheduled surveys");
            }
            if let Err(e) = db::checkpoint(&state.pool).await {
                tracing::warn!(error = %e, "WAL checkpoint failed");
            }
        }
    });
}

//! What every handler and server function can reach: the pool, the settings, the limiter.

use super::config::Config;
use crate::auth::ratelimit::{Limits, LoginLimiter};
use crate::auth::session::Policy;
use crate::auth::User;
use crate::platform::metrics::Metrics;
use crate::platform::net::Outbound;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::SqlitePool;
use std::sync::Arc;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: SqlitePool,
    pub config: Arc<Config>,
    pub limiter: Arc<LoginLimiter>,
    pub imports: Arc<crate::kpi::import::Imports>,
    pub kpi_caches: Arc<crate::kpi::cache::KpiCaches>,
    pub monitor: Arc<crate::infra::monitor::Monitor>,
    pub board_inputs: Arc<crate::infra::store::BoardInputs>,
    pub printer: Arc<crate::report::pdf::Printer>,
    pub metrics: Arc<Metrics>,
}

impl AppState {
    /// The state of a server that reaches out through the system resolver and plain TCP.
    pub fn new(config: Config, pool: SqlitePool, limits: Limits) -> Self {
        let outbound = Outbound::system(config.outbound.clone());
        Self::with_outbound(config, pool, limits, outbound)
    }

    /// The same with the way out chosen by the caller: tests and benchmarks hand in one that
    /// cannot leave the loopback range.
    pub fn with_outbound(config: Config, pool: SqlitePool, limits: Limits, outbound: Outbound) -> Self {
        let metrics = Arc::new(Metrics::new());
        AppState {
            leptos_options: config.leptos_options(),
            printer: Arc::new(crate::report::pdf::Printer::new(config.chromium.clone(), config.data_dir().join("pdf"), metrics.clone())),
            pool,
            limiter: Arc::new(LoginLimiter::new(limits)),
            imports: Arc::new(crate::kpi::import::Imports::new(config.data_dir().join("imports"))),
            kpi_caches: Arc::new(Default::default()),
            monitor: Arc::new(crate::infra::monitor::Monitor::new(outbound, metrics.clone())),
            board_inputs: Arc::new(Default::default()),
            config: Arc::new(config),
            metrics,
        }
    }

    pub fn session_policy(&self) -> Policy {
        Policy {
            idle: self.config.session_idle,
            absolute: self.config.session_absolute,
            secure_cookie: self.config.secure_cookies,
        }
    }
}

/// Who is calling, resolved once per request by the session middleware and read by the guard.
#[derive(Clone, Debug)]
pub struct Caller(pub Option<User>);

/// The client's address as the login limiter should count it.
#[derive(Clone, Debug)]
pub struct ClientAddr(pub String);

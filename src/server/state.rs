//! What every handler and server function can reach: the pool, the settings, the limiter.

use super::config::Config;
use crate::auth::ratelimit::{Limits, LoginLimiter};
use crate::auth::session::Policy;
use crate::auth::User;
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
}

impl AppState {
    pub fn new(config: Config, pool: SqlitePool, limits: Limits) -> Self {
        AppState {
            leptos_options: config.leptos_options(),
            printer: Arc::new(crate::report::pdf::Printer::new(config.chromium.clone())),
            pool,
            config: Arc::new(config),
            limiter: Arc::new(LoginLimiter::new(limits)),
            imports: Arc::new(crate::kpi::import::Imports::new(
                std::env::temp_dir().join(format!("northstar-imports-{}", std::process::id())),
            )),
            kpi_caches: Arc::new(Default::default()),
            monitor: Arc::new(Default::default()),
            board_inputs: Arc::new(Default::default()),
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

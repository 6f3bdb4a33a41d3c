//! What every handler and server function can reach: the pool, the settings, the metrics, and
//! each area's own long-lived piece (a cache, a scheduler, a printer) by its type.
//!
//! The platform cannot name the areas' types without importing them, so their pieces live in
//! a map keyed by type: `server` puts one of each in at start-up and an area takes its own out
//! with `state.part::<T>()`.

use super::config::Config;
use super::metrics::Metrics;
use super::error::AppError;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use sqlx::SqlitePool;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: SqlitePool,
    pub config: Arc<Config>,
    pub metrics: Arc<Metrics>,
    /// News of changes, for the watchers that act on them (the alert rules).
    pub changes: super::changes::Changes,
    parts: Parts,
}

#[derive(Clone, Default)]
struct Parts(Arc<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>);

impl AppState {
    pub fn new(config: Config, pool: SqlitePool, metrics: Arc<Metrics>) -> Self {
        AppState { leptos_options: config.leptos_options(), pool, config: Arc::new(config), metrics, changes: Default::default(), parts: Parts::default() }
    }

    /// Adds an area's piece; called only while the server is being put together.
    pub fn with<T: Any + Send + Sync>(mut self, part: T) -> Self {
        let mut map = HashMap::clone(&self.parts.0);
        map.insert(TypeId::of::<T>(), Arc::new(part));
        self.parts = Parts(Arc::new(map));
        self
    }

    /// An area's piece. Every piece is added before the first request, so a missing one is a
    /// wiring mistake that the first test of that area shows.
    pub fn part<T: Any + Send + Sync>(&self) -> &T {
        self.parts
            .0
            .get(&TypeId::of::<T>())
            .and_then(|p| p.downcast_ref::<T>())
            .unwrap_or_else(|| panic!("{} was not added to the state", std::any::type_name::<T>()))
    }

    /// The state of the request being served (server functions and page renders).
    pub fn current() -> Result<AppState, AppError> {
        use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from context");
            AppError::Internal
        })
    }
}

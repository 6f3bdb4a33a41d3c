//! Wires the app: the state from each area's piece, the router with each area's routes and the
//! edge middleware, background jobs and the CLI.

pub mod assets;
pub mod cli;
pub mod edge;
pub mod http;
pub mod jobs;
pub mod restore;
pub mod seed;
pub mod watchdog;

use crate::app::{shell, App};
use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use crate::auth::ratelimit::{Limits, LoginLimiter};
use crate::infra::{monitor::Monitor, repo::BoardInputs};
use crate::kpi::{cache::KpiCaches, import::Imports};
use crate::platform::config::Config;
use crate::platform::metrics::Metrics;
use crate::platform::net::Outbound;
use crate::platform::state::AppState;
use crate::report::pdf::Printer;
use sqlx::SqlitePool;
use std::sync::Arc;
use std::net::SocketAddr;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use ::http::header::{self, HeaderValue};

/// The state every handler reaches: the platform's share, then each area's long-lived piece.
/// `outbound` is the only way out to the network; tests and benchmarks hand in one that cannot
/// leave the loopback range.
pub fn assemble(config: Config, pool: SqlitePool, limits: Limits, outbound: Outbound) -> AppState {
    let metrics = Arc::new(Metrics::new());
    let data = config.data_dir();
    let printer = Arc::new(Printer::new(config.chromium.clone(), data.join("pdf"), metrics.clone()));
    let imports = Imports::new(data.join("imports"));
    let dispatcher = crate::alert::notify::dispatch::Dispatcher::new(&config, outbound.clone());
    let monitor = Monitor::new(outbound, metrics.clone());
    AppState::new(config, pool, metrics)
        .with(dispatcher)
        .with(LoginLimiter::new(limits))
        .with(imports)
        .with(KpiCaches::default())
        .with(monitor)
        .with(BoardInputs::default())
        .with(printer)
}

/// Three kinds of address, each its own router with its own middleware: pages (the access
/// guard and the render watchdog), server functions (their errors carry their own status, see
/// `platform::error`), and each area's plain HTTP routes (which check their caller in their
/// handlers); assets and the not-found page are the fallback. The edge layers wrap them all.
pub fn router(state: AppState) -> Router {
    let header = |name: header::HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    // Layers run outside in, from the last added: counting and tracing first, then what needs
    // no database (body limit, same-origin check), then the session, then the handlers.
    Router::new()
        .route(crate::access::Route::Health.path(), get(healthz))
        .route(crate::access::Route::Metrics.path(), get(metrics))
        .route(crate::access::Route::OpenApi.path(), get(openapi))
        .merge(crate::admin::audit::routes())
        .merge(crate::kpi::routes::routes())
        .merge(crate::budget::routes::routes())
        .merge(crate::infra::routes::routes())
        .merge(crate::report::routes::routes())
        .merge(crate::strategy::routes::routes())
        .merge(crate::assurance::routes::routes())
        .merge(crate::assurance::evidence_routes::routes())
        .merge(crate::assurance::system_routes::routes())
        .merge(pages(&state))
        .merge(server_functions(&state))
        .merge(assets::routes(&state.config.site_root, &state.config.site_pkg_dir))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(crate::platform::request::provide_nonce, shell))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::auth::routes::session_layer))
        .layer(axum::middleware::from_fn_with_state(state.clone(), edge::same_origin))
        .layer(axum::middleware::from_fn(edge::limit_body))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn(edge::cache_control))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header(header::REFERRER_POLICY, "same-origin"))
        .layer(axum::middleware::from_fn(edge::script_policy))
        .layer(axum::middleware::from_fn_with_state(state.clone(), edge::count))
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(|req: &::http::Request<axum::body::Body>| {
            tracing::debug_span!("request", method = %req.method(), path = %crate::platform::request::redact(req.uri().path()))
        }))
        .with_state(state)
}

/// Every route renders whole (`SsrMode::Async`, see app.rs), so one render handler serves them.
fn pages(state: &AppState) -> Router<AppState> {
    let (st, options) = (state.clone(), state.leptos_options.clone());
    let context = move || {
        provide_context(st.clone());
        provide_context(leptos_router::Method::Get);
        crate::platform::request::provide_nonce();
    };
    let render = leptos_axum::render_app_async_with_context(context, move || shell(options.clone()));
    Router::new()
        .leptos_routes_with_handler(generate_route_list(App), render)
        .route_layer(axum::middleware::from_fn(watchdog::page_render))
        .route_layer(axum::middleware::from_fn(|req: axum::extract::Request, next: axum::middleware::Next| async move {
            let owner = caller_id(&req);
            crate::platform::posted::restore(req, next, owner).await
        }))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), http::page_guard))
}

/// The signed-in account of a request, as the session layer found it.
fn caller_id(req: &axum::extract::Request) -> Option<i64> {
    req.extensions().get::<crate::auth::routes::Caller>().and_then(|c| c.0.as_ref().map(|u| u.id))
}

fn server_functions(state: &AppState) -> Router<AppState> {
    let st = state.clone();
    let handler = move |req: axum::extract::Request| {
        let st = st.clone();
        async move {
            let (req, form) = crate::platform::posted::read(req).await;
            let (endpoint, owner) = (req.uri().path().to_string(), caller_id(&req));
            let asks = crate::platform::posted::Asks::default();
            let context = {
                let asks = asks.clone();
                move || {
                    provide_context(st.clone());
                    provide_context(asks.clone());
                }
            };
            let mut res = leptos_axum::handle_server_fns_with_context(context, req).await.into_response();
            if let Some(form) = form {
                crate::platform::posted::keep(&mut res, owner, &endpoint, &form, &asks);
            }
            res
        }
    };
    // Our server functions are POST, or GET for the few declared with a GET encoding.
    leptos::server_fn::axum::server_fn_paths().fold(Router::new(), |router, (path, method)| {
        let route = match method {
            ::http::Method::GET => get(handler.clone()),
            _ => axum::routing::post(handler.clone()),
        };
        router.route(path, route)
    })
}

/// `GET /api/v1/openapi.json`: the token API as each area describes its routes.
async fn openapi() -> Json<serde_json::Value> {
    let mut doc = crate::kpi::routes::openapi::spec();
    let (path, item) = crate::assurance::routes::openapi_path();
    doc["paths"][path] = item;
    for (path, item) in crate::assurance::system_routes::openapi_paths() {
        doc["paths"][path] = item;
    }
    Json(doc)
}

/// `GET /metrics`: for the addresses in `NORTHSTAR_METRICS_ALLOW`, or with the bearer token
/// `NORTHSTAR_METRICS_TOKEN`; closed until one of them is set.
async fn metrics(State(st): State<AppState>, req: axum::extract::Request) -> axum::response::Response {
    use crate::platform::client::is_in;
    use sha2::{Digest, Sha256};
    let config = &st.config;
    if config.metrics_allow.is_empty() && config.metrics_token.is_none() {
        return forbidden("Metrics are off: set NORTHSTAR_METRICS_ALLOW or NORTHSTAR_METRICS_TOKEN.");
    }
    let client = req.extensions().get::<crate::platform::request::ClientAddr>().map(|c| c.0.as_str()).unwrap_or("unknown");
    let presented = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| Sha256::digest(t.trim().as_bytes()));
    let token_ok = match (&config.metrics_token, presented) {
        (Some(want), Some(got)) => Sha256::digest(want.as_bytes()) == got,
        _ => false,
    };
    if !token_ok && !is_in(client, &config.metrics_allow) {
        tracing::warn!(%client, "metrics refused");
        return forbidden("Metrics are open only to the addresses in NORTHSTAR_METRICS_ALLOW or with the metrics token.");
    }
    (
        [(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")],
        st.metrics.render(&st.pool),
    )
        .into_response()
}

fn forbidden(message: &str) -> axum::response::Response {
    (::http::StatusCode::FORBIDDEN, Json(serde_json::json!({ "error": message, "kind": "forbidden" }))).into_response()
}

/// 200 when the database answers within two seconds, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let probe = sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&state.pool);
    match tokio::time::timeout(Duration::from_secs(2), probe).await {
        Ok(Ok(_)) => (
            ::http::StatusCode::OK,
            Json(serde_json::json!({"status": "ok", "database": "ok", "version": env!("CARGO_PKG_VERSION")})),
        ),
        _ => (
            ::http::StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({"status": "unavailable", "database": "unreachable"})),
        ),
    }
}

/// Serves until Ctrl-C or SIGTERM, then finishes in-flight requests.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    jobs::spawn(state.clone());
    if let Ok(addr) = listener.local_addr() {
        state.part::<std::sync::Arc<crate::report::pdf::Printer>>().listening_on(addr);
    }
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

/// A page builds and drops thousands of small strings and vectors; under load glibc's malloc and
/// free took a quarter of the server's CPU (perf on the throughput benchmark), mimalloc much less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Tunes both allocators so that memory a burst needed goes back to the OS when it ends. Call it
/// first thing in `main`, before other threads start.
///
/// - mimalloc, by default, keeps freed pages for a while, and its arenas, committed up front and
///   backed by transparent huge pages, stay resident after a purge: a million-row import took
///   the process to 107 MB where glibc stayed at 40. With huge pages off (the `no_thp` build
///   feature), arenas committed as they are used and freed pages purged at once, it peaks at 46 MB
///   and keeps the throughput gain (see the KPI benchmark).
/// - SQLite still allocates through glibc. glibc's adaptive mmap threshold would soon serve
///   large blocks from a heap it never shrinks; a fixed threshold keeps them mmapped.
pub fn tune_allocators() {
    // Indices into mimalloc 3's `mi_option_e` (mimalloc.h); the crate names them only for v2.
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option only changes how later allocations and frees behave.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only tunes the allocator.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

//! What `/metrics` reports, in the OpenMetrics text format that Prometheus scrapes.
//!
//! prometheus-client keeps each registry as a plain value, so every `AppState` (and so every
//! test) has its own figures; the one exception is the write-lock wait, which `begin_write`
//! records for the process as a whole.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::sync::LazyLock;
use std::time::Duration;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    /// pages, server_functions, api, files, assets, health, metrics
    pub group: &'static str,
    /// 2xx, 3xx, 4xx, 5xx
    pub status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct GroupLabels {
    pub group: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KindLabels {
    pub kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ImportLabels {
    /// kpi_csv, expense_csv
    pub kind: &'static str,
    /// stored, refused, failed
    pub outcome: &'static str,
}

fn seconds() -> Histogram {
    // 1 ms to about 65 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 17))
}

/// Time spent waiting for SQLite's write lock in `BEGIN IMMEDIATE`, for the whole process.
pub static WRITE_LOCK_WAIT: LazyLock<Histogram> = LazyLock::new(|| Histogram::new(exponential_buckets(0.0001, 2.0, 18)));

pub struct Metrics {
    registry: Registry,
    pub requests: Family<RouteLabels, Counter>,
    pub request_seconds: Family<GroupLabels, Histogram, fn() -> Histogram>,
    pub check_runs: Family<KindLabels, Counter>,
    pub check_failures: Family<KindLabels, Counter>,
    pub imports: Family<ImportLabels, Counter>,
    pub import_seconds: Family<KindLabels, Histogram, fn() -> Histogram>,
    pub alert_seconds: Family<KindLabels, Histogram, fn() -> Histogram>,
    pub password_verifications: Counter,
    pub sign_ins_throttled: Counter,
    pub pdf_renders: Counter,
    pub pool_connections: Gauge,
    pub pool_idle: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("northstar");
        let m = Metrics {
            requests: Family::default(),
            request_seconds: Family::new_with_constructor(seconds),
            check_runs: Family::default(),
            check_failures: Family::default(),
            imports: Family::default(),
            import_seconds: Family::new_with_constructor(seconds),
            alert_seconds: Family::new_with_constructor(seconds),
            password_verifications: Counter::default(),
            sign_ins_throttled: Counter::default(),
            pdf_renders: Counter::default(),
            pool_connections: Gauge::default(),
            pool_idle: Gauge::default(),
            registry: Registry::default(),
        };
        registry.register("http_requests", "HTTP requests answered, by route group and status class", m.requests.clone());
        registry.register("http_request_duration_seconds", "Time to answer an HTTP request, by route group", m.request_seconds.clone());
        registry.register("health_check_runs", "Health-check probes run, by kind", m.check_runs.clone());
        registry.register("health_check_failures", "Health-check probes that failed, by kind", m.check_failures.clone());
        registry.register("imports", "CSV imports, by kind and outcome", m.imports.clone());
        registry.register("import_duration_seconds", "Time to check and store a CSV import, by kind", m.import_seconds.clone());
        registry.register("alert_evaluation_seconds", "Time to evaluate an alert rule and record its outcome, by rule", m.alert_seconds.clone());
        registry.register("password_verifications", "Password hashes verified at sign-in and password change", m.password_verifications.clone());
        registry.register("sign_ins_throttled", "Sign-in attempts answered 429 without a password check", m.sign_ins_throttled.clone());
        registry.register("pdf_renders", "Report PDFs printed by Chromium (cached ones are not counted)", m.pdf_renders.clone());
        registry.register("db_pool_connections", "Open SQLite connections in the pool", m.pool_connections.clone());
        registry.register("db_pool_idle_connections", "Idle SQLite connections in the pool", m.pool_idle.clone());
        registry.register("db_write_lock_wait_seconds", "Time spent waiting for the SQLite write lock", WRITE_LOCK_WAIT.clone());
        Metrics { registry, ..m }
    }

    pub fn request(&self, group: &'static str, status: u16, took: Duration) {
        let class = match status {
            100..=199 => "1xx",
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            _ => "5xx",
        };
        self.requests.get_or_create(&RouteLabels { group, status: class }).inc();
        self.request_seconds.get_or_create(&GroupLabels { group }).observe(took.as_secs_f64());
    }

    pub fn check_run(&self, kind: &'static str, ok: bool) {
        self.check_runs.get_or_create(&KindLabels { kind }).inc();
        if !ok {
            self.check_failures.get_or_create(&KindLabels { kind }).inc();
        }
    }

    /// An import's outcome as counted, from its answer: a file stored, or only checked (as
    /// asked, or refused), or failed.
    pub fn import_outcome(status: u16, stored: bool) -> &'static str {
        match status {
            200 if stored => "stored",
            200 => "checked",
            400..=499 => "refused",
            _ => "failed",
        }
    }

    pub fn import(&self, kind: &'static str, outcome: &'static str, took: Duration) {
        self.imports.get_or_create(&ImportLabels { kind, outcome }).inc();
        self.import_seconds.get_or_create(&KindLabels { kind }).observe(took.as_secs_f64());
    }

    /// An upload's answer, counted: its report (422 when `errors` says the file has any) or its
    /// error, timed from `started`.
    pub fn answer_import<R: serde::Serialize>(&self, kind: &'static str, stored: bool, started: std::time::Instant, res: Result<R, crate::platform::error::AppError>, errors: impl Fn(&R) -> bool) -> axum::response::Response {
        use axum::response::IntoResponse;
        let res = match res {
            Ok(r) if errors(&r) => (axum::http::StatusCode::UNPROCESSABLE_ENTITY, axum::Json(r)).into_response(),
            Ok(r) => axum::Json(r).into_response(),
            Err(e) => e.into_response(),
        };
        self.import(kind, Metrics::import_outcome(res.status().as_u16(), stored), started.elapsed());
        res
    }

    pub fn alert_evaluation(&self, kind: &'static str, took: Duration) {
        self.alert_seconds.get_or_create(&KindLabels { kind }).observe(took.as_secs_f64());
    }

    /// The text a scrape receives.
    pub fn render(&self, pool: &sqlx::SqlitePool) -> String {
        self.pool_connections.set(i64::from(pool.size()));
        self.pool_idle.set(pool.num_idle() as i64);
        let mut out = String::new();
        if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &self.registry) {
            tracing::error!(error = %e, "metrics could not be encoded");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_appear_in_the_text_format() {
        let m = Metrics::new();
        m.request("pages", 200, Duration::from_millis(3));
        m.request("pages", 403, Duration::from_millis(1));
        m.check_run("http", false);
        m.import("kpi_csv", "stored", Duration::from_secs(2));
        m.password_verifications.inc();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let pool = rt.block_on(sqlx::SqlitePool::connect("sqlite::memory:")).unwrap();
        let text = m.render(&pool);
        for line in [
            r#"northstar_http_requests_total{group="pages",status="2xx"} 1"#,
            r#"northstar_http_requests_total{group="pages",status="4xx"} 1"#,
            r#"northstar_health_check_failures_total{kind="http"} 1"#,
            r#"northstar_imports_total{kind="kpi_csv",outcome="stored"} 1"#,
            "northstar_password_verifications_total 1",
            "northstar_db_pool_connections 1",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} missing from\n{text}");
        }
        assert!(text.contains("# TYPE northstar_db_write_lock_wait_seconds histogram"));
        assert!(text.ends_with("# EOF\n"));
    }
}

//! Plain HTTP routes beside the server functions: the ingest API for machines (API tokens),
//! CSV upload and export for people (sessions), the OpenAPI document and the health check.

mod files;
pub(crate) mod ingest;
mod openapi;

pub use ingest::{app_error as api_error, MAX_BODY_BYTES as MAX_INGEST_BYTES};

use crate::access::Route;
use crate::auth::User;
use crate::platform::error::AppError;
use crate::auth::Caller;
use crate::platform::state::AppState;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::json;

pub fn routes() -> Router<AppState> {
    let path = Route::path;
    Router::new()
        .route(path(Route::OpenApi), get(openapi::document))
        .route(path(Route::KpiImportUpload), post(files::upload))
        .route(path(Route::KpiExport), get(files::export))
        .route(path(Route::ExpenseImport), post(crate::budget::files::import))
        .route(path(Route::ExpenseExport), get(crate::budget::files::export))
        .route(path(Route::SlaExport), get(crate::infra::sla::export))
        .route(path(Route::ReportPdf), get(crate::report::pdf::routes::version_pdf))
        .route(path(Route::SharedReportPdf), get(crate::report::pdf::routes::shared_pdf))
        .route(path(Route::IngestMeasurements), post(ingest::measurements).fallback(ingest::wrong_method))
        .route(path(Route::IngestDeployments), post(ingest::deployments).fallback(ingest::wrong_method))
        .route(path(Route::IngestIncidents), post(ingest::incidents).fallback(ingest::wrong_method))
}

/// An error as JSON: `{"error": message, "kind": ..., "fields": [...]}` with its status.
pub fn error_response(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut body = json!({ "error": e.to_string(), "kind": serde_json::to_value(&e).ok().and_then(|v| v.get("kind").cloned()) });
    if let AppError::Invalid { fields, .. } = &e {
        body["fields"] = json!(fields);
    }
    let mut res = (status, axum::Json(body)).into_response();
    if matches!(e, AppError::Unauthorized) {
        res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    if let Some(secs) = e.retry_after() {
        res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    res
}

/// The signed-in caller of a session route, checked against the route's rule.
pub fn session_caller(route: Route, caller: Option<&Caller>) -> Result<User, AppError> {
    let user = caller.and_then(|c| c.0.clone());
    match user {
        Some(u) if route.audience().admits(Some(u.role)) => Ok(u),
        Some(_) => Err(AppError::Forbidden),
        None => Err(AppError::Unauthorized),
    }
}

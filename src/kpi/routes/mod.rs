//! The KPI area's plain HTTP routes: the token API for machines (`/api/v1`, with its OpenAPI
//! description) and CSV upload and export for people.

mod files;
pub(crate) mod ingest;
pub(crate) mod items;
pub mod openapi;

use crate::access::Route;
use crate::platform::api_error::wrong_method;
use crate::platform::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    let path = Route::path;
    Router::new()
        .route(path(Route::KpiImportUpload), post(files::upload))
        .route(path(Route::KpiExport), get(files::export))
        .route(path(Route::IngestMeasurements), post(ingest::measurements).fallback(wrong_method))
        .route(path(Route::IngestDeployments), post(ingest::deployments).fallback(wrong_method))
        .route(path(Route::IngestIncidents), post(ingest::incidents).fallback(wrong_method))
}

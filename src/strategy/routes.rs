//! The strategy area's plain HTTP routes: the capitalization report's lines as CSV, and the
//! uploads of a FOCUS cloud cost export and of teams' time allocation.

use crate::access::Route;
use crate::auth::guard::route_caller;
use crate::auth::Caller;
use crate::platform::state::AppState;
use axum::extract::{Query, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(Route::CapitalizationExport.path(), get(export))
        .route(Route::CloudImport.path(), post(super::service::cloud::import))
        .route(Route::TimeImport.path(), post(super::service::time_import::import))
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    pub year: String,
}

/// `GET /api/strategy/capitalization/export.csv?year=2026`: every line, closed months as frozen.
pub async fn export(State(st): State<AppState>, Query(q): Query<YearQuery>, req: Request) -> Response {
    if let Err(e) = route_caller(Route::CapitalizationExport, req.extensions().get::<Caller>()) {
        return e.into_response();
    }
    match super::service::capitalization_csv(&st, &q.year).await {
        Ok((fy, bytes)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"capitalization-FY{fy}.csv\"")),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

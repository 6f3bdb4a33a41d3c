//! The infrastructure area's plain HTTP route: the SLA report as CSV.

use super::service::sla::{self, PeriodQuery};
use crate::access::Route;
use crate::auth::guard::route_caller;
use crate::auth::Caller;
use crate::platform::state::AppState;
use axum::extract::{Query, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new().route(Route::SlaExport.path(), get(export))
}

/// The report as a CSV download: `GET /api/infra/sla.csv?period=2026-Q3`.
pub async fn export(
    State(st): State<AppState>,
    Query(q): Query<PeriodQuery>,
    req: Request,
) -> Response {
    if let Err(e) = route_caller(Route::SlaExport, req.extensions().get::<Caller>()) {
        return e.into_response();
    }
    let result = async {
        let mut db = st.pool.acquire().await?;
        sla::report(&mut db, &q.period).await
    }
    .await;
    match result {
        Ok(r) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"sla-{}.csv\"", r.period)),
            ],
            sla::csv(&r),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

//! The report area's plain HTTP routes: `GET /api/reports/{id}/versions/{version}/pdf` for signed-in readers and
//! `GET /api/share/{token}/pdf` for holders of a share link.

use super::pdf::{file_name, Printer};
use crate::access::Route;
use crate::platform::error::AppError;
use crate::auth::guard::route_caller;
use crate::platform::db::now_unix;
use crate::auth::Caller;
use crate::platform::state::AppState;
use axum::extract::{Path, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(Route::ReportPdf.path(), get(version_pdf))
        .route(Route::SharedReportPdf.path(), get(shared_pdf))
}

pub async fn version_pdf(State(st): State<AppState>, Path((id, version)): Path<(i64, i64)>, req: Request) -> Response {
    if let Err(e) = route_caller(Route::ReportPdf, req.extensions().get::<Caller>()) {
        return e.into_response();
    }
    respond(&st, id, Some(version)).await
}

pub async fn shared_pdf(State(st): State<AppState>, Path(token): Path<String>) -> Response {
    match crate::report::repo::open_link(&st.pool, &token, now_unix()).await {
        Ok(Ok(id)) => respond(&st, id, None).await,
        Ok(Err(crate::report::repo::LinkRefusal::Unknown)) => AppError::NotFound.into_response(),
        Ok(Err(_)) => AppError::Gone { message: "This link has expired or been withdrawn.".into() }.into_response(),
        Err(e) => e.into_response(),
    }
}

async fn respond(st: &AppState, id: i64, version: Option<i64>) -> Response {
    let found = async {
        let mut db = st.pool.acquire().await?;
        crate::report::repo::published(&mut db, id, version).await
    }
    .await;
    let stored = match found {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    match st.part::<std::sync::Arc<Printer>>().pdf(id, stored.version).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", file_name(&stored.snapshot.title, stored.version))),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

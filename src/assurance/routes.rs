//! Findings files: uploaded by people on a system's page or the vulnerabilities page
//! (checked, then imported with `commit=1`), and posted by scanners' pipelines with an API
//! token. Either way the body is the file, SARIF 2.1.0 or CSV.

use super::service::scan::{self, Channel, MAX_SCAN_BYTES};
use super::service::visible_system;
use super::view::ImportReport;
use crate::access::Route;
use crate::auth::guard::route_caller;
use crate::auth::Caller;
use crate::platform::api_error::{api_error, wrong_method};
use crate::platform::error::AppError;
use crate::platform::state::AppState;
use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(Route::FindingsImport.path(), post(upload))
        .route(Route::IngestFindings.path(), post(ingest).fallback(wrong_method))
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ImportParams {
    /// Absent: only check the file. "1": check it and, when it is clean, import it.
    #[serde(default)]
    pub commit: String,
}

/// `POST /api/security/systems/{id}/findings/import[?commit=1]`: the report, 422 when the file
/// has problems.
async fn upload(State(st): State<AppState>, Path(id): Path<String>, Query(params): Query<ImportParams>, req: Request) -> Response {
    let started = std::time::Instant::now();
    let commit = params.commit == "1";
    let res = async {
        let user = route_caller(Route::FindingsImport, req.extensions().get::<Caller>())?;
        let id = crate::platform::error::address_id(&id)?.ok_or(AppError::NotFound)?;
        let name = visible_system(&mut *st.pool.acquire().await?, &user, id).await?;
        let (format, scan) = receive(&st, req).await?;
        match scan {
            Ok(scan) => scan::store(&st, &user.actor(), (id, &name), Channel::Upload(format), &scan, commit).await,
            Err(problems) => Ok(scan::refused(&name, problems)),
        }
    }
    .await;
    st.metrics.answer_import("findings", commit, started, res, |r: &ImportReport| !r.problems.is_empty())
}

/// `POST /api/v1/systems/{id}/findings`: a scanner's file, imported at once (201), or its
/// problems (422) with nothing stored.
async fn ingest(State(st): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    let actor = match crate::tokens::service::bearer(&st.pool, req.headers()).await {
        Ok(actor) => actor,
        Err(res) => return res,
    };
    let res = async {
        let id = crate::platform::error::address_id(&id)?.ok_or(AppError::NotFound)?;
        let name: Option<String> = sqlx::query_scalar("SELECT name FROM systems WHERE id = ?1").bind(id).fetch_optional(&st.pool).await?;
        let name = name.ok_or(AppError::NotFound)?;
        let (_, scan) = receive(&st, req).await?;
        match scan {
            Ok(scan) => scan::store(&st, &actor, (id, &name), Channel::Api, &scan, true).await,
            Err(problems) => Ok(scan::refused(&name, problems)),
        }
    }
    .await;
    match res {
        Ok(r) if !r.problems.is_empty() => (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(r)).into_response(),
        Ok(r) => (StatusCode::CREATED, axum::Json(r)).into_response(),
        Err(e) => api_error(e),
    }
}

/// The findings route as the OpenAPI document describes it.
pub fn openapi_path() -> (&'static str, serde_json::Value) {
    let error = serde_json::json!({ "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    let with = |description: &str| {
        let mut e = error.clone();
        e["description"] = description.into();
        e
    };
    let report = serde_json::json!({ "type": "object", "properties": {
        "system": { "type": "string" }, "tools": { "type": "array", "items": { "type": "string" } }, "findings": { "type": "integer" },
        "new": { "type": "integer" }, "seen": { "type": "integer" }, "reopened": { "type": "integer" }, "fixed": { "type": "integer" },
        "problems": { "type": "array", "items": { "type": "object", "properties": { "at": { "type": "string" }, "message": { "type": "string" } } } }
    } });
    (
        Route::IngestFindings.path(),
        serde_json::json!({ "post": {
            "summary": "Import a system's findings from a scanner",
            "description": "The body is a SARIF 2.1.0 log (a JSON object) or a CSV file with the columns title and severity, and optionally rule, location, source, id, first_seen, fixed_on and message. Each result is matched to the finding it was last time (by the scanner and the result's fingerprint, or its rule and location) or added; what a scanner in the file no longer reports is marked fixed. Up to 256 MiB; stored whole or not at all.",
            "parameters": [ { "name": "id", "in": "path", "required": true, "description": "The system's id, as in its page's address.", "schema": { "type": "integer" } } ],
            "requestBody": { "required": true, "content": { "application/sarif+json": { "schema": { "type": "object" } }, "text/csv": { "schema": { "type": "string" } } } },
            "responses": {
                "201": { "description": "Imported: what it added, saw again, reopened and fixed.", "content": { "application/json": { "schema": report.clone() } } },
                "401": with("Missing, unknown or revoked API token."),
                "404": with("No system has this id."),
                "413": with("Body over 256 MiB."),
                "422": { "description": "The file cannot be read; each problem says where (a line and column, or a result). Nothing was stored.", "content": { "application/json": { "schema": report } } }
            }
        } }),
    )
}

/// The body, spooled to disk within the limit, read as either format off the async threads.
async fn receive(st: &AppState, req: Request) -> Result<(scan::Format, Result<super::sarif::Scan, Vec<super::sarif::Problem>>), AppError> {
    // Beside the database, not in /tmp: that is often memory (tmpfs).
    let spool = tempfile::NamedTempFile::new_in(st.config.data_dir()).map_err(|e| {
        tracing::error!(error = %e, "cannot create a file for an upload");
        AppError::Internal
    })?;
    crate::platform::spool::to_file(req.into_body(), spool.path(), MAX_SCAN_BYTES).await?;
    let today = crate::platform::time::today();
    let path = spool.path().to_path_buf();
    let read = tokio::task::spawn_blocking(move || std::fs::read(path).map(|bytes| scan::read(&bytes, today)))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|_| AppError::Internal)?;
    drop(spool);
    Ok(read)
}

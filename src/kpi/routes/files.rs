//! CSV upload (validated into a staged import) and CSV export of a KPI's measurements.

use crate::auth::guard::route_caller;
use crate::access::Route;
use crate::platform::error::AppError;
use crate::kpi::import::{self, Staged, MAX_UPLOAD_BYTES};
use crate::kpi::figures;
use crate::platform::csv::CsvWriter;
use crate::platform::db::now_unix;
use crate::auth::Caller;
use crate::platform::state::AppState;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;

/// Receives a CSV file as the request body, validates all of it and answers with a preview.
/// A valid file is staged under a token for `commit_import`; an invalid one is discarded.
pub async fn upload(State(st): State<AppState>, Path(key): Path<String>, req: Request) -> Response {
    let started = std::time::Instant::now();
    let res = match receive(&st, &key, req).await {
        Ok(res) => res,
        Err(e) => e.into_response(),
    };
    let outcome = if res.status().is_success() { "checked" } else if res.status().is_client_error() { "refused" } else { "failed" };
    st.metrics.import("kpi_csv", outcome, started.elapsed());
    res
}

async fn receive(st: &AppState, key: &str, req: Request) -> Result<Response, AppError> {
    let user = route_caller(Route::KpiImportUpload, req.extensions().get::<Caller>())?;
    let mut conn = st.pool.acquire().await?;
    let kpi = figures::visible(&mut conn, &user, key).await?;
    drop(conn);
    if let Some(why) = kpi.derived() {
        return Err(AppError::conflict(why));
    }
    if !figures::can_record(&user, &kpi) {
        return Err(AppError::Forbidden);
    }
    let _upload = st.part::<crate::kpi::import::Imports>().begin_upload(user.id)?;
    let (token, path) = st.part::<crate::kpi::import::Imports>().new_path().map_err(|e| {
        tracing::error!(error = %e, "cannot create the import folder");
        AppError::Internal
    })?;
    if let Err(e) = crate::platform::spool::to_file(req.into_body(), &path, MAX_UPLOAD_BYTES).await {
        let _ = tokio::fs::remove_file(&path).await;
        return Err(e);
    }
    let now = now_unix();
    let mut preview = import::validate_file(&st.pool, path.clone(), &kpi, st.config.currency, now).await?;
    if preview.error_count > 0 {
        let _ = tokio::fs::remove_file(&path).await;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, axum::Json(preview)).into_response());
    }
    st.part::<crate::kpi::import::Imports>().stage(&token, Staged::new(path, kpi.id, user.id, preview.rows, now));
    preview.token = Some(token);
    Ok(axum::Json(preview).into_response())
}

/// All measurements of a KPI as CSV (`timestamp,value,source,note`), oldest first, streamed
/// page by page so a million rows never sit in memory at once.
pub async fn export(State(st): State<AppState>, Path(key): Path<String>, req: Request) -> Response {
    let user = match route_caller(Route::KpiExport, req.extensions().get::<Caller>()) {
        Ok(u) => u,
        Err(e) => return e.into_response(),
    };
    let kpi = match st.pool.acquire().await {
        Ok(mut conn) => figures::visible(&mut conn, &user, &key).await,
        Err(e) => Err(e.into()),
    };
    let kpi = match kpi {
        Ok(k) => k,
        Err(e) => return e.into_response(),
    };
    let (pool, currency, unit, id) = (st.pool.clone(), st.config.currency, kpi.unit, kpi.id);
    let header_line = futures_util::stream::once(async { Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"timestamp,value,source,note\n")) });
    let pages = futures_util::stream::unfold(Some(i64::MIN), move |after| {
        let pool = pool.clone();
        async move {
            let after = after?;
            let rows: Vec<(i64, f64, String, Option<String>)> = sqlx::query_as(
                "SELECT ts, value, source, note FROM measurements WHERE kpi_id = ?1 AND ts > ?2 ORDER BY ts LIMIT 10000",
            )
            .bind(id)
            .bind(after)
            .fetch_all(&pool)
            .await
            .ok()?;
            if rows.is_empty() {
                return None;
            }
            let next = rows.len().eq(&10_000).then(|| rows[rows.len() - 1].0);
            let mut out = CsvWriter::new();
            for (ts, value, source, note) in &rows {
                let at = chrono::DateTime::from_timestamp(*ts, 0).map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string()).unwrap_or_default();
                out.row([at.as_str(), &unit.plain(*value, currency), source, note.as_deref().unwrap_or("")]);
            }
            let bytes = out.finish();
            Some((Ok::<_, std::io::Error>(bytes::Bytes::from(bytes)), next))
        }
    });
    let filename = format!("{}-measurements.csv", kpi.key);
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        Body::from_stream(header_line.chain(pages)),
    )
        .into_response()
}

//! Evidence travels by plain routes, not server functions: it carries a file. The form on a
//! control's page posts `multipart/form-data` and works without a script: it is answered by a
//! redirect back to the control, with a message, or with each mistake at its field and what
//! was typed kept (as a refused server function's form is). A client asking for JSON gets
//! 201 with the file's SHA-256, or the problems.

use super::service::evidence::{self, EvidenceForm, Upload, MAX_FILE_BYTES};
use crate::access::{Page, Route};
use crate::auth::guard::route_caller;
use crate::auth::Caller;
use crate::platform::error::AppError;
use crate::platform::state::AppState;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

/// The form's body: the file at its limit, with room for the fields and the encoding, so a
/// file somewhat over its limit is told at its field rather than refused whole.
pub const MAX_EVIDENCE_BODY: usize = MAX_FILE_BYTES * 3;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(Route::RecordEvidence.path(), post(record).layer(axum::extract::DefaultBodyLimit::max(MAX_EVIDENCE_BODY)))
        .route(Route::EvidenceFile.path(), get(download))
}

/// `POST /api/security/controls/{id}/evidence`, fields `performed_on`, `outcome`, `note`,
/// `link` and `file`.
async fn record(State(st): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    let html = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    let endpoint = req.uri().path().to_string();
    let user = match route_caller(Route::RecordEvidence, req.extensions().get::<Caller>()) {
        Ok(u) => u,
        Err(e) => return e.into_response(),
    };
    let Ok(Some(control)) = crate::platform::error::address_id(&id) else { return AppError::NotFound.into_response() };
    let form = match read(req, &st).await {
        Ok(form) => form,
        Err(e) => return e.into_response(),
    };
    let typed = vec![
        ("performed_on".to_string(), form.performed_on.clone()),
        ("outcome".to_string(), form.outcome.clone()),
        ("note".to_string(), form.note.clone()),
        ("link".to_string(), form.link.clone()),
    ];
    let back = Page::Control.href(&[&control]);
    match evidence::record(&st, &user, control, form, crate::platform::time::today()).await {
        Ok(r) if html => {
            let file = r.sha256.as_ref().map(|s| format!(", with its file (SHA-256 {}…)", &s[..12])).unwrap_or_default();
            let said = format!("Recorded: {} on {}{file}.", r.outcome.label(), r.performed_on);
            let mut res = Redirect::to(&format!("{back}#evidence")).into_response();
            if let Ok(cookie) = HeaderValue::from_str(&crate::ui::Flash::cookie(&back, &said, "")) {
                res.headers_mut().append(header::SET_COOKIE, cookie);
            }
            res
        }
        Ok(r) => (StatusCode::CREATED, axum::Json(r)).into_response(),
        Err(e @ AppError::Invalid { .. }) if html => {
            use base64::Engine;
            let err = base64::engine::general_purpose::URL_SAFE.encode(serde_json::to_vec(&e).unwrap_or_default());
            let to = format!("{back}?__path={}&__err={}#record", crate::platform::encode::component(&endpoint), crate::platform::encode::component(&err));
            let mut res = Redirect::to(&to).into_response();
            crate::platform::posted::keep_fields_of(&mut res, Some(user.id), &endpoint, typed);
            res
        }
        Err(e) => e.into_response(),
    }
}

/// The form's fields; a file part with no name and no bytes is the empty file input.
async fn read(req: Request, st: &AppState) -> Result<EvidenceForm, AppError> {
    let bad = |e: String| AppError::BadRequest { message: format!("The form could not be read: {e}.") };
    let mut parts = Multipart::from_request(req, st).await.map_err(|e| bad(e.body_text()))?;
    let mut form = EvidenceForm::default();
    while let Some(field) = parts.next_field().await.map_err(|e| bad(e.body_text()))? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let content_type = field.content_type().unwrap_or("application/octet-stream").to_string();
            let bytes = field.bytes().await.map_err(|e| bad(e.body_text()))?;
            if !file_name.is_empty() || !bytes.is_empty() {
                form.file = Some(Upload { name: file_name, content_type, bytes: bytes.to_vec() });
            }
            continue;
        }
        let text = field.text().await.map_err(|e| bad(e.body_text()))?;
        match name.as_str() {
            "performed_on" => form.performed_on = text,
            "outcome" => form.outcome = text,
            "note" => form.note = text,
            "link" => form.link = text,
            _ => {}
        }
    }
    Ok(form)
}

/// `GET /api/security/evidence/{id}/file`: always a download, never shown in the page's
/// origin, whatever the file claims to be.
async fn download(State(st): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    // Read before the await: a request's body may not be shared across one.
    let caller = route_caller(Route::EvidenceFile, req.extensions().get::<Caller>());
    drop(req);
    let res = async {
        let user = caller?;
        let id = crate::platform::error::address_id(&id)?.ok_or(AppError::NotFound)?;
        let mut db = st.pool.acquire().await?;
        evidence::file(&mut db, &user, id).await
    }
    .await;
    match res {
        Ok((name, sha256, bytes)) => {
            let ascii: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') { c } else { '_' }).collect();
            let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", crate::platform::encode::component(&name));
            let mut res = bytes.into_response();
            let h = res.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
            h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            if let Ok(v) = HeaderValue::from_str(&format!("\"{sha256}\"")) {
                h.insert(header::ETAG, v);
            }
            res
        }
        Err(e) => e.into_response(),
    }
}

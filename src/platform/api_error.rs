//! The machine API's one error shape, `{"error": message, "details": [...]}`, as documented in
//! its OpenAPI description. (Pages' server functions and people's file routes answer in
//! `AppError`'s own shape.)

use super::error::AppError;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// A problem with one item of a batch.
#[derive(Debug, PartialEq, serde::Serialize)]
pub struct Detail {
    pub index: usize,
    pub field: String,
    pub message: String,
}

pub fn invalid(details: Vec<Detail>) -> Response {
    let message = match details.as_slice() {
        [one] => format!("item {}: {}: {}", one.index, one.field, one.message),
        many => format!("{} problems in the request; nothing was stored", many.len()),
    };
    (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(json!({ "error": message, "details": details }))).into_response()
}

/// Every error of the API has one shape, `{"error", "details"}`; `details` lists item problems
/// and is empty for a problem with the request as a whole.
pub fn plain_error(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({ "error": message, "details": [] }))).into_response()
}

/// An [`AppError`] in the API's shape, with the headers that go with it.
pub fn api_error(e: AppError) -> Response {
    e.json_response(json!({ "error": e.to_string(), "details": [] }))
}

/// Any method but POST on an ingest address.
pub async fn wrong_method() -> Response {
    let mut res = plain_error(StatusCode::METHOD_NOT_ALLOWED, "This address takes POST with a JSON body; see /api/v1/openapi.json.");
    res.headers_mut().insert(header::ALLOW, header::HeaderValue::from_static("POST"));
    res
}

//! `POST /api/v1/systems/{id}/backups`, `/restore-tests` and `/quality`: a system's backup and
//! restore jobs report each run, and its CI pipeline its tests, coverage and escaped defects,
//! with an API token. One JSON object or an array of them, stored whole or not at all, with
//! each problem named by the item's index and its field, as every `/api/v1` route does.

use super::service::quality::{self, QUALITY_FIELDS};
use super::service::recovery::{self, Kind, Run, BACKUP_FIELDS, RESTORE_FIELDS};
use crate::access::Route;
use crate::platform::api_items::parse_items;
use crate::platform::api_error::{api_error, invalid, plain_error, wrong_method, Detail};
use crate::platform::audit::Actor;
use crate::platform::db::now_unix;
use crate::platform::state::AppState;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Map, Value};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(Route::IngestBackups.path(), post(backups).fallback(wrong_method))
        .route(Route::IngestRestoreTests.path(), post(restore_tests).fallback(wrong_method))
        .route(Route::IngestQuality.path(), post(quality_signals).fallback(wrong_method))
}

async fn backups(State(st): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    receive(st, id, req, Kind::Backup).await
}

async fn restore_tests(State(st): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    receive(st, id, req, Kind::RestoreTest).await
}

/// The caller's token, the system and the items, or the answer that refuses them.
async fn intake(st: &AppState, id: &str, req: Request) -> Result<(Actor, (i64, String), Vec<Map<String, Value>>), Response> {
    let (parts, body) = req.into_parts();
    let actor = crate::tokens::service::bearer(&st.pool, &parts.headers).await?;
    let Ok(bytes) = axum::body::to_bytes(body, crate::platform::api_items::MAX_BODY_BYTES).await else {
        return Err(plain_error(StatusCode::PAYLOAD_TOO_LARGE, "The body is larger than 1 MiB."));
    };
    let items = parse_items(&bytes).map_err(|(status, message)| plain_error(status, &message))?;
    let system: Option<(i64, String)> = match id.trim().parse::<i64>() {
        Ok(id) => sqlx::query_as("SELECT id, name FROM systems WHERE id = ?1").bind(id).fetch_optional(&st.pool).await.map_err(|e| api_error(e.into()))?,
        Err(_) => None,
    };
    let system = system.ok_or_else(|| plain_error(StatusCode::NOT_FOUND, &format!("There is no system with the id “{id}”.")))?;
    Ok((actor, system, items))
}

/// Every item read with `read`; all of them, or the problems of any.
fn read_all<T>(items: &[Map<String, Value>], read: fn(usize, &Map<String, Value>, i64, &mut Vec<Detail>) -> Option<T>) -> Result<Vec<T>, Response> {
    let now = now_unix();
    let mut details: Vec<Detail> = Vec::new();
    let read: Vec<Option<T>> = items.iter().enumerate().map(|(i, m)| read(i, m, now, &mut details)).collect();
    if !details.is_empty() {
        return Err(invalid(details));
    }
    Ok(read.into_iter().flatten().collect())
}

/// 201 with what was kept, in the shape every `/api/v1` route answers with.
fn stored(system: &str, ids: Result<Vec<i64>, crate::platform::error::AppError>) -> Response {
    match ids {
        Ok(ids) => (StatusCode::CREATED, axum::Json(json!({ "system": system, "accepted": ids.len(), "ids": ids }))).into_response(),
        Err(e) => api_error(e),
    }
}

async fn receive(st: AppState, id: String, req: Request, kind: Kind) -> Response {
    let (actor, (system, name), items) = match intake(&st, &id, req).await {
        Ok(got) => got,
        Err(res) => return res,
    };
    let read = match kind {
        Kind::Backup => recovery::backup_item,
        Kind::RestoreTest => recovery::restore_item,
    };
    let runs: Vec<Run> = match read_all(&items, read) {
        Ok(runs) => runs,
        Err(res) => return res,
    };
    stored(&name, recovery::store(&st.pool, &actor, (system, &name), kind, &runs).await)
}

async fn quality_signals(State(st): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    let (actor, (system, name), items) = match intake(&st, &id, req).await {
        Ok(got) => got,
        Err(res) => return res,
    };
    match read_all(&items, quality::signal_item) {
        Ok(signals) => stored(&name, quality::store(&st.pool, &actor, (system, &name), &signals).await),
        Err(res) => res,
    }
}

/// The three routes as the OpenAPI document describes them.
pub fn openapi_paths() -> [(&'static str, serde_json::Value); 3] {
    let error = |description: &str| json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    let item = |fields: &[&str], required: &[&str]| {
        let described = |f: &str| match f {
            "at" => json!({ "type": "string", "format": "date-time", "description": "When it ran: ISO 8601 or unix seconds, not in the future. Absent: now." }),
            "ok" => json!({ "type": "boolean", "description": "It succeeded (the backup was written; the restored copy checked out)." }),
            "size_bytes" => json!({ "type": "integer", "minimum": 0 }),
            "duration_ms" => json!({ "type": "integer", "minimum": 0, "maximum": 604_800_000 }),
            "location" => json!({ "type": "string", "maxLength": 500, "description": "Where the backup went, such as s3://bucket/key." }),
            "source" => json!({ "type": "string", "maxLength": 100, "description": "What reports it, such as the CI pipeline's name. The same system, source and time again replaces the first report." }),
            "ref" => json!({ "type": "string", "maxLength": 200, "description": "The commit, build or release it speaks for." }),
            "tests_run" => json!({ "type": "integer", "minimum": 1, "description": "Tests run; with tests_passed." }),
            "tests_passed" => json!({ "type": "integer", "minimum": 0, "description": "Of those, passed; with tests_run." }),
            "coverage" => json!({ "type": "number", "minimum": 0, "maximum": 100, "description": "Line coverage in percent, at most two decimals." }),
            "escaped_defects" => json!({ "type": "integer", "minimum": 0, "description": "Defects found in production since the last report." }),
            _ => json!({ "type": "string", "maxLength": 2000, "description": "What was restored and checked, or what went wrong." }),
        };
        let properties: serde_json::Map<String, serde_json::Value> = fields.iter().map(|f| (f.to_string(), described(f))).collect();
        let mut one = json!({ "type": "object", "properties": properties, "additionalProperties": false });
        if !required.is_empty() {
            one["required"] = json!(required);
        }
        json!({ "oneOf": [one.clone(), { "type": "array", "items": one, "maxItems": 10_000 }] })
    };
    let path = |summary: &str, description: &str, fields: &[&str], required: &[&str]| {
        json!({ "post": {
            "summary": summary,
            "description": description,
            "parameters": [ { "name": "id", "in": "path", "required": true, "description": "The system's id, as in its page's address.", "schema": { "type": "integer" } } ],
            "requestBody": { "required": true, "content": { "application/json": { "schema": item(fields, required) } } },
            "responses": {
                "201": { "description": "Stored: the system, how many and their ids.", "content": { "application/json": { "schema": { "type": "object", "properties": {
                    "system": { "type": "string" }, "accepted": { "type": "integer" }, "ids": { "type": "array", "items": { "type": "integer" } } } } } } },
                "400": error("The body is not valid JSON."),
                "401": error("Missing, unknown or revoked API token."),
                "404": error("No system has this id."),
                "413": error("Body over 1 MiB or more than 10,000 items."),
                "422": error("An item is invalid; nothing was stored. Each detail names the item's index and the field as sent.")
            }
        } })
    };
    [
        (Route::IngestBackups.path(), path("Record a system's backups", "Each run of the system's backup job, failed or not. The backup controls that name the system pass while it was backed up in the last 26 hours.", BACKUP_FIELDS, &["ok"])),
        (
            Route::IngestRestoreTests.path(),
            path("Record a system's restore tests", "Each restore test: a backup restored somewhere apart and checked. The restore-test controls take the latest; the posture counts systems with no passed test in a quarter.", RESTORE_FIELDS, &["ok", "detail"]),
        ),
        (
            Route::IngestQuality.path(),
            path("Record a system's quality", "A test run (tests_run with tests_passed), coverage, escaped defects, or any of them in one report. Shown week by week on the system's page beside the change failure rate of its deployments.", QUALITY_FIELDS, &[]),
        ),
    ]
}

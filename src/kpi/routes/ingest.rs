//! `POST /api/v1/...`: measurements and delivery events pushed by machines with an API token.
//!
//! Bodies are one JSON object or an array of them, at most 1 MiB and 10,000 items. A batch is
//! stored whole or not at all; errors name the item (`index`) and the field.

use crate::platform::audit::{Actor, Entry};
use crate::platform::api_error::{api_error, invalid, plain_error, Detail};
use crate::platform::error::AppError;
use crate::kpi::events::{self, DeploymentInput, IncidentInput};
use crate::kpi::repo::{self, KpiRow, NewPoint};
use crate::kpi::figures;
use crate::platform::db::{begin_write, now_unix};
use crate::platform::state::AppState;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use sqlx::SqliteConnection;
use std::future::Future;

use super::items::{deployment, incident, point};
use crate::platform::api_items::{parse_items, MAX_BODY_BYTES, MAX_ITEMS};

/// Checks the bearer token, reads the body and parses it into a list of JSON objects.
async fn authenticated_items(st: &AppState, headers: &HeaderMap, body: Body) -> Result<(Actor, Vec<Map<String, Value>>), Response> {
    let actor = crate::tokens::service::bearer(&st.pool, headers).await?;
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES).await.map_err(|_| {
        plain_error(StatusCode::PAYLOAD_TOO_LARGE, &format!("The body is larger than 1 MiB; send at most {MAX_ITEMS} items per request."))
    })?;
    parse_items(&bytes).map(|items| (actor, items)).map_err(|(status, message)| plain_error(status, &message))
}

pub async fn measurements(State(st): State<AppState>, Path(key): Path<String>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let (actor, items) = match authenticated_items(&st, &parts.headers, body).await {
        Ok(found) => found,
        Err(res) => return res,
    };
    let kpi = match repo::kpi_by_key(&st.pool, &key).await {
        Ok(Some(row)) => KpiRow::into_kpi(row),
        Ok(None) => return plain_error(StatusCode::NOT_FOUND, &format!("There is no KPI with the key “{key}”.")),
        Err(e) => return api_error(e),
    };
    if kpi.computed.is_some() {
        return plain_error(StatusCode::CONFLICT, &format!("{} is computed from deployment and incident events; send those to /api/v1/events instead.", kpi.name));
    }
    if let Some(why) = kpi.derived() {
        return plain_error(StatusCode::CONFLICT, &why);
    }
    let now = now_unix();
    let mut details = Vec::new();
    let points: Vec<Option<NewPoint>> = items.iter().enumerate().map(|(i, m)| point(i, m, kpi.unit, st.config.currency, now, &mut details)).collect();
    let points: Vec<NewPoint> = points.into_iter().flatten().collect();
    if details.is_empty() {
        for (first, again) in figures::duplicate_timestamps(&points) {
            details.push(Detail { index: again, field: "timestamp".into(), message: format!("repeats the timestamp of item {first}") });
        }
    }
    if !details.is_empty() {
        details.sort_by_key(|d| d.index);
        return invalid(details);
    }
    match figures::record(&st.pool, &actor, (kpi.id, &kpi.key, &kpi.name), &points, "api").await {
        Ok(()) => {
            st.changes.tell(crate::platform::changes::Changed::Kpi(kpi.id));
            (StatusCode::CREATED, axum::Json(json!({ "kpi": kpi.key, "accepted": points.len() }))).into_response()
        }
        Err(e) => api_error(e),
    }
}

/// Delivery events: each kind decodes its items and stores one, and the batch recomputes the
/// DORA figures over the days it touched.
trait Event: Sized + Send + Sync {
    /// The batch's action in the audit trail.
    const ACTION: &'static str;
    fn decode(index: usize, map: &Map<String, Value>, now: i64, details: &mut Vec<Detail>) -> Option<Self>;
    fn store<'a>(&'a self, tx: &'a mut SqliteConnection) -> impl Future<Output = Result<i64, AppError>> + Send + 'a;
    fn times(&self) -> impl Iterator<Item = i64>;
}

impl Event for DeploymentInput {
    const ACTION: &'static str = "record_deployments";
    fn decode(index: usize, map: &Map<String, Value>, now: i64, details: &mut Vec<Detail>) -> Option<Self> {
        deployment(index, map, now, details)
    }
    fn store<'a>(&'a self, tx: &'a mut SqliteConnection) -> impl Future<Output = Result<i64, AppError>> + Send + 'a {
        events::record_deployment(tx, self)
    }
    fn times(&self) -> impl Iterator<Item = i64> {
        std::iter::once(self.deployed_at)
    }
}

impl Event for IncidentInput {
    const ACTION: &'static str = "record_incidents";
    fn decode(index: usize, map: &Map<String, Value>, now: i64, details: &mut Vec<Detail>) -> Option<Self> {
        incident(index, map, now, details)
    }
    fn store<'a>(&'a self, tx: &'a mut SqliteConnection) -> impl Future<Output = Result<i64, AppError>> + Send + 'a {
        events::record_incident(tx, self)
    }
    fn times(&self) -> impl Iterator<Item = i64> {
        std::iter::once(self.started_at).chain(self.resolved_at)
    }
}

pub async fn deployments(State(st): State<AppState>, req: Request) -> Response {
    record_events::<DeploymentInput>(st, req).await
}

pub async fn incidents(State(st): State<AppState>, req: Request) -> Response {
    record_events::<IncidentInput>(st, req).await
}

/// A batch of events, stored whole or not at all.
async fn record_events<E: Event>(st: AppState, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let (actor, items) = match authenticated_items(&st, &parts.headers, body).await {
        Ok(found) => found,
        Err(res) => return res,
    };
    let now = now_unix();
    let mut details = Vec::new();
    let inputs: Vec<Option<E>> = items.iter().enumerate().map(|(i, m)| E::decode(i, m, now, &mut details)).collect();
    if !details.is_empty() {
        return invalid(details);
    }
    let inputs: Vec<E> = inputs.into_iter().flatten().collect();
    let result: Result<Vec<i64>, Response> = async {
        let mut tx = begin_write(&st.pool).await.map_err(|e| api_error(e.into()))?;
        let mut ids = Vec::with_capacity(inputs.len());
        for (index, event) in inputs.iter().enumerate() {
            ids.push(event.store(&mut tx).await.map_err(|e| item_error(e, index, &items[index]))?);
        }
        let (lo, hi) = span(inputs.iter().flat_map(E::times));
        events::refresh_computed(&mut tx, lo, hi).await.map_err(api_error)?;
        Entry::new(&actor, "kpis", E::ACTION)
            .detail(format!("{} item(s), ids {}", ids.len(), ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")))
            .record(&mut tx)
            .await
            .map_err(|e| api_error(e.into()))?;
        tx.commit().await.map_err(|e| api_error(e.into()))?;
        Ok(ids)
    }
    .await;
    match result {
        Ok(ids) => (StatusCode::CREATED, axum::Json(json!({ "accepted": ids.len(), "ids": ids }))).into_response(),
        Err(res) => res,
    }
}

/// A store-time refusal of one item (an unknown cause), naming the field as the caller sent it:
/// a cause given by the caller's own id is `deployment`, by ours `deployment_id`.
fn item_error(e: AppError, index: usize, sent: &Map<String, Value>) -> Response {
    match e {
        AppError::Invalid { fields, .. } => invalid(
            fields
                .into_iter()
                .map(|f| {
                    let field = if f.field == "deployment_id" && sent.contains_key("deployment") { "deployment".to_string() } else { f.field };
                    Detail { index, field, message: f.message }
                })
                .collect(),
        ),
        other => api_error(other),
    }
}

fn span(times: impl Iterator<Item = i64>) -> (i64, i64) {
    times.fold((i64::MAX, i64::MIN), |(lo, hi), t| (lo.min(t), hi.max(t)))
}

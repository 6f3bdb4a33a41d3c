//! Reading the audit trail: the CTO's filtered page of it and its CSV export. The trail is
//! written by every area through `platform::audit`; nothing here changes it.

use super::model::{AuditEntry, AuditPage, AuditQuery};
use crate::access::Route;
use crate::auth::guard::route_caller;
use crate::auth::Caller;
use crate::platform::audit::{readable, ActorKind, Change};
use crate::platform::csv::CsvWriter;
use crate::platform::encode::query_string;
use crate::platform::error::AppError;
use crate::platform::money::Currency;
use crate::platform::state::AppState;
use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

pub const PAGE_SIZE: i64 = 100;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route(Route::AuditExport.path(), axum::routing::get(export))
}

/// The filters, checked: a bad date or object is an error at its field, not an empty list.
struct Filter {
    who: Option<String>,
    area: Option<String>,
    object: Option<(String, String)>,
    from_ms: Option<i64>,
    to_ms: Option<i64>,
}

fn filter(q: &AuditQuery) -> Result<Filter, AppError> {
    let mut p = crate::platform::error::Problems::default();
    let day = |text: &str, field: &str, p: &mut crate::platform::error::Problems| match text.trim() {
        "" => None,
        t => p.check(field, NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| format!("“{t}” is not a date; use YYYY-MM-DD."))),
    };
    let from = day(&q.from, "from", &mut p);
    let to = day(&q.to, "to", &mut p);
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            p.add("to", "The last day cannot come before the first.");
        }
    }
    let object = match q.object.trim() {
        "" => None,
        o => p.check("object", o.split_once(':').map(|(k, id)| (k.to_string(), id.to_string())).ok_or_else(|| format!("“{o}” is not an object; write it as kind:id, such as kpi:availability."))),
    };
    p.finish()?;
    let ms = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp_millis());
    let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(Filter {
        who: text(&q.who),
        area: text(&q.area),
        object,
        from_ms: from.and_then(ms),
        to_ms: to.and_then(|d| d.succ_opt()).and_then(ms),
    })
}

fn push_where<'a>(qb: &mut QueryBuilder<'a, Sqlite>, f: &'a Filter) {
    qb.push(" WHERE 1 = 1");
    if let Some(who) = &f.who {
        qb.push(" AND actor = ").push_bind(who);
    }
    if let Some(area) = &f.area {
        qb.push(" AND area = ").push_bind(area);
    }
    if let Some((kind, id)) = &f.object {
        qb.push(" AND object_kind = ").push_bind(kind).push(" AND object_id = ").push_bind(id);
    }
    if let Some(from) = f.from_ms {
        qb.push(" AND at >= ").push_bind(from);
    }
    if let Some(to) = f.to_ms {
        qb.push(" AND at < ").push_bind(to);
    }
}

type Raw = (i64, String, String, String, String, String, String, String, String, String);

async fn rows(db: &mut SqliteConnection, f: &Filter, limit: i64, offset: i64) -> Result<Vec<Raw>, AppError> {
    let mut qb = QueryBuilder::new("SELECT at, actor_kind, actor, area, action, object_kind, object_id, object_label, changes, detail FROM audit_events");
    push_where(&mut qb, f);
    qb.push(" ORDER BY at DESC, id DESC LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
    Ok(qb.build_query_as::<Raw>().fetch_all(db).await?)
}

fn entry(r: Raw, currency: Currency) -> AuditEntry {
    let (at, kind, actor, area, action, object_kind, object_id, object_label, changes, detail) = r;
    // A record the app cannot read back is shown without its changes rather than hidden.
    let changes: Vec<Change> = serde_json::from_str(&changes).unwrap_or_default();
    AuditEntry {
        at: chrono::DateTime::from_timestamp_millis(at).map(|d| d.format("%Y-%m-%d %H:%M:%S UTC").to_string()).unwrap_or_default(),
        actor,
        actor_kind: ActorKind::parse(&kind).map(|k| k.label().to_string()).unwrap_or(kind),
        area,
        action,
        object: if object_kind.is_empty() { String::new() } else { format!("{object_kind}:{object_id}") },
        object_label,
        changes: changes.iter().map(|c| readable(c, currency)).map(|(f, b, a)| (f.replace('_', " "), b, a)).collect(),
        detail,
    }
}

pub async fn page(st: &AppState, q: &AuditQuery) -> Result<AuditPage, AppError> {
    let f = filter(q)?;
    let mut db = st.pool.acquire().await?;
    let mut count = QueryBuilder::new("SELECT count(*) FROM audit_events");
    push_where(&mut count, &f);
    let matched: i64 = count.build_query_scalar().fetch_one(&mut *db).await?;
    let (page, pages, offset) = crate::platform::query::page_of(&q.page, matched, PAGE_SIZE);
    let entries = rows(&mut db, &f, PAGE_SIZE, offset).await?.into_iter().map(|r| entry(r, st.config.currency)).collect();
    let people = sqlx::query_scalar("SELECT DISTINCT actor FROM audit_events ORDER BY actor COLLATE NOCASE").fetch_all(&mut *db).await?;
    let areas = sqlx::query_scalar("SELECT DISTINCT area FROM audit_events ORDER BY area").fetch_all(&mut *db).await?;
    let export_query = query_string(&[("who", &q.who), ("area", &q.area), ("object", &q.object), ("from", &q.from), ("to", &q.to)]);
    Ok(AuditPage { entries, matched, page, pages, people, areas, export_query })
}

/// The whole filtered trail as CSV, newest first, one line per record with its changes as
/// "field: before → after" lines in one cell.
pub async fn export(State(st): State<AppState>, Query(q): Query<AuditQuery>, req: Request) -> Response {
    if let Err(e) = route_caller(Route::AuditExport, req.extensions().get::<Caller>()) {
        return e.into_response();
    }
    let result = async {
        let f = filter(&q)?;
        let mut db = st.pool.acquire().await?;
        let mut out = CsvWriter::new();
        out.row(["when", "who", "kind of author", "area", "action", "object", "object name", "changes", "detail"]);
        let mut offset = 0;
        loop {
            let batch = rows(&mut db, &f, 10_000, offset).await?;
            for r in batch.iter().cloned() {
                let e = entry(r, st.config.currency);
                let changes = e.changes.iter().map(|(f, b, a)| format!("{f}: {} → {}", b.as_deref().unwrap_or("–"), a.as_deref().unwrap_or("–"))).collect::<Vec<_>>().join("\n");
                out.row([&e.at, &e.actor, &e.actor_kind, &e.area, &e.action, &e.object, &e.object_label, &changes, &e.detail]);
            }
            if batch.len() < 10_000 {
                break;
            }
            offset += 10_000;
        }
        Ok::<_, AppError>(out.finish())
    }
    .await;
    match result {
        Ok(bytes) => (
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"audit-trail.csv\"")],
            Body::from(bytes),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

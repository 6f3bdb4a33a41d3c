//! What every request meets before any handler: its route group, the body limit of that group,
//! the same-origin check for requests that change something, and the headers every answer
//! carries (caching, content security policy), with the request counted for `/metrics`.

use crate::platform::request::{is_asset, redact};
use crate::platform::state::AppState;
use crate::access::{Audience, Route};
use crate::platform::error::AppError;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::BytesMut;
use futures_util::StreamExt;
use http::header::{CACHE_CONTROL, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE, HOST, ORIGIN};
use http::{HeaderValue, Method, StatusCode};
use std::time::{Duration, Instant};

/// The kinds of request the server answers, each with its own body limit and headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Pages,
    ServerFunctions,
    /// The token-authenticated REST API under `/api/v1/`.
    Api,
    /// Uploads, exports and PDFs for signed-in people.
    Files(Route),
    Assets,
    Health,
    Metrics,
}

/// Bodies of server-function calls: forms and small JSON.
pub const SERVER_FUNCTION_BODY: usize = 1 << 20;
/// Pages, assets and probes are read with GET; a body there is a mistake or an attack.
const SMALL_BODY: usize = 64 << 10;
/// How long an over-large body is still read (and thrown away) after the 413 is sent, so the
/// client, still sending, receives the answer instead of a reset connection.
const LINGER: Duration = Duration::from_secs(2);

impl Group {
    pub fn of(path: &str) -> Group {
        if path == "/healthz" {
            return Group::Health;
        }
        if path == "/metrics" {
            return Group::Metrics;
        }
        if is_asset(path) {
            return Group::Assets;
        }
        // A scanner's file is an upload, whether a person or a token sends it.
        if Route::for_path(path) == Some(Route::IngestFindings) {
            return Group::Files(Route::IngestFindings);
        }
        if path.starts_with("/api/v1/") {
            return Group::Api;
        }
        match Route::for_path(path) {
            Some(route) if route.audience() != Audience::ApiToken => Group::Files(route),
            _ if path.starts_with("/api/") => Group::ServerFunctions,
            _ => Group::Pages,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Group::Pages => "pages",
            Group::ServerFunctions => "server_functions",
            Group::Api => "api",
            Group::Files(_) => "files",
            Group::Assets => "assets",
            Group::Health => "health",
            Group::Metrics => "metrics",
        }
    }

    /// The largest body this group takes.
    pub fn body_limit(self) -> usize {
        match self {
            Group::ServerFunctions => SERVER_FUNCTION_BODY,
            Group::Api => crate::platform::api_items::MAX_BODY_BYTES,
            Group::Files(Route::KpiImportUpload) => crate::kpi::import::MAX_UPLOAD_BYTES as usize,
            Group::Files(Route::ExpenseImport) => crate::budget::routes::MAX_IMPORT_BYTES,
            Group::Files(Route::CloudImport) => crate::strategy::service::cloud::MAX_FOCUS_BYTES as usize,
            Group::Files(Route::TimeImport) => crate::strategy::service::time_import::MAX_BYTES,
            Group::Files(Route::FindingsImport | Route::IngestFindings) => crate::assurance::service::scan::MAX_SCAN_BYTES as usize,
            // Room above the file's own limit, so a file somewhat too large is told at its field.
            Group::Files(Route::RecordEvidence) => crate::assurance::evidence_routes::MAX_EVIDENCE_BODY,
            Group::Files(_) | Group::Pages | Group::Assets | Group::Health | Group::Metrics => SMALL_BODY,
        }
    }

    /// Uploads stream their bodies to disk or parse them with their own limit; every other
    /// group's body is small enough to read here, where its limit is enforced.
    fn streams_its_body(self) -> bool {
        matches!(self, Group::Api | Group::Files(Route::KpiImportUpload | Route::ExpenseImport | Route::CloudImport | Route::FindingsImport | Route::IngestFindings))
    }
}

/// Times and counts every request by group.
pub async fn count(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let group = Group::of(req.uri().path());
    let started = Instant::now();
    let res = next.run(req).await;
    st.metrics.request(group.label(), res.status().as_u16(), started.elapsed());
    res
}

/// Refuses a body over its group's limit with 413 at once: by its declared length before
/// reading it, or as soon as the bytes read pass the limit.
pub async fn limit_body(req: Request, next: Next) -> Response {
    let group = Group::of(req.uri().path());
    let limit = group.body_limit();
    let declared = req.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        let (_, body) = req.into_parts();
        return too_large(group, limit, body.into_data_stream());
    }
    if group.streams_its_body() {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let mut stream = body.into_data_stream();
    let mut read = BytesMut::new();
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            return error(group, AppError::BadRequest { message: "the request body was cut off".into() });
        };
        if read.len() + chunk.len() > limit {
            return too_large(group, limit, stream);
        }
        read.extend_from_slice(&chunk);
    }
    next.run(Request::from_parts(parts, Body::from(read.freeze()))).await
}

fn too_large(group: Group, limit: usize, mut rest: axum::body::BodyDataStream) -> Response {
    tokio::spawn(async move {
        let _ = tokio::time::timeout(LINGER, async { while rest.next().await.is_some() {} }).await;
    });
    let size = if limit >= 1 << 20 { format!("{} MiB", limit >> 20) } else { format!("{} KiB", limit >> 10) };
    tracing::info!(limit, "request body too large");
    let mut res = error(group, AppError::TooLarge { message: format!("The request body is larger than the {size} this address takes.") });
    res.headers_mut().insert(http::header::CONNECTION, HeaderValue::from_static("close"));
    res
}

/// The token API answers in its one documented shape; everything else in the session routes'.
fn error(group: Group, e: AppError) -> Response {
    if group == Group::Api {
        return crate::platform::api_error::api_error(e);
    }
    e.into_response()
}

/// Refuses a request that changes something when a browser says another site sent it.
///
/// SameSite=Strict cookies already keep a session out of cross-site requests; this also stops
/// login CSRF (signing a victim into the attacker's account) and covers browsers that do not
/// honour SameSite. The token-authenticated REST API is exempt: no browser holds its tokens.
pub async fn same_origin(State(st): State<AppState>, req: Request, next: Next) -> Response {
    // Token requests carry their credential in a header no other site can set.
    let token_api = req.uri().path().starts_with("/api/v1/");
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) || token_api {
        return next.run(req).await;
    }
    let headers = req.headers();
    let verdict = match headers.get(ORIGIN).map(|v| v.to_str().unwrap_or("")) {
        Some(origin) => {
            let own = match &st.config.site_url {
                Some(site) => origin_of(site.as_str()).is_some_and(|o| o == origin_of(origin).unwrap_or_default()),
                None => headers.get(HOST).and_then(|h| h.to_str().ok()).is_some_and(|host| authority_of(origin).is_some_and(|a| a.eq_ignore_ascii_case(host))),
            };
            if own { Ok(()) } else { Err(format!("it came from {origin}")) }
        }
        // Browsers that send no Origin still say where a request came from.
        None => match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
            Some(site @ ("cross-site" | "same-site")) => Err(format!("the browser marked it {site}")),
            _ => Ok(()),
        },
    };
    match verdict {
        Ok(()) => next.run(req).await,
        Err(why) => {
            tracing::warn!(path = %redact(req.uri().path()), %why, "cross-site request refused");
            let body = serde_json::json!({ "error": format!("This request was refused because {why}, not from Northstar itself."), "kind": "forbidden" });
            (StatusCode::FORBIDDEN, axum::Json(body)).into_response()
        }
    }
}

/// `https://host:port` of a URL or an Origin header, lower-cased, default port dropped.
fn origin_of(text: &str) -> Option<String> {
    let url = url::Url::parse(text).ok()?;
    let host = url.host_str()?;
    Some(match url.port() {
        Some(p) => format!("{}://{host}:{p}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    })
    .map(|o| o.to_ascii_lowercase())
}

/// The `host:port` an Origin names, as a Host header would carry it.
fn authority_of(origin: &str) -> Option<String> {
    let url = url::Url::parse(origin).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?;
    Some(match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    })
}

/// Signed-in pages, server-function answers and exports are never kept by a browser or proxy
/// cache. The bundle's files say how long they keep (`server::assets`); other static files are
/// checked again on each use.
/// Each request's content security policy is decided here, before anything renders: a fresh
/// nonce goes into the request for the page's render (see `platform::request::provide_nonce`)
/// and the answer, if it is HTML, admits scripts carrying it; any other answer admits no inline
/// script. Set from inside the render, the header was rarely missing from a page, which then
/// got the default policy and had its scripts refused; here no answer can miss it.
pub async fn script_policy(mut req: Request, next: Next) -> Response {
    use crate::platform::request::{page_policy, DEFAULT_POLICY};
    let nonce = leptos::nonce::Nonce::new();
    req.extensions_mut().insert(nonce.clone());
    let mut res = next.run(req).await;
    let html = res.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    let policy = if html { HeaderValue::from_str(&page_policy(&nonce)).ok() } else { None };
    res.headers_mut().insert(CONTENT_SECURITY_POLICY, policy.unwrap_or(HeaderValue::from_static(DEFAULT_POLICY)));
    res
}

pub async fn cache_control(req: Request, next: Next) -> Response {
    let group = Group::of(req.uri().path());
    let mut res = next.run(req).await;
    if !res.headers().contains_key(CACHE_CONTROL) {
        let value = if group == Group::Assets { super::assets::REVALIDATE } else { "no-store" };
        res.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(value));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_fall_into_groups() {
        assert_eq!(Group::of("/"), Group::Pages);
        assert_eq!(Group::of("/kpis/p95"), Group::Pages);
        assert_eq!(Group::of("/api/auth/login"), Group::ServerFunctions);
        assert_eq!(Group::of("/api/kpis/overview"), Group::ServerFunctions);
        assert_eq!(Group::of("/api/v1/events/incidents"), Group::Api);
        assert_eq!(Group::of("/api/v1/systems/3/findings"), Group::Files(Route::IngestFindings));
        assert_eq!(Group::of("/api/v1/systems/3/findings").body_limit(), 256 << 20);
        assert_eq!(Group::of("/api/kpis/p95/import"), Group::Files(Route::KpiImportUpload));
        assert_eq!(Group::of("/api/share/abc/pdf"), Group::Files(Route::SharedReportPdf));
        assert_eq!(Group::of("/pkg/northstar.wasm"), Group::Assets);
        assert_eq!(Group::of("/favicon.svg"), Group::Assets);
        assert_eq!(Group::of("/healthz"), Group::Health);
        assert_eq!(Group::of("/metrics"), Group::Metrics);
        assert_eq!(Group::of("/api/kpis/p95/import").body_limit(), 64 << 20);
        assert_eq!(Group::of("/api/admin/users/create").body_limit(), 1 << 20);
        assert!(!is_asset("/kpis"));
        assert!(!is_asset("/api/kpis/cost/export.csv"));
    }

    #[test]
    fn origins_compare_by_scheme_host_and_port() {
        assert_eq!(origin_of("https://Northstar.example.com/").as_deref(), Some("https://northstar.example.com"));
        assert_eq!(origin_of("https://northstar.example.com:443").as_deref(), Some("https://northstar.example.com"));
        assert_eq!(origin_of("http://127.0.0.1:3000").as_deref(), Some("http://127.0.0.1:3000"));
        assert_eq!(origin_of("null"), None);
        assert_eq!(authority_of("http://127.0.0.1:3000").as_deref(), Some("127.0.0.1:3000"));
        assert_eq!(authority_of("https://evil.example").as_deref(), Some("evil.example"));
        assert_eq!(authority_of("null"), None);
    }

    #[test]
    fn share_tokens_never_reach_a_log() {
        assert_eq!(redact("/share/U4C9abc"), "/share/…");
        assert_eq!(redact("/api/share/U4C9abc/pdf"), "/api/share/…/pdf");
        assert_eq!(redact("/kpis"), "/kpis");
    }
}

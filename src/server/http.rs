//! Middleware: which pages a caller may open, and the HTTP status each server-function error
//! deserves.

use crate::access::Page;
use crate::auth::Caller;
use crate::platform::error::AppError;
use crate::platform::request::{is_asset, redact};
use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{HeaderValue, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use http::{Method, StatusCode};

/// Pages: anonymous visitors go to the sign-in page, the wrong role gets 403.
pub async fn page_guard(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if !matches!(*req.method(), Method::GET | Method::HEAD)
        || path.starts_with("/api/")
        || path == "/healthz"
        || is_asset(path)
    {
        return next.run(req).await;
    }
    let Some(page) = Page::for_path(path) else { return next.run(req).await };
    let user = req.extensions().get::<Caller>().and_then(|c| c.0.clone());
    let audience = page.audience();
    match user {
        Some(u) if page == Page::Login => see_other(u.role.home().path()),
        // "/" is where everyone starts; a role without the overview starts at its own home.
        Some(u) if page == Page::Overview && !audience.admits(Some(u.role)) => see_other(u.role.home().path()),
        None if !audience.admits(None) => {
            let wanted = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
            let target = if wanted == "/" { "/login".to_string() } else { format!("/login?next={}", crate::platform::encode::path(wanted)) };
            see_other(&target)
        }
        Some(u) if !audience.admits(Some(u.role)) => {
            tracing::warn!(user_id = u.id, role = u.role.as_str(), path = %redact(path), "page refused");
            forbidden_page(page, &u)
        }
        _ => next.run(req).await,
    }
}

fn see_other(location: &str) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, location.to_string())]).into_response()
}

fn forbidden_page(page: crate::access::Page, user: &crate::auth::User) -> Response {
    let esc = crate::platform::encode::html;
    let home = user.role.home();
    let body = format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>No access · Northstar</title><link rel="stylesheet" href="/pkg/northstar.css"></head><body><main class="refusal"><p><a class="brand" href="/"><span class="brand-mark" aria-hidden="true">✦</span> Northstar</a></p><h1>You do not have access to {page}</h1><p>You are signed in as {name} ({role}). {page} is not open to your role.</p><p><a href="{home_path}">Go to {home}</a></p></main></body></html>"#,
        page = page.label(),
        name = esc(&user.name),
        role = user.role.label(),
        home_path = home.path(),
        home = home.label(),
    );
    (StatusCode::FORBIDDEN, [(CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// Server functions answer errors with 500; this gives each `AppError` its proper status
/// (401, 403, 422, 429, ...) so API clients and tests see what happened.
pub async fn error_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR || !res.headers().contains_key("serverfnerror") {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1 << 20).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = err.http_status();
        if let Some(secs) = err.retry_after() {
            parts.headers.insert(RETRY_AFTER, HeaderValue::from(secs));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

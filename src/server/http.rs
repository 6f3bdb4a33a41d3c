//! Middleware for pages: which pages a caller may open.

use crate::access::Page;
use crate::auth::Caller;
use crate::platform::request::redact;
use crate::platform::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{CONTENT_TYPE, LOCATION};
use http::StatusCode;

/// Pages: anonymous visitors go to the sign-in page, the wrong role gets 403. Mounted on the
/// page routes only, so every request it sees is for a page.
pub async fn page_guard(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
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
            forbidden_page(page, &u, &st.config.stylesheet())
        }
        _ => next.run(req).await,
    }
}

fn see_other(location: &str) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, location.to_string())]).into_response()
}

fn forbidden_page(page: crate::access::Page, user: &crate::auth::User, stylesheet: &str) -> Response {
    let esc = crate::platform::encode::html;
    let home = user.role.home();
    let body = format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>No access · Northstar</title><link rel="stylesheet" href="{stylesheet}"></head><body><main class="refusal"><p><a class="brand" href="/"><span class="brand-mark" aria-hidden="true">✦</span> Northstar</a></p><h1>You do not have access to {page}</h1><p>You are signed in as {name} ({role}). {page} is not open to your role.</p><p><a href="{home_path}">Go to {home}</a></p></main></body></html>"#,
        page = page.label(),
        name = esc(&user.name),
        role = user.role.label(),
        home_path = home.path(),
        home = home.label(),
        stylesheet = esc(stylesheet),
    );
    (StatusCode::FORBIDDEN, [(CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

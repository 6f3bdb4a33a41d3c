//! The session middleware: resolves the cookie once per request and records the caller.

use super::session;
use super::User;
use crate::platform::client::client_key;
use crate::platform::db::now_unix;
use crate::platform::request::{is_asset, ClientAddr};
use crate::platform::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{HeaderValue, SET_COOKIE};
use http::StatusCode;
use std::net::SocketAddr;

/// Who is calling, resolved once per request by the session middleware and read by the guard.
#[derive(Clone, Debug)]
pub struct Caller(pub Option<User>);

/// Resolves the session cookie once per request and records the caller for the guard.
pub async fn session_layer(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if is_asset(path) || path == "/healthz" {
        return next.run(req).await;
    }
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let client = client_key(peer, req.headers(), &st.config.trusted_proxies, &st.config.client_ip_header);
    req.extensions_mut().insert(ClientAddr(client));
    let policy = super::session::policy(&st.config);
    let mut stale_cookie = false;
    let user = match session::token_from_headers(req.headers()) {
        None => None,
        Some(token) => match session::resolve(&st.pool, &token, policy, now_unix()).await {
            Ok(user) => {
                stale_cookie = user.is_none();
                user
            }
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                return (StatusCode::SERVICE_UNAVAILABLE, "Northstar cannot reach its database.")
                    .into_response();
            }
        },
    };
    req.extensions_mut().insert(Caller(user));
    let mut res = next.run(req).await;
    if stale_cookie && !res.headers().contains_key(SET_COOKIE) {
        if let Ok(v) = HeaderValue::from_str(&session::clear_cookie(policy)) {
            res.headers_mut().append(SET_COOKIE, v);
        }
    }
    res
}


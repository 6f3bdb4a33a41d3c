//! Bounds how long a page may take to render.
//!
//! Leptos 0.8 has a rare race in `<Suspense>`/`<Transition>` on the server (leptos-rs/leptos
//! #4673, #4851): about one render in a few hundred, on a busy machine, waits for a resource
//! that has already loaded and never finishes, so the browser spins until it gives up. Page
//! requests are GETs with no body, so rendering again is safe; a stalled render is dropped and
//! the page rendered afresh. Real renders take milliseconds (see benches/), so the first
//! limit is far above any honest render, and later attempts get more room in case the
//! machine is merely slow.

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{CONTENT_TYPE, RETRY_AFTER};
use http::StatusCode;
use std::time::Duration;

/// How long each attempt may take; after the last, the visitor is asked to reload.
pub const ATTEMPTS: [Duration; 3] = [Duration::from_secs(5), Duration::from_secs(10), Duration::from_secs(30)];

pub async fn page_render(req: Request, next: Next) -> Response {
    retrying(req, next, &ATTEMPTS).await
}

async fn retrying(req: Request, next: Next, limits: &[Duration]) -> Response {
    let (parts, _) = req.into_parts();
    for (attempt, limit) in limits.iter().enumerate() {
        let again = Request::from_parts(parts.clone(), Body::empty());
        match tokio::time::timeout(*limit, next.clone().run(again)).await {
            Ok(response) => return response,
            Err(_) => tracing::warn!(path = %crate::platform::request::redact(parts.uri.path()), attempt = attempt + 1, "page render stalled; rendering again"),
        }
    }
    tracing::error!(path = %crate::platform::request::redact(parts.uri.path()), "page render stalled on every attempt");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(CONTENT_TYPE, "text/plain; charset=utf-8"), (RETRY_AFTER, "5")],
        "This page took too long to prepare. Please reload it.",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use axum::Router;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use tower::ServiceExt;

    /// A page whose first `stalls` renders never finish.
    fn app(stalls: usize, limits: &'static [Duration]) -> (Router, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        let router = Router::new()
            .route(
                "/page",
                get(move || {
                    let n = counter.fetch_add(1, Ordering::SeqCst);
                    async move {
                        if n < stalls {
                            std::future::pending::<()>().await;
                        }
                        format!("rendered on attempt {}", n + 1)
                    }
                }),
            )
            .layer(axum::middleware::from_fn(move |req, next| retrying(req, next, limits)));
        (router, calls)
    }

    async fn body(res: Response) -> String {
        String::from_utf8(axum::body::to_bytes(res.into_body(), 1 << 16).await.unwrap().to_vec()).unwrap()
    }

    const FAST: &[Duration] = &[Duration::from_millis(50), Duration::from_millis(50), Duration::from_millis(50)];

    #[tokio::test]
    async fn a_stalled_render_is_rendered_again() {
        let (router, calls) = app(1, FAST);
        let res = router.oneshot(Request::get("/page").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(body(res).await, "rendered on attempt 2");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_render_that_always_stalls_asks_to_reload() {
        let (router, calls) = app(usize::MAX, FAST);
        let res = router.oneshot(Request::get("/page").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(body(res).await.contains("reload"));
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_prompt_render_runs_once() {
        let (router, calls) = app(0, FAST);
        let res = router.oneshot(Request::get("/page").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(body(res).await, "rendered on attempt 1");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}

//! The browser bundle under `/pkg`: files the release build compressed once (brotli and gzip,
//! `cargo leptos build --precompress`), served as they are, and kept by browsers for a year
//! when their name carries the build's content hash, since a new build gets new names.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use http::header::{HeaderValue, CACHE_CONTROL, VARY};
use std::path::Path;
use tower_http::services::ServeDir;

/// For names with the build's hash: the content behind the name never changes.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For everything else (a development build, the favicon): the browser asks again each time,
/// cheaply, with `If-Modified-Since`.
pub const REVALIDATE: &str = "no-cache";

pub fn routes<S: Clone + Send + Sync + 'static>(site_root: &str, site_pkg_dir: &str) -> Router<S> {
    let pkg = Path::new(site_root).join(site_pkg_dir);
    let files = ServeDir::new(pkg).precompressed_br().precompressed_gzip();
    Router::new()
        .nest_service(&format!("/{}", site_pkg_dir.trim_matches('/')), files)
        .layer(axum::middleware::from_fn(cache_headers))
}

async fn cache_headers(req: Request, next: Next) -> Response {
    let immutable = crate::platform::bundle::is_hashed(req.uri().path());
    let mut res = next.run(req).await;
    if res.status().is_success() || res.status() == http::StatusCode::NOT_MODIFIED {
        let value = if immutable { IMMUTABLE } else { REVALIDATE };
        res.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(value));
        // The same address answers brotli, gzip or plain by the request's Accept-Encoding.
        res.headers_mut().insert(VARY, HeaderValue::from_static("accept-encoding"));
    }
    res
}

//! What a server function can learn about the request it serves, and say about its answer.

use super::state::AppState;
use http::header::{HeaderName, HeaderValue};
use http::HeaderMap;
use leptos::prelude::use_context;

/// The client's address as the login limiter should count it, recorded once per request.
#[derive(Clone, Debug)]
pub struct ClientAddr(pub String);

/// The headers of the request being served (empty outside a request).
pub fn request_headers() -> HeaderMap {
    use_context::<http::request::Parts>().map(|p| p.headers).unwrap_or_default()
}

/// The address people reach this server at, without a trailing slash: the configured site
/// URL, else the page's own origin (checked against Host for every write), else its Host.
pub fn public_base() -> String {
    if let Some(site) = AppState::current().ok().and_then(|st| st.config.site_url.clone()) {
        return site.as_str().trim_end_matches('/').to_string();
    }
    let headers = request_headers();
    let header = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok()).map(str::to_string);
    header(http::header::ORIGIN)
        .filter(|o| o.starts_with("http://") || o.starts_with("https://"))
        .or_else(|| header(http::header::HOST).map(|h| format!("http://{h}")))
        .unwrap_or_default()
}

/// True for a plain HTML form post, which expects a redirect rather than data. Not for a page
/// whose render calls a server function in-process (a report's preview): its request is a GET.
pub fn wants_html() -> bool {
    use_context::<http::request::Parts>().is_some_and(|p| {
        p.method == http::Method::POST && p.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
    })
}

/// The path and query of the page a request came from (`Referer`), never its host: a redirect
/// built from it stays on this site.
pub fn referer_path() -> Option<String> {
    let referer = request_headers().get(http::header::REFERER)?.to_str().ok()?.to_string();
    let url = url::Url::parse(&referer).ok()?;
    let path = url.path();
    if !path.starts_with('/') || path.starts_with("//") {
        return None;
    }
    Some(match url.query() {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    })
}

pub fn client_addr() -> String {
    use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<ClientAddr>().cloned())
        .map(|c| c.0)
        .unwrap_or_else(|| "unknown".into())
}

/// A cookie of the request being rendered, by name.
pub fn cookie(name: &str) -> Option<String> {
    cookie_in(&use_context::<http::request::Parts>()?.headers, name)
}

/// A cookie from `Cookie` headers, by name.
pub fn cookie_in(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

pub fn set_response_header(name: HeaderName, value: &str) {
    if let (Some(opts), Ok(value)) = (use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(value)) {
        opts.append_header(name, value);
    }
}

/// Static files (the bundle under /pkg, files at the root such as /favicon.svg).
pub fn is_asset(path: &str) -> bool {
    path.starts_with("/pkg/") || (path.matches('/').count() == 1 && path.contains('.'))
}

/// A path fit for a log line: share tokens are credentials and never written out.
pub fn redact(path: &str) -> String {
    for prefix in ["/share/", "/api/share/"] {
        if let Some(rest) = path.strip_prefix(prefix) {
            let tail = rest.find('/').map(|i| &rest[i..]).unwrap_or("");
            return format!("{prefix}…{tail}");
        }
    }
    path.to_string()
}

/// Gives the page being rendered the nonce its answer's policy names (`server::edge::script_policy`
/// puts it in the request), in place of the one Leptos made up.
pub fn provide_nonce() {
    let nonce = use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<leptos::nonce::Nonce>().cloned());
    if let Some(nonce) = nonce {
        leptos::prelude::provide_context(nonce);
    }
}

/// The content security policy of a rendered page: scripts only from this site or carrying
/// this render's nonce (Leptos puts it on its hydration scripts), WebAssembly allowed.
pub fn page_policy(nonce: &str) -> String {
    format!("default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; {COMMON_POLICY}")
}

/// The policy of every other answer: no inline script at all.
pub const DEFAULT_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

const COMMON_POLICY: &str = "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

//! What a plain form posted, kept for the page it goes back to.
//!
//! Without a script, a form post is answered by a redirect to a page: back to the form, with the
//! error in the address (`__path`, `__err`) when the server refused it. What was typed would be
//! lost with the redirect, and a person would type a whole expense again to fix one amount. So
//! the post is kept here, in the server's memory for a minute, under a random key that a cookie
//! (sent to this site only, never readable by a script) carries to the next page, which takes
//! it once (`restore`, then `ui::Posted`). Memory rather than the cookie itself: a report's
//! commentary is far larger than a cookie may be, and an answer shown once (a new share link)
//! must not travel in one.
//!
//! Kept: a refused form's fields; the fields of a form whose server function asks for them
//! back (a preview of what was typed, a question before publishing it); the answer a server
//! function shows once. Never the fields that hold passwords, tokens or secrets.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::header::{ACCEPT, CONTENT_TYPE, LOCATION, SET_COOKIE};
use http::HeaderValue;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

pub const COOKIE: &str = "northstar_posted";

/// Long enough for a redirect and the page after it, not for a later visit.
const LIFETIME: Duration = Duration::from_secs(60);
/// Posts kept at once; a burst beyond it pushes out the oldest.
const MAX_ENTRIES: usize = 1024;
/// The fields of one post: a report's five sections of commentary fit with room to spare.
const MAX_FIELDS_BYTES: usize = 256 * 1024;

/// One post, for the page it goes back to: the server function it was sent to, what was typed,
/// and the answer to show once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Kept {
    /// The account that posted it (none before signing in): only that caller's next page may
    /// take it, so a new token's secret is shown to no one else even if the cookie leaked.
    pub owner: Option<i64>,
    pub endpoint: String,
    pub fields: Vec<(String, String)>,
    pub answer: Option<String>,
}

struct Entry {
    at: Instant,
    kept: Kept,
}

static STORE: LazyLock<Mutex<HashMap<String, Entry>>> = LazyLock::new(Default::default);

fn store() -> std::sync::MutexGuard<'static, HashMap<String, Entry>> {
    STORE.lock().unwrap_or_else(|e| e.into_inner())
}

/// What the server function handling this post asks to keep (its context, see `server`).
#[derive(Clone, Default)]
pub struct Asks(Arc<Mutex<Asked>>);

#[derive(Default)]
struct Asked {
    fields: bool,
    answer: Option<String>,
}

impl Asks {
    fn asked(&self) -> std::sync::MutexGuard<'_, Asked> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn take(&self) -> Asked {
        std::mem::take(&mut *self.asked())
    }

    /// The asks of the server function running now; none outside a form post's handler (a page
    /// whose render calls the function in-process).
    fn here() -> Option<Self> {
        leptos::prelude::use_context::<Asks>()
    }
}

/// From a server function: the form goes back to its page as it was typed, even though the
/// post succeeded (a preview shows what was typed; nothing was saved).
pub fn keep_fields() {
    if let Some(asks) = Asks::here() {
        asks.asked().fields = true;
    }
}

/// From a server function: `answer` (JSON) is shown once, on the page the form goes back to.
pub fn keep_answer(answer: String) {
    if let Some(asks) = Asks::here() {
        asks.asked().answer = Some(answer);
    }
}

/// The body of a plain form post (form-encoded, asking for HTML), read so that it can be kept;
/// the request goes on with the same body. Any other request passes untouched.
pub async fn read(req: Request) -> (Request, Option<Bytes>) {
    if !is_plain_form(&req) {
        return (req, None);
    }
    let (parts, body) = req.into_parts();
    // The edge has already limited the body's size; a body that cannot be read goes on empty,
    // and the server function refuses it as it would any malformed form.
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => (Request::from_parts(parts, Body::from(bytes.clone())), Some(bytes)),
        Err(_) => (Request::from_parts(parts, Body::empty()), None),
    }
}

fn is_plain_form(req: &Request) -> bool {
    let header = |name| req.headers().get(name).and_then(|v: &HeaderValue| v.to_str().ok()).unwrap_or_default();
    req.method() == http::Method::POST && header(CONTENT_TYPE).starts_with("application/x-www-form-urlencoded") && header(ACCEPT).contains("text/html")
}

/// After the server function answered a plain form post to `endpoint`: keeps what the page it
/// goes back to needs, and names it in a cookie.
pub fn keep(res: &mut Response, owner: Option<i64>, endpoint: &str, body: &[u8], asks: &Asks) {
    let asked = asks.take();
    let refused = res.headers().get(LOCATION).and_then(|l| l.to_str().ok()).is_some_and(|l| l.contains("__err="));
    let mut fields: Vec<(String, String)> = if refused || asked.fields {
        url::form_urlencoded::parse(body).filter(|(name, _)| !secret(name)).map(|(n, v)| (n.into_owned(), v.into_owned())).collect()
    } else {
        Vec::new()
    };
    if fields.iter().map(|(n, v)| n.len() + v.len()).sum::<usize>() > MAX_FIELDS_BYTES {
        fields.clear();
    }
    keep_kept(res, Kept { owner, endpoint: endpoint.to_string(), fields, answer: asked.answer });
}

/// After a plain route refused a form (one with a file, which no server function takes): keeps
/// its text `fields` for the page it goes back to. A file is never kept; it is chosen again.
pub fn keep_fields_of(res: &mut Response, owner: Option<i64>, endpoint: &str, mut fields: Vec<(String, String)>) {
    fields.retain(|(name, _)| !secret(name));
    if fields.iter().map(|(n, v)| n.len() + v.len()).sum::<usize>() > MAX_FIELDS_BYTES {
        fields.clear();
    }
    keep_kept(res, Kept { owner, endpoint: endpoint.to_string(), fields, answer: None });
}

fn keep_kept(res: &mut Response, kept: Kept) {
    if kept.fields.is_empty() && kept.answer.is_none() {
        return;
    }
    let key = random_key();
    put(key.clone(), kept);
    if let Ok(cookie) = HeaderValue::from_str(&format!("{COOKIE}={key}; Path=/; Max-Age=60; HttpOnly; SameSite=Strict")) {
        res.headers_mut().append(SET_COOKIE, cookie);
    }
}

fn put(key: String, kept: Kept) {
    let mut store = store();
    let now = Instant::now();
    store.retain(|_, e| now.duration_since(e.at) < LIFETIME);
    while store.len() >= MAX_ENTRIES {
        let Some(oldest) = store.iter().min_by_key(|(_, e)| e.at).map(|(k, _)| k.clone()) else { break };
        store.remove(&oldest);
    }
    store.insert(key, Entry { at: now, kept });
}

/// The post kept under `key` for `owner`, once: a second look finds nothing, and another
/// caller finds nothing either (the post is dropped, not left for them).
pub fn take(key: &str, owner: Option<i64>) -> Option<Kept> {
    let entry = store().remove(key)?;
    (entry.at.elapsed() < LIFETIME && entry.kept.owner == owner).then_some(entry.kept)
}

/// Around the pages, given who is asking (`owner`, from the session): the post named by the
/// cookie goes into the request for the page to read (`ui::Posted`), and the cookie is
/// cleared, so a reload starts afresh.
pub async fn restore(mut req: Request, next: Next, owner: Option<i64>) -> Response {
    let key = crate::platform::request::cookie_in(req.headers(), COOKIE);
    let Some(key) = key else { return next.run(req).await };
    if let Some(kept) = take(&key, owner) {
        req.extensions_mut().insert(kept);
    }
    let mut res = next.run(req).await;
    res.headers_mut().append(SET_COOKIE, HeaderValue::from_static("northstar_posted=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"));
    res
}

/// Passwords, tokens and signing secrets are typed again rather than stored anywhere.
fn secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["password", "secret", "token"].iter().any(|s| name.contains(s))
}

fn random_key() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 18];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(location: &str) -> Response {
        let mut res = Response::new(Body::empty());
        res.headers_mut().insert(LOCATION, HeaderValue::from_str(location).unwrap());
        res
    }

    /// The key the answer's cookie names.
    fn key(res: &Response) -> Option<String> {
        let cookie = res.headers().get(SET_COOKIE)?.to_str().unwrap();
        Some(cookie.strip_prefix("northstar_posted=")?.split(';').next()?.to_string())
    }

    fn kept(res: &Response) -> Option<Kept> {
        take(&key(res)?, Some(7))
    }

    #[test]
    fn a_refused_form_keeps_its_fields_once_but_not_its_secrets() {
        let mut res = answered("/budgets/expenses?__path=x&__err=e30");
        keep(&mut res, Some(7), "/api/x", b"amount=12%2C5&description=Caf%C3%A9+bill&new_password=hunter2&secret=s", &Asks::default());
        assert!(res.headers()[SET_COOKIE].to_str().unwrap().contains("HttpOnly; SameSite=Strict"));
        let kept = kept(&res).expect("kept");
        assert_eq!(kept.endpoint, "/api/x");
        assert_eq!(kept.fields, vec![("amount".into(), "12,5".into()), ("description".into(), "Café bill".into())]);
        assert_eq!(take(&key(&res).unwrap(), Some(7)), None, "taken once");
    }

    #[test]
    fn an_accepted_form_keeps_only_what_its_server_function_asked_for() {
        let mut ok = answered("/budgets/expenses");
        keep(&mut ok, Some(7), "/api/x", b"amount=12", &Asks::default());
        assert!(ok.headers().get(SET_COOKIE).is_none());

        let asks = Asks::default();
        asks.0.lock().unwrap().answer = Some("\"https://example.test/share/abc\"".into());
        let mut shown = answered("/reports/1");
        keep(&mut shown, Some(7), "/api/y", b"label=Board", &asks);
        let kept_answer = kept(&shown).expect("kept");
        assert_eq!(kept_answer.answer.as_deref(), Some("\"https://example.test/share/abc\""));
        assert!(kept_answer.fields.is_empty(), "the fields of a success stay unless asked for");

        let asks = Asks::default();
        asks.0.lock().unwrap().fields = true;
        let mut preview = answered("/reports/1");
        keep(&mut preview, Some(7), "/api/z", format!("commentary%5Bstrategy%5D={}", "a".repeat(100_000)).as_bytes(), &asks);
        assert_eq!(kept(&preview).expect("kept").fields[0].1.len(), 100_000);
    }

    #[test]
    fn an_oversized_form_keeps_nothing() {
        let mut big = answered("/x?__err=e30");
        keep(&mut big, Some(7), "/api/x", format!("description={}", "a".repeat(MAX_FIELDS_BYTES + 1)).as_bytes(), &Asks::default());
        assert!(big.headers().get(SET_COOKIE).is_none());
        assert_eq!(take("no-such-key", Some(7)), None);
    }

    #[test]
    fn only_the_caller_who_posted_takes_what_was_kept() {
        let asks = Asks::default();
        asks.0.lock().unwrap().answer = Some("\"nst_secret\"".into());
        let mut res = answered("/admin");
        keep(&mut res, Some(7), "/api/admin/tokens/create", b"name=CI", &asks);
        let key = key(&res).expect("kept");
        assert_eq!(take(&key, Some(8)), None, "another account");
        assert_eq!(take(&key, Some(7)), None, "and it is gone, not left for a second try");
    }
}

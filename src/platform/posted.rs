//! What a plain form posted, kept for the page it goes back to when the server refuses it.
//!
//! Without a script, a refused form post is answered by a redirect to the page it came from,
//! the error in the address (`__path`, `__err`); the page draws the error at its fields. The
//! typed values would be lost with the redirect, and a person would type a whole expense again
//! to fix one amount. So the post's fields travel to that page in a cookie that lives a minute,
//! is sent to this site only and is never readable by a script; the page puts them back into
//! the form and clears it (`ui::Posted`). Secrets never go into it.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::response::Response;
use http::header::{ACCEPT, CONTENT_TYPE, LOCATION, SET_COOKIE};
use http::HeaderValue;

pub const COOKIE: &str = "northstar_posted";

/// Above this the fields are not kept: a cookie must stay well under the browsers' 4 kB.
const MAX_KEPT: usize = 3000;

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

/// When the answer sends the form back with an error, keeps its fields for that page.
pub fn keep_if_refused(res: &mut Response, body: &[u8]) {
    let refused = res.headers().get(LOCATION).and_then(|l| l.to_str().ok()).is_some_and(|l| l.contains("__err="));
    if !refused {
        return;
    }
    let kept = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(url::form_urlencoded::parse(body).filter(|(name, _)| !secret(name)))
        .finish();
    if kept.len() > MAX_KEPT {
        return;
    }
    use base64::Engine;
    let value = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(kept);
    if let Ok(cookie) = HeaderValue::from_str(&format!("{COOKIE}={value}; Path=/; Max-Age=60; HttpOnly; SameSite=Strict")) {
        res.headers_mut().append(SET_COOKIE, cookie);
    }
}

/// Passwords, tokens and signing secrets are typed again rather than stored anywhere.
fn secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["password", "secret", "token"].iter().any(|s| name.contains(s))
}

/// The fields kept in the cookie's value.
pub fn decode(value: &str) -> Vec<(String, String)> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(value)
        .map(|bytes| url::form_urlencoded::parse(&bytes).into_owned().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(location: &str) -> Response {
        let mut res = Response::new(Body::empty());
        res.headers_mut().insert(LOCATION, HeaderValue::from_str(location).unwrap());
        res
    }

    fn kept(res: &Response) -> Option<Vec<(String, String)>> {
        let cookie = res.headers().get(SET_COOKIE)?.to_str().unwrap();
        let value = cookie.strip_prefix("northstar_posted=")?.split(';').next()?;
        Some(decode(value))
    }

    #[test]
    fn a_refused_form_keeps_its_fields_but_not_its_secrets() {
        let mut res = refused("/budgets/expenses?__path=x&__err=e30");
        keep_if_refused(&mut res, b"amount=12%2C5&description=Caf%C3%A9+bill&new_password=hunter2&secret=s");
        let fields = kept(&res).expect("kept");
        assert_eq!(fields, vec![("amount".into(), "12,5".into()), ("description".into(), "Café bill".into())]);
        assert!(res.headers()[SET_COOKIE].to_str().unwrap().contains("HttpOnly; SameSite=Strict"));
    }

    #[test]
    fn an_accepted_or_oversized_form_keeps_nothing() {
        let mut ok = refused("/budgets/expenses");
        keep_if_refused(&mut ok, b"amount=12");
        assert!(kept(&ok).is_none());
        let mut big = refused("/x?__err=e30");
        keep_if_refused(&mut big, format!("description={}", "a".repeat(4000)).as_bytes());
        assert!(kept(&big).is_none());
        assert!(decode("not base64 at all!").is_empty());
    }
}

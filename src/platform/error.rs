//! One error type for every server function: what went wrong, in words safe to show a user.
//!
//! Details (SQL errors, I/O) are logged on the server; the browser only ever sees these variants.
//! The HTTP status for each variant is set where the error is encoded for the reply (`ser`).

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A message tied to one form field (or CSV column), by the field's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppError {
    #[error("Please sign in to continue.")]
    Unauthorized,
    /// One message for a wrong password, an unknown email and a deactivated account alike,
    /// so the response never tells which accounts exist.
    #[error("The email or password is incorrect.")]
    BadCredentials,
    #[error("You do not have access to this.")]
    Forbidden,
    #[error("Not found.")]
    NotFound,
    #[error("{message}")]
    Invalid { message: String, fields: Vec<FieldError> },
    #[error("{message}")]
    Conflict { message: String },
    #[error("Too many attempts. Try again in {retry_after_secs} seconds.")]
    RateLimited { retry_after_secs: u64 },
    #[error("The request was malformed: {message}")]
    BadRequest { message: String },
    #[error("{message}")]
    TooLarge { message: String },
    /// Something that was there is no longer: an expired or revoked share link.
    #[error("{message}")]
    Gone { message: String },
    /// An optional part of the server is missing or failed, such as the PDF printer.
    #[error("{message}")]
    Unavailable { message: String },
    /// A bounded queue is full; the same request may succeed after `retry_after_secs`.
    #[error("{message}")]
    Busy { message: String, retry_after_secs: u64 },
    #[error("Could not reach the server. Check your connection and try again.")]
    Network,
    #[error("Something went wrong on the server. The details have been logged.")]
    Internal,
}

/// Reads an id from a query, a link or a hidden field: "" and "all" mean none; anything else
/// that is not a number was not made by our pages and is refused as malformed.
pub fn parse_id(text: &str, what: &str) -> Result<Option<i64>, AppError> {
    match text.trim() {
        "" | "all" => Ok(None),
        t => t.parse().map(Some).map_err(|_| AppError::BadRequest { message: format!("“{t}” is not a {what} id.") }),
    }
}

/// Reads the id in an editor page's address: empty for a new record; anything else that is not
/// a number is a page that does not exist (404), not a malformed request.
pub fn address_id(text: &str) -> Result<Option<i64>, AppError> {
    match text.trim() {
        "" => Ok(None),
        t => t.parse().map(Some).map_err(|_| AppError::NotFound),
    }
}

/// Gives the page being rendered the error's status, so a page whose data was refused answers
/// 403 or 404 rather than 200 with an error inside.
#[cfg(feature = "ssr")]
pub fn refused(e: AppError) -> AppError {
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(e.http_status());
    }
    e
}

#[cfg(feature = "ssr")]
impl AppError {
    pub fn http_status(&self) -> http::StatusCode {
        http::StatusCode::from_u16(self.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// `body` as the JSON answer to this error: its status, and Retry-After when it has one.
    /// Each kind of route chooses its body; the status and the headers are the error's.
    pub fn json_response(&self, body: serde_json::Value) -> axum::response::Response {
        use axum::response::IntoResponse;
        let mut res = (self.http_status(), axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after() {
            res.headers_mut().insert(http::header::RETRY_AFTER, http::HeaderValue::from(secs));
        }
        res
    }
}

/// An error as JSON, `{"error": message, "kind": ..., "fields": [...]}`, with its status and
/// the headers that go with it: the answer of every plain route for people (exports, uploads).
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let kind = serde_json::to_value(&self).ok().and_then(|v| v.get("kind").cloned());
        let mut body = serde_json::json!({ "error": self.to_string(), "kind": kind });
        if let AppError::Invalid { fields, .. } = &self {
            body["fields"] = serde_json::json!(fields);
        }
        let mut res = self.json_response(body);
        if matches!(self, AppError::Unauthorized) {
            res.headers_mut().insert(http::header::WWW_AUTHENTICATE, http::HeaderValue::from_static("Bearer"));
        }
        res
    }
}

impl AppError {
    /// One invalid field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::fields(vec![FieldError { field: field.into(), message: message.into() }])
    }

    /// Several invalid fields, reported together so a form shows every problem at once.
    pub fn fields(fields: Vec<FieldError>) -> Self {
        let message = match fields.as_slice() {
            [one] => one.message.clone(),
            _ => format!("{} fields need attention.", fields.len()),
        };
        Self::Invalid { message, fields }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict { message: message.into() }
    }

    /// The message for one field, if this error names it.
    pub fn for_field(&self, name: &str) -> Option<String> {
        match self {
            Self::Invalid { fields, .. } => {
                fields.iter().find(|f| f.field == name).map(|f| f.message.clone())
            }
            _ => None,
        }
    }

    /// How long to wait before trying again, for answers that carry `Retry-After`.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::RateLimited { retry_after_secs } | Self::Busy { retry_after_secs, .. } => Some(*retry_after_secs),
            _ => None,
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            Self::Unauthorized | Self::BadCredentials => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Invalid { .. } => 422,
            Self::Conflict { .. } => 409,
            Self::RateLimited { .. } => 429,
            Self::BadRequest { .. } => 400,
            Self::TooLarge { .. } => 413,
            Self::Gone { .. } => 410,
            Self::Network | Self::Unavailable { .. } | Self::Busy { .. } => 503,
            Self::Internal => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::MissingArg(m) => {
                Self::BadRequest { message: m }
            }
            ServerFnErrorErr::Request(_) => Self::Network,
            _ => Self::Internal,
        }
    }

    /// Server functions answer every error with 500. Encoding the error for the reply is the
    /// one step every failed server function passes through, inside its request, so the reply
    /// learns its real status here (401, 403, 422, 429, ...) without anyone re-reading bodies.
    fn ser(&self) -> leptos::server_fn::Bytes {
        #[cfg(feature = "ssr")]
        self.set_reply_status();
        leptos::server_fn::Bytes::from(serde_json::to_vec(self).unwrap_or_default())
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    fn set_reply_status(&self) {
        use leptos::prelude::use_context;
        let Some(reply) = use_context::<leptos_axum::ResponseOptions>() else { return };
        // A plain form post (no script) is answered with a redirect back to its page, which
        // carries the error; a status here would replace that redirect.
        let form_post = use_context::<http::request::Parts>().is_some_and(|req| {
            let html = req.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"));
            html && req.headers.contains_key(http::header::REFERER)
        });
        if form_post {
            return;
        }
        reply.set_status(self.http_status());
        if let Some(secs) = self.retry_after() {
            reply.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(secs));
        }
    }
}

/// Collects field errors while a form is validated, so every problem is reported at once.
#[derive(Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError { field: field.into(), message: message.into() });
    }

    /// Records the error of a parse result and keeps its value.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        result.map_err(|m| self.add(field, m)).ok()
    }

    /// Takes in the field errors of a check that reports its own.
    pub fn absorb(&mut self, e: AppError) {
        match e {
            AppError::Invalid { fields, .. } => self.0.extend(fields),
            other => self.add("form", other.to_string()),
        }
    }

    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::fields(self.0))
        }
    }
}

#[cfg(feature = "ssr")]
mod server {
    use super::AppError;

    impl From<sqlx::Error> for AppError {
        fn from(e: sqlx::Error) -> Self {
            // SQLite's primary result code is the low byte of the extended one.
            let code = match &e {
                sqlx::Error::Database(d) => d.code().and_then(|c| c.parse::<i32>().ok()).map(|c| c & 0xff),
                _ => None,
            };
            match (e, code) {
                (sqlx::Error::RowNotFound, _) => AppError::NotFound,
                // SQLITE_FULL: nothing was written (the transaction rolled back).
                (other, Some(13)) => {
                    tracing::warn!(error = %other, "the database could not grow");
                    AppError::Unavailable { message: "The server's disk is full, so nothing was saved. Ask the administrator to free some space.".into() }
                }
                // SQLITE_BUSY, SQLITE_LOCKED: another process held the database too long.
                (other, Some(5 | 6)) => {
                    tracing::warn!(error = %other, "the database stayed locked");
                    AppError::Busy { message: "The database is busy. Try again in a moment.".into(), retry_after_secs: 2 }
                }
                (other, _) => {
                    tracing::error!(error = %other, "database error");
                    AppError::Internal
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_round_trip_as_json_with_a_kind_tag() {
        let e = AppError::field("email", "Enter an email address.");
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains(r#""kind":"invalid""#), "{json}");
        assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), e);
        assert_eq!(e.for_field("email").as_deref(), Some("Enter an email address."));
        assert_eq!(e.for_field("name"), None);
    }

    #[test]
    fn each_kind_has_its_status() {
        assert_eq!(AppError::Unauthorized.status(), 401);
        assert_eq!(AppError::Forbidden.status(), 403);
        assert_eq!(AppError::RateLimited { retry_after_secs: 3 }.status(), 429);
        assert_eq!(AppError::field("x", "y").status(), 422);
    }

    #[test]
    fn problems_report_every_field() {
        let mut p = Problems::default();
        p.add("a", "bad a");
        assert_eq!(p.check("b", Err::<(), _>("bad b".to_string())), None);
        assert_eq!(p.check("c", Ok::<_, String>(3)), Some(3));
        let err = p.finish().unwrap_err();
        assert_eq!(err.to_string(), "2 fields need attention.");
        assert_eq!(err.for_field("b").as_deref(), Some("bad b"));
    }
}

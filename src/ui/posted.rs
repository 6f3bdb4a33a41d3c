//! A plain form that came back refused: its error, drawn at its fields, and what was typed in
//! it, put back (kept by `platform::posted` for one page load).

use crate::platform::error::AppError;
use leptos::prelude::*;

/// The error a plain form post to `endpoint` came back with. Without a script, a server
/// function answers a form by redirecting to the page it came from, the error in the query
/// (`__path`, `__err`: base64 of the error's JSON); the page draws it at its fields.
pub fn posted_error(endpoint: &str) -> Option<AppError> {
    #[cfg(feature = "ssr")]
    {
        use base64::Engine;
        let q = crate::platform::query::query;
        if q("__path").get_untracked() != endpoint {
            return None;
        }
        let bytes = base64::engine::general_purpose::URL_SAFE.decode(q("__err").get_untracked()).ok()?;
        serde_json::from_slice(&bytes).ok()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = endpoint;
        None
    }
}

/// One plain form's state on this page: untouched, or back from the server with what was
/// posted (refused with an error, or asked back by its server function) and an answer to show
/// once.
#[derive(Clone, Debug, Default)]
pub struct Posted {
    error: Option<AppError>,
    values: Option<Vec<(String, String)>>,
    answer: Option<String>,
}

impl Posted {
    /// The state of the form that posts to `endpoint`.
    pub fn to(endpoint: &str) -> Self {
        let error = posted_error(endpoint);
        let kept = kept_here().filter(|k| k.endpoint == endpoint);
        let (fields, answer) = kept.map(|k| (k.fields, k.answer)).unwrap_or_default();
        let values = (error.is_some() || !fields.is_empty()).then_some(fields);
        Self { error, values, answer }
    }

    /// The form's error, for its fields and its summary.
    pub fn error(&self) -> Signal<Option<AppError>> {
        Signal::stored(self.error.clone())
    }

    /// The form's error, only when the post that came back had `name` = `value`: one row's
    /// button among many on the page (the row whose acknowledge or delete was refused).
    pub fn error_for(&self, name: &str, value: &str) -> Signal<Option<AppError>> {
        Signal::stored(self.error.clone().filter(|_| self.value(name, "") == value))
    }

    /// The message for field `name` when the form came back refused at it.
    pub fn message(&self, name: &str) -> Signal<Option<String>> {
        Signal::stored(self.error.as_ref().and_then(|e| e.for_field(name)))
    }

    /// True when the form came back refused: it should be shown open, as it was sent.
    pub fn came_back(&self) -> bool {
        self.error.is_some()
    }

    /// True when the form came back with what was typed in it, refused or not.
    pub fn typed(&self) -> bool {
        self.values.is_some()
    }

    /// What the server function answered, shown on this page load only (a new share link).
    pub fn answer<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_str(self.answer.as_deref()?).ok()
    }

    /// The id of the record in the form: the one it was sent back refused for, else the one
    /// the address opened with `param` (a row's "Correct" or "Edit"); empty for a new record.
    pub fn record(&self, param: &'static str) -> String {
        if self.came_back() {
            self.value("id", "")
        } else {
            crate::platform::query::query(param).get_untracked()
        }
    }

    /// What was typed in field `name` when the form came back, else `otherwise` (the record's
    /// value, or empty for a new one).
    pub fn value(&self, name: &str, otherwise: impl Into<String>) -> String {
        match &self.values {
            Some(values) => values.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default(),
            None => otherwise.into(),
        }
    }

    /// Whether checkbox `name` was ticked when the form came back, else `otherwise`.
    pub fn checked(&self, name: &str, otherwise: bool) -> bool {
        match &self.values {
            Some(values) => values.iter().any(|(k, _)| k == name),
            None => otherwise,
        }
    }
}

/// The post kept for this page load (`platform::posted::restore` took it from the server's
/// memory and put it in the request).
#[cfg(feature = "ssr")]
fn kept_here() -> Option<crate::platform::posted::Kept> {
    use_context::<http::request::Parts>()?.extensions.get::<crate::platform::posted::Kept>().cloned()
}

#[cfg(not(feature = "ssr"))]
fn kept_here() -> Option<Kept> {
    None
}

#[cfg(not(feature = "ssr"))]
struct Kept {
    endpoint: String,
    fields: Vec<(String, String)>,
    answer: Option<String>,
}

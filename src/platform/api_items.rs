//! The token API's items, read from JSON: one object or an array of them, each field checked
//! and every problem named by the item's index and the field as sent. Every area's `/api/v1`
//! routes read their items with it, so they word their problems alike.

use super::api_error::Detail;
use super::time::{happened, parse_timestamp};
use axum::http::StatusCode;
use serde_json::{Map, Value};

/// Items one request may carry.
pub const MAX_ITEMS: usize = 10_000;
/// A token API request's body, at most: 10,000 items fit.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// One object or an array of objects, within the size limits.
pub fn parse_items(bytes: &[u8]) -> Result<Vec<Map<String, Value>>, (StatusCode, String)> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| (StatusCode::BAD_REQUEST, format!("The body is not valid JSON: {e}.")))?;
    let items = match value {
        Value::Object(o) => vec![Value::Object(o)],
        Value::Array(a) if a.is_empty() => return Err((StatusCode::UNPROCESSABLE_ENTITY, "The array is empty; send at least one item.".into())),
        Value::Array(a) if a.len() > MAX_ITEMS => {
            return Err((StatusCode::PAYLOAD_TOO_LARGE, format!("{} items is more than the {MAX_ITEMS} allowed per request.", a.len())))
        }
        Value::Array(a) => a,
        _ => return Err((StatusCode::UNPROCESSABLE_ENTITY, "Send a JSON object or an array of objects.".into())),
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| match v {
            Value::Object(o) => Ok(o),
            _ => Err((StatusCode::UNPROCESSABLE_ENTITY, format!("item {i} is not a JSON object"))),
        })
        .collect()
}

/// Collects field problems for one item.
pub(crate) struct Item<'a> {
    index: usize,
    map: &'a Map<String, Value>,
    details: &'a mut Vec<Detail>,
    /// Problems collected before this item's.
    before: usize,
}

impl<'a> Item<'a> {
    pub(crate) fn new(index: usize, map: &'a Map<String, Value>, details: &'a mut Vec<Detail>) -> Self {
        let before = details.len();
        Item { index, map, details, before }
    }

    /// Some field of this item had a problem.
    pub(crate) fn failed(&self) -> bool {
        self.details.len() > self.before
    }

    /// The field was sent with a value (not absent, not null).
    pub(crate) fn has(&self, field: &str) -> bool {
        self.map.get(field).is_some_and(|v| !v.is_null())
    }

    pub(crate) fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.details.push(Detail { index: self.index, field: field.into(), message: message.into() });
    }

    pub(crate) fn only(&mut self, allowed: &[&str]) {
        for key in self.map.keys() {
            if !allowed.contains(&key.as_str()) {
                let message = format!("unknown field; expected {}", allowed.join(", "));
                self.fail(key, message);
            }
        }
    }

    /// A time as an ISO 8601 string or unix seconds, not in the future.
    pub(crate) fn time(&mut self, field: &str, required: bool, now: i64) -> Option<i64> {
        let parsed = match self.map.get(field) {
            None | Some(Value::Null) if !required => return None,
            None | Some(Value::Null) => Err("is required".to_string()),
            Some(Value::String(s)) => parse_timestamp(s),
            Some(Value::Number(n)) => n.as_i64().ok_or_else(|| "must be whole unix seconds".to_string()),
            Some(_) => Err("must be an ISO 8601 string or unix seconds".to_string()),
        };
        match parsed.and_then(|t| happened(t, now)) {
            Ok(t) => Some(t),
            Err(m) => {
                self.fail(field, m);
                None
            }
        }
    }

    pub(crate) fn text(&mut self, field: &str, required: bool, max: usize) -> Option<String> {
        match self.map.get(field) {
            None | Some(Value::Null) if !required => None,
            Some(Value::String(s)) if !s.trim().is_empty() && s.chars().count() <= max => Some(s.trim().to_string()),
            Some(Value::String(s)) if s.trim().is_empty() && !required => None,
            Some(Value::String(_)) if required => {
                self.fail(field, format!("must be 1 to {max} characters"));
                None
            }
            Some(Value::String(_)) => {
                self.fail(field, format!("has at most {max} characters"));
                None
            }
            None | Some(Value::Null) => {
                self.fail(field, "is required");
                None
            }
            Some(_) => {
                self.fail(field, "must be a string");
                None
            }
        }
    }

    /// true or false; absent is `default` when there is one, else a problem.
    pub(crate) fn flag(&mut self, field: &str, default: Option<bool>) -> Option<bool> {
        match (self.map.get(field), default) {
            (None | Some(Value::Null), Some(d)) => Some(d),
            (None | Some(Value::Null), None) => {
                self.fail(field, "is required: true or false");
                None
            }
            (Some(Value::Bool(b)), _) => Some(*b),
            (Some(_), _) => {
                self.fail(field, "must be true or false");
                None
            }
        }
    }

    /// An optional whole number within `range`; `what` says what it counts.
    pub(crate) fn whole(&mut self, field: &str, range: std::ops::RangeInclusive<i64>, what: &str) -> Option<i64> {
        match self.map.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) if n.as_i64().is_some_and(|v| range.contains(&v)) => n.as_i64(),
            Some(_) => {
                self.fail(field, format!("must be whole {what} from {} to {}", range.start(), range.end()));
                None
            }
        }
    }

    /// An optional percentage from 0 to 100 with at most two decimals, in hundredths of a
    /// percent, so it is kept exactly as sent.
    pub(crate) fn percent(&mut self, field: &str) -> Option<i64> {
        let hundredths = match self.map.get(field) {
            None | Some(Value::Null) => return None,
            Some(Value::Number(n)) => n.as_f64().map(|v| v * 100.0).filter(|h| (0.0..=10_000.0).contains(h) && (h - h.round()).abs() < 1e-6),
            Some(_) => None,
        };
        if hundredths.is_none() {
            self.fail(field, "must be a number from 0 to 100 with at most two decimals");
        }
        hundredths.map(|h| h.round() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_one_object_or_an_array_of_them() {
        assert_eq!(parse_items(br#"{"a":1}"#).unwrap().len(), 1);
        assert_eq!(parse_items(br#"[{"a":1},{"b":2}]"#).unwrap().len(), 2);
        assert_eq!(parse_items(b"{nope").unwrap_err().0, StatusCode::BAD_REQUEST);
        assert_eq!(parse_items(b"[]").unwrap_err().0, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(parse_items(b"42").unwrap_err().0, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(parse_items(b"[1]").unwrap_err().1.contains("item 0"));
        let many = format!("[{}]", vec!["{}"; MAX_ITEMS + 1].join(","));
        assert_eq!(parse_items(many.as_bytes()).unwrap_err().0, StatusCode::PAYLOAD_TOO_LARGE);
    }
}

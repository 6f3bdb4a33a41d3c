//! The token API's items, read from JSON: each field checked, every problem named by the
//! item's index and the field as sent.

use crate::kpi::events::{DeploymentInput, DeploymentRef, IncidentInput};
use crate::kpi::model::{check_timestamp, parse_timestamp, Severity};
use crate::kpi::repo::NewPoint;
use crate::kpi::units::Unit;
use crate::platform::api_error::Detail;
use crate::platform::api_items::Item;
use crate::platform::money::Currency;
use crate::platform::time::DAY;
use serde_json::{Map, Value};

/// The fields each kind of item may have, in the order the document lists them. The decoders
/// below refuse any other field; the OpenAPI document's schemas are built from these lists.
pub const MEASUREMENT_FIELDS: &[&str] = &["timestamp", "value", "note"];
pub const DEPLOYMENT_FIELDS: &[&str] = &["service", "deployed_at", "succeeded", "commit_times", "lead_time_seconds", "id"];
pub const INCIDENT_FIELDS: &[&str] = &["service", "title", "severity", "started_at", "resolved_at", "deployment_id", "deployment", "id"];
pub const SERVICE_MAX: usize = 100;
pub const TITLE_MAX: usize = 200;
pub const ID_MAX: usize = 200;

pub fn point(index: usize, map: &Map<String, Value>, unit: Unit, currency: Currency, now: i64, details: &mut Vec<Detail>) -> Option<NewPoint> {
    let mut item = Item::new(index, map, details);
    item.only(MEASUREMENT_FIELDS);
    let ts = item.time("timestamp", true, now);
    let text = match map.get("value") {
        Some(Value::Number(n)) => Ok(n.to_string()),
        None | Some(Value::Null) => Err("is required".to_string()),
        // A quoted "12" is refused like any other string: the document says number, and a
        // sender that quotes numbers may also send "12,5" or "n/a" on a bad day.
        Some(Value::String(_)) => Err("must be a JSON number, not a string".to_string()),
        Some(_) => Err("must be a number".to_string()),
    };
    let value = match text.and_then(|t| unit.parse_value(&t, currency)) {
        Ok(v) => Some(v),
        Err(m) => {
            item.fail("value", m);
            None
        }
    };
    let note = item.text("note", false, crate::kpi::csv::NOTE_MAX);
    Some(NewPoint { ts: ts?, value: value?, note })
}

pub fn deployment(index: usize, map: &Map<String, Value>, now: i64, details: &mut Vec<Detail>) -> Option<DeploymentInput> {
    let mut item = Item::new(index, map, details);
    item.only(DEPLOYMENT_FIELDS);
    let service = item.text("service", true, SERVICE_MAX);
    let deployed_at = item.time("deployed_at", true, now);
    let succeeded = match map.get("succeeded") {
        None | Some(Value::Null) => Some(true),
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => {
            item.fail("succeeded", "must be true or false");
            None
        }
    };
    let mut lead_times = Vec::new();
    match (map.get("commit_times"), map.get("lead_time_seconds")) {
        (Some(Value::Array(times)), None) => {
            for (j, t) in times.iter().enumerate() {
                let at = match t {
                    Value::String(s) => parse_timestamp(s),
                    Value::Number(n) => n.as_i64().ok_or_else(|| "must be whole unix seconds".into()),
                    _ => Err("must be an ISO 8601 string or unix seconds".into()),
                }
                .and_then(|t| check_timestamp(t, now));
                match (at, deployed_at) {
                    (Ok(at), Some(dep)) if at <= dep => lead_times.push(dep - at),
                    (Ok(_), Some(_)) => item.fail(&format!("commit_times[{j}]"), "is after deployed_at"),
                    (Ok(_), None) => {}
                    (Err(m), _) => item.fail(&format!("commit_times[{j}]"), m),
                }
            }
        }
        (None, Some(Value::Number(n))) => match n.as_i64() {
            Some(s) if (0..=10 * 365 * DAY).contains(&s) => lead_times.push(s),
            _ => item.fail("lead_time_seconds", "must be whole seconds between 0 and ten years"),
        },
        (None, None) => {}
        (Some(_), Some(_)) => item.fail("lead_time_seconds", "send either commit_times or lead_time_seconds, not both"),
        (Some(_), None) => item.fail("commit_times", "must be an array of times"),
        (None, Some(_)) => item.fail("lead_time_seconds", "must be a number of seconds"),
    }
    let external_id = item.text("id", false, ID_MAX);
    Some(DeploymentInput { service: service?, deployed_at: deployed_at?, succeeded: succeeded?, lead_times, external_id })
}

pub fn incident(index: usize, map: &Map<String, Value>, now: i64, details: &mut Vec<Detail>) -> Option<IncidentInput> {
    let mut item = Item::new(index, map, details);
    item.only(INCIDENT_FIELDS);
    let service = item.text("service", true, SERVICE_MAX);
    let title = item.text("title", false, TITLE_MAX).unwrap_or_default();
    let severity = match map.get("severity") {
        None | Some(Value::Null) => Some(Severity::Sev3),
        Some(sent) => {
            let severity = sent.as_str().and_then(Severity::parse);
            if severity.is_none() {
                item.fail("severity", "must be sev1, sev2, sev3 or sev4");
            }
            severity
        }
    };
    let started_at = item.time("started_at", true, now);
    let resolved_at = item.time("resolved_at", false, now);
    if let (Some(s), Some(r)) = (started_at, resolved_at) {
        if r < s {
            item.fail("resolved_at", "is before started_at");
        }
    }
    let caused_by = match (map.get("deployment_id"), map.get("deployment")) {
        (None | Some(Value::Null), None | Some(Value::Null)) => None,
        (Some(Value::Number(n)), None) if n.as_i64().is_some() => n.as_i64().map(DeploymentRef::Id),
        (None, Some(Value::String(s))) if !s.trim().is_empty() => Some(DeploymentRef::External(s.trim().to_string())),
        _ => {
            let field = if map.contains_key("deployment") && !map.contains_key("deployment_id") { "deployment" } else { "deployment_id" };
            item.fail(field, "give the cause as deployment_id (a number) or deployment (the id you sent it with), not both");
            None
        }
    };
    let external_id = item.text("id", false, ID_MAX);
    Some(IncidentInput { service: service?, title, severity: severity?, started_at: started_at?, resolved_at, caused_by, external_id })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_777_636_800;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn measurement_items() {
        let mut d = Vec::new();
        let p = point(0, &obj(json!({"timestamp": "2026-05-01T10:00:00Z", "value": 12.5, "note": "ok"})), Unit::Hours, Currency::usd(), NOW, &mut d);
        assert_eq!(p, Some(NewPoint { ts: NOW - 7200, value: 12.5, note: Some("ok".into()) }));
        let p = point(0, &obj(json!({"timestamp": NOW, "value": 4.10})), Unit::Money, Currency::usd(), NOW, &mut d);
        assert_eq!(p.map(|p| p.value), Some(410.0));
        assert!(d.is_empty());
        // A number in quotes is a string, and refused as one.
        assert_eq!(point(0, &obj(json!({"timestamp": NOW, "value": "12"})), Unit::Hours, Currency::usd(), NOW, &mut d), None);
        assert_eq!((d[0].field.as_str(), d[0].message.as_str()), ("value", "must be a JSON number, not a string"));
        let mut d = Vec::new();
        let bad = obj(json!({"timestamp": "2026-02-30", "value": "NaN", "extra": true}));
        assert_eq!(point(3, &bad, Unit::Hours, Currency::usd(), NOW, &mut d), None);
        let fields: Vec<&str> = d.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(fields, ["extra", "timestamp", "value"]);
        assert!(d.iter().all(|x| x.index == 3));
        let mut d = Vec::new();
        point(0, &obj(json!({"value": true})), Unit::Hours, Currency::usd(), NOW, &mut d);
        assert_eq!(d.len(), 2, "{d:?}");
    }

    #[test]
    fn deployment_items() {
        let mut d = Vec::new();
        let dep = deployment(
            0,
            &obj(json!({"service": "api", "deployed_at": "2026-05-01T12:00:00Z", "commit_times": ["2026-05-01T10:00:00Z", NOW - 3600], "id": "build-7"})),
            NOW,
            &mut d,
        )
        .unwrap();
        assert_eq!(dep.lead_times, vec![7200, 3600]);
        assert!(dep.succeeded);
        assert_eq!(dep.external_id.as_deref(), Some("build-7"));
        let mut d = Vec::new();
        deployment(1, &obj(json!({"service": "", "deployed_at": NOW, "commit_times": [NOW + 60], "succeeded": "yes"})), NOW, &mut d);
        let fields: Vec<&str> = d.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(fields, ["service", "succeeded", "commit_times[0]"]);
    }

    #[test]
    fn incident_items() {
        let mut d = Vec::new();
        let inc = incident(0, &obj(json!({"service": "api", "started_at": NOW - 7200, "resolved_at": NOW, "severity": "sev2", "deployment": "build-7"})), NOW, &mut d).unwrap();
        assert_eq!(inc.caused_by, Some(DeploymentRef::External("build-7".into())));
        let mut d = Vec::new();
        incident(0, &obj(json!({"service": "api", "started_at": NOW, "resolved_at": NOW - 10, "severity": "critical"})), NOW, &mut d);
        let fields: Vec<&str> = d.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(fields, ["severity", "resolved_at"]);
    }
}

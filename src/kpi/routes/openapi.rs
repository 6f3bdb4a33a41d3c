//! The OpenAPI 3.1 description of the ingest API's KPI and event routes; the server adds the
//! other areas' routes and serves it at /api/v1/openapi.json. The item schemas are built from
//! the decoder's own field lists, limits and enums (`items.rs`).

use super::items::{DEPLOYMENT_FIELDS, ID_MAX, INCIDENT_FIELDS, MEASUREMENT_FIELDS, SERVICE_MAX, TITLE_MAX};
use crate::kpi::csv::NOTE_MAX;
use crate::kpi::model::Severity;
use serde_json::{json, Map, Value};

fn batch(item: &str) -> Value {
    json!({ "oneOf": [ { "$ref": format!("#/components/schemas/{item}") }, { "type": "array", "minItems": 1, "maxItems": 10000, "items": { "$ref": format!("#/components/schemas/{item}") } } ] })
}

fn errors() -> Value {
    json!({
        "400": { "description": "The body is not valid JSON.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
        "401": { "description": "Missing, unknown or revoked API token.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
        "413": { "description": "Body over 1 MiB or more than 10,000 items.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
        "405": { "description": "Any method but POST.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
        "422": { "description": "An item is invalid; nothing was stored. Each detail names the item's index and the field as sent.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
        "503": { "description": "The server is busy or its disk is full; nothing was stored. Retry-After says when to try again.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
    })
}

pub fn spec() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Northstar ingest API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Push KPI measurements, delivery events and scanners' findings into Northstar. Authenticate with an API token created by the CTO in Admin: `Authorization: Bearer nst_...`. Tokens can only ingest. A timestamp already stored for a KPI is replaced; the same timestamp twice in one request is an error. Each request is stored whole or not at all."
        },
        "servers": [ { "url": "/" } ],
        "security": [ { "bearer": [] } ],
        "paths": paths(),
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": schemas()
        }
    })
}

fn paths() -> Value {
    let mut measurement_responses = errors();
    measurement_responses["201"] = json!({ "description": "Stored.", "content": { "application/json": { "schema": { "type": "object", "properties": { "kpi": { "type": "string" }, "accepted": { "type": "integer" } } } } } });
    measurement_responses["404"] = json!({ "description": "No KPI has this key.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    measurement_responses["409"] = json!({ "description": "The KPI is computed (from events, or a cost per unit from spending) and takes no measurements.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    let mut event_responses = errors();
    event_responses["201"] = json!({ "description": "Stored.", "content": { "application/json": { "schema": { "type": "object", "properties": { "accepted": { "type": "integer" }, "ids": { "type": "array", "items": { "type": "integer" } } } } } } });
    json!({
        "/api/v1/kpis/{key}/measurements": {
            "post": {
                "summary": "Add measurements to a KPI",
                "parameters": [ { "name": "key", "in": "path", "required": true, "schema": { "type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$" } } ],
                "requestBody": { "required": true, "content": { "application/json": { "schema": batch("Measurement") } } },
                "responses": measurement_responses
            }
        },
        "/api/v1/events/deployments": {
            "post": {
                "summary": "Report deployments (for the DORA metrics)",
                "requestBody": { "required": true, "content": { "application/json": { "schema": batch("Deployment") } } },
                "responses": event_responses.clone()
            }
        },
        "/api/v1/events/incidents": {
            "post": {
                "summary": "Report incidents, or resolve them by sending the same id again",
                "requestBody": { "required": true, "content": { "application/json": { "schema": batch("Incident") } } },
                "responses": event_responses
            }
        }
    })
}

/// One item schema: its properties, in the order of the decoder's field list, which must name
/// each of them (the test below holds the two together).
fn item(fields: &[&str], required: &[&str], mut describe: impl FnMut(&str) -> Value) -> Value {
    let properties: Map<String, Value> = fields.iter().map(|f| (f.to_string(), describe(f))).collect();
    json!({ "type": "object", "additionalProperties": false, "required": required, "properties": properties })
}

fn schemas() -> Value {
    let time = json!({ "oneOf": [ { "type": "string", "description": "ISO 8601 / RFC 3339, e.g. 2026-05-01T12:00:00Z; without an offset, UTC" }, { "type": "integer", "description": "unix seconds" } ] });
    let text = |max: usize| json!({ "type": "string", "maxLength": max });
    let service = json!({ "type": "string", "minLength": 1, "maxLength": SERVICE_MAX });
    let severities: Vec<&str> = Severity::ALL.iter().map(|s| s.as_str()).collect();
    json!({
        "Measurement": item(MEASUREMENT_FIELDS, &["timestamp", "value"], |f| match f {
            "timestamp" => time.clone(),
            "value" => json!({ "type": "number", "description": "A finite number; for money, an amount in the base currency with at most its decimals" }),
            _ => text(NOTE_MAX),
        }),
        "Deployment": item(DEPLOYMENT_FIELDS, &["service", "deployed_at"], |f| match f {
            "service" => service.clone(),
            "succeeded" => json!({ "type": "boolean", "default": true }),
            "commit_times" => json!({ "type": "array", "items": time, "description": "When each shipped change was committed; lead time is measured from each" }),
            "lead_time_seconds" => json!({ "type": "integer", "minimum": 0, "description": "Instead of commit_times" }),
            "id" => json!({ "type": "string", "maxLength": ID_MAX, "description": "Your id; sending it again replaces the deployment" }),
            _ => time.clone(),
        }),
        "Incident": item(INCIDENT_FIELDS, &["service", "started_at"], |f| match f {
            "service" => service.clone(),
            "title" => text(TITLE_MAX),
            "severity" => json!({ "type": "string", "enum": severities, "default": Severity::Sev3.as_str() }),
            "deployment_id" => json!({ "type": "integer", "description": "Northstar's id of the deployment that caused it" }),
            "deployment" => json!({ "type": "string", "description": "Or your id of that deployment, for the same service" }),
            "id" => json!({ "type": "string", "maxLength": ID_MAX, "description": "Your id; sending it again updates the incident" }),
            _ => time.clone(),
        }),
        "Error": {
            "type": "object", "required": ["error", "details"], "additionalProperties": false,
            "properties": {
                "error": { "type": "string" },
                "details": { "type": "array", "description": "Problems with items, in item order; empty when the request as a whole was refused.", "items": { "type": "object", "required": ["index", "field", "message"], "additionalProperties": false, "properties": { "index": { "type": "integer", "description": "0 for a single object" }, "field": { "type": "string", "description": "The field as sent; commit_times[1] for an array element" }, "message": { "type": "string" } } } }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document and the decoder cannot drift apart: every schema lists exactly the fields
    /// the decoder takes, and the limits and choices it enforces.
    #[test]
    fn the_schemas_are_the_decoders_fields() {
        let doc = spec();
        let s = &doc["components"]["schemas"];
        for (name, fields) in [("Measurement", MEASUREMENT_FIELDS), ("Deployment", DEPLOYMENT_FIELDS), ("Incident", INCIDENT_FIELDS)] {
            let listed: Vec<&str> = s[name]["properties"].as_object().unwrap().keys().map(String::as_str).collect();
            let mut expected = fields.to_vec();
            expected.sort_unstable();
            let mut listed_sorted = listed.clone();
            listed_sorted.sort_unstable();
            assert_eq!(listed_sorted, expected, "{name}");
            for r in s[name]["required"].as_array().unwrap() {
                assert!(fields.contains(&r.as_str().unwrap()), "{name} requires {r}");
            }
        }
        assert_eq!(s["Incident"]["properties"]["severity"]["enum"], json!(["sev1", "sev2", "sev3", "sev4"]));
        assert_eq!(s["Measurement"]["properties"]["note"]["maxLength"], json!(NOTE_MAX));
        assert_eq!(s["Incident"]["properties"]["service"]["maxLength"], json!(100));
    }
}

//! The OpenAPI 3.1 description of the ingest API, served at /api/v1/openapi.json.

use axum::response::IntoResponse;
use serde_json::{json, Value};

pub async fn document() -> impl IntoResponse {
    axum::Json(spec())
}

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
    let time = json!({ "oneOf": [ { "type": "string", "description": "ISO 8601 / RFC 3339, e.g. 2026-05-01T12:00:00Z; without an offset, UTC" }, { "type": "integer", "description": "unix seconds" } ] });
    let mut measurement_responses = errors();
    measurement_responses["201"] = json!({ "description": "Stored.", "content": { "application/json": { "schema": { "type": "object", "properties": { "kpi": { "type": "string" }, "accepted": { "type": "integer" } } } } } });
    measurement_responses["404"] = json!({ "description": "No KPI has this key.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    measurement_responses["409"] = json!({ "description": "The KPI is computed from events and takes no measurements.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    let mut event_responses = errors();
    event_responses["201"] = json!({ "description": "Stored.", "content": { "application/json": { "schema": { "type": "object", "properties": { "accepted": { "type": "integer" }, "ids": { "type": "array", "items": { "type": "integer" } } } } } } });
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Northstar ingest API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Push KPI measurements and delivery events into Northstar. Authenticate with an API token created by the CTO in Admin: `Authorization: Bearer nst_...`. Tokens can only ingest. A timestamp already stored for a KPI is replaced; the same timestamp twice in one request is an error. Each request is stored whole or not at all."
        },
        "servers": [ { "url": "/" } ],
        "security": [ { "bearer": [] } ],
        "paths": {
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
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Measurement": {
                    "type": "object", "additionalProperties": false, "required": ["timestamp", "value"],
                    "properties": {
                        "timestamp": time,
                        "value": { "type": "number", "description": "A finite number; for money, an amount in the base currency with at most its decimals" },
                        "note": { "type": "string", "maxLength": 500 }
                    }
                },
                "Deployment": {
                    "type": "object", "additionalProperties": false, "required": ["service", "deployed_at"],
                    "properties": {
                        "service": { "type": "string", "minLength": 1, "maxLength": 100 },
                        "deployed_at": time,
                        "succeeded": { "type": "boolean", "default": true },
                        "commit_times": { "type": "array", "items": time, "description": "When each shipped change was committed; lead time is measured from each" },
                        "lead_time_seconds": { "type": "integer", "minimum": 0, "description": "Instead of commit_times" },
                        "id": { "type": "string", "maxLength": 200, "description": "Your id; sending it again replaces the deployment" }
                    }
                },
                "Incident": {
                    "type": "object", "additionalProperties": false, "required": ["service", "started_at"],
                    "properties": {
                        "service": { "type": "string", "minLength": 1, "maxLength": 100 },
                        "title": { "type": "string", "maxLength": 200 },
                        "severity": { "type": "string", "enum": ["sev1", "sev2", "sev3", "sev4"], "default": "sev3" },
                        "started_at": time,
                        "resolved_at": time,
                        "deployment_id": { "type": "integer", "description": "Northstar's id of the deployment that caused it" },
                        "deployment": { "type": "string", "description": "Or your id of that deployment, for the same service" },
                        "id": { "type": "string", "maxLength": 200, "description": "Your id; sending it again updates the incident" }
                    }
                },
                "Error": {
                    "type": "object", "required": ["error", "details"], "additionalProperties": false,
                    "properties": {
                        "error": { "type": "string" },
                        "details": { "type": "array", "description": "Problems with items, in item order; empty when the request as a whole was refused.", "items": { "type": "object", "required": ["index", "field", "message"], "additionalProperties": false, "properties": { "index": { "type": "integer", "description": "0 for a single object" }, "field": { "type": "string", "description": "The field as sent; commit_times[1] for an array element" }, "message": { "type": "string" } } } }
                    }
                }
            }
        }
    })
}

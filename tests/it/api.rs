//! The REST ingest API: tokens, payloads, limits, DORA events; and CSV import and export.

use crate::common;

use common::{days_ago, json, spawn_app, TestApp};
use northstar::access::Role;
use serde_json::{json as j, Value};

async fn post(app: &TestApp, path: &str, token: Option<&str>, body: Value) -> reqwest::Response {
    let mut req = reqwest::Client::new().post(app.url(path)).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_are_required_checked_and_revocable() {
    let app = spawn_app().await;
    app.add_kpi("latency", None, "ms", "lower", "last", None).await;
    let point = j!({"timestamp": days_ago(1), "value": 250});
    let path = "/api/v1/kpis/latency/measurements";

    let missing = post(&app, path, None, point.clone()).await;
    assert_eq!(missing.status(), 401);
    assert_eq!(missing.headers()["www-authenticate"], "Bearer");
    assert!(json(missing).await["error"].as_str().unwrap().contains("Missing API token"));
    assert_eq!(post(&app, path, Some("nst_guessed"), point.clone()).await.status(), 401);

    let token = app.api_token("CI").await;
    assert!(token.starts_with("nst_") && token.len() > 40);
    let ok = post(&app, path, Some(&token), point.clone()).await;
    assert_eq!(ok.status(), 201);
    assert_eq!(json(ok).await, j!({"kpi": "latency", "accepted": 1}));

    let cto = app.client_as(Some(Role::Cto)).await;
    let list = json(app.call(&cto, "/api/admin/tokens", &[]).await).await;
    assert_eq!(list[0]["name"], "CI");
    assert!(list[0]["last_used_at"].is_string());
    assert!(!list.to_string().contains(&token), "the secret is never shown again");
    let stored: Vec<u8> = sqlx::query_scalar("SELECT token_hash FROM api_tokens").fetch_one(&app.pool).await.unwrap();
    assert_eq!(stored.len(), 32, "only a SHA-256 is stored");

    let id = list[0]["id"].as_i64().unwrap().to_string();
    assert_eq!(app.call(&cto, "/api/admin/tokens/revoke", &[("id", id)]).await.status(), 200);
    let revoked = post(&app, path, Some(&token), point).await;
    assert_eq!(revoked.status(), 401);
    assert!(json(revoked).await["error"].as_str().unwrap().contains("revoked"));

    // A token cannot read anything: server functions ignore it.
    let read = reqwest::Client::new().post(app.url("/api/kpis/overview")).bearer_auth(&token).form(&[("window", "30d")]).send().await.unwrap();
    assert_eq!(read.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arrays_are_stored_whole_or_not_at_all() {
    let app = spawn_app().await;
    app.add_kpi("latency", None, "ms", "lower", "last", None).await;
    let token = app.api_token("collector").await;
    let path = "/api/v1/kpis/latency/measurements";
    let batch = j!([
        {"timestamp": days_ago(3), "value": 250},
        {"timestamp": days_ago(2), "value": 260.5, "note": "after cache warm-up"},
        {"timestamp": days_ago(1), "value": 270}
    ]);
    let ok = post(&app, path, Some(&token), batch).await;
    assert_eq!(ok.status(), 201);
    assert_eq!(json(ok).await["accepted"], 3);

    let bad = j!([
        {"timestamp": days_ago(5), "value": 1},
        {"timestamp": "2026-02-30", "value": "abc"},
        {"timestamp": days_ago(6), "value": 2, "colour": "red"}
    ]);
    let res = post(&app, path, Some(&token), bad).await;
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    let details: Vec<(u64, &str)> = body["details"].as_array().unwrap().iter().map(|d| (d["index"].as_u64().unwrap(), d["field"].as_str().unwrap())).collect();
    assert_eq!(details, [(1, "timestamp"), (1, "value"), (2, "colour")]);
    assert_eq!(app.count_measurements("latency").await, 3, "the good item was not stored either");

    let dup = post(&app, path, Some(&token), j!([{"timestamp": days_ago(9), "value": 1}, {"timestamp": days_ago(9), "value": 2}])).await;
    assert_eq!(dup.status(), 422);
    assert_eq!(json(dup).await["details"][0]["message"], "repeats the timestamp of item 0");

    // A timestamp already stored is replaced, so re-sending corrected data is safe.
    let again = post(&app, path, Some(&token), j!({"timestamp": days_ago(1), "value": 280})).await;
    assert_eq!(again.status(), 201);
    assert_eq!(app.count_measurements("latency").await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_unknown_and_oversized_requests_get_clear_errors() {
    let app = spawn_app().await;
    app.add_kpi("latency", None, "ms", "lower", "last", None).await;
    let token = app.api_token("t").await;
    let client = reqwest::Client::new();
    let raw = |body: &'static str| client.post(app.url("/api/v1/kpis/latency/measurements")).bearer_auth(&token).header("content-type", "application/json").body(body).send();

    let res = raw("{not json").await.unwrap();
    assert_eq!(res.status(), 400);
    assert!(json(res).await["error"].as_str().unwrap().starts_with("The body is not valid JSON"));
    assert_eq!(raw("[]").await.unwrap().status(), 422);
    assert_eq!(raw("\"hello\"").await.unwrap().status(), 422);

    let unknown = post(&app, "/api/v1/kpis/nope/measurements", Some(&token), j!({"timestamp": days_ago(1), "value": 1})).await;
    assert_eq!(unknown.status(), 404);
    assert_eq!(json(unknown).await["error"], "There is no KPI with the key “nope”.");

    let huge: Vec<Value> = (0..30_000).map(|i| j!({"timestamp": 1_700_000_000 + i, "value": i, "note": "padding padding padding"})).collect();
    let too_big = post(&app, "/api/v1/kpis/latency/measurements", Some(&token), Value::Array(huge)).await;
    assert_eq!(too_big.status(), 413);
    assert!(json(too_big).await["error"].as_str().unwrap().contains("1 MiB"));
    assert_eq!(app.count_measurements("latency").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dora_metrics_are_computed_from_events() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    // The four DORA KPIs, defined as computed ones.
    for (key, metric) in [("df", "deployment_frequency"), ("lt", "lead_time"), ("cfr", "change_failure_rate"), ("ttr", "time_to_restore")] {
        let form = vec![
            ("original_key", String::new()),
            ("key", key.to_string()),
            ("name", key.to_uppercase()),
            ("description", String::new()),
            ("formula", String::new()),
            ("category", "delivery".into()),
            ("unit", String::new()),
            ("direction", String::new()),
            ("aggregation", String::new()),
            ("computed", metric.to_string()),
            ("owner", String::new()),
            ("department", String::new()),
        ];
        assert_eq!(app.call(&cto, "/api/kpis/save", &form).await.status(), 200, "{key}");
    }
    let token = app.api_token("deploy bot").await;
    let deploys = j!([
        {"service": "api", "deployed_at": days_ago(3), "commit_times": [days_ago(4)], "id": "a1"},
        {"service": "api", "deployed_at": days_ago(2), "lead_time_seconds": 7200, "succeeded": false, "id": "a2"},
        {"service": "web", "deployed_at": days_ago(1), "lead_time_seconds": 3600, "id": "w1"}
    ]);
    let res = post(&app, "/api/v1/events/deployments", Some(&token), deploys).await;
    assert_eq!(res.status(), 201);
    assert_eq!(json(res).await["accepted"], 3);
    let incident = j!({"service": "web", "started_at": days_ago(1), "resolved_at": days_ago(1).replace("T12:00", "T12:30"), "severity": "sev2", "deployment": "w1", "id": "inc-1"});
    assert_eq!(post(&app, "/api/v1/events/incidents", Some(&token), incident).await.status(), 201);

    let dora = json(app.call(&cto, "/api/kpis/dora", &[("window", "7d".into())]).await).await;
    let overall = &dora["overall"];
    assert_eq!(overall["deployments"], 3);
    assert_eq!(overall["failed_deployments"], 2, "one failed, one caused an incident");
    assert_eq!(overall["lead_time_hours"], 2.0, "median of 24 h, 2 h and 1 h");
    assert_eq!(overall["time_to_restore_hours"], 0.5);
    assert_eq!(overall["bands"]["time_to_restore"], "Elite");
    let services: Vec<&str> = dora["services"].as_array().unwrap().iter().map(|s| s["service"].as_str().unwrap()).collect();
    assert_eq!(services, ["api", "web"]);

    let card = json(app.call(&cto, "/api/kpis/detail", &[("key", "cfr".into()), ("window", "7d".into()), ("range", "30d".into())]).await).await;
    assert!(card["card"]["value"].as_str().unwrap().starts_with("66.7"), "{}", card["card"]["value"]);
    assert!(app.count_measurements("df").await >= 3, "daily values are derived for the chart");

    // Computed KPIs take no measurements by hand or by API.
    let by_hand = app.call(&cto, "/api/kpis/measurements/add", &[("key", "cfr".into()), ("timestamp", days_ago(1)), ("value", "1".into()), ("note", String::new())]).await;
    assert_eq!(by_hand.status(), 409);
    assert_eq!(post(&app, "/api/v1/kpis/cfr/measurements", Some(&token), j!({"timestamp": days_ago(1), "value": 1})).await.status(), 409);

    let bad = post(&app, "/api/v1/events/incidents", Some(&token), j!({"service": "web", "started_at": days_ago(1), "deployment": "nope"})).await;
    assert_eq!(bad.status(), 422);
    let bad = post(&app, "/api/v1/events/deployments", Some(&token), j!({"service": "api", "deployed_at": days_ago(1), "commit_times": [days_ago(0)]})).await;
    assert_eq!(bad.status(), 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_describes_the_routes() {
    let app = spawn_app().await;
    let doc = json(reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap()).await;
    assert_eq!(doc["openapi"], "3.1.0");
    for path in ["/api/v1/kpis/{key}/measurements", "/api/v1/events/deployments", "/api/v1/events/incidents", "/api/v1/systems/{id}/findings"] {
        assert!(doc["paths"][path]["post"].is_object(), "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_imports_are_previewed_then_committed_all_or_nothing() {
    let app = spawn_app().await;
    app.add_kpi("latency", Some("Engineering"), "ms", "lower", "last", None).await;
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    let mut csv = String::from("timestamp,value,note\n");
    for d in (1..=40).rev() {
        csv.push_str(&format!("{},{},\n", &days_ago(d)[..10], 200 + d));
    }
    let res = app.upload_csv(&head, "latency", csv).await;
    assert_eq!(res.status(), 200);
    let preview = json(res).await;
    assert_eq!(preview["rows"], 40);
    assert_eq!(preview["sample"].as_array().unwrap().len(), 10);
    assert_eq!(app.count_measurements("latency").await, 0, "nothing is stored before the commit");
    let token = preview["token"].as_str().unwrap().to_string();

    // Someone else cannot commit another person's upload.
    let cto = app.client_as(Some(Role::Cto)).await;
    let foreign = app.call(&cto, "/api/kpis/import/commit", &[("key", "latency".into()), ("token", token.clone())]).await;
    assert_eq!(foreign.status(), 409);

    let done = app.call(&head, "/api/kpis/import/commit", &[("key", "latency".into()), ("token", token.clone())]).await;
    assert_eq!(done.status(), 200);
    assert_eq!(json(done).await, 40);
    assert_eq!(app.count_measurements("latency").await, 40);
    let twice = app.call(&head, "/api/kpis/import/commit", &[("key", "latency".into()), ("token", token)]).await;
    assert_eq!(twice.status(), 409);

    // The documented replace rule is counted in the preview, before anything is replaced; the
    // sample shows each row's note.
    let again = format!("timestamp,value,note\n{},5,re-measured\n{},6,\n2020-01-01,7,old\n", &days_ago(3)[..10], &days_ago(4)[..10]);
    let preview = json(app.upload_csv(&head, "latency", again).await).await;
    assert_eq!((preview["rows"].as_u64(), preview["replaces"].as_u64()), (Some(3), Some(2)));
    assert_eq!(preview["sample"][0][3], "re-measured");

    let bad = "timestamp,value\n2026-01-01,1\n2026-01-02,abc\n2026-13-01,3\n2026-01-01,4\n";
    let res = app.upload_csv(&head, "latency", bad).await;
    assert_eq!(res.status(), 422);
    let preview = json(res).await;
    assert!(preview["token"].is_null());
    let errors: Vec<(u64, &str)> = preview["errors"].as_array().unwrap().iter().map(|e| (e["line"].as_u64().unwrap(), e["column"].as_str().unwrap())).collect();
    assert_eq!(errors, [(3, "value"), (4, "timestamp"), (5, "timestamp")]);
    assert_eq!(app.count_measurements("latency").await, 40);

    let wrong_columns = app.upload_csv(&head, "latency", "date;amount\n2026-01-01;1\n").await;
    assert_eq!(wrong_columns.status(), 422);
    assert!(json(wrong_columns).await["errors"][0]["message"].as_str().unwrap().contains("expected the columns timestamp,value"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_over_the_limit_is_refused_before_it_is_read_in_full() {
    let app = spawn_app().await;
    app.add_kpi("latency", None, "ms", "lower", "last", None).await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let line = "2026-01-01T00:00:00Z,123.456789,padding to make the file large enough quickly\n";
    let big = line.repeat((65 << 20) / line.len());
    let res = app.upload_csv(&cto, "latency", big).await;
    assert_eq!(res.status(), 413);
    assert!(json(res).await["error"].as_str().unwrap().contains("64 MiB"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_returns_every_measurement_as_csv() {
    let app = spawn_app().await;
    app.add_kpi("cost", None, "money", "lower", "mean", None).await;
    let token = app.api_token("t").await;
    let items: Vec<Value> = (1..=12_000).map(|i| j!({"timestamp": 1_700_000_000 + i * 60, "value": 1.25})).collect();
    for chunk in items.chunks(6000) {
        assert_eq!(post(&app, "/api/v1/kpis/cost/measurements", Some(&token), Value::Array(chunk.to_vec())).await.status(), 201);
    }
    let cto = app.client_as(Some(Role::Cto)).await;
    let res = cto.get(app.url("/api/kpis/cost/export.csv")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("cost-measurements.csv"));
    let text = res.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 12_001, "a header and every row, across export pages");
    assert_eq!(lines[0], "timestamp,value,source,note");
    assert_eq!(lines[1], "2023-11-14T22:14:20Z,1.25,api,");
}

/// Every answer of the token API that is an error, for every endpoint, has the one shape the
/// OpenAPI document gives (`{"error", "details": [{"index", "field", "message"}]}`), a status the
/// document lists for that endpoint, and names only fields the caller sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_api_error_has_the_documented_shape() {
    let app = spawn_app().await;
    app.add_kpi("latency", None, "ms", "lower", "last", None).await;
    let token = app.api_token("t").await;
    let doc = json(reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap()).await;
    let schema = &doc["components"]["schemas"]["Error"];
    assert_eq!(schema["required"], j!(["error", "details"]));
    let client = reqwest::Client::new();
    // (documented path, address, a good item, a bad one)
    let endpoints = [
        ("/api/v1/kpis/{key}/measurements", "/api/v1/kpis/latency/measurements", j!({"timestamp": days_ago(2), "value": 1}), j!({"timestamp": days_ago(1), "value": "12", "colour": "red"})),
        ("/api/v1/events/deployments", "/api/v1/events/deployments", j!({"service": "web", "deployed_at": days_ago(2)}), j!({"service": "", "deployed_at": days_ago(1), "commit_times": ["soon"]})),
        ("/api/v1/events/incidents", "/api/v1/events/incidents", j!({"service": "web", "started_at": days_ago(2)}), j!({"service": "web", "started_at": days_ago(1), "deployment": "deploy-0000"})),
    ];
    for (documented, path, good_item, bad_item) in endpoints {
        let listed = &doc["paths"][documented]["post"]["responses"];
        let sent: Vec<String> = bad_item.as_object().unwrap().keys().cloned().collect();
        let answers = [
            ("no token", client.post(app.url(path)).json(&bad_item).send().await.unwrap()),
            ("not JSON", client.post(app.url(path)).bearer_auth(&token).header("content-type", "application/json").body("{oops").send().await.unwrap()),
            ("GET", client.get(app.url(path)).bearer_auth(&token).send().await.unwrap()),
            ("a bad item", client.post(app.url(path)).bearer_auth(&token).json(&j!([good_item, bad_item])).send().await.unwrap()),
            ("too large", client.post(app.url(path)).bearer_auth(&token).header("content-type", "application/json").body(vec![b' '; 2 << 20]).send().await.unwrap()),
        ];
        for (what, res) in answers {
            let status = res.status().as_u16();
            assert!((400..500).contains(&status), "{path} {what}: {status}");
            assert!(listed[status.to_string()].is_object(), "{path} {what}: {status} is not in the OpenAPI document");
            let body = json(res).await;
            let object = body.as_object().unwrap_or_else(|| panic!("{path} {what}: {body}"));
            let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
            keys.sort();
            assert_eq!(keys, ["details", "error"], "{path} {what}: {body}");
            assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()), "{path} {what}: {body}");
            for d in body["details"].as_array().unwrap() {
                let mut keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
                keys.sort();
                assert_eq!(keys, ["field", "index", "message"], "{path} {what}: {body}");
                assert_eq!(d["index"], 1, "{path} {what}: the bad item is the second: {body}");
                let field = d["field"].as_str().unwrap();
                let root = field.split('[').next().unwrap();
                assert!(sent.iter().any(|s| s == root), "{path} {what}: {field} was not sent: {body}");
            }
            if what == "a bad item" {
                assert_eq!(status, 422, "{path}: {body}");
                assert!(!body["details"].as_array().unwrap().is_empty(), "{path}: {body}");
            }
            if what == "GET" {
                assert_eq!(status, 405, "{path}: {body}");
            }
        }
    }
    // The incident's unknown cause is named as sent: `deployment`, not `[0].deployment_id`.
    let res = client.post(app.url("/api/v1/events/incidents")).bearer_auth(&token).json(&j!({"service": "web", "started_at": days_ago(1), "deployment": "deploy-0000"})).send().await.unwrap();
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    assert_eq!(body["details"], j!([{"index": 0, "field": "deployment", "message": "web has no deployment “deploy-0000”."}]));
}

/// A KPI's chart marks the events that can explain it: a department's KPI its department's
/// systems' deployments and incidents, a company-wide one only sev1 incidents, a delivery
/// metric all of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kpi_chart_marks_only_its_own_events() {
    let app = spawn_app().await;
    for (key, department) in [("web", "Engineering"), ("db", "Operations")] {
        let dept = app.department_id(department).await;
        sqlx::query("INSERT INTO systems (key, name, kind, department_id, tier, slo_target, status_since, created_at) VALUES (?1, ?1, 'service', ?2, 1, 99.9, 0, 0)")
            .bind(key)
            .bind(dept)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    app.add_kpi("latency", Some("Engineering"), "ms", "lower", "last", None).await;
    app.add_kpi("signups", None, "count", "higher", "last", None).await;
    let token = app.api_token("t").await;
    let deploys: Vec<Value> = [("web", 2), ("web", 3), ("db", 4), ("db", 5), ("db", 6)].iter().map(|(s, d)| j!({"service": s, "deployed_at": days_ago(*d)})).collect();
    assert_eq!(post(&app, "/api/v1/events/deployments", Some(&token), Value::Array(deploys)).await.status(), 201);
    let incidents = j!([
        {"service": "web", "severity": "sev3", "started_at": days_ago(3), "resolved_at": days_ago(2)},
        {"service": "db", "severity": "sev1", "started_at": days_ago(5), "resolved_at": days_ago(4)}
    ]);
    assert_eq!(post(&app, "/api/v1/events/incidents", Some(&token), incidents).await.status(), 201);

    let cto = app.client_as(Some(Role::Cto)).await;
    let chart = |key: &'static str| {
        let (app, cto) = (&app, &cto);
        async move { json(app.call(cto, "/api/kpis/detail", &[("key", key.into()), ("window", "30d".into()), ("range", "30d".into())]).await).await["chart"].clone() }
    };
    let own = chart("latency").await;
    assert_eq!((own["deployments"].as_u64(), own["incidents"].as_u64()), (Some(2), Some(1)), "{}", own["events"]);
    assert!(own["events"].as_str().unwrap().contains("Engineering"));
    let company = chart("signups").await;
    assert_eq!((company["deployments"].as_u64(), company["incidents"].as_u64()), (Some(0), Some(1)));
}

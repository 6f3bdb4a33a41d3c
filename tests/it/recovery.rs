//! Backups and restore tests of the company's systems: reported with an API token (checked
//! item by item, stored whole or not at all), recorded as drills on the system's page, shown
//! there to whoever sees the system's records, and the evidence of the controls naming them.

use crate::common::{self, json, spawn_app, TestApp};
use northstar::access::Role;
use serde_json::json as j;

async fn runs(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table} WHERE system_id IS NOT NULL")).fetch_one(&app.pool).await.unwrap()
}

/// The latest evidence of the control `code`: (result, note).
async fn evidence(app: &TestApp, code: &str) -> (String, String) {
    sqlx::query_as("SELECT e.result, e.note FROM control_evidence e JOIN controls c ON c.id = e.control_id WHERE c.code = ?1 ORDER BY e.performed_on DESC, e.id DESC LIMIT 1")
        .bind(code)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn protection(app: &TestApp, role: Role, system: i64) -> serde_json::Value {
    let client = app.client_as(Some(role)).await;
    json(app.call(&client, "/api/infra/system", &[("id", system.to_string()), ("range", "24h".into())]).await).await["protection"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_report_backups_and_restore_tests_with_a_token_and_the_controls_follow() {
    let app = spawn_app().await;
    let system = app.add_system("shop", Some("Engineering")).await;
    let cto = app.client_as(Some(Role::Cto)).await;
    assert_eq!(app.call(&cto, "/api/security/controls/adopt", &[]).await.status(), 200);
    sqlx::query("INSERT INTO control_systems (control_id, system_id) SELECT id, ?1 FROM controls WHERE code IN ('BCK-01', 'BCK-02')").bind(system).execute(&app.pool).await.unwrap();
    let token = app.api_token("backup-job").await;
    let backups = format!("/api/v1/systems/{system}/backups");

    let (status, _) = app.post_json(None, &backups, j!({"ok": true})).await;
    assert_eq!(status, 401);
    let (status, body) = app.post_json(Some(&token), "/api/v1/systems/9999/backups", j!({"ok": true})).await;
    assert_eq!(status, 404, "{body}");
    // One bad item refuses the batch, naming the item and the field.
    let (status, body) = app.post_json(Some(&token), &backups, j!([{"ok": true}, {"ok": "yes", "size_bytes": -5, "at": "2999-01-01T00:00:00Z"}])).await;
    assert_eq!(status, 422, "{body}");
    let mut fields: Vec<(i64, String)> = body["details"].as_array().unwrap().iter().map(|d| (d["index"].as_i64().unwrap(), d["field"].as_str().unwrap().to_string())).collect();
    fields.sort();
    assert_eq!(fields, [(1, "at".to_string()), (1, "ok".into()), (1, "size_bytes".into())]);
    assert_eq!(runs(&app, "backup_runs").await, 0, "nothing stored");

    let (status, body) = app.post_json(Some(&token), &backups, j!([{"ok": false, "detail": "disk full", "at": common::days_ago(1)}, {"ok": true, "size_bytes": 2_621_440, "duration_ms": 4200, "location": "s3://backups/shop.dump"}])).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!((body["system"].as_str(), body["accepted"].as_i64()), (Some("System shop"), Some(2)));
    let by: String = sqlx::query_scalar("SELECT by_label FROM backup_runs WHERE system_id = ?1 AND ok = 1").bind(system).fetch_one(&app.pool).await.unwrap();
    assert!(by.contains("backup-job"), "{by}");
    // The backup control naming the system passes on the system's last good backup.
    let (result, note) = evidence(&app, "BCK-01").await;
    assert_eq!(result, "passed", "{note}");
    assert!(note.starts_with("Backed up in the last day: System shop on ") && note.ends_with("(2.5 MB)."), "{note}");

    let restores = format!("/api/v1/systems/{system}/restore-tests");
    let (status, body) = app.post_json(Some(&token), &restores, j!({"ok": true})).await;
    assert_eq!((status, body["details"][0]["field"].as_str()), (422, Some("detail")));
    let (status, _) = app.post_json(Some(&token), &restores, j!({"ok": true, "duration_ms": 900_000, "detail": "Restored last night's dump to staging; 12 tables checked"})).await;
    assert_eq!(status, 201);
    let (result, note) = evidence(&app, "BCK-02").await;
    assert_eq!((result.as_str(), note.as_str()), ("passed", "Restored last night's dump to staging; 12 tables checked"));
    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_events WHERE action IN ('record_backups', 'record_restore_tests')").fetch_one(&app.pool).await.unwrap();
    assert_eq!(audited, 2, "one entry a batch");

    let p = protection(&app, Role::Cto, system).await;
    assert_eq!(p["restored_on"], common::today());
    assert_eq!(p["restore_due"], false);
    assert_eq!(p["backups"]["backups"].as_array().unwrap().len(), 2);
    assert_eq!(p["backups"]["tests"][0]["took"], "15 min");
    assert_eq!(p["review"], "not_recorded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_drill_is_recorded_on_the_system_page_by_whoever_keeps_it() {
    let app = spawn_app().await;
    let eng = app.add_system("shop", Some("Engineering")).await;
    let ops = app.add_system("ledger", Some("Operations")).await;
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    let drill = |system: i64, day: String, outcome: &str, minutes: &str, detail: &str| {
        vec![("system_id", system.to_string()), ("performed_on", day), ("outcome", outcome.to_string()), ("minutes", minutes.to_string()), ("detail", detail.to_string())]
    };
    // Another department's system: refused, nothing stored, and its card is not shown.
    assert_eq!(app.call(&head, "/api/security/restore-tests/record", &drill(ops, common::today(), "passed", "30", "ok")).await.status(), 403);
    assert_eq!(protection(&app, Role::DepartmentHead, ops).await, serde_json::Value::Null);
    // A service keeping no data of its own is not expected to test restores.
    let p = protection(&app, Role::DepartmentHead, eng).await;
    assert_eq!((p["keeps_data"].as_bool(), p["restore_due"].as_bool(), p["restored_on"].as_str()), (Some(false), Some(false), None));

    let res = app.call(&head, "/api/security/restore-tests/record", &drill(eng, common::days_ahead(2), "maybe", "0", "")).await;
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    let mut fields: Vec<&str> = body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    fields.sort();
    assert_eq!(fields, ["detail", "minutes", "outcome", "performed_on"]);
    assert_eq!(runs(&app, "restore_tests").await, 0);

    // A passed drill four months ago leaves the system due for another.
    let long_ago = common::days_ago(120)[..10].to_string();
    assert_eq!(app.call(&head, "/api/security/restore-tests/record", &drill(eng, long_ago.clone(), "passed", "130", "Full restore into a fresh cluster")).await.status(), 200);
    let p = protection(&app, Role::DepartmentHead, eng).await;
    assert_eq!((p["keeps_data"].as_bool(), p["restore_due"].as_bool(), p["restored_on"].as_str()), (Some(true), Some(true), Some(long_ago.as_str())));
    assert_eq!(p["backups"]["tests"][0]["took"], "2 h 10 min");
    assert_eq!(p["backups"]["tests"][0]["by"], "Priya Raman");
    assert_eq!(app.call(&head, "/api/security/restore-tests/record", &drill(eng, common::today(), "failed", "45", "The dump was truncated")).await.status(), 200);
    let p = protection(&app, Role::Cto, eng).await;
    assert_eq!(p["restore_due"], true, "a failed test does not count");
    assert_eq!(p["backups"]["tests"][0]["ok"], false);
}

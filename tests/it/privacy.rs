//! The record of processing: each role keeps its own systems' records, a record is checked
//! whole at its fields, saving or confirming is a review, and processors lead to contracts.

use crate::common::{self, json, spawn_app, TestApp};
use northstar::access::Role;
use reqwest::Client;

type Form = Vec<(String, String)>;

fn form(system: i64, fields: &[(&str, &str)]) -> Form {
    std::iter::once(("system_id".to_string(), system.to_string())).chain(fields.iter().map(|(k, v)| (k.to_string(), v.to_string()))).collect()
}

async fn save(app: &TestApp, client: &Client, f: &Form) -> reqwest::Response {
    let fields: Vec<(&str, String)> = f.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    app.call(client, "/api/security/privacy/save", &fields).await
}

/// A full record: customers' contact and payment data, outside the EEA, with processors.
fn full(system: i64, processors: &[i64]) -> Form {
    let mut f = form(
        system,
        &[
            ("personal_data", "yes"),
            ("categories[0]", "contact"),
            ("categories[1]", "financial"),
            ("subjects[0]", "customers"),
            ("purpose", "Billing customers"),
            ("legal_basis", "contract"),
            ("retention", "10 years after the invoice (tax law)"),
            ("hosting", "AWS us-east-1"),
            ("transfer", "on"),
            ("safeguard", "Standard contractual clauses"),
        ],
    );
    for (i, p) in processors.iter().enumerate() {
        f.push((format!("processors[{i}]"), p.to_string()));
    }
    f
}

async fn register(app: &TestApp, client: &Client, review: &str) -> (u16, serde_json::Value) {
    let res = app.call(client, "/api/security/privacy", &[("review", review.to_string())]).await;
    (res.status().as_u16(), json(res).await)
}

async fn page(app: &TestApp, client: &Client, system: i64) -> (u16, serde_json::Value) {
    let res = app.call(client, "/api/security/privacy/record", &[("id", system.to_string())]).await;
    (res.status().as_u16(), json(res).await)
}

async fn records(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM processing_records").fetch_one(&app.pool).await.unwrap()
}

fn systems(v: &serde_json::Value) -> Vec<String> {
    v["lines"].as_array().unwrap().iter().map(|l| l["system"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn each_role_keeps_only_its_own_systems_records() {
    let app = spawn_app().await;
    let eng = app.add_system("shop", Some("Engineering")).await;
    let ops = app.add_system("ledger", Some("Operations")).await;
    let (cto, head, investor) = (app.client_as(Some(Role::Cto)).await, app.client_as(Some(Role::DepartmentHead)).await, app.client_as(Some(Role::Investor)).await);

    let (status, all) = register(&app, &cto, "").await;
    assert_eq!(status, 200);
    assert_eq!(systems(&all), ["System ledger", "System shop"]);
    assert_eq!(all["counts"]["not_recorded"], 2);
    let (_, own) = register(&app, &head, "").await;
    assert_eq!(systems(&own), ["System shop"], "a head sees their department's systems only");
    assert!(own["scope"].as_str().unwrap().starts_with("Engineering’s systems"));
    assert_eq!(register(&app, &investor, "").await.0, 403);

    // Another department's system and a missing one look alike to a head.
    assert_eq!(page(&app, &head, ops).await.0, 403);
    assert_eq!(page(&app, &head, 9999).await.0, 403);
    assert_eq!(page(&app, &cto, 9999).await.0, 404);
    assert_eq!(page(&app, &investor, eng).await.0, 403);
    let refused = save(&app, &head, &full(ops, &[])).await;
    assert_eq!(refused.status(), 403);
    assert_eq!(save(&app, &investor, &full(eng, &[])).await.status(), 403);
    assert_eq!(records(&app).await, 0, "nothing stored for a refused caller");

    let audits = app.audit_count().await;
    let saved = save(&app, &head, &full(eng, &[])).await;
    assert_eq!(saved.status(), 200);
    assert_eq!(app.audit_count().await, audits + 1);
    let (status, p) = page(&app, &head, eng).await;
    assert_eq!(status, 200);
    let l = &p["line"];
    assert_eq!(l["review"], "current");
    assert_eq!(l["reviewed_on"], common::today());
    assert_eq!(l["reviewed_by"], "Priya Raman");
    assert_eq!(l["categories"], serde_json::json!(["contact", "financial"]));
    assert_eq!(l["legal_basis"], "contract");
    assert_eq!(l["transfer"], "Standard contractual clauses");
    assert_eq!(p["editor"]["personal_data"], "yes");
    let (_, all) = register(&app, &cto, "").await;
    assert_eq!((all["counts"]["personal"].as_i64(), all["counts"]["transfers"].as_i64(), all["counts"]["not_recorded"].as_i64()), (Some(1), Some(1), Some(1)));
}

#[tokio::test]
async fn a_record_is_checked_whole_at_its_fields_and_nothing_is_half_written() {
    let app = spawn_app().await;
    let system = app.add_system("shop", Some("Engineering")).await;
    let cto = app.client_as(Some(Role::Cto)).await;

    let res = save(&app, &cto, &form(system, &[])).await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["fields"][0]["field"], "personal_data");

    let bad = form(
        system,
        &[
            ("personal_data", "yes"),
            ("categories[0]", "shoe_size"),
            ("legal_basis", "because"),
            ("transfer", "on"),
            ("dpia_required", "on"),
            ("dpia_link", "javascript:alert(1)"),
            ("dpia_on", &common::days_ahead(3)),
            ("processors[0]", "9999"),
        ],
    );
    let res = save(&app, &cto, &bad).await;
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    let mut fields: Vec<String> = body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_string()).collect();
    fields.sort();
    assert_eq!(fields, ["categories", "dpia_link", "dpia_on", "hosting", "legal_basis", "processors", "purpose", "retention", "safeguard", "subjects"]);
    let said = |field: &str| body["fields"].as_array().unwrap().iter().find(|f| f["field"] == field).unwrap()["message"].as_str().unwrap().to_string();
    assert_eq!(said("categories"), "“shoe_size” is not one of the kinds of personal data listed.");
    assert!(said("dpia_link").contains("is not a web address"));
    assert_eq!(said("dpia_on"), "The assessment cannot be dated after today.");
    assert_eq!(records(&app).await, 0);

    // "No personal data" is a record too, and clears what a record held.
    assert_eq!(save(&app, &cto, &full(system, &[])).await.status(), 200);
    assert_eq!(save(&app, &cto, &form(system, &[("personal_data", "no"), ("purpose", "ignored")])).await.status(), 200);
    let (_, p) = page(&app, &cto, system).await;
    assert_eq!(p["line"]["personal_data"], false);
    assert_eq!(p["line"]["categories"], serde_json::json!([]));
    assert_eq!(p["line"]["purpose"], "");
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM processing_categories").fetch_one(&app.pool).await.unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn a_yearly_review_falls_due_and_confirming_it_unchanged_is_a_review() {
    let app = spawn_app().await;
    let system = app.add_system("shop", Some("Engineering")).await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let confirm = |id: i64| [("id", id.to_string())];
    let res = app.call(&cto, "/api/security/privacy/confirm", &confirm(system)).await;
    assert_eq!(res.status(), 400, "nothing to confirm before a record");
    assert!(json(res).await["message"].as_str().unwrap().contains("has no record to confirm yet"));

    assert_eq!(save(&app, &cto, &full(system, &[])).await.status(), 200);
    let long_ago = &common::days_ago(400)[..10];
    sqlx::query("UPDATE processing_records SET reviewed_on = ?1, reviewed_by = 'Someone before'").bind(long_ago).execute(&app.pool).await.unwrap();
    let (_, overdue) = register(&app, &cto, "overdue").await;
    assert_eq!(systems(&overdue), ["System shop"]);
    assert_eq!(overdue["counts"]["overdue"], 1);
    let (_, current) = register(&app, &cto, "current").await;
    assert!(systems(&current).is_empty());
    let (status, body) = register(&app, &cto, "sometime").await;
    assert_eq!((status, body["fields"][0]["field"].as_str()), (422, Some("review")));

    let head = app.client_as(Some(Role::DepartmentHead)).await;
    assert_eq!(app.call(&head, "/api/security/privacy/confirm", &confirm(system)).await.status(), 200);
    let (_, p) = page(&app, &cto, system).await;
    assert_eq!((p["line"]["review"].as_str(), p["line"]["reviewed_by"].as_str()), (Some("current"), Some("Priya Raman")));
    assert_eq!(p["line"]["purpose"], "Billing customers", "confirming changes nothing else");
    let entries: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_events WHERE action = 'review_processing'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(entries, 1);
}

#[tokio::test]
async fn processors_lead_to_their_contracts_and_sensitive_data_asks_for_an_assessment() {
    let app = spawn_app().await;
    let system = app.add_system("shop", Some("Engineering")).await;
    let vendor = |name: &'static str| {
        let pool = app.pool.clone();
        async move { sqlx::query_scalar::<_, i64>("INSERT INTO vendors (name) VALUES (?1) RETURNING id").bind(name).fetch_one(&pool).await.unwrap() }
    };
    let (stripe, mailer) = (vendor("Stripe").await, vendor("Mailer").await);
    let ops = app.department_id("Operations").await;
    for (v, name, dept, ends) in [(stripe, "Payments", None, common::days_ahead(200)), (stripe, "Ops terminal", Some(ops), common::days_ahead(100)), (mailer, "Old mailing", None, common::days_ago(10)[..10].to_string())] {
        sqlx::query("INSERT INTO contracts (vendor_id, name, department_id, annual_value_minor, starts_on, ends_on) VALUES (?1, ?2, ?3, 100, '2020-01-01', ?4)")
            .bind(v)
            .bind(name)
            .bind(dept)
            .bind(ends)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let mut f = full(system, &[stripe, mailer]);
    f.push(("categories[2]".into(), "health".into()));
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    assert_eq!(save(&app, &head, &f).await.status(), 200);

    let (_, p) = page(&app, &head, system).await;
    let contracts: Vec<&str> = p["contracts"].as_array().unwrap().iter().map(|c| c["contract"].as_str().unwrap()).collect();
    assert_eq!(contracts, ["Payments"], "a head sees company-wide contracts, not another department's; an ended one is gone");
    assert_eq!(p["uncontracted"], serde_json::json!(["Mailer"]));
    assert_eq!(p["line"]["dpia"], "Advised", "health data without an assessment");
    let cto = app.client_as(Some(Role::Cto)).await;
    let (_, p) = page(&app, &cto, system).await;
    assert_eq!(p["contracts"].as_array().unwrap().len(), 2);

    f.push(("dpia_required".into(), "on".into()));
    assert_eq!(save(&app, &cto, &f).await.status(), 200);
    let (_, reg) = register(&app, &cto, "").await;
    assert_eq!(reg["lines"][0]["dpia"], "Missing");
    assert_eq!((reg["counts"]["special"].as_i64(), reg["counts"]["dpia_open"].as_i64()), (Some(1), Some(1)));
    f.push(("dpia_link".into(), "https://wiki.example.com/dpia/shop".into()));
    f.push(("dpia_on".into(), common::today()));
    assert_eq!(save(&app, &cto, &f).await.status(), 200);
    let (_, reg) = register(&app, &cto, "").await;
    assert_eq!(reg["lines"][0]["dpia"]["Done"]["link"], "https://wiki.example.com/dpia/shop");
    assert_eq!(reg["counts"]["dpia_open"], 0);
}

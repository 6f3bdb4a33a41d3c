//! The audit trail: what a change records (who, the object, fields before and after), that
//! sign-ins, tokens and share links are accountable too, the CTO's filters and CSV export, and
//! that history cannot be rewritten. That every writing server function leaves a record is
//! checked by the walk over the access table (tests/it/access.rs).

use crate::common;

use common::{json, spawn_app, TestApp, PASSWORD};
use northstar::access::Role;
use reqwest::Client;

async fn trail(app: &TestApp, cto: &Client, filters: &[(&str, &str)]) -> serde_json::Value {
    let value = |key: &str| filters.iter().find(|(k, _)| *k == key).map(|(_, v)| v.to_string()).unwrap_or_default();
    let form: Vec<(String, String)> = ["who", "area", "object", "from", "to", "page"].iter().map(|k| (format!("query[{k}]"), value(k))).collect();
    let res = cto.post(app.url("/api/admin/audit")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), 200);
    json(res).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrected_expense_records_who_and_the_amount_before_and_after() {
    let app = spawn_app().await;
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    let (dept, cat) = (app.department_id("Engineering").await.to_string(), app.category_id("Cloud").await.to_string());
    let res = app.call(&head, "/api/budgets/expenses/save", &common::expense_form("", &common::today(), "10.00", &dept, &cat)).await;
    assert_eq!(res.status(), 200);
    let id = json(res).await.as_i64().unwrap().to_string();
    let res = app.call(&head, "/api/budgets/expenses/save", &common::expense_form(&id, &common::today(), "12.50", &dept, &cat)).await;
    assert_eq!(res.status(), 200);

    let cto = app.client_as(Some(Role::Cto)).await;
    let page = trail(&app, &cto, &[("object", &format!("expense:{id}"))]).await;
    let entries = page["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{page}");
    let (corrected, recorded) = (&entries[0], &entries[1]);
    assert_eq!(corrected["action"], "correct_expense");
    assert_eq!(corrected["actor"], "Priya Raman");
    assert_eq!(corrected["actor_kind"], "Person");
    assert_eq!(corrected["changes"], serde_json::json!([["amount", "10.00", "12.50"]]), "only the amount changed, shown as money");
    assert_eq!(recorded["action"], "record_expense");
    let fields: Vec<&str> = recorded["changes"].as_array().unwrap().iter().map(|c| c[0].as_str().unwrap()).collect();
    assert!(fields.contains(&"amount") && fields.contains(&"department") && fields.contains(&"category"), "{fields:?}");
    assert!(recorded["changes"].to_string().contains("Engineering"), "references are shown by name");

    // The department head cannot read the trail, even about their own expense.
    let res = app.call(&head, "/api/admin/audit", &[("query[object]", format!("expense:{id}"))]).await;
    assert_eq!(res.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_ins_failures_and_a_lockout_are_recorded_once_each() {
    let app = spawn_app().await;
    let email = common::email_of(Role::Investor);
    let stranger = app.client();
    let mut refused = 0;
    for _ in 0..8 {
        if app.login(&stranger, email, "not the password").await.status() == 429 {
            refused += 1;
        }
    }
    assert!(refused >= 2, "the limiter refused {refused} attempts");
    let ok = app.login(&app.client(), common::email_of(Role::Cto), PASSWORD).await;
    assert_eq!(ok.status(), 200);

    let cto = app.client_as(Some(Role::Cto)).await;
    let page = trail(&app, &cto, &[("area", "account")]).await;
    let actions: Vec<&str> = page["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "sign_in_failed").count(), 5, "{actions:?}");
    // One record for the lockout, not one per refused attempt.
    assert_eq!(actions.iter().filter(|a| **a == "sign_in_locked_out").count(), 1, "{actions:?}");
    assert_eq!(actions.iter().filter(|a| **a == "sign_in").count(), 1, "{actions:?}");
    let failed = page["entries"].as_array().unwrap().iter().find(|e| e["action"] == "sign_in_failed").unwrap();
    assert_eq!(failed["actor_kind"], "Not signed in");
    assert!(failed["actor"].as_str().unwrap().starts_with(email), "{failed}");
    assert!(!page.to_string().contains("not the password"), "a typed password is never recorded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_tokens_and_share_links_are_named_as_the_authors() {
    let app = spawn_app().await;
    app.add_kpi("latency", None, "ms", "lower", "last", None).await;
    let token = app.api_token("ci pipeline").await;
    let res = app
        .client()
        .post(app.url("/api/v1/kpis/latency/measurements"))
        .bearer_auth(&token)
        .json(&serde_json::json!([{"timestamp": common::days_ago(1), "value": 120}, {"timestamp": common::days_ago(2), "value": 130}]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let report = app.add_published_report("Q3 board pack").await;
    app.add_share_link(report, common::SHARE_TOKEN, i64::MAX).await;
    assert_eq!(app.client().get(app.url(&format!("/share/{}", common::SHARE_TOKEN))).send().await.unwrap().status(), 200);

    let cto = app.client_as(Some(Role::Cto)).await;
    let page = trail(&app, &cto, &[]).await;
    let entries = page["entries"].as_array().unwrap();
    let ingest = entries.iter().find(|e| e["action"] == "record_measurements").expect("an ingest record");
    assert_eq!(ingest["actor"], "token “ci pipeline”");
    assert_eq!(ingest["actor_kind"], "API token");
    assert_eq!(ingest["object"], "kpi:latency");
    assert!(ingest["detail"].as_str().unwrap().starts_with("2 value(s)"), "{ingest}");
    let created = entries.iter().find(|e| e["action"] == "create_api_token").unwrap();
    assert!(!created["changes"].to_string().contains(&token), "the token's value is never recorded");
    let visit = entries.iter().find(|e| e["action"] == "open_share_link").expect("a share-link visit");
    assert_eq!(visit["actor_kind"], "Share link");
    assert_eq!(visit["object"], format!("report:{report}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cto_filters_by_person_and_day_and_exports_the_same_as_csv() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let res = app.call(&cto, "/api/admin/departments/create", &[("name", "Finance, Legal".into())]).await;
    assert_eq!(res.status(), 200);
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    let (dept, cat) = (app.department_id("Engineering").await.to_string(), app.category_id("Cloud").await.to_string());
    assert_eq!(app.call(&head, "/api/budgets/expenses/save", &common::expense_form("", &common::today(), "7.00", &dept, &cat)).await.status(), 200);

    let mine = trail(&app, &cto, &[("who", "Alex Morgan"), ("area", "admin")]).await;
    assert_eq!(mine["matched"], 1, "{mine}");
    assert_eq!(mine["entries"][0]["action"], "create_department");
    let today = common::today();
    let none = trail(&app, &cto, &[("to", "2020-01-01")]).await;
    assert_eq!(none["matched"], 0);
    let all_today = trail(&app, &cto, &[("from", &today), ("to", &today)]).await;
    assert!(all_today["matched"].as_i64().unwrap() >= 4, "{all_today}");
    assert!(all_today["people"].as_array().unwrap().iter().any(|p| p == "Priya Raman"));

    let csv = cto.get(app.url("/api/admin/audit.csv?who=Alex%20Morgan&area=admin")).send().await.unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-disposition"].to_str().unwrap().contains("audit-trail.csv"));
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("when,who,"), "{text}");
    assert_eq!(lines.len(), 2, "the header and one record:\n{text}");
    assert!(text.contains("create_department") && text.contains("\"name: – → Finance, Legal\""), "{text}");
    let refused = head.get(app.url("/api/admin/audit.csv")).send().await.unwrap();
    assert_eq!(refused.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_filter_is_named_at_its_field() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let form = [("query[from]", "30/11/2026".to_string()), ("query[object]", "availability".to_string())];
    let res = cto.post(app.url("/api/admin/audit")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), 422);
    let body = json(res).await.to_string();
    assert!(body.contains("from") && body.contains("is not a date"), "{body}");
    assert!(body.contains("object") && body.contains("kind:id"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_cannot_be_rewritten_or_removed() {
    let app = spawn_app().await;
    app.client_as(Some(Role::Cto)).await;
    assert!(app.audit_count().await > 0);
    let update = sqlx::query("UPDATE audit_events SET actor = 'nobody'").execute(&app.pool).await;
    assert!(update.unwrap_err().to_string().contains("cannot be changed"));
    let delete = sqlx::query("DELETE FROM audit_events").execute(&app.pool).await;
    assert!(delete.unwrap_err().to_string().contains("cannot be deleted"));
}

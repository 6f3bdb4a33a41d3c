//! Quality signals of a system: reported by its CI pipeline with an API token (checked item by
//! item, stored whole or not at all, a retried report replacing the first), shown on the
//! system's page to whoever sees its records, beside the change failure rate of its
//! deployments.

use crate::common::{json, spawn_app, TestApp};
use northstar::access::Role;
use serde_json::json as j;

async fn kept(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM quality_signals").fetch_one(&app.pool).await.unwrap()
}

/// The system's page as `role` reads it: (status, its quality card).
async fn card(app: &TestApp, role: Role, system: i64) -> (u16, serde_json::Value) {
    let client = app.client_as(Some(role)).await;
    let res = app.call(&client, "/api/infra/system", &[("id", system.to_string()), ("range", "24h".into())]).await;
    (res.status().as_u16(), json(res).await["quality"].clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pipeline_reports_tests_coverage_and_escaped_defects_with_a_token() {
    let app = spawn_app().await;
    let system = app.add_system("shop", Some("Engineering")).await;
    let token = app.api_token("ci").await;
    let path = format!("/api/v1/systems/{system}/quality");
    let now = chrono::Utc::now().timestamp();

    assert_eq!(app.post_json(None, &path, j!({"coverage": 80})).await.0, 401);
    assert_eq!(app.post_json(Some(&token), "/api/v1/systems/9999/quality", j!({"coverage": 80})).await.0, 404);
    // One bad item refuses the batch, naming each item's fields.
    let (status, body) = app.post_json(
        Some(&token),
        &path,
        j!([{"coverage": 80}, {"tests_run": 100, "tests_passed": 120, "coverage": 101}, {"source": "ci"}, {"escaped_defects": 1, "at": "2999-01-01T00:00:00Z"}]),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let mut fields: Vec<(i64, String)> = body["details"].as_array().unwrap().iter().map(|d| (d["index"].as_i64().unwrap(), d["field"].as_str().unwrap().to_string())).collect();
    fields.sort();
    assert_eq!(fields, [(1, "coverage".to_string()), (1, "tests_passed".into()), (2, "tests_run".into()), (3, "at".into())]);
    assert_eq!(kept(&app).await, 0, "nothing stored");

    let run = |at: i64, passed: i64| j!({"at": at, "source": "GitHub Actions", "ref": "main@a1b2c3d", "tests_run": 1220, "tests_passed": passed, "coverage": 81.25});
    let (status, body) = app.post_json(Some(&token), &path, j!([run(now - 3600, 1200), {"at": now - 7200, "source": "Jira", "escaped_defects": 2}])).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!((body["system"].as_str(), body["accepted"].as_i64()), (Some("System shop"), Some(2)));
    // The pipeline retries the same run: it replaces the first instead of counting twice.
    let (status, again) = app.post_json(Some(&token), &path, run(now - 3600, 1204)).await;
    assert_eq!(status, 201);
    assert_eq!(again["ids"][0], body["ids"][0]);
    assert_eq!(kept(&app).await, 2);
    let (passed, coverage, by): (i64, i64, String) = sqlx::query_as("SELECT tests_passed, coverage_bp, by_label FROM quality_signals WHERE source = 'GitHub Actions'").fetch_one(&app.pool).await.unwrap();
    assert_eq!((passed, coverage), (1204, 8125), "kept exactly as sent");
    assert!(by.contains("ci"), "{by}");
    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_events WHERE action = 'record_quality'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(audited, 2, "one entry a batch");

    // The OpenAPI document describes the route.
    let doc = json(app.client().get(app.url("/api/v1/openapi.json")).send().await.unwrap()).await;
    assert!(doc["paths"]["/api/v1/systems/{id}/quality"]["post"]["requestBody"].is_object());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_system_page_shows_quality_beside_the_change_failure_rate_to_whoever_keeps_it() {
    let app = spawn_app().await;
    let shop = app.add_system("shop", Some("Engineering")).await;
    let ledger = app.add_system("ledger", Some("Operations")).await;
    let now = chrono::Utc::now().timestamp();
    let day = 86_400;
    let mut db = app.pool.acquire().await.unwrap();
    let signal = |at: i64, tests: Option<(i64, i64)>, coverage: Option<i64>, escaped: Option<i64>, source: &str| northstar::assurance::service::quality::Signal {
        at,
        source: source.into(),
        reference: String::new(),
        tests,
        coverage,
        escaped,
    };
    for s in [
        signal(now - 100 * day, Some((900, 900)), Some(7_800), None, "ci"),
        signal(now - 10 * day, Some((1_000, 990)), Some(8_050), None, "ci"),
        signal(now - 2 * day, Some((1_000, 985)), Some(8_000), None, "ci"),
        signal(now - 40 * day, None, None, Some(5), "tracker"),
        signal(now - 5 * day, None, None, Some(3), "tracker"),
    ] {
        northstar::assurance::service::quality::insert(&mut db, shop, "test", &s).await.unwrap();
    }
    // Four deployments of the shop in the last 30 days, one failed and one that caused an
    // incident; another service's failure does not count.
    for (service, ago, ok) in [("shop", 20, 1), ("shop", 12, 0), ("shop", 8, 1), ("shop", 3, 1), ("ledger", 4, 0)] {
        sqlx::query("INSERT INTO deployments (service, deployed_at, succeeded) VALUES (?1, ?2, ?3)").bind(service).bind(now - ago * day).bind(ok).execute(&mut *db).await.unwrap();
    }
    let blamed: i64 = sqlx::query_scalar("SELECT id FROM deployments WHERE service = 'shop' AND deployed_at = ?1").bind(now - 8 * day).fetch_one(&mut *db).await.unwrap();
    sqlx::query("INSERT INTO incidents (service, title, severity, started_at, resolved_at, deployment_id) VALUES ('shop', 'Checkout errors', 'sev2', ?1, ?2, ?3)")
        .bind(now - 8 * day + 600)
        .bind(now - 8 * day + 4000)
        .bind(blamed)
        .execute(&mut *db)
        .await
        .unwrap();
    drop(db);

    let (status, q) = card(&app, Role::Cto, shop).await;
    assert_eq!(status, 200);
    assert_eq!(q["pass_rate"], "98.5 %", "the latest run: 985 of 1000");
    assert!(q["tests"].as_str().unwrap().starts_with("985 of 1000 tests passed"), "{}", q["tests"]);
    assert_eq!(q["coverage"], "80 %");
    assert_eq!(q["coverage_change"], "+2 points", "from 78 % a hundred days ago");
    assert_eq!(q["escaped"], 3, "the last 30 days only");
    assert_eq!((q["change_failure_rate"].as_str(), q["deployments"].as_i64()), (Some("50.0 %"), Some(4)));
    assert_eq!(q["change_failure_band"], "Low");
    assert_eq!(q["key"], "shop");
    let weeks = q["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 26);
    assert_eq!(weeks.iter().map(|w| w["tests_run"].as_i64().unwrap()).sum::<i64>(), 2_900);
    assert_eq!(weeks.iter().map(|w| w["failed"].as_i64().unwrap()).sum::<i64>(), 2);
    assert!(q["rates_chart"]["svg"].as_str().unwrap().contains("<svg"));
    assert_eq!(q["defects_chart"]["rows"].as_array().unwrap().len(), 26);
    assert_eq!(q["latest"][0]["tests"], "985 of 1000");

    // The Engineering head sees their system's card; another department's system and an
    // investor are refused its page.
    assert_eq!(card(&app, Role::DepartmentHead, shop).await.1["pass_rate"], "98.5 %");
    assert_eq!(card(&app, Role::DepartmentHead, ledger).await.0, 403);
    assert_eq!(card(&app, Role::Investor, shop).await.0, 403);

    // A system with nothing reported draws no empty charts, though its deployments count.
    let (_, ledger_card) = card(&app, Role::Cto, ledger).await;
    assert_eq!(ledger_card["pass_rate"], serde_json::Value::Null);
    assert!(ledger_card["latest"].as_array().unwrap().is_empty());
    assert_eq!((ledger_card["change_failure_rate"].as_str(), ledger_card["deployments"].as_i64()), (Some("100.0 %"), Some(1)), "its own failed deployment");
    let wiki = app.add_system("wiki", Some("Operations")).await;
    let (_, empty) = card(&app, Role::Cto, wiki).await;
    assert_eq!((empty["rates_chart"].clone(), empty["defects_chart"].clone(), empty["change_failure_rate"].clone()), (serde_json::Value::Null, serde_json::Value::Null, serde_json::Value::Null));
}

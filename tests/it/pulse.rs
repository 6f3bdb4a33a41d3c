//! Satisfaction surveys: the CTO sends one to a department's heads; answers are anonymous, once
//! each, from those asked only; no result below five answers; the fifth makes the department's
//! score a KPI value, judged against its target.

use crate::common::{self, json, spawn_app, TestApp};
use northstar::access::Role;
use reqwest::Client;

/// Another Engineering head, signed in (the demo head's password).
async fn engineering_head(app: &TestApp, n: usize) -> Client {
    let email = format!("lead{n}@example.com");
    sqlx::query("INSERT INTO users (email, name, role, department_id, password_hash) SELECT ?1, ?2, 'department_head', department_id, password_hash FROM users WHERE email = ?3")
        .bind(&email)
        .bind(format!("Lead {n}"))
        .bind(common::email_of(Role::DepartmentHead))
        .execute(&app.pool)
        .await
        .unwrap();
    let client = app.client();
    assert_eq!(app.login(&client, &email, common::PASSWORD).await.status(), 200);
    client
}

async fn waiting(app: &TestApp, client: &Client) -> Vec<serde_json::Value> {
    json(app.call(client, "/api/surveys/waiting", &[]).await).await.as_array().unwrap().clone()
}

async fn answer(app: &TestApp, client: &Client, round: i64, score: &str, comment: &str) -> reqwest::Response {
    app.call(client, "/api/surveys/answer", &[("round", round.to_string()), ("score", score.into()), ("comment", comment.into())]).await
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_anonymous_answers_make_a_departments_score_a_kpi() {
    let app = spawn_app().await;
    let (cto, head, investor) = (app.client_as(Some(Role::Cto)).await, app.client_as(Some(Role::DepartmentHead)).await, app.client_as(Some(Role::Investor)).await);
    let ops = app.client();
    assert_eq!(app.login(&ops, "ops.head@northstar.demo", common::PASSWORD).await.status(), 200);
    let eng = app.department_id("Engineering").await;

    // Refused whole, at each field, with nothing sent.
    let res = app.call(&cto, "/api/surveys/save", &[("title", " ".into()), ("question", "How is it?".into()), ("scale", "seven".into()), ("every", "daily".into()), ("departments[0]", "999".into())]).await;
    assert_eq!(res.status(), 422);
    let fields: Vec<String> = json(res).await["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_string()).collect();
    assert_eq!(fields, ["title", "scale", "every", "roles", "departments"]);
    assert_eq!(count(&app, "SELECT count(*) FROM pulses").await, 0);
    assert_eq!(app.call(&head, "/api/surveys/save", &[("title", "Mine".into())]).await.status(), 403);

    let form = [
        ("title", "Tooling satisfaction".to_string()),
        ("question", "How satisfied are you with your tools?".into()),
        ("scale", "five".into()),
        ("every", "quarter".into()),
        ("roles[0]", "department_head".into()),
        ("departments[0]", eng.to_string()),
    ];
    let res = app.call(&cto, "/api/surveys/save", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let id = json(res).await.as_i64().unwrap();
    assert_eq!(fields_of(app.call(&cto, "/api/surveys/save", &form).await).await, ["title"], "a title is used once");
    // Its KPIs: everyone's and Engineering's, not Operations'.
    let kpis: Vec<String> = sqlx::query_scalar("SELECT k.name FROM pulse_kpis x JOIN kpis k ON k.id = x.kpi_id ORDER BY k.name").fetch_all(&app.pool).await.unwrap();
    assert_eq!(kpis, ["Tooling satisfaction", "Tooling satisfaction, Engineering"]);

    // Asked: Engineering's heads; not Operations', not investors.
    let round = waiting(&app, &head).await[0]["round"].as_i64().unwrap();
    assert!(waiting(&app, &ops).await.is_empty());
    assert!(waiting(&app, &investor).await.is_empty());
    assert_eq!(answer(&app, &ops, round, "1", "").await.status(), 403);
    assert_eq!(answer(&app, &investor, round, "1", "").await.status(), 403);
    // A score off the scale is refused at its field.
    assert_eq!(fields_of(answer(&app, &head, round, "6", "").await).await, ["score"]);
    assert_eq!(fields_of(answer(&app, &head, round, "", "").await).await, ["score"]);

    assert_eq!(answer(&app, &head, round, "4", "CI is slow in the morning.").await.status(), 200);
    assert_eq!(answer(&app, &head, round, "5", "").await.status(), 409, "once each");
    assert!(waiting(&app, &head).await.is_empty());
    let mut leads = Vec::new();
    for n in 1..=4 {
        leads.push(engineering_head(&app, n).await);
    }
    for (lead, score) in leads.iter().take(3).zip(["3", "4", "2"]) {
        assert_eq!(answer(&app, lead, round, score, "").await.status(), 200);
    }

    // Four answers: no score, no spread, no comment, and no KPI value.
    let page = json(app.call(&cto, "/api/surveys/detail", &[("id", id.to_string())]).await).await;
    let groups = &page["rounds"][0]["results"];
    assert_eq!(groups[0]["answers"], 4);
    assert!(groups[0]["score"].is_null());
    assert_eq!(groups[0]["comments"].as_array().unwrap().len(), 0);
    assert_eq!(groups[1]["group"], "Engineering");
    assert_eq!(count(&app, "SELECT count(*) FROM measurements m JOIN pulse_kpis x ON x.kpi_id = m.kpi_id").await, 0);

    // The fifth: the score shows, and is the department's KPI value, amber against 4.
    assert_eq!(answer(&app, &leads[3], round, "4", "Better than last year").await.status(), 200);
    let page = json(app.call(&cto, "/api/surveys/detail", &[("id", id.to_string())]).await).await;
    let engineering = &page["rounds"][0]["results"][1];
    assert_eq!(engineering["score"], "3.4");
    assert_eq!(engineering["comments"], serde_json::json!(["Better than last year", "CI is slow in the morning."]));
    let key = engineering["kpi_key"].as_str().unwrap().to_string();
    assert_eq!(key, "survey-tooling-satisfaction-engineering");
    let kpi = json(app.call(&head, "/api/kpis/detail", &[("key", key.clone()), ("window", "30d".into()), ("range", "90d".into())]).await).await;
    assert_eq!(kpi["card"]["value"], "3.4");
    assert_eq!(kpi["card"]["rag"], "Red", "below the default target's red line of 3.5");
    // The KPI is kept from the answers: nobody records it by hand.
    let res = app.call(&cto, "/api/kpis/measurements/add", &[("key", key), ("timestamp", common::today()), ("value", "5".into()), ("note", String::new()), ("replace", "true".into())]).await;
    assert_ne!(res.status(), 200);

    // Nothing ties an answer to its author: no user column, no time, and no audit entry.
    let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info('pulse_answers')").fetch_all(&app.pool).await.unwrap();
    assert_eq!(columns, ["id", "round_id", "department_id", "score", "comment"]);
    assert_eq!(count(&app, "SELECT count(*) FROM audit_events WHERE action LIKE '%answer%' AND area = 'feedback' AND object_kind = 'survey'").await, 0);

    // One round at a time; sent again once it closes.
    assert_eq!(app.call(&cto, "/api/surveys/send", &[("id", id.to_string())]).await.status(), 409);
    sqlx::query("UPDATE pulse_rounds SET opens_at = opens_at - 100 * 86400, closes_at = closes_at - 100 * 86400").execute(&app.pool).await.unwrap();
    assert_eq!(answer(&app, &ops, round, "3", "").await.status(), 403);
    assert_eq!(northstar::pulse::service::schedule(&app.pool, northstar::platform::db::now_unix()).await.unwrap(), 1, "a quarter has passed");
    assert_eq!(waiting(&app, &head).await.len(), 1);
}

async fn fields_of(res: reqwest::Response) -> Vec<String> {
    assert_eq!(res.status(), 422);
    json(res).await["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn everyones_score_hides_when_it_would_show_a_small_department_by_subtraction() {
    let app = spawn_app().await;
    let (cto, head) = (app.client_as(Some(Role::Cto)).await, app.client_as(Some(Role::DepartmentHead)).await);
    let ops = app.client();
    assert_eq!(app.login(&ops, "ops.head@northstar.demo", common::PASSWORD).await.status(), 200);
    let form = [
        ("title", "IT satisfaction".to_string()),
        ("question", "How satisfied are you?".into()),
        ("scale", "ten".into()),
        ("every", "once".into()),
        ("roles[0]", "department_head".into()),
    ];
    let id = json(app.call(&cto, "/api/surveys/save", &form).await).await.as_i64().unwrap();
    let round = waiting(&app, &head).await[0]["round"].as_i64().unwrap();
    assert_eq!(answer(&app, &head, round, "8", "").await.status(), 200);
    for n in 1..=4 {
        assert_eq!(answer(&app, &engineering_head(&app, n).await, round, "9", "").await.status(), 200);
    }
    assert_eq!(answer(&app, &ops, round, "2", "Paging wakes the wrong team.").await.status(), 200);
    // Engineering's five show; everyone's six would show Operations' one by subtraction.
    let page = json(app.call(&cto, "/api/surveys/detail", &[("id", id.to_string())]).await).await;
    let results = page["rounds"][0]["results"].as_array().unwrap().clone();
    assert_eq!((results[0]["group"].as_str(), results[0]["answers"].as_i64(), results[0]["score"].is_null()), (Some("Everyone asked"), Some(6), true));
    assert_eq!(results[0]["comments"].as_array().unwrap().len(), 0);
    assert_eq!(results[1]["group"], "Engineering");
    assert_eq!(results[1]["score"], "8.8");
    assert_eq!((results[2]["group"].as_str(), results[2]["score"].is_null()), (Some("Operations"), true));
    let company: i64 = count(&app, "SELECT count(*) FROM measurements m JOIN pulse_kpis x ON x.kpi_id = m.kpi_id WHERE x.department_id IS NULL").await;
    assert_eq!(company, 0, "nor does everyone's KPI take a value");
}

//! Budgets through their server functions and routes: plans with revisions, expenses by form
//! and file, the analysis, and what a department head may and may not reach.

use crate::common;

use common::{expense_form, json, spawn_app, today, TestApp};
use northstar::access::Role;
use reqwest::Client;

fn overview_args(department: &str) -> Vec<(&'static str, String)> {
    vec![("year", String::new()), ("department", department.into())]
}

async fn set_budget(app: &TestApp, client: &Client, department: i64, category: i64, annual: &str, reason: &str) -> reqwest::Response {
    app.call(
        client,
        "/api/budgets/plan/set",
        &[
            ("year", String::new()),
            ("department", department.to_string()),
            ("category", category.to_string()),
            ("kind", "opex".into()),
            ("mode", "annual".into()),
            ("annual", annual.into()),
            ("reason", reason.into()),
        ],
    )
    .await
}

fn fields(body: &serde_json::Value) -> Vec<String> {
    body["fields"].as_array().map(|f| f.iter().map(|x| x["field"].as_str().unwrap().to_string()).collect()).unwrap_or_default()
}

async fn expense_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM expenses").fetch_one(&app.pool).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cto_plans_records_and_sees_budget_against_actual() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let (eng, cloud) = (app.department_id("Engineering").await, app.category_id("Cloud").await);
    assert_eq!(set_budget(&app, &cto, eng, cloud, "120000", "Approved plan").await.status(), 200);
    assert_eq!(set_budget(&app, &cto, eng, cloud, "132000", "Q3 reforecast").await.status(), 200);

    let plan = json(app.call(&cto, "/api/budgets/plan", &overview_args("")).await).await;
    let line = &plan["lines"][0];
    assert_eq!(line["original"], "$120,000.00");
    assert_eq!(line["current"], "$132,000.00");
    assert_eq!(line["months"][0], "$11,000");
    let reasons: Vec<&str> = line["revisions"].as_array().unwrap().iter().map(|r| r["reason"].as_str().unwrap()).collect();
    assert_eq!(reasons, ["Q3 reforecast", "Approved plan"], "both revisions kept, newest first");

    let res = app.call(&cto, "/api/budgets/expenses/save", &expense_form("", &today(), "1,250.50", &eng.to_string(), &cloud.to_string())).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let o = json(app.call(&cto, "/api/budgets/overview", &overview_args("")).await).await;
    assert_eq!(o["total"]["actual_ytd"], "$1,250.50");
    assert_eq!(o["total"]["plan_year"], "$132,000.00");
    assert_eq!(o["top_vendors"][0]["name"], "Acme Cloud");
    assert_eq!(o["by_department"].as_array().unwrap().len(), 1);
    for chart in ["burn_up", "monthly", "comparison"] {
        let svg = o[chart]["svg"].as_str().unwrap();
        assert!(svg.contains("<title") && svg.contains("<desc"), "{chart} is labelled");
        assert!(!o[chart]["rows"].as_array().unwrap().is_empty(), "{chart} has its data table");
    }

    // A correction changes the figures; a deletion removes them.
    let id: i64 = sqlx::query_scalar("SELECT id FROM expenses").fetch_one(&app.pool).await.unwrap();
    let res = app.call(&cto, "/api/budgets/expenses/save", &expense_form(&id.to_string(), &today(), "99", &eng.to_string(), &cloud.to_string())).await;
    assert_eq!(res.status(), 200);
    let o = json(app.call(&cto, "/api/budgets/overview", &overview_args("")).await).await;
    assert_eq!(o["total"]["actual_ytd"], "$99.00");
    assert_eq!(app.call(&cto, "/api/budgets/expenses/delete", &[("id", id.to_string())]).await.status(), 200);
    let o = json(app.call(&cto, "/api/budgets/overview", &overview_args("")).await).await;
    assert_eq!(o["total"]["actual_ytd"], "$0.00");
    assert_eq!(app.call(&cto, "/api/budgets/expenses/delete", &[("id", id.to_string())]).await.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_department_head_reaches_only_their_own_department() {
    let app = spawn_app().await;
    let head = app.client_as(Some(Role::DepartmentHead)).await; // Engineering
    let (eng, ops, cloud) = (app.department_id("Engineering").await, app.department_id("Operations").await, app.category_id("Cloud").await);
    let theirs = app.add_expense("Operations", "Cloud", &today(), 500_00).await;
    app.add_expense("Engineering", "Cloud", &today(), 200_00).await;

    let o = json(app.call(&head, "/api/budgets/overview", &overview_args("")).await).await;
    assert_eq!(o["department"], eng);
    assert_eq!(o["total"]["actual_ytd"], "$200.00", "Operations' spending is not counted");
    let names: Vec<&str> = o["departments"].as_array().unwrap().iter().map(|d| d["label"].as_str().unwrap()).collect();
    assert_eq!(names, ["Engineering"]);

    let other = ops.to_string();
    let missing = "999999".to_string();
    for dept in [&other, &missing] {
        assert_eq!(app.call(&head, "/api/budgets/overview", &overview_args(dept)).await.status(), 403, "overview of {dept}");
        assert_eq!(app.call(&head, "/api/budgets/plan", &overview_args(dept)).await.status(), 403, "plan of {dept}");
        let res = app.call(&head, "/api/budgets/expenses/save", &expense_form("", &today(), "10", dept, &cloud.to_string())).await;
        assert_eq!(res.status(), 403, "recording for {dept}");
        let export = head.get(app.url(&format!("/api/budgets/expenses/export.csv?department={dept}"))).send().await.unwrap();
        assert_eq!(export.status(), 403, "export of {dept}");
        let page = head.get(app.url(&format!("/budgets?department={dept}"))).send().await.unwrap();
        assert_eq!(page.status(), 403, "page of {dept}");
    }
    // Another department's expense and one that does not exist look the same.
    for id in [theirs, 999_999] {
        assert_eq!(app.call(&head, "/api/budgets/expenses/delete", &[("id", id.to_string())]).await.status(), 403);
        let res = app.call(&head, "/api/budgets/expenses/save", &expense_form(&id.to_string(), &today(), "1", &eng.to_string(), &cloud.to_string())).await;
        assert_eq!(res.status(), 403);
    }
    let amount: i64 = sqlx::query_scalar("SELECT amount_minor FROM expenses WHERE id = ?1").bind(theirs).fetch_one(&app.pool).await.unwrap();
    assert_eq!(amount, 500_00, "untouched");
    assert_eq!(set_budget(&app, &head, eng, cloud, "1000", "More").await.status(), 403, "budgets are the CTO's");

    // Their own department: recorded without naming it, listed, exported.
    let res = app.call(&head, "/api/budgets/expenses/save", &expense_form("", &today(), "10", "", &cloud.to_string())).await;
    assert_eq!(res.status(), 200);
    let list = json(app.call(&head, "/api/budgets/expenses", &list_args()).await).await;
    assert_eq!(list["matched"], 2);
    assert!(list["rows"].as_array().unwrap().iter().all(|r| r["department"] == "Engineering"));
    let csv = head.get(app.url("/api/budgets/expenses/export.csv")).send().await.unwrap().text().await.unwrap();
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(!csv.contains("Operations"));
}

fn list_args() -> Vec<(&'static str, String)> {
    ["query[year]", "query[department]", "query[category]", "query[kind]", "query[vendor]", "query[month]", "query[q]", "query[page]"].map(|k| (k, String::new())).to_vec()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_expenses_are_refused_at_their_fields_and_nothing_is_written() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let (eng, cloud) = (app.department_id("Engineering").await.to_string(), app.category_id("Cloud").await.to_string());
    let last_year = format!("{}-06-30", chrono::Utc::now().format("%Y").to_string().parse::<i32>().unwrap() - 1);
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).date_naive().to_string();
    let cases: [(&str, &str, &str, &str, &str); 8] = [
        ("-5", &today(), &eng, &cloud, "amount"),
        ("ten", &today(), &eng, &cloud, "amount"),
        ("1.234", &today(), &eng, &cloud, "amount"),
        ("99999999999999999999", &today(), &eng, &cloud, "amount"),
        ("10", &last_year, &eng, &cloud, "spent_on"),
        ("10", &tomorrow, &eng, &cloud, "spent_on"),
        ("10", &today(), "", &cloud, "department"),
        ("10", &today(), &eng, "424242", "category"),
    ];
    for (amount, date, dept, cat, field) in cases {
        let res = app.call(&cto, "/api/budgets/expenses/save", &expense_form("", date, amount, dept, cat)).await;
        assert_eq!(res.status(), 422, "{amount} {date} {dept} {cat}");
        let body = json(res).await;
        assert_eq!(fields(&body), [field], "{body}");
    }
    assert_eq!(expense_count(&app).await, 0);

    let res = set_budget(&app, &cto, 1, 1, "-100", "").await;
    let body = json(res).await;
    assert_eq!(fields(&body), ["annual", "reason"], "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expense_files_are_checked_whole_then_imported_whole() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let url = app.url("/api/budgets/expenses/import");
    let d = today();
    let bad = format!("date,amount,department,category,kind,vendor\n{d},10,Engineering,Cloud,opex,AWS\n{d},-4,Engineering,Cloud,opex,\n{d},5,Finance,Cloud,capex,\nnot-a-date,5,Operations,Telecom,opex,\n");
    let res = cto.post(&url).body(bad.clone()).send().await.unwrap();
    assert_eq!(res.status(), 422);
    let report = json(res).await;
    let errors: Vec<(u64, String)> = report["errors"].as_array().unwrap().iter().map(|e| (e["line"].as_u64().unwrap(), e["column"].as_str().unwrap().to_string())).collect();
    assert_eq!(errors, [(3, "amount".to_string()), (4, "department".to_string()), (5, "date".to_string())]);
    let res = cto.post(format!("{url}?commit=1")).body(bad).send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(expense_count(&app).await, 0, "a bad file stores nothing");

    let good = format!("date,amount,department,category,kind,vendor,description,invoice\n{d},10.50,Engineering,Cloud,opex,AWS,Bill,A-1\n{d},\"1,000\",Operations,Telecom,OPEX,Vodafone,,\n");
    let res = cto.post(&url).body(good.clone()).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let preview = json(res).await;
    assert_eq!((preview["rows"].as_u64(), preview["total"].as_str(), preview["imported"].as_bool()), (Some(2), Some("$1,010.50"), Some(false)));
    assert_eq!(preview["new_vendors"], serde_json::json!(["AWS", "Vodafone"]));
    assert_eq!(expense_count(&app).await, 0, "checking stores nothing");
    let res = cto.post(format!("{url}?commit=1")).body(good).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(json(res).await["imported"], true);
    assert_eq!(expense_count(&app).await, 2);

    // The export takes the list's filters and gives back the import's format.
    let ops = app.department_id("Operations").await;
    let csv = cto.get(app.url(&format!("/api/budgets/expenses/export.csv?department={ops}"))).send().await.unwrap().text().await.unwrap();
    assert_eq!(csv, format!("date,amount,department,category,kind,vendor,description,invoice,initiative,investment\n{d},1000.00,Operations,Telecom,opex,Vodafone,,,,\n"));

    let res = cto.post(&url).body("").send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert!(json(res).await["errors"][0]["message"].as_str().unwrap().contains("empty"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_guard_the_fiscal_calendar_and_thresholds() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let save = |m: &str, a: &str, r: &str| vec![("start_month", m.to_string()), ("amber_pct", a.to_string()), ("red_pct", r.to_string())];
    assert_eq!(app.call(&cto, "/api/budgets/settings/save", &save("4", "3", "8")).await.status(), 200);
    let body = json(app.call(&cto, "/api/budgets/settings/save", &save("13", "x", "2")).await).await;
    assert_eq!(fields(&body), ["start_month", "amber_pct"]);
    let body = json(app.call(&cto, "/api/budgets/settings/save", &save("4", "10", "5")).await).await;
    assert_eq!(fields(&body), ["red_pct"]);

    let (eng, cloud) = (app.department_id("Engineering").await, app.category_id("Cloud").await);
    assert_eq!(set_budget(&app, &cto, eng, cloud, "1200", "Plan").await.status(), 200);
    let body = json(app.call(&cto, "/api/budgets/settings/save", &save("1", "3", "8")).await).await;
    assert_eq!(fields(&body), ["start_month"], "locked once budgets exist");
    let s = json(app.call(&cto, "/api/budgets/settings", &[]).await).await;
    assert_eq!((s["start_month"].as_u64(), s["start_locked"].as_bool()), (Some(4), Some(true)));

    // A category in use cannot go; an unused one can.
    assert_eq!(app.call(&cto, "/api/budgets/categories/delete", &[("id", cloud.to_string())]).await.status(), 409);
    let travel = app.call(&cto, "/api/budgets/categories/save", &[("id", String::new()), ("name", "Travel".into())]).await;
    assert_eq!(travel.status(), 200);
    let dup = json(app.call(&cto, "/api/budgets/categories/save", &[("id", String::new()), ("name", "travel".into())]).await).await;
    assert_eq!(fields(&dup), ["name"]);
    let id = app.category_id("Travel").await;
    assert_eq!(app.call(&cto, "/api/budgets/categories/delete", &[("id", id.to_string())]).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contracts_due_within_ninety_days_are_listed_as_renewals() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let day = |n: i64| (chrono::Utc::now() + chrono::Duration::days(n)).date_naive().to_string();
    let contract = |vendor: &str, renews: String| {
        vec![
            ("id", String::new()),
            ("vendor", vendor.to_string()),
            ("name", "Licence".to_string()),
            ("owner", String::new()),
            ("department", String::new()),
            ("annual_value", "12000".to_string()),
            ("starts_on", day(-300)),
            ("ends_on", renews.clone()),
            ("renews_on", renews),
            ("notice_days", "30".to_string()),
        ]
    };
    assert_eq!(app.call(&cto, "/api/budgets/contracts/save", &contract("Soon Corp", day(40))).await.status(), 200);
    assert_eq!(app.call(&cto, "/api/budgets/contracts/save", &contract("Later Inc", day(200))).await.status(), 200);
    let v = json(app.call(&cto, "/api/budgets/vendors", &[]).await).await;
    let due: Vec<&str> = v["renewals"].as_array().unwrap().iter().map(|c| c["vendor"].as_str().unwrap()).collect();
    assert_eq!(due, ["Soon Corp"]);
    assert_eq!(v["renewals"][0]["notice_by"], day(10));
    assert_eq!(v["contracts"].as_array().unwrap().len(), 2);

    let mut bad = contract("Backwards", day(10));
    bad[6].1 = day(100); // starts after it ends and renews
    bad[5].1 = "-1".into();
    let body = json(app.call(&cto, "/api/budgets/contracts/save", &bad).await).await;
    assert_eq!(fields(&body), ["annual_value", "ends_on", "renews_on"], "{body}");
}

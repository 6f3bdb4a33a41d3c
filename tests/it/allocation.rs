//! Investment allocation: which category money counts under, the mix against the CTO's target,
//! who sees which department's, and the category form's checks.

use crate::common::{expense_form, json, spawn_app, today, TestApp};
use northstar::access::Role;
use reqwest::Client;

async fn investment(app: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM investment_categories WHERE name = ?1").bind(name).fetch_one(&app.pool).await.unwrap()
}

async fn allocation(app: &TestApp, client: &Client, department: &str) -> serde_json::Value {
    let res = app.call(client, "/api/strategy/allocation", &[("year", String::new()), ("department", department.into())]).await;
    assert_eq!(res.status(), 200);
    json(res).await
}

/// (actual, actual share, status) of the mix row named `name`.
fn row(a: &serde_json::Value, name: &str) -> (String, String, serde_json::Value) {
    let r = a["mix"].as_array().unwrap().iter().find(|r| r["name"] == name).unwrap_or_else(|| panic!("no row {name} in {a}"));
    (r["actual"].as_str().unwrap().into(), r["actual_share"].as_str().unwrap().into(), r["status"].clone())
}

fn fields(body: &serde_json::Value) -> Vec<(String, String)> {
    body["fields"].as_array().unwrap().iter().map(|f| (f["field"].as_str().unwrap().to_string(), f["message"].as_str().unwrap().to_string())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn money_counts_under_its_own_category_then_its_initiatives_then_its_lines() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let (eng, cloud) = (app.department_id("Engineering").await, app.category_id("Cloud").await);
    let (ktlo, security) = (investment(&app, "Keeping the lights on").await, investment(&app, "Security and compliance").await);
    let line = [
        ("year", String::new()),
        ("department", eng.to_string()),
        ("category", cloud.to_string()),
        ("kind", "opex".into()),
        ("investment", ktlo.to_string()),
        ("mode", "annual".into()),
        ("annual", "1200".into()),
        ("reason", "Approved plan".into()),
    ];
    assert_eq!(app.call(&cto, "/api/budgets/plan/set", &line).await.status(), 200);
    let mut own = expense_form("", &today(), "100", &eng.to_string(), &cloud.to_string());
    own.push(("investment", security.to_string()));
    assert_eq!(app.call(&cto, "/api/budgets/expenses/save", &own).await.status(), 200);
    let initiative = app.add_initiative("Payments cluster", "Engineering", None, (&today(), &today()), 0, &[]).await;
    let booked = app.add_expense("Engineering", "Cloud", &today(), 30_000).await;
    sqlx::query("UPDATE expenses SET initiative_id = ?1 WHERE id = ?2").bind(initiative).bind(booked).execute(&app.pool).await.unwrap();
    app.add_expense("Engineering", "Cloud", &today(), 50_000).await;
    app.add_expense("Operations", "Telecom", &today(), 20_000).await;

    let a = allocation(&app, &cto, "").await;
    assert_eq!(row(&a, "Security and compliance").0, "$100.00", "the expense's own category first");
    assert_eq!(row(&a, "New capabilities").0, "$300.00", "then its initiative's");
    assert_eq!(row(&a, "Keeping the lights on").0, "$500.00", "then its budget line's");
    assert_eq!(row(&a, "Unassigned").0, "$200.00", "and money with none is shown, not dropped");
    assert_eq!(row(&a, "Keeping the lights on").1, "45.5 %");
    assert_eq!(a["actual_total"], "$1,100.00");
    assert_eq!(a["planned_total"], "$1,200.00");
    let planned = a["mix"].as_array().unwrap().iter().find(|r| r["name"] == "Keeping the lights on").unwrap();
    assert_eq!((planned["planned"].as_str(), planned["planned_share"].as_str()), (Some("$1,200.00"), Some("100.0 %")));
    let departments: Vec<&str> = a["departments_mix"].as_array().unwrap().iter().map(|d| d["label"].as_str().unwrap()).collect();
    assert_eq!(departments, ["Engineering", "Operations"]);
    assert!(a["chart"]["svg"].as_str().unwrap().contains("role=\"img\""));

    // Moving the initiative to another category moves its money at once; deleting it leaves
    // its expenses to their line's category.
    sqlx::query("UPDATE initiatives SET category_id = ?1 WHERE id = ?2").bind(security).bind(initiative).execute(&app.pool).await.unwrap();
    assert_eq!(row(&allocation(&app, &cto, "").await, "Security and compliance").0, "$400.00");
    sqlx::query("DELETE FROM initiatives WHERE id = ?1").bind(initiative).execute(&app.pool).await.unwrap();
    let a = allocation(&app, &cto, "").await;
    assert_eq!(row(&a, "Keeping the lights on").0, "$800.00");
    assert_eq!(row(&a, "New capabilities").0, "$0.00");
    // A corrected expense is counted at its new amount.
    sqlx::query("UPDATE expenses SET amount_minor = 10000 WHERE id = ?1").bind(booked).execute(&app.pool).await.unwrap();
    assert_eq!(row(&allocation(&app, &cto, "").await, "Keeping the lights on").0, "$600.00");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_department_head_sees_their_own_departments_mix_only() {
    let app = spawn_app().await;
    app.add_expense("Engineering", "Cloud", &today(), 10_000).await;
    app.add_expense("Operations", "Telecom", &today(), 20_000).await;
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    let a = allocation(&app, &head, "").await;
    assert_eq!(a["department_name"], "Engineering");
    assert_eq!(a["actual_total"], "$100.00", "Operations' money is not in the head's figures");
    assert!(a["departments_mix"].as_array().unwrap().is_empty());
    assert!(a["settings"].is_null(), "the category form is the CTO's");
    let ops = app.department_id("Operations").await.to_string();
    let res = app.call(&head, "/api/strategy/allocation", &[("year", String::new()), ("department", ops)]).await;
    assert_eq!(res.status(), 403);
    let res = app.call(&head, "/api/strategy/categories/save", &[("name[0]", "Moonshots".into())]).await;
    assert_eq!(res.status(), 403);
    let investor = app.client_as(Some(Role::Investor)).await;
    let res = app.call(&investor, "/api/strategy/allocation", &[("year", String::new()), ("department", String::new())]).await;
    assert_eq!(res.status(), 403);
}

/// The categories form as it posts: every existing category, then the new row.
async fn categories_form(app: &TestApp, edit: &[(&str, &str, &str)], new: (&str, &str, &str)) -> Vec<(String, String)> {
    let known: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM investment_categories ORDER BY position").fetch_all(&app.pool).await.unwrap();
    let mut form = Vec::new();
    for (i, (id, name)) in known.iter().enumerate() {
        let (rule, pct) = edit.iter().find(|e| e.0 == name).map_or(("", ""), |e| (e.1, e.2));
        form.extend([(format!("id[{i}]"), id.to_string()), (format!("name[{i}]"), name.clone()), (format!("rule[{i}]"), rule.into()), (format!("pct[{i}]"), pct.into())]);
    }
    let i = known.len();
    form.extend([(format!("id[{i}]"), String::new()), (format!("name[{i}]"), new.0.into()), (format!("rule[{i}]"), new.1.into()), (format!("pct[{i}]"), new.2.into())]);
    form
}

async fn post(app: &TestApp, client: &Client, endpoint: &str, form: Vec<(String, String)>) -> reqwest::Response {
    let pairs: Vec<(&str, String)> = form.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    app.call(client, endpoint, &pairs).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_target_mix_is_checked_at_its_fields_and_judges_the_shares() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let before = app.audit_count().await;
    let bad = categories_form(&app, &[("New capabilities", "at_least", "140"), ("Technical debt", "", "10"), ("Keeping the lights on", "at_most", "")], ("technical DEBT", "", "")).await;
    let res = post(&app, &cto, "/api/strategy/categories/save", bad).await;
    assert_eq!(res.status(), 422);
    let got = fields(&json(res).await);
    let named: Vec<&str> = got.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(named, ["pct[0]", "pct[2]", "rule[3]", "name[5]"], "{got:?}");
    assert!(got[0].1.contains("whole percentage from 0 to 100"), "{got:?}");
    assert!(got[1].1.contains("Enter the target share"), "{got:?}");
    assert!(got[3].1.contains("listed twice"), "{got:?}");
    let floors = categories_form(&app, &[("New capabilities", "at_least", "70"), ("Technical debt", "at_least", "40")], ("", "", "")).await;
    let res = post(&app, &cto, "/api/strategy/categories/save", floors).await;
    assert_eq!(res.status(), 422);
    assert!(fields(&json(res).await)[0].1.contains("add up to 110 %"));
    let targets: i64 = sqlx::query_scalar("SELECT count(*) FROM investment_categories WHERE target_rule IS NOT NULL").fetch_one(&app.pool).await.unwrap();
    assert_eq!((targets, app.audit_count().await), (0, before), "a refused form writes nothing");

    let good = categories_form(&app, &[("New capabilities", "at_least", "60"), ("Keeping the lights on", "at_most", "20"), ("Technical debt", "at_least", "10")], ("Platform", "", "")).await;
    assert_eq!(post(&app, &cto, "/api/strategy/categories/save", good).await.status(), 200);
    assert_eq!(app.audit_count().await, before + 1);
    let (eng, cloud) = (app.department_id("Engineering").await, app.category_id("Cloud").await);
    for (name, amount) in [("New capabilities", 5_500), ("Keeping the lights on", 3_500), ("Technical debt", 1_000)] {
        let mut form = expense_form("", &today(), &amount.to_string(), &eng.to_string(), &cloud.to_string());
        form.push(("investment", investment(&app, name).await.to_string()));
        assert_eq!(app.call(&cto, "/api/budgets/expenses/save", &form).await.status(), 200);
    }
    let a = allocation(&app, &cto, "").await;
    assert_eq!(row(&a, "New capabilities").2, "Near", "55 % against at least 60 %: within a tenth");
    assert_eq!(row(&a, "Keeping the lights on").2, "Missed", "35 % against at most 20 %");
    assert_eq!(row(&a, "Technical debt").2, "Met");
    assert!(row(&a, "Platform").2.is_null(), "no target, no status");
    let settings = a["settings"].as_array().unwrap();
    assert_eq!(settings.last().unwrap()["name"], "Platform");

    // Only a category nothing carries can go.
    let used = investment(&app, "Technical debt").await;
    let res = app.call(&cto, "/api/strategy/categories/delete", &[("id", used.to_string())]).await;
    assert_eq!(res.status(), 409);
    let platform = investment(&app, "Platform").await;
    assert_eq!(app.call(&cto, "/api/strategy/categories/delete", &[("id", platform.to_string())]).await.status(), 200);
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM investment_categories").fetch_one(&app.pool).await.unwrap();
    assert_eq!(left, 5);

    // Two categories may swap names in one save; a name a category keeps may not be taken.
    let mut swap = categories_form(&app, &[], ("", "", "")).await;
    for (_, v) in swap.iter_mut() {
        *v = match v.as_str() { "Technical debt" => "Security and compliance".into(), "Security and compliance" => "Technical debt".into(), _ => v.clone() };
    }
    assert_eq!(post(&app, &cto, "/api/strategy/categories/save", swap).await.status(), 200);
    assert_eq!(investment(&app, "Security and compliance").await, used);
    let taken = vec![("id[0]".to_string(), String::new()), ("name[0]".to_string(), "new CAPABILITIES".to_string())];
    let res = post(&app, &cto, "/api/strategy/categories/save", taken).await;
    assert_eq!(res.status(), 422);
    assert!(fields(&json(res).await)[0].1.contains("already a category"));
}

//! Cloud cost from FOCUS files: a real-shaped export checked, stored, mapped by rules into
//! each department's Cloud actuals, imported again without doubling, and refused by line.

use crate::common::{json, spawn_app, TestApp};
use northstar::access::Role;
use reqwest::Client;

const SAMPLE: &str = include_str!("../fixtures/focus/aws-sample.csv");

async fn upload(app: &TestApp, client: &Client, body: &str, commit: bool) -> reqwest::Response {
    let url = app.url(&format!("/api/strategy/cloud/import?name=aws-sample.csv{}", if commit { "&commit=1" } else { "" }));
    client.post(url).header("content-type", "text/csv").body(body.to_string()).send().await.unwrap()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

/// Cloud expenses kept from the imports: (department, month, amount in cents).
async fn cloud_expenses(app: &TestApp) -> Vec<(String, i64, i64)> {
    sqlx::query_as(
        "SELECT d.name, e.month, e.amount_minor FROM expenses e JOIN departments d ON d.id = e.department_id
         JOIN budget_categories c ON c.id = e.category_id WHERE e.origin = 'cloud' AND c.name = 'Cloud' ORDER BY 1, 2",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

fn fields(body: &serde_json::Value) -> Vec<(String, String)> {
    body["fields"].as_array().map_or_else(Vec::new, |f| f.iter().map(|f| (f["field"].as_str().unwrap().to_string(), f["message"].as_str().unwrap().to_string())).collect())
}

async fn rule(app: &TestApp, cto: &Client, form: &[(&str, &str)]) -> reqwest::Response {
    let form: Vec<(&str, String)> = form.iter().map(|(k, v)| (*k, v.to_string())).collect();
    app.call(cto, "/api/strategy/cloud/rules/save", &form).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_focus_export_is_checked_stored_mapped_into_cloud_actuals_and_replaced_on_import_again() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;

    // Checking stores nothing; with no rules yet, all of it is unmapped.
    let res = upload(&app, &cto, SAMPLE, false).await;
    assert_eq!(res.status(), 200);
    let r = json(res).await;
    assert_eq!((r["rows"].as_u64(), r["lines"].as_u64(), r["imported"].as_bool()), (Some(18), Some(10), Some(false)));
    assert_eq!(r["period"], "Sep – Oct 2026");
    assert_eq!(r["providers"], serde_json::json!(["AWS"]));
    assert_eq!(r["billed"], "$5,295.16");
    assert_eq!(r["effective"], "$5,026.52", "the savings plan's fee is in the usage it covers");
    assert_eq!(r["unmatched"], "$5,026.52");
    assert_eq!(count(&app, "SELECT count(*) FROM cloud_costs").await, 0);

    let before = app.audit_count().await;
    let r = json(upload(&app, &cto, SAMPLE, true).await).await;
    assert_eq!(r["imported"], true);
    assert_eq!(app.audit_count().await, before + 1);
    assert_eq!(count(&app, "SELECT count(*) FROM cloud_costs").await, 10);
    assert!(cloud_expenses(&app).await.is_empty(), "unmapped cost is in nobody's actuals");

    // A rule by tag, then a line mapped from the page by its account.
    let eng = app.department_id("Engineering").await.to_string();
    let ops = app.department_id("Operations").await.to_string();
    let payments = app.add_system("payments", Some("Engineering")).await.to_string();
    let res = rule(&app, &cto, &[("match_on", "tag"), ("tag_key", "team"), ("value", "payments"), ("department", &eng), ("system", &payments)]).await;
    assert_eq!(res.status(), 200);
    let page = json(app.call(&cto, "/api/strategy/cloud", &[]).await).await;
    let unmatched = page["unmatched"].as_array().unwrap();
    assert_eq!(unmatched.len(), 3, "S3 of the data lake, CloudWatch and the savings plan fee: {unmatched:?}");
    let cloudwatch = unmatched.iter().find(|l| l["service"] == "AmazonCloudWatch").unwrap();
    assert_eq!(cloudwatch["account"], "111122223333 (management)");
    assert_eq!(cloudwatch["effective"], "$84.34");
    let line = cloudwatch["id"].as_i64().unwrap().to_string();
    let res = app.call(&cto, "/api/strategy/cloud/map", &[("line", line), ("by", "account".into()), ("department", ops.clone()), ("system", String::new()), ("investment", String::new())]).await;
    assert_eq!(res.status(), 200);
    let (sep, oct) = (202609, 202610);
    assert_eq!(
        cloud_expenses(&app).await,
        vec![
            ("Engineering".to_string(), sep, 131_569 + 84_500),
            ("Engineering".to_string(), oct, 131_569 + 84_500),
            ("Operations".to_string(), sep, 4_217),
            ("Operations".to_string(), oct, 4_217),
        ],
        "EC2 and RDS tagged payments; the management account's CloudWatch (its savings plan fee is amortized away)"
    );
    let page = json(app.call(&cto, "/api/strategy/cloud", &[]).await).await;
    assert_eq!(page["unmatched_total"], "$620.80", "the data lake's S3, two months");
    let rules = page["rules"].as_array().unwrap();
    assert_eq!(rules.iter().map(|r| r["matcher"].as_str().unwrap()).collect::<Vec<_>>(), ["tag team = payments", "account = 111122223333"]);
    assert_eq!(rules[0]["matched"], "$4,321.38");
    assert_eq!(rules[0]["system"], "System payments");
    assert_eq!(page["months"].as_array().unwrap().len(), 2);

    // The same months again replace what is there: nothing counts twice.
    let r = json(upload(&app, &cto, SAMPLE, true).await).await;
    assert_eq!(r["replaces"], serde_json::json!(["AWS, Sep 2026", "AWS, Oct 2026"]));
    assert_eq!(r["unmatched"], "$620.80", "the rules apply to a new import at once");
    assert_eq!(count(&app, "SELECT count(*) FROM cloud_costs").await, 10);
    assert_eq!(count(&app, "SELECT count(*) FROM cloud_imports").await, 1, "the replaced import is gone with its lines");
    assert_eq!(cloud_expenses(&app).await.iter().map(|e| e.2).sum::<i64>(), 2 * (216_069 + 4_217));

    // Kept expenses are changed through their source, not the expense form.
    let id: i64 = sqlx::query_scalar("SELECT id FROM expenses WHERE origin = 'cloud' LIMIT 1").fetch_one(&app.pool).await.unwrap();
    let res = app.call(&cto, "/api/budgets/expenses/delete", &[("id", id.to_string())]).await;
    assert_eq!(res.status(), 409);
    assert!(json(res).await["message"].as_str().unwrap().contains("FOCUS imports"));

    // Removing a rule sends its cost back to unmapped, and out of the actuals.
    let first = rules[0]["id"].as_i64().unwrap().to_string();
    assert_eq!(app.call(&cto, "/api/strategy/cloud/rules/delete", &[("id", first)]).await.status(), 200);
    assert_eq!(cloud_expenses(&app).await.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(), ["Operations", "Operations"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_file_is_refused_by_line_and_stores_nothing() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let mut bad = SAMPLE.to_string();
    bad = bad.replacen(",USD,", ",EUR,", 1);
    bad.push_str(&SAMPLE.lines().nth(3).unwrap().replace("2026-09-05T00:00:00Z", "yesterday"));
    bad.push('\n');
    let before = app.audit_count().await;
    let res = upload(&app, &cto, &bad, true).await;
    assert_eq!(res.status(), 422);
    let r = json(res).await;
    let errors: Vec<(u64, &str)> = r["errors"].as_array().unwrap().iter().map(|e| (e["line"].as_u64().unwrap(), e["column"].as_str().unwrap())).collect();
    assert_eq!(errors, [(2, "BillingCurrency"), (20, "ChargePeriodStart")]);
    assert_eq!(r["imported"], false);
    assert_eq!(count(&app, "SELECT count(*) FROM cloud_imports").await, 0);
    assert_eq!(count(&app, "SELECT count(*) FROM cloud_costs").await, 0);
    assert_eq!(app.audit_count().await, before);
    let res = upload(&app, &cto, "date,amount\n2026-10-01,5\n", true).await;
    assert_eq!(res.status(), 422);
    assert!(json(res).await["errors"][0]["message"].as_str().unwrap().contains("not a FOCUS cost export"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_are_checked_at_their_fields_and_a_refused_rule_writes_nothing() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let before = app.audit_count().await;
    let res = rule(&app, &cto, &[("match_on", "colour"), ("value", ""), ("department", "")]).await;
    assert_eq!(res.status(), 422);
    let f = fields(&json(res).await);
    assert_eq!(f.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["match_on", "value", "department"]);
    let eng = app.department_id("Engineering").await.to_string();
    let res = rule(&app, &cto, &[("match_on", "tag"), ("tag_key", " "), ("value", "core"), ("department", &eng), ("priority", "first"), ("system", "999"), ("investment", "x")]).await;
    let f = fields(&json(res).await);
    assert_eq!(f.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["tag_key", "priority", "system", "investment"], "{f:?}");
    assert!(f[1].1.contains("lower numbers are tried first"));
    assert_eq!(count(&app, "SELECT count(*) FROM cloud_rules").await, 0);
    assert_eq!(app.audit_count().await, before);

    // Mapping needs a line that exists and one of its own attributes.
    json(upload(&app, &cto, SAMPLE, true).await).await;
    let line: i64 = sqlx::query_scalar("SELECT id FROM cloud_costs WHERE service = 'Amazon Simple Storage Service' LIMIT 1").fetch_one(&app.pool).await.unwrap();
    let map = |line: String, by: &str| vec![("line", line), ("by", by.to_string()), ("department", eng.clone()), ("system", String::new()), ("investment", String::new())];
    let res = app.call(&cto, "/api/strategy/cloud/map", &map(line.to_string(), "tag:owner")).await;
    assert_eq!(res.status(), 422);
    assert_eq!(fields(&json(res).await)[0].0, "by");
    assert_eq!(app.call(&cto, "/api/strategy/cloud/map", &map("999999".into(), "service")).await.status(), 404);
    let res = app.call(&cto, "/api/strategy/cloud/map", &map(line.to_string(), "tag:team")).await;
    assert_eq!(res.status(), 200);
    let saved: (String, String, String) = sqlx::query_as("SELECT match_on, tag_key, match_value FROM cloud_rules").fetch_one(&app.pool).await.unwrap();
    assert_eq!(saved, ("tag".into(), "team".into(), "data".into()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn department_heads_and_investors_cannot_import_or_map() {
    let app = spawn_app().await;
    for role in [Role::DepartmentHead, Role::Investor] {
        let client = app.client_as(Some(role)).await;
        assert_eq!(upload(&app, &client, SAMPLE, true).await.status(), 403, "{role:?}");
        assert_eq!(app.call(&client, "/api/strategy/cloud", &[]).await.status(), 403);
    }
    assert_eq!(count(&app, "SELECT count(*) FROM cloud_costs").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_system_costs_its_cloud_its_contracts_and_the_time_spent_on_it_for_its_department_and_the_cto() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let payments = app.add_system("payments", Some("Engineering")).await;
    let eng = app.department_id("Engineering").await.to_string();
    json(upload(&app, &cto, SAMPLE, true).await).await;
    let res = rule(&app, &cto, &[("match_on", "tag"), ("tag_key", "team"), ("value", "payments"), ("department", &eng), ("system", &payments.to_string())]).await;
    assert_eq!(res.status(), 200);

    // A contract for it, through the form: $36,500 a year is $100 a day.
    let contract = [
        ("id", ""),
        ("vendor", "PayGate"),
        ("name", "Payment gateway"),
        ("owner", ""),
        ("department", ""),
        ("system", &payments.to_string()),
        ("annual_value", "36500"),
        ("starts_on", "2026-01-01"),
        ("ends_on", "2027-12-31"),
        ("renews_on", ""),
        ("notice_days", "30"),
    ];
    let form: Vec<(&str, String)> = contract.iter().map(|(k, v)| (*k, v.to_string())).collect();
    assert_eq!(app.call(&cto, "/api/budgets/contracts/save", &form).await.status(), 200);
    let mut bad = form.clone();
    bad[5].1 = "999999".into();
    let res = app.call(&cto, "/api/budgets/contracts/save", &bad).await;
    assert_eq!(res.status(), 422);
    assert_eq!(fields(&json(res).await)[0].0, "system");

    // A team of two at $10,000 spends half of September on an initiative touching it and one
    // other system: a quarter of its cost is this system's.
    let other = app.add_system("ledger", Some("Engineering")).await;
    let initiative = app.add_initiative("Payments v2", "Engineering", None, ("2026-08-01", "2027-03-01"), 0, &[]).await;
    sqlx::query("INSERT INTO initiative_systems (initiative_id, system_id) VALUES (?1, ?2), (?1, ?3)").bind(initiative).bind(payments).bind(other).execute(&app.pool).await.unwrap();
    let team: i64 = sqlx::query_scalar("INSERT INTO teams (name, department_id, created_at) VALUES ('Payments squad', ?1, 0) RETURNING id").bind(app.department_id("Engineering").await).fetch_one(&app.pool).await.unwrap();
    sqlx::query("INSERT INTO team_role_sets (team_id, from_month) VALUES (?1, 202601)").bind(team).execute(&app.pool).await.unwrap();
    sqlx::query("INSERT INTO team_roles (team_id, from_month, role, headcount, monthly_cost_minor) VALUES (?1, 202601, 'Engineer', 2, 1000000)").bind(team).execute(&app.pool).await.unwrap();
    sqlx::query("INSERT INTO time_allocations (team_id, month, initiative_id, pct) VALUES (?1, 202609, ?2, 50)").bind(team).bind(initiative).execute(&app.pool).await.unwrap();

    let detail = |client: Client| {
        let app = &app;
        async move { json(app.call(&client, "/api/infra/system", &[("id", payments.to_string()), ("range", "24h".into())]).await).await }
    };
    let d = detail(cto.clone()).await;
    let sep = d["cost"]["months"].as_array().unwrap().iter().find(|m| m["month"] == "Sep 2026").cloned().unwrap_or_else(|| panic!("{}", d["cost"]));
    assert_eq!(sep["cloud"], "$2,160.69", "EC2 and RDS tagged payments, effective");
    assert_eq!(sep["contracts"], "$3,000.00", "thirty days at $100");
    assert_eq!(sep["people"], "$5,000.00", "$20,000 × 50 % / 2 systems");
    assert_eq!(sep["total"], "$10,160.69");
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    assert_eq!(detail(head).await["cost"]["months"].as_array().map(Vec::len), Some(12), "the head of Engineering sees their system's cost");
    let other_dept = app.add_system("ops-thing", Some("Operations")).await;
    let d = json(app.call(&app.client_as(Some(Role::DepartmentHead)).await, "/api/infra/system", &[("id", other_dept.to_string()), ("range", "24h".into())]).await).await;
    assert!(d["cost"].is_null(), "another department's system shows no cost to a head: {}", d["cost"]);
}

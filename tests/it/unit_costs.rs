//! Unit economics: a cost per unit is worked out for each completed month from spending and
//! the KPI it divides by, kept current when either changes, refused by hand, and defined only
//! by the CTO with every bad field named.

use crate::common::{json, spawn_app, TestApp};
use chrono::{Datelike, Months, NaiveDate};
use northstar::access::Role;
use northstar::platform::changes::Changed;
use reqwest::Client;
use std::time::Duration;

/// The first day of the month `back` months before this one.
fn month_start(back: u32) -> NaiveDate {
    let today = chrono::Utc::now().date_naive();
    today.with_day(1).unwrap() - Months::new(back)
}

fn code(day: NaiveDate) -> i64 {
    i64::from(day.year()) * 100 + i64::from(day.month())
}

async fn measure(app: &TestApp, cto: &Client, key: &str, day: NaiveDate, value: &str) {
    let when = format!("{day}T12:00:00Z");
    let res = app.call(cto, "/api/kpis/measurements/add", &[("key", key.into()), ("timestamp", when), ("value", value.into()), ("note", String::new())]).await;
    assert_eq!(res.status(), 200, "{key} at {day}");
}

/// The cost per unit's stored values, oldest first: (month code, value in cents, note).
async fn values(app: &TestApp, key: &str) -> Vec<(i64, f64, String)> {
    let rows: Vec<(i64, f64, Option<String>)> =
        sqlx::query_as("SELECT m.ts, m.value, m.note FROM measurements m JOIN kpis k ON k.id = m.kpi_id WHERE k.key = ?1 ORDER BY m.ts").bind(key).fetch_all(&app.pool).await.unwrap();
    rows.into_iter().map(|(ts, v, note)| (code(chrono::DateTime::from_timestamp(ts, 0).unwrap().date_naive()), v, note.unwrap_or_default())).collect()
}

/// Waits for the worker to write `want` for `month`.
async fn eventually(app: &TestApp, key: &str, month: i64, want: f64) {
    for _ in 0..100 {
        if values(app, key).await.iter().any(|(m, v, _)| *m == month && *v == want) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{key} never reached {want} for {month}: {:?}", values(app, key).await);
}

fn fields(body: &serde_json::Value) -> Vec<String> {
    body["fields"].as_array().map_or_else(Vec::new, |f| f.iter().map(|f| f["field"].as_str().unwrap().to_string()).collect())
}

fn form(name: &str, basis: &str, per: i64, target: (&str, &str, &str)) -> Vec<(&'static str, String)> {
    vec![
        ("kpi", String::new()),
        ("name", name.into()),
        ("basis", basis.into()),
        ("system", String::new()),
        ("per", per.to_string()),
        ("per_units", "1".into()),
        ("target", target.0.into()),
        ("amber", target.1.into()),
        ("red", target.2.into()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cost_per_customer_is_worked_out_for_each_completed_month_and_kept_current() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let customers = app.add_kpi("customers", None, "count", "higher", "last", None).await;
    let (older, last, this) = (month_start(2), month_start(1), month_start(0));
    app.add_expense("Engineering", "Cloud", &older.with_day(10).unwrap().to_string(), 120_000_00).await;
    app.add_expense("Operations", "Software and SaaS", &last.with_day(5).unwrap().to_string(), 100_000_00).await;
    app.add_expense("Engineering", "Cloud", &last.with_day(20).unwrap().to_string(), 200_000_00).await;
    // The month under way has no value yet, whatever it has spent.
    app.add_expense("Engineering", "Cloud", &this.to_string(), 999_00).await;
    measure(&app, &cto, "customers", older.with_day(3).unwrap(), "1000").await;
    measure(&app, &cto, "customers", older.with_day(25).unwrap(), "1200").await;
    measure(&app, &cto, "customers", last.with_day(25).unwrap(), "1500").await;

    let before = app.audit_count().await;
    let res = app.call(&cto, "/api/strategy/unit-economics/save", &form("Technology cost per customer", "technology", customers, ("200.00", "250.00", "300.00"))).await;
    assert_eq!(res.status(), 200);
    assert_eq!(json(res).await, "technology-cost-per-customer");
    assert_eq!(app.audit_count().await, before + 2, "the KPI created, and the cost per unit defined");
    let key = "technology-cost-per-customer";
    let stored = values(&app, key).await;
    assert_eq!(stored.iter().map(|(m, v, _)| (*m, *v)).collect::<Vec<_>>(), [(code(older), 100_00.0), (code(last), 200_00.0)], "$120,000 / 1,200 (the month's last value); $300,000 / 1,500");
    assert!(stored[1].2.ends_with(": $300,000.00 of technology spending / 1,500 KPI customers"), "{}", stored[1].2);

    let page = json(app.call(&cto, "/api/strategy/unit-economics", &[]).await).await;
    let c = &page["costs"][0];
    assert_eq!((c["name"].as_str(), c["value"].as_str(), c["rag"].as_str(), c["target"].as_str()), (Some("Technology cost per customer"), Some("$200.00"), Some("Green"), Some("$200.00")));
    assert_eq!(c["units"], "KPI customers");
    assert_eq!((c["months"][0]["cost"].as_str(), c["months"][0]["units"].as_str(), c["months"][0]["per_unit"].as_str()), (Some("$300,000.00"), Some("1,500"), Some("$200.00")));
    assert_eq!(c["months"].as_array().unwrap().len(), 12);
    assert_eq!(c["months"][2]["per_unit"], "—", "a month without spending has no value");

    // Nobody types it in: not by hand, not by CSV, not by the API.
    let by_hand = app.call(&cto, "/api/kpis/measurements/add", &[("key", key.into()), ("timestamp", format!("{last}T12:00:00Z")), ("value", "1".into()), ("note", String::new())]).await;
    assert_eq!(by_hand.status(), 409);
    assert!(json(by_hand).await["message"].as_str().unwrap().contains("cost per unit that Northstar computes"));
    assert_eq!(app.upload_csv(&cto, key, "timestamp,value\n2026-01-01,1\n").await.status(), 409);
    let token = app.api_token("CI").await;
    let api = app.client().post(app.url(&format!("/api/v1/kpis/{key}/measurements"))).bearer_auth(&token).json(&serde_json::json!({"timestamp": format!("{last}T12:00:00Z"), "value": 1})).send().await.unwrap();
    assert_eq!(api.status(), 409);
    assert_eq!(values(&app, key).await.len(), 2);

    // More spending last month: the worker works it out again once told.
    app.add_expense("Operations", "Software and SaaS", &last.with_day(28).unwrap().to_string(), 75_000_00).await;
    app.state.changes.tell(Changed::Budget(None));
    eventually(&app, key, code(last), 250_00.0).await;
    // More customers: the denominator's own news is enough.
    measure(&app, &cto, "customers", last.with_day(28).unwrap(), "3000").await;
    eventually(&app, key, code(last), 125_00.0).await;
    let page = json(app.call(&cto, "/api/strategy/unit-economics", &[]).await).await;
    assert_eq!(page["costs"][0]["value"], "$125.00");

    // Divided by cloud cost instead: nothing imported, so no values.
    let change = [("kpi", key.to_string()), ("basis", "cloud".into()), ("system", String::new()), ("per", customers.to_string()), ("per_units", "1000".into())];
    assert_eq!(app.call(&cto, "/api/strategy/unit-economics/save", &change).await.status(), 200);
    assert!(values(&app, key).await.is_empty());
    let page = json(app.call(&cto, "/api/strategy/unit-economics", &[]).await).await;
    assert_eq!(page["costs"][0]["per"], "÷ KPI customers (last value in the month), per 1,000");

    // Removing the denominator releases the cost per unit: a plain KPI again, with its history.
    assert_eq!(app.call(&cto, "/api/kpis/delete", &[("key", "customers".into())]).await.status(), 200);
    let kept: Option<String> = sqlx::query_scalar("SELECT kept_by FROM kpis WHERE key = ?1").bind(key).fetch_one(&app.pool).await.unwrap();
    assert_eq!(kept, None);
    let page = json(app.call(&cto, "/api/strategy/unit-economics", &[]).await).await;
    assert!(page["costs"].as_array().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_definitions_are_refused_at_their_fields_and_only_the_cto_defines_one() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let customers = app.add_kpi("customers", None, "count", "higher", "last", None).await;
    let kpis = || async { sqlx::query_scalar::<_, i64>("SELECT count(*) FROM kpis").fetch_one(&app.pool).await.unwrap() };
    let start = kpis().await;
    let refused = async |form: &[(&'static str, String)]| {
        let res = app.call(&cto, "/api/strategy/unit-economics/save", form).await;
        assert_eq!(res.status(), 422, "{form:?}");
        fields(&json(res).await)
    };

    let mut f = form("", "gold", customers, ("", "", ""));
    f[4].1 = String::new();
    f[5].1 = "7".into();
    assert_eq!(refused(&f).await, ["basis", "per", "per_units", "name"]);
    assert_eq!(refused(&form("Per customer", "system", customers, ("", "", ""))).await, ["system"]);
    assert_eq!(refused(&form("€ / ¥", "cloud", customers, ("", "", ""))).await, ["name"]);
    assert_eq!(refused(&form("Per customer", "cloud", customers, ("3.00", "2.00", "1.00"))).await, ["amber"], "lower is better: amber above the target");
    assert_eq!(refused(&form("Customers", "cloud", customers, ("", "", ""))).await, ["name"], "the key customers is taken");
    assert_eq!(kpis().await, start, "nothing half-written");

    assert_eq!(app.call(&cto, "/api/strategy/unit-economics/save", &form("Cloud cost per customer", "cloud", customers, ("", "", ""))).await.status(), 200);
    let kept = sqlx::query_scalar::<_, i64>("SELECT id FROM kpis WHERE key = 'cloud-cost-per-customer'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(refused(&form("Cost per cost", "cloud", kept, ("", "", ""))).await, ["per"], "a cost per unit divides by a business KPI, not another cost per unit");
    let itself = [("kpi", "cloud-cost-per-customer".to_string()), ("basis", "cloud".into()), ("system", String::new()), ("per", kept.to_string()), ("per_units", "1".into())];
    assert_eq!(refused(&itself).await, ["per"]);
    let unknown = [("kpi", "customers".to_string()), ("basis", "cloud".into()), ("system", String::new()), ("per", customers.to_string()), ("per_units", "1".into())];
    assert_eq!(app.call(&cto, "/api/strategy/unit-economics/save", &unknown).await.status(), 404, "customers is not a cost per unit");
    // Its unit stays money, whatever the KPI editor sends.
    let edit = [
        ("original_key", "cloud-cost-per-customer".to_string()),
        ("key", "cloud-cost-per-customer".into()),
        ("name", "Cloud cost per customer".into()),
        ("description", String::new()),
        ("formula", String::new()),
        ("category", "cost".into()),
        ("unit", "count".into()),
        ("direction", "lower".into()),
        ("aggregation", "last".into()),
        ("computed", String::new()),
        ("owner", String::new()),
        ("department", String::new()),
    ];
    let res = app.call(&cto, "/api/kpis/save", &edit).await;
    assert_eq!(res.status(), 422);
    assert_eq!(fields(&json(res).await), ["unit"]);

    for role in [Role::DepartmentHead, Role::Investor] {
        let other = app.client_as(Some(role)).await;
        assert_eq!(app.call(&other, "/api/strategy/unit-economics", &[]).await.status(), 403, "{role:?}");
        assert_eq!(app.call(&other, "/api/strategy/unit-economics/save", &form("Mine", "cloud", customers, ("", "", ""))).await.status(), 403, "{role:?}");
        assert_eq!(app.call(&other, "/api/strategy/unit-economics/delete", &[("key", "cloud-cost-per-customer".into())]).await.status(), 403, "{role:?}");
    }
    // A department head reads the KPI itself like any company-wide one, and cannot record it.
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    let detail = app.call(&head, "/api/kpis/detail", &[("key", "cloud-cost-per-customer".into()), ("window", "30d".into()), ("range", "90d".into())]).await;
    assert_eq!(detail.status(), 200);
    assert_eq!(json(detail).await["can_record"], false);

    assert_eq!(app.call(&cto, "/api/strategy/unit-economics/delete", &[("key", "customers".into())]).await.status(), 404, "only a cost per unit is removed here");
    assert_eq!(app.call(&cto, "/api/strategy/unit-economics/delete", &[("key", "cloud-cost-per-customer".into())]).await.status(), 200);
    assert_eq!(sqlx::query_scalar::<_, i64>("SELECT count(*) FROM unit_costs").fetch_one(&app.pool).await.unwrap(), 0);
    assert_eq!(kpis().await, start);
}

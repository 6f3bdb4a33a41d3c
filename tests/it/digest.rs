//! The strategy in a few figures: the cockpit's panel in each reader's scope, and an investor
//! report's strategy section holding only what the CTO marked for investors.

use crate::common::{json, spawn_app, TestApp};
use chrono::{Duration, Utc};
use northstar::access::Role;
use northstar::report::build::{snapshot, Period};
use reqwest::Client;

fn day(offset: i64) -> String {
    (Utc::now().date_naive() + Duration::days(offset)).to_string()
}

async fn objective(app: &TestApp, cto: &Client, title: &str, kpis: &[(&str, &str)], investors: bool) -> i64 {
    let mut form = vec![("id", String::new()), ("title", title.to_string()), ("description", String::new()), ("owner", String::new()), ("starts", day(-100)), ("ends", day(100))];
    let names = [("kpi[0]", "kpi_target[0]"), ("kpi[1]", "kpi_target[1]")];
    for ((k, t), (kn, tn)) in kpis.iter().zip(names) {
        form.extend([(kn, k.to_string()), (tn, t.to_string())]);
    }
    if investors {
        form.push(("investor_visible", "on".into()));
    }
    let res = app.call(cto, "/api/strategy/objectives/save", &form).await;
    assert_eq!(res.status(), 200);
    json(res).await.as_i64().unwrap()
}

/// Two objectives (one marked for investors), an Engineering initiative with a milestone three
/// weeks late under the marked one, an Operations one on track under the other, and an
/// expense under a category with a target.
async fn company(app: &TestApp, cto: &Client) {
    app.add_kpi("availability", None, "percent", "higher", "mean", Some((99.9, 99.9, 99.5))).await;
    app.add_kpi("eng-latency", Some("Engineering"), "ms", "lower", "mean", Some((250.0, 300.0, 400.0))).await;
    sqlx::query("UPDATE kpis SET investor_visible = 1 WHERE key = 'availability'").execute(&app.pool).await.unwrap();
    let shown = objective(app, cto, "Win the enterprise segment", &[("availability", "99.95"), ("eng-latency", "200")], true).await;
    let hidden = objective(app, cto, "Cut support tickets", &[], false).await;
    app.add_initiative("Second region", "Engineering", Some(shown), (&day(-90), &day(60)), 0, &[("Region live", &day(-21), None)]).await;
    app.add_initiative("Runbook rewrite", "Operations", Some(hidden), (&day(-30), &day(60)), 0, &[("Drafts", &day(-5), Some(&day(-6)))]).await;
    let res = app
        .call(cto, "/api/budgets/expenses/save", &[
            ("id", String::new()),
            ("year", String::new()),
            ("spent_on", day(0)),
            ("amount", "1000".into()),
            ("department", app.department_id("Engineering").await.to_string()),
            ("category", sqlx::query_scalar::<_, i64>("SELECT id FROM budget_categories ORDER BY id LIMIT 1").fetch_one(&app.pool).await.unwrap().to_string()),
            ("kind", "opex".into()),
            ("vendor", "AWS".into()),
            ("description", String::new()),
            ("invoice_ref", String::new()),
            ("initiative", String::new()),
            ("investment", sqlx::query_scalar::<_, i64>("SELECT id FROM investment_categories WHERE name = 'Keeping the lights on'").fetch_one(&app.pool).await.unwrap().to_string()),
        ])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    sqlx::query("UPDATE investment_categories SET target_rule = 'at_most', target_pct = 20 WHERE name = 'Keeping the lights on'").execute(&app.pool).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cockpit_shows_each_reader_the_strategy_in_their_scope() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    company(&app, &cto).await;

    let d = json(app.call(&cto, "/api/strategy/digest", &[]).await).await;
    assert_eq!(d["objectives"].as_array().unwrap().len(), 2);
    let (on, risk, off) = (d["counts"][0].as_u64().unwrap(), d["counts"][1].as_u64().unwrap(), d["counts"][2].as_u64().unwrap());
    assert_eq!(on + risk + off, 2);
    assert_eq!(d["attention"][0]["title"], "Second region", "the late milestone puts it first");
    assert!(d["attention"][0]["why"].as_str().unwrap().contains("late"), "{}", d["attention"][0]);
    let ktlo = d["mix"]["rows"].as_array().unwrap().iter().find(|r| r["name"] == "Keeping the lights on").unwrap().clone();
    assert_eq!((ktlo["share"].as_str(), ktlo["target"].as_str(), ktlo["status"].as_str()), (Some("100.0 %"), Some("at most 20 %"), Some("Missed")));

    // The Engineering head: their department's initiative only, and no other department's KPI.
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    let d = json(app.call(&head, "/api/strategy/digest", &[]).await).await;
    let titles: Vec<&str> = d["objectives"].as_array().unwrap().iter().flat_map(|o| o["initiatives"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap())).collect();
    assert_eq!(titles, ["Second region"]);
    let investor = app.client_as(Some(Role::Investor)).await;
    assert_eq!(app.call(&investor, "/api/strategy/digest", &[]).await.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_investor_report_holds_only_the_strategy_marked_for_investors() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    company(&app, &cto).await;
    let read = || async {
        let mut db = app.pool.acquire().await.unwrap();
        let today = Utc::now().date_naive();
        let period = Period::parse(&today.format("%Y-%m").to_string(), today).unwrap();
        snapshot(&mut db, "Update", &period, &Default::default(), northstar::platform::money::Currency::usd(), Utc::now().timestamp()).await.unwrap().strategy
    };

    let s = read().await;
    let titles: Vec<&str> = s.objectives.iter().map(|o| o.title.as_str()).collect();
    assert_eq!(titles, ["Win the enterprise segment"], "the unmarked objective stays out");
    let o = &s.objectives[0];
    assert_eq!(o.kpis.iter().map(|k| k.key.as_str()).collect::<Vec<_>>(), ["availability"], "only the KPIs marked themselves");
    assert_eq!(o.initiatives.iter().map(|i| i.title.as_str()).collect::<Vec<_>>(), ["Second region"]);
    assert!(o.initiatives[0].health.is_some());
    assert!(!o.initiatives[0].why.contains("department"), "an investor is not told of departments: {}", o.initiatives[0].why);
    assert!(s.mix.is_none(), "the mix is not shown until the CTO marks it");

    // Marked on the allocation page's categories form.
    let cats: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM investment_categories ORDER BY position").fetch_all(&app.pool).await.unwrap();
    let mut form: Vec<(&str, String)> = vec![("back", String::new()), ("investors_see_mix", "on".into())];
    let names: Vec<(String, String, String, String)> = (0..cats.len()).map(|i| (format!("id[{i}]"), format!("name[{i}]"), format!("rule[{i}]"), format!("pct[{i}]"))).collect();
    for ((id, name), (fi, fname, frule, fpct)) in cats.iter().zip(&names) {
        let (rule, pct) = if name == "Keeping the lights on" { ("at_most", "20") } else { ("", "") };
        form.extend([(fi.as_str(), id.to_string()), (fname.as_str(), name.clone()), (frule.as_str(), rule.to_string()), (fpct.as_str(), pct.to_string())]);
    }
    let res = app.call(&cto, "/api/strategy/categories/save", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let s = read().await;
    let mix = s.mix.expect("marked");
    let ktlo = mix.rows.iter().find(|r| r.name == "Keeping the lights on").unwrap();
    assert_eq!((ktlo.actual.as_str(), ktlo.share.as_str(), ktlo.target.as_str()), ("$1,000.00", "100.0 %", "at most 20 %"));
}

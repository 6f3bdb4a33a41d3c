//! Teams, time allocation and the capitalization report: the arithmetic as a user reads it,
//! each form's checks at their fields, closed months that never move, and who may see what.

use crate::common::{json, spawn_app, TestApp};
use northstar::access::Role;
use northstar::budget::model::Month;
use northstar::strategy::capex::capitalizable;
use reqwest::Client;

pub(crate) fn months_back(n: u32) -> Month {
    let mut m = Month::of(chrono::Utc::now().date_naive());
    for _ in 0..n {
        m = m.prev();
    }
    m
}

fn fields(body: &serde_json::Value) -> Vec<(String, String)> {
    body["fields"].as_array().map_or_else(Vec::new, |f| f.iter().map(|f| (f["field"].as_str().unwrap().to_string(), f["message"].as_str().unwrap().to_string())).collect())
}

pub(crate) async fn post(app: &TestApp, client: &Client, endpoint: &str, form: &[(String, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, String)> = form.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    app.call(client, endpoint, &pairs).await
}

pub(crate) async fn add_team(app: &TestApp, client: &Client, name: &str, department: &str) -> i64 {
    let dept = app.department_id(department).await.to_string();
    let res = app.call(client, "/api/strategy/teams/save", &[("id", String::new()), ("name", name.into()), ("department", dept)]).await;
    assert_eq!(res.status(), 200);
    json(res).await.as_i64().unwrap()
}

pub(crate) fn roles_form(team: i64, from: &str, rows: &[(&str, &str, &str)]) -> Vec<(String, String)> {
    let mut form = vec![("team".to_string(), team.to_string()), ("from".to_string(), from.to_string())];
    for (i, (role, headcount, cost)) in rows.iter().enumerate() {
        form.extend([(format!("role[{i}]"), role.to_string()), (format!("headcount[{i}]"), headcount.to_string()), (format!("cost[{i}]"), cost.to_string())]);
    }
    form
}

pub(crate) fn shares_form(team: i64, month: &str, rows: &[(String, &str)]) -> Vec<(String, String)> {
    let mut form = vec![("team".to_string(), team.to_string()), ("month".to_string(), month.to_string())];
    for (i, (key, pct)) in rows.iter().enumerate() {
        form.extend([(format!("key[{i}]"), key.clone()), (format!("pct[{i}]"), pct.to_string())]);
    }
    form
}

pub(crate) async fn category(app: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM investment_categories WHERE name = ?1").bind(name).fetch_one(&app.pool).await.unwrap()
}

async fn report(app: &TestApp, client: &Client, year: i32) -> serde_json::Value {
    let res = app.call(client, "/api/strategy/capitalization", &[("year", year.to_string())]).await;
    assert_eq!(res.status(), 200);
    json(res).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn time_on_an_initiative_in_its_development_stage_capitalizes_and_a_closed_month_never_moves() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let (earlier, last) = (months_back(2), months_back(1));
    let team = add_team(&app, &cto, "Payments squad", "Engineering").await;
    let roles = roles_form(team, &earlier.iso(), &[("Engineer", "4", "12,500.00"), ("Engineering manager", "1", "16000")]);
    assert_eq!(post(&app, &cto, "/api/strategy/teams/roles", &roles).await.status(), 200);
    let starts = earlier.first_day().to_string();
    let target = months_back(0).next().next().first_day().to_string();
    let initiative = app.add_initiative("Payments cluster", "Engineering", None, (&starts, &target), 0, &[]).await;
    // The development stage begins on the 11th of last month: part of that month capitalizes.
    let began = last.first_day() + chrono::Duration::days(10);
    sqlx::query("UPDATE initiatives SET capitalize_from = ?2 WHERE id = ?1").bind(initiative).bind(began.to_string()).execute(&app.pool).await.unwrap();
    let ktlo = format!("c{}", category(&app, "Keeping the lights on").await);
    for m in [earlier, last] {
        let form = shares_form(team, &m.iso(), &[(format!("i{initiative}"), "60"), (ktlo.clone(), "40 %")]);
        assert_eq!(post(&app, &cto, "/api/strategy/teams/time", &form).await.status(), 200, "{}", m.label());
    }

    let r = report(&app, &cto, last.year).await;
    let lines = r["lines"].as_array().unwrap();
    let want = capitalizable(6_600_000, 60, last.days() - 10, last.days());
    assert_eq!(lines.len(), 1, "the month before the stage capitalizes nothing: {lines:?}");
    assert_eq!(lines[0]["loaded_cost"], "$66,000.00");
    assert_eq!(lines[0]["days"], format!("{} of {}", last.days() - 10, last.days()));
    let cents = |v: i64| format!("${}.{:02}", northstar::platform::money::group_thousands((v / 100) as u64), v % 100);
    assert_eq!(lines[0]["capitalized"], cents(want));
    let month = r["months"].as_array().unwrap().iter().find(|m| m["code"] == last.code()).unwrap();
    assert_eq!(month["totals"]["people"], "$66,000.00");
    assert_eq!(month["totals"]["expensed"], cents(6_600_000 - want));
    assert_eq!(month["state"], "Open");

    // Closing freezes it: moving the stage afterwards changes nothing in a closed month.
    let before = app.audit_count().await;
    let res = app.call(&cto, "/api/strategy/capitalization/close", &[("through", last.iso())]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.audit_count().await, before + 1);
    sqlx::query("UPDATE initiatives SET capitalize_from = ?2 WHERE id = ?1").bind(initiative).bind(&starts).execute(&app.pool).await.unwrap();
    let r = report(&app, &cto, last.year).await;
    let month = r["months"].as_array().unwrap().iter().find(|m| m["code"] == last.code()).unwrap();
    assert!(month["state"].as_str().unwrap().starts_with("Closed on"), "{month}");
    assert_eq!(month["totals"]["capitalized"], cents(want));
    let earlier_row = r["months"].as_array().unwrap().iter().find(|m| m["code"] == earlier.code()).unwrap();
    assert_eq!(earlier_row["totals"]["capitalized"], "$0.00", "the month before was closed with it, as it was");

    // A closed month's roles and time cannot change; a month not over cannot close; nor twice.
    let res = post(&app, &cto, "/api/strategy/teams/roles", &roles_form(team, &last.iso(), &[("Engineer", "9", "1")])).await;
    assert_eq!(res.status(), 422);
    assert!(fields(&json(res).await)[0].1.contains("closed through"));
    let res = post(&app, &cto, "/api/strategy/teams/time", &shares_form(team, &last.iso(), &[(ktlo.clone(), "100")])).await;
    assert_eq!(res.status(), 422);
    let res = app.call(&cto, "/api/strategy/capitalization/close", &[("through", months_back(0).iso())]).await;
    assert_eq!(res.status(), 422);
    assert!(fields(&json(res).await)[0].1.contains("not over yet"));
    assert_eq!(app.call(&cto, "/api/strategy/capitalization/close", &[("through", last.iso())]).await.status(), 409);

    // The auditor's file: every line, with what was multiplied by what.
    let csv = cto.get(app.url(&format!("/api/strategy/capitalization/export.csv?year={}", last.year))).send().await.unwrap();
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    let mut rows = text.lines();
    assert_eq!(rows.next(), Some("month,quarter,team,initiative,loaded_cost,effort_pct,days_in_stage,days_in_month,capitalized,status"));
    let line = format!("{},FY{} Q{},Payments squad,Payments cluster,66000.00,60,{},{},{}.{:02},closed", last.iso(), last.year, (last.month - 1) / 3 + 1, last.days() - 10, last.days(), want / 100, want % 100);
    assert!(text.contains(&line), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_and_time_are_checked_at_their_fields_and_a_refused_form_writes_nothing() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let team = add_team(&app, &cto, "Data team", "Engineering").await;
    let before = app.audit_count().await;
    let bad = roles_form(team, "2026-13", &[("", "3", "100"), ("Analyst", "0", "abc"), ("analyst", "2", "-5"), ("", "", "")]);
    let res = post(&app, &cto, "/api/strategy/teams/roles", &bad).await;
    assert_eq!(res.status(), 422);
    let got = fields(&json(res).await);
    let named: Vec<&str> = got.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(named, ["from", "role[0]", "headcount[1]", "cost[1]", "role[2]", "cost[2]"], "{got:?}");
    assert!(got[0].1.contains("not a month"), "{got:?}");
    assert!(got[4].1.contains("listed twice"), "{got:?}");

    let this = months_back(0).iso();
    let ktlo = format!("c{}", category(&app, "Keeping the lights on").await);
    let debt = format!("c{}", category(&app, "Technical debt").await);
    let res = post(&app, &cto, "/api/strategy/teams/time", &shares_form(team, &this, &[(ktlo.clone(), "60"), (debt.clone(), "30")])).await;
    assert_eq!(res.status(), 422);
    let got = fields(&json(res).await);
    assert_eq!(got[0].0, "total");
    assert!(got[0].1.contains("add up to 90 %"), "{got:?}");
    let res = post(&app, &cto, "/api/strategy/teams/time", &shares_form(team, &this, &[(ktlo.clone(), "60"), (debt.clone(), "forty")])).await;
    assert_eq!(fields(&json(res).await)[0].0, "pct[1]");
    let counts: (i64, i64) = sqlx::query_as("SELECT (SELECT count(*) FROM team_role_sets), (SELECT count(*) FROM time_allocations)").fetch_one(&app.pool).await.unwrap();
    assert_eq!((counts, app.audit_count().await), ((0, 0), before));

    // Money at its limits: a team whose cost, booked as Staff actuals, would take the ledger
    // past the most it keeps is refused at the cost, with nothing written.
    let biggest = "90,000,000,000.00";
    let huge = roles_form(team, &months_back(1).iso(), &[("Partner", "10000", biggest), ("Principal", "10000", biggest), ("Director", "10000", biggest)]);
    let res = post(&app, &cto, "/api/strategy/teams/roles", &huge).await;
    assert_eq!(res.status(), 422);
    let got = fields(&json(res).await);
    assert_eq!(got[0].0, "cost[0]");
    assert!(got[0].1.contains("the most Northstar keeps"), "{got:?}");
    assert_eq!((app.audit_count().await, sqlx::query_scalar::<_, i64>("SELECT count(*) FROM expenses").fetch_one(&app.pool).await.unwrap()), (before, 0));
    // Such costs stored all the same (by hand in the database) saturate instead of failing a page.
    let other = add_team(&app, &cto, "Data team two", "Engineering").await;
    for (t, roles) in [(team, 3), (other, 1)] {
        let from = months_back(1).code();
        sqlx::query("INSERT INTO team_role_sets (team_id, from_month) VALUES (?1, ?2)").bind(t).bind(from).execute(&app.pool).await.unwrap();
        for (i, role) in ["Partner", "Principal", "Director"].iter().take(roles).enumerate() {
            sqlx::query("INSERT INTO team_roles (team_id, from_month, role, headcount, monthly_cost_minor, position) VALUES (?1, ?2, ?3, 10000, 9000000000000, ?4)")
                .bind(t).bind(from).bind(role).bind(i as i64).execute(&app.pool).await.unwrap();
        }
    }
    assert_eq!(app.call(&cto, "/api/strategy/teams", &[]).await.status(), 200);
    assert_eq!(app.call(&cto, "/api/strategy/capitalization", &[("year", String::new())]).await.status(), 200);
    sqlx::query("DELETE FROM team_role_sets").execute(&app.pool).await.unwrap();

    // Another department's initiative is not the team's to spend time on.
    let ops = app.add_initiative("Ops tooling", "Operations", None, ("2020-01-01", "2099-12-31"), 0, &[]).await;
    let res = post(&app, &cto, "/api/strategy/teams/time", &shares_form(team, &this, &[(format!("i{ops}"), "100")])).await;
    assert_eq!(res.status(), 403);
    // Good rows save, and an empty form clears the month.
    assert_eq!(post(&app, &cto, "/api/strategy/teams/time", &shares_form(team, &this, &[(ktlo.clone(), "70"), (debt, "30")])).await.status(), 200);
    let page = json(app.call(&cto, "/api/strategy/team", &[("id", team.to_string()), ("year", String::new()), ("month", this.clone())]).await).await;
    let shown: Vec<(&str, &str)> = page["edit"]["options"].as_array().unwrap().iter().filter(|o| o["pct"] != "").map(|o| (o["label"].as_str().unwrap(), o["pct"].as_str().unwrap())).collect();
    assert_eq!(shown, [("Keeping the lights on", "70"), ("Technical debt", "30")]);
    assert_eq!(post(&app, &cto, "/api/strategy/teams/time", &shares_form(team, &this, &[(ktlo, "")])).await.status(), 200);
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM time_allocations").fetch_one(&app.pool).await.unwrap();
    assert_eq!(left, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_department_head_keeps_to_their_own_departments_teams() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let own = add_team(&app, &cto, "Platform", "Engineering").await;
    let other = add_team(&app, &cto, "Service desk", "Operations").await;
    let from = months_back(0).iso();
    assert_eq!(post(&app, &cto, "/api/strategy/teams/roles", &roles_form(other, &from, &[("Agent", "3", "5000")])).await.status(), 200);
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    let teams = json(app.call(&head, "/api/strategy/teams", &[]).await).await;
    let names: Vec<&str> = teams["teams"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Platform"]);
    assert_eq!(teams["monthly_cost"], "$0.00", "the other department's cost is not in the head's total");
    assert_eq!(app.call(&head, "/api/strategy/team", &[("id", own.to_string()), ("year", String::new()), ("month", String::new())]).await.status(), 200);
    let ops = app.department_id("Operations").await.to_string();
    let refused = [
        app.call(&head, "/api/strategy/team", &[("id", other.to_string()), ("year", String::new()), ("month", String::new())]).await,
        app.call(&head, "/api/strategy/teams/save", &[("id", other.to_string()), ("name", "Mine now".into()), ("department", ops.clone())]).await,
        app.call(&head, "/api/strategy/teams/save", &[("id", String::new()), ("name", "New ops team".into()), ("department", ops)]).await,
        post(&app, &head, "/api/strategy/teams/roles", &roles_form(other, &from, &[("Agent", "9", "1")])).await,
        post(&app, &head, "/api/strategy/teams/time", &shares_form(other, &from, &[])).await,
        app.call(&head, "/api/strategy/teams/delete", &[("id", other.to_string())]).await,
        app.call(&head, "/api/strategy/capitalization", &[("year", String::new())]).await,
        app.call(&head, "/api/strategy/capitalization/close", &[("through", "2020-01".into())]).await,
        head.get(app.url("/api/strategy/capitalization/export.csv")).send().await.unwrap(),
    ];
    for res in refused {
        assert_eq!(res.status(), 403, "{}", res.url());
    }
    let kept: (String, i64) = sqlx::query_as("SELECT name, (SELECT count(*) FROM team_roles) FROM teams WHERE id = ?1").bind(other).fetch_one(&app.pool).await.unwrap();
    assert_eq!(kept, ("Service desk".to_string(), 1));
    let investor = app.client_as(Some(Role::Investor)).await;
    assert_eq!(app.call(&investor, "/api/strategy/teams", &[]).await.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_initiatives_development_stage_is_checked_at_its_fields() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let eng = app.department_id("Engineering").await.to_string();
    let form = |from: &str, until: &str| {
        vec![
            ("id", String::new()),
            ("title", "Ledger rewrite".to_string()),
            ("description", String::new()),
            ("objective", String::new()),
            ("owner", String::new()),
            ("department", eng.clone()),
            ("starts", "2026-01-01".into()),
            ("target", "2026-12-31".into()),
            ("status", "in_progress".into()),
            ("category", "1".into()),
            ("budget", String::new()),
            ("capitalize_from", from.to_string()),
            ("in_service_on", until.to_string()),
        ]
    };
    for (from, until, field, says) in [
        ("2025-12-31", "", "capitalize_from", "before the initiative starts"),
        ("2026-03-01", "2026-02-01", "in_service_on", "before its development stage"),
        ("", "2026-02-01", "capitalize_from", "Enter the date the development stage began"),
        ("March", "", "capitalize_from", "not a date"),
    ] {
        let res = app.call(&cto, "/api/strategy/initiatives/save", &form(from, until)).await;
        assert_eq!(res.status(), 422, "{from} {until}");
        let got = fields(&json(res).await);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, field);
        assert!(got[0].1.contains(says), "{got:?}");
    }
    let res = app.call(&cto, "/api/strategy/initiatives/save", &form("2026-03-11", "2026-10-31")).await;
    assert_eq!(res.status(), 200);
    let id = json(res).await.as_i64().unwrap();
    let stage: (Option<String>, Option<String>) = sqlx::query_as("SELECT capitalize_from, in_service_on FROM initiatives WHERE id = ?1").bind(id).fetch_one(&app.pool).await.unwrap();
    assert_eq!(stage, (Some("2026-03-11".into()), Some("2026-10-31".into())));
    let editor = json(app.call(&cto, "/api/strategy/initiative/editor", &[("id", id.to_string())]).await).await;
    assert_eq!((editor["capitalize_from"].as_str(), editor["in_service_on"].as_str()), (Some("2026-03-11"), Some("2026-10-31")));
}

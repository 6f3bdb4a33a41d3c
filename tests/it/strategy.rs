//! Strategy: objectives measured by KPIs, initiatives whose health is judged from their
//! milestones, spend and KPIs, and who may see and change which.

use crate::common::{self, json, spawn_app, TestApp};
use northstar::access::Role;
use reqwest::Client;

fn day(offset: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(offset)).to_string()
}

async fn map(app: &TestApp, client: &Client) -> serde_json::Value {
    let res = app.call(client, "/api/strategy/map", &[]).await;
    assert_eq!(res.status(), 200);
    json(res).await
}

fn initiative<'a>(map: &'a serde_json::Value, title: &str) -> Option<&'a serde_json::Value> {
    let in_objectives = map["objectives"].as_array().unwrap().iter().flat_map(|o| o["initiatives"].as_array().unwrap().iter());
    in_objectives.chain(map["unaligned"].as_array().unwrap().iter()).find(|i| i["title"] == title)
}

fn fields(body: &serde_json::Value) -> Vec<(String, String)> {
    body["fields"].as_array().unwrap().iter().map(|f| (f["field"].as_str().unwrap().to_string(), f["message"].as_str().unwrap().to_string())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_objective_form_is_checked_whole_at_its_fields_and_nothing_is_written() {
    let app = spawn_app().await;
    app.add_kpi("availability", None, "percent", "higher", "mean", Some((99.9, 99.9, 99.5))).await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let form = |title: &str, starts: &str, ends: &str, kpis: &[(&str, &str)]| {
        let mut f = vec![("id", String::new()), ("title", title.to_string()), ("description", String::new()), ("owner", String::new()), ("starts", starts.to_string()), ("ends", ends.to_string())];
        let names = [("kpi[0]", "kpi_target[0]"), ("kpi[1]", "kpi_target[1]"), ("kpi[2]", "kpi_target[2]")];
        for ((k, t), (kn, tn)) in kpis.iter().zip(names) {
            f.push((kn, k.to_string()));
            f.push((tn, t.to_string()));
        }
        f
    };
    let bad = form("", "2026-12-31", "2026-01-01", &[("no-such-kpi", "5"), ("availability", ""), ("", "7")]);
    let res = app.call(&cto, "/api/strategy/objectives/save", &bad).await;
    assert_eq!(res.status(), 422);
    let got = fields(&json(res).await);
    let named: Vec<&str> = got.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(named, ["title", "ends", "kpi[0]", "kpi_target[1]", "kpi[2]"], "{got:?}");
    assert!(got[3].1.contains("must reach by the period's end"), "{got:?}");
    let bad_target = form("Enter Germany", "2026-01-01", "2026-12-31", &[("availability", "lots")]);
    let res = app.call(&cto, "/api/strategy/objectives/save", &bad_target).await;
    assert_eq!(res.status(), 422);
    assert_eq!(fields(&json(res).await)[0].0, "kpi_target[0]");
    let mut sixth = form("Enter Germany", "2026-01-01", "2026-12-31", &[]);
    let rows = [("kpi[0]", "kpi_target[0]"), ("kpi[1]", "kpi_target[1]"), ("kpi[2]", "kpi_target[2]"), ("kpi[3]", "kpi_target[3]"), ("kpi[4]", "kpi_target[4]"), ("kpi[5]", "kpi_target[5]")];
    for (i, (k, t)) in rows.into_iter().enumerate() {
        let (key, target) = if i == 5 { ("availability", "99.95") } else { ("", "") };
        sixth.push((k, key.into()));
        sixth.push((t, target.into()));
    }
    let res = app.call(&cto, "/api/strategy/objectives/save", &sixth).await;
    assert_eq!(res.status(), 422, "a sixth KPI is refused, not dropped");
    assert_eq!(fields(&json(res).await)[0].0, "kpi[5]");
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM objectives").fetch_one(&app.pool).await.unwrap();
    assert_eq!(stored, 0, "a refused form writes nothing");

    let good = form("Enter Germany", "2026-01-01", "2026-12-31", &[("availability", "99.95")]);
    let res = app.call(&cto, "/api/strategy/objectives/save", &good).await;
    assert_eq!(res.status(), 200);
    let again = app.call(&cto, "/api/strategy/objectives/save", &form("enter germany", "2026-01-01", "2026-12-31", &[])).await;
    assert_eq!(again.status(), 422, "titles are unique, whatever their case");
    let m = map(&app, &cto).await;
    let o = &m["objectives"][0];
    assert_eq!(o["title"], "Enter Germany");
    assert_eq!(o["kpis"][0]["key"], "availability");
    assert_eq!(o["kpis"][0]["target"], "99.95 %");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_follows_milestones_and_spend_with_the_reason() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let year = (day(-100), day(100));
    let on_time = app.add_initiative("On time", "Engineering", None, (&year.0, &year.1), 0, &[("Design", &day(-10), Some(&day(-11))), ("Build", &day(30), None)]).await;
    let late = app.add_initiative("Late", "Engineering", None, (&year.0, &year.1), 0, &[("Design", &day(-12), None), ("Build", &day(30), None), ("Launch", &day(60), None)]).await;
    let spent = app.add_initiative("Over budget", "Engineering", None, (&year.0, &year.1), 10_000, &[]).await;
    let _ = (on_time, late);
    let m = map(&app, &cto).await;
    let row = |t: &str| initiative(&m, t).unwrap_or_else(|| panic!("{t} in {m}")).clone();
    assert_eq!(row("On time")["health"], "on_track");
    assert_eq!(row("On time")["why"], "1 of 2 milestones reached, none late.");
    assert_eq!(row("Late")["health"], "at_risk");
    assert_eq!(row("Late")["why"], "1 of 3 milestones late by 12 days.");
    assert_eq!(m["counts"], serde_json::json!([2, 1, 0]));

    // An expense booked to the initiative through the expense form counts as its spend.
    let (dept, cat) = (app.department_id("Engineering").await, app.category_id("Cloud").await);
    let mut form = common::expense_form("", &common::today(), "118.00", &dept.to_string(), &cat.to_string());
    form.push(("initiative", spent.to_string()));
    let res = app.call(&cto, "/api/budgets/expenses/save", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let m = map(&app, &cto).await;
    let over = initiative(&m, "Over budget").unwrap();
    assert_eq!((over["health"].as_str(), over["why"].as_str()), (Some("off_track"), Some("18 % over budget.")));
    assert_eq!(over["spent"], "$118.00");

    // Booking it to another department's initiative is refused at the field.
    let ops = app.add_initiative("Ops work", "Operations", None, (&year.0, &year.1), 0, &[]).await;
    let mut form = common::expense_form("", &common::today(), "5.00", &dept.to_string(), &cat.to_string());
    form.push(("initiative", ops.to_string()));
    let res = app.call(&cto, "/api/budgets/expenses/save", &form).await;
    assert_eq!(res.status(), 422);
    assert_eq!(fields(&json(res).await)[0].0, "initiative");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_department_head_sees_and_changes_only_their_own_departments_initiatives() {
    let app = spawn_app().await;
    app.add_kpi("ops-cost", Some("Operations"), "count", "lower", "last", None).await;
    app.add_kpi("availability", None, "percent", "higher", "mean", None).await;
    let objective = app.add_objective("Enterprise", &[("availability", 99.9), ("ops-cost", 10.0)]).await;
    let ours = app.add_initiative("Engineering work", "Engineering", Some(objective), ("2026-01-01", "2026-12-31"), 0, &[("Design", "2026-02-01", None)]).await;
    let theirs = app.add_initiative("Operations work", "Operations", Some(objective), ("2026-01-01", "2026-12-31"), 0, &[("Plan", "2026-02-01", None)]).await;
    let head = app.client_as(Some(Role::DepartmentHead)).await;

    let m = map(&app, &head).await;
    assert!(initiative(&m, "Engineering work").is_some());
    assert!(initiative(&m, "Operations work").is_none(), "another department's initiative is not listed");
    let kpis: Vec<&str> = m["objectives"][0]["kpis"].as_array().unwrap().iter().map(|k| k["key"].as_str().unwrap()).collect();
    assert_eq!(kpis, ["availability"], "another department's KPI is left out of the objective");
    assert_eq!(m["can_edit_objectives"], false);

    let ops_dept = app.department_id("Operations").await.to_string();
    let theirs_s = theirs.to_string();
    let milestone: i64 = sqlx::query_scalar("SELECT id FROM milestones WHERE initiative_id = ?1").bind(theirs).fetch_one(&app.pool).await.unwrap();
    let refused: Vec<(&str, Vec<(&str, String)>)> = vec![
        ("/api/strategy/initiative", vec![("id", theirs_s.clone())]),
        ("/api/strategy/initiative/editor", vec![("id", theirs_s.clone())]),
        ("/api/strategy/initiatives/delete", vec![("id", theirs_s.clone())]),
        ("/api/strategy/milestones/save", vec![("initiative", theirs_s.clone()), ("id", String::new()), ("title", "Sneaky".into()), ("due", "2026-05-01".into())]),
        ("/api/strategy/milestones/delete", vec![("id", milestone.to_string())]),
        // A new initiative in another department, and moving one of theirs.
        ("/api/strategy/initiatives/save", initiative_form("", "Moved in", &ops_dept)),
        ("/api/strategy/initiatives/save", initiative_form(&theirs_s, "Renamed", &ops_dept)),
        // An id that does not exist looks the same.
        ("/api/strategy/initiative", vec![("id", "9999".into())]),
    ];
    for (endpoint, form) in refused {
        let res = app.call(&head, endpoint, &form).await;
        assert_eq!(res.status(), 403, "{endpoint} {form:?}");
    }
    let unchanged: (String, i64) = sqlx::query_as("SELECT title, (SELECT count(*) FROM milestones WHERE initiative_id = ?1) FROM initiatives WHERE id = ?1").bind(theirs).fetch_one(&app.pool).await.unwrap();
    assert_eq!(unchanged, ("Operations work".to_string(), 1));

    // Their own: read, change, add a milestone reached today.
    let eng = app.department_id("Engineering").await.to_string();
    let res = app.call(&head, "/api/strategy/initiatives/save", &initiative_form(&ours.to_string(), "Engineering work, renamed", &eng)).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let res = app.call(&head, "/api/strategy/milestones/save", &[("initiative", ours.to_string()), ("id", String::new()), ("title", "Build".into()), ("due", "2026-04-01".into()), ("done", common::today())]).await;
    assert_eq!(res.status(), 200);
    let page = json(app.call(&head, "/api/strategy/initiative", &[("id", ours.to_string())]).await).await;
    assert_eq!(page["row"]["title"], "Engineering work, renamed");
    assert_eq!(page["milestones"].as_array().unwrap().len(), 2);
    let trail: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_events WHERE area = 'strategy'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(trail, 2, "each change leaves one record");
}

fn initiative_form(id: &str, title: &str, department: &str) -> Vec<(&'static str, String)> {
    vec![
        ("id", id.into()),
        ("title", title.into()),
        ("description", String::new()),
        ("objective", String::new()),
        ("owner", String::new()),
        ("department", department.into()),
        ("starts", "2026-01-01".into()),
        ("target", "2026-12-31".into()),
        ("status", "in_progress".into()),
        ("category", "1".into()),
        ("budget", String::new()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_initiatives_and_milestones_are_refused_at_their_fields() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let eng = app.department_id("Engineering").await.to_string();
    let mut form = initiative_form("", "", &eng);
    for (k, v) in form.iter_mut() {
        match *k {
            "starts" => *v = "2026-06-01".into(),
            "target" => *v = "2026-01-01".into(),
            "status" => *v = "finished".into(),
            "category" => *v = "99".into(),
            "budget" => *v = "-5".into(),
            "objective" => *v = "77".into(),
            _ => {}
        }
    }
    form.push(("systems[0]", "42".into()));
    let res = app.call(&cto, "/api/strategy/initiatives/save", &form).await;
    assert_eq!(res.status(), 422);
    let mut named: Vec<String> = fields(&json(res).await).into_iter().map(|f| f.0).collect();
    named.sort();
    assert_eq!(named, ["budget", "category", "objective", "status", "systems", "target", "title"]);
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM initiatives").fetch_one(&app.pool).await.unwrap();
    assert_eq!(stored, 0);

    let id = app.add_initiative("Real", "Engineering", None, ("2026-01-01", "2026-12-31"), 0, &[("Design", "2026-02-01", None)]).await;
    let cases = [
        (vec![("title", "Design"), ("due", "2026-03-01"), ("done", "")], "title"),
        (vec![("title", "Launch"), ("due", "someday"), ("done", "")], "due"),
        (vec![("title", "Launch"), ("due", "2026-03-01"), ("done", "2999-01-01")], "done"),
    ];
    for (given, field) in cases {
        let mut form = vec![("initiative", id.to_string()), ("id", String::new())];
        form.extend(given.iter().map(|(k, v)| (*k, v.to_string())));
        let res = app.call(&cto, "/api/strategy/milestones/save", &form).await;
        assert_eq!(res.status(), 422, "{given:?}");
        assert_eq!(fields(&json(res).await)[0].0, field);
    }
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM milestones").fetch_one(&app.pool).await.unwrap();
    assert_eq!(kept, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_an_objective_keeps_its_initiatives_and_the_page_says_so() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let objective = app.add_objective("Short-lived", &[]).await;
    app.add_initiative("Survivor", "Engineering", Some(objective), ("2026-01-01", "2026-12-31"), 0, &[]).await;
    let res = app.call(&cto, "/api/strategy/objectives/delete", &[("id", objective.to_string())]).await;
    assert_eq!(res.status(), 200);
    let m = map(&app, &cto).await;
    assert!(m["objectives"].as_array().unwrap().is_empty());
    assert_eq!(m["unaligned"][0]["title"], "Survivor");
    let html = cto.get(app.url("/strategy")).header("accept", "text/html").send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Serving no objective") && html.contains("Survivor"), "the page lists it");
    let missing = app.call(&cto, "/api/strategy/objectives/delete", &[("id", objective.to_string())]).await;
    assert_eq!(missing.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_reads_the_same_to_a_head_who_may_not_see_one_of_its_kpis() {
    let app = spawn_app().await;
    // An Operations KPI, lower is better, that has barely moved toward its target this year.
    let kpi = app.add_kpi("ops-cost", Some("Operations"), "count", "lower", "last", None).await;
    let at = |date: &str| chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap().and_hms_opt(12, 0, 0).unwrap().and_utc().timestamp();
    let recent = (common::now() - 86_400).min(at("2026-12-30"));
    for (ts, value) in [(at("2025-12-15"), 20.0), (recent, 19.0)] {
        sqlx::query("INSERT INTO measurements (kpi_id, ts, value, source) VALUES (?1, ?2, ?3, 'manual')").bind(kpi).bind(ts).bind(value).execute(&app.pool).await.unwrap();
    }
    let objective = app.add_objective("Lean operations", &[("ops-cost", 10.0)]).await;
    app.add_initiative("Engineering work", "Engineering", Some(objective), ("2026-01-01", "2027-12-31"), 0, &[]).await;

    let cto = map(&app, &app.client_as(Some(Role::Cto)).await).await;
    let head = map(&app, &app.client_as(Some(Role::DepartmentHead)).await).await;
    let (seen, unseen) = (initiative(&cto, "Engineering work").unwrap(), initiative(&head, "Engineering work").unwrap());
    assert_eq!(seen["health"], "off_track", "{seen}");
    assert_eq!(unseen["health"], seen["health"], "the same initiative has the same health for everyone");
    assert!(seen["why"].as_str().unwrap().contains("KPI ops-cost"), "{seen}");
    let why = unseen["why"].as_str().unwrap();
    assert!(why.contains("Another department's KPI") && !why.contains("ops-cost"), "the head is not told the KPI's name: {why}");
    assert!(head["objectives"][0]["kpis"].as_array().unwrap().is_empty(), "nor shown its figures");
}

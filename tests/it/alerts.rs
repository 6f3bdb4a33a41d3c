//! Alerts end to end: conditions made through the app's own server functions fire one alert,
//! keep it while they hold, reopen it when they return within the hold time and resolve it
//! when they clear; each role sees and takes only the alerts of its scope.

use crate::common;

use common::{json, spawn_app, TestApp};
use northstar::access::Role;
use reqwest::Client;
use std::time::Duration;

/// (id, state, severity, flaps) of each alert about `subject` (`system:3`), oldest first.
async fn alerts_about(app: &TestApp, subject: &str) -> Vec<(i64, String, String, i64)> {
    let (kind, id) = subject.split_once(':').unwrap();
    sqlx::query_as(
        "SELECT id, CASE WHEN resolved_at IS NOT NULL THEN 'resolved' WHEN acknowledged_at IS NOT NULL THEN 'acknowledged' ELSE 'firing' END,
                severity, flaps
         FROM alerts WHERE subject_kind = ?1 AND subject_id = ?2 ORDER BY id",
    )
    .bind(kind)
    .bind(id)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

/// Waits for the alert worker, which acts on news of a change just after the change's answer.
async fn until_alerts(app: &TestApp, subject: &str, want: impl Fn(&[(i64, String, String, i64)]) -> bool) -> Vec<(i64, String, String, i64)> {
    for _ in 0..200 {
        let found = alerts_about(app, subject).await;
        if want(&found) {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("alerts about {subject} never matched: {:?}", alerts_about(app, subject).await);
}

async fn set_rule(app: &TestApp, cto: &Client, kind: &str, enabled: bool, threshold: i64, hold: i64) {
    let mut form = vec![("kind", kind.to_string()), ("threshold", threshold.to_string()), ("hold_minutes", hold.to_string()), ("repeat_minutes", "240".to_string())];
    if enabled {
        form.push(("enabled", "true".into()));
    }
    let res = app.call(cto, "/api/alerts/rules/save", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

async fn set_status(app: &TestApp, cto: &Client, system: i64, status: &str) {
    let res = app.call(cto, "/api/infra/systems/status", &[("system_id", system.to_string()), ("status", status.into()), ("note", format!("now {status}"))]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

#[tokio::test]
async fn a_down_system_fires_once_reopens_within_the_hold_time_and_resolves_when_it_recovers() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    set_rule(&app, &cto, "system_down", true, 0, 15).await;
    let system = app.add_system("eng-app", Some("Engineering")).await;
    let subject = format!("system:{system}");

    set_status(&app, &cto, system, "degraded").await;
    let found = until_alerts(&app, &subject, |a| a.len() == 1).await;
    assert_eq!((found[0].1.as_str(), found[0].2.as_str()), ("firing", "warning"));

    // Worse: the same alert, now critical.
    set_status(&app, &cto, system, "down").await;
    let found = until_alerts(&app, &subject, |a| a[0].2 == "critical").await;
    assert_eq!(found.len(), 1, "one condition, one alert: {found:?}");

    set_status(&app, &cto, system, "operational").await;
    until_alerts(&app, &subject, |a| a[0].1 == "resolved").await;

    // Back within the hold time: the same alert reopens, counted as a flap.
    set_status(&app, &cto, system, "down").await;
    let found = until_alerts(&app, &subject, |a| a[0].1 == "firing").await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].3, 1, "one flap");
}

#[tokio::test]
async fn a_system_is_alerted_only_after_the_rules_minutes_and_never_in_maintenance() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let system = app.add_system("slow", None).await;
    let subject = format!("system:{system}");
    // The default: five minutes. Down just now is not yet an alert.
    set_status(&app, &cto, system, "down").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(alerts_about(&app, &subject).await.is_empty());
    // Lowering the threshold applies at once.
    set_rule(&app, &cto, "system_down", true, 0, 15).await;
    assert_eq!(alerts_about(&app, &subject).await.len(), 1, "saving the rule evaluates it");

    let other = app.add_system("planned", None).await;
    let now = chrono::Utc::now();
    let res = app
        .call(&cto, "/api/infra/maintenance/save", &[
            ("system_id", other.to_string()),
            ("starts", (now - chrono::Duration::minutes(5)).format("%Y-%m-%dT%H:%M").to_string()),
            ("ends", (now + chrono::Duration::hours(1)).format("%Y-%m-%dT%H:%M").to_string()),
            ("note", "Upgrade".into()),
        ])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    set_status(&app, &cto, other, "down").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(alerts_about(&app, &format!("system:{other}")).await.is_empty(), "a system in maintenance does not alert");
}

#[tokio::test]
async fn a_red_kpi_fires_and_a_good_value_resolves_it() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let kpi = app.add_kpi("eng-latency", Some("Engineering"), "ms", "lower", "last", Some((300.0, 300.0, 400.0))).await;
    let subject = format!("kpi:{kpi}");
    let add = |value: &str, days: i64| {
        vec![("key", "eng-latency".to_string()), ("timestamp", common::days_ago(days)), ("value", value.to_string()), ("note", String::new())]
    };
    assert_eq!(app.call(&cto, "/api/kpis/measurements/add", &add("520", 2)).await.status(), 200);
    let found = until_alerts(&app, &subject, |a| a.len() == 1).await;
    assert_eq!((found[0].1.as_str(), found[0].2.as_str()), ("firing", "critical"));
    let summary: String = sqlx::query_scalar("SELECT summary FROM alerts WHERE id = ?1").bind(found[0].0).fetch_one(&app.pool).await.unwrap();
    assert!(summary.contains("520"), "the evidence names the value: {summary}");

    assert_eq!(app.call(&cto, "/api/kpis/measurements/add", &add("250", 1)).await.status(), 200);
    until_alerts(&app, &subject, |a| a[0].1 == "resolved").await;
}

#[tokio::test]
async fn an_incident_nobody_takes_alerts_until_it_is_acknowledged() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let system = app.add_system("eng-app", Some("Engineering")).await;
    let started = (chrono::Utc::now() - chrono::Duration::minutes(40)).format("%Y-%m-%dT%H:%M").to_string();
    let res = app
        .call(&cto, "/api/infra/incidents/open", &[("system", system.to_string()), ("severity", "sev2".into()), ("title", "Checkout errors".into()), ("started", started), ("body", String::new())])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let incident: i64 = json(res).await.as_i64().unwrap();
    let subject = format!("incident:{incident}");
    let found = until_alerts(&app, &subject, |a| a.len() == 1).await;
    assert_eq!(found[0].2, "critical", "a SEV2 is critical");

    let res = app.call(&cto, "/api/infra/incidents/update", &[("id", incident.to_string()), ("action", "acknowledge".into())]).await;
    assert_eq!(res.status(), 200);
    until_alerts(&app, &subject, |a| a[0].1 == "resolved").await;
}

#[tokio::test]
async fn a_contract_notice_deadline_within_the_rules_days_alerts() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let today = chrono::Utc::now().date_naive();
    let day = |d: i64| (today + chrono::Duration::days(d)).format("%Y-%m-%d").to_string();
    let save = |renews: String, notice: &str| {
        vec![
            ("id", String::new()),
            ("vendor", "Acme".to_string()),
            ("name", "Support".to_string()),
            ("owner", String::new()),
            ("department", String::new()),
            ("annual_value", "1200".to_string()),
            ("starts_on", day(-300)),
            ("ends_on", day(40)),
            ("renews_on", renews),
            ("notice_days", notice.to_string()),
        ]
    };
    let res = app.call(&cto, "/api/budgets/contracts/save", &save(day(40), "30")).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let contract: i64 = json(res).await.as_i64().unwrap();
    let subject = format!("contract:{contract}");
    // Notice by day 10: within the default 30 days, not yet the last week.
    let found = until_alerts(&app, &subject, |a| a.len() == 1).await;
    assert_eq!(found[0].2, "warning");
    let summary: String = sqlx::query_scalar("SELECT summary FROM alerts WHERE id = ?1").bind(found[0].0).fetch_one(&app.pool).await.unwrap();
    assert!(summary.contains(&day(10)), "{summary}");

    // Switching the rule off resolves what it raised.
    set_rule(&app, &cto, "contract_notice", false, 30, 15).await;
    assert_eq!(alerts_about(&app, &subject).await[0].1, "resolved");
}

#[tokio::test]
async fn each_role_sees_and_takes_only_its_scope() {
    let app = spawn_app().await;
    let mine = app.add_alert("eng-thing", Some("Engineering")).await;
    sqlx::query("INSERT INTO departments (name) VALUES ('Finance')").execute(&app.pool).await.unwrap();
    let theirs = app.add_alert("fin-thing", Some("Finance")).await;
    let company = app.add_alert("company-thing", None).await;
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let list = |client: Client| {
        let app = &app;
        async move {
            let res = app.call(&client, "/api/alerts/list", &[("query[state]", "all".to_string())]).await;
            assert_eq!(res.status(), 200);
            let body = json(res).await;
            body["rows"].as_array().unwrap().iter().map(|r| r["subject"].as_str().unwrap().to_string()).collect::<Vec<_>>()
        }
    };
    assert_eq!(list(head.clone()).await, ["KPI eng-thing"], "a department head sees their own department's only");
    assert_eq!(list(cto.clone()).await.len(), 3);

    // Above a page: the open alerts linking to it, in the reader's scope only.
    let here = |client: Client, at: String| {
        let app = &app;
        async move {
            let res = app.call(&client, "/api/alerts/here", &[("at", at)]).await;
            assert_eq!(res.status(), 200);
            json(res).await.as_array().unwrap().iter().map(|r| r["subject"].as_str().unwrap().to_string()).collect::<Vec<_>>()
        }
    };
    assert_eq!(here(head.clone(), "/kpis/eng-thing".into()).await, ["KPI eng-thing"]);
    assert!(here(head.clone(), "/kpis/fin-thing".into()).await.is_empty(), "another department's alert is not shown above its page");
    assert_eq!(here(cto.clone(), "/kpis/fin-thing".into()).await, ["KPI fin-thing"]);
    assert_eq!(app.call(&head, "/api/alerts/here", &[("at", String::new())]).await.status(), 400, "no page named");

    for other in [theirs, company] {
        let res = app.call(&head, "/api/alerts/acknowledge", &[("id", other.to_string())]).await;
        assert_eq!(res.status(), 403, "another department's alert, or a company-wide one");
    }
    let firing = |client: Client| {
        let app = &app;
        async move { json(app.call(&client, "/api/alerts/firing", &[]).await).await }
    };
    assert_eq!(firing(head.clone()).await, serde_json::json!([1, 0]));
    assert_eq!(app.call(&head, "/api/alerts/acknowledge", &[("id", mine.to_string())]).await.status(), 200);
    assert_eq!(firing(head.clone()).await, serde_json::json!([0, 0]), "the bell stops counting it");
    let again = app.call(&cto, "/api/alerts/acknowledge", &[("id", mine.to_string())]).await;
    assert_eq!(again.status(), 409);
    assert!(again.text().await.unwrap().contains("acknowledged this alert"));
    assert_eq!(firing(cto.clone()).await, serde_json::json!([2, 0]));
    let open = json(app.call(&cto, "/api/alerts/list", &[("query[state]", "open".to_string())]).await).await;
    let order: Vec<&str> = open["rows"].as_array().unwrap().iter().map(|r| r["subject"].as_str().unwrap()).collect();
    assert_eq!(order.last(), Some(&"KPI eng-thing"), "what someone has taken comes after what waits: {order:?}");
    let (by, kind): (String, String) = sqlx::query_as("SELECT actor, action FROM audit_events WHERE object_kind = 'alert' AND object_id = ?1")
        .bind(mine.to_string())
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(kind, "acknowledge_alert");
    assert!(!by.is_empty());

    // The bell, in the header of every page the CTO opens.
    let page = cto.get(app.url("/kpis")).header("accept", "text/html").send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"data-count="2""#), "the bell shows 2");
}

#[tokio::test]
async fn rule_settings_are_checked_at_their_fields() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let save = |kind: &str, threshold: &str, hold: &str| {
        let repeat = if hold == "repeat" { "-5" } else { "240" };
        let hold = if hold == "repeat" { "15" } else { hold };
        vec![
            ("kind", kind.to_string()),
            ("enabled", "true".to_string()),
            ("threshold", threshold.to_string()),
            ("hold_minutes", hold.to_string()),
            ("repeat_minutes", repeat.to_string()),
        ]
    };
    for (form, field) in [
        (save("system_down", "-1", "15"), "threshold"),
        (save("system_down", "ten", "15"), "threshold"),
        (save("kpi_status", "3", "15"), "threshold"),
        (save("system_down", "5", "2000"), "hold_minutes"),
        (save("system_down", "5", "repeat"), "repeat_minutes"),
        (save("disk_full", "5", "15"), "kind"),
    ] {
        let res = app.call(&cto, "/api/alerts/rules/save", &form).await;
        assert_eq!(res.status(), 422, "{form:?}");
        let body = res.text().await.unwrap();
        assert!(body.contains(field), "{field}: {body}");
    }
    let (threshold,): (i64,) = sqlx::query_as("SELECT threshold FROM alert_rules WHERE kind = 'system_down'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(threshold, 5, "nothing was saved");
}

#[tokio::test]
async fn the_rule_form_works_without_a_script_and_shows_a_mistake_at_its_field() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let page = app.url("/alerts/rules?rule=system_down");
    let post = |threshold: &str| {
        let form = [("kind", "system_down".to_string()), ("enabled", "true".into()), ("threshold", threshold.to_string()), ("hold_minutes", "15".into()), ("repeat_minutes", "240".into())];
        cto.post(app.url("/api/alerts/rules/save")).header("accept", "text/html").header("referer", &page).form(&form).send()
    };

    // A mistake: back to the form, the error in the address, drawn at its field.
    let res = post("-1").await.unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let back = res.headers()["location"].to_str().unwrap().to_string();
    assert!(back.starts_with(&page) && back.contains("__err="), "{back}");
    let html = cto.get(&back).header("accept", "text/html").send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Enter a whole number from 0 to 525600."), "the message at the field");
    assert!(html.contains(r#"aria-invalid="true""#));

    // Saved: back to the form without the error, and a message for the page.
    let res = post("0").await.unwrap();
    assert!(res.status().is_redirection());
    assert!(!res.headers()["location"].to_str().unwrap().contains("__err"));
    let cookie = res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect::<Vec<_>>().join("; ");
    assert!(cookie.contains("northstar_flash=") && cookie.contains("Saved%20the%20rule"), "{cookie}");
    let (threshold,): (i64,) = sqlx::query_as("SELECT threshold FROM alert_rules WHERE kind = 'system_down'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(threshold, 0);
}

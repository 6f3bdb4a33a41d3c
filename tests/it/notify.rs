//! Notifications end to end, against a webhook receiver and an SMTP listener on loopback
//! ports: for each kind of rule one notice when the condition starts, none while it holds, one
//! repeat after the interval and one when it resolves; signatures that verify; a department
//! head's channel that never carries another department's alert; retries, give-ups and the
//! address policy; e-mail; muting.

use crate::common;

use common::receivers::{Received, SmtpListener, WebhookReceiver};
use common::{json, spawn_app, spawn_app_with, TestApp};
use hmac::{Hmac, Mac};
use northstar::access::Role;
use northstar::alert::notify::dispatch::{Dispatcher, BACKOFF};
use northstar::alert::rules::{evaluate, Look};
use reqwest::Client;
use std::time::Duration;

const SECRET: &str = "a-shared-secret-for-tests";

async fn set_rule(app: &TestApp, cto: &Client, kind: &str, threshold: i64, hold: i64, repeat: i64) {
    let form = [
        ("kind", kind.to_string()),
        ("enabled", "true".into()),
        ("threshold", threshold.to_string()),
        ("hold_minutes", hold.to_string()),
        ("repeat_minutes", repeat.to_string()),
    ];
    let res = app.call(cto, "/api/alerts/rules/save", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

async fn set_rule_off(app: &TestApp, cto: &Client, kind: &str) {
    let form = [("kind", kind.to_string()), ("threshold", "1".into()), ("hold_minutes", "0".into()), ("repeat_minutes", "60".into())];
    let res = app.call(cto, "/api/alerts/rules/save", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

/// Saves a channel through the server function; returns its id.
async fn save_channel(app: &TestApp, client: &Client, form: &[(&str, &str)]) -> i64 {
    let form: Vec<(&str, String)> = form.iter().map(|(k, v)| (*k, v.to_string())).collect();
    let res = app.call(client, "/api/alerts/channels/save", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    sqlx::query_scalar("SELECT max(id) FROM alert_channels").fetch_one(&app.pool).await.unwrap()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Sends what is due at `at` (as the server's own sender does, which may get there first).
async fn send_due(app: &TestApp, at: i64) {
    app.state.part::<Dispatcher>().round(&app.pool, at).await.unwrap();
}

async fn look(app: &TestApp, look: Look) {
    evaluate(&app.pool, look, now(), app.state.config.currency).await.unwrap();
}

/// Whether `r`'s signature header verifies with `secret`.
pub(crate) fn verifies(r: &Received, secret: &str) -> bool {
    let Some(header) = r.header("x-northstar-signature") else { return false };
    let (t, v1) = header.split_once(",v1=").unwrap();
    let t = t.strip_prefix("t=").unwrap();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{}", r.body).as_bytes());
    let expected: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    expected == v1
}

/// Starts (`on`) or clears the condition a rule of `kind` watches; returns where to look.
async fn condition(app: &TestApp, cto: &Client, kind: &str, on: bool) -> Look {
    match kind {
        "kpi_status" => {
            if on {
                app.add_alert("notified-kpi", Some("Engineering")).await;
            }
            let kpi: i64 = sqlx::query_scalar("SELECT id FROM kpis WHERE key = 'notified-kpi'").fetch_one(&app.pool).await.unwrap();
            if !on {
                sqlx::query("INSERT INTO measurements (kpi_id, ts, value, source) VALUES (?1, ?2, 10, 'manual')").bind(kpi).bind(now()).execute(&app.pool).await.unwrap();
            }
            Look::Kpi(Some(kpi))
        }
        "system_down" => {
            let id: i64 = match sqlx::query_scalar("SELECT id FROM systems WHERE key = 'notified-app'").fetch_optional(&app.pool).await.unwrap() {
                Some(id) => id,
                None => app.add_system("notified-app", Some("Engineering")).await,
            };
            let status = if on { "down" } else { "operational" };
            let res = app.call(cto, "/api/infra/systems/status", &[("system_id", id.to_string()), ("status", status.into()), ("note", "test".into())]).await;
            assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
            Look::System(Some(id))
        }
        "incident_unacknowledged" => {
            if on {
                let system = app.add_system("incident-app", Some("Engineering")).await;
                app.add_incident(system).await;
            } else {
                sqlx::query("UPDATE incidents SET acknowledged_at = ?1 WHERE acknowledged_at IS NULL").bind(now()).execute(&app.pool).await.unwrap();
            }
            Look::Incident(None)
        }
        "contract_notice" => {
            if on {
                let day = |d: i64| (chrono::Utc::now().date_naive() + chrono::Duration::days(d)).format("%Y-%m-%d").to_string();
                let form = [
                    ("id", String::new()),
                    ("vendor", "Acme".into()),
                    ("name", "Support".into()),
                    ("owner", String::new()),
                    ("department", String::new()),
                    ("annual_value", "1200".into()),
                    ("starts_on", day(-300)),
                    ("ends_on", day(40)),
                    ("renews_on", day(40)),
                    ("notice_days", "30".into()),
                ];
                let res = app.call(cto, "/api/budgets/contracts/save", &form).await;
                assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
            } else {
                sqlx::query("DELETE FROM contracts").execute(&app.pool).await.unwrap();
            }
            Look::Contracts
        }
        "budget_forecast" | "spend_variance" => {
            // A budget of 12,000 a year, and 20,000 spent today: over to date and at year end,
            // for the line and for its department.
            let (dept, cat) = (app.department_id("Engineering").await.to_string(), app.category_id("Cloud").await.to_string());
            if on {
                let plan = [
                    ("year", String::new()),
                    ("department", dept.clone()),
                    ("category", cat.clone()),
                    ("kind", "opex".into()),
                    ("mode", "annual".into()),
                    ("annual", "12000".into()),
                    ("reason", "Plan".into()),
                ];
                let res = app.call(cto, "/api/budgets/plan/set", &plan).await;
                assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
                let res = app.call(cto, "/api/budgets/expenses/save", &common::expense_form("", &common::today(), "20000.00", &dept, &cat)).await;
                assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
            } else {
                let id: i64 = sqlx::query_scalar("SELECT max(id) FROM expenses").fetch_one(&app.pool).await.unwrap();
                let res = app.call(cto, "/api/budgets/expenses/delete", &[("id", id.to_string())]).await;
                assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
            }
            let dept = dept.parse().unwrap();
            if kind == "budget_forecast" { Look::BudgetForecast(Some(dept)) } else { Look::SpendVariance(Some(dept)) }
        }
        "error_budget" => {
            let id: i64 = match sqlx::query_scalar("SELECT id FROM systems WHERE key = 'budget-app'").fetch_optional(&app.pool).await.unwrap() {
                Some(id) => id,
                None => app.add_system("budget-app", Some("Engineering")).await,
            };
            if on {
                // Down for an hour, up again since a minute: more than the 43 min a 99.9 %
                // SLO allows in a month.
                for (ago, status) in [(3600, "down"), (60, "operational")] {
                    sqlx::query("INSERT INTO status_changes (system_id, at, status) VALUES (?1, ?2, ?3)").bind(id).bind(now() - ago).bind(status).execute(&app.pool).await.unwrap();
                }
            } else {
                sqlx::query("UPDATE systems SET slo_target = 50 WHERE id = ?1").bind(id).execute(&app.pool).await.unwrap();
            }
            Look::ErrorBudget(Some(id))
        }
        "tls_expiry" => {
            // What an HTTPS check records from the handshake (see `infra::probe`'s tests):
            // a certificate ending in five days, then a renewed one.
            if on {
                let system = app.add_system("tls-app", Some("Engineering")).await;
                sqlx::query(
                    "INSERT INTO checks (system_id, kind, target, timeout_ms, interval_secs, failure_threshold, enabled, tls_expires_at)
                     VALUES (?1, 'http', 'https://tls-app.test/', 5000, 3600, 1, 1, ?2)",
                )
                .bind(system)
                .bind(now() + 5 * 86_400)
                .execute(&app.pool)
                .await
                .unwrap();
            } else {
                sqlx::query("UPDATE checks SET tls_expires_at = ?1").bind(now() + 90 * 86_400).execute(&app.pool).await.unwrap();
            }
            Look::Certificates
        }
        other => panic!("no condition for {other}"),
    }
}

/// The events the JSON channel was told about rule `kind`, in order; one for several alerts
/// of the rule that changed together (a budget line and its department).
fn events(got: &[Received], kind: &str) -> Vec<String> {
    let mut told: Vec<String> =
        got.iter().filter(|r| r.path == "/generic" && r.json()["alert"]["rule"] == kind).map(|r| r.json()["event"].as_str().unwrap().to_string()).collect();
    told.dedup();
    told
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_rule_tells_its_start_once_repeats_after_the_interval_and_tells_its_end() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let hook = WebhookReceiver::start().await;
    save_channel(&app, &cto, &[("name", "JSON"), ("format", "generic"), ("target", &hook.url("/generic")), ("secret", SECRET), ("enabled", "true")]).await;
    save_channel(&app, &cto, &[("name", "Slack"), ("format", "slack"), ("target", &hook.url("/slack")), ("enabled", "true")]).await;
    save_channel(&app, &cto, &[("name", "Teams"), ("format", "teams"), ("target", &hook.url("/teams")), ("enabled", "true")]).await;
    let kinds = ["kpi_status", "system_down", "incident_unacknowledged", "contract_notice", "budget_forecast", "spend_variance", "error_budget", "tls_expiry"];
    let threshold = |kind: &str| match kind {
        "kpi_status" | "spend_variance" => 1,
        "contract_notice" => 30,
        "budget_forecast" => 10,
        "error_budget" => 80,
        "tls_expiry" => 14,
        _ => 0,
    };
    for kind in kinds {
        set_rule(&app, &cto, kind, threshold(kind), 0, 60).await;
    }
    // The two budget rules see the same overspending; each is tested with the other off.
    set_rule_off(&app, &cto, "spend_variance").await;
    let mut seen = 0;
    for kind in kinds {
        if kind == "spend_variance" {
            set_rule_off(&app, &cto, "budget_forecast").await;
            set_rule(&app, &cto, kind, threshold(kind), 0, 60).await;
        }
        // A budget rule finds the line and its department: two alerts, each to three channels.
        let per = if kind.starts_with("budget") || kind.starts_with("spend") { 6 } else { 3 };
        // Starts: one notice to each of the three channels.
        let where_ = condition(&app, &cto, kind, true).await;
        look(&app, where_).await;
        send_due(&app, now()).await;
        seen += per;
        let got = hook.until(seen).await;
        assert_eq!(got.len(), seen, "{kind}: one notice per alert and channel");
        assert_eq!(events(&got, kind), ["fired"], "{kind}: {got:#?}");

        // Holds: nothing more, however often the rule looks.
        look(&app, where_).await;
        send_due(&app, now()).await;
        assert_eq!(hook.until(seen).await.len(), seen, "{kind}: nothing new while it holds");

        // An hour on, nobody has taken it: one repeat.
        let later = now() + 3601;
        northstar::alert::worker::notices_due(&app.pool, later).await.unwrap();
        send_due(&app, later).await;
        seen += per;
        let got = hook.until(seen).await;
        assert_eq!(got.len(), seen, "{kind}: one repeat per alert and channel");
        assert_eq!(events(&got, kind).last().unwrap(), "repeat", "{kind}");

        // Clears: told at once, since the hold time is 0.
        let where_ = condition(&app, &cto, kind, false).await;
        look(&app, where_).await;
        send_due(&app, now()).await;
        seen += per;
        let got = hook.until(seen).await;
        assert_eq!(got.len(), seen, "{kind}: one end per alert and channel");
        assert_eq!(events(&got, kind), ["fired", "repeat", "resolved"], "{kind}");
    }

    // Every JSON delivery is signed over its timestamp and body with the channel's secret.
    let got = hook.received();
    let generic: Vec<&Received> = got.iter().filter(|r| r.path == "/generic").collect();
    assert_eq!(generic.len(), 6 * 3 + 2 * 6);
    for r in &generic {
        assert!(verifies(r, SECRET), "{r:?}");
        assert!(!verifies(r, "another-secret-entirely"));
        assert_eq!(r.header("content-type"), Some("application/json"));
        let link = r.json()["alert"]["link"].as_str().unwrap().to_string();
        assert!(link.starts_with("http://") && link.contains('/'), "{link}");
    }
    // The same content in Slack's and Teams' shapes.
    let slack = got.iter().find(|r| r.path == "/slack").unwrap().json();
    assert!(slack["text"].as_str().unwrap().contains("Open in Northstar>"), "{slack}");
    let teams = got.iter().find(|r| r.path == "/teams").unwrap().json();
    assert_eq!(teams["attachments"][0]["contentType"], "application/vnd.microsoft.card.adaptive");
    // The delivery log says what went where.
    let list = json(app.call(&cto, "/api/alerts/channels", &[]).await).await;
    let first = &list["rows"].as_array().unwrap()[0];
    assert_eq!(first["deliveries"][0]["state"], "Sent", "{first}");
    assert!(first["deliveries"][0]["outcome"].as_str().unwrap().starts_with("HTTP 200 in "), "{first}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flapping_condition_is_told_once_and_its_end_after_the_hold_time() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let hook = WebhookReceiver::start().await;
    save_channel(&app, &cto, &[("name", "JSON"), ("format", "generic"), ("target", &hook.url("/generic")), ("secret", SECRET), ("enabled", "true")]).await;
    set_rule(&app, &cto, "system_down", 0, 15, 0).await;
    for on in [true, false, true, false] {
        let where_ = condition(&app, &cto, "system_down", on).await;
        look(&app, where_).await;
        send_due(&app, now()).await;
    }
    let got = hook.until(1).await;
    assert_eq!(got.len(), 1, "down, up, down, up within the hold time: one notice");
    // Repeats are off (0); the end is told once the hold time has passed quietly.
    let later = now() + 15 * 60 + 1;
    northstar::alert::worker::notices_due(&app.pool, later).await.unwrap();
    send_due(&app, later).await;
    let got = hook.until(2).await;
    assert_eq!((got.len(), events(&got, "system_down")), (2, vec!["fired".to_string(), "resolved".to_string()]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_department_heads_channel_carries_only_that_departments_alerts() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    let hook = WebhookReceiver::start().await;
    save_channel(&app, &cto, &[("name", "CTO"), ("format", "generic"), ("target", &hook.url("/cto")), ("secret", SECRET), ("enabled", "true")]).await;
    let mine = save_channel(&app, &head, &[("name", "Eng"), ("format", "generic"), ("target", &hook.url("/head")), ("secret", SECRET), ("enabled", "true")]).await;

    // A head cannot widen their channel, nor mail anyone but themselves.
    let ops = app.department_id("Operations").await.to_string();
    for (form, field) in [
        (vec![("name", "Ops"), ("format", "slack"), ("target", "http://127.0.0.1:9/"), ("department", ops.as_str())], "department"),
        (vec![("name", "Mail"), ("format", "email"), ("target", "someone@example.com")], "target"),
        (vec![("name", "Meta"), ("format", "slack"), ("target", "http://169.254.169.254/latest/")], "target"),
        (vec![("name", "Unsigned"), ("format", "generic"), ("target", "http://127.0.0.1:9/")], "secret"),
    ] {
        let form: Vec<(&str, String)> = form.into_iter().map(|(k, v)| (k, v.to_string())).collect();
        let res = app.call(&head, "/api/alerts/channels/save", &form).await;
        assert_eq!(res.status(), 422, "{form:?}");
        assert!(res.text().await.unwrap().contains(field), "{field}");
    }
    save_channel(&app, &head, &[("name", "Me"), ("format", "email"), ("target", common::email_of(Role::DepartmentHead))]).await;

    // Engineering's system, Operations' system and a company-wide KPI go wrong.
    set_rule(&app, &cto, "system_down", 0, 0, 0).await;
    let eng = app.add_system("eng-web", Some("Engineering")).await;
    let ops_system = app.add_system("ops-desk", Some("Operations")).await;
    for system in [eng, ops_system] {
        let res = app.call(&cto, "/api/infra/systems/status", &[("system_id", system.to_string()), ("status", "down".into()), ("note", "x".into())]).await;
        assert_eq!(res.status(), 200);
        look(&app, Look::System(Some(system))).await;
    }
    app.add_alert("company-wide", None).await;
    northstar::alert::worker::notices_due(&app.pool, now()).await.unwrap();
    send_due(&app, now()).await;
    let got = hook.until(4).await;
    let subjects = |path: &str| {
        let mut s: Vec<String> = got.iter().filter(|r| r.path == path).map(|r| r.json()["alert"]["subject"].as_str().unwrap().to_string()).collect();
        s.sort();
        s
    };
    assert_eq!(subjects("/head"), ["System eng-web"], "the head hears of Engineering only");
    assert_eq!(subjects("/cto").len(), 3, "the CTO hears of everything");

    // The head sees and acts on their own channels only; the CTO on all.
    let theirs: i64 = sqlx::query_scalar("SELECT id FROM alert_channels WHERE name = 'CTO'").fetch_one(&app.pool).await.unwrap();
    for endpoint in ["/api/alerts/channels/test", "/api/alerts/channels/delete"] {
        assert_eq!(app.call(&head, endpoint, &[("id", theirs.to_string())]).await.status(), 403, "{endpoint}");
    }
    let form = [("id", theirs.to_string()), ("name", "Mine now".into()), ("format", "slack".into())];
    assert_eq!(app.call(&head, "/api/alerts/channels/save", &form).await.status(), 403);
    let listed = json(app.call(&head, "/api/alerts/channels", &[]).await).await;
    let names: Vec<&str> = listed["rows"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Eng", "Me"]);
    let listed = json(app.call(&cto, "/api/alerts/channels", &[]).await).await;
    assert_eq!(listed["rows"].as_array().unwrap().len(), 3);
    assert_eq!(app.call(&cto, "/api/alerts/channels/delete", &[("id", mine.to_string())]).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_are_retried_with_backoff_and_refusals_are_not() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let hook = WebhookReceiver::start().await;
    hook.answer(503);
    save_channel(&app, &cto, &[("name", "Flaky"), ("format", "generic"), ("target", &hook.url("/generic")), ("secret", SECRET), ("enabled", "true")]).await;
    set_rule(&app, &cto, "system_down", 0, 0, 0).await;
    let where_ = condition(&app, &cto, "system_down", true).await;
    look(&app, where_).await;
    let state = || async {
        sqlx::query_as::<_, (String, i64, i64, Option<String>)>("SELECT state, attempts, next_at, last_error FROM alert_deliveries ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap()
    };
    let mut at = now();
    send_due(&app, at).await;
    hook.until(1).await;
    for (attempt, pause) in BACKOFF.iter().enumerate() {
        let (s, attempts, next_at, error) = state().await;
        assert_eq!((s.as_str(), attempts, error.as_deref()), ("pending", attempt as i64 + 1, Some("HTTP 503")));
        assert!(next_at >= at + pause && next_at <= at + pause + 5, "attempt {}: next at +{}", attempt + 1, next_at - at);
        at = next_at;
        send_due(&app, at).await;
    }
    let (s, attempts, _, _) = state().await;
    assert_eq!((s.as_str(), attempts), ("failed", BACKOFF.len() as i64 + 1), "gives up after the last pause");
    assert_eq!(hook.received().len(), BACKOFF.len() + 1);

    // A receiver that refuses the request itself is not asked again.
    hook.answer(400);
    let test = app.call(&cto, "/api/alerts/channels/test", &[("id", "1".into())]).await;
    assert_eq!(test.status(), 503);
    assert!(test.text().await.unwrap().contains("HTTP 400"));
    let (s, attempts, _, _) = state().await;
    assert_eq!((s.as_str(), attempts), ("failed", 1));

    // A name that resolves to the metadata service is refused at the attempt, never dialled.
    let id = save_channel(&app, &cto, &[("name", "Sneaky"), ("format", "slack"), ("target", "http://metadata.test/hook"), ("enabled", "true")]).await;
    let test = app.call(&cto, "/api/alerts/channels/test", &[("id", id.to_string())]).await;
    assert_eq!(test.status(), 503);
    assert!(test.text().await.unwrap().contains("outbound address policy"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_goes_through_smtp_with_the_alerts_text_and_link() {
    let smtp = SmtpListener::start().await;
    let url = smtp.url();
    let app = spawn_app_with(|c| {
        c.smtp = Some(northstar::platform::config::Smtp { url, from: "Northstar <northstar@test.local>".parse().unwrap() });
    })
    .await;
    let cto = app.client_as(Some(Role::Cto)).await;
    save_channel(&app, &cto, &[("name", "My inbox"), ("format", "email"), ("target", common::email_of(Role::Cto)), ("enabled", "true")]).await;
    let res = app.call(&cto, "/api/alerts/channels/test", &[("id", "1".into())]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let mail = smtp.until(1).await;
    assert_eq!(mail[0].to, ["<cto@northstar.demo>"]);
    assert!(mail[0].header("Subject").unwrap().starts_with("[Northstar] Test"), "{:?}", mail[0].header("Subject"));

    set_rule(&app, &cto, "system_down", 0, 0, 0).await;
    let where_ = condition(&app, &cto, "system_down", true).await;
    look(&app, where_).await;
    send_due(&app, now()).await;
    let mail = smtp.until(2).await;
    let text = mail[1].text();
    assert!(mail[1].header("Subject").unwrap().contains("System down or degraded: System notified-app"), "{:?}", mail[1].header("Subject"));
    assert!(text.contains("is down since") && text.contains("/infrastructure/systems/"), "{text}");
    let log: String = sqlx::query_scalar("SELECT last_status FROM alert_deliveries ORDER BY id DESC LIMIT 1").fetch_one(&app.pool).await.map(|s: i64| s.to_string()).unwrap();
    assert_eq!(log, "250");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_muted_alert_is_not_sent_nor_counted_until_unmuted() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let hook = WebhookReceiver::start().await;
    save_channel(&app, &cto, &[("name", "JSON"), ("format", "generic"), ("target", &hook.url("/generic")), ("secret", SECRET), ("enabled", "true")]).await;
    set_rule(&app, &cto, "system_down", 0, 0, 60).await;
    let where_ = condition(&app, &cto, "system_down", true).await;
    look(&app, where_).await;
    send_due(&app, now()).await;
    hook.until(1).await;
    let alert: i64 = sqlx::query_scalar("SELECT id FROM alerts").fetch_one(&app.pool).await.unwrap();
    let bell = || async { json(app.call(&cto, "/api/alerts/firing", &[]).await).await };
    assert_eq!(bell().await, serde_json::json!([1, 0]));

    let bad = app.call(&cto, "/api/alerts/mute", &[("id", alert.to_string()), ("minutes", "5".into())]).await;
    assert_eq!(bad.status(), 422);
    let res = app.call(&cto, "/api/alerts/mute", &[("id", alert.to_string()), ("minutes", "1440".into())]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(bell().await, serde_json::json!([0, 0]), "the bell leaves a muted alert out");
    let later = now() + 3601;
    northstar::alert::worker::notices_due(&app.pool, later).await.unwrap();
    send_due(&app, later).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(hook.received().len(), 1, "no repeat while muted");

    let res = app.call(&cto, "/api/alerts/mute", &[("id", alert.to_string()), ("minutes", "0".into())]).await;
    assert_eq!(res.status(), 200);
    northstar::alert::worker::notices_due(&app.pool, later).await.unwrap();
    send_due(&app, later).await;
    assert_eq!(events(&hook.until(2).await, "system_down").last().unwrap(), "repeat");
    // Operations' head cannot mute Engineering's alert; Engineering's head can.
    let ops_id = app.user_id("ops.head@northstar.demo").await;
    let token = northstar::auth::session::create(&app.pool, ops_id, "test", now()).await.unwrap();
    let ops = app.client_with_token(&token.0);
    assert_eq!(app.call(&ops, "/api/alerts/mute", &[("id", alert.to_string()), ("minutes", "60".into())]).await.status(), 403);
    let eng = app.client_as(Some(Role::DepartmentHead)).await;
    assert_eq!(app.call(&eng, "/api/alerts/mute", &[("id", alert.to_string()), ("minutes", "60".into())]).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_channel_form_works_without_a_script() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let page = app.url("/alerts/channels?channel=new");
    let post = |target: &str| {
        let form = [("id", String::new()), ("name", "Ops".to_string()), ("format", "slack".into()), ("target", target.to_string()), ("enabled", "true".into())];
        cto.post(app.url("/api/alerts/channels/save")).header("accept", "text/html").header("referer", &page).form(&form).send()
    };
    // A mistake: back to the open form, the message at its field.
    let res = post("not a url").await.unwrap();
    let back = res.headers()["location"].to_str().unwrap().to_string();
    assert!(back.starts_with(&page) && back.contains("__err="), "{back}");
    let html = cto.get(&back).header("accept", "text/html").send().await.unwrap().text().await.unwrap();
    assert!(html.contains("is not a URL") && html.contains(r#"id="channel-target-error""#), "the message at the field");
    // Saved: the list, form closed, at the new channel.
    let res = post("https://hooks.slack.com/services/T000/B000/XXXX").await.unwrap();
    assert!(res.status().is_redirection());
    assert_eq!(res.headers()["location"].to_str().unwrap(), "/alerts/channels#channel-1");
    let html = cto.get(app.url("/alerts/channels")).header("accept", "text/html").send().await.unwrap().text().await.unwrap();
    assert!(html.contains("https://hooks.slack.com/…"), "the host only");
    assert!(!html.contains("XXXX"), "never the URL's credential");
    assert!(!html.contains(r#"id="channel-form""#), "the form is closed");
}

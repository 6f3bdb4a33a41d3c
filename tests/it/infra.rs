//! Infrastructure end to end: real HTTP and TCP targets on this machine are taken down and
//! brought back while the checks run, and the status, incidents and uptime must follow.

use crate::common;

use common::{json, spawn_app, spawn_app_with, TestApp};
use northstar::access::Role;
use reqwest::Client;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A local server on a fixed port that can be stopped and started again. HTTP answers 200
/// "ok"; plain TCP accepts and closes.
struct Target {
    port: u16,
    http: bool,
    task: Option<JoinHandle<()>>,
}

impl Target {
    async fn start(http: bool) -> Target {
        let mut t = Target { port: 0, http, task: None };
        t.listen().await;
        t
    }

    async fn listen(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await.expect("bind the target");
        self.port = listener.local_addr().unwrap().port();
        let http = self.http;
        self.task = Some(tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else { return };
                tokio::spawn(async move {
                    if http {
                        // The whole request is read before answering: closing a socket with
                        // unread bytes resets it, and the client may lose the answer.
                        let mut request = Vec::new();
                        let mut buf = [0u8; 4096];
                        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                            match sock.read(&mut buf).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => request.extend_from_slice(&buf[..n]),
                            }
                        }
                        let _ = sock.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok").await;
                        let _ = sock.shutdown().await;
                    }
                });
            }
        }));
    }

    /// Closes the port: connections are refused until `restart`.
    async fn stop(&mut self) {
        if let Some(t) = self.task.take() {
            t.abort();
            let _ = t.await;
        }
    }

    async fn restart(&mut self) {
        self.listen().await;
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/health", self.port)
    }
}

async fn add_system(app: &TestApp, cto: &Client, key: &str, tier: &str, department: &str) -> i64 {
    let res = app
        .call(
            cto,
            "/api/infra/systems/save",
            &[
                ("id", String::new()),
                ("key", key.into()),
                ("name", format!("System {key}")),
                ("kind", "service".into()),
                ("tier", tier.into()),
                ("department", department.into()),
                ("slo", "99.9".into()),
                ("description", String::new()),
                ("links", String::new()),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    json(res).await.as_i64().unwrap()
}

async fn add_check(app: &TestApp, cto: &Client, system: i64, kind: &str, target: &str, threshold: &str) -> i64 {
    let res = app.call(cto, "/api/infra/checks/save", &common::check_form(system, kind, target, "10", threshold)).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    json(res).await.as_i64().unwrap()
}

async fn run(app: &TestApp, cto: &Client, check: i64) -> String {
    let res = app.call(cto, "/api/infra/checks/run", &[("id", check.to_string())]).await;
    assert_eq!(res.status(), 200);
    json(res).await.as_str().unwrap().to_string()
}

async fn status(app: &TestApp, system: i64) -> String {
    sqlx::query_scalar("SELECT status FROM systems WHERE id = ?1").bind(system).fetch_one(&app.pool).await.unwrap()
}

async fn incidents(app: &TestApp, system: i64) -> Vec<(i64, String, String, Option<i64>)> {
    sqlx::query_as("SELECT id, opened_by, severity, resolved_at FROM incidents WHERE system_id = ?1 ORDER BY id").bind(system).fetch_all(&app.pool).await.unwrap()
}

async fn note_kinds(app: &TestApp, incident: i64) -> Vec<String> {
    sqlx::query_scalar("SELECT kind FROM incident_notes WHERE incident_id = ?1 ORDER BY at, id").bind(incident).fetch_all(&app.pool).await.unwrap()
}

/// Without the background scheduler, so each result comes from an explicit "run now".
async fn manual_app() -> TestApp {
    spawn_app_with(|c| c.run_checks = false).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_http_target_goes_down_and_comes_back() {
    let app = manual_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let mut web = Target::start(true).await;
    let system = add_system(&app, &cto, "checkout", "1", "").await;
    let check = add_check(&app, &cto, system, "http", &web.url(), "2").await;
    assert_eq!(status(&app, system).await, "unknown", "no result yet");

    assert!(run(&app, &cto, check).await.starts_with("Passed in"));
    assert_eq!(status(&app, system).await, "operational");

    web.stop().await;
    assert!(run(&app, &cto, check).await.contains("connection refused"));
    assert_eq!(status(&app, system).await, "operational", "one failure is below the threshold of two");
    assert!(incidents(&app, system).await.is_empty(), "a single flap raises no incident");

    run(&app, &cto, check).await;
    assert_eq!(status(&app, system).await, "down");
    let open = incidents(&app, system).await;
    assert_eq!(open.len(), 1);
    let (incident, opened_by, severity, resolved) = open[0].clone();
    assert_eq!((opened_by.as_str(), severity.as_str(), resolved), ("monitor", "sev1", None), "tier 1 opens a SEV1");
    let board = json(app.call(&cto, "/api/infra/board", &[]).await).await;
    assert_eq!(board["open_incidents"][0]["title"], "System checkout is down");
    // The outage is dated from the first failure, not from the confirming one.
    let (started, first_failure): (i64, i64) = sqlx::query_as(
        "SELECT i.started_at, (SELECT min(at_ms) / 1000 FROM check_results WHERE check_id = ?2 AND ok = 0) FROM incidents i WHERE i.id = ?1",
    )
    .bind(incident)
    .bind(check)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(started, first_failure);

    web.restart().await;
    assert!(run(&app, &cto, check).await.starts_with("Passed in"));
    assert_eq!(status(&app, system).await, "operational");
    let after = incidents(&app, system).await;
    assert!(after[0].3.is_some(), "recovery resolves the monitor's incident");
    assert_eq!(note_kinds(&app, incident).await, ["opened", "recovered"]);
    let history: Vec<String> = sqlx::query_scalar("SELECT status FROM status_changes WHERE system_id = ?1 ORDER BY at, id").bind(system).fetch_all(&app.pool).await.unwrap();
    assert_eq!(history, ["operational", "down", "operational"]);
    // The same incident feeds the DORA metrics: one source, no double entry.
    let dora = json(app.call(&cto, "/api/kpis/dora", &[("window", "30".into())]).await).await;
    assert_eq!(dora["overall"]["incidents_resolved"], 1, "{dora}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tcp_target_goes_down_and_a_person_who_took_over_keeps_the_incident() {
    let app = manual_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let mut db = Target::start(false).await;
    let system = add_system(&app, &cto, "ledger-db", "2", "").await;
    let check = add_check(&app, &cto, system, "tcp", &format!("127.0.0.1:{}", db.port), "1").await;
    assert!(run(&app, &cto, check).await.starts_with("Passed"));
    db.stop().await;
    assert!(run(&app, &cto, check).await.contains("connection refused"));
    assert_eq!(status(&app, system).await, "down", "a threshold of one: down at the first failure");
    let (incident, _, severity, _) = incidents(&app, system).await[0].clone();
    assert_eq!(severity, "sev2");

    let res = app.call(&cto, "/api/infra/incidents/update", &[("id", incident.to_string()), ("action", "take_over".into())]).await;
    assert_eq!(res.status(), 200);
    db.restart().await;
    run(&app, &cto, check).await;
    assert_eq!(status(&app, system).await, "operational");
    assert_eq!(incidents(&app, system).await[0].3, None, "taken over: recovery leaves it open");
    assert_eq!(note_kinds(&app, incident).await, ["opened", "taken_over", "recovered"]);

    // Changing the check starts it over as pending; a check id of no such system is not found.
    let edit = |id: i64, system: i64| {
        vec![("system_id", system.to_string()), ("id", id.to_string()), ("kind", "tcp".to_string()), ("target", format!("127.0.0.1:{}", db.port)), ("enabled", "on".to_string())]
    };
    let res = app.call(&cto, "/api/infra/checks/save", &edit(check, system)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(json(res).await.as_i64(), Some(check));
    let (state,): (String,) = sqlx::query_as("SELECT state FROM checks WHERE id = ?1").bind(check).fetch_one(&app.pool).await.unwrap();
    assert_eq!(state, "pending");
    let other = add_system(&app, &cto, "other-db", "3", "").await;
    assert_eq!(app.call(&cto, "/api/infra/checks/save", &edit(check, other)).await.status(), 404);

    let res = app.call(&cto, "/api/infra/incidents/update", &[("id", incident.to_string()), ("action", "resolve".into()), ("body", "Replaced the NIC.".into())]).await;
    assert_eq!(res.status(), 200);
    let detail = json(app.call(&cto, "/api/infra/incident", &[("id", incident.to_string())]).await).await;
    assert!(detail["row"]["resolved"].is_string());
    assert!(detail["time_to_acknowledge"].is_string() && detail["time_to_resolve"].is_string());
    assert_eq!(detail["notes"].as_array().unwrap().last().unwrap()["body"], "Replaced the NIC.");
    let again = app.call(&cto, "/api/infra/incidents/update", &[("id", incident.to_string()), ("action", "resolve".into())]).await;
    assert_eq!(again.status(), 409, "resolving twice is refused");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_inside_a_maintenance_window_open_no_incident() {
    let app = manual_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let mut web = Target::start(true).await;
    let system = add_system(&app, &cto, "portal", "2", "").await;
    let check = add_check(&app, &cto, system, "http", &web.url(), "1").await;
    run(&app, &cto, check).await;
    let fmt = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M").to_string();
    let now = chrono::Utc::now();
    let res = app
        .call(&cto, "/api/infra/maintenance/save", &[("system_id", system.to_string()), ("starts", fmt(now - chrono::Duration::minutes(5))), ("ends", fmt(now + chrono::Duration::hours(1))), ("note", "Upgrade".into())])
        .await;
    assert_eq!(res.status(), 200);
    let window = json(res).await.as_i64().unwrap();
    assert_eq!(status(&app, system).await, "maintenance");
    web.stop().await;
    run(&app, &cto, check).await;
    assert_eq!(status(&app, system).await, "maintenance");
    assert!(incidents(&app, system).await.is_empty());

    // The window ends early (deleted): the failing check now counts.
    let res = app.call(&cto, "/api/infra/maintenance/delete", &[("id", window.to_string())]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(status(&app, system).await, "down");
    assert_eq!(incidents(&app, system).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uptime_leaves_maintenance_out_of_both_sides() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let system = app.add_system("billing", None).await;
    let now = chrono::Utc::now().timestamp();
    let h = 3600;
    // Watched since 30 h ago; down from 10 h ago to 7 h ago; maintenance from 11 h to 8 h ago.
    for (at, s) in [(now - 30 * h, "operational"), (now - 10 * h, "down"), (now - 7 * h, "operational")] {
        sqlx::query("INSERT INTO status_changes (system_id, at, status) VALUES (?1, ?2, ?3)").bind(system).bind(at).bind(s).execute(&app.pool).await.unwrap();
    }
    sqlx::query("INSERT INTO maintenance_windows (system_id, starts_at, ends_at) VALUES (?1, ?2, ?3)").bind(system).bind(now - 11 * h).bind(now - 8 * h).execute(&app.pool).await.unwrap();
    let d = json(app.call(&cto, "/api/infra/system", &[("id", system.to_string()), ("range", "24h".into())]).await).await;
    let day = &d["uptime"][0];
    assert_eq!(day["period"], "Last 24 hours");
    // Of the 3 h down, 2 h fall in the window: (24 - 3 - 1) / (24 - 3) = 95.24 %.
    assert_eq!(day["uptime"], "95.24 %");
    assert_eq!(day["downtime"], "1 h");
    // 99.9 % of 21 h allows 75.6 s; 3,600 s used 4,762 % of it.
    assert_eq!(day["budget_used"], "4762 %");
    assert_eq!(day["meets_slo"], false);
    assert!(d["uptime_chart"]["svg"].as_str().unwrap().contains("<title"));
    assert!(d["response_chart"]["svg"].as_str().unwrap().contains("<desc"));

    let csv = cto.get(app.url("/api/infra/sla.csv")).send().await.unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("system,tier,slo_percent,uptime_percent,met_slo,downtime_seconds,maintenance_seconds,allowed_downtime_seconds,error_budget_used_percent,incidents,mttr_seconds\n"));
    // Plain numbers in the units the header names; nothing a spreadsheet must clean first.
    assert!(text.contains("System billing,2,99.9,"), "{text}");
    for cell in text.lines().skip(1).flat_map(|l| l.split(',').skip(1)) {
        assert!(cell.is_empty() || cell == "yes" || cell == "no" || cell.parse::<f64>().is_ok(), "{cell:?} in {text}");
    }
    let bad = cto.get(app.url("/api/infra/sla.csv?period=2026-13")).send().await.unwrap();
    assert_eq!(bad.status(), 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_checks_are_refused_at_their_fields_and_nothing_is_stored() {
    let app = manual_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let system = add_system(&app, &cto, "search", "2", "").await;
    let cases: [(&[(&str, &str)], &str, &str); 6] = [
        (&[("kind", "http"), ("target", "ftp://files.example.com")], "target", "not an http:// or https:// URL"),
        (&[("kind", "tcp"), ("target", "db.internal:70000")], "target", "out of range"),
        (&[("kind", "tcp"), ("target", "db.internal")], "target", "no port"),
        (&[("kind", "http"), ("target", "http://x.example"), ("timeout_ms", "0")], "timeout_ms", "at least 1 ms"),
        (&[("kind", "http"), ("target", "http://x.example"), ("timeout_ms", "-20")], "timeout_ms", "at least 1 ms"),
        (&[("kind", "http"), ("target", "http://x.example"), ("interval_secs", "5")], "interval_secs", "at least 10 seconds"),
    ];
    for (fields, field, message) in cases {
        let mut form: Vec<(&str, String)> = vec![("system_id", system.to_string()), ("id", String::new())];
        form.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
        let res = app.call(&cto, "/api/infra/checks/save", &form).await;
        assert_eq!(res.status(), 422, "{fields:?}");
        let body = json(res).await;
        let found = body["fields"].as_array().unwrap().iter().find(|f| f["field"] == field).unwrap_or_else(|| panic!("{field} in {body}"));
        assert!(found["message"].as_str().unwrap().contains(message), "{found}");
    }
    let (checks,): (i64,) = sqlx::query_as("SELECT count(*) FROM checks").fetch_one(&app.pool).await.unwrap();
    assert_eq!(checks, 0);
    let res = app
        .call(&cto, "/api/infra/systems/save", &[("id", "".into()), ("key", "Bad Key".into()), ("name", "".into()), ("kind", "robot".into()), ("tier", "7".into()), ("department", "".into()), ("slo", "100".into()), ("description", "".into()), ("links", "not a url".into())])
        .await;
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    let named: Vec<&str> = body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(named, ["key", "name", "kind", "tier", "slo", "links"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scheduler_records_every_kind_of_fault_and_keeps_running() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let good = Target::start(true).await;
    // Accepts and never answers; answers garbage; resets.
    let hang = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hang_port = hang.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = hang.accept().await {
            held.push(s);
        }
    });
    let garbage = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let garbage_port = garbage.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = garbage.accept().await {
            // Read the request and hold the connection a moment after answering: a socket closed
            // with the request unread is reset, and on a loaded machine the reset can reach the
            // client before the garbage does ("connection reset" instead of "not valid HTTP").
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                let _ = tokio::io::AsyncReadExt::read(&mut s, &mut buf).await;
                let _ = s.write_all(b"\x16\x03 this is not HTTP\r\n\r\n").await;
                tokio::time::sleep(Duration::from_secs(2)).await;
            });
        }
    });
    let system = add_system(&app, &cto, "edge", "3", "").await;
    let targets = [
        ("http", good.url(), None),
        ("http", format!("http://127.0.0.1:{hang_port}/"), Some("timed out")),
        ("http", format!("http://127.0.0.1:{garbage_port}/"), Some("valid HTTP")),
        ("http", "http://no-such-host.invalid/".to_string(), Some("DNS lookup")),
        ("tcp", "127.0.0.1:1".to_string(), Some("connection refused")),
    ];
    let mut ids = Vec::new();
    for (kind, target, _) in &targets {
        ids.push(add_check(&app, &cto, system, kind, target, "1").await);
    }
    // New checks run at once; wait for all five results.
    let mut waited = 0;
    loop {
        let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM checks WHERE system_id = ?1 AND last_at IS NOT NULL").bind(system).fetch_one(&app.pool).await.unwrap();
        if n == 5 {
            break;
        }
        assert!(waited < 150, "only {n} of 5 checks ran");
        tokio::time::sleep(Duration::from_millis(100)).await;
        waited += 1;
    }
    for (id, (_, target, want)) in ids.iter().zip(&targets) {
        let (state, error): (String, Option<String>) = sqlx::query_as("SELECT state, last_error FROM checks WHERE id = ?1").bind(id).fetch_one(&app.pool).await.unwrap();
        match want {
            None => assert_eq!((state.as_str(), error), ("up", None), "{target}"),
            Some(w) => {
                assert_eq!(state, "down", "{target}");
                assert!(error.as_deref().unwrap_or_default().contains(w), "{target}: {error:?}");
            }
        }
    }
    assert_eq!(status(&app, system).await, "degraded", "one check up, four down");
    // The scheduler is still alive: a further check added now runs too.
    let late = add_check(&app, &cto, system, "tcp", &format!("127.0.0.1:{}", good.port), "1").await;
    for _ in 0..100 {
        let (at,): (Option<i64>,) = sqlx::query_as("SELECT last_at FROM checks WHERE id = ?1").bind(late).fetch_one(&app.pool).await.unwrap();
        if at.is_some() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the scheduler stopped running new checks");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn department_heads_read_and_annotate_only_their_own_departments_incidents() {
    let app = manual_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    let investor = app.client_as(Some(Role::Investor)).await;
    let (eng, ops) = (app.department_id("Engineering").await, app.department_id("Operations").await);
    let own = app.add_incident(add_system(&app, &cto, "eng-api", "2", &eng.to_string()).await).await;
    let other = app.add_incident(add_system(&app, &cto, "ops-vpn", "2", &ops.to_string()).await).await;

    let board = app.call(&head, "/api/infra/board", &[]).await;
    assert_eq!(board.status(), 200);
    assert_eq!(json(board).await["systems"].as_array().unwrap().len(), 2, "every system's status, read-only");
    let note = |id: i64| vec![("id", id.to_string()), ("body", "Customer reports confirm.".to_string())];
    assert_eq!(app.call(&head, "/api/infra/incidents/note", &note(own)).await.status(), 200);
    assert_eq!(app.call(&head, "/api/infra/incidents/note", &note(other)).await.status(), 403);
    assert_eq!(app.call(&head, "/api/infra/incidents/note", &note(9999)).await.status(), 403, "a missing incident looks the same as another department's");
    let detail = json(app.call(&head, "/api/infra/incident", &[("id", other.to_string())]).await).await;
    assert_eq!((detail["can_note"].as_bool(), detail["can_manage"].as_bool()), (Some(false), Some(false)));
    for (endpoint, form) in [
        ("/api/infra/incidents/update", vec![("id", own.to_string()), ("action", "resolve".to_string())]),
        ("/api/infra/checks/run", vec![("id", "1".to_string())]),
        ("/api/infra/systems/delete", vec![("id", "1".to_string())]),
    ] {
        assert_eq!(app.call(&head, endpoint, &form).await.status(), 403, "{endpoint}");
    }
    let nothing = |k: &'static str| (k, String::new());
    for (endpoint, form) in [
        ("/api/infra/board", vec![]),
        ("/api/infra/incidents", vec![nothing("query[state]"), nothing("query[system]"), nothing("query[days]")]),
        ("/api/infra/incident", vec![("id", own.to_string())]),
        ("/api/infra/sla", vec![nothing("period")]),
    ] {
        assert_eq!(app.call(&investor, endpoint, &form).await.status(), 403, "{endpoint}");
    }
    let notes: i64 = sqlx::query_scalar("SELECT count(*) FROM incident_notes WHERE kind = 'note'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(notes, 1, "only the own department's note was stored");
}

/// A period's report lists only the systems that existed in it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_period_reports_only_the_systems_that_existed_then() {
    let app = manual_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    add_system(&app, &cto, "billing", "2", "").await;
    let this_month = chrono::Utc::now().format("%Y-%m").to_string();
    let last_year = format!("{}-Q1", chrono::Datelike::year(&chrono::Utc::now()) - 1);
    let rows = |period: String| {
        let (app, cto) = (&app, &cto);
        async move {
            let body = json(app.call(cto, "/api/infra/sla", &[("period", period)]).await).await;
            body["rows"].as_array().unwrap().iter().map(|r| r["system"].as_str().unwrap().to_string()).collect::<Vec<_>>()
        }
    };
    assert_eq!(rows(this_month).await, ["System billing"]);
    assert!(rows(last_year.clone()).await.is_empty(), "billing was added after {last_year}");
    let csv = cto.get(app.url(&format!("/api/infra/sla.csv?period={last_year}"))).send().await.unwrap().text().await.unwrap();
    assert_eq!(csv.lines().count(), 1, "only the header: {csv}");
}

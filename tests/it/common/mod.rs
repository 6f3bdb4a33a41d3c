//! The test kit: the whole app on port 0 with a fresh SQLite database, for every test and
//! benchmark (benches/common includes this file), clients per role and fixtures.
#![allow(dead_code)]

pub mod process;
pub mod receivers;
mod strategy;

use northstar::access::Role;
use northstar::auth::ratelimit::Limits;
use northstar::auth::session;
use northstar::platform::net::testing::loopback_outbound;
use northstar::platform::config::Config;
use northstar::platform::{db, state::AppState};
use northstar::server::seed;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, COOKIE};
use reqwest::{Client, Response};
use sqlx::SqlitePool;
use std::net::SocketAddr;

pub struct TestApp {
    pub addr: SocketAddr,
    pub pool: SqlitePool,
    pub state: AppState,
    /// Where the database and the app's files live; removed when the app is dropped.
    pub dir: tempfile::TempDir,
}

/// The demo accounts each test starts with.
pub fn email_of(role: Role) -> &'static str {
    match role {
        Role::Cto => "cto@northstar.demo",
        Role::DepartmentHead => "eng.head@northstar.demo",
        Role::Investor => "investor@northstar.demo",
    }
}

pub const PASSWORD: &str = seed::DEMO_PASSWORD;

/// A request that takes this long has hung; fail with its name rather than stall the suite.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/northstar.db", dir.path().display());
    let mut config = Config::from_lookup(&|k| match k {
        "DATABASE_URL" => Some(url.clone()),
        "LEPTOS_SITE_ADDR" => Some("127.0.0.1:0".into()),
        _ => None,
    })
    .expect("config");
    // Server-side PDFs are tested where asked for; elsewhere the printer is off.
    config.chromium = None;
    adjust(&mut config);
    let pool = db::connect(&config.database_url).await.expect("connect");
    db::migrate(&pool).await.expect("migrate");
    seed::seed_accounts(&pool).await.expect("seed");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().unwrap();
    // The server's way out answers only `localhost` and dials only loopback addresses: a test
    // that goes wrong still sends nothing beyond this machine.
    // `metadata.test` stands for a name an attacker points at the cloud metadata service.
    let (outbound, _) = loopback_outbound(config.outbound.clone(), &[("metadata.test", "169.254.169.254")]);
    let state = northstar::server::assemble(config, pool.clone(), Limits::default(), outbound);
    tokio::spawn(northstar::server::serve(state.clone(), listener));
    TestApp { addr, pool, state, dir }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A client that keeps cookies, does not follow redirects and asks for JSON, as the
    /// browser's server-function client does.
    pub fn client(&self) -> Client {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        Client::builder()
            .cookie_store(true)
            .timeout(REQUEST_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .unwrap()
    }

    /// A client already holding a session for the demo account of `role`, made directly in
    /// the database so that access tests do not spend an argon2 hash per request.
    pub async fn client_as(&self, role: Option<Role>) -> Client {
        let Some(role) = role else { return self.client() };
        let id = self.user_id(email_of(role)).await;
        let token = session::create(&self.pool, id, "test", db::now_unix()).await.unwrap();
        self.client_with_token(&token.0)
    }

    pub fn client_with_token(&self, token: &str) -> Client {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(COOKIE, HeaderValue::from_str(&format!("{}={token}", session::COOKIE)).unwrap());
        Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .unwrap()
    }

    pub async fn user_id(&self, email: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM users WHERE email = ?1").bind(email).fetch_one(&self.pool).await.unwrap()
    }

    /// How many records the audit trail holds.
    pub async fn audit_count(&self) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM audit_events").fetch_one(&self.pool).await.unwrap()
    }

    pub async fn department_id(&self, name: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM departments WHERE name = ?1").bind(name).fetch_one(&self.pool).await.unwrap()
    }

    /// Calls a server function with form-encoded arguments.
    pub async fn call(&self, client: &Client, endpoint: &str, form: &[(&str, String)]) -> Response {
        client.post(self.url(endpoint)).form(form).send().await.expect("request")
    }

    pub async fn login(&self, client: &Client, email: &str, password: &str) -> Response {
        self.call(client, "/api/auth/login", &[("email", email.into()), ("password", password.into())]).await
    }
}

pub async fn json(res: Response) -> serde_json::Value {
    let text = res.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
}

impl TestApp {
    /// A KPI created straight in the database: `dept` None is company-wide. Its target runs
    /// from the beginning: `target`, `amber`, `red`.
    pub async fn add_kpi(&self, key: &str, dept: Option<&str>, unit: &str, direction: &str, aggregation: &str, target: Option<(f64, f64, f64)>) -> i64 {
        let dept_id = match dept {
            Some(name) => Some(self.department_id(name).await),
            None => None,
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO kpis (key, name, category, unit, direction, aggregation, department_id) VALUES (?1, ?2, 'reliability', ?3, ?4, ?5, ?6) RETURNING id",
        )
        .bind(key)
        .bind(format!("KPI {key}"))
        .bind(unit)
        .bind(direction)
        .bind(aggregation)
        .bind(dept_id)
        .fetch_one(&self.pool)
        .await
        .unwrap();
        if let Some((t, a, r)) = target {
            sqlx::query("INSERT INTO kpi_targets (kpi_id, effective_from, target, amber, red) VALUES (?1, '1970-01-01', ?2, ?3, ?4)")
                .bind(id)
                .bind(t)
                .bind(a)
                .bind(r)
                .execute(&self.pool)
                .await
                .unwrap();
        }
        id
    }

    pub async fn count_measurements(&self, key: &str) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM measurements m JOIN kpis k ON k.id = m.kpi_id WHERE k.key = ?1")
            .bind(key)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    /// An API token made through the CTO's server function, as a person would.
    pub async fn api_token(&self, name: &str) -> String {
        let cto = self.client_as(Some(Role::Cto)).await;
        let res = self.call(&cto, "/api/admin/tokens/create", &[("name", name.to_string())]).await;
        assert_eq!(res.status(), 200);
        json(res).await["secret"].as_str().unwrap().to_string()
    }

    /// A JSON body posted to the token API, with `token` or without one: (status, answer).
    pub async fn post_json(&self, token: Option<&str>, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        let req = self.client().post(self.url(path)).json(&body);
        let req = match token {
            Some(t) => req.bearer_auth(t),
            None => req,
        };
        let res = req.send().await.unwrap();
        (res.status().as_u16(), res.json().await.unwrap_or_default())
    }

    pub async fn upload_csv(&self, client: &Client, key: &str, body: impl Into<reqwest::Body>) -> Response {
        client.post(self.url(&format!("/api/kpis/{key}/import"))).header("content-type", "text/csv").body(body).send().await.unwrap()
    }
}

/// Unix seconds now, and an ISO 8601 text for `days` ago at noon UTC.
pub fn days_ago(days: i64) -> String {
    let t = chrono::Utc::now() - chrono::Duration::days(days);
    t.format("%Y-%m-%dT12:00:00Z").to_string()
}

/// Today's date (UTC) as YYYY-MM-DD: expenses may not lie in the future.
pub fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

/// The arguments of `save_expense`, for the current fiscal year.
pub fn expense_form(id: &str, date: &str, amount: &str, department: &str, category: &str) -> Vec<(&'static str, String)> {
    vec![
        ("id", id.into()),
        ("year", String::new()),
        ("spent_on", date.into()),
        ("amount", amount.into()),
        ("department", department.into()),
        ("category", category.into()),
        ("kind", "opex".into()),
        ("vendor", "Acme Cloud".into()),
        ("description", "Monthly bill".into()),
        ("invoice_ref", "INV-1".into()),
    ]
}

impl TestApp {
    pub async fn category_id(&self, name: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM budget_categories WHERE name = ?1").bind(name).fetch_one(&self.pool).await.unwrap()
    }

    /// An expense written straight to the database (the rollup triggers still run).
    pub async fn add_expense(&self, department: &str, category: &str, date: &str, amount_minor: i64) -> i64 {
        let (d, c) = (self.department_id(department).await, self.category_id(category).await);
        let month: i64 = date[..4].parse::<i64>().unwrap() * 100 + date[5..7].parse::<i64>().unwrap();
        sqlx::query_scalar(
            "INSERT INTO expenses (spent_on, month, amount_minor, department_id, category_id, kind, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 'opex', 0) RETURNING id",
        )
        .bind(date)
        .bind(month)
        .bind(amount_minor)
        .bind(d)
        .bind(c)
        .fetch_one(&self.pool)
        .await
        .unwrap()
    }

    /// A company-wide support contract for 2026, through the budget's repo.
    pub async fn add_contract(&self, vendor: &str) -> i64 {
        let contract = northstar::budget::repo::NewContract {
            vendor: vendor.into(),
            name: "Support".into(),
            owner: String::new(),
            department_id: None,
            annual_value: 100,
            starts_on: "2026-01-01".into(),
            ends_on: "2026-12-31".into(),
            renews_on: None,
            notice_days: 30,
            auto_renew: false,
            system_id: None,
        };
        let mut db = self.pool.acquire().await.unwrap();
        northstar::budget::repo::save_contract(&mut db, None, &contract).await.unwrap()
    }
}

impl TestApp {
    /// A tier-2 service through the system form's rules and the inventory's repo, created a
    /// day ago and operational since.
    pub async fn add_system(&self, key: &str, department: Option<&str>) -> i64 {
        use northstar::infra::{model, repo};
        let department = match department {
            Some(d) => self.department_id(d).await.to_string(),
            None => String::new(),
        };
        let input = northstar::infra::view::SystemInput {
            id: String::new(),
            key: key.into(),
            name: format!("System {key}"),
            kind: "service".into(),
            tier: "2".into(),
            department,
            slo: "99.9".into(),
            description: String::new(),
            links: String::new(),
            depends_on: Vec::new(),
        };
        let since = chrono::Utc::now().timestamp() - 86_400;
        let mut db = self.pool.acquire().await.unwrap();
        let id = repo::insert_system(&mut db, &model::check_system(&input, None).unwrap(), since).await.unwrap();
        // A system starts unknown until its first check; these fixtures stand for one that has
        // been watched and fine for the day.
        sqlx::query("UPDATE systems SET status = 'operational' WHERE id = ?1").bind(id).execute(&mut *db).await.unwrap();
        id
    }

    /// A TCP check that runs hourly: tests run it when they choose.
    pub async fn add_check(&self, system_id: i64, target: &str) -> i64 {
        sqlx::query_scalar("INSERT INTO checks (system_id, kind, target, timeout_ms, interval_secs, failure_threshold) VALUES (?1, 'tcp', ?2, 1000, 3600, 1) RETURNING id")
            .bind(system_id)
            .bind(target)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    /// An open SEV2 incident on a system, opened by a person an hour ago.
    /// A firing alert, raised by the KPI rule itself: a KPI keyed `key` in `department` (by
    /// name) or company-wide, whose one measurement is red. Returns the alert's id.
    pub async fn add_alert(&self, key: &str, department: Option<&str>) -> i64 {
        let kpi = self.add_kpi(key, department, "count", "higher", "last", Some((10.0, 10.0, 5.0))).await;
        let now = chrono::Utc::now().timestamp();
        sqlx::query("INSERT INTO measurements (kpi_id, ts, value, source) VALUES (?1, ?2, 1, 'manual')").bind(kpi).bind(now - 60).execute(&self.pool).await.unwrap();
        let look = northstar::alert::rules::Look::Kpi(Some(kpi));
        northstar::alert::rules::evaluate(&self.pool, look, now, self.state.config.currency).await.unwrap();
        sqlx::query_scalar("SELECT id FROM alerts WHERE subject_kind = 'kpi' AND subject_id = ?1 AND resolved_at IS NULL")
            .bind(kpi.to_string())
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    /// A notification channel owned by the account `owner`, receiving every alert it may see.
    pub async fn add_channel(&self, owner: &str, format: &str, target: &str) -> i64 {
        let owner = self.user_id(owner).await;
        sqlx::query_scalar(
            "INSERT INTO alert_channels (owner_id, name, format, target, secret, created_at) VALUES (?1, ?2, ?3, ?4, 'a-shared-secret-for-tests', 0) RETURNING id",
        )
        .bind(owner)
        .bind(format!("{format} channel"))
        .bind(format)
        .bind(target)
        .fetch_one(&self.pool)
        .await
        .unwrap()
    }

    pub async fn add_incident(&self, system_id: i64) -> i64 {
        use northstar::infra::repo;
        let mut db = self.pool.acquire().await.unwrap();
        let key = repo::system(&mut db, system_id).await.unwrap().key;
        let incident = repo::NewIncident {
            system_id,
            service: &key,
            title: "Errors",
            severity: northstar::kpi::model::Severity::Sev2,
            started_at: chrono::Utc::now().timestamp() - 3600,
            acknowledged_at: None,
            resolved_at: None,
            opened_by: northstar::infra::model::Opener::Person,
        };
        repo::insert_incident(&mut db, &incident).await.unwrap()
    }
}

/// A share token the fixtures store, so tests can open it.
pub const SHARE_TOKEN: &str = "fixture-share-token-0123456789abcdefghijklm";

impl TestApp {
    /// A report with a published version 1 whose snapshot carries `title`; returns its id.
    pub async fn add_published_report(&self, title: &str) -> i64 {
        let id = self.add_draft_report(title).await;
        let snapshot = northstar::report::view::Snapshot { title: title.into(), period: "2026-Q3".into(), period_label: "Q3 2026".into(), ..Default::default() };
        sqlx::query("INSERT INTO report_versions (report_id, version, title, period_label, snapshot) VALUES (?1, 1, ?2, 'Q3 2026', ?3)")
            .bind(id)
            .bind(title)
            .bind(serde_json::to_string(&snapshot).unwrap())
            .execute(&self.pool)
            .await
            .unwrap();
        id
    }

    pub async fn add_draft_report(&self, title: &str) -> i64 {
        sqlx::query_scalar("INSERT INTO reports (title, period) VALUES (?1, '2026-Q3') RETURNING id").bind(title).fetch_one(&self.pool).await.unwrap()
    }

    /// A share link to `report` with the given token, expiring `expires_at` (unix seconds).
    pub async fn add_share_link(&self, report: i64, token: &str, expires_at: i64) -> i64 {
        sqlx::query_scalar("INSERT INTO report_share_links (report_id, token_hash, label, expires_at, created_at) VALUES (?1, ?2, 'fixture', ?3, 0) RETURNING id")
            .bind(report)
            .bind(northstar::auth::session::digest(token))
            .bind(expires_at)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }
}

/// The date `days` from today, as a form's date field sends it.
pub fn days_ahead(days: u64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Days::new(days)).to_string()
}

/// The document title in a PDF's information dictionary, as a literal or UTF-16 hex string.
pub fn pdf_title(pdf: &[u8]) -> String {
    let text = String::from_utf8_lossy(pdf);
    let Some(at) = text.find("/Title") else { return String::new() };
    let rest = text[at + 6..].trim_start();
    if let Some(hex) = rest.strip_prefix('<') {
        let hex: String = hex.chars().take_while(|c| *c != '>').filter(|c| c.is_ascii_hexdigit()).collect();
        let bytes: Vec<u8> = (0..hex.len() / 2).filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()).collect();
        let units: Vec<u16> = bytes.chunks(2).skip(1).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
        return String::from_utf16_lossy(&units);
    }
    rest.strip_prefix('(').map(|r| r.split(')').next().unwrap_or_default().to_string()).unwrap_or_default()
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The Chromium that prints PDFs, or None (and a note) where there is none: the test script
/// installs it, so in CI its absence fails the test.
pub fn chromium() -> Option<std::path::PathBuf> {
    let probe = Config::from_lookup(&|k| (k == "DATABASE_URL").then(|| "sqlite://x.db".to_string())).unwrap();
    if probe.chromium.is_none() {
        assert!(std::env::var_os("CI").is_none(), "Chromium is missing; scripts/setup.sh --test installs it");
        eprintln!("skipped: no Chromium on PATH");
    }
    probe.chromium
}

/// The arguments of `save_check` for a new, enabled check with a one-second timeout.
pub fn check_form(system: i64, kind: &str, target: &str, interval_secs: &str, failure_threshold: &str) -> Vec<(&'static str, String)> {
    vec![
        ("system_id", system.to_string()),
        ("id", String::new()),
        ("kind", kind.into()),
        ("target", target.into()),
        ("timeout_ms", "1000".into()),
        ("interval_secs", interval_secs.into()),
        ("failure_threshold", failure_threshold.into()),
        ("enabled", "on".into()),
    ]
}

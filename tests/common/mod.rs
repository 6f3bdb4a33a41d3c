//! Test harness: the whole app on port 0 with a fresh SQLite database per test.
#![allow(dead_code)]

use northstar::access::Role;
use northstar::auth::ratelimit::Limits;
use northstar::auth::session;
use northstar::server::config::Config;
use northstar::server::{db, seed, state::AppState};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, COOKIE};
use reqwest::{Client, Response};
use sqlx::SqlitePool;
use std::net::SocketAddr;

pub struct TestApp {
    pub addr: SocketAddr,
    pub pool: SqlitePool,
    pub state: AppState,
    _dir: tempfile::TempDir,
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
    adjust(&mut config);
    let pool = db::connect(&config.database_url).await.expect("connect");
    db::migrate(&pool).await.expect("migrate");
    seed::seed_demo(&pool).await.expect("seed");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().unwrap();
    let state = AppState::new(config, pool.clone(), Limits::default());
    tokio::spawn(northstar::server::serve(state.clone(), listener));
    TestApp { addr, pool, state, _dir: dir }
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
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .unwrap()
    }

    pub async fn user_id(&self, email: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM users WHERE email = ?1").bind(email).fetch_one(&self.pool).await.unwrap()
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

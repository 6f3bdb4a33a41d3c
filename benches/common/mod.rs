//! What every benchmark needs: a server on a fresh database, a CTO's client, timing and memory.
#![allow(dead_code)]

use northstar::auth::ratelimit::Limits;
use northstar::auth::session;
use northstar::platform::config::Config;
use northstar::platform::db;
use northstar::server::seed;
use std::time::{Duration, Instant};

pub struct Bench {
    pub dir: tempfile::TempDir,
    pub pool: sqlx::SqlitePool,
    pub client: reqwest::Client,
    pub base: String,
}

/// Starts the app on port 0 with a fresh database and signs the CTO in.
pub async fn start() -> Bench {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/bench.db", dir.path().display());
    // The pages are measured alone: no health checks run beside them.
    let config = Config::from_lookup(&|k| match k {
        "DATABASE_URL" => Some(url.clone()),
        "NORTHSTAR_RUN_CHECKS" => Some("false".into()),
        _ => None,
    })
    .unwrap();
    let pool = db::connect(&config.database_url).await.unwrap();
    db::migrate(&pool).await.unwrap();
    seed::seed_accounts(&pool).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (outbound, _) = northstar::platform::net::testing::loopback_outbound(config.outbound.clone(), &[]);
    let state = northstar::server::assemble(config, pool.clone(), Limits::default(), outbound);
    tokio::spawn(northstar::server::serve(state, listener));
    let cto: i64 = sqlx::query_scalar("SELECT id FROM users WHERE role = 'cto'").fetch_one(&pool).await.unwrap();
    let token = session::create(&pool, cto, "bench", db::now_unix()).await.unwrap().0;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::COOKIE, format!("{}={token}", session::COOKIE).parse().unwrap());
    headers.insert(reqwest::header::ACCEPT, "application/json".parse().unwrap());
    let client = reqwest::Client::builder().default_headers(headers).build().unwrap();
    let base = format!("http://{addr}");

    Bench { dir, pool, client, base }
}

/// Runs the benchmark on the runtime the server binary uses.
pub fn run<F: std::future::Future<Output = ()>>(f: F) {
    northstar::server::return_large_blocks_to_the_os();
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap().block_on(f);
}

/// A field of /proc/self/status, in kB.
fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

pub fn peak_rss_kb() -> u64 {
    status_kb("VmHWM:")
}

pub fn current_rss_kb() -> u64 {
    status_kb("VmRSS:")
}

/// Resets the kernel's peak-RSS counter, so VmHWM measures from now on.
pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

pub fn percentile(times: &mut [Duration], p: f64) -> Duration {
    times.sort();
    times[((times.len() as f64 - 1.0) * p).round() as usize]
}

/// How a page answered: the first request computes everything; later ones may be served from
/// caches, which live for the minute.
pub struct PageTiming {
    pub first: Duration,
    pub p50: Duration,
    pub p95: Duration,
    pub size: usize,
}

impl std::fmt::Display for PageTiming {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        write!(f, "first view {:.2} ms, then p50 {:.2} ms, p95 {:.2} ms; {} KB of HTML", ms(self.first), ms(self.p50), ms(self.p95), self.size / 1024)
    }
}

pub async fn timed_gets(client: &reqwest::Client, url: &str, n: usize) -> PageTiming {
    let t = Instant::now();
    client.get(url).send().await.unwrap().bytes().await.unwrap();
    let first = t.elapsed();
    for _ in 0..4 {
        client.get(url).send().await.unwrap().bytes().await.unwrap();
    }
    let mut times = Vec::with_capacity(n);
    let mut size = 0;
    for _ in 0..n {
        let t = Instant::now();
        let res = client.get(url).send().await.unwrap();
        assert_eq!(res.status(), 200, "{url}");
        size = res.bytes().await.unwrap().len();
        times.push(t.elapsed());
    }
    PageTiming { first, p50: percentile(&mut times, 0.5), p95: percentile(&mut times, 0.95), size }
}

/// The median time of `n` calls of a server function, in milliseconds.
pub async fn server_fn_p50_ms(client: &reqwest::Client, url: &str, form: &[(&str, &str)], n: usize) -> f64 {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let res = client.post(url).form(form).send().await.unwrap();
        assert_eq!(res.status(), 200, "{url}");
        res.bytes().await.unwrap();
        times.push(t.elapsed());
    }
    percentile(&mut times, 0.5).as_secs_f64() * 1e3
}

//! What every benchmark needs: a server on a fresh database, a CTO's client, timing and memory.
#![allow(dead_code)]

#[path = "../../tests/it/common/mod.rs"]
pub mod kit;

use northstar::access::Role;
use std::time::{Duration, Instant};

/// The app as a benchmark sees it: the test kit's app, a signed-in CTO and the base URL.
pub struct Bench {
    pub app: kit::TestApp,
    pub pool: sqlx::SqlitePool,
    pub client: reqwest::Client,
    pub base: String,
}

/// Starts the app as the tests do, with no health checks running beside the pages measured.
pub async fn start() -> Bench {
    let app = kit::spawn_app_with(|c| c.run_checks = false).await;
    let client = app.client_as(Some(Role::Cto)).await;
    Bench { base: app.url(""), pool: app.pool.clone(), client, app }
}

/// Runs the benchmark on the runtime the server binary uses.
pub fn run<F: std::future::Future<Output = ()>>(f: F) {
    northstar::server::tune_allocators();
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

/// What `concurrency` clients each fetching `url` over and over for `for_how_long` (after a
/// warm-up) got: pages per second, as `ab -c` or `oha -c` would report it, and the process's CPU
/// time per page (server and client together). The CPU time hardly moves when a shared machine
/// is busy, where the rate does, so it is what tells one build from another.
pub struct Throughput {
    pub pages_per_second: f64,
    pub cpu_ms_per_page: f64,
}

pub async fn pages_per_second(client: &reqwest::Client, url: &str, concurrency: usize, for_how_long: Duration) -> Throughput {
    for _ in 0..concurrency {
        client.get(url).send().await.unwrap().bytes().await.unwrap();
    }
    let cpu_before = cpu_time();
    let start = Instant::now();
    let workers = (0..concurrency).map(|_| {
        let (client, url) = (client.clone(), url.to_string());
        tokio::spawn(async move {
            let mut pages = 0u64;
            while start.elapsed() < for_how_long {
                let res = client.get(&url).send().await.unwrap();
                assert_eq!(res.status(), 200, "{url}");
                res.bytes().await.unwrap();
                pages += 1;
            }
            pages
        })
    });
    let mut pages = 0;
    for w in workers.collect::<Vec<_>>() {
        pages += w.await.unwrap();
    }
    let elapsed = start.elapsed();
    let cpu = cpu_time() - cpu_before;
    Throughput { pages_per_second: pages as f64 / elapsed.as_secs_f64(), cpu_ms_per_page: cpu.as_secs_f64() * 1e3 / pages.max(1) as f64 }
}

/// User and system CPU time of the whole process so far.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let tv = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    tv(usage.ru_utime) + tv(usage.ru_stime)
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

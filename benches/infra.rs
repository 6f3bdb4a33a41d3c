//! Infrastructure benchmarks, printed as figures (run: `cargo bench --features ssr --bench infra`).
//!
//! 1. The scheduler: 1,000 HTTP checks every 30 s against a local endpoint (goal: under 10 %
//!    of one core, and no drift in the schedule). The endpoint runs on threads of its own,
//!    whose CPU time is left out; everything else in the process (scheduler, probes, the
//!    writer, SQLite) is counted. `NORTHSTAR_BENCH_SECS` sets the measured time (default 60).
//! 2. The status board for 200 systems with 90 days of history, rendered on the server
//!    (goal: p50 under 15 ms).

mod common;

use common::{server_fn_p50_ms, start, timed_gets, Bench};
use northstar::infra::monitor::{Monitor, Options};
use northstar::platform::db;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CHECKS: usize = 1_000;
const INTERVAL: i64 = 30;
const SYSTEMS: i64 = 200;
const DAY: i64 = 86_400;

fn main() {
    // NORTHSTAR_BENCH_ONLY=scheduler or =board runs one half.
    let only = std::env::var("NORTHSTAR_BENCH_ONLY").unwrap_or_default();
    let target = start_target();
    common::run(async move {
        if only != "board" {
            scheduler(target).await;
        }
        if only != "scheduler" {
            board().await;
        }
    });
}

/// A keep-alive HTTP endpoint on its own runtime, with threads named so their CPU time can
/// be told apart.
fn start_target() -> u16 {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).thread_name("bench-target").enable_all().build().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap().port()).unwrap();
            loop {
                let (mut sock, _) = listener.accept().await.unwrap();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 8192];
                    loop {
                        match sock.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(_) => {
                                if sock.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok").await.is_err() {
                                    return;
                                }
                            }
                        }
                    }
                });
            }
        });
    });
    rx.recv().unwrap()
}

/// CPU seconds of this process's threads, split into (the target's, everything else).
fn cpu_seconds() -> (f64, f64) {
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    let (mut target, mut rest) = (0.0, 0.0);
    for entry in std::fs::read_dir("/proc/self/task").unwrap().flatten() {
        let path = entry.path();
        let comm = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
        let Ok(stat) = std::fs::read_to_string(path.join("stat")) else { continue };
        // Fields after the parenthesised name; utime and stime are the 14th and 15th.
        let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
        let f: Vec<&str> = after.split_whitespace().collect();
        let t = (f.get(11).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0) + f.get(12).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0)) / ticks;
        if comm.starts_with("bench-target") {
            target += t;
        } else {
            rest += t;
        }
    }
    (target, rest)
}

async fn scheduler(port: u16) {
    let dir = tempfile::tempdir().unwrap();
    let pool = db::connect(&format!("sqlite://{}/sched.db", dir.path().display())).await.unwrap();
    db::migrate(&pool).await.unwrap();
    let now = db::now_unix();
    let system: i64 = sqlx::query_scalar("INSERT INTO systems (key, name, kind, tier, slo_target, status_since, created_at) VALUES ('target', 'Target', 'service', 2, 99.9, ?1, ?1) RETURNING id")
        .bind(now)
        .fetch_one(&pool)
        .await
        .unwrap();
    for i in 0..CHECKS {
        sqlx::query("INSERT INTO checks (system_id, kind, target, timeout_ms, interval_secs, failure_threshold) VALUES (?1, 'http', ?2, 5000, ?3, 3)")
            .bind(system)
            .bind(format!("http://127.0.0.1:{port}/check/{i}"))
            .bind(INTERVAL)
            .execute(&pool)
            .await
            .unwrap();
    }
    let measured: u64 = std::env::var("NORTHSTAR_BENCH_SECS").ok().and_then(|v| v.parse().ok()).unwrap_or(60);
    println!("Scheduler: {CHECKS} HTTP checks every {INTERVAL} s against a local endpoint, measured over {measured} s after one warm-up interval");
    // Probes go out through a path that dials nothing beyond this machine.
    let (outbound, _) = northstar::platform::net::testing::loopback_outbound(Default::default(), &[]);
    let monitor = Monitor::new(outbound, Default::default());
    monitor.start(pool.clone(), Options::default());
    // The first interval spreads the checks over their phases and opens connections.
    tokio::time::sleep(Duration::from_secs(INTERVAL as u64)).await;
    let stats = monitor.stats.clone();
    let (runs0, late0, stored0) = (stats.runs.load(Ordering::Relaxed), stats.late_us_total.load(Ordering::Relaxed), stats.stored.load(Ordering::Relaxed));
    stats.late_us_max.store(0, Ordering::Relaxed);
    let (target0, cpu0) = cpu_seconds();
    let t0 = Instant::now();
    tokio::time::sleep(Duration::from_secs(measured)).await;
    let wall = t0.elapsed().as_secs_f64();
    let (target1, cpu1) = cpu_seconds();
    let runs = stats.runs.load(Ordering::Relaxed) - runs0;
    let stored = stats.stored.load(Ordering::Relaxed) - stored0;
    let late_mean_ms = (stats.late_us_total.load(Ordering::Relaxed) - late0) as f64 / runs.max(1) as f64 / 1000.0;
    let late_max_ms = stats.late_us_max.load(Ordering::Relaxed) as f64 / 1000.0;
    let expected = CHECKS as f64 * wall / INTERVAL as f64;
    let (failed,): (i64,) = sqlx::query_as("SELECT count(*) FROM check_results WHERE ok = 0").fetch_one(&pool).await.unwrap();
    println!("  runs: {runs} in {wall:.1} s (schedule says {expected:.0}); results stored: {stored}; failed: {failed}");
    println!("  CPU: {:.2} % of one core for the monitor and its database writes (goal under 10 %); the endpoint took another {:.2} %", (cpu1 - cpu0) / wall * 100.0, (target1 - target0) / wall * 100.0);
    println!("  punctuality: each run started on average {late_mean_ms:.2} ms after it was due, at worst {late_max_ms:.2} ms");
    // Drift: the spacing between one check's runs should be the interval, every time.
    let spans: Vec<(i64, i64, i64)> = sqlx::query_as("SELECT check_id, min(at_ms), max(at_ms) FROM check_results GROUP BY check_id HAVING count(*) >= 3").fetch_all(&pool).await.unwrap();
    let counts: Vec<(i64,)> = sqlx::query_as("SELECT count(*) FROM check_results GROUP BY check_id HAVING count(*) >= 3").fetch_all(&pool).await.unwrap();
    let worst = spans
        .iter()
        .zip(&counts)
        .map(|((_, a, b), (n,))| ((b - a) as f64 / (n - 1) as f64 - INTERVAL as f64 * 1000.0).abs())
        .fold(0.0, f64::max);
    println!("  drift: over {} checks, the mean spacing of runs differs from {INTERVAL} s by at most {worst:.1} ms", spans.len());
}

async fn board() {
    let Bench { app: _app, pool, client, base } = start().await;
    let now = db::now_unix();
    let start = now - 90 * DAY;
    let t = Instant::now();
    let mut tx = db::begin_write(&pool).await.unwrap();
    for s in 0..SYSTEMS {
        let id: i64 = sqlx::query_scalar("INSERT INTO systems (key, name, kind, tier, slo_target, status, status_since, created_at) VALUES (?1, ?2, 'service', ?3, 99.9, 'operational', ?4, ?4) RETURNING id")
            .bind(format!("system-{s:03}"))
            .bind(format!("System {s:03}"))
            .bind(1 + s % 3)
            .bind(start)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        sqlx::query("INSERT INTO status_changes (system_id, at, status) VALUES (?1, ?2, 'operational')").bind(id).bind(start).execute(&mut *tx).await.unwrap();
        // An outage roughly every nine days, of 5 to 95 minutes, and a slow spell between.
        let mut at = start + (s * 7919) % (9 * DAY);
        while at < now - DAY {
            let len = 300 + (at % 5400);
            for (when, status) in [(at, "down"), (at + len, "operational"), (at + 3 * DAY, "degraded"), (at + 3 * DAY + len, "operational")] {
                sqlx::query("INSERT INTO status_changes (system_id, at, status) VALUES (?1, ?2, ?3)").bind(id).bind(when).bind(status).execute(&mut *tx).await.unwrap();
            }
            at += 9 * DAY;
        }
        sqlx::query("INSERT INTO maintenance_windows (system_id, starts_at, ends_at, note) VALUES (?1, ?2, ?3, 'Patching')").bind(id).bind(now - 30 * DAY).bind(now - 30 * DAY + 7200).execute(&mut *tx).await.unwrap();
        let check: i64 = sqlx::query_scalar("INSERT INTO checks (system_id, kind, target, timeout_ms, interval_secs, failure_threshold, state, last_at, last_latency_ms) VALUES (?1, 'http', 'http://127.0.0.1:9/', 5000, 60, 3, 'up', ?2, 40) RETURNING id")
            .bind(id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        // Ninety days of hourly rollups, as a real minute-by-minute check leaves behind.
        sqlx::query(
            r#"WITH RECURSIVE h(b) AS (SELECT ?2 UNION ALL SELECT b + 3600 FROM h WHERE b + 3600 < ?3)
               INSERT INTO check_rollups (check_id, width, bucket, n, failures, latency_total, latency_max) SELECT ?1, 3600, b, 60, 0, 2400 + (b % 997), 80 FROM h"#,
        )
        .bind(check)
        .bind(start.div_euclid(3600) * 3600)
        .bind(now)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let (changes,): (i64,) = sqlx::query_as("SELECT count(*) FROM status_changes").fetch_one(&pool).await.unwrap();
    let (rollups,): (i64,) = sqlx::query_as("SELECT count(*) FROM check_rollups").fetch_one(&pool).await.unwrap();
    println!("\nStatus board: {SYSTEMS} systems, 90 days of history ({changes} status changes, {rollups} hourly rollups; seeded in {:.1} s)", t.elapsed().as_secs_f64());
    let page = timed_gets(&client, &format!("{base}/infrastructure"), 60).await;
    println!("  /infrastructure page: {page} (goal p50 under 15 ms)");
    let p50 = server_fn_p50_ms(&client, &format!("{base}/api/infra/board"), &[], 60).await;
    println!("  the board's server function alone: p50 {p50:.2} ms");
    let first: i64 = sqlx::query_scalar("SELECT min(id) FROM systems").fetch_one(&pool).await.unwrap();
    let detail = timed_gets(&client, &format!("{base}/infrastructure/systems/{first}?range=90d"), 30).await;
    println!("  one system's page, 90-day range: {detail}");
}

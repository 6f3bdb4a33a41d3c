//! KPI benchmarks, printed as figures (run: `cargo bench --features ssr --bench kpis`).
//!
//! 1. Import of 1,000,000 CSV rows through the real upload and commit endpoints: wall time and
//!    the process's peak memory during the import (goal: under 3 s and 100 MB).
//! 2. The KPI detail page over those 1,000,000 points, rendered on the server (goal: p50 under
//!    5 ms), and how many of those pages the server serves per second to 8 clients at once
//!    (goal: 1,000 or more).
//!    The alert rules' look at that KPI afterwards (goal: under 5 % of the import).
//! 3. The Overview with 50 KPIs of two years of daily data each (goal: p50 under 10 ms).

mod common;

use common::{current_rss_kb, peak_rss_kb, pages_per_second, reset_peak, server_fn_p50_ms, start, timed_gets, Bench};
use northstar::platform::db;
use std::io::Write;
use std::time::Instant;

const ROWS: i64 = 1_000_000;

fn main() {
    common::run(run());
}

async fn run() {
    let Bench { app, pool, client, base } = start().await;

    // 1. Import.
    sqlx::query("INSERT INTO kpis (key, name, category, unit, direction, aggregation) VALUES ('dense', 'API latency (per minute)', 'reliability', 'ms', 'lower', 'mean')")
        .execute(&pool)
        .await
        .unwrap();
    let csv_path = app.dir.path().join("million.csv");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&csv_path).unwrap());
        writeln!(f, "timestamp,value").unwrap();
        let end = db::now_unix() / 60 * 60;
        for i in 0..ROWS {
            let ts = end - (ROWS - i) * 60;
            writeln!(f, "{ts},{}.{}", 200 + (i * 7919) % 150, i % 10).unwrap();
        }
    }
    let bytes = std::fs::metadata(&csv_path).unwrap().len();
    let baseline = current_rss_kb();
    reset_peak();
    let started = Instant::now();
    let file = tokio::fs::File::open(&csv_path).await.unwrap();
    let body = reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::new(file));
    let res = client.post(format!("{base}/api/kpis/dense/import")).header("content-type", "text/csv").body(body).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let preview: serde_json::Value = res.json().await.unwrap();
    let checked = started.elapsed();
    let commit = client
        .post(format!("{base}/api/kpis/import/commit"))
        .form(&[("key", "dense"), ("token", preview["token"].as_str().unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(commit.status(), 200);
    let total = started.elapsed();
    let peak = peak_rss_kb();
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM measurements").fetch_one(&pool).await.unwrap();
    assert_eq!(stored, ROWS);
    println!("import of {ROWS} CSV rows ({:.1} MB): upload and validation {:.2} s, storing {:.2} s, total {:.2} s (goal < 3 s)", bytes as f64 / 1e6, checked.as_secs_f64(), (total - checked).as_secs_f64(), total.as_secs_f64());
    println!("  peak memory during the import: {:.1} MB above a {:.1} MB baseline, {:.1} MB in all (goal < 100 MB)", (peak.saturating_sub(baseline)) as f64 / 1024.0, baseline as f64 / 1024.0, peak as f64 / 1024.0);

    // The alert rules look at the KPI once its import is stored (in the background, after the
    // answer): that work, against the import's.
    let dense: i64 = sqlx::query_scalar("SELECT id FROM kpis WHERE key = 'dense'").fetch_one(&pool).await.unwrap();
    let mut runs = Vec::new();
    for _ in 0..21 {
        let t = Instant::now();
        let look = northstar::alert::rules::Look::Kpi(Some(dense));
        northstar::alert::rules::evaluate(&pool, look, db::now_unix(), app.state.config.currency).await.unwrap();
        runs.push(t.elapsed());
    }
    runs.sort();
    let p50 = runs[runs.len() / 2];
    println!(
        "  alert evaluation of that KPI after the import: p50 {:.2} ms, {:.3} % of the import (goal < 5 %)",
        p50.as_secs_f64() * 1e3,
        100.0 * p50.as_secs_f64() / total.as_secs_f64()
    );

    // 2. Detail page over a million points.
    for range in ["90d", "all"] {
        let timing = timed_gets(&client, &format!("{base}/kpis/dense?range={range}"), 50).await;
        println!("KPI detail page, 1,000,000 points, range {range}: {timing} (goal p50 < 5 ms)");
    }

    let load = pages_per_second(&client, &format!("{base}/kpis/dense?range=90d"), 8, std::time::Duration::from_secs(10)).await;
    println!(
        "  the same page at concurrency 8: {:.0} pages/s (goal >= 1,000), {:.2} ms of CPU a page, server and client together",
        load.pages_per_second, load.cpu_ms_per_page
    );

    for range in ["90d", "all"] {
        let p50 = server_fn_p50_ms(&client, &format!("{base}/api/kpis/detail"), &[("key", "dense"), ("window", "30d"), ("range", range)], 30).await;
        println!("  the detail server function alone, range {range}: p50 {p50:.2} ms");
    }

    // 3. Overview with 50 KPIs.
    sqlx::query("DELETE FROM kpis").execute(&pool).await.unwrap();
    let now = db::now_unix();
    for k in 0..50 {
        let category = ["delivery", "reliability", "security", "cost", "people", "product"][k % 6];
        let id: i64 = sqlx::query_scalar("INSERT INTO kpis (key, name, category, unit, direction, aggregation) VALUES (?1, ?2, ?3, 'count', 'higher', 'mean') RETURNING id")
            .bind(format!("kpi-{k}"))
            .bind(format!("KPI number {k}"))
            .bind(category)
            .fetch_one(&pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO kpi_targets (kpi_id, effective_from, target, amber, red) VALUES (?1, '1970-01-01', 100, 90, 80)").bind(id).execute(&pool).await.unwrap();
        let points: Vec<northstar::kpi::repo::NewPoint> =
            (0..730).map(|d| northstar::kpi::repo::NewPoint { ts: now - (730 - d) * 86_400, value: 80.0 + ((d * 31 + k as i64 * 7) % 40) as f64, note: None }).collect();
        northstar::kpi::figures::record(&pool, &northstar::platform::audit::Actor::system(), (id, "bench", "Bench"), &points, "api").await.unwrap();
    }
    let timing = timed_gets(&client, &format!("{base}/"), 50).await;
    println!("Overview with 50 KPIs (2 years of daily data each): {timing} (goal p50 < 10 ms)");
}

//! Cloud cost benchmark, printed as figures (run: `cargo bench --features ssr --bench cloud`).
//!
//! A FOCUS export of 1,000,000 daily charges over three months (12 accounts, 25 services, 40
//! sets of tags: up to 36,000 lines once summed) uploaded, checked and stored with 20 mapping
//! rules, then the cloud cost page (goal: the import under 5 s and under 100 MB of memory
//! above the server's baseline); then costs per unit over the same cost and two years of a
//! weekly business KPI.

mod common;

use common::{current_rss_kb, peak_rss_kb, reset_peak, server_fn_p50_ms, start, Bench};
use std::io::Write;
use chrono::Datelike;
use std::time::Instant;

const ROWS: usize = 1_000_000;
const ACCOUNTS: usize = 12;
const SERVICES: usize = 25;
const TAG_SETS: usize = 40;

fn main() {
    common::run(run());
}

/// Writes the export to a file, as a provider would deliver it, so the benchmark's own memory
/// holds none of it while the server reads it.
fn write_export(path: &std::path::Path, today: chrono::NaiveDate) -> u64 {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(out, "BillingAccountId,BillingCurrency,BillingPeriodStart,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ProviderName,PublisherName,SubAccountId,SubAccountName,ServiceName,ServiceCategory,RegionId,ResourceId,BilledCost,EffectiveCost,ListCost,Tags").unwrap();
    let first = today - chrono::Duration::days(92);
    for i in 0..ROWS {
        let day = first + chrono::Duration::days((i % 90) as i64);
        let (account, service, tags) = (i % ACCOUNTS, (i / 7) % SERVICES, (i / 3) % TAG_SETS);
        let cost = (i % 9973) as f64 / 1000.0 + 0.000123;
        writeln!(
            out,
            "100000000000,USD,{month}-01T00:00:00Z,{day}T00:00:00Z,{day}T23:59:59Z,Usage,AWS,Amazon Web Services,{acc},account-{account},Service {service},Compute,eu-central-1,arn:aws:ec2:eu-central-1:{acc}:instance/i-{i:012x},{cost:.9},{eff:.9},{list:.9},\"{{\"\"team\"\":\"\"team-{t}\"\",\"\"env\"\":\"\"{env}\"\"}}\"",
            month = day.format("%Y-%m"),
            acc = 200_000_000_000u64 + account as u64,
            eff = cost * 0.9,
            list = cost * 1.2,
            t = tags / 2,
            env = if tags % 2 == 0 { "prod" } else { "staging" },
        )
        .unwrap();
    }
    out.flush().unwrap();
    std::fs::metadata(path).unwrap().len()
}

async fn run() {
    let Bench { app, pool, client, base } = start().await;
    let today = chrono::Utc::now().date_naive();
    let eng = app.department_id("Engineering").await;
    for r in 0..20 {
        sqlx::query("INSERT INTO cloud_rules (priority, match_on, tag_key, match_value, department_id, created_at) VALUES (?1, 'tag', 'team', ?2, ?3, 0)")
            .bind(r * 10)
            .bind(format!("team-{r}"))
            .bind(eng)
            .execute(&pool)
            .await
            .unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("focus.csv");
    let bytes = write_export(&path, today);

    for commit in [false, true] {
        let baseline = current_rss_kb();
        reset_peak();
        let started = Instant::now();
        let file = tokio::fs::File::open(&path).await.unwrap();
        let body = reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::with_capacity(file, 1 << 16));
        let url = format!("{base}/api/strategy/cloud/import?name=focus.csv{}", if commit { "&commit=1" } else { "" });
        let res = client.post(url).header("content-type", "text/csv").body(body).send().await.unwrap();
        let status = res.status();
        let report: serde_json::Value = res.json().await.unwrap();
        let took = started.elapsed();
        let peak = peak_rss_kb();
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["rows"], ROWS as u64);
        let what = if commit { "checked and stored" } else { "checked" };
        println!("FOCUS import of {ROWS} rows ({:.0} MB, {} lines summed): {what} in {:.2} s (goal < 5 s)", bytes as f64 / 1e6, report["lines"], took.as_secs_f64());
        println!("  peak memory: {:.1} MB above a {:.1} MB baseline (goal < 100 MB)", peak.saturating_sub(baseline) as f64 / 1024.0, baseline as f64 / 1024.0);
    }
    let lines: i64 = sqlx::query_scalar("SELECT count(*) FROM cloud_costs").fetch_one(&pool).await.unwrap();
    let unmapped: i64 = sqlx::query_scalar("SELECT count(*) FROM cloud_costs WHERE department_id IS NULL").fetch_one(&pool).await.unwrap();
    println!("  stored: {lines} lines, {unmapped} not mapped by the 20 rules");

    let p50 = server_fn_p50_ms(&client, &format!("{base}/api/strategy/cloud"), &[], 20).await;
    println!("cloud cost page's server function with {lines} lines: p50 {p50:.2} ms");
    let started = Instant::now();
    let res = client
        .post(format!("{base}/api/strategy/cloud/rules/save"))
        .form(&[("id", ""), ("priority", "5"), ("match_on", "tag"), ("tag_key", "env"), ("value", "staging"), ("department", &eng.to_string()), ("system", ""), ("investment", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    println!("a rule saved, every line mapped again and the Cloud expenses written again: {:.0} ms", started.elapsed().as_secs_f64() * 1e3);

    unit_economics(&app, &pool, &client, &base, today).await;
}

/// Three costs per unit (all spending, cloud cost, one system's) divided by a weekly KPI with two
/// years of values: defining each (its 24 months worked out at once), the page, and the worker's
/// pass over all three.
async fn unit_economics(app: &common::kit::TestApp, pool: &sqlx::SqlitePool, client: &reqwest::Client, base: &str, today: chrono::NaiveDate) {
    let users = app.add_kpi("active-users", None, "count", "higher", "last", None).await;
    let now = chrono::Utc::now().timestamp();
    for week in 0..110i64 {
        sqlx::query("INSERT INTO measurements (kpi_id, ts, value, source) VALUES (?1, ?2, ?3, 'manual')")
            .bind(users)
            .bind(now - week * 7 * 86_400)
            .bind(20_000.0 - week as f64 * 50.0)
            .execute(pool)
            .await
            .unwrap();
    }
    // The ledger's own spending beside the imports' kept expenses: 1,000 expenses a month.
    let month_start = |back: u32| today.with_day(1).unwrap() - chrono::Months::new(back);
    for back in 0..4u32 {
        for i in 0..1000 {
            let day = month_start(back).with_day(1 + i % 28).unwrap();
            app.add_expense("Engineering", "Software and SaaS", &day.to_string(), 10_000 + i64::from(i)).await;
        }
    }
    let system = app.add_system("bench-system", Some("Engineering")).await;
    sqlx::query("UPDATE cloud_rules SET system_id = ?1").bind(system).execute(pool).await.unwrap();
    for (name, basis, system) in [("Technology per user", "technology", String::new()), ("Cloud per user", "cloud", String::new()), ("System per user", "system", system.to_string())] {
        let started = Instant::now();
        let form = [("kpi", ""), ("name", name), ("basis", basis), ("system", &system), ("per", &users.to_string()), ("per_units", "1"), ("target", ""), ("amber", ""), ("red", "")];
        let res = client.post(format!("{base}/api/strategy/unit-economics/save")).form(&form).send().await.unwrap();
        assert_eq!(res.status(), 200);
        println!("cost per unit \"{name}\" defined, 24 months worked out: {:.0} ms", started.elapsed().as_secs_f64() * 1e3);
    }
    let p50 = server_fn_p50_ms(client, &format!("{base}/api/strategy/unit-economics"), &[], 20).await;
    println!("unit economics page's server function with 3 costs per unit: p50 {p50:.2} ms");
    let started = Instant::now();
    northstar::strategy::service::unit::refresh(pool, today, northstar::platform::money::Currency::usd()).await.unwrap();
    println!("the worker's pass over the 3 costs per unit: {:.0} ms", started.elapsed().as_secs_f64() * 1e3);
}

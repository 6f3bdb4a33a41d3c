//! Budget benchmarks, printed as figures (run: `cargo bench --features ssr --bench budgets`).
//!
//! 1. Import of 100,000 expense rows through the real import route (goal: under 2 s).
//! 2. The budget overview for 20 departments x 12 categories over those 100,000 expenses,
//!    rendered on the server (goal: p50 under 15 ms).
//! 3. Saving one expense, and what the budget alert rules then cost for its department (goal:
//!    the rules add under 1 ms p50 to an expense save).

mod common;

use common::{current_rss_kb, peak_rss_kb, reset_peak, server_fn_p50_ms, start, timed_gets, Bench};
use chrono::Datelike;
use std::fmt::Write;
use northstar::alert::rules::Look;
use std::time::Instant;

const ROWS: usize = 100_000;
const DEPARTMENTS: usize = 20;
const CATEGORIES: usize = 12;

fn main() {
    common::run(run());
}

async fn run() {
    let Bench { app: _app, pool, client, base } = start().await;
    // Twenty departments (the demo's two and eighteen more), twelve categories (nine and three).
    for d in 0..DEPARTMENTS.saturating_sub(2) {
        sqlx::query("INSERT INTO departments (name) VALUES (?1)").bind(format!("Department {d:02}")).execute(&pool).await.unwrap();
    }
    for c in ["Travel", "Facilities", "Consulting"] {
        sqlx::query("INSERT INTO budget_categories (name, position) VALUES (?1, 20)").bind(c).execute(&pool).await.unwrap();
    }
    let departments: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM departments ORDER BY id").fetch_all(&pool).await.unwrap();
    let categories: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM budget_categories ORDER BY id").fetch_all(&pool).await.unwrap();
    assert_eq!((departments.len(), categories.len()), (DEPARTMENTS, CATEGORIES));

    // A plan for every department and category, as the CTO's server function sets it.
    for (d, _) in &departments {
        for (c, _) in &categories {
            let res = client
                .post(format!("{base}/api/budgets/plan/set"))
                .form(&[
                    ("year", ""),
                    ("department", &d.to_string()),
                    ("category", &c.to_string()),
                    ("kind", "opex"),
                    ("mode", "annual"),
                    ("annual", "120000"),
                    ("reason", "Plan"),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
        }
    }

    // 1. Import: 100,000 rows over the year so far, every department and category, 40 vendors.
    let today = chrono::Utc::now().date_naive();
    let start_of_year = chrono::NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap();
    let days = (today - start_of_year).num_days().max(1);
    let mut csv = String::from("date,amount,department,category,kind,vendor,description,invoice\n");
    for i in 0..ROWS {
        let date = start_of_year + chrono::Duration::days(i as i64 % days);
        let (_, dept) = &departments[i % DEPARTMENTS];
        let (_, cat) = &categories[(i / DEPARTMENTS) % CATEGORIES];
        let _ = writeln!(csv, "{date},{}.{:02},{dept},{cat},opex,Vendor {},Invoice line {i},INV-{i}", 50 + i % 900, i % 100, i % 40);
    }
    let bytes = csv.len();
    let baseline = current_rss_kb();
    reset_peak();
    let started = Instant::now();
    let res = client.post(format!("{base}/api/budgets/expenses/import?commit=1")).header("content-type", "text/csv").body(csv).send().await.unwrap();
    let status = res.status();
    let report: serde_json::Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{report}");
    let took = started.elapsed();
    let peak = peak_rss_kb();
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM expenses").fetch_one(&pool).await.unwrap();
    assert_eq!(stored as usize, ROWS);
    println!("import of {ROWS} expense rows ({:.1} MB): checked and stored in {:.2} s (goal < 2 s)", bytes as f64 / 1e6, took.as_secs_f64());
    println!("  peak memory during the import: {:.1} MB above a {:.1} MB baseline", (peak.saturating_sub(baseline)) as f64 / 1024.0, baseline as f64 / 1024.0);

    // 2. The overview page and its server function.
    let timing = timed_gets(&client, &format!("{base}/budgets"), 50).await;
    println!("budget overview, {DEPARTMENTS} departments x {CATEGORIES} categories, {ROWS} expenses: {timing} (goal p50 < 15 ms)");
    let p50 = server_fn_p50_ms(&client, &format!("{base}/api/budgets/overview"), &[("year", ""), ("department", "")], 30).await;
    println!("  the overview server function alone: p50 {p50:.2} ms");
    let timing = timed_gets(&client, &format!("{base}/budgets/expenses"), 30).await;
    println!("expense list (first page of {ROWS}): p50 {:.2} ms", timing.p50.as_secs_f64() * 1e3);

    // 3. An expense save, and the rules' look at its department that follows it. The look runs
    // in the alert worker after the save has answered; it is timed here on its own.
    let (dept, cat) = (departments[0].0.to_string(), categories[0].0.to_string());
    let date = today.format("%Y-%m-%d").to_string();
    let mut saves = Vec::new();
    for _ in 0..50 {
        let form = common::kit::expense_form("", &date, "12.34", &dept, &cat);
        let started = Instant::now();
        let res = client.post(format!("{base}/api/budgets/expenses/save")).form(&form).send().await.unwrap();
        saves.push(started.elapsed());
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    let mut looks = Vec::new();
    let currency = _app.state.config.currency;
    for _ in 0..50 {
        let started = Instant::now();
        // As the worker does after an expense: both rules, one reading, one transaction.
        let both = [Look::BudgetForecast(Some(departments[0].0)), Look::SpendVariance(Some(departments[0].0))];
        northstar::alert::rules::evaluate_all(&pool, &both, northstar::platform::db::now_unix(), currency).await.unwrap();
        looks.push(started.elapsed());
    }
    let p50 = |v: &mut Vec<std::time::Duration>| {
        v.sort();
        v[v.len() / 2].as_secs_f64() * 1e3
    };
    let mut reads = Vec::new();
    for _ in 0..50 {
        let mut db = pool.acquire().await.unwrap();
        let started = Instant::now();
        northstar::budget::watch::watched(&mut db, Some(departments[0].0), today).await.unwrap();
        reads.push(started.elapsed());
    }
    println!("  (the budget figures alone: p50 {:.2} ms)", p50(&mut reads));
    let (save, look) = (p50(&mut saves), p50(&mut looks));
    println!("expense save through its server function: p50 {save:.2} ms");
    println!("  both budget rules over its department afterwards: p50 {look:.2} ms (goal < 1 ms), {:.0} % of the save", look * 100.0 / save);
}

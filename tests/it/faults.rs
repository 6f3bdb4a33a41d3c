//! Faults a server must survive with nothing lost, each against the real binary and a real
//! SQLite file: `kill -9` in the middle of large imports, fifty writers at once, a full disk,
//! and a backup taken while writers run, restored elsewhere.

use crate::common;

use chrono::Datelike;
use common::process::{database_url, seed, Server};
use rand::Rng;
use reqwest::Client;
use sqlx::{Connection, SqliteConnection};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CTO: &str = "cto@northstar.demo";

/// One fault at a time: each measures how long things take, and two at once would skew both.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn open(dir: &Path) -> SqliteConnection {
    SqliteConnection::connect(&database_url(dir)).await.unwrap()
}

/// The ids of the Engineering department and the Cloud category, for expense forms.
async fn engineering_and_cloud(dir: &Path) -> (i64, i64) {
    let mut db = open(dir).await;
    (
        sqlx::query_scalar("SELECT id FROM departments WHERE name = 'Engineering'").fetch_one(&mut db).await.unwrap(),
        sqlx::query_scalar("SELECT id FROM budget_categories WHERE name = 'Cloud'").fetch_one(&mut db).await.unwrap(),
    )
}

async fn integrity(db: &mut SqliteConnection) -> String {
    sqlx::query_scalar("PRAGMA integrity_check").fetch_one(db).await.unwrap()
}

/// A company-wide KPI that takes imports, straight in the database before the server starts.
async fn add_kpi(dir: &Path, key: &str) -> i64 {
    let mut db = open(dir).await;
    sqlx::query_scalar("INSERT INTO kpis (key, name, category, unit, direction, aggregation) VALUES (?1, ?1, 'reliability', 'ms', 'lower', 'mean') RETURNING id")
        .bind(key)
        .fetch_one(&mut db)
        .await
        .unwrap()
}

/// `rows` measurements a minute apart, the same times in every file, every note `note`.
fn kpi_file(rows: usize, note: &str) -> Vec<u8> {
    static END: std::sync::LazyLock<i64> = std::sync::LazyLock::new(|| chrono::Utc::now().timestamp() - 3600);
    let start = *END - rows as i64 * 60;
    let mut out = String::with_capacity(rows * 40);
    out.push_str("timestamp,value,note\n");
    for i in 0..rows {
        out.push_str(&format!("{},{}.5,{note}\n", start + i as i64 * 60, i % 997));
    }
    out.into_bytes()
}

/// `rows` expenses dated today, every description `description`.
fn expense_file(rows: usize, description: &str) -> Vec<u8> {
    let today = chrono::Utc::now().date_naive();
    let mut out = String::with_capacity(rows * 70);
    out.push_str("date,amount,department,category,kind,vendor,description\n");
    for i in 0..rows {
        let dept = if i % 2 == 0 { "Engineering" } else { "Operations" };
        out.push_str(&format!("{today},{}.{:02},{dept},Cloud,opex,Vendor {},{description}\n", 1 + i % 500, i % 100, i % 7));
    }
    out.into_bytes()
}

/// Upload, check and store a KPI file, as the import page does.
async fn import_kpi(server_url: impl Fn(&str) -> String, client: Client, key: String, file: Vec<u8>) -> Result<u64, String> {
    let res = client.post(server_url(&format!("/api/kpis/{key}/import"))).body(file).send().await.map_err(|e| e.to_string())?;
    let preview: serde_json::Value = res.json().await.map_err(|e| e.to_string())?;
    let token = preview["token"].as_str().ok_or_else(|| format!("no token: {preview}"))?.to_string();
    let res = client.post(server_url("/api/kpis/import/commit")).header("accept", "application/json").form(&[("key", key), ("token", token)]).send().await.map_err(|e| e.to_string())?;
    res.json::<u64>().await.map_err(|e| e.to_string())
}

/// The hourly and daily rollups of a KPI equal a recount of its raw rows.
async fn kpi_rollups_match(db: &mut SqliteConnection, kpi: i64) -> Result<(), String> {
    for width in [3600_i64, 86_400] {
        let stored: Vec<(i64, i64, f64, f64, f64)> = sqlx::query_as("SELECT bucket, n, total, low, high FROM measurement_rollups WHERE kpi_id = ?1 AND width = ?2 ORDER BY bucket")
            .bind(kpi)
            .bind(width)
            .fetch_all(&mut *db)
            .await
            .unwrap();
        let recount: Vec<(i64, i64, f64, f64, f64)> = sqlx::query_as(
            "SELECT (ts / ?2) * ?2 AS b, count(*), sum(value), min(value), max(value) FROM measurements WHERE kpi_id = ?1 GROUP BY b ORDER BY b",
        )
        .bind(kpi)
        .bind(width)
        .fetch_all(&mut *db)
        .await
        .unwrap();
        if stored.len() != recount.len() {
            return Err(format!("width {width}: {} rollups for {} buckets", stored.len(), recount.len()));
        }
        for (s, r) in stored.iter().zip(&recount) {
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(1.0);
            if s.0 != r.0 || s.1 != r.1 || !close(s.2, r.2) || s.3 != r.3 || s.4 != r.4 {
                return Err(format!("width {width}: stored {s:?}, recount {r:?}"));
            }
        }
    }
    Ok(())
}

/// The monthly expense and vendor sums kept by triggers equal a recount of the expenses.
async fn expense_rollups_match(db: &mut SqliteConnection) -> Result<(), String> {
    let stored: Vec<(i64, i64, String, i64, i64, i64)> = sqlx::query_as("SELECT department_id, category_id, kind, month, total_minor, n FROM expense_months WHERE n > 0 ORDER BY 1, 2, 3, 4").fetch_all(&mut *db).await.unwrap();
    let recount: Vec<(i64, i64, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT department_id, category_id, kind, month, sum(amount_minor), count(*) FROM expenses GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
    )
    .fetch_all(&mut *db)
    .await
    .unwrap();
    if stored != recount {
        return Err(format!("expense_months differ: {} stored rows, {} recounted", stored.len(), recount.len()));
    }
    let stored: Vec<(i64, i64, i64, i64)> = sqlx::query_as("SELECT vendor_id, department_id, month, total_minor FROM vendor_months WHERE total_minor <> 0 ORDER BY 1, 2, 3").fetch_all(&mut *db).await.unwrap();
    let recount: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT vendor_id, department_id, month, sum(amount_minor) FROM expenses WHERE vendor_id IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    )
    .fetch_all(&mut *db)
    .await
    .unwrap();
    if stored != recount {
        return Err("vendor_months differ from a recount".into());
    }
    Ok(())
}

const KILLS: usize = 20;
/// Kills fall at random over this many times a full import's length: anywhere inside it, and
/// now and then just after it committed.
const KILL_SPAN: f64 = 1.3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_nine_during_a_million_row_kpi_import() {
    let _turn = ONE_AT_A_TIME.lock().await;
    const ROWS: usize = 1_000_000;
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), true);
    let kpi = add_kpi(dir.path(), "latency").await;
    // Two imports to the end: the second replaces every row of the first, as each run below
    // does, and says how long such an import takes.
    let server = Server::start(dir.path(), &[]);
    let client = server.sign_in(CTO).await;
    let port = server.port;
    let url = move |p: &str| format!("http://127.0.0.1:{port}{p}");
    assert_eq!(import_kpi(url, client.clone(), "latency".into(), kpi_file(ROWS, "first")).await, Ok(ROWS as u64));
    let started = Instant::now();
    assert_eq!(import_kpi(url, client, "latency".into(), kpi_file(ROWS, "run-0")).await, Ok(ROWS as u64));
    let full = started.elapsed();
    server.kill();
    eprintln!("a full import of {ROWS} rows took {full:?}");

    let mut rng = rand::thread_rng();
    let mut completed = 1;
    for run in 1..=KILLS {
        let server = Server::start(dir.path(), &[]);
        let client = server.sign_in(CTO).await;
        let file = kpi_file(ROWS, &format!("run-{run}"));
        let port = server.port;
        let url = move |p: &str| format!("http://127.0.0.1:{port}{p}");
        let import = tokio::spawn(import_kpi(url, client, "latency".into(), file));
        let at = full.mul_f64(rng.gen_range(0.0..KILL_SPAN));
        tokio::time::sleep(at).await;
        server.kill();
        let finished = matches!(import.await, Ok(Ok(_)));

        let mut db = open(dir.path()).await;
        assert_eq!(integrity(&mut db).await, "ok", "run {run}, killed after {at:?}");
        let notes: Vec<(String, i64)> = sqlx::query_as("SELECT note, count(*) FROM measurements WHERE kpi_id = ?1 GROUP BY note").bind(kpi).fetch_all(&mut db).await.unwrap();
        // Every timestamp is in every file, so the rows all come from one whole import: this
        // run's if it committed before the kill, the last complete one's if not.
        assert_eq!(notes.len(), 1, "run {run}, killed after {at:?}: rows from several imports {notes:?}");
        assert_eq!(notes[0].1, ROWS as i64, "run {run}: {notes:?}");
        let this_run = notes[0].0 == format!("run-{run}");
        assert!(this_run || !finished, "run {run}: the server acknowledged an import that is not there");
        completed += this_run as usize;
        kpi_rollups_match(&mut db, kpi).await.unwrap_or_else(|e| panic!("run {run}: {e}"));
        let _ = db.close().await;
    }
    eprintln!("{KILLS} kills at random moments: {} imports completed, none half-stored", completed - 1);
    // A server started on what the kills left serves and imports as before.
    let server = Server::start(dir.path(), &[]);
    let client = server.sign_in(CTO).await;
    let port = server.port;
    let url = move |p: &str| format!("http://127.0.0.1:{port}{p}");
    assert_eq!(import_kpi(url, client, "latency".into(), kpi_file(1000, "after")).await, Ok(1000));
    let staged = std::fs::read_dir(dir.path().join("imports")).map(|d| d.count()).unwrap_or(0);
    assert_eq!(staged, 0, "files staged by killed servers are cleared at start");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_nine_during_a_100k_row_expense_import() {
    let _turn = ONE_AT_A_TIME.lock().await;
    const ROWS: usize = 100_000;
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), true);
    let import = |server: &Server, client: Client, run: usize| {
        let url = server.url("/api/budgets/expenses/import?commit=1");
        let file = expense_file(ROWS, &format!("run-{run}"));
        async move {
            let res = client.post(url).body(file).send().await.map_err(|e| e.to_string())?;
            let report: serde_json::Value = res.json().await.map_err(|e| e.to_string())?;
            report["imported"].as_bool().filter(|b| *b).ok_or_else(|| report.to_string())
        }
    };
    let server = Server::start(dir.path(), &[]);
    let client = server.sign_in(CTO).await;
    let started = Instant::now();
    assert_eq!(import(&server, client, 0).await, Ok(true));
    let full = started.elapsed();
    server.kill();
    eprintln!("a full import of {ROWS} expenses took {full:?}");

    let mut rng = rand::thread_rng();
    let mut stored = vec![0usize];
    for run in 1..=KILLS {
        let server = Server::start(dir.path(), &[]);
        let client = server.sign_in(CTO).await;
        let pending = tokio::spawn(import(&server, client, run));
        let at = full.mul_f64(rng.gen_range(0.0..KILL_SPAN));
        tokio::time::sleep(at).await;
        server.kill();
        let acknowledged = matches!(pending.await, Ok(Ok(true)));

        let mut db = open(dir.path()).await;
        assert_eq!(integrity(&mut db).await, "ok", "run {run}, killed after {at:?}");
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM expenses WHERE description = ?1").bind(format!("run-{run}")).fetch_one(&mut db).await.unwrap();
        assert!(count == 0 || count == ROWS as i64, "run {run}, killed after {at:?}: {count} of {ROWS} rows stored");
        assert!(count > 0 || !acknowledged, "run {run}: acknowledged but absent");
        if count > 0 {
            stored.push(run);
        }
        for earlier in &stored {
            let n: i64 = sqlx::query_scalar("SELECT count(*) FROM expenses WHERE description = ?1").bind(format!("run-{earlier}")).fetch_one(&mut db).await.unwrap();
            assert_eq!(n, ROWS as i64, "run {earlier} is still whole after run {run}");
        }
        expense_rollups_match(&mut db).await.unwrap_or_else(|e| panic!("run {run}: {e}"));
        let _ = db.close().await;
    }
    eprintln!("{KILLS} kills at random moments: {} imports completed, none half-stored", stored.len() - 1);
}

/// How long the soak runs: two minutes unless NORTHSTAR_SOAK_SECS says otherwise.
fn soak() -> Duration {
    Duration::from_secs(std::env::var("NORTHSTAR_SOAK_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(120))
}

#[derive(Default)]
struct Tally {
    acknowledged: AtomicU64,
    refused: std::sync::Mutex<Vec<String>>,
}

impl Tally {
    /// Counts `items` writes as acknowledged when the answer has the status `want`.
    async fn record(&self, res: Result<reqwest::Response, reqwest::Error>, want: u16, items: u64) -> bool {
        match res {
            Ok(r) if r.status().as_u16() == want => {
                self.acknowledged.fetch_add(items, Ordering::Relaxed);
                true
            }
            Ok(r) => {
                let status = r.status();
                let body = r.text().await.unwrap_or_default();
                self.refused.lock().unwrap().push(format!("{status}: {body}"));
                false
            }
            Err(e) => {
                self.refused.lock().unwrap().push(e.to_string());
                false
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_writers_for_two_minutes_lose_nothing() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), true);
    for i in 0..15 {
        add_kpi(dir.path(), &format!("soak-form-{i}")).await;
        add_kpi(dir.path(), &format!("soak-api-{i}")).await;
    }
    // The monitor runs too: ten checks against the server's own health endpoint.
    let port = common::process::free_port();
    {
        let mut db = open(dir.path()).await;
        for i in 0..10 {
            let system: i64 = sqlx::query_scalar("INSERT INTO systems (key, name, kind, tier, slo_target, status, status_since, created_at) VALUES (?1, ?1, 'service', 2, 99.9, 'operational', 0, 0) RETURNING id")
                .bind(format!("soak-{i}"))
                .fetch_one(&mut db)
                .await
                .unwrap();
            sqlx::query("INSERT INTO checks (system_id, kind, target, timeout_ms, interval_secs, failure_threshold) VALUES (?1, 'http', ?2, 2000, 10, 2)")
                .bind(system)
                .bind(format!("http://127.0.0.1:{port}/healthz"))
                .execute(&mut db)
                .await
                .unwrap();
        }
    }
    let server = Server::start_on(dir.path(), port, &[("NORTHSTAR_RUN_CHECKS", "true")]);
    let client = server.sign_in(CTO).await;
    let token: String = {
        let res = client.post(server.url("/api/admin/tokens/create")).header("accept", "application/json").form(&[("name", "soak")]).send().await.unwrap();
        res.json::<serde_json::Value>().await.unwrap()["secret"].as_str().unwrap().to_string()
    };
    let (eng, cloud) = engineering_and_cloud(dir.path()).await;
    let base_results: i64 = sqlx::query_scalar("SELECT count(*) FROM check_results").fetch_one(&mut open(dir.path()).await).await.unwrap();
    let expenses = Arc::new(Tally::default());
    let measurements = Arc::new(Tally::default());
    let ingested = Arc::new(Tally::default());
    let until = Instant::now() + soak();
    let today = chrono::Utc::now().date_naive().to_string();
    let now = chrono::Utc::now().timestamp();
    let mut writers = Vec::new();
    for w in 0..50usize {
        let (client, url, token, today) = (client.clone(), server.url(""), token.clone(), today.clone());
        let (expenses, measurements, ingested) = (expenses.clone(), measurements.clone(), ingested.clone());
        writers.push(tokio::spawn(async move {
            let mut i = 0i64;
            while Instant::now() < until {
                i += 1;
                // Distinct past times per writer and round, so no write replaces another.
                let ts = now - 3600 - (w as i64 * 1_000_000 + i);
                match w % 3 {
                    0 => {
                        let form = common::expense_form("", &today, "12.34", &eng.to_string(), &cloud.to_string());
                        let res = client.post(format!("{url}/api/budgets/expenses/save")).header("accept", "application/json").form(&form).send().await;
                        expenses.record(res, 200, 1).await;
                    }
                    1 => {
                        let form = [("key", format!("soak-form-{}", w % 15)), ("timestamp", ts.to_string()), ("value", "7".into()), ("note", String::new())];
                        let res = client.post(format!("{url}/api/kpis/measurements/add")).header("accept", "application/json").form(&form).send().await;
                        measurements.record(res, 200, 1).await;
                    }
                    _ => {
                        let body = serde_json::json!([{"timestamp": ts, "value": 3}, {"timestamp": ts - 500_000, "value": 4}]);
                        let res = client.post(format!("{url}/api/v1/kpis/soak-api-{}/measurements", w % 15)).bearer_auth(&token).json(&body).send().await;
                        ingested.record(res, 201, 2).await;
                    }
                }
            }
        }));
    }
    for w in writers {
        w.await.unwrap();
    }
    let refusals: Vec<String> = [&expenses, &measurements, &ingested].iter().flat_map(|t| t.refused.lock().unwrap().clone()).collect();
    assert!(refusals.is_empty(), "{} writes were not acknowledged, e.g. {:?}", refusals.len(), &refusals[..refusals.len().min(5)]);
    let log = server.log();
    assert!(!log.contains("database is locked") && !log.contains("SQLITE_BUSY"), "{log}");

    let mut db = open(dir.path()).await;
    let stored_expenses: i64 = sqlx::query_scalar("SELECT count(*) FROM expenses WHERE description = 'Monthly bill'").fetch_one(&mut db).await.unwrap();
    let stored_form: i64 = sqlx::query_scalar("SELECT count(*) FROM measurements m JOIN kpis k ON k.id = m.kpi_id WHERE k.key LIKE 'soak-form-%'").fetch_one(&mut db).await.unwrap();
    let stored_api: i64 = sqlx::query_scalar("SELECT count(*) FROM measurements m JOIN kpis k ON k.id = m.kpi_id WHERE k.key LIKE 'soak-api-%'").fetch_one(&mut db).await.unwrap();
    let results: i64 = sqlx::query_scalar("SELECT count(*) FROM check_results").fetch_one(&mut db).await.unwrap();
    let (e, m, a) = (expenses.acknowledged.load(Ordering::Relaxed), measurements.acknowledged.load(Ordering::Relaxed), ingested.acknowledged.load(Ordering::Relaxed));
    eprintln!("acknowledged: {e} expenses, {m} form measurements, {a} ingested measurements; {} check results", results - base_results);
    assert_eq!(stored_expenses as u64, e);
    assert_eq!(stored_form as u64, m);
    assert_eq!(stored_api as u64, a);
    // Ten checks every ten seconds make about one result a second; under fifty writers on two
    // cores the monitor may fall behind and skip runs, but its results keep being stored.
    let expected_checks = soak().as_secs() as i64 / 2;
    assert!(results - base_results >= expected_checks, "{} check results, expected at least {expected_checks}", results - base_results);
    expense_rollups_match(&mut db).await.unwrap();
    assert_eq!(integrity(&mut db).await, "ok");
}

/// A small tmpfs as the data folder; None where this machine lets no one mount (not root).
fn small_disk(megabytes: u32) -> Option<(tempfile::TempDir, std::path::PathBuf)> {
    let holder = tempfile::tempdir().unwrap();
    let mount = holder.path().join("disk");
    std::fs::create_dir(&mount).unwrap();
    let ok = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m,mode=0700"), "tmpfs"])
        .arg(&mount)
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some((holder, mount))
}

struct Unmount(std::path::PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_fails_the_import_cleanly_and_the_server_serves_on() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some((_holder, disk)) = small_disk(48) else {
        assert!(std::env::var_os("CI").is_none(), "CI runs as root and must be able to mount a tmpfs");
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    let _unmount = Unmount(disk.clone());
    seed(&disk, true);
    let server = Server::start(&disk, &[]);
    let client = server.sign_in(CTO).await;
    let before: (i64, i64) = sqlx::query_as("SELECT count(*), coalesce(sum(amount_minor), 0) FROM expenses").fetch_one(&mut open(&disk).await).await.unwrap();
    // Fill the disk to within a few megabytes.
    let free = || nix_free_bytes(&disk);
    let filler = disk.join("filler");
    std::fs::write(&filler, vec![0u8; (free() as usize).saturating_sub(3 << 20)]).ok();
    assert!(free() < 4 << 20, "{} bytes free", free());

    let res = client.post(server.url("/api/budgets/expenses/import?commit=1")).body(expense_file(100_000, "too-big")).send().await.unwrap();
    assert_eq!(res.status(), 503, "{}", res.text().await.unwrap_or_default());
    let body: serde_json::Value = res.json().await.unwrap_or_default();
    let message = body["error"].as_str().unwrap_or_default().to_string();
    assert!(message.contains("disk is full"), "a clear message: {body}");
    // A KPI upload finds no room for its file either.
    sqlx::query("INSERT INTO kpis (key, name, category, unit, direction, aggregation) VALUES ('disk', 'disk', 'reliability', 'ms', 'lower', 'mean')").execute(&mut open(&disk).await).await.ok();
    let res = client.post(server.url("/api/kpis/disk/import")).body(kpi_file(200_000, "x")).send().await.unwrap();
    assert_eq!(res.status(), 503);
    assert!(res.text().await.unwrap().contains("disk is full"));

    // Nothing of the import was stored, the old data is whole, and the server still serves.
    let mut db = open(&disk).await;
    let after: (i64, i64) = sqlx::query_as("SELECT count(*), coalesce(sum(amount_minor), 0) FROM expenses").fetch_one(&mut db).await.unwrap();
    assert_eq!(after, before);
    assert_eq!(integrity(&mut db).await, "ok");
    expense_rollups_match(&mut db).await.unwrap();
    assert_eq!(client.get(server.url("/budgets")).send().await.unwrap().status(), 200);
    assert_eq!(reqwest::get(server.url("/healthz")).await.unwrap().status(), 200);
    // With room again, writes go through on every pooled connection, the import too.
    std::fs::remove_file(&filler).unwrap();
    let (eng, cloud) = engineering_and_cloud(&disk).await;
    for _ in 0..20 {
        let res = client.post(server.url("/api/budgets/expenses/save")).header("accept", "application/json").form(&common::expense_form("", &chrono::Utc::now().date_naive().to_string(), "1.00", &eng.to_string(), &cloud.to_string())).send().await.unwrap();
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
    }
    let res = client.post(server.url("/api/budgets/expenses/import?commit=1")).body(expense_file(1000, "fits")).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}\n{}", res.text().await.unwrap_or_default(), server.log());
    drop(server);
}

fn nix_free_bytes(path: &Path) -> u64 {
    let out = std::process::Command::new("df").args(["-B1", "--output=avail"]).arg(path).output().unwrap();
    String::from_utf8_lossy(&out.stdout).lines().nth(1).and_then(|l| l.trim().parse().ok()).unwrap_or(0)
}

fn northstar(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_northstar")).args(args).env("DATABASE_URL", database_url(dir)).env("RUST_LOG", "error").output().unwrap()
}

/// Every CSV the server exports, by path: each KPI's, the expenses of this fiscal year and the
/// last, and the SLA report of closed periods.
async fn exports(server: &Server, client: &Client, keys: &[String]) -> Vec<(String, Vec<u8>)> {
    let today = chrono::Utc::now().date_naive();
    let last_month = (today.with_day(1).unwrap() - chrono::Days::new(1)).format("%Y-%m").to_string();
    let mut paths: Vec<String> = keys.iter().map(|k| format!("/api/kpis/{k}/export.csv")).collect();
    paths.push("/api/budgets/expenses/export.csv".into());
    paths.push(format!("/api/budgets/expenses/export.csv?year={}", today.year() - 1));
    paths.push(format!("/api/infra/sla.csv?period={last_month}"));
    let mut out = Vec::new();
    for path in paths {
        let res = client.get(server.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        out.push((path, res.bytes().await.unwrap().to_vec()));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_writes_restores_whole() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let original = tempfile::tempdir().unwrap();
    seed(original.path(), true);
    let server = Server::start(original.path(), &[]);
    let client = server.sign_in(CTO).await;
    let (eng, cloud) = engineering_and_cloud(original.path()).await;
    // Writers record expenses until told to stop; each acknowledged id is kept.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let acked = Arc::new(std::sync::Mutex::new(Vec::<(Instant, i64)>::new()));
    let mut writers = Vec::new();
    for _ in 0..4 {
        let (client, url, stop, acked) = (client.clone(), server.url("/api/budgets/expenses/save"), stop.clone(), acked.clone());
        let today = chrono::Utc::now().date_naive().to_string();
        writers.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let form = common::expense_form("", &today, "3.21", &eng.to_string(), &cloud.to_string());
                let res = client.post(&url).header("accept", "application/json").form(&form).send().await.unwrap();
                assert_eq!(res.status(), 200);
                let id: i64 = res.json().await.unwrap();
                acked.lock().unwrap().push((Instant::now(), id));
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let backup_dir = tempfile::tempdir().unwrap();
    let under_load = backup_dir.path().join("under-load.db");
    let backup_started = Instant::now();
    let out = northstar(original.path(), &["backup", under_load.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let written_before: Vec<i64> = acked.lock().unwrap().iter().filter(|(at, _)| *at < backup_started).map(|(_, id)| *id).collect();
    assert!(!written_before.is_empty());

    // Restoring refuses to replace a database in use, and one that exists without --force.
    let refused = northstar(original.path(), &["restore", under_load.to_str().unwrap()]);
    assert!(!refused.status.success() && String::from_utf8_lossy(&refused.stderr).contains("--force"));
    let refused = northstar(original.path(), &["restore", "--force", under_load.to_str().unwrap()]);
    assert!(!refused.status.success() && String::from_utf8_lossy(&refused.stderr).contains("in use"));

    // The copy taken under load is sound and holds every write acknowledged before it began.
    let restored = tempfile::tempdir().unwrap();
    let out = northstar(restored.path(), &["restore", under_load.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut db = open(restored.path()).await;
    assert_eq!(integrity(&mut db).await, "ok");
    for id in &written_before {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM expenses WHERE id = ?1").bind(id).fetch_optional(&mut db).await.unwrap();
        assert_eq!(found, Some(*id), "expense {id} was acknowledged before the backup began");
    }
    expense_rollups_match(&mut db).await.unwrap();
    drop(db);

    // Once writes stop, a backup restored elsewhere exports exactly what the original does.
    let quiet = backup_dir.path().join("quiet.db");
    assert!(northstar(original.path(), &["backup", quiet.to_str().unwrap()]).status.success());
    let copy = tempfile::tempdir().unwrap();
    assert!(northstar(copy.path(), &["restore", quiet.to_str().unwrap()]).status.success());
    let twin = Server::start(copy.path(), &[]);
    let twin_client = twin.sign_in(CTO).await;
    let keys: Vec<String> = sqlx::query_scalar("SELECT key FROM kpis ORDER BY key").fetch_all(&mut open(original.path()).await).await.unwrap();
    let ours = exports(&server, &client, &keys).await;
    let theirs = exports(&twin, &twin_client, &keys).await;
    assert_eq!(ours.len(), theirs.len());
    for ((path, a), (_, b)) in ours.iter().zip(&theirs) {
        assert!(a == b, "{path} differs after restore ({} and {} bytes)", a.len(), b.len());
        assert!(a.len() > 20, "{path} is not empty");
    }
    eprintln!("{} exports equal byte for byte after backup and restore", ours.len());
}

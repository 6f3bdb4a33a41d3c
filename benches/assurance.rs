//! Security benchmark, printed as figures (run: `cargo bench --features ssr --bench assurance`).
//!
//! A SARIF log of 50,000 results from 2,000 rules, uploaded for one system: checked, imported,
//! then imported again unchanged (goal: each under 3 s). Then 100,000 findings over 50
//! systems, open and fixed over two years, and the vulnerabilities page's server function and a
//! system's page over them (the posture page's goal is a p50 under 15 ms with 500 controls and
//! 100,000 findings).

mod common;

use common::{peak_rss_kb, reset_peak, server_fn_p50_ms, start, timed_gets, Bench};
use std::time::Instant;

const RESULTS: usize = 50_000;
const RULES: usize = 2_000;
const FINDINGS: i64 = 100_000;
const SYSTEMS: i64 = 50;

fn main() {
    common::run(run());
}

/// A Trivy-shaped log: rules with CVSS scores, results with a location and a fingerprint.
fn sarif() -> String {
    let rules: Vec<serde_json::Value> = (0..RULES)
        .map(|r| {
            serde_json::json!({
                "id": format!("CVE-2026-{r:05}"),
                "shortDescription": { "text": format!("package-{r}: a vulnerability in the parser") },
                "helpUri": format!("https://avd.aquasec.com/nvd/cve-2026-{r:05}"),
                "properties": { "security-severity": format!("{:.1}", 1.0 + (r % 90) as f64 / 10.0) }
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = (0..RESULTS)
        .map(|i| {
            let rule = i % RULES;
            serde_json::json!({
                "ruleId": format!("CVE-2026-{rule:05}"),
                "ruleIndex": rule,
                "level": "error",
                "message": { "text": format!("Package: package-{rule}\nInstalled Version: 1.{i}\nFixed Version: 2.0") },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": format!("services/svc-{}/go.mod", i / RULES) }, "region": { "startLine": 1 + i % 300 } } }],
                "partialFingerprints": { "primaryLocationLineHash": format!("{i:016x}") }
            })
        })
        .collect();
    serde_json::json!({ "version": "2.1.0", "runs": [{ "tool": { "driver": { "name": "Trivy", "version": "0.56.2", "rules": rules } }, "results": results }] }).to_string()
}

async fn run() {
    let Bench { app, pool, client, base } = start().await;
    let system = app.add_system("bench-scan", Some("Engineering")).await;
    let log = sarif();
    println!("SARIF log: {RESULTS} results, {RULES} rules, {:.1} MB", log.len() as f64 / 1e6);
    for (what, commit) in [("checked", false), ("imported", true), ("imported again, unchanged", true)] {
        reset_peak();
        let started = Instant::now();
        let url = format!("{base}/api/security/systems/{system}/findings/import{}", if commit { "?commit=1" } else { "" });
        let res = client.post(url).body(log.clone()).send().await.unwrap();
        let status = res.status();
        let report: serde_json::Value = res.json().await.unwrap();
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["findings"], RESULTS as u64);
        println!(
            "  {what} in {:.2} s (goal < 3 s): {} new, {} seen again; peak memory {:.0} MB",
            started.elapsed().as_secs_f64(),
            report["new"],
            report["seen"],
            peak_rss_kb() as f64 / 1024.0
        );
    }

    // 100,000 findings over 50 systems and two years: a third still open.
    let now = chrono::Utc::now().timestamp();
    let mut systems = vec![system];
    for s in 1..SYSTEMS {
        systems.push(app.add_system(&format!("bench-{s}"), Some(if s % 2 == 0 { "Engineering" } else { "Operations" })).await);
    }
    sqlx::query("DELETE FROM findings").execute(&pool).await.unwrap();
    let mut tx = pool.begin().await.unwrap();
    for i in 0..FINDINGS {
        let seen = now - (i * 7919 % 730) * 86_400;
        let fixed = (i % 3 != 0).then(|| (seen + (i % 120) * 86_400).min(now));
        sqlx::query("INSERT INTO findings (system_id, tool, rule, match_key, title, severity, location, message, first_seen, last_seen, fixed_at) VALUES (?1, 'Trivy', ?2, ?3, ?4, ?5, '', '', ?6, ?6, ?7)")
            .bind(systems[(i % SYSTEMS) as usize])
            .bind(format!("CVE-{i}"))
            .bind(format!("k{i}"))
            .bind(format!("Finding {i}"))
            .bind(["critical", "high", "medium", "low"][(i % 4) as usize])
            .bind(seen)
            .bind(fixed)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let form = [("system", ""), ("severity", ""), ("state", ""), ("page", "")];
    let p50 = server_fn_p50_ms(&client, &format!("{base}/api/security/vulnerabilities"), &form, 20).await;
    println!("vulnerabilities page's server function with {FINDINGS} findings on {SYSTEMS} systems: p50 {p50:.2} ms");
    let one = system.to_string();
    let form = [("system", one.as_str()), ("severity", "critical"), ("state", "breached"), ("page", "")];
    let p50 = server_fn_p50_ms(&client, &format!("{base}/api/security/vulnerabilities"), &form, 20).await;
    println!("  one system's critical findings past their deadline: p50 {p50:.2} ms");
    let page = timed_gets(&client, &format!("{base}/infrastructure/systems/{system}"), 20).await;
    println!("a system's page with its findings: first {:.1} ms, p50 {:.1} ms", page.first.as_secs_f64() * 1e3, page.p50.as_secs_f64() * 1e3);
}

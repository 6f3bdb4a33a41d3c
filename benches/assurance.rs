//! Security benchmark, printed as figures (run: `cargo bench --features ssr --bench assurance`).
//!
//! A SARIF log of 50,000 results from 2,000 rules, uploaded for one system: checked, imported,
//! then imported again unchanged (goal: each under 3 s). Then 100,000 findings over 50
//! systems, open and fixed over two years, and the vulnerabilities page's server function and a
//! system's page over them. Then 500 controls with a year of evidence, and the posture over all
//! of it (goal: a p50 under 15 ms with 500 controls and 100,000 findings).

mod common;

use common::{peak_rss_kb, reset_peak, server_fn_p50_ms, start, timed_gets, Bench};
use std::time::Instant;

const RESULTS: usize = 50_000;
const RULES: usize = 2_000;
const FINDINGS: i64 = 100_000;
const SYSTEMS: i64 = 50;
const CONTROLS: usize = 500;

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
    controls(&pool, &systems).await;
    posture(&client, &base).await;
}

/// 500 controls of every frequency over the two departments and the CTO, each mapped to both
/// frameworks and performed on time for a year (a tenth failing, a tenth stopped in spring);
/// and a record of processing and a restore test for every other system.
async fn controls(pool: &sqlx::SqlitePool, systems: &[i64]) {
    let today = chrono::Utc::now().date_naive();
    let frequencies = [("continuous", 1), ("monthly", 30), ("quarterly", 91), ("yearly", 365)];
    let mut tx = pool.begin().await.unwrap();
    let mut evidence = 0;
    for c in 0..CONTROLS {
        let (frequency, every) = frequencies[c % 4];
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO controls (code, title, frequency, adopted_on, department_id) VALUES (?1, ?2, ?3, ?4, (SELECT id FROM departments ORDER BY id LIMIT 1 OFFSET ?5)) RETURNING id",
        )
        .bind(format!("B-{c:03}"))
        .bind(format!("Bench control {c}"))
        .bind(frequency)
        .bind((today - chrono::Days::new(400)).to_string())
        .bind((c % 3) as i64)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        for (framework, r) in [("iso27001", format!("A.8.{}", 1 + c % 34)), ("soc2", format!("CC6.{}", 1 + c % 8))] {
            sqlx::query("INSERT INTO control_mappings (control_id, framework, ref) VALUES (?1, ?2, ?3)").bind(id).bind(framework).bind(r).execute(&mut *tx).await.unwrap();
        }
        let stopped = if c % 10 == 3 { 250 } else { 0 };
        let mut back = 400 - every.min(30) as u64;
        while back > stopped {
            let result = if c % 10 == 7 && back < 40 { "failed" } else { "passed" };
            sqlx::query("INSERT INTO control_evidence (control_id, performed_on, result, note, by_label, at) VALUES (?1, ?2, ?3, 'Done', 'bench', 0)")
                .bind(id)
                .bind((today - chrono::Days::new(back)).to_string())
                .bind(result)
                .execute(&mut *tx)
                .await
                .unwrap();
            evidence += 1;
            back = back.saturating_sub(every.max(7) as u64);
        }
    }
    for (i, s) in systems.iter().enumerate().filter(|(i, _)| i % 2 == 0) {
        let reviewed = (today - chrono::Days::new(40 * i as u64)).to_string();
        sqlx::query("INSERT INTO processing_records (system_id, personal_data, reviewed_on, reviewed_by) VALUES (?1, 1, ?2, 'bench')").bind(s).bind(&reviewed).execute(&mut *tx).await.unwrap();
        sqlx::query("INSERT INTO processing_reviews (system_id, reviewed_on) VALUES (?1, ?2)").bind(s).bind(&reviewed).execute(&mut *tx).await.unwrap();
        sqlx::query("INSERT INTO restore_tests (system_id, at, ok, duration_ms, detail, by_label) VALUES (?1, ?2, 1, 1000, 'bench', 'bench')")
            .bind(s)
            .bind(chrono::Utc::now().timestamp() - (i as i64) * 9 * 86_400)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    println!("{CONTROLS} controls with {evidence} pieces of evidence over a year");
}

async fn posture(client: &reqwest::Client, base: &str) {
    // The first look works out the eleven closed months and keeps them.
    let started = Instant::now();
    let res = client.post(format!("{base}/api/security/posture")).form(&[] as &[(&str, &str)]).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    let now = &body["now"];
    println!(
        "posture, first look (working out 11 closed months): {:.0} ms; today {} controls in force, {} findings open, {} past the deadline",
        started.elapsed().as_secs_f64() * 1e3,
        now["controls"].as_array().unwrap().iter().map(|n| n.as_i64().unwrap()).sum::<i64>(),
        now["open"].as_array().unwrap().iter().map(|n| n.as_i64().unwrap()).sum::<i64>(),
        now["breached"].as_array().unwrap().iter().map(|n| n.as_i64().unwrap()).sum::<i64>()
    );
    let p50 = server_fn_p50_ms(client, &format!("{base}/api/security/posture"), &[], 20).await;
    println!("posture page's server function with {CONTROLS} controls and {FINDINGS} findings: p50 {p50:.2} ms (goal < 15 ms)");
    let page = timed_gets(client, &format!("{base}/security"), 20).await;
    println!("the posture page: first {:.1} ms, p50 {:.1} ms", page.first.as_secs_f64() * 1e3, page.p50.as_secs_f64() * 1e3);
}

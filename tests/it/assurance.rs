//! Quality and data protection: scans applied to a system's findings.

use crate::common::{self, json, spawn_app, TestApp};
use northstar::access::Role;
use northstar::assurance::{import, sarif};
use reqwest::Client;

const TRIVY: &str = include_str!("../fixtures/sarif/trivy.sarif");
const GRYPE: &str = include_str!("../fixtures/sarif/grype-no-location.sarif");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_imported_again_updates_instead_of_duplicating_and_what_it_no_longer_reports_is_fixed() {
    let app = spawn_app().await;
    let system = app.add_system("payments-api", Some("Engineering")).await;
    let scan = sarif::parse(TRIVY.as_bytes()).unwrap();
    let apply = |found: Vec<sarif::ScanFinding>, tools: Vec<String>, now: i64| {
        let pool = app.pool.clone();
        async move {
            let mut tx = northstar::platform::db::begin_write(&pool).await.unwrap();
            let counts = import::apply(&mut tx, system, &tools, &found, now).await.unwrap();
            tx.commit().await.unwrap();
            counts
        }
    };
    let open = || async { sqlx::query_scalar::<_, i64>("SELECT count(*) FROM findings WHERE fixed_at IS NULL").fetch_one(&app.pool).await.unwrap() };
    assert_eq!(apply(scan.findings.clone(), scan.tools.clone(), 1_000).await, import::Counts { new: 3, ..Default::default() });
    // The same scan again: the same three, seen again, no more rows.
    assert_eq!(apply(scan.findings.clone(), scan.tools.clone(), 2_000).await, import::Counts { seen: 3, ..Default::default() });
    assert_eq!(sqlx::query_scalar::<_, i64>("SELECT count(*) FROM findings").fetch_one(&app.pool).await.unwrap(), 3);
    // The critical zlib finding gone from the next scan: fixed; the others stay open.
    let without: Vec<_> = scan.findings.iter().filter(|f| f.rule != "CVE-2023-45853").cloned().collect();
    assert_eq!(apply(without.clone(), scan.tools.clone(), 3_000).await, import::Counts { seen: 2, fixed: 1, ..Default::default() });
    assert_eq!(open().await, 2);
    // Another scanner's empty scan fixes nothing of Trivy's.
    assert_eq!(apply(vec![], vec!["Grype".into()], 3_500).await, import::Counts::default());
    // Back again: open again, first seen as before.
    assert_eq!(apply(scan.findings.clone(), scan.tools.clone(), 4_000).await, import::Counts { seen: 2, reopened: 1, ..Default::default() });
    let (first, last): (i64, i64) = sqlx::query_as("SELECT first_seen, last_seen FROM findings WHERE rule = 'CVE-2023-45853'").fetch_one(&app.pool).await.unwrap();
    assert_eq!((first, last), (1_000, 4_000));
    // Trivy's empty scan fixes all of Trivy's.
    assert_eq!(apply(vec![], scan.tools.clone(), 5_000).await, import::Counts { fixed: 3, ..Default::default() });
    assert_eq!(open().await, 0);
}

async fn ops_head(app: &TestApp) -> Client {
    let client = app.client();
    assert_eq!(app.login(&client, "ops.head@northstar.demo", common::PASSWORD).await.status(), 200);
    client
}

/// Sends a findings file to a system's upload address, checked only or imported.
async fn upload(app: &TestApp, client: &Client, system: i64, body: &str, commit: bool) -> (u16, serde_json::Value) {
    let url = format!("/api/security/systems/{system}/findings/import{}", if commit { "?commit=1" } else { "" });
    let res = client.post(app.url(&url)).body(body.to_string()).send().await.unwrap();
    (res.status().as_u16(), json(res).await)
}

async fn board(app: &TestApp, client: &Client, filters: &[(&str, &str)]) -> (u16, serde_json::Value) {
    let form: Vec<(&str, String)> = ["system", "severity", "state", "page"].iter().map(|k| (*k, filters.iter().find(|f| f.0 == *k).map(|f| f.1.to_string()).unwrap_or_default())).collect();
    let res = app.call(client, "/api/security/vulnerabilities", &form).await;
    (res.status().as_u16(), json(res).await)
}

async fn findings(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM findings").fetch_one(&app.pool).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_sees_and_imports_only_the_findings_of_its_scope() {
    let app = spawn_app().await;
    let eng = app.add_system("payments-api", Some("Engineering")).await;
    let ops = app.add_system("primary-db", Some("Operations")).await;
    let (cto, head, investor, ops) = (app.client_as(Some(Role::Cto)).await, app.client_as(Some(Role::DepartmentHead)).await, app.client_as(Some(Role::Investor)).await, (ops_head(&app).await, ops));

    // Checked: the counts importing would give, and nothing stored.
    let (status, preview) = upload(&app, &head, eng, TRIVY, false).await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!((preview["new"].as_u64(), preview["imported"].as_bool(), preview["tools"].clone()), (Some(3), Some(false), serde_json::json!(["Trivy"])));
    assert_eq!(findings(&app).await, 0);
    let (status, done) = upload(&app, &head, eng, TRIVY, true).await;
    assert_eq!((status, done["new"].as_u64(), done["imported"].as_bool()), (200, Some(3), Some(true)));
    // Another department's head may neither import into nor read the Engineering system.
    assert_eq!(upload(&app, &ops.0, eng, TRIVY, false).await.0, 403);
    assert_eq!(board(&app, &ops.0, &[("system", &eng.to_string())]).await.0, 403);
    let (_, theirs) = board(&app, &ops.0, &[]).await;
    assert_eq!((theirs["matched"].as_i64(), theirs["systems"].as_array().unwrap().len()), (Some(0), 1));
    assert_eq!(upload(&app, &investor, eng, TRIVY, false).await.0, 403);
    assert_eq!(board(&app, &investor, &[]).await.0, 403);
    assert_eq!(upload(&app, &app.client(), eng, TRIVY, false).await.0, 401);
    // The Engineering head reads them, worst deadline first; the CTO reads every system's.
    let (_, mine) = board(&app, &head, &[]).await;
    assert_eq!(mine["matched"], 3);
    let first = &mine["findings"][0];
    assert_eq!((first["rule"].as_str(), first["severity"].as_str(), first["standing"].as_str()), (Some("CVE-2023-45853"), Some("Critical"), Some("7 days left")));
    assert_eq!(mine["severities"][0]["open"], 1);
    assert_eq!(mine["imports"][0]["by"], "Priya Raman");
    assert_eq!(mine["can_configure"], false);
    let (_, all) = board(&app, &cto, &[("severity", "medium")]).await;
    assert_eq!((all["matched"].as_i64(), all["systems"].as_array().unwrap().len()), (Some(1), 2));
    // A filter that means nothing is refused at its field.
    let (status, refused) = board(&app, &cto, &[("state", "closed")]).await;
    assert_eq!((status, refused["fields"][0]["field"].as_str()), (422, Some("state")));
    // The import is in the audit trail, by the head, on the system.
    let by: String = sqlx::query_scalar("SELECT actor FROM audit_events WHERE action = 'import_findings'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(by, "Priya Raman");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_file_is_refused_where_it_is_wrong_and_nothing_is_stored() {
    let app = spawn_app().await;
    let system = app.add_system("web", Some("Engineering")).await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let (status, report) = upload(&app, &cto, system, "title,severity,first_seen\nXSS,urgent,\nCSRF,high,2099-01-01\n", true).await;
    assert_eq!(status, 422);
    let at: Vec<&str> = report["problems"].as_array().unwrap().iter().map(|p| p["at"].as_str().unwrap()).collect();
    assert_eq!(at, ["line 2, severity", "line 3, first_seen"]);
    let (status, report) = upload(&app, &cto, system, r#"{"version": "2.0.0", "runs": []}"#, true).await;
    assert_eq!((status, report["problems"][0]["at"].as_str()), (422, Some("version")));
    let (status, report) = upload(&app, &cto, system, "{\"version\": \"2.1.0\",\n \"runs\": [oops]}", true).await;
    assert_eq!((status, report["problems"][0]["at"].as_str()), (422, Some("line 2, column 11")));
    assert_eq!(findings(&app).await, 0);
    assert_eq!(sqlx::query_scalar::<_, i64>("SELECT count(*) FROM finding_imports").fetch_one(&app.pool).await.unwrap(), 0);
    // A missing system is 404, for a person and a token alike.
    assert_eq!(upload(&app, &cto, 999, TRIVY, true).await.0, 404);
    let token = app.api_token("scanner").await;
    let res = app.client().post(app.url("/api/v1/systems/999/findings")).bearer_auth(&token).body(TRIVY).send().await.unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scanner_posts_its_scan_with_a_token_and_the_same_scan_again_changes_nothing() {
    let app = spawn_app().await;
    let system = app.add_system("payments-api", Some("Engineering")).await;
    let url = app.url(&format!("/api/v1/systems/{system}/findings"));
    let anonymous = app.client().post(&url).body(TRIVY).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let cto = app.client_as(Some(Role::Cto)).await;
    assert_eq!(cto.post(&url).body(TRIVY).send().await.unwrap().status(), 401, "a session is not a token");
    let token = app.api_token("ci").await;
    let post = |body: &'static str| app.client().post(&url).bearer_auth(&token).header("content-type", "application/sarif+json").body(body).send();
    let first = post(TRIVY).await.unwrap();
    assert_eq!(first.status(), 201);
    assert_eq!(json(first).await["new"], 3);
    let again = json(post(TRIVY).await.unwrap()).await;
    assert_eq!((again["new"].as_u64(), again["seen"].as_u64(), again["fixed"].as_u64()), (Some(0), Some(3), Some(0)));
    assert_eq!(findings(&app).await, 3);
    let grype = json(post(GRYPE).await.unwrap()).await;
    assert_eq!(grype["tools"], serde_json::json!(["Grype"]));
    let (_, board) = board(&app, &cto, &[("system", &system.to_string())]).await;
    assert_eq!(board["imports"][0]["source"], "API");
    assert_eq!(board["imports"][0]["by"], "token “ci”");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deadlines_decide_what_is_late_raise_an_alert_and_feed_the_kpis() {
    let app = spawn_app().await;
    let system = app.add_system("payments-api", Some("Engineering")).await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let day = 86_400;
    let now = common::now();
    // A critical finding first seen ten days ago, a high one fixed 20 days after it was seen.
    let file = format!(
        "title,severity,first_seen,fixed_on,source\nRCE in the parser,critical,{},,PenTest Co\nOpen redirect,high,{},{},PenTest Co\n",
        common::days_ago(10),
        common::days_ago(60),
        common::days_ago(40)
    );
    assert_eq!(upload(&app, &cto, system, &file, true).await.0, 200);
    let (_, b) = board(&app, &cto, &[("state", "breached")]).await;
    assert_eq!((b["matched"].as_i64(), b["findings"][0]["standing"].as_str()), (Some(1), Some("3 days past its deadline")));
    assert_eq!((b["severities"][0]["breached"].as_i64(), b["severities"][1]["within_sla"].as_str(), b["severities"][1]["mean_to_fix"].as_str()), (Some(1), Some("100 %"), Some("20.0 days")));
    // The rule raises one critical alert for the system.
    northstar::alert::rules::evaluate(&app.pool, northstar::alert::rules::Look::Findings(None), now, app.state.config.currency).await.unwrap();
    let (severity, summary): (String, String) = sqlx::query_as("SELECT severity, summary FROM alerts WHERE rule = 'finding_deadline' AND resolved_at IS NULL").fetch_one(&app.pool).await.unwrap();
    assert_eq!(severity, "critical");
    assert_eq!(summary, "System payments-api: 1 finding past the remediation deadline (1 critical).");
    // Deadlines that make no sense are refused at their field, and change nothing.
    let form = |c: &str, h: &str| vec![("critical", c.to_string()), ("high", h.to_string()), ("medium", "90".to_string()), ("low", "180".to_string())];
    let res = app.call(&cto, "/api/security/deadlines/save", &form("40", "30")).await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["fields"][0]["field"], "critical");
    let res = app.call(&cto, "/api/security/deadlines/save", &form("a week", "30")).await;
    assert_eq!(json(res).await["fields"][0]["field"], "critical");
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    assert_eq!(app.call(&head, "/api/security/deadlines/save", &form("14", "30")).await.status(), 403);
    // Fourteen days for critical findings: no longer late, and the alert resolves.
    assert_eq!(app.call(&cto, "/api/security/deadlines/save", &form("14", "30")).await.status(), 200);
    let (_, b) = board(&app, &cto, &[]).await;
    assert_eq!((b["severities"][0]["breached"].as_i64(), b["findings"][0]["standing"].as_str()), (Some(0), Some("4 days left")));
    northstar::alert::rules::evaluate(&app.pool, northstar::alert::rules::Look::Findings(None), now, app.state.config.currency).await.unwrap();
    let open: i64 = sqlx::query_scalar("SELECT count(*) FROM alerts WHERE rule = 'finding_deadline' AND resolved_at IS NULL").fetch_one(&app.pool).await.unwrap();
    assert_eq!(open, 0);
    // The KPIs: kept at the CTO's word, computed, never typed into.
    assert_eq!(app.call(&head, "/api/security/kpis", &[]).await.status(), 403);
    assert_eq!(app.call(&cto, "/api/security/kpis", &[]).await.status(), 200);
    let (_, b) = board(&app, &cto, &[]).await;
    assert_eq!(b["kept"].as_array().unwrap().len(), 2);
    let latest = |key: &'static str| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_as::<_, (i64, f64)>("SELECT m.ts, m.value FROM measurements m JOIN kpis k ON k.id = m.kpi_id WHERE k.key = ?1 ORDER BY m.ts DESC LIMIT 1").bind(key).fetch_one(&pool).await.unwrap()
        }
    };
    assert_eq!(latest("critical-vulnerabilities").await, (now.div_euclid(day) * day, 1.0));
    assert_eq!(latest("security-patch-sla").await.1, 100.0);
    let res = app.call(&cto, "/api/kpis/measurements/add", &[("key", "critical-vulnerabilities".to_string()), ("timestamp", common::today()), ("value", "0".to_string()), ("note", String::new())]).await;
    assert_eq!(res.status(), 409, "a kept KPI takes no typed values");
    // The critical finding fixed by the next file: the count falls to 0 today.
    let fixed = format!("title,severity,first_seen,fixed_on,source\nRCE in the parser,critical,{},{},PenTest Co\n", common::days_ago(10), common::today());
    assert_eq!(upload(&app, &cto, system, &fixed, true).await.1["fixed"], 1, "fixed by its row; the open redirect was fixed already");
    assert_eq!(latest("critical-vulnerabilities").await.1, 0.0);
}

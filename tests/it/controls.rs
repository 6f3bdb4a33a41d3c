//! Security controls and their evidence: the register by role, evidence with files (hashed,
//! limited, served only as downloads), refusals at the field with nothing stored, and the
//! overdue rule.

use crate::common::{self, json, spawn_app, TestApp};
use northstar::access::Role;
use reqwest::Client;
use sha2::{Digest, Sha256};

const BOUNDARY: &str = "northstar-test-boundary";

/// A `multipart/form-data` body: the text fields, then the file when given (name, bytes).
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    if let Some((name, bytes)) = file {
        body.extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/html\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn record(app: &TestApp, client: &Client, control: i64, fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> reqwest::Response {
    client
        .post(app.url(&format!("/api/security/controls/{control}/evidence")))
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(multipart(fields, file))
        .send()
        .await
        .unwrap()
}

/// The form as a browser without a script posts it, asking for a page back.
async fn plain_post(app: &TestApp, client: &Client, control: i64, fields: &[(&str, &str)]) -> reqwest::Response {
    client
        .post(app.url(&format!("/api/security/controls/{control}/evidence")))
        .header("accept", "text/html")
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(multipart(fields, None))
        .send()
        .await
        .unwrap()
}

async fn control_page(app: &TestApp, client: &Client, id: i64) -> reqwest::Response {
    app.call(client, "/api/security/control", &[("id", id.to_string())]).await
}

async fn control_id(app: &TestApp, code: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM controls WHERE code = ?1").bind(code).fetch_one(&app.pool).await.unwrap()
}

async fn evidence_rows(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM control_evidence").fetch_one(&app.pool).await.unwrap()
}

async fn register(app: &TestApp, client: &Client, filters: &[(&str, &str)]) -> (u16, serde_json::Value) {
    let form: Vec<(&str, String)> = ["framework", "standing", "department"].iter().map(|k| (*k, filters.iter().find(|f| f.0 == *k).map(|f| f.1.to_string()).unwrap_or_default())).collect();
    let res = app.call(client, "/api/security/controls", &form).await;
    (res.status().as_u16(), json(res).await)
}

/// The CTO adopts the starter set and hands ACC-style controls to departments.
async fn adopted(app: &TestApp) -> (Client, i64, i64) {
    let cto = app.client_as(Some(Role::Cto)).await;
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    assert_eq!(app.call(&head, "/api/security/controls/adopt", &[]).await.status(), 403);
    let res = app.call(&cto, "/api/security/controls/adopt", &[]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(json(res).await, 32);
    let again = app.call(&cto, "/api/security/controls/adopt", &[]).await;
    assert_eq!(json(again).await, 0, "adopting again adds nothing");
    let (eng, ops) = (app.department_id("Engineering").await, app.department_id("Operations").await);
    sqlx::query("UPDATE controls SET department_id = ?1 WHERE code = 'IAM-01'").bind(eng).execute(&app.pool).await.unwrap();
    sqlx::query("UPDATE controls SET department_id = ?1 WHERE code = 'BCK-02'").bind(ops).execute(&app.pool).await.unwrap();
    (cto, control_id(app, "IAM-01").await, control_id(app, "BCK-02").await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_sees_and_records_only_the_controls_of_its_scope() {
    let app = spawn_app().await;
    let (cto, review, restore) = adopted(&app).await;
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    let investor = app.client_as(Some(Role::Investor)).await;

    // The CTO sees all 32, new and not yet due; the Engineering head only Engineering's one.
    let (status, all) = register(&app, &cto, &[]).await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(all["controls"].as_array().unwrap().len(), 32);
    assert_eq!(all["counts"][4], 32, "every control is not yet performed: {}", all["counts"]);
    assert_eq!(all["frameworks"][0]["key"], "iso27001");
    let (_, mine) = register(&app, &head, &[]).await;
    let codes: Vec<&str> = mine["controls"].as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["IAM-01"]);
    assert!(mine["editor"].is_null() && mine["starter_missing"] == 0);
    assert_eq!(register(&app, &investor, &[]).await.0, 403);
    assert_eq!(register(&app, &app.client(), &[]).await.0, 401);
    let (status, refused) = register(&app, &cto, &[("standing", "green")]).await;
    assert_eq!((status, refused["fields"][0]["field"].as_str()), (422, Some("standing")));
    let (_, soc) = register(&app, &cto, &[("framework", "soc2"), ("department", &app.department_id("Operations").await.to_string())]).await;
    assert_eq!(soc["controls"][0]["code"], "BCK-02");

    // Another department's control is refused like a missing one, for reading and recording.
    assert_eq!(control_page(&app, &head, review).await.status(), 200);
    assert_eq!(control_page(&app, &head, restore).await.status(), 403);
    assert_eq!(control_page(&app, &head, 9999).await.status(), 403);
    assert_eq!(control_page(&app, &cto, 9999).await.status(), 404);
    let passed = [("performed_on", common::today()), ("outcome", "passed".into()), ("note", "Quarterly review".into()), ("link", "https://wiki.example.com/r/1".into())];
    let passed: Vec<(&str, &str)> = passed.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(record(&app, &head, restore, &passed, None).await.status(), 403);
    assert_eq!(record(&app, &investor, review, &passed, None).await.status(), 403);
    assert_eq!(record(&app, &app.client(), review, &passed, None).await.status(), 401);
    assert_eq!(evidence_rows(&app).await, 0);

    // The head records their own; it passes and the register says so.
    let res = record(&app, &head, review, &passed, None).await;
    assert_eq!(res.status(), 201);
    let (_, mine) = register(&app, &head, &[]).await;
    assert_eq!((mine["controls"][0]["standing"].as_str(), mine["controls"][0]["last_on"].as_str()), (Some("Passing"), Some(common::today().as_str())));
    let by: String = sqlx::query_scalar("SELECT actor FROM audit_events WHERE action = 'record_evidence'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(by, "Priya Raman");
    // The CTO changes the register; a head may not.
    let form = |code: &str| vec![("id", String::new()), ("code", code.to_string()), ("title", "Quarterly DR drill".into()), ("frequency", "quarterly".into()), ("iso27001", "A.5.30".into()), ("soc2", "A1.3".into())];
    assert_eq!(app.call(&head, "/api/security/controls/save", &form("BCM-02")).await.status(), 403);
    assert_eq!(app.call(&cto, "/api/security/controls/save", &form("BCM-02")).await.status(), 200);
    assert_eq!(app.call(&cto, "/api/security/controls/retire", &[("id", review.to_string()), ("retired", "true".into())]).await.status(), 200);
    let (_, mine) = register(&app, &head, &[]).await;
    assert_eq!((mine["controls"].as_array().unwrap().len(), mine["retired"].as_i64()), (0, Some(1)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_files_are_hashed_limited_and_only_ever_downloaded() {
    let app = spawn_app().await;
    let (cto, review, restore) = adopted(&app).await;
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    let file = b"<script>alert('evidence')</script>\naccount,role\ncto@northstar.demo,cto\n";
    let today = common::today();
    let res = record(&app, &head, review, &[("performed_on", &today), ("outcome", "passed"), ("note", "")], Some(("C:\\exports\\access review.html", file))).await;
    assert_eq!(res.status(), 201);
    let body = json(res).await;
    let sha: String = Sha256::digest(file).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!((body["sha256"].as_str(), body["size"].as_u64()), (Some(sha.as_str()), Some(file.len() as u64)));
    let (id, name, size, stored): (i64, String, i64, String) =
        sqlx::query_as("SELECT id, file_name, file_size, file_sha256 FROM control_evidence").fetch_one(&app.pool).await.unwrap();
    assert_eq!((name.as_str(), size, stored), ("access review.html", file.len() as i64, sha.clone()));

    // Served back byte for byte, as a download that no browser renders.
    let res = head.get(app.url(&format!("/api/security/evidence/{id}/file"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    assert_eq!(h["content-type"], "application/octet-stream");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"access review.html\""), "{:?}", h["content-disposition"]);
    assert_eq!(res.bytes().await.unwrap().as_ref(), file);
    // Not to another department's head, an investor or a stranger.
    let ops = app.client();
    assert_eq!(app.login(&ops, "ops.head@northstar.demo", common::PASSWORD).await.status(), 200);
    assert_eq!(ops.get(app.url(&format!("/api/security/evidence/{id}/file"))).send().await.unwrap().status(), 403);
    let investor = app.client_as(Some(Role::Investor)).await;
    assert_eq!(investor.get(app.url(&format!("/api/security/evidence/{id}/file"))).send().await.unwrap().status(), 403);
    assert_eq!(app.client().get(app.url(&format!("/api/security/evidence/{id}/file"))).send().await.unwrap().status(), 401);
    assert_eq!(cto.get(app.url("/api/security/evidence/9999/file")).send().await.unwrap().status(), 404);

    // Over 20 MB: refused at the file field; far over it: refused at the door. Empty: refused.
    let big = vec![b'x'; 20 * 1024 * 1024 + 1];
    let res = record(&app, &cto, restore, &[("performed_on", &today), ("outcome", "passed")], Some(("restore.log", &big))).await;
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    assert_eq!(body["fields"][0]["field"], "file");
    assert!(body["fields"][0]["message"].as_str().unwrap().contains("at most 20 MB"), "{body}");
    let huge = vec![b'x'; 61 * 1024 * 1024];
    let res = record(&app, &cto, restore, &[("outcome", "passed")], Some(("dump.sql", &huge))).await;
    assert_eq!(res.status(), 413);
    let res = record(&app, &cto, restore, &[("performed_on", &today), ("outcome", "passed")], Some(("empty.txt", b""))).await;
    assert_eq!(json(res).await["fields"][0]["message"], "empty.txt is empty.");
    assert_eq!(evidence_rows(&app).await, 1);
    assert_eq!(sqlx::query_scalar::<_, i64>("SELECT count(*) FROM evidence_files").fetch_one(&app.pool).await.unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_evidence_is_refused_at_its_fields_and_a_plain_form_goes_back_with_them() {
    let app = spawn_app().await;
    let (cto, _, restore) = adopted(&app).await;
    let res = record(&app, &cto, restore, &[("performed_on", &common::days_ahead(3)), ("outcome", "green"), ("link", "javascript:alert(1)")], None).await;
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    let fields: Vec<&str> = body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["performed_on", "outcome", "link"]);
    // Failed needs a note; passed needs something that shows it.
    let today = common::today();
    let res = record(&app, &cto, restore, &[("performed_on", &today), ("outcome", "failed")], None).await;
    assert_eq!(json(res).await["fields"][0]["field"], "note");
    let res = record(&app, &cto, restore, &[("performed_on", &today), ("outcome", "passed"), ("note", "Restored fine")], None).await;
    assert_eq!(json(res).await["fields"][0]["field"], "file");
    assert_eq!(evidence_rows(&app).await, 0);

    // Without a script: back to the control with the error and what was typed; then a success
    // goes back with a message.
    let res = plain_post(&app, &cto, restore, &[("performed_on", &today), ("outcome", "failed"), ("note", "")]).await;
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with(&format!("/security/controls/{restore}?__path=")) && to.contains("__err=") && to.ends_with("#record"), "{to}");
    assert!(res.headers().get("set-cookie").is_some_and(|c| c.to_str().unwrap().starts_with("northstar_posted=")));
    let res = plain_post(&app, &cto, restore, &[("performed_on", &today), ("outcome", "failed"), ("note", "The restore took 3 h against a 1 h target.")]).await;
    assert_eq!((res.status().as_u16(), res.headers()["location"].to_str().unwrap()), (303, format!("/security/controls/{restore}#evidence").as_str()));
    assert!(res.headers()["set-cookie"].to_str().unwrap().starts_with("northstar_flash="));
    let page = json(control_page(&app, &cto, restore).await).await;
    assert_eq!((page["line"]["standing"].as_str(), page["evidence"][0]["note"].as_str()), (Some("Failing"), Some("The restore took 3 h against a 1 h target.")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_overdue_control_raises_an_alert_and_its_evidence_resolves_it() {
    let app = spawn_app().await;
    let (cto, review, _) = adopted(&app).await;
    // Adopted four months ago, quarterly, never performed: overdue by about a month.
    sqlx::query("UPDATE controls SET adopted_on = ?1 WHERE id = ?2").bind(&common::days_ago(120)[..10]).bind(review).execute(&app.pool).await.unwrap();
    sqlx::query("UPDATE controls SET retired_on = ?1 WHERE id <> ?2").bind(common::today()).bind(review).execute(&app.pool).await.unwrap();
    let evaluate = || northstar::alert::rules::evaluate(&app.pool, northstar::alert::rules::Look::Controls, common::now(), app.state.config.currency);
    evaluate().await.unwrap();
    let firing: Vec<(String, String, String)> =
        sqlx::query_as("SELECT subject_id, severity, summary FROM alerts WHERE rule = 'control_overdue' AND resolved_at IS NULL").fetch_all(&app.pool).await.unwrap();
    assert_eq!(firing.len(), 1, "{firing:?}");
    assert_eq!(firing[0].0, review.to_string());
    assert!(firing[0].2.starts_with("IAM-01 Access review (quarterly):") && firing[0].2.contains("days overdue"), "{}", firing[0].2);
    // The head sees it on their alerts (the control is Engineering's).
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    let alerts = json(app.call(&head, "/api/alerts/list", &[("query[state]", "open".to_string())]).await).await;
    assert!(alerts.to_string().contains("IAM-01 Access review"), "{alerts}");
    // Evidence today: current again, and the alert resolves.
    let res = record(&app, &cto, review, &[("performed_on", &common::today()), ("outcome", "passed"), ("link", "https://wiki.example.com/iam-01")], None).await;
    assert_eq!(res.status(), 201);
    evaluate().await.unwrap();
    let open: i64 = sqlx::query_scalar("SELECT count(*) FROM alerts WHERE rule = 'control_overdue' AND resolved_at IS NULL").fetch_one(&app.pool).await.unwrap();
    assert_eq!(open, 0);
}

#[tokio::test]
async fn a_controls_evidence_reads_a_hundred_at_a_time_newest_first() {
    let app = spawn_app().await;
    let (cto, review, _) = adopted(&app).await;
    // 230 days of evidence, one a day.
    for back in 0..230 {
        sqlx::query("INSERT INTO control_evidence (control_id, performed_on, result, note, by_label, at, automatic) VALUES (?1, ?2, 'passed', ?3, 'Northstar', 0, 0)")
            .bind(review)
            .bind(&common::days_ago(back)[..10])
            .bind(format!("day {back}"))
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let page = |n: &str| {
        let (app, cto) = (&app, &cto);
        let n = n.to_string();
        async move { json(app.call(cto, "/api/security/control", &[("id", review.to_string()), ("page", n)]).await).await }
    };
    let notes = |p: &serde_json::Value| p["evidence"].as_array().unwrap().iter().map(|e| e["note"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    let first = page("").await;
    assert_eq!((first["evidence_count"].as_i64(), first["page"].as_i64(), first["pages"].as_i64()), (Some(230), Some(1), Some(3)));
    assert_eq!(notes(&first).len(), 100);
    assert_eq!(notes(&first)[0], "day 0");
    let last = page("3").await;
    assert_eq!(notes(&last).len(), 30);
    assert_eq!((notes(&last)[0].as_str(), notes(&last)[29].as_str()), ("day 200", "day 229"));
    // A page past the end reads the last; one that is not a number, the first.
    assert_eq!(page("99").await["page"], 3);
    assert_eq!(page("two").await["page"], 1);
    // Without the parameter, as the first version of the page asked.
    assert_eq!(json(control_page(&app, &cto, review).await).await["page"], 1);
}

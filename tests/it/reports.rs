//! Reports from the outside: composing and publishing as the CTO, what investors, department
//! heads and share-link holders see, frozen snapshots, corrections, and every refusal.

use crate::common;

use common::{json, spawn_app, spawn_app_with, TestApp, SHARE_TOKEN};
use northstar::access::Role;
use reqwest::Client;

const PERIOD: &str = "2026-Q3";

/// An investor-visible KPI with one measurement in Q3 2026.
async fn kpi_with_value(app: &TestApp, cto: &Client, value: &str) {
    app.add_kpi("uptime", None, "percent", "higher", "mean", Some((99.0, 98.0, 95.0))).await;
    sqlx::query("UPDATE kpis SET investor_visible = 1, name = 'Platform uptime' WHERE key = 'uptime'").execute(&app.pool).await.unwrap();
    record(app, cto, "2026-08-15T12:00:00Z", value).await;
}

async fn record(app: &TestApp, cto: &Client, at: &str, value: &str) {
    let res = app
        .call(cto, "/api/kpis/measurements/add", &[("key", "uptime".into()), ("timestamp", at.into()), ("value", value.into()), ("note", String::new())])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

fn form(id: Option<i64>, title: &str, strategy: &str, note: &str) -> Vec<(&'static str, String)> {
    let mut f = vec![("title", title.to_string()), ("period", PERIOD.to_string()), ("commentary[strategy]", strategy.to_string())];
    if let Some(id) = id {
        f.push(("id", id.to_string()));
        f.push(("note", note.to_string()));
    }
    f
}

async fn create(app: &TestApp, cto: &Client, title: &str) -> i64 {
    let res = app.call(cto, "/api/reports/create", &[("title", title.into()), ("period", PERIOD.into())]).await;
    assert_eq!(res.status(), 200);
    json(res).await.as_i64().unwrap()
}

async fn publish(app: &TestApp, cto: &Client, id: i64, title: &str, strategy: &str, note: &str) -> reqwest::Response {
    app.call(cto, "/api/reports/publish", &form(Some(id), title, strategy, note)).await
}

async fn published(app: &TestApp, client: &Client, id: i64, version: Option<i64>) -> reqwest::Response {
    let mut f = vec![("id", id.to_string())];
    if let Some(v) = version {
        f.push(("version", v.to_string()));
    }
    app.call(client, "/api/reports/published", &f).await
}

fn field_error(body: &serde_json::Value, field: &str) -> String {
    body["fields"].as_array().and_then(|f| f.iter().find(|e| e["field"] == field)).map(|e| e["message"].as_str().unwrap().to_string()).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_published_snapshot_does_not_change_when_the_data_does() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    kpi_with_value(&app, &cto, "97.5").await;
    let id = create(&app, &cto, "Q3 update").await;
    let res = publish(&app, &cto, id, "Q3 update", "Steady.", "").await;
    assert_eq!(res.status(), 200);
    assert_eq!(json(res).await, 1);

    let before = json(published(&app, &cto, id, None).await).await;
    let kpi = &before["snapshot"]["kpis"][0];
    assert_eq!((kpi["name"].as_str(), kpi["value"].as_str(), kpi["status"].as_str()), (Some("Platform uptime"), Some("97.5 %"), Some("amber")));
    assert!(kpi["chart_svg"].as_str().unwrap().starts_with("<svg"));

    // The data moves on: a second measurement in the period, and the target changes.
    record(&app, &cto, "2026-08-20T12:00:00Z", "90").await;
    sqlx::query("UPDATE kpis SET name = 'Renamed' WHERE key = 'uptime'").execute(&app.pool).await.unwrap();

    let after = json(published(&app, &cto, id, None).await).await;
    assert_eq!(before, after, "a published version changed with the data");
    // The preview, read live, does see the change.
    let preview = json(app.call(&cto, "/api/reports/preview", &form(None, "Q3 update", "", "")).await).await;
    assert_eq!(preview["kpis"][0]["value"], "93.75 %");
    assert_eq!(preview["kpis"][0]["name"], "Renamed");
    // And the database refuses to rewrite a frozen version.
    let tamper = sqlx::query("UPDATE report_versions SET title = 'x'").execute(&app.pool).await;
    assert!(tamper.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_correction_is_a_new_version_with_a_note_and_the_first_stays() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let id = create(&app, &cto, "Q3 update").await;
    assert_eq!(json(publish(&app, &cto, id, "Q3 update", "First take.", "").await).await, 1);

    let res = publish(&app, &cto, id, "Q3 update", "Second take.", "").await;
    assert_eq!(res.status(), 422);
    assert!(field_error(&json(res).await, "note").contains("Say what this correction changes"));

    assert_eq!(json(publish(&app, &cto, id, "Q3 update", "Second take.", "Fixed the strategy wording").await).await, 2);
    let v1 = json(published(&app, &cto, id, Some(1)).await).await;
    let v2 = json(published(&app, &cto, id, None).await).await;
    assert!(v1["snapshot"]["commentary"].to_string().contains("First take."));
    assert_eq!((v2["version"].as_i64(), v2["note"].as_str()), (Some(2), Some("Fixed the strategy wording")));
    assert!(v2["snapshot"]["commentary"].to_string().contains("Second take."));

    // Published reports stay; only drafts may be deleted.
    let res = app.call(&cto, "/api/reports/delete", &[("id", id.to_string())]).await;
    assert_eq!(res.status(), 409);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn investors_see_published_reports_only() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let public = create(&app, &cto, "Published one").await;
    publish(&app, &cto, public, "Published one", "", "").await;
    let draft = create(&app, &cto, "Secret draft").await;

    let investor = app.client_as(Some(Role::Investor)).await;
    let list = json(app.call(&investor, "/api/reports/list", &[]).await).await;
    let titles: Vec<&str> = list["reports"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Published one"]);
    assert_eq!(list["can_compose"], false);
    // The CTO's list has both.
    let list = json(app.call(&cto, "/api/reports/list", &[]).await).await;
    assert_eq!(list["reports"].as_array().unwrap().len(), 2);

    // A draft and a report that does not exist answer alike.
    for id in [draft, 9999] {
        let res = published(&app, &investor, id, None).await;
        assert_eq!(res.status(), 404, "report {id}");
        let page = investor.get(app.url(&format!("/reports/{id}"))).send().await.unwrap();
        assert_eq!(page.status(), 404);
        let body = page.text().await.unwrap();
        assert!(!body.contains("Secret draft"));
    }
    let page = investor.get(app.url(&format!("/reports/{public}"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let body = page.text().await.unwrap();
    assert!(body.contains("Published one") && (body.contains("Download PDF") || body.contains("Save as PDF")), "{body}");
    // Composing is the CTO's.
    for (endpoint, args) in [("/api/reports/draft", vec![("id", public.to_string())]), ("/api/reports/create", vec![("title", "x".to_string()), ("period", PERIOD.to_string())])] {
        assert_eq!(app.call(&investor, endpoint, &args).await.status(), 403, "{endpoint}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_at_its_field() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    for (period, says) in [("", "Choose the period"), ("2026-Q9", "not a period"), ("2027-Q1", "has not begun")] {
        let res = app.call(&cto, "/api/reports/create", &[("title", "Report".into()), ("period", period.into())]).await;
        assert_eq!(res.status(), 422, "{period:?}");
        assert!(field_error(&json(res).await, "period").contains(says), "{period:?}");
    }
    let res = app.call(&cto, "/api/reports/create", &[("title", "  ".into()), ("period", PERIOD.into())]).await;
    assert_eq!(field_error(&json(res).await, "title"), "Enter a title.");
    let res = app.call(&cto, "/api/reports/preview", &[("title", "R".into()), ("period", PERIOD.into()), ("commentary[bogus]", "x".into())]).await;
    assert_eq!(res.status(), 400);
    let long = "x".repeat(20_001);
    let res = app.call(&cto, "/api/reports/preview", &[("title", "R".into()), ("period", PERIOD.into()), ("commentary[risks]", long)]).await;
    assert!(field_error(&json(res).await, "risks").contains("under 20000"));
    // A share link needs a published report and a sensible last day.
    let draft = create(&app, &cto, "Draft").await;
    let res = app.call(&cto, "/api/reports/links/create", &[("report_id", draft.to_string()), ("label", "Fund".into()), ("expires", common::days_ahead(5))]).await;
    assert_eq!(res.status(), 409);
    for (expires, says) in [("soon", "as a date"), ("2020-01-01", "today or later"), (common::days_ahead(400).as_str(), "at most 366 days")] {
        let res = app.call(&cto, "/api/reports/links/create", &[("report_id", draft.to_string()), ("label", "Fund".into()), ("expires", expires.into())]).await;
        assert!(field_error(&json(res).await, "expires").contains(says), "{expires}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commentary_cannot_carry_script_or_javascript_links() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let id = create(&app, &cto, "Safe").await;
    let evil = "Hello <script>alert('x')</script> [click](javascript:alert(1)) <img src=x onerror=alert(2)> [ok](https://example.com)";
    assert_eq!(publish(&app, &cto, id, "Safe", evil, "").await.status(), 200);
    let investor = app.client_as(Some(Role::Investor)).await;
    let html = investor.get(app.url(&format!("/reports/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("&lt;script&gt;alert"), "the script is shown as text");
    assert!(!html.contains("<script>alert") && !html.contains("javascript:alert") && !html.contains("<img src=x"));
    assert!(html.contains(r#"<a href="https://example.com">ok</a>"#));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_share_link_opens_one_report_until_it_expires_or_is_withdrawn() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let id = create(&app, &cto, "Board pack").await;
    publish(&app, &cto, id, "Board pack", "", "").await;
    let other = create(&app, &cto, "Other report").await;
    publish(&app, &cto, other, "Other report", "", "").await;

    let last_day = common::days_ahead(7);
    let res = cto
        .post(app.url("/api/reports/links/create"))
        .header("origin", app.url(""))
        .form(&[("report_id", id.to_string()), ("label", "Acme Ventures".into()), ("expires", last_day.clone())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let link = json(res).await;
    // The whole address, ready to send, from the page's own origin; and the day that was entered.
    let url = link["url"].as_str().unwrap();
    let token = url.strip_prefix(&format!("{}/share/", app.url(""))).unwrap_or_else(|| panic!("{url}")).to_string();
    assert_eq!(token.len(), 43);
    assert_eq!(link["last_day"], last_day.as_str());
    let draft = json(app.call(&cto, "/api/reports/draft", &[("id", id.to_string())]).await).await;
    assert_eq!(draft["links"][0]["expires"], last_day.as_str(), "works until the last day entered, not the midnight after");
    let stored: Vec<u8> = sqlx::query_scalar("SELECT token_hash FROM report_share_links").fetch_one(&app.pool).await.unwrap();
    assert_ne!(stored, token.as_bytes(), "the token is stored hashed");

    let anonymous = app.client();
    let page = anonymous.get(app.url(&format!("/share/{token}"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let body = page.text().await.unwrap();
    assert!(body.contains("Board pack") && !body.contains("Other report"));
    assert!(!body.contains("Sign out"), "a link holder sees no app");
    // The link opens nothing else: not the app, not another report.
    assert_eq!(published(&app, &anonymous, other, None).await.status(), 401);
    assert_eq!(anonymous.get(app.url("/reports")).send().await.unwrap().status(), 303);

    // Withdrawn: a clear message and nothing of the report.
    let link: i64 = sqlx::query_scalar("SELECT id FROM report_share_links").fetch_one(&app.pool).await.unwrap();
    assert_eq!(app.call(&cto, "/api/reports/links/revoke", &[("id", link.to_string())]).await.status(), 200);
    let page = anonymous.get(app.url(&format!("/share/{token}"))).send().await.unwrap();
    assert_eq!(page.status(), 410);
    let body = page.text().await.unwrap();
    assert!(body.contains("This link has been withdrawn") && !body.contains("Board pack"), "{body}");
    assert_eq!(anonymous.get(app.url(&format!("/api/share/{token}/pdf"))).send().await.unwrap().status(), 410);

    // Expired.
    app.add_share_link(id, SHARE_TOKEN, common::now() - 1).await;
    let page = anonymous.get(app.url(&format!("/share/{SHARE_TOKEN}"))).send().await.unwrap();
    assert_eq!(page.status(), 410);
    let body = page.text().await.unwrap();
    assert!(body.contains("This link has expired") && !body.contains("Board pack"));

    // Malformed and guessed tokens: the same 404 and message, whatever they look like.
    let guessed = "A".repeat(43);
    for bad in ["x", "..%2F..%2Fetc%2Fpasswd", "%3Cscript%3E", guessed.as_str()] {
        let page = anonymous.get(app.url(&format!("/share/{bad}"))).send().await.unwrap();
        assert_eq!(page.status(), 404, "{bad}");
        let body = page.text().await.unwrap();
        assert!(body.contains("This link is not valid") && !body.contains("Board pack"), "{bad}");
        let res = app.call(&anonymous, "/api/share/open", &[("token", bad.to_string())]).await;
        assert_eq!(res.status(), 404, "{bad}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_department_head_gets_their_own_budget_report_only() {
    let app = spawn_app().await;
    app.add_expense("Engineering", "Cloud", "2026-08-10", 12_345).await;
    app.add_expense("Operations", "Cloud", "2026-08-10", 99_999).await;
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    let res = app.call(&head, "/api/reports/department", &[("period", PERIOD.into()), ("department", String::new())]).await;
    assert_eq!(res.status(), 200);
    let r = json(res).await;
    assert_eq!(r["department"], "Engineering");
    assert_eq!(r["budget"]["total"]["actual"], "$123.45");
    assert_eq!(r["departments"].as_array().unwrap().len(), 1);
    let ops = app.department_id("Operations").await.to_string();
    let res = app.call(&head, "/api/reports/department", &[("period", PERIOD.into()), ("department", ops.clone())]).await;
    assert_eq!(res.status(), 403);
    let page = head.get(app.url(&format!("/reports/department?period={PERIOD}&department={ops}"))).send().await.unwrap();
    let body = page.text().await.unwrap();
    assert!(!body.contains("$999.99"));
    let page = head.get(app.url(&format!("/reports/department?period={PERIOD}"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("$123.45"));
    // The CTO may read any department's.
    let cto = app.client_as(Some(Role::Cto)).await;
    let r = json(app.call(&cto, "/api/reports/department", &[("period", PERIOD.into()), ("department", ops)]).await).await;
    assert_eq!(r["budget"]["total"]["actual"], "$999.99");
    // Investor reports are not the department head's to read.
    assert_eq!(head.get(app.url("/reports/1")).send().await.unwrap().status(), 403);
}

/// Needs Chromium, which the test script installs; the test says so when it is missing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pdf_is_a_real_document_carrying_the_title() {
    let Some(chromium) = common::chromium() else { return };
    let app = spawn_app_with(|c| c.chromium = Some(chromium)).await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let id = create(&app, &cto, "Quarterly Board Pack").await;
    publish(&app, &cto, id, "Quarterly Board Pack", "Strategy words.", "").await;
    let investor = app.client_as(Some(Role::Investor)).await;
    let res = investor.get(app.url(&format!("/api/reports/{id}/versions/1/pdf"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("quarterly-board-pack-v1.pdf"));
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF") && bytes.len() > 2000, "{} bytes", bytes.len());
    assert!(common::pdf_title(&bytes).contains("Quarterly Board Pack"), "title: {:?}", common::pdf_title(&bytes));
    // Not for the department head, and a wrong version is a 404.
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    assert_eq!(head.get(app.url(&format!("/api/reports/{id}/versions/1/pdf"))).send().await.unwrap().status(), 403);
    assert_eq!(investor.get(app.url(&format!("/api/reports/{id}/versions/7/pdf"))).send().await.unwrap().status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_on_an_older_period_keeps_it_in_the_form() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let res = app.call(&cto, "/api/reports/create", &[("title", "Old".into()), ("period", "2024-Q2".into())]).await;
    let id = json(res).await.as_i64().unwrap();
    let draft = json(app.call(&cto, "/api/reports/draft", &[("id", id.to_string())]).await).await;
    assert_eq!(draft["period"], "2024-Q2");
    assert_eq!(draft["periods"][0], serde_json::json!(["2024-Q2", "Q2 2024"]));
}

//! The Overview as each role opens it: open alerts first, then each area's figures, scoped to
//! the reader as the areas' own pages are.

use crate::common;

use common::spawn_app;
use northstar::access::Role;

#[tokio::test]
async fn the_overview_puts_open_alerts_first_then_each_area_in_the_readers_scope() {
    let app = spawn_app().await;
    app.add_alert("eng-errors", Some("Engineering")).await;
    let theirs = app.add_system("ops-db", Some("Operations")).await;
    sqlx::query("UPDATE systems SET status = 'down', status_since = ?2 WHERE id = ?1").bind(theirs).bind(common::now() - 120).execute(&app.pool).await.unwrap();
    let page = |role| {
        let app = &app;
        async move {
            let client = app.client_as(Some(role)).await;
            let res = client.get(app.url("/")).header("accept", "text/html").send().await.unwrap();
            assert_eq!(res.status(), 200);
            res.text().await.unwrap()
        }
    };

    let cto = page(Role::Cto).await;
    let at = |text: &str| cto.find(text).unwrap_or_else(|| panic!("the CTO's Overview lacks {text:?}"));
    assert!(at("Needs you") < at("KPIs off target"), "alerts come first");
    assert!(at("KPIs off target") < at("Every KPI"), "the panels come before the cards");
    at("KPI eng-errors");
    at("1 red");
    at("System ops-db");
    at("Investor reports");
    at("No investor report published yet.");

    let head = page(Role::DepartmentHead).await;
    assert!(head.contains("in Engineering"), "a department head's Overview says whose it is");
    assert!(head.contains("KPI eng-errors"), "their department's alert");
    assert!(!head.contains("System ops-db"), "another department's system is not on their Overview");
    assert!(!head.contains("Investor reports"));
}

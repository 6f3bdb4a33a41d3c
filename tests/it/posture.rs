//! The security posture: today's figures from each area in the reader's scope, the trend's
//! closed months worked out from the records' dates and then kept as they stood.

use crate::common::{json, spawn_app, TestApp};
use chrono::{Datelike, Days, NaiveDate, Utc};
use northstar::access::Role;
use reqwest::Client;

async fn posture(app: &TestApp, client: &Client) -> (u16, serde_json::Value) {
    let res = app.call(client, "/api/security/posture", &[]).await;
    (res.status().as_u16(), json(res).await)
}

fn midnight(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp()
}

async fn finding(app: &TestApp, system: i64, key: &str, severity: &str, first_seen: i64, fixed_at: Option<i64>) {
    sqlx::query("INSERT INTO findings (system_id, tool, rule, match_key, title, severity, first_seen, last_seen, fixed_at) VALUES (?1, 'Trivy', ?2, ?2, ?2, ?3, ?4, ?4, ?5)")
        .bind(system)
        .bind(key)
        .bind(severity)
        .bind(first_seen)
        .bind(fixed_at)
        .execute(&app.pool)
        .await
        .unwrap();
}

fn figures(v: &serde_json::Value, field: &str) -> Vec<i64> {
    v[field].as_array().unwrap().iter().map(|n| n.as_i64().unwrap()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_posture_counts_each_area_in_the_readers_scope_and_keeps_closed_months() {
    let app = spawn_app().await;
    let shop = app.add_system("shop", Some("Engineering")).await;
    let ledger = app.add_system("ledger", Some("Operations")).await;
    let (cto, head, investor) = (app.client_as(Some(Role::Cto)).await, app.client_as(Some(Role::DepartmentHead)).await, app.client_as(Some(Role::Investor)).await);
    assert_eq!(posture(&app, &app.client()).await.0, 401);
    assert_eq!(posture(&app, &investor).await.0, 403);

    // Last month's end, and a moment just after it: what changed since counts now, not then.
    let today = Utc::now().date_naive();
    let this_month = today.with_day(1).unwrap();
    let last_end = this_month.pred_opt().unwrap();
    let after = midnight(this_month) + 1;

    // Controls: the starter set adopted today (not yet performed), one quarterly control adopted
    // long ago and never performed (overdue now and at last month's end).
    assert_eq!(app.call(&cto, "/api/security/controls/adopt", &[]).await.status(), 200);
    let long_ago = (last_end - Days::new(200)).to_string();
    sqlx::query("UPDATE controls SET adopted_on = ?1 WHERE code = 'IAM-01'").bind(&long_ago).execute(&app.pool).await.unwrap();

    // Findings: on the shop, a critical one open for 30 days before last month's end and fixed
    // just after it; a high one first seen this month. On the ledger, a low one, long open.
    let base = midnight(last_end);
    finding(&app, shop, "CVE-1", "critical", base - 30 * 86_400, Some(after)).await;
    finding(&app, shop, "CVE-2", "high", after, None).await;
    finding(&app, ledger, "CVE-3", "low", base - 400 * 86_400, None).await;
    // And a high one fixed in 30 days, by its deadline, ten days before last month's end.
    finding(&app, ledger, "CVE-5", "high", base - 40 * 86_400, Some(base - 10 * 86_400)).await;

    // Personal data: the shop's record saved today by its head; the ledger's reviewed 400 days
    // ago. The ledger's restore test passed 60 days before last month's end.
    let saved = app.call(&head, "/api/security/privacy/save", &[("system_id", shop.to_string()), ("personal_data", "yes".into()), ("categories[0]", "contact".into()), ("subjects[0]", "customers".into()), ("purpose", "Orders".into()), ("legal_basis", "contract".into()), ("retention", "5 years".into()), ("hosting", "EU".into())]).await;
    assert_eq!(saved.status(), 200);
    let old = (today - Days::new(400)).to_string();
    sqlx::query("INSERT INTO processing_records (system_id, personal_data, purpose, legal_basis, retention, hosting, reviewed_on, reviewed_by) VALUES (?1, 1, 'Books', 'legal_obligation', '10 years', 'EU', ?2, 'Daniel Okafor')")
        .bind(ledger)
        .bind(&old)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO processing_reviews (system_id, reviewed_on) VALUES (?1, ?2)").bind(ledger).bind(&old).execute(&app.pool).await.unwrap();
    sqlx::query("INSERT INTO restore_tests (system_id, at, ok, duration_ms, detail, by_label) VALUES (?1, ?2, 1, 60000, 'Restored into staging', 'test')")
        .bind(ledger)
        .bind(base - 60 * 86_400)
        .execute(&app.pool)
        .await
        .unwrap();

    let (status, p) = posture(&app, &cto).await;
    assert_eq!(status, 200, "{p}");
    let now = &p["now"];
    // Standing::ALL: overdue, failing, due, passing, pending, not applicable.
    assert_eq!(figures(now, "controls")[0], 1, "IAM-01 overdue");
    assert_eq!(figures(now, "controls").iter().sum::<i64>(), 32);
    assert_eq!(figures(now, "open"), [0, 1, 0, 1]);
    assert_eq!(figures(now, "breached"), [0, 0, 0, 1], "the low finding is past its 180 days");
    assert_eq!((now["personal"].as_i64(), now["unreviewed"].as_i64(), now["unrecorded"].as_i64()), (Some(2), Some(1), Some(0)));
    // Both keep personal data; the shop never had a restore test, and the ledger's, at most
    // 91 days old today, still counts.
    assert_eq!((now["keeping"].as_i64(), now["untested"].as_i64()), (Some(2), Some(1)));
    let untested: Vec<&str> = p["untested"].as_array().unwrap().iter().map(|u| u["system"].as_str().unwrap()).collect();
    assert_eq!(untested, ["System shop"]);
    let unreviewed: Vec<&str> = p["unreviewed"].as_array().unwrap().iter().map(|u| u["system"].as_str().unwrap()).collect();
    assert_eq!(unreviewed, ["System ledger"]);
    assert_eq!(p["frameworks"].as_array().unwrap().len(), 2);
    assert_eq!(p["severities"][1]["open"], 1);
    // Fixes count over the trend's twelve months: a closed month's kept, this month's so far.
    assert_eq!(p["fixes_since"], format!("1 {}", p["trend"][0]["label"].as_str().unwrap()));
    let fixes = |p: &serde_json::Value| -> Vec<(i64, serde_json::Value, serde_json::Value)> {
        p["severities"].as_array().unwrap()[..2].iter().map(|l| (l["fixed"].as_i64().unwrap(), l["mean_to_fix"].clone(), l["within_sla"].clone())).collect()
    };
    let fixed_then = vec![(1, serde_json::json!("31.0 days"), serde_json::json!("0 %")), (1, serde_json::json!("30.0 days"), serde_json::json!("100 %"))];
    assert_eq!(fixes(&p), fixed_then, "the critical fixed a day past its 7, the high on its 30th");

    // Today's figures, taken from the register and the SLA table, are what the rule for any
    // day gives for today.
    let deadlines = northstar::assurance::model::Deadlines { critical: 7, high: 30, medium: 90, low: 180 };
    let mut db = app.pool.acquire().await.unwrap();
    let by_rule = northstar::assurance::service::posture::figures_at(&mut db, None, today, &deadlines).await.unwrap();
    drop(db);
    assert_eq!(serde_json::to_value(&by_rule).unwrap(), *now);

    // Twelve months, the current one last with today's figures.
    let trend = p["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 12);
    assert_eq!(trend[11]["current"], true);
    assert_eq!(&trend[11]["figures"], now);
    assert_eq!(trend[10]["month"], last_end.format("%Y-%m").to_string());
    let then = &trend[10]["figures"];
    assert_eq!(figures(then, "open"), [1, 0, 0, 1], "the critical finding was open at last month's end");
    assert_eq!(figures(then, "breached"), [1, 0, 0, 1]);
    assert_eq!(figures(then, "controls"), [1, 0, 0, 0, 0, 0], "only IAM-01 was adopted by then");
    assert_eq!((then["personal"].as_i64(), then["unreviewed"].as_i64()), (Some(2), Some(2)), "the shop had no review by then");
    assert_eq!((then["keeping"].as_i64(), then["untested"].as_i64()), (Some(2), Some(1)), "the ledger's test was 60 days old");
    assert_eq!(figures(&trend[0]["figures"], "open"), [0, 0, 0, 1]);

    // A closed month is kept as it was first worked out; today's figures move.
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM posture_months WHERE scope = 'all'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(kept, 11);
    finding(&app, shop, "CVE-4", "medium", base - 5 * 86_400, None).await;
    let (_, again) = posture(&app, &cto).await;
    assert_eq!(figures(&again["now"], "open"), [0, 1, 1, 1]);
    assert_eq!(figures(&again["trend"][10]["figures"], "open"), [1, 0, 0, 1], "last month as it stood when first worked out");
    // Months kept before their fixes were kept get them worked out when next read.
    sqlx::query("UPDATE posture_months SET fixes = NULL").execute(&app.pool).await.unwrap();
    assert_eq!(fixes(&posture(&app, &cto).await.1), fixed_then);
    let unkept: i64 = sqlx::query_scalar("SELECT count(*) FROM posture_months WHERE fixes IS NULL").fetch_one(&app.pool).await.unwrap();
    assert_eq!(unkept, 0);

    // The Engineering head: the shop alone, months kept for their scope apart.
    let (status, own) = posture(&app, &head).await;
    assert_eq!(status, 200);
    assert!(own["scope"].as_str().unwrap().starts_with("Engineering’s controls"), "{}", own["scope"]);
    assert_eq!(figures(&own["now"], "open"), [0, 1, 1, 0]);
    assert_eq!(figures(&own["now"], "controls").iter().sum::<i64>(), 0, "the starter controls are the CTO's until handed to a department");
    assert_eq!((own["now"]["personal"].as_i64(), own["now"]["unreviewed"].as_i64()), (Some(1), Some(0)));
    assert!(own["unreviewed"].as_array().unwrap().is_empty());
    let scopes: Vec<String> = sqlx::query_scalar("SELECT DISTINCT scope FROM posture_months ORDER BY scope").fetch_all(&app.pool).await.unwrap();
    assert_eq!(scopes.len(), 2, "{scopes:?}");

    // Confirming the ledger's record is a review the posture sees at once.
    assert_eq!(app.call(&cto, "/api/security/privacy/confirm", &[("id", ledger.to_string())]).await.status(), 200);
    let reviews: i64 = sqlx::query_scalar("SELECT count(*) FROM processing_reviews WHERE system_id = ?1").bind(ledger).fetch_one(&app.pool).await.unwrap();
    assert_eq!(reviews, 2);
    let (_, after_review) = posture(&app, &cto).await;
    assert_eq!(after_review["now"]["unreviewed"], 0);
    assert!(after_review["unreviewed"].as_array().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn investors_see_the_posture_only_in_the_reports_the_cto_shares_it_in() {
    let app = spawn_app().await;
    let shop = app.add_system("shop", Some("Engineering")).await;
    let first_seen = NaiveDate::from_ymd_opt(2026, 8, 1).unwrap();
    finding(&app, shop, "CVE-1", "critical", midnight(first_seen), None).await;
    let (cto, head, investor) = (app.client_as(Some(Role::Cto)).await, app.client_as(Some(Role::DepartmentHead)).await, app.client_as(Some(Role::Investor)).await);
    let report = [("title", "Q3 update".to_string()), ("period", "2026-Q3".to_string())];

    let preview = json(app.call(&cto, "/api/reports/preview", &report).await).await;
    assert!(preview["security"].is_null(), "not shared yet");
    assert_eq!(posture(&app, &cto).await.1["shared"], false);

    // Only the CTO shares it, with a yes or a no.
    let share = |v: &str| vec![("shared", v.to_string())];
    assert_eq!(app.call(&head, "/api/security/posture/share", &share("yes")).await.status(), 403);
    assert_eq!(app.call(&investor, "/api/security/posture/share", &share("yes")).await.status(), 403);
    let res = app.call(&cto, "/api/security/posture/share", &share("maybe")).await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["fields"][0]["field"], "shared");
    let audits = app.audit_count().await;
    assert_eq!(app.call(&cto, "/api/security/posture/share", &share("yes")).await.status(), 200);
    assert_eq!(app.audit_count().await, audits + 1);
    assert_eq!(posture(&app, &cto).await.1["shared"], true);
    assert!(posture(&app, &head).await.1["shared"].is_null(), "a head is not asked");

    // The report carries the company's figures at the quarter's end and the one before's.
    let id = json(app.call(&cto, "/api/reports/create", &report).await).await.as_i64().unwrap();
    let mut publish = report.to_vec();
    publish.extend([("id", id.to_string()), ("note", String::new()), ("commentary[strategy]", String::new())]);
    assert_eq!(app.call(&cto, "/api/reports/publish", &publish).await.status(), 200);
    let read = json(app.call(&investor, "/api/reports/published", &[("id", id.to_string())]).await).await;
    let s = &read["snapshot"]["security"];
    assert_eq!((s["as_of"].as_str(), s["before_as_of"].as_str()), (Some("2026-09-30"), Some("2026-06-30")));
    assert_eq!(figures(&s["figures"], "open"), [1, 0, 0, 0]);
    assert_eq!(figures(&s["figures"], "breached"), [1, 0, 0, 0]);
    assert_eq!(figures(&s["before"], "open"), [0, 0, 0, 0]);
    // The investor reads it there, never the posture itself.
    assert_eq!(posture(&app, &investor).await.0, 403);

    // Kept out again: new previews leave it out, the published version keeps it.
    assert_eq!(app.call(&cto, "/api/security/posture/share", &share("no")).await.status(), 200);
    assert!(json(app.call(&cto, "/api/reports/preview", &report).await).await["security"].is_null());
    let again = json(app.call(&investor, "/api/reports/published", &[("id", id.to_string())]).await).await;
    assert_eq!(again["snapshot"]["security"], *s);
}

//! The KPI registry through its server functions: definitions, targets, measurements, status,
//! and who may do what.

use crate::common;

use common::{days_ago, json, spawn_app, TestApp};
use northstar::access::Role;
use reqwest::Client;

fn kpi_form(key: &str) -> Vec<(&'static str, String)> {
    vec![
        ("original_key", String::new()),
        ("key", key.into()),
        ("name", "API p95 latency".into()),
        ("description", "Slowest 5 % of requests".into()),
        ("formula", "p95(duration)".into()),
        ("category", "reliability".into()),
        ("unit", "ms".into()),
        ("direction", "lower".into()),
        ("aggregation", "last".into()),
        ("computed", String::new()),
        ("owner", "Priya".into()),
        ("department", String::new()),
        ("target", "300".into()),
        ("amber", "300".into()),
        ("red", "400".into()),
    ]
}

async fn detail(app: &TestApp, client: &Client, key: &str) -> serde_json::Value {
    let res = app.call(client, "/api/kpis/detail", &[("key", key.into()), ("window", "30d".into()), ("range", "90d".into())]).await;
    assert_eq!(res.status(), 200, "detail of {key}");
    json(res).await
}

async fn add(app: &TestApp, client: &Client, key: &str, when: &str, value: &str) -> reqwest::Response {
    app.call(client, "/api/kpis/measurements/add", &[("key", key.into()), ("timestamp", when.into()), ("value", value.into()), ("note", String::new())]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cto_defines_a_kpi_and_its_status_follows_measurements() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let res = app.call(&cto, "/api/kpis/save", &kpi_form("p95-latency")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(json(res).await, "p95-latency");

    let page = detail(&app, &cto, "p95-latency").await;
    assert_eq!(page["card"]["rag"], "NoData");
    assert_eq!(page["card"]["sentence"], "API p95 latency: no measurements in the last 30 days.");

    assert_eq!(add(&app, &cto, "p95-latency", &days_ago(2), "250").await.status(), 200);
    let page = detail(&app, &cto, "p95-latency").await;
    assert_eq!(page["card"]["rag"], "Green");
    assert_eq!(page["card"]["value"], "250 ms");

    assert_eq!(add(&app, &cto, "p95-latency", &days_ago(1), "350").await.status(), 200);
    let page = detail(&app, &cto, "p95-latency").await;
    assert_eq!(page["card"]["rag"], "Amber");
    assert_eq!(page["card"]["sentence"], "API p95 latency 350 ms: amber, target at most 300 ms, no earlier period to compare.");
    let svg = page["chart"]["svg"].as_str().unwrap();
    assert!(svg.contains("<title") && svg.contains("<desc"), "the chart is labelled");
    assert_eq!(page["chart"]["rows"].as_array().unwrap().len(), 2);
    assert!(page["can_edit"].as_bool().unwrap() && page["can_record"].as_bool().unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_definitions_are_refused_field_by_field() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let mut form = kpi_form("Bad Key!");
    form[6].1 = "parsecs".into();
    form[13].1 = "250".into(); // amber better than the target
    let body = json(app.call(&cto, "/api/kpis/save", &form).await).await;
    assert_eq!(body["kind"], "invalid");
    let fields: Vec<&str> = body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["key", "unit"], "the threshold check waits for a valid unit");

    assert_eq!(app.call(&cto, "/api/kpis/save", &kpi_form("latency")).await.status(), 200);
    let dup = json(app.call(&cto, "/api/kpis/save", &kpi_form("latency")).await).await;
    assert_eq!(dup["fields"][0]["message"], "A KPI with the key latency already exists.");

    let mut thresholds = kpi_form("latency-2");
    thresholds[13].1 = "250".into();
    let body = json(app.call(&cto, "/api/kpis/save", &thresholds).await).await;
    assert_eq!(body["fields"][0]["field"], "amber");
    let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM kpis").fetch_one(&app.pool).await.unwrap();
    assert_eq!(n, 1, "nothing half-written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_measurements_get_field_errors_and_are_not_stored() {
    let app = spawn_app().await;
    app.add_kpi("cost", None, "money", "lower", "mean", Some((45.0, 45.0, 55.0))).await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let cases = [
        ("2026-02-30T10:00", "1.00", "timestamp"),
        ("", "1.00", "timestamp"),
        ("2099-01-01T00:00", "1.00", "timestamp"),
        (&days_ago(1)[..16], "abc", "value"),
        (&days_ago(1)[..16], "NaN", "value"),
        (&days_ago(1)[..16], "1.234", "value"),
        (&days_ago(1)[..16], "", "value"),
    ];
    for (when, value, field) in cases {
        let res = add(&app, &cto, "cost", when, value).await;
        assert_eq!(res.status(), 422, "{when:?} {value:?}");
        let body = json(res).await;
        assert_eq!(body["fields"][0]["field"], field, "{when:?} {value:?}: {body}");
    }
    assert_eq!(app.count_measurements("cost").await, 0);
    assert_eq!(add(&app, &cto, "cost", &days_ago(1)[..16], "0.47").await.status(), 200);
    let page = detail(&app, &cto, "cost").await;
    assert_eq!(page["card"]["value"], "$0.47");
    assert_eq!(page["card"]["rag"], "Amber");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_target_judges_the_future_not_the_past() {
    let app = spawn_app().await;
    app.add_kpi("latency", None, "ms", "lower", "last", Some((400.0, 400.0, 500.0))).await;
    let cto = app.client_as(Some(Role::Cto)).await;
    assert_eq!(add(&app, &cto, "latency", &days_ago(60), "350").await.status(), 200);
    assert_eq!(add(&app, &cto, "latency", &days_ago(1), "350").await.status(), 200);
    let from = &days_ago(30)[..10];
    let set = app
        .call(&cto, "/api/kpis/targets/set", &[("key", "latency".into()), ("effective_from", from.into()), ("target", "300".into()), ("amber", "300".into()), ("red", "400".into()), ("note", "tighter".into())])
        .await;
    assert_eq!(set.status(), 200);
    let page = json(app.call(&cto, "/api/kpis/measurements", &[("key", "latency".into())]).await).await;
    let rags: Vec<&str> = page["rows"].as_array().unwrap().iter().map(|r| r["rag"].as_str().unwrap()).collect();
    assert_eq!(rags, ["Amber", "Green"], "newest first: judged against 300, then against 400");
    let detail = detail(&app, &cto, "latency").await;
    assert_eq!(detail["card"]["rag"], "Amber");
    assert_eq!(detail["measurements"], page, "the page carries the table's first page");
    let newest = page["rows"][0]["ts"].as_i64().unwrap();
    let params = [("key", "latency".into()), ("window", "30d".into()), ("range", "90d".into()), ("before", newest.to_string())];
    let older = json(app.call(&cto, "/api/kpis/detail", &params).await).await;
    let rows = older["measurements"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "before the newest, only the older measurement: {rows:?}");
    assert_eq!(rows[0]["rag"], "Green");
    let targets = detail["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 2);
    assert_eq!(targets[0][0]["effective_from"], from);
    assert_eq!(targets[0][1], true, "the newest is in force");
    assert_eq!(targets[0][0]["set_by"], "Alex Morgan");

    let bad = app
        .call(&cto, "/api/kpis/targets/set", &[("key", "latency".into()), ("effective_from", "2026-13-01".into()), ("target", "300".into()), ("amber", "250".into()), ("red", "400".into()), ("note", "".into())])
        .await;
    let body = json(bad).await;
    let fields: Vec<&str> = body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["effective_from", "amber"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn department_heads_see_company_and_own_kpis_and_record_only_their_own() {
    let app = spawn_app().await;
    app.add_kpi("availability", None, "percent", "higher", "mean", Some((99.9, 99.9, 99.5))).await;
    app.add_kpi("eng-latency", Some("Engineering"), "ms", "lower", "last", None).await;
    app.add_kpi("ops-pages", Some("Operations"), "count", "lower", "sum", None).await;
    let head = app.client_as(Some(Role::DepartmentHead)).await;

    let cards = json(app.call(&head, "/api/kpis/overview", &[("window", "30d".into())]).await).await;
    let mut keys: Vec<&str> = cards.as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap()).collect();
    keys.sort();
    assert_eq!(keys, ["availability", "eng-latency"]);

    let company = detail(&app, &head, "availability").await;
    assert_eq!(company["can_record"], false);
    assert_eq!(company["can_edit"], false);
    assert_eq!(add(&app, &head, "availability", &days_ago(1), "99.9").await.status(), 403);
    assert_eq!(add(&app, &head, "eng-latency", &days_ago(1), "280").await.status(), 200);

    // Another department's KPI and one that does not exist look the same from outside.
    let other = app.call(&head, "/api/kpis/detail", &[("key", "ops-pages".into()), ("window", "30d".into()), ("range", "90d".into())]).await;
    let missing = app.call(&head, "/api/kpis/detail", &[("key", "no-such-kpi".into()), ("window", "30d".into()), ("range", "90d".into())]).await;
    assert_eq!(other.status(), 403);
    assert_eq!(missing.status(), 403);
    assert_eq!(other.text().await.unwrap(), missing.text().await.unwrap());
    assert_eq!(add(&app, &head, "ops-pages", &days_ago(1), "1").await.status(), 403);
    let page = head.get(app.url("/kpis/ops-pages")).send().await.unwrap();
    assert_eq!(page.status(), 403, "the page itself is refused");
    let html = page.text().await.unwrap();
    assert!(!html.contains("KPI ops-pages"), "nothing of it is shown");
    assert_eq!(head.get(app.url("/api/kpis/ops-pages/export.csv")).send().await.unwrap().status(), 403);
    assert_eq!(app.count_measurements("ops-pages").await, 0);
    assert_eq!(app.count_measurements("availability").await, 0);

    let edit = app.call(&head, "/api/kpis/save", &kpi_form("sneaky")).await;
    assert_eq!(edit.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_measurement_and_a_kpi() {
    let app = spawn_app().await;
    app.add_kpi("latency", None, "ms", "lower", "last", None).await;
    let cto = app.client_as(Some(Role::Cto)).await;
    add(&app, &cto, "latency", &days_ago(3), "300").await;
    let page = json(app.call(&cto, "/api/kpis/measurements", &[("key", "latency".into())]).await).await;
    let ts = page["rows"][0]["ts"].as_i64().unwrap();
    let del = app.call(&cto, "/api/kpis/measurements/delete", &[("key", "latency".into()), ("ts", ts.to_string())]).await;
    assert_eq!(del.status(), 200);
    assert_eq!(app.count_measurements("latency").await, 0);
    let again = app.call(&cto, "/api/kpis/measurements/delete", &[("key", "latency".into()), ("ts", ts.to_string())]).await;
    assert_eq!(again.status(), 404);
    assert_eq!(app.call(&cto, "/api/kpis/delete", &[("key", "latency".into())]).await.status(), 200);
    assert_eq!(app.call(&cto, "/api/kpis/delete", &[("key", "latency".into())]).await.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_overview_puts_red_first_within_each_category() {
    let app = spawn_app().await;
    for (key, value) in [("a-green", "100"), ("b-red", "900"), ("c-amber", "350")] {
        app.add_kpi(key, None, "ms", "lower", "last", Some((300.0, 300.0, 500.0))).await;
        let cto = app.client_as(Some(Role::Cto)).await;
        add(&app, &cto, key, &days_ago(1), value).await;
    }
    let cto = app.client_as(Some(Role::Cto)).await;
    let cards = json(app.call(&cto, "/api/kpis/overview", &[("window", "7d".into())]).await).await;
    let order: Vec<&str> = cards.as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap()).collect();
    assert_eq!(order, ["b-red", "c-amber", "a-green"]);
    assert!(cards[0]["sparkline"].is_null(), "one point draws no sparkline");
    let filtered = json(
        app.call(&cto, "/api/kpis/list", &[("window", "7d".into()), ("category", "".into()), ("status", "red".into()), ("scope", "".into()), ("q", "".into())]).await,
    )
    .await;
    assert_eq!(filtered["cards"].as_array().unwrap().len(), 1);
    assert_eq!(filtered["total"], 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_series_are_downsampled_for_the_chart() {
    let app = spawn_app().await;
    let id = app.add_kpi("dense", None, "ms", "lower", "mean", None).await;
    let now = chrono::Utc::now().timestamp();
    let mut tx = app.pool.begin().await.unwrap();
    for i in 0..4000i64 {
        sqlx::query("INSERT INTO measurements (kpi_id, ts, value, source) VALUES (?1, ?2, ?3, 'api')")
            .bind(id)
            .bind(now - 80 * 86_400 + i * 1700)
            .bind((i % 97) as f64)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    northstar::kpi::repo::refresh_rollups(&mut tx, id, now - 90 * 86_400, now).await.unwrap();
    tx.commit().await.unwrap();
    let cto = app.client_as(Some(Role::Cto)).await;
    let page = detail(&app, &cto, "dense").await;
    let rows = page["chart"]["rows"].as_array().unwrap().len();
    assert!(rows <= 1000 && rows > 500, "{rows} points plotted");
    assert_eq!(page["chart"]["resolution"], "each measurement");
    assert_eq!(page["total_points"], 4000);
}

/// The form keeps its time between entries; a second entry at that time must not silently
/// take the place of the first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_entry_at_the_same_time_is_refused_until_replacing_is_confirmed() {
    let app = spawn_app().await;
    app.add_kpi("latency", None, "ms", "lower", "last", None).await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let when = days_ago(1);
    let entry = |value: &str, note: &str, replace: bool| {
        let mut form = vec![("key", "latency".to_string()), ("timestamp", when.clone()), ("value", value.to_string()), ("note", note.to_string())];
        if replace {
            form.push(("replace", "true".to_string()));
        }
        form
    };
    let stored = || async {
        sqlx::query_as::<_, (f64, Option<String>)>("SELECT value, note FROM measurements").fetch_all(&app.pool).await.unwrap()
    };
    assert_eq!(app.call(&cto, "/api/kpis/measurements/add", &entry("50", "A", false)).await.status(), 200);

    let again = app.call(&cto, "/api/kpis/measurements/add", &entry("60", "B", false)).await;
    assert_eq!(again.status(), 422);
    let body = json(again).await;
    assert_eq!(body["fields"][0]["field"], "replace");
    let message = body["fields"][0]["message"].as_str().unwrap();
    assert!(message.contains("already has a value: 50 ms, note “A”") && message.contains("Replace it"), "{message}");
    assert_eq!(stored().await, [(50.0, Some("A".to_string()))], "the first entry is untouched");

    let replaced = app.call(&cto, "/api/kpis/measurements/add", &entry("60", "B", true)).await;
    assert_eq!(replaced.status(), 200);
    assert_eq!(stored().await, [(60.0, Some("B".to_string()))]);
}

/// Green runs to the amber threshold; a value short of its target says so wherever the status
/// shows (cards, the page, the rows), in the direction's own words.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn green_but_short_of_target_says_so() {
    let app = spawn_app().await;
    app.add_kpi("wau", None, "count", "higher", "last", Some((30_000.0, 25_000.0, 20_000.0))).await;
    app.add_kpi("p95", None, "ms", "lower", "last", Some((300.0, 350.0, 400.0))).await;
    let cto = app.client_as(Some(Role::Cto)).await;
    for (key, value) in [("wau", "27993"), ("p95", "320")] {
        assert_eq!(add(&app, &cto, key, &days_ago(1), value).await.status(), 200);
    }
    let wau = detail(&app, &cto, "wau").await;
    assert_eq!((wau["card"]["rag"].as_str(), wau["card"]["short"].as_str()), (Some("Green"), Some("below target")));
    let p95 = detail(&app, &cto, "p95").await;
    assert_eq!(p95["card"]["short"], "above target");
    let rows = json(app.call(&cto, "/api/kpis/measurements", &[("key", "wau".into())]).await).await;
    assert_eq!(rows["rows"][0]["short"], "below target");

    let an_hour_ago = (chrono::Utc::now() - chrono::Duration::hours(1)).format("%Y-%m-%dT%H:%M:%SZ").to_string();
    assert_eq!(add(&app, &cto, "wau", &an_hour_ago, "30000").await.status(), 200);
    assert!(detail(&app, &cto, "wau").await["card"]["short"].is_null(), "meeting the target is plain green");
}

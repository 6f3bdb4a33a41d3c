//! What feedback tells beyond its own pages: the CTO's response times kept as KPIs (a value a
//! month, written again with every answer), and notices to an item's author relayed through
//! the author's own notification channels, never anyone else's.

use crate::common::{json, now, spawn_app, TestApp, PASSWORD};
use crate::notify::verifies;
use crate::common::receivers::WebhookReceiver;
use northstar::access::Role;
use northstar::alert::notify::dispatch::Dispatcher;
use reqwest::Client;

const SECRET: &str = "a-shared-secret-for-tests";
const HOUR: i64 = 3600;

async fn file(app: &TestApp, client: &Client, title: &str) -> i64 {
    let form = [("kind", "request".to_string()), ("subject", "technology".into()), ("title", title.into()), ("body", String::new())];
    let res = app.call(client, "/api/feedback/save", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    json(res).await.as_i64().unwrap()
}

async fn answer(app: &TestApp, cto: &Client, item: i64, state: &str) {
    let form = [("item", item.to_string()), ("state", state.into()), ("answer", "Looking at it.".into()), ("initiative", String::new()), ("radar_entry", String::new())];
    let res = app.call(cto, "/api/feedback/answer", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

/// A kept KPI's values, oldest first, with their notes.
async fn values(app: &TestApp, key: &str) -> Vec<(f64, String)> {
    sqlx::query_as("SELECT m.value, m.note FROM measurements m JOIN kpis k ON k.id = m.kpi_id WHERE k.key = ?1 ORDER BY m.ts")
        .bind(key)
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

/// Moves when an item was filed `hours` before now.
async fn filed_ago(app: &TestApp, item: i64, hours: i64) {
    sqlx::query("UPDATE feedback_items SET created_at = ?2 WHERE id = ?1").bind(item).bind(now() - hours * HOUR).execute(&app.pool).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn response_times_become_kpis_at_the_ctos_word_and_follow_every_answer() {
    let app = spawn_app().await;
    let (cto, head) = (app.client_as(Some(Role::Cto)).await, app.client_as(Some(Role::DepartmentHead)).await);
    // Three requests filed 10, 30 and 50 hours ago, answered now: a median of 30 h this month.
    let mut items = Vec::new();
    for (title, hours) in [("Runbooks in one place", 10), ("Faster laptops", 30), ("SSO for the wiki", 50)] {
        let id = file(&app, &head, title).await;
        filed_ago(&app, id, hours).await;
        answer(&app, &cto, id, "under_review").await;
        items.push(id);
    }
    let triage = json(app.call(&cto, "/api/feedback", &[("sort", "votes".to_string())]).await).await["triage"].clone();
    assert_eq!(triage["first_answer_hours"], 30);
    assert_eq!((triage["kept"].as_array().unwrap().len(), triage["can_keep"].as_bool()), (0, Some(true)));

    // Only the CTO keeps them.
    assert_eq!(app.call(&head, "/api/feedback/kpis", &[]).await.status(), 403);
    assert_eq!(app.call(&app.client(), "/api/feedback/kpis", &[]).await.status(), 401);
    assert_eq!(sqlx::query_scalar::<_, i64>("SELECT count(*) FROM feedback_kpis").fetch_one(&app.pool).await.unwrap(), 0);
    let res = app.call(&cto, "/api/feedback/kpis", &[]).await;
    assert_eq!(json(res).await, 2);
    assert_eq!(values(&app, "feedback-first-answer").await, [(30.0, "3 items".to_string())]);
    assert!(values(&app, "feedback-time-to-close").await.is_empty(), "nothing is closed yet");
    let triage = json(app.call(&cto, "/api/feedback", &[("sort", "votes".to_string())]).await).await["triage"].clone();
    assert_eq!(triage["kept"][0], serde_json::json!(["Feedback: time to first answer", "/kpis/feedback-first-answer"]));
    assert_eq!(triage["kept"][1], serde_json::json!(["Feedback: time to close", "/kpis/feedback-time-to-close"]));
    assert_eq!(triage["can_keep"], false);
    assert_eq!(json(app.call(&cto, "/api/feedback/kpis", &[]).await).await, 0, "kept once");

    // Like any KPI, with its unit, direction and target; a head reads it, nobody types into it.
    let kpi = json(app.call(&head, "/api/kpis/detail", &[("key", "feedback-first-answer".into()), ("window", "30d".into()), ("range", "90d".into())]).await).await;
    assert_eq!((kpi["kpi"]["unit"].as_str(), kpi["kpi"]["direction"].as_str(), kpi["kpi"]["kept_by"].as_str()), (Some("Hours"), Some("Lower"), Some("feedback")));
    assert_eq!(kpi["targets"][0][0]["target"], 48.0);
    assert_eq!(kpi["can_record"], false);
    let typed = [("key", "feedback-first-answer".to_string()), ("timestamp", crate::common::today()), ("value", "1".into()), ("note", String::new())];
    assert_eq!(app.call(&cto, "/api/kpis/measurements/add", &typed).await.status(), 409);

    // Closing one, filed 50 hours ago, gives the close time its first value (2.1 days); the
    // first answer stays the first.
    answer(&app, &cto, items[2], "done").await;
    assert_eq!(values(&app, "feedback-time-to-close").await, [(2.1, "1 item".to_string())]);
    assert_eq!(values(&app, "feedback-first-answer").await, [(30.0, "3 items".to_string())]);

    // An item answered last month: its own month's value, the history kept.
    let old = file(&app, &head, "A printer on every floor").await;
    let last_month = now() - 40 * 86_400;
    sqlx::query("UPDATE feedback_items SET created_at = ?2 - 4 * 3600, answered_at = ?2 WHERE id = ?1").bind(old).bind(last_month).execute(&app.pool).await.unwrap();
    answer(&app, &cto, old, "under_review").await;
    assert_eq!(values(&app, "feedback-first-answer").await, [(4.0, "1 item".to_string()), (30.0, "3 items".to_string())]);

    // Deleted, it is no longer kept, and the CTO may keep it again.
    assert_eq!(app.call(&cto, "/api/kpis/delete", &[("key", "feedback-time-to-close".to_string())]).await.status(), 200);
    let triage = json(app.call(&cto, "/api/feedback", &[("sort", "votes".to_string())]).await).await["triage"].clone();
    assert_eq!((triage["kept"].as_array().unwrap().len(), triage["can_keep"].as_bool()), (1, Some(true)));
    assert_eq!(json(app.call(&cto, "/api/feedback/kpis", &[]).await).await, 1);
    assert_eq!(values(&app, "feedback-time-to-close").await, [(2.1, "1 item".to_string())]);
    let trail: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_events WHERE action = 'keep_response_kpis'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(trail, 2);
}

async fn channel(app: &TestApp, client: &Client, name: &str, target: &str, feedback: bool) {
    let mut form = vec![("name", name.to_string()), ("format", "generic".into()), ("target", target.into()), ("secret", SECRET.into()), ("enabled", "true".into())];
    if feedback {
        form.push(("feedback", "true".into()));
    }
    let res = app.call(client, "/api/alerts/channels/save", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

/// Queues what is due and sends it, as the server's own worker and sender do.
async fn relay_and_send(app: &TestApp) {
    northstar::alert::worker::notices_due(&app.pool, now()).await.unwrap();
    app.state.part::<Dispatcher>().round(&app.pool, now()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_authors_news_goes_to_their_own_channels_that_ask_for_it_and_nowhere_else() {
    let app = spawn_app().await;
    let (cto, head) = (app.client_as(Some(Role::Cto)).await, app.client_as(Some(Role::DepartmentHead)).await);
    let ops = app.client();
    assert_eq!(app.login(&ops, "ops.head@northstar.demo", PASSWORD).await.status(), 200);
    let hook = WebhookReceiver::start().await;
    channel(&app, &head, "Eng news", &hook.url("/eng"), true).await;
    channel(&app, &head, "Eng alerts only", &hook.url("/eng-alerts"), false).await;
    channel(&app, &ops, "Ops news", &hook.url("/ops"), true).await;
    channel(&app, &cto, "CTO news", &hook.url("/cto"), true).await;
    let listed = json(app.call(&head, "/api/alerts/channels", &[]).await).await;
    // Listed by name: "Eng alerts only", then "Eng news".
    assert_eq!(listed["rows"][0]["receives"], "Every alert");
    assert_eq!(listed["rows"][1]["receives"], "Every alert, and news of the owner's feedback");

    // The CTO answers the Engineering head's request; the Operations head comments on the
    // CTO's own item. Each author hears, once, on the channels that asked.
    let request = file(&app, &head, "CI queues every morning").await;
    answer(&app, &cto, request, "under_review").await;
    let company = file(&app, &cto, "One place for runbooks").await;
    let res = app.call(&ops, "/api/feedback/comment", &[("item", company.to_string()), ("body", "Please, and searchable.".into())]).await;
    assert_eq!(res.status(), 200);
    relay_and_send(&app).await;
    let got = hook.until(2).await;
    let mut paths: Vec<&str> = got.iter().map(|r| r.path.as_str()).collect();
    paths.sort();
    assert_eq!(paths, ["/cto", "/eng"]);
    let eng = got.iter().find(|r| r.path == "/eng").unwrap();
    assert!(verifies(eng, SECRET));
    let body = eng.json();
    assert_eq!(body["event"], "feedback");
    assert_eq!(body["text"], "Feedback · CI queues every morning");
    assert_eq!(body["feedback"]["notice"], "Your request “CI queues every morning” is under review");
    assert!(body["feedback"]["link"].as_str().unwrap().ends_with(&format!("/feedback/{request}")), "{body}");
    let cto_got = got.iter().find(|r| r.path == "/cto").unwrap().json();
    assert!(cto_got["feedback"]["notice"].as_str().unwrap().contains("commented on your request “One place for runbooks”"), "{cto_got}");

    // Relayed once: the next pass finds nothing new.
    relay_and_send(&app).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(hook.received().len(), 2);
    // The head's delivery log shows it as feedback.
    let listed = json(app.call(&head, "/api/alerts/channels", &[]).await).await;
    assert_eq!(listed["rows"][1]["deliveries"][0]["event"], "Feedback");
    assert_eq!(listed["rows"][1]["deliveries"][0]["title"], "CI queues every morning");
    assert_eq!(listed["rows"][0]["deliveries"].as_array().unwrap().len(), 0);

    // Switched off, the channel hears no more; the notice still waits in the app.
    let id: i64 = sqlx::query_scalar("SELECT id FROM alert_channels WHERE name = 'Eng news'").fetch_one(&app.pool).await.unwrap();
    let form = [("id", id.to_string()), ("name", "Eng news".into()), ("format", "generic".into()), ("enabled", "true".into())];
    assert_eq!(app.call(&head, "/api/alerts/channels/save", &form).await.status(), 200);
    answer(&app, &cto, request, "done").await;
    relay_and_send(&app).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(hook.received().len(), 2);
    assert_eq!(json(app.call(&head, "/api/feedback/notices", &[]).await).await, 2);
}

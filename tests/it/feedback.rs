//! Stakeholder feedback: a head's request and who may read it, the CTO's answers as the item
//! moves (each refusal with nothing written), the notices its author receives, votes and
//! comments, the CTO's response times, and an investor's private question about a report.

use crate::common::{self, json, spawn_app, TestApp};
use northstar::access::Role;
use reqwest::Client;

fn item_form(kind: &str, subject: &str, title: &str) -> Vec<(&'static str, String)> {
    vec![("kind", kind.into()), ("subject", subject.into()), ("title", title.into()), ("body", "Builds wait ten minutes for a runner.".into())]
}

fn answer_form(item: i64, state: &str, answer: &str, initiative: &str) -> Vec<(&'static str, String)> {
    vec![("item", item.to_string()), ("state", state.into()), ("answer", answer.into()), ("initiative", initiative.into()), ("radar_entry", String::new())]
}

/// The fields an answer says are wrong.
async fn fields(res: reqwest::Response) -> Vec<String> {
    assert_eq!(res.status(), 422);
    json(res).await["fields"].as_array().cloned().unwrap_or_default().iter().map(|f| f["field"].as_str().unwrap().to_string()).collect()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

async fn file(app: &TestApp, client: &Client, form: &[(&str, String)]) -> i64 {
    let res = app.call(client, "/api/feedback/save", form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    json(res).await.as_i64().unwrap()
}

async fn item(app: &TestApp, client: &Client, id: i64) -> reqwest::Response {
    app.call(client, "/api/feedback/item", &[("id", id.to_string())]).await
}

async fn notices(app: &TestApp, client: &Client) -> i64 {
    json(app.call(client, "/api/feedback/notices", &[]).await).await.as_i64().unwrap()
}

async fn open_titles(app: &TestApp, client: &Client) -> Vec<String> {
    let list = json(app.call(client, "/api/feedback", &[("sort", "votes".to_string())]).await).await;
    list["open"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap().to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_heads_request_is_answered_planned_and_told_and_other_departments_never_see_it() {
    let app = spawn_app().await;
    let (cto, head) = (app.client_as(Some(Role::Cto)).await, app.client_as(Some(Role::DepartmentHead)).await);
    let ops = app.client();
    assert_eq!(app.login(&ops, "ops.head@northstar.demo", common::PASSWORD).await.status(), 200);
    let system = app.add_system("build-runners", Some("Engineering")).await;
    app.add_initiative("Faster CI", "Engineering", None, ("2026-01-01", "2026-12-31"), 50_000, &[]).await;
    let initiative: i64 = count(&app, "SELECT id FROM initiatives WHERE title = 'Faster CI'").await;

    // Refused whole, each mistake at its field, nothing written.
    let bad = app.call(&head, "/api/feedback/save", &[("kind", "wish".into()), ("subject", "system:9999".into()), ("title", " ".into()), ("body", String::new())]).await;
    assert_eq!(fields(bad).await, ["kind", "title", "subject"]);
    let bad = app.call(&head, "/api/feedback/save", &item_form("request", "report:1", "About a report")).await;
    assert_eq!(fields(bad).await, ["subject"], "a head does not read investor reports");
    assert_eq!(count(&app, "SELECT count(*) FROM feedback_items").await, 0);

    let id = file(&app, &head, &item_form("request", &format!("system:{system}"), "CI queues every morning")).await;
    let page = json(item(&app, &head, id).await).await;
    assert_eq!(page["subject"]["label"], "System: System build-runners");
    assert_eq!(page["state"], "New");
    assert_eq!(page["author"], "You");
    // On the system's page, for the head and the CTO.
    let about = json(app.call(&cto, "/api/feedback/about", &[("about", "system".into()), ("target", system.to_string())]).await).await;
    assert_eq!(about["items"][0]["title"], "CI queues every morning");
    assert_eq!(about["new_link"], format!("/feedback/new?subject=system%3A{system}"));

    // Another department's head: refused like a missing item, and not listed.
    assert_eq!(item(&app, &ops, id).await.status(), 403);
    assert_eq!(item(&app, &ops, 987_654).await.status(), 403);
    assert!(open_titles(&app, &ops).await.is_empty());
    let about = json(app.call(&ops, "/api/feedback/about", &[("about", "system".into()), ("target", system.to_string())]).await).await;
    assert_eq!(about["items"].as_array().unwrap().len(), 0);
    assert_eq!(app.call(&ops, "/api/feedback/comment", &[("item", id.to_string()), ("body", "Me too".into())]).await.status(), 403);
    assert_eq!(app.call(&ops, "/api/feedback/vote", &[("id", id.to_string())]).await.status(), 403);
    assert_eq!(open_titles(&app, &cto).await, ["CI queues every morning"]);

    // Planned needs the work that answers it; an unknown initiative is refused at its field.
    let res = app.call(&cto, "/api/feedback/answer", &answer_form(id, "planned", "Soon.", "")).await;
    assert_eq!(fields(res).await, ["initiative"]);
    let res = app.call(&cto, "/api/feedback/answer", &answer_form(id, "planned", "Soon.", "9999")).await;
    assert_eq!(fields(res).await, ["initiative"]);
    assert_eq!(count(&app, "SELECT count(*) FROM feedback_answers").await, 0);
    assert_eq!(notices(&app, &head).await, 0);
    let res = app.call(&cto, "/api/feedback/answer", &answer_form(id, "planned", "Part of Faster CI: runners scale with the queue by March.", &initiative.to_string())).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    // The head is told, reads the answer and the plan, and the notice is read.
    assert_eq!(notices(&app, &head).await, 1);
    let list = json(app.call(&head, "/api/feedback", &[("sort", "age".to_string())]).await).await;
    assert_eq!(list["notices"][0]["text"], "Your request “CI queues every morning” is planned");
    let page = json(item(&app, &head, id).await).await;
    assert_eq!(page["state"], "Planned");
    assert_eq!(page["answer"], "Part of Faster CI: runners scale with the queue by March.");
    assert_eq!(page["initiative"][1], "Faster CI");
    assert_eq!(page["history"][0]["words"], "Moved from New to Planned");
    assert_eq!(notices(&app, &head).await, 0);

    // Votes: not on one's own; the Operations head votes for the CTO's company-wide item.
    assert_eq!(app.call(&head, "/api/feedback/vote", &[("id", id.to_string())]).await.status(), 409);
    let company = file(&app, &cto, &item_form("request", "technology", "One place for runbooks")).await;
    let res = app.call(&ops, "/api/feedback/vote", &[("id", company.to_string())]).await;
    assert_eq!(json(res).await, true);
    assert_eq!(json(item(&app, &head, company).await).await["votes"], 1);
    let res = app.call(&ops, "/api/feedback/vote", &[("id", company.to_string())]).await;
    assert_eq!(json(res).await, false, "a second vote takes it back");

    // A comment tells the author; an empty one is refused at its field.
    assert_eq!(fields(app.call(&cto, "/api/feedback/comment", &[("item", id.to_string()), ("body", " ".into())]).await).await, ["body"]);
    assert_eq!(app.call(&cto, "/api/feedback/comment", &[("item", id.to_string()), ("body", "Runners are ordered.".into())]).await.status(), 200);
    assert_eq!(notices(&app, &head).await, 1);

    // Declining needs a reason; then done closes it, and the figures count it.
    let res = app.call(&cto, "/api/feedback/answer", &answer_form(id, "declined", "", "")).await;
    assert_eq!(fields(res).await, ["answer"]);
    let res = app.call(&cto, "/api/feedback/answer", &answer_form(id, "new", "Again", "")).await;
    assert_eq!(fields(res).await, ["state"]);
    assert_eq!(app.call(&cto, "/api/feedback/answer", &answer_form(id, "done", "Runners scale now.", "")).await.status(), 200);
    let list = json(app.call(&cto, "/api/feedback", &[("sort", "votes".to_string())]).await).await;
    assert_eq!(list["closed"][0]["title"], "CI queues every morning");
    assert_eq!(list["triage"]["first_answer_hours"], 0);
    assert_eq!(list["triage"]["close_hours"], 0);
    // Open items first: the CTO's runbooks (technology), then the closed system request.
    let themes: Vec<(String, i64, i64)> = list["triage"]["themes"].as_array().unwrap().iter().map(|t| (t["subject"]["label"].as_str().unwrap().to_string(), t["open"].as_i64().unwrap(), t["total"].as_i64().unwrap())).collect();
    assert_eq!(themes, [("Technology in general".to_string(), 1, 1), ("System: System build-runners".to_string(), 0, 1)]);
    assert!(json(app.call(&head, "/api/feedback", &[("sort", String::new())]).await).await["triage"].is_null(), "the figures are the CTO's");
    // Heads may not answer.
    assert_eq!(app.call(&head, "/api/feedback/answer", &answer_form(id, "done", "Done.", "")).await.status(), 403);

    // The trail: filed twice, answered twice, a vote and its withdrawal, one comment.
    assert_eq!(count(&app, "SELECT count(*) FROM audit_events WHERE area = 'feedback'").await, 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_investors_question_is_theirs_and_the_ctos_alone() {
    let app = spawn_app().await;
    let (cto, head, investor) = (app.client_as(Some(Role::Cto)).await, app.client_as(Some(Role::DepartmentHead)).await, app.client_as(Some(Role::Investor)).await);
    let report = app.add_published_report("Q3 update").await;
    app.add_draft_report("Unpublished").await;
    let system = app.add_system("payments", None).await;

    // Investors give feedback on what they see: a published report or technology in general.
    let res = app.call(&investor, "/api/feedback/save", &item_form("request", &format!("system:{system}"), "Payments")).await;
    assert_eq!(fields(res).await, ["subject"]);
    let res = app.call(&investor, "/api/feedback/save", &item_form("request", "report:2", "Draft")).await;
    assert_eq!(fields(res).await, ["subject"], "a draft report is not theirs to see");
    let editor = json(app.call(&investor, "/api/feedback/editor", &[]).await).await;
    assert_eq!(editor["abouts"], serde_json::json!(["Technology", "Report"]));
    assert_eq!(editor["reports"].as_array().unwrap().len(), 1);
    let id = file(&app, &investor, &item_form("request", &format!("report:{report}"), "Cost of multi-region")).await;

    // Private: the head neither reads nor sees it; the CTO does and answers.
    assert_eq!(item(&app, &head, id).await.status(), 403);
    assert!(open_titles(&app, &head).await.is_empty());
    assert_eq!(open_titles(&app, &cto).await, ["Cost of multi-region"]);
    assert_eq!(json(item(&app, &cto, id).await).await["private"], true);
    assert_eq!(app.call(&cto, "/api/feedback/answer", &answer_form(id, "under_review", "The next report will say.", "")).await.status(), 200);
    assert_eq!(notices(&app, &investor).await, 1);
    let page = json(item(&app, &investor, id).await).await;
    assert_eq!(page["answer"], "The next report will say.");
    assert_eq!(page["can_vote"], false);
    assert_eq!(page["decides"], false);
    // On the report's page, the investor's own question.
    let about = json(app.call(&investor, "/api/feedback/about", &[("about", "report".into()), ("target", report.to_string())]).await).await;
    assert_eq!(about["items"][0]["title"], "Cost of multi-region");

    // Nothing of anyone else's: the head's item, votes, answering.
    let heads = file(&app, &head, &item_form("problem", "technology", "VPN drops")).await;
    assert_eq!(item(&app, &investor, heads).await.status(), 403);
    assert!(!open_titles(&app, &investor).await.contains(&"VPN drops".to_string()));
    assert_eq!(app.call(&investor, "/api/feedback/vote", &[("id", heads.to_string())]).await.status(), 403);
    assert_eq!(app.call(&investor, "/api/feedback/about", &[("about", "system".into()), ("target", system.to_string())]).await.status(), 403);
    // The CTO gets 404 for what does not exist.
    assert_eq!(item(&app, &cto, 987_654).await.status(), 404);
}

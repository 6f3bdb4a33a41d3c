//! The budget pages' forms as a browser without a script sends them: a refused form comes back
//! with the error at its field and what was typed still in it; a success comes back with a
//! message; a deletion asks first, naming what will go.

use crate::common;

use common::{email_of, expense_form, spawn_app, today, TestApp};
use northstar::access::Role;
use northstar::auth::session;
use northstar::platform::db;
use reqwest::{Client, Response};
use std::sync::Arc;

/// A browser signed in as `role`: it keeps the cookies the server sets, as a real one does,
/// and does not follow redirects, so each step can be looked at.
pub(crate) async fn browser(app: &TestApp, role: Role) -> Client {
    let id = app.user_id(email_of(role)).await;
    let token = session::create(&app.pool, id, "test", db::now_unix()).await.unwrap();
    let jar = Arc::new(reqwest::cookie::Jar::default());
    jar.add_cookie_str(&format!("{}={}; Path=/", session::COOKIE, token.0), &app.url("/").parse().unwrap());
    Client::builder().cookie_provider(jar).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// Posts `form` to `endpoint` as a plain HTML form on `page` would.
pub(crate) async fn post(app: &TestApp, client: &Client, endpoint: &str, page: &str, form: &[(&str, String)]) -> Response {
    client.post(app.url(endpoint)).header("accept", "text/html").header("referer", app.url(page)).form(form).send().await.unwrap()
}

/// Where a redirect leads.
pub(crate) fn location(res: &Response) -> String {
    assert!(res.status().is_redirection(), "{}", res.status());
    res.headers()["location"].to_str().unwrap().to_string()
}

/// A page as the browser gets it.
pub(crate) async fn html(app: &TestApp, client: &Client, path: &str) -> String {
    let url = if path.starts_with("http") { path.to_string() } else { app.url(path) };
    let res = client.get(url).header("accept", "text/html").send().await.unwrap();
    assert_eq!(res.status(), 200, "{path} {:?}", res.headers().get("location"));
    res.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_expense_comes_back_as_typed_and_a_saved_one_is_said() {
    let app = spawn_app().await;
    let cto = browser(&app, Role::Cto).await;
    let (eng, cloud) = (app.department_id("Engineering").await.to_string(), app.category_id("Cloud").await.to_string());
    let page = "/budgets/expenses?year=&q=";

    let mut form = expense_form("", &today(), "12,5x", &eng, &cloud);
    form.iter_mut().find(|(k, _)| *k == "description").unwrap().1 = "Café bill <b>".into();
    let back = location(&post(&app, &cto, "/api/budgets/expenses/save", page, &form).await);
    assert!(back.contains("__err=") && back.contains("q="), "back to the same list: {back}");
    let body = html(&app, &cto, &back).await;
    assert!(body.contains("“12,5x” is not an amount; write it like 1234.50."), "the message at the field");
    assert!(body.contains(r#"value="12,5x""#), "the amount as typed");
    assert!(body.contains(r#"value="Café bill &lt;b&gt;""#), "the description as typed, escaped");
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM expenses").fetch_one(&app.pool).await.unwrap();
    assert_eq!(count, 0, "nothing written");
    // The typed values were for that one page.
    assert!(!html(&app, &cto, &back).await.contains(r#"value="12,5x""#));

    let form = expense_form("", &today(), "12.50", &eng, &cloud);
    let back = location(&post(&app, &cto, "/api/budgets/expenses/save", page, &form).await);
    assert!(!back.contains("__err"), "{back}");
    let body = html(&app, &cto, &back).await;
    assert!(body.contains("Saved. The totals and charts include it."), "said on the list");
    assert!(!html(&app, &cto, &back).await.contains("Saved. The totals"), "and only once");
    assert!(body.contains("$12.50"), "the new row");
    assert!(body.contains(r#"id="x-spent_on""#) && body.contains("autofocus"), "the next entry starts at the date");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deletion_asks_first_and_says_what_went() {
    let app = spawn_app().await;
    let head = browser(&app, Role::DepartmentHead).await;
    let id = app.add_expense("Engineering", "Cloud", &today(), 1200).await;
    let other = app.add_expense("Operations", "Cloud", &today(), 900).await;

    let list = html(&app, &head, "/budgets/expenses").await;
    assert!(list.contains(&format!(r#"name="ask" value="expense-{id}""#)), "a Delete button per row");
    let asking = html(&app, &head, &format!("/budgets/expenses?ask=expense-{id}")).await;
    assert!(asking.contains(&format!("Delete the expense of $12.00 on {}", today())), "the question names it");
    assert!(asking.contains(r#"action="/api/budgets/expenses/delete""#));

    // Another department's expense cannot be deleted by posting its id either.
    let page = format!("/budgets/expenses?ask=expense-{other}");
    let back = location(&post(&app, &head, "/api/budgets/expenses/delete", &page, &[("id", other.to_string())]).await);
    assert!(back.contains("__err="), "{back}");
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM expenses").fetch_one(&app.pool).await.unwrap();
    assert_eq!(left, 2);

    let page = format!("/budgets/expenses?ask=expense-{id}");
    let back = location(&post(&app, &head, "/api/budgets/expenses/delete", &page, &[("id", id.to_string())]).await);
    assert!(!back.contains("ask=") && !back.contains("__err"), "the question is closed: {back}");
    let body = html(&app, &head, &back).await;
    assert!(body.contains(&format!("Deleted the expense of $12.00 on {}. The totals no longer include it.", today())), "said");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plan_and_settings_forms_keep_what_was_typed_when_refused() {
    let app = spawn_app().await;
    let cto = browser(&app, Role::Cto).await;
    let (ops, training) = (app.department_id("Operations").await.to_string(), app.category_id("Training").await.to_string());
    let line = [
        ("year", String::new()),
        ("department", ops.clone()),
        ("category", training.clone()),
        ("kind", "opex".to_string()),
        ("mode", "annual".to_string()),
        ("annual", "24000".to_string()),
        ("reason", String::new()),
    ];
    let back = location(&post(&app, &cto, "/api/budgets/plan/set", "/budgets/plan", &line).await);
    let body = html(&app, &cto, &back).await;
    assert!(body.contains("Enter a reason for the change."));
    assert!(body.contains(r#"value="24000""#), "the amount as typed");
    assert!(body.contains(&format!(r#"<option value="{ops}" selected"#)), "the department as chosen");

    // A rename to a name in use: the message, and the name as typed in that category's row.
    let cloud = app.category_id("Cloud").await;
    let form = [("id", cloud.to_string()), ("name", "Training".to_string())];
    let back = location(&post(&app, &cto, "/api/budgets/categories/save", "/budgets/settings", &form).await);
    let body = html(&app, &cto, &back).await;
    assert!(body.contains("There is already a category called Training."));
    assert!(body.contains(&format!(r#"id="cat-{cloud}" name="name" value="Training""#)), "typed in its row");
    let form = [("id", String::new()), ("name", "Research".to_string())];
    let back = location(&post(&app, &cto, "/api/budgets/categories/save", "/budgets/settings", &form).await);
    assert!(html(&app, &cto, &back).await.contains("Added the category Research."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_system_is_run_from_plain_forms_from_adding_it_to_its_incident() {
    let app = spawn_app().await;
    let cto = browser(&app, Role::Cto).await;
    let system = [
        ("id", String::new()),
        ("key", "billing".to_string()),
        ("name", "Billing API".to_string()),
        ("kind", "service".to_string()),
        ("tier", "1".to_string()),
        ("department", String::new()),
        ("slo", "99.9".to_string()),
        ("description", String::new()),
        ("links", String::new()),
    ];
    // A new system leads to its own page, which says so.
    let page = location(&post(&app, &cto, "/api/infra/systems/save", "/infrastructure/systems/new", &system).await);
    let id: i64 = page.trim_start_matches("/infrastructure/systems/").parse().expect("the new system's page");
    assert!(html(&app, &cto, &page).await.contains("Added the system Billing API."));

    // A target that is not a URL comes back at its field, as typed; the kind stays TCP.
    let mut check = common::check_form(id, "tcp", "not a host", "10", "3");
    check.push(("keyword", "ok".into()));
    let back = location(&post(&app, &cto, "/api/infra/checks/save", &page, &check).await);
    let body = html(&app, &cto, &back).await;
    assert!(body.contains(r#"value="not a host""#) && body.contains(r#"<option value="tcp" selected"#), "as typed");
    assert!(body.contains(r#"id="k-target-error" role="alert" class="field-error">"#) && body.contains("aria-invalid"), "at its field");

    let next_year = today()[..4].parse::<i32>().unwrap() + 1;
    let window = [("system_id", id.to_string()), ("starts", format!("{next_year}-01-01T00:00")), ("ends", format!("{next_year}-01-01T02:00")), ("note", "Upgrade".into())];
    let back = location(&post(&app, &cto, "/api/infra/maintenance/save", &page, &window).await);
    let body = html(&app, &cto, &back).await;
    assert!(body.contains("Maintenance window added.") && body.contains("Upgrade"), "{back}");
    let window_id: i64 = sqlx::query_scalar("SELECT id FROM maintenance_windows WHERE system_id = ?1").bind(id).fetch_one(&app.pool).await.unwrap();
    let back = location(&post(&app, &cto, "/api/infra/maintenance/delete", &format!("{page}?ask=window-{window_id}"), &[("id", window_id.to_string())]).await);
    assert_eq!(back, page, "back to the system, the question closed");
    assert!(html(&app, &cto, &back).await.contains(&format!("Deleted the maintenance window from {next_year}-01-01 00:00")));

    // An incident opened by hand leads to its page; each step loads it again, saying what it did.
    let open = [("system", id.to_string()), ("severity", "sev2".into()), ("title", "Invoices fail".into()), ("started", String::new()), ("body", String::new())];
    let incident = location(&post(&app, &cto, "/api/infra/incidents/open", "/infrastructure/incidents", &open).await);
    let incident_id = incident.trim_start_matches("/infrastructure/incidents/").to_string();
    assert!(html(&app, &cto, &incident).await.contains("Incident opened."));
    let step = [("id", incident_id.clone()), ("action", "acknowledge".to_string())];
    let back = location(&post(&app, &cto, "/api/infra/incidents/update", &incident, &step).await);
    assert!(html(&app, &cto, &back).await.contains("Acknowledged."));
    let note = [("id", incident_id), ("body", "Rolled back the deploy.".to_string())];
    let back = location(&post(&app, &cto, "/api/infra/incidents/note", &incident, &note).await);
    let body = html(&app, &cto, &back).await;
    assert!(body.contains("Note added.") && body.contains("Rolled back the deploy."));

    let back = location(&post(&app, &cto, "/api/infra/systems/delete", &format!("{page}?ask=delete-system"), &[("id", id.to_string())]).await);
    assert_eq!(back, "/infrastructure");
    assert!(html(&app, &cto, &back).await.contains("Deleted the system Billing API with its checks and history."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kpi_editor_keeps_a_refused_target_and_asks_before_deleting() {
    let app = spawn_app().await;
    app.add_kpi("uptime", None, "percent", "higher", "mean", Some((99.9, 99.5, 99.0))).await;
    let cto = browser(&app, Role::Cto).await;
    let page = "/kpis/uptime/edit";
    let target = |amber: &str| {
        [("key", "uptime".to_string()), ("effective_from", today()), ("target", "99.95".into()), ("amber", amber.to_string()), ("red", "99.5".into()), ("note", "New SLA".into())]
    };
    // Amber better than the target for a higher-is-better KPI: refused, the rest kept as typed.
    let back = location(&post(&app, &cto, "/api/kpis/targets/set", page, &target("99.99")).await);
    let body = html(&app, &cto, &back).await;
    assert!(body.contains(r#"id="t-amber-error" role="alert" class="field-error">"#) && body.contains("aria-invalid"));
    assert!(body.contains(r#"value="99.95""#) && body.contains(r#"value="New SLA""#), "as typed");
    let back = location(&post(&app, &cto, "/api/kpis/targets/set", page, &target("99.9")).await);
    let body = html(&app, &cto, &back).await;
    assert!(body.contains("Target saved.") && body.contains("New SLA"));

    let asking = html(&app, &cto, &format!("{page}?ask=delete-kpi")).await;
    assert!(asking.contains("Delete the KPI uptime with all its measurements and targets? This cannot be undone."));
    let back = location(&post(&app, &cto, "/api/kpis/delete", &format!("{page}?ask=delete-kpi"), &[("key", "uptime".to_string())]).await);
    assert_eq!(back, "/kpis");
    assert!(html(&app, &cto, &back).await.contains("Deleted the KPI uptime with its measurements and targets."));
}

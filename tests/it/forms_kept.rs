//! Plain forms whose post comes back to the page whole: a report's composer (its commentary far
//! larger than a cookie, previewed without saving, published only after a question), answers
//! shown once (a share link, an API token's secret), and the Admin page's account form.

use crate::common;
use crate::forms::{browser, html, location, post};

use common::{days_ahead, spawn_app, TestApp};
use northstar::access::Role;
use reqwest::Client;

const PERIOD: &str = "2026-Q3";

/// A new draft, made through its plain form; its page.
async fn draft(app: &TestApp, cto: &Client, title: &str) -> String {
    let form = [("title", title.to_string()), ("period", PERIOD.to_string())];
    let page = location(&post(app, cto, "/api/reports/create", "/reports", &form).await);
    assert!(page.starts_with("/reports/") && !page.contains("__err"), "{page}");
    assert!(html(app, cto, &page).await.contains(&format!("Created the draft “{title}”.")), "said on its page");
    page
}

fn composer(id: &str, title: &str, strategy: &str, note: &str) -> Vec<(&'static str, String)> {
    vec![("id", id.to_string()), ("title", title.to_string()), ("period", PERIOD.to_string()), ("commentary[strategy]", strategy.to_string()), ("note", note.to_string())]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_is_previewed_as_typed_and_published_only_after_the_question() {
    let app = spawn_app().await;
    let cto = browser(&app, Role::Cto).await;
    let page = draft(&app, &cto, "Board update").await;
    let id = page.trim_start_matches("/reports/").to_string();
    // Commentary of 10,000 characters: far more than a cookie could carry back.
    let long = format!("We will **double down** on reliability. {}", "Steady progress. ".repeat(580));
    assert!(long.len() > 9_000);

    let back = location(&post(&app, &cto, "/api/reports/preview", &page, &composer(&id, "Board update, Q3", &long, "")).await);
    assert!(back.ends_with("#composer-actions") && !back.contains("__err"), "back at the form's buttons: {back}");
    let body = html(&app, &cto, &back).await;
    assert!(body.contains(r#"aria-label="Preview""#) && body.contains("<strong>double down</strong>"), "the preview, rendered");
    assert!(body.contains("Steady progress. Steady progress."), "the whole commentary is back in the form");
    assert!(body.contains(r#"value="Board update, Q3""#), "the title as typed");
    let saved: String = sqlx::query_scalar("SELECT title FROM reports WHERE id = ?1").bind(id.parse::<i64>().unwrap()).fetch_one(&app.pool).await.unwrap();
    assert_eq!(saved, "Board update", "a preview saves nothing");
    assert!(!html(&app, &cto, &back).await.contains(r#"aria-label="Preview""#), "kept for one page load only");

    // "Publish" previews and asks; only "Publish it" publishes what was previewed.
    let mut asking = composer(&id, "Board update, Q3", &long, "");
    asking.push(("ask", "publish".to_string()));
    let back = location(&post(&app, &cto, "/api/reports/preview", &page, &asking).await);
    let body = html(&app, &cto, &back).await;
    assert!(body.contains("Publish version 1 of “Board update, Q3”? It is frozen as it is now"), "the question");
    assert!(body.contains(r#"formaction="/api/reports/publish""#), "the button that publishes");
    let versions: i64 = sqlx::query_scalar("SELECT count(*) FROM report_versions").fetch_one(&app.pool).await.unwrap();
    assert_eq!(versions, 0, "asking publishes nothing");

    let back = location(&post(&app, &cto, "/api/reports/publish", &page, &composer(&id, "Board update, Q3", &long, "")).await);
    let body = html(&app, &cto, &back).await;
    assert!(body.contains("Published version 1. It will not change"), "said");
    assert!(body.contains("Publish correction"), "a second publication is a correction");

    // A correction without its note comes back with the error and the commentary as typed.
    let back = location(&post(&app, &cto, "/api/reports/publish", &page, &composer(&id, "Board update, Q3", "Corrected figures.", "")).await);
    assert!(back.contains("__err="), "{back}");
    let body = html(&app, &cto, &back).await;
    assert!(body.contains("Say what this correction changes"), "the error at the note");
    assert!(body.contains("Corrected figures.</textarea>"), "the commentary as typed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_share_link_and_a_new_token_are_shown_once_and_kept_nowhere() {
    let app = spawn_app().await;
    let cto = browser(&app, Role::Cto).await;
    let page = draft(&app, &cto, "Investor letter").await;
    let id = page.trim_start_matches("/reports/").to_string();
    location(&post(&app, &cto, "/api/reports/publish", &page, &composer(&id, "Investor letter", "Hello.", "")).await);

    let form = [("report_id", id.clone()), ("label", "Acme Ventures".to_string()), ("expires", days_ahead(10))];
    let res = post(&app, &cto, "/api/reports/links/create", &page, &form).await;
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(!cookie.contains("/share/"), "the link is not in the cookie: {cookie}");
    let back = location(&res);
    assert!(!back.contains("/share/"), "nor in the address: {back}");
    let body = html(&app, &cto, &back).await;
    let url = body.split(r#"id="new-share-url""#).nth(1).and_then(|s| s.split(r#"value=""#).nth(1)).and_then(|s| s.split('"').next()).expect("the link, shown");
    assert!(url.contains("/share/"), "{url}");
    assert!(body.contains("Link created. It works until the end of"));
    assert!(!html(&app, &cto, &back).await.contains(url), "shown once");
    let token = url.rsplit('/').next().unwrap();
    let stranger = Client::new();
    assert_eq!(stranger.get(app.url(&format!("/share/{token}"))).send().await.unwrap().status(), 200, "and it works");

    let res = post(&app, &cto, "/api/admin/tokens/create", "/admin", &[("name", "CI pipeline".to_string())]).await;
    let back = location(&res);
    let body = html(&app, &cto, &back).await;
    let secret = body.split(r#"<code class="secret">"#).nth(1).and_then(|s| s.split('<').next()).expect("the secret, shown");
    assert!(secret.starts_with("nst_"), "{secret}");
    assert!(!html(&app, &cto, "/admin").await.contains(secret), "shown once");
    // Another account that got hold of the cookie's key finds nothing: what was kept is for
    // the account that posted it.
    let res = post(&app, &cto, "/api/admin/tokens/create", "/admin", &[("name", "Backup job".to_string())]).await;
    let key = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let form = [
        ("email", "second.cto@example.com".to_string()),
        ("name", "Second CTO".to_string()),
        ("role", "cto".to_string()),
        ("department", String::new()),
        ("password", "a long enough password".to_string()),
    ];
    location(&post(&app, &cto, "/api/admin/users/create", "/admin", &form).await);
    let id = app.user_id("second.cto@example.com").await;
    let session = northstar::auth::session::create(&app.pool, id, "test", northstar::platform::db::now_unix()).await.unwrap();
    let cookies = format!("{}={}; {key}", northstar::auth::session::COOKIE, session.0);
    let peek = Client::new().get(app.url("/admin")).header("cookie", cookies).send().await.unwrap().text().await.unwrap();
    assert!(peek.contains("API tokens") && !peek.contains(r#"class="secret""#), "no secret for another account");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_account_comes_back_open_as_typed_but_without_its_password() {
    let app = spawn_app().await;
    let cto = browser(&app, Role::Cto).await;
    let form = [
        ("email", "not-an-email".to_string()),
        ("name", "Morgan Chen".to_string()),
        ("role", "investor".to_string()),
        ("department", String::new()),
        ("password", "a long enough password".to_string()),
    ];
    let back = location(&post(&app, &cto, "/api/admin/users/create", "/admin", &form).await);
    let body = html(&app, &cto, &back).await;
    assert!(body.contains("<details open") && body.contains(r#"class="create""#), "the form is open");
    assert!(body.contains("An email address needs an @"), "the error at its field");
    assert!(body.contains(r#"value="Morgan Chen""#) && body.contains(r#"<option value="investor" selected"#), "as typed");
    assert!(!body.contains("a long enough password"), "never the password");

    let mut form = form.to_vec();
    form[0].1 = "morgan.chen@example.com".into();
    let back = location(&post(&app, &cto, "/api/admin/users/create", "/admin", &form).await);
    assert!(html(&app, &cto, &back).await.contains("Created Morgan Chen (Investor)."));

    // Deactivating asks first, then says who.
    let id = app.user_id("morgan.chen@example.com").await;
    let asking = html(&app, &cto, &format!("/admin?ask=user-{id}")).await;
    assert!(asking.contains("Deactivate Morgan Chen? They are signed out at once"));
    let form = [("id", id.to_string()), ("active", "false".to_string())];
    let back = location(&post(&app, &cto, "/api/admin/users/set_active", &format!("/admin?ask=user-{id}"), &form).await);
    assert!(!back.contains("ask="), "{back}");
    assert!(html(&app, &cto, &back).await.contains("Morgan Chen is deactivated and signed out everywhere."));
}

//! Signing in and out, wrong passwords, throttling, session expiry and deactivated accounts.

use crate::common;

use common::{json, spawn_app, spawn_app_with, PASSWORD};
use northstar::access::Role;

const CTO: &str = "cto@northstar.demo";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_sets_a_strict_http_only_cookie_and_names_the_user() {
    let app = spawn_app().await;
    let client = app.client();
    let res = app.login(&client, "  CTO@northstar.demo ", PASSWORD).await;
    assert_eq!(res.status(), 200);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    for part in ["northstar_session=", "HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
        assert!(cookie.contains(part), "{part} missing from {cookie}");
    }
    assert!(!cookie.contains("Secure"), "Secure is off unless configured");
    let body = json(res).await;
    assert_eq!(body["user"]["role"], "cto");
    assert_eq!(body["redirect_to"], "/");
    assert!(body["user"].get("password_hash").is_none());

    let me = json(app.call(&client, "/api/auth/me", &[]).await).await;
    assert_eq!(me["email"], CTO);
    let page = client.get(app.url("/admin")).send().await.unwrap();
    assert_eq!(page.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secure_cookies_when_configured() {
    let app = spawn_app_with(|c| c.secure_cookies = true).await;
    let res = app.login(&app.client(), CTO, PASSWORD).await;
    assert!(res.headers()["set-cookie"].to_str().unwrap().ends_with("; Secure"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_follows_a_local_next_path_only() {
    let app = spawn_app().await;
    let form = |next: &str| vec![("email", CTO.to_string()), ("password", PASSWORD.to_string()), ("next", next.to_string())];
    let ok = json(app.call(&app.client(), "/api/auth/login", &form("/admin")).await).await;
    assert_eq!(ok["redirect_to"], "/admin");
    let evil = json(app.call(&app.client(), "/api/auth/login", &form("//evil.example/")).await).await;
    assert_eq!(evil["redirect_to"], "/");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_form_post_is_redirected() {
    let app = spawn_app().await;
    let res = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(app.url("/api/auth/login"))
        .header("accept", "text/html")
        .form(&[("email", "investor@northstar.demo"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/reports");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_and_unknown_email_look_the_same() {
    let app = spawn_app().await;
    let wrong = app.login(&app.client(), CTO, "not the password").await;
    let unknown = app.login(&app.client(), "nobody@northstar.demo", "not the password").await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    let (a, b) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
    assert_eq!(a, b);
    assert_eq!(a, r#"{"kind":"bad_credentials"}"#);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_and_over_long_fields_are_named() {
    let app = spawn_app().await;
    let empty = json(app.login(&app.client(), "", "").await).await;
    assert_eq!(empty["kind"], "invalid");
    let fields: Vec<&str> = empty["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["email", "password"]);

    let long_email = format!("{}@example.com", "a".repeat(300));
    let res = app.login(&app.client(), &long_email, &"p".repeat(2000)).await;
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    assert!(body["fields"][0]["message"].as_str().unwrap().contains("254"), "{body}");
    assert!(body["fields"][1]["message"].as_str().unwrap().contains("1024"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logging_out_ends_the_session_for_good() {
    let app = spawn_app().await;
    let client = app.client();
    let res = app.login(&client, CTO, PASSWORD).await;
    let token = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap()
        .trim_start_matches("northstar_session=").to_string();
    let out = app.call(&client, "/api/auth/logout", &[]).await;
    assert_eq!(out.status(), 200);
    assert!(out.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    // Even a copy of the old cookie no longer works.
    let stale = app.client_with_token(&token);
    assert_eq!(app.call(&stale, "/api/admin/users", &[]).await.status(), 401);
    let page = stale.get(app.url("/")).send().await.unwrap();
    assert_eq!(page.status(), 303);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_lock_the_account_but_not_others() {
    let app = spawn_app().await;
    for _ in 0..5 {
        assert_eq!(app.login(&app.client(), CTO, "guess").await.status(), 401);
    }
    let locked = app.login(&app.client(), CTO, PASSWORD).await;
    assert_eq!(locked.status(), 429, "even the right password waits");
    let retry: u64 = locked.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 900, "{retry}");
    assert!(json(locked).await["retry_after_secs"].as_u64().unwrap() > 0);
    // Another account from the same client still signs in.
    assert_eq!(app.login(&app.client(), "investor@northstar.demo", PASSWORD).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_guessing_across_accounts_is_throttled() {
    let app = spawn_app().await;
    for i in 0..20 {
        let status = app.login(&app.client(), &format!("user{i}@example.com"), "guess").await.status();
        assert_eq!(status, 401, "attempt {i}");
    }
    assert_eq!(app.login(&app.client(), "fresh@example.com", "guess").await.status(), 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_session_expires_after_thirty_minutes() {
    let app = spawn_app().await;
    let client = app.client_as(Some(Role::Cto)).await;
    assert_eq!(app.call(&client, "/api/admin/users", &[]).await.status(), 200);
    sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - 29 * 60").execute(&app.pool).await.unwrap();
    assert_eq!(app.call(&client, "/api/admin/users", &[]).await.status(), 200, "29 minutes idle is fine");
    sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - 31 * 60").execute(&app.pool).await.unwrap();
    let res = app.call(&client, "/api/admin/users", &[]).await;
    assert_eq!(res.status(), 401);
    assert!(res.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"), "the stale cookie is cleared");
    let (left,): (i64,) = sqlx::query_as("SELECT count(*) FROM sessions").fetch_one(&app.pool).await.unwrap();
    assert_eq!(left, 0, "the expired session is deleted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_session_still_ends_after_twelve_hours() {
    let app = spawn_app().await;
    let client = app.client_as(Some(Role::Cto)).await;
    sqlx::query("UPDATE sessions SET created_at = created_at - 11 * 3600").execute(&app.pool).await.unwrap();
    assert_eq!(app.call(&client, "/api/admin/users", &[]).await.status(), 200);
    sqlx::query("UPDATE sessions SET created_at = created_at - 3600").execute(&app.pool).await.unwrap();
    assert_eq!(app.call(&client, "/api/admin/users", &[]).await.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn activity_keeps_a_session_alive() {
    let app = spawn_app().await;
    let client = app.client_as(Some(Role::Cto)).await;
    sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - 20 * 60").execute(&app.pool).await.unwrap();
    assert_eq!(app.call(&client, "/api/auth/me", &[]).await.status(), 200);
    // The request above counted as activity, so another 20 minutes later it is still alive.
    sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - 20 * 60").execute(&app.pool).await.unwrap();
    assert_eq!(app.call(&client, "/api/admin/users", &[]).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deactivated_user_is_signed_out_and_cannot_sign_in() {
    let app = spawn_app().await;
    let head = app.client();
    assert_eq!(app.login(&head, "eng.head@northstar.demo", PASSWORD).await.status(), 200);
    assert_eq!(app.call(&head, "/api/departments", &[]).await.status(), 200);

    let cto = app.client_as(Some(Role::Cto)).await;
    let id = app.user_id("eng.head@northstar.demo").await;
    let res = app.call(&cto, "/api/admin/users/set_active", &[("id", id.to_string()), ("active", "false".into())]).await;
    assert_eq!(res.status(), 200);

    assert_eq!(app.call(&head, "/api/departments", &[]).await.status(), 401);
    let again = app.login(&app.client(), "eng.head@northstar.demo", PASSWORD).await;
    assert_eq!(again.status(), 401);
    assert_eq!(again.text().await.unwrap(), r#"{"kind":"bad_credentials"}"#, "no hint that the account exists");

    let res = app.call(&cto, "/api/admin/users/set_active", &[("id", id.to_string()), ("active", "true".into())]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.login(&app.client(), "eng.head@northstar.demo", PASSWORD).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_a_password_signs_out_other_sessions() {
    let app = spawn_app().await;
    let here = app.client_as(Some(Role::Investor)).await;
    let elsewhere = app.client_as(Some(Role::Investor)).await;
    let form = |current: &str, new: &str, confirm: &str| {
        vec![("current", current.to_string()), ("new_password", new.to_string()), ("confirm", confirm.to_string())]
    };
    let wrong = app.call(&here, "/api/auth/change_password", &form("nope", "a new long passphrase", "a new long passphrase")).await;
    assert_eq!(wrong.status(), 422);
    assert_eq!(json(wrong).await["fields"][0]["field"], "current");
    let mismatch = json(app.call(&here, "/api/auth/change_password", &form(PASSWORD, "a new long passphrase", "different")).await).await;
    assert_eq!(mismatch["fields"][0]["field"], "confirm");
    let short = json(app.call(&here, "/api/auth/change_password", &form(PASSWORD, "short", "short")).await).await;
    assert_eq!(short["fields"][0]["field"], "new_password");

    let ok = app.call(&here, "/api/auth/change_password", &form(PASSWORD, "a new long passphrase", "a new long passphrase")).await;
    assert_eq!(ok.status(), 200);
    assert_eq!(app.call(&here, "/api/auth/me", &[]).await.status(), 200);
    assert!(json(app.call(&elsewhere, "/api/auth/me", &[]).await).await.is_null(), "the other session ended");
    assert_eq!(app.login(&app.client(), "investor@northstar.demo", PASSWORD).await.status(), 401);
    assert_eq!(app.login(&app.client(), "investor@northstar.demo", "a new long passphrase").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_reports_the_database() {
    let app = spawn_app().await;
    let res = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(json(res).await["database"], "ok");
    app.pool.close().await;
    let res = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(res.status(), 503);
}

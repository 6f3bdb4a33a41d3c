//! The CTO manages accounts and departments; mistakes get field-level messages.

use crate::common;

use common::{json, spawn_app, PASSWORD};
use northstar::access::Role;

fn new_user(email: &str, role: &str, department: &str) -> Vec<(&'static str, String)> {
    vec![
        ("email", email.into()),
        ("name", "Jordan Lee".into()),
        ("role", role.into()),
        ("department", department.into()),
        ("password", "a long enough password".into()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cto_creates_an_account_that_can_sign_in() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let ops = app.department_id("Operations").await.to_string();
    let res = app.call(&cto, "/api/admin/users/create", &new_user("Jordan@Example.com", "department_head", &ops)).await;
    assert_eq!(res.status(), 200);
    let user = json(res).await;
    assert_eq!(user["email"], "jordan@example.com");
    assert_eq!(user["department_name"], "Operations");
    let res = app.login(&app.client(), "jordan@example.com", "a long enough password").await;
    assert_eq!(res.status(), 200);
    let audit = json(app.call(&cto, "/api/admin/audit", &[("query[area]", "admin".into())]).await).await;
    let entry = &audit["entries"][0];
    assert_eq!(entry["action"], "create_user");
    assert_eq!(entry["actor"], "Alex Morgan");
    assert_eq!(entry["object_label"], "jordan@example.com");
    // The new account's fields are listed; its password is not, not even hashed.
    let changes = entry["changes"].to_string();
    assert!(changes.contains("Jordan Lee") && changes.contains("department_head"), "{changes}");
    assert!(!changes.contains("$argon2"), "{changes}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_account_details_are_reported_per_field_and_nothing_is_written() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&app.pool).await.unwrap();

    let mut form = new_user("not-an-email", "department_head", "");
    form[4].1 = "short".into();
    let res = app.call(&cto, "/api/admin/users/create", &form).await;
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    let fields: Vec<&str> = body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["email", "department", "password"]);

    let dup = json(app.call(&cto, "/api/admin/users/create", &new_user("CTO@northstar.demo", "investor", "")).await).await;
    assert_eq!(dup["fields"][0]["field"], "email");
    assert_eq!(dup["fields"][0]["message"], "An account with this email already exists.");

    let ghost = json(app.call(&cto, "/api/admin/users/create", &new_user("g@example.com", "department_head", "999")).await).await;
    assert_eq!(ghost["fields"][0]["field"], "department");

    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&app.pool).await.unwrap();
    assert_eq!(before, after);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_and_departments_change_together() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let investor = app.user_id("investor@northstar.demo").await.to_string();
    let form = |role: &str, dept: &str| {
        vec![("id", investor.clone()), ("name", "Sam Whitfield".into()), ("role", role.into()), ("department", dept.into())]
    };
    let missing = json(app.call(&cto, "/api/admin/users/update", &form("department_head", "")).await).await;
    assert_eq!(missing["fields"][0]["field"], "department");
    let eng = app.department_id("Engineering").await.to_string();
    let moved = json(app.call(&cto, "/api/admin/users/update", &form("department_head", &eng)).await).await;
    assert_eq!(moved["role"], "department_head");
    assert_eq!(moved["department_name"], "Engineering");
    let back = json(app.call(&cto, "/api/admin/users/update", &form("investor", &eng)).await).await;
    assert!(back["department_id"].is_null(), "only department heads keep a department");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn northstar_keeps_at_least_one_active_cto() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let me = app.user_id("cto@northstar.demo").await.to_string();
    let demote = app
        .call(&cto, "/api/admin/users/update", &[("id", me.clone()), ("name", "Alex".into()), ("role", "investor".into()), ("department", "".into())])
        .await;
    assert_eq!(demote.status(), 422);
    assert!(json(demote).await["fields"][0]["message"].as_str().unwrap().contains("at least one active CTO"));
    let myself = app.call(&cto, "/api/admin/users/set_active", &[("id", me), ("active", "false".into())]).await;
    assert_eq!(myself.status(), 409);
    assert_eq!(json(myself).await["message"], "You cannot deactivate your own account.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_reset_signs_the_person_out() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    let id = app.user_id("eng.head@northstar.demo").await.to_string();
    let short = app.call(&cto, "/api/admin/users/reset_password", &[("id", id.clone()), ("password", "short".into())]).await;
    assert_eq!(short.status(), 422);
    let ok = app.call(&cto, "/api/admin/users/reset_password", &[("id", id), ("password", "a fresh long password".into())]).await;
    assert_eq!(ok.status(), 200);
    assert_eq!(app.call(&head, "/api/departments", &[]).await.status(), 401);
    assert_eq!(app.login(&app.client(), "eng.head@northstar.demo", PASSWORD).await.status(), 401);
    assert_eq!(app.login(&app.client(), "eng.head@northstar.demo", "a fresh long password").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_ids_are_not_found() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let res = app.call(&cto, "/api/admin/users/set_active", &[("id", "9999".into()), ("active", "true".into())]).await;
    assert_eq!(res.status(), 404);
    let res = app.call(&cto, "/api/admin/departments/rename", &[("id", "9999".into()), ("name", "X".into())]).await;
    assert_eq!(res.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn departments_are_created_renamed_and_deleted_only_when_empty() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    assert_eq!(app.call(&cto, "/api/admin/departments/create", &[("name", " Finance ".into())]).await.status(), 200);
    let dup = app.call(&cto, "/api/admin/departments/create", &[("name", "finance".into())]).await;
    assert_eq!(dup.status(), 422);
    assert_eq!(json(dup).await["fields"][0]["field"], "name");
    let blank = app.call(&cto, "/api/admin/departments/create", &[("name", "   ".into())]).await;
    assert_eq!(blank.status(), 422);
    let long = app.call(&cto, "/api/admin/departments/create", &[("name", "x".repeat(81))]).await;
    assert_eq!(long.status(), 422);

    let finance = app.department_id("Finance").await.to_string();
    let clash = app.call(&cto, "/api/admin/departments/rename", &[("id", finance.clone()), ("name", "Engineering".into())]).await;
    assert_eq!(clash.status(), 422);
    let renamed = app.call(&cto, "/api/admin/departments/rename", &[("id", finance.clone()), ("name", "Finance & Legal".into())]).await;
    assert_eq!(renamed.status(), 200);

    let eng = app.department_id("Engineering").await.to_string();
    let busy = app.call(&cto, "/api/admin/departments/delete", &[("id", eng)]).await;
    assert_eq!(busy.status(), 409);
    assert!(json(busy).await["message"].as_str().unwrap().contains("Engineering still has 1 account"));
    assert_eq!(app.call(&cto, "/api/admin/departments/delete", &[("id", finance)]).await.status(), 200);

    let list = json(app.call(&cto, "/api/departments", &[]).await).await;
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Engineering", "Operations"]);
    assert_eq!(list[0]["heads"][0], "Priya Raman");
}

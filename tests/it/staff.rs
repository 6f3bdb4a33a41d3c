//! People cost in the budget's actuals and the time allocation file: a team's loaded cost
//! becomes Staff expenses split by where its time went, follows every change at once, is
//! refused by the expense form, and a closed month keeps its figure; the file is checked whole
//! and stored whole, within the caller's department.

use crate::common::{json, spawn_app, TestApp};
use crate::people::{add_team, category, months_back, post, roles_form, shares_form};
use northstar::access::Role;
use chrono::Datelike;
use northstar::budget::model::Month;
use northstar::strategy::capex::accrued;
use reqwest::Client;

/// (month, investment category, amount) of the Staff expenses the teams keep, in order.
async fn staff(app: &TestApp) -> Vec<(i64, Option<i64>, i64)> {
    sqlx::query_as(
        "SELECT e.month, e.investment_category_id, e.amount_minor FROM expenses e JOIN budget_categories c ON c.id = e.category_id
         WHERE e.origin = 'people' AND c.name = 'Staff' ORDER BY 1, 2",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

async fn actual_of(app: &TestApp, client: &Client, name: &str) -> String {
    let res = app.call(client, "/api/strategy/allocation", &[("year", String::new()), ("department", String::new())]).await;
    assert_eq!(res.status(), 200);
    let body = json(res).await;
    let row = body["mix"].as_array().unwrap().iter().find(|r| r["name"] == name).cloned().unwrap_or_default();
    row["actual"].as_str().unwrap_or_default().to_string()
}

async fn upload(app: &TestApp, client: &Client, csv: &str, commit: bool) -> (u16, serde_json::Value) {
    let url = app.url(&format!("/api/strategy/teams/time/import{}", if commit { "?commit=1" } else { "" }));
    let res = client.post(url).header("content-type", "text/csv").body(csv.to_string()).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teams_cost_becomes_staff_actuals_split_by_where_its_time_went() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let (earlier, last, now) = (months_back(2), months_back(1), months_back(0));
    let team = add_team(&app, &cto, "Payments squad", "Engineering").await;
    assert!(staff(&app).await.is_empty(), "a team without roles costs nothing");
    // $66,000.00 a month from two months back.
    let roles = roles_form(team, &earlier.iso(), &[("Engineer", "4", "12,500.00"), ("Engineering manager", "1", "16000")]);
    assert_eq!(post(&app, &cto, "/api/strategy/teams/roles", &roles).await.status(), 200);
    // Not allocated yet: all of it is Staff, under no investment category; this month what has
    // accrued by today.
    let so_far = |cost: i64| accrued(cost, i64::from(chrono::Utc::now().date_naive().day()), now.days());
    assert_eq!(staff(&app).await, vec![(earlier.code(), None, 6_600_000), (last.code(), None, 6_600_000), (now.code(), None, so_far(6_600_000))]);

    let (new, ktlo) = (category(&app, "New capabilities").await, category(&app, "Keeping the lights on").await);
    let starts = earlier.first_day().to_string();
    let target = now.next().last_day().to_string();
    let initiative = app.add_initiative("Payments cluster", "Engineering", None, (&starts, &target), 0, &[]).await;
    let form = shares_form(team, &last.iso(), &[(format!("i{initiative}"), "60"), (format!("c{ktlo}"), "40")]);
    assert_eq!(post(&app, &cto, "/api/strategy/teams/time", &form).await.status(), 200);
    // The initiative's share counts under its category (New capabilities), the rest where it was entered.
    let rows = staff(&app).await;
    assert!(rows.contains(&(last.code(), Some(new), 3_960_000)) && rows.contains(&(last.code(), Some(ktlo), 2_640_000)), "{rows:?}");
    assert_eq!(rows.iter().map(|r| r.2).sum::<i64>(), 2 * 6_600_000 + so_far(6_600_000), "nothing lost or made up");
    if last.year == now.year {
        // The allocation page counts them (the test company's fiscal year is the calendar's).
        assert_eq!(actual_of(&app, &cto, "Keeping the lights on").await, "$26,400.00");
    }

    // A raise from this month on moves this month only; the form's own month stays.
    let raise = roles_form(team, &now.iso(), &[("Engineer", "4", "13000"), ("Engineering manager", "1", "16000")]);
    assert_eq!(post(&app, &cto, "/api/strategy/teams/roles", &raise).await.status(), 200);
    assert!(staff(&app).await.contains(&(now.code(), None, so_far(6_800_000))));

    // Moving the initiative to another category moves its people cost with it.
    let debt = category(&app, "Technical debt").await;
    let editor = app.call(&cto, "/api/strategy/initiative/editor", &[("id", initiative.to_string())]).await;
    assert_eq!(editor.status(), 200);
    let e = json(editor).await;
    let mut save: Vec<(String, String)> = ["title", "description", "objective", "owner", "department", "starts", "target", "status", "budget", "capitalize_from", "in_service_on"]
        .iter()
        .map(|k| (k.to_string(), e[*k].as_str().unwrap_or_default().to_string()))
        .collect();
    save.extend([("id".to_string(), initiative.to_string()), ("category".to_string(), debt.to_string())]);
    let res = post(&app, &cto, "/api/strategy/initiatives/save", &save).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert!(staff(&app).await.contains(&(last.code(), Some(debt), 3_960_000)));

    // The expense form refuses them: they change through the teams.
    let id: i64 = sqlx::query_scalar("SELECT id FROM expenses WHERE origin = 'people' LIMIT 1").fetch_one(&app.pool).await.unwrap();
    let res = app.call(&cto, "/api/budgets/expenses/delete", &[("id", id.to_string())]).await;
    assert_eq!(res.status(), 409);
    assert!(json(res).await["message"].as_str().unwrap().contains("people cost from the teams"));

    // Closing last month freezes its Staff actuals: deleting the team takes away only the
    // open month's.
    let res = app.call(&cto, "/api/strategy/capitalization/close", &[("through", last.iso())]).await;
    assert_eq!(res.status(), 200);
    let res = app.call(&cto, "/api/strategy/teams/delete", &[("id", team.to_string())]).await;
    assert_eq!(res.status(), 200);
    let rows = staff(&app).await;
    assert!(rows.iter().all(|r| r.0 <= last.code()), "{rows:?}");
    assert_eq!(rows.iter().map(|r| r.2).sum::<i64>(), 2 * 6_600_000);
}

fn month(m: Month) -> String {
    m.iso()[..7].to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_time_allocation_file_is_checked_whole_then_stored_whole() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let (last, now) = (months_back(1), months_back(0));
    let team = add_team(&app, &cto, "Payments squad", "Engineering").await;
    add_team(&app, &cto, "Service desk", "Operations").await;
    let roles = roles_form(team, &last.iso(), &[("Engineer", "2", "10000")]);
    assert_eq!(post(&app, &cto, "/api/strategy/teams/roles", &roles).await.status(), 200);
    let starts = last.first_day().to_string();
    let target = now.last_day().to_string();
    app.add_initiative("Payments cluster", "Engineering", None, (&starts, &target), 0, &[]).await;
    let good = format!(
        "team,month,work,percent\nPayments squad,{l},Payments cluster,70\nPayments squad,{l},Technical debt,30\nService desk,{n},Keeping the lights on,100\n",
        l = month(last),
        n = month(now)
    );

    // Checked: what it would do, nothing stored.
    let (status, r) = upload(&app, &cto, &good, false).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!((r["lines"].as_u64(), r["months"].as_u64(), r["replaces"].as_u64(), r["imported"].as_bool()), (Some(3), Some(2), Some(0), Some(false)));
    assert_eq!(r["teams"], serde_json::json!(["Payments squad", "Service desk"]));
    let count = || async { sqlx::query_scalar::<_, i64>("SELECT count(*) FROM time_allocations").fetch_one(&app.pool).await.unwrap() };
    assert_eq!(count().await, 0);

    // Stored: the shares, one audit entry, and the Staff actuals they move.
    let (status, r) = upload(&app, &cto, &good, true).await;
    assert_eq!((status, r["imported"].as_bool()), (200, Some(true)), "{r}");
    assert_eq!(count().await, 3);
    let audit: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_events WHERE action = 'import_time_allocation'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(audit, 1);
    let debt = category(&app, "Technical debt").await;
    assert!(staff(&app).await.contains(&(last.code(), Some(debt), 600_000)), "{:?}", staff(&app).await);
    // The same file again replaces the months instead of adding to them.
    let (_, r) = upload(&app, &cto, &good, true).await;
    assert_eq!(r["replaces"].as_u64(), Some(2));
    assert_eq!(count().await, 3);

    // Any error: every one at its line and column, nothing stored.
    let bad = format!("team,month,work,percent\nPayments squad,{l},Technical debt,50\nPayments squad,{l},Keeping the lights on,40\nNobody,{l},Technical debt,100\nService desk,{l},Lunch,100\n", l = month(last));
    let (status, r) = upload(&app, &cto, &bad, true).await;
    assert_eq!(status, 422);
    let at: Vec<(u64, &str)> = r["errors"].as_array().unwrap().iter().map(|e| (e["line"].as_u64().unwrap(), e["column"].as_str().unwrap())).collect();
    assert_eq!(at, vec![(2, "percent"), (4, "team"), (5, "work")]);
    assert_eq!(count().await, 3);
    assert!(staff(&app).await.contains(&(last.code(), Some(debt), 600_000)), "the actuals did not move");

    // A department head's file may name only their own department's teams.
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    let (status, r) = upload(&app, &head, &format!("team,month,work,percent\nService desk,{},Technical debt,100\n", month(now)), true).await;
    assert_eq!(status, 422);
    assert_eq!(r["errors"][0]["message"], "There is no team named “Service desk” in your department.");
    let (status, _) = upload(&app, &head, &format!("team,month,work,percent\nPayments squad,{},Technical debt,100\n", month(now)), true).await;
    assert_eq!(status, 200);
    let investor = app.client_as(Some(Role::Investor)).await;
    let (status, _) = upload(&app, &investor, &good, false).await;
    assert_eq!(status, 403);
}

//! Strategy benchmarks, printed as figures (run: `cargo bench --features ssr --bench strategy`).
//!
//! The strategy map and the investment allocation page with 200 initiatives (800 milestones),
//! 20 objectives measured by 10 KPIs with two years of daily data, and two fiscal years of
//! budget lines and 96,000 expenses, a third of them booked to initiatives (goal: p50 under
//! 15 ms each). Then the cockpit's strategy digest over the same data, and people cost: 40
//! teams' time allocation for two years imported from one file, and a team's raise, each
//! booking every team's Staff actuals again.

mod common;

use common::{server_fn_p50_ms, start, timed_gets, Bench};
use chrono::{Datelike, Duration, NaiveDate};
use northstar::budget::model::{spread_evenly, FiscalCalendar, Kind};

const DEPARTMENTS: usize = 10;
const INITIATIVES: usize = 200;
const OBJECTIVES: usize = 20;
const KPIS: usize = 10;
const EXPENSES_PER_MONTH: i64 = 4_000;
const TEAMS: usize = 40;

fn main() {
    common::run(run());
}

async fn run() {
    let Bench { app, pool, client, base } = start().await;
    let today = chrono::Utc::now().date_naive();
    for d in 0..DEPARTMENTS.saturating_sub(2) {
        sqlx::query("INSERT INTO departments (name) VALUES (?1)").bind(format!("Department {d:02}")).execute(&pool).await.unwrap();
    }
    let departments: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM departments ORDER BY id").fetch_all(&pool).await.unwrap();

    // KPIs with a value a day for two years, through the import route.
    for k in 0..KPIS {
        let key = format!("kpi-{k}");
        app.add_kpi(&key, None, "count", "higher", "mean", Some((1000.0, 900.0, 800.0))).await;
        let mut csv = String::from("timestamp,value\n");
        for d in (1..=730).rev() {
            csv.push_str(&format!("{},{}\n", today - Duration::days(d), 500 + (730 - d) + (d * 7 % 50)));
        }
        let preview: serde_json::Value = app.upload_csv(&client, &key, csv).await.json().await.unwrap();
        let token = preview["token"].as_str().unwrap().to_string();
        let res = client.post(format!("{base}/api/kpis/import/commit")).form(&[("key", key.as_str()), ("token", &token)]).send().await.unwrap();
        assert_eq!(res.status(), 200);
    }
    let mut objectives = Vec::new();
    for o in 0..OBJECTIVES {
        let kpis = [(format!("kpi-{}", o % KPIS), 1200.0), (format!("kpi-{}", (o + 3) % KPIS), 1100.0)];
        let linked: Vec<(&str, f64)> = kpis.iter().map(|(k, t)| (k.as_str(), *t)).collect();
        objectives.push(app.add_objective(&format!("Objective {o:02}"), &linked).await);
    }
    let day = |offset: i64| (today + Duration::days(offset)).to_string();
    for i in 0..INITIATIVES {
        let (_, department) = &departments[i % DEPARTMENTS];
        let starts = -(30 + (i as i64 * 7) % 500);
        let milestones: Vec<(String, String, Option<String>)> = (0..4)
            .map(|m| {
                let due = starts + 40 * (m + 1);
                (format!("Milestone {m}"), day(due), (m < 2).then(|| day(due - 3)))
            })
            .collect();
        let refs: Vec<(&str, &str, Option<&str>)> = milestones.iter().map(|(t, d, r)| (t.as_str(), d.as_str(), r.as_deref())).collect();
        let objective = (i % 5 != 0).then(|| objectives[i % OBJECTIVES]);
        app.add_initiative(&format!("Initiative {i:03}"), department, objective, (&day(starts), &day(starts + 240)), 5_000_000, &refs).await;
    }
    let initiatives: Vec<(i64, i64)> = sqlx::query_as("SELECT id, department_id FROM initiatives ORDER BY id").fetch_all(&pool).await.unwrap();
    sqlx::query("UPDATE initiatives SET category_id = 1 + id % 5").execute(&pool).await.unwrap();

    // Two fiscal years of budget lines, each with an investment category but one in nine.
    let cal = FiscalCalendar::new(1);
    let categories: Vec<i64> = sqlx::query_scalar("SELECT id FROM budget_categories ORDER BY id").fetch_all(&pool).await.unwrap();
    let cto = app.user_id(common::kit::email_of(northstar::access::Role::Cto)).await;
    let mut db = pool.acquire().await.unwrap();
    for fy in [cal.year_of(today) - 1, cal.year_of(today)] {
        for (d, _) in &departments {
            for (n, c) in categories.iter().enumerate() {
                let investment = (n % 9 != 8).then_some(1 + (n as i64 % 5));
                northstar::budget::repo::set_plan(&mut db, fy, *d, *c, Kind::Opex, investment, &spread_evenly(12_000_000), "Plan", cto, 0).await.unwrap();
            }
        }
    }
    drop(db);

    // Expenses for the last 24 months: every department and category, a third booked to one of
    // the department's initiatives, one in ten with a category of its own.
    let first = NaiveDate::from_ymd_opt(today.year() - 1, 1, 1).unwrap();
    let mut tx = pool.begin().await.unwrap();
    let months = (today.year() - first.year()) * 12 + today.month() as i32 - 1;
    for m in 0..months.max(1) {
        let month = first + chrono::Months::new(m as u32);
        let code = i64::from(month.year()) * 100 + i64::from(month.month());
        for chunk in 0..(EXPENSES_PER_MONTH / 500) {
            let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new("INSERT INTO expenses (spent_on, month, amount_minor, department_id, category_id, kind, initiative_id, investment_category_id, created_at) ");
            qb.push_values(0..500i64, |mut b, n| {
                let i = chunk * 500 + n;
                let (dept, _) = departments[i as usize % DEPARTMENTS];
                let booked = initiatives.iter().filter(|x| x.1 == dept).nth((i / 7) as usize % (INITIATIVES / DEPARTMENTS)).map(|x| x.0);
                b.push_bind(month.with_day(1 + (i % 28) as u32).unwrap().to_string())
                    .push_bind(code)
                    .push_bind(5_000 + i * 37 % 90_000)
                    .push_bind(dept)
                    .push_bind(categories[(i / 3) as usize % categories.len()])
                    .push_bind("opex")
                    .push_bind(booked.filter(|_| i % 3 == 0))
                    .push_bind((i % 10 == 1).then_some(1 + i % 5))
                    .push_bind(0);
            });
            qb.build().execute(&mut *tx).await.unwrap();
        }
    }
    tx.commit().await.unwrap();
    let expenses: i64 = sqlx::query_scalar("SELECT count(*) FROM expenses").fetch_one(&pool).await.unwrap();
    let rollup: i64 = sqlx::query_scalar("SELECT count(*) FROM allocation_months").fetch_one(&pool).await.unwrap();

    let setup = format!("{INITIATIVES} initiatives, {OBJECTIVES} objectives, {expenses} expenses in {rollup} monthly sums");
    let map = timed_gets(&client, &format!("{base}/strategy"), 50).await;
    println!("strategy map, {setup}: {map} (goal p50 < 15 ms)");
    let p50 = server_fn_p50_ms(&client, &format!("{base}/api/strategy/map"), &[], 30).await;
    println!("  the map's server function alone: p50 {p50:.2} ms");
    let allocation = timed_gets(&client, &format!("{base}/strategy/allocation"), 50).await;
    println!("investment allocation, this fiscal year, all {DEPARTMENTS} departments: {allocation} (goal p50 < 15 ms)");
    let p50 = server_fn_p50_ms(&client, &format!("{base}/api/strategy/allocation"), &[("year", ""), ("department", "")], 30).await;
    println!("  the allocation's server function alone: p50 {p50:.2} ms");
    let last_year = (cal.year_of(today) - 1).to_string();
    let p50 = server_fn_p50_ms(&client, &format!("{base}/api/strategy/allocation"), &[("year", last_year.as_str()), ("department", "")], 30).await;
    println!("  last fiscal year's: p50 {p50:.2} ms");
    let p50 = server_fn_p50_ms(&client, &format!("{base}/api/strategy/digest"), &[], 30).await;
    println!("the cockpit's strategy digest (objectives, health, mix, costs per unit): p50 {p50:.2} ms");
    people_cost(&pool, &client, &base, &departments, &initiatives).await;
}

/// Teams with two years of roles, their time allocation imported from one file, then a raise.
async fn people_cost(pool: &sqlx::SqlitePool, client: &reqwest::Client, base: &str, departments: &[(i64, String)], initiatives: &[(i64, i64)]) {
    let today = chrono::Utc::now().date_naive();
    let mut month = northstar::budget::model::Month::of(today);
    let mut months = vec![month];
    for _ in 0..23 {
        month = month.prev();
        months.push(month);
    }
    months.reverse();
    let (titles, spans): (Vec<(i64, String)>, Vec<(i64, String, String)>) = {
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as("SELECT id, title, starts_on, target_on FROM initiatives").fetch_all(pool).await.unwrap();
        (rows.iter().map(|r| (r.0, r.1.clone())).collect(), rows.into_iter().map(|r| (r.0, r.2, r.3)).collect())
    };
    let mut csv = String::from("team,month,work,percent\n");
    for t in 0..TEAMS {
        let (dept, _) = departments[t % departments.len()];
        let id: i64 = sqlx::query_scalar("INSERT INTO teams (name, department_id, created_at) VALUES (?1, ?2, 0) RETURNING id").bind(format!("Team {t:02}")).bind(dept).fetch_one(pool).await.unwrap();
        sqlx::query("INSERT INTO team_role_sets (team_id, from_month) VALUES (?1, ?2)").bind(id).bind(months[0].code()).execute(pool).await.unwrap();
        sqlx::query("INSERT INTO team_roles (team_id, from_month, role, headcount, monthly_cost_minor) VALUES (?1, ?2, 'Engineer', 6, 1250000)").bind(id).bind(months[0].code()).execute(pool).await.unwrap();
        for m in &months {
            // Up to two of the department's initiatives running that month, the rest outside them.
            let (first, last) = (m.first_day().to_string(), m.last_day().to_string());
            let running: Vec<&String> = initiatives
                .iter()
                .filter(|i| i.1 == dept)
                .filter(|i| spans.iter().any(|s| s.0 == i.0 && s.1 <= last && s.2 >= first))
                .filter_map(|i| titles.iter().find(|x| x.0 == i.0).map(|x| &x.1))
                .take(2)
                .collect();
            let mut rest = 100;
            for title in running {
                csv.push_str(&format!("Team {t:02},{},{title},30\n", m.iso()));
                rest -= 30;
            }
            csv.push_str(&format!("Team {t:02},{},Keeping the lights on,{}\n", m.iso(), rest - 10));
            csv.push_str(&format!("Team {t:02},{},Technical debt,10\n", m.iso()));
        }
    }
    let lines = csv.lines().count() - 1;
    let started = std::time::Instant::now();
    let res = client.post(format!("{base}/api/strategy/teams/time/import?commit=1")).header("content-type", "text/csv").body(csv).send().await.unwrap();
    let took = started.elapsed();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let staff: i64 = sqlx::query_scalar("SELECT count(*) FROM expenses WHERE origin = 'people'").fetch_one(pool).await.unwrap();
    println!("time allocation file of {lines} lines ({TEAMS} teams, 24 months) checked, stored and the Staff actuals booked ({staff} expenses): {:.0} ms", took.as_secs_f64() * 1000.0);
    let team: i64 = sqlx::query_scalar("SELECT id FROM teams ORDER BY id LIMIT 1").fetch_one(pool).await.unwrap();
    let started = std::time::Instant::now();
    let form = [("team", team.to_string()), ("from", months[12].iso()), ("role[0]", "Engineer".into()), ("headcount[0]", "7".into()), ("cost[0]", "13000".into())];
    let res = client.post(format!("{base}/api/strategy/teams/roles")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), 200);
    println!("a team's raise saved, every team's Staff actuals worked out again: {:.0} ms", started.elapsed().as_secs_f64() * 1000.0);
}

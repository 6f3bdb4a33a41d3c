//! Demo people cost: two teams per department with their roles and a raise partway through the
//! year, thirteen months of time allocation following which demo initiatives run each month
//! (their Staff actuals follow from these),
//! one initiative in its development stage, and the capitalization closed through the month
//! before last, so the report shows closed, open and current months.

use super::super::repo::people as repo;
use crate::budget::model::Month;
use crate::platform::error::AppError;
use chrono::{Duration, NaiveDate};
use sqlx::SqliteConnection;

struct Team {
    name: &'static str,
    department: &'static str,
    /// (role, headcount, loaded monthly cost in cents) a year ago, and four months ago. Sized
    /// so the teams cost about what the budget demo plans for its departments' Staff lines.
    roles: [&'static [(&'static str, i64, i64)]; 2],
    /// (initiative or investment category, share): an initiative's share while it runs, a
    /// category's every month; the rest goes to `rest`.
    work: &'static [(&'static str, i64)],
    rest: &'static str,
}

const TEAMS: [Team; 4] = [
    Team {
        name: "Platform team",
        department: "Engineering",
        roles: [
            &[("Engineer", 8, 1_250_000), ("Engineering manager", 1, 1_600_000)],
            &[("Engineer", 9, 1_250_000), ("Engineering manager", 1, 1_650_000)],
        ],
        work: &[("Multi-region active-active for the API", 50), ("CI pipeline under 10 minutes", 20), ("Keeping the lights on", 25)],
        rest: "Improvement of existing products",
    },
    Team {
        name: "Product engineering",
        department: "Engineering",
        roles: [
            &[("Engineer", 17, 1_180_000), ("Designer", 4, 1_050_000), ("Engineering manager", 3, 1_550_000)],
            &[("Engineer", 17, 1_220_000), ("Designer", 4, 1_080_000), ("Engineering manager", 3, 1_550_000)],
        ],
        work: &[("Search latency rework", 25), ("Trunk-based delivery and feature flags", 10), ("Multi-region active-active for the API", 20)],
        rest: "New capabilities",
    },
    Team {
        name: "Site reliability",
        department: "Operations",
        roles: [&[("Site reliability engineer", 6, 1_300_000)], &[("Site reliability engineer", 6, 1_330_000)]],
        work: &[("Reserved instances and rightsizing", 30), ("SOC 2 Type II readiness", 20), ("Security and compliance", 10), ("Improvement of existing products", 20)],
        rest: "Keeping the lights on",
    },
    Team {
        name: "IT operations",
        department: "Operations",
        roles: [
            &[("Systems administrator", 5, 850_000), ("Security analyst", 3, 1_100_000)],
            &[("Systems administrator", 5, 870_000), ("Security analyst", 3, 1_100_000)],
        ],
        work: &[("SOC 2 Type II readiness", 30), ("Security and compliance", 40)],
        rest: "Keeping the lights on",
    },
];

/// The capitalizable initiative and the day (from today) its development stage began.
const IN_DEVELOPMENT: (&str, i64) = ("Multi-region active-active for the API", -110);

fn months_back(today: NaiveDate, n: u32) -> Month {
    let mut m = Month::of(today);
    for _ in 0..n {
        m = m.prev();
    }
    m
}

pub async fn seed(db: &mut SqliteConnection, today: NaiveDate, currency: crate::platform::money::Currency) -> Result<(), AppError> {
    let (title, began) = IN_DEVELOPMENT;
    sqlx::query("UPDATE initiatives SET capitalize_from = ?2 WHERE title = ?1").bind(title).bind((today + Duration::days(began)).to_string()).execute(&mut *db).await?;
    let now = crate::platform::db::now_unix();
    let (first, raise) = (months_back(today, 12), months_back(today, 4));
    for t in &TEAMS {
        let Some(department) = sqlx::query_scalar::<_, i64>("SELECT id FROM departments WHERE name = ?1").bind(t.department).fetch_optional(&mut *db).await? else { continue };
        let team = repo::save_team(&mut *db, None, t.name, department, now).await?;
        for (from, roles) in [(first, t.roles[0]), (raise, t.roles[1])] {
            let roles: Vec<(String, i64, i64)> = roles.iter().map(|(r, h, c)| (r.to_string(), *h, *c)).collect();
            repo::replace_role_set(&mut *db, team, from.code(), &roles).await?;
        }
        let mut m = first;
        while m <= Month::of(today) {
            let shares = month_shares(&mut *db, t, m).await?;
            repo::replace_shares(&mut *db, team, m.code(), &shares).await?;
            m = m.next();
        }
    }
    let cto: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = 'cto@northstar.demo'").fetch_optional(&mut *db).await?;
    // Closing books the Staff actuals of every month first.
    super::super::service::freeze(&mut *db, months_back(today, 2), cto, (today, currency)).await?;
    Ok(())
}

/// The team's shares of a month: each of its initiatives running then and each of its
/// categories, the rest to its `rest` category.
async fn month_shares(db: &mut SqliteConnection, t: &Team, m: Month) -> Result<Vec<(Option<i64>, Option<i64>, i64)>, AppError> {
    let (first, last) = (m.first_day().to_string(), m.last_day().to_string());
    let mut shares: Vec<(Option<i64>, Option<i64>, i64)> = Vec::new();
    for (name, pct) in t.work {
        if let Some(category) = category(&mut *db, name).await? {
            shares.push((None, Some(category), *pct));
            continue;
        }
        let running: Option<i64> = sqlx::query_scalar("SELECT id FROM initiatives WHERE title = ?1 AND starts_on <= ?3 AND target_on >= ?2 AND status NOT IN ('proposed', 'stopped')")
            .bind(name)
            .bind(&first)
            .bind(&last)
            .fetch_optional(&mut *db)
            .await?;
        if let Some(id) = running {
            shares.push((Some(id), None, *pct));
        }
    }
    let rest = 100 - shares.iter().map(|s| s.2).sum::<i64>();
    let Some(category) = category(&mut *db, t.rest).await? else { return Err(AppError::Internal) };
    if rest > 0 {
        shares.push((None, Some(category), rest));
    }
    Ok(shares)
}

async fn category(db: &mut SqliteConnection, name: &str) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM investment_categories WHERE name = ?1").bind(name).fetch_optional(db).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_team_leaves_time_for_work_outside_initiatives() {
        for t in &TEAMS {
            assert!(t.work.iter().map(|w| w.1).sum::<i64>() < 100, "{}", t.name);
            // A month holds one share per category: the rest goes to one not listed.
            assert!(t.work.iter().all(|w| w.0 != t.rest), "{}", t.name);
        }
        assert_eq!(months_back(NaiveDate::from_ymd_opt(2026, 2, 10).unwrap(), 3), Month { year: 2025, month: 11 });
    }
}

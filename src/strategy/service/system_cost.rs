//! What a system costs: its mapped cloud cost, the contracts that pay for it (the annual value
//! spread over the days each month the contract runs), and people time — a team's loaded cost
//! × its share on an initiative, divided evenly among the systems the initiative touches.

use super::super::repo::people as people_repo;
use super::super::view::{SystemCost, SystemCostMonth};
use super::people::{cost_in, group_role_sets};
use crate::budget::model::Month;
use crate::platform::error::AppError;
use crate::platform::money::Currency;
use chrono::NaiveDate;
use sqlx::SqliteConnection;
use std::collections::HashMap;

const MONTHS: usize = 12;

/// `num / den` rounded half up, for non-negative amounts.
fn share(amount: i128, num: i128, den: i128) -> i128 {
    if den <= 0 {
        return 0;
    }
    (2 * amount * num + den) / (2 * den)
}

/// A contract's cost in a month: its annual value × the days it runs that month / the days of
/// the year.
pub fn contract_in(annual: i64, (starts, ends): (NaiveDate, NaiveDate), month: Month) -> i64 {
    let from = starts.max(month.first_day());
    let to = ends.min(month.last_day());
    if to < from {
        return 0;
    }
    let days = (to - from).num_days() + 1;
    let year_days = if NaiveDate::from_ymd_opt(month.year, 2, 29).is_some() { 366 } else { 365 };
    share(i128::from(annual), i128::from(days), year_days) as i64
}

/// The last twelve months through `today`'s, or None when nothing is known to cost anything.
pub async fn system_cost(db: &mut SqliteConnection, system: i64, cur: Currency, today: NaiveDate) -> Result<Option<SystemCost>, AppError> {
    let months = Month::of(today).through(MONTHS);
    let parts = by_month(db, system, &months).await?;
    let initiatives = touching(db, system).await?.len();
    let clamp = |v: i128| v.clamp(0, i128::from(i64::MAX)) as i64;
    let mut sums = [0i128; 3];
    for row in &parts {
        for (s, v) in sums.iter_mut().zip(row) {
            *s += i128::from(*v);
        }
    }
    if sums.iter().all(|s| *s == 0) {
        return Ok(None);
    }
    let row = |label: String, [c, k, p]: [i64; 3]| SystemCostMonth {
        month: label,
        cloud: cur.format(c),
        contracts: cur.format(k),
        people: cur.format(p),
        total: cur.format(crate::platform::money::sum([c, k, p])),
    };
    Ok(Some(SystemCost {
        months: months.iter().zip(parts).rev().map(|(m, r)| row(m.label(), r)).collect(),
        total: row("Last 12 months".into(), sums.map(clamp)),
        people_note: format!("People: each team’s loaded cost × its share of time on the {} that touch this system, divided among the systems each touches.", crate::ui::plural(initiatives as u64, "initiative", "initiatives")),
    }))
}

/// Each initiative touching the system, with how many systems it touches.
async fn touching(db: &mut SqliteConnection, system: i64) -> Result<HashMap<i64, i64>, AppError> {
    Ok(sqlx::query_as(
        "SELECT s.initiative_id, (SELECT count(*) FROM initiative_systems o WHERE o.initiative_id = s.initiative_id) FROM initiative_systems s WHERE s.system_id = ?1",
    )
    .bind(system)
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .collect())
}

/// The system's (cloud, contracts, people) cost in each of `months` (oldest first).
pub async fn by_month(db: &mut SqliteConnection, system: i64, months: &[Month]) -> Result<Vec<[i64; 3]>, AppError> {
    let (Some(first), Some(last)) = (months.first(), months.last()) else { return Ok(Vec::new()) };
    let (from, to) = (first.code(), last.code());
    let cloud: HashMap<i64, i64> = sqlx::query_as("SELECT month, sum(effective_minor) FROM cloud_costs WHERE system_id = ?1 AND month BETWEEN ?2 AND ?3 GROUP BY month")
        .bind(system)
        .bind(from)
        .bind(to)
        .fetch_all(&mut *db)
        .await?
        .into_iter()
        .collect();
    let contracts: Vec<(i64, String, String)> = sqlx::query_as("SELECT annual_value_minor, starts_on, ends_on FROM contracts WHERE system_id = ?1").bind(system).fetch_all(&mut *db).await?;
    let contracts: Vec<(i64, (NaiveDate, NaiveDate))> = contracts.into_iter().filter_map(|(v, s, e)| Some((v, (s.parse().ok()?, e.parse().ok()?)))).collect();
    let initiatives = touching(db, system).await?;
    let mut people: HashMap<i64, i128> = HashMap::new();
    if !initiatives.is_empty() {
        let sets = group_role_sets(people_repo::role_sets(&mut *db, None).await?);
        for s in people_repo::shares(&mut *db, None, (from, to)).await? {
            let Some(n) = s.initiative_id.and_then(|i| initiatives.get(&i)) else { continue };
            let loaded = cost_in(&sets, s.team_id, s.month).1;
            *people.entry(s.month).or_default() += share(i128::from(loaded), i128::from(s.pct), 100 * i128::from(*n));
        }
    }
    let clamp = |v: i128| v.clamp(0, i128::from(i64::MAX)) as i64;
    Ok(months
        .iter()
        .map(|m| {
            let c = cloud.get(&m.code()).copied().unwrap_or(0);
            let k = crate::platform::money::sum(contracts.iter().map(|(v, span)| contract_in(*v, *span, *m)));
            [c, k, clamp(people.get(&m.code()).copied().unwrap_or(0))]
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_contract_costs_the_days_it_runs_each_month() {
        let oct = Month { year: 2026, month: 10 };
        assert_eq!(contract_in(36_500_00, (d("2026-01-01"), d("2026-12-31")), oct), 3_100_00, "$36,500 a year is $100 a day");
        assert_eq!(contract_in(36_500_00, (d("2026-10-22"), d("2027-10-21")), oct), 1_000_00, "ten days of October");
        assert_eq!(contract_in(36_500_00, (d("2025-01-01"), d("2026-09-30")), oct), 0, "ended before");
        assert_eq!(contract_in(36_600_00, (d("2028-01-01"), d("2028-12-31")), Month { year: 2028, month: 2 }), 2_900_00, "a leap year has 366 days");
        assert_eq!(share(1, 1, 2), 1, "half a cent rounds up");
    }
}

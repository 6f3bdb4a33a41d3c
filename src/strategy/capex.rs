//! The arithmetic of people cost and software capitalization, on integer minor units: a team's
//! loaded cost in a month from its effective-dated roles, the days of a month an initiative
//! spends in its development stage, and the capitalizable labour of one team's effort on it.

use crate::budget::model::Month;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One role of a team: how many people hold it and what one costs the company a month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleCost {
    pub role: String,
    pub headcount: i64,
    pub monthly_cost: i64,
}

/// The team's cost for a month: every role's headcount times its loaded monthly cost.
pub fn loaded_cost(roles: &[RoleCost]) -> i64 {
    roles.iter().map(|r| r.headcount.saturating_mul(r.monthly_cost)).fold(0, i64::saturating_add)
}

/// The value in effect in `month` out of values that each start in a month (`YYYYMM`): the one
/// with the latest start not after it. `sets` must be sorted by start.
pub fn in_effect<T>(sets: &[(i64, T)], month: i64) -> Option<&T> {
    let after = sets.partition_point(|(from, _)| *from <= month);
    after.checked_sub(1).map(|i| &sets[i].1)
}

/// The development stage of a capitalizable initiative: from the day technological
/// feasibility is established until the day it goes into service (open while in development).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stage {
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

impl Stage {
    /// How many days of the month fall in the stage, both ends counted.
    pub fn days_in(self, month: Month) -> i64 {
        let first = month.first_day();
        let last = month.last_day();
        let start = self.from.max(first);
        let end = self.until.map_or(last, |u| u.min(last));
        if end < start { 0 } else { (end - start).num_days() + 1 }
    }
}

/// Capitalizable labour: the team's loaded cost × its share of effort × the share of the
/// month in the development stage, rounded half up to the minor unit. Integer arithmetic in
/// i128, so no amount is ever a float.
pub fn capitalizable(loaded_cost: i64, pct: u8, days: i64, month_days: i64) -> i64 {
    if month_days <= 0 || days <= 0 || loaded_cost <= 0 {
        return 0;
    }
    let num = i128::from(loaded_cost) * i128::from(pct) * i128::from(days.min(month_days));
    let den = 100 * i128::from(month_days);
    i64::try_from((2 * num + den) / (2 * den)).unwrap_or(i64::MAX)
}

/// One team's effort on one capitalizable initiative in one month, with what it capitalizes.
/// A closed month keeps these as they were, names included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapLine {
    pub month: i64,
    pub team_id: i64,
    pub team: String,
    pub initiative_id: i64,
    pub initiative: String,
    pub loaded_cost: i64,
    pub pct: u8,
    pub days: i64,
    pub month_days: i64,
    pub capitalized: i64,
}

/// Checks one month's shares of a team's effort: whole percentages that add up to 100.
/// Answers the total when it is not 100.
pub fn shares_complete(pcts: &[u8]) -> Result<(), u32> {
    let total: u32 = pcts.iter().map(|p| u32::from(*p)).sum();
    if total == 100 { Ok(()) } else { Err(total) }
}

/// The part of a month's cost that has accrued after `days` of its `month_days`: payroll for
/// the month under way, as the budget's plan to date counts its days. Rounded half up.
pub fn accrued(cost: i64, days: i64, month_days: i64) -> i64 {
    capitalizable(cost, 100, days, month_days)
}

/// A team's month of cost split by its shares of effort: each share's part, then what the
/// shares leave (zero when they add up to 100), summing exactly to `cost`. Parts are the
/// largest remainders of cost × pct / 100, so no cent is lost or made up by rounding.
pub fn split_by_shares(cost: i64, pcts: &[u8]) -> (Vec<i64>, i64) {
    let mut weights: Vec<i128> = pcts.iter().map(|p| i128::from(*p)).collect();
    let given: i128 = weights.iter().sum();
    weights.push((100 - given).max(0));
    let total: i128 = weights.iter().sum();
    if total == 0 || cost <= 0 {
        return (vec![0; pcts.len()], cost);
    }
    let exact: Vec<(i128, i128)> = weights.iter().map(|w| (i128::from(cost) * w / total, i128::from(cost) * w % total)).collect();
    let mut parts: Vec<i128> = exact.iter().map(|e| e.0).collect();
    let short = i128::from(cost) - parts.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    // Ties go to the earlier share, so the same shares always split the same way.
    order.sort_by(|a, b| exact[*b].1.cmp(&exact[*a].1).then(a.cmp(b)));
    for i in order.into_iter().take(usize::try_from(short).unwrap_or(0)) {
        parts[i] += 1;
    }
    let rest = parts.pop().unwrap_or(0);
    (parts.into_iter().map(|p| i64::try_from(p).unwrap_or(0)).collect(), i64::try_from(rest).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_teams_cost_is_headcount_times_loaded_cost_per_role() {
        let roles = [
            RoleCost { role: "Engineer".into(), headcount: 4, monthly_cost: 1_250_000 },
            RoleCost { role: "Engineering manager".into(), headcount: 1, monthly_cost: 1_600_000 },
        ];
        assert_eq!(loaded_cost(&roles), 6_600_000);
        assert_eq!(loaded_cost(&[]), 0);
    }

    #[test]
    fn the_roles_in_effect_are_the_latest_set_not_after_the_month() {
        let sets = [(202601, "a"), (202604, "b"), (202609, "c")];
        assert_eq!(in_effect(&sets, 202512), None);
        assert_eq!(in_effect(&sets, 202601), Some(&"a"));
        assert_eq!(in_effect(&sets, 202603), Some(&"a"));
        assert_eq!(in_effect(&sets, 202604), Some(&"b"));
        assert_eq!(in_effect(&sets, 202701), Some(&"c"));
    }

    #[test]
    fn the_stage_counts_the_days_of_a_month_it_covers() {
        let march = Month { year: 2026, month: 3 };
        let open = Stage { from: d("2026-03-11"), until: None };
        assert_eq!(open.days_in(march), 21);
        assert_eq!(open.days_in(Month { year: 2026, month: 2 }), 0);
        assert_eq!(open.days_in(Month { year: 2026, month: 4 }), 30);
        let closed = Stage { from: d("2026-01-01"), until: Some(d("2026-03-10")) };
        assert_eq!(closed.days_in(march), 10);
        assert_eq!(closed.days_in(Month { year: 2026, month: 4 }), 0);
        let one_day = Stage { from: d("2026-03-31"), until: Some(d("2026-03-31")) };
        assert_eq!(one_day.days_in(march), 1);
    }

    /// The README's worked example.
    #[test]
    fn capitalizable_labour_is_cost_times_share_times_days_in_the_stage() {
        // $66,000.00 a month, 60 % of the effort, the whole month in development.
        assert_eq!(capitalizable(6_600_000, 60, 31, 31), 3_960_000);
        // Feasibility established on 11 March: 21 of 31 days, $26,825.81 (2,682,580.6 rounds up).
        assert_eq!(capitalizable(6_600_000, 60, 21, 31), 2_682_581);
        // Half a cent rounds up; nothing outside the stage, nothing of a zero share.
        assert_eq!(capitalizable(1, 50, 1, 1), 1);
        assert_eq!(capitalizable(6_600_000, 60, 0, 31), 0);
        assert_eq!(capitalizable(6_600_000, 0, 31, 31), 0);
        // No overflow at the top of i64.
        assert_eq!(capitalizable(i64::MAX, 100, 30, 30), i64::MAX);
    }

    #[test]
    fn the_month_under_way_accrues_by_its_days() {
        assert_eq!(accrued(6_600_000, 2, 31), 425_806);
        assert_eq!(accrued(6_600_000, 30, 30), 6_600_000);
        assert_eq!(accrued(6_600_000, 0, 30), 0);
    }

    #[test]
    fn a_months_cost_splits_by_its_shares_to_the_cent() {
        assert_eq!(split_by_shares(6_600_000, &[60, 30, 10]), (vec![3_960_000, 1_980_000, 660_000], 0));
        // $100.00 in thirds: the cent left over goes to the first largest remainder.
        assert_eq!(split_by_shares(10_000, &[33, 33, 34]), (vec![3_300, 3_300, 3_400], 0));
        assert_eq!(split_by_shares(100, &[33, 33, 34]), (vec![33, 33, 34], 0));
        assert_eq!(split_by_shares(1, &[50, 50]), (vec![1, 0], 0));
        // Shares short of 100 (an initiative deleted after the month was entered): the rest
        // is left for the caller to count as unassigned.
        assert_eq!(split_by_shares(10_000, &[60]), (vec![6_000], 4_000));
        assert_eq!(split_by_shares(10_000, &[]), (vec![], 10_000));
        assert_eq!(split_by_shares(0, &[100]), (vec![0], 0));
        let (parts, rest) = split_by_shares(i64::MAX, &[1, 2, 97]);
        assert_eq!(parts.iter().map(|p| i128::from(*p)).sum::<i128>() + i128::from(rest), i128::from(i64::MAX));
    }

    #[test]
    fn a_months_shares_must_add_up_to_a_hundred() {
        assert_eq!(shares_complete(&[60, 30, 10]), Ok(()));
        assert_eq!(shares_complete(&[60, 30]), Err(90));
        assert_eq!(shares_complete(&[100, 5]), Err(105));
        assert_eq!(shares_complete(&[]), Err(0));
    }
}

//! The budget's arithmetic: the fiscal calendar, spreading a plan over months, variance with
//! its status, burn rate and the two year-end forecasts. Pure functions on integer minor
//! units, shared by the server and the browser.

use chrono::{Datelike, NaiveDate};
use crate::platform::named::named_enum;
use serde::{Deserialize, Serialize};

named_enum!(
    /// Capital or operating spending.
    #[derive(PartialOrd, Ord)]
    Kind {
        Capex = "capex" / "CapEx",
        Opex = "opex" / "OpEx",
    }
);

/// A calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn of(date: NaiveDate) -> Month {
        Month { year: date.year(), month: date.month() }
    }

    /// The `YYYYMM` number stored beside each expense.
    pub fn code(self) -> i64 {
        self.year as i64 * 100 + self.month as i64
    }

    pub fn from_code(code: i64) -> Month {
        Month { year: (code / 100) as i32, month: (code % 100) as u32 }
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month { year: self.year + 1, month: 1 }
        } else {
            Month { year: self.year, month: self.month + 1 }
        }
    }

    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month { year: self.year - 1, month: 12 }
        } else {
            Month { year: self.year, month: self.month - 1 }
        }
    }

    /// The `n` months that end with this one, oldest first.
    pub fn through(self, n: usize) -> Vec<Month> {
        let mut months = Vec::with_capacity(n);
        let mut m = self;
        for _ in 0..n {
            months.push(m);
            m = m.prev();
        }
        months.reverse();
        months
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or_else(|| self.first_day())
    }

    pub fn days(self) -> i64 {
        (self.next().first_day() - self.first_day()).num_days()
    }

    /// "2026-04", as a month input and a CSV write it.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// "Apr 2026".
    pub fn label(self) -> String {
        self.first_day().format("%b %Y").to_string()
    }

    /// "Apr".
    pub fn short(self) -> String {
        self.first_day().format("%b").to_string()
    }
}

pub const MONTH_NAMES: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/// Fiscal years start on the first of `start_month` and are named after the calendar year
/// they end in: with an April start, FY2027 runs from April 2026 to March 2027. With a
/// January start, FY2026 is the calendar year 2026.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiscalCalendar {
    pub start_month: u32,
}

impl FiscalCalendar {
    pub fn new(start_month: u32) -> FiscalCalendar {
        FiscalCalendar { start_month: start_month.clamp(1, 12) }
    }

    pub fn year_of(self, date: NaiveDate) -> i32 {
        if self.start_month == 1 || date.month() < self.start_month {
            date.year()
        } else {
            date.year() + 1
        }
    }

    pub fn first_month(self, fy: i32) -> Month {
        Month { year: if self.start_month == 1 { fy } else { fy - 1 }, month: self.start_month }
    }

    pub fn months(self, fy: i32) -> [Month; 12] {
        let mut out = [self.first_month(fy); 12];
        for i in 1..12 {
            out[i] = out[i - 1].next();
        }
        out
    }

    /// First and last day.
    pub fn range(self, fy: i32) -> (NaiveDate, NaiveDate) {
        let start = self.first_month(fy).first_day();
        let end = self.first_month(fy + 1).first_day().pred_opt().unwrap_or(start);
        (start, end)
    }

    /// The month's position in its fiscal year, 0 to 11.
    pub fn index(self, m: Month) -> usize {
        ((m.month + 12 - self.start_month) % 12) as usize
    }

    /// "FY2027 (Apr 2026 – Mar 2027)".
    pub fn describe(self, fy: i32) -> String {
        let months = self.months(fy);
        format!("FY{fy} ({} – {})", months[0].label(), months[11].label())
    }

    /// 1 to 4.
    pub fn quarter(self, m: Month) -> usize {
        self.index(m) / 3 + 1
    }
}

/// Spreads an annual amount over twelve months: equal parts, the remainder one minor unit at a
/// time to the first months, so the months always add up to the total exactly.
pub fn spread_evenly(total: i64) -> [i64; 12] {
    let base = total / 12;
    let rest = total % 12;
    let mut out = [base; 12];
    for slot in out.iter_mut().take(rest.unsigned_abs() as usize) {
        *slot += rest.signum();
    }
    out
}

named_enum!(
    /// Red, amber or green for spending against plan; underspending is never a problem here.
    #[derive(PartialOrd, Ord)]
    VarianceStatus {
        Red = "red" / "Red",
        Amber = "amber" / "Amber",
        Green = "green" / "Green",
    }
);

/// How far over plan spending may go: amber above `amber_pct`, red above `red_pct`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    pub amber_pct: u32,
    pub red_pct: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { amber_pct: 5, red_pct: 10 }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Variance {
    /// Actual minus plan: positive is overspending.
    pub amount: i64,
    /// `amount` as a percentage of plan; none when there was no plan.
    pub pct: Option<f64>,
    pub status: VarianceStatus,
}

pub fn variance(plan: i64, actual: i64, t: Thresholds) -> Variance {
    let amount = actual.saturating_sub(plan);
    let pct = (plan > 0).then(|| amount as f64 * 100.0 / plan as f64);
    // Compared in integers, so "exactly 5 % over" is the same on every machine.
    let over = |limit: u32| amount as i128 * 100 > plan as i128 * limit as i128;
    let status = if plan <= 0 {
        if actual > 0 { VarianceStatus::Red } else { VarianceStatus::Green }
    } else if over(t.red_pct) {
        VarianceStatus::Red
    } else if over(t.amber_pct) {
        VarianceStatus::Amber
    } else {
        VarianceStatus::Green
    };
    Variance { amount, pct, status }
}

/// How much of the fiscal year has passed on `today`: whole months closed, days elapsed,
/// and the months still ahead (including the current one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Elapsed {
    pub days: i64,
    pub total_days: i64,
    /// Months begun so far (the current month counts), 0 to 12.
    pub months_begun: usize,
}

pub fn elapsed(cal: FiscalCalendar, fy: i32, today: NaiveDate) -> Elapsed {
    let (start, end) = cal.range(fy);
    let total_days = (end - start).num_days() + 1;
    if today < start {
        return Elapsed { days: 0, total_days, months_begun: 0 };
    }
    if today > end {
        return Elapsed { days: total_days, total_days, months_begun: 12 };
    }
    Elapsed { days: (today - start).num_days() + 1, total_days, months_begun: cal.index(Month::of(today)) + 1 }
}

/// The two year-end estimates, side by side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Forecast {
    /// Actual so far plus the plan still ahead.
    pub actual_plus_plan: i64,
    /// Actual so far, projected at its daily rate over the whole year.
    pub run_rate: i64,
}

/// `plan_to_date` is the part of the year's plan already due (see `analysis::plan_to_date`),
/// so the rest of the current month still counts as plan ahead.
pub fn forecast(actual: i64, plan_total: i64, plan_to_date: i64, e: Elapsed) -> Forecast {
    let remaining = plan_total.saturating_sub(plan_to_date).max(0);
    let run_rate = if e.days == 0 {
        plan_total
    } else {
        (actual as i128 * e.total_days as i128 / e.days as i128).clamp(0, i64::MAX as i128) as i64
    };
    Forecast { actual_plus_plan: actual.saturating_add(remaining), run_rate }
}

/// Average spend per month begun so far.
pub fn burn_rate(actual: i64, e: Elapsed) -> Option<i64> {
    (e.months_begun > 0).then(|| actual / e.months_begun as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn months_step_back_across_the_year_and_write_as_a_month_input_does() {
        assert_eq!(Month { year: 2026, month: 1 }.prev(), Month { year: 2025, month: 12 });
        assert_eq!(Month { year: 2026, month: 7 }.prev().next(), Month { year: 2026, month: 7 });
        assert_eq!(Month { year: 2026, month: 3 }.iso(), "2026-03");
        assert_eq!(Month { year: 2028, month: 2 }.last_day(), d(2028, 2, 29));
        assert_eq!(Month { year: 2026, month: 12 }.last_day(), d(2026, 12, 31));
    }

    #[test]
    fn fiscal_years_are_named_after_the_year_they_end_in() {
        let april = FiscalCalendar::new(4);
        let cases = [(d(2026, 3, 31), 2026), (d(2026, 4, 1), 2027), (d(2026, 12, 31), 2027), (d(2027, 1, 1), 2027)];
        for (date, fy) in cases {
            assert_eq!(april.year_of(date), fy, "{date}");
        }
        assert_eq!(april.range(2027), (d(2026, 4, 1), d(2027, 3, 31)));
        assert_eq!(april.describe(2027), "FY2027 (Apr 2026 – Mar 2027)");
        assert_eq!(april.index(Month { year: 2027, month: 3 }), 11);
        assert_eq!(april.quarter(Month { year: 2026, month: 7 }), 2);

        let january = FiscalCalendar::new(1);
        assert_eq!(january.year_of(d(2026, 1, 1)), 2026);
        assert_eq!(january.year_of(d(2026, 12, 31)), 2026);
        assert_eq!(january.range(2024), (d(2024, 1, 1), d(2024, 12, 31)));
        assert_eq!(january.months(2026)[11], Month { year: 2026, month: 12 });
    }

    #[test]
    fn spreading_keeps_every_minor_unit() {
        for total in [0, 1, 11, 12, 13, 1_200_00, 1_000_001, 9_000_000_000_000] {
            let months = spread_evenly(total);
            assert_eq!(months.iter().sum::<i64>(), total, "{total}");
            let (lo, hi) = (months.iter().min().unwrap(), months.iter().max().unwrap());
            assert!(hi - lo <= 1, "{total}: {months:?}");
        }
        assert_eq!(spread_evenly(14)[..3], [2, 2, 1]);
    }

    #[test]
    fn variance_status_follows_the_thresholds() {
        let t = Thresholds { amber_pct: 5, red_pct: 10 };
        let cases = [
            (100_00, 90_00, VarianceStatus::Green, -10_00),
            (100_00, 105_00, VarianceStatus::Green, 5_00), // exactly at the amber line
            (100_00, 105_01, VarianceStatus::Amber, 5_01),
            (100_00, 110_00, VarianceStatus::Amber, 10_00),
            (100_00, 110_01, VarianceStatus::Red, 10_01),
            (0, 0, VarianceStatus::Green, 0),
            (0, 1, VarianceStatus::Red, 1), // spending without any plan
        ];
        for (plan, actual, status, amount) in cases {
            let v = variance(plan, actual, t);
            assert_eq!((v.status, v.amount), (status, amount), "plan {plan} actual {actual}");
        }
        assert_eq!(variance(200_00, 250_00, t).pct, Some(25.0));
        assert_eq!(variance(0, 5, t).pct, None);
    }

    #[test]
    fn forecasts_two_ways() {
        let cal = FiscalCalendar::new(1);
        // 15 March 2026: 74 of 365 days, three months begun.
        let e = elapsed(cal, 2026, d(2026, 3, 15));
        assert_eq!(e, Elapsed { days: 74, total_days: 365, months_begun: 3 });
        let f = forecast(370, 1200, 248, e);
        assert_eq!(f.actual_plus_plan, 370 + 1200 - 248);
        assert_eq!(f.run_rate, 370 * 365 / 74);
        assert_eq!(burn_rate(370, e), Some(123));

        // Before the year: nothing spent, the plan is the forecast.
        let before = elapsed(cal, 2027, d(2026, 3, 15));
        assert_eq!(forecast(0, 1200, 0, before), Forecast { actual_plus_plan: 1200, run_rate: 1200 });
        assert_eq!(burn_rate(0, before), None);
        // After it: the actual is final.
        let after = elapsed(cal, 2025, d(2026, 3, 15));
        assert_eq!(forecast(999, 1200, 1200, after), Forecast { actual_plus_plan: 999, run_rate: 999 });
    }

    #[test]
    fn kinds_and_months_read_and_print() {
        assert_eq!(Kind::parse(" OpEx "), Some(Kind::Opex));
        assert_eq!(Kind::parse("capital"), None);
        let m = Month { year: 2026, month: 12 };
        assert_eq!(m.code(), 202612);
        assert_eq!(Month::from_code(202612), m);
        assert_eq!(m.next(), Month { year: 2027, month: 1 });
        assert_eq!(m.days(), 31);
        assert_eq!(m.label(), "Dec 2026");
    }
}

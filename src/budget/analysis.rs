//! Budget against actual: the plan and spending of one fiscal year gathered into cells (one per
//! department, category and CapEx/OpEx), then summed along whichever axis a table shows.

use super::model::{burn_rate, elapsed, forecast, variance, Elapsed, FiscalCalendar, Kind, Month, Thresholds, VarianceStatus};
use super::repo::{ActualCell, LineData};
use super::view::{BvaRow, MonthRow};
use crate::platform::money::Currency;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cell {
    pub department: String,
    pub category: String,
    pub plan: [i64; 12],
    pub original: i64,
    pub actual: [i64; 12],
}

impl Cell {
    fn add(&mut self, other: &Cell) {
        for i in 0..12 {
            self.plan[i] = self.plan[i].saturating_add(other.plan[i]);
            self.actual[i] = self.actual[i].saturating_add(other.actual[i]);
        }
        self.original = self.original.saturating_add(other.original);
    }
}

/// One fiscal year's figures, as of one day.
pub struct Year {
    pub cal: FiscalCalendar,
    pub fy: i32,
    pub today: NaiveDate,
    pub elapsed: Elapsed,
    pub cells: BTreeMap<(i64, i64, Kind), Cell>,
    /// Categories in their display order, for sorting rows.
    pub category_order: Vec<i64>,
}

impl Year {
    pub fn new(
        cal: FiscalCalendar,
        fy: i32,
        today: NaiveDate,
        lines: Vec<LineData>,
        actuals: Vec<ActualCell>,
        names: &dyn Fn(i64, i64) -> (String, String),
        category_order: Vec<i64>,
    ) -> Year {
        let mut cells: BTreeMap<(i64, i64, Kind), Cell> = BTreeMap::new();
        for l in lines {
            let cell = cells.entry((l.department_id, l.category_id, l.kind)).or_default();
            cell.department = l.department;
            cell.category = l.category;
            cell.plan = l.months;
            cell.original = l.original;
        }
        for a in actuals {
            let cell = cells.entry((a.department_id, a.category_id, a.kind)).or_insert_with(|| {
                let (department, category) = names(a.department_id, a.category_id);
                Cell { department, category, ..Cell::default() }
            });
            let slot = &mut cell.actual[cal.index(a.month)];
            *slot = slot.saturating_add(a.total);
        }
        Year { cal, fy, today, elapsed: elapsed(cal, fy, today), cells, category_order }
    }

    pub fn total(&self) -> Cell {
        let mut sum = Cell::default();
        for c in self.cells.values() {
            sum.add(c);
        }
        sum
    }

    /// Cells summed by a key, in the key's order.
    pub fn by<K: Ord + Clone>(&self, key: impl Fn(&(i64, i64, Kind), &Cell) -> K) -> Vec<(K, Cell)> {
        let mut out: BTreeMap<K, Cell> = BTreeMap::new();
        for (k, c) in &self.cells {
            out.entry(key(k, c)).or_default().add(c);
        }
        out.into_iter().collect()
    }

    pub fn by_department(&self) -> Vec<(String, Cell)> {
        self.by(|_, c| c.department.clone())
    }

    pub fn by_category(&self) -> Vec<(String, Cell)> {
        let order = |id: i64| self.category_order.iter().position(|c| *c == id).unwrap_or(usize::MAX);
        self.by(|k, c| (order(k.1), c.category.clone())).into_iter().map(|((_, name), cell)| (name, cell)).collect()
    }

    pub fn by_kind(&self) -> Vec<(String, Cell)> {
        self.by(|k, _| k.2).into_iter().map(|(k, c)| (k.label().to_string(), c)).collect()
    }

    /// The plan up to `today`: whole months before it, and the current month in proportion to
    /// the days gone, so a month half over is compared with half its budget.
    pub fn plan_to_date(&self, plan: &[i64; 12]) -> i64 {
        let e = self.elapsed;
        if e.months_begun == 0 {
            return 0;
        }
        if e.days == e.total_days {
            return crate::platform::money::sum(plan.iter().copied());
        }
        let done: i64 = plan.iter().take(e.months_begun - 1).sum();
        let month = Month::of(self.today);
        let part = plan[e.months_begun - 1] as i128 * self.today.day() as i128 / month.days() as i128;
        done.saturating_add(part as i64)
    }

    pub fn row(&self, label: String, c: &Cell, t: Thresholds, cur: Currency) -> BvaRow {
        let actual: i64 = crate::platform::money::sum(c.actual.iter().copied());
        let plan_ytd = self.plan_to_date(&c.plan);
        let v = variance(plan_ytd, actual, t);
        let f = forecast(actual, crate::platform::money::sum(c.plan.iter().copied()), plan_ytd, self.elapsed);
        BvaRow {
            label,
            plan_year: cur.format(crate::platform::money::sum(c.plan.iter().copied())),
            original_year: cur.format(c.original),
            plan_ytd: cur.format(plan_ytd),
            actual_ytd: cur.format(actual),
            variance: signed(cur, v.amount),
            variance_pct: v.pct.map(|p| format!("{p:+.1} %")).unwrap_or_else(|| "—".into()),
            status: v.status,
            forecast_plan: cur.format(f.actual_plus_plan),
            forecast_run_rate: cur.format(f.run_rate),
        }
    }

    /// Each month, with each quarter's subtotal after its third month.
    pub fn months(&self, c: &Cell, t: Thresholds, cur: Currency) -> Vec<MonthRow> {
        let begun = self.elapsed.months_begun;
        let over = |last: usize| last < begun.saturating_sub(1) || self.elapsed.days == self.elapsed.total_days;
        let row = |label: String, range: std::ops::Range<usize>, quarter: bool| {
            let (first, last) = (range.start, range.end - 1);
            let plan: i64 = crate::platform::money::sum(c.plan[range.clone()].iter().copied());
            let actual: i64 = crate::platform::money::sum(c.actual[range].iter().copied());
            let future = first >= begun;
            let v = variance(plan, actual, t);
            MonthRow {
                month: label,
                plan: cur.format(plan),
                actual: if future { "—".into() } else { cur.format(actual) },
                // A month or quarter still filling up is not judged yet: against its whole
                // budget it would always look under, against a part it would cry wolf.
                variance: if over(last) { signed(cur, v.amount) } else { "—".into() },
                status: over(last).then_some(v.status),
                future,
                quarter,
            }
        };
        let months = self.cal.months(self.fy);
        let mut out = Vec::with_capacity(16);
        for (i, m) in months.iter().enumerate() {
            out.push(row(m.label(), i..i + 1, false));
            if i % 3 == 2 {
                out.push(row(format!("Q{} FY{}", i / 3 + 1, self.fy), i - 2..i + 1, true));
            }
        }
        out
    }

    pub fn burn_rate(&self, c: &Cell) -> Option<i64> {
        burn_rate(crate::platform::money::sum(c.actual.iter().copied()), self.elapsed)
    }

    /// The last month that is over, with its spending.
    pub fn last_closed_month(&self, c: &Cell) -> Option<(Month, i64)> {
        let closed = if self.elapsed.months_begun == 12 && self.elapsed.days == self.elapsed.total_days { 12 } else { self.elapsed.months_begun.checked_sub(1)? };
        let i = closed.checked_sub(1)?;
        Some((self.cal.months(self.fy)[i], c.actual[i]))
    }
}

/// "+$1,200.00" over plan, "-$300.00" under.
pub fn signed(cur: Currency, amount: i64) -> String {
    if amount > 0 {
        format!("+{}", cur.format(amount))
    } else {
        cur.format(amount)
    }
}

/// Worst first, then by name: the rows that need attention lead the table.
pub fn worst_first(rows: &mut [BvaRow]) {
    rows.sort_by(|a, b| (a.status, &a.label).cmp(&(b.status, &b.label)));
}

pub fn status_word(s: VarianceStatus) -> &'static str {
    match s {
        VarianceStatus::Red => "over budget",
        VarianceStatus::Amber => "slightly over budget",
        VarianceStatus::Green => "within budget",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn line(dept: i64, cat: i64, kind: Kind, monthly: i64) -> LineData {
        LineData {
            line_id: 0,
            department_id: dept,
            department: format!("D{dept}"),
            category_id: cat,
            category: format!("C{cat}"),
            kind,
            investment_id: None,
            months: [monthly; 12],
            original: monthly * 12,
        }
    }

    fn spend(dept: i64, cat: i64, kind: Kind, month: u32, total: i64) -> ActualCell {
        ActualCell { department_id: dept, category_id: cat, kind, month: Month { year: 2026, month }, total }
    }

    fn year(today: NaiveDate) -> Year {
        let lines = vec![line(1, 1, Kind::Opex, 1000_00), line(2, 1, Kind::Capex, 500_00)];
        let actuals = vec![
            spend(1, 1, Kind::Opex, 1, 1000_00),
            spend(1, 1, Kind::Opex, 2, 1300_00),
            spend(2, 1, Kind::Capex, 1, 200_00),
            // Spending with no budget line still counts, under its own names.
            spend(2, 3, Kind::Opex, 2, 50_00),
        ];
        let names = |d: i64, c: i64| (format!("D{d}"), format!("C{c}"));
        Year::new(FiscalCalendar::new(1), 2026, today, lines, actuals, &names, vec![1, 2, 3])
    }

    #[test]
    fn plan_to_date_prorates_the_current_month() {
        let y = year(d(2026, 3, 1));
        // January and February whole, one day of March's 31.
        assert_eq!(y.plan_to_date(&[31_00; 12]), 31_00 * 2 + 1_00);
        let end = year(d(2027, 1, 5));
        assert_eq!(end.plan_to_date(&[1; 12]), 12);
    }

    #[test]
    fn rows_sum_along_each_axis() {
        let y = year(d(2026, 3, 1));
        let t = Thresholds::default();
        let usd = Currency::usd();
        let total = y.total();
        assert_eq!(total.actual.iter().sum::<i64>(), 2550_00);
        assert_eq!(total.plan.iter().sum::<i64>(), 18_000_00);

        let depts = y.by_department();
        assert_eq!(depts.len(), 2);
        let d1 = y.row(depts[0].0.clone(), &depts[0].1, t, usd);
        // Plan to 1 March: 2,000 + 1,000 / 31 = 2,032.25; actual 2,300: 13.2 % over, red.
        assert_eq!(d1.plan_ytd, "$2,032.25");
        assert_eq!(d1.actual_ytd, "$2,300.00");
        assert_eq!(d1.variance, "+$267.75");
        assert_eq!(d1.status, VarianceStatus::Red);
        // Actual plus the plan still ahead: 2,300 + 12,000 - 2,032.25.
        assert_eq!(d1.forecast_plan, "$12,267.75");
        // Run rate: 2,300 over 60 of 365 days.
        assert_eq!(d1.forecast_run_rate, usd.format(2300_00 * 365 / 60));

        let kinds = y.by_kind();
        assert_eq!(kinds.iter().map(|k| k.0.as_str()).collect::<Vec<_>>(), ["CapEx", "OpEx"]);
        let cats = y.by_category();
        assert_eq!(cats.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(), ["C1", "C3"]);
        assert_eq!(y.burn_rate(&total), Some(2550_00 / 3));
        assert_eq!(y.last_closed_month(&total), Some((Month { year: 2026, month: 2 }, 1350_00)));
    }

    #[test]
    fn months_are_judged_only_once_closed() {
        let y = year(d(2026, 2, 10));
        let rows = y.months(&y.total(), Thresholds::default(), Currency::usd());
        assert_eq!(rows.len(), 16, "twelve months and four quarters");
        assert_eq!(rows[0].status, Some(VarianceStatus::Green));
        assert_eq!(rows[1].status, None, "February is still running");
        assert!(rows[2].future && rows[2].actual == "—");
        let q1 = &rows[3];
        assert!(q1.quarter && q1.month == "Q1 FY2026" && q1.status.is_none());
        // January 1,200 + February 1,350 against three months of 1,500.
        assert_eq!((q1.plan.as_str(), q1.actual.as_str()), ("$4,500.00", "$2,550.00"));
    }
}

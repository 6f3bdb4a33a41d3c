//! The rules of quality and data protection that hold without a database: how bad a finding
//! is and when it must be fixed by, how often a control is performed and when it is due.

use crate::platform::named::named_enum;
use chrono::{Days, Months, NaiveDate};

named_enum!(
    /// How bad a vulnerability is, worst first.
    Severity {
        Critical = "critical" / "Critical",
        High = "high" / "High",
        Medium = "medium" / "Medium",
        Low = "low" / "Low",
    }
);

impl Severity {
    /// A CVSS base score in the bands CVSS v3 names (and GitHub reads a SARIF rule's
    /// `security-severity` by): 9.0 and up critical, 7.0 high, 4.0 medium, anything above
    /// nothing low. `None` for 0 or a score off the 0–10 scale.
    pub fn from_cvss(score: f64) -> Option<Severity> {
        match score {
            s if !(0.0..=10.0).contains(&s) || s.is_nan() => None,
            s if s >= 9.0 => Some(Severity::Critical),
            s if s >= 7.0 => Some(Severity::High),
            s if s >= 4.0 => Some(Severity::Medium),
            s if s > 0.0 => Some(Severity::Low),
            _ => None,
        }
    }
}

/// Days to fix a finding of each severity, from when it was first seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deadlines {
    pub critical: u32,
    pub high: u32,
    pub medium: u32,
    pub low: u32,
}

impl Default for Deadlines {
    /// The common SOC 2 practice, and CISA's for critical findings: 7, 30, 90 and 180 days.
    fn default() -> Self {
        Deadlines { critical: 7, high: 30, medium: 90, low: 180 }
    }
}

impl Deadlines {
    pub fn days(&self, s: Severity) -> u32 {
        match s {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
        }
    }

    /// The last day a finding first seen on `first_seen` may stay open.
    pub fn due(&self, s: Severity, first_seen: NaiveDate) -> NaiveDate {
        first_seen.checked_add_days(Days::new(self.days(s).into())).unwrap_or(NaiveDate::MAX)
    }

    /// Whether the finding broke its deadline: still open after its last day, or fixed after it.
    pub fn breached(&self, s: Severity, first_seen: NaiveDate, fixed_on: Option<NaiveDate>, today: NaiveDate) -> bool {
        fixed_on.unwrap_or(today) > self.due(s, first_seen)
    }

    /// The days each must be 1 to 3650 and no severity may get longer than a milder one; the
    /// field that is wrong first.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        for s in Severity::ALL {
            if !(1..=3650).contains(&self.days(*s)) {
                return Err((s.as_str(), format!("Give {} findings 1 to 3650 days.", s.label().to_lowercase())));
            }
        }
        for pair in Severity::ALL.windows(2) {
            if self.days(pair[0]) > self.days(pair[1]) {
                return Err((pair[0].as_str(), format!("{} findings cannot get longer than {} ones.", pair[0].label(), pair[1].label().to_lowercase())));
            }
        }
        Ok(())
    }
}

named_enum!(
    /// How often a control is performed. Continuous ones are evidenced by Northstar itself
    /// (health checks, backups), so a day without evidence makes them due.
    Frequency {
        Continuous = "continuous" / "Continuous",
        Monthly = "monthly" / "Monthly",
        Quarterly = "quarterly" / "Quarterly",
        Yearly = "yearly" / "Yearly",
    }
);

impl Frequency {
    /// The day the next performance is due after one on `last`.
    pub fn next_due(self, last: NaiveDate) -> NaiveDate {
        let next = match self {
            Frequency::Continuous => last.checked_add_days(Days::new(1)),
            Frequency::Monthly => last.checked_add_months(Months::new(1)),
            Frequency::Quarterly => last.checked_add_months(Months::new(3)),
            Frequency::Yearly => last.checked_add_months(Months::new(12)),
        };
        next.unwrap_or(NaiveDate::MAX)
    }

    /// How many days before it is due a control shows as due: enough to plan the work.
    pub fn warning_days(self) -> u64 {
        match self {
            Frequency::Continuous => 0,
            Frequency::Monthly => 7,
            Frequency::Quarterly => 14,
            Frequency::Yearly => 30,
        }
    }
}

/// Where a control stands against its frequency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timeliness {
    /// Performed recently enough; next due on the day given.
    Current(NaiveDate),
    /// Due on the day given, which is near or today.
    Due(NaiveDate),
    /// Should have been performed by the day given.
    Overdue(NaiveDate),
}

impl Timeliness {
    /// The day it is, or was, due.
    pub fn due(self) -> NaiveDate {
        match self {
            Timeliness::Current(d) | Timeliness::Due(d) | Timeliness::Overdue(d) => d,
        }
    }
}

/// Where a control performed `frequency` stands on `today`: its next due day counts from the
/// last evidence, or from when the control was adopted if it has none.
pub fn timeliness(frequency: Frequency, last: Option<NaiveDate>, adopted: NaiveDate, today: NaiveDate) -> Timeliness {
    let due = frequency.next_due(last.unwrap_or(adopted));
    let warn_from = due.checked_sub_days(Days::new(frequency.warning_days())).unwrap_or(NaiveDate::MIN);
    if today > due {
        Timeliness::Overdue(due)
    } else if today >= warn_from {
        Timeliness::Due(due)
    } else {
        Timeliness::Current(due)
    }
}

named_enum!(
    /// Where a control's evidence comes from: its owner, or what Northstar already records.
    #[serde(rename_all = "snake_case")]
    Source {
        Manual = "manual" / "Recorded by its owner",
        HealthChecks = "health_checks" / "The health checks watching its systems",
        Tls = "tls" / "The certificates the HTTPS checks saw",
        Backup = "backup" / "Runs of northstar backup",
        RestoreTest = "restore_test" / "Restore tests",
        AccessReview = "access_review" / "Access reviews in the audit trail",
    }
);

named_enum!(
    /// What a control's performance found.
    Outcome {
        Passed = "passed" / "Passed",
        Failed = "failed" / "Failed",
        NotApplicable = "not_applicable" / "Not applicable",
    }
);

named_enum!(
    /// A control as the register shows it, worst first (the order sorts by): overdue outranks
    /// a failure (nobody has looked since), a failure outranks being due.
    #[derive(PartialOrd, Ord)]
    Standing {
        Overdue = "overdue" / "Overdue",
        Failing = "failing" / "Failing",
        Due = "due" / "Due",
        Passing = "passing" / "Passing",
        Pending = "pending" / "Not yet performed",
        NotApplicable = "not_applicable" / "Not applicable",
    }
);

impl Standing {
    /// From where the control stands against its frequency and what its last evidence found.
    pub fn of(timeliness: Timeliness, last: Option<Outcome>) -> Standing {
        match (timeliness, last) {
            (Timeliness::Overdue(_), _) => Standing::Overdue,
            (_, Some(Outcome::Failed)) => Standing::Failing,
            (Timeliness::Due(_), _) => Standing::Due,
            (Timeliness::Current(_), Some(Outcome::NotApplicable)) => Standing::NotApplicable,
            (Timeliness::Current(_), Some(Outcome::Passed)) => Standing::Passing,
            (Timeliness::Current(_), None) => Standing::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn cvss_scores_fall_in_their_bands() {
        let cases = [(10.0, Some(Severity::Critical)), (9.0, Some(Severity::Critical)), (8.9, Some(Severity::High)), (7.0, Some(Severity::High)), (6.9, Some(Severity::Medium)), (4.0, Some(Severity::Medium)), (3.9, Some(Severity::Low)), (0.1, Some(Severity::Low)), (0.0, None), (10.1, None), (-1.0, None), (f64::NAN, None)];
        for (score, want) in cases {
            assert_eq!(Severity::from_cvss(score), want, "{score}");
        }
    }

    #[test]
    fn each_severity_has_its_deadline_and_a_breach_is_a_day_past_it() {
        let d = Deadlines::default();
        let seen = day("2026-11-01");
        assert_eq!(d.due(Severity::Critical, seen), day("2026-11-08"));
        assert_eq!(d.due(Severity::High, seen), day("2026-12-01"));
        assert_eq!(d.due(Severity::Medium, seen), day("2027-01-30"));
        assert_eq!(d.due(Severity::Low, seen), day("2027-04-30"));
        // Open on its last day: within; the day after: breached.
        assert!(!d.breached(Severity::Critical, seen, None, day("2026-11-08")));
        assert!(d.breached(Severity::Critical, seen, None, day("2026-11-09")));
        // Fixed on time stays within for good; fixed late stays a breach.
        assert!(!d.breached(Severity::Critical, seen, Some(day("2026-11-08")), day("2027-06-01")));
        assert!(d.breached(Severity::Critical, seen, Some(day("2026-11-10")), day("2027-06-01")));
        // Across a leap day.
        assert_eq!(d.due(Severity::High, day("2028-02-10")), day("2028-03-11"));
    }

    #[test]
    fn deadlines_must_run_from_the_worst_to_the_mildest() {
        assert_eq!(Deadlines::default().check(), Ok(()));
        assert_eq!(Deadlines { critical: 0, ..Default::default() }.check().unwrap_err().0, "critical");
        assert_eq!(Deadlines { low: 4000, ..Default::default() }.check().unwrap_err().0, "low");
        assert_eq!(Deadlines { high: 100, ..Default::default() }.check().unwrap_err().0, "high");
        assert_eq!(Deadlines { critical: 30, high: 30, medium: 30, low: 30 }.check(), Ok(()));
    }

    #[test]
    fn a_control_is_due_ahead_of_its_day_and_overdue_after_it() {
        let adopted = day("2026-01-15");
        // Monthly, last on 31 Oct: due 30 Nov (a month on, clamped), shown as due from 23 Nov.
        let last = Some(day("2026-10-31"));
        assert_eq!(timeliness(Frequency::Monthly, last, adopted, day("2026-11-22")), Timeliness::Current(day("2026-11-30")));
        assert_eq!(timeliness(Frequency::Monthly, last, adopted, day("2026-11-23")), Timeliness::Due(day("2026-11-30")));
        assert_eq!(timeliness(Frequency::Monthly, last, adopted, day("2026-11-30")), Timeliness::Due(day("2026-11-30")));
        assert_eq!(timeliness(Frequency::Monthly, last, adopted, day("2026-12-01")), Timeliness::Overdue(day("2026-11-30")));
        // Quarterly and yearly, with their longer warnings.
        assert_eq!(timeliness(Frequency::Quarterly, Some(day("2026-09-01")), adopted, day("2026-11-16")), Timeliness::Current(day("2026-12-01")));
        assert_eq!(timeliness(Frequency::Quarterly, Some(day("2026-09-01")), adopted, day("2026-11-17")), Timeliness::Due(day("2026-12-01")));
        assert_eq!(timeliness(Frequency::Yearly, Some(day("2025-12-15")), adopted, day("2026-11-14")), Timeliness::Current(day("2026-12-15")));
        assert_eq!(timeliness(Frequency::Yearly, Some(day("2025-12-15")), adopted, day("2026-11-15")), Timeliness::Due(day("2026-12-15")));
        // Yearly from 29 February lands on 28 February.
        assert_eq!(Frequency::Yearly.next_due(day("2028-02-29")), day("2029-02-28"));
        // Continuous: evidence today is current, yesterday's is due today, older is overdue.
        let today = day("2026-12-03");
        assert_eq!(timeliness(Frequency::Continuous, Some(today), adopted, today), Timeliness::Current(day("2026-12-04")));
        assert_eq!(timeliness(Frequency::Continuous, Some(day("2026-12-02")), adopted, today), Timeliness::Due(today));
        assert_eq!(timeliness(Frequency::Continuous, Some(day("2026-12-01")), adopted, today), Timeliness::Overdue(day("2026-12-02")));
        // Never performed: due a period after it was adopted.
        assert_eq!(timeliness(Frequency::Quarterly, None, day("2026-10-01"), day("2026-11-01")), Timeliness::Current(day("2027-01-01")));
        assert_eq!(timeliness(Frequency::Monthly, None, day("2026-10-01"), day("2026-11-02")), Timeliness::Overdue(day("2026-11-01")));
    }

    #[test]
    fn a_control_stands_by_its_worst_fact() {
        let (now, soon, late) = (Timeliness::Current(day("2027-01-01")), Timeliness::Due(day("2026-12-05")), Timeliness::Overdue(day("2026-11-01")));
        assert_eq!(Standing::of(late, Some(Outcome::Passed)), Standing::Overdue);
        assert_eq!(Standing::of(late, Some(Outcome::Failed)), Standing::Overdue);
        assert_eq!(Standing::of(now, Some(Outcome::Failed)), Standing::Failing);
        assert_eq!(Standing::of(soon, Some(Outcome::Failed)), Standing::Failing);
        assert_eq!(Standing::of(soon, Some(Outcome::Passed)), Standing::Due);
        assert_eq!(Standing::of(now, Some(Outcome::Passed)), Standing::Passing);
        assert_eq!(Standing::of(now, Some(Outcome::NotApplicable)), Standing::NotApplicable);
        assert_eq!(Standing::of(soon, Some(Outcome::NotApplicable)), Standing::Due);
        assert_eq!(Standing::of(now, None), Standing::Pending);
        assert_eq!(Standing::of(soon, None), Standing::Due);
    }
}

//! The words of the record of processing (GDPR Art. 30), shared by the server and the pages:
//! the kinds of personal data and of people, the legal bases of Art. 6(1), and when a record
//! is due for review.

use crate::platform::named::named_enum;
use chrono::{Days, Months, NaiveDate};

named_enum!(
    /// A kind of personal data a system holds. The last four are Art. 9 and 10's special
    /// categories, which raise the bar (a DPIA, stricter bases).
    #[serde(rename_all = "snake_case")]
    DataCategory {
        Contact = "contact" / "Identity and contact details",
        Account = "account" / "Account and login data",
        Financial = "financial" / "Payment and financial data",
        Identifiers = "identifiers" / "Online identifiers (IP, device, cookies)",
        Usage = "usage" / "Usage and behaviour",
        Location = "location" / "Location",
        Communications = "communications" / "Messages and their content",
        Employment = "employment" / "Employment and HR records",
        Health = "health" / "Health (special category)",
        Biometric = "biometric" / "Biometric (special category)",
        OtherSpecial = "other_special" / "Other special categories (Art. 9)",
        Criminal = "criminal" / "Criminal convictions (Art. 10)",
    }
);

impl DataCategory {
    pub fn special(self) -> bool {
        matches!(self, Self::Health | Self::Biometric | Self::OtherSpecial | Self::Criminal)
    }
}

named_enum!(
    /// Whose personal data it is.
    #[serde(rename_all = "snake_case")]
    DataSubject {
        Customers = "customers" / "Customers",
        EndUsers = "end_users" / "End users of customers",
        Prospects = "prospects" / "Prospects and leads",
        Employees = "employees" / "Employees",
        Candidates = "candidates" / "Job candidates",
        Contractors = "contractors" / "Contractors",
        Children = "children" / "Children",
    }
);

named_enum!(
    /// Art. 6(1)'s lawful bases for processing.
    #[serde(rename_all = "snake_case")]
    LegalBasis {
        Consent = "consent" / "Consent",
        Contract = "contract" / "Contract",
        LegalObligation = "legal_obligation" / "Legal obligation",
        VitalInterests = "vital_interests" / "Vital interests",
        PublicTask = "public_task" / "Public task",
        LegitimateInterests = "legitimate_interests" / "Legitimate interests",
    }
);

named_enum!(
    /// Where a system's record stands, worst first: none yet, past its yearly review, within
    /// a month of it, reviewed.
    #[derive(PartialOrd, Ord)]
    #[serde(rename_all = "snake_case")]
    Review {
        NotRecorded = "not_recorded" / "Not recorded",
        Overdue = "overdue" / "Review overdue",
        Due = "due" / "Review due",
        Current = "current" / "Reviewed",
    }
);

/// A record is reviewed once a year, as supervisory authorities expect of an Art. 30 record.
const REVIEW_EVERY: Months = Months::new(12);
/// A review shows as due this long before its day.
const DUE_AHEAD: Days = Days::new(30);

/// The day a record reviewed on `reviewed` is next due for review.
pub fn review_due(reviewed: NaiveDate) -> NaiveDate {
    reviewed.checked_add_months(REVIEW_EVERY).unwrap_or(NaiveDate::MAX)
}

/// Where a record last reviewed on `reviewed` (none: no record) stands on `today`.
pub fn review(reviewed: Option<NaiveDate>, today: NaiveDate) -> Review {
    let Some(reviewed) = reviewed else { return Review::NotRecorded };
    let due = review_due(reviewed);
    if today > due {
        Review::Overdue
    } else if today.checked_add_days(DUE_AHEAD).is_some_and(|ahead| ahead >= due) {
        Review::Due
    } else {
        Review::Current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_record_is_due_a_month_before_its_yearly_review_and_overdue_after_it() {
        let today = day("2026-12-03");
        assert_eq!(review(None, today), Review::NotRecorded);
        assert_eq!(review(Some(day("2026-06-01")), today), Review::Current);
        assert_eq!(review(Some(day("2026-01-03")), today), Review::Current, "due in 31 days");
        assert_eq!(review(Some(day("2026-01-02")), today), Review::Due, "due in 30 days");
        assert_eq!(review(Some(day("2025-12-03")), today), Review::Due, "due today, not yet late");
        assert_eq!(review(Some(day("2025-12-02")), today), Review::Overdue);
        // A review on 29 February falls due on 28 February the next year.
        assert_eq!(review_due(day("2024-02-29")), day("2025-02-28"));
    }

    #[test]
    fn special_categories_are_the_art_9_and_10_ones() {
        let special: Vec<_> = DataCategory::ALL.iter().filter(|c| c.special()).map(|c| c.as_str()).collect();
        assert_eq!(special, ["health", "biometric", "other_special", "criminal"]);
    }
}

//! The report's own rules: the period a report covers.

use crate::budget::model::Month;
use crate::platform::error::AppError;
use chrono::NaiveDate;

/// A period as the report reads it: [from, to) in unix seconds, and its names.
#[derive(Clone, Debug, PartialEq)]
pub struct Period {
    pub from: i64,
    pub to: i64,
    pub label: String,
    pub value: String,
}

impl Period {
    /// "2026-Q3" or "2026-11"; an empty period is refused with a message for the field.
    pub fn parse(text: &str, today: NaiveDate) -> Result<Period, AppError> {
        if text.trim().is_empty() {
            return Err(AppError::field("period", "Choose the period the report covers, such as a quarter."));
        }
        let (from, to, label, value) = crate::infra::service::sla::parse_period(text, today).map_err(|e| AppError::field("period", e.to_string()))?;
        let start_of_today = today.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().timestamp();
        if from > start_of_today {
            return Err(AppError::field("period", format!("{label} has not begun yet.")));
        }
        Ok(Period { from, to, label, value })
    }

    /// The months the period covers.
    pub fn months(&self) -> Vec<Month> {
        let mut out = Vec::new();
        let Some(first) = day(self.from) else { return out };
        let mut m = Month::of(first);
        while m.first_day().and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().timestamp() < self.to {
            out.push(m);
            m = m.next();
        }
        out
    }

    pub fn first_day(&self) -> String {
        day(self.from).map(|d| d.to_string()).unwrap_or_default()
    }

    pub fn last_day(&self) -> String {
        day(self.to - 1).map(|d| d.to_string()).unwrap_or_default()
    }
}

fn day(ts: i64) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp(ts, 0).map(|d| d.date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    #[test]
    fn a_quarter_covers_its_three_months() {
        let p = Period::parse("2026-Q3", today()).unwrap();
        assert_eq!(p.label, "Q3 2026");
        assert_eq!((p.first_day().as_str(), p.last_day().as_str()), ("2026-07-01", "2026-09-30"));
        assert_eq!(p.months().iter().map(|m| m.label()).collect::<Vec<_>>(), ["Jul 2026", "Aug 2026", "Sep 2026"]);
    }

    #[test]
    fn empty_malformed_and_future_periods_are_refused_at_the_field() {
        for (input, says) in [("", "Choose the period"), ("  ", "Choose the period"), ("2026-Q5", "not a period"), ("last quarter", "not a period"), ("2027-Q1", "has not begun")] {
            match Period::parse(input, today()) {
                Err(AppError::Invalid { fields, .. }) => {
                    assert_eq!(fields[0].field, "period");
                    assert!(fields[0].message.contains(says), "{input:?}: {}", fields[0].message);
                }
                other => panic!("{input:?}: {other:?}"),
            }
        }
    }
}

//! The KPI registry's vocabulary: categories, units, directions, aggregations, targets.

use serde::{Deserialize, Serialize};

use crate::platform::named::named_enum;

named_enum!(Category {
    Delivery = "delivery" / "Delivery",
    Reliability = "reliability" / "Reliability",
    Security = "security" / "Security",
    Cost = "cost" / "Cost",
    People = "people" / "People",
    Product = "product" / "Product",
});

named_enum!(Direction {
    Higher = "higher" / "Higher is better",
    Lower = "lower" / "Lower is better",
});

named_enum!(
    /// How bad an incident is. Incidents arrive through the token API and are opened by
    /// people and by the monitor; all three speak this one list.
    Severity {
        Sev1 = "sev1" / "SEV1: critical",
        Sev2 = "sev2" / "SEV2: major",
        Sev3 = "sev3" / "SEV3: minor",
        Sev4 = "sev4" / "SEV4: low",
    }
);

impl Severity {
    /// What the monitor opens when a system of this tier goes down.
    pub fn for_tier(tier: i64) -> Severity {
        match tier {
            1 => Severity::Sev1,
            2 => Severity::Sev2,
            _ => Severity::Sev3,
        }
    }
}

named_enum!(
    /// How the measurements of a period become one value.
    Aggregation {
        Last = "last" / "Last value",
        Sum = "sum" / "Sum",
        Mean = "mean" / "Mean",
        Median = "median" / "Median",
    }
);

named_enum!(
    /// The four DORA metrics, computed from deployment and incident events.
    Computed {
        DeploymentFrequency = "deployment_frequency" / "Deployment frequency",
        LeadTime = "lead_time" / "Lead time for changes",
        ChangeFailureRate = "change_failure_rate" / "Change failure rate",
        TimeToRestore = "time_to_restore" / "Time to restore service",
    }
);

/// A KPI as pages show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Kpi {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub description: String,
    pub formula: String,
    pub category: Category,
    pub unit: super::units::Unit,
    pub direction: Direction,
    pub aggregation: Aggregation,
    pub owner: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub investor_visible: bool,
    pub computed: Option<Computed>,
    /// The part of Northstar that writes this KPI's measurements ("strategy" for a cost per
    /// unit), which then take none by hand, by CSV or by the API.
    pub kept_by: Option<String>,
    /// Bumped by every change to the KPI's data, targets or definition.
    pub version: i64,
}

impl Kpi {
    /// Why this KPI takes no measurements from people or clients, when it takes none.
    pub fn derived(&self) -> Option<String> {
        match (&self.computed, &self.kept_by) {
            (Some(_), _) => Some(format!("{} is computed from deployment and incident events; it takes no measurements by hand.", self.name)),
            (None, Some(_)) => Some(format!(
                "{} is a cost per unit that Northstar computes each month from spending (Strategy → Unit economics); it takes no measurements by hand.",
                self.name
            )),
            (None, None) => None,
        }
    }
}

/// A target with its thresholds, in force from `effective_from` (a UTC date) on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub effective_from: String,
    pub target: f64,
    pub amber: f64,
    pub red: f64,
    pub note: String,
    pub set_by: Option<String>,
}

pub const KEY_MAX: usize = 64;
pub const NAME_MAX: usize = 120;
pub const TEXT_MAX: usize = 2000;
pub const OWNER_MAX: usize = 120;

/// A key is a slug: lower-case letters, digits and single hyphens, as in `lead-time`.
pub fn parse_key(input: &str) -> Result<String, String> {
    let key = input.trim();
    if key.is_empty() {
        return Err("Enter a key, such as lead-time.".into());
    }
    if key.len() < 2 || key.len() > KEY_MAX {
        return Err(format!("A key has 2 to {KEY_MAX} characters."));
    }
    let ok_chars = key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !ok_chars || key.starts_with('-') || key.ends_with('-') || key.contains("--") {
        return Err("Use lower-case letters, digits and single hyphens, as in lead-time.".into());
    }
    if matches!(key, "new" | "dora") {
        return Err(format!("“{key}” is reserved; choose another key."));
    }
    Ok(key.to_string())
}

/// Checks that the thresholds run from the target towards worse: for "higher is better",
/// target ≥ amber ≥ red; for "lower is better", target ≤ amber ≤ red.
pub fn check_thresholds(target: f64, amber: f64, red: f64, direction: Direction) -> Result<(), (&'static str, String)> {
    let ordered = match direction {
        Direction::Higher => target >= amber && amber >= red,
        Direction::Lower => target <= amber && amber <= red,
    };
    if ordered {
        return Ok(());
    }
    let (field, message) = match direction {
        Direction::Higher if amber > target => ("amber", "When higher is better, the amber threshold is at most the target."),
        Direction::Higher => ("red", "When higher is better, the red threshold is at most the amber threshold."),
        Direction::Lower if amber < target => ("amber", "When lower is better, the amber threshold is at least the target."),
        Direction::Lower => ("red", "When lower is better, the red threshold is at least the amber threshold."),
    };
    Err((field, message.to_string()))
}

/// Parses a YYYY-MM-DD date.
pub fn parse_date(input: &str) -> Result<chrono::NaiveDate, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("Enter a date.".into());
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("“{s}” is not a date; use YYYY-MM-DD, such as 2026-01-31."))
}

pub use crate::platform::time::parse_timestamp;

/// Checks a timestamp lies between 1970 and a day from now.
pub fn check_timestamp(ts: i64, now: i64) -> Result<i64, String> {
    crate::platform::time::happened(ts, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        let ok = [
            ("2026-05-01T12:00:00Z", 1_777_636_800),
            ("2026-05-01T14:00:00+02:00", 1_777_636_800),
            ("2026-05-01T12:00:00.250Z", 1_777_636_800),
            ("2026-05-01 12:00:00", 1_777_636_800),
            ("2026-05-01T12:00", 1_777_636_800),
            ("2026-05-01 12:00", 1_777_636_800),
            ("2026-05-01", 1_777_593_600),
            ("1777636800", 1_777_636_800),
        ];
        for (input, want) in ok {
            assert_eq!(parse_timestamp(input), Ok(want), "{input}");
        }
        for bad in ["", "yesterday", "2026-02-30", "2026-13-01T00:00:00Z", "01/05/2026", "2026-05-01T25:00:00Z", "1777636800123456"] {
            assert!(parse_timestamp(bad).is_err(), "{bad:?}");
        }
        let now = 1_777_636_800;
        assert!(check_timestamp(now + 3600, now).is_ok());
        assert!(check_timestamp(now + 2 * 86_400, now).unwrap_err().contains("future"));
        assert!(check_timestamp(-1, now).unwrap_err().contains("1970"));
    }

    #[test]
    fn keys() {
        for ok in ["lead-time", "mttr", "p95-latency-ms", "a1"] {
            assert_eq!(parse_key(ok).as_deref(), Ok(ok));
        }
        for bad in ["", "A", "Lead-Time", "lead time", "-x", "x-", "a--b", "new", "dora", "émoji", &"k".repeat(65)] {
            assert!(parse_key(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn thresholds_run_from_target_towards_worse() {
        use Direction::*;
        let cases = [
            (99.9, 99.5, 99.0, Higher, Ok(())),
            (99.9, 99.9, 99.9, Higher, Ok(())),
            (99.0, 99.5, 98.0, Higher, Err("amber")),
            (99.9, 99.0, 99.5, Higher, Err("red")),
            (24.0, 36.0, 48.0, Lower, Ok(())),
            (24.0, 12.0, 48.0, Lower, Err("amber")),
            (24.0, 36.0, 30.0, Lower, Err("red")),
        ];
        for (t, a, r, d, want) in cases {
            assert_eq!(check_thresholds(t, a, r, d).map_err(|(f, _)| f), want, "{t} {a} {r} {d:?}");
        }
    }

    #[test]
    fn dates() {
        assert!(parse_date("2026-02-28").is_ok());
        for bad in ["2026-02-30", "2026-13-01", "28/02/2026", "", "2026-2-3x"] {
            assert!(parse_date(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(*c));
        }
        for c in Computed::ALL {
            assert_eq!(Computed::parse(c.as_str()), Some(*c));
        }
        assert_eq!(Aggregation::parse("avg"), None);
    }
}

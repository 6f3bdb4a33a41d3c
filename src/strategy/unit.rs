//! Unit economics: a cost per unit is technology cost divided by a business KPI (customers,
//! orders, API calls), one value for each completed month, kept as a KPI with its own target
//! and status. This part is the arithmetic; `service::unit` reads the figures and writes them.

use crate::platform::named::named_enum;

named_enum!(
    #[serde(rename_all = "snake_case")]
    CostBasis {
        Technology = "technology" / "All technology spending",
        Cloud = "cloud" / "Cloud cost",
        System = "system" / "One system's cost",
    }
);

impl CostBasis {
    /// How a month's figure reads in a sentence: "$61,200.00 of cloud cost".
    pub fn noun(self) -> &'static str {
        match self {
            CostBasis::Technology => "technology spending",
            CostBasis::Cloud => "cloud cost",
            CostBasis::System => "system cost",
        }
    }
}

/// The cost may be per one unit, per thousand or per million (an API call costs a fraction of
/// a cent; a thousand of them do not).
pub const PER_UNITS: [(i64, &str); 3] = [(1, "per unit"), (1_000, "per 1,000"), (1_000_000, "per 1,000,000")];

pub fn per_units_label(n: i64) -> &'static str {
    PER_UNITS.iter().find(|(k, _)| *k == n).map(|(_, l)| *l).unwrap_or("per unit")
}

/// A month's cost per unit in minor units (as money KPIs hold their values): `cost` (minor
/// units) × `per_units` / the denominator. None when there is no cost or no positive
/// denominator: a month before anything was spent or counted has no value, rather than zero
/// or infinity.
pub fn per_unit(cost_minor: i64, denominator: Option<f64>, per_units: i64) -> Option<f64> {
    let d = denominator.filter(|d| d.is_finite() && *d > 0.0)?;
    if cost_minor <= 0 {
        return None;
    }
    let value = cost_minor as f64 * per_units as f64 / d;
    // Hundredths of a minor unit: stable figures from run to run, finer than any display.
    value.is_finite().then(|| (value * 100.0).round() / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_per_unit_divides_cost_by_the_month_s_units() {
        // $61,200.00 of cloud cost over 24,000 weekly active users: $2.55 each.
        assert_eq!(per_unit(6_120_000, Some(24_000.0), 1), Some(255.0));
        // $1,234.56 over 3,000,000 API calls: about $0.41 per thousand.
        assert_eq!(per_unit(123_456, Some(3_000_000.0), 1_000), Some(41.15));
        assert_eq!(per_unit(100, Some(3.0), 1), Some(33.33));
    }

    #[test]
    fn a_month_without_cost_or_units_has_no_value() {
        assert_eq!(per_unit(0, Some(10.0), 1), None, "nothing spent yet");
        assert_eq!(per_unit(-500, Some(10.0), 1), None, "credits outweighing charges");
        assert_eq!(per_unit(1_000, None, 1), None, "no measurement that month");
        assert_eq!(per_unit(1_000, Some(0.0), 1), None, "no customers is not infinite cost");
        assert_eq!(per_unit(1_000, Some(-3.0), 1), None);
        assert_eq!(per_unit(1_000, Some(f64::NAN), 1), None);
    }

    #[test]
    fn the_largest_amounts_stay_finite() {
        let v = per_unit(crate::platform::money::MAX_TOTAL, Some(1e-300), 1_000_000);
        assert!(v.is_none_or(f64::is_finite));
    }
}

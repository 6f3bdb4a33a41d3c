//! Red/amber/green status, the change against the previous period, and the sentence that
//! says both at a glance. Pure functions, so every rule is a row in a table of test cases.

use super::model::{Aggregation, Direction};
use crate::platform::named::named_enum;

named_enum!(
    // Declared worst first, so sorting puts red cards first. `Unrated`: there is a value
    // but no target to judge it by.
    #[derive(PartialOrd, Ord)]
    Rag {
        Red = "red" / "Red",
        Amber = "amber" / "Amber",
        Green = "green" / "Green",
        Unrated = "unrated" / "No target",
        NoData = "no-data" / "No data",
    }
);

named_enum!(
    /// The trailing window a status is computed over, compared with the window before it.
    Window {
        Days7 = "7d" / "7 days",
        Days30 = "30d" / "30 days",
        Days90 = "90d" / "90 days",
    }
);

impl Window {
    pub fn days(self) -> i64 {
        match self {
            Window::Days7 => 7,
            Window::Days30 => 30,
            Window::Days90 => 90,
        }
    }
}

/// Reduces a period's values (in time order) to one value.
pub fn aggregate(values: &[f64], how: Aggregation) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    Some(match how {
        Aggregation::Last => values[values.len() - 1],
        Aggregation::Sum => values.iter().sum(),
        Aggregation::Mean => values.iter().sum::<f64>() / values.len() as f64,
        Aggregation::Median => median(values.to_vec()),
    })
}

pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Green while the value is no worse than the amber threshold, red once it reaches the red
/// threshold, amber between the two.
pub fn rag(value: f64, amber: f64, red: f64, direction: Direction) -> Rag {
    let worse = |limit: f64| match direction {
        Direction::Higher => value < limit,
        Direction::Lower => value > limit,
    };
    // Reaching the red threshold is red; when amber and red coincide there is no amber band
    // and the threshold itself still counts as acceptable.
    if worse(red) || (red != amber && value == red) {
        Rag::Red
    } else if worse(amber) {
        Rag::Amber
    } else {
        Rag::Green
    }
}

named_enum!(
    /// The change against the previous window; `Unknown` when it had nothing to compare with.
    Trend {
        Better = "better" / "Better",
        Worse = "worse" / "Worse",
        Unchanged = "unchanged" / "Unchanged",
        Unknown = "unknown" / "Unknown",
    }
);

/// Whether a value meets its target outright.
/// Words for a green value that still misses its target: green runs to the amber threshold,
/// and "Green" alone would tell a reader the target was reached.
pub fn short_of_target(rag: Rag, value: f64, target: f64, direction: Direction) -> Option<String> {
    (rag == Rag::Green && !meets(value, target, direction)).then(|| match direction {
        Direction::Higher => "below target".to_string(),
        Direction::Lower => "above target".to_string(),
    })
}

pub fn meets(value: f64, target: f64, direction: Direction) -> bool {
    match direction {
        Direction::Higher => value >= target,
        Direction::Lower => value <= target,
    }
}

/// Changes under a thousandth of the previous value count as unchanged: noise, not news.
pub fn trend(current: f64, previous: Option<f64>, direction: Direction) -> Trend {
    let Some(previous) = previous else { return Trend::Unknown };
    let tolerance = previous.abs() * 0.001;
    let diff = current - previous;
    if diff.abs() <= tolerance || diff == 0.0 {
        return Trend::Unchanged;
    }
    match (diff > 0.0, direction) {
        (true, Direction::Higher) | (false, Direction::Lower) => Trend::Better,
        _ => Trend::Worse,
    }
}

/// What a card says in one line, e.g.
/// "Lead time for changes 18 h: amber, target at most 12 h, worse than the previous 30 days."
pub struct Sentence<'a> {
    pub name: &'a str,
    pub value: Option<&'a str>,
    /// The date of the value, when it is older than the window (a "last value" KPI measured rarely).
    pub as_of: Option<&'a str>,
    pub rag: Rag,
    pub target: Option<&'a str>,
    /// Whether the value meets the target itself (green can also mean "within tolerance").
    pub target_met: bool,
    pub direction: Direction,
    pub trend: Trend,
    pub window: Window,
}

impl Sentence<'_> {
    pub fn render(&self) -> String {
        let Some(value) = self.value else {
            return format!("{}: no measurements in the last {}.", self.name, self.window.label());
        };
        let mut out = format!("{} {value}", self.name);
        if let Some(date) = self.as_of {
            out.push_str(&format!(" (as of {date})"));
        }
        match self.target {
            Some(target) => {
                let bound = match self.direction {
                    Direction::Higher => "at least",
                    Direction::Lower => "at most",
                };
                if self.rag == Rag::Green && !self.target_met {
                    out.push_str(&format!(": green, within tolerance but short of the target of {bound} {target}"));
                } else {
                    out.push_str(&format!(": {}, target {bound} {target}", self.rag.label().to_lowercase()));
                }
            }
            None => out.push_str(": no target set"),
        }
        let comparison = match self.trend {
            Trend::Better => format!("better than the previous {}", self.window.label()),
            Trend::Worse => format!("worse than the previous {}", self.window.label()),
            Trend::Unchanged => format!("unchanged from the previous {}", self.window.label()),
            Trend::Unknown => "no earlier period to compare".to_string(),
        };
        out.push_str(&format!(", {comparison}."));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Direction::*;

    #[test]
    fn status_against_thresholds() {
        // (value, amber, red, direction, expected)
        let cases = [
            (99.95, 99.9, 99.5, Higher, Rag::Green),
            (99.9, 99.9, 99.5, Higher, Rag::Green),
            (99.7, 99.9, 99.5, Higher, Rag::Amber),
            (99.5, 99.9, 99.5, Higher, Rag::Red),
            (98.0, 99.9, 99.5, Higher, Rag::Red),
            (10.0, 24.0, 48.0, Lower, Rag::Green),
            (24.0, 24.0, 48.0, Lower, Rag::Green),
            (30.0, 24.0, 48.0, Lower, Rag::Amber),
            (48.0, 24.0, 48.0, Lower, Rag::Red),
            (72.0, 24.0, 48.0, Lower, Rag::Red),
            // With amber and red equal there is no amber band.
            (5.0, 5.0, 5.0, Lower, Rag::Green),
            (5.1, 5.0, 5.0, Lower, Rag::Red),
            (4.9, 5.0, 5.0, Higher, Rag::Red),
        ];
        for (v, a, r, d, want) in cases {
            assert_eq!(rag(v, a, r, d), want, "value {v}, amber {a}, red {r}, {d:?}");
        }
    }

    #[test]
    fn aggregation() {
        let v = [3.0, 1.0, 4.0, 1.0, 5.0];
        assert_eq!(aggregate(&v, Aggregation::Last), Some(5.0));
        assert_eq!(aggregate(&v, Aggregation::Sum), Some(14.0));
        assert_eq!(aggregate(&v, Aggregation::Mean), Some(2.8));
        assert_eq!(aggregate(&v, Aggregation::Median), Some(3.0));
        assert_eq!(aggregate(&[1.0, 2.0, 3.0, 10.0], Aggregation::Median), Some(2.5));
        assert_eq!(aggregate(&[], Aggregation::Mean), None);
    }

    #[test]
    fn trends_follow_the_direction() {
        let cases = [
            (20.0, Some(24.0), Lower, Trend::Better),
            (28.0, Some(24.0), Lower, Trend::Worse),
            (99.9, Some(99.5), Higher, Trend::Better),
            (99.0, Some(99.5), Higher, Trend::Worse),
            (100.05, Some(100.0), Higher, Trend::Unchanged),
            (0.0, Some(0.0), Higher, Trend::Unchanged),
            (1.0, Some(0.0), Lower, Trend::Worse),
            (5.0, None, Higher, Trend::Unknown),
        ];
        for (cur, prev, d, want) in cases {
            assert_eq!(trend(cur, prev, d), want, "{cur} vs {prev:?} {d:?}");
        }
    }

    #[test]
    fn sentences() {
        let base = Sentence {
            name: "Lead time for changes",
            value: Some("18 h"),
            as_of: None,
            rag: Rag::Amber,
            target: Some("12 h"),
            target_met: false,
            direction: Lower,
            trend: Trend::Worse,
            window: Window::Days30,
        };
        assert_eq!(base.render(), "Lead time for changes 18 h: amber, target at most 12 h, worse than the previous 30 days.");
        let s = Sentence { value: None, ..base };
        assert_eq!(s.render(), "Lead time for changes: no measurements in the last 30 days.");
        let s = Sentence { name: "Availability", value: Some("99.95 %"), as_of: None, rag: Rag::Green, target: Some("99.9 %"), target_met: true, direction: Higher, trend: Trend::Unknown, window: Window::Days7 };
        assert_eq!(s.render(), "Availability 99.95 %: green, target at least 99.9 %, no earlier period to compare.");
        let tolerated = Sentence { value: Some("99.85 %"), target_met: false, ..s };
        assert_eq!(tolerated.render(), "Availability 99.85 %: green, within tolerance but short of the target of at least 99.9 %, no earlier period to compare.");
        let old = Sentence { name: "eNPS", value: Some("31"), as_of: Some("2026-10-01"), target: Some("30"), ..s };
        assert_eq!(old.render(), "eNPS 31 (as of 2026-10-01): green, target at least 30, no earlier period to compare.");
        let s = Sentence { target: None, rag: Rag::Unrated, trend: Trend::Unchanged, ..s };
        assert_eq!(s.render(), "Availability 99.95 %: no target set, unchanged from the previous 7 days.");
    }

    #[test]
    fn red_sorts_first() {
        let mut v = vec![Rag::Green, Rag::NoData, Rag::Red, Rag::Unrated, Rag::Amber];
        v.sort();
        assert_eq!(v, [Rag::Red, Rag::Amber, Rag::Green, Rag::Unrated, Rag::NoData]);
    }
}

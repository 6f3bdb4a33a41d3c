//! Units of measure: how a value is read from text and written for people.

use crate::platform::money::Currency;
use crate::platform::named::named_enum;

named_enum!(Unit {
    Count = "count" / "Count",
    Percent = "percent" / "Percent (%)",
    Milliseconds = "ms" / "Milliseconds (ms)",
    Seconds = "seconds" / "Seconds (s)",
    Minutes = "minutes" / "Minutes (min)",
    Hours = "hours" / "Hours (h)",
    Days = "days" / "Days (d)",
    PerDay = "per_day" / "Per day",
    Money = "money" / "Money (base currency)",
    Ratio = "ratio" / "Ratio",
    Score = "score" / "Score",
});

impl Unit {
    fn suffix(self) -> &'static str {
        match self {
            Unit::Percent => " %",
            Unit::Milliseconds => " ms",
            Unit::Seconds => " s",
            Unit::Minutes => " min",
            Unit::Hours => " h",
            Unit::Days => " d",
            Unit::PerDay => "/day",
            Unit::Count | Unit::Money | Unit::Ratio | Unit::Score => "",
        }
    }

    /// Reads a value as typed or found in a file. Money is read as an exact amount and held
    /// as integer minor units; everything else must be a finite decimal number.
    pub fn parse_value(self, input: &str, currency: Currency) -> Result<f64, String> {
        let s = input.trim();
        if s.is_empty() {
            return Err("Enter a value.".into());
        }
        if self == Unit::Money {
            return currency.parse(s).map(|minor| minor as f64);
        }
        let s = match self {
            Unit::Percent => s.strip_suffix('%').unwrap_or(s).trim_end(),
            _ => s,
        };
        let plain = s.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
        let value: f64 = match s.parse() {
            Ok(v) if plain => v,
            _ => return Err(format!("“{input}” is not a number; write it like 12.5 (a point for decimals, no thousands separators).")),
        };
        if !value.is_finite() {
            return Err(format!("“{input}” is too large a number."));
        }
        if matches!(self, Unit::Count | Unit::Milliseconds | Unit::Seconds | Unit::Minutes | Unit::Hours | Unit::Days | Unit::PerDay)
            && value < 0.0
        {
            return Err(format!("A value in {} cannot be negative.", self.label().to_lowercase()));
        }
        Ok(value)
    }

    /// "18.5 h", "99.95 %", "$4.12", "1,204".
    pub fn format(self, value: f64, currency: Currency) -> String {
        if self == Unit::Money {
            return currency.format(value.round() as i64);
        }
        let text = match self {
            // Availability-style percentages live just under 100, where every decimal matters.
            Unit::Percent if value.abs() >= 90.0 => format_decimals(value, 3),
            _ => format_number(value),
        };
        format!("{text}{}", self.suffix())
    }

    /// The value as plain text for a form field or a CSV file, without grouping.
    pub fn plain(self, value: f64, currency: Currency) -> String {
        if self == Unit::Money {
            return currency.plain(value.round() as i64);
        }
        let text = format!("{value}");
        if text.contains('e') { format!("{value:.6}") } else { text }
    }
}

/// Rounds to a precision that suits the magnitude and groups thousands: 1,204; 18.5; 0.042.
pub fn format_number(value: f64) -> String {
    let abs = value.abs();
    let decimals = if abs >= 100.0 {
        0
    } else if abs >= 10.0 {
        1
    } else if abs >= 0.1 || abs == 0.0 {
        2
    } else {
        3
    };
    format_decimals(value, decimals)
}

/// At most `decimals` decimals, trailing zeros dropped, thousands grouped.
pub fn format_decimals(value: f64, decimals: usize) -> String {
    let abs = value.abs();
    let text = format!("{abs:.decimals$}");
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let frac = frac.trim_end_matches('0');
    let whole = crate::platform::money::group_thousands(whole.parse().unwrap_or(0));
    let sign = if value < 0.0 && text.trim_matches(['0', '.']).len() > 0 { "-" } else { "" };
    if frac.is_empty() { format!("{sign}{whole}") } else { format!("{sign}{whole}.{frac}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    const USD: Currency = crate::platform::money::CURRENCIES[0];

    #[test]
    fn numbers_are_formatted_for_their_size() {
        let cases = [
            (0.0, "0"),
            (1204.4, "1,204"),
            (18.46, "18.5"),
            (99.95, "100"),
            (9.996, "10"),
            (4.1, "4.1"),
            (0.0423, "0.042"),
            (-3.5, "-3.5"),
            (-0.0001, "0"),
        ];
        for (v, want) in cases {
            assert_eq!(format_number(v), want, "{v}");
        }
        assert_eq!(Unit::Percent.format(99.5, USD), "99.5 %");
        assert_eq!(Unit::Percent.format(99.95, USD), "99.95 %");
        assert_eq!(Unit::Percent.format(99.9994, USD), "99.999 %");
        assert_eq!(Unit::Percent.format(12.34, USD), "12.3 %");
        assert_eq!(Unit::Hours.format(18.0, USD), "18 h");
        assert_eq!(Unit::Money.format(412.0, USD), "$4.12");
        assert_eq!(Unit::PerDay.format(4.25, USD), "4.25/day");
    }

    #[test]
    fn values_are_read_strictly() {
        assert_eq!(Unit::Count.parse_value(" 42 ", USD), Ok(42.0));
        assert_eq!(Unit::Percent.parse_value("99.9%", USD), Ok(99.9));
        assert_eq!(Unit::Ratio.parse_value("-0.5", USD), Ok(-0.5));
        assert_eq!(Unit::Money.parse_value("4.12", USD), Ok(412.0));
        assert_eq!(Unit::Score.parse_value("1e3", USD), Ok(1000.0));
        let refused = [
            (Unit::Count, "", "Enter a value."),
            (Unit::Count, "abc", "not a number"),
            (Unit::Count, "NaN", "not a number"),
            (Unit::Count, "inf", "not a number"),
            (Unit::Count, "1e400", "too large"),
            (Unit::Count, "1,234", "not a number"),
            (Unit::Hours, "-1", "cannot be negative"),
            (Unit::Money, "4.123", "at most 2 decimals"),
        ];
        for (unit, input, fragment) in refused {
            let err = unit.parse_value(input, USD).unwrap_err();
            assert!(err.contains(fragment), "{unit:?} {input:?}: {err}");
        }
    }

    #[test]
    fn plain_text_round_trips() {
        for (unit, v) in [(Unit::Money, 123456.0), (Unit::Money, -5.0), (Unit::Percent, 99.95), (Unit::Count, 3.0)] {
            let text = unit.plain(v, USD);
            assert_eq!(unit.parse_value(&text, USD), Ok(v), "{text}");
        }
    }

    #[test]
    fn names_round_trip() {
        for &u in Unit::ALL {
            assert_eq!(Unit::parse(u.as_str()), Some(u));
        }
    }
}

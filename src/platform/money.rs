//! Money: integer minor units in one configured base currency. Never floating point.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Currency {
    pub code: &'static str,
    pub symbol: &'static str,
    /// Digits after the decimal point: 2 for cents, 0 for yen.
    pub minor_digits: u8,
    /// Whether the symbol follows the amount ("1 234,50 kr" style is not used; only placement).
    pub symbol_after: bool,
}

pub const CURRENCIES: &[Currency] = &[
    Currency { code: "USD", symbol: "$", minor_digits: 2, symbol_after: false },
    Currency { code: "EUR", symbol: "€", minor_digits: 2, symbol_after: false },
    Currency { code: "GBP", symbol: "£", minor_digits: 2, symbol_after: false },
    Currency { code: "CHF", symbol: "CHF ", minor_digits: 2, symbol_after: false },
    Currency { code: "CAD", symbol: "CA$", minor_digits: 2, symbol_after: false },
    Currency { code: "AUD", symbol: "A$", minor_digits: 2, symbol_after: false },
    Currency { code: "NZD", symbol: "NZ$", minor_digits: 2, symbol_after: false },
    Currency { code: "SEK", symbol: " kr", minor_digits: 2, symbol_after: true },
    Currency { code: "NOK", symbol: " kr", minor_digits: 2, symbol_after: true },
    Currency { code: "DKK", symbol: " kr", minor_digits: 2, symbol_after: true },
    Currency { code: "PLN", symbol: " zł", minor_digits: 2, symbol_after: true },
    Currency { code: "INR", symbol: "₹", minor_digits: 2, symbol_after: false },
    Currency { code: "SGD", symbol: "S$", minor_digits: 2, symbol_after: false },
    Currency { code: "JPY", symbol: "¥", minor_digits: 0, symbol_after: false },
    Currency { code: "KRW", symbol: "₩", minor_digits: 0, symbol_after: false },
];

impl Currency {
    pub fn by_code(code: &str) -> Option<Currency> {
        CURRENCIES.iter().copied().find(|c| c.code.eq_ignore_ascii_case(code.trim()))
    }

    pub fn usd() -> Currency {
        CURRENCIES[0]
    }

    fn scale(self) -> i64 {
        10_i64.pow(self.minor_digits as u32)
    }

    /// "$1,234.56", "-$12.00", "¥1,500", "1,234.56 kr".
    pub fn format(self, minor: i64) -> String {
        let negative = minor < 0;
        let abs = minor.unsigned_abs();
        let scale = self.scale() as u64;
        let whole = group_thousands(abs / scale);
        let number = if self.minor_digits == 0 {
            whole
        } else {
            format!("{whole}.{:0width$}", abs % scale, width = self.minor_digits as usize)
        };
        let sign = if negative { "-" } else { "" };
        if self.symbol_after {
            format!("{sign}{number}{}", self.symbol)
        } else {
            format!("{sign}{}{number}", self.symbol)
        }
    }

    /// The amount as a form or file would hold it: "-1234.50", no symbol, no grouping.
    pub fn plain(self, minor: i64) -> String {
        if self.minor_digits == 0 {
            return minor.to_string();
        }
        let scale = self.scale();
        let sign = if minor < 0 { "-" } else { "" };
        format!("{sign}{}.{:0w$}", minor.unsigned_abs() / scale as u64, minor.unsigned_abs() % scale as u64, w = self.minor_digits as usize)
    }

    /// Like `format`, without the minor units when they are zero: for axes and summaries.
    pub fn format_short(self, minor: i64) -> String {
        if minor % self.scale() == 0 {
            let whole = Currency { minor_digits: 0, ..self };
            whole.format(minor / self.scale())
        } else {
            self.format(minor)
        }
    }

    /// Rounded to whole units (half away from zero), for tables dense with figures: "$445,616".
    pub fn format_whole(self, minor: i64) -> String {
        let scale = self.scale();
        let whole = (i128::from(minor) + i128::from(minor.signum()) * i128::from(scale / 2)) / i128::from(scale);
        Currency { minor_digits: 0, ..self }.format(whole as i64)
    }

    /// Parses an amount typed by a person or found in a file: "1234.5", "1,234.50", "$1,234",
    /// "-12". Refuses more decimals than the currency has, and amounts beyond ±9e15 minor units.
    pub fn parse(self, input: &str) -> Result<i64, String> {
        let mut s = input.trim();
        if s.is_empty() {
            return Err("Enter an amount.".into());
        }
        let negative = s.starts_with('-');
        if negative || s.starts_with('+') {
            s = s[1..].trim_start();
        }
        let symbol = self.symbol.trim();
        s = s.strip_prefix(symbol).or_else(|| s.strip_suffix(symbol)).unwrap_or(s).trim();
        s = s.strip_prefix(self.code).or_else(|| s.strip_suffix(self.code)).unwrap_or(s).trim();
        let (whole, frac) = match s.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (s, None),
        };
        let whole = parse_grouped(whole).ok_or_else(|| format!("“{input}” is not an amount; write it like 1234.50."))?;
        let frac_digits = frac.unwrap_or("");
        if !frac_digits.chars().all(|c| c.is_ascii_digit()) || (frac.is_some() && frac_digits.is_empty()) {
            return Err(format!("“{input}” is not an amount; write it like 1234.50."));
        }
        if frac_digits.len() > self.minor_digits as usize {
            return Err(match self.minor_digits {
                0 => format!("{} amounts have no decimals.", self.code),
                n => format!("{} amounts have at most {n} decimals.", self.code),
            });
        }
        let frac_value: i64 = if frac_digits.is_empty() {
            0
        } else {
            let padded = format!("{frac_digits:0<width$}", width = self.minor_digits as usize);
            padded.parse().map_err(|_| format!("“{input}” is not an amount."))?
        };
        let too_large = || format!("“{input}” is too large an amount.");
        let minor = whole.checked_mul(self.scale()).and_then(|v| v.checked_add(frac_value)).ok_or_else(too_large)?;
        if minor > MAX_MINOR {
            return Err(too_large());
        }
        Ok(if negative { -minor } else { minor })
    }
}

/// The largest single amount: 90 billion in a two-decimal currency. Every amount is exact
/// when a chart turns it into f64.
pub const MAX_MINOR: i64 = 9_000_000_000_000;

/// The most all recorded spending together may reach: 90 trillion in a two-decimal currency,
/// a thousand times the largest amount. Writes that would pass it are refused, so every sum
/// the pages make (of any subset of it, over any months) fits an i64 with room to spare and
/// stays exact in f64 (below 2^53).
pub const MAX_TOTAL: i64 = 9_000_000_000_000_000;

/// The sum of amounts, added in 128 bits so no order of adding can overflow; a result beyond
/// i64 (which `MAX_TOTAL` keeps out of the database) saturates instead of wrapping.
pub fn sum<I: IntoIterator<Item = i64>>(amounts: I) -> i64 {
    let total: i128 = amounts.into_iter().map(i128::from).sum();
    total.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

fn parse_grouped(s: &str) -> Option<i64> {
    if s.is_empty() {
        return Some(0);
    }
    let grouped = s.contains(',');
    if grouped {
        let mut parts = s.split(',');
        let first = parts.next()?;
        if first.is_empty() || first.len() > 3 || !parts.clone().all(|p| p.len() == 3) {
            return None;
        }
    }
    let digits: String = s.chars().filter(|c| *c != ',').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().or(Some(i64::MAX))
}

pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::usd()
    }

    #[test]
    fn formatting() {
        let jpy = Currency::by_code("jpy").unwrap();
        let sek = Currency::by_code("SEK").unwrap();
        let cases = [
            (usd(), 0, "$0.00"),
            (usd(), 5, "$0.05"),
            (usd(), 123456, "$1,234.56"),
            (usd(), -1200, "-$12.00"),
            (usd(), 100_000_000_00, "$100,000,000.00"),
            (jpy, 1500, "¥1,500"),
            (sek, 123450, "1,234.50 kr"),
        ];
        for (cur, minor, want) in cases {
            assert_eq!(cur.format(minor), want);
        }
        assert_eq!(usd().format_short(120000), "$1,200");
        assert_eq!(usd().format_short(120050), "$1,200.50");
        assert_eq!(usd().format_whole(44_561_593), "$445,616");
        assert_eq!(usd().format_whole(149), "$1");
        assert_eq!(usd().format_whole(-150), "-$2");
        assert_eq!(jpy.format_whole(1500), "¥1,500");
    }

    #[test]
    fn parsing() {
        let ok = [
            ("1234.5", 123450),
            ("1,234.50", 123450),
            ("$1,234", 123400),
            (" 12 ", 1200),
            ("-12.34", -1234),
            ("0.05", 5),
            (".5", 50),
            ("1234567", 123456700),
            ("USD 10", 1000),
        ];
        for (input, want) in ok {
            assert_eq!(usd().parse(input), Ok(want), "{input:?}");
        }
        let jpy = Currency::by_code("JPY").unwrap();
        assert_eq!(jpy.parse("1,500"), Ok(1500));
        assert_eq!(jpy.parse("15.5").unwrap_err(), "JPY amounts have no decimals.");
    }

    #[test]
    fn refusals_say_why() {
        let cases = [
            ("", "Enter an amount."),
            ("abc", "not an amount"),
            ("12.345", "at most 2 decimals"),
            ("1,23", "not an amount"),
            ("12.", "not an amount"),
            ("1e5", "not an amount"),
            ("NaN", "not an amount"),
            ("99999999999999999999", "too large"),
            ("90000000000000000", "too large"),
        ];
        for (input, fragment) in cases {
            let err = usd().parse(input).unwrap_err();
            assert!(err.contains(fragment), "{input:?}: {err}");
        }
    }

    #[test]
    fn sums_never_overflow() {
        assert_eq!(sum([MAX_MINOR; 3]), 3 * MAX_MINOR);
        assert_eq!(sum([i64::MAX, 1]), i64::MAX);
        assert_eq!(sum([i64::MIN, -1]), i64::MIN);
        assert_eq!(sum([i64::MAX, i64::MAX, i64::MIN, i64::MIN]), -2);
        assert_eq!(sum(std::iter::repeat_n(MAX_MINOR, 1_000)), MAX_TOTAL);
        assert_eq!((MAX_TOTAL as f64) as i64, MAX_TOTAL, "totals stay exact in f64");
    }

    #[test]
    fn max_amount_is_exact_in_f64() {
        assert_eq!((MAX_MINOR as f64) as i64, MAX_MINOR);
        assert!(usd().parse("90000000000.00").is_ok());
        assert!(usd().parse("90000000000.01").unwrap_err().contains("too large"));
    }
}

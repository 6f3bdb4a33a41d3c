//! Moments as the whole app counts and shows them (UTC seconds), and the range every stored
//! moment must lie in.
//!
//! A time outside it is never a real record: before 1970 nothing of a company's technology was
//! measured, and more than a day ahead of the server's clock is a typo or an attack. Checking
//! at every door also bounds the work a time can cause (the DORA figures are recomputed day by
//! day between the times a write touches, and `i64::MIN` seconds would overflow arithmetic).

/// Seconds in an hour.
pub const HOUR: i64 = 3_600;
/// Seconds in a day.
pub const DAY: i64 = 24 * HOUR;
/// The earliest moment accepted: 1970-01-01T00:00:00Z.
pub const EARLIEST: i64 = 0;
/// How far past the server's clock a record of something that happened may lie, for clocks
/// that disagree and time zones entered loosely.
pub const SKEW: i64 = DAY;
/// How far ahead a planned event (a maintenance window) may be scheduled.
pub const HORIZON: i64 = 2 * 366 * DAY;

/// A moment that has happened: between 1970 and a day from now.
pub fn happened(ts: i64, now: i64) -> Result<i64, String> {
    within(ts, now.saturating_add(SKEW), "That time is in the future; only what has happened can be recorded.")
}

/// Reads a moment in time: RFC 3339 ("2026-05-01T12:00:00Z", any offset), a date and time
/// without offset (taken as UTC, as `datetime-local` fields send it), a bare date (midnight
/// UTC), or unix seconds.
pub fn parse_timestamp(input: &str) -> Result<i64, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("Enter a date and time.".into());
    }
    if !s.is_empty() && s.len() <= 12 && s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse::<i64>().map_err(|_| format!("“{s}” is not a time."));
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(dt.timestamp());
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(s, format) {
            return Ok(dt.and_utc().timestamp());
        }
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).map(|dt| dt.and_utc().timestamp()).unwrap_or(0));
    }
    Err(format!("“{s}” is not a valid date and time; use ISO 8601, such as 2026-05-01T12:00:00Z or 2026-05-01."))
}

/// A moment that may be planned ahead: between 1970 and two years from now.
pub fn planned(ts: i64, now: i64) -> Result<i64, String> {
    within(ts, now.saturating_add(HORIZON), "That time is more than two years ahead.")
}

fn within(ts: i64, latest: i64, too_late: &str) -> Result<i64, String> {
    if ts < EARLIEST {
        Err("Times before 1970 are not accepted.".into())
    } else if ts > latest {
        Err(too_late.into())
    } else {
        Ok(ts)
    }
}

/// A moment as forms and tables show it: `2026-11-30 14:05`.
pub fn minute(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0).map(|d| d.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()
}

/// A moment with its zone said, as the infrastructure pages show it: `2026-11-30 14:05 UTC`.
pub fn minute_utc(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0).map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_default()
}

/// Today's date in UTC, by the server's clock.
#[cfg(feature = "ssr")]
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// The UTC date of the unix time `ts` (1970-01-01 for one out of range).
pub fn date_of(ts: i64) -> chrono::NaiveDate {
    chrono::DateTime::from_timestamp(ts, 0).map(|d| d.date_naive()).unwrap_or_default()
}

/// The unix time of the UTC midnight that starts `day`.
pub fn midnight(day: chrono::NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or_default()
}

/// The start (UTC midnight) of the day `ts` falls in.
pub fn day_start(ts: i64) -> i64 {
    ts - ts.rem_euclid(DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_777_636_800;

    #[test]
    fn the_limits_are_inclusive_and_extremes_are_refused() {
        assert_eq!(happened(0, NOW), Ok(0));
        assert_eq!(happened(NOW + SKEW, NOW), Ok(NOW + SKEW));
        for bad in [-1, i64::MIN, NOW + SKEW + 1, i64::MAX] {
            assert!(happened(bad, NOW).is_err(), "{bad}");
        }
        assert_eq!(planned(NOW + HORIZON, NOW), Ok(NOW + HORIZON));
        for bad in [-1, i64::MIN, NOW + HORIZON + 1, i64::MAX] {
            assert!(planned(bad, NOW).is_err(), "{bad}");
        }
        // A clock at the far end of i64 does not overflow the bound.
        assert!(happened(i64::MAX, i64::MAX).is_ok());
    }
}

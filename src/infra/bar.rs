//! The 90-day bar of the status board as data: a run of alike quiet days is one cell, a day
//! worth a look is its own. The page draws it as SVG, so the figures travel once, compactly,
//! rather than as markup in the page and again in the data it hydrates from.

use serde::{Deserialize, Serialize};
use crate::platform::named::named_enum;
use crate::platform::time::DAY;

named_enum!(
    /// One day of a 90-day bar. `NoData`: not watched at all that day; `Maintenance`: all the
    /// available day; `Minor`: some downtime or degraded time, still within the SLO for the
    /// day; `Major`: below the SLO for the day.
    DayMark {
        NoData = "none" / "No data",
        Ok = "ok" / "Operational",
        Maintenance = "maintenance" / "Maintenance",
        Minor = "minor" / "Minor issues",
        Major = "major" / "Below SLO",
    }
);


/// One cell: its mark, how many days it spans, and for a single remarkable day its uptime (in
/// millionths), downtime, degraded and maintenance seconds. A tuple, so it serializes as a
/// short array.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BarCell(pub DayMark, pub u16, pub Option<u32>, pub u32, pub u32, pub u32);

/// Travels as one short text, such as `1788134400|o30|x1,958333,3600,0,0|o59`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct DayBar {
    /// The first day's start, unix seconds (a UTC midnight).
    pub first: i64,
    pub cells: Vec<BarCell>,
}

impl DayMark {
    fn code(self) -> char {
        match self {
            DayMark::NoData => 'n',
            DayMark::Maintenance => 'm',
            DayMark::Ok => 'o',
            DayMark::Minor => 'i',
            DayMark::Major => 'x',
        }
    }

    fn from_code(c: char) -> Option<DayMark> {
        DayMark::ALL.iter().copied().find(|m| m.code() == c)
    }
}

impl From<DayBar> for String {
    fn from(b: DayBar) -> String {
        let mut out = b.first.to_string();
        for BarCell(mark, len, up, down, degraded, maint) in b.cells {
            out.push('|');
            out.push(mark.code());
            out.push_str(&len.to_string());
            if let Some(up) = up {
                out.push_str(&format!(",{up},{down},{degraded},{maint}"));
            }
        }
        out
    }
}

impl TryFrom<String> for DayBar {
    type Error = String;

    fn try_from(text: String) -> Result<DayBar, String> {
        let bad = || format!("not a day bar: {text:?}");
        let mut parts = text.split('|');
        let first = parts.next().and_then(|f| f.parse().ok()).ok_or_else(bad)?;
        let mut cells = Vec::new();
        for part in parts {
            let mark = part.chars().next().and_then(DayMark::from_code).ok_or_else(bad)?;
            let mut nums = part[1..].split(',').map(|n| n.parse::<u32>().map_err(|_| bad()));
            let len = nums.next().ok_or_else(bad)?? as u16;
            let rest: Vec<u32> = nums.collect::<Result<_, _>>()?;
            cells.push(match rest.as_slice() {
                [] => BarCell(mark, len, None, 0, 0, 0),
                [up, down, degraded, maint] => BarCell(mark, len, Some(*up), *down, *degraded, *maint),
                _ => return Err(bad()),
            });
        }
        Ok(DayBar { first, cells })
    }
}

/// "05 Jan": built by hand, as a board formats thousands of these.
fn day_text(day: i64) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let days = day.div_euclid(DAY) + 719_163;
    match chrono::NaiveDate::from_num_days_from_ce_opt(days as i32) {
        Some(d) => format!("{:02} {}", d.day(), MONTHS[d.month0() as usize]),
        None => String::new(),
    }
}

impl DayBar {
    /// Each cell with its first day and the words a hover shows.
    pub fn titled(&self) -> Vec<(usize, BarCell, String)> {
        let mut day = 0usize;
        self.cells
            .iter()
            .map(|&c| {
                let start = self.first + day as i64 * DAY;
                let BarCell(mark, len, up, down, degraded, maint) = c;
                let span = if len <= 1 { day_text(start) } else { format!("{} to {}", day_text(start), day_text(start + (len as i64 - 1) * DAY)) };
                let title = match mark {
                    DayMark::Ok => format!("{span}: no downtime"),
                    DayMark::NoData => format!("{span}: no data"),
                    DayMark::Maintenance if down == 0 => format!("{span}: maintenance for {}", human_duration(maint as f64)),
                    _ => {
                        let mut t = format!("{span}: {} up", up.map(|u| percent(u as f64 / 1e6)).unwrap_or_else(|| "—".into()));
                        for (secs, what) in [(down, "down"), (degraded, "degraded"), (maint, "maintenance")] {
                            if secs > 0 {
                                t.push_str(&format!(", {} {what}", human_duration(secs as f64)));
                            }
                        }
                        t
                    }
                };
                let at = day;
                day += len as usize;
                (at, c, title)
            })
            .collect()
    }
}

/// "3 h 20 min", "45 s": durations as people read them.
pub fn human_duration(secs: f64) -> String {
    let s = secs.round() as i64;
    match s {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min", (s as f64 / 60.0).round() as i64),
        s if s < DAY => {
            let (h, m) = (s / 3600, (s % 3600 + 30) / 60);
            if m == 0 || m == 60 { format!("{} h", h + m / 60) } else { format!("{h} h {m} min") }
        }
        s => {
            let (d, h) = (s / DAY, (s % DAY + 1800) / 3600);
            if h == 0 || h == 24 { format!("{} d", d + h / 24) } else { format!("{d} d {h} h") }
        }
    }
}

/// An uptime ratio as a percent with enough decimals to tell 99.9 from 99.99.
pub fn percent(ratio: f64) -> String {
    let p = ratio * 100.0;
    if p >= 99.995 && p < 100.0 {
        // Rounding would claim a perfect 100.00 % for a period that had downtime.
        return "99.99 %".into();
    }
    format!("{p:.2} %")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_percents_read_well() {
        assert_eq!(human_duration(45.0), "45 s");
        assert_eq!(human_duration(2700.0), "45 min");
        assert_eq!(human_duration(12_000.0), "3 h 20 min");
        assert_eq!(human_duration(7200.0), "2 h");
        assert_eq!(human_duration(90_000.0), "1 d 1 h");
        assert_eq!(percent(0.99912), "99.91 %");
        assert_eq!(percent(0.999_999), "99.99 %");
        assert_eq!(percent(1.0), "100.00 %");
    }

    #[test]
    fn bars_travel_as_short_text() {
        let bar = DayBar { first: 86_400, cells: vec![BarCell(DayMark::Ok, 30, None, 0, 0, 0), BarCell(DayMark::Major, 1, Some(958_333), 3600, 0, 0)] };
        let text = serde_json::to_string(&bar).unwrap();
        assert_eq!(text, "\"86400|o30|x1,958333,3600,0,0\"");
        assert_eq!(serde_json::from_str::<DayBar>(&text).unwrap(), bar);
        assert!(serde_json::from_str::<DayBar>("\"86400|q3\"").is_err());
    }

    #[test]
    fn cells_read_as_days() {
        let bar = DayBar { first: 0, cells: vec![BarCell(DayMark::Ok, 4, None, 0, 0, 0), BarCell(DayMark::Major, 1, Some(958_333), 3600, 0, 0), BarCell(DayMark::Maintenance, 1, Some(1_000_000), 0, 0, 7200)] };
        let t = bar.titled();
        assert_eq!(t[0].2, "01 Jan to 04 Jan: no downtime");
        assert_eq!((t[1].0, t[1].2.as_str()), (4, "05 Jan: 95.83 % up, 1 h down"));
        assert_eq!(t[2].2, "06 Jan: maintenance for 2 h");
    }
}

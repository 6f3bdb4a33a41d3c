//! Uptime arithmetic over status spans: pure functions, so the rules have table tests.
//!
//! A period's uptime is `(available - unplanned downtime) / available`, where `available` is
//! the period less its maintenance windows and less any time the system was not watched yet
//! (no data). Downtime inside a maintenance window is planned and counts against nothing.
//! Degraded time is not downtime: the system answered, only slowly or partly.

use super::model::Status;
use crate::platform::time::DAY;
pub use super::bar::{human_duration, percent, DayMark};

/// Half-open [from, to) in unix seconds.
pub type Span = (i64, i64);

/// A stretch of one status.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Segment {
    pub from: i64,
    pub to: i64,
    pub status: Status,
}

/// The status segments covering [from, to): `initial` holds until the first change.
/// `changes` must be sorted by time; those outside the period only set the starting status.
pub fn segments(initial: Status, changes: &[(i64, Status)], from: i64, to: i64) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut current = initial;
    let mut at = from;
    for &(t, status) in changes {
        if t <= from {
            current = status;
            continue;
        }
        if t >= to {
            break;
        }
        if status != current {
            out.push(Segment { from: at, to: t, status: current });
            at = t;
            current = status;
        }
    }
    if at < to {
        out.push(Segment { from: at, to, status: current });
    }
    out
}

/// Sorts and merges overlapping spans, dropping empty ones.
pub fn merge(mut spans: Vec<Span>) -> Vec<Span> {
    spans.retain(|(a, b)| b > a);
    spans.sort_unstable();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for (a, b) in spans {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

pub fn length(spans: &[Span]) -> i64 {
    spans.iter().map(|(a, b)| b - a).sum()
}

/// Total length of `a` not covered by `b`; both merged.
pub fn length_outside(a: &[Span], b: &[Span]) -> i64 {
    let mut total = 0;
    for &(start, end) in a {
        let mut covered = 0;
        for &(c, d) in b {
            let (lo, hi) = (start.max(c), end.min(d));
            if hi > lo {
                covered += hi - lo;
            }
        }
        total += end - start - covered;
    }
    total
}

fn clip(spans: &[Span], from: i64, to: i64) -> Vec<Span> {
    spans.iter().filter_map(|&(a, b)| (b > from && a < to).then_some((a.max(from), b.min(to)))).collect()
}

/// The parts of one period, in seconds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Uptime {
    pub period: i64,
    pub maintenance: i64,
    /// Not watched yet, outside maintenance.
    pub unknown: i64,
    /// Down outside maintenance.
    pub downtime: i64,
    pub degraded: i64,
}

impl Uptime {
    /// `maintenance` must be merged (see `merge`).
    pub fn compute(segments: &[Segment], maintenance: &[Span], from: i64, to: i64) -> Uptime {
        let maint = clip(maintenance, from, to);
        let of = |status: Status| -> Vec<Span> {
            segments.iter().filter(|s| s.status == status && s.to > from && s.from < to).map(|s| (s.from.max(from), s.to.min(to))).collect()
        };
        Uptime {
            period: to - from,
            maintenance: length(&maint),
            unknown: length_outside(&of(Status::Unknown), &maint),
            downtime: length_outside(&of(Status::Down), &maint),
            degraded: length_outside(&of(Status::Degraded), &maint),
        }
    }

    pub fn available(&self) -> i64 {
        self.period - self.maintenance - self.unknown
    }

    /// The fraction of available time the system was up; none when nothing was available.
    pub fn ratio(&self) -> Option<f64> {
        let avail = self.available();
        (avail > 0).then(|| (avail - self.downtime) as f64 / avail as f64)
    }

    pub fn add(&mut self, other: &Uptime) {
        self.period += other.period;
        self.maintenance += other.maintenance;
        self.unknown += other.unknown;
        self.downtime += other.downtime;
        self.degraded += other.degraded;
    }
}

/// How much of an SLO's allowance for downtime a period used.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ErrorBudget {
    pub allowed_secs: f64,
    pub used_secs: i64,
    /// Percent of the allowance used; over 100 when the SLO was missed.
    pub used_pct: Option<f64>,
}

pub fn error_budget(u: &Uptime, slo_pct: f64) -> ErrorBudget {
    let allowed = (1.0 - slo_pct / 100.0) * u.available().max(0) as f64;
    let used_pct = (allowed > 0.0).then(|| u.downtime as f64 / allowed * 100.0);
    ErrorBudget { allowed_secs: allowed, used_secs: u.downtime, used_pct }
}

/// Downtime outranks maintenance, which outranks slowness: a day shows its worst.
pub fn day_mark(u: &Uptime, slo_pct: f64) -> DayMark {
    match u.ratio() {
        None if u.maintenance > 0 => DayMark::Maintenance,
        None => DayMark::NoData,
        Some(r) if r * 100.0 < slo_pct => DayMark::Major,
        Some(_) if u.downtime > 0 => DayMark::Minor,
        Some(_) if u.maintenance > 0 => DayMark::Maintenance,
        Some(_) if u.degraded > 0 => DayMark::Minor,
        Some(_) => DayMark::Ok,
    }
}

/// Each day's figures from `first_day` (a UTC midnight) up to `to`, the last day cut at `to`,
/// in one pass over the segments: the same figures as `Uptime::compute` day by day, without
/// rescanning every segment for every day.
pub fn daily(segments: &[Segment], maintenance: &[Span], first_day: i64, to: i64) -> Vec<Uptime> {
    let n = ((to - first_day).max(0) + DAY - 1) / DAY;
    let mut out: Vec<Uptime> = (0..n).map(|d| Uptime { period: (to - (first_day + d * DAY)).min(DAY), ..Default::default() }).collect();
    // Adds `len` seconds of [a, b) to each day it touches, through `field`.
    let mut spread = |a: i64, b: i64, field: fn(&mut Uptime) -> &mut i64| {
        let (a, b) = (a.max(first_day), b.min(to));
        let mut t = a;
        while t < b {
            let d = (t - first_day) / DAY;
            let end = (first_day + (d + 1) * DAY).min(b);
            *field(&mut out[d as usize]) += end - t;
            t = end;
        }
    };
    for &(a, b) in maintenance {
        spread(a, b, |u| &mut u.maintenance);
    }
    for seg in segments {
        let field: fn(&mut Uptime) -> &mut i64 = match seg.status {
            Status::Down => |u| &mut u.downtime,
            Status::Degraded => |u| &mut u.degraded,
            Status::Unknown => |u| &mut u.unknown,
            _ => continue,
        };
        // Only the parts outside maintenance count.
        let mut t = seg.from;
        for &(ma, mb) in maintenance.iter().filter(|(ma, mb)| *mb > seg.from && *ma < seg.to) {
            if ma > t {
                spread(t, ma.min(seg.to), field);
            }
            t = t.max(mb);
        }
        if t < seg.to {
            spread(t, seg.to, field);
        }
    }
    out
}

/// An incident's times, for the response figures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IncidentTimes {
    pub started_at: i64,
    pub acknowledged_at: Option<i64>,
    pub resolved_at: Option<i64>,
}

/// Mean time to acknowledge and to resolve, in seconds, over the incidents given; each mean
/// only over those that reached that point.
pub fn mean_times(incidents: &[IncidentTimes]) -> (Option<f64>, Option<f64>) {
    let mean = |values: Vec<i64>| (!values.is_empty()).then(|| values.iter().sum::<i64>() as f64 / values.len() as f64);
    let acks = incidents.iter().filter_map(|i| i.acknowledged_at.map(|a| (a - i.started_at).max(0))).collect();
    let fixes = incidents.iter().filter_map(|i| i.resolved_at.map(|r| (r - i.started_at).max(0))).collect();
    (mean(acks), mean(fixes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    const H: i64 = 3600;
    const D: i64 = 86_400;

    #[test]
    fn segments_start_from_the_status_in_force() {
        let changes = [(-10, Operational), (5 * H, Down), (6 * H, Operational), (30 * H, Down)];
        let s = segments(Unknown, &changes, 0, D);
        assert_eq!(
            s,
            vec![
                Segment { from: 0, to: 5 * H, status: Operational },
                Segment { from: 5 * H, to: 6 * H, status: Down },
                Segment { from: 6 * H, to: D, status: Operational },
            ]
        );
        assert_eq!(segments(Unknown, &[], 0, D), vec![Segment { from: 0, to: D, status: Unknown }]);
    }

    #[test]
    fn an_hour_down_in_a_day() {
        let s = segments(Operational, &[(5 * H, Down), (6 * H, Operational)], 0, D);
        let u = Uptime::compute(&s, &[], 0, D);
        assert_eq!(u.downtime, H);
        assert!((u.ratio().unwrap() - 23.0 / 24.0).abs() < 1e-12);
    }

    #[test]
    fn maintenance_is_left_out_of_both_sides() {
        // Down 02:00-05:00; a maintenance window 01:00-04:00 covers two of those hours.
        let s = segments(Operational, &[(2 * H, Down), (5 * H, Operational)], 0, D);
        let u = Uptime::compute(&s, &merge(vec![(H, 4 * H)]), 0, D);
        assert_eq!((u.maintenance, u.downtime), (3 * H, H));
        // (24 - 3 - 1) / (24 - 3)
        assert!((u.ratio().unwrap() - 20.0 / 21.0).abs() < 1e-12);
    }

    #[test]
    fn time_before_watching_is_not_counted() {
        let s = segments(Unknown, &[(12 * H, Operational), (18 * H, Down)], 0, D);
        let u = Uptime::compute(&s, &[], 0, D);
        assert_eq!((u.unknown, u.available(), u.downtime), (12 * H, 12 * H, 6 * H));
        assert_eq!(u.ratio(), Some(0.5));
        assert_eq!(Uptime::compute(&segments(Unknown, &[], 0, D), &[], 0, D).ratio(), None);
    }

    #[test]
    fn degraded_time_is_up() {
        let s = segments(Operational, &[(H, Degraded), (3 * H, Operational)], 0, D);
        let u = Uptime::compute(&s, &[], 0, D);
        assert_eq!((u.downtime, u.degraded, u.ratio()), (0, 2 * H, Some(1.0)));
        assert_eq!(day_mark(&u, 99.9), DayMark::Minor);
    }

    #[test]
    fn overlapping_windows_count_once() {
        assert_eq!(merge(vec![(5, 10), (0, 6), (20, 30), (30, 31), (40, 40)]), vec![(0, 10), (20, 31)]);
        assert_eq!(length_outside(&[(0, 100)], &[(10, 20), (90, 200)]), 80);
    }

    #[test]
    fn error_budget_of_a_thirty_day_month() {
        // 99.9 % of 30 days allows 43.2 minutes; 21.6 minutes down used half of it.
        let u = Uptime { period: 30 * D, downtime: 1296, ..Default::default() };
        let b = error_budget(&u, 99.9);
        assert!((b.allowed_secs - 2592.0).abs() < 1e-6);
        assert!((b.used_pct.unwrap() - 50.0).abs() < 1e-9);
        let missed = error_budget(&Uptime { period: 30 * D, downtime: 5184, ..Default::default() }, 99.9);
        assert!((missed.used_pct.unwrap() - 200.0).abs() < 1e-9);
    }

    #[test]
    fn day_marks() {
        let day = |down: i64, maint: i64, unknown: i64| Uptime { period: D, downtime: down, maintenance: maint, unknown, degraded: 0 };
        assert_eq!(day_mark(&day(0, 0, 0), 99.9), DayMark::Ok);
        assert_eq!(day_mark(&day(60, 0, 0), 99.9), DayMark::Minor);
        assert_eq!(day_mark(&day(600, 0, 0), 99.9), DayMark::Major);
        assert_eq!(day_mark(&day(0, D, 0), 99.9), DayMark::Maintenance);
        assert_eq!(day_mark(&day(0, 7200, 0), 99.9), DayMark::Maintenance, "a planned window shows on its day");
        assert_eq!(day_mark(&day(60, 7200, 0), 99.9), DayMark::Minor, "downtime outranks it");
        assert_eq!(day_mark(&day(0, 0, D), 99.9), DayMark::NoData);
    }

    #[test]
    fn one_pass_days_match_day_by_day() {
        let changes = [(0, Operational), (3 * H, Down), (5 * H, Degraded), (30 * H, Operational), (47 * H, Down), (49 * H, Unknown), (52 * H, Operational)];
        let maint = merge(vec![(4 * H, 6 * H), (29 * H, 31 * H), (48 * H, 50 * H)]);
        let to = 2 * D + 17 * H;
        let segs = segments(Unknown, &changes, 0, to);
        let fast = daily(&segs, &maint, 0, to);
        assert_eq!(fast.len(), 3);
        for (d, u) in fast.iter().enumerate() {
            let from = d as i64 * D;
            assert_eq!(*u, Uptime::compute(&segs, &maint, from, (from + D).min(to)), "day {d}");
        }
    }

    #[test]
    fn mtta_and_mttr() {
        let inc = [
            IncidentTimes { started_at: 0, acknowledged_at: Some(300), resolved_at: Some(3600) },
            IncidentTimes { started_at: 100, acknowledged_at: Some(200), resolved_at: Some(1900) },
            IncidentTimes { started_at: 500, acknowledged_at: None, resolved_at: None },
        ];
        assert_eq!(mean_times(&inc), (Some(200.0), Some(2700.0)));
        assert_eq!(mean_times(&[]), (None, None));
    }

}

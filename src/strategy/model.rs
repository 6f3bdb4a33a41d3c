//! The strategy's pure rules: an initiative's health from its milestones, its spend and its
//! objective's KPIs, each signal with the sentence that explains it; and the checks of the
//! objective and initiative forms.

use crate::platform::error::Problems;
use crate::platform::named::named_enum;
use chrono::NaiveDate;

named_enum!(
    #[serde(rename_all = "snake_case")]
    InitiativeStatus {
        Proposed = "proposed" / "Proposed",
        Approved = "approved" / "Approved",
        InProgress = "in_progress" / "In progress",
        Done = "done" / "Done",
        Stopped = "stopped" / "Stopped",
    }
);

impl InitiativeStatus {
    /// Whether health applies: work that is approved or under way. A proposal has not begun,
    /// and finished or stopped work has nothing left to judge.
    pub fn is_active(self) -> bool {
        matches!(self, InitiativeStatus::Approved | InitiativeStatus::InProgress)
    }
}

named_enum!(
    #[serde(rename_all = "snake_case")]
    Health {
        OnTrack = "on_track" / "On track",
        AtRisk = "at_risk" / "At risk",
        OffTrack = "off_track" / "Off track",
    }
);

/// A milestone overdue by more than this many days puts its initiative off track; by fewer,
/// at risk.
pub const LATE_DAYS_OFF_TRACK: i64 = 30;
/// Spend above the budget by more than this share (in percent) is off track; above the
/// budget by less, at risk.
pub const OVERSPEND_OFF_TRACK_PCT: i64 = 10;
/// A KPI whose progress toward its target trails the share of the period gone by more than
/// this many points is at risk; by more than the second, off track.
pub const KPI_LAG_AT_RISK: f64 = 20.0;
pub const KPI_LAG_OFF_TRACK: f64 = 50.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Milestone {
    pub due: NaiveDate,
    pub done: Option<NaiveDate>,
}

/// How far one of the objective's KPIs has come: from its value when the period began toward
/// its target at the period's end.
#[derive(Clone, Debug, PartialEq)]
pub struct KpiProgress {
    pub name: String,
    /// The value at the period's start, and now; `None` when there was no data.
    pub baseline: Option<f64>,
    pub current: Option<f64>,
    pub target: f64,
    /// Whether higher values are better.
    pub higher_is_better: bool,
}

impl KpiProgress {
    fn meets(&self, value: f64) -> bool {
        if self.higher_is_better {
            value >= self.target
        } else {
            value <= self.target
        }
    }

    /// Whether the KPI met its target when the period began and no longer does.
    pub fn slipped(&self) -> bool {
        matches!((self.baseline, self.current), (Some(b), Some(c)) if self.meets(b) && !self.meets(c))
    }

    /// The share of the way from baseline to target covered so far, in percent: 100 once the
    /// target is met, below 0 when the KPI moved away from it, 0 when it met the target at
    /// the start and has slipped since; `None` without both values.
    pub fn progress_pct(&self) -> Option<f64> {
        let (base, now) = (self.baseline?, self.current?);
        if self.meets(now) {
            return Some(100.0);
        }
        if self.meets(base) {
            return Some(0.0);
        }
        Some((now - base) / (self.target - base) * 100.0)
    }
}

/// What health is judged from.
#[derive(Clone, Debug, PartialEq)]
pub struct Signals<'a> {
    pub today: NaiveDate,
    pub status: InitiativeStatus,
    pub target: NaiveDate,
    pub milestones: &'a [Milestone],
    pub budget_minor: i64,
    pub spent_minor: i64,
    /// The objective's period, when the initiative serves one, and its KPIs.
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub kpis: &'a [KpiProgress],
}

#[derive(Clone, Debug, PartialEq)]
pub struct Judgement {
    pub health: Health,
    /// One sentence: what made it so ("2 of 5 milestones late; 18 % over budget").
    pub why: String,
}

/// An active initiative's health: the worst of its signals, explained by the signals that
/// set it. `None` for initiatives that are proposed, done or stopped.
pub fn judge(s: &Signals) -> Option<Judgement> {
    if !s.status.is_active() {
        return None;
    }
    let mut found: Vec<(Health, String)> = Vec::new();
    found.extend(milestone_signal(s));
    found.extend(spend_signal(s));
    found.extend(kpi_signals(s));
    let worst = found.iter().map(|f| f.0).max_by_key(|h| rank(*h)).unwrap_or(Health::OnTrack);
    let why: Vec<String> = found.into_iter().filter(|f| f.0 == worst).map(|f| f.1).collect();
    let why = if why.is_empty() { "Nothing to judge yet: no milestones, budget or KPI data.".to_string() } else { sentence(&why) };
    Some(Judgement { health: worst, why })
}

fn rank(h: Health) -> u8 {
    match h {
        Health::OnTrack => 0,
        Health::AtRisk => 1,
        Health::OffTrack => 2,
    }
}

fn sentence(parts: &[String]) -> String {
    let mut text = parts.join("; ");
    if let Some(first) = text.get(..1) {
        text = first.to_uppercase() + &text[1..];
    }
    text + "."
}

fn milestone_signal(s: &Signals) -> Option<(Health, String)> {
    let late_days: Vec<i64> = s.milestones.iter().filter(|m| m.done.is_none() && m.due < s.today).map(|m| (s.today - m.due).num_days()).collect();
    let past_target = s.today > s.target;
    if past_target {
        let days = (s.today - s.target).num_days();
        return Some((Health::OffTrack, format!("{days} {} past its target date", plural(days, "day", "days"))));
    }
    let total = s.milestones.len();
    if total == 0 {
        return None;
    }
    let late = late_days.len();
    if late == 0 {
        let done = s.milestones.iter().filter(|m| m.done.is_some()).count();
        return Some((Health::OnTrack, format!("{done} of {total} {} reached, none late", plural(total as i64, "milestone", "milestones"))));
    }
    let worst = late_days.iter().copied().max().unwrap_or(0);
    // One slipped milestone is a warning, even when it is the only one; several, more than half.
    let health = if worst > LATE_DAYS_OFF_TRACK || (late >= 2 && late * 2 > total) { Health::OffTrack } else { Health::AtRisk };
    let text = if late == 1 {
        format!("1 of {total} {} late by {worst} {}", plural(total as i64, "milestone", "milestones"), plural(worst, "day", "days"))
    } else {
        format!("{late} of {total} milestones late, the latest by {worst} days")
    };
    Some((health, text))
}

fn spend_signal(s: &Signals) -> Option<(Health, String)> {
    if s.budget_minor <= 0 {
        return None;
    }
    let over = s.spent_minor - s.budget_minor;
    // Rounded to the nearest percent; exact arithmetic in integers, as money is.
    let pct = |part: i64| (part * 100 + s.budget_minor / 2) / s.budget_minor;
    if over <= 0 {
        return Some((Health::OnTrack, format!("{} % of budget spent", pct(s.spent_minor))));
    }
    let over_pct = pct(over).max(1);
    let health = if over * 100 > s.budget_minor * OVERSPEND_OFF_TRACK_PCT { Health::OffTrack } else { Health::AtRisk };
    Some((health, format!("{over_pct} % over budget")))
}

fn kpi_signals(s: &Signals) -> Vec<(Health, String)> {
    let Some((start, end)) = s.period else { return Vec::new() };
    let length = (end - start).num_days().max(1) as f64;
    let gone = ((s.today - start).num_days() as f64 / length * 100.0).clamp(0.0, 100.0);
    s.kpis
        .iter()
        .filter_map(|k| {
            let progress = k.progress_pct()?;
            let lag = gone - progress;
            let health = if progress >= 100.0 {
                Health::OnTrack
            } else if lag > KPI_LAG_OFF_TRACK {
                Health::OffTrack
            } else if lag > KPI_LAG_AT_RISK {
                Health::AtRisk
            } else {
                Health::OnTrack
            };
            let text = if progress >= 100.0 {
                format!("{} has reached its target", k.name)
            } else if k.slipped() {
                format!("{} met its target when the period began and no longer does", k.name)
            } else if progress < 0.0 {
                format!("{} has moved away from its target with {:.0} % of the period gone", k.name, gone)
            } else {
                format!("{} {:.0} % of the way to its target with {:.0} % of the period gone", k.name, progress, gone)
            };
            Some((health, text))
        })
        .collect()
}

fn plural(n: i64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

pub use crate::platform::validate::parse_day;

/// Two dates of a form: each checked at its field, then the second after the first.
pub fn parse_span(p: &mut Problems, (from_field, from): (&str, &str), (to_field, to): (&str, &str), strictly_after: bool) -> Option<(NaiveDate, NaiveDate)> {
    let a = p.check(from_field, parse_day(from, "start date"));
    let b = p.check(to_field, parse_day(to, "end date"));
    let (a, b) = (a?, b?);
    if b < a || (strictly_after && b == a) {
        p.add(to_field, "This date must come after the start date.");
        return None;
    }
    Some((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn signals<'a>(today: &str, milestones: &'a [Milestone], budget: i64, spent: i64, kpis: &'a [KpiProgress]) -> Signals<'a> {
        Signals {
            today: d(today),
            status: InitiativeStatus::InProgress,
            target: d("2026-12-31"),
            milestones,
            budget_minor: budget,
            spent_minor: spent,
            period: Some((d("2026-01-01"), d("2026-12-31"))),
            kpis,
        }
    }

    fn m(due: &str, done: Option<&str>) -> Milestone {
        Milestone { due: d(due), done: done.map(d) }
    }

    #[test]
    fn only_active_work_has_health() {
        for status in InitiativeStatus::ALL {
            let s = Signals { status: *status, ..signals("2026-06-01", &[], 0, 0, &[]) };
            assert_eq!(judge(&s).is_some(), status.is_active(), "{status:?}");
        }
    }

    #[test]
    fn milestones_on_time_keep_it_on_track() {
        let ms = [m("2026-03-01", Some("2026-02-27")), m("2026-09-01", None)];
        let j = judge(&signals("2026-06-01", &ms, 0, 0, &[])).unwrap();
        assert_eq!(j.health, Health::OnTrack);
        assert_eq!(j.why, "1 of 2 milestones reached, none late.");
    }

    #[test]
    fn one_milestone_a_little_late_is_at_risk_and_long_late_is_off_track() {
        let ms = [m("2026-05-20", None), m("2026-09-01", None), m("2026-10-01", None)];
        let j = judge(&signals("2026-06-01", &ms, 0, 0, &[])).unwrap();
        assert_eq!((j.health, j.why.as_str()), (Health::AtRisk, "1 of 3 milestones late by 12 days."));
        let j = judge(&signals("2026-07-01", &ms, 0, 0, &[])).unwrap();
        assert_eq!((j.health, j.why.as_str()), (Health::OffTrack, "1 of 3 milestones late by 42 days."));
    }

    #[test]
    fn most_milestones_late_is_off_track_even_when_recent() {
        let ms = [m("2026-05-25", None), m("2026-05-28", None), m("2026-09-01", None)];
        let j = judge(&signals("2026-06-01", &ms, 0, 0, &[])).unwrap();
        assert_eq!((j.health, j.why.as_str()), (Health::OffTrack, "2 of 3 milestones late, the latest by 7 days."));
        // The only milestone, a little late: a warning, not yet off track.
        let one = [m("2026-05-22", None)];
        let j = judge(&signals("2026-06-01", &one, 0, 0, &[])).unwrap();
        assert_eq!((j.health, j.why.as_str()), (Health::AtRisk, "1 of 1 milestone late by 10 days."));
    }

    #[test]
    fn past_its_target_date_and_not_done_is_off_track() {
        let j = judge(&Signals { target: d("2026-05-01"), ..signals("2026-06-01", &[], 0, 0, &[]) }).unwrap();
        assert_eq!((j.health, j.why.as_str()), (Health::OffTrack, "31 days past its target date."));
    }

    #[test]
    fn spend_over_budget_by_up_to_ten_percent_is_at_risk_beyond_is_off_track() {
        let j = judge(&signals("2026-06-01", &[], 100_000, 40_000, &[])).unwrap();
        assert_eq!((j.health, j.why.as_str()), (Health::OnTrack, "40 % of budget spent."));
        let j = judge(&signals("2026-06-01", &[], 100_000, 110_000, &[])).unwrap();
        assert_eq!((j.health, j.why.as_str()), (Health::AtRisk, "10 % over budget."));
        let j = judge(&signals("2026-06-01", &[], 100_000, 118_000, &[])).unwrap();
        assert_eq!((j.health, j.why.as_str()), (Health::OffTrack, "18 % over budget."));
        // A cent over is over, and said as at least 1 %.
        let j = judge(&signals("2026-06-01", &[], 100_000, 100_001, &[])).unwrap();
        assert_eq!((j.health, j.why.as_str()), (Health::AtRisk, "1 % over budget."));
    }

    fn kpi(baseline: f64, current: f64, target: f64, higher: bool) -> KpiProgress {
        KpiProgress { name: "Deploys a week".into(), baseline: Some(baseline), current: Some(current), target, higher_is_better: higher }
    }

    #[test]
    fn kpi_progress_against_the_time_gone() {
        // Half the year gone (2026-07-02 is day 182 of 364).
        let today = "2026-07-02";
        let fine = [kpi(10.0, 15.0, 20.0, true)];
        assert_eq!(judge(&signals(today, &[], 0, 0, &fine)).unwrap().health, Health::OnTrack);
        let behind = [kpi(10.0, 12.5, 20.0, true)];
        let j = judge(&signals(today, &[], 0, 0, &behind)).unwrap();
        assert_eq!((j.health, j.why.as_str()), (Health::AtRisk, "Deploys a week 25 % of the way to its target with 50 % of the period gone."));
        let backwards = [kpi(10.0, 8.0, 20.0, true)];
        assert_eq!(judge(&signals(today, &[], 0, 0, &backwards)).unwrap().health, Health::OffTrack);
        // Lower is better: from 40 minutes toward 10, now 20 is two thirds of the way.
        let lower = [kpi(40.0, 20.0, 10.0, false)];
        assert_eq!(judge(&signals(today, &[], 0, 0, &lower)).unwrap().health, Health::OnTrack);
        let met = [kpi(40.0, 9.0, 10.0, false)];
        assert_eq!(judge(&signals(today, &[], 0, 0, &met)).unwrap().why, "Deploys a week has reached its target.");
        // Away from the target: a latency that rose from 41 toward a target of 38.
        let away = [kpi(41.0, 52.0, 38.0, false)];
        let j = judge(&signals(today, &[], 0, 0, &away)).unwrap();
        assert_eq!((j.health, j.why.as_str()), (Health::OffTrack, "Deploys a week has moved away from its target with 50 % of the period gone."));
        // At the target when the period began, worse than it now: no progress, judged by the time gone.
        let slipped = [kpi(245.0, 307.0, 250.0, false)];
        assert_eq!(slipped[0].progress_pct(), Some(0.0));
        let j = judge(&signals(today, &[], 0, 0, &slipped)).unwrap();
        assert_eq!((j.health, j.why.as_str()), (Health::AtRisk, "Deploys a week met its target when the period began and no longer does."));
    }

    #[test]
    fn a_kpi_without_data_says_nothing() {
        let none = [KpiProgress { baseline: None, ..kpi(0.0, 0.0, 1.0, true) }];
        let j = judge(&signals("2026-07-02", &[], 0, 0, &none)).unwrap();
        assert_eq!((j.health, j.why.as_str()), (Health::OnTrack, "Nothing to judge yet: no milestones, budget or KPI data."));
    }

    #[test]
    fn the_worst_signal_wins_and_only_its_reasons_are_given() {
        let ms = [m("2026-05-20", None), m("2026-09-01", None), m("2026-10-01", None)];
        let j = judge(&signals("2026-06-01", &ms, 100_000, 118_000, &[])).unwrap();
        assert_eq!((j.health, j.why.as_str()), (Health::OffTrack, "18 % over budget."));
        let j = judge(&signals("2026-06-01", &ms, 100_000, 105_000, &[])).unwrap();
        assert_eq!((j.health, j.why.as_str()), (Health::AtRisk, "1 of 3 milestones late by 12 days; 5 % over budget."));
    }

    #[test]
    fn date_spans_are_checked_at_their_fields() {
        let mut p = Problems::default();
        assert_eq!(parse_span(&mut p, ("starts", "2026-01-01"), ("ends", "2026-12-31"), true), Some((d("2026-01-01"), d("2026-12-31"))));
        assert!(p.finish().is_ok());
        let mut p = Problems::default();
        assert_eq!(parse_span(&mut p, ("starts", "2026-02-30"), ("ends", ""), true), None);
        let fields: Vec<String> = match p.finish() {
            Err(crate::platform::error::AppError::Invalid { fields, .. }) => fields.into_iter().map(|f| f.field).collect(),
            other => panic!("{other:?}"),
        };
        assert_eq!(fields, ["starts", "ends"]);
        let mut p = Problems::default();
        assert_eq!(parse_span(&mut p, ("starts", "2026-05-01"), ("ends", "2026-05-01"), true), None);
        assert!(p.finish().is_err());
        let mut p = Problems::default();
        assert!(parse_span(&mut p, ("starts", "2026-05-01"), ("ends", "2026-05-01"), false).is_some());
    }
}

//! Feedback's words and rules: what an item is, what it is about, the workflow it moves
//! through, who may read it, and the response times the CTO is measured by.

use crate::access::Role;
use crate::platform::named::named_enum;

named_enum!(
    Kind {
        Request = "request" / "Request",
        Problem = "problem" / "Problem",
        Praise = "praise" / "Praise",
    }
);

named_enum!(
    About {
        Technology = "technology" / "Technology in general",
        Kpi = "kpi" / "A KPI",
        System = "system" / "A system",
        Budget = "budget" / "A budget category",
        Report = "report" / "A report",
    }
);

named_enum!(
    State {
        New = "new" / "New",
        UnderReview = "under_review" / "Under review",
        Planned = "planned" / "Planned",
        Done = "done" / "Done",
        Declined = "declined" / "Declined",
    }
);

impl About {
    /// What a role may give feedback about: what it sees. Reports are the CTO's and investors'
    /// (heads read their department's report, not investor reports); KPIs, systems and budgets
    /// are staff's.
    pub fn open_to(self, role: Role) -> bool {
        match self {
            About::Technology => true,
            About::Report => role != Role::DepartmentHead,
            About::Kpi | About::System | About::Budget => role != Role::Investor,
        }
    }
}

impl State {
    pub fn is_open(self) -> bool {
        !matches!(self, State::Done | State::Declined)
    }

    /// "Your request “…” is planned", the notice its author receives.
    pub fn told(self) -> &'static str {
        match self {
            State::New => "is new again",
            State::UnderReview => "is under review",
            State::Planned => "is planned",
            State::Done => "is done",
            State::Declined => "was declined",
        }
    }
}

/// What an item's author is told when the CTO moves it: "Your request “…” is planned".
pub fn moved_notice(kind: Kind, title: &str, to: State) -> String {
    format!("Your {} “{title}” {}", kind.label().to_lowercase(), to.told())
}

/// Who may read an item: the CTO every one; its author always; a department head their own
/// department's and the company-wide ones, never another department's nor an investor's.
pub fn may_read(role: Role, viewer: i64, viewer_department: Option<i64>, item: &Owned) -> bool {
    if item.author_id == Some(viewer) {
        return true;
    }
    match role {
        Role::Cto => true,
        Role::DepartmentHead => !item.private && (item.department_id.is_none() || item.department_id == viewer_department),
        Role::Investor => false,
    }
}

/// What decides who reads an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Owned {
    pub author_id: Option<i64>,
    pub department_id: Option<i64>,
    pub private: bool,
}

/// What a move the CTO asks for lacks, as (field, message); empty when it may be made.
/// Going back to new is not a move; planned names the work that answers it; a decline says why.
pub fn move_problems(from: State, to: State, answer: &str, linked: bool) -> Vec<(&'static str, &'static str)> {
    let mut found = Vec::new();
    if to == State::New && from != State::New {
        found.push(("state", "An answered item cannot be new again; choose under review."));
    }
    if to == from && answer.trim().is_empty() {
        found.push(("answer", "Write an answer, or choose another state."));
    }
    if to == State::Planned && !linked {
        found.push(("initiative", "Name the initiative or the radar entry that will answer it."));
    }
    if to == State::Declined && answer.trim().is_empty() {
        found.push(("answer", "Say why it is declined: its author reads this."));
    }
    found
}

/// The median of `seconds` in whole hours, rounded; `None` for none.
pub fn median_hours(seconds: Vec<i64>) -> Option<i64> {
    median(seconds).map(|mid| (mid / 3600.0).round() as i64)
}

fn median(mut values: Vec<i64>) -> Option<f64> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2] as f64),
        _ => Some((values[n / 2 - 1] + values[n / 2]) as f64 / 2.0),
    }
}

/// "5 h", "3 days", as a response time reads.
pub fn hours_words(h: i64) -> String {
    match h {
        h if h < 48 => format!("{h} h"),
        h => format!("{} days", (h as f64 / 24.0).round() as i64),
    }
}

named_enum!(
    /// A response time Northstar keeps as a KPI, once the CTO asks it to.
    Measure {
        FirstAnswer = "first_answer" / "Feedback: time to first answer",
        Close = "close" / "Feedback: time to close",
    }
);

impl Measure {
    /// The KPI's key, unless a KPI of the CTO's took it first.
    pub fn key(self) -> &'static str {
        match self {
            Measure::FirstAnswer => "feedback-first-answer",
            Measure::Close => "feedback-time-to-close",
        }
    }

    /// The KPI's unit (`kpi::units::Unit`'s name) and seconds in one of it: a first answer is
    /// counted in hours, a close in days.
    pub fn unit(self) -> (&'static str, f64) {
        match self {
            Measure::FirstAnswer => ("hours", 3600.0),
            Measure::Close => ("days", 86400.0),
        }
    }

    /// Target, amber and red, lower being better: an answer within two days, a close within a
    /// month.
    pub fn default_target(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Measure::FirstAnswer => ("48", "72", "120"),
            Measure::Close => ("30", "45", "60"),
        }
    }
}

/// One month's response time: the median of the times that ended in it (an item answered
/// or closed then), in the measure's unit with one decimal, and how many there were.
#[derive(Clone, Debug, PartialEq)]
pub struct MonthValue {
    /// The month's first second, UTC.
    pub month: i64,
    pub value: f64,
    pub items: usize,
}

/// Times grouped by the UTC month they ended in, each month's median in units of `per`
/// seconds, oldest month first. `times` are (when it ended, how long it took) in seconds.
pub fn monthly_medians(times: &[(i64, i64)], per: f64) -> Vec<MonthValue> {
    use chrono::Datelike;
    let mut months: std::collections::BTreeMap<i64, Vec<i64>> = Default::default();
    for &(at, took) in times {
        let day = crate::platform::time::date_of(at);
        let first = day.with_day(1).unwrap_or(day);
        months.entry(crate::platform::time::midnight(first)).or_default().push(took.max(0));
    }
    months
        .into_iter()
        .map(|(month, took)| {
            let items = took.len();
            let mid = median(took).unwrap_or_default();
            MonthValue { month, value: (mid / per * 10.0).round() / 10.0, items }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(author: i64, department: Option<i64>, private: bool) -> Owned {
        Owned { author_id: Some(author), department_id: department, private }
    }

    #[test]
    fn response_times_are_each_months_median_in_the_measures_unit() {
        let day = |d: &str| crate::platform::time::midnight(chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap());
        let h = 3600;
        // October: 2 h, 10 h and 30 h (the median 10 h); November: 5 h and 8 h (6.5 h), the
        // second ending on the month's last second.
        let times = [(day("2026-10-03"), 2 * h), (day("2026-10-31") + 86399, 30 * h), (day("2026-10-15"), 10 * h), (day("2026-11-01"), 5 * h), (day("2026-12-01") - 1, 8 * h)];
        let hours = monthly_medians(&times, 3600.0);
        assert_eq!(hours, vec![MonthValue { month: day("2026-10-01"), value: 10.0, items: 3 }, MonthValue { month: day("2026-11-01"), value: 6.5, items: 2 }]);
        // In days, to one decimal: 10 h is 0.4 days.
        assert_eq!(monthly_medians(&times, 86400.0)[0].value, 0.4);
        assert!(monthly_medians(&[], 3600.0).is_empty());
    }

    #[test]
    fn heads_read_their_department_and_the_company_and_investors_only_their_own() {
        let eng_head_item = item(2, Some(1), false);
        let company = item(1, None, false);
        let investor_item = item(4, None, true);
        // The CTO (1), the Engineering head (2, department 1), the Operations head (3, department 2), an investor (4).
        assert!(may_read(Role::Cto, 1, None, &investor_item));
        assert!(may_read(Role::DepartmentHead, 2, Some(1), &eng_head_item));
        assert!(!may_read(Role::DepartmentHead, 3, Some(2), &eng_head_item));
        assert!(may_read(Role::DepartmentHead, 3, Some(2), &company));
        assert!(!may_read(Role::DepartmentHead, 3, Some(2), &investor_item));
        assert!(may_read(Role::Investor, 4, None, &investor_item));
        assert!(!may_read(Role::Investor, 5, None, &investor_item));
        assert!(!may_read(Role::Investor, 4, None, &company));
        // A head moved to another department still reads what they wrote.
        assert!(may_read(Role::DepartmentHead, 2, Some(2), &eng_head_item));
    }

    #[test]
    fn moves_need_what_their_readers_are_owed() {
        assert!(move_problems(State::New, State::UnderReview, "", false).is_empty());
        assert_eq!(move_problems(State::New, State::Planned, "soon", false), [("initiative", "Name the initiative or the radar entry that will answer it.")]);
        assert!(move_problems(State::UnderReview, State::Planned, "", true).is_empty());
        assert_eq!(move_problems(State::Planned, State::Declined, " ", true)[0].0, "answer");
        assert_eq!(move_problems(State::Done, State::New, "reopened", false)[0].0, "state");
        assert_eq!(move_problems(State::Planned, State::Planned, "", true)[0].0, "answer");
        assert!(move_problems(State::Planned, State::Planned, "Shipping in May.", true).is_empty());
        assert!(move_problems(State::Done, State::UnderReview, "Came back.", false).is_empty());
    }

    #[test]
    fn response_times_are_medians_in_hours() {
        assert_eq!(median_hours(vec![]), None);
        assert_eq!(median_hours(vec![3600 * 5]), Some(5));
        assert_eq!(median_hours(vec![3600 * 10, 3600, 3600 * 4]), Some(4));
        assert_eq!(median_hours(vec![3600, 3600 * 4]), Some(3));
        assert_eq!(hours_words(5), "5 h");
        assert_eq!(hours_words(47), "47 h");
        assert_eq!(hours_words(24 * 6 + 5), "6 days");
    }

    #[test]
    fn investors_give_feedback_only_on_what_they_see() {
        assert!(About::Report.open_to(Role::Investor));
        assert!(About::Technology.open_to(Role::Investor));
        assert!(!About::System.open_to(Role::Investor));
        assert!(!About::Kpi.open_to(Role::Investor));
        assert!(About::Budget.open_to(Role::DepartmentHead));
        assert!(!About::Report.open_to(Role::DepartmentHead));
    }
}

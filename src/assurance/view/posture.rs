//! The security posture: what a board asks of security, now and month by month.

use super::super::privacy::Review;
use super::{FrameworkLine, SeverityLine};
use serde::{Deserialize, Serialize};

/// The posture's figures on one day (today, or a month's last day), in the reader's scope.
/// Kept as JSON for closed months, so a field added later must default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PostureFigures {
    /// Controls in force, by standing in `Standing::ALL`'s order (overdue first).
    pub controls: Vec<i64>,
    /// Open findings by severity, critical first.
    pub open: [i64; 4],
    /// Of those, past their remediation deadline.
    pub breached: [i64; 4],
    /// Systems holding personal data.
    pub personal: i64,
    /// Of those, the ones whose record was not reviewed within the year before.
    pub unreviewed: i64,
    /// Systems with no record of processing yet (they may hold personal data).
    pub unrecorded: i64,
    /// Systems that keep data (databases, storage, personal data, any backup or restore test).
    pub keeping: i64,
    /// Of those, the ones with no restore test passed in the quarter before.
    pub untested: i64,
}

impl PostureFigures {
    pub fn controls_of(&self, s: super::super::model::Standing) -> i64 {
        super::super::model::Standing::ALL.iter().position(|x| *x == s).and_then(|i| self.controls.get(i)).copied().unwrap_or(0)
    }

    pub fn controls_in_force(&self) -> i64 {
        self.controls.iter().sum()
    }

    /// Controls needing action: past their due day, or failing on their last evidence.
    pub fn controls_late(&self) -> i64 {
        self.controls_of(super::super::model::Standing::Overdue) + self.controls_of(super::super::model::Standing::Failing)
    }

    /// Open critical and high findings.
    pub fn severe_open(&self) -> i64 {
        self.open[0] + self.open[1]
    }

    pub fn open_findings(&self) -> i64 {
        self.open.iter().sum()
    }

    pub fn breached_findings(&self) -> i64 {
        self.breached.iter().sum()
    }
}

/// One month of the trend: "2026-11" and how things stood at its end (the current month: today).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostureMonth {
    pub month: String,
    /// "Nov 2026".
    pub label: String,
    /// Still running: its figures are today's.
    pub current: bool,
    pub figures: PostureFigures,
}

/// A system holding personal data whose record is not reviewed, or that has no record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnreviewedSystem {
    pub system_id: i64,
    pub system: String,
    pub review: Review,
    /// The day the review fell due, when it has a record.
    pub due_on: Option<String>,
}

/// A system keeping data without a restore test passed in the last quarter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UntestedSystem {
    pub system_id: i64,
    pub system: String,
    /// The day of its last passed restore test, if it ever had one.
    pub last_passed: Option<String>,
}

/// The posture page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PosturePage {
    /// "Engineering’s controls, findings and systems." for a head; empty for the CTO.
    pub scope: String,
    pub today: String,
    pub now: PostureFigures,
    pub frameworks: Vec<FrameworkLine>,
    /// Open findings by severity, with the mean time to fix and the share fixed by the deadline
    /// over the trend's twelve months.
    pub severities: Vec<SeverityLine>,
    /// "1 Jan 2026": the first day of the trend, from which its fixes count.
    pub fixes_since: String,
    pub unreviewed: Vec<UnreviewedSystem>,
    pub untested: Vec<UntestedSystem>,
    /// The last twelve months, oldest first, the current one last.
    pub trend: Vec<PostureMonth>,
    /// For the CTO: whether investor reports show the posture. `None` for a head.
    pub shared: Option<bool>,
}

/// The posture as an investor report shows it, when the CTO shares it: the company's figures
/// at the period's end (today for a period still running) beside the period before's.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostureSection {
    /// "2026-09-30".
    pub as_of: String,
    pub figures: PostureFigures,
    /// "2026-06-30".
    pub before_as_of: String,
    pub before: PostureFigures,
}

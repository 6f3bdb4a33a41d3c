//! A system's quality, on its page: its latest test run and coverage, escaped defects and the
//! change failure rate of its deployments, week by week.

use crate::ui::chart::ChartData;
use serde::{Deserialize, Serialize};

/// A system's quality card.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SystemQuality {
    /// The system's key: its deployments are the events whose service is this.
    pub key: String,
    /// "98.69 %": the latest test run's pass rate.
    pub pass_rate: Option<String>,
    /// "1204 of 1220 tests passed, 2026-12-02".
    pub tests: Option<String>,
    /// "81.25 %": the latest coverage reported.
    pub coverage: Option<String>,
    /// "+1.5 points" since the first coverage of the weeks shown.
    pub coverage_change: Option<String>,
    /// Escaped defects reported in the last 30 days.
    pub escaped: i64,
    /// Over the last 30 days' deployments: "12.5 %", with its DORA band ("High").
    pub change_failure_rate: Option<String>,
    pub change_failure_band: Option<String>,
    pub deployments: i64,
    pub weeks: Vec<QualityWeek>,
    /// Pass rate, coverage and change failure rate per week; escaped defects and failed changes
    /// per week. `None` with nothing to draw.
    pub rates_chart: Option<ChartData>,
    pub defects_chart: Option<ChartData>,
    /// The latest reports, newest first.
    pub latest: Vec<QualityLine>,
}

/// One week of a system's quality.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityWeek {
    /// Its Monday.
    pub starts: String,
    pub tests_run: i64,
    pub tests_passed: i64,
    /// The week's last coverage, in hundredths of a percent.
    pub coverage: Option<i64>,
    pub escaped: i64,
    pub deployments: i64,
    /// Deployments that failed or caused an incident.
    pub failed: i64,
}

/// One report as received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityLine {
    pub at: String,
    pub source: String,
    pub reference: String,
    /// "1204 of 1220".
    pub tests: Option<String>,
    pub coverage: Option<String>,
    pub escaped: Option<i64>,
}

//! What the team and capitalization pages receive and what their forms send.

use serde::{Deserialize, Serialize};

/// Every team the reader sees, with what it costs this month and where its time goes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TeamsView {
    pub teams: Vec<TeamRow>,
    /// The departments a new team may belong to; one for a department head.
    pub departments: Vec<(i64, String)>,
    pub month: String,
    /// The company's (or the head's department's) people cost this month.
    pub monthly_cost: String,
    pub headcount: i64,
    pub can_capitalize: bool,
    /// A department head's department: the only one whose teams they change.
    pub own_department: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TeamRow {
    pub id: i64,
    pub name: String,
    pub department: String,
    pub headcount: i64,
    pub roles: String,
    pub monthly_cost: String,
    /// This month's shares in words, or empty when the month is not allocated.
    pub allocation: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TeamInput {
    pub id: String,
    pub name: String,
    pub department: String,
}

/// One team: its roles over time, and its time allocation over a fiscal year, with the form of
/// one month when `edit` names it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TeamPage {
    pub id: i64,
    pub name: String,
    pub department_id: i64,
    pub department: String,
    pub departments: Vec<(i64, String)>,
    pub history: Vec<RoleSetView>,
    /// The roles the form starts from: the set in effect this month, else the latest.
    pub roles: Vec<RoleSetting>,
    /// `YYYY-MM` the roles form proposes: the month after the last closed one, at the earliest.
    pub from: String,
    /// "Capitalization is closed through Oct 2026", or empty.
    pub closed_note: String,
    pub fiscal_year: i32,
    pub fiscal_label: String,
    pub years: Vec<i32>,
    /// Initiative and category names heading the allocation table.
    pub columns: Vec<String>,
    pub months: Vec<ShareMonth>,
    pub edit: Option<ShareForm>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RoleSetView {
    pub from: String,
    pub roles: Vec<RoleLine>,
    pub headcount: i64,
    pub total: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RoleLine {
    pub role: String,
    pub headcount: i64,
    pub cost: String,
    pub subtotal: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RoleSetting {
    pub role: String,
    pub headcount: String,
    pub cost: String,
}

/// The team's roles from a month on; a filled-in row per role, blank rows ignored.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RolesInput {
    pub team: String,
    pub from: String,
    #[serde(default)]
    pub role: Vec<String>,
    #[serde(default)]
    pub headcount: Vec<String>,
    #[serde(default)]
    pub cost: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ShareMonth {
    pub code: i64,
    pub label: String,
    /// One per column: "60 %" or empty.
    pub cells: Vec<String>,
    pub loaded_cost: String,
    pub allocated: bool,
    pub closed: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ShareForm {
    pub month: i64,
    pub label: String,
    pub options: Vec<ShareOption>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ShareOption {
    /// `i<id>` for an initiative, `c<id>` for a category's work outside initiatives.
    pub key: String,
    pub label: String,
    pub initiative: bool,
    /// In its development stage some time this month.
    pub capitalizable: bool,
    pub pct: String,
}

/// A team's shares of one month, in whole percent adding up to 100; blank rows are none.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SharesInput {
    pub team: String,
    pub month: String,
    #[serde(default)]
    pub key: Vec<String>,
    #[serde(default)]
    pub pct: Vec<String>,
}

/// The capitalization report of one fiscal year: per month, quarter and initiative, with each
/// line of the arithmetic. Closed months read as they were when they closed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CapitalizationView {
    pub fiscal_year: i32,
    pub fiscal_label: String,
    pub years: Vec<i32>,
    pub months: Vec<CapMonth>,
    pub quarters: Vec<CapTotals>,
    pub total: CapTotals,
    pub initiatives: Vec<CapInitiative>,
    pub lines: Vec<CapLineView>,
    /// Months that have ended and are still open, oldest first: (YYYYMM, label).
    pub closable: Vec<(i64, String)>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CapMonth {
    pub code: i64,
    pub label: String,
    pub totals: CapTotals,
    /// "Closed on 2 Dec 2026 by Ada Lovelace", "Open" or "Not over yet".
    pub state: String,
    pub closed: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CapTotals {
    pub label: String,
    pub people: String,
    pub capitalized: String,
    pub expensed: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CapInitiative {
    pub id: i64,
    pub title: String,
    pub stage: String,
    /// Q1 to Q4.
    pub quarters: Vec<String>,
    pub total: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CapLineView {
    pub month: String,
    pub team: String,
    pub initiative: String,
    pub loaded_cost: String,
    pub pct: String,
    pub days: String,
    pub capitalized: String,
    pub closed: bool,
}

/// What checking or storing a time allocation file found: what it would change, or every
/// error by line and column.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TimeImportReport {
    pub imported: bool,
    /// Lines with a share.
    pub lines: u64,
    /// The teams the file names.
    pub teams: Vec<String>,
    /// "Jan 2026 – Nov 2026".
    pub period: String,
    /// Team months the file sets, and how many of them already had shares it replaces.
    pub months: u64,
    pub replaces: u64,
    pub errors: Vec<crate::kpi::view::ImportError>,
    pub error_count: u64,
    /// The first lines: line, team, month, work, percent.
    pub sample: Vec<Vec<String>>,
}

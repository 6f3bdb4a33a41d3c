//! What the cloud cost page receives and what its forms send.

use crate::budget::view::Choice;
use crate::kpi::view::ImportError;
use serde::{Deserialize, Serialize};

/// Everything imported, how it is mapped, and what is not mapped yet.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudView {
    /// The last thirteen months with cost, oldest first.
    pub months: Vec<CloudMonthRow>,
    /// Mapped cost of those months by department, system and investment category.
    pub owners: Vec<CloudOwnerRow>,
    pub imports: Vec<CloudImportRow>,
    pub rules: Vec<CloudRuleRow>,
    pub unmatched: Vec<UnmatchedLine>,
    /// The cost no rule matches yet, over everything imported.
    pub unmatched_total: String,
    pub departments: Vec<Choice>,
    pub systems: Vec<Choice>,
    pub investments: Vec<Choice>,
    /// The priority a new rule gets: after the last.
    pub next_priority: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudMonthRow {
    pub month: String,
    pub billed: String,
    pub effective: String,
    pub mapped: String,
    pub unmatched: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudOwnerRow {
    pub department: String,
    pub system: String,
    pub investment: String,
    pub effective: String,
    pub share: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudImportRow {
    pub id: i64,
    pub file: String,
    pub period: String,
    pub providers: String,
    pub rows: String,
    pub effective: String,
    pub by: String,
    pub at: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudRuleRow {
    pub id: i64,
    pub priority: i64,
    pub match_on: String,
    pub tag_key: String,
    pub value: String,
    /// "tag team = payments".
    pub matcher: String,
    pub department_id: i64,
    pub department: String,
    pub system_id: String,
    pub system: String,
    pub investment_id: String,
    pub investment: String,
    /// The cost it maps, over everything imported.
    pub matched: String,
}

/// Cost no rule matches, one row per provider, account, service and tags over all months.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UnmatchedLine {
    /// One of its lines; mapping it writes a rule from that line's attributes.
    pub id: i64,
    pub provider: String,
    pub account: String,
    pub service: String,
    pub tags: Vec<(String, String)>,
    pub period: String,
    pub effective: String,
    /// What a rule may match it by: `tag:<key>`, `account`, `service`, `provider`.
    pub options: Vec<Choice>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudRuleInput {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub priority: String,
    #[serde(default)]
    pub match_on: String,
    #[serde(default)]
    pub tag_key: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub system: String,
    #[serde(default)]
    pub investment: String,
}

/// A rule made from an unmatched line: matching what `by` names of line `line`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MapLineInput {
    #[serde(default)]
    pub line: String,
    #[serde(default)]
    pub by: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub system: String,
    #[serde(default)]
    pub investment: String,
}

/// A FOCUS file checked (and, when clean and asked, stored).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudImportReport {
    pub rows: u64,
    pub lines: u64,
    pub period: String,
    pub providers: Vec<String>,
    pub billed: String,
    pub effective: String,
    /// Of `effective`, what the rules as they are leave unmapped.
    pub unmatched: String,
    pub unmatched_lines: u64,
    /// Periods already imported that this file replaces: "AWS, October 2026".
    pub replaces: Vec<String>,
    pub errors: Vec<ImportError>,
    pub error_count: u64,
    pub imported: bool,
}

/// What a system costs, month by month over the last twelve: its mapped cloud cost, the
/// contracts that pay for it, and the time teams spend on initiatives that touch it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SystemCost {
    pub months: Vec<SystemCostMonth>,
    pub total: SystemCostMonth,
    /// How the people cost is counted, said once.
    pub people_note: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SystemCostMonth {
    pub month: String,
    pub cloud: String,
    pub contracts: String,
    pub people: String,
    pub total: String,
}

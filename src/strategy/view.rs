//! What the strategy pages receive and what their forms send.

use super::mix::MixStatus;
use super::model::{Health, InitiativeStatus};
use serde::{Deserialize, Serialize};

mod cloud;
mod digest;
mod people;
mod unit;
pub use cloud::*;
pub use digest::*;
pub use people::*;
pub use unit::*;

/// The strategy map: every objective with its KPIs and the initiatives serving it, then the
/// initiatives that serve none, and a timeline of them all.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StrategyMap {
    pub objectives: Vec<ObjectiveCard>,
    /// Initiatives the reader sees that serve no objective.
    pub unaligned: Vec<InitiativeRow>,
    /// (on track, at risk, off track) over the initiatives shown.
    pub counts: (usize, usize, usize),
    /// The timeline, drawn on the server; `None` when there is nothing to draw.
    pub timeline: Option<crate::ui::chart::ChartData>,
    pub can_edit_objectives: bool,
    pub can_add_initiative: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveCard {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub owner: Option<String>,
    /// "2026-01-01 to 2026-12-31".
    pub period: String,
    pub kpis: Vec<ObjectiveKpi>,
    pub initiatives: Vec<InitiativeRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveKpi {
    pub key: String,
    pub name: String,
    /// Formatted in the KPI's unit; `None` without data.
    pub baseline: Option<String>,
    pub current: Option<String>,
    pub target: String,
    /// Percent of the way from baseline to target, 100 once met.
    pub progress: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InitiativeRow {
    pub id: i64,
    pub title: String,
    pub department: String,
    pub owner: Option<String>,
    pub status: InitiativeStatus,
    pub category: String,
    pub starts: String,
    pub target: String,
    /// `None` for proposed, done and stopped work.
    pub health: Option<Health>,
    pub why: String,
    /// (reached, total).
    pub milestones: (usize, usize),
    pub budget: String,
    pub spent: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InitiativePage {
    pub row: InitiativeRow,
    pub description: String,
    /// (id, title) of the objective it serves.
    pub objective: Option<(i64, String)>,
    pub kpis: Vec<ObjectiveKpi>,
    pub milestones: Vec<MilestoneRow>,
    /// (id, name) of the systems it touches.
    pub systems: Vec<(i64, String)>,
    /// The expenses booked to it, newest first: (date, description, amount).
    pub expenses: Vec<(String, String, String)>,
    /// The server's date, for "Reached today".
    pub today: String,
    /// Its development stage for capitalization, in words; empty when it is expensed.
    pub stage: String,
    /// The technology radar's entries it adopts.
    pub radar: Vec<crate::radar::view::Mention>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MilestoneRow {
    pub id: i64,
    pub title: String,
    pub due: String,
    pub done: Option<String>,
    /// Days past due while not reached.
    pub late_days: Option<i64>,
}

/// The objective form's options and, when editing, its values.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveEditor {
    pub id: Option<i64>,
    pub title: String,
    pub description: String,
    pub owner: String,
    pub starts: String,
    pub ends: String,
    /// (KPI key, target as typed) for each linked KPI.
    pub kpis: Vec<(String, String)>,
    /// (key, "name (unit)") of every KPI.
    pub kpi_choices: Vec<(String, String)>,
    /// (id, name) of the staff who may own it.
    pub owners: Vec<(i64, String)>,
    pub investor_visible: bool,
}

/// How many KPI rows the objective form offers.
pub const OBJECTIVE_KPI_ROWS: usize = 5;

/// What the objective form sends. `kpi` and `kpi_target` are its rows, side by side; a row
/// with no KPI chosen is left out.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveInput {
    pub id: String,
    pub title: String,
    pub description: String,
    pub owner: String,
    pub starts: String,
    pub ends: String,
    #[serde(default)]
    pub kpi: Vec<String>,
    #[serde(default)]
    pub kpi_target: Vec<String>,
    /// The objective, its initiatives' health and its investor-visible KPIs appear in investor
    /// reports.
    #[serde(default, deserialize_with = "crate::platform::form::checkbox")]
    pub investor_visible: bool,
}

/// The initiative form's options and, when editing, its values.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InitiativeEditor {
    pub id: Option<i64>,
    pub title: String,
    pub description: String,
    pub objective: String,
    pub owner: String,
    pub department: String,
    pub starts: String,
    pub target: String,
    pub status: String,
    pub category: String,
    pub budget: String,
    /// The development stage, for capitalization: empty when the work is not capitalizable.
    pub capitalize_from: String,
    pub in_service_on: String,
    pub systems: Vec<i64>,
    pub objective_choices: Vec<(i64, String)>,
    pub owners: Vec<(i64, String)>,
    pub departments: Vec<(i64, String)>,
    pub categories: Vec<(i64, String)>,
    pub system_choices: Vec<(i64, String)>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InitiativeInput {
    pub id: String,
    pub title: String,
    pub description: String,
    pub objective: String,
    pub owner: String,
    pub department: String,
    pub starts: String,
    pub target: String,
    pub status: String,
    pub category: String,
    pub budget: String,
    #[serde(default)]
    pub capitalize_from: String,
    #[serde(default)]
    pub in_service_on: String,
    #[serde(default)]
    pub systems: Vec<String>,
}

/// A milestone added (`id` empty) or changed; `done` is the date it was reached, or empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MilestoneInput {
    /// The initiative's id; text, as every field of a flattened form is.
    pub initiative: String,
    pub id: String,
    pub title: String,
    pub due: String,
    #[serde(default)]
    pub done: String,
}

/// How the allocation page names money no line, initiative or expense gives a category.
pub const UNASSIGNED: &str = "Unassigned";

/// The investment allocation of one fiscal year: planned and actual money per investment
/// category, month and department, against the CTO's target mix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AllocationView {
    pub fiscal_year: i32,
    pub fiscal_label: String,
    pub years: Vec<i32>,
    /// The department shown; `None`: the whole company.
    pub department: Option<i64>,
    pub department_name: String,
    pub departments: Vec<crate::budget::view::Choice>,
    pub as_of: String,
    /// One row per category, then the unassigned money when there is any.
    pub mix: Vec<MixRow>,
    pub planned_total: String,
    pub actual_total: String,
    /// The categories' names as the month and department tables' columns, in `mix` order.
    pub columns: Vec<String>,
    pub months: Vec<MixLine>,
    /// Per department, for the whole company only.
    pub departments_mix: Vec<MixLine>,
    /// The actual mix month by month, drawn on the server; `None` before any spending.
    pub chart: Option<crate::ui::chart::ChartData>,
    /// The CTO's form; `None` for a department head.
    pub settings: Option<Vec<CategorySetting>>,
    /// Investor reports show the company's investment mix over their period.
    pub investors_see_mix: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MixRow {
    /// `None` for the unassigned money.
    pub id: Option<i64>,
    pub name: String,
    /// "at least 60 %", or "" without a target.
    pub target: String,
    pub planned: String,
    pub planned_share: String,
    pub plan_status: Option<MixStatus>,
    pub actual: String,
    pub actual_share: String,
    pub status: Option<MixStatus>,
}

/// A month or a department: its money in each column (actual, planned), and its total.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MixLine {
    pub label: String,
    pub cells: Vec<MixCell>,
    pub actual: String,
    pub planned: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MixCell {
    pub actual: String,
    /// The cell's share of its line's actual money ("" without any).
    pub share: String,
    /// "" when nothing is planned.
    pub planned: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CategorySetting {
    pub id: i64,
    pub name: String,
    /// "at_least", "at_most" or "" for none.
    pub rule: String,
    pub pct: String,
    pub in_use: bool,
}

/// The categories form: every category's name and target at once, and a new one when `name`
/// past the existing rows is filled in.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CategoriesInput {
    pub id: Vec<String>,
    pub name: Vec<String>,
    pub rule: Vec<String>,
    pub pct: Vec<String>,
    /// Where the form was sent from, so the page comes back with the same year and department.
    pub back: String,
    #[serde(deserialize_with = "crate::platform::form::checkbox")]
    pub investors_see_mix: bool,
}

//! What the strategy pages receive and what their forms send.

use super::model::{Health, InitiativeStatus};
use serde::{Deserialize, Serialize};

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

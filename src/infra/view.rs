//! What the infrastructure pages receive: times and figures arrive formatted, so the browser
//! needs no time-zone or number rules of its own.

use super::model::{CheckForm, Status};
use crate::kpi::model::Severity;
use crate::ui::chart::ChartData;
use serde::{Deserialize, Serialize};

/// The ranges a system page charts: (value in the URL, label).
pub const RANGES: [(&str, &str); 4] = [("24h", "24 hours"), ("7d", "7 days"), ("30d", "30 days"), ("90d", "90 days")];

/// One system on the status board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SystemTile {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub tier: i64,
    pub department: String,
    pub status: Status,
    pub since: String,
    pub latency_ms: Option<i64>,
    pub uptime: String,
    pub slo: String,
    /// None when there is no data to judge.
    pub meets_slo: Option<bool>,
    pub bar: super::bar::DayBar,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatusBoard {
    pub counts: Vec<(Status, usize)>,
    pub systems: Vec<SystemTile>,
    pub open_incidents: Vec<IncidentRow>,
    pub maintenance: Vec<MaintenanceRow>,
    pub can_edit: bool,
    pub as_of: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentRow {
    pub id: i64,
    pub title: String,
    pub system: String,
    pub system_id: Option<i64>,
    pub severity: Severity,
    pub started: String,
    pub acknowledged: Option<String>,
    pub resolved: Option<String>,
    pub duration: String,
    pub opened_by: String,
    pub open: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MaintenanceRow {
    pub id: i64,
    pub system: String,
    pub system_id: i64,
    pub starts: String,
    pub ends: String,
    pub note: String,
    pub state: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckRow {
    pub id: i64,
    pub kind: String,
    pub target: String,
    pub summary: String,
    pub enabled: bool,
    pub state: Status,
    pub last_at: Option<String>,
    pub latency_ms: Option<i64>,
    pub last_error: Option<String>,
    pub failures: i64,
    pub form: CheckForm,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UptimeRow {
    pub period: String,
    pub uptime: String,
    pub downtime: String,
    pub budget_used: String,
    pub meets_slo: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatusChangeRow {
    pub at: String,
    pub status: Status,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SystemLink {
    pub id: i64,
    pub name: String,
    pub status: Status,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SystemDetail {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub kind: String,
    pub tier: i64,
    pub department: Option<String>,
    pub slo: String,
    pub description: String,
    pub links: Vec<String>,
    pub status: Status,
    pub since: String,
    pub manual_status: Option<Status>,
    pub manual_note: String,
    pub depends_on: Vec<SystemLink>,
    pub used_by: Vec<SystemLink>,
    pub checks: Vec<CheckRow>,
    pub uptime: Vec<UptimeRow>,
    pub range: String,
    pub response_chart: ChartData,
    pub uptime_chart: ChartData,
    pub history: Vec<StatusChangeRow>,
    pub maintenance: Vec<MaintenanceRow>,
    pub incidents: Vec<IncidentRow>,
    pub can_edit: bool,
    /// What it costs: for the CTO and the head of its department; None for anyone else, or
    /// when nothing is known to cost anything.
    pub cost: Option<crate::strategy::view::SystemCost>,
    /// The technology radar's entries that concern it.
    pub radar: Vec<crate::radar::view::Mention>,
    /// Its vulnerability findings, for the CTO and its own department's head.
    pub findings: Option<crate::assurance::view::SystemFindings>,
    /// Its personal data, backups and restore tests; none for a reader outside its department.
    pub protection: Option<crate::assurance::view::SystemProtection>,
    pub quality: Option<crate::assurance::view::SystemQuality>,
}

/// The system form's options and, when editing, its current values.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SystemEditor {
    pub id: Option<i64>,
    pub key: String,
    pub name: String,
    pub kind: String,
    pub tier: String,
    pub department: String,
    pub slo: String,
    pub description: String,
    pub links: String,
    pub depends_on: Vec<i64>,
    /// (id, name) of every other system.
    pub systems: Vec<(i64, String)>,
    pub departments: Vec<(i64, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoteRow {
    pub at: String,
    pub author: String,
    pub kind: String,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentDetail {
    pub row: IncidentRow,
    pub service: String,
    pub department: Option<String>,
    pub taken_over_by: Option<String>,
    pub time_to_acknowledge: Option<String>,
    pub time_to_resolve: Option<String>,
    pub notes: Vec<NoteRow>,
    pub can_manage: bool,
    pub can_note: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResponseRow {
    pub period: String,
    pub incidents: usize,
    pub mtta: String,
    pub mttr: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentList {
    pub rows: Vec<IncidentRow>,
    pub total: usize,
    /// MTTA and MTTR per month, newest first.
    pub by_month: Vec<ResponseRow>,
    pub summary: ResponseRow,
    pub systems: Vec<(i64, String)>,
    pub can_open: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SlaRow {
    pub system_id: i64,
    pub system: String,
    pub tier: i64,
    pub slo: String,
    pub uptime: String,
    pub meets_slo: Option<bool>,
    pub downtime: String,
    pub maintenance: String,
    pub allowed: String,
    pub budget_used: String,
    pub incidents: usize,
    pub mttr: String,
    /// The same figures as plain numbers, for the CSV export.
    pub figures: SlaFigures,
}

/// An SLA row's figures in the units the CSV names: percent and seconds, none when unknown.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SlaFigures {
    pub slo_percent: f64,
    pub uptime_percent: Option<f64>,
    pub downtime_seconds: i64,
    pub maintenance_seconds: i64,
    pub allowed_downtime_seconds: f64,
    pub error_budget_used_percent: Option<f64>,
    pub mttr_seconds: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SlaReport {
    pub period: String,
    pub label: String,
    pub rows: Vec<SlaRow>,
    /// (value, label) of the periods offered.
    pub periods: Vec<(String, String)>,
}

/// The incident list's filters as they appear in the query string.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IncidentQuery {
    pub state: String,
    pub system: String,
    pub days: String,
}

/// What the system form sends: a new system (`id` empty) or a change to one. The key is sent
/// only for a new system; dependencies are the ticked boxes of the list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SystemInput {
    pub id: String,
    #[serde(default)]
    pub key: String,
    pub name: String,
    pub kind: String,
    pub tier: String,
    pub department: String,
    pub slo: String,
    pub description: String,
    pub links: String,
    #[serde(default)]
    pub depends_on: Vec<String>,
}

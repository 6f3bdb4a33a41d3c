//! What the security pages show, as the server sends it.

use super::model::Severity;
use serde::{Deserialize, Serialize};

/// The vulnerabilities page's filters, as its query string carries them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FindingsQuery {
    /// A system's id, or empty for every system the reader may see.
    pub system: String,
    /// `critical`, `high`, `medium`, `low`, or empty for all.
    pub severity: String,
    /// `open` (the default), `breached` (open past its deadline), `fixed`, `all`.
    pub state: String,
    pub page: String,
}

/// One severity's line of the SLA table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityLine {
    pub severity: Severity,
    /// Its deadline in days.
    pub days: u32,
    pub open: i64,
    /// Open past the deadline.
    pub breached: i64,
    /// Open and due within a week.
    pub due_soon: i64,
    /// Fixed in the last 12 months.
    pub fixed: i64,
    /// "6.5 days": the mean time to fix over those.
    pub mean_to_fix: Option<String>,
    /// "92 %": of those, fixed by their deadline.
    pub within_sla: Option<String>,
}

/// Open findings of one age band, by severity (critical first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgeBand {
    pub label: String,
    pub counts: [i64; 4],
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingLine {
    pub id: i64,
    pub system_id: i64,
    pub system: String,
    /// The scanner or source.
    pub tool: String,
    pub rule: String,
    pub title: String,
    pub severity: Severity,
    pub location: String,
    pub message: String,
    pub help: Option<String>,
    /// "2026-11-02".
    pub first_seen: String,
    pub due: String,
    pub fixed_on: Option<String>,
    pub breached: bool,
    /// "3 days left", "12 days past its deadline", "fixed in 4 days".
    pub standing: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLine {
    pub system: String,
    /// "SARIF", "CSV", "API".
    pub source: String,
    pub tools: String,
    pub new: i64,
    pub seen: i64,
    pub reopened: i64,
    pub fixed: i64,
    pub by: String,
    /// "2026-11-30 14:05 UTC".
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemChoice {
    pub id: i64,
    pub name: String,
}

/// A KPI kept from the findings, for the link to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptKpi {
    pub key: String,
    pub name: String,
}

/// The vulnerabilities page: the SLA by severity, open findings by age, the findings the
/// filters ask for, and the latest imports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vulnerabilities {
    pub severities: Vec<SeverityLine>,
    pub ages: Vec<AgeBand>,
    pub findings: Vec<FindingLine>,
    pub matched: i64,
    pub page: i64,
    pub pages: i64,
    /// The systems the reader may see (and import into).
    pub systems: Vec<SystemChoice>,
    pub imports: Vec<ImportLine>,
    /// The CTO sets the deadlines and keeps the KPIs.
    pub can_configure: bool,
    pub kept: Vec<KeptKpi>,
    /// "Open findings on Engineering's systems" for a head; empty for the CTO.
    pub scope: String,
}

/// What an import found (or, with problems, why nothing was stored).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub system: String,
    /// The scanners or sources the file speaks for.
    pub tools: Vec<String>,
    pub findings: u64,
    pub new: u64,
    pub seen: u64,
    pub reopened: u64,
    pub fixed: u64,
    pub problems: Vec<Problem>,
    /// Stored (not only checked).
    pub imported: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// "line 3, severity", "runs[0].results[2]".
    pub at: String,
    pub message: String,
}

/// A system's findings, on the system's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemFindings {
    /// Open findings by severity, critical first.
    pub open: [i64; 4],
    pub breached: i64,
    /// The worst open findings, past their deadline first.
    pub worst: Vec<FindingLine>,
    /// "SARIF (Trivy) on 2026-11-30 14:05 UTC".
    pub last_import: Option<String>,
    pub can_import: bool,
}

mod controls;
pub use controls::*;
mod privacy;
pub use privacy::*;
mod recovery;
pub use recovery::*;
mod posture;
pub use posture::*;
mod quality;
pub use quality::*;

//! What the control pages show, as the server sends it.

use crate::assurance::model::{Frequency, Outcome, Standing};
use serde::{Deserialize, Serialize};

/// The register's filters, as its query string carries them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ControlsQuery {
    /// `iso27001`, `soc2`, or empty for every control.
    pub framework: String,
    /// A standing's text (`overdue`, `due`...), or empty for all.
    pub standing: String,
    /// A department's id, `none` for the CTO's own controls, or empty for all.
    pub department: String,
}

/// One control in the register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlLine {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub owner: Option<String>,
    pub department: Option<String>,
    pub frequency: Frequency,
    pub standing: Standing,
    /// "2026-11-02", the day of the last evidence.
    pub last_on: Option<String>,
    /// The day the next evidence is due.
    pub due_on: String,
    /// "A.8.13 · A1.2": its framework ids.
    pub mapped: String,
    /// Northstar records its evidence (TLS, backups...).
    pub automatic: bool,
}

/// How many controls stand each way, worst first (`Standing::ALL`'s order).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandingCounts(pub Vec<i64>);

impl StandingCounts {
    pub fn of(&self, s: Standing) -> i64 {
        Standing::ALL.iter().position(|x| *x == s).and_then(|i| self.0.get(i)).copied().unwrap_or(0)
    }
}

/// One framework's coverage: its ids the controls answer to, and where those controls stand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkLine {
    /// `iso27001`, for the filter.
    pub key: String,
    /// "ISO/IEC 27001:2022 Annex A".
    pub name: String,
    /// Distinct framework ids mapped.
    pub ids: i64,
    pub counts: StandingCounts,
}

/// The control register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlsPage {
    pub controls: Vec<ControlLine>,
    pub counts: StandingCounts,
    pub frameworks: Vec<FrameworkLine>,
    /// For the filter: the departments the reader may see.
    pub departments: Vec<(i64, String)>,
    pub retired: i64,
    /// "Controls of Engineering" for a head; empty for the CTO.
    pub scope: String,
    /// The CTO's form for a new control; none for a head.
    pub editor: Option<ControlEditor>,
    /// The CTO may adopt the starter controls: the count not yet in the register.
    pub starter_missing: usize,
}

/// The control form's options and, when editing, its values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlEditor {
    pub id: Option<i64>,
    pub code: String,
    pub title: String,
    pub requires: String,
    pub owner: String,
    pub department: String,
    pub frequency: String,
    pub evidence: String,
    pub adopted_on: String,
    /// "A.5.15, A.8.2".
    pub iso27001: String,
    pub soc2: String,
    pub systems: Vec<i64>,
    pub owners: Vec<(i64, String)>,
    pub department_choices: Vec<(i64, String)>,
    pub system_choices: Vec<(i64, String)>,
}

/// The control form, as posted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlInput {
    #[serde(default)]
    pub id: String,
    pub code: String,
    pub title: String,
    #[serde(default)]
    pub requires: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub department: String,
    pub frequency: String,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub adopted_on: String,
    #[serde(default)]
    pub iso27001: String,
    #[serde(default)]
    pub soc2: String,
    #[serde(default)]
    pub systems: Vec<String>,
}

/// An uploaded evidence file: what proves it is the one uploaded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceFile {
    pub name: String,
    /// "1.2 MB".
    pub size: String,
    pub sha256: String,
}

/// One performance of a control.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceLine {
    pub id: i64,
    pub performed_on: String,
    pub outcome: Outcome,
    pub note: String,
    pub link: Option<String>,
    pub file: Option<EvidenceFile>,
    pub by: String,
    /// "2026-11-30 14:05 UTC", when it was recorded.
    pub at: String,
}

/// Evidence on a page of a control's page: a continuous control gathers one a day, so a year
/// of it takes four pages.
pub const EVIDENCE_PAGE: i64 = 100;

/// A control's page: what it requires, where it stands, its evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlPage {
    pub line: ControlLine,
    pub requires: String,
    /// "Recorded by its owner", "The HTTPS checks' certificates"...
    pub source: String,
    pub adopted_on: String,
    pub retired_on: Option<String>,
    pub iso27001: Vec<String>,
    pub soc2: Vec<String>,
    pub systems: Vec<(i64, String)>,
    /// A page of its evidence, newest first, of `evidence_count` in all.
    pub evidence: Vec<EvidenceLine>,
    pub evidence_count: i64,
    pub page: i64,
    pub pages: i64,
    /// The reader may record evidence (the CTO, or the head of its department).
    pub can_record: bool,
    /// Today, the form's default day.
    pub today: String,
    /// The CTO's form; none for a head.
    pub editor: Option<ControlEditor>,
}

/// One run of `northstar backup` (or *Back up now*).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupLine {
    pub at: String,
    pub ok: bool,
    /// "48 MB".
    pub size: Option<String>,
    /// "1.2 s".
    pub took: String,
    pub location: String,
    pub detail: String,
    pub by: String,
}

/// One restore test: what was restored and found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestoreLine {
    pub at: String,
    pub ok: bool,
    pub took: String,
    pub detail: String,
    pub by: String,
}

/// Northstar's own backups and restore tests, and its last access review, for Admin.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backups {
    pub backups: Vec<BackupLine>,
    pub tests: Vec<RestoreLine>,
}

/// Admin's security section: the backups, and the access reviews.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminSecurity {
    pub backups: Backups,
    /// "2026-10-17 by Priya Raman", the last review recorded.
    pub last_review: Option<String>,
    /// The access-review controls in force, as "IAM-01 Access review".
    pub review_controls: Vec<(i64, String)>,
}

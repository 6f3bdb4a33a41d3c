//! What the record of processing shows, as the server sends it.

use crate::assurance::privacy::{DataCategory, DataSubject, LegalBasis, Review};
use serde::{Deserialize, Serialize};

/// The record's filter, as its query string carries it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PrivacyQuery {
    /// A review standing (`overdue`, `not_recorded`...), or empty for every system.
    pub review: String,
}

/// One system in the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyLine {
    pub system_id: i64,
    pub system: String,
    pub department: Option<String>,
    pub review: Review,
    /// None until recorded; `Some(false)` when reviewed and found to hold none.
    pub personal_data: Option<bool>,
    pub categories: Vec<DataCategory>,
    pub subjects: Vec<DataSubject>,
    pub purpose: String,
    pub legal_basis: Option<LegalBasis>,
    pub retention: String,
    pub hosting: String,
    /// The safeguard when the data leaves the EEA and the UK.
    pub transfer: Option<String>,
    pub processors: Vec<(i64, String)>,
    pub dpia: Dpia,
    pub reviewed_on: Option<String>,
    pub reviewed_by: Option<String>,
    /// The day the next review is due.
    pub review_due: Option<String>,
}

impl PrivacyLine {
    /// "Identity and contact details, Payment and financial data": what it holds, in words.
    pub fn held(&self) -> String {
        match self.personal_data {
            None => "Not recorded yet".into(),
            Some(false) => "No personal data".into(),
            Some(true) => self.categories.iter().map(|c| c.label()).collect::<Vec<_>>().join(", "),
        }
    }
}

/// A system's data protection impact assessment (Art. 35).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Dpia {
    NotRequired,
    /// Special-category data or children's, with no DPIA marked required: worth a look.
    Advised,
    /// Required, with no document yet.
    Missing,
    /// Required and done: its document and day.
    Done { link: String, on: Option<String> },
}

/// How the record stands, for its summary and the posture.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyCounts {
    /// Systems in the reader's scope.
    pub systems: i64,
    pub not_recorded: i64,
    pub personal: i64,
    pub special: i64,
    pub overdue: i64,
    pub due: i64,
    /// Personal data sent outside the EEA and the UK.
    pub transfers: i64,
    /// DPIAs required without a document, or advised and not marked.
    pub dpia_open: i64,
}

/// The record of processing: the systems in the reader's scope, worst review first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyPage {
    pub lines: Vec<PrivacyLine>,
    pub counts: PrivacyCounts,
    /// "Engineering's systems…" for a head; empty for the CTO.
    pub scope: String,
}

/// A system's record form: its values (or the defaults) and the choices.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordEditor {
    pub system_id: i64,
    /// "yes" or "no"; empty until recorded.
    pub personal_data: String,
    pub categories: Vec<String>,
    pub subjects: Vec<String>,
    pub purpose: String,
    pub legal_basis: String,
    pub retention: String,
    pub hosting: String,
    pub transfer: bool,
    pub safeguard: String,
    pub dpia_required: bool,
    pub dpia_link: String,
    pub dpia_on: String,
    pub processors: Vec<i64>,
    pub vendor_choices: Vec<(i64, String)>,
}

/// The record form, as posted. Saving it is a review: the record says who looked, and when.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecordInput {
    pub system_id: String,
    pub personal_data: String,
    pub categories: Vec<String>,
    pub subjects: Vec<String>,
    pub purpose: String,
    pub legal_basis: String,
    pub retention: String,
    pub hosting: String,
    /// A ticked box posts "on".
    pub transfer: String,
    pub safeguard: String,
    pub dpia_required: String,
    pub dpia_link: String,
    pub dpia_on: String,
    pub processors: Vec<String>,
}

/// A processor's contract, shown beside the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessorContract {
    pub vendor: String,
    pub contract: String,
    pub ends_on: String,
}

/// A system's page in the record: where it stands, its form, and its processors' contracts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordPage {
    pub line: PrivacyLine,
    /// Contracts with its processors (none: a processor without a contract, worth a DPA).
    pub contracts: Vec<ProcessorContract>,
    /// Processors without any contract on file.
    pub uncontracted: Vec<String>,
    pub editor: RecordEditor,
}

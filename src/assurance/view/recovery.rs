//! A system's data protection, on its page: the personal data it holds, its backups and
//! restore tests, and the form a restore drill is recorded with (shown to whoever sees the
//! card: the CTO, and the head of the system's department).

use super::Backups;
use crate::assurance::privacy::Review;
use serde::{Deserialize, Serialize};

/// A system's data protection card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemProtection {
    /// Where its record of processing stands, and what it holds in words.
    pub review: Review,
    pub held: String,
    pub backups: Backups,
    /// The day of the last passed restore test, if any.
    pub restored_on: Option<String>,
    /// It keeps data (a database or storage, personal data, or backups), so its restores are
    /// expected to be tested.
    pub keeps_data: bool,
    /// It keeps data and no restore test passed in the last quarter.
    pub restore_due: bool,
    pub today: String,
}

/// A restore drill recorded by a person, as posted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DrillInput {
    pub system_id: String,
    pub performed_on: String,
    /// `passed` or `failed`.
    pub outcome: String,
    pub minutes: String,
    pub detail: String,
}

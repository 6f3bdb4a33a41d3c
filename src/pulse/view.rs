//! What the survey pages receive and send.

use super::model::{Every, Scale};
use serde::{Deserialize, Serialize};

/// One group's result in a round: the company, or one department.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupResult {
    pub group: String,
    pub answers: usize,
    /// "3.6", or `None` below the anonymity threshold.
    pub score: Option<String>,
    /// How many gave each score, lowest first; empty below the threshold.
    pub spread: Vec<(i64, usize)>,
    pub comments: Vec<String>,
    /// The KPI the score is kept in, once there is one.
    pub kpi_key: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundView {
    pub id: i64,
    pub opens_on: String,
    pub closes_on: String,
    pub open: bool,
    pub results: Vec<GroupResult>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PulseRow {
    pub id: i64,
    pub title: String,
    pub every: Every,
    pub asked: String,
    pub rounds: usize,
    /// The latest round's company result, e.g. "4.1 from 12 answers".
    pub latest: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SurveysView {
    pub pulses: Vec<PulseRow>,
    pub departments: Vec<(i64, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PulsePage {
    pub id: i64,
    pub title: String,
    pub question: String,
    pub scale: Scale,
    pub every: Every,
    pub asked: String,
    /// Newest first.
    pub rounds: Vec<RoundView>,
    /// Whether a round is open now (a new one cannot be sent until it closes).
    pub open_round: bool,
}

/// A round waiting for the reader's answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Waiting {
    pub round: i64,
    pub title: String,
    pub question: String,
    pub scale: Scale,
    pub closes_on: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PulseInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub question: String,
    #[serde(default)]
    pub scale: String,
    #[serde(default)]
    pub every: String,
    /// Roles asked: department_head, investor.
    #[serde(default)]
    pub roles: Vec<String>,
    /// Departments whose heads are asked; none: every department.
    #[serde(default)]
    pub departments: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PulseAnswer {
    #[serde(default)]
    pub round: String,
    #[serde(default)]
    pub score: String,
    #[serde(default)]
    pub comment: String,
}

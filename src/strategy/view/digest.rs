//! The strategy in a few figures: what the cockpit's panel and an investor report's strategy
//! section show.

use super::ObjectiveKpi;
use crate::kpi::status::Rag;
use crate::strategy::mix::MixStatus;
use crate::strategy::model::{Health, InitiativeStatus};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StrategyDigest {
    pub objectives: Vec<DigestObjective>,
    /// Initiatives under way (on track, at risk, off track) among those the reader sees.
    pub counts: (usize, usize, usize),
    /// Off-track work first, then at-risk: what the CTO should look at.
    pub attention: Vec<InitiativeBrief>,
    /// The actual investment mix against its targets; `None` where the reader may not see it.
    pub mix: Option<DigestMix>,
    pub unit_costs: Vec<UnitBrief>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DigestObjective {
    pub title: String,
    /// "2026-06-05 to 2027-07-04".
    pub period: String,
    pub kpis: Vec<ObjectiveKpi>,
    pub initiatives: Vec<InitiativeBrief>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InitiativeBrief {
    pub id: i64,
    pub title: String,
    pub department: String,
    pub status: InitiativeStatus,
    /// `None` for proposed, done and stopped work.
    pub health: Option<Health>,
    pub why: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DigestMix {
    /// The months it covers: "FY2026 to date", "Q3 2026".
    pub label: String,
    pub total: String,
    pub rows: Vec<DigestMixRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DigestMixRow {
    pub name: String,
    pub actual: String,
    /// "44.8 %".
    pub share: String,
    /// "at least 30 %", or empty without a target.
    pub target: String,
    pub status: Option<MixStatus>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitBrief {
    pub key: String,
    pub name: String,
    pub value: Option<String>,
    pub target: Option<String>,
    pub rag: Rag,
    /// "above target" when green but short of the target itself, as the KPI cards say it.
    pub short: Option<String>,
}

//! What the unit economics page receives and what its form sends.

use crate::budget::view::Choice;
use crate::kpi::status::Rag;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitEconomicsView {
    pub costs: Vec<UnitCostRow>,
    /// Business KPIs a cost can be divided by (every KPI but the costs per unit).
    pub denominators: Vec<Choice>,
    pub systems: Vec<Choice>,
    /// The last completed month, which the newest values are for.
    pub through: String,
}

/// One cost per unit: its definition, its status as a KPI, and the last twelve completed
/// months' arithmetic.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitCostRow {
    pub key: String,
    pub name: String,
    /// "Cloud cost", "One system's cost: Payments API".
    pub cost: String,
    /// "÷ API calls (sum in the month), per 1,000".
    pub per: String,
    /// The denominator's name, the heading of its column.
    pub units: String,
    pub value: Option<String>,
    pub rag: Rag,
    /// "above target" when green but short of the target.
    pub short: Option<String>,
    pub target: Option<String>,
    pub investor_visible: bool,
    /// Newest first.
    pub months: Vec<UnitMonthRow>,
    /// The form's values for changing the definition.
    pub basis: String,
    pub system: String,
    pub per_kpi: String,
    pub per_units: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitMonthRow {
    pub month: String,
    pub cost: String,
    pub units: String,
    pub per_unit: String,
}

/// What the form sends: a new cost per unit (no `kpi`), or a new definition for one (`kpi` its
/// key; its name and targets change on the KPI's own page).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitCostInput {
    #[serde(default)]
    pub kpi: String,
    #[serde(default)]
    pub name: String,
    pub basis: String,
    #[serde(default)]
    pub system: String,
    pub per: String,
    pub per_units: String,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub amber: String,
    #[serde(default)]
    pub red: String,
    #[serde(default, deserialize_with = "crate::platform::form::checkbox")]
    pub investor_visible: bool,
}

//! The KPI editor's form, and the rules a definition must follow.

use super::model::{check_thresholds, parse_key, Aggregation, Category, Computed, Direction, Target, NAME_MAX, OWNER_MAX, TEXT_MAX};
use super::units::Unit;
use crate::platform::error::{AppError, Problems};
use crate::platform::money::Currency;
use crate::platform::validate::optional_text;
use serde::{Deserialize, Serialize};

/// A definition as the editor shows it: text fields plus what the selects offer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KpiForm {
    pub is_new: bool,
    pub key: String,
    pub name: String,
    pub description: String,
    pub formula: String,
    pub category: String,
    pub unit: String,
    pub direction: String,
    pub aggregation: String,
    pub computed: String,
    pub owner: String,
    pub department: String,
    pub investor_visible: bool,
    /// Measurements exist, so the unit may no longer change.
    pub has_data: bool,
    /// A cost per unit that Strategy computes: its unit and source are fixed.
    pub kept: bool,
    pub departments: Vec<(i64, String)>,
    /// Newest first: (effective from, target, amber, red, note, set by).
    pub targets: Vec<(String, String, String, String, String, String)>,
    /// Today (UTC), the default for a new target's start.
    pub today: String,
}

/// What the "set target" form submits, as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetInput {
    pub effective_from: String,
    pub target: String,
    pub amber: String,
    pub red: String,
    #[serde(default)]
    pub note: String,
}

/// What the editor submits. The target fields are there only for a new KPI (its first target).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KpiInput {
    pub key: String,
    pub name: String,
    pub description: String,
    pub formula: String,
    pub category: String,
    pub unit: String,
    pub direction: String,
    pub aggregation: String,
    pub computed: String,
    pub owner: String,
    pub department: String,
    #[serde(default, deserialize_with = "crate::platform::form::checkbox")]
    pub investor_visible: bool,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub amber: String,
    #[serde(default)]
    pub red: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValidKpi {
    pub key: String,
    pub name: String,
    pub description: String,
    pub formula: String,
    pub category: Category,
    pub unit: Unit,
    pub direction: Direction,
    pub aggregation: Aggregation,
    pub computed: Option<Computed>,
    pub owner: String,
    pub department_id: Option<i64>,
    pub investor_visible: bool,
    /// (target, amber, red), when the form set one.
    pub target: Option<(f64, f64, f64)>,
}

/// The unit, direction and aggregation a DORA metric always has.
pub fn computed_shape(c: Computed) -> (Unit, Direction, Aggregation) {
    match c {
        Computed::DeploymentFrequency => (Unit::PerDay, Direction::Higher, Aggregation::Mean),
        Computed::LeadTime => (Unit::Hours, Direction::Lower, Aggregation::Median),
        Computed::ChangeFailureRate => (Unit::Percent, Direction::Lower, Aggregation::Mean),
        Computed::TimeToRestore => (Unit::Hours, Direction::Lower, Aggregation::Median),
    }
}

impl KpiInput {
    pub fn parse(&self, currency: Currency) -> Result<ValidKpi, AppError> {
        let mut p = Problems::default();
        let key = p.check("key", parse_key(&self.key));
        let name = p.check("name", crate::platform::validate::required_text(&self.name, "name", NAME_MAX));
        let description = optional_text(&mut p, "description", &self.description, TEXT_MAX);
        let formula = optional_text(&mut p, "formula", &self.formula, TEXT_MAX);
        let owner = optional_text(&mut p, "owner", &self.owner, OWNER_MAX);
        let category = p.check("category", Category::parse(&self.category).ok_or_else(|| "Choose a category.".to_string()));
        let computed = match self.computed.trim() {
            "" => Some(None),
            other => p.check("computed", Computed::parse(other).map(Some).ok_or_else(|| "Choose a DORA metric or none.".to_string())),
        };
        let shape = match computed {
            Some(Some(c)) => Some(computed_shape(c)),
            _ => {
                let unit = p.check("unit", Unit::parse(&self.unit).ok_or_else(|| "Choose a unit.".to_string()));
                let direction = p.check("direction", Direction::parse(&self.direction).ok_or_else(|| "Choose whether higher or lower is better.".to_string()));
                let aggregation = p.check("aggregation", Aggregation::parse(&self.aggregation).ok_or_else(|| "Choose how a period is summarised.".to_string()));
                match (unit, direction, aggregation) {
                    (Some(u), Some(d), Some(a)) => Some((u, d, a)),
                    _ => None,
                }
            }
        };
        let department_id = match self.department.trim() {
            "" => None,
            id => p.check("department", id.parse::<i64>().map_err(|_| "Choose a department or company-wide.".to_string())),
        };
        let target = match (shape, [self.target.trim(), self.amber.trim(), self.red.trim()]) {
            (_, ["", "", ""]) => None,
            (Some((unit, direction, _)), [t, a, r]) => {
                let t = p.check("target", unit.parse_value(t, currency));
                let a = p.check("amber", unit.parse_value(a, currency));
                let r = p.check("red", unit.parse_value(r, currency));
                match (t, a, r) {
                    (Some(t), Some(a), Some(r)) => match check_thresholds(t, a, r, direction) {
                        Ok(()) => Some((t, a, r)),
                        Err((field, message)) => {
                            p.add(field, message);
                            None
                        }
                    },
                    _ => None,
                }
            }
            (None, _) => None,
        };
        p.finish()?;
        let (unit, direction, aggregation) = shape.ok_or(AppError::Internal)?;
        Ok(ValidKpi {
            key: key.ok_or(AppError::Internal)?,
            name: name.ok_or(AppError::Internal)?,
            description,
            formula,
            category: category.ok_or(AppError::Internal)?,
            unit,
            direction,
            aggregation,
            computed: computed.flatten(),
            owner,
            department_id,
            investor_visible: self.investor_visible,
            target,
        })
    }
}

/// A target as the "set target" form submits it.
pub fn parse_target(unit: Unit, direction: Direction, currency: Currency, input: &TargetInput) -> Result<Target, AppError> {
    let TargetInput { effective_from, target, amber, red, note } = input;
    let mut p = Problems::default();
    let date = p.check("effective_from", super::model::parse_date(effective_from));
    let t = p.check("target", unit.parse_value(target, currency));
    let a = p.check("amber", unit.parse_value(amber, currency));
    let r = p.check("red", unit.parse_value(red, currency));
    let note = optional_text(&mut p, "note", note, 500);
    if let (Some(t), Some(a), Some(r)) = (t, a, r) {
        if let Err((field, message)) = check_thresholds(t, a, r, direction) {
            p.add(field, message);
        }
    }
    p.finish()?;
    Ok(Target {
        effective_from: date.ok_or(AppError::Internal)?.format("%Y-%m-%d").to_string(),
        target: t.ok_or(AppError::Internal)?,
        amber: a.ok_or(AppError::Internal)?,
        red: r.ok_or(AppError::Internal)?,
        note,
        set_by: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target_input(effective_from: &str, target: &str, amber: &str, red: &str, note: &str) -> TargetInput {
        TargetInput { effective_from: effective_from.into(), target: target.into(), amber: amber.into(), red: red.into(), note: note.into() }
    }

    fn input() -> KpiInput {
        KpiInput {
            key: "p95-latency".into(),
            name: "p95 latency".into(),
            category: "reliability".into(),
            unit: "ms".into(),
            direction: "lower".into(),
            aggregation: "median".into(),
            target: "250".into(),
            amber: "300".into(),
            red: "400".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_definition_parses() {
        let v = input().parse(Currency::usd()).unwrap();
        assert_eq!(v.unit, Unit::Milliseconds);
        assert_eq!(v.target, Some((250.0, 300.0, 400.0)));
        assert_eq!(v.department_id, None);
    }

    #[test]
    fn a_target_is_optional_but_all_or_nothing() {
        let none = KpiInput { target: "".into(), amber: "".into(), red: "".into(), ..input() };
        assert_eq!(none.parse(Currency::usd()).unwrap().target, None);
        let partial = KpiInput { red: "".into(), ..input() };
        assert_eq!(partial.parse(Currency::usd()).unwrap_err().for_field("red").as_deref(), Some("Enter a value."));
    }

    #[test]
    fn every_problem_is_reported_at_its_field() {
        let bad = KpiInput {
            key: "Bad Key".into(),
            name: "".into(),
            category: "fun".into(),
            unit: "parsecs".into(),
            direction: "".into(),
            aggregation: "avg".into(),
            department: "x".into(),
            description: "d".repeat(2001),
            ..input()
        };
        let err = bad.parse(Currency::usd()).unwrap_err();
        for field in ["key", "name", "category", "unit", "direction", "aggregation", "department", "description"] {
            assert!(err.for_field(field).is_some(), "{field}: {err:?}");
        }
    }

    #[test]
    fn thresholds_must_run_towards_worse() {
        let wrong = KpiInput { amber: "200".into(), ..input() };
        assert!(wrong.parse(Currency::usd()).unwrap_err().for_field("amber").unwrap().contains("at least the target"));
    }

    #[test]
    fn dora_metrics_get_their_fixed_shape() {
        let dora = KpiInput { computed: "lead_time".into(), unit: "".into(), direction: "".into(), aggregation: "".into(), target: "".into(), amber: "".into(), red: "".into(), ..input() };
        let v = dora.parse(Currency::usd()).unwrap();
        assert_eq!((v.unit, v.direction, v.aggregation), (Unit::Hours, Direction::Lower, Aggregation::Median));
        assert_eq!(v.computed, Some(Computed::LeadTime));
    }

    #[test]
    fn money_targets_are_exact_minor_units() {
        let money = KpiInput { unit: "money".into(), target: "4.00".into(), amber: "4.50".into(), red: "5.125".into(), ..input() };
        let err = money.parse(Currency::usd()).unwrap_err();
        assert!(err.for_field("red").unwrap().contains("2 decimals"));
        let ok = KpiInput { red: "5.10".into(), ..money };
        assert_eq!(ok.parse(Currency::usd()).unwrap().target, Some((400.0, 450.0, 510.0)));
    }

    #[test]
    fn targets_from_the_target_form() {
        let t = parse_target(Unit::Percent, Direction::Higher, Currency::usd(), &target_input("2026-01-01", "99.9", "99.5", "99", "raised")).unwrap();
        assert_eq!((t.target, t.amber, t.red), (99.9, 99.5, 99.0));
        let err = parse_target(Unit::Percent, Direction::Higher, Currency::usd(), &target_input("2026-02-30", "x", "99.5", "99", "")).unwrap_err();
        assert!(err.for_field("effective_from").is_some() && err.for_field("target").is_some());
    }
}

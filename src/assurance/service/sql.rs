//! What the findings' queries share: the reader's filter, and deadlines turned into instants.
//!
//! A finding is past its deadline when its first UTC day plus its severity's days is before
//! today (`model::Deadlines::breached`). For one severity that is "first seen before an
//! instant", so each question becomes a range over the index on (severity, first seen) of the
//! open findings, with the instants computed here from the deadlines, never from a request.

use super::super::model::{Deadlines, Severity};
use sqlx::{QueryBuilder, Sqlite};

pub const DAY: i64 = 86_400;

pub const RANK: &str = "CASE f.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END";

/// Which findings: the departments' systems the reader sees (`None`: all), one system, one
/// severity.
#[derive(Clone, Copy, Default)]
pub struct Filter {
    pub dept: Option<i64>,
    pub system: Option<i64>,
    pub severity: Option<Severity>,
}

impl Filter {
    /// ` AND …` for the filter, over findings aliased `f`.
    pub fn push(&self, qb: &mut QueryBuilder<'_, Sqlite>) {
        if let Some(d) = self.dept {
            qb.push(" AND f.system_id IN (SELECT id FROM systems WHERE department_id = ").push_bind(d).push(")");
        }
        if let Some(s) = self.system {
            qb.push(" AND f.system_id = ").push_bind(s);
        }
        if let Some(s) = self.severity {
            qb.push(" AND f.severity = ").push_bind(s.as_str());
        }
    }

    pub fn severities(&self) -> Vec<Severity> {
        Severity::ALL.iter().copied().filter(|s| self.severity.is_none_or(|only| only == *s)).collect()
    }
}

/// The instant before which a finding of severity `s` first seen then is due before day
/// `today + days` (a UTC day number): `cut(…, 0)` splits past the deadline from not.
pub fn cut(d: &Deadlines, s: Severity, today: i64, days: i64) -> i64 {
    (today + days - i64::from(d.days(s))) * DAY
}

/// `value(severity)` as SQL over `f.severity`.
pub fn per_severity(value: impl Fn(Severity) -> i64) -> String {
    let arm = |s: Severity| format!(" WHEN '{}' THEN {}", s.as_str(), value(s));
    format!("CASE f.severity{}{}{} ELSE {} END", arm(Severity::Critical), arm(Severity::High), arm(Severity::Medium), value(Severity::Low))
}

//! The SLA figures: open findings by severity (past the deadline, due within a week, by age)
//! in one pass over the open findings' index, and a span's fixes by severity in one pass over
//! the fixed ones'; and, for the alert rule, the systems with late findings.

use super::super::model::{Deadlines, Severity};
use super::super::view::{AgeBand, SeverityLine};
use super::sql::{cut, per_severity, Filter, DAY};
use crate::platform::error::AppError;
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Row, SqliteConnection};

/// Open findings' age bands: (label, youngest and oldest age in days).
const BANDS: [(&str, i64, i64); 5] = [("Up to a week", 0, 7), ("8 to 30 days", 8, 30), ("31 to 90 days", 31, 90), ("91 to 180 days", 91, 180), ("Over 180 days", 181, i64::MAX)];

/// The fixes of one severity over a span: how many, their days from first seen to fixed added
/// up, and how many by the deadline. Tallies of separate spans add up, which lets the posture
/// keep each closed month's (reading a year of fixes is the slow part of the SLA table).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixTally {
    pub fixed: i64,
    pub days: i64,
    pub within: i64,
}

impl std::ops::AddAssign for FixTally {
    fn add_assign(&mut self, o: Self) {
        self.fixed += o.fixed;
        self.days += o.days;
        self.within += o.within;
    }
}

/// Each severity's fixes (critical first) from `from` to before `to` (`None`: to now).
pub async fn fixes(db: &mut SqliteConnection, f: &Filter, d: &Deadlines, from: i64, to: Option<i64>) -> Result<[FixTally; 4], AppError> {
    let days = per_severity(|s| i64::from(d.days(s)));
    let mut qb = QueryBuilder::new(format!(
        "SELECT f.severity, count(*), coalesce(sum(f.fixed_at / {DAY} - f.first_seen / {DAY}), 0), coalesce(sum(f.fixed_at / {DAY} <= f.first_seen / {DAY} + {days}), 0)
         FROM findings f WHERE f.fixed_at IS NOT NULL AND f.fixed_at >= "
    ));
    qb.push_bind(from);
    if let Some(to) = to {
        qb.push(" AND f.fixed_at < ").push_bind(to);
    }
    Filter { severity: None, ..*f }.push(&mut qb);
    qb.push(" GROUP BY f.severity");
    let rows: Vec<(String, i64, i64, i64)> = qb.build_query_as().fetch_all(&mut *db).await?;
    let mut out = [FixTally::default(); 4];
    for (severity, fixed, days, within) in rows {
        if let Some(i) = Severity::ALL.iter().position(|s| s.as_str() == severity) {
            out[i] = FixTally { fixed, days, within };
        }
    }
    Ok(out)
}

/// Each severity's line of the SLA table with the last 12 months' fixes, and the open findings
/// by age.
pub async fn sla(db: &mut SqliteConnection, f: &Filter, d: &Deadlines, now: i64) -> Result<(Vec<SeverityLine>, Vec<AgeBand>), AppError> {
    let fixed = fixes(&mut *db, f, d, now - 365 * DAY, None).await?;
    sla_with(db, f, d, now, fixed).await
}

/// The SLA table with the fixes given (critical first), and the open findings by age.
pub async fn sla_with(db: &mut SqliteConnection, f: &Filter, d: &Deadlines, now: i64, fixed: [FixTally; 4]) -> Result<(Vec<SeverityLine>, Vec<AgeBand>), AppError> {
    let today = now.div_euclid(DAY);
    let f = Filter { severity: None, ..*f };
    // Per severity: past the deadline, due within a week, then each age band; each a count
    // over a range of the open findings' index, with no expression to work out per row. The
    // bands cover every age, so they add up to the open ones.
    let ranges = |s: Severity| {
        let (late, soon) = (cut(d, s, today, 0), cut(d, s, today, 8));
        let mut r = vec![(None, Some(late)), (Some(late), Some(soon))];
        // Ages lo..=hi: first seen from the start of day today-hi to before day today-lo+1.
        r.extend(BANDS.iter().map(|(_, lo, hi)| ((*hi != i64::MAX).then(|| (today - hi) * DAY), (*lo > 0).then(|| (today - lo + 1) * DAY))));
        r
    };
    let mut qb = QueryBuilder::new("SELECT ");
    for (k, s) in Severity::ALL.iter().enumerate() {
        for (i, (from, to)) in ranges(*s).into_iter().enumerate() {
            if k + i > 0 {
                qb.push(", ");
            }
            qb.push("(SELECT count(*) FROM findings f WHERE f.fixed_at IS NULL AND f.severity = ").push_bind(s.as_str());
            if let Some(from) = from {
                qb.push(" AND f.first_seen >= ").push_bind(from);
            }
            if let Some(to) = to {
                qb.push(" AND f.first_seen < ").push_bind(to);
            }
            f.push(&mut qb);
            qb.push(")");
        }
    }
    let row = qb.build().fetch_one(&mut *db).await?;
    let per = 2 + BANDS.len();
    let count = |k: usize, i: usize| -> Result<i64, sqlx::Error> { row.try_get::<i64, _>(k * per + i) };
    let mut lines = Vec::with_capacity(4);
    let mut ages: Vec<AgeBand> = BANDS.iter().map(|(label, _, _)| AgeBand { label: label.to_string(), counts: [0; 4] }).collect();
    for (k, s) in Severity::ALL.iter().enumerate() {
        for (i, band) in ages.iter_mut().enumerate() {
            band.counts[k] = count(k, 2 + i)?;
        }
        let FixTally { fixed: done, days, within } = fixed[k];
        lines.push(SeverityLine {
            severity: *s,
            days: d.days(*s),
            open: ages.iter().map(|b| b.counts[k]).sum(),
            breached: count(k, 0)?,
            due_soon: count(k, 1)?,
            fixed: done,
            mean_to_fix: (done > 0).then(|| format!("{:.1} days", (days as f64 / done as f64).max(0.0))),
            within_sla: (done > 0).then(|| format!("{:.0} %", within as f64 * 100.0 / done as f64)),
        });
    }
    Ok((lines, ages))
}

/// A system with findings open past their deadline, or due within the days asked.
pub struct LateSystem {
    pub system_id: i64,
    pub system: String,
    pub department_id: Option<i64>,
    pub breached: i64,
    /// "2 critical, 1 high".
    pub breached_by_severity: String,
    pub due_soon: i64,
    /// A critical or high finding is past its deadline.
    pub severe: bool,
}

/// The systems (one, or all) with findings past their deadline or due within `within` days:
/// a range of the open findings' index per severity, however many findings are on time.
pub async fn late_by_system(db: &mut SqliteConnection, only: Option<i64>, within: i64, now: i64) -> Result<Vec<LateSystem>, AppError> {
    let d = super::deadlines(&mut *db).await?;
    let today = now.div_euclid(DAY);
    let mut rows: Vec<(i64, String, Option<i64>, Severity, i64, i64)> = Vec::new();
    for s in Severity::ALL {
        let mut qb = QueryBuilder::new("SELECT f.system_id, s.name, s.department_id, count(*), coalesce(sum(f.first_seen < ");
        qb.push_bind(cut(&d, *s, today, 0));
        qb.push("), 0) FROM findings f JOIN systems s ON s.id = f.system_id WHERE f.fixed_at IS NULL AND f.severity = ").push_bind(s.as_str());
        qb.push(" AND f.first_seen < ").push_bind(cut(&d, *s, today, within.max(0) + 1));
        Filter { system: only, ..Default::default() }.push(&mut qb);
        qb.push(" GROUP BY f.system_id");
        let found: Vec<(i64, String, Option<i64>, i64, i64)> = qb.build_query_as().fetch_all(&mut *db).await?;
        rows.extend(found.into_iter().map(|(id, name, dept, all, late)| (id, name, dept, *s, late, all - late)));
    }
    let rank = |s: Severity| Severity::ALL.iter().position(|x| *x == s);
    rows.sort_by(|a, b| a.1.to_lowercase().cmp(&b.1.to_lowercase()).then(a.0.cmp(&b.0)).then(rank(a.3).cmp(&rank(b.3))));
    let mut out: Vec<LateSystem> = Vec::new();
    for (system_id, system, department_id, severity, breached, soon) in rows {
        if out.last().is_none_or(|l| l.system_id != system_id) {
            out.push(LateSystem { system_id, system, department_id, breached: 0, breached_by_severity: String::new(), due_soon: 0, severe: false });
        }
        let last = out.last_mut().expect("pushed above");
        last.due_soon += soon;
        if breached > 0 {
            last.breached += breached;
            last.severe |= matches!(severity, Severity::Critical | Severity::High);
            let part = format!("{breached} {}", severity.as_str());
            last.breached_by_severity = if last.breached_by_severity.is_empty() { part } else { format!("{}, {part}", last.breached_by_severity) };
        }
    }
    Ok(out)
}

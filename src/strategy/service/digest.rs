//! The strategy in a few figures, for two readers. The cockpit's panel: the objectives of the
//! day, the health of the initiatives in the reader's scope with the worst first, their
//! department's (or the company's) investment mix this fiscal year against target, and the
//! costs per unit. An investor report's strategy section: only what the CTO marked for
//! investors — objectives (with their initiatives' health and those of their KPIs that are
//! marked themselves), the investment mix when it is marked, and costs per unit that are
//! marked — judged as of the report period's end.

use super::super::mix::judge;
use super::super::model::{Health, InitiativeStatus};
use super::super::repo::{self, allocation as alloc};
use super::super::view::{DigestMix, DigestMixRow, DigestObjective, InitiativeBrief, InitiativeRow, StrategyDigest, UnitBrief, UNASSIGNED};
use super::read::{by_initiative, judge_objectives, row, HIDDEN_FROM_STAFF};
use super::scope;
use crate::auth::User;
use crate::budget::model::{FiscalCalendar, Month};
use crate::kpi::model::Kpi;
use crate::kpi::status::{rag, short_of_target, Rag};
use crate::platform::error::AppError;
use crate::platform::money::{self, Currency};
use crate::platform::time::{midnight, DAY};
use chrono::NaiveDate;
use sqlx::SqliteConnection;

/// The settings key: investors see the investment mix in reports.
pub const INVESTORS_SEE_MIX: &str = "investors_see_mix";
/// The cockpit lists this many initiatives needing attention.
const ATTENTION: usize = 5;

/// Who reads the digest.
pub enum Reader<'a> {
    /// A signed-in CTO or department head, by the strategy pages' rules.
    Staff(&'a User),
    /// An investor report: what the CTO marked for investors.
    Investors,
}

impl Reader<'_> {
    fn shows(&self, kpi: &Kpi) -> bool {
        match self {
            Reader::Staff(user) => crate::kpi::figures::can_view(user, kpi),
            Reader::Investors => kpi.investor_visible,
        }
    }
}

/// The digest of the days `from` to `to` (inclusive), judged as of `to`.
pub async fn digest(db: &mut SqliteConnection, reader: &Reader<'_>, (from, to): (NaiveDate, NaiveDate), cur: Currency) -> Result<StrategyDigest, AppError> {
    let department = match reader {
        Reader::Staff(user) => scope(user)?,
        Reader::Investors => None,
    };
    let shows = |k: &Kpi| reader.shows(k);
    let hidden = match reader {
        Reader::Staff(_) => HIDDEN_FROM_STAFF,
        Reader::Investors => "Another indicator",
    };
    let judged: Vec<_> = judge_objectives(&mut *db, (&shows, hidden), None, to, cur)
        .await?
        .into_iter()
        .filter(|j| j.period.0 <= to && j.period.1 >= from)
        .filter(|j| matches!(reader, Reader::Staff(_)) || j.record.investor_visible)
        .collect();
    let mut milestones = by_initiative(repo::milestones(&mut *db, None, department).await?);
    let rows: Vec<(Option<i64>, InitiativeRow)> = repo::initiatives(&mut *db, department)
        .await?
        .iter()
        .filter(|i| match reader {
            Reader::Staff(_) => true,
            Reader::Investors => i.status != InitiativeStatus::Proposed && i.objective_id.is_some_and(|o| judged.iter().any(|j| j.record.id == o)),
        })
        .map(|i| {
            let ms = milestones.remove(&i.id).unwrap_or_default();
            let objective = i.objective_id.and_then(|o| judged.iter().find(|j| j.record.id == o));
            (i.objective_id, row(i, &ms, objective, to, cur))
        })
        .collect();
    let brief = |r: &InitiativeRow| InitiativeBrief { id: r.id, title: r.title.clone(), department: r.department.clone(), status: r.status, health: r.health, why: r.why.clone() };
    let count = |h: Health| rows.iter().filter(|r| r.1.health == Some(h)).count();
    let mut attention: Vec<&InitiativeRow> = rows.iter().map(|r| &r.1).filter(|r| matches!(r.health, Some(Health::OffTrack | Health::AtRisk))).collect();
    attention.sort_by_key(|r| (r.health != Some(Health::OffTrack), r.target.clone()));
    let objectives = judged
        .into_iter()
        .map(|j| DigestObjective {
            title: j.record.title.clone(),
            period: format!("{} to {}", j.record.starts_on, j.record.ends_on),
            kpis: j.shown,
            initiatives: rows.iter().filter(|r| r.0 == Some(j.record.id)).map(|r| brief(&r.1)).collect(),
        })
        .collect();
    let (cal, _) = crate::budget::service::fiscal_year(&mut *db, "").await?;
    let mix = match reader {
        Reader::Investors if !investors_see_mix(&mut *db).await? => None,
        Reader::Investors => mix(&mut *db, cal, (Month::of(from), Month::of(to)), None, cur, String::new()).await?,
        Reader::Staff(_) => {
            let fy = cal.year_of(to);
            mix(&mut *db, cal, (cal.first_month(fy), Month::of(to)), department, cur, format!("FY{fy} to date")).await?
        }
    };
    Ok(StrategyDigest {
        objectives,
        counts: (count(Health::OnTrack), count(Health::AtRisk), count(Health::OffTrack)),
        attention: attention.into_iter().take(ATTENTION).map(brief).collect(),
        mix,
        unit_costs: unit_costs(&mut *db, reader, (from, to), cur).await?,
    })
}

pub async fn investors_see_mix(db: &mut SqliteConnection) -> Result<bool, AppError> {
    Ok(crate::platform::db::flag(db, INVESTORS_SEE_MIX).await?)
}

/// The actual money of months `first` to `last` by investment category, each category's share
/// against its target; `None` when nothing was spent. `label` names the months ("" for their
/// own span).
async fn mix(db: &mut SqliteConnection, cal: FiscalCalendar, (first, last): (Month, Month), department: Option<i64>, cur: Currency, label: String) -> Result<Option<DigestMix>, AppError> {
    let cats = alloc::categories(&mut *db).await?;
    let mut totals = vec![0i64; cats.len() + 1];
    // A span may cross a fiscal year's end; each year resolves its budget lines' categories.
    let (mut m, mut spans) = (first, Vec::new());
    while m <= last {
        let fy = cal.year_of(m.first_day());
        match spans.last_mut() {
            Some((y, _, to)) if *y == fy => *to = m,
            _ => spans.push((fy, m, m)),
        }
        m = m.next();
    }
    for (fy, a, b) in spans {
        for (_, _, category, total) in alloc::spending(&mut *db, fy, (a.code(), b.code()), department).await? {
            let slot = category.and_then(|c| cats.iter().position(|x| x.id == c)).unwrap_or(cats.len());
            totals[slot] = totals[slot].saturating_add(total);
        }
    }
    let all = money::sum(totals.iter().copied());
    if all <= 0 {
        return Ok(None);
    }
    let rows = totals
        .iter()
        .enumerate()
        .filter(|(i, v)| **v != 0 || *i < cats.len())
        .map(|(i, v)| {
            let share = super::super::mix::percent(*v, all).unwrap_or(0.0);
            let target = cats.get(i).and_then(super::allocation::target_of);
            DigestMixRow {
                name: cats.get(i).map_or(UNASSIGNED.to_string(), |c| c.name.clone()),
                actual: cur.format(*v),
                share: format!("{share:.1} %"),
                target: target.map(|t| t.describe()).unwrap_or_default(),
                status: target.map(|t| judge(t, share)),
            }
        })
        .collect();
    let label = if label.is_empty() && first == last { first.label() } else if label.is_empty() { format!("{} – {}", first.label(), last.label()) } else { label };
    Ok(Some(DigestMix { label, total: cur.format(all), rows }))
}

/// The costs per unit the reader sees: each one's last value up to `to` (within the span for a
/// report, the last two months for the cockpit) against its target then.
async fn unit_costs(db: &mut SqliteConnection, reader: &Reader<'_>, (from, to): (NaiveDate, NaiveDate), cur: Currency) -> Result<Vec<UnitBrief>, AppError> {
    let kpis: Vec<Kpi> = crate::kpi::figures::visible_kpis(&mut *db, None, true)
        .await?
        .into_iter()
        .map(|r| r.into_kpi())
        .filter(|k| k.kept_by.as_deref() == Some(super::unit::KEPT_BY) && reader.shows(k))
        .collect();
    let end = midnight(to) + DAY;
    let start = match reader {
        Reader::Investors => midnight(from),
        Reader::Staff(_) => end - 62 * DAY,
    };
    let mut out = Vec::with_capacity(kpis.len());
    for k in kpis {
        let value = crate::kpi::figures::window_value(&mut *db, &k, start, end).await?;
        let targets = crate::kpi::figures::targets(&mut *db, k.id).await?;
        let target = crate::kpi::figures::target_at(&targets, end - 1).cloned();
        let rag = match (value, &target) {
            (None, _) => Rag::NoData,
            (Some(_), None) => Rag::Unrated,
            (Some(v), Some(t)) => rag(v, t.amber, t.red, k.direction),
        };
        let short = value.zip(target.as_ref()).and_then(|(v, t)| short_of_target(rag, v, t.target, k.direction));
        out.push(UnitBrief {
            key: k.key.clone(),
            name: k.name.clone(),
            value: value.map(|v| k.unit.format(v, cur)),
            target: target.map(|t| k.unit.format(t.target, cur)),
            rag,
            short,
        });
    }
    Ok(out)
}

//! The strategy map and an initiative's page: health judged at each read from the milestones,
//! the spend booked to the initiative and its objective's KPIs.

use super::super::charts::timeline;
use super::super::model::{judge, Health, InitiativeStatus, KpiProgress, Milestone, Signals};
use super::super::repo::{self, InitiativeRecord, MilestoneRecord, ObjectiveRecord};
use super::super::view::{InitiativePage, InitiativeRow, MilestoneRow, ObjectiveCard, ObjectiveKpi, StrategyMap};
use super::{scope, visible_initiative};
use crate::access::Role;
use crate::auth::User;
use crate::kpi::model::{Direction, Kpi};
use crate::platform::error::AppError;
use crate::platform::money::Currency;
use crate::platform::state::AppState;
use crate::platform::time::DAY;
use chrono::NaiveDate;
use sqlx::SqliteConnection;
use std::collections::HashMap;

/// A KPI's value for progress is its mean (or sum, or last) over this many days, as its card
/// shows by default.
const KPI_WINDOW_DAYS: i64 = 30;

/// An objective as judged: its period, the progress of each KPI the reader may see.
pub(super) struct Judged {
    pub record: ObjectiveRecord,
    pub period: (NaiveDate, NaiveDate),
    pub progress: Vec<KpiProgress>,
    pub shown: Vec<ObjectiveKpi>,
}

pub async fn map(st: &AppState, user: &User) -> Result<StrategyMap, AppError> {
    let dept = scope(user)?;
    let cur = st.config.currency;
    let today = crate::platform::time::today();
    let mut db = st.pool.acquire().await?;
    let objectives = judge_objectives(&mut db, (&|k| crate::kpi::figures::can_view(user, k), HIDDEN_FROM_STAFF), None, today, cur).await?;
    let initiatives = repo::initiatives(&mut db, dept).await?;
    let mut milestones = by_initiative(repo::milestones(&mut db, None, dept).await?);
    let rows: Vec<(Option<i64>, InitiativeRow, Vec<MilestoneRecord>)> = initiatives
        .iter()
        .map(|i| {
            let ms = milestones.remove(&i.id).unwrap_or_default();
            let objective = i.objective_id.and_then(|o| objectives.iter().find(|j| j.record.id == o));
            (i.objective_id, row(i, &ms, objective, today, cur), ms)
        })
        .collect();
    let count = |h: Health| rows.iter().filter(|r| r.1.health == Some(h)).count();
    let counts = (count(Health::OnTrack), count(Health::AtRisk), count(Health::OffTrack));
    let timeline = timeline(&rows.iter().map(|(_, r, ms)| (r, ms.as_slice())).collect::<Vec<_>>(), today)?;
    let mut cards: Vec<ObjectiveCard> = objectives
        .into_iter()
        .map(|j| ObjectiveCard {
            id: j.record.id,
            period: format!("{} to {}", j.record.starts_on, j.record.ends_on),
            title: j.record.title,
            description: j.record.description,
            owner: j.record.owner,
            kpis: j.shown,
            initiatives: Vec::new(),
        })
        .collect();
    let mut unaligned = Vec::new();
    for (objective, r, _) in rows {
        match objective.and_then(|o| cards.iter_mut().find(|c| c.id == o)) {
            Some(card) => card.initiatives.push(r),
            None => unaligned.push(r),
        }
    }
    Ok(StrategyMap {
        objectives: cards,
        unaligned,
        counts,
        timeline,
        can_edit_objectives: user.role == Role::Cto,
        can_add_initiative: matches!(user.role, Role::Cto) || user.department_id.is_some(),
    })
}

pub async fn initiative_page(st: &AppState, user: &User, id: i64) -> Result<InitiativePage, AppError> {
    let cur = st.config.currency;
    let today = crate::platform::time::today();
    let mut db = st.pool.acquire().await?;
    let i = visible_initiative(&mut db, user, id).await?;
    let objective = match i.objective_id {
        Some(o) => judge_objectives(&mut db, (&|k| crate::kpi::figures::can_view(user, k), HIDDEN_FROM_STAFF), Some(o), today, cur).await?.pop(),
        None => None,
    };
    let ms = repo::milestones(&mut db, Some(id), None).await?;
    let milestones = ms
        .iter()
        .map(|m| {
            let due = day(&m.due_on);
            MilestoneRow {
                id: m.id,
                title: m.title.clone(),
                due: m.due_on.clone(),
                done: m.done_on.clone(),
                late_days: (m.done_on.is_none() && due < today).then(|| (today - due).num_days()),
            }
        })
        .collect();
    let row = row(&i, &ms, objective.as_ref(), today, cur);
    let systems = repo::initiative_systems(&mut db, id).await?;
    let expenses = repo::initiative_expenses(&mut db, id).await?.into_iter().map(|(d, what, amount)| (d, what, cur.format(amount))).collect();
    Ok(InitiativePage {
        row,
        description: i.description,
        objective: objective.as_ref().map(|o| (o.record.id, o.record.title.clone())),
        kpis: objective.map(|o| o.shown).unwrap_or_default(),
        milestones,
        systems,
        expenses,
        today: today.to_string(),
        radar: crate::radar::service::mentions(&mut db, crate::radar::service::Named::Initiative(id)).await?,
        stage: match (i.capitalize_from.as_deref(), i.in_service_on.as_deref()) {
            (Some(from), Some(until)) => format!("Capitalizable: in development from {from}, in service since {until}"),
            (Some(from), None) => format!("Capitalizable: in development since {from}"),
            _ => String::new(),
        },
    })
}

pub(super) fn by_initiative(ms: Vec<MilestoneRecord>) -> HashMap<i64, Vec<MilestoneRecord>> {
    let mut map: HashMap<i64, Vec<MilestoneRecord>> = HashMap::new();
    for m in ms {
        map.entry(m.initiative_id).or_default().push(m);
    }
    map
}

/// Dates come from the database, written by our own checks; a bad one would be a bug, and
/// reads as the epoch rather than failing the whole page.
fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

pub(super) fn row(i: &InitiativeRecord, ms: &[MilestoneRecord], objective: Option<&Judged>, today: NaiveDate, cur: Currency) -> InitiativeRow {
    let marks: Vec<Milestone> = ms.iter().map(|m| Milestone { due: day(&m.due_on), done: m.done_on.as_deref().map(day) }).collect();
    let judged = judge(&Signals {
        today,
        status: i.status,
        target: day(&i.target_on),
        milestones: &marks,
        budget_minor: i.budget_minor,
        spent_minor: i.spent_minor,
        period: objective.map(|o| o.period),
        kpis: objective.map(|o| o.progress.as_slice()).unwrap_or_default(),
    });
    InitiativeRow {
        id: i.id,
        title: i.title.clone(),
        department: i.department.clone(),
        owner: i.owner.clone(),
        status: i.status,
        category: i.category.clone(),
        starts: i.starts_on.clone(),
        target: i.target_on.clone(),
        health: judged.as_ref().map(|j| j.health),
        why: match judged {
            Some(j) => j.why,
            None if i.status == InitiativeStatus::Proposed => "Judged once it is approved.".into(),
            // Finished or stopped: the badge says so, and there is nothing left to judge.
            None => String::new(),
        },
        milestones: (marks.iter().filter(|m| m.done.is_some()).count(), marks.len()),
        budget: if i.budget_minor > 0 { cur.format(i.budget_minor) } else { "—".into() },
        spent: cur.format(i.spent_minor),
    }
}

/// How a KPI a head may not see is named where health says why.
pub(super) const HIDDEN_FROM_STAFF: &str = "Another department's KPI";

/// Objectives (one, or all) with the progress of each KPI the reader may see (`shows`), as of
/// `today`; a KPI they may not see is named `hidden` where health says why.
pub(super) async fn judge_objectives(db: &mut SqliteConnection, (shows, hidden): (&(dyn Fn(&Kpi) -> bool + Sync), &str), only: Option<i64>, today: NaiveDate, cur: Currency) -> Result<Vec<Judged>, AppError> {
    let records = match only {
        Some(id) => vec![repo::objective(db, id).await?],
        None => repo::objectives(db).await?,
    };
    let links = repo::objective_kpis(db, only).await?;
    // Health is judged from every KPI of the objective, so it reads the same to everyone who
    // sees the initiative; a KPI the reader may not see is named only as another department's.
    let kpis: HashMap<i64, Kpi> = if links.is_empty() {
        HashMap::new()
    } else {
        crate::kpi::figures::visible_kpis(&mut *db, None, true).await?.into_iter().map(|r| r.into_kpi()).map(|k| (k.id, k)).collect()
    };
    let mut out = Vec::with_capacity(records.len());
    let mut values = Values::default();
    for record in records {
        let period = (day(&record.starts_on), day(&record.ends_on));
        let mut progress = Vec::new();
        let mut shown = Vec::new();
        for (_, kpi_id, target) in links.iter().filter(|l| l.0 == record.id) {
            let Some(kpi) = kpis.get(kpi_id) else { continue };
            let (mut p, s) = kpi_progress(db, &mut values, kpi, *target, period, today, cur).await?;
            if shows(kpi) {
                shown.push(s);
            } else {
                p.name = hidden.into();
            }
            progress.push(p);
        }
        out.push(Judged { record, period, progress, shown });
    }
    Ok(out)
}

/// A KPI's values over windows, read once per page: objectives of the same period often share
/// their KPIs, and each window is a few queries.
#[derive(Default)]
struct Values(HashMap<(i64, i64, i64), Option<f64>>);

impl Values {
    async fn over(&mut self, db: &mut SqliteConnection, kpi: &Kpi, from: i64, to: i64) -> Result<Option<f64>, AppError> {
        if let Some(v) = self.0.get(&(kpi.id, from, to)) {
            return Ok(*v);
        }
        let v = crate::kpi::figures::window_value(db, kpi, from, to).await?;
        self.0.insert((kpi.id, from, to), v);
        Ok(v)
    }
}

/// Where a KPI stood when the period began (its window before the start, or, for a KPI first
/// measured later, its first window in the period) and where it stands now.
async fn kpi_progress(db: &mut SqliteConnection, values: &mut Values, kpi: &Kpi, target: f64, (start, end): (NaiveDate, NaiveDate), today: NaiveDate, cur: Currency) -> Result<(KpiProgress, ObjectiveKpi), AppError> {
    let window = KPI_WINDOW_DAYS * DAY;
    let from = crate::platform::time::midnight(start);
    let (baseline, current) = if today < start {
        (None, None)
    } else {
        let baseline = match values.over(db, kpi, from - window, from).await? {
            Some(v) => Some(v),
            None => values.over(db, kpi, from, from + window).await?,
        };
        let now = crate::platform::time::midnight(today.min(end)) + DAY;
        (baseline, values.over(db, kpi, now - window, now).await?)
    };
    let p = KpiProgress { name: kpi.name.clone(), baseline, current, target, higher_is_better: kpi.direction == Direction::Higher };
    let shown = ObjectiveKpi {
        key: kpi.key.clone(),
        name: kpi.name.clone(),
        baseline: baseline.map(|v| kpi.unit.format(v, cur)),
        current: current.map(|v| kpi.unit.format(v, cur)),
        target: kpi.unit.format(target, cur),
        progress: p.progress_pct().map(|v| v.round() as i64),
    };
    Ok((p, shown))
}

//! The bodies of the surveys' server functions that read: the CTO's list and one survey's rounds
//! with each group's result (none below the anonymity threshold), and the rounds waiting for a
//! reader's answer.

mod edit;

pub use edit::{answer, save, schedule, send_round};
pub(crate) use edit::{keep_in_kpis, open_round, refresh_pulse, store_answer};

use super::model::{asks, comments, everyone_shown, outcome, Every, Scale};
use super::view::{GroupResult, PulsePage, PulseRow, RoundView, SurveysView, Waiting};
use crate::access::Role;
use crate::auth::User;
use crate::platform::db::{choices, now_unix};
use crate::platform::error::{refused, AppError};
use crate::platform::state::AppState;
use crate::platform::time::date_of;
use sqlx::SqliteConnection;
use std::collections::BTreeMap;

#[derive(Clone, Debug, sqlx::FromRow)]
pub(crate) struct PulseRecord {
    pub id: i64,
    pub title: String,
    pub question: String,
    pub scale: Scale,
    pub every: Every,
    pub roles: String,
}

impl PulseRecord {
    pub fn roles(&self) -> Vec<Role> {
        self.roles.split(',').filter_map(Role::parse).collect()
    }
}

const PULSES: &str = "SELECT id, title, question, scale, every, roles FROM pulses";

pub(crate) async fn pulse(db: &mut SqliteConnection, id: i64) -> Result<PulseRecord, AppError> {
    sqlx::query_as(&format!("{PULSES} WHERE id = ?1")).bind(id).fetch_optional(&mut *db).await?.ok_or(AppError::NotFound)
}

pub(crate) async fn departments_of(db: &mut SqliteConnection, pulse: i64) -> Result<Vec<(i64, String)>, AppError> {
    Ok(sqlx::query_as("SELECT d.id, d.name FROM pulse_departments p JOIN departments d ON d.id = p.department_id WHERE p.pulse_id = ?1 ORDER BY d.name").bind(pulse).fetch_all(&mut *db).await?)
}

/// "Department heads of Engineering and Operations; investors".
async fn asked(db: &mut SqliteConnection, p: &PulseRecord) -> Result<String, AppError> {
    let departments = departments_of(db, p.id).await?;
    let words: Vec<String> = p
        .roles()
        .into_iter()
        .map(|r| match r {
            Role::DepartmentHead if departments.is_empty() => "department heads".to_string(),
            Role::DepartmentHead => format!("department heads of {}", departments.iter().map(|d| d.1.as_str()).collect::<Vec<_>>().join(", ")),
            Role::Investor => "investors".to_string(),
            Role::Cto => "the CTO".to_string(),
        })
        .collect();
    let text = words.join("; ");
    let mut chars = text.chars();
    Ok(chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default())
}

fn cto_only(user: &User) -> Result<(), AppError> {
    if user.role == Role::Cto { Ok(()) } else { Err(refused(AppError::Forbidden)) }
}

pub async fn surveys(st: &AppState, cto: &User) -> Result<SurveysView, AppError> {
    cto_only(cto)?;
    let mut db = st.pool.acquire().await?;
    let records: Vec<PulseRecord> = sqlx::query_as(&format!("{PULSES} ORDER BY title COLLATE NOCASE")).fetch_all(&mut *db).await?;
    let mut pulses = Vec::with_capacity(records.len());
    for p in records {
        let rounds = rounds(&mut db, &p).await?;
        let latest = rounds.first().and_then(|r| r.results.first()).map(|g| match &g.score {
            Some(s) => format!("{s} from {} answers", g.answers),
            None => format!("{} answers so far", g.answers),
        });
        pulses.push(PulseRow { id: p.id, title: p.title.clone(), every: p.every, asked: asked(&mut db, &p).await?, rounds: rounds.len(), latest: latest.unwrap_or_else(|| "Not sent yet".into()) });
    }
    Ok(SurveysView { pulses, departments: choices(&mut db, "SELECT id, name FROM departments ORDER BY name").await? })
}

pub async fn pulse_page(st: &AppState, cto: &User, id: i64) -> Result<PulsePage, AppError> {
    cto_only(cto)?;
    let mut db = st.pool.acquire().await?;
    let p = pulse(&mut db, id).await?;
    let rounds = rounds(&mut db, &p).await?;
    Ok(PulsePage {
        id,
        title: p.title.clone(),
        question: p.question.clone(),
        scale: p.scale,
        every: p.every,
        asked: asked(&mut db, &p).await?,
        open_round: rounds.iter().any(|r| r.open),
        rounds,
    })
}

/// A pulse's rounds, newest first, each with the company's result and each department's.
async fn rounds(db: &mut SqliteConnection, p: &PulseRecord) -> Result<Vec<RoundView>, AppError> {
    let now = now_unix();
    let list: Vec<(i64, i64, i64)> = sqlx::query_as("SELECT id, opens_at, closes_at FROM pulse_rounds WHERE pulse_id = ?1 ORDER BY opens_at DESC").bind(p.id).fetch_all(&mut *db).await?;
    let kpis: Vec<(Option<i64>, String)> = sqlx::query_as("SELECT x.department_id, k.key FROM pulse_kpis x JOIN kpis k ON k.id = x.kpi_id WHERE x.pulse_id = ?1").bind(p.id).fetch_all(&mut *db).await?;
    let kpi_of = |d: Option<i64>| kpis.iter().find(|k| k.0 == d).map(|k| k.1.clone());
    let mut out = Vec::with_capacity(list.len());
    for (round, opens, closes) in list {
        let answers: Vec<(Option<i64>, Option<String>, i64, String)> = sqlx::query_as(
            "SELECT a.department_id, d.name, a.score, a.comment FROM pulse_answers a LEFT JOIN departments d ON d.id = a.department_id WHERE a.round_id = ?1",
        )
        .bind(round)
        .fetch_all(&mut *db)
        .await?;
        let mut sizes: BTreeMap<Option<i64>, usize> = BTreeMap::new();
        for a in &answers {
            *sizes.entry(a.0).or_default() += 1;
        }
        let everyone = everyone_shown(&sizes.values().copied().collect::<Vec<_>>());
        let group = |label: String, dept: Option<Option<i64>>| {
            let mine: Vec<&(Option<i64>, Option<String>, i64, String)> = answers.iter().filter(|a| dept.is_none_or(|d| a.0 == d)).collect();
            let scores: Vec<i64> = mine.iter().map(|a| a.2).collect();
            let result = if dept.is_none() && !everyone { None } else { outcome(p.scale, &scores) };
            let shown = result.is_some();
            GroupResult {
                group: label,
                answers: scores.len(),
                score: result.as_ref().map(|o| format!("{:.1}", o.mean)),
                spread: result.map(|o| o.spread).unwrap_or_default(),
                comments: if shown { comments(mine.iter().map(|a| a.3.clone()).collect(), scores.len()) } else { Vec::new() },
                kpi_key: kpi_of(dept.flatten()),
            }
        };
        let mut results = vec![group("Everyone asked".into(), None)];
        let mut departments: Vec<(i64, String)> = answers.iter().filter_map(|a| a.0.zip(a.1.clone())).collect();
        departments.sort();
        departments.dedup();
        results.extend(departments.into_iter().map(|(id, name)| group(name, Some(Some(id)))));
        out.push(RoundView { id: round, opens_on: date_of(opens).to_string(), closes_on: date_of(closes).to_string(), open: opens <= now && now < closes, results });
    }
    Ok(out)
}

/// The open rounds that ask the reader and that they have not answered.
pub async fn waiting(st: &AppState, user: &User) -> Result<Vec<Waiting>, AppError> {
    let mut db = st.pool.acquire().await?;
    let now = now_unix();
    let open: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT r.id, r.pulse_id, r.closes_at FROM pulse_rounds r
         WHERE r.opens_at <= ?1 AND ?1 < r.closes_at AND NOT EXISTS (SELECT 1 FROM pulse_responded x WHERE x.round_id = r.id AND x.user_id = ?2)
         ORDER BY r.closes_at",
    )
    .bind(now)
    .bind(user.id)
    .fetch_all(&mut *db)
    .await?;
    let mut found = Vec::new();
    for (round, pulse_id, closes) in open {
        let p = pulse(&mut db, pulse_id).await?;
        let departments: Vec<i64> = departments_of(&mut db, p.id).await?.into_iter().map(|d| d.0).collect();
        if asks(&p.roles(), &departments, user.role, user.department_id) {
            found.push(Waiting { round, title: p.title, question: p.question, scale: p.scale, closes_on: date_of(closes).to_string() });
        }
    }
    Ok(found)
}

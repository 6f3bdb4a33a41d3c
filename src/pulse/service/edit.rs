//! Sending surveys and answering them. A new survey goes out at once; one on a schedule goes
//! out again when its interval has passed (checked hourly). Its scores are kept in KPIs, one per
//! department asked and one for everyone, written again with each answer: a round's value
//! appears once enough people have answered for nobody's answer to show.

use super::super::model::{asks, everyone_shown, outcome, Every, Scale, MIN_GROUP, OPEN_DAYS};
use super::super::view::{PulseAnswer, PulseInput};
use super::{departments_of, pulse, PulseRecord};
use crate::access::Role;
use crate::auth::User;
use crate::kpi::figures::NewPoint;
use crate::kpi::form::KpiInput;
use crate::platform::audit::Entry;
use crate::platform::db::{begin_write, chosen, now_unix};
use crate::platform::error::{parse_id, AppError, Problems};
use crate::platform::state::AppState;
use crate::platform::time::DAY;
use crate::platform::validate::{optional_text, required_text};
use sqlx::{SqliteConnection, SqlitePool};

/// What `kpis.kept_by` says of a survey's score.
pub const KEPT_BY: &str = "pulse";

const DEPARTMENTS: &str = "SELECT id, name FROM departments";

/// Creates a survey, its KPIs, and its first round, open from now; its id.
pub async fn save(st: &AppState, cto: &User, input: PulseInput) -> Result<i64, AppError> {
    let mut p = Problems::default();
    let title = p.check("title", required_text(&input.title, "title", 60));
    let question = p.check("question", required_text(&input.question, "question", 300));
    let scale = p.check("scale", Scale::parse(&input.scale).ok_or_else(|| "Choose a scale.".to_string()));
    let every = p.check("every", Every::parse(&input.every).ok_or_else(|| "Choose how often it goes out.".to_string()));
    let mut roles = Vec::new();
    for r in &input.roles {
        match Role::parse(r) {
            Some(role @ (Role::DepartmentHead | Role::Investor)) if !roles.contains(&role) => roles.push(role),
            _ => p.add("roles", "Choose department heads, investors or both."),
        }
    }
    if input.roles.is_empty() {
        p.add("roles", "Choose who is asked.");
    }
    let mut tx = begin_write(&st.pool).await?;
    let mut departments = Vec::new();
    for d in &input.departments {
        departments.extend(chosen(&mut tx, &mut p, "departments", d, DEPARTMENTS, "departments").await?);
    }
    if let Some(title) = &title {
        let taken: i64 = sqlx::query_scalar("SELECT count(*) FROM pulses WHERE title = ?1 COLLATE NOCASE").bind(title).fetch_one(&mut *tx).await?;
        if taken > 0 {
            p.add("title", "A survey with this title exists; choose another.");
        }
    }
    p.finish()?;
    let (Some(title), Some(question), Some(scale), Some(every)) = (title, question, scale, every) else { return Err(AppError::Internal) };
    let now = now_unix();
    let roles_text = roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",");
    let id: i64 = sqlx::query_scalar("INSERT INTO pulses (title, question, scale, every, roles, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id")
        .bind(&title)
        .bind(&question)
        .bind(scale.as_str())
        .bind(every.as_str())
        .bind(&roles_text)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
    for d in &departments {
        sqlx::query("INSERT INTO pulse_departments (pulse_id, department_id) VALUES (?1, ?2)").bind(id).bind(d).execute(&mut *tx).await?;
    }
    keep_in_kpis(&mut tx, cto, id, &title, scale, &roles, &departments).await?;
    open_round(&mut tx, id, now).await?;
    Entry::new(&cto.actor(), "feedback", "send_survey").object("survey", id, &title).detail(format!("{question} ({}, {})", scale.label(), every.label().to_lowercase())).record(&mut tx).await?;
    tx.commit().await?;
    Ok(id)
}

/// One KPI per department whose heads are asked, and one for everyone: "IT satisfaction,
/// Engineering" and "IT satisfaction".
pub(crate) async fn keep_in_kpis(tx: &mut SqliteConnection, cto: &User, id: i64, title: &str, scale: Scale, roles: &[Role], departments: &[i64]) -> Result<(), AppError> {
    let mut groups: Vec<(Option<i64>, String)> = vec![(None, title.to_string())];
    if roles.contains(&Role::DepartmentHead) {
        let all: Vec<(i64, String)> = sqlx::query_as(DEPARTMENTS).fetch_all(&mut *tx).await?;
        groups.extend(all.into_iter().filter(|(d, _)| departments.is_empty() || departments.contains(d)).map(|(d, name)| (Some(d), format!("{title}, {name}"))));
    }
    let (target, amber, red) = scale.default_target();
    for (department, name) in groups {
        let mut key = format!("survey-{}", slug(&name));
        let taken: i64 = sqlx::query_scalar("SELECT count(*) FROM kpis WHERE key = ?1").bind(&key).fetch_one(&mut *tx).await?;
        if taken > 0 {
            key = format!("{key}-{id}");
        }
        let form = KpiInput {
            key,
            name,
            description: format!("The mean answer to the survey “{title}”, {} ({}), for each round with at least {MIN_GROUP} answers. Kept by Northstar from the answers.", scale.label(), if department.is_some() { "this department's heads" } else { "everyone asked" }),
            formula: format!("Mean score of a round's answers; no value below {MIN_GROUP} answers"),
            category: "people".into(),
            unit: "score".into(),
            direction: "higher".into(),
            aggregation: "last".into(),
            computed: String::new(),
            owner: String::new(),
            department: department.map(|d| d.to_string()).unwrap_or_default(),
            investor_visible: false,
            target: target.into(),
            amber: amber.into(),
            red: red.into(),
        };
        // A score has no currency; any one parses it.
        let valid = form.parse(crate::platform::money::CURRENCIES[0])?;
        let kpi = crate::kpi::service::write(&mut *tx, cto, "", &valid, Some(KEPT_BY)).await?;
        sqlx::query("INSERT INTO pulse_kpis (pulse_id, department_id, kpi_id) VALUES (?1, ?2, ?3)").bind(id).bind(department).bind(kpi).execute(&mut *tx).await?;
    }
    Ok(())
}

fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').chars().take(60).collect()
}

/// A round of `pulse` open from `from` for `OPEN_DAYS`.
pub(crate) async fn open_round(tx: &mut SqliteConnection, pulse: i64, from: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("INSERT INTO pulse_rounds (pulse_id, opens_at, closes_at) VALUES (?1, ?2, ?3) RETURNING id").bind(pulse).bind(from).bind(from + OPEN_DAYS * DAY).fetch_one(&mut *tx).await?)
}

/// Sends a survey again now, unless a round of it is still open.
pub async fn send_round(st: &AppState, cto: &User, id: i64) -> Result<String, AppError> {
    let mut tx = begin_write(&st.pool).await?;
    let p = pulse(&mut tx, id).await?;
    let now = now_unix();
    let open: i64 = sqlx::query_scalar("SELECT count(*) FROM pulse_rounds WHERE pulse_id = ?1 AND closes_at > ?2").bind(id).bind(now).fetch_one(&mut *tx).await?;
    if open > 0 {
        return Err(AppError::conflict("A round of this survey is still open; send it again once it closes."));
    }
    open_round(&mut tx, id, now).await?;
    Entry::new(&cto.actor(), "feedback", "send_survey").object("survey", id, &p.title).detail("Sent again").record(&mut tx).await?;
    tx.commit().await?;
    Ok(format!("Sent {} again; it is open for {OPEN_DAYS} days.", p.title))
}

/// Opens the next round of every scheduled survey whose interval has passed since its last.
pub async fn schedule(pool: &SqlitePool, now: i64) -> Result<usize, AppError> {
    let mut tx = begin_write(pool).await?;
    let due: Vec<(i64, String, i64)> = sqlx::query_as("SELECT p.id, p.every, max(r.opens_at) FROM pulses p JOIN pulse_rounds r ON r.pulse_id = p.id WHERE p.every != 'once' GROUP BY p.id").fetch_all(&mut *tx).await?;
    let mut opened = 0;
    for (id, every, last) in due {
        if let Some(days) = Every::parse(&every).and_then(Every::days) {
            if last + days * DAY <= now {
                open_round(&mut tx, id, now).await?;
                opened += 1;
            }
        }
    }
    tx.commit().await?;
    Ok(opened)
}

/// Records one anonymous answer: who answered and what was answered go to two tables that share
/// only the round, the answer under a random id so their order says nothing either. No audit
/// entry: the trail would say who answered when.
pub async fn answer(st: &AppState, user: &User, input: PulseAnswer) -> Result<String, AppError> {
    let round = parse_id(&input.round, "survey round")?.ok_or(AppError::NotFound)?;
    let mut p = Problems::default();
    let comment = optional_text(&mut p, "comment", &input.comment, 1000);
    let mut tx = begin_write(&st.pool).await?;
    let now = now_unix();
    let found: Option<(i64, i64, i64)> = sqlx::query_as("SELECT pulse_id, opens_at, closes_at FROM pulse_rounds WHERE id = ?1").bind(round).fetch_optional(&mut *tx).await?;
    let Some((pulse_id, opens, closes)) = found else { return Err(AppError::NotFound) };
    let pr = pulse(&mut tx, pulse_id).await?;
    let departments: Vec<i64> = departments_of(&mut tx, pulse_id).await?.into_iter().map(|d| d.0).collect();
    if !asks(&pr.roles(), &departments, user.role, user.department_id) {
        return Err(crate::platform::error::refused(AppError::Forbidden));
    }
    if now < opens || now >= closes {
        return Err(AppError::conflict("This survey round has closed."));
    }
    let score = p.check(
        "score",
        input.score.trim().parse::<i64>().ok().filter(|s| pr.scale.range().contains(s)).ok_or_else(|| format!("Choose a score from {}.", pr.scale.label())),
    );
    p.finish()?;
    let score = score.ok_or(AppError::Internal)?;
    let department = if user.role == Role::DepartmentHead { user.department_id } else { None };
    if !store_answer(&mut tx, round, (user.id, department), score, &comment).await? {
        return Err(AppError::conflict("You have answered this round already; answers cannot be changed, since nobody can tell which is yours."));
    }
    refresh(&mut tx, &pr).await?;
    tx.commit().await?;
    Ok(format!("Thank you. Your answer to {} is counted, without your name.", pr.title))
}

/// Stores one answer of `user` (counted for `department`) apart from the record that they
/// answered; false, with nothing stored, when they had answered the round already.
pub(crate) async fn store_answer(tx: &mut SqliteConnection, round: i64, (user, department): (i64, Option<i64>), score: i64, comment: &str) -> Result<bool, AppError> {
    let first = sqlx::query("INSERT INTO pulse_responded (round_id, user_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING").bind(round).bind(user).execute(&mut *tx).await?.rows_affected() > 0;
    if first {
        sqlx::query("INSERT INTO pulse_answers (id, round_id, department_id, score, comment) VALUES (abs(random() % 9007199254740991) + 1, ?1, ?2, ?3, ?4)")
            .bind(round)
            .bind(department)
            .bind(score)
            .bind(comment)
            .execute(&mut *tx)
            .await?;
    }
    Ok(first)
}

/// Writes each of the survey's KPIs again from every round's answers, for the demo's rounds.
pub(crate) async fn refresh_pulse(tx: &mut SqliteConnection, id: i64) -> Result<(), AppError> {
    let p = pulse(&mut *tx, id).await?;
    refresh(tx, &p).await
}

/// Writes each of the survey's KPIs again from every round's answers.
async fn refresh(tx: &mut SqliteConnection, p: &PulseRecord) -> Result<(), AppError> {
    let kpis: Vec<(Option<i64>, i64)> = sqlx::query_as("SELECT department_id, kpi_id FROM pulse_kpis WHERE pulse_id = ?1").bind(p.id).fetch_all(&mut *tx).await?;
    let rounds: Vec<(i64, i64)> = sqlx::query_as("SELECT id, opens_at FROM pulse_rounds WHERE pulse_id = ?1").bind(p.id).fetch_all(&mut *tx).await?;
    for (department, kpi) in kpis {
        let mut points = Vec::new();
        for (round, opens) in &rounds {
            let scores: Vec<i64> = sqlx::query_scalar("SELECT score FROM pulse_answers WHERE round_id = ?1 AND (?2 IS NULL OR department_id = ?2)").bind(round).bind(department).fetch_all(&mut *tx).await?;
            if department.is_none() {
                let sizes: Vec<i64> = sqlx::query_scalar("SELECT count(*) FROM pulse_answers WHERE round_id = ?1 GROUP BY department_id").bind(round).fetch_all(&mut *tx).await?;
                if !everyone_shown(&sizes.into_iter().map(|n| n as usize).collect::<Vec<_>>()) {
                    continue;
                }
            }
            if let Some(o) = outcome(p.scale, &scores) {
                points.push(NewPoint { ts: *opens, value: o.mean, note: Some(format!("{} answers", scores.len())) });
            }
        }
        crate::kpi::figures::replace_kept(&mut *tx, kpi, &points).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn keys_come_from_names() {
        assert_eq!(slug("IT satisfaction, Engineering"), "it-satisfaction-engineering");
        assert_eq!(slug("  Été — 2026 "), "t-2026");
    }
}

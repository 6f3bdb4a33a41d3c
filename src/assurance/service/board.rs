//! The vulnerabilities page and a system's findings, put together from the SLA figures
//! (`figures`) and the list (`list`).

use super::super::model::Severity;
use super::super::view::{FindingsQuery, ImportLine, KeptKpi, SystemChoice, SystemFindings, Vulnerabilities};
use super::list::{self, State};
use super::sql::Filter;
use super::{deadlines, figures, scope, visible_system};
use crate::access::{Role, Route};
use crate::auth::User;
use crate::platform::error::{AppError, Problems};
use crate::platform::time::minute_utc;
use sqlx::SqliteConnection;

pub const PAGE_SIZE: i64 = 50;

fn parse_query(q: &FindingsQuery) -> Result<(Option<i64>, Option<Severity>, State), AppError> {
    let mut p = Problems::default();
    let system = match q.system.trim() {
        "" => None,
        s => p.check("system", s.parse::<i64>().map_err(|_| format!("“{s}” is not a system."))),
    };
    let severity = match q.severity.trim() {
        "" => None,
        s => p.check("severity", Severity::parse(s).ok_or_else(|| format!("“{s}” is not a severity; choose critical, high, medium or low."))),
    };
    let state = match q.state.trim() {
        "" | "open" => State::Open,
        "breached" => State::Breached,
        "fixed" => State::Fixed,
        "all" => State::All,
        other => {
            p.add("state", format!("“{other}” is not a state; choose open, breached, fixed or all."));
            State::Open
        }
    };
    p.finish()?;
    Ok((system, severity, state))
}

pub async fn vulnerabilities(db: &mut SqliteConnection, user: &User, q: &FindingsQuery, now: i64) -> Result<Vulnerabilities, AppError> {
    let dept = scope(user)?;
    let (system, severity, state) = parse_query(q)?;
    if let Some(id) = system {
        visible_system(&mut *db, user, id).await?;
    }
    let d = deadlines(&mut *db).await?;
    let f = Filter { dept, system, severity };
    let (severities, ages) = figures::sla(&mut *db, &f, &d, now).await?;
    // The SLA figures count the open and the late ones already.
    let counted = |pick: fn(&super::super::view::SeverityLine) -> i64| severities.iter().filter(|l| severity.is_none_or(|s| s == l.severity)).map(pick).sum::<i64>();
    let matched = match state {
        State::Open => counted(|l| l.open),
        State::Breached => counted(|l| l.breached),
        State::Fixed | State::All => list::count(&mut *db, &f, state).await?,
    };
    let (page, pages, offset) = crate::platform::query::page_of(&q.page, matched, PAGE_SIZE);
    let findings = list::lines(&mut *db, &f, state, &d, now, PAGE_SIZE, offset).await?;
    let systems = sqlx::query_as::<_, (i64, String)>("SELECT id, name FROM systems WHERE ?1 IS NULL OR department_id = ?1 ORDER BY name COLLATE NOCASE")
        .bind(dept)
        .fetch_all(&mut *db)
        .await?
        .into_iter()
        .map(|(id, name)| SystemChoice { id, name })
        .collect();
    let imports = imports(&mut *db, dept).await?;
    let kept = super::kpis::kept(&mut *db).await?.into_iter().map(|(_, key, name)| KeptKpi { key, name }).collect();
    let scope = match (user.role, &user.department_name) {
        (Role::Cto, _) => String::new(),
        (_, Some(name)) => format!("Findings on the {name} department’s systems."),
        (_, None) => "You have no department, so no systems of your own.".into(),
    };
    Ok(Vulnerabilities { severities, ages, findings, matched, page, pages, systems, imports, can_configure: user.role == Role::Cto, kept, scope })
}

async fn imports(db: &mut SqliteConnection, dept: Option<i64>) -> Result<Vec<ImportLine>, AppError> {
    let rows: Vec<(String, String, String, i64, i64, i64, i64, String, i64)> = sqlx::query_as(
        "SELECT s.name, i.source, i.tools, i.new, i.seen, i.reopened, i.fixed, i.by_label, i.at FROM finding_imports i JOIN systems s ON s.id = i.system_id
         WHERE ?1 IS NULL OR s.department_id = ?1 ORDER BY i.id DESC LIMIT 10",
    )
    .bind(dept)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(system, source, tools, new, seen, reopened, fixed, by, at)| ImportLine { system, source: source.to_uppercase(), tools, new, seen, reopened, fixed, by, at: minute_utc(at) })
        .collect())
}

/// A system's findings for its page: open ones by severity, the five most urgent, the last
/// import. `None` for those who may not see them (investors never reach the page; another
/// department's head sees the system but not its findings).
pub async fn system_findings(db: &mut SqliteConnection, user: &User, system: i64, now: i64) -> Result<Option<SystemFindings>, AppError> {
    if scope(user).is_err() || visible_system(&mut *db, user, system).await.is_err() {
        return Ok(None);
    }
    let d = deadlines(&mut *db).await?;
    let f = Filter { system: Some(system), ..Default::default() };
    let (lines, _) = figures::sla(&mut *db, &f, &d, now).await?;
    let mut open = [0; 4];
    for (i, l) in lines.iter().enumerate() {
        open[i] = l.open;
    }
    let worst = list::lines(&mut *db, &f, State::Open, &d, now, 5, 0).await?;
    let last: Option<(String, String, i64)> = sqlx::query_as("SELECT source, tools, at FROM finding_imports WHERE system_id = ?1 ORDER BY id DESC LIMIT 1")
        .bind(system)
        .fetch_optional(&mut *db)
        .await?;
    Ok(Some(SystemFindings {
        open,
        breached: lines.iter().map(|l| l.breached).sum(),
        worst,
        last_import: last.map(|(source, tools, at)| format!("{} ({tools}) on {}", source.to_uppercase(), minute_utc(at))),
        can_import: Route::FindingsImport.audience().admits(Some(user.role)),
    }))
}

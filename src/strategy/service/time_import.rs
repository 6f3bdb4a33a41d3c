//! `POST /api/strategy/teams/time/import[?commit=1]`: a time allocation file (see
//! `strategy::time_csv`) checked against what the caller may change, then, when asked and
//! clean, stored in one transaction with the Staff actuals it moves. The CTO's file may name
//! any team; a department head's only their department's, the others reading as unknown.

use super::super::repo::people as repo;
use super::super::time_csv::{self, Catalog, InitiativeSpan, Parsed};
use super::super::view::TimeImportReport;
use super::scope;
use crate::access::Route;
use crate::auth::guard::route_caller;
use crate::auth::Caller;
use crate::budget::model::Month;
use crate::platform::audit::Entry;
use crate::platform::db::begin_write;
use crate::platform::error::AppError;
use crate::platform::state::AppState;
use crate::platform::time::today;
use axum::extract::{Query, Request, State};
use axum::response::Response;
use sqlx::SqliteConnection;

/// The largest file taken: `time_csv::MAX_LINES` lines of long names.
pub const MAX_BYTES: usize = 8 << 20;

#[derive(Debug, Default, serde::Deserialize)]
pub struct ImportParams {
    /// Absent: only check the file. "1": check it and, when it is clean, store it.
    #[serde(default)]
    pub commit: String,
}

pub async fn import(State(st): State<AppState>, Query(params): Query<ImportParams>, req: Request) -> Response {
    let started = std::time::Instant::now();
    let res = run(&st, &params, req).await;
    st.metrics.answer_import("time_csv", params.commit == "1", started, res, |r| r.error_count > 0)
}

async fn run(st: &AppState, params: &ImportParams, req: Request) -> Result<TimeImportReport, AppError> {
    let user = route_caller(Route::TimeImport, req.extensions().get::<Caller>())?;
    let department = scope(&user)?;
    // The edge has read the body already, within MAX_BYTES.
    let bytes = axum::body::to_bytes(req.into_body(), MAX_BYTES).await.map_err(|_| AppError::TooLarge { message: "The file is larger than 8 MiB; split it by year.".into() })?;
    if params.commit != "1" {
        let mut db = st.pool.acquire().await?;
        let catalog = catalog(&mut db, department).await?;
        return report(&mut db, &catalog, &time_csv::parse(&bytes, &catalog)).await;
    }
    // Checked again inside the transaction, against the teams and months as they are now.
    let mut tx = begin_write(&st.pool).await?;
    let catalog = catalog(&mut tx, department).await?;
    let parsed = time_csv::parse(&bytes, &catalog);
    let mut r = report(&mut tx, &catalog, &parsed).await?;
    if r.error_count > 0 {
        return Ok(r);
    }
    for ((team, month), shares) in &parsed.months {
        let rows: Vec<(Option<i64>, Option<i64>, i64)> = shares.iter().map(|s| (s.initiative_id, s.category_id, s.pct)).collect();
        repo::replace_shares(&mut tx, *team, *month, &rows).await?;
    }
    Entry::new(&user.actor(), "strategy", "import_time_allocation")
        .detail(format!("{} shares of {} team months ({}; {}), {} of them replaced", r.lines, r.months, r.teams.join(", "), r.period, r.replaces))
        .record(&mut tx)
        .await?;
    let booked = super::people_cost::book(&mut tx, today(), st.config.currency, "file").await?;
    tx.commit().await?;
    super::people_cost::tell(st, booked);
    r.imported = true;
    Ok(r)
}

/// The teams in the caller's scope and everything a line may name.
async fn catalog(db: &mut SqliteConnection, department: Option<i64>) -> Result<Catalog, AppError> {
    let teams = repo::teams(&mut *db, department).await?.into_iter().map(|t| (t.id, t.name, t.department_id)).collect();
    let initiatives: Vec<(i64, String, i64, String, String, String)> =
        sqlx::query_as("SELECT id, title, department_id, starts_on, target_on, status FROM initiatives WHERE ?1 IS NULL OR department_id = ?1").bind(department).fetch_all(&mut *db).await?;
    let initiatives = initiatives
        .into_iter()
        .filter_map(|(id, title, department_id, starts, target, status)| {
            Some(InitiativeSpan { id, title, department_id, starts: starts.parse().ok()?, target: target.parse().ok()?, proposed: status == "proposed" })
        })
        .collect();
    let categories = sqlx::query_as("SELECT id, name FROM investment_categories ORDER BY position, name").fetch_all(&mut *db).await?;
    Ok(Catalog { teams, initiatives, categories, closed_through: repo::closed_through(&mut *db).await?, one_department: department.is_some() })
}

async fn report(db: &mut SqliteConnection, catalog: &Catalog, parsed: &Parsed) -> Result<TimeImportReport, AppError> {
    let mut r = TimeImportReport {
        lines: parsed.lines,
        errors: parsed.errors.clone(),
        error_count: parsed.error_count,
        sample: parsed.sample.clone(),
        months: parsed.months.len() as u64,
        ..Default::default()
    };
    let mut teams: Vec<i64> = parsed.months.keys().map(|k| k.0).collect();
    teams.dedup();
    r.teams = teams.iter().filter_map(|t| catalog.teams.iter().find(|x| x.0 == *t).map(|x| x.1.clone())).collect();
    r.teams.sort();
    let months = parsed.months.keys().map(|k| k.1);
    if let (Some(first), Some(last)) = (months.clone().min(), months.max()) {
        let (first, last) = (Month::from_code(first), Month::from_code(last));
        r.period = if first == last { first.label() } else { format!("{} – {}", first.label(), last.label()) };
        let entered: Vec<(i64, i64)> = sqlx::query_as("SELECT DISTINCT team_id, month FROM time_allocations WHERE month BETWEEN ?1 AND ?2").bind(first.code()).bind(last.code()).fetch_all(&mut *db).await?;
        r.replaces = entered.iter().filter(|k| parsed.months.contains_key(k)).count() as u64;
    }
    Ok(r)
}

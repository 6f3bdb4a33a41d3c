//! The budget area's plain HTTP routes, the expense files: import (checked whole, then stored whole or not at all) and export with the
//! list's filters.

use super::api::ExpenseQuery;
use super::expenses::parse_file;
use super::ledger::{expense_filter, RuleLists};
use super::repo::{self, NewExpense};
use super::view::ExpenseImportReport;
use crate::access::{Role, Route};
use crate::platform::error::AppError;
use crate::platform::csv::CsvWriter;
use crate::auth::guard::route_caller;
use crate::platform::db::{begin_write, now_unix};
use crate::auth::Caller;
use crate::platform::state::AppState;
use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;

pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route(Route::ExpenseImport.path(), post(import))
        .route(Route::ExpenseExport.path(), get(export))
}

/// 100,000 expenses take about 10 MB; this leaves room without inviting abuse.
pub const MAX_IMPORT_BYTES: usize = 32 * 1024 * 1024;
/// Rows per INSERT: 12 values each stays well under SQLite's 32,766 variables.
const CHUNK: usize = 1000;

#[derive(Debug, Default, serde::Deserialize)]
pub struct ImportParams {
    #[serde(default)]
    pub year: String,
    /// Absent: only check the file. "1": check it and, when it is clean, store it.
    #[serde(default)]
    pub commit: String,
}

pub async fn import(State(st): State<AppState>, Query(params): Query<ImportParams>, req: Request) -> Response {
    let started = std::time::Instant::now();
    let res = match run_import(&st, &params, req).await {
        Ok(res) => res,
        Err(e) => e.into_response(),
    };
    let outcome = crate::platform::metrics::Metrics::import_outcome(res.status().as_u16(), params.commit == "1");
    st.metrics.import("expense_csv", outcome, started.elapsed());
    res
}

async fn run_import(st: &AppState, params: &ImportParams, req: Request) -> Result<Response, AppError> {
    let user = route_caller(Route::ExpenseImport, req.extensions().get::<Caller>())?;
    let bytes = axum::body::to_bytes(req.into_body(), MAX_IMPORT_BYTES).await.map_err(|_| AppError::TooLarge {
        message: format!("The file is larger than {} MiB; split it into smaller files.", MAX_IMPORT_BYTES >> 20),
    })?;
    let cur = st.config.currency;
    let mut conn = st.pool.acquire().await?;
    let lists = RuleLists::load(&mut conn, &user, &params.year).await?;
    drop(conn);
    let parsed = tokio::task::spawn_blocking(move || parse_file(&bytes, &lists.rules(cur))).await.map_err(|_| AppError::Internal)?;
    let mut report = ExpenseImportReport {
        rows: parsed.rows.len() as u64,
        total: cur.format(crate::platform::money::sum(parsed.rows.iter().map(|r| r.amount))),
        errors: parsed.errors,
        error_count: parsed.error_count,
        sample: parsed.sample,
        imported: false,
        new_vendors: Vec::new(),
    };
    if report.error_count > 0 {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, axum::Json(report)).into_response());
    }
    // Writes wait for the check: the lock is held only while storing.
    let mut tx = begin_write(&st.pool).await?;
    // Lower-cased here rather than by SQLite, whose lower() leaves non-ASCII letters alone.
    let known: HashMap<String, i64> =
        sqlx::query_as::<_, (String, i64)>("SELECT name, id FROM vendors").fetch_all(&mut *tx).await?.into_iter().map(|(n, id)| (n.to_lowercase(), id)).collect();
    let mut new_vendors: Vec<String> = Vec::new();
    for name in parsed.rows.iter().filter_map(|r| r.vendor.as_ref()) {
        if !known.contains_key(&name.to_lowercase()) && !new_vendors.iter().any(|v| v.eq_ignore_ascii_case(name)) {
            new_vendors.push(name.clone());
        }
    }
    report.new_vendors = match (user.role, user.department_id) {
        // Which vendors other departments use is not a department head's to learn: for them,
        // "new" means new to their own department.
        (Role::DepartmentHead, Some(dept)) => {
            let theirs: std::collections::HashSet<String> = vendors_of_department(&mut tx, dept).await?.into_iter().map(|n| n.to_lowercase()).collect();
            let mut fresh: Vec<String> = Vec::new();
            for name in parsed.rows.iter().filter_map(|r| r.vendor.as_ref()) {
                if !theirs.contains(&name.to_lowercase()) && !fresh.iter().any(|v| v.to_lowercase() == name.to_lowercase()) {
                    fresh.push(name.clone());
                }
            }
            fresh
        }
        _ => new_vendors.clone(),
    };
    super::ledger::ensure_room(&mut tx, parsed.rows.iter().map(|r| i128::from(r.amount)).sum(), "file", cur).await?;
    if params.commit != "1" {
        return Ok(axum::Json(report).into_response());
    }
    let mut ids = known;
    for name in &new_vendors {
        ids.insert(name.to_lowercase(), repo::vendor_id(&mut tx, name).await?);
    }
    let now = now_unix();
    let rows: Vec<(NewExpense, Option<i64>)> = parsed
        .rows
        .into_iter()
        .map(|e| {
            let vendor = e.vendor.as_ref().and_then(|v| ids.get(&v.to_lowercase()).copied());
            (e, vendor)
        })
        .collect();
    for chunk in rows.chunks(CHUNK) {
        repo::insert_expenses(&mut tx, chunk, "csv", user.id, now).await?;
    }
    crate::platform::audit::Entry::new(&user.actor(), "budgets", "import_expenses")
        .detail(format!("{} expense(s) totalling {} from a CSV file; new vendors: {}", rows.len(), report.total, if new_vendors.is_empty() { "none".to_string() } else { new_vendors.join(", ") }))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    st.changes.tell(crate::platform::changes::Changed::Budget(None));
    report.imported = true;
    Ok(axum::Json(report).into_response())
}

/// The expenses the list shows, with the same filters, as CSV in the import's format.
pub async fn export(State(st): State<AppState>, Query(q): Query<ExpenseQuery>, req: Request) -> Response {
    let user = match route_caller(Route::ExpenseExport, req.extensions().get::<Caller>()) {
        Ok(u) => u,
        Err(e) => return e.into_response(),
    };
    let result = async {
        let mut db = st.pool.acquire().await?;
        let (_, fy, filter) = expense_filter(&mut db, &user, &q).await?;
        let mut out = CsvWriter::new();
        out.row(["date", "amount", "department", "category", "kind", "vendor", "description", "invoice", "initiative", "investment"]);
        let mut offset = 0;
        loop {
            let rows = repo::list_expenses(&mut db, &filter, 10_000, offset).await?;
            for (_, spent_on, amount, _, department, _, category, kind, vendor, description, invoice, _, _, initiative, _, investment) in &rows {
                out.row([spent_on, &st.config.currency.plain(*amount), department, category, kind, vendor, description, invoice, initiative, investment]);
            }
            if rows.len() < 10_000 {
                break;
            }
            offset += 10_000;
        }
        Ok::<_, AppError>((fy, out.finish()))
    }
    .await;
    match result {
        Ok((fy, bytes)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"expenses-FY{fy}.csv\"")),
            ],
            Body::from(bytes),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

/// The names of the vendors a department has spent with or holds a contract with.
pub async fn vendors_of_department(db: &mut sqlx::SqliteConnection, department_id: i64) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar(
        r#"SELECT name FROM vendors WHERE id IN (
               SELECT vendor_id FROM expenses WHERE department_id = ?1 AND vendor_id IS NOT NULL
               UNION SELECT vendor_id FROM contracts WHERE department_id = ?1)"#,
    )
    .bind(department_id)
    .fetch_all(&mut *db)
    .await?)
}

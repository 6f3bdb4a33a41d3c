//! SQL for expenses: writing them one by one or a chunk at a time, and the list's filters,
//! page, count and total.

use super::vendor_id;
use crate::budget::model::{Kind, Month};
use crate::platform::error::AppError;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

/// An expense as the forms and rules need it.
#[derive(Clone, Debug, PartialEq)]
pub struct NewExpense {
    pub spent_on: chrono::NaiveDate,
    pub amount: i64,
    pub department_id: i64,
    pub category_id: i64,
    pub kind: Kind,
    pub vendor: Option<String>,
    pub description: String,
    pub invoice_ref: String,
    /// The initiative it is booked to (`strategy`), which counts it as its spend.
    pub initiative_id: Option<i64>,
    /// Its own investment category; without one it counts under its initiative's or line's.
    pub investment_id: Option<i64>,
}

/// The vendor of a typed expense, created when new.
async fn vendor_of(db: &mut SqliteConnection, name: &Option<String>) -> Result<Option<i64>, AppError> {
    match name {
        Some(name) => Ok(Some(vendor_id(&mut *db, name).await?)),
        None => Ok(None),
    }
}

pub async fn insert_expense(db: &mut SqliteConnection, e: &NewExpense, source: &str, user: i64, now: i64) -> Result<i64, AppError> {
    let vendor = vendor_of(&mut *db, &e.vendor).await?;
    let rows = [(e.clone(), vendor)];
    let mut qb = insert_query(&rows, source, user, now);
    qb.push(" RETURNING id");
    Ok(qb.build_query_scalar().fetch_one(&mut *db).await?)
}

/// Many expenses at once, in multi-row statements (an import's chunk). Vendors are ids here.
pub async fn insert_expenses(db: &mut SqliteConnection, rows: &[(NewExpense, Option<i64>)], source: &str, user: i64, now: i64) -> Result<(), AppError> {
    if rows.is_empty() {
        return Ok(());
    }
    insert_query(rows, source, user, now).build().execute(&mut *db).await?;
    Ok(())
}

fn insert_query<'r>(rows: &'r [(NewExpense, Option<i64>)], source: &'r str, user: i64, now: i64) -> QueryBuilder<'r, Sqlite> {
    let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
        "INSERT INTO expenses (spent_on, month, amount_minor, department_id, category_id, kind, vendor_id, description, invoice_ref, initiative_id, investment_category_id, source, created_by, created_at) ",
    );
    qb.push_values(rows, |mut b, (e, vendor)| {
        b.push_bind(e.spent_on.format("%Y-%m-%d").to_string())
            .push_bind(Month::of(e.spent_on).code())
            .push_bind(e.amount)
            .push_bind(e.department_id)
            .push_bind(e.category_id)
            .push_bind(e.kind)
            .push_bind(*vendor)
            .push_bind(&e.description)
            .push_bind(&e.invoice_ref)
            .push_bind(e.initiative_id)
            .push_bind(e.investment_id)
            .push_bind(source)
            .push_bind(user)
            .push_bind(now);
    });
    qb
}

pub async fn update_expense(db: &mut SqliteConnection, id: i64, e: &NewExpense, user: i64, now: i64) -> Result<(), AppError> {
    let vendor = vendor_of(&mut *db, &e.vendor).await?;
    sqlx::query(
        r#"UPDATE expenses SET spent_on = ?2, month = ?3, amount_minor = ?4, department_id = ?5, category_id = ?6, kind = ?7,
                  vendor_id = ?8, description = ?9, invoice_ref = ?10, updated_by = ?11, updated_at = ?12, initiative_id = ?13,
                  investment_category_id = ?14
           WHERE id = ?1"#,
    )
    .bind(id)
    .bind(e.spent_on.format("%Y-%m-%d").to_string())
    .bind(Month::of(e.spent_on).code())
    .bind(e.amount)
    .bind(e.department_id)
    .bind(e.category_id)
    .bind(e.kind)
    .bind(vendor)
    .bind(&e.description)
    .bind(&e.invoice_ref)
    .bind(user)
    .bind(now)
    .bind(e.initiative_id)
    .bind(e.investment_id)
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// The expense's department, and the part of Northstar that keeps it when not a person.
pub async fn expense_department(db: &mut SqliteConnection, id: i64) -> Result<Option<(i64, Option<String>)>, AppError> {
    Ok(sqlx::query_as("SELECT department_id, origin FROM expenses WHERE id = ?1").bind(id).fetch_optional(&mut *db).await?)
}

pub async fn delete_expense(db: &mut SqliteConnection, id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM expenses WHERE id = ?1").bind(id).execute(&mut *db).await?;
    Ok(())
}

/// What the expense list is narrowed to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExpenseFilter {
    pub from: String,
    pub to: String,
    pub department: Option<i64>,
    pub category: Option<i64>,
    pub kind: Option<Kind>,
    pub vendor: Option<String>,
    pub text: Option<String>,
}

/// The shared WHERE clause of the list, its count and its export.
pub fn push_filter(qb: &mut QueryBuilder<'_, Sqlite>, f: &ExpenseFilter) {
    qb.push(" WHERE e.spent_on BETWEEN ").push_bind(f.from.clone()).push(" AND ").push_bind(f.to.clone());
    if let Some(d) = f.department {
        qb.push(" AND e.department_id = ").push_bind(d);
    }
    if let Some(c) = f.category {
        qb.push(" AND e.category_id = ").push_bind(c);
    }
    if let Some(k) = f.kind {
        qb.push(" AND e.kind = ").push_bind(k);
    }
    if let Some(v) = &f.vendor {
        qb.push(" AND v.name = ").push_bind(v.clone());
    }
    if let Some(t) = &f.text {
        let like = format!("%{}%", t.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        qb.push(" AND (e.description LIKE ").push_bind(like.clone()).push(" ESCAPE '\\' OR e.invoice_ref LIKE ").push_bind(like).push(" ESCAPE '\\')");
    }
}

pub const EXPENSE_COLUMNS: &str = r#"SELECT e.id, e.spent_on, e.amount_minor, e.department_id, d.name, e.category_id, c.name, e.kind,
       coalesce(v.name, ''), e.description, e.invoice_ref, coalesce(e.origin, e.source), e.initiative_id, coalesce(i.title, ''),
       e.investment_category_id, coalesce(ic.name, '')
FROM expenses e
JOIN departments d ON d.id = e.department_id
JOIN budget_categories c ON c.id = e.category_id
LEFT JOIN vendors v ON v.id = e.vendor_id
LEFT JOIN initiatives i ON i.id = e.initiative_id
LEFT JOIN investment_categories ic ON ic.id = e.investment_category_id"#;

pub type ExpenseDbRow = (i64, String, i64, i64, String, i64, String, String, String, String, String, String, Option<i64>, String, Option<i64>, String);

pub async fn list_expenses(db: &mut SqliteConnection, f: &ExpenseFilter, limit: i64, offset: i64) -> Result<Vec<ExpenseDbRow>, AppError> {
    let mut qb = QueryBuilder::new(EXPENSE_COLUMNS);
    push_filter(&mut qb, f);
    qb.push(" ORDER BY e.spent_on DESC, e.id DESC LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
    Ok(qb.build_query_as().fetch_all(&mut *db).await?)
}

/// How many expenses match and their total. Filters the monthly rollup can answer (dates on
/// month boundaries, department, category, kind) read it; vendor and text filters scan.
pub async fn count_expenses(db: &mut SqliteConnection, f: &ExpenseFilter) -> Result<(i64, i64), AppError> {
    let whole_months = f.from.ends_with("-01") && month_end(&f.to);
    if f.vendor.is_none() && f.text.is_none() && whole_months {
        let (from, to) = (month_code(&f.from), month_code(&f.to));
        let mut qb = QueryBuilder::new("SELECT coalesce(sum(n), 0), coalesce(sum(total_minor), 0) FROM expense_months WHERE month BETWEEN ");
        qb.push_bind(from).push(" AND ").push_bind(to);
        if let Some(d) = f.department {
            qb.push(" AND department_id = ").push_bind(d);
        }
        if let Some(c) = f.category {
            qb.push(" AND category_id = ").push_bind(c);
        }
        if let Some(k) = f.kind {
            qb.push(" AND kind = ").push_bind(k);
        }
        return Ok(qb.build_query_as().fetch_one(&mut *db).await?);
    }
    let mut qb = QueryBuilder::new("SELECT count(*), coalesce(sum(e.amount_minor), 0) FROM expenses e LEFT JOIN vendors v ON v.id = e.vendor_id");
    push_filter(&mut qb, f);
    Ok(qb.build_query_as().fetch_one(&mut *db).await?)
}

fn month_code(date: &str) -> i64 {
    date.get(..4).and_then(|y| y.parse::<i64>().ok()).unwrap_or(0) * 100 + date.get(5..7).and_then(|m| m.parse::<i64>().ok()).unwrap_or(0)
}

/// True when the YYYY-MM-DD date is the last day of its month.
fn month_end(date: &str) -> bool {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok().and_then(|d| d.succ_opt()).is_some_and(|next| chrono::Datelike::day(&next) == 1)
}

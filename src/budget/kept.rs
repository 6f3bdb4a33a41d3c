//! Expenses another part of Northstar keeps from its own source (`expenses.origin`): the
//! monthly cloud cost of the FOCUS imports, and the teams' people cost. They are replaced
//! whenever their source changes, so the budget's actuals agree with it, and the expense form
//! refuses to edit them.

use super::model::{Kind, Month};
use super::repo;
use crate::platform::error::AppError;
use chrono::NaiveDate;
use sqlx::SqliteConnection;
use std::collections::HashMap;

/// One month's amount for a department, under a budget category and from a vendor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptExpense {
    pub month: Month,
    pub department_id: i64,
    pub vendor: Option<String>,
    pub amount: i64,
    pub investment_id: Option<i64>,
    pub description: String,
}

/// Which of an origin's expenses a replacement covers: all of them, or those of a month on,
/// so that months whose figures are closed keep theirs.
#[derive(Clone, Copy, Debug)]
pub enum Span {
    All,
    From(Month),
}

impl Span {
    fn first(self) -> i64 {
        match self {
            Span::All => i64::MIN,
            Span::From(m) => m.code(),
        }
    }
}

/// Replaces the expenses of `origin` in `span` with `rows` (those in the span), booked under
/// the budget category named `category` (added when the CTO has removed it) as OpEx on the
/// month's last day (today for the current month). Spending past the most the ledger keeps is
/// refused at the form field `field`. Amounts of zero or less, a month whose
/// credits outweigh its charges, are left out: an expense is always above zero.
pub(crate) async fn replace(db: &mut SqliteConnection, (origin, span): (&str, Span), (category, field): (&str, &str), rows: &[KeptExpense], today: NaiveDate, cur: crate::platform::money::Currency) -> Result<(), AppError> {
    let first = span.first();
    let rows: Vec<&KeptExpense> = rows.iter().filter(|r| r.amount > 0 && r.month.code() >= first).collect();
    let before: i64 = sqlx::query_scalar("SELECT coalesce(sum(amount_minor), 0) FROM expenses WHERE origin = ?1 AND month >= ?2").bind(origin).bind(first).fetch_one(&mut *db).await?;
    let adding: i128 = rows.iter().map(|r| i128::from(r.amount)).sum();
    super::ledger::ensure_room(&mut *db, adding - i128::from(before), field, cur).await?;
    sqlx::query("DELETE FROM expenses WHERE origin = ?1 AND month >= ?2").bind(origin).bind(first).execute(&mut *db).await?;
    let category_id = category_id(&mut *db, category).await?;
    let mut vendors: HashMap<&str, i64> = HashMap::new();
    let now = crate::platform::db::now_unix();
    for r in rows {
        let vendor = match r.vendor.as_deref() {
            None => None,
            Some(name) => Some(match vendors.get(name) {
                Some(id) => *id,
                None => {
                    let id = repo::vendor_id(&mut *db, name).await?;
                    vendors.insert(name, id);
                    id
                }
            }),
        };
        let day = r.month.last_day().min(today).max(r.month.first_day());
        sqlx::query(
            "INSERT INTO expenses (spent_on, month, amount_minor, department_id, category_id, kind, vendor_id, description, investment_category_id, source, origin, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'csv', ?10, ?11)",
        )
        .bind(day.format("%Y-%m-%d").to_string())
        .bind(r.month.code())
        .bind(r.amount)
        .bind(r.department_id)
        .bind(category_id)
        .bind(Kind::Opex)
        .bind(vendor)
        .bind(&r.description)
        .bind(r.investment_id)
        .bind(origin)
        .bind(now)
        .execute(&mut *db)
        .await?;
    }
    Ok(())
}

async fn category_id(db: &mut SqliteConnection, name: &str) -> Result<i64, AppError> {
    if let Some(id) = sqlx::query_scalar("SELECT id FROM budget_categories WHERE name = ?1 COLLATE NOCASE").bind(name).fetch_optional(&mut *db).await? {
        return Ok(id);
    }
    Ok(sqlx::query_scalar("INSERT INTO budget_categories (name, position) VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM budget_categories)) RETURNING id")
        .bind(name)
        .fetch_one(&mut *db)
        .await?)
}

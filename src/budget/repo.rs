//! SQL for budgets, vendors, contracts and the budget settings; expenses in `repo/expenses.rs`.

use super::model::{FiscalCalendar, Kind, Month, Thresholds};
use crate::platform::error::AppError;
use crate::platform::db::packed;
use sqlx::SqliteConnection;

mod expenses;
pub use expenses::*;

pub async fn settings(db: &mut SqliteConnection) -> Result<(FiscalCalendar, Thresholds), AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT key, value FROM settings").fetch_all(&mut *db).await?;
    let get = |k: &str, default: u32| rows.iter().find(|r| r.0 == k).and_then(|r| r.1.parse().ok()).unwrap_or(default);
    Ok((
        FiscalCalendar::new(get("fiscal_year_start_month", 1)),
        Thresholds { amber_pct: get("variance_amber_pct", 5), red_pct: get("variance_red_pct", 10) },
    ))
}

pub async fn set_setting(db: &mut SqliteConnection, key: &str, value: u32) -> Result<(), AppError> {
    sqlx::query("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key)
        .bind(value.to_string())
        .execute(&mut *db)
        .await?;
    Ok(())
}

pub async fn any_budget(db: &mut SqliteConnection) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar::<_, i64>("SELECT EXISTS (SELECT 1 FROM budget_lines)").fetch_one(&mut *db).await? == 1)
}

/// (id, title, department) of the initiatives expenses may be booked to: one department's, or
/// all.
pub async fn initiatives(db: &mut SqliteConnection, department: Option<i64>) -> Result<Vec<(i64, String, i64)>, AppError> {
    Ok(sqlx::query_as("SELECT id, title, department_id FROM initiatives WHERE ?1 IS NULL OR department_id = ?1 ORDER BY title COLLATE NOCASE")
        .bind(department)
        .fetch_all(&mut *db)
        .await?)
}

/// (id, name) of the investment categories, in their order.
pub async fn investment_categories(db: &mut SqliteConnection) -> Result<Vec<(i64, String)>, AppError> {
    Ok(sqlx::query_as("SELECT id, name FROM investment_categories ORDER BY position, name").fetch_all(&mut *db).await?)
}

/// (id, name, in use by a budget, expense or nothing).
pub async fn categories(db: &mut SqliteConnection) -> Result<Vec<(i64, String, bool)>, AppError> {
    Ok(sqlx::query_as(
        r#"SELECT c.id, c.name,
                  EXISTS (SELECT 1 FROM budget_lines l WHERE l.category_id = c.id)
                  OR EXISTS (SELECT 1 FROM expense_months m WHERE m.category_id = c.id AND m.n > 0)
           FROM budget_categories c ORDER BY c.position, c.name"#,
    )
    .fetch_all(&mut *db)
    .await?)
}

pub async fn vendor_names(db: &mut SqliteConnection, department: Option<i64>) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar(
        r#"SELECT v.name FROM vendors v
           WHERE ?1 IS NULL
              OR EXISTS (SELECT 1 FROM vendor_months m WHERE m.vendor_id = v.id AND m.department_id = ?1)
              OR EXISTS (SELECT 1 FROM contracts c WHERE c.vendor_id = v.id AND c.department_id = ?1)
           ORDER BY v.name"#,
    )
    .bind(department)
    .fetch_all(&mut *db)
    .await?)
}

/// The vendor called `name` (any case), created when new.
pub async fn vendor_id(db: &mut SqliteConnection, name: &str) -> Result<i64, AppError> {
    if let Some(id) = sqlx::query_scalar("SELECT id FROM vendors WHERE name = ?1").bind(name).fetch_optional(&mut *db).await? {
        return Ok(id);
    }
    Ok(sqlx::query_scalar("INSERT INTO vendors (name) VALUES (?1) RETURNING id").bind(name).fetch_one(&mut *db).await?)
}

/// Fiscal years that have a budget or an expense, oldest first.
pub async fn years(db: &mut SqliteConnection, cal: FiscalCalendar) -> Result<Vec<i32>, AppError> {
    let budgeted: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT fiscal_year FROM budget_lines").fetch_all(&mut *db).await?;
    let (lo, hi): (Option<i64>, Option<i64>) = sqlx::query_as("SELECT min(month), max(month) FROM expense_months WHERE n > 0").fetch_one(&mut *db).await?;
    let mut out: Vec<i32> = budgeted.into_iter().map(|y| y as i32).collect();
    if let (Some(lo), Some(hi)) = (lo, hi) {
        let (a, b) = (cal.year_of(Month::from_code(lo).first_day()), cal.year_of(Month::from_code(hi).first_day()));
        out.extend(a..=b);
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// A budget line's current plan and its original total.
pub struct LineData {
    pub line_id: i64,
    pub department_id: i64,
    pub department: String,
    pub category_id: i64,
    pub category: String,
    pub kind: Kind,
    /// The investment category its money counts under.
    pub investment_id: Option<i64>,
    pub months: [i64; 12],
    pub original: i64,
}

pub fn parse_months(text: &str) -> [i64; 12] {
    let mut out = [0i64; 12];
    for (slot, v) in out.iter_mut().zip(text.split(',')) {
        *slot = v.trim().parse().unwrap_or(0);
    }
    out
}

pub fn join_months(months: &[i64; 12]) -> String {
    months.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

pub async fn plan_lines(db: &mut SqliteConnection, fy: i32, department: Option<i64>) -> Result<Vec<LineData>, AppError> {
    let rows: Vec<(i64, i64, String, i64, String, String, Option<i64>, String, i64)> = packed(
        &mut *db,
        r#"SELECT json_group_array(json_array(id, department_id, dname, category_id, cname, kind, investment_category_id, months, original)) FROM (
             SELECT l.id, l.department_id, d.name AS dname, l.category_id, c.name AS cname, l.kind, l.investment_category_id,
                    (SELECT r.months FROM budget_revisions r WHERE r.line_id = l.id ORDER BY r.id DESC LIMIT 1) AS months,
                    (SELECT r.total_minor FROM budget_revisions r WHERE r.line_id = l.id ORDER BY r.id LIMIT 1) AS original
             FROM budget_lines l
             JOIN departments d ON d.id = l.department_id
             JOIN budget_categories c ON c.id = l.category_id
             WHERE l.fiscal_year = ?1 AND (?2 IS NULL OR l.department_id = ?2)
             ORDER BY d.name COLLATE NOCASE, c.position, c.name, l.kind)"#,
        &[Some(fy as i64), department],
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|(line_id, department_id, department, category_id, category, kind, investment_id, months, original)| LineData {
            line_id,
            department_id,
            department,
            category_id,
            category,
            kind: Kind::parse(&kind).unwrap_or(Kind::Opex),
            investment_id,
            months: parse_months(&months),
            original,
        })
        .collect())
}

/// One month's spending of one department, category and kind.
pub struct ActualCell {
    pub department_id: i64,
    pub category_id: i64,
    pub kind: Kind,
    pub month: Month,
    pub total: i64,
}

pub async fn actuals(db: &mut SqliteConnection, from: Month, to: Month, department: Option<i64>) -> Result<Vec<ActualCell>, AppError> {
    let rows: Vec<(i64, i64, String, i64, i64)> = packed(
        &mut *db,
        r#"SELECT json_group_array(json_array(department_id, category_id, kind, month, total_minor)) FROM expense_months
           WHERE month BETWEEN ?1 AND ?2 AND (?3 IS NULL OR department_id = ?3) AND n > 0"#,
        &[Some(from.code()), Some(to.code()), department],
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|(department_id, category_id, kind, month, total)| ActualCell {
            department_id,
            category_id,
            kind: Kind::parse(&kind).unwrap_or(Kind::Opex),
            month: Month::from_code(month),
            total,
        })
        .collect())
}

pub async fn vendor_spend(db: &mut SqliteConnection, from: Month, to: Month, department: Option<i64>, limit: i64) -> Result<Vec<(String, i64)>, AppError> {
    Ok(sqlx::query_as(
        r#"SELECT v.name, sum(m.total_minor) AS spent FROM vendor_months m JOIN vendors v ON v.id = m.vendor_id
           WHERE m.month BETWEEN ?1 AND ?2 AND (?3 IS NULL OR m.department_id = ?3)
           GROUP BY m.vendor_id HAVING spent > 0 ORDER BY spent DESC, v.name LIMIT ?4"#,
    )
    .bind(from.code())
    .bind(to.code())
    .bind(department)
    .bind(limit)
    .fetch_all(&mut *db)
    .await?)
}

/// Records a new plan for a line as a revision, creating the line when it is the first.
#[allow(clippy::too_many_arguments)]
pub async fn set_plan(
    db: &mut SqliteConnection,
    fy: i32,
    department: i64,
    category: i64,
    kind: Kind,
    investment: Option<i64>,
    months: &[i64; 12],
    reason: &str,
    user: i64,
    now: i64,
) -> Result<(), AppError> {
    let line: i64 = sqlx::query_scalar(
        r#"INSERT INTO budget_lines (fiscal_year, department_id, category_id, kind, investment_category_id) VALUES (?1, ?2, ?3, ?4, ?5)
           ON CONFLICT (fiscal_year, department_id, category_id, kind) DO UPDATE SET investment_category_id = excluded.investment_category_id
           RETURNING id"#,
    )
    .bind(fy)
    .bind(department)
    .bind(category)
    .bind(kind)
    .bind(investment)
    .fetch_one(&mut *db)
    .await?;
    sqlx::query("INSERT INTO budget_revisions (line_id, months, total_minor, reason, changed_by, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(line)
        .bind(join_months(months))
        .bind(crate::platform::money::sum(months.iter().copied()))
        .bind(reason)
        .bind(user)
        .bind(now)
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// (line id, changed_at, by, reason, total), newest first.
pub async fn revisions(db: &mut SqliteConnection, fy: i32, department: Option<i64>) -> Result<Vec<(i64, i64, Option<String>, String, i64)>, AppError> {
    Ok(sqlx::query_as(
        r#"SELECT r.line_id, r.changed_at, u.name, r.reason, r.total_minor
           FROM budget_revisions r JOIN budget_lines l ON l.id = r.line_id LEFT JOIN users u ON u.id = r.changed_by
           WHERE l.fiscal_year = ?1 AND (?2 IS NULL OR l.department_id = ?2)
           ORDER BY r.id DESC"#,
    )
    .bind(fy)
    .bind(department)
    .fetch_all(&mut *db)
    .await?)
}

pub type ContractDbRow = (i64, String, String, String, Option<i64>, Option<String>, i64, String, String, Option<String>, i64, bool, Option<i64>, Option<String>);

pub async fn contracts(db: &mut SqliteConnection, department: Option<i64>) -> Result<Vec<ContractDbRow>, AppError> {
    Ok(sqlx::query_as(
        r#"SELECT c.id, v.name, c.name, c.owner, c.department_id, d.name, c.annual_value_minor, c.starts_on, c.ends_on,
                  c.renews_on, c.notice_days, c.auto_renew, c.system_id, s.name
           FROM contracts c JOIN vendors v ON v.id = c.vendor_id LEFT JOIN departments d ON d.id = c.department_id
           LEFT JOIN systems s ON s.id = c.system_id
           WHERE ?1 IS NULL OR c.department_id = ?1
           ORDER BY coalesce(c.renews_on, c.ends_on), v.name"#,
    )
    .bind(department)
    .fetch_all(&mut *db)
    .await?)
}

pub struct NewContract {
    pub vendor: String,
    pub name: String,
    pub owner: String,
    pub department_id: Option<i64>,
    pub annual_value: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub renews_on: Option<String>,
    pub notice_days: i64,
    pub auto_renew: bool,
    /// The system it pays for, which counts it in that system's cost.
    pub system_id: Option<i64>,
}

pub async fn save_contract(db: &mut SqliteConnection, id: Option<i64>, c: &NewContract) -> Result<i64, AppError> {
    let vendor = vendor_id(&mut *db, &c.vendor).await?;
    let sql = match id {
        Some(_) => {
            r#"UPDATE contracts SET vendor_id = ?2, name = ?3, owner = ?4, department_id = ?5, annual_value_minor = ?6,
                      starts_on = ?7, ends_on = ?8, renews_on = ?9, notice_days = ?10, auto_renew = ?11, system_id = ?12
               WHERE id = ?1 RETURNING id"#
        }
        None => {
            r#"INSERT INTO contracts (vendor_id, name, owner, department_id, annual_value_minor, starts_on, ends_on, renews_on, notice_days, auto_renew, system_id)
               VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id"#
        }
    };
    let saved: Option<i64> = sqlx::query_scalar(sql)
        .bind(id)
        .bind(vendor)
        .bind(&c.name)
        .bind(&c.owner)
        .bind(c.department_id)
        .bind(c.annual_value)
        .bind(&c.starts_on)
        .bind(&c.ends_on)
        .bind(&c.renews_on)
        .bind(c.notice_days)
        .bind(c.auto_renew)
        .bind(c.system_id)
        .fetch_optional(&mut *db)
        .await?;
    saved.ok_or(AppError::NotFound)
}

pub async fn delete_contract(db: &mut SqliteConnection, id: i64) -> Result<bool, AppError> {
    Ok(sqlx::query("DELETE FROM contracts WHERE id = ?1").bind(id).execute(&mut *db).await?.rows_affected() == 1)
}


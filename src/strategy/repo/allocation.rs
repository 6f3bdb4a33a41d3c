//! SQL for investment allocation: the categories with their targets, and spending by the keys
//! an expense's category is resolved from.

use crate::platform::error::AppError;
use sqlx::SqliteConnection;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CategoryRecord {
    pub id: i64,
    pub name: String,
    pub target_rule: Option<String>,
    pub target_pct: Option<i64>,
    /// Carried by an initiative, a budget line or an expense: it cannot be removed.
    pub in_use: bool,
}

pub async fn categories(db: &mut SqliteConnection) -> Result<Vec<CategoryRecord>, AppError> {
    Ok(sqlx::query_as(
        r#"SELECT c.id, c.name, c.target_rule, c.target_pct,
                  EXISTS (SELECT 1 FROM initiatives i WHERE i.category_id = c.id)
                  OR EXISTS (SELECT 1 FROM budget_lines l WHERE l.investment_category_id = c.id)
                  OR EXISTS (SELECT 1 FROM expenses e WHERE e.investment_category_id = c.id)
                  OR EXISTS (SELECT 1 FROM time_allocations t WHERE t.category_id = c.id) AS in_use
           FROM investment_categories c ORDER BY c.position, c.name"#,
    )
    .fetch_all(&mut *db)
    .await?)
}

/// (month, department, investment category or `None` for unassigned, total) of fiscal year
/// `fy`'s months `from` to `to`. Which category money counts under is decided here: the
/// expense's own, else its initiative's, else its budget line's (the line of the same fiscal
/// year, department, category and CapEx/OpEx). Resolved at each read from the monthly sums, so
/// moving an initiative or a line to another category moves its money at once; grouped and
/// packed in SQLite, so a page reads a few hundred rows, not one per sum.
pub async fn spending(db: &mut SqliteConnection, fy: i32, (from, to): (i64, i64), department: Option<i64>) -> Result<Vec<(i64, i64, Option<i64>, i64)>, AppError> {
    crate::platform::db::packed(
        &mut *db,
        r#"SELECT json_group_array(json_array(month, department_id, investment, total)) FROM (
             SELECT a.month, a.department_id,
                    coalesce(nullif(a.investment_id, 0), i.category_id, l.investment_category_id) AS investment,
                    sum(a.total_minor) AS total
             FROM allocation_months a
             LEFT JOIN initiatives i ON i.id = a.initiative_id
             LEFT JOIN budget_lines l ON l.fiscal_year = ?4 AND l.department_id = a.department_id AND l.category_id = a.category_id AND l.kind = a.kind
             WHERE a.month BETWEEN ?1 AND ?2 AND (?3 IS NULL OR a.department_id = ?3) AND a.n > 0
             GROUP BY 1, 2, 3)"#,
        &[Some(from), Some(to), department, Some(i64::from(fy))],
    )
    .await
}

pub async fn save_category(db: &mut SqliteConnection, id: Option<i64>, name: &str, target: Option<(&str, i64)>, position: i64) -> Result<(), AppError> {
    let (rule, pct) = target.map_or((None, None), |(r, p)| (Some(r), Some(p)));
    let sql = match id {
        Some(_) => "UPDATE investment_categories SET name = ?2, target_rule = ?3, target_pct = ?4, position = ?5 WHERE id = ?1",
        None => "INSERT INTO investment_categories (name, target_rule, target_pct, position) VALUES (?2, ?3, ?4, ?5)",
    };
    sqlx::query(sql).bind(id).bind(name).bind(rule).bind(pct).bind(position).execute(&mut *db).await?;
    Ok(())
}

/// Gives a category a name no person can type (a control character), until it is saved again.
pub async fn rename_aside(db: &mut SqliteConnection, id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE investment_categories SET name = char(1) || id WHERE id = ?1").bind(id).execute(&mut *db).await?;
    Ok(())
}

pub async fn delete_category(db: &mut SqliteConnection, id: i64) -> Result<bool, AppError> {
    Ok(sqlx::query("DELETE FROM investment_categories WHERE id = ?1").bind(id).execute(&mut *db).await?.rows_affected() == 1)
}

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
                  OR EXISTS (SELECT 1 FROM allocation_months m WHERE m.investment_id = c.id AND m.n > 0) AS in_use
           FROM investment_categories c ORDER BY c.position, c.name"#,
    )
    .fetch_all(&mut *db)
    .await?)
}

/// One month's spending under one set of keys: `investment` is the expense's own category and
/// `initiative` the initiative it is booked to (0 for none).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SpendCell {
    pub month: i64,
    pub department_id: i64,
    pub category_id: i64,
    pub kind: String,
    pub investment_id: i64,
    pub initiative_id: i64,
    pub total_minor: i64,
}

pub async fn spending(db: &mut SqliteConnection, from: i64, to: i64, department: Option<i64>) -> Result<Vec<SpendCell>, AppError> {
    Ok(sqlx::query_as(
        r#"SELECT month, department_id, category_id, kind, investment_id, initiative_id, total_minor FROM allocation_months
           WHERE month BETWEEN ?1 AND ?2 AND (?3 IS NULL OR department_id = ?3) AND n > 0"#,
    )
    .bind(from)
    .bind(to)
    .bind(department)
    .fetch_all(&mut *db)
    .await?)
}

/// (initiative, its investment category) for every initiative.
pub async fn initiative_categories(db: &mut SqliteConnection) -> Result<Vec<(i64, i64)>, AppError> {
    Ok(sqlx::query_as("SELECT id, category_id FROM initiatives").fetch_all(&mut *db).await?)
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

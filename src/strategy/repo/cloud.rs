//! SQL for cloud cost: imports and their lines, the mapping rules, and the sums the page and
//! the kept Cloud expenses read.

use crate::platform::error::AppError;
use crate::strategy::focus::CostLine;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RuleRecord {
    pub id: i64,
    pub priority: i64,
    pub match_on: String,
    pub tag_key: String,
    pub match_value: String,
    pub department_id: i64,
    pub system_id: Option<i64>,
    pub investment_category_id: Option<i64>,
}

pub async fn rules(db: &mut SqliteConnection) -> Result<Vec<RuleRecord>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, priority, match_on, tag_key, match_value, department_id, system_id, investment_category_id FROM cloud_rules ORDER BY priority, id",
    )
    .fetch_all(db)
    .await?)
}

pub async fn rule(db: &mut SqliteConnection, id: i64) -> Result<Option<RuleRecord>, AppError> {
    Ok(sqlx::query_as("SELECT id, priority, match_on, tag_key, match_value, department_id, system_id, investment_category_id FROM cloud_rules WHERE id = ?1")
        .bind(id)
        .fetch_optional(db)
        .await?)
}

/// Inserts (id None) or updates a rule; answers its id.
pub async fn save_rule(db: &mut SqliteConnection, id: Option<i64>, r: &RuleRecord, now: i64) -> Result<i64, AppError> {
    let q = match id {
        Some(_) => "UPDATE cloud_rules SET priority = ?2, match_on = ?3, tag_key = ?4, match_value = ?5, department_id = ?6, system_id = ?7, investment_category_id = ?8 WHERE id = ?1 RETURNING id",
        None => "INSERT INTO cloud_rules (priority, match_on, tag_key, match_value, department_id, system_id, investment_category_id, created_at) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
    };
    Ok(sqlx::query_scalar(q)
        .bind(id)
        .bind(r.priority)
        .bind(&r.match_on)
        .bind(&r.tag_key)
        .bind(&r.match_value)
        .bind(r.department_id)
        .bind(r.system_id)
        .bind(r.investment_category_id)
        .bind(now)
        .fetch_one(db)
        .await?)
}

pub async fn delete_rule(db: &mut SqliteConnection, id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM cloud_rules WHERE id = ?1").bind(id).execute(db).await?;
    Ok(())
}

pub async fn next_priority(db: &mut SqliteConnection) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT coalesce(max(priority), 0) + 10 FROM cloud_rules").fetch_one(db).await?)
}

/// A stored line's attributes, as the rules look at them.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LineKey {
    pub id: i64,
    pub month: i64,
    pub provider: String,
    pub account_id: String,
    pub account_name: String,
    pub service: String,
    pub tags: String,
    pub rule_id: Option<i64>,
    pub effective_minor: i64,
}

pub async fn line_keys(db: &mut SqliteConnection) -> Result<Vec<LineKey>, AppError> {
    Ok(sqlx::query_as("SELECT id, month, provider, account_id, account_name, service, tags, rule_id, effective_minor FROM cloud_costs").fetch_all(db).await?)
}

pub async fn line_key(db: &mut SqliteConnection, id: i64) -> Result<Option<LineKey>, AppError> {
    Ok(sqlx::query_as("SELECT id, month, provider, account_id, account_name, service, tags, rule_id, effective_minor FROM cloud_costs WHERE id = ?1")
        .bind(id)
        .fetch_optional(db)
        .await?)
}

/// Gives `ids` the verdict of `rule` (None: no rule matches).
pub async fn set_mapping(db: &mut SqliteConnection, ids: &[i64], rule: Option<&RuleRecord>) -> Result<(), AppError> {
    for chunk in ids.chunks(500) {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("UPDATE cloud_costs SET rule_id = ");
        qb.push_bind(rule.map(|r| r.id))
            .push(", department_id = ")
            .push_bind(rule.map(|r| r.department_id))
            .push(", system_id = ")
            .push_bind(rule.and_then(|r| r.system_id))
            .push(", investment_category_id = ")
            .push_bind(rule.and_then(|r| r.investment_category_id))
            .push(" WHERE id IN (");
        let mut list = qb.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        qb.push(")");
        qb.build().execute(&mut *db).await?;
    }
    Ok(())
}

/// The (provider, month) periods of `lines` already imported, with the import that holds each.
pub async fn imported_periods(db: &mut SqliteConnection, periods: &[(String, i64)]) -> Result<Vec<(String, i64)>, AppError> {
    let mut found = Vec::new();
    for (provider, month) in periods {
        let hit: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM cloud_costs WHERE provider = ?1 AND month = ?2)").bind(provider).bind(month).fetch_one(&mut *db).await?;
        if hit {
            found.push((provider.clone(), *month));
        }
    }
    Ok(found)
}

/// Removes the lines of these periods, then imports left with none.
pub async fn delete_periods(db: &mut SqliteConnection, periods: &[(String, i64)]) -> Result<(), AppError> {
    for (provider, month) in periods {
        sqlx::query("DELETE FROM cloud_costs WHERE provider = ?1 AND month = ?2").bind(provider).bind(month).execute(&mut *db).await?;
    }
    sqlx::query("DELETE FROM cloud_imports WHERE NOT EXISTS (SELECT 1 FROM cloud_costs c WHERE c.import_id = cloud_imports.id)").execute(&mut *db).await?;
    Ok(())
}

pub struct NewImport<'a> {
    pub file_name: &'a str,
    pub rows: u64,
    pub billed: i64,
    pub effective: i64,
    pub first_month: i64,
    pub last_month: i64,
    pub providers: String,
    pub by: Option<i64>,
    pub at: i64,
}

pub async fn insert_import(db: &mut SqliteConnection, i: &NewImport<'_>, lines: &[CostLine]) -> Result<i64, AppError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO cloud_imports (file_name, rows, billed_minor, effective_minor, first_month, last_month, providers, imported_by, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
    )
    .bind(i.file_name)
    .bind(i.rows as i64)
    .bind(i.billed)
    .bind(i.effective)
    .bind(i.first_month)
    .bind(i.last_month)
    .bind(&i.providers)
    .bind(i.by)
    .bind(i.at)
    .fetch_one(&mut *db)
    .await?;
    // Ten values a line stay well under SQLite's 32,766 variables.
    for chunk in lines.chunks(1000) {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("INSERT INTO cloud_costs (import_id, month, provider, account_id, account_name, service, tags, rows, billed_minor, effective_minor) ");
        qb.push_values(chunk, |mut b, l| {
            b.push_bind(id)
                .push_bind(l.month.code())
                .push_bind(&l.provider)
                .push_bind(&l.account_id)
                .push_bind(&l.account_name)
                .push_bind(&l.service)
                .push_bind(&l.tags)
                .push_bind(l.rows as i64)
                .push_bind(l.billed)
                .push_bind(l.effective);
        });
        qb.build().execute(&mut *db).await?;
    }
    Ok(id)
}

/// Mapped cost per month, department, provider and investment category: the kept expenses.
pub async fn mapped_months(db: &mut SqliteConnection) -> Result<Vec<(i64, i64, String, Option<i64>, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT month, department_id, provider, investment_category_id, sum(effective_minor) FROM cloud_costs
         WHERE department_id IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3",
    )
    .fetch_all(db)
    .await?)
}

/// Per month: billed, effective, and the effective cost no rule maps.
pub async fn months(db: &mut SqliteConnection) -> Result<Vec<(i64, i64, i64, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT month, sum(billed_minor), sum(effective_minor), sum(CASE WHEN department_id IS NULL THEN effective_minor ELSE 0 END)
         FROM cloud_costs GROUP BY month ORDER BY month",
    )
    .fetch_all(db)
    .await?)
}

/// Mapped cost from `from` (YYYYMM) by department, system and investment category, by name.
pub async fn owners(db: &mut SqliteConnection, from: i64) -> Result<Vec<(String, Option<String>, Option<String>, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT d.name, s.name, ic.name, sum(c.effective_minor) FROM cloud_costs c
         JOIN departments d ON d.id = c.department_id LEFT JOIN systems s ON s.id = c.system_id
         LEFT JOIN investment_categories ic ON ic.id = c.investment_category_id
         WHERE c.month >= ?1 GROUP BY 1, 2, 3 ORDER BY 4 DESC",
    )
    .bind(from)
    .fetch_all(db)
    .await?)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ImportRecord {
    pub id: i64,
    pub file_name: String,
    pub rows: i64,
    pub effective_minor: i64,
    pub first_month: i64,
    pub last_month: i64,
    pub providers: String,
    pub by: Option<String>,
    pub imported_at: i64,
}

pub async fn imports(db: &mut SqliteConnection) -> Result<Vec<ImportRecord>, AppError> {
    Ok(sqlx::query_as(
        "SELECT i.id, i.file_name, i.rows, i.effective_minor, i.first_month, i.last_month, i.providers, u.name AS by, i.imported_at
         FROM cloud_imports i LEFT JOIN users u ON u.id = i.imported_by ORDER BY i.imported_at DESC, i.id DESC LIMIT 50",
    )
    .fetch_all(db)
    .await?)
}

/// Cost each rule maps, over everything imported.
pub async fn matched_by_rule(db: &mut SqliteConnection) -> Result<Vec<(i64, i64)>, AppError> {
    Ok(sqlx::query_as("SELECT rule_id, sum(effective_minor) FROM cloud_costs WHERE rule_id IS NOT NULL GROUP BY rule_id").fetch_all(db).await?)
}

/// Unmapped cost grouped over months: (one line's id, provider, account id, account name,
/// service, tags, first month, last month, effective), largest first.
pub async fn unmatched(db: &mut SqliteConnection, limit: i64) -> Result<Vec<(i64, String, String, String, String, String, i64, i64, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT min(id), provider, account_id, account_name, service, tags, min(month), max(month), sum(effective_minor) FROM cloud_costs
         WHERE department_id IS NULL GROUP BY provider, account_id, account_name, service, tags ORDER BY 9 DESC, 2, 5 LIMIT ?1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?)
}

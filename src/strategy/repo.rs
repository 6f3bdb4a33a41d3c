//! The strategy's SQL: objectives and their KPIs, initiatives with their spend, milestones and
//! systems.

use super::model::InitiativeStatus;
use crate::platform::error::AppError;
use sqlx::SqliteConnection;

pub mod allocation;
pub mod cloud;
pub mod people;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ObjectiveRecord {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub owner_id: Option<i64>,
    pub owner: Option<String>,
    pub starts_on: String,
    pub ends_on: String,
    pub investor_visible: bool,
}

const SELECT_OBJECTIVE: &str = "SELECT o.id, o.title, o.description, o.owner_id, u.name AS owner, o.starts_on, o.ends_on, o.investor_visible
     FROM objectives o LEFT JOIN users u ON u.id = o.owner_id";

pub async fn objectives(db: &mut SqliteConnection) -> Result<Vec<ObjectiveRecord>, AppError> {
    Ok(sqlx::query_as(&format!("{SELECT_OBJECTIVE} ORDER BY o.starts_on, o.title COLLATE NOCASE")).fetch_all(db).await?)
}

pub async fn objective(db: &mut SqliteConnection, id: i64) -> Result<ObjectiveRecord, AppError> {
    sqlx::query_as(&format!("{SELECT_OBJECTIVE} WHERE o.id = ?1")).bind(id).fetch_optional(db).await?.ok_or(AppError::NotFound)
}

/// (objective, KPI, target) in the order the form listed them; of one objective or of all.
pub async fn objective_kpis(db: &mut SqliteConnection, objective: Option<i64>) -> Result<Vec<(i64, i64, f64)>, AppError> {
    Ok(sqlx::query_as("SELECT objective_id, kpi_id, target FROM objective_kpis WHERE ?1 IS NULL OR objective_id = ?1 ORDER BY objective_id, position")
        .bind(objective)
        .fetch_all(db)
        .await?)
}

pub struct NewObjective<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub owner: Option<i64>,
    pub starts: String,
    pub ends: String,
    pub investor_visible: bool,
}

pub async fn save_objective(db: &mut SqliteConnection, id: Option<i64>, o: &NewObjective<'_>, now: i64) -> Result<i64, AppError> {
    let saved: Option<i64> = match id {
        Some(id) => sqlx::query_scalar("UPDATE objectives SET title = ?2, description = ?3, owner_id = ?4, starts_on = ?5, ends_on = ?6, updated_at = ?7, investor_visible = ?8 WHERE id = ?1 RETURNING id").bind(id),
        None => sqlx::query_scalar("INSERT INTO objectives (title, description, owner_id, starts_on, ends_on, created_at, updated_at, investor_visible) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8) RETURNING id").bind(None::<i64>),
    }
    .bind(o.title)
    .bind(o.description)
    .bind(o.owner)
    .bind(&o.starts)
    .bind(&o.ends)
    .bind(now)
    .bind(o.investor_visible)
    .fetch_optional(db)
    .await?;
    saved.ok_or(AppError::NotFound)
}

pub async fn set_objective_kpis(db: &mut SqliteConnection, id: i64, kpis: &[(i64, f64)]) -> Result<(), AppError> {
    sqlx::query("DELETE FROM objective_kpis WHERE objective_id = ?1").bind(id).execute(&mut *db).await?;
    for (position, (kpi, target)) in kpis.iter().enumerate() {
        sqlx::query("INSERT INTO objective_kpis (objective_id, kpi_id, target, position) VALUES (?1, ?2, ?3, ?4)")
            .bind(id)
            .bind(kpi)
            .bind(target)
            .bind(position as i64)
            .execute(&mut *db)
            .await?;
    }
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct InitiativeRecord {
    pub id: i64,
    pub objective_id: Option<i64>,
    pub title: String,
    pub description: String,
    pub owner_id: Option<i64>,
    pub owner: Option<String>,
    pub department_id: i64,
    pub department: String,
    pub starts_on: String,
    pub target_on: String,
    pub status: InitiativeStatus,
    pub category_id: i64,
    pub category: String,
    pub budget_minor: i64,
    pub spent_minor: i64,
    pub capitalize_from: Option<String>,
    pub in_service_on: Option<String>,
}

const SELECT_INITIATIVE: &str = "SELECT i.id, i.objective_id, i.title, i.description, i.owner_id, u.name AS owner, i.department_id, d.name AS department,
            i.starts_on, i.target_on, i.status, i.category_id, c.name AS category, i.budget_minor,
            coalesce((SELECT sum(e.amount_minor) FROM expenses e WHERE e.initiative_id = i.id), 0) AS spent_minor,
            i.capitalize_from, i.in_service_on
     FROM initiatives i
     JOIN departments d ON d.id = i.department_id
     JOIN investment_categories c ON c.id = i.category_id
     LEFT JOIN users u ON u.id = i.owner_id";

/// Initiatives of one department, or of all (`None`), by start date.
pub async fn initiatives(db: &mut SqliteConnection, department: Option<i64>) -> Result<Vec<InitiativeRecord>, AppError> {
    Ok(sqlx::query_as(&format!("{SELECT_INITIATIVE} WHERE ?1 IS NULL OR i.department_id = ?1 ORDER BY i.starts_on, i.title COLLATE NOCASE"))
        .bind(department)
        .fetch_all(db)
        .await?)
}

pub async fn initiative(db: &mut SqliteConnection, id: i64) -> Result<Option<InitiativeRecord>, AppError> {
    Ok(sqlx::query_as(&format!("{SELECT_INITIATIVE} WHERE i.id = ?1")).bind(id).fetch_optional(db).await?)
}

pub struct NewInitiative<'a> {
    pub objective: Option<i64>,
    pub title: &'a str,
    pub description: &'a str,
    pub owner: Option<i64>,
    pub department: i64,
    pub starts: String,
    pub target: String,
    pub status: InitiativeStatus,
    pub category: i64,
    pub budget_minor: i64,
    pub stage: Option<super::capex::Stage>,
}

pub async fn save_initiative(db: &mut SqliteConnection, id: Option<i64>, i: &NewInitiative<'_>, now: i64) -> Result<i64, AppError> {
    let saved: Option<i64> = match id {
        Some(id) => sqlx::query_scalar(
            "UPDATE initiatives SET objective_id = ?2, title = ?3, description = ?4, owner_id = ?5, department_id = ?6, starts_on = ?7, target_on = ?8,
                    status = ?9, category_id = ?10, budget_minor = ?11, updated_at = ?12,
                    capitalize_from = ?13, in_service_on = ?14 WHERE id = ?1 RETURNING id",
        )
        .bind(id),
        None => sqlx::query_scalar(
            "INSERT INTO initiatives (objective_id, title, description, owner_id, department_id, starts_on, target_on, status, category_id, budget_minor, created_at, updated_at,
                                      capitalize_from, in_service_on)
             VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13, ?14) RETURNING id",
        )
        .bind(None::<i64>),
    }
    .bind(i.objective)
    .bind(i.title)
    .bind(i.description)
    .bind(i.owner)
    .bind(i.department)
    .bind(&i.starts)
    .bind(&i.target)
    .bind(i.status)
    .bind(i.category)
    .bind(i.budget_minor)
    .bind(now)
    .bind(i.stage.map(|s| s.from.to_string()))
    .bind(i.stage.and_then(|s| s.until).map(|u| u.to_string()))
    .fetch_optional(db)
    .await?;
    saved.ok_or(AppError::NotFound)
}

pub async fn set_initiative_systems(db: &mut SqliteConnection, id: i64, systems: &[i64]) -> Result<(), AppError> {
    sqlx::query("DELETE FROM initiative_systems WHERE initiative_id = ?1").bind(id).execute(&mut *db).await?;
    for s in systems {
        sqlx::query("INSERT INTO initiative_systems (initiative_id, system_id) VALUES (?1, ?2)").bind(id).bind(s).execute(&mut *db).await?;
    }
    Ok(())
}

/// (id, name) of the systems an initiative touches.
pub async fn initiative_systems(db: &mut SqliteConnection, id: i64) -> Result<Vec<(i64, String)>, AppError> {
    Ok(sqlx::query_as("SELECT s.id, s.name FROM initiative_systems x JOIN systems s ON s.id = x.system_id WHERE x.initiative_id = ?1 ORDER BY s.name COLLATE NOCASE")
        .bind(id)
        .fetch_all(db)
        .await?)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MilestoneRecord {
    pub id: i64,
    pub initiative_id: i64,
    pub title: String,
    pub due_on: String,
    pub done_on: Option<String>,
}

/// Milestones by due date: of one initiative, or of one department's (`None`: all).
pub async fn milestones(db: &mut SqliteConnection, initiative: Option<i64>, department: Option<i64>) -> Result<Vec<MilestoneRecord>, AppError> {
    Ok(sqlx::query_as(
        "SELECT m.id, m.initiative_id, m.title, m.due_on, m.done_on FROM milestones m JOIN initiatives i ON i.id = m.initiative_id
         WHERE (?1 IS NULL OR m.initiative_id = ?1) AND (?2 IS NULL OR i.department_id = ?2) ORDER BY m.initiative_id, m.due_on, m.id",
    )
    .bind(initiative)
    .bind(department)
    .fetch_all(db)
    .await?)
}

pub async fn milestone(db: &mut SqliteConnection, id: i64) -> Result<Option<MilestoneRecord>, AppError> {
    Ok(sqlx::query_as("SELECT id, initiative_id, title, due_on, done_on FROM milestones WHERE id = ?1").bind(id).fetch_optional(db).await?)
}

/// Adds (`id` None) or changes a milestone of `initiative`; `None` when the id is not one of its.
pub async fn save_milestone(db: &mut SqliteConnection, initiative: i64, id: Option<i64>, title: &str, due: &str, done: Option<&str>) -> Result<Option<i64>, AppError> {
    Ok(match id {
        Some(id) => sqlx::query_scalar("UPDATE milestones SET title = ?3, due_on = ?4, done_on = ?5 WHERE id = ?1 AND initiative_id = ?2 RETURNING id").bind(id),
        None => sqlx::query_scalar("INSERT INTO milestones (initiative_id, title, due_on, done_on) VALUES (?2, ?3, ?4, ?5) RETURNING id").bind(None::<i64>),
    }
    .bind(initiative)
    .bind(title)
    .bind(due)
    .bind(done)
    .fetch_optional(db)
    .await?)
}

/// (date, description or vendor, amount) of the expenses booked to an initiative, newest first.
pub async fn initiative_expenses(db: &mut SqliteConnection, id: i64) -> Result<Vec<(String, String, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT e.spent_on, CASE WHEN e.description <> '' THEN e.description ELSE coalesce(v.name, c.name) END, e.amount_minor
         FROM expenses e JOIN budget_categories c ON c.id = e.category_id LEFT JOIN vendors v ON v.id = e.vendor_id
         WHERE e.initiative_id = ?1 ORDER BY e.spent_on DESC, e.id DESC LIMIT 100",
    )
    .bind(id)
    .fetch_all(db)
    .await?)
}

/// Choices queries for the forms (`platform::db::choices` reads them).
pub const OWNERS: &str = "SELECT id, name FROM users WHERE active = 1 AND role IN ('cto', 'department_head') ORDER BY name COLLATE NOCASE";
pub const CATEGORIES: &str = "SELECT id, name FROM investment_categories ORDER BY position, name";
pub const OBJECTIVES: &str = "SELECT id, title FROM objectives ORDER BY starts_on DESC, title COLLATE NOCASE";
pub const SYSTEMS: &str = "SELECT id, name FROM systems ORDER BY name COLLATE NOCASE";

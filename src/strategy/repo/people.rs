//! SQL for teams, their effective-dated roles, their monthly time allocation and the closed
//! months of the capitalization report.

use crate::platform::error::AppError;
use sqlx::SqliteConnection;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TeamRecord {
    pub id: i64,
    pub name: String,
    pub department_id: i64,
    pub department: String,
}

const SELECT_TEAM: &str = "SELECT t.id, t.name, t.department_id, d.name AS department FROM teams t JOIN departments d ON d.id = t.department_id";

/// One department's teams, or every team (`None`), by department and name.
pub async fn teams(db: &mut SqliteConnection, department: Option<i64>) -> Result<Vec<TeamRecord>, AppError> {
    Ok(sqlx::query_as(&format!("{SELECT_TEAM} WHERE ?1 IS NULL OR t.department_id = ?1 ORDER BY d.name, t.name"))
        .bind(department)
        .fetch_all(db)
        .await?)
}

pub async fn team(db: &mut SqliteConnection, id: i64) -> Result<Option<TeamRecord>, AppError> {
    Ok(sqlx::query_as(&format!("{SELECT_TEAM} WHERE t.id = ?1")).bind(id).fetch_optional(db).await?)
}

pub async fn save_team(db: &mut SqliteConnection, id: Option<i64>, name: &str, department: i64, now: i64) -> Result<i64, AppError> {
    let saved: Option<i64> = match id {
        Some(id) => sqlx::query_scalar("UPDATE teams SET name = ?2, department_id = ?3 WHERE id = ?1 RETURNING id").bind(id),
        None => sqlx::query_scalar("INSERT INTO teams (name, department_id, created_at) VALUES (?2, ?3, ?4) RETURNING id").bind(None::<i64>),
    }
    .bind(name)
    .bind(department)
    .bind(now)
    .fetch_optional(db)
    .await?;
    saved.ok_or(AppError::NotFound)
}

pub async fn delete_team(db: &mut SqliteConnection, id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM teams WHERE id = ?1").bind(id).execute(db).await?;
    Ok(())
}

/// A role of a role set; a set with no roles reads as one row with `role` empty.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct RoleRow {
    pub team_id: i64,
    pub from_month: i64,
    pub role: Option<String>,
    pub headcount: i64,
    pub monthly_cost: i64,
}

/// Every role set of the given teams (all teams for `None`), by team, month and position.
pub async fn role_sets(db: &mut SqliteConnection, team: Option<i64>) -> Result<Vec<RoleRow>, AppError> {
    crate::platform::db::packed(
        &mut *db,
        r#"SELECT json_group_array(json_object('team_id', team_id, 'from_month', from_month, 'role', role,
                                               'headcount', coalesce(headcount, 0), 'monthly_cost', coalesce(monthly_cost_minor, 0)))
           FROM (SELECT s.team_id, s.from_month, r.role, r.headcount, r.monthly_cost_minor
                 FROM team_role_sets s LEFT JOIN team_roles r ON r.team_id = s.team_id AND r.from_month = s.from_month
                 WHERE ?1 IS NULL OR s.team_id = ?1
                 ORDER BY s.team_id, s.from_month, r.position)"#,
        &[team],
    )
    .await
}

/// Replaces the team's roles as of `from_month` (an empty list: nobody from then on).
pub async fn replace_role_set(db: &mut SqliteConnection, team: i64, from_month: i64, roles: &[(String, i64, i64)]) -> Result<(), AppError> {
    sqlx::query("DELETE FROM team_role_sets WHERE team_id = ?1 AND from_month = ?2").bind(team).bind(from_month).execute(&mut *db).await?;
    sqlx::query("INSERT INTO team_role_sets (team_id, from_month) VALUES (?1, ?2)").bind(team).bind(from_month).execute(&mut *db).await?;
    for (position, (role, headcount, cost)) in roles.iter().enumerate() {
        sqlx::query("INSERT INTO team_roles (team_id, from_month, role, headcount, monthly_cost_minor, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .bind(team)
            .bind(from_month)
            .bind(role)
            .bind(headcount)
            .bind(cost)
            .bind(position as i64)
            .execute(&mut *db)
            .await?;
    }
    Ok(())
}

/// One share of a team's month: on an initiative or on a category's work outside initiatives.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct ShareRow {
    pub team_id: i64,
    pub month: i64,
    pub initiative_id: Option<i64>,
    pub category_id: Option<i64>,
    pub pct: i64,
}

/// The shares of months `from` to `to`, of one team or of all.
pub async fn shares(db: &mut SqliteConnection, team: Option<i64>, (from, to): (i64, i64)) -> Result<Vec<ShareRow>, AppError> {
    crate::platform::db::packed(
        &mut *db,
        r#"SELECT json_group_array(json_object('team_id', team_id, 'month', month, 'initiative_id', initiative_id,
                                               'category_id', category_id, 'pct', pct))
           FROM time_allocations WHERE month BETWEEN ?1 AND ?2 AND (?3 IS NULL OR team_id = ?3)"#,
        &[Some(from), Some(to), team],
    )
    .await
}

/// Replaces a team's shares of one month.
pub async fn replace_shares(db: &mut SqliteConnection, team: i64, month: i64, shares: &[(Option<i64>, Option<i64>, i64)]) -> Result<(), AppError> {
    sqlx::query("DELETE FROM time_allocations WHERE team_id = ?1 AND month = ?2").bind(team).bind(month).execute(&mut *db).await?;
    for (initiative, category, pct) in shares {
        sqlx::query("INSERT INTO time_allocations (team_id, month, initiative_id, category_id, pct) VALUES (?1, ?2, ?3, ?4, ?5)")
            .bind(team)
            .bind(month)
            .bind(initiative)
            .bind(category)
            .bind(pct)
            .execute(&mut *db)
            .await?;
    }
    Ok(())
}

/// The initiatives with a development stage: (id, title, stage begins, in service).
pub async fn capitalizable(db: &mut SqliteConnection) -> Result<Vec<(i64, String, String, Option<String>)>, AppError> {
    Ok(sqlx::query_as("SELECT id, title, capitalize_from, in_service_on FROM initiatives WHERE capitalize_from IS NOT NULL ORDER BY title")
        .fetch_all(db)
        .await?)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CloseRecord {
    pub month: i64,
    pub lines: String,
    pub people_cost_minor: i64,
    pub capitalized_minor: i64,
    pub closed_by: Option<String>,
    pub closed_at: i64,
}

pub async fn closes(db: &mut SqliteConnection, (from, to): (i64, i64)) -> Result<Vec<CloseRecord>, AppError> {
    Ok(sqlx::query_as(
        "SELECT c.month, c.lines, c.people_cost_minor, c.capitalized_minor, u.name AS closed_by, c.closed_at
         FROM capitalization_closes c LEFT JOIN users u ON u.id = c.closed_by WHERE c.month BETWEEN ?1 AND ?2 ORDER BY c.month",
    )
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?)
}

/// The last closed month, if any: every month up to it is closed.
pub async fn closed_through(db: &mut SqliteConnection) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT max(month) FROM capitalization_closes").fetch_one(db).await?)
}

pub async fn insert_close(db: &mut SqliteConnection, month: i64, lines: &str, (people, capitalized): (i64, i64), by: Option<i64>, now: i64) -> Result<(), AppError> {
    sqlx::query("INSERT INTO capitalization_closes (month, lines, people_cost_minor, capitalized_minor, closed_by, closed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(month)
        .bind(lines)
        .bind(people)
        .bind(capitalized)
        .bind(by)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

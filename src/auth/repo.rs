//! Account queries shared by sign-in, sessions and administration.

use crate::access::Role;
use crate::auth::User;
use sqlx::SqliteExecutor;

/// A user as stored, with the password hash. Deliberately not `Serialize`: it never leaves
/// the server.
#[derive(sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub active: bool,
    pub password_hash: String,
}

impl UserRow {
    pub fn into_user(self) -> User {
        User {
            id: self.id,
            email: self.email,
            name: self.name,
            // The CHECK constraint on users.role admits only the three known names.
            role: Role::parse(&self.role).unwrap_or(Role::Investor),
            department_id: self.department_id,
            department_name: self.department_name,
            active: self.active,
        }
    }
}

/// A user's columns, for every query that reads a user.
macro_rules! user_columns {
    () => {
        "u.id, u.email, u.name, u.role, u.department_id, d.name AS department_name, u.active, u.password_hash"
    };
}

const SELECT_USER: &str = concat!("SELECT ", user_columns!(), " FROM users u LEFT JOIN departments d ON d.id = u.department_id");

/// A session with its user, as every signed-in request reads them: one query, not two.
#[derive(sqlx::FromRow)]
pub struct SessionRow {
    pub created_at: i64,
    pub last_seen_at: i64,
    #[sqlx(flatten)]
    pub user: UserRow,
}

pub async fn session_with_user<'e>(db: impl SqliteExecutor<'e>, token_hash: &[u8]) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT s.created_at, s.last_seen_at, ",
        user_columns!(),
        " FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN departments d ON d.id = u.department_id WHERE s.token_hash = ?1"
    ))
    .bind(token_hash)
    .fetch_optional(db)
    .await
}

pub async fn user_by_id<'e>(db: impl SqliteExecutor<'e>, id: i64) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT_USER} WHERE u.id = ?1")).bind(id).fetch_optional(db).await
}

pub async fn user_by_email<'e>(db: impl SqliteExecutor<'e>, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT_USER} WHERE u.email = ?1")).bind(email).fetch_optional(db).await
}

pub async fn all_users<'e>(db: impl SqliteExecutor<'e>) -> Result<Vec<User>, sqlx::Error> {
    let rows: Vec<UserRow> = sqlx::query_as(&format!(
        "{SELECT_USER} ORDER BY u.active DESC, u.role, u.name COLLATE NOCASE"
    ))
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(UserRow::into_user).collect())
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub department_id: Option<i64>,
    pub password_hash: &'a str,
}

pub async fn insert_user<'e>(db: impl SqliteExecutor<'e>, user: &NewUser<'_>) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        r#"INSERT INTO users (email, name, role, department_id, password_hash)
           VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id"#,
    )
    .bind(user.email)
    .bind(user.name)
    .bind(user.role)
    .bind(user.department_id)
    .bind(user.password_hash)
    .fetch_one(db)
    .await?;
    Ok(id)
}

pub async fn set_password_hash<'e>(db: impl SqliteExecutor<'e>, user_id: i64, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET password_hash = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
    )
    .bind(user_id)
    .bind(hash)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn department_id_by_name<'e>(db: impl SqliteExecutor<'e>, name: &str) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM departments WHERE name = ?1")
        .bind(name.trim())
        .fetch_optional(db)
        .await?;
    Ok(row.map(|r| r.0))
}

/// Whether a unique constraint refused the statement (a taken email or department name).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

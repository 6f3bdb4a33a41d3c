//! Account and department changes, shared by the Admin page and the `create-user` command.

use super::model::{Department, NewAccount};
use crate::access::Role;
use crate::auth::{password, repo, session, User};
use crate::platform::error::AppError;
use crate::auth::model::actor_of;
use crate::platform::audit::{row, Entry};
use crate::platform::db::begin_write;
use sqlx::{SqliteExecutor, SqlitePool};

pub async fn create_account(pool: &SqlitePool, actor: Option<&User>, account: NewAccount) -> Result<User, AppError> {
    let hash = password::hash(account.password.clone()).await?;
    let mut tx = begin_write(pool).await?;
    if let Some(dept) = account.department_id {
        ensure_department(&mut *tx, dept).await?;
    }
    let new = repo::NewUser {
        email: &account.email,
        name: &account.name,
        role: account.role,
        department_id: account.department_id,
        password_hash: &hash,
    };
    let id = match repo::insert_user(&mut *tx, &new).await {
        Ok(id) => id,
        Err(e) if repo::is_unique_violation(&e) => {
            return Err(AppError::field("email", "An account with this email already exists."))
        }
        Err(e) => return Err(e.into()),
    };
    Entry::new(&actor_of(actor), "admin", "create_user")
        .object("user", id, &account.email)
        .diff(None, row(&mut tx, "users", id).await?.as_ref())
        .record(&mut tx)
        .await?;
    let user = repo::user_by_id(&mut *tx, id).await?.ok_or(AppError::Internal)?.into_user();
    tx.commit().await?;
    Ok(user)
}

pub async fn update_account(
    pool: &SqlitePool,
    actor: &User,
    id: i64,
    name: String,
    role: Role,
    department_id: Option<i64>,
) -> Result<User, AppError> {
    let mut tx = begin_write(pool).await?;
    let target = repo::user_by_id(&mut *tx, id).await?.ok_or(AppError::NotFound)?.into_user();
    let before = row(&mut tx, "users", id).await?;
    if target.role == Role::Cto && role != Role::Cto && target.active {
        ensure_another_cto(&mut *tx, id).await.map_err(|_| {
            AppError::field("role", "Northstar needs at least one active CTO; make someone else CTO first.")
        })?;
    }
    if let Some(dept) = department_id {
        ensure_department(&mut *tx, dept).await?;
    }
    sqlx::query(
        r#"UPDATE users SET name = ?2, role = ?3, department_id = ?4,
                  updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
           WHERE id = ?1"#,
    )
    .bind(id)
    .bind(&name)
    .bind(role)
    .bind(department_id)
    .execute(&mut *tx)
    .await?;
    Entry::new(&actor.actor(), "admin", "update_user")
        .object("user", id, &target.email)
        .diff(before.as_ref(), row(&mut tx, "users", id).await?.as_ref())
        .record(&mut tx)
        .await?;
    let user = repo::user_by_id(&mut *tx, id).await?.ok_or(AppError::Internal)?.into_user();
    tx.commit().await?;
    Ok(user)
}

/// Deactivates or reactivates an account; its name, for the message.
pub async fn set_active(pool: &SqlitePool, actor: &User, id: i64, active: bool) -> Result<String, AppError> {
    if id == actor.id && !active {
        return Err(AppError::conflict("You cannot deactivate your own account."));
    }
    let mut tx = begin_write(pool).await?;
    let target = repo::user_by_id(&mut *tx, id).await?.ok_or(AppError::NotFound)?.into_user();
    if !active && target.role == Role::Cto {
        ensure_another_cto(&mut *tx, id).await?;
    }
    sqlx::query("UPDATE users SET active = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1")
        .bind(id)
        .bind(active)
        .execute(&mut *tx)
        .await?;
    if !active {
        session::delete_for_user(&mut *tx, id, None).await?;
    }
    let action = if active { "reactivate_user" } else { "deactivate_user" };
    Entry::new(&actor.actor(), "admin", action)
        .object("user", id, &target.email)
        .change("active", Some(target.active.to_string()), Some(active.to_string()))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(target.name)
}

/// Sets a new password and signs its holder out everywhere; the account's name, for the message.
pub async fn reset_password(pool: &SqlitePool, actor: &User, id: i64, new_password: String) -> Result<String, AppError> {
    let hash = password::hash(new_password).await?;
    let mut tx = begin_write(pool).await?;
    let target = repo::user_by_id(&mut *tx, id).await?.ok_or(AppError::NotFound)?.into_user();
    repo::set_password_hash(&mut *tx, id, &hash).await?;
    // Whoever held the old password is signed out everywhere.
    session::delete_for_user(&mut *tx, id, None).await?;
    Entry::new(&actor.actor(), "admin", "reset_password").object("user", id, &target.email).secret("password").record(&mut tx).await?;
    tx.commit().await?;
    Ok(target.name)
}

async fn ensure_another_cto<'e>(db: impl SqliteExecutor<'e>, except: i64) -> Result<(), AppError> {
    let (others,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM users WHERE role = 'cto' AND active = 1 AND id <> ?1")
            .bind(except)
            .fetch_one(db)
            .await?;
    if others == 0 {
        return Err(AppError::conflict("Northstar needs at least one active CTO; make someone else CTO first."));
    }
    Ok(())
}

async fn ensure_department<'e>(db: impl SqliteExecutor<'e>, id: i64) -> Result<(), AppError> {
    let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM departments WHERE id = ?1").bind(id).fetch_optional(db).await?;
    found.map(|_| ()).ok_or_else(|| AppError::field("department", "That department does not exist."))
}

pub async fn departments<'e>(db: impl SqliteExecutor<'e>, only: Option<i64>) -> Result<Vec<Department>, AppError> {
    let rows: Vec<(i64, String, Option<String>, i64)> = sqlx::query_as(
        r#"SELECT d.id, d.name,
                  (SELECT group_concat(u.name, '|') FROM users u
                    WHERE u.department_id = d.id AND u.role = 'department_head' AND u.active = 1),
                  (SELECT count(*) FROM users u WHERE u.department_id = d.id)
           FROM departments d
           WHERE ?1 IS NULL OR d.id = ?1
           ORDER BY d.name COLLATE NOCASE"#,
    )
    .bind(only)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, heads, members)| Department {
            id,
            name,
            heads: heads.map(|h| h.split('|').map(str::to_string).collect()).unwrap_or_default(),
            members,
        })
        .collect())
}

pub async fn create_department(pool: &SqlitePool, actor: Option<&User>, name: &str) -> Result<i64, AppError> {
    let mut tx = begin_write(pool).await?;
    let res: Result<(i64,), _> = sqlx::query_as("INSERT INTO departments (name) VALUES (?1) RETURNING id")
        .bind(name)
        .fetch_one(&mut *tx)
        .await;
    let id = match res {
        Ok((id,)) => id,
        Err(e) if repo::is_unique_violation(&e) => {
            return Err(AppError::field("name", format!("A department named {name} already exists.")))
        }
        Err(e) => return Err(e.into()),
    };
    Entry::new(&actor_of(actor), "admin", "create_department")
        .object("department", id, name)
        .change("name", None, Some(name.to_string()))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn rename_department(pool: &SqlitePool, actor: &User, id: i64, name: &str) -> Result<(), AppError> {
    let mut tx = begin_write(pool).await?;
    let before = row(&mut tx, "departments", id).await?;
    let res = sqlx::query("UPDATE departments SET name = ?2 WHERE id = ?1").bind(id).bind(name).execute(&mut *tx).await;
    match res {
        Ok(done) if done.rows_affected() == 0 => return Err(AppError::NotFound),
        Ok(_) => {}
        Err(e) if repo::is_unique_violation(&e) => {
            return Err(AppError::field("name", format!("A department named {name} already exists.")))
        }
        Err(e) => return Err(e.into()),
    }
    // Cached KPI cards show the department's name; a new version makes them recompute.
    sqlx::query("UPDATE kpis SET data_version = data_version + 1 WHERE department_id = ?1").bind(id).execute(&mut *tx).await?;
    Entry::new(&actor.actor(), "admin", "rename_department")
        .object("department", id, name)
        .diff(before.as_ref(), row(&mut tx, "departments", id).await?.as_ref())
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes an empty department; its name, for the message.
pub async fn delete_department(pool: &SqlitePool, actor: &User, id: i64) -> Result<String, AppError> {
    let mut tx = begin_write(pool).await?;
    let dept = departments(&mut *tx, Some(id)).await?.pop().ok_or(AppError::NotFound)?;
    if dept.members > 0 {
        return Err(AppError::conflict(format!(
            "{} still has {} account(s); move or remove them first.",
            dept.name, dept.members
        )));
    }
    match sqlx::query("DELETE FROM departments WHERE id = ?1").bind(id).execute(&mut *tx).await {
        Ok(_) => {}
        Err(sqlx::Error::Database(d)) if d.is_foreign_key_violation() => {
            return Err(AppError::conflict(format!("{} still has data (budgets, KPIs, systems, initiatives or teams) that refer to it.", dept.name)))
        }
        Err(e) => return Err(e.into()),
    }
    Entry::new(&actor.actor(), "admin", "delete_department")
        .object("department", id, &dept.name)
        .change("name", Some(dept.name.clone()), None)
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(dept.name)
}

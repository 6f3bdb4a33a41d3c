//! Administration server functions: the CTO manages accounts and departments.

use super::model::{AuditPage, AuditQuery, Department};
use crate::auth::User;
use crate::platform::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "admin/users")]
pub async fn list_users() -> Result<Vec<User>, AppError> {
    let _cto = crate::auth::guard::require(crate::access::Action::ListUsers)?;
    let st = crate::platform::state::AppState::current()?;
    Ok(crate::auth::repo::all_users(&st.pool).await?)
}

#[server(endpoint = "admin/users/create")]
pub async fn create_user(
    email: String,
    name: String,
    role: String,
    department: String,
    password: String,
) -> Result<User, AppError> {
    use crate::auth::guard;
    let cto = guard::require(crate::access::Action::CreateUser)?;
    let account = super::model::parse_new_account(&email, &name, &role, &department, &password)?;
    let user = super::service::create_account(&crate::platform::state::AppState::current()?.pool, Some(&cto), account).await?;
    crate::ui::Flash::back(crate::access::Page::Admin.path(), format!("Created {} ({}).", user.name, user.role.label()), &["edit", "reset", "ask"], "", "");
    Ok(user)
}

#[server(endpoint = "admin/users/update")]
pub async fn update_user(id: i64, name: String, role: String, department: String) -> Result<User, AppError> {
    use crate::auth::guard;
    use crate::platform::error::Problems;
    let cto = guard::require(crate::access::Action::UpdateUser)?;
    let mut p = Problems::default();
    let name = p.check("name", crate::auth::model::parse_name(&name));
    let role_dept = super::model::parse_role_and_department(&role, &department, &mut p);
    p.finish()?;
    let (Some(name), Some((role, dept))) = (name, role_dept) else { return Err(AppError::Internal) };
    let user = super::service::update_account(&crate::platform::state::AppState::current()?.pool, &cto, id, name, role, dept).await?;
    crate::ui::Flash::back(crate::access::Page::Admin.path(), format!("Saved {}: {}.", user.name, user.role.label()), &["edit", "reset", "ask"], "", "");
    Ok(user)
}

#[server(endpoint = "admin/users/set_active")]
pub async fn set_user_active(id: i64, active: bool) -> Result<(), AppError> {
    use crate::auth::guard;
    let cto = guard::require(crate::access::Action::SetUserActive)?;
    let name = super::service::set_active(&crate::platform::state::AppState::current()?.pool, &cto, id, active).await?;
    let said = if active { format!("{name} can sign in again.") } else { format!("{name} is deactivated and signed out everywhere.") };
    crate::ui::Flash::back(crate::access::Page::Admin.path(), said, &["edit", "reset", "ask"], "", "");
    Ok(())
}

#[server(endpoint = "admin/users/reset_password")]
pub async fn reset_password(id: i64, password: String) -> Result<(), AppError> {
    use crate::auth::guard;
    let cto = guard::require(crate::access::Action::ResetPassword)?;
    crate::auth::model::check_new_password(&password).map_err(|m| AppError::field("password", m))?;
    let name = super::service::reset_password(&crate::platform::state::AppState::current()?.pool, &cto, id, password).await?;
    let said = format!("Password reset for {name}. Their sessions were signed out; tell them the new password in person.");
    crate::ui::Flash::back(crate::access::Page::Admin.path(), said, &["edit", "reset", "ask"], "", "");
    Ok(())
}

/// All departments for the CTO; only their own for a department head.
#[server(endpoint = "departments")]
pub async fn list_departments() -> Result<Vec<Department>, AppError> {
    use crate::access::Role;
    use crate::auth::guard;
    let user = guard::require(crate::access::Action::ListDepartments)?;
    let only = match user.role {
        Role::Cto => None,
        // A department head without a department sees none (id 0 matches nothing).
        _ => Some(user.department_id.unwrap_or(0)),
    };
    super::service::departments(&crate::platform::state::AppState::current()?.pool, only).await
}

#[server(endpoint = "admin/departments/create")]
pub async fn create_department(name: String) -> Result<(), AppError> {
    use crate::auth::guard;
    let cto = guard::require(crate::access::Action::CreateDepartment)?;
    let name = super::model::parse_department_name(&name).map_err(|m| AppError::field("name", m))?;
    super::service::create_department(&crate::platform::state::AppState::current()?.pool, Some(&cto), &name).await?;
    crate::ui::Flash::back(crate::access::Page::Admin.path(), format!("Added the department {name}."), &["rename", "ask"], "", "");
    Ok(())
}

#[server(endpoint = "admin/departments/rename")]
pub async fn rename_department(id: i64, name: String) -> Result<(), AppError> {
    use crate::auth::guard;
    let cto = guard::require(crate::access::Action::RenameDepartment)?;
    let name = super::model::parse_department_name(&name).map_err(|m| AppError::field("name", m))?;
    super::service::rename_department(&crate::platform::state::AppState::current()?.pool, &cto, id, &name).await?;
    crate::ui::Flash::back(crate::access::Page::Admin.path(), format!("Renamed the department to {name}."), &["rename", "ask"], "", "");
    Ok(())
}

#[server(endpoint = "admin/departments/delete")]
pub async fn delete_department(id: i64) -> Result<(), AppError> {
    use crate::auth::guard;
    let cto = guard::require(crate::access::Action::DeleteDepartment)?;
    let name = super::service::delete_department(&crate::platform::state::AppState::current()?.pool, &cto, id).await?;
    crate::ui::Flash::back(crate::access::Page::Admin.path(), format!("Deleted the department {name}."), &["rename", "ask"], "", "");
    Ok(())
}

/// A page of the audit trail, newest first, with the filters the page's query string holds.
#[server(endpoint = "admin/audit")]
pub async fn audit_log(query: AuditQuery) -> Result<AuditPage, AppError> {
    crate::auth::guard::require(crate::access::Action::AuditLog)?;
    super::audit::page(&crate::platform::state::AppState::current()?, &query).await
}

//! Departments and account changes as the Admin page sends and shows them.

use crate::access::Role;
use crate::auth::model::{check_new_password, parse_email, parse_name};
use crate::platform::error::{AppError, Problems};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub id: i64,
    pub name: String,
    /// Names of the active department heads bound to it.
    pub heads: Vec<String>,
    /// Accounts of any state bound to it; a department with members cannot be deleted.
    pub members: i64,
}

/// The audit trail's filters, as they appear in the page's query string (and the CSV link).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    /// Who, as the trail names them (a person's name, "token “ci”").
    pub who: String,
    pub area: String,
    /// `kind:id`, as object pages link to their history (`kpi:availability`, `system:3`).
    pub object: String,
    /// First and last day, YYYY-MM-DD, UTC.
    pub from: String,
    pub to: String,
    pub page: String,
}

/// One record as the trail shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// "2026-11-30 14:05:09 UTC".
    pub at: String,
    pub actor: String,
    /// "Person", "API token", "Northstar"...
    pub actor_kind: String,
    pub area: String,
    pub action: String,
    pub object: String,
    pub object_label: String,
    /// Field, before, after; money already in the base currency.
    pub changes: Vec<(String, Option<String>, Option<String>)>,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub matched: i64,
    pub page: i64,
    pub pages: i64,
    /// The choices of the filters: everyone and every area the trail holds.
    pub people: Vec<String>,
    pub areas: Vec<String>,
    /// The CSV export's query string, with the same filters.
    pub export_query: String,
}

pub const DEPARTMENT_NAME_MAX: usize = 80;

pub fn parse_department_name(input: &str) -> Result<String, String> {
    crate::platform::validate::required_text(input, "department name", DEPARTMENT_NAME_MAX)
}

/// A role and its department as a form submits them: the department is an id, or empty.
/// Only department heads are bound to a department; for other roles the choice is dropped.
pub fn parse_role_and_department(role: &str, department: &str, problems: &mut Problems) -> Option<(Role, Option<i64>)> {
    let role = problems.check("role", Role::parse(role).ok_or_else(|| "Choose a role.".to_string()))?;
    if role != Role::DepartmentHead {
        return Some((role, None));
    }
    match department.trim().parse::<i64>() {
        Ok(id) if id > 0 => Some((role, Some(id))),
        _ => {
            problems.add("department", "A department head needs a department.");
            None
        }
    }
}

/// A validated new account. The password stays plain only until it is hashed.
#[derive(Debug, PartialEq, Eq)]
pub struct NewAccount {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub department_id: Option<i64>,
    pub password: String,
}

pub fn parse_new_account(email: &str, name: &str, role: &str, department: &str, password: &str) -> Result<NewAccount, AppError> {
    let mut p = Problems::default();
    let email = p.check("email", parse_email(email));
    let name = p.check("name", parse_name(name));
    let role_dept = parse_role_and_department(role, department, &mut p);
    p.check("password", check_new_password(password));
    p.finish()?;
    let (role, department_id) = role_dept.ok_or(AppError::Internal)?;
    Ok(NewAccount {
        email: email.ok_or(AppError::Internal)?,
        name: name.ok_or(AppError::Internal)?,
        role,
        department_id,
        password: password.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_account_parses() {
        let a = parse_new_account(" Eve@Example.com ", "Eve", "department_head", "3", "a long enough secret").unwrap();
        assert_eq!(a.email, "eve@example.com");
        assert_eq!(a.role, Role::DepartmentHead);
        assert_eq!(a.department_id, Some(3));
    }

    #[test]
    fn the_department_is_dropped_for_other_roles() {
        let a = parse_new_account("i@x.com", "Ivy", "investor", "3", "a long enough secret").unwrap();
        assert_eq!(a.department_id, None);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let err = parse_new_account("", &"n".repeat(200), "department_head", "", "short").unwrap_err();
        for field in ["email", "name", "department", "password"] {
            assert!(err.for_field(field).is_some(), "{field}: {err:?}");
        }
        let err = parse_new_account("a@b.c", "A", "admin", "", "a long enough secret").unwrap_err();
        assert_eq!(err.for_field("role").as_deref(), Some("Choose a role."));
    }

    #[test]
    fn department_names() {
        assert_eq!(parse_department_name("  Platform ").as_deref(), Ok("Platform"));
        assert!(parse_department_name(" ").is_err());
        assert!(parse_department_name(&"d".repeat(81)).is_err());
    }
}

//! Who may do what: the single table every page and server function is checked against.
//!
//! The table is plain data compiled into both the server and the browser. The server enforces
//! it (see `auth::guard` and `server::pages`); the browser only uses it to decide which links to
//! show. Each `match` below is exhaustive, so adding an action or page without a rule does not
//! compile, and `tests/access.rs` walks every row for every role over HTTP.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Cto,
    DepartmentHead,
    Investor,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Cto, Role::DepartmentHead, Role::Investor];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Cto => "cto",
            Role::DepartmentHead => "department_head",
            Role::Investor => "investor",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Cto => "CTO",
            Role::DepartmentHead => "Department head",
            Role::Investor => "Investor",
        }
    }

    /// The page a user lands on after signing in.
    pub fn home(self) -> Page {
        match self {
            Role::Cto | Role::DepartmentHead => Page::Overview,
            Role::Investor => Page::Reports,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Who a rule lets in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// No session needed (the login form itself).
    Anyone,
    /// Any signed-in, active user.
    SignedIn,
    /// Only these roles.
    Roles(&'static [Role]),
}

impl Audience {
    pub fn admits(self, role: Option<Role>) -> bool {
        match (self, role) {
            (Audience::Anyone, _) => true,
            (_, None) => false,
            (Audience::SignedIn, Some(_)) => true,
            (Audience::Roles(roles), Some(r)) => roles.contains(&r),
        }
    }
}

const CTO: Audience = Audience::Roles(&[Role::Cto]);
const STAFF: Audience = Audience::Roles(&[Role::Cto, Role::DepartmentHead]);
const EVERY_ROLE: Audience = Audience::Roles(&[Role::Cto, Role::DepartmentHead, Role::Investor]);

/// The pages of the app, in navigation order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Page {
    Login,
    Overview,
    Kpis,
    Budgets,
    Infrastructure,
    Reports,
    Admin,
    Account,
}

impl Page {
    pub const ALL: [Page; 8] = [
        Page::Login,
        Page::Overview,
        Page::Kpis,
        Page::Budgets,
        Page::Infrastructure,
        Page::Reports,
        Page::Admin,
        Page::Account,
    ];

    /// Pages listed in the main navigation.
    pub const NAV: [Page; 6] = [
        Page::Overview,
        Page::Kpis,
        Page::Budgets,
        Page::Infrastructure,
        Page::Reports,
        Page::Admin,
    ];

    pub fn path(self) -> &'static str {
        match self {
            Page::Login => "/login",
            Page::Overview => "/",
            Page::Kpis => "/kpis",
            Page::Budgets => "/budgets",
            Page::Infrastructure => "/infrastructure",
            Page::Reports => "/reports",
            Page::Admin => "/admin",
            Page::Account => "/account",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Page::Login => "Sign in",
            Page::Overview => "Overview",
            Page::Kpis => "KPIs",
            Page::Budgets => "Budgets",
            Page::Infrastructure => "Infrastructure",
            Page::Reports => "Reports",
            Page::Admin => "Admin",
            Page::Account => "Account",
        }
    }

    pub fn audience(self) -> Audience {
        match self {
            Page::Login => Audience::Anyone,
            Page::Overview | Page::Kpis | Page::Budgets | Page::Infrastructure => STAFF,
            Page::Reports => EVERY_ROLE,
            Page::Admin => CTO,
            Page::Account => Audience::SignedIn,
        }
    }

    /// The page a request path belongs to: the page itself or anything below it.
    pub fn for_path(path: &str) -> Option<Page> {
        let path = path.trim_end_matches('/');
        if path.is_empty() {
            return Some(Page::Overview);
        }
        Page::ALL.into_iter().filter(|p| *p != Page::Overview).find(|p| {
            let base = p.path();
            path == base || path.strip_prefix(base).is_some_and(|rest| rest.starts_with('/'))
        })
    }
}

/// Every server function, by the endpoint it is mounted at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Login,
    Logout,
    CurrentUser,
    ChangeOwnPassword,
    ListUsers,
    CreateUser,
    UpdateUser,
    SetUserActive,
    ResetPassword,
    ListDepartments,
    CreateDepartment,
    RenameDepartment,
    DeleteDepartment,
    AuditLog,
}

impl Action {
    pub const ALL: [Action; 14] = [
        Action::Login,
        Action::Logout,
        Action::CurrentUser,
        Action::ChangeOwnPassword,
        Action::ListUsers,
        Action::CreateUser,
        Action::UpdateUser,
        Action::SetUserActive,
        Action::ResetPassword,
        Action::ListDepartments,
        Action::CreateDepartment,
        Action::RenameDepartment,
        Action::DeleteDepartment,
        Action::AuditLog,
    ];

    /// The HTTP path of the server function; it must equal the `endpoint` in its `#[server]`
    /// attribute (a test compares this list with the functions actually registered).
    pub fn endpoint(self) -> &'static str {
        match self {
            Action::Login => "/api/auth/login",
            Action::Logout => "/api/auth/logout",
            Action::CurrentUser => "/api/auth/me",
            Action::ChangeOwnPassword => "/api/auth/change_password",
            Action::ListUsers => "/api/admin/users",
            Action::CreateUser => "/api/admin/users/create",
            Action::UpdateUser => "/api/admin/users/update",
            Action::SetUserActive => "/api/admin/users/set_active",
            Action::ResetPassword => "/api/admin/users/reset_password",
            Action::ListDepartments => "/api/departments",
            Action::CreateDepartment => "/api/admin/departments/create",
            Action::RenameDepartment => "/api/admin/departments/rename",
            Action::DeleteDepartment => "/api/admin/departments/delete",
            Action::AuditLog => "/api/admin/audit",
        }
    }

    pub fn audience(self) -> Audience {
        match self {
            Action::Login | Action::CurrentUser => Audience::Anyone,
            Action::Logout | Action::ChangeOwnPassword => Audience::SignedIn,
            // Department heads need the department list for their own scope; investors do not.
            Action::ListDepartments => STAFF,
            Action::ListUsers
            | Action::CreateUser
            | Action::UpdateUser
            | Action::SetUserActive
            | Action::ResetPassword
            | Action::CreateDepartment
            | Action::RenameDepartment
            | Action::DeleteDepartment
            | Action::AuditLog => CTO,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_resolve_from_their_paths_and_subpaths() {
        let cases = [
            ("/", Some(Page::Overview)),
            ("", Some(Page::Overview)),
            ("/kpis", Some(Page::Kpis)),
            ("/kpis/", Some(Page::Kpis)),
            ("/kpis/lead-time", Some(Page::Kpis)),
            ("/kpisx", None),
            ("/admin/users", Some(Page::Admin)),
            ("/login", Some(Page::Login)),
            ("/nowhere", None),
        ];
        for (path, want) in cases {
            assert_eq!(Page::for_path(path), want, "path {path:?}");
        }
    }

    #[test]
    fn navigation_per_role() {
        let nav = |role| {
            Page::NAV
                .into_iter()
                .filter(|p| p.audience().admits(Some(role)))
                .map(Page::label)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            nav(Role::Cto),
            ["Overview", "KPIs", "Budgets", "Infrastructure", "Reports", "Admin"]
        );
        assert_eq!(nav(Role::DepartmentHead), ["Overview", "KPIs", "Budgets", "Infrastructure", "Reports"]);
        assert_eq!(nav(Role::Investor), ["Reports"]);
    }

    #[test]
    fn every_role_lands_on_a_page_it_may_open() {
        for role in Role::ALL {
            assert!(role.home().audience().admits(Some(role)), "{role:?}");
        }
    }

    #[test]
    fn anonymous_callers_reach_only_public_rules() {
        for action in Action::ALL {
            let public = matches!(action.audience(), Audience::Anyone);
            assert_eq!(action.audience().admits(None), public, "{action:?}");
        }
    }

    #[test]
    fn endpoints_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for action in Action::ALL {
            assert!(seen.insert(action.endpoint()), "duplicate endpoint {}", action.endpoint());
        }
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
    }
}

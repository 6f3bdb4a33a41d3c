//! Who may do what: the single table every page and server function is checked against.
//!
//! The table is plain data compiled into both the server and the browser. The server enforces
//! it (`auth::guard` for server functions and routes, `server::http::page_guard` for pages); the
//! browser only uses it to decide which links to show. Each `match` is exhaustive, so adding a
//! page, action or route without a rule does not compile, and `tests/access.rs` walks every row
//! for every role over HTTP.

mod actions;
mod pages;
mod routes;

pub use actions::Action;
pub use pages::Page;
pub use routes::Route;

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
    /// Machines holding an API token (ingest only); sessions do not count.
    ApiToken,
    /// Metrics scrapers: from the addresses in `NORTHSTAR_METRICS_ALLOW` or holding
    /// `NORTHSTAR_METRICS_TOKEN`, whoever is signed in.
    Monitoring,
}

impl Audience {
    pub fn admits(self, role: Option<Role>) -> bool {
        match (self, role) {
            (Audience::Anyone, _) => true,
            (Audience::ApiToken | Audience::Monitoring, _) => false,
            (_, None) => false,
            (Audience::SignedIn, Some(_)) => true,
            (Audience::Roles(roles), Some(r)) => roles.contains(&r),
        }
    }
}

pub(crate) const CTO: Audience = Audience::Roles(&[Role::Cto]);
pub(crate) const STAFF: Audience = Audience::Roles(&[Role::Cto, Role::DepartmentHead]);
/// Who reads published investor reports.
pub(crate) const READERS: Audience = Audience::Roles(&[Role::Cto, Role::Investor]);
pub(crate) const EVERY_ROLE: Audience = Audience::Roles(&[Role::Cto, Role::DepartmentHead, Role::Investor]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_lands_on_a_page_it_may_open() {
        for role in Role::ALL {
            assert!(role.home().audience().admits(Some(role)), "{role:?}");
        }
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn api_token_rules_admit_no_session() {
        for role in Role::ALL {
            assert!(!Audience::ApiToken.admits(Some(role)));
        }
        assert!(!Audience::ApiToken.admits(None));
    }
}

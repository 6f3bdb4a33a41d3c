//! Who may do what: the single table every page and server function is checked against.
//!
//! The table is plain data compiled into both the server and the browser. The server enforces
//! it (`auth::guard` for server functions and routes, `server::http::page_guard` for pages); the
//! browser only uses it to decide which links to show. Each `match` is exhaustive, so adding a
//! page, action or route without a rule does not compile, and `tests/it/access.rs` walks every row
//! for every role over HTTP.

mod actions;
mod pages;
mod routes;

pub use actions::Action;
pub use pages::Page;
pub use routes::Route;

use crate::platform::named::named_enum;
use std::fmt;

named_enum!(
    #[serde(rename_all = "snake_case")]
    Role {
        Cto = "cto" / "CTO",
        DepartmentHead = "department_head" / "Department head",
        Investor = "investor" / "Investor",
    }
);

impl Role {
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
        for &role in Role::ALL {
            assert!(role.home().audience().admits(Some(role)), "{role:?}");
        }
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for &role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn api_token_rules_admit_no_session() {
        for &role in Role::ALL {
            assert!(!Audience::ApiToken.admits(Some(role)));
        }
        assert!(!Audience::ApiToken.admits(None));
    }
}

/// A page's or route's address with its parameters put in, each percent-encoded: the pattern
/// stays the one place an address is written. Segments are `:name` (pages) or `{name}` (routes).
fn fill(pattern: &str, params: &[&dyn fmt::Display]) -> String {
    let mut given = params.iter();
    let filled: Vec<String> = pattern
        .split('/')
        .map(|segment| {
            let is_param = segment.starts_with(':') || (segment.starts_with('{') && segment.contains('}'));
            if !is_param {
                return segment.to_string();
            }
            let value = given.next().map(|p| crate::platform::encode::component(&p.to_string())).unwrap_or_default();
            // `{token}/pdf` is one segment in a route: keep what follows the parameter.
            let rest = segment.find('}').map(|i| &segment[i + 1..]).unwrap_or("");
            format!("{value}{rest}")
        })
        .collect();
    debug_assert!(given.next().is_none(), "more parameters than {pattern} has");
    filled.join("/")
}

#[cfg(test)]
mod link_tests {
    use super::*;

    #[test]
    fn links_fill_their_patterns_and_encode_values() {
        assert_eq!(Page::KpiDetail.href(&[&"p95-latency"]), "/kpis/p95-latency");
        assert_eq!(Page::ReportVersion.href(&[&7, &2]), "/reports/7/versions/2");
        assert_eq!(Page::InfraSystem.href(&[&"a/b c"]), "/infrastructure/systems/a%2Fb%20c");
        assert_eq!(Route::ReportPdf.href(&[&7, &2]), "/api/reports/7/versions/2/pdf");
        assert_eq!(Route::KpiExport.href(&[&"cost"]), "/api/kpis/cost/export.csv");
    }
}

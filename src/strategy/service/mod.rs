//! The bodies of the strategy's server functions. The CTO sees and changes everything. A
//! department head reads every objective (the company's goals are shared with them), only the
//! KPIs they may see, and only their own department's initiatives, which they may also change;
//! another department's initiative answers 403, like one that does not exist.

mod allocation;
mod capitalization;
pub(crate) mod cloud;
mod cloud_rules;
pub mod digest;
mod edit;
pub mod people;
pub mod people_cost;
mod read;
mod system_cost;
pub mod time_import;
pub mod unit;

pub use allocation::{allocation, delete_category, save_categories};
pub use edit::{delete_initiative, delete_milestone, delete_objective, initiative_editor, objective_editor, save_initiative, save_milestone, save_objective};
pub use capitalization::{capitalization, capitalization_csv, close_months};
pub(crate) use capitalization::freeze;
pub use digest::{digest, Reader, INVESTORS_SEE_MIX};
pub use cloud_rules::{delete_rule as delete_cloud_rule, map_line as map_cloud_line, page as cloud_costs, save_rule as save_cloud_rule};
pub use people::{delete_team, save_roles, save_shares, save_team, team_page, teams};
pub use read::{initiative_page, map};
pub use system_cost::system_cost;
pub use unit::{delete as delete_unit_cost, page as unit_economics, save as save_unit_cost};

use super::repo::{self, InitiativeRecord};
use crate::access::Role;
use crate::auth::User;
use crate::platform::error::{refused, AppError, Problems};
use sqlx::SqliteConnection;

/// The department whose initiatives `user` sees: `None` for all (the CTO).
fn scope(user: &User) -> Result<Option<i64>, AppError> {
    match user.role {
        Role::Cto => Ok(None),
        // A head without a department sees nothing rather than everything.
        Role::DepartmentHead => Ok(Some(user.department_id.unwrap_or(-1))),
        Role::Investor => Err(refused(AppError::Forbidden)),
    }
}


/// The department a form names, checked: one outside the caller's scope is refused (403);
/// none, or one that does not exist, is a mistake at the field, said with `missing`.
async fn chosen_department(db: &mut SqliteConnection, user: &User, p: &mut Problems, text: &str, missing: &str) -> Result<Option<i64>, AppError> {
    let dept = scope(user)?;
    Ok(match text.trim().parse::<i64>() {
        Ok(d) if dept.is_some_and(|own| own != d) => return Err(refused(AppError::Forbidden)),
        Ok(d) if crate::budget::service::departments(&mut *db, Some(d)).await?.len() == 1 => Some(d),
        _ => {
            p.add("department", missing);
            None
        }
    })
}

/// An initiative the caller may see.
async fn visible_initiative(db: &mut SqliteConnection, user: &User, id: i64) -> Result<InitiativeRecord, AppError> {
    let dept = scope(user)?;
    match repo::initiative(db, id).await? {
        Some(i) if dept.is_none_or(|d| d == i.department_id) => Ok(i),
        _ => Err(user.hidden()),
    }
}

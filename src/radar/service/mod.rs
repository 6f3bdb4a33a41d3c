//! The bodies of the radar's server functions. The radar is the company's: the CTO and every
//! department head read it. Anyone on staff may propose an entry; the CTO decides where entries
//! stand, names the quadrants and publishes editions. A head sees their own department's
//! proposals (and declined ones), never another department's: those answer 403, like an entry
//! that does not exist.

mod edit;
mod edition;
mod read;

pub use edit::{decide, delete_entry, entry_editor, save_entry, save_settings};
pub use edition::{edition_page, investor_picture, publish_edition};
pub(crate) use edition::{draw as draw_picture, last_of as last_edition};
pub use read::{entry_page, radar};

use super::model::EntryState;
use super::view::Mention;
use super::repo::{self, EntryRecord};
use crate::access::Role;
use crate::auth::User;
use crate::platform::error::{refused, AppError};
use sqlx::SqliteConnection;

pub const INVESTORS_SEE_RADAR: &str = "investors_see_radar";

/// Whether investor reports show the radar, the CTO's choice on the radar page.
pub async fn investors_see_radar(db: &mut SqliteConnection) -> Result<bool, AppError> {
    Ok(crate::platform::db::flag(db, INVESTORS_SEE_RADAR).await?)
}

/// What an entry on the radar names: the initiative that adopts it, or a system it concerns.
pub enum Named {
    Initiative(i64),
    System(i64),
}

/// The entries on the radar that name an initiative or a system, for that page to link to.
pub async fn mentions(db: &mut SqliteConnection, of: Named) -> Result<Vec<Mention>, AppError> {
    let quadrants = repo::quadrants(&mut *db).await?;
    let rows = match of {
        Named::Initiative(id) => repo::naming_initiative(&mut *db, id).await?,
        Named::System(id) => repo::naming_system(&mut *db, id).await?,
    };
    Ok(rows
        .into_iter()
        .filter_map(|(id, name, quadrant, ring)| Some(Mention { id, name, standing: format!("{} · {}", quadrants.get(quadrant as usize)?, ring?.label()) }))
        .collect())
}

/// Refuses investors: the radar reaches them only through reports.
fn staff(user: &User) -> Result<(), AppError> {
    match user.role {
        Role::Cto | Role::DepartmentHead => Ok(()),
        Role::Investor => Err(refused(AppError::Forbidden)),
    }
}

/// Whether `user` may see `e`: what is or was on the radar, to all staff; a proposal, to the
/// CTO and to the head of the department it came from.
fn may_see(user: &User, e: &EntryRecord) -> bool {
    match user.role {
        Role::Cto => true,
        Role::DepartmentHead => matches!(e.state, EntryState::Placed | EntryState::Retired) || (e.department_id.is_some() && e.department_id == user.department_id),
        Role::Investor => false,
    }
}


async fn visible_entry(db: &mut SqliteConnection, user: &User, id: i64) -> Result<EntryRecord, AppError> {
    staff(user)?;
    match repo::entry(db, id).await {
        Ok(e) if may_see(user, &e) => Ok(e),
        Ok(_) | Err(AppError::NotFound) => Err(user.hidden()),
        Err(e) => Err(e),
    }
}

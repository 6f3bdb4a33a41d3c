//! The bodies of the security pages' server functions and routes. Findings belong to systems:
//! the CTO sees and imports every system's; a department head their own department's systems'
//! (another department's system answers 403, like one that does not exist); investors none.
//! Controls likewise: the CTO's are every control, a head's their department's.

pub mod access_review;
pub mod automatic;
pub mod backups;
mod board;
pub mod controls;
pub mod evidence;
mod figures;
pub mod kpis;
mod list;
pub mod posture;
pub mod privacy;
pub mod quality;
pub mod recovery;
pub mod scan;
mod sql;

pub use board::{system_findings, vulnerabilities};
pub use evidence::{late_controls, LateControl};
pub use figures::{late_by_system, LateSystem};

use super::model::{Deadlines, Severity};
use crate::access::Role;
use crate::auth::User;
use crate::platform::audit::Entry;
use crate::platform::changes::Changed;
use crate::platform::db::begin_write;
use crate::platform::error::{refused, AppError, Problems};
use crate::platform::state::AppState;
use sqlx::SqliteConnection;

/// The departments whose systems `user` may see: `None` for all (the CTO), `Some(d)` for a
/// head's own. Investors are refused.
pub(crate) fn scope(user: &User) -> Result<Option<i64>, AppError> {
    match user.role {
        Role::Cto => Ok(None),
        // A head without a department has no systems of their own: -1 matches none.
        Role::DepartmentHead => Ok(Some(user.department_id.unwrap_or(-1))),
        Role::Investor => Err(refused(AppError::Forbidden)),
    }
}

/// A system `user` may see, by id: its name.
pub(crate) async fn visible_system(db: &mut SqliteConnection, user: &User, id: i64) -> Result<String, AppError> {
    let dept = scope(user)?;
    let row: Option<(String, Option<i64>)> = sqlx::query_as("SELECT name, department_id FROM systems WHERE id = ?1").bind(id).fetch_optional(db).await?;
    match row {
        Some((name, d)) if dept.is_none() || d == dept => Ok(name),
        // A head is told the same of a missing system as of another department's.
        _ => Err(user.hidden()),
    }
}

pub(crate) async fn deadlines(db: &mut SqliteConnection) -> Result<Deadlines, AppError> {
    let (critical, high, medium, low): (i64, i64, i64, i64) =
        sqlx::query_as("SELECT critical_days, high_days, medium_days, low_days FROM assurance_settings WHERE id = 1").fetch_one(db).await?;
    let days = |d: i64| u32::try_from(d).unwrap_or(u32::MAX);
    Ok(Deadlines { critical: days(critical), high: days(high), medium: days(medium), low: days(low) })
}

/// Sets the days to fix each severity (the CTO's); the SLA figures and KPIs follow at once.
pub async fn save_deadlines(st: &AppState, cto: &User, input: [&str; 4]) -> Result<Deadlines, AppError> {
    let mut p = Problems::default();
    let mut days = [0u32; 4];
    for (i, s) in Severity::ALL.iter().enumerate() {
        let text = input[i].trim();
        days[i] = p.check(s.as_str(), text.parse::<u32>().map_err(|_| format!("Give {} findings a whole number of days, such as 30.", s.label().to_lowercase()))).unwrap_or(0);
    }
    p.finish()?;
    let d = Deadlines { critical: days[0], high: days[1], medium: days[2], low: days[3] };
    d.check().map_err(|(field, message)| AppError::field(field, message))?;
    let mut tx = begin_write(&st.pool).await?;
    let before = deadlines(&mut tx).await?;
    sqlx::query("UPDATE assurance_settings SET critical_days = ?1, high_days = ?2, medium_days = ?3, low_days = ?4 WHERE id = 1")
        .bind(d.critical)
        .bind(d.high)
        .bind(d.medium)
        .bind(d.low)
        .execute(&mut *tx)
        .await?;
    let changed = kpis::refresh(&mut tx, crate::platform::db::now_unix()).await?;
    let say = |d: &Deadlines| format!("critical {}, high {}, medium {}, low {} days", d.critical, d.high, d.medium, d.low);
    Entry::new(&cto.actor(), "assurance", "set_remediation_deadlines").detail(format!("{} (were {})", say(&d), say(&before))).record(&mut tx).await?;
    tx.commit().await?;
    st.changes.tell(Changed::Findings(None));
    for kpi in changed {
        st.changes.tell(Changed::Kpi(kpi));
    }
    Ok(d)
}

//! Demo unit economics: cloud cost and all technology spending per weekly active user, defined
//! through the same check as the CTO's form, so their values come from the demo's FOCUS
//! export, its expenses and its weekly active users.

use super::super::service::unit::save_in;
use super::super::view::UnitCostInput;
use crate::access::Role;
use crate::auth::User;
use crate::platform::error::AppError;
use crate::platform::money::Currency;
use chrono::NaiveDate;
use sqlx::SqliteConnection;

/// (name, cost, target, amber, red, shown to investors).
const COSTS: [(&str, &str, &str, &str, &str, bool); 2] = [
    ("Cloud cost per weekly active user", "cloud", "2.75", "3.25", "4.00", true),
    ("Technology cost per weekly active user", "technology", "22.00", "26.00", "32.00", false),
];

/// The key the objectives refer to.
pub const CLOUD_PER_USER: &str = "cloud-cost-per-weekly-active-user";

pub async fn seed(db: &mut SqliteConnection, today: NaiveDate, cur: Currency) -> Result<(), AppError> {
    let Some((id, email, name)): Option<(i64, String, String)> =
        sqlx::query_as("SELECT id, email, name FROM users WHERE role = 'cto' ORDER BY id LIMIT 1").fetch_optional(&mut *db).await?
    else {
        return Ok(());
    };
    let cto = User { id, email, name, role: Role::Cto, department_id: None, department_name: None, active: true };
    let Some(per): Option<i64> = sqlx::query_scalar("SELECT id FROM kpis WHERE key = 'weekly-active-users'").fetch_optional(&mut *db).await? else {
        return Ok(());
    };
    for (name, basis, target, amber, red, investor_visible) in COSTS {
        let input = UnitCostInput {
            name: name.into(),
            basis: basis.into(),
            per: per.to_string(),
            per_units: "1".into(),
            target: target.into(),
            amber: amber.into(),
            red: red.into(),
            investor_visible,
            ..Default::default()
        };
        save_in(&mut *db, &cto, &input, today, cur).await?;
    }
    Ok(())
}

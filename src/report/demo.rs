//! The demo's investor report: last quarter's, composed from the demo data and published, so an
//! investor signing in to the demo has something to read and a correction to compare.

use crate::platform::error::AppError;
use crate::report::build::{snapshot, Period};
use crate::report::view::Commentary;
use crate::report::repo;
use crate::platform::db::begin_write;
use sqlx::SqlitePool;

const STRATEGY: &str = "We spent the quarter on **reliability before features**: the platform team moved the \
public API onto the new cluster and retired the last hand-built servers.\n\n\
- Deployment frequency held while change failures fell.\n- Cloud cost per user is the number we are watching most closely.";
const RISKS: &str = "1. **Vendor concentration**: two SaaS vendors carry most of our customer-facing path.\n\
2. **Hiring**: two senior platform roles are open; the plan assumes both are filled by next quarter.";
const NEXT: &str = "Finish the database migration, publish an external status page, and bring cloud cost per \
active user back under target. Details: [our engineering blog](https://example.com/engineering).";

pub async fn seed(pool: &SqlitePool, now: i64, currency: crate::platform::money::Currency) -> Result<(), AppError> {
    let (existing,): (i64,) = sqlx::query_as("SELECT count(*) FROM reports").fetch_one(pool).await?;
    if existing > 0 {
        return Ok(());
    }
    let today = crate::platform::time::date_of(now);
    let periods = crate::infra::service::sla::periods(today);
    let Some((last_quarter, _)) = periods.get(1) else { return Ok(()) };
    let period = Period::parse(last_quarter, today)?;
    let title = format!("{} technology update", period.label);
    let mut commentary = Commentary::new();
    commentary.insert("strategy".into(), STRATEGY.into());
    commentary.insert("budget".into(), "Spending ran close to plan; the overspend in cloud is the migration running two environments side by side for six weeks.".into());
    commentary.insert("risks".into(), RISKS.into());
    commentary.insert("next_quarter".into(), NEXT.into());
    let mut tx = begin_write(pool).await?;
    let cto: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE role = 'cto' ORDER BY id LIMIT 1").fetch_optional(&mut *tx).await?;
    let Some((cto,)) = cto else { return Ok(()) };
    let id = repo::create(&mut tx, cto, &title, &period.value).await?;
    repo::save_draft(&mut tx, id, &title, &period.value, &commentary).await?;
    let first = snapshot(&mut tx, &title, &period, &commentary, currency, now).await?;
    repo::publish(&mut tx, cto, id, None, &first).await?;
    commentary.insert("delivery".into(), "Lead time includes the two-week change freeze during the migration.".into());
    let second = snapshot(&mut tx, &title, &period, &commentary, currency, now).await?;
    repo::publish(&mut tx, cto, id, Some("Added a note on the change freeze to the delivery section."), &second).await?;
    tx.commit().await?;
    Ok(())
}

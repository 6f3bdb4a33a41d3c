//! People cost in the budget's actuals, so payroll is not typed twice: each team's loaded cost,
//! month by month from its first roles, split by its time allocation and booked as Staff
//! expenses of the team's department (`origin = 'people'`). The month under way counts what has
//! accrued to today (its days so far), as the plan to date does, so variance and forecasts
//! compare like with like.
//! Time on an initiative counts under the initiative's investment category, time outside
//! initiatives under the category it was entered for; a month without allocation, or shares that
//! no longer add up to 100 (an initiative deleted since), leaves that part unassigned, shown on
//! the allocation page rather than dropped.
//!
//! The expenses are not booked to initiatives: an initiative's spend against its budget is the
//! money booked to it, and its people time is on the capitalization report and its systems'
//! cost. Months the capitalization report has closed keep the expenses they had.

use super::super::capex::{accrued, split_by_shares};
use super::super::repo::people as repo;
use super::people::{cost_in, group_role_sets};
use crate::budget::model::Month;
use crate::budget::service::{replace_kept_expenses, KeptExpense, KeptSpan};
use crate::platform::changes::Changed;
use crate::platform::db::begin_write;
use crate::platform::error::AppError;
use crate::platform::money::Currency;
use crate::platform::state::AppState;
use chrono::{Datelike, NaiveDate};
use sqlx::SqliteConnection;
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

pub const ORIGIN: &str = "people";
/// The budget category people cost is booked under.
pub const STAFF_CATEGORY: &str = "Staff";

/// (month, department, investment category) → amount, in key order.
type Sums = BTreeMap<(i64, i64, Option<i64>), i64>;

/// What the teams cost from month `start` through today, by month, department and category.
async fn sums(db: &mut SqliteConnection, start: i64, today: NaiveDate) -> Result<Sums, AppError> {
    let last = Month::of(today);
    let teams = repo::teams(&mut *db, None).await?;
    let sets = group_role_sets(repo::role_sets(&mut *db, None).await?);
    let initiative_category: HashMap<i64, i64> = sqlx::query_as("SELECT id, category_id FROM initiatives").fetch_all(&mut *db).await?.into_iter().collect();
    let mut shares: HashMap<(i64, i64), Vec<(Option<i64>, u8)>> = HashMap::new();
    for s in repo::shares(&mut *db, None, (start, last.code())).await? {
        let category = match s.initiative_id {
            Some(i) => initiative_category.get(&i).copied(),
            None => s.category_id,
        };
        shares.entry((s.team_id, s.month)).or_default().push((category, u8::try_from(s.pct).unwrap_or(0)));
    }
    let mut out = Sums::new();
    for team in &teams {
        let Some(first) = sets.get(&team.id).and_then(|s| s.first()).map(|s| s.0) else { continue };
        let mut m = Month::from_code(first.max(start));
        while m <= last {
            let cost = match cost_in(&sets, team.id, m.code()).1 {
                c if m == last => accrued(c, i64::from(today.day()), m.days()),
                c => c,
            };
            if cost > 0 {
                let mine = shares.get(&(team.id, m.code())).map(Vec::as_slice).unwrap_or_default();
                let pcts: Vec<u8> = mine.iter().map(|s| s.1).collect();
                let (parts, rest) = split_by_shares(cost, &pcts);
                for (category, part) in mine.iter().map(|s| s.0).zip(parts).chain([(None, rest)]) {
                    let sum = out.entry((m.code(), team.department_id, category)).or_default();
                    *sum = sum.saturating_add(part);
                }
            }
            m = m.next();
        }
    }
    out.retain(|_, v| *v > 0);
    Ok(out)
}

/// Works the people cost out again and writes its Staff expenses when they differ from what is
/// stored; answers whether they did. Runs in the caller's transaction, so the change that moved
/// the cost and its actuals commit together. Cost that would take the ledger past the most it
/// keeps is refused at the caller's form field `field`.
pub(crate) async fn book(db: &mut SqliteConnection, today: NaiveDate, cur: Currency, field: &str) -> Result<bool, AppError> {
    let span = match repo::closed_through(&mut *db).await? {
        Some(closed) => KeptSpan::From(Month::from_code(closed).next()),
        None => KeptSpan::All,
    };
    let start = match span {
        KeptSpan::From(m) => m.code(),
        KeptSpan::All => 0,
    };
    let wanted = sums(&mut *db, start, today).await?;
    let stored: Sums = sqlx::query_as::<_, (i64, i64, Option<i64>, i64)>(
        "SELECT month, department_id, investment_category_id, sum(amount_minor) FROM expenses WHERE origin = ?1 AND month >= ?2 GROUP BY 1, 2, 3",
    )
    .bind(ORIGIN)
    .bind(start)
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|(m, d, c, a)| ((m, d, c), a))
    .collect();
    if stored == wanted {
        return Ok(false);
    }
    let rows: Vec<KeptExpense> = wanted
        .into_iter()
        .map(|((month, department_id, investment_id), amount)| KeptExpense {
            month: Month::from_code(month),
            department_id,
            vendor: None,
            amount,
            investment_id,
            description: format!("People cost, {}: the teams' loaded cost by their time allocation", Month::from_code(month).label()),
        })
        .collect();
    replace_kept_expenses(&mut *db, (ORIGIN, span), (STAFF_CATEGORY, field), &rows, today, cur).await?;
    Ok(true)
}

/// Tells what a change to people cost moved: where people time goes, and the budget's
/// actuals when the Staff expenses were written again.
pub(crate) fn tell(st: &AppState, booked: bool) {
    st.changes.tell(Changed::People);
    if booked {
        st.changes.tell(Changed::Budget(None));
    }
}

/// Keeps the month under way accruing, and books the month that begins (a team's roles carry
/// on into it without anyone saving them): hourly, and once at start for a server that was
/// down meanwhile. A pass that finds nothing to change writes nothing.
pub fn start(st: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match pass(&st).await {
                Ok(true) => st.changes.tell(Changed::Budget(None)),
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "could not book the people cost"),
            }
        }
    });
}

async fn pass(st: &AppState) -> Result<bool, AppError> {
    let any: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM team_roles)").fetch_one(&st.pool).await?;
    let stored: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM expenses WHERE origin = ?1)").bind(ORIGIN).fetch_one(&st.pool).await?;
    if !any && !stored {
        return Ok(false);
    }
    let mut tx = begin_write(&st.pool).await?;
    let changed = book(&mut tx, crate::platform::time::today(), st.config.currency, "file").await?;
    tx.commit().await?;
    Ok(changed)
}

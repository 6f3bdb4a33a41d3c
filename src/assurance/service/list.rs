//! Findings as the page lists them. Open ones come most urgent first: for one severity that is
//! oldest first, so each severity's first rows come off the open findings' index in order and
//! only those are merged, instead of sorting every open finding by its deadline.

use super::super::model::{Deadlines, Severity};
use super::super::view::FindingLine;
use super::sql::{cut, Filter, DAY, RANK};
use crate::platform::error::AppError;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

/// Which findings, in which order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Open, the nearest deadline first.
    Open,
    /// Open past the deadline, the longest past first.
    Breached,
    /// Fixed, the latest first.
    Fixed,
    /// Open as above, then fixed.
    All,
}

const COLUMNS: &str = "f.id, f.system_id, s.name, f.tool, f.rule, f.title, f.severity, f.location, f.message, f.help, f.first_seen, f.fixed_at";
type Raw = (i64, i64, String, String, String, String, String, String, String, Option<String>, i64, Option<i64>);

/// How many findings the state matches, when the SLA figures do not say already.
pub async fn count(db: &mut SqliteConnection, f: &Filter, state: State) -> Result<i64, AppError> {
    let mut qb = QueryBuilder::new("SELECT count(*) FROM findings f WHERE 1 = 1");
    if state == State::Fixed {
        qb.push(" AND f.fixed_at IS NOT NULL");
    }
    f.push(&mut qb);
    Ok(qb.build_query_scalar().fetch_one(db).await?)
}

pub async fn lines(db: &mut SqliteConnection, f: &Filter, state: State, d: &Deadlines, now: i64, limit: i64, offset: i64) -> Result<Vec<FindingLine>, AppError> {
    let today = now.div_euclid(DAY);
    let mut qb = QueryBuilder::<Sqlite>::new("");
    match state {
        State::Open | State::Breached => {
            urgent(&mut qb, f, state, d, today, limit + offset);
            qb.push(" ORDER BY due, rank, id LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
        }
        State::Fixed => {
            qb.push(format!("SELECT {COLUMNS} FROM findings f JOIN systems s ON s.id = f.system_id WHERE f.fixed_at IS NOT NULL"));
            f.push(&mut qb);
            qb.push(" ORDER BY f.fixed_at DESC, f.id DESC LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
        }
        State::All => {
            let due = super::sql::per_severity(|s| i64::from(d.days(s)));
            qb.push(format!("SELECT {COLUMNS} FROM findings f JOIN systems s ON s.id = f.system_id WHERE 1 = 1"));
            f.push(&mut qb);
            qb.push(format!(" ORDER BY f.fixed_at IS NOT NULL, f.first_seen / {DAY} + {due}, {RANK}, f.fixed_at DESC, f.id LIMIT "));
            qb.push_bind(limit).push(" OFFSET ").push_bind(offset);
        }
    }
    let rows: Vec<Raw> = qb.build_query_as().fetch_all(db).await?;
    Ok(rows.into_iter().filter_map(|r| line(r, d, today)).collect())
}

/// The first `n` open findings of each severity the filter allows, oldest first, with their
/// deadline's day (`due`) and severity's rank (`rank`) for merging.
fn urgent(qb: &mut QueryBuilder<'_, Sqlite>, f: &Filter, state: State, d: &Deadlines, today: i64, n: i64) {
    qb.push("SELECT id, system_id, name, tool, rule, title, severity, location, message, help, first_seen, fixed_at FROM (");
    for (i, s) in f.severities().into_iter().enumerate() {
        if i > 0 {
            qb.push(" UNION ALL ");
        }
        let rank = Severity::ALL.iter().position(|x| *x == s).unwrap_or(0);
        qb.push(format!(
            "SELECT * FROM (SELECT {COLUMNS}, f.first_seen / {DAY} + {} AS due, {rank} AS rank FROM findings f JOIN systems s ON s.id = f.system_id
             WHERE f.fixed_at IS NULL AND f.severity = '{}'",
            d.days(s),
            s.as_str()
        ));
        if state == State::Breached {
            qb.push(" AND f.first_seen < ").push_bind(cut(d, s, today, 0));
        }
        Filter { severity: None, ..*f }.push(qb);
        qb.push(" ORDER BY f.first_seen, f.id LIMIT ").push_bind(n).push(")");
    }
    qb.push(")");
}

fn line(r: Raw, d: &Deadlines, today: i64) -> Option<FindingLine> {
    let (id, system_id, system, tool, rule, title, severity, location, message, help, first_seen, fixed_at) = r;
    let severity = Severity::parse(&severity)?;
    let first_day = first_seen.div_euclid(DAY);
    let due_day = first_day + i64::from(d.days(severity));
    let day = |n: i64| crate::platform::time::date_of(n * DAY).to_string();
    let plural = |n: i64| crate::ui::plural(n.unsigned_abs(), "day", "days");
    let (breached, standing) = match fixed_at {
        Some(at) => {
            let fixed_day = at.div_euclid(DAY);
            let late = fixed_day > due_day;
            (late, format!("fixed in {}{}", plural(fixed_day - first_day), if late { ", past its deadline" } else { "" }))
        }
        None => match due_day - today {
            left if left < 0 => (true, format!("{} past its deadline", plural(left))),
            0 => (false, "due today".into()),
            left => (false, format!("{} left", plural(left))),
        },
    };
    Some(FindingLine {
        id,
        system_id,
        system,
        tool,
        rule,
        title,
        severity,
        location,
        message,
        help,
        first_seen: day(first_day),
        due: day(due_day),
        fixed_on: fixed_at.map(|at| day(at.div_euclid(DAY))),
        breached,
        standing,
    })
}

//! The status board and a system's page: what is up, what was, and against which SLO.

use super::super::bar::{BarCell, DayBar, DayMark};
use super::incidents::Filter;
use super::super::model::Status;
use super::super::repo::{self, SystemRow, DAY};
use crate::platform::time::minute_utc as when;
use super::super::uptime::{daily, day_mark, error_budget, human_duration, percent, Segment, Span, Uptime};
use super::super::view::*;
use crate::access::Role;
use crate::auth::User;
use super::super::charts::{uptime_per_day, Day};
use crate::platform::error::AppError;
use crate::platform::db::now_unix;
use sqlx::SqliteConnection;
use std::collections::HashMap;

pub const BAR_DAYS: i64 = 90;

/// Days from `first` (a UTC midnight) up to `now`, the last one cut at `now`.
pub fn days(segs: &[Segment], maint: &[Span], first: i64, now: i64, slo: f64) -> Vec<Day> {
    daily(segs, maint, first, now).into_iter().enumerate().map(|(d, u)| (first + d as i64 * DAY, u, day_mark(&u, slo))).collect()
}

/// The board's bar: quiet days in a row merge into one cell.
pub fn bar(days: &[Day]) -> DayBar {
    let mut cells: Vec<BarCell> = Vec::new();
    for (_, u, mark) in days {
        let quiet = matches!(mark, DayMark::Ok | DayMark::NoData);
        match cells.last_mut() {
            Some(last) if quiet && last.0 == *mark && last.1 < u16::MAX => last.1 += 1,
            _ => {
                let secs = |v: i64| v.clamp(0, u32::MAX as i64) as u32;
                let detail = !quiet;
                cells.push(BarCell(
                    *mark,
                    1,
                    u.ratio().filter(|_| detail).map(|r| (r * 1e6).round() as u32),
                    if detail { secs(u.downtime) } else { 0 },
                    if detail { secs(u.degraded) } else { 0 },
                    if detail { secs(u.maintenance) } else { 0 },
                ))
            }
        }
    }
    DayBar { first: days.first().map(|d| d.0).unwrap_or_default(), cells }
}

pub fn slo_text(slo: f64) -> String {
    format!("{} %", trim_float(slo))
}

fn trim_float(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn meets(u: &Uptime, slo: f64) -> Option<bool> {
    u.ratio().map(|r| r * 100.0 >= slo - 1e-9)
}

pub async fn board(user: &User, db: &mut SqliteConnection, cache: &repo::BoardInputs) -> Result<StatusBoard, AppError> {
    let now = now_unix();
    let first = now.div_euclid(DAY) * DAY - (BAR_DAYS - 1) * DAY;
    let systems = repo::systems(db, None).await?;
    let inputs = cache.get(db, first).await?;
    let (history, maintenance) = (&inputs.0, &inputs.1);
    let latency: HashMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
        "SELECT system_id, max(last_latency_ms) FROM checks WHERE enabled = 1 AND state IN ('up', 'degraded') AND last_latency_ms IS NOT NULL GROUP BY system_id",
    )
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .collect();
    let (none, no_windows) = (Vec::new(), Vec::new());
    let mut counts: HashMap<Status, usize> = HashMap::new();
    let tiles = systems
        .iter()
        .map(|s| {
            let changes = history.get(&s.id).unwrap_or(&none);
            let maint = maintenance.get(&s.id).unwrap_or(&no_windows);
            let (segs, u) = repo::period(changes, maint, first, now);
            let bar_days = days(&segs, maint, first, now, s.slo_target);
            let uptime = u.ratio().map(percent).unwrap_or_else(|| "—".into());
            *counts.entry(s.status).or_default() += 1;
            SystemTile {
                id: s.id,
                name: s.name.clone(),
                kind: s.kind.label().into(),
                tier: s.tier,
                department: s.department.clone().unwrap_or_else(|| "Company-wide".into()),
                status: s.status,
                since: when(s.status_since),
                latency_ms: latency.get(&s.id).copied(),
                bar: bar(&bar_days),
                uptime,
                slo: slo_text(s.slo_target),
                meets_slo: meets(&u, s.slo_target),
            }
        })
        .collect();
    Ok(StatusBoard {
        counts: Status::ALL.iter().copied().map(|s| (s, counts.get(&s).copied().unwrap_or(0))).collect(),
        systems: tiles,
        open_incidents: super::incidents::rows(db, Filter { open: Some(true), limit: 50, ..Default::default() }).await?,
        maintenance: maintenance_rows(db, None, now, 10).await?,
        can_edit: user.role == Role::Cto,
        as_of: when(now),
    })
}

/// Windows not over yet (all of one system's, when given, newest first).
pub async fn maintenance_rows(db: &mut SqliteConnection, system: Option<i64>, now: i64, limit: i64) -> Result<Vec<MaintenanceRow>, AppError> {
    let rows: Vec<(i64, String, i64, i64, i64, String)> = sqlx::query_as(
        r#"SELECT m.id, s.name, s.id, m.starts_at, m.ends_at, m.note FROM maintenance_windows m JOIN systems s ON s.id = m.system_id
           WHERE (?1 IS NULL AND m.ends_at > ?2) OR m.system_id = ?1
           ORDER BY CASE WHEN ?1 IS NULL THEN m.starts_at ELSE -m.starts_at END LIMIT ?3"#,
    )
    .bind(system)
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, system, system_id, a, b, note)| MaintenanceRow {
            id,
            system,
            system_id,
            starts: when(a),
            ends: when(b),
            note,
            state: if b <= now { "Past" } else if a <= now { "In progress" } else { "Planned" }.into(),
        })
        .collect())
}

/// The chart ranges with their length in seconds.
fn ranges() -> impl Iterator<Item = (&'static str, &'static str, i64)> {
    RANGES.into_iter().zip([DAY, 7 * DAY, 30 * DAY, 90 * DAY]).map(|((v, l), s)| (v, l, s))
}

pub async fn detail(user: &User, db: &mut SqliteConnection, id: i64, range: &str) -> Result<SystemDetail, AppError> {
    let s = repo::system(db, id).await?;
    let now = now_unix();
    let (range, _, span) = ranges().find(|r| r.0 == range).unwrap_or((RANGES[0].0, RANGES[0].1, DAY));
    let first_day = now.div_euclid(DAY) * DAY - (BAR_DAYS - 1) * DAY;
    let history = repo::histories(db, Some(id), first_day.min(now - span), now).await?.remove(&id).unwrap_or_default();
    let maint = repo::maintenance(db, Some(id), first_day.min(now - span), now).await?.remove(&id).unwrap_or_default();
    let uptime = ranges()
        .map(|(_, label, secs)| {
            let (_, u) = repo::period(&history, &maint, now - secs, now);
            let budget = error_budget(&u, s.slo_target);
            UptimeRow {
                period: format!("Last {label}"),
                uptime: u.ratio().map(percent).unwrap_or_else(|| "No data".into()),
                downtime: human_duration(u.downtime as f64),
                budget_used: budget.used_pct.map(|p| format!("{p:.0} %")).unwrap_or_else(|| "—".into()),
                meets_slo: meets(&u, s.slo_target),
            }
        })
        .collect();
    let (segs, _) = repo::period(&history, &maint, first_day, now);
    let bar_days = days(&segs, &maint, first_day, now, s.slo_target);
    let uptime_chart = uptime_chart(&s, &bar_days)?;
    let response_chart = super::latency::chart(db, &s, &history, now - span, now).await?;
    // Its cost holds other departments' people cost: the CTO's and its own department head's.
    let sees_cost = user.role == Role::Cto || (s.department_id.is_some() && s.department_id == user.department_id);
    let cost = match sees_cost {
        true => crate::strategy::service::system_cost(db, id, crate::platform::state::AppState::current()?.config.currency, crate::platform::time::today()).await?,
        false => None,
    };
    Ok(SystemDetail {
        id: s.id,
        key: s.key.clone(),
        name: s.name.clone(),
        kind: s.kind.label().into(),
        tier: s.tier,
        department: s.department.clone(),
        slo: slo_text(s.slo_target),
        description: s.description.clone(),
        links: s.links.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect(),
        status: s.status,
        since: when(s.status_since),
        manual_status: s.manual_status,
        manual_note: s.manual_note.clone(),
        depends_on: links(db, "SELECT s.id, s.name, s.status FROM system_dependencies d JOIN systems s ON s.id = d.depends_on WHERE d.system_id = ?1 ORDER BY s.name", id).await?,
        used_by: links(db, "SELECT s.id, s.name, s.status FROM system_dependencies d JOIN systems s ON s.id = d.system_id WHERE d.depends_on = ?1 ORDER BY s.name", id).await?,
        checks: super::checks::check_rows(db, id).await?,
        uptime,
        range: range.into(),
        response_chart,
        uptime_chart,
        history: status_history(db, id).await?,
        maintenance: maintenance_rows(db, Some(id), now, 20).await?,
        incidents: super::incidents::rows(db, Filter { system: Some(id), limit: 20, ..Default::default() }).await?,
        can_edit: user.role == Role::Cto,
        cost,
        radar: crate::radar::service::mentions(db, crate::radar::service::Named::System(id)).await?,
        findings: crate::assurance::service::system_findings(db, user, id, now).await?,
        protection: crate::assurance::service::recovery::system_protection(db, user, id, now).await?,
        quality: crate::assurance::service::quality::system_quality(db, user, id, now).await?,
    })
}

async fn links(db: &mut SqliteConnection, sql: &str, id: i64) -> Result<Vec<SystemLink>, AppError> {
    let rows: Vec<(i64, String, Status)> = sqlx::query_as(sql).bind(id).fetch_all(&mut *db).await?;
    Ok(rows.into_iter().map(|(id, name, status)| SystemLink { id, name, status }).collect())
}

async fn status_history(db: &mut SqliteConnection, id: i64) -> Result<Vec<StatusChangeRow>, AppError> {
    let rows: Vec<(i64, Status, String)> = sqlx::query_as("SELECT at, status, reason FROM status_changes WHERE system_id = ?1 ORDER BY at DESC, id DESC LIMIT 30")
        .bind(id)
        .fetch_all(&mut *db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(at, status, reason)| StatusChangeRow { at: when(at), status, reason })
        .collect())
}

fn uptime_chart(s: &SystemRow, days: &[Day]) -> Result<crate::ui::chart::ChartData, AppError> {
    let title = format!("{}: uptime per day", s.name);
    let watched: Vec<&Day> = days.iter().filter(|d| d.1.ratio().is_some()).collect();
    let below = watched.iter().filter(|d| d.1.ratio().is_some_and(|r| r * 100.0 < s.slo_target)).count();
    let desc = format!("Uptime for each of the last {} days against the SLO of {}; {} of {} days with data fell below it.", days.len(), slo_text(s.slo_target), below, watched.len());
    let svg = uptime_per_day(&format!("uptime-{}", s.id), days, s.slo_target, &title, &desc).map_err(|e| {
        tracing::error!(error = %e, "uptime chart failed");
        AppError::Internal
    })?;
    Ok(crate::ui::chart::ChartData {
        svg,
        caption: desc,
        columns: vec!["Day".into(), "Uptime".into(), "Downtime".into(), "Maintenance".into()],
        rows: days
            .iter()
            .rev()
            .map(|(day, u, _)| {
                vec![
                    chrono::DateTime::from_timestamp(*day, 0).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
                    u.ratio().map(percent).unwrap_or_else(|| "No data".into()),
                    human_duration(u.downtime as f64),
                    human_duration(u.maintenance as f64),
                ]
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_days_share_one_cell_and_bad_days_keep_their_figures() {
        let ok = Uptime { period: DAY, ..Default::default() };
        let bad = Uptime { period: DAY, downtime: 3600, ..Default::default() };
        let mut days: Vec<Day> = (0..10).map(|d| (d * DAY, ok, DayMark::Ok)).collect();
        days[4] = (4 * DAY, bad, DayMark::Major);
        let b = bar(&days);
        assert_eq!(b.cells, vec![BarCell(DayMark::Ok, 4, None, 0, 0, 0), BarCell(DayMark::Major, 1, Some(958_333), 3600, 0, 0), BarCell(DayMark::Ok, 5, None, 0, 0, 0)]);
    }
}

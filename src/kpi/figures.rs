//! KPI logic on the server: who may see and record what, status cards, charts, recording.

use crate::platform::time::minute as format_ts;
use super::dora::{self, DAY};
use super::events;
use super::model::{Aggregation, Kpi, Target};
use super::repo::{self, KpiRow};
use super::status::{self, aggregate, rag, trend, Rag, Sentence, Window};
use super::view::KpiCard;
use crate::access::Role;
use crate::auth::User;
use crate::charts;
use crate::platform::error::AppError;
use crate::platform::money::Currency;
use crate::platform::audit::{Actor, Entry};
use crate::platform::db::begin_write;
use sqlx::{SqliteConnection, SqlitePool};

/// What other areas read of the registry as it is stored (the investor report's KPI section).
pub use super::repo::{bucket_means, targets, visible_kpis};
/// What a part that keeps a KPI writes (see [`replace_kept`]).
pub use super::repo::NewPoint;

/// Whether `user` may see `kpi`: the CTO sees all; a department head sees company-wide KPIs
/// and their own department's.
pub fn can_view(user: &User, kpi: &Kpi) -> bool {
    match user.role {
        Role::Cto => true,
        Role::DepartmentHead => kpi.department_id.is_none() || kpi.department_id == user.department_id,
        Role::Investor => false,
    }
}

/// Whether `user` may add or remove measurements. Computed and kept KPIs take none by hand.
pub fn can_record(user: &User, kpi: &Kpi) -> bool {
    kpi.derived().is_none()
        && match user.role {
            Role::Cto => true,
            Role::DepartmentHead => kpi.department_id.is_some() && kpi.department_id == user.department_id,
            Role::Investor => false,
        }
}

/// Loads a KPI the caller may see. A department head gets the same 403 for another
/// department's KPI as for one that does not exist, so keys cannot be probed.
pub async fn visible(db: &mut SqliteConnection, user: &User, key: &str) -> Result<Kpi, AppError> {
    let kpi = repo::kpi_by_key(&mut *db, key).await?.map(KpiRow::into_kpi);
    match kpi {
        Some(kpi) if can_view(user, &kpi) => Ok(kpi),
        _ => Err(user.hidden()),
    }
}

/// The target in force at `ts` (targets oldest first).
pub fn target_at(targets: &[Target], ts: i64) -> Option<&Target> {
    let day = chrono::DateTime::from_timestamp(ts, 0)?.date_naive().format("%Y-%m-%d").to_string();
    targets.iter().rev().find(|t| t.effective_from <= day)
}

pub fn date_to_ts(date: &str) -> i64 {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|dt| dt.and_utc().timestamp())
        .unwrap_or(0)
}

/// Above this many points in a window, values come from the hourly rollups instead.
const RAW_LIMIT: i64 = 20_000;

/// A KPI's value over [from, to): from events for computed KPIs, else from measurements.
pub async fn window_value(db: &mut SqliteConnection, kpi: &Kpi, from: i64, to: i64) -> Result<Option<f64>, AppError> {
    if let Some(metric) = kpi.computed {
        let deps: Vec<_> = events::deployments(&mut *db, from, to, None).await?.into_iter().map(|(_, d)| d).collect();
        let incs: Vec<_> = events::incidents(&mut *db, from, to, None).await?.into_iter().map(|(_, i)| i).collect();
        let m = dora::compute(&deps, &incs, from, to);
        return Ok(events::computed_value(metric, &m));
    }
    if repo::approx_count(&mut *db, kpi.id, from, to).await? <= RAW_LIMIT {
        return Ok(match kpi.aggregation {
            Aggregation::Last => repo::latest_in(&mut *db, kpi.id, from, to).await?.map(|p| p.1),
            Aggregation::Sum | Aggregation::Mean => match repo::window_stats(&mut *db, kpi.id, from, to).await? {
                (0, _) => None,
                (_, total) if kpi.aggregation == Aggregation::Sum => Some(total),
                (n, total) => Some(total / n as f64),
            },
            Aggregation::Median => {
                let values: Vec<f64> = repo::points(&mut *db, kpi.id, from, to).await?.into_iter().map(|p| p.1).collect();
                aggregate(&values, Aggregation::Median)
            }
        });
    }
    // Long windows of dense series: exact for last, sum and mean; the median becomes the
    // median of hourly means, which the README documents.
    Ok(match kpi.aggregation {
        Aggregation::Last => repo::latest_in(&mut *db, kpi.id, from, to).await?.map(|p| p.1),
        Aggregation::Sum | Aggregation::Mean => {
            let (total, n) = repo::rollup_sum(&mut *db, kpi.id, from, to).await?;
            match (n, kpi.aggregation) {
                (0, _) => None,
                (_, Aggregation::Sum) => Some(total),
                _ => Some(total / n as f64),
            }
        }
        Aggregation::Median => {
            let means: Vec<f64> = repo::bucket_means(&mut *db, kpi.id, 3600, from, to).await?.into_iter().map(|b| b.1).collect();
            aggregate(&means, Aggregation::Median)
        }
    })
}

pub async fn card(db: &mut SqliteConnection, kpi: &Kpi, window: Window, now: i64, currency: Currency, with_sparkline: bool) -> Result<KpiCard, AppError> {
    let span = window.days() * DAY;
    // A "last value" KPI keeps its latest value until the next measurement, however old;
    // the card then says when it was taken.
    let (current, previous, as_of) = if kpi.aggregation == Aggregation::Last && kpi.computed.is_none() {
        let current = repo::latest_in(&mut *db, kpi.id, 0, now + 1).await?;
        let previous = repo::latest_in(&mut *db, kpi.id, 0, now - span).await?;
        let as_of = current.filter(|(ts, _)| *ts < now - span).map(|(ts, _)| format_ts(ts)[..10].to_string());
        (current.map(|c| c.1), previous.map(|p| p.1), as_of)
    } else {
        (window_value(db, kpi, now - span, now + 1).await?, window_value(db, kpi, now - 2 * span, now - span).await?, None)
    };
    let targets = repo::targets(&mut *db, kpi.id).await?;
    let target = target_at(&targets, now);
    let fmt = |v: f64| kpi.unit.format(v, currency);
    let value_text = current.map(fmt);
    let target_text = target.map(|t| fmt(t.target));
    let rag = match (current, target) {
        (None, _) => Rag::NoData,
        (Some(_), None) => Rag::Unrated,
        (Some(v), Some(t)) => rag(v, t.amber, t.red, kpi.direction),
    };
    let short = match (current, target) {
        (Some(v), Some(t)) => status::short_of_target(rag, v, t.target, kpi.direction),
        _ => None,
    };
    let trend = current.map(|c| trend(c, previous, kpi.direction)).unwrap_or(status::Trend::Unknown);
    let sentence = Sentence {
        name: &kpi.name,
        value: value_text.as_deref(),
        as_of: as_of.as_deref(),
        rag,
        target: target_text.as_deref(),
        target_met: matches!((current, target), (Some(v), Some(t)) if status::meets(v, t.target, kpi.direction)),
        direction: kpi.direction,
        trend,
        window,
    }
    .render();
    let sparkline = if with_sparkline { sparkline(db, kpi, window, now, currency).await? } else { None };
    Ok(KpiCard {
        key: kpi.key.clone(),
        name: kpi.name.clone(),
        category: kpi.category,
        unit: kpi.unit,
        department: kpi.department_name.clone(),
        computed: kpi.computed.is_some(),
        rag,
        short,
        value: value_text,
        as_of,
        previous: previous.map(fmt),
        trend,
        target: target_text,
        sentence,
        sparkline,
    })
}

async fn sparkline(db: &mut SqliteConnection, kpi: &Kpi, window: Window, now: i64, currency: Currency) -> Result<Option<String>, AppError> {
    let days = (window.days() * 3).max(30);
    let from = now - days * DAY;
    let points: Vec<(f64, f64)> =
        repo::bucket_means(&mut *db, kpi.id, DAY, from, now + 1).await?.into_iter().map(|(t, v)| (t as f64, v)).collect();
    if points.len() < 2 {
        return Ok(None);
    }
    let points = charts::lttb::lttb(&points, 60);
    let (first, last) = (points[0].1, points[points.len() - 1].1);
    let desc = format!(
        "Daily values over the last {days} days, from {} to {}.",
        kpi.unit.format(first, currency),
        kpi.unit.format(last, currency)
    );
    let id = format!("spark-{}", kpi.key);
    charts::sparkline(&id, &format!("{} trend", kpi.name), &desc, &points).map(Some).map_err(|e| {
        tracing::error!(error = %e, "sparkline failed");
        AppError::Internal
    })
}

/// Stores points for a KPI in one transaction and refreshes what depends on them. Points
/// must be valid already; the same timestamp twice in one batch is refused by the caller.
/// `kpi` is its id, key and name.
pub async fn record(pool: &SqlitePool, actor: &Actor, kpi: (i64, &str, &str), points: &[NewPoint], source: &str) -> Result<(), AppError> {
    if points.is_empty() {
        return Ok(());
    }
    let (kpi_id, key, name) = kpi;
    let mut tx = begin_write(pool).await?;
    for chunk in points.chunks(repo::UPSERT_CHUNK) {
        repo::upsert_points(&mut *tx, kpi_id, chunk, source).await?;
    }
    let from = points.iter().map(|p| p.ts).min().unwrap_or(0);
    let to = points.iter().map(|p| p.ts).max().unwrap_or(0);
    repo::refresh_rollups(&mut tx, kpi_id, from, to).await?;
    repo::bump_version(&mut *tx, kpi_id).await?;
    Entry::new(actor, "kpis", "record_measurements")
        .object("kpi", key, name)
        .detail(format!("{} value(s) from {} to {}, by {source}", points.len(), crate::platform::time::minute_utc(from), crate::platform::time::minute_utc(to)))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Replaces every measurement of a KPI another part keeps (`kpis.kept_by`) with `points`, in
/// the caller's transaction, stored as computed. Whether anything changed: the same figures
/// again leave the KPI, its caches and its alerts alone.
pub async fn replace_kept(tx: &mut SqliteConnection, kpi_id: i64, points: &[NewPoint]) -> Result<bool, AppError> {
    let kept: Option<Option<String>> = sqlx::query_scalar("SELECT kept_by FROM kpis WHERE id = ?1").bind(kpi_id).fetch_optional(&mut *tx).await?;
    if !matches!(kept, Some(Some(_))) {
        return Err(AppError::conflict("Only a KPI that Northstar keeps can have its measurements replaced."));
    }
    let stored: Vec<(i64, f64, Option<String>)> =
        sqlx::query_as("SELECT ts, value, note FROM measurements WHERE kpi_id = ?1 ORDER BY ts").bind(kpi_id).fetch_all(&mut *tx).await?;
    let mut wanted: Vec<&NewPoint> = points.iter().collect();
    wanted.sort_by_key(|p| p.ts);
    let same = stored.len() == wanted.len() && stored.iter().zip(&wanted).all(|(s, w)| s.0 == w.ts && s.1 == w.value && s.2 == w.note);
    if same {
        return Ok(false);
    }
    let times = stored.iter().map(|s| s.0).chain(wanted.iter().map(|p| p.ts));
    let (from, to) = times.fold((i64::MAX, i64::MIN), |(lo, hi), t| (lo.min(t), hi.max(t)));
    sqlx::query("DELETE FROM measurements WHERE kpi_id = ?1").bind(kpi_id).execute(&mut *tx).await?;
    for chunk in points.chunks(repo::UPSERT_CHUNK) {
        repo::upsert_points(&mut *tx, kpi_id, chunk, "computed").await?;
    }
    repo::refresh_rollups(tx, kpi_id, from, to).await?;
    repo::bump_version(&mut *tx, kpi_id).await?;
    Ok(true)
}

/// Indices of points that repeat an earlier point's timestamp, as (earlier, later) pairs.
pub fn duplicate_timestamps(points: &[NewPoint]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by_key(|i| (points[*i].ts, *i));
    order.windows(2).filter(|w| points[w[0]].ts == points[w[1]].ts).map(|w| (w[0], w[1])).collect()
}

/// The latest timestamp a measurement may carry: a day ahead of now allows for clocks and
/// time zones; anything later is a mistake.
pub fn latest_allowed(now: i64) -> i64 {
    now + DAY
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(from: &str, target: f64) -> Target {
        Target { effective_from: from.into(), target, amber: target, red: target, note: String::new(), set_by: None }
    }

    #[test]
    fn the_target_in_force_is_the_latest_one_started() {
        let targets = [t("2025-01-01", 1.0), t("2025-06-01", 2.0)];
        let at = |date: &str| target_at(&targets, date_to_ts(date) + 3600).map(|t| t.target);
        assert_eq!(at("2024-12-31"), None);
        assert_eq!(at("2025-01-01"), Some(1.0));
        assert_eq!(at("2025-05-31"), Some(1.0));
        assert_eq!(at("2025-06-01"), Some(2.0));
        assert_eq!(at("2030-01-01"), Some(2.0));
    }

    #[test]
    fn duplicates_are_found_in_any_order() {
        let p = |ts| NewPoint { ts, value: 1.0, note: None };
        let points = [p(5), p(1), p(5), p(3), p(1)];
        assert_eq!(duplicate_timestamps(&points), vec![(1, 4), (0, 2)]);
        assert!(duplicate_timestamps(&[p(1), p(2)]).is_empty());
    }

    #[test]
    fn visibility_and_recording_by_role() {
        let user = |role, dept| User { id: 1, email: String::new(), name: String::new(), role, department_id: dept, department_name: None, active: true };
        let kpi = |dept, computed| Kpi {
            id: 1,
            key: "k".into(),
            name: "K".into(),
            description: String::new(),
            formula: String::new(),
            category: super::super::model::Category::Delivery,
            unit: super::super::units::Unit::Count,
            direction: super::super::model::Direction::Higher,
            aggregation: Aggregation::Last,
            owner: String::new(),
            department_id: dept,
            department_name: None,
            investor_visible: false,
            computed,
            kept_by: None,
            version: 0,
        };
        let cto = user(Role::Cto, None);
        let eng = user(Role::DepartmentHead, Some(1));
        let investor = user(Role::Investor, None);
        let company = kpi(None, None);
        let own = kpi(Some(1), None);
        let other = kpi(Some(2), None);
        let dora = kpi(None, Some(super::super::model::Computed::LeadTime));
        let kept = Kpi { kept_by: Some("strategy".into()), ..kpi(None, None) };
        // (user, kpi, may view, may record)
        let cases = [
            (&cto, &company, true, true),
            (&cto, &other, true, true),
            (&cto, &dora, true, false),
            (&cto, &kept, true, false),
            (&eng, &kept, true, false),
            (&eng, &company, true, false),
            (&eng, &own, true, true),
            (&eng, &other, false, false),
            (&investor, &company, false, false),
        ];
        for (u, k, view, rec) in cases {
            assert_eq!(can_view(u, k), view, "{:?} view {:?}", u.role, k.department_id);
            assert_eq!(can_record(u, k), rec, "{:?} record {:?}", u.role, k.department_id);
        }
    }
}

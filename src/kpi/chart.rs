//! The trend chart of a KPI page: which points to read for the range, and drawing them.

use super::dora::DAY;
use super::events;
use super::model::{Kpi, Target};
use super::repo;
use super::figures::date_to_ts;
use crate::platform::time::minute as format_ts;
use super::view::{ChartRange, ChartView};
use crate::charts::{lttb::lttb, Annotations, Band, TargetStep, TrendChart};
use crate::platform::error::AppError;
use crate::platform::money::Currency;
use sqlx::SqliteConnection;

/// At most this many points are drawn per series (about one per pixel column).
pub const MAX_POINTS: usize = 1000;
/// Up to this many stored points in the range are read one by one; beyond, rollups are used.
const RAW_READ_LIMIT: i64 = 5000;

/// Deployment ticks are drawn only on ranges short enough for them to be told apart.
const DEPLOY_TICKS_MAX_DAYS: i64 = 90;

pub async fn build(db: &mut SqliteConnection, kpi: &Kpi, targets: &[Target], range: ChartRange, now: i64, currency: Currency) -> Result<ChartView, AppError> {
    let (first, _, total) = repo::extent(&mut *db, kpi.id).await?;
    let from = match range.days() {
        Some(days) => now - days * DAY,
        None => first.unwrap_or(now - 30 * DAY).min(now - DAY),
    };
    let to = now;
    let count = repo::approx_count(&mut *db, kpi.id, from, to + 1).await?;
    let (points, resolution): (Vec<(f64, f64)>, &str) = if count <= RAW_READ_LIMIT {
        let raw = repo::points(&mut *db, kpi.id, from, to + 1).await?;
        (raw.into_iter().map(|(t, v)| (t as f64, v)).collect(), "each measurement")
    } else if (to - from) / 3600 <= RAW_READ_LIMIT {
        let hourly = repo::bucket_means(&mut *db, kpi.id, 3600, from, to + 1).await?;
        (hourly.into_iter().map(|(t, v)| (t as f64, v)).collect(), "hourly means")
    } else {
        let daily = repo::bucket_means(&mut *db, kpi.id, DAY, from, to + 1).await?;
        (daily.into_iter().map(|(t, v)| (t as f64, v)).collect(), "daily means")
    };
    let points = lttb(&points, MAX_POINTS);

    let steps: Vec<TargetStep> = targets
        .iter()
        .map(|t| TargetStep { from: date_to_ts(&t.effective_from), target: t.target, amber: t.amber, red: t.red })
        .collect();
    let scope = events::EventScope::of(kpi);
    let annotations = Annotations {
        deployments: if (to - from) <= DEPLOY_TICKS_MAX_DAYS * DAY { events::deployment_times(&mut *db, from, to, scope).await? } else { Vec::new() },
        incidents: events::incident_spans(&mut *db, from, to, now, scope).await?.into_iter().map(|(a, b)| Band { from: a, to: b }).collect(),
        notes: repo::notes_in(&mut *db, kpi.id, from, to + 1).await?,
    };
    let fmt = |v: f64| kpi.unit.format(v, currency);
    let desc = describe(kpi, &points, &fmt, range, resolution);
    let svg = TrendChart {
        id: &format!("chart-{}", kpi.key),
        title: &format!("{}: {} trend", kpi.name, range.label().to_lowercase()),
        desc: &desc,
        points: &points,
        from,
        to,
        targets: &steps,
        annotations: &annotations,
        format_y: &fmt,
    }
    .render()
    .map_err(|e| {
        tracing::error!(error = %e, key = %kpi.key, "chart failed");
        AppError::Internal
    })?;
    let rows = points.iter().rev().map(|(t, v)| (format_ts(*t as i64), fmt(*v))).collect();
    Ok(ChartView {
        svg,
        range,
        resolution: resolution.to_string(),
        rows,
        total_points: total,
        deployments: annotations.deployments.len(),
        incidents: annotations.incidents.len(),
        notes: annotations.notes.len(),
        events: match scope {
            events::EventScope::All => "every deployment and incident".into(),
            events::EventScope::Department(_) => format!("deployments and incidents of {}'s systems", kpi.department_name.as_deref().unwrap_or("the department")),
            events::EventScope::MajorIncidents => "sev1 incidents anywhere in the company".into(),
        },
    })
}

/// The chart's `<desc>`: what a screen reader says instead of showing the line.
fn describe(kpi: &Kpi, points: &[(f64, f64)], fmt: &dyn Fn(f64) -> String, range: ChartRange, resolution: &str) -> String {
    if points.is_empty() {
        return format!("No measurements of {} in this range.", kpi.name);
    }
    let (lo, hi) = points.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)));
    let first = points[0];
    let last = points[points.len() - 1];
    format!(
        "{} over {}, {} points ({resolution}), from {} on {} to {} on {}; lowest {}, highest {}.",
        kpi.name,
        range.label().to_lowercase(),
        points.len(),
        fmt(first.1),
        format_ts(first.0 as i64),
        fmt(last.1),
        format_ts(last.0 as i64),
        fmt(lo),
        fmt(hi)
    )
}

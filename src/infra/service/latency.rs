//! Response time over a range, from raw results for the last day and from hourly rollups
//! beyond, with the time the system was down shaded.

use super::super::model::Status;
use super::super::repo::SystemRow;
use crate::platform::time::minute_utc as when;
use super::super::uptime::segments;
use crate::charts::lttb::lttb;
use crate::charts::{Annotations, Band, TrendChart};
use crate::platform::error::AppError;
use crate::ui::chart::ChartData;
use sqlx::SqliteConnection;
use crate::platform::time::DAY;

const MAX_POINTS: usize = 800;

pub async fn chart(db: &mut SqliteConnection, s: &SystemRow, history: &[(i64, Status)], from: i64, to: i64) -> Result<ChartData, AppError> {
    let rows: Vec<(i64, f64)> = if to - from <= DAY {
        // Successful answers per five minutes, averaged over the system's checks: a line per
        // minute is mostly the noise of single probes.
        sqlx::query_as(
            r#"SELECT (r.at_ms / 300000) * 300 AS t, avg(r.latency_ms) FROM check_results r JOIN checks c ON c.id = r.check_id
               WHERE c.system_id = ?1 AND r.at_ms >= ?2 AND r.at_ms < ?3 AND r.ok = 1 GROUP BY t ORDER BY t"#,
        )
        .bind(s.id)
        .bind(from * 1000)
        .bind(to * 1000)
        .fetch_all(&mut *db)
        .await?
    } else {
        sqlx::query_as(
            r#"SELECT r.bucket, CAST(sum(r.latency_total) AS REAL) / sum(r.n - r.failures) FROM check_rollups r JOIN checks c ON c.id = r.check_id
               WHERE c.system_id = ?1 AND r.width = 3600 AND r.bucket >= ?2 AND r.bucket < ?3
               GROUP BY r.bucket HAVING sum(r.n - r.failures) > 0 ORDER BY r.bucket"#,
        )
        .bind(s.id)
        .bind(from.div_euclid(3600) * 3600)
        .bind(to)
        .fetch_all(&mut *db)
        .await?
    };
    let raw: Vec<(f64, f64)> = rows.iter().map(|(t, v)| (*t as f64, *v)).collect();
    let points = lttb(&raw, MAX_POINTS);
    let down: Vec<Band> = segments(Status::Unknown, history, from, to).into_iter().filter(|g| g.status == Status::Down).map(|g| Band { from: g.from, to: g.to }).collect();
    let annotations = Annotations { deployments: vec![], incidents: down.clone(), notes: vec![] };
    // Precision follows the magnitude (0.05, 0.15, 12, 1,204), so neighbouring axis ticks of a
    // fast service never read the same.
    let fmt = |v: f64| format!("{} ms", crate::kpi::units::format_number(v));
    let title = format!("{}: response time", s.name);
    let desc = match (points.is_empty(), raw.iter().map(|p| p.1).fold(None::<(f64, f64)>, |acc, v| Some(acc.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v)))))) {
        (true, _) | (_, None) => "No successful responses in this range.".to_string(),
        (false, Some((lo, hi))) => format!(
            "Average response time from {} to {}: between {} and {}; {} down shaded.",
            when(from),
            when(to),
            fmt(lo),
            fmt(hi),
            crate::ui::plural(down.len() as u64, "period", "periods")
        ),
    };
    let svg = TrendChart { id: &format!("latency-{}", s.id), title: &title, desc: &desc, points: &points, from, to, targets: &[], annotations: &annotations, format_y: &fmt }
        .render()
        .map_err(|e| {
            tracing::error!(error = %e, "latency chart failed");
            AppError::Internal
        })?;
    let mut rows: Vec<Vec<String>> = raw.iter().rev().take(200).map(|(t, v)| vec![when(*t as i64), format!("{v:.0} ms")]).collect();
    rows.extend(down.iter().rev().map(|b| vec![format!("Down {} to {}", when(b.from), when(b.to)), "—".into()]));
    Ok(ChartData { svg, caption: desc, columns: vec!["Time".into(), "Response time".into()], rows })
}

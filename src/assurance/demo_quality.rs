//! The demo's quality signals for the four services that deploy, half a year of them as their
//! pipelines would have reported: a CI run on each working day's main branch (tests and
//! coverage) and the defect tracker's weekly count of escaped defects. The public API's
//! coverage slides while its tests grow slower than its code, which its change failure rate
//! (from the demo's deployments) can be read against; payments holds steady; the web app
//! climbs; the data pipeline has flaky tests. Relative to today; seeded once.

use super::service::quality::{insert, Signal, WEEKS};
use crate::platform::db::begin_write;
use crate::platform::error::AppError;
use crate::platform::noise::Noise;
use crate::platform::time::DAY;
use sqlx::SqlitePool;

/// (system key, tests at the start, tests added per week, coverage at the start and at the
/// end in percent, chance a test run has failures, escaped defects a week on average).
const PIPELINES: [(&str, i64, i64, f64, f64, f64, f64); 4] = [
    ("web", 1_420, 14, 62.0, 70.5, 0.15, 0.8),
    ("api", 2_050, 3, 78.4, 71.2, 0.2, 1.6),
    ("payments", 980, 5, 88.1, 89.0, 0.05, 0.2),
    ("data-pipeline", 410, 2, 64.0, 66.0, 0.45, 0.6),
];

const BY: &str = "token “ci”";

pub async fn seed(pool: &SqlitePool, now: i64) -> Result<(), AppError> {
    let seeded: i64 = sqlx::query_scalar("SELECT count(*) FROM quality_signals").fetch_one(pool).await?;
    if seeded > 0 {
        return Ok(());
    }
    let today = now - now.rem_euclid(DAY);
    let days = WEEKS as i64 * 7;
    let mut tx = begin_write(pool).await?;
    for (n, (key, tests, per_week, from, to, flaky, escaping)) in PIPELINES.into_iter().enumerate() {
        let Some(system): Option<i64> = sqlx::query_scalar("SELECT id FROM systems WHERE key = ?1").bind(key).fetch_optional(&mut *tx).await? else { continue };
        let mut noise = Noise(0x51_6A_11_7E + n as u64);
        for back in (0..days).rev() {
            let day = today - back * DAY;
            let t = 1.0 - back as f64 / days as f64;
            // 1 January 1970 was a Thursday: day numbers 2 and 3 (mod 7) are weekends.
            let weekday = day.div_euclid(DAY).rem_euclid(7);
            if weekday != 2 && weekday != 3 {
                let at = day + 14 * 3600 + (noise.next() * 7200.0) as i64;
                if at > now {
                    continue;
                }
                let run = tests + (per_week as f64 * (days - back) as f64 / 7.0) as i64;
                let failures = if noise.next() < flaky { 1 + (noise.next() * 6.0) as i64 } else { 0 };
                let coverage = ((from + (to - from) * t + noise.gauss() * 0.3) * 100.0).round().clamp(0.0, 10_000.0) as i64;
                let reference = format!("main@{:07x}", noise.0 >> 36);
                let ci = Signal { at, source: "GitHub Actions".into(), reference, tests: Some((run, run - failures)), coverage: Some(coverage), escaped: None };
                insert(&mut tx, system, BY, &ci).await?;
            }
            // The defect tracker's count each Monday (day numbers 4 mod 7), since the last one.
            if weekday == 4 && day + 8 * 3600 <= now {
                let escaped = (escaping + noise.gauss() * escaping.sqrt()).round().max(0.0) as i64;
                let tracker = Signal { at: day + 8 * 3600, source: "Jira".into(), reference: String::new(), tests: None, coverage: None, escaped: Some(escaped) };
                insert(&mut tx, system, BY, &tracker).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

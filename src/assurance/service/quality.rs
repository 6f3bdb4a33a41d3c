//! A system's quality signals: its CI pipeline's test runs and coverage, and the defects that
//! escaped to production, reported through the token API; shown on the system's page week by
//! week beside the DORA change failure rate of its deployments (an event's service is the
//! system's key), so a rising failure rate can be read against falling tests or coverage.

use super::super::view::{QualityLine, QualityWeek, SystemQuality};
use super::{scope, visible_system};
use crate::auth::User;
use crate::kpi::dora;
use crate::platform::api_error::Detail;
use crate::platform::api_items::Item;
use crate::platform::audit::{Actor, Entry};
use crate::platform::db::begin_write;
use crate::platform::error::AppError;
use crate::platform::time::{date_of, midnight, DAY};
use chrono::{Datelike, NaiveDate};
use serde_json::{Map, Value};
use sqlx::{SqliteConnection, SqlitePool};

pub const QUALITY_FIELDS: &[&str] = &["at", "source", "ref", "tests_run", "tests_passed", "coverage", "escaped_defects"];

/// Weeks on the system's card, the current one included.
pub const WEEKS: usize = 26;
/// The headline's escaped defects and change failure rate count this many days.
const RECENT_DAYS: i64 = 30;
const MAX_TESTS: i64 = 100_000_000;

/// One report: a test run (tests run and passed), coverage, escaped defects, or any of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signal {
    pub at: i64,
    pub source: String,
    pub reference: String,
    /// (run, passed).
    pub tests: Option<(i64, i64)>,
    /// Hundredths of a percent.
    pub coverage: Option<i64>,
    pub escaped: Option<i64>,
}

/// A quality item of the token API: at least one of the measures; tests run and passed go
/// together, and no more pass than ran.
pub fn signal_item(index: usize, map: &Map<String, Value>, now: i64, details: &mut Vec<Detail>) -> Option<Signal> {
    let mut item = Item::new(index, map, details);
    item.only(QUALITY_FIELDS);
    let at = item.time("at", false, now).unwrap_or(now);
    let source = item.text("source", false, 100).unwrap_or_default();
    let reference = item.text("ref", false, 200).unwrap_or_default();
    let run = item.whole("tests_run", 1..=MAX_TESTS, "tests");
    let passed = item.whole("tests_passed", 0..=MAX_TESTS, "tests");
    let coverage = item.percent("coverage");
    let escaped = item.whole("escaped_defects", 0..=1_000_000, "defects");
    match (item.has("tests_run"), item.has("tests_passed")) {
        (true, false) => item.fail("tests_passed", "is required with tests_run"),
        (false, true) => item.fail("tests_run", "is required with tests_passed"),
        _ => {}
    }
    if let (Some(run), Some(passed)) = (run, passed) {
        if passed > run {
            item.fail("tests_passed", format!("is more than the {run} tests run"));
        }
    }
    if !["tests_run", "tests_passed", "coverage", "escaped_defects"].iter().any(|f| item.has(f)) {
        item.fail("tests_run", "send at least one measure: tests_run with tests_passed, coverage or escaped_defects");
    }
    if item.failed() {
        return None;
    }
    Some(Signal { at, source, reference, tests: run.zip(passed), coverage, escaped })
}

/// Stores a batch of reports for a system, whole or not at all, audited once; their ids.
pub async fn store(pool: &SqlitePool, by: &Actor, system: (i64, &str), signals: &[Signal]) -> Result<Vec<i64>, AppError> {
    let mut tx = begin_write(pool).await?;
    let mut ids = Vec::with_capacity(signals.len());
    for s in signals {
        ids.push(insert(&mut tx, system.0, &by.label, s).await?);
    }
    let what = crate::ui::plural(signals.len() as u64, "quality report", "quality reports");
    Entry::new(by, "assurance", "record_quality").object("system", system.0, system.1).detail(what).record(&mut tx).await?;
    tx.commit().await?;
    Ok(ids)
}

/// Keeps one report; one with the system, source and time of one already kept replaces it (a
/// retried job). Its id.
pub async fn insert(db: &mut SqliteConnection, system: i64, by: &str, s: &Signal) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO quality_signals (system_id, at, source, reference, tests_run, tests_passed, coverage_bp, escaped_defects, by_label)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (system_id, source, at) DO UPDATE SET reference = excluded.reference, tests_run = excluded.tests_run,
            tests_passed = excluded.tests_passed, coverage_bp = excluded.coverage_bp, escaped_defects = excluded.escaped_defects, by_label = excluded.by_label
         RETURNING id",
    )
    .bind(system)
    .bind(s.at)
    .bind(&s.source)
    .bind(&s.reference)
    .bind(s.tests.map(|t| t.0))
    .bind(s.tests.map(|t| t.1))
    .bind(s.coverage)
    .bind(s.escaped)
    .bind(by)
    .fetch_one(db)
    .await?)
}

/// "81.25 %" from hundredths of a percent, without trailing zeros.
pub fn percent_text(hundredths: i64) -> String {
    let whole = format!("{}.{:02}", hundredths / 100, hundredths % 100);
    format!("{} %", whole.trim_end_matches('0').trim_end_matches('.'))
}

/// `part` of `whole` in hundredths of a percent, rounded; `None` of nothing.
pub fn share(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 10_000 + whole / 2) / whole)
}

/// The Monday of `day`'s week.
fn monday(day: NaiveDate) -> NaiveDate {
    day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// A report as read: `COLUMNS` in order.
type Row = (i64, String, String, Option<i64>, Option<i64>, Option<i64>, Option<i64>);
const COLUMNS: &str = "at, source, reference, tests_run, tests_passed, coverage_bp, escaped_defects";

/// The weeks from `first` (a Monday) on, each with its tests (passed of run, added up over the
/// week's runs), its last coverage, its escaped defects, and its deployments with those that
/// failed or caused an incident.
fn weeks(first: NaiveDate, rows: &[Row], deployments: &[dora::Deployment]) -> Vec<QualityWeek> {
    let start = midnight(first);
    let mut out: Vec<QualityWeek> = (0..WEEKS).map(|i| QualityWeek { starts: (first + chrono::Days::new(7 * i as u64)).to_string(), ..Default::default() }).collect();
    let week = |at: i64| usize::try_from((at - start).div_euclid(7 * DAY)).ok().filter(|w| *w < WEEKS);
    for (at, _, _, run, passed, coverage, escaped) in rows {
        let Some(w) = week(*at) else { continue };
        let q = &mut out[w];
        if let (Some(run), Some(passed)) = (run, passed) {
            q.tests_run += run;
            q.tests_passed += passed;
        }
        // Rows come oldest first, so the week keeps its last coverage.
        q.coverage = coverage.or(q.coverage);
        q.escaped += escaped.unwrap_or(0);
    }
    for d in deployments {
        if let Some(w) = week(d.deployed_at) {
            out[w].deployments += 1;
            out[w].failed += i64::from(!d.succeeded || d.caused_incident);
        }
    }
    out
}

/// A system's quality card: `None` for a reader outside its department (they see the system,
/// not its records), like its findings and data protection.
pub async fn system_quality(db: &mut SqliteConnection, user: &User, system: i64, now: i64) -> Result<Option<SystemQuality>, AppError> {
    if scope(user).is_err() || visible_system(&mut *db, user, system).await.is_err() {
        return Ok(None);
    }
    let key: String = sqlx::query_scalar("SELECT key FROM systems WHERE id = ?1").bind(system).fetch_one(&mut *db).await?;
    let first = monday(date_of(now)) - chrono::Days::new(7 * (WEEKS as u64 - 1));
    let from = midnight(first).min(now - RECENT_DAYS * DAY);
    let rows: Vec<Row> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM quality_signals WHERE system_id = ?1 AND at >= ?2 ORDER BY at, id"))
    .bind(system)
    .bind(from)
    .fetch_all(&mut *db)
    .await?;
    let deployments: Vec<dora::Deployment> = crate::kpi::events::deployments(&mut *db, from, now + 1, Some(&key)).await?.into_iter().map(|(_, d)| d).collect();
    let recent_from = now - RECENT_DAYS * DAY;
    let recent: Vec<dora::Deployment> = deployments.iter().filter(|d| d.deployed_at >= recent_from).cloned().collect();
    let change_failure = dora::compute(&recent, &[], recent_from, now);
    let weeks = weeks(first, &rows, &deployments);
    let tested = rows.iter().rev().find_map(|r| Some((r.0, r.3?, r.4?)));
    let covered: Vec<(i64, i64)> = rows.iter().filter_map(|r| Some((r.0, r.5?))).collect();
    let mut latest: Vec<QualityLine> = rows.iter().rev().take(10).map(line).collect();
    if latest.is_empty() {
        // Older reports still say what was sent last.
        let older: Vec<Row> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM quality_signals WHERE system_id = ?1 ORDER BY at DESC, id DESC LIMIT 10"))
        .bind(system)
        .fetch_all(&mut *db)
        .await?;
        latest = older.iter().map(line).collect();
    }
    Ok(Some(SystemQuality {
        key,
        pass_rate: tested.and_then(|(_, run, passed)| share(passed, run)).map(percent_text),
        tests: tested.map(|(at, run, passed)| format!("{passed} of {run} tests passed, {}", date_of(at))),
        coverage: covered.last().map(|(_, c)| percent_text(*c)),
        coverage_change: match (covered.iter().find(|(at, _)| *at >= midnight(first)), covered.last()) {
            (Some(a), Some(b)) if a.0 < b.0 => Some(points(b.1 - a.1)),
            _ => None,
        },
        escaped: rows.iter().filter(|r| r.0 >= recent_from).filter_map(|r| r.6).sum(),
        change_failure_rate: change_failure.change_failure_rate.map(|r| format!("{r:.1} %")),
        change_failure_band: change_failure.bands.change_failure_rate.map(|b| b.label().to_string()),
        deployments: i64::from(change_failure.deployments),
        rates_chart: super::super::quality_chart::rates(system, &weeks)?,
        defects_chart: super::super::quality_chart::defects(system, &weeks)?,
        weeks,
        latest,
    }))
}

/// "+1.5 points", "−0.25 points".
fn points(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "−" } else { "+" };
    format!("{sign}{}", percent_text(hundredths.abs()).replace(" %", " points"))
}

fn line(r: &Row) -> QualityLine {
    let (at, source, reference, run, passed, coverage, escaped) = r;
    QualityLine {
        at: crate::platform::time::minute_utc(*at),
        source: source.clone(),
        reference: reference.clone(),
        tests: run.zip(*passed).map(|(run, passed)| format!("{passed} of {run}")),
        coverage: coverage.map(percent_text),
        escaped: *escaped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_796_300_000;

    fn read(v: Value) -> (Option<Signal>, Vec<(String, String)>) {
        let mut d = Vec::new();
        let s = signal_item(2, v.as_object().unwrap(), NOW, &mut d);
        (s, d.into_iter().map(|x| (x.field, x.message)).collect())
    }

    #[test]
    fn a_report_carries_tests_coverage_or_escaped_defects() {
        let (s, d) = read(json!({"tests_run": 1220, "tests_passed": 1204, "coverage": 81.25, "source": "GitHub Actions", "ref": "a1b2c3d"}));
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(s, Some(Signal { at: NOW, source: "GitHub Actions".into(), reference: "a1b2c3d".into(), tests: Some((1220, 1204)), coverage: Some(8125), escaped: None }));
        let (s, _) = read(json!({"escaped_defects": 3, "at": "2026-11-30T09:00:00Z"}));
        assert_eq!(s.map(|s| (s.escaped, s.tests)), Some((Some(3), None)));
        assert_eq!(read(json!({"coverage": 100})).0.unwrap().coverage, Some(10_000));
    }

    #[test]
    fn each_mistake_is_named_at_its_field() {
        let fields = |v| read(v).1.into_iter().map(|(f, _)| f).collect::<Vec<_>>();
        assert_eq!(fields(json!({"source": "ci"})), ["tests_run"], "no measure at all");
        assert_eq!(fields(json!({"tests_run": 10})), ["tests_passed"]);
        assert_eq!(fields(json!({"tests_passed": 10})), ["tests_run"]);
        assert_eq!(fields(json!({"tests_run": 10, "tests_passed": 11})), ["tests_passed"]);
        assert_eq!(fields(json!({"tests_run": 0, "tests_passed": 0})), ["tests_run"]);
        assert_eq!(fields(json!({"coverage": 100.5})), ["coverage"]);
        assert_eq!(fields(json!({"coverage": 81.255})), ["coverage"], "hundredths at most");
        assert_eq!(fields(json!({"coverage": "81"})), ["coverage"]);
        assert_eq!(fields(json!({"escaped_defects": -1})), ["escaped_defects"]);
        assert_eq!(fields(json!({"coverage": 80, "at": "2999-01-01T00:00:00Z"})), ["at"]);
        assert_eq!(fields(json!({"coverage": 80, "branch": "main"})), ["branch"]);
    }

    #[test]
    fn weeks_add_up_runs_keep_the_last_coverage_and_count_failed_changes() {
        let first = NaiveDate::from_ymd_opt(2026, 6, 8).unwrap();
        let t = |day: u64, hour: i64| midnight(first + chrono::Days::new(day)) + hour * 3600;
        let rows: Vec<Row> = vec![
            (t(0, 9), "ci".into(), String::new(), Some(100), Some(90), Some(8000), None),
            (t(2, 9), "ci".into(), String::new(), Some(300), Some(300), Some(8050), Some(2)),
            (t(7, 9), "ci".into(), String::new(), None, None, None, Some(1)),
            (t(0, 0) - 1, "ci".into(), String::new(), Some(5), Some(0), Some(1), Some(9)),
        ];
        let deploy = |day, ok, caused| dora::Deployment { deployed_at: t(day, 12), succeeded: ok, caused_incident: caused, change_lead_times: vec![] };
        let w = weeks(first, &rows, &[deploy(1, true, false), deploy(3, false, false), deploy(8, true, true)]);
        assert_eq!(w.len(), WEEKS);
        assert_eq!((w[0].tests_run, w[0].tests_passed, w[0].coverage, w[0].escaped), (400, 390, Some(8050), 2), "the report before the first week is left out");
        assert_eq!((w[0].deployments, w[0].failed), (2, 1));
        assert_eq!((w[1].tests_run, w[1].coverage, w[1].escaped, w[1].deployments, w[1].failed), (0, None, 1, 1, 1));
        assert_eq!(w[1].starts, "2026-06-15");
    }

    #[test]
    fn percentages_read_as_sent() {
        assert_eq!([percent_text(8125), percent_text(8000), percent_text(8130), percent_text(5)], ["81.25 %", "80 %", "81.3 %", "0.05 %"]);
        assert_eq!([points(150), points(-25), points(0)], ["+1.5 points", "−0.25 points", "+0 points"]);
    }
}

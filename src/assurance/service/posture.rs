//! The security posture: controls by framework, findings by severity with their breaches,
//! personal-data systems without a review, systems keeping data without a restore test, and
//! all of these at the end of each of the last twelve months.
//!
//! One function works the figures out for any day from the records' own dates. Today's are
//! taken from the counts the page shows anyway (the register's lines, the SLA table), which a
//! test holds equal to that function's, so today's and a past month's cannot disagree. A
//! closed month is worked out once, the first time it is asked for, and kept
//! (`posture_months`): looking back at many months of findings is the slow part, and a
//! board's past quarter should read the same later.

use super::super::model::{timeliness, Deadlines, Frequency, Outcome, Severity, Standing};
use super::super::privacy::{review, review_due, Review};
use super::super::view::{PostureFigures, PostureMonth, PosturePage, PostureSection, UnreviewedSystem, UntestedSystem};
use super::recovery::{restore_due, KEEPS_DATA};
use super::sql::{cut, Filter, DAY};
use super::figures::{self, FixTally};
use super::{controls, deadlines, privacy, scope};
use crate::auth::User;
use crate::platform::db::begin_write;
use crate::platform::error::AppError;
use crate::platform::time::{date_of, midnight};
use chrono::{Datelike, Months, NaiveDate};
use sqlx::{QueryBuilder, SqliteConnection, SqlitePool};

/// The setting by which the CTO shares the posture in investor reports.
pub const INVESTORS_SEE_POSTURE: &str = "investors_see_security_posture";

/// Months in the trend, the current one included.
pub const TREND_MONTHS: u32 = 12;

/// The posture's figures at the end of `day` in a department's scope (`None`: the company).
pub async fn figures_at(db: &mut SqliteConnection, dept: Option<i64>, day: NaiveDate, d: &Deadlines) -> Result<PostureFigures, AppError> {
    let (open, breached) = findings_at(&mut *db, dept, day, d).await?;
    let (personal, unreviewed, unrecorded) = reviews_at(&mut *db, dept, day).await?;
    let (keeping, untested) = restores_at(&mut *db, dept, day).await?;
    Ok(PostureFigures { controls: controls_at(&mut *db, dept, day).await?, open, breached, personal, unreviewed, unrecorded, keeping, untested })
}

/// Controls in force on `day` (adopted by then, not yet retired), by standing, each judged on
/// the evidence performed by then.
async fn controls_at(db: &mut SqliteConnection, dept: Option<i64>, day: NaiveDate) -> Result<Vec<i64>, AppError> {
    let rows: Vec<(Frequency, String, Option<String>, Option<Outcome>)> = sqlx::query_as(
        "SELECT c.frequency, c.adopted_on, e.performed_on, e.result FROM controls c
         LEFT JOIN control_evidence e ON e.id = (SELECT x.id FROM control_evidence x WHERE x.control_id = c.id AND x.performed_on <= ?2 ORDER BY x.performed_on DESC, x.id DESC LIMIT 1)
         WHERE (?1 IS NULL OR c.department_id = ?1) AND c.adopted_on <= ?2 AND (c.retired_on IS NULL OR c.retired_on > ?2)",
    )
    .bind(dept)
    .bind(day.to_string())
    .fetch_all(db)
    .await?;
    let parse = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let standings = rows.into_iter().map(|(frequency, adopted, last_on, last)| {
        Standing::of(timeliness(frequency, last_on.as_deref().and_then(parse), parse(&adopted).unwrap_or(day), day), last)
    });
    Ok(controls::count(standings).0)
}

/// Findings open at the end of `day` by severity, and those past their deadline then: the ones
/// open now and first seen by then, with the ones fixed since. Each is a range of an index
/// (open by first seen, fixed by when), so a recent day reads few of the fixed ones.
async fn findings_at(db: &mut SqliteConnection, dept: Option<i64>, day: NaiveDate, d: &Deadlines) -> Result<([i64; 4], [i64; 4]), AppError> {
    let end = midnight(day) + DAY;
    let day_number = end / DAY - 1;
    let f = Filter { dept, ..Default::default() };
    let (mut open, mut breached) = ([0; 4], [0; 4]);
    for (i, s) in Severity::ALL.iter().enumerate() {
        for fixed_since in [false, true] {
            let mut qb = QueryBuilder::new("SELECT count(*), coalesce(sum(f.first_seen < ");
            qb.push_bind(cut(d, *s, day_number, 0)).push("), 0) FROM findings f WHERE f.severity = ").push_bind(s.as_str());
            if fixed_since {
                qb.push(" AND f.fixed_at IS NOT NULL AND f.fixed_at >= ").push_bind(end);
            } else {
                qb.push(" AND f.fixed_at IS NULL");
            }
            qb.push(" AND f.first_seen < ").push_bind(end);
            f.push(&mut qb);
            let (all, late): (i64, i64) = qb.build_query_as().fetch_one(&mut *db).await?;
            open[i] += all;
            breached[i] += late;
        }
    }
    Ok((open, breached))
}

/// Systems holding personal data (as recorded now), those whose last review by `day` was more
/// than a year before it (or that had none by then), and the systems with no record by then.
async fn reviews_at(db: &mut SqliteConnection, dept: Option<i64>, day: NaiveDate) -> Result<(i64, i64, i64), AppError> {
    let rows: Vec<(Option<bool>, Option<String>)> = sqlx::query_as(
        "SELECT r.personal_data, (SELECT max(v.reviewed_on) FROM processing_reviews v WHERE v.system_id = s.id AND v.reviewed_on <= ?2)
         FROM systems s LEFT JOIN processing_records r ON r.system_id = s.id WHERE (?1 IS NULL OR s.department_id = ?1)",
    )
    .bind(dept)
    .bind(day.to_string())
    .fetch_all(db)
    .await?;
    let (mut personal, mut unreviewed, mut unrecorded) = (0, 0, 0);
    for (holds, last) in rows {
        let standing = review(last.as_deref().and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()), day);
        if standing == Review::NotRecorded && holds != Some(true) {
            unrecorded += 1;
        }
        if holds == Some(true) {
            personal += 1;
            unreviewed += i64::from(matches!(standing, Review::Overdue | Review::NotRecorded));
        }
    }
    Ok((personal, unreviewed, unrecorded))
}

/// The systems keeping data in scope with the last restore test passed by the end of `day`.
async fn last_restores(db: &mut SqliteConnection, dept: Option<i64>, day: NaiveDate) -> Result<Vec<(i64, String, Option<i64>)>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT s.id, s.name, (SELECT max(t.at) FROM restore_tests t WHERE t.system_id = s.id AND t.ok = 1 AND t.at < ?2)
         FROM systems s WHERE {KEEPS_DATA} AND (?1 IS NULL OR s.department_id = ?1) ORDER BY s.name COLLATE NOCASE"
    ))
    .bind(dept)
    .bind(midnight(day) + DAY)
    .fetch_all(db)
    .await?)
}

async fn restores_at(db: &mut SqliteConnection, dept: Option<i64>, day: NaiveDate) -> Result<(i64, i64), AppError> {
    let systems = last_restores(db, dept, day).await?;
    Ok((systems.len() as i64, systems.iter().filter(|(_, _, last)| restore_due(*last, day)).count() as i64))
}

/// A figure of each severity's line, critical first.
fn per_severity(lines: &[super::super::view::SeverityLine], pick: fn(&super::super::view::SeverityLine) -> i64) -> [i64; 4] {
    let mut out = [0; 4];
    for (i, s) in Severity::ALL.iter().enumerate() {
        out[i] = lines.iter().find(|l| l.severity == *s).map(pick).unwrap_or(0);
    }
    out
}

/// The last day of the month `today` is in, `back` months before.
fn month_end(today: NaiveDate, back: u32) -> NaiveDate {
    let first = today.with_day(1).unwrap_or(today) - Months::new(back);
    (first + Months::new(1)).pred_opt().unwrap_or(first)
}

fn label(day: NaiveDate) -> String {
    day.format("%b %Y").to_string()
}

/// The first instant of `day`'s month.
fn month_start(day: NaiveDate) -> i64 {
    midnight(day.with_day(1).unwrap_or(day))
}

/// The closed months of the trend, oldest first, read from what was kept or worked out now and
/// kept, with their fixes of findings added up.
async fn closed_months(pool: &SqlitePool, db: &mut SqliteConnection, dept: Option<i64>, today: NaiveDate, d: &Deadlines) -> Result<(Vec<PostureMonth>, [FixTally; 4]), AppError> {
    let key = dept.map_or_else(|| "all".to_string(), |d| d.to_string());
    let f = Filter { dept, ..Default::default() };
    let mut months = Vec::with_capacity(TREND_MONTHS as usize);
    let mut fixed = [FixTally::default(); 4];
    let mut fresh = Vec::new();
    for back in (1..TREND_MONTHS).rev() {
        let end = month_end(today, back);
        let month = end.format("%Y-%m").to_string();
        let kept: Option<(String, Option<String>)> =
            sqlx::query_as("SELECT figures, fixes FROM posture_months WHERE month = ?1 AND scope = ?2").bind(&month).bind(&key).fetch_optional(&mut *db).await?;
        let (figures, fixes) = kept.map_or((None, None), |(f, x)| (serde_json::from_str(&f).ok(), x.and_then(|x| serde_json::from_str(&x).ok())));
        let keep_figures = figures.is_none();
        let figures = match figures {
            Some(figures) => figures,
            None => figures_at(&mut *db, dept, end, d).await?,
        };
        let keep_fixes = fixes.is_none();
        let fixes: [FixTally; 4] = match fixes {
            Some(fixes) => fixes,
            None => figures::fixes(&mut *db, &f, d, month_start(end), Some(midnight(end) + DAY)).await?,
        };
        if keep_figures || keep_fixes {
            let figures = if keep_figures { Some(serde_json::to_string(&figures).map_err(|_| AppError::Internal)?) } else { None };
            fresh.push((month.clone(), figures, serde_json::to_string(&fixes).map_err(|_| AppError::Internal)?));
        }
        for (sum, x) in fixed.iter_mut().zip(fixes) {
            *sum += x;
        }
        months.push(PostureMonth { month, label: label(end), current: false, figures });
    }
    if !fresh.is_empty() {
        let mut tx = begin_write(pool).await?;
        for (month, figures, fixes) in fresh {
            // Another reader may have kept them first; theirs stand.
            match figures {
                Some(json) => {
                    sqlx::query("INSERT OR IGNORE INTO posture_months (month, scope, figures, fixes) VALUES (?1, ?2, ?3, ?4)").bind(&month).bind(&key).bind(json).bind(&fixes).execute(&mut *tx).await?;
                }
                None => {
                    sqlx::query("UPDATE posture_months SET fixes = ?3 WHERE month = ?1 AND scope = ?2 AND fixes IS NULL").bind(&month).bind(&key).bind(&fixes).execute(&mut *tx).await?;
                }
            }
        }
        tx.commit().await?;
    }
    Ok((months, fixed))
}

/// The posture page in `user`'s scope at `now`.
pub async fn page(pool: &SqlitePool, user: &User, now: i64) -> Result<PosturePage, AppError> {
    let dept = scope(user)?;
    let today = date_of(now);
    let mut db = pool.acquire().await?;
    let d = deadlines(&mut db).await?;
    let rows = controls::rows(&mut db, dept).await?;
    let kept: Vec<&controls::Row> = rows.iter().collect();
    let lines: Vec<_> = rows.iter().map(|r| r.line(today)).collect();
    let frameworks = controls::frameworks(&kept, &lines);
    // The fixes of the trend's twelve months: the closed ones' kept, this one's so far.
    let (mut trend, mut fixed) = closed_months(pool, &mut db, dept, today, &d).await?;
    let f = Filter { dept, ..Default::default() };
    for (sum, x) in fixed.iter_mut().zip(figures::fixes(&mut db, &f, &d, month_start(today), None).await?) {
        *sum += x;
    }
    let (severities, _) = figures::sla_with(&mut db, &f, &d, now, fixed).await?;
    // Today's figures from the register's lines and the SLA table's counts, read once: the same
    // as `figures_at` today (no evidence or finding lies ahead of today), without reading the
    // controls' evidence and the open findings a second time.
    let (personal, unreviewed, unrecorded) = reviews_at(&mut db, dept, today).await?;
    let restores = last_restores(&mut db, dept, today).await?;
    let keeping = restores.len() as i64;
    let untested: Vec<UntestedSystem> = restores
        .into_iter()
        .filter(|(_, _, last)| restore_due(*last, today))
        .map(|(system_id, system, last)| UntestedSystem { system_id, system, last_passed: last.map(|t| date_of(t).to_string()) })
        .collect();
    let day = today.to_string();
    let in_force = rows.iter().zip(&lines).filter(|(r, _)| r.adopted_on <= day).map(|(_, l)| l);
    let figures = PostureFigures {
        controls: controls::count(in_force.map(|l| l.standing)).0,
        open: per_severity(&severities, |l| l.open),
        breached: per_severity(&severities, |l| l.breached),
        personal,
        unreviewed,
        unrecorded,
        keeping,
        untested: untested.len() as i64,
    };
    let unreviewed = privacy::lines(&mut db, dept, None, today)
        .await?
        .into_iter()
        .filter(|l| l.review == Review::NotRecorded || (l.personal_data == Some(true) && l.review == Review::Overdue))
        .map(|l| UnreviewedSystem {
            due_on: l.reviewed_on.as_deref().and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()).map(|r| review_due(r).to_string()),
            system_id: l.system_id,
            system: l.system,
            review: l.review,
        })
        .collect();
    trend.push(PostureMonth { month: today.format("%Y-%m").to_string(), label: label(today), current: true, figures: figures.clone() });
    let scope = match (user.role, &user.department_name) {
        (crate::access::Role::DepartmentHead, Some(name)) => format!("{name}’s controls, findings and systems. The CTO sees the company’s."),
        (crate::access::Role::DepartmentHead, None) => "You have no department, so no controls or systems of your own.".into(),
        _ => String::new(),
    };
    let shared = match user.role {
        crate::access::Role::Cto => Some(crate::platform::db::flag(&mut db, INVESTORS_SEE_POSTURE).await?),
        _ => None,
    };
    let fixes_since = trend.first().map(|m| format!("1 {}", m.label)).unwrap_or_default();
    Ok(PosturePage { scope, today: today.to_string(), now: figures, frameworks, severities, fixes_since, unreviewed, untested, trend, shared })
}

/// Shares the posture in investor reports, or stops sharing it (the CTO's; audited). Versions
/// already published keep what they showed.
pub async fn share(pool: &SqlitePool, cto: &User, on: bool) -> Result<(), AppError> {
    let mut tx = begin_write(pool).await?;
    crate::platform::db::set_flag(&mut tx, INVESTORS_SEE_POSTURE, on).await?;
    let said = if on { "shown in investor reports" } else { "kept out of investor reports" };
    crate::platform::audit::Entry::new(&cto.actor(), "assurance", "share_posture").detail(said).record(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// The report's security section for a period from `from` to `to` (both days included), the
/// company's figures; `None` while the CTO does not share the posture.
pub async fn investor_section(db: &mut SqliteConnection, from: NaiveDate, to: NaiveDate) -> Result<Option<PostureSection>, AppError> {
    if !crate::platform::db::flag(&mut *db, INVESTORS_SEE_POSTURE).await? {
        return Ok(None);
    }
    let d = deadlines(&mut *db).await?;
    let before_day = from.pred_opt().unwrap_or(from);
    Ok(Some(PostureSection {
        as_of: to.to_string(),
        figures: figures_at(&mut *db, None, to, &d).await?,
        before_as_of: before_day.to_string(),
        before: figures_at(&mut *db, None, before_day, &d).await?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn each_month_of_the_trend_ends_on_its_last_day() {
        let today = day("2026-12-03");
        assert_eq!(month_end(today, 0), day("2026-12-31"));
        assert_eq!(month_end(today, 1), day("2026-11-30"));
        assert_eq!(month_end(today, 10), day("2026-02-28"));
        assert_eq!(month_end(today, 11), day("2026-01-31"));
        assert_eq!(month_end(day("2024-03-31"), 1), day("2024-02-29"));
        assert_eq!(label(month_end(today, 11)), "Jan 2026");
    }
}

//! SQL for KPIs, targets, measurements and rollups.

use super::model::{Aggregation, Category, Computed, Direction, Kpi, Target};
use super::units::Unit;
use crate::platform::error::AppError;
use sqlx::{QueryBuilder, Sqlite, SqliteExecutor};

#[derive(sqlx::FromRow)]
pub struct KpiRow {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub description: String,
    pub formula: String,
    pub category: Category,
    pub unit: Unit,
    pub direction: Direction,
    pub aggregation: Aggregation,
    pub owner: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub investor_visible: bool,
    pub computed: Option<Computed>,
    pub kept_by: Option<String>,
    pub data_version: i64,
}

impl KpiRow {
    pub fn into_kpi(self) -> Kpi {
        Kpi {
            id: self.id,
            key: self.key,
            name: self.name,
            description: self.description,
            formula: self.formula,
            category: self.category,
            unit: self.unit,
            direction: self.direction,
            aggregation: self.aggregation,
            owner: self.owner,
            department_id: self.department_id,
            department_name: self.department_name,
            investor_visible: self.investor_visible,
            computed: self.computed,
            kept_by: self.kept_by,
            version: self.data_version,
        }
    }
}

const SELECT_KPI: &str = r#"
    SELECT k.id, k.key, k.name, k.description, k.formula, k.category, k.unit, k.direction,
           k.aggregation, k.owner, k.department_id, d.name AS department_name,
           k.investor_visible, k.computed, k.kept_by, k.data_version
    FROM kpis k LEFT JOIN departments d ON d.id = k.department_id"#;

pub async fn kpi_by_key<'e>(db: impl SqliteExecutor<'e>, key: &str) -> Result<Option<KpiRow>, AppError> {
    sqlx::query_as(&format!("{SELECT_KPI} WHERE k.key = ?1")).bind(key).fetch_optional(db).await.map_err(AppError::from)
}

/// KPIs a caller may see: all, or (for a department) company-wide ones and that department's.
pub async fn visible_kpis<'e>(db: impl SqliteExecutor<'e>, department: Option<i64>, all: bool) -> Result<Vec<KpiRow>, AppError> {
    sqlx::query_as(&format!(
        "{SELECT_KPI} WHERE ?1 OR k.department_id IS NULL OR k.department_id = ?2 ORDER BY k.category, k.name COLLATE NOCASE"
    ))
    .bind(all)
    .bind(department)
    .fetch_all(db)
    .await
    .map_err(AppError::from)
}

pub async fn computed_kpis<'e>(db: impl SqliteExecutor<'e>) -> Result<Vec<(i64, String)>, AppError> {
    sqlx::query_as("SELECT id, computed FROM kpis WHERE computed IS NOT NULL").fetch_all(db).await.map_err(AppError::from)
}

#[derive(sqlx::FromRow)]
pub struct TargetRow {
    pub effective_from: String,
    pub target: f64,
    pub amber: f64,
    pub red: f64,
    pub note: String,
    pub set_by: Option<String>,
}

impl From<TargetRow> for Target {
    fn from(r: TargetRow) -> Self {
        Target { effective_from: r.effective_from, target: r.target, amber: r.amber, red: r.red, note: r.note, set_by: r.set_by }
    }
}

/// All targets of a KPI, oldest first.
pub async fn targets<'e>(db: impl SqliteExecutor<'e>, kpi_id: i64) -> Result<Vec<Target>, AppError> {
    let rows: Vec<TargetRow> = sqlx::query_as(
        r#"SELECT t.effective_from, t.target, t.amber, t.red, t.note, u.name AS set_by
           FROM kpi_targets t LEFT JOIN users u ON u.id = t.set_by
           WHERE t.kpi_id = ?1 ORDER BY t.effective_from"#,
    )
    .bind(kpi_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Target::from).collect())
}

pub async fn upsert_target<'e>(db: impl SqliteExecutor<'e>, kpi_id: i64, t: &Target, set_by: Option<i64>) -> Result<(), AppError> {
    sqlx::query(
        r#"INSERT INTO kpi_targets (kpi_id, effective_from, target, amber, red, note, set_by)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
           ON CONFLICT (kpi_id, effective_from) DO UPDATE SET
             target = excluded.target, amber = excluded.amber, red = excluded.red,
             note = excluded.note, set_by = excluded.set_by,
             set_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"#,
    )
    .bind(kpi_id)
    .bind(&t.effective_from)
    .bind(t.target)
    .bind(t.amber)
    .bind(t.red)
    .bind(&t.note)
    .bind(set_by)
    .execute(db)
    .await?;
    Ok(())
}

/// Raw points in [from, to), oldest first. The series comes back as one packed text value:
/// SQLite builds it in C, where thousands of separate rows would each cost a round trip.
pub async fn points<'e>(db: impl SqliteExecutor<'e>, kpi_id: i64, from: i64, to: i64) -> Result<Vec<(i64, f64)>, AppError> {
    let (packed,): (Option<String>,) = sqlx::query_as(
        "SELECT group_concat(ts || ':' || value, ',' ORDER BY ts) FROM measurements WHERE kpi_id = ?1 AND ts >= ?2 AND ts < ?3",
    )
    .bind(kpi_id)
    .bind(from)
    .bind(to)
    .fetch_one(db)
    .await?;
    Ok(unpack(packed.as_deref()))
}

/// Reads `ts:value,ts:value,...` as written by the packed queries.
fn unpack(packed: Option<&str>) -> Vec<(i64, f64)> {
    let Some(text) = packed.filter(|t| !t.is_empty()) else { return Vec::new() };
    text.split(',')
        .filter_map(|pair| {
            let (t, v) = pair.split_once(':')?;
            Some((t.parse().ok()?, v.parse().ok()?))
        })
        .collect()
}

/// Count, sum and the latest value in [from, to), computed by SQLite in one pass.
pub async fn window_stats<'e>(db: impl SqliteExecutor<'e>, kpi_id: i64, from: i64, to: i64) -> Result<(i64, f64), AppError> {
    let (n, total): (i64, Option<f64>) =
        sqlx::query_as("SELECT count(*), sum(value) FROM measurements WHERE kpi_id = ?1 AND ts >= ?2 AND ts < ?3")
            .bind(kpi_id)
            .bind(from)
            .bind(to)
            .fetch_one(db)
            .await?;
    Ok((n, total.unwrap_or(0.0)))
}

/// How many points lie in [from, to), counted from the daily rollups (partial days at the
/// edges are counted whole: this sizes a query, it is not shown).
pub async fn approx_count<'e>(db: impl SqliteExecutor<'e>, kpi_id: i64, from: i64, to: i64) -> Result<i64, AppError> {
    let (n,): (Option<i64>,) = sqlx::query_as(
        "SELECT sum(n) FROM measurement_rollups WHERE kpi_id = ?1 AND width = 86400 AND bucket >= ?2 - 86400 AND bucket < ?3",
    )
    .bind(kpi_id)
    .bind(from)
    .bind(to)
    .fetch_one(db)
    .await?;
    Ok(n.unwrap_or(0))
}

/// Bucket means in [from, to) at `width` seconds (3600 or 86400), packed like `points`.
pub async fn bucket_means<'e>(db: impl SqliteExecutor<'e>, kpi_id: i64, width: i64, from: i64, to: i64) -> Result<Vec<(i64, f64)>, AppError> {
    let (packed,): (Option<String>,) = sqlx::query_as(
        r#"SELECT group_concat(bucket || ':' || (total / n), ',' ORDER BY bucket) FROM measurement_rollups
           WHERE kpi_id = ?1 AND width = ?2 AND bucket >= ?3 AND bucket < ?4"#,
    )
    .bind(kpi_id)
    .bind(width)
    .bind(from)
    .bind(to)
    .fetch_one(db)
    .await?;
    Ok(unpack(packed.as_deref()))
}

/// Sum and count in [from, to) from hourly rollups, for windows too long to read point by point.
pub async fn rollup_sum<'e>(db: impl SqliteExecutor<'e>, kpi_id: i64, from: i64, to: i64) -> Result<(f64, i64), AppError> {
    let (total, n): (Option<f64>, Option<i64>) = sqlx::query_as(
        "SELECT sum(total), sum(n) FROM measurement_rollups WHERE kpi_id = ?1 AND width = 3600 AND bucket >= ?2 AND bucket < ?3",
    )
    .bind(kpi_id)
    .bind(from)
    .bind(to)
    .fetch_one(db)
    .await?;
    Ok((total.unwrap_or(0.0), n.unwrap_or(0)))
}

pub async fn latest_in<'e>(db: impl SqliteExecutor<'e>, kpi_id: i64, from: i64, to: i64) -> Result<Option<(i64, f64)>, AppError> {
    sqlx::query_as("SELECT ts, value FROM measurements WHERE kpi_id = ?1 AND ts >= ?2 AND ts < ?3 ORDER BY ts DESC LIMIT 1")
        .bind(kpi_id)
        .bind(from)
        .bind(to)
        .fetch_optional(db)
        .await.map_err(AppError::from)
}

/// First and last timestamps and the number of points, from the daily rollups.
pub async fn extent<'e>(db: impl SqliteExecutor<'e>, kpi_id: i64) -> Result<(Option<i64>, Option<i64>, i64), AppError> {
    let (first, last, n): (Option<i64>, Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT min(bucket), max(bucket) + 86399, sum(n) FROM measurement_rollups WHERE kpi_id = ?1 AND width = 86400",
    )
    .bind(kpi_id)
    .fetch_one(db)
    .await?;
    Ok((first, last, n.unwrap_or(0)))
}

#[derive(sqlx::FromRow)]
pub struct MeasurementRow {
    pub ts: i64,
    pub value: f64,
    pub source: String,
    pub note: Option<String>,
}

/// One page of measurements, newest first, before `before` (exclusive) when given.
pub async fn measurement_page<'e>(db: impl SqliteExecutor<'e>, kpi_id: i64, before: Option<i64>, limit: i64) -> Result<Vec<MeasurementRow>, AppError> {
    sqlx::query_as(
        "SELECT ts, value, source, note FROM measurements WHERE kpi_id = ?1 AND ts < ?2 ORDER BY ts DESC LIMIT ?3",
    )
    .bind(kpi_id)
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(db)
    .await
    .map_err(AppError::from)
}

pub async fn notes_in<'e>(db: impl SqliteExecutor<'e>, kpi_id: i64, from: i64, to: i64) -> Result<Vec<(i64, f64)>, AppError> {
    sqlx::query_as(
        // Without statistics the planner prefers the primary key and scans the whole series.
        "SELECT ts, value FROM measurements INDEXED BY measurements_with_notes
         WHERE kpi_id = ?1 AND ts >= ?2 AND ts < ?3 AND note IS NOT NULL AND note <> '' ORDER BY ts LIMIT 200",
    )
    .bind(kpi_id)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
    .map_err(AppError::from)
}

/// A point to store. Money values arrive here already as integer minor units.
#[derive(Clone, Debug, PartialEq)]
pub struct NewPoint {
    pub ts: i64,
    pub value: f64,
    pub note: Option<String>,
}

/// Rows per INSERT: 5 parameters each stays well under SQLite's 32,766-parameter limit.
pub const UPSERT_CHUNK: usize = 2000;

/// Stores points, replacing any value already stored at the same timestamp.
pub async fn upsert_points<'e>(db: impl SqliteExecutor<'e>, kpi_id: i64, points: &[NewPoint], source: &str) -> Result<(), AppError> {
    if points.is_empty() {
        return Ok(());
    }
    let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("INSERT INTO measurements (kpi_id, ts, value, source, note) ");
    qb.push_values(points, |mut row, p| {
        row.push_bind(kpi_id).push_bind(p.ts).push_bind(p.value).push_bind(source).push_bind(p.note.as_deref());
    });
    qb.push(" ON CONFLICT (kpi_id, ts) DO UPDATE SET value = excluded.value, source = excluded.source, note = excluded.note");
    qb.build().execute(db).await?;
    Ok(())
}

/// How many of `times` (sorted) already have a stored value: one ordered walk of the stored
/// times in the same range, merged with the file's.
pub async fn count_stored_at(pool: &sqlx::SqlitePool, kpi_id: i64, times: &[i64]) -> Result<u64, AppError> {
    use futures_util::TryStreamExt;
    let (Some(first), Some(last)) = (times.first(), times.last()) else { return Ok(0) };
    let mut stored = sqlx::query_scalar::<_, i64>("SELECT ts FROM measurements WHERE kpi_id = ?1 AND ts BETWEEN ?2 AND ?3 ORDER BY ts")
        .bind(kpi_id)
        .bind(first)
        .bind(last)
        .fetch(pool);
    let (mut count, mut i) = (0u64, 0usize);
    while let Some(ts) = stored.try_next().await? {
        while i < times.len() && times[i] < ts {
            i += 1;
        }
        if i < times.len() && times[i] == ts {
            count += 1;
        }
    }
    Ok(count)
}

/// The measurement stored at exactly `ts`, if any.
pub async fn point_at<'e>(db: impl SqliteExecutor<'e>, kpi_id: i64, ts: i64) -> Result<Option<MeasurementRow>, AppError> {
    sqlx::query_as("SELECT ts, value, source, note FROM measurements WHERE kpi_id = ?1 AND ts = ?2").bind(kpi_id).bind(ts).fetch_optional(db).await.map_err(AppError::from)
}

pub async fn delete_point<'e>(db: impl SqliteExecutor<'e>, kpi_id: i64, ts: i64) -> Result<bool, AppError> {
    let done = sqlx::query("DELETE FROM measurements WHERE kpi_id = ?1 AND ts = ?2").bind(kpi_id).bind(ts).execute(db).await?;
    Ok(done.rows_affected() > 0)
}

/// Deletes a KPI's points in [from, to].
pub async fn delete_points<'e>(db: impl SqliteExecutor<'e>, kpi_id: i64, from: i64, to: i64) -> Result<u64, AppError> {
    let done = sqlx::query("DELETE FROM measurements WHERE kpi_id = ?1 AND ts BETWEEN ?2 AND ?3").bind(kpi_id).bind(from).bind(to).execute(db).await?;
    Ok(done.rows_affected())
}

/// Recomputes the hourly and daily rollups of every bucket that overlaps [from, to].
pub async fn refresh_rollups(tx: &mut sqlx::SqliteConnection, kpi_id: i64, from: i64, to: i64) -> Result<(), AppError> {
    for width in [3600_i64, 86_400] {
        let start = from.div_euclid(width) * width;
        let end = (to.div_euclid(width) + 1) * width;
        sqlx::query("DELETE FROM measurement_rollups WHERE kpi_id = ?1 AND width = ?2 AND bucket >= ?3 AND bucket < ?4")
            .bind(kpi_id)
            .bind(width)
            .bind(start)
            .bind(end)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            r#"INSERT INTO measurement_rollups (kpi_id, width, bucket, n, total, low, high)
               SELECT kpi_id, ?2, (ts / ?2) * ?2 AS b, count(*), sum(value), min(value), max(value)
               FROM measurements WHERE kpi_id = ?1 AND ts >= ?3 AND ts < ?4
               GROUP BY b"#,
        )
        .bind(kpi_id)
        .bind(width)
        .bind(start)
        .bind(end)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

pub async fn bump_version<'e>(db: impl SqliteExecutor<'e>, kpi_id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE kpis SET data_version = data_version + 1 WHERE id = ?1").bind(kpi_id).execute(db).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_series_are_read_back() {
        assert_eq!(unpack(Some("10:1.5,20:-2.0,30:1.0e+15")), vec![(10, 1.5), (20, -2.0), (30, 1.0e15)]);
        assert!(unpack(None).is_empty());
        assert!(unpack(Some("")).is_empty());
    }
}

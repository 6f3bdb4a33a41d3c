//! The bodies of the KPI server functions: scope checks, then service and query calls.

use super::form::{parse_target, KpiForm, KpiInput, TargetInput};
use super::model::{check_timestamp, parse_timestamp, Kpi, Target};
use super::repo::{self, KpiRow, NewPoint};
use super::figures::{self, can_record, can_view, target_at};
use crate::platform::error::refused;
use crate::platform::time::minute as format_ts;
use super::status::{rag, short_of_target, Rag, Window};
use super::view::{ChartRange, DoraRow, DoraView, KpiCard, KpiPage, MeasurementPage, MeasurementRow};
use super::{chart, dora, events};
use crate::access::Role;
use crate::auth::User;
use crate::platform::error::AppError;
use crate::platform::audit::{self, Entry};
use crate::platform::db::{begin_write, now_unix};

pub async fn cards_for(user: &User, window: Window, sparklines: bool) -> Result<Vec<KpiCard>, AppError> {
    let st = crate::platform::state::AppState::current()?;
    let mut conn = st.pool.acquire().await?;
    let rows = repo::visible_kpis(&mut *conn, user.department_id, user.role == Role::Cto).await?;
    let now = now_unix();
    let mut cards = Vec::with_capacity(rows.len());
    for row in rows {
        let kpi = row.into_kpi();
        if can_view(user, &kpi) {
            cards.push(cached_card(&st, &mut conn, &kpi, window, now, sparklines).await?);
        }
    }
    Ok(cards)
}

/// A KPI's card, computed at most once a minute for each version of its data: the Overview and
/// the KPI's own page share it.
async fn cached_card(
    st: &crate::platform::state::AppState,
    conn: &mut sqlx::SqliteConnection,
    kpi: &Kpi,
    window: Window,
    now: i64,
    sparklines: bool,
) -> Result<KpiCard, AppError> {
    let caches = st.part::<crate::kpi::cache::KpiCaches>();
    let key = (kpi.id, kpi.version, window, sparklines, now / 60);
    if let Some(card) = caches.cards.get(&key) {
        return Ok(card);
    }
    let card = figures::card(conn, kpi, window, now, st.config.currency, sparklines).await?;
    caches.cards.put(key, card.clone());
    Ok(card)
}

/// A KPI's page with its first (or `before`'s) page of measurements, so the page is one request
/// and one connection.
pub async fn page(user: &User, key: &str, window: Window, range: ChartRange, before: Option<i64>) -> Result<KpiPage, AppError> {
    let st = crate::platform::state::AppState::current()?;
    let currency = st.config.currency;
    let mut conn = st.pool.acquire().await?;
    let kpi = figures::visible(&mut conn, user, key).await?;
    let now = now_unix();
    let card = cached_card(&st, &mut conn, &kpi, window, now, false).await?;
    let targets = repo::targets(&mut *conn, kpi.id).await?;
    let chart_key = (kpi.id, kpi.version, range, now / 60);
    let chart = match st.part::<crate::kpi::cache::KpiCaches>().charts.get(&chart_key) {
        Some(chart) => chart,
        None => {
            let chart = chart::build(&mut conn, &kpi, &targets, range, now, currency).await?;
            st.part::<crate::kpi::cache::KpiCaches>().charts.put(chart_key, chart.clone());
            chart
        }
    };
    let (first, last, total) = repo::extent(&mut *conn, kpi.id).await?;
    let measurements = measurement_page(&mut conn, user, &kpi, &targets, before, currency).await?;
    let in_force = target_at(&targets, now).map(|t| t.effective_from.clone());
    let fmt = |v: f64| kpi.unit.format(v, currency);
    let target_texts = targets.iter().rev().map(|t| (fmt(t.target), fmt(t.amber), fmt(t.red))).collect();
    Ok(KpiPage {
        can_edit: user.role == Role::Cto,
        can_record: can_record(user, &kpi),
        card,
        chart,
        targets: targets.iter().rev().map(|t| (t.clone(), Some(&t.effective_from) == in_force.as_ref())).collect(),
        target_texts,
        window,
        total_points: total,
        first_at: first.map(|t| format_ts(t)[..10].to_string()),
        last_at: last.map(|t| format_ts(t.min(now))[..10].to_string()),
        now: format_ts(now).replace(' ', "T"),
        measurements,
        kpi,
    })
}

pub const PAGE_SIZE: i64 = 50;

pub async fn measurements(user: &User, key: &str, before: Option<i64>) -> Result<MeasurementPage, AppError> {
    let st = crate::platform::state::AppState::current()?;
    let mut conn = st.pool.acquire().await?;
    let kpi = figures::visible(&mut conn, user, key).await?;
    let targets = repo::targets(&mut *conn, kpi.id).await?;
    measurement_page(&mut conn, user, &kpi, &targets, before, st.config.currency).await
}

/// One page of a KPI's stored measurements, newest first, each judged against the target then
/// in force.
async fn measurement_page(conn: &mut sqlx::SqliteConnection, user: &User, kpi: &Kpi, targets: &[Target], before: Option<i64>, currency: crate::platform::money::Currency) -> Result<MeasurementPage, AppError> {
    let rows = repo::measurement_page(&mut *conn, kpi.id, before, PAGE_SIZE + 1).await?;
    let more = rows.len() as i64 > PAGE_SIZE;
    let rows: Vec<MeasurementRow> = rows
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|m| MeasurementRow {
            ts: m.ts,
            at: format_ts(m.ts),
            value: kpi.unit.format(m.value, currency),
            source: m.source,
            note: m.note,
            rag: target_at(targets, m.ts).map(|t| rag(m.value, t.amber, t.red, kpi.direction)).unwrap_or(Rag::Unrated),
            short: target_at(targets, m.ts).and_then(|t| short_of_target(rag(m.value, t.amber, t.red, kpi.direction), m.value, t.target, kpi.direction)),
        })
        .collect();
    Ok(MeasurementPage { next_before: more.then(|| rows.last().map(|r| r.ts)).flatten(), rows, can_delete: can_record(user, kpi) })
}

pub async fn dora_view(window: Window) -> Result<DoraView, AppError> {
    let st = crate::platform::state::AppState::current()?;
    let mut conn = st.pool.acquire().await?;
    let now = now_unix();
    let from = now - window.days() * dora::DAY;
    let deps = events::deployments(&mut *conn, from, now + 1, None).await?;
    let incs = events::incidents(&mut *conn, from, now + 1, None).await?;
    let all_deps: Vec<_> = deps.iter().map(|(_, d)| d.clone()).collect();
    let all_incs: Vec<_> = incs.iter().map(|(_, i)| i.clone()).collect();
    let overall = dora::compute(&all_deps, &all_incs, from, now + 1);
    let services = events::services(&mut *conn)
        .await?
        .into_iter()
        .map(|service| {
            let d: Vec<_> = deps.iter().filter(|(s, _)| *s == service).map(|(_, d)| d.clone()).collect();
            let i: Vec<_> = incs.iter().filter(|(s, _)| *s == service).map(|(_, i)| i.clone()).collect();
            DoraRow { metrics: dora::compute(&d, &i, from, now + 1), service }
        })
        .collect();
    Ok(DoraView { window, overall, services })
}

/// Loads a KPI the caller may add measurements to.
async fn recordable(conn: &mut sqlx::SqliteConnection, user: &User, key: &str) -> Result<Kpi, AppError> {
    let kpi = figures::visible(conn, user, key).await?;
    if let Some(why) = kpi.derived() {
        return Err(AppError::conflict(why));
    }
    if !can_record(user, &kpi) {
        return Err(refused(AppError::Forbidden));
    }
    Ok(kpi)
}

/// Stores one measurement entered by hand. A time that already has a value is refused unless
/// the person said to replace it: the form keeps its time between entries, and a second entry
/// in the same minute must never silently overwrite the first.
pub async fn add_measurement(user: &User, key: &str, entry: &ManualEntry<'_>) -> Result<(), AppError> {
    let st = crate::platform::state::AppState::current()?;
    let mut conn = st.pool.acquire().await?;
    let kpi = recordable(&mut conn, user, key).await?;
    drop(conn);
    let mut p = crate::platform::error::Problems::default();
    let now = now_unix();
    let ts = p.check("timestamp", parse_timestamp(entry.timestamp).and_then(|t| check_timestamp(t, now)));
    let value = p.check("value", kpi.unit.parse_value(entry.value, st.config.currency));
    let note = entry.note.trim();
    if note.chars().count() > super::csv::NOTE_MAX {
        p.add("note", format!("A note has at most {} characters.", super::csv::NOTE_MAX));
    }
    p.finish()?;
    let point = NewPoint { ts: ts.ok_or(AppError::Internal)?, value: value.ok_or(AppError::Internal)?, note: (!note.is_empty()).then(|| note.to_string()) };
    let mut tx = begin_write(&st.pool).await?;
    let old = repo::point_at(&mut *tx, kpi.id, point.ts).await?;
    if !entry.replace {
        if let Some(old) = &old {
            let value = kpi.unit.format(old.value, st.config.currency);
            let note = old.note.as_ref().map(|n| format!(", note “{n}”")).unwrap_or_default();
            return Err(AppError::field(
                "replace",
                format!("{} UTC already has a value: {value}{note}. Tick “Replace it” and add again to overwrite it, or change the time.", format_ts(point.ts)),
            ));
        }
    }
    repo::upsert_points(&mut *tx, kpi.id, std::slice::from_ref(&point), "manual").await?;
    repo::refresh_rollups(&mut tx, kpi.id, point.ts, point.ts).await?;
    repo::bump_version(&mut *tx, kpi.id).await?;
    let shown = |v: f64| kpi.unit.format(v, st.config.currency);
    Entry::new(&user.actor(), "kpis", "add_measurement")
        .object("kpi", &kpi.key, &kpi.name)
        .change(&format!("value at {} UTC", format_ts(point.ts)), old.as_ref().map(|o| shown(o.value)), Some(shown(point.value)))
        .change("note", old.and_then(|o| o.note), point.note.clone())
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    st.changes.tell(crate::platform::changes::Changed::Kpi(kpi.id));
    Ok(())
}

/// What the measurement form sends.
pub struct ManualEntry<'a> {
    pub timestamp: &'a str,
    pub value: &'a str,
    pub note: &'a str,
    /// The person confirmed replacing a value already stored at that time.
    pub replace: bool,
}

/// Deletes one measurement; its value and time as shown, for the message.
pub async fn delete_measurement(user: &User, key: &str, ts: i64) -> Result<(String, String), AppError> {
    let st = crate::platform::state::AppState::current()?;
    let mut conn = st.pool.acquire().await?;
    let kpi = recordable(&mut conn, user, key).await?;
    drop(conn);
    let mut tx = begin_write(&st.pool).await?;
    let old = repo::point_at(&mut *tx, kpi.id, ts).await?.ok_or(AppError::NotFound)?;
    repo::delete_point(&mut *tx, kpi.id, ts).await?;
    repo::refresh_rollups(&mut tx, kpi.id, ts, ts).await?;
    repo::bump_version(&mut *tx, kpi.id).await?;
    Entry::new(&user.actor(), "kpis", "delete_measurement")
        .object("kpi", &kpi.key, &kpi.name)
        .change(&format!("value at {} UTC", format_ts(ts)), Some(kpi.unit.format(old.value, st.config.currency)), None)
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    st.changes.tell(crate::platform::changes::Changed::Kpi(kpi.id));
    Ok((kpi.unit.format(old.value, st.config.currency), format_ts(ts)))
}

pub async fn commit_import(user: &User, key: &str, token: &str) -> Result<u64, AppError> {
    let st = crate::platform::state::AppState::current()?;
    let mut conn = st.pool.acquire().await?;
    let kpi = recordable(&mut conn, user, key).await?;
    drop(conn);
    let staged = st.part::<crate::kpi::import::Imports>().get(token, user.id).filter(|s| s.kpi_id == kpi.id).ok_or_else(|| {
        AppError::conflict("This upload has expired or was already imported; choose the file again.")
    })?;
    let started = std::time::Instant::now();
    let stored = super::import::commit(&st.pool, &user.actor(), &staged, &kpi, st.config.currency).await;
    st.metrics.import("kpi_csv", if stored.is_ok() { "stored" } else { "failed" }, started.elapsed());
    let stored = stored?;
    st.part::<crate::kpi::import::Imports>().remove(token);
    st.changes.tell(crate::platform::changes::Changed::Kpi(kpi.id));
    tracing::info!(key = %kpi.key, rows = stored, user_id = user.id, "CSV import committed");
    Ok(stored)
}

pub async fn form_for(key: &str) -> Result<KpiForm, AppError> {
    let st = crate::platform::state::AppState::current()?;
    let currency = st.config.currency;
    let departments = crate::admin::service::departments(&st.pool, None).await?.into_iter().map(|d| (d.id, d.name)).collect();
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    if key.is_empty() {
        return Ok(KpiForm {
            is_new: true,
            category: "delivery".into(),
            unit: "count".into(),
            direction: "higher".into(),
            aggregation: "last".into(),
            departments,
            today,
            ..Default::default()
        });
    }
    let mut conn = st.pool.acquire().await?;
    let kpi = repo::kpi_by_key(&mut *conn, key).await?.ok_or(AppError::NotFound)?.into_kpi();
    let (_, _, count) = repo::extent(&mut *conn, kpi.id).await?;
    let targets = repo::targets(&mut *conn, kpi.id).await?;
    let fmt = |v: f64| kpi.unit.format(v, currency);
    Ok(KpiForm {
        is_new: false,
        key: kpi.key.clone(),
        name: kpi.name.clone(),
        description: kpi.description.clone(),
        formula: kpi.formula.clone(),
        category: kpi.category.as_str().into(),
        unit: kpi.unit.as_str().into(),
        direction: kpi.direction.as_str().into(),
        aggregation: kpi.aggregation.as_str().into(),
        computed: kpi.computed.map(|c| c.as_str().to_string()).unwrap_or_default(),
        owner: kpi.owner.clone(),
        department: kpi.department_id.map(|d| d.to_string()).unwrap_or_default(),
        investor_visible: kpi.investor_visible,
        has_data: count > 0,
        kept: kpi.kept_by.is_some(),
        departments,
        targets: targets
            .iter()
            .rev()
            .map(|t| (t.effective_from.clone(), fmt(t.target), fmt(t.amber), fmt(t.red), t.note.clone(), t.set_by.clone().unwrap_or_default()))
            .collect(),
        today,
    })
}

pub async fn save(cto: &User, original_key: &str, input: KpiInput) -> Result<String, AppError> {
    let st = crate::platform::state::AppState::current()?;
    let v = input.parse(st.config.currency)?;
    let mut tx = begin_write(&st.pool).await?;
    let id = write(&mut tx, cto, original_key, &v, None).await?;
    tx.commit().await?;
    st.changes.tell(crate::platform::changes::Changed::Kpi(id));
    Ok(v.key)
}

/// Creates or updates a KPI in the caller's transaction; its id. `kept_by` marks a new KPI as
/// written by another part of Northstar (a cost per unit); an update keeps the mark it has.
pub async fn write(tx: &mut sqlx::SqliteConnection, cto: &User, original_key: &str, v: &super::form::ValidKpi, kept_by: Option<&str>) -> Result<i64, AppError> {
    if let Some(dept) = v.department_id {
        let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM departments WHERE id = ?1").bind(dept).fetch_optional(&mut *tx).await?;
        found.ok_or_else(|| AppError::field("department", "That department does not exist."))?;
    }
    let existing = match original_key {
        "" => None,
        k => Some(repo::kpi_by_key(&mut *tx, k).await?.ok_or(AppError::NotFound)?.into_kpi()),
    };
    let before = match &existing {
        Some(old) => audit::row(&mut *tx, "kpis", old.id).await?,
        None => None,
    };
    if let Some(old) = &existing {
        if old.key != v.key {
            return Err(AppError::field("key", "A key cannot change: API clients and imports refer to it."));
        }
        if old.unit != v.unit && repo::extent(&mut *tx, old.id).await?.2 > 0 {
            return Err(AppError::field("unit", "The unit cannot change once measurements exist; create a new KPI instead."));
        }
        if old.kept_by.is_some() && (old.unit != v.unit || v.computed.is_some()) {
            return Err(AppError::field("unit", "Northstar writes this KPI's values (a cost per unit, a survey's score or a response time); its unit and source cannot change."));
        }
    }
    let result = sqlx::query(
        r#"INSERT INTO kpis (key, name, description, formula, category, unit, direction, aggregation,
                             owner, department_id, investor_visible, computed, kept_by)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?14)
           ON CONFLICT (key) DO UPDATE SET
             name = excluded.name, description = excluded.description, formula = excluded.formula,
             category = excluded.category, unit = excluded.unit, direction = excluded.direction,
             aggregation = excluded.aggregation, owner = excluded.owner,
             department_id = excluded.department_id, investor_visible = excluded.investor_visible,
             computed = excluded.computed, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
           WHERE ?13"#,
    )
    .bind(&v.key)
    .bind(&v.name)
    .bind(&v.description)
    .bind(&v.formula)
    .bind(v.category)
    .bind(v.unit)
    .bind(v.direction)
    .bind(v.aggregation)
    .bind(&v.owner)
    .bind(v.department_id)
    .bind(v.investor_visible)
    .bind(v.computed)
    .bind(existing.is_some())
    .bind(kept_by)
    .execute(&mut *tx)
    .await;
    match result {
        Ok(done) if done.rows_affected() == 0 => return Err(AppError::field("key", format!("A KPI with the key {} already exists.", v.key))),
        Ok(_) => {}
        Err(e) if crate::auth::repo::is_unique_violation(&e) => {
            return Err(AppError::field("computed", "Another KPI already computes this DORA metric."));
        }
        Err(e) => return Err(e.into()),
    }
    let row: KpiRow = repo::kpi_by_key(&mut *tx, &v.key).await?.ok_or(AppError::Internal)?;
    repo::bump_version(&mut *tx, row.id).await?;
    if let Some((target, amber, red)) = v.target {
        let t = super::model::Target {
            effective_from: "1970-01-01".into(),
            target,
            amber,
            red,
            note: "Set when the KPI was created".into(),
            set_by: None,
        };
        repo::upsert_target(&mut *tx, row.id, &t, Some(cto.id)).await?;
    }
    if v.computed.is_some() {
        events::refresh_computed(&mut *tx, 0, now_unix()).await?;
    }
    let verb = if existing.is_some() { "update_kpi" } else { "create_kpi" };
    Entry::new(&cto.actor(), "kpis", verb)
        .object("kpi", &v.key, &v.name)
        .diff(before.as_ref(), audit::row(&mut *tx, "kpis", row.id).await?.as_ref())
        .record(&mut *tx)
        .await?;
    Ok(row.id)
}

pub async fn delete(cto: &User, key: &str) -> Result<(), AppError> {
    let st = crate::platform::state::AppState::current()?;
    let mut tx = begin_write(&st.pool).await?;
    let id = repo::kpi_by_key(&mut *tx, key).await?.ok_or(AppError::NotFound)?.id;
    let before = audit::row(&mut tx, "kpis", id).await?;
    sqlx::query("DELETE FROM kpis WHERE id = ?1").bind(id).execute(&mut *tx).await?;
    let name = audit::value(before.as_ref(), "name");
    Entry::new(&cto.actor(), "kpis", "delete_kpi").object("kpi", key, name).diff(before.as_ref(), None).record(&mut tx).await?;
    tx.commit().await?;
    st.changes.tell(crate::platform::changes::Changed::Kpi(id));
    Ok(())
}

pub async fn set_target(cto: &User, key: &str, input: &TargetInput) -> Result<(), AppError> {
    let st = crate::platform::state::AppState::current()?;
    let mut tx = begin_write(&st.pool).await?;
    let kpi = repo::kpi_by_key(&mut *tx, key).await?.ok_or(AppError::NotFound)?.into_kpi();
    let t = parse_target(kpi.unit, kpi.direction, st.config.currency, input)?;
    let old = repo::targets(&mut *tx, kpi.id).await?.into_iter().find(|o| o.effective_from == t.effective_from);
    repo::upsert_target(&mut *tx, kpi.id, &t, Some(cto.id)).await?;
    repo::bump_version(&mut *tx, kpi.id).await?;
    let shown = |v: f64| kpi.unit.format(v, st.config.currency);
    Entry::new(&cto.actor(), "kpis", "set_target")
        .object("kpi", key, &kpi.name)
        .change("effective from", None, Some(t.effective_from.clone()))
        .change("target", old.as_ref().map(|o| shown(o.target)), Some(shown(t.target)))
        .change("amber", old.as_ref().map(|o| shown(o.amber)), Some(shown(t.amber)))
        .change("red", old.as_ref().map(|o| shown(o.red)), Some(shown(t.red)))
        .change("note", old.map(|o| o.note), Some(t.note.clone()))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    st.changes.tell(crate::platform::changes::Changed::Kpi(kpi.id));
    Ok(())
}

//! Response times kept as KPIs: once the CTO asks, the time to first answer and the time to
//! close each have a KPI with one value a month (the median of the items answered, or closed,
//! that month), with a target, status, alerts and history like any KPI. They are written again
//! in the transaction of every answer, so a KPI never disagrees with the feedback page.

use super::super::model::{monthly_medians, Measure};
use crate::auth::User;
use crate::kpi::figures::NewPoint;
use crate::kpi::form::KpiInput;
use crate::platform::audit::Entry;
use crate::platform::changes::Changed;
use crate::platform::db::begin_write;
use crate::platform::error::AppError;
use crate::platform::state::AppState;
use sqlx::SqliteConnection;

/// What `kpis.kept_by` says of a response time.
pub const KEPT_BY: &str = "feedback";

/// The measures kept, with their KPI's id and key.
pub(crate) async fn kept(db: &mut SqliteConnection) -> Result<Vec<(Measure, i64, String)>, AppError> {
    let rows: Vec<(Measure, i64, String)> =
        sqlx::query_as("SELECT f.measure, f.kpi_id, k.key FROM feedback_kpis f JOIN kpis k ON k.id = f.kpi_id ORDER BY f.measure DESC").fetch_all(db).await?;
    Ok(rows)
}

/// Keeps each response time not kept yet in a new KPI, filled from every answered item; how
/// many KPIs it made.
pub async fn keep(st: &AppState, cto: &User) -> Result<usize, AppError> {
    let mut tx = begin_write(&st.pool).await?;
    let made = keep_in(&mut tx, cto).await?;
    let changed = refresh(&mut tx).await?;
    if !made.is_empty() {
        let names: Vec<&str> = made.iter().map(|m| m.label()).collect();
        Entry::new(&cto.actor(), "feedback", "keep_response_kpis").detail(names.join(", ")).record(&mut tx).await?;
    }
    tx.commit().await?;
    for kpi in changed {
        st.changes.tell(Changed::Kpi(kpi));
    }
    Ok(made.len())
}

/// Creates the KPIs of the measures not kept, in the caller's transaction; which it made.
pub(crate) async fn keep_in(tx: &mut SqliteConnection, cto: &User) -> Result<Vec<Measure>, AppError> {
    let kept: Vec<Measure> = kept(&mut *tx).await?.into_iter().map(|k| k.0).collect();
    let mut made = Vec::new();
    for m in Measure::ALL.iter().copied().filter(|m| !kept.contains(m)) {
        // A KPI of the CTO's may have the key already; the kept one then takes another.
        let taken: i64 = sqlx::query_scalar("SELECT count(*) FROM kpis WHERE key = ?1").bind(m.key()).fetch_one(&mut *tx).await?;
        let key = if taken > 0 { format!("{}-kept", m.key()) } else { m.key().to_string() };
        let (unit, _) = m.unit();
        let (target, amber, red) = m.default_target();
        let (what, when) = match m {
            Measure::FirstAnswer => ("from filing to the CTO's first answer or move", "answered"),
            Measure::Close => ("from filing to done or declined", "closed"),
        };
        let form = KpiInput {
            key,
            name: m.label().into(),
            description: format!("How long feedback items take {what}: each month's median over the items {when} that month. Kept by Northstar from the feedback."),
            formula: format!("Median time of the items {when} in the month"),
            category: "people".into(),
            unit: unit.into(),
            direction: "lower".into(),
            aggregation: "last".into(),
            computed: String::new(),
            owner: cto.name.clone(),
            department: String::new(),
            investor_visible: false,
            target: target.into(),
            amber: amber.into(),
            red: red.into(),
        };
        // A time has no currency; any one parses it.
        let valid = form.parse(crate::platform::money::CURRENCIES[0])?;
        let kpi = crate::kpi::service::write(&mut *tx, cto, "", &valid, Some(KEPT_BY)).await?;
        sqlx::query("INSERT INTO feedback_kpis (measure, kpi_id) VALUES (?1, ?2)").bind(m.as_str()).bind(kpi).execute(&mut *tx).await?;
        made.push(m);
    }
    Ok(made)
}

/// Writes each kept KPI again from every item; the KPIs whose values changed.
pub(crate) async fn refresh(tx: &mut SqliteConnection) -> Result<Vec<i64>, AppError> {
    let mut changed = Vec::new();
    for (m, kpi, _) in kept(&mut *tx).await? {
        let sql = match m {
            Measure::FirstAnswer => "SELECT answered_at, answered_at - created_at FROM feedback_items WHERE answered_at IS NOT NULL",
            Measure::Close => "SELECT closed_at, closed_at - created_at FROM feedback_items WHERE closed_at IS NOT NULL",
        };
        let times: Vec<(i64, i64)> = sqlx::query_as(sql).fetch_all(&mut *tx).await?;
        let points: Vec<NewPoint> = monthly_medians(&times, m.unit().1)
            .into_iter()
            .map(|v| NewPoint { ts: v.month, value: v.value, note: Some(if v.items == 1 { "1 item".into() } else { format!("{} items", v.items) }) })
            .collect();
        if crate::kpi::figures::replace_kept(&mut *tx, kpi, &points).await? {
            changed.push(kpi);
        }
    }
    Ok(changed)
}

//! Deployment and incident events, and the DORA KPIs computed from them.
//!
//! Events are the source of truth. The four DORA KPIs also get one computed measurement per
//! day, refreshed whenever events for that day arrive, so their charts and history work like
//! any other KPI's; their status over a window is computed from the events themselves.

use super::dora::{self, DAY};
use super::model::{Computed, Severity};
use super::repo::{self, NewPoint};
use crate::platform::error::AppError;
use sqlx::{SqliteConnection, SqliteExecutor};

#[derive(Clone, Debug, PartialEq)]
pub struct DeploymentInput {
    pub service: String,
    pub deployed_at: i64,
    pub succeeded: bool,
    pub lead_times: Vec<i64>,
    pub external_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum DeploymentRef {
    Id(i64),
    External(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct IncidentInput {
    pub service: String,
    pub title: String,
    pub severity: Severity,
    pub started_at: i64,
    pub resolved_at: Option<i64>,
    pub caused_by: Option<DeploymentRef>,
    pub external_id: Option<String>,
}

/// Stores a deployment; the same (service, id) again replaces the earlier report.
pub async fn record_deployment(tx: &mut SqliteConnection, d: &DeploymentInput) -> Result<i64, AppError> {
    let existing: Option<(i64, i64)> = match &d.external_id {
        Some(ext) => sqlx::query_as("SELECT id, deployed_at FROM deployments WHERE service = ?1 AND external_id = ?2")
            .bind(&d.service)
            .bind(ext)
            .fetch_optional(&mut *tx)
            .await?,
        None => None,
    };
    let id = match existing {
        Some((id, _)) => {
            sqlx::query("UPDATE deployments SET deployed_at = ?2, succeeded = ?3 WHERE id = ?1")
                .bind(id)
                .bind(d.deployed_at)
                .bind(d.succeeded)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM deployment_changes WHERE deployment_id = ?1").bind(id).execute(&mut *tx).await?;
            id
        }
        None => {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO deployments (service, deployed_at, succeeded, external_id) VALUES (?1, ?2, ?3, ?4) RETURNING id",
            )
            .bind(&d.service)
            .bind(d.deployed_at)
            .bind(d.succeeded)
            .bind(&d.external_id)
            .fetch_one(&mut *tx)
            .await?;
            id
        }
    };
    for lead in &d.lead_times {
        sqlx::query("INSERT INTO deployment_changes (deployment_id, lead_time_secs) VALUES (?1, ?2)")
            .bind(id)
            .bind(lead)
            .execute(&mut *tx)
            .await?;
    }
    // An update may have moved the deployment to another day; refresh the old day too.
    if let Some((_, old_at)) = existing {
        refresh_computed(tx, old_at, old_at).await?;
    }
    Ok(id)
}

/// Stores an incident; the same (service, id) again updates it (to resolve it, say).
/// Returns the incident id, or an error naming `deployment_id` when the cause is unknown.
pub async fn record_incident(tx: &mut SqliteConnection, i: &IncidentInput) -> Result<i64, AppError> {
    let deployment_id = match &i.caused_by {
        None => None,
        Some(DeploymentRef::Id(id)) => {
            let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM deployments WHERE id = ?1").bind(id).fetch_optional(&mut *tx).await?;
            Some(found.ok_or_else(|| AppError::field("deployment_id", format!("There is no deployment {id}.")))?.0)
        }
        Some(DeploymentRef::External(ext)) => {
            let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM deployments WHERE service = ?1 AND external_id = ?2")
                .bind(&i.service)
                .bind(ext)
                .fetch_optional(&mut *tx)
                .await?;
            Some(found.ok_or_else(|| AppError::field("deployment_id", format!("{} has no deployment “{ext}”.", i.service)))?.0)
        }
    };
    let existing: Option<(i64,)> = match &i.external_id {
        Some(ext) => sqlx::query_as("SELECT id FROM incidents WHERE service = ?1 AND external_id = ?2")
            .bind(&i.service)
            .bind(ext)
            .fetch_optional(&mut *tx)
            .await?,
        None => None,
    };
    let id = match existing {
        Some((id,)) => {
            sqlx::query(
                r#"UPDATE incidents SET title = ?2, severity = ?3, started_at = ?4, resolved_at = ?5,
                   deployment_id = ?6 WHERE id = ?1"#,
            )
            .bind(id)
            .bind(&i.title)
            .bind(i.severity)
            .bind(i.started_at)
            .bind(i.resolved_at)
            .bind(deployment_id)
            .execute(&mut *tx)
            .await?;
            id
        }
        None => {
            let (id,): (i64,) = sqlx::query_as(
                r#"INSERT INTO incidents (service, title, severity, started_at, resolved_at, deployment_id, external_id)
                   VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id"#,
            )
            .bind(&i.service)
            .bind(&i.title)
            .bind(i.severity)
            .bind(i.started_at)
            .bind(i.resolved_at)
            .bind(deployment_id)
            .bind(&i.external_id)
            .fetch_one(&mut *tx)
            .await?;
            id
        }
    };
    if let Some(dep) = deployment_id {
        let (at,): (i64,) = sqlx::query_as("SELECT deployed_at FROM deployments WHERE id = ?1").bind(dep).fetch_one(&mut *tx).await?;
        refresh_computed(tx, at, at).await?;
    }
    Ok(id)
}

/// Deployments in [from, to) with their changes' lead times and whether an incident blames them.
pub async fn deployments<'e>(db: impl SqliteExecutor<'e>, from: i64, to: i64, service: Option<&str>) -> Result<Vec<(String, dora::Deployment)>, sqlx::Error> {
    let rows: Vec<(String, i64, bool, bool, Option<String>)> = sqlx::query_as(
        r#"SELECT d.service, d.deployed_at, d.succeeded,
                  EXISTS (SELECT 1 FROM incidents i WHERE i.deployment_id = d.id),
                  (SELECT group_concat(c.lead_time_secs) FROM deployment_changes c WHERE c.deployment_id = d.id)
           FROM deployments d
           WHERE d.deployed_at >= ?1 AND d.deployed_at < ?2 AND (?3 IS NULL OR d.service = ?3)
           ORDER BY d.deployed_at"#,
    )
    .bind(from)
    .bind(to)
    .bind(service)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(service, at, ok, caused, leads)| {
            let change_lead_times = leads.map(|l| l.split(',').filter_map(|v| v.parse().ok()).collect()).unwrap_or_default();
            (service, dora::Deployment { deployed_at: at, succeeded: ok, caused_incident: caused, change_lead_times })
        })
        .collect())
}

/// Incidents resolved in [from, to), and those still open that started before `to`.
pub async fn incidents<'e>(db: impl SqliteExecutor<'e>, from: i64, to: i64, service: Option<&str>) -> Result<Vec<(String, dora::Incident)>, sqlx::Error> {
    let rows: Vec<(String, i64, Option<i64>)> = sqlx::query_as(
        r#"SELECT service, started_at, resolved_at FROM incidents
           WHERE ((resolved_at >= ?1 AND resolved_at < ?2) OR (resolved_at IS NULL AND started_at < ?2))
             AND (?3 IS NULL OR service = ?3)
           ORDER BY started_at"#,
    )
    .bind(from)
    .bind(to)
    .bind(service)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(s, started_at, resolved_at)| (s, dora::Incident { started_at, resolved_at })).collect())
}

/// Which events a KPI's chart marks: those that can explain its line, not the whole company's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum EventScope {
    /// Delivery metrics come from every deployment and incident.
    All,
    /// Events of the systems a department owns (an event's service is a system's key).
    Department(i64),
    /// A company-wide KPI: only the incidents serious enough to move company figures.
    MajorIncidents,
}

impl EventScope {
    pub fn of(kpi: &super::model::Kpi) -> EventScope {
        match (kpi.computed, kpi.department_id) {
            (Some(_), _) => EventScope::All,
            (None, Some(d)) => EventScope::Department(d),
            (None, None) => EventScope::MajorIncidents,
        }
    }

    /// (all, department, sev1 only) as SQL parameters.
    fn binds(self) -> (bool, Option<i64>, bool) {
        match self {
            EventScope::All => (true, None, false),
            EventScope::Department(d) => (false, Some(d), false),
            EventScope::MajorIncidents => (false, None, true),
        }
    }
}

/// Incident spans overlapping [from, to) within `scope`, for chart shading.
pub async fn incident_spans<'e>(db: impl SqliteExecutor<'e>, from: i64, to: i64, now: i64, scope: EventScope) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let (all, department, major) = scope.binds();
    sqlx::query_as(
        "SELECT started_at, coalesce(resolved_at, ?3) FROM incidents i
         WHERE started_at < ?2 AND coalesce(resolved_at, ?3) >= ?1
           AND (?4 OR (?6 AND i.severity = 'sev1')
                OR i.service IN (SELECT key FROM systems WHERE department_id = ?5))
         ORDER BY started_at LIMIT 500",
    )
    .bind(from)
    .bind(to)
    .bind(now)
    .bind(all)
    .bind(department)
    .bind(major)
    .fetch_all(db)
    .await
}

/// Deployment times in [from, to) within `scope`; a company-wide KPI marks none.
pub async fn deployment_times<'e>(db: impl SqliteExecutor<'e>, from: i64, to: i64, scope: EventScope) -> Result<Vec<i64>, sqlx::Error> {
    let (all, department, _) = scope.binds();
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT deployed_at FROM deployments
         WHERE deployed_at >= ?1 AND deployed_at < ?2
           AND (?3 OR service IN (SELECT key FROM systems WHERE department_id = ?4))
         ORDER BY deployed_at LIMIT 2000",
    )
    .bind(from)
    .bind(to)
    .bind(all)
    .bind(department)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn services<'e>(db: impl SqliteExecutor<'e>) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT service FROM deployments UNION SELECT service FROM incidents ORDER BY 1")
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The value of a computed KPI over [from, to), straight from the events.
pub fn computed_value(metric: Computed, m: &dora::Metrics) -> Option<f64> {
    match metric {
        Computed::DeploymentFrequency => (m.deployments > 0).then_some(m.deploys_per_day),
        Computed::LeadTime => m.lead_time_hours,
        Computed::ChangeFailureRate => m.change_failure_rate,
        Computed::TimeToRestore => m.time_to_restore_hours,
    }
}

/// Recomputes the daily measurements of the DORA KPIs for every day touching [from, to].
///
/// Each day's figures come from the events of that day alone (found by binary search in the
/// sorted events), and the old points of the range go in one delete, so the cost follows the
/// events and the days rather than their product: the stored times are range-checked, so the
/// range spans at most the years since 1970.
pub async fn refresh_computed(tx: &mut SqliteConnection, from: i64, to: i64) -> Result<(), AppError> {
    let kpis = repo::computed_kpis(&mut *tx).await?;
    if kpis.is_empty() {
        return Ok(());
    }
    let first_day = from.div_euclid(DAY) * DAY;
    let last_day = to.div_euclid(DAY) * DAY;
    let deps: Vec<dora::Deployment> = deployments(&mut *tx, first_day, last_day + DAY, None).await?.into_iter().map(|(_, d)| d).collect();
    let mut resolved: Vec<dora::Incident> = incidents(&mut *tx, first_day, last_day + DAY, None)
        .await?
        .into_iter()
        .map(|(_, i)| i)
        .filter(|i| i.resolved_at.is_some())
        .collect();
    resolved.sort_by_key(|i| i.resolved_at);
    let (first_deploy,): (Option<i64>,) = sqlx::query_as("SELECT min(deployed_at) FROM deployments").fetch_one(&mut *tx).await?;
    let mut days = Vec::new();
    let mut day = first_day;
    while day <= last_day {
        let end = day + DAY;
        let (d0, d1) = (deps.partition_point(|d| d.deployed_at < day), deps.partition_point(|d| d.deployed_at < end));
        let (i0, i1) = (resolved.partition_point(|i| i.resolved_at < Some(day)), resolved.partition_point(|i| i.resolved_at < Some(end)));
        // Days after the first deployment count zero deployments; other days without events
        // have no figures at all.
        if d0 < d1 || i0 < i1 || first_deploy.is_some_and(|f| end > f) {
            days.push((day, dora::compute(&deps[d0..d1], &resolved[i0..i1], day, end)));
        }
        day = end;
    }
    for (kpi_id, name) in kpis {
        let Some(metric) = Computed::parse(&name) else { continue };
        let keep: Vec<NewPoint> = days
            .iter()
            .filter_map(|(day, m)| {
                let value = match metric {
                    Computed::DeploymentFrequency => first_deploy.filter(|f| day + DAY > *f).map(|_| m.deployments as f64),
                    other => computed_value(other, m),
                };
                value.map(|v| NewPoint { ts: *day, value: (v * 1000.0).round() / 1000.0, note: None })
            })
            .collect();
        repo::delete_points(&mut *tx, kpi_id, first_day, last_day).await?;
        for chunk in keep.chunks(repo::UPSERT_CHUNK) {
            repo::upsert_points(&mut *tx, kpi_id, chunk, "computed").await?;
        }
        repo::refresh_rollups(&mut *tx, kpi_id, first_day, last_day + DAY - 1).await?;
        repo::bump_version(&mut *tx, kpi_id).await?;
    }
    Ok(())
}

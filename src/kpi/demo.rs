//! Demo KPIs: a realistic catalogue with two years of history and delivery events, generated
//! from a fixed seed so every demo shows the same company.

use crate::platform::error::AppError;
use crate::kpi::dora::{DAY, HOUR};
use crate::kpi::events::{self, DeploymentInput, DeploymentRef, IncidentInput};
use crate::kpi::model::{Severity, Target};
use crate::kpi::repo::{self, NewPoint};
use crate::kpi::figures;
use crate::platform::db::begin_write;
use crate::platform::noise::Noise;
use sqlx::SqlitePool;

struct Spec {
    key: &'static str,
    name: &'static str,
    description: &'static str,
    formula: &'static str,
    category: &'static str,
    unit: &'static str,
    direction: &'static str,
    aggregation: &'static str,
    owner: &'static str,
    department: Option<&'static str>,
    investor: bool,
    computed: Option<&'static str>,
    /// (days before today the target starts, or None for the beginning; target, amber, red)
    targets: &'static [(Option<i64>, f64, f64, f64)],
    /// Days between measurements (0 for computed KPIs).
    every: i64,
}

const SPECS: &[Spec] = &[
    Spec { key: "deployment-frequency", name: "Deployment frequency", description: "How often code reaches production, across all services.", formula: "Deployments per day over the period", category: "delivery", unit: "per_day", direction: "higher", aggregation: "mean", owner: "Head of Platform", department: None, investor: true, computed: Some("deployment_frequency"), targets: &[(None, 2.0, 1.0, 0.5)], every: 0 },
    Spec { key: "lead-time", name: "Lead time for changes", description: "Time from a change being committed to it running in production.", formula: "Median over changes of (deployed at − committed at)", category: "delivery", unit: "hours", direction: "lower", aggregation: "median", owner: "Head of Platform", department: None, investor: true, computed: Some("lead_time"), targets: &[(None, 48.0, 72.0, 120.0), (Some(365), 24.0, 36.0, 72.0)], every: 0 },
    Spec { key: "change-failure-rate", name: "Change failure rate", description: "Share of deployments that failed or caused an incident.", formula: "(failed deployments + deployments blamed by an incident) / deployments", category: "delivery", unit: "percent", direction: "lower", aggregation: "mean", owner: "Head of Platform", department: None, investor: true, computed: Some("change_failure_rate"), targets: &[(None, 10.0, 15.0, 25.0)], every: 0 },
    Spec { key: "time-to-restore", name: "Time to restore service", description: "How long production incidents last.", formula: "Median of (resolved at − started at) over incidents resolved in the period", category: "reliability", unit: "hours", direction: "lower", aggregation: "median", owner: "Head of Operations", department: None, investor: true, computed: Some("time_to_restore"), targets: &[(None, 1.0, 4.0, 24.0)], every: 0 },
    Spec { key: "availability", name: "Availability", description: "Share of time the customer-facing platform answered its health checks.", formula: "(time − unplanned downtime) / time, per day", category: "reliability", unit: "percent", direction: "higher", aggregation: "mean", owner: "Head of Operations", department: None, investor: true, computed: None, targets: &[(None, 99.5, 99.5, 99.0), (Some(365), 99.9, 99.9, 99.5)], every: 1 },
    Spec { key: "mttr", name: "Mean time to recovery (all incidents)", description: "Average recovery time over every incident, internal systems included, reported weekly by Operations.", formula: "Sum of incident durations / number of incidents, per week", category: "reliability", unit: "hours", direction: "lower", aggregation: "mean", owner: "Daniel Okafor", department: Some("Operations"), investor: false, computed: None, targets: &[(None, 4.0, 4.0, 8.0)], every: 7 },
    Spec { key: "p95-latency", name: "API p95 latency", description: "95th percentile response time of the public API.", formula: "Daily p95 of request duration at the load balancer", category: "reliability", unit: "ms", direction: "lower", aggregation: "median", owner: "Priya Raman", department: Some("Engineering"), investor: false, computed: None, targets: &[(None, 300.0, 300.0, 400.0)], every: 1 },
    Spec { key: "ci-duration", name: "CI pipeline duration", description: "Median time from push to a green build on the main branch.", formula: "Median pipeline duration per day", category: "delivery", unit: "minutes", direction: "lower", aggregation: "median", owner: "Priya Raman", department: Some("Engineering"), investor: false, computed: None, targets: &[(None, 10.0, 10.0, 15.0)], every: 1 },
    Spec { key: "regretted-attrition", name: "Regretted attrition", description: "Annualised share of engineers we wanted to keep who left.", formula: "Regretted leavers over the last 12 months / average headcount", category: "people", unit: "percent", direction: "lower", aggregation: "last", owner: "Alex Morgan", department: None, investor: false, computed: None, targets: &[(None, 8.0, 10.0, 15.0)], every: 30 },
    Spec { key: "engineering-enps", name: "Engineering eNPS", description: "Employee net promoter score from the quarterly engineering survey.", formula: "% promoters − % detractors", category: "people", unit: "score", direction: "higher", aggregation: "last", owner: "Priya Raman", department: Some("Engineering"), investor: false, computed: None, targets: &[(None, 30.0, 20.0, 0.0)], every: 91 },
    Spec { key: "weekly-active-users", name: "Weekly active users", description: "Distinct customers using the product in the last seven days.", formula: "Distinct user ids with a session in the trailing 7 days", category: "product", unit: "count", direction: "higher", aggregation: "last", owner: "Head of Product", department: None, investor: true, computed: None, targets: &[(None, 20000.0, 18000.0, 15000.0), (Some(300), 30000.0, 25000.0, 20000.0)], every: 7 },
    Spec { key: "oncall-pages", name: "On-call pages", description: "Pages that woke someone up; the sum over the period.", formula: "Count of pages per day, summed over the period", category: "reliability", unit: "count", direction: "lower", aggregation: "sum", owner: "Daniel Okafor", department: Some("Operations"), investor: false, computed: None, targets: &[(None, 40.0, 40.0, 60.0)], every: 1 },
];

const HISTORY_DAYS: i64 = 730;

/// The value of a demo KPI `age` days before today, with a few stories built in.
fn value(key: &str, age: i64, n: &mut Noise) -> (f64, Option<&'static str>) {
    let t = 1.0 - age as f64 / HISTORY_DAYS as f64; // 0 two years ago, 1 today
    match key {
        "availability" => match age {
            200 => (98.7, Some("Database failover took the API down for 18 minutes")),
            45 => (99.2, Some("CDN misconfiguration after the edge migration")),
            _ => ((99.95 + n.gauss() * 0.03).min(100.0), None),
        },
        "mttr" => ((5.5 - 2.5 * t + n.gauss() * 0.8).max(0.5), None),
        "p95-latency" => {
            let regression = if age < 21 { 75.0 } else { 0.0 };
            (260.0 + regression + n.gauss() * 18.0 - 20.0 * t, if age == 20 { Some("Search service rollout") } else { None })
        }
        "ci-duration" => (9.0 + 5.0 * t + n.gauss() * 1.0, None),
        "regretted-attrition" => (9.5 - 2.5 * t + n.gauss() * 0.6, None),
        "engineering-enps" => ((18.0 + 16.0 * t + n.gauss() * 4.0).round(), None),
        "weekly-active-users" => ((12_000.0 * (1.0 + 1.6 * t * t) + n.gauss() * 400.0).round(), None),
        "oncall-pages" => ((1.8 - 0.6 * t + n.gauss() * 1.2).round().max(0.0), None),
        _ => (0.0, None),
    }
}

fn today_start(now: i64) -> i64 {
    now.div_euclid(DAY) * DAY
}

pub async fn seed(pool: &SqlitePool, now: i64) -> Result<(), AppError> {
    let today = today_start(now);
    for spec in SPECS {
        if repo::kpi_by_key(pool, spec.key).await?.is_some() {
            continue;
        }
        let department_id = match spec.department {
            Some(name) => crate::auth::repo::department_id_by_name(pool, name).await?,
            None => None,
        };
        let mut tx = begin_write(pool).await?;
        let (id,): (i64,) = sqlx::query_as(
            r#"INSERT INTO kpis (key, name, description, formula, category, unit, direction, aggregation,
                                 owner, department_id, investor_visible, computed)
               VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id"#,
        )
        .bind(spec.key)
        .bind(spec.name)
        .bind(spec.description)
        .bind(spec.formula)
        .bind(spec.category)
        .bind(spec.unit)
        .bind(spec.direction)
        .bind(spec.aggregation)
        .bind(spec.owner)
        .bind(department_id)
        .bind(spec.investor)
        .bind(spec.computed)
        .fetch_one(&mut *tx)
        .await?;
        for (ago, target, amber, red) in spec.targets {
            let from = match ago {
                None => "1970-01-01".to_string(),
                Some(days) => crate::platform::time::minute(today - days * DAY)[..10].to_string(),
            };
            let note = if ago.is_some() { "Raised at the annual planning" } else { "Initial target" };
            let t = Target { effective_from: from, target: *target, amber: *amber, red: *red, note: note.into(), set_by: None };
            repo::upsert_target(&mut *tx, id, &t, None).await?;
        }
        tx.commit().await?;
        if spec.every > 0 {
            let mut noise = Noise(0x9E37_79B9_7F4A_7C15 ^ spec.key.len() as u64 ^ (spec.key.as_bytes()[0] as u64) << 17);
            let points: Vec<NewPoint> = (0..=HISTORY_DAYS)
                .rev()
                .filter(|age| age % spec.every == 0)
                .map(|age| {
                    let (v, note) = value(spec.key, age, &mut noise);
                    let v = if spec.unit == "money" { v } else { (v * 100.0).round() / 100.0 };
                    NewPoint { ts: today - age * DAY + 9 * HOUR, value: v, note: note.map(str::to_string) }
                })
                .filter(|p| p.ts <= now)
                .collect();
            figures::record(pool, &crate::platform::audit::Actor::system(), (id, spec.key, spec.name), &points, "manual").await?;
        }
    }
    seed_events(pool, now).await
}

const SERVICES: [(&str, f64); 4] = [("web", 1.2), ("api", 1.0), ("payments", 0.35), ("data-pipeline", 0.5)];

/// Two years of deployments and incidents, improving over time, as DORA data.
async fn seed_events(pool: &SqlitePool, now: i64) -> Result<(), AppError> {
    let (existing,): (i64,) = sqlx::query_as("SELECT count(*) FROM deployments").fetch_one(pool).await?;
    if existing > 0 {
        return Ok(());
    }
    let today = today_start(now);
    let mut n = Noise(0xD1B5_4A32_D192_ED03);
    let mut tx = begin_write(pool).await?;
    let start = today - HISTORY_DAYS * DAY;
    let mut count = 0u32;
    for age in (0..=HISTORY_DAYS).rev() {
        let t = 1.0 - age as f64 / HISTORY_DAYS as f64;
        let day = today - age * DAY;
        let weekend = ((day / DAY) + 4) % 7 >= 5;
        for (service, rate) in SERVICES {
            let expected = rate * (0.8 + 1.4 * t) * if weekend { 0.15 } else { 1.0 };
            let deploys = (expected + n.gauss() * 0.6).round().max(0.0) as i64;
            for k in 0..deploys {
                let at = day + 9 * HOUR + (n.next() * 9.0 * HOUR as f64) as i64 + k;
                if at > now {
                    continue;
                }
                count += 1;
                let commits = 1 + (n.next() * 4.0) as i64;
                let lead_median = 40.0 - 24.0 * t;
                let leads = (0..commits).map(|_| (n.log_normal(lead_median, 0.6) * HOUR as f64) as i64).collect();
                let failed = n.next() < 0.09 - 0.04 * t;
                let id = format!("{service}-{count}");
                let d = DeploymentInput { service: service.into(), deployed_at: at, succeeded: !failed, lead_times: leads, external_id: Some(id.clone()) };
                events::record_deployment(&mut tx, &d).await?;
                // A few changes break production and are blamed by the incident they cause.
                if !failed && n.next() < 0.035 - 0.015 * t {
                    let started = at + (n.next() * 3.0 * HOUR as f64) as i64;
                    let resolved = started + (n.log_normal(1.6 - 0.8 * t, 0.7) * HOUR as f64) as i64;
                    let inc = IncidentInput {
                        service: service.into(),
                        title: format!("Errors after deployment {id}"),
                        severity: if n.next() < 0.3 { Severity::Sev2 } else { Severity::Sev3 },
                        started_at: started,
                        resolved_at: (resolved <= now).then_some(resolved),
                        caused_by: Some(DeploymentRef::External(id)),
                        external_id: Some(format!("inc-{count}")),
                    };
                    events::record_incident(&mut tx, &inc).await?;
                }
            }
        }
        // Incidents with other causes: capacity, vendors, hardware.
        if n.next() < 0.05 {
            let (service, _) = SERVICES[(n.next() * 4.0) as usize % 4];
            let started = day + (n.next() * 20.0 * HOUR as f64) as i64;
            let resolved = started + (n.log_normal(2.0, 0.9) * HOUR as f64) as i64;
            if started < now {
                let inc = IncidentInput {
                    service: service.into(),
                    title: "Degraded service from an upstream provider".into(),
                    severity: Severity::Sev3,
                    started_at: started,
                    resolved_at: (resolved <= now).then_some(resolved),
                    caused_by: None,
                    external_id: Some(format!("ext-{age}")),
                };
                events::record_incident(&mut tx, &inc).await?;
            }
        }
    }
    events::refresh_computed(&mut tx, start, now).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_is_repeatable_and_in_range() {
        let (mut a, mut b) = (Noise(42), Noise(42));
        for _ in 0..1000 {
            let x = a.next();
            assert_eq!(x, b.next());
            assert!((0.0..1.0).contains(&x));
        }
    }

    #[test]
    fn every_spec_is_a_valid_definition() {
        for s in SPECS {
            assert!(crate::kpi::model::parse_key(s.key).is_ok(), "{}", s.key);
            assert!(crate::kpi::units::Unit::parse(s.unit).is_some(), "{}", s.key);
            let dir = crate::kpi::model::Direction::parse(s.direction).unwrap();
            for (_, t, a, r) in s.targets {
                assert!(crate::kpi::model::check_thresholds(*t, *a, *r, dir).is_ok(), "{}", s.key);
            }
        }
    }
}

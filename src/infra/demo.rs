//! Demo infrastructure: a dozen systems with 90 days of history. The four services the DORA
//! demo deploys get their status history from those same incidents; two more incidents and
//! maintenance windows are added here. Live checks point at this server's own /healthz and
//! port, so the demo runs real checks without any outside network.
//!
//! The inventory, incidents and maintenance windows go through the same rules and repo writes
//! as the forms. The 90 days of status changes and check results are what the monitor would
//! have written minute by minute; they are written here in bulk, as rollups.

use crate::platform::db::begin_write;
use crate::platform::noise::Noise;
use crate::platform::error::AppError;
use crate::infra::model::{check_system, Opener, Status};
use crate::infra::record::add_note;
use crate::infra::repo::{self, NewIncident};
use crate::infra::view::SystemInput;
use crate::kpi::events::refresh_computed;
use crate::kpi::model::Severity;
use sqlx::{SqliteConnection, SqlitePool};
use crate::platform::time::DAY;

const HOUR: i64 = 3600;
const HISTORY_DAYS: i64 = 90;

enum Probe {
    Http(&'static str),
    Tcp,
    /// A SaaS vendor: status set by hand, with a note.
    Manual(Status, &'static str),
}

struct Sys {
    key: &'static str,
    name: &'static str,
    kind: &'static str,
    department: &'static str,
    tier: i64,
    slo: f64,
    description: &'static str,
    depends_on: &'static [&'static str],
    probe: Probe,
    /// Typical response time in ms.
    latency: f64,
}

const SYSTEMS: [Sys; 12] = [
    Sys { key: "web", name: "Customer web app", kind: "service", department: "Engineering", tier: 1, slo: 99.9, description: "The web application customers sign in to.", depends_on: &["api", "sso"], probe: Probe::Http("/healthz"), latency: 42.0 },
    Sys { key: "api", name: "Public API", kind: "service", department: "Engineering", tier: 1, slo: 99.95, description: "REST API used by the web app, the mobile apps and partners.", depends_on: &["primary-db", "cache", "queue"], probe: Probe::Http("/healthz"), latency: 35.0 },
    Sys { key: "payments", name: "Payments service", kind: "service", department: "Engineering", tier: 1, slo: 99.95, description: "Card payments and invoicing, through the payment provider.", depends_on: &["primary-db", "queue"], probe: Probe::Http("/healthz"), latency: 60.0 },
    Sys { key: "data-pipeline", name: "Data pipeline", kind: "service", department: "Engineering", tier: 2, slo: 99.5, description: "Nightly and streaming loads into the warehouse.", depends_on: &["queue", "object-storage"], probe: Probe::Tcp, latency: 4.0 },
    Sys { key: "primary-db", name: "Primary database", kind: "database", department: "Operations", tier: 1, slo: 99.95, description: "PostgreSQL primary with a synchronous replica.", depends_on: &[], probe: Probe::Tcp, latency: 2.0 },
    Sys { key: "cache", name: "Redis cache", kind: "database", department: "Operations", tier: 2, slo: 99.9, description: "Sessions and hot reads.", depends_on: &[], probe: Probe::Tcp, latency: 1.0 },
    Sys { key: "queue", name: "Message queue", kind: "queue", department: "Operations", tier: 2, slo: 99.9, description: "Events between services.", depends_on: &[], probe: Probe::Tcp, latency: 2.0 },
    Sys { key: "object-storage", name: "Object storage", kind: "storage", department: "Operations", tier: 2, slo: 99.9, description: "Uploads, exports and backups.", depends_on: &[], probe: Probe::Http("/healthz"), latency: 80.0 },
    Sys { key: "vpn", name: "VPN gateway", kind: "network", department: "Operations", tier: 2, slo: 99.5, description: "Remote access for staff.", depends_on: &["sso"], probe: Probe::Tcp, latency: 12.0 },
    Sys { key: "office-network", name: "Office network", kind: "network", department: "Operations", tier: 3, slo: 99.0, description: "Wired and wireless network at the head office.", depends_on: &[], probe: Probe::Tcp, latency: 3.0 },
    Sys { key: "sso", name: "Okta (single sign-on)", kind: "saas", department: "Operations", tier: 1, slo: 99.9, description: "Staff and customer sign-in.", depends_on: &[], probe: Probe::Manual(Status::Operational, "Vendor status page: all systems operational."), latency: 0.0 },
    Sys { key: "helpdesk", name: "Zendesk", kind: "saas", department: "Operations", tier: 3, slo: 99.0, description: "Customer support tickets.", depends_on: &[], probe: Probe::Manual(Status::Degraded, "The vendor reports slow ticket search since this morning."), latency: 0.0 },
];

/// A span of trouble in a system's history.
struct Trouble {
    from: i64,
    to: i64,
    status: &'static str,
    reason: String,
}

pub async fn seed(pool: &SqlitePool, now: i64) -> Result<(), AppError> {
    let (existing,): (i64,) = sqlx::query_as("SELECT count(*) FROM systems").fetch_one(pool).await?;
    if existing > 0 {
        return Ok(());
    }
    let start = now - HISTORY_DAYS * DAY;
    let mut n = Noise(0x5EED_1AF2_77C3_0B19);
    let mut tx = begin_write(pool).await?;
    let cto: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE role = 'cto' ORDER BY id LIMIT 1").fetch_optional(&mut *tx).await?;
    let cto = cto.map(|c| c.0);
    let ids = systems(&mut tx, start).await?;
    let id_of = |key: &str| id_of(&ids, key);
    own_incidents(&mut tx, &id_of, now, cto).await?;
    let windows = [
        ("primary-db", now - 33 * DAY + 2 * HOUR, HOUR, "Minor version upgrade"),
        ("vpn", now - 12 * DAY + 3 * HOUR, 2 * HOUR, "Firmware upgrade"),
        ("office-network", now + 3 * DAY, 3 * HOUR, "Switch replacement on the second floor"),
    ];
    for (key, from, len, note) in windows {
        repo::insert_maintenance(&mut tx, id_of(key), (from, from + len), note, cto).await?;
    }
    for (s, &id) in SYSTEMS.iter().zip(&ids) {
        let mut trouble = history(&mut tx, id, start, now).await?;
        trouble.extend(extra_trouble(s.key, now));
        trouble.sort_by_key(|t| t.from);
        statuses(&mut tx, id, start, now, &trouble).await?;
        if !matches!(s.probe, Probe::Manual(..)) {
            results(&mut tx, id, s, start, now, &trouble, &mut n).await?;
        }
    }
    refresh_computed(&mut tx, start, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The inventory, through the same rules and writes as the system form; created when the
/// history begins, so the SLA reports of the whole period count them.
async fn systems(tx: &mut SqliteConnection, start: i64) -> Result<Vec<i64>, AppError> {
    let departments: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM departments").fetch_all(&mut *tx).await?;
    let mut ids = Vec::new();
    for s in &SYSTEMS {
        let department = departments.iter().find(|d| d.1 == s.department).map(|d| d.0.to_string()).unwrap_or_default();
        let input = SystemInput {
            id: String::new(),
            key: s.key.into(),
            name: s.name.into(),
            kind: s.kind.into(),
            tier: s.tier.to_string(),
            department,
            slo: s.slo.to_string(),
            description: s.description.into(),
            links: format!("https://runbooks.example.com/{}", s.key),
            depends_on: Vec::new(),
        };
        let id = repo::insert_system(tx, &check_system(&input, None)?, start).await?;
        if let Probe::Manual(status, note) = s.probe {
            repo::set_manual_status(tx, id, status, note).await?;
        }
        // Someone on call answered each of the incidents the DORA demo reported for this
        // system within half an hour.
        sqlx::query("UPDATE incidents SET acknowledged_at = min(started_at + 240 + (id * 397) % 1500, coalesce(resolved_at, started_at + 1800)) WHERE system_id = ?1 AND acknowledged_at IS NULL")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        ids.push(id);
    }
    for (s, id) in SYSTEMS.iter().zip(&ids) {
        let deps: Vec<i64> = s.depends_on.iter().map(|d| id_of(&ids, d)).collect();
        repo::set_dependencies(tx, *id, &deps).await?;
    }
    Ok(ids)
}

/// The id a demo system got, by its key (`ids` in the order of `SYSTEMS`).
fn id_of(ids: &[i64], key: &str) -> i64 {
    SYSTEMS.iter().position(|s| s.key == key).map(|i| ids[i]).unwrap_or_default()
}

/// Two incidents of the infrastructure's own, with timelines.
async fn own_incidents(tx: &mut SqliteConnection, id_of: &impl Fn(&str) -> i64, now: i64, cto: Option<i64>) -> Result<(), AppError> {
    let db_failover = now - 20 * DAY - 5 * HOUR;
    incident(tx, id_of("primary-db"), "primary-db", "Primary database failed over to the replica", Severity::Sev1, (db_failover, 38 * 60), &[
        (0, None, "opened", "Opened by the monitor: connection refused"),
        (4 * 60, cto, "acknowledged", "Acknowledged by Alex Morgan."),
        (12 * 60, cto, "note", "Disk on the primary filled with WAL after a stuck replication slot; failover to the replica started."),
        (38 * 60, None, "recovered", "Recovered (checks pass); resolved by the monitor."),
    ]).await?;
    let vpn_outage = now - 6 * DAY - 9 * HOUR;
    incident(tx, id_of("vpn"), "vpn", "VPN gateway unreachable", Severity::Sev2, (vpn_outage, 2 * HOUR + 10 * 60), &[
        (0, None, "opened", "Opened by the monitor: timed out after 5000 ms"),
        (25 * 60, cto, "acknowledged", "Acknowledged by Alex Morgan."),
        (40 * 60, cto, "note", "The ISP confirms a fibre cut near the office; traffic moved to the backup line at reduced speed."),
        (2 * HOUR + 10 * 60, None, "recovered", "Recovered (checks pass); resolved by the monitor."),
    ]).await
}

/// Trouble no incident records: short slow spells, the kind a latency threshold catches, and
/// a vendor's own degraded service.
fn extra_trouble(key: &str, now: i64) -> Vec<Trouble> {
    match key {
        "object-storage" => [70, 41, 15]
            .into_iter()
            .map(|day| {
                let from = now - day * DAY + 14 * HOUR;
                Trouble { from, to: from + 25 * 60, status: "degraded", reason: "Slow above 400 ms".into() }
            })
            .collect(),
        "helpdesk" => vec![Trouble { from: now - 5 * HOUR, to: now + 1, status: "degraded", reason: "The vendor reports slow ticket search since this morning.".into() }],
        _ => Vec::new(),
    }
}

/// A resolved incident, `(started, lasted)`, and its timeline `(after, author, kind, body)`.
async fn incident(
    tx: &mut SqliteConnection,
    system_id: i64,
    key: &str,
    title: &str,
    severity: Severity,
    (started, lasted): (i64, i64),
    notes: &[(i64, Option<i64>, &str, &str)],
) -> Result<(), AppError> {
    let acknowledged_at = notes.iter().find(|n| n.2 == "acknowledged").map(|n| started + n.0);
    let new = NewIncident { system_id, service: key, title, severity, started_at: started, acknowledged_at, resolved_at: Some(started + lasted), opened_by: Opener::Monitor };
    let id = repo::insert_incident(tx, &new).await?;
    for (after, author, kind, body) in notes {
        add_note(tx, id, started + after, *author, kind, body).await?;
    }
    Ok(())
}

/// Trouble from the system's incidents: SEV1 and SEV2 were outages, the rest degraded service.
async fn history(tx: &mut SqliteConnection, system_id: i64, from: i64, now: i64) -> Result<Vec<Trouble>, AppError> {
    let rows: Vec<(i64, Option<i64>, Severity, String)> = sqlx::query_as(
        "SELECT started_at, resolved_at, severity, title FROM incidents WHERE system_id = ?1 AND coalesce(resolved_at, ?3) > ?2 ORDER BY started_at",
    )
    .bind(system_id)
    .bind(from)
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(a, b, sev, title)| Trouble {
            from: a.max(from),
            to: b.unwrap_or(now),
            status: if matches!(sev, Severity::Sev1 | Severity::Sev2) { "down" } else { "degraded" },
            reason: title,
        })
        .collect())
}

async fn statuses(tx: &mut SqliteConnection, system_id: i64, start: i64, now: i64, trouble: &[Trouble]) -> Result<(), AppError> {
    let windows: Vec<(i64, i64)> = sqlx::query_as("SELECT starts_at, ends_at FROM maintenance_windows WHERE system_id = ?1 AND starts_at < ?2 ORDER BY starts_at")
        .bind(system_id)
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
    let mut changes: Vec<(i64, &str, String)> = vec![(start, "operational", "Watching began".into())];
    for t in trouble {
        changes.push((t.from, t.status, t.reason.clone()));
        if t.to <= now {
            changes.push((t.to, "operational", "Checks pass".into()));
        }
    }
    for (a, b) in windows {
        changes.push((a, "maintenance", "Maintenance window".into()));
        changes.push((b.min(now), "operational", "Maintenance over".into()));
    }
    changes.sort_by_key(|c| c.0);
    let mut last = "";
    for (at, status, reason) in &changes {
        if *status == last {
            continue;
        }
        sqlx::query("INSERT INTO status_changes (system_id, at, status, reason) VALUES (?1, ?2, ?3, ?4)").bind(system_id).bind(at).bind(status).bind(reason).execute(&mut *tx).await?;
        last = status;
    }
    if let Some((at, status, _)) = changes.last() {
        sqlx::query("UPDATE systems SET status = ?2, status_since = ?3 WHERE id = ?1").bind(system_id).bind(status).bind(at).execute(&mut *tx).await?;
    }
    Ok(())
}

/// One check per system, 90 days of hourly and daily rollups and the last day of raw results.
#[allow(clippy::too_many_arguments)]
async fn results(tx: &mut SqliteConnection, system_id: i64, s: &Sys, start: i64, now: i64, trouble: &[Trouble], n: &mut Noise) -> Result<(), AppError> {
    let (kind, target, method) = match s.probe {
        Probe::Http(path) => ("http", format!("http://127.0.0.1:3000{path}"), if s.key == "object-storage" { "HEAD" } else { "GET" }),
        _ => ("tcp", "127.0.0.1:3000".to_string(), "GET"),
    };
    let keyword = if s.key == "api" { "ok" } else { "" };
    let degraded_ms = (s.key == "object-storage").then_some(400);
    let (check_id,): (i64,) = sqlx::query_as(
        r#"INSERT INTO checks (system_id, kind, target, method, keyword, timeout_ms, interval_secs, failure_threshold, degraded_ms, state, last_at, last_latency_ms)
           VALUES (?1, ?2, ?3, ?4, ?5, 5000, 60, 3, ?6, 'up', ?7, ?8) RETURNING id"#,
    )
    .bind(system_id)
    .bind(kind)
    .bind(&target)
    .bind(method)
    .bind(keyword)
    .bind(degraded_ms)
    .bind(now - 30)
    .bind(s.latency.round() as i64)
    .fetch_one(&mut *tx)
    .await?;
    let down_at = |t: i64| trouble.iter().any(|x| x.status == "down" && t >= x.from && t < x.to);
    let slow_at = |t: i64| trouble.iter().any(|x| x.status == "degraded" && t >= x.from && t < x.to);
    let first_hour = start.div_euclid(HOUR) * HOUR;
    let mut hours: Vec<(i64, i64, i64, i64, i64)> = Vec::new();
    let mut hour = first_hour;
    while hour < now {
        let (mut count, mut fails, mut total, mut max) = (0, 0, 0, 0);
        let mut t = hour;
        // Ten-minute steps stand in for the minute-by-minute runs to keep seeding quick.
        while t < hour + HOUR && t < now {
            let slow = if slow_at(t) { 6.0 } else { 1.0 };
            let latency = (s.latency * slow * (1.0 + 0.25 * n.gauss()).max(0.3)).round() as i64;
            if down_at(t) {
                fails += 10;
            } else {
                total += latency * 10;
                max = max.max(latency);
            }
            count += 10;
            t += 600;
        }
        hours.push((hour, count, fails, total, max));
        hour += HOUR;
    }
    for chunk in hours.chunks(400) {
        let mut q = sqlx::QueryBuilder::new("INSERT INTO check_rollups (check_id, width, bucket, n, failures, latency_total, latency_max) ");
        q.push_values(chunk, |mut b, (bucket, count, fails, total, max)| {
            b.push_bind(check_id).push_bind(3600).push_bind(bucket).push_bind(count).push_bind(fails).push_bind(total).push_bind(max);
        });
        q.build().execute(&mut *tx).await?;
    }
    sqlx::query(
        r#"INSERT INTO check_rollups (check_id, width, bucket, n, failures, latency_total, latency_max)
           SELECT check_id, 86400, (bucket / 86400) * 86400, sum(n), sum(failures), sum(latency_total), max(latency_max)
           FROM check_rollups WHERE check_id = ?1 AND width = 3600 GROUP BY (bucket / 86400)"#,
    )
    .bind(check_id)
    .execute(&mut *tx)
    .await?;
    let mut raw = Vec::new();
    let mut t = (now - DAY).div_euclid(60) * 60;
    while t < now - 60 {
        let latency = (s.latency * (1.0 + 0.2 * n.gauss()).max(0.3)).round() as i64;
        raw.push((t * 1000, latency));
        t += 60;
    }
    for chunk in raw.chunks(400) {
        let mut q = sqlx::QueryBuilder::new("INSERT INTO check_results (check_id, at_ms, ok, latency_ms) ");
        q.push_values(chunk, |mut b, (at, latency)| {
            b.push_bind(check_id).push_bind(at).push_bind(1).push_bind(latency);
        });
        q.build().execute(&mut *tx).await?;
    }
    Ok(())
}

/// Points the demo's checks at this server, wherever it listens now.
pub async fn point_at(pool: &SqlitePool, port: u16) -> Result<(), AppError> {
    let keys: Vec<&str> = SYSTEMS.iter().map(|s| s.key).collect();
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT c.id, c.kind, c.target FROM checks c JOIN systems s ON s.id = c.system_id WHERE s.key IN (SELECT value FROM json_each(?1))",
    )
    .bind(serde_json::to_string(&keys).unwrap_or_default())
    .fetch_all(pool)
    .await?;
    for (id, kind, target) in rows {
        let new = match kind.as_str() {
            "http" => match target.strip_prefix("http://127.0.0.1:") {
                Some(rest) => format!("http://127.0.0.1:{port}{}", rest.find('/').map(|i| &rest[i..]).unwrap_or("/")),
                None => continue,
            },
            _ if target.starts_with("127.0.0.1:") => format!("127.0.0.1:{port}"),
            _ => continue,
        };
        if new != target {
            sqlx::query("UPDATE checks SET target = ?2 WHERE id = ?1").bind(id).bind(new).execute(pool).await?;
        }
    }
    Ok(())
}

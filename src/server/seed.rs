//! Demo data: a small company to explore, added only when asked for and never twice.

use crate::access::Role;
use crate::admin::{model::NewAccount, service};
use crate::auth::repo;
use crate::platform::error::AppError;
use sqlx::SqlitePool;

pub const DEMO_PASSWORD: &str = "northstar-demo";

pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub role: Role,
    pub department: Option<&'static str>,
}

pub const DEMO_DEPARTMENTS: [&str; 2] = ["Engineering", "Operations"];

pub const DEMO_ACCOUNTS: [DemoAccount; 4] = [
    DemoAccount { email: "cto@northstar.demo", name: "Alex Morgan", role: Role::Cto, department: None },
    DemoAccount {
        email: "eng.head@northstar.demo",
        name: "Priya Raman",
        role: Role::DepartmentHead,
        department: Some("Engineering"),
    },
    DemoAccount {
        email: "ops.head@northstar.demo",
        name: "Daniel Okafor",
        role: Role::DepartmentHead,
        department: Some("Operations"),
    },
    DemoAccount { email: "investor@northstar.demo", name: "Sam Whitfield", role: Role::Investor, department: None },
];

/// Adds whatever part of the demo data is missing; existing rows are left as they are.
pub async fn seed_demo(pool: &SqlitePool, currency: crate::platform::money::Currency) -> Result<(), AppError> {
    seed_accounts(pool).await?;
    crate::kpi::demo::seed(pool, crate::platform::db::now_unix()).await?;
    crate::budget::demo::seed(pool, chrono::Utc::now().date_naive()).await?;
    crate::infra::demo::seed(pool, crate::platform::db::now_unix()).await?;
    crate::strategy::demo::seed(pool, chrono::Utc::now().date_naive(), currency).await?;
    crate::radar::demo::seed(pool, chrono::Utc::now().date_naive()).await?;
    // Before feedback: an item there is about the KPI the findings keep.
    crate::assurance::demo::seed(pool, crate::platform::db::now_unix()).await?;
    crate::assurance::demo_controls::seed(pool, chrono::Utc::now().date_naive(), crate::platform::db::now_unix()).await?;
    crate::assurance::demo_privacy::seed(pool, chrono::Utc::now().date_naive()).await?;
    crate::assurance::demo_privacy::seed_recovery(pool, crate::platform::db::now_unix()).await?;
    crate::assurance::demo_quality::seed(pool, crate::platform::db::now_unix()).await?;
    crate::report::demo::seed(pool, crate::platform::db::now_unix(), currency).await?;
    crate::alert::demo::seed(pool, crate::platform::db::now_unix(), currency).await?;
    // After the report: investors' feedback is about the published one.
    crate::feedback::demo::seed(pool, crate::platform::db::now_unix()).await?;
    crate::pulse::demo::seed(pool, crate::platform::db::now_unix()).await?;
    seed_audit_history(pool, crate::platform::db::now_millis()).await
}

/// A week of the audit trail, so the demo's Admin → Audit trail is not empty: each person's
/// working-day sign-ins (and one mistyped password), then the demo's own changes that carry an
/// author and a time, as the trail would have recorded them. Added once, with the rest.
async fn seed_audit_history(pool: &SqlitePool, now_ms: i64) -> Result<(), AppError> {
    use crate::platform::audit::{Actor, Entry};
    const HOUR_MS: i64 = 3_600_000;
    let seeded: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_events WHERE action = 'sign_in'").fetch_one(pool).await?;
    if seeded > 0 {
        return Ok(());
    }
    let day_start = now_ms - now_ms.rem_euclid(24 * HOUR_MS);
    let mut tx = crate::platform::db::begin_write(pool).await?;
    for (n, account) in DEMO_ACCOUNTS.iter().enumerate() {
        let Some(user) = repo::user_by_email(&mut *tx, account.email).await? else { continue };
        let actor = Actor::user(user.id, &user.name);
        for day in (1..=7).rev() {
            let start = day_start - day * 24 * HOUR_MS;
            let weekday = chrono::DateTime::from_timestamp_millis(start).map(|d| chrono::Datelike::weekday(&d).num_days_from_monday()).unwrap_or(0);
            // Investors look in now and then; everyone else on working days.
            if weekday >= 5 || (account.role == Role::Investor && day % 3 != 0) {
                continue;
            }
            let at = start + 8 * HOUR_MS + (n as i64 * 17 + day * 7) % 50 * 60_000;
            if account.role == Role::DepartmentHead && day == 4 && n == 1 {
                let who = Actor::anonymous(account.email, "192.0.2.17");
                Entry::new(&who, "account", "sign_in_failed").object("user", user.id, account.email).at(at - 60_000).record(&mut tx).await?;
            }
            let sign_in = Entry::new(&actor, "account", "sign_in").object("user", user.id, account.email).detail("from 192.0.2.17");
            sign_in.at(at).record(&mut tx).await?;
            Entry::new(&actor, "account", "sign_out").object("user", user.id, account.email).at(at + 9 * HOUR_MS).record(&mut tx).await?;
        }
    }
    // Incident timelines written by people in the last week.
    let since = (now_ms - 7 * 24 * HOUR_MS) / 1000;
    let notes: Vec<(i64, i64, String, String, String, i64, String)> = sqlx::query_as(
        "SELECT n.at, i.id, i.title, n.kind, n.body, u.id, u.name FROM incident_notes n JOIN incidents i ON i.id = n.incident_id
         JOIN users u ON u.id = n.author_id WHERE n.at >= ?1 ORDER BY n.at",
    )
    .bind(since)
    .fetch_all(&mut *tx)
    .await?;
    for (at, id, title, kind, body, user_id, name) in notes {
        let (action, change) = match kind.as_str() {
            "note" => ("add_incident_note", ("note", None, Some(body.clone()))),
            "opened" => ("open_incident", ("state", None, Some("open".to_string()))),
            other => ("update_incident", ("state", None, Some(other.to_string()))),
        };
        Entry::new(&Actor::user(user_id, &name), "infrastructure", action)
            .object("incident", id, title)
            .change(change.0, change.1, change.2)
            .at(at * 1000)
            .record(&mut tx)
            .await?;
    }
    // The demo report's published versions.
    let versions: Vec<(i64, String, i64, Option<String>, String, i64, String)> = sqlx::query_as(
        "SELECT r.id, v.title, v.version, v.note, v.published_at, u.id, u.name FROM report_versions v JOIN reports r ON r.id = v.report_id
         JOIN users u ON u.id = v.published_by ORDER BY v.id",
    )
    .fetch_all(&mut *tx)
    .await?;
    for (id, title, version, note, published_at, user_id, name) in versions {
        let at = chrono::DateTime::parse_from_rfc3339(&published_at).map(|d| d.timestamp_millis()).unwrap_or(now_ms);
        Entry::new(&Actor::user(user_id, &name), "reports", "publish_report")
            .object("report", id, title)
            .change("version", None, Some(version.to_string()))
            .detail(note.unwrap_or_default())
            .at(at)
            .record(&mut tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The demo departments and accounts only.
pub async fn seed_accounts(pool: &SqlitePool) -> Result<(), AppError> {
    for name in DEMO_DEPARTMENTS {
        if repo::department_id_by_name(pool, name).await?.is_none() {
            service::create_department(pool, None, name).await?;
        }
    }
    for account in &DEMO_ACCOUNTS {
        if repo::user_by_email(pool, account.email).await?.is_some() {
            continue;
        }
        let department_id = match account.department {
            Some(name) => repo::department_id_by_name(pool, name).await?,
            None => None,
        };
        let new = NewAccount {
            email: account.email.into(),
            name: account.name.into(),
            role: account.role,
            department_id,
            password: DEMO_PASSWORD.into(),
        };
        service::create_account(pool, None, new).await?;
    }
    Ok(())
}

pub fn demo_logins_text() -> String {
    let mut out = format!("Demo accounts (password for each: {DEMO_PASSWORD}):\n");
    for a in &DEMO_ACCOUNTS {
        let scope = a.department.map(|d| format!(" ({d})")).unwrap_or_default();
        out.push_str(&format!("  {:<16} {}{}\n", a.role.label(), a.email, scope));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_demo_has_a_week_of_audit_history_added_once() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::platform::db::connect(&format!("sqlite://{}/demo.db", dir.path().display())).await.unwrap();
        crate::platform::db::migrate(&pool).await.unwrap();
        seed_demo(&pool, crate::platform::money::Currency::usd()).await.unwrap();
        // The seven days before today, whatever time of day the test runs.
        let week_ago = crate::platform::db::now_millis() - 8 * 24 * 3_600_000;
        let days: i64 = sqlx::query_scalar("SELECT count(DISTINCT at / 86400000) FROM audit_events WHERE action = 'sign_in' AND at >= ?1")
            .bind(week_ago)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert!(days >= 5, "sign-ins on {days} days");
        let published: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_events WHERE action = 'publish_report'").fetch_one(&pool).await.unwrap();
        let versions: i64 = sqlx::query_scalar("SELECT count(*) FROM report_versions").fetch_one(&pool).await.unwrap();
        assert_eq!(published, versions);
        let before: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_events").fetch_one(&pool).await.unwrap();
        seed_demo(&pool, crate::platform::money::Currency::usd()).await.unwrap();
        let after: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_events").fetch_one(&pool).await.unwrap();
        assert_eq!(before, after, "seeding again adds nothing");
    }
}

//! The demo's data protection: the record of processing (most systems recorded by their
//! department's head, two past their yearly review, one within a month of it, two not recorded
//! at all, a transfer to the US under the Data Privacy Framework, a completed DPIA for payments,
//! and a helpdesk that holds health data without one, and a processor without a contract), and
//! the data stores' nightly backups with their restore tests (the primary database tested last
//! month, payments four months ago, object storage never). Dates are relative to today.

use crate::platform::db::begin_write;
use crate::platform::error::AppError;
use crate::platform::time::DAY;
use chrono::{Days, NaiveDate};
use sqlx::SqlitePool;

/// One system's record: (system key, categories, subjects, purpose, legal basis, retention,
/// hosting, transfer safeguard, processors by vendor name, DPIA (link, days ago), reviewed
/// days ago). No categories: the system holds no personal data.
type Demo = (&'static str, &'static [&'static str], &'static [&'static str], &'static str, &'static str, &'static str, &'static str, Option<&'static str>, &'static [&'static str], Option<(&'static str, u64)>, u64);

const RECORDS: [Demo; 10] = [
    ("web", &["contact", "account", "identifiers", "usage"], &["customers", "end_users"], "Running customers’ accounts and the product they use", "contract", "The account’s life, then 30 days", "AWS eu-west-1 (Ireland)", None, &["Amazon Web Services", "Cloudflare"], None, 200),
    ("api", &["account", "identifiers"], &["customers", "end_users"], "Serving and securing API requests", "contract", "Request logs 90 days", "AWS eu-west-1 (Ireland)", None, &["Amazon Web Services", "Datadog"], None, 380),
    ("payments", &["contact", "financial"], &["customers"], "Billing customers and keeping the books", "legal_obligation", "10 years after the invoice (tax law)", "AWS eu-west-1 (Ireland)", None, &["Amazon Web Services"], Some(("https://wiki.northstar.demo/privacy/dpia-payments", 300)), 340),
    ("data-pipeline", &["usage", "identifiers", "location"], &["customers", "end_users"], "Product analytics and capacity planning", "legitimate_interests", "Raw events 13 months; aggregates kept", "Google Cloud us-central1 (Iowa)", Some("Standard contractual clauses"), &["Google Cloud"], None, 100),
    ("primary-db", &["contact", "account", "financial", "communications"], &["customers", "end_users"], "The product’s system of record", "contract", "The account’s life, then 30 days", "AWS eu-west-1 (Ireland)", None, &["Amazon Web Services"], None, 60),
    ("queue", &[], &[], "", "", "", "", None, &[], None, 30),
    ("object-storage", &["communications", "contact"], &["customers", "end_users"], "Files customers upload", "contract", "Until the customer deletes them", "AWS eu-west-1 (Ireland)", None, &["Amazon Web Services"], None, 420),
    ("vpn", &["identifiers"], &["employees", "contractors"], "Securing remote access", "legitimate_interests", "Connection logs 90 days", "On premises, Berlin office", None, &[], None, 150),
    ("sso", &["contact", "account", "employment"], &["employees", "contractors"], "Staff sign-in to every tool", "contract", "Until 30 days after leaving", "Okta, US (Oregon)", Some("EU-US Data Privacy Framework"), &["Okta"], None, 90),
    ("helpdesk", &["contact", "communications", "health"], &["customers", "end_users"], "Answering customers’ support requests", "contract", "3 years after the ticket closes", "Zendesk, EU (Frankfurt)", None, &["Zendesk"], None, 250),
];

pub async fn seed(pool: &SqlitePool, today: NaiveDate) -> Result<(), AppError> {
    let seeded: i64 = sqlx::query_scalar("SELECT count(*) FROM processing_records").fetch_one(pool).await?;
    if seeded > 0 {
        return Ok(());
    }
    let ago = |d: u64| today.checked_sub_days(Days::new(d)).unwrap_or(today).to_string();
    let mut tx = begin_write(pool).await?;
    // The helpdesk's processor, with no contract on file yet.
    sqlx::query("INSERT OR IGNORE INTO vendors (name) VALUES ('Zendesk')").execute(&mut *tx).await?;
    for (key, categories, subjects, purpose, basis, retention, hosting, transfer, processors, dpia, reviewed) in RECORDS {
        // Reviewed by the department's first head, or the CTO for a system of no department.
        let row: Option<(i64, Option<String>)> = sqlx::query_as(
            "SELECT s.id, coalesce(u.name, (SELECT name FROM users WHERE role = 'cto' ORDER BY id LIMIT 1)) FROM systems s
             LEFT JOIN users u ON u.department_id = s.department_id AND u.role = 'department_head' WHERE s.key = ?1 ORDER BY u.id LIMIT 1",
        )
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((system, head)) = row else { continue };
        let personal = !categories.is_empty();
        sqlx::query(
            "INSERT INTO processing_records (system_id, personal_data, purpose, legal_basis, retention, hosting, transfer, safeguard, dpia_required, dpia_link, dpia_on, reviewed_on, reviewed_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )
        .bind(system)
        .bind(personal)
        .bind(purpose)
        .bind((!basis.is_empty()).then_some(basis))
        .bind(retention)
        .bind(hosting)
        .bind(transfer.is_some())
        .bind(transfer.unwrap_or_default())
        .bind(dpia.is_some())
        .bind(dpia.map(|d| d.0))
        .bind(dpia.map(|d| ago(d.1)))
        .bind(ago(reviewed))
        .bind(head.unwrap_or_default())
        .execute(&mut *tx)
        .await?;
        // This review and the one a year before it, for the posture's trend.
        for back in [reviewed, reviewed + 365] {
            super::service::privacy::reviewed(&mut tx, system, today.checked_sub_days(Days::new(back)).unwrap_or(today)).await?;
        }
        for c in categories {
            sqlx::query("INSERT INTO processing_categories (system_id, category) VALUES (?1, ?2)").bind(system).bind(c).execute(&mut *tx).await?;
        }
        for s in subjects {
            sqlx::query("INSERT INTO processing_subjects (system_id, subject) VALUES (?1, ?2)").bind(system).bind(s).execute(&mut *tx).await?;
        }
        for p in processors {
            sqlx::query("INSERT INTO processing_processors (system_id, vendor_id) SELECT ?1, id FROM vendors WHERE name = ?2").bind(system).bind(p).execute(&mut *tx).await?;
        }
    }
    // The CTO shares the posture with investors, so the demo's reports carry it.
    crate::platform::db::set_flag(&mut tx, super::service::posture::INVESTORS_SEE_POSTURE, true).await?;
    tx.commit().await?;
    Ok(())
}

/// Nightly backups for a month, as a backup job's token reports them: (system key, size in
/// MB, the night that failed and why), and the restore tests: (system key, days ago, minutes,
/// what was checked).
const BACKED_UP: [(&str, i64, Option<(u64, &str)>); 3] = [
    ("primary-db", 48_000, None),
    ("payments", 6_200, None),
    ("object-storage", 310_000, Some((9, "Timed out uploading to the backup bucket after 2 h"))),
];
const RESTORED: [(&str, u64, i64, &str); 3] = [
    ("primary-db", 38, 95, "Restored the nightly snapshot into a fresh cluster; row counts and the last hour of orders checked against production"),
    ("primary-db", 130, 110, "Restored into staging; integrity checks passed"),
    ("payments", 125, 40, "Restored into the audit sandbox; ledger totals reconciled for the month"),
];

pub async fn seed_recovery(pool: &SqlitePool, now: i64) -> Result<(), AppError> {
    let seeded: i64 = sqlx::query_scalar("SELECT count(*) FROM backup_runs WHERE system_id IS NOT NULL").fetch_one(pool).await?;
    if seeded > 0 {
        return Ok(());
    }
    let night = |days: u64| now - (now % DAY) - days as i64 * DAY + 2 * 3600;
    let by = "token “backup-job”";
    let mut tx = begin_write(pool).await?;
    for (key, mb, failed) in BACKED_UP {
        let Some(system) = system_id(&mut tx, key).await? else { continue };
        for days in 1..=30u64 {
            let fail = failed.filter(|(d, _)| *d == days).map(|(_, why)| why);
            // Each night's copy a little larger than the one before.
            let size = (mb - days as i64 * mb / 400) * 1_000_000;
            sqlx::query("INSERT INTO backup_runs (system_id, at, ok, size_bytes, duration_ms, location, detail, by_label) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                .bind(system)
                .bind(night(days))
                .bind(fail.is_none())
                .bind(fail.is_none().then_some(size))
                .bind(if fail.is_some() { 7_200_000 } else { size / 40_000 })
                .bind(format!("s3://northstar-demo-backups/{key}/{}.dump", crate::platform::time::date_of(night(days))))
                .bind(fail.unwrap_or_default())
                .bind(by)
                .execute(&mut *tx)
                .await?;
        }
    }
    for (key, days, minutes, detail) in RESTORED {
        let Some(system) = system_id(&mut tx, key).await? else { continue };
        sqlx::query("INSERT INTO restore_tests (system_id, at, ok, duration_ms, detail, by_label) VALUES (?1, ?2, 1, ?3, ?4, ?5)")
            .bind(system)
            .bind(night(days) + 8 * 3600)
            .bind(minutes * 60_000)
            .bind(detail)
            .bind(by)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn system_id(db: &mut sqlx::SqliteConnection, key: &str) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM systems WHERE key = ?1").bind(key).fetch_optional(db).await?)
}

//! Demo controls: the starter set, adopted 13 months ago and handed to the departments, with a
//! year of evidence. Most are current; three are overdue (leavers, malware protection,
//! retention), one failed its last review (the firewall rules), the access reviews carry their
//! exported lists as files, and Northstar's own nightly backups and quarterly restore tests
//! evidence the backup controls. Dates are relative to today.

use super::model::{Frequency, Source};
use crate::platform::db::begin_write;
use crate::platform::error::AppError;
use chrono::{Days, NaiveDate};
use sqlx::SqlitePool;

/// Controls whose last performance the demo leaves out, so they are overdue.
const OVERDUE: [&str; 3] = ["HR-04", "OPS-03", "PRV-02"];
/// Controls handed to a department: (code or its start, department, owner's e-mail); a later
/// line overrides an earlier one (OPS-06 goes to Operations, the other OPS ones to Engineering).
const HANDED: [(&str, &str, &str); 6] = [
    ("DEV-", "Engineering", "eng.head@northstar.demo"),
    ("OPS-0", "Engineering", "eng.head@northstar.demo"),
    ("IAM-04", "Engineering", "eng.head@northstar.demo"),
    ("OPS-06", "Operations", "ops.head@northstar.demo"),
    ("BCK-", "Operations", "ops.head@northstar.demo"),
    ("NET-01", "Operations", "ops.head@northstar.demo"),
];

pub async fn seed(pool: &SqlitePool, today: NaiveDate, now: i64) -> Result<(), AppError> {
    let seeded: i64 = sqlx::query_scalar("SELECT count(*) FROM controls").fetch_one(pool).await?;
    let Some(cto) = crate::auth::repo::user_by_email(pool, "cto@northstar.demo").await?.map(|u| u.into_user()) else { return Ok(()) };
    if seeded > 0 {
        return Ok(());
    }
    let adopted = today.checked_sub_days(Days::new(400)).unwrap_or(today);
    let mut tx = begin_write(pool).await?;
    super::service::controls::insert_starters(&mut tx, cto.id, adopted).await?;
    for (code, department, owner) in HANDED {
        sqlx::query(
            "UPDATE controls SET department_id = (SELECT id FROM departments WHERE name = ?2), owner_id = (SELECT id FROM users WHERE email = ?3)
             WHERE code LIKE ?1 || '%'",
        )
        .bind(code)
        .bind(department)
        .bind(owner)
        .execute(&mut *tx)
        .await?;
    }
    backups(&mut tx, now).await?;
    let controls: Vec<(i64, String, Frequency, Source, Option<String>)> =
        sqlx::query_as("SELECT c.id, c.code, c.frequency, c.evidence, u.name FROM controls c LEFT JOIN users u ON u.id = c.owner_id ORDER BY c.id").fetch_all(&mut *tx).await?;
    for (id, code, frequency, source, owner) in controls {
        // Continuous controls are evidenced as they happen, by the checks and the backups
        // (recorded below).
        if frequency == Frequency::Continuous {
            continue;
        }
        let mut days = Vec::new();
        let mut last = adopted;
        loop {
            // Performed a few days before it falls due, as a careful owner would.
            let next = frequency.next_due(last).checked_sub_days(Days::new(2 + id.rem_euclid(6) as u64)).unwrap_or(last);
            if next > today {
                break;
            }
            days.push(next);
            last = next;
        }
        // Left undone long enough to be overdue by some days, whatever the day of the demo.
        let late_by = today.checked_sub_days(Days::new(5)).unwrap_or(today);
        while OVERDUE.contains(&code.as_str()) && days.last().is_some_and(|d| frequency.next_due(*d) >= late_by) {
            days.pop();
        }
        let by = owner.unwrap_or_else(|| cto.name.clone());
        let count = days.len();
        for (n, day) in days.into_iter().enumerate() {
            let latest = n + 1 == count;
            let (result, note) = if code == "NET-01" && latest {
                ("failed", "Two legacy rules still allow any address to reach the admin port of the VPN gateway; removal planned in change OPS-412.".to_string())
            } else {
                ("passed", format!("{} done as planned; nothing outstanding.", title_word(frequency)))
            };
            let evidence: i64 = sqlx::query_scalar(
                "INSERT INTO control_evidence (control_id, performed_on, result, note, link, by_label, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
            )
            .bind(id)
            .bind(day.to_string())
            .bind(result)
            .bind(&note)
            .bind((source != Source::AccessReview).then(|| format!("https://wiki.northstar.example/security/{}/{day}", code.to_lowercase())))
            .bind(&by)
            .bind(crate::platform::time::midnight(day) + 10 * 3600)
            .fetch_one(&mut *tx)
            .await?;
            if source == Source::AccessReview {
                attach_review(&mut tx, evidence, day).await?;
            }
            if source == Source::RestoreTest {
                restore_test(&mut tx, evidence, day).await?;
            }
        }
    }
    tx.commit().await?;
    super::service::automatic::collect(pool, now).await?;
    Ok(())
}

fn title_word(f: Frequency) -> &'static str {
    match f {
        Frequency::Monthly => "This month's check",
        Frequency::Quarterly => "This quarter's review",
        _ => "This year's review",
    }
}

/// A month of Northstar's nightly backups, the last three hours ago.
async fn backups(db: &mut sqlx::SqliteConnection, now: i64) -> Result<(), AppError> {
    for n in 0..30 {
        let at = now - 3 * 3600 - n * 86_400;
        let file = super::service::backups::next_backup_file(std::path::Path::new("/var/lib/northstar"), at);
        let size = 46_000_000 + (30 - n) * 120_000;
        sqlx::query("INSERT INTO backup_runs (system_id, at, ok, size_bytes, duration_ms, location, by_label) VALUES (NULL, ?1, 1, ?2, ?3, ?4, 'command line')")
            .bind(at)
            .bind(size)
            .bind(900 + n * 7)
            .bind(file.to_string_lossy())
            .execute(&mut *db)
            .await?;
    }
    Ok(())
}

/// A quarter's restore test of Northstar's backup, as its control's evidence.
async fn restore_test(db: &mut sqlx::SqliteConnection, evidence: i64, day: NaiveDate) -> Result<(), AppError> {
    let detail = format!("Restored the night's backup of {day} into a scratch copy: integrity check ok, schema brought to this release, 5 accounts, 48 KPIs.");
    sqlx::query("INSERT INTO restore_tests (system_id, at, ok, duration_ms, detail, by_label) VALUES (NULL, ?1, 1, 2300, ?2, 'Daniel Okafor')")
        .bind(crate::platform::time::midnight(day) + 10 * 3600)
        .bind(&detail)
        .execute(&mut *db)
        .await?;
    sqlx::query("UPDATE control_evidence SET note = ?2, link = NULL, automatic = 1 WHERE id = ?1").bind(evidence).bind(detail).execute(&mut *db).await?;
    Ok(())
}

/// An access review's evidence: the accounts as reviewed, as the review in Admin keeps them.
async fn attach_review(db: &mut sqlx::SqliteConnection, evidence: i64, day: NaiveDate) -> Result<(), AppError> {
    let (file, _, _) = super::service::access_review::accounts_csv(&mut *db).await?;
    super::service::evidence::attach(db, evidence, &format!("access-review-{day}.csv"), "text/csv", &file).await?;
    Ok(())
}

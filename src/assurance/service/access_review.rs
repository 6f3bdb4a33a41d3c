//! An access review, recorded by the CTO from Admin: the accounts with their roles and
//! departments as they stand, kept as a CSV file on each access-review control's evidence and
//! in the audit trail, so the review and what was reviewed cannot drift apart.

use super::super::view::AdminSecurity;
use crate::auth::User;
use crate::platform::audit::Entry;
use crate::platform::changes::Changed;
use crate::platform::db::{begin_write, now_unix};
use crate::platform::error::AppError;
use crate::platform::state::AppState;
use crate::platform::time::date_of;
use sqlx::SqliteConnection;

/// The accounts as a review sees them, as a CSV file; how many, and how many active.
pub(crate) async fn accounts_csv(db: &mut SqliteConnection) -> Result<(Vec<u8>, usize, usize), AppError> {
    let accounts: Vec<(String, String, String, Option<String>, bool)> = sqlx::query_as(
        "SELECT u.email, u.name, u.role, d.name, u.active FROM users u LEFT JOIN departments d ON d.id = u.department_id ORDER BY u.active DESC, u.email",
    )
    .fetch_all(db)
    .await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record(["account", "name", "role", "department", "active"]);
    for (email, name, role, department, active) in &accounts {
        let _ = out.write_record([email.as_str(), name.as_str(), role.as_str(), department.as_deref().unwrap_or(""), if *active { "yes" } else { "no" }]);
    }
    let file = out.into_inner().map_err(|_| AppError::Internal)?;
    Ok((file, accounts.len(), accounts.iter().filter(|a| a.4).count()))
}

/// Records the review; how many accounts it covered.
pub async fn record(st: &AppState, cto: &User) -> Result<usize, AppError> {
    let now = now_unix();
    let mut tx = begin_write(&st.pool).await?;
    let (file, accounts, active) = accounts_csv(&mut tx).await?;
    let note = format!("Reviewed {} ({active} active): each one's role and department confirmed by {}.", crate::ui::plural(accounts as u64, "account", "accounts"), cto.name);
    let day = date_of(now).to_string();
    let controls: Vec<i64> = sqlx::query_scalar("SELECT id FROM controls WHERE evidence = 'access_review' AND retired_on IS NULL").fetch_all(&mut *tx).await?;
    for control in controls {
        let evidence: i64 = sqlx::query_scalar(
            "INSERT INTO control_evidence (control_id, performed_on, result, note, by_label, at, automatic) VALUES (?1, ?2, 'passed', ?3, ?4, ?5, 1)
             ON CONFLICT (control_id, performed_on) WHERE automatic = 1 DO UPDATE SET note = excluded.note, by_label = excluded.by_label, at = excluded.at
             RETURNING id",
        )
        .bind(control)
        .bind(&day)
        .bind(&note)
        .bind(&cto.name)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        super::evidence::attach(&mut tx, evidence, &format!("access-review-{day}.csv"), "text/csv", &file).await?;
    }
    let sha = crate::platform::encode::hex(&<sha2::Sha256 as sha2::Digest>::digest(&file));
    Entry::new(&cto.actor(), "assurance", "access_review").detail(format!("{note} SHA-256 {sha}")).record(&mut tx).await?;
    tx.commit().await?;
    st.changes.tell(Changed::Controls);
    Ok(accounts)
}

/// Admin's security section.
pub async fn admin_section(st: &AppState) -> Result<AdminSecurity, AppError> {
    let backups = super::backups::own(&st.pool).await?;
    let last: Option<(String, String)> = sqlx::query_as(
        "SELECT e.performed_on, e.by_label FROM control_evidence e JOIN controls c ON c.id = e.control_id WHERE c.evidence = 'access_review' ORDER BY e.performed_on DESC, e.id DESC LIMIT 1",
    )
    .fetch_optional(&st.pool)
    .await?;
    let review_controls = sqlx::query_as("SELECT id, code || ' ' || title FROM controls WHERE evidence = 'access_review' AND retired_on IS NULL ORDER BY code").fetch_all(&st.pool).await?;
    Ok(AdminSecurity { backups, last_review: last.map(|(day, by)| format!("{day} by {by}")), review_controls })
}

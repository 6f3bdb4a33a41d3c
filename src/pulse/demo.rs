//! Demo surveys: "IT satisfaction", every quarter, asking every department's heads and leads
//! (nine team leads join the demo's accounts for it, password northstar-demo). Two rounds: last
//! quarter's, closed, with both departments' scores; this quarter's, open, where Operations has
//! enough answers to show and Engineering not yet. Times are relative to now.

use crate::access::Role;
use crate::platform::db::begin_write;
use crate::platform::error::AppError;
use crate::platform::time::DAY;
use sqlx::SqlitePool;

/// The leads: (email, name, department).
pub const LEADS: [(&str, &str, &str); 9] = [
    ("eng.lead1@northstar.demo", "Mei Chen", "Engineering"),
    ("eng.lead2@northstar.demo", "Tom Becker", "Engineering"),
    ("eng.lead3@northstar.demo", "Ana Silva", "Engineering"),
    ("eng.lead4@northstar.demo", "Luis Ortega", "Engineering"),
    ("eng.lead5@northstar.demo", "Hana Sato", "Engineering"),
    ("ops.lead1@northstar.demo", "Olu Adeyemi", "Operations"),
    ("ops.lead2@northstar.demo", "Kate Novak", "Operations"),
    ("ops.lead3@northstar.demo", "Raj Patel", "Operations"),
    ("ops.lead4@northstar.demo", "Sofia Rossi", "Operations"),
];

/// Each round: (days ago it opened, [(email, score, comment)]).
const ROUNDS: [(i64, &[(&str, i64, &str)]); 2] = [
    (100, &[
        ("eng.head@northstar.demo", 4, "CI is much faster than last year."),
        ("eng.lead1@northstar.demo", 3, "Laptops are slow to build the mobile app."),
        ("eng.lead2@northstar.demo", 4, ""),
        ("eng.lead3@northstar.demo", 3, ""),
        ("eng.lead4@northstar.demo", 4, "Single sign-on everywhere helps."),
        ("eng.lead5@northstar.demo", 2, "Too many tools for traces and logs."),
        ("ops.head@northstar.demo", 3, "Paging wakes the wrong team."),
        ("ops.lead1@northstar.demo", 3, ""),
        ("ops.lead2@northstar.demo", 2, "The VPN drops from home."),
        ("ops.lead3@northstar.demo", 4, ""),
        ("ops.lead4@northstar.demo", 3, ""),
    ]),
    (9, &[
        ("eng.lead1@northstar.demo", 4, "Better since the runners were added."),
        ("eng.lead2@northstar.demo", 4, ""),
        ("eng.lead3@northstar.demo", 5, ""),
        ("ops.head@northstar.demo", 4, "Night pages are down."),
        ("ops.lead1@northstar.demo", 4, ""),
        ("ops.lead2@northstar.demo", 3, "The VPN still drops."),
        ("ops.lead3@northstar.demo", 4, ""),
        ("ops.lead4@northstar.demo", 5, ""),
    ]),
];

pub async fn seed(pool: &SqlitePool, now: i64) -> Result<(), AppError> {
    let seeded: i64 = sqlx::query_scalar("SELECT count(*) FROM pulses").fetch_one(pool).await?;
    if seeded > 0 {
        return Ok(());
    }
    let Some(cto) = crate::auth::repo::user_by_email(pool, "cto@northstar.demo").await? else { return Ok(()) };
    let cto = cto.into_user();
    // One hash for all: they share the demo's password.
    let hash = crate::auth::password::hash("northstar-demo".to_string()).await?;
    let mut tx = begin_write(pool).await?;
    for (email, name, department) in LEADS {
        sqlx::query(
            "INSERT INTO users (email, name, role, department_id, password_hash) SELECT ?1, ?2, 'department_head', id, ?4 FROM departments WHERE name = ?3
             ON CONFLICT (email) DO NOTHING",
        )
        .bind(email)
        .bind(name)
        .bind(department)
        .bind(&hash)
        .execute(&mut *tx)
        .await?;
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO pulses (title, question, scale, every, roles, created_at) VALUES ('IT satisfaction', 'How satisfied are you with the technology you use at work?', 'five', 'quarter', 'department_head', ?1) RETURNING id",
    )
    .bind(now - 100 * DAY)
    .fetch_one(&mut *tx)
    .await?;
    super::service::keep_in_kpis(&mut tx, &cto, id, "IT satisfaction", super::model::Scale::Five, &[Role::DepartmentHead], &[]).await?;
    for (ago, answers) in ROUNDS {
        let round = super::service::open_round(&mut tx, id, now - ago * DAY).await?;
        for (email, score, comment) in answers {
            let found: Option<(i64, Option<i64>)> = sqlx::query_as("SELECT id, department_id FROM users WHERE email = ?1").bind(email).fetch_optional(&mut *tx).await?;
            let Some((user, department)) = found else { continue };
            super::service::store_answer(&mut tx, round, (user, department), *score, comment).await?;
        }
    }
    super::service::refresh_pulse(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

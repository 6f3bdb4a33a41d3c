//! Demo feedback: twenty items from the heads, the CTO and the investor, in every state, about
//! KPIs, systems, budget categories, the investor report and technology in general; planned
//! ones tied to initiatives and radar entries; the CTO's answers, votes, comments, and the
//! notices their authors have not read yet. Times are relative to now.

use super::model::{moved_notice, About, Kind, State};
use super::repo::{self, NewItem};
use crate::platform::db::begin_write;
use crate::platform::error::AppError;
use crate::platform::time::{DAY, HOUR};
use sqlx::{SqliteConnection, SqlitePool};

/// What an item is about: (about, the SQL that finds its id by name).
type Subject = (&'static str, Option<(&'static str, &'static str)>);

const KPI: &str = "SELECT id FROM kpis WHERE key = ?1";
const SYSTEM: &str = "SELECT id FROM systems WHERE name = ?1";
const CATEGORY: &str = "SELECT id FROM budget_categories WHERE name = ?1";
const REPORT: &str = "SELECT min(report_id) FROM report_versions WHERE ?1 = ?1";

struct Item {
    by: &'static str,
    kind: &'static str,
    subject: Subject,
    title: &'static str,
    body: &'static str,
    days_ago: i64,
    /// (hours after filing, state, answer); each a move or an answer of the CTO.
    answers: &'static [(i64, &'static str, &'static str)],
    /// Planned as: ("initiative" | "radar", its title or name).
    planned: Option<(&'static str, &'static str)>,
    voters: &'static [&'static str],
    comments: &'static [(&'static str, &'static str)],
}

const ENG: &str = "eng.head@northstar.demo";
const OPS: &str = "ops.head@northstar.demo";
const CTO: &str = "cto@northstar.demo";
const INVESTOR: &str = "investor@northstar.demo";

const fn item(by: &'static str, kind: &'static str, subject: Subject, title: &'static str, days_ago: i64) -> Item {
    Item { by, kind, subject, title, body: "", days_ago, answers: &[], planned: None, voters: &[], comments: &[] }
}

const ITEMS: [Item; 20] = [
    // New: nobody has answered yet.
    Item { body: "Builds wait 12 minutes for a runner most mornings; engineers context-switch while they wait.", voters: &[OPS], ..item(ENG, "problem", ("kpi", Some((KPI, "ci-duration"))), "CI queues every morning", 2) },
    Item { body: "The Overview could show each team's own error budget next to the availability KPI.", ..item(OPS, "request", ("kpi", Some((KPI, "availability"))), "Error budget per team", 4) },
    item(ENG, "praise", ("system", Some((SYSTEM, "Customer web app"))), "The new web app release went without a hitch", 1),
    Item { body: "Could the next report say how the multi-region work affects the cost per customer?", ..item(INVESTOR, "request", ("report", Some((REPORT, ""))), "Cost of multi-region in the next report", 3) },
    Item { body: "Support tickets about slow pages doubled since the search change.", voters: &[ENG], ..item(OPS, "problem", ("system", Some((SYSTEM, "Public API"))), "Public API slower in the afternoon", 9) },
    // Under review.
    Item { body: "Each team would see what it spends on cloud every week, not at quarter end.", answers: &[(20, "under_review", "Looking at it with Finance: the cloud cost page has most of it already.")], voters: &[OPS], ..item(ENG, "request", ("budget", Some((CATEGORY, "Cloud"))), "Weekly cloud cost per team", 16) },
    Item { answers: &[(6, "under_review", "")], comments: &[(ENG, "Same for us: the VPN drops twice a day from home.")], ..item(OPS, "problem", ("technology", None), "VPN drops on home connections", 12) },
    Item { body: "Training money runs out by the summer; people postpone courses to next year.", answers: &[(30, "under_review", "Checking the plan against last year's actuals.")], ..item(ENG, "request", ("budget", Some((CATEGORY, "Training"))), "More training budget for the second half", 25) },
    Item { answers: &[(48, "under_review", "")], voters: &[ENG, OPS], ..item(CTO, "request", ("technology", None), "One place for runbooks", 20) },
    // Planned: tied to the work that answers it.
    Item { body: "Three tools show traces, and none shows them all.", answers: &[(4, "under_review", ""), (50, "planned", "Part of the observability consolidation: one agent and one place for traces by the end of the quarter.")], planned: Some(("initiative", "Observability platform consolidation")), voters: &[OPS], comments: &[(OPS, "Operations would like the on-call dashboards first.")], ..item(ENG, "request", ("technology", None), "One tool for traces and logs", 60) },
    Item { answers: &[(10, "planned", "The multi-region work removes the single region this depends on.")], planned: Some(("initiative", "Multi-region active-active for the API")), voters: &[ENG], ..item(OPS, "problem", ("system", Some((SYSTEM, "Public API"))), "The API goes down with its region", 45) },
    Item { body: "Nobody knows who owns half of the services.", answers: &[(72, "planned", "Backstage is on the radar to assess exactly this; the Engineering team runs the trial.")], planned: Some(("radar", "Backstage")), ..item(ENG, "request", ("technology", None), "A catalogue of who owns which service", 80) },
    Item { answers: &[(24, "under_review", ""), (96, "planned", "Renovate takes these over: weekly, on every repository.")], planned: Some(("radar", "Renovate")), ..item(OPS, "problem", ("kpi", Some((KPI, "security-patch-sla"))), "Patches wait for someone to update dependencies", 100) },
    Item { answers: &[(8, "planned", "The trunk-based delivery work cuts the wait for a release.")], planned: Some(("initiative", "Trunk-based delivery and feature flags")), ..item(ENG, "request", ("kpi", Some((KPI, "lead-time"))), "Release without a change board", 130) },
    // Done.
    Item { answers: &[(5, "under_review", ""), (200, "done", "Pages now go to the service's own team first; night pages fell by a third.")], voters: &[ENG], ..item(OPS, "problem", ("kpi", Some((KPI, "oncall-pages"))), "Too many night pages for Operations", 70) },
    Item { answers: &[(3, "done", "Thank you: passed on to the team.")], ..item(ENG, "praise", ("system", Some((SYSTEM, "Payments service"))), "Payments held up on Black Friday", 40) },
    Item { answers: &[(30, "done", "Section added from the Q3 report on: the Objectives and investment part.")], ..item(INVESTOR, "request", ("report", Some((REPORT, ""))), "Show how investment splits between new and old", 75) },
    // Declined, with why.
    Item { answers: &[(40, "declined", "Staff cost is shown by department only: salaries are not shared per person.")], ..item(ENG, "request", ("budget", Some((CATEGORY, "Staff"))), "Show salaries per person in the budget", 55) },
    Item { answers: &[(12, "under_review", ""), (120, "declined", "The current laptops meet the build times we measured; we revisit at the next refresh.")], voters: &[OPS], ..item(ENG, "request", ("budget", Some((CATEGORY, "Hardware"))), "New laptops for every engineer this year", 90) },
    Item { answers: &[(60, "declined", "Chat stays on the current tool until its contract ends in spring.")], ..item(OPS, "request", ("technology", None), "Move chat to another tool now", 35) },
];

async fn id_of(db: &mut SqliteConnection, sql: &str, name: &str) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar::<_, Option<i64>>(sql).bind(name).fetch_optional(&mut *db).await?.flatten())
}

/// Adds the demo's feedback once.
pub async fn seed(pool: &SqlitePool, now: i64) -> Result<(), AppError> {
    let Some(cto_user) = crate::auth::repo::user_by_email(pool, CTO).await? else { return Ok(()) };
    let mut tx = begin_write(pool).await?;
    let seeded: i64 = sqlx::query_scalar("SELECT count(*) FROM feedback_items").fetch_one(&mut *tx).await?;
    if seeded > 0 {
        return Ok(());
    }
    let Some(cto) = id_of(&mut tx, "SELECT id FROM users WHERE email = ?1", CTO).await? else { return Ok(()) };
    for it in &ITEMS {
        let Some(author) = id_of(&mut tx, "SELECT id FROM users WHERE email = ?1", it.by).await? else { continue };
        let (role, department): (String, Option<i64>) = sqlx::query_as("SELECT role, department_id FROM users WHERE id = ?1").bind(author).fetch_one(&mut *tx).await?;
        let (about, find) = it.subject;
        let target = match find {
            Some((sql, name)) => match id_of(&mut tx, sql, name).await? {
                Some(id) => Some(id),
                None => continue,
            },
            None => None,
        };
        let filed = now - it.days_ago * DAY - 3 * HOUR;
        let (Some(kind), Some(about)) = (Kind::parse(it.kind), About::parse(about)) else { continue };
        let new = NewItem { kind, about, target, title: it.title, body: it.body, author, department, private: role == "investor", at: filed };
        let id = repo::insert_item(&mut tx, &new).await?;
        answer(&mut tx, it, id, (author, cto), (filed, now)).await?;
        for (n, voter) in it.voters.iter().enumerate() {
            if let Some(v) = id_of(&mut tx, "SELECT id FROM users WHERE email = ?1", voter).await? {
                sqlx::query("INSERT INTO feedback_votes (item_id, user_id, at) VALUES (?1, ?2, ?3)").bind(id).bind(v).bind(filed + (n as i64 + 1) * HOUR).execute(&mut *tx).await?;
            }
        }
        for (n, (by, body)) in it.comments.iter().enumerate() {
            if let Some(c) = id_of(&mut tx, "SELECT id FROM users WHERE email = ?1", by).await? {
                sqlx::query("INSERT INTO feedback_comments (item_id, author_id, body, at) VALUES (?1, ?2, ?3, ?4)").bind(id).bind(c).bind(*body).bind(filed + (n as i64 + 2) * HOUR).execute(&mut *tx).await?;
            }
        }
    }
    // The demo's CTO keeps the response times as KPIs, with four months of history.
    super::service::keep_kpis_in(&mut tx, &cto_user.into_user()).await?;
    super::service::refresh_kpis(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// The CTO's answers to one item, as its history, its state and links, and a notice to its
/// author for the last one when that was within the week (older ones were read).
async fn answer(db: &mut SqliteConnection, it: &Item, id: i64, (author, cto): (i64, i64), (filed, now): (i64, i64)) -> Result<(), AppError> {
    let mut state = "new";
    let mut last_at = filed;
    for (hours, to, text) in it.answers {
        let at = filed + hours * HOUR;
        sqlx::query("INSERT INTO feedback_answers (item_id, from_state, to_state, answer, by_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .bind(id)
            .bind(state)
            .bind(*to)
            .bind(*text)
            .bind(cto)
            .bind(at)
            .execute(&mut *db)
            .await?;
        state = to;
        last_at = at;
    }
    if it.answers.is_empty() {
        return Ok(());
    }
    let answer = it.answers.iter().rev().map(|a| a.2).find(|t| !t.is_empty()).unwrap_or("");
    let first = filed + it.answers[0].0 * HOUR;
    let closed = matches!(state, "done" | "declined").then_some(last_at);
    let (initiative, entry) = match it.planned {
        Some(("initiative", title)) => (id_of(db, "SELECT id FROM initiatives WHERE title = ?1", title).await?, None),
        Some((_, name)) => (None, id_of(db, "SELECT id FROM radar_entries WHERE name = ?1", name).await?),
        None => (None, None),
    };
    sqlx::query(
        "UPDATE feedback_items SET state = ?2, answer = ?3, answered_at = ?4, closed_at = ?5, initiative_id = ?6, radar_entry_id = ?7, updated_at = ?8 WHERE id = ?1",
    )
    .bind(id)
    .bind(state)
    .bind(answer)
    .bind(first)
    .bind(closed)
    .bind(initiative)
    .bind(entry)
    .bind(last_at)
    .execute(&mut *db)
    .await?;
    if author != cto {
        let read = (last_at < now - 7 * DAY).then_some(last_at + HOUR);
        if let (Some(kind), Some(to)) = (Kind::parse(it.kind), State::parse(state)) {
            repo::notify(db, author, id, &moved_notice(kind, it.title, to), last_at, read).await?;
        }
    }
    Ok(())
}

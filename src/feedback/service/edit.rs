//! Changing feedback: a new item from anyone signed in, votes and comments from those who read
//! it, and the CTO's answers that move it through the workflow. Every form is checked whole,
//! each mistake at its field, before anything is written; every change leaves an audit record,
//! and the author is told of every answer and comment that is not their own: in the app, and
//! through their own notification channels that ask for it (relayed by the alert area).

use super::super::model::{move_problems, moved_notice, About, Kind, State};
use super::super::repo::{self, ItemRecord, NewItem};
use super::super::view::{AnswerInput, CommentInput, FeedbackInput};
use super::visible_item;
use crate::access::Role;
use crate::auth::User;
use crate::platform::audit::Entry;
use crate::platform::changes::Changed;
use crate::platform::db::{begin_write, chosen, now_unix};
use crate::platform::error::{parse_id, AppError, Problems};
use crate::platform::state::AppState;
use crate::platform::validate::{optional_text, required_text};
use sqlx::SqliteConnection;

/// Files a new item; its id.
pub async fn save(st: &AppState, user: &User, input: FeedbackInput) -> Result<i64, AppError> {
    let mut p = Problems::default();
    let kind = p.check("kind", Kind::parse(&input.kind).ok_or_else(|| "Choose a request, a problem or praise.".to_string()));
    let (about_text, target_text) = input.subject.trim().split_once(':').unwrap_or((input.subject.trim(), ""));
    let about = match About::parse(about_text) {
        Some(a) if a.open_to(user.role) => Some(a),
        _ => {
            p.add("subject", "Choose what it is about.");
            None
        }
    };
    let title = p.check("title", required_text(&input.title, "summary", 120));
    let body = optional_text(&mut p, "body", &input.body, 4000);
    let mut tx = begin_write(&st.pool).await?;
    let target = match about {
        Some(About::Technology) | None => None,
        Some(a) => {
            let (sql, what) = match a {
                About::Kpi => (repo::kpi_choices(user), "the KPI it is about"),
                About::System => (repo::SYSTEMS.to_string(), "the system it is about"),
                About::Budget => (repo::CATEGORIES.to_string(), "the budget category it is about"),
                _ => ((if user.role == Role::Cto { repo::ALL_REPORTS } else { repo::PUBLISHED_REPORTS }).to_string(), "the report it is about"),
            };
            if target_text.trim().is_empty() {
                p.add("subject", format!("Choose {what}."));
                None
            } else {
                chosen(&mut tx, &mut p, "subject", target_text, &sql, what).await?
            }
        }
    };
    p.finish()?;
    let (Some(kind), Some(about), Some(title)) = (kind, about, title) else { return Err(AppError::Internal) };
    let new = NewItem {
        kind,
        about,
        target,
        title: &title,
        body: &body,
        author: user.id,
        department: if user.role == Role::DepartmentHead { user.department_id } else { None },
        private: user.role == Role::Investor,
        at: now_unix(),
    };
    let id = repo::insert_item(&mut tx, &new).await?;
    Entry::new(&user.actor(), "feedback", "file")
        .object("feedback", id, &title)
        .change("kind", None, Some(kind.label().into()))
        .change("about", None, Some(repo::item(&mut tx, id).await?.subject(user).label))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds the reader's vote, or takes it back; whether they now vote for it. Authors do not vote
/// for their own items, and investors, who read only their own, never vote.
pub async fn vote(st: &AppState, user: &User, id: i64) -> Result<bool, AppError> {
    let mut tx = begin_write(&st.pool).await?;
    let item = visible_item(&mut tx, user, id).await?;
    if user.role == Role::Investor || item.author_id == Some(user.id) {
        return Err(AppError::conflict("Your own item counts already: votes are for others’ items."));
    }
    let taken = sqlx::query("DELETE FROM feedback_votes WHERE item_id = ?1 AND user_id = ?2").bind(id).bind(user.id).execute(&mut *tx).await?.rows_affected() > 0;
    if !taken {
        sqlx::query("INSERT INTO feedback_votes (item_id, user_id, at) VALUES (?1, ?2, ?3)").bind(id).bind(user.id).bind(now_unix()).execute(&mut *tx).await?;
    }
    Entry::new(&user.actor(), "feedback", if taken { "unvote" } else { "vote" }).object("feedback", id, &item.title).record(&mut tx).await?;
    tx.commit().await?;
    Ok(!taken)
}

pub async fn comment(st: &AppState, user: &User, input: CommentInput) -> Result<i64, AppError> {
    let id = parse_id(&input.item, "feedback item")?.ok_or(AppError::NotFound)?;
    let mut p = Problems::default();
    let body = p.check("body", required_text(&input.body, "comment", 2000));
    let mut tx = begin_write(&st.pool).await?;
    let item = visible_item(&mut tx, user, id).await?;
    p.finish()?;
    let body = body.unwrap_or_default();
    let now = now_unix();
    sqlx::query("INSERT INTO feedback_comments (item_id, author_id, body, at) VALUES (?1, ?2, ?3, ?4)").bind(id).bind(user.id).bind(&body).bind(now).execute(&mut *tx).await?;
    sqlx::query("UPDATE feedback_items SET updated_at = ?2 WHERE id = ?1").bind(id).bind(now).execute(&mut *tx).await?;
    tell_author(&mut tx, user, &item, &format!("{} commented on your {} “{}”", user.name, item.kind.label().to_lowercase(), item.title), now).await?;
    Entry::new(&user.actor(), "feedback", "comment").object("feedback", id, &item.title).detail(body).record(&mut tx).await?;
    tx.commit().await?;
    st.changes.tell(Changed::Notice);
    Ok(id)
}

/// The CTO moves an item and answers it. The answer is public: every reader of the item sees
/// it, and its author is told.
pub async fn answer(st: &AppState, cto: &User, input: AnswerInput) -> Result<(i64, String), AppError> {
    let id = parse_id(&input.item, "feedback item")?.ok_or(AppError::NotFound)?;
    let mut p = Problems::default();
    let to = p.check("state", State::parse(&input.state).ok_or_else(|| "Choose a state.".to_string()));
    let answer = optional_text(&mut p, "answer", &input.answer, 4000);
    let mut tx = begin_write(&st.pool).await?;
    let item = visible_item(&mut tx, cto, id).await?;
    let initiative = chosen(&mut tx, &mut p, "initiative", &input.initiative, repo::INITIATIVES, "an initiative").await?;
    let radar_entry = chosen(&mut tx, &mut p, "radar_entry", &input.radar_entry, repo::RADAR_ENTRIES, "a radar entry").await?;
    if let Some(to) = to {
        // A link given but not found is already refused at its own field.
        let linked = !input.initiative.trim().is_empty() || !input.radar_entry.trim().is_empty();
        for (field, message) in move_problems(item.state, to, &answer, linked) {
            p.add(field, message);
        }
    }
    p.finish()?;
    let Some(to) = to else { return Err(AppError::Internal) };
    let now = now_unix();
    // Links are kept while the work goes on and when it is done; a decline drops them.
    let (initiative, radar_entry) = if to == State::Declined { (None, None) } else { (initiative.or(item.initiative_id), radar_entry.or(item.radar_entry_id)) };
    sqlx::query(
        "UPDATE feedback_items SET state = ?2, answer = CASE WHEN ?3 = '' THEN answer ELSE ?3 END, initiative_id = ?4, radar_entry_id = ?5,
                answered_at = coalesce(answered_at, ?6), closed_at = CASE WHEN ?2 IN ('done', 'declined') THEN ?6 ELSE NULL END, updated_at = ?6
         WHERE id = ?1",
    )
    .bind(id)
    .bind(to.as_str())
    .bind(&answer)
    .bind(initiative)
    .bind(radar_entry)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO feedback_answers (item_id, from_state, to_state, answer, by_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(id)
        .bind(item.state.as_str())
        .bind(to.as_str())
        .bind(&answer)
        .bind(cto.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let told = if to == item.state { format!("Your {} “{}” has an answer", item.kind.label().to_lowercase(), item.title) } else { moved_notice(item.kind, &item.title, to) };
    tell_author(&mut tx, cto, &item, &told, now).await?;
    let mut entry = Entry::new(&cto.actor(), "feedback", "answer").object("feedback", id, &item.title);
    if to != item.state {
        entry = entry.change("state", Some(item.state.label().into()), Some(to.label().into()));
    }
    entry.detail(answer).record(&mut tx).await?;
    let kpis = super::kpis::refresh(&mut tx).await?;
    tx.commit().await?;
    st.changes.tell(Changed::Notice);
    for kpi in kpis {
        st.changes.tell(Changed::Kpi(kpi));
    }
    let said = if to == item.state { "Answered. Its author is told.".to_string() } else { format!("Moved to {}. Its author is told.", to.label().to_lowercase()) };
    Ok((id, said))
}

/// A notice for the item's author, unless they are the one acting.
async fn tell_author(db: &mut SqliteConnection, actor: &User, item: &ItemRecord, text: &str, now: i64) -> Result<(), AppError> {
    match item.author_id.filter(|a| *a != actor.id) {
        Some(author) => repo::notify(db, author, item.id, text, now, None).await,
        None => Ok(()),
    }
}

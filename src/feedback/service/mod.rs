//! The bodies of feedback's server functions that read. Everyone signed in gives feedback and
//! reads what `model::may_read` allows: the CTO everything; a head their department's items
//! and the company-wide ones; an investor their own. An item the reader may not see answers
//! like one that does not exist (403 to a head or investor, 404 to the CTO), so ids cannot be
//! probed.

mod edit;
mod kpis;

pub use edit::{answer, comment, save, vote};
pub use kpis::keep as keep_kpis;
pub(crate) use kpis::{keep_in as keep_kpis_in, refresh as refresh_kpis};

use super::model::{median_hours, About, State};
use super::repo::{self, ItemRecord};
use super::view::{AboutList, AnswerRow, CommentRow, FeedbackForm, FeedbackView, ItemPage, NoticeRow, Theme, Triage};
use crate::access::{Page, Role};
use crate::auth::User;
use crate::platform::db::{choices, now_unix};
use crate::platform::error::{refused, AppError};
use crate::platform::state::AppState;
use crate::platform::time::{minute, DAY};
use sqlx::SqliteConnection;
use std::collections::BTreeMap;

/// Closed items stay on the list, and count towards response times, this long.
const RECENT: i64 = 90 * DAY;

async fn visible_item(db: &mut SqliteConnection, user: &User, id: i64) -> Result<ItemRecord, AppError> {
    match repo::item(db, id).await {
        Ok(i) if super::model::may_read(user.role, user.id, user.department_id, &i.owned()) => Ok(i),
        Ok(_) | Err(AppError::NotFound) => Err(user.hidden()),
        Err(e) => Err(e),
    }
}

pub async fn list(st: &AppState, user: &User, sort: &str) -> Result<FeedbackView, AppError> {
    let mut db = st.pool.acquire().await?;
    let now = now_unix();
    let every = repo::items(&mut db, user, "1", None).await?;
    let by_votes = sort != "age";
    let recent = every.iter().filter(|i| i.closed_at.is_none_or(|at| at >= now - RECENT));
    let (mut open, closed): (Vec<_>, Vec<_>) = recent.partition(|i| i.state.is_open());
    if by_votes {
        open.sort_by_key(|i| (-i.votes, i.created_at));
    } else {
        open.sort_by_key(|i| i.created_at);
    }
    let notices = sqlx::query_as::<_, (String, String, i64)>("SELECT text, link, created_at FROM notices WHERE user_id = ?1 AND read_at IS NULL ORDER BY id DESC LIMIT 20")
        .bind(user.id)
        .fetch_all(&mut *db)
        .await?
        .into_iter()
        .map(|(text, link, at)| NoticeRow { text, link, at: minute(at) })
        .collect();
    let triage = match user.role {
        Role::Cto => {
            let kept = kpis::kept(&mut db).await?;
            let can_keep = kept.len() < super::model::Measure::ALL.len();
            let kept = kept.into_iter().map(|(m, _, key)| (m.label().to_string(), Page::KpiDetail.href(&[&key]))).collect();
            Some(Triage { kept, can_keep, ..triage(&every, user, now) })
        }
        _ => None,
    };
    Ok(FeedbackView {
        open: open.into_iter().map(|i| i.row(user, now)).collect(),
        closed: closed.into_iter().map(|i| i.row(user, now)).collect(),
        notices,
        triage,
        sort: if by_votes { "votes" } else { "age" }.into(),
        can_vote: user.role != Role::Investor,
    })
}

/// Where feedback gathers and how fast it is answered, over every item.
fn triage(all: &[ItemRecord], cto: &User, now: i64) -> Triage {
    let mut themes: BTreeMap<String, Theme> = BTreeMap::new();
    let mut by_state: BTreeMap<usize, i64> = BTreeMap::new();
    let (mut answered, mut closed, mut waiting) = (Vec::new(), Vec::new(), 0);
    for i in all {
        let subject = i.subject(cto);
        let theme = themes.entry(subject.label.clone()).or_insert(Theme { subject, open: 0, total: 0, votes: 0 });
        theme.total += 1;
        theme.votes += i.votes;
        if i.state.is_open() {
            theme.open += 1;
        }
        *by_state.entry(State::ALL.iter().position(|s| *s == i.state).unwrap_or(0)).or_default() += 1;
        if i.created_at >= now - RECENT {
            if let Some(at) = i.answered_at {
                answered.push(at - i.created_at);
            }
        }
        if i.state.is_open() && i.answered_at.is_none() && i.created_at < now - 7 * DAY {
            waiting += 1;
        }
        if let Some(at) = i.closed_at.filter(|at| *at >= now - RECENT) {
            closed.push(at - i.created_at);
        }
    }
    let mut themes: Vec<Theme> = themes.into_values().collect();
    themes.sort_by(|a, b| (b.open, b.votes, b.total).cmp(&(a.open, a.votes, a.total)).then_with(|| a.subject.label.cmp(&b.subject.label)));
    themes.truncate(10);
    Triage {
        themes,
        first_answer_hours: median_hours(answered),
        close_hours: median_hours(closed),
        waiting_over_a_week: waiting,
        by_state: by_state.into_iter().map(|(i, n)| (State::ALL[i], n)).collect(),
        kept: Vec::new(),
        can_keep: false,
    }
}

/// One item with its answers and comments. Opening it reads the reader's notices about it.
pub async fn item_page(st: &AppState, user: &User, id: i64) -> Result<ItemPage, AppError> {
    let mut db = st.pool.acquire().await?;
    let i = visible_item(&mut db, user, id).await?;
    let history = sqlx::query_as::<_, (String, String, String, Option<String>, i64)>(
        "SELECT a.from_state, a.to_state, a.answer, u.name, a.at FROM feedback_answers a LEFT JOIN users u ON u.id = a.by_id WHERE a.item_id = ?1 ORDER BY a.id DESC",
    )
    .bind(id)
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|(from, to, answer, by, at)| {
        let label = |s: &str| State::parse(s).map_or("?", |s| s.label());
        let words = if from == to { "Answered".to_string() } else { format!("Moved from {} to {}", label(&from), label(&to)) };
        AnswerRow { at: minute(at), words, answer, by: by.unwrap_or_else(|| "A former user".into()) }
    })
    .collect();
    let comments = sqlx::query_as::<_, (Option<String>, String, i64)>(
        "SELECT u.name, c.body, c.at FROM feedback_comments c LEFT JOIN users u ON u.id = c.author_id WHERE c.item_id = ?1 ORDER BY c.id",
    )
    .bind(id)
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|(by, body, at)| CommentRow { at: minute(at), by: by.unwrap_or_else(|| "A former user".into()), body })
    .collect();
    let voted: bool = sqlx::query_scalar("SELECT count(*) > 0 FROM feedback_votes WHERE item_id = ?1 AND user_id = ?2").bind(id).bind(user.id).fetch_one(&mut *db).await?;
    let initiative = match i.initiative_id {
        Some(x) => sqlx::query_as::<_, (i64, String)>("SELECT id, title FROM initiatives WHERE id = ?1").bind(x).fetch_optional(&mut *db).await?,
        None => None,
    };
    let radar_entry = match i.radar_entry_id {
        Some(x) => sqlx::query_as::<_, (i64, String)>("SELECT id, name FROM radar_entries WHERE id = ?1").bind(x).fetch_optional(&mut *db).await?,
        None => None,
    };
    let decides = user.role == Role::Cto;
    let (initiatives, radar_entries) = if decides {
        (choices(&mut db, repo::INITIATIVES).await?, choices(&mut db, repo::RADAR_ENTRIES).await?)
    } else {
        (Vec::new(), Vec::new())
    };
    sqlx::query("UPDATE notices SET read_at = ?3 WHERE user_id = ?1 AND item_id = ?2 AND read_at IS NULL").bind(user.id).bind(id).bind(now_unix()).execute(&mut *db).await?;
    let row = i.row(user, now_unix());
    Ok(ItemPage {
        id,
        kind: Some(i.kind),
        title: i.title.clone(),
        body: i.body.clone(),
        subject: row.subject,
        author: row.author,
        created_on: row.created_on,
        state: Some(i.state),
        answer: i.answer.clone(),
        // Staff reach initiatives and the radar; an investor reads the answer without the links.
        initiative: initiative.filter(|_| user.role != Role::Investor),
        radar_entry: radar_entry.filter(|_| user.role != Role::Investor),
        history,
        comments,
        votes: i.votes,
        voted,
        can_vote: user.role != Role::Investor && i.author_id != Some(user.id),
        decides,
        initiatives,
        radar_entries,
        private: i.private,
    })
}

/// The items about one KPI, system, budget category or report, for its page.
pub async fn about(st: &AppState, user: &User, about: About, target: i64) -> Result<AboutList, AppError> {
    if !about.open_to(user.role) || about == About::Technology {
        return Err(refused(AppError::Forbidden));
    }
    let column = repo::target_column(about).ok_or(AppError::Internal)?;
    let mut db = st.pool.acquire().await?;
    let now = now_unix();
    // The budget page lists what is said about every category (target 0).
    let filter = if about == About::Budget && target == 0 { "f.about = 'budget' AND ?4 = 0".to_string() } else { format!("f.{column} = ?4") };
    let items = repo::items(&mut db, user, &filter, Some(target)).await?;
    let subject = if target == 0 { String::new() } else { format!("{}:{target}", about.as_str()) };
    Ok(AboutList {
        items: items.iter().map(|i| i.row(user, now)).collect(),
        new_link: crate::platform::encode::with_query(Page::FeedbackNew.path(), &[("subject", &subject)]),
    })
}

/// The new item's form: what the reader may give feedback about, and the choices of each.
pub async fn editor(st: &AppState, user: &User) -> Result<FeedbackForm, AppError> {
    let mut db = st.pool.acquire().await?;
    let abouts: Vec<About> = About::ALL.iter().copied().filter(|a| a.open_to(user.role)).collect();
    let staff = user.role != Role::Investor;
    Ok(FeedbackForm {
        kpis: if staff { choices(&mut db, &repo::kpi_choices(user)).await? } else { Vec::new() },
        systems: if staff { choices(&mut db, repo::SYSTEMS).await? } else { Vec::new() },
        categories: if staff { choices(&mut db, repo::CATEGORIES).await? } else { Vec::new() },
        reports: match user.role {
            Role::Cto => choices(&mut db, repo::ALL_REPORTS).await?,
            Role::Investor => choices(&mut db, repo::PUBLISHED_REPORTS).await?,
            Role::DepartmentHead => Vec::new(),
        },
        abouts,
    })
}

/// How many notices wait for the reader, for the top bar.
pub async fn unread(st: &AppState, user: &User) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM notices WHERE user_id = ?1 AND read_at IS NULL").bind(user.id).fetch_one(&st.pool).await?)
}

/// A notice as it leaves the app: whom it is for, the item's title, what it says and where.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Told {
    pub id: i64,
    pub user_id: i64,
    pub title: String,
    pub text: String,
    pub link: String,
    pub created_at: i64,
}

/// The notices written after the one numbered `after`, oldest first, at most `limit`: what the
/// notification channels relay to their owners.
pub async fn notices_after(db: &mut SqliteConnection, after: i64, limit: i64) -> Result<Vec<Told>, AppError> {
    Ok(sqlx::query_as(
        "SELECT n.id, n.user_id, coalesce(f.title, '') AS title, n.text, n.link, n.created_at
         FROM notices n LEFT JOIN feedback_items f ON f.id = n.item_id WHERE n.id > ?1 ORDER BY n.id LIMIT ?2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

//! Feedback server functions: everyone signed in files items, reads those they may and
//! comments on them; staff vote; the CTO answers and moves them.

use super::view::{AboutList, AnswerInput, CommentInput, FeedbackForm, FeedbackInput, FeedbackView, ItemPage};
#[cfg(feature = "ssr")]
use crate::access::{Action, Page};
use crate::platform::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "feedback")]
pub async fn load_feedback(#[server(default)] sort: String) -> Result<FeedbackView, AppError> {
    let user = crate::auth::guard::require(Action::Feedback)?;
    super::service::list(&crate::platform::state::AppState::current()?, &user, &sort).await
}

#[server(endpoint = "feedback/item")]
pub async fn feedback_item(id: i64) -> Result<ItemPage, AppError> {
    let user = crate::auth::guard::require(Action::FeedbackItem)?;
    super::service::item_page(&crate::platform::state::AppState::current()?, &user, id).await
}

#[server(endpoint = "feedback/editor")]
pub async fn feedback_editor() -> Result<FeedbackForm, AppError> {
    let user = crate::auth::guard::require(Action::FeedbackEditor)?;
    super::service::editor(&crate::platform::state::AppState::current()?, &user).await
}

/// The items about one KPI (`kpi`), system, budget category (`budget`) or report, for its page.
#[server(endpoint = "feedback/about")]
pub async fn feedback_about(about: String, target: i64) -> Result<AboutList, AppError> {
    let user = crate::auth::guard::require(Action::FeedbackAbout)?;
    let about = super::model::About::parse(&about).ok_or_else(|| AppError::field("about", "Choose kpi, system, budget or report."))?;
    super::service::about(&crate::platform::state::AppState::current()?, &user, about, target).await
}

#[server(endpoint = "feedback/notices")]
pub async fn feedback_notices() -> Result<i64, AppError> {
    let user = crate::auth::guard::require(Action::FeedbackNotices)?;
    super::service::unread(&crate::platform::state::AppState::current()?, &user).await
}

#[server(endpoint = "feedback/save")]
pub async fn save_feedback(#[server(flatten)] input: FeedbackInput) -> Result<i64, AppError> {
    let user = crate::auth::guard::require(Action::SaveFeedback)?;
    let id = super::service::save(&crate::platform::state::AppState::current()?, &user, input).await?;
    crate::ui::Flash::to(&Page::FeedbackItem.href(&[&id]), "Sent. You will be told here when the CTO answers.");
    Ok(id)
}

#[server(endpoint = "feedback/vote")]
pub async fn vote_feedback(id: i64) -> Result<bool, AppError> {
    let user = crate::auth::guard::require(Action::VoteFeedback)?;
    let voted = super::service::vote(&crate::platform::state::AppState::current()?, &user, id).await?;
    crate::ui::Flash::back(&Page::FeedbackItem.href(&[&id]), if voted { "Your vote is counted." } else { "Your vote is taken back." }, &[], "", "");
    Ok(voted)
}

#[server(endpoint = "feedback/comment")]
pub async fn comment_feedback(#[server(flatten)] input: CommentInput) -> Result<i64, AppError> {
    let user = crate::auth::guard::require(Action::CommentFeedback)?;
    let id = super::service::comment(&crate::platform::state::AppState::current()?, &user, input).await?;
    crate::ui::Flash::back(&Page::FeedbackItem.href(&[&id]), "Comment added.", &[], "comments", "");
    Ok(id)
}

#[server(endpoint = "feedback/answer")]
pub async fn answer_feedback(#[server(flatten)] input: AnswerInput) -> Result<i64, AppError> {
    let cto = crate::auth::guard::require(Action::AnswerFeedback)?;
    let (id, said) = super::service::answer(&crate::platform::state::AppState::current()?, &cto, input).await?;
    crate::ui::Flash::back(&Page::FeedbackItem.href(&[&id]), said, &[], "", "");
    Ok(id)
}

/// Keeps the response times as KPIs, with a value each month from every answered item.
#[server(endpoint = "feedback/kpis")]
pub async fn keep_feedback_kpis() -> Result<usize, AppError> {
    let cto = crate::auth::guard::require(Action::KeepFeedbackKpis)?;
    let made = super::service::keep_kpis(&crate::platform::state::AppState::current()?, &cto).await?;
    let said = match made {
        0 => "The response times are kept as KPIs already.",
        _ => "Kept as KPIs, with a value for each month since the first answer. Their targets are on the KPIs' pages.",
    };
    crate::ui::Flash::back(Page::Feedback.path(), said, &[], "triage-title", "");
    Ok(made)
}

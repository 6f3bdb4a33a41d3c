//! Survey server functions: the CTO sends surveys and reads their results; whoever a survey
//! asks answers it, anonymously.

use super::view::{PulseAnswer, PulseInput, PulsePage, SurveysView, Waiting};
#[cfg(feature = "ssr")]
use crate::access::{Action, Page};
use crate::platform::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "surveys")]
pub async fn load_surveys() -> Result<SurveysView, AppError> {
    let cto = crate::auth::guard::require(Action::Surveys)?;
    super::service::surveys(&crate::platform::state::AppState::current()?, &cto).await
}

#[server(endpoint = "surveys/detail")]
pub async fn survey_detail(id: i64) -> Result<PulsePage, AppError> {
    let cto = crate::auth::guard::require(Action::SurveyDetail)?;
    super::service::pulse_page(&crate::platform::state::AppState::current()?, &cto, id).await
}

#[server(endpoint = "surveys/save")]
pub async fn save_survey(#[server(flatten)] input: PulseInput) -> Result<i64, AppError> {
    let cto = crate::auth::guard::require(Action::SaveSurvey)?;
    let id = super::service::save(&crate::platform::state::AppState::current()?, &cto, input).await?;
    crate::ui::Flash::to(&Page::SurveyDetail.href(&[&id]), "Sent. Those it asks see it at the top of their pages until they answer.");
    Ok(id)
}

#[server(endpoint = "surveys/send")]
pub async fn send_survey(id: i64) -> Result<(), AppError> {
    let cto = crate::auth::guard::require(Action::SendSurvey)?;
    let said = super::service::send_round(&crate::platform::state::AppState::current()?, &cto, id).await?;
    crate::ui::Flash::back(&Page::SurveyDetail.href(&[&id]), said, &[], "", "");
    Ok(())
}

#[server(endpoint = "surveys/waiting")]
pub async fn surveys_waiting() -> Result<Vec<Waiting>, AppError> {
    let user = crate::auth::guard::require(Action::SurveysWaiting)?;
    super::service::waiting(&crate::platform::state::AppState::current()?, &user).await
}

#[server(endpoint = "surveys/answer")]
pub async fn answer_survey(#[server(flatten)] input: PulseAnswer) -> Result<(), AppError> {
    let user = crate::auth::guard::require(Action::AnswerSurvey)?;
    let said = super::service::answer(&crate::platform::state::AppState::current()?, &user, input).await?;
    crate::ui::Flash::back(Page::SurveyAnswer.path(), said, &[], "", "");
    Ok(())
}

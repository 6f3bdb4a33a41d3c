//! Alert server functions. Staff read and acknowledge the alerts of their scope; the CTO sets
//! the rules.

use super::model::{AlertList, AlertRow, AlertsQuery, RuleSetting};
use crate::platform::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "alerts/list")]
pub async fn list_alerts(query: AlertsQuery) -> Result<AlertList, AppError> {
    let user = crate::auth::guard::require(crate::access::Action::ListAlerts)?;
    super::service::list(&user, &query).await
}

/// The open alerts about one page (`at`: its path), shown above it.
#[server(endpoint = "alerts/here")]
pub async fn alerts_here(at: String) -> Result<Vec<AlertRow>, AppError> {
    let user = crate::auth::guard::require(crate::access::Action::AlertsHere)?;
    super::service::here(&user, &at).await
}

/// The bell's count: open alerts the caller sees and nobody has acknowledged.
#[server(endpoint = "alerts/firing")]
pub async fn firing_alerts() -> Result<(i64, i64), AppError> {
    let user = crate::auth::guard::require(crate::access::Action::FiringAlerts)?;
    let st = crate::platform::state::AppState::current()?;
    let mut db = st.pool.acquire().await?;
    super::service::firing(&mut db, &user).await
}

#[server(endpoint = "alerts/acknowledge")]
pub async fn acknowledge_alert(id: i64) -> Result<(), AppError> {
    let user = crate::auth::guard::require(crate::access::Action::AcknowledgeAlert)?;
    super::service::acknowledge(&crate::platform::state::AppState::current()?, &user, id).await
}

/// `minutes`: one of `service::MUTE_FOR`, or 0 to lift the mute.
#[server(endpoint = "alerts/mute")]
pub async fn mute_alert(id: i64, minutes: i64) -> Result<(), AppError> {
    let user = crate::auth::guard::require(crate::access::Action::MuteAlert)?;
    super::service::mute(&crate::platform::state::AppState::current()?, &user, id, minutes).await
}

#[server(endpoint = "alerts/rules")]
pub async fn alert_rules() -> Result<Vec<RuleSetting>, AppError> {
    crate::auth::guard::require(crate::access::Action::AlertRules)?;
    super::service::settings(&crate::platform::state::AppState::current()?).await
}

/// `enabled` is a checkbox: absent when unticked.
#[server(endpoint = "alerts/rules/save")]
pub async fn save_alert_rule(kind: String, #[server(default)] enabled: Option<String>, threshold: String, hold_minutes: String, repeat_minutes: String) -> Result<(), AppError> {
    let cto = crate::auth::guard::require(crate::access::Action::SaveAlertRule)?;
    let rule = super::service::parse_rule(&kind, enabled.is_some_and(|v| v != "false"), &threshold, &hold_minutes, &repeat_minutes)?;
    super::service::save_rule(&crate::platform::state::AppState::current()?, &cto, rule).await
}

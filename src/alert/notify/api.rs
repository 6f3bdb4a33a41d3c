//! Channel server functions: staff set up their own channels, the CTO sees and changes all.
//! Each is a plain form's target as well as the client's.

use super::model::Channels;
use crate::platform::error::AppError;
use leptos::prelude::*;
use std::collections::HashMap;

#[server(endpoint = "alerts/channels")]
pub async fn alert_channels() -> Result<Channels, AppError> {
    let user = crate::auth::guard::require(crate::access::Action::ListAlertChannels)?;
    super::channels::list(&crate::platform::state::AppState::current()?, &user).await
}

/// `rules` arrives as `rules[kpi_status]=on`, one checkbox per kind; `id` is blank for a new one.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "alerts/channels/save")]
pub async fn save_alert_channel(
    #[server(default)] id: String,
    name: String,
    format: String,
    #[server(default)] target: String,
    #[server(default)] secret: String,
    #[server(default)] rules: HashMap<String, String>,
    #[server(default)] department: String,
    #[server(default)] critical_only: Option<String>,
    #[server(default)] feedback: Option<String>,
    #[server(default)] enabled: Option<String>,
) -> Result<(), AppError> {
    let user = crate::auth::guard::require(crate::access::Action::SaveAlertChannel)?;
    let on = |v: &Option<String>| v.as_deref().is_some_and(|v| v != "false");
    let mut rules: Vec<String> = rules.into_iter().filter(|(_, v)| v != "false").map(|(k, _)| k).collect();
    rules.sort();
    let form = super::channels::ChannelForm { id, name, format, target, secret, rules, department, critical_only: on(&critical_only), feedback: on(&feedback), enabled: on(&enabled) };
    super::channels::save(&crate::platform::state::AppState::current()?, &user, &form).await.map(drop)
}

#[server(endpoint = "alerts/channels/delete")]
pub async fn delete_alert_channel(id: i64) -> Result<(), AppError> {
    let user = crate::auth::guard::require(crate::access::Action::DeleteAlertChannel)?;
    super::channels::delete(&crate::platform::state::AppState::current()?, &user, id).await
}

/// Sends a test message now; the answer says how it went.
#[server(endpoint = "alerts/channels/test")]
pub async fn test_alert_channel(id: i64) -> Result<String, AppError> {
    let user = crate::auth::guard::require(crate::access::Action::TestAlertChannel)?;
    super::channels::test(&crate::platform::state::AppState::current()?, &user, id).await
}

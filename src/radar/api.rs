//! Radar server functions: staff read the radar and propose entries; the CTO decides where
//! entries stand, names the quadrants and publishes editions.

use super::view::{DecisionInput, EditionInput, EditionPage, EntryEditor, EntryInput, EntryPage, SettingsInput, RadarView};
#[cfg(feature = "ssr")]
use crate::access::{Action, Page};
use crate::platform::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "radar")]
pub async fn load_radar() -> Result<RadarView, AppError> {
    let user = crate::auth::guard::require(Action::Radar)?;
    super::service::radar(&crate::platform::state::AppState::current()?, &user).await
}

#[server(endpoint = "radar/entry")]
pub async fn radar_entry(id: i64) -> Result<EntryPage, AppError> {
    let user = crate::auth::guard::require(Action::RadarEntry)?;
    super::service::entry_page(&crate::platform::state::AppState::current()?, &user, id).await
}

#[server(endpoint = "radar/entry/editor")]
pub async fn load_radar_entry_editor(id: String) -> Result<EntryEditor, AppError> {
    let user = crate::auth::guard::require(Action::RadarEntryEditor)?;
    let st = crate::platform::state::AppState::current()?;
    super::service::entry_editor(&st, &user, crate::platform::error::address_id(&id)?).await
}

#[server(endpoint = "radar/entries/save")]
pub async fn save_radar_entry(#[server(flatten)] input: EntryInput) -> Result<i64, AppError> {
    let user = crate::auth::guard::require(Action::SaveRadarEntry)?;
    let is_new = input.id.trim().is_empty();
    let id = super::service::save_entry(&crate::platform::state::AppState::current()?, &user, input).await?;
    let said = match (is_new, user.role) {
        (true, crate::access::Role::Cto) => "Added the entry to the radar.",
        (true, _) => "Proposed. The CTO will decide where it goes on the radar; its page shows the decision.",
        (false, _) => "Saved the entry.",
    };
    crate::ui::Flash::to(&Page::RadarEntry.href(&[&id]), said);
    Ok(id)
}

#[server(endpoint = "radar/entries/delete")]
pub async fn delete_radar_entry(id: i64) -> Result<(), AppError> {
    let cto = crate::auth::guard::require(Action::DeleteRadarEntry)?;
    let name = super::service::delete_entry(&crate::platform::state::AppState::current()?, &cto, id).await?;
    crate::ui::Flash::to(Page::Radar.path(), format!("Deleted {name} and its history. Published editions keep it as it was."));
    Ok(())
}

#[server(endpoint = "radar/entries/decide")]
pub async fn decide_radar_entry(#[server(flatten)] input: DecisionInput) -> Result<i64, AppError> {
    let cto = crate::auth::guard::require(Action::DecideRadarEntry)?;
    let (id, said) = super::service::decide(&crate::platform::state::AppState::current()?, &cto, input).await?;
    crate::ui::Flash::back(&Page::RadarEntry.href(&[&id]), said, &[], "history", "");
    Ok(id)
}

#[server(endpoint = "radar/editions/publish")]
pub async fn publish_radar_edition(#[server(flatten)] input: EditionInput) -> Result<i64, AppError> {
    let cto = crate::auth::guard::require(Action::PublishRadarEdition)?;
    let id = super::service::publish_edition(&crate::platform::state::AppState::current()?, &cto, input).await?;
    crate::ui::Flash::to(&Page::RadarEdition.href(&[&id]), "Published the edition. It stays as it is now, whatever moves later.");
    Ok(id)
}

#[server(endpoint = "radar/edition")]
pub async fn radar_edition(id: i64) -> Result<EditionPage, AppError> {
    let user = crate::auth::guard::require(Action::RadarEdition)?;
    super::service::edition_page(&crate::platform::state::AppState::current()?, &user, id).await
}

#[server(endpoint = "radar/settings/save")]
pub async fn save_radar_settings(#[server(flatten)] input: SettingsInput) -> Result<(), AppError> {
    let cto = crate::auth::guard::require(Action::SaveRadarSettings)?;
    super::service::save_settings(&crate::platform::state::AppState::current()?, &cto, input).await?;
    crate::ui::Flash::back(Page::Radar.path(), "Saved the radar’s settings.", &[], "quadrants", "");
    Ok(())
}

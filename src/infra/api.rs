//! Infrastructure server functions. Each checks the access table first: staff read, the CTO
//! changes; incident notes are further limited to the department that owns the system.

use super::model::CheckForm;
#[cfg(feature = "ssr")]
use crate::access::Page;
use super::view::{IncidentDetail, IncidentList, IncidentQuery, SlaReport, StatusBoard, SystemDetail, SystemEditor, SystemInput};
use crate::platform::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
async fn conn() -> Result<(crate::platform::state::AppState, sqlx::pool::PoolConnection<sqlx::Sqlite>), AppError> {
    let st = crate::platform::state::AppState::current()?;
    let db = st.pool.acquire().await?;
    Ok((st, db))
}

#[server(endpoint = "infra/board")]
pub async fn load_status_board() -> Result<StatusBoard, AppError> {
    let user = crate::auth::guard::require(crate::access::Action::InfraBoard)?;
    let (st, mut db) = conn().await?;
    super::service::board::board(&user, &mut db, st.part::<crate::infra::repo::BoardInputs>()).await
}

#[server(endpoint = "infra/system")]
pub async fn load_system(id: i64, range: String) -> Result<SystemDetail, AppError> {
    let user = crate::auth::guard::require(crate::access::Action::SystemDetail)?;
    let (_, mut db) = conn().await?;
    super::service::board::detail(&user, &mut db, id, &range).await.map_err(crate::platform::error::refused)
}

/// The system form: empty `id` for a new system.
#[server(endpoint = "infra/system/editor")]
pub async fn load_system_editor(id: String) -> Result<SystemEditor, AppError> {
    crate::auth::guard::require(crate::access::Action::SystemEditor)?;
    let id = crate::platform::error::address_id(&id)?;
    let (_, mut db) = conn().await?;
    super::service::systems::editor(&mut db, id).await.map_err(crate::platform::error::refused)
}

#[server(endpoint = "infra/systems/save")]
pub async fn save_system(#[server(flatten)] input: SystemInput) -> Result<i64, AppError> {
    let user = crate::auth::guard::require(crate::access::Action::SaveSystem)?;
    let st = crate::platform::state::AppState::current()?;
    let is_new = input.id.trim().is_empty();
    let name = input.name.trim().to_string();
    let id = super::service::systems::save_system(&st, &user, input).await?;
    let said = if is_new { format!("Added the system {name}. Add a check below, or set its status by hand.") } else { format!("Saved the system {name}.") };
    crate::ui::Flash::to(&Page::InfraSystem.href(&[&id]), said);
    Ok(id)
}

#[server(endpoint = "infra/systems/delete")]
pub async fn delete_system(id: i64) -> Result<(), AppError> {
    let user = crate::auth::guard::require(crate::access::Action::DeleteSystem)?;
    let st = crate::platform::state::AppState::current()?;
    let name = super::service::systems::delete_system(&st, &user, id).await?;
    crate::ui::Flash::to(Page::Infrastructure.path(), format!("Deleted the system {name} with its checks and history."));
    Ok(())
}

#[server(endpoint = "infra/systems/status")]
pub async fn set_manual_status(system_id: i64, status: String, note: String) -> Result<(), AppError> {
    let user = crate::auth::guard::require(crate::access::Action::SetManualStatus)?;
    let st = crate::platform::state::AppState::current()?;
    super::service::systems::set_manual_status(&st, &user, system_id, &status, &note).await?;
    crate::ui::Flash::back(&Page::InfraSystem.href(&[&system_id]), "Status set.", &[], "", "");
    Ok(())
}

/// Adds a check to a system (`id` empty) or changes one.
#[server(endpoint = "infra/checks/save")]
pub async fn save_check(system_id: i64, id: String, #[server(flatten)] form: CheckForm) -> Result<i64, AppError> {
    let user = crate::auth::guard::require(crate::access::Action::SaveCheck)?;
    let st = crate::platform::state::AppState::current()?;
    let saved = super::service::checks::save_check(&st, &user, system_id, &id, &form).await?;
    crate::ui::Flash::back(&Page::InfraSystem.href(&[&system_id]), "Check saved. It runs now and then on its interval.", &["check"], "", "");
    Ok(saved)
}

#[server(endpoint = "infra/checks/delete")]
pub async fn delete_check(id: i64) -> Result<(), AppError> {
    let user = crate::auth::guard::require(crate::access::Action::DeleteCheck)?;
    let st = crate::platform::state::AppState::current()?;
    let named = super::service::checks::delete_check(&st, &user, id).await?;
    crate::ui::Flash::back(Page::Infrastructure.path(), format!("Deleted {named}."), &["ask", "check"], "", "");
    Ok(())
}

/// Runs a check now; the answer says what it found.
#[server(endpoint = "infra/checks/run")]
pub async fn run_check(id: i64) -> Result<String, AppError> {
    let user = crate::auth::guard::require(crate::access::Action::RunCheck)?;
    let st = crate::platform::state::AppState::current()?;
    let found = super::service::checks::run_check(&st, &user, id).await?;
    crate::ui::Flash::back(Page::Infrastructure.path(), found.clone(), &[], "", "");
    Ok(found)
}

#[server(endpoint = "infra/maintenance/save")]
pub async fn save_maintenance(system_id: i64, starts: String, ends: String, note: String) -> Result<i64, AppError> {
    let user = crate::auth::guard::require(crate::access::Action::SaveMaintenance)?;
    let st = crate::platform::state::AppState::current()?;
    let id = super::service::systems::save_maintenance(&st, &user, system_id, &starts, &ends, &note).await?;
    crate::ui::Flash::back(&Page::InfraSystem.href(&[&system_id]), "Maintenance window added.", &[], "", "");
    Ok(id)
}

#[server(endpoint = "infra/maintenance/delete")]
pub async fn delete_maintenance(id: i64) -> Result<(), AppError> {
    let user = crate::auth::guard::require(crate::access::Action::DeleteMaintenance)?;
    let st = crate::platform::state::AppState::current()?;
    let named = super::service::systems::delete_maintenance(&st, &user, id).await?;
    crate::ui::Flash::back(Page::Infrastructure.path(), format!("Deleted the maintenance window {named}."), &["ask"], "", "");
    Ok(())
}

#[server(endpoint = "infra/incidents")]
pub async fn list_incidents(query: IncidentQuery) -> Result<IncidentList, AppError> {
    let user = crate::auth::guard::require(crate::access::Action::ListIncidents)?;
    let (_, mut db) = conn().await?;
    super::service::incidents::list(&user, &mut db, &query).await
}

#[server(endpoint = "infra/incident")]
pub async fn load_incident(id: i64) -> Result<IncidentDetail, AppError> {
    let user = crate::auth::guard::require(crate::access::Action::IncidentDetail)?;
    let (_, mut db) = conn().await?;
    super::service::incidents::detail(&user, &mut db, id).await.map_err(crate::platform::error::refused)
}

#[server(endpoint = "infra/incidents/open")]
pub async fn open_incident(system: String, severity: String, title: String, started: String, body: String) -> Result<i64, AppError> {
    let user = crate::auth::guard::require(crate::access::Action::OpenIncident)?;
    let st = crate::platform::state::AppState::current()?;
    let id = super::service::incidents::open(&st, &user, &system, &severity, &title, &started, &body).await?;
    crate::ui::Flash::to(&Page::InfraIncident.href(&[&id]), "Incident opened.");
    Ok(id)
}

/// `action`: acknowledge, take_over, resolve or reopen.
#[server(endpoint = "infra/incidents/update")]
pub async fn update_incident(id: i64, action: String, #[server(default)] body: String) -> Result<(), AppError> {
    let user = crate::auth::guard::require(crate::access::Action::UpdateIncident)?;
    let st = crate::platform::state::AppState::current()?;
    super::service::incidents::update(&st, &user, id, &action, &body).await?;
    let said = match action.as_str() {
        "acknowledge" => "Acknowledged.",
        "take_over" => "Taken over: recovery will not close it by itself.",
        "resolve" => "Resolved.",
        _ => "Reopened.",
    };
    crate::ui::Flash::back(&Page::InfraIncident.href(&[&id]), said, &[], "", "");
    Ok(())
}

#[server(endpoint = "infra/incidents/note")]
pub async fn add_incident_note(id: i64, body: String) -> Result<(), AppError> {
    let user = crate::auth::guard::require(crate::access::Action::AddIncidentNote)?;
    let st = crate::platform::state::AppState::current()?;
    super::service::incidents::note(&st, &user, id, &body).await?;
    crate::ui::Flash::back(&Page::InfraIncident.href(&[&id]), "Note added.", &[], "", "");
    Ok(())
}

#[server(endpoint = "infra/sla")]
pub async fn load_sla_report(period: String) -> Result<SlaReport, AppError> {
    crate::auth::guard::require(crate::access::Action::SlaReport)?;
    let (_, mut db) = conn().await?;
    super::service::sla::report(&mut db, &period).await
}

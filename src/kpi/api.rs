//! KPI server functions: read views for every page, and the CTO's and recorders' changes.

use super::form::{KpiForm, TargetInput};
use super::status::Window;
use super::view::{DoraView, ImportProgress, KpiCard, KpiPage, MeasurementPage};
use crate::platform::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The KPI list with what its filters need.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KpiList {
    pub cards: Vec<KpiCard>,
    /// Departments whose KPIs the caller may see, for the department filter.
    pub departments: Vec<(i64, String)>,
    pub can_create: bool,
    pub total: usize,
}

pub fn parse_window(s: &str) -> Window {
    Window::parse(s).unwrap_or(Window::Days30)
}

/// Every KPI the caller may see, with its status over `window`, red first within each category.
#[server(endpoint = "kpis/overview")]
pub async fn kpi_overview(window: String) -> Result<Vec<KpiCard>, AppError> {
    use crate::access::Action;
    let user = crate::auth::guard::require(Action::KpiOverview)?;
    let mut cards = super::service::cards_for(&user, parse_window(&window), true).await?;
    cards.sort_by(|a, b| (a.category as u8, a.rag, &a.name).cmp(&(b.category as u8, b.rag, &b.name)));
    Ok(cards)
}

#[server(endpoint = "kpis/list")]
pub async fn list_kpis(window: String, category: String, status: String, scope: String, q: String) -> Result<KpiList, AppError> {
    use super::model::Category;
    use super::status::Rag;
    use crate::access::{Action, Role};
    let user = crate::auth::guard::require(Action::ListKpis)?;
    let st = crate::platform::state::AppState::current()?;
    let mut cards = super::service::cards_for(&user, parse_window(&window), true).await?;
    let total = cards.len();
    let mut departments: Vec<(i64, String)> = Vec::new();
    for d in crate::admin::service::departments(&st.pool, if user.role == Role::Cto { None } else { Some(user.department_id.unwrap_or(0)) }).await? {
        departments.push((d.id, d.name));
    }
    let category = Category::parse(&category);
    let status = Rag::parse(&status);
    let needle = q.trim().to_lowercase();
    let dept_name = scope.parse::<i64>().ok().and_then(|id| departments.iter().find(|d| d.0 == id).map(|d| d.1.clone()));
    cards.retain(|c| {
        category.is_none_or(|cat| c.category == cat)
            && status.is_none_or(|s| c.rag == s)
            && match scope.as_str() {
                "" => true,
                "company" => c.department.is_none(),
                _ => dept_name.is_some() && c.department == dept_name,
            }
            && (needle.is_empty() || c.name.to_lowercase().contains(&needle) || c.key.contains(&needle))
    });
    cards.sort_by(|a, b| (a.rag, &a.name).cmp(&(b.rag, &b.name)));
    Ok(KpiList { cards, departments, can_create: user.role == Role::Cto, total })
}

#[server(endpoint = "kpis/detail")]
pub async fn kpi_detail(key: String, window: String, range: String, before: Option<i64>) -> Result<KpiPage, AppError> {
    use super::view::ChartRange;
    let user = crate::auth::guard::require(crate::access::Action::KpiDetail)?;
    let range = ChartRange::parse(&range).unwrap_or(ChartRange::Days90);
    super::service::page(&user, &key, parse_window(&window), range, before).await
}

#[server(endpoint = "kpis/measurements")]
pub async fn list_measurements(key: String, before: Option<i64>) -> Result<MeasurementPage, AppError> {
    let user = crate::auth::guard::require(crate::access::Action::ListMeasurements)?;
    super::service::measurements(&user, &key, before).await
}

#[server(endpoint = "kpis/dora")]
pub async fn dora_summary(window: String) -> Result<DoraView, AppError> {
    let _user = crate::auth::guard::require(crate::access::Action::DoraSummary)?;
    super::service::dora_view(parse_window(&window)).await
}

#[server(endpoint = "kpis/measurements/add")]
pub async fn add_measurement(key: String, timestamp: String, value: String, note: String, #[server(default)] replace: Option<String>) -> Result<(), AppError> {
    let user = crate::auth::guard::require(crate::access::Action::AddMeasurement)?;
    let entry = super::service::ManualEntry { timestamp: &timestamp, value: &value, note: &note, replace: replace.is_some_and(|r| r != "false") };
    super::service::add_measurement(&user, &key, &entry).await?;
    crate::ui::Flash::back(&crate::access::Page::KpiDetail.href(&[&key]), "Measurement added. The status and chart are updated.", &["ask"], "", "");
    Ok(())
}

#[server(endpoint = "kpis/measurements/delete")]
pub async fn delete_measurement(key: String, ts: i64) -> Result<(), AppError> {
    let user = crate::auth::guard::require(crate::access::Action::DeleteMeasurement)?;
    let (value, at) = super::service::delete_measurement(&user, &key, ts).await?;
    crate::ui::Flash::back(&crate::access::Page::KpiDetail.href(&[&key]), format!("Deleted {value} at {at} UTC."), &["ask"], "", "");
    Ok(())
}

#[server(endpoint = "kpis/import/commit")]
pub async fn commit_import(key: String, token: String) -> Result<u64, AppError> {
    let user = crate::auth::guard::require(crate::access::Action::CommitImport)?;
    super::service::commit_import(&user, &key, &token).await
}

#[server(endpoint = "kpis/import/progress")]
pub async fn poll_import(token: String) -> Result<ImportProgress, AppError> {
    let user = crate::auth::guard::require(crate::access::Action::ImportProgress)?;
    let st = crate::platform::state::AppState::current()?;
    st.part::<crate::kpi::import::Imports>().get(&token, user.id).map(|s| s.progress()).ok_or(AppError::NotFound)
}

#[server(endpoint = "kpis/import/cancel")]
pub async fn cancel_import(token: String) -> Result<(), AppError> {
    use std::sync::atomic::Ordering;
    let user = crate::auth::guard::require(crate::access::Action::CancelImport)?;
    let st = crate::platform::state::AppState::current()?;
    match st.part::<crate::kpi::import::Imports>().get(&token, user.id) {
        Some(s) if s.started.load(Ordering::SeqCst) => Err(AppError::conflict("The import has started; it can no longer be cancelled.")),
        Some(_) => {
            st.part::<crate::kpi::import::Imports>().remove(&token);
            Ok(())
        }
        None => Err(AppError::NotFound),
    }
}

/// The editor's form: an existing KPI's definition, or a blank one for `key` = "".
#[server(endpoint = "kpis/for_edit")]
pub async fn kpi_for_edit(key: String) -> Result<KpiForm, AppError> {
    let _cto = crate::auth::guard::require(crate::access::Action::KpiForEdit)?;
    super::service::form_for(&key).await
}

/// Creates a KPI (`original_key` empty) or changes the one with that key.
#[server(endpoint = "kpis/save")]
pub async fn save_kpi(original_key: String, #[server(flatten)] input: super::form::KpiInput) -> Result<String, AppError> {
    let cto = crate::auth::guard::require(crate::access::Action::SaveKpi)?;
    let is_new = original_key.trim().is_empty();
    let name = input.name.trim().to_string();
    let key = super::service::save(&cto, &original_key, input).await?;
    let said = if is_new { format!("Created the KPI {name}. Record its first value below.") } else { format!("Saved the KPI {name}.") };
    crate::ui::Flash::to(&crate::access::Page::KpiDetail.href(&[&key]), said);
    Ok(key)
}

#[server(endpoint = "kpis/delete")]
pub async fn delete_kpi(key: String) -> Result<(), AppError> {
    let cto = crate::auth::guard::require(crate::access::Action::DeleteKpi)?;
    super::service::delete(&cto, &key).await?;
    crate::ui::Flash::to(crate::access::Page::Kpis.path(), format!("Deleted the KPI {key} with its measurements and targets."));
    Ok(())
}

#[server(endpoint = "kpis/targets/set")]
pub async fn set_target(key: String, #[server(flatten)] input: TargetInput) -> Result<(), AppError> {
    let cto = crate::auth::guard::require(crate::access::Action::SetTarget)?;
    super::service::set_target(&cto, &key, &input).await?;
    crate::ui::Flash::back(&crate::access::Page::KpiEdit.href(&[&key]), "Target saved.", &[], "", "");
    Ok(())
}

//! Strategy server functions: objectives are the CTO's; staff read the map and change their own
//! department's initiatives and milestones.

use super::view::{AllocationView, CapitalizationView, CategoriesInput, CloudRuleInput, CloudView, MapLineInput, RolesInput, SharesInput, TeamInput, TeamPage, TeamsView, UnitCostInput, UnitEconomicsView, StrategyDigest, InitiativeEditor, InitiativeInput, InitiativePage, MilestoneInput, ObjectiveEditor, ObjectiveInput, StrategyMap};
#[cfg(feature = "ssr")]
use crate::access::{Action, Page};
use crate::platform::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "strategy/map")]
pub async fn load_strategy_map() -> Result<StrategyMap, AppError> {
    let user = crate::auth::guard::require(Action::StrategyMap)?;
    super::service::map(&crate::platform::state::AppState::current()?, &user).await
}

#[server(endpoint = "strategy/objective/editor")]
pub async fn load_objective_editor(id: String) -> Result<ObjectiveEditor, AppError> {
    crate::auth::guard::require(Action::ObjectiveEditor)?;
    let st = crate::platform::state::AppState::current()?;
    super::service::objective_editor(&st, crate::platform::error::address_id(&id)?).await.map_err(crate::platform::error::refused)
}

#[server(endpoint = "strategy/objectives/save")]
pub async fn save_objective(#[server(flatten)] input: ObjectiveInput) -> Result<i64, AppError> {
    let cto = crate::auth::guard::require(Action::SaveObjective)?;
    let st = crate::platform::state::AppState::current()?;
    let is_new = input.id.trim().is_empty();
    let id = super::service::save_objective(&st, &cto, input).await?;
    let said = if is_new { "Added the objective. Add the initiatives that serve it." } else { "Saved the objective." };
    crate::ui::Flash::to(Page::Strategy.path(), said);
    Ok(id)
}

#[server(endpoint = "strategy/objectives/delete")]
pub async fn delete_objective(id: i64) -> Result<(), AppError> {
    let cto = crate::auth::guard::require(Action::DeleteObjective)?;
    let title = super::service::delete_objective(&crate::platform::state::AppState::current()?, &cto, id).await?;
    crate::ui::Flash::to(Page::Strategy.path(), format!("Deleted the objective {title}. Its initiatives now serve no objective."));
    Ok(())
}

#[server(endpoint = "strategy/initiative")]
pub async fn initiative_detail(id: i64) -> Result<InitiativePage, AppError> {
    let user = crate::auth::guard::require(Action::InitiativeDetail)?;
    super::service::initiative_page(&crate::platform::state::AppState::current()?, &user, id).await
}

#[server(endpoint = "strategy/initiative/editor")]
pub async fn load_initiative_editor(id: String) -> Result<InitiativeEditor, AppError> {
    let user = crate::auth::guard::require(Action::InitiativeEditor)?;
    let st = crate::platform::state::AppState::current()?;
    super::service::initiative_editor(&st, &user, crate::platform::error::address_id(&id)?).await
}

#[server(endpoint = "strategy/initiatives/save")]
pub async fn save_initiative(#[server(flatten)] input: InitiativeInput) -> Result<i64, AppError> {
    let user = crate::auth::guard::require(Action::SaveInitiative)?;
    let st = crate::platform::state::AppState::current()?;
    let is_new = input.id.trim().is_empty();
    let id = super::service::save_initiative(&st, &user, input).await?;
    let said = if is_new { "Added the initiative. Add its milestones below." } else { "Saved the initiative." };
    crate::ui::Flash::to(&Page::Initiative.href(&[&id]), said);
    Ok(id)
}

#[server(endpoint = "strategy/initiatives/delete")]
pub async fn delete_initiative(id: i64) -> Result<(), AppError> {
    let user = crate::auth::guard::require(Action::DeleteInitiative)?;
    let title = super::service::delete_initiative(&crate::platform::state::AppState::current()?, &user, id).await?;
    crate::ui::Flash::to(Page::Strategy.path(), format!("Deleted the initiative {title} with its milestones."));
    Ok(())
}

#[server(endpoint = "strategy/milestones/save")]
pub async fn save_milestone(#[server(flatten)] input: MilestoneInput) -> Result<i64, AppError> {
    let user = crate::auth::guard::require(Action::SaveMilestone)?;
    let is_new = input.id.trim().is_empty();
    let initiative = super::service::save_milestone(&crate::platform::state::AppState::current()?, &user, input).await?;
    let said = if is_new { "Milestone added." } else { "Milestone saved." };
    crate::ui::Flash::back(&Page::Initiative.href(&[&initiative]), said, &["edit"], "milestones", "");
    Ok(initiative)
}

#[server(endpoint = "strategy/milestones/delete")]
pub async fn delete_milestone(id: i64) -> Result<(), AppError> {
    let user = crate::auth::guard::require(Action::DeleteMilestone)?;
    let (initiative, title) = super::service::delete_milestone(&crate::platform::state::AppState::current()?, &user, id).await?;
    crate::ui::Flash::back(&Page::Initiative.href(&[&initiative]), format!("Deleted the milestone {title}."), &["ask", "edit"], "milestones", "");
    Ok(())
}

#[server(endpoint = "strategy/allocation")]
pub async fn load_allocation(year: String, department: String) -> Result<AllocationView, AppError> {
    let user = crate::auth::guard::require(Action::Allocation)?;
    super::service::allocation(&crate::platform::state::AppState::current()?, &user, &year, &department).await
}

/// Every investment category's name and target at once; a filled-in last row adds one.
#[server(endpoint = "strategy/categories/save")]
pub async fn save_investment_categories(#[server(flatten)] input: CategoriesInput) -> Result<(), AppError> {
    let cto = crate::auth::guard::require(Action::SaveInvestmentCategories)?;
    let said = super::service::save_categories(&crate::platform::state::AppState::current()?, &cto, input).await?;
    crate::ui::Flash::back(Page::Allocation.path(), said, &[], "categories", "");
    Ok(())
}

#[server(endpoint = "strategy/categories/delete")]
pub async fn delete_investment_category(id: i64) -> Result<(), AppError> {
    let cto = crate::auth::guard::require(Action::DeleteInvestmentCategory)?;
    let name = super::service::delete_category(&crate::platform::state::AppState::current()?, &cto, id).await?;
    crate::ui::Flash::back(Page::Allocation.path(), format!("Removed the investment category {name}."), &["ask"], "categories", "");
    Ok(())
}

#[server(endpoint = "strategy/teams")]
pub async fn load_teams() -> Result<TeamsView, AppError> {
    let user = crate::auth::guard::require(Action::Teams)?;
    super::service::teams(&crate::platform::state::AppState::current()?, &user).await
}

/// A team's page; `month` (YYYY-MM) opens that month's time allocation form.
#[server(endpoint = "strategy/team")]
pub async fn load_team(id: String, year: String, month: String) -> Result<TeamPage, AppError> {
    let user = crate::auth::guard::require(Action::TeamDetail)?;
    let id = crate::platform::error::address_id(&id)?.ok_or(AppError::NotFound).map_err(crate::platform::error::refused)?;
    super::service::team_page(&crate::platform::state::AppState::current()?, &user, id, &year, &month).await
}

#[server(endpoint = "strategy/teams/save")]
pub async fn save_team(#[server(flatten)] input: TeamInput) -> Result<i64, AppError> {
    let user = crate::auth::guard::require(Action::SaveTeam)?;
    let is_new = input.id.trim().is_empty();
    let id = super::service::save_team(&crate::platform::state::AppState::current()?, &user, input).await?;
    let said = if is_new { "Added the team. Enter its roles and what each costs." } else { "Saved the team." };
    crate::ui::Flash::to(&Page::Team.href(&[&id]), said);
    Ok(id)
}

#[server(endpoint = "strategy/teams/delete")]
pub async fn delete_team(id: i64) -> Result<(), AppError> {
    let user = crate::auth::guard::require(Action::DeleteTeam)?;
    let name = super::service::delete_team(&crate::platform::state::AppState::current()?, &user, id).await?;
    crate::ui::Flash::to(Page::Teams.path(), format!("Deleted the team {name} with its roles and time allocation."));
    Ok(())
}

/// The team's roles from a month on: every role's headcount and loaded monthly cost at once.
#[server(endpoint = "strategy/teams/roles")]
pub async fn save_team_roles(#[server(flatten)] input: RolesInput) -> Result<i64, AppError> {
    let user = crate::auth::guard::require(Action::SaveTeamRoles)?;
    let team = super::service::save_roles(&crate::platform::state::AppState::current()?, &user, input).await?;
    crate::ui::Flash::back(&Page::Team.href(&[&team]), "Saved the roles.", &[], "roles", "");
    Ok(team)
}

#[server(endpoint = "strategy/teams/time")]
pub async fn save_time_allocation(#[server(flatten)] input: SharesInput) -> Result<i64, AppError> {
    let user = crate::auth::guard::require(Action::SaveTimeAllocation)?;
    let (team, month) = super::service::save_shares(&crate::platform::state::AppState::current()?, &user, input).await?;
    crate::ui::Flash::back(&Page::Team.href(&[&team]), format!("Saved the time allocation of {}.", month.label()), &["month"], "time", "");
    Ok(team)
}

#[server(endpoint = "strategy/capitalization")]
pub async fn load_capitalization(year: String) -> Result<CapitalizationView, AppError> {
    crate::auth::guard::require(Action::Capitalization)?;
    super::service::capitalization(&crate::platform::state::AppState::current()?, &year).await
}

/// Closes every open month through `through` (YYYY-MM): their figures are frozen.
#[server(endpoint = "strategy/capitalization/close")]
pub async fn close_capitalization(through: String) -> Result<(), AppError> {
    let cto = crate::auth::guard::require(Action::CloseCapitalization)?;
    let said = super::service::close_months(&crate::platform::state::AppState::current()?, &cto, &through).await?;
    crate::ui::Flash::back(Page::Capitalization.path(), said, &[], "months", "");
    Ok(())
}

#[server(endpoint = "strategy/cloud")]
pub async fn load_cloud_costs() -> Result<CloudView, AppError> {
    crate::auth::guard::require(Action::CloudCosts)?;
    super::service::cloud_costs(&crate::platform::state::AppState::current()?).await
}

#[server(endpoint = "strategy/cloud/rules/save")]
pub async fn save_cloud_rule(#[server(flatten)] input: CloudRuleInput) -> Result<(), AppError> {
    let cto = crate::auth::guard::require(Action::SaveCloudRule)?;
    let said = super::service::save_cloud_rule(&crate::platform::state::AppState::current()?, &cto, input).await?;
    crate::ui::Flash::back(Page::CloudCost.path(), said, &["rule"], "rules", "");
    Ok(())
}

#[server(endpoint = "strategy/cloud/rules/delete")]
pub async fn delete_cloud_rule(id: i64) -> Result<(), AppError> {
    let cto = crate::auth::guard::require(Action::DeleteCloudRule)?;
    let said = super::service::delete_cloud_rule(&crate::platform::state::AppState::current()?, &cto, id).await?;
    crate::ui::Flash::back(Page::CloudCost.path(), said, &[], "rules", "");
    Ok(())
}

/// A rule made from a line no rule matches yet.
#[server(endpoint = "strategy/cloud/map")]
pub async fn map_cloud_line(#[server(flatten)] input: MapLineInput) -> Result<(), AppError> {
    let cto = crate::auth::guard::require(Action::MapCloudLine)?;
    let said = super::service::map_cloud_line(&crate::platform::state::AppState::current()?, &cto, input).await?;
    crate::ui::Flash::back(Page::CloudCost.path(), said, &[], "unmatched", "");
    Ok(())
}

#[server(endpoint = "strategy/unit-economics")]
pub async fn load_unit_economics() -> Result<UnitEconomicsView, AppError> {
    crate::auth::guard::require(Action::UnitEconomics)?;
    super::service::unit_economics(&crate::platform::state::AppState::current()?).await
}

#[server(endpoint = "strategy/unit-economics/save")]
pub async fn save_unit_cost(#[server(flatten)] input: UnitCostInput) -> Result<String, AppError> {
    let cto = crate::auth::guard::require(Action::SaveUnitCost)?;
    let (key, said) = super::service::save_unit_cost(&crate::platform::state::AppState::current()?, &cto, input).await?;
    crate::ui::Flash::back(Page::UnitEconomics.path(), said, &[], &format!("cost-{key}"), "");
    Ok(key)
}

#[server(endpoint = "strategy/unit-economics/delete")]
pub async fn delete_unit_cost(key: String) -> Result<(), AppError> {
    let cto = crate::auth::guard::require(Action::DeleteUnitCost)?;
    let said = super::service::delete_unit_cost(&crate::platform::state::AppState::current()?, &cto, &key).await?;
    crate::ui::Flash::to(Page::UnitEconomics.path(), said);
    Ok(())
}

/// The strategy in a few figures for the cockpit, in the reader's scope, as of today.
#[server(endpoint = "strategy/digest")]
pub async fn load_strategy_digest() -> Result<StrategyDigest, AppError> {
    let user = crate::auth::guard::require(Action::StrategyDigest)?;
    let st = crate::platform::state::AppState::current()?;
    let mut db = st.pool.acquire().await?;
    let today = crate::platform::time::today();
    super::service::digest(&mut db, &super::service::Reader::Staff(&user), (today, today), st.config.currency).await
}

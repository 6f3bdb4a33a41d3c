//! Budget server functions. Each checks the access table first; those that take a department,
//! an expense or a contract then check that the caller's scope covers it (`server::scope`).

use super::view::{BudgetLineInput, BudgetOverview, ContractInput, ExpenseInput, ExpensePage, PlanView, SettingsView, VendorsView};
use crate::platform::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The expense list's filters, as they appear in the page's query string.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExpenseQuery {
    pub year: String,
    pub department: String,
    pub category: String,
    pub kind: String,
    pub vendor: String,
    pub month: String,
    pub q: String,
    pub page: String,
}

#[server(endpoint = "budgets/overview")]
pub async fn load_budget_overview(year: String, department: String) -> Result<BudgetOverview, AppError> {
    let user = crate::auth::guard::require(crate::access::Action::BudgetOverview)?;
    super::service::overview(&user, &year, &department).await
}

#[server(endpoint = "budgets/expenses")]
pub async fn list_expenses(query: ExpenseQuery) -> Result<ExpensePage, AppError> {
    let user = crate::auth::guard::require(crate::access::Action::ListExpenses)?;
    super::ledger::expenses(&user, &query).await
}

/// Records a new expense (`id` empty) or corrects one.
#[server(endpoint = "budgets/expenses/save")]
pub async fn save_expense(#[server(flatten)] input: ExpenseInput) -> Result<i64, AppError> {
    let user = crate::auth::guard::require(crate::access::Action::SaveExpense)?;
    let id = super::ledger::save_expense(&user, &input).await?;
    let expenses = crate::access::Page::BudgetExpenses.path();
    crate::ui::Flash::back(expenses, "Saved. The totals and charts include it.", &["edit"], "", "x-spent_on");
    Ok(id)
}

#[server(endpoint = "budgets/expenses/delete")]
pub async fn delete_expense(id: i64) -> Result<(), AppError> {
    let user = crate::auth::guard::require(crate::access::Action::DeleteExpense)?;
    let named = super::ledger::delete_expense(&user, id).await?;
    let message = format!("Deleted the expense {named}. The totals no longer include it.");
    crate::ui::Flash::back(crate::access::Page::BudgetExpenses.path(), message, &["ask", "edit"], "", "");
    Ok(())
}

#[server(endpoint = "budgets/plan")]
pub async fn budget_plan(year: String, department: String) -> Result<PlanView, AppError> {
    let user = crate::auth::guard::require(crate::access::Action::BudgetPlan)?;
    super::planning::plan(&user, &year, &department).await
}

/// Sets one budget line; see [`BudgetLineInput`].
#[server(endpoint = "budgets/plan/set")]
pub async fn set_budget(#[server(flatten)] input: BudgetLineInput) -> Result<(), AppError> {
    let user = crate::auth::guard::require(crate::access::Action::SetBudget)?;
    super::planning::set_budget(&user, &input).await?;
    let message = "Budget line saved; the previous amounts stay in its history.";
    crate::ui::Flash::back(crate::access::Page::BudgetPlan.path(), message, &["line"], "", "");
    Ok(())
}

#[server(endpoint = "budgets/vendors")]
pub async fn budget_vendors() -> Result<VendorsView, AppError> {
    let user = crate::auth::guard::require(crate::access::Action::ListContracts)?;
    super::catalog::vendors(&user).await
}

#[server(endpoint = "budgets/contracts/save")]
pub async fn save_contract(#[server(flatten)] input: ContractInput) -> Result<i64, AppError> {
    let user = crate::auth::guard::require(crate::access::Action::SaveContract)?;
    let id = super::catalog::save_contract(&user, input).await?;
    crate::ui::Flash::back(crate::access::Page::BudgetVendors.path(), "Contract saved.", &["edit"], "", "");
    Ok(id)
}

#[server(endpoint = "budgets/contracts/delete")]
pub async fn delete_contract(id: i64) -> Result<(), AppError> {
    let user = crate::auth::guard::require(crate::access::Action::DeleteContract)?;
    let named = super::catalog::delete_contract(&user, id).await?;
    crate::ui::Flash::back(crate::access::Page::BudgetVendors.path(), format!("Deleted the contract {named}."), &["ask", "edit"], "", "");
    Ok(())
}

#[server(endpoint = "budgets/settings")]
pub async fn budget_settings() -> Result<SettingsView, AppError> {
    crate::auth::guard::require(crate::access::Action::BudgetSettings)?;
    super::catalog::settings().await
}

#[server(endpoint = "budgets/settings/save")]
pub async fn save_budget_settings(start_month: String, amber_pct: String, red_pct: String) -> Result<(), AppError> {
    let user = crate::auth::guard::require(crate::access::Action::SaveBudgetSettings)?;
    super::catalog::save_settings(&user, &start_month, &amber_pct, &red_pct).await?;
    crate::ui::Flash::back(crate::access::Page::BudgetSettings.path(), "Settings saved.", &[], "", "");
    Ok(())
}

/// Adds a category (`id` empty) or renames one.
#[server(endpoint = "budgets/categories/save")]
pub async fn save_category(id: String, name: String) -> Result<(), AppError> {
    let user = crate::auth::guard::require(crate::access::Action::SaveCategory)?;
    let said = super::catalog::save_category(&user, &id, &name).await?;
    crate::ui::Flash::back(crate::access::Page::BudgetSettings.path(), said, &[], "", "");
    Ok(())
}

#[server(endpoint = "budgets/categories/delete")]
pub async fn delete_category(id: i64) -> Result<(), AppError> {
    let user = crate::auth::guard::require(crate::access::Action::DeleteCategory)?;
    let name = super::catalog::delete_category(&user, id).await?;
    crate::ui::Flash::back(crate::access::Page::BudgetSettings.path(), format!("Removed the category {name}."), &["ask"], "", "");
    Ok(())
}

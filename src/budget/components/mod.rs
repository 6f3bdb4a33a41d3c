//! Budget pages and the pieces they share: the section's tabs, status badges, chart blocks.

mod expense_form;
mod expenses;
mod import;
mod overview;
mod plan;
mod settings;
mod vendors;

pub use expenses::ExpensesPage;
pub use overview::BudgetsPage;
pub use plan::PlanPage;
pub use settings::BudgetSettingsPage;
pub use vendors::VendorsPage;
use import::ExpenseImport;

crate::ui::area_islands! { budgets:
    expense_import(year: i32, own_department: Option<String>) => ExpenseImport, _island_expense_import, load_expense_import;
}

use crate::access::{Page, Role};
use crate::budget::model::VarianceStatus;
use crate::budget::view::Choice;
use crate::ui::FilterSelect;
use leptos::prelude::*;

/// The budget section's own navigation, keeping the chosen year and department.
#[component]
pub fn BudgetTabs(#[prop(into)] query: String) -> impl IntoView {
    let here = crate::platform::query::path();
    let role = crate::auth::use_user().map(|u| u.role);
    let tabs = [Page::Budgets, Page::BudgetExpenses, Page::BudgetPlan, Page::BudgetVendors, Page::BudgetSettings];
    view! {
        <nav class="tabs" aria-label="Budget sections">
            {tabs
                .into_iter()
                .filter(|p| p.audience().admits(role))
                .map(|p| {
                    let label = if p == Page::Budgets { "Budget vs actual" } else { p.label() };
                    let href = if query.is_empty() || p == Page::BudgetSettings || p == Page::BudgetVendors {
                        p.path().to_string()
                    } else {
                        format!("{}?{query}", p.path())
                    };
                    let current = (here == p.path()).then_some("page");
                    view! { <a href=href aria-current=current>{label}</a> }
                })
                .collect_view()}
        </nav>
    }
}

#[component]
pub fn VarianceBadge(status: VarianceStatus) -> impl IntoView {
    view! {
        <span class=format!("status status-{}", status.as_str())>
            <span class="status-dot" aria-hidden="true"></span>
            {status.label()}
        </span>
    }
}

/// Year and (for the CTO) department, as a GET form so every view has its own URL.
#[component]
pub fn ScopePicker(years: Vec<i32>, year: i32, departments: Vec<Choice>, department: Option<i64>) -> impl IntoView {
    let role = crate::auth::use_user().map(|u| u.role);
    let years: Vec<(String, String)> = years.into_iter().rev().map(|y| (y.to_string(), format!("FY{y}"))).collect();
    let selected = department.map(|d| d.to_string()).unwrap_or_default();
    view! {
        <form method="GET" action="" class="filters scope-picker" aria-label="Fiscal year and department">
            <FilterSelect label="Fiscal year" id="scope-year" name="year" options=years selected=year.to_string() />
            {(role == Some(Role::Cto)).then(|| view! {
                <FilterSelect label="Department" id="scope-department" name="department" options=choice_pairs(&departments, Some("All departments")) selected />
            })}
            <button type="submit" class="button secondary">"Show"</button>
        </form>
    }
}

/// The query that keeps a page's fiscal year and department when moving between budget pages.
pub(crate) fn scope_query(year: i32, department: Option<i64>) -> String {
    match department {
        Some(d) => format!("year={year}&department={d}"),
        None => format!("year={year}"),
    }
}

/// (value, label) pairs for a select, with a first "any" entry when `any` is set.
pub(crate) fn choice_pairs(list: &[Choice], any: Option<&str>) -> Vec<(String, String)> {
    any.map(|a| (String::new(), a.to_string())).into_iter().chain(list.iter().map(|c| (c.value.clone(), c.label.clone()))).collect()
}

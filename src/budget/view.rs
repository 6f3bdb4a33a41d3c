//! What the budget pages receive from the server. Amounts arrive formatted in the configured
//! currency, so the browser needs no currency tables; raw minor units travel only where a form
//! needs them back.

use super::model::VarianceStatus;
use crate::ui::chart::ChartData;
use serde::{Deserialize, Serialize};

/// One row of a budget-versus-actual table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BvaRow {
    pub label: String,
    /// Current budget for the whole year.
    pub plan_year: String,
    pub original_year: String,
    pub plan_ytd: String,
    pub actual_ytd: String,
    pub variance: String,
    pub variance_pct: String,
    pub status: VarianceStatus,
    pub forecast_plan: String,
    pub forecast_run_rate: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthRow {
    pub month: String,
    pub plan: String,
    pub actual: String,
    pub variance: String,
    pub status: Option<VarianceStatus>,
    /// Months not begun have no actual yet.
    pub future: bool,
    /// A quarter's subtotal after its three months.
    pub quarter: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VendorSpend {
    pub name: String,
    pub amount: String,
    pub share: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContractRow {
    pub id: i64,
    pub vendor: String,
    pub name: String,
    pub owner: String,
    pub department: String,
    pub department_id: Option<i64>,
    pub annual_value: String,
    pub annual_value_input: String,
    pub starts_on: String,
    pub ends_on: String,
    pub renews_on: Option<String>,
    pub notice_days: i64,
    pub auto_renew: bool,
    /// The last day to give notice, when the contract renews.
    pub notice_by: Option<String>,
    /// Days from today to the renewal, when it is ahead.
    pub days_to_renewal: Option<i64>,
    /// The system it pays for ("" for none).
    pub system_id: Option<i64>,
    pub system: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BudgetOverview {
    pub fiscal_year: i32,
    pub fiscal_label: String,
    pub years: Vec<i32>,
    /// The department shown, or none for the whole company.
    pub department: Option<i64>,
    pub department_name: String,
    /// Departments the caller may pick (the CTO: all; a department head: their own).
    pub departments: Vec<Choice>,
    pub as_of: String,
    pub thresholds: String,
    pub total: BvaRow,
    pub burn_rate: Option<String>,
    pub last_month: Option<(String, String)>,
    pub by_department: Vec<BvaRow>,
    pub by_category: Vec<BvaRow>,
    pub by_kind: Vec<BvaRow>,
    pub by_month: Vec<MonthRow>,
    pub top_vendors: Vec<VendorSpend>,
    pub renewals: Vec<ContractRow>,
    pub burn_up: ChartData,
    pub monthly: ChartData,
    pub comparison: ChartData,
    pub has_plan: bool,
    pub has_actuals: bool,
    pub can_edit_budget: bool,
}

/// Where the expenses another area keeps (`expenses.origin`) come from: what the expense list
/// says in place of Correct and Delete, the page where they change, and what the expense form
/// answers when asked to change one.
pub fn kept_source(origin: &str) -> Option<(&'static str, crate::access::Page, &'static str)> {
    use crate::access::Page;
    match origin {
        "cloud" => Some((
            "From the cloud cost imports",
            Page::CloudCost,
            "This expense is a month of cloud cost from the FOCUS imports; change the mapping rules or import the month again instead.",
        )),
        "people" => Some((
            "From the teams’ time",
            Page::Teams,
            "This expense is a month of people cost from the teams; change a team’s roles or time allocation instead.",
        )),
        _ => None,
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExpenseRow {
    pub id: i64,
    pub spent_on: String,
    pub amount: String,
    pub amount_input: String,
    pub department_id: i64,
    pub department: String,
    pub category_id: i64,
    pub category: String,
    pub kind: String,
    pub vendor: String,
    pub description: String,
    pub invoice_ref: String,
    /// manual, csv or demo; `cloud` for the month's cloud cost the FOCUS imports keep, which
    /// only its import and mapping change.
    pub source: String,
    /// The initiative it is booked to: its id and title ("" for none).
    pub initiative_id: Option<i64>,
    pub initiative: String,
    /// The investment category given to the expense itself ("" for none).
    pub investment_id: Option<i64>,
    pub investment: String,
}

impl ExpenseRow {
    /// The expense as a person finds it in the list: how much, when, and with whom.
    pub fn named(&self) -> String {
        expense_named(&self.amount, &self.spent_on, &self.vendor, &self.description)
    }
}

/// "of $12.00 on 2026-03-01 (Hetzner)": the vendor, else the description, says with whom.
pub fn expense_named(amount: &str, spent_on: &str, vendor: &str, description: &str) -> String {
    match if vendor.is_empty() { description } else { vendor } {
        "" => format!("of {amount} on {spent_on}"),
        who => format!("of {amount} on {spent_on} ({who})"),
    }
}

/// The choices a budget form or filter offers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BudgetOptions {
    pub departments: Vec<Choice>,
    pub categories: Vec<Choice>,
    pub vendors: Vec<String>,
    /// The initiatives an expense may be booked to, each labelled with its department.
    pub initiatives: Vec<Choice>,
    /// The investment categories a line or an expense may count under.
    pub investments: Vec<Choice>,
    /// The systems a contract may pay for.
    pub systems: Vec<Choice>,
    pub years: Vec<i32>,
    /// Months of the fiscal year, as (YYYY-MM, "Apr 2026").
    pub months: Vec<Choice>,
    pub currency: String,
    pub minor_digits: u8,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExpensePage {
    pub fiscal_year: i32,
    pub fiscal_label: String,
    pub first_day: String,
    pub last_day: String,
    pub rows: Vec<ExpenseRow>,
    pub matched: i64,
    pub matched_total: String,
    pub page: i64,
    pub pages: i64,
    pub options: BudgetOptions,
    /// Set for a department head: where their records go.
    pub own_department: Option<Choice>,
    pub export_query: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    pub at: String,
    pub by: String,
    pub reason: String,
    pub total: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanLine {
    pub department_id: i64,
    pub department: String,
    pub category_id: i64,
    pub category: String,
    pub kind: String,
    /// The investment category its money counts under; `None`: unassigned.
    pub investment_id: Option<i64>,
    pub investment: String,
    pub original: String,
    pub current: String,
    pub months: Vec<String>,
    pub months_input: Vec<String>,
    pub revisions: Vec<Revision>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanView {
    pub fiscal_year: i32,
    pub fiscal_label: String,
    pub month_labels: Vec<String>,
    pub department: Option<i64>,
    pub lines: Vec<PlanLine>,
    pub original_total: String,
    pub current_total: String,
    pub options: BudgetOptions,
    pub can_edit: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VendorsView {
    pub contracts: Vec<ContractRow>,
    pub renewals: Vec<ContractRow>,
    pub spend: Vec<VendorSpend>,
    pub fiscal_label: String,
    pub options: BudgetOptions,
    pub can_edit: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryRow {
    pub id: i64,
    pub name: String,
    pub in_use: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SettingsView {
    pub start_month: u32,
    pub amber_pct: u32,
    pub red_pct: u32,
    pub categories: Vec<CategoryRow>,
    /// The fiscal start cannot move once budgets exist: every planned month would shift.
    pub start_locked: bool,
}

/// The answer to an expense file: a preview, or every problem by line and column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExpenseImportReport {
    pub rows: u64,
    pub total: String,
    pub errors: Vec<crate::kpi::view::ImportError>,
    pub error_count: u64,
    /// (line, date, amount, department, category, vendor) of the first rows.
    pub sample: Vec<Vec<String>>,
    /// Set when the rows were stored.
    pub imported: bool,
    pub new_vendors: Vec<String>,
}

/// What the expense form sends: a new expense (`id` empty) or a correction. Text as typed; the
/// service checks each field by the same rules as a line of an imported file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExpenseInput {
    pub id: String,
    pub year: String,
    pub spent_on: String,
    pub amount: String,
    pub department: String,
    pub category: String,
    pub kind: String,
    pub vendor: String,
    pub description: String,
    pub invoice_ref: String,
    /// An initiative's id, or empty.
    #[serde(default)]
    pub initiative: String,
    /// An investment category's id, or empty to take the initiative's or the budget line's.
    #[serde(default)]
    pub investment: String,
}

/// What the contract form sends: a new contract (`id` empty) or a change to one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContractInput {
    pub id: String,
    pub vendor: String,
    pub name: String,
    pub owner: String,
    pub department: String,
    pub annual_value: String,
    pub starts_on: String,
    pub ends_on: String,
    pub renews_on: String,
    pub notice_days: String,
    #[serde(default, deserialize_with = "crate::platform::form::checkbox")]
    pub auto_renew: bool,
    #[serde(default)]
    pub system: String,
}

/// What the budget-line form sends: an annual amount to spread (`mode` "annual") or twelve
/// monthly amounts (`mode` "monthly"), with the reason kept in the line's history.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BudgetLineInput {
    pub year: String,
    pub department: String,
    pub category: String,
    pub kind: String,
    /// An investment category's id, or empty for none.
    #[serde(default)]
    pub investment: String,
    pub mode: String,
    pub annual: String,
    #[serde(default)]
    pub months: Vec<String>,
    pub reason: String,
}

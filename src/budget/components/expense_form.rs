//! The expense form: recording a new expense, or correcting one picked from the list. A plain
//! form: a refusal comes back with the error at its field and what was typed still in place.

use super::choice_pairs;
use crate::access::Action;
use crate::budget::model::Kind;
use crate::budget::view::{BudgetOptions, Choice, ExpenseRow};
use crate::platform::query::here_without;
use crate::ui::{FormError, Posted, SelectField, TextField};
use leptos::prelude::*;

#[component]
pub fn ExpenseForm(
    options: BudgetOptions,
    own_department: Option<Choice>,
    year: i32,
    first_day: String,
    last_day: String,
    /// The expense being corrected; none to record a new one.
    editing: Option<ExpenseRow>,
    posted: Posted,
) -> impl IntoView {
    let error = posted.error();
    let e = editing.clone();
    let (title, button) = if e.is_some() { ("Correct an expense", "Save correction") } else { ("Record an expense", "Record expense") };
    let kinds: Vec<(String, String)> = Kind::choices().collect();
    let source = e.clone();
    // What the person sent, when the form came back refused; else the expense's own value.
    let value = move |name: &str, f: fn(&ExpenseRow) -> String| posted.value(name, source.as_ref().map(f).unwrap_or_default());
    let kind = value("kind", |r| r.kind.to_lowercase());
    let kind = if kind.is_empty() { "opex".to_string() } else { kind };
    let hint_dates: &'static str = "Within the fiscal year shown, and not in the future.";
    // After a save, the next entry starts at the first field.
    let focus = crate::ui::Flash::focus().as_deref() == Some("x-spent_on");
    let department = match own_department {
        Some(own) => view! {
            <div class="field">
                <label for="x-department">"Department"</label>
                <input id="x-department" value=own.label readonly />
                <input type="hidden" name="department" value=own.value />
            </div>
        }
        .into_any(),
        None => view! {
            <SelectField label="Department" name="department" id_prefix="x-" options=choice_pairs(&options.departments, Some("Choose…")) selected=value("department", |r| r.department_id.to_string()) error />
        }
        .into_any(),
    };
    let cancel = e.is_some().then(|| view! { <a class="button secondary" href=format!("{}#expense-form", here_without(&["edit"]))>"Cancel"</a> });
    view! {
        <div class="expense-form">
            <h3>{title}</h3>
            <form method="post" action=Action::SaveExpense.endpoint() novalidate id="expense-form" aria-label=title>
                <input type="hidden" name="id" value=e.as_ref().map(|r| r.id.to_string()).unwrap_or_default() />
                <input type="hidden" name="year" value=year.to_string() />
                <FormError error />
                <div class="form-grid">
                    <div class="field" class:invalid=move || error.get().and_then(|x| x.for_field("spent_on")).is_some()>
                        <label for="x-spent_on">"Date"</label>
                        <p class="hint">{hint_dates}</p>
                        <input id="x-spent_on" name="spent_on" type="date" min=first_day max=last_day value=value("spent_on", |r| r.spent_on.clone()) autofocus=focus />
                        <p class="field-error" role="alert">{move || error.get().and_then(|x| x.for_field("spent_on"))}</p>
                    </div>
                    <TextField label="Amount" name="amount" id_prefix="x-" error value=value("amount", |r| r.amount_input.clone()) hint="In the base currency, such as 1234.50." />
                    {department}
                    <SelectField label="Category" name="category" id_prefix="x-" options=choice_pairs(&options.categories, Some("Choose…")) selected=value("category", |r| r.category_id.to_string()) error />
                    <SelectField label="CapEx or OpEx" name="kind" id_prefix="x-" options=kinds selected=kind error />
                    <div class="field" class:invalid=move || error.get().and_then(|x| x.for_field("vendor")).is_some()>
                        <label for="x-vendor">"Vendor (optional)"</label>
                        <input id="x-vendor" name="vendor" list="vendor-names" maxlength=120 value=value("vendor", |r| r.vendor.clone()) />
                        <datalist id="vendor-names">{options.vendors.iter().map(|v| view! { <option value=v.clone()></option> }).collect_view()}</datalist>
                        <p class="field-error" role="alert">{move || error.get().and_then(|x| x.for_field("vendor"))}</p>
                    </div>
                    <TextField label="Description (optional)" name="description" id_prefix="x-" error maxlength=500 value=value("description", |r| r.description.clone()) />
                    <TextField label="Invoice reference (optional)" name="invoice_ref" id_prefix="x-" error maxlength=100 value=value("invoice_ref", |r| r.invoice_ref.clone()) />
                    {(!options.initiatives.is_empty()).then(|| view! {
                        <SelectField label="Initiative (optional)" name="initiative" id_prefix="x-" options=choice_pairs(&options.initiatives, Some("None")) selected=value("initiative", |r| r.initiative_id.map(|i| i.to_string()).unwrap_or_default()) error
                            hint="Counts against the initiative's budget; it must be the department's own work." />
                    })}
                    <SelectField label="Investment category (optional)" name="investment" id_prefix="x-" options=choice_pairs(&options.investments, Some("From the initiative or budget line")) selected=value("investment", |r| r.investment_id.map(|i| i.to_string()).unwrap_or_default()) error
                        hint="Leave it to count under its initiative's category, else its budget line's." />
                </div>
                <div class="form-actions">
                    <button type="submit" class="button primary">{button}</button>
                    {cancel}
                </div>
            </form>
        </div>
    }
}

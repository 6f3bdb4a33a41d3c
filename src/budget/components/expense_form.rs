//! The expense form: recording a new expense, or correcting one picked from the list.

use super::choice_pairs;
use crate::budget::api::SaveExpense;
use crate::budget::model::Kind;
use crate::budget::view::{BudgetOptions, Choice, ExpenseRow};
use crate::ui::{error_of, notice_of, FormError, SelectField, TextField};
use leptos::prelude::*;

#[component]
pub fn ExpenseForm(
    save: ServerAction<SaveExpense>,
    options: BudgetOptions,
    own_department: Option<Choice>,
    year: i32,
    first_day: String,
    last_day: String,
    /// The expense being corrected; none to record a new one.
    editing: Option<ExpenseRow>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let error = error_of(save);
    let done = notice_of(save);
    let form = crate::ui::cleared_after(save);
    let e = editing.clone();
    let (title, button) = if e.is_some() { ("Correct an expense", "Save correction") } else { ("Record an expense", "Record expense") };
    let kinds: Vec<(String, String)> = Kind::choices().collect();
    let source = e.clone();
    let get = move |f: fn(&ExpenseRow) -> String| source.as_ref().map(f).unwrap_or_default();
    let kind_value = e.as_ref().map(|r| r.kind.to_lowercase()).unwrap_or_else(|| "opex".into());
    let hint_dates: &'static str = "Within the fiscal year shown, and not in the future.";
    view! {
        <div class="expense-form">
            <h3>{title}</h3>
            <ActionForm action=save node_ref=form attr:novalidate=true>
                <input type="hidden" name="id" value=e.as_ref().map(|r| r.id.to_string()).unwrap_or_default() />
                <input type="hidden" name="year" value=year.to_string() />
                <FormError error />
                <div class="form-grid">
                    <div class="field" class:invalid=move || error.get().and_then(|x| x.for_field("spent_on")).is_some()>
                        <label for="x-spent_on">"Date"</label>
                        <p class="hint">{hint_dates}</p>
                        <input id="x-spent_on" name="spent_on" type="date" min=first_day max=last_day value=get(|r| r.spent_on.clone()) />
                        <p class="field-error" role="alert">{move || error.get().and_then(|x| x.for_field("spent_on"))}</p>
                    </div>
                    <TextField label="Amount" name="amount" id_prefix="x-" error value=get(|r| r.amount_input.clone()) hint="In the base currency, such as 1234.50." />
                    {match own_department.clone() {
                        Some(own) => view! {
                            <div class="field">
                                <label for="x-department">"Department"</label>
                                <input id="x-department" value=own.label readonly />
                                <input type="hidden" name="department" value=own.value />
                            </div>
                        }.into_any(),
                        None => view! {
                            <SelectField label="Department" name="department" id_prefix="x-" options=choice_pairs(&options.departments, Some("Choose…")) selected=get(|r| r.department_id.to_string()) error />
                        }.into_any(),
                    }}
                    <SelectField label="Category" name="category" id_prefix="x-" options=choice_pairs(&options.categories, Some("Choose…")) selected=get(|r| r.category_id.to_string()) error />
                    <SelectField label="CapEx or OpEx" name="kind" id_prefix="x-" options=kinds selected=kind_value error />
                    <div class="field" class:invalid=move || error.get().and_then(|x| x.for_field("vendor")).is_some()>
                        <label for="x-vendor">"Vendor (optional)"</label>
                        <input id="x-vendor" name="vendor" list="vendor-names" maxlength=120 value=get(|r| r.vendor.clone()) />
                        <datalist id="vendor-names">{options.vendors.iter().map(|v| view! { <option value=v.clone()></option> }).collect_view()}</datalist>
                        <p class="field-error" role="alert">{move || error.get().and_then(|x| x.for_field("vendor"))}</p>
                    </div>
                    <TextField label="Description (optional)" name="description" id_prefix="x-" error maxlength=500 value=get(|r| r.description.clone()) />
                    <TextField label="Invoice reference (optional)" name="invoice_ref" id_prefix="x-" error maxlength=100 value=get(|r| r.invoice_ref.clone()) />
                </div>
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=move || save.pending().get()>{button}</button>
                    {e.is_some().then(|| view! { <button type="button" class="button secondary" on:click=move |_| on_cancel.run(())>"Cancel"</button> })}
                </div>
                <Show when=move || done()>
                    <p class="alert alert-ok" role="status">"Saved. The totals and charts include it."</p>
                </Show>
            </ActionForm>
        </div>
    }
}

//! Vendors and contracts: renewals coming up, every contract, spend per vendor this year.

use super::{choice_pairs, BudgetTabs};
use crate::budget::api::{budget_vendors, DeleteContract, SaveContract};
use crate::budget::view::{ContractRow, VendorsView};
use crate::ui::{error_of, notice_of, successes, ConfirmButton, FormError, Notice, LoadError, SelectField, TextField};
use leptos::prelude::*;
use crate::ui::Title;

#[component]
pub(super) fn VendorsPage() -> impl IntoView {
    crate::ui::NoticeClock::provide();
    let save = ServerAction::<SaveContract>::new();
    let delete = ServerAction::<DeleteContract>::new();
    let editing = RwSignal::new(None::<ContractRow>);
    Effect::new(move || {
        if matches!(save.value().get(), Some(Ok(_))) {
            editing.set(None);
        }
    });
    let (saved, deleted) = (successes(save), successes(delete));
    let data = Resource::new(move || (saved.get(), deleted.get()), |_| budget_vendors());
    let delete_error = error_of(delete);
    let deleted = notice_of(delete);
    view! {
        <Title text="Vendors and contracts" />
        <Transition fallback=|| view! { <h1>"Vendors and contracts"</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Vendors v save delete editing /> }.into_any(),
                    Err(e) => view! { <h1>"Vendors and contracts"</h1><LoadError error=e /> }.into_any(),
                }
            })}
        </Transition>
        <FormError error=delete_error />
        <Notice when=deleted text=crate::ui::said_text() />
    }
}

#[component]
fn Vendors(v: VendorsView, save: ServerAction<SaveContract>, delete: ServerAction<DeleteContract>, editing: RwSignal<Option<ContractRow>>) -> impl IntoView {
    let can_edit = v.can_edit;
    let v2 = v.clone();
    view! {
        <div class="page-head"><h1>"Vendors and contracts"</h1></div>
        <BudgetTabs query="" />
        <section class="card" aria-labelledby="due-title">
            <h2 id="due-title">"Renewals in the next 90 days"</h2>
            {if v.renewals.is_empty() {
                view! { <p class="empty">"No contract renews in the next 90 days."</p> }.into_any()
            } else {
                view! { <ContractTable rows=v.renewals.clone() can_edit=false save delete editing /> }.into_any()
            }}
        </section>
        {can_edit.then(|| view! {
            <section class="card" aria-labelledby="contract-form-title">
                <h2 id="contract-form-title">{move || if editing.get().is_some() { "Edit a contract" } else { "Add a contract" }}</h2>
                {move || view! { <ContractForm v=v2.clone() save editing=editing.get() on_cancel=Callback::new(move |_| editing.set(None)) /> }}
            </section>
        })}
        <section class="card" aria-labelledby="contracts-title">
            <h2 id="contracts-title">"All contracts"</h2>
            {if v.contracts.is_empty() {
                view! { <p class="empty">"No contracts recorded."</p> }.into_any()
            } else {
                view! { <ContractTable rows=v.contracts.clone() can_edit save delete editing /> }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="spend-title">
            <h2 id="spend-title">{format!("Spend by vendor, {}", v.fiscal_label)}</h2>
            {if v.spend.is_empty() {
                view! { <p class="empty">"No spending with a named vendor this year."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <thead><tr><th scope="col">"Vendor"</th><th scope="col" class="num">"Spend"</th><th scope="col" class="num">"Share"</th></tr></thead>
                            <tbody>{v.spend.into_iter().map(|s| view! { <tr><th scope="row">{s.name}</th><td class="num">{s.amount}</td><td class="num">{s.share}</td></tr> }).collect_view()}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn ContractTable(rows: Vec<ContractRow>, can_edit: bool, save: ServerAction<SaveContract>, delete: ServerAction<DeleteContract>, editing: RwSignal<Option<ContractRow>>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="stack">
                <thead><tr>
                    <th scope="col">"Vendor and contract"</th><th scope="col">"Department"</th><th scope="col">"Owner"</th><th scope="col" class="num">"Annual value"</th>
                    <th scope="col">"Term"</th><th scope="col">"Renewal"</th><th scope="col">"Notice"</th>
                    {can_edit.then(|| view! { <th scope="col"><span class="visually-hidden">"Actions"</span></th> })}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|c| {
                        let (id, row) = (c.id, c.clone());
                        let named = format!("the contract {}: {}", c.vendor, c.name);
                        let renewal = match (&c.renews_on, c.days_to_renewal) {
                            (Some(r), Some(d)) => format!("{r} (in {}){}", crate::ui::plural(d.max(0) as u64, "day", "days"), if c.auto_renew { ", automatic" } else { "" }),
                            (Some(r), None) => format!("{r} (passed)"),
                            (None, _) => "Does not renew".into(),
                        };
                        let notice = match (&c.notice_by, c.notice_days) {
                            (Some(by), d) if d > 0 => format!("{}: by {by}", crate::ui::plural(d.max(0) as u64, "day", "days")),
                            _ => "—".into(),
                        };
                        view! {
                            <tr>
                                <th scope="row">{format!("{}: {}", c.vendor, c.name)}</th>
                                <td data-label="Department">{c.department}</td>
                                <td data-label="Owner">{c.owner}</td>
                                <td class="num" data-label="Annual value">{c.annual_value}</td>
                                <td data-label="Term">{format!("{} to {}", c.starts_on, c.ends_on)}</td>
                                <td data-label="Renewal">{renewal}</td>
                                <td data-label="Notice">{notice}</td>
                                {can_edit.then(|| view! {
                                    <td class="actions">
                                        <button type="button" class="button small secondary" on:click=move |_| { save.value().set(None); editing.set(Some(row.clone())); crate::ui::focus_soon("c-vendor"); }>"Edit"</button>
                                        <ConfirmButton label="Delete" what=named.clone() question=format!("Delete {named}?") confirm="Delete it"
                                            done=format!("Deleted {named}.") on_confirm=move |()| { delete.dispatch(DeleteContract { id }); } />
                                    </td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn ContractForm(v: VendorsView, save: ServerAction<SaveContract>, editing: Option<ContractRow>, on_cancel: Callback<()>) -> impl IntoView {
    let error = error_of(save);
    let done = notice_of(save);
    let form = crate::ui::cleared_after(save);
    let c = editing.clone();
    let source = c.clone();
    let get = move |f: fn(&ContractRow) -> String| source.as_ref().map(f).unwrap_or_default();
    view! {
        <ActionForm action=save node_ref=form attr:novalidate=true>
            <input type="hidden" name="id" value=get(|c| c.id.to_string()) />
            <FormError error />
            <div class="form-grid">
                <div class="field" class:invalid=move || error.get().and_then(|e| e.for_field("vendor")).is_some()>
                    <label for="c-vendor">"Vendor"</label>
                    <input id="c-vendor" name="vendor" list="contract-vendors" maxlength=120 value=get(|c| c.vendor.clone()) />
                    <datalist id="contract-vendors">{v.options.vendors.iter().map(|n| view! { <option value=n.clone()></option> }).collect_view()}</datalist>
                    <p class="field-error" role="alert">{move || error.get().and_then(|e| e.for_field("vendor"))}</p>
                </div>
                <TextField label="Contract" name="name" id_prefix="c-" error maxlength=200 value=get(|c| c.name.clone()) />
                <TextField label="Owner (optional)" name="owner" id_prefix="c-" error maxlength=120 value=get(|c| c.owner.clone()) />
                <SelectField label="Department" name="department" id_prefix="c-" options=choice_pairs(&v.options.departments, Some("Company-wide"))
                    selected=c.as_ref().and_then(|c| c.department_id).map(|d| d.to_string()).unwrap_or_default() error />
                <TextField label="Annual value" name="annual_value" id_prefix="c-" error value=get(|c| c.annual_value_input.clone()) />
                <TextField label="Starts" name="starts_on" kind="date" id_prefix="c-" error value=get(|c| c.starts_on.clone()) />
                <TextField label="Ends" name="ends_on" kind="date" id_prefix="c-" error value=get(|c| c.ends_on.clone()) />
                <TextField label="Renews on (optional)" name="renews_on" kind="date" id_prefix="c-" error value=get(|c| c.renews_on.clone().unwrap_or_default()) />
                <TextField label="Notice period in days" name="notice_days" id_prefix="c-" error value=get(|c| c.notice_days.to_string()) />
            </div>
            <div class="field checkbox">
                <input type="checkbox" id="c-auto_renew" name="auto_renew" value="on" checked=c.as_ref().is_some_and(|c| c.auto_renew) />
                <label for="c-auto_renew">"Renews automatically unless notice is given"</label>
            </div>
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>"Save contract"</button>
                {c.is_some().then(|| view! { <button type="button" class="button secondary" on:click=move |_| on_cancel.run(())>"Cancel"</button> })}
            </div>
            <Show when=move || done()>
                <p class="alert alert-ok" role="status">"Contract saved."</p>
            </Show>
        </ActionForm>
    }
}

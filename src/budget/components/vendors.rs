//! Vendors and contracts: renewals coming up, every contract, spend per vendor this year.

use super::{choice_pairs, BudgetTabs};
use crate::access::Action;
use crate::budget::api::budget_vendors;
use crate::budget::view::{ContractRow, VendorsView};
use crate::platform::query::here_without;
use crate::ui::{posted_error, AskFirst, FormError, LoadError, Posted, ReloadWith, SelectField, TextField, Title};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn VendorsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| budget_vendors());
    view! {
        <Title text="Vendors and contracts" />
        <Suspense fallback=|| view! { <h1>"Vendors and contracts"</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => Either::Left(view! { <Vendors v /> }),
                    Err(e) => Either::Right(view! { <h1>"Vendors and contracts"</h1><LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Vendors(v: VendorsView) -> impl IntoView {
    let can_edit = v.can_edit;
    let posted = Posted::to(Action::SaveContract.endpoint());
    let delete_error = Signal::stored(posted_error(Action::DeleteContract.endpoint()));
    // The contract in the form: the one sent back refused, else the one "Edit" opened.
    let edit = posted.record("edit");
    let editing = v.contracts.iter().find(|c| c.id.to_string() == edit).cloned();
    let title = if editing.is_some() { "Edit a contract" } else { "Add a contract" };
    let form = can_edit.then(|| view! {
        <section class="card" aria-labelledby="contract-form-title">
            <h2 id="contract-form-title">{title}</h2>
            <ContractForm v=v.clone() editing posted />
        </section>
    });
    view! {
        <div class="page-head"><h1>"Vendors and contracts"</h1></div>
        <BudgetTabs query="" />
        <FormError error=delete_error />
        <section class="card" aria-labelledby="due-title">
            <h2 id="due-title">"Renewals in the next 90 days"</h2>
            {if v.renewals.is_empty() {
                Either::Left(view! { <p class="empty">"No contract renews in the next 90 days."</p> })
            } else {
                Either::Right(view! { <ContractTable rows=v.renewals.clone() can_edit=false /> })
            }}
        </section>
        {form}
        <section class="card" aria-labelledby="contracts-title">
            <h2 id="contracts-title">"All contracts"</h2>
            {if v.contracts.is_empty() {
                Either::Left(view! { <p class="empty">"No contracts recorded."</p> })
            } else {
                Either::Right(view! { <ContractTable rows=v.contracts.clone() can_edit /> })
            }}
        </section>
        <section class="card" aria-labelledby="spend-title">
            <h2 id="spend-title">{format!("Spend by vendor, {}", v.fiscal_label)}</h2>
            {if v.spend.is_empty() {
                Either::Left(view! { <p class="empty">"No spending with a named vendor this year."</p> })
            } else {
                Either::Right(view! {
                    <div class="table-wrap">
                        <table>
                            <thead><tr><th scope="col">"Vendor"</th><th scope="col" class="num">"Spend"</th><th scope="col" class="num">"Share"</th></tr></thead>
                            <tbody>{v.spend.into_iter().map(|s| view! { <tr><th scope="row">{s.name}</th><td class="num">{s.amount}</td><td class="num">{s.share}</td></tr> }).collect_view()}</tbody>
                        </table>
                    </div>
                })
            }}
        </section>
    }
}

#[component]
fn ContractTable(rows: Vec<ContractRow>, can_edit: bool) -> impl IntoView {
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
                        let id = c.id;
                        // Only the full list (the one with buttons) names its rows.
                        let key = can_edit.then(|| format!("contract-{id}"));
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
                            <tr id=key.clone()>
                                <th scope="row">{format!("{}: {}", c.vendor, c.name)}{(!c.system.is_empty()).then(|| view! { <span class="meta">{format!("For {}", c.system)}</span> })}</th>
                                <td data-label="Department">{c.department}</td>
                                <td data-label="Owner">{c.owner}</td>
                                <td class="num" data-label="Annual value">{c.annual_value}</td>
                                <td data-label="Term">{format!("{} to {}", c.starts_on, c.ends_on)}</td>
                                <td data-label="Renewal">{renewal}</td>
                                <td data-label="Notice">{notice}</td>
                                {can_edit.then(|| view! {
                                    <td class="actions">
                                        <ReloadWith label="Edit" what=named.clone() name="edit" value=id.to_string() anchor="contract-form-title" />
                                        <AskFirst label="Delete" what=named.clone() question=format!("Delete {named}?") confirm="Delete it"
                                            key=key.clone().unwrap_or_default() action=Action::DeleteContract.endpoint() fields=vec![("id", id.to_string())] />
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
fn ContractForm(v: VendorsView, editing: Option<ContractRow>, posted: Posted) -> impl IntoView {
    let error = posted.error();
    let c = editing.clone();
    let source = c.clone();
    let auto_renew = posted.checked("auto_renew", c.as_ref().is_some_and(|c| c.auto_renew));
    let value = move |name: &str, f: fn(&ContractRow) -> String| posted.value(name, source.as_ref().map(f).unwrap_or_default());
    let cancel = c.is_some().then(|| view! { <a class="button secondary" href=format!("{}#contract-form-title", here_without(&["edit"]))>"Cancel"</a> });
    view! {
        <form method="post" action=Action::SaveContract.endpoint() novalidate aria-labelledby="contract-form-title">
            <input type="hidden" name="id" value=c.as_ref().map(|c| c.id.to_string()).unwrap_or_default() />
            <FormError error />
            <div class="form-grid">
                <div class="field" class:invalid=move || error.get().and_then(|e| e.for_field("vendor")).is_some()>
                    <label for="c-vendor">"Vendor"</label>
                    <input id="c-vendor" name="vendor" list="contract-vendors" maxlength=120 value=value("vendor", |c| c.vendor.clone()) />
                    <datalist id="contract-vendors">{v.options.vendors.iter().map(|n| view! { <option value=n.clone()></option> }).collect_view()}</datalist>
                    <p class="field-error" role="alert">{move || error.get().and_then(|e| e.for_field("vendor"))}</p>
                </div>
                <TextField label="Contract" name="name" id_prefix="c-" error maxlength=200 value=value("name", |c| c.name.clone()) />
                <TextField label="Owner (optional)" name="owner" id_prefix="c-" error maxlength=120 value=value("owner", |c| c.owner.clone()) />
                <SelectField label="Department" name="department" id_prefix="c-" options=choice_pairs(&v.options.departments, Some("Company-wide"))
                    selected=value("department", |c| c.department_id.map(|d| d.to_string()).unwrap_or_default()) error />
                <SelectField label="System it pays for" name="system" id_prefix="c-" options=choice_pairs(&v.options.systems, Some("None"))
                    selected=value("system", |c| c.system_id.map(|d| d.to_string()).unwrap_or_default()) error />
                <TextField label="Annual value" name="annual_value" id_prefix="c-" error value=value("annual_value", |c| c.annual_value_input.clone()) />
                <TextField label="Starts" name="starts_on" kind="date" id_prefix="c-" error value=value("starts_on", |c| c.starts_on.clone()) />
                <TextField label="Ends" name="ends_on" kind="date" id_prefix="c-" error value=value("ends_on", |c| c.ends_on.clone()) />
                <TextField label="Renews on (optional)" name="renews_on" kind="date" id_prefix="c-" error value=value("renews_on", |c| c.renews_on.clone().unwrap_or_default()) />
                <TextField label="Notice period in days" name="notice_days" id_prefix="c-" error value=value("notice_days", |c| c.notice_days.to_string()) />
            </div>
            <div class="field checkbox">
                <input type="checkbox" id="c-auto_renew" name="auto_renew" value="on" checked=auto_renew />
                <label for="c-auto_renew">"Renews automatically unless notice is given"</label>
            </div>
            <div class="form-actions">
                <button type="submit" class="button primary">"Save contract"</button>
                {cancel}
            </div>
        </form>
    }
}

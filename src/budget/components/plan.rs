//! The budget plan of a fiscal year: every line with its months, original and current amount
//! and revision history; the CTO sets or revises lines here.

use super::{choice_pairs, scope_query, BudgetTabs, ScopePicker};
use crate::budget::api::{budget_plan, SetBudget};
use crate::budget::model::Kind;
use crate::budget::view::{PlanLine, PlanView};
use crate::platform::query::query;
use crate::ui::{error_of, notice_of, successes, FormError, LoadError, SelectField, TextField};
use leptos::prelude::*;
use crate::ui::Title;

#[component]
pub(super) fn PlanPage() -> impl IntoView {
    crate::ui::NoticeClock::provide();
    let (year, department) = (query("year"), query("department"));
    let set = ServerAction::<SetBudget>::new();
    let editing = RwSignal::new(None::<PlanLine>);
    let saved = successes(set);
    let data = Resource::new(move || (year.get(), department.get(), saved.get()), |(y, d, _)| budget_plan(y, d));
    view! {
        <Title text="Budget plan" />
        <Transition fallback=|| view! { <h1>"Budget plan"</h1><p class="loading">"Loading the plan…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <Plan p set editing /> }.into_any(),
                    Err(e) => view! { <h1>"Budget plan"</h1><LoadError error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Plan(p: PlanView, set: ServerAction<SetBudget>, editing: RwSignal<Option<PlanLine>>) -> impl IntoView {
    let q = scope_query(p.fiscal_year, p.department);
    let labels = p.month_labels.clone();
    let can_edit = p.can_edit;
    view! {
        <div class="page-head">
            <div>
                <h1>"Budget plan"</h1>
                <p class="meta">{format!("{} · original {} · current {}", p.fiscal_label, p.original_total, p.current_total)}</p>
            </div>
            <ScopePicker years=p.options.years.clone() year=p.fiscal_year departments=p.options.departments.clone() department=p.department />
        </div>
        <BudgetTabs query=q />
        {can_edit.then(|| {
            let (p2, labels) = (p.clone(), labels.clone());
            view! {
                <section class="card" aria-labelledby="set-title">
                    <h2 id="set-title">"Set a budget line"</h2>
                    {move || view! { <SetLineForm p=p2.clone() labels=labels.clone() set line=editing.get() /> }}
                </section>
            }
        })}
        <section class="card" aria-labelledby="lines-title">
            <h2 id="lines-title">"Lines"</h2>
            {if p.lines.is_empty() {
                view! { <p class="empty">{format!("No budget is planned for {} yet.", p.fiscal_label)}</p> }.into_any()
            } else {
                view! {
                    // Twelve months are wider than most screens: the region scrolls, so a
                    // keyboard must be able to reach it.
                    <div class="table-wrap scroll" tabindex="0" role="region" aria-label="Budget lines by month">
                        <table class="plan">
                            <thead><tr>
                                <th scope="col">"Line"</th>
                                {labels.iter().map(|m| view! { <th scope="col" class="num">{m.clone()}</th> }).collect_view()}
                                <th scope="col" class="num">"Original"</th><th scope="col" class="num">"Current"</th>
                                {can_edit.then(|| view! { <th scope="col"><span class="visually-hidden">"Actions"</span></th> })}
                            </tr></thead>
                            <tbody>
                                {p.lines.iter().cloned().map(|l| {
                                    let line = l.clone();
                                    view! {
                                        <tr>
                                            <th scope="row">{format!("{} · {} · {}", l.department, l.category, l.kind)}</th>
                                            {l.months.iter().map(|m| view! { <td class="num">{m.clone()}</td> }).collect_view()}
                                            <td class="num">{l.original.clone()}</td>
                                            <td class="num"><strong>{l.current.clone()}</strong></td>
                                            {can_edit.then(|| view! {
                                                <td><button type="button" class="button small secondary" on:click=move |_| { set.value().set(None); editing.set(Some(line.clone())); crate::ui::focus_soon("b-department"); }>"Revise"</button></td>
                                            })}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <h3>"Revision history"</h3>
                    <ul class="revisions">
                        {p.lines.into_iter().map(|l| view! {
                            <li>
                                <strong>{format!("{} · {} · {}", l.department, l.category, l.kind)}</strong>
                                <ol>
                                    {l.revisions.into_iter().map(|r| view! { <li>{format!("{}: {} by {} — {}", r.at, r.total, r.by, r.reason)}</li> }).collect_view()}
                                </ol>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn SetLineForm(p: PlanView, labels: Vec<String>, set: ServerAction<SetBudget>, line: Option<PlanLine>) -> impl IntoView {
    let error = error_of(set);
    let done = notice_of(set);
    let monthly = RwSignal::new(line.is_some());
    let kinds: Vec<(String, String)> = Kind::choices().collect();
    let kind = line.as_ref().map(|l| l.kind.to_lowercase()).unwrap_or_else(|| "opex".into());
    let months = line.as_ref().map(|l| l.months_input.clone()).unwrap_or_else(|| vec![String::new(); 12]);
    view! {
        <ActionForm action=set attr:novalidate=true>
            <input type="hidden" name="year" value=p.fiscal_year.to_string() />
            <FormError error />
            <p class="hint">"A change never overwrites: the original budget and each revision stay in the history with who changed it, when and why."</p>
            <div class="form-grid">
                <SelectField label="Department" name="department" id_prefix="b-" options=choice_pairs(&p.options.departments, Some("Choose…"))
                    selected=line.as_ref().map(|l| l.department_id.to_string()).or(p.department.map(|d| d.to_string())).unwrap_or_default() error />
                <SelectField label="Category" name="category" id_prefix="b-" options=choice_pairs(&p.options.categories, Some("Choose…"))
                    selected=line.as_ref().map(|l| l.category_id.to_string()).unwrap_or_default() error />
                <SelectField label="CapEx or OpEx" name="kind" id_prefix="b-" options=kinds selected=kind error />
            </div>
            <fieldset class="radio-row">
                <legend>"Amounts"</legend>
                <label><input type="radio" name="mode" value="annual" checked=!monthly.get_untracked() on:change=move |_| monthly.set(false) />" An annual amount, spread evenly"</label>
                <label><input type="radio" name="mode" value="monthly" checked=monthly.get_untracked() on:change=move |_| monthly.set(true) />" Month by month"</label>
            </fieldset>
            <div hidden=move || monthly.get()>
                <TextField label="Annual amount" name="annual" id_prefix="b-" error hint="Spread over the twelve months; any remainder goes to the first months." />
            </div>
            <div class="month-grid" hidden=move || !monthly.get()>
                {labels.iter().enumerate().map(|(i, m)| {
                    let field = format!("month{i}");
                    let id = format!("b-month{i}");
                    let f2 = field.clone();
                    view! {
                        <div class="field" class:invalid=move || error.get().and_then(|e| e.for_field(&field)).is_some()>
                            <label for=id.clone()>{m.clone()}</label>
                            <input id=id name=format!("months[{i}]") inputmode="decimal" value=months.get(i).cloned().unwrap_or_default() />
                            <p class="field-error" role="alert">{move || error.get().and_then(|e| e.for_field(&f2))}</p>
                        </div>
                    }
                }).collect_view()}
            </div>
            <TextField label="Reason for the change" name="reason" id_prefix="b-" error maxlength=500 hint="Kept in the line's history, such as \"Approved plan\" or \"Q2 reforecast: new region\"." />
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=move || set.pending().get()>"Save budget line"</button>
            </div>
            <Show when=move || done()>
                <p class="alert alert-ok" role="status">"Budget line saved; the previous amounts stay in its history."</p>
            </Show>
        </ActionForm>
    }
}

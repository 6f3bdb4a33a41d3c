//! The budget plan of a fiscal year: every line with its months, original and current amount
//! and revision history; the CTO sets or revises lines here.

use super::{choice_pairs, scope_query, BudgetTabs, ScopePicker};
use crate::access::Action;
use crate::budget::api::budget_plan;
use crate::budget::model::Kind;
use crate::budget::view::{PlanLine, PlanView};
use crate::platform::query::{here_without, query};
use crate::ui::{FormError, LoadError, Posted, ReloadWith, SelectField, TextField, Title};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn PlanPage() -> impl IntoView {
    let (year, department) = (query("year").get_untracked(), query("department").get_untracked());
    let data = Resource::new(move || (year.clone(), department.clone()), |(y, d)| budget_plan(y, d));
    view! {
        <Title text="Budget plan" />
        <Suspense fallback=|| view! { <h1>"Budget plan"</h1><p class="loading">"Loading the plan…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => Either::Left(view! { <Plan p /> }),
                    Err(e) => Either::Right(view! { <h1>"Budget plan"</h1><LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

/// Names a line in the page's address ("Revise" opens it in the form): department, category
/// and kind.
fn line_key(l: &PlanLine) -> String {
    format!("{}-{}-{}", l.department_id, l.category_id, l.kind.to_lowercase())
}

#[component]
fn Plan(p: PlanView) -> impl IntoView {
    let q = scope_query(p.fiscal_year, p.department);
    let revising = query("line").get_untracked();
    let editing = p.lines.iter().find(|l| line_key(l) == revising).cloned();
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
        {can_edit.then(|| view! {
            <section class="card" aria-labelledby="set-title">
                <h2 id="set-title">"Set a budget line"</h2>
                <SetLineForm p=p.clone() labels=labels.clone() line=editing />
            </section>
        })}
        <section class="card" aria-labelledby="lines-title">
            <h2 id="lines-title">"Lines"</h2>
            {if p.lines.is_empty() {
                Either::Left(view! { <p class="empty">{format!("No budget is planned for {} yet.", p.fiscal_label)}</p> })
            } else {
                Either::Right(view! {
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
                                {p.lines.iter().map(|l| {
                                    let named = format!("{} · {} · {}", l.department, l.category, l.kind);
                                    let key = line_key(l);
                                    let investment = if l.investment.is_empty() { "No investment category".to_string() } else { l.investment.clone() };
                                    view! {
                                        <tr id=format!("line-{key}")>
                                            <th scope="row">{named.clone()}<span class="meta">{investment}</span></th>
                                            {l.months.iter().map(|m| view! { <td class="num">{m.clone()}</td> }).collect_view()}
                                            <td class="num">{l.original.clone()}</td>
                                            <td class="num"><strong>{l.current.clone()}</strong></td>
                                            {can_edit.then(|| view! {
                                                <td><ReloadWith label="Revise" what=named.clone() name="line" value=key.clone() anchor="set-title" /></td>
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
                })
            }}
        </section>
    }
}

#[component]
fn SetLineForm(p: PlanView, labels: Vec<String>, line: Option<PlanLine>) -> impl IntoView {
    let posted = Posted::to(Action::SetBudget.endpoint());
    let error = posted.error();
    let kinds: Vec<(String, String)> = Kind::choices().collect();
    let kind = posted.value("kind", line.as_ref().map(|l| l.kind.to_lowercase()).unwrap_or_else(|| "opex".into()));
    let monthly = posted.value("mode", if line.is_some() { "monthly" } else { "annual" }) == "monthly";
    let months = line.as_ref().map(|l| l.months_input.clone()).unwrap_or_else(|| vec![String::new(); 12]);
    let department = posted.value("department", line.as_ref().map(|l| l.department_id.to_string()).or(p.department.map(|d| d.to_string())).unwrap_or_default());
    let category = posted.value("category", line.as_ref().map(|l| l.category_id.to_string()).unwrap_or_default());
    let investment = posted.value("investment", line.as_ref().and_then(|l| l.investment_id).map(|i| i.to_string()).unwrap_or_default());
    let cancel = line.is_some().then(|| view! { <a class="button secondary" href=format!("{}#set-title", here_without(&["line"]))>"Cancel"</a> });
    let month_fields = labels
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let field = format!("month{i}");
            let id = format!("b-month{i}");
            let f2 = field.clone();
            let name = format!("months[{i}]");
            let value = posted.value(&name, months.get(i).cloned().unwrap_or_default());
            view! {
                <div class="field" class:invalid=move || error.get().and_then(|e| e.for_field(&field)).is_some()>
                    <label for=id.clone()>{m.clone()}</label>
                    <input id=id name=name inputmode="decimal" value=value />
                    <p class="field-error" role="alert">{move || error.get().and_then(|e| e.for_field(&f2))}</p>
                </div>
            }
        })
        .collect_view();
    // Which amounts show follows the chosen radio in CSS (`.amounts:has(...)`), with no script.
    view! {
        <form method="post" action=Action::SetBudget.endpoint() novalidate class="amounts" id="plan-form" aria-labelledby="set-title">
            <input type="hidden" name="year" value=p.fiscal_year.to_string() />
            <FormError error />
            <p class="hint">"A change never overwrites: the original budget and each revision stay in the history with who changed it, when and why."</p>
            <div class="form-grid">
                <SelectField label="Department" name="department" id_prefix="b-" options=choice_pairs(&p.options.departments, Some("Choose…")) selected=department error />
                <SelectField label="Category" name="category" id_prefix="b-" options=choice_pairs(&p.options.categories, Some("Choose…")) selected=category error />
                <SelectField label="CapEx or OpEx" name="kind" id_prefix="b-" options=kinds selected=kind error />
                <SelectField label="Investment category" name="investment" id_prefix="b-" options=choice_pairs(&p.options.investments, Some("Unassigned")) selected=investment error
                    hint="What the line's money is for, on the investment allocation page. An expense's own category or its initiative's comes first." />
            </div>
            <fieldset class="radio-row">
                <legend>"Amounts"</legend>
                <label><input type="radio" name="mode" value="annual" checked=!monthly />" An annual amount, spread evenly"</label>
                <label><input type="radio" name="mode" value="monthly" checked=monthly />" Month by month"</label>
            </fieldset>
            <div class="annual-amount">
                <TextField label="Annual amount" name="annual" id_prefix="b-" error value=posted.value("annual", "") hint="Spread over the twelve months; any remainder goes to the first months." />
            </div>
            <div class="month-grid">{month_fields}</div>
            <TextField label="Reason for the change" name="reason" id_prefix="b-" error maxlength=500 value=posted.value("reason", "") hint="Kept in the line's history, such as \"Approved plan\" or \"Q2 reforecast: new region\"." />
            <div class="form-actions">
                <button type="submit" class="button primary">"Save budget line"</button>
                {cancel}
            </div>
        </form>
    }
}

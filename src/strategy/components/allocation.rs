//! Investment allocation: the year's mix of planned and actual money per investment category
//! against the target mix, month by month and per department, with the CTO's category form.

use super::StrategyTabs;
use crate::access::Action;
use crate::budget::components::ScopePicker;
use crate::strategy::api::load_allocation;
use crate::strategy::mix::{MixStatus, SWATCHES, UNASSIGNED_SWATCH};
use crate::strategy::view::{AllocationView, CategorySetting, MixLine, MixRow};
use crate::ui::chart::ChartBlock;
use crate::ui::{posted_error, AskFirst, FormError, LoadError, Posted, Title};
use crate::platform::query::query;
use leptos::either::Either;
use leptos::prelude::*;

const TITLE: &str = "Investment allocation";

#[component]
pub fn AllocationPage() -> impl IntoView {
    let (year, department) = (query("year").get_untracked(), query("department").get_untracked());
    let data = Resource::new(move || (year.clone(), department.clone()), |(y, d)| load_allocation(y, d));
    view! {
        <Title text=TITLE />
        <Suspense fallback=|| view! { <h1>{TITLE}</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(a) => Either::Left(view! { <Allocation a /> }),
                    Err(e) => Either::Right(view! { <h1>{TITLE}</h1><StrategyTabs /><LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

/// A share's standing against its target, as a status badge; nothing without a target.
#[component]
pub fn MixBadge(status: Option<MixStatus>) -> impl IntoView {
    status.map(|s| view! { <span class=format!("status status-{}", s.css())><span class="status-dot" aria-hidden="true"></span>{s.label()}</span> })
}

fn swatch(i: usize, name: &str) -> &'static str {
    if name == crate::strategy::view::UNASSIGNED { UNASSIGNED_SWATCH } else { SWATCHES[i % SWATCHES.len()] }
}

#[component]
fn Allocation(a: AllocationView) -> impl IntoView {
    let scope = format!("{} · {} · as of {}", a.fiscal_label, a.department_name, a.as_of);
    let legend: Vec<(&'static str, String)> = a.columns.iter().enumerate().map(|(i, c)| (swatch(i, c), c.clone())).collect();
    let nothing = a.mix.iter().all(|r| r.planned_share.is_empty() && r.actual_share.is_empty());
    view! {
        <div class="page-head">
            <div>
                <h1>{TITLE}</h1>
                <p class="meta">{scope}</p>
            </div>
            <ScopePicker years=a.years.clone() year=a.fiscal_year departments=a.departments.clone() department=a.department />
        </div>
        <StrategyTabs />
        <section class="card" aria-labelledby="mix-title">
            <h2 id="mix-title">"Mix against target"</h2>
            <p class="hint">"An expense counts under its own investment category, else its initiative's, else its budget line's. Planned money is the budget lines' current plans."</p>
            {nothing.then(|| view! { <p class="empty">{format!("No money is planned or spent in {} yet.", a.fiscal_label)}</p> })}
            <MixTable rows=a.mix.clone() planned=a.planned_total.clone() actual=a.actual_total.clone() />
        </section>
        {a.chart.map(|chart| view! {
            <section class="card" aria-labelledby="mix-chart-title">
                <h2 id="mix-chart-title" class="visually-hidden">"Mix over time"</h2>
                <ChartBlock chart heading="Actual mix by month" legend />
            </section>
        })}
        <section class="card" aria-labelledby="months-title">
            <h2 id="months-title">"By month"</h2>
            <LineTable caption="Actual and planned money per investment category and month" first="Month" columns=a.columns.clone() lines=a.months />
        </section>
        {(!a.departments_mix.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="departments-title">
                <h2 id="departments-title">"By department"</h2>
                <LineTable caption="Actual and planned money per investment category and department" first="Department" columns=a.columns.clone() lines=a.departments_mix />
            </section>
        })}
        {a.settings.map(|s| view! { <CategoryForm s investors=a.investors_see_mix /> })}
    }
}

#[component]
fn MixTable(rows: Vec<MixRow>, planned: String, actual: String) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="mix stack">
                <caption class="visually-hidden">"Planned and actual money per investment category against its target"</caption>
                <thead><tr>
                    <th scope="col">"Category"</th><th scope="col">"Target"</th>
                    <th scope="col" class="num">"Planned"</th><th scope="col" class="num">"Share"</th>
                    <th scope="col" class="num">"Actual"</th><th scope="col" class="num">"Share"</th><th scope="col">"Status"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let plan_note = r.plan_status.filter(|s| *s != MixStatus::Met).map(|s| view! { <span class="meta">{format!("Plan: {}", s.label().to_lowercase())}</span> });
                        view! {
                            <tr>
                                <th scope="row">{r.name}</th>
                                <td data-label="Target">{if r.target.is_empty() { "—".to_string() } else { r.target }}</td>
                                <td class="num" data-label="Planned">{r.planned}</td>
                                <td class="num" data-label="Planned share">{r.planned_share}{plan_note}</td>
                                <td class="num" data-label="Actual">{r.actual}</td>
                                <td class="num" data-label="Actual share">{r.actual_share}</td>
                                <td data-label="Status"><MixBadge status=r.status /></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
                <tfoot><tr>
                    <th scope="row">"Total"</th><td></td>
                    <td class="num">{planned}</td><td></td><td class="num">{actual}</td><td></td><td></td>
                </tr></tfoot>
            </table>
        </div>
    }
}

/// Lines (months or departments) by category: each cell the actual money with its share of the
/// line, and the plan beneath.
#[component]
fn LineTable(caption: &'static str, first: &'static str, columns: Vec<String>, lines: Vec<MixLine>) -> impl IntoView {
    let labels = columns.clone();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=caption>
            <table class="mix-lines stack">
                <caption class="visually-hidden">{caption}</caption>
                <thead><tr>
                    <th scope="col">{first}</th>
                    {columns.into_iter().map(|c| view! { <th scope="col" class="num">{c}</th> }).collect_view()}
                    <th scope="col" class="num">"Total"</th>
                </tr></thead>
                <tbody>
                    {lines.into_iter().map(|l| view! {
                        <tr>
                            <th scope="row">{l.label}</th>
                            {l.cells.into_iter().zip(labels.clone()).map(|(c, label)| view! {
                                <td class="num" data-label=label>
                                    {c.actual}
                                    {cell_note(&c.share, &c.planned).map(|n| view! { <span class="meta">{n}</span> })}
                                </td>
                            }).collect_view()}
                            <td class="num" data-label="Total"><strong>{l.actual}</strong><span class="meta">{format!("plan {}", l.planned)}</span></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// "58.4 % · plan $448,000", or the half there is.
fn cell_note(share: &str, planned: &str) -> Option<String> {
    match (share.is_empty(), planned.is_empty()) {
        (true, true) => None,
        (false, true) => Some(share.to_string()),
        (true, false) => Some(format!("plan {planned}")),
        (false, false) => Some(format!("{share} · plan {planned}")),
    }
}

/// The CTO's categories: every name and target in one form, a blank row to add one, and
/// removal for those nothing carries.
#[component]
fn CategoryForm(s: Vec<CategorySetting>, investors: bool) -> impl IntoView {
    let posted = Posted::to(Action::SaveInvestmentCategories.endpoint());
    let error = posted.error();
    let refused = Signal::stored(posted_error(Action::DeleteInvestmentCategory.endpoint()));
    let rules = [("", "No target"), ("at_least", "At least"), ("at_most", "At most")];
    let blank = CategorySetting::default();
    let rows = s
        .iter()
        .chain(std::iter::once(&blank))
        .enumerate()
        .map(|(i, c)| {
            let new = c.id == 0;
            let (name_f, rule_f, pct_f) = (format!("name[{i}]"), format!("rule[{i}]"), format!("pct[{i}]"));
            let (name, rule, pct) = (posted.value(&name_f, c.name.clone()), posted.value(&rule_f, c.rule.clone()), posted.value(&pct_f, c.pct.clone()));
            let (name_m, rule_m, pct_m) = (posted.message(&name_f), posted.message(&rule_f), posted.message(&pct_f));
            let who = if new { "the new category".to_string() } else { c.name.clone() };
            let remove = (!new && !c.in_use).then(|| view! {
                <AskFirst label="Remove" what=format!("the category {}", c.name) question=format!("Remove the investment category {}?", c.name) confirm="Remove it"
                    key=format!("investment-{}", c.id) action=Action::DeleteInvestmentCategory.endpoint() fields=vec![("id", c.id.to_string())] />
            });
            view! {
                <tr id=format!("investment-{}", c.id)>
                    <td data-label="Category">
                        <input type="hidden" name=format!("id[{i}]") value=if new { String::new() } else { c.id.to_string() } form="categories-form" />
                        <label class="visually-hidden" for=format!("cat-name-{i}")>{format!("Name of {who}")}</label>
                        <input id=format!("cat-name-{i}") name=name_f value=name maxlength=60 form="categories-form" placeholder=if new { "Add a category" } else { "" } aria-invalid=move || name_m.get().is_some().then_some("true") />
                        <p class="field-error" role="alert">{move || name_m.get()}</p>
                    </td>
                    <td data-label="Target">
                        <label class="visually-hidden" for=format!("cat-rule-{i}")>{format!("Target of {who}")}</label>
                        <select id=format!("cat-rule-{i}") name=rule_f form="categories-form" aria-invalid=move || rule_m.get().is_some().then_some("true")>
                            {rules.iter().map(|(v, l)| view! { <option value=*v selected=*v == rule>{*l}</option> }).collect_view()}
                        </select>
                        <p class="field-error" role="alert">{move || rule_m.get()}</p>
                    </td>
                    <td data-label="Share">
                        <label class="visually-hidden" for=format!("cat-pct-{i}")>{format!("Target share of {who}, in percent")}</label>
                        <input id=format!("cat-pct-{i}") name=pct_f value=pct inputmode="numeric" size=4 form="categories-form" aria-invalid=move || pct_m.get().is_some().then_some("true") />" %"
                        <p class="field-error" role="alert">{move || pct_m.get()}</p>
                    </td>
                    <td class="actions">{remove}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="categories" aria-labelledby="categories-title">
            <h2 id="categories-title">"Categories and target mix"</h2>
            <p class="hint">"The categories cover all technology money without overlap. A target is a floor (“at least 60 % new capabilities”) or a ceiling; a share within a tenth of it is near."</p>
            <FormError error />
            <FormError error=refused />
            // The delete buttons are forms of their own, so the inputs join the save form by id.
            <form id="categories-form" method="post" action=Action::SaveInvestmentCategories.endpoint() novalidate></form>
            <div class="table-wrap">
                <table class="category-targets stack">
                    <thead><tr><th scope="col">"Category"</th><th scope="col">"Target"</th><th scope="col">"Share"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <div class="field checkbox">
                <input type="checkbox" id="investors_see_mix" name="investors_see_mix" value="on" form="categories-form" checked=posted.checked("investors_see_mix", investors) />
                <label for="investors_see_mix">"Investor reports show the company’s investment mix against these targets"</label>
            </div>
            <div class="form-actions"><button type="submit" form="categories-form" class="button primary">"Save categories and targets"</button></div>
        </section>
    }
}

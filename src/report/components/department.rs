//! `/reports/department`: one department's budget against actual for a month or quarter, read
//! only and laid out for print. A department head gets their own department; the CTO any.

use super::document::BudgetTables;
use crate::platform::query::query;
use crate::report::api::load_department_report;
use crate::report::view::DepartmentReport;
use crate::ui::{FilterSelect, LoadError};
use leptos::prelude::*;
use crate::ui::Title;

#[component]
pub fn DepartmentReportPage() -> impl IntoView {
    let period = query("period");
    let department = query("department");
    let data = Resource::new(move || (period.get(), department.get()), |(p, d)| load_department_report(p, d));
    view! {
        <Title text="Department budget report" />
        <Transition fallback=|| view! { <h1>"Department budget report"</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(r) => view! { <Report r /> }.into_any(),
                    Err(e) => view! { <h1>"Department budget report"</h1><LoadError error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Report(r: DepartmentReport) -> impl IntoView {
    let departments = crate::ui::id_choices(None, &r.departments);
    let choose_department = departments.len() > 1;
    let title = format!("{} budget report", r.department);
    view! {
        <div class="report-toolbar no-print">
            <a href="/reports">"← Reports"</a>
            <div class="toolbar-actions">
                <button type="button" class="button" data-print="">"Print or save as PDF"</button>
            </div>
        </div>
        <form method="GET" action="" class="filters no-print" aria-label="Report period">
            <FilterSelect label="Period" id="dept-period" name="period" options=r.periods.clone() selected=r.period.clone() />
            {choose_department.then(|| view! {
                <FilterSelect label="Department" id="dept-department" name="department" options=departments.clone() selected=r.department_id.to_string() />
            })}
            {(!choose_department).then(|| view! { <input type="hidden" name="department" value=r.department_id /> })}
            <button type="submit" class="button secondary">"Show"</button>
        </form>
        <article class="report-doc">
            <style>{super::document::page_header(&title, &r.period_label)}</style>
            <header class="report-head">
                <p class="eyebrow">{format!("Department budget report · {}", r.period_label)}</p>
                <h1>{title.clone()}</h1>
                <p class="meta">
                    <span>{format!("{} to {}", r.from, r.to)}</span>
                    <span>{format!("Figures as of {}", r.generated_at)}</span>
                    <span>{format!("Amounts in {}", r.budget.currency)}</span>
                </p>
            </header>
            <section class="report-section" aria-labelledby="dr-budget">
                <h2 id="dr-budget">"Budget against actual"</h2>
                <BudgetTables budget=r.budget.clone() period=r.period_label.clone() />
            </section>
            <section class="report-section" aria-labelledby="dr-months">
                <h2 id="dr-months">"By month"</h2>
                <div class="table-wrap">
                    <table class="report-table">
                        <caption class="visually-hidden">{format!("Budget and actual per month, {}", r.period_label)}</caption>
                        <thead><tr><th scope="col">"Month"</th><th scope="col" class="num">"Budget"</th><th scope="col" class="num">"Actual"</th></tr></thead>
                        <tbody>
                            {r.months.into_iter().map(|(m, b, a)| view! { <tr><th scope="row">{m}</th><td class="num">{b}</td><td class="num">{a}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
            <footer class="report-foot">{format!("{title} · {}", r.period_label)}</footer>
        </article>
    }
}

//! Budget against actual: headline figures, the three charts, and the tables by department,
//! category, CapEx/OpEx and month, with top vendors and renewals coming up.

use crate::access::Page;
use super::{scope_query, BudgetTabs, ScopePicker, VarianceBadge};
use crate::ui::chart::ChartBlock;
use crate::budget::api::load_budget_overview;
use crate::budget::view::{BudgetOverview, BvaRow, MonthRow};
use crate::platform::query::query;
use crate::ui::LoadError;
use leptos::prelude::*;
use crate::ui::Title;

#[component]
pub fn BudgetsPage() -> impl IntoView {
    let (year, department) = (query("year"), query("department"));
    let data = Resource::new(move || (year.get(), department.get()), |(y, d)| load_budget_overview(y, d));
    view! {
        <Title text="Budgets" />
        <Transition fallback=|| view! { <h1>"Budgets"</h1><p class="loading">"Loading the budget…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(o) => view! { <Overview o /> }.into_any(),
                    Err(e) => view! { <h1>"Budgets"</h1><LoadError error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}


#[component]
fn Overview(o: BudgetOverview) -> impl IntoView {
    let q = scope_query(o.fiscal_year, o.department);
    let t = o.total.clone();
    let company = o.department.is_none();
    let empty = !o.has_plan && !o.has_actuals;
    view! {
        <div class="page-head">
            <div>
                <h1>"Budgets"</h1>
                <p class="meta">{format!("{} · {} · as of {}", o.fiscal_label, o.department_name, o.as_of)}</p>
            </div>
            <ScopePicker years=o.years.clone() year=o.fiscal_year departments=o.departments.clone() department=o.department />
        </div>
        <BudgetTabs query=q.clone() />
        {if empty {
            view! {
                <p class="empty">
                    {format!("No budget and no expenses for {} yet. ", o.fiscal_label)}
                    {if o.can_edit_budget {
                        view! { <a href=format!("{}?{q}", Page::BudgetPlan.path())>"Set the budget"</a>" or "<a href=format!("{}?{q}", Page::BudgetExpenses.path())>"record expenses"</a>"." }.into_any()
                    } else {
                        view! { <a href=format!("{}?{q}", Page::BudgetExpenses.path())>"Record expenses"</a>"." }.into_any()
                    }}
                </p>
            }.into_any()
        } else {
            view! {
                <section class="tiles" aria-label="Headline figures">
                    <div class="tile">
                        <p class="tile-label">"Actual to date"</p>
                        <p class="tile-value">{t.actual_ytd.clone()}</p>
                        <p class="tile-note">{format!("against {} planned to date", t.plan_ytd)}</p>
                    </div>
                    <div class=format!("tile rag-{}", t.status.as_str())>
                        <p class="tile-label">"Variance to date"</p>
                        <p class="tile-value">{t.variance.clone()}</p>
                        <p class="tile-note"><VarianceBadge status=t.status /><span>{format!(" {}", t.variance_pct)}</span></p>
                    </div>
                    <div class="tile">
                        <p class="tile-label">"Budget for the year"</p>
                        <p class="tile-value">{t.plan_year.clone()}</p>
                        <p class="tile-note">{format!("original {}", t.original_year)}</p>
                    </div>
                    <div class="tile">
                        <p class="tile-label">"Burn rate"</p>
                        <p class="tile-value">{o.burn_rate.clone().map(|b| format!("{b} / month")).unwrap_or_else(|| "—".into())}</p>
                        <p class="tile-note">{o.last_month.clone().map(|(m, v)| format!("{m}: {v}")).unwrap_or_else(|| "no month closed yet".into())}</p>
                    </div>
                    <div class="tile">
                        <p class="tile-label">"Year-end forecast"</p>
                        <p class="tile-value">{t.forecast_plan.clone()}</p>
                        <p class="tile-note">"actual to date + remaining plan"</p>
                    </div>
                    <div class="tile">
                        <p class="tile-label">"Year-end at current pace"</p>
                        <p class="tile-value">{t.forecast_run_rate.clone()}</p>
                        <p class="tile-note">"run rate to date, projected"</p>
                    </div>
                </section>
                <p class="hint">{format!("Status compares actual with the plan to date (the current month in proportion to its days gone): {}.", o.thresholds)}</p>

                <section class="card" aria-labelledby="charts-title">
                    <h2 id="charts-title">"Charts"</h2>
                    <div class="chart-grid">
                        <ChartBlock chart=o.burn_up.clone() heading="Cumulative spend against plan, with forecasts"
                            legend=vec![("line", "Actual".into()), ("target", "Budget".into()), ("red", "Forecast at current pace".into()), ("amber", "Forecast: actual + remaining plan".into())] />
                        <ChartBlock chart=o.monthly.clone() heading="Monthly actual by category against the month's budget"
                            legend=stack_legend(&o.monthly.columns) />
                        <ChartBlock chart=o.comparison.clone() heading=if company { "Departments compared" } else { "Categories compared" }
                            legend=vec![("bar plan", "Budget to date".into()), ("bar actual", "Actual to date".into()), ("bar over", "Actual, over the red threshold".into())] />
                    </div>
                </section>

                {company.then(|| view! { <BvaTable title="By department" first="Department" rows=o.by_department.clone() /> })}
                <BvaTable title="By category" first="Category" rows=o.by_category.clone() />
                <BvaTable title="CapEx and OpEx" first="Kind" rows=o.by_kind.clone() />
                <MonthTable rows=o.by_month.clone() />

                <div class="two-col">
                    <section class="card" aria-labelledby="vendors-title">
                        <h2 id="vendors-title">"Top vendors by spend"</h2>
                        {if o.top_vendors.is_empty() {
                            view! { <p class="empty">"No spending with a named vendor this year."</p> }.into_any()
                        } else {
                            view! {
                                <table>
                                    <thead><tr><th scope="col">"Vendor"</th><th scope="col" class="num">"Spend"</th><th scope="col" class="num">"Share"</th></tr></thead>
                                    <tbody>{o.top_vendors.iter().map(|v| view! { <tr><th scope="row">{v.name.clone()}</th><td class="num">{v.amount.clone()}</td><td class="num">{v.share.clone()}</td></tr> }).collect_view()}</tbody>
                                </table>
                            }.into_any()
                        }}
                    </section>
                    <section class="card" aria-labelledby="renewals-title">
                        <h2 id="renewals-title">"Renewals in the next 90 days"</h2>
                        {if o.renewals.is_empty() {
                            view! { <p class="empty">"No contract renews in the next 90 days."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="renewals">
                                    {o.renewals.iter().map(|c| view! {
                                        <li>
                                            <strong>{format!("{}: {}", c.vendor, c.name)}</strong>
                                            <span>{format!(" renews {} (in {}), {} a year", c.renews_on.clone().unwrap_or_default(), crate::ui::plural(c.days_to_renewal.unwrap_or(0).max(0) as u64, "day", "days"), c.annual_value)}</span>
                                            {c.notice_by.clone().filter(|_| c.notice_days > 0).map(|n| view! { <span class="hint">{format!(" · notice by {n}")}</span> })}
                                            {c.auto_renew.then(|| view! { <span class="tag">"Auto-renews"</span> })}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <p><a href="/budgets/vendors">"All vendors and contracts"</a></p>
                    </section>
                </div>
                <crate::feedback::components::FeedbackAbout about="budget" target=0 title="Feedback about the budget" />
            }.into_any()
        }}
    }
}

#[component]
fn BvaTable(title: &'static str, first: &'static str, rows: Vec<BvaRow>) -> impl IntoView {
    let id = format!("t-{}", title.to_lowercase().replace(' ', "-"));
    view! {
        <section class="card" aria-labelledby=id.clone()>
            <h2 id=id.clone()>{title}</h2>
            <div class="table-wrap">
                <table class="stack bva">
                    <thead>
                        <tr>
                            <th scope="col">{first}</th>
                            <th scope="col" class="num">"Budget (year)"</th>
                            <th scope="col" class="num">"Budget to date"</th>
                            <th scope="col" class="num">"Actual to date"</th>
                            <th scope="col" class="num">"Variance"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col" class="num">"Forecast (plan)"</th>
                            <th scope="col" class="num">"Forecast (pace)"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! {
                            <tr>
                                <th scope="row">{r.label}</th>
                                <td class="num" data-label="Budget (year)">{r.plan_year}</td>
                                <td class="num" data-label="Budget to date">{r.plan_ytd}</td>
                                <td class="num" data-label="Actual to date">{r.actual_ytd}</td>
                                <td class="num" data-label="Variance">{r.variance}<span class="hint">{format!(" ({})", r.variance_pct)}</span></td>
                                <td data-label="Status"><VarianceBadge status=r.status /></td>
                                <td class="num" data-label="Forecast (plan)">{r.forecast_plan}</td>
                                <td class="num" data-label="Forecast (pace)">{r.forecast_run_rate}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn MonthTable(rows: Vec<MonthRow>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="t-months">
            <h2 id="t-months">"By month and quarter"</h2>
            <div class="table-wrap">
                <table class="stack">
                    <thead><tr><th scope="col">"Month"</th><th scope="col" class="num">"Budget"</th><th scope="col" class="num">"Actual"</th><th scope="col" class="num">"Variance"</th><th scope="col">"Status"</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! {
                            <tr class:future=r.future class:subtotal=r.quarter>
                                <th scope="row">{r.month}</th>
                                <td class="num" data-label="Budget">{r.plan}</td>
                                <td class="num" data-label="Actual">{r.actual}</td>
                                <td class="num" data-label="Variance">{r.variance}</td>
                                <td data-label="Status">{match r.status {
                                    Some(s) => view! { <VarianceBadge status=s /> }.into_any(),
                                    None if r.future => view! { <span class="hint">"Not begun"</span> }.into_any(),
                                    None => view! { <span class="hint">"In progress"</span> }.into_any(),
                                }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The stacked chart's series are the table's middle columns, coloured in `STACK` order.
fn stack_legend(columns: &[String]) -> Vec<(&'static str, String)> {
    const FILLS: [&str; 6] = ["fill", "fill line-2", "fill line-3", "fill note", "fill deploy", "fill axis"];
    let series = columns.len().saturating_sub(2);
    let mut out: Vec<(&'static str, String)> = columns.iter().skip(1).take(series).enumerate().map(|(i, c)| (FILLS[i % FILLS.len()], c.clone())).collect();
    out.push(("target solid", "Budget".into()));
    out
}

//! The capitalization report: per month, quarter and initiative, the labour that may be
//! capitalized and the rest that is expensed; every line of the arithmetic; the CTO's close.

use super::{StrategyTabs, YearPicker};
use crate::access::{Action, Route};
use crate::platform::encode::with_query;
use crate::platform::query::query;
use crate::strategy::api::load_capitalization;
use crate::strategy::view::{CapInitiative, CapLineView, CapMonth, CapTotals, CapitalizationView};
use crate::ui::{FormError, LoadError, Posted, SelectField, Title};
use leptos::either::Either;
use crate::budget::model::Month;
use leptos::prelude::*;

const TITLE: &str = "Capitalization";

#[component]
pub fn CapitalizationPage() -> impl IntoView {
    let year = query("year").get_untracked();
    let data = Resource::new(move || year.clone(), load_capitalization);
    view! {
        <Title text=TITLE />
        <Suspense fallback=|| view! { <h1>{TITLE}</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => Either::Left(view! { <Report c /> }),
                    Err(e) => Either::Right(view! { <h1>{TITLE}</h1><StrategyTabs /><LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Report(c: CapitalizationView) -> impl IntoView {
    let csv = with_query(Route::CapitalizationExport.path(), &[("year", &c.fiscal_year.to_string())]);
    view! {
        <div class="page-head">
            <div>
                <h1>{TITLE}</h1>
                <p class="meta">{c.fiscal_label.clone()}</p>
            </div>
            <YearPicker years=c.years.clone() year=c.fiscal_year />
        </div>
        <StrategyTabs />
        <p class="hint">"Capitalizable labour is a team’s loaded cost × its share of effort on an initiative × the share of the month the initiative spent in its development stage. Research, maintenance and work outside a development stage are expensed. A closed month keeps its figures."</p>
        <section class="card" id="months" aria-labelledby="months-title">
            <h2 id="months-title">"By month"</h2>
            <MonthTable months=c.months quarters=c.quarters total=c.total />
            <CloseForm closable=c.closable />
        </section>
        <section class="card" aria-labelledby="initiatives-title">
            <h2 id="initiatives-title">"By initiative"</h2>
            <InitiativeTable rows=c.initiatives />
        </section>
        <section class="card" aria-labelledby="lines-title">
            <div class="section-head">
                <h2 id="lines-title">"Every line"</h2>
                <a class="button secondary small" href=csv download="">"Download CSV"</a>
            </div>
            <LineTable lines=c.lines />
        </section>
    }
}

#[component]
fn TotalsCells(t: CapTotals) -> impl IntoView {
    view! {
        <td class="num" data-label="People cost">{t.people}</td>
        <td class="num" data-label="Capitalized">{t.capitalized}</td>
        <td class="num" data-label="Expensed">{t.expensed}</td>
    }
}

#[component]
fn MonthTable(months: Vec<CapMonth>, quarters: Vec<CapTotals>, total: CapTotals) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="stack cap-months">
                <caption class="visually-hidden">"People cost, capitalized and expensed labour per month and quarter"</caption>
                <thead><tr>
                    <th scope="col">"Month"</th><th scope="col" class="num">"People cost"</th><th scope="col" class="num">"Capitalized"</th>
                    <th scope="col" class="num">"Expensed"</th><th scope="col">"State"</th>
                </tr></thead>
                <tbody>
                    {months.into_iter().map(|m| view! {
                        <tr class=m.closed.then_some("closed")>
                            <th scope="row">{m.label}</th>
                            <TotalsCells t=m.totals />
                            <td data-label="State">{m.state}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tbody class="subtotals">
                    {quarters.into_iter().map(|q| view! { <tr><th scope="row">{q.label.clone()}</th><TotalsCells t=q /><td></td></tr> }).collect_view()}
                </tbody>
                <tfoot><tr><th scope="row">{total.label.clone()}</th><TotalsCells t=total /><td></td></tr></tfoot>
            </table>
        </div>
    }
}

#[component]
fn CloseForm(closable: Vec<(i64, String)>) -> impl IntoView {
    let posted = Posted::to(Action::CloseCapitalization.endpoint());
    let error = posted.error();
    if closable.is_empty() {
        return Either::Left(view! { <FormError error /><p class="meta">"No month of this year is over and still open."</p> });
    }
    let last = closable.last().map(|(c, _)| Month::from_code(*c).iso()).unwrap_or_default();
    let options: Vec<(String, String)> = closable.into_iter().map(|(c, label)| (Month::from_code(c).iso(), label)).collect();
    Either::Right(view! {
        <form method="post" action=Action::CloseCapitalization.endpoint() novalidate class="close-form">
            <h3>"Close months"</h3>
            <p class="hint">"Closing freezes a month’s figures, and every open month before it: later changes to teams, time or initiatives no longer move them, and their time cannot be edited."</p>
            <FormError error />
            <div class="form-grid">
                <SelectField label="Close through" name="through" options=options selected=posted.value("through", last) error />
            </div>
            <div class="form-actions"><button type="submit" class="button primary">"Close and freeze"</button></div>
        </form>
    })
}

#[component]
fn InitiativeTable(rows: Vec<CapInitiative>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"Nothing capitalized this year: no team spent time on an initiative in its development stage."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="stack cap-initiatives">
                <thead><tr>
                    <th scope="col">"Initiative"</th>
                    {(1..=4).map(|q| view! { <th scope="col" class="num">{format!("Q{q}")}</th> }).collect_view()}
                    <th scope="col" class="num">"Year"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row"><a href=crate::access::Page::Initiative.href(&[&r.id])>{r.title}</a><span class="meta">{r.stage}</span></th>
                            {r.quarters.into_iter().enumerate().map(|(i, v)| view! { <td class="num" data-label=format!("Q{}", i + 1)>{v}</td> }).collect_view()}
                            <td class="num" data-label="Year"><strong>{r.total}</strong></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn LineTable(lines: Vec<CapLineView>) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p class="empty">"No lines."</p> }.into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Every line of the report">
            <table class="stack cap-lines">
                <thead><tr>
                    <th scope="col">"Month"</th><th scope="col">"Initiative"</th><th scope="col">"Team"</th><th scope="col" class="num">"Team cost"</th>
                    <th scope="col" class="num">"Effort"</th><th scope="col" class="num">"Days in stage"</th><th scope="col" class="num">"Capitalized"</th>
                </tr></thead>
                <tbody>
                    {lines.into_iter().map(|l| view! {
                        <tr class=l.closed.then_some("closed")>
                            <th scope="row">{l.month}</th>
                            <td data-label="Initiative">{l.initiative}</td>
                            <td data-label="Team">{l.team}</td>
                            <td class="num" data-label="Team cost">{l.loaded_cost}</td>
                            <td class="num" data-label="Effort">{l.pct}</td>
                            <td class="num" data-label="Days in stage">{l.days}</td>
                            <td class="num" data-label="Capitalized">{l.capitalized}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

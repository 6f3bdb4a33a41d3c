//! The SLA report: each system's uptime for a month or quarter against its SLO, the error
//! budget used and the incidents, with a CSV download of the same figures.

use crate::access::{Page, Route};
use crate::platform::query::with_query;
use super::InfraTabs;
use crate::infra::api::load_sla_report;
use crate::infra::view::SlaReport;
use crate::platform::query::query;
use crate::ui::{FilterSelect, LoadError};
use leptos::prelude::*;
use crate::ui::Title;

#[component]
pub fn SlaPage() -> impl IntoView {
    let period = query("period");
    let data = Resource::new(move || period.get(), load_sla_report);
    view! {
        <Title text="SLA report" />
        <Transition fallback=|| view! { <h1>"SLA report"</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(r) => view! { <Report r /> }.into_any(),
                    Err(e) => view! { <h1>"SLA report"</h1><LoadError error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Report(r: SlaReport) -> impl IntoView {
    let met = r.rows.iter().filter(|x| x.meets_slo == Some(true)).count();
    let judged = r.rows.iter().filter(|x| x.meets_slo.is_some()).count();
    view! {
        <div class="page-head">
            <div>
                <h1>{format!("SLA report: {}", r.label)}</h1>
                <p class="meta">{format!("{met} of {judged} systems with data met their SLO")}</p>
            </div>
            <div class="page-actions"><a class="button secondary" href=with_query(Route::SlaExport.path(), &[("period", &r.period)]) download="">"Download CSV"</a></div>
        </div>
        <InfraTabs />
        <form method="GET" action="" class="filters" aria-label="Report period">
            <FilterSelect label="Period" id="sla-period" name="period" options=r.periods.clone() selected=r.period.clone() />
            <button type="submit" class="button secondary">"Show"</button>
        </form>
        {if r.rows.is_empty() {
            view! { <p class="empty">"No systems in the inventory yet."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap card">
                    <table class="stack sla">
                        <caption class="visually-hidden">{format!("Uptime against SLO per system, {}", r.label)}</caption>
                        <thead><tr>
                            <th scope="col">"System"</th><th scope="col" class="num">"SLO"</th><th scope="col" class="num">"Uptime"</th><th scope="col">"Result"</th>
                            <th scope="col" class="num">"Downtime"</th><th scope="col" class="num">"Allowed"</th><th scope="col" class="num">"Error budget used"</th>
                            <th scope="col" class="num">"Maintenance"</th><th scope="col" class="num">"Incidents"</th><th scope="col" class="num">"MTTR"</th>
                        </tr></thead>
                        <tbody>
                            {r.rows.iter().map(|x| view! {
                                <tr>
                                    <th scope="row"><a href=Page::InfraSystem.href(&[&x.system_id])>{x.system.clone()}</a><span class="muted">{format!(" · tier {}", x.tier)}</span></th>
                                    <td class="num" data-label="SLO">{x.slo.clone()}</td>
                                    <td class="num" data-label="Uptime">{x.uptime.clone()}</td>
                                    <td data-label="Result">{match x.meets_slo {
                                        Some(true) => view! { <span class="status sys-operational"><span class="status-dot" aria-hidden="true"></span>"Met"</span> }.into_any(),
                                        Some(false) => view! { <span class="status sys-down"><span class="status-dot" aria-hidden="true"></span>"Missed"</span> }.into_any(),
                                        None => view! { <span class="muted">"No data"</span> }.into_any(),
                                    }}</td>
                                    <td class="num" data-label="Downtime">{x.downtime.clone()}</td>
                                    <td class="num" data-label="Allowed">{x.allowed.clone()}</td>
                                    <td class="num" data-label="Error budget used">{x.budget_used.clone()}</td>
                                    <td class="num" data-label="Maintenance">{x.maintenance.clone()}</td>
                                    <td class="num" data-label="Incidents">{x.incidents}</td>
                                    <td class="num" data-label="MTTR">{x.mttr.clone()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

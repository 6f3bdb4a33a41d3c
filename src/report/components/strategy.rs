//! A report's strategy and investment section: the objectives the CTO marked for investors
//! with their KPIs and their initiatives' health, the investment mix against its targets when
//! marked, and the costs per unit marked. Nothing of it shows when nothing is marked.

use crate::kpi::components::StatusBadge;
use crate::strategy::components::{HealthBadge, MixBadge};
use crate::strategy::view::{DigestMix, DigestObjective, StrategyDigest, UnitBrief};
use leptos::prelude::*;

#[component]
pub fn StrategySection(digest: StrategyDigest, period: String) -> impl IntoView {
    let d = digest;
    (!d.objectives.is_empty() || d.mix.is_some() || !d.unit_costs.is_empty()).then(|| {
        view! {
            <section class="report-section" aria-labelledby="rs-objectives">
                <h2 id="rs-objectives">"Objectives and investment"</h2>
                {d.objectives.into_iter().map(|o| view! { <Objective o /> }).collect_view()}
                {d.mix.map(|m| view! { <Mix m /> })}
                {(!d.unit_costs.is_empty()).then(|| view! { <UnitCosts costs=d.unit_costs period /> })}
            </section>
        }
    })
}

#[component]
fn Objective(o: DigestObjective) -> impl IntoView {
    view! {
        <div class="report-objective">
            <h3>{o.title.clone()}</h3>
            <p class="meta">{o.period}</p>
            {(!o.kpis.is_empty()).then(|| view! {
                <div class="table-wrap">
                    <table class="report-table">
                        <caption class="visually-hidden">{format!("How {} is measured", o.title)}</caption>
                        <thead><tr>
                            <th scope="col">"Measured by"</th><th scope="col" class="num">"At the start"</th><th scope="col" class="num">"Now"</th>
                            <th scope="col" class="num">"Target"</th><th scope="col" class="num">"Progress"</th>
                        </tr></thead>
                        <tbody>
                            {o.kpis.into_iter().map(|k| view! {
                                <tr>
                                    <th scope="row">{k.name}</th>
                                    <td class="num">{k.baseline.unwrap_or_else(|| "—".into())}</td>
                                    <td class="num">{k.current.unwrap_or_else(|| "—".into())}</td>
                                    <td class="num">{k.target}</td>
                                    <td class="num">{k.progress.map_or_else(|| "—".to_string(), |p| format!("{p} %"))}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            {if o.initiatives.is_empty() {
                view! { <p class="empty">"No initiatives serve it yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="report-initiatives" aria-label=format!("Initiatives serving {}", o.title)>
                        {o.initiatives.into_iter().map(|i| view! {
                            <li><HealthBadge health=i.health status=i.status />" "<strong>{i.title}</strong>{(!i.why.is_empty()).then(|| format!(" · {}", i.why))}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </div>
    }
}

#[component]
fn Mix(m: DigestMix) -> impl IntoView {
    view! {
        <h3>{format!("Investment mix, {}", m.label)}</h3>
        <div class="table-wrap">
            <table class="report-table">
                <caption class="visually-hidden">{format!("Technology spending by investment category, {}: {} in all", m.label, m.total)}</caption>
                <thead><tr>
                    <th scope="col">"Category"</th><th scope="col" class="num">"Spent"</th><th scope="col" class="num">"Share"</th>
                    <th scope="col">"Target"</th><th scope="col">"Result"</th>
                </tr></thead>
                <tbody>
                    {m.rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.name}</th>
                            <td class="num">{r.actual}</td>
                            <td class="num">{r.share}</td>
                            <td>{if r.target.is_empty() { "—".to_string() } else { r.target }}</td>
                            <td><MixBadge status=r.status /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn UnitCosts(costs: Vec<UnitBrief>, period: String) -> impl IntoView {
    view! {
        <h3>"Cost per unit"</h3>
        <div class="table-wrap">
            <table class="report-table">
                <caption class="visually-hidden">{format!("Technology cost per unit, last value in {period}")}</caption>
                <thead><tr><th scope="col">"Cost per unit"</th><th scope="col" class="num">"Value"</th><th scope="col" class="num">"Target"</th><th scope="col">"Status"</th></tr></thead>
                <tbody>
                    {costs.into_iter().map(|u| view! {
                        <tr>
                            <th scope="row">{u.name}</th>
                            <td class="num">{u.value.unwrap_or_else(|| "—".into())}</td>
                            <td class="num">{u.target.unwrap_or_else(|| "—".into())}</td>
                            <td><StatusBadge rag=u.rag short=u.short /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

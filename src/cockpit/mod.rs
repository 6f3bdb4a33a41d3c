//! The Overview as a cockpit: the one-glance answer to "what needs me today?". Open alerts
//! first, then each area in a few figures, each a link to where it comes from, then every KPI
//! card. It reads through each area's own server functions, so a department head's cockpit is
//! their department's, by the same rules as the areas' pages.

mod panels;
mod strategy_panel;

use crate::auth::use_user;
use crate::kpi::api::{kpi_overview, parse_window};
use crate::kpi::components::{KpiCardView, StatusSummary, WindowPicker};
use crate::kpi::model::Category;
use crate::platform::query::query;
use crate::ui::{LoadError, Title};
use leptos::prelude::*;
use panels::{AlertsPanel, BudgetPanel, InfraPanel, KpiPanel, ReportsPanel};
use strategy_panel::StrategyPanel;

#[component]
pub fn OverviewPage() -> impl IntoView {
    let user = use_user();
    let is_cto = user.as_ref().is_some_and(|u| u.role == crate::access::Role::Cto);
    let scope = match user.and_then(|u| u.department_name) {
        Some(d) if !is_cto => format!("What needs you today in {d}, and how its figures stand."),
        _ => "What needs you today, and how each area stands.".to_string(),
    };
    let window_param = query("window");
    let window = Memo::new(move |_| parse_window(&window_param.get()));
    let cards = Resource::new(move || window.get(), |w| kpi_overview(w.as_str().to_string()));
    view! {
        <Title text="Overview" />
        <div class="page-head">
            <div>
                <h1>"Overview"</h1>
                <p class="meta">{scope}</p>
            </div>
        </div>
        <div class="cockpit">
            <AlertsPanel />
            <KpiPanel cards />
            <BudgetPanel />
            <InfraPanel />
            <StrategyPanel />
            {is_cto.then(|| view! { <ReportsPanel /> })}
        </div>
        <div class="page-head kpi-cards-head">
            <h2>"Every KPI"</h2>
            {move || view! { <WindowPicker current=window.get() base="/" /> }}
        </div>
        <Transition fallback=|| view! { <p class="loading">"Loading KPIs…"</p> }>
            {move || Suspend::new(async move {
                let w = window.get_untracked();
                match cards.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <section class="empty-state">
                            <h2>"No KPIs yet"</h2>
                            <p>"Once KPIs are defined, their status shows here, grouped by category with the red ones first."</p>
                            <p><a href="/kpis">"Go to the KPI list"</a></p>
                        </section>
                    }.into_any(),
                    Ok(list) => {
                        let groups: Vec<(Category, Vec<_>)> = Category::ALL
                            .iter()
                            .map(|c| (*c, list.iter().filter(|k| k.category == *c).cloned().collect::<Vec<_>>()))
                            .filter(|(_, v)| !v.is_empty())
                            .collect();
                        view! {
                            <p class="lead">{format!("Status of {} KPIs over the last {}, compared with the {} before.", list.len(), w.label(), w.label())}</p>
                            <StatusSummary cards=list.clone() />
                            {groups.into_iter().map(|(cat, cards)| view! {
                                <section class="kpi-group" aria-labelledby=format!("group-{}", cat.as_str())>
                                    <h2 id=format!("group-{}", cat.as_str())>{cat.label()}</h2>
                                    <div class="kpi-grid">
                                        {cards.into_iter().map(|c| view! { <KpiCardView card=c window=w /> }).collect_view()}
                                    </div>
                                </section>
                            }).collect_view()}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

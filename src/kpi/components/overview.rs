//! The Overview: every KPI the reader may see, grouped by category, red first.

use crate::platform::query::query;
use super::{KpiCardView, StatusSummary, WindowPicker};
use crate::kpi::api::{kpi_overview, parse_window};
use crate::kpi::model::Category;
use crate::ui::LoadError;
use leptos::prelude::*;
use crate::ui::Title;

#[component]
pub fn OverviewPage() -> impl IntoView {
    let window_param = query("window");
    let window = Memo::new(move |_| parse_window(&window_param.get()));
    let cards = Resource::new(move || window.get(), |w| kpi_overview(w.as_str().to_string()));
    view! {
        <Title text="Overview" />
        <div class="page-head">
            <h1>"Overview"</h1>
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

//! The cockpit's strategy panel: initiatives off track and at risk with why, the investment
//! mix against its targets this fiscal year, and the costs per unit.

use super::panels::{failed, Panel, ROWS};
use crate::access::Page;
use crate::kpi::components::StatusBadge;
use crate::strategy::api::load_strategy_digest;
use crate::strategy::components::{HealthBadge, MixBadge};
use crate::strategy::view::StrategyDigest;
use leptos::prelude::*;

#[component]
pub fn StrategyPanel() -> impl IntoView {
    let digest = Resource::new(|| (), |_| load_strategy_digest());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let body = match digest.await {
                    Err(e) => failed(e),
                    Ok(d) => view! { <Digest d /> }.into_any(),
                };
                view! { <Panel id="panel-strategy" title="Strategy" href=Page::Strategy.path()>{body}</Panel> }
            })}
        </Suspense>
    }
}

#[component]
fn Digest(d: StrategyDigest) -> impl IntoView {
    let (on, risk, off) = d.counts;
    let targets: Vec<_> = d.mix.as_ref().map(|m| m.rows.iter().filter(|r| r.status.is_some()).cloned().collect()).unwrap_or_default();
    let mix_label = d.mix.as_ref().map(|m| m.label.clone()).unwrap_or_default();
    view! {
        <p class="panel-figure">
            <a href=Page::Strategy.path()>{format!("{off} off track, {risk} at risk")}</a>
            <span class="meta">{format!(" of {} initiatives under way", on + risk + off)}</span>
        </p>
        {if d.attention.is_empty() {
            view! { <p class="all-clear">"Every initiative under way is on track."</p> }.into_any()
        } else {
            view! {
                <ul class="panel-list" aria-label="Initiatives needing attention">
                    {d.attention.into_iter().take(ROWS).map(|i| view! {
                        <li>
                            <HealthBadge health=i.health status=i.status />" "
                            <a href=Page::Initiative.href(&[&i.id])>{i.title}</a>
                            <span class="meta">{format!(" · {}", i.why)}</span>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {(!targets.is_empty()).then(|| view! {
            <h3><a href=Page::Allocation.path()>{format!("Investment mix, {mix_label}")}</a></h3>
            <ul class="panel-list">
                {targets.into_iter().map(|r| view! {
                    <li>
                        <MixBadge status=r.status />" "
                        {r.name}
                        <span class="meta">{format!(" · {} ({})", r.share, r.target)}</span>
                    </li>
                }).collect_view()}
            </ul>
        })}
        {(!d.unit_costs.is_empty()).then(|| view! {
            <h3>"Cost per unit"</h3>
            <ul class="panel-list">
                {d.unit_costs.into_iter().map(|u| view! {
                    <li>
                        <StatusBadge rag=u.rag short=u.short />" "
                        <a href=Page::KpiDetail.href(&[&u.key])>{u.name}</a>
                        <span class="meta">{format!(" · {}{}", u.value.unwrap_or_else(|| "no value yet".into()), u.target.map(|t| format!(", target {t}")).unwrap_or_default())}</span>
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
}

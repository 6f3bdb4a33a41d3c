//! The status board: every system at a glance with its 90-day bar, open incidents and
//! maintenance coming up. It refreshes itself every 30 seconds.

use super::{ticker, InfraTabs, SystemStatus};
use crate::infra::api::load_status_board;
use crate::infra::view::{IncidentRow, MaintenanceRow, StatusBoard};
use crate::ui::LoadError;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn InfrastructurePage() -> impl IntoView {
    let tick = ticker(30, Signal::derive(|| true));
    let data = Resource::new(move || tick.get(), |_| load_status_board());
    view! {
        <Title text="Infrastructure" />
        <Transition fallback=|| view! { <h1>"Infrastructure"</h1><p class="loading">"Loading the status board…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(b) => view! { <Board b /> }.into_any(),
                    Err(e) => view! { <h1>"Infrastructure"</h1><LoadError error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Board(b: StatusBoard) -> impl IntoView {
    let empty = b.systems.is_empty();
    view! {
        <div class="page-head">
            <div>
                <h1>"Infrastructure"</h1>
                <p class="meta">{format!("{} systems · as of {} · checks run from this server's network", b.systems.len(), b.as_of)}</p>
            </div>
            {b.can_edit.then(|| view! { <div class="page-actions"><a class="button primary" href="/infrastructure/systems/new">"Add a system"</a></div> })}
        </div>
        <InfraTabs />
        <ul class="status-summary" aria-label="Systems by status">
            {b.counts.iter().filter(|(_, n)| *n > 0).map(|(s, n)| view! { <li><SystemStatus status=*s /><span>{format!(" {n}")}</span></li> }).collect_view()}
        </ul>
        {(!b.open_incidents.is_empty()).then(|| view! { <OpenIncidents rows=b.open_incidents.clone() /> })}
        {if empty {
            view! {
                <p class="empty">
                    "No systems yet. "
                    {b.can_edit.then(|| view! { <a href="/infrastructure/systems/new">"Add the first system"</a>" and give it an HTTP or TCP check." })}
                </p>
            }.into_any()
        } else {
            view! {
                <section class="card" aria-labelledby="systems-title">
                    <h2 id="systems-title">"Systems"</h2>
                    <p class="hint">"Each bar shows the last 90 days, one cell per day, oldest on the left: green without downtime, amber with some, red below the SLO, blue for maintenance, grey without data. Hover a cell for its figures."</p>
                    <ul class="system-list">
                        {b.systems.into_iter().map(|s| view! {
                            <li class=format!("system-row sys-row-{}", s.status.as_str())>
                                <div class="system-name">
                                    <a href=format!("/infrastructure/systems/{}", s.id)>{s.name.clone()}</a>
                                    <span class="muted">{format!("{} · tier {} · {}", s.kind, s.tier, s.department)}</span>
                                </div>
                                <div class="system-state">
                                    <SystemStatus status=s.status />
                                    <span class="muted">{s.latency_ms.map(|l| format!("{l} ms")).unwrap_or_default()}</span>
                                </div>
                                <div class="system-bar" inner_html=s.bar.clone()></div>
                                <div class="system-uptime">
                                    <span class=match s.meets_slo { Some(true) => "uptime ok", Some(false) => "uptime missed", None => "uptime" }>{s.uptime.clone()}</span>
                                    <span class="muted">{format!("SLO {}", s.slo)}</span>
                                </div>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            }.into_any()
        }}
        {(!b.maintenance.is_empty()).then(|| view! { <Upcoming rows=b.maintenance.clone() /> })}
    }
}

#[component]
fn OpenIncidents(rows: Vec<IncidentRow>) -> impl IntoView {
    view! {
        <section class="card incident-alert" aria-labelledby="open-title">
            <h2 id="open-title">{format!("Open incidents ({})", rows.len())}</h2>
            <ul class="plain-list">
                {rows.into_iter().map(|i| view! {
                    <li>
                        <a href=format!("/infrastructure/incidents/{}", i.id)>{i.title.clone()}</a>
                        <span class="muted">{format!(" · {} · {} · since {} ({}){}", i.system, super::severity_label(&i.severity), i.started, i.duration, if i.acknowledged.is_some() { ", acknowledged" } else { ", not acknowledged" })}</span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Upcoming(rows: Vec<MaintenanceRow>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="maint-title">
            <h2 id="maint-title">"Maintenance in progress and planned"</h2>
            <ul class="plain-list">
                {rows.into_iter().map(|m| view! {
                    <li>
                        <a href=format!("/infrastructure/systems/{}", m.system_id)>{m.system.clone()}</a>
                        <span class="muted">{format!(" · {}: {} to {}{}", m.state, m.starts, m.ends, if m.note.is_empty() { String::new() } else { format!(" · {}", m.note) })}</span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

//! The strategy map: objectives with the KPIs that measure them and the initiatives that serve
//! them, each with its health and why, and a timeline of the open work.

use super::{InitiativeTable, ObjectiveKpis, StrategyTabs};
use crate::access::{Action, Page};
use crate::strategy::api::load_strategy_map;
use crate::strategy::view::{ObjectiveCard, StrategyMap};
use crate::ui::chart::ChartBlock;
use crate::ui::{posted_error, AskFirst, FormError, LoadError, Title};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn StrategyPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_strategy_map());
    view! {
        <Title text="Strategy" />
        <Suspense fallback=|| view! { <h1>"Strategy"</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(m) => Either::Left(view! { <Map m /> }),
                    Err(e) => Either::Right(view! { <h1>"Strategy"</h1><LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Map(m: StrategyMap) -> impl IntoView {
    let refused = Signal::stored(posted_error(Action::DeleteObjective.endpoint()));
    let (on, risk, off) = m.counts;
    let nothing = m.objectives.is_empty() && m.unaligned.is_empty();
    view! {
        <div class="page-head">
            <div>
                <h1>"Strategy"</h1>
                <p class="meta">"The business's objectives, the KPIs that measure them and the technology work that serves them. Health is judged from milestones, spend and the KPIs, never typed in."</p>
            </div>
            <div class="page-actions">
                {m.can_edit_objectives.then(|| view! { <a class="button secondary" href=Page::ObjectiveNew.path()>"New objective"</a> })}
                {m.can_add_initiative.then(|| view! { <a class="button primary" href=Page::InitiativeNew.path()>"New initiative"</a> })}
            </div>
        </div>
        <StrategyTabs />
        <FormError error=refused />
        {(!nothing).then(|| view! {
            <ul class="status-summary" aria-label="Initiatives by health">
                <li><span class="status status-green"><span class="status-dot" aria-hidden="true"></span>{format!("{on} on track")}</span></li>
                <li><span class="status status-amber"><span class="status-dot" aria-hidden="true"></span>{format!("{risk} at risk")}</span></li>
                <li><span class="status status-red"><span class="status-dot" aria-hidden="true"></span>{format!("{off} off track")}</span></li>
            </ul>
        })}
        {nothing.then(|| view! {
            <div class="empty-state">
                <p>"No objectives or initiatives yet."</p>
                <p class="hint">{if m.can_edit_objectives { "Start with an objective for the period (such as “Enter the German market”) and the KPIs that measure it, then add the initiatives that serve it." } else { "Your department's initiatives show here once they are added." }}</p>
            </div>
        })}
        {m.timeline.map(|chart| view! {
            <section class="card" aria-labelledby="timeline-title">
                <h2 id="timeline-title" class="visually-hidden">"Timeline"</h2>
                <ChartBlock chart heading="Open initiatives over time, coloured by health; dots are milestones (filled once reached), the dashed line is today"
                    legend=vec![("fill health-green", "On track".to_string()), ("fill health-amber", "At risk".to_string()), ("fill health-red", "Off track".to_string()), ("fill health-none", "Proposed".to_string())] />
            </section>
        })}
        {m.objectives.into_iter().map(|o| view! { <Objective o can_edit=m.can_edit_objectives /> }).collect_view()}
        {(!m.unaligned.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="unaligned-title">
                <h2 id="unaligned-title">"Serving no objective"</h2>
                <p class="hint">"Work that no stated objective asks for: keeping the lights on, debt, or an objective still to write down."</p>
                <InitiativeTable rows=m.unaligned />
            </section>
        })}
    }
}

#[component]
fn Objective(o: ObjectiveCard, can_edit: bool) -> impl IntoView {
    let anchor = format!("objective-{}", o.id);
    let heading = format!("{anchor}-title");
    let meta = match &o.owner {
        Some(owner) => format!("{} · owner {owner}", o.period),
        None => o.period.clone(),
    };
    let (id, labelled) = (anchor.clone(), heading.clone());
    view! {
        <section class="card objective" id=id aria-labelledby=labelled>
            <div class="section-head">
                <div>
                    <h2 id=heading>{o.title.clone()}</h2>
                    <p class="meta">{meta}</p>
                </div>
                {can_edit.then(|| view! {
                    <div class="page-actions">
                        <a class="button small secondary" href=Page::ObjectiveEdit.href(&[&o.id])>"Edit"<span class="visually-hidden">{format!(" {}", o.title)}</span></a>
                        <AskFirst label="Delete" what=format!("the objective {}", o.title) key=anchor
                            question=format!("Delete the objective {}? Its initiatives stay, serving no objective.", o.title)
                            confirm="Delete" action=Action::DeleteObjective.endpoint() fields=vec![("id", o.id.to_string())] />
                    </div>
                })}
            </div>
            {(!o.description.is_empty()).then(|| view! { <p>{o.description.clone()}</p> })}
            <h3>"Measured by"</h3>
            <ObjectiveKpis kpis=o.kpis />
            <h3>"Initiatives"</h3>
            <InitiativeTable rows=o.initiatives empty=if can_edit { "No initiatives serve this objective yet." } else { "None of your department's initiatives serves this objective." } />
        </section>
    }
}

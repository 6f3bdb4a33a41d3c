//! One incident: its times, its timeline, and what each role may do with it.

use crate::access::{Action, Page};
use super::InfraTabs;
use crate::infra::api::load_incident;
use crate::infra::view::IncidentDetail;
use crate::ui::{posted_error, FormError, LoadError, Posted, TextArea, Title};
use leptos::either::Either;
use leptos::prelude::*;

/// The server's page: each step (acknowledge, take over, resolve, reopen, a note) is a plain
/// form that loads it again with the timeline grown.
#[component]
pub fn IncidentPage() -> impl IntoView {
    let id = crate::platform::query::param_id("id");
    let data = Resource::new(move || id, load_incident);
    view! {
        <Title text="Incident" />
        <Suspense fallback=|| view! { <h1>"Incident"</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => Either::Left(view! { <Detail d /> }),
                    Err(e) => Either::Right(view! { <h1>"Incident"</h1><LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

/// One of the incident's steps, as a button posting it.
#[component]
fn Step(id: i64, action: &'static str, label: &'static str, #[prop(default = "button secondary")] class: &'static str) -> impl IntoView {
    view! {
        <form method="post" action=Action::UpdateIncident.endpoint() class="inline-form">
            <input type="hidden" name="id" value=id.to_string() />
            <input type="hidden" name="action" value=action />
            <button type="submit" class=class>{label}</button>
        </form>
    }
}

#[component]
fn Detail(d: IncidentDetail) -> impl IntoView {
    let r = d.row.clone();
    let id = r.id;
    let update_error = Signal::stored(posted_error(Action::UpdateIncident.endpoint()));
    let note = Posted::to(Action::AddIncidentNote.endpoint());
    let note_error = note.error();
    let state = if r.resolved.is_some() { "Resolved" } else if r.acknowledged.is_some() { "Acknowledged" } else { "Open, not acknowledged" };
    view! {
        <Title text=r.title.clone() />
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href="/infrastructure/incidents">"Incidents"</a>" / "<span aria-current="page">{format!("#{id}")}</span>
        </nav>
        <div class="page-head">
            <div>
                <h1>{r.title.clone()}</h1>
                <p class="meta">{format!("{} · {} · {}", r.severity.label(), state, r.opened_by)}</p>
            </div>
            {d.can_manage.then(|| view! {
                <div class="page-actions">
                    <crate::admin::components::HistoryLink object=format!("incident:{}", r.id) />
                    {(r.open && r.acknowledged.is_none()).then(|| view! { <Step id action="acknowledge" label="Acknowledge" /> })}
                    {(r.open && d.taken_over_by.is_none()).then(|| view! { <Step id action="take_over" label="Take over" /> })}
                    {r.open.then(|| view! { <Step id action="resolve" label="Resolve" class="button primary" /> })}
                    {(!r.open).then(|| view! { <Step id action="reopen" label="Reopen" /> })}
                </div>
            })}
        </div>
        <InfraTabs />
        <FormError error=update_error />
        <section class="card" aria-labelledby="facts-title">
            <h2 id="facts-title" class="visually-hidden">"Facts"</h2>
            <dl class="facts">
                <dt>"System"</dt>
                <dd>{match r.system_id { Some(s) => Either::Left(view! { <a href=Page::InfraSystem.href(&[&s])>{r.system.clone()}</a> }), None => Either::Right(view! { <span>{r.system.clone()}</span> }) }}</dd>
                <dt>"Owning department"</dt><dd>{d.department.clone().unwrap_or_else(|| "Company-wide".into())}</dd>
                <dt>"Started"</dt><dd>{r.started.clone()}</dd>
                <dt>"Acknowledged"</dt><dd>{match (&r.acknowledged, &d.time_to_acknowledge) { (Some(a), Some(t)) => format!("{a} (after {t})"), _ => "Not yet".into() }}</dd>
                <dt>"Resolved"</dt><dd>{match (&r.resolved, &d.time_to_resolve) { (Some(a), Some(t)) => format!("{a} (after {t})"), _ => format!("Not yet ({})", r.duration) }}</dd>
                {d.taken_over_by.clone().map(|p| view! { <dt>"Taken over by"</dt><dd>{p}" (recovery will not close it by itself)"</dd> })}
            </dl>
        </section>
        <section class="card" aria-labelledby="timeline-title">
            <h2 id="timeline-title">"Timeline"</h2>
            <ol class="timeline">
                {d.notes.iter().map(|n| view! {
                    <li>
                        <p class="meta">{format!("{} · {} · {}", n.at, n.kind, n.author)}</p>
                        <p class="note-body">{n.body.clone()}</p>
                    </li>
                }).collect_view()}
            </ol>
            {if d.can_note {
                Either::Left(view! {
                    <form method="post" action=Action::AddIncidentNote.endpoint() novalidate class="stacked-form">
                        <input type="hidden" name="id" value=id.to_string() />
                        <FormError error=note_error />
                        <TextArea label="Add a note" name="body" error=note_error value=note.value("body", "") rows=3 maxlength=4000 />
                        <div class="form-actions"><button type="submit" class="button primary">"Add note"</button></div>
                    </form>
                })
            } else {
                Either::Right(view! { <p class="hint">"Notes on this incident come from the CTO and the head of the department that owns the system."</p> })
            }}
        </section>
    }
}

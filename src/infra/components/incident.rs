//! One incident: its times, its timeline, and what each role may do with it.

use crate::access::Page;
use super::InfraTabs;
use crate::infra::api::{load_incident, AddIncidentNote, UpdateIncident};
use crate::infra::view::IncidentDetail;
use crate::ui::{error_of, successes, FormError, LoadError, TextArea};
use leptos::prelude::*;
use crate::ui::Title;

#[component]
pub fn IncidentPage() -> impl IntoView {
    let id = crate::platform::query::param_id("id");
    super::incident(id)
}

#[component]
pub(super) fn Incident(id: i64) -> impl IntoView {
    crate::ui::NoticeClock::provide();
    let id = Memo::new(move |_| id);
    let update = ServerAction::<UpdateIncident>::new();
    let note = ServerAction::<AddIncidentNote>::new();
    let (updated, noted) = (successes(update), successes(note));
    let data = Resource::new(move || (id.get(), updated.get(), noted.get()), |(id, _, _)| load_incident(id));
    view! {
        <Title text="Incident" />
        <Transition fallback=|| view! { <h1>"Incident"</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Detail d update note /> }.into_any(),
                    Err(e) => view! { <h1>"Incident"</h1><LoadError error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Detail(d: IncidentDetail, update: ServerAction<UpdateIncident>, note: ServerAction<AddIncidentNote>) -> impl IntoView {
    let r = d.row.clone();
    let id = r.id;
    let update_error = error_of(update);
    let note_error = error_of(note);
    let note_form = crate::ui::cleared_after(note);
    let state = if r.resolved.is_some() { "Resolved" } else if r.acknowledged.is_some() { "Acknowledged" } else { "Open, not acknowledged" };
    let act = move |action: &'static str| {
        update.dispatch(UpdateIncident { id, action: action.into(), body: String::new() });
    };
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
                    {(r.open && r.acknowledged.is_none()).then(|| view! { <button type="button" class="button secondary" on:click=move |_| act("acknowledge")>"Acknowledge"</button> })}
                    {(r.open && d.taken_over_by.is_none()).then(|| view! { <button type="button" class="button secondary" on:click=move |_| act("take_over")>"Take over"</button> })}
                    {r.open.then(|| view! { <button type="button" class="button primary" on:click=move |_| act("resolve")>"Resolve"</button> })}
                    {(!r.open).then(|| view! { <button type="button" class="button secondary" on:click=move |_| act("reopen")>"Reopen"</button> })}
                </div>
            })}
        </div>
        <InfraTabs />
        <FormError error=update_error />
        <section class="card" aria-labelledby="facts-title">
            <h2 id="facts-title" class="visually-hidden">"Facts"</h2>
            <dl class="facts">
                <dt>"System"</dt>
                <dd>{match r.system_id { Some(s) => view! { <a href=Page::InfraSystem.href(&[&s])>{r.system.clone()}</a> }.into_any(), None => view! { <span>{r.system.clone()}</span> }.into_any() }}</dd>
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
                view! {
                    <ActionForm action=note node_ref=note_form attr:novalidate=true attr:class="stacked-form">
                        <input type="hidden" name="id" value=id.to_string() />
                        <FormError error=note_error />
                        <TextArea label="Add a note" name="body" error=note_error rows=3 maxlength=4000 />
                        <div class="form-actions"><button type="submit" class="button primary" disabled=move || note.pending().get()>"Add note"</button></div>
                    </ActionForm>
                }.into_any()
            } else {
                view! { <p class="hint">"Notes on this incident come from the CTO and the head of the department that owns the system."</p> }.into_any()
            }}
        </section>
    }
}

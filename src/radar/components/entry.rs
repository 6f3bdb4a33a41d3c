//! One radar entry: what it is and what it concerns, where it stands, every decision about it
//! with the reasoning and evidence, and for the CTO the form that decides the next one.

use super::RingLegend;
use crate::access::{Action, Page};
use crate::platform::query::param_id;
use crate::radar::api::radar_entry;
use crate::radar::model::{EntryState, Ring};
use crate::radar::view::{EntryPage as Data, MoveRow};
use crate::ui::{posted_error, AskFirst, FormError, LoadError, Posted, SelectField, TextArea, TextField, Title};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn RadarEntryPage() -> impl IntoView {
    let id = param_id("id");
    let data = Resource::new(move || id, radar_entry);
    view! {
        <Title text="Radar entry" />
        <Suspense fallback=|| view! { <h1>"Radar entry"</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => Either::Left(view! { <Detail d /> }),
                    Err(e) => Either::Right(view! { <h1>"Radar entry"</h1><LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

fn standing(d: &Data) -> String {
    match (d.state, d.ring, d.proposed_ring) {
        (EntryState::Placed, Some(r), _) => format!("{} · {}", d.quadrant, r.label()),
        (EntryState::Proposed, _, Some(r)) => format!("{} · proposed for {}", d.quadrant, r.label()),
        (state, _, _) => format!("{} · {}", d.quadrant, state.label()),
    }
}

#[component]
fn Detail(d: Data) -> impl IntoView {
    let id = d.id;
    let refused = Signal::stored(posted_error(Action::DeleteRadarEntry.endpoint()));
    let none = || view! { <span class="muted">"None named"</span> };
    view! {
        <Title text=d.name.clone() />
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href=Page::Radar.path()>"Technology radar"</a>" / "<span aria-current="page">{d.name.clone()}</span>
        </nav>
        <div class="page-head">
            <div>
                <h1>{d.name.clone()}</h1>
                <p class="meta">{standing(&d)}</p>
            </div>
            <div class="page-actions">
                {d.decides.then(|| view! { <crate::admin::components::HistoryLink object=format!("radar_entry:{id}") /> })}
                {d.can_edit.then(|| view! { <a class="button secondary" href=Page::RadarEntryEdit.href(&[&id])>"Edit entry"</a> })}
                {d.decides.then(|| view! {
                    <AskFirst label="Delete" what=format!("the entry {}", d.name) class="button danger" key="delete-entry"
                        question=format!("Delete {} with its history? Published editions keep it as it was.", d.name)
                        confirm="Delete for good" action=Action::DeleteRadarEntry.endpoint() fields=vec![("id", id.to_string())] />
                })}
            </div>
        </div>
        <FormError error=refused />
        <section class="card" aria-labelledby="about-title">
            <h2 id="about-title">"About"</h2>
            {(!d.description.is_empty()).then(|| view! { <p>{d.description.clone()}</p> })}
            <dl class="facts">
                {(!d.proposal.is_empty()).then(|| view! {
                    <dt>"Proposed"</dt>
                    <dd>{format!("by {}, for {}: ", d.proposed_by.clone().unwrap_or_else(|| "a former user".into()), d.proposed_ring.map(|r| r.label()).unwrap_or_default())}{d.proposal.clone()}</dd>
                })}
                <dt>"Owner"</dt><dd>{d.owner.clone().unwrap_or_else(|| "Nobody named".into())}</dd>
                <dt>"Adopted by"</dt>
                <dd>{match d.initiative.clone() {
                    Some((iid, title)) => Either::Left(view! { <a href=Page::Initiative.href(&[&iid])>{title}</a> }),
                    None => Either::Right(view! { <span class="muted">"No initiative"</span> }),
                }}</dd>
                <dt>"Systems"</dt>
                <dd>{if d.systems.is_empty() { Either::Left(none()) } else {
                    Either::Right(d.systems.iter().map(|(sid, name)| view! { <a class="dep" href=Page::InfraSystem.href(&[sid])>{name.clone()}</a> }).collect_view())
                }}</dd>
                <dt>"Vendors"</dt>
                <dd>{if d.vendors.is_empty() { Either::Left(none()) } else { Either::Right(view! { <span>{d.vendors.join(", ")}</span> }) }}</dd>
                <dt>"Investor reports"</dt><dd>{if d.investor_visible { "May appear in them" } else { "Kept out of them" }}</dd>
            </dl>
        </section>
        {d.decides.then(|| view! { <Decide d=d.clone() /> })}
        <History rows=d.history.clone() />
    }
}

#[component]
fn History(rows: Vec<MoveRow>) -> impl IntoView {
    let body = if rows.is_empty() {
        Either::Left(view! { <p class="empty">"No decision yet: a proposal waits for the CTO."</p> })
    } else {
        Either::Right(view! {
            <ol class="radar-history">
                {rows.into_iter().map(|m| view! {
                    <li>
                        <p><strong>{m.words.clone()}</strong>" on "<time datetime=m.decided_on.clone()>{m.decided_on.clone()}</time>" by "{m.by.clone()}</p>
                        <p>{m.reason.clone()}</p>
                        {m.cost.clone().map(|c| view! { <p class="meta">"Estimated cost: "{c}</p> })}
                        {(!m.evidence_html.is_empty()).then(|| view! { <div class="commentary" inner_html=m.evidence_html.clone()></div> })}
                    </li>
                }).collect_view()}
            </ol>
        })
    };
    view! {
        <section class="card" id="history" aria-labelledby="history-title">
            <h2 id="history-title">"Decisions"</h2>
            {body}
        </section>
    }
}

#[component]
fn Decide(d: Data) -> impl IntoView {
    let posted = Posted::to(Action::DecideRadarEntry.endpoint());
    let error = posted.error();
    let (heading, none_label) = match d.state {
        EntryState::Proposed => ("Decide the proposal", Some("Decline the proposal")),
        EntryState::Placed => ("Move it", Some("Take it off the radar")),
        EntryState::Declined | EntryState::Retired => ("Place it on the radar", None),
    };
    let mut options: Vec<(String, String)> = Ring::ALL.iter().filter(|r| d.state != EntryState::Placed || Some(**r) != d.ring).map(|r| (r.as_str().to_string(), r.label().to_string())).collect();
    options.extend(none_label.map(|l| (String::new(), l.to_string())));
    let preferred = d.proposed_ring.filter(|_| d.state == EntryState::Proposed).map(|r| r.as_str().to_string()).unwrap_or_else(|| options.first().map(|o| o.0.clone()).unwrap_or_default());
    view! {
        <section class="card no-print" id="decide" aria-labelledby="decide-title">
            <h2 id="decide-title">{heading}</h2>
            <form method="post" action=Action::DecideRadarEntry.endpoint() novalidate aria-labelledby="decide-title">
                <input type="hidden" name="entry" value=d.id.to_string() />
                <FormError error />
                <div class="form-grid">
                    <SelectField label="Ring" name="ring" options selected=posted.value("ring", preferred) error />
                    <TextField label="Decided on" name="decided_on" kind="date" error required=true value=posted.value("decided_on", &d.today) />
                    <TextField label="Estimated cost (optional)" name="cost" error value=posted.value("cost", "") hint="What adopting it would cost, such as 12,000." />
                </div>
                <TextArea label="Reason" name="reason" value=posted.value("reason", "") error rows=3 maxlength=2000 />
                <TextArea label="Evidence (Markdown: links, a trial's results)" name="evidence" value=posted.value("evidence", "") error rows=4 />
                <div class="form-actions"><button type="submit" class="button primary">"Record the decision"</button></div>
            </form>
            <RingLegend />
        </section>
    }
}

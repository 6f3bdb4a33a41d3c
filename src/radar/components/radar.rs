//! The radar page: the picture and its table, the proposals waiting for the CTO, what left the
//! radar, the editions (and, for the CTO, publishing one), and the quadrants' names.

use super::{RadarFigure, RingLegend};
use crate::access::{Action, Page};
use crate::radar::api::load_radar;
use crate::radar::view::{EntryRow, RadarView};
use crate::ui::{FormError, LoadError, Posted, TextField, Title};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn RadarPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_radar());
    view! {
        <Title text="Technology radar" />
        <Suspense fallback=|| view! { <h1>"Technology radar"</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => Either::Left(view! { <Radar v /> }),
                    Err(e) => Either::Right(view! { <h1>"Technology radar"</h1><LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Radar(v: RadarView) -> impl IntoView {
    let add = if v.decides { "Add an entry" } else { "Propose an entry" };
    let quadrants = v.picture.quadrants.clone();
    view! {
        <div class="page-head printed">
            <div>
                <h1>"Technology radar"</h1>
                <p class="meta">"What the company uses, tries, looks at and stops starting with, and why each moved."</p>
            </div>
            <div class="page-actions no-print">
                <button type="button" class="button secondary" data-print="">"Print"</button>
                <a class="button primary" href=Page::RadarEntryNew.path()>{add}</a>
            </div>
        </div>
        <section class="card" aria-labelledby="radar-heading">
            <h2 id="radar-heading" class="visually-hidden">"The radar"</h2>
            <RadarFigure picture=v.picture.clone() links=true />
            <RingLegend />
        </section>
        <section class="card no-print" id="proposals" aria-labelledby="proposals-title">
            <h2 id="proposals-title">"Proposals waiting for a decision"</h2>
            <Entries rows=v.proposals.clone() empty="None waiting." proposals=true />
        </section>
        <Editions v=v.clone() />
        {(!v.off.is_empty()).then(|| view! {
            <section class="card no-print" aria-labelledby="off-title">
                <h2 id="off-title">"Declined and taken off"</h2>
                <Entries rows=v.off.clone() empty="" proposals=false />
            </section>
        })}
        {v.decides.then(|| view! { <Settings names=quadrants investors=v.investors_see_radar /> })}
    }
}

#[component]
fn Entries(rows: Vec<EntryRow>, empty: &'static str, proposals: bool) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    let ring_head = if proposals { "Asks for" } else { "State" };
    view! {
        <div class="table-wrap">
            <table class="stack">
                <thead><tr><th scope="col">"Entry"</th><th scope="col">"Quadrant"</th><th scope="col">{ring_head}</th><th scope="col">"By"</th><th scope="col">"Since"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row"><a href=Page::RadarEntry.href(&[&r.id])>{r.name.clone()}</a></th>
                            <td data-label="Quadrant">{r.quadrant.clone()}</td>
                            <td data-label=ring_head>{if proposals { r.proposed_ring.map(|x| x.label()).unwrap_or_default().to_string() } else { r.state.label().to_string() }}</td>
                            <td data-label="By">{r.proposed_by.clone().unwrap_or_else(|| "—".into())}</td>
                            <td data-label="Since">{r.since.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn Editions(v: RadarView) -> impl IntoView {
    let posted = Posted::to(Action::PublishRadarEdition.endpoint());
    let error = posted.error();
    let list = if v.editions.is_empty() {
        Either::Left(view! { <p class="empty">"No edition published yet."</p> })
    } else {
        Either::Right(view! {
            <ul class="plain-list">
                {v.editions.iter().map(|e| view! {
                    <li><a href=Page::RadarEdition.href(&[&e.id])>{e.title.clone()}</a>" · "{e.published_on.clone()}" · "{crate::ui::plural(e.entries as u64, "entry", "entries")}</li>
                }).collect_view()}
            </ul>
        })
    };
    let form = v.decides.then(|| view! {
        <h3 id="publish-title">"Publish an edition"</h3>
        <p class="hint">"Freezes the radar as it is now. Each edition marks what is new or moved since the one before."</p>
        <form method="post" action=Action::PublishRadarEdition.endpoint() novalidate aria-labelledby="publish-title">
            <FormError error />
            <div class="form-grid">
                <TextField label="Title" name="title" id_prefix="edition-" error maxlength=80 required=true value=posted.value("title", "") hint="Such as “2026 H2”." />
                <TextField label="Dated" name="published_on" kind="date" id_prefix="edition-" error required=true value=posted.value("published_on", &v.today) />
            </div>
            <div class="form-actions"><button type="submit" class="button primary">"Publish edition"</button></div>
        </form>
    });
    view! {
        <section class="card no-print" id="editions" aria-labelledby="editions-title">
            <h2 id="editions-title">"Editions"</h2>
            {list}
            {form}
        </section>
    }
}

/// The quadrants' names and whether investor reports show the radar.
#[component]
fn Settings(names: Vec<String>, investors: bool) -> impl IntoView {
    let posted = Posted::to(Action::SaveRadarSettings.endpoint());
    let error = posted.error();
    const LABELS: [&str; 4] = ["Top left", "Top right", "Bottom left", "Bottom right"];
    let fields = (0..4)
        .map(|i| {
            let name = format!("name[{i}]");
            let id = format!("quadrant-{i}");
            let value = posted.value(&name, names.get(i).cloned().unwrap_or_default());
            let message = posted.message(&name);
            view! {
                <div class="field" class:invalid=move || message.get().is_some()>
                    <label for=id.clone()>{LABELS[i]}</label>
                    <input id=id name=name value=value maxlength="60" />
                    <p class="field-error" role="alert">{move || message.get()}</p>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="card no-print" id="quadrants" aria-labelledby="quadrants-title">
            <h2 id="quadrants-title">"Settings"</h2>
            <form method="post" action=Action::SaveRadarSettings.endpoint() novalidate aria-labelledby="quadrants-title">
                <FormError error />
                <fieldset class="field-group">
                    <legend>"Quadrants"</legend>
                    <div class="form-grid">{fields}</div>
                </fieldset>
                <div class="field checkbox">
                    <input type="checkbox" id="investors_see_radar" name="investors_see_radar" value="on" checked=posted.checked("investors_see_radar", investors) />
                    <label for="investors_see_radar">"Investor reports show the radar, with only the entries marked for them"</label>
                </div>
                <div class="form-actions"><button type="submit" class="button secondary">"Save settings"</button></div>
            </form>
        </section>
    }
}

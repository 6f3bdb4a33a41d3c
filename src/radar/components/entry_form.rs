//! Adding, proposing and editing a radar entry. The CTO's new entry goes straight into its
//! ring, the reason being its first decision; a head's is a proposal asking for a ring. Once an
//! entry is on the radar, its ring changes only by a decision on its page.

use crate::access::{Action, Page};
use crate::radar::api::load_radar_entry_editor;
use crate::radar::model::Ring;
use crate::radar::view::EntryEditor;
use crate::ui::{id_choices, CheckGrid, FormError, LoadError, Posted, SelectField, TextArea, TextField, Title};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn RadarEntryNewPage() -> impl IntoView {
    view! { <Editor id=String::new() title="New radar entry" /> }
}

#[component]
pub fn RadarEntryEditPage() -> impl IntoView {
    view! { <Editor id=crate::platform::query::param("id") title="Edit radar entry" /> }
}

#[component]
fn Editor(id: String, title: &'static str) -> impl IntoView {
    let data = Resource::new(move || id.clone(), load_radar_entry_editor);
    view! {
        <Title text=title />
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(e) => Either::Left(view! { <EditorForm e /> }),
                    Err(e) => Either::Right(view! { <h1>{title}</h1><LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditorForm(e: EntryEditor) -> impl IntoView {
    let posted = Posted::to(Action::SaveRadarEntry.endpoint());
    let error = posted.error();
    let v = |name: &str, value: &str| posted.value(name, value);
    let is_new = e.id.is_none();
    let title = match (is_new, e.proposing) {
        (true, true) => "Propose a radar entry".to_string(),
        (true, false) => "Add a radar entry".to_string(),
        (false, _) => format!("Edit {}", e.name),
    };
    let back = e.id.map(|id| Page::RadarEntry.href(&[&id])).unwrap_or_else(|| Page::Radar.path().to_string());
    // Only a new entry or a proposal says its ring here.
    let ring = (is_new || e.proposing).then(|| {
        let label = if e.proposing { "Ring it should go in" } else { "Ring" };
        let options: Vec<(String, String)> = Ring::choices().collect();
        view! { <SelectField label name="ring" options selected=v("ring", &e.ring) error /> }
    });
    let why = (is_new || e.proposing).then(|| {
        let label = if e.proposing { "Why the company should look at it (links, a trial’s results, what it would cost)" } else { "Why it goes in this ring" };
        view! { <TextArea label name="proposal" value=v("proposal", &e.proposal) error rows=4 maxlength=4000 /> }
    });
    // The server keeps a head's change of this box from counting; the CTO says what investors see.
    let cto = crate::auth::use_user().is_some_and(|u| u.role == crate::access::Role::Cto);
    let investors = cto.then(|| view! {
        <div class="field checkbox">
            <input type="checkbox" id="investor_visible" name="investor_visible" value="on" checked=posted.checked("investor_visible", e.investor_visible) />
            <label for="investor_visible">"May appear in investor reports that include the radar"</label>
        </div>
    });
    let quadrants = id_choices(Some("Choose…"), &e.quadrants);
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href=Page::Radar.path()>"Technology radar"</a>" / "<span aria-current="page">{title.clone()}</span>
        </nav>
        <h1>{title}</h1>
        {e.proposing.then(|| view! { <p class="hint">"A proposal goes to the CTO, who decides where it goes on the radar. You can change it until then."</p> })}
        <form method="post" action=Action::SaveRadarEntry.endpoint() novalidate class="card editor">
            <input type="hidden" name="id" value=e.id.map(|i| i.to_string()).unwrap_or_default() />
            <FormError error />
            <div class="form-grid">
                <TextField label="Name" name="name" value=v("name", &e.name) error required=true maxlength=80 hint="A technology, tool, platform or practice, such as “OpenTelemetry”." />
                <SelectField label="Quadrant" name="quadrant" options=quadrants selected=v("quadrant", &e.quadrant) error />
                {ring}
                <SelectField label="Owner" name="owner" options=id_choices(Some("Nobody named"), &e.owners) selected=v("owner", &e.owner) error />
                <SelectField label="Initiative adopting it" name="initiative" options=id_choices(Some("None"), &e.initiatives) selected=v("initiative", &e.initiative) error />
            </div>
            {why}
            <TextArea label="Description" name="description" value=v("description", &e.description) error rows=3 maxlength=2000 />
            <CheckGrid legend="Systems it concerns" name="systems" choices=e.system_choices.clone() checked=e.systems.clone() posted=posted.clone() error empty="No systems in the inventory yet." />
            <CheckGrid legend="Vendors it concerns" name="vendors" choices=e.vendor_choices.clone() checked=e.vendors.clone() posted=posted.clone() error empty="No vendors yet: they come with contracts under Budgets." />
            {investors}
            <div class="form-actions">
                <button type="submit" class="button primary">{match (is_new, e.proposing) { (true, true) => "Propose", (true, false) => "Add to the radar", _ => "Save entry" }}</button>
                <a class="button secondary" href=back>"Cancel"</a>
            </div>
        </form>
    }
}

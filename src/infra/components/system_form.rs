//! Adding and editing a system: what it is, who owns it, its tier and SLO, links and what it
//! depends on. Its checks are set on its own page.

use crate::access::{Action, Page};
use crate::infra::api::load_system_editor;
use crate::infra::model::SystemKind;
use crate::infra::view::SystemEditor;
use crate::ui::{id_choices, CheckGrid, FormError, LoadError, Posted, SelectField, TextArea, TextField, Title};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn SystemNewPage() -> impl IntoView {
    view! { <Editor id=String::new() title="New system" /> }
}

#[component]
pub fn SystemEditPage() -> impl IntoView {
    view! { <Editor id=crate::platform::query::param("id") title="Edit system" /> }
}

/// The editor of system `id` (empty for a new one), as the server's page with a plain form.
#[component]
fn Editor(id: String, title: &'static str) -> impl IntoView {
    let data = Resource::new(move || id.clone(), load_system_editor);
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
fn EditorForm(e: SystemEditor) -> impl IntoView {
    let posted = Posted::to(Action::SaveSystem.endpoint());
    let error = posted.error();
    let v = |name: &str, value: &str| posted.value(name, value);
    let is_new = e.id.is_none();
    let title = if is_new { "New system".to_string() } else { format!("Edit {}", e.name) };
    let kinds: Vec<(String, String)> = SystemKind::choices().collect();
    let tiers: Vec<(String, String)> = [("1", "Tier 1: the business stops without it"), ("2", "Tier 2: important"), ("3", "Tier 3: can wait")].iter().map(|(v, l)| (v.to_string(), l.to_string())).collect();
    let departments = id_choices(Some("Company-wide"), &e.departments);
    let back = e.id.map(|id| Page::InfraSystem.href(&[&id])).unwrap_or_else(|| Page::Infrastructure.path().into());
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href="/infrastructure">"Infrastructure"</a>" / "<span aria-current="page">{title.clone()}</span>
        </nav>
        <h1>{title}</h1>
        <form method="post" action=Action::SaveSystem.endpoint() novalidate class="card editor">
            <input type="hidden" name="id" value=e.id.map(|i| i.to_string()).unwrap_or_default() />
            <FormError error />
            <div class="form-grid">
                <TextField label="Name" name="name" value=v("name", &e.name) error required=true maxlength=120 />
                {if is_new {
                    Either::Left(view! { <TextField label="Key" name="key" value=v("key", &e.key) error required=true maxlength=64 hint="Lower-case letters, digits and hyphens. Incidents sent to the API with this as their service land on this system. It cannot change later." /> })
                } else {
                    Either::Right(view! { <div class="field"><label for="key">"Key"</label><input id="key" value=e.key.clone() disabled=true /><p class="hint">"Incidents sent to the API with this service name land here."</p></div> })
                }}
                <SelectField label="Kind" name="kind" options=kinds selected=v("kind", &e.kind) error />
                <SelectField label="Tier" name="tier" options=tiers selected=v("tier", &e.tier) error />
                <SelectField label="Owning department" name="department" options=departments selected=v("department", &e.department) error hint="Its head may add notes to this system's incidents" />
                <TextField label="SLO target (%)" name="slo" value=v("slo", &e.slo) error hint="Such as 99.9: the uptime promised per period" />
            </div>
            <TextArea label="Description" name="description" value=v("description", &e.description) error rows=3 maxlength=2000 />
            <TextArea label="Links, one URL per line (runbook, dashboard, vendor status page)" name="links" value=v("links", &e.links) error rows=3 />
            <CheckGrid legend="Depends on" name="depends_on" choices=e.systems.clone() checked=e.depends_on.clone() posted=posted.clone() error empty="No other systems yet." />
            <div class="form-actions">
                <button type="submit" class="button primary">{if is_new { "Add system" } else { "Save system" }}</button>
                <a class="button secondary" href=back>"Cancel"</a>
            </div>
        </form>
    }
}

//! Adding and editing a system: what it is, who owns it, its tier and SLO, links and what it
//! depends on. Its checks are set on its own page.

use crate::access::Page;
use crate::infra::api::{load_system_editor, SaveSystem};
use crate::infra::model::SystemKind;
use crate::infra::view::SystemEditor;
use crate::ui::{error_of, FormError, LoadError, SelectField, TextArea, TextField};
use leptos::prelude::*;
use crate::ui::Title;

#[component]
pub(super) fn SystemNewPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_system_editor(String::new()));
    view! {
        <Title text="New system" />
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(e) => view! { <EditorForm e /> }.into_any(),
                    Err(e) => view! { <h1>"New system"</h1><LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn SystemEditPage() -> impl IntoView {
    let id = crate::platform::query::param("id");
    super::system_editor(id)
}

#[component]
pub(super) fn SystemEditor(id: String) -> impl IntoView {
    let id = Memo::new(move |_| id.clone());
    let data = Resource::new(move || id.get(), load_system_editor);
    view! {
        <Title text="Edit system" />
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(e) => view! { <EditorForm e /> }.into_any(),
                    Err(e) => view! { <h1>"Edit system"</h1><LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditorForm(e: SystemEditor) -> impl IntoView {
    let save = ServerAction::<SaveSystem>::new();
    let error = error_of(save);
    Effect::new(move || {
        if let Some(Ok(id)) = save.value().get() {
            crate::ui::go(&Page::InfraSystem.href(&[&id]));
        }
    });
    let is_new = e.id.is_none();
    let title = if is_new { "New system".to_string() } else { format!("Edit {}", e.name) };
    let kinds: Vec<(String, String)> = SystemKind::choices().collect();
    let tiers: Vec<(String, String)> = [("1", "Tier 1: the business stops without it"), ("2", "Tier 2: important"), ("3", "Tier 3: can wait")].iter().map(|(v, l)| (v.to_string(), l.to_string())).collect();
    let mut departments = vec![(String::new(), "Company-wide".to_string())];
    departments.extend(e.departments.iter().map(|(id, n)| (id.to_string(), n.clone())));
    let back = e.id.map(|id| Page::InfraSystem.href(&[&id])).unwrap_or_else(|| Page::Infrastructure.path().into());
    let deps_error = move || error.get().and_then(|x| x.for_field("depends_on"));
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href="/infrastructure">"Infrastructure"</a>" / "<span aria-current="page">{title.clone()}</span>
        </nav>
        <h1>{title}</h1>
        <ActionForm action=save attr:novalidate=true attr:class="card editor">
            <input type="hidden" name="id" value=e.id.map(|i| i.to_string()).unwrap_or_default() />
            <FormError error />
            <div class="form-grid">
                <TextField label="Name" name="name" value=e.name.clone() error required=true maxlength=120 />
                {if is_new {
                    view! { <TextField label="Key" name="key" value=e.key.clone() error required=true maxlength=64 hint="Lower-case letters, digits and hyphens. Incidents sent to the API with this as their service land on this system. It cannot change later." /> }.into_any()
                } else {
                    view! { <div class="field"><label for="key">"Key"</label><input id="key" value=e.key.clone() disabled=true /><p class="hint">"Incidents sent to the API with this service name land here."</p></div> }.into_any()
                }}
                <SelectField label="Kind" name="kind" options=kinds selected=e.kind.clone() error />
                <SelectField label="Tier" name="tier" options=tiers selected=e.tier.clone() error />
                <SelectField label="Owning department" name="department" options=departments selected=e.department.clone() error hint="Its head may add notes to this system's incidents" />
                <TextField label="SLO target (%)" name="slo" value=e.slo.clone() error hint="Such as 99.9: the uptime promised per period" />
            </div>
            <TextArea label="Description" name="description" value=e.description.clone() error rows=3 maxlength=2000 />
            <TextArea label="Links, one URL per line (runbook, dashboard, vendor status page)" name="links" value=e.links.clone() error rows=3 />
            <fieldset class="field-group" class:invalid=move || deps_error().is_some()>
                <legend>"Depends on"</legend>
                {if e.systems.is_empty() {
                    view! { <p class="hint">"No other systems yet."</p> }.into_any()
                } else {
                    view! {
                        <div class="check-grid">
                            {e.systems.iter().enumerate().map(|(i, (id, name))| {
                                let box_id = format!("dep-{id}");
                                view! {
                                    <div class="field checkbox">
                                        <input type="checkbox" id=box_id.clone() name=format!("depends_on[{i}]") value=id.to_string() checked=e.depends_on.contains(id) />
                                        <label for=box_id>{name.clone()}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </div>
                    }.into_any()
                }}
                <p class="field-error" role="alert">{deps_error}</p>
            </fieldset>
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{if is_new { "Add system" } else { "Save system" }}</button>
                <a class="button secondary" href=back>"Cancel"</a>
            </div>
        </ActionForm>
    }
}

//! Adding and editing an objective: its title, owner and period, and up to five KPIs with the
//! value each must reach by the period's end.

use crate::access::{Action, Page};
use crate::strategy::api::load_objective_editor;
use crate::strategy::view::{ObjectiveEditor, OBJECTIVE_KPI_ROWS};
use crate::ui::{id_choices, FormError, LoadError, Posted, SelectField, TextArea, TextField, Title};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn ObjectiveNewPage() -> impl IntoView {
    view! { <Editor id=String::new() title="New objective" /> }
}

#[component]
pub fn ObjectiveEditPage() -> impl IntoView {
    view! { <Editor id=crate::platform::query::param("id") title="Edit objective" /> }
}

#[component]
fn Editor(id: String, title: &'static str) -> impl IntoView {
    let data = Resource::new(move || id.clone(), load_objective_editor);
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
fn EditorForm(e: ObjectiveEditor) -> impl IntoView {
    let posted = Posted::to(Action::SaveObjective.endpoint());
    let error = posted.error();
    let v = |name: &str, value: &str| posted.value(name, value);
    let title = if e.id.is_none() { "New objective".to_string() } else { format!("Edit {}", e.title) };
    let owners = id_choices(Some("Nobody named"), &e.owners);
    let rows = (0..OBJECTIVE_KPI_ROWS)
        .map(|i| {
            let (kpi_name, target_name) = (format!("kpi[{i}]"), format!("kpi_target[{i}]"));
            let (kpi, target) = e.kpis.get(i).cloned().unwrap_or_default();
            let (kpi, target) = (posted.value(&kpi_name, kpi), posted.value(&target_name, target));
            let (kpi_message, target_message) = (posted.message(&kpi_name), posted.message(&target_name));
            let (kpi_id, target_id) = (format!("kpi-{i}"), format!("kpi-target-{i}"));
            view! {
                <div class="form-grid kpi-row">
                    <div class="field" class:invalid=move || kpi_message.get().is_some()>
                        <label for=kpi_id.clone()>{format!("KPI {}", i + 1)}</label>
                        <select id=kpi_id name=kpi_name>
                            <option value="" selected=kpi.is_empty()>"None"</option>
                            {e.kpi_choices.iter().map(|(key, label)| view! { <option value=key.clone() selected=*key == kpi>{label.clone()}</option> }).collect_view()}
                        </select>
                        <p class="field-error" role="alert">{move || kpi_message.get()}</p>
                    </div>
                    <div class="field" class:invalid=move || target_message.get().is_some()>
                        <label for=target_id.clone()>"Target by the period's end"</label>
                        <input id=target_id name=target_name value=target inputmode="decimal" />
                        <p class="field-error" role="alert">{move || target_message.get()}</p>
                    </div>
                </div>
            }
        })
        .collect_view();
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href=Page::Strategy.path()>"Strategy"</a>" / "<span aria-current="page">{title.clone()}</span>
        </nav>
        <h1>{title}</h1>
        <form method="post" action=Action::SaveObjective.endpoint() novalidate class="card editor">
            <input type="hidden" name="id" value=e.id.map(|i| i.to_string()).unwrap_or_default() />
            <FormError error />
            <div class="form-grid">
                <TextField label="Objective" name="title" value=v("title", &e.title) error required=true maxlength=200 hint="A business goal for the period, such as “Enter the German market”." />
                <SelectField label="Owner" name="owner" options=owners selected=v("owner", &e.owner) error />
                <TextField label="Period starts" name="starts" kind="date" value=v("starts", &e.starts) error required=true />
                <TextField label="Period ends" name="ends" kind="date" value=v("ends", &e.ends) error required=true />
            </div>
            <TextArea label="Description" name="description" value=v("description", &e.description) error rows=3 maxlength=4000 />
            <div class="field checkbox">
                <input type="checkbox" id="investor_visible" name="investor_visible" value="on" checked=posted.checked("investor_visible", e.investor_visible) />
                <label for="investor_visible">"May appear in investor reports, with its initiatives’ health and those of its KPIs that may"</label>
            </div>
            <fieldset class="field-group">
                <legend>"Measured by"</legend>
                <p class="hint">"Targets are in each KPI's unit, for its value over 30 days as its card shows it. Progress runs from the KPI's value when the period began."</p>
                {rows}
            </fieldset>
            <div class="form-actions">
                <button type="submit" class="button primary">{if e.id.is_none() { "Add objective" } else { "Save objective" }}</button>
                <a class="button secondary" href=Page::Strategy.path()>"Cancel"</a>
            </div>
        </form>
    }
}

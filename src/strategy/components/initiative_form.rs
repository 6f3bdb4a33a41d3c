//! Adding and editing an initiative. A department head's form offers only their own
//! department; the server refuses any other.

use crate::access::{Action, Page};
use crate::strategy::api::load_initiative_editor;
use crate::strategy::model::InitiativeStatus;
use crate::strategy::view::InitiativeEditor;
use crate::ui::{id_choices, CheckGrid, FormError, LoadError, Posted, SelectField, TextArea, TextField, Title};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn InitiativeNewPage() -> impl IntoView {
    view! { <Editor id=String::new() title="New initiative" /> }
}

#[component]
pub fn InitiativeEditPage() -> impl IntoView {
    view! { <Editor id=crate::platform::query::param("id") title="Edit initiative" /> }
}

#[component]
fn Editor(id: String, title: &'static str) -> impl IntoView {
    let data = Resource::new(move || id.clone(), load_initiative_editor);
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
fn EditorForm(e: InitiativeEditor) -> impl IntoView {
    let posted = Posted::to(Action::SaveInitiative.endpoint());
    let error = posted.error();
    let v = |name: &str, value: &str| posted.value(name, value);
    let title = if e.id.is_none() { "New initiative".to_string() } else { format!("Edit {}", e.title) };
    let back = e.id.map(|id| Page::Initiative.href(&[&id])).unwrap_or_else(|| Page::Strategy.path().into());
    let statuses: Vec<(String, String)> = InitiativeStatus::choices().collect();
    let departments = id_choices((e.departments.len() > 1).then_some("Choose…"), &e.departments);
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href=Page::Strategy.path()>"Strategy"</a>" / "<span aria-current="page">{title.clone()}</span>
        </nav>
        <h1>{title}</h1>
        <form method="post" action=Action::SaveInitiative.endpoint() novalidate class="card editor">
            <input type="hidden" name="id" value=e.id.map(|i| i.to_string()).unwrap_or_default() />
            <FormError error />
            <div class="form-grid">
                <TextField label="Initiative" name="title" value=v("title", &e.title) error required=true maxlength=200 hint="The work, such as “Migrate payments to the new cluster”." />
                <SelectField label="Serves the objective" name="objective" options=id_choices(Some("None"), &e.objective_choices) selected=v("objective", &e.objective) error />
                <SelectField label="Department" name="department" options=departments selected=v("department", &e.department) error />
                <SelectField label="Owner" name="owner" options=id_choices(Some("Nobody named"), &e.owners) selected=v("owner", &e.owner) error />
                <SelectField label="Status" name="status" options=statuses selected=v("status", &e.status) error hint="Health is judged for approved work and work in progress." />
                <SelectField label="Investment category" name="category" options=id_choices(Some("Choose…"), &e.categories) selected=v("category", &e.category) error />
                <TextField label="Starts" name="starts" kind="date" value=v("starts", &e.starts) error required=true />
                <TextField label="Target date" name="target" kind="date" value=v("target", &e.target) error required=true />
                <TextField label="Budget" name="budget" value=v("budget", &e.budget) error hint="Its approved money; expenses booked to it count against this. Leave empty for none." />
            </div>
            <TextArea label="Description" name="description" value=v("description", &e.description) error rows=3 maxlength=4000 />
            <fieldset class="form-grid thresholds">
                <legend>"Capitalization"</legend>
                <TextField label="Development stage began" name="capitalize_from" kind="date" value=v("capitalize_from", &e.capitalize_from) error
                    hint="The day feasibility was established and building new functionality began. Leave empty when the work is research, maintenance or otherwise expensed." />
                <TextField label="Went into service" name="in_service_on" kind="date" value=v("in_service_on", &e.in_service_on) error
                    hint="From the day after, effort on it is expensed again. Leave empty while it is in development." />
            </fieldset>
            <CheckGrid legend="Systems it touches" name="systems" choices=e.system_choices.clone() checked=e.systems.clone() posted=posted.clone() error empty="No systems in the inventory yet." />
            <div class="form-actions">
                <button type="submit" class="button primary">{if e.id.is_none() { "Add initiative" } else { "Save initiative" }}</button>
                <a class="button secondary" href=back>"Cancel"</a>
            </div>
        </form>
    }
}

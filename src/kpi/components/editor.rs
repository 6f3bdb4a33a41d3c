//! The KPI editor (CTO only): the definition, effective-dated targets, and deletion.

use crate::access::{Action, Page};
use crate::kpi::api::kpi_for_edit;
use crate::kpi::form::KpiForm;
use crate::kpi::model::{Aggregation, Category, Computed, Direction};
use crate::kpi::units::Unit;
use crate::ui::{posted_error, AskFirst, FormError, LoadError, Posted, SelectField, TextArea, TextField, Title};
use leptos::either::Either;
use leptos::prelude::*;

fn pairs<T: Copy>(all: &[T], value: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<(String, String)> {
    all.iter().map(|x| (value(*x).to_string(), label(*x).to_string())).collect()
}

/// The server's page with plain forms: a saved definition leads to the KPI's page, a target
/// loads this page again with the history grown.
#[component]
pub fn KpiNewPage() -> impl IntoView {
    let form = Resource::new(|| (), |_| kpi_for_edit(String::new()));
    view! {
        <Title text="New KPI" />
        <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/kpis">"KPIs"</a>" / "<span aria-current="page">"New KPI"</span></nav>
        <h1>"New KPI"</h1>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(f) => Either::Left(view! { <Definition f /> }),
                    Err(e) => Either::Right(view! { <LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn KpiEditPage() -> impl IntoView {
    let key = crate::platform::query::param("key");
    let form = Resource::new(move || key.clone(), kpi_for_edit);
    view! {
        <Title text="Edit KPI" />
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match form.await {
                    Err(e) => Either::Left(view! { <h1>"Edit KPI"</h1><LoadError error=e /> }),
                    Ok(f) => {
                        let key = f.key.clone();
                        let (crumb, title) = (f.name.clone(), f.name.clone());
                        Either::Right(view! {
                            <nav class="breadcrumbs" aria-label="Breadcrumb">
                                <a href="/kpis">"KPIs"</a>" / "<a href=Page::KpiDetail.href(&[&key])>{crumb}</a>" / "<span aria-current="page">"Edit"</span>
                            </nav>
                            <h1>"Edit " {title}</h1>
                            <Definition f=f.clone() />
                            <Targets f=f.clone() />
                            <DangerZone key />
                        })
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Definition(f: KpiForm) -> impl IntoView {
    let posted = Posted::to(Action::SaveKpi.endpoint());
    let error = posted.error();
    let v = |name: &str, value: &str| posted.value(name, value);
    let departments = crate::ui::id_choices(Some("Company-wide"), &f.departments);
    let mut computed_options = vec![(String::new(), "Measurements (by hand, CSV or API)".to_string())];
    computed_options.extend(Computed::ALL.iter().map(|c| (c.as_str().to_string(), format!("Computed: {}", c.label()))));
    let units = if f.has_data {
        Unit::ALL.iter().filter(|u| u.as_str() == f.unit).map(|u| (u.as_str().to_string(), u.label().to_string())).collect()
    } else {
        Unit::choices().collect()
    };
    view! {
        // Unit, direction and aggregation are for measured KPIs: they hide for a computed one
        // (`.kpi-editor:has(...)` in the style sheet), with no script.
        <form method="post" action=Action::SaveKpi.endpoint() novalidate class="card editor kpi-editor">
            <input type="hidden" name="original_key" value=if f.is_new { String::new() } else { f.key.clone() } />
            <FormError error />
            <div class="form-grid">
                <TextField label="Name" name="name" value=v("name", &f.name) error required=true maxlength=120 />
                {if f.is_new {
                    Either::Left(view! { <TextField label="Key" name="key" value=v("key", &f.key) error required=true maxlength=64 hint="Lower-case letters, digits and hyphens, as in lead-time. Used in URLs and by the API; it cannot change later." /> })
                } else {
                    Either::Right(view! {
                        <div class="field">
                            <label for="key">"Key"</label>
                            <input id="key" name="key" value=f.key.clone() readonly aria-describedby="key-hint" />
                            <p class="hint" id="key-hint">"Fixed: API clients and imports refer to it."</p>
                        </div>
                    })
                }}
                <SelectField label="Category" name="category" options=pairs(Category::ALL, Category::as_str, Category::label) selected=v("category", &f.category) error />
                {if f.kept {
                    Either::Left(view! {
                        <div class="field">
                            <input type="hidden" name="computed" value="" />
                            <p><strong>"Values come from: "</strong>"spending, each month: a cost per unit, defined under "<a href="/strategy/unit-economics">"Strategy → Unit economics"</a>"."</p>
                        </div>
                    })
                } else {
                    Either::Right(view! { <SelectField label="Values come from" name="computed" options=computed_options selected=v("computed", &f.computed) error /> })
                }}
                <div class="field-group measured-only">
                    <SelectField label="Unit" name="unit" options=units selected=v("unit", &f.unit) error
                        hint=if f.has_data { "Fixed once measurements exist." } else { "" } />
                    <SelectField label="Direction" name="direction" options=pairs(Direction::ALL, Direction::as_str, Direction::label) selected=v("direction", &f.direction) error />
                    <SelectField label="A period's value is the" name="aggregation" options=pairs(Aggregation::ALL, Aggregation::as_str, Aggregation::label) selected=v("aggregation", &f.aggregation) error />
                </div>
                <TextField label="Owner" name="owner" value=v("owner", &f.owner) error maxlength=120 />
                <SelectField label="Department" name="department" options=departments selected=v("department", &f.department) error
                    hint="Department heads see company-wide KPIs and their own department's, and record data only for their own." />
            </div>
            <TextArea label="Description" name="description" value=v("description", &f.description) error maxlength=2000 />
            <TextArea label="Formula" name="formula" value=v("formula", &f.formula) error rows=2 maxlength=2000 />
            <div class="field checkbox">
                <input type="checkbox" id="investor_visible" name="investor_visible" value="on" checked=posted.checked("investor_visible", f.investor_visible) />
                <label for="investor_visible">"May appear in investor reports"</label>
            </div>
            {f.is_new.then(|| view! {
                <fieldset class="thresholds">
                    <legend>"Target (optional)"</legend>
                    <p class="hint">"Green while no worse than the amber threshold; red from the red threshold on. For a target that should be met exactly, make amber equal to the target. Leave all three empty to set a target later."</p>
                    <div class="form-grid three">
                        <TextField label="Target" name="target" error value=v("target", "") />
                        <TextField label="Amber threshold" name="amber" error value=v("amber", "") />
                        <TextField label="Red threshold" name="red" error value=v("red", "") />
                    </div>
                </fieldset>
            })}
            <div class="form-actions">
                <button type="submit" class="button primary">{if f.is_new { "Create KPI" } else { "Save changes" }}</button>
                <a href=if f.is_new { Page::Kpis.path().to_string() } else { Page::KpiDetail.href(&[&f.key]) } class="button secondary">"Cancel"</a>
            </div>
        </form>
    }
}

#[component]
fn Targets(f: KpiForm) -> impl IntoView {
    let posted = Posted::to(Action::SetTarget.endpoint());
    let error = posted.error();
    let v = |name: &str, value: &str| posted.value(name, value);
    let history = if f.targets.is_empty() {
        Either::Left(view! { <p class="empty">"No target yet."</p> })
    } else {
        Either::Right(view! {
            <div class="table-wrap">
                <table class="stack">
                    <thead><tr><th scope="col">"From"</th><th scope="col">"Target"</th><th scope="col">"Amber at"</th><th scope="col">"Red at"</th><th scope="col">"Note"</th><th scope="col">"Set by"</th></tr></thead>
                    <tbody>
                        {f.targets.iter().map(|(from, t, a, r, note, by)| view! {
                            <tr>
                                <th scope="row">{if from == "1970-01-01" { "The beginning".to_string() } else { from.clone() }}</th>
                                <td data-label="Target">{t.clone()}</td>
                                <td data-label="Amber at">{a.clone()}</td>
                                <td data-label="Red at">{r.clone()}</td>
                                <td data-label="Note">{note.clone()}</td>
                                <td data-label="Set by">{if by.is_empty() { "—".to_string() } else { by.clone() }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })
    };
    view! {
        <section class="card" aria-labelledby="target-title">
            <h2 id="target-title">"Targets"</h2>
            <p class="hint">"A new target applies from its date on. Earlier measurements keep being judged against the target in force at their time."</p>
            {history}
            <h3 id="target-form">"Set a new target"</h3>
            <form method="post" action=Action::SetTarget.endpoint() novalidate aria-labelledby="target-form">
                <input type="hidden" name="key" value=f.key.clone() />
                <FormError error />
                <div class="form-grid">
                    <TextField label="In force from (UTC date)" name="effective_from" kind="date" value=v("effective_from", &f.today) error id_prefix="t-" required=true />
                    <TextField label="Target" name="target" error id_prefix="t-" required=true value=v("target", "") />
                    <TextField label="Amber threshold" name="amber" error id_prefix="t-" required=true value=v("amber", "") />
                    <TextField label="Red threshold" name="red" error id_prefix="t-" required=true value=v("red", "") />
                    <TextField label="Note (optional)" name="note" error id_prefix="t-" maxlength=500 value=v("note", "") />
                </div>
                <button type="submit" class="button primary">"Set target"</button>
            </form>
        </section>
    }
}

#[component]
fn DangerZone(key: String) -> impl IntoView {
    let error = Signal::stored(posted_error(Action::DeleteKpi.endpoint()));
    view! {
        <section class="card danger-zone" aria-labelledby="danger-title" id="delete-kpi">
            <h2 id="danger-title">"Delete this KPI"</h2>
            <p>"Deleting removes the KPI, its measurements and its target history for good."</p>
            <FormError error />
            <AskFirst label="Delete KPI" what=String::new() class="button danger"
                question=format!("Delete the KPI {key} with all its measurements and targets? This cannot be undone.") confirm="Delete for good"
                key="delete-kpi" action=Action::DeleteKpi.endpoint() fields=vec![("key", key.clone())] />
        </section>
    }
}

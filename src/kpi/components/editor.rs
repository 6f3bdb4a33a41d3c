//! The KPI editor (CTO only): the definition, effective-dated targets, and deletion.

use crate::access::Page;
use crate::kpi::api::{kpi_for_edit, DeleteKpi, SaveKpi, SetTarget};
use crate::kpi::form::KpiForm;
use crate::kpi::model::{Aggregation, Category, Computed, Direction};
use crate::kpi::units::Unit;
use crate::ui::{cleared_after, error_of, notice_of, said, successes, ConfirmButton, Flash, FormError, LoadError, SelectField, TextArea, TextField};
use leptos::prelude::*;
use crate::ui::Title;

fn pairs<T: Copy>(all: &[T], value: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<(String, String)> {
    all.iter().map(|x| (value(*x).to_string(), label(*x).to_string())).collect()
}

#[component]
pub(super) fn KpiNewPage() -> impl IntoView {
    crate::ui::NoticeClock::provide();
    let form = Resource::new(|| (), |_| kpi_for_edit(String::new()));
    view! {
        <Title text="New KPI" />
        <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/kpis">"KPIs"</a>" / "<span aria-current="page">"New KPI"</span></nav>
        <h1>"New KPI"</h1>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(f) => view! { <Definition f /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn KpiEditPage() -> impl IntoView {
    let key = crate::platform::query::param("key");
    super::kpi_editor(key)
}

#[component]
pub(super) fn KpiEditor(key: String) -> impl IntoView {
    crate::ui::NoticeClock::provide();
    let key = Memo::new(move |_| key.clone());
    // The action lives above the reloading part, so "Target saved" stays after the history
    // reloads; only a saved target reloads it, so a refused one keeps the typed values.
    let set = ServerAction::<SetTarget>::new();
    let saved = successes(set);
    let form = Resource::new(move || (key.get(), saved.get()), |(k, _)| kpi_for_edit(k));
    view! {
        <Title text="Edit KPI" />
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match form.await {
                    Err(e) => view! { <h1>"Edit KPI"</h1><LoadError error=e /> }.into_any(),
                    Ok(f) => {
                        let key = f.key.clone();
                        let (crumb, title) = (f.name.clone(), f.name.clone());
                        view! {
                            <nav class="breadcrumbs" aria-label="Breadcrumb">
                                <a href="/kpis">"KPIs"</a>" / "<a href=Page::KpiDetail.href(&[&key])>{crumb}</a>" / "<span aria-current="page">"Edit"</span>
                            </nav>
                            <h1>"Edit " {title}</h1>
                            <Definition f=f.clone() />
                            <Targets f=f.clone() set />
                            <DangerZone key />
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Definition(f: KpiForm) -> impl IntoView {
    let save = ServerAction::<SaveKpi>::new();
    let error = error_of(save);
    Effect::new(move || {
        if let Some(Ok(key)) = save.value().get() {
            crate::ui::go(&Page::KpiDetail.href(&[&key]));
        }
    });
    let computed = RwSignal::new(f.computed.clone());
    let mut departments = vec![(String::new(), "Company-wide".to_string())];
    departments.extend(f.departments.iter().map(|(id, name)| (id.to_string(), name.clone())));
    let mut computed_options = vec![(String::new(), "Measurements (by hand, CSV or API)".to_string())];
    computed_options.extend(Computed::ALL.iter().map(|c| (c.as_str().to_string(), format!("Computed: {}", c.label()))));
    let units = if f.has_data {
        Unit::ALL.iter().filter(|u| u.as_str() == f.unit).map(|u| (u.as_str().to_string(), u.label().to_string())).collect()
    } else {
        Unit::choices().collect()
    };
    view! {
        <ActionForm action=save attr:novalidate=true attr:class="card editor">
            <input type="hidden" name="original_key" value=if f.is_new { String::new() } else { f.key.clone() } />
            <FormError error />
            <div class="form-grid">
                <TextField label="Name" name="name" value=f.name.clone() error required=true maxlength=120 />
                {if f.is_new {
                    view! { <TextField label="Key" name="key" value=f.key.clone() error required=true maxlength=64 hint="Lower-case letters, digits and hyphens, as in lead-time. Used in URLs and by the API; it cannot change later." /> }.into_any()
                } else {
                    view! {
                        <div class="field">
                            <label for="key">"Key"</label>
                            <input id="key" name="key" value=f.key.clone() readonly aria-describedby="key-hint" />
                            <p class="hint" id="key-hint">"Fixed: API clients and imports refer to it."</p>
                        </div>
                    }.into_any()
                }}
                <SelectField label="Category" name="category" options=pairs(Category::ALL, Category::as_str, Category::label) selected=f.category.clone() error />
                <SelectField label="Values come from" name="computed" options=computed_options selected=f.computed.clone() error
                    on_change=Callback::new(move |v: String| computed.set(v)) />
                <div class="field-group" hidden=move || !computed.get().is_empty()>
                    <SelectField label="Unit" name="unit" options=units selected=f.unit.clone() error
                        hint=if f.has_data { "Fixed once measurements exist." } else { "" } />
                    <SelectField label="Direction" name="direction" options=pairs(Direction::ALL, Direction::as_str, Direction::label) selected=f.direction.clone() error />
                    <SelectField label="A period's value is the" name="aggregation" options=pairs(Aggregation::ALL, Aggregation::as_str, Aggregation::label) selected=f.aggregation.clone() error />
                </div>
                <TextField label="Owner" name="owner" value=f.owner.clone() error maxlength=120 />
                <SelectField label="Department" name="department" options=departments selected=f.department.clone() error
                    hint="Department heads see company-wide KPIs and their own department's, and record data only for their own." />
            </div>
            <TextArea label="Description" name="description" value=f.description.clone() error maxlength=2000 />
            <TextArea label="Formula" name="formula" value=f.formula.clone() error rows=2 maxlength=2000 />
            <div class="field checkbox">
                <input type="checkbox" id="investor_visible" name="investor_visible" value="on" checked=f.investor_visible />
                <label for="investor_visible">"May appear in investor reports"</label>
            </div>
            {f.is_new.then(|| view! {
                <fieldset class="thresholds">
                    <legend>"Target (optional)"</legend>
                    <p class="hint">"Green while no worse than the amber threshold; red from the red threshold on. For a target that should be met exactly, make amber equal to the target. Leave all three empty to set a target later."</p>
                    <div class="form-grid three">
                        <TextField label="Target" name="target" error />
                        <TextField label="Amber threshold" name="amber" error />
                        <TextField label="Red threshold" name="red" error />
                    </div>
                </fieldset>
            })}
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{if f.is_new { "Create KPI" } else { "Save changes" }}</button>
                <a href=if f.is_new { Page::Kpis.path().to_string() } else { Page::KpiDetail.href(&[&f.key]) } class="button secondary">"Cancel"</a>
            </div>
        </ActionForm>
    }
}

#[component]
fn Targets(f: KpiForm, set: ServerAction<SetTarget>) -> impl IntoView {
    let error = error_of(set);
    let done = notice_of(set);
    let form = cleared_after(set);
    view! {
        <section class="card" aria-labelledby="target-title">
            <h2 id="target-title">"Targets"</h2>
            <p class="hint">"A new target applies from its date on. Earlier measurements keep being judged against the target in force at their time."</p>
            {if f.targets.is_empty() {
                view! { <p class="empty">"No target yet."</p> }.into_any()
            } else {
                view! {
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
                }.into_any()
            }}
            <h3>"Set a new target"</h3>
            <ActionForm action=set node_ref=form attr:novalidate=true>
                <input type="hidden" name="key" value=f.key.clone() />
                <FormError error />
                <div class="form-grid">
                    <TextField label="In force from (UTC date)" name="effective_from" kind="date" value=f.today.clone() error id_prefix="t-" required=true />
                    <TextField label="Target" name="target" error id_prefix="t-" required=true />
                    <TextField label="Amber threshold" name="amber" error id_prefix="t-" required=true />
                    <TextField label="Red threshold" name="red" error id_prefix="t-" required=true />
                    <TextField label="Note (optional)" name="note" error id_prefix="t-" maxlength=500 />
                </div>
                <button type="submit" class="button primary" disabled=move || set.pending().get()>"Set target"</button>
                <Show when=move || done()>
                    <p class="alert alert-ok" role="status">"Target saved."</p>
                </Show>
            </ActionForm>
        </section>
    }
}

#[component]
fn DangerZone(key: String) -> impl IntoView {
    let delete = ServerAction::<DeleteKpi>::new();
    let error = error_of(delete);
    Effect::new(move || {
        if matches!(delete.value().get(), Some(Ok(()))) {
            Flash::go("/kpis", said().get_untracked());
        }
    });
    view! {
        <section class="card danger-zone" aria-labelledby="danger-title">
            <h2 id="danger-title">"Delete this KPI"</h2>
            <p>"Deleting removes the KPI, its measurements and its target history for good."</p>
            <FormError error />
            <ConfirmButton label="Delete KPI" what=String::new() class="button danger"
                question=format!("Delete the KPI {key} with all its measurements and targets? This cannot be undone.") confirm="Delete for good"
                done=format!("Deleted the KPI {key} with its measurements and targets.") on_confirm=move |()| { delete.dispatch(DeleteKpi { key: key.clone() }); } />
        </section>
    }
}

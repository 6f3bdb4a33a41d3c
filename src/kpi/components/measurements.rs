//! Entering one measurement by hand, and the paged list of stored measurements. The form and
//! each delete button are islands; the list is the server's.

use crate::access::Page;
use crate::platform::query::query;
use super::StatusBadge;
use crate::kpi::api::{list_measurements, AddMeasurement, DeleteMeasurement};
use crate::kpi::units::Unit;
use crate::ui::{error_of, said, ConfirmButton, Flash, FormError, LoadError, TextField};
use leptos::prelude::*;

#[component]
pub(super) fn AddMeasurementForm(key: String, unit: Unit, now: String) -> impl IntoView {
    let add = ServerAction::<AddMeasurement>::new();
    let error = error_of(add);
    Effect::new(move || {
        if matches!(add.value().get(), Some(Ok(_))) {
            Flash::reload("Measurement added. The status and chart are updated.");
        }
    });
    let hint = match unit {
        Unit::Money => "An amount in the base currency, such as 4.25.",
        Unit::Percent => "A percentage, such as 99.95.",
        _ => "A number, with a point for decimals.",
    };
    // Asked for only when the time already has a value: the server names it.
    let clash = move || error.get().and_then(|e| e.for_field("replace"));
    view! {
        <div>
            <h3>"Enter a measurement"</h3>
            <ActionForm action=add attr:novalidate=true attr:class="stacked-form">
                <input type="hidden" name="key" value=key />
                <FormError error />
                <TextField label="Time (UTC)" name="timestamp" kind="datetime-local" value=now error id_prefix="m-" required=true />
                <TextField label=unit.label() name="value" kind="text" error id_prefix="m-" required=true hint />
                <TextField label="Note (optional)" name="note" error id_prefix="m-" maxlength=500 hint="Shown as a dot on the chart." />
                <Show when=move || clash().is_some()>
                    <p class="field-error" id="m-replace-error" role="alert">{clash}</p>
                    <div class="field checkbox">
                        <input type="checkbox" id="m-replace" name="replace" value="true" aria-describedby="m-replace-error" />
                        <label for="m-replace">"Replace it"</label>
                    </div>
                </Show>
                <button type="submit" class="button primary" disabled=move || add.pending().get()>"Add measurement"</button>
            </ActionForm>
        </div>
    }
}

#[component]
pub fn MeasurementTable(key: String, total: i64, first: Option<String>, last: Option<String>) -> impl IntoView {
    let before = query("before").get_untracked().parse::<i64>().ok();
    let k = key.clone();
    let page = Resource::new(|| (), move |_| list_measurements(k.clone(), before));
    let base = Page::KpiDetail.href(&[&key]);
    let span = match (first, last) {
        (Some(f), Some(l)) => format!("{} from {f} to {l}.", crate::ui::plural(total.max(0) as u64, "measurement", "measurements")),
        _ => "No measurements yet.".to_string(),
    };
    view! {
        <section class="card" aria-labelledby="measurements-title">
            <h2 id="measurements-title">"Measurements"</h2>
            <p class="hint">{format!("{span} Times are UTC; each row's status is judged against the target in force at its time.")}</p>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || {
                    let key = key.clone();
                    let base = base.clone();
                    Suspend::new(async move {
                        match page.await {
                            Err(e) => view! { <LoadError error=e /> }.into_any(),
                            Ok(p) if p.rows.is_empty() => view! { <p class="empty">"Nothing here yet."</p> }.into_any(),
                            Ok(p) => {
                                let can_delete = p.can_delete;
                                view! {
                                    <div class="table-wrap">
                                        <table class="stack measurements">
                                            <thead><tr>
                                                <th scope="col">"Time (UTC)"</th>
                                                <th scope="col" class="num">"Value"</th>
                                                <th scope="col">"Status then"</th>
                                                <th scope="col">"Source"</th>
                                                <th scope="col">"Note"</th>
                                                {can_delete.then(|| view! { <th scope="col"><span class="visually-hidden">"Actions"</span></th> })}
                                            </tr></thead>
                                            <tbody>
                                                {p.rows.into_iter().map(|r| {
                                                    let key = key.clone();
                                                    let (ts, value, at) = (r.ts, r.value.clone(), r.at.clone());
                                                    view! {
                                                        <tr>
                                                            <th scope="row" class="nowrap">{r.at.clone()}</th>
                                                            <td class="num" data-label="Value">{r.value.clone()}</td>
                                                            <td data-label="Status then"><StatusBadge rag=r.rag short=r.short.clone() /></td>
                                                            <td data-label="Source">{r.source.clone()}</td>
                                                            <td data-label="Note">{r.note.clone().unwrap_or_default()}</td>
                                                            {can_delete.then(|| view! {
                                                                <td class="actions">{super::delete_measurement(key, ts, value, at)}</td>
                                                            })}
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    <nav class="pager" aria-label="Measurement pages">
                                        {before.is_some().then(|| view! { <a href=format!("{base}#measurements-title")>"Newest"</a> })}
                                        {p.next_before.map(|b| view! { <a href=format!("{base}?before={b}#measurements-title")>"Older"</a> })}
                                    </nav>
                                }.into_any()
                            }
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

/// One row's delete button: it asks first, and the page reloads saying what went.
#[component]
pub(super) fn DeleteMeasurementButton(key: String, ts: i64, value: String, at: String) -> impl IntoView {
    let delete = ServerAction::<DeleteMeasurement>::new();
    let error = error_of(delete);
    Effect::new(move || {
        if matches!(delete.value().get(), Some(Ok(_))) {
            Flash::reload(said().get_untracked());
        }
    });
    view! {
        <ConfirmButton
            label="Delete"
            what=format!("the measurement of {at}")
            question=format!("Delete {value} at {at} UTC?")
            confirm="Delete it"
            done=format!("Deleted {value} at {at} UTC.")
            on_confirm=move |()| {
                delete.dispatch(DeleteMeasurement { key: key.clone(), ts });
            }
        />
        <FormError error />
    }
}

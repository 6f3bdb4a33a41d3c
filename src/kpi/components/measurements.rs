//! Entering one measurement by hand, and the paged list of stored measurements.

use crate::access::Page;
use super::detail::{DataChanged, KpiActions};
use crate::platform::query::query;
use super::{StatusBadge};
use crate::kpi::api::{list_measurements, DeleteMeasurement};
use crate::kpi::units::Unit;
use crate::ui::{cleared_after, error_of, notice_of, ConfirmButton, FormError, LoadError, Notice, TextField};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn AddMeasurementForm(key: String, unit: Unit, now: String) -> impl IntoView {
    let add = expect_context::<KpiActions>().add;
    let error = error_of(add);
    let done = notice_of(add);
    let form = cleared_after(add);
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
            <ActionForm action=add node_ref=form attr:novalidate=true attr:class="stacked-form">
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
                <Notice when=done text="Measurement added. The status and chart are updated." />
            </ActionForm>
        </div>
    }
}

#[component]
pub fn MeasurementTable(key: String, total: i64, first: Option<String>, last: Option<String>) -> impl IntoView {
    let changed = expect_context::<DataChanged>().0;
    let before_q = query("before");
    let before = Memo::new(move |_| before_q.get().parse::<i64>().ok());
    let k = key.clone();
    let page = Resource::new(move || (k.clone(), before.get(), changed.get()), |(k, b, _)| list_measurements(k, b));
    let delete = expect_context::<KpiActions>().delete;
    let delete_error = error_of(delete);
    let deleted = notice_of(delete);
    let base = Page::KpiDetail.href(&[&key]);
    let span = match (first, last) {
        (Some(f), Some(l)) => format!("{} from {f} to {l}.", crate::ui::plural(total.max(0) as u64, "measurement", "measurements")),
        _ => "No measurements yet.".to_string(),
    };
    view! {
        <section class="card" aria-labelledby="measurements-title">
            <h2 id="measurements-title">"Measurements"</h2>
            <p class="hint">{format!("{span} Times are UTC; each row's status is judged against the target in force at its time.")}</p>
            <FormError error=delete_error />
            <Notice when=deleted text=crate::ui::said_text() />
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
                                                    let ts = r.ts;
                                                    let (value, at) = (r.value.clone(), r.at.clone());
                                                    view! {
                                                        <tr>
                                                            <th scope="row" class="nowrap">{r.at.clone()}</th>
                                                            <td class="num" data-label="Value">{r.value.clone()}</td>
                                                            <td data-label="Status then"><StatusBadge rag=r.rag short=r.short.clone() /></td>
                                                            <td data-label="Source">{r.source.clone()}</td>
                                                            <td data-label="Note">{r.note.clone().unwrap_or_default()}</td>
                                                            {can_delete.then(|| view! {
                                                                <td class="actions">
                                                                    <ConfirmButton
                                                                        label="Delete"
                                                                        what=format!("the measurement of {}", r.at)
                                                                        question=format!("Delete {} at {} UTC?", r.value, r.at)
                                                                        confirm="Delete it"
                                                                        done=format!("Deleted {value} at {at} UTC.")
                                                                        on_confirm=move |()| {
                                                                            delete.dispatch(DeleteMeasurement { key: key.clone(), ts });
                                                                        }
                                                                    />
                                                                </td>
                                                            })}
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    <nav class="pager" aria-label="Measurement pages">
                                        {before.get_untracked().is_some().then(|| view! { <A href=format!("{base}#measurements-title")>"Newest"</A> })}
                                        {p.next_before.map(|b| view! { <A href=format!("{base}?before={b}#measurements-title")>"Older"</A> })}
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

//! Entering one measurement by hand, and the paged list of stored measurements: the server's
//! HTML with plain forms.

use crate::access::{Action, Page};
use crate::platform::query::query;
use super::StatusBadge;
use crate::kpi::view::MeasurementPage;
use crate::kpi::units::Unit;
use crate::ui::{AskFirst, FormError, Posted, TextField};
use leptos::prelude::*;

/// A plain form: a refused entry comes back as typed, and a time that already has a value asks
/// whether to replace it.
#[component]
pub(super) fn AddMeasurementForm(key: String, unit: Unit, now: String) -> impl IntoView {
    let posted = Posted::to(Action::AddMeasurement.endpoint());
    let error = posted.error();
    let hint = match unit {
        Unit::Money => "An amount in the base currency, such as 4.25.",
        Unit::Percent => "A percentage, such as 99.95.",
        _ => "A number, with a point for decimals.",
    };
    // Asked for only when the time already has a value: the server names it.
    let clash = error.get_untracked().and_then(|e| e.for_field("replace")).map(|question| view! {
        <p class="field-error" id="m-replace-error" role="alert">{question}</p>
        <div class="field checkbox">
            <input type="checkbox" id="m-replace" name="replace" value="true" aria-describedby="m-replace-error" />
            <label for="m-replace">"Replace it"</label>
        </div>
    });
    view! {
        <div>
            <h3>"Enter a measurement"</h3>
            <form method="post" action=Action::AddMeasurement.endpoint() class="stacked-form" novalidate>
                <input type="hidden" name="key" value=key />
                <FormError error />
                <TextField label="Time (UTC)" name="timestamp" kind="datetime-local" value=posted.value("timestamp", now) error id_prefix="m-" required=true />
                <TextField label=unit.label() name="value" kind="text" error id_prefix="m-" required=true hint value=posted.value("value", "") />
                <TextField label="Note (optional)" name="note" error id_prefix="m-" maxlength=500 hint="Shown as a dot on the chart." value=posted.value("note", "") />
                {clash}
                <button type="submit" class="button primary">"Add measurement"</button>
            </form>
        </div>
    }
}

/// The page of measurements comes with the KPI's page, so the table is drawn in the same pass.
#[component]
pub fn MeasurementTable(key: String, page: MeasurementPage, total: i64, first: Option<String>, last: Option<String>) -> impl IntoView {
    let paged = query("before").get_untracked().parse::<i64>().is_ok();
    let base = Page::KpiDetail.href(&[&key]);
    let span = match (first, last) {
        (Some(f), Some(l)) => format!("{} from {f} to {l}.", crate::ui::plural(total.max(0) as u64, "measurement", "measurements")),
        _ => "No measurements yet.".to_string(),
    };
    let MeasurementPage { rows, next_before, can_delete } = page;
    let body = if rows.is_empty() {
        view! { <p class="empty">"Nothing here yet."</p> }.into_any()
    } else {
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
                        {rows.into_iter().map(|r| {
                            let key = key.clone();
                            let (ts, value, at) = (r.ts, r.value.clone(), r.at.clone());
                            view! {
                                <tr id=format!("m-{ts}")>
                                    <th scope="row" class="nowrap">{r.at}</th>
                                    <td class="num" data-label="Value">{r.value}</td>
                                    <td data-label="Status then"><StatusBadge rag=r.rag short=r.short /></td>
                                    <td data-label="Source">{r.source}</td>
                                    <td data-label="Note">{r.note.unwrap_or_default()}</td>
                                    {can_delete.then(|| view! {
                                        <td class="actions"><DeleteMeasurement key ts value at /></td>
                                    })}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <nav class="pager" aria-label="Measurement pages">
                {paged.then(|| view! { <a href=format!("{base}#measurements-title")>"Newest"</a> })}
                {next_before.map(|b| view! { <a href=format!("{base}?before={b}#measurements-title")>"Older"</a> })}
            </nav>
        }.into_any()
    };
    view! {
        <section class="card" aria-labelledby="measurements-title">
            <h2 id="measurements-title">"Measurements"</h2>
            <p class="hint">{format!("{span} Times are UTC; each row's status is judged against the target in force at its time.")}</p>
            {body}
        </section>
    }
}

/// One row's delete button: it asks first, and the page comes back saying what went.
#[component]
fn DeleteMeasurement(key: String, ts: i64, value: String, at: String) -> impl IntoView {
    let error = Posted::to(Action::DeleteMeasurement.endpoint()).error_for("ts", &ts.to_string());
    view! {
        <AskFirst label="Delete" what=format!("the measurement of {at}") question=format!("Delete {value} at {at} UTC?") confirm="Delete it"
            key=format!("m-{ts}") action=Action::DeleteMeasurement.endpoint() fields=vec![("key", key), ("ts", ts.to_string())] />
        <FormError error />
    }
}

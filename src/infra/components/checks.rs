//! A system's checks: what each probes and found last, and for the CTO the form to add or
//! change one, run it now, or remove it. Systems without checks get a status set by hand.

use super::system::Actions;
use super::SystemStatus;
use crate::infra::api::{DeleteCheck, RunCheck};
use crate::infra::model::{CheckForm, Status};
use crate::infra::view::{CheckRow, SystemDetail};
use crate::ui::{error_of, notice_of, ConfirmButton, FormError, Notice, SelectField, TextArea, TextField};
use leptos::prelude::*;

#[component]
pub fn Checks(s: SystemDetail, a: Actions) -> impl IntoView {
    let editing = RwSignal::new(None::<CheckRow>);
    let can_edit = s.can_edit;
    let system_id = s.id;
    let run_result = a.run_check.value();
    let delete_error = error_of(a.delete_check);
    let deleted = notice_of(a.delete_check);
    view! {
        <section class="card" aria-labelledby="checks-title">
            <h2 id="checks-title">"Checks"</h2>
            {if s.checks.is_empty() {
                view! { <p class="empty">{if can_edit { "No checks yet: add an HTTP or TCP check below, or set the status by hand." } else { "This system has no checks; its status is set by hand." }}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="stack">
                            <thead><tr>
                                <th scope="col">"Target"</th><th scope="col">"State"</th><th scope="col">"Last run"</th><th scope="col" class="num">"Response"</th><th scope="col">"Last error"</th>
                                {can_edit.then(|| view! { <th scope="col"><span class="visually-hidden">"Actions"</span></th> })}
                            </tr></thead>
                            <tbody>
                                {s.checks.iter().cloned().map(|c| {
                                    let (id, row) = (c.id, c.clone());
                                    let named = format!("the {} check of {}", c.kind, c.target);
                                    let state = if c.enabled { view! { <SystemStatus status=c.state /> }.into_any() } else { view! { <span class="muted">"Paused"</span> }.into_any() };
                                    let failing = (c.failures > 0 && c.state != Status::Down).then(|| format!(" ({} failed in a row)", c.failures));
                                    view! {
                                        <tr>
                                            <th scope="row"><span class="tag">{c.kind.clone()}</span>" "<code>{c.target.clone()}</code><br /><span class="muted">{c.summary.clone()}</span></th>
                                            <td data-label="State">{state}{failing}</td>
                                            <td data-label="Last run">{c.last_at.clone().unwrap_or_else(|| "Not yet".into())}</td>
                                            <td class="num" data-label="Response">{c.latency_ms.map(super::ms).unwrap_or_else(|| "—".into())}</td>
                                            <td data-label="Last error">{c.last_error.clone().unwrap_or_default()}</td>
                                            {can_edit.then(|| view! {
                                                <td class="actions">
                                                    <button type="button" class="button small secondary" disabled=move || a.run_check.pending().get() on:click=move |_| { a.run_check.dispatch(RunCheck { id }); }>"Run now"</button>
                                                    <button type="button" class="button small secondary" on:click=move |_| { a.save_check.value().set(None); editing.set(Some(row.clone())); crate::ui::focus_soon("k-target"); }>"Edit"</button>
                                                    <ConfirmButton label="Delete" what=named.clone() question=format!("Delete {named} and its results?") confirm="Delete it"
                                                        done=format!("Deleted {named}.") on_confirm=move |()| { a.delete_check.dispatch(DeleteCheck { id }); } />
                                                </td>
                                            })}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <p class="status-message" role="status">
                {move || run_result.get().map(|r| match r { Ok(text) => text, Err(e) => e.to_string() })}
            </p>
            <FormError error=delete_error />
            <Notice when=deleted text=crate::ui::said_text() />
            {can_edit.then(|| view! {
                <h3>{move || if editing.get().is_some() { "Change the check" } else { "Add a check" }}</h3>
                {move || view! { <CheckEditor system_id a editing=editing.get() on_cancel=Callback::new(move |_| editing.set(None)) /> }}
            })}
        </section>
    }
}

#[component]
fn CheckEditor(system_id: i64, a: Actions, editing: Option<CheckRow>, on_cancel: Callback<()>) -> impl IntoView {
    let save = a.save_check;
    let error = error_of(save);
    let done = notice_of(save);
    let form_ref = crate::ui::cleared_after(save);
    let form: CheckForm = editing.as_ref().map(|c| c.form.clone()).unwrap_or_else(|| CheckForm {
        kind: "http".into(),
        method: "GET".into(),
        expect: "200-299".into(),
        follow_redirects: true,
        timeout_ms: "5000".into(),
        interval_secs: "60".into(),
        failure_threshold: "3".into(),
        enabled: true,
        ..Default::default()
    });
    let kind = RwSignal::new(form.kind.clone());
    let id = editing.as_ref().map(|c| c.id.to_string()).unwrap_or_default();
    let is_edit = editing.is_some();
    view! {
        <ActionForm action=save node_ref=form_ref attr:novalidate=true attr:class="check-form">
            <input type="hidden" name="system_id" value=system_id.to_string() />
            <input type="hidden" name="id" value=id />
            <FormError error />
            <div class="form-grid">
                <SelectField label="Kind" name="kind" id_prefix="k-" options=vec![("http".into(), "HTTP(S) request".into()), ("tcp".into(), "TCP connect".into())]
                    selected=form.kind.clone() error on_change=Callback::new(move |v| kind.set(v)) />
                <TextField label="Target" name="target" id_prefix="k-" error value=form.target.clone() maxlength=2000
                    hint="A URL such as https://example.com/health, or host:port for TCP" />
                <TextField label="Interval in seconds" name="interval_secs" id_prefix="k-" error value=form.interval_secs.clone() hint="At least 10" />
                <TextField label="Timeout in ms" name="timeout_ms" id_prefix="k-" error value=form.timeout_ms.clone() />
                <TextField label="Failures in a row before down" name="failure_threshold" id_prefix="k-" error value=form.failure_threshold.clone() />
                <TextField label="Slow above (ms, optional)" name="degraded_ms" id_prefix="k-" error value=form.degraded_ms.clone() hint="Slower answers count as degraded" />
            </div>
            <fieldset class="http-only" hidden=move || kind.get() != "http">
                <legend>"HTTP"</legend>
                <div class="form-grid">
                    <SelectField label="Method" name="method" id_prefix="k-" options=vec![("GET".into(), "GET".into()), ("HEAD".into(), "HEAD".into())] selected=form.method.clone() error />
                    <TextField label="Expected status" name="expect" id_prefix="k-" error value=form.expect.clone() hint="A code, a range such as 200-399, or 2xx" />
                    <TextField label="Keyword in the body (optional)" name="keyword" id_prefix="k-" error value=form.keyword.clone() maxlength=200 />
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id="k-follow_redirects" name="follow_redirects" value="on" checked=form.follow_redirects />
                    <label for="k-follow_redirects">"Follow redirects (up to 5)"</label>
                </div>
            </fieldset>
            <div class="field checkbox">
                <input type="checkbox" id="k-enabled" name="enabled" value="on" checked=form.enabled />
                <label for="k-enabled">"Enabled: the server runs this check on its interval"</label>
            </div>
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{if is_edit { "Save check" } else { "Add check" }}</button>
                {is_edit.then(|| view! { <button type="button" class="button secondary" on:click=move |_| on_cancel.run(())>"Cancel"</button> })}
            </div>
            <Show when=move || done()>
                <p class="alert alert-ok" role="status">"Check saved. It runs now and then on its interval."</p>
            </Show>
        </ActionForm>
    }
}

/// The status of a system without checks, and for the CTO the form to set it.
#[component]
pub fn ManualStatus(s: SystemDetail, a: Actions) -> impl IntoView {
    let set = a.set_status;
    let error = error_of(set);
    let done = notice_of(set);
    let options: Vec<(String, String)> = [Status::Operational, Status::Degraded, Status::Down].iter().map(|st| (st.as_str().to_string(), st.label().to_string())).collect();
    view! {
        <section class="card" aria-labelledby="manual-title">
            <h2 id="manual-title">"Status set by hand"</h2>
            <p>
                {match s.manual_status { Some(st) => view! { <SystemStatus status=st /> }.into_any(), None => view! { <span class="muted">"Not set"</span> }.into_any() }}
                {(!s.manual_note.is_empty()).then(|| format!(" · {}", s.manual_note))}
            </p>
            {s.can_edit.then(|| view! {
                <ActionForm action=set attr:novalidate=true>
                    <input type="hidden" name="system_id" value=s.id.to_string() />
                    <FormError error />
                    <div class="form-grid">
                        <SelectField label="Status" name="status" id_prefix="m-" options selected=s.manual_status.map(|x| x.as_str().to_string()).unwrap_or_else(|| "operational".into()) error />
                    </div>
                    <TextArea label="Note (what you know, such as the vendor's own status page)" name="note" value=s.manual_note.clone() error rows=2 maxlength=500 />
                    <div class="form-actions"><button type="submit" class="button primary" disabled=move || set.pending().get()>"Set status"</button></div>
                    <Show when=move || done()><p class="alert alert-ok" role="status">"Status set."</p></Show>
                </ActionForm>
            })}
        </section>
    }
}

//! A system's checks: what each probes and found last, and for the CTO the form to add or
//! change one, run it now, or remove it. Systems without checks get a status set by hand.
//! Plain forms: each loads the system's page again, saying what happened.

use super::SystemStatus;
use crate::access::Action;
use crate::infra::model::{CheckForm, Status};
use crate::infra::view::{CheckRow, SystemDetail};
use crate::platform::query::here_without;
use crate::ui::{posted_error, AskFirst, FormError, Posted, ReloadWith, SelectField, TextArea, TextField};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn Checks(s: SystemDetail) -> impl IntoView {
    let can_edit = s.can_edit;
    let refused = Signal::stored(posted_error(Action::RunCheck.endpoint()).or_else(|| posted_error(Action::DeleteCheck.endpoint())));
    let posted = Posted::to(Action::SaveCheck.endpoint());
    // The check in the form: the one sent back refused, else the one "Edit" opened.
    let edit = posted.record("check");
    let editing = s.checks.iter().find(|c| c.id.to_string() == edit).cloned();
    let table = if s.checks.is_empty() {
        let empty = if can_edit { "No checks yet: add an HTTP or TCP check below, or set the status by hand." } else { "This system has no checks; its status is set by hand." };
        Either::Left(view! { <p class="empty">{empty}</p> })
    } else {
        Either::Right(view! { <CheckTable rows=s.checks.clone() can_edit /> })
    };
    view! {
        <section class="card" aria-labelledby="checks-title">
            <h2 id="checks-title">"Checks"</h2>
            <FormError error=refused />
            {table}
            {can_edit.then(|| view! {
                <h3 id="check-form">{if editing.is_some() { "Change the check" } else { "Add a check" }}</h3>
                <CheckEditor system_id=s.id editing posted />
            })}
        </section>
    }
}

#[component]
fn CheckTable(rows: Vec<CheckRow>, can_edit: bool) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="stack">
                <thead><tr>
                    <th scope="col">"Target"</th><th scope="col">"State"</th><th scope="col">"Last run"</th><th scope="col" class="num">"Response"</th><th scope="col">"Last error"</th>
                    {can_edit.then(|| view! { <th scope="col"><span class="visually-hidden">"Actions"</span></th> })}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|c| {
                        let id = c.id;
                        let key = format!("check-{id}");
                        let named = format!("the {} check of {}", c.kind, c.target);
                        let state = if c.enabled { Either::Left(view! { <SystemStatus status=c.state /> }) } else { Either::Right(view! { <span class="muted">"Paused"</span> }) };
                        let failing = (c.failures > 0 && c.state != Status::Down).then(|| format!(" ({} failed in a row)", c.failures));
                        view! {
                            <tr id=key.clone()>
                                <th scope="row"><span class="tag">{c.kind.clone()}</span>" "<code>{c.target.clone()}</code><br /><span class="muted">{c.summary.clone()}</span></th>
                                <td data-label="State">{state}{failing}</td>
                                <td data-label="Last run">{c.last_at.clone().unwrap_or_else(|| "Not yet".into())}</td>
                                <td class="num" data-label="Response">{c.latency_ms.map(super::ms).unwrap_or_else(|| "—".into())}</td>
                                <td data-label="Last error">{c.last_error.clone().unwrap_or_default()}</td>
                                {can_edit.then(|| view! {
                                    <td class="actions">
                                        <form method="post" action=Action::RunCheck.endpoint() class="inline-form">
                                            <input type="hidden" name="id" value=id.to_string() />
                                            <button type="submit" class="button small secondary">"Run now"<span class="visually-hidden">{format!(" {named}")}</span></button>
                                        </form>
                                        <ReloadWith label="Edit" what=named.clone() name="check" value=id.to_string() anchor="check-form" />
                                        <AskFirst label="Delete" what=named.clone() question=format!("Delete {named} and its results?") confirm="Delete it"
                                            key=key.clone() action=Action::DeleteCheck.endpoint() fields=vec![("id", id.to_string())] />
                                    </td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn CheckEditor(system_id: i64, editing: Option<CheckRow>, posted: Posted) -> impl IntoView {
    let error = posted.error();
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
    let id = editing.as_ref().map(|c| c.id.to_string()).unwrap_or_default();
    let is_edit = editing.is_some();
    let v = |name: &str, value: &str| posted.value(name, value);
    let cancel = is_edit.then(|| view! { <a class="button secondary" href=format!("{}#check-form", here_without(&["check"]))>"Cancel"</a> });
    // The HTTP settings show only for an HTTP check (`.check-form:has(...)` in the style sheet).
    view! {
        <form method="post" action=Action::SaveCheck.endpoint() novalidate class="check-form" aria-labelledby="check-form">
            <input type="hidden" name="system_id" value=system_id.to_string() />
            <input type="hidden" name="id" value=id />
            <FormError error />
            <div class="form-grid">
                <SelectField label="Kind" name="kind" id_prefix="k-" options=vec![("http".into(), "HTTP(S) request".into()), ("tcp".into(), "TCP connect".into())]
                    selected=v("kind", &form.kind) error />
                <TextField label="Target" name="target" id_prefix="k-" error value=v("target", &form.target) maxlength=2000
                    hint="A URL such as https://example.com/health, or host:port for TCP" />
                <TextField label="Interval in seconds" name="interval_secs" id_prefix="k-" error value=v("interval_secs", &form.interval_secs) hint="At least 10" />
                <TextField label="Timeout in ms" name="timeout_ms" id_prefix="k-" error value=v("timeout_ms", &form.timeout_ms) />
                <TextField label="Failures in a row before down" name="failure_threshold" id_prefix="k-" error value=v("failure_threshold", &form.failure_threshold) />
                <TextField label="Slow above (ms, optional)" name="degraded_ms" id_prefix="k-" error value=v("degraded_ms", &form.degraded_ms) hint="Slower answers count as degraded" />
            </div>
            <fieldset class="http-only">
                <legend>"HTTP"</legend>
                <div class="form-grid">
                    <SelectField label="Method" name="method" id_prefix="k-" options=vec![("GET".into(), "GET".into()), ("HEAD".into(), "HEAD".into())] selected=v("method", &form.method) error />
                    <TextField label="Expected status" name="expect" id_prefix="k-" error value=v("expect", &form.expect) hint="A code, a range such as 200-399, or 2xx" />
                    <TextField label="Keyword in the body (optional)" name="keyword" id_prefix="k-" error value=v("keyword", &form.keyword) maxlength=200 />
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id="k-follow_redirects" name="follow_redirects" value="on" checked=posted.checked("follow_redirects", form.follow_redirects) />
                    <label for="k-follow_redirects">"Follow redirects (up to 5)"</label>
                </div>
            </fieldset>
            <div class="field checkbox">
                <input type="checkbox" id="k-enabled" name="enabled" value="on" checked=posted.checked("enabled", form.enabled) />
                <label for="k-enabled">"Enabled: the server runs this check on its interval"</label>
            </div>
            <div class="form-actions">
                <button type="submit" class="button primary">{if is_edit { "Save check" } else { "Add check" }}</button>
                {cancel}
            </div>
        </form>
    }
}

/// The status of a system without checks, and for the CTO the form to set it.
#[component]
pub fn ManualStatus(s: SystemDetail) -> impl IntoView {
    let posted = Posted::to(Action::SetManualStatus.endpoint());
    let error = posted.error();
    let options: Vec<(String, String)> = [Status::Operational, Status::Degraded, Status::Down].iter().map(|st| (st.as_str().to_string(), st.label().to_string())).collect();
    let current = match s.manual_status {
        Some(st) => Either::Left(view! { <SystemStatus status=st /> }),
        None => Either::Right(view! { <span class="muted">"Not set"</span> }),
    };
    let selected = posted.value("status", s.manual_status.map(|x| x.as_str().to_string()).unwrap_or_else(|| "operational".into()));
    let note = posted.value("note", s.manual_note.clone());
    view! {
        <section class="card" aria-labelledby="manual-title">
            <h2 id="manual-title">"Status set by hand"</h2>
            <p>{current}{(!s.manual_note.is_empty()).then(|| format!(" · {}", s.manual_note))}</p>
            {s.can_edit.then(|| view! {
                <form method="post" action=Action::SetManualStatus.endpoint() novalidate aria-labelledby="manual-title">
                    <input type="hidden" name="system_id" value=s.id.to_string() />
                    <FormError error />
                    <div class="form-grid">
                        <SelectField label="Status" name="status" id_prefix="m-" options selected error />
                    </div>
                    <TextArea label="Note (what you know, such as the vendor's own status page)" name="note" value=note error rows=2 maxlength=500 />
                    <div class="form-actions"><button type="submit" class="button primary">"Set status"</button></div>
                </form>
            })}
        </section>
    }
}

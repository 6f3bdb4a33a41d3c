//! A control's page: what it requires and covers, where it stands, the form that records its
//! evidence (a plain multipart form, with or without a script), the evidence so far, and the
//! CTO's changes.

use super::control_form::ControlForm;
use super::controls::StandingTag;
use super::SecurityTabs;
use crate::access::{Action, Page, Route};
use crate::assurance::api::load_control;
use crate::assurance::model::Outcome;
use crate::assurance::view::{ControlPage, EvidenceLine};
use crate::ui::{FormError, LoadError, Posted, SelectField, TextArea, TextField, Title};
use leptos::prelude::*;

#[component]
pub fn ControlDetailPage() -> impl IntoView {
    let id = crate::platform::query::param("id");
    let page = crate::platform::query::query("page");
    let data = Resource::new(move || (id.clone(), page.get()), |(id, page)| load_control(id, Some(page)));
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the control…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => view! { <Title text=format!("{} {}", c.line.code, c.line.title) /><Body c /> }.into_any(),
                    Err(e) => view! { <Title text="Control" /><h1>"Control"</h1><LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Body(c: ControlPage) -> impl IntoView {
    let l = c.line.clone();
    let heading = format!("{} {}", l.code, l.title);
    let who = [Some(l.frequency.label().to_string()), Some(l.owner.clone().map(|o| format!("owner {o}")).unwrap_or_else(|| "nobody named as owner".into())), Some(l.department.clone().unwrap_or_else(|| "company-wide".into()))]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let systems = if c.systems.is_empty() { None } else { Some(c.systems.clone()) };
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href=Page::Controls.path()>"Controls"</a>" / "<span aria-current="page">{l.code.clone()}</span>
        </nav>
        <div class="page-head">
            <div>
                <h1>{heading}</h1>
                <p class="meta">{who}</p>
            </div>
            <StandingTag standing=l.standing />
        </div>
        <SecurityTabs />
        {c.retired_on.clone().map(|d| view! { <p class="alert alert-warn">{format!("Retired on {d}: kept with its evidence, no longer counted or alerted on.")}</p> })}
        <section class="card" aria-labelledby="about-title">
            <h2 id="about-title" class="visually-hidden">"About this control"</h2>
            {(!c.requires.is_empty()).then(|| view! { <p>{c.requires.clone()}</p> })}
            <dl class="facts">
                <div><dt>"Last performed"</dt><dd>{l.last_on.clone().unwrap_or_else(|| "Never".into())}</dd></div>
                <div><dt>"Next due"</dt><dd>{l.due_on.clone()}</dd></div>
                <div><dt>"Adopted"</dt><dd>{c.adopted_on.clone()}</dd></div>
                <div><dt>"Evidence from"</dt><dd>{c.source.clone()}</dd></div>
                <div><dt>"ISO/IEC 27001:2022"</dt><dd>{if c.iso27001.is_empty() { "—".to_string() } else { c.iso27001.join(", ") }}</dd></div>
                <div><dt>"SOC 2"</dt><dd>{if c.soc2.is_empty() { "—".to_string() } else { c.soc2.join(", ") }}</dd></div>
                <div><dt>"Systems"</dt><dd>{match systems {
                    None => view! { "Not tied to particular systems" }.into_any(),
                    Some(list) => list.into_iter().enumerate().map(|(n, (id, name))| view! { {(n > 0).then_some(", ")}<a href=Page::InfraSystem.href(&[&id])>{name}</a> }).collect_view().into_any(),
                }}</dd></div>
            </dl>
        </section>
        {c.can_record.then(|| view! { <Record id=l.id today=c.today.clone() /> })}
        <History rows=c.evidence.clone() count=c.evidence_count page=c.page pages=c.pages />
        {c.editor.clone().map(|e| view! {
            <section class="card" aria-labelledby="edit-title">
                <h2 id="edit-title">"Change the control"</h2>
                <ControlForm e />
                <Retire id=l.id retired=c.retired_on.is_some() />
            </section>
        })}
    }
}

#[component]
fn Record(id: i64, today: String) -> impl IntoView {
    let action = Route::RecordEvidence.href(&[&id]);
    let posted = Posted::to(&action);
    let error = posted.error();
    let v = |name: &str, value: &str| posted.value(name, value);
    let outcomes: Vec<(String, String)> = std::iter::once((String::new(), "Choose…".to_string())).chain(Outcome::choices()).collect();
    view! {
        <section class="card" id="record" aria-labelledby="record-title">
            <h2 id="record-title">"Record evidence"</h2>
            <p class="hint">"Each time the control is performed: the result, what was found, and what shows it, a file (up to 20 MB, kept with its SHA-256 fingerprint) or a link."</p>
            <form method="post" action=action enctype="multipart/form-data" novalidate class="editor">
                <FormError error />
                <div class="form-grid">
                    <TextField label="Performed on" name="performed_on" kind="date" value=v("performed_on", &today) error required=true />
                    <SelectField label="Result" name="outcome" options=outcomes selected=v("outcome", "") error />
                </div>
                <TextArea label="Note: what was checked and found" name="note" value=v("note", "") error rows=3 maxlength=4000 />
                <div class="form-grid">
                    <div class="field" class:invalid=move || error.get().and_then(|e| e.for_field("file")).is_some()>
                        <label for="file">"File"</label>
                        <input id="file" name="file" type="file" aria-describedby="file-error" />
                        <p class="field-error" id="file-error" role="alert">{move || error.get().and_then(|e| e.for_field("file"))}</p>
                    </div>
                    <TextField label="Or a link" name="link" kind="url" value=v("link", "") error maxlength=2000 hint="A ticket, a report, a wiki page." />
                </div>
                <div class="form-actions">
                    <button type="submit" class="button primary">"Record evidence"</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn History(rows: Vec<EvidenceLine>, count: i64, page: i64, pages: i64) -> impl IntoView {
    let first = (page - 1) * crate::assurance::view::EVIDENCE_PAGE + 1;
    let shown = (pages > 1).then(|| format!("{first} to {} of {count}, newest first", first + rows.len() as i64 - 1));
    view! {
        <section class="card" id="history" aria-labelledby="history-title">
            <h2 id="history-title">"Evidence"</h2>
            {shown.map(|s| view! { <p class="result-count">{s}</p> })}
            {if rows.is_empty() {
                view! { <p class="empty">"No evidence yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="stack evidence">
                            <thead><tr><th scope="col">"Performed"</th><th scope="col">"Result"</th><th scope="col">"Note"</th><th scope="col">"Evidence"</th><th scope="col">"Recorded"</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|e| view! {
                                    <tr>
                                        <th scope="row">{e.performed_on.clone()}</th>
                                        <td data-label="Result"><OutcomeTag outcome=e.outcome /></td>
                                        <td data-label="Note" class="note">{e.note.clone()}</td>
                                        <td data-label="Evidence">
                                            {e.file.clone().map(|f| view! {
                                                <a href=Route::EvidenceFile.href(&[&e.id]) download=f.name.clone()>{format!("{} ({})", f.name, f.size)}</a>
                                                <br /><span class="meta">"SHA-256 "<code class="hash" title=f.sha256.clone()>{f.sha256.chars().take(16).collect::<String>()}"…"</code></span>
                                            })}
                                            {e.link.clone().map(|h| view! { <a href=h.clone() rel="noopener noreferrer" target="_blank">{h.clone()}</a> })}
                                        </td>
                                        <td data-label="Recorded">{e.by.clone()}<br /><span class="meta">{e.at.clone()}</span></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <crate::ui::Pager page pages link=|p| format!("?page={p}#history") />
        </section>
    }
}

#[component]
fn OutcomeTag(outcome: Outcome) -> impl IntoView {
    let tone = match outcome {
        Outcome::Passed => "green",
        Outcome::Failed => "red",
        Outcome::NotApplicable => "unrated",
    };
    super::status_tag(tone, outcome.label())
}

#[component]
fn Retire(id: i64, retired: bool) -> impl IntoView {
    let error = Posted::to(Action::RetireControl.endpoint()).error();
    view! {
        <form method="post" action=Action::RetireControl.endpoint() class="inline-form danger-zone">
            <input type="hidden" name="id" value=id.to_string() />
            <input type="hidden" name="retired" value=(!retired).to_string() />
            <button type="submit" class="button secondary">{if retired { "Put back in force" } else { "Retire the control" }}</button>
            <span class="meta">{if retired { " It counts and alerts again." } else { " Kept with its evidence; it no longer counts or alerts." }}</span>
        </form>
        <FormError error />
    }
}

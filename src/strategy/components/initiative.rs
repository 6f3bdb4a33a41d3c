//! One initiative: its health and why, what it serves, its milestones (added, changed, reached
//! and deleted here), the systems it touches and the expenses booked to it. Whoever sees an
//! initiative may change it: the CTO, or the head of its department.

use super::{HealthBadge, ObjectiveKpis};
use crate::access::{Action, Page};
use crate::strategy::api::initiative_detail;
use crate::strategy::view::{InitiativePage as Data, MilestoneRow};
use crate::platform::query::param_id;
use crate::ui::{posted_error, AskFirst, FormError, LoadError, Posted, ReloadWith, TextField, Title};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn InitiativePage() -> impl IntoView {
    let id = param_id("id");
    let data = Resource::new(move || id, initiative_detail);
    view! {
        <Title text="Initiative" />
        <Suspense fallback=|| view! { <h1>"Initiative"</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => Either::Left(view! { <Detail d /> }),
                    Err(e) => Either::Right(view! { <h1>"Initiative"</h1><LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Detail(d: Data) -> impl IntoView {
    let r = d.row.clone();
    let id = r.id;
    let refused = Signal::stored(posted_error(Action::DeleteInitiative.endpoint()));
    let meta = format!("{} · {} · {} to {}", r.department, r.category, r.starts, r.target);
    view! {
        <Title text=r.title.clone() />
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href=Page::Strategy.path()>"Strategy"</a>" / "<span aria-current="page">{r.title.clone()}</span>
        </nav>
        <div class="page-head">
            <div>
                <h1>{r.title.clone()}</h1>
                <p class="meta">{meta}</p>
                <p class="status-line"><HealthBadge health=r.health status=r.status />" "<span class="why">{r.why.clone()}</span></p>
            </div>
            <div class="page-actions">
                <crate::admin::components::HistoryLink object=format!("initiative:{id}") />
                <a class="button secondary" href=Page::InitiativeEdit.href(&[&id])>"Edit initiative"</a>
                <AskFirst label="Delete" what=format!("the initiative {}", r.title) class="button danger" key="delete-initiative"
                    question=format!("Delete {} with its milestones? Expenses booked to it stay, booked to no initiative.", r.title)
                    confirm="Delete for good" action=Action::DeleteInitiative.endpoint() fields=vec![("id", id.to_string())] />
            </div>
        </div>
        <FormError error=refused />
        <section class="card" aria-labelledby="about-title">
            <h2 id="about-title">"About"</h2>
            {(!d.description.is_empty()).then(|| view! { <p>{d.description.clone()}</p> })}
            <dl class="facts">
                <dt>"Serves"</dt>
                <dd>{match d.objective.clone() {
                    Some((oid, title)) => Either::Left(view! { <a href=format!("{}#objective-{oid}", Page::Strategy.path())>{title}</a> }),
                    None => Either::Right(view! { <span class="muted">"No objective"</span> }),
                }}</dd>
                <dt>"Status"</dt><dd>{r.status.label()}</dd>
                <dt>"Owner"</dt><dd>{r.owner.clone().unwrap_or_else(|| "Nobody named".into())}</dd>
                <dt>"Spent"</dt><dd>{format!("{} of a budget of {}", r.spent, r.budget)}</dd>
                <dt>"Capitalization"</dt><dd>{if d.stage.is_empty() { "Expensed: no development stage".to_string() } else { d.stage.clone() }}</dd>
                <crate::radar::components::OnTheRadar entries=d.radar.clone() />
                <dt>"Systems"</dt>
                <dd>{if d.systems.is_empty() {
                    Either::Left(view! { <span class="muted">"None named"</span> })
                } else {
                    Either::Right(d.systems.iter().map(|(sid, name)| view! { <a class="dep" href=Page::InfraSystem.href(&[sid])>{name.clone()}</a> }).collect_view())
                }}</dd>
            </dl>
        </section>
        {d.objective.is_some().then(|| view! {
            <section class="card" aria-labelledby="kpis-title">
                <h2 id="kpis-title">"The objective's KPIs"</h2>
                <ObjectiveKpis kpis=d.kpis.clone() />
            </section>
        })}
        <Milestones id rows=d.milestones.clone() today=d.today.clone() />
        <section class="card" aria-labelledby="spend-title">
            <h2 id="spend-title">"Expenses booked to it"</h2>
            {if d.expenses.is_empty() {
                Either::Left(view! { <p class="empty">"None yet. Book an expense to this initiative in its form under Budgets → Expenses."</p> })
            } else {
                Either::Right(view! {
                    <div class="table-wrap">
                        <table class="stack">
                            <thead><tr><th scope="col">"Date"</th><th scope="col">"What"</th><th scope="col" class="num">"Amount"</th></tr></thead>
                            <tbody>{d.expenses.iter().map(|(date, what, amount)| view! {
                                <tr><td>{date.clone()}</td><th scope="row">{what.clone()}</th><td class="num" data-label="Amount">{amount.clone()}</td></tr>
                            }).collect_view()}</tbody>
                        </table>
                    </div>
                })
            }}
        </section>
    }
}

#[component]
fn Milestones(id: i64, rows: Vec<MilestoneRow>, today: String) -> impl IntoView {
    let posted = Posted::to(Action::SaveMilestone.endpoint());
    let error = posted.error();
    let refused = Signal::stored(posted_error(Action::DeleteMilestone.endpoint()));
    // "Edit" on a row loads the page with ?edit=<id>: the form below then holds that row.
    let editing: Option<MilestoneRow> = posted.record("edit").parse::<i64>().ok().and_then(|e| rows.iter().find(|m| m.id == e).cloned());
    let v = |name: &str, value: &str| posted.value(name, value);
    let (title, due, done) = editing.as_ref().map(|m| (m.title.clone(), m.due.clone(), m.done.clone().unwrap_or_default())).unwrap_or_default();
    let table = if rows.is_empty() {
        Either::Left(view! { <p class="empty">"No milestones yet. Health counts the ones that are late."</p> })
    } else {
        Either::Right(view! {
            <div class="table-wrap">
                <table class="stack">
                    <thead><tr><th scope="col">"Milestone"</th><th scope="col">"Due"</th><th scope="col">"Reached"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                    <tbody>
                        {rows.iter().cloned().map(|m| {
                            let key = format!("milestone-{}", m.id);
                            let row_id = key.clone();
                            let reached = match (&m.done, m.late_days) {
                                (Some(on), _) => view! { <span>{on.clone()}</span> }.into_any(),
                                (None, Some(days)) => view! { <span class="status status-red"><span class="status-dot" aria-hidden="true"></span>{format!("{days} days late")}</span> }.into_any(),
                                (None, None) => view! { <span class="muted">"Not yet"</span> }.into_any(),
                            };
                            let mark = m.done.is_none().then(|| view! {
                                <form method="post" action=Action::SaveMilestone.endpoint() class="inline-form">
                                    <input type="hidden" name="initiative" value=id.to_string() />
                                    <input type="hidden" name="id" value=m.id.to_string() />
                                    <input type="hidden" name="title" value=m.title.clone() />
                                    <input type="hidden" name="due" value=m.due.clone() />
                                    <input type="hidden" name="done" value=today.clone() />
                                    <button type="submit" class="button small secondary">"Reached today"<span class="visually-hidden">{format!(": {}", m.title)}</span></button>
                                </form>
                            });
                            view! {
                                <tr id=row_id>
                                    <th scope="row">{m.title.clone()}</th>
                                    <td data-label="Due">{m.due.clone()}</td>
                                    <td data-label="Reached">{reached}</td>
                                    <td class="actions">
                                        {mark}
                                        <ReloadWith label="Edit" what=m.title.clone() name="edit" value=m.id.to_string() anchor="milestone-form" />
                                        <AskFirst label="Delete" what=format!("the milestone {}", m.title) question=format!("Delete the milestone {}?", m.title)
                                            confirm="Delete it" key=key action=Action::DeleteMilestone.endpoint() fields=vec![("id", m.id.to_string())] />
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })
    };
    let heading = if editing.is_some() { "Change the milestone" } else { "Add a milestone" };
    let editing_id = editing.as_ref().map(|m| m.id.to_string()).unwrap_or_default();
    let cancel = editing.is_some().then(|| view! { <a class="button secondary" href=crate::platform::query::here_without(&["edit"])>"Cancel"</a> });
    view! {
        <section class="card" id="milestones" aria-labelledby="milestones-title">
            <h2 id="milestones-title">"Milestones"</h2>
            <FormError error=refused />
            {table}
            <h3 id="milestone-form">{heading}</h3>
            <form method="post" action=Action::SaveMilestone.endpoint() novalidate aria-labelledby="milestone-form">
                <input type="hidden" name="initiative" value=id.to_string() />
                <input type="hidden" name="id" value=editing_id />
                <FormError error />
                <div class="form-grid">
                    <TextField label="Milestone" name="title" id_prefix="m-" error maxlength=200 value=v("title", &title) required=true />
                    <TextField label="Due" name="due" kind="date" id_prefix="m-" error value=v("due", &due) required=true />
                    <TextField label="Reached on (empty until then)" name="done" kind="date" id_prefix="m-" error value=v("done", &done) />
                </div>
                <div class="form-actions"><button type="submit" class="button primary">{if editing.is_some() { "Save milestone" } else { "Add milestone" }}</button>{cancel}</div>
            </form>
        </section>
    }
}

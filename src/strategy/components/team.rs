//! A team's page: its roles over time with the form that sets them from a month on, and its
//! time allocation over a fiscal year with the form of one month.

use super::{StrategyTabs, YearPicker};
use crate::access::{Action, Page};
use crate::platform::encode::with_query;
use crate::platform::query::{param, query};
use crate::strategy::api::load_team;
use crate::strategy::view::{RoleSetView, RoleSetting, ShareForm, ShareMonth, TeamPage};
use crate::ui::{id_choices, AskFirst, FormError, LoadError, Posted, SelectField, TextField, Title};
use leptos::either::Either;
use crate::budget::model::Month;
use leptos::prelude::*;

/// Empty role rows the form offers beyond the current roles.
const BLANK_ROLE_ROWS: usize = 2;

#[component]
pub fn TeamDetailPage() -> impl IntoView {
    let (id, year, month) = (param("id"), query("year").get_untracked(), query("month").get_untracked());
    let data = Resource::new(move || (id.clone(), year.clone(), month.clone()), |(i, y, m)| load_team(i, y, m));
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(t) => Either::Left(view! { <Title text=t.name.clone() /><Team t /> }),
                    Err(e) => Either::Right(view! { <Title text="Team" /><h1>"Team"</h1><StrategyTabs /><LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Team(t: TeamPage) -> impl IntoView {
    let href = Page::Team.href(&[&t.id]);
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href=Page::Teams.path()>"Teams and time"</a>" / "<span aria-current="page">{t.name.clone()}</span>
        </nav>
        <div class="page-head">
            <div>
                <h1>{t.name.clone()}</h1>
                <p class="meta">{t.department.clone()}</p>
            </div>
            <div class="page-actions">
                <AskFirst label="Delete team" what=format!("the team {}", t.name) question=format!("Delete {} with its roles and time allocation? Closed months keep their figures.", t.name)
                    confirm="Delete it" key=format!("team-{}", t.id) action=Action::DeleteTeam.endpoint() fields=vec![("id", t.id.to_string())] />
            </div>
        </div>
        {(!t.closed_note.is_empty()).then(|| view! { <p class="alert alert-info">{t.closed_note.clone()}</p> })}
        <section class="card" id="roles" aria-labelledby="roles-title">
            <h2 id="roles-title">"Roles and cost"</h2>
            <RoleHistory history=t.history.clone() />
            <RolesForm team=t.id from=t.from.clone() roles=t.roles.clone() />
        </section>
        <section class="card" id="time" aria-labelledby="time-title">
            <div class="section-head">
                <h2 id="time-title">"Time allocation"</h2>
                <YearPicker years=t.years.clone() year=t.fiscal_year />
            </div>
            <p class="hint">{format!("{}. Each month’s shares add up to 100 %: effort on initiatives, and the rest by the kind of work.", t.fiscal_label)}</p>
            {t.edit.clone().map(|f| view! { <SharesForm team=t.id f back=with_query(&href, &[("year", &t.fiscal_year.to_string())]) /> })}
            <ShareTable team=t.id year=t.fiscal_year columns=t.columns.clone() months=t.months.clone() />
        </section>
        <RenameForm id=t.id name=t.name.clone() department=t.department_id departments=t.departments.clone() />
    }
}

#[component]
fn RoleHistory(history: Vec<RoleSetView>) -> impl IntoView {
    if history.is_empty() {
        return view! { <p class="empty">"No roles yet. Enter them below, from the month they apply."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="stack role-history">
                <caption class="visually-hidden">"The team's roles over time, latest first"</caption>
                <thead><tr><th scope="col">"From"</th><th scope="col">"Roles"</th><th scope="col" class="num">"People"</th><th scope="col" class="num">"Monthly cost"</th></tr></thead>
                <tbody>
                    {history.into_iter().map(|s| view! {
                        <tr>
                            <th scope="row">{s.from}</th>
                            <td data-label="Roles">
                                {if s.roles.is_empty() { Either::Left(view! { <span class="muted">"Nobody"</span> }) } else {
                                    Either::Right(view! { <ul class="plain-list compact">{s.roles.into_iter().map(|r| view! { <li>{format!("{} × {} at {} = {}", r.headcount, r.role, r.cost, r.subtotal)}</li> }).collect_view()}</ul> })
                                }}
                            </td>
                            <td data-label="People" class="num">{s.headcount}</td>
                            <td data-label="Monthly cost" class="num">{s.total}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn RolesForm(team: i64, from: String, roles: Vec<RoleSetting>) -> impl IntoView {
    let posted = Posted::to(Action::SaveTeamRoles.endpoint());
    let error = posted.error();
    let blanks = std::iter::repeat_with(RoleSetting::default).take(BLANK_ROLE_ROWS);
    let rows = roles
        .into_iter()
        .chain(blanks)
        .enumerate()
        .map(|(i, r)| {
            let (rf, hf, cf) = (format!("role[{i}]"), format!("headcount[{i}]"), format!("cost[{i}]"));
            let (rm, hm, cm) = (posted.message(&rf), posted.message(&hf), posted.message(&cf));
            view! {
                <tr>
                    <td data-label="Role">
                        <label class="visually-hidden" for=format!("role-{i}")>{format!("Role {}", i + 1)}</label>
                        <input id=format!("role-{i}") name=rf.clone() value=posted.value(&rf, r.role) maxlength=60 placeholder="Such as Engineer" aria-invalid=move || rm.get().is_some().then_some("true") />
                        <p class="field-error" role="alert">{move || rm.get()}</p>
                    </td>
                    <td data-label="People">
                        <label class="visually-hidden" for=format!("headcount-{i}")>{format!("People in role {}", i + 1)}</label>
                        <input id=format!("headcount-{i}") name=hf.clone() value=posted.value(&hf, r.headcount) inputmode="numeric" size=4 aria-invalid=move || hm.get().is_some().then_some("true") />
                        <p class="field-error" role="alert">{move || hm.get()}</p>
                    </td>
                    <td data-label="Loaded monthly cost per person">
                        <label class="visually-hidden" for=format!("cost-{i}")>{format!("Loaded monthly cost per person in role {}", i + 1)}</label>
                        <input id=format!("cost-{i}") name=cf.clone() value=posted.value(&cf, r.cost) inputmode="decimal" size=10 aria-invalid=move || cm.get().is_some().then_some("true") />
                        <p class="field-error" role="alert">{move || cm.get()}</p>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <form method="post" action=Action::SaveTeamRoles.endpoint() novalidate class="roles-form">
            <h3>"Set the roles from a month on"</h3>
            <input type="hidden" name="team" value=team.to_string() />
            <FormError error />
            <div class="form-grid">
                <TextField label="From" name="from" kind="month" value=posted.value("from", from) error required=true hint="The roles apply from this month until the next change. Clear every row for a team with nobody from then on." />
            </div>
            <div class="table-wrap">
                <table class="stack role-rows">
                    <thead><tr><th scope="col">"Role"</th><th scope="col">"People"</th><th scope="col">"Loaded monthly cost per person"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <div class="form-actions"><button type="submit" class="button primary">"Save roles"</button></div>
        </form>
    }
}

#[component]
fn ShareTable(team: i64, year: i32, columns: Vec<String>, months: Vec<ShareMonth>) -> impl IntoView {
    let labels = columns.clone();
    let href = Page::Team.href(&[&team]);
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Time allocation by month">
            <table class="stack shares">
                <caption class="visually-hidden">"The team's share of effort per month"</caption>
                <thead><tr>
                    <th scope="col">"Month"</th>
                    {columns.into_iter().map(|c| view! { <th scope="col" class="num">{c}</th> }).collect_view()}
                    <th scope="col" class="num">"Team cost"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr></thead>
                <tbody>
                    {months.into_iter().map(|m| {
                        let month = Month::from_code(m.code).iso();
                        let edit = with_query(&href, &[("year", &year.to_string()), ("month", &month)]);
                        let label = m.label.clone();
                        view! {
                            <tr>
                                <th scope="row">{m.label.clone()}</th>
                                {m.cells.into_iter().zip(labels.clone()).map(|(c, l)| view! { <td class="num" data-label=l>{c}</td> }).collect_view()}
                                <td class="num" data-label="Team cost">{m.loaded_cost}</td>
                                <td class="actions">{if m.closed {
                                    Either::Left(view! { <span class="muted">"Closed"</span> })
                                } else {
                                    Either::Right(view! { <a href=format!("{edit}#time") aria-label=format!("Allocate {label}")>{if m.allocated { "Edit" } else { "Allocate" }}</a> })
                                }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn SharesForm(team: i64, f: ShareForm, back: String) -> impl IntoView {
    let posted = Posted::to(Action::SaveTimeAllocation.endpoint());
    let error = posted.error();
    let total = posted.message("total");
    let month = Month::from_code(f.month).iso();
    let rows = f
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let pf = format!("pct[{i}]");
            let m = posted.message(&pf);
            let note = match (o.initiative, o.capitalizable) {
                (true, true) => "Initiative · in its development stage",
                (true, false) => "Initiative",
                (false, _) => "Other work",
            };
            view! {
                <tr>
                    <th scope="row"><label for=format!("share-{i}")>{o.label.clone()}</label><span class="meta">{note}</span></th>
                    <td data-label="Share">
                        <input type="hidden" name=format!("key[{i}]") value=o.key.clone() />
                        <input id=format!("share-{i}") name=pf.clone() value=posted.value(&pf, o.pct.clone()) inputmode="numeric" size=4 aria-invalid=move || m.get().is_some().then_some("true") />" %"
                        <p class="field-error" role="alert">{move || m.get()}</p>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <form method="post" action=Action::SaveTimeAllocation.endpoint() novalidate class="shares-form">
            <h3>{format!("Time in {}", f.label)}</h3>
            <input type="hidden" name="team" value=team.to_string() />
            <input type="hidden" name="month" value=month />
            <FormError error />
            <div class="table-wrap">
                <table class="stack share-rows">
                    <thead><tr><th scope="col">"Work"</th><th scope="col">"Share of the team’s effort"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p class="field-error" role="alert">{move || total.get()}</p>
            <div class="form-actions">
                <button type="submit" class="button primary">"Save time"</button>
                <a class="button secondary" href=back>"Cancel"</a>
            </div>
        </form>
    }
}

#[component]
fn RenameForm(id: i64, name: String, department: i64, departments: Vec<(i64, String)>) -> impl IntoView {
    let posted = Posted::to(Action::SaveTeam.endpoint());
    let error = posted.error();
    view! {
        <section class="card" id="team-settings" aria-labelledby="team-settings-title">
            <h2 id="team-settings-title">"Name and department"</h2>
            <form method="post" action=Action::SaveTeam.endpoint() novalidate>
                <input type="hidden" name="id" value=id.to_string() />
                <FormError error />
                <div class="form-grid">
                    <TextField label="Team" name="name" value=posted.value("name", name) error required=true maxlength=80 />
                    <SelectField label="Department" name="department" options=id_choices(None, &departments) selected=posted.value("department", department.to_string()) error />
                </div>
                <div class="form-actions"><button type="submit" class="button primary">"Save team"</button></div>
            </form>
        </section>
    }
}

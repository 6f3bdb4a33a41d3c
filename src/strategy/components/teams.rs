//! Teams and time: every team the reader sees with its headcount, this month's cost and where
//! its time goes, and the form that adds a team.

use super::StrategyTabs;
use crate::access::{Action, Page};
use crate::strategy::api::load_teams;
use crate::strategy::view::TeamsView;
use crate::ui::{id_choices, FormError, LoadError, Posted, SelectField, TextField, Title};
use leptos::either::Either;
use leptos::prelude::*;

const TITLE: &str = "Teams and time";

#[component]
pub fn TeamsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_teams());
    view! {
        <Title text=TITLE />
        <Suspense fallback=|| view! { <h1>{TITLE}</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(t) => Either::Left(view! { <Teams t /> }),
                    Err(e) => Either::Right(view! { <h1>{TITLE}</h1><StrategyTabs /><LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Teams(t: TeamsView) -> impl IntoView {
    let summary = format!("{} · {} people · {} a month", t.month, t.headcount, t.monthly_cost);
    view! {
        <div class="page-head">
            <div>
                <h1>{TITLE}</h1>
                <p class="meta">{summary}</p>
            </div>
            {t.can_capitalize.then(|| view! { <div class="page-actions"><a class="button secondary" href=Page::Capitalization.path()>"Capitalization report"</a></div> })}
        </div>
        <StrategyTabs />
        <section class="card" aria-labelledby="teams-title">
            <h2 id="teams-title">"Teams"</h2>
            <p class="hint">"A team’s cost is each role’s headcount times one person’s loaded monthly cost (salary, taxes and benefits). Its time allocation says which initiatives and which other work that cost went to."</p>
            {if t.teams.is_empty() {
                Either::Left(view! { <p class="empty">"No teams yet. Add one below, then enter its roles and its time."</p> })
            } else {
                Either::Right(view! {
                    <div class="table-wrap">
                        <table class="stack teams">
                            <thead><tr>
                                <th scope="col">"Team"</th><th scope="col">"Department"</th><th scope="col">"Roles"</th>
                                <th scope="col" class="num">"People"</th><th scope="col" class="num">"Cost this month"</th><th scope="col">"Time this month"</th>
                            </tr></thead>
                            <tbody>
                                {t.teams.into_iter().map(|r| view! {
                                    <tr>
                                        <th scope="row"><a href=Page::Team.href(&[&r.id])>{r.name}</a></th>
                                        <td data-label="Department">{r.department}</td>
                                        <td data-label="Roles">{if r.roles.is_empty() { "No roles yet".to_string() } else { r.roles }}</td>
                                        <td data-label="People" class="num">{r.headcount}</td>
                                        <td data-label="Cost this month" class="num">{r.monthly_cost}</td>
                                        <td data-label="Time this month">{if r.allocation.is_empty() { view! { <span class="muted">"Not allocated"</span> }.into_any() } else { r.allocation.into_any() }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                })
            }}
        </section>
        <section class="card" id="time-import" aria-labelledby="time-import-title">
            <h2 id="time-import-title">"Import time allocation"</h2>
            {super::time_import(t.own_department)}
        </section>
        <NewTeam departments=t.departments />
    }
}

#[component]
fn NewTeam(departments: Vec<(i64, String)>) -> impl IntoView {
    let posted = Posted::to(Action::SaveTeam.endpoint());
    let error = posted.error();
    let first = (departments.len() > 1).then_some("Choose…");
    let only = if departments.len() == 1 { departments[0].0.to_string() } else { String::new() };
    view! {
        <section class="card" id="new-team" aria-labelledby="new-team-title">
            <h2 id="new-team-title">"Add a team"</h2>
            <form method="post" action=Action::SaveTeam.endpoint() novalidate>
                <input type="hidden" name="id" value="" />
                <FormError error />
                <div class="form-grid">
                    <TextField label="Team" name="name" value=posted.value("name", "") error required=true maxlength=80 hint="Such as “Payments squad”." />
                    <SelectField label="Department" name="department" options=id_choices(first, &departments) selected=posted.value("department", &only) error />
                </div>
                <div class="form-actions"><button type="submit" class="button primary">"Add team"</button></div>
            </form>
        </section>
    }
}

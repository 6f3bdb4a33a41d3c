//! The control register: where the controls stand, by framework, the controls themselves most
//! urgent first, and for the CTO the starter set and a new control.

use super::control_form::ControlForm;
use super::SecurityTabs;
use crate::access::{Action, Page};
use crate::assurance::api::load_controls;
use crate::assurance::model::Standing;
use crate::assurance::view::{ControlLine, ControlsPage, ControlsQuery, FrameworkLine};
use crate::platform::query::{query, with_query};
use crate::ui::{FilterSelect, FormError, LoadError, Posted, Title};
use leptos::prelude::*;

#[component]
pub fn ControlsRegisterPage() -> impl IntoView {
    let keys = ["framework", "standing", "department"].map(query);
    let read = move |untracked: bool| {
        let v = |i: usize| if untracked { keys[i].get_untracked() } else { keys[i].get() };
        ControlsQuery { framework: v(0), standing: v(1), department: v(2) }
    };
    let data = Resource::new(move || read(false), load_controls);
    view! {
        <Title text="Controls" />
        <div class="page-head">
            <div>
                <h1>"Controls"</h1>
                <p class="meta">"The controls the company performs to stay secure, each with its owner, how often it is done and the evidence of each time."</p>
            </div>
        </div>
        <SecurityTabs />
        <Transition fallback=|| view! { <p class="loading">"Loading controls…"</p> }>
            {move || Suspend::new(async move {
                let q = read(true);
                match data.await {
                    Ok(c) => view! { <Body c q /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Body(c: ControlsPage, q: ControlsQuery) -> impl IntoView {
    let total: i64 = c.counts.0.iter().sum();
    let standings: Vec<(String, String)> = std::iter::once((String::new(), "Any standing".to_string())).chain(Standing::choices()).collect();
    let frameworks: Vec<(String, String)> = std::iter::once((String::new(), "Every framework".to_string())).chain(c.frameworks.iter().map(|f| (f.key.clone(), f.name.clone()))).collect();
    let mut departments: Vec<(String, String)> = vec![(String::new(), "Every department".to_string())];
    if c.editor.is_some() {
        departments.push(("none".into(), "Company-wide (the CTO’s)".into()));
    }
    departments.extend(c.departments.iter().map(|(id, n)| (id.to_string(), n.clone())));
    let link = {
        let q = q.clone();
        move |standing: Standing| with_query(Page::Controls.path(), &[("framework", &q.framework), ("department", &q.department), ("standing", standing.as_str())])
    };
    let shown = c.controls.len();
    view! {
        {(!c.scope.is_empty()).then(|| view! { <p class="hint">{c.scope.clone()}</p> })}
        {(c.starter_missing > 0).then(|| view! { <Starters missing=c.starter_missing empty=total == 0 /> })}
        {(total > 0).then(|| view! {
            <section class="card" aria-labelledby="standing-title">
                <h2 id="standing-title">"Where the controls stand"</h2>
                <ul class="status-summary" aria-label="Controls by standing">
                    {Standing::ALL.iter().map(|s| {
                        let n = c.counts.of(*s);
                        view! { <li><a href=link(*s) aria-label=format!("{n} {}", s.label().to_lowercase())><StandingTag standing=*s />" "<strong>{n.to_string()}</strong></a></li> }
                    }).collect_view()}
                </ul>
                <Frameworks lines=c.frameworks.clone() />
            </section>
        })}
        <section class="card" id="register" aria-labelledby="register-title">
            <h2 id="register-title">"Register"</h2>
            <form method="GET" action="" class="filters" aria-label="Filter controls">
                <FilterSelect label="Framework" id="f-framework" name="framework" options=frameworks selected=q.framework.clone() />
                <FilterSelect label="Standing" id="f-standing" name="standing" options=standings selected=q.standing.clone() />
                <FilterSelect label="Department" id="f-department" name="department" options=departments selected=q.department.clone() />
                <button type="submit" class="button secondary">"Show"</button>
            </form>
            <p class="result-count">{crate::ui::plural(shown as u64, "control", "controls")}{(c.retired > 0).then(|| format!(" ({} retired, not shown)", c.retired))}</p>
            <Register rows=c.controls.clone() />
        </section>
        {c.editor.clone().map(|e| view! {
            <details class="create" id="new-control" open=Posted::to(Action::SaveControl.endpoint()).came_back()>
                <summary class="button primary">"New control"</summary>
                <div class="card"><ControlForm e /></div>
            </details>
        })}
    }
}

#[component]
fn Starters(missing: usize, empty: bool) -> impl IntoView {
    let error = Posted::to(Action::AdoptControls.endpoint()).error();
    let said = if empty {
        format!("The register is empty. Start from Northstar’s {missing} common controls (access review, backups and restore tests, vulnerability scanning, security training, incident response tests, encryption and more), each mapped to ISO/IEC 27001:2022 Annex A and SOC 2; change or retire any of them afterwards.")
    } else {
        format!("{} of Northstar’s starter controls are not in the register.", missing)
    };
    view! {
        <section class="card" aria-labelledby="starter-title">
            <h2 id="starter-title">"Starter controls"</h2>
            <p>{said}</p>
            <form method="post" action=Action::AdoptControls.endpoint() class="inline-form">
                <button type="submit" class="button primary">{format!("Adopt {}", crate::ui::plural(missing as u64, "starter control", "starter controls"))}</button>
            </form>
            <FormError error />
        </section>
    }
}

#[component]
pub(super) fn Frameworks(lines: Vec<FrameworkLine>) -> impl IntoView {
    let shown = [Standing::Passing, Standing::Due, Standing::Overdue, Standing::Failing, Standing::Pending];
    view! {
        <div class="table-wrap">
            <table class="stack">
                <caption class="visually-hidden">"Controls by framework"</caption>
                <thead><tr>
                    <th scope="col">"Framework"</th><th scope="col" class="num">"Ids covered"</th>
                    {shown.iter().map(|s| view! { <th scope="col" class="num">{s.label()}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {lines.into_iter().map(|f| view! {
                        <tr>
                            <th scope="row"><a href=with_query(Page::Controls.path(), &[("framework", &f.key)])>{f.name.clone()}</a></th>
                            <td class="num" data-label="Ids covered">{f.ids.to_string()}</td>
                            {shown.iter().map(|s| {
                                let n = f.counts.of(*s);
                                let late = n > 0 && matches!(s, Standing::Overdue | Standing::Failing);
                                view! { <td class={if late { "num late" } else { "num" }} data-label=s.label()>{n.to_string()}</td> }
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Register(rows: Vec<ControlLine>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"No control matches."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="stack controls">
                <thead><tr>
                    <th scope="col">"Control"</th><th scope="col">"Standing"</th><th scope="col">"Owner"</th><th scope="col">"Department"</th>
                    <th scope="col">"How often"</th><th scope="col">"Last performed"</th><th scope="col">"Due"</th><th scope="col">"Frameworks"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|c| view! {
                        <tr class:late=matches!(c.standing, Standing::Overdue | Standing::Failing)>
                            <th scope="row"><a href=Page::Control.href(&[&c.id])><span class="code">{c.code.clone()}</span>" "{c.title.clone()}</a></th>
                            <td data-label="Standing"><StandingTag standing=c.standing /></td>
                            <td data-label="Owner">{c.owner.clone().unwrap_or_else(|| "Nobody named".into())}</td>
                            <td data-label="Department">{c.department.clone().unwrap_or_else(|| "Company-wide".into())}</td>
                            <td data-label="How often">{c.frequency.label()}{c.automatic.then_some(" · automatic")}</td>
                            <td data-label="Last performed">{c.last_on.clone().unwrap_or_else(|| "Never".into())}</td>
                            <td data-label="Due">{c.due_on.clone()}</td>
                            <td data-label="Frameworks" class="mapped">{c.mapped.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A control's standing in words, colour and shape.
#[component]
pub fn StandingTag(standing: Standing) -> impl IntoView {
    let tone = match standing {
        Standing::Overdue | Standing::Failing => "red",
        Standing::Due => "amber",
        Standing::Passing => "green",
        Standing::Pending | Standing::NotApplicable => "unrated",
    };
    super::status_tag(tone, standing.label())
}

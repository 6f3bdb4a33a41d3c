//! Every incident, whoever opened it (the monitor, a person or the API), with response
//! figures per month; the CTO can open one by hand.

use crate::access::Action;
use super::system::IncidentTable;
use super::InfraTabs;
use crate::infra::api::list_incidents;
use crate::kpi::model::Severity;
use crate::infra::view::{IncidentList, IncidentQuery};
use crate::platform::query::query;
use crate::ui::{FilterSelect, FormError, LoadError, Posted, SelectField, TextArea, TextField};
use leptos::prelude::*;
use crate::ui::Title;

#[component]
pub fn IncidentsPage() -> impl IntoView {
    let (state, system, days) = (query("state"), query("system"), query("days"));
    let data = Resource::new(
        move || IncidentQuery { state: state.get(), system: system.get(), days: days.get() },
        list_incidents,
    );
    view! {
        <Title text="Incidents" />
        <Transition fallback=|| view! { <h1>"Incidents"</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(l) => view! { <List l q=IncidentQuery { state: state.get_untracked(), system: system.get_untracked(), days: days.get_untracked() } /> }.into_any(),
                    Err(e) => view! { <h1>"Incidents"</h1><LoadError error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn List(l: IncidentList, q: IncidentQuery) -> impl IntoView {
    let systems = crate::ui::id_choices(Some("All systems"), &l.systems);
    let states = vec![(String::new(), "Open and resolved".to_string()), ("open".into(), "Open".into()), ("resolved".into(), "Resolved".into())];
    let periods = vec![("30".to_string(), "30 days".to_string()), (String::new(), "90 days".to_string()), ("365".into(), "A year".into())];
    let s = l.summary.clone();
    view! {
        <div class="page-head">
            <div>
                <h1>"Incidents"</h1>
                <p class="meta">"Opened by the monitor when a system goes down, by hand, or through the API; the DORA metrics use the same incidents."</p>
            </div>
        </div>
        <InfraTabs />
        <section class="tiles" aria-label="Response figures">
            <div class="tile"><p class="tile-label">{format!("Incidents, {}", s.period.to_lowercase())}</p><p class="tile-value">{s.incidents}</p></div>
            <div class="tile"><p class="tile-label">"Mean time to acknowledge"</p><p class="tile-value">{s.mtta.clone()}</p></div>
            <div class="tile"><p class="tile-label">"Mean time to resolve"</p><p class="tile-value">{s.mttr.clone()}</p></div>
        </section>
        <form method="GET" action="" class="filters" aria-label="Filter incidents">
            <FilterSelect label="State" id="f-state" name="state" options=states selected=q.state.clone() />
            <FilterSelect label="System" id="f-system" name="system" options=systems selected=q.system.clone() />
            <FilterSelect label="Started in the last" id="f-days" name="days" options=periods selected=q.days.clone() />
            <button type="submit" class="button secondary">"Show"</button>
        </form>
        <section class="card" aria-labelledby="list-title">
            <h2 id="list-title">{crate::ui::plural(l.total as u64, "incident", "incidents")}</h2>
            <IncidentTable rows=l.rows.clone() empty="No incidents match." />
        </section>
        <section class="card" aria-labelledby="months-title">
            <h2 id="months-title">"MTTA and MTTR by month"</h2>
            <div class="table-wrap">
                <table>
                    <thead><tr><th scope="col">"Month"</th><th scope="col" class="num">"Incidents"</th><th scope="col" class="num">"MTTA"</th><th scope="col" class="num">"MTTR"</th></tr></thead>
                    <tbody>{l.by_month.iter().map(|r| view! { <tr><th scope="row">{r.period.clone()}</th><td class="num">{r.incidents}</td><td class="num">{r.mtta.clone()}</td><td class="num">{r.mttr.clone()}</td></tr> }).collect_view()}</tbody>
                </table>
            </div>
            <p class="hint">"Over incidents that started in the month: MTTA from start to acknowledgement, MTTR from start to resolution."</p>
        </section>
        {l.can_open.then(|| view! { <OpenForm systems=l.systems.clone() /> })}
    }
}

/// The CTO's form to open an incident by hand; a plain form leading to the new incident.
#[component]
fn OpenForm(systems: Vec<(i64, String)>) -> impl IntoView {
    let posted = Posted::to(Action::OpenIncident.endpoint());
    let error = posted.error();
    let options: Vec<(String, String)> = std::iter::once((String::new(), "Choose…".to_string())).chain(systems.into_iter().map(|(id, n)| (id.to_string(), n))).collect();
    let severities: Vec<(String, String)> = Severity::choices().collect();
    view! {
        <section class="card" aria-labelledby="open-form-title">
            <h2 id="open-form-title">"Open an incident"</h2>
            <form method="post" action=Action::OpenIncident.endpoint() novalidate aria-labelledby="open-form-title">
                <FormError error />
                <div class="form-grid">
                    <SelectField label="System" name="system" id_prefix="o-" options selected=posted.value("system", "") error />
                    <SelectField label="Severity" name="severity" id_prefix="o-" options=severities selected=posted.value("severity", Severity::Sev3.as_str()) error />
                    <TextField label="Title" name="title" id_prefix="o-" error maxlength=200 value=posted.value("title", "") />
                    <TextField label="Started (UTC, empty for now)" name="started" kind="datetime-local" id_prefix="o-" error value=posted.value("started", "") />
                </div>
                <TextArea label="What is known" name="body" error rows=3 maxlength=4000 value=posted.value("body", "") />
                <div class="form-actions"><button type="submit" class="button primary">"Open incident"</button></div>
            </form>
        </section>
    }
}

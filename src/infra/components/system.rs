//! One system: status, uptime against its SLO over four periods, response time and uptime
//! charts, its checks, maintenance windows, incidents and status history.

use crate::access::{Action, Page};
use super::checks::{Checks, ManualStatus};
use super::maintenance::Maintenance;
use super::{InfraTabs, SystemStatus};
use crate::infra::api::load_system;
use crate::infra::model::Status;
use crate::infra::view::{IncidentRow, SystemDetail};
use crate::platform::query::{param_id, query, with_query};
use crate::ui::chart::ChartBlock;
use crate::ui::{posted_error, AskFirst, AutoRefresh, FormError, LoadError, Title};
use leptos::either::Either;
use leptos::prelude::*;

/// The server's page: every change is a plain form that loads it again, saying what changed.
#[component]
pub fn SystemPage() -> impl IntoView {
    let (id, range) = (param_id("id"), query("range").get_untracked());
    let data = Resource::new(move || (id, range.clone()), |(id, range)| load_system(id, range));
    view! {
        <Title text="System" />
        <Suspense fallback=|| view! { <h1>"System"</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(s) => Either::Left(view! { <Detail s /> }),
                    Err(e) => Either::Right(view! { <h1>"System"</h1><LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Detail(s: SystemDetail) -> impl IntoView {
    let id = s.id;
    // A check that has not answered yet is worth watching: the page looks again every 2 seconds.
    let watching = s.checks.iter().any(|c| c.enabled && c.state == Status::Unknown);
    let refused = Signal::stored(posted_error(Action::DeleteSystem.endpoint()));
    let base = Page::InfraSystem.href(&[&id]);
    let meta = format!(
        "{} · tier {} · {} · SLO {}",
        s.kind,
        s.tier,
        s.department.clone().unwrap_or_else(|| "Company-wide".into()),
        s.slo
    );
    view! {
        <Title text=s.name.clone() />
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href="/infrastructure">"Infrastructure"</a>" / "<span aria-current="page">{s.name.clone()}</span>
        </nav>
        <div class="page-head">
            <div>
                <h1>{s.name.clone()}</h1>
                <p class="meta">{meta}</p>
                <p class="status-line"><SystemStatus status=s.status /><span class="muted">{format!(" since {}", s.since)}</span></p>
            </div>
            {s.can_edit.then(|| view! {
                <div class="page-actions">
                    <crate::admin::components::HistoryLink object=format!("system:{id}") />
                    <a class="button secondary" href=format!("{base}/edit")>"Edit system"</a>
                    <AskFirst label="Delete" what=format!("the system {}", s.name) class="button danger"
                        question=format!("Delete {} with its checks, results, history and maintenance windows? Its incidents stay, unlinked.", s.name)
                        confirm="Delete for good" key="delete-system" action=Action::DeleteSystem.endpoint() fields=vec![("id", id.to_string())] />
                </div>
            })}
        </div>
        <InfraTabs />
        {watching.then(|| view! { <AutoRefresh seconds=2 /> })}
        <FormError error=refused />
        {(!s.description.is_empty() || !s.links.is_empty() || !s.depends_on.is_empty() || !s.used_by.is_empty() || !s.radar.is_empty()).then(|| view! { <About s=s.clone() /> })}
        <section class="card" aria-labelledby="uptime-title">
            <h2 id="uptime-title">"Uptime against the SLO"</h2>
            <div class="table-wrap">
                <table class="stack slo-table">
                    <thead><tr><th scope="col">"Period"</th><th scope="col" class="num">"Uptime"</th><th scope="col" class="num">"Unplanned downtime"</th><th scope="col" class="num">"Error budget used"</th><th scope="col">"SLO"</th></tr></thead>
                    <tbody>
                        {s.uptime.iter().map(|u| view! {
                            <tr>
                                <th scope="row">{u.period.clone()}</th>
                                <td class="num" data-label="Uptime">{u.uptime.clone()}</td>
                                <td class="num" data-label="Unplanned downtime">{u.downtime.clone()}</td>
                                <td class="num" data-label="Error budget used">{u.budget_used.clone()}</td>
                                <td data-label="SLO">{match u.meets_slo { Some(true) => view! { <span class="status sys-operational"><span class="status-dot" aria-hidden="true"></span>"Met"</span> }.into_any(), Some(false) => view! { <span class="status sys-down"><span class="status-dot" aria-hidden="true"></span>"Missed"</span> }.into_any(), None => view! { <span class="muted">"No data"</span> }.into_any() }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="hint">"Uptime = (available time − unplanned downtime) ÷ available time, where available time leaves out maintenance windows and any time before the system was watched."</p>
        </section>
        <section class="card" aria-labelledby="charts-title">
            <div class="section-head">
                <h2 id="charts-title">"Response time"</h2>
                <nav class="segmented" aria-label="Chart range">
                    <span class="segmented-label">"Range"</span>
                    {crate::infra::view::RANGES.iter().map(|(value, label)| view! {
                        <a href=with_query(&base, &[("range", value)]) aria-current=(s.range == *value).then_some("true")>{*label}</a>
                    }).collect_view()}
                </nav>
            </div>
            <ChartBlock chart=s.response_chart.clone() heading="Average response time, with downtime shaded" legend=vec![("solid", "Response time".to_string()), ("incident", "Down".to_string())] />
            <ChartBlock chart=s.uptime_chart.clone() heading="Uptime per day, last 90 days" legend=vec![("target", format!("SLO {}", s.slo))] />
        </section>
        {s.cost.clone().map(|c| view! { <Cost c /> })}
        {s.findings.clone().map(|f| view! { <crate::assurance::components::SystemFindingsCard f system=id /> })}
        {s.protection.clone().map(|p| view! { <crate::assurance::components::SystemProtectionCard p system=id /> })}
        {s.quality.clone().map(|q| view! { <crate::assurance::components::SystemQualityCard q system=id /> })}
        <Checks s=s.clone() />
        {(!s.checks.iter().any(|c| c.enabled)).then(|| view! { <ManualStatus s=s.clone() /> })}
        <Maintenance s=s.clone() />
        <section class="card" aria-labelledby="incidents-title">
            <h2 id="incidents-title">"Incidents"</h2>
            <IncidentTable rows=s.incidents.clone() empty="No incidents for this system." />
        </section>
        <crate::feedback::components::FeedbackAbout about="system" target=id />

        <section class="card" aria-labelledby="history-title">
            <h2 id="history-title">"Status history"</h2>
            {if s.history.is_empty() {
                view! { <p class="empty">"No status changes yet."</p> }.into_any()
            } else {
                view! {
                    <ol class="timeline">
                        {s.history.iter().map(|h| view! {
                            <li><span class="muted">{h.at.clone()}</span>" "<SystemStatus status=h.status />{(!h.reason.is_empty()).then(|| format!(" · {}", h.reason))}</li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn About(s: SystemDetail) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="about-title">
            <h2 id="about-title">"About"</h2>
            {(!s.description.is_empty()).then(|| view! { <p>{s.description.clone()}</p> })}
            <dl class="facts">
                {(!s.depends_on.is_empty()).then(|| view! {
                    <dt>"Depends on"</dt>
                    <dd>{s.depends_on.iter().map(|d| view! { <span class="dep"><a href=Page::InfraSystem.href(&[&d.id])>{d.name.clone()}</a>" "<SystemStatus status=d.status /></span> }).collect_view()}</dd>
                })}
                {(!s.used_by.is_empty()).then(|| view! {
                    <dt>"Used by"</dt>
                    <dd>{s.used_by.iter().map(|d| view! { <span class="dep"><a href=Page::InfraSystem.href(&[&d.id])>{d.name.clone()}</a></span> }).collect_view()}</dd>
                })}
                <crate::radar::components::OnTheRadar entries=s.radar.clone() />
                {(!s.links.is_empty()).then(|| view! {
                    <dt>"Links"</dt>
                    <dd>{s.links.iter().map(|l| view! { <a class="dep" href=l.clone() rel="noopener noreferrer">{l.clone()}</a> }).collect_view()}</dd>
                })}
            </dl>
        </section>
    }
}

/// Incidents as a table; shared with the incident list.
#[component]
pub fn IncidentTable(rows: Vec<IncidentRow>, empty: &'static str) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="stack">
                <thead><tr><th scope="col">"Incident"</th><th scope="col">"System"</th><th scope="col">"Severity"</th><th scope="col">"Started"</th><th scope="col">"Duration"</th><th scope="col">"State"</th><th scope="col">"Opened by"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|i| {
                        let state = if i.resolved.is_some() { "Resolved" } else if i.acknowledged.is_some() { "Acknowledged" } else { "Open" };
                        view! {
                            <tr class:open-incident=i.open>
                                <th scope="row"><a href=Page::InfraIncident.href(&[&i.id])>{i.title.clone()}</a></th>
                                <td data-label="System">{match i.system_id { Some(sid) => view! { <a href=Page::InfraSystem.href(&[&sid])>{i.system.clone()}</a> }.into_any(), None => view! { <span>{i.system.clone()}</span> }.into_any() }}</td>
                                <td data-label="Severity"><span class=format!("sev sev-{}", i.severity.as_str())>{i.severity.label()}</span></td>
                                <td data-label="Started">{i.started.clone()}</td>
                                <td data-label="Duration">{i.duration.clone()}</td>
                                <td data-label="State">{state}</td>
                                <td data-label="Opened by">{i.opened_by.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// What the system costs a month: cloud, contracts and people time, latest month first.
#[component]
fn Cost(c: crate::strategy::view::SystemCost) -> impl IntoView {
    let row = |m: crate::strategy::view::SystemCostMonth, total: bool| view! {
        <tr class:total=total>
            <th scope="row">{m.month}</th>
            <td class="num" data-label="Cloud">{m.cloud}</td>
            <td class="num" data-label="Contracts">{m.contracts}</td>
            <td class="num" data-label="People">{m.people}</td>
            <td class="num" data-label="Total">{m.total}</td>
        </tr>
    };
    view! {
        <section class="card" id="cost" aria-labelledby="cost-title">
            <h2 id="cost-title">"Cost"</h2>
            <p class="hint">{format!("Cloud: the mapped effective cost of the FOCUS imports. Contracts: those that pay for this system, by the days they run. {}", c.people_note)}</p>
            <div class="table-wrap">
                <table class="stack">
                    <caption class="visually-hidden">"Cost of this system per month"</caption>
                    <thead><tr><th scope="col">"Month"</th><th scope="col" class="num">"Cloud"</th><th scope="col" class="num">"Contracts"</th><th scope="col" class="num">"People"</th><th scope="col" class="num">"Total"</th></tr></thead>
                    <tbody>
                        {c.months.into_iter().map(|m| row(m, false)).collect_view()}
                        {row(c.total, true)}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

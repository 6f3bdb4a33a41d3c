//! The vulnerabilities page: the remediation SLA by severity, open findings by age, the
//! findings the filters ask for, imports, and (for the CTO) the deadlines themselves.

use super::{findings_import, FindingTable};
use crate::access::{Action, Page};
use crate::assurance::api::load_vulnerabilities;
use crate::assurance::model::Severity;
use crate::assurance::view::{FindingsQuery, ImportLine, SeverityLine, Vulnerabilities};
use crate::platform::query::{query, with_query};
use crate::ui::{FilterSelect, FormError, LoadError, Posted, TextField, Title};
use leptos::prelude::*;

#[component]
pub fn VulnerabilitiesPage() -> impl IntoView {
    let keys = ["system", "severity", "state", "page"].map(query);
    let read = move |untracked: bool| {
        let v = |i: usize| if untracked { keys[i].get_untracked() } else { keys[i].get() };
        FindingsQuery { system: v(0), severity: v(1), state: v(2), page: v(3) }
    };
    let data = Resource::new(move || read(false), load_vulnerabilities);
    view! {
        <Title text="Vulnerabilities" />
        <div class="page-head">
            <div>
                <h1>"Vulnerabilities"</h1>
                <p class="meta">"Findings on each system from scanners (SARIF), files and the API, each held to the deadline of its severity from the day it was first seen."</p>
            </div>
        </div>
        <super::SecurityTabs />
        <Transition fallback=|| view! { <p class="loading">"Loading findings…"</p> }>
            {move || Suspend::new(async move {
                let q = read(true);
                match data.await {
                    Ok(v) => view! { <Body v q /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Body(v: Vulnerabilities, q: FindingsQuery) -> impl IntoView {
    let link = {
        let q = q.clone();
        move |page: i64| with_query(Page::Vulnerabilities.path(), &[("system", &q.system), ("severity", &q.severity), ("state", &q.state), ("page", &page.to_string())])
    };
    let systems: Vec<(String, String)> = std::iter::once((String::new(), "Every system".to_string())).chain(v.systems.iter().map(|s| (s.id.to_string(), s.name.clone()))).collect();
    let severities: Vec<(String, String)> =
        std::iter::once((String::new(), "Any severity".to_string())).chain(Severity::ALL.iter().map(|s| (s.as_str().to_string(), s.label().to_string()))).collect();
    let states = [("open", "Open"), ("breached", "Past the deadline"), ("fixed", "Fixed"), ("all", "All")].map(|(v, l)| (v.to_string(), l.to_string())).to_vec();
    let state = if q.state.is_empty() { "open".to_string() } else { q.state.clone() };
    let chosen = v.systems.iter().find(|s| s.id.to_string() == q.system);
    let only = chosen.map(|s| s.name.clone());
    let chosen = chosen.map(|s| s.id);
    view! {
        {(!v.scope.is_empty()).then(|| view! { <p class="hint">{v.scope.clone()}</p> })}
        <Sla lines=v.severities.clone() kept=v.kept.clone() can_keep=v.can_configure only />
        <section class="card" aria-labelledby="ages-title">
            <h2 id="ages-title">"Open findings by age"</h2>
            <div class="table-wrap">
                <table class="stack">
                    <thead><tr><th scope="col">"Open for"</th>{Severity::ALL.iter().map(|s| view! { <th scope="col" class="num">{s.label()}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {v.ages.iter().map(|a| view! {
                            <tr>
                                <th scope="row">{a.label.clone()}</th>
                                {a.counts.iter().zip(Severity::ALL).map(|(n, s)| view! { <td class="num" data-label=s.label()>{n.to_string()}</td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="card" id="findings" aria-labelledby="findings-title">
            <h2 id="findings-title">"Findings"</h2>
            <form method="GET" action="" class="filters" aria-label="Filter findings">
                <FilterSelect label="System" id="f-system" name="system" options=systems selected=q.system.clone() />
                <FilterSelect label="Severity" id="f-severity" name="severity" options=severities selected=q.severity.clone() />
                <FilterSelect label="State" id="f-state" name="state" options=states selected=state />
                <button type="submit" class="button secondary">"Show"</button>
            </form>
            <p class="result-count">{crate::ui::plural(v.matched.max(0) as u64, "finding", "findings")}</p>
            <FindingTable rows=v.findings.clone() empty="No finding matches." with_system=true />
            <crate::ui::Pager page=v.page pages=v.pages link />
        </section>
        {(!v.systems.is_empty()).then(|| view! {
            <section class="card" id="import" aria-labelledby="import-title">
                <h2 id="import-title">"Import findings"</h2>
                {findings_import(chosen, v.systems.clone())}
            </section>
        })}
        <Imports rows=v.imports.clone() />
        {v.can_configure.then(|| view! { <Deadlines lines=v.severities.clone() /> })}
    }
}

#[component]
fn Sla(lines: Vec<SeverityLine>, kept: Vec<crate::assurance::view::KeptKpi>, can_keep: bool, only: Option<String>) -> impl IntoView {
    let error = Posted::to(Action::KeepSecurityKpis.endpoint()).error();
    let keep = can_keep && kept.len() < 2;
    view! {
        <section class="card" id="sla" aria-labelledby="sla-title">
            <h2 id="sla-title">"Remediation SLA"</h2>
            {only.map(|name| view! { <p class="meta">{format!("Figures for {name} alone, as the filter below asks.")}</p> })}
            <div class="table-wrap">
                <table class="stack">
                    <thead><tr>
                        <th scope="col">"Severity"</th><th scope="col" class="num">"Deadline"</th><th scope="col" class="num">"Open"</th>
                        <th scope="col" class="num">"Past the deadline"</th><th scope="col" class="num">"Due within a week"</th>
                        <th scope="col" class="num">"Fixed, last 12 months"</th><th scope="col" class="num">"Mean time to fix"</th><th scope="col" class="num">"Fixed by the deadline"</th>
                    </tr></thead>
                    <tbody>
                        {lines.into_iter().map(|l| view! {
                            <tr>
                                <th scope="row"><SeverityTag severity=l.severity /></th>
                                <td class="num" data-label="Deadline">{crate::ui::plural(u64::from(l.days), "day", "days")}</td>
                                <td class="num" data-label="Open">{l.open.to_string()}</td>
                                <td class={if l.breached > 0 { "num late" } else { "num" }} data-label="Past the deadline">{l.breached.to_string()}</td>
                                <td class="num" data-label="Due within a week">{l.due_soon.to_string()}</td>
                                <td class="num" data-label="Fixed, last 12 months">{l.fixed.to_string()}</td>
                                <td class="num" data-label="Mean time to fix">{l.mean_to_fix.clone().unwrap_or_else(|| "—".into())}</td>
                                <td class="num" data-label="Fixed by the deadline">{l.within_sla.clone().unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {(!kept.is_empty()).then(|| view! {
                <p>"Kept as KPIs: "
                    {kept.into_iter().enumerate().map(|(n, k)| view! { {(n > 0).then_some(" · ")}<a href=Page::KpiDetail.href(&[&k.key])>{k.name}</a> }).collect_view()}
                </p>
            })}
            {keep.then(|| view! {
                <form method="post" action=Action::KeepSecurityKpis.endpoint() class="inline-form">
                    <button type="submit" class="button secondary">"Keep as KPIs"</button>
                    <span class="meta">" Open critical vulnerabilities each day, and the share of fixes made by the deadline each month: with targets, status and alerts."</span>
                </form>
                <FormError error />
            })}
        </section>
    }
}

/// A severity in words and colour: critical and high red, medium amber, low grey.
#[component]
pub fn SeverityTag(severity: Severity) -> impl IntoView {
    let tone = match severity {
        Severity::Critical | Severity::High => "red",
        Severity::Medium => "amber",
        Severity::Low => "unrated",
    };
    super::status_tag(tone, severity.label())
}

#[component]
fn Imports(rows: Vec<ImportLine>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="imports-title">
            <h2 id="imports-title">"Latest imports"</h2>
            {if rows.is_empty() {
                view! { <p class="empty">"Nothing imported yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="stack">
                            <thead><tr>
                                <th scope="col">"When"</th><th scope="col">"System"</th><th scope="col">"From"</th><th scope="col" class="num">"New"</th>
                                <th scope="col" class="num">"Seen again"</th><th scope="col" class="num">"Reopened"</th><th scope="col" class="num">"Fixed"</th><th scope="col">"By"</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| view! {
                                    <tr>
                                        <td data-label="When">{r.at}</td>
                                        <th scope="row">{r.system}</th>
                                        <td data-label="From">{format!("{} · {}", r.source, r.tools)}</td>
                                        <td class="num" data-label="New">{r.new.to_string()}</td>
                                        <td class="num" data-label="Seen again">{r.seen.to_string()}</td>
                                        <td class="num" data-label="Reopened">{r.reopened.to_string()}</td>
                                        <td class="num" data-label="Fixed">{r.fixed.to_string()}</td>
                                        <td data-label="By">{r.by}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Deadlines(lines: Vec<SeverityLine>) -> impl IntoView {
    let posted = Posted::to(Action::SaveDeadlines.endpoint());
    let error = posted.error();
    let fields = lines
        .into_iter()
        .map(|l| {
            let name = l.severity.as_str();
            let value = posted.value(name, l.days.to_string());
            view! { <TextField label=l.severity.label() name=name kind="number" value error id_prefix="deadline-" /> }
        })
        .collect_view();
    view! {
        <section class="card" id="deadlines" aria-labelledby="deadlines-title">
            <h2 id="deadlines-title">"Remediation deadlines"</h2>
            <p class="hint">"Days from the day a finding is first seen to the last day it may stay open. The defaults (7, 30, 90 and 180) are CISA’s for critical findings and common SOC 2 practice. A milder severity cannot get a shorter deadline."</p>
            <form method="post" action=Action::SaveDeadlines.endpoint() novalidate aria-labelledby="deadlines-title">
                <FormError error />
                <div class="form-grid">{fields}</div>
                <div class="form-actions"><button type="submit" class="button secondary">"Save deadlines"</button></div>
            </form>
        </section>
    }
}

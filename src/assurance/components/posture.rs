//! The security posture: four headline figures a board asks about, what stands behind each
//! (controls by framework, findings by severity, the systems to look at), and the last twelve
//! months of the same figures.

use super::controls::Frameworks;
use super::{ReviewTag, SecurityTabs, SeverityTag};
use crate::access::{Action, Page};
use crate::assurance::api::load_posture;
use crate::assurance::model::Standing;
use crate::assurance::view::{PostureFigures, PostureMonth, PosturePage, PostureSection, SeverityLine, UnreviewedSystem, UntestedSystem};
use crate::platform::query::with_query;
use crate::ui::{plural, FormError, LoadError, Posted, Title};
use leptos::prelude::*;

#[component]
pub fn PosturePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_posture());
    view! {
        <Title text="Security posture" />
        <div class="page-head">
            <div>
                <h1>"Security posture"</h1>
                <p class="meta">"Where the controls, the vulnerabilities, the personal data and the restore tests stand today, and month by month."</p>
            </div>
        </div>
        <SecurityTabs />
        <Transition fallback=|| view! { <p class="loading">"Loading the posture…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <Body p /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Body(p: PosturePage) -> impl IntoView {
    view! {
        {(!p.scope.is_empty()).then(|| view! { <p class="hint">{p.scope.clone()}</p> })}
        <Headline f=p.now.clone() />
        <section class="card" id="posture-controls" aria-labelledby="posture-controls-title">
            <h2 id="posture-controls-title">"Controls by framework"</h2>
            {if p.now.controls_in_force() == 0 {
                view! { <p class="empty">"No controls in force. "<a href=Page::Controls.path()>"The control register"</a>" adopts the starter set."</p> }.into_any()
            } else {
                view! { <Frameworks lines=p.frameworks.clone() /> }.into_any()
            }}
        </section>
        <Severities lines=p.severities.clone() since=p.fixes_since.clone() />
        <div class="two-col">
            <Unreviewed rows=p.unreviewed.clone() />
            <Untested rows=p.untested.clone() />
        </div>
        <Trend months=p.trend.clone() />
        {p.shared.map(|on| view! { <Share on /> })}
    }
}

/// The CTO's choice: whether investor reports show the posture.
#[component]
fn Share(on: bool) -> impl IntoView {
    let error = Posted::to(Action::SharePosture.endpoint()).error();
    let (said, next, button) = if on {
        ("Investor reports show this posture: the company’s figures at the period’s end beside the period before’s.", "no", "Keep out of investor reports")
    } else {
        ("Investor reports do not show the posture. Shown, they carry the company’s figures at the period’s end beside the period before’s, never a system’s name.", "yes", "Show in investor reports")
    };
    view! {
        <section class="card" id="share" aria-labelledby="share-title">
            <h2 id="share-title">"Investor reports"</h2>
            <p>{said}</p>
            <form method="post" action=Action::SharePosture.endpoint() class="inline-form">
                <input type="hidden" name="shared" value=next />
                <button type="submit" class="button secondary">{button}</button>
            </form>
            <FormError error />
        </section>
    }
}

/// One headline figure: red when something needs doing, green when nothing does.
fn tile(label: &'static str, value: String, note: String, bad: bool, href: String) -> impl IntoView {
    view! {
        <div class=if bad { "tile rag-red" } else { "tile rag-green" }>
            <p class="tile-label">{label}</p>
            <p class="tile-value"><a href=href>{value}</a></p>
            <p class="tile-note">{note}</p>
        </div>
    }
}

#[component]
fn Headline(f: PostureFigures) -> impl IntoView {
    let late = f.controls_late();
    let severe = f.severe_open();
    let breached = f.breached_findings();
    view! {
        <section class="tiles" aria-label="Headline figures">
            {tile(
                "Controls overdue or failing",
                late.to_string(),
                format!("of {} in force; {} passing", f.controls_in_force(), f.controls_of(Standing::Passing)),
                late > 0,
                with_query(Page::Controls.path(), &[("standing", "overdue")]),
            )}
            {tile(
                "Findings past their deadline",
                breached.to_string(),
                format!("{} open, {severe} critical or high", f.open_findings()),
                breached > 0,
                with_query(Page::Vulnerabilities.path(), &[("state", "breached")]),
            )}
            {tile(
                "Personal data unreviewed",
                f.unreviewed.to_string(),
                format!("of {} holding personal data; {} not recorded", plural(f.personal as u64, "system", "systems"), f.unrecorded),
                f.unreviewed + f.unrecorded > 0,
                Page::Privacy.path().to_string(),
            )}
            {tile(
                "No restore test this quarter",
                f.untested.to_string(),
                format!("of {} keeping data", plural(f.keeping as u64, "system", "systems")),
                f.untested > 0,
                "#untested".to_string(),
            )}
        </section>
    }
}

#[component]
fn Severities(lines: Vec<SeverityLine>, since: String) -> impl IntoView {
    view! {
        <section class="card" id="posture-findings" aria-labelledby="posture-findings-title">
            <h2 id="posture-findings-title">"Open vulnerabilities"</h2>
            <div class="table-wrap">
                <table class="stack">
                    <thead><tr>
                        <th scope="col">"Severity"</th><th scope="col" class="num">"Open"</th><th scope="col" class="num">"Past the deadline"</th>
                        <th scope="col" class="num">"Mean time to fix"</th><th scope="col" class="num">"Fixed by the deadline"</th>
                    </tr></thead>
                    <tbody>
                        {lines.into_iter().map(|l| {
                            let open = with_query(Page::Vulnerabilities.path(), &[("severity", l.severity.as_str())]);
                            let late = with_query(Page::Vulnerabilities.path(), &[("severity", l.severity.as_str()), ("state", "breached")]);
                            view! {
                                <tr>
                                    <th scope="row"><SeverityTag severity=l.severity /></th>
                                    <td class="num" data-label="Open"><a href=open>{l.open.to_string()}</a></td>
                                    <td class={if l.breached > 0 { "num late" } else { "num" }} data-label="Past the deadline"><a href=late>{l.breached.to_string()}</a></td>
                                    <td class="num" data-label="Mean time to fix">{l.mean_to_fix.clone().unwrap_or_else(|| "—".into())}</td>
                                    <td class="num" data-label="Fixed by the deadline">{l.within_sla.clone().unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="meta">{format!("Mean time to fix and fixes by the deadline count the findings fixed since {since}, the twelve months of the trend below.")}</p>
        </section>
    }
}

/// A card listing systems to look at, or saying there are none.
fn systems_card(id: &'static str, title: &'static str, intro: Option<&'static str>, none: &'static str, items: Vec<AnyView>) -> impl IntoView {
    view! {
        <section class="card" id=id aria-labelledby=format!("{id}-title")>
            <h2 id=format!("{id}-title")>{title}</h2>
            {intro.map(|t| view! { <p class="meta">{t}</p> })}
            {if items.is_empty() {
                view! { <p class="empty">{none}</p> }.into_any()
            } else {
                view! { <ul class="plain-list">{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul> }.into_any()
            }}
        </section>
    }
}

#[component]
fn Unreviewed(rows: Vec<UnreviewedSystem>) -> impl IntoView {
    let items = rows
        .into_iter()
        .map(|r| {
            view! {
                <a href=Page::PrivacyRecord.href(&[&r.system_id])>{r.system}</a>" "<ReviewTag review=r.review />
                {r.due_on.map(|d| view! { <span class="meta">{format!(" due {d}")}</span> })}
            }
            .into_any()
        })
        .collect();
    systems_card("unreviewed", "Personal data to review", None, "Every system’s record was reviewed within the year.", items)
}

#[component]
fn Untested(rows: Vec<UntestedSystem>) -> impl IntoView {
    let items = rows
        .into_iter()
        .map(|r| {
            let last = match r.last_passed {
                Some(d) => format!(" last passed {d}"),
                None => " never tested".to_string(),
            };
            view! { <a href=format!("{}#protection", Page::InfraSystem.href(&[&r.system_id]))>{r.system}</a><span class="meta">{last}</span> }.into_any()
        })
        .collect();
    systems_card("untested", "Restore tests due", Some("Systems keeping data with no restore test passed in the last 92 days."), "Every system keeping data passed a restore test this quarter.", items)
}

/// The months as rows, the current one last and marked; a figure per column, so a phone
/// scrolls the table sideways rather than stacking twelve months of cards.
#[component]
fn Trend(months: Vec<PostureMonth>) -> impl IntoView {
    let columns = ["Controls overdue or failing", "Controls passing", "Critical and high open", "Past the deadline", "Personal data unreviewed", "No restore test"];
    view! {
        <section class="card" id="trend" aria-labelledby="trend-title">
            <h2 id="trend-title">"Month by month"</h2>
            <p class="meta">"Each month as it stood at its end (this month: today). A closed month is kept as it was first worked out."</p>
            <div class="table-wrap">
                <table>
                    <thead><tr>
                        <th scope="col">"Month"</th>
                        {columns.iter().map(|c| view! { <th scope="col" class="num">{*c}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {months.into_iter().map(|m| {
                            let f = &m.figures;
                            let values = [
                                f.controls_late(),
                                f.controls_of(Standing::Passing),
                                f.severe_open(),
                                f.breached_findings(),
                                f.unreviewed,
                                f.untested,
                            ];
                            view! {
                                <tr class:current=m.current>
                                    <th scope="row">{if m.current { format!("{} (so far)", m.label) } else { m.label.clone() }}</th>
                                    {columns.iter().zip(values).map(|(c, v)| view! { <td class="num" data-label=*c>{v.to_string()}</td> }).collect_view()}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The security section of an investor report: the company's figures at the period's end
/// beside the period before's, in words a board reads.
#[component]
pub fn PostureReportSection(section: PostureSection) -> impl IntoView {
    let rows = |f: &PostureFigures| {
        [
            format!("{} of {}", f.controls_of(Standing::Passing), f.controls_in_force()),
            f.controls_late().to_string(),
            f.severe_open().to_string(),
            f.breached_findings().to_string(),
            format!("{} of {}", f.unreviewed, f.personal),
            format!("{} of {}", f.untested, f.keeping),
        ]
    };
    let measures = [
        "Security controls passing",
        "Controls overdue or failing",
        "Open critical and high vulnerabilities",
        "Vulnerabilities past their remediation deadline",
        "Systems with personal data not reviewed within the year",
        "Systems keeping data without a restore test in the quarter",
    ];
    let (now, before) = (rows(&section.figures), rows(&section.before));
    view! {
        <section class="report-section" aria-labelledby="rs-security">
            <h2 id="rs-security">"Security posture"</h2>
            <div class="table-wrap">
                <table class="report-table">
                    <caption class="visually-hidden">"Security posture at the period’s end and the period before’s"</caption>
                    <thead><tr>
                        <th scope="col">"Measure"</th>
                        <th scope="col" class="num">{format!("On {}", section.as_of)}</th>
                        <th scope="col" class="num">{format!("On {}", section.before_as_of)}</th>
                    </tr></thead>
                    <tbody>
                        {measures.into_iter().zip(now).zip(before).map(|((m, n), b)| view! {
                            <tr><th scope="row">{m}</th><td class="num">{n}</td><td class="num">{b}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

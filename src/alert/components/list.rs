//! The alerts the reader sees, the rules, the bell in the header and an alert box for the
//! page an alert concerns. All drawn on the server.

use crate::access::Page;
use crate::alert::api::{alert_rules, alerts_here, firing_alerts, list_alerts};
use crate::alert::model::{AlertList, AlertRow, AlertState, AlertsQuery, RuleKind, Severity};
use crate::auth::use_user;
use crate::platform::query::{query, with_query};
use crate::ui::{FilterSelect, LoadError, Title};
use leptos::either::Either;
use leptos::prelude::*;

const STATES: [(&str, &str); 5] = [("open", "Open"), ("firing", "Firing"), ("acknowledged", "Acknowledged"), ("resolved", "Resolved"), ("all", "All")];

#[component]
pub fn AlertsPage() -> impl IntoView {
    let keys = ["state", "rule", "subject", "at", "page"].map(query);
    let read = move |untracked: bool| {
        let v = |i: usize| if untracked { keys[i].get_untracked() } else { keys[i].get() };
        AlertsQuery { state: v(0), rule: v(1), subject: v(2), at: v(3), page: v(4) }
    };
    let data = Resource::new(move || read(false), list_alerts);
    let is_cto = use_user().is_some_and(|u| Page::AlertRules.audience().admits(Some(u.role)));
    view! {
        <Title text="Alerts" />
        <div class="page-head">
            <div>
                <h1>"Alerts"</h1>
                <p class="meta">"What needs someone now: KPIs off target, systems down, incidents nobody has taken, contract deadlines. An alert closes by itself when its condition clears."</p>
            </div>
            <div class="page-actions">
                <a class="button secondary" href=Page::AlertChannels.path()>"Notifications"</a>
                {is_cto.then(|| view! { <a class="button secondary" href=Page::AlertRules.path()>"Rules"</a> })}
            </div>
        </div>
        <Transition fallback=|| view! { <p class="loading">"Loading alerts…"</p> }>
            {move || Suspend::new(async move {
                let q = read(true);
                match data.await {
                    Ok(list) => view! { <Alerts list q /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Alerts(list: AlertList, q: AlertsQuery) -> impl IntoView {
    let state = if q.state.is_empty() { "open".to_string() } else { q.state.clone() };
    let link = {
        let q = q.clone();
        move |state: &str, page: &str| with_query(Page::Alerts.path(), &[("state", state), ("rule", &q.rule), ("subject", &q.subject), ("at", &q.at), ("page", page)])
    };
    let tabs = STATES
        .iter()
        .map(|(value, label)| view! { <a href=link(value, "") aria-current=(state == *value).then_some("true")>{*label}</a> })
        .collect_view();
    let page_link = {
        let state = state.clone();
        move |page: i64| link(&state, &page.to_string())
    };
    let rules = std::iter::once((String::new(), "Every rule".to_string())).chain(RuleKind::choices()).collect::<Vec<_>>();
    let (critical, warning) = list.firing;
    view! {
        <section class="card" aria-labelledby="alerts-title">
            <h2 id="alerts-title" class="visually-hidden">"Alerts"</h2>
            <p class="alert-tally" role="status">
                {match critical + warning {
                    0 => "Nothing is waiting for you.".to_string(),
                    n => format!("{} waiting for someone: {critical} critical, {warning} warning.", crate::ui::plural(n as u64, "alert", "alerts")),
                }}
            </p>
            <nav class="segmented" aria-label="Alert state">{tabs}</nav>
            <form method="GET" action="" class="filters" aria-label="Filter alerts">
                <input type="hidden" name="state" value=state.clone() />
                <input type="hidden" name="subject" value=q.subject.clone() />
                <input type="hidden" name="at" value=q.at.clone() />
                <FilterSelect label="Rule" id="f-rule" name="rule" options=rules selected=q.rule.clone() />
                <button type="submit" class="button secondary">"Filter"</button>
            </form>
            <p class="result-count">{crate::ui::plural(list.matched.max(0) as u64, "alert", "alerts")}</p>
            {if list.rows.is_empty() {
                view! { <p class="empty">"No alert matches."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label="Alerts">
                        <table class="stack alerts">
                            <thead><tr>
                                <th scope="col">"Severity"</th><th scope="col">"Alert"</th><th scope="col">"Since"</th>
                                <th scope="col">"State"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th>
                            </tr></thead>
                            <tbody>{list.rows.into_iter().map(|a| view! { <Row a /> }).collect_view()}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <crate::ui::Pager page=list.page pages=list.pages link=page_link />
        </section>
    }
}

#[component]
pub fn SeverityBadge(severity: Severity) -> impl IntoView {
    let class = match severity {
        Severity::Critical => "status status-red",
        Severity::Warning => "status status-amber",
    };
    view! { <span class=class><span class="status-dot" aria-hidden="true"></span>{severity.label()}</span> }
}

#[component]
fn Row(a: AlertRow) -> impl IntoView {
    let state = match a.state {
        AlertState::Firing => view! { <strong>"Firing"</strong> }.into_any(),
        AlertState::Acknowledged => view! { <span>"Acknowledged " {a.acknowledged.clone().unwrap_or_default()}</span> }.into_any(),
        AlertState::Resolved => view! { <span>{format!("Resolved {} · lasted {}", a.resolved.clone().unwrap_or_default(), a.age)}</span> }.into_any(),
    };
    let open_for = (a.state != AlertState::Resolved).then(|| format!("open {}", a.age));
    view! {
        <tr class=format!("alert-{}", a.state.as_str())>
            <td data-label="Severity"><SeverityBadge severity=a.severity /></td>
            <td data-label="Alert">
                <a href=a.link.clone()>{a.subject.clone()}</a>
                <span class="meta">{a.rule.label()}</span>
                <p class="alert-summary">{a.summary.clone()}</p>
                {(a.flaps > 0).then(|| view! { <p class="meta">{format!("Cleared and returned {} within the hold time.", crate::ui::plural(a.flaps as u64, "time", "times"))}</p> })}
            </td>
            <td class="nowrap" data-label="Since">{a.started.clone()}<span class="meta">{open_for}</span></td>
            <td data-label="State">{state}{a.muted.clone().map(|m| view! { <span class="meta">{format!("Muted {m}")}</span> })}</td>
            <td class="actions">
                {a.can_acknowledge.then(|| view! { <super::AcknowledgeButton id=a.id subject=a.subject.clone() /> })}
                {a.can_mute.then(|| view! { <MuteForm id=a.id subject=a.subject.clone() muted=a.muted.is_some() /> })}
            </td>
        </tr>
    }
}

/// Mutes an open alert for a while, or lifts the mute: a plain form, back to this page.
#[component]
fn MuteForm(id: i64, subject: String, muted: bool) -> impl IntoView {
    let select_id = format!("mute-{id}");
    let choices = [(60, "1 hour"), (240, "4 hours"), (1440, "1 day"), (10080, "1 week")];
    view! {
        <form method="post" action=crate::access::Action::MuteAlert.endpoint() class="inline-form mute-form">
            <input type="hidden" name="id" value=id />
            {if muted {
                Either::Left(view! {
                    <input type="hidden" name="minutes" value="0" />
                    <button type="submit" class="button small secondary">"Unmute"<span class="visually-hidden">{format!(" the alert on {subject}")}</span></button>
                })
            } else {
                Either::Right(view! {
                    <label class="visually-hidden" for=select_id.clone()>{format!("Mute the alert on {subject} for")}</label>
                    <select id=select_id name="minutes">
                        {choices.into_iter().map(|(m, label)| view! { <option value=m>{label}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="button small secondary">"Mute"<span class="visually-hidden">{format!(" the alert on {subject}")}</span></button>
                })
            }}
        </form>
    }
}

#[component]
pub fn AlertRulesPage() -> impl IntoView {
    let rules = Resource::new(|| (), |_| alert_rules());
    // The rule being changed; its form stays open after a save or an error.
    let editing = query("rule").get_untracked();
    view! {
        <Title text="Alert rules" />
        <div class="page-head">
            <div>
                <h1>"Alert rules"</h1>
                <p class="meta">"What raises an alert. A change applies at once: open alerts that no longer meet the rule resolve, new ones fire."</p>
            </div>
            <div class="page-actions"><a class="button secondary" href=Page::Alerts.path()>"Alerts"</a></div>
        </div>
        <Transition fallback=|| view! { <p class="loading">"Loading the rules…"</p> }>
            {move || {
                let editing = editing.clone();
                Suspend::new(async move {
                    match rules.await {
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                        Ok(rules) => rules.into_iter().map(|r| {
                            let title = format!("rule-{}", r.kind.as_str());
                            let labelled = title.clone();
                            let change = with_query(Page::AlertRules.path(), &[("rule", r.kind.as_str())]) + "#" + &title;
                            let open = editing == r.kind.as_str();
                            view! {
                                <section class="card rule" aria-labelledby=labelled>
                                    <h2 id=title>{r.kind.label()}</h2>
                                    <p>{r.kind.describe(r.threshold)}{if r.enabled { "" } else { " Off." }}</p>
                                    <p class="meta">
                                        {crate::ui::plural(r.open.max(0) as u64, "open alert", "open alerts")}
                                        {format!(" · hold {} min", r.hold_minutes)}
                                        {if r.repeat_minutes > 0 { format!(" · repeats every {} min until acknowledged", r.repeat_minutes) } else { " · sent once".to_string() }}
                                    </p>
                                    {if open {
                                        Either::Left(view! { <super::forms::RuleForm rule=r /> })
                                    } else {
                                        Either::Right(view! {
                                            <a class="button secondary" href=change>"Change"<span class="visually-hidden">{format!(" the rule {}", r.kind.label())}</span></a>
                                        })
                                    }}
                                </section>
                            }
                        }).collect_view().into_any(),
                    }
                })
            }}
        </Transition>
    }
}

/// The bell beside the navigation: how many alerts wait for the reader, linking to them.
#[component]
pub fn Bell() -> impl IntoView {
    let count = Resource::new(|| (), |_| firing_alerts());
    let bell = |n: i64, critical: bool| {
        let label = match n {
            0 => "Alerts: none waiting".to_string(),
            n => format!("Alerts: {} waiting", n),
        };
        view! {
            <a class="bell" class:critical=critical href=Page::Alerts.path() aria-label=label title="Alerts">
                <svg class="bell-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
                    <path d="M12 3a6 6 0 0 0-6 6v3.6L4.3 15.4A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.6L18 12.6V9a6 6 0 0 0-6-6zm-2.5 15a2.5 2.5 0 0 0 5 0z" fill="currentColor" />
                </svg>
                {(n > 0).then(|| view! { <span class="bell-count" data-count=n aria-hidden="true">{n}</span> })}
            </a>
        }
    };
    view! {
        <Suspense fallback=move || bell(0, false)>
            {move || Suspend::new(async move {
                let (critical, warning) = count.await.unwrap_or_default();
                bell(critical + warning, critical > 0)
            })}
        </Suspense>
    }
}

/// Above a page: the open alerts about what it shows (those whose link is this page).
#[component]
pub fn PageAlerts() -> impl IntoView {
    let here = crate::platform::query::path();
    let all = with_query(Page::Alerts.path(), &[("state", "all"), ("at", &here)]);
    let open = Resource::new(move || here.clone(), alerts_here);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let all = all.clone();
                Suspend::new(async move {
                    let rows = open.await.unwrap_or_default();
                    (!rows.is_empty()).then(|| view! {
                        <aside class="alert-callout" aria-label="Open alerts about this page">
                            <ul>
                                {rows.into_iter().map(|a| view! {
                                    <li><SeverityBadge severity=a.severity />" " {a.summary}
                                        <span class="meta">{format!(" · {} since {}", a.state.label(), a.started)}</span></li>
                                }).collect_view()}
                            </ul>
                            <a href=all>"All alerts about this"</a>
                        </aside>
                    })
                })
            }}
        </Suspense>
    }
}

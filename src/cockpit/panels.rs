//! The cockpit's panels: each area in a few figures, each figure a link into the area. A panel
//! the reader may not open (a refused server function) does not show.

use crate::access::Page;
use crate::alert::api::list_alerts;
use crate::alert::components::SeverityBadge;
use crate::alert::model::AlertsQuery;
use crate::budget::api::load_budget_overview;
use crate::budget::components::VarianceBadge;
use crate::budget::model::VarianceStatus;
use crate::infra::api::load_status_board;
use crate::infra::components::SystemStatus;
use crate::infra::model::Status;
use crate::kpi::components::StatusBadge;
use crate::kpi::status::Rag;
use crate::kpi::view::KpiCard;
use crate::platform::error::AppError;
use crate::report::api::load_reports;
use leptos::prelude::*;

/// How many rows a panel lists before it links to the rest.
pub(super) const ROWS: usize = 5;

/// A panel: its title links to the page it summarises.
#[component]
pub(super) fn Panel(id: &'static str, title: &'static str, href: &'static str, children: Children) -> impl IntoView {
    view! {
        <section class="card panel" aria-labelledby=id>
            <h2 id=id><a href=href>{title}</a></h2>
            {children()}
        </section>
    }
}

pub(super) fn failed(e: AppError) -> AnyView {
    view! { <p class="meta">{format!("Could not load: {e}")}</p> }.into_any()
}

#[component]
pub fn AlertsPanel() -> impl IntoView {
    let open = Resource::new(|| (), |_| list_alerts(AlertsQuery::default()));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let body = match open.await {
                    Err(e) => failed(e),
                    Ok(list) if list.rows.is_empty() => view! { <p class="all-clear">"No open alerts. Nothing is waiting for you."</p> }.into_any(),
                    Ok(list) => {
                        let (critical, warning) = list.firing;
                        let more = (list.matched as usize).saturating_sub(ROWS);
                        view! {
                            <p class="panel-figure">
                                <a href=Page::Alerts.path()>{crate::ui::plural(list.matched.max(0) as u64, "open alert", "open alerts")}</a>
                                <span class="meta">{format!(" · {} waiting for someone ({critical} critical, {warning} warning)", critical + warning)}</span>
                            </p>
                            <ul class="panel-list">
                                {list.rows.into_iter().take(ROWS).map(|a| view! {
                                    <li>
                                        <SeverityBadge severity=a.severity />" "
                                        <a href=a.link>{a.subject}</a>
                                        <span class="meta">{format!(" · {} · {} for {}", a.rule.label(), a.state.label().to_lowercase(), a.age)}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                            {(more > 0).then(|| view! { <p><a href=Page::Alerts.path()>{format!("{more} more")}</a></p> })}
                        }.into_any()
                    }
                };
                view! { <Panel id="panel-alerts" title="Needs you" href=Page::Alerts.path()>{body}</Panel> }
            })}
        </Suspense>
    }
}

/// KPIs off target: the counts by status, then the red and amber ones by name.
#[component]
pub fn KpiPanel(cards: Resource<Result<Vec<KpiCard>, AppError>>) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let body = match cards.await {
                    Err(e) => failed(e),
                    Ok(cards) => {
                        let off: Vec<KpiCard> = cards.iter().filter(|c| matches!(c.rag, Rag::Red | Rag::Amber)).cloned().collect();
                        let count = |r: Rag| cards.iter().filter(|c| c.rag == r).count();
                        view! {
                            <p class="panel-figure">
                                <a href=format!("{}?status=red", Page::Kpis.path())>{format!("{} red", count(Rag::Red))}</a>", "
                                <a href=format!("{}?status=amber", Page::Kpis.path())>{format!("{} amber", count(Rag::Amber))}</a>
                                <span class="meta">{format!(" of {} KPIs, {} green", cards.len(), count(Rag::Green))}</span>
                            </p>
                            {if off.is_empty() {
                                view! { <p class="all-clear">"Every KPI with a target meets it."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="panel-list">
                                        {off.into_iter().take(ROWS).map(|c| view! {
                                            <li>
                                                <StatusBadge rag=c.rag />" "
                                                <a href=Page::KpiDetail.href(&[&c.key])>{c.name}</a>
                                                <span class="meta">{format!(" · {}{}", c.value.unwrap_or_else(|| "no value".into()), c.target.map(|t| format!(", target {t}")).unwrap_or_default())}</span>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                };
                view! { <Panel id="panel-kpis" title="KPIs off target" href=Page::Kpis.path()>{body}</Panel> }
            })}
        </Suspense>
    }
}

/// Spend to date and the year-end forecasts against plan, the worst lines, and the contracts
/// to act on in the next 30 days.
#[component]
pub fn BudgetPanel() -> impl IntoView {
    let overview = Resource::new(|| (), |_| load_budget_overview(String::new(), String::new()));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let body = match overview.await {
                    Err(e) => failed(e),
                    Ok(o) if !o.has_plan && !o.has_actuals => view! { <p class="meta">"No budget or spending recorded for this year yet."</p> }.into_any(),
                    Ok(o) => {
                        let t = o.total.clone();
                        // Department heads see their categories; the CTO, the departments.
                        let lines = if o.department.is_some() { o.by_category.clone() } else { o.by_department.clone() };
                        let worst: Vec<_> = lines.into_iter().filter(|l| l.status != VarianceStatus::Green).take(3).collect();
                        let soon: Vec<_> = o.renewals.iter().filter(|c| c.days_to_renewal.is_some_and(|d| d <= 30 || d - c.notice_days <= 30)).cloned().collect();
                        view! {
                            <p class="panel-figure">
                                <a href=Page::Budgets.path()>{format!("{} spent", t.actual_ytd)}</a>
                                <span class="meta">{format!(" of {} planned to date ({}, {})", t.plan_ytd, t.variance_pct, t.status.label().to_lowercase())}</span>
                            </p>
                            <p class="meta">{format!("Year-end forecast {} at the run rate, {} on plan, against a budget of {} ({}).", t.forecast_run_rate, t.forecast_plan, t.plan_year, o.fiscal_label)}</p>
                            {(!worst.is_empty()).then(|| view! {
                                <ul class="panel-list" aria-label="Worst variances">
                                    {worst.into_iter().map(|l| view! {
                                        <li>
                                            <VarianceBadge status=l.status />" "
                                            <a href=Page::Budgets.path()>{l.label}</a>
                                            <span class="meta">{format!(" · {} over plan to date ({})", l.variance, l.variance_pct)}</span>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            })}
                            {if soon.is_empty() {
                                view! { <p class="meta">"No renewal or notice deadline in the next 30 days."</p> }.into_any()
                            } else {
                                view! {
                                    <h3>"Next 30 days"</h3>
                                    <ul class="panel-list">
                                        {soon.into_iter().take(ROWS).map(|c| view! {
                                            <li>
                                                <a href=Page::BudgetVendors.path()>{format!("{} · {}", c.vendor, c.name)}</a>
                                                <span class="meta">{format!(
                                                    " · renews {}{}",
                                                    c.renews_on.clone().unwrap_or_default(),
                                                    c.notice_by.clone().map(|n| format!(", notice by {n}")).unwrap_or_default()
                                                )}</span>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                };
                view! { <Panel id="panel-budget" title="Budget" href=Page::Budgets.path()>{body}</Panel> }
            })}
        </Suspense>
    }
}

/// Systems not operational and open incidents with their age; a department head's own.
#[component]
pub fn InfraPanel() -> impl IntoView {
    let board = Resource::new(|| (), |_| load_status_board());
    let mine = crate::auth::use_user().filter(|u| u.role != crate::access::Role::Cto).and_then(|u| u.department_name);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let mine = mine.clone();
                Suspend::new(async move {
                    let body = match board.await {
                        Err(e) => failed(e),
                        Ok(b) => {
                            let ours = |dept: &str| mine.as_deref().is_none_or(|m| m == dept);
                            let systems: Vec<_> = b.systems.iter().filter(|s| ours(&s.department)).cloned().collect();
                            let ids: Vec<i64> = systems.iter().map(|s| s.id).collect();
                            let trouble: Vec<_> = systems.iter().filter(|s| !matches!(s.status, Status::Operational)).cloned().collect();
                            let incidents: Vec<_> = b.open_incidents.iter().filter(|i| mine.is_none() || i.system_id.is_some_and(|id| ids.contains(&id))).cloned().collect();
                            view! {
                                <p class="panel-figure">
                                    <a href=Page::Infrastructure.path()>{format!("{} of {} systems operational", systems.len() - trouble.len(), systems.len())}</a>
                                    <span class="meta">" · "<a href=Page::InfraIncidents.path()>{crate::ui::plural(incidents.len() as u64, "open incident", "open incidents")}</a></span>
                                </p>
                                <ul class="panel-list">
                                    {trouble.into_iter().take(ROWS).map(|s| view! {
                                        <li>
                                            <SystemStatus status=s.status />" "
                                            <a href=Page::InfraSystem.href(&[&s.id])>{s.name}</a>
                                            <span class="meta">{format!(" · since {}", s.since)}</span>
                                        </li>
                                    }).collect_view()}
                                    {incidents.into_iter().take(ROWS).map(|i| view! {
                                        <li>
                                            <span class=format!("sev sev-{}", i.severity.as_str())>{i.severity.label()}</span>" "
                                            <a href=Page::InfraIncident.href(&[&i.id])>{i.title}</a>
                                            <span class="meta">{format!(" · {} · open {}{}", i.system, i.duration, if i.acknowledged.is_none() { ", not acknowledged" } else { "" })}</span>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    };
                    view! { <Panel id="panel-infra" title="Infrastructure" href=Page::Infrastructure.path()>{body}</Panel> }
                })
            }}
        </Suspense>
    }
}

/// Drafts waiting and when investors last heard from us.
#[component]
pub fn ReportsPanel() -> impl IntoView {
    let reports = Resource::new(|| (), |_| load_reports());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let body = match reports.await {
                    Err(e) => failed(e),
                    Ok(list) => {
                        let drafts: Vec<_> = list.reports.iter().filter(|r| r.draft).cloned().collect();
                        let last = list.reports.iter().filter_map(|r| r.published_at.clone().map(|at| (at, r.clone()))).max_by(|a, b| a.0.cmp(&b.0));
                        view! {
                            <p class="panel-figure">
                                {match last {
                                    Some((at, r)) => view! {
                                        "Last sent "<a href=Page::ReportDetail.href(&[&r.id])>{at}</a>
                                        <span class="meta">{format!(" · {} ({})", r.title, r.period_label)}</span>
                                    }.into_any(),
                                    None => view! { <span>"No investor report published yet."</span> }.into_any(),
                                }}
                            </p>
                            <ul class="panel-list">
                                {drafts.into_iter().take(ROWS).map(|r| view! {
                                    <li><span class="tag">"Draft"</span>" "<a href=Page::ReportDetail.href(&[&r.id])>{r.title}</a><span class="meta">{format!(" · {}", r.period_label)}</span></li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                };
                view! { <Panel id="panel-reports" title="Investor reports" href=Page::Reports.path()>{body}</Panel> }
            })}
        </Suspense>
    }
}

//! Strategy pages: the strategy map, an initiative's page, the objective and initiative
//! editors, allocation, teams, capitalization, cloud cost and unit economics. Every one is the
//! server's HTML with plain forms; the islands are the two file uploads, of a FOCUS export on
//! the cloud cost page and of time allocation on the teams page.

mod allocation;
mod capitalization;
mod cloud;
mod cloud_import;
mod initiative;
mod initiative_form;
mod map;
mod objective_form;
mod team;
mod teams;
mod time_import;
mod unit;

pub use allocation::{AllocationPage, MixBadge};
pub use capitalization::CapitalizationPage;
pub use cloud::CloudCostPage;
pub use unit::UnitEconomicsPage;
pub use initiative::InitiativePage;
pub use initiative_form::{InitiativeEditPage, InitiativeNewPage};
pub use map::StrategyPage;
pub use objective_form::{ObjectiveEditPage, ObjectiveNewPage};
pub use team::TeamDetailPage;
pub use teams::TeamsPage;

use cloud_import::CloudImport;
use time_import::TimeImport;

crate::ui::area_islands! { strategy:
    cloud_import() => CloudImport, _island_cloud_import, load_cloud_import;
    time_import(own_department: Option<String>) => TimeImport, _island_time_import, load_time_import;
}

use crate::access::Page;
use crate::strategy::model::{Health, InitiativeStatus};
use crate::strategy::view::{InitiativeRow, ObjectiveKpi};
use leptos::prelude::*;

/// The strategy section's own navigation: the pages the signed-in user may open.
#[component]
pub fn StrategyTabs() -> impl IntoView {
    let here = crate::platform::query::path();
    let role = crate::auth::use_user().map(|u| u.role);
    view! {
        <nav class="tabs" aria-label="Strategy sections">
            {[(Page::Strategy, "Strategy map"), (Page::Allocation, "Investment allocation"), (Page::Teams, "Teams and time"), (Page::Capitalization, "Capitalization"), (Page::CloudCost, "Cloud cost"), (Page::UnitEconomics, "Unit economics")]
                .into_iter()
                .filter(|(p, _)| p.audience().admits(role))
                .map(|(p, label)| view! { <a href=p.path() aria-current=(here == p.path()).then_some("page")>{label}</a> })
                .collect_view()}
        </nav>
    }
}

/// The fiscal year a page shows, latest first, as a GET form.
#[component]
pub fn YearPicker(years: Vec<i32>, year: i32) -> impl IntoView {
    let options: Vec<(String, String)> = years.iter().rev().map(|y| (y.to_string(), format!("FY{y}"))).collect();
    view! {
        <form method="GET" action="" class="filters" aria-label="Fiscal year">
            <crate::ui::FilterSelect label="Fiscal year" id="fiscal-year" name="year" options selected=year.to_string() />
            <button type="submit" class="button secondary">"Show"</button>
        </form>
    }
}

/// An initiative's health in words, colour and shape; its status when health does not apply.
#[component]
pub fn HealthBadge(health: Option<Health>, status: InitiativeStatus) -> impl IntoView {
    let (class, label) = match health {
        Some(Health::OnTrack) => ("status-green", Health::OnTrack.label()),
        Some(Health::AtRisk) => ("status-amber", Health::AtRisk.label()),
        Some(Health::OffTrack) => ("status-red", Health::OffTrack.label()),
        None => ("status-unrated", status.label()),
    };
    view! { <span class=format!("status {class}")><span class="status-dot" aria-hidden="true"></span>{label}</span> }
}

/// Initiatives as a table: health and its reason, dates, milestones and money.
#[component]
pub fn InitiativeTable(rows: Vec<InitiativeRow>, #[prop(optional)] empty: &'static str) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="stack initiatives">
                <thead><tr>
                    <th scope="col">"Initiative"</th><th scope="col">"Health"</th><th scope="col">"Department"</th>
                    <th scope="col">"Target date"</th><th scope="col" class="num">"Milestones"</th><th scope="col" class="num">"Spent"</th><th scope="col" class="num">"Budget"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row"><a href=Page::Initiative.href(&[&r.id])>{r.title.clone()}</a><span class="meta">{r.category.clone()}</span></th>
                            <td data-label="Health"><HealthBadge health=r.health status=r.status />{(!r.why.is_empty()).then(|| view! { <span class="why">{r.why.clone()}</span> })}</td>
                            <td data-label="Department">{r.department.clone()}</td>
                            <td data-label="Target date">{r.target.clone()}</td>
                            <td data-label="Milestones" class="num">{format!("{} of {}", r.milestones.0, r.milestones.1)}</td>
                            <td data-label="Spent" class="num">{r.spent.clone()}</td>
                            <td data-label="Budget" class="num">{r.budget.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The KPIs that measure an objective: where each began, where it is, and its target.
#[component]
pub fn ObjectiveKpis(kpis: Vec<ObjectiveKpi>) -> impl IntoView {
    if kpis.is_empty() {
        return view! { <p class="empty">"No KPIs measure this objective yet."</p> }.into_any();
    }
    let none = || "No data".to_string();
    view! {
        <div class="table-wrap">
            <table class="stack objective-kpis">
                <thead><tr><th scope="col">"KPI"</th><th scope="col" class="num">"At the start"</th><th scope="col" class="num">"Now"</th><th scope="col" class="num">"Target"</th><th scope="col">"Progress"</th></tr></thead>
                <tbody>
                    {kpis.into_iter().map(|k| view! {
                        <tr>
                            <th scope="row"><a href=Page::KpiDetail.href(&[&k.key])>{k.name.clone()}</a></th>
                            <td data-label="At the start" class="num">{k.baseline.clone().unwrap_or_else(none)}</td>
                            <td data-label="Now" class="num">{k.current.clone().unwrap_or_else(none)}</td>
                            <td data-label="Target" class="num">{k.target.clone()}</td>
                            <td data-label="Progress">{match k.progress {
                                Some(p) if p >= 0 => view! { <span class="progress-cell"><progress max="100" value=p.min(100)></progress>{format!(" {} %", p.min(100))}</span> }.into_any(),
                                Some(_) => view! { <span class="status status-red"><span class="status-dot" aria-hidden="true"></span>"Moving away"</span> }.into_any(),
                                None => view! { <span class="muted">"Not measurable yet"</span> }.into_any(),
                            }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

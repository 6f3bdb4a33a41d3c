//! The HTML shell, the router and the layout every signed-in page shares.

use crate::access::{Page, Role};
use crate::admin::components::{AdminPage, AuditTrailPage};
use crate::alert::components::{AlertChannelsPage, AlertRulesPage, AlertsPage, Bell, PageAlerts};
use crate::auth::api::Logout;
use crate::auth::components::{AccountPage, LoginPage};
use crate::auth::{use_user, User};
use crate::cockpit::OverviewPage;
use crate::kpi::components::{DoraPage, KpiDetailPage, KpiEditPage, KpiNewPage, KpisPage};
use crate::budget::components::{BudgetSettingsPage, BudgetsPage, ExpensesPage, PlanPage, VendorsPage};
use crate::infra::components::{IncidentPage, IncidentsPage, InfrastructurePage, SlaPage, SystemEditPage, SystemNewPage, SystemPage};
use crate::ui::NotFound;
use crate::assurance::components::{ControlDetailPage, ControlsRegisterPage, PosturePage, PrivacyRecordPage, PrivacyRegisterPage, VulnerabilitiesPage};
use crate::strategy::components::{AllocationPage, CapitalizationPage, CloudCostPage, TeamDetailPage, TeamsPage, InitiativeEditPage, InitiativeNewPage, InitiativePage, ObjectiveEditPage, ObjectiveNewPage, StrategyPage, UnitEconomicsPage};
use crate::feedback::components::{FeedbackItemPage, FeedbackNewPage, FeedbackPage, Notices};
use crate::pulse::components::{SurveyAnswerPage, SurveyDetailPage, SurveyNotice, SurveysPage};
use crate::radar::components::{RadarEditionPage, RadarEntryEditPage, RadarEntryNewPage, RadarEntryPage, RadarPage};
use crate::report::components::{DepartmentReportPage, ReportDetailPage, ReportVersionPage, ReportsPage, SharedReportPage};
use crate::ui::theme::{self, ThemeToggle};
#[cfg(feature = "ssr")]
use crate::ui::boot::Boot;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Outlet, ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// Two buttons that need no island, on every page: print buttons (`data-print`) print, and copy
/// buttons (`data-copy="<field id>"`) copy that field, saying so in `[data-copied-for]`.
const PAGE_BUTTONS: &str = r#"document.addEventListener("click",function(e){var b=e.target.closest("[data-print],[data-copy]");if(!b)return;if(b.hasAttribute("data-print")){print();return}var id=b.getAttribute("data-copy"),f=document.getElementById(id),say=document.querySelector('[data-copied-for="'+id+'"]');if(!f)return;f.select();var done=function(t){if(say)say.textContent=t};(navigator.clipboard?navigator.clipboard.writeText(f.value):Promise.reject()).then(function(){done("Copied to the clipboard.")},function(){done("The browser refused the clipboard: the link is selected, copy it with the keyboard.")})})"#;

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let theme = theme::current().attr();
    // Islands read the signed-in user from here (see `auth::use_user`).
    #[cfg(feature = "ssr")]
    let user = crate::auth::guard::caller().and_then(|u| serde_json::to_string(&u).ok());
    #[cfg(not(feature = "ssr"))]
    let user = None::<String>;
    // Rendered on the server only: the stylesheet's name carries the build's hash there.
    #[cfg(feature = "ssr")]
    let stylesheet = crate::platform::bundle::stylesheet(&options.site_root, &options.site_pkg_dir, &options.output_name);
    #[cfg(not(feature = "ssr"))]
    let stylesheet = String::new();
    // A share link's page is read-only and has no app around it: it loads no wasm at all.
    #[cfg(feature = "ssr")]
    let interactive = use_context::<http::request::Parts>()
        .is_none_or(|p| Page::for_path(p.uri.path()) != Some(Page::SharedReport));
    #[cfg(not(feature = "ssr"))]
    let interactive = true;
    #[cfg(feature = "ssr")]
    let boot = interactive.then(|| view! { <Boot options=options.clone() /> });
    #[cfg(not(feature = "ssr"))]
    let boot = None::<()>;
    view! {
        <!DOCTYPE html>
        <html lang="en" data-theme=theme>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" id="leptos" href=stylesheet />
                <AutoReload options=options.clone() />
                {boot}
                // A module: it runs once the document is parsed and, unlike a classic inline
                // script, never holds the parser up while the stylesheet downloads.
                <script type="module" nonce=leptos::nonce::use_nonce() inner_html=PAGE_BUTTONS></script>
                <MetaTags />
            </head>
            <body data-user=user>
                <App />
                {interactive.then(|| view! { <Hydrated /> })}
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    #[cfg(feature = "ssr")]
    provide_context(crate::auth::CurrentUser(crate::auth::guard::caller()));
    view! {
        <Title formatter=crate::ui::page_title />
        // Pages render whole on the server (SsrMode::Async): data comes from fast local queries,
        // and one complete document hydrates more reliably than out-of-order streamed chunks.
        // The router runs on the server only: a link is a page load, and the browser's code is
        // the islands of the page in front of it (`#[island]` components), not the app.
        <Router>
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                // Outside the layout: a share link's reader is not signed in and sees no app.
                <Route path=path!("/share/:token") view=SharedReportPage ssr=SsrMode::Async />
                <ParentRoute path=path!("") view=Layout ssr=SsrMode::Async>
                    <Route path=path!("") view=OverviewPage ssr=SsrMode::Async />
                    <Route path=path!("kpis") view=KpisPage ssr=SsrMode::Async />
                    <Route path=path!("kpis/dora") view=DoraPage ssr=SsrMode::Async />
                    <Route path=path!("kpis/new") view=KpiNewPage ssr=SsrMode::Async />
                    <Route path=path!("kpis/:key") view=|| view! { <KpiDetailPage below=feedback_on_kpi /> } ssr=SsrMode::Async />
                    <Route path=path!("kpis/:key/edit") view=KpiEditPage ssr=SsrMode::Async />
                    <Route path=path!("budgets") view=BudgetsPage ssr=SsrMode::Async />
                    <Route path=path!("budgets/expenses") view=ExpensesPage ssr=SsrMode::Async />
                    <Route path=path!("budgets/plan") view=PlanPage ssr=SsrMode::Async />
                    <Route path=path!("budgets/vendors") view=VendorsPage ssr=SsrMode::Async />
                    <Route path=path!("budgets/settings") view=BudgetSettingsPage ssr=SsrMode::Async />
                    <Route path=path!("infrastructure") view=InfrastructurePage ssr=SsrMode::Async />
                    <Route path=path!("infrastructure/systems/new") view=SystemNewPage ssr=SsrMode::Async />
                    <Route path=path!("infrastructure/systems/:id") view=SystemPage ssr=SsrMode::Async />
                    <Route path=path!("infrastructure/systems/:id/edit") view=SystemEditPage ssr=SsrMode::Async />
                    <Route path=path!("infrastructure/incidents") view=IncidentsPage ssr=SsrMode::Async />
                    <Route path=path!("infrastructure/incidents/:id") view=IncidentPage ssr=SsrMode::Async />
                    <Route path=path!("infrastructure/sla") view=SlaPage ssr=SsrMode::Async />
                    <Route path=path!("security") view=PosturePage ssr=SsrMode::Async />
                    <Route path=path!("security/vulnerabilities") view=VulnerabilitiesPage ssr=SsrMode::Async />
                    <Route path=path!("security/controls") view=ControlsRegisterPage ssr=SsrMode::Async />
                    <Route path=path!("security/controls/:id") view=ControlDetailPage ssr=SsrMode::Async />
                    <Route path=path!("security/privacy") view=PrivacyRegisterPage ssr=SsrMode::Async />
                    <Route path=path!("security/privacy/:id") view=PrivacyRecordPage ssr=SsrMode::Async />
                    <Route path=path!("strategy") view=StrategyPage ssr=SsrMode::Async />
                    <Route path=path!("strategy/allocation") view=AllocationPage ssr=SsrMode::Async />
                    <Route path=path!("strategy/teams") view=TeamsPage ssr=SsrMode::Async />
                    <Route path=path!("strategy/teams/:id") view=TeamDetailPage ssr=SsrMode::Async />
                    <Route path=path!("strategy/capitalization") view=CapitalizationPage ssr=SsrMode::Async />
                    <Route path=path!("strategy/cloud") view=CloudCostPage ssr=SsrMode::Async />
                    <Route path=path!("strategy/unit-economics") view=UnitEconomicsPage ssr=SsrMode::Async />
                    <Route path=path!("strategy/objectives/new") view=ObjectiveNewPage ssr=SsrMode::Async />
                    <Route path=path!("strategy/objectives/:id/edit") view=ObjectiveEditPage ssr=SsrMode::Async />
                    <Route path=path!("strategy/initiatives/new") view=InitiativeNewPage ssr=SsrMode::Async />
                    <Route path=path!("strategy/initiatives/:id") view=InitiativePage ssr=SsrMode::Async />
                    <Route path=path!("strategy/initiatives/:id/edit") view=InitiativeEditPage ssr=SsrMode::Async />
                    <Route path=path!("radar") view=RadarPage ssr=SsrMode::Async />
                    <Route path=path!("radar/entries/new") view=RadarEntryNewPage ssr=SsrMode::Async />
                    <Route path=path!("radar/entries/:id") view=RadarEntryPage ssr=SsrMode::Async />
                    <Route path=path!("radar/entries/:id/edit") view=RadarEntryEditPage ssr=SsrMode::Async />
                    <Route path=path!("radar/editions/:id") view=RadarEditionPage ssr=SsrMode::Async />
                    <Route path=path!("feedback") view=FeedbackPage ssr=SsrMode::Async />
                    <Route path=path!("feedback/new") view=FeedbackNewPage ssr=SsrMode::Async />
                    <Route path=path!("feedback/:id") view=FeedbackItemPage ssr=SsrMode::Async />
                    <Route path=path!("surveys") view=SurveysPage ssr=SsrMode::Async />
                    <Route path=path!("surveys/answer") view=SurveyAnswerPage ssr=SsrMode::Async />
                    <Route path=path!("surveys/:id") view=SurveyDetailPage ssr=SsrMode::Async />
                    <Route path=path!("reports") view=ReportsPage ssr=SsrMode::Async />
                    <Route path=path!("reports/department") view=DepartmentReportPage ssr=SsrMode::Async />
                    <Route path=path!("reports/:id") view=ReportDetailPage ssr=SsrMode::Async />
                    <Route path=path!("reports/:id/versions/:version") view=ReportVersionPage ssr=SsrMode::Async />
                    <Route path=path!("alerts") view=AlertsPage ssr=SsrMode::Async />
                    <Route path=path!("alerts/rules") view=AlertRulesPage ssr=SsrMode::Async />
                    <Route path=path!("alerts/channels") view=AlertChannelsPage ssr=SsrMode::Async />
                    <Route path=path!("admin") view=|| view! { <AdminPage security=admin_security /> } ssr=SsrMode::Async />
                    <Route path=path!("admin/audit") view=AuditTrailPage ssr=SsrMode::Async />
                    <Route path=path!("account") view=AccountPage ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Header, navigation and the page. The server refuses pages a role may not open before this
/// renders.
/// Feedback about a KPI, under the KPI's page: composed here so that feedback, which keeps its
/// response times as KPIs, may use the KPI area without the KPI area using it.
fn feedback_on_kpi(kpi: i64) -> AnyView {
    view! { <crate::feedback::components::FeedbackAbout about="kpi" target=kpi /> }.into_any()
}

/// Northstar's backups and access reviews on the Admin page: composed here because the security
/// area uses the KPI area, which uses admin.
fn admin_security() -> AnyView {
    view! { <crate::assurance::components::AdminSecuritySection /> }.into_any()
}

#[component]
fn Layout() -> impl IntoView {
    let user = use_user();
    // The alerts page lists them all; every other page shows those about itself.
    let alerts = user.as_ref().is_some_and(|u| Page::Alerts.audience().admits(Some(u.role)))
        && Page::for_path(&crate::platform::query::path()).is_some_and(|p| p.section() != Page::Alerts);
    // A survey waiting for the reader is said above every page but the one that answers it.
    let surveys = user.is_some() && Page::for_path(&crate::platform::query::path()) != Some(Page::SurveyAnswer);
    let header = match user {
        None => view! { <SignedOut /> }.into_any(),
        Some(u) => view! { <Header user=u /> }.into_any(),
    };
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        {header}
        <main id="main" class="page">
            <crate::ui::FlashNotice />
            {surveys.then(|| view! { <SurveyNotice /> })}
            {alerts.then(|| view! { <PageAlerts /> })}
            <Outlet />
        </main>
    }
}

#[component]
fn Header(user: User) -> impl IntoView {
    let here = Page::for_path(&crate::platform::query::path()).map(Page::section);
    let links = Page::NAV
        .into_iter()
        .filter(|p| p.audience().admits(Some(user.role)))
        .map(|p| NavLink { href: p.path().to_string(), label: p.label().to_string(), current: here == Some(p) })
        .collect();
    let alerts = Page::Alerts.audience().admits(Some(user.role));
    let scope = match (&user.role, &user.department_name) {
        (Role::DepartmentHead, Some(d)) => format!("{} · {d}", user.role.label()),
        _ => user.role.label().to_string(),
    };
    view! {
        <header class="topbar">
            <a class="brand" href=user.role.home().path()>
                <span class="brand-mark" aria-hidden="true">"✦"</span>
                " Northstar"
            </a>
            <MainNav links />
            <div class="who">
                {alerts.then(|| view! { <Bell /> })}
                <Notices />
                <a href="/account" class="who-name">
                    <span class="name">{user.name.clone()}</span>
                    <span class="role" data-role=user.role.as_str()>{scope}</span>
                </a>
                <ThemeToggle />
                <SignOut />
            </div>
        </header>
    }
}

/// One section in the main navigation.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct NavLink {
    href: String,
    label: String,
    current: bool,
}

/// The sections. On a phone they fold into a menu, so none is hidden off-screen.
#[island]
fn MainNav(links: Vec<NavLink>) -> impl IntoView {
    let menu_open = RwSignal::new(false);
    let links = links
        .into_iter()
        .map(|l| view! { <li><a href=l.href aria-current=l.current.then_some("page")>{l.label}</a></li> })
        .collect_view();
    view! {
        <button type="button" class="menu-toggle" aria-controls="main-nav" aria-expanded=move || if menu_open.get() { "true" } else { "false" }
            on:click=move |_| menu_open.update(|o| *o = !*o)>
            <span aria-hidden="true">"☰ "</span>"Menu"
        </button>
        <nav aria-label="Main" class="mainnav" id="main-nav" class:open=move || menu_open.get()>
            <ul>{links}</ul>
        </nav>
    }
}

#[island]
fn SignOut() -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    Effect::new(move || {
        if logout.value().get().is_some() {
            // A full load, so nothing of the signed-in session lingers in memory.
            crate::ui::go("/login");
        }
    });
    view! {
        <ActionForm action=logout attr:class="logout">
            <button type="submit" class="button secondary">"Sign out"</button>
        </ActionForm>
    }
}

/// The last island of every page: islands hydrate in document order, so once this one has,
/// the page is interactive. The browser tests and scripts/first-load.mjs wait for its marker
/// before they click; until then, buttons are inert HTML.
#[island]
fn Hydrated() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let _ = js_sys::Reflect::set(&window(), &"__northstar_hydrated".into(), &true.into());
        // When, for scripts/first-load.mjs: read afterwards, so measuring does not poll the page.
        if let Some(performance) = window().performance() {
            let _ = performance.mark("northstar-hydrated");
        }
    }
}

/// Shown in place of the header when the session ended while the app was open.
#[component]
fn SignedOut() -> impl IntoView {
    view! {
        <header class="topbar">
            <a class="brand" href="/login">"✦ Northstar"</a>
            <p class="signed-out">"Your session has ended. " <a href="/login">"Sign in again"</a></p>
        </header>
    }
}

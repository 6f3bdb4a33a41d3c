//! The HTML shell, the router and the layout every signed-in page shares.

use crate::access::{Page, Role};
use crate::admin::components::AdminPage;
use crate::auth::api::Logout;
use crate::auth::components::{AccountPage, LoginPage};
use crate::auth::{use_user, CurrentUser, User};
use crate::kpi::components::{DoraPage, KpiDetailPage, KpiEditPage, KpiNewPage, KpisPage, OverviewPage};
use crate::budget::components::{BudgetSettingsPage, BudgetsPage, ExpensesPage, PlanPage, VendorsPage};
use crate::infra::components::{IncidentPage, IncidentsPage, InfrastructurePage, SlaPage, SystemEditPage, SystemNewPage, SystemPage};
use crate::ui::NotFound;
use crate::report::components::{DepartmentReportPage, ReportDetailPage, ReportVersionPage, ReportsPage, SharedReportPage};
use crate::ui::theme::{self, ThemeToggle};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Outlet, ParentRoute, Route, Router, Routes, A};
use leptos_router::hooks::use_location;
use leptos_router::{path, SsrMode};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let theme = theme::current().attr();
    // The page's scripts run only with this render's nonce, which Leptos puts on them.
    #[cfg(feature = "ssr")]
    if let Some(nonce) = leptos::nonce::use_nonce() {
        crate::platform::request::set_response_header(http::header::CONTENT_SECURITY_POLICY, &crate::platform::request::page_policy(&nonce));
    }
    view! {
        <!DOCTYPE html>
        <html lang="en" data-theme=theme>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    crate::ui::NoticeClock::provide();
    crate::ui::Flash::provide();
    let user = SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            crate::auth::guard::caller()
        }
        #[cfg(not(feature = "ssr"))]
        {
            None::<User>
        }
    })
    .into_inner();
    provide_context(CurrentUser(user));
    view! {
        <Stylesheet id="leptos" href="/pkg/northstar.css" />
        <Title formatter=|page: String| if page.is_empty() { "Northstar".to_string() } else { format!("{page} · Northstar") } />
        // Pages render whole on the server (SsrMode::Async): data comes from fast local queries,
        // and one complete document hydrates more reliably than out-of-order streamed chunks.
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
                    <Route path=path!("kpis/:key") view=KpiDetailPage ssr=SsrMode::Async />
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
                    <Route path=path!("reports") view=ReportsPage ssr=SsrMode::Async />
                    <Route path=path!("reports/department") view=DepartmentReportPage ssr=SsrMode::Async />
                    <Route path=path!("reports/:id") view=ReportDetailPage ssr=SsrMode::Async />
                    <Route path=path!("reports/:id/versions/:version") view=ReportVersionPage ssr=SsrMode::Async />
                    <Route path=path!("admin") view=AdminPage ssr=SsrMode::Async />
                    <Route path=path!("account") view=AccountPage ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Header, navigation and the page. The server refuses pages a role may not open before this
/// renders.
#[component]
fn Layout() -> impl IntoView {
    let header = match use_user() {
        None => view! { <SignedOut /> }.into_any(),
        Some(u) => view! { <Header user=u /> }.into_any(),
    };
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        {header}
        <main id="main" class="page">
            <crate::ui::FlashNotice />
            <Outlet />
        </main>
    }
}

#[component]
fn Header(user: User) -> impl IntoView {
    let location = use_location();
    let logout = ServerAction::<Logout>::new();
    Effect::new(move || {
        if logout.value().get().is_some() {
            // A full load, so nothing of the signed-in session lingers in memory.
            let _ = window().location().assign("/login");
        }
    });
    let links = Page::NAV
        .into_iter()
        .filter(|p| p.audience().admits(Some(user.role)))
        .map(|p| {
            let current = move || {
                let here = location.pathname.get();
                (Page::for_path(&here).map(Page::section) == Some(p)).then_some("page")
            };
            view! { <li><a href=p.path() aria-current=current>{p.label()}</a></li> }
        })
        .collect_view();
    // On a phone the sections fold into a menu, so none is hidden off-screen; it closes again
    // once a section is chosen.
    let menu_open = RwSignal::new(false);
    Effect::watch(move || location.pathname.get(), move |_, _, _| menu_open.set(false), false);
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
            <button type="button" class="menu-toggle" aria-controls="main-nav" aria-expanded=move || if menu_open.get() { "true" } else { "false" }
                on:click=move |_| menu_open.update(|o| *o = !*o)>
                <span aria-hidden="true">"☰ "</span>"Menu"
            </button>
            <nav aria-label="Main" class="mainnav" id="main-nav" class:open=move || menu_open.get()>
                <ul>{links}</ul>
            </nav>
            <div class="who">
                <A href="/account" attr:class="who-name">
                    <span class="name">{user.name.clone()}</span>
                    <span class="role" data-role=user.role.as_str()>{scope}</span>
                </A>
                <ThemeToggle />
                <ActionForm action=logout attr:class="logout">
                    <button type="submit" class="button secondary">"Sign out"</button>
                </ActionForm>
            </div>
        </header>
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

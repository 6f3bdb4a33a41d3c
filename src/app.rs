//! The HTML shell, the router and the layout every signed-in page shares.

use crate::access::{Page, Role};
use crate::admin::components::{AdminPage, AuditTrailPage};
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
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Outlet, ParentRoute, Route, Router, Routes, A};
use leptos_router::hooks::use_location;
use leptos_router::{path, Lazy, LazyRoute, SsrMode};

/// What a page without the bundle still needs: its print buttons (`data-print`) print.
const PRINT_BUTTONS: &str = r#"document.addEventListener("click",function(e){if(e.target.closest("[data-print]"))print()})"#;

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let theme = theme::current().attr();
    // The page's scripts run only with this render's nonce, which Leptos puts on them.
    #[cfg(feature = "ssr")]
    if let Some(nonce) = leptos::nonce::use_nonce() {
        crate::platform::request::set_response_header(http::header::CONTENT_SECURITY_POLICY, &crate::platform::request::page_policy(&nonce));
    }
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
                {interactive.then(|| view! { <HydrationScripts options /> })}
                {(!interactive).then(|| view! { <script nonce=leptos::nonce::use_nonce() inner_html=PRINT_BUTTONS></script> })}
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
        <Title formatter=|page: String| if page.is_empty() { "Northstar".to_string() } else { format!("{page} · Northstar") } />
        // Pages render whole on the server (SsrMode::Async): data comes from fast local queries,
        // and one complete document hydrates more reliably than out-of-order streamed chunks.
        <Router>
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/login") view={Lazy::<LoginPageRoute>::new()} ssr=SsrMode::Async />
                // Outside the layout: a share link's reader is not signed in and sees no app.
                <Route path=path!("/share/:token") view={Lazy::<SharedReportPageRoute>::new()} ssr=SsrMode::Async />
                <ParentRoute path=path!("") view=Layout ssr=SsrMode::Async>
                    <Route path=path!("") view={Lazy::<OverviewPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("kpis") view={Lazy::<KpisPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("kpis/dora") view={Lazy::<DoraPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("kpis/new") view={Lazy::<KpiNewPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("kpis/:key") view={Lazy::<KpiDetailPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("kpis/:key/edit") view={Lazy::<KpiEditPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("budgets") view={Lazy::<BudgetsPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("budgets/expenses") view={Lazy::<ExpensesPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("budgets/plan") view={Lazy::<PlanPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("budgets/vendors") view={Lazy::<VendorsPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("budgets/settings") view={Lazy::<BudgetSettingsPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("infrastructure") view={Lazy::<InfrastructurePageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("infrastructure/systems/new") view={Lazy::<SystemNewPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("infrastructure/systems/:id") view={Lazy::<SystemPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("infrastructure/systems/:id/edit") view={Lazy::<SystemEditPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("infrastructure/incidents") view={Lazy::<IncidentsPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("infrastructure/incidents/:id") view={Lazy::<IncidentPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("infrastructure/sla") view={Lazy::<SlaPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("reports") view={Lazy::<ReportsPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("reports/department") view={Lazy::<DepartmentReportPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("reports/:id") view={Lazy::<ReportDetailPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("reports/:id/versions/:version") view={Lazy::<ReportVersionPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin") view={Lazy::<AdminPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/audit") view={Lazy::<AuditTrailPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("account") view={Lazy::<AccountPageRoute>::new()} ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Pages are lazy routes, grouped by area: an area's code is one wasm module (cargo-leptos
/// `--split`) that the browser fetches with the first page of that area, so a first visit
/// loads the shell and one area, not the whole app. Each page is its own lazy function, named
/// by its area, and the split tool puts the functions of one name in one module (the name is
/// `lazy`'s argument plus a hash of where the attribute stands, which is the same for every page
/// of one `lazy_area!`; `scripts/wasm-size.mjs` lists the modules). Per page there were hundreds
/// of small shared chunks to fetch (see the README). The route's data is loaded inside the page,
/// so `data()` has nothing to do.
macro_rules! lazy_area {
    ($area:ident: $($page:ident => $route:ident, $view:ident, $preload:ident);+ $(;)?) => {$(
        struct $route;
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }
            async fn view(_this: Self) -> AnyView {
                $view().await
            }
            // The router loads the module before it hydrates the page: a page whose code is
            // still on its way would hydrate as a placeholder the server never sent.
            async fn preload() {
                #[cfg(feature = "hydrate")]
                $preload().await;
            }
        }
        #[leptos::lazy($area)]
        fn $view() -> AnyView {
            view! { <$page /> }.into_any()
        }
    )+};
}

lazy_area! { signin:
    LoginPage => LoginPageRoute, login_page_view, __preload_login_page_view;
}
lazy_area! { kpis:
    OverviewPage => OverviewPageRoute, overview_page_view, __preload_overview_page_view;
    KpisPage => KpisPageRoute, kpis_page_view, __preload_kpis_page_view;
    DoraPage => DoraPageRoute, dora_page_view, __preload_dora_page_view;
    KpiNewPage => KpiNewPageRoute, kpi_new_page_view, __preload_kpi_new_page_view;
    KpiDetailPage => KpiDetailPageRoute, kpi_detail_page_view, __preload_kpi_detail_page_view;
    KpiEditPage => KpiEditPageRoute, kpi_edit_page_view, __preload_kpi_edit_page_view;
}
lazy_area! { budgets:
    BudgetsPage => BudgetsPageRoute, budgets_page_view, __preload_budgets_page_view;
    ExpensesPage => ExpensesPageRoute, expenses_page_view, __preload_expenses_page_view;
    PlanPage => PlanPageRoute, plan_page_view, __preload_plan_page_view;
    VendorsPage => VendorsPageRoute, vendors_page_view, __preload_vendors_page_view;
    BudgetSettingsPage => BudgetSettingsPageRoute, budget_settings_page_view, __preload_budget_settings_page_view;
}
lazy_area! { infrastructure:
    InfrastructurePage => InfrastructurePageRoute, infrastructure_page_view, __preload_infrastructure_page_view;
    SystemNewPage => SystemNewPageRoute, system_new_page_view, __preload_system_new_page_view;
    SystemPage => SystemPageRoute, system_page_view, __preload_system_page_view;
    SystemEditPage => SystemEditPageRoute, system_edit_page_view, __preload_system_edit_page_view;
    IncidentsPage => IncidentsPageRoute, incidents_page_view, __preload_incidents_page_view;
    IncidentPage => IncidentPageRoute, incident_page_view, __preload_incident_page_view;
    SlaPage => SlaPageRoute, sla_page_view, __preload_sla_page_view;
}
lazy_area! { reports:
    ReportsPage => ReportsPageRoute, reports_page_view, __preload_reports_page_view;
    DepartmentReportPage => DepartmentReportPageRoute, department_report_page_view, __preload_department_report_page_view;
    ReportDetailPage => ReportDetailPageRoute, report_detail_page_view, __preload_report_detail_page_view;
    ReportVersionPage => ReportVersionPageRoute, report_version_page_view, __preload_report_version_page_view;
    SharedReportPage => SharedReportPageRoute, shared_report_page_view, __preload_shared_report_page_view;
}
lazy_area! { admin:
    AdminPage => AdminPageRoute, admin_page_view, __preload_admin_page_view;
    AuditTrailPage => AuditTrailPageRoute, audit_trail_page_view, __preload_audit_trail_page_view;
    AccountPage => AccountPageRoute, account_page_view, __preload_account_page_view;
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

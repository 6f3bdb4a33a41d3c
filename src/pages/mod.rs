//! Pages for the areas of the app. Areas not built yet say so; none shows invented figures.

use crate::access::Role;
use crate::app::use_user;
use crate::ui::NotBuilt;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OverviewPage() -> impl IntoView {
    let user = use_user();
    view! {
        <Title text="Overview" />
        <Suspense>
            {move || Suspend::new(async move {
                let u = user.await?;
                let scope = match (u.role, u.department_name.clone()) {
                    (Role::DepartmentHead, Some(d)) => format!("You see company-wide figures and those of {d}."),
                    (Role::DepartmentHead, None) => "Your account is not bound to a department yet; ask the CTO.".to_string(),
                    _ => "You see every department and every figure.".to_string(),
                };
                Some(view! {
                    <h1>"Welcome, " {u.name.clone()}</h1>
                    <p class="lead">{scope}</p>
                    <NotBuilt title="Overview">
                        <p>"The overview will gather KPI cards grouped by category, red first, once the KPI registry is built. Until then there is nothing to summarise, so nothing is shown."</p>
                    </NotBuilt>
                })
            })}
        </Suspense>
    }
}

#[component]
pub fn KpisPage() -> impl IntoView {
    view! {
        <Title text="KPIs" />
        <NotBuilt title="KPIs">
            <p>"The KPI registry (targets, red/amber/green status, measurements, DORA metrics and trend charts) is not built yet."</p>
        </NotBuilt>
    }
}

#[component]
pub fn BudgetsPage() -> impl IntoView {
    view! {
        <Title text="Budgets" />
        <NotBuilt title="Budgets">
            <p>"IT budgets (budget against actual, burn rate, year-end forecast, vendors and renewals) are not built yet."</p>
        </NotBuilt>
    }
}

#[component]
pub fn InfrastructurePage() -> impl IntoView {
    view! {
        <Title text="Infrastructure" />
        <NotBuilt title="Infrastructure">
            <p>"The system inventory, health checks, uptime against SLOs and incidents are not built yet."</p>
        </NotBuilt>
    }
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    view! {
        <Title text="Reports" />
        <NotBuilt title="Reports">
            <p>"Published investor reports and department reports will be listed here. None exist yet, because reporting is not built yet."</p>
        </NotBuilt>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found" />
        <main id="main" class="refusal">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address."</p>
            <p><a href="/">"Go to the start page"</a></p>
        </main>
    }
}

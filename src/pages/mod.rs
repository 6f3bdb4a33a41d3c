//! Pages for the areas of the app. Areas not built yet say so; none shows invented figures.

use crate::ui::NotBuilt;
use leptos::prelude::*;
use leptos_meta::Title;

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

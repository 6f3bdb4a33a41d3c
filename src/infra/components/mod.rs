//! Infrastructure pages and what they share: the section's tabs, the status badge, and a
//! timer that refreshes a page while it watches something change.

mod board;
mod checks;
mod incident;
mod incidents;
mod maintenance;
mod sla;
mod system;
mod system_form;

pub use incident::IncidentPage;
pub use incidents::IncidentsPage;
pub use sla::SlaPage;
pub use system::SystemPage;
pub use board::InfrastructurePage;
pub use system_form::SystemEditPage;
use incident::Incident;
use incidents::OpenForm;
use system::System;
use system_form::{SystemEditor, SystemNewPage};

crate::ui::area_islands! { infrastructure:
    open_incident_form(systems: Vec<(i64, String)>) => OpenForm, _island_open_incident_form, load_open_incident_form;
    system(id: i64) => System, _island_system, load_system;
    incident(id: i64) => Incident, _island_incident, load_incident;
    system_new_page() => SystemNewPage, _island_system_new_page, load_system_new_page;
    system_editor(id: String) => SystemEditor, _island_system_editor, load_system_editor;
}

use crate::access::Page;
use crate::infra::model::Status;
use leptos::prelude::*;

#[component]
pub fn InfraTabs() -> impl IntoView {
    let here = crate::platform::query::path();
    let tabs = [(Page::Infrastructure, "Status"), (Page::InfraIncidents, "Incidents"), (Page::InfraSla, "SLA report")];
    view! {
        <nav class="tabs" aria-label="Infrastructure sections">
            {tabs
                .into_iter()
                .map(|(p, label)| {
                    let current = (here == p.path()).then_some("page");
                    view! { <a href=p.path() aria-current=current>{label}</a> }
                })
                .collect_view()}
        </nav>
    }
}

/// A system's status in words, colour and shape, so it never depends on colour alone.
#[component]
pub fn SystemStatus(status: Status) -> impl IntoView {
    view! {
        <span class=format!("status sys-{}", status.as_str())>
            <span class="status-dot" aria-hidden="true"></span>
            {status.label()}
        </span>
    }
}

/// Counts up every `secs` seconds in the browser while `active` holds; a resource keyed on it
/// reloads. Nothing runs on the server.
pub fn ticker(secs: u64, active: Signal<bool>) -> RwSignal<u32> {
    let tick = RwSignal::new(0u32);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(
            move || {
                if active.get_untracked() {
                    tick.update(|t| *t += 1);
                }
            },
            std::time::Duration::from_secs(secs),
        ) {
            on_cleanup(move || handle.clear());
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (secs, active);
    tick
}

/// A response time; local targets often answer within the millisecond.
pub(crate) fn ms(latency: i64) -> String {
    if latency < 1 { "under 1 ms".into() } else { format!("{latency} ms") }
}


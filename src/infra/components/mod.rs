//! Infrastructure pages and what they share: the section's tabs and the status badge. Every
//! page is the server's HTML with plain forms; none has an island of its own.

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
pub use system_form::{SystemEditPage, SystemNewPage};

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

/// A response time; local targets often answer within the millisecond.
pub(crate) fn ms(latency: i64) -> String {
    if latency < 1 { "under 1 ms".into() } else { format!("{latency} ms") }
}


//! The Admin page: accounts, departments and the record of changes.

mod audit;
mod departments;
mod users;

pub use audit::{AuditTrailPage, HistoryLink};

use crate::access::Page;
use crate::ui::Title;
use leptos::prelude::*;

/// The Admin page, the server's HTML with plain forms: each change reloads the page, so every
/// section shows it (a new department in the account form, say).
#[component]
pub fn AdminPage() -> impl IntoView {
    view! {
        <Title text="Admin" />
        <h1>"Admin"</h1>
        <p class="lead">"Accounts, roles, departments and API tokens. Every change is recorded in the audit trail."</p>
        <users::UsersSection />
        <departments::DepartmentsSection />
        <crate::tokens::components::ApiTokensSection />
        <section class="card" aria-labelledby="audit-title">
            <h2 id="audit-title">"Audit trail"</h2>
            <p>"Every change made in Northstar, through a page, the API or the command line, with who made it and the fields before and after; sign-ins and share-link visits too."</p>
            <p><a class="button secondary" href=Page::AdminAudit.path()>"Open the audit trail"</a></p>
        </section>
    }
}

//! The Admin page: accounts, departments and the record of changes.

mod audit;
mod departments;
mod users;

pub use audit::{AuditTrailPage, HistoryLink};

use crate::access::Page;
use crate::ui::Title;
use leptos::prelude::*;

/// The Admin page, the server's HTML with plain forms: each change reloads the page, so every
/// section shows it (a new department in the account form, say). `security` is drawn after the
/// tokens: the security area's backups and access review, passed in by the app because that
/// area reads the KPI area, which reads this one.
#[component]
pub fn AdminPage(security: fn() -> AnyView) -> impl IntoView {
    view! {
        <Title text="Admin" />
        <h1>"Admin"</h1>
        <p class="lead">"Accounts, roles, departments, API tokens, backups and access reviews. Every change is recorded in the audit trail."</p>
        <users::UsersSection />
        <departments::DepartmentsSection />
        <crate::tokens::components::ApiTokensSection />
        {security()}
        <section class="card" aria-labelledby="audit-title">
            <h2 id="audit-title">"Audit trail"</h2>
            <p>"Every change made in Northstar, through a page, the API or the command line, with who made it and the fields before and after; sign-ins and share-link visits too."</p>
            <p><a class="button secondary" href=Page::AdminAudit.path()>"Open the audit trail"</a></p>
        </section>
    }
}

//! The Admin page: accounts, departments and the record of changes.

mod audit;
mod departments;
mod users;

pub use audit::{AuditTrailPage, HistoryLink};

crate::ui::area_islands! { admin:
    admin_page() => AdminPage, _island_admin_page, load_admin_page;
}
use crate::access::Page;
use leptos::prelude::*;
use crate::ui::Title;

/// Bumped after every successful change, so every list on the page reloads.
#[derive(Clone, Copy)]
struct AdminChanged(RwSignal<u32>);

/// Reloads the lists after each change that went through. A refused one changes nothing, and
/// reloading then would redraw the forms and lose what the person typed (a chosen role, say).
fn reload_after<S>(action: ServerAction<S>)
where
    S: leptos::server_fn::ServerFn<Error = crate::platform::error::AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let changed = expect_context::<AdminChanged>().0;
    let done = crate::ui::successes(action);
    Effect::watch(move || done.get(), move |_, _, _| changed.update(|n| *n += 1), false);
}

fn changes() -> RwSignal<u32> {
    expect_context::<AdminChanged>().0
}

/// One island: a change in one section reloads the lists of the others (a new department in
/// the account form, say).
#[component]
fn AdminPage() -> impl IntoView {
    crate::ui::NoticeClock::provide();
    let changed = RwSignal::new(0u32);
    provide_context(AdminChanged(changed));
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

//! The Admin page: accounts, departments and the record of changes.

mod departments;
mod users;

use super::api::audit_log;
use crate::ui::LoadError;
use leptos::prelude::*;
use leptos_meta::Title;

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

#[component]
pub fn AdminPage() -> impl IntoView {
    let changed = RwSignal::new(0u32);
    provide_context(AdminChanged(changed));
    view! {
        <Title text="Admin" />
        <h1>"Admin"</h1>
        <p class="lead">"Accounts, roles, departments and API tokens. Every change is recorded below."</p>
        <users::UsersSection />
        <departments::DepartmentsSection />
        <crate::tokens::components::ApiTokensSection />
        <AuditSection />
    }
}

#[component]
fn AuditSection() -> impl IntoView {
    let changed = changes();
    let entries = Resource::new(move || changed.get(), |_| audit_log());
    view! {
        <section class="card" aria-labelledby="audit-title">
            <h2 id="audit-title">"Recent changes"</h2>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="empty">"No changes recorded yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <div class="table-wrap">
                                <table class="stack">
                                    <caption class="visually-hidden">"The 50 most recent administrative changes"</caption>
                                    <thead><tr><th scope="col">"When (UTC)"</th><th scope="col">"Who"</th><th scope="col">"What"</th><th scope="col">"Detail"</th></tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|e| view! {
                                            <tr>
                                                <td class="nowrap" data-label="When">{e.at.replace('T', " ").trim_end_matches('Z').to_string()}</td>
                                                <td data-label="Who">{e.actor.unwrap_or_else(|| "command line".into())}</td>
                                                <td data-label="What">{e.action.replace('_', " ")}</td>
                                                <td data-label="Detail">{e.detail}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

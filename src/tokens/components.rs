//! The API tokens section of the Admin page.

use super::api::list_api_tokens;
use super::NewToken;
use crate::access::Action;
use crate::ui::{AskFirst, FormError, LoadError, Posted, TextField};
use leptos::either::EitherOf3;
use leptos::prelude::*;

#[component]
pub fn ApiTokensSection() -> impl IntoView {
    let tokens = Resource::new(|| (), |_| list_api_tokens());
    let create = Posted::to(Action::CreateApiToken.endpoint());
    let create_error = create.error();
    let revoke_error = Posted::to(Action::RevokeApiToken.endpoint()).error();
    // The secret, on the one page load after it was made: only its hash is stored.
    let fresh = create.answer::<NewToken>().map(|t| view! {
        <div class="alert alert-ok new-token" role="status">
            <p>{format!("Token \u{201c}{}\u{201d} created. Copy it now; it will not be shown again:", t.name)}</p>
            <p><code class="secret">{t.secret}</code></p>
        </div>
    });
    view! {
        <section class="card" aria-labelledby="tokens-title">
            <h2 id="tokens-title">"API tokens"</h2>
            <p class="hint">"Tokens let other systems push KPI measurements and deployment and incident events to the REST API (see the README). A token can only ingest data; it cannot read anything. Only a hash is stored, so a token is shown once, when it is created."</p>
            {fresh}
            <FormError error=revoke_error />
            <Suspense fallback=|| view! { <p class="loading">"Loading tokens…"</p> }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Err(e) => EitherOf3::A(view! { <LoadError error=e /> }),
                        Ok(list) if list.is_empty() => EitherOf3::B(view! { <p class="empty">"No API tokens yet."</p> }),
                        Ok(list) => EitherOf3::C(view! {
                            <div class="table-wrap">
                                <table class="stack">
                                    <thead><tr>
                                        <th scope="col">"Name"</th><th scope="col">"Token"</th><th scope="col">"Created"</th>
                                        <th scope="col">"Last used"</th><th scope="col">"Status"</th>
                                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                                    </tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|t| {
                                            let key = format!("token-{}", t.id);
                                            let live = t.revoked_at.is_none();
                                            view! {
                                                <tr id=key.clone() class:inactive=!live>
                                                    <th scope="row">{t.name.clone()}</th>
                                                    <td data-label="Token"><code>{format!("{}…", t.prefix)}</code></td>
                                                    <td data-label="Created">{format!("{} by {}", t.created_at.replace('T', " ").trim_end_matches('Z'), t.created_by.unwrap_or_else(|| "—".into()))}</td>
                                                    <td data-label="Last used">{t.last_used_at.map(|s| s.replace('T', " ").trim_end_matches('Z').to_string()).unwrap_or_else(|| "Never".into())}</td>
                                                    <td data-label="Status">{match &t.revoked_at { None => "Active".to_string(), Some(at) => format!("Revoked {}", &at[..10]) }}</td>
                                                    <td class="actions">
                                                        {live.then(|| view! {
                                                            <AskFirst label="Revoke" what=format!("the token {}", t.name)
                                                                question=format!("Revoke the token \u{201c}{}\u{201d}? Systems using it can no longer send data.", t.name) confirm="Revoke it"
                                                                key=key.clone() action=Action::RevokeApiToken.endpoint() fields=vec![("id", t.id.to_string())] />
                                                        })}
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }),
                    }
                })}
            </Suspense>
            <form method="post" action=Action::CreateApiToken.endpoint() class="inline-form" novalidate>
                <FormError error=create_error />
                <TextField label="New token's name" name="name" error=create_error id_prefix="token-" required=true maxlength=80 hint="Say what will use it, such as \"CI pipeline\"." value=create.value("name", "") />
                <button type="submit" class="button primary">"Create token"</button>
            </form>
        </section>
    }
}

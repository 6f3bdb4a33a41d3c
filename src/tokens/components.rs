//! The API tokens section of the Admin page.

use super::api::{list_api_tokens, CreateApiToken, RevokeApiToken};
use crate::ui::{cleared_after, error_of, notice_of, ConfirmButton, FormError, LoadError, Notice, TextField};
use leptos::prelude::*;

#[component]
pub fn ApiTokensSection() -> impl IntoView {
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let tokens = Resource::new(move || (create.version().get(), revoke.version().get()), |_| list_api_tokens());
    let create_error = error_of(create);
    let revoke_error = error_of(revoke);
    let revoked = notice_of(revoke);
    let form = cleared_after(create);
    let fresh = move || create.value().get().and_then(|r| r.ok());
    view! {
        <section class="card" aria-labelledby="tokens-title">
            <h2 id="tokens-title">"API tokens"</h2>
            <p class="hint">"Tokens let other systems push KPI measurements and deployment and incident events to the REST API (see the README). A token can only ingest data; it cannot read anything. Only a hash is stored, so a token is shown once, when it is created."</p>
            {move || fresh().map(|t| view! {
                <div class="alert alert-ok new-token" role="status">
                    <p>{format!("Token \u{201c}{}\u{201d} created. Copy it now; it will not be shown again:", t.name)}</p>
                    <p><code class="secret">{t.secret}</code></p>
                </div>
            })}
            <FormError error=revoke_error />
            <Notice when=revoked text=crate::ui::said_text() />
            <Transition fallback=|| view! { <p class="loading">"Loading tokens…"</p> }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="empty">"No API tokens yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <div class="table-wrap">
                                <table class="stack">
                                    <thead><tr>
                                        <th scope="col">"Name"</th><th scope="col">"Token"</th><th scope="col">"Created"</th>
                                        <th scope="col">"Last used"</th><th scope="col">"Status"</th>
                                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                                    </tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|t| {
                                            let id = t.id;
                                            let live = t.revoked_at.is_none();
                                            let name = t.name.clone();
                                            view! {
                                                <tr class:inactive=!live>
                                                    <th scope="row">{t.name.clone()}</th>
                                                    <td data-label="Token"><code>{format!("{}…", t.prefix)}</code></td>
                                                    <td data-label="Created">{format!("{} by {}", t.created_at.replace('T', " ").trim_end_matches('Z'), t.created_by.unwrap_or_else(|| "—".into()))}</td>
                                                    <td data-label="Last used">{t.last_used_at.map(|s| s.replace('T', " ").trim_end_matches('Z').to_string()).unwrap_or_else(|| "Never".into())}</td>
                                                    <td data-label="Status">{match &t.revoked_at { None => "Active".to_string(), Some(at) => format!("Revoked {}", &at[..10]) }}</td>
                                                    <td class="actions">
                                                        {live.then(|| view! {
                                                            <ConfirmButton label="Revoke" what=format!("the token {}", t.name)
                                                                question=format!("Revoke the token \u{201c}{}\u{201d}? Systems using it can no longer send data.", t.name) confirm="Revoke it"
                                                                done=format!("Revoked the token \u{201c}{name}\u{201d}.") on_confirm=move |()| { revoke.dispatch(RevokeApiToken { id }); } />
                                                        })}
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                    }
                })}
            </Transition>
            <ActionForm action=create node_ref=form attr:class="inline-form" attr:novalidate=true>
                <FormError error=create_error />
                <TextField label="New token's name" name="name" error=create_error id_prefix="token-" required=true maxlength=80 hint="Say what will use it, such as \"CI pipeline\"." />
                <button type="submit" class="button primary">"Create token"</button>
            </ActionForm>
        </section>
    }
}

//! The sign-in page and the account page.

use super::api::{ChangePassword, Login};
use super::User;
use crate::ui::{cleared_after, error_of, notice_of, FormError, TextField};
use leptos::prelude::*;
use crate::ui::Title;

/// The signed-in user, known on the server from the request and handed to the browser with
/// the page, so no part of the page waits for it.
#[derive(Clone)]
pub struct CurrentUser(pub Option<User>);

/// The signed-in user, if any. In the browser an island reads the user the server rendered
/// the page for, from the `data-user` attribute the shell puts on `<body>`.
pub fn use_user() -> Option<User> {
    #[cfg(feature = "hydrate")]
    if use_context::<CurrentUser>().is_none() {
        let user = document().body().and_then(|b| b.get_attribute("data-user")).and_then(|json| serde_json::from_str(&json).ok());
        provide_context(CurrentUser(user));
    }
    use_context::<CurrentUser>().and_then(|c| c.0)
}

#[island]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let error = error_of(login);
    let next = crate::platform::query::query("next");
    Effect::new(move || {
        if let Some(Ok(signed_in)) = login.value().get() {
            // A full page load, so the shell is rendered afresh for the signed-in user.
            let _ = window().location().assign(&signed_in.redirect_to);
        }
    });
    view! {
        <Title text="Sign in" />
        <main id="main" class="login">
            <div class="login-card">
                <h1 class="brand">
                    <span class="brand-mark" aria-hidden="true">"✦"</span>
                    " Northstar"
                </h1>
                <p class="lead">"Sign in to your dashboard."</p>
                <ActionForm action=login attr:novalidate=true>
                    <FormError error />
                    <TextField label="Email" name="email" kind="email" error autocomplete="username" required=true autofocus=true />
                    <TextField label="Password" name="password" kind="password" error autocomplete="current-password" required=true />
                    <input type="hidden" name="next" value=next />
                    <button type="submit" class="button primary wide" disabled=move || login.pending().get()>
                        {move || if login.pending().get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </ActionForm>
            </div>
        </main>
    }
}

crate::ui::area_islands! { account:
    account_page() => AccountPage, _island_account_page, load_account_page;
}

#[component]
fn AccountPage() -> impl IntoView {
    crate::ui::NoticeClock::provide();
    let user = use_user();
    let change = ServerAction::<ChangePassword>::new();
    let error = error_of(change);
    let done = notice_of(change);
    let form = cleared_after(change);
    view! {
        <Title text="Account" />
        <h1>"Your account"</h1>
        {user.map(|u| view! {
            <dl class="facts">
                <dt>"Name"</dt><dd>{u.name.clone()}</dd>
                <dt>"Email"</dt><dd>{u.email.clone()}</dd>
                <dt>"Role"</dt><dd>{u.role.label()}</dd>
                {u.department_name.clone().map(|d| view! { <dt>"Department"</dt><dd>{d}</dd> })}
            </dl>
        })}
        <section class="card narrow" aria-labelledby="pw-title">
            <h2 id="pw-title">"Change your password"</h2>
            <p class="hint">"At least 12 characters. Your other sessions are signed out."</p>
            <ActionForm action=change node_ref=form attr:novalidate=true>
                <FormError error />
                <TextField label="Current password" name="current" kind="password" error autocomplete="current-password" required=true />
                <TextField label="New password" name="new_password" kind="password" error autocomplete="new-password" required=true />
                <TextField label="Repeat the new password" name="confirm" kind="password" error autocomplete="new-password" required=true />
                <button type="submit" class="button primary" disabled=move || change.pending().get()>"Change password"</button>
                <Show when=move || done()>
                    <p class="alert alert-ok" role="status">"Your password has been changed."</p>
                </Show>
            </ActionForm>
        </section>
    }
}

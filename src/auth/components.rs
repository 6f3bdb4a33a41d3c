//! The sign-in page and the account page.

use super::api::Login;
use super::User;
use crate::ui::{error_of, FormError, TextField};
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

/// The account page, the server's HTML: the password form is a plain form (passwords are
/// never kept, so a refused one comes back with its errors and empty fields).
#[component]
pub fn AccountPage() -> impl IntoView {
    let user = use_user();
    let error = crate::ui::Posted::to(crate::access::Action::ChangeOwnPassword.endpoint()).error();
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
            <form method="post" action=crate::access::Action::ChangeOwnPassword.endpoint() novalidate>
                <FormError error />
                <TextField label="Current password" name="current" kind="password" error autocomplete="current-password" required=true />
                <TextField label="New password" name="new_password" kind="password" error autocomplete="new-password" required=true />
                <TextField label="Repeat the new password" name="confirm" kind="password" error autocomplete="new-password" required=true />
                <button type="submit" class="button primary">"Change password"</button>
            </form>
        </section>
    }
}

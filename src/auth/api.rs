//! Sign-in, sign-out and the caller's own account, as server functions.

use super::model::{SignedIn, User};
use crate::platform::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "auth/login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<SignedIn, AppError> {
    use super::model::{safe_next, EMAIL_MAX, LOGIN_PASSWORD_MAX};
    use super::{guard, password, repo, session};
    use crate::access::Action;
    use crate::platform::error::Problems;
    use crate::platform::request::{client_addr, set_response_header, wants_html};

    guard::authorize(Action::Login)?;
    let st = crate::platform::state::AppState::current()?;
    let email = email.trim().to_lowercase();
    let mut problems = Problems::default();
    if email.is_empty() {
        problems.add("email", "Enter your email address.");
    } else if email.chars().count() > EMAIL_MAX {
        problems.add("email", format!("An email address has at most {EMAIL_MAX} characters."));
    }
    if password.is_empty() {
        problems.add("password", "Enter your password.");
    } else if password.chars().count() > LOGIN_PASSWORD_MAX {
        problems.add("password", format!("A password has at most {LOGIN_PASSWORD_MAX} characters."));
    }
    problems.finish()?;

    let client = client_addr();
    // The attempt is booked as a failure before the password is checked, so parallel guesses
    // cannot all get past the limiter (see `ratelimit`).
    let attempt = match st.part::<crate::auth::ratelimit::LoginLimiter>().reserve(&client, &email, std::time::Instant::now()) {
        Ok(attempt) => attempt,
        Err(retry_after_secs) => {
            st.metrics.sign_ins_throttled.inc();
            tracing::warn!(%client, "sign-in throttled");
            if st.part::<crate::auth::ratelimit::LoginLimiter>().first_refusal(&client, &email) {
                let who = crate::platform::audit::Actor::anonymous(&email, &client);
                record_sign_in(&st.pool, who, "sign_in_locked_out", (email.clone(), &email), format!("locked for {retry_after_secs} s")).await?;
            }
            return Err(AppError::RateLimited { retry_after_secs });
        }
    };
    let row = repo::user_by_email(&st.pool, &email).await?;
    st.metrics.password_verifications.inc();
    let verified = password::verify(password, row.as_ref().map(|r| r.password_hash.clone())).await;
    let row = match row {
        Some(row) if verified && row.active => row,
        _ => {
            tracing::info!(%client, "sign-in refused");
            let who = crate::platform::audit::Actor::anonymous(&email, &client);
            // An existing account's history shows the failures against it, by its id.
            let account = row.as_ref().map(|r| r.id.to_string()).unwrap_or_else(|| email.clone());
            record_sign_in(&st.pool, who, "sign_in_failed", (account, &email), String::new()).await?;
            return Err(AppError::BadCredentials);
        }
    };
    st.part::<crate::auth::ratelimit::LoginLimiter>().succeeded(attempt);
    let token = session::create(&st.pool, row.id, &client, crate::platform::db::now_unix()).await?;
    let user = row.into_user();
    // Recorded before the cookie is handed out: a sign-in the trail missed does not happen.
    record_sign_in(&st.pool, user.actor(), "sign_in", (user.id.to_string(), &user.email), format!("from {client}")).await?;
    set_response_header(http::header::SET_COOKIE, &session::set_cookie(&token, session::policy(&st.config)));
    tracing::info!(user_id = user.id, "signed in");
    let redirect_to = safe_next(next.as_deref(), user.role);
    if wants_html() {
        // A plain form post (before the page is interactive) follows a real redirect.
        leptos_axum::redirect(&redirect_to);
    }
    Ok(SignedIn { user, redirect_to })
}

/// Sign-ins, failures and lockouts are records of the trail, each in its own transaction.
#[cfg(feature = "ssr")]
async fn record_sign_in(pool: &sqlx::SqlitePool, who: crate::platform::audit::Actor, action: &'static str, account: (String, &str), detail: String) -> Result<(), AppError> {
    let mut tx = crate::platform::db::begin_write(pool).await?;
    crate::platform::audit::Entry::new(&who, "account", action).object("user", account.0, account.1).detail(detail).record(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    use super::{guard, session};
    use crate::access::Action;
    use crate::platform::request::{request_headers, set_response_header, wants_html};

    let user = guard::require(Action::Logout)?;
    let st = crate::platform::state::AppState::current()?;
    if let Some(token) = session::token_from_headers(&request_headers()) {
        session::delete(&st.pool, &token).await?;
    }
    set_response_header(http::header::SET_COOKIE, &session::clear_cookie(session::policy(&st.config)));
    tracing::info!(user_id = user.id, "signed out");
    record_sign_in(&st.pool, user.actor(), "sign_out", (user.id.to_string(), &user.email), String::new()).await?;
    if wants_html() {
        leptos_axum::redirect("/login");
    }
    Ok(())
}

/// The signed-in user, or `None`: the shell uses it to draw navigation for the right role.
#[server(endpoint = "auth/me")]
pub async fn current_user() -> Result<Option<User>, AppError> {
    super::guard::authorize(crate::access::Action::CurrentUser)
}

#[server(endpoint = "auth/change_password")]
pub async fn change_password(current: String, new_password: String, confirm: String) -> Result<(), AppError> {
    use super::model::{check_new_password, LOGIN_PASSWORD_MAX};
    use super::{guard, password, repo, session};
    use crate::access::Action;
    use crate::platform::error::Problems;
    use crate::platform::{db, request::{client_addr, request_headers}};

    let user = guard::require(Action::ChangeOwnPassword)?;
    let st = crate::platform::state::AppState::current()?;
    let mut problems = Problems::default();
    if current.is_empty() || current.chars().count() > LOGIN_PASSWORD_MAX {
        problems.add("current", "Enter your current password.");
    }
    problems.check("new_password", check_new_password(&new_password));
    if confirm != new_password {
        problems.add("confirm", "The two new passwords differ.");
    }
    problems.finish()?;

    // A stolen session must not become a way to guess the password, so failures count here too.
    let attempt = st.part::<crate::auth::ratelimit::LoginLimiter>().reserve(&client_addr(), &user.email, std::time::Instant::now()).map_err(|retry_after_secs| {
        st.metrics.sign_ins_throttled.inc();
        AppError::RateLimited { retry_after_secs }
    })?;
    let stored = repo::user_by_id(&st.pool, user.id).await?.ok_or(AppError::Unauthorized)?;
    st.metrics.password_verifications.inc();
    if !password::verify(current, Some(stored.password_hash)).await {
        return Err(AppError::field("current", "That is not your current password."));
    }
    st.part::<crate::auth::ratelimit::LoginLimiter>().succeeded(attempt);
    let hash = password::hash(new_password).await?;
    let keep = session::token_from_headers(&request_headers());
    let mut tx = db::begin_write(&st.pool).await?;
    repo::set_password_hash(&mut *tx, user.id, &hash).await?;
    session::delete_for_user(&mut *tx, user.id, keep.as_deref()).await?;
    crate::platform::audit::Entry::new(&user.actor(), "account", "change_password")
        .object("user", user.id, &user.email)
        .secret("password")
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    crate::ui::Flash::back(crate::access::Page::Account.path(), "Your password has been changed. Your other sessions are signed out.", &[], "", "");
    Ok(())
}

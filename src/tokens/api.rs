//! Server functions for API tokens (CTO only).

use super::{ApiToken, NewToken};
use crate::platform::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "admin/tokens")]
pub async fn list_api_tokens() -> Result<Vec<ApiToken>, AppError> {
    let _cto = crate::auth::guard::require(crate::access::Action::ListApiTokens)?;
    super::service::list(&crate::platform::state::AppState::current()?.pool).await
}

#[server(endpoint = "admin/tokens/create")]
pub async fn create_api_token(name: String) -> Result<NewToken, AppError> {
    let cto = crate::auth::guard::require(crate::access::Action::CreateApiToken)?;
    let token = super::service::create(&crate::platform::state::AppState::current()?.pool, &cto, &name).await?;
    // Shown once, on the page the form goes back to; only its hash is stored.
    crate::platform::posted::keep_answer(serde_json::to_string(&token).map_err(|_| AppError::Internal)?);
    crate::ui::Flash::back(crate::access::Page::Admin.path(), "", &["ask"], "tokens-title", "");
    Ok(token)
}

#[server(endpoint = "admin/tokens/revoke")]
pub async fn revoke_api_token(id: i64) -> Result<(), AppError> {
    let cto = crate::auth::guard::require(crate::access::Action::RevokeApiToken)?;
    let name = super::service::revoke(&crate::platform::state::AppState::current()?.pool, &cto, id).await?;
    crate::ui::Flash::back(crate::access::Page::Admin.path(), format!("Revoked the token \u{201c}{name}\u{201d}."), &["ask"], "", "");
    Ok(())
}

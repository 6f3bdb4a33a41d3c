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
    super::service::create(&crate::platform::state::AppState::current()?.pool, &cto, &name).await
}

#[server(endpoint = "admin/tokens/revoke")]
pub async fn revoke_api_token(id: i64) -> Result<(), AppError> {
    let cto = crate::auth::guard::require(crate::access::Action::RevokeApiToken)?;
    super::service::revoke(&crate::platform::state::AppState::current()?.pool, &cto, id).await
}

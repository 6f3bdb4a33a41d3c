//! The one authorization check every server function makes before it touches data.

use crate::access::{Action, Audience, Route};
use crate::auth::User;
use crate::platform::error::AppError;
use super::Caller;
use http::request::Parts;
use leptos::prelude::use_context;

/// The signed-in user of the current request, if any.
pub fn caller() -> Option<User> {
    use_context::<Parts>().and_then(|p| p.extensions.get::<Caller>().cloned()).and_then(|c| c.0)
}

/// Checks the caller against the access table; a public action lets anonymous callers through.
pub fn authorize(action: Action) -> Result<Option<User>, AppError> {
    let user = caller();
    if action.audience().admits(user.as_ref().map(|u| u.role)) {
        return Ok(user);
    }
    match user {
        None => Err(AppError::Unauthorized),
        Some(u) => {
            tracing::warn!(user_id = u.id, role = u.role.as_str(), ?action, "refused");
            Err(AppError::Forbidden)
        }
    }
}

/// Like `authorize`, for actions that need a signed-in user.
pub fn require(action: Action) -> Result<User, AppError> {
    debug_assert!(action.audience() != Audience::Anyone, "{action:?} is public; use authorize");
    authorize(action)?.ok_or(AppError::Unauthorized)
}

/// The signed-in caller of a plain route (an export, an upload), checked against its rule.
pub fn route_caller(route: Route, caller: Option<&Caller>) -> Result<User, AppError> {
    match caller.and_then(|c| c.0.clone()) {
        Some(u) if route.audience().admits(Some(u.role)) => Ok(u),
        Some(_) => Err(AppError::Forbidden),
        None => Err(AppError::Unauthorized),
    }
}

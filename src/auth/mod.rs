//! Accounts, sign-in, sessions and the authorization guard.

pub mod api;
pub mod components;
pub mod model;

#[cfg(feature = "ssr")]
pub mod guard;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod ratelimit;
#[cfg(feature = "ssr")]
pub mod session;

pub use components::{use_user, CurrentUser};
pub use model::User;
#[cfg(feature = "ssr")]
pub use routes::Caller;

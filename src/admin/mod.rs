//! Administration: accounts, roles, departments and the audit trail.

pub mod api;
#[cfg(feature = "ssr")]
pub mod audit;
pub mod components;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;

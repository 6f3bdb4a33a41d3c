//! Administration: accounts, roles and departments.

pub mod api;
pub mod components;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;

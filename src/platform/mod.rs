//! The platform layer: what every area needs and no area owns. It imports no domain.

#[cfg(feature = "ssr")]
pub mod cache;
pub mod encode;
pub mod error;
pub mod form;
pub mod money;
pub mod named;
pub mod query;
pub mod time;
pub mod validate;

#[cfg(feature = "ssr")]
pub mod api_error;
#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod bundle;
#[cfg(feature = "ssr")]
pub mod client;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod metrics;
#[cfg(feature = "ssr")]
pub mod net;
#[cfg(feature = "ssr")]
pub mod noise;

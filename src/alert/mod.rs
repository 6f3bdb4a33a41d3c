//! Alerts: rules the CTO sets over the other areas' data, each condition they find as an
//! alert with a lifecycle (firing, acknowledged, resolved), the alerts page and the bell.
//!
//! Areas say what changed through `platform::changes`; the worker looks at that thing at once,
//! and at what time alone changes on a schedule. `notify` tells the channels people set up.

pub mod api;
pub mod components;
pub mod model;
pub mod notify;

#[cfg(feature = "ssr")]
pub mod budget_rules;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod engine;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod worker;

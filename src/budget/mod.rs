//! IT budgets: plans per fiscal year, department, category and CapEx/OpEx with their
//! revisions; expenses; vendors and contracts; budget against actual with forecasts.

pub mod api;
pub mod components;
pub mod model;
pub mod view;

#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod analysis;
#[cfg(feature = "ssr")]
pub mod catalog;
#[cfg(feature = "ssr")]
pub mod charts;
#[cfg(feature = "ssr")]
pub mod expenses;
#[cfg(feature = "ssr")]
pub mod kept;
#[cfg(feature = "ssr")]
pub mod ledger;
#[cfg(feature = "ssr")]
pub mod planning;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod watch;

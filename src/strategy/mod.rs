//! Strategy: the business's objectives for a period and the KPIs that measure them, the
//! technology initiatives that serve them (with milestones, a budget, the systems they touch
//! and the expenses booked to them), and each initiative's health, judged from all of these.

pub mod api;
pub mod capex;
pub mod components;
pub mod mapping;
pub mod mix;
pub mod unit;
pub mod model;
pub mod view;

#[cfg(feature = "ssr")]
pub mod charts;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod focus;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod time_csv;

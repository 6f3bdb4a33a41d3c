//! Infrastructure status: the system inventory, health checks the server runs itself, status
//! history and uptime against SLOs, maintenance windows, incidents with MTTA and MTTR, and the
//! SLA report.

pub mod api;
pub mod bar;
pub mod components;
pub mod model;
pub mod view;

#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod charts;
#[cfg(feature = "ssr")]
pub mod monitor;
#[cfg(feature = "ssr")]
pub mod probe;
#[cfg(feature = "ssr")]
pub mod record;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod uptime;

//! Quality and data protection: vulnerability findings per system with remediation deadlines
//! (imported from scanners' SARIF, CSV files and the token API), the SLA they are held to and
//! the KPIs kept from them; the control register with each control's evidence, its frequency
//! and where it stands; the record of processing (which systems hold which personal data, why
//! and where); the rules findings, controls and records are judged by, and the starter
//! controls with their mapping to frameworks.

pub mod api;
pub mod components;
pub mod model;
pub mod privacy;
pub mod view;

#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod demo_controls;
#[cfg(feature = "ssr")]
pub mod demo_privacy;
#[cfg(feature = "ssr")]
pub mod demo_quality;
#[cfg(feature = "ssr")]
pub mod evidence_routes;
#[cfg(feature = "ssr")]
pub mod findings_csv;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
mod quality_chart;
#[cfg(feature = "ssr")]
pub mod system_routes;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod sarif;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod starter;

// Leptos views are deeply nested types; the wasm build needs more than the default 128.
#![recursion_limit = "256"]

//! Northstar: a self-hosted dashboard for a CTO.
//!
//! One crate compiled twice: with `ssr` into the server binary, with `hydrate` into the
//! WebAssembly bundle that makes the server-rendered pages interactive.

pub mod access;
pub mod admin;
pub mod alert;
pub mod assurance;
pub mod app;
pub mod auth;
pub mod budget;
pub mod cockpit;
pub mod infra;
pub mod kpi;
pub mod platform;
pub mod radar;
pub mod feedback;
pub mod pulse;
pub mod report;
pub mod strategy;
pub mod tokens;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod charts;
#[cfg(feature = "ssr")]
pub mod server;

#[cfg(all(test, feature = "ssr"))]
mod property_tests;

/// The browser's entry point. Pages are rendered by the server; what runs here are the islands
/// of the page (see app.rs), which the hydration script finds and hydrates one by one.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}

// Leptos views are deeply nested types; the wasm build needs more than the default 128.
#![recursion_limit = "256"]

//! Northstar: a self-hosted dashboard for a CTO.
//!
//! One crate compiled twice: with `ssr` into the server binary, with `hydrate` into the
//! WebAssembly bundle that makes the server-rendered pages interactive.

pub mod access;
pub mod admin;
pub mod app;
pub mod auth;
pub mod budget;
pub mod infra;
pub mod kpi;
pub mod platform;
pub mod report;
pub mod tokens;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod charts;
#[cfg(feature = "ssr")]
pub mod server;

#[cfg(all(test, feature = "ssr"))]
mod property_tests;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Pages are lazy routes (see app.rs): hydration waits for the page's module to load.
    wasm_bindgen_futures::spawn_local(async {
        let app = leptos::mount::hydrate_from_async(leptos::prelude::document().body().expect("a body"), app::App).await;
        app.forget();
        // A marker the browser tests and scripts/first-load.mjs wait for before they click:
        // until now, buttons are inert HTML.
        let _ = js_sys::Reflect::set(&leptos::prelude::window(), &"__northstar_hydrated".into(), &true.into());
    });
}

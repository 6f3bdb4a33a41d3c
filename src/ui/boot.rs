//! How a page starts its islands: the `<head>` names every file the page's islands need, and
//! a small module script hydrates them as soon as the document is parsed.
//!
//! Leptos' own `HydrationScripts` waits for an idle callback before it even imports the
//! entry, and names only the entry: the split loader and an area's chunks were then fetched
//! one after another once the entry ran. Measured on the KPI page, that waiting was 90 ms of
//! idle time and 150 ms of chunk fetches after hydration had begun (scripts/first-load.mjs).

use crate::platform::bundle;
use leptos::prelude::*;
use leptos_meta::Link;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

/// Where the bundle is, and the areas whose files this page already named in its `<head>`.
#[derive(Clone)]
struct Named {
    site_root: Arc<str>,
    pkg_dir: Arc<str>,
    areas: Arc<Mutex<BTreeSet<&'static str>>>,
}

/// The entry's preloads and the script that hydrates the page's islands in document order
/// (the last island, `Hydrated`, then marks the page interactive). An island that fails to
/// hydrate is reported and skipped, so one broken form does not leave the page inert.
#[component]
pub fn Boot(options: LeptosOptions) -> impl IntoView {
    // Islands mode: only islands carry hydration markers, as Leptos' own script also sets.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    provide_context(Named { site_root: options.site_root.clone(), pkg_dir: options.site_pkg_dir.clone(), areas: Default::default() });
    let entry = bundle::entry(&options.site_root, &options.site_pkg_dir, &options.output_name);
    let script = format!(
        r#"import init, * as app from "{js}";
await init({{ module_or_path: "{wasm}" }});
if (document.readyState === "loading") await new Promise((parsed) => document.addEventListener("DOMContentLoaded", parsed, {{ once: true }}));
app.hydrate();
for (const el of document.querySelectorAll("leptos-island")) {{
  if (el.parentElement.closest("leptos-island")) continue;
  const island = app[el.dataset.component];
  try {{ if (island) await island(el); else console.warn("no island named", el.dataset.component); }}
  catch (e) {{ console.error(e); }}
}}"#,
        js = entry.js,
        wasm = entry.wasm
    );
    let nonce = leptos::nonce::use_nonce();
    view! {
        <link rel="modulepreload" href=entry.js.clone() />
        {entry.split.clone().map(|split| view! { <link rel="modulepreload" href=split /> })}
        <link rel="preload" href=entry.wasm.clone() r#as="fetch" r#type="application/wasm" crossorigin="anonymous" />
        // `async`: the entry is fetched and compiled while the document is still being parsed
        // and laid out; the script waits for the parsed document only to hydrate it.
        <script type="module" async nonce=nonce inner_html=script></script>
    }
}

/// Names an area's wasm files in the page's `<head>`, once per page, so the browser fetches
/// them with the entry. Called by every island of the area as it renders on the server.
pub fn preload_area(area: &'static str) {
    let Some(named) = use_context::<Named>() else { return };
    if !named.areas.lock().unwrap_or_else(|e| e.into_inner()).insert(area) {
        return;
    }
    for href in bundle::area_files(&named.site_root, &named.pkg_dir, area) {
        // A meta component registers itself with the page's <head> when it renders.
        let _ = view! { <Link rel="preload" href=href as_="fetch" type_="application/wasm" crossorigin="anonymous" /> }.to_html();
    }
}

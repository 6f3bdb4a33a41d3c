//! A page that keeps itself current by reloading, for pages that are the server's HTML alone.

use leptos::prelude::*;

/// Reloads the page every `seconds` while it is on screen. It waits while the person is using a
/// field or a button (focus is on one), so a reload never takes away what they are doing, and a
/// hidden tab costs the server nothing.
#[island]
pub fn AutoRefresh(seconds: u32) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let every = std::time::Duration::from_secs(seconds.into());
        let _ = set_interval_with_handle(
            || {
                let doc = document();
                let busy = match (doc.active_element(), doc.body()) {
                    (Some(focused), Some(body)) => !js_sys::Object::is(&focused, &body),
                    (focused, _) => focused.is_some(),
                };
                if !doc.hidden() && !busy {
                    let _ = window().location().reload();
                }
            },
            every,
        );
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = seconds;
}

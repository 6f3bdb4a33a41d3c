//! Light and dark themes: the system's choice by default, or the user's, remembered in a cookie
//! so the server renders the right theme on the first byte (no flash of the wrong colours).

use leptos::prelude::*;

pub const COOKIE: &str = "northstar_theme";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    pub fn parse(s: &str) -> Theme {
        match s {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }

    /// The value of `data-theme` on `<html>`; none means "follow the system".
    pub fn attr(self) -> Option<&'static str> {
        match self {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }

    fn next(self) -> Theme {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Theme::System => "System",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }
}

/// The theme as the request's cookie (server) or the document (browser) has it; both agree,
/// because the server wrote the document from the cookie.
pub fn current() -> Theme {
    #[cfg(feature = "ssr")]
    {
        crate::platform::request::cookie(COOKIE).map(|v| Theme::parse(&v)).unwrap_or(Theme::System)
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|e| e.get_attribute("data-theme"))
            .map(|v| Theme::parse(&v))
            .unwrap_or(Theme::System)
    }
}

#[cfg(feature = "hydrate")]
fn apply(theme: Theme) {
    use wasm_bindgen::JsCast;
    let doc = document();
    if let Some(root) = doc.document_element() {
        let _ = match theme.attr() {
            Some(v) => root.set_attribute("data-theme", v),
            None => root.remove_attribute("data-theme"),
        };
    }
    if let Ok(html) = doc.dyn_into::<web_sys::HtmlDocument>() {
        let value = theme.attr().unwrap_or("system");
        let _ = html.set_cookie(&format!("{COOKIE}={value}; Path=/; Max-Age=31536000; SameSite=Lax"));
    }
}

#[island]
pub fn ThemeToggle() -> impl IntoView {
    let theme = RwSignal::new(current());
    let cycle = move |_| {
        let next = theme.get_untracked().next();
        theme.set(next);
        #[cfg(feature = "hydrate")]
        apply(next);
    };
    view! {
        <button
            type="button"
            class="theme-toggle"
            on:click=cycle
            title="Change the colour theme"
            aria-label=move || format!("Theme: {}. Change the colour theme", theme.get().label())
        >
            <span aria-hidden="true">{move || match theme.get() {
                Theme::System => "◐",
                Theme::Light => "☀",
                Theme::Dark => "☾",
            }}</span>
            <span class="theme-label">{move || theme.get().label()}</span>
        </button>
    }
}

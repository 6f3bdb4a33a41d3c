//! Messages for the page a change leads to ("Deleted the contract …"), shown there once.

use crate::platform::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// Takes the page's message away once `action` settles, either way: it spoke of the change
/// before this one.
pub(super) fn clear_after<S>(action: ServerAction<S>)
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Effect::watch(
        move || action.value().track(),
        move |_, _, _| {
            if action.value().with_untracked(Option::is_some) {
                Flash::clear();
            }
        },
        false,
    );
}

/// A message for the page a deletion leads to: "Deleted the system Billing API." shows on the
/// list the person lands on, and only there. The browser leaves it in a cookie that names that
/// page and goes there with a full load; the server shows it there once and clears it.
pub struct Flash;

const FLASH_COOKIE: &str = "northstar_flash";

impl Flash {
    /// Goes to `path` and says `message` there.
    pub fn go(path: &str, message: impl Into<String>) {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let value = crate::platform::encode::component(&format!("{path}\n{}", message.into()));
            if let Ok(doc) = document().dyn_into::<web_sys::HtmlDocument>() {
                let _ = doc.set_cookie(&format!("{FLASH_COOKIE}={value}; Path=/; Max-Age=60; SameSite=Strict"));
            }
            super::go(path);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (path, message.into());
    }

    /// Loads this page again, with its query, and says `message` there: the server draws what
    /// a change affected.
    pub fn reload(message: impl Into<String>) {
        #[cfg(feature = "hydrate")]
        {
            let location = window().location();
            let here = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
            Self::go(&here, message);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = message.into();
    }

    /// From the server, in the answer to a plain form post: says `message` on `path`, where the
    /// redirect that answers the post leads.
    #[cfg(feature = "ssr")]
    pub fn after_post(path: &str, message: impl Into<String>) {
        Self::set(path, &message.into(), "");
    }

    /// From the server, after a plain form's success: back to the page the form was on, its
    /// address less the parameters in `drop` (the row being edited, the question being asked),
    /// then `anchor`; `message` is said there, and the element `focus` (if any) takes the focus,
    /// so the next entry starts where the last ended. A script caller gets the answer instead.
    #[cfg(feature = "ssr")]
    pub fn back(fallback: &str, message: impl Into<String>, drop: &[&str], anchor: &str, focus: &str) {
        if !crate::platform::request::wants_html() {
            return;
        }
        let back = crate::platform::request::referer_path().unwrap_or_else(|| fallback.to_string());
        let (path, query) = back.split_once('?').unwrap_or((&back, ""));
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .filter(|pair| {
                let key = pair.split('=').next().unwrap_or_default();
                !drop.contains(&key) && key != "__path" && key != "__err"
            })
            .collect();
        let mut to = if kept.is_empty() { path.to_string() } else { format!("{path}?{}", kept.join("&")) };
        if !anchor.is_empty() {
            to = format!("{to}#{anchor}");
        }
        // A page that shows the result itself (a preview, a new link) needs no message.
        let message = message.into();
        if !message.is_empty() {
            Self::set(path, &message, focus);
        }
        leptos_axum::redirect(&to);
    }

    /// From the server, after a plain form's success that leads elsewhere (a new record's own
    /// page, the list after a deletion): goes to `path` and says `message` there.
    #[cfg(feature = "ssr")]
    pub fn to(path: &str, message: impl Into<String>) {
        if crate::platform::request::wants_html() {
            Self::set(path, &message.into(), "");
            leptos_axum::redirect(path);
        }
    }

    #[cfg(feature = "ssr")]
    fn set(path: &str, message: &str, focus: &str) {
        crate::platform::request::set_response_header(http::header::SET_COOKIE, &Self::cookie(path, message, focus));
    }

    /// The `Set-Cookie` value that says `message` on `path`, for a plain route's redirect (a
    /// form with a file, which no server function takes).
    #[cfg(feature = "ssr")]
    pub fn cookie(path: &str, message: &str, focus: &str) -> String {
        let value = crate::platform::encode::component(&format!("{path}\n{message}\n{focus}"));
        format!("{FLASH_COOKIE}={value}; Path=/; Max-Age=60; SameSite=Strict")
    }

    /// The element a message for this page asks to focus, such as a form's first field after a
    /// save; read without clearing the message.
    pub fn focus() -> Option<String> {
        Self::here().map(|(_, focus)| focus).filter(|f| !f.is_empty())
    }

    /// Takes the message off the page: it spoke of the change before the one that just settled.
    /// The message is the server's HTML, outside every island, so no island's view changes.
    fn clear() {
        #[cfg(feature = "hydrate")]
        while let Ok(Some(shown)) = document().query_selector(".flash") {
            shown.remove();
        }
    }

    /// The message left for this page, if any; any message is cleared once a page is rendered.
    fn take() -> Option<String> {
        #[cfg(feature = "ssr")]
        {
            let cleared = format!("{FLASH_COOKIE}=; Path=/; Max-Age=0; SameSite=Strict");
            if crate::platform::request::cookie(FLASH_COOKIE).is_some() {
                crate::platform::request::set_response_header(http::header::SET_COOKIE, &cleared);
            }
        }
        Self::here().map(|(message, _)| message)
    }

    /// The (message, focus) left for this page.
    fn here() -> Option<(String, String)> {
        #[cfg(feature = "ssr")]
        {
            let raw = crate::platform::request::cookie(FLASH_COOKIE)?;
            let text = percent_encoding::percent_decode_str(&raw).decode_utf8_lossy().into_owned();
            let mut parts = text.splitn(3, '\n');
            let (target, message) = (parts.next()?, parts.next()?);
            let focus = parts.next().unwrap_or_default();
            let path = target.split(['?', '#']).next().unwrap_or_default();
            (path == crate::platform::query::path()).then(|| (message.to_string(), focus.to_string()))
        }
        #[cfg(not(feature = "ssr"))]
        None
    }
}

/// Where the layout shows a [`Flash`] message.
#[component]
pub fn FlashNotice() -> impl IntoView {
    Flash::take().map(|m| view! { <p class="alert alert-ok flash" role="status">{m}</p> })
}

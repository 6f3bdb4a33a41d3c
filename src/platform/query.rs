//! The page's address, read the same way on the server (from the request) and in the browser
//! (from `location`). Pages have no client-side router (they are server-rendered with islands,
//! see app.rs), so the address an island hydrates with is the one the server rendered it for.

use leptos::prelude::*;

pub use super::encode::with_query;

/// A query parameter of the current URL, or "".
pub fn query(name: &'static str) -> Memo<String> {
    let value = lookup(&raw_query(), name).unwrap_or_default();
    Memo::new(move |_| value.clone())
}

/// A parameter of the page's route, such as the `key` of `/kpis/:key`. Routes are matched on
/// the server only, so a page reads its parameters there and hands them to its island.
pub fn param(name: &str) -> String {
    leptos_router::hooks::use_params_map().with_untracked(|p| p.get(name)).unwrap_or_default()
}

/// A numeric route parameter, such as the `id` of `/infrastructure/systems/:id`; 0 when it is
/// not a number, which no record has, so the page shows its "not found".
pub fn param_id(name: &str) -> i64 {
    param(name).parse().unwrap_or(0)
}

/// The current URL's path, such as "/kpis/uptime".
pub fn path() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().map(|p| p.uri.path().to_string()).unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        window().location().pathname().unwrap_or_default()
    }
}

fn raw_query() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().and_then(|p| p.uri.query().map(str::to_string)).unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        window().location().search().unwrap_or_default().trim_start_matches('?').to_string()
    }
}

/// The first value of `name` in a form-encoded query string.
fn lookup(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(key) == name).then(|| decode(value))
    })
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(&s.replace('+', " ")).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::lookup;

    #[test]
    fn reads_form_encoded_values() {
        let q = "window=30d&q=cloud+spend%20%26+more&empty=&flag";
        assert_eq!(lookup(q, "window").as_deref(), Some("30d"));
        assert_eq!(lookup(q, "q").as_deref(), Some("cloud spend & more"));
        assert_eq!(lookup(q, "empty").as_deref(), Some(""));
        assert_eq!(lookup(q, "flag").as_deref(), Some(""));
        assert_eq!(lookup(q, "missing"), None);
        assert_eq!(lookup("", "q"), None);
    }
}

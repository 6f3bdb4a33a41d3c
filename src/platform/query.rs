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

/// Every parameter of the current URL, in order, less the error of a refused form (`__path`,
/// `__err`), which belongs to one page load only.
pub fn pairs() -> Vec<(String, String)> {
    parse(&raw_query()).filter(|(key, _)| key != "__path" && key != "__err").collect()
}

/// This page's address with the parameters in `drop` left out.
pub fn here_without(drop: &[&str]) -> String {
    let kept: Vec<(String, String)> = pairs().into_iter().filter(|(k, _)| !drop.contains(&k.as_str())).collect();
    let refs: Vec<(&str, &str)> = kept.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    with_query(&path(), &refs)
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
    parse(query).find_map(|(key, value)| (key == name).then_some(value))
}

/// The (name, value) pairs of a form-encoded query string, decoded, in order.
fn parse(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query.split('&').filter(|pair| !pair.is_empty()).map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(key), decode(value))
    })
}

/// The page of a paged list to show, as (page, pages, offset): the `page` parameter asked for
/// (the first when it is missing or not a number), kept within the pages that `matched` rows
/// fill, of which there is always at least one.
pub fn page_of(requested: &str, matched: i64, size: i64) -> (i64, i64, i64) {
    let pages = ((matched + size - 1) / size).max(1);
    let page = requested.trim().parse::<i64>().unwrap_or(1).clamp(1, pages);
    (page, pages, (page - 1) * size)
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(&s.replace('+', " ")).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::{lookup, page_of};

    #[test]
    fn pages_stay_within_what_matched() {
        assert_eq!(page_of("", 0, 50), (1, 1, 0));
        assert_eq!(page_of("2", 101, 50), (2, 3, 50));
        assert_eq!(page_of("9", 101, 50), (3, 3, 100));
        assert_eq!(page_of("-4", 101, 50), (1, 3, 0));
        assert_eq!(page_of("two", 100, 50), (1, 2, 0));
    }

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

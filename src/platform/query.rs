//! The current page's query string, read by components and turned into links.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub use super::encode::with_query;

/// A query parameter of the current URL, or "".
pub fn query(name: &'static str) -> Memo<String> {
    let q = use_query_map();
    Memo::new(move |_| q.with(|q| q.get(name)).unwrap_or_default())
}

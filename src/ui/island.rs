//! Islands grouped by area: the interactive part of each page, whose code the browser fetches
//! with the first page of its area that needs it.
//!
//! Leptos' `#[island(lazy)]` gives every island its own module, and the split tool then makes a
//! shared chunk for every set of islands that use a function: 30 to 250 files per page,
//! measured. Here every island's loader is `#[lazy(area)]` written at one place, in the macro
//! below, and the split tool names a module by `lazy`'s argument and where its attribute
//! stands: the islands of one area share one module. The server side and the
//! browser side are what `#[island]` generates: the view inside an `<leptos-island>` element
//! naming the exported function that hydrates it, with the props as JSON.

/// Declares the islands of one area. Each line names the island (a function the page calls),
/// its props, the component that draws it, the exported function that hydrates it and its
/// loader:
///
/// ```ignore
/// area_islands! { kpis:
///     kpi_detail(key: String) => KpiDetail, _island_kpi_detail, load_kpi_detail;
/// }
/// ```
macro_rules! area_islands {
    ($area:ident: $($island:ident($($prop:ident: $ty:ty),* $(,)?) => $view:ident, $export:ident, $loader:ident);+ $(;)?) => {$(
        #[allow(clippy::unused_unit)]
        pub fn $island($($prop: $ty),*) -> impl ::leptos::prelude::IntoView {
            use ::leptos::prelude::*;
            let props = ::leptos::serde_json::to_string(&($(&$prop,)*)).expect("island props serialize");
            let view = ::leptos::reactive::graph::untrack(move || {
                ::leptos::reactive::owner::Owner::new().with(move || {
                    ::leptos::reactive::owner::Owner::with_hydration(move || {
                        ::leptos::tachys::reactive_graph::OwnedView::new(view! { <$view $($prop=$prop)* /> })
                    })
                })
            });
            // Names the area's files in the page's <head>, so the browser fetches them with the
            // entry instead of after it.
            #[cfg(feature = "ssr")]
            $crate::ui::boot::preload_area(stringify!($area));
            ::leptos::tachys::html::islands::Island::new(stringify!($export), view).with_props(props)
        }

        // The loader fetches the area's module and hydrates the island. `lazy` names the module
        // `<area>_<hash of where it stands>`, which is how the server finds its files.
        #[cfg(feature = "hydrate")]
        #[::leptos::lazy($area)]
        fn $loader(el: ::leptos::web_sys::HtmlElement) {
            use ::leptos::tachys::view::RenderHtml;
            let ($($prop,)*): ($($ty,)*) = el
                .dataset()
                .get("props")
                .and_then(|json| ::leptos::serde_json::from_str(&json).ok())
                .expect("island props deserialize");
            let state = $island($($prop),*).hydrate_from_position::<true>(&el, ::leptos::tachys::view::Position::Current);
            // The island lives as long as the page: nothing unmounts it.
            std::mem::forget(state);
        }

        #[cfg(feature = "hydrate")]
        #[::leptos::wasm_bindgen::prelude::wasm_bindgen(
            wasm_bindgen = ::leptos::wasm_bindgen,
            wasm_bindgen_futures = ::leptos::__reexports::wasm_bindgen_futures
        )]
        pub async fn $export(el: ::leptos::web_sys::HtmlElement) {
            $loader(el).await
        }
    )+};
}

pub(crate) use area_islands;

//! Small shared pieces of interface: labelled fields, error messages, notices.

#[cfg(feature = "ssr")]
pub mod boot;
pub mod chart;
mod confirm;
mod island;
mod refresh;
mod not_found;
mod notice;
mod posted;
pub mod theme;
pub mod upload;

pub use confirm::{AskFirst, ReloadWith};
pub(crate) use island::area_islands;
pub use refresh::AutoRefresh;
pub use not_found::NotFound;
pub use posted::{posted_error, Posted};
pub use notice::{Flash, FlashNotice};

use crate::platform::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The error of an action's latest result, if it failed. Either result ends whatever message
/// the page was showing.
pub fn error_of<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    notice::clear_after(action);
    Signal::derive(move || action.value().with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned())))
}

/// The page's title, as "KPIs · Northstar". The formatter travels with each title rather than
/// once at the app's root: an island hydrating in the browser has no root above it, and its
/// title would otherwise lose the suffix.
#[component]
pub fn Title(#[prop(into)] text: TextProp) -> impl IntoView {
    view! { <leptos_meta::Title formatter=page_title text /> }
}

/// The document title for a page title ("" for the app's own name).
pub fn page_title(page: String) -> String {
    if page.is_empty() { "Northstar".to_string() } else { format!("{page} · Northstar") }
}

/// Goes to `path` with a full page load: pages are rendered by the server (see app.rs).
pub fn go(path: &str) {
    #[cfg(feature = "hydrate")]
    let _ = window().location().assign(path);
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional, into)] value: String,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    /// For the one field a page is for, such as the sign-in e-mail.
    #[prop(optional)]
    autofocus: bool,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(optional)] hint: &'static str,
    /// Distinguishes several forms with the same field on one page.
    #[prop(optional, into)]
    id_prefix: String,
) -> impl IntoView {
    let id = format!("{id_prefix}{name}");
    let message = move || error.get().and_then(|e| e.for_field(name));
    let described = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            {(!hint.is_empty()).then(|| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            <input
                id=id.clone()
                name=name
                type=kind
                value=value
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                required=required
                autofocus=autofocus
                maxlength=maxlength
                aria-invalid=move || message().is_some().then_some("true")
                aria-describedby=move || message().is_some().then(|| described.clone())
            />
            <p class="field-error" id=format!("{id}-error") role="alert">{message}</p>
        </div>
    }
}

/// A labelled select; `options` are (value, label) pairs.
#[component]
pub fn SelectField(
    label: &'static str,
    name: &'static str,
    options: Vec<(String, String)>,
    #[prop(into)] selected: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional, into)] id_prefix: String,
    #[prop(optional)] hint: &'static str,
    /// Called with the new value on change.
    #[prop(optional, into)]
    on_change: Option<Callback<String>>,
) -> impl IntoView {
    let id = format!("{id_prefix}{name}");
    let message = move || error.get().and_then(|e| e.for_field(name));
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
            <select
                id=id.clone()
                name=name
                aria-invalid=move || message().is_some().then_some("true")
                on:change=move |ev| {
                    if let Some(cb) = on_change {
                        cb.run(event_target_value(&ev));
                    }
                }
            >
                {options.into_iter().map(|(value, text)| {
                    let is = value == selected;
                    view! { <option value=value selected=is>{text}</option> }
                }).collect_view()}
            </select>
            <p class="field-error" role="alert">{message}</p>
        </div>
    }
}

/// A select in a GET filter form: no error slot, since a filter cannot be wrong, only empty.
#[component]
pub fn FilterSelect(label: &'static str, id: &'static str, name: &'static str, options: Vec<(String, String)>, #[prop(into)] selected: String) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=name>
                {options.into_iter().map(|(value, text)| {
                    let is = value == selected;
                    view! { <option value=value selected=is>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// A select's options from records given as (id, name), after a first option with an empty
/// value when `first` names one ("Company-wide", "None", "Choose…").
pub fn id_choices(first: Option<&str>, rows: &[(i64, String)]) -> Vec<(String, String)> {
    first.map(|f| (String::new(), f.to_string())).into_iter().chain(rows.iter().map(|(id, name)| (id.to_string(), name.clone()))).collect()
}

/// Checkboxes in a grid, one per choice: the ticked ones are sent as `name[0]`, `name[1]`...
/// (their place in the list), which a form's input reads as a list. A message for `name` shows
/// below them; `empty` says why there is nothing to tick. The values are records' ids or an
/// enum's texts.
#[component]
pub fn CheckGrid<V>(
    legend: &'static str,
    name: &'static str,
    /// (value, label) pairs.
    choices: Vec<(V, String)>,
    checked: Vec<V>,
    posted: Posted,
    #[prop(into)] error: Signal<Option<AppError>>,
    empty: &'static str,
) -> impl IntoView
where
    V: std::fmt::Display + PartialEq + Send + Sync + 'static,
{
    use leptos::either::Either;
    let message = move || error.get().and_then(|e| e.for_field(name));
    let grid = if choices.is_empty() {
        Either::Left(view! { <p class="hint">{empty}</p> })
    } else {
        Either::Right(view! {
            <div class="check-grid">
                {choices.into_iter().enumerate().map(|(i, (id, label))| {
                    let box_id = format!("{name}-{id}");
                    let field = format!("{name}[{i}]");
                    let ticked = posted.checked(&field, checked.contains(&id));
                    view! {
                        <div class="field checkbox">
                            <input type="checkbox" id=box_id.clone() name=field value=id.to_string() checked=ticked />
                            <label for=box_id>{label}</label>
                        </div>
                    }
                }).collect_view()}
            </div>
        })
    };
    view! {
        <fieldset class="field-group" class:invalid=move || message().is_some()>
            <legend>{legend}</legend>
            {grid}
            <p class="field-error" role="alert">{message}</p>
        </fieldset>
    }
}

/// A labelled multi-line text field.
#[component]
pub fn TextArea(
    label: &'static str,
    name: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(default = 3)] rows: u32,
    #[prop(optional)] maxlength: Option<usize>,
) -> impl IntoView {
    let message = move || error.get().and_then(|e| e.for_field(name));
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for=name>{label}</label>
            <textarea id=name name=name rows=rows maxlength=maxlength aria-invalid=move || message().is_some().then_some("true")>{value}</textarea>
            <p class="field-error" role="alert">{message}</p>
        </div>
    }
}

/// A form-level message for errors that belong to no single field.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let text = move || {
        error.get().and_then(|e| match &e {
            // Field problems are shown at their fields; a summary helps when there are several.
            AppError::Invalid { fields, .. } if fields.len() == 1 => None,
            _ => Some(e.to_string()),
        })
    };
    view! {
        <Show when=move || text().is_some()>
            <p class="alert alert-error" role="alert">{text}</p>
        </Show>
    }
}

/// A plain statement that an area is not built yet: no placeholder figures.
#[component]
pub fn NotBuilt(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <section class="not-built" aria-labelledby="not-built-title">
            <h1 id="not-built-title">{title}</h1>
            <p class="badge">"Not built yet"</p>
            <div class="prose">{children()}</div>
        </section>
    }
}

/// Page links for a list shown newest first: "← Newer · Page 2 of 5 · Older →", nothing when
/// it fits on one page. `link` gives a page's address with the list's filters.
#[component]
pub fn Pager(page: i64, pages: i64, link: impl Fn(i64) -> String + 'static) -> impl IntoView {
    (pages > 1).then(|| view! {
        <nav class="pager" aria-label="Pages">
            {(page > 1).then(|| view! { <a href=link(page - 1) rel="prev">"← Newer"</a> })}
            <span>{format!("Page {page} of {pages}")}</span>
            {(page < pages).then(|| view! { <a href=link(page + 1) rel="next">"Older →"</a> })}
        </nav>
    })
}

/// A message for a failed load, with the reason; an ended session gets a way back in.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    let signed_out = error == AppError::Unauthorized;
    view! {
        <p class="alert alert-error" role="alert">
            {error.to_string()}
            {signed_out.then(|| view! { " " <a href="/login">"Sign in again"</a> })}
        </p>
    }
}

/// A count with its noun in the right number, thousands grouped: "1 row", "12,000 rows".
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", crate::platform::money::group_thousands(n), if n == 1 { one } else { many })
}

/// A file's size as people read it: "812 bytes", "4.2 KB", "20 MB" (powers of 1024, one
/// decimal under ten).
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 3] = ["KB", "MB", "GB"];
    if n < 1024 {
        return plural(n, "byte", "bytes");
    }
    let mut size = n as f64 / 1024.0;
    let mut unit = 0;
    while size >= 1024.0 && unit + 1 < UNITS.len() {
        size /= 1024.0;
        unit += 1;
    }
    if size < 10.0 { format!("{:.1} {}", size, UNITS[unit]).replace(".0 ", " ") } else { format!("{:.0} {}", size, UNITS[unit]) }
}

#[cfg(test)]
mod size_tests {
    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(super::bytes(1), "1 byte");
        assert_eq!(super::bytes(812), "812 bytes");
        assert_eq!(super::bytes(1024), "1 KB");
        assert_eq!(super::bytes(4300), "4.2 KB");
        assert_eq!(super::bytes(20 * 1024 * 1024), "20 MB");
        assert_eq!(super::bytes(3 * 1024 * 1024 * 1024), "3 GB");
    }
}

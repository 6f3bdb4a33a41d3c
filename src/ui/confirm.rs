//! A button for an action that cannot be taken back: the first press asks, naming what will
//! go; only the second does it.

use leptos::prelude::*;

#[component]
pub fn ConfirmButton(
    /// The button's word, such as "Delete".
    label: &'static str,
    /// What the button acts on, read out after `label` by screen readers.
    #[prop(into)]
    what: String,
    /// The question shown on the first press, naming what will go.
    #[prop(into)]
    question: String,
    /// The word of the button that does it, such as "Delete it".
    confirm: &'static str,
    #[prop(default = "button small danger")] class: &'static str,
    /// What the notice says once it is done, such as "Deleted the contract …"; see [`super::said`].
    #[prop(optional, into)]
    done: String,
    #[prop(into)] on_confirm: Callback<()>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    let said = super::said();
    let done = StoredValue::new(done);
    let yes = NodeRef::<leptos::html::Button>::new();
    let again = NodeRef::<leptos::html::Button>::new();
    // The question appears where the button was; focus follows it, and back on "Cancel".
    Effect::new(move || {
        if let Some(b) = yes.get() {
            let _ = b.focus();
        }
    });
    let cancel = move |_| {
        asking.set(false);
        #[cfg(feature = "hydrate")]
        request_animation_frame(move || {
            if let Some(b) = again.get_untracked() {
                let _ = b.focus();
            }
        });
    };
    let hidden = format!(" {what}");
    view! {
        <Show
            when=move || asking.get()
            fallback=move || view! {
                <button type="button" class=class node_ref=again on:click=move |_| asking.set(true)>
                    {label}<span class="visually-hidden">{hidden.clone()}</span>
                </button>
            }
        >
            <span class="confirm" role="group" aria-label=question.clone()>
                <span class="confirm-question">{question.clone()}</span>
                " "
                <button type="button" class="button small danger" node_ref=yes on:click=move |_| {
                    asking.set(false);
                    done.with_value(|d| if !d.is_empty() { said.set(d.clone()) });
                    on_confirm.run(());
                }>{confirm}</button>
                " "
                <button type="button" class="button small secondary" on:click=cancel>"Cancel"</button>
            </span>
        </Show>
    }
}

/// [`ConfirmButton`] for a page without script: the first press loads the page again with
/// `ask=<key>`, which draws the question, naming what will go, with the button that does it (a
/// plain post of `fields` to `action`) and a way back. `key` is also the id of the element the
/// page scrolls back to, such as the table row.
#[component]
pub fn AskFirst(
    label: &'static str,
    #[prop(into)] what: String,
    #[prop(into)] question: String,
    confirm: &'static str,
    #[prop(into)] key: String,
    action: &'static str,
    fields: Vec<(&'static str, String)>,
    #[prop(default = "button small danger")] class: &'static str,
) -> impl IntoView {
    use crate::platform::query::{here_without, query};
    use leptos::either::Either;
    if query("ask").get_untracked() == key {
        let cancel = format!("{}#{key}", here_without(&["ask"]));
        let hidden = fields.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value /> }).collect_view();
        return Either::Left(view! {
            <span class="confirm" role="group" aria-label=question.clone()>
                <span class="confirm-question">{question.clone()}</span>
                " "
                <form method="post" action=action class="inline-form">
                    {hidden}
                    <button type="submit" class="button small danger" autofocus>{confirm}</button>
                </form>
                " "
                <a class="button small secondary" href=cancel>"Cancel"</a>
            </span>
        });
    }
    Either::Right(view! { <ReloadWith label what name="ask" value=key.clone() anchor=key class /> })
}

/// A button that loads this page again with `name=value` added to its address, scrolled to
/// `anchor`: "Correct" on a row opens the form with that row in it, with no script.
#[component]
pub fn ReloadWith(
    label: &'static str,
    #[prop(into)] what: String,
    name: &'static str,
    #[prop(into)] value: String,
    #[prop(into)] anchor: String,
    #[prop(default = "button small secondary")] class: &'static str,
) -> impl IntoView {
    use crate::platform::query::{pairs, path};
    let kept = pairs()
        .into_iter()
        .filter(|(k, _)| k != name)
        .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
        .collect_view();
    view! {
        <form method="get" action=format!("{}#{anchor}", path()) class="inline-form">
            {kept}
            <input type="hidden" name=name value=value />
            <button type="submit" class=class>{label}<span class="visually-hidden">{format!(" {what}")}</span></button>
        </form>
    }
}

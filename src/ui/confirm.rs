//! Row buttons without a script: one that asks before an action that cannot be taken back,
//! and one that opens the row's data in a form.

use leptos::prelude::*;

/// A button for an action that cannot be taken back: the first press loads the page again with
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

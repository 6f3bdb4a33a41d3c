//! Success notices that last only until the page's next action. A "Measurement added" banner
//! still showing beside a later delete (or a later refusal) tells the reader something false.

use crate::platform::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use std::any::TypeId;

/// Which action settled last on this page, and which of its runs: (action type, run number).
#[derive(Clone, Copy)]
pub struct NoticeClock(RwSignal<Option<(TypeId, usize)>>);

impl NoticeClock {
    /// One clock for the whole app; provided once at its root.
    pub fn provide() {
        provide_context(NoticeClock(RwSignal::new(None)));
        provide_context(Said(RwSignal::new(String::new())));
    }
}

/// The words of the latest confirmed action ("Deleted the contract …"), written by
/// [`ConfirmButton`](super::ConfirmButton) and shown by the notice of the action it ran.
#[derive(Clone, Copy)]
struct Said(RwSignal<String>);

pub fn said() -> RwSignal<String> {
    match use_context::<Said>() {
        Some(s) => s.0,
        None => {
            let s = RwSignal::new(String::new());
            provide_context(Said(s));
            s
        }
    }
}

fn clock() -> RwSignal<Option<(TypeId, usize)>> {
    match use_context::<NoticeClock>() {
        Some(c) => c.0,
        None => {
            let c = RwSignal::new(None);
            provide_context(NoticeClock(c));
            c
        }
    }
}

/// Stamps the clock whenever `action` settles, either way. Several components may track the
/// same action: they write the same stamp, so their notices agree.
pub(super) fn track<S>(action: ServerAction<S>) -> RwSignal<Option<(TypeId, usize)>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let clock = clock();
    // Only a run that settles from now on stamps the clock: a form drawn again after its list
    // reloaded must not bring back the notice of a run that other actions have since followed.
    Effect::watch(
        move || action.value().track(),
        move |_, _, _| {
            if action.value().with_untracked(Option::is_some) {
                let stamp = Some((TypeId::of::<S>(), action.version().get_untracked()));
                if clock.get_untracked() != stamp {
                    clock.set(stamp);
                }
            }
        },
        false,
    );
    clock
}

/// True while `action`'s latest run succeeded and nothing else on the page has settled since.
///
/// A plain function of signals that outlive the form, not a derived signal of the form's own:
/// a form inside a list that reloads is disposed while its notice may still be asked once.
pub fn notice_of<S>(action: ServerAction<S>) -> impl Fn() -> bool + Copy + Send + Sync + 'static
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let clock = track(action);
    move || {
        let ok = action.value().with(|v| matches!(v, Some(Ok(_))));
        ok && clock.get() == Some((TypeId::of::<S>(), action.version().get()))
    }
}

/// A success message, shown while `when` holds and announced to screen readers.
#[component]
pub fn Notice(when: impl Fn() -> bool + Send + Sync + 'static, #[prop(into)] text: TextProp) -> impl IntoView {
    view! {
        <Show when=when>
            <p class="alert alert-ok" role="status">{let text = text.clone(); move || text.get()}</p>
        </Show>
    }
}

/// A message for the page a deletion leads to: "Deleted the system Billing API." shows on the
/// list the person lands on, and only there.
#[derive(Clone, Copy)]
pub struct Flash(RwSignal<Option<(String, String)>>);

impl Flash {
    pub fn provide() {
        provide_context(Flash(RwSignal::new(None)));
    }

    /// Navigates to `path` and says `message` there.
    pub fn go(path: &str, message: impl Into<String>) {
        if let Some(f) = use_context::<Flash>() {
            f.0.set(Some((path.to_string(), message.into())));
        }
        let navigate = leptos_router::hooks::use_navigate();
        navigate(path, Default::default());
    }
}

/// Where the layout shows a [`Flash`] message: on its page only, gone once the person moves on.
#[component]
pub fn FlashNotice() -> impl IntoView {
    let flash = use_context::<Flash>().map(|f| f.0);
    let path = leptos_router::hooks::use_location().pathname;
    let text = move || {
        let here = path.get();
        flash.and_then(|f| f.get()).filter(|(p, _)| *p == here).map(|(_, m)| m)
    };
    // Leaving the page ends the message: coming back later must not repeat it.
    Effect::watch(
        move || path.get(),
        move |here, _, _| {
            if let Some(f) = flash {
                if f.with_untracked(|m| m.as_ref().is_some_and(|(p, _)| p != here)) {
                    f.set(None);
                }
            }
        },
        false,
    );
    view! {
        <Show when=move || text().is_some()>
            <p class="alert alert-ok flash" role="status">{text}</p>
        </Show>
    }
}

/// The words of the latest confirmed action, for a [`Notice`]'s text.
pub fn said_text() -> impl Fn() -> String + Send + Sync + 'static {
    let s = said();
    move || s.get()
}

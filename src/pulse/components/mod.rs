//! The survey pages, and the notice at the top of every page while a survey waits for the reader.

mod answer;
mod detail;
mod list;

pub use answer::SurveyAnswerPage;
pub use detail::SurveyDetailPage;
pub use list::SurveysPage;

use crate::access::Page;
use crate::pulse::api::surveys_waiting;
use leptos::prelude::*;

/// "A short survey waits for you: IT satisfaction." above the page, until it is answered.
#[component]
pub fn SurveyNotice() -> impl IntoView {
    let waiting = Resource::new(|| (), |_| surveys_waiting());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let list = waiting.await.unwrap_or_default();
                (!list.is_empty()).then(|| {
                    let names = list.iter().map(|w| w.title.clone()).collect::<Vec<_>>().join(", ");
                    let words = if list.len() == 1 { format!("A short survey waits for you: {names}.") } else { format!("{} short surveys wait for you: {names}.", list.len()) };
                    view! {
                        <p class="alert alert-info survey-notice no-print">{words}" "<a href=Page::SurveyAnswer.path()>"Answer it anonymously"</a></p>
                    }
                })
            })}
        </Suspense>
    }
}

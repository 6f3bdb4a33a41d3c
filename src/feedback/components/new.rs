//! Giving feedback: a request, a problem or praise, about what the reader chooses (or the page
//! they came from, `?subject=system:3`), with a summary and what they want to say.

use crate::access::Action;
use crate::feedback::api::feedback_editor;
use crate::feedback::model::{About, Kind};
use crate::feedback::view::FeedbackForm;
use crate::platform::query::query;
use crate::ui::{FormError, LoadError, Posted, SelectField, TextArea, TextField, Title};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn FeedbackNewPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| feedback_editor());
    view! {
        <Title text="Give feedback" />
        <Suspense fallback=|| view! { <h1>"Give feedback"</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(e) => Either::Left(view! { <Form e /> }),
                    Err(e) => Either::Right(view! { <h1>"Give feedback"</h1><LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

/// The subject select's groups: (label, about, choices).
fn groups(e: &FeedbackForm) -> Vec<(&'static str, About, Vec<(i64, String)>)> {
    [("KPIs", About::Kpi, &e.kpis), ("Systems", About::System, &e.systems), ("Budget categories", About::Budget, &e.categories), ("Reports", About::Report, &e.reports)]
        .into_iter()
        .filter(|(_, a, list)| e.abouts.contains(a) && !list.is_empty())
        .map(|(l, a, list)| (l, a, list.clone()))
        .collect()
}

#[component]
fn Form(e: FeedbackForm) -> impl IntoView {
    let posted = Posted::to(Action::SaveFeedback.endpoint());
    let error = posted.error();
    let preset = query("subject").get_untracked();
    let selected = posted.value("subject", if preset.is_empty() { "technology".to_string() } else { preset });
    let message = move || error.get().and_then(|e| e.for_field("subject"));
    let option = {
        let selected = selected.clone();
        move |value: String, text: String| {
            let is = value == selected;
            view! { <option value=value selected=is>{text}</option> }
        }
    };
    let kinds: Vec<(String, String)> = Kind::choices().collect();
    view! {
        <h1>"Give feedback"</h1>
        <p class="meta">"Ask for something, report a problem or say what works. The CTO answers every item; you are told here when they do."</p>
        <section class="card">
            <form method="post" action=Action::SaveFeedback.endpoint() novalidate aria-label="Give feedback">
                <FormError error />
                <div class="form-grid">
                    <SelectField label="Kind" name="kind" options=kinds selected=posted.value("kind", "request") error />
                    <div class="field" class:invalid=move || message().is_some()>
                        <label for="subject">"About"</label>
                        <select id="subject" name="subject" aria-invalid=move || message().is_some().then_some("true")>
                            {option("technology".into(), About::Technology.label().into())}
                            {groups(&e).into_iter().map(|(label, about, list)| view! {
                                <optgroup label=label>
                                    {list.into_iter().map(|(id, name)| option(format!("{}:{id}", about.as_str()), name)).collect_view()}
                                </optgroup>
                            }).collect_view()}
                        </select>
                        <p class="field-error" role="alert">{message}</p>
                    </div>
                </div>
                <TextField label="Summary" name="title" error required=true maxlength=120 value=posted.value("title", "") />
                <TextArea label="Details (optional)" name="body" value=posted.value("body", "") error rows=5 maxlength=4000 />
                <div class="form-actions"><button type="submit" class="button primary">"Send"</button></div>
            </form>
        </section>
    }
}

//! Answering surveys: each open round that asks the reader, a score and an optional comment.
//! The page says plainly what is kept and what is not.

use crate::access::Action;
use crate::pulse::api::surveys_waiting;
use crate::pulse::model::MIN_GROUP;
use crate::pulse::view::Waiting;
use crate::ui::{FormError, LoadError, Posted, TextArea, Title};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn SurveyAnswerPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| surveys_waiting());
    view! {
        <Title text="Answer a survey" />
        <h1>"Surveys"</h1>
        <p class="meta">{format!("Your answer is stored without your name: Northstar keeps only that you answered, so you are not asked twice. No result is shown until at least {MIN_GROUP} people have answered.")}</p>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) if list.is_empty() => Either::Left(view! { <p class="empty">"No survey waits for you. Thank you."</p> }),
                    Ok(list) => Either::Right(Either::Left(list.into_iter().map(|w| view! { <Ask w /> }).collect_view())),
                    Err(e) => Either::Right(Either::Right(view! { <LoadError error=e /> })),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Ask(w: Waiting) -> impl IntoView {
    let posted = Posted::to(Action::AnswerSurvey.endpoint());
    let error = posted.error_for("round", &w.round.to_string());
    let chosen = posted.value("score", "");
    let legend_id = format!("q-{}", w.round);
    let message = move || error.get().and_then(|e| e.for_field("score"));
    view! {
        <section class="card" aria-labelledby=format!("t-{}", w.round)>
            <h2 id=format!("t-{}", w.round)>{w.title.clone()}</h2>
            <form method="post" action=Action::AnswerSurvey.endpoint() novalidate>
                <input type="hidden" name="round" value=w.round.to_string() />
                <FormError error />
                <fieldset class="field-group score-scale" class:invalid=move || message().is_some() aria-describedby=legend_id.clone()>
                    <legend id=legend_id.clone()>{w.question.clone()}</legend>
                    <div class="scale-row">
                        {w.scale.range().map(|s| {
                            let (id, for_id) = (format!("score-{}-{s}", w.round), format!("score-{}-{s}", w.round));
                            view! {
                                <label class="scale-option" for=for_id>
                                    <input type="radio" id=id name="score" value=s.to_string() checked=chosen == s.to_string() />
                                    <span>{s}</span>
                                </label>
                            }
                        }).collect_view()}
                    </div>
                    <p class="hint">{format!("{}: lowest to highest.", w.scale.label())}</p>
                    <p class="field-error" role="alert">{message}</p>
                </fieldset>
                <TextArea label="Anything to add? (optional)" name="comment" value=posted.value("comment", "") error rows=3 maxlength=1000 />
                <p class="hint">{format!("Open until {}.", w.closes_on)}</p>
                <div class="form-actions"><button type="submit" class="button primary">"Send my answer"</button></div>
            </form>
        </section>
    }
}

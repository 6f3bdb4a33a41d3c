//! The CTO's surveys: each with who it asks, how often, and its latest result; and the form
//! that sends a new one.

use crate::access::{Action, Page};
use crate::pulse::api::load_surveys;
use crate::pulse::model::{Every, Scale, MIN_GROUP};
use crate::pulse::view::SurveysView;
use crate::ui::{CheckGrid, FormError, LoadError, Posted, SelectField, TextField, Title};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn SurveysPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_surveys());
    view! {
        <Title text="Surveys" />
        <nav class="breadcrumbs" aria-label="Breadcrumb"><a href=Page::Feedback.path()>"Feedback"</a>" / "<span aria-current="page">"Surveys"</span></nav>
        <h1>"Satisfaction surveys"</h1>
        <p class="meta">{format!("Short anonymous surveys. Each department’s score is kept as a KPI; no result shows for fewer than {MIN_GROUP} answers.")}</p>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => Either::Left(view! { <List v /> }),
                    Err(e) => Either::Right(view! { <LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn List(v: SurveysView) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="surveys-title">
            <h2 id="surveys-title">"Surveys"</h2>
            {if v.pulses.is_empty() {
                Either::Left(view! { <p class="empty">"None sent yet."</p> })
            } else {
                Either::Right(view! {
                    <div class="table-wrap">
                        <table class="stack">
                            <thead><tr><th scope="col">"Survey"</th><th scope="col">"Asks"</th><th scope="col">"Sent"</th><th scope="col" class="num">"Rounds"</th><th scope="col">"Latest"</th></tr></thead>
                            <tbody>
                                {v.pulses.iter().map(|p| view! {
                                    <tr>
                                        <th scope="row"><a href=Page::SurveyDetail.href(&[&p.id])>{p.title.clone()}</a></th>
                                        <td data-label="Asks">{p.asked.clone()}</td>
                                        <td data-label="Sent">{p.every.label()}</td>
                                        <td data-label="Rounds" class="num">{p.rounds}</td>
                                        <td data-label="Latest">{p.latest.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                })
            }}
        </section>
        <New departments=v.departments.clone() />
    }
}

#[component]
fn New(departments: Vec<(i64, String)>) -> impl IntoView {
    let posted = Posted::to(Action::SaveSurvey.endpoint());
    let error = posted.error();
    let roles_message = move || error.get().and_then(|e| e.for_field("roles"));
    let heads = posted.checked("roles[0]", true);
    let investors = posted.checked("roles[1]", false);
    view! {
        <section class="card" id="new-survey" aria-labelledby="new-survey-title">
            <h2 id="new-survey-title">"Send a survey"</h2>
            <form method="post" action=Action::SaveSurvey.endpoint() novalidate aria-labelledby="new-survey-title">
                <FormError error />
                <div class="form-grid">
                    <TextField label="Title" name="title" error required=true maxlength=60 value=posted.value("title", "") hint="Also the name of its KPIs, such as IT satisfaction." />
                    <SelectField label="Scale" name="scale" options=Scale::choices().collect() selected=posted.value("scale", "five") error />
                    <SelectField label="Sent" name="every" options=Every::choices().collect() selected=posted.value("every", "quarter") error />
                </div>
                <TextField label="Question" name="question" error required=true maxlength=300 value=posted.value("question", "How satisfied are you with the technology you use at work?") />
                <fieldset class="field-group" class:invalid=move || roles_message().is_some()>
                    <legend>"Who is asked"</legend>
                    <div class="check-grid">
                        <div class="field checkbox"><input type="checkbox" id="roles-heads" name="roles[0]" value="department_head" checked=heads /><label for="roles-heads">"Department heads"</label></div>
                        <div class="field checkbox"><input type="checkbox" id="roles-investors" name="roles[1]" value="investor" checked=investors /><label for="roles-investors">"Investors"</label></div>
                    </div>
                    <p class="field-error" role="alert">{roles_message}</p>
                </fieldset>
                <CheckGrid legend="Departments whose heads are asked (none ticked: every department)" name="departments" choices=departments checked=vec![] posted=posted.clone() error empty="No departments yet." />
                <div class="form-actions"><button type="submit" class="button primary">"Send the survey"</button></div>
            </form>
        </section>
    }
}

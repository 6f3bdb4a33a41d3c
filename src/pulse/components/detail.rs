//! One survey: each round, newest first, with everyone's result and each department's, their
//! spread and comments; none below the anonymity threshold.

use crate::access::{Action, Page};
use crate::pulse::api::survey_detail;
use crate::pulse::model::MIN_GROUP;
use crate::pulse::view::{GroupResult, PulsePage, RoundView};
use crate::platform::query::param_id;
use crate::ui::{FormError, LoadError, Posted, Title};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn SurveyDetailPage() -> impl IntoView {
    let id = param_id("id");
    let data = Resource::new(move || id, survey_detail);
    view! {
        <Title text="Survey" />
        <Suspense fallback=|| view! { <h1>"Survey"</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => Either::Left(view! { <Detail p /> }),
                    Err(e) => Either::Right(view! { <h1>"Survey"</h1><LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Detail(p: PulsePage) -> impl IntoView {
    let error = Posted::to(Action::SendSurvey.endpoint()).error();
    view! {
        <Title text=p.title.clone() />
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href=Page::Feedback.path()>"Feedback"</a>" / "<a href=Page::Surveys.path()>"Surveys"</a>" / "<span aria-current="page">{p.title.clone()}</span>
        </nav>
        <div class="page-head">
            <div>
                <h1>{p.title.clone()}</h1>
                <p class="meta">{format!("“{}” · {} · {} · {}", p.question, p.scale.label(), p.every.label(), p.asked)}</p>
            </div>
            <div class="page-actions">
                <crate::admin::components::HistoryLink object=format!("survey:{}", p.id) />
                {(!p.open_round).then(|| view! {
                    <form method="post" action=Action::SendSurvey.endpoint()>
                        <input type="hidden" name="id" value=p.id.to_string() />
                        <button type="submit" class="button primary">"Send it again now"</button>
                    </form>
                })}
            </div>
        </div>
        <FormError error />
        {p.rounds.into_iter().map(|r| view! { <Round r /> }).collect_view()}
    }
}

#[component]
fn Round(r: RoundView) -> impl IntoView {
    let title = if r.open { format!("Round of {}, open until {}", r.opens_on, r.closes_on) } else { format!("Round of {}, closed {}", r.opens_on, r.closes_on) };
    let (id, labelled) = (format!("round-{}", r.id), format!("round-{}", r.id));
    view! {
        <section class="card" aria-labelledby=labelled>
            <h2 id=id>{title}</h2>
            <div class="table-wrap">
                <table class="stack">
                    <thead><tr><th scope="col">"Group"</th><th scope="col" class="num">"Answers"</th><th scope="col" class="num">"Score"</th><th scope="col">"Spread"</th><th scope="col">"KPI"</th></tr></thead>
                    <tbody>{r.results.iter().map(|g| view! { <Group g=g.clone() /> }).collect_view()}</tbody>
                </table>
            </div>
            {r.results.iter().filter(|g| !g.comments.is_empty()).map(|g| view! {
                <h3>{format!("Comments: {}", g.group)}</h3>
                <ul class="survey-comments">{g.comments.iter().map(|c| view! { <li>{c.clone()}</li> }).collect_view()}</ul>
            }).collect_view()}
        </section>
    }
}

#[component]
fn Group(g: GroupResult) -> impl IntoView {
    let hidden = format!("Shown from {MIN_GROUP} answers");
    view! {
        <tr>
            <th scope="row">{g.group.clone()}</th>
            <td data-label="Answers" class="num">{g.answers}</td>
            <td data-label="Score" class="num">{g.score.clone().unwrap_or_else(|| "—".into())}</td>
            <td data-label="Spread">{if g.spread.is_empty() { hidden } else { g.spread.iter().filter(|(_, n)| *n > 0).map(|(s, n)| format!("{s}: {n}")).collect::<Vec<_>>().join(" · ") }}</td>
            <td data-label="KPI">{g.kpi_key.clone().map(|k| view! { <a href=Page::KpiDetail.href(&[&k])>"Score over time"</a> })}</td>
        </tr>
    }
}

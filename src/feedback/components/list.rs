//! The feedback page: new answers for the reader, open items by votes or by age, what closed
//! lately, and for the CTO where feedback gathers and how fast it is answered.

use super::{Items, StateTag};
use crate::access::{Action, Page};
use crate::ui::{FormError, Posted};
use crate::feedback::api::load_feedback;
use crate::feedback::model::hours_words;
use crate::feedback::view::{FeedbackView, Triage};
use crate::platform::query::{query, with_query};
use crate::ui::{LoadError, Title};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn FeedbackPage() -> impl IntoView {
    let sort = query("sort");
    let data = Resource::new(move || sort.get(), load_feedback);
    view! {
        <Title text="Feedback" />
        <Suspense fallback=|| view! { <h1>"Feedback"</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => Either::Left(view! { <List v /> }),
                    Err(e) => Either::Right(view! { <h1>"Feedback"</h1><LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn List(v: FeedbackView) -> impl IntoView {
    let lead = match (&v.triage, v.can_vote) {
        (Some(_), _) => "What the people who use technology ask for, report and praise, and how each is answered.",
        (None, true) => "Your department’s requests, problems and praise, and the company’s. Vote for what matters to you.",
        (None, false) => "Your questions and feedback, and the CTO’s answers.",
    };
    let by_votes = v.sort == "votes";
    view! {
        <div class="page-head">
            <div>
                <h1>"Feedback"</h1>
                <p class="meta">{lead}</p>
            </div>
            <div class="page-actions">
                {v.triage.is_some().then(|| view! { <a class="button secondary" href=Page::Surveys.path()>"Satisfaction surveys"</a> })}
                <a class="button primary" href=Page::FeedbackNew.path()>"Give feedback"</a>
            </div>
        </div>
        {(!v.notices.is_empty()).then(|| view! {
            <section class="card" id="notices" aria-labelledby="notices-title">
                <h2 id="notices-title">"New for you"</h2>
                <ul class="notice-list">
                    {v.notices.iter().map(|n| view! {
                        <li><a href=n.link.clone()>{n.text.clone()}</a>" "<span class="meta">{n.at.clone()}</span></li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {v.triage.clone().map(|t| view! { <TriageCard t /> })}
        <section class="card" id="open" aria-labelledby="open-title">
            <div class="section-head">
                <h2 id="open-title">"Open"</h2>
                <p class="segmented" aria-label="Order">
                    <a href=with_query(Page::Feedback.path(), &[("sort", "votes")]) aria-current=by_votes.then_some("true")>"Most votes"</a>
                    <a href=with_query(Page::Feedback.path(), &[("sort", "age")]) aria-current=(!by_votes).then_some("true")>"Oldest first"</a>
                </p>
            </div>
            {if v.open.is_empty() {
                Either::Left(view! { <p class="empty">"Nothing open."</p> })
            } else {
                Either::Right(view! { <Items rows=v.open.clone() about=true /> })
            }}
        </section>
        {(!v.closed.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="closed-title">
                <h2 id="closed-title">"Done or declined in the last 90 days"</h2>
                <Items rows=v.closed.clone() about=true />
            </section>
        })}
    }
}

#[component]
fn TriageCard(t: Triage) -> impl IntoView {
    let time = |h: Option<i64>| h.map(hours_words).unwrap_or_else(|| "none yet".into());
    view! {
        <section class="card" aria-labelledby="triage-title">
            <h2 id="triage-title">"How feedback is handled"</h2>
            <dl class="facts">
                <dt>"Median time to first answer"</dt><dd>{time(t.first_answer_hours)}</dd>
                <dt>"Median time to close"</dt><dd>{time(t.close_hours)}</dd>
                <dt>"Unanswered for over a week"</dt><dd>{t.waiting_over_a_week}</dd>
            </dl>
            <p class="meta">"Times are medians over the last 90 days’ items."</p>
            <KeptKpis kept=t.kept.clone() can_keep=t.can_keep />
            <p class="state-counts">{t.by_state.iter().map(|(s, n)| view! { <span><StateTag state=*s />" "{*n}</span> }).collect_view()}</p>
            <h3>"Themes"</h3>
            <div class="table-wrap">
                <table class="stack">
                    <thead><tr><th scope="col">"About"</th><th scope="col" class="num">"Open"</th><th scope="col" class="num">"All"</th><th scope="col" class="num">"Votes"</th></tr></thead>
                    <tbody>
                        {t.themes.into_iter().map(|th| view! {
                            <tr>
                                <th scope="row">{match th.subject.link.clone() {
                                    Some(l) => Either::Left(view! { <a href=l>{th.subject.label.clone()}</a> }),
                                    None => Either::Right(th.subject.label.clone()),
                                }}</th>
                                <td data-label="Open" class="num">{th.open}</td>
                                <td data-label="All" class="num">{th.total}</td>
                                <td data-label="Votes" class="num">{th.votes}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The response times' KPIs, or the CTO's way to keep them as KPIs.
#[component]
fn KeptKpis(kept: Vec<(String, String)>, can_keep: bool) -> impl IntoView {
    let error = Posted::to(Action::KeepFeedbackKpis.endpoint()).error();
    view! {
        {(!kept.is_empty()).then(|| view! {
            <p>"Kept as KPIs, with a target and a value each month: "
                {kept.into_iter().enumerate().map(|(n, (name, href))| view! { {(n > 0).then_some(" · ")}<a href=href>{name}</a> }).collect_view()}
            </p>
        })}
        {can_keep.then(|| view! {
            <form method="post" action=Action::KeepFeedbackKpis.endpoint() class="inline-form">
                <button type="submit" class="button secondary">"Keep response times as KPIs"</button>
                <span class="meta">" A value each month, a target, status and alerts, like any KPI."</span>
            </form>
            <FormError error />
        })}
    }
}

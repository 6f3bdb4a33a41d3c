//! One feedback item: what was said and about what, where it stands and the CTO's answers,
//! votes and comments, and for the CTO the form that moves and answers it.

use super::StateTag;
use crate::access::{Action, Page};
use crate::feedback::api::feedback_item;
use crate::feedback::model::State;
use crate::feedback::view::ItemPage as Data;
use crate::platform::query::param_id;
use crate::ui::{FormError, LoadError, Posted, SelectField, TextArea, Title};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn FeedbackItemPage() -> impl IntoView {
    let id = param_id("id");
    let data = Resource::new(move || id, feedback_item);
    view! {
        <Title text="Feedback" />
        <Suspense fallback=|| view! { <h1>"Feedback"</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => Either::Left(view! { <Detail d /> }),
                    Err(e) => Either::Right(view! { <h1>"Feedback"</h1><LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Detail(d: Data) -> impl IntoView {
    let state = d.state.unwrap_or(State::New);
    let kind = d.kind.map(|k| k.label()).unwrap_or_default();
    let vote_error = Posted::to(Action::VoteFeedback.endpoint()).error();
    view! {
        <Title text=d.title.clone() />
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href=Page::Feedback.path()>"Feedback"</a>" / "<span aria-current="page">{d.title.clone()}</span>
        </nav>
        <div class="page-head">
            <div>
                <h1>{d.title.clone()}</h1>
                <p class="meta">{format!("{kind} from {} on {}", d.author, d.created_on)}" "<StateTag state /></p>
            </div>
            <div class="page-actions">
                {d.decides.then(|| view! { <crate::admin::components::HistoryLink object=format!("feedback:{}", d.id) /> })}
                {d.can_vote.then(|| view! {
                    <form method="post" action=Action::VoteFeedback.endpoint()>
                        <input type="hidden" name="id" value=d.id.to_string() />
                        <button type="submit" class="button secondary" aria-pressed=if d.voted { "true" } else { "false" }>
                            {if d.voted { format!("Voted · {}", d.votes) } else { format!("Vote · {}", d.votes) }}
                        </button>
                    </form>
                })}
            </div>
        </div>
        <FormError error=vote_error />
        <section class="card" aria-labelledby="said-title">
            <h2 id="said-title" class="visually-hidden">"What was said"</h2>
            {(!d.body.is_empty()).then(|| view! { <p class="feedback-body">{d.body.clone()}</p> })}
            <dl class="facts">
                <dt>"About"</dt>
                <dd>{match d.subject.link.clone() {
                    Some(l) => Either::Left(view! { <a href=l>{d.subject.label.clone()}</a> }),
                    None => Either::Right(d.subject.label.clone()),
                }}</dd>
                <dt>"Votes"</dt><dd>{d.votes}</dd>
                {d.private.then(|| view! { <dt>"Seen by"</dt><dd>"Its author and the CTO"</dd> })}
                {d.initiative.clone().map(|(id, title)| view! { <dt>"Planned as"</dt><dd><a href=Page::Initiative.href(&[&id])>{title}</a></dd> })}
                {d.radar_entry.clone().map(|(id, name)| view! { <dt>"On the radar as"</dt><dd><a href=Page::RadarEntry.href(&[&id])>{name}</a></dd> })}
            </dl>
        </section>
        <section class="card" id="reply" aria-labelledby="answer-title">
            <h2 id="answer-title">"The CTO’s answer"</h2>
            {if d.answer.is_empty() {
                Either::Left(view! { <p class="empty">"Not answered yet."</p> })
            } else {
                Either::Right(view! { <p class="feedback-answer">{d.answer.clone()}</p> })
            }}
            {(!d.history.is_empty()).then(|| view! {
                <h3>"History"</h3>
                <ol class="radar-history">
                    // The newest answer is the one shown above; the history says only when it came.
                    {d.history.iter().enumerate().map(|(i, a)| view! {
                        <li>
                            <p><strong>{a.words.clone()}</strong>" on "{a.at.clone()}" by "{a.by.clone()}</p>
                            {(!a.answer.is_empty() && !(i == 0 && a.answer == d.answer)).then(|| view! { <p>{a.answer.clone()}</p> })}
                        </li>
                    }).collect_view()}
                </ol>
            })}
        </section>
        {d.decides.then(|| view! { <Answer d=d.clone() /> })}
        <Comments d=d.clone() />
    }
}

#[component]
fn Answer(d: Data) -> impl IntoView {
    let posted = Posted::to(Action::AnswerFeedback.endpoint());
    let error = posted.error();
    let current = d.state.unwrap_or(State::New);
    let next = match current {
        State::New => State::UnderReview,
        s => s,
    };
    let states: Vec<(String, String)> = State::ALL.iter().filter(|s| **s != State::New || current == State::New).map(|s| (s.as_str().to_string(), s.label().to_string())).collect();
    let pick = |list: &[(i64, String)], none: &str| {
        std::iter::once((String::new(), none.to_string())).chain(list.iter().map(|(id, n)| (id.to_string(), n.clone()))).collect::<Vec<_>>()
    };
    let initiatives = pick(&d.initiatives, "No initiative");
    let entries = pick(&d.radar_entries, "No radar entry");
    let initiative = d.initiative.as_ref().map(|i| i.0.to_string()).unwrap_or_default();
    let entry = d.radar_entry.as_ref().map(|i| i.0.to_string()).unwrap_or_default();
    view! {
        <section class="card no-print" id="move" aria-labelledby="move-title">
            <h2 id="move-title">"Answer and move it"</h2>
            <form method="post" action=Action::AnswerFeedback.endpoint() novalidate aria-labelledby="move-title">
                <input type="hidden" name="item" value=d.id.to_string() />
                <FormError error />
                <div class="form-grid">
                    <SelectField label="State" name="state" options=states selected=posted.value("state", next.as_str()) error />
                    <SelectField label="Planned as initiative" name="initiative" options=initiatives selected=posted.value("initiative", initiative) error />
                    <SelectField label="Or as radar entry" name="radar_entry" options=entries selected=posted.value("radar_entry", entry) error />
                </div>
                <TextArea label="Answer (its author and every reader see it)" name="answer" value=posted.value("answer", "") error rows=3 maxlength=4000 />
                <div class="form-actions"><button type="submit" class="button primary">"Save the answer"</button></div>
            </form>
        </section>
    }
}

#[component]
fn Comments(d: Data) -> impl IntoView {
    let posted = Posted::to(Action::CommentFeedback.endpoint());
    let error = posted.error();
    view! {
        <section class="card" id="comments" aria-labelledby="comments-title">
            <h2 id="comments-title">"Comments"</h2>
            {if d.comments.is_empty() {
                Either::Left(view! { <p class="empty">"No comments yet."</p> })
            } else {
                Either::Right(view! {
                    <ol class="radar-history">
                        {d.comments.iter().map(|c| view! {
                            <li><p><strong>{c.by.clone()}</strong>" "<span class="meta">{c.at.clone()}</span></p><p>{c.body.clone()}</p></li>
                        }).collect_view()}
                    </ol>
                })
            }}
            <form method="post" action=Action::CommentFeedback.endpoint() novalidate aria-label="Add a comment" class="no-print">
                <input type="hidden" name="item" value=d.id.to_string() />
                <FormError error />
                <TextArea label="Add a comment" name="body" value=posted.value("body", "") error rows=2 maxlength=2000 />
                <div class="form-actions"><button type="submit" class="button secondary">"Comment"</button></div>
            </form>
        </section>
    }
}
